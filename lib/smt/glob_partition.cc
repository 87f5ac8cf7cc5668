// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/glob_partition.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/numeric/bits.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/glob/glob.h"

namespace leastpriv::smt {
namespace {

// ASCII case (IAM folds ASCII letters only; the "C" locale's tolower).
char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
char Upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
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
    case CharRange::kNameChar:
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
             c == '.' || c == '-';
    case CharRange::kLower:
      return c >= 'a' && c <= 'z';
    case CharRange::kLowerDash:
      return (c >= 'a' && c <= 'z') || c == '-';
    case CharRange::kDigit:
      return c >= '0' && c <= '9';
    case CharRange::kHexLower:
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    case CharRange::kIamNameChar:
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
             c == '+' || c == '=' || c == ',' || c == '.' || c == '@' ||
             c == '-';
    case CharRange::kUpperDigit:
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return false;
}

constexpr CharRange kProfileRanges[] = {
    CharRange::kNoColon,  CharRange::kNoColonSlash, CharRange::kNameChar,
    CharRange::kLower,    CharRange::kLowerDash,    CharRange::kDigit,
    CharRange::kHexLower, CharRange::kIamNameChar,  CharRange::kUpperDigit};

// The ranges `patterns` use, as a bit per kProfileRanges entry.
unsigned RangesUsed(const std::vector<TokenPattern>& patterns) {
  unsigned used = 0;
  for (const TokenPattern& p : patterns) {
    for (const GlobToken& t : p.tokens()) {
      if (t.kind == GlobToken::Kind::kChar) continue;
      for (std::size_t r = 0; r < std::size(kProfileRanges); ++r) {
        if (t.range == kProfileRanges[r]) used |= 1u << r;
      }
    }
  }
  return used;
}

// Which of the `ranges` hold `c`: characters of one profile that no
// pattern names behave alike.
unsigned Profile(char c, unsigned ranges) {
  unsigned out = 0;
  for (std::size_t r = 0; r < std::size(kProfileRanges); ++r) {
    if ((ranges >> r & 1u) && InRange(kProfileRanges[r], c)) out |= 1u << r;
  }
  return out;
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

// Marks `pos` and everything reachable from it by skipping stars.
template <typename Mark>
void CloseWith(const std::vector<GlobToken>& tokens, int pos, Mark mark) {
  while (true) {
    mark(pos);
    if (pos < static_cast<int>(tokens.size()) &&
        tokens[pos].kind == GlobToken::Kind::kStar) {
      ++pos;
      continue;
    }
    return;
  }
}

// Adds `pos` and everything reachable from it by skipping stars.
void Close(const std::vector<GlobToken>& tokens, int pos,
           std::vector<int>& out) {
  CloseWith(tokens, pos, [&](int p) { out.push_back(p); });
}

void Normalize(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Positions after reading `c` from `from`, into `next` (cleared first; its
// capacity is reused, which matters in the partition's inner loop).
void StepInto(const std::vector<GlobToken>& tokens,
              const std::vector<int>& from, char c, std::vector<int>& next) {
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

TokenPattern TokenPattern::Wildcard(std::string_view text, bool ignore_case,
                                    const std::vector<bool>& literal) {
  TokenPattern p;
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

TokenPattern TokenPattern::Literal(std::string_view text, bool ignore_case) {
  TokenPattern p;
  p.AddLiteral(text, ignore_case);
  return p;
}

bool TokenPattern::ArnMatchesNothing(std::string_view text,
                                     const std::vector<bool>& literal) {
  return ArnPatternMatchesNothing(text, literal);
}

TokenPattern TokenPattern::Arn(std::string_view text,
                               const std::vector<bool>& literal) {
  if (text == "*" && (literal.empty() || !literal[0]))
    return Wildcard("*", false);
  // Fewer than six components: the last one (which must end in '*') is
  // matched against the rest of the ARN, colons included.
  const bool short_form = std::count(text.begin(), text.end(), ':') < 5;
  const size_t colon = text.rfind(':');
  const size_t tail = colon == std::string_view::npos ? 0 : colon + 1;
  TokenPattern p;
  int colons = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool wild = literal.empty() || !literal[i];
    bool in_prefix = colons < 5;
    CharRange range = in_prefix && !(short_form && i >= tail)
                          ? CharRange::kNoColon
                          : CharRange::kAny;
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

TokenPattern TokenPattern::FromTokens(std::vector<GlobToken> tokens) {
  TokenPattern p;
  p.tokens_ = std::move(tokens);
  return p;
}

TokenPattern& TokenPattern::AddLiteral(std::string_view text,
                                       bool ignore_case) {
  for (char c : text) tokens_.push_back(CharToken(c, ignore_case));
  return *this;
}

TokenPattern& TokenPattern::AddName(CharRange range) {
  tokens_.push_back(WildToken(GlobToken::Kind::kOne, range));
  tokens_.push_back(WildToken(GlobToken::Kind::kStar, range));
  return *this;
}

TokenPattern& TokenPattern::AddExactly(CharRange range, int count) {
  for (int i = 0; i < count; ++i)
    tokens_.push_back(WildToken(GlobToken::Kind::kOne, range));
  return *this;
}

TokenPattern& TokenPattern::AddStar(CharRange range) {
  tokens_.push_back(WildToken(GlobToken::Kind::kStar, range));
  return *this;
}

bool TokenPattern::Matches(std::string_view s) const {
  // A first or last token that is a character must read the first or last
  // character: most strings a partition tries against most patterns (see
  // ReadableWitnesses) fail there.
  if (!tokens_.empty()) {
    const GlobToken& first = tokens_.front();
    const GlobToken& last = tokens_.back();
    if (first.kind == GlobToken::Kind::kChar &&
        (s.empty() || !TokenAccepts(first, s.front()))) {
      return false;
    }
    if (last.kind == GlobToken::Kind::kChar &&
        (s.empty() || !TokenAccepts(last, s.back()))) {
      return false;
    }
  }
  if (tokens_.size() < kWordsForSmall * 64) return MatchesSmall(s);
  // Scratch space reused across calls.
  thread_local std::vector<int> state, next;
  state.clear();
  Close(tokens_, 0, state);
  Normalize(state);
  for (char c : s) {
    StepInto(tokens_, state, c, next);
    state.swap(next);
    if (state.empty()) return false;
  }
  return Accepting(tokens_, state);
}

bool TokenPattern::MatchesSmall(std::string_view s) const {
  // The automaton's positions as bits: position p set means the tokens
  // before p have been read.
  using Bits = std::array<std::uint64_t, kWordsForSmall>;
  const int n = static_cast<int>(tokens_.size());
  auto add = [&](Bits& bits, int pos) {
    CloseWith(tokens_, pos,
              [&](int p) { bits[p / 64] |= std::uint64_t{1} << (p % 64); });
  };
  Bits state{};
  add(state, 0);
  for (char c : s) {
    Bits next{};
    bool any = false;
    for (std::size_t w = 0; w < kWordsForSmall; ++w) {
      for (std::uint64_t bits = state[w]; bits != 0; bits &= bits - 1) {
        const int p = static_cast<int>(w * 64) + absl::countr_zero(bits);
        if (p == n) continue;
        const GlobToken& t = tokens_[p];
        if (!TokenAccepts(t, c)) continue;
        add(next, t.kind == GlobToken::Kind::kStar ? p : p + 1);
        any = true;
      }
    }
    if (!any) return false;
    state = next;
  }
  return (state[n / 64] >> (n % 64)) & 1u;
}

std::string TokenPattern::Key() const {
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

absl::StatusOr<Partition> Partition::Build(std::vector<TokenPattern> patterns,
                                           std::size_t max_states) {
  return BuildWithin(std::move(patterns), kNoDomain, {}, max_states);
}

absl::StatusOr<Partition> Partition::BuildWithin(
    std::vector<TokenPattern> patterns, std::size_t domain,
    const std::set<char>& avoid, std::size_t max_states) {
  Partition part;
  part.patterns_ = std::move(patterns);
  const std::size_t n = part.patterns_.size();
  const std::size_t words = (n + 63) / 64 == 0 ? 1 : (n + 63) / 64;

  // Alphabet: the patterns' characters (both cases where case is ignored),
  // the separators the ranges distinguish, and one fresh character.
  std::set<char> letters = {':', '/'};
  for (const TokenPattern& p : part.patterns_) {
    for (const GlobToken& t : p.tokens()) {
      if (t.kind != GlobToken::Kind::kChar) continue;
      letters.insert(t.ch);
      if (t.ignore_case) {
        letters.insert(Lower(t.ch));
        letters.insert(Upper(t.ch));
      }
    }
  }
  std::set<char> used = letters;
  used.insert(avoid.begin(), avoid.end());
  // One character that no pattern names per profile of the ranges in use
  // (every other character of that profile behaves like it), preferring
  // one none of `avoid` names either.
  std::vector<char> alphabet;
  const unsigned ranges = RangesUsed(part.patterns_);
  {
    std::string order = "xqzjkvwyb0123456789";
    for (int c = 1; c < 128; ++c) {
      const char ch = static_cast<char>(c);
      if (ch != '*' && ch != '?' && order.find(ch) == std::string::npos)
        order += ch;
    }
    order += '*';
    order += '?';
    std::map<unsigned, char> chosen, fallback;
    for (char ch : order) {
      if (letters.count(Lower(ch)) || letters.count(Upper(ch))) continue;
      const unsigned profile = Profile(ch, ranges);
      if (!used.count(Lower(ch)) && !used.count(Upper(ch)))
        chosen.emplace(profile, ch);
      fallback.emplace(profile, ch);
    }
    for (const auto& [profile, ch] : fallback) chosen.emplace(profile, ch);
    std::vector<char> reps;
    for (const auto& [profile, ch] : chosen) reps.push_back(ch);
    std::sort(reps.begin(), reps.end(),
              [&](char a, char b) { return order.find(a) < order.find(b); });
    alphabet = reps;
  }
  // The representatives come first: a letter of their profile that a
  // pattern does not name at some state steps like its representative.
  std::map<unsigned, int> rep_of_profile;
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    rep_of_profile.emplace(Profile(alphabet[i], ranges), static_cast<int>(i));
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
  // Per letter, its profile's representative (-1: none, every character
  // of its profile is named by some pattern).
  std::vector<int> rep_index(letters_count, -1);
  for (std::size_t i = 0; i < letters_count; ++i) {
    auto it = rep_of_profile.find(Profile(alphabet[i], ranges));
    if (it != rep_of_profile.end()) rep_index[i] = it->second;
  }
  struct PatternDfa {
    std::vector<std::vector<int>> sets;  // state id -> NFA positions
    absl::flat_hash_map<std::vector<int>, int> ids;
    std::vector<int>
        next;  // [id * letters + letter]: state id, kDead or kUnfilled
    std::vector<char> accepting;
    // Per state id, once known: the letters it steps on otherwise than on
    // their representative.
    std::vector<std::optional<std::vector<int>>> special;
  };
  constexpr int kUnfilled = -2, kDead = -1;
  std::vector<PatternDfa> dfas(n);
  std::size_t interned_positions = 0;
  auto intern = [&](PatternDfa& d, const std::vector<GlobToken>& tokens,
                    const std::vector<int>& set) {
    auto [it, added] = d.ids.emplace(set, static_cast<int>(d.sets.size()));
    if (added) {
      interned_positions += set.size();
      d.sets.push_back(set);
      d.next.resize(d.next.size() + letters_count, kUnfilled);
      d.accepting.push_back(Accepting(tokens, set));
      d.special.emplace_back();
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
  auto special = [&](int p, int id) -> const std::vector<int>& {
    if (!dfas[p].special[id]) {
      std::vector<int> letters_apart;
      for (std::size_t letter = 0; letter < letters_count; ++letter) {
        const int r = rep_index[letter];
        if (r < 0 || step(p, id, letter) != step(p, id, r))
          letters_apart.push_back(static_cast<int>(letter));
      }
      dfas[p].special[id] = std::move(letters_apart);
    }
    return *dfas[p].special[id];
  };

  // Product states are interned: `states` holds each once, `ids` holds
  // their ids and finds one by content (a hash of its bytes), and the walk
  // keeps for each state the state and letter it was first reached from,
  // so a class's witness is spelled out only when the class is found.
  using State = std::vector<std::pair<int, int>>;
  std::vector<State> states;
  struct StateHash {
    using is_transparent = void;
    const std::vector<State>* states;
    std::size_t operator()(int id) const { return (*this)((*states)[id]); }
    // The entries folded word by word (a byte hash of the whole state
    // was 7% of an analysis of 1,000 statements) into four independent
    // lanes (one chain of multiplications was a third of BuildWithin),
    // then mixed.
    std::size_t operator()(const State& s) const {
      constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15u;
      auto fold = [](std::uint64_t h, const std::pair<int, int>& e) {
        h ^= (std::uint64_t{static_cast<std::uint32_t>(e.first)} << 32) |
             static_cast<std::uint32_t>(e.second);
        h *= kMul;
        return h ^ (h >> 32);
      };
      std::uint64_t a = s.size(), b = 1, c = 2, d = 3;
      std::size_t i = 0;
      for (; i + 4 <= s.size(); i += 4) {
        a = fold(a, s[i]);
        b = fold(b, s[i + 1]);
        c = fold(c, s[i + 2]);
        d = fold(d, s[i + 3]);
      }
      for (; i < s.size(); ++i) a = fold(a, s[i]);
      return absl::Hash<std::uint64_t>()(((a * kMul + b) * kMul + c) * kMul +
                                         d);
    }
  };
  struct StateEq {
    using is_transparent = void;
    const std::vector<State>* states;
    bool operator()(int a, int b) const { return a == b; }
    bool operator()(int a, const State& b) const { return (*states)[a] == b; }
    bool operator()(const State& a, int b) const { return a == (*states)[b]; }
  };
  State start;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int> c;
    Close(part.patterns_[i].tokens(), 0, c);
    Normalize(c);
    start.emplace_back(static_cast<int>(i),
                       intern(dfas[i], part.patterns_[i].tokens(), c));
  }
  // Besides the number of states, bound the memory they take: the
  // (pattern, pattern state) entries of the stored product states plus
  // the NFA positions of the pattern states (a few long star patterns
  // such as "*a*a*a...*" have pattern states of thousands of positions).
  const std::size_t max_entries = max_states * 16;
  std::size_t entries = start.size();
  states.push_back(std::move(start));
  std::vector<std::pair<int, int>> reached_from = {{-1, 0}};  // (state, letter)
  absl::flat_hash_set<int, StateHash, StateEq> ids(0, StateHash{&states},
                                                   StateEq{&states});
  ids.insert(0);
  absl::flat_hash_set<Signature> signatures;
  auto path_to = [&](int id) {
    std::string path;
    for (; reached_from[id].first >= 0; id = reached_from[id].first) {
      path += alphabet[reached_from[id].second];
    }
    std::reverse(path.begin(), path.end());
    return path;
  };
  State next;
  Signature sig(words, 0);
  // Per product state: the letters some entry steps on otherwise than on
  // their representative, and the representatives whose successor is
  // known. Any other letter has its representative's successor: it is
  // not walked again (the walk, its order and its classes unchanged).
  std::vector<char> apart(letters_count);
  std::vector<char> walked(letters_count);
  for (std::size_t at = 0; at < states.size(); ++at) {
    std::fill(sig.begin(), sig.end(), 0);
    for (const auto& [p, id] : states[at]) {
      if (dfas[p].accepting[id]) sig[p / 64] |= std::uint64_t{1} << (p % 64);
    }
    const bool in_domain = domain == kNoDomain || SignatureHas(sig, domain);
    if (in_domain && signatures.insert(sig).second) {
      part.classes_.push_back(StringClass{path_to(static_cast<int>(at)), sig});
    }
    std::fill(apart.begin(), apart.end(), 0);
    std::fill(walked.begin(), walked.end(), 0);
    for (const auto& [p, id] : states[at]) {
      for (int letter : special(p, id)) apart[letter] = 1;
    }
    for (std::size_t letter = 0; letter < letters_count; ++letter) {
      if (!apart[letter] && rep_index[letter] >= 0) {
        char& done = walked[rep_index[letter]];
        if (done) continue;
        done = 1;
      }
      // (Written in place: an emplace_back per entry was 7% of an
      // analysis of 1,000 statements.)
      next.resize(states[at].size());
      std::size_t live = 0;
      for (const auto& [p, id] : states[at]) {
        const int to = step(p, id, letter);
        if (to != kDead) next[live++] = {p, to};
      }
      next.resize(live);
      // Outside the domain for good: no string with this prefix is in it.
      if (domain != kNoDomain &&
          !std::binary_search(
              next.begin(), next.end(),
              std::make_pair(static_cast<int>(domain), 0),
              [](const std::pair<int, int>& a, const std::pair<int, int>& b) {
                return a.first < b.first;
              })) {
        continue;
      }
      if (ids.find(next) != ids.end()) continue;
      entries += next.size();
      if (states.size() >= max_states ||
          entries + interned_positions > max_entries) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "string abstraction exceeds ", max_states, " automaton states (", n,
            " patterns) or ", max_entries, " automaton state entries"));
      }
      states.push_back(next);
      ids.insert(static_cast<int>(states.size()) - 1);
      reached_from.emplace_back(static_cast<int>(at), static_cast<int>(letter));
    }
  }
  return part;
}

namespace {

// The character witnesses use for "any other character": the first of a
// fixed list that `used` does not hold (in either case).
char FreshCharacter(const std::set<char>& used) {
  for (char fresh : std::string("xqzjkvwyb0123456789")) {
    if (!used.count(Lower(fresh)) && !used.count(Upper(fresh))) return fresh;
  }
  for (int c = 33; c < 127; ++c) {
    const char ch = static_cast<char>(c);
    if (!used.count(Lower(ch)) && !used.count(Upper(ch)) && ch != '*' &&
        ch != '?')
      return ch;
  }
  return '\x7f';
}

// The order in which Build's breadth-first walk meets strings: shorter
// first, then letter by letter in alphabet order (the fresh character,
// then the others in ASCII order with upper-case letters last).
class WitnessOrder {
 public:
  explicit WitnessOrder(char fresh) : fresh_(fresh) {}
  bool Less(const std::string& a, const std::string& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return Rank(a[i]) < Rank(b[i]);
    }
    return false;
  }
  // Less for the string x+y+z, without building it.
  bool Less(std::string_view x, std::string_view y, std::string_view z,
            const std::string& b) const {
    if (x.size() + y.size() + z.size() != b.size())
      return x.size() + y.size() + z.size() < b.size();
    std::size_t i = 0;
    for (std::string_view part : {x, y, z}) {
      for (char c : part) {
        if (c != b[i]) return Rank(c) < Rank(b[i]);
        ++i;
      }
    }
    return false;
  }

 private:
  int Rank(char c) const {
    if (c == fresh_) return -1;
    const int u = static_cast<unsigned char>(c);
    return std::isupper(u) ? 256 + u : u;
  }
  char fresh_;
};

constexpr int kArnComponents =
    6;  // "arn", partition, service, region, account, resource

// A pattern read component by component over the ARNs
// "arn:C1:C2:C3:C4:RESOURCE" (no ':' in C1..C4).
struct SplitArnPattern {
  bool matches_no_arn = false;
  // Per component: the tokens, or nullopt when every string matches.
  std::optional<std::vector<GlobToken>> parts[kArnComponents];
};

bool IsColonToken(const GlobToken& t) {
  return t.kind == GlobToken::Kind::kChar && t.ch == ':';
}

// False when a wildcard may consume a ':' before the resource part, other
// than as the pattern's last token.
bool SplitArn(const std::vector<GlobToken>& tokens, SplitArnPattern* out) {
  std::vector<GlobToken> current;
  int component = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const GlobToken& t = tokens[i];
    if (component < kArnComponents - 1) {
      if (IsColonToken(t)) {
        out->parts[component++] = std::move(current);
        current.clear();
        continue;
      }
      if (t.kind != GlobToken::Kind::kChar && t.range == CharRange::kAny) {
        if (t.kind != GlobToken::Kind::kStar || i + 1 != tokens.size())
          return false;
        // A final '*' spans the rest of the ARN: the rest of this
        // component, and every later one.
        current.push_back(
            WildToken(GlobToken::Kind::kStar, CharRange::kNoColon));
        out->parts[component++] = std::move(current);
        for (; component < kArnComponents; ++component)
          out->parts[component].reset();
        return true;
      }
    }
    current.push_back(t);
  }
  if (component < kArnComponents - 1) {
    out->matches_no_arn = true;
    return true;
  }
  out->parts[component] = std::move(current);
  return true;
}

bool IsStarOnly(const std::vector<GlobToken>& tokens, CharRange range) {
  return tokens.size() == 1 && tokens[0].kind == GlobToken::Kind::kStar &&
         (tokens[0].range == range || tokens[0].range == CharRange::kAny);
}

bool IsNameRange(CharRange r) {
  return r != CharRange::kAny && r != CharRange::kNoColon;
}

// Reads a shape's resource part as literal text and names (a name is a
// run of wildcards over ranges without ':' and '/'): `literals` gets the
// text before the first name, between names, and after the last, and
// `names` each name's tokens.
bool ReadSlots(const std::vector<GlobToken>& tokens,
               std::vector<std::string>* literals,
               std::vector<std::vector<GlobToken>>* names) {
  literals->assign(1, "");
  names->clear();
  bool in_name = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const GlobToken& t = tokens[i];
    if (t.kind == GlobToken::Kind::kChar && !t.ignore_case) {
      literals->back() += t.ch;
      in_name = false;
      continue;
    }
    if (t.kind != GlobToken::Kind::kChar && IsNameRange(t.range)) {
      if (!in_name) {
        literals->emplace_back();
        names->emplace_back();
        in_name = true;
      }
      names->back().push_back(t);
      continue;
    }
    return false;
  }
  return !names->empty();
}

// Readable strings a pattern suggests: its literal text with each '*'
// filled by a word (or nothing) and each '?' by 'x'.
std::vector<std::string> LiteralVariants(const std::vector<GlobToken>& tokens) {
  // After a separator (or at the start), else after other text.
  static constexpr const char* kFills[][2] = {
      {"audit", "-archive"}, {"backup", "-backup"}, {"east-1", "-1"}, {"", ""}};
  std::vector<std::string> out;
  for (const auto& fill : kFills) {
    std::string s;
    for (const GlobToken& t : tokens) {
      if (t.kind == GlobToken::Kind::kChar) {
        s += t.ch;
      } else if (t.kind == GlobToken::Kind::kOne) {
        s += 'x';
      } else {
        const bool after_separator = s.empty() || s.back() == '-' ||
                                     s.back() == '_' || s.back() == '.' ||
                                     s.back() == '/';
        s += fill[after_separator ? 0 : 1];
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

// The witness of each class of `part`: the first candidate that belongs
// to it, else its shortest string.
std::vector<std::string> ReadableWitnesses(
    const Partition& part, const std::vector<std::string>& hints) {
  std::vector<std::string> out(part.size());
  std::vector<char> taken(part.size(), 0);
  std::vector<std::string> candidates = hints;
  for (const TokenPattern& p : part.patterns()) {
    const bool has_literal = std::any_of(
        p.tokens().begin(), p.tokens().end(),
        [](const GlobToken& t) { return t.kind == GlobToken::Kind::kChar; });
    if (!has_literal) continue;
    for (std::string& v : LiteralVariants(p.tokens()))
      candidates.push_back(std::move(v));
  }
  absl::flat_hash_map<Signature, std::size_t> by_signature;
  for (std::size_t c = 0; c < part.size(); ++c)
    by_signature.emplace(part.at(c).members, c);
  const std::size_t n = part.patterns().size();
  const std::size_t words = n == 0 ? 1 : (n + 63) / 64;
  absl::flat_hash_set<std::string_view> tried;
  std::size_t left = part.size();
  for (const std::string& v : candidates) {
    if (left == 0) break;
    if (v.empty() || v.size() > Partition::kMaxNameLength ||
        !tried.insert(v).second)
      continue;
    Signature sig(words, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (part.patterns()[i].Matches(v))
        sig[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    auto it = by_signature.find(sig);
    if (it == by_signature.end() || taken[it->second]) continue;
    taken[it->second] = 1;
    --left;
    out[it->second] = v;
  }
  for (std::size_t c = 0; c < part.size(); ++c) {
    if (!taken[c]) out[c] = part.at(c).witness;
  }
  return out;
}

// The strings that take the pattern from position `a` to position `b`
// (`b` in the closed position set after reading them): tokens [a, b),
// followed by token b when it is a '*' that may have consumed some.
std::vector<GlobToken> Between(const std::vector<GlobToken>& tokens, int a,
                               int b) {
  std::vector<GlobToken> out(tokens.begin() + a, tokens.begin() + b);
  if (b < static_cast<int>(tokens.size()) &&
      tokens[b].kind == GlobToken::Kind::kStar) {
    out.push_back(tokens[b]);
  }
  return out;
}

// A pattern over the resource part, restricted to strings
// literals[0] NAME1 literals[1] ... NAMEk literals[k]: the union, over the
// ways its tokens align with the literal text, of the products of one
// sub-pattern per name. Alignments whose sub-pattern needs a '/' or ':' in
// a name are left out (they match nothing there).
std::vector<std::vector<std::vector<GlobToken>>> AlignToSlots(
    const std::vector<GlobToken>& tokens,
    const std::vector<std::string>& literals) {
  std::vector<std::vector<std::vector<GlobToken>>> out;
  std::set<std::string> seen;
  const int size = static_cast<int>(tokens.size());
  std::vector<std::vector<GlobToken>> current;
  // Reads `text` from the closed set `from`.
  auto read = [&](std::vector<int> from, const std::string& text) {
    std::vector<int> next;
    for (char c : text) {
      StepInto(tokens, from, c, next);
      from.swap(next);
      if (from.empty()) break;
    }
    return from;
  };
  std::function<void(std::size_t, const std::vector<int>&)> walk =
      [&](std::size_t slot, const std::vector<int>& at) {
        if (slot + 1 == literals.size()) {
          if (!Accepting(tokens, at)) return;
          std::string key;
          for (const auto& sub : current)
            key += TokenPattern::FromTokens(sub).Key() + "\x01";
          if (seen.insert(key).second) out.push_back(current);
          return;
        }
        for (int a : at) {
          for (int b = a; b <= size; ++b) {
            std::vector<GlobToken> sub = Between(tokens, a, b);
            bool possible = !sub.empty();
            for (const GlobToken& t : sub) {
              possible &= !(t.kind == GlobToken::Kind::kChar &&
                            (t.ch == '/' || t.ch == ':'));
            }
            if (!possible) continue;
            std::vector<int> closed;
            Close(tokens, b, closed);
            Normalize(closed);
            std::vector<int> next = read(closed, literals[slot + 1]);
            if (next.empty()) continue;
            current.push_back(std::move(sub));
            walk(slot + 1, next);
            current.pop_back();
          }
        }
      };
  std::vector<int> start;
  Close(tokens, 0, start);
  Normalize(start);
  start = read(start, literals[0]);
  if (!start.empty()) walk(0, start);
  return out;
}

// out = a & b (the same size).
void AndOf(const Signature& a, const Signature& b, Signature& out) {
  for (std::size_t w = 0; w < a.size(); ++w) out[w] = a[w] & b[w];
}

}  // namespace

absl::StatusOr<Partition> Partition::BuildArns(
    std::vector<TokenPattern> patterns, const std::vector<std::size_t>& shapes,
    const std::vector<std::string>& extra, std::size_t max_states,
    const WitnessHints& hints) {
  const std::size_t n = patterns.size();
  const std::size_t words = (n + 63) / 64 == 0 ? 1 : (n + 63) / 64;
  std::vector<SplitArnPattern> split(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!SplitArn(patterns[i].tokens(), &split[i])) {
      return absl::UnimplementedError(
          absl::StrCat("resource pattern ", patterns[i].Key(),
                       " has a wildcard that spans components"));
    }
  }
  // Every pattern's characters: witnesses use the same fresh character
  // in every component (one none of them names).
  std::set<char> letters = {':', '/'};
  for (const TokenPattern& p : patterns) {
    for (const GlobToken& t : p.tokens()) {
      if (t.kind != GlobToken::Kind::kChar) continue;
      letters.insert(Lower(t.ch));
      letters.insert(Upper(t.ch));
    }
  }
  const WitnessOrder order(FreshCharacter(letters));
  // The patterns' bits after the "arn" component.
  Signature start(words, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const SplitArnPattern& s = split[i];
    if (s.matches_no_arn) continue;
    if (s.parts[0] && !TokenPattern::FromTokens(*s.parts[0]).Matches("arn"))
      continue;
    start[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  Signature shape_mask(words, 0);
  for (std::size_t s : shapes)
    shape_mask[s / 64] |= std::uint64_t{1} << (s % 64);
  auto in_some_shape = [&](const Signature& sig) {
    for (std::size_t w = 0; w < words; ++w) {
      if (sig[w] & shape_mask[w]) return true;
    }
    return false;
  };

  // The classes of one component: for each, a witness and the mask of
  // the patterns it satisfies (patterns that leave the component free
  // included). `domain` restricts the component's strings.
  struct ComponentClasses {
    std::vector<std::string> witnesses;
    std::vector<Signature> masks;
  };
  auto classes_of =
      [&](int component,
          const TokenPattern& domain) -> absl::StatusOr<ComponentClasses> {
    std::vector<TokenPattern> distinct = {domain};
    absl::flat_hash_map<std::string, std::size_t> index = {{domain.Key(), 0}};
    std::vector<std::size_t> of(n, 0);  // 0: free in this component
    const CharRange free_range =
        component < kArnComponents - 1 ? CharRange::kNoColon : CharRange::kAny;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& part = split[i].parts[component];
      if (split[i].matches_no_arn || !part || IsStarOnly(*part, free_range))
        continue;
      TokenPattern g = TokenPattern::FromTokens(*part);
      auto [it, added] = index.emplace(g.Key(), distinct.size());
      if (added) distinct.push_back(std::move(g));
      of[i] = it->second;
    }
    auto part = BuildWithin(std::move(distinct), 0, letters, max_states);
    if (!part.ok()) return part.status();
    const std::vector<std::string> readable = ReadableWitnesses(
        *part, component < kArnComponents - 1 ? hints.component[component]
                                              : std::vector<std::string>());
    ComponentClasses out;
    for (std::size_t c = 0; c < part->size(); ++c) {
      Signature mask(words, 0);
      for (std::size_t i = 0; i < n; ++i) {
        if (of[i] == 0 || part->InPattern(c, of[i]))
          mask[i / 64] |= std::uint64_t{1} << (i % 64);
      }
      out.witnesses.push_back(readable[c]);
      out.masks.push_back(std::move(mask));
    }
    return out;
  };

  // Combinations of the prefix components, merged by signature: a
  // partial class keeps one witness per distinct signature, and is
  // dropped when no shape can hold it any more.
  struct Partial {
    std::string prefix;  // "arn:C1:...:Ck:"
    Signature sig;
  };
  std::vector<Partial> partial = {{"arn:", start}};
  TokenPattern no_colon;
  no_colon.AddStar(CharRange::kNoColon);
  for (int component = 1; component < kArnComponents - 1; ++component) {
    auto classes = classes_of(component, no_colon);
    if (!classes.ok()) return classes.status();
    std::vector<Partial> next;
    absl::flat_hash_map<Signature, std::size_t> seen;
    Signature sig(words);
    for (const Partial& p : partial) {
      for (std::size_t c = 0; c < classes->witnesses.size(); ++c) {
        AndOf(p.sig, classes->masks[c], sig);
        if (!in_some_shape(sig)) continue;
        const std::string& w = classes->witnesses[c];
        auto it = seen.find(sig);
        if (it == seen.end()) {
          seen.emplace(sig, next.size());
          next.push_back(Partial{absl::StrCat(p.prefix, w, ":"), sig});
        } else if (order.Less(p.prefix, w, ":", next[it->second].prefix)) {
          next[it->second].prefix = absl::StrCat(p.prefix, w, ":");
        }
      }
    }
    partial = std::move(next);
  }
  // The resource part of a shape made of literal text and names
  // ("table/NAME/index/NAME"): a pattern is read against it as a union of
  // alignments, each a product of one sub-pattern per name (see
  // AlignToSlots), so each name is partitioned on its own and the
  // combinations merged as for the prefix.
  auto slot_classes = [&](const std::vector<GlobToken>& shape_tokens)
      -> absl::StatusOr<std::optional<ComponentClasses>> {
    std::vector<std::string> literals;
    std::vector<std::vector<GlobToken>> names;
    if (!ReadSlots(shape_tokens, &literals, &names))
      return std::optional<ComponentClasses>();
    const std::size_t slots = literals.size() - 1;
    // Every pattern's alignments; alignment bits are global.
    std::vector<std::vector<std::size_t>>
        alignment_slots;  // per alignment: sub-pattern per slot
    std::vector<std::size_t> alignment_owner;
    std::vector<std::vector<TokenPattern>> distinct(slots);
    std::vector<absl::flat_hash_map<std::string, std::size_t>> index(slots);
    for (std::size_t k = 0; k < slots; ++k) {
      TokenPattern name = TokenPattern::FromTokens(names[k]);
      index[k].emplace(name.Key(), 0);
      distinct[k].push_back(std::move(name));
    }
    std::vector<char> free_pattern(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& part = split[i].parts[kArnComponents - 1];
      if (split[i].matches_no_arn) continue;
      if (!part || IsStarOnly(*part, CharRange::kAny)) {
        free_pattern[i] = 1;
        continue;
      }
      for (const std::vector<std::vector<GlobToken>>& alignment :
           AlignToSlots(*part, literals)) {
        std::vector<std::size_t> ids;
        for (std::size_t k = 0; k < slots; ++k) {
          TokenPattern g = TokenPattern::FromTokens(alignment[k]);
          auto [it, added] = index[k].emplace(g.Key(), distinct[k].size());
          if (added) distinct[k].push_back(std::move(g));
          ids.push_back(it->second);
        }
        alignment_slots.push_back(std::move(ids));
        alignment_owner.push_back(i);
      }
    }
    const std::size_t a_count = alignment_slots.size();
    const std::size_t a_words = a_count == 0 ? 1 : (a_count + 63) / 64;
    struct SlotPartial {
      std::string witness;
      Signature alignments;
    };
    std::vector<SlotPartial> partial = {
        {literals[0], Signature(a_words, ~std::uint64_t{0})}};
    for (std::size_t k = 0; k < slots; ++k) {
      auto part = BuildWithin(std::move(distinct[k]), 0, letters, max_states);
      if (!part.ok()) return part.status();
      const std::vector<std::string> readable =
          ReadableWitnesses(*part, hints.names);
      std::vector<SlotPartial> next;
      absl::flat_hash_map<Signature, std::size_t> seen;
      Signature sig(a_words);
      for (std::size_t c = 0; c < part->size(); ++c) {
        // Its shortest string is too long: no name AWS accepts.
        if (part->at(c).witness.size() > kMaxNameLength) continue;
        Signature mask(a_words, 0);
        for (std::size_t a = 0; a < a_count; ++a) {
          if (part->InPattern(c, alignment_slots[a][k]))
            mask[a / 64] |= std::uint64_t{1} << (a % 64);
        }
        for (const SlotPartial& p : partial) {
          AndOf(p.alignments, mask, sig);
          auto it = seen.find(sig);
          if (it == seen.end()) {
            seen.emplace(sig, next.size());
            next.push_back(SlotPartial{
                absl::StrCat(p.witness, readable[c], literals[k + 1]), sig});
          } else if (order.Less(p.witness, readable[c], literals[k + 1],
                                next[it->second].witness)) {
            next[it->second].witness =
                absl::StrCat(p.witness, readable[c], literals[k + 1]);
          }
        }
      }
      partial = std::move(next);
      if (partial.size() > max_states) {
        return absl::ResourceExhaustedError(
            absl::StrCat("resource abstraction exceeds ", max_states,
                         " classes (", n, " patterns)"));
      }
    }
    ComponentClasses out;
    absl::flat_hash_map<Signature, std::size_t> seen;
    for (const SlotPartial& p : partial) {
      Signature mask(words, 0);
      for (std::size_t i = 0; i < n; ++i) {
        if (free_pattern[i]) mask[i / 64] |= std::uint64_t{1} << (i % 64);
      }
      for (std::size_t a = 0; a < a_count; ++a) {
        if (SignatureHas(p.alignments, a)) {
          mask[alignment_owner[a] / 64] |= std::uint64_t{1}
                                           << (alignment_owner[a] % 64);
        }
      }
      auto [it, added] = seen.emplace(mask, out.witnesses.size());
      if (!added) {
        if (order.Less(p.witness, out.witnesses[it->second]))
          out.witnesses[it->second] = p.witness;
        continue;
      }
      out.witnesses.push_back(p.witness);
      out.masks.push_back(std::move(mask));
    }
    return std::optional<ComponentClasses>(std::move(out));
  };

  // The resource part, once per shape: its strings are those the shape's
  // resource part matches.
  Partition part;
  absl::flat_hash_map<Signature, std::size_t> by_signature;
  for (std::size_t shape : shapes) {
    const SplitArnPattern& s = split[shape];
    if (s.matches_no_arn || !s.parts[kArnComponents - 1]) {
      return absl::InvalidArgumentError(
          "a resource shape must name its resource part");
    }
    auto by_slots = slot_classes(*s.parts[kArnComponents - 1]);
    if (!by_slots.ok()) return by_slots.status();
    absl::StatusOr<ComponentClasses> classes =
        by_slots->has_value()
            ? std::move(**by_slots)
            : classes_of(kArnComponents - 1, TokenPattern::FromTokens(
                                                 *s.parts[kArnComponents - 1]));
    if (!classes.ok()) return classes.status();
    Signature sig(words);
    for (const Partial& p : partial) {
      if (!SignatureHas(p.sig, shape)) continue;
      for (std::size_t c = 0; c < classes->witnesses.size(); ++c) {
        AndOf(p.sig, classes->masks[c], sig);
        if (!SignatureHas(sig, shape)) continue;
        const std::string& w = classes->witnesses[c];
        if (auto it = by_signature.find(sig); it != by_signature.end()) {
          if (order.Less(p.prefix, w, "", part.classes_[it->second].witness))
            part.classes_[it->second].witness = p.prefix + w;
          continue;
        }
        by_signature.emplace(sig, part.classes_.size());
        std::string witness = p.prefix + w;
        if (part.classes_.size() >= max_states) {
          return absl::ResourceExhaustedError(
              absl::StrCat("resource abstraction exceeds ", max_states,
                           " classes (", n, " patterns)"));
        }
        part.classes_.push_back(StringClass{std::move(witness), sig});
      }
    }
  }
  // Classes in the order Build gives them: by witness, shortest first.
  std::sort(part.classes_.begin(), part.classes_.end(),
            [&](const StringClass& a, const StringClass& b) {
              return order.Less(a.witness, b.witness);
            });
  part.patterns_ = std::move(patterns);
  for (const std::string& x : extra) {
    Signature sig(words, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (part.patterns_[i].Matches(x))
        sig[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    if (by_signature.emplace(sig, part.classes_.size()).second) {
      part.classes_.push_back(StringClass{x, std::move(sig)});
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

namespace {

// A hash of a product state's bytes.
struct StateBytesHash {
  std::size_t operator()(const std::vector<std::pair<int, int>>& s) const {
    return absl::Hash<std::string_view>()(std::string_view(
        reinterpret_cast<const char*>(s.data()), s.size() * sizeof(s[0])));
  }
};

}  // namespace

namespace {

// VariableValues, reading the occurrences' suffixes when `past_suffixes`
// says so (else as if every suffix were empty and no occurrence whole).
absl::StatusOr<std::vector<std::string>> ValuesOfVariable(
    const std::vector<VariableHost>& hosts,
    const std::vector<TokenPattern>& own, std::size_t max_classes,
    std::size_t max_states, bool past_suffixes) {
  // One automaton per own pattern (read from its start; only whether it
  // accepts V counts) and per host constant and occurrence (read from
  // after the prefix; its state after V and the suffix counts, or for a
  // whole occurrence whether it accepts there).
  struct Entry {
    std::vector<GlobToken> tokens;
    bool keeps_state = false;
    std::string suffix;
    bool whole = false;
    std::vector<int> after_suffix;  // state id -> state id, kDead, kUnfilled
    std::vector<std::vector<int>> sets;  // state id -> NFA positions
    absl::flat_hash_map<std::vector<int>, int> ids;
    std::vector<int>
        next;  // [id * letters + letter]: state id, kDead or kUnfilled
  };
  constexpr int kUnfilled = -2, kDead = -1;
  std::vector<Entry> entries;
  std::vector<std::pair<int, int>> start;  // (entry, state id) of live entries
  bool fold = false;
  // Per host and prefix with a bound: its entries, and those of the bound.
  struct Group {
    std::vector<int> entries;
    std::vector<int> bound;
  };
  std::vector<Group> groups;
  std::vector<int> group_of;  // per entry, -1 for none
  auto add = [&](std::vector<GlobToken> tokens, const std::string& prefix,
                 const VariableHost::Occurrence* occurrence, int group,
                 bool bounds) {
    std::vector<int> at, next;
    Close(tokens, 0, at);
    Normalize(at);
    for (char c : prefix) {
      StepInto(tokens, at, c, next);
      at.swap(next);
    }
    if (at.empty()) return;  // matches no string after the prefix
    if (group >= 0) {
      groups[group].entries.push_back(static_cast<int>(entries.size()));
      if (bounds)
        groups[group].bound.push_back(static_cast<int>(entries.size()));
    }
    group_of.push_back(group);
    Entry e;
    e.tokens = std::move(tokens);
    e.keeps_state = occurrence != nullptr;
    if (occurrence != nullptr && past_suffixes) {
      e.suffix = occurrence->suffix;
      e.whole = occurrence->whole;
    }
    e.ids.emplace(at, 0);
    e.sets.push_back(std::move(at));
    start.emplace_back(static_cast<int>(entries.size()), 0);
    entries.push_back(std::move(e));
  };
  for (const TokenPattern& p : own) add(p.tokens(), "", nullptr, -1, false);
  for (const VariableHost& h : hosts) {
    fold |= h.fold;
    const int first_group = static_cast<int>(groups.size());
    if (!h.domain.empty()) groups.resize(groups.size() + h.occurrences.size());
    const std::set<std::size_t> bounds(h.domain.begin(), h.domain.end());
    for (std::size_t qi = 0; qi < h.constants.size(); ++qi) {
      const TokenPattern& q = h.constants[qi];
      std::vector<GlobToken> tokens = q.tokens();
      if (h.arn) {
        SplitArnPattern split;
        if (!SplitArn(tokens, &split)) {
          return absl::UnimplementedError(
              absl::StrCat("resource pattern ", q.Key(),
                           " has a wildcard that spans components"));
        }
        if (split.matches_no_arn || !split.parts[kArnComponents - 1]) continue;
        tokens = *split.parts[kArnComponents - 1];
      }
      for (std::size_t oi = 0; oi < h.occurrences.size(); ++oi) {
        add(tokens, h.occurrences[oi].prefix, &h.occurrences[oi],
            h.domain.empty() ? -1 : first_group + static_cast<int>(oi),
            bounds.count(qi) > 0);
      }
    }
  }
  // The alphabet: the patterns' characters, then one character per
  // profile of the ranges in use that no pattern names.
  std::set<char> letters = {':', '/'};
  std::vector<TokenPattern> all;
  for (const Entry& e : entries) {
    for (const GlobToken& t : e.tokens) {
      if (t.kind != GlobToken::Kind::kChar) continue;
      letters.insert(t.ch);
      if (t.ignore_case || fold) {
        letters.insert(Lower(t.ch));
        letters.insert(Upper(t.ch));
      }
    }
    all.push_back(TokenPattern::FromTokens(e.tokens));
  }
  std::vector<char> alphabet;
  {
    const unsigned ranges = RangesUsed(all);
    std::string order = "xqzjkvwyb0123456789";
    for (int c = 1; c < 128; ++c) {
      if (order.find(static_cast<char>(c)) == std::string::npos)
        order += static_cast<char>(c);
    }
    std::map<unsigned, char> chosen;
    for (char ch : order) {
      if (letters.count(Lower(ch)) || letters.count(Upper(ch))) continue;
      chosen.emplace(Profile(ch, ranges), ch);
    }
    for (const auto& [profile, ch] : chosen) alphabet.push_back(ch);
    std::sort(alphabet.begin(), alphabet.end(),
              [&](char a, char b) { return order.find(a) < order.find(b); });
    for (char c : letters) {
      if (!std::isupper(static_cast<unsigned char>(c))) alphabet.push_back(c);
    }
    for (char c : letters) {
      if (std::isupper(static_cast<unsigned char>(c))) alphabet.push_back(c);
    }
  }
  std::vector<int> stepped;
  const std::size_t letters_count = alphabet.size();
  auto step = [&](int entry, int id, std::size_t letter) {
    Entry& e = entries[entry];
    const std::size_t slot = id * letters_count + letter;
    if (e.next.size() <= slot)
      e.next.resize(e.sets.size() * letters_count, kUnfilled);
    if (e.next[slot] == kUnfilled) {
      StepInto(e.tokens, e.sets[id], alphabet[letter], stepped);
      int to = kDead;
      if (!stepped.empty()) {
        auto [at, fresh] =
            e.ids.emplace(stepped, static_cast<int>(e.sets.size()));
        if (fresh) e.sets.push_back(stepped);
        to = at->second;
      }
      e.next[slot] = to;
    }
    return e.next[slot];
  };
  // An occurrence entry's state after its suffix, from state `id`.
  auto past_suffix = [&](int entry, int id) {
    Entry& e = entries[entry];
    if (e.after_suffix.size() <= static_cast<std::size_t>(id))
      e.after_suffix.resize(e.sets.size(), kUnfilled);
    if (e.after_suffix[id] == kUnfilled) {
      std::vector<int> at = e.sets[id], next;
      for (char c : e.suffix) {
        StepInto(e.tokens, at, c, next);
        at.swap(next);
        if (at.empty()) break;
      }
      int to = kDead;
      if (!at.empty()) {
        auto [it, fresh] = e.ids.emplace(at, static_cast<int>(e.sets.size()));
        if (fresh) e.sets.push_back(std::move(at));
        to = it->second;
      }
      // (Interning may have grown e.sets.)
      e.after_suffix.resize(e.sets.size(), kUnfilled);
      e.after_suffix[id] = to;
    }
    return e.after_suffix[id];
  };
  // The class of a product state: the states of the occurrence entries
  // past their suffixes (acceptance for whole occurrences), and which own
  // patterns accept.
  std::vector<char> group_live(groups.size());
  std::vector<std::pair<int, int>> past;  // (entry, state id) past suffixes
  auto class_key = [&](const std::vector<std::pair<int, int>>& state) {
    past.clear();
    for (const auto& [entry, id] : state) {
      if (!entries[entry].keeps_state) continue;
      const int to = past_suffix(entry, id);
      if (to != kDead) past.emplace_back(entry, to);
    }
    std::fill(group_live.begin(), group_live.end(), 0);
    for (const auto& [entry, id] : past) {
      const int g = group_of[entry];
      if (g >= 0 && std::binary_search(groups[g].bound.begin(),
                                       groups[g].bound.end(), entry)) {
        group_live[g] = 1;
      }
    }
    std::vector<int> key;
    for (const auto& [entry, id] : state) {
      const Entry& e = entries[entry];
      if (!e.keeps_state && Accepting(e.tokens, e.sets[id]))
        key.push_back(-1 - entry);
    }
    for (const auto& [entry, id] : past) {
      const Entry& e = entries[entry];
      if (group_of[entry] >= 0 && !group_live[group_of[entry]]) continue;
      if (!e.whole) {
        key.push_back(entry);
        key.push_back(id);
      } else if (Accepting(e.tokens, e.sets[id])) {
        key.push_back(-1 - entry);
      }
    }
    return key;
  };
  std::vector<std::vector<std::pair<int, int>>> states = {start};
  absl::flat_hash_map<std::vector<std::pair<int, int>>, int, StateBytesHash>
      state_ids = {{start, 0}};
  std::vector<std::pair<int, char>> parent = {{-1, 0}};
  std::vector<int> class_of, edges;  // edges[state * letters + letter]
  absl::flat_hash_map<std::vector<int>, int> class_ids;
  std::vector<std::string> shortest;      // per class
  std::vector<std::vector<int>> members;  // per class: its states
  auto path_to = [&](int id) {
    std::string path;
    for (; parent[id].first >= 0; id = parent[id].first)
      path += parent[id].second;
    std::reverse(path.begin(), path.end());
    return path;
  };
  auto too_many = [&]() {
    return absl::ResourceExhaustedError(
        absl::StrCat("the values of a policy variable exceed ", max_classes,
                     " classes or ", max_states, " automaton states"));
  };
  auto enter_class = [&](int state) {
    auto [it, added] = class_ids.emplace(class_key(states[state]),
                                         static_cast<int>(shortest.size()));
    if (added) {
      if (shortest.size() >= max_classes) return false;
      shortest.push_back(path_to(state));
      members.emplace_back();
    }
    members[it->second].push_back(state);
    class_of.push_back(it->second);
    return true;
  };
  if (!enter_class(0)) return too_many();
  std::vector<std::pair<int, int>> next;
  for (std::size_t at = 0; at < states.size(); ++at) {
    for (std::size_t letter = 0; letter < letters_count; ++letter) {
      const char c = alphabet[letter];
      next.clear();
      for (const auto& [entry, id] : states[at]) {
        const int to = step(entry, id, letter);
        if (to >= 0) next.emplace_back(entry, to);
      }
      auto [it, added] =
          state_ids.emplace(next, static_cast<int>(states.size()));
      edges.push_back(it->second);
      if (added) {
        if (states.size() >= max_states) return too_many();
        states.push_back(next);
        parent.emplace_back(static_cast<int>(at), c);
        if (!enter_class(it->second)) return too_many();
      }
    }
  }
  std::vector<std::vector<int>> into(states.size());
  for (std::size_t e = 0; e < edges.size(); ++e) {
    into[edges[e]].push_back(static_cast<int>(e / letters_count));
  }
  // The length of every string that reaches a state, when they all have
  // one (-1 otherwise): the edges into it all come from earlier states of
  // one such length.
  std::vector<int> length(states.size(), -1);
  length[0] = into[0].empty() ? 0 : -1;
  for (std::size_t t = 1; t < states.size(); ++t) {
    int l = length[parent[t].first];
    for (int from : into[t]) {
      if (from >= static_cast<int>(t) || length[from] != l) l = -1;
    }
    length[t] = l < 0 ? -1 : l + 1;
  }
  auto same_letter = [&](char a, char b) {
    return fold ? Lower(a) == Lower(b) : a == b;
  };
  std::vector<std::string> out;
  std::vector<int> dist(states.size());
  for (std::size_t k = 0; k < shortest.size(); ++k) {
    const std::string& w = shortest[k];
    out.push_back(w);
    // All members as long as w: each other one is not comparable with
    // w, and equal to it ignoring case where it is not so ignoring case.
    if (std::all_of(members[k].begin(), members[k].end(), [&](int m) {
          return length[m] == static_cast<int>(w.size());
        })) {
      continue;
    }
    // Distances to the class, backwards over the edges.
    constexpr int kFar = std::numeric_limits<int>::max();
    std::fill(dist.begin(), dist.end(), kFar);
    std::deque<int> queue;
    for (int s : members[k]) {
      dist[s] = 0;
      queue.push_back(s);
    }
    while (!queue.empty()) {
      const int s = queue.front();
      queue.pop_front();
      for (int from : into[s]) {
        if (dist[from] != kFar) continue;
        dist[from] = dist[s] + 1;
        queue.push_back(from);
      }
    }
    // The shortest member from state `s` on, after `prefix`.
    auto complete = [&](std::string prefix, int s) {
      while (dist[s] > 0) {
        for (std::size_t a = 0; a < letters_count; ++a) {
          const int t = edges[s * letters_count + a];
          if (dist[t] == dist[s] - 1) {
            prefix += alphabet[a];
            s = t;
            break;
          }
        }
      }
      return prefix;
    };
    // A member that leaves w's path before its end (not comparable with
    // w: any member w is a proper prefix of is not comparable with it);
    // else two members that leave it at its end by different letters (any
    // member other than w is not comparable with one of them).
    std::vector<std::string> found;
    int s = 0;
    for (std::size_t i = 0; i <= w.size() && found.empty(); ++i) {
      for (std::size_t a = 0; a < letters_count; ++a) {
        if (i < w.size() && same_letter(alphabet[a], w[i])) continue;
        const int t = edges[s * letters_count + a];
        if (dist[t] == kFar) continue;
        if (i == w.size() && !found.empty() &&
            same_letter(found[0][i], alphabet[a]))
          continue;
        found.push_back(complete(w.substr(0, i) + alphabet[a], t));
        if (i < w.size() || found.size() == 2) break;
      }
      if (i == w.size() && found.size() < 2) found.clear();
      if (i < w.size()) {
        std::size_t a = 0;
        while (alphabet[a] != w[i]) ++a;
        s = edges[s * letters_count + a];
      }
    }
    if (found.empty()) {
      return absl::UnimplementedError(
          absl::StrCat("the values of a policy variable from \"", w,
                       "\" on form a chain of prefixes"));
    }
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> VariableValues(
    const std::vector<VariableHost>& hosts,
    const std::vector<TokenPattern>& own, std::size_t max_classes,
    std::size_t max_states) {
  auto values = ValuesOfVariable(hosts, own, max_classes, max_states,
                                 /*past_suffixes=*/true);
  // Read past its suffixes, a class can be a chain of prefixes ("k1" and
  // every "k1-..." after "table/k1-*" read past "-"); with the states
  // before the suffixes, its members are told apart.
  if (!values.ok() &&
      values.status().code() == absl::StatusCode::kUnimplemented) {
    bool suffixes = false;
    for (const VariableHost& h : hosts) {
      for (const VariableHost::Occurrence& o : h.occurrences)
        suffixes |= !o.suffix.empty() || o.whole;
    }
    if (suffixes) {
      return ValuesOfVariable(hosts, own, max_classes, max_states,
                              /*past_suffixes=*/false);
    }
  }
  return values;
}

}  // namespace leastpriv::smt
