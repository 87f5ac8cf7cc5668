// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/review.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/catalog.h"
#include "leastpriv/diff.h"
#include "leastpriv/policy.h"
#include "leastpriv/project.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"
#include "leastpriv/validate.h"
#include "lib/review/checkout.h"
#include "lib/review/comment_text.h"
#include "lib/review/grants.h"

namespace leastpriv {

using review_internal::Checkout;
using review_internal::FindingKey;
using review_internal::FindingTitle;
using review_internal::Fingerprint;
using review_internal::GrantPosition;
using review_internal::Granting;
using review_internal::LoadCheckout;
using review_internal::MissingKey;
using review_internal::RequestText;
using review_internal::RunChecks;
using review_internal::SuggestedStatement;

absl::StatusOr<ReviewResult> Review(const std::string& base_dir,
                                    const std::string& head_dir,
                                    const ReviewOptions& options) {
  auto base = LoadCheckout(base_dir, options);
  if (!base.ok()) return base.status();
  auto head = LoadCheckout(head_dir, options);
  if (!head.ok()) return head.status();
  ReviewResult result;

  // New and removed access, per role and action.
  std::set<std::string> used_actions;
  for (const Operation& op : head->scan.operations) {
    used_actions.insert(op.action);
  }
  const PolicySet empty;
  std::set<std::string> roles;
  for (const auto& [role, set] : head->roles) roles.insert(role);
  for (const auto& [role, set] : base->roles) roles.insert(role);
  for (const std::string& role : roles) {
    auto h = head->roles.find(role);
    auto b = base->roles.find(role);
    const PolicySet& new_set =
        h == head->roles.end() ? empty : h->second.policies;
    const PolicySet& old_set =
        b == base->roles.end() ? empty : b->second.policies;
    // The role as the head defines it (or as the base did, for a role the
    // head removes) asks every question.
    const ProjectRole& asking =
        h != head->roles.end() ? h->second : b->second;
    AnalysisScope scope;
    scope.account = asking.account;
    scope.region = asking.region;
    scope.principal = asking.arn;
    auto diff = DiffPolicies(old_set, new_set, scope, options.analysis);
    if (!diff.ok()) return diff.status();
    for (const AccessChange& c : diff->new_access) {
      result.new_access.push_back({role, c.action, Answer::kYes, c.witness,
                                   Granting(c.granted_by), c.note});
    }
    for (const AccessChange& c : diff->removed_access) {
      result.removed_access.push_back({role, c.action, Answer::kYes, c.witness,
                                       Granting(c.granted_by), c.note});
    }
    for (const UndecidedAction& u : diff->undecided) {
      RoleAccessChange change{role, u.action, Answer::kUnknown, std::nullopt,
                              {}, u.reason};
      if (u.new_direction) {
        ++result.unknown_questions;
        result.new_access.push_back(std::move(change));
      } else {
        result.removed_access.push_back(std::move(change));
      }
    }
  }
  // One comment per granting place: a widened statement that grants many
  // actions is one thing to fix.
  struct Place {
    std::string role;
    SourcePos pos;
    std::string statement;  // sid or "#index": stable across line moves
    std::vector<const RoleAccessChange*> changes;
  };
  std::map<std::tuple<std::string, std::string, int>, Place> places;
  for (const RoleAccessChange& change : result.new_access) {
    if (change.answer == Answer::kUnknown) {
      ReviewComment c;
      c.kind = "new-access";
      c.severity = Severity::kWarning;
      c.title = absl::StrCat("Could not decide whether ", change.action,
                             " access changed for role ", change.role);
      c.body = absl::StrCat("The solver stopped: ", change.reason,
                            ". Treat this change as granting new access "
                            "until reviewed.");
      c.file = options.config;
      c.line = 1;
      c.fingerprint = Fingerprint({"unknown", change.role, change.action});
      result.comments.push_back(std::move(c));
      continue;
    }
    const PolicySet& set = head->roles.at(change.role).policies;
    Place place;
    place.role = change.role;
    if (!change.statements.empty()) {
      const StatementRef& ref = change.statements.front();
      place.pos = GrantPosition(set, ref, change.action);
      place.statement = ref.sid.has_value() ? *ref.sid
                                            : absl::StrCat("#", ref.index);
    }
    auto [it, inserted] = places.emplace(
        std::make_tuple(change.role, place.pos.file, place.pos.line),
        std::move(place));
    it->second.changes.push_back(&change);
  }
  const std::vector<std::string> all_used(used_actions.begin(),
                                          used_actions.end());
  for (const auto& [key, place] : places) {
    std::vector<std::string> unused_actions, used;
    for (const RoleAccessChange* change : place.changes) {
      (used_actions.count(change->action) ? used : unused_actions)
          .push_back(change->action);
    }
    ReviewComment c;
    c.kind = "new-access";
    // New access is what the review gate is for: a warning even when the
    // code uses the action (a loosened condition, a wider resource).
    c.severity = Severity::kWarning;
    c.file = place.pos.file;
    c.line = place.pos.line;
    if (place.changes.size() == 1) {
      c.title = absl::StrCat("New access: ", place.changes[0]->action,
                             " for role ", place.role,
                             unused_actions.empty() ? ""
                                                    : " (not used by the code)");
    } else {
      c.title = absl::StrCat("New access: ", place.changes.size(),
                             " DynamoDB actions for role ", place.role, " (",
                             unused_actions.size(), " not used by the code)");
    }
    c.body = "The head policies allow requests the base policies deny";
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < place.changes.size(); ++i) {
      const RoleAccessChange& change = *place.changes[i];
      if (i == kShown) {
        absl::StrAppend(&c.body, "\n- and ", place.changes.size() - kShown,
                        " more actions");
        break;
      }
      absl::StrAppend(&c.body, i == 0 ? ":\n" : "\n", "- ",
                      RequestText(*change.witness));
    }
    absl::StrAppend(
        &c.body, "\n\n",
        unused_actions.empty()
            ? "The code uses these actions, so the grant may be intended; "
              "check that its resources are no wider than needed."
            : absl::StrCat("The code never performs ",
                           unused_actions.size() <= kShown
                               ? absl::StrJoin(unused_actions, ", ")
                               : absl::StrCat(
                                     absl::StrJoin(unused_actions.begin(),
                                                   unused_actions.begin() +
                                                       kShown,
                                                   ", "),
                                     " and ", unused_actions.size() - kShown,
                                     " more"),
                           ": the grant widens what a compromised or buggy "
                           "caller can do, for nothing in return."),
        "\n\nFix: grant only what the code uses",
        all_used.empty()
            ? ""
            : absl::StrCat(" (", absl::StrJoin(all_used, ", "), ")"),
        ", on the tables it uses.");
    c.fingerprint =
        Fingerprint({"new-access", place.role, place.pos.file, place.statement});
    result.comments.push_back(std::move(c));
  }

