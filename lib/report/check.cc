// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RunCheck: used operations against the engine's answers. Every answer
// comes from the public engine API (Allows, Reachable,
// FindAllowedDifference) and every statement it names from Evaluate on a
// concrete request.

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/report.h"
#include "lib/json/json.h"
#include "lib/report/policy_findings.h"
#include "lib/report/policy_json.h"

namespace leastpriv {
namespace {

using Clock = std::chrono::steady_clock;

// Accumulates wall time into a counter while alive.
class Timer {
 public:
  explicit Timer(double* total) : total_(total), start_(Clock::now()) {}
  ~Timer() {
    *total_ += std::chrono::duration<double>(Clock::now() - start_).count();
  }

 private:
  double* total_;
  Clock::time_point start_;
};

std::string TableArn(const CheckInput& in, const std::string& table) {
  return absl::StrCat("arn:aws:dynamodb:", in.region, ":", in.account,
                      ":table/", table);
}

using UsedKey = std::tuple<std::string, std::string, std::string>;  // action,
                                                                    // table,
                                                                    // index

std::string Describe(const StatementRef& s) {
  std::string where = FormatPos(s.pos);
  if (s.sid) return absl::StrCat("statement \"", *s.sid, "\" at ", where);
  return absl::StrCat("statement ", s.index, " at ", where);
}

StatementLocation Locate(const StatementRef& s) {
  return StatementLocation{s.pos.file, s.pos.line, s.pos.column,
                           s.sid.value_or(""),
                           std::string(PolicyKindName(s.policy_kind))};
}

// The policy a StatementRef points into, or nullptr.
const Statement* FindStatement(const PolicySet& set, const StatementRef& ref) {
  auto in = [&](const Policy& p) -> const Statement* {
    if (p.kind != ref.policy_kind || p.name != ref.policy_name) return nullptr;
    if (ref.index < 0 || ref.index >= static_cast<int>(p.statements.size())) {
      return nullptr;
    }
    return &p.statements[ref.index];
  };
  for (const Policy& p : set.identity) {
    if (const Statement* s = in(p)) return s;
  }
  if (set.boundary) {
    if (const Statement* s = in(*set.boundary)) return s;
  }
  if (set.session) {
    if (const Statement* s = in(*set.session)) return s;
  }
  for (const auto& level : set.scp_levels) {
    for (const Policy& p : level) {
      if (const Statement* s = in(p)) return s;
    }
  }
  return nullptr;
}

// The identity-side Allow statement that granted `d`, preferring identity
// policies.
std::optional<StatementRef> Grantor(const Decision& d) {
  if (d.kind != DecisionKind::kAllowed || d.statements.empty()) return {};
  for (const StatementRef& s : d.statements) {
    if (s.policy_kind == PolicyKind::kIdentity) return s;
  }
  return d.statements.front();
}

// True when the statement names (or, with NotAction, leaves out) one of
// `actions`.
bool MentionsAny(const Statement& st, const std::set<std::string>& actions) {
  std::set<std::string> named;
  for (const PolicyString& a : st.actions) {
    for (const ActionInfo* info : ExpandActionPattern(a.text)) {
      named.insert(info->qualified_name());
    }
  }
  for (const std::string& a : actions) {
    if (named.count(a) != static_cast<size_t>(st.not_action ? 0 : 1)) continue;
    return true;
  }
  return false;
}

// "shop-orders" -> "ShopOrders".
std::string SidPart(const std::string& s) {
  std::string out;
  bool upper = true;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
    upper = false;
  }
  return out;
}

class Checker {
 public:
  Checker(const CheckInput& in, CheckReport* report)
      : in_(in), report_(*report) {
    engine_set_ = *in.policies;
    // Table policies take part: the engine models them (same- and
    // cross-account rules as Evaluate).
    scope_.account = in.account;
    scope_.region = in.region;
    scope_.principal = in.principal;
  }

  absl::Status Run() {
    if (absl::Status s = CollectUsed(); !s.ok()) return s;
    if (absl::Status s = DecideUsed(); !s.ok()) return s;
    if (absl::Status s = FindExcess(); !s.ok()) return s;
    if (absl::Status s = CheckIsolation(); !s.ok()) return s;
    AddFindings();
    if (absl::Status s = Suggest(); !s.ok()) return s;
    return Verify();
  }

 private:
  Request ConcreteRequest(const std::string& action,
                          const std::string& resource) const {
    Request r;
    r.principal = in_.principal;
    r.action = action;
    r.resource = resource;
    return r;
  }

