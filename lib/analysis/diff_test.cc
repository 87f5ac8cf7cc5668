// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/diff.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT

constexpr char kOrders[] =
    "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
constexpr char kAll[] = "arn:aws:dynamodb:us-east-1:111122223333:table/*";

AnalysisScope Actions(std::vector<std::string> actions) {
  AnalysisScope scope;
  scope.actions = std::move(actions);
  return scope;
}

void ExpectWitness(const PolicySet& grants, const PolicySet& denies,
                   const AccessChange& c) {
  auto g = Evaluate(grants, c.witness);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->kind, DecisionKind::kAllowed);
  auto d = Evaluate(denies, c.witness);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_NE(d->kind, DecisionKind::kAllowed);
  EXPECT_EQ(c.witness.action, c.action);
}

TEST(DiffPoliciesTest, SameAccessInAnotherShapeIsNoNewAccess) {
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:Get*"}, {kOrders})});
  PolicySet new_set = Identity(
      {Stmt(Effect::kAllow,
            {"dynamodb:GetShardIterator", "dynamodb:GetRecords"}, {kOrders}),
       Stmt(Effect::kAllow,
            {"dynamodb:GetItem", "dynamodb:GetResourcePolicy",
             "dynamodb:GetAbacStatus"},
            {kOrders})});
  auto diff = DiffPolicies(old_set, new_set);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNoNewAccess);
  EXPECT_TRUE(diff->new_access.empty());
  EXPECT_TRUE(diff->undecided.empty());
}

// dynamodb:Select is sent with GetItem, never with DescribeTable (Service
// Authorization Reference): dropping a condition on it is new access for
// GetItem only, and no witness carries it for DescribeTable. Found by
// diff_oracle_test: the external simulator ignores such keys, as AWS does.
TEST(DiffPoliciesTest, ServiceKeysCountOnlyForActionsThatSupportThem) {
  PolicySet old_set = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:*"}, {kOrders},
            {Cond(ConditionOperator::kStringEquals, "StringEqualsIfExists",
                  "dynamodb:Select", {"COUNT"}, SetQualifier::kNone, true)}),
       Stmt(Effect::kDeny, {"dynamodb:*"}, {kOrders},
            {Cond(ConditionOperator::kNull, "Null", "dynamodb:LeadingKeys",
                  {"false"})})});
  PolicySet new_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {kOrders})});
  auto diff =
      DiffPolicies(old_set, new_set,
                   Actions({"dynamodb:GetItem", "dynamodb:DescribeTable",
                            "dynamodb:UpdateTable"}));
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  ASSERT_EQ(diff->new_access.size(), 1u);
  EXPECT_EQ(diff->new_access[0].action, "dynamodb:GetItem");
  ExpectWitness(new_set, old_set, diff->new_access[0]);
  EXPECT_TRUE(diff->removed_access.empty());

  auto describe = Allows(old_set, "dynamodb:DescribeTable", kOrders);
  ASSERT_TRUE(describe.ok()) << describe.status();
  EXPECT_EQ(describe->answer, Answer::kYes);
  EXPECT_FALSE(describe->conditional);
  auto get = Allows(old_set, "dynamodb:GetItem", kOrders);
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_TRUE(get->conditional);
  ASSERT_TRUE(get->denied_example.has_value());
  EXPECT_EQ(get->denied_example->context.size(), 1u);
}

TEST(DiffPoliciesTest, WidenedResourceIsNewAccessWithWitness) {
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kOrders})});
  PolicySet new_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kAll})});
  new_set.identity[0].statements[0].sid = "Widened";
  auto diff = DiffPolicies(old_set, new_set, Actions({"dynamodb:GetItem"}));
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  ASSERT_EQ(diff->new_access.size(), 1u);
  const AccessChange& c = diff->new_access[0];
  ExpectWitness(new_set, old_set, c);
  EXPECT_NE(c.witness.resource, kOrders);
  ASSERT_EQ(c.resources.size(), 1u);
  EXPECT_EQ(c.resources[0].patterns, std::vector<std::string>{kAll});
  EXPECT_EQ(c.resources[0].except, std::vector<std::string>{kOrders});
  ASSERT_EQ(c.granted_by.statements.size(), 1u);
  EXPECT_EQ(c.granted_by.statements[0].sid, "Widened");
  EXPECT_TRUE(diff->removed_access.empty());

  // The other way round the access is removed, not added.
  auto back = DiffPolicies(new_set, old_set, Actions({"dynamodb:GetItem"}));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->verdict, DiffVerdict::kNoNewAccess);
  ASSERT_EQ(back->removed_access.size(), 1u);
  ExpectWitness(new_set, old_set, back->removed_access[0]);
}

