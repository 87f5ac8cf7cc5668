// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/oracle_fixture.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/json/json.h"

namespace leastpriv::eval {
namespace {

absl::Status Malformed(const std::string& what) {
  return absl::InvalidArgumentError("oracle fixture: " + what);
}

const json::Value* Member(const json::Value& v, const char* key,
                          json::Value::Kind kind) {
  if (!v.is_object()) return nullptr;
  const json::Value* m = v.Find(key);
  return m != nullptr && m->kind() == kind ? m : nullptr;
}

absl::StatusOr<Policy> ToPolicy(const std::string& name,
                                const json::Value& policy, PolicyKind kind) {
  ParseOptions options;
  options.kind = kind;
  options.file_name = name;
  absl::StatusOr<Policy> p = ParsePolicy(json::Serialize(policy, -1), options);
  if (!p.ok()) return Malformed(std::string(p.status().message()));
  p->name = name;
  return p;
}

absl::StatusOr<Policy> NamedPolicy(const json::Value& entry, PolicyKind kind) {
  const json::Value* name = Member(entry, "name", json::Value::Kind::kString);
  const json::Value* policy =
      Member(entry, "policy", json::Value::Kind::kObject);
  if (name == nullptr || policy == nullptr) {
    return Malformed("policy entry without name or policy");
  }
  return ToPolicy(name->string_value(), *policy, kind);
}

absl::StatusOr<Request> ToRequest(const json::Value& r) {
  Request out;
  for (const char* field : {"principal", "action", "resource"}) {
    const json::Value* v = Member(r, field, json::Value::Kind::kString);
    if (v == nullptr) return Malformed(std::string("request without ") + field);
    (std::string(field) == "principal" ? out.principal
     : std::string(field) == "action"  ? out.action
                                       : out.resource) = v->string_value();
  }
  const json::Value* context = Member(r, "context", json::Value::Kind::kObject);
  if (context == nullptr) return Malformed("request without context");
  for (const auto& [key, value] : context->object()) {
    ContextValue cv;
    if (value.is_array()) {
      cv.multi_valued = true;
      for (const json::Value& item : value.array()) {
        if (!item.is_string()) return Malformed("non-string context value");
        cv.values.push_back(item.string_value());
      }
    } else if (value.is_string()) {
      cv.values.push_back(value.string_value());
    } else {
      return Malformed("non-string context value");
    }
    out.context[key] = std::move(cv);
  }
  return out;
}

// A policy set in the fixture form: {"identity": [{"name", "policy"}],
// "boundary": {...}|null, "scp": [[...]], "rcp": [[...]],
// "resource": {"key", "policy"}|null}.
absl::StatusOr<PolicySet> ToPolicySet(const json::Value& sj,
                                      const std::string& name) {
  PolicySet set;
  const json::Value* identity =
      Member(sj, "identity", json::Value::Kind::kArray);
  const json::Value* scp = Member(sj, "scp", json::Value::Kind::kArray);
  const json::Value* rcp = Member(sj, "rcp", json::Value::Kind::kArray);
  if (identity == nullptr || scp == nullptr || rcp == nullptr) {
    return Malformed("policy set without name/identity/scp/rcp/requests");
  }
  for (const json::Value& e : identity->array()) {
    absl::StatusOr<Policy> p = NamedPolicy(e, PolicyKind::kIdentity);
    if (!p.ok()) return p.status();
    set.identity.push_back(*std::move(p));
  }
  if (const json::Value* b =
          Member(sj, "boundary", json::Value::Kind::kObject)) {
    absl::StatusOr<Policy> p = NamedPolicy(*b, PolicyKind::kBoundary);
    if (!p.ok()) return p.status();
    set.boundary = *std::move(p);
  }
  for (auto [levels_json, kind, levels] :
       {std::make_tuple(scp, PolicyKind::kScp, &set.scp_levels),
        std::make_tuple(rcp, PolicyKind::kRcp, &set.rcp_levels)}) {
    for (const json::Value& level : levels_json->array()) {
      if (!level.is_array()) return Malformed("level is not an array");
      std::vector<Policy> policies;
      for (const json::Value& e : level.array()) {
        absl::StatusOr<Policy> p = NamedPolicy(e, kind);
        if (!p.ok()) return p.status();
        policies.push_back(*std::move(p));
      }
      levels->push_back(std::move(policies));
    }
  }
  if (const json::Value* r =
          Member(sj, "resource", json::Value::Kind::kObject)) {
    const json::Value* key = Member(*r, "key", json::Value::Kind::kString);
    const json::Value* policy =
        Member(*r, "policy", json::Value::Kind::kObject);
    if (key == nullptr || policy == nullptr) {
      return Malformed("resource entry without key or policy");
    }
    absl::StatusOr<Policy> p =
        ToPolicy(name + "-resource", *policy, PolicyKind::kResource);
    if (!p.ok()) return p.status();
    set.resource[key->string_value()].push_back(*std::move(p));
  }
  return set;
}

json::Value StringOrList(const std::vector<std::string>& items) {
  if (items.size() == 1) return json::Value::String(items[0]);
  std::vector<json::Value> list;
  for (const std::string& s : items) list.push_back(json::Value::String(s));
  return json::Value::Array(std::move(list));
}

json::Value TypedValue(const ConditionValue& v) {
  switch (v.type) {
    case ValueType::kNumber:
      return json::Value::NumberText(v.text);
    case ValueType::kBool:
      return json::Value::Bool(v.text == "true");
    case ValueType::kString:
      break;
  }
  return json::Value::String(v.text);
}

std::string OperatorText(const Condition& c) {
  if (!c.op_text.empty()) return c.op_text;
  const char* qualifier =
      c.qualifier == SetQualifier::kForAllValues  ? "ForAllValues:"
      : c.qualifier == SetQualifier::kForAnyValue ? "ForAnyValue:"
                                                  : "";
  return absl::StrCat(qualifier, std::string(ConditionOperatorName(c.op)),
                      c.if_exists ? "IfExists" : "");
}

json::Value PrincipalJson(const PrincipalBlock& block) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_type;
  for (const PrincipalEntry& e : block.entries) {
    if (e.type == PrincipalType::kAny) return json::Value::String("*");
    const char* type = e.type == PrincipalType::kAws         ? "AWS"
                       : e.type == PrincipalType::kService   ? "Service"
                       : e.type == PrincipalType::kFederated ? "Federated"
                                                             : "CanonicalUser";
    auto it = std::find_if(by_type.begin(), by_type.end(),
                           [&](const auto& t) { return t.first == type; });
    if (it == by_type.end()) {
      by_type.push_back({type, {}});
      it = by_type.end() - 1;
    }
    it->second.push_back(e.value);
  }
  std::vector<json::Value::Member> members;
  for (const auto& [type, values] : by_type) {
    members.push_back({type, StringOrList(values)});
  }
  return json::Value::Object(std::move(members));
}

json::Value NamedPolicyJson(const Policy& p) {
  return json::Value::Object(
      {{"name", json::Value::String(p.name)}, {"policy", PolicyJson(p)}});
}

absl::StatusOr<const std::string*> Text(const json::Value& v, const char* key) {
  const json::Value* m = Member(v, key, json::Value::Kind::kString);
  if (m == nullptr) return Malformed(std::string("missing \"") + key + "\"");
  return &m->string_value();
}

}  // namespace

