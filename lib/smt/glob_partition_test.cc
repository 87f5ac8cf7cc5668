// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/glob_partition.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/glob/glob.h"

namespace leastpriv::smt {
namespace {

// TokenPattern::Matches agrees with lib/glob's ArnMatches (the evaluator's
// matcher) on random ARN patterns and strings, by its bit-set automaton
// (short patterns) and by its position lists (a pattern of several hundred
// tokens: the same pattern behind a run of resource-part stars, which
// still matches as one).
TEST(GlobPatternTest, MatchesAgreesWithTheEvaluatorAtEveryLength) {
  std::mt19937 rng(20261207);
  auto pick = [&](const std::string& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  };
  auto text = [&](const std::string& alphabet, int max) {
    std::string s;
    const int n = std::uniform_int_distribution<int>(0, max)(rng);
    for (int i = 0; i < n; ++i) s += pick(alphabet);
    return s;
  };
  const std::string pattern_chars = "aAb*?:/-";
  const std::string string_chars = "aAb:/-";
  int matched = 0;
  for (int round = 0; round < 1000; ++round) {
    const std::string part = text(pattern_chars, 6);
    const std::string pattern = "arn:" + text("aA*?", 3) +
                                ":dynamodb:" + text("ab*?-", 3) + ":" +
                                text("1*?", 2) + ":table/" + part;
    // Half the strings are instances of the pattern: its wildcards filled
    // in, within their component before the resource part.
    std::string arn;
    if (round % 2 == 0) {
      arn = "arn:" + text("aA", 2) + ":dynamodb:" + text("ab-", 3) + ":" +
            text("1", 2) + ":table/" + text(string_chars, 7);
    } else {
      const size_t resource = pattern.find(":table/") + 7;
      for (size_t i = 0; i < pattern.size(); ++i) {
        const std::string fill = i < resource ? "ab" : string_chars;
        if (pattern[i] == '*') {
          arn += text(fill, 2);
        } else if (pattern[i] == '?') {
          arn += pick(fill);
        } else {
          arn += pattern[i];
        }
      }
    }
    const bool want = ArnMatches(pattern, arn);
    EXPECT_EQ(TokenPattern::Arn(pattern).Matches(arn), want)
        << pattern << " " << arn;
    const std::string short_form =
        pattern.substr(0, pattern.find(":table/") + 7) + "*" + part;
    EXPECT_EQ(TokenPattern::Arn(short_form).Matches(arn),
              ArnMatches(short_form, arn))
        << short_form << " " << arn;
    if (round % 4 == 0) {
      // (Past kWordsForSmall * 64 tokens with the text around it; the long
      // path is slow, so one round in four.)
      const std::string stars(240, '*');
      const std::string padded =
          pattern.substr(0, pattern.find(":table/") + 7) + "*" + stars + part;
      EXPECT_EQ(TokenPattern::Arn(padded).Matches(arn),
                TokenPattern::Arn(short_form).Matches(arn))
          << padded.size() << " " << short_form << " " << arn;
    }
    matched += want;
  }
  // Both outcomes occur.
  EXPECT_GT(matched, 25);
  EXPECT_LT(matched, 975);
}

TEST(GlobPatternTest, WildcardsAndCase) {
  EXPECT_TRUE(TokenPattern::Wildcard("dynamodb:Get*", true)
                  .Matches("DynamoDB:getitem"));
  EXPECT_FALSE(TokenPattern::Wildcard("dynamodb:Get*", false)
                   .Matches("dynamodb:getitem"));
  EXPECT_TRUE(TokenPattern::Wildcard("a?c", false).Matches("abc"));
  EXPECT_FALSE(TokenPattern::Wildcard("a?c", false).Matches("ac"));
  EXPECT_TRUE(TokenPattern::Literal("a*", false).Matches("a*"));
  EXPECT_FALSE(TokenPattern::Literal("a*", false).Matches("ab"));
}

TEST(GlobPatternTest, ArnComponentsAndCase) {
  TokenPattern p = TokenPattern::Arn("arn:aws:dynamodb:*:*:table/Orders");
  EXPECT_TRUE(p.Matches("ARN:AWS:DynamoDB:us-east-1:1:table/Orders"));
  EXPECT_FALSE(p.Matches("arn:aws:dynamodb:us-east-1:1:table/orders"));
  // A component wildcard does not cross ':'.
  EXPECT_FALSE(p.Matches("arn:aws:dynamodb:a:b:c:table/Orders"));
  TokenPattern sub = TokenPattern::Arn("arn:aws:dynamodb:*:*:table/Orders*");
  EXPECT_TRUE(sub.Matches("arn:aws:dynamodb:r:1:table/Orders/index/x"));
  EXPECT_TRUE(TokenPattern::Arn("*").Matches("anything:at:all"));
}

// Regression (found by fuzz/glob_fuzzer.cc): patterns with fewer than six
// components follow eval::ArnMatches, where a final `*` absorbs the rest of
// the ARN, colons included, and any other short pattern matches nothing.
TEST(GlobPatternTest, ShortArnPatternsMatchLikeTheEvaluator) {
  const std::string arn =
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
  EXPECT_TRUE(TokenPattern::Arn("arn:aws:dynamodb:us-east-1:*").Matches(arn));
  EXPECT_TRUE(TokenPattern::Arn("arn:aws:dynamodb:*").Matches(arn));
  EXPECT_TRUE(TokenPattern::Arn("ARN:AWS:DYNAMODB:US-*").Matches(arn));
  // The rest of the ARN compares case-insensitively.
  EXPECT_FALSE(TokenPattern::Arn("arn:aws:dynamodb:us-east-1:*TABLE/order")
                   .Matches(arn));
  EXPECT_TRUE(TokenPattern::Arn("arn:aws:dynamodb:us-east-1:*TABLE/orders*")
                  .Matches(arn));
  EXPECT_FALSE(TokenPattern::Arn("arn:aws:s3:*").Matches(arn));
  // Not ending in `*`: matches nothing, not even itself.
  // (The request model drops such patterns: ArnMatchesNothing.)
  EXPECT_TRUE(TokenPattern::ArnMatchesNothing("arn:aws:dynamodb:"));
  EXPECT_TRUE(TokenPattern::ArnMatchesNothing("arn:aws:dynamodb:us-east-1"));
  EXPECT_TRUE(TokenPattern::ArnMatchesNothing(""));
  EXPECT_FALSE(TokenPattern::ArnMatchesNothing("arn:aws:dynamodb:*"));
  EXPECT_FALSE(TokenPattern::ArnMatchesNothing("*"));
  EXPECT_FALSE(
      TokenPattern::Arn("arn:aws:dynamodb:us-east-1:*:table").Matches(arn));
}

TEST(PartitionTest, ClassesAreExactAndWitnessed) {
  std::vector<TokenPattern> pats = {TokenPattern::Wildcard("a*", false),
                                    TokenPattern::Wildcard("*b", false),
                                    TokenPattern::Literal("ab", false)};
  auto part = Partition::Build(pats);
  ASSERT_TRUE(part.ok()) << part.status();
  // Signatures: {}, {a*}, {*b}, {a*,*b} (e.g. "axb"), {a*,*b,ab}.
  EXPECT_EQ(part->size(), 5u);
  std::set<std::vector<bool>> sigs;
  for (std::size_t c = 0; c < part->size(); ++c) {
    const std::string& w = part->at(c).witness;
    std::vector<bool> sig;
    for (std::size_t i = 0; i < pats.size(); ++i) {
      EXPECT_EQ(pats[i].Matches(w), part->InPattern(c, i)) << w;
      sig.push_back(part->InPattern(c, i));
    }
    EXPECT_TRUE(sigs.insert(sig).second);
    EXPECT_EQ(part->ClassOf(w), c);
  }
}

TEST(PartitionTest, CaseInsensitiveLiteralSplitsFromSensitive) {
  std::vector<TokenPattern> pats = {TokenPattern::Literal("Foo", false),
                                    TokenPattern::Literal("foo", true)};
  auto part = Partition::Build(pats);
  ASSERT_TRUE(part.ok());
  // {}, {foo~} ("foo"/"FOO"), {Foo, foo~}.
  EXPECT_EQ(part->size(), 3u);
}

TEST(PartitionTest, StateLimitIsResourceExhausted) {
  std::vector<TokenPattern> pats;
  for (int i = 0; i < 8; ++i) {
    pats.push_back(
        TokenPattern::Wildcard("*a*b*c*" + std::to_string(i), false));
  }
  auto part = Partition::Build(pats, 10);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(part.status().message().find("automaton states"),
            std::string::npos);
}

// Pathological patterns: each finishes quickly with an exact partition or a
// clean ResourceExhausted, in bounded memory.
std::string StarRun(char c, int length) {
  std::string p;
  while (static_cast<int>(p.size()) + 2 <= length) p += std::string("*") + c;
  return p + "*";
}

TEST(PartitionLimitsTest, ThousandCharacterStarPattern) {
  const std::string pattern = StarRun('a', 1000);  // "*a*a*...*a*"
  ASSERT_EQ(pattern.size(), 1001u);
  auto part = Partition::Build({TokenPattern::Wildcard(pattern, false)});
  ASSERT_TRUE(part.ok()) << part.status();
  ASSERT_EQ(part->size(), 2u);
  EXPECT_EQ(part->ClassOf(std::string(499, 'a')), part->ClassOf(""));
  EXPECT_NE(part->ClassOf(std::string(500, 'a')), part->ClassOf(""));
  for (std::size_t c = 0; c < part->size(); ++c) {
    EXPECT_EQ(part->patterns()[0].Matches(part->at(c).witness),
              part->InPattern(c, 0));
  }
}

TEST(PartitionLimitsTest, TenThousandQuestionMarks) {
  auto part = Partition::Build(
      {TokenPattern::Wildcard(std::string(10000, '?'), false)});
  ASSERT_TRUE(part.ok()) << part.status();
  ASSERT_EQ(part->size(), 2u);
  const std::size_t in = part->ClassOf(std::string(10000, 'x'));
  EXPECT_TRUE(part->InPattern(in, 0));
  EXPECT_EQ(part->at(in).witness.size(), 10000u);
  EXPECT_FALSE(part->InPattern(part->ClassOf(std::string(9999, 'x')), 0));
}

TEST(PartitionLimitsTest, ProductOfStarPatternsStopsAtTheLimit) {
  // Four independent counters of up to 500 each: far more product states
  // than the limit, and every state holds thousands of NFA positions.
  std::vector<TokenPattern> pats;
  for (char c : std::string("abcd")) {
    pats.push_back(TokenPattern::Wildcard(StarRun(c, 1000), false));
  }
  auto part = Partition::Build(pats);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(part.status().message().find("automaton"), std::string::npos)
      << part.status();
}

// The shapes of table, index and global-table ARNs, as the request model
// builds them.
std::vector<TokenPattern> TestShapes() {
  auto shape = [](const std::string& region, const std::string& rest,
                  int names) {
    TokenPattern g;
    g.AddLiteral("arn:aws:dynamodb:", false);
    if (region == "NAME") {
      g.AddName(CharRange::kNoColonSlash);
    } else {
      g.AddLiteral(region, false);
    }
    g.AddLiteral(":", false)
        .AddName(CharRange::kNoColonSlash)
        .AddLiteral(rest, false);
    g.AddName(CharRange::kNoColonSlash);
    if (names == 2)
      g.AddLiteral("/index/", false).AddName(CharRange::kNoColonSlash);
    return g;
  };
  return {shape("NAME", ":table/", 1), shape("NAME", ":table/", 2),
          shape("", ":global-table/", 1)};
}

// BuildArns gives exactly the classes of Build that lie in some shape:
// the same signatures, each witness in its class.
TEST(PartitionTest, ArnComponentsGiveTheClassesOfTheWholeString) {
  const std::vector<std::string> vocabulary = {
      "*",
      "arn:aws:dynamodb:us-*:1111*:table/Se*",
      "arn:aws:dynamodb:*:*:table/*ns",
      "arn:aws:dynamodb:*:111122223333:table/users",
      "arn:aws:dynamodb:*:*:table/Se?s*/index/*",
      "arn:aws:dynamodb::*:global-table/u*",
      "arn:aws:dynamodb:*-1:*:table/*/index/B?",
      "arn:aws:dynamodb:eu-*",
      "arn:aws:*:*:*:table/*s/*",
      "arn:aws:dynamodb:*:*:table/**x",
      "arn:aws:dynamodb:us-east-1:1111?2222333:table/Sess"};
  std::mt19937 rng(5);
  for (int round = 0; round < 40; ++round) {
    std::vector<TokenPattern> pats = TestShapes();
    const std::vector<std::size_t> shapes = {0, 1, 2};
    const int count = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < count; ++i) {
      pats.push_back(TokenPattern::Arn(vocabulary[rng() % vocabulary.size()]));
    }
    auto whole = Partition::Build(pats, 2000000);
    ASSERT_TRUE(whole.ok()) << whole.status();
    auto split = Partition::BuildArns(pats, shapes, {"*"});
    ASSERT_TRUE(split.ok()) << split.status();
    std::set<Signature> expected, got;
    for (std::size_t c = 0; c < whole->size(); ++c) {
      const Signature& sig = whole->at(c).members;
      if (SignatureHas(sig, 0) || SignatureHas(sig, 1) || SignatureHas(sig, 2))
        expected.insert(sig);
    }
    for (std::size_t c = 0; c + 1 < split->size(); ++c) {
      const StringClass& k = split->at(c);
      got.insert(k.members);
      for (std::size_t i = 0; i < pats.size(); ++i) {
        EXPECT_EQ(pats[i].Matches(k.witness), SignatureHas(k.members, i))
            << k.witness;
      }
    }
    EXPECT_EQ(got, expected) << "round " << round;
    EXPECT_EQ(split->at(split->ClassOf("*")).witness, "*");
  }
}

// Shapes with the names AWS accepts: a class no valid name lies in gets no
// class at all, and witnesses prefer the hints and the patterns' literals.
TEST(PartitionTest, NameShapesLeaveOutInvalidNamesAndReadWell) {
  TokenPattern shape;
  shape.AddLiteral("arn:aws:dynamodb:", false);
  shape.AddExactly(CharRange::kLower, 2).AddLiteral("-", false);
  shape.AddExactly(CharRange::kLower, 1).AddStar(CharRange::kLowerDash);
  shape.AddLiteral("-", false)
      .AddExactly(CharRange::kDigit, 1)
      .AddStar(CharRange::kDigit);
  shape.AddLiteral(":", false)
      .AddExactly(CharRange::kDigit, 12)
      .AddLiteral(":table/", false);
  shape.AddExactly(CharRange::kNameChar, 3).AddStar(CharRange::kNameChar);
  std::vector<TokenPattern> pats = {
      shape,
      TokenPattern::Arn("arn:aws:dynamodb:*:*:table/q"),
      TokenPattern::Arn("arn:aws:dynamodb:*:*:table/shop-*"),
      TokenPattern::Arn("arn:aws:dynamodb:*:*:table/Orders*"),
      TokenPattern::Arn("arn:aws:dynamodb:us-*:*:table/*"),
      TokenPattern::Arn("arn:aws:dynamodb:zz-*:*:table/*"),
      TokenPattern::Arn("arn:aws:dynamodb:*:*:table/*!")};
  WitnessHints hints;
  hints.component[3] = {"us-east-1", "eu-west-1"};
  hints.component[4] = {"111122223333"};
  hints.names = {"Orders"};
  auto part = Partition::BuildArns(pats, {0}, {"*"}, 200000, hints);
  ASSERT_TRUE(part.ok()) << part.status();
  std::set<std::string> witnesses;
  for (std::size_t c = 0; c < part->size(); ++c) {
    const StringClass& k = part->at(c);
    witnesses.insert(k.witness);
    for (std::size_t i = 0; i < pats.size(); ++i) {
      EXPECT_EQ(pats[i].Matches(k.witness), SignatureHas(k.members, i))
          << k.witness;
    }
    // "table/q" and names ending in '!' are no table names.
    EXPECT_FALSE(SignatureHas(k.members, 1)) << k.witness;
    EXPECT_FALSE(SignatureHas(k.members, 6)) << k.witness;
  }
  EXPECT_TRUE(
      witnesses.count("arn:aws:dynamodb:us-east-1:111122223333:table/Orders"));
  EXPECT_TRUE(witnesses.count(
      "arn:aws:dynamodb:us-east-1:111122223333:table/shop-audit"));
  // A region no hint matches gets a made-up one shaped like a region.
  bool made_up = false;
  for (const std::string& w : witnesses) {
    made_up |= w.rfind("arn:aws:dynamodb:zz-", 0) == 0;
  }
  EXPECT_TRUE(made_up);
}

// The ranges of principal values: IAM names and upper-case unique ids.
TEST(PartitionTest, PrincipalValueRanges) {
  TokenPattern name = TokenPattern().AddName(CharRange::kIamNameChar);
  EXPECT_TRUE(name.Matches("ops+deploy=1,x.y@corp-z_"));
  EXPECT_FALSE(name.Matches(""));
  EXPECT_FALSE(name.Matches("a*"));
  EXPECT_FALSE(name.Matches("ops/alice"));
  TokenPattern id = TokenPattern::Literal("AIDA", false);
  id.AddExactly(CharRange::kUpperDigit, 2).AddStar(CharRange::kUpperDigit);
  EXPECT_TRUE(id.Matches("AIDAX9"));
  EXPECT_TRUE(id.Matches("AIDACKCEVSQ6C2EXAMPLE"));
  EXPECT_FALSE(id.Matches("AIDAx9"));
  EXPECT_FALSE(id.Matches("AIDA9"));
  // The class of "a*" lies outside the names; the others' witnesses match.
  std::vector<TokenPattern> pats = {name, id,
                                    TokenPattern::Literal("a*", false),
                                    TokenPattern::Wildcard("a*", false)};
  auto part = Partition::Build(pats);
  ASSERT_TRUE(part.ok()) << part.status();
  const std::size_t star = part->ClassOf("a*");
  EXPECT_FALSE(part->InPattern(star, 0));
  EXPECT_TRUE(part->InPattern(star, 2));
  for (std::size_t c = 0; c < part->size(); ++c) {
    for (std::size_t i = 0; i < pats.size(); ++i) {
      EXPECT_EQ(pats[i].Matches(part->at(c).witness), part->InPattern(c, i))
          << part->at(c).witness;
    }
  }
}

// The wildcard-heavy shapes that exceed Build's limits stay small per
// component.
TEST(PartitionTest, ArnComponentsScaleToWildcardHeavyPatterns) {
  std::vector<TokenPattern> pats = TestShapes();
  const std::vector<std::string> names = {
      "Sessions", "users_prod",  "Orders-2024", "audit_log",
      "carts",    "tenant-acme", "events",      "ledger"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    for (const char* region : {"us-*", "*", "eu-west-?"}) {
      const std::string p =
          std::string("arn:aws:dynamodb:") + region + ":1111*:table/";
      pats.push_back(TokenPattern::Arn(p + n.substr(0, 3) + "*/index/*"));
      pats.push_back(TokenPattern::Arn(p + "*" + n.substr(2)));
      pats.push_back(
          TokenPattern::Arn(p + n.substr(0, 2) + "?" + n.substr(3) + "*"));
      pats.push_back(TokenPattern::Arn(p + "*" + n.substr(3) + "/*"));
    }
  }
  ASSERT_FALSE(Partition::Build(pats, 200000).ok());
  auto split = Partition::BuildArns(pats, {0, 1, 2}, {"*"}, 200000);
  ASSERT_TRUE(split.ok()) << split.status();
  for (std::size_t c = 0; c < split->size(); ++c) {
    for (std::size_t i = 0; i < pats.size(); ++i) {
      ASSERT_EQ(pats[i].Matches(split->at(c).witness), split->InPattern(c, i));
    }
  }
}

}  // namespace
TEST(GlobPatternTest, ShortArnPatternsAbsorbTheRest) {
  TokenPattern p = TokenPattern::Arn("arn:aws:lambda:eu-*");
  EXPECT_TRUE(p.Matches("arn:aws:lambda:EU-west-1:1:function:f"));
  EXPECT_TRUE(p.Matches("arn:aws:lambda:eu-:x"));
  EXPECT_FALSE(p.Matches("arn:aws:s3:eu-west-1:1:b"));
  EXPECT_FALSE(TokenPattern::ArnMatchesNothing("arn:aws:lambda:eu-*"));
  EXPECT_TRUE(TokenPattern::ArnMatchesNothing("arn:aws:lambda:eu"));
  EXPECT_TRUE(TokenPattern::ArnMatchesNothing(""));
  EXPECT_FALSE(TokenPattern::ArnMatchesNothing("arn:aws:s3:::bucket"));
}

