// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The context keys a principal decides. An IAM user's requests carry
// aws:username (its name) and aws:userid (its unique id, "AIDA..."); a role
// session's carry aws:userid "ROLEID:session" and no aws:username. With a
// scope principal the engine ranges over that principal type's requests
// only; without one, over the requests of IAM users and of role sessions,
// and each witness's principal is of the type its keys belong to.
// Random policies over these keys are decided and compared with Evaluate
// on requests of each principal type.

#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv {
namespace {

using namespace testing_policies;  // NOLINT
using Op = ConditionOperator;

const ActionReach& Find(const ReachReport& r, const std::string& action) {
  for (const ActionReach& a : r.actions) {
    if (a.action == action) return a;
  }
  static ActionReach none;
  ADD_FAILURE() << "no action " << action;
  return none;
}

std::optional<std::string> Value(const Request& r, const std::string& key) {
  auto it = r.context.find(key);
  if (it == r.context.end() || it->second.values.empty()) return std::nullopt;
  return it->second.values[0];
}

// Whether the witness's principal and its principal keys agree: an IAM
// user sends its name and an "AIDA..." id; a role or role session no name
// and a "ROLEID:session" id. Keys the policies do not mention may be left
// out; an assumed-role principal's id ends in its session name.
void ExpectConsistent(const Request& r, const std::string& where) {
  const eval::ArnParts arn = eval::SplitArn(r.principal);
  ASSERT_TRUE(arn.ok) << where << ": " << r.principal;
  const std::string_view resource = arn.resource;
  const bool user = arn.service == "iam" && resource.substr(0, 5) == "user/";
  const std::optional<std::string> name = Value(r, "aws:username");
  const std::optional<std::string> id = Value(r, "aws:userid");
  const std::optional<std::string> type = Value(r, "aws:PrincipalType");
  if (user) {
    if (name) {
      EXPECT_EQ(*name, resource.substr(resource.rfind('/') + 1)) << where;
      EXPECT_TRUE(eval::IsValidIamUserName(*name)) << where << ": " << *name;
    }
    if (id) {
      EXPECT_TRUE(eval::IsValidUserUserId(*id)) << where << ": " << *id;
    }
    if (type) {
      EXPECT_EQ(*type, "User") << where;
    }
    return;
  }
  EXPECT_FALSE(name.has_value())
      << where << ": a role session has no aws:username";
  if (id) {
    EXPECT_TRUE(eval::IsValidRoleSessionUserId(*id)) << where << ": " << *id;
    if (arn.service == "sts") {
      EXPECT_EQ(id->substr(id->find(':') + 1),
                resource.substr(resource.rfind('/') + 1))
          << where;
    }
  }
  if (type) {
    EXPECT_EQ(*type, "AssumedRole") << where;
  }
}

TEST(PrincipalKeysTest, UsersAndRoleSessionsSendTheirOwnKeys) {
  PolicySet p = Identity({
      Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
           {Cond(Op::kStringLike, "StringLike", "aws:userid", {"AROA*:*"})}),
      Stmt(
          Effect::kAllow, {"dynamodb:PutItem"}, {"*"},
          {Cond(Op::kStringEquals, "StringEquals", "aws:username", {"alice"})}),
      Stmt(Effect::kAllow, {"dynamodb:DeleteItem"}, {"*"},
           {Cond(Op::kStringEquals, "StringEqualsIfExists", "aws:username",
                 {"alice"}, SetQualifier::kNone, true)}),
      Stmt(Effect::kAllow, {"dynamodb:Query"}, {"*"},
           {Cond(Op::kStringLike, "StringLike", "aws:userid", {"AIDA*"})}),
      Stmt(Effect::kAllow, {"dynamodb:Scan"}, {"*"},
           {Cond(Op::kNull, "Null", "aws:username", {"true"})}),
      Stmt(Effect::kAllow, {"dynamodb:UpdateItem"}, {"*"},
           {Cond(Op::kStringEquals, "StringEquals", "aws:PrincipalType",
                 {"User"})}),
      Stmt(Effect::kAllow, {"dynamodb:DescribeTable"}, {"*"},
           {Cond(Op::kStringEquals, "StringEquals", "aws:userid", {"x"})}),
      Stmt(Effect::kAllow, {"dynamodb:BatchGetItem"}, {"*"},
           {Cond(Op::kStringLike, "StringLike", "aws:userid", {"*:worker-1"})}),
  });
  struct Expected {
    std::string principal;
    // GetItem, PutItem, DeleteItem, Query, Scan, UpdateItem, DescribeTable,
    // BatchGetItem
    std::vector<Answer> answers;
  };
  const Answer y = Answer::kYes, n = Answer::kNo;
  const std::vector<Expected> cases = {
      // Either principal type: each statement finds the one it needs.
      {"", {y, y, y, y, y, y, n, y}},
      // A role's sessions: no aws:username, so "= alice" is false, its
      // IfExists form and Null true hold; ids are role session ids.
      {"arn:aws:iam::111122223333:role/app", {y, n, y, n, y, n, n, y}},
      {"arn:aws:sts::111122223333:assumed-role/app/worker-1",
       {y, n, y, n, y, n, n, y}},
      {"arn:aws:sts::111122223333:assumed-role/app/worker-2",
       {y, n, y, n, y, n, n, n}},
      // A user: aws:username is bob; its id is a user id.
      {"arn:aws:iam::111122223333:user/bob", {n, n, n, y, n, y, n, n}},
      {"arn:aws:iam::111122223333:user/alice", {n, y, y, y, n, y, n, n}},
  };
  const std::vector<std::string> actions = {
      "dynamodb:GetItem",       "dynamodb:PutItem",     "dynamodb:DeleteItem",
      "dynamodb:Query",         "dynamodb:Scan",        "dynamodb:UpdateItem",
      "dynamodb:DescribeTable", "dynamodb:BatchGetItem"};
  for (const Expected& c : cases) {
    AnalysisScope scope;
    scope.principal = c.principal;
    scope.actions = actions;
    auto r = Reachable(p, scope);
    ASSERT_TRUE(r.ok()) << r.status();
    for (std::size_t i = 0; i < actions.size(); ++i) {
      const ActionReach& a = Find(*r, actions[i]);
      const std::string where = c.principal + " " + actions[i];
      EXPECT_EQ(a.reachable, c.answers[i]) << where << ": " << a.reason;
      if (a.reachable != Answer::kYes) continue;
      ASSERT_TRUE(a.witness.has_value()) << where;
      auto d = Evaluate(p, *a.witness);
      ASSERT_TRUE(d.ok()) << d.status();
      EXPECT_EQ(d->kind, DecisionKind::kAllowed) << where;
      if (!c.principal.empty()) {
        EXPECT_EQ(a.witness->principal, c.principal) << where;
      }
      ExpectConsistent(*a.witness, where);
    }
  }
  // Without a principal the witness is a user exactly when it needs one.
  AnalysisScope none;
  none.actions = actions;
  auto r = Reachable(p, none);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, "dynamodb:PutItem").witness->principal,
            "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(Value(*Find(*r, "dynamodb:PutItem").witness, "aws:userid"),
            "AIDACKCEVSQ6C2EXAMPLE");
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").witness->principal,
            "arn:aws:iam::111122223333:role/leastpriv-witness");
  EXPECT_EQ(Value(*Find(*r, "dynamodb:GetItem").witness, "aws:userid"),
            "AROADBQP57FF2AEXAMPLE:leastpriv-session");
  EXPECT_FALSE(
      Value(*Find(*r, "dynamodb:Scan").witness, "aws:username").has_value());
}

