// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A pattern is split at its stars into segments: the first segment is
// anchored at the start of the text, the last at its end, and each middle
// segment is matched at its leftmost occurrence after the previous one
// (leftmost is always optimal because stars absorb whatever lies between).
// Middle segments are searched with the bit-parallel Shift-And algorithm,
// which handles `?` by accepting every byte at that position.

#include "lib/glob/glob.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace leastpriv {
namespace {

constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

unsigned char Fold(char c, GlobCase glob_case) {
  unsigned char u = static_cast<unsigned char>(c);
  if (glob_case == GlobCase::kInsensitive && u >= 'A' && u <= 'Z') {
    return static_cast<unsigned char>(u - 'A' + 'a');
  }
  return u;
}

// Whether `segment` (no stars) matches text[pos, pos + segment.size()).
bool SegmentMatchesAt(std::string_view segment, std::string_view text,
                      std::size_t pos, GlobCase glob_case) {
  if (pos > text.size() || text.size() - pos < segment.size()) return false;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '?') continue;
    if (Fold(segment[i], glob_case) != Fold(text[pos + i], glob_case)) {
      return false;
    }
  }
  return true;
}

// Start of the leftmost occurrence of `segment` (non-empty, no stars) lying
// entirely inside text[from, limit), or kNotFound.
std::size_t FindLeftmost(std::string_view segment, std::string_view text,
                         std::size_t from, std::size_t limit,
                         GlobCase glob_case) {
  const std::size_t m = segment.size();
  if (limit < from || limit - from < m) return kNotFound;
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
    if (segment[i] == '?') {
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

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text,
               GlobCase glob_case) {
  const std::size_t first_star = pattern.find('*');
  if (first_star == std::string_view::npos) {
    return pattern.size() == text.size() &&
           SegmentMatchesAt(pattern, text, 0, glob_case);
  }
  const std::size_t last_star = pattern.rfind('*');
  const std::string_view head = pattern.substr(0, first_star);
  const std::string_view tail = pattern.substr(last_star + 1);
  if (head.size() + tail.size() > text.size()) return false;
  if (!SegmentMatchesAt(head, text, 0, glob_case)) return false;
  const std::size_t limit = text.size() - tail.size();
  if (!SegmentMatchesAt(tail, text, limit, glob_case)) return false;

  std::size_t pos = head.size();
  std::size_t i = first_star + 1;
  while (i < last_star) {
    std::size_t next = pattern.find('*', i);
    std::string_view segment = pattern.substr(i, next - i);
    i = next + 1;
    if (segment.empty()) continue;
    std::size_t at = FindLeftmost(segment, text, pos, limit, glob_case);
    if (at == kNotFound) return false;
    pos = at + segment.size();
  }
  return true;
}

bool HasWildcard(std::string_view pattern) {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

}  // namespace leastpriv