// Two free variables in one Resource entry: beyond the first pass, so
// those actions go straight to the exact models; decided by default, with
// witnesses that replay, and undecided without deciding free variables.
TEST(DiffPoliciesTest, TwoFreeVariablesInAnEntryAreDecidedByDefault) {
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kOrders})});
  PolicySet new_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem", "dynamodb:PutItem"},
                     {"arn:aws:dynamodb:us-east-1:111122223333:table/"
                      "${aws:PrincipalTag/team}-${aws:PrincipalTag/env}"}),
                Stmt(Effect::kAllow, {"dynamodb:Scan"}, {kOrders})});
  const AnalysisScope scope = Actions({"dynamodb:GetItem", "dynamodb:PutItem",
                                       "dynamodb:Scan", "dynamodb:DeleteItem"});
  auto diff = DiffPolicies(old_set, new_set, scope);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  EXPECT_TRUE(diff->undecided.empty());
  std::vector<std::string> added;
  for (const AccessChange& c : diff->new_access) {
    added.push_back(c.action);
    ExpectWitness(new_set, old_set, c);
  }
  EXPECT_EQ(added,
            (std::vector<std::string>{"dynamodb:GetItem", "dynamodb:PutItem",
                                      "dynamodb:Scan"}));
  // GetItem on Orders is removed: no pair of tags names a table without
  // a "-".
  ASSERT_EQ(diff->removed_access.size(), 1u);
  EXPECT_EQ(diff->removed_access[0].action, "dynamodb:GetItem");
  ExpectWitness(old_set, new_set, diff->removed_access[0]);
  EXPECT_EQ(diff->removed_access[0].witness.resource, kOrders);

  AnalysisOptions first_pass;
  first_pass.decide_free_variables = false;
  auto approximate = DiffPolicies(old_set, new_set, scope, first_pass);
  ASSERT_TRUE(approximate.ok()) << approximate.status();
  std::vector<std::string> undecided;
  for (const UndecidedAction& u : approximate->undecided)
    undecided.push_back(u.action);
  EXPECT_NE(std::find(undecided.begin(), undecided.end(), "dynamodb:PutItem"),
            undecided.end());
}

TEST(DiffPoliciesTest, RemovedDenyShowsTheOldDenyStatement) {
  Statement deny = Stmt(Effect::kDeny, {"dynamodb:DeleteItem"}, {kOrders});
  deny.sid = "NoDeletes";
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {kAll}), deny});
  PolicySet new_set = Identity({Stmt(Effect::kAllow, {"dynamodb:*"}, {kAll})});
  auto diff = DiffPolicies(old_set, new_set);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  ASSERT_EQ(diff->new_access.size(), 1u);
  const AccessChange& c = diff->new_access[0];
  EXPECT_EQ(c.action, "dynamodb:DeleteItem");
  EXPECT_EQ(c.witness.resource, kOrders);
  EXPECT_EQ(c.denied_by.kind, DecisionKind::kExplicitlyDenied);
  ASSERT_EQ(c.denied_by.statements.size(), 1u);
  EXPECT_EQ(c.denied_by.statements[0].sid, "NoDeletes");
}

TEST(DiffPoliciesTest, LoosenedConditionShowsInTheWitnessContext) {
  Condition tls =
      Cond(ConditionOperator::kBool, "Bool", "aws:SecureTransport", {"true"});
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders}, {tls})});
  PolicySet new_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders})});
  auto diff = DiffPolicies(old_set, new_set, Actions({"dynamodb:PutItem"}));
  ASSERT_TRUE(diff.ok()) << diff.status();
  ASSERT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  const AccessChange& c = diff->new_access[0];
  ExpectWitness(new_set, old_set, c);
  // The old statement is named, with the condition that no longer holds.
  ASSERT_EQ(c.unmet_conditions.size(), 1u);
  EXPECT_EQ(c.unmet_conditions[0].statement.index, 0);
  EXPECT_EQ(c.unmet_conditions[0].conditions,
            std::vector<std::string>{"Bool aws:SecureTransport"});
  auto it = c.witness.context.find("aws:SecureTransport");
  if (it != c.witness.context.end()) {
    EXPECT_NE(it->second.values, std::vector<std::string>{"true"});
  }
}

