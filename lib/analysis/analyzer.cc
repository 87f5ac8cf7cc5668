// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The queries of analyzer.h, all built on one step: fix the resource class,
// fold, and ask the solver whether the remaining context constraint is
// satisfiable. Residual terms are shared, so equal questions are asked once.

#include "leastpriv/analyzer.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/analysis/request_model.h"
#include "lib/smt/encoder.h"

namespace leastpriv {
namespace {

using analysis::RequestModel;
using smt::SolveOutcome;
using smt::SolveVerdict;
using smt::TermId;

class Decider {
 public:
  Decider(RequestModel& model, const AnalysisOptions& options)
      : model_(model), session_(model.factory(), SessionOptions(options)) {}

  static smt::SolveOptions SessionOptions(const AnalysisOptions& options) {
    smt::SolveOptions o;
    o.rlimit = options.rlimit;
    return o;
  }

  absl::StatusOr<SolveOutcome> Decide(TermId t) {
    auto it = cache_.find(t);
    if (it != cache_.end()) return it->second;
    auto out = session_.Solve(model_.WithAxioms(t));
    if (!out.ok()) return out.status();
    cache_.emplace(t, *out);
    return *out;
  }

 private:
  RequestModel& model_;
  smt::SolverSession session_;
  std::map<TermId, SolveOutcome> cache_;
};

absl::StatusOr<bool> SideAllows(const PolicySide& side, const Request& r) {
  switch (side.kind) {
    case PolicySide::Kind::kAllowAll:
      return true;
    case PolicySide::Kind::kDenyAll:
      return false;
    case PolicySide::Kind::kPolicies:
      break;
  }
  auto d = Evaluate(*side.policies, r);
  if (!d.ok()) return d.status();
  return d->kind == DecisionKind::kAllowed;
}

// Empty when `r` replays as "a allows, b does not"; otherwise why not.
std::string ReplayProblem(const PolicySide& a, const PolicySide& b,
                          const Request& r) {
  auto ra = SideAllows(a, r);
  if (!ra.ok()) return absl::StrCat("witness replay failed: ", ra.status().message());
  auto rb = SideAllows(b, r);
  if (!rb.ok()) return absl::StrCat("witness replay failed: ", rb.status().message());
  if (*ra && !*rb) return "";
  return absl::StrCat("internal error: the witness for ", r.action, " on ",
                      r.resource, " does not replay through Evaluate");
}

std::string ResourceOf(const RequestModel& m, const ActionInfo& a, uint32_t cls) {
  return a.wildcard_only() ? "*" : m.resources().at(cls).witness;
}

absl::StatusOr<const ActionInfo*> LookUp(std::string_view name) {
  const ActionInfo* a = FindAction(name);
  if (a == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown DynamoDB action \"", std::string(name), "\""));
  }
  return a;
}

struct ClassScan {
  std::vector<uint32_t> reachable;
  std::vector<uint32_t> undecided;
  std::string unknown_reason;
  std::optional<Request> witness;
  std::string witness_problem;
};

// Decides every resource class of the action's universe (or stops at the
// first replayed witness when `first_only`).
// With `approximate` (see RequestModel::approximate), an unsatisfiable
// class is undecided rather than unreachable.
absl::StatusOr<ClassScan> Scan(RequestModel& m, Decider& decider, TermId goal,
                               const ActionInfo& action, const PolicySide& a,
                               const PolicySide& b, bool first_only, bool approximate) {
  ClassScan scan;
  const std::string name = action.qualified_name();
  for (uint32_t cls : m.ResourceUniverse(action)) {
    TermId residual = m.factory().FixDimension(goal, m.resource_dimension(), cls);
    auto out = decider.Decide(residual);
    if (!out.ok()) return out.status();
    if (out->verdict == SolveVerdict::kUnknown) {
      scan.undecided.push_back(cls);
      scan.unknown_reason = absl::StrCat("solver: ", out->reason);
      continue;
    }
    if (out->verdict == SolveVerdict::kUnsat) {
      if (approximate) {
        scan.undecided.push_back(cls);
        scan.unknown_reason = m.approximate_reason();
      }
      continue;
    }
    scan.reachable.push_back(cls);
    if (!scan.witness && scan.witness_problem.empty()) {
      Request r = m.Decode(name, ResourceOf(m, action, cls), out->model);
      std::string problem = ReplayProblem(a, b, r);
      if (problem.empty()) {
        scan.witness = std::move(r);
      } else {
        scan.witness_problem = problem;
      }
    }
    if (first_only && (scan.witness || !scan.witness_problem.empty())) break;
  }
  return scan;
}

