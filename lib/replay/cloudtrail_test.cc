// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// MapCloudTrailRecord on the fixtures of testdata/cloudtrail/fixtures.json
// (one record per DynamoDB event shape, with the exact requests it maps
// to), and on records built here for the edge cases.

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "leastpriv/catalog.h"
#include "leastpriv/replay.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using json::Value;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Context values as text: "v" for a single value, "[a, b]" for a
// multi-valued key.
std::map<std::string, std::string> ContextOf(const Request& r) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : r.context) {
    if (v.multi_valued) {
      std::string list;
      for (const std::string& x : v.values) {
        list += (list.empty() ? "" : ", ") + x;
      }
      out[k] = "[" + list + "]";
      continue;
    }
    EXPECT_EQ(v.values.size(), 1u) << k;
    out[k] = v.values.empty() ? "" : v.values[0];
  }
  return out;
}

std::map<std::string, std::string> StringMap(const Value* v) {
  std::map<std::string, std::string> out;
  if (v == nullptr) return out;
  for (const auto& [k, x] : v->object()) {
    if (x.is_array()) {
      std::string list;
      for (const Value& item : x.array()) {
        list += (list.empty() ? "" : ", ") + item.string_value();
      }
      out[k] = "[" + list + "]";
    } else {
      out[k] = x.string_value();
    }
  }
  return out;
}

TEST(CloudTrailFixturesTest, EveryEventShapeMapsToItsRequests) {
  absl::StatusOr<Value> doc =
      json::Parse(ReadFile("testdata/cloudtrail/fixtures.json"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  const std::map<std::string, std::string> base =
      StringMap(doc->Find("base_context"));
  std::set<std::string> actions_seen;
  int checked = 0;
  for (const Value& f : doc->Find("fixtures")->array()) {
    const std::string name = f.Find("name")->string_value();
    SCOPED_TRACE(name);
    ASSERT_NE(f.Find("follows"), nullptr);
    const PartitionKeys partition_keys = StringMap(f.Find("partition_keys"));
    RecordMapOptions options;
    options.partition_keys = &partition_keys;
    absl::StatusOr<RecordMapping> m =
        MapCloudTrailRecord(json::Serialize(*f.Find("record"), -1), options);
    ASSERT_TRUE(m.ok()) << m.status();
    ++checked;
    if (const Value* d = f.Find("dynamodb"); d != nullptr) {
      EXPECT_EQ(m->dynamodb, d->bool_value());
      EXPECT_TRUE(m->requests.empty());
      continue;
    }
    EXPECT_TRUE(m->dynamodb);
    if (const Value* u = f.Find("unmapped"); u != nullptr) {
      EXPECT_EQ(m->unmapped_reason, u->string_value());
      EXPECT_TRUE(m->requests.empty());
      continue;
    }
    EXPECT_EQ(m->unmapped_reason, "");
    const Value* expected = f.Find("requests");
    ASSERT_EQ(m->requests.size(), expected->array().size());
    std::map<std::string, std::string> context = base;
    for (const auto& [k, v] : StringMap(f.Find("context"))) context[k] = v;
    if (const Value* exact = f.Find("exact_context")) {
      context = StringMap(exact);
    }
    const Value* principal = f.Find("principal");
    const Value* principal_arn = f.Find("principal_arn");
    for (std::size_t i = 0; i < m->requests.size(); ++i) {
      const RecordedRequest& got = m->requests[i];
      const Value& want = expected->array()[i];
      EXPECT_EQ(got.request.action, want.Find("action")->string_value());
      EXPECT_EQ(got.request.resource, want.Find("resource")->string_value());
      EXPECT_EQ(
          got.request.principal,
          (principal ? principal : doc->Find("principal"))->string_value());
      EXPECT_EQ(got.principal_arn,
                (principal_arn ? principal_arn : doc->Find("principal_arn"))
                    ->string_value());
      std::map<std::string, std::string> want_context = context;
      for (const auto& [k, v] : StringMap(want.Find("context"))) {
        want_context[k] = v;
      }
      EXPECT_EQ(ContextOf(got.request), want_context);
      EXPECT_EQ(got.unknown_keys, StringMap(want.Find("unknown_keys")));
      EXPECT_EQ(got.event_name,
                f.Find("record")->Find("eventName")->string_value());
      actions_seen.insert(got.request.action);
    }
  }
  EXPECT_GT(checked, 90);
  // Every action of the catalog is the mapping of some fixture.
  for (const ActionInfo& a : DynamoDbActions()) {
    EXPECT_EQ(actions_seen.count(a.qualified_name()), 1u) << a.name;
  }
}

std::string Record(const std::string& members) {
  return R"({"eventSource": "dynamodb.amazonaws.com", "awsRegion": "eu-west-1",
    "recipientAccountId": "111122223333",
    "userIdentity": {"type": "AssumedRole",
      "arn": "arn:aws:sts::111122223333:assumed-role/app/s1",
      "accountId": "111122223333"}, )" +
         members + "}";
}

TEST(MapCloudTrailRecordTest, RoleFromSessionArnWithoutIssuer) {
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(Record(
      R"("eventName": "GetItem", "requestParameters": {"tableName": "T"})"));
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->requests.size(), 1u);
  EXPECT_EQ(m->requests[0].principal_arn, "arn:aws:iam::111122223333:role/app");
  EXPECT_EQ(m->requests[0].request.resource,
            "arn:aws:dynamodb:eu-west-1:111122223333:table/T");
}

