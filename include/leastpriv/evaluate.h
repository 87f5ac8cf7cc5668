// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Concrete evaluation: the decision AWS would make for one request under a
// set of policies. This is the reference semantics; the symbolic engine
// (analyzer.h) replays every witness it reports through Evaluate.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_EVALUATE_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_EVALUATE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/policy.h"

namespace leastpriv {

// The value of one request context key. Values are kept as strings, as in
// the request context AWS evaluates; the condition operator decides how they
// are read (number, date, IP address, Boolean, base64 binary, ARN).
struct ContextValue {
  std::vector<std::string> values;
  // True for multi-valued keys (dynamodb:LeadingKeys, dynamodb:Attributes,
  // aws:TagKeys, ...). A single-valued key has exactly one value.
  bool multi_valued = false;
};

// One request: who asks to do what on which resource, and in what context.
struct Request {
  std::string
      principal;       // principal ARN, e.g. arn:aws:iam::111122223333:role/app
  std::string action;  // "dynamodb:GetItem"
  std::string resource;  // table/index/stream/... ARN, or "*"
  // Context keys, matched case-insensitively. Keys absent here are absent
  // from the request (IfExists / Null / ForAllValues rules apply).
  std::map<std::string, ContextValue> context;
};

enum class DecisionKind { kAllowed, kImplicitlyDenied, kExplicitlyDenied };

// "Allowed", "ImplicitlyDenied", "ExplicitlyDenied".
std::string_view DecisionKindName(DecisionKind kind);

// A statement that took part in a decision.
struct StatementRef {
  PolicyKind policy_kind = PolicyKind::kIdentity;
  std::string policy_name;
  std::optional<std::string> sid;
  int index = 0;  // statement index within its policy
  SourcePos pos;
};

struct Decision {
  DecisionKind kind = DecisionKind::kImplicitlyDenied;
  // For kExplicitlyDenied: the matching Deny statements. For kAllowed: the
  // Allow statements that granted the request (identity, boundary, session,
  // SCP, RCP and resource-policy statements that matched). For
  // kImplicitlyDenied: empty.
  std::vector<StatementRef> statements;
  // For kImplicitlyDenied: which policy kind failed to allow
  // ("no identity or resource-based policy allows", "permissions boundary
  // does not allow", "SCP level 2 does not allow", ...).
  std::string reason;
};

// Decides `request` under `policies`, following AWS's documented evaluation
// logic ("Policy evaluation logic", IAM User Guide):
//
//  1. An explicit Deny in any policy that applies (identity, resource-based,
//     boundary, session, every SCP and RCP level) wins: kExplicitlyDenied.
//  2. Every SCP level and every RCP level must have a matching Allow
//     (organisations attach FullAWSAccess / RCPFullAWSAccess by default;
//     callers model that by including it). SCP statements ignore
//     Principal; RCP and resource-policy statements match it.
//  3. Same account (principal account == account in the resource ARN):
//     allowed when identity ∧ boundary (if any) ∧ session (if any) allow, or
//     when a resource-based policy Allow names the principal directly.
//     Per "Permissions boundaries for IAM entities" and "Session policies":
//     a grant naming the IAM user ARN, the role session ARN, or "*" is not
//     limited by the boundary or session policy; a grant naming the role ARN
//     (the request principal is the role, standing for its session, or a
//     session of it) is limited by both; a grant naming only the account
//     (id or arn:aws:iam::ID:root) delegates to identity policies and adds
//     nothing on its own.
//  4. Cross account ("Cross-account policy evaluation logic"): the
//     resource-based policy must allow (naming the principal or its
//     account) and identity ∧ boundary ∧ session must allow too.
//
// Resource-based policies apply when their PolicySet.resource key is the
// table name, the table ARN or the exact resource ARN of the request (index
// and stream ARNs belong to their table). A statement without Resource
// matches (in a resource-based policy: the resource it is attached to).
// Per the boundaries page, a resource-policy Deny with NotPrincipal always
// denies a principal that has a permissions boundary.
// A dynamodb: context key the action does not support (per the Service
// Authorization Reference, see ActionSupportsConditionKey in catalog.h) is
// read as absent: AWS never sends it with that action.
// Policy variables are substituted only in Version 2012-10-17 policies; an
// unresolved variable never lets a statement apply (that Resource entry
// matches nothing, that NotResource entry matches everything, a negated
// condition with it fails); see lib/eval/match.h for per-value rules.
//
// InvalidArgument for a request that is not well-formed (action not of the
// form service:action, empty resource, principal that is not an ARN) or a
// policy the evaluator cannot interpret (see CheckEvaluable).
absl::StatusOr<Decision> Evaluate(const PolicySet& policies,
                                  const Request& request);

// OK when Evaluate can interpret every policy of `policies`; otherwise
// InvalidArgument "file:line:col: unknown condition operator \"...\"".
absl::Status CheckEvaluable(const PolicySet& policies);

// Evaluate for many requests under one policy set: the policies are
// checked once (CheckEvaluable) and their statements indexed by the
// DynamoDB action they can match, so a request only visits the statements
// of its own action. Decisions are exactly Evaluate's.
//
// Thread-safe: Evaluate may be called from several threads at once.
class PolicyEvaluator {
 public:
  // Takes the policies over. InvalidArgument as CheckEvaluable.
  static absl::StatusOr<PolicyEvaluator> Create(PolicySet policies);

  PolicyEvaluator(PolicyEvaluator&&) noexcept;
  PolicyEvaluator& operator=(PolicyEvaluator&&) noexcept;
  ~PolicyEvaluator();

  // The same result as leastpriv::Evaluate(policies(), request).
  absl::StatusOr<Decision> Evaluate(const Request& request) const;

  const PolicySet& policies() const;

 private:
  struct Impl;
  explicit PolicyEvaluator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_EVALUATE_H_