TEST(DiffPoliciesTest, SolverLimitIsUnknownNeverNoNewAccess) {
  Condition team = Cond(ConditionOperator::kStringEquals, "StringEquals",
                        "aws:PrincipalTag/team", {"x"});
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders}, {team})});
  PolicySet new_set = old_set;
  AnalysisOptions options;
  options.rlimit = 1;
  auto diff =
      DiffPolicies(old_set, new_set, Actions({"dynamodb:PutItem"}), options);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kUnknown);
  ASSERT_FALSE(diff->undecided.empty());
  EXPECT_FALSE(diff->undecided[0].reason.empty());
}

// AnalysisOptions::max_solver_questions bounds the questions one call
// sends to Z3 (here every question: no finite search first). Past the
// bound an answer is unknown, never "no new access"; a count set by the
// caller is shared by the calls that hold it.
TEST(DiffPoliciesTest, SolverQuestionsOfOneCallAreBounded) {
  Condition team_x = Cond(ConditionOperator::kStringEquals, "StringEquals",
                          "aws:PrincipalTag/team", {"x"});
  Condition team_xy = Cond(ConditionOperator::kStringEquals, "StringEquals",
                           "aws:PrincipalTag/team", {"x", "y"});
  const std::vector<std::string> actions = {"dynamodb:GetItem",
                                            "dynamodb:PutItem"};
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, actions, {kOrders}, {team_x})});
  PolicySet new_set =
      Identity({Stmt(Effect::kAllow, actions, {kOrders}, {team_xy})});
  AnalysisOptions options;
  options.search_budget = 0;
  options.max_solver_questions = 0;  // no bound
  AnalysisOptions counted = options;
  counted.solver_questions = std::make_shared<std::atomic<std::uint64_t>>(0);
  auto diff = DiffPolicies(old_set, new_set, Actions(actions), counted);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  EXPECT_EQ(diff->new_access.size(), 2u);
  EXPECT_TRUE(diff->undecided.empty());
  const std::uint64_t asked = counted.solver_questions->load();
  ASSERT_GE(asked, 2u);

  for (std::uint64_t bound = 1; bound < asked; ++bound) {
    options.max_solver_questions = bound;
    diff = DiffPolicies(old_set, new_set, Actions(actions), options);
    ASSERT_TRUE(diff.ok()) << diff.status();
    EXPECT_NE(diff->verdict, DiffVerdict::kNoNewAccess) << bound;
    ASSERT_FALSE(diff->undecided.empty()) << bound;
    EXPECT_THAT(diff->undecided[0].reason,
                ::testing::HasSubstr("limit of solver questions (" +
                                     std::to_string(bound) + ") is reached"));
  }

  // Enough for one call: the first call of two that share a count is
  // decided, the second is not.
  options.max_solver_questions = asked;
  options.solver_questions = std::make_shared<std::atomic<std::uint64_t>>(0);
  diff = DiffPolicies(old_set, new_set, Actions(actions), options);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->undecided.empty());
  diff = DiffPolicies(old_set, new_set, Actions(actions), options);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_FALSE(diff->undecided.empty());
  EXPECT_NE(diff->verdict, DiffVerdict::kNoNewAccess);
}

TEST(DiffPoliciesTest, WitnessedNewAccessWinsOverUndecidedActions) {
  // GetItem needs no solver (its terms fold to constants); PutItem does.
  Condition team = Cond(ConditionOperator::kStringEquals, "StringEquals",
                        "aws:PrincipalTag/team", {"x"});
  PolicySet old_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kOrders}),
                Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders}, {team})});
  PolicySet new_set =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kAll}),
                Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders}, {team})});
  AnalysisOptions options;
  options.rlimit = 1;
  auto diff =
      DiffPolicies(old_set, new_set,
                   Actions({"dynamodb:GetItem", "dynamodb:PutItem"}), options);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->verdict, DiffVerdict::kNewAccess);
  ASSERT_EQ(diff->new_access.size(), 1u);
  EXPECT_EQ(diff->new_access[0].action, "dynamodb:GetItem");
  ASSERT_EQ(diff->undecided.size(), 2u);
  EXPECT_EQ(diff->undecided[0].action, "dynamodb:PutItem");
  EXPECT_TRUE(diff->undecided[0].new_direction);
  EXPECT_FALSE(diff->undecided[1].new_direction);
}

