// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/finding.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

constexpr int kCodeCount =
    static_cast<int>(FindingCode::kLoggedResourceNotChecked) + 1;

TEST(FindingTest, SeveritySpellings) {
  EXPECT_EQ(SeverityName(Severity::kError), "error");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(SeverityName(Severity::kSuggestion), "suggestion");
  EXPECT_EQ(SeverityWord(Severity::kError), "high");
  EXPECT_EQ(SeverityWord(Severity::kWarning), "medium");
  EXPECT_EQ(SeverityWord(Severity::kSuggestion), "low");
  EXPECT_EQ(SarifLevel(Severity::kError), "error");
  EXPECT_EQ(SarifLevel(Severity::kWarning), "warning");
  EXPECT_EQ(SarifLevel(Severity::kSuggestion), "note");
}

TEST(FindingTest, CodeSpellings) {
  EXPECT_EQ(FindingCodeName(FindingCode::kUnknownAction), "UNKNOWN_ACTION");
  EXPECT_EQ(FindingId(FindingCode::kUnknownAction), "unknown-action");
  EXPECT_EQ(FindingId(FindingCode::kAwsAccessKeyId), "aws-access-key-id");
  EXPECT_EQ(FindingId(FindingCode::kPublicTablePolicy), "public-table-policy");
  EXPECT_EQ(FindingCodeName(FindingCode::kNotAPolicy), "NOT_A_POLICY");
}

// The id is the name in lower case with hyphens, and both spellings lead
// back to the code; no two codes share a spelling.
TEST(FindingTest, EverySpellingParsesBack) {
  std::set<std::string> seen;
  for (int i = 0; i < kCodeCount; ++i) {
    const FindingCode code = static_cast<FindingCode>(i);
    const std::string name(FindingCodeName(code));
    const std::string id(FindingId(code));
    ASSERT_FALSE(name.empty()) << i;
    EXPECT_EQ(id,
              absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", "-"}}));
    EXPECT_EQ(ParseFindingCode(name), code) << name;
    EXPECT_EQ(ParseFindingCode(id), code) << id;
    EXPECT_TRUE(seen.insert(name).second) << name;
  }
}

TEST(FindingTest, UnknownSpellingsAreRejected) {
  EXPECT_EQ(ParseFindingCode(""), std::nullopt);
  EXPECT_EQ(ParseFindingCode("unknown_action"), std::nullopt);
  EXPECT_EQ(ParseFindingCode("Unknown-Action"), std::nullopt);
  EXPECT_EQ(ParseFindingCode("UNKNOWN-ACTION"), std::nullopt);
}

TEST(FindingTest, WhereFindingsAreLocated) {
  EXPECT_TRUE(IsCodeFinding(FindingCode::kAwsAccessKeyId));
  EXPECT_TRUE(IsCodeFinding(FindingCode::kDjangoDebugTrue));
  EXPECT_TRUE(IsCodeFinding(FindingCode::kUnresolvedTable));
  EXPECT_TRUE(IsCodeFinding(FindingCode::kScanError));
  EXPECT_FALSE(IsCodeFinding(FindingCode::kUnknownAction));
  EXPECT_FALSE(IsCodeFinding(FindingCode::kPublicTablePolicy));
  EXPECT_FALSE(IsCodeFinding(FindingCode::kScanWhereQuerySuffices));
}

}  // namespace
}  // namespace leastpriv
