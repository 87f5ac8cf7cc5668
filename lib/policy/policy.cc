// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/policy.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/json/json.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv {
namespace {

using policy_internal::ReadResult;

using policy_internal::Sv;

// The strict reading: the first structural problem is an error.
absl::StatusOr<Policy> Strict(absl::StatusOr<ReadResult> result) {
  if (!result.ok()) return result.status();
  if (!result->problems.empty()) {
    const Finding& first = result->problems.front();
    return absl::InvalidArgumentError(
        absl::StrCat(FormatPos(first.pos), ": ", first.message));
  }
  return std::move(result->policy);
}

const json::Value* FindString(const json::Value& obj, std::string_view key) {
  const json::Value* v = obj.is_object() ? obj.Find(key) : nullptr;
  return v != nullptr && v->is_string() ? v : nullptr;
}

}  // namespace

std::string FormatPos(const SourcePos& pos) {
  if (pos.line == 0) return pos.file;
  const std::string line_col = pos.column == 0
                                   ? absl::StrCat(pos.line)
                                   : absl::StrCat(pos.line, ":", pos.column);
  if (pos.file.empty()) return line_col;
  return absl::StrCat(pos.file, ":", line_col);
}

bool operator<(const SourcePos& a, const SourcePos& b) {
  return std::tie(a.file, a.line, a.column) <
         std::tie(b.file, b.line, b.column);
}

bool operator==(const SourcePos& a, const SourcePos& b) {
  return a.file == b.file && a.line == b.line && a.column == b.column;
}

std::string_view PolicyKindName(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity:
      return "identity";
    case PolicyKind::kResource:
      return "resource";
    case PolicyKind::kBoundary:
      return "boundary";
    case PolicyKind::kSession:
      return "session";
    case PolicyKind::kScp:
      return "scp";
    case PolicyKind::kRcp:
      return "rcp";
  }
  return "unknown";
}

std::string_view ConditionOperatorName(ConditionOperator op) {
  switch (op) {
    case ConditionOperator::kUnknown:
      return "Unknown";
    case ConditionOperator::kStringEquals:
      return "StringEquals";
    case ConditionOperator::kStringNotEquals:
      return "StringNotEquals";
    case ConditionOperator::kStringEqualsIgnoreCase:
      return "StringEqualsIgnoreCase";
    case ConditionOperator::kStringNotEqualsIgnoreCase:
      return "StringNotEqualsIgnoreCase";
    case ConditionOperator::kStringLike:
      return "StringLike";
    case ConditionOperator::kStringNotLike:
      return "StringNotLike";
    case ConditionOperator::kNumericEquals:
      return "NumericEquals";
    case ConditionOperator::kNumericNotEquals:
      return "NumericNotEquals";
    case ConditionOperator::kNumericLessThan:
      return "NumericLessThan";
    case ConditionOperator::kNumericLessThanEquals:
      return "NumericLessThanEquals";
    case ConditionOperator::kNumericGreaterThan:
      return "NumericGreaterThan";
    case ConditionOperator::kNumericGreaterThanEquals:
      return "NumericGreaterThanEquals";
    case ConditionOperator::kDateEquals:
      return "DateEquals";
    case ConditionOperator::kDateNotEquals:
      return "DateNotEquals";
    case ConditionOperator::kDateLessThan:
      return "DateLessThan";
    case ConditionOperator::kDateLessThanEquals:
      return "DateLessThanEquals";
    case ConditionOperator::kDateGreaterThan:
      return "DateGreaterThan";
    case ConditionOperator::kDateGreaterThanEquals:
      return "DateGreaterThanEquals";
    case ConditionOperator::kBool:
      return "Bool";
    case ConditionOperator::kBinaryEquals:
      return "BinaryEquals";
    case ConditionOperator::kIpAddress:
      return "IpAddress";
    case ConditionOperator::kNotIpAddress:
      return "NotIpAddress";
    case ConditionOperator::kArnEquals:
      return "ArnEquals";
    case ConditionOperator::kArnNotEquals:
      return "ArnNotEquals";
    case ConditionOperator::kArnLike:
      return "ArnLike";
    case ConditionOperator::kArnNotLike:
      return "ArnNotLike";
    case ConditionOperator::kNull:
      return "Null";
  }
  return "Unknown";
}

