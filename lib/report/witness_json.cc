// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/report/witness_json.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace leastpriv::witness_json {
namespace {

json::Value StringArray(const std::vector<std::string>& items) {
  std::vector<json::Value> out;
  out.reserve(items.size());
  for (const std::string& s : items) out.push_back(json::Value::String(s));
  return json::Value::Array(std::move(out));
}

}  // namespace

json::Value RequestJson(const Request& r) {
  std::vector<json::Value::Member> context;
  for (const auto& [key, value] : r.context) {
    if (value.multi_valued) {
      context.emplace_back(key, StringArray(value.values));
    } else {
      context.emplace_back(
          key, json::Value::String(value.values.empty() ? std::string()
                                                        : value.values[0]));
    }
  }
  return json::Value::Object({
      {"principal", json::Value::String(r.principal)},
      {"action", json::Value::String(r.action)},
      {"resource", json::Value::String(r.resource)},
      {"context", json::Value::Object(std::move(context))},
  });
}

json::Value StatementJson(const StatementRef& s) {
  return json::Value::Object({
      {"file", json::Value::String(s.pos.file)},
      {"line", json::Value::Number(s.pos.line)},
      {"sid", s.sid ? json::Value::String(*s.sid) : json::Value::Null()},
      {"policy_kind",
       json::Value::String(std::string(PolicyKindName(s.policy_kind)))},
      {"policy", json::Value::String(s.policy_name)},
  });
}

json::Value StatementsJson(const std::vector<StatementRef>& statements) {
  std::vector<json::Value> out;
  for (const StatementRef& s : statements) out.push_back(StatementJson(s));
  return json::Value::Array(std::move(out));
}

json::Value ResourcesJson(const std::vector<ResourceSummary>& resources) {
  std::vector<json::Value> out;
  for (const ResourceSummary& s : resources) {
    out.push_back(json::Value::Object({
        {"type", json::Value::String(s.resource_type)},
        {"patterns", StringArray(s.patterns)},
        {"except", StringArray(s.except)},
        {"examples", StringArray(s.examples)},
    }));
  }
  return json::Value::Array(std::move(out));
}

std::string FormatRequest(const Request& r) {
  std::string out = absl::StrCat(r.action, " on ", r.resource);
  if (!r.principal.empty()) absl::StrAppend(&out, " by ", r.principal);
  if (r.context.empty()) {
    absl::StrAppend(&out, " (no context keys)");
    return out;
  }
  for (const auto& [key, value] : r.context) {
    absl::StrAppend(&out, " ", key, "=");
    if (value.multi_valued) {
      absl::StrAppend(&out, "[", absl::StrJoin(value.values, ","), "]");
    } else {
      absl::StrAppend(&out, value.values.empty() ? "" : value.values[0]);
    }
  }
  return out;
}

std::string FormatStatement(const StatementRef& s) {
  return absl::StrCat(
      FormatPos(s.pos), " ", std::string(PolicyKindName(s.policy_kind)),
      " statement ",
      s.sid ? absl::StrCat("\"", *s.sid, "\"") : absl::StrCat("#", s.index));
}

}  // namespace leastpriv::witness_json
