// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// leastpriv.json: the one schema and its reader, and --bind values.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/project.h"
#include "leastpriv/report.h"
#include "lib/json/json.h"
#include "lib/project/suggest.h"

namespace leastpriv {
namespace {

using json::Value;

constexpr std::size_t kMaxConfigBytes = 1u << 20;
constexpr char kDefaultRole[] = "default";

// The members of the file, in the order the messages list them.
const std::vector<std::string_view>& KnownMembers() {
  static const std::vector<std::string_view> kMembers = {
      "account",   "region",   "principal", "code", "code_role",
      "bindings",  "policies", "scps",      "rcps", "cloudformation",
      "terraform", "fail_on",  "$schema"};
  return kMembers;
}

std::string At(const std::string& file, const Value& v) {
  return absl::StrCat(file, ":", v.line(), ":", v.column(), ": ");
}

absl::Status ErrorAt(const std::string& file, const Value& v,
                     const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(At(file, v), message));
}

absl::Status UnknownMember(const std::string& file, const Value& object,
                           std::size_t i, const std::string& what,
                           const std::vector<std::string_view>& known) {
  const std::string& name = object.object()[i].first;
  std::string message =
      absl::StrCat(file, ":", object.key_line(i), ":", object.key_column(i),
                   ": unknown ", what, " \"", name, "\"");
  std::string suggestion = project_internal::ClosestName(name, known);
  if (!suggestion.empty()) {
    absl::StrAppend(&message, " (did you mean \"", suggestion, "\"?)");
  } else {
    std::vector<std::string> listed;
    for (std::string_view k : known) {
      if (k != "$schema") listed.emplace_back(k);
    }
    absl::StrAppend(&message, " (expected ", absl::StrJoin(listed, ", "), ")");
  }
  return absl::InvalidArgumentError(message);
}

absl::StatusOr<std::string> StringField(const std::string& file, const Value& v,
                                        const std::string& name) {
  if (!v.is_string()) {
    return ErrorAt(file, v, absl::StrCat("\"", name, "\" must be a string"));
  }
  return v.string_value();
}

absl::StatusOr<std::vector<std::string>> StringList(const std::string& file,
                                                    const Value& v,
                                                    const std::string& name) {
  if (!v.is_array()) {
    return ErrorAt(file, v,
                   absl::StrCat("\"", name, "\" must be a list of strings"));
  }
  std::vector<std::string> out;
  for (const Value& item : v.array()) {
    if (!item.is_string() || item.string_value().empty()) {
      return ErrorAt(file, item,
                     absl::StrCat("\"", name, "\" must be a list of paths"));
    }
    out.push_back(item.string_value());
  }
  return out;
}

// "scps" / "rcps": levels, root first; a level is a path or an array of
// paths.
absl::StatusOr<std::vector<std::vector<std::string>>> Levels(
    const std::string& file, const Value& v, const std::string& name) {
  const std::string expected = absl::StrCat(
      "\"", name,
      "\" must be a list of organisation levels, root first, each a path or "
      "a list of paths");
  if (!v.is_array()) return ErrorAt(file, v, expected);
  std::vector<std::vector<std::string>> levels;
  for (const Value& level : v.array()) {
    if (level.is_string() && !level.string_value().empty()) {
      levels.push_back({level.string_value()});
      continue;
    }
    if (!level.is_array()) return ErrorAt(file, level, expected);
    if (level.array().empty()) {
      return ErrorAt(file, level,
                     absl::StrCat("a level of \"", name,
                                  "\" lists no file (every level holds at "
                                  "least one policy)"));
    }
    auto paths = StringList(file, level, name);
    if (!paths.ok()) return paths.status();
    levels.push_back(*std::move(paths));
  }
  return levels;
}

absl::StatusOr<PolicyKind> KindNamed(const std::string& file, const Value& v,
                                     const std::string& name) {
  if (name == "identity") return PolicyKind::kIdentity;
  if (name == "boundary") return PolicyKind::kBoundary;
  if (name == "session") return PolicyKind::kSession;
  if (name == "resource") return PolicyKind::kResource;
  if (name == "scp") return PolicyKind::kScp;
  if (name == "rcp") return PolicyKind::kRcp;
  static const std::vector<std::string_view> kKinds = {
      "identity", "boundary", "session", "scp", "rcp", "resource"};
  std::string message = absl::StrCat(
      "policy kind must be one of identity, boundary, session, scp, rcp, "
      "resource, not \"",
      name, "\"");
  std::string suggestion = project_internal::ClosestName(name, kKinds);
  if (!suggestion.empty()) {
    absl::StrAppend(&message, " (did you mean \"", suggestion, "\"?)");
  }
  return ErrorAt(file, v, message);
}

absl::StatusOr<ConfigPolicyFile> PolicyEntry(const std::string& file,
                                             const Value& v) {
  if (!v.is_object()) {
    return ErrorAt(file, v, "a \"policies\" entry must be an object");
  }
  static const std::vector<std::string_view> kFields = {"file", "kind", "role",
                                                        "table"};
  ConfigPolicyFile p;
  p.pos = SourcePos{file, v.line(), v.column()};
  std::string kind;
  const Value* kind_value = nullptr;
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [key, value] = v.object()[i];
    std::string* target = key == "file"    ? &p.file
                          : key == "kind"  ? &kind
                          : key == "role"  ? &p.role
                          : key == "table" ? &p.table
                                           : nullptr;
    if (target == nullptr) {
      return UnknownMember(file, v, i, "policy field", kFields);
    }
    auto s = StringField(file, value, key);
    if (!s.ok()) return s.status();
    *target = *s;
    if (key == "kind") kind_value = &value;
  }
  if (p.file.empty()) return ErrorAt(file, v, "policy entry has no \"file\"");
  if (kind_value == nullptr) {
    return ErrorAt(file, v,
                   "policy entry has no \"kind\" (identity, boundary, "
                   "session, scp, rcp or resource)");
  }
  auto k = KindNamed(file, *kind_value, kind);
  if (!k.ok()) return k.status();
  p.kind = *k;
  if (p.kind == PolicyKind::kResource && p.table.empty()) {
    return ErrorAt(file, v, "a resource policy entry needs \"table\"");
  }
  if (p.role.empty()) p.role = kDefaultRole;
  return p;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

// A binding key: "env:NAME", "settings:NAME", or a table-name pattern with
// '*' as the scanner reports f-strings with unknown parts.
bool ValidBindingKey(std::string_view key) {
  if (key.rfind("env:", 0) == 0) return IsIdentifier(key.substr(4));
  if (key.rfind("settings:", 0) == 0) return IsIdentifier(key.substr(9));
  return !key.empty() && key.find('*') != std::string_view::npos &&
         key.find_first_of(":/ ") == std::string_view::npos;
}

bool ValidTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '-' || c == '.';
  });
}

