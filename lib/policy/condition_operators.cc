// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/condition_operators.h"

#include <string>
#include <string_view>

namespace leastpriv::policy_internal {
namespace {

struct OperatorName {
  std::string_view name;
  ConditionOperator op;
};

constexpr OperatorName kOperators[] = {
    {"StringEquals", ConditionOperator::kStringEquals},
    {"StringNotEquals", ConditionOperator::kStringNotEquals},
    {"StringEqualsIgnoreCase", ConditionOperator::kStringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase",
     ConditionOperator::kStringNotEqualsIgnoreCase},
    {"StringLike", ConditionOperator::kStringLike},
    {"StringNotLike", ConditionOperator::kStringNotLike},
    {"NumericEquals", ConditionOperator::kNumericEquals},
    {"NumericNotEquals", ConditionOperator::kNumericNotEquals},
    {"NumericLessThan", ConditionOperator::kNumericLessThan},
    {"NumericLessThanEquals", ConditionOperator::kNumericLessThanEquals},
    {"NumericGreaterThan", ConditionOperator::kNumericGreaterThan},
    {"NumericGreaterThanEquals", ConditionOperator::kNumericGreaterThanEquals},
    {"DateEquals", ConditionOperator::kDateEquals},
    {"DateNotEquals", ConditionOperator::kDateNotEquals},
    {"DateLessThan", ConditionOperator::kDateLessThan},
    {"DateLessThanEquals", ConditionOperator::kDateLessThanEquals},
    {"DateGreaterThan", ConditionOperator::kDateGreaterThan},
    {"DateGreaterThanEquals", ConditionOperator::kDateGreaterThanEquals},
    {"Bool", ConditionOperator::kBool},
    {"BinaryEquals", ConditionOperator::kBinaryEquals},
    {"IpAddress", ConditionOperator::kIpAddress},
    {"NotIpAddress", ConditionOperator::kNotIpAddress},
    {"ArnEquals", ConditionOperator::kArnEquals},
    {"ArnNotEquals", ConditionOperator::kArnNotEquals},
    {"ArnLike", ConditionOperator::kArnLike},
    {"ArnNotLike", ConditionOperator::kArnNotLike},
    {"Null", ConditionOperator::kNull},
};

}  // namespace

void ParseOperator(std::string_view text, Condition& c) {
  c.op_text = std::string(text);
  std::string_view rest = text;
  if (rest.substr(0, 13) == "ForAllValues:") {
    c.qualifier = SetQualifier::kForAllValues;
    rest.remove_prefix(13);
  } else if (rest.substr(0, 12) == "ForAnyValue:") {
    c.qualifier = SetQualifier::kForAnyValue;
    rest.remove_prefix(12);
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (rest.size() > kIfExists.size() &&
      rest.substr(rest.size() - kIfExists.size()) == kIfExists) {
    c.if_exists = true;
    rest.remove_suffix(kIfExists.size());
  }
  c.op = ConditionOperator::kUnknown;
  for (const OperatorName& o : kOperators) {
    if (o.name == rest) c.op = o.op;
  }
}

}  // namespace leastpriv::policy_internal
