// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/match.h"

#include <string>

#include "gtest/gtest.h"

namespace leastpriv::eval {
namespace {

using Op = ConditionOperator;

Request MakeRequest(std::map<std::string, ContextValue> context) {
  Request r;
  r.principal = "arn:aws:iam::111122223333:user/alice";
  r.action = "dynamodb:GetItem";
  r.resource = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
  r.context = std::move(context);
  return r;
}

ContextValue Single(std::string v) {
  return ContextValue{{std::move(v)}, false};
}
ContextValue Multi(std::vector<std::string> v) {
  return ContextValue{std::move(v), true};
}

Condition MakeCondition(Op op, std::string key, std::vector<std::string> values,
                        SetQualifier q = SetQualifier::kNone,
                        bool if_exists = false) {
  Condition c;
  c.op = op;
  c.key = std::move(key);
  c.qualifier = q;
  c.if_exists = if_exists;
  for (auto& v : values)
    c.values.push_back(ConditionValue{v, ValueType::kString, {}});
  return c;
}

TEST(GlobTest, StarAndQuestion) {
  EXPECT_TRUE(GlobMatch("a*c", "abbbc"));
  EXPECT_TRUE(GlobMatch("a*c", "ac"));
  EXPECT_FALSE(GlobMatch("a?c", "ac"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("abc", "ABC"));
  EXPECT_TRUE(GlobMatch("abc", "ABC", GlobCase::kInsensitive));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_TRUE(GlobMatch("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(GlobMatch("*a*b", "xxaxxbxx"));
}

TEST(GlobTest, LiteralWildcardsFromVariables) {
  GlobPattern p = GlobPattern::Wildcards("a");
  p.Append("*", true);
  EXPECT_TRUE(GlobMatch(p, "a*"));
  EXPECT_FALSE(GlobMatch(p, "ab"));
  EXPECT_FALSE(GlobPattern::Literal("x?").HasWildcards());
  EXPECT_TRUE(GlobPattern::Wildcards("x?").HasWildcards());
}

TEST(ActionMatchesTest, CaseInsensitiveWildcards) {
  EXPECT_TRUE(ActionMatches("dynamodb:GetItem", "DynamoDB:getitem"));
  EXPECT_TRUE(ActionMatches("dynamodb:Get*", "dynamodb:GetItem"));
  EXPECT_TRUE(ActionMatches("dynamodb:*", "dynamodb:Query"));
  EXPECT_TRUE(ActionMatches("*", "dynamodb:Query"));
  EXPECT_TRUE(ActionMatches("dynamodb:?uery", "dynamodb:Query"));
  EXPECT_FALSE(ActionMatches("dynamodb:Get*", "dynamodb:BatchGetItem"));
  EXPECT_FALSE(ActionMatches("s3:*", "dynamodb:Query"));
}

TEST(ArnMatchesTest, Components) {
  const std::string table =
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
  EXPECT_TRUE(ArnMatches("*", table));
  EXPECT_TRUE(ArnMatches(table, table));
  EXPECT_TRUE(ArnMatches("arn:AWS:DynamoDB:US-EAST-1:111122223333:table/Orders",
                         table));
  EXPECT_FALSE(ArnMatches(
      "arn:aws:dynamodb:us-east-1:111122223333:table/orders", table));
  EXPECT_TRUE(ArnMatches("arn:aws:dynamodb:*:*:table/*", table));
  EXPECT_TRUE(ArnMatches("arn:aws:dynamodb:us-east-?:*:table/Ord*", table));
  EXPECT_FALSE(ArnMatches("arn:aws:dynamodb:*:*:table/Orders/*", table));
  // '*' in the resource part crosses '/' and ':'.
  EXPECT_TRUE(
      ArnMatches("arn:aws:dynamodb:*:*:table/*", table + "/index/ByDate"));
  EXPECT_TRUE(ArnMatches("arn:aws:dynamodb:*:*:table/Orders/stream/*",
                         table + "/stream/2024-01-01T00:00:00.000"));
  // '*' in a non-resource component does not cross ':'.
  EXPECT_FALSE(ArnMatches("arn:aws:dynamodb:*:table/Orders", table));
  // Fewer than six components with a trailing '*'.
  EXPECT_TRUE(ArnMatches("arn:aws:dynamodb:*", table));
  EXPECT_FALSE(ArnMatches("arn:aws:dynamodb", table));
  EXPECT_FALSE(ArnMatches("arn:aws:dynamodb:*:*:table/Orders", "Orders"));
}

TEST(ConditionValueMatchesTest, Strings) {
  EXPECT_TRUE(ConditionValueMatches(Op::kStringEquals, "abc", "abc"));
  EXPECT_FALSE(ConditionValueMatches(Op::kStringEquals, "abc", "ABC"));
  EXPECT_FALSE(ConditionValueMatches(Op::kStringEquals, "a*", "abc"));
  EXPECT_TRUE(ConditionValueMatches(Op::kStringEqualsIgnoreCase, "abc", "ABC"));
  EXPECT_TRUE(ConditionValueMatches(Op::kStringLike, "a*", "abc"));
  EXPECT_FALSE(ConditionValueMatches(Op::kStringLike, "A*", "abc"));
  EXPECT_TRUE(ConditionValueMatches(Op::kStringNotEquals, "abc", "abd"));
  EXPECT_FALSE(ConditionValueMatches(Op::kStringNotLike, "a*", "abc"));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kStringNotEqualsIgnoreCase, "x", "ABC"));
}

TEST(ConditionValueMatchesTest, Numbers) {
  EXPECT_TRUE(ConditionValueMatches(Op::kNumericEquals, "10", "10.0"));
  EXPECT_TRUE(ConditionValueMatches(Op::kNumericLessThan, "10", "9"));
  EXPECT_FALSE(ConditionValueMatches(Op::kNumericLessThan, "10", "10"));
  EXPECT_TRUE(ConditionValueMatches(Op::kNumericLessThanEquals, "10", "10"));
  EXPECT_TRUE(ConditionValueMatches(Op::kNumericGreaterThan, "-1.5", "0"));
  EXPECT_TRUE(ConditionValueMatches(Op::kNumericGreaterThanEquals, "3", "3"));
  EXPECT_TRUE(ConditionValueMatches(Op::kNumericNotEquals, "3", "4"));
  EXPECT_FALSE(ConditionValueMatches(Op::kNumericEquals, "10", "ten"));
  EXPECT_FALSE(ConditionValueMatches(Op::kNumericNotEquals, "10", "ten"));
  EXPECT_FALSE(ConditionValueMatches(Op::kNumericEquals, "10", " 10"));
  EXPECT_FALSE(ConditionValueMatches(Op::kNumericEquals, "inf", "inf"));
}

TEST(ConditionValueMatchesTest, Dates) {
  EXPECT_TRUE(ConditionValueMatches(Op::kDateEquals, "2024-01-01",
                                    "2024-01-01T00:00:00Z"));
  EXPECT_TRUE(ConditionValueMatches(Op::kDateEquals, "1704067200",
                                    "2024-01-01T00:00:00Z"));
  EXPECT_TRUE(ConditionValueMatches(Op::kDateLessThan, "2024-01-01T00:00:00Z",
                                    "2023-12-31T23:59:59Z"));
  EXPECT_TRUE(ConditionValueMatches(
      Op::kDateEquals, "2024-01-01T02:00:00+02:00", "2024-01-01T00:00:00Z"));
  EXPECT_TRUE(ConditionValueMatches(Op::kDateGreaterThan, "2024-01-01",
                                    "2024-01-01T00:00:00.001Z"));
  EXPECT_TRUE(ConditionValueMatches(Op::kDateGreaterThanEquals, "2024-01-01",
                                    "2024-01-01"));
  EXPECT_TRUE(ConditionValueMatches(Op::kDateLessThanEquals, "2024-01-01",
                                    "2024-01-01"));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kDateNotEquals, "2024-01-01", "2024-01-02"));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kDateEquals, "2024-01-01", "yesterday"));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kDateNotEquals, "2024-01-01", "2024-13-01"));
}

