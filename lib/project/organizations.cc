// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// One organisation level of SCPs or RCPs from several files: plain policy
// files, `aws organizations describe-policy` output, and
// `aws organizations list-policies-for-target` output saying which policies
// the level holds.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/policy.h"
#include "leastpriv/project.h"
#include "lib/json/json.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv {
namespace {

using json::Value;

absl::Status ErrorAt(const std::string& file, const Value& v,
                     const std::string& message) {
  return absl::InvalidArgumentError(
      absl::StrCat(file, ":", v.line(), ":", v.column(), ": ", message));
}

const char* TypeName(PolicyKind kind) {
  return kind == PolicyKind::kScp ? "SERVICE_CONTROL_POLICY"
                                  : "RESOURCE_CONTROL_POLICY";
}

const char* KindWords(PolicyKind kind) {
  return kind == PolicyKind::kScp ? "service control policy"
                                  : "resource control policy";
}

// An error unless the "Type" of `object` (a listed policy or a
// PolicySummary), when present, names `kind`.
absl::Status CheckType(const std::string& file, const Value& object,
                       const std::string& id, PolicyKind kind) {
  const Value* type = object.Find("Type");
  if (type == nullptr ||
      (type->is_string() && type->string_value() == TypeName(kind))) {
    return absl::OkStatus();
  }
  return ErrorAt(file, *type,
                 absl::StrCat("policy \"", id, "\" is not a ", KindWords(kind),
                              " (Type is not ", TypeName(kind), ")"));
}

// A policy of a list-policies-for-target listing.
struct Listed {
  std::string id;
  std::string name;
  const Value* entry;
};

// The listing of `file` (an object with "Policies"), checked.
absl::StatusOr<std::vector<Listed>> ReadListing(const std::string& file,
                                                const Value& root,
                                                PolicyKind kind) {
  const Value& list = *root.Find("Policies");
  if (!list.is_array()) {
    return ErrorAt(file, list,
                   "\"Policies\" must be the array of "
                   "list-policies-for-target output");
  }
  if (list.array().empty()) {
    return ErrorAt(file, list,
                   absl::StrCat("lists no policies: an organisation level "
                                "always has at least one ",
                                KindWords(kind), " attached"));
  }
  std::vector<Listed> out;
  for (const Value& entry : list.array()) {
    const Value* id = entry.is_object() ? entry.Find("Id") : nullptr;
    if (id == nullptr || !id->is_string() || id->string_value().empty()) {
      return ErrorAt(file, entry, "a listed policy needs an \"Id\" string");
    }
    if (absl::Status s = CheckType(file, entry, id->string_value(), kind);
        !s.ok()) {
      return s;
    }
    const Value* name = entry.Find("Name");
    out.push_back(
        {id->string_value(),
         name != nullptr && name->is_string() ? name->string_value() : "",
         &entry});
  }
  return out;
}

// The policy id of describe-policy output `policy` (the "Policy" object),
// with its type checked and Content required.
absl::StatusOr<std::string> DescribedId(const std::string& file,
                                        const Value& policy, PolicyKind kind) {
  const Value& summary = *policy.Find("PolicySummary");
  const Value* id = summary.is_object() ? summary.Find("Id") : nullptr;
  if (id == nullptr || !id->is_string() || id->string_value().empty()) {
    return ErrorAt(file, summary,
                   "describe-policy output: PolicySummary has no \"Id\" "
                   "string");
  }
  if (absl::Status s = CheckType(file, summary, id->string_value(), kind);
      !s.ok()) {
    return s;
  }
  const Value* content = policy.Find("Content");
  if (content == nullptr) {
    return ErrorAt(
        file, policy,
        absl::StrCat("describe-policy output of \"", id->string_value(),
                     "\" has no Policy.Content (the policy "
                     "document)"));
  }
  if (!content->is_string()) {
    return ErrorAt(file, *content,
                   "Policy.Content must be the policy document as a JSON "
                   "string");
  }
  return id->string_value();
}

}  // namespace

