// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/request_universe.h"

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "leastpriv/catalog.h"
#include "lib/eval/match.h"
#include "lib/glob/glob.h"

namespace leastpriv::eval {
namespace {

// Sub-resource names used when no policy names one.
constexpr char kDefaultStreamLabel[] = "2024-01-01T00:00:00.000";
constexpr char kDefaultResourceId[] = "01234567890123-abcdefgh";
// A string value no policy of the generated kind matches.
constexpr char kOtherValue[] = "zz-other";

template <typename T>
void AddUnique(std::vector<T>* v, T value) {
  if (std::find(v->begin(), v->end(), value) == v->end()) {
    v->push_back(std::move(value));
  }
}

bool OnlyWildcards(std::string_view s) {
  return !s.empty() && s.find_first_not_of('*') == std::string_view::npos;
}

// A glob pattern's instances: its wildcards replaced by nothing and by
// "x" ('?' always by "x"); policy variables by "x". Empty instances are
// dropped.
std::vector<std::string> Instances(std::string_view pattern) {
  std::vector<std::string> out;
  for (const char* star : {"", "x"}) {
    std::string s;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern.substr(i, 2) == "${") {
        const std::size_t end = pattern.find('}', i);
        if (end != std::string_view::npos) {
          s += 'x';
          i = end;
          continue;
        }
      }
      const char c = pattern[i];
      s += c == '*' ? star : c == '?' ? "x" : std::string(1, c);
    }
    if (!s.empty()) AddUnique(&out, s);
  }
  return out;
}

// The candidate values of one ARN dimension.
struct Dimension {
  std::vector<std::string> literal;  // in order of first appearance
  std::vector<std::string> values;

  void Add(std::string_view pattern) {
    if (pattern.empty()) return;
    if (pattern.find_first_of("*?$") == std::string_view::npos) {
      AddUnique(&literal, std::string(pattern));
    }
    if (OnlyWildcards(pattern)) {
      AddUnique(&values, std::string("x"));
      return;
    }
    for (std::string& s : Instances(pattern)) AddUnique(&values, std::move(s));
  }
};

// Candidate ARN parts gathered from the policies' resource patterns.
struct ArnCandidates {
  Dimension regions, accounts, tables;
  // Template variable ("IndexName", ...) -> names.
  std::map<std::string, std::vector<std::string>> sub_names;

  void AddPattern(std::string_view pattern) {
    const ArnParts parts = SplitArn(pattern);
    if (!parts.ok) {
      // "*" or a bare table name (a resource-policy key).
      if (!pattern.empty() && pattern.find(':') == std::string_view::npos &&
          !OnlyWildcards(pattern)) {
        tables.Add(pattern);
      }
      return;
    }
    if (!GlobMatch(parts.service, "dynamodb", GlobCase::kInsensitive)) {
      return;
    }
    regions.Add(parts.region);
    accounts.Add(parts.account);
    const std::vector<std::string> segments =
        absl::StrSplit(std::string(parts.resource), '/');
    if (segments[0] == "table" || segments[0] == "global-table") {
      if (segments.size() >= 2) tables.Add(segments[1]);
      static const std::map<std::string_view, std::string> kVariable = {
          {"index", "IndexName"},   {"stream", "StreamLabel"},
          {"backup", "BackupName"}, {"export", "ExportName"},
          {"import", "ImportName"},
      };
      if (segments.size() >= 4) {
        const auto v = kVariable.find(segments[2]);
        if (v != kVariable.end()) {
          for (std::string& s : Instances(segments[3])) {
            AddUnique(&sub_names[v->second], std::move(s));
          }
        }
      }
    } else if (GlobMatch(segments[0], "table")) {
      tables.Add("*");
    }
  }
};

