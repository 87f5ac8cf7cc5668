// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policies written back as JSON documents: the suggested policy of a check
// is built as a Policy value and printed with these.

#ifndef LEASTPRIV_LIB_REPORT_POLICY_JSON_H_
#define LEASTPRIV_LIB_REPORT_POLICY_JSON_H_

#include <vector>

#include "leastpriv/policy.h"
#include "lib/json/json.h"

namespace leastpriv::report_internal {

// {"Operator": {"key": value or [values]}}, operators in order of first use.
json::Value ConditionsJson(const std::vector<Condition>& conditions);

// One statement as written (Sid, Effect, Action/NotAction,
// Resource/NotResource, Condition; a single string where the list has one
// element). Principal is left out: identity policies have none.
json::Value StatementJson(const Statement& statement);

// {"Version", "Statement": [...]} of an identity policy.
json::Value PolicyDocumentJson(const Policy& policy);

}  // namespace leastpriv::report_internal

#endif  // LEASTPRIV_LIB_REPORT_POLICY_JSON_H_
