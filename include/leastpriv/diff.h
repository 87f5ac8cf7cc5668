// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policy comparison and access checks for change review: "does this change
// grant any new access?", "do these policies grant any of these actions on
// these resources?" and "is this table policy open to the public?".
//
// DiffPolicies and CheckAccessNotGranted are exact: they are answered by the
// symbolic engine's one primitive (analyzer.h, FindAllowedDifference: "is
// there a request that A allows and B does not?"), per DynamoDB action, and
// every reported access comes with a concrete witness request that has been
// replayed through Evaluate on both sides. A solver `unknown` (resource
// limit) or a construct the engine does not model exactly (see analyzer.h)
// makes the verdict kUnknown; it is never reported as "no new access" or
// "not granted".
//
// CheckNoPublicAccess is a syntactic check of one resource-based policy; the
// rules it applies are documented at the function.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_DIFF_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_DIFF_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

namespace leastpriv {

// The outcome of a comparison.
enum class DiffVerdict {
  kNoNewAccess,  // every request the new set allows, the old set allows
  kNewAccess,    // some request is allowed by the new set only (witnessed)
  kUnknown,      // undecided for some action; no new access was found
};

// "no_new_access", "new_access", "unknown".
std::string_view DiffVerdictName(DiffVerdict verdict);

// An Allow statement of an identity policy that matches a witness's action
// and resource but whose Condition block does not hold for its context.
struct UnmetConditions {
  StatementRef statement;
  // The conditions that fail on their own, as "Operator key" (e.g.
  // "Bool aws:SecureTransport"); empty when only their combination fails.
  std::vector<std::string> conditions;
};

// Access that one side grants and the other does not, for one action.
struct AccessChange {
  std::string action;  // "dynamodb:PutItem"
  // The resources concerned (the resource classes of the difference),
  // summarized as ARN patterns minus exceptions per resource type, as in
  // Reachable. "*" for wildcard-only actions.
  std::vector<ResourceSummary> resources;
  // A concrete request allowed by the granting side and denied by the
  // other. When a condition changed, the witness context shows it (e.g. it
  // lacks aws:SecureTransport, or sets it to "false").
  Request witness;
  // Evaluate's decision for the witness on the side that grants it: its
  // `statements` are the Allow statements responsible (file, line, Sid).
  Decision granted_by;
  // Evaluate's decision for the witness on the other side: the Deny
  // statements that deny it, or the reason it is implicitly denied.
  Decision denied_by;
  // When the other side denies implicitly: its identity-policy Allow
  // statements that would grant the witness but for their conditions. This
  // is how a tightened or loosened condition shows up.
  std::vector<UnmetConditions> unmet_conditions;
  // Non-empty when some resource classes were left undecided, so that
  // `resources` may be incomplete (the access itself is certain).
  std::string note;
};

// An action for which one direction of the comparison was not decided.
struct UndecidedAction {
  std::string action;
  bool new_direction = true;  // true: "new allows, old denies" undecided
  std::string reason;         // solver reason or unsupported construct
};

// The result of DiffPolicies.
struct PolicyDiff {
  DiffVerdict verdict = DiffVerdict::kUnknown;
  // Access the new set grants and the old set does not, in catalog order.
  std::vector<AccessChange> new_access;
  // Access the old set grants and the new set does not, in catalog order.
  std::vector<AccessChange> removed_access;
  // Directions the engine could not decide, in catalog order.
  std::vector<UndecidedAction> undecided;
};

// Compares two policy sets over every DynamoDB action of the catalog (or of
// scope.actions) within `scope`, in both directions.
//
// The verdict is kNewAccess when some action has witnessed new access (even
// if other actions are undecided), kUnknown when no new access was found but
// the "new allows, old denies" direction of some action is undecided, and
// kNoNewAccess only when that direction was decided "no" for every action.
// Undecided removals are listed but do not change the verdict.
//
// Errors: InvalidArgument for an unknown action in scope.actions or a
// policy Evaluate cannot interpret (see CheckEvaluable); Internal when a
// witness does not replay.
absl::StatusOr<PolicyDiff> DiffPolicies(const PolicySet& old_set,
                                        const PolicySet& new_set,
                                        const AnalysisScope& scope = {},
                                        const AnalysisOptions& options = {});

// The outcome of a check.
enum class CheckVerdict {
  kPass,     // the property holds
  kFail,     // it does not (with evidence)
  kUnknown,  // undecided; never reported as kPass
};

// "pass", "fail", "unknown".
std::string_view CheckVerdictName(CheckVerdict verdict);

// One granted (action, resource) pair.
struct GrantedAccess {
  std::string action;    // "dynamodb:DeleteTable"
  std::string resource;  // as asked; "*" for wildcard-only actions or when
                         // no resources were given
  // A request on it that is allowed, replayed through Evaluate.
  Request witness;
  // The Allow statements responsible (Evaluate's decision on the witness).
  std::vector<StatementRef> statements;
  // True when only some request contexts are allowed; `only_if` then
  // renders the condition (e.g. "aws:SecureTransport = true").
  bool conditional = false;
  std::string only_if;
};

// An (action, resource) pair the engine could not decide.
struct UndecidedAccess {
  std::string action;
  std::string resource;
  std::string reason;
};

// The result of CheckAccessNotGranted.
struct AccessNotGrantedCheck {
  CheckVerdict verdict = CheckVerdict::kUnknown;
  std::vector<GrantedAccess> granted;  // for kFail
  std::vector<UndecidedAccess> undecided;
};

// Whether `policies` grant none of `actions` on any of `resources`, in any
// request context allowed by `scope` (like IAM Access Analyzer's
// CheckAccessNotGranted). kFail when some pair is granted in some context,
// kUnknown when no pair is granted but some pair is undecided, kPass
// otherwise.
//
// `actions` are DynamoDB action names or patterns ("dynamodb:Put*",
// "dynamodb:*"), expanded with the catalog. `resources` are concrete ARNs;
// each is checked against the actions whose resource types it fits (a
// stream ARN is not checked for GetItem). Wildcard-only actions are checked
// on "*" whatever the resources. When `resources` is empty, every resource
// within `scope` is checked.
//
// REQUIRES: `actions` non-empty. InvalidArgument for an action pattern
// that matches no DynamoDB action, a resource that contains a wildcard, a
// resource list none of whose ARNs fits any of the actions, or a policy
// Evaluate cannot interpret.
absl::StatusOr<AccessNotGrantedCheck> CheckAccessNotGranted(
    const PolicySet& policies, const std::vector<std::string>& actions,
    const std::vector<std::string>& resources, const AnalysisScope& scope = {},
    const AnalysisOptions& options = {});

// One statement of a resource-based policy that opens access to anyone.
struct PublicGrant {
  StatementRef statement;
  std::string principal;  // as written: "*", "AWS:*", "NotPrincipal"
  // Why the statement's conditions do not restrict the caller: the
  // condition keys present that do not count as pinning, or "no condition".
  std::string why;
};

// The result of CheckNoPublicAccess.
struct PublicAccessCheck {
  CheckVerdict verdict = CheckVerdict::kPass;  // kPass or kFail
  std::vector<PublicGrant> grants;             // for kFail, statement order
};

// Whether a DynamoDB table or stream resource-based policy allows access to
// anyone. A statement makes the policy public when all of these hold:
//   - Effect is Allow;
//   - the principal is anyone: "Principal": "*", {"AWS": "*"} (also within
//     a list), or any NotPrincipal (allowing everyone but the named ones);
//   - its Action names some DynamoDB action (patterns are expanded; a
//     NotAction always does);
//   - no condition of the statement pins the caller, where a condition pins
//     when its operator is StringEquals, StringEqualsIgnoreCase or
//     StringLike (for ARN keys also ArnEquals and ArnLike), without
//     IfExists and without a ForAllValues:/ForAnyValue: qualifier, and
//     every value is non-empty and
//       - for aws:PrincipalAccount, aws:SourceAccount: a 12-digit account
//         id, or "${aws:ResourceAccount}";
//       - for aws:PrincipalOrgID, aws:SourceOrgID: an organization id
//         without wildcards, or "${aws:ResourceOrgID}";
//       - for aws:SourceVpc, aws:SourceVpce: an id without wildcards;
//       - for aws:PrincipalArn, aws:SourceArn: an ARN whose account field is
//         a 12-digit account id (wildcards elsewhere are allowed).
// Other keys (aws:SecureTransport, aws:SourceIp, aws:PrincipalOrgPaths,
// aws:PrincipalTag/..., aws:userid, ...) do not pin the caller's account.
// Deny statements are not credited: a policy whose public Allow is cut back
// by a Deny is still reported (review it by hand).
PublicAccessCheck CheckNoPublicAccess(const Policy& resource_policy);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_DIFF_H_
