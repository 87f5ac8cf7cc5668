// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/value_classes.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv::analysis {

using smt::TokenPattern;

namespace {

// A date string the evaluator reads as exactly `ms`, if there is one of the
// forms written here (ISO 8601 in UTC with milliseconds, or epoch seconds).
std::optional<std::string> RenderDate(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rest = ms - days * 86400000;
  const absl::CivilDay day = absl::CivilDay(1970, 1, 1) + days;
  const int64_t y = day.year();
  const int mo = day.month(), d = day.day();
  std::string out;
  if (y >= 0 && y <= 9999) {
    out = absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d,
                          rest / 3600000, rest / 60000 % 60, rest / 1000 % 60,
                          rest % 1000);
  } else if (ms >= 0 && ms % 1000 == 0 && ms / 1000 < 1000000000000000LL) {
    out = absl::StrCat(ms / 1000);
  } else {
    return std::nullopt;
  }
  auto back = eval::ParseDateMillis(out);
  if (!back || *back != ms) return std::nullopt;
  return out;
}

// A date witness strictly between `lo` and `hi` (either may be absent).
std::optional<std::string> DateBetween(std::optional<int64_t> lo,
                                       std::optional<int64_t> hi) {
  std::vector<int64_t> candidates;
  if (lo) {
    candidates.push_back(*lo + 1);
    candidates.push_back((*lo / 1000 + 1) * 1000);
  }
  if (hi) {
    candidates.push_back(*hi - 1);
    candidates.push_back((*hi - 1) / 1000 * 1000);
  }
  if (!lo && !hi) candidates.push_back(946684800000);  // 2000-01-01
  for (int64_t c : candidates) {
    if ((lo && c <= *lo) || (hi && c >= *hi)) continue;
    if (auto s = RenderDate(c)) return s;
  }
  return std::nullopt;
}

using Uint128 = unsigned __int128;

Uint128 IpBits(const eval::IpBlock& b) {
  Uint128 v = 0;
  const int bytes = b.is_v4 ? 4 : 16;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | b.bytes[i];
  return v;
}

std::string RenderIp(Uint128 v, bool v4) {
  if (v4) {
    return absl::StrFormat("%d.%d.%d.%d", static_cast<int>((v >> 24) & 0xff),
                           static_cast<int>((v >> 16) & 0xff),
                           static_cast<int>((v >> 8) & 0xff),
                           static_cast<int>(v & 0xff));
  }
  std::vector<std::string> groups;
  for (int g = 7; g >= 0; --g) {
    groups.push_back(
        absl::StrFormat("%x", static_cast<unsigned>((v >> (16 * g)) & 0xffff)));
  }
  return absl::StrJoin(groups, ":");
}

}  // namespace

ValueFamily FamilyOf(ConditionOperator op) {
  switch (eval::PositiveOperator(op, nullptr)) {
    case ConditionOperator::kStringEquals:
    case ConditionOperator::kStringEqualsIgnoreCase:
    case ConditionOperator::kStringLike:
    case ConditionOperator::kArnEquals:
    case ConditionOperator::kArnLike:
      return ValueFamily::kString;
    case ConditionOperator::kNumericEquals:
    case ConditionOperator::kNumericLessThan:
    case ConditionOperator::kNumericLessThanEquals:
    case ConditionOperator::kNumericGreaterThan:
    case ConditionOperator::kNumericGreaterThanEquals:
      return ValueFamily::kNumeric;
    case ConditionOperator::kDateEquals:
    case ConditionOperator::kDateLessThan:
    case ConditionOperator::kDateLessThanEquals:
    case ConditionOperator::kDateGreaterThan:
    case ConditionOperator::kDateGreaterThanEquals:
      return ValueFamily::kDate;
    case ConditionOperator::kBool:
      return ValueFamily::kBool;
    case ConditionOperator::kIpAddress:
      return ValueFamily::kIp;
    case ConditionOperator::kBinaryEquals:
      return ValueFamily::kBinary;
    default:
      return ValueFamily::kNone;
  }
}

std::vector<std::string> DateWitnesses(const std::vector<std::string>& texts,
                                       std::string* problem) {
  std::vector<int64_t> cuts;
  for (const std::string& t : texts) {
    if (auto ms = eval::ParseDateMillis(t)) cuts.push_back(*ms);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<std::string> out;
  auto between = [&](std::optional<int64_t> lo, std::optional<int64_t> hi) {
    if (lo && hi && *hi - *lo < 2) return;
    if (auto s = DateBetween(lo, hi)) {
      out.push_back(*s);
    } else {
      *problem = "no date witness between date thresholds";
    }
  };
  std::optional<int64_t> prev;
  for (int64_t c : cuts) {
    between(prev, c);
    // The threshold itself: one of the policy texts that reads as it.
    for (const std::string& t : texts) {
      auto ms = eval::ParseDateMillis(t);
      if (ms && *ms == c) {
        out.push_back(t);
        break;
      }
    }
    prev = c;
  }
  between(prev, std::nullopt);
  out.push_back(kNotADate);
  return out;
}

std::vector<std::string> IpWitnesses(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (bool v4 : {true, false}) {
    const int width = v4 ? 32 : 128;
    const Uint128 max = v4 ? Uint128{0xffffffffu} : ~Uint128{0};
    std::set<Uint128> cuts = {0};
    for (const std::string& t : texts) {
      auto b = eval::ParseIpBlock(t);
      if (!b || b->is_v4 != v4) continue;
      const int host = width - b->prefix;
      const Uint128 host_mask =
          host == 0 ? 0
                    : (host >= 128 ? ~Uint128{0} : ((Uint128{1} << host) - 1));
      const Uint128 lo = IpBits(*b) & ~host_mask & max;
      const Uint128 hi = lo | host_mask;
      cuts.insert(lo);
      if (hi != max) cuts.insert(hi + 1);
    }
    for (Uint128 c : cuts) out.push_back(RenderIp(c, v4));
  }
  out.push_back(kNotAnAddress);
  return out;
}

std::vector<std::string> BinaryWitnesses(
    const std::vector<std::string>& texts) {
  std::set<std::string> decoded;
  for (const std::string& t : texts) {
    if (auto d = eval::DecodeBinaryValue(t)) decoded.insert(*d);
  }
  std::vector<std::string> out;
  for (const std::string& d : decoded) out.push_back(absl::Base64Escape(d));
  std::string other = "leastpriv";
  while (decoded.count(other)) other += "+";
  out.push_back(absl::Base64Escape(other));
  out.push_back(kNotBase64);
  return out;
}

std::optional<TokenPattern> ValuePattern(ConditionOperator pos,
                                         const eval::GlobPattern& v) {
  switch (pos) {
    case ConditionOperator::kStringEquals:
      return TokenPattern::Literal(v.text, false);
    case ConditionOperator::kStringEqualsIgnoreCase:
      return TokenPattern::Literal(v.text, true);
    case ConditionOperator::kStringLike:
      return TokenPattern::Wildcard(v.text, false, v.literal);
    case ConditionOperator::kArnEquals:
    case ConditionOperator::kArnLike:
      if (TokenPattern::ArnMatchesNothing(v.text, v.literal))
        return std::nullopt;
      return TokenPattern::Arn(v.text, v.literal);
    default:
      return std::nullopt;
  }
}

}  // namespace leastpriv::analysis
