// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The three glob matchers (lib/glob, the evaluator's, the string
// abstraction's automaton) against a plain dynamic-programming reference, the
// two ARN matchers against each other, and the partition of a few patterns:
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
#include "lib/eval/match.h"
#include "lib/glob/glob.h"
#include "lib/smt/glob_partition.h"

namespace {

void Check(bool ok, const char* what, std::string_view pattern,
           std::string_view text) {
  if (!ok) {
    std::fprintf(stderr, "glob_fuzzer: %s\n  pattern: \"%.*s\"\n  text: \"%.*s\"\n",
                 what, static_cast<int>(pattern.size()), pattern.data(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
  }
}

char Fold(char c, bool fold) {
  return fold ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// match[i][j]: pattern[i..] matches text[j..].
bool ReferenceMatch(std::string_view p, std::string_view t, bool fold) {
  std::vector<std::vector<char>> m(p.size() + 1, std::vector<char>(t.size() + 1, 0));
  m[p.size()][t.size()] = 1;
  for (size_t i = p.size(); i-- > 0;) {
    for (size_t j = t.size() + 1; j-- > 0;) {
      if (p[i] == '*') {
        m[i][j] = m[i + 1][j] || (j < t.size() && m[i][j + 1]);
      } else if (j < t.size() && (p[i] == '?' || Fold(p[i], fold) == Fold(t[j], fold))) {
        m[i][j] = m[i + 1][j + 1];
      }
    }
  }
  return m[0][0];
}

bool LiteralMatch(std::string_view p, std::string_view t, bool fold) {
  if (p.size() != t.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (Fold(p[i], fold) != Fold(t[i], fold)) return false;
  }
  return true;
}

// A string over a small alphabet so that patterns and texts meet often.
std::string SmallString(FuzzedDataProvider& in, size_t max_len, bool wildcards) {
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
  namespace eval = leastpriv::eval;
  namespace smt = leastpriv::smt;
  FuzzedDataProvider in(data, size);
  const bool fold = in.ConsumeBool();
  std::vector<std::string> patterns;
  const int npatterns = in.ConsumeIntegralInRange<int>(1, 4);
  for (int i = 0; i < npatterns; ++i) patterns.push_back(SmallString(in, 12, true));
  std::vector<std::string> texts;
  for (int i = 0; i < 4; ++i) texts.push_back(SmallString(in, 16, false));

  for (const std::string& p : patterns) {
    const smt::GlobPattern automaton = smt::GlobPattern::Wildcard(p, fold);
    for (const std::string& t : texts) {
      const bool want = ReferenceMatch(p, t, fold);
      Check(GlobMatch(p, t, fold ? GlobCase::kInsensitive : GlobCase::kSensitive) == want,
            "GlobMatch disagrees with the reference", p, t);
      Check(eval::GlobMatches(p, t, fold) == want,
            "eval::GlobMatches disagrees with the reference", p, t);
      Check(automaton.Matches(t) == want,
            "smt::GlobPattern::Matches disagrees with the reference", p, t);
      Check(smt::GlobPattern::Literal(p, fold).Matches(t) == LiteralMatch(p, t, fold),
            "smt::GlobPattern::Literal is not literal", p, t);
      // ARN patterns: the evaluator and the abstraction must agree. The
      // request model drops patterns that match nothing (ArnMatchesNothing)
      // before it builds an automaton.
      const std::string arn_pattern = "arn:aws:dynamodb:" + p;
      const std::string arn = "arn:aws:dynamodb:" + t;
      Check(eval::ArnMatches(arn_pattern, arn) ==
                (!smt::GlobPattern::ArnMatchesNothing(arn_pattern) &&
                 smt::GlobPattern::Arn(arn_pattern).Matches(arn)),
            "eval::ArnMatches disagrees with smt::GlobPattern::Arn", arn_pattern, arn);
    }
  }

  // The partition of the patterns is exact.
  std::vector<smt::GlobPattern> compiled;
  for (const std::string& p : patterns) {
    compiled.push_back(in.ConsumeBool() ? smt::GlobPattern::Arn(p)
                                        : smt::GlobPattern::Wildcard(p, fold));
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
            "a class witness does not have its class's signature", patterns[i], w);
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