// The scope's own values of the keys win over what the principal sends.
TEST(PrincipalKeysTest, ScopeContextWins) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
            {Cond(Op::kStringEquals, "StringEquals", "aws:userid", {"x"})})});
  AnalysisScope scope;
  scope.principal = "arn:aws:iam::111122223333:role/app";
  scope.actions = {"dynamodb:GetItem"};
  EXPECT_EQ(Find(*Reachable(p, scope), "dynamodb:GetItem").reachable,
            Answer::kNo);
  scope.context["aws:userid"] = {"x"};
  EXPECT_EQ(Find(*Reachable(p, scope), "dynamodb:GetItem").reachable,
            Answer::kYes);
}

// The root user and federated users: aws:userid is fixed (the account, or
// "ACCOUNT:name"), and there is no aws:username.
TEST(PrincipalKeysTest, RootAndFederatedUsers) {
  PolicySet p = Identity(
      {Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {"*"},
            {Cond(Op::kStringEquals, "StringEquals", "aws:userid",
                  {"111122223333"})}),
       Stmt(Effect::kAllow, {"dynamodb:Query"}, {"*"},
            {Cond(Op::kStringLike, "StringLike", "aws:userid", {"*:carol"})}),
       Stmt(Effect::kAllow, {"dynamodb:Scan"}, {"*"},
            {Cond(Op::kStringLike, "StringLike", "aws:username", {"*"})})});
  AnalysisScope root;
  root.principal = "arn:aws:iam::111122223333:root";
  auto r = Reachable(p, root);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").reachable, Answer::kYes);
  EXPECT_EQ(Find(*r, "dynamodb:Query").reachable, Answer::kNo);
  EXPECT_EQ(Find(*r, "dynamodb:Scan").reachable, Answer::kNo);
  AnalysisScope federated;
  federated.principal = "arn:aws:sts::111122223333:federated-user/carol";
  r = Reachable(p, federated);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, "dynamodb:GetItem").reachable, Answer::kNo);
  EXPECT_EQ(Find(*r, "dynamodb:Query").reachable, Answer::kYes);
  EXPECT_EQ(Find(*r, "dynamodb:Scan").reachable, Answer::kNo);
}