bool PolicyVariablesEnabled(const Policy& policy) {
  return policy.version == "2012-10-17";
}

absl::StatusOr<Policy> ParsePolicy(std::string_view text,
                                   const ParseOptions& options) {
  return Strict(policy_internal::ReadPolicyText(text, options));
}

absl::StatusOr<Policy> LoadPolicyFile(const std::string& path,
                                      const ParseOptions& options) {
  ParseOptions opts = options;
  if (opts.file_name.empty()) opts.file_name = path;
  absl::StatusOr<std::string> text = policy_internal::ReadFileBounded(
      path, opts.file_name, opts.limits.max_bytes);
  if (!text.ok()) return text.status();
  return ParsePolicy(*text, opts);
}

namespace {

// An `aws iam get-account-authorization-details` document, read and parsed.
struct AuthorizationDetails {
  std::string text;
  json::Value root;  // an object with a RoleDetailList array

  const std::vector<json::Value>& roles() const {
    return root.Find("RoleDetailList")->array();
  }
};

absl::StatusOr<AuthorizationDetails> ReadAuthorizationDetails(
    const std::string& path, const ParseLimits& limits) {
  AuthorizationDetails d;
  absl::StatusOr<std::string> text =
      policy_internal::ReadFileBounded(path, path, limits.max_bytes);
  if (!text.ok()) return text.status();
  d.text = *std::move(text);
  absl::StatusOr<json::Value> root =
      json::Parse(d.text, policy_internal::ToJsonLimits(limits));
  if (!root.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", root.status().message()));
  }
  d.root = *std::move(root);
  const json::Value* roles =
      d.root.is_object() ? d.root.Find("RoleDetailList") : nullptr;
  if (roles == nullptr || !roles->is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", d.root.line(), ":", d.root.column(),
        ": not get-account-authorization-details output (no RoleDetailList "
        "array)"));
  }
  return d;
}

// The policies of one RoleDetailList entry: inline and attached managed
// policies as identity policies, the permissions boundary as `boundary`.
absl::StatusOr<PolicySet> ReadRolePolicies(
    const std::string& path, const AuthorizationDetails& details,
    const policy_internal::SourceFile& source, const json::Value& role,
    std::string_view role_name, const ParseLimits& limits) {
  auto read = [&](const json::Value& doc, std::string name,
                  PolicyKind kind) -> absl::StatusOr<Policy> {
    ParseOptions options;
    options.file_name = path;
    options.kind = kind;
    options.limits = limits;
    absl::StatusOr<Policy> policy =
        Strict(policy_internal::ReadPolicyValue(doc, source, options));
    if (policy.ok()) policy->name = std::move(name);
    return policy;
  };
  // Managed policies by ARN: their default version's document.
  auto managed = [&](const std::string& arn,
                     PolicyKind kind) -> absl::StatusOr<Policy> {
    const json::Value* policies = details.root.Find("Policies");
    if (policies != nullptr && policies->is_array()) {
      for (const json::Value& p : policies->array()) {
        const json::Value* p_arn = FindString(p, "Arn");
        if (p_arn == nullptr || p_arn->string_value() != arn) continue;
        const json::Value* versions = p.Find("PolicyVersionList");
        if (versions == nullptr || !versions->is_array()) break;
        for (const json::Value& version : versions->array()) {
          const json::Value* is_default =
              version.is_object() ? version.Find("IsDefaultVersion") : nullptr;
          const json::Value* doc =
              version.is_object() ? version.Find("Document") : nullptr;
          if (is_default != nullptr && is_default->is_bool() &&
              is_default->bool_value() && doc != nullptr) {
            const json::Value* name = FindString(p, "PolicyName");
            return read(*doc, name ? name->string_value() : arn, kind);
          }
        }
        return absl::NotFoundError(
            absl::StrCat("managed policy ", arn, " in ", path,
                         " has no default version with a Document"));
      }
    }
    return absl::NotFoundError(
        absl::StrCat("managed policy ", arn, " attached to role \"",
                     Sv(role_name), "\" is not in Policies[] of ", path));
  };

  PolicySet set;
  if (const json::Value* inline_list = role.Find("RolePolicyList");
      inline_list != nullptr && inline_list->is_array()) {
    for (const json::Value& entry : inline_list->array()) {
      const json::Value* doc =
          entry.is_object() ? entry.Find("PolicyDocument") : nullptr;
      if (doc == nullptr) continue;
      const json::Value* name = FindString(entry, "PolicyName");
      absl::StatusOr<Policy> policy =
          read(*doc, name ? name->string_value() : "", PolicyKind::kIdentity);
      if (!policy.ok()) return policy.status();
      set.identity.push_back(*std::move(policy));
    }
  }
  if (const json::Value* attached = role.Find("AttachedManagedPolicies");
      attached != nullptr && attached->is_array()) {
    for (const json::Value& entry : attached->array()) {
      const json::Value* arn = FindString(entry, "PolicyArn");
      if (arn == nullptr) continue;
      absl::StatusOr<Policy> policy =
          managed(arn->string_value(), PolicyKind::kIdentity);
      if (!policy.ok()) return policy.status();
      set.identity.push_back(*std::move(policy));
    }
  }
  if (const json::Value* boundary = role.Find("PermissionsBoundary");
      boundary != nullptr) {
    if (const json::Value* arn =
            FindString(*boundary, "PermissionsBoundaryArn")) {
      absl::StatusOr<Policy> policy =
          managed(arn->string_value(), PolicyKind::kBoundary);
      if (!policy.ok()) return policy.status();
      set.boundary = *std::move(policy);
    }
  }
  return set;
}

}  // namespace

