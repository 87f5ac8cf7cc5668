// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// How conditions read to a person, in messages and witnesses.

#ifndef LEASTPRIV_LIB_ANALYSIS_CONDITION_TEXT_H_
#define LEASTPRIV_LIB_ANALYSIS_CONDITION_TEXT_H_

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

// `d` in the shortest form that reads back as `d`.
std::string FormatNumber(double d);

// The condition as a person reads it.
std::string Describe(const Condition& c);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_CONDITION_TEXT_H_