// Requests of one principal type, with the keys it sends.
struct Sender {
  std::string principal;
  std::optional<std::string> username;
  std::string userid, type;

  Request For(const std::string& action) const {
    Request r;
    r.principal = principal;
    r.action = action;
    r.resource = "*";
    if (username) r.context["aws:username"] = ContextValue{{*username}, false};
    r.context["aws:userid"] = ContextValue{{userid}, false};
    r.context["aws:PrincipalType"] = ContextValue{{type}, false};
    return r;
  }
};

// A scope principal and a sample of the requests it ranges over.
struct SenderScope {
  std::string principal;
  std::vector<Sender> senders;
};

std::vector<SenderScope> SenderScopes() {
  const std::vector<Sender> users = {
      {"arn:aws:iam::111122223333:user/alice", "alice", "AIDACKCEVSQ6C2EXAMPLE",
       "User"},
      {"arn:aws:iam::111122223333:user/bob", "bob", "AIDAJQABLZS4A3QDU576Q",
       "User"},
  };
  const std::vector<Sender> sessions = {
      {"arn:aws:sts::111122223333:assumed-role/app/worker-1", std::nullopt,
       "AROADBQP57FF2AEXAMPLE:worker-1", "AssumedRole"},
      {"arn:aws:sts::111122223333:assumed-role/app/other", std::nullopt,
       "AROADBQP57FF2AEXAMPLE:other", "AssumedRole"},
  };
  std::vector<SenderScope> scopes = {
      {"", {users[0], users[1], sessions[0], sessions[1]}},
      {"arn:aws:iam::111122223333:role/app", sessions},
      {"arn:aws:sts::111122223333:assumed-role/app/worker-1", {sessions[0]}},
      {"arn:aws:iam::111122223333:user/alice", {users[0]}},
  };
  // Requests of a scope principal carry its own ARN.
  for (SenderScope& s : scopes) {
    if (s.principal.empty()) continue;
    for (Sender& x : s.senders) x.principal = s.principal;
  }
  return scopes;
}

// Seeded random identity policies for GetItem and PutItem whose conditions
// test the principal keys.
PolicySet RandomPrincipalKeyPolicy(unsigned seed) {
  struct Key {
    const char* name;
    std::vector<std::string> values;
  };
  static const std::vector<Key> keys = {
      {"aws:username",
       {"alice", "bob", "a*", "${aws:PrincipalTag/x, 'alice'}"}},
      {"aws:userid",
       {"AIDA*", "AROA*", "*:worker-1", "AIDACKCEVSQ6C2EXAMPLE",
        "AROA*:other"}},
      {"aws:PrincipalType", {"User", "AssumedRole", "Account"}},
  };
  struct Operator {
    Op op;
    const char* text;
    bool if_exists;
  };
  static const std::vector<Operator> ops = {
      {Op::kStringEquals, "StringEquals", false},
      {Op::kStringLike, "StringLike", false},
      {Op::kStringNotEquals, "StringNotEquals", false},
      {Op::kStringNotLike, "StringNotLike", false},
      {Op::kStringEquals, "StringEqualsIfExists", true},
      {Op::kStringNotLike, "StringNotLikeIfExists", true},
      {Op::kNull, "Null", false},
  };
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) {
    return static_cast<std::size_t>(rng() % n);
  };
  std::vector<Statement> statements;
  const std::size_t count = 1 + pick(3);
  for (std::size_t s = 0; s < count; ++s) {
    std::vector<Condition> conditions;
    const std::size_t n = 1 + pick(2);
    for (std::size_t c = 0; c < n; ++c) {
      const Key& key = keys[pick(keys.size())];
      const Operator& op = ops[pick(ops.size())];
      std::vector<std::string> values;
      if (op.op == Op::kNull) {
        values = {pick(2) ? "true" : "false"};
      } else {
        values = {key.values[pick(key.values.size())]};
        if (pick(3) == 0) values.push_back(key.values[pick(key.values.size())]);
      }
      conditions.push_back(Cond(op.op, op.text, key.name, values,
                                SetQualifier::kNone, op.if_exists));
    }
    std::vector<std::string> actions = {pick(2) ? "dynamodb:GetItem"
                                                : "dynamodb:*Item"};
    statements.push_back(Stmt(pick(5) == 0 ? Effect::kDeny : Effect::kAllow,
                              std::move(actions), {"*"},
                              std::move(conditions)));
  }
  return Identity(std::move(statements));
}

