// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/naming.h"

#include <string>

#include "gtest/gtest.h"

namespace leastpriv::eval {
namespace {

TEST(NamingTest, TableNamesAreThreeTo255NameCharacters) {
  EXPECT_TRUE(IsValidTableName("Orders"));
  EXPECT_TRUE(IsValidTableName("shop-audit_v1.2"));
  EXPECT_TRUE(IsValidTableName("abc"));
  EXPECT_TRUE(IsValidTableName(std::string(255, 'a')));
  EXPECT_FALSE(IsValidTableName("q"));
  EXPECT_FALSE(IsValidTableName("ab"));
  EXPECT_FALSE(IsValidTableName(std::string(256, 'a')));
  EXPECT_FALSE(IsValidTableName("Orders!"));
  EXPECT_FALSE(IsValidTableName("a b c"));
  EXPECT_FALSE(IsValidTableName("Orders/x"));
}

TEST(NamingTest, RegionsAccountsAndIds) {
  EXPECT_TRUE(IsValidRegionName("us-east-1"));
  EXPECT_TRUE(IsValidRegionName("us-gov-west-1"));
  EXPECT_TRUE(IsValidRegionName("ap-southeast-12"));
  EXPECT_FALSE(IsValidRegionName("us-"));
  EXPECT_FALSE(IsValidRegionName("us-east"));
  EXPECT_FALSE(IsValidRegionName("US-EAST-1"));
  EXPECT_FALSE(IsValidRegionName("x"));
  EXPECT_TRUE(IsValidAccountId("111122223333"));
  EXPECT_FALSE(IsValidAccountId("11112222333"));
  EXPECT_FALSE(IsValidAccountId("11112222333x"));
  EXPECT_TRUE(IsValidStreamLabel("2015-05-11T21:21:33.291"));
  EXPECT_FALSE(IsValidStreamLabel("q"));
  EXPECT_TRUE(IsValidResourceId("01717171717171-a1b2c3d4"));
  EXPECT_FALSE(IsValidResourceId("01717171717171-A1B2C3D4"));
}

TEST(NamingTest, PrincipalNamesAndIds) {
  EXPECT_TRUE(IsValidIamUserName("alice"));
  EXPECT_TRUE(IsValidIamUserName("a"));
  EXPECT_TRUE(IsValidIamUserName("ops+deploy=1,x.y@corp-z_"));
  EXPECT_TRUE(IsValidIamUserName(std::string(64, 'u')));
  EXPECT_FALSE(IsValidIamUserName(""));
  EXPECT_FALSE(IsValidIamUserName(std::string(65, 'u')));
  EXPECT_FALSE(IsValidIamUserName("a*"));
  EXPECT_FALSE(IsValidIamUserName("ops/alice"));
  EXPECT_FALSE(IsValidIamUserName("al ice"));
  EXPECT_TRUE(IsValidRoleSessionName("worker-1"));
  EXPECT_FALSE(IsValidRoleSessionName("w"));
  EXPECT_FALSE(IsValidRoleSessionName("a:b"));
  EXPECT_TRUE(IsValidUserUserId("AIDACKCEVSQ6C2EXAMPLE"));
  EXPECT_TRUE(IsValidUserUserId("AIDAJQABLZS4A3QDU576Q"));
  EXPECT_FALSE(IsValidUserUserId("AROADBQP57FF2AEXAMPLE"));
  EXPECT_FALSE(IsValidUserUserId("AIDA"));
  EXPECT_FALSE(IsValidUserUserId("AIDAckcevsq6c2example"));
  EXPECT_FALSE(IsValidUserUserId(""));
  EXPECT_TRUE(IsValidRoleSessionUserId("AROADBQP57FF2AEXAMPLE:worker-1"));
  EXPECT_FALSE(IsValidRoleSessionUserId("AROADBQP57FF2AEXAMPLE"));
  EXPECT_FALSE(IsValidRoleSessionUserId("AROADBQP57FF2AEXAMPLE:"));
  EXPECT_FALSE(IsValidRoleSessionUserId("AIDACKCEVSQ6C2EXAMPLE:worker-1"));
  EXPECT_FALSE(IsValidRoleSessionUserId("AROA:worker-1"));
  EXPECT_FALSE(IsValidRoleSessionUserId("111122223333:worker-1"));
}

TEST(NamingTest, Arns) {
  EXPECT_TRUE(IsValidDynamoDbResource("*"));
  EXPECT_TRUE(IsValidDynamoDbResource(
      "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders"));
  EXPECT_TRUE(IsValidDynamoDbResource(
      "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders/index/by-user"));
  EXPECT_TRUE(
      IsValidDynamoDbResource("arn:aws:dynamodb:eu-west-1:111122223333:table/"
                              "Orders/stream/2015-05-11T21:21:33.291"));
  EXPECT_TRUE(
      IsValidDynamoDbResource("arn:aws:dynamodb:eu-west-1:111122223333:table/"
                              "Orders/backup/01717171717171-a1b2c3d4"));
  EXPECT_TRUE(IsValidDynamoDbResource(
      "arn:aws:dynamodb::111122223333:global-table/Orders"));
  // The witnesses the issue reported.
  EXPECT_FALSE(IsValidDynamoDbResource(
      "arn:aws:dynamodb:eu-west-1:111122223333:table/q"));
  EXPECT_FALSE(IsValidDynamoDbResource(
      "arn:aws:dynamodb:us-:111122223333:table/-/stream/q"));
  EXPECT_FALSE(
      IsValidDynamoDbResource("arn:aws:dynamodb:eu-west-1:1111:table/Orders"));
  EXPECT_FALSE(IsValidDynamoDbResource(
      "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders/x"));
}

}  // namespace
}  // namespace leastpriv::eval
