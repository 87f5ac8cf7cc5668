// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Properties of DiffPolicies on seeded random small policy pairs, checked
// against the concrete evaluator over a finite universe of requests:
//   - every reported witness is allowed by one side and denied by the other;
//   - a sampled request allowed by NEW and denied by OLD is always reported
//     (its action has new access and its resource lies in the summary), so
//     "no_new_access" is never wrong on the sample;
//   - reshaping a policy (reordering and splitting statements) never
//     changes access.

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/naming.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT

const std::vector<std::string> kActions = {"dynamodb:GetItem",
                                           "dynamodb:PutItem", "dynamodb:Query",
                                           "dynamodb:ListTables"};
const std::vector<std::string> kResources = {
    "arn:aws:dynamodb:us-east-1:111122223333:table/Ann",
    "arn:aws:dynamodb:us-east-1:111122223333:table/Bob",
    "arn:aws:dynamodb:us-east-1:111122223333:table/Ann/index/ix1",
    "arn:aws:dynamodb:eu-west-1:111122223333:table/Ann",
    "arn:aws:dynamodb:us-east-1:111122223333:table/Annb",
};

std::vector<std::map<std::string, ContextValue>> Contexts() {
  std::vector<std::optional<ContextValue>> team = {
      std::nullopt, ContextValue{{"x"}, false}, ContextValue{{"y"}, false}};
  std::vector<std::optional<ContextValue>> secure = {
      std::nullopt, ContextValue{{"true"}, false},
      ContextValue{{"false"}, false}};
  std::vector<std::optional<ContextValue>> age = {
      std::nullopt, ContextValue{{"10"}, false}, ContextValue{{"100"}, false}};
  std::vector<std::map<std::string, ContextValue>> out;
  for (const auto& a : team)
    for (const auto& b : secure)
      for (const auto& c : age) {
        std::map<std::string, ContextValue> m;
        if (a) m["aws:PrincipalTag/team"] = *a;
        if (b) m["aws:SecureTransport"] = *b;
        if (c) m["aws:MultiFactorAuthAge"] = *c;
        out.push_back(m);
      }
  return out;
}