absl::StatusOr<OracleFixture> ParseOracleFixture(const std::string& text) {
  absl::StatusOr<json::Value> doc = json::Parse(text);
  if (!doc.ok()) return Malformed(std::string(doc.status().message()));
  OracleFixture out;
  const json::Value* oracle =
      Member(*doc, "oracle", json::Value::Kind::kObject);
  const json::Value* sets = Member(*doc, "sets", json::Value::Kind::kArray);
  if (oracle == nullptr || sets == nullptr) {
    return Malformed("missing \"oracle\" or \"sets\"");
  }
  if (const json::Value* v =
          Member(*oracle, "package", json::Value::Kind::kString)) {
    out.oracle_package = v->string_value();
  }
  if (const json::Value* v =
          Member(*oracle, "version", json::Value::Kind::kString)) {
    out.oracle_version = v->string_value();
  }
  if (const json::Value* v = Member(*doc, "seed", json::Value::Kind::kNumber)) {
    out.seed = v->number_value();
  }
  for (const json::Value& sj : sets->array()) {
    const json::Value* requests =
        Member(sj, "requests", json::Value::Kind::kArray);
    const json::Value* name = Member(sj, "name", json::Value::Kind::kString);
    if (requests == nullptr || name == nullptr) {
      return Malformed("policy set without name/identity/scp/rcp/requests");
    }
    absl::StatusOr<PolicySet> set = ToPolicySet(sj, name->string_value());
    if (!set.ok()) return set.status();
    for (const json::Value& rj : requests->array()) {
      absl::StatusOr<Request> request = ToRequest(rj);
      if (!request.ok()) return request.status();
      const json::Value* rname = Member(rj, "name", json::Value::Kind::kString);
      const json::Value* expected =
          Member(rj, "expected", json::Value::Kind::kString);
      if (rname == nullptr || expected == nullptr) {
        return Malformed("request without name or expected decision");
      }
      out.cases.push_back(OracleCase{rname->string_value(), out.sets.size(),
                                     *std::move(request),
                                     expected->string_value()});
    }
    out.sets.push_back(*std::move(set));
  }
  return out;
}

namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

absl::StatusOr<OracleFixture> LoadOracleFixture(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseOracleFixture(*text);
}

absl::StatusOr<OracleDiffFixture> ParseOracleDiffFixture(
    const std::string& text) {
  absl::StatusOr<json::Value> doc = json::Parse(text);
  if (!doc.ok()) return Malformed(std::string(doc.status().message()));
  OracleDiffFixture out;
  const json::Value* oracle =
      Member(*doc, "oracle", json::Value::Kind::kObject);
  const json::Value* pairs = Member(*doc, "pairs", json::Value::Kind::kArray);
  if (oracle == nullptr || pairs == nullptr) {
    return Malformed("missing \"oracle\" or \"pairs\"");
  }
  if (absl::StatusOr<const std::string*> v = Text(*oracle, "package"); v.ok()) {
    out.oracle_package = **v;
  }
  if (absl::StatusOr<const std::string*> v = Text(*oracle, "version"); v.ok()) {
    out.oracle_version = **v;
  }
  for (const json::Value& pj : pairs->array()) {
    OraclePair pair;
    absl::StatusOr<const std::string*> name = Text(pj, "name");
    if (!name.ok()) return name.status();
    pair.name = **name;
    const json::Value* old_json = Member(pj, "old", json::Value::Kind::kObject);
    const json::Value* new_json = Member(pj, "new", json::Value::Kind::kObject);
    const json::Value* requests =
        Member(pj, "requests", json::Value::Kind::kArray);
    if (old_json == nullptr || new_json == nullptr || requests == nullptr) {
      return Malformed(pair.name + ": pair without old/new/requests");
    }
    for (auto [sj, set, side] :
         {std::make_tuple(old_json, &pair.old_set, "-old"),
          std::make_tuple(new_json, &pair.new_set, "-new")}) {
      absl::StatusOr<PolicySet> s = ToPolicySet(*sj, pair.name + side);
      if (!s.ok()) return s.status();
      *set = *std::move(s);
    }
    for (const json::Value& rj : requests->array()) {
      absl::StatusOr<Request> request = ToRequest(rj);
      if (!request.ok()) return request.status();
      OraclePairCase c;
      c.request = *std::move(request);
      for (auto [key, field] :
           {std::make_pair("name", &c.name), std::make_pair("kind", &c.kind),
            std::make_pair("old", &c.old_decision),
            std::make_pair("new", &c.new_decision)}) {
        absl::StatusOr<const std::string*> v = Text(rj, key);
        if (!v.ok()) {
          return Malformed(pair.name + ": request " +
                           std::string(v.status().message()));
        }
        *field = **v;
      }
      pair.cases.push_back(std::move(c));
    }
    out.pairs.push_back(std::move(pair));
  }
  return out;
}

absl::StatusOr<OracleDiffFixture> LoadOracleDiffFixture(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseOracleDiffFixture(*text);
}

