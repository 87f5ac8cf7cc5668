// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/request_model.h"

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
namespace {

using smt::CharRange;
using smt::GlobPattern;
using smt::TermId;

bool UsesVariables(const Policy& policy, std::string_view text) {
  return policy.version == "2012-10-17" &&
         text.find("${") != std::string_view::npos;
}

std::string FormatNumber(double d) {
  std::string s = absl::StrFormat("%g", d);
  if (std::strtod(s.c_str(), nullptr) == d) return s;
  return absl::StrFormat("%.17g", d);
}

std::string ValueList(const Condition& c) {
  std::vector<std::string> v;
  for (const ConditionValue& x : c.values) v.push_back(x.text);
  if (v.size() == 1) return v[0];
  return absl::StrCat("{", absl::StrJoin(v, ", "), "}");
}

std::string SetText(const Condition& c) {
  std::vector<std::string> v;
  for (const ConditionValue& x : c.values) v.push_back(x.text);
  return absl::StrCat("{", absl::StrJoin(v, ", "), "}");
}

// The condition as a person reads it.
std::string Describe(const Condition& c) {
  bool negated = false;
  ConditionOperator pos = eval::PositiveOperator(c.op, &negated);
  std::string suffix = c.if_exists ? " (if present)" : "";
  const bool equality = pos == ConditionOperator::kStringEquals ||
                        pos == ConditionOperator::kBool ||
                        pos == ConditionOperator::kNumericEquals;
  if (c.op == ConditionOperator::kNull) {
    bool absent = !c.values.empty() && absl::EqualsIgnoreCase(c.values[0].text, "true");
    return absl::StrCat(c.key, absent ? " is absent" : " is present");
  }
  if (c.qualifier == SetQualifier::kForAllValues && equality && !negated) {
    return absl::StrCat(c.key, " ⊆ ", SetText(c), suffix);
  }
  if (c.qualifier == SetQualifier::kForAnyValue && equality && !negated) {
    return absl::StrCat(c.key, " ∩ ", SetText(c), " ≠ ∅", suffix);
  }
  if (c.qualifier == SetQualifier::kNone && equality) {
    if (c.values.size() == 1) {
      return absl::StrCat(c.key, negated ? " ≠ " : " = ", ValueList(c), suffix);
    }
    return absl::StrCat(c.key, negated ? " ∉ " : " ∈ ", SetText(c), suffix);
  }
  return absl::StrCat(c.op_text, " ", c.key, " ", SetText(c));
}

// "arn:" followed by `n` components of the ARN prefix, each with its ':'.
GlobPattern ArnComponents(int n) {
  GlobPattern g;
  g.AddLiteral("arn:", false);
  for (int i = 0; i < n; ++i) g.AddStar(CharRange::kNoColon).AddLiteral(":", false);
  return g;
}

// The values requests carry for a variable of an ARN template, as AWS
// forms them: names of 3 to 255 characters of [a-zA-Z0-9_.-] (the length
// limit is the partition's), regions shaped like "us-east-1", 12-digit
// accounts, stream labels shaped like timestamps, and backup, export and
// import ids shaped like "01717171717171-a1b2c3d4".
void AddValidName(std::string_view var, GlobPattern& shape) {
  if (var == "Region") {
    shape.AddExactly(CharRange::kLower, 2).AddLiteral("-", false);
    shape.AddExactly(CharRange::kLower, 1).AddStar(CharRange::kLowerDash);
    shape.AddLiteral("-", false).AddExactly(CharRange::kDigit, 1).AddStar(CharRange::kDigit);
  } else if (var == "Account") {
    shape.AddExactly(CharRange::kDigit, 12);
  } else if (var == "StreamLabel") {
    shape.AddExactly(CharRange::kDigit, 4).AddLiteral("-", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral("-", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral("T", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral(":", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral(":", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral(".", false);
    shape.AddExactly(CharRange::kDigit, 3);
  } else if (var == "BackupName" || var == "ExportName" || var == "ImportName") {
    shape.AddExactly(CharRange::kDigit, 14).AddLiteral("-", false);
    shape.AddExactly(CharRange::kHexLower, 8);
  } else {  // TableName, IndexName, GlobalTableName
    shape.AddExactly(CharRange::kNameChar, 3).AddStar(CharRange::kNameChar);
  }
}

// Regions AWS has published, preferred as witnesses in this order.
constexpr const char* kRegions[] = {
    "us-east-1",      "eu-west-1",      "us-west-2",      "us-east-2",      "us-west-1",
    "eu-central-1",   "eu-west-2",      "eu-west-3",      "eu-north-1",     "eu-south-1",
    "eu-south-2",     "eu-central-2",   "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-south-1",     "ap-south-2",     "ap-east-1",      "ap-east-2",
    "ca-central-1",   "ca-west-1",      "sa-east-1",      "me-south-1",     "me-central-1",
    "il-central-1",   "af-south-1",     "mx-central-1",   "us-gov-west-1",  "us-gov-east-1",
    "cn-north-1",     "cn-northwest-1"};

// The values of a key the principal decides, for an IAM user and for a
// role session (nullopt: that principal type never sends the key):
//   - aws:userid: a user's unique id ("AIDA" and at least 16 upper-case
//     letters and digits), or a role session's "ROLEID:session" (a role
//     id, "AROA" likewise, then the session name: `session` when the
//     principal names it, else two or more of [a-zA-Z0-9_+=,.@-]);
//   - aws:username: the user's name, one or more of [a-zA-Z0-9_+=,.@-],
//     absent for role sessions;
//   - aws:PrincipalType: "User" or "AssumedRole".
// Names longer than IAM's 64 characters are not told apart.
struct PrincipalKeyShape {
  std::optional<GlobPattern> user, session;
  std::vector<std::string> readable;  // preferred witnesses
};

std::optional<PrincipalKeyShape> PrincipalKeyShapes(const std::string& lower,
                                                    const std::string& session) {
  PrincipalKeyShape out;
  if (lower == "aws:userid") {
    GlobPattern user = GlobPattern::Literal("AIDA", false);
    user.AddExactly(CharRange::kUpperDigit, 16).AddStar(CharRange::kUpperDigit);
    GlobPattern role = GlobPattern::Literal("AROA", false);
    role.AddExactly(CharRange::kUpperDigit, 16).AddStar(CharRange::kUpperDigit);
    role.AddLiteral(":", false);
    if (session.empty()) {
      role.AddExactly(CharRange::kIamNameChar, 2).AddStar(CharRange::kIamNameChar);
    } else {
      role.AddLiteral(session, false);
    }
    out.user = std::move(user);
    out.session = std::move(role);
    const std::string name = session.empty() ? "leastpriv-session" : session;
    out.readable = {"AIDACKCEVSQ6C2EXAMPLE", "AROADBQP57FF2AEXAMPLE:" + name,
                    "AIDAJQABLZS4A3QDU576Q", "AROAJQABLZS4A3QDU576Q:" + name};
    return out;
  }
  if (lower == "aws:username") {
    out.user = GlobPattern().AddName(CharRange::kIamNameChar);
    out.readable = {"leastpriv-witness"};
    return out;
  }
  if (lower == "aws:principaltype") {
    out.user = GlobPattern::Literal("User", false);
    out.session = GlobPattern::Literal("AssumedRole", false);
    return out;
  }
  return std::nullopt;
}

// `text` with every '*' replaced by `fill` and every '?' by 'X'.
std::string Filled(const std::string& text, std::string_view fill) {
  std::string out;
  for (char c : text) {
    if (c == '*') {
      out += fill;
    } else {
      out += c == '?' ? 'X' : c;
    }
  }
  return out;
}

// Readable values of a principal key that the policies' values suggest:
// each value with its wildcards filled by parts of the readable ids.
void AddFilledValues(const std::string& lower, const std::vector<std::string>& texts,
                     const std::string& session, std::vector<std::string>& out) {
  std::vector<std::string> fills;
  if (lower == "aws:userid") {
    const std::string name = session.empty() ? "leastpriv-session" : session;
    fills = {"",
             "AROADBQP57FF2AEXAMPLE",
             "DBQP57FF2AEXAMPLE",
             "CKCEVSQ6C2EXAMPLE",
             "AIDACKCEVSQ6C2EXAMPLE",
             name,
             "DBQP57FF2AEXAMPLE:" + name,
             "AROADBQP57FF2AEXAMPLE:" + name};
  } else if (lower == "aws:username") {
    fills = {"", "-witness", "leastpriv-witness"};
  }
  for (const std::string& t : texts) {
    for (const std::string& fill : fills) out.push_back(Filled(t, fill));
  }
}

// Whether `s` lies in class `c` of `part`: matches exactly its patterns.
bool InClass(const smt::Partition& part, std::size_t c, const std::string& s) {
  for (std::size_t i = 0; i < part.patterns().size(); ++i) {
    if (part.patterns()[i].Matches(s) != part.InPattern(c, i)) return false;
  }
  return true;
}

// Replaces the witness of each class of `part` that one of `candidates`
// belongs to by the first such candidate.
void PreferWitnesses(const smt::Partition& part, const std::vector<std::string>& candidates,
                     std::vector<std::string>& witnesses) {
  std::vector<char> taken(part.size(), 0);
  for (const std::string& v : candidates) {
    const std::size_t c = part.ClassOf(v);
    if (c >= part.size() || taken[c]) continue;
    taken[c] = 1;
    witnesses[c] = v;
  }
}

// Readable names a resource pattern's text suggests: each '/'- or
// ':'-separated piece with letters, its wildcards filled by a word or by
// nothing, a leading one by nothing ("*shop*" gives "shop-audit", "shop").
void AddPatternNames(std::string_view text, std::vector<std::string>& out) {
  const std::vector<std::string> pieces = absl::StrSplit(std::string(text), absl::ByAnyChar(":/"));
  for (const std::string& piece : pieces) {
    if (std::none_of(piece.begin(), piece.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      continue;
    }
    for (const std::string fill : {"-audit", ""}) {
      std::string name;
      for (char c : piece) {
        if (c == '*') {
          if (!name.empty()) name += fill;
        } else {
          name += c == '?' ? 'x' : c;
        }
      }
      out.push_back(std::move(name));
    }
  }
}

// A readable witness of class `c` of a partition built without the ARN
// components apart (Partition::Build, for patterns whose wildcards span
// ':'): its shortest string with the region, the account and each name
// replaced, one at a time, by the first candidate that keeps it in the
// class. Strings that are no DynamoDB ARN are kept.
std::string ReadableArn(const smt::Partition& part, std::size_t c, const smt::WitnessHints& hints,
                        const std::vector<std::string>& names) {
  std::string w = part.at(c).witness;
  const eval::ArnParts arn = eval::SplitArn(w);
  if (!arn.ok || arn.service != "dynamodb") return w;
  std::vector<std::string> slots = {std::string(arn.region), std::string(arn.account)};
  std::vector<std::string> path = absl::StrSplit(std::string(arn.resource), '/');
  if (path.size() < 2) return w;
  const std::string prefix = "arn:" + std::string(arn.partition) + ":dynamodb:";
  auto text = [&](const std::vector<std::string>& s, const std::vector<std::string>& p) {
    return absl::StrCat(prefix, s[0], ":", s[1], ":", absl::StrJoin(p, "/"));
  };
  auto try_slot = [&](std::string& slot, const std::vector<std::string>& candidates) {
    for (const std::string& v : candidates) {
      if (v == slot) return;
      const std::string keep = slot;
      slot = v;
      if (InClass(part, c, text(slots, path))) return;
      slot = keep;
    }
  };
  if (!slots[0].empty()) try_slot(slots[0], hints.component[3]);
  try_slot(slots[1], hints.component[4]);
  try_slot(path[1], names);
  if (path.size() == 4) {
    if (path[2] == "index") try_slot(path[3], names);
    if (path[2] == "stream") try_slot(path[3], {"2024-06-06T06:06:06.123"});
    if (path[2] == "backup" || path[2] == "export" || path[2] == "import") {
      try_slot(path[3], {"01717171717171-a1b2c3d4"});
    }
  }
  return text(slots, path);
}

// The value type an operator reads its values as.
enum class ValueFamily { kNone, kString, kNumeric, kDate, kBool, kIp, kBinary };

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

// Witnesses of request values that do not parse as the family's type: every
// typed operator (negated ones included) is false on them.
constexpr char kNotANumber[] = "not-a-number";
constexpr char kNotADate[] = "not-a-date";
constexpr char kNotAnAddress[] = "not-an-address";
constexpr char kNotABool[] = "not-a-bool";
constexpr char kNotBase64[] = "not base64!";

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

// One witness per class of the date line cut at every threshold: the open
// intervals between thresholds, the thresholds themselves, and the values
// that do not parse. `*problem` is set when an interval that may hold dates
// has no witness of the written forms.
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
                           static_cast<int>((v >> 8) & 0xff), static_cast<int>(v & 0xff));
  }
  std::vector<std::string> groups;
  for (int g = 7; g >= 0; --g) {
    groups.push_back(absl::StrFormat("%x", static_cast<unsigned>((v >> (16 * g)) & 0xffff)));
  }
  return absl::StrJoin(groups, ":");
}

// One witness per class of the IPv4 and IPv6 address lines cut at every
// CIDR block boundary (the first address of each interval), and one for
// values that are not addresses.
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
      const Uint128 host_mask = host == 0 ? 0 : (host >= 128 ? ~Uint128{0} : ((Uint128{1} << host) - 1));
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

// One witness per distinct decoded BinaryEquals value, one for every other
// byte string, and one for values that are not base64.
std::vector<std::string> BinaryWitnesses(const std::vector<std::string>& texts) {
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

// The lower-case key of a value that is one policy variable and nothing
// else ("${aws:PrincipalTag/tenant}", with or without a default), or "".
std::string WholeVariable(const std::string& text) {
  if (text.size() < 4 || text.compare(0, 2, "${") != 0 || text.back() != '}' ||
      text.find('}') != text.size() - 1) {
    return "";
  }
  std::string inner = text.substr(2, text.size() - 3);
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
}

// Lower-case names of the condition keys the policies of `sides` test or
// read as policy variables.
std::set<std::string> MentionedKeys(const std::vector<const PolicySet*>& sides) {
  std::set<std::string> out;
  auto variables = [&](const std::string& text) {
    size_t i = 0;
    while ((i = text.find("${", i)) != std::string::npos) {
      const size_t close = text.find('}', i + 2);
      if (close == std::string::npos) break;
      std::string inner = text.substr(i + 2, close - i - 2);
      out.insert(absl::AsciiStrToLower(
          absl::StripAsciiWhitespace(inner.substr(0, inner.find(',')))));
      i = close + 1;
    }
  };
  for (const PolicySet* side : sides) {
    ForEachPolicy(*side, [&](const Policy& policy) {
      for (const Statement& st : policy.statements) {
        for (const PolicyString& r : st.resources) variables(r.text);
        for (const Condition& c : st.conditions) {
          out.insert(absl::AsciiStrToLower(c.key));
          for (const ConditionValue& v : c.values) variables(v.text);
        }
      }
    });
  }
  return out;
}

// The scope's context plus what its principal fixes, for the keys the
// policies mention: aws:PrincipalAccount; aws:PrincipalArn and
// aws:PrincipalType (an IAM user, a role, whose requests come from its
// sessions, the account root or a federated user); aws:username, the
// user's name, and absent for every other principal; aws:userid of the
// root (the account) and of a federated user ("ACCOUNT:name"). A role
// session's aws:PrincipalArn (its role's ARN, with a path the session ARN
// does not show) stays free, and so does the aws:userid of users and role
// sessions, within the shape of their ids (see PrincipalKeyShapes). Keys
// the scope gives keep its values.
std::map<std::string, std::vector<std::string>> WithPrincipalFacts(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope) {
  std::map<std::string, std::vector<std::string>> out = scope.context;
  if (scope.principal.empty()) return out;
  const eval::ArnParts arn = eval::SplitArn(scope.principal);
  if (!arn.ok || arn.account.empty()) return out;
  std::map<std::string, std::vector<std::string>> facts;
  facts["aws:PrincipalAccount"] = {std::string(arn.account)};
  const std::string_view resource = arn.resource;
  if (arn.service == "iam" && resource.substr(0, 5) == "user/") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"User"};
    facts["aws:username"] = {std::string(resource.substr(resource.rfind('/') + 1))};
  } else if (arn.service == "iam" && resource.substr(0, 5) == "role/") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"AssumedRole"};
    facts["aws:username"] = {};
  } else if (arn.service == "sts" && resource.substr(0, 13) == "assumed-role/") {
    facts["aws:PrincipalType"] = {"AssumedRole"};
    facts["aws:username"] = {};
  } else if (arn.service == "iam" && resource == "root") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"Account"};
    facts["aws:userid"] = {std::string(arn.account)};
    facts["aws:username"] = {};
  } else if (arn.service == "sts" && resource.substr(0, 15) == "federated-user/") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"FederatedUser"};
    facts["aws:userid"] = {std::string(arn.account) + ":" + std::string(resource.substr(15))};
    facts["aws:username"] = {};
  }
  const std::set<std::string> mentioned = MentionedKeys(sides);
  std::set<std::string> given;
  for (const auto& [key, values] : scope.context) given.insert(absl::AsciiStrToLower(key));
  for (auto& [key, values] : facts) {
    const std::string lower = absl::AsciiStrToLower(key);
    if (mentioned.count(lower) && !given.count(lower)) out[key] = std::move(values);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RequestModel>> RequestModel::Build(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope,
    const std::vector<std::string>& extra_resources,
    const AnalysisOptions& options, const std::set<std::string>* resource_types) {
  // Free variable sources that occur inside longer strings need the other
  // patterns of those strings for their values (see SourceValues): a first
  // pass gathers them, and stops there when there are such sources.
  auto first = BuildModel(sides, scope, extra_resources, options, resource_types, {},
                          /*patterns_only=*/true);
  if (!first.ok() || !(*first)->patterns_only_) return first;
  return BuildModel(sides, scope, extra_resources, options, resource_types,
                    (*first)->SourceValues(options), /*patterns_only=*/false);
}

absl::StatusOr<std::unique_ptr<RequestModel>> RequestModel::BuildModel(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope,
    const std::vector<std::string>& extra_resources, const AnalysisOptions& options,
    const std::set<std::string>* resource_types,
    std::map<std::string, std::vector<std::string>> source_values, bool patterns_only) {
  std::unique_ptr<RequestModel> m(new RequestModel());
  m->source_values_ = std::move(source_values);
  if (!scope.account.empty()) {
    if (scope.account.size() != 12 ||
        !std::all_of(scope.account.begin(), scope.account.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope account \"", scope.account, "\" is not a 12-digit account id"));
    }
  }
  for (char c : scope.region) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope region \"", scope.region, "\" is not a region name"));
    }
  }
  m->account_ = scope.account;
  m->region_ = scope.region;
  if (!scope.principal.empty()) {
    std::vector<std::string> parts = absl::StrSplit(scope.principal, ':');
    if (parts.size() < 6 || parts[0] != "arn" || parts[4].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope principal \"", scope.principal, "\" is not a principal ARN"));
    }
    m->principal_ = scope.principal;
    // The resources stay in any account unless the scope fixes one: a
    // principal of one account may reach tables of another through their
    // resource-based policies.
    m->who_ = eval::ReadPrincipal(m->principal_);
    const eval::ArnParts arn = eval::SplitArn(scope.principal);
    const std::string_view resource = arn.resource;
    m->principal_kind_ = PrincipalKind::kOther;
    if (arn.ok && !arn.account.empty() && arn.service == "iam") {
      if (resource.substr(0, 5) == "user/") m->principal_kind_ = PrincipalKind::kUser;
      if (resource.substr(0, 5) == "role/") m->principal_kind_ = PrincipalKind::kRoleSession;
    } else if (arn.ok && !arn.account.empty() && arn.service == "sts" &&
               resource.substr(0, 13) == "assumed-role/") {
      // assumed-role/ROLE/SESSION
      const size_t slash = resource.find('/', 13);
      if (slash != std::string_view::npos && slash + 1 < resource.size()) {
        m->principal_kind_ = PrincipalKind::kRoleSession;
        m->session_name_ = std::string(resource.substr(slash + 1));
      }
    }
  }
  for (const PolicySet* side : sides) {
    m->has_resource_policies_ |= !side->resource.empty();
  }
  for (const std::string& t : scope.tables) {
    if (t.empty() || t.find_first_of(":/*?") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope table \"", t, "\" is not a table name"));
    }
  }

  // Condition keys.
  for (const PolicySet* side : sides) {
    if (absl::Status s = m->AddKeys(*side); !s.ok()) return s;
  }
  for (const auto& [key, values] : WithPrincipalFacts(sides, scope)) {
    std::string lower = absl::AsciiStrToLower(key);
    KeyModel& k = m->keys_[lower];
    if (k.name.empty()) k.name = key;
    k.fixed = values;
  }
  if (absl::Status s = m->FinishKeys(options); !s.ok()) return s;

  // Resource dimension.
  std::vector<GlobPattern> patterns;
  auto add_pattern = [&](const std::string& key, GlobPattern p) {
    if (m->pattern_index_.count(key)) return;
    m->pattern_index_[key] = patterns.size();
    patterns.push_back(std::move(p));
  };
  for (const PolicySet* side : sides) {
    ForEachPolicy(*side, [&](const Policy& p) {
      for (const Statement& st : p.statements) {
        for (const PolicyString& r : st.resources) {
          if (UsesVariables(p, r.text)) {
            auto source = m->FreeSource(p, r.text);
            if (!source.ok()) continue;  // unknown; see CompileStatement
            for (int cls : m->SourceCases(*source)) {
              auto g = m->Substitute(p, r.text, *source, cls);
              if (!g || GlobPattern::ArnMatchesNothing(g->text, g->literal)) continue;
              const std::string key = SubstitutedKey(r.text, cls);
              m->substituted_.emplace(key, *g);
              add_pattern(key, GlobPattern::Arn(g->text, g->literal));
            }
            continue;
          }
          if (GlobPattern::ArnMatchesNothing(r.text)) continue;
          add_pattern("raw:" + r.text, GlobPattern::Arn(r.text));
        }
      }
    });
  }
  // Resource shapes: requests carry ARNs as AWS writes them, so the
  // template's literal text ("arn:aws:dynamodb:...:table/") is matched
  // case-sensitively.
  for (const ResourceTypeInfo& rt : DynamoDbResourceTypes()) {
    GlobPattern shape;
    std::string display;
    std::string_view tmpl = rt.arn_template;
    size_t i = 0;
    while (i < tmpl.size()) {
      if (tmpl.substr(i, 2) == "${") {
        size_t end = tmpl.find('}', i);
        std::string_view var = tmpl.substr(i + 2, end - i - 2);
        std::string fixed;
        if (var == "Partition") fixed = m->partition_name_;
        if (var == "Region") fixed = m->region_;
        if (var == "Account") fixed = m->account_;
        if (!fixed.empty()) {
          shape.AddLiteral(fixed, false);
          display += fixed;
        } else {
          AddValidName(var, shape);
          display += "*";
        }
        i = end + 1;
        continue;
      }
      shape.AddLiteral(tmpl.substr(i, 1), false);
      display += tmpl[i];
      ++i;
    }
    std::string key = "shape:" + std::string(rt.name);
    add_pattern(key, std::move(shape));
    m->shapes_.push_back(
        ResourceShape{std::string(rt.name), display, m->pattern_index_[key]});
  }
  for (const std::string& t : scope.tables) {
    add_pattern("table:" + t, GlobPattern::Arn(m->TablePattern(t, false)));
    add_pattern("tablesub:" + t,
                GlobPattern::Arn(m->TablePattern(t, false) + "/*"));
    add_pattern("tableindex:" + t, GlobPattern::Arn(m->TablePattern(t, true)));
    m->scope_table_patterns_.push_back(m->pattern_index_["table:" + t]);
    m->scope_table_patterns_.push_back(m->pattern_index_["tablesub:" + t]);
  }
  // Resource-based policies: which attachment keys apply, and whether the
  // resource is in the principal's account, are functions of these
  // patterns' membership (see eval::ResourcePolicyApplies, SameAccount).
  std::set<std::string> attachment_keys;
  for (const PolicySet* side : sides) {
    for (const auto& [key, list] : side->resource) attachment_keys.insert(key);
  }
  for (const std::string& key : attachment_keys) {
    add_pattern("attach:" + key, GlobPattern::Literal(key, false));
    if (key.find('/') == std::string::npos) {
      add_pattern("attach-table:" + key, ArnComponents(4).AddLiteral("table/" + key, false));
      add_pattern("attach-table-sub:" + key, ArnComponents(4)
                                                   .AddLiteral("table/" + key + "/", false)
                                                   .AddStar(CharRange::kAny));
    }
    eval::ArnParts parts = eval::SplitArn(key);
    if (parts.ok && parts.resource.substr(0, 6) == "table/" &&
        parts.resource.find('/', 6) == std::string_view::npos) {
      add_pattern("attach-arn-sub:" + key,
                  GlobPattern::Literal(key + "/", false).AddStar(CharRange::kAny));
    }
  }
  if (m->who_) {
    const std::string account(m->who_->account);
    add_pattern("account:same", ArnComponents(3)
                                    .AddLiteral(account + ":", false)
                                    .AddStar(CharRange::kAny));
    add_pattern("account:empty",
                ArnComponents(3).AddLiteral(":", false).AddStar(CharRange::kAny));
    add_pattern("account:any", ArnComponents(4).AddStar(CharRange::kAny));
  }
  for (const std::string& r : extra_resources) {
    if (GlobPattern::ArnMatchesNothing(r)) continue;
    add_pattern("raw:" + r, GlobPattern::Arn(r));
  }
  // Requests name "*" (wildcard-only actions), an ARN of one of the
  // resource shapes, or a resource asked about.
  std::vector<size_t> shape_patterns;
  for (const ResourceShape& shape : m->shapes_) {
    if (resource_types == nullptr || resource_types->count(shape.resource_type)) {
      shape_patterns.push_back(shape.pattern);
    }
  }
  std::vector<std::string> extra = {"*"};
  extra.insert(extra.end(), extra_resources.begin(), extra_resources.end());
  if (patterns_only) {
    bool inexact = false;
    for (const std::string& source : m->sources_) inexact |= !m->exact_sources_.count(source);
    if (inexact) {
      // The patterns without free sources, and which of them bound the
      // resources requests carry (the shapes in question, the resources
      // asked about).
      m->patterns_only_ = true;
      std::set<size_t> domain(shape_patterns.begin(), shape_patterns.end());
      for (const std::string& r : extra_resources) {
        if (auto it = m->pattern_index_.find("raw:" + r); it != m->pattern_index_.end()) {
          domain.insert(it->second);
        }
      }
      for (const auto& [key, index] : m->pattern_index_) {
        if (m->substituted_.count(key)) continue;
        if (domain.count(index)) m->resource_domain_.push_back(m->constant_resources_.size());
        m->constant_resources_.push_back(patterns[index]);
      }
      return m;
    }
  }
  // Witnesses read like real requests: the scope's own account, region and
  // tables first, then real regions and ordinary names.
  smt::WitnessHints hints;
  hints.component[1] = {m->partition_name_};
  hints.component[2] = {"dynamodb"};
  if (!m->region_.empty()) hints.component[3].push_back(m->region_);
  hints.component[3].insert(hints.component[3].end(), std::begin(kRegions), std::end(kRegions));
  if (!m->account_.empty()) hints.component[4].push_back(m->account_);
  if (m->who_) hints.component[4].push_back(std::string(m->who_->account));
  hints.component[4].push_back("111122223333");
  for (const std::string& t : scope.tables) {
    if (t.find_first_of("*?$") == std::string::npos) hints.names.push_back(t);
  }
  std::vector<std::string> names = hints.names;  // tables and indexes
  names.push_back("example");
  hints.names.insert(hints.names.end(),
                     {"example", "2024", "06", "15", "123", "01717171717171", "a1b2c3d4"});
  auto part = smt::Partition::BuildArns(patterns, shape_patterns, extra,
                                        options.max_automaton_states, hints);
  bool whole = false;
  if (!part.ok() && part.status().code() == absl::StatusCode::kUnimplemented) {
    part = smt::Partition::Build(std::move(patterns), options.max_automaton_states);
    whole = true;
  }
  if (!part.ok()) return part.status();
  m->resources_ = std::move(*part);
  m->resource_witnesses_.resize(m->resources_.size());
  if (whole) {
    // Shortest strings ("us-a-0", "000000000000", "0000-00-00T00:00:00.000")
    // give way to readable values of the same class, in the shapes only.
    for (const auto& [key, index] : m->pattern_index_) {
      if (absl::StartsWith(key, "raw:")) AddPatternNames(key.substr(4), names);
    }
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) { return !eval::IsValidTableName(n); }),
                names.end());
    // A region no real one matches: the pattern's own, filled in
    // ("zz-*" gives "zz-east-1").
    for (const auto& [key, index] : m->pattern_index_) {
      if (!absl::StartsWith(key, "raw:")) continue;
      const std::vector<std::string> parts = absl::StrSplit(key.substr(4), ':');
      if (parts.size() < 4) continue;
      for (const char* fill : {"east-1", "-east-1", "1", "-1"}) {
        std::string region;
        for (char ch : parts[3]) {
          if (ch == '*') {
            region += fill;
          } else {
            region += ch == '?' ? 'x' : ch;
          }
        }
        if (eval::IsValidRegionName(region)) hints.component[3].push_back(region);
      }
    }
    m->readable_ = std::make_unique<ReadableResources>(
        ReadableResources{std::move(hints), std::move(names), shape_patterns});
  }
  // Cross-check the abstraction against the evaluator's ARN matching: on
  // every class, or, beyond kCrossChecks pattern-class pairs, on an even
  // sample of the classes (the partition's own tests check it whole).
  constexpr size_t kCrossChecks = 1 << 17;
  size_t raw_count = 0;
  for (const auto& [key, index] : m->pattern_index_) {
    raw_count += absl::StartsWith(key, "raw:") || m->substituted_.count(key) > 0;
  }
  const size_t stride =
      std::max<size_t>(1, raw_count * m->resources_.size() / kCrossChecks);
  std::vector<eval::ColonSplit> witness_parts(m->resources_.size());
  for (size_t c = 0; c < m->resources_.size(); c += stride) {
    witness_parts[c] = eval::SplitAtColons(m->resources_.at(c).witness);
  }
  for (const auto& [key, index] : m->pattern_index_) {
    const bool sub = m->substituted_.count(key) > 0;
    if (!absl::StartsWith(key, "raw:") && !sub) continue;
    const std::string raw = key.substr(4);
    const eval::GlobPattern g =
        sub ? m->substituted_.at(key) : eval::GlobPattern::Wildcards(raw);
    const eval::ColonSplit g_parts = eval::SplitAtColons(g.text);
    for (size_t c = 0; c < m->resources_.size(); c += stride) {
      const std::string& w = m->resources_.at(c).witness;
      if (eval::ArnMatches(g, g_parts, w, witness_parts[c]) !=
          m->resources_.InPattern(c, index)) {
        return absl::InternalError(absl::StrCat(
            "resource abstraction disagrees with the evaluator on pattern \"",
            raw, "\" and \"", w, "\""));
      }
    }
  }
  m->resource_dim_ = m->factory_.NewDimension(
      static_cast<uint32_t>(m->resources_.size()), "resource");
  for (uint32_t c = 0; c < m->resources_.size(); ++c) {
    const std::string& w = m->resources_.at(c).witness;
    for (const std::string& key : attachment_keys) {
      if (eval::ResourcePolicyApplies(key, w)) m->attached_classes_[key].push_back(c);
    }
    if (!m->who_ || eval::SameAccount(*m->who_, w)) m->same_account_classes_.push_back(c);
  }

  return m;
}