// Every ARN of `type` over the candidate parts.
std::vector<std::string> ArnsOfType(const ResourceTypeInfo& type,
                                    const ArnCandidates& c,
                                    const std::vector<std::string>& regions,
                                    const std::vector<std::string>& accounts) {
  // The template as literal text and variables, expanded left to right.
  std::vector<std::string> out = {""};
  std::string_view rest = type.arn_template;
  while (!rest.empty()) {
    const std::size_t at = rest.find("${");
    const std::size_t end =
        at == std::string_view::npos ? at : rest.find('}', at);
    std::vector<std::string> values;
    std::size_t consumed = rest.size();
    if (end == std::string_view::npos) {
      values = {std::string(rest)};
    } else if (at > 0) {
      values = {std::string(rest.substr(0, at))};
      consumed = at;
    } else {
      const std::string_view variable = rest.substr(2, end - 2);
      consumed = end + 1;
      if (variable == "Partition") {
        values = {"aws"};
      } else if (variable == "Region") {
        values = regions;
      } else if (variable == "Account") {
        values = accounts;
      } else if (variable == "TableName" || variable == "GlobalTableName") {
        values = c.tables.values;
      } else {
        const auto it = c.sub_names.find(std::string(variable));
        if (it != c.sub_names.end()) values = it->second;
        AddUnique(&values,
                  std::string(variable == "StreamLabel" ? kDefaultStreamLabel
                              : variable == "IndexName" ? "x"
                                                        : kDefaultResourceId));
      }
    }
    rest.remove_prefix(consumed);
    std::vector<std::string> next;
    for (const std::string& partial : out) {
      for (const std::string& v : values) next.push_back(partial + v);
    }
    out = std::move(next);
  }
  return out;
}

// The policies of `sets`, each with whether it may omit Resource.
std::vector<const Policy*> AllPolicies(
    const std::vector<const PolicySet*>& sets) {
  std::vector<const Policy*> out;
  for (const PolicySet* s : sets) {
    for (const Policy& p : s->identity) out.push_back(&p);
    if (s->boundary) out.push_back(&*s->boundary);
    if (s->session) out.push_back(&*s->session);
    for (const auto* levels : {&s->scp_levels, &s->rcp_levels}) {
      for (const std::vector<Policy>& level : *levels) {
        for (const Policy& p : level) out.push_back(&p);
      }
    }
    for (const auto& [key, policies] : s->resource) {
      for (const Policy& p : policies) out.push_back(&p);
    }
  }
  return out;
}

bool StatementActionMatches(const Statement& st, std::string_view action) {
  bool any = false;
  for (const PolicyString& a : st.actions) {
    any = any || ActionMatches(a.text, action);
  }
  return any != st.not_action;
}

// Whether the statement may apply to `resource`. Patterns with policy
// variables count as matching in Resource and as not matching in
// NotResource (an unresolved variable excludes nothing there).
bool StatementResourceMatches(const Statement& st, std::string_view resource) {
  if (!st.has_resource) return true;
  bool any = false;
  for (const PolicyString& r : st.resources) {
    const bool variable = r.text.find("${") != std::string::npos;
    any = any || (variable ? !st.not_resource : ArnMatches(r.text, resource));
  }
  return any != st.not_resource;
}

// ISO 8601 in UTC, to the second (rounded down).
std::string FormatDate(std::int64_t millis) {
  const time_t seconds = static_cast<time_t>(
      millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000));
  struct tm tm;
  char buffer[32];
  if (gmtime_r(&seconds, &tm) == nullptr ||
      strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
    return "not a date";
  }
  return buffer;
}

std::string FormatIp(const IpBlock& b) {
  if (b.is_v4) {
    return absl::StrFormat("%d.%d.%d.%d", b.bytes[0], b.bytes[1], b.bytes[2],
                           b.bytes[3]);
  }
  std::string out;
  for (int i = 0; i < 16; i += 2) {
    absl::StrAppend(&out, i == 0 ? "" : ":",
                    absl::Hex((b.bytes[i] << 8) | b.bytes[i + 1]));
  }
  return out;
}

// The value type a condition key is compared as.
enum class KeyType { kString, kNumber, kDate, kBool, kIp, kArn, kBinary };

KeyType TypeOf(ConditionOperator positive) {
  switch (positive) {
    case ConditionOperator::kNumericEquals:
    case ConditionOperator::kNumericLessThan:
    case ConditionOperator::kNumericLessThanEquals:
    case ConditionOperator::kNumericGreaterThan:
    case ConditionOperator::kNumericGreaterThanEquals:
      return KeyType::kNumber;
    case ConditionOperator::kDateEquals:
    case ConditionOperator::kDateLessThan:
    case ConditionOperator::kDateLessThanEquals:
    case ConditionOperator::kDateGreaterThan:
    case ConditionOperator::kDateGreaterThanEquals:
      return KeyType::kDate;
    case ConditionOperator::kBool:
      return KeyType::kBool;
    case ConditionOperator::kIpAddress:
      return KeyType::kIp;
    case ConditionOperator::kArnEquals:
    case ConditionOperator::kArnLike:
      return KeyType::kArn;
    case ConditionOperator::kBinaryEquals:
      return KeyType::kBinary;
    default:
      return KeyType::kString;
  }
}

