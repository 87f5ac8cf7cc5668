// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Differential test of the symbolic engine against the external IAM
// simulator's recorded decisions (testdata/oracle/eval_fixtures.json):
//   - every request the oracle allows must be covered by Reachable: its
//     action is not "no", and when "yes" its resource lies in the reported
//     resource summary (patterns minus exceptions);
//   - every action Reachable calls "no" has no oracle-allowed request;
//   - every witness Reachable returns is allowed by Evaluate (the analyzer
//     replays it; this checks it again from the outside).
// Cases listed in KNOWN_DIFFERENCES.md are skipped by name, as in
// //lib/eval:oracle_test. Actions the engine answers "unknown" for are
// counted and must stay a minority of the questions asked.

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "lib/analysis/test_policies.h"
#include "lib/eval/oracle_fixture.h"

namespace leastpriv {
namespace {

std::string SummaryText(const ActionReach& a) {
  std::string out;
  for (const ResourceSummary& s : a.resources) {
    out += s.resource_type + " [";
    for (const std::string& p : s.patterns) out += " " + p;
    out += " ] except [";
    for (const std::string& p : s.except) out += " " + p;
    out += " ]; ";
  }
  return out;
}

TEST(ReachOracleTest, ReachableCoversEveryOracleAllowedRequest) {
  absl::StatusOr<eval::OracleFixture> fixture =
      eval::LoadOracleFixture("testdata/oracle/eval_fixtures.json");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const std::set<std::string> known =
      eval::KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");

  // Questions: one Reachable per (policy set, principal, values of the
  // policy-variable sources), over the actions the fixture asks about for
  // it. The variable sources are fixed in the scope to the request's values
  // (or to absent), which is the question the oracle answered; every other
  // context key stays free.
  using Key = std::tuple<std::size_t, std::string, std::string>;
  std::map<Key, std::set<std::string>> questions;
  std::map<Key, std::map<std::string, std::vector<std::string>>> facts;
  auto key_of = [&](const eval::OracleCase& c) {
    std::map<std::string, std::vector<std::string>> fixed;
    for (const char* source :
         {"aws:username", "aws:userid", "aws:PrincipalTag/team"}) {
      auto it = c.request.context.find(source);
      fixed[source] = it == c.request.context.end() ? std::vector<std::string>{}
                                                    : it->second.values;
    }
    std::string text;
    for (const auto& [k, v] : fixed) {
      text += k + "=" + (v.empty() ? "<absent>" : v[0]) + ";";
    }
    Key key{c.set_index, c.request.principal, text};
    facts[key] = fixed;
    return key;
  };
  // Every third policy set keeps the test within a minute or so.
  auto sampled = [](const eval::OracleCase& c) { return c.set_index % 3 == 0; };
  for (const eval::OracleCase& c : fixture->cases) {
    if (known.count(c.name) || c.request.action.rfind("dynamodb:", 0) != 0 ||
        !sampled(c)) {
      continue;
    }
    questions[key_of(c)].insert(c.request.action);
  }
  ASSERT_GT(questions.size(), 30u);

  std::map<std::pair<Key, std::string>, ActionReach> answers;
  int asked = 0, unknown = 0, witnesses = 0, errors = 0;
  for (const auto& [key, actions] : questions) {
    AnalysisScope scope;
    scope.principal = std::get<1>(key);
    scope.actions.assign(actions.begin(), actions.end());
    scope.context = facts[key];
    const PolicySet& set = fixture->sets[std::get<0>(key)];
    absl::StatusOr<ReachReport> report = Reachable(set, scope);
    if (!report.ok()) {
      // Unknown actions of other services or unparsable scope are input
      // errors; the fixture only uses catalog actions.
      ADD_FAILURE() << "set " << std::get<0>(key) << ": " << report.status();
      ++errors;
      continue;
    }
    for (const ActionReach& a : report->actions) {
      ++asked;
      if (a.reachable == Answer::kUnknown) ++unknown;
      if (a.witness.has_value()) {
        ++witnesses;
        absl::StatusOr<Decision> d = Evaluate(set, *a.witness);
        ASSERT_TRUE(d.ok()) << d.status();
        EXPECT_EQ(d->kind, DecisionKind::kAllowed)
            << "set " << std::get<0>(key) << " " << a.action << " witness on "
            << a.witness->resource;
      }
      answers[{key, a.action}] = a;
    }
  }

  int allowed = 0, covered = 0, undecided = 0, partial = 0;
  for (const eval::OracleCase& c : fixture->cases) {
    if (known.count(c.name) || c.expected != "Allowed" ||
        c.request.action.rfind("dynamodb:", 0) != 0 || !sampled(c)) {
      continue;
    }
    auto it = answers.find({key_of(c), c.request.action});
    if (it == answers.end()) continue;
    ++allowed;
    const ActionReach& a = it->second;
    if (a.reachable == Answer::kUnknown) {
      ++undecided;
      continue;
    }
    EXPECT_EQ(a.reachable, Answer::kYes)
        << c.name << ": the oracle allows " << c.request.action << " on "
        << c.request.resource << " but Reachable says no";
    if (a.reachable != Answer::kYes) continue;
    if (!a.reason.empty()) {
      // "yes" with a resource summary the engine says is incomplete.
      ++partial;
      continue;
    }
    // Requests that carry context the summary does not speak of are still
    // covered: the summary is over all contexts.
    EXPECT_TRUE(testing_policies::InSummary(a.resources, c.request.resource))
        << c.name << ": " << c.request.resource << " is not in the summary of "
        << a.action << ": " << SummaryText(a);
    covered += testing_policies::InSummary(a.resources, c.request.resource);
  }
  std::cout << "reach vs oracle: " << asked << " questions, " << unknown
            << " unknown, " << witnesses << " witnesses replayed; " << allowed
            << " oracle-allowed requests, " << covered << " covered, "
            << undecided << " under an unknown action, " << partial
            << " under an incomplete summary\n";
  EXPECT_EQ(errors, 0);
  EXPECT_GT(allowed, 40);
  // Unknown answers are honest but must not be the rule.
  EXPECT_LT(unknown * 4, asked);
}

}  // namespace
}  // namespace leastpriv
