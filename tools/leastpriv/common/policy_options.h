// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The policy options every leastpriv command shares:
//
//   --policy FILE                  identity policy (repeatable)
//   --resource-policy TABLE=FILE   resource-based policy of a table (name or
//                                  ARN; repeatable)
//   --boundary FILE                permissions boundary
//   --session-policy FILE          session policy
//   --scp FILE[,FILE...]           SCPs; each use is one organisation level,
//                                  root first, holding the policies of its
//                                  files (repeatable; see
//                                  LoadOrganizationLevel in
//                                  leastpriv/project.h)
//   --rcp FILE[,FILE...]           RCPs; each use is one level (repeatable)
//   --principal ARN                the requesting principal
//   --account ID                   the principal's / tables' account
//   --region NAME                  region for table names given without ARN
//   --authorization-details FILE --role NAME
//                                  the role's identity policies and boundary
//                                  from `aws iam
//                                  get-account-authorization-details`
//   --authorization-details FILE --all-roles
//                                  every role of that file, for the commands
//                                  that accept it (PolicyOptionsSyntax)

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_COMMON_POLICY_OPTIONS_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_COMMON_POLICY_OPTIONS_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/policy.h"

namespace leastpriv::cli {

// Usage lines for the shared options, for a command's --help text.
extern const char kPolicyOptionsUsage[];

struct PolicyOptions {
  PolicySet policies;
  std::string principal;  // empty when not given
  std::string account;    // empty when not given
  std::string region;     // empty when not given
  // True when at least one policy was given (or --all-roles with
  // --authorization-details).
  bool has_policies = false;
  // --authorization-details FILE; empty when not given.
  std::string authorization_details;
  // --all-roles (see PolicyOptionsSyntax): every role of
  // authorization_details, which ParsePolicyOptions does not load, or,
  // without it, every role the command finds elsewhere (`check`: the roles
  // of leastpriv.json).
  bool all_roles = false;
};

// The optional forms a command accepts besides the shared options.
struct PolicyOptionsSyntax {
  // --all-roles, with --authorization-details FILE in place of --role NAME
  // (the command loads and checks every role of the file) or alone (the
  // command finds the roles elsewhere). Incompatible with --role and
  // --principal (each role is its own principal).
  bool all_roles = false;
};

// Consumes the shared policy options from `args`, loads every named file and
// returns the result; every other argument is appended to `*rest` in order
// (REQUIRES: rest != nullptr). Errors are InvalidArgument for a missing or
// malformed option value ("--policy needs a value", "--resource-policy
// expects TABLE=FILE"), --role without --authorization-details and vice
// versa; file errors keep the loader's code and "file:line:col: message".
// When --principal is absent but --role is given, the principal is the
// role's Arn in the file, or, for an entry without one, with --account,
// arn:aws:iam::ACCOUNT:role/NAME. --all-roles is consumed only
// when `syntax.all_roles`; otherwise it is left in `*rest` like any
// argument the shared options do not know. With it, InvalidArgument for
// --all-roles with --role or --principal.
absl::StatusOr<PolicyOptions> ParsePolicyOptions(
    const std::vector<std::string>& args, std::vector<std::string>* rest,
    const PolicyOptionsSyntax& syntax = PolicyOptionsSyntax());

// Prints the diagnostic for a status ParsePolicyOptions returned,
// "TOOL: error: message", followed by `usage` when the options themselves
// are at fault ("--policy needs a value"), and returns the exit status 2.
int PolicyOptionsError(const absl::Status& status, std::string_view tool,
                       std::string_view usage, std::ostream& err);

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_COMMON_POLICY_OPTIONS_H_
