// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A pattern is split at its wildcard stars into segments: the first segment
// is anchored at the start of the text, the last at its end, and each middle
// segment is matched at its leftmost occurrence after the previous one
// (leftmost is always optimal because stars absorb whatever lies between).
// Middle segments are searched with the bit-parallel Shift-And algorithm,
// which handles `?` by accepting every byte at that position.
//
// ARN patterns are matched component by component with the same routine, on
// ranges of the pattern, so the literal flags of a substituted pattern keep
// their positions.

#include "lib/glob/glob.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace leastpriv {
namespace {

constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

// A range of a pattern's characters and which of them are wildcards.
class PatternView {
 public:
  PatternView(std::string_view text, const std::vector<bool>* literal,
              std::size_t base = 0)
      : text_(text), literal_(literal), base_(base) {}

  std::size_t size() const { return text_.size(); }
  char operator[](std::size_t i) const { return text_[i]; }
  bool IsStar(std::size_t i) const { return text_[i] == '*' && IsWild(i); }
  bool IsOne(std::size_t i) const { return text_[i] == '?' && IsWild(i); }
  // The characters [begin, end).
  PatternView Sub(std::size_t begin, std::size_t end) const {
    return PatternView(text_.substr(begin, end - begin), literal_,
                       base_ + begin);
  }
  // The first wildcard star at or after `from`, or npos.
  std::size_t FindStar(std::size_t from) const {
    for (std::size_t i = text_.find('*', from); i != std::string_view::npos;
         i = text_.find('*', i + 1)) {
      if (IsWild(i)) return i;
    }
    return std::string_view::npos;
  }
  // The last wildcard star, or npos.
  std::size_t FindLastStar() const {
    for (std::size_t i = text_.rfind('*'); i != std::string_view::npos;
         i = i == 0 ? std::string_view::npos : text_.rfind('*', i - 1)) {
      if (IsWild(i)) return i;
    }
    return std::string_view::npos;
  }

 private:
  bool IsWild(std::size_t i) const {
    return literal_ == nullptr || !(*literal_)[base_ + i];
  }

  std::string_view text_;
  const std::vector<bool>* literal_;  // null: no literal characters
  std::size_t base_;                  // index of text_[0] in *literal_
};

unsigned char Fold(char c, GlobCase glob_case) {
  unsigned char u = static_cast<unsigned char>(c);
  if (glob_case == GlobCase::kInsensitive && u >= 'A' && u <= 'Z') {
    return static_cast<unsigned char>(u - 'A' + 'a');
  }
  return u;
}

// Whether `segment` (no wildcard stars) matches
// text[pos, pos + segment.size()).
bool SegmentMatchesAt(const PatternView& segment, std::string_view text,
                      std::size_t pos, GlobCase glob_case) {
  if (pos > text.size() || text.size() - pos < segment.size()) return false;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment.IsOne(i)) continue;
    if (Fold(segment[i], glob_case) != Fold(text[pos + i], glob_case)) {
      return false;
    }
  }
  return true;
}

// Shift-And over a segment of at most 64 characters, with its tables on the
// stack: the common case, and the one on the evaluator's hot path.
std::size_t FindLeftmostShort(const PatternView& segment, std::string_view text,
                              std::size_t from, std::size_t limit,
                              GlobCase glob_case) {
  const std::size_t m = segment.size();
  std::uint64_t wild = 0;
  std::array<std::uint8_t, 256> slot;
  slot.fill(0xff);
  std::uint64_t masks[64];
  std::uint8_t slots = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (segment.IsOne(i)) {
      wild |= bit;
      continue;
    }
    const unsigned char b = Fold(segment[i], glob_case);
    if (slot[b] == 0xff) {
      slot[b] = slots;
      masks[slots++] = 0;
    }
    masks[slot[b]] |= bit;
  }
  for (std::uint8_t s = 0; s < slots; ++s) masks[s] |= wild;
  const std::uint64_t last_bit = std::uint64_t{1} << (m - 1);
  std::uint64_t state = 0;
  for (std::size_t j = from; j < limit; ++j) {
    const std::uint8_t s = slot[Fold(text[j], glob_case)];
    state = ((state << 1) | 1) & (s == 0xff ? wild : masks[s]);
    if (state & last_bit) return j + 1 - m;
  }
  return kNotFound;
}

