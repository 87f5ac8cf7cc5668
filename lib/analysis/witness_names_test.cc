// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Witnesses of resource patterns whose wildcards span ':' ("arn:aws:
// dynamodb:us-*:*shop*"), which the resource partition cannot take apart
// component by component: they too carry names AWS accepts, real regions
// where one fits, and readable names, and they replay through Evaluate.

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT

const ActionReach& Find(const ReachReport& r, const std::string& action) {
  for (const ActionReach& a : r.actions) {
    if (a.action == action) return a;
  }
  static ActionReach none;
  ADD_FAILURE() << "no action " << action;
  return none;
}

void ExpectValidWitnesses(const PolicySet& p, const ReachReport& r,
                          const std::string& where) {
  for (const ActionReach& a : r.actions) {
    if (a.reachable != Answer::kYes) continue;
    ASSERT_TRUE(a.witness.has_value()) << where << " " << a.action;
    auto d = Evaluate(p, *a.witness);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->kind, DecisionKind::kAllowed) << where << " " << a.action;
    EXPECT_TRUE(eval::IsValidDynamoDbResource(a.witness->resource))
        << where << " " << a.action << ": " << a.witness->resource;
  }
}

TEST(WitnessNamesTest, PatternsSpanningColonsGetReadableValidNames) {
  PolicySet p = Identity({Stmt(Effect::kAllow,
                               {"dynamodb:GetItem", "dynamodb:DescribeStream",
                                "dynamodb:DeleteBackup", "dynamodb:Query"},
                               {"arn:aws:dynamodb:us-*:*shop*"})});
  auto r = Reachable(p);
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValidWitnesses(p, *r, "shop");
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").witness->resource,
            "arn:aws:dynamodb:us-east-1:111122223333:table/shop-audit");
  EXPECT_EQ(Find(*r, "dynamodb:DescribeStream").witness->resource,
            "arn:aws:dynamodb:us-east-1:111122223333:table/shop-audit/stream/"
            "2024-06-06T06:06:06.123");
  EXPECT_EQ(Find(*r, "dynamodb:DeleteBackup").witness->resource,
            "arn:aws:dynamodb:us-east-1:111122223333:table/shop-audit/backup/"
            "01717171717171-a1b2c3d4");

  // No real region matches "zz-*": a made-up one shaped like a region.
  PolicySet zz = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                                {"arn:aws:dynamodb:zz-*:*1*"})});
  r = Reachable(zz);
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValidWitnesses(zz, *r, "zz");
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").witness->resource,
            "arn:aws:dynamodb:zz-east-1:111122223333:table/example");

  // The scope's tables and account come first.
  AnalysisScope scope;
  scope.account = "444455556666";
  scope.tables = {"Orders"};
  PolicySet orders = Identity({Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                                    {"arn:aws:dynamodb:eu-*:*Ord*"})});
  r = Reachable(orders, scope);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").witness->resource,
            "arn:aws:dynamodb:eu-west-1:444455556666:table/Orders");

  // A class of names AWS rejects only ("table/q", one letter) is no table,
  // also beside a pattern that spans ':'.
  PolicySet q = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"},
            {"arn:aws:dynamodb:*:*:table/q"}),
       Stmt(Effect::kAllow, {"dynamodb:Query"},
            {"arn:aws:dynamodb:*:*:table/q*"}),
       Stmt(Effect::kDeny, {"dynamodb:*"}, {"arn:aws:dynamodb:us-*:*zz*"})});
  r = Reachable(q);
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValidWitnesses(q, *r, "q");
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").reachable, Answer::kNo);
  ASSERT_EQ(Find(*r, "dynamodb:Query").reachable, Answer::kYes);
  EXPECT_EQ(Find(*r, "dynamodb:Query").witness->resource,
            "arn:aws:dynamodb:us-east-1:111122223333:table/q-audit");
}

// Random policies mixing patterns that span ':' with ordinary ones: every
// witness is valid and replays, and every allowed request of a sample of
// valid resources is reported.
TEST(WitnessNamesTest, RandomSpanningPatternsAgreeWithEvaluate) {
  const std::vector<std::string> patterns = {
      "arn:aws:dynamodb:us-*:*shop*",       "arn:aws:dynamodb:*:*1*",
      "arn:aws:dynamodb:eu-*:*:table/*",    "arn:aws:dynamodb:*:*:table/shop-*",
      "arn:aws:dynamodb:*:*stream*",        "arn:aws:dynamodb:zz-*:*",
      "arn:aws:dynamodb:*:111122223333:*",  "arn:aws:dynamodb:*:*/index/*",
      "arn:aws:dynamodb:us-east-?:*audit*", "*"};
  const std::vector<std::string> resources = {
      "arn:aws:dynamodb:us-east-1:111122223333:table/shop-audit",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/shop-orders",
      "arn:aws:dynamodb:us-west-2:444455556666:table/Orders",
      "arn:aws:dynamodb:us-east-1:444455556666:table/shop-audit/index/by-user",
      "arn:aws:dynamodb:eu-west-1:444455556666:table/Orders/stream/"
      "2024-06-06T06:06:06.123",
      "arn:aws:dynamodb:zz-east-1:444455556666:table/Orders",
      "arn:aws:dynamodb:us-east-2:444455556666:table/audit-log"};
  const std::vector<std::string> actions = {
      "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeStream"};
  int yes = 0, no = 0, checked = 0;
  for (unsigned seed = 1; seed <= 80; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](std::size_t n) {
      return static_cast<std::size_t>(rng() % n);
    };
    std::vector<Statement> statements;
    const std::size_t count = 1 + pick(3);
    for (std::size_t s = 0; s < count; ++s) {
      std::vector<std::string> res = {patterns[pick(patterns.size())]};
      if (pick(2)) res.push_back(patterns[pick(patterns.size())]);
      statements.push_back(
          Stmt(s > 0 && pick(3) == 0 ? Effect::kDeny : Effect::kAllow,
               {"dynamodb:*"}, res));
    }
    PolicySet p = Identity(std::move(statements));
    AnalysisScope scope;
    scope.actions = actions;
    auto r = Reachable(p, scope);
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.status();
    ExpectValidWitnesses(p, *r, "seed " + std::to_string(seed));
    for (const ActionReach& a : r->actions) {
      ASSERT_NE(a.reachable, Answer::kUnknown)
          << "seed " << seed << ": " << a.reason;
      (a.reachable == Answer::kYes ? yes : no)++;
      const ActionInfo* info = FindAction(a.action);
      for (const std::string& res : resources) {
        bool fits = false;
        for (const ActionResource& t : info->resources) {
          fits |= t.resource_type == ClassifyDynamoDbArn(res);
        }
        if (!fits) continue;
        const std::string account(eval::SplitArn(res).account);
        Request req{"arn:aws:iam::" + account + ":role/app", a.action, res, {}};
        auto d = Evaluate(p, req);
        ASSERT_TRUE(d.ok()) << d.status();
        ++checked;
        if (d->kind != DecisionKind::kAllowed) continue;
        EXPECT_EQ(a.reachable, Answer::kYes)
            << "seed " << seed << ": " << a.action << " on " << res
            << " is allowed";
        EXPECT_TRUE(a.reachable != Answer::kYes || InSummary(a.resources, res))
            << "seed " << seed << ": " << a.action << " on " << res
            << " outside the summary";
      }
    }
  }
  std::cout << "spanning patterns: " << yes << " reachable, " << no
            << " unreachable, " << checked << " requests replayed\n";
  EXPECT_GT(yes, 60);
  EXPECT_GT(no, 10);
}

}  // namespace
}  // namespace leastpriv
