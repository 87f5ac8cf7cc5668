// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/condition_text.h"

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

}  // namespace

std::string FormatNumber(double d) {
  std::string s = absl::StrFormat("%g", d);
  if (std::strtod(s.c_str(), nullptr) == d) return s;
  return absl::StrFormat("%.17g", d);
}

std::string Describe(const Condition& c) {
  bool negated = false;
  ConditionOperator pos = eval::PositiveOperator(c.op, &negated);
  std::string suffix = c.if_exists ? " (if present)" : "";
  const bool equality = pos == ConditionOperator::kStringEquals ||
                        pos == ConditionOperator::kBool ||
                        pos == ConditionOperator::kNumericEquals;
  if (c.op == ConditionOperator::kNull) {
    bool absent =
        !c.values.empty() && absl::EqualsIgnoreCase(c.values[0].text, "true");
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

}  // namespace leastpriv::analysis
