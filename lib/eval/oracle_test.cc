// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Differential test: Evaluate must agree with the decisions recorded in
// testdata/oracle/eval_fixtures.json (random DynamoDB policy sets decided
// by an external IAM simulator). Cases listed in KNOWN_DIFFERENCES.md, where
// the oracle departs from AWS's documented behaviour, are skipped by name.

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

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
