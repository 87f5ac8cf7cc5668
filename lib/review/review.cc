// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/review.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "lib/review/changes.h"
#include "lib/review/checkout.h"

namespace leastpriv {

absl::StatusOr<ReviewResult> Review(const std::string& base_dir,
                                    const std::string& head_dir,
                                    const ReviewOptions& options) {
  using review_internal::LoadCheckout;
  auto base = LoadCheckout(base_dir, options);
  if (!base.ok()) return base.status();
  auto head = LoadCheckout(head_dir, options);
  if (!head.ok()) return head.status();
  ReviewResult result;
  if (absl::Status s =
          review_internal::AddAccessChanges(*base, *head, options, result);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          review_internal::AddCheckChanges(*base, *head, options, result);
      !s.ok()) {
    return s;
  }

  std::sort(result.comments.begin(), result.comments.end(),
            [](const ReviewComment& a, const ReviewComment& b) {
              return std::tie(a.file, a.line, a.title) <
                     std::tie(b.file, b.line, b.title);
            });
  bool blocking = false;
  for (const ReviewComment& c : result.comments) {
    blocking |= c.severity != Severity::kSuggestion;
  }
  result.verdict = result.unknown_questions > 0 ? "unknown"
                   : blocking                   ? "changes"
                                                : "clean";
  return result;
}

}  // namespace leastpriv