class PairGenerator {
 public:
  explicit PairGenerator(unsigned seed) : rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }

  Condition RandomCondition() {
    using Op = ConditionOperator;
    switch (Pick(4)) {
      case 0:
        return Cond(Op::kStringEquals, "StringEquals", "aws:PrincipalTag/team",
                    {Chance(50) ? "x" : "y"});
      case 1:
        return Cond(Op::kBool, "Bool", "aws:SecureTransport",
                    {Chance(70) ? "true" : "false"});
      case 2:
        return Cond(Op::kNumericLessThan, "NumericLessThan",
                    "aws:MultiFactorAuthAge", {"50"});
      default:
        return Cond(Op::kStringNotEquals, "StringNotEquals",
                    "aws:PrincipalTag/team", {"x"}, SetQualifier::kNone,
                    Chance(30));
    }
  }

  std::string RandomResource() {
    const std::vector<std::string> resources = {
        "*",
        "arn:aws:dynamodb:*:*:table/Ann",
        "arn:aws:dynamodb:us-east-1:*:table/*",
        "arn:aws:dynamodb:*:111122223333:table/Ann*",
        "arn:aws:dynamodb:*:*:table/Bob",
        "arn:aws:dynamodb:*:*:table/*/index/*"};
    return resources[Pick(resources.size())];
  }

  Statement RandomStatement(int allow_percent) {
    const std::vector<std::string> actions = {
        "dynamodb:GetItem", "dynamodb:*",     "dynamodb:Get*",
        "dynamodb:*Item",   "dynamodb:Query", "dynamodb:List*"};
    std::vector<std::string> a = {actions[Pick(actions.size())]};
    if (Chance(40)) a.push_back(actions[Pick(actions.size())]);
    std::vector<std::string> r = {RandomResource()};
    if (Chance(30)) r.push_back(RandomResource());
    std::vector<Condition> conds;
    for (int i = Pick(3); i > 0; --i) conds.push_back(RandomCondition());
    Effect e = Chance(allow_percent) ? Effect::kAllow : Effect::kDeny;
    return Stmt(e, a, r, conds, Chance(10), Chance(8));
  }

  PolicySet RandomSet() {
    std::vector<Statement> st;
    for (int i = 1 + Pick(3); i > 0; --i) st.push_back(RandomStatement(75));
    PolicySet p = Identity(st);
    if (Chance(20)) {
      p.boundary = Pol(PolicyKind::kBoundary, {RandomStatement(100)});
    }
    if (Chance(20)) {
      p.scp_levels.push_back(
          {Pol(PolicyKind::kScp,
               {Stmt(Effect::kAllow, {"*"}, {"*"}), RandomStatement(30)})});
    }
    return p;
  }

  // Same access, another shape: statements reversed, and every statement
  // with several actions split into one statement per action.
  PolicySet Reshape(const PolicySet& p) {
    PolicySet out = p;
    std::vector<Statement> split;
    for (const Statement& st : p.identity[0].statements) {
      if (st.not_action || st.actions.size() < 2) {
        split.push_back(st);
        continue;
      }
      for (const PolicyString& a : st.actions) {
        Statement one = st;
        one.actions = {a};
        split.push_back(one);
      }
    }
    std::reverse(split.begin(), split.end());
    out.identity[0] = Pol(PolicyKind::kIdentity, split);
    return out;
  }

  // A small edit that may add or remove access.
  PolicySet Mutate(const PolicySet& p) {
    PolicySet out = p;
    std::vector<Statement>& st = out.identity[0].statements;
    switch (Pick(6)) {
      case 0:
        if (st.size() > 1) st.erase(st.begin() + Pick(st.size()));
        break;
      case 1:
        st.push_back(RandomStatement(60));
        break;
      case 2: {
        Statement& s = st[Pick(st.size())];
        if (!s.conditions.empty())
          s.conditions.erase(s.conditions.begin());
        else
          s.conditions.push_back(RandomCondition());
        break;
      }
      case 3:
        st[Pick(st.size())].resources[0] = PolicyString{RandomResource()};
        break;
      case 4:
        out.boundary.reset();
        out.scp_levels.clear();
        break;
      default: {
        Statement& s = st[Pick(st.size())];
        s.effect = s.effect == Effect::kAllow ? Effect::kDeny : Effect::kAllow;
        break;
      }
    }
    out.identity[0] = Pol(PolicyKind::kIdentity, st);
    return out;
  }

 private:
  std::mt19937 rng_;
};

bool Allowed(const PolicySet& p, const Request& r) {
  auto d = Evaluate(p, r);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() && d->kind == DecisionKind::kAllowed;
}

const AccessChange* Find(const std::vector<AccessChange>& v,
                         const std::string& action) {
  for (const AccessChange& c : v) {
    if (c.action == action) return &c;
  }
  return nullptr;
}

