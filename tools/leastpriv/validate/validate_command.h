// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv validate FILE... [--format text|json]
//                     [--kind identity|resource|boundary|scp|rcp|session]`
//
// Checks policy files and prints one finding per line,
//   file:line:col: severity: [CODE] message
// or, with --format json,
//   {"files": [{"file": ..., "findings": [{"code", "severity", "message",
//                                          "line", "column"}]}]}
// Files that cannot be used (unreadable, not JSON, over a limit, not a
// policy) are reported on `err` as
//   leastpriv: error: file:line:col: message
// (and, in JSON, as their one finding).
//
// Exit status: 0 when no file has a finding at warning level or above
// (suggestions do not count), 1 when some file has, 2 for unusable input or
// bad usage.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_VALIDATE_VALIDATE_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_VALIDATE_VALIDATE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and subcommand names.
int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_VALIDATE_VALIDATE_COMMAND_H_
