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

// Oracle for substituted patterns: plain recursion over the definition,
// with `literal` marking characters that match only themselves.
bool OracleMatchMarked(const std::string& p, const std::vector<bool>& literal,
                       size_t i, const std::string& t, size_t j) {
  if (i == p.size()) return j == t.size();
  if (p[i] == '*' && !literal[i]) {
    for (size_t k = j; k <= t.size(); ++k) {
      if (OracleMatchMarked(p, literal, i + 1, t, k)) return true;
    }
    return false;
  }
  if (j == t.size()) return false;
  if ((p[i] == '?' && !literal[i]) || p[i] == t[j]) {
    return OracleMatchMarked(p, literal, i + 1, t, j + 1);
  }
  return false;
}

TEST(GlobPatternTest, LiteralCharactersMatchOnlyThemselves) {
  GlobPattern p = GlobPattern::Wildcards("home/");
  p.Append("a*b", /*is_literal=*/true);
  p.Append("/*", /*is_literal=*/false);
  EXPECT_TRUE(GlobMatch(p, "home/a*b/x"));
  EXPECT_TRUE(GlobMatch(p, "home/a*b/"));
  EXPECT_FALSE(GlobMatch(p, "home/axxb/x"));
  EXPECT_FALSE(GlobMatch(p, "home/ab/x"));
  GlobPattern q = GlobPattern::Literal("x?");
  EXPECT_TRUE(GlobMatch(q, "x?"));
  EXPECT_FALSE(GlobMatch(q, "xy"));
  EXPECT_FALSE(q.HasWildcards());
  EXPECT_TRUE(GlobPattern::Wildcards("x?").HasWildcards());
  EXPECT_TRUE(
      GlobMatch(GlobPattern::Wildcards("X?"), "xy", GlobCase::kInsensitive));
  // A literal star in a middle segment, between wildcard stars.
  GlobPattern r = GlobPattern::Wildcards("*");
  r.Append("*", true);
  r.Append("*", false);
  EXPECT_TRUE(GlobMatch(r, "ab*cd"));
  EXPECT_FALSE(GlobMatch(r, "abcd"));
}

TEST(GlobPatternTest, AgreesWithOracleOnRandomMarkedPatterns) {
  std::mt19937 rng(20261206);
  const std::string pattern_alphabet = "ab*?";
  const std::string text_alphabet = "ab*?";
  int matches = 0;
  for (int round = 0; round < 20000; ++round) {
    GlobPattern p;
    for (int i = rng() % 9; i > 0; --i) {
      const char c = pattern_alphabet[rng() % 4];
      p.Append(std::string_view(&c, 1), rng() % 3 == 0);
    }
    std::string t;
    for (int i = rng() % 10; i > 0; --i) t += text_alphabet[rng() % 4];
    const bool expected = OracleMatchMarked(p.text, p.literal, 0, t, 0);
    matches += expected;
    ASSERT_EQ(GlobMatch(p, t), expected)
        << "pattern \"" << p.text << "\" text \"" << t << "\"";
  }
  EXPECT_GT(matches, 1000);
  EXPECT_LT(matches, 19000);
}

TEST(ActionMatchesTest, IgnoresCase) {
  EXPECT_TRUE(ActionMatches("dynamodb:GetItem", "DynamoDB:getitem"));
  EXPECT_TRUE(ActionMatches("dynamodb:Get*", "dynamodb:GetItem"));
  EXPECT_TRUE(ActionMatches("*", "dynamodb:Query"));
  EXPECT_FALSE(ActionMatches("dynamodb:Get*", "dynamodb:BatchGetItem"));
}