json::Value PolicyJson(const Policy& policy) {
  std::vector<json::Value> statements;
  for (const Statement& st : policy.statements) {
    std::vector<json::Value::Member> m;
    if (st.sid) m.push_back({"Sid", json::Value::String(*st.sid)});
    m.push_back(
        {"Effect",
         json::Value::String(st.effect == Effect::kAllow ? "Allow" : "Deny")});
    if (st.principal) {
      m.push_back({st.principal->negated ? "NotPrincipal" : "Principal",
                   PrincipalJson(*st.principal)});
    }
    std::vector<std::string> actions, resources;
    for (const PolicyString& a : st.actions) actions.push_back(a.text);
    for (const PolicyString& r : st.resources) resources.push_back(r.text);
    m.push_back(
        {st.not_action ? "NotAction" : "Action", StringOrList(actions)});
    if (st.has_resource) {
      m.push_back({st.not_resource ? "NotResource" : "Resource",
                   StringOrList(resources)});
    }
    if (!st.conditions.empty()) {
      std::vector<json::Value::Member> ops;
      for (const Condition& c : st.conditions) {
        const std::string op = OperatorText(c);
        auto it = std::find_if(ops.begin(), ops.end(),
                               [&](const auto& o) { return o.first == op; });
        if (it == ops.end()) {
          ops.push_back({op, json::Value::Object({})});
          it = ops.end() - 1;
        }
        std::vector<json::Value> values;
        for (const ConditionValue& v : c.values)
          values.push_back(TypedValue(v));
        std::vector<json::Value::Member> keys = it->second.object();
        keys.push_back({c.key, json::Value::Array(std::move(values))});
        it->second = json::Value::Object(std::move(keys));
      }
      m.push_back({"Condition", json::Value::Object(std::move(ops))});
    }
    statements.push_back(json::Value::Object(std::move(m)));
  }
  std::vector<json::Value::Member> doc;
  if (!policy.version.empty()) {
    doc.push_back({"Version", json::Value::String(policy.version)});
  }
  if (policy.id) doc.push_back({"Id", json::Value::String(*policy.id)});
  doc.push_back({"Statement", json::Value::Array(std::move(statements))});
  return json::Value::Object(std::move(doc));
}

absl::StatusOr<json::Value> OracleSetJson(const PolicySet& set) {
  if (set.session) {
    return absl::InvalidArgumentError("the oracle takes no session policy");
  }
  std::size_t resource_policies = 0;
  for (const auto& [key, policies] : set.resource) {
    resource_policies += policies.size();
  }
  if (resource_policies > 1) {
    return absl::InvalidArgumentError(
        "the oracle takes at most one resource-based policy");
  }
  std::vector<json::Value> identity;
  for (const Policy& p : set.identity) identity.push_back(NamedPolicyJson(p));
  std::vector<json::Value> levels[2];
  for (int i = 0; i < 2; ++i) {
    for (const std::vector<Policy>& level :
         i == 0 ? set.scp_levels : set.rcp_levels) {
      std::vector<json::Value> policies;
      for (const Policy& p : level) policies.push_back(NamedPolicyJson(p));
      levels[i].push_back(json::Value::Array(std::move(policies)));
    }
  }
  json::Value resource = json::Value::Null();
  for (const auto& [key, policies] : set.resource) {
    resource = json::Value::Object({{"key", json::Value::String(key)},
                                    {"policy", PolicyJson(policies[0])}});
  }
  return json::Value::Object(
      {{"identity", json::Value::Array(std::move(identity))},
       {"boundary",
        set.boundary ? NamedPolicyJson(*set.boundary) : json::Value::Null()},
       {"scp", json::Value::Array(std::move(levels[0]))},
       {"rcp", json::Value::Array(std::move(levels[1]))},
       {"resource", std::move(resource)}});
}

json::Value OracleRequestJson(const Request& request) {
  std::vector<json::Value::Member> context;
  for (const auto& [key, value] : request.context) {
    if (value.multi_valued) {
      std::vector<json::Value> items;
      for (const std::string& v : value.values) {
        items.push_back(json::Value::String(v));
      }
      context.push_back({key, json::Value::Array(std::move(items))});
    } else {
      context.push_back(
          {key,
           json::Value::String(value.values.empty() ? "" : value.values[0])});
    }
  }
  return json::Value::Object(
      {{"principal", json::Value::String(request.principal)},
       {"action", json::Value::String(request.action)},
       {"resource", json::Value::String(request.resource)},
       {"context", json::Value::Object(std::move(context))}});
}

std::set<std::string> KnownDifferences(const std::string& path) {
  std::ifstream in(path);
  std::set<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("- `", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    if (end != std::string::npos) names.insert(line.substr(3, end - 3));
  }
  return names;
}

}  // namespace leastpriv::eval
