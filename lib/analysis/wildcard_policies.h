// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Generated identity policies shaped like hand-written and generated
// (Terraform, managed) ones at their most wildcard-heavy: infix `*` and `?`
// in table names, wildcard regions and accounts, every resource type,
// NotResource, and policy variables. Used by the engine's differential tests
// and benchmarks.

#ifndef LEASTPRIV_LIB_ANALYSIS_WILDCARD_POLICIES_H_
#define LEASTPRIV_LIB_ANALYSIS_WILDCARD_POLICIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/policy.h"

namespace leastpriv::testing_policies {

struct WildcardPolicyOptions {
  int statements = 88;
  unsigned seed = 1;
  // Statements whose Resource or condition values use policy variables
  // (${aws:username}, ${aws:PrincipalTag/tenant}, ...).
  bool variables = true;
  // Conditions besides variables (SecureTransport, LeadingKeys, ...).
  bool conditions = true;
  // Table names drawn from a pool of this size.
  int tables = 12;
};

// A policy document (JSON) with `options.statements` statements.
std::string WildcardPolicyJson(const WildcardPolicyOptions& options);

// That document parsed (as "generated.json"), as the one identity policy
// of a set.
absl::StatusOr<PolicySet> WildcardPolicySet(
    const WildcardPolicyOptions& options);

// Concrete resource ARNs of every resource type that the generated
// patterns distinguish (matching and near misses), for brute-force checks.
std::vector<std::string> WildcardProbeResources(unsigned seed, int tables = 12);

}  // namespace leastpriv::testing_policies

#endif  // LEASTPRIV_LIB_ANALYSIS_WILDCARD_POLICIES_H_