namespace {

// The pattern a condition value is matched as by the positive operator
// `pos` (nullopt: not a string comparison, or an ARN pattern that
// matches nothing).
std::optional<GlobPattern> ValuePattern(ConditionOperator pos, const eval::GlobPattern& v) {
  switch (pos) {
    case ConditionOperator::kStringEquals:
      return GlobPattern::Literal(v.text, false);
    case ConditionOperator::kStringEqualsIgnoreCase:
      return GlobPattern::Literal(v.text, true);
    case ConditionOperator::kStringLike:
      return GlobPattern::Wildcard(v.text, false, v.literal);
    case ConditionOperator::kArnEquals:
    case ConditionOperator::kArnLike:
      if (GlobPattern::ArnMatchesNothing(v.text, v.literal)) return std::nullopt;
      return GlobPattern::Arn(v.text, v.literal);
    default:
      return std::nullopt;
  }
}

// An occurrence of one variable in a value: the text before and after it.
struct Occurrence {
  std::string before, after;
};

// `text` as text, the variable `source` (lower case, without a default)
// and text, when the variable is its only one.
std::optional<Occurrence> SplitAtVariable(const std::string& text, const std::string& source) {
  const size_t open = text.find("${");
  if (open == std::string::npos) return std::nullopt;
  const size_t close = text.find('}', open);
  if (close == std::string::npos || text.find("${", close) != std::string::npos) {
    return std::nullopt;
  }
  const std::string inner = text.substr(open + 2, close - open - 2);
  if (inner.find(',') != std::string::npos ||
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(inner)) != source) {
    return std::nullopt;
  }
  return Occurrence{text.substr(0, open), text.substr(close + 1)};
}

}  // namespace

