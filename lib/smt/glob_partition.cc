// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/glob_partition.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace leastpriv::smt {
namespace {

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
char Upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

bool InRange(CharRange range, char c) {
  switch (range) {
    case CharRange::kAny:
      return true;
    case CharRange::kNoColon:
      return c != ':';
    case CharRange::kNoColonSlash:
      return c != ':' && c != '/';
    case CharRange::kNothing:
      return false;
  }
  return false;
}

bool TokenAccepts(const GlobToken& t, char c) {
  switch (t.kind) {
    case GlobToken::Kind::kChar:
      return t.ignore_case ? Lower(t.ch) == Lower(c) : t.ch == c;
    case GlobToken::Kind::kOne:
    case GlobToken::Kind::kStar:
      return InRange(t.range, c);
  }
  return false;
}

// Adds `pos` and everything reachable from it by skipping stars.
void Close(const std::vector<GlobToken>& tokens, int pos, std::vector<int>& out) {
  while (true) {
    out.push_back(pos);
    if (pos < static_cast<int>(tokens.size()) &&
        tokens[pos].kind == GlobToken::Kind::kStar) {
      ++pos;
      continue;
    }
    return;
  }
}

void Normalize(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Positions after reading `c` from `from`, into `next` (cleared first; its
// capacity is reused, which matters in the partition's inner loop).
void StepInto(const std::vector<GlobToken>& tokens, const std::vector<int>& from,
              char c, std::vector<int>& next) {
  next.clear();
  for (int pos : from) {
    if (pos >= static_cast<int>(tokens.size())) continue;
    const GlobToken& t = tokens[pos];
    if (!TokenAccepts(t, c)) continue;
    if (t.kind == GlobToken::Kind::kStar) {
      Close(tokens, pos, next);
    } else {
      Close(tokens, pos + 1, next);
    }
  }
  Normalize(next);
}

// Positions after reading `c` from `from`.
std::vector<int> Step(const std::vector<GlobToken>& tokens,
                      const std::vector<int>& from, char c) {
  std::vector<int> next;
  StepInto(tokens, from, c, next);
  return next;
}

bool Accepting(const std::vector<GlobToken>& tokens,
               const std::vector<int>& state) {
  return !state.empty() && state.back() == static_cast<int>(tokens.size());
}

GlobToken CharToken(char c, bool ignore_case) {
  GlobToken t;
  t.kind = GlobToken::Kind::kChar;
  t.ch = ignore_case ? Lower(c) : c;
  t.ignore_case = ignore_case;
  return t;
}

GlobToken WildToken(GlobToken::Kind kind, CharRange range) {
  GlobToken t;
  t.kind = kind;
  t.range = range;
  return t;
}

}  // namespace

GlobPattern GlobPattern::Wildcard(std::string_view text, bool ignore_case,
                                  const std::vector<bool>& literal) {
  GlobPattern p;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool wild = literal.empty() || !literal[i];
    if (wild && c == '*') {
      p.tokens_.push_back(WildToken(GlobToken::Kind::kStar, CharRange::kAny));
    } else if (wild && c == '?') {
      p.tokens_.push_back(WildToken(GlobToken::Kind::kOne, CharRange::kAny));
    } else {
      p.tokens_.push_back(CharToken(c, ignore_case));
    }
  }
  return p;
}

GlobPattern GlobPattern::Literal(std::string_view text, bool ignore_case) {
  GlobPattern p;
  p.AddLiteral(text, ignore_case);
  return p;
}

bool GlobPattern::ArnMatchesNothing(std::string_view text,
                                    const std::vector<bool>& literal) {
  const bool wild_star = !text.empty() && text.back() == '*' &&
                         (literal.empty() || !literal.back());
  if (text.size() == 1 && wild_star) return false;
  if (std::count(text.begin(), text.end(), ':') >= 5) return false;
  const size_t colon = text.rfind(':');
  const std::string_view last =
      colon == std::string_view::npos ? text : text.substr(colon + 1);
  return last.empty() || !wild_star;
}

GlobPattern GlobPattern::Arn(std::string_view text, const std::vector<bool>& literal) {
  if (text == "*" && (literal.empty() || !literal[0])) return Wildcard("*", false);
  // Fewer than six components: the last one (which must end in '*') is
  // matched against the rest of the ARN, colons included.
  const bool short_form = std::count(text.begin(), text.end(), ':') < 5;
  const size_t colon = text.rfind(':');
  const size_t tail = colon == std::string_view::npos ? 0 : colon + 1;
  GlobPattern p;
  int colons = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool wild = literal.empty() || !literal[i];
    bool in_prefix = colons < 5;
    CharRange range =
        in_prefix && !(short_form && i >= tail) ? CharRange::kNoColon : CharRange::kAny;
    if (c == ':' && in_prefix) {
      ++colons;
      p.tokens_.push_back(CharToken(':', false));
    } else if (wild && c == '*') {
      p.tokens_.push_back(WildToken(GlobToken::Kind::kStar, range));
    } else if (wild && c == '?') {
      p.tokens_.push_back(WildToken(GlobToken::Kind::kOne, range));
    } else {
      p.tokens_.push_back(CharToken(c, in_prefix));
    }
  }
  return p;
}

