// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policy variables in the text of resource patterns and condition values.

#ifndef LEASTPRIV_LIB_ANALYSIS_VARIABLE_TEXT_H_
#define LEASTPRIV_LIB_ANALYSIS_VARIABLE_TEXT_H_

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

// Whether `text` of `policy` is read with policy variables: the policy has
// version 2012-10-17 and the text has "${".
bool UsesVariables(const Policy& policy, std::string_view text);

// The lower-case key of a value that is one policy variable and nothing
// else ("${aws:PrincipalTag/tenant}", with or without a default), or "".
std::string WholeVariable(const std::string& text);

// One "${...}" of a text: its key as written, without surrounding spaces
// ("*", "?" and "$" for the constants), and whether a default follows it
// ("${aws:PrincipalTag/team, 'none'}").
struct VariableUse {
  std::string key;
  bool has_default = false;
};

// The variables of `text`, in order; an unclosed "${" ends them.
std::vector<VariableUse> VariablesIn(const std::string& text);

// An occurrence of one variable in a value: the text before and after it.
struct Occurrence {
  std::string before, after;
};

// `text` as text, the variable `source` (lower case; with or without a
// default) and text, when the variable is its only one.
std::optional<Occurrence> SplitAtVariable(const std::string& text,
                                          const std::string& source);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_VARIABLE_TEXT_H_