TEST(ConditionValueMatchesTest, BoolBinaryIp) {
  EXPECT_TRUE(ConditionValueMatches(Op::kBool, "true", "TRUE"));
  EXPECT_FALSE(ConditionValueMatches(Op::kBool, "true", "false"));
  EXPECT_FALSE(ConditionValueMatches(Op::kBool, "true", "yes"));
  EXPECT_TRUE(ConditionValueMatches(Op::kBinaryEquals, "aGVsbG8=", "aGVsbG8="));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kBinaryEquals, "aGVsbG8=", "d29ybGQ="));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kBinaryEquals, "aGVsbG8=", "not base64!"));
  EXPECT_TRUE(ConditionValueMatches(Op::kIpAddress, "10.0.0.0/8", "10.1.2.3"));
  EXPECT_FALSE(ConditionValueMatches(Op::kIpAddress, "10.0.0.0/8", "11.1.2.3"));
  EXPECT_TRUE(ConditionValueMatches(Op::kIpAddress, "192.0.2.1", "192.0.2.1"));
  EXPECT_TRUE(ConditionValueMatches(Op::kIpAddress, "0.0.0.0/0", "8.8.8.8"));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kIpAddress, "2001:db8::/32", "2001:DB8:1::5"));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kIpAddress, "2001:db8::/32", "2001:db9::5"));
  EXPECT_TRUE(ConditionValueMatches(Op::kIpAddress, "::ffff:10.0.0.0/104",
                                    "::ffff:10.2.3.4"));
  EXPECT_FALSE(ConditionValueMatches(Op::kIpAddress, "10.0.0.0/8", "::1"));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kIpAddress, "10.0.0.0/8", "10.0.0.256"));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kNotIpAddress, "10.0.0.0/8", "11.0.0.1"));
  EXPECT_FALSE(ConditionValueMatches(Op::kNotIpAddress, "10.0.0.0/8", "bogus"));
}

