// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/replay/replay_command.h"

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/replay.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv replay [policy options] --cloudtrail FILE|DIR|- ...\n"
    "                        [--format text|json|sarif|markdown] "
    "[--output FILE] [--jobs N]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);

}  // namespace

int RunReplayCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err) {
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kUsage, err);
  }
  std::vector<std::string> inputs;
  std::string format = "text", output, jobs_text;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << cli::kPolicyOptionsUsage;
      return 0;
    }
    if (arg == "--cloudtrail" || arg == "--format" || arg == "--output" ||
        arg == "--jobs") {
      if (i + 1 >= rest.size()) {
        return kErrors.Usage(err, arg + " needs a value");
      }
      const std::string& value = rest[++i];
      if (arg == "--cloudtrail") inputs.push_back(value);
      if (arg == "--format") format = value;
      if (arg == "--output") output = value;
      if (arg == "--jobs") jobs_text = value;
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      return kErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    return kErrors.Usage(err, "unexpected argument \"" + arg + "\"");
  }
  if (format != "text" && format != "json" && format != "sarif" &&
      format != "markdown") {
    return kErrors.Usage(err,
                         "--format must be text, json, sarif or "
                         "markdown, not \"" +
                             format + "\"");
  }
  ReplayOptions replay;
  replay.jobs = 0;
  if (!jobs_text.empty() && (!absl::SimpleAtoi(jobs_text, &replay.jobs) ||
                             replay.jobs < 1 || replay.jobs > 1024)) {
    return kErrors.Usage(err, "--jobs must be a number from 1 to 1024, not \"" +
                                  jobs_text + "\"");
  }
  if (inputs.empty()) return kErrors.Usage(err, "--cloudtrail is required");
  if (!options->has_policies) {
    return kErrors.Usage(err,
                         "no policies given (use --policy or another policy "
                         "option)");
  }
  replay.principal = options->principal;
  absl::StatusOr<PolicyEvaluator> evaluator =
      PolicyEvaluator::Create(std::move(options->policies));
  if (!evaluator.ok()) {
    return kErrors.Input(err, std::string(evaluator.status().message()));
  }
  absl::StatusOr<ReplayReport> report = Replay(*evaluator, inputs, replay);
  if (!report.ok()) {
    return kErrors.Input(err, std::string(report.status().message()));
  }
  std::string text;
  if (format == "text") text = RenderReplayText(*report);
  if (format == "json") text = RenderReplayJson(*report);
  if (format == "sarif") text = RenderReplaySarif(*report);
  if (format == "markdown") text = RenderReplayMarkdown(*report);
  if (output.empty()) {
    out << text;
  } else {
    std::ofstream file(output, std::ios::binary);
    file << text;
    if (!file) return kErrors.Input(err, output + ": cannot write file");
  }
  return ReplayExitStatus(*report);
}

}  // namespace leastpriv
