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

// "file:line:col", or just "file" when there is no position; "line:col"
// when there is a position but no file name. Column 0 means only the line
// is known: "file:line" (or "line").
std::string FormatPos(const SourcePos& pos);

// Ordered by file, then line, then column.
bool operator<(const SourcePos& a, const SourcePos& b);
bool operator==(const SourcePos& a, const SourcePos& b);

// A string as written in a policy, with where it was written.
struct PolicyString {
  std::string text;
  SourcePos pos;
};

// The role a policy plays in the authorization decision.
enum class PolicyKind {
  kIdentity,  // attached to the principal (inline or managed)
  kResource,  // attached to a table or stream (resource-based)
  kBoundary,  // permissions boundary of the principal
  kSession,   // session policy passed to AssumeRole / GetFederationToken
  kScp,       // service control policy (one organisation level)
  kRcp,       // resource control policy (one organisation level)
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
  SourcePos sid_pos;  // the Sid value, when present
  Effect effect = Effect::kAllow;
  SourcePos effect_pos;                     // the Effect value
  std::optional<PrincipalBlock> principal;  // Principal or NotPrincipal
  bool not_action = false;                  // NotAction instead of Action
  std::vector<PolicyString> actions;
  SourcePos action_pos;       // the Action / NotAction value
  bool not_resource = false;  // NotResource instead of Resource
  bool has_resource = false;  // Resource or NotResource present at all
  std::vector<PolicyString> resources;
  SourcePos resource_pos;  // the Resource / NotResource value, when present
  std::vector<Condition> conditions;
  SourcePos pos;  // the statement's opening brace
  int index = 0;  // position in the Statement array, from 0
};

struct Policy {
  PolicyKind kind = PolicyKind::kIdentity;
  std::string name;       // e.g. managed policy name or file name
  std::string version;    // "2012-10-17", "2008-10-17", or "" when absent
  SourcePos version_pos;  // the Version value, when present
  std::optional<std::string> id;
  std::vector<Statement> statements;
  SourcePos pos;
};

// True when policy variables ("${aws:username}", "${*}", ...) in Resource
// and condition values are substituted: only with Version "2012-10-17".
// Under "2008-10-17" or without a Version they are literal text.
bool PolicyVariablesEnabled(const Policy& policy);

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
  std::size_t max_bytes = 16u << 20;     // whole input
  int max_depth = 64;                    // JSON nesting
  std::size_t max_statements = 10000;    // per policy
  std::size_t max_string_length = 4096;  // one action/resource/value
  std::size_t max_values = 100000;       // strings in one policy
  // The JSON reader also stops after 4 * max_values + 64 values of any kind,
  // which bounds memory for inputs such as a huge array of numbers.
};

struct ParseOptions {
  std::string file_name;  // used in positions and messages
  PolicyKind kind = PolicyKind::kIdentity;
  ParseLimits limits;
};

// Parses one policy document. Accepted input shapes:
//   - a bare document: {"Version": ..., "Statement": ...};
//   - `aws iam get-role-policy` / `get-user-policy` / `get-group-policy`
//     output and CloudFormation properties: {"PolicyDocument": DOC, ...};
//   - `aws iam get-policy-version` output:
//     {"PolicyVersion": {"Document": DOC, "VersionId": ..., ...}};
//   - `aws dynamodb get-resource-policy` output: {"Policy": DOC, ...};
//   - a PolicyVersion object alone: {"Document": DOC, ...};
// where DOC is an object, a JSON string holding the document, or a string
// holding the URL-encoded document (as the IAM API returns it; '+' is not
// decoded as a space). The whole input may also be such a string.
//
// Positions inside an embedded document are mapped back to the file: the
// line is the line of the embedding string literal and the column is the
// column of the (escaped or percent-encoded) source bytes the element was
// decoded from. A document embedded inside an already embedded document gets
// the position of its string literal for every element.
//
// Errors (InvalidArgument, "file:line:col: message"): malformed JSON, a
// ParseLimits limit exceeded (the message names the limit), input that is
// not a policy, and every structural error listed in validate.h (wrong JSON
// types, missing Effect, both Action and NotAction, unknown elements, ...).
// The first such problem is reported; ValidatePolicyText reports them all.
// Semantic problems (unknown actions, bad ARNs, Principal in an identity
// policy, ...) are not parse errors: see ValidatePolicy.
absl::StatusOr<Policy> ParsePolicy(std::string_view text,
                                   const ParseOptions& options);

// Reads and parses a policy file. NotFound / PermissionDenied for unreadable
// files, InvalidArgument for anything that is not a policy (including a file
// larger than options.limits.max_bytes, which is not read).
absl::StatusOr<Policy> LoadPolicyFile(const std::string& path,
                                      const ParseOptions& options);

// Reads the output of `aws iam get-account-authorization-details` and returns
// the policies of the role named `role_name` (exact match): its inline
// policies (RoleDetailList[].RolePolicyList, named by PolicyName) and its
// attached managed policies (AttachedManagedPolicies, resolved against
// Policies[] by Arn, using the PolicyVersionList entry with IsDefaultVersion
// true, named by PolicyName) as identity policies, and its permissions
// boundary (PermissionsBoundary.PermissionsBoundaryArn, resolved the same
// way) as `boundary`. Documents may be objects or URL-encoded strings.
// Errors: NotFound naming the role and listing up to five available role
// names when the role is absent; NotFound naming the ARN when an attached
// policy or the boundary is not in Policies[]; InvalidArgument with
// "file:line:col: message" for malformed input or a policy with a
// structural error; the limits apply to the whole file (max_bytes) and to
// each policy. When `arn` is not null, it receives the role's Arn (empty
// when the entry has none).
absl::StatusOr<PolicySet> LoadRoleFromAuthorizationDetails(
    const std::string& path, std::string_view role_name,
    const ParseLimits& limits = ParseLimits(), std::string* arn = nullptr);

// One role of `aws iam get-account-authorization-details` output.
struct AuthorizationDetailsRole {
  std::string name;  // RoleName
  std::string arn;   // Arn; empty when the entry has none
  // The role's policies as LoadRoleFromAuthorizationDetails returns them, or
  // the error it returns for this role (a policy with a structural error, an
  // attached policy missing from Policies[], ...).
  absl::StatusOr<PolicySet> policies;
};

// Every role of a `get-account-authorization-details` output (entries of
// RoleDetailList with a RoleName), in the order of the file, each with its
// policies read as LoadRoleFromAuthorizationDetails reads them. A role whose
// policies cannot be read carries the error in `policies`; the other roles
// are still read. Errors (for the whole file): those of
// LoadRoleFromAuthorizationDetails for an unreadable, malformed or oversized
// file, or one without a RoleDetailList array. A file listing no roles gives
// an empty vector.
absl::StatusOr<std::vector<AuthorizationDetailsRole>>
LoadRolesFromAuthorizationDetails(const std::string& path,
                                  const ParseLimits& limits = ParseLimits());

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_POLICY_H_
