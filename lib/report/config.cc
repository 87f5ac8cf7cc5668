// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Fail levels and the risk of an action.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "leastpriv/report.h"

namespace leastpriv {
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
  if (text == "tenant-isolation") return FailLevel::kTenantIsolation;
  if (text == "missing") return FailLevel::kMissing;
  return absl::InvalidArgumentError(absl::StrCat(
      "fail level \"", std::string(text),
      "\" is not one of any, read, write, data-exposure, destructive, "
      "tenant-isolation, missing"));
}

}  // namespace leastpriv
