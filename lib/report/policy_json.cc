// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/report/policy_json.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace leastpriv::report_internal {

json::Value ConditionsJson(const std::vector<Condition>& conditions) {
  std::vector<json::Value::Member> ops;
  for (const Condition& c : conditions) {
    std::vector<json::Value> values;
    for (const ConditionValue& v : c.values) {
      switch (v.type) {
        case ValueType::kString:
          values.push_back(json::Value::String(v.text));
          break;
        case ValueType::kNumber:
          values.push_back(json::Value::NumberText(v.text));
          break;
        case ValueType::kBool:
          values.push_back(json::Value::Bool(v.text == "true"));
          break;
      }
    }
    json::Value vs =
        values.size() == 1 ? values[0] : json::Value::Array(std::move(values));
    auto it = std::find_if(ops.begin(), ops.end(),
                           [&](const auto& m) { return m.first == c.op_text; });
    if (it == ops.end()) {
      ops.emplace_back(c.op_text, json::Value::Object({{c.key, vs}}));
    } else {
      std::vector<json::Value::Member> keys = it->second.object();
      keys.emplace_back(c.key, vs);
      it->second = json::Value::Object(std::move(keys));
    }
  }
  return json::Value::Object(std::move(ops));
}

namespace {

json::Value PolicyStrings(const std::vector<PolicyString>& items) {
  std::vector<json::Value> out;
  for (const PolicyString& s : items)
    out.push_back(json::Value::String(s.text));
  return out.size() == 1 ? out[0] : json::Value::Array(std::move(out));
}

}  // namespace

json::Value StatementJson(const Statement& st) {
  std::vector<json::Value::Member> m;
  if (st.sid) m.emplace_back("Sid", json::Value::String(*st.sid));
  m.emplace_back("Effect", json::Value::String(
                               st.effect == Effect::kAllow ? "Allow" : "Deny"));
  m.emplace_back(st.not_action ? "NotAction" : "Action",
                 PolicyStrings(st.actions));
  if (st.has_resource) {
    m.emplace_back(st.not_resource ? "NotResource" : "Resource",
                   PolicyStrings(st.resources));
  }
  if (!st.conditions.empty()) {
    m.emplace_back("Condition", ConditionsJson(st.conditions));
  }
  return json::Value::Object(std::move(m));
}

json::Value PolicyDocumentJson(const Policy& policy) {
  std::vector<json::Value> statements;
  for (const Statement& st : policy.statements) {
    statements.push_back(StatementJson(st));
  }
  return json::Value::Object(
      {{"Version", json::Value::String(policy.version)},
       {"Statement", json::Value::Array(std::move(statements))}});
}

}  // namespace leastpriv::report_internal
