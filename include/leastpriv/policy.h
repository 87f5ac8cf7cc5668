// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The IAM policy model: what a parsed policy document looks like, where each
// piece of it came from, and how policies of different kinds are grouped into
// the set that decides one request.
//
// Every element keeps its source position so that findings, witnesses and
// review comments can point at the exact line a person wrote.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_POLICY_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_POLICY_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace leastpriv {

// A place in an input file. Lines and columns count from 1; a column counts
// bytes. `line == 0` means "no position" (e.g. a policy built in code).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

// "file:line:col", or just "file" when there is no position.
std::string FormatPos(const SourcePos& pos);

// A string as written in a policy, with where it was written.
struct PolicyString {
  std::string text;
  SourcePos pos;
};

// The role a policy plays in the authorization decision.
enum class PolicyKind {
  kIdentity,   // attached to the principal (inline or managed)
  kResource,   // attached to a table or stream (resource-based)
  kBoundary,   // permissions boundary of the principal
  kSession,    // session policy passed to AssumeRole / GetFederationToken
  kScp,        // service control policy (one organisation level)
  kRcp,        // resource control policy (one organisation level)
};

// "identity", "resource", "boundary", "session", "scp", "rcp".
std::string_view PolicyKindName(PolicyKind kind);

enum class Effect { kAllow, kDeny };

// One principal named in a Principal / NotPrincipal element.
enum class PrincipalType {
  kAny,            // "Principal": "*"  (also {"AWS": "*"} is kAws with "*")
  kAws,            // account ids, account/role/user ARNs
  kService,        // e.g. "lambda.amazonaws.com"
  kFederated,      // identity providers
  kCanonicalUser,  // S3 canonical user ids
};

struct PrincipalEntry {
  PrincipalType type = PrincipalType::kAny;
  std::string value;  // "*" for kAny
  SourcePos pos;
};

// A Principal or NotPrincipal element.
struct PrincipalBlock {
  bool negated = false;  // true for NotPrincipal
  std::vector<PrincipalEntry> entries;
  SourcePos pos;
};

// Condition operators, without the IfExists suffix and set qualifier.
enum class ConditionOperator {
  kUnknown,
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateNotEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kNotIpAddress,
  kArnEquals,
  kArnNotEquals,
  kArnLike,
  kArnNotLike,
  kNull,
};

// The operator's IAM name, e.g. "StringLike".
std::string_view ConditionOperatorName(ConditionOperator op);

enum class SetQualifier { kNone, kForAllValues, kForAnyValue };

// The JSON type a condition value was written with.
enum class ValueType { kString, kNumber, kBool };

struct ConditionValue {
  std::string text;  // the value as a string ("true", "10", "arn:...")
  ValueType type = ValueType::kString;
  SourcePos pos;
};

// One (operator, key) pair of a Condition block with its values. Several
// values are OR-ed; several Condition entries of a statement are AND-ed.
struct Condition {
  std::string op_text;  // as written: "ForAnyValue:StringLikeIfExists"
  ConditionOperator op = ConditionOperator::kUnknown;
  SetQualifier qualifier = SetQualifier::kNone;
  bool if_exists = false;
  std::string key;  // as written; condition keys compare case-insensitively
  std::vector<ConditionValue> values;
  SourcePos pos;  // position of the key
};

struct Statement {
  std::optional<std::string> sid;
  Effect effect = Effect::kAllow;
  std::optional<PrincipalBlock> principal;  // Principal or NotPrincipal
  bool not_action = false;                  // NotAction instead of Action
  std::vector<PolicyString> actions;
  bool not_resource = false;  // NotResource instead of Resource
  bool has_resource = false;  // Resource or NotResource present at all
  std::vector<PolicyString> resources;
  std::vector<Condition> conditions;
  SourcePos pos;   // the statement's opening brace
  int index = 0;   // position in the Statement array, from 0
};

struct Policy {
  PolicyKind kind = PolicyKind::kIdentity;
  std::string name;     // e.g. managed policy name or file name
  std::string version;  // "2012-10-17", "2008-10-17", or "" when absent
  std::optional<std::string> id;
  std::vector<Statement> statements;
  SourcePos pos;
};

// All policies that take part in deciding requests of one principal.
//
// Decision (see analyzer.h): an explicit Deny in any policy wins; otherwise
// every SCP level and every RCP level must allow, and either identity ∧
// boundary (if any) ∧ session (if any) allow, or a same-account resource
// policy allows the principal.
struct PolicySet {
  std::vector<Policy> identity;
  // Resource-based policies keyed by the table (or stream) name or ARN they
  // are attached to.
  std::map<std::string, std::vector<Policy>> resource;
  std::optional<Policy> boundary;
  std::optional<Policy> session;
  std::vector<std::vector<Policy>> scp_levels;  // root first
  std::vector<std::vector<Policy>> rcp_levels;  // root first
};

// Limits applied while reading untrusted input. Exceeding one is an
// InvalidArgument error that names the limit.
struct ParseLimits {
  std::size_t max_bytes = 16u << 20;       // whole input
  int max_depth = 64;                      // JSON nesting
  std::size_t max_statements = 10000;      // per policy
  std::size_t max_string_length = 4096;    // one action/resource/value
  std::size_t max_values = 100000;         // strings in one policy
};

struct ParseOptions {
  std::string file_name;  // used in positions and messages
  PolicyKind kind = PolicyKind::kIdentity;
  ParseLimits limits;
};

// Parses one policy document (a bare document or a CLI/API wrapper such as
// {"PolicyDocument": ...} or {"PolicyVersion": {"Document": ...}}, where the
// document may be embedded as a JSON string or URL-encoded).
// Errors carry "file:line:col: message".
absl::StatusOr<Policy> ParsePolicy(std::string_view text,
                                   const ParseOptions& options);

// Reads and parses a policy file. NotFound / PermissionDenied for unreadable
// files, InvalidArgument for anything that is not a policy.
absl::StatusOr<Policy> LoadPolicyFile(const std::string& path,
                                      const ParseOptions& options);

// Reads the output of `aws iam get-account-authorization-details` and returns
// the policies of the role named `role_name`: inline and attached managed
// policies as identity policies and the permissions boundary, if any.
absl::StatusOr<PolicySet> LoadRoleFromAuthorizationDetails(
    const std::string& path, std::string_view role_name,
    const ParseLimits& limits = ParseLimits());

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_POLICY_H_
