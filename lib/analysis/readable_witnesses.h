// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Readable witnesses: class members that read like the values people
// write, in place of a partition's shortest strings.

#ifndef LEASTPRIV_LIB_ANALYSIS_READABLE_WITNESSES_H_
#define LEASTPRIV_LIB_ANALYSIS_READABLE_WITNESSES_H_

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

// Replaces the witness of each class of `part` that one of `candidates`
// belongs to by the first such candidate.
void PreferWitnesses(const smt::Partition& part,
                     const std::vector<std::string>& candidates,
                     std::vector<std::string>& witnesses);

// Readable names a resource pattern's text suggests: each '/'- or
// ':'-separated piece with letters, its wildcards filled by a word or by
// nothing, a leading one by nothing ("*shop*" gives "shop-audit", "shop").
void AddPatternNames(std::string_view text, std::vector<std::string>& out);

// A readable witness of class `c` of a partition built without the ARN
// components apart (Partition::Build, for patterns whose wildcards span
// ':'): its shortest string with the region, the account and each name
// replaced, one at a time, by the first candidate that keeps it in the
// class. Strings that are no DynamoDB ARN are kept.
std::string ReadableArn(const smt::Partition& part, std::size_t c,
                        const smt::WitnessHints& hints,
                        const std::vector<std::string>& names);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_READABLE_WITNESSES_H_