// Random words over `letters` from a fixed seed, and the tails a
// representative is checked on: "" and 40 words of up to four letters.
class Words {
 public:
  Words(std::string letters, unsigned seed)
      : letters_(std::move(letters)), rng_(seed) {}
  std::string Next(int max) {
    std::string w;
    const int n = std::uniform_int_distribution<int>(0, max)(rng_);
    for (int i = 0; i < n; ++i) w += letters_[rng_() % letters_.size()];
    return w;
  }
  std::vector<std::string> Tails() {
    std::vector<std::string> tails = {""};
    for (int i = 0; i < 40; ++i) tails.push_back(Next(4));
    return tails;
  }

 private:
  std::string letters_;
  std::mt19937 rng_;
};

// Whether a value of `values` stands for `v` (see VariableValues): equal
// to it or neither a prefix of the other, the same under every pattern of
// `own`, and under every host constant on the occurrence's prefix, the
// value, its suffix and each of `tails` (only "" for a whole occurrence).
bool Represented(const std::string& v, const std::vector<std::string>& values,
                 const VariableHost& host, const std::vector<TokenPattern>& own,
                 const std::vector<std::string>& tails) {
  auto comparable = [](const std::string& a, const std::string& b) {
    return a.compare(0, b.size(), b) == 0 || b.compare(0, a.size(), a) == 0;
  };
  for (const std::string& w : values) {
    if (w != v && comparable(v, w)) continue;
    bool same = true;
    for (const TokenPattern& o : own) same &= o.Matches(v) == o.Matches(w);
    for (const TokenPattern& q : host.constants) {
      for (const VariableHost::Occurrence& o : host.occurrences) {
        for (const std::string& z : tails) {
          if (o.whole && !z.empty()) continue;
          same &= q.Matches(o.prefix + v + o.suffix + z) ==
                  q.Matches(o.prefix + w + o.suffix + z);
        }
      }
    }
    if (same) return true;
  }
  return false;
}