std::map<std::string, std::vector<std::string>> RequestModel::SourceValues(
    const AnalysisOptions& options) const {
  // At most this many classes of values per source; beyond, the source
  // stays approximate.
  constexpr std::size_t kMaxSourceClasses = 1024;
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& source : sources_) {
    if (exact_sources_.count(source)) continue;
    bool ok = true;
    std::map<std::string, smt::VariableHost> hosts;  // "" for resources
    std::map<std::string, std::set<bool>> host_case;  // host -> folds
    bool other_in_resources = false;
    for (const Policy* policy : policies_) {
      for (const Statement& st : policy->statements) {
        for (const PolicyString& r : st.resources) {
          auto s = FreeSource(*policy, r.text);
          if (!s.ok()) {
            ok &= absl::AsciiStrToLower(r.text).find(source) == std::string::npos;
            continue;
          }
          // Another free source's patterns would be constants here.
          if (!s->empty() && *s != source) other_in_resources = true;
          if (*s != source) continue;
          auto at = SplitAtVariable(r.text, source);
          if (!at || std::count(at->before.begin(), at->before.end(), ':') < 5) {
            ok = false;
            continue;
          }
          std::string prefix = at->before;
          for (int i = 0; i < 5; ++i) prefix = prefix.substr(prefix.find(':') + 1);
          if (prefix.find_first_of("*?") != std::string::npos) ok = false;
          hosts[""].prefixes.push_back(prefix);
          host_case[""].insert(false);
        }
        for (const Condition& c : st.conditions) {
          const std::string key = absl::AsciiStrToLower(c.key);
          for (const ConditionValue& v : c.values) {
            auto s = FreeSource(*policy, v.text);
            if (!s.ok() || *s != source) continue;
            const ConditionOperator pos = eval::PositiveOperator(c.op, nullptr);
            auto at = SplitAtVariable(v.text, source);
            const bool string_op = FamilyOf(c.op) == ValueFamily::kString &&
                                   (pos == ConditionOperator::kStringEquals ||
                                    pos == ConditionOperator::kStringLike ||
                                    pos == ConditionOperator::kStringEqualsIgnoreCase);
            const auto k = keys_.find(key);
            if (!at || !string_op || key == source || sources_.count(key) ||
                k == keys_.end() || k->second.fixed || !k->second.unsupported.empty() ||
                !resolved_.at(&c).problem.empty() ||
                (pos == ConditionOperator::kStringLike &&
                 at->before.find_first_of("*?") != std::string::npos)) {
              ok = false;
              continue;
            }
            hosts[key].prefixes.push_back(at->before);
            host_case[key].insert(pos == ConditionOperator::kStringEqualsIgnoreCase);
          }
        }
      }
    }
    if (!ok || hosts.empty() || (other_in_resources && hosts.count(""))) continue;
    // Each host's other patterns; a host compared ignoring case must be
    // so throughout.
    for (auto& [key, host] : hosts) {
      if (host_case[key].size() > 1) ok = false;
      host.fold = *host_case[key].begin();
      if (key.empty()) {
        host.arn = true;
        host.constants = constant_resources_;
        host.domain = resource_domain_;
      } else {
        for (const Condition* c : key_conditions_.at(key)) {
          const ResolvedCondition& r = resolved_.at(c);
          if (r.source == source) continue;  // an occurrence
          if (!r.source.empty() || !r.problem.empty()) ok = false;  // another free source
          const ValueFamily family = FamilyOf(c->op);
          if (family != ValueFamily::kString && family != ValueFamily::kBool &&
              c->op != ConditionOperator::kNull) {
            ok = false;
          }
          const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
          if (host.fold && c->op != ConditionOperator::kNull &&
              pos != ConditionOperator::kStringEqualsIgnoreCase) {
            ok = false;
          }
          for (const eval::GlobPattern& v : r.AllPatterns()) {
            if (auto g = ValuePattern(pos, v)) host.constants.push_back(std::move(*g));
          }
          if (c->op == ConditionOperator::kBool) {
            host.constants.push_back(GlobPattern::Literal("true", true));
            host.constants.push_back(GlobPattern::Literal("false", true));
          }
        }
      }
      // The same prefix twice is one; one prefix of another is not handled.
      std::set<std::string> prefixes;
      for (const std::string& p : host.prefixes) {
        prefixes.insert(host.fold ? absl::AsciiStrToLower(p) : p);
      }
      host.prefixes.assign(prefixes.begin(), prefixes.end());
      for (const std::string& a : prefixes) {
        for (const std::string& b : prefixes) ok &= a == b || !absl::StartsWith(b, a);
      }
    }
    // The source's own conditions.
    std::vector<GlobPattern> own;
    auto conditions = key_conditions_.find(source);
    if (conditions != key_conditions_.end()) {
      for (const Condition* c : conditions->second) {
        const ResolvedCondition& r = resolved_.at(c);
        if (!r.source.empty() || !r.problem.empty() ||
            (FamilyOf(c->op) != ValueFamily::kString && c->op != ConditionOperator::kNull)) {
          ok = false;
          continue;
        }
        const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
        for (const eval::GlobPattern& v : r.AllPatterns()) {
          if (auto g = ValuePattern(pos, v)) own.push_back(std::move(*g));
        }
      }
    }
    if (!ok) continue;
    std::vector<smt::VariableHost> list;
    for (auto& [key, host] : hosts) list.push_back(std::move(host));
    auto values =
        smt::VariableValues(list, own, kMaxSourceClasses, options.max_automaton_states);
    if (values.ok()) out[source] = std::move(*values);
  }
  return out;
}

