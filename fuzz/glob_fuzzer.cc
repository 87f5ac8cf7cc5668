// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The one IAM wildcard matcher (lib/glob: GlobMatch, ArnMatches, with the
// literal characters of substituted patterns) and the string abstraction's
// automaton (smt::TokenPattern) against a reference written here from the
// definition: a dynamic programme over (pattern, text) positions in which
// each pattern position says whether it is a wildcard, whether it ignores
// case and whether it may consume ':'. And the partition of a few patterns:
// every string falls in the class whose signature is its pattern membership,
// and every class witness has its class's signature.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzzer/FuzzedDataProvider.h"
#include "lib/glob/glob.h"
#include "lib/smt/glob_partition.h"

namespace {

void Check(bool ok, const char* what, std::string_view pattern,
           std::string_view text) {
  if (!ok) {
    std::fprintf(stderr,
                 "glob_fuzzer: %s\n  pattern: \"%.*s\"\n  text: \"%.*s\"\n",
                 what, static_cast<int>(pattern.size()), pattern.data(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
  }
}

char Fold(char c, bool fold) {
  return fold ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
              : c;
}

// One pattern position as the reference reads it.
struct Position {
  char c;
  bool wild;      // '*' or '?' that is not literal
  bool fold;      // compares ignoring ASCII case
  bool colon_ok;  // a wildcard here may consume ':'
};

// match[i][j]: pattern[i..] matches text[j..].
bool ReferenceMatch(const std::vector<Position>& p, std::string_view t) {
  std::vector<std::vector<char>> m(p.size() + 1,
                                   std::vector<char>(t.size() + 1, 0));
  m[p.size()][t.size()] = 1;
  for (size_t i = p.size(); i-- > 0;) {
    const Position& q = p[i];
    for (size_t j = t.size() + 1; j-- > 0;) {
      const bool can_take = j < t.size() && (q.colon_ok || t[j] != ':');
      if (q.wild && q.c == '*') {
        m[i][j] = m[i + 1][j] || (can_take && m[i][j + 1]);
      } else if (q.wild && q.c == '?') {
        m[i][j] = can_take && m[i + 1][j + 1];
      } else if (j < t.size() && Fold(q.c, q.fold) == Fold(t[j], q.fold)) {
        m[i][j] = m[i + 1][j + 1];
      }
    }
  }
  return m[0][0];
}

std::vector<Position> Positions(std::string_view p,
                                const std::vector<bool>& literal, bool fold) {
  std::vector<Position> out;
  for (size_t i = 0; i < p.size(); ++i) {
    const bool wild = (p[i] == '*' || p[i] == '?') && !literal[i];
    out.push_back({p[i], wild, fold, true});
  }
  return out;
}

// The Resource element's rule, read from the IAM documentation: "*" alone
// matches everything; otherwise the pattern's first five colons separate
// components whose wildcards stay inside them and which ignore case, and
// the rest (the resource part) is case-sensitive and its wildcards cross
// ':'. A pattern with fewer than five colons must end in a wildcard '*',
// and its last component then ignores case and crosses ':'.
bool ReferenceArnMatch(std::string_view p, const std::vector<bool>& literal,
                       std::string_view arn) {
  if (p.size() == 1 && p[0] == '*' && !literal[0]) return true;
  size_t colons = 0;
  for (char c : p) colons += c == ':';
  std::vector<Position> pos = Positions(p, literal, true);
  if (colons >= 5) {
    size_t seen = 0;
    for (Position& q : pos) {
      const bool prefix = seen < 5;
      seen += q.c == ':';
      q.fold = prefix;
      q.colon_ok = !prefix;
    }
  } else {
    if (p.empty() || p.back() == ':' || !pos.back().wild || p.back() != '*')
      return false;
    const size_t last_colon = p.rfind(':');
    for (size_t i = 0; i < pos.size(); ++i) {
      pos[i].colon_ok =
          last_colon != std::string_view::npos ? i > last_colon : true;
    }
  }
  return ReferenceMatch(pos, arn);
}

bool LiteralMatch(std::string_view p, std::string_view t, bool fold) {
  if (p.size() != t.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (Fold(p[i], fold) != Fold(t[i], fold)) return false;
  }
  return true;
}

// A string over a small alphabet so that patterns and texts meet often.
std::string SmallString(FuzzedDataProvider& in, size_t max_len,
                        bool wildcards) {
  static const char kPlain[] = "aAb:/x";
  static const char kWild[] = "aAb:/x**?";
  const char* alphabet = wildcards ? kWild : kPlain;
  const size_t n = wildcards ? sizeof(kWild) - 1 : sizeof(kPlain) - 1;
  const size_t len = in.ConsumeIntegralInRange<size_t>(0, max_len);
  std::string s;
  for (size_t i = 0; i < len && in.remaining_bytes() > 0; ++i) {
    const uint8_t b = in.ConsumeIntegral<uint8_t>();
    // Mostly the small alphabet, sometimes any byte.
    s += b < 240 ? alphabet[b % n] : static_cast<char>(b * 7);
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using leastpriv::GlobCase;
  using leastpriv::GlobMatch;
  namespace smt = leastpriv::smt;
  FuzzedDataProvider in(data, size);
  const bool fold = in.ConsumeBool();
  const GlobCase glob_case =
      fold ? GlobCase::kInsensitive : GlobCase::kSensitive;
  std::vector<std::string> patterns;
  const int npatterns = in.ConsumeIntegralInRange<int>(1, 4);
  for (int i = 0; i < npatterns; ++i)
    patterns.push_back(SmallString(in, 12, true));
  std::vector<std::string> texts;
  for (int i = 0; i < 4; ++i) texts.push_back(SmallString(in, 16, false));

  for (const std::string& p : patterns) {
    // Some characters of a substituted pattern are literal.
    leastpriv::GlobPattern substituted;
    const bool with_literals = in.ConsumeBool();
    for (char c : p) {
      substituted.Append(std::string_view(&c, 1),
                         with_literals && in.ConsumeBool());
    }
    const std::vector<bool> none(p.size(), false);
    const std::vector<Position> plain = Positions(p, none, fold);
    const std::vector<Position> marked =
        Positions(p, substituted.literal, fold);
    const smt::TokenPattern automaton = smt::TokenPattern::Wildcard(p, fold);
    const smt::TokenPattern marked_automaton =
        smt::TokenPattern::Wildcard(p, fold, substituted.literal);
    leastpriv::GlobPattern arn_pattern =
        leastpriv::GlobPattern::Wildcards("arn:aws:dynamodb:");
    for (size_t i = 0; i < p.size(); ++i) {
      arn_pattern.Append(std::string_view(&p[i], 1), substituted.literal[i]);
    }
    for (const std::string& t : texts) {
      const bool want = ReferenceMatch(plain, t);
      Check(GlobMatch(p, t, glob_case) == want,
            "GlobMatch disagrees with the reference", p, t);
      Check(automaton.Matches(t) == want,
            "smt::TokenPattern::Matches disagrees with the reference", p, t);
      const bool want_marked = ReferenceMatch(marked, t);
      Check(GlobMatch(substituted, t, glob_case) == want_marked,
            "GlobMatch of a substituted pattern disagrees with the reference",
            p, t);
      Check(marked_automaton.Matches(t) == want_marked,
            "smt::TokenPattern::Wildcard with literals disagrees with the "
            "reference",
            p, t);
      Check(smt::TokenPattern::Literal(p, fold).Matches(t) ==
                LiteralMatch(p, t, fold),
            "smt::TokenPattern::Literal is not literal", p, t);
      // ARN patterns: the matcher, the reference and the abstraction agree.
      // The request model drops patterns that match nothing
      // (ArnMatchesNothing) before it builds an automaton.
      const std::string arn = "arn:aws:dynamodb:" + t;
      for (const leastpriv::GlobPattern& g :
           {leastpriv::GlobPattern::Wildcards(arn_pattern.text), arn_pattern}) {
        const bool want_arn = ReferenceArnMatch(g.text, g.literal, arn);
        Check(leastpriv::ArnMatches(g, arn) == want_arn,
              "ArnMatches disagrees with the reference", g.text, arn);
        Check(leastpriv::ArnPatternMatchesNothing(g.text, g.literal) ==
                  smt::TokenPattern::ArnMatchesNothing(g.text, g.literal),
              "smt::TokenPattern::ArnMatchesNothing is not "
              "ArnPatternMatchesNothing",
              g.text, arn);
        Check((!smt::TokenPattern::ArnMatchesNothing(g.text, g.literal) &&
               smt::TokenPattern::Arn(g.text, g.literal).Matches(arn)) ==
                  want_arn,
              "smt::TokenPattern::Arn disagrees with the reference", g.text,
              arn);
        if (leastpriv::ArnPatternMatchesNothing(g.text, g.literal)) {
          Check(!want_arn, "a pattern that matches nothing matches", g.text,
                arn);
        }
      }
    }
  }

  // The partition of the patterns is exact.
  std::vector<smt::TokenPattern> compiled;
  for (const std::string& p : patterns) {
    compiled.push_back(in.ConsumeBool() ? smt::TokenPattern::Arn(p)
                                        : smt::TokenPattern::Wildcard(p, fold));
  }
  absl::StatusOr<smt::Partition> part = smt::Partition::Build(compiled, 20000);
  if (!part.ok()) {
    Check(part.status().code() == absl::StatusCode::kResourceExhausted,
          "Partition::Build fails with an unexpected code", patterns[0], "");
    return 0;
  }
  for (size_t c = 0; c < part->size(); ++c) {
    const std::string& w = part->at(c).witness;
    for (size_t i = 0; i < compiled.size(); ++i) {
      Check(compiled[i].Matches(w) == part->InPattern(c, i),
            "a class witness does not have its class's signature", patterns[i],
            w);
    }
  }
  for (const std::string& t : texts) {
    const size_t c = part->ClassOf(t);
    for (size_t i = 0; i < compiled.size(); ++i) {
      Check(compiled[i].Matches(t) == part->InPattern(c, i),
            "ClassOf gives a class whose signature differs", patterns[i], t);
    }
  }
  return 0;
}