  // The table name and index of a recorded operation's resource, when it
  // is a table or index ARN of the check's account and region ("*" for
  // wildcard-only actions).
  bool LoggedTable(const ActionInfo& info, const std::string& resource,
                   std::string* table, std::string* index) const {
    if (info.wildcard_only()) {
      *table = "*";
      return true;
    }
    const std::string prefix = TableArn(in_, "");
    if (!absl::StartsWith(resource, prefix)) return false;
    const std::string rest = resource.substr(prefix.size());
    const std::vector<std::string> parts = absl::StrSplit(rest, '/');
    if (parts.size() == 1 && !parts[0].empty()) {
      *table = parts[0];
      return true;
    }
    if (parts.size() == 3 && parts[1] == "index" && !parts[0].empty() &&
        !parts[2].empty()) {
      *table = parts[0];
      *index = parts[2];
      return true;
    }
    return false;
  }

  // The table an operation's name template gives (Operation::
  // table_template): each {env:X} / {settings:Y} part from its binding,
  // else from the default in the code. False when a part has neither or the
  // result is not a whole name (then the usual rules apply).
  bool FillTemplate(const Operation& op, std::string* table,
                    std::string* binding) const {
    std::string out;
    std::vector<std::string> notes;
    bool any_binding = false;
    const std::string& t = op.table_template;
    for (size_t i = 0; i < t.size(); ++i) {
      if ((t[i] == '{' || t[i] == '}') && i + 1 < t.size() &&
          t[i + 1] == t[i]) {
        out.push_back(t[i]);
        ++i;
        continue;
      }
      if (t[i] == '*') return false;
      if (t[i] != '{') {
        out.push_back(t[i]);
        continue;
      }
      size_t end = t.find('}', i);
      if (end == std::string::npos) return false;
      std::string part = t.substr(i + 1, end - i - 1);
      i = end;
      auto b = in_.bindings.find(part);
      if (b != in_.bindings.end()) {
        any_binding = true;
        out += b->second;
        notes.push_back(absl::StrCat(part, " = ", b->second, " (",
                                     in_.binding_sources.count(part)
                                         ? in_.binding_sources.at(part)
                                         : "binding",
                                     ")"));
        continue;
      }
      auto d = op.table_defaults.find(part);
      if (d == op.table_defaults.end()) return false;
      out += d->second;
      notes.push_back(
          absl::StrCat(part, " = ", d->second, " (default in code)"));
    }
    if (!any_binding && out == op.table) return false;
    *table = out;
    *binding =
        absl::StrCat(op.table_template, ": ", absl::StrJoin(notes, ", "));
    return true;
  }

