// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `policy-diff OLD NEW [policy options] [options]`
// `policy-diff --old-dir DIR --new-dir DIR [policy options] [options]`
//
// Compares two policy sets (leastpriv/diff.h, DiffPolicies) and reports the
// DynamoDB access the new set grants that the old one does not, and the
// access it removes, each with the resources concerned, a witness request
// (allowed by one side, denied by the other, replayed through Evaluate) and
// the statements responsible.
//
// OLD and NEW are identity policy files. With --old-dir/--new-dir, each
// directory holds a manifest, policies.json (see manifest.h), naming every
// policy of that side. The shared policy options (policy_options.h) add the
// same policies to both sides (e.g. --scp, --boundary, --account).
//
// Options: --action ACTION (repeatable), --table NAME (repeatable),
// --context KEY=VALUE[,VALUE...], --rlimit N, --format text|json|markdown.
//
// JSON: {"verdict": "no_new_access"|"new_access"|"unknown",
// "new_access": [CHANGE], "removed_access": [CHANGE], "undecided":
// [{"action", "direction": "new"|"removed", "reason"}]} where CHANGE is
// {"action", "resources": [{"type", "patterns", "except", "examples"}],
// "witness": {request}, "statements": [{"file", "line", "sid",
// "policy_kind", "policy"}], "other_side": {"decision", "reason",
// "statements", "unmet_conditions": [{"statement", "conditions"}]},
// "note"}.
//
// Exit: 0 no new access, 1 new access, 2 unusable input
// ("policy-diff: error: file:line:col: message"), 3 undecided (never 0).

#ifndef LEASTPRIV_TOOLS_POLICY_DIFF_DIFF_COMMAND_H_
#define LEASTPRIV_TOOLS_POLICY_DIFF_DIFF_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program name.
int RunPolicyDiffCommand(const std::vector<std::string>& args,
                         std::ostream& out, std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_POLICY_DIFF_DIFF_COMMAND_H_
