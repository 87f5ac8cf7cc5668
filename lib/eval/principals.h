// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// ARNs and principals, for resource-based policies and RCPs: how a
// statement's Principal block names the caller, and which resource policy
// applies to which resource.

#ifndef LEASTPRIV_LIB_EVAL_PRINCIPALS_H_
#define LEASTPRIV_LIB_EVAL_PRINCIPALS_H_

#include <string>
#include <string_view>

#include "leastpriv/policy.h"

namespace leastpriv::eval {

// The first five components of an ARN and the rest; ok is false when `arn`
// does not start with "arn:" or has fewer than six components.
struct ArnParts {
  std::string_view partition, service, region, account, resource;
  bool ok = false;
};
ArnParts SplitArn(std::string_view arn);

// How a resource-policy statement's principal element matched the request.
enum class PrincipalMatch {
  kNone,
  kDirect,        // the principal's own ARN
  kWildcard,      // "*" or {"AWS": "*"}, or a NotPrincipal that excludes it
  kSessionRole,   // the role ARN of the requesting role session
  kAccountLevel,  // the principal's account id or account root ARN
};

// The request principal, read once (views into the ARN it was read from).
struct PrincipalInfo {
  std::string_view arn;
  std::string_view account;
  bool is_user = false;
  bool is_role = false;
  bool is_session = false;
  std::string role_name;  // for a role or a role session
};

// Reads a principal ARN: its account, and whether it is an IAM user, an IAM
// role or an assumed-role session (with the role name).
PrincipalInfo ReadPrincipal(std::string_view arn);

// How a Principal/NotPrincipal block names `who`: the strongest grant of
// its entries (wildcard, direct, session role, account), or, for
// NotPrincipal, kWildcard when no entry names `who` and kNone otherwise.
PrincipalMatch MatchPrincipalBlock(const PrincipalBlock& block,
                                   const PrincipalInfo& who);

// True when a resource-based policy attached under `key` (a table name, a
// table ARN or an exact resource ARN) applies to `resource`; index and
// stream ARNs belong to their table.
bool ResourcePolicyApplies(std::string_view key, std::string_view resource);

// True when `resource` is in the principal's account (a resource without an
// ARN account counts as the principal's own).
bool SameAccount(const PrincipalInfo& who, std::string_view resource);

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_PRINCIPALS_H_