  absl::Status CollectUsed() {
    std::map<UsedKey, UsedOperation> used;
    for (const Operation& op : in_.scan->operations) {
      std::string table = op.table;
      std::string binding;
      auto bound = in_.bindings.find(op.table);
      auto bound_default = in_.bindings.find(op.reason);
      const bool symbolic = absl::StartsWith(op.table, "env:") ||
                            absl::StartsWith(op.table, "settings:") ||
                            op.table_is_pattern;
      std::string from_template;
      if (bound != in_.bindings.end()) {
        table = bound->second;
        binding = absl::StrCat(op.table, " = ", table, " (",
                               in_.binding_sources.count(op.table)
                                   ? in_.binding_sources.at(op.table)
                                   : "binding",
                               ")");
      } else if (!op.table_template.empty() &&
                 FillTemplate(op, &from_template, &binding)) {
        table = from_template;
      } else if (symbolic) {
        if (!op.table_template.empty()) {
          std::vector<std::string> unbound;
          for (size_t p = op.table_template.find('{'); p != std::string::npos;
               p = op.table_template.find('{', p + 1)) {
            size_t end = op.table_template.find('}', p);
            if (end == std::string::npos) break;
            std::string part = op.table_template.substr(p + 1, end - p - 1);
            if (!in_.bindings.count(part) && !op.table_defaults.count(part)) {
              unbound.push_back(absl::StrCat("--bind ", part, "=VALUE"));
            }
          }
          if (!unbound.empty()) {
            return absl::InvalidArgumentError(absl::StrCat(
                in_.code_prefix, op.file, ":", op.line, ": the table of ",
                op.action, " is built as ", op.table_template,
                ", which has unbound parts (add ", absl::StrJoin(unbound, ", "),
                " or \"bindings\" entries in leastpriv.json)"));
          }
        }
        return absl::InvalidArgumentError(absl::StrCat(
            in_.code_prefix, op.file, ":", op.line, ": the table of ",
            op.action, " is ", op.table, ", which has no binding (add --bind ",
            op.table, "=TABLE or a \"bindings\" entry in leastpriv.json)"));
      } else if (op.table == "<unresolved>") {
        // Never dropped: the action counts as used on every resource the
        // policies grant it on, so it is neither excess nor left out of
        // the suggested policy.
        const ActionInfo* unresolved_info = FindAction(op.action);
        if (unresolved_info != nullptr && !unresolved_info->wildcard_only()) {
          report_.findings.push_back(
              {FindingCode::kUnresolvedTable,
               Severity::kError,
               absl::StrCat("cannot tell which table ", op.action, " uses",
                            op.reason.empty() ? "" : " (" + op.reason + ")",
                            "; it counts as used on every table the policies "
                            "grant it on"),
               {op.file, op.line, 0}});
          unknown_table_actions_[unresolved_info->qualified_name()].push_back(
              absl::StrCat(op.file, ":", op.line));
          continue;
        }
      } else if (bound_default != in_.bindings.end()) {
        table = bound_default->second;
        binding = absl::StrCat(op.reason, " = ", table, " (",
                               in_.binding_sources.count(op.reason)
                                   ? in_.binding_sources.at(op.reason)
                                   : "binding",
                               ")");
      } else if (absl::StartsWith(op.reason, "env:") ||
                 absl::StartsWith(op.reason, "settings:")) {
        binding = absl::StrCat(op.reason, " = ", table, " (default in code)");
      }
      const ActionInfo* info = FindAction(op.action);
      if (info == nullptr) continue;
      if (op.uncertain) {
        report_.findings.push_back(
            {FindingCode::kUncertainOperation,
             Severity::kSuggestion,
             absl::StrCat(op.action, " on ", table, " is a conservative guess",
                          op.reason.empty() ? "" : " (" + op.reason + ")"),
             {op.file, op.line, 0}});
      }
      const std::string action = info->qualified_name();
      if (info->wildcard_only()) table = "*";
      UsedKey key{action, table, op.index.value_or("")};
      UsedOperation& u = used[key];
      u.action = action;
      u.table = table;
      u.index = info->wildcard_only() ? std::nullopt : op.index;
      if (table == "*") {
        u.resource = "*";
      } else {
        u.resource = TableArn(in_, table);
        if (u.index) absl::StrAppend(&u.resource, "/index/", *u.index);
        used_tables_.insert(table);
      }
      if (u.binding.empty()) u.binding = binding;
      u.evidence.push_back(SourcePos{op.file, op.line, 0});
    }
    for (auto& [key, u] : used) u.in_code = true;
    for (const RecordedOperation& op : in_.logged) {
      const ActionInfo* info = FindAction(op.action);
      if (info == nullptr) continue;
      std::string table, index;
      if (!LoggedTable(*info, op.resource, &table, &index)) {
        report_.findings.push_back(
            {FindingCode::kLoggedResourceNotChecked,
             Severity::kSuggestion,
             absl::StrCat(op.action, " on ", op.resource, " (", op.count,
                          " recorded requests) is not on a table or index of ",
                          in_.account, " in ", in_.region,
                          "; it is not checked"),
             {}});
        continue;
      }
      const std::string action = info->qualified_name();
      UsedKey key{action, table, index};
      auto [it, fresh] = used.try_emplace(key);
      UsedOperation& u = it->second;
      if (fresh) {
        u.action = action;
        u.table = table;
        if (!index.empty()) u.index = index;
        u.in_code = false;
        if (table == "*") {
          u.resource = "*";
        } else {
          u.resource = TableArn(in_, table);
          if (u.index) absl::StrAppend(&u.resource, "/index/", *u.index);
          used_tables_.insert(table);
        }
      }
      u.log_requests += op.count;
    }
    for (auto& [key, u] : used) {
      std::sort(u.evidence.begin(), u.evidence.end());
      u.evidence.erase(std::unique(u.evidence.begin(), u.evidence.end()),
                       u.evidence.end());
      report_.used.push_back(std::move(u));
    }
    std::sort(report_.used.begin(), report_.used.end(),
              [](const UsedOperation& a, const UsedOperation& b) {
                return std::make_tuple(a.table, a.index.value_or(""),
                                       a.action) <
                       std::make_tuple(b.table, b.index.value_or(""), b.action);
              });
    return absl::OkStatus();
  }

  bool IsUsed(const std::string& action, const std::string& table,
              bool on_index) const {
    for (const UsedOperation& u : report_.used) {
      if (u.action == action && u.table == table &&
          u.index.has_value() == on_index) {
        return true;
      }
    }
    return false;
  }

  absl::StatusOr<Decision> EvaluateFull(const Request& r) const {
    return Evaluate(*in_.policies, r);
  }

