// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The shapes of ARN prefixes and of the names AWS puts in ARNs.

#ifndef LEASTPRIV_LIB_ANALYSIS_ARN_SHAPES_H_
#define LEASTPRIV_LIB_ANALYSIS_ARN_SHAPES_H_

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

// "arn:" followed by `n` components of the ARN prefix, each with its ':'.
smt::TokenPattern ArnComponents(int n);

// The values requests carry for a variable of an ARN template, as AWS
// forms them: names of 3 to 255 characters of [a-zA-Z0-9_.-] (the length
// limit is the partition's), regions shaped like "us-east-1", 12-digit
// accounts, stream labels shaped like timestamps, and backup, export and
// import ids shaped like "01717171717171-a1b2c3d4".
void AddValidName(std::string_view var, smt::TokenPattern& shape);

// Regions AWS has published, preferred as witnesses in this order.
inline constexpr const char* kRegions[] = {
    "us-east-1",      "eu-west-1",      "us-west-2",      "us-east-2",
    "us-west-1",      "eu-central-1",   "eu-west-2",      "eu-west-3",
    "eu-north-1",     "eu-south-1",     "eu-south-2",     "eu-central-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-south-1",     "ap-south-2",     "ap-east-1",
    "ap-east-2",      "ca-central-1",   "ca-west-1",      "sa-east-1",
    "me-south-1",     "me-central-1",   "il-central-1",   "af-south-1",
    "mx-central-1",   "us-gov-west-1",  "us-gov-east-1",  "cn-north-1",
    "cn-northwest-1"};

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_ARN_SHAPES_H_
