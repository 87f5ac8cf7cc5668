// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// DiffPolicies and CheckAccessNotGranted on top of the engine's difference
// queries; CheckNoPublicAccess as a syntactic rule over one policy.

#include "leastpriv/diff.h"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "leastpriv/catalog.h"
#include "lib/analysis/difference_scan.h"
#include "lib/analysis/question_count.h"

namespace leastpriv {
namespace {

bool AllowedBy(const Statement& st, const Policy& policy, const Request& r) {
  PolicySet one;
  Policy& p = one.identity.emplace_back();
  p.kind = policy.kind;
  p.name = policy.name;
  p.version = policy.version;  // decides whether variables are substituted
  p.statements.push_back(st);
  auto d = Evaluate(one, r);
  return d.ok() && d->kind == DecisionKind::kAllowed;
}

// Allow statements of `denies`' identity policies that match the request
// but for their conditions, with the conditions that fail on their own.
std::vector<UnmetConditions> FindUnmetConditions(const PolicySet& denies,
                                                 const Request& r) {
  std::vector<UnmetConditions> out;
  for (const Policy& policy : denies.identity) {
    for (const Statement& st : policy.statements) {
      if (st.effect != Effect::kAllow || st.conditions.empty()) continue;
      Statement bare = st;
      bare.conditions.clear();
      if (!AllowedBy(bare, policy, r) || AllowedBy(st, policy, r)) continue;
      UnmetConditions u;
      u.statement.policy_kind = policy.kind;
      u.statement.policy_name = policy.name;
      u.statement.sid = st.sid;
      u.statement.index = st.index;
      u.statement.pos = st.pos;
      for (const Condition& c : st.conditions) {
        Statement only = bare;
        only.conditions = {c};
        if (!AllowedBy(only, policy, r)) {
          u.conditions.push_back(absl::StrCat(c.op_text, " ", c.key));
        }
      }
      out.push_back(std::move(u));
    }
  }
  return out;
}

absl::StatusOr<AccessChange> MakeChange(const std::string& action,
                                        analysis::OneWayDifference d,
                                        const PolicySet& grants,
                                        const PolicySet& denies) {
  AccessChange c;
  c.action = action;
  c.resources = std::move(d.resources);
  c.witness = std::move(*d.witness);
  c.note = std::move(d.reason);
  auto granted = Evaluate(grants, c.witness);
  if (!granted.ok()) return granted.status();
  auto denied = Evaluate(denies, c.witness);
  if (!denied.ok()) return denied.status();
  if (granted->kind != DecisionKind::kAllowed ||
      denied->kind == DecisionKind::kAllowed) {
    return absl::InternalError(
        absl::StrCat("the witness for ", action, " on ", c.witness.resource,
                     " does not replay through Evaluate"));
  }
  c.granted_by = *std::move(granted);
  c.denied_by = *std::move(denied);
  if (c.denied_by.kind == DecisionKind::kImplicitlyDenied) {
    c.unmet_conditions = FindUnmetConditions(denies, c.witness);
  }
  return c;
}

bool HasWildcard(std::string_view s) {
  return s.find_first_of("*?") != std::string_view::npos;
}

bool Fits(const ActionInfo& action, std::string_view resource) {
  std::string_view type = ClassifyDynamoDbArn(resource);
  for (const ActionResource& r : action.resources) {
    if (r.resource_type == type) return true;
  }
  return false;
}

}  // namespace

std::string_view DiffVerdictName(DiffVerdict verdict) {
  switch (verdict) {
    case DiffVerdict::kNoNewAccess:
      return "no_new_access";
    case DiffVerdict::kNewAccess:
      return "new_access";
    case DiffVerdict::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view CheckVerdictName(CheckVerdict verdict) {
  switch (verdict) {
    case CheckVerdict::kPass:
      return "pass";
    case CheckVerdict::kFail:
      return "fail";
    case CheckVerdict::kUnknown:
      return "unknown";
  }
  return "unknown";
}

absl::StatusOr<PolicyDiff> DiffPolicies(const PolicySet& old_set,
                                        const PolicySet& new_set,
                                        const AnalysisScope& scope,
                                        const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return DiffPolicies(old_set, new_set, scope,
                        analysis::WithQuestionCount(options));
  for (const PolicySet* p : {&old_set, &new_set}) {
    if (absl::Status s = CheckEvaluable(*p); !s.ok()) return s;
  }
  auto scan = analysis::ScanDifferences(
      PolicySide::Of(old_set), PolicySide::Of(new_set), scope, options);
  if (!scan.ok()) return scan.status();
  PolicyDiff diff;
  bool new_undecided = false;
  for (analysis::ActionDifferences& d : *scan) {
    if (d.added.answer == Answer::kYes) {
      auto c = MakeChange(d.action, std::move(d.added), new_set, old_set);
      if (!c.ok()) return c.status();
      diff.new_access.push_back(*std::move(c));
    } else if (d.added.answer == Answer::kUnknown) {
      new_undecided = true;
      diff.undecided.push_back({d.action, true, d.added.reason});
    }
    if (d.removed.answer == Answer::kYes) {
      auto c = MakeChange(d.action, std::move(d.removed), old_set, new_set);
      if (!c.ok()) return c.status();
      diff.removed_access.push_back(*std::move(c));
    } else if (d.removed.answer == Answer::kUnknown) {
      diff.undecided.push_back({d.action, false, d.removed.reason});
    }
  }
  diff.verdict = !diff.new_access.empty() ? DiffVerdict::kNewAccess
                 : new_undecided          ? DiffVerdict::kUnknown
                                          : DiffVerdict::kNoNewAccess;
  return diff;
}

absl::StatusOr<AccessNotGrantedCheck> CheckAccessNotGranted(
    const PolicySet& policies, const std::vector<std::string>& actions,
    const std::vector<std::string>& resources, const AnalysisScope& scope,
    const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return CheckAccessNotGranted(policies, actions, resources, scope,
                                 analysis::WithQuestionCount(options));
  if (actions.empty()) {
    return absl::InvalidArgumentError("no actions to check");
  }
  if (absl::Status s = CheckEvaluable(policies); !s.ok()) return s;
  std::vector<const ActionInfo*> expanded;
  for (const std::string& pattern : actions) {
    std::vector<const ActionInfo*> found = ExpandActionPattern(pattern);
    if (found.empty()) {
      std::string message =
          absl::StrCat("action \"", pattern, "\" matches no DynamoDB action");
      std::string suggestion = SuggestAction(pattern);
      if (!suggestion.empty()) {
        absl::StrAppend(&message, " (did you mean \"", suggestion, "\"?)");
      }
      return absl::InvalidArgumentError(message);
    }
    for (const ActionInfo* a : found) {
      bool seen = false;
      for (const ActionInfo* b : expanded) seen |= a == b;
      if (!seen) expanded.push_back(a);
    }
  }
  for (const std::string& r : resources) {
    if (r.empty() || HasWildcard(r)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "resource \"", r,
          "\" is not a concrete ARN (wildcards are not "
          "accepted; omit the resources to check every resource)"));
    }
  }
  const PolicySide side = PolicySide::Of(policies);
  AccessNotGrantedCheck check;
  std::size_t pairs = 0;
  auto record_granted = [&](const ActionInfo& action, const std::string& res,
                            Request witness, bool conditional,
                            std::string only_if) -> absl::Status {
    auto d = Evaluate(policies, witness);
    if (!d.ok()) return d.status();
    if (d->kind != DecisionKind::kAllowed) {
      return absl::InternalError(
          absl::StrCat("the witness for ", action.qualified_name(), " on ",
                       witness.resource, " does not replay through Evaluate"));
    }
    GrantedAccess g;
    g.action = action.qualified_name();
    g.resource = res;
    g.witness = std::move(witness);
    g.statements = std::move(d->statements);
    g.conditional = conditional;
    g.only_if = std::move(only_if);
    check.granted.push_back(std::move(g));
    return absl::OkStatus();
  };
  for (const ActionInfo* action : expanded) {
    const std::string name = action->qualified_name();
    if (action->wildcard_only() || resources.empty()) {
      ++pairs;
      auto d = FindAllowedDifference(side, PolicySide::DenyAll(), name, scope,
                                     options);
      if (!d.ok()) return d.status();
      if (d->answer == Answer::kYes) {
        if (absl::Status s =
                record_granted(*action, "*", *d->witness, false, "");
            !s.ok()) {
          return s;
        }
      } else if (d->answer == Answer::kUnknown) {
        check.undecided.push_back({name, "*", d->reason});
      }
      continue;
    }
    for (const std::string& res : resources) {
      if (!Fits(*action, res)) continue;
      ++pairs;
      auto a = Allows(policies, name, res, scope, options);
      if (!a.ok()) return a.status();
      if (a->answer == Answer::kUnknown) {
        check.undecided.push_back({name, res, a->reason});
      } else if (a->answer == Answer::kYes) {
        if (!a->allowed_example) {
          return absl::InternalError(
              absl::StrCat("no witness for ", name, " on ", res));
        }
        if (absl::Status s = record_granted(*action, res, *a->allowed_example,
                                            a->conditional, a->only_if);
            !s.ok()) {
          return s;
        }
      }
    }
  }
  if (pairs == 0) {
    return absl::InvalidArgumentError(
        "none of the resources fits a resource type of the actions (e.g. "
        "dynamodb:GetItem applies to table ARNs)");
  }
  check.verdict = !check.granted.empty()     ? CheckVerdict::kFail
                  : !check.undecided.empty() ? CheckVerdict::kUnknown
                                             : CheckVerdict::kPass;
  return check;
}

namespace {

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

enum class PinKind { kNone, kAccount, kOrg, kVpc, kArn };

PinKind PinKindOf(std::string_view key) {
  const std::string k = absl::AsciiStrToLower(std::string(key));
  if (k == "aws:principalaccount" || k == "aws:sourceaccount") {
    return PinKind::kAccount;
  }
  if (k == "aws:principalorgid" || k == "aws:sourceorgid") return PinKind::kOrg;
  if (k == "aws:sourcevpc" || k == "aws:sourcevpce") return PinKind::kVpc;
  if (k == "aws:principalarn" || k == "aws:sourcearn") return PinKind::kArn;
  return PinKind::kNone;
}

bool ValuePins(PinKind kind, std::string_view v) {
  if (v.empty()) return false;
  switch (kind) {
    case PinKind::kNone:
      return false;
    case PinKind::kAccount:
      return IsAccountId(v) || v == "${aws:ResourceAccount}";
    case PinKind::kOrg:
      return v == "${aws:ResourceOrgID}" ||
             (!HasWildcard(v) && v.find("${") == std::string_view::npos);
    case PinKind::kVpc:
      return !HasWildcard(v) && v.find("${") == std::string_view::npos;
    case PinKind::kArn: {
      std::vector<std::string> parts = absl::StrSplit(std::string(v), ':');
      return parts.size() >= 6 && parts[0] == "arn" && IsAccountId(parts[4]);
    }
  }
  return false;
}

bool ConditionPins(const Condition& c) {
  PinKind kind = PinKindOf(c.key);
  if (kind == PinKind::kNone || c.if_exists ||
      c.qualifier != SetQualifier::kNone || c.values.empty()) {
    return false;
  }
  using Op = ConditionOperator;
  bool op_ok = c.op == Op::kStringEquals ||
               c.op == Op::kStringEqualsIgnoreCase || c.op == Op::kStringLike;
  if (kind == PinKind::kArn)
    op_ok |= c.op == Op::kArnEquals || c.op == Op::kArnLike;
  if (!op_ok) return false;
  for (const ConditionValue& v : c.values) {
    // StringLike treats wildcards as wildcards; StringEquals compares them
    // literally, but a literal "*" never names a real account either.
    if (!ValuePins(kind, v.text)) return false;
  }
  return true;
}

}  // namespace

PublicAccessCheck CheckNoPublicAccess(const Policy& resource_policy) {
  PublicAccessCheck check;
  for (const Statement& st : resource_policy.statements) {
    if (st.effect != Effect::kAllow || !st.principal.has_value()) continue;
    std::string principal;
    if (st.principal->negated) {
      principal = "NotPrincipal";
    } else {
      for (const PrincipalEntry& e : st.principal->entries) {
        if (e.type == PrincipalType::kAny) {
          principal = "*";
          break;
        }
        if (e.type == PrincipalType::kAws && e.value == "*") {
          principal = "AWS:*";
          break;
        }
      }
    }
    if (principal.empty()) continue;
    bool dynamodb = st.not_action;
    for (const PolicyString& a : st.actions) {
      dynamodb |= !ExpandActionPattern(a.text).empty();
    }
    if (!dynamodb) continue;
    bool pinned = false;
    std::vector<std::string> keys;
    for (const Condition& c : st.conditions) {
      if (ConditionPins(c)) {
        pinned = true;
        break;
      }
      keys.push_back(absl::StrCat(c.op_text, " ", c.key));
    }
    if (pinned) continue;
    PublicGrant g;
    g.statement.policy_kind = resource_policy.kind;
    g.statement.policy_name = resource_policy.name;
    g.statement.sid = st.sid;
    g.statement.index = st.index;
    g.statement.pos = st.pos;
    g.principal = principal;
    g.why = keys.empty() ? "no condition"
                         : absl::StrCat(
                               "no condition pins the caller's "
                               "account, organization or VPC (",
                               absl::StrJoin(keys, ", "), ")");
    check.grants.push_back(std::move(g));
  }
  check.verdict =
      check.grants.empty() ? CheckVerdict::kPass : CheckVerdict::kFail;
  return check;
}

}  // namespace leastpriv