  // Why `r` is denied under the full policy set.
  absl::Status ExplainDenial(const Request& r, MissingOperation* m) const {
    absl::StatusOr<Decision> d = EvaluateFull(r);
    if (!d.ok()) return d.status();
    if (d->kind == DecisionKind::kExplicitlyDenied) {
      std::vector<std::string> parts;
      for (const StatementRef& s : d->statements) {
        parts.push_back(absl::StrCat("denied by ",
                                     std::string(PolicyKindName(s.policy_kind)),
                                     " ", Describe(s)));
        m->statements.push_back(Locate(s));
      }
      m->cause = absl::StrJoin(parts, "; ");
    } else if (d->kind == DecisionKind::kImplicitlyDenied) {
      std::string reason =
          d->reason.empty() ? "no statement allows it" : d->reason;
      if (absl::StartsWith(reason, "no identity"))
        reason = "no statement allows it";
      m->cause = reason;
    } else {
      m->cause = "denied in some request contexts only";
    }
    return absl::OkStatus();
  }

  absl::Status DecideUsed() {
    Timer t(&report_.timings.solve);
    for (UsedOperation& u : report_.used) {
      absl::StatusOr<AllowsResult> a =
          Allows(engine_set_, u.action, u.resource, scope_, in_.analysis);
      if (!a.ok()) return a.status();
      u.allowed = a->answer;
      if (a->answer == Answer::kUnknown) {
        report_.unknown.push_back(
            absl::StrCat(u.action, " on ", u.resource, ": ", a->reason));
        continue;
      }
      // Replay on the concrete evaluator, which also names the deciding
      // statements (a table policy Deny, for instance).
      Request probe = a->answer == Answer::kYes && a->allowed_example
                          ? *a->allowed_example
                          : a->denied_example.value_or(
                                ConcreteRequest(u.action, u.resource));
      absl::StatusOr<Decision> full = EvaluateFull(probe);
      if (!full.ok()) return full.status();
      const bool table_policy_denies =
          a->answer == Answer::kYes &&
          full->kind == DecisionKind::kExplicitlyDenied;
      const bool table_policy_allows = a->answer == Answer::kNo &&
                                       !a->conditional &&
                                       full->kind == DecisionKind::kAllowed;
      if (table_policy_allows) {
        u.allowed = Answer::kYes;
        continue;
      }
      if (a->answer == Answer::kNo || table_policy_denies) {
        u.allowed = Answer::kNo;
        MissingOperation m{u.action,   u.table, u.index, u.resource,
                           u.evidence, "",      {}};
        if (absl::Status s = ExplainDenial(probe, &m); !s.ok()) return s;
        report_.missing.push_back(std::move(m));
        continue;
      }
      if (a->conditional) {
        u.conditional = true;
        u.only_if = a->only_if;
        report_.conditional.push_back(
            {u.action, u.resource, a->only_if, u.evidence});
        if (a->allowed_example) {
          absl::StatusOr<Decision> d =
              Evaluate(engine_set_, *a->allowed_example);
          if (!d.ok()) return d.status();
          if (auto g = Grantor(*d)) {
            if (const Statement* st = FindStatement(engine_set_, *g)) {
              conditions_[u.action + " " + u.resource] = st->conditions;
            }
          }
        }
      }
    }
    return absl::OkStatus();
  }

  // A statement granting `action` on `resource`: from a concrete request
  // with no context, else from the engine's allowed example.
  absl::StatusOr<StatementLocation> GrantingStatement(
      const std::string& action, const std::string& resource,
      const std::optional<Request>& witness) {
    std::vector<Request> tries;
    if (witness) tries.push_back(*witness);
    tries.push_back(ConcreteRequest(action, resource));
    for (const Request& r : tries) {
      absl::StatusOr<Decision> d = Evaluate(engine_set_, r);
      if (!d.ok()) return d.status();
      if (auto g = Grantor(*d)) return Locate(*g);
    }
    absl::StatusOr<AllowsResult> a =
        Allows(engine_set_, action, resource, scope_, in_.analysis);
    if (!a.ok()) return a.status();
    if (a->allowed_example) {
      absl::StatusOr<Decision> d = Evaluate(engine_set_, *a->allowed_example);
      if (!d.ok()) return d.status();
      if (auto g = Grantor(*d)) return Locate(*g);
    }
    return StatementLocation{};
  }

  absl::Status AddExcess(const std::string& action, const std::string& resource,
                         bool untouched,
                         const std::optional<Request>& witness) {
    ExcessPermission e;
    e.action = action;
    e.resource = resource;
    e.risk = ActionRisk(action);
    e.untouched_table = untouched;
    e.example_resource = witness ? witness->resource : resource;
    absl::StatusOr<StatementLocation> s =
        GrantingStatement(action, e.example_resource, witness);
    if (!s.ok()) return s.status();
    e.statement = *s;
    report_.excess.push_back(std::move(e));
    return absl::OkStatus();
  }

