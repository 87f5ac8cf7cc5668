// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// DiffPolicies against decisions of an external IAM simulator,
// @cloud-copilot/iam-simulate, recorded in testdata/oracle/ by the scripts
// of tools/oracle/ (so that the test needs no node). Cases listed in
// KNOWN_DIFFERENCES.md are skipped; every other disagreement fails.
//
// eval_fixtures.json: its policy sets are compared pairwise, consecutive
// sets as OLD and NEW. A recorded request of NEW that the oracle allows and
// that OLD denies is new access, so the diff must report its action with
// the request's resource inside the summary (or say that the action is
// undecided); a recorded request the oracle denies under NEW and OLD allows
// must be reported as removed. OLD's side is decided with Evaluate, itself
// checked against the oracle by //lib/eval:oracle_test.
//
// diff_fixtures.json: pairs of policy sets, each request decided under both
// sides by the oracle (tools/oracle/gen_diff_fixtures.sh). For every pair:
//   - every witness of new access DiffPolicies reports is allowed by NEW
//     and denied by OLD according to the oracle, and every witness of
//     removed access the reverse (the fixture records the witnesses, so a
//     witness it lacks fails the test: regenerate the fixture);
//   - every recorded universe request the oracle finds allowed by NEW only
//     (by OLD only) lies in a reported new (removed) change: its action,
//     its resource within the summary. For "no_new_access" verdicts these
//     requests show that the oracle finds no new access either.
// The two service-role pairs (the policies of bench/diff_benchmark.cc, 24
// statements) record their whole covering universe: a brute-force
// enumeration by the oracle.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"
#include "lib/eval/oracle_fixture.h"
#include "lib/eval/request_universe.h"

