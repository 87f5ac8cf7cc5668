// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/review/review_command.h"

#include <fstream>
#include <string>
#include <vector>

#include "leastpriv/review.h"
#include "tools/leastpriv/common/analysis_options.h"
#include "tools/leastpriv/common/errors.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv review --base DIR --head DIR [--config FILE]\n"
    "                        [--format json|sarif|markdown] [--output FILE] "
    "[--rlimit N]\n"
    "                        [--no-exact-variables]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);

}  // namespace

int RunReviewCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err) {
  std::string base, head, format = "json", output;
  ReviewOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << cli::kAnalysisOptionsUsage;
      return 0;
    }
    absl::StatusOr<bool> analysis_option =
        cli::ReadAnalysisOption(args, &i, &options.analysis, nullptr);
    if (!analysis_option.ok()) {
      return kErrors.Usage(err,
                           std::string(analysis_option.status().message()));
    }
    if (*analysis_option) continue;
    if (arg == "--base" || arg == "--head" || arg == "--config" ||
        arg == "--format" || arg == "--output") {
      if (i + 1 >= args.size())
        return kErrors.Usage(err, arg + " needs a value");
      const std::string& value = args[++i];
      if (arg == "--base") {
        base = value;
      } else if (arg == "--head") {
        head = value;
      } else if (arg == "--config") {
        options.config = value;
      } else if (arg == "--format") {
        format = value;
      } else {
        output = value;
      }
      continue;
    }
    return kErrors.Usage(err,
                         (arg.rfind("-", 0) == 0 ? "unknown option \""
                                                 : "unexpected argument \"") +
                             arg + "\"");
  }
  if (base.empty() || head.empty()) {
    return kErrors.Usage(err, "--base and --head are required");
  }
  if (format != "json" && format != "sarif" && format != "markdown") {
    return kErrors.Usage(
        err,
        "--format must be json, sarif or markdown, not \"" + format + "\"");
  }
  absl::StatusOr<ReviewResult> result = Review(base, head, options);
  if (!result.ok()) {
    err << "leastpriv: error: " << result.status().message() << "\n";
    return 2;
  }
  const std::string text = format == "json"    ? ReviewJson(*result)
                           : format == "sarif" ? ReviewSarif(*result)
                                               : ReviewMarkdown(*result);
  if (output.empty()) {
    out << text;
  } else {
    std::ofstream file(output, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) {
      err << "leastpriv: error: " << output << ": cannot write\n";
      return 2;
    }
  }
  if (result->verdict == "unknown") return 3;
  return result->verdict == "changes" ? 1 : 0;
}

}  // namespace leastpriv