absl::StatusOr<PolicySet> LoadRoleFromAuthorizationDetails(
    const std::string& path, std::string_view role_name,
    const ParseLimits& limits, std::string* arn) {
  absl::StatusOr<AuthorizationDetails> details =
      ReadAuthorizationDetails(path, limits);
  if (!details.ok()) return details.status();
  const json::Value* role = nullptr;
  std::vector<std::string> available;
  for (const json::Value& r : details->roles()) {
    const json::Value* name = FindString(r, "RoleName");
    if (name == nullptr) continue;
    if (name->string_value() == role_name) {
      role = &r;
      break;
    }
    available.push_back(name->string_value());
  }
  if (role == nullptr) {
    std::string message =
        absl::StrCat("role \"", Sv(role_name), "\" not found in ", path);
    if (available.empty()) {
      absl::StrAppend(&message, " (it lists no roles)");
    } else {
      const std::size_t shown = std::min<std::size_t>(available.size(), 5);
      absl::StrAppend(
          &message, "; available roles: ",
          absl::StrJoin(available.begin(), available.begin() + shown, ", "));
      if (available.size() > shown) {
        absl::StrAppend(&message, " and ", available.size() - shown, " more");
      }
    }
    return absl::NotFoundError(message);
  }
  if (arn != nullptr) {
    const json::Value* role_arn = FindString(*role, "Arn");
    *arn = role_arn == nullptr ? std::string() : role_arn->string_value();
  }
  const policy_internal::SourceFile source(path, details->text);
  return ReadRolePolicies(path, *details, source, *role, role_name, limits);
}

absl::StatusOr<std::vector<AuthorizationDetailsRole>>
LoadRolesFromAuthorizationDetails(const std::string& path,
                                  const ParseLimits& limits) {
  absl::StatusOr<AuthorizationDetails> details =
      ReadAuthorizationDetails(path, limits);
  if (!details.ok()) return details.status();
  const policy_internal::SourceFile source(path, details->text);
  std::vector<AuthorizationDetailsRole> roles;
  for (const json::Value& r : details->roles()) {
    const json::Value* name = FindString(r, "RoleName");
    if (name == nullptr) continue;
    AuthorizationDetailsRole role;
    role.name = name->string_value();
    if (const json::Value* arn = FindString(r, "Arn")) {
      role.arn = arn->string_value();
    }
    role.policies =
        ReadRolePolicies(path, *details, source, r, role.name, limits);
    roles.push_back(std::move(role));
  }
  return roles;
}

}  // namespace leastpriv
