// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/analyzer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/naming.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT

constexpr char kOrders[] =
    "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
constexpr char kSecret[] =
    "arn:aws:dynamodb:us-east-1:111122223333:table/Secret";

const ActionReach& Find(const ReachReport& r, const std::string& action) {
  for (const ActionReach& a : r.actions) {
    if (a.action == action) return a;
  }
  static ActionReach none;
  ADD_FAILURE() << "no action " << action;
  return none;
}

Answer Reach(const ReachReport& r, const std::string& action) {
  return Find(r, action).reachable;
}

void ExpectReplays(const PolicySet& p, const ActionReach& a) {
  ASSERT_TRUE(a.witness.has_value()) << a.action;
  auto d = Evaluate(p, *a.witness);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->kind, DecisionKind::kAllowed) << a.action;
  EXPECT_EQ(a.witness->action, a.action);
}

// Only names AWS accepts are requests: a table name of one character is
// no table, so a policy that names only such tables reaches nothing, and
// witnesses read like real requests.
TEST(ReachableTest, WitnessesCarryValidNames) {
  PolicySet none = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                                  {"arn:aws:dynamodb:us-:*:table/q"})});
  auto r = Reachable(none);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Reach(*r, "dynamodb:GetItem"), Answer::kNo);
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:*"},
                               {"arn:aws:dynamodb:*:*:table/shop-*",
                                "arn:aws:dynamodb:*:*:table/shop-*/*"})});
  auto all = Reachable(p);
  ASSERT_TRUE(all.ok()) << all.status();
  int seen = 0;
  for (const ActionReach& a : all->actions) {
    if (a.reachable != Answer::kYes) continue;
    ExpectReplays(p, a);
    EXPECT_TRUE(eval::IsValidDynamoDbResource(a.witness->resource))
        << a.witness->resource;
    ++seen;
  }
  EXPECT_GT(seen, 10);
  EXPECT_EQ(Find(*all, "dynamodb:GetItem").witness->resource,
            "arn:aws:dynamodb:us-east-1:111122223333:table/shop-audit");
}

TEST(ReachableTest, ActionAndResource) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem", "dynamodb:Query"},
                     {kOrders, std::string(kOrders) + "/index/*"})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Reach(*r, "dynamodb:GetItem"), Answer::kYes);
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"), Answer::kNo);
  EXPECT_EQ(Reach(*r, "dynamodb:ListTables"), Answer::kNo);
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ExpectReplays(p, get);
  EXPECT_EQ(get.witness->resource, kOrders);
  ASSERT_EQ(get.resources.size(), 1u);
  EXPECT_EQ(get.resources[0].resource_type, "table");
  EXPECT_EQ(get.resources[0].patterns, std::vector<std::string>{kOrders});
  const ActionReach& query = Find(*r, "dynamodb:Query");
  ASSERT_EQ(query.resources.size(), 2u);
  std::vector<std::string> types = {query.resources[0].resource_type,
                                    query.resources[1].resource_type};
  EXPECT_NE(std::find(types.begin(), types.end(), "index"), types.end());
}

// Regression (found by fuzz/glob_fuzzer.cc): a Resource with fewer than six
// components ending in `*` matches every ARN it is a prefix pattern of, as
// Evaluate decides; the engine used to find nothing reachable.
TEST(ReachableTest, ShortResourcePatternAgreesWithEvaluate) {
  const std::string table =
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                               {"arn:aws:dynamodb:us-east-1:*"}),
                          Stmt(Effect::kAllow, {"dynamodb:PutItem"},
                               {"arn:aws:dynamodb:us-east-1"})});
  Request r{
      "arn:aws:iam::111122223333:role/app", "dynamodb:GetItem", table, {}};
  auto d = Evaluate(p, r);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->kind, DecisionKind::kAllowed);
  auto allows = Allows(p, "dynamodb:GetItem", table);
  ASSERT_TRUE(allows.ok()) << allows.status();
  EXPECT_EQ(allows->answer, Answer::kYes);
  EXPECT_FALSE(allows->conditional);
  auto report = Reachable(p);
  ASSERT_TRUE(report.ok()) << report.status();
  const ActionReach& get = Find(*report, "dynamodb:GetItem");
  EXPECT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  // Without a final `*` the short pattern matches nothing, in both.
  r.action = "dynamodb:PutItem";
  d = Evaluate(p, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_NE(d->kind, DecisionKind::kAllowed);
  EXPECT_EQ(Reach(*report, "dynamodb:PutItem"), Answer::kNo);
}

TEST(ReachableTest, WildcardActionsAndWildcardOnlyActions) {
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:List*"}, {"*"})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Reach(*r, "dynamodb:ListTables"), Answer::kYes);
  ExpectReplays(p, Find(*r, "dynamodb:ListTables"));
  EXPECT_EQ(Find(*r, "dynamodb:ListTables").witness->resource, "*");
  EXPECT_EQ(Reach(*r, "dynamodb:GetItem"), Answer::kNo);
}

TEST(ReachableTest, NotActionAndNotResource) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:Delete*"}, {kSecret}, {},
                     /*not_action=*/true, /*not_resource=*/true)});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Reach(*r, "dynamodb:DeleteItem"), Answer::kNo);
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  EXPECT_NE(get.witness->resource, kSecret);
  auto secret = Allows(p, "dynamodb:GetItem", kSecret);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(secret->answer, Answer::kNo);
  auto orders = Allows(p, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(orders.ok());
  EXPECT_EQ(orders->answer, Answer::kYes);
  EXPECT_FALSE(orders->conditional);
}

