// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// DiffPolicies against decisions of an external IAM simulator: the policy
// sets of testdata/oracle/eval_fixtures.json (decided by
// @cloud-copilot/iam-simulate, see tools/oracle/) are compared pairwise,
// consecutive sets as OLD and NEW. A recorded request of NEW that the oracle
// allows and that OLD denies is new access, so the diff must report its
// action with the request's resource inside the summary (or say that the
// action is undecided); a recorded request the oracle denies under NEW and
// OLD allows must be reported as removed. OLD's side is decided with
// Evaluate, itself checked against the oracle by //lib/eval:oracle_test.
// Cases listed in KNOWN_DIFFERENCES.md are skipped.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "lib/eval/match.h"
#include "lib/eval/oracle_fixture.h"

namespace leastpriv {
namespace {

std::set<std::string> KnownDifferences(const std::string& path) {
  std::ifstream in(path);
  std::set<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("- `", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    if (end != std::string::npos) names.insert(line.substr(3, end - 3));
  }
  return names;
}

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

bool InSummary(const AccessChange& c, const std::string& resource) {
  for (const ResourceSummary& s : c.resources) {
    bool in = false;
    for (const std::string& p : s.patterns)
      in |= p == "*" || eval::ArnMatches(p, resource);
    for (const std::string& p : s.except) {
      if (eval::ArnMatches(p, resource)) in = false;
    }
    if (in) return true;
  }
  return false;
}

TEST(DiffOracleTest, RecordedDecisionsAreReported) {
  auto fixture = eval::LoadOracleFixture("testdata/oracle/eval_fixtures.json");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const std::set<std::string> known =
      KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");
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
      EXPECT_TRUE(InSummary(*change, c->request.resource))
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

}  // namespace
}  // namespace leastpriv