TEST(DiffPoliciesTest, UnknownActionIsAnError) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kOrders})});
  auto diff = DiffPolicies(p, p, Actions({"dynamodb:GetItems"}));
  EXPECT_EQ(diff.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CheckAccessNotGrantedTest, PassFailAndWildcardOnly) {
  Statement writes = Stmt(Effect::kAllow, {"dynamodb:*Item"}, {kOrders});
  writes.sid = "Items";
  PolicySet p =
      Identity({writes, Stmt(Effect::kAllow, {"dynamodb:ListTables"}, {"*"})});
  auto pass = CheckAccessNotGranted(
      p, {"dynamodb:DeleteTable", "dynamodb:Scan"}, {kOrders});
  ASSERT_TRUE(pass.ok()) << pass.status();
  EXPECT_EQ(pass->verdict, CheckVerdict::kPass);
  EXPECT_TRUE(pass->granted.empty());

  auto fail = CheckAccessNotGranted(p, {"dynamodb:Delete*"}, {kOrders});
  ASSERT_TRUE(fail.ok()) << fail.status();
  EXPECT_EQ(fail->verdict, CheckVerdict::kFail);
  ASSERT_EQ(fail->granted.size(), 1u);
  EXPECT_EQ(fail->granted[0].action, "dynamodb:DeleteItem");
  EXPECT_EQ(fail->granted[0].resource, kOrders);
  ASSERT_EQ(fail->granted[0].statements.size(), 1u);
  EXPECT_EQ(fail->granted[0].statements[0].sid, "Items");

  // Another table is not granted.
  auto other = CheckAccessNotGranted(
      p, {"dynamodb:DeleteItem"},
      {"arn:aws:dynamodb:us-east-1:111122223333:table/Other"});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->verdict, CheckVerdict::kPass);

  // Wildcard-only actions are checked on "*".
  auto list = CheckAccessNotGranted(p, {"dynamodb:ListTables"}, {kOrders});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->verdict, CheckVerdict::kFail);
  ASSERT_EQ(list->granted.size(), 1u);
  EXPECT_EQ(list->granted[0].resource, "*");

  // No resources: any resource.
  auto any = CheckAccessNotGranted(p, {"dynamodb:PutItem"}, {});
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->verdict, CheckVerdict::kFail);
}

TEST(CheckAccessNotGrantedTest, ConditionalGrantFails) {
  Condition tls =
      Cond(ConditionOperator::kBool, "Bool", "aws:SecureTransport", {"true"});
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders}, {tls})});
  auto check = CheckAccessNotGranted(p, {"dynamodb:PutItem"}, {kOrders});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict, CheckVerdict::kFail);
  ASSERT_EQ(check->granted.size(), 1u);
  EXPECT_TRUE(check->granted[0].conditional);
  EXPECT_NE(check->granted[0].only_if.find("aws:SecureTransport"),
            std::string::npos);
}

TEST(CheckAccessNotGrantedTest, BadInput) {
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kOrders})});
  auto r = CheckAccessNotGranted(p, {"dynamodb:GetItems"}, {kOrders});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean \"dynamodb:GetItem\""),
            std::string::npos)
      << r.status();
  r = CheckAccessNotGranted(p, {"dynamodb:GetItem"}, {kAll});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a concrete ARN"), std::string::npos);
  r = CheckAccessNotGranted(
      p, {"dynamodb:GetItem"},
      {"arn:aws:dynamodb:us-east-1:111122223333:table/T/stream/x"});
  EXPECT_FALSE(r.ok());
  r = CheckAccessNotGranted(p, {}, {kOrders});
  EXPECT_FALSE(r.ok());
}

TEST(CheckAccessNotGrantedTest, SolverLimitIsUnknown) {
  Condition team = Cond(ConditionOperator::kStringEquals, "StringEquals",
                        "aws:PrincipalTag/team", {"x"});
  PolicySet p =
      Identity({Stmt(Effect::kAllow, {"dynamodb:PutItem"}, {kOrders}, {team})});
  AnalysisOptions options;
  options.rlimit = 1;
  auto r =
      CheckAccessNotGranted(p, {"dynamodb:PutItem"}, {kOrders}, {}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->verdict, CheckVerdict::kUnknown);
}

