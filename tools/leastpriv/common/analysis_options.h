// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The analysis options every command that asks the solver shares:
//
//   --rlimit N                       solver resource limit per question
//   --[no-]exact-variables           AnalysisOptions::decide_free_variables
//                                    (on by default)
//   --context KEY=VALUE[,VALUE...]   a context key fixed for every request
//                                    (empty value: absent), for the commands
//                                    whose questions range over requests

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_COMMON_ANALYSIS_OPTIONS_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_COMMON_ANALYSIS_OPTIONS_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"

namespace leastpriv::cli {

// Help lines for --rlimit and --no-exact-variables, for a command's --help
// text (each command lists --context with its own options).
extern const char kAnalysisOptionsUsage[];

// When args[*i] is --rlimit, --exact-variables, --no-exact-variables or,
// with `context` not null, --context, reads it into `*options` or
// `*context`, leaves `*i` on its value (on the option itself for the
// flags) and returns true;
// returns false, and reads nothing, for any other argument. Errors are
// InvalidArgument: "--rlimit needs a value", "--rlimit expects a positive
// integer, not \"x\"", "--context expects KEY=VALUE[,VALUE...], not \"x\"".
// A --context key given twice keeps its last values.
absl::StatusOr<bool> ReadAnalysisOption(
    const std::vector<std::string>& args, std::size_t* i,
    AnalysisOptions* options,
    std::map<std::string, std::vector<std::string>>* context);

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_COMMON_ANALYSIS_OPTIONS_H_
