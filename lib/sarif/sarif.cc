// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/sarif/sarif.h"

#include <string>
#include <utility>
#include <vector>

namespace leastpriv::sarif {
namespace {

using json::Value;

Value LocationValue(const Location& l) {
  std::vector<Value::Member> region = {
      {"startLine", Value::Number(l.line > 0 ? l.line : 1)}};
  if (l.column > 0) region.emplace_back("startColumn", Value::Number(l.column));
  return Value::Object({{"physicalLocation",
                         Value::Object({
                             {"artifactLocation",
                              Value::Object({{"uri", Value::String(l.file)}})},
                             {"region", Value::Object(std::move(region))},
                         })}});
}

}  // namespace

void Log::Rule(const std::string& id, const std::string& description,
               Severity default_level) {
  if (index_.count(id)) return;
  index_[id] = static_cast<int>(rules_.size());
  rules_.push_back({id, description, default_level});
}

void Log::Add(Result r) {
  std::vector<Value> locations, related;
  for (const Location& l : r.locations) locations.push_back(LocationValue(l));
  for (size_t i = 0; i < r.related.size(); ++i) {
    std::vector<Value::Member> m = LocationValue(r.related[i]).object();
    m.insert(m.begin(), {"id", Value::Number(static_cast<double>(i))});
    related.push_back(Value::Object(std::move(m)));
  }
  auto it = index_.find(r.rule_id);
  std::vector<Value::Member> m = {
      {"ruleId", Value::String(r.rule_id)},
      {"ruleIndex", Value::Number(it == index_.end() ? 0 : it->second)},
      {"level", Value::String(std::string(SarifLevel(r.level)))},
      {"message", Value::Object({{"text", Value::String(r.message)}})},
      {"locations", Value::Array(std::move(locations))},
  };
  if (!related.empty()) {
    m.emplace_back("relatedLocations", Value::Array(std::move(related)));
  }
  if (!r.fingerprint.empty()) {
    m.emplace_back("partialFingerprints",
                   Value::Object({{"leastprivFingerprint/v1",
                                   Value::String(r.fingerprint)}}));
  }
  if (!r.properties.empty()) {
    std::vector<Value::Member> props;
    for (auto& [name, value] : r.properties) {
      props.emplace_back(name, value ? Value::String(*value) : Value::Null());
    }
    m.emplace_back("properties", Value::Object(std::move(props)));
  }
  results_.push_back(Value::Object(std::move(m)));
}

std::string Log::Serialize() const {
  std::vector<Value> rules;
  for (const RuleEntry& x : rules_) {
    rules.push_back(Value::Object({
        {"id", Value::String(x.id)},
        {"shortDescription",
         Value::Object({{"text", Value::String(x.description)}})},
        {"defaultConfiguration",
         Value::Object(
             {{"level", Value::String(std::string(SarifLevel(x.level)))}})},
    }));
  }
  Value log = Value::Object({
      {"$schema",
       Value::String("https://json.schemastore.org/sarif-2.1.0.json")},
      {"version", Value::String("2.1.0")},
      {"runs",
       Value::Array({Value::Object({
           {"tool",
            Value::Object(
                {{"driver", Value::Object({
                                {"name", Value::String("leastpriv")},
                                {"semanticVersion", Value::String("0.1.0")},
                                {"rules", Value::Array(std::move(rules))},
                            })}})},
           {"results", Value::Array(results_)},
       })})},
  });
  return json::Serialize(log, 2) + "\n";
}

}  // namespace leastpriv::sarif
