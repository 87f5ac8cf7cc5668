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

enum class AccessLevel { kList, kRead, kWrite, kPermissionsManagement, kTagging };

// "List", "Read", "Write", "Permissions management", "Tagging".
std::string_view AccessLevelName(AccessLevel level);

// A resource type an action can be authorized against.
struct ActionResource {
  std::string_view resource_type;  // "table", "index", ...
  bool required = false;
};

struct ActionInfo {
  std::string_view name;  // "GetItem" (without the "dynamodb:" prefix)
  AccessLevel access = AccessLevel::kRead;
  // Empty for wildcard-only actions, which are authorized on Resource "*".
  std::vector<ActionResource> resources;
  std::vector<std::string_view> condition_keys;     // "dynamodb:LeadingKeys"
  std::vector<std::string_view> dependent_actions;  // "dynamodb:DescribeTable"

  bool wildcard_only() const { return resources.empty(); }
  // "dynamodb:GetItem".
  std::string qualified_name() const;
};

struct ResourceTypeInfo {
  std::string_view name;          // "table"
  std::string_view arn_template;  // "arn:${Partition}:dynamodb:...:table/${TableName}"
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
  std::string_view name;  // "dynamodb:LeadingKeys", "aws:SourceIp", "aws:PrincipalTag/${TagKey}"
  ConditionKeyType type = ConditionKeyType::kString;
  bool multi_valued() const;
};

// Identifies the data the catalog was generated from (package and version).
std::string_view CatalogVersion();

// Every DynamoDB action (dynamodb: service), in reference order.
const std::vector<ActionInfo>& DynamoDbActions();

// Every DynamoDB Streams action (dynamodb: service actions used on streams
// are part of DynamoDbActions(); this is empty unless the reference lists a
// separate service).
const std::vector<ResourceTypeInfo>& DynamoDbResourceTypes();

// Service-specific (dynamodb:) condition keys.
const std::vector<ConditionKeyInfo>& DynamoDbConditionKeys();

// Global (aws:) condition keys. Templated keys such as
// "aws:PrincipalTag/${TagKey}" appear once with their template.
const std::vector<ConditionKeyInfo>& GlobalConditionKeys();

// Looks up an action by name, case-insensitively, with or without the
// "dynamodb:" prefix. Returns nullptr when there is no such action.
const ActionInfo* FindAction(std::string_view name);

const ResourceTypeInfo* FindResourceType(std::string_view name);

// Looks up a condition key case-insensitively (dynamodb: or aws:), matching
// templated keys: "aws:PrincipalTag/team" finds "aws:PrincipalTag/${TagKey}".
const ConditionKeyInfo* FindConditionKey(std::string_view key);

// Expands an action pattern as IAM does: "service:pattern" with `*` and `?`
// wildcards, case-insensitive, "*" alone meaning every action. Returns the
// matching DynamoDB actions in catalog order (empty when the pattern names
// another service or matches nothing).
std::vector<const ActionInfo*> ExpandActionPattern(std::string_view pattern);

// The closest DynamoDB action name to `name` ("dynamodb:GetItems" ->
// "dynamodb:GetItem"), or "" when nothing is close.
std::string SuggestAction(std::string_view name);

// The resource type a DynamoDB ARN denotes ("table", "index", "stream",
// "backup", "export", "import", "global-table"), or "" when it matches none.
// Patterns with wildcards are classified by their literal structure.
std::string_view ClassifyDynamoDbArn(std::string_view arn);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_CATALOG_H_
