// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Condition operator names: "ForAnyValue:StringLikeIfExists" read into an
// operator, a set qualifier and IfExists.

#ifndef LEASTPRIV_LIB_POLICY_CONDITION_OPERATORS_H_
#define LEASTPRIV_LIB_POLICY_CONDITION_OPERATORS_H_

#include <string_view>

#include "leastpriv/policy.h"

namespace leastpriv::policy_internal {

// Sets c.op_text, c.qualifier, c.if_exists and c.op (kUnknown for a name
// that is not an IAM condition operator).
void ParseOperator(std::string_view text, Condition& c);

}  // namespace leastpriv::policy_internal

#endif  // LEASTPRIV_LIB_POLICY_CONDITION_OPERATORS_H_
