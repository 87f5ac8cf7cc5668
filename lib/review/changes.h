// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The two halves of a review's comparison of base and head: the policy
// side (access_changes.cc), what access each role gains or loses and a
// comment at each place that grants new access; and the code side
// (check_changes.cc), the check of each role the code runs under on both
// checkouts, where what only the head has becomes a comment.

#ifndef LEASTPRIV_LIB_REVIEW_CHANGES_H_
#define LEASTPRIV_LIB_REVIEW_CHANGES_H_

#include "absl/status/status.h"
#include "leastpriv/review.h"
#include "lib/review/checkout.h"

namespace leastpriv::review_internal {

// Adds result.new_access, result.removed_access, their undecided
// questions and their comments. Errors: those of DiffPolicies.
absl::Status AddAccessChanges(const Checkout& base, const Checkout& head,
                              const ReviewOptions& options,
                              ReviewResult& result);

// Adds result.newly_missing, result.newly_excess, the findings added and
// removed, the check's undecided questions and their comments (after
// AddAccessChanges: new access already commented is not commented again).
// Errors: those of RunChecks.
absl::Status AddCheckChanges(const Checkout& base, const Checkout& head,
                             const ReviewOptions& options,
                             ReviewResult& result);

}  // namespace leastpriv::review_internal

#endif  // LEASTPRIV_LIB_REVIEW_CHANGES_H_
