// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Errors for input that cannot be used at all, as the reader meets them
// (see UnusableInput in policy_reader.h).

#ifndef LEASTPRIV_LIB_POLICY_READ_ERRORS_H_
#define LEASTPRIV_LIB_POLICY_READ_ERRORS_H_

#include <string_view>

#include "absl/status/status.h"
#include "leastpriv/finding.h"
#include "leastpriv/policy.h"
#include "lib/policy/position_map.h"

namespace leastpriv::policy_internal {

// UnusableInput(kInvalidArgument, code, pos, message).
absl::Status Unusable(FindingCode code, const SourcePos& pos,
                      std::string_view message);

// A json::Parse error "line:col: message" of the document `map` places, as
// a kJsonSyntaxError or (for a limit) kLimitExceeded error.
absl::Status JsonError(const absl::Status& status, const PositionMap& map);

}  // namespace leastpriv::policy_internal

#endif  // LEASTPRIV_LIB_POLICY_READ_ERRORS_H_
