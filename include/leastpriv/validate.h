// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policy validation: findings about a policy document, in the spirit of IAM
// Access Analyzer's policy checks, each with a stable code, a severity, a
// message a person can act on and the source position it is about.
//
// Two kinds of problem are distinguished:
//
//   Structural problems are found while reading the document. The document
//   cannot be modelled faithfully (the Policy struct has no way to express
//   "Effect missing" or "both Action and NotAction"), or IAM itself would
//   reject the document as syntactically invalid (unknown element). They are
//   parse errors for ParsePolicy (the first one becomes its InvalidArgument
//   message) and error findings for ValidatePolicyText / ValidatePolicyFile,
//   which report all of them and drop the statements that cannot be
//   modelled before running the semantic checks on the rest.
//
//   Semantic problems concern a well-formed model: unknown actions, ARN
//   syntax, principals in the wrong kind of policy, redundancy. The parser
//   accepts them; ValidatePolicy reports them.
//
// Finding codes (FindingCode, finding.h; shown as FindingCodeName):
//
//   Input that cannot be used at all (FileValidation::usable == false):
//     FILE_UNREADABLE          file missing, unreadable or a directory
//     JSON_SYNTAX_ERROR        malformed JSON (with the line:col of the fault)
//     LIMIT_EXCEEDED           a ParseLimits limit (named in the message)
//     NOT_A_POLICY             valid JSON, but not a policy or known wrapper
//
//   Structural (error):
//     INVALID_TYPE             an element has the wrong JSON type
//     UNKNOWN_ELEMENT          unknown top-level or statement element
//     MISSING_STATEMENT        no Statement element
//     MISSING_EFFECT           statement without Effect (statement dropped)
//     INVALID_EFFECT           Effect other than "Allow" / "Deny" (dropped)
//     MISSING_ACTION           neither Action nor NotAction (dropped)
//     ACTION_AND_NOT_ACTION    both Action and NotAction (dropped)
//     RESOURCE_AND_NOT_RESOURCE  both Resource and NotResource (dropped)
//     PRINCIPAL_AND_NOT_PRINCIPAL  both Principal and NotPrincipal (dropped)
//     INVALID_PRINCIPAL        a Principal that is neither "*" nor an object
//                              of AWS / Service / Federated / CanonicalUser
//     EMPTY_ELEMENT            an empty Action / Resource / Principal list
//     INVALID_VERSION          Version other than 2012-10-17 / 2008-10-17
//
//   Semantic (ValidatePolicy):
//     error      INVALID_ACTION               action not "service:pattern"
//     error      INVALID_ARN                  resource neither "*" nor an
//                                             ARN with six segments
//     error      WILDCARD_IN_ARN_SERVICE      '*' or '?' in an ARN's service
//     error      UNKNOWN_CONDITION_OPERATOR   operator name not recognised
//     error      PRINCIPAL_NOT_SUPPORTED      Principal / NotPrincipal in an
//                                             identity, boundary, session or
//                                             SCP policy
//     error      MISSING_PRINCIPAL            resource policy statement
//                                             without Principal
//     error      MISSING_RESOURCE             statement without Resource
//     error      DUPLICATE_SID                two statements share a Sid
//     warning    MISSING_VERSION              no Version element
//     warning    POLICY_VARIABLE_IN_OLD_VERSION  "${...}" without Version
//                                             2012-10-17 (matched literally)
//     warning    UNKNOWN_ACTION               dynamodb: action (or pattern)
//                                             naming no DynamoDB action, with
//                                             a did-you-mean suggestion
//     warning    ACTION_RESOURCE_MISMATCH     a DynamoDB action that applies
//                                             to none of the statement's
//                                             DynamoDB resources
//     warning    UNKNOWN_CONDITION_KEY        dynamodb: key not in catalog
//     warning    CONDITION_KEY_NOT_APPLICABLE  dynamodb: key supported by
//                                             none of the listed actions
//     warning    DENY_WITH_NOT_PRINCIPAL      Deny with NotPrincipal
//     suggestion REDUNDANT_ACTION             action listed twice or covered
//                                             by a pattern in the statement
//     suggestion REDUNDANT_RESOURCE           the same for resources
//     suggestion REDUNDANT_STATEMENT          statement equal to an earlier
//                                             one apart from its Sid

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_VALIDATE_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_VALIDATE_H_

#include <string>
#include <string_view>
#include <vector>

#include "leastpriv/finding.h"
#include "leastpriv/policy.h"

namespace leastpriv {

// Runs the semantic checks on a parsed policy (the policy's kind decides
// the Principal rules). Findings are ordered by position, then code.
// Uses the DynamoDB catalog (catalog.h) for actions, resource types and
// condition keys.
std::vector<Finding> ValidatePolicy(const Policy& policy);

// The findings for one input.
struct FileValidation {
  std::string file;
  // False when the input could not be used at all (code FILE_UNREADABLE,
  // JSON_SYNTAX_ERROR, LIMIT_EXCEEDED or NOT_A_POLICY); `findings` then
  // holds exactly that one error.
  bool usable = true;
  std::vector<Finding> findings;  // structural, then semantic; by position
};

// Reads `text` as a policy (every input shape ParsePolicy accepts, with
// options.file_name in positions) and reports all structural problems and
// the semantic findings of ValidatePolicy.
FileValidation ValidatePolicyText(std::string_view text,
                                  const ParseOptions& options);

// As ValidatePolicyText for the file at `path` (the file name in positions
// is options.file_name, or `path` when that is empty).
FileValidation ValidatePolicyFile(const std::string& path,
                                  const ParseOptions& options);

// True when some finding is an error or a warning.
bool HasWarningOrError(const std::vector<Finding>& findings);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_VALIDATE_H_
