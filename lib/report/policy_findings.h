// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Findings about the policies of a check: the validator's, and table
// policies that open a table to everyone or to another account.

#ifndef LEASTPRIV_LIB_REPORT_POLICY_FINDINGS_H_
#define LEASTPRIV_LIB_REPORT_POLICY_FINDINGS_H_

#include <string>
#include <vector>

#include "leastpriv/finding.h"
#include "leastpriv/policy.h"

namespace leastpriv::report {

// Validator findings for every policy of `policies`, and for resource-based
// policies: a statement CheckNoPublicAccess (diff.h) reports as public
// (kPublicTablePolicy, an error; a warning when it has conditions, none of
// which pins the caller), and an Allow to a principal of an account other
// than `account` (kCrossAccountTablePolicy, a warning).
std::vector<Finding> FindPolicyProblems(const PolicySet& policies,
                                        const std::string& account);

}  // namespace leastpriv::report

#endif  // LEASTPRIV_LIB_REPORT_POLICY_FINDINGS_H_