// Checks every property for one pair; returns the verdict.
DiffVerdict CheckPair(unsigned seed, const PolicySet& old_set,
                      const PolicySet& new_set) {
  static const auto contexts = Contexts();
  AnalysisScope scope;
  scope.actions = kActions;
  auto diff = DiffPolicies(old_set, new_set, scope);
  EXPECT_TRUE(diff.ok()) << "seed " << seed << ": " << diff.status();
  if (!diff.ok()) return DiffVerdict::kUnknown;
  EXPECT_NE(diff->verdict, DiffVerdict::kUnknown) << "seed " << seed;
  EXPECT_TRUE(diff->undecided.empty()) << "seed " << seed;
  EXPECT_EQ(diff->verdict == DiffVerdict::kNewAccess,
            !diff->new_access.empty());
  for (const AccessChange& c : diff->new_access) {
    EXPECT_TRUE(Allowed(new_set, c.witness))
        << "seed " << seed << " " << c.action;
    EXPECT_FALSE(Allowed(old_set, c.witness))
        << "seed " << seed << " " << c.action;
    EXPECT_TRUE(eval::IsValidDynamoDbResource(c.witness.resource))
        << "seed " << seed << " " << c.witness.resource;
    EXPECT_FALSE(c.granted_by.statements.empty()) << "seed " << seed;
  }
  for (const AccessChange& c : diff->removed_access) {
    EXPECT_TRUE(Allowed(old_set, c.witness))
        << "seed " << seed << " " << c.action;
    EXPECT_TRUE(eval::IsValidDynamoDbResource(c.witness.resource))
        << "seed " << seed << " " << c.witness.resource;
    EXPECT_FALSE(Allowed(new_set, c.witness))
        << "seed " << seed << " " << c.action;
  }
  for (const std::string& action : kActions) {
    const ActionInfo* info = FindAction(action);
    const bool wildcard_only = info->wildcard_only();
    const AccessChange* added = Find(diff->new_access, action);
    const AccessChange* removed = Find(diff->removed_access, action);
    for (const std::string& res :
         wildcard_only ? std::vector<std::string>{"*"} : kResources) {
      bool fits = wildcard_only;
      for (const ActionResource& t : info->resources) {
        fits |= t.resource_type == ClassifyDynamoDbArn(res);
      }
      if (!fits) continue;
      for (const auto& ctx : contexts) {
        Request r{"arn:aws:iam::111122223333:role/app", action, res, ctx};
        const bool in_old = Allowed(old_set, r), in_new = Allowed(new_set, r);
        if (in_new && !in_old) {
          EXPECT_NE(added, nullptr)
              << "seed " << seed << ": " << action << " on " << res
              << " is new access but not reported";
          if (added == nullptr) return diff->verdict;
          EXPECT_TRUE(InSummary(added->resources, res))
              << "seed " << seed << ": " << action << " on " << res;
        }
        if (in_old && !in_new) {
          EXPECT_NE(removed, nullptr)
              << "seed " << seed << ": " << action << " on " << res
              << " is removed but not reported";
          if (removed == nullptr) return diff->verdict;
          EXPECT_TRUE(InSummary(removed->resources, res))
              << "seed " << seed << ": " << action << " on " << res;
        }
      }
    }
  }
  return diff->verdict;
}

TEST(DiffPropertyTest, MutatedPairsAgreeWithEvaluate) {
  int new_access = 0, no_new_access = 0;
  for (unsigned seed = 1; seed <= 240; ++seed) {
    PairGenerator gen(seed);
    PolicySet old_set = gen.RandomSet();
    PolicySet new_set = gen.Chance(20) ? gen.RandomSet() : gen.Mutate(old_set);
    if (gen.Chance(30)) new_set = gen.Mutate(new_set);
    DiffVerdict v = CheckPair(seed, old_set, new_set);
    (v == DiffVerdict::kNewAccess ? new_access : no_new_access)++;
    if (HasFailure()) return;
  }
  // The generator must exercise both verdicts.
  EXPECT_GT(new_access, 25);
  EXPECT_GT(no_new_access, 25);
}

TEST(DiffPropertyTest, ReshapedPoliciesHaveNoNewAccess) {
  for (unsigned seed = 500; seed < 560; ++seed) {
    PairGenerator gen(seed);
    PolicySet old_set = gen.RandomSet();
    PolicySet new_set = gen.Reshape(old_set);
    AnalysisScope scope;
    scope.actions = kActions;
    auto diff = DiffPolicies(old_set, new_set, scope);
    ASSERT_TRUE(diff.ok()) << diff.status();
    EXPECT_EQ(diff->verdict, DiffVerdict::kNoNewAccess) << "seed " << seed;
    EXPECT_TRUE(diff->removed_access.empty()) << "seed " << seed;
  }
}

}  // namespace
}  // namespace leastpriv