namespace leastpriv {
namespace {

const AccessChange* Find(const std::vector<AccessChange>& v,
                         const std::string& action) {
  for (const AccessChange& c : v) {
    if (c.action == action) return &c;
  }
  return nullptr;
}

bool Undecided(const PolicyDiff& d, const std::string& action,
               bool new_direction) {
  for (const UndecidedAction& u : d.undecided) {
    if (u.action == action && u.new_direction == new_direction) return true;
  }
  return false;
}

TEST(DiffOracleTest, RecordedDecisionsAreReported) {
  auto fixture = eval::LoadOracleFixture("testdata/oracle/eval_fixtures.json");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const std::set<std::string> known =
      eval::KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");
  std::vector<std::vector<const eval::OracleCase*>> by_set(
      fixture->sets.size());
  for (const eval::OracleCase& c : fixture->cases) {
    if (known.count(c.name) > 0) continue;
    by_set[c.set_index].push_back(&c);
  }
  int added_checked = 0, removed_checked = 0, undecided = 0;
  for (std::size_t s = 1; s < fixture->sets.size(); ++s) {
    const PolicySet& old_set = fixture->sets[s - 1];
    const PolicySet& new_set = fixture->sets[s];
    // The recorded requests whose decision differs between the sides.
    std::vector<const eval::OracleCase*> flipped;
    for (const eval::OracleCase* c : by_set[s]) {
      auto old_decision = Evaluate(old_set, c->request);
      ASSERT_TRUE(old_decision.ok())
          << c->name << ": " << old_decision.status();
      const bool old_allows = old_decision->kind == DecisionKind::kAllowed;
      if (old_allows != (c->expected == "Allowed")) flipped.push_back(c);
    }
    if (flipped.empty()) continue;
    AnalysisScope pair_scope;
    for (const eval::OracleCase* c : flipped) {
      if (std::find(pair_scope.actions.begin(), pair_scope.actions.end(),
                    c->request.action) == pair_scope.actions.end()) {
        pair_scope.actions.push_back(c->request.action);
      }
    }
    auto diff = DiffPolicies(old_set, new_set, pair_scope);
    ASSERT_TRUE(diff.ok()) << "set " << s << ": " << diff.status();
    for (const eval::OracleCase* c : flipped) {
      const bool new_allows = c->expected == "Allowed";
      const std::string& action = c->request.action;
      if (Undecided(*diff, action, new_allows)) {
        ++undecided;
        continue;
      }
      const AccessChange* change =
          Find(new_allows ? diff->new_access : diff->removed_access, action);
      ASSERT_NE(change, nullptr)
          << c->name << ": " << action << " on " << c->request.resource
          << (new_allows ? " is new access" : " is removed access")
          << " by the oracle's decision, but not reported";
      EXPECT_TRUE(
          testing_policies::InSummary(change->resources, c->request.resource))
          << c->name << ": " << c->request.resource << " outside the summary";
      (new_allows ? added_checked : removed_checked)++;
    }
  }
  // The fixture must exercise both directions.
  EXPECT_GE(added_checked, 10);
  EXPECT_GE(removed_checked, 10);
  RecordProperty("added_checked", added_checked);
  RecordProperty("removed_checked", removed_checked);
  RecordProperty("undecided", undecided);
  std::cout << "checked " << added_checked << " new and " << removed_checked
            << " removed accesses against the oracle; " << undecided
            << " undecided\n";
}

// The principal of every witness and universe request of diff_fixtures.json.
constexpr char kPrincipal[] = "arn:aws:iam::111122223333:role/app";

// A request as one string: principal, action, resource, context.
std::string RequestKey(const Request& r) {
  std::string key = r.principal + "|" + r.action + "|" + r.resource;
  for (const auto& [k, v] : r.context) {
    key += "|" + k + (v.multi_valued ? "=[" : "=");
    for (const std::string& value : v.values) key += value + ",";
  }
  return key;
}

const eval::OracleDiffFixture& DiffFixture() {
  static const eval::OracleDiffFixture* fixture = [] {
    auto f = eval::LoadOracleDiffFixture("testdata/oracle/diff_fixtures.json");
    EXPECT_TRUE(f.ok()) << f.status();
    return new eval::OracleDiffFixture(f.ok() ? *std::move(f)
                                              : eval::OracleDiffFixture{});
  }();
  return *fixture;
}

bool IsAllowed(const std::string& decision) { return decision == "Allowed"; }
bool IsError(const std::string& decision) {
  return decision.rfind("error", 0) == 0;
}

struct Tally {
  int new_witnesses = 0;      // checked against the oracle
  int removed_witnesses = 0;  // checked against the oracle
  int universe = 0;           // universe requests checked
  int universe_new = 0;       // of which new access per the oracle
  int universe_removed = 0;   // of which removed access per the oracle
  int no_new_access_pairs = 0;
  int no_new_access_universe = 0;  // universe requests of those pairs
  int known = 0;                   // skipped: KNOWN_DIFFERENCES.md
};

// Compares `pair` with DiffPolicies and checks it against the recorded
// decisions (see the top of the file).
void CheckPair(const eval::OraclePair& pair, const std::set<std::string>& known,
               Tally* tally) {
  AnalysisScope scope;
  scope.principal = kPrincipal;
  absl::StatusOr<PolicyDiff> diff =
      DiffPolicies(pair.old_set, pair.new_set, scope);
  ASSERT_TRUE(diff.ok()) << pair.name << ": " << diff.status();
  EXPECT_NE(diff->verdict, DiffVerdict::kUnknown) << pair.name;
  EXPECT_TRUE(diff->undecided.empty()) << pair.name;
  std::map<std::string, const eval::OraclePairCase*> recorded;
  for (const eval::OraclePairCase& c : pair.cases) {
    recorded[RequestKey(c.request)] = &c;
  }
  for (const bool added : {true, false}) {
    for (const AccessChange& change :
         added ? diff->new_access : diff->removed_access) {
      const auto it = recorded.find(RequestKey(change.witness));
      if (it == recorded.end()) {
        ADD_FAILURE() << pair.name << ": the witness of "
                      << (added ? "new" : "removed") << " access for "
                      << change.action << " on " << change.witness.resource
                      << " has no recorded oracle decision; DiffPolicies' "
                         "witnesses changed: run "
                         "tools/oracle/gen_diff_fixtures.sh";
        continue;
      }
      const eval::OraclePairCase& c = *it->second;
      if (known.count(c.name) > 0) {
        ++tally->known;
        continue;
      }
      const std::string& granting = added ? c.new_decision : c.old_decision;
      const std::string& denying = added ? c.old_decision : c.new_decision;
      EXPECT_TRUE(IsAllowed(granting) && !IsAllowed(denying) &&
                  !IsError(denying))
          << c.name << ": the oracle decides the witness of "
          << (added ? "new" : "removed") << " access for " << change.action
          << " on " << c.request.resource << " as " << c.old_decision
          << " under OLD and " << c.new_decision << " under NEW";
      (added ? tally->new_witnesses : tally->removed_witnesses)++;
    }
  }
  const bool no_new_access = diff->verdict == DiffVerdict::kNoNewAccess;
  tally->no_new_access_pairs += no_new_access;
  for (const eval::OraclePairCase& c : pair.cases) {
    if (c.kind != "universe") continue;
    if (known.count(c.name) > 0) {
      ++tally->known;
      continue;
    }
    EXPECT_FALSE(IsError(c.old_decision) || IsError(c.new_decision))
        << c.name << ": " << c.old_decision << " / " << c.new_decision;
    ++tally->universe;
    tally->no_new_access_universe += no_new_access;
    const bool in_old = IsAllowed(c.old_decision);
    const bool in_new = IsAllowed(c.new_decision);
    if (in_old == in_new) continue;
    (in_new ? tally->universe_new : tally->universe_removed)++;
    const AccessChange* change = Find(
        in_new ? diff->new_access : diff->removed_access, c.request.action);
    EXPECT_TRUE(change != nullptr && testing_policies::InSummary(
                                         change->resources, c.request.resource))
        << c.name << ": the oracle finds " << c.request.action << " on "
        << c.request.resource << " allowed by " << (in_new ? "NEW" : "OLD")
        << " only, but DiffPolicies reports no such "
        << (in_new ? "new" : "removed") << " access (verdict "
        << DiffVerdictName(diff->verdict) << ")";
  }
}

void Report(const std::string& what, const Tally& t) {
  std::cout << what << ": " << t.new_witnesses << " new-access and "
            << t.removed_witnesses
            << " removed-access witnesses checked against the oracle; "
            << t.universe << " universe requests checked (" << t.universe_new
            << " new, " << t.universe_removed
            << " removed access per the oracle); " << t.no_new_access_pairs
            << " no_new_access pairs with " << t.no_new_access_universe
            << " universe requests; " << t.known
            << " known differences skipped\n";
  ::testing::Test::RecordProperty("new_witnesses", t.new_witnesses);
  ::testing::Test::RecordProperty("removed_witnesses", t.removed_witnesses);
  ::testing::Test::RecordProperty("universe_requests", t.universe);
  ::testing::Test::RecordProperty("known_differences", t.known);
}

TEST(DiffOracleTest, RandomPairsAgreeWithTheOracle) {
  const eval::OracleDiffFixture& fixture = DiffFixture();
  const std::set<std::string> known =
      eval::KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");
  Tally tally;
  int pairs = 0;
  for (const eval::OraclePair& pair : fixture.pairs) {
    if (pair.name.rfind("random-", 0) != 0) continue;
    ++pairs;
    CheckPair(pair, known, &tally);
  }
  Report("random pairs", tally);
  EXPECT_GE(pairs, 60);
  EXPECT_GE(tally.new_witnesses, 300);
  EXPECT_GE(tally.removed_witnesses, 300);
  EXPECT_GE(tally.no_new_access_pairs, 10);
  EXPECT_GE(tally.no_new_access_universe, 500);
}

// Principal pairs: policies whose conditions test aws:username, aws:userid
// and aws:PrincipalType. Their witnesses carry the keys the role session
// of kPrincipal sends (no aws:username, an aws:userid "ROLEID:session"),
// and the oracle agrees with every one of them.
TEST(DiffOracleTest, PrincipalKeyPairsAgreeWithTheOracle) {
  const eval::OracleDiffFixture& fixture = DiffFixture();
  const std::set<std::string> known =
      eval::KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");
  Tally tally;
  int pairs = 0, with_userid = 0;
  for (const eval::OraclePair& pair : fixture.pairs) {
    if (pair.name.rfind("principal-", 0) != 0) continue;
    ++pairs;
    CheckPair(pair, known, &tally);
    for (const eval::OraclePairCase& c : pair.cases) {
      EXPECT_EQ(c.request.context.count("aws:username"), 0u)
          << c.name << ": a role session has no aws:username";
      auto id = c.request.context.find("aws:userid");
      if (id == c.request.context.end()) continue;
      ++with_userid;
      ASSERT_EQ(id->second.values.size(), 1u) << c.name;
      EXPECT_TRUE(eval::IsValidRoleSessionUserId(id->second.values[0]))
          << c.name << ": " << id->second.values[0];
    }
  }
  Report("principal pairs", tally);
  EXPECT_EQ(pairs, 24);
  EXPECT_GE(tally.new_witnesses + tally.removed_witnesses, 50);
  EXPECT_GE(with_userid, 20);
}

// Brute force: the oracle decided every request of the covering universe of
// the service-role pairs.
TEST(DiffOracleTest, ServicePairsMatchBruteForceEnumeration) {
  const eval::OracleDiffFixture& fixture = DiffFixture();
  const std::set<std::string> known =
      eval::KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");
  eval::UniverseOptions options;
  options.principal = kPrincipal;
  int pairs = 0;
  for (const eval::OraclePair& pair : fixture.pairs) {
    if (pair.name.rfind("service-", 0) != 0) continue;
    ++pairs;
    std::set<std::string> recorded;
    for (const eval::OraclePairCase& c : pair.cases) {
      if (c.kind == "universe") recorded.insert(RequestKey(c.request));
    }
    const std::vector<Request> universe =
        eval::CoveringRequests({&pair.old_set, &pair.new_set}, options);
    for (const Request& r : universe) {
      ASSERT_EQ(recorded.count(RequestKey(r)), 1u)
          << pair.name << ": " << r.action << " on " << r.resource
          << " is in the covering universe but not in the fixture: run "
             "tools/oracle/gen_diff_fixtures.sh";
    }
    EXPECT_EQ(recorded.size(), universe.size()) << pair.name;
    Tally tally;
    CheckPair(pair, known, &tally);
    Report(pair.name, tally);
    EXPECT_GT(tally.universe_new, 0) << pair.name;
  }
  EXPECT_EQ(pairs, 2);
}

}  // namespace
}  // namespace leastpriv
