// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Per-value predicates of the IAM policy language: action and ARN matching,
// one condition operator on one pair of values, policy-variable substitution,
// and a whole condition clause. The typed values the operators read
// (typed_values.h) and the principal and resource-policy rules
// (principals.h) are included here, so this header is the one the evaluator
// and the engine include. Evaluate (leastpriv/evaluate.h) is built from
// these; the symbolic engine uses the same functions to classify atoms, so
// both agree by construction.

#ifndef LEASTPRIV_LIB_EVAL_MATCH_H_
#define LEASTPRIV_LIB_EVAL_MATCH_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/eval/principals.h"
#include "lib/eval/typed_values.h"
#include "lib/glob/glob.h"

namespace leastpriv::eval {

// Action and ARN matching, and the substituted patterns they take, are the
// one IAM wildcard matcher of lib/glob; the evaluator and the symbolic
// engine use them under these names.
using ::leastpriv::ActionMatches;
using ::leastpriv::ArnMatches;
using ::leastpriv::ColonSplit;
using ::leastpriv::GlobPattern;
using ::leastpriv::SplitAtColons;

// Returns the positive operator of a negated one (StringNotEquals ->
// StringEquals, NotIpAddress -> IpAddress, ArnNotLike -> ArnLike, ...), or
// `op` itself; sets *negated accordingly (may be null).
ConditionOperator PositiveOperator(ConditionOperator op, bool* negated);

// One operator (no IfExists/qualifier) applied to one policy value (after
// variable substitution) and one request value.
//
// False when the request value (or the policy value) does not parse as the
// operator's type (number, date, IP address or CIDR, Boolean, base64). For a
// negated operator (StringNotEquals, NotIpAddress, ArnNotLike, ...) the result
// is the negation of the positive operator's result when both values parse,
// and false when either does not. A negated clause with several policy values
// holds for a request value when ConditionValueMatches holds for every policy
// value (AWS: "does not match any of the values").
//
// Types: Numeric* reads decimal numbers; Date* reads ISO 8601 dates
// ("2024-01-31", "2024-01-31T10:00:00Z", with optional fraction and offset)
// and epoch seconds; Bool reads "true"/"false" (any case); BinaryEquals
// compares the base64-decoded bytes of both values; IpAddress reads IPv4 and
// IPv6 addresses and CIDR blocks; Arn* use ArnMatches (ArnEquals and ArnLike
// both honour wildcards, as AWS documents). StringLike/ArnLike treat every
// '*' and '?' in `policy_value` as wildcards; use the GlobPattern overload
// for substituted values. Null is not a value operator: always false.
bool ConditionValueMatches(ConditionOperator op, std::string_view policy_value,
                           std::string_view request_value);
bool ConditionValueMatches(ConditionOperator op,
                           const GlobPattern& policy_value,
                           std::string_view request_value);

// Looks up a context key case-insensitively; nullptr when absent.
const ContextValue* FindContextValue(const Request& request,
                                     std::string_view key);

// Substitutes ${...} policy variables in `value` from the request context
// (keys looked up case-insensitively; principal-derived keys such as
// aws:username or aws:PrincipalTag/k must be present in the context map).
// ${*}, ${?} and ${$} produce literal '*', '?' and '$'; substituted values
// are literal too. ${key, 'default'} uses the default when the key is
// absent. Text outside ${...} keeps '*' and '?' as wildcards. Returns
// nullopt when a variable is absent (or multi-valued) and has no default:
// the value then matches nothing. An unterminated "${" is kept literally.
std::optional<GlobPattern> SubstituteVariables(std::string_view value,
                                               const Request& request);

// The whole clause: set qualifier, IfExists, Null, negated operators, missing
// keys. `variables_enabled` is true for policies of Version 2012-10-17; when
// false "${...}" is ordinary text.
//
// Rules: several policy values are OR-ed (for negated operators: the request
// value must match none of them). Key missing: ...IfExists -> true;
// ForAllValues -> true; ForAnyValue -> false; negated operator -> true;
// otherwise false. Null:"true" holds when the key is absent (or an empty
// set), Null:"false" when present. A multi-valued key without a qualifier is
// read as ForAnyValue. ForAllValues holds when every request value matches
// (true for an empty set); ForAnyValue when at least one does.
// An unknown operator never holds (Evaluate rejects it earlier).
bool ConditionHolds(const Condition& condition, const Request& request,
                    bool variables_enabled);

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_MATCH_H_