// Request values on both sides of one policy value.
void AddValuesAround(ConditionOperator positive, std::string_view value,
                     std::vector<std::string>* out) {
  if (value.find("${") != std::string_view::npos) {
    AddUnique(out, std::string("x"));
    return;
  }
  switch (TypeOf(positive)) {
    case KeyType::kNumber: {
      double d = 0;
      if (!absl::SimpleAtod(std::string(value), &d)) return;
      for (double v : {d - 1, d, d + 1}) {
        AddUnique(out, absl::StrFormat("%.15g", v));
      }
      return;
    }
    case KeyType::kDate: {
      const std::optional<std::int64_t> ms = ParseDateMillis(value);
      if (!ms) return;
      for (std::int64_t v : {*ms - 1000, *ms, *ms + 1000}) {
        AddUnique(out, FormatDate(v));
      }
      return;
    }
    case KeyType::kBool:
      AddUnique(out, std::string("true"));
      AddUnique(out, std::string("false"));
      return;
    case KeyType::kIp: {
      std::optional<IpBlock> b = ParseIpBlock(value);
      if (!b) return;
      const int bits = b->is_v4 ? 32 : 128;
      IpBlock inside = *b;
      inside.bytes[(bits - 1) / 8] |= 1;  // a host inside the block
      if (b->prefix == bits) inside = *b;
      AddUnique(out, FormatIp(inside));
      if (b->prefix > 0) {  // flip the last bit of the prefix: outside
        IpBlock outside = *b;
        const int bit = b->prefix - 1;
        outside.bytes[bit / 8] ^= static_cast<std::uint8_t>(0x80 >> (bit % 8));
        AddUnique(out, FormatIp(outside));
      }
      return;
    }
    case KeyType::kBinary:
      AddUnique(out, std::string(value));
      AddUnique(out, std::string("eA=="));
      return;
    case KeyType::kArn:
      for (std::string& s : Instances(value)) AddUnique(out, std::move(s));
      AddUnique(out, std::string("arn:aws:s3:::zz-other"));
      return;
    case KeyType::kString:
      for (std::string& s : Instances(value)) {
        if (positive == ConditionOperator::kStringEqualsIgnoreCase) {
          std::string flipped = s;
          for (char& c : flipped) {
            c = absl::ascii_isupper(c) ? absl::ascii_tolower(c)
                                       : absl::ascii_toupper(c);
          }
          AddUnique(out, std::move(flipped));
        }
        AddUnique(out, std::move(s));
      }
      return;
  }
}

// One condition key's candidate request values.
struct KeyValues {
  std::string key;  // as first written
  bool multi = false;
  bool string_typed = false;  // also takes a value no policy value matches
  std::vector<std::string> values;
};