TEST(ReachableTest, DenyCarvesOutAnException) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:*"}, {"arn:aws:dynamodb:*:*:table/*"}),
       Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {kSecret})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  ASSERT_FALSE(get.resources.empty());
  EXPECT_EQ(get.resources[0].except, std::vector<std::string>{kSecret});
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", kSecret)->answer, Answer::kNo);
  EXPECT_EQ(Allows(p, "dynamodb:PutItem", kSecret)->answer, Answer::kYes);
  // Whole deny.
  PolicySet q = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"}),
                          Stmt(Effect::kDeny, {"*"}, {"*"})});
  auto rq = Reachable(q);
  ASSERT_TRUE(rq.ok());
  for (const ActionReach& a : rq->actions)
    EXPECT_EQ(a.reachable, Answer::kNo) << a.action;
}

TEST(ReachableTest, BoundarySessionAndScpIntersect) {
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"})});
  p.boundary = Pol(
      PolicyKind::kBoundary,
      {Stmt(Effect::kAllow, {"dynamodb:Query", "dynamodb:GetItem"}, {"*"})});
  p.scp_levels.push_back({Pol(
      PolicyKind::kScp,
      {Stmt(Effect::kAllow, {"dynamodb:Get*", "dynamodb:PutItem"}, {"*"})})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Reach(*r, "dynamodb:GetItem"), Answer::kYes);
  ExpectReplays(p, Find(*r, "dynamodb:GetItem"));
  EXPECT_EQ(Reach(*r, "dynamodb:Query"), Answer::kNo);    // SCP
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"), Answer::kNo);  // boundary
  p.session = Pol(PolicyKind::kSession,
                  {Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {"*"})});
  auto s = Reachable(p);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Reach(*s, "dynamodb:GetItem"), Answer::kNo);  // session
  // An SCP level with no policy allowing anything denies all.
  PolicySet e = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"})});
  e.scp_levels.push_back({Pol(PolicyKind::kScp, {})});
  EXPECT_EQ(Reach(*Reachable(e), "dynamodb:GetItem"), Answer::kNo);
}

TEST(ConditionTest, StringEqualsIsOnlyIf) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
                     {Cond(ConditionOperator::kStringEquals, "StringEquals",
                           "aws:PrincipalTag/team", {"payments"})})});
  auto a = Allows(p, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->answer, Answer::kYes);
  EXPECT_TRUE(a->conditional);
  EXPECT_EQ(a->only_if, "aws:PrincipalTag/team = payments");
  ASSERT_TRUE(a->allowed_example.has_value());
  EXPECT_EQ(a->allowed_example->context.at("aws:PrincipalTag/team").values,
            std::vector<std::string>{"payments"});
  ASSERT_TRUE(a->denied_example.has_value());
  EXPECT_EQ(Evaluate(p, *a->denied_example)->kind,
            DecisionKind::kImplicitlyDenied);
}

TEST(ConditionTest, StringLikeAgainstStringNotLikeDeny) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
                     {Cond(ConditionOperator::kStringLike, "StringLike",
                           "aws:PrincipalTag/env", {"prod-*"})}),
                Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
                     {Cond(ConditionOperator::kStringNotLike, "StringNotLike",
                           "aws:PrincipalTag/env", {"prod-eu*"})})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  const std::string env =
      get.witness->context.at("aws:PrincipalTag/env").values[0];
  EXPECT_EQ(env.rfind("prod-eu", 0), 0u) << env;
  // Make it contradictory: only prod-us* escapes the deny, but allow wants eu.
  p.identity[0].statements[1].conditions[0].values[0].text = "prod-us*";
  p.identity[0].statements[0].conditions[0].values[0].text = "prod-eu*";
  EXPECT_EQ(Reach(*Reachable(p), "dynamodb:GetItem"), Answer::kNo);
}

TEST(ConditionTest, IgnoreCaseAndNotEquals) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
            {Cond(ConditionOperator::kStringEqualsIgnoreCase,
                  "StringEqualsIgnoreCase", "aws:PrincipalTag/team", {"Pay"}),
             Cond(ConditionOperator::kStringNotEquals, "StringNotEquals",
                  "aws:PrincipalTag/team", {"pay", "PAY", "Pay"})})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  // The value must be a case variant other than the three excluded ones.
  const std::string v =
      get.witness->context.at("aws:PrincipalTag/team").values[0];
  EXPECT_EQ(v.size(), 3u);
  EXPECT_NE(v, "pay");
  EXPECT_NE(v, "PAY");
}

TEST(ConditionTest, BoolSecureTransport) {
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"}),
                          Stmt(Effect::kDeny, {"dynamodb:*"}, {"*"},
                               {Cond(ConditionOperator::kBool, "Bool",
                                     "aws:SecureTransport", {"false"})})});
  auto a = Allows(p, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->conditional);
  EXPECT_EQ(a->only_if, "not (aws:SecureTransport = false)");
  EXPECT_EQ(a->denied_example->context.at("aws:SecureTransport").values,
            std::vector<std::string>{"false"});
  AnalysisScope secure;
  secure.context["aws:SecureTransport"] = {"true"};
  auto b = Allows(p, "dynamodb:GetItem", kOrders, secure);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->answer, Answer::kYes);
  EXPECT_FALSE(b->conditional);
  AnalysisScope insecure;
  insecure.context["aws:SecureTransport"] = {"false"};
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", kOrders, insecure)->answer,
            Answer::kNo);
}

TEST(ConditionTest, NullAndSetQualifiers) {
  // Tenant isolation: LeadingKeys must be present and all equal to "t1".
  PolicySet p = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kNull, "Null", "dynamodb:LeadingKeys",
            {"false"}),
       Cond(ConditionOperator::kStringEquals, "ForAllValues:StringEquals",
            "dynamodb:LeadingKeys", {"t1"}, SetQualifier::kForAllValues)})});
  auto a = Allows(p, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->conditional);
  EXPECT_NE(a->only_if.find("dynamodb:LeadingKeys ⊆ {t1}"), std::string::npos)
      << a->only_if;
  EXPECT_NE(a->only_if.find("dynamodb:LeadingKeys is present"),
            std::string::npos);
  EXPECT_EQ(a->allowed_example->context.at("dynamodb:LeadingKeys").values,
            std::vector<std::string>{"t1"});
  // Contradiction: key must be absent and some value must be t1.
  PolicySet q = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kNull, "Null", "dynamodb:LeadingKeys", {"true"}),
       Cond(ConditionOperator::kStringEquals, "ForAnyValue:StringEquals",
            "dynamodb:LeadingKeys", {"t1"}, SetQualifier::kForAnyValue)})});
  EXPECT_EQ(Reach(*Reachable(q), "dynamodb:GetItem"), Answer::kNo);
  // ForAllValues with a deny on ForAnyValue: sets of t1 only are allowed.
  PolicySet s = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:Query"}, {"*"},
            {Cond(ConditionOperator::kStringLike, "ForAllValues:StringLike",
                  "dynamodb:Attributes", {"a*"}, SetQualifier::kForAllValues)}),
       Stmt(
           Effect::kDeny, {"dynamodb:Query"}, {"*"},
           {Cond(ConditionOperator::kStringEquals, "ForAnyValue:StringEquals",
                 "dynamodb:Attributes", {"ab"}, SetQualifier::kForAnyValue)})});
  auto rs = Reachable(s);
  ASSERT_TRUE(rs.ok()) << rs.status();
  ExpectReplays(s, Find(*rs, "dynamodb:Query"));
}

TEST(ConditionTest, NumericRanges) {
  auto age = [](ConditionOperator op, const char* text, const char* v) {
    return Cond(op, text, "aws:MultiFactorAuthAge", {v});
  };
  PolicySet p = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {age(ConditionOperator::kNumericLessThan, "NumericLessThan", "3600"),
       age(ConditionOperator::kNumericGreaterThanEquals,
           "NumericGreaterThanEquals", "60")})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  double v =
      std::stod(get.witness->context.at("aws:MultiFactorAuthAge").values[0]);
  EXPECT_GE(v, 60);
  EXPECT_LT(v, 3600);
  p.identity[0].statements[0].conditions[1] =
      age(ConditionOperator::kNumericGreaterThan, "NumericGreaterThan", "3600");
  EXPECT_EQ(Reach(*Reachable(p), "dynamodb:GetItem"), Answer::kNo);
  // IfExists: absent key satisfies.
  PolicySet q = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kNumericEquals, "NumericEqualsIfExists",
            "aws:MultiFactorAuthAge", {"5"}, SetQualifier::kNone, true)})});
  auto rq = Reachable(q);
  ASSERT_TRUE(rq.ok());
  ExpectReplays(q, Find(*rq, "dynamodb:GetItem"));
}

// One Allow on GetItem with `allow` conditions, plus Deny statements each
// with one condition.
PolicySet Guarded(std::vector<Condition> allow,
                  std::vector<Condition> denies = {}) {
  std::vector<Statement> st = {
      Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"}, allow)};
  for (Condition& c : denies) {
    st.push_back(
        Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"}, {std::move(c)}));
  }
  return Identity(st);
}

// Reachability of GetItem; a kYes witness must replay.
Answer GetItem(const PolicySet& p, Request* witness = nullptr) {
  auto r = Reachable(p);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return Answer::kUnknown;
  const ActionReach& a = Find(*r, "dynamodb:GetItem");
  EXPECT_NE(a.reachable, Answer::kUnknown) << a.reason;
  if (a.reachable == Answer::kYes) {
    ExpectReplays(p, a);
    if (witness != nullptr) *witness = *a.witness;
  }
  return a.reachable;
}

std::string ContextOf(const Request& r, const std::string& key) {
  auto it = r.context.find(key);
  return it == r.context.end() || it->second.values.empty()
             ? "<absent>"
             : it->second.values[0];
}

TEST(TypedConditionTest, DatesIsoAndEpoch) {
  using Op = ConditionOperator;
  const std::string key = "aws:CurrentTime";
  Request w;
  PolicySet before = Guarded(
      {Cond(Op::kDateLessThan, "DateLessThan", key, {"2030-01-01T00:00:00Z"})});
  ASSERT_EQ(GetItem(before, &w), Answer::kYes);
  EXPECT_LT(ContextOf(w, key), "2030");
  // 1893456000 is 2030-01-01T00:00:00Z in epoch seconds.
  PolicySet empty = Guarded(
      {Cond(Op::kDateLessThan, "DateLessThan", key, {"2030-01-01T00:00:00Z"}),
       Cond(Op::kDateGreaterThanEquals, "DateGreaterThanEquals", key,
            {"1893456000"})});
  EXPECT_EQ(GetItem(empty), Answer::kNo);
  PolicySet point = Guarded(
      {Cond(Op::kDateLessThanEquals, "DateLessThanEquals", key, {"2030-01-01"}),
       Cond(Op::kDateGreaterThanEquals, "DateGreaterThanEquals", key,
            {"1893456000"})});
  ASSERT_EQ(GetItem(point, &w), Answer::kYes);
  // A one-millisecond window between an ISO threshold and its successor.
  PolicySet milli = Guarded({Cond(Op::kDateGreaterThan, "DateGreaterThan", key,
                                  {"2030-01-01T00:00:00Z"}),
                             Cond(Op::kDateLessThan, "DateLessThan", key,
                                  {"2030-01-01T00:00:00.002Z"})});
  ASSERT_EQ(GetItem(milli, &w), Answer::kYes);
  PolicySet none = Guarded({Cond(Op::kDateGreaterThan, "DateGreaterThan", key,
                                 {"2030-01-01T00:00:00Z"}),
                            Cond(Op::kDateLessThan, "DateLessThan", key,
                                 {"2030-01-01T00:00:00.001Z"})});
  EXPECT_EQ(GetItem(none), Answer::kNo);
  // DateNotEquals: every present date is denied; IfExists lets an absent key
  // through.
  PolicySet differs = Guarded(
      {Cond(Op::kDateNotEquals, "DateNotEquals", key, {"2030-01-01"})},
      {Cond(Op::kDateLessThan, "DateLessThan", key, {"2030-01-01"}),
       Cond(Op::kDateGreaterThan, "DateGreaterThan", key, {"2030-01-01"})});
  // A negated operator holds for an absent key...
  ASSERT_EQ(GetItem(differs, &w), Answer::kYes);
  EXPECT_EQ(ContextOf(w, key), "<absent>");
  // ...and is false for a value that is not a date.
  differs.identity[0].statements.push_back(
      Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
           {Cond(Op::kNull, "Null", key, {"true"})}));
  EXPECT_EQ(GetItem(differs), Answer::kNo);
  PolicySet if_exists =
      Guarded({Cond(Op::kDateEquals, "DateEqualsIfExists", key, {"2030-01-01"},
                    SetQualifier::kNone, true)},
              {Cond(Op::kNull, "Null", key, {"false"})});
  ASSERT_EQ(GetItem(if_exists, &w), Answer::kYes);
  EXPECT_EQ(ContextOf(w, key), "<absent>");
  auto a = Allows(before, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->conditional);
  ASSERT_TRUE(a->allowed_example && a->denied_example);
}

TEST(TypedConditionTest, IpAddressV4AndV6) {
  using Op = ConditionOperator;
  const std::string key = "aws:SourceIp";
  Request w;
  PolicySet inner =
      Guarded({Cond(Op::kIpAddress, "IpAddress", key, {"10.0.0.0/8"})},
              {Cond(Op::kNotIpAddress, "NotIpAddress", key, {"10.1.0.0/16"})});
  ASSERT_EQ(GetItem(inner, &w), Answer::kYes);
  EXPECT_EQ(ContextOf(w, key).rfind("10.1.", 0), 0u) << ContextOf(w, key);
  inner.identity[0].statements.push_back(
      Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
           {Cond(Op::kIpAddress, "IpAddress", key,
                 {"10.1.0.0/17", "10.1.128.0/17"})}));
  EXPECT_EQ(GetItem(inner), Answer::kNo);
  PolicySet v6 =
      Guarded({Cond(Op::kIpAddress, "IpAddress", key, {"2001:db8::/32"})},
              {Cond(Op::kIpAddress, "IpAddress", key, {"2001:db8::/33"})});
  ASSERT_EQ(GetItem(v6, &w), Answer::kYes);
  // A single address, and both families excluded: what is left is a value
  // that is not an address (NotIpAddress is false on it too).
  PolicySet single =
      Guarded({Cond(Op::kIpAddress, "IpAddress", key, {"192.0.2.7"})},
              {Cond(Op::kNotIpAddress, "NotIpAddress", key, {"192.0.2.7/32"})});
  ASSERT_EQ(GetItem(single, &w), Answer::kYes);
  EXPECT_EQ(ContextOf(w, key), "192.0.2.7");
  PolicySet odd =
      Guarded({Cond(Op::kNull, "Null", key, {"false"})},
              {Cond(Op::kIpAddress, "IpAddress", key, {"0.0.0.0/0"}),
               Cond(Op::kIpAddress, "IpAddress", key, {"::/0"})});
  ASSERT_EQ(GetItem(odd, &w), Answer::kYes);
  odd.identity[0].statements.push_back(
      Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
           {Cond(Op::kNotIpAddress, "NotIpAddress", key, {"0.0.0.0/0"})}));
  // NotIpAddress 0.0.0.0/0 holds for IPv6 addresses, not for non-addresses.
  ASSERT_EQ(GetItem(odd, &w), Answer::kYes);
}

TEST(TypedConditionTest, ArnOperators) {
  using Op = ConditionOperator;
  const std::string key = "aws:SourceArn";
  Request w;
  PolicySet p = Guarded(
      {Cond(Op::kArnLike, "ArnLike", key,
            {"arn:aws:lambda:*:111122223333:function:app-*"})},
      {Cond(Op::kArnEquals, "ArnEquals", key,
            {"arn:aws:lambda:us-east-1:111122223333:function:app-admin"})});
  ASSERT_EQ(GetItem(p, &w), Answer::kYes);
  PolicySet none = Guarded(
      {Cond(Op::kArnLike, "ArnLike", key, {"arn:aws:lambda:*:*:function:app"})},
      {Cond(Op::kArnNotLike, "ArnNotLike", key,
            {"arn:aws:lambda:us-*:*:function:app"}),
       Cond(Op::kArnLike, "ArnLike", key,
            {"arn:aws:lambda:us-*:*:function:app"})});
  EXPECT_EQ(GetItem(none), Answer::kNo);
  // ARN components before the resource part compare case-insensitively.
  PolicySet upper = Guarded({Cond(Op::kArnEquals, "ArnEquals", key,
                                  {"arn:aws:lambda:us-east-1:1:function:f"})},
                            {Cond(Op::kStringEquals, "StringEquals", key,
                                  {"arn:aws:lambda:us-east-1:1:function:f"})});
  ASSERT_EQ(GetItem(upper, &w), Answer::kYes);
  EXPECT_NE(ContextOf(w, key), "arn:aws:lambda:us-east-1:1:function:f");
}

TEST(TypedConditionTest, BinaryEquals) {
  using Op = ConditionOperator;
  const std::string key = "aws:PrincipalTag/blob";
  Request w;
  PolicySet p =
      Guarded({Cond(Op::kBinaryEquals, "BinaryEquals", key, {"dGVzdA=="})});
  ASSERT_EQ(GetItem(p, &w), Answer::kYes);
  PolicySet none =
      Guarded({Cond(Op::kBinaryEquals, "BinaryEquals", key, {"dGVzdA=="})},
              {Cond(Op::kBinaryEquals, "BinaryEquals", key, {"dGVzdA=="})});
  EXPECT_EQ(GetItem(none), Answer::kNo);
  PolicySet other =
      Guarded({Cond(Op::kNull, "Null", key, {"false"})},
              {Cond(Op::kBinaryEquals, "BinaryEquals", key, {"dGVzdA=="})});
  ASSERT_EQ(GetItem(other, &w), Answer::kYes);
  EXPECT_NE(ContextOf(w, key), "dGVzdA==");
}

TEST(VariableTest, SourcesFixedByTheScopeAreExact) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                     {"arn:aws:dynamodb:*:*:table/${aws:username}"})});
  AnalysisScope scope;
  scope.context["aws:username"] = {"alice"};
  auto r = Reachable(p, scope);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes) << get.reason;
  ExpectReplays(p, get);
  EXPECT_EQ(get.witness->resource.substr(get.witness->resource.size() - 12),
            ":table/alice");
  const std::string prefix = "arn:aws:dynamodb:us-east-1:111122223333:table/";
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", prefix + "alice", scope)->answer,
            Answer::kYes);
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", prefix + "bob", scope)->answer,
            Answer::kNo);
  // Absent source: the entry matches nothing; a default stands in for it.
  AnalysisScope absent;
  absent.context["aws:username"] = {};
  EXPECT_EQ(Reach(*Reachable(p, absent), "dynamodb:GetItem"), Answer::kNo);
  PolicySet fallback =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                     {"arn:aws:dynamodb:*:*:table/${aws:username, 'guest'}"})});
  EXPECT_EQ(
      Allows(fallback, "dynamodb:GetItem", prefix + "guest", absent)->answer,
      Answer::kYes);
  EXPECT_EQ(
      Allows(fallback, "dynamodb:GetItem", prefix + "guest", scope)->answer,
      Answer::kNo);
  // AWS: "If a variable that has no value in the authorization context is
  // used as part of the Resource or NotResource element of a policy, the
  // resource that includes a policy variable with no value will not match
  // any resource." An unresolved NotResource entry excludes nothing: the
  // statement applies to every resource.
  PolicySet not_resource = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"},
            {"arn:aws:dynamodb:*:*:table/${aws:username}"}, {}, false, true)});
  EXPECT_EQ(Reach(*Reachable(not_resource, absent), "dynamodb:GetItem"),
            Answer::kYes);
  EXPECT_EQ(Allows(not_resource, "dynamodb:GetItem", prefix + "alice", absent)
                ->answer,
            Answer::kYes);
  EXPECT_EQ(Reach(*Reachable(not_resource, scope), "dynamodb:GetItem"),
            Answer::kYes);
  EXPECT_EQ(
      Allows(not_resource, "dynamodb:GetItem", prefix + "alice", scope)->answer,
      Answer::kNo);
  EXPECT_EQ(
      Allows(not_resource, "dynamodb:GetItem", prefix + "bob", scope)->answer,
      Answer::kYes);
}

TEST(VariableTest, ThePrincipalFixesItsOwnKeys) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"},
            {"arn:aws:dynamodb:*:*:table/${aws:username}"}),
       Stmt(Effect::kAllow, {"dynamodb:Query"}, {"*"},
            {Cond(ConditionOperator::kStringEquals, "StringEquals",
                  "aws:PrincipalType", {"User"}),
             Cond(ConditionOperator::kStringEquals, "StringEquals",
                  "aws:PrincipalAccount", {"111122223333"})}),
       Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {"*"},
            {Cond(ConditionOperator::kArnLike, "ArnLike", "aws:PrincipalArn",
                  {"arn:aws:iam::*:role/app*"})})});
  const std::string prefix = "arn:aws:dynamodb:us-east-1:111122223333:table/";
  AnalysisScope bob;
  bob.principal = "arn:aws:iam::111122223333:user/ops/bob";
  auto r = Reachable(p, bob);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes) << get.reason;
  EXPECT_TRUE(get.reason.empty()) << get.reason;
  ExpectReplays(p, get);
  EXPECT_EQ(get.witness->context.at("aws:username").values,
            std::vector<std::string>{"bob"});
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", prefix + "bob", bob)->answer,
            Answer::kYes);
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", prefix + "alice", bob)->answer,
            Answer::kNo);
  EXPECT_EQ(Reach(*r, "dynamodb:Query"), Answer::kYes);
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"), Answer::kNo);
  // A role has no aws:username; its requests come from its sessions.
  AnalysisScope role;
  role.principal = "arn:aws:iam::111122223333:role/app-reader";
  auto rr = Reachable(p, role);
  ASSERT_TRUE(rr.ok()) << rr.status();
  EXPECT_EQ(Reach(*rr, "dynamodb:GetItem"), Answer::kNo);
  EXPECT_EQ(Reach(*rr, "dynamodb:Query"), Answer::kNo);
  EXPECT_EQ(Reach(*rr, "dynamodb:PutItem"), Answer::kYes);
  // The scope's own values win.
  bob.context["aws:username"] = {"alice"};
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", prefix + "alice", bob)->answer,
            Answer::kYes);
}

TEST(TenantIsolationTest, LeadingKeysOfTheCallerOnly) {
  using Op = ConditionOperator;
  const std::vector<Condition> own = {
      Cond(Op::kStringEquals, "ForAllValues:StringEquals",
           "dynamodb:LeadingKeys", {"${aws:PrincipalTag/tenant}"},
           SetQualifier::kForAllValues),
      Cond(Op::kNull, "Null", "dynamodb:LeadingKeys", {"false"})};
  PolicySet p =
      Identity({Stmt(Effect::kAllow,
                     {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"},
                     {"arn:aws:dynamodb:*:*:table/orders",
                      "arn:aws:dynamodb:*:*:table/carts"},
                     own),
                Stmt(Effect::kAllow, {"dynamodb:Scan"},
                     {"arn:aws:dynamodb:*:*:table/carts"}, {own[0]}),
                Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                     {"arn:aws:dynamodb:*:*:table/audit"})});
  EXPECT_EQ(TenantKey(p), "aws:PrincipalTag/tenant");
  AnalysisScope scope;
  scope.tables = {"orders", "carts", "audit", "other"};
  auto r = CheckTenantIsolation(p, scope);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].isolated, Answer::kYes) << (*r)[0].reason;
  // LeadingKeys cannot restrict a Scan: the condition sees the key absent.
  EXPECT_EQ((*r)[1].isolated, Answer::kNo);
  ASSERT_TRUE((*r)[1].witness.has_value());
  EXPECT_EQ((*r)[1].witness->action, "dynamodb:Scan");
  // A grant without the condition.
  EXPECT_EQ((*r)[2].isolated, Answer::kNo);
  EXPECT_EQ((*r)[2].witness->action, "dynamodb:GetItem");
  EXPECT_EQ((*r)[3].isolated, Answer::kYes);  // nothing allowed at all
  // No LeadingKeys variable: no caller's key, no answer.
  EXPECT_TRUE(
      CheckTenantIsolation(Identity({p.identity[0].statements[2]}), scope)
          ->empty());
}

// The variant of testdata/examples/tenants/role-per-tenant-tables.json:
// each tenant owns the tables named after it, "table/${tenant}-*". The
// variable inside the Resource entry is decided exactly.
TEST(TenantIsolationTest, TablesNamedAfterTheTenant) {
  using Op = ConditionOperator;
  const Condition own_keys = Cond(
      Op::kStringEquals, "ForAllValues:StringEquals", "dynamodb:LeadingKeys",
      {"${aws:PrincipalTag/tenant}"}, SetQualifier::kForAllValues);
  PolicySet p = Identity(
      {Stmt(Effect::kAllow,
            {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
             "dynamodb:Scan"},
            {"arn:aws:dynamodb:eu-west-1:111122223333:table/${aws:PrincipalTag/"
             "tenant}-*"},
            {own_keys,
             Cond(Op::kNull, "Null", "dynamodb:LeadingKeys", {"false"})}),
       Stmt(Effect::kAllow, {"dynamodb:Query", "dynamodb:PutItem"},
            {"arn:aws:dynamodb:eu-west-1:111122223333:table/tenant-events"},
            {own_keys})});
  AnalysisScope scope;
  scope.principal = "arn:aws:iam::111122223333:role/tenant-app";
  scope.tables = {"acme-orders", "tenant-events", "orders"};
  auto r = CheckTenantIsolation(p, scope);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].isolated, Answer::kYes) << (*r)[0].reason;
  // SharedEvents does not require the key: a Query without it.
  EXPECT_EQ((*r)[1].isolated, Answer::kNo) << (*r)[1].reason;
  ASSERT_TRUE((*r)[1].witness.has_value());
  EXPECT_EQ((*r)[1].witness->action, "dynamodb:Query");
  EXPECT_EQ((*r)[2].isolated, Answer::kYes) << (*r)[2].reason;
  // Reachable: the tenant "acme" reads its own table, never a Scan.
  scope.tables.clear();
  scope.actions = {"dynamodb:GetItem", "dynamodb:Scan"};
  auto reach = Reachable(p, scope);
  ASSERT_TRUE(reach.ok()) << reach.status();
  EXPECT_EQ(Reach(*reach, "dynamodb:GetItem"), Answer::kYes)
      << reach->actions[0].reason;
  EXPECT_EQ(Reach(*reach, "dynamodb:Scan"), Answer::kNo)
      << reach->actions[1].reason;
  const Request& w = *reach->actions[0].witness;
  const std::string tenant =
      w.context.at("aws:PrincipalTag/tenant").values.at(0);
  EXPECT_EQ(w.resource.substr(w.resource.find("table/") + 6, tenant.size() + 1),
            tenant + "-");
}

TEST(VariableTest, ConditionValuesAndSpecialCharacters) {
  using Op = ConditionOperator;
  AnalysisScope scope;
  scope.context["aws:userid"] = {"AIDA*1"};
  // The substituted value is literal: '*' from the variable is no wildcard.
  PolicySet p = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(Op::kStringLike, "ForAllValues:StringLike", "dynamodb:LeadingKeys",
            {"${aws:userid}-*"}, SetQualifier::kForAllValues),
       Cond(Op::kNull, "Null", "dynamodb:LeadingKeys", {"false"})})});
  auto r = Reachable(p, scope);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes) << get.reason;
  ExpectReplays(p, get);
  for (const std::string& v :
       get.witness->context.at("dynamodb:LeadingKeys").values) {
    EXPECT_EQ(v.rfind("AIDA*1-", 0), 0u) << v;
  }
  // ${*}, ${?} and ${$} are literal characters, with no source to fix.
  PolicySet star = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                                  {"arn:aws:dynamodb:*:*:table/a${*}"})});
  const std::string prefix = "arn:aws:dynamodb:us-east-1:111122223333:table/";
  EXPECT_EQ(Allows(star, "dynamodb:GetItem", prefix + "a*")->answer,
            Answer::kYes);
  EXPECT_EQ(Allows(star, "dynamodb:GetItem", prefix + "ab")->answer,
            Answer::kNo);
  // Version 2008-10-17 does not substitute: "${...}" is text.
  PolicySet old =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                     {"arn:aws:dynamodb:*:*:table/${aws:username}"})});
  old.identity[0].version = "2008-10-17";
  EXPECT_EQ(Allows(old, "dynamodb:GetItem", prefix + "${aws:username}")->answer,
            Answer::kYes);
  AnalysisScope alice;
  alice.context["aws:username"] = {"alice"};
  EXPECT_EQ(Allows(old, "dynamodb:GetItem", prefix + "alice", alice)->answer,
            Answer::kNo);
  // A negated operator with an unresolved variable fails for present keys.
  PolicySet negated = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
            {Cond(Op::kStringNotEquals, "StringNotEquals",
                  "aws:PrincipalTag/team", {"${aws:PrincipalTag/owner}"}),
             Cond(Op::kNull, "Null", "aws:PrincipalTag/team", {"false"})})});
  AnalysisScope no_owner;
  no_owner.context["aws:PrincipalTag/owner"] = {};
  EXPECT_EQ(Reach(*Reachable(negated, no_owner), "dynamodb:GetItem"),
            Answer::kNo);
  AnalysisScope owner;
  owner.context["aws:PrincipalTag/owner"] = {"x"};
  EXPECT_EQ(Reach(*Reachable(negated, owner), "dynamodb:GetItem"),
            Answer::kYes);
}

constexpr char kAlice[] = "arn:aws:iam::111122223333:user/alice";
constexpr char kAppRole[] = "arn:aws:iam::111122223333:role/app";

AnalysisScope PrincipalScope(const std::string& principal) {
  AnalysisScope scope;
  scope.principal = principal;
  scope.account = "111122223333";
  scope.region = "us-east-1";
  scope.tables = {"Orders", "Users"};
  return scope;
}

// Reachability of GetItem on the Orders table within `scope`; a kYes
// witness must replay.
Answer OrdersGet(const PolicySet& p, const AnalysisScope& scope) {
  auto r = Reachable(p, scope);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return Answer::kUnknown;
  const ActionReach& a = Find(*r, "dynamodb:GetItem");
  EXPECT_NE(a.reachable, Answer::kUnknown) << a.reason;
  if (a.reachable == Answer::kYes) ExpectReplays(p, a);
  return a.tables.at("Orders");
}

TEST(ResourcePolicyTest, SameAccountGrants) {
  PolicySet p;
  p.resource["Orders"].push_back(
      Pol(PolicyKind::kResource,
          {Grant(Effect::kAllow, {"dynamodb:GetItem"}, {kAlice})}));
  const AnalysisScope alice = PrincipalScope(kAlice);
  auto r = Reachable(p, alice);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes) << get.reason;
  ExpectReplays(p, get);
  EXPECT_EQ(get.tables.at("Orders"), Answer::kYes);
  EXPECT_EQ(get.tables.at("Users"), Answer::kNo);
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"), Answer::kNo);
  // Another principal is not named.
  EXPECT_EQ(OrdersGet(p, PrincipalScope("arn:aws:iam::111122223333:user/bob")),
            Answer::kNo);
  // A grant to the account delegates to identity policies.
  PolicySet account;
  account.resource["Orders"].push_back(
      Pol(PolicyKind::kResource,
          {Grant(Effect::kAllow, {"dynamodb:GetItem"}, {"111122223333"})}));
  EXPECT_EQ(OrdersGet(account, alice), Answer::kNo);
  account.identity.push_back(
      Pol(PolicyKind::kIdentity,
          {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})}));
  EXPECT_EQ(OrdersGet(account, alice), Answer::kYes);
  // A grant to the user is not limited by the user's boundary; a grant to
  // the role is limited by the role's.
  p.boundary = Pol(PolicyKind::kBoundary,
                   {Stmt(Effect::kAllow, {"dynamodb:Query"}, {"*"})});
  EXPECT_EQ(OrdersGet(p, alice), Answer::kYes);
  PolicySet role;
  role.resource["arn:aws:dynamodb:us-east-1:111122223333:table/Orders"]
      .push_back(Pol(PolicyKind::kResource,
                     {Grant(Effect::kAllow, {"dynamodb:*"}, {kAppRole})}));
  EXPECT_EQ(OrdersGet(role, PrincipalScope(kAppRole)), Answer::kYes);
  role.boundary = p.boundary;
  EXPECT_EQ(OrdersGet(role, PrincipalScope(kAppRole)), Answer::kNo);
  // A table-ARN attachment covers the table's indexes.
  AnalysisScope app = PrincipalScope(kAppRole);
  role.boundary.reset();
  auto q = Allows(
      role, "dynamodb:Query",
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/byDate", app);
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->answer, Answer::kYes);
  // A Deny with NotPrincipal denies everyone else, and everyone when the
  // principal has a permissions boundary.
  PolicySet guarded =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})});
  guarded.resource["Orders"].push_back(
      Pol(PolicyKind::kResource,
          {Grant(Effect::kDeny, {"dynamodb:*"}, {kAlice}, true)}));
  EXPECT_EQ(OrdersGet(guarded, alice), Answer::kYes);
  EXPECT_EQ(OrdersGet(guarded, PrincipalScope(kAppRole)), Answer::kNo);
  guarded.boundary =
      Pol(PolicyKind::kBoundary, {Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"})});
  EXPECT_EQ(OrdersGet(guarded, alice), Answer::kNo);
}

TEST(ResourcePolicyTest, CrossAccountNeedsBothSides) {
  const std::string outsider = "arn:aws:iam::444455556666:role/reader";
  const AnalysisScope scope = PrincipalScope(outsider);
  PolicySet identity_only =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})});
  EXPECT_EQ(OrdersGet(identity_only, scope), Answer::kNo);
  PolicySet resource_only;
  resource_only.resource["Orders"].push_back(
      Pol(PolicyKind::kResource,
          {Grant(Effect::kAllow, {"dynamodb:GetItem"}, {"444455556666"})}));
  EXPECT_EQ(OrdersGet(resource_only, scope), Answer::kNo);
  PolicySet both = identity_only;
  both.resource = resource_only.resource;
  EXPECT_EQ(OrdersGet(both, scope), Answer::kYes);
  // The same policies for a principal of the table's account: the identity
  // policy suffices.
  EXPECT_EQ(OrdersGet(identity_only, PrincipalScope(kAppRole)), Answer::kYes);
}

TEST(ResourcePolicyTest, PrincipalWithoutAScopePrincipal) {
  PolicySet everyone;
  everyone.resource["Orders"].push_back(
      Pol(PolicyKind::kResource,
          {Grant(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})}));
  auto r = Reachable(everyone);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes) << get.reason;
  ExpectReplays(everyone, get);
  PolicySet named;
  named.resource["Orders"].push_back(
      Pol(PolicyKind::kResource,
          {Grant(Effect::kAllow, {"dynamodb:GetItem"}, {kAlice})}));
  auto named_report = Reachable(named);
  ASSERT_TRUE(named_report.ok()) << named_report.status();
  const ActionReach& unknown = Find(*named_report, "dynamodb:GetItem");
  EXPECT_EQ(unknown.reachable, Answer::kUnknown);
  EXPECT_NE(unknown.reason.find("scope principal"), std::string::npos)
      << unknown.reason;
  // An RCP statement that does not name the principal does not allow.
  PolicySet rcp = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})});
  rcp.rcp_levels.push_back(
      {Pol(PolicyKind::kRcp,
           {Grant(Effect::kAllow, {"dynamodb:*"}, {"444455556666"})})});
  EXPECT_EQ(OrdersGet(rcp, PrincipalScope(kAppRole)), Answer::kNo);
  EXPECT_EQ(OrdersGet(rcp, PrincipalScope("arn:aws:iam::444455556666:role/x")),
            Answer::kNo);  // cross-account, and no resource policy
  rcp.rcp_levels[0][0].statements[0].principal->negated = true;
  EXPECT_EQ(OrdersGet(rcp, PrincipalScope(kAppRole)), Answer::kYes);
}

TEST(UnknownTest, UnmodelledConstructsAreUnknownNeverNo) {
  // Without deciding free variables, a free variable source after a
  // wildcard is tried with one value per class of its own conditions:
  // found witnesses are real, the rest is unknown.
  AnalysisOptions first_pass;
  first_pass.decide_free_variables = false;
  PolicySet vars =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                     {"arn:aws:dynamodb:*:*:table/*-${aws:username}"})});
  auto r = Reachable(vars, {}, first_pass);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes) << get.reason;
  ExpectReplays(vars, get);
  EXPECT_NE(get.reason.find("policy variable ${aws:username}"),
            std::string::npos)
      << get.reason;  // the resource summary is incomplete
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"),
            Answer::kNo);  // statement irrelevant
  // Only username "bob" works, and "bob" is no constant of aws:username.
  vars.identity[0].statements[0].conditions = {
      Cond(ConditionOperator::kStringEquals, "StringEquals",
           "aws:PrincipalTag/team", {"${aws:username}"}),
      Cond(ConditionOperator::kStringEquals, "StringEquals",
           "aws:PrincipalTag/team", {"bob"})};
  auto bob_report = Reachable(vars, {}, first_pass);
  ASSERT_TRUE(bob_report.ok()) << bob_report.status();
  const ActionReach& bob = Find(*bob_report, "dynamodb:GetItem");
  EXPECT_EQ(bob.reachable, Answer::kUnknown);
  EXPECT_NE(bob.reason.find("policy variable ${aws:username}"),
            std::string::npos)
      << bob.reason;
  auto allows = Allows(vars, "dynamodb:GetItem",
                       "arn:aws:dynamodb:us-east-1:111122223333:table/x-bob",
                       {}, first_pass);
  ASSERT_TRUE(allows.ok()) << allows.status();
  EXPECT_EQ(allows->answer, Answer::kUnknown);
  // Deciding them (the default), the same questions have answers: only
  // "bob" works, as the witness says.
  auto bob_exact = Reachable(vars);
  ASSERT_TRUE(bob_exact.ok()) << bob_exact.status();
  const ActionReach& bob_yes = Find(*bob_exact, "dynamodb:GetItem");
  ASSERT_EQ(bob_yes.reachable, Answer::kYes) << bob_yes.reason;
  ExpectReplays(vars, bob_yes);
  auto allows_exact =
      Allows(vars, "dynamodb:GetItem",
             "arn:aws:dynamodb:us-east-1:111122223333:table/x-bob");
  ASSERT_TRUE(allows_exact.ok()) << allows_exact.status();
  EXPECT_EQ(allows_exact->answer, Answer::kYes);
  // After literal text, the same is decided exactly.
  PolicySet exact = vars;
  exact.identity[0].statements[0].resources[0].text =
      "arn:aws:dynamodb:*:*:table/${aws:username}";
  auto exact_report = Reachable(exact);
  ASSERT_TRUE(exact_report.ok()) << exact_report.status();
  const ActionReach& decided = Find(*exact_report, "dynamodb:GetItem");
  EXPECT_EQ(decided.reachable, Answer::kYes) << decided.reason;
  EXPECT_TRUE(decided.reason.empty()) << decided.reason;
  ExpectReplays(exact, decided);
  EXPECT_EQ(Allows(exact, "dynamodb:GetItem",
                   "arn:aws:dynamodb:us-east-1:111122223333:table/bob")
                ->answer,
            Answer::kYes);
  EXPECT_EQ(Allows(exact, "dynamodb:GetItem",
                   "arn:aws:dynamodb:us-east-1:111122223333:table/bo")
                ->answer,
            Answer::kNo);
  vars.identity[0].statements[0].resources[0].text =
      "arn:aws:dynamodb:*:*:table/${aws:username}";
  // Fixing the source makes it exact.
  AnalysisScope bob_scope;
  bob_scope.context["aws:username"] = {"bob"};
  EXPECT_EQ(Reach(*Reachable(vars, bob_scope), "dynamodb:GetItem"),
            Answer::kYes);
  // Two free sources in one value stay unknown in the first pass.
  PolicySet two = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"},
            {"arn:aws:dynamodb:*:*:table/${aws:username}-${aws:userid}"})});
  auto two_report = Reachable(two, {}, first_pass);
  ASSERT_TRUE(two_report.ok()) << two_report.status();
  const ActionReach& t = Find(*two_report, "dynamodb:GetItem");
  EXPECT_EQ(t.reachable, Answer::kUnknown);
  EXPECT_NE(t.reason.find("two policy variables"), std::string::npos)
      << t.reason;

  // One key read both as a date and as a string.
  PolicySet mixed =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
                     {Cond(ConditionOperator::kDateLessThan, "DateLessThan",
                           "aws:CurrentTime", {"2030-01-01T00:00:00Z"}),
                      Cond(ConditionOperator::kStringLike, "StringLike",
                           "aws:CurrentTime", {"2029-*"})})});
  auto mixed_report = Reachable(mixed);
  ASSERT_TRUE(mixed_report.ok()) << mixed_report.status();
  const ActionReach& d = Find(*mixed_report, "dynamodb:GetItem");
  EXPECT_EQ(d.reachable, Answer::kUnknown);
  EXPECT_NE(d.reason.find("different types"), std::string::npos) << d.reason;
}

TEST(UnknownTest, TinyResourceLimitGivesUnknown) {
  std::vector<Statement> st;
  // Pigeonhole-like: values of four keys must be pairwise different among
  // three allowed values.
  std::vector<Condition> conds;
  for (int i = 0; i < 4; ++i) {
    conds.push_back(Cond(ConditionOperator::kStringEquals, "StringEquals",
                         "aws:PrincipalTag/k" + std::to_string(i),
                         {"a", "b", "c"}));
  }
  st.push_back(Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"}, conds));
  for (int i = 0; i < 4; ++i) {
    for (int j = i + 1; j < 4; ++j) {
      for (const char* v : {"a", "b", "c"}) {
        st.push_back(
            Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
                 {Cond(ConditionOperator::kStringEquals, "StringEquals",
                       "aws:PrincipalTag/k" + std::to_string(i), {v}),
                  Cond(ConditionOperator::kStringEquals, "StringEquals",
                       "aws:PrincipalTag/k" + std::to_string(j), {v})}));
      }
    }
  }
  PolicySet p = Identity(st);
  AnalysisOptions tiny;
  tiny.rlimit = 1;
  auto r = Reachable(p, {}, tiny);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  EXPECT_EQ(get.reachable, Answer::kUnknown);
  EXPECT_NE(get.reason.find("solver"), std::string::npos) << get.reason;
  EXPECT_EQ(Reach(*Reachable(p), "dynamodb:GetItem"), Answer::kNo);
}

TEST(ScopeTest, TablesAccountAndFacts) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem", "dynamodb:Query"},
                     {"arn:aws:dynamodb:*:111122223333:table/Orders*"})});
  AnalysisScope scope;
  scope.account = "111122223333";
  scope.region = "us-east-1";
  scope.tables = {"Orders", "Users"};
  auto r = Reachable(p, scope);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& q = Find(*r, "dynamodb:Query");
  EXPECT_EQ(q.tables.at("Orders"), Answer::kYes);
  EXPECT_EQ(q.tables.at("Orders/index/*"), Answer::kYes);
  EXPECT_EQ(q.tables.at("Users"), Answer::kNo);
  EXPECT_EQ(Find(*r, "dynamodb:PutItem").tables.at("Orders"), Answer::kNo);
  ExpectReplays(p, q);
  EXPECT_EQ(q.witness->resource.rfind(
                "arn:aws:dynamodb:us-east-1:111122223333:table/Orders", 0),
            0u);
  scope.account = "999999999999";
  EXPECT_EQ(Reach(*Reachable(p, scope), "dynamodb:Query"), Answer::kNo);
}

TEST(ScopeTest, BadInput) {
  PolicySet p = Identity({});
  AnalysisScope s;
  s.actions = {"dynamodb:GetItems"};
  auto r = Reachable(p, s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "unknown DynamoDB action \"dynamodb:GetItems\"");
  AnalysisScope a;
  a.account = "12";
  EXPECT_EQ(Reachable(p, a).status().message(),
            "scope account \"12\" is not a 12-digit account id");
  AnalysisScope t;
  t.tables = {"a/b"};
  EXPECT_EQ(Reachable(p, t).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Allows(p, "dynamodb:Nope", kOrders).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DifferenceTest, PrimitiveComparesTwoPolicySets) {
  PolicySet wide = Identity({Stmt(Effect::kAllow, {"dynamodb:*Get*"}, {"*"})});
  PolicySet narrow =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})});
  auto batch =
      FindAllowedDifference(PolicySide::Of(wide), PolicySide::Of(narrow),
                            "dynamodb:BatchGetItem", {});
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->answer, Answer::kYes);
  ASSERT_TRUE(batch->witness.has_value());
  auto get = FindAllowedDifference(PolicySide::Of(wide), PolicySide::Of(narrow),
                                   "dynamodb:GetItem", {});
  EXPECT_EQ(get->answer, Answer::kNo);
  auto rev = FindAllowedDifference(PolicySide::Of(narrow), PolicySide::Of(wide),
                                   "dynamodb:GetItem", {});
  EXPECT_EQ(rev->answer, Answer::kNo);
  auto all = FindAllowedDifference(
      PolicySide::AllowAll(), PolicySide::Of(narrow), "dynamodb:GetItem", {});
  EXPECT_EQ(all->answer, Answer::kNo);  // narrow allows GetItem everywhere
  auto put = FindAllowedDifference(
      PolicySide::AllowAll(), PolicySide::Of(narrow), "dynamodb:PutItem", {});
  EXPECT_EQ(put->answer, Answer::kYes);
}

}  // namespace
}  // namespace leastpriv