  absl::Status CheckIsolation() {
    Timer t(&report_.timings.solve);
    AnalysisScope s = scope_;
    s.tables.assign(used_tables_.begin(), used_tables_.end());
    absl::StatusOr<std::vector<TenantIsolation>> answers =
        CheckTenantIsolation(engine_set_, s, in_.analysis);
    if (!answers.ok()) return answers.status();
    for (TenantIsolation& a : *answers) {
      TableIsolation t;
      if (a.isolated == Answer::kUnknown) {
        report_.unknown.push_back(
            absl::StrCat("tenant isolation of ", a.table, ": ", a.reason));
      }
      if (a.witness) {
        absl::StatusOr<StatementLocation> granting = GrantingStatement(
            a.witness->action, a.witness->resource, a.witness);
        if (!granting.ok()) return granting.status();
        t.statement = *granting;
      }
      t.answer = std::move(a);
      report_.tenant_isolation.push_back(std::move(t));
    }
    return absl::OkStatus();
  }

  absl::Status FindExcess() {
    Timer t(&report_.timings.solve);
    absl::StatusOr<ReachReport> all =
        Reachable(engine_set_, scope_, in_.analysis);
    if (!all.ok()) return all.status();
    ReachReport used_reach;
    if (!used_tables_.empty()) {
      AnalysisScope s = scope_;
      s.tables.assign(used_tables_.begin(), used_tables_.end());
      absl::StatusOr<ReachReport> r = Reachable(engine_set_, s, in_.analysis);
      if (!r.ok()) return r.status();
      used_reach = std::move(*r);
    }
    // Everything on the used tables: each table ARN and everything below it.
    PolicySet used_only;
    {
      Policy p;
      p.name = "used tables";
      p.version = "2012-10-17";
      Statement st;
      st.effect = Effect::kAllow;
      st.actions.push_back({"dynamodb:*", {}});
      st.has_resource = true;
      for (const std::string& table : used_tables_) {
        st.resources.push_back({TableArn(in_, table), {}});
        st.resources.push_back({TableArn(in_, table) + "/*", {}});
      }
      p.statements.push_back(std::move(st));
      used_only.identity.push_back(std::move(p));
    }
    for (size_t i = 0; i < all->actions.size(); ++i) {
      const ActionReach& ar = all->actions[i];
      if (ar.reachable == Answer::kNo) continue;
      if (ar.reachable == Answer::kUnknown) {
        report_.unknown.push_back(absl::StrCat(ar.action, ": ", ar.reason));
        continue;
      }
      const ActionInfo* info = FindAction(ar.action);
      if (!info->wildcard_only() && unknown_table_actions_.count(ar.action)) {
        // Used on a table the scan could not name: whatever the policies
        // grant it on may be that table.
        for (const ResourceSummary& rs : ar.resources) {
          for (const std::string& p : rs.patterns) {
            unknown_table_grants_[ar.action].insert(p);
          }
        }
        continue;
      }
      if (info->wildcard_only()) {
        if (!IsUsed(ar.action, "*", false)) {
          if (absl::Status s = AddExcess(ar.action, "*", false, ar.witness);
              !s.ok()) {
            return s;
          }
        }
        continue;
      }
      if (!used_tables_.empty()) {
        const ActionReach* ur = nullptr;
        for (const ActionReach& x : used_reach.actions) {
          if (x.action == ar.action) ur = &x;
        }
        bool on_some_table = false;
        for (const std::string& table : used_tables_) {
          for (bool index : {false, true}) {
            std::string key = index ? table + "/index/*" : table;
            auto it = ur->tables.find(key);
            if (it == ur->tables.end() || it->second == Answer::kNo) continue;
            on_some_table = true;
            std::string resource =
                TableArn(in_, table) + (index ? "/index/*" : "");
            if (it->second == Answer::kUnknown) {
              report_.unknown.push_back(
                  absl::StrCat(ar.action, " on ", resource, ": ", ur->reason));
              continue;
            }
            if (IsUsed(ar.action, table, index)) continue;
            if (absl::Status s = AddExcess(ar.action, resource, false, {});
                !s.ok()) {
              return s;
            }
          }
        }
        // Streams, backups, exports, imports of the used tables.
        if (!on_some_table && ur->reachable == Answer::kYes &&
            !ur->resources.empty() && !ur->resources[0].patterns.empty()) {
          // "arn:...:table/orders/backup/0123" ->
          // "arn:...:table/orders/backup/*"
          std::string resource = ur->resources[0].patterns[0];
          if (ur->witness) {
            resource = ur->witness->resource;
            size_t slash = resource.find('/');
            for (int k = 0; k < 2 && slash != std::string::npos; ++k) {
              slash = resource.find('/', slash + 1);
            }
            if (slash != std::string::npos) {
              resource = resource.substr(0, slash) + "/*";
            }
          }
          if (absl::Status s =
                  AddExcess(ar.action, resource, false, ur->witness);
              !s.ok()) {
            return s;
          }
        }
      }
      // Anything outside the used tables.
      absl::StatusOr<DifferenceResult> other = FindAllowedDifference(
          PolicySide::Of(engine_set_),
          used_tables_.empty() ? PolicySide::DenyAll()
                               : PolicySide::Of(used_only),
          ar.action, scope_, in_.analysis);
      if (!other.ok()) return other.status();
      if (other->answer == Answer::kUnknown) {
        report_.unknown.push_back(
            absl::StrCat(ar.action, " on other tables: ", other->reason));
        continue;
      }
      if (other->answer == Answer::kNo) continue;
      std::vector<std::string> patterns;
      for (const ResourceSummary& s : ar.resources) {
        for (const std::string& p : s.patterns) {
          bool used_table_pattern = false;
          for (const std::string& table : used_tables_) {
            if (absl::StartsWith(p, TableArn(in_, table) + "/") ||
                p == TableArn(in_, table)) {
              used_table_pattern = true;
            }
          }
          if (!used_table_pattern) patterns.push_back(p);
        }
      }
      std::string resource = patterns.empty() ? other->witness->resource
                                              : absl::StrJoin(patterns, ", ");
      if (absl::Status s = AddExcess(ar.action, resource, true, other->witness);
          !s.ok()) {
        return s;
      }
    }
    std::stable_sort(report_.excess.begin(), report_.excess.end(),
                     [](const ExcessPermission& a, const ExcessPermission& b) {
                       return std::make_tuple(a.risk, a.untouched_table,
                                              a.action, a.resource) <
                              std::make_tuple(b.risk, b.untouched_table,
                                              b.action, b.resource);
                     });
    return absl::OkStatus();
  }

