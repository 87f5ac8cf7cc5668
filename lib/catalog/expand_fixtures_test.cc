// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Differential test: ExpandActionPattern against the expansions recorded from
// an independent implementation (see tools/gen_catalog/gen_catalog.sh).

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/catalog.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

constexpr char kFixture[] = "testdata/catalog/expand_fixtures.json";

std::string ReadFixture() {
  std::ifstream in(kFixture);
  if (!in) {
    // Outside the runfiles tree (e.g. run by hand from the workspace root
    // of another checkout), try the Bazel runfiles directory.
    const char* srcdir = std::getenv("TEST_SRCDIR");
    if (srcdir != nullptr)
      in.open(std::string(srcdir) + "/leastpriv/" + kFixture);
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

TEST(ExpandFixturesTest, AgreesWithIamExpandOnEveryPattern) {
  std::string text = ReadFixture();
  ASSERT_FALSE(text.empty()) << "cannot read " << kFixture;
  absl::StatusOr<json::Value> fixture = json::Parse(text);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const json::Value* cases = fixture->Find("cases");
  ASSERT_TRUE(cases != nullptr && cases->is_array());
  ASSERT_GE(cases->array().size(), 200u);

  int agreed = 0;
  int non_empty = 0;
  std::vector<std::string> mismatches;
  for (const json::Value& c : cases->array()) {
    const json::Value* pattern = c.Find("pattern");
    const json::Value* expected_json = c.Find("expected");
    ASSERT_TRUE(pattern != nullptr && pattern->is_string());
    ASSERT_TRUE(expected_json != nullptr && expected_json->is_array());
    std::vector<std::string> expected;
    for (const json::Value& name : expected_json->array()) {
      expected.push_back(name.string_value());
    }
    std::vector<std::string> actual;
    for (const ActionInfo* a : ExpandActionPattern(pattern->string_value())) {
      actual.push_back(a->qualified_name());
    }
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    non_empty += !expected.empty();
    if (actual == expected) {
      ++agreed;
    } else {
      mismatches.push_back("\"" + pattern->string_value() + "\": expected [" +
                           Join(expected) + "], got [" + Join(actual) + "]");
    }
  }
  std::string report;
  for (const std::string& m : mismatches) report += "\n  " + m;
  EXPECT_TRUE(mismatches.empty())
      << mismatches.size() << " of " << cases->array().size()
      << " patterns disagree:" << report;
  // The fixture must exercise both matches and non-matches.
  EXPECT_GT(non_empty, 50);
  EXPECT_LT(non_empty, static_cast<int>(cases->array().size()) - 50);
  std::cout << agreed << " of " << cases->array().size()
            << " patterns agree with the recorded expansions\n";
}

}  // namespace
}  // namespace leastpriv