// Start of the leftmost occurrence of `segment` (non-empty, no wildcard
// stars) lying entirely inside text[from, limit), or kNotFound.
std::size_t FindLeftmost(const PatternView& segment, std::string_view text,
                         std::size_t from, std::size_t limit,
                         GlobCase glob_case) {
  const std::size_t m = segment.size();
  if (limit < from || limit - from < m) return kNotFound;
  if (m <= 64) return FindLeftmostShort(segment, text, from, limit, glob_case);
  const std::size_t words = (m + 63) / 64;

  // masks[slot[b]] has bit i set when segment[i] accepts byte b; bytes that
  // occur nowhere in the segment use `wild` (the `?` positions).
  std::vector<std::uint64_t> wild(words, 0);
  std::array<int, 256> slot;
  slot.fill(-1);
  std::vector<std::uint64_t> masks;
  int slots = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (segment.IsOne(i)) {
      wild[i / 64] |= bit;
      continue;
    }
    unsigned char b = Fold(segment[i], glob_case);
    if (slot[b] < 0) {
      slot[b] = slots++;
      masks.resize(masks.size() + words, 0);
    }
    masks[slot[b] * words + i / 64] |= bit;
  }
  for (int s = 0; s < slots; ++s) {
    for (std::size_t w = 0; w < words; ++w) masks[s * words + w] |= wild[w];
  }

  std::vector<std::uint64_t> state(words, 0);
  const std::size_t last_word = (m - 1) / 64;
  const std::uint64_t last_bit = std::uint64_t{1} << ((m - 1) % 64);
  for (std::size_t j = from; j < limit; ++j) {
    int s = slot[Fold(text[j], glob_case)];
    const std::uint64_t* mask = s < 0 ? wild.data() : &masks[s * words];
    std::uint64_t carry = 1;  // a match may start at every position
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t next_carry = state[w] >> 63;
      state[w] = ((state[w] << 1) | carry) & mask[w];
      carry = next_carry;
    }
    if (state[last_word] & last_bit) return j + 1 - m;
  }
  return kNotFound;
}

bool Match(const PatternView& pattern, std::string_view text,
           GlobCase glob_case) {
  const std::size_t first_star = pattern.FindStar(0);
  if (first_star == std::string_view::npos) {
    return pattern.size() == text.size() &&
           SegmentMatchesAt(pattern, text, 0, glob_case);
  }
  const std::size_t last_star = pattern.FindLastStar();
  const PatternView head = pattern.Sub(0, first_star);
  const PatternView tail = pattern.Sub(last_star + 1, pattern.size());
  if (head.size() + tail.size() > text.size()) return false;
  if (!SegmentMatchesAt(head, text, 0, glob_case)) return false;
  const std::size_t limit = text.size() - tail.size();
  if (!SegmentMatchesAt(tail, text, limit, glob_case)) return false;

  std::size_t pos = head.size();
  std::size_t i = first_star + 1;
  while (i < last_star) {
    const std::size_t next = pattern.FindStar(i);
    const PatternView segment = pattern.Sub(i, next);
    i = next + 1;
    if (segment.size() == 0) continue;
    const std::size_t at = FindLeftmost(segment, text, pos, limit, glob_case);
    if (at == kNotFound) return false;
    pos = at + segment.size();
  }
  return true;
}

// Whether a pattern of fewer than six components (`parts`) can match: its
// last component is non-empty and ends in a wildcard star.
bool ShortFormUsable(const PatternView& pattern, const ColonSplit& parts) {
  const auto [begin, end] = parts.at[parts.count - 1];
  return end > begin && pattern.IsStar(end - 1);
}

