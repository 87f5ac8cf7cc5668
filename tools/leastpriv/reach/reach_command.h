// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv reach [policy options] [--table NAME]... [--action ACTION]...
//                  [--context KEY=VALUE[,VALUE...]]... [--rlimit N]
//                  [--format text|json]`
//
// For every DynamoDB action of the catalog (or the --action ones), whether
// the policies allow some request, a witness request for each reachable
// action (already replayed through Evaluate), and the reachable resources
// per resource type. With --table, also the answer per named table.
//
// JSON: {"actions": [{"action", "reachable": "yes"|"no"|"unknown",
// "witness": {request}|null, "reason", "resources": [{"type", "patterns",
// "except", "examples"}]}], "tables": {"NAME": {"dynamodb:GetItem": "yes",
// ...}}}. Exit 0 when every action was decided, 2 for unusable input, 3
// when the solver could not decide some action.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_REACH_REACH_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_REACH_REACH_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and command names.
int RunReachCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_REACH_REACH_COMMAND_H_
