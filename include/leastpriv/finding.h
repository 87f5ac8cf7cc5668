// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Findings: something in a policy or in the code worth a person's
// attention, with a stable code, a severity, a message and where it is. The
// policy reader and validator (validate.h), the scanner (pyscan.h) and the
// check (report.h) all report this one type; the text, JSON, Markdown and
// SARIF reports render it.
//
// Each code and each severity has one spelling per vocabulary, kept in one
// table (finding.cc):
//
//   code      FindingCodeName  "UNKNOWN_ACTION"   validate's output
//             FindingId        "unknown-action"   check, scan, review, SARIF
//   severity  SeverityName     "error", "warning", "suggestion"   validate
//             SeverityWord     "high", "medium", "low"            check, scan
//             SarifLevel       "error", "warning", "note"         SARIF, review

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_FINDING_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_FINDING_H_

#include <optional>
#include <string>
#include <string_view>

#include "leastpriv/policy.h"

namespace leastpriv {

// From worst to mildest.
enum class Severity { kError, kWarning, kSuggestion };

// "error", "warning", "suggestion".
std::string_view SeverityName(Severity severity);

// "high", "medium", "low".
std::string_view SeverityWord(Severity severity);

// "error", "warning", "note": SARIF 2.1.0 result levels.
std::string_view SarifLevel(Severity severity);

// Every finding leastpriv reports. The codes are stable: new ones may be
// added (last; the table in finding.cc is checked against the last code),
// existing ones keep their meaning and spelling.
enum class FindingCode {
  // The policy reader: input that cannot be used at all (validate.h).
  kFileUnreadable,
  kJsonSyntaxError,
  kLimitExceeded,
  kNotAPolicy,
  // The policy reader: structural problems (validate.h).
  kInvalidType,
  kUnknownElement,
  kMissingStatement,
  kMissingEffect,
  kInvalidEffect,
  kMissingAction,
  kActionAndNotAction,
  kResourceAndNotResource,
  kPrincipalAndNotPrincipal,
  kInvalidPrincipal,
  kEmptyElement,
  kInvalidVersion,
  // The validator: semantic problems (validate.h).
  kInvalidAction,
  kInvalidArn,
  kWildcardInArnService,
  kUnknownConditionOperator,
  kPrincipalNotSupported,
  kMissingPrincipal,
  kMissingResource,
  kDuplicateSid,
  kMissingVersion,
  kPolicyVariableInOldVersion,
  kUnknownAction,
  kActionResourceMismatch,
  kUnknownConditionKey,
  kConditionKeyNotApplicable,
  kDenyWithNotPrincipal,
  kRedundantAction,
  kRedundantResource,
  kRedundantStatement,
  // The scanner: hard-coded secrets and DEBUG = True (pyscan.h).
  kAwsAccessKeyId,
  kAwsSecretAccessKey,
  kAwsSessionToken,
  kDjangoSecretKey,
  kDatabaseUrlPassword,
  kDjangoDebugTrue,
  // The check (report.h).
  kPublicTablePolicy,
  kCrossAccountTablePolicy,
  kScanWhereQuerySuffices,
  kUnresolvedTable,
  kScanError,
  kUncertainOperation,
  kLoggedResourceNotChecked,
};

// "UNKNOWN_ACTION", "AWS_ACCESS_KEY_ID".
std::string_view FindingCodeName(FindingCode code);

// "unknown-action", "aws-access-key-id": the name in lower case with
// hyphens.
std::string_view FindingId(FindingCode code);

// The code spelled `text` either way (FindingCodeName or FindingId), or
// nullopt.
std::optional<FindingCode> ParseFindingCode(std::string_view text);

// True when a finding of `code` is located in a Python file of the scanned
// code (its file relative to the code root); otherwise it is located in a
// policy file as given, or nowhere.
bool IsCodeFinding(FindingCode code);

// One finding.
struct Finding {
  FindingCode code = FindingCode::kFileUnreadable;
  Severity severity = Severity::kError;
  // For a person, no trailing period. Never contains a whole secret: keys
  // are shown as "AKIA…WXYZ".
  std::string message;
  // An empty file when the finding is about no file; column 0 when only
  // the line is known.
  SourcePos pos;
};

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_FINDING_H_