const std::string& RequestModel::ResourceWitness(std::size_t c) const {
  std::string& w = resource_witnesses_[c];
  if (!w.empty()) return w;
  w = resources_.at(c).witness;
  if (readable_ != nullptr) {
    bool in_shape = false;
    for (std::size_t p : readable_->shapes) in_shape |= resources_.InPattern(c, p);
    if (in_shape) w = ReadableArn(resources_, c, readable_->hints, readable_->names);
  }
  return w;
}

absl::StatusOr<std::string> RequestModel::FreeSource(const Policy& policy,
                                                    const std::string& text) const {
  if (!UsesVariables(policy, text)) return std::string();
  // A source fixed by the scope (present or absent) or multi-valued (never
  // substituted) gives a constant; ${*}, ${?} and ${$} are constants. At
  // most one other source is modelled, by a case split over its classes.
  std::string source;
  size_t i = 0;
  while ((i = text.find("${", i)) != std::string::npos) {
    const size_t close = text.find('}', i + 2);
    if (close == std::string::npos) break;
    std::string inner(absl::StripAsciiWhitespace(text.substr(i + 2, close - i - 2)));
    i = close + 1;
    if (inner == "*" || inner == "?" || inner == "$") continue;
    std::string key(absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
    const std::string lower = absl::AsciiStrToLower(key);
    auto it = keys_.find(lower);
    if (it != keys_.end() && (it->second.fixed || it->second.multi_valued)) continue;
    const ConditionKeyInfo* info = FindConditionKey(key);
    if (it == keys_.end() && info != nullptr && info->multi_valued()) continue;
    if (!source.empty() && source != lower) {
      return absl::UnimplementedError(absl::StrCat(
          "\"", text, "\" uses two policy variables the scope leaves free (fix one of ",
          keys_.count(source) ? keys_.at(source).name : source, " and ", key,
          " in the scope context)"));
    }
    source = lower;
  }
  return source;
}

std::optional<eval::GlobPattern> RequestModel::Substitute(const Policy& policy,
                                                          const std::string& text,
                                                          const std::string& source,
                                                          int cls) const {
  if (!UsesVariables(policy, text)) return eval::GlobPattern::Wildcards(text);
  if (source.empty() || cls < 0) return eval::SubstituteVariables(text, fixed_request_);
  Request r = fixed_request_;
  const KeyModel& k = keys_.at(source);
  r.context[k.name] = ContextValue{{k.witnesses[cls]}, false};
  return eval::SubstituteVariables(text, r);
}

std::vector<int> RequestModel::SourceCases(const std::string& source) const {
  if (source.empty()) return {kNoSource};
  std::vector<int> out = {kSourceAbsent};
  for (size_t c = 0; c < keys_.at(source).witnesses.size(); ++c) {
    out.push_back(static_cast<int>(c));
  }
  return out;
}

TermId RequestModel::SourceGuard(const std::string& source, int cls) {
  if (source.empty()) return factory_.True();
  const KeyModel& k = keys_.at(source);
  const TermId present = factory_.BoolVar(k.present);
  if (exact_sources_.count(source)) {
    if (cls == kSourceAbsent) return factory_.Not(present);
    return factory_.And(present, factory_.InClasses(k.value, {static_cast<uint32_t>(cls)}));
  }
  approximate_ = true;
  approximate_reason_ = absl::StrCat(
      "policy variable ${", k.name,
      "} was tried only with one value per class of its own conditions (fix ", k.name,
      " in the scope context for an exact answer)");
  if (cls == kSourceAbsent) return factory_.Not(present);
  return factory_.And(present,
                      factory_.InClasses(k.value, {static_cast<uint32_t>(cls)}));
}

void RequestModel::ExpandCases(const Condition& c, ResolvedCondition* r) {
  const Policy& policy = *condition_policy_.at(&c);
  r->cases.clear();
  for (int cls : SourceCases(r->source)) {
    ResolvedCondition::Case one;
    one.cls = cls;
    for (const ConditionValue& v : c.values) {
      auto sub = Substitute(policy, v.text, r->source, cls);
      if (sub.has_value()) {
        one.patterns.push_back(std::move(*sub));
      } else {
        one.unresolved = true;
      }
    }
    r->cases.push_back(std::move(one));
  }
}

std::vector<eval::GlobPattern> RequestModel::ResolvedCondition::AllPatterns() const {
  std::vector<eval::GlobPattern> out;
  for (const Case& c : cases) out.insert(out.end(), c.patterns.begin(), c.patterns.end());
  return out;
}

std::string RequestModel::TablePattern(const std::string& table,
                                       bool indexes) const {
  return absl::StrCat("arn:", partition_name_, ":dynamodb:",
                      region_.empty() ? "*" : region_, ":",
                      account_.empty() ? "*" : account_, ":table/", table,
                      indexes ? "/index/*" : "");
}

absl::Status RequestModel::AddKeys(const PolicySet& p) {
  ForEachPolicy(p, [&](const Policy& policy) {
    policies_.push_back(&policy);
    for (const Statement& st : policy.statements) {
      for (const Condition& c : st.conditions) {
        std::string lower = absl::AsciiStrToLower(c.key);
        KeyModel& k = keys_[lower];
        if (k.name.empty()) k.name = c.key;
        key_conditions_[lower].push_back(&c);
        condition_policy_[&c] = &policy;
        if (c.qualifier != SetQualifier::kNone) {
          const ConditionKeyInfo* info = FindConditionKey(c.key);
          if (info == nullptr) k.multi_valued = true;
        }
      }
    }
  });
  return absl::OkStatus();
}

absl::Status RequestModel::FinishKeys(const AnalysisOptions& options) {
  // Multi-valuedness and the scope's fixed values come first: policy
  // variables are substituted from them.
  for (auto& [lower, k] : keys_) {
    const ConditionKeyInfo* info = FindConditionKey(k.name);
    if (info != nullptr && info->multi_valued()) k.multi_valued = true;
    if (k.fixed && !k.fixed->empty()) {
      fixed_request_.context[k.name] = ContextValue{*k.fixed, k.multi_valued};
    }
  }
  // Free variable sources (see FreeSource) become keys of their own.
  auto note_source = [&](const Policy& policy, const std::string& text) {
    auto source = FreeSource(policy, text);
    if (!source.ok() || source->empty()) return;
    if (!keys_.count(*source)) {
      // The name as written in the variable.
      const size_t at = absl::AsciiStrToLower(text).find(*source);
      keys_[*source].name = text.substr(at, source->size());
    }
    sources_.insert(*source);
  };
  for (const Policy* policy : policies_) {
    for (const Statement& st : policy->statements) {
      for (const PolicyString& r : st.resources) note_source(*policy, r.text);
      for (const Condition& c : st.conditions) {
        for (const ConditionValue& v : c.values) note_source(*policy, v.text);
      }
    }
  }
  // A free source is decided exactly when each of its occurrences is a
  // whole condition value compared case-sensitively as a string (see
  // exact_sources_); it then takes one value per class of its own
  // conditions and of its peers' other values.
  std::map<std::string, bool> exact;
  for (const std::string& source : sources_) exact[source] = true;
  for (const Policy* policy : policies_) {
    for (const Statement& st : policy->statements) {
      for (const PolicyString& r : st.resources) {
        auto source = FreeSource(*policy, r.text);
        if (source.ok() && !source->empty()) exact[*source] = false;
      }
      for (const Condition& c : st.conditions) {
        bool negated = false;
        const ConditionOperator pos = eval::PositiveOperator(c.op, &negated);
        const bool equality = (pos == ConditionOperator::kStringEquals ||
                               pos == ConditionOperator::kStringLike) &&
                              FamilyOf(c.op) == ValueFamily::kString;
        for (const ConditionValue& v : c.values) {
          auto source = FreeSource(*policy, v.text);
          if (!source.ok() || source->empty()) continue;
          if (!equality || WholeVariable(v.text) != *source ||
              absl::AsciiStrToLower(c.key) == *source) {
            exact[*source] = false;
            continue;
          }
          source_peers_[*source].insert(absl::AsciiStrToLower(c.key));
        }
      }
    }
  }
  // A peer compared with two free sources relates them to each other.
  std::map<std::string, std::set<std::string>> peer_sources;
  for (const auto& [source, peers] : source_peers_) {
    for (const std::string& peer : peers) peer_sources[peer].insert(source);
  }
  for (const auto& [peer, of] : peer_sources) {
    if (of.size() < 2) continue;
    for (const std::string& source : of) exact[source] = false;
  }
  for (const auto& [source, yes] : exact) {
    if (yes) exact_sources_.insert(source);
  }
  for (const auto& [source, values] : source_values_) exact_sources_.insert(source);
  for (const auto& [c, policy] : condition_policy_) {
    ResolvedCondition& r = resolved_[c];
    for (const ConditionValue& v : c->values) {
      auto source = FreeSource(*policy, v.text);
      if (!source.ok()) {
        r.problem = std::string(source.status().message());
      } else if (!source->empty()) {
        if (!r.source.empty() && r.source != *source) {
          r.problem = absl::StrCat("condition on ", c->key,
                                   " uses two policy variables the scope leaves free");
        }
        r.source = *source;
      }
    }
    if (!r.source.empty() && sources_.count(absl::AsciiStrToLower(c->key))) {
      r.problem = absl::StrCat("condition on ", c->key,
                               " compares it with a variable the scope leaves free");
    }
    if (r.source.empty() || !r.problem.empty()) {
      r.source.clear();
      ExpandCases(*c, &r);
    }
  }
  // Free variable sources first: the other keys' partitions hold the
  // patterns substituted with their witnesses.
  for (const std::string& lower : sources_) {
    if (absl::Status s = FinishKey(lower, keys_[lower], options); !s.ok()) return s;
  }
  for (auto& [c, r] : resolved_) {
    if (!r.source.empty() && r.problem.empty()) ExpandCases(*c, &r);
  }
  for (auto& [lower, k] : keys_) {
    if (sources_.count(lower)) continue;
    if (absl::Status s = FinishKey(lower, k, options); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status RequestModel::FinishKey(const std::string& lower, KeyModel& k,
                                     const AnalysisOptions& options) {
  const ConditionKeyInfo* info = FindConditionKey(k.name);
  // The value families the key is compared in. Bool mixes with String*
  // (its two literals join the string partition); any other mix is not
  // modelled.
  std::set<ValueFamily> families;
  for (const Condition* c : key_conditions_[lower]) {
    ValueFamily f = FamilyOf(c->op);
    if (f != ValueFamily::kNone) families.insert(f);
  }
  if (families.count(ValueFamily::kString)) families.erase(ValueFamily::kBool);
  ValueFamily family = ValueFamily::kNone;
  if (families.size() > 1) {
    k.unsupported = absl::StrCat("key ", k.name,
                                 " is compared as values of different types");
  } else if (families.size() == 1) {
    family = *families.begin();
  } else if (info != nullptr) {
    // No value comparison: the catalog type only decides the witnesses.
    if (info->type == ConditionKeyType::kNumeric ||
        info->type == ConditionKeyType::kArrayOfNumeric) {
      family = ValueFamily::kNumeric;
    } else if (info->type == ConditionKeyType::kBool ||
               info->type == ConditionKeyType::kArrayOfBool) {
      family = ValueFamily::kBool;
    }
  }
  // Policy values compared in `f`, and the scope's fixed values.
  auto values_of = [&](ValueFamily f) {
    std::vector<std::string> texts;
    for (const Condition* c : key_conditions_[lower]) {
      if (FamilyOf(c->op) != f) continue;
      for (const eval::GlobPattern& v : resolved_[c].AllPatterns()) texts.push_back(v.text);
    }
    if (k.fixed) texts.insert(texts.end(), k.fixed->begin(), k.fixed->end());
    return texts;
  };
  switch (family) {
    case ValueFamily::kNumeric: {
      k.domain = KeyModel::Domain::kNumeric;
      for (const std::string& t : values_of(family)) {
        if (!eval::ConditionValueMatches(ConditionOperator::kNumericEquals, t, t)) {
          continue;  // does not parse: matches no request value
        }
        k.numbers.push_back(std::strtod(t.c_str(), nullptr));
      }
      std::sort(k.numbers.begin(), k.numbers.end());
      k.numbers.erase(std::unique(k.numbers.begin(), k.numbers.end()),
                      k.numbers.end());
      if (k.numbers.empty()) {
        k.witnesses.push_back("0");
      } else {
        k.witnesses.push_back(FormatNumber(k.numbers.front() - 1));
        for (size_t i = 0; i < k.numbers.size(); ++i) {
          k.witnesses.push_back(FormatNumber(k.numbers[i]));
          if (i + 1 < k.numbers.size()) {
            double mid = k.numbers[i] / 2 + k.numbers[i + 1] / 2;
            if (mid == k.numbers[i] || mid == k.numbers[i + 1]) {
              k.unsupported = "numeric thresholds too close to separate";
            }
            k.witnesses.push_back(FormatNumber(mid));
          }
        }
        k.witnesses.push_back(FormatNumber(k.numbers.back() + 1));
      }
      k.witnesses.push_back(kNotANumber);
      break;
    }
    case ValueFamily::kDate: {
      k.domain = KeyModel::Domain::kDate;
      std::string problem;
      k.witnesses = DateWitnesses(values_of(family), &problem);
      if (!problem.empty()) k.unsupported = problem;
      break;
    }
    case ValueFamily::kIp:
      k.domain = KeyModel::Domain::kIp;
      k.witnesses = IpWitnesses(values_of(family));
      break;
    case ValueFamily::kBinary:
      k.domain = KeyModel::Domain::kBinary;
      k.witnesses = BinaryWitnesses(values_of(family));
      break;
    case ValueFamily::kBool:
      k.domain = KeyModel::Domain::kBool;
      k.witnesses = {"true", "false", kNotABool};
      break;
    case ValueFamily::kString:
    case ValueFamily::kNone: {
      k.domain = KeyModel::Domain::kString;
      if (auto given = source_values_.find(lower); given != source_values_.end()) {
        k.witnesses = given->second;  // see SourceValues
        break;
      }
      std::vector<GlobPattern> pats, extra;
      std::vector<std::pair<ConditionOperator, eval::GlobPattern>> checked;
      for (const Condition* c : key_conditions_[lower]) {
        bool negated = false;
        ConditionOperator pos = eval::PositiveOperator(c->op, &negated);
        for (const eval::GlobPattern& v : resolved_[c].AllPatterns()) {
          switch (pos) {
            case ConditionOperator::kStringEquals:
              pats.push_back(GlobPattern::Literal(v.text, false));
              break;
            case ConditionOperator::kStringEqualsIgnoreCase:
              pats.push_back(GlobPattern::Literal(v.text, true));
              break;
            case ConditionOperator::kStringLike:
              pats.push_back(GlobPattern::Wildcard(v.text, false, v.literal));
              break;
            case ConditionOperator::kArnEquals:
            case ConditionOperator::kArnLike:
              if (GlobPattern::ArnMatchesNothing(v.text, v.literal)) continue;
              pats.push_back(GlobPattern::Arn(v.text, v.literal));
              break;
            default:
              continue;
          }
          checked.emplace_back(pos, v);
        }
        if (c->op == ConditionOperator::kBool) {
          extra.push_back(GlobPattern::Literal("true", true));
          extra.push_back(GlobPattern::Literal("false", true));
        }
      }
      if (k.fixed) {
        for (const std::string& v : *k.fixed) extra.push_back(GlobPattern::Literal(v, false));
      }
      // A free variable source gets one ordinary name among its witnesses
      // (a refinement: the partition stays exact), and, when it is
      // decided exactly, the values its peers are compared with: its
      // classes then agree on every pattern a peer's value is matched
      // against.
      if (sources_.count(lower)) extra.push_back(GlobPattern::Literal("leastpriv", false));
      if (exact_sources_.count(lower)) {
        for (const std::string& peer : source_peers_[lower]) {
          for (const Condition* c : key_conditions_[peer]) {
            const ResolvedCondition& r = resolved_[c];
            if (!r.source.empty() || !r.problem.empty()) continue;
            const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
            for (const eval::GlobPattern& v : r.AllPatterns()) {
              switch (pos) {
                case ConditionOperator::kStringEquals:
                  extra.push_back(GlobPattern::Literal(v.text, false));
                  break;
                case ConditionOperator::kStringEqualsIgnoreCase:
                  extra.push_back(GlobPattern::Literal(v.text, true));
                  break;
                case ConditionOperator::kStringLike:
                  extra.push_back(GlobPattern::Wildcard(v.text, false, v.literal));
                  break;
                case ConditionOperator::kArnEquals:
                case ConditionOperator::kArnLike:
                  if (!GlobPattern::ArnMatchesNothing(v.text, v.literal)) {
                    extra.push_back(GlobPattern::Arn(v.text, v.literal));
                  }
                  break;
                default:
                  break;
              }
            }
          }
        }
      }
      for (GlobPattern& g : extra) pats.push_back(std::move(g));
      // A key the principal decides: the shapes of its values join the
      // partition, so each class lies in a shape or outside it.
      std::optional<PrincipalKeyShape> shape;
      if (!k.fixed && !k.multi_valued && principal_kind_ != PrincipalKind::kOther) {
        shape = PrincipalKeyShapes(lower, session_name_);
      }
      size_t user_shape = 0, session_shape = 0;
      if (shape && shape->user) {
        user_shape = pats.size();
        pats.push_back(*shape->user);
      }
      if (shape && shape->session) {
        session_shape = pats.size();
        pats.push_back(*shape->session);
      }
      auto part = smt::Partition::Build(std::move(pats), options.max_automaton_states);
      if (!part.ok()) return part.status();
      for (size_t c = 0; c < part->size(); ++c) {
        k.witnesses.push_back(part->at(c).witness);
      }
      if (shape) {
        k.principal_key = true;
        std::vector<std::string> texts;
        for (const Condition* c : key_conditions_[lower]) {
          for (const eval::GlobPattern& v : resolved_[c].AllPatterns()) texts.push_back(v.text);
        }
        AddFilledValues(lower, texts, session_name_, shape->readable);
        PreferWitnesses(*part, shape->readable, k.witnesses);
        for (uint32_t c = 0; c < part->size(); ++c) {
          if (shape->user && part->InPattern(c, user_shape)) k.user_classes.push_back(c);
          if (shape->session && part->InPattern(c, session_shape)) {
            k.session_classes.push_back(c);
          }
        }
        // The readable witnesses first.
        auto readable_first = [&](std::vector<uint32_t>& v) {
          std::stable_partition(v.begin(), v.end(), [&](uint32_t c) {
            return std::find(shape->readable.begin(), shape->readable.end(), k.witnesses[c]) !=
                   shape->readable.end();
          });
        };
        readable_first(k.user_classes);
        readable_first(k.session_classes);
        if (principal_kind_ == PrincipalKind::kEither && principal_is_user_ < 0) {
          principal_is_user_ = factory_.NewBoolVar("the principal is an IAM user");
        }
      }
      // Cross-check String* and Arn* membership against the evaluator:
      // `checked` lists the patterns in partition order.
      for (size_t index = 0; index < checked.size(); ++index) {
        const auto& [op, pattern] = checked[index];
        for (size_t cls = 0; cls < part->size(); ++cls) {
          if (eval::ConditionValueMatches(op, pattern, k.witnesses[cls]) !=
              part->InPattern(cls, index)) {
            return absl::InternalError(absl::StrCat(
                "string abstraction of ", k.name,
                " disagrees with the evaluator on \"", pattern.text, "\""));
          }
        }
      }
      break;
    }
  }
  const uint32_t n = static_cast<uint32_t>(k.witnesses.size());
  k.present = factory_.NewBoolVar(absl::StrCat(k.name, " is present"));
  if (k.multi_valued) {
    for (uint32_t c = 0; c < n; ++c) {
      k.elements.push_back(factory_.NewBoolVar(
          absl::StrCat(k.name, " contains \"", k.witnesses[c], "\"")));
    }
  } else {
    k.value = factory_.NewDimension(n, k.name);
  }
  // Scope facts.
  if (k.fixed) {
    if (k.fixed->empty()) {
      scope_facts_[lower] = factory_.Not(factory_.BoolVar(k.present));
      return absl::OkStatus();
    }
    if (!k.multi_valued && k.fixed->size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope context key ", k.name, " is single-valued but has ",
          k.fixed->size(), " values"));
    }
    std::vector<TermId> parts = {factory_.BoolVar(k.present)};
    std::vector<bool> in(n, false);
    for (const std::string& v : *k.fixed) {
      uint32_t cls = n;
      for (uint32_t c = 0; c < n && cls == n; ++c) {
        if (k.witnesses[c] == v) cls = c;
      }
      // Otherwise: the class whose witness agrees with the value on every
      // condition of the key (classes are homogeneous for all of them).
      for (uint32_t c = 0; c < n && cls == n; ++c) {
        bool same = true;
        for (const Condition* cond : key_conditions_[lower]) {
          for (const eval::GlobPattern& pv : resolved_[cond].AllPatterns()) {
            if (eval::ConditionValueMatches(cond->op, pv, v) !=
                eval::ConditionValueMatches(cond->op, pv, k.witnesses[c])) {
              same = false;
            }
          }
        }
        if (same) cls = c;
      }
      if (cls == n) {
        return absl::InvalidArgumentError(absl::StrCat(
            "scope context value \"", v, "\" is not a valid value of ", k.name));
      }
      in[cls] = true;
      if (!k.multi_valued) parts.push_back(factory_.InClasses(k.value, {cls}));
    }
    if (k.multi_valued) {
      for (uint32_t c = 0; c < n; ++c) {
        TermId e = factory_.BoolVar(k.elements[c]);
        parts.push_back(in[c] ? e : factory_.Not(e));
      }
    }
    scope_facts_[lower] = factory_.And(parts);
  }
  return absl::OkStatus();
}

absl::StatusOr<TermId> RequestModel::CompileCondition(const Condition& c) {
  smt::TermFactory& f = factory_;
  const std::string lower = absl::AsciiStrToLower(c.key);
  KeyModel& k = keys_[lower];
  if (c.op == ConditionOperator::kUnknown) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown condition operator \"", c.op_text, "\""));
  }
  TermId present = f.BoolVar(k.present);
  if (c.op == ConditionOperator::kNull) {
    std::vector<TermId> alts;
    for (const ConditionValue& v : c.values) {
      if (absl::EqualsIgnoreCase(v.text, "true")) alts.push_back(f.Not(present));
      if (absl::EqualsIgnoreCase(v.text, "false")) alts.push_back(present);
    }
    return f.Label(Describe(c), f.Or(alts));
  }
  if (!k.unsupported.empty()) return absl::UnimplementedError(k.unsupported);
  const ResolvedCondition& resolved = resolved_.at(&c);
  if (!resolved.problem.empty()) return absl::UnimplementedError(resolved.problem);
  bool negated = false;
  eval::PositiveOperator(c.op, &negated);
  const uint32_t n = static_cast<uint32_t>(k.witnesses.size());
  const bool absent_value =
      c.if_exists || c.qualifier == SetQualifier::kForAllValues ||
      (c.qualifier == SetQualifier::kNone && negated);
  std::vector<TermId> cases;
  for (const ResolvedCondition::Case& one : resolved.cases) {
    std::vector<uint32_t> matching, failing;
    for (uint32_t cls = 0; cls < n; ++cls) {
      // As the evaluator reads one request value against the clause's values.
      bool m = negated && !one.unresolved;
      for (const eval::GlobPattern& v : one.patterns) {
        bool r = eval::ConditionValueMatches(c.op, v, k.witnesses[cls]);
        m = negated ? (m && r) : (m || r);
      }
      (m ? matching : failing).push_back(cls);
    }
    TermId holds;
    if (!k.multi_valued) {
      holds = f.And(present, f.InClasses(k.value, matching));
    } else if (c.qualifier == SetQualifier::kForAllValues) {
      std::vector<TermId> parts = {present};
      for (uint32_t cls : failing) parts.push_back(f.Not(f.BoolVar(k.elements[cls])));
      holds = f.And(parts);
    } else {
      std::vector<TermId> alts;
      for (uint32_t cls : matching) alts.push_back(f.BoolVar(k.elements[cls]));
      holds = f.And(present, f.Or(alts));
    }
    cases.push_back(f.And(SourceGuard(resolved.source, one.cls), holds));
  }
  TermId t = f.Or(f.Or(cases), f.And(f.Not(present), f.Bool(absent_value)));
  return f.Label(Describe(c), t);
}