absl::Status Bindings(const std::string& file, const Value& v,
                      ProjectConfig* config) {
  if (!v.is_object()) return ErrorAt(file, v, "\"bindings\" must be an object");
  const auto& items = v.object();
  for (std::size_t j = 0; j < items.size(); ++j) {
    const Value& table = items[j].second;
    if (!ValidBindingKey(items[j].first)) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ":", v.key_line(j), ":", v.key_column(j), ": binding key \"",
          items[j].first,
          "\" is not env:NAME, settings:NAME or a table-name pattern"));
    }
    if (!table.is_string() || !ValidTableName(table.string_value())) {
      return ErrorAt(file, table,
                     absl::StrCat("binding \"", items[j].first,
                                  "\" must be a DynamoDB table name"));
    }
    config->bindings[items[j].first] = table.string_value();
  }
  return absl::OkStatus();
}

}  // namespace

bool ProjectConfig::HasPolicies() const {
  return !policies.empty() || !scps.empty() || !rcps.empty() ||
         !cloudformation.empty() || !terraform.empty();
}

absl::StatusOr<ProjectConfig> ParseProjectConfig(std::string_view text,
                                                 const std::string& path) {
  json::JsonLimits limits;
  limits.max_bytes = kMaxConfigBytes;
  absl::StatusOr<Value> doc = json::Parse(text, limits);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", doc.status().message()));
  }
  if (!doc->is_object()) {
    return ErrorAt(path, *doc, "configuration must be a JSON object");
  }
  ProjectConfig config;
  config.path = path;
  const Value* scp_entry = nullptr;
  const Value* rcp_entry = nullptr;
  const Value* scp_levels = nullptr;
  const Value* rcp_levels = nullptr;
  const auto& members = doc->object();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string& name = members[i].first;
    const Value& v = members[i].second;
    if (name == "bindings") {
      if (absl::Status s = Bindings(path, v, &config); !s.ok()) return s;
    } else if (name == "policies") {
      if (!v.is_array()) return ErrorAt(path, v, "\"policies\" must be a list");
      for (const Value& item : v.array()) {
        auto p = PolicyEntry(path, item);
        if (!p.ok()) return p.status();
        if (p->kind == PolicyKind::kScp && scp_entry == nullptr) {
          scp_entry = &item;
        }
        if (p->kind == PolicyKind::kRcp && rcp_entry == nullptr) {
          rcp_entry = &item;
        }
        config.policies.push_back(*std::move(p));
      }
    } else if (name == "scps" || name == "rcps") {
      auto levels = Levels(path, v, name);
      if (!levels.ok()) return levels.status();
      (name == "scps" ? config.scps : config.rcps) = *std::move(levels);
      (name == "scps" ? scp_levels : rcp_levels) = &v;
    } else if (name == "cloudformation" || name == "terraform") {
      auto list = StringList(path, v, name);
      if (!list.ok()) return list.status();
      (name == "cloudformation" ? config.cloudformation : config.terraform) =
          *std::move(list);
    } else if (name == "$schema") {
      // Editors' schema hint; not read.
    } else {
      std::string* field = name == "account"     ? &config.account
                           : name == "region"    ? &config.region
                           : name == "principal" ? &config.principal
                           : name == "code"      ? &config.code
                           : name == "code_role" ? &config.code_role
                           : name == "fail_on"   ? &config.fail_on
                                                 : nullptr;
      if (field == nullptr) {
        return UnknownMember(path, *doc, i, "member", KnownMembers());
      }
      auto s = StringField(path, v, name);
      if (!s.ok()) return s.status();
      *field = *s;
      if (name == "account" &&
          (field->size() != 12 ||
           !std::all_of(field->begin(), field->end(), absl::ascii_isdigit))) {
        return ErrorAt(
            path, v, absl::StrCat("account \"", *field, "\" is not 12 digits"));
      }
      if (name == "fail_on") {
        if (absl::StatusOr<FailLevel> l = ParseFailLevel(*field); !l.ok()) {
          return ErrorAt(path, v, std::string(l.status().message()));
        }
      }
    }
  }
  for (auto [entry, levels, what] :
       {std::make_tuple(scp_entry, scp_levels, "scp"),
        std::make_tuple(rcp_entry, rcp_levels, "rcp")}) {
    if (entry != nullptr && levels != nullptr) {
      return ErrorAt(
          path, *entry,
          absl::StrCat("give the ", what, " levels either as \"", what,
                       "s\" or as \"policies\" entries of "
                       "kind \"",
                       what, "\", not both"));
    }
  }
  return config;
}

absl::StatusOr<ProjectConfig> LoadProjectConfig(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the configuration file"));
  }
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": larger than ", kMaxConfigBytes, " bytes (max_bytes)"));
    }
  }
  return ParseProjectConfig(text, path);
}

absl::Status ParseBinding(std::string_view text, std::string* key,
                          std::string* table) {
  std::size_t eq = text.find('=');
  std::string_view k = eq == std::string_view::npos ? text : text.substr(0, eq);
  if (eq == std::string_view::npos || !ValidBindingKey(k)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--bind expects env:NAME=TABLE or settings:NAME=TABLE, not \"",
        std::string(text), "\""));
  }
  std::string_view t = text.substr(eq + 1);
  if (!ValidTableName(t)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bind \"", std::string(text), "\": \"", std::string(t),
                     "\" is not a DynamoDB table name"));
  }
  *key = std::string(k);
  *table = std::string(t);
  return absl::OkStatus();
}

}  // namespace leastpriv
