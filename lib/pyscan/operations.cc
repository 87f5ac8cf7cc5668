// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/operations.h"

#include <cctype>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "leastpriv/catalog.h"

namespace leastpriv::pyscan {
namespace {

const char* const kDynamoDbOperations[] = {
    "BatchExecuteStatement",
    "BatchGetItem",
    "BatchWriteItem",
    "CreateBackup",
    "CreateGlobalTable",
    "CreateTable",
    "DeleteBackup",
    "DeleteItem",
    "DeleteResourcePolicy",
    "DeleteTable",
    "DescribeBackup",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeEndpoints",
    "DescribeExport",
    "DescribeGlobalTable",
    "DescribeGlobalTableSettings",
    "DescribeImport",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTableReplicaAutoScaling",
    "DescribeTimeToLive",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "ExecuteStatement",
    "ExecuteTransaction",
    "ExportTableToPointInTime",
    "GetItem",
    "GetResourcePolicy",
    "ImportTable",
    "ListBackups",
    "ListContributorInsights",
    "ListExports",
    "ListGlobalTables",
    "ListImports",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "PutResourcePolicy",
    "Query",
    "RestoreTableFromBackup",
    "RestoreTableToPointInTime",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateGlobalTable",
    "UpdateGlobalTableSettings",
    "UpdateItem",
    "UpdateKinesisStreamingDestination",
    "UpdateTable",
    "UpdateTableReplicaAutoScaling",
    "UpdateTimeToLive",
    nullptr};

std::string SnakeToCamel(const std::string& s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (c == '_') {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(toupper(c)) : c);
    up = false;
  }
  return out;
}

}  // namespace

bool IsAccountLevel(const std::string& op) {
  const ActionInfo* info = FindAction("dynamodb:" + op);
  return info != nullptr && info->wildcard_only();
}

const std::vector<std::string>& DynamoDbOperations() {
  static const std::vector<std::string>* const kAll = [] {
    auto* all = new std::vector<std::string>();
    for (int i = 0; kDynamoDbOperations[i] != nullptr; ++i) {
      all->push_back(kDynamoDbOperations[i]);
    }
    return all;
  }();
  return *kAll;
}

std::string DynamoDbOperationForMethod(const std::string& method) {
  // Asked for every method call the analysis meets: a set, not a scan of
  // the list.
  static const absl::flat_hash_set<std::string>* const kKnown =
      new absl::flat_hash_set<std::string>(DynamoDbOperations().begin(),
                                           DynamoDbOperations().end());
  std::string camel = SnakeToCamel(method);
  return kKnown->contains(camel) ? camel : "";
}

PartiqlTarget ParsePartiqlStatement(const std::string& statement) {
  PartiqlTarget t;
  size_t i = 0;
  auto skip_space = [&]() {
    while (i < statement.size() &&
           isspace(static_cast<unsigned char>(statement[i])))
      ++i;
  };
  auto word = [&]() {
    skip_space();
    size_t start = i;
    while (i < statement.size() &&
           (isalnum(static_cast<unsigned char>(statement[i])) ||
            statement[i] == '_'))
      ++i;
    return absl::AsciiStrToLower(statement.substr(start, i - start));
  };
  auto name = [&]() -> std::string {
    skip_space();
    if (i < statement.size() && statement[i] == '"') {
      size_t end = statement.find('"', i + 1);
      if (end == std::string::npos) return "";
      std::string n = statement.substr(i + 1, end - i - 1);
      i = end + 1;
      return n;
    }
    size_t start = i;
    while (i < statement.size() &&
           (isalnum(static_cast<unsigned char>(statement[i])) ||
            statement[i] == '_' || statement[i] == '-' || statement[i] == '.' ||
            statement[i] == '*'))
      ++i;
    return statement.substr(start, i - start);
  };
  std::string verb = word();
  if (verb == "select") {
    t.action = "dynamodb:PartiQLSelect";
    // Find FROM at word boundary outside quotes.
    std::string lower = absl::AsciiStrToLower(statement);
    size_t p = i;
    bool in_quote = false;
    for (; p < lower.size(); ++p) {
      if (lower[p] == '"' || lower[p] == '\'') in_quote = !in_quote;
      if (!in_quote && lower.compare(p, 4, "from") == 0 &&
          (p == 0 || isspace(static_cast<unsigned char>(lower[p - 1]))) &&
          (p + 4 >= lower.size() ||
           isspace(static_cast<unsigned char>(lower[p + 4])) ||
           lower[p + 4] == '"'))
        break;
    }
    if (p >= lower.size()) return t;
    i = p + 4;
    t.table = name();
    if (i < statement.size() && statement[i] == '.') {
      ++i;
      t.index = name();
    } else if (!statement.empty() && t.table.find('.') != std::string::npos &&
               statement.find('"') == std::string::npos) {
      size_t dot = t.table.find('.');
      t.index = t.table.substr(dot + 1);
      t.table = t.table.substr(0, dot);
    }
  } else if (verb == "insert") {
    t.action = "dynamodb:PartiQLInsert";
    if (word() == "into") t.table = name();
  } else if (verb == "update") {
    t.action = "dynamodb:PartiQLUpdate";
    t.table = name();
  } else if (verb == "delete") {
    t.action = "dynamodb:PartiQLDelete";
    if (word() == "from") t.table = name();
  } else if (verb == "exists") {
    // EXISTS(SELECT ...) in a transaction condition: a select.
    t.action = "dynamodb:PartiQLSelect";
  }
  return t;
}

}  // namespace leastpriv::pyscan