TEST(ConditionValueMatchesTest, Arns) {
  const std::string role = "arn:aws:iam::111122223333:role/app";
  EXPECT_TRUE(ConditionValueMatches(Op::kArnEquals, role, role));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kArnLike, "arn:aws:iam::*:role/*", role));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kArnEquals, "arn:aws:iam::*:role/*", role));
  EXPECT_FALSE(
      ConditionValueMatches(Op::kArnLike, "arn:aws:iam::*:user/*", role));
  EXPECT_TRUE(
      ConditionValueMatches(Op::kArnNotLike, "arn:aws:iam::*:user/*", role));
  EXPECT_FALSE(ConditionValueMatches(Op::kArnNotEquals, role, role));
}

TEST(ParseDateMillisTest, CalendarDays) {
  // Expected values from Python's datetime (proleptic Gregorian calendar).
  EXPECT_EQ(ParseDateMillis("1970-01-01"), 0);
  EXPECT_EQ(ParseDateMillis("2024-02-29"), 1709164800000);
  EXPECT_EQ(ParseDateMillis("1900-02-28"), -2203977600000);
  EXPECT_EQ(ParseDateMillis("1900-03-01"),
            -2203891200000);  // 1900: no leap day
  EXPECT_EQ(ParseDateMillis("9999-12-31"), 253402214400000);
  EXPECT_EQ(ParseDateMillis("2000-12-31T23:59:59.999Z"),
            978220800000 + 86399999);
  // Year 0 is a leap year 366 days before 0001-01-01 (719162 days before
  // 1970-01-01).
  EXPECT_EQ(ParseDateMillis("0000-01-01"), -(719162 + 366) * 86400000LL);
  // A day past the month's end runs into the next month.
  EXPECT_EQ(ParseDateMillis("2023-02-29"), 1677628800000);
  EXPECT_EQ(ParseDateMillis("2023-02-29"), ParseDateMillis("2023-03-01"));
  EXPECT_EQ(ParseDateMillis("2023-04-31"), ParseDateMillis("2023-05-01"));
  EXPECT_FALSE(ParseDateMillis("2023-02-32").has_value());
  EXPECT_FALSE(ParseDateMillis("2023-13-01").has_value());
  EXPECT_FALSE(ParseDateMillis("2023-00-10").has_value());
}

