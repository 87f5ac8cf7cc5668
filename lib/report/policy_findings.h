// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Findings about the policies of a check: the validator's, and table
// policies that open a table to everyone or to another account.
//
// Kept in its own translation unit: validate.h and pyscan.h both declare a
// leastpriv::Finding, so no file may include both.

#ifndef LEASTPRIV_LIB_REPORT_POLICY_FINDINGS_H_
#define LEASTPRIV_LIB_REPORT_POLICY_FINDINGS_H_

#include <string>
#include <vector>

#include "leastpriv/policy.h"

namespace leastpriv::report {

struct PolicyFinding {
  std::string id;        // "unknown-action", "public-table-policy", ...
  std::string severity;  // "high", "medium", "low"
  std::string message;
  SourcePos pos;
};

// Validator findings for every policy of `policies` (codes in lower case
// with hyphens; error -> high, warning -> medium, suggestion -> low), and
// for resource-based policies: a statement CheckNoPublicAccess (diff.h)
// reports as public (high; medium when it has conditions, none of which
// pins the caller), and an Allow to a principal of an account other than
// `account` (cross-account, medium).
std::vector<PolicyFinding> FindPolicyProblems(const PolicySet& policies,
                                              const std::string& account);

}  // namespace leastpriv::report

#endif  // LEASTPRIV_LIB_REPORT_POLICY_FINDINGS_H_
