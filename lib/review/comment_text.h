// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The words of review comments: fingerprints, requests, suggested
// statements, and the keys and titles of findings.

#ifndef LEASTPRIV_LIB_REVIEW_COMMENT_TEXT_H_
#define LEASTPRIV_LIB_REVIEW_COMMENT_TEXT_H_

#include <string>
#include <vector>

#include "leastpriv/evaluate.h"
#include "leastpriv/finding.h"
#include "leastpriv/report.h"

namespace leastpriv::review_internal {

// 16 hex digits (FNV-1a over the parts): equal for the same problem across
// pushes.
std::string Fingerprint(const std::vector<std::string>& parts);

// "`ACTION` on `RESOURCE` by `PRINCIPAL` with K=V, ...".
std::string RequestText(const Request& r);

// A Markdown JSON block with an Allow statement for `action` on `resource`.
std::string SuggestedStatement(const std::string& action,
                               const std::string& resource);

// What identifies a finding, or a missing operation, across the two
// checkouts.
std::string FindingKey(const Finding& f);
std::string MissingKey(const MissingOperation& m);

// The title of a finding's comment.
std::string FindingTitle(FindingCode code);

}  // namespace leastpriv::review_internal

#endif  // LEASTPRIV_LIB_REVIEW_COMMENT_TEXT_H_
