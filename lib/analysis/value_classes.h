// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The classes of typed condition values (numbers, dates, IP addresses,
// binary values): the value family an operator reads, and one witness per
// class of the values the policies compare with.

#ifndef LEASTPRIV_LIB_ANALYSIS_VALUE_CLASSES_H_
#define LEASTPRIV_LIB_ANALYSIS_VALUE_CLASSES_H_

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/eval/match.h"
#include "lib/smt/glob_partition.h"

namespace leastpriv::analysis {

// The value type an operator reads its values as.
enum class ValueFamily { kNone, kString, kNumeric, kDate, kBool, kIp, kBinary };

ValueFamily FamilyOf(ConditionOperator op);

// Witnesses of request values that do not parse as the family's type: every
// typed operator (negated ones included) is false on them.
inline constexpr char kNotANumber[] = "not-a-number";
inline constexpr char kNotADate[] = "not-a-date";
inline constexpr char kNotAnAddress[] = "not-an-address";
inline constexpr char kNotABool[] = "not-a-bool";
inline constexpr char kNotBase64[] = "not base64!";

// One witness per class of the date line cut at every threshold: the open
// intervals between thresholds, the thresholds themselves, and the values
// that do not parse. `*problem` is set when an interval that may hold dates
// has no witness of the written forms.
std::vector<std::string> DateWitnesses(const std::vector<std::string>& texts,
                                       std::string* problem);

// One witness per class of the IPv4 and IPv6 address lines cut at every
// CIDR block boundary (the first address of each interval), and one for
// values that are not addresses.
std::vector<std::string> IpWitnesses(const std::vector<std::string>& texts);

// One witness per distinct decoded BinaryEquals value, one for every other
// byte string, and one for values that are not base64.
std::vector<std::string> BinaryWitnesses(const std::vector<std::string>& texts);

// The pattern a condition value is matched as by the positive operator
// `pos` (nullopt: not a string comparison, or an ARN pattern that
// matches nothing).
std::optional<smt::TokenPattern> ValuePattern(ConditionOperator pos,
                                              const eval::GlobPattern& v);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_VALUE_CLASSES_H_
