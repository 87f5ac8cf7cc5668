// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv check --code DIR [policy options] [--bind KEY=TABLE]...
//                  [--config FILE] [--format text|json|sarif|markdown]
//                  [--output FILE] [--fail-on LEVEL] [--include-tests]
//                  [--include-vendored] [--rlimit N]
//                  [--cloudtrail FILE|DIR|-]...`
//
// Scans DIR, resolves table names (--bind, then the config file, then
// defaults found in the code), and compares what the code uses with what
// the policies allow (see leastpriv/report.h). The configuration file is
// --config, or DIR/leastpriv.json when that exists; it is read and
// resolved by LoadProject (leastpriv/project.h), as `leastpriv review`
// reads it. Without policy options, the policies are those of the file
// (the role "code_role" names, or its one role), and without --code the
// code is the file's "code". The account and region come from
// --account/--region, then the config file, then the table ARNs of the
// policies when they all agree. Like `leastpriv scan`, the scan skips
// virtualenvs and installed packages unless --include-vendored.
//
// Exit 0 when nothing is missing and no excess reaches --fail-on (default
// "any"), 1 otherwise, 2 for unusable input, 3 when the solver could not
// decide some question (the report is still written).
//
// `leastpriv check --code DIR --authorization-details FILE --all-roles
//                  [--jobs N] [the options above]`
//
// Checks every role of FILE (RoleDetailList), each with its inline, managed
// and boundary policies plus the policies given on the command line, as
// --role NAME would, on N threads (default: one per hardware thread). DIR
// is scanned once. Each role is its own principal (its Arn), so --principal
// is refused and the configuration file's "principal" is not used. The
// report lists the roles by name (RenderBatch* in leastpriv/report.h); a
// role that cannot be checked (bad policies, unknown account, ...) gets its
// error there and on the error stream, and the others are still checked.
// With --cloudtrail, each role's own recorded requests are added to its
// used set (the logs are read once per role).
// Exit status: the worst over the roles, 2 before 3 before 1 before 0
// (BatchExitStatus); 2 with no report for unusable input as a whole (the
// options, FILE itself, a FILE listing no roles, the scan).

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
