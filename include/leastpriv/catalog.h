// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The DynamoDB slice of the AWS Service Authorization Reference: actions,
// resource types, condition keys. The data is generated from the published
// reference (see tools/gen_catalog) and never typed by hand.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_CATALOG_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

namespace leastpriv {

enum class AccessLevel {
  kList,
  kRead,
  kWrite,
  kPermissionsManagement,
  kTagging
};

// "List", "Read", "Write", "Permissions management", "Tagging".
std::string_view AccessLevelName(AccessLevel level);

// A resource type an action can be authorized against.
struct ActionResource {
  std::string_view resource_type;  // "table", "index", ...
  bool required = false;
};

struct ActionInfo {
  std::string_view name;  // "GetItem" (without the "dynamodb:" prefix)
  // Where the reference gives two levels ("Tagging, Write"), the first.
  AccessLevel access = AccessLevel::kRead;
  // Empty for wildcard-only actions, which are authorized on Resource "*".
  std::vector<ActionResource> resources;
  // Keys the action supports, including those the reference lists for one
  // of its resource types; sorted case-insensitively.
  std::vector<std::string_view> condition_keys;     // "dynamodb:LeadingKeys"
  std::vector<std::string_view> dependent_actions;  // "dynamodb:DescribeTable"

  bool wildcard_only() const { return resources.empty(); }
  // "dynamodb:GetItem".
  std::string qualified_name() const;
};

struct ResourceTypeInfo {
  std::string_view name;  // "table"
  // "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
  std::string_view arn_template;
  std::vector<std::string_view> condition_keys;
};

// Condition key value types as the reference names them.
enum class ConditionKeyType {
  kString,
  kArrayOfString,
  kNumeric,
  kArrayOfNumeric,
  kDate,
  kBool,
  kArrayOfBool,
  kIpAddress,
  kArn,
  kArrayOfArn,
  kBinary,
};

struct ConditionKeyInfo {
  std::string_view name;  // "dynamodb:LeadingKeys", "aws:SourceIp",
                          // "aws:PrincipalTag/${TagKey}"
  ConditionKeyType type = ConditionKeyType::kString;
  bool multi_valued() const;
};

// Identifies the data the catalog was generated from (package and version).
std::string_view CatalogVersion();

// Every DynamoDB action (dynamodb: service prefix; the streams actions
// GetRecords, GetShardIterator, DescribeStream, ListStreams are among them),
// sorted by name case-insensitively. "Catalog order" below means this order.
// The returned objects live for the whole program.
const std::vector<ActionInfo>& DynamoDbActions();

// Every DynamoDB resource type, sorted by name.
const std::vector<ResourceTypeInfo>& DynamoDbResourceTypes();

// The condition keys the reference lists for the dynamodb service: the
// dynamodb: keys plus the aws: keys it names for DynamoDB
// ("aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys").
// Sorted by name case-insensitively.
const std::vector<ConditionKeyInfo>& DynamoDbConditionKeys();

// Global (aws:) condition keys. Templated keys such as
// "aws:PrincipalTag/${TagKey}" appear once with their template. Keys that
// are not aws: (such as ec2:SourceInstanceArn, present in every EC2 role
// session) are not included.
const std::vector<ConditionKeyInfo>& GlobalConditionKeys();

// Looks up an action by name, case-insensitively, with or without the
// "dynamodb:" prefix. Returns nullptr when there is no such action.
const ActionInfo* FindAction(std::string_view name);

// Whether a request for `action` can carry the condition key `key`. AWS
// puts a service (dynamodb:) key in the request context only for the
// actions the reference lists it for ("dynamodb:Select" for GetItem, Query,
// Scan, ..., never for DescribeTable); a condition on it sees it absent
// for every other action. True for every key outside the dynamodb: prefix.
// Keys compare case-insensitively.
bool ActionSupportsConditionKey(const ActionInfo& action, std::string_view key);

// Looks up a resource type by its exact name ("table", "global-table").
// Returns nullptr when there is none.
const ResourceTypeInfo* FindResourceType(std::string_view name);

// Looks up a condition key case-insensitively (dynamodb: or aws:), matching
// templated keys: "aws:PrincipalTag/team" finds "aws:PrincipalTag/${TagKey}"
// (the part after the slash must be non-empty). Service keys are searched
// before global ones. Returns nullptr when the key is unknown.
const ConditionKeyInfo* FindConditionKey(std::string_view key);

// Expands an action pattern as IAM does: "service:pattern" with `*` and `?`
// wildcards, case-insensitive, "*" alone meaning every action. Returns the
// matching DynamoDB actions in catalog order (empty when the pattern names
// another service or matches nothing).
//   "dynamodb:Get*"  -> GetAbacStatus, GetItem, GetRecords, ...
//   "DynamoDB:*item" -> BatchGetItem, ..., UpdateItem
//   "*", "**"        -> every action
// The service part must be written out literally (matched ignoring case);
// a pattern with a wildcard in it ("dynamo*:GetItem"), with no colon or with
// more than one colon matches nothing.
std::vector<const ActionInfo*> ExpandActionPattern(std::string_view pattern);

// The closest DynamoDB action name to `name` ("dynamodb:GetItems" ->
// "dynamodb:GetItem"), or "" when nothing is close. Always returns the
// qualified name. `name` may be given with or without the service prefix;
// with one, the prefix counts towards the distance ("dynamdb:GetItem"
// still finds GetItem). Close means an edit distance (ignoring case) of at
// most a third of the action name's length, between 1 and 3. Names with
// wildcards get no suggestion. A name that is an action up to case yields
// that action.
std::string SuggestAction(std::string_view name);

// The resource type a DynamoDB ARN denotes ("table", "index", "stream",
// "backup", "export", "import", "global-table"), or "" when it matches none.
// The shapes come from the reference's ARN templates: the resource part
// ("table/Orders/index/ByDate") must have the template's number of
// `/`-separated segments, its literal segments ("table", "index") exactly,
// and a non-empty value for each variable. The service field must be
// "dynamodb" (ignoring case) or a pattern matching it ("dynamo*"). Patterns
// with wildcards are classified by their literal structure: "table/*" is a
// table, "table/Orders/index/*" an index, "*" and "table/Orders/*" are "" (they
// span several types).
std::string_view ClassifyDynamoDbArn(std::string_view arn);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_CATALOG_H_
