// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// "Did you mean": the known name closest to a misspelt one.

#ifndef LEASTPRIV_LIB_PROJECT_SUGGEST_H_
#define LEASTPRIV_LIB_PROJECT_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace leastpriv::project_internal {

// The name of `known` closest to `name` in edit distance (insertions,
// deletions, substitutions and swaps of adjacent characters, ignoring
// ASCII case), when it is close enough to be a misspelling: at most a
// third of the longer name's length, and at least 1. Empty otherwise; the
// first of equally close names.
std::string ClosestName(std::string_view name,
                        const std::vector<std::string_view>& known);

}  // namespace leastpriv::project_internal

#endif  // LEASTPRIV_LIB_PROJECT_SUGGEST_H_
