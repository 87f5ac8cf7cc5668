// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Differential test: Evaluate must agree with the decisions recorded in
// testdata/oracle/eval_fixtures.json (random DynamoDB policy sets decided
// by an external IAM simulator). Cases listed in KNOWN_DIFFERENCES.md, where
// the oracle departs from AWS's documented behaviour, are skipped by name.

#include <cctype>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/evaluate.h"
#include "lib/eval/oracle_fixture.h"

namespace leastpriv::eval {
namespace {

TEST(OracleTest, AgreesWithRecordedDecisions) {
  absl::StatusOr<OracleFixture> fixture =
      LoadOracleFixture("testdata/oracle/eval_fixtures.json");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const std::set<std::string> known =
      KnownDifferences("testdata/oracle/KNOWN_DIFFERENCES.md");
  ASSERT_FALSE(known.empty());
  int total = 0, agreed = 0, skipped = 0;
  std::set<std::string> seen_known;
  for (const OracleCase& c : fixture->cases) {
    if (known.count(c.name) > 0) {
      ++skipped;
      seen_known.insert(c.name);
      continue;
    }
    ++total;
    absl::StatusOr<Decision> d =
        Evaluate(fixture->sets[c.set_index], c.request);
    const std::string got =
        d.ok() ? std::string(DecisionKindName(d->kind)) : d.status().ToString();
    if (got == c.expected) {
      ++agreed;
      continue;
    }
    std::string why = d.ok() ? d->reason : "";
    if (d.ok()) {
      for (const StatementRef& ref : d->statements) {
        why += " " + ref.policy_name + "#" + ref.sid.value_or("?");
      }
    }
    ADD_FAILURE() << c.name << ": expected " << c.expected << ", got " << got
                  << " (" << why << ")";
  }
  std::cout << "oracle " << fixture->oracle_package << "@"
            << fixture->oracle_version << ": agreement " << agreed << "/"
            << total << " (" << skipped << " known differences skipped)\n";
  // Every listed difference must name a case of this fixture.
  EXPECT_EQ(seen_known.size(), known.size());
  EXPECT_GT(total, 1000);
}

std::string Describe(const absl::StatusOr<Decision>& d) {
  if (!d.ok()) return d.status().ToString();
  std::string out = std::string(DecisionKindName(d->kind)) + " " + d->reason;
  for (const StatementRef& ref : d->statements) {
    out += " " + std::string(PolicyKindName(ref.policy_kind)) + ":" +
           ref.policy_name + "#" + std::to_string(ref.index);
  }
  return out;
}

// The compiled evaluator decides every fixture request exactly as Evaluate,
// with the same deciding statements in the same order and the same reason.
TEST(PolicyEvaluatorTest, EqualsEvaluateOnEveryFixtureRequest) {
  absl::StatusOr<OracleFixture> fixture =
      LoadOracleFixture("testdata/oracle/eval_fixtures.json");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  std::vector<PolicyEvaluator> evaluators;
  for (const PolicySet& set : fixture->sets) {
    absl::StatusOr<PolicyEvaluator> e = PolicyEvaluator::Create(set);
    ASSERT_TRUE(e.ok()) << e.status();
    evaluators.push_back(*std::move(e));
  }
  int compared = 0;
  for (const OracleCase& c : fixture->cases) {
    const PolicyEvaluator& e = evaluators[c.set_index];
    EXPECT_EQ(Describe(e.Evaluate(c.request)),
              Describe(Evaluate(fixture->sets[c.set_index], c.request)))
        << c.name;
    // Upper-case action names take the same path.
    Request shouted = c.request;
    for (char& ch : shouted.action) ch = static_cast<char>(std::toupper(ch));
    EXPECT_EQ(Describe(e.Evaluate(shouted)),
              Describe(Evaluate(fixture->sets[c.set_index], shouted)))
        << c.name;
    ++compared;
  }
  EXPECT_GT(compared, 1000);
}

TEST(PolicyEvaluatorTest, RejectsWhatEvaluateCannotInterpret) {
  absl::StatusOr<Policy> p = ParsePolicy(
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": "dynamodb:GetItem", "Resource": "*",
          "Condition": {"StringEqualz": {"aws:username": "x"}}}]})",
      ParseOptions{"p.json"});
  ASSERT_TRUE(p.ok()) << p.status();
  PolicySet set;
  set.identity.push_back(*p);
  absl::StatusOr<PolicyEvaluator> e = PolicyEvaluator::Create(set);
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(e.status().message(), CheckEvaluable(set).message());
}

TEST(OracleFixtureTest, RejectsMalformedFixtures) {
  EXPECT_EQ(ParseOracleFixture("[]").status().message(),
            "oracle fixture: missing \"oracle\" or \"sets\"");
  EXPECT_EQ(
      ParseOracleFixture(R"({"oracle": {}, "sets": [{"name": "s"}]})")
          .status()
          .message(),
      "oracle fixture: policy set without name/identity/scp/rcp/requests");
  EXPECT_FALSE(LoadOracleFixture("testdata/oracle/none.json").ok());
}

}  // namespace
}  // namespace leastpriv::eval