  // The code side: the check of each role the code runs under, on both
  // checkouts; what only the head has becomes a comment.
  std::map<std::string, CheckReport> head_checks, base_checks;
  for (Checkout* side : {&*head, &*base}) {
    auto checks = RunChecks(*side, options);
    if (!checks.ok()) return checks.status();
    (side == &*head ? head_checks : base_checks) = *std::move(checks);
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
      for (const std::string& evidence : m.evidence) {
        ReviewComment c;
        c.kind = "newly-missing";
        c.severity = Severity::kError;
        std::size_t colon = evidence.rfind(':');
        c.file = evidence.substr(0, colon);
        c.line = colon == std::string::npos
                     ? 0
                     : std::atoi(evidence.c_str() + colon + 1);
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
      if (!commented.insert(absl::StrCat("excess|", role, "|", e.action, "|",
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
      c.title = absl::StrCat(e.action, " is no longer used (", std::string(RiskName(e.risk)),
                             ")");
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
          IsCodeFinding(f.code) ? head->code_prefix + f.pos.file : f.pos.file;
      c.line = f.pos.line;
      c.title = FindingTitle(f.code);
      c.body = absl::StrCat(f.message, ".");
      c.fingerprint = Fingerprint({"finding", key});
      result.comments.push_back(std::move(c));
    }
  }
  for (const auto& n : head->findings) {
    head_findings.insert(n.key);
    if (!commented.insert(n.key).second) continue;
    bool in_base = false;
    for (const auto& b : base->findings) in_base |= b.key == n.key;
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
  for (const auto& b : base->findings) base_findings.insert(b.key);
  for (const std::string& k : base_findings) {
    result.findings_removed += head_findings.count(k) == 0;
  }
  for (const auto& [role, report] : head_checks) {
    result.unknown_questions += static_cast<int>(report.unknown.size());
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