TermId RequestModel::PrincipalAxiom(const KeyModel& k) {
  smt::TermFactory& f = factory_;
  const TermId present = f.BoolVar(k.present);
  auto sends = [&](const std::vector<uint32_t>& classes) {
    return classes.empty() ? f.Not(present) : f.And(present, f.InClasses(k.value, classes));
  };
  switch (principal_kind_) {
    case PrincipalKind::kUser:
      return sends(k.user_classes);
    case PrincipalKind::kRoleSession:
      return sends(k.session_classes);
    case PrincipalKind::kEither: {
      const TermId user = f.BoolVar(principal_is_user_);
      return f.Or(f.And(user, sends(k.user_classes)), f.And(f.Not(user), sends(k.session_classes)));
    }
    case PrincipalKind::kOther:
      break;
  }
  return f.True();
}

TermId RequestModel::ResourceTerm(size_t pattern) {
  std::vector<uint32_t> classes;
  for (uint32_t c = 0; c < resources_.size(); ++c) {
    if (resources_.InPattern(c, pattern)) classes.push_back(c);
  }
  return factory_.InClasses(resource_dim_, std::move(classes));
}

std::string RequestModel::SubstitutedKey(const std::string& text, int cls) {
  return absl::StrCat("sub", cls == kNoSource ? "" : std::to_string(cls), ":", text);
}

