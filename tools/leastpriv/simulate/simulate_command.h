// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv simulate [policy options] --requests FILE [--format json|text]`
//
// Decides each request in FILE (a JSON array of
// {"action", "resource", "principal"?, "context"?: {key: value | [values]}})
// under the policies given by the shared policy options and prints, in
// request order, {"results": [{"decision", "statements": [{"policy", "kind",
// "sid", "file", "line"}], "reason"}]} (or one line per request with
// --format text). A resource that is not an ARN (and not "*") is a table name,
// expanded with --region and --account. Exit 0 when every request was
// decided, 2 for unusable input (with a positioned diagnostic).

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_SIMULATE_SIMULATE_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_SIMULATE_SIMULATE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and command names.
int RunSimulateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_SIMULATE_SIMULATE_COMMAND_H_
