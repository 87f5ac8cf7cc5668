// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/glob/glob.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv {
namespace {

// Independent oracle: the textbook dynamic programme over (pattern, text)
// prefixes. Quadratic memory, so only for short inputs.
bool OracleMatch(const std::string& p, const std::string& t, bool fold) {
  auto eq = [fold](char a, char b) {
    if (fold) {
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    }
    return a == b;
  };
  std::vector<std::vector<bool>> m(p.size() + 1,
                                   std::vector<bool>(t.size() + 1, false));
  m[0][0] = true;
  for (size_t i = 1; i <= p.size(); ++i) {
    for (size_t j = 0; j <= t.size(); ++j) {
      if (p[i - 1] == '*') {
        m[i][j] = m[i - 1][j] || (j > 0 && m[i][j - 1]);
      } else if (j > 0) {
        m[i][j] =
            m[i - 1][j - 1] && (p[i - 1] == '?' || eq(p[i - 1], t[j - 1]));
      }
    }
  }
  return m[p.size()][t.size()];
}

struct Case {
  const char* pattern;
  const char* text;
  bool sensitive;
  bool insensitive;
};

TEST(GlobMatchTest, Table) {
  const Case cases[] = {
      {"", "", true, true},
      {"", "a", false, false},
      {"*", "", true, true},
      {"*", "anything at all", true, true},
      {"**", "", true, true},
      {"?", "", false, false},
      {"?", "x", true, true},
      {"?", "xy", false, false},
      {"dynamodb:GetItem", "dynamodb:GetItem", true, true},
      {"dynamodb:GetItem", "dynamodb:getitem", false, true},
      {"dynamodb:Get*", "dynamodb:GetItem", true, true},
      {"dynamodb:Get*", "dynamodb:Get", true, true},
      {"dynamodb:get*", "dynamodb:GetItem", false, true},
      {"dynamodb:*Item", "dynamodb:BatchGetItem", true, true},
      {"dynamodb:*Item", "dynamodb:GetItems", false, false},
      {"dynamodb:?etItem", "dynamodb:GetItem", true, true},
      {"dynamodb:?etItem", "dynamodb:etItem", false, false},
      {"*Get*Item*", "dynamodb:BatchGetItem", true, true},
      {"*a*a*b", "aab", true, true},
      {"*a*a*b", "ab", false, false},
      {"a*a", "a", false, false},
      {"a*a", "aa", true, true},
      {"table/*/index/*", "table/Orders/index/ByDate", true, true},
      {"table/*/index/*", "table/Orders", false, false},
      {"table/Orders", "table/orders", false, true},
      {"*?", "", false, false},
      {"*?", "z", true, true},
      {"?*?", "ab", true, true},
      {"?*?", "a", false, false},
      // Only ASCII letters fold.
      {"\xc3\x89", "\xc3\xa9", false, false},
      {"[a]", "[a]", true, true},
      {"[a]", "a", false, false},
      {"\\*", "\\anything", true, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.text), c.sensitive)
        << "pattern \"" << c.pattern << "\" text \"" << c.text << "\"";
    EXPECT_EQ(GlobMatch(c.pattern, c.text, GlobCase::kInsensitive),
              c.insensitive)
        << "pattern \"" << c.pattern << "\" text \"" << c.text << "\"";
  }
}

TEST(GlobMatchTest, AgreesWithOracleOnRandomInputs) {
  std::mt19937 rng(20240601);
  const std::string pattern_alphabet = "aAbB*?";
  const std::string text_alphabet = "aAbB";
  int matches = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string p, t;
    for (int i = rng() % 9; i > 0; --i) p += pattern_alphabet[rng() % 6];
    for (int i = rng() % 12; i > 0; --i) t += text_alphabet[rng() % 4];
    for (bool fold : {false, true}) {
      bool expected = OracleMatch(p, t, fold);
      matches += expected;
      ASSERT_EQ(
          GlobMatch(p, t, fold ? GlobCase::kInsensitive : GlobCase::kSensitive),
          expected)
          << "pattern \"" << p << "\" text \"" << t << "\" fold " << fold;
    }
  }
  // Both outcomes were exercised in quantity.
  EXPECT_GT(matches, 2000);
  EXPECT_LT(matches, 38000);
}

