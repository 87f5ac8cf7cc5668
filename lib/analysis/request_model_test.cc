// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RequestModel::Reseat: a witness moved onto another resource, with other
// values of its free variable sources, stays a request its principal could
// send; the evaluator then decides it as any other request.

#include "lib/analysis/request_model.h"

#include <map>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"

namespace leastpriv::analysis {
namespace {

using namespace testing_policies;  // NOLINT
using Op = ConditionOperator;

constexpr char kPrefix[] = "arn:aws:dynamodb:us-east-1:111122223333:table/";

// GetItem on the tables named after the user, for a user whose team tag is
// its own name.
PolicySet OwnTables() {
  PolicySet set;
  set.identity.push_back(
      Pol(PolicyKind::kIdentity,
          {Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                {std::string(kPrefix) + "${aws:username}-*"},
                {Cond(Op::kStringEquals, "StringEquals",
                      "aws:PrincipalTag/team", {"${aws:username}"})})}));
  return set;
}

bool Allowed(const PolicySet& set, const Request& r) {
  auto d = Evaluate(set, r);
  return d.ok() && d->kind == DecisionKind::kAllowed;
}

std::unique_ptr<RequestModel> ModelOf(const PolicySet& set,
                                      const AnalysisScope& scope = {}) {
  AnalysisOptions options;
  options.decide_free_variables = true;
  auto m = RequestModel::Build({&set}, scope, {}, options);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *std::move(m) : nullptr;
}

Request Witness(const std::string& principal,
                std::map<std::string, std::string> context) {
  Request r;
  r.principal = principal;
  r.action = "dynamodb:GetItem";
  r.resource = std::string(kPrefix) + "bob-x";
  for (auto& [k, v] : context) r.context[k] = ContextValue{{v}, false};
  return r;
}

TEST(RequestModelTest, ReseatMovesTheWitnessAndTheValuesThatFollowIt) {
  const PolicySet set = OwnTables();
  auto m = ModelOf(set);
  ASSERT_NE(m, nullptr);
  const Request w =
      Witness("arn:aws:iam::111122223333:user/bob",
              {{"aws:username", "bob"}, {"aws:PrincipalTag/team", "bob"}});
  ASSERT_TRUE(Allowed(set, w));
  const std::string carol = std::string(kPrefix) + "carol-x";

  // The team tag equal to the old name follows it; the principal is the
  // new user.
  auto moved = m->Reseat(w, carol, {{"aws:username", "carol"}}, true);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->resource, carol);
  EXPECT_EQ(moved->principal, "arn:aws:iam::111122223333:user/carol");
  EXPECT_EQ(moved->context.at("aws:PrincipalTag/team").values[0], "carol");
  EXPECT_TRUE(Allowed(set, *moved));

  // Without following, the tag keeps the old name: denied.
  auto kept = m->Reseat(w, carol, {{"aws:username", "carol"}}, false);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->context.at("aws:PrincipalTag/team").values[0], "bob");
  EXPECT_FALSE(Allowed(set, *kept));

  // A key compared with the source as a whole value takes its value even
  // when it did not hold the old one.
  Request other = w;
  other.context["aws:PrincipalTag/team"] = ContextValue{{"x"}, false};
  auto peer = m->Reseat(other, carol, {{"aws:username", "carol"}}, true);
  ASSERT_TRUE(peer.has_value());
  EXPECT_EQ(peer->context.at("aws:PrincipalTag/team").values[0], "carol");
  EXPECT_TRUE(Allowed(set, *peer));

  // No IAM user is named with a '/'.
  EXPECT_FALSE(m->Reseat(w, carol, {{"aws:username", "a/b"}}, true));
  // A key no policy names is not one of the model's sources.
  EXPECT_FALSE(m->Reseat(w, carol, {{"aws:principaltag/other", "x"}}, true));
}

