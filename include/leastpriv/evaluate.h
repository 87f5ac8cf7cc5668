// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Concrete evaluation: the decision AWS would make for one request under a
// set of policies. This is the reference semantics; the symbolic engine
// (analyzer.h) replays every witness it reports through Evaluate.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_EVALUATE_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_EVALUATE_H_

#include <map>
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
  std::string principal;  // principal ARN, e.g. arn:aws:iam::111122223333:role/app
  std::string action;     // "dynamodb:GetItem"
  std::string resource;   // table/index/stream/... ARN, or "*"
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

// Decides `request` under `policies`. InvalidArgument for a request that is
// not well-formed (empty action, malformed principal ARN) or a policy the
// evaluator cannot interpret (unknown condition operator).
absl::StatusOr<Decision> Evaluate(const PolicySet& policies,
                                  const Request& request);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_EVALUATE_H_