TEST(ArnMatchesTest, ComponentRules) {
  const std::string table =
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
  struct ArnCase {
    const char* pattern;
    std::string arn;
    bool match;
  };
  const ArnCase cases[] = {
      {"*", "anything:at:all", true},
      {"*", "", true},
      {"arn:aws:dynamodb:us-east-1:111122223333:table/Orders", table, true},
      // The first five components ignore case, the resource part does not.
      {"ARN:AWS:DYNAMODB:US-EAST-1:111122223333:table/Orders", table, true},
      {"arn:aws:dynamodb:us-east-1:111122223333:TABLE/Orders", table, false},
      // Wildcards before the resource part stay inside their component.
      {"arn:aws:dynamodb:*:table/Orders", table, false},
      {"arn:aws:dynamodb:*:*:table/Orders", table, true},
      {"arn:aws:dynamodb:us-east-?:*:table/Ord?rs", table, true},
      {"arn:aws:dynamodb:us-east-1?:*:table/Orders", table, false},
      // In the resource part `*` crosses '/' and ':'.
      {"arn:aws:dynamodb:*:*:table/*", table + "/index/ByDate", true},
      {"arn:aws:dynamodb:*:*:table/*",
       table + "/stream/2024-01-01T00:00:00.000", true},
      {"arn:aws:dynamodb:*:*:table/Orders", table + "/index/ByDate", false},
      {"arn:aws:dynamodb:*:*:*", "arn:aws:dynamodb:r:1:a:b:c", true},
      // Fewer than six components: the last must end in `*`, which takes the
      // rest of the ARN, ignoring case.
      {"arn:aws:dynamodb:*", table, true},
      {"arn:aws:dynamodb:us-*", table, true},
      {"arn:aws:dynamodb:us-east-1:*TABLE/orders*", table, true},
      {"arn:aws:dynamodb:us-east-1:*TABLE/order", table, false},
      {"arn:aws:dynamodb", table, false},
      {"arn:aws:dynamodb:", table, false},
      {"arn:aws:s3:*", table, false},
      {"arn:aws:dynamodb:*", "arn:aws", false},
      {"", "", false},
      // The ARN needs six components for a six-component pattern.
      {"arn:aws:dynamodb:*:*:table/Orders", "Orders", false},
      {"arn:aws:dynamodb:*:*:*", "arn:aws:dynamodb:r:1", false},
  };
  for (const ArnCase& c : cases) {
    EXPECT_EQ(ArnMatches(c.pattern, c.arn), c.match)
        << "pattern \"" << c.pattern << "\" arn \"" << c.arn << "\"";
    EXPECT_EQ(ArnMatches(GlobPattern::Wildcards(c.pattern), c.arn), c.match)
        << "pattern \"" << c.pattern << "\" arn \"" << c.arn << "\"";
  }
}

TEST(ArnMatchesTest, LiteralCharactersOfSubstitutedPatterns) {
  // arn:aws:dynamodb:*:*:table/${aws:username}-* with the user name "a*".
  GlobPattern p = GlobPattern::Wildcards("arn:aws:dynamodb:*:*:table/");
  p.Append("a*", true);
  p.Append("-*", false);
  EXPECT_TRUE(ArnMatches(p, "arn:aws:dynamodb:r:1:table/a*-x"));
  EXPECT_FALSE(ArnMatches(p, "arn:aws:dynamodb:r:1:table/ab-x"));
  // A literal "*" alone is not the match-everything pattern.
  EXPECT_FALSE(
      ArnMatches(GlobPattern::Literal("*"), "arn:aws:dynamodb:r:1:table/T"));
  // It is a one-component pattern without a final wildcard '*'.
  EXPECT_FALSE(ArnMatches(GlobPattern::Literal("*"), "*"));
  // A short pattern whose final '*' is literal matches nothing.
  GlobPattern q = GlobPattern::Wildcards("arn:aws:dynamodb:");
  q.Append("*", true);
  EXPECT_FALSE(ArnMatches(q, "arn:aws:dynamodb:*"));
  EXPECT_TRUE(ArnPatternMatchesNothing(q.text, q.literal));
  // Split once, matched many times.
  const ColonSplit parts = SplitAtColons(p.text);
  EXPECT_EQ(parts.count, 6u);
  const std::string arn = "arn:aws:dynamodb:r:1:table/a*-y";
  EXPECT_TRUE(ArnMatches(p, parts, arn, SplitAtColons(arn)));
}

TEST(ArnPatternMatchesNothingTest, ShortPatternsWithoutFinalStar) {
  EXPECT_TRUE(ArnPatternMatchesNothing(""));
  EXPECT_TRUE(ArnPatternMatchesNothing("arn:aws:dynamodb:"));
  EXPECT_TRUE(ArnPatternMatchesNothing("arn:aws:dynamodb:us-east-1"));
  EXPECT_FALSE(ArnPatternMatchesNothing("arn:aws:dynamodb:*"));
  EXPECT_FALSE(ArnPatternMatchesNothing("*"));
  EXPECT_TRUE(ArnPatternMatchesNothing("*", {true}));
  // Six components always can match something (itself, for a literal ARN).
  EXPECT_FALSE(ArnPatternMatchesNothing("arn:aws:s3:::bucket"));
  EXPECT_FALSE(ArnPatternMatchesNothing("arn:aws:dynamodb:r:1:"));
}

TEST(SplitAtColonsTest, FirstFiveColons) {
  const ColonSplit parts = SplitAtColons("a:b::d:e:f:g/h");
  ASSERT_EQ(parts.count, 6u);
  EXPECT_EQ(parts.at[2], std::make_pair(size_t{4}, size_t{4}));
  // The sixth part keeps its colons: "f:g/h".
  EXPECT_EQ(parts.at[5], std::make_pair(size_t{9}, size_t{14}));
  EXPECT_EQ(SplitAtColons("abc").count, 1u);
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