TEST(GlobMatchTest, LongSegmentsCrossWordBoundaries) {
  // Segments longer than 64 bytes exercise the multi-word Shift-And state.
  std::string segment;
  for (int i = 0; i < 150; ++i) segment += (i % 7 == 3) ? '?' : 'a' + i % 3;
  std::string text = std::string(300, 'c') + segment + std::string(40, 'c');
  std::string filled = text;
  for (int i = 0; i < 150; ++i) {
    if (segment[i] == '?') filled[300 + i] = 'z';
  }
  EXPECT_TRUE(GlobMatch("*" + segment + "*", filled));
  EXPECT_TRUE(GlobMatch("c*" + segment + "*c", filled));
  std::string broken = filled;
  broken[300 + 100] = 'q';  // position 100 is 'a' + 100 % 3 == 'b'
  EXPECT_FALSE(GlobMatch("*" + segment + "*", broken));
  EXPECT_TRUE(OracleMatch("*" + segment.substr(0, 40) + "*", filled, false));
}

// Pathological inputs: each must finish and give the right answer. With a
// backtracking matcher these take exponential or cubic time.
TEST(GlobMatchTest, ManyStarsAgainstLongText) {
  const std::string text(100000, 'a');
  std::string pattern;
  for (int i = 0; i < 2000; ++i) pattern += "*a";
  EXPECT_FALSE(GlobMatch(pattern + "*b", text));
  EXPECT_TRUE(GlobMatch(pattern + "*", text));
  EXPECT_TRUE(GlobMatch(pattern + "*b", text + "b"));
  EXPECT_FALSE(GlobMatch(pattern + "*", std::string(1999, 'a')));
  EXPECT_TRUE(GlobMatch(pattern, std::string(2000, 'a')));
}

TEST(GlobMatchTest, TenThousandQuestionMarks) {
  const std::string q(10000, '?');
  EXPECT_TRUE(GlobMatch(q, std::string(10000, 'x')));
  EXPECT_FALSE(GlobMatch(q, std::string(9999, 'x')));
  EXPECT_FALSE(GlobMatch(q, std::string(10001, 'x')));
  std::string text(100000, 'a');
  // A middle segment of 10,000 `?` then `b` has no occurrence in all-'a'.
  EXPECT_FALSE(GlobMatch("*" + q + "b*", text));
  text[60000] = 'b';
  EXPECT_TRUE(GlobMatch("*" + q + "b*", text));
  EXPECT_FALSE(GlobMatch("*" + q + "b*", text.substr(0, 60001).substr(55000)));
  EXPECT_TRUE(GlobMatch("*" + q + "b", text.substr(0, 60001)));
  EXPECT_TRUE(GlobMatch("*a" + q + "*", text));
}

TEST(GlobMatchTest, LongSegmentAgainstLongTextFindsOnlyOccurrence) {
  std::string text(100000, 'a');
  std::string segment(5000, 'a');
  segment[2500] = 'b';
  EXPECT_FALSE(GlobMatch("*" + segment + "*", text));
  text[70000] = 'b';
  EXPECT_TRUE(GlobMatch("*" + segment + "*", text));
  // The occurrence must start at 67500; it ends at 72500, leaving 27500 bytes.
  EXPECT_TRUE(GlobMatch("*" + segment + "*" + std::string(27500, '?'), text));
  EXPECT_FALSE(GlobMatch("*" + segment + "*" + std::string(27501, '?'), text));
}

TEST(HasWildcardTest, DetectsStarAndQuestionMark) {
  EXPECT_FALSE(HasWildcard(""));
  EXPECT_FALSE(HasWildcard("dynamodb:GetItem"));
  EXPECT_TRUE(HasWildcard("dynamodb:Get*"));
  EXPECT_TRUE(HasWildcard("table/?"));
  EXPECT_TRUE(HasWildcard("*"));
}

}  // namespace
}  // namespace leastpriv
