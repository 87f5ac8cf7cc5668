// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The per-action, per-resource-class form of FindAllowedDifference that
// policy comparison (leastpriv/diff.h) needs: for two policy sides, in both
// directions, which resource classes one side allows and the other does
// not, summarized as patterns like Reachable's, with a replayed witness.

#ifndef LEASTPRIV_LIB_ANALYSIS_DIFFERENCE_SCAN_H_
#define LEASTPRIV_LIB_ANALYSIS_DIFFERENCE_SCAN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"

namespace leastpriv::analysis {

// "Some request `first` allows and `second` does not", for one action.
struct OneWayDifference {
  Answer answer = Answer::kUnknown;
  std::optional<Request> witness;  // for kYes, replayed through Evaluate
  // For kUnknown; for kYes, non-empty when some resource classes were left
  // undecided (the summary may then be incomplete).
  std::string reason;
  std::vector<ResourceSummary> resources;  // for kYes
};

struct ActionDifferences {
  std::string action;        // "dynamodb:GetItem"
  OneWayDifference added;    // `after` allows, `before` does not
  OneWayDifference removed;  // `before` allows, `after` does not
};

// For every action of the catalog (or of scope.actions), both one-way
// differences between `before` and `after`, over one shared abstraction.
// InvalidArgument for an unknown action in scope.actions.
absl::StatusOr<std::vector<ActionDifferences>> ScanDifferences(
    const PolicySide& before, const PolicySide& after,
    const AnalysisScope& scope, const AnalysisOptions& options);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_DIFFERENCE_SCAN_H_
