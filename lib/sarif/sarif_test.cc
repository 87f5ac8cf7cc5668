// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/sarif/sarif.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/json/json.h"

namespace leastpriv::sarif {
namespace {

TEST(SarifTest, RulesResultsAndLocations) {
  Log log;
  log.Rule("missing-permission", "A used operation is denied",
           Severity::kError);
  log.Rule("excess-read", "Unused read", Severity::kSuggestion);
  log.Rule("missing-permission", "ignored", Severity::kSuggestion);
  EXPECT_TRUE(log.HasRule("excess-read"));
  EXPECT_FALSE(log.HasRule("finding"));
  log.Add({"excess-read",
           Severity::kSuggestion,
           "dynamodb:Query is never used",
           {{"role.json", 4, 5}},
           {{"app.py", 0, 0}, {"b.py", 7, 0}},
           {{"role", "app"}, {"roleArn", std::nullopt}},
           "0123456789abcdef"});
  absl::StatusOr<json::Value> v = json::Parse(log.Serialize());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Find("version")->string_value(), "2.1.0");
  const json::Value& run = v->Find("runs")->array()[0];
  const auto& rules = run.Find("tool")->Find("driver")->Find("rules")->array();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].Find("shortDescription")->Find("text")->string_value(),
            "A used operation is denied");
  EXPECT_EQ(
      rules[1].Find("defaultConfiguration")->Find("level")->string_value(),
      "note");
  const json::Value& r = run.Find("results")->array()[0];
  EXPECT_EQ(r.Find("ruleIndex")->number_value(), 1);
  EXPECT_EQ(r.Find("level")->string_value(), "note");
  const json::Value& region =
      *r.Find("locations")->array()[0].Find("physicalLocation")->Find("region");
  EXPECT_EQ(region.Find("startLine")->number_value(), 4);
  EXPECT_EQ(region.Find("startColumn")->number_value(), 5);
  const auto& related = r.Find("relatedLocations")->array();
  ASSERT_EQ(related.size(), 2u);
  EXPECT_EQ(related[1].Find("id")->number_value(), 1);
  // Line 0 (unknown) is line 1; column 0 is left out.
  const json::Value& first =
      *related[0].Find("physicalLocation")->Find("region");
  EXPECT_EQ(first.Find("startLine")->number_value(), 1);
  EXPECT_EQ(first.Find("startColumn"), nullptr);
  EXPECT_EQ(r.Find("partialFingerprints")
                ->Find("leastprivFingerprint/v1")
                ->string_value(),
            "0123456789abcdef");
  EXPECT_EQ(r.Find("properties")->Find("role")->string_value(), "app");
  EXPECT_TRUE(r.Find("properties")->Find("roleArn")->is_null());
}

// Each severity of the one scale is written as its SARIF level, in rules
// and in results.
TEST(SarifTest, LevelsAreTheOneSeverityScale) {
  Log log;
  log.Rule("a", "A", Severity::kError);
  log.Rule("b", "B", Severity::kWarning);
  log.Rule("c", "C", Severity::kSuggestion);
  log.Add({"c", Severity::kError, "x", {}, {}, {}, ""});
  log.Add({"a", Severity::kWarning, "y", {}, {}, {}, ""});
  absl::StatusOr<json::Value> v = json::Parse(log.Serialize());
  ASSERT_TRUE(v.ok()) << v.status();
  const json::Value& run = v->Find("runs")->array()[0];
  const auto& rules = run.Find("tool")->Find("driver")->Find("rules")->array();
  ASSERT_EQ(rules.size(), 3u);
  std::vector<std::string> levels;
  for (const json::Value& rule : rules) {
    levels.push_back(
        rule.Find("defaultConfiguration")->Find("level")->string_value());
  }
  for (const json::Value& r : run.Find("results")->array()) {
    levels.push_back(r.Find("level")->string_value());
  }
  EXPECT_THAT(levels, ::testing::ElementsAre("error", "warning", "note",
                                             "error", "warning"));
}

TEST(SarifTest, EmptyLogIsValid) {
  absl::StatusOr<json::Value> v = json::Parse(Log().Serialize());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->Find("runs")->array()[0].Find("results")->array().empty());
}

}  // namespace
}  // namespace leastpriv::sarif