  void AddFindings() {
    report_.findings.insert(report_.findings.end(), in_.scan->findings.begin(),
                            in_.scan->findings.end());
    for (const ScanError& e : in_.scan->errors) {
      report_.findings.push_back({FindingCode::kScanError,
                                  Severity::kWarning,
                                  e.message,
                                  {e.file, e.line, 0}});
    }
    for (Finding& f : report::FindPolicyProblems(*in_.policies, in_.account)) {
      report_.findings.push_back(std::move(f));
    }
    // Scan granted on a table where only Query is used.
    for (const std::string& table : used_tables_) {
      bool query = false, scan = false;
      for (const UsedOperation& u : report_.used) {
        if (u.table != table) continue;
        query |= u.action == "dynamodb:Query";
        scan |= u.action == "dynamodb:Scan";
      }
      if (!query || scan) continue;
      for (const ExcessPermission& e : report_.excess) {
        if (e.action != "dynamodb:Scan" || e.untouched_table ||
            !absl::StartsWith(e.resource, TableArn(in_, table))) {
          continue;
        }
        report_.findings.push_back(
            {FindingCode::kScanWhereQuerySuffices,
             Severity::kWarning,
             absl::StrCat("dynamodb:Scan is granted on ", e.resource,
                          " but the code only queries table ", table,
                          "; a Scan reads every item"),
             {e.statement.file, e.statement.line, e.statement.column}});
        break;
      }
    }
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [](const Finding& a, const Finding& b) {
                       return std::make_tuple(a.severity, a.pos.file,
                                              a.pos.line, FindingId(a.code)) <
                              std::make_tuple(b.severity, b.pos.file,
                                              b.pos.line, FindingId(b.code));
                     });
  }

