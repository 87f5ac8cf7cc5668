// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/review/changes.h"
#include "lib/review/comment_text.h"

namespace leastpriv::review_internal {

absl::Status AddCheckChanges(const Checkout& base, const Checkout& head,
                             const ReviewOptions& options,
                             ReviewResult& result) {
  // The code side: the check of each role the code runs under, on both
  // checkouts; what only the head has becomes a comment.
  std::map<std::string, CheckReport> head_checks, base_checks;
  for (const Checkout* side : {&head, &base}) {
    auto checks = RunChecks(*side, options);
    if (!checks.ok()) return checks.status();
    (side == &head ? head_checks : base_checks) = *std::move(checks);
  }
  std::set<std::pair<std::string, std::string>> new_access_actions;
  for (const RoleAccessChange& change : result.new_access) {
    new_access_actions.insert({change.role, change.action});
  }
  std::set<std::string> base_findings, head_findings;
  for (const auto& [role, report] : base_checks) {
    for (const Finding& f : report.findings) {
      base_findings.insert(FindingKey(f));
    }
  }
  std::set<std::string> commented;
  for (const auto& [role, report] : head_checks) {
    auto base_it = base_checks.find(role);
    std::set<std::string> base_missing, base_excess;
    if (base_it != base_checks.end()) {
      for (const MissingOperation& m : base_it->second.missing) {
        base_missing.insert(MissingKey(m));
      }
      for (const ExcessPermission& e : base_it->second.excess) {
        base_excess.insert(absl::StrCat(e.action, "|", e.resource));
      }
    }
    for (const MissingOperation& m : report.missing) {
      if (base_missing.count(MissingKey(m))) continue;
      result.newly_missing.push_back({role, m});
      for (const SourcePos& evidence : m.evidence) {
        ReviewComment c;
        c.kind = "newly-missing";
        c.severity = Severity::kError;
        c.file = evidence.file;
        c.line = evidence.line;
        c.title = absl::StrCat(
            m.action, " on ", m.table,
            m.index.has_value() ? absl::StrCat(" (index ", *m.index, ")") : "",
            " will be denied");
        c.body = absl::StrCat(
            "This call needs `", m.action, "` on `", m.resource,
            "`, which role ", role, " is not granted: ", m.cause,
            ". It will fail with AccessDeniedException.\n\nFix: grant it, "
            "narrowly:\n\n",
            SuggestedStatement(m.action, m.resource));
        c.fingerprint = Fingerprint({"newly-missing", role, m.action, m.table,
                                     m.index.value_or(""), c.file});
        result.comments.push_back(std::move(c));
      }
    }
    for (const ExcessPermission& e : report.excess) {
      if (base_excess.count(absl::StrCat(e.action, "|", e.resource))) continue;
      result.newly_excess.push_back({role, e});
      // New grants already have a new-access comment at the same place.
      if (new_access_actions.count({role, e.action})) continue;
      if (!commented
               .insert(absl::StrCat("excess|", role, "|", e.action, "|",
                                    e.statement.file))
               .second) {
        continue;
      }
      ReviewComment c;
      c.kind = "newly-excess";
      c.severity =
          e.risk == Risk::kRead ? Severity::kSuggestion : Severity::kWarning;
      c.file = e.statement.file;
      c.line = e.statement.line;
      c.title = absl::StrCat(e.action, " is no longer used (",
                             std::string(RiskName(e.risk)), ")");
      c.body = absl::StrCat(
          "Role ", role, " is granted `", e.action, "` on `", e.resource,
          "` (for example on `", e.example_resource,
          "`), but the head code no longer performs it.\n\nFix: remove `",
          e.action, "` from this statement.");
      c.fingerprint =
          Fingerprint({"newly-excess", role, e.action, e.resource, c.file});
      result.comments.push_back(std::move(c));
    }
    for (const Finding& f : report.findings) {
      const std::string key = FindingKey(f);
      head_findings.insert(key);
      if (base_findings.count(key) || !commented.insert(key).second) continue;
      ++result.findings_added;
      ReviewComment c;
      c.kind = "finding";
      c.severity = f.severity;
      c.file =
          IsCodeFinding(f.code) ? head.code_prefix + f.pos.file : f.pos.file;
      c.line = f.pos.line;
      c.title = FindingTitle(f.code);
      c.body = absl::StrCat(f.message, ".");
      c.fingerprint = Fingerprint({"finding", key});
      result.comments.push_back(std::move(c));
    }
  }
  for (const auto& n : head.findings) {
    head_findings.insert(n.key);
    if (!commented.insert(n.key).second) continue;
    bool in_base = false;
    for (const auto& b : base.findings) in_base |= b.key == n.key;
    if (in_base) continue;
    ++result.findings_added;
    ReviewComment c;
    c.kind = "finding";
    c.severity = n.severity;
    c.file = n.file;
    c.line = n.line;
    c.title = n.title;
    c.body = n.body;
    c.fingerprint = Fingerprint({"finding", n.key});
    result.comments.push_back(std::move(c));
  }
  for (const auto& b : base.findings) base_findings.insert(b.key);
  for (const std::string& k : base_findings) {
    result.findings_removed += head_findings.count(k) == 0;
  }
  for (const auto& [role, report] : head_checks) {
    result.unknown_questions += static_cast<int>(report.unknown.size());
  }
  return absl::OkStatus();
}

}  // namespace leastpriv::review_internal