GlobPattern& GlobPattern::AddLiteral(std::string_view text, bool ignore_case) {
  for (char c : text) tokens_.push_back(CharToken(c, ignore_case));
  return *this;
}

GlobPattern& GlobPattern::AddName(CharRange range) {
  tokens_.push_back(WildToken(GlobToken::Kind::kOne, range));
  tokens_.push_back(WildToken(GlobToken::Kind::kStar, range));
  return *this;
}

GlobPattern& GlobPattern::AddStar(CharRange range) {
  tokens_.push_back(WildToken(GlobToken::Kind::kStar, range));
  return *this;
}

bool GlobPattern::Matches(std::string_view s) const {
  std::vector<int> state;
  Close(tokens_, 0, state);
  Normalize(state);
  for (char c : s) {
    state = Step(tokens_, state, c);
    if (state.empty()) return false;
  }
  return Accepting(tokens_, state);
}

std::string GlobPattern::Key() const {
  std::string key;
  for (const GlobToken& t : tokens_) {
    switch (t.kind) {
      case GlobToken::Kind::kChar:
        key += t.ignore_case ? 'i' : 'c';
        key += t.ch;
        break;
      case GlobToken::Kind::kOne:
        key += '?';
        key += static_cast<char>('0' + static_cast<int>(t.range));
        break;
      case GlobToken::Kind::kStar:
        key += '*';
        key += static_cast<char>('0' + static_cast<int>(t.range));
        break;
    }
  }
  return key;
}

