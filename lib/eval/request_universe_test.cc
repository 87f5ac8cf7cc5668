// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/request_universe.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/policy.h"

namespace leastpriv::eval {
namespace {

using ::testing::IsSupersetOf;
using ::testing::Not;

PolicySet Identity(const std::string& json) {
  ParseOptions options;
  options.file_name = "policy.json";
  absl::StatusOr<Policy> p = ParsePolicy(json, options);
  EXPECT_TRUE(p.ok()) << p.status();
  PolicySet set;
  if (p.ok()) set.identity.push_back(*p);
  return set;
}

std::set<std::string> Resources(const std::vector<Request>& requests) {
  std::set<std::string> out;
  for (const Request& r : requests) out.insert(r.resource);
  return out;
}

// The values `key` takes in requests on `resource` ("-" for absent).
std::set<std::string> Values(const std::vector<Request>& requests,
                             const std::string& resource,
                             const std::string& key) {
  std::set<std::string> out;
  for (const Request& r : requests) {
    if (r.resource != resource) continue;
    auto it = r.context.find(key);
    if (it == r.context.end()) {
      out.insert("-");
      continue;
    }
    const std::string joined = absl::StrJoin(it->second.values, ",");
    out.insert(it->second.multi_valued ? "[" + joined + "]" : joined);
  }
  return out;
}

constexpr char kOrders[] =
    "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders";

TEST(RequestUniverseTest, ResourcesFromPatterns) {
  const PolicySet set = Identity(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"dynamodb:GetItem",
     "Resource":"arn:aws:dynamodb:eu-west-1:111122223333:table/Orders*"},
    {"Effect":"Allow","Action":"dynamodb:Query",
     "Resource":"arn:aws:dynamodb:*:*:table/Users/index/ByEmail"}]})");
  UniverseOptions options;
  options.actions = {"dynamodb:GetItem", "dynamodb:Query"};
  const std::vector<Request> u = CoveringRequests({&set}, options);
  const std::string eu = "arn:aws:dynamodb:eu-west-1:111122223333:table/";
  EXPECT_THAT(Resources(u),
              IsSupersetOf({eu + "Orders", eu + "Ordersx", eu + "Users",
                            eu + "Users/index/ByEmail", eu + "Orders/index/x",
                            std::string("arn:aws:dynamodb:x:x:table/Users")}));
  for (const Request& r : u) {
    EXPECT_TRUE(r.context.empty());
    if (r.action == "dynamodb:GetItem") {
      EXPECT_THAT(r.resource, Not(::testing::HasSubstr("/index/")));
    }
  }
}

TEST(RequestUniverseTest, ContextValuesOnBothSidesOfEachPolicyValue) {
  const PolicySet set = Identity(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"dynamodb:*",
     "Resource":"arn:aws:dynamodb:eu-west-1:111122223333:table/Orders",
     "Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"},
                  "NumericLessThan":{"aws:MultiFactorAuthAge":"600"}}},
    {"Effect":"Deny","Action":"dynamodb:*","Resource":"*",
     "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},
                  "DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}}]})");
  UniverseOptions options;
  options.actions = {"dynamodb:GetItem"};
  const std::vector<Request> u = CoveringRequests({&set}, options);
  EXPECT_EQ(Values(u, kOrders, "aws:PrincipalTag/team"),
            (std::set<std::string>{"-", "red", "zz-other"}));
  EXPECT_EQ(Values(u, kOrders, "aws:MultiFactorAuthAge"),
            (std::set<std::string>{"-", "599", "600", "601"}));
  EXPECT_EQ(Values(u, kOrders, "aws:SourceIp"),
            (std::set<std::string>{"-", "10.0.0.1", "11.0.0.0"}));
  EXPECT_EQ(
      Values(u, kOrders, "aws:CurrentTime"),
      (std::set<std::string>{"-", "2023-12-31T23:59:59Z",
                             "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"}));
  // Every combination: 3 * 4 * 3 * 4 contexts on the table.
  std::size_t on_orders = 0;
  for (const Request& r : u) on_orders += r.resource == kOrders;
  EXPECT_EQ(on_orders, 3u * 4 * 3 * 4);
}

TEST(RequestUniverseTest, ServiceKeysOnlyForActionsThatSendThem) {
  const PolicySet set = Identity(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{
      "ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["a","b"]}}}]})");
  UniverseOptions options;
  options.actions = {"dynamodb:GetItem", "dynamodb:DescribeTable",
                     "dynamodb:ListTables"};
  const std::vector<Request> u = CoveringRequests({&set}, options);
  std::set<std::string> get_item_keys;
  for (const Request& r : u) {
    if (r.action == "dynamodb:GetItem") {
      for (const std::string& v :
           Values({r}, r.resource, "dynamodb:LeadingKeys")) {
        get_item_keys.insert(v);
      }
    } else {
      EXPECT_TRUE(r.context.empty()) << r.action;
    }
    if (r.action == "dynamodb:ListTables") {
      EXPECT_EQ(r.resource, "*");
    }
  }
  EXPECT_EQ(get_item_keys, (std::set<std::string>{"-", "[]", "[a]", "[b]",
                                                  "[a,b]", "[zz-other]"}));
}

TEST(RequestUniverseTest, ContextsAreCappedBySampling) {
  const PolicySet set = Identity(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*","Condition":{
      "StringEquals":{"aws:PrincipalTag/a":["1","2","3"],
                      "aws:PrincipalTag/b":["1","2","3"],
                      "aws:PrincipalTag/c":["1","2","3"]}}}]})");
  UniverseOptions options;
  options.actions = {"dynamodb:GetItem"};
  options.max_contexts = 10;
  const std::vector<Request> u = CoveringRequests({&set}, options);
  std::size_t on_x = 0;
  for (const Request& r : u) {
    on_x += r.resource == "arn:aws:dynamodb:us-east-1:111122223333:table/x";
  }
  EXPECT_EQ(on_x, 10u);
  EXPECT_LE(EvenSample(u, 7).size(), 7u);
  EXPECT_GE(EvenSample(u, 7).size(), 5u);
  EXPECT_EQ(EvenSample(u, 0).size(), u.size());
}

}  // namespace
}  // namespace leastpriv::eval
