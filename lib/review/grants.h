// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Where a grant is written: the place a review comment about new access is
// anchored at.

#ifndef LEASTPRIV_LIB_REVIEW_GRANTS_H_
#define LEASTPRIV_LIB_REVIEW_GRANTS_H_

#include <string>
#include <vector>

#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

namespace leastpriv::review_internal {

// The position that grants `action` in the statement `ref`: the Action
// entry that matches it, else the NotAction element, else the statement.
SourcePos GrantPosition(const PolicySet& set, const StatementRef& ref,
                        const std::string& action);

// The statements of `d` that grant through the role's own policies (the
// identity and resource-based ones), which a reviewer can change.
std::vector<StatementRef> Granting(const Decision& d);

}  // namespace leastpriv::review_internal

#endif  // LEASTPRIV_LIB_REVIEW_GRANTS_H_
