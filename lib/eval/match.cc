// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/match.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "lib/glob/glob.h"

namespace leastpriv::eval {
namespace {

// Debian's Abseil has its own string_view type; these helpers keep the code
// on std::string_view.
absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view StripWhitespace(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(s.front())) s.remove_prefix(1);
  while (!s.empty() && absl::ascii_isspace(s.back())) s.remove_suffix(1);
  return s;
}

bool ParseBool(std::string_view s, bool* out) {
  if (EqualsIgnoreCase(s, "true")) {
    *out = true;
    return true;
  }
  if (EqualsIgnoreCase(s, "false")) {
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

bool IpInCidr(std::string_view cidr, std::string_view address) {
  IpAddress net, ip;
  int prefix;
  if (!ParseCidr(cidr, &net, &prefix) || !ParseIp(address, &ip)) return false;
  if (net.is_v4 != ip.is_v4) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8, mask = 0x80 >> (bit % 8);
    if ((net.bytes[byte] & mask) != (ip.bytes[byte] & mask)) return false;
  }
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

bool PositiveValueMatches(ConditionOperator op, const GlobPattern& policy,
                          std::string_view value, bool* parsed) {
  *parsed = true;
  switch (op) {
    case ConditionOperator::kStringEquals:
      return policy.text == value;
    case ConditionOperator::kStringEqualsIgnoreCase:
      return EqualsIgnoreCase(policy.text, value);
    case ConditionOperator::kStringLike:
      return GlobMatch(policy, value, GlobCase::kSensitive);
    case ConditionOperator::kNumericEquals:
    case ConditionOperator::kNumericLessThan:
    case ConditionOperator::kNumericLessThanEquals:
    case ConditionOperator::kNumericGreaterThan:
    case ConditionOperator::kNumericGreaterThanEquals: {
      double p, v;
      if (!ParseNumber(policy.text, &p) || !ParseNumber(value, &v)) {
        *parsed = false;
        return false;
      }
      switch (op) {
        case ConditionOperator::kNumericEquals:
          return v == p;
        case ConditionOperator::kNumericLessThan:
          return v < p;
        case ConditionOperator::kNumericLessThanEquals:
          return v <= p;
        case ConditionOperator::kNumericGreaterThan:
          return v > p;
        default:
          return v >= p;
      }
    }
    case ConditionOperator::kDateEquals:
    case ConditionOperator::kDateLessThan:
    case ConditionOperator::kDateLessThanEquals:
    case ConditionOperator::kDateGreaterThan:
    case ConditionOperator::kDateGreaterThanEquals: {
      int64_t p, v;
      if (!ParseDate(policy.text, &p) || !ParseDate(value, &v)) {
        *parsed = false;
        return false;
      }
      switch (op) {
        case ConditionOperator::kDateEquals:
          return v == p;
        case ConditionOperator::kDateLessThan:
          return v < p;
        case ConditionOperator::kDateLessThanEquals:
          return v <= p;
        case ConditionOperator::kDateGreaterThan:
          return v > p;
        default:
          return v >= p;
      }
    }
    case ConditionOperator::kBool: {
      bool p, v;
      if (!ParseBool(policy.text, &p) || !ParseBool(value, &v)) {
        *parsed = false;
        return false;
      }
      return p == v;
    }
    case ConditionOperator::kBinaryEquals: {
      std::string p, v;
      if (!ParseBase64(policy.text, &p) || !ParseBase64(value, &v)) {
        *parsed = false;
        return false;
      }
      return p == v;
    }
    case ConditionOperator::kIpAddress: {
      IpAddress ip, net;
      int prefix;
      if (!ParseIp(value, &ip) || !ParseCidr(policy.text, &net, &prefix)) {
        *parsed = false;
        return false;
      }
      return IpInCidr(policy.text, value);
    }
    case ConditionOperator::kArnEquals:
    case ConditionOperator::kArnLike:
      return ArnMatches(policy, value);
    default:
      *parsed = false;
      return false;
  }
}

bool IsMultiValued(const ContextValue& v) {
  return v.multi_valued || v.values.size() != 1;
}

}  // namespace

ConditionOperator PositiveOperator(ConditionOperator op, bool* negated) {
  using Op = ConditionOperator;
  Op positive = op;
  switch (op) {
    case Op::kStringNotEquals:
      positive = Op::kStringEquals;
      break;
    case Op::kStringNotEqualsIgnoreCase:
      positive = Op::kStringEqualsIgnoreCase;
      break;
    case Op::kStringNotLike:
      positive = Op::kStringLike;
      break;
    case Op::kNumericNotEquals:
      positive = Op::kNumericEquals;
      break;
    case Op::kDateNotEquals:
      positive = Op::kDateEquals;
      break;
    case Op::kNotIpAddress:
      positive = Op::kIpAddress;
      break;
    case Op::kArnNotEquals:
      positive = Op::kArnEquals;
      break;
    case Op::kArnNotLike:
      positive = Op::kArnLike;
      break;
    default:
      break;
  }
  if (negated != nullptr) *negated = positive != op;
  return positive;
}

bool ConditionValueMatches(ConditionOperator op,
                           const GlobPattern& policy_value,
                           std::string_view request_value) {
  bool negated;
  const ConditionOperator positive = PositiveOperator(op, &negated);
  bool parsed;
  const bool result =
      PositiveValueMatches(positive, policy_value, request_value, &parsed);
  if (!parsed) return false;
  return negated ? !result : result;
}

bool ConditionValueMatches(ConditionOperator op, std::string_view policy_value,
                           std::string_view request_value) {
  return ConditionValueMatches(op, GlobPattern::Wildcards(policy_value),
                               request_value);
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


ArnParts SplitArn(std::string_view arn) {
  ArnParts p;
  std::string_view parts[6];
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return p;
    parts[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  if (parts[0] != "arn") return p;
  p.partition = parts[1];
  p.service = parts[2];
  p.region = parts[3];
  p.account = parts[4];
  p.resource = arn.substr(start);
  p.ok = true;
  return p;
}



PrincipalInfo ReadPrincipal(std::string_view arn) {
  PrincipalInfo info;
  info.arn = arn;
  ArnParts p = SplitArn(arn);
  if (!p.ok) return info;
  info.account = p.account;
  if (p.service == "iam" && p.resource.substr(0, 5) == "user/") {
    info.is_user = true;
  } else if (p.service == "iam" && p.resource.substr(0, 5) == "role/") {
    info.is_role = true;
    std::string_view name = p.resource.substr(5);
    info.role_name = std::string(name.substr(name.rfind('/') + 1));
  } else if (p.service == "sts" &&
             p.resource.substr(0, 13) == "assumed-role/") {
    info.is_session = true;
    std::string_view rest = p.resource.substr(13);
    info.role_name = std::string(rest.substr(0, rest.find('/')));
  }
  return info;
}

namespace {

PrincipalMatch MatchPrincipalEntry(const PrincipalEntry& entry,
                                   const PrincipalInfo& who) {
  if (entry.type == PrincipalType::kAny) return PrincipalMatch::kWildcard;
  if (entry.type != PrincipalType::kAws) {
    return entry.value == who.arn ? PrincipalMatch::kDirect
                                  : PrincipalMatch::kNone;
  }
  const std::string& v = entry.value;
  if (v == "*") return PrincipalMatch::kWildcard;
  if (v == who.arn) return PrincipalMatch::kDirect;
  if (!who.account.empty() &&
      (v == who.account ||
       v == "arn:aws:iam::" + std::string(who.account) + ":root")) {
    return PrincipalMatch::kAccountLevel;
  }
  ArnParts p = SplitArn(v);
  if (who.is_session && p.ok && p.service == "iam" &&
      p.account == who.account && p.resource.substr(0, 5) == "role/") {
    std::string_view name = p.resource.substr(5);
    if (name.substr(name.rfind('/') + 1) == who.role_name) {
      return PrincipalMatch::kSessionRole;
    }
  }
  return PrincipalMatch::kNone;
}

int Rank(PrincipalMatch m) {
  switch (m) {
    case PrincipalMatch::kWildcard:
      return 0;
    case PrincipalMatch::kDirect:
      return 1;
    case PrincipalMatch::kSessionRole:
      return 2;
    default:
      return 3;
  }
}

}  // namespace

PrincipalMatch MatchPrincipalBlock(const PrincipalBlock& block,
                                   const PrincipalInfo& who) {
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const PrincipalEntry& e : block.entries) {
    PrincipalMatch m = MatchPrincipalEntry(e, who);
    // Prefer the strongest grant: wildcard, direct, session role, account.
    if (m != PrincipalMatch::kNone &&
        (best == PrincipalMatch::kNone || Rank(m) < Rank(best))) {
      best = m;
    }
  }
  if (block.negated) {
    return best == PrincipalMatch::kNone ? PrincipalMatch::kWildcard
                                         : PrincipalMatch::kNone;
  }
  return best;
}

// True when `key` (a table name, table ARN or stream ARN) names the table
// the request's resource belongs to.
bool ResourcePolicyApplies(std::string_view key, std::string_view resource) {
  if (key == resource) return true;
  ArnParts p = SplitArn(resource);
  if (!p.ok || p.resource.substr(0, 6) != "table/") return false;
  std::string_view table = p.resource.substr(6);
  table = table.substr(0, table.find('/'));
  if (key == table) return true;
  const size_t table_arn_len = resource.size() - p.resource.size() + 6 + table.size();
  return key == resource.substr(0, table_arn_len);
}

bool SameAccount(const PrincipalInfo& who, std::string_view resource) {
  ArnParts resource_arn = SplitArn(resource);
  const std::string_view resource_account =
      resource_arn.ok && !resource_arn.account.empty() ? resource_arn.account
                                                       : who.account;
  return !who.account.empty() && who.account == resource_account;
}

const ContextValue* FindContextValue(const Request& request,
                                     std::string_view key) {
  auto it = request.context.find(std::string(key));
  if (it != request.context.end()) return &it->second;
  for (const auto& [k, v] : request.context) {
    if (EqualsIgnoreCase(k, key)) return &v;
  }
  return nullptr;
}

std::optional<GlobPattern> SubstituteVariables(std::string_view value,
                                               const Request& request) {
  GlobPattern out;
  size_t i = 0;
  while (i < value.size()) {
    const size_t open = value.find("${", i);
    if (open == std::string_view::npos) break;
    const size_t close = value.find('}', open + 2);
    if (close == std::string_view::npos) break;
    out.Append(value.substr(i, open - i), false);
    std::string_view inner =
        StripWhitespace(value.substr(open + 2, close - open - 2));
    i = close + 1;
    if (inner == "*" || inner == "?" || inner == "$") {
      out.Append(inner, true);
      continue;
    }
    std::optional<std::string_view> fallback;
    const size_t comma = inner.find(',');
    std::string_view key = inner;
    if (comma != std::string_view::npos) {
      key = StripWhitespace(inner.substr(0, comma));
      std::string_view d = StripWhitespace(inner.substr(comma + 1));
      if (d.size() >= 2 && d.front() == '\'' && d.back() == '\'') {
        d = d.substr(1, d.size() - 2);
      }
      fallback = d;
    }
    const ContextValue* cv = FindContextValue(request, key);
    if (cv != nullptr && cv->values.size() == 1 && !cv->multi_valued) {
      out.Append(cv->values[0], true);
    } else if (fallback.has_value()) {
      out.Append(*fallback, true);
    } else {
      return std::nullopt;
    }
  }
  out.Append(value.substr(i), false);
  return out;
}

bool ConditionHolds(const Condition& condition, const Request& request,
                    bool variables_enabled) {
  const ContextValue* cv = FindContextValue(request, condition.key);
  const bool present = cv != nullptr && !cv->values.empty();
  if (condition.op == ConditionOperator::kNull) {
    for (const ConditionValue& v : condition.values) {
      bool want_absent;
      if (ParseBool(v.text, &want_absent) && want_absent != present) {
        return true;
      }
    }
    return false;
  }
  if (condition.op == ConditionOperator::kUnknown) return false;
  bool negated;
  PositiveOperator(condition.op, &negated);
  if (!present) {
    if (condition.if_exists) return true;
    if (condition.qualifier == SetQualifier::kForAllValues) return true;
    if (condition.qualifier == SetQualifier::kForAnyValue) return false;
    return negated;
  }
  std::vector<GlobPattern> patterns;
  patterns.reserve(condition.values.size());
  bool unresolved = false;
  for (const ConditionValue& v : condition.values) {
    if (variables_enabled) {
      std::optional<GlobPattern> p = SubstituteVariables(v.text, request);
      if (p.has_value()) {
        patterns.push_back(std::move(*p));
      } else {
        unresolved = true;
      }
    } else {
      patterns.push_back(GlobPattern::Wildcards(v.text));
    }
  }
  auto value_matches = [&](std::string_view rv) {
    if (negated) {
      if (unresolved) return false;
      for (const GlobPattern& p : patterns) {
        if (!ConditionValueMatches(condition.op, p, rv)) return false;
      }
      return true;
    }
    for (const GlobPattern& p : patterns) {
      if (ConditionValueMatches(condition.op, p, rv)) return true;
    }
    return false;
  };
  if (condition.qualifier == SetQualifier::kForAllValues) {
    for (const std::string& rv : cv->values) {
      if (!value_matches(rv)) return false;
    }
    return true;
  }
  if (condition.qualifier == SetQualifier::kForAnyValue || IsMultiValued(*cv)) {
    for (const std::string& rv : cv->values) {
      if (value_matches(rv)) return true;
    }
    return false;
  }
  return value_matches(cv->values[0]);
}

}  // namespace leastpriv::eval
