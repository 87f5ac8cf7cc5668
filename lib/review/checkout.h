// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// One side of a review: a checkout resolved into its project, the scan of
// its code and its policy problems, and the check of each role its code
// runs under.

#ifndef LEASTPRIV_LIB_REVIEW_CHECKOUT_H_
#define LEASTPRIV_LIB_REVIEW_CHECKOUT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/finding.h"
#include "leastpriv/project.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"
#include "leastpriv/review.h"

namespace leastpriv::review_internal {

// Everything a checkout says: its project (configuration and policies by
// role), the operations of its code and its findings.
struct Checkout {
  std::string root;
  Project project;
  std::map<std::string, ProjectRole> roles;  // by name
  ScanResult scan;
  std::string code_prefix;  // the code directory + "/", or empty
  struct Note {
    std::string key;  // what identifies it across the two checkouts
    Severity severity = Severity::kWarning;
    std::string title;
    std::string body;
    std::string file;
    int line = 0;
  };
  std::vector<Note> findings;
};

// Loads the checkout at `root`: its configuration (options.config, which
// must exist), its roles (an error for a role that cannot be resolved) and
// the scan of its code.
absl::StatusOr<Checkout> LoadCheckout(const std::string& root,
                                      const ReviewOptions& options);

// The check of every role the code of `c` runs under, by role.
absl::StatusOr<std::map<std::string, CheckReport>> RunChecks(
    const Checkout& c, const ReviewOptions& options);

}  // namespace leastpriv::review_internal

#endif  // LEASTPRIV_LIB_REVIEW_CHECKOUT_H_
