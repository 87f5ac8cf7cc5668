// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/typed_values.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"

namespace leastpriv::eval {
namespace {

// Debian's Abseil has its own string_view type; these helpers keep the code
// on std::string_view.
absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool ParseBool(std::string_view s, bool* out) {
  if (absl::EqualsIgnoreCase(AbslView(s), "true")) {
    *out = true;
    return true;
  }
  if (absl::EqualsIgnoreCase(AbslView(s), "false")) {
    *out = false;
    return true;
  }
  return false;
}

bool ParseNumber(std::string_view s, double* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t digits = 0;
  while (i < s.size() && absl::ascii_isdigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && absl::ascii_isdigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && absl::ascii_isdigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  return absl::SimpleAtod(AbslView(s), out);
}

bool ReadDigits(std::string_view s, size_t* i, int count, int* out) {
  int v = 0;
  for (int k = 0; k < count; ++k) {
    if (*i >= s.size() || !absl::ascii_isdigit(s[*i])) return false;
    v = v * 10 + (s[*i] - '0');
    ++*i;
  }
  *out = v;
  return true;
}

// ISO 8601 date or date-time, or epoch seconds; result in milliseconds.
bool ParseDate(std::string_view s, int64_t* out_ms) {
  if (s.empty()) return false;
  bool all_digits = true;
  for (char c : s) all_digits &= absl::ascii_isdigit(c) != 0;
  if (all_digits) {
    if (s.size() > 15) return false;
    int64_t secs = 0;
    for (char c : s) secs = secs * 10 + (c - '0');
    *out_ms = secs * 1000;
    return true;
  }
  size_t i = 0;
  int year, month, day;
  if (!ReadDigits(s, &i, 4, &year)) return false;
  if (i >= s.size() || s[i++] != '-') return false;
  if (!ReadDigits(s, &i, 2, &month)) return false;
  if (i >= s.size() || s[i++] != '-') return false;
  if (!ReadDigits(s, &i, 2, &day)) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  // A day past the month's end (up to the 31st) runs into the next month,
  // as CivilDay normalises it.
  int64_t ms = (absl::CivilDay(year, month, day) - absl::CivilDay(1970, 1, 1)) *
               86400000LL;
  if (i == s.size()) {
    *out_ms = ms;
    return true;
  }
  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return false;
  ++i;
  int hour, minute, second = 0, millis = 0;
  if (!ReadDigits(s, &i, 2, &hour)) return false;
  if (i >= s.size() || s[i++] != ':') return false;
  if (!ReadDigits(s, &i, 2, &minute)) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!ReadDigits(s, &i, 2, &second)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      int scale = 100, count = 0;
      while (i < s.size() && absl::ascii_isdigit(s[i])) {
        millis += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        ++count;
      }
      if (count == 0) return false;
    }
  }
  if (hour > 24 || minute > 59 || second > 60) return false;
  ms += ((hour * 60LL + minute) * 60 + second) * 1000 + millis;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '+' ? 1 : -1;
      ++i;
      int oh, om = 0;
      if (!ReadDigits(s, &i, 2, &oh)) return false;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !ReadDigits(s, &i, 2, &om)) return false;
      ms -= sign * (oh * 60LL + om) * 60000;
    } else {
      return false;
    }
  }
  if (i != s.size()) return false;
  *out_ms = ms;
  return true;
}

// A 128-bit address; IPv4 addresses use the low 32 bits with is_v4 set.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;
};

