// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Renderings of witness requests, granting statements and resource
// summaries, shared by every report that shows them (reach, policy-diff,
// check-access-not-granted, review).

#ifndef LEASTPRIV_LIB_REPORT_WITNESS_JSON_H_
#define LEASTPRIV_LIB_REPORT_WITNESS_JSON_H_

#include <string>
#include <vector>

#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "lib/json/json.h"

namespace leastpriv::witness_json {

// {"principal", "action", "resource", "context": {KEY: "v" | ["v", ...]}}.
json::Value RequestJson(const Request& request);

// {"file", "line", "sid" (null when absent), "policy_kind", "policy"}.
json::Value StatementJson(const StatementRef& statement);

// An array of StatementJson.
json::Value StatementsJson(const std::vector<StatementRef>& statements);

// [{"type", "patterns", "except", "examples"}].
json::Value ResourcesJson(const std::vector<ResourceSummary>& resources);

// "dynamodb:GetItem on ARN by PRINCIPAL KEY=VALUE KEY=[V1,V2]", context
// keys in order; "(no context keys)" when there are none.
std::string FormatRequest(const Request& request);

// "FILE:LINE:COL identity statement \"Sid\"" (or "#INDEX" without a Sid).
std::string FormatStatement(const StatementRef& statement);

}  // namespace leastpriv::witness_json

#endif  // LEASTPRIV_LIB_REPORT_WITNESS_JSON_H_