// Every value v of a variable has a representative w that no pattern
// tells apart from it: the own patterns agree on v and w, every host
// constant agrees on prefix+v+z and prefix+w+z for every z, and v, w are
// equal or neither is a prefix of the other.
TEST(VariableValuesTest, EveryValueHasARepresentative) {
  VariableHost host;
  host.constants = {TokenPattern::Wildcard("pre-k1-*", false),
                    TokenPattern::Wildcard("*-x", false),
                    TokenPattern::Literal("t/ab", false),
                    TokenPattern::Wildcard("t/a?c*", false)};
  host.occurrences = {{"pre-", "", false}, {"t/", "", false}};
  const std::vector<TokenPattern> own = {TokenPattern::Wildcard("k*", false),
                                         TokenPattern::Literal("k1", false)};
  auto values = VariableValues({host}, own, 1024, 200000);
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ(std::set<std::string>(values->begin(), values->end()).size(),
            values->size());
  Words words("ak1-xbcq/", 7);
  const std::vector<std::string> tails = words.Tails();
  for (int trial = 0; trial < 300; ++trial) {
    const std::string v = words.Next(6);
    EXPECT_TRUE(Represented(v, *values, host, own, tails)) << "\"" << v << "\"";
  }
}

// With the text that follows V in each occurrence, only what a constant
// does after that text tells values apart: L+v+S+z against L+w+S+z for
// every z (z empty for a whole occurrence).
TEST(VariableValuesTest, SuffixesLeaveFewerValuesEachWithARepresentative) {
  VariableHost host;
  host.constants = {TokenPattern::Literal("t/Orders/index/byDate", false),
                    TokenPattern::Wildcard("t/Ord*", false),
                    TokenPattern::Wildcard("t/a?-data*", false),
                    TokenPattern::Wildcard("t/*s-dat", false),
                    TokenPattern::Literal("k1", false),
                    TokenPattern::Wildcard("k1-*", false)};
  VariableHost bare = host;
  bare.occurrences = {{"t/", "", false}, {"", "", false}};
  host.occurrences = {{"t/", "-data", false}, {"", "", true}};
  auto before = VariableValues({bare}, {}, 1024, 200000);
  auto values = VariableValues({host}, {}, 1024, 200000);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_TRUE(values.ok()) << values.status();
  // The literal "t/Orders/index/byDate" no longer makes a value of each
  // of its prefixes: nothing after "-data" matches it.
  EXPECT_LT(values->size() * 2, before->size());
  Words words("aOrds-k1/xt", 11);
  const std::vector<std::string> tails = words.Tails();
  std::vector<std::string> tried = {"Orders", "Ord", "a", "ab", "k1", "k"};
  for (int trial = 0; trial < 300; ++trial) tried.push_back(words.Next(7));
  for (const std::string& v : tried) {
    EXPECT_TRUE(Represented(v, *values, host, {}, tails)) << "\"" << v << "\"";
  }
}