TEST(RequestModelTest, ReseatTurnsARoleWitnessIntoAUserForItsName) {
  const PolicySet set = OwnTables();
  auto m = ModelOf(set);
  ASSERT_NE(m, nullptr);
  const Request role = Witness("arn:aws:iam::111122223333:role/app",
                               {{"aws:PrincipalTag/team", "x"}});
  auto moved = m->Reseat(role, std::string(kPrefix) + "dana-1",
                         {{"aws:username", "dana"}}, false);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->principal, "arn:aws:iam::111122223333:user/dana");
  EXPECT_EQ(moved->context.at("aws:username").values[0], "dana");
}

TEST(RequestModelTest, ReseatLeavesAloneWhatTheScopeFixes) {
  const PolicySet set = OwnTables();
  AnalysisScope scope;
  scope.principal = "arn:aws:iam::111122223333:user/bob";
  auto m = ModelOf(set, scope);
  ASSERT_NE(m, nullptr);
  const Request w =
      Witness(scope.principal,
              {{"aws:username", "bob"}, {"aws:PrincipalTag/team", "bob"}});
  // aws:username is bob's: no other value.
  EXPECT_FALSE(m->Reseat(w, std::string(kPrefix) + "carol-x",
                         {{"aws:username", "carol"}}, true));
  // Moved alone, the principal stays the scope's.
  auto moved = m->Reseat(w, std::string(kPrefix) + "bob-y", {}, true);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->principal, scope.principal);
  EXPECT_TRUE(Allowed(set, *moved));
}

// GetItem on "<tenant>-<team>", "<tenant>/<tenant>" and "<user>?x*", and
// on "<tag k>-*" when aws:PrincipalTag/k is fixed by the scope below.
PolicySet TenantTeamTables() {
  PolicySet set;
  set.identity.push_back(
      Pol(PolicyKind::kIdentity,
          {Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                {std::string(kPrefix) +
                     "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
                 std::string(kPrefix) +
                     "${aws:PrincipalTag/tenant}.${aws:PrincipalTag/tenant}",
                 std::string(kPrefix) + "${aws:username}?x*",
                 std::string(kPrefix) + "${aws:PrincipalTag/k}-*"})}));
  return set;
}

using Bindings = std::vector<std::map<std::string, std::string>>;

TEST(RequestModelTest, ResourceBindingsSplitTheResourceEveryWay) {
  const PolicySet set = TenantTeamTables();
  AnalysisScope scope;
  scope.context["aws:PrincipalTag/k"] = {"fixed"};
  auto m = ModelOf(set, scope);
  ASSERT_NE(m, nullptr);
  const std::string tenant = "aws:principaltag/tenant";
  const std::string team = "aws:principaltag/team";
  // Every split at a '-', and none from the entry of a fixed tag.
  EXPECT_EQ(m->ResourceBindings(std::string(kPrefix) + "a-b-c", 16),
            (Bindings{{{tenant, "a"}, {team, "b-c"}},
                      {{tenant, "a-b"}, {team, "c"}}}));
  // The same value at both occurrences of a variable.
  EXPECT_EQ(m->ResourceBindings(std::string(kPrefix) + "ab.ab", 16),
            (Bindings{{{tenant, "ab"}}}));
  EXPECT_TRUE(m->ResourceBindings(std::string(kPrefix) + "ab.ac", 16).empty());
  // Wildcards around a variable: '?' one character, '*' any run.
  EXPECT_EQ(m->ResourceBindings(std::string(kPrefix) + "bobyxz", 16),
            (Bindings{{{"aws:username", "bob"}}}));
  // At most `max`.
  EXPECT_EQ(m->ResourceBindings(std::string(kPrefix) + "a-b-c", 1).size(), 1u);
  // Another account's table matches no entry.
  EXPECT_TRUE(m->ResourceBindings(
                   "arn:aws:dynamodb:us-east-1:444455556666:table/a-b", 16)
                  .empty());
}

}  // namespace
}  // namespace leastpriv::analysis