bool ParseIpv4(std::string_view s, uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t start = i;
    int v = 0;
    while (i < s.size() && absl::ascii_isdigit(s[i]) && i - start < 3) {
      v = v * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start || v > 255) return false;
    if (i - start > 1 && s[start] == '0') return false;
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

bool ParseIpv6(std::string_view s, uint8_t out[16]) {
  std::vector<uint16_t> head, tail;
  bool seen_gap = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    seen_gap = true;
    i = 2;
  }
  uint8_t v4[4];
  bool has_v4 = false;
  while (i < s.size()) {
    size_t next = s.find(':', i);
    std::string_view group =
        s.substr(i, next == std::string_view::npos ? s.size() - i : next - i);
    if (next == std::string_view::npos && group.find('.') != group.npos) {
      if (!ParseIpv4(group, v4)) return false;
      has_v4 = true;
      i = s.size();
      break;
    }
    if (group.empty() || group.size() > 4) return false;
    uint32_t v = 0;
    for (char c : group) {
      if (!absl::ascii_isxdigit(c)) return false;
      v = v * 16 + (absl::ascii_isdigit(c) ? c - '0'
                                           : absl::ascii_tolower(c) - 'a' + 10);
    }
    (seen_gap ? tail : head).push_back(static_cast<uint16_t>(v));
    if (next == std::string_view::npos) {
      i = s.size();
      break;
    }
    i = next + 1;
    if (i < s.size() && s[i] == ':') {
      if (seen_gap) return false;
      seen_gap = true;
      ++i;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  const size_t groups = head.size() + tail.size() + (has_v4 ? 2 : 0);
  if (seen_gap ? groups > 7 : groups != 8) return false;
  std::array<uint16_t, 8> all{};
  size_t k = 0;
  for (uint16_t g : head) all[k++] = g;
  k = 8 - tail.size() - (has_v4 ? 2 : 0);
  for (uint16_t g : tail) all[k++] = g;
  if (has_v4) {
    all[6] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
    all[7] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
  }
  for (int g = 0; g < 8; ++g) {
    out[2 * g] = static_cast<uint8_t>(all[g] >> 8);
    out[2 * g + 1] = static_cast<uint8_t>(all[g] & 0xff);
  }
  return true;
}

bool ParseIp(std::string_view s, IpAddress* out) {
  if (s.find(':') != std::string_view::npos) {
    out->is_v4 = false;
    return ParseIpv6(s, out->bytes.data());
  }
  out->is_v4 = true;
  return ParseIpv4(s, out->bytes.data());
}

// Policy value: an address or a CIDR block.
bool ParseCidr(std::string_view s, IpAddress* out, int* prefix) {
  size_t slash = s.find('/');
  if (!ParseIp(s.substr(0, slash), out)) return false;
  const int max = out->is_v4 ? 32 : 128;
  if (slash == std::string_view::npos) {
    *prefix = max;
    return true;
  }
  std::string_view bits = s.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  int v = 0;
  for (char c : bits) {
    if (!absl::ascii_isdigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *prefix = v;
  return true;
}

// Base64 as AWS writes binary values; whitespace is not allowed.
bool ParseBase64(std::string_view s, std::string* out) {
  if (s.empty()) {
    out->clear();
    return true;
  }
  for (char c : s) {
    if (!(absl::ascii_isalnum(c) || c == '+' || c == '/' || c == '=')) {
      return false;
    }
  }
  return absl::Base64Unescape(AbslView(s), out);
}

}  // namespace

std::optional<bool> ParseBoolValue(std::string_view s) {
  bool v;
  if (!ParseBool(s, &v)) return std::nullopt;
  return v;
}

std::optional<double> ParseNumberValue(std::string_view s) {
  double v;
  if (!ParseNumber(s, &v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseDateMillis(std::string_view s) {
  int64_t ms;
  if (!ParseDate(s, &ms)) return std::nullopt;
  return ms;
}

std::optional<IpBlock> ParseIpBlock(std::string_view s) {
  IpAddress ip;
  IpBlock out;
  if (!ParseCidr(s, &ip, &out.prefix)) return std::nullopt;
  out.bytes = ip.bytes;
  out.is_v4 = ip.is_v4;
  return out;
}

std::optional<IpBlock> ParseIpAddress(std::string_view s) {
  IpAddress ip;
  if (!ParseIp(s, &ip)) return std::nullopt;
  IpBlock out;
  out.bytes = ip.bytes;
  out.is_v4 = ip.is_v4;
  out.prefix = ip.is_v4 ? 32 : 128;
  return out;
}

std::optional<std::string> DecodeBinaryValue(std::string_view s) {
  std::string out;
  if (!ParseBase64(s, &out)) return std::nullopt;
  return out;
}

bool BlockContains(const IpBlock& block, const IpBlock& address) {
  if (block.is_v4 != address.is_v4) return false;
  for (int bit = 0; bit < block.prefix; ++bit) {
    const int byte = bit / 8, mask = 0x80 >> (bit % 8);
    if ((block.bytes[byte] & mask) != (address.bytes[byte] & mask)) {
      return false;
    }
  }
  return true;
}

}  // namespace leastpriv::eval
