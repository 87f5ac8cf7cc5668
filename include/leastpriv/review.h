// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The pull-request review backend: compares two checkouts of a repository
// (the base and the head commit of a pull request) and says, as review
// comments anchored at the head line that causes each one:
//
//   - new DynamoDB access the head policies grant that the base policies did
//     not (exact, per action, with a witness request that the head allows
//     and the base denies), anchored at the Action entry that grants it;
//   - permissions that became excess (granted, no longer used);
//   - operations the head code performs that the head policies deny and the
//     base did not already miss ("newly missing"), anchored at the call;
//   - findings that appear in the head: hard-coded AWS keys and DEBUG = True
//     in Django settings, table policies open to everyone, policy
//     validation errors and warnings.
//
// What a checkout holds is described by a configuration file at its root
// (by default "leastpriv.json"; see ProjectConfig in leastpriv/project.h),
// and resolved with LoadProject. Policies come from plain policy files,
// SCP and RCP levels, CloudFormation templates (JSON or YAML) and Terraform
// plans in JSON form; each role found is one policy set, compared with the
// role of the same name in the base. The account of each role's tables is
// the file's "account", else the one account the DynamoDB ARNs of the
// role's policies agree on; when neither says it, the review fails (the
// account decides the role's ARN, the principal of every question).
//
// The code side reuses the check of report.h: for each role the code runs
// under, RunCheck on the base and on the head; what is missing, excess or
// found only in the head becomes a comment.
//
// Every comment carries a fingerprint that stays the same while the
// underlying problem stays the same (it does not include line numbers), so a
// bot can update its earlier comment instead of adding a duplicate.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_REVIEW_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_REVIEW_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/finding.h"
#include "leastpriv/project.h"
#include "leastpriv/report.h"

namespace leastpriv {

struct ReviewOptions {
  // The configuration file, relative to each checkout.
  std::string config = "leastpriv.json";
  AnalysisOptions analysis;
};

// One review comment, anchored at a head file (relative to the head
// checkout, '/'-separated) and line.
struct ReviewComment {
  std::string kind;  // "new-access", "newly-missing", "finding"
  // Shown as SarifLevel: "error", "warning", "note".
  Severity severity = Severity::kWarning;
  std::string file;
  int line = 0;
  std::string title;
  std::string body;  // markdown: what, why it matters, witness, fix
  // 16 hex digits; equal for the same problem across pushes.
  std::string fingerprint;
};

// A change of access of one role for one action (see DiffPolicies in
// diff.h): what one side allows and the other does not.
struct RoleAccessChange {
  std::string role;
  std::string action;
  Answer answer = Answer::kUnknown;      // kYes: changed; kUnknown: undecided
  std::optional<Request> witness;        // allowed by one side, denied by other
  std::vector<StatementRef> statements;  // the granting statements
  std::string reason;  // for kUnknown; a note on the summary otherwise
};

// A check result of one role that the head has and the base has not.
struct RoleMissing {
  std::string role;
  MissingOperation missing;  // evidence paths relative to the checkout
};
struct RoleExcess {
  std::string role;
  ExcessPermission excess;
};

struct ReviewResult {
  // "clean", "changes" (comments at warning or above), "unknown".
  std::string verdict;
  std::vector<ReviewComment> comments;  // sorted by file, line, title
  std::vector<RoleAccessChange> new_access;
  std::vector<RoleAccessChange> removed_access;
  // Operations of the head code that the head policies deny, which the
  // base did not already miss.
  std::vector<RoleMissing> newly_missing;
  // Permissions the head grants beyond what its code uses, which the base
  // did not (for instance because the head code stopped using them).
  std::vector<RoleExcess> newly_excess;
  int findings_added = 0;
  int findings_removed = 0;
  int unknown_questions = 0;  // solver could not decide
};

// Reviews the change from `base_dir` to `head_dir`. Errors: NotFound /
// InvalidArgument (with "file:line:col: message") when a configuration,
// policy, template or plan of either checkout cannot be used, or the
// account or region of a role is not known ("CHECKOUT: role \"app\": the
// account of the tables is not known: ...").
absl::StatusOr<ReviewResult> Review(const std::string& base_dir,
                                    const std::string& head_dir,
                                    const ReviewOptions& options = {});

// Renderers. JSON: {"summary": {...}, "comments": [...], "new_access":
// [...], "newly_missing": [...]}; SARIF 2.1.0 with one result per comment;
// markdown for one summary comment on the pull request.
std::string ReviewJson(const ReviewResult& result);
std::string ReviewSarif(const ReviewResult& result);
std::string ReviewMarkdown(const ReviewResult& result);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_REVIEW_H_