TEST(MapCloudTrailRecordTest, SessionTagsBecomePrincipalTags) {
  absl::StatusOr<RecordMapping> assume = MapCloudTrailRecord(R"({
    "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
    "requestParameters": {"roleArn": "arn:aws:iam::111122223333:role/app",
      "roleSessionName": "s1",
      "tags": [{"key": "team", "value": "orders"}, {"key": "env", "value": "prod"}]},
    "responseElements": {"assumedRoleUser": {
      "arn": "arn:aws:sts::111122223333:assumed-role/app/s1",
      "assumedRoleId": "AROAEXAMPLE:s1"}}})");
  ASSERT_TRUE(assume.ok()) << assume.status();
  EXPECT_FALSE(assume->dynamodb);
  EXPECT_EQ(assume->assumed_session,
            "arn:aws:sts::111122223333:assumed-role/app/s1");
  SessionTags tags;
  tags[assume->assumed_session] = assume->assumed_tags;
  RecordMapOptions options;
  options.session_tags = &tags;
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(
      Record(
          R"("eventName": "GetItem", "requestParameters": {"tableName": "T"})"),
      options);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->requests.size(), 1u);
  const auto context = ContextOf(m->requests[0].request);
  EXPECT_EQ(context.at("aws:PrincipalTag/team"), "orders");
  EXPECT_EQ(context.at("aws:PrincipalTag/env"), "prod");
}

TEST(MapCloudTrailRecordTest, MissingRegionOrAccount) {
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(R"({
    "eventSource": "dynamodb.amazonaws.com", "eventName": "GetItem",
    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"},
    "requestParameters": {"tableName": "T"}})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->unmapped_reason,
            "no awsRegion or recipientAccountId to make the table ARN");
  // A table ARN needs neither.
  m = MapCloudTrailRecord(R"({
    "eventSource": "dynamodb.amazonaws.com", "eventName": "GetItem",
    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"},
    "requestParameters": {"tableName": "arn:aws:dynamodb:us-east-1:444455556666:table/T"}})");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->requests.size(), 1u);
  EXPECT_EQ(m->requests[0].request.resource,
            "arn:aws:dynamodb:us-east-1:444455556666:table/T");
}

TEST(MapCloudTrailRecordTest, HostileRecords) {
  EXPECT_EQ(MapCloudTrailRecord("{").status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string deep(100, '[');
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(deep);
  EXPECT_NE(m.status().message().find("max_depth"), std::string::npos)
      << m.status();
  RecordMapOptions small;
  small.limits.max_record_bytes = 16;
  m = MapCloudTrailRecord(Record(R"("eventName": "ListTables")"), small);
  EXPECT_NE(m.status().message().find("max_bytes"), std::string::npos)
      << m.status();
  // Wrong types everywhere are unmapped, never errors.
  for (
      const char* members :
      {R"("eventName": 7)",
       R"("eventName": "GetItem", "requestParameters": [])",
       R"("eventName": "TransactWriteItems", "requestParameters": {"requestItems": {}})",
       R"("eventName": "BatchGetItem", "requestParameters": {"requestItems": [1]})",
       R"("eventName": "ExecuteStatement", "requestParameters": {"statement": "SELECT"})",
       R"("eventName": "ExecuteStatement", "requestParameters": {"statement": "SELECT * FROM \"unterminated"})"}) {
    m = MapCloudTrailRecord(Record(members));
    ASSERT_TRUE(m.ok()) << members << ": " << m.status();
    EXPECT_TRUE(m->requests.empty()) << members;
    EXPECT_NE(m->unmapped_reason, "") << members;
  }
  // Not an object: ignored.
  m = MapCloudTrailRecord("[1, 2]");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->dynamodb);
}

TEST(MapCloudTrailRecordTest, TooManyRequests) {
  std::string items;
  for (int i = 0; i < 5; ++i) {
    items += std::string(i ? "," : "") + "\"T" + std::to_string(i) + "\": {}";
  }
  RecordMapOptions options;
  options.limits.max_requests_per_record = 4;
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(
      Record(
          R"("eventName": "BatchGetItem", "requestParameters": {"requestItems": {)" +
          items + "}}"),
      options);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->unmapped_reason,
            "more than 4 requests in one record (max_requests_per_record)");
}

// Found by the cloudtrail fuzzer: a recipientAccountId with ':' in it (or
// a table name that is another service's ARN) must not make a resource
// that is no DynamoDB ARN.
TEST(MapCloudTrailRecordTest, ResourceThatIsNoDynamoDbArnIsNotMapped) {
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(
      R"({"eventSource": "dynamodb.amazonaws.com", "eventName": "GetItem",
          "awsRegion": "eu-west-1", "recipientAccountId": "1111S:web-0",
          "userIdentity": {"type": "AssumedRole",
            "arn": "arn:aws:sts::111122223333:assumed-role/app/s"},
          "requestParameters": {"tableName": "invoices"}})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->requests.empty());
  EXPECT_EQ(m->unmapped_reason,
            "the resource \"arn:aws:dynamodb:eu-west-1:1111S:web-0:table/"
            "invoices\" is not a DynamoDB ARN");
  m = MapCloudTrailRecord(Record(R"("eventName": "GetItem",
      "requestParameters": {"tableName": "arn:aws:s3:::bucket"})"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->requests.empty());
  EXPECT_EQ(m->unmapped_reason,
            "the resource \"arn:aws:s3:::bucket\" is not a DynamoDB ARN");
}

}  // namespace
}  // namespace leastpriv