// The contexts that matter for `action` on `resource` under `statements`.
std::vector<std::map<std::string, ContextValue>> Contexts(
    const ActionInfo& action, std::string_view resource,
    const std::vector<const Statement*>& statements, std::size_t max) {
  std::map<std::string, KeyValues> keys;  // by lower-case key
  for (const Statement* st : statements) {
    if (!StatementResourceMatches(*st, resource)) continue;
    for (const Condition& c : st->conditions) {
      if (!ActionSupportsConditionKey(action, c.key)) continue;
      KeyValues& kv = keys[absl::AsciiStrToLower(c.key)];
      if (kv.key.empty()) kv.key = c.key;
      const ConditionKeyInfo* info = FindConditionKey(c.key);
      kv.multi = kv.multi || c.qualifier != SetQualifier::kNone ||
                 (info != nullptr && info->multi_valued());
      if (c.op == ConditionOperator::kNull) continue;
      const ConditionOperator positive = PositiveOperator(c.op, nullptr);
      kv.string_typed = kv.string_typed || TypeOf(positive) == KeyType::kString;
      for (const ConditionValue& v : c.values) {
        AddValuesAround(positive, v.text, &kv.values);
      }
    }
  }
  // Each key: absent, then its values (multi-valued: the empty set, each
  // value alone, all of them).
  std::vector<std::vector<std::optional<ContextValue>>> choices;
  std::vector<const KeyValues*> order;
  for (auto& [lower, kv] : keys) {
    if (kv.values.empty()) kv.values.push_back("x");
    std::vector<std::optional<ContextValue>> c = {std::nullopt};
    if (kv.multi) c.push_back(ContextValue{{}, true});
    for (const std::string& v : kv.values) {
      c.push_back(ContextValue{{v}, kv.multi});
    }
    if (kv.string_typed && std::find(kv.values.begin(), kv.values.end(),
                                     kOtherValue) == kv.values.end()) {
      c.push_back(ContextValue{{kOtherValue}, kv.multi});
    }
    if (kv.multi && kv.values.size() > 1) {
      c.push_back(ContextValue{kv.values, true});
    }
    choices.push_back(std::move(c));
    order.push_back(&kv);
  }
  std::size_t total = 1;
  for (const auto& c : choices) {
    total = total > (SIZE_MAX / c.size()) ? SIZE_MAX : total * c.size();
  }
  const std::size_t keep = std::min(total, max == 0 ? total : max);
  std::vector<std::map<std::string, ContextValue>> out;
  for (std::size_t n = 0; n < keep; ++n) {
    // An even spread over the mixed-radix product.
    std::size_t index = keep == total
                            ? n
                            : static_cast<std::size_t>(
                                  static_cast<long double>(n) * total / keep);
    std::map<std::string, ContextValue> m;
    for (std::size_t k = 0; k < choices.size(); ++k) {
      const auto& choice = choices[k][index % choices[k].size()];
      index /= choices[k].size();
      if (choice) m[order[k]->key] = *choice;
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::vector<Request> CoveringRequests(const std::vector<const PolicySet*>& sets,
                                      const UniverseOptions& options) {
  const std::vector<const Policy*> policies = AllPolicies(sets);
  ArnCandidates c;
  for (const PolicySet* s : sets) {
    for (const auto& [key, unused] : s->resource) c.AddPattern(key);
  }
  for (const Policy* p : policies) {
    for (const Statement& st : p->statements) {
      for (const PolicyString& r : st.resources) c.AddPattern(r.text);
    }
  }
  if (c.tables.values.empty()) c.tables.values.push_back("x");
  std::string region = options.region, account = options.account;
  if (region.empty()) {
    region = c.regions.literal.empty() ? "us-east-1" : c.regions.literal[0];
  }
  if (account.empty()) {
    const ArnParts principal = SplitArn(options.principal);
    account = !c.accounts.literal.empty() ? c.accounts.literal[0]
              : principal.ok && !principal.account.empty()
                  ? std::string(principal.account)
                  : "111122223333";
  }
  std::vector<std::string> regions = {region}, accounts = {account};
  for (const std::string& r : c.regions.values) AddUnique(&regions, r);
  for (const std::string& a : c.accounts.values) AddUnique(&accounts, a);
  std::map<std::string_view, std::vector<std::string>> arns_by_type;
  for (const ResourceTypeInfo& type : DynamoDbResourceTypes()) {
    arns_by_type[type.name] = ArnsOfType(type, c, regions, accounts);
  }

  std::vector<const ActionInfo*> actions;
  if (options.actions.empty()) {
    for (const ActionInfo& a : DynamoDbActions()) actions.push_back(&a);
  } else {
    for (const std::string& name : options.actions) {
      if (const ActionInfo* a = FindAction(name)) actions.push_back(a);
    }
  }
  std::vector<Request> out;
  for (const ActionInfo* a : actions) {
    const std::string name = a->qualified_name();
    std::vector<const Statement*> statements;
    for (const Policy* p : policies) {
      for (const Statement& st : p->statements) {
        if (!st.conditions.empty() && StatementActionMatches(st, name)) {
          statements.push_back(&st);
        }
      }
    }
    std::vector<std::string> resources;
    if (a->wildcard_only()) resources.push_back("*");
    for (const ActionResource& r : a->resources) {
      for (const std::string& arn : arns_by_type[r.resource_type]) {
        resources.push_back(arn);
      }
    }
    for (const std::string& resource : resources) {
      std::vector<std::map<std::string, ContextValue>> contexts = {{}};
      if (options.vary_context) {
        contexts = Contexts(*a, resource, statements, options.max_contexts);
      }
      for (auto& context : contexts) {
        out.push_back(
            Request{options.principal, name, resource, std::move(context)});
      }
    }
  }
  return out;
}

std::vector<Request> EvenSample(const std::vector<Request>& requests,
                                std::size_t max) {
  if (max == 0 || requests.size() <= max) return requests;
  const std::size_t stride = (requests.size() + max - 1) / max;
  std::vector<Request> out;
  for (std::size_t i = 0; i < requests.size(); i += stride) {
    out.push_back(requests[i]);
  }
  return out;
}

}  // namespace leastpriv::eval