absl::StatusOr<TermId> RequestModel::CompileStatement(
    const Statement& st, const Policy& policy, const ActionInfo& action,
    bool boundary_present, eval::PrincipalMatch* principal_match) {
  smt::TermFactory& f = factory_;
  const std::string name = action.qualified_name();
  bool any = false;
  for (const PolicyString& a : st.actions) {
    if (eval::ActionMatches(a.text, name)) {
      any = true;
      break;
    }
  }
  *principal_match = eval::PrincipalMatch::kNone;
  if (any == st.not_action) return f.False();
  // The rest does not depend on the action but through the condition keys
  // AWS never sends with it: compiled once per statement and such keys.
  std::vector<bool> absent;
  for (std::size_t i = 0; i < st.conditions.size(); ++i) {
    if (ActionSupportsConditionKey(action, st.conditions[i].key)) continue;
    absent.resize(st.conditions.size());
    absent[i] = true;
  }
  auto [it, added] = bodies_.try_emplace({&st, boundary_present, absent});
  CompiledBody& body = it->second;
  if (added) {
    const bool approximate_before = approximate_;
    approximate_ = false;
    body.term =
        CompileStatementBody(st, policy, boundary_present, absent, &body.principal_match);
    body.approximate = approximate_;
    if (approximate_) body.approximate_reason = approximate_reason_;
    approximate_ |= approximate_before;
  } else if (body.approximate) {
    approximate_ = true;
    approximate_reason_ = body.approximate_reason;
  }
  *principal_match = body.principal_match;
  return body.term;
}