bool Allowed(const PolicySet& p, const Request& r) {
  auto d = Evaluate(p, r);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() && d->kind == DecisionKind::kAllowed;
}

// Random policies over the principal keys, decided for each principal
// type and compared with Evaluate on requests of that type: every allowed
// request is reported, and every witness replays and is consistent.
TEST(PrincipalKeysTest, RandomPoliciesAgreeWithEvaluate) {
  int yes = 0, no = 0, checked = 0;
  for (unsigned seed = 1; seed <= 120; ++seed) {
    PolicySet p = RandomPrincipalKeyPolicy(seed);
    for (const SenderScope& s : SenderScopes()) {
      AnalysisScope scope;
      scope.principal = s.principal;
      scope.actions = {"dynamodb:GetItem"};
      scope.context["aws:PrincipalTag/x"] = {};
      auto r = Reachable(p, scope);
      ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.status();
      const ActionReach& a = Find(*r, "dynamodb:GetItem");
      const std::string where =
          "seed " + std::to_string(seed) + " " + s.principal;
      ASSERT_NE(a.reachable, Answer::kUnknown) << where << ": " << a.reason;
      (a.reachable == Answer::kYes ? yes : no)++;
      if (a.reachable == Answer::kYes) {
        ASSERT_TRUE(a.witness.has_value()) << where;
        EXPECT_TRUE(Allowed(p, *a.witness)) << where;
        ExpectConsistent(*a.witness, where);
      }
      for (const Sender& x : s.senders) {
        ++checked;
        if (Allowed(p, x.For("dynamodb:GetItem"))) {
          EXPECT_EQ(a.reachable, Answer::kYes)
              << where << ": Evaluate allows the request of " << x.principal;
        }
      }
    }
  }
  std::cout << "principal keys: " << yes << " reachable, " << no
            << " unreachable, " << checked << " requests replayed\n";
  EXPECT_GT(yes, 100);
  EXPECT_GT(no, 60);
}

// The same for policy-diff: pairs of such policies, each witness of new
// and removed access replayed on both sides and consistent with its
// principal type, and every sampled request that one side allows and the
// other not reported.
TEST(PrincipalKeysTest, RandomPolicyPairsAgreeWithEvaluate) {
  const std::vector<std::string> actions = {"dynamodb:GetItem",
                                            "dynamodb:PutItem"};
  int changes = 0, checked = 0;
  for (unsigned seed = 1; seed <= 100; ++seed) {
    const PolicySet old_set = RandomPrincipalKeyPolicy(seed);
    const PolicySet new_set = RandomPrincipalKeyPolicy(seed + 1000);
    for (const SenderScope& s : SenderScopes()) {
      AnalysisScope scope;
      scope.principal = s.principal;
      scope.actions = actions;
      scope.context["aws:PrincipalTag/x"] = {};
      auto diff = DiffPolicies(old_set, new_set, scope);
      ASSERT_TRUE(diff.ok()) << diff.status();
      const std::string where =
          "seed " + std::to_string(seed) + " " + s.principal;
      ASSERT_TRUE(diff->undecided.empty()) << where;
      for (const bool added : {true, false}) {
        const PolicySet& grants = added ? new_set : old_set;
        const PolicySet& denies = added ? old_set : new_set;
        for (const AccessChange& c :
             added ? diff->new_access : diff->removed_access) {
          ++changes;
          EXPECT_TRUE(Allowed(grants, c.witness)) << where << " " << c.action;
          EXPECT_FALSE(Allowed(denies, c.witness)) << where << " " << c.action;
          ExpectConsistent(c.witness, where + " " + c.action);
        }
        for (const std::string& action : actions) {
          bool reported = false;
          for (const AccessChange& c :
               added ? diff->new_access : diff->removed_access) {
            reported |= c.action == action;
          }
          for (const Sender& x : s.senders) {
            ++checked;
            const Request r = x.For(action);
            if (Allowed(grants, r) && !Allowed(denies, r)) {
              EXPECT_TRUE(reported)
                  << where << ": " << action << " of " << x.principal << " is "
                  << (added ? "new" : "removed") << " access, not reported";
            }
          }
        }
      }
    }
  }
  std::cout << "principal keys, pairs: " << changes << " changes replayed, "
            << checked << " requests checked\n";
  EXPECT_GT(changes, 150);
}

}  // namespace
}  // namespace leastpriv