absl::StatusOr<std::vector<Policy>> LoadOrganizationLevel(
    const std::vector<std::string>& files, PolicyKind kind,
    const ParseLimits& limits, const std::string& directory) {
  if (kind != PolicyKind::kScp && kind != PolicyKind::kRcp) {
    return absl::InvalidArgumentError(
        "an organisation level holds SCPs or RCPs");
  }
  if (files.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "an organisation level needs at least one ", KindWords(kind), " file"));
  }
  std::vector<Policy> policies;
  // The listing of the level, if any, and the described policies by id.
  std::optional<std::pair<std::string, std::vector<Listed>>> listing;
  std::map<std::string, std::pair<std::string, const Value*>> described;
  // The parsed documents outlive the loop: `described` points into them.
  std::vector<std::unique_ptr<Value>> roots;
  for (const std::string& file : files) {
    if (file.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "an empty file name in a level of ", KindWords(kind), " files"));
    }
    const std::string path = directory.empty() || file.front() == '/'
                                 ? file
                                 : directory + "/" + file;
    absl::StatusOr<std::string> text =
        policy_internal::ReadFileBounded(path, file, limits.max_bytes);
    if (!text.ok()) {
      return text.status();
    }
    ParseOptions options;
    options.file_name = file;
    options.kind = kind;
    options.limits = limits;
    absl::StatusOr<Value> root =
        json::Parse(*text, policy_internal::ToJsonLimits(limits));
    if (root.ok() && root->is_object() && root->Find("Policies") != nullptr &&
        root->Find("Statement") == nullptr) {
      if (listing.has_value()) {
        return ErrorAt(file, *root,
                       absl::StrCat("a second list-policies-for-target "
                                    "output in one level (the first is ",
                                    listing->first, ")"));
      }
      roots.push_back(std::make_unique<Value>(*std::move(root)));
      auto listed = ReadListing(file, *roots.back(), kind);
      if (!listed.ok()) return listed.status();
      listing.emplace(file, *std::move(listed));
      continue;
    }
    if (root.ok() && root->is_object()) {
      const Value* policy = root->Find("Policy");
      if (policy != nullptr && policy->is_object() &&
          policy->Find("PolicySummary") != nullptr) {
        roots.push_back(std::make_unique<Value>(*std::move(root)));
        const Value& p = *roots.back()->Find("Policy");
        auto id = DescribedId(file, p, kind);
        if (!id.ok()) return id.status();
        if (!described.emplace(*id, std::make_pair(file, &p)).second) {
          return ErrorAt(file, p,
                         absl::StrCat("policy \"", *id,
                                      "\" is given twice in one level (also "
                                      "in ",
                                      described.at(*id).first, ")"));
        }
      }
    }
    // Plain documents and describe-policy output alike (the reader takes
    // the document from Policy.Content); its errors, positioned.
    absl::StatusOr<Policy> policy = ParsePolicy(*text, options);
    if (!policy.ok()) return policy.status();
    if (policy->name.empty()) policy->name = file;
    policies.push_back(*std::move(policy));
  }
  if (listing.has_value()) {
    const auto& [list_file, listed] = *listing;
    std::map<std::string, const Listed*> by_id;
    for (const Listed& l : listed) {
      by_id.emplace(l.id, &l);
      if (described.count(l.id)) continue;
      return ErrorAt(
          list_file, *l.entry,
          absl::StrCat("policy \"", l.id, "\"",
                       l.name.empty() ? "" : absl::StrCat(" (", l.name, ")"),
                       " is attached at this level, but its document is not "
                       "given: add the output of `aws organizations "
                       "describe-policy --policy-id ",
                       l.id, "` to the level"));
    }
    for (const auto& [id, where] : described) {
      if (by_id.count(id)) continue;
      return ErrorAt(
          where.first, *where.second,
          absl::StrCat("policy \"", id, "\" is not attached at this level: ",
                       list_file, " does not list it"));
    }
  }
  if (policies.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(files.front(), ": the level holds no policy document"));
  }
  return policies;
}

}  // namespace leastpriv