bool MatchArn(const PatternView& pattern, const ColonSplit& p_parts,
              std::string_view arn, const ColonSplit& a_parts) {
  if (pattern.size() == 1 && pattern.IsStar(0)) return true;
  auto component = [&](std::size_t i) {
    const auto [begin, end] = a_parts.at[i];
    return arn.substr(begin, end - begin);
  };
  auto pattern_component = [&](std::size_t i) {
    const auto [begin, end] = p_parts.at[i];
    return pattern.Sub(begin, end);
  };
  if (p_parts.count == 6) {
    if (a_parts.count != 6) return false;
    // The resource part first: it tells most ARNs apart.
    if (!Match(pattern_component(5), component(5), GlobCase::kSensitive)) {
      return false;
    }
    for (std::size_t i = 0; i < 5; ++i) {
      if (!Match(pattern_component(i), component(i), GlobCase::kInsensitive)) {
        return false;
      }
    }
    return true;
  }
  // Fewer than six components: the last one must end in a wildcard '*' that
  // absorbs the remaining components of the ARN.
  const std::size_t k = p_parts.count;
  if (!ShortFormUsable(pattern, p_parts) || a_parts.count < k) return false;
  for (std::size_t i = 0; i + 1 < k; ++i) {
    if (!Match(pattern_component(i), component(i), GlobCase::kInsensitive)) {
      return false;
    }
  }
  return Match(pattern_component(k - 1), arn.substr(a_parts.at[k - 1].first),
               GlobCase::kInsensitive);
}

}  // namespace

GlobPattern GlobPattern::Wildcards(std::string_view text) {
  GlobPattern p;
  p.Append(text, false);
  return p;
}

GlobPattern GlobPattern::Literal(std::string_view text) {
  GlobPattern p;
  p.Append(text, true);
  return p;
}

void GlobPattern::Append(std::string_view s, bool is_literal) {
  text.append(s.data(), s.size());
  literal.insert(literal.end(), s.size(), is_literal);
}

bool GlobPattern::HasWildcards() const {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!literal[i] && (text[i] == '*' || text[i] == '?')) return true;
  }
  return false;
}

bool GlobMatch(std::string_view pattern, std::string_view text,
               GlobCase glob_case) {
  return Match(PatternView(pattern, nullptr), text, glob_case);
}

bool GlobMatch(const GlobPattern& pattern, std::string_view text,
               GlobCase glob_case) {
  return Match(PatternView(pattern.text, &pattern.literal), text, glob_case);
}

bool HasWildcard(std::string_view pattern) {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

bool ActionMatches(std::string_view pattern, std::string_view action) {
  return GlobMatch(pattern, action, GlobCase::kInsensitive);
}

ColonSplit SplitAtColons(std::string_view s) {
  ColonSplit parts;
  std::size_t start = 0;
  while (parts.count + 1 < parts.at.size()) {
    const std::size_t colon = s.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.at[parts.count++] = {start, colon};
    start = colon + 1;
  }
  parts.at[parts.count++] = {start, s.size()};
  return parts;
}

bool ArnMatches(const GlobPattern& pattern, const ColonSplit& pattern_parts,
                std::string_view arn, const ColonSplit& arn_parts) {
  return MatchArn(PatternView(pattern.text, &pattern.literal), pattern_parts,
                  arn, arn_parts);
}

bool ArnMatches(const GlobPattern& pattern, std::string_view arn) {
  return MatchArn(PatternView(pattern.text, &pattern.literal),
                  SplitAtColons(pattern.text), arn, SplitAtColons(arn));
}

bool ArnMatches(std::string_view pattern, std::string_view arn) {
  return MatchArn(PatternView(pattern, nullptr), SplitAtColons(pattern), arn,
                  SplitAtColons(arn));
}

bool ArnPatternMatchesNothing(std::string_view pattern,
                              const std::vector<bool>& literal) {
  const PatternView view(pattern, literal.empty() ? nullptr : &literal);
  if (pattern.size() == 1 && view.IsStar(0)) return false;
  const ColonSplit parts = SplitAtColons(pattern);
  return parts.count < 6 && !ShortFormUsable(view, parts);
}

}  // namespace leastpriv
