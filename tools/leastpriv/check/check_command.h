// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv check --code DIR [policy options] [--bind KEY=TABLE]...
//                  [--config FILE] [--format text|json|sarif|markdown]
//                  [--output FILE] [--fail-on LEVEL] [--include-tests]
//                  [--rlimit N]`
//
// Scans DIR, resolves table names (--bind, then the config file, then
// defaults found in the code), and compares what the code uses with what
// the policies allow (see leastpriv/report.h). The configuration file is
// --config, or DIR/leastpriv.json when that exists. The account and region
// come from --account/--region, then the config file, then the table ARNs
// of the policies when they all agree.
//
// Exit 0 when nothing is missing and no excess reaches --fail-on (default
// "any"), 1 otherwise, 2 for unusable input, 3 when the solver could not
// decide some question (the report is still written).

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_CHECK_CHECK_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_CHECK_CHECK_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and command names. Text output is coloured
// only when `out` is the standard output, it is a terminal and NO_COLOR is
// not set.
int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_CHECK_CHECK_COMMAND_H_
