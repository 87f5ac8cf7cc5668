// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/analyzer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT

constexpr char kOrders[] = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
constexpr char kSecret[] = "arn:aws:dynamodb:us-east-1:111122223333:table/Secret";

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

TEST(ReachableTest, ActionAndResource) {
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem", "dynamodb:Query"},
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
  const std::string table = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"arn:aws:dynamodb:us-east-1:*"}),
       Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {"arn:aws:dynamodb:us-east-1"})});
  Request r{"arn:aws:iam::111122223333:role/app", "dynamodb:GetItem", table, {}};
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
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:Delete*"}, {kSecret}, {},
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
  for (const ActionReach& a : rq->actions) EXPECT_EQ(a.reachable, Answer::kNo) << a.action;
}

TEST(ReachableTest, BoundarySessionAndScpIntersect) {
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"})});
  p.boundary = Pol(PolicyKind::kBoundary,
                   {Stmt(Effect::kAllow, {"dynamodb:Query", "dynamodb:GetItem"}, {"*"})});
  p.scp_levels.push_back(
      {Pol(PolicyKind::kScp, {Stmt(Effect::kAllow, {"dynamodb:Get*", "dynamodb:PutItem"}, {"*"})})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Reach(*r, "dynamodb:GetItem"), Answer::kYes);
  ExpectReplays(p, Find(*r, "dynamodb:GetItem"));
  EXPECT_EQ(Reach(*r, "dynamodb:Query"), Answer::kNo);    // SCP
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"), Answer::kNo);  // boundary
  p.session = Pol(PolicyKind::kSession, {Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {"*"})});
  auto s = Reachable(p);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Reach(*s, "dynamodb:GetItem"), Answer::kNo);  // session
  // An SCP level with no policy allowing anything denies all.
  PolicySet e = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"})});
  e.scp_levels.push_back({Pol(PolicyKind::kScp, {})});
  EXPECT_EQ(Reach(*Reachable(e), "dynamodb:GetItem"), Answer::kNo);
}

TEST(ConditionTest, StringEqualsIsOnlyIf) {
  PolicySet p = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kStringEquals, "StringEquals", "aws:PrincipalTag/team",
            {"payments"})})});
  auto a = Allows(p, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->answer, Answer::kYes);
  EXPECT_TRUE(a->conditional);
  EXPECT_EQ(a->only_if, "aws:PrincipalTag/team = payments");
  ASSERT_TRUE(a->allowed_example.has_value());
  EXPECT_EQ(a->allowed_example->context.at("aws:PrincipalTag/team").values,
            std::vector<std::string>{"payments"});
  ASSERT_TRUE(a->denied_example.has_value());
  EXPECT_EQ(Evaluate(p, *a->denied_example)->kind, DecisionKind::kImplicitlyDenied);
}

TEST(ConditionTest, StringLikeAgainstStringNotLikeDeny) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
            {Cond(ConditionOperator::kStringLike, "StringLike", "aws:PrincipalTag/env", {"prod-*"})}),
       Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
            {Cond(ConditionOperator::kStringNotLike, "StringNotLike", "aws:PrincipalTag/env",
                  {"prod-eu*"})})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  const std::string env = get.witness->context.at("aws:PrincipalTag/env").values[0];
  EXPECT_EQ(env.rfind("prod-eu", 0), 0u) << env;
  // Make it contradictory: only prod-us* escapes the deny, but allow wants eu.
  p.identity[0].statements[1].conditions[0].values[0].text = "prod-us*";
  p.identity[0].statements[0].conditions[0].values[0].text = "prod-eu*";
  EXPECT_EQ(Reach(*Reachable(p), "dynamodb:GetItem"), Answer::kNo);
}

TEST(ConditionTest, IgnoreCaseAndNotEquals) {
  PolicySet p = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kStringEqualsIgnoreCase, "StringEqualsIgnoreCase",
            "aws:PrincipalTag/team", {"Pay"}),
       Cond(ConditionOperator::kStringNotEquals, "StringNotEquals", "aws:PrincipalTag/team",
            {"pay", "PAY", "Pay"})})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  // The value must be a case variant other than the three excluded ones.
  const std::string v = get.witness->context.at("aws:PrincipalTag/team").values[0];
  EXPECT_EQ(v.size(), 3u);
  EXPECT_NE(v, "pay");
  EXPECT_NE(v, "PAY");
}

TEST(ConditionTest, BoolSecureTransport) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"}),
       Stmt(Effect::kDeny, {"dynamodb:*"}, {"*"},
            {Cond(ConditionOperator::kBool, "Bool", "aws:SecureTransport", {"false"})})});
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
  EXPECT_EQ(Allows(p, "dynamodb:GetItem", kOrders, insecure)->answer, Answer::kNo);
}

