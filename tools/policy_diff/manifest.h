// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The policy-set manifest read by `policy-diff --old-dir/--new-dir`: a file
// `policies.json` in a directory that names the policy files (relative to
// that directory) of one side of a comparison:
//
//   {
//     "identity": ["role.json", "managed/readonly.json"],
//     "boundary": "boundary.json",
//     "session": "session.json",
//     "scps": ["org_root.json", ["ou_a.json", "ou_a_extra.json"]],
//     "rcps": ["rcp_root.json"],
//     "resource_policies": {"Orders": "orders_policy.json",
//                           "arn:aws:dynamodb:...:table/Audit": ["a.json"]}
//   }
//
// Every member is optional, but the manifest must name at least one policy.
// "scps" and "rcps" list organisation levels, root first; a level is one
// file or an array of files (the policies attached at that level).
// "resource_policies" maps a table (name or ARN) to one file or an array.

#ifndef LEASTPRIV_TOOLS_POLICY_DIFF_MANIFEST_H_
#define LEASTPRIV_TOOLS_POLICY_DIFF_MANIFEST_H_

#include <string>

#include "absl/status/statusor.h"
#include "leastpriv/policy.h"

namespace leastpriv::cli {

// The manifest's file name inside a directory.
inline constexpr char kManifestName[] = "policies.json";

// Reads DIR/policies.json and loads every policy it names. Errors are
// InvalidArgument "DIR/policies.json:line:col: message" for a malformed
// manifest (bad JSON, unknown member, wrong type, no policy named),
// NotFound for a missing manifest, and the policy loader's errors
// ("DIR/role.json:3:5: ...") for the policy files.
absl::StatusOr<PolicySet> LoadPolicyManifest(const std::string& dir);

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_POLICY_DIFF_MANIFEST_H_
