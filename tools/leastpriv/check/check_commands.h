// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv check-access-not-granted [policy options] --action ACTION...
//      [--resource ARN...] [--context KEY=VALUE[,VALUE...]]... [--rlimit N]
//      [--format text|json]`
//
// Whether the policies grant any of the actions (names or patterns such as
// "dynamodb:Delete*") on any of the resources (concrete ARNs; none means
// every resource), in any request context (leastpriv/diff.h,
// CheckAccessNotGranted). Each granted pair comes with a witness request
// and the Allow statements responsible. JSON: {"verdict":
// "pass"|"fail"|"unknown", "granted": [{"action", "resource", "witness",
// "statements", "conditional", "only_if"}], "undecided": [{"action",
// "resource", "reason"}]}.
//
// `leastpriv check-no-public-access [--format text|json] FILE...`
//
// Whether DynamoDB table or stream resource-based policies allow access to
// anyone (leastpriv/diff.h, CheckNoPublicAccess, which documents the
// conditions that count as pinning the caller). JSON: {"verdict",
// "findings": [{"file", "line", "column", "sid", "principal", "why"}]}.
//
// Exit for both: 0 pass, 1 fail, 2 unusable input
// ("leastpriv: error: file:line:col: message"), 3 undecided.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_CHECK_CHECK_COMMANDS_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_CHECK_CHECK_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` exclude the program and command names.
int RunCheckAccessNotGrantedCommand(const std::vector<std::string>& args,
                                    std::ostream& out, std::ostream& err);

// `args` exclude the program and command names.
int RunCheckNoPublicAccessCommand(const std::vector<std::string>& args,
                                  std::ostream& out, std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_CHECK_CHECK_COMMANDS_H_