  absl::Status Suggest() {
    // conditions -> resource -> actions
    std::map<std::string, std::map<std::string, std::set<std::string>>> grants;
    std::map<std::string, std::vector<Condition>> condition_of;
    std::map<std::string, std::string> resource_table;
    for (const UsedOperation& u : report_.used) {
      if (u.allowed == Answer::kUnknown) continue;
      std::string cond_key;
      auto c = conditions_.find(u.action + " " + u.resource);
      if (c != conditions_.end() && !c->second.empty()) {
        cond_key =
            json::Serialize(report_internal::ConditionsJson(c->second), -1);
        condition_of[cond_key] = c->second;
      }
      grants[cond_key][u.resource].insert(u.action);
      resource_table[u.resource] =
          u.table == "*" ? "Account"
                         : SidPart(u.table) + (u.index ? "Indexes" : "");
    }
    for (const auto& [action, patterns] : unknown_table_grants_) {
      for (const std::string& resource : patterns) {
        grants[""][resource].insert(action);
        if (!resource_table.count(resource)) {
          resource_table[resource] = "UnknownTables";
        }
      }
    }
    // (conditions, actions) -> resources, so that equal grants share a
    // statement.
    std::map<std::pair<std::string, std::set<std::string>>,
             std::vector<std::string>>
        statements;
    for (const auto& [cond, by_resource] : grants) {
      for (const auto& [resource, actions] : by_resource) {
        statements[{cond, actions}].push_back(resource);
      }
    }
    // The policy is built as a value: the proofs (Verify) use it as it is,
    // and the reports print it.
    Policy& policy = report_.suggested;
    policy = Policy();
    policy.kind = PolicyKind::kIdentity;
    policy.name = "suggested-policy.json";
    policy.version = "2012-10-17";
    std::set<std::string> sids;
    auto add = [&](Statement st) {
      st.index = static_cast<int>(policy.statements.size());
      policy.statements.push_back(std::move(st));
    };
    for (const auto& [key, resources] : statements) {
      std::string sid = resource_table[resources.front()];
      for (const std::string& r : resources) {
        if (resource_table[r] != sid) {
          sid = resources.front().find("/index/") != std::string::npos
                    ? "UsedIndexes"
                    : "UsedTables";
          break;
        }
      }
      if (!key.first.empty()) sid += "Conditional";
      std::string unique = sid;
      for (int n = 2; sids.count(unique); ++n) unique = sid + std::to_string(n);
      sids.insert(unique);
      Statement st;
      st.sid = unique;
      st.effect = Effect::kAllow;
      for (const std::string& a : key.second) st.actions.push_back({a, {}});
      st.has_resource = true;
      for (const std::string& r : resources) st.resources.push_back({r, {}});
      if (!key.first.empty()) st.conditions = condition_of[key.first];
      add(std::move(st));
    }
    // Identity-policy Deny statements that touch a used action stay: the
    // suggestion replaces the identity policies, and must not lift a Deny.
    std::set<std::string> used_actions;
    for (const UsedOperation& u : report_.used) used_actions.insert(u.action);
    for (const Policy& p : engine_set_.identity) {
      for (const Statement& st : p.statements) {
        if (st.effect != Effect::kDeny || !MentionsAny(st, used_actions)) {
          continue;
        }
        Statement deny = st;
        deny.principal.reset();
        if (st.sid) {
          std::string unique = *st.sid;
          for (int n = 2; sids.count(unique); ++n) {
            unique = *st.sid + std::to_string(n);
          }
          sids.insert(unique);
          deny.sid = unique;
        }
        add(std::move(deny));
      }
    }
    report_.suggested_policy =
        json::Serialize(report_internal::PolicyDocumentJson(policy), 2);
    return absl::OkStatus();
  }

  absl::Status Verify() {
    Timer t(&report_.timings.solve);
    PolicySet suggested_set = engine_set_;
    suggested_set.identity = {report_.suggested};
    // (a) every used operation is allowed.
    size_t covered = 0;
    std::vector<std::string> uncovered;
    for (const UsedOperation& u : report_.used) {
      if (u.allowed == Answer::kUnknown) {
        uncovered.push_back(absl::StrCat(u.action, " on ", u.resource,
                                         " (undecided, left out)"));
        continue;
      }
      absl::StatusOr<AllowsResult> a =
          Allows(suggested_set, u.action, u.resource, scope_, in_.analysis);
      if (!a.ok()) return a.status();
      if (a->answer == Answer::kYes && (!a->conditional || u.conditional)) {
        ++covered;
      } else if (a->answer == Answer::kUnknown) {
        report_.unknown.push_back(absl::StrCat("suggested policy, ", u.action,
                                               " on ", u.resource, ": ",
                                               a->reason));
        uncovered.push_back(
            absl::StrCat(u.action, " on ", u.resource, " (undecided)"));
      } else {
        uncovered.push_back(
            absl::StrCat(u.action, " on ", u.resource,
                         a->conditional ? " (only conditionally)" : ""));
      }
    }
    // (b) nothing the current policies (plus the missing grants) deny.
    PolicySet reference = engine_set_;
    if (!report_.missing.empty()) {
      Policy p;
      p.name = "missing operations";
      p.version = "2012-10-17";
      for (const MissingOperation& m : report_.missing) {
        Statement one;
        one.effect = Effect::kAllow;
        one.has_resource = true;
        one.actions = {{m.action, {}}};
        one.resources = {{m.resource, {}}};
        one.index = static_cast<int>(p.statements.size());
        p.statements.push_back(one);
      }
      reference.identity.push_back(std::move(p));
    }
    std::set<std::string> actions;
    for (const UsedOperation& u : report_.used) {
      if (u.allowed != Answer::kUnknown) actions.insert(u.action);
    }
    std::vector<std::string> beyond;
    bool undecided = false;
    for (const std::string& action : actions) {
      absl::StatusOr<DifferenceResult> d = FindAllowedDifference(
          PolicySide::Of(suggested_set), PolicySide::Of(reference), action,
          scope_, in_.analysis);
      if (!d.ok()) return d.status();
      if (d->answer == Answer::kYes) {
        beyond.push_back(absl::StrCat(action, " on ", d->witness->resource));
      } else if (d->answer == Answer::kUnknown) {
        undecided = true;
        report_.unknown.push_back(
            absl::StrCat("suggested policy, ", action, ": ", d->reason));
      }
    }
    const size_t n = report_.used.size();
    if (covered == n && beyond.empty() && !undecided) {
      report_.verified = true;
      report_.verification =
          absl::StrCat("verified: covers all ", n, " used operation",
                       n == 1 ? "" : "s", "; grants nothing beyond them");
      if (!report_.missing.empty()) {
        absl::StrAppend(&report_.verification, " (", report_.missing.size(),
                        " of them missing from the current policies)");
      }
      if (!unknown_table_grants_.empty()) {
        absl::StrAppend(&report_.verification, "; keeps ",
                        unknown_table_grants_.size(), " action",
                        unknown_table_grants_.size() == 1 ? "" : "s",
                        " on every table now granted, because the code uses ",
                        unknown_table_grants_.size() == 1 ? "it" : "them",
                        " on a table it does not name");
      }
      return absl::OkStatus();
    }
    std::vector<std::string> why;
    if (covered != n) {
      why.push_back(absl::StrCat("covers ", covered, " of ", n,
                                 " used operations; not allowed even with it: ",
                                 absl::StrJoin(uncovered, ", ")));
    }
    if (!beyond.empty()) {
      why.push_back(absl::StrCat("allows what the current policies deny: ",
                                 absl::StrJoin(beyond, ", ")));
    }
    if (undecided) why.push_back("the solver could not decide every question");
    report_.verification =
        absl::StrCat("not verified: ", absl::StrJoin(why, "; "));
    return absl::OkStatus();
  }

