// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/common/analysis_options.h"

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace leastpriv::cli {

const char kAnalysisOptionsUsage[] =
    "analysis options:\n"
    "  --rlimit N                    solver resource limit per question\n"
    "  --max-solver-questions N      at most N solver questions per analysis\n"
    "                                (each within --rlimit), the rest\n"
    "                                unknown; 0: no bound (default 1000)\n"
    "  --no-exact-variables          leave free policy variables unknown in\n"
    "                                the shapes the first pass cannot decide\n"
    "                                (two in one value, after a wildcard, "
    "...);\n"
    "                                faster on large sets (--exact-variables,\n"
    "                                deciding them, is the default)\n";

absl::StatusOr<bool> ReadAnalysisOption(
    const std::vector<std::string>& args, std::size_t* i,
    AnalysisOptions* options,
    std::map<std::string, std::vector<std::string>>* context) {
  const std::string& arg = args[*i];
  if (arg == "--exact-variables" || arg == "--no-exact-variables") {
    options->decide_free_variables = arg == "--exact-variables";
    return true;
  }
  if (arg != "--rlimit" && arg != "--max-solver-questions" &&
      (arg != "--context" || context == nullptr)) {
    return false;
  }
  if (*i + 1 >= args.size()) {
    return absl::InvalidArgumentError(arg + " needs a value");
  }
  const std::string& value = args[++*i];
  if (arg == "--rlimit") {
    std::uint64_t n = 0;
    if (!absl::SimpleAtoi(value, &n) || n == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--rlimit expects a positive integer, not \"", value, "\""));
    }
    options->rlimit = n;
    return true;
  }
  if (arg == "--max-solver-questions") {
    std::uint64_t n = 0;
    if (!absl::SimpleAtoi(value, &n)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--max-solver-questions expects a non-negative "
                       "integer, not \"",
                       value, "\""));
    }
    options->max_solver_questions = n;
    return true;
  }
  const std::size_t eq = value.find('=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--context expects KEY=VALUE[,VALUE...], not \"", value, "\""));
  }
  std::vector<std::string> values;
  if (eq + 1 < value.size()) {
    values = absl::StrSplit(value.substr(eq + 1), ',');
  }
  (*context)[value.substr(0, eq)] = std::move(values);
  return true;
}

}  // namespace leastpriv::cli