absl::StatusOr<TermId> RequestModel::CompileStatementBody(
    const Statement& st, const Policy& policy, bool boundary_present,
    const std::vector<bool>& absent, eval::PrincipalMatch* principal_match) {
  smt::TermFactory& f = factory_;
  std::string where = absl::StrCat("statement ", st.index,
                                   st.sid ? absl::StrCat(" (", *st.sid, ")") : "",
                                   " of ", std::string(PolicyKindName(policy.kind)), " policy ",
                                   policy.name);
  // Principal/NotPrincipal count in resource-based policies and RCPs only.
  *principal_match = eval::PrincipalMatch::kWildcard;
  if ((policy.kind == PolicyKind::kResource || policy.kind == PolicyKind::kRcp) &&
      st.principal.has_value()) {
    const PrincipalBlock& block = *st.principal;
    if (policy.kind == PolicyKind::kResource && block.negated &&
        st.effect == Effect::kDeny && boundary_present) {
      *principal_match = eval::PrincipalMatch::kWildcard;
    } else if (who_) {
      *principal_match = eval::MatchPrincipalBlock(block, *who_);
    } else {
      // No principal in the scope: only blocks that name everyone decide
      // the same way for every principal.
      bool everyone = false;
      for (const PrincipalEntry& e : block.entries) {
        everyone |= e.type == PrincipalType::kAny ||
                    (e.type == PrincipalType::kAws && e.value == "*");
      }
      if (!everyone) {
        return absl::UnimplementedError(absl::StrCat(
            where, ": ", block.negated ? "NotPrincipal" : "Principal",
            " depends on the principal (set the scope principal)"));
      }
      *principal_match =
          block.negated ? eval::PrincipalMatch::kNone : eval::PrincipalMatch::kWildcard;
    }
    if (*principal_match == eval::PrincipalMatch::kNone) return f.False();
  }
  std::vector<TermId> parts;
  if (st.has_resource) {
    std::vector<TermId> alts;
    for (const PolicyString& r : st.resources) {
      if (!UsesVariables(policy, r.text)) {
        if (GlobPattern::ArnMatchesNothing(r.text)) continue;
        alts.push_back(ResourceTerm(pattern_index_.at("raw:" + r.text)));
        continue;
      }
      auto source = FreeSource(policy, r.text);
      if (!source.ok()) {
        return absl::UnimplementedError(absl::StrCat(where, ": ", source.status().message()));
      }
      for (int cls : SourceCases(*source)) {
        std::optional<eval::GlobPattern> sub = Substitute(policy, r.text, *source, cls);
        TermId entry;
        if (!sub.has_value()) {
          // An unresolved variable: the entry matches nothing (Resource) or
          // everything (NotResource).
          entry = f.Bool(st.not_resource);
        } else if (GlobPattern::ArnMatchesNothing(sub->text, sub->literal)) {
          entry = f.False();
        } else {
          entry = ResourceTerm(pattern_index_.at(SubstitutedKey(r.text, cls)));
        }
        alts.push_back(f.And(SourceGuard(*source, cls), entry));
      }
    }
    TermId r = f.Or(alts);
    parts.push_back(st.not_resource ? f.Not(r) : r);
  }
  for (std::size_t i = 0; i < st.conditions.size(); ++i) {
    const Condition& c = st.conditions[i];
    if (!absent.empty() && absent[i]) {
      // AWS never sends this key with the action (as Evaluate reads it).
      parts.push_back(f.Bool(
          eval::ConditionHolds(c, Request{}, PolicyVariablesEnabled(policy))));
      continue;
    }
    auto t = CompileCondition(c);
    if (!t.ok()) {
      if (t.status().code() == absl::StatusCode::kUnimplemented) {
        return absl::UnimplementedError(absl::StrCat(where, ": ", t.status().message()));
      }
      return t.status();
    }
    parts.push_back(*t);
  }
  return f.And(parts);
}

