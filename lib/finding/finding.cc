// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The one table of finding codes and the one table of severities, with
// every spelling each has.

#include "leastpriv/finding.h"

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

namespace leastpriv {
namespace {

struct SeverityEntry {
  Severity severity;
  std::string_view name, word, sarif;
};

constexpr SeverityEntry kSeverities[] = {
    {Severity::kError, "error", "high", "error"},
    {Severity::kWarning, "warning", "medium", "warning"},
    {Severity::kSuggestion, "suggestion", "low", "note"},
};

const SeverityEntry& EntryOf(Severity severity) {
  return kSeverities[static_cast<std::size_t>(severity)];
}

struct CodeEntry {
  FindingCode code;
  std::string_view name, id;
  bool in_code;  // located in a Python file of the scanned code
};

constexpr CodeEntry kCodes[] = {
    {FindingCode::kFileUnreadable, "FILE_UNREADABLE", "file-unreadable", false},
    {FindingCode::kJsonSyntaxError, "JSON_SYNTAX_ERROR", "json-syntax-error",
     false},
    {FindingCode::kLimitExceeded, "LIMIT_EXCEEDED", "limit-exceeded", false},
    {FindingCode::kNotAPolicy, "NOT_A_POLICY", "not-a-policy", false},
    {FindingCode::kInvalidType, "INVALID_TYPE", "invalid-type", false},
    {FindingCode::kUnknownElement, "UNKNOWN_ELEMENT", "unknown-element", false},
    {FindingCode::kMissingStatement, "MISSING_STATEMENT", "missing-statement",
     false},
    {FindingCode::kMissingEffect, "MISSING_EFFECT", "missing-effect", false},
    {FindingCode::kInvalidEffect, "INVALID_EFFECT", "invalid-effect", false},
    {FindingCode::kMissingAction, "MISSING_ACTION", "missing-action", false},
    {FindingCode::kActionAndNotAction, "ACTION_AND_NOT_ACTION",
     "action-and-not-action", false},
    {FindingCode::kResourceAndNotResource, "RESOURCE_AND_NOT_RESOURCE",
     "resource-and-not-resource", false},
    {FindingCode::kPrincipalAndNotPrincipal, "PRINCIPAL_AND_NOT_PRINCIPAL",
     "principal-and-not-principal", false},
    {FindingCode::kInvalidPrincipal, "INVALID_PRINCIPAL", "invalid-principal",
     false},
    {FindingCode::kEmptyElement, "EMPTY_ELEMENT", "empty-element", false},
    {FindingCode::kInvalidVersion, "INVALID_VERSION", "invalid-version", false},
    {FindingCode::kInvalidAction, "INVALID_ACTION", "invalid-action", false},
    {FindingCode::kInvalidArn, "INVALID_ARN", "invalid-arn", false},
    {FindingCode::kWildcardInArnService, "WILDCARD_IN_ARN_SERVICE",
     "wildcard-in-arn-service", false},
    {FindingCode::kUnknownConditionOperator, "UNKNOWN_CONDITION_OPERATOR",
     "unknown-condition-operator", false},
    {FindingCode::kPrincipalNotSupported, "PRINCIPAL_NOT_SUPPORTED",
     "principal-not-supported", false},
    {FindingCode::kMissingPrincipal, "MISSING_PRINCIPAL", "missing-principal",
     false},
    {FindingCode::kMissingResource, "MISSING_RESOURCE", "missing-resource",
     false},
    {FindingCode::kDuplicateSid, "DUPLICATE_SID", "duplicate-sid", false},
    {FindingCode::kMissingVersion, "MISSING_VERSION", "missing-version", false},
    {FindingCode::kPolicyVariableInOldVersion, "POLICY_VARIABLE_IN_OLD_VERSION",
     "policy-variable-in-old-version", false},
    {FindingCode::kUnknownAction, "UNKNOWN_ACTION", "unknown-action", false},
    {FindingCode::kActionResourceMismatch, "ACTION_RESOURCE_MISMATCH",
     "action-resource-mismatch", false},
    {FindingCode::kUnknownConditionKey, "UNKNOWN_CONDITION_KEY",
     "unknown-condition-key", false},
    {FindingCode::kConditionKeyNotApplicable, "CONDITION_KEY_NOT_APPLICABLE",
     "condition-key-not-applicable", false},
    {FindingCode::kDenyWithNotPrincipal, "DENY_WITH_NOT_PRINCIPAL",
     "deny-with-not-principal", false},
    {FindingCode::kRedundantAction, "REDUNDANT_ACTION", "redundant-action",
     false},
    {FindingCode::kRedundantResource, "REDUNDANT_RESOURCE",
     "redundant-resource", false},
    {FindingCode::kRedundantStatement, "REDUNDANT_STATEMENT",
     "redundant-statement", false},
    {FindingCode::kAwsAccessKeyId, "AWS_ACCESS_KEY_ID", "aws-access-key-id",
     true},
    {FindingCode::kAwsSecretAccessKey, "AWS_SECRET_ACCESS_KEY",
     "aws-secret-access-key", true},
    {FindingCode::kAwsSessionToken, "AWS_SESSION_TOKEN", "aws-session-token",
     true},
    {FindingCode::kDjangoSecretKey, "DJANGO_SECRET_KEY", "django-secret-key",
     true},
    {FindingCode::kDatabaseUrlPassword, "DATABASE_URL_PASSWORD",
     "database-url-password", true},
    {FindingCode::kDjangoDebugTrue, "DJANGO_DEBUG_TRUE", "django-debug-true",
     true},
    {FindingCode::kPublicTablePolicy, "PUBLIC_TABLE_POLICY",
     "public-table-policy", false},
    {FindingCode::kCrossAccountTablePolicy, "CROSS_ACCOUNT_TABLE_POLICY",
     "cross-account-table-policy", false},
    {FindingCode::kScanWhereQuerySuffices, "SCAN_WHERE_QUERY_SUFFICES",
     "scan-where-query-suffices", false},
    {FindingCode::kUnresolvedTable, "UNRESOLVED_TABLE", "unresolved-table",
     true},
    {FindingCode::kScanError, "SCAN_ERROR", "scan-error", true},
    {FindingCode::kUncertainOperation, "UNCERTAIN_OPERATION",
     "uncertain-operation", true},
    {FindingCode::kLoggedResourceNotChecked, "LOGGED_RESOURCE_NOT_CHECKED",
     "logged-resource-not-checked", false},
};

// The table is indexed by the enum: each entry sits at its code's value.
constexpr bool TableInEnumOrder() {
  for (std::size_t i = 0; i < std::size(kCodes); ++i) {
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  }
  for (std::size_t i = 0; i < std::size(kSeverities); ++i) {
    if (static_cast<std::size_t>(kSeverities[i].severity) != i) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "finding tables out of enum order");
// A code added after kLoggedResourceNotChecked takes its place here.
static_assert(
    std::size(kCodes) ==
        static_cast<std::size_t>(FindingCode::kLoggedResourceNotChecked) + 1,
    "a finding code without an entry");

const CodeEntry& EntryOf(FindingCode code) {
  return kCodes[static_cast<std::size_t>(code)];
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  return EntryOf(severity).name;
}

std::string_view SeverityWord(Severity severity) {
  return EntryOf(severity).word;
}

std::string_view SarifLevel(Severity severity) {
  return EntryOf(severity).sarif;
}

std::string_view FindingCodeName(FindingCode code) {
  return EntryOf(code).name;
}

std::string_view FindingId(FindingCode code) { return EntryOf(code).id; }

std::optional<FindingCode> ParseFindingCode(std::string_view text) {
  for (const CodeEntry& e : kCodes) {
    if (text == e.name || text == e.id) return e.code;
  }
  return std::nullopt;
}

bool IsCodeFinding(FindingCode code) { return EntryOf(code).in_code; }

}  // namespace leastpriv