  const CheckInput& in_;
  CheckReport& report_;
  PolicySet engine_set_;
  AnalysisScope scope_;
  std::set<std::string> used_tables_;
  // Actions the code performs on tables it could not name (file:line
  // evidence), and the resources the policies grant each of them on.
  std::map<std::string, std::vector<std::string>> unknown_table_actions_;
  std::map<std::string, std::set<std::string>> unknown_table_grants_;
  std::map<std::string, std::vector<Condition>> conditions_;
};

}  // namespace

absl::StatusOr<CheckReport> RunCheck(const CheckInput& input) {
  if (input.scan == nullptr || input.policies == nullptr) {
    return absl::InvalidArgumentError("RunCheck needs a scan and policies");
  }
  if (input.account.size() != 12 ||
      !std::all_of(input.account.begin(), input.account.end(),
                   absl::ascii_isdigit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("account \"", input.account, "\" is not 12 digits"));
  }
  if (input.region.empty()) {
    return absl::InvalidArgumentError("the region is not known");
  }
  const auto start = Clock::now();
  CheckInput in = input;
  if (in.principal.empty()) {
    in.principal =
        absl::StrCat("arn:aws:iam::", in.account, ":role/leastpriv-witness");
  }
  CheckReport report;
  report.account = in.account;
  report.region = in.region;
  report.principal = in.principal;
  Checker checker(in, &report);
  if (absl::Status s = checker.Run(); !s.ok()) return s;
  std::sort(report.unknown.begin(), report.unknown.end());
  report.unknown.erase(
      std::unique(report.unknown.begin(), report.unknown.end()),
      report.unknown.end());
  report.timings.report =
      std::chrono::duration<double>(Clock::now() - start).count() -
      report.timings.solve;
  return report;
}

bool CheckFails(const CheckReport& report, FailLevel level) {
  if (!report.missing.empty()) return true;
  if (level == FailLevel::kMissing) return false;
  const bool leaks = std::any_of(
      report.tenant_isolation.begin(), report.tenant_isolation.end(),
      [](const TableIsolation& t) { return t.answer.isolated == Answer::kNo; });
  if (level == FailLevel::kTenantIsolation) return leaks;
  if (leaks && level != FailLevel::kDestructive) return true;
  const Risk threshold = level == FailLevel::kRead    ? Risk::kRead
                         : level == FailLevel::kWrite ? Risk::kWrite
                         : level == FailLevel::kDataExposure
                             ? Risk::kDataExposure
                             : Risk::kDestructive;
  for (const ExcessPermission& e : report.excess) {
    if (static_cast<int>(e.risk) <= static_cast<int>(threshold)) return true;
  }
  return false;
}

}  // namespace leastpriv