TEST(ConditionTest, NullAndSetQualifiers) {
  // Tenant isolation: LeadingKeys must be present and all equal to "t1".
  PolicySet p = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kNull, "Null", "dynamodb:LeadingKeys", {"false"}),
       Cond(ConditionOperator::kStringEquals, "ForAllValues:StringEquals",
            "dynamodb:LeadingKeys", {"t1"}, SetQualifier::kForAllValues)})});
  auto a = Allows(p, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->conditional);
  EXPECT_NE(a->only_if.find("dynamodb:LeadingKeys ⊆ {t1}"), std::string::npos) << a->only_if;
  EXPECT_NE(a->only_if.find("dynamodb:LeadingKeys is present"), std::string::npos);
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
       Stmt(Effect::kDeny, {"dynamodb:Query"}, {"*"},
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
       age(ConditionOperator::kNumericGreaterThanEquals, "NumericGreaterThanEquals", "60")})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  ASSERT_EQ(get.reachable, Answer::kYes);
  ExpectReplays(p, get);
  double v = std::stod(get.witness->context.at("aws:MultiFactorAuthAge").values[0]);
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

TEST(UnknownTest, UnmodelledConstructsAreUnknownNeverNo) {
  PolicySet vars = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                                  {"arn:aws:dynamodb:*:*:table/${aws:username}"})});
  auto r = Reachable(vars);
  ASSERT_TRUE(r.ok()) << r.status();
  const ActionReach& get = Find(*r, "dynamodb:GetItem");
  EXPECT_EQ(get.reachable, Answer::kUnknown);
  EXPECT_NE(get.reason.find("policy variables"), std::string::npos) << get.reason;
  EXPECT_EQ(Reach(*r, "dynamodb:PutItem"), Answer::kNo);  // statement irrelevant

  PolicySet date = Identity({Stmt(
      Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
      {Cond(ConditionOperator::kDateLessThan, "DateLessThan", "aws:CurrentTime",
            {"2030-01-01T00:00:00Z"})})});
  auto rd = Reachable(date);
  ASSERT_TRUE(rd.ok()) << rd.status();
  const ActionReach& d = Find(*rd, "dynamodb:GetItem");
  EXPECT_EQ(d.reachable, Answer::kUnknown);
  EXPECT_NE(d.reason.find("DateLessThan"), std::string::npos) << d.reason;
}

TEST(UnknownTest, TinyResourceLimitGivesUnknown) {
  std::vector<Statement> st;
  // Pigeonhole-like: values of four keys must be pairwise different among
  // three allowed values.
  std::vector<Condition> conds;
  for (int i = 0; i < 4; ++i) {
    conds.push_back(Cond(ConditionOperator::kStringEquals, "StringEquals",
                         "aws:PrincipalTag/k" + std::to_string(i), {"a", "b", "c"}));
  }
  st.push_back(Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"}, conds));
  for (int i = 0; i < 4; ++i) {
    for (int j = i + 1; j < 4; ++j) {
      for (const char* v : {"a", "b", "c"}) {
        st.push_back(Stmt(Effect::kDeny, {"dynamodb:GetItem"}, {"*"},
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
  PolicySet p = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem", "dynamodb:Query"},
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
  EXPECT_EQ(q.witness->resource.rfind("arn:aws:dynamodb:us-east-1:111122223333:table/Orders", 0), 0u);
  scope.account = "999999999999";
  EXPECT_EQ(Reach(*Reachable(p, scope), "dynamodb:Query"), Answer::kNo);
}

TEST(ScopeTest, BadInput) {
  PolicySet p = Identity({});
  AnalysisScope s;
  s.actions = {"dynamodb:GetItems"};
  auto r = Reachable(p, s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unknown DynamoDB action \"dynamodb:GetItems\"");
  AnalysisScope a;
  a.account = "12";
  EXPECT_EQ(Reachable(p, a).status().message(),
            "scope account \"12\" is not a 12-digit account id");
  AnalysisScope t;
  t.tables = {"a/b"};
  EXPECT_EQ(Reachable(p, t).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Allows(p, "dynamodb:Nope", kOrders).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DifferenceTest, PrimitiveComparesTwoPolicySets) {
  PolicySet wide = Identity({Stmt(Effect::kAllow, {"dynamodb:*Get*"}, {"*"})});
  PolicySet narrow = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"})});
  auto batch = FindAllowedDifference(PolicySide::Of(wide), PolicySide::Of(narrow),
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
  auto all = FindAllowedDifference(PolicySide::AllowAll(), PolicySide::Of(narrow),
                                   "dynamodb:GetItem", {});
  EXPECT_EQ(all->answer, Answer::kNo);  // narrow allows GetItem everywhere
  auto put = FindAllowedDifference(PolicySide::AllowAll(), PolicySide::Of(narrow),
                                   "dynamodb:PutItem", {});
  EXPECT_EQ(put->answer, Answer::kYes);
}

}  // namespace
}  // namespace leastpriv