TEST(SubstituteVariablesTest, ValuesSpecialsDefaults) {
  Request r = MakeRequest({{"aws:username", Single("alice")},
                           {"aws:PrincipalTag/team", Single("a*b")}});
  auto p = SubstituteVariables("home/${aws:username}/*", r);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "home/alice/*");
  EXPECT_TRUE(GlobMatch(*p, "home/alice/x"));
  EXPECT_FALSE(GlobMatch(*p, "home/bob/x"));
  // Substituted values are literal, even when they contain wildcards.
  p = SubstituteVariables("${aws:principaltag/TEAM}", r);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(GlobMatch(*p, "a*b"));
  EXPECT_FALSE(GlobMatch(*p, "axxb"));
  p = SubstituteVariables("x${*}${?}${$}", r);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "x*?$");
  EXPECT_FALSE(p->HasWildcards());
  p = SubstituteVariables("${aws:userid, 'nobody'}", r);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "nobody");
  EXPECT_FALSE(SubstituteVariables("${aws:userid}", r).has_value());
  p = SubstituteVariables("${unterminated", r);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "${unterminated");
}

TEST(ConditionHoldsTest, MissingKeysAndIfExists) {
  Request r = MakeRequest({});
  EXPECT_FALSE(
      ConditionHolds(MakeCondition(Op::kStringEquals, "k", {"v"}), r, true));
  EXPECT_TRUE(
      ConditionHolds(MakeCondition(Op::kStringNotEquals, "k", {"v"}), r, true));
  EXPECT_TRUE(ConditionHolds(
      MakeCondition(Op::kStringEquals, "k", {"v"}, SetQualifier::kNone, true),
      r, true));
  EXPECT_TRUE(ConditionHolds(
      MakeCondition(Op::kStringEquals, "k", {"v"}, SetQualifier::kForAllValues),
      r, true));
  EXPECT_FALSE(ConditionHolds(
      MakeCondition(Op::kStringEquals, "k", {"v"}, SetQualifier::kForAnyValue),
      r, true));
  EXPECT_TRUE(ConditionHolds(MakeCondition(Op::kNull, "k", {"true"}), r, true));
  EXPECT_FALSE(
      ConditionHolds(MakeCondition(Op::kNull, "k", {"false"}), r, true));
  r.context["K"] = Single("v");
  EXPECT_TRUE(
      ConditionHolds(MakeCondition(Op::kStringEquals, "k", {"v"}), r, true));
  EXPECT_TRUE(ConditionHolds(MakeCondition(Op::kStringEquals, "k", {"x", "v"},
                                           SetQualifier::kNone, true),
                             r, true));
  EXPECT_FALSE(ConditionHolds(
      MakeCondition(Op::kStringNotEquals, "k", {"x", "v"}), r, true));
  EXPECT_TRUE(
      ConditionHolds(MakeCondition(Op::kNull, "k", {"false"}), r, true));
}

TEST(ConditionHoldsTest, SetQualifiers) {
  Request r = MakeRequest({{"dynamodb:Attributes", Multi({"id", "name"})}});
  auto all =
      MakeCondition(Op::kStringEquals, "dynamodb:attributes",
                    {"id", "name", "email"}, SetQualifier::kForAllValues);
  EXPECT_TRUE(ConditionHolds(all, r, true));
  r.context["dynamodb:Attributes"].values.push_back("ssn");
  EXPECT_FALSE(ConditionHolds(all, r, true));
  auto any = MakeCondition(Op::kStringEquals, "dynamodb:Attributes", {"ssn"},
                           SetQualifier::kForAnyValue);
  EXPECT_TRUE(ConditionHolds(any, r, true));
  auto none = MakeCondition(Op::kStringNotEquals, "dynamodb:Attributes",
                            {"ssn"}, SetQualifier::kForAllValues);
  EXPECT_FALSE(ConditionHolds(none, r, true));
  r.context["dynamodb:Attributes"].values.clear();
  EXPECT_TRUE(ConditionHolds(all, r, true));
  EXPECT_FALSE(ConditionHolds(any, r, true));
}

