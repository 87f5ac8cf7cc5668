// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Terraform plans and states (`terraform show -json`): policy extraction.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "leastpriv/iac.h"
#include "lib/iac/tree.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using iac_internal::ErrorAt;

struct PlanResource {
  std::string address;
  std::string mode;  // "managed" or "data"
  std::string type;
  const json::Value* values = nullptr;
  const json::Value* node = nullptr;
};

class PlanReader {
 public:
  PlanReader(std::string_view text, const std::string& file)
      : text_(text), file_(file) {}

  SourcePos Pos(const json::Value& v) const {
    return SourcePos{file_, v.line(), v.column()};
  }

  // Collects resources of `module` and its child modules.
  absl::Status Walk(const json::Value& module, int depth) {
    if (depth > 64) {
      return ErrorAt(Pos(module), "modules nested deeper than 64 levels");
    }
    if (!module.is_object()) {
      return ErrorAt(Pos(module), "module must be an object");
    }
    if (const json::Value* rs = module.Find("resources")) {
      if (!rs->is_array())
        return ErrorAt(Pos(*rs), "resources must be an array");
      for (const json::Value& r : rs->array()) {
        if (!r.is_object()) {
          return ErrorAt(Pos(r), "resource must be an object");
        }
        PlanResource pr;
        pr.address = Str(r.Find("address"));
        pr.mode = Str(r.Find("mode"));
        pr.type = Str(r.Find("type"));
        pr.values = r.Find("values");
        pr.node = &r;
        if (pr.address.empty()) {
          return ErrorAt(Pos(r), "resource has no address");
        }
        if (!seen_.insert(pr.address).second) continue;
        resources_.push_back(pr);
      }
    }
    if (const json::Value* cs = module.Find("child_modules")) {
      if (!cs->is_array()) {
        return ErrorAt(Pos(*cs), "child_modules must be an array");
      }
      for (const json::Value& c : cs->array()) {
        if (absl::Status s = Walk(c, depth + 1); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<ExtractedPolicy>> Extract() {
    // aws_iam_policy by ARN and by name, for attachments and boundaries.
    for (const PlanResource& r : resources_) {
      if (r.type != "aws_iam_policy" || r.mode == "data" ||
          r.values == nullptr) {
        continue;
      }
      const std::string arn = Str(r.values->Find("arn"));
      if (!arn.empty()) by_arn_[arn] = &r;
      const std::string name = Str(r.values->Find("name"));
      if (!name.empty()) by_name_[name] = &r;
    }
    for (const PlanResource& r : resources_) {
      if (r.values == nullptr || !r.values->is_object()) continue;
      const json::Value& v = *r.values;
      absl::Status s;
      if (r.mode == "data") {
        if (r.type == "aws_iam_policy_document") {
          ExtractedPolicy e = Base(r);
          e.policy.name = r.address;
          s = Document(std::move(e), v, "json", PolicyKind::kIdentity);
        }
      } else if (r.type == "aws_iam_policy") {
        s = ManagedPolicy(r);
      } else if (r.type == "aws_iam_role_policy") {
        ExtractedPolicy e = Base(r);
        e.role = Str(v.Find("role"));
        e.policy.name = absl::StrCat(e.role, "/", Str(v.Find("name")));
        s = Document(std::move(e), v, "policy", PolicyKind::kIdentity);
      } else if (r.type == "aws_iam_role") {
        s = Role(r);
      } else if (r.type == "aws_iam_role_policy_attachment") {
        // Attachments to policies of the plan are emitted with the policy.
        if (Attached(Str(v.Find("policy_arn"))) == nullptr) {
          ExtractedPolicy e = Base(r);
          e.role = Str(v.Find("role"));
          External(std::move(e), v.Find("policy_arn"), *r.node,
                   PolicyKind::kIdentity, "policy_arn");
        }
      } else if (r.type == "aws_dynamodb_resource_policy") {
        ExtractedPolicy e = Base(r);
        const std::string arn = Str(v.Find("resource_arn"));
        const std::size_t slash = arn.find(":table/");
        if (slash != std::string::npos) {
          e.table = arn.substr(slash + 7);
          const std::size_t end = e.table.find('/');
          if (end != std::string::npos) e.table.resize(end);
        } else {
          e.table = arn;
          if (arn.empty()) {
            e.unresolved.push_back(UnresolvedReference{
                "resource_arn", "value is known only after apply",
                Pos(*r.node)});
          }
        }
        e.policy.name = r.address;
        s = Document(std::move(e), v, "policy", PolicyKind::kResource);
      }
      if (!s.ok()) return s;
    }
    return std::move(out_);
  }

 private:
  static std::string Str(const json::Value* v) {
    return v != nullptr && v->is_string() ? v->string_value() : "";
  }

  ExtractedPolicy Base(const PlanResource& r) {
    ExtractedPolicy e;
    e.source_resource = r.address;
    e.pos = Pos(*r.node);
    return e;
  }

  const PlanResource* Attached(const std::string& arn) const {
    if (arn.empty()) return nullptr;
    auto it = by_arn_.find(arn);
    if (it != by_arn_.end()) return it->second;
    const std::size_t slash = arn.rfind('/');
    if (arn.find(":policy/") == std::string::npos ||
        slash == std::string::npos) {
      return nullptr;
    }
    auto n = by_name_.find(arn.substr(slash + 1));
    return n == by_name_.end() ? nullptr : n->second;
  }

  // Reads the policy held in values[field] (a JSON string).
  absl::Status Document(ExtractedPolicy e, const json::Value& values,
                        const std::string& field, PolicyKind kind) {
    e.policy.kind = kind;
    const json::Value* doc = values.Find(field);
    if (doc == nullptr || doc->is_null() ||
        (doc->is_string() && doc->string_value().empty())) {
      e.has_document = false;
      e.unresolved.push_back(UnresolvedReference{
          std::string(field), "value is known only after apply", e.pos});
      out_.push_back(std::move(e));
      return absl::OkStatus();
    }
    e.pos = Pos(*doc);
    if (absl::Status s =
            iac_internal::ReadJsonDocument(*doc, text_, file_, kind, e);
        !s.ok()) {
      return s;
    }
    out_.push_back(std::move(e));
    return absl::OkStatus();
  }

  void External(ExtractedPolicy e, const json::Value* arn,
                const json::Value& at, PolicyKind kind,
                const std::string& field) {
    e.has_document = false;
    e.policy.kind = kind;
    e.policy_arn = Str(arn);
    e.policy.name = e.policy_arn;
    e.pos = Pos(arn != nullptr ? *arn : at);
    e.unresolved.push_back(UnresolvedReference{
        absl::StrCat(field, " ", e.policy_arn),
        e.policy_arn.empty() ? "value is known only after apply"
                             : "policy document is not in the plan",
        e.pos});
    out_.push_back(std::move(e));
  }

  absl::Status ManagedPolicy(const PlanResource& r) {
    const json::Value& v = *r.values;
    const std::string name = Str(v.Find("name"));
    std::vector<std::pair<std::string, PolicyKind>> roles;
    for (const PlanResource& a : resources_) {
      if (a.values == nullptr || a.mode == "data") continue;
      if (a.type == "aws_iam_role_policy_attachment" &&
          Attached(Str(a.values->Find("policy_arn"))) == &r) {
        roles.emplace_back(Str(a.values->Find("role")), PolicyKind::kIdentity);
      } else if (a.type == "aws_iam_role" &&
                 Attached(Str(a.values->Find("permissions_boundary"))) == &r) {
        roles.emplace_back(Str(a.values->Find("name")), PolicyKind::kBoundary);
      }
    }
    if (roles.empty()) roles.emplace_back("", PolicyKind::kIdentity);
    for (const auto& [role, kind] : roles) {
      ExtractedPolicy e = Base(r);
      e.policy.name = name.empty() ? r.address : name;
      e.role = role;
      e.policy_arn = Str(v.Find("arn"));
      if (absl::Status s = Document(std::move(e), v, "policy", kind); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status Role(const PlanResource& r) {
    const json::Value& v = *r.values;
    const std::string role = Str(v.Find("name"));
    if (const json::Value* inline_policies = v.Find("inline_policy");
        inline_policies != nullptr && inline_policies->is_array()) {
      for (const json::Value& p : inline_policies->array()) {
        if (!p.is_object()) continue;
        const std::string name = Str(p.Find("name"));
        if (name.empty() && Str(p.Find("policy")).empty()) continue;
        ExtractedPolicy e = Base(r);
        e.role = role;
        e.role_resource = r.address;
        e.policy.name = absl::StrCat(role, "/", name);
        e.pos = Pos(p);
        if (absl::Status s =
                Document(std::move(e), p, "policy", PolicyKind::kIdentity);
            !s.ok()) {
          return s;
        }
      }
    }
    const json::Value* boundary = v.Find("permissions_boundary");
    const std::string boundary_arn = Str(boundary);
    if (!boundary_arn.empty() && Attached(boundary_arn) == nullptr) {
      ExtractedPolicy e = Base(r);
      e.role = role;
      e.role_resource = r.address;
      External(std::move(e), boundary, *r.node, PolicyKind::kBoundary,
               "permissions_boundary");
    }
    return absl::OkStatus();
  }

  std::string_view text_;
  std::string file_;
  std::vector<PlanResource> resources_;
  std::set<std::string> seen_;
  std::map<std::string, const PlanResource*> by_arn_;
  std::map<std::string, const PlanResource*> by_name_;
  std::vector<ExtractedPolicy> out_;
};

}  // namespace

absl::StatusOr<std::vector<ExtractedPolicy>> ExtractTerraformPlan(
    std::string_view text, const std::string& file_name) {
  const IacLimits limits;
  if (text.size() > limits.max_bytes) {
    return ErrorAt(
        SourcePos{file_name, 1, 1},
        absl::StrCat("input is ", text.size(), " bytes, over the limit of ",
                     limits.max_bytes, " bytes (max_bytes)"));
  }
  json::JsonLimits jl;
  jl.max_bytes = limits.max_bytes;
  jl.max_depth = limits.max_depth;
  jl.max_values = limits.max_nodes;
  absl::StatusOr<json::Value> root = json::Parse(text, jl);
  if (!root.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":",
                     absl::string_view(root.status().message().data(),
                                       root.status().message().size())));
  }
  PlanReader reader(text, file_name);
  const SourcePos top{file_name, root->line(), root->column()};
  if (!root->is_object()) {
    return ErrorAt(top, "not a Terraform plan or state: expected an object");
  }
  bool found = false;
  auto walk = [&](const json::Value* values) -> absl::Status {
    if (values == nullptr || !values->is_object()) return absl::OkStatus();
    const json::Value* module = values->Find("root_module");
    if (module == nullptr) return absl::OkStatus();
    found = true;
    return reader.Walk(*module, 0);
  };
  if (absl::Status s = walk(root->Find("planned_values")); !s.ok()) return s;
  if (const json::Value* prior = root->Find("prior_state");
      prior != nullptr && prior->is_object()) {
    if (absl::Status s = walk(prior->Find("values")); !s.ok()) return s;
  }
  if (absl::Status s = walk(root->Find("values")); !s.ok()) return s;
  if (!found) {
    return ErrorAt(top,
                   "not a Terraform plan or state: no "
                   "planned_values.root_module, prior_state.values."
                   "root_module or values.root_module");
  }
  return reader.Extract();
}

}  // namespace leastpriv