absl::StatusOr<TermId> RequestModel::Allowed(const PolicySide& side,
                                             const ActionInfo& action) {
  smt::TermFactory& f = factory_;
  if (side.kind == PolicySide::Kind::kAllowAll) return f.True();
  if (side.kind == PolicySide::Kind::kDenyAll) return f.False();
  const PolicySet& p = *side.policies;
  approximate_ = false;
  const bool boundary_present = p.boundary.has_value();
  std::vector<TermId> denies;
  auto group = [&](const std::vector<const Policy*>& policies) -> absl::StatusOr<TermId> {
    std::vector<TermId> allows;
    for (const Policy* policy : policies) {
      for (const Statement& st : policy->statements) {
        eval::PrincipalMatch pm;
        auto t = CompileStatement(st, *policy, action, boundary_present, &pm);
        if (!t.ok()) return t.status();
        (st.effect == Effect::kAllow ? allows : denies).push_back(*t);
      }
    }
    return f.Or(allows);
  };
  std::vector<TermId> conj;
  std::vector<const Policy*> identity;
  for (const Policy& x : p.identity) identity.push_back(&x);
  auto id = group(identity);
  if (!id.ok()) return id.status();
  TermId boundary_allows = f.True(), session_allows = f.True();
  if (p.boundary) {
    auto b = group({&*p.boundary});
    if (!b.ok()) return b.status();
    boundary_allows = *b;
  }
  if (p.session) {
    auto s = group({&*p.session});
    if (!s.ok()) return s.status();
    session_allows = *s;
  }
  for (const auto& levels : {&p.scp_levels, &p.rcp_levels}) {
    for (const auto& level : *levels) {
      std::vector<const Policy*> ps;
      for (const Policy& x : level) ps.push_back(&x);
      auto l = group(ps);
      if (!l.ok()) return l.status();
      conj.push_back(*l);
    }
  }
  const TermId identity_path = f.And({*id, boundary_allows, session_allows});
  // Resource-based policies (see Evaluate, steps 3 and 4): a same-account
  // grant suffices unless it names only the account, and is limited by the
  // boundary and session policy when it names the role; cross-account, any
  // grant needs the identity side too.
  std::vector<TermId> same_grants, any_grants;
  for (const auto& [key, list] : p.resource) {
    auto it = attached_classes_.find(key);
    const TermId attached = f.InClasses(
        resource_dim_, it == attached_classes_.end() ? std::vector<uint32_t>{} : it->second);
    for (const Policy& policy : list) {
      for (const Statement& st : policy.statements) {
        eval::PrincipalMatch pm;
        auto t = CompileStatement(st, policy, action, boundary_present, &pm);
        if (!t.ok()) return t.status();
        const TermId applies = f.And(attached, *t);
        if (st.effect == Effect::kDeny) {
          denies.push_back(applies);
          continue;
        }
        any_grants.push_back(applies);
        if (pm == eval::PrincipalMatch::kAccountLevel) continue;
        const bool to_role = pm == eval::PrincipalMatch::kSessionRole ||
                             (who_ && who_->is_role && pm == eval::PrincipalMatch::kDirect);
        same_grants.push_back(
            to_role ? f.And({applies, boundary_allows, session_allows}) : applies);
      }
    }
  }
  const TermId same = f.InClasses(resource_dim_, same_account_classes_);
  conj.push_back(f.Or(
      f.And(same, f.Or(identity_path, f.Or(same_grants))),
      f.And({f.Not(same), f.Or(any_grants), identity_path})));
  conj.push_back(f.Not(f.Or(denies)));
  TermId t = f.And(conj);
  // Scope facts fold in as constants.
  std::map<int, uint32_t> dims;
  std::map<int, bool> vars;
  std::vector<TermId> facts;
  for (const auto& [lower, fact] : scope_facts_) facts.push_back(fact);
  if (!facts.empty()) {
    // Facts are conjunctions of literals: read them off.
    for (const auto& [lower, k] : keys_) {
      if (!k.fixed) continue;
      vars[k.present] = !k.fixed->empty();
    }
    TermId all = f.And(facts);
    std::vector<TermId> lits = f.node(all).kind == smt::TermKind::kAnd
                                   ? f.node(all).kids
                                   : std::vector<TermId>{all};
    for (TermId l : lits) {
      bool positive = true;
      TermId a = l;
      if (f.node(a).kind == smt::TermKind::kNot) {
        positive = false;
        a = f.node(a).kids[0];
      }
      const smt::TermNode& n = f.node(a);
      if (n.kind == smt::TermKind::kBoolVar) vars[n.var] = positive;
      if (n.kind == smt::TermKind::kInClasses && positive) dims[n.var] = n.classes[0];
    }
    t = f.Substitute(t, dims, vars);
  }
  return t;
}

std::vector<ResourceShape> RequestModel::Shapes(const ActionInfo& action) const {
  std::vector<ResourceShape> out;
  for (const ActionResource& r : action.resources) {
    for (const ResourceShape& s : shapes_) {
      if (s.resource_type == r.resource_type) out.push_back(s);
    }
  }
  return out;
}

std::vector<uint32_t> RequestModel::ResourceUniverse(const ActionInfo& action) const {
  std::vector<uint32_t> out;
  if (action.wildcard_only()) {
    out.push_back(static_cast<uint32_t>(resources_.ClassOf("*")));
    return out;
  }
  std::vector<ResourceShape> shapes = Shapes(action);
  for (uint32_t c = 0; c < resources_.size(); ++c) {
    bool in_shape = false;
    for (const ResourceShape& s : shapes) in_shape |= resources_.InPattern(c, s.pattern);
    if (!in_shape) continue;
    if (!scope_table_patterns_.empty()) {
      bool in_table = false;
      for (size_t p : scope_table_patterns_) in_table |= resources_.InPattern(c, p);
      if (!in_table) continue;
    }
    out.push_back(c);
  }
  return out;
}

std::optional<size_t> RequestModel::PatternIndex(const std::string& raw) const {
  auto it = pattern_index_.find(raw);
  if (it == pattern_index_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, size_t>> RequestModel::RawPatterns() const {
  std::vector<std::pair<std::string, size_t>> out;
  for (const auto& [key, index] : pattern_index_) {
    if (absl::StartsWith(key, "raw:")) out.emplace_back(key.substr(4), index);
  }
  return out;
}

TermId RequestModel::WithAxioms(TermId t) {
  std::set<int> dims, vars;
  factory_.CollectVariables(t, &dims, &vars);
  std::vector<TermId> parts = {t};
  for (const auto& [lower, k] : keys_) {
    if (!k.multi_valued) continue;
    bool used = vars.count(k.present) > 0;
    for (int e : k.elements) used |= vars.count(e) > 0;
    if (!used) continue;
    std::vector<TermId> elems;
    for (int e : k.elements) elems.push_back(factory_.BoolVar(e));
    TermId any = factory_.Or(elems);
    TermId present = factory_.BoolVar(k.present);
    parts.push_back(factory_.And(factory_.Implies(present, any),
                                 factory_.Implies(any, present)));
  }
  for (const auto& [lower, k] : keys_) {
    if (k.principal_key && (vars.count(k.present) || dims.count(k.value))) {
      parts.push_back(PrincipalAxiom(k));
    }
  }
  return factory_.And(parts);
}

Request RequestModel::Decode(const std::string& action,
                             const std::string& resource,
                             const smt::Assignment& model) const {
  Request r;
  r.action = action;
  r.resource = resource;
  const ActionInfo* info = FindAction(action);
  for (const auto& [lower, k] : keys_) {
    if (info != nullptr && !ActionSupportsConditionKey(*info, k.name)) continue;
    if (k.fixed) {
      if (!k.fixed->empty()) r.context[k.name] = ContextValue{*k.fixed, k.multi_valued};
      continue;
    }
    auto p = model.bool_vars.find(k.present);
    if (p == model.bool_vars.end() || !p->second) continue;
    ContextValue v;
    v.multi_valued = k.multi_valued;
    if (k.multi_valued) {
      for (size_t c = 0; c < k.elements.size(); ++c) {
        auto e = model.bool_vars.find(k.elements[c]);
        if (e != model.bool_vars.end() && e->second) v.values.push_back(k.witnesses[c]);
      }
    } else {
      auto d = model.dimensions.find(k.value);
      v.values.push_back(k.witnesses[d == model.dimensions.end() ? 0 : d->second]);
    }
    r.context[k.name] = std::move(v);
  }
  // Who sends it: an IAM user or a role session, as the model chose (or,
  // without a choice, as aws:username says); the principal keys the query
  // left free get a value that principal type sends.
  bool user = principal_kind_ == PrincipalKind::kUser;
  if (principal_kind_ == PrincipalKind::kEither) {
    auto u = model.bool_vars.find(principal_is_user_);
    if (u != model.bool_vars.end()) {
      user = u->second;
    } else {
      for (const auto& [lower, k] : keys_) {
        if (lower == "aws:username" && k.principal_key && r.context.count(k.name)) user = true;
      }
    }
  }
  std::string user_name = "leastpriv-witness";
  for (const auto& [lower, k] : keys_) {
    if (!k.principal_key) continue;
    auto p = model.bool_vars.find(k.present);
    const std::vector<uint32_t>& classes = user ? k.user_classes : k.session_classes;
    if (p == model.bool_vars.end() && !classes.empty()) {
      r.context[k.name] = ContextValue{{k.witnesses[classes[0]]}, false};
    }
    if (lower == "aws:username" && r.context.count(k.name)) {
      user_name = r.context[k.name].values[0];
    }
  }
  if (!principal_.empty()) {
    r.principal = principal_;
  } else {
    // A principal of the resource's own account (always same-account).
    std::string account(eval::SplitArn(r.resource).account);
    if (account.empty()) account = account_;
    if (account.empty()) account = "123456789012";
    r.principal =
        user ? absl::StrCat("arn:", partition_name_, ":iam::", account, ":user/", user_name)
             : absl::StrCat("arn:", partition_name_, ":iam::", account, ":role/leastpriv-witness");
  }
  return r;
}

}  // namespace leastpriv::analysis
