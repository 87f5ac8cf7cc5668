// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// leastpriv.json, --bind values, fail levels and the risk of an action.

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "leastpriv/report.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

absl::Status At(const std::string& file, const json::Value& v,
                const std::string& message) {
  return absl::InvalidArgumentError(
      absl::StrCat(file, ":", v.line(), ":", v.column(), ": ", message));
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

}  // namespace

absl::Status ParseBinding(std::string_view text, std::string* key,
                          std::string* table) {
  size_t eq = text.find('=');
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

absl::StatusOr<CheckConfig> LoadCheckConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the configuration file"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  json::JsonLimits limits;
  limits.max_bytes = 1u << 20;
  absl::StatusOr<json::Value> doc = json::Parse(buffer.str(), limits);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", doc.status().message()));
  }
  if (!doc->is_object()) return At(path, *doc, "expected a JSON object");
  CheckConfig config;
  const auto& members = doc->object();
  for (size_t i = 0; i < members.size(); ++i) {
    const std::string& name = members[i].first;
    const json::Value& v = members[i].second;
    if (name == "bindings") {
      if (!v.is_object()) return At(path, v, "\"bindings\" must be an object");
      const auto& items = v.object();
      for (size_t j = 0; j < items.size(); ++j) {
        const json::Value& table = items[j].second;
        if (!ValidBindingKey(items[j].first)) {
          return absl::InvalidArgumentError(absl::StrCat(
              path, ":", v.key_line(j), ":", v.key_column(j),
              ": binding key \"", items[j].first,
              "\" is not env:NAME, settings:NAME or a table-name pattern"));
        }
        if (!table.is_string() || !ValidTableName(table.string_value())) {
          return At(path, table,
                    absl::StrCat("binding \"", items[j].first,
                                 "\" must be a DynamoDB table name"));
        }
        config.bindings[items[j].first] = table.string_value();
      }
      continue;
    }
    std::string* field = name == "account"     ? &config.account
                         : name == "region"    ? &config.region
                         : name == "principal" ? &config.principal
                         : name == "fail_on"   ? &config.fail_on
                                               : nullptr;
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", doc->key_line(i), ":", doc->key_column(i),
          ": unknown member \"", name,
          "\" (expected account, region, principal, bindings or fail_on)"));
    }
    if (!v.is_string()) {
      return At(path, v, absl::StrCat("\"", name, "\" must be a string"));
    }
    *field = v.string_value();
    if (name == "account" &&
        (field->size() != 12 ||
         !std::all_of(field->begin(), field->end(), absl::ascii_isdigit))) {
      return At(path, v,
                absl::StrCat("account \"", *field, "\" is not 12 digits"));
    }
    if (name == "fail_on") {
      if (absl::StatusOr<FailLevel> l = ParseFailLevel(*field); !l.ok()) {
        return At(path, v, std::string(l.status().message()));
      }
    }
  }
  return config;
}

std::string_view SeverityWord(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "high";
    case Severity::kWarning:
      return "medium";
    case Severity::kSuggestion:
      return "low";
  }
  return "medium";
}

Severity SeverityOfWord(std::string_view word) {
  return word == "high"     ? Severity::kError
         : word == "medium" ? Severity::kWarning
                            : Severity::kSuggestion;
}

std::string_view RiskName(Risk risk) {
  switch (risk) {
    case Risk::kDestructive:
      return "destructive";
    case Risk::kDataExposure:
      return "data-exposure";
    case Risk::kWrite:
      return "write";
    case Risk::kRead:
      return "read";
  }
  return "write";
}

Risk ActionRisk(std::string_view action) {
  std::string_view name = action;
  if (size_t colon = name.find(':'); colon != std::string_view::npos) {
    name = name.substr(colon + 1);
  }
  static constexpr std::string_view kDestructive[] = {
      "DeleteTable",
      "DeleteBackup",
      "UpdateTable",
      "PutResourcePolicy",
      "DeleteResourcePolicy",
      "RestoreTableFromBackup",
      "RestoreTableToPointInTime",
      "RestoreTableFromAwsBackup",
      "DeleteTableReplica",
      "UpdateGlobalTable",
      "UpdateGlobalTableSettings",
      "UpdateGlobalTableVersion",
      "UpdateTimeToLive",
      "UpdateContinuousBackups",
      "DisableKinesisStreamingDestination",
      "UpdateAbacStatus",
      "DeleteGlobalTableWitness",
      "ImportTable",
      "InjectError",
      "WriteDataForReplication",
      "ReplicateSettings",
      "UpdateTableReplicaAutoScaling",
  };
  static constexpr std::string_view kExposure[] = {
      "Scan",
      "PartiQLSelect",
      "ExportTableToPointInTime",
      "GetRecords",
      "GetShardIterator",
      "CreateBackup",
      "StartAwsBackupJob",
      "ReadDataForReplication",
      "EnableKinesisStreamingDestination",
      "UpdateKinesisStreamingDestination",
      "SearchVectors",
  };
  for (std::string_view d : kDestructive) {
    if (absl::EqualsIgnoreCase(std::string(d), std::string(name)))
      return Risk::kDestructive;
  }
  for (std::string_view d : kExposure) {
    if (absl::EqualsIgnoreCase(std::string(d), std::string(name)))
      return Risk::kDataExposure;
  }
  const ActionInfo* info = FindAction(action);
  if (info == nullptr) return Risk::kWrite;
  switch (info->access) {
    case AccessLevel::kRead:
    case AccessLevel::kList:
      return Risk::kRead;
    case AccessLevel::kPermissionsManagement:
      return Risk::kDestructive;
    case AccessLevel::kWrite:
    case AccessLevel::kTagging:
      return Risk::kWrite;
  }
  return Risk::kWrite;
}

absl::StatusOr<FailLevel> ParseFailLevel(std::string_view text) {
  if (text == "read" || text == "any") return FailLevel::kRead;
  if (text == "write") return FailLevel::kWrite;
  if (text == "data-exposure") return FailLevel::kDataExposure;
  if (text == "destructive") return FailLevel::kDestructive;
  if (text == "missing") return FailLevel::kMissing;
  return absl::InvalidArgumentError(absl::StrCat(
      "fail level \"", std::string(text),
      "\" is not one of any, read, write, data-exposure, destructive, "
      "missing"));
}

}  // namespace leastpriv