TEST(ConditionHoldsTest, VariablesOnlyWhenEnabled) {
  Request r = MakeRequest({{"aws:username", Single("alice")},
                           {"dynamodb:LeadingKeys", Multi({"alice"})}});
  auto c = MakeCondition(Op::kStringEquals, "dynamodb:LeadingKeys",
                         {"${aws:username}"}, SetQualifier::kForAllValues);
  EXPECT_TRUE(ConditionHolds(c, r, true));
  EXPECT_FALSE(ConditionHolds(c, r, false));
  auto missing = MakeCondition(Op::kStringEquals, "dynamodb:LeadingKeys",
                               {"${aws:userid}"}, SetQualifier::kForAllValues);
  EXPECT_FALSE(ConditionHolds(missing, r, true));
}

}  // namespace
TEST(ParsersTest, DatesAddressesAndBinary) {
  EXPECT_EQ(ParseDateMillis("1970-01-02"), 86400000);
  EXPECT_EQ(ParseDateMillis("86400"), 86400000);
  EXPECT_EQ(ParseDateMillis("1970-01-01T00:00:00.5Z"), 500);
  EXPECT_FALSE(ParseDateMillis("yesterday").has_value());
  auto block = ParseIpBlock("10.1.0.0/16");
  ASSERT_TRUE(block.has_value());
  EXPECT_TRUE(block->is_v4);
  EXPECT_EQ(block->prefix, 16);
  EXPECT_EQ(block->bytes[1], 1);
  EXPECT_FALSE(ParseIpAddress("10.1.0.0/16").has_value());
  auto v6 = ParseIpAddress("2001:db8::1");
  ASSERT_TRUE(v6.has_value());
  EXPECT_FALSE(v6->is_v4);
  EXPECT_EQ(v6->prefix, 128);
  EXPECT_EQ(DecodeBinaryValue("dGVzdA=="), "test");
  EXPECT_FALSE(DecodeBinaryValue("not base64!").has_value());
}

TEST(ParsersTest, BooleansNumbersAndBlocks) {
  EXPECT_EQ(ParseBoolValue("TRUE"), true);
  EXPECT_EQ(ParseBoolValue("false"), false);
  EXPECT_FALSE(ParseBoolValue("yes").has_value());
  EXPECT_EQ(ParseNumberValue("-1.5e2"), -150.0);
  EXPECT_EQ(ParseNumberValue("+7"), 7.0);
  EXPECT_FALSE(ParseNumberValue("1e").has_value());
  EXPECT_FALSE(ParseNumberValue(".").has_value());
  EXPECT_FALSE(ParseNumberValue("0x10").has_value());
  const IpBlock net = *ParseIpBlock("10.1.0.0/16");
  EXPECT_TRUE(BlockContains(net, *ParseIpAddress("10.1.200.3")));
  EXPECT_FALSE(BlockContains(net, *ParseIpAddress("10.2.0.1")));
  // An IPv6 address is never inside an IPv4 block, whatever its bytes.
  EXPECT_FALSE(BlockContains(net, *ParseIpAddress("a01::")));
  EXPECT_TRUE(
      BlockContains(*ParseIpBlock("0.0.0.0/0"), *ParseIpAddress("192.0.2.1")));
}

TEST(PrincipalTest, AttachmentAndAccount) {
  const std::string index =
      "arn:aws:dynamodb:us-east-1:111122223333:table/T/index/i";
  EXPECT_TRUE(ResourcePolicyApplies("T", index));
  EXPECT_TRUE(ResourcePolicyApplies(
      "arn:aws:dynamodb:us-east-1:111122223333:table/T", index));
  EXPECT_FALSE(ResourcePolicyApplies("Ta", index));
  EXPECT_TRUE(ResourcePolicyApplies(index, index));
  const PrincipalInfo role =
      ReadPrincipal("arn:aws:iam::111122223333:role/app");
  EXPECT_TRUE(role.is_role);
  EXPECT_TRUE(SameAccount(role, index));
  EXPECT_FALSE(
      SameAccount(role, "arn:aws:dynamodb:us-east-1:444455556666:table/T"));
  EXPECT_TRUE(SameAccount(role, "*"));
  PrincipalBlock block;
  block.entries.push_back(
      PrincipalEntry{PrincipalType::kAws, "111122223333", {}});
  EXPECT_EQ(MatchPrincipalBlock(block, role), PrincipalMatch::kAccountLevel);
  block.negated = true;
  EXPECT_EQ(MatchPrincipalBlock(block, role), PrincipalMatch::kNone);
}

}  // namespace leastpriv::eval
