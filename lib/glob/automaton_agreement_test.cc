// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The symbolic engine compiles patterns into automata (smt::TokenPattern) to
// partition strings; the evaluator matches with lib/glob. Both must decide
// every pattern and string alike. This test holds the automata to the one
// matcher on random patterns with literal characters, ARN patterns of every
// length and strings over an alphabet where they meet often.

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "lib/glob/glob.h"
#include "lib/smt/glob_partition.h"

namespace leastpriv {
namespace {

std::string RandomString(std::mt19937& rng, std::string_view alphabet,
                         int max_len) {
  std::string s;
  for (int i = rng() % (max_len + 1); i > 0; --i) {
    s += alphabet[rng() % alphabet.size()];
  }
  return s;
}

GlobPattern RandomMarked(std::mt19937& rng, const std::string& text) {
  GlobPattern p;
  for (char c : text) p.Append(std::string_view(&c, 1), rng() % 4 == 0);
  return p;
}

TEST(AutomatonAgreementTest, WildcardPatterns) {
  std::mt19937 rng(7);
  int matches = 0;
  for (int round = 0; round < 20000; ++round) {
    const GlobPattern p = RandomMarked(rng, RandomString(rng, "aB:*?", 7));
    const std::string t = RandomString(rng, "abAB:*?", 8);
    for (GlobCase glob_case : {GlobCase::kSensitive, GlobCase::kInsensitive}) {
      const bool fold = glob_case == GlobCase::kInsensitive;
      const bool want = GlobMatch(p, t, glob_case);
      matches += want;
      ASSERT_EQ(smt::TokenPattern::Wildcard(p.text, fold, p.literal).Matches(t),
                want)
          << "pattern \"" << p.text << "\" text \"" << t << "\" fold " << fold;
    }
  }
  EXPECT_GT(matches, 1000);
}

TEST(AutomatonAgreementTest, ArnPatterns) {
  std::mt19937 rng(11);
  int matches = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string prefix = "arn:aws:dynamodb:";
    GlobPattern p =
        GlobPattern::Wildcards(prefix.substr(0, rng() % (prefix.size() + 1)));
    const GlobPattern rest = RandomMarked(rng, RandomString(rng, "aB:/*?", 9));
    for (size_t i = 0; i < rest.text.size(); ++i) {
      p.Append(rest.text.substr(i, 1), rest.literal[i]);
    }
    const std::string arn =
        "arn:aws:dynamodb:" + RandomString(rng, "abAB:/*", 10);
    const bool want = ArnMatches(p, arn);
    matches += want;
    ASSERT_EQ(smt::TokenPattern::ArnMatchesNothing(p.text, p.literal),
              ArnPatternMatchesNothing(p.text, p.literal))
        << "pattern \"" << p.text << "\"";
    if (ArnPatternMatchesNothing(p.text, p.literal)) {
      ASSERT_FALSE(want) << "pattern \"" << p.text << "\" arn \"" << arn
                         << "\"";
      continue;
    }
    ASSERT_EQ(smt::TokenPattern::Arn(p.text, p.literal).Matches(arn), want)
        << "pattern \"" << p.text << "\" arn \"" << arn << "\"";
  }
  EXPECT_GT(matches, 200);  // 402 with this seed
}

}  // namespace
}  // namespace leastpriv
