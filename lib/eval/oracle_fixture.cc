// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/oracle_fixture.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
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
    PolicySet set;
    const json::Value* identity =
        Member(sj, "identity", json::Value::Kind::kArray);
    const json::Value* scp = Member(sj, "scp", json::Value::Kind::kArray);
    const json::Value* rcp = Member(sj, "rcp", json::Value::Kind::kArray);
    const json::Value* requests =
        Member(sj, "requests", json::Value::Kind::kArray);
    const json::Value* name = Member(sj, "name", json::Value::Kind::kString);
    if (identity == nullptr || scp == nullptr || rcp == nullptr ||
        requests == nullptr || name == nullptr) {
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
      absl::StatusOr<Policy> p = ToPolicy(name->string_value() + "-resource",
                                          *policy, PolicyKind::kResource);
      if (!p.ok()) return p.status();
      set.resource[key->string_value()].push_back(*std::move(p));
    }
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
    out.sets.push_back(std::move(set));
  }
  return out;
}

absl::StatusOr<OracleFixture> LoadOracleFixture(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseOracleFixture(ss.str());
}

}  // namespace leastpriv::eval
