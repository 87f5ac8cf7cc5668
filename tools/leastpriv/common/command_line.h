// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The command-line handling the leastpriv commands share past the policy
// options: "--name VALUE" options and --help, --format, --jobs, --output,
// and the check that some policy was given. Each returns the exit status
// to end the command with, or kContinue.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_COMMON_COMMAND_LINE_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_COMMON_COMMAND_LINE_H_

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/leastpriv/common/errors.h"

namespace leastpriv::cli {

// Not an exit status: the command goes on.
inline constexpr int kContinue = -1;

// One option as given: "--jobs" and "4".
using OptionValue = std::pair<std::string, std::string>;

// Reads `args`, each of which must be one of `options` followed by its
// value, or --help / -h (prints `help` to `out`, returns 0). Fills
// `*values` in the order given and returns kContinue; otherwise prints
// "--x needs a value", "unknown option \"--x\"" or "unexpected argument
// \"x\"" with the usage and returns 2.
int ReadOptions(const std::vector<std::string>& args,
                std::initializer_list<std::string_view> options,
                const CommandErrors& errors, std::string_view help,
                std::ostream& out, std::ostream& err,
                std::vector<OptionValue>* values);

// kContinue when `format` is one of `formats`; otherwise 2 after
// "--format must be json or text, not \"yaml\"".
int CheckFormat(const std::string& format,
                std::initializer_list<std::string_view> formats,
                const CommandErrors& errors, std::ostream& err);

// --jobs N: 1 to 1024 threads. kContinue with `*jobs` set (unchanged when
// `text` is empty), or 2 after "--jobs must be a number from 1 to 1024".
int ParseJobs(const std::string& text, const CommandErrors& errors,
              std::ostream& err, int* jobs);

// kContinue when policies were given; otherwise 2 after "no policies
// given (use --policy or another policy option)".
int RequirePolicies(bool has_policies, const CommandErrors& errors,
                    std::ostream& err);

// Writes `text` to `out`, or to the file `path` when it is not empty.
// kContinue, or 2 after "PATH: cannot write file".
int WriteOutput(const std::string& path, const std::string& text,
                const CommandErrors& errors, std::ostream& out,
                std::ostream& err);

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_COMMON_COMMAND_LINE_H_