bool Contains(const std::vector<uint32_t>& v, uint32_t x) {
  return std::binary_search(v.begin(), v.end(), x);
}

std::vector<ResourceSummary> Summarize(const RequestModel& m,
                                       const ActionInfo& action,
                                       const std::vector<uint32_t>& reachable) {
  std::vector<ResourceSummary> out;
  if (action.wildcard_only()) {
    ResourceSummary s;
    s.resource_type = "*";
    s.patterns = {"*"};
    s.examples = {"*"};
    out.push_back(std::move(s));
    return out;
  }
  const std::vector<uint32_t> universe = m.ResourceUniverse(action);
  const auto raw = m.RawPatterns();
  for (const analysis::ResourceShape& shape : m.Shapes(action)) {
    std::vector<uint32_t> in_type, reach;
    for (uint32_t c : universe) {
      if (!m.resources().InPattern(c, shape.pattern)) continue;
      in_type.push_back(c);
      if (Contains(reachable, c)) reach.push_back(c);
    }
    if (reach.empty()) continue;
    ResourceSummary s;
    s.resource_type = shape.resource_type;
    // Patterns: greedily cover the reachable classes with written patterns.
    std::set<uint32_t> covered, uncovered(reach.begin(), reach.end());
    std::set<uint32_t> union_classes;
    while (!uncovered.empty()) {
      // Prefer patterns that name no unreachable class of this type (then
      // no exception is needed), then the larger gain, then the pattern
      // that names fewer unreachable classes.
      size_t best = raw.size(), best_gain = 0, best_dirty = 0, best_total = 0;
      for (size_t i = 0; i < raw.size(); ++i) {
        size_t gain = 0, dirty = 0, total = 0;
        for (uint32_t c : uncovered) gain += m.resources().InPattern(c, raw[i].second);
        if (gain == 0) continue;
        for (uint32_t c : in_type) {
          if (!Contains(reach, c) && m.resources().InPattern(c, raw[i].second)) {
            ++dirty;
          }
        }
        // Last tie-break: the more specific pattern (fewer classes in the
        // whole partition), so a scope does not turn "table/shop-*" into
        // "table/*".
        for (size_t c = 0; c < m.resources().size(); ++c) {
          total += m.resources().InPattern(c, raw[i].second);
        }
        bool better;
        if (best == raw.size()) {
          better = true;
        } else if ((dirty == 0) != (best_dirty == 0)) {
          better = dirty == 0;
        } else if (gain != best_gain) {
          better = gain > best_gain;
        } else if (dirty != best_dirty) {
          better = dirty < best_dirty;
        } else {
          better = total < best_total;
        }
        if (better) {
          best_gain = gain;
          best_dirty = dirty;
          best_total = total;
          best = i;
        }
      }
      if (best == raw.size()) {
        s.patterns.push_back(shape.display);
        union_classes.insert(in_type.begin(), in_type.end());
        break;
      }
      s.patterns.push_back(raw[best].first == "*" ? shape.display : raw[best].first);
      for (uint32_t c : in_type) {
        if (m.resources().InPattern(c, raw[best].second)) {
          union_classes.insert(c);
          uncovered.erase(c);
        }
      }
    }
    // Exceptions: written patterns that only name unreachable classes of
    // the union.
    std::set<uint32_t> excluded;
    for (uint32_t c : union_classes) {
      if (!Contains(reach, c)) excluded.insert(c);
    }
    while (!excluded.empty()) {
      size_t best = raw.size(), best_gain = 0;
      for (size_t i = 0; i < raw.size(); ++i) {
        size_t gain = 0;
        bool clean = true;
        for (uint32_t c : union_classes) {
          if (!m.resources().InPattern(c, raw[i].second)) continue;
          if (Contains(reach, c)) clean = false;
          gain += excluded.count(c);
        }
        if (clean && gain > best_gain) {
          best_gain = gain;
          best = i;
        }
      }
      if (best == raw.size()) break;
      s.except.push_back(raw[best].first);
      for (uint32_t c : union_classes) {
        if (m.resources().InPattern(c, raw[best].second)) excluded.erase(c);
      }
    }
    for (uint32_t c : reach) {
      if (s.examples.size() >= 10) break;
      s.examples.push_back(m.resources().at(c).witness);
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string_view AnswerName(Answer answer) {
  switch (answer) {
    case Answer::kYes:
      return "yes";
    case Answer::kNo:
      return "no";
    case Answer::kUnknown:
      return "unknown";
  }
  return "unknown";
}

absl::StatusOr<DifferenceResult> FindAllowedDifference(
    const PolicySide& a, const PolicySide& b, std::string_view action_name,
    const AnalysisScope& scope, const AnalysisOptions& options) {
  auto action = LookUp(action_name);
  if (!action.ok()) return action.status();
  std::vector<const PolicySet*> sides;
  for (const PolicySide* s : {&a, &b}) {
    if (s->kind == PolicySide::Kind::kPolicies) sides.push_back(s->policies);
  }
  auto model = RequestModel::Build(sides, scope, {}, options);
  if (!model.ok()) return model.status();
  RequestModel& m = **model;
  DifferenceResult result;
  auto ta = m.Allowed(a, **action);
  bool approximate = m.approximate();
  auto tb = ta.ok() ? m.Allowed(b, **action) : ta;
  approximate |= m.approximate();
  for (const auto* t : {&ta, &tb}) {
    if (t->ok()) continue;
    if (t->status().code() != absl::StatusCode::kUnimplemented) return t->status();
    result.answer = Answer::kUnknown;
    result.reason = std::string(t->status().message());
    return result;
  }
  TermId goal = m.factory().And(*ta, m.factory().Not(*tb));
  Decider decider(m, options);
  auto scan = Scan(m, decider, goal, **action, a, b, /*first_only=*/true, approximate);
  if (!scan.ok()) return scan.status();
  if (scan->witness) {
    result.answer = Answer::kYes;
    result.witness = std::move(scan->witness);
  } else if (!scan->witness_problem.empty()) {
    result.reason = scan->witness_problem;
  } else if (!scan->undecided.empty()) {
    result.reason = scan->unknown_reason;
  } else {
    result.answer = Answer::kNo;
  }
  return result;
}

absl::StatusOr<ReachReport> Reachable(const PolicySet& policies,
                                      const AnalysisScope& scope,
                                      const AnalysisOptions& options) {
  std::vector<const ActionInfo*> actions;
  if (scope.actions.empty()) {
    for (const ActionInfo& a : DynamoDbActions()) actions.push_back(&a);
  } else {
    for (const std::string& name : scope.actions) {
      auto a = LookUp(name);
      if (!a.ok()) return a.status();
      actions.push_back(*a);
    }
  }
  auto model = RequestModel::Build({&policies}, scope, {}, options);
  if (!model.ok()) return model.status();
  RequestModel& m = **model;
  Decider decider(m, options);
  const PolicySide side = PolicySide::Of(policies);
  ReachReport report;
  for (const ActionInfo* action : actions) {
    ActionReach ar;
    ar.action = action->qualified_name();
    auto goal = m.Allowed(side, *action);
    if (!goal.ok()) {
      if (goal.status().code() != absl::StatusCode::kUnimplemented) {
        return goal.status();
      }
      ar.reason = std::string(goal.status().message());
      for (const std::string& t : scope.tables) {
        ar.tables[t] = Answer::kUnknown;
        ar.tables[t + "/index/*"] = Answer::kUnknown;
      }
      report.actions.push_back(std::move(ar));
      continue;
    }
    auto scan = Scan(m, decider, *goal, *action, side, PolicySide::DenyAll(),
                     /*first_only=*/false, m.approximate());
    if (!scan.ok()) return scan.status();
    std::sort(scan->reachable.begin(), scan->reachable.end());
    std::sort(scan->undecided.begin(), scan->undecided.end());
    if (!scan->witness_problem.empty()) {
      ar.reason = scan->witness_problem;
    } else if (scan->witness) {
      ar.reachable = Answer::kYes;
      ar.witness = std::move(scan->witness);
      ar.resources = Summarize(m, *action, scan->reachable);
      if (!scan->undecided.empty()) {
        ar.reason = absl::StrCat("resource summary incomplete: ",
                                 scan->undecided.size(),
                                 " resource classes undecided (", scan->unknown_reason, ")");
      }
    } else if (!scan->undecided.empty()) {
      ar.reason = scan->unknown_reason;
    } else {
      ar.reachable = Answer::kNo;
    }
    for (const std::string& t : scope.tables) {
      for (bool index : {false, true}) {
        auto p = m.PatternIndex(index ? "tableindex:" + t : "table:" + t);
        Answer ans = Answer::kNo;
        if (!scan->witness_problem.empty()) {
          ans = Answer::kUnknown;
        } else {
          for (uint32_t c : m.ResourceUniverse(*action)) {
            if (!m.resources().InPattern(c, *p)) continue;
            if (Contains(scan->reachable, c)) {
              ans = Answer::kYes;
              break;
            }
            if (Contains(scan->undecided, c)) ans = Answer::kUnknown;
          }
        }
        ar.tables[index ? t + "/index/*" : t] = ans;
      }
    }
    report.actions.push_back(std::move(ar));
  }
  return report;
}

absl::StatusOr<AllowsResult> Allows(const PolicySet& policies,
                                    std::string_view action_name,
                                    std::string_view resource,
                                    const AnalysisScope& scope,
                                    const AnalysisOptions& options) {
  auto action = LookUp(action_name);
  if (!action.ok()) return action.status();
  if (resource.empty()) return absl::InvalidArgumentError("empty resource");
  auto model = RequestModel::Build({&policies}, scope, {std::string(resource)}, options);
  if (!model.ok()) return model.status();
  RequestModel& m = **model;
  AllowsResult result;
  auto goal = m.Allowed(PolicySide::Of(policies), **action);
  if (!goal.ok()) {
    if (goal.status().code() != absl::StatusCode::kUnimplemented) return goal.status();
    result.reason = std::string(goal.status().message());
    return result;
  }
  const uint32_t cls = static_cast<uint32_t>(m.resources().ClassOf(resource));
  TermId allowed = m.factory().FixDimension(*goal, m.resource_dimension(), cls);
  Decider decider(m, options);
  auto yes = decider.Decide(allowed);
  if (!yes.ok()) return yes.status();
  auto no = decider.Decide(m.factory().Not(allowed));
  if (!no.ok()) return no.status();
  const std::string name = (*action)->qualified_name();
  const PolicySide side = PolicySide::Of(policies);
  if (yes->verdict == SolveVerdict::kSat) {
    Request r = m.Decode(name, std::string(resource), yes->model);
    std::string problem = ReplayProblem(side, PolicySide::DenyAll(), r);
    if (!problem.empty()) {
      result.reason = problem;
      return result;
    }
    result.allowed_example = std::move(r);
  }
  if (no->verdict == SolveVerdict::kSat) {
    Request r = m.Decode(name, std::string(resource), no->model);
    std::string problem = ReplayProblem(PolicySide::AllowAll(), side, r);
    if (!problem.empty()) {
      result.reason = problem;
      return result;
    }
    result.denied_example = std::move(r);
  }
  if (m.approximate() &&
      (yes->verdict == SolveVerdict::kUnsat || no->verdict == SolveVerdict::kUnsat)) {
    // Only the source's class witnesses were tried: "never" and "always"
    // are not proven.
    result.reason = m.approximate_reason();
  } else if (yes->verdict == SolveVerdict::kUnsat) {
    result.answer = Answer::kNo;
  } else if (no->verdict == SolveVerdict::kUnsat && yes->verdict == SolveVerdict::kSat) {
    result.answer = Answer::kYes;
  } else if (yes->verdict == SolveVerdict::kSat && no->verdict == SolveVerdict::kSat) {
    result.answer = Answer::kYes;
    result.conditional = true;
    result.only_if = m.factory().Render(allowed);
  } else {
    result.reason = absl::StrCat("solver: ", yes->verdict == SolveVerdict::kUnknown
                                                 ? yes->reason
                                                 : no->reason);
  }
  return result;
}

}  // namespace leastpriv