absl::StatusOr<Partition> Partition::Build(std::vector<GlobPattern> patterns,
                                           std::size_t max_states) {
  Partition part;
  part.patterns_ = std::move(patterns);
  const std::size_t n = part.patterns_.size();
  const std::size_t words = (n + 63) / 64 == 0 ? 1 : (n + 63) / 64;

  // Alphabet: the patterns' characters (both cases where case is ignored),
  // the separators the ranges distinguish, and one fresh character.
  std::set<char> letters = {':', '/'};
  for (const GlobPattern& p : part.patterns_) {
    for (const GlobToken& t : p.tokens()) {
      if (t.kind != GlobToken::Kind::kChar) continue;
      letters.insert(t.ch);
      if (t.ignore_case) {
        letters.insert(Lower(t.ch));
        letters.insert(Upper(t.ch));
      }
    }
  }
  std::vector<char> alphabet;
  for (char fresh : std::string("xqzjkvwyb0123456789")) {
    if (!letters.count(Lower(fresh)) && !letters.count(Upper(fresh))) {
      alphabet.push_back(fresh);
      break;
    }
  }
  if (alphabet.empty()) {
    for (int c = 33; c < 127; ++c) {
      char ch = static_cast<char>(c);
      if (!letters.count(Lower(ch)) && !letters.count(Upper(ch)) &&
          ch != '*' && ch != '?') {
        alphabet.push_back(ch);
        break;
      }
    }
  }
  // Lower-case letters first, so witnesses of case-insensitive parts read
  // naturally.
  for (char c : letters) {
    if (!std::isupper(static_cast<unsigned char>(c))) alphabet.push_back(c);
  }
  for (char c : letters) {
    if (std::isupper(static_cast<unsigned char>(c))) alphabet.push_back(c);
  }

  // Each pattern's NFA is determinised lazily: a pattern state is an id
  // for a set of NFA positions, and its transitions are filled in on first
  // use. A product state lists, per live pattern, its pattern state; stored
  // sparsely as (pattern, state id) pairs, so a step is a table lookup per
  // live pattern.
  const std::size_t letters_count = alphabet.size();
  struct PatternDfa {
    std::vector<std::vector<int>> sets;       // state id -> NFA positions
    absl::flat_hash_map<std::vector<int>, int> ids;
    std::vector<int> next;  // [id * letters + letter]: state id, kDead or kUnfilled
    std::vector<char> accepting;
  };
  constexpr int kUnfilled = -2, kDead = -1;
  std::vector<PatternDfa> dfas(n);
  auto intern = [&](PatternDfa& d, const std::vector<GlobToken>& tokens,
                    const std::vector<int>& set) {
    auto [it, added] = d.ids.emplace(set, static_cast<int>(d.sets.size()));
    if (added) {
      d.sets.push_back(set);
      d.next.resize(d.next.size() + letters_count, kUnfilled);
      d.accepting.push_back(Accepting(tokens, set));
    }
    return it->second;
  };
  std::vector<int> stepped;
  auto step = [&](int p, int id, std::size_t letter) {
    PatternDfa& d = dfas[p];
    const std::size_t slot = id * letters_count + letter;
    if (d.next[slot] == kUnfilled) {
      const auto& tokens = part.patterns_[p].tokens();
      StepInto(tokens, d.sets[id], alphabet[letter], stepped);
      // Interning may grow d.next: look the slot up again afterwards.
      const int to = stepped.empty() ? kDead : intern(d, tokens, stepped);
      d.next[slot] = to;
    }
    return d.next[slot];
  };

  using State = std::vector<std::pair<int, int>>;
  State start;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int> c;
    Close(part.patterns_[i].tokens(), 0, c);
    Normalize(c);
    start.emplace_back(static_cast<int>(i), intern(dfas[i], part.patterns_[i].tokens(), c));
  }
  // NFA positions a product state stands for, summed over its patterns.
  auto positions = [&](const State& s) {
    std::size_t total = 0;
    for (const auto& [p, id] : s) total += dfas[p].sets[id].size();
    return total;
  };
  // Besides the number of states, bound their total size (NFA positions
  // summed over the stored states): a few long star patterns such as
  // "*a*a*a...*" give product states of thousands of positions each.
  const std::size_t max_entries = max_states * 4;
  std::size_t entries = positions(start);
  absl::flat_hash_set<State> seen;
  absl::flat_hash_map<Signature, std::size_t> by_signature;
  std::deque<std::pair<State, std::string>> queue;
  seen.insert(start);
  queue.emplace_back(start, "");
  State next;
  while (!queue.empty()) {
    auto [state, path] = std::move(queue.front());
    queue.pop_front();
    Signature sig(words, 0);
    for (const auto& [p, id] : state) {
      if (dfas[p].accepting[id]) sig[p / 64] |= std::uint64_t{1} << (p % 64);
    }
    if (by_signature.emplace(sig, part.classes_.size()).second) {
      part.classes_.push_back(StringClass{path, std::move(sig)});
    }
    for (std::size_t letter = 0; letter < letters_count; ++letter) {
      next.clear();
      for (const auto& [p, id] : state) {
        const int to = step(p, id, letter);
        if (to != kDead) next.emplace_back(p, to);
      }
      if (seen.contains(next)) continue;
      entries += positions(next);
      if (seen.size() >= max_states || entries > max_entries) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "string abstraction exceeds ", max_states, " automaton states (", n,
            " patterns) or ", max_entries, " automaton state entries"));
      }
      seen.insert(next);
      queue.emplace_back(next, path + alphabet[letter]);
    }
  }
  return part;
}

std::size_t Partition::ClassOf(std::string_view s) const {
  const std::size_t words = classes_.empty() ? 1 : classes_[0].members.size();
  Signature sig(words, 0);
  for (std::size_t i = 0; i < patterns_.size(); ++i) {
    if (patterns_[i].Matches(s)) sig[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    if (classes_[c].members == sig) return c;
  }
  return 0;  // unreachable: the partition covers every string
}

}  // namespace leastpriv::smt