// Read past "-", "k1" and every "k1-..." are one class after "t/k1-*",
// with no member that is not a prefix of the others: the values are then
// those of the states before the suffix, and still represent every value.
TEST(VariableValuesTest, AChainOfPrefixesPastTheSuffixIsToldApart) {
  VariableHost host;
  host.constants = {TokenPattern::Wildcard("t/k1-*", false)};
  host.occurrences = {{"t/", "-", false}};
  const std::vector<TokenPattern> own = {TokenPattern::Wildcard("k*", false)};
  auto values = VariableValues({host}, own, 1024, 200000);
  ASSERT_TRUE(values.ok()) << values.status();
  for (const std::string v : {"k1", "k1-", "k1-x", "k1-x-y", "k", "x", ""}) {
    EXPECT_TRUE(Represented(v, *values, host, own, {"", "a", "-", "x-y"}))
        << "\"" << v << "\"";
  }
}

TEST(VariableValuesTest, LimitsAndUnsupportedPatterns) {
  VariableHost host;
  host.constants = {TokenPattern::Wildcard("pre-k1-*", false)};
  host.occurrences = {{"pre-", "", false}};
  auto few = VariableValues({host}, {}, 2, 200000);
  EXPECT_EQ(few.status().code(), absl::StatusCode::kResourceExhausted);
  // A wildcard spanning ARN components cannot be read by component.
  VariableHost arn;
  arn.arn = true;
  arn.constants = {TokenPattern::Wildcard("arn:*:table/x", false)};
  arn.occurrences = {{"table/", "", false}};
  EXPECT_EQ(VariableValues({arn}, {}, 1024, 200000).status().code(),
            absl::StatusCode::kUnimplemented);
  // Only the resource part of an ARN constant counts.
  arn.constants = {TokenPattern::Arn("arn:aws:dynamodb:*:*:table/k1-*")};
  auto values = VariableValues({arn}, {}, 1024, 200000);
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_NE(std::find(values->begin(), values->end(), "k1-"), values->end());
}

}  // namespace leastpriv::smt
