// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/match.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "lib/glob/glob.h"

namespace leastpriv::eval {
namespace {

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
      const std::optional<double> p = ParseNumberValue(policy.text);
      const std::optional<double> v = ParseNumberValue(value);
      if (!p.has_value() || !v.has_value()) {
        *parsed = false;
        return false;
      }
      switch (op) {
        case ConditionOperator::kNumericEquals:
          return *v == *p;
        case ConditionOperator::kNumericLessThan:
          return *v < *p;
        case ConditionOperator::kNumericLessThanEquals:
          return *v <= *p;
        case ConditionOperator::kNumericGreaterThan:
          return *v > *p;
        default:
          return *v >= *p;
      }
    }
    case ConditionOperator::kDateEquals:
    case ConditionOperator::kDateLessThan:
    case ConditionOperator::kDateLessThanEquals:
    case ConditionOperator::kDateGreaterThan:
    case ConditionOperator::kDateGreaterThanEquals: {
      const std::optional<std::int64_t> p = ParseDateMillis(policy.text);
      const std::optional<std::int64_t> v = ParseDateMillis(value);
      if (!p.has_value() || !v.has_value()) {
        *parsed = false;
        return false;
      }
      switch (op) {
        case ConditionOperator::kDateEquals:
          return *v == *p;
        case ConditionOperator::kDateLessThan:
          return *v < *p;
        case ConditionOperator::kDateLessThanEquals:
          return *v <= *p;
        case ConditionOperator::kDateGreaterThan:
          return *v > *p;
        default:
          return *v >= *p;
      }
    }
    case ConditionOperator::kBool: {
      const std::optional<bool> p = ParseBoolValue(policy.text);
      const std::optional<bool> v = ParseBoolValue(value);
      if (!p.has_value() || !v.has_value()) {
        *parsed = false;
        return false;
      }
      return *p == *v;
    }
    case ConditionOperator::kBinaryEquals: {
      const std::optional<std::string> p = DecodeBinaryValue(policy.text);
      const std::optional<std::string> v = DecodeBinaryValue(value);
      if (!p.has_value() || !v.has_value()) {
        *parsed = false;
        return false;
      }
      return *p == *v;
    }
    case ConditionOperator::kIpAddress: {
      const std::optional<IpBlock> block = ParseIpBlock(policy.text);
      const std::optional<IpBlock> address = ParseIpAddress(value);
      if (!block.has_value() || !address.has_value()) {
        *parsed = false;
        return false;
      }
      return BlockContains(*block, *address);
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
      const std::optional<bool> want_absent = ParseBoolValue(v.text);
      if (want_absent.has_value() && *want_absent != present) return true;
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