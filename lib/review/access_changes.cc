// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/diff.h"
#include "lib/review/changes.h"
#include "lib/review/comment_text.h"
#include "lib/review/grants.h"

namespace leastpriv::review_internal {

absl::Status AddAccessChanges(const Checkout& base, const Checkout& head,
                              const ReviewOptions& options,
                              ReviewResult& result) {
  // New and removed access, per role and action.
  std::set<std::string> used_actions;
  for (const Operation& op : head.scan.operations) {
    used_actions.insert(op.action);
  }
  const PolicySet empty;
  std::set<std::string> roles;
  for (const auto& [role, set] : head.roles) roles.insert(role);
  for (const auto& [role, set] : base.roles) roles.insert(role);
  for (const std::string& role : roles) {
    auto h = head.roles.find(role);
    auto b = base.roles.find(role);
    const PolicySet& new_set =
        h == head.roles.end() ? empty : h->second.policies;
    const PolicySet& old_set =
        b == base.roles.end() ? empty : b->second.policies;
    // The role as the head defines it (or as the base did, for a role the
    // head removes) asks every question.
    const ProjectRole& asking = h != head.roles.end() ? h->second : b->second;
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
      RoleAccessChange change{role,         u.action, Answer::kUnknown,
                              std::nullopt, {},       u.reason};
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
    const PolicySet& set = head.roles.at(change.role).policies;
    Place place;
    place.role = change.role;
    if (!change.statements.empty()) {
      const StatementRef& ref = change.statements.front();
      place.pos = GrantPosition(set, ref, change.action);
      place.statement =
          ref.sid.has_value() ? *ref.sid : absl::StrCat("#", ref.index);
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
      c.title = absl::StrCat(
          "New access: ", place.changes[0]->action, " for role ", place.role,
          unused_actions.empty() ? "" : " (not used by the code)");
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
            : absl::StrCat(
                  "The code never performs ",
                  unused_actions.size() <= kShown
                      ? absl::StrJoin(unused_actions, ", ")
                      : absl::StrCat(absl::StrJoin(
                                         unused_actions.begin(),
                                         unused_actions.begin() + kShown, ", "),
                                     " and ", unused_actions.size() - kShown,
                                     " more"),
                  ": the grant widens what a compromised or buggy "
                  "caller can do, for nothing in return."),
        "\n\nFix: grant only what the code uses",
        all_used.empty()
            ? ""
            : absl::StrCat(" (", absl::StrJoin(all_used, ", "), ")"),
        ", on the tables it uses.");
    c.fingerprint = Fingerprint(
        {"new-access", place.role, place.pos.file, place.statement});
    result.comments.push_back(std::move(c));
  }
  return absl::OkStatus();
}

}  // namespace leastpriv::review_internal