Statement Public(std::vector<Condition> conds,
                 PrincipalType type = PrincipalType::kAny,
                 std::string value = "*") {
  Statement st =
      Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kOrders}, std::move(conds));
  st.principal =
      PrincipalBlock{false, {PrincipalEntry{type, std::move(value)}}};
  return st;
}

TEST(CheckNoPublicAccessTest, PinningConditions) {
  using Op = ConditionOperator;
  auto verdict = [](Statement st) {
    return CheckNoPublicAccess(Pol(PolicyKind::kResource, {std::move(st)}))
        .verdict;
  };
  EXPECT_EQ(verdict(Public({})), CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public({}, PrincipalType::kAws, "*")), CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public({}, PrincipalType::kAws, "111122223333")),
            CheckVerdict::kPass);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringEquals, "StringEquals",
                                 "aws:PrincipalAccount", {"111122223333"})})),
            CheckVerdict::kPass);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringEquals, "StringEquals",
                                 "aws:principalorgid", {"o-abc123"})})),
            CheckVerdict::kPass);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringEquals, "StringEquals",
                                 "aws:SourceVpce", {"vpce-1a2b3c"})})),
            CheckVerdict::kPass);
  EXPECT_EQ(verdict(Public({Cond(Op::kArnLike, "ArnLike", "aws:PrincipalArn",
                                 {"arn:aws:iam::111122223333:role/*"})})),
            CheckVerdict::kPass);
  // Not pinning: wildcard account, IfExists, qualifier, other keys.
  EXPECT_EQ(verdict(Public({Cond(Op::kArnLike, "ArnLike", "aws:PrincipalArn",
                                 {"arn:aws:iam::*:role/app"})})),
            CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringLike, "StringLike",
                                 "aws:PrincipalAccount", {"1111*"})})),
            CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringEquals, "StringEqualsIfExists",
                                 "aws:PrincipalAccount", {"111122223333"},
                                 SetQualifier::kNone, true)})),
            CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringEquals, "ForAllValues:StringEquals",
                                 "aws:PrincipalOrgID", {"o-abc123"},
                                 SetQualifier::kForAllValues)})),
            CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public({Cond(Op::kStringNotEquals, "StringNotEquals",
                                 "aws:PrincipalAccount", {"111122223333"})})),
            CheckVerdict::kFail);
  EXPECT_EQ(verdict(Public(
                {Cond(Op::kBool, "Bool", "aws:SecureTransport", {"true"})})),
            CheckVerdict::kFail);
  // Deny statements and other services do not count.
  Statement deny = Public({});
  deny.effect = Effect::kDeny;
  EXPECT_EQ(verdict(deny), CheckVerdict::kPass);
  Statement s3 = Public({});
  s3.actions = {PolicyString{"s3:GetObject"}};
  EXPECT_EQ(verdict(s3), CheckVerdict::kPass);
  // NotPrincipal with Allow opens access to everyone else.
  Statement not_principal = Public({}, PrincipalType::kAws, "111122223333");
  not_principal.principal->negated = true;
  EXPECT_EQ(verdict(not_principal), CheckVerdict::kFail);
}

TEST(CheckNoPublicAccessTest, ReportsTheStatement) {
  Statement pinned =
      Public({Cond(ConditionOperator::kStringEquals, "StringEquals",
                   "aws:PrincipalAccount", {"${aws:ResourceAccount}"})});
  Statement open = Public({Cond(ConditionOperator::kIpAddress, "IpAddress",
                                "aws:SourceIp", {"10.0.0.0/8"})});
  open.sid = "Open";
  PublicAccessCheck check = CheckNoPublicAccess(
      Pol(PolicyKind::kResource, {pinned, open}, "orders-policy"));
  EXPECT_EQ(check.verdict, CheckVerdict::kFail);
  ASSERT_EQ(check.grants.size(), 1u);
  EXPECT_EQ(check.grants[0].statement.sid, "Open");
  EXPECT_EQ(check.grants[0].statement.index, 1);
  EXPECT_EQ(check.grants[0].statement.policy_name, "orders-policy");
  EXPECT_EQ(check.grants[0].principal, "*");
  EXPECT_NE(check.grants[0].why.find("IpAddress aws:SourceIp"),
            std::string::npos);
}

}  // namespace
}  // namespace leastpriv
