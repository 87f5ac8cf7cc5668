// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv simulate [policy options] --requests FILE|- [--format json|text]
//                     [--jobs N]`
//
// Decides each request of FILE (a JSON array of, or JSON lines of,
// {"action", "resource", "principal"?, "context"?: {key: value | [values]}};
// gzip-compressed or not; "-" for standard input) under the policies given
// by the shared policy options and prints, in request order, {"results":
// [{"decision", "statements": [{"policy", "kind", "sid", "file", "line"}],
// "reason"}]} (or one line per request with --format text). A resource that
// is not an ARN (and not "*") is a table name, expanded with --region and
// --account.
//
// The requests are streamed: read one at a time, decided in chunks by
// --jobs N threads (1 by default) with the policies parsed, indexed and
// checked once (PolicyEvaluator), and written in input order, so memory
// does not grow with the number of requests and the output is the same
// for every N. Exit 0 when every request was decided, 2 for unusable input
// (with a positioned diagnostic, FILE:LINE:COL). The first megabyte of
// output is held back, so an error early in the input leaves the output
// empty; past it, the output written before the error stays (incomplete).

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
