// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/replay/replay_command.h"

#include <string>
#include <utility>
#include <vector>

#include "leastpriv/evaluate.h"
#include "leastpriv/replay.h"
#include "tools/leastpriv/common/command_line.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv replay [policy options] --cloudtrail FILE|DIR|- ...\n"
    "                        [--format text|json|sarif|markdown] "
    "[--output FILE] [--jobs N]\n"
    "                        [--partition-key TABLE[/index/INDEX]=ATTRIBUTE "
    "...]\n";
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
  std::vector<cli::OptionValue> values;
  if (int code = cli::ReadOptions(
          rest,
          {"--cloudtrail", "--format", "--output", "--jobs", "--partition-key"},
          kErrors, std::string(kUsage) + cli::kPolicyOptionsUsage, out, err,
          &values);
      code != cli::kContinue) {
    return code;
  }
  std::vector<std::string> inputs;
  std::string format = "text", output, jobs_text;
  ReplayOptions replay;
  for (const auto& [name, value] : values) {
    if (name == "--partition-key") {
      const std::size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        return kErrors.Usage(
            err,
            "--partition-key expects TABLE=ATTRIBUTE, not \"" + value + "\"");
      }
      replay.partition_keys[value.substr(0, eq)] = value.substr(eq + 1);
    }
    if (name == "--cloudtrail") inputs.push_back(value);
    if (name == "--format") format = value;
    if (name == "--output") output = value;
    if (name == "--jobs") jobs_text = value;
  }
  if (int code = cli::CheckFormat(format, {"text", "json", "sarif", "markdown"},
                                  kErrors, err);
      code != cli::kContinue) {
    return code;
  }
  replay.jobs = 0;
  if (int code = cli::ParseJobs(jobs_text, kErrors, err, &replay.jobs);
      code != cli::kContinue) {
    return code;
  }
  if (inputs.empty()) return kErrors.Usage(err, "--cloudtrail is required");
  if (int code = cli::RequirePolicies(options->has_policies, kErrors, err);
      code != cli::kContinue) {
    return code;
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
  if (int code = cli::WriteOutput(output, text, kErrors, out, err);
      code != cli::kContinue) {
    return code;
  }
  return ReplayExitStatus(*report);
}

}  // namespace leastpriv
