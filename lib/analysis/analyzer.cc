// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The queries of analyzer.h, all built on one step: fix the resource class,
// fold, and ask the solver whether the remaining context constraint is
// satisfiable. Residual terms are shared, so equal questions are asked once.

#include "leastpriv/analyzer.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/numeric/bits.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/analysis/difference_scan.h"
#include "lib/analysis/principal_facts.h"
#include "lib/analysis/question_count.h"
#include "lib/analysis/request_model.h"
#include "lib/analysis/variable_text.h"
#include "lib/eval/match.h"
#include "lib/smt/encoder.h"
#include "lib/smt/finite_search.h"

namespace leastpriv {
namespace {

using analysis::RequestModel;
using smt::SolveOutcome;
using smt::SolveVerdict;
using smt::TermId;

class Decider {
 public:
  Decider(RequestModel& model, const AnalysisOptions& options)
      : model_(model),
        options_(SessionOptions(options)),
        max_class_questions_(options.max_class_questions),
        session_(model.factory(), options_) {}

  // See AnalysisOptions::max_class_questions.
  std::size_t max_class_questions() const { return max_class_questions_; }

  // How many questions went to Z3 so far.
  std::uint64_t solver_calls() const { return session_.z3_calls(); }

  static smt::SolveOptions SessionOptions(const AnalysisOptions& options) {
    smt::SolveOptions o;
    o.rlimit = options.rlimit;
    o.search_budget = options.search_budget;
    o.max_questions = options.max_solver_questions;
    o.questions = options.solver_questions;
    return o;
  }

  // With `try_recent` (and deciding free variables), the kept models are
  // tried first.
  absl::StatusOr<SolveOutcome> Decide(TermId t, bool try_recent = true) {
    return Decide(t, try_recent, false);
  }
  // Decide for a question whose answer only saves others (see
  // smt::SolverSession::SolveShortcut); an unknown answer is not kept.
  absl::StatusOr<SolveOutcome> DecideShortcut(TermId t) {
    return Decide(t, true, true);
  }

 private:
  absl::StatusOr<SolveOutcome> Decide(TermId t, bool try_recent,
                                      bool shortcut) {
    auto it = cache_.find(t);
    if (it != cache_.end()) return it->second;
    const TermId query = model_.WithAxioms(t);
    // When deciding free variables, a model's terms are large and most of
    // a scan's questions are satisfiable: one of the last models found
    // often satisfies the next question too (the same context, another
    // resource class), which its plain evaluation shows without the
    // solver. A satisfying assignment is a proof of "sat"; others go to
    // the solver. Off by default, where it would change the witnesses.
    if (model_.decides_free_variables() && try_recent) {
      if (std::optional<SolveOutcome> known = SatisfiedByRecent(query)) {
        cache_.emplace(t, *known);
        return *std::move(known);
      }
    }
    auto out = shortcut ? session_.SolveShortcut(query) : session_.Solve(query);
    if (!out.ok()) return out.status();
    if (model_.decides_free_variables() && out->verdict == SolveVerdict::kSat) {
      recent_.insert(recent_.begin(), out->model);
      if (recent_.size() > kRecent) recent_.pop_back();
    }
    if (!shortcut || out->verdict != SolveVerdict::kUnknown)
      cache_.emplace(t, *out);
    return *out;
  }

 public:
  // When deciding free variables: the verdicts of `goal` on the classes
  // `classes` (ascending) of dimension `dim`, each a kSat (with a model),
  // kUnsat or kUnknown outcome. Each satisfying model found is evaluated
  // on every class at once (smt::ClassesWhereTrue): the classes where it
  // satisfies the goal are "sat" with that model. The models are the
  // kept ones first, then the finite search's answers to "`goal` on one
  // of the classes left" (once it finds none, every class left is
  // "unsat"), and when it gives up, the answers class by class on
  // `residual(c)` (the goal with the dimension fixed to c, much smaller:
  // the solver on the whole goal is often slow). Before the search, the
  // classes where the goal is false whatever the other variables are
  // (smt::ClassesWherePossible) are "unsat". With `first_only`, stops at
  // the first satisfying model. With `defer_after` > 0, once a class is
  // satisfiable and `defer_after` classes have been asked one by one, the
  // classes left are not decided: they are absent from the answer; so are
  // those left after AnalysisOptions::max_class_questions questions one by
  // one. The models `seeds` (of the goal, each with its class of `dim`)
  // are tried before the kept ones.
  template <typename Residual>
  absl::StatusOr<std::map<uint32_t, SolveOutcome>> Sweep(
      TermId goal, int dim, const std::vector<uint32_t>& classes,
      bool first_only, std::size_t defer_after, Residual residual,
      const std::vector<smt::Assignment>& seeds = {}) {
    std::map<uint32_t, SolveOutcome> out;
    smt::TermFactory& f = model_.factory();
    const TermId full = model_.WithAxioms(goal);
    std::set<int> dims, vars;
    f.CollectVariables(full, &dims, &vars);
    dims.erase(dim);
    std::vector<uint32_t> left = classes;
    // Decides the classes left that `found` satisfies; false when none.
    auto cover = [&](const smt::Assignment& found) {
      smt::Assignment context;
      for (int d : dims) {
        auto v = found.dimensions.find(d);
        context.dimensions[d] = v == found.dimensions.end() ? 0 : v->second;
      }
      for (int b : vars) {
        auto v = found.bool_vars.find(b);
        context.bool_vars[b] = v != found.bool_vars.end() && v->second;
      }
      const std::vector<uint32_t> where =
          smt::ClassesWhereTrue(f, full, context, dim);
      std::vector<uint32_t> rest;
      bool any = false;
      for (uint32_t c : left) {
        if (!std::binary_search(where.begin(), where.end(), c)) {
          rest.push_back(c);
          continue;
        }
        SolveOutcome o;
        o.verdict = SolveVerdict::kSat;
        o.model = context;
        o.model.dimensions[dim] = c;
        out.emplace(c, std::move(o));
        any = true;
      }
      left = std::move(rest);
      return any;
    };
    auto keep = [&](const smt::Assignment& found) {
      recent_.insert(recent_.begin(), found);
      if (recent_.size() > kRecent) recent_.pop_back();
    };
    for (const smt::Assignment& seed : seeds) {
      if (left.empty()) break;
      if (cover(seed) && first_only) return out;
    }
    for (std::size_t i = 0; i < recent_.size() && !left.empty(); ++i) {
      if (cover(recent_[i]) && first_only) return out;
    }
    // The classes where no values of the other variables satisfy the goal
    // (three-valued evaluation) are "unsat".
    {
      const std::vector<uint32_t> possible =
          smt::ClassesWherePossible(f, full, smt::Assignment(), dim);
      std::vector<uint32_t> rest;
      SolveOutcome no;
      no.verdict = SolveVerdict::kUnsat;
      for (uint32_t c : left) {
        if (std::binary_search(possible.begin(), possible.end(), c)) {
          rest.push_back(c);
        } else {
          out.emplace(c, no);
        }
      }
      left = std::move(rest);
    }
    std::uint64_t budget = options_.search_budget;
    if (options_.rlimit > 0) budget = std::min(budget, options_.rlimit);
    // The goal is compiled for the search once; each round restricts the
    // dimension to the classes left.
    std::optional<smt::CompiledSearch> search;
    while (!left.empty() && budget > 0) {
      if (!search) search.emplace(f, full);
      smt::SearchOutcome found = search->RunWithin(dim, left, budget);
      if (found.verdict == SolveVerdict::kUnknown) break;
      if (found.verdict == SolveVerdict::kUnsat) {
        SolveOutcome o;
        o.verdict = SolveVerdict::kUnsat;
        for (uint32_t c : left) out.emplace(c, o);
        return out;
      }
      keep(found.model);
      if (!cover(found.model)) break;  // not expected: ask one by one
      if (first_only) return out;
    }
    // Class by class; a model found for one class is evaluated on the
    // others too.
    std::size_t asked = 0;
    while (!left.empty() && asked < max_class_questions_) {
      if (defer_after > 0 && asked >= defer_after &&
          std::any_of(out.begin(), out.end(), [](const auto& o) {
            return o.second.verdict == SolveVerdict::kSat;
          })) {
        break;
      }
      ++asked;
      const uint32_t c = left.front();
      auto found = Decide(residual(c), /*try_recent=*/false);
      if (!found.ok()) return found.status();
      if (found->verdict == SolveVerdict::kSat) {
        smt::Assignment model = found->model;
        model.dimensions[dim] = c;
        if (cover(model)) {
          if (first_only) return out;
          continue;
        }
      }
      out.emplace(c, *found);
      left.erase(left.begin());
      if (first_only && found->verdict == SolveVerdict::kSat) return out;
    }
    return out;
  }

 private:
  // Satisfiable models kept for SatisfiedByRecent.
  static constexpr std::size_t kRecent = 32;

  // "sat", with the model restricted to the query's variables, when one
  // of the recent models (variables it leaves out read as false / class
  // 0) satisfies `query`.
  std::optional<SolveOutcome> SatisfiedByRecent(TermId query) {
    if (recent_.empty()) return std::nullopt;
    std::set<int> dims, vars;
    model_.factory().CollectVariables(query, &dims, &vars);
    for (std::size_t i = 0; i < recent_.size(); ++i) {
      SolveOutcome out;
      out.verdict = SolveVerdict::kSat;
      for (int d : dims) {
        auto v = recent_[i].dimensions.find(d);
        out.model.dimensions[d] =
            v == recent_[i].dimensions.end() ? 0 : v->second;
      }
      for (int b : vars) {
        auto v = recent_[i].bool_vars.find(b);
        out.model.bool_vars[b] = v != recent_[i].bool_vars.end() && v->second;
      }
      if (!smt::EvaluateTerm(model_.factory(), query, out.model)) continue;
      // The model that served goes first.
      std::rotate(recent_.begin(), recent_.begin() + i,
                  recent_.begin() + i + 1);
      return out;
    }
    return std::nullopt;
  }

  RequestModel& model_;
  smt::SolveOptions options_;
  std::size_t max_class_questions_;
  smt::SolverSession session_;
  std::map<TermId, SolveOutcome> cache_;
  std::vector<smt::Assignment> recent_;  // most recently useful first
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
  if (!ra.ok())
    return absl::StrCat("witness replay failed: ", ra.status().message());
  auto rb = SideAllows(b, r);
  if (!rb.ok())
    return absl::StrCat("witness replay failed: ", rb.status().message());
  if (*ra && !*rb) return "";
  return absl::StrCat("internal error: the witness for ", r.action, " on ",
                      r.resource, " does not replay through Evaluate");
}

std::string ResourceOf(const RequestModel& m, const ActionInfo& a,
                       uint32_t cls) {
  return a.wildcard_only() ? "*" : m.ResourceWitness(cls);
}

absl::StatusOr<const ActionInfo*> LookUp(std::string_view name) {
  const ActionInfo* a = FindAction(name);
  if (a == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown DynamoDB action \"", std::string(name), "\""));
  }
  return a;
}

// What a question's model was built from, to build another one (see
// ResolveClasses).
struct Question {
  std::vector<const PolicySet*> sides;
  const AnalysisScope* scope = nullptr;
  const AnalysisOptions* options = nullptr;
  const std::set<std::string>* resource_types = nullptr;
  // False: ResolveOpen builds no resolving model, and decides open classes
  // by moved witnesses alone. For models built with the suggested values
  // (see RequestModel::Build): they already hold, per source, the values
  // the classes' witnesses give, and a resolving model built after them
  // decided no class in the test suites or the benchmarks, yet took
  // minutes on a four-statement set.
  bool resolve = true;
};

struct ClassScan {
  std::vector<uint32_t> reachable;
  std::vector<uint32_t> undecided;
  std::string unknown_reason;
  std::optional<Request> witness;
  std::string witness_problem;
  // Classes the goal leaves open (unsatisfiable, over-approximation
  // satisfiable), for ResolveOpen.
  std::vector<uint32_t> open;
};

// A scan whose open classes ResolveOpen decides: "`a` allows and `b` does
// not" for `action`.
struct OpenScan {
  const ActionInfo* action;
  const PolicySide* a;
  const PolicySide* b;
  bool first_only;
  ClassScan* scan;
};

// Whether a statement can apply to `action` (its Action or NotAction
// names it).
bool StatementApplies(const Statement& st, const std::string& action) {
  bool any = false;
  for (const PolicyString& a : st.actions) {
    if (eval::ActionMatches(a.text, action)) {
      any = true;
      break;
    }
  }
  return any != st.not_action;
}

// `policies` with only the statements `keep` accepts (asked in order);
// every policy stays (an SCP level or boundary left empty still allows
// nothing).
template <typename Keep>
PolicySet FilterStatements(const PolicySet& policies, Keep keep) {
  PolicySet out = policies;
  analysis::ForEachPolicy(out, [&](Policy& p) {
    std::vector<Statement> kept;
    for (Statement& st : p.statements) {
      if (keep(st)) kept.push_back(std::move(st));
    }
    p.statements = std::move(kept);
  });
  return out;
}

// `policies` with only the statements that can apply to `action`.
PolicySet StatementsFor(const PolicySet& policies, const std::string& action) {
  return FilterStatements(policies, [&](const Statement& st) {
    return StatementApplies(st, action);
  });
}

// The sides `a` and `b` with only the statements that can apply to
// `action`; `parts` holds the sets they point to.
std::array<PolicySide, 2> SidesFor(const PolicySide& a, const PolicySide& b,
                                   const std::string& action,
                                   std::array<PolicySet, 2>* parts) {
  std::array<PolicySide, 2> sides = {a, b};
  for (std::size_t i = 0; i < 2; ++i) {
    if (sides[i].kind != PolicySide::Kind::kPolicies) continue;
    (*parts)[i] = StatementsFor(*sides[i].policies, action);
    sides[i].policies = &(*parts)[i];
  }
  return sides;
}

// Open classes of `q`'s scan decided by a witness moved onto them: for
// each, each of `bases` (witnesses of the scan's goal) on the class's
// resource, with the values that resource gives the free sources where
// their variables occur in it (see RequestModel::SourceCandidates),
// replayed through the evaluator; a request that replays is a witness of
// the class. What it does not decide stays open. Much cheaper than a model
// per class, and enough for classes whose requests differ from a witness
// only by resource and sources.
void MoveWitness(const RequestModel& m, const OpenScan& q,
                 const std::vector<Request>& bases) {
  ClassScan& scan = *q.scan;
  if (bases.empty() || q.action->wildcard_only()) return;
  // The replays read only the statements that can apply to the action.
  std::array<PolicySet, 2> parts;
  const std::array<PolicySide, 2> sides =
      SidesFor(*q.a, *q.b, q.action->qualified_name(), &parts);
  // At most this many values per source, and combinations per class.
  constexpr size_t kValues = 4, kCombinations = 32, kBindings = 16;
  std::vector<uint32_t> still;
  for (uint32_t c : scan.open) {
    const std::string& resource = m.ResourceWitness(c);
    // Whether a base moved to `resource` with `values` replays (with the
    // values that follow them, then without, unless `values` is empty).
    auto replays = [&](const std::map<std::string, std::string>& values) {
      for (const Request& base : bases) {
        for (bool follow : {true, false}) {
          if (!follow && values.empty()) break;
          std::optional<Request> r = m.Reseat(base, resource, values, follow);
          if (r && ReplayProblem(sides[0], sides[1], *r).empty()) return true;
        }
      }
      return false;
    };
    bool found = false;
    // First the values under which an entry with variables matches the
    // resource as a whole (the same value at each of a variable's
    // occurrences).
    for (const auto& values : m.ResourceBindings(resource, kBindings)) {
      if ((found = replays(values))) break;
    }
    // Then, per source, its candidate values (see
    // RequestModel::SourceCandidates); the first choice of each leaves it
    // as it is.
    std::vector<std::pair<std::string, std::vector<std::string>>> choices;
    if (!found) {
      for (auto& [source, values] :
           m.SourceCandidates(0, {resource}, /*every_source=*/true)) {
        if (values.empty()) continue;
        if (values.size() > kValues) values.resize(kValues);
        values.insert(values.begin(), std::string());
        choices.emplace_back(source, std::move(values));
      }
    }
    std::vector<size_t> at(choices.size(), 0);
    for (size_t n = 0; n < kCombinations && !found; ++n) {
      std::map<std::string, std::string> values;
      for (size_t i = 0; i < choices.size(); ++i) {
        if (at[i] > 0) values[choices[i].first] = choices[i].second[at[i]];
      }
      found = replays(values);
      // The next combination (odometer); done after the last.
      size_t i = 0;
      while (i < choices.size() && ++at[i] == choices[i].second.size())
        at[i++] = 0;
      if (i == choices.size()) break;
    }
    if (found) {
      scan.reachable.push_back(c);
    } else {
      still.push_back(c);
    }
  }
  scan.open = std::move(still);
}

// Decides the open classes of `scans` (all from the model `m` of
// `question`; none without a question): for each, a request that `a`
// allows and `b` does not, when one exists with the values of the free
// sources that occur in the class's resource where their variables do
// (see RequestModel::Build's seeds). One model, built for the resources
// of every scan's open classes, decides them all with those values among
// the sources' classes; a class left open is undecided, with the
// approximation's reason. With `first_only`, a scan stops at its first
// witness.
absl::Status ResolveOpen(const RequestModel& m, const Question* question,
                         const std::vector<OpenScan>& scans) {
  // At most this many open classes are resolved per scan.
  constexpr size_t kMaxResolved = 64;
  std::vector<std::string> resources;
  std::map<std::string, size_t> resource_index;
  // Per scan, per open class: the index of its resource, or none.
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<std::vector<size_t>> wanted(scans.size());
  const bool exact = question != nullptr && m.decides_free_variables();
  for (size_t s = 0; s < scans.size(); ++s) {
    if (exact && scans[s].scan->witness)
      MoveWitness(m, scans[s], {*scans[s].scan->witness});
    const ClassScan& scan = *scans[s].scan;
    wanted[s].assign(scan.open.size(), kNone);
    if (!exact || scans[s].action->wildcard_only()) continue;
    for (size_t i = 0; i < scan.open.size() && i < kMaxResolved; ++i) {
      std::string r = m.ResourceWitness(scan.open[i]);
      auto [it, fresh] = resource_index.emplace(r, resources.size());
      if (fresh) resources.push_back(std::move(r));
      wanted[s][i] = it->second;
    }
  }
  std::unique_ptr<RequestModel> resolver;
  // The resolving model holds only the statements that can apply to an
  // action it is asked about: a smaller partition, the same answers.
  std::vector<std::string> asked;
  for (size_t s = 0; s < scans.size(); ++s) {
    if (std::any_of(wanted[s].begin(), wanted[s].end(),
                    [](size_t w) { return w != kNone; }))
      asked.push_back(scans[s].action->qualified_name());
  }
  std::vector<PolicySet> filtered;
  std::vector<const PolicySet*> sides;
  if (!resources.empty() && question->resolve) {
    filtered.reserve(question->sides.size());
    for (const PolicySet* p : question->sides) {
      filtered.push_back(FilterStatements(*p, [&](const Statement& st) {
        return std::any_of(
            asked.begin(), asked.end(),
            [&](const std::string& a) { return StatementApplies(st, a); });
      }));
      sides.push_back(&filtered.back());
    }
    auto built = RequestModel::Build(sides, *question->scope, resources,
                                     *question->options,
                                     question->resource_types, resources);
    if (built.ok()) {
      resolver = *std::move(built);
    } else if (built.status().code() != absl::StatusCode::kResourceExhausted) {
      return built.status();
    }
  }
  std::optional<Decider> decider;
  // Each resource's class in the resolver's partition.
  std::vector<uint32_t> class_of;
  if (resolver) {
    decider.emplace(*resolver, *question->options);
    for (const std::string& r : resources) {
      class_of.push_back(
          static_cast<uint32_t>(resolver->resources().ClassOf(r)));
    }
  }
  for (size_t s = 0; s < scans.size(); ++s) {
    const OpenScan& q = scans[s];
    ClassScan& scan = *q.scan;
    std::optional<TermId> goal;
    if (resolver) {
      // The scan's sides, on the resolving model's statements.
      auto in_resolver = [&](const PolicySide& side) {
        for (size_t i = 0; i < question->sides.size(); ++i) {
          if (side.kind == PolicySide::Kind::kPolicies &&
              side.policies == question->sides[i])
            return PolicySide::Of(filtered[i]);
        }
        return side;
      };
      auto ta = resolver->Allowed(in_resolver(*q.a), *q.action);
      auto tb = ta.ok() ? resolver->Allowed(in_resolver(*q.b), *q.action) : ta;
      if (tb.ok())
        goal = resolver->factory().And(*ta, resolver->factory().Not(*tb));
    }
    bool done = false;
    // The witnesses found here (a few), to move onto the classes left.
    constexpr size_t kBases = 4;
    std::vector<Request> bases;
    std::vector<uint32_t> left;
    for (size_t i = 0; i < scan.open.size(); ++i) {
      std::optional<Request> found;
      if (goal && !done && wanted[s][i] != kNone) {
        const std::string& resource = resources[wanted[s][i]];
        const uint32_t cls = class_of[wanted[s][i]];
        auto out = decider->Decide(resolver->factory().FixDimension(
            *goal, resolver->resource_dimension(), cls));
        if (!out.ok()) return out.status();
        if (out->verdict == SolveVerdict::kSat) {
          Request r = resolver->Decode(q.action->qualified_name(), resource,
                                       out->model);
          if (ReplayProblem(*q.a, *q.b, r).empty()) {
            found = std::move(r);
          }
        }
      }
      if (!found) {
        left.push_back(scan.open[i]);
        continue;
      }
      scan.reachable.push_back(scan.open[i]);
      if (bases.size() < kBases) bases.push_back(*found);
      if (!scan.witness && scan.witness_problem.empty())
        scan.witness = std::move(*found);
      if (q.first_only) done = true;
    }
    scan.open = std::move(left);
    if (exact && !done) MoveWitness(m, q, bases);
    for (uint32_t c : scan.open) {
      scan.undecided.push_back(c);
      scan.unknown_reason = m.approximate_reason();
    }
    scan.open.clear();
  }
  return absl::OkStatus();
}

// Deciding free variables, a scan's sweep asks the solver about this many
// classes one by one before it moves its witness onto the classes left
// (see Scan): when the free sources' values follow from the resource
// (`table/${aws:PrincipalTag/tenant}-*`), every class needs a model of its
// own, and one witness moved onto each is much cheaper.
constexpr std::size_t kAskedBeforeMoving = 8;

// Decides every resource class of the action's universe (or stops at the
// first replayed witness when `first_only`).
// With `over` (when the goal is approximate, see
// RequestModel::approximate), an unsatisfiable class is unreachable only
// when the over-approximation `over` is unsatisfiable on it too (see
// RequestModel::AllowedOver), and open otherwise: ResolveOpen decides it.
absl::StatusOr<ClassScan> Scan(RequestModel& m, Decider& decider, TermId goal,
                               const ActionInfo& action, const PolicySide& a,
                               const PolicySide& b, bool first_only,
                               std::optional<TermId> over) {
  ClassScan scan;
  const std::string name = action.qualified_name();
  // Classes the goal leaves open: resolved later (see ResolveOpen).
  std::vector<uint32_t> open;
  // Classes in the same atoms of the goal leave the same residual: fix
  // the dimension once per block.
  const int dim = m.resource_dimension();
  std::uint32_t block_count = 0;
  const std::vector<uint32_t> block =
      smt::SplitIntoBlocks(m.factory().dimension_size(dim),
                           m.factory().AtomsOn(goal, dim), &block_count);
  std::vector<TermId> residuals(block_count, -1);
  const std::vector<uint32_t> universe = m.ResourceUniverse(action);
  // The over-approximation unsatisfiable on every class at once proves
  // each unsatisfiable class unreachable; otherwise (or when the finite
  // search cannot tell: Z3 is not asked, see DecideShortcut) it is asked
  // per block of its own atoms. Its axioms are fixed to the class with
  // it: some tie its tests to the resource, and left to another class
  // they would let a class pass that cannot.
  std::vector<uint32_t> over_block;
  std::vector<int> over_verdicts;
  if (over) {
    auto any = decider.DecideShortcut(
        m.factory().And(*over, m.factory().InClasses(dim, universe)));
    if (!any.ok()) return any.status();
    if (any->verdict == SolveVerdict::kUnsat) {
      over = m.factory().False();
    } else {
      over = m.WithAxioms(*over);
      std::uint32_t over_blocks = 0;
      over_block =
          smt::SplitIntoBlocks(m.factory().dimension_size(dim),
                               m.factory().AtomsOn(*over, dim), &over_blocks);
      over_verdicts.assign(over_blocks, -1);
    }
  }
  auto residual_of = [&](uint32_t c) {
    TermId& residual = residuals[block[c]];
    if (residual < 0) residual = m.factory().FixDimension(goal, dim, c);
    return residual;
  };
  std::size_t asked = 0;
  auto decide = [&](uint32_t cls) -> absl::StatusOr<SolveOutcome> {
    if (m.decides_free_variables() && ++asked > decider.max_class_questions()) {
      SolveOutcome out;
      out.verdict = SolveVerdict::kUnknown;
      out.reason = absl::StrCat(
          "more than ", decider.max_class_questions(),
          " resource classes needed a question each (max_class_questions)");
      return out;
    }
    return decider.Decide(residual_of(cls));
  };
  // Deciding free variables, the goal is large and has about as many
  // blocks as classes: most classes are decided together (see
  // Decider::Sweep), the rest one by one.
  std::map<uint32_t, SolveOutcome> swept;
  std::vector<uint32_t> order = universe;
  if (!m.decides_free_variables() && !first_only) {
    // The default analysis asks the classes one by one, and the first
    // reachable one's model gives the witness. Once there is one and a
    // class needed Z3, the classes left are swept, that model first. A free
    // variable whose values follow from the resource
    // (`table/${aws:username}-*`) makes each class need values of its own: the
    // sweep's search finds them in the whole goal, where the search on one
    // class's residual often gives up and the solver takes tens of milliseconds
    // per class. Classes where no values of the other variables satisfy the
    // goal (one three-valued pass, smt::ClassesWherePossible) are unreachable
    // without a question.
    const std::vector<uint32_t> possible = smt::ClassesWherePossible(
        m.factory(), m.WithAxioms(goal), smt::Assignment(), dim);
    SolveOutcome no;
    no.verdict = SolveVerdict::kUnsat;
    std::size_t i = 0;
    std::vector<smt::Assignment> first;
    bool slow = false;
    while (i < universe.size() && (first.empty() || !slow)) {
      const uint32_t cls = universe[i++];
      if (!std::binary_search(possible.begin(), possible.end(), cls)) {
        swept.emplace(cls, no);
        continue;
      }
      const std::uint64_t calls = decider.solver_calls();
      auto out = decide(cls);
      if (!out.ok()) return out.status();
      slow = decider.solver_calls() > calls;
      if (out->verdict == SolveVerdict::kSat && first.empty()) {
        first.push_back(out->model);
        first.back().dimensions[dim] = cls;
      }
      swept.emplace(cls, *std::move(out));
    }
    if (i < universe.size()) {
      const std::vector<uint32_t> rest(universe.begin() + i, universe.end());
      auto s = decider.Sweep(goal, dim, rest, false, 0, residual_of, first);
      if (!s.ok()) return s.status();
      swept.merge(*s);
    }
  } else if (m.decides_free_variables()) {
    auto s = decider.Sweep(goal, dim, universe, first_only,
                           first_only ? 0 : kAskedBeforeMoving, residual_of);
    if (!s.ok()) return s.status();
    swept = *std::move(s);
    if (first_only) {
      // The classes found reachable first: one is enough.
      std::stable_partition(order.begin(), order.end(), [&](uint32_t c) {
        auto it = swept.find(c);
        return it != swept.end() && it->second.verdict == SolveVerdict::kSat;
      });
    }
  }
  // Records the outcome `out` of class `cls`.
  auto take = [&](uint32_t cls, const SolveOutcome& out) -> absl::Status {
    if (out.verdict == SolveVerdict::kUnknown) {
      scan.undecided.push_back(cls);
      scan.unknown_reason = absl::StrCat("solver: ", out.reason);
      return absl::OkStatus();
    }
    if (out.verdict == SolveVerdict::kUnsat) {
      if (over && m.factory().node(*over).kind != smt::TermKind::kFalse) {
        int& verdict = over_verdicts[over_block[cls]];
        if (verdict < 0) {
          auto proved =
              decider.Decide(m.factory().FixDimension(*over, dim, cls));
          if (!proved.ok()) return proved.status();
          verdict = proved->verdict == SolveVerdict::kUnsat ? 0 : 1;
        }
        if (verdict == 1) open.push_back(cls);
      }
      return absl::OkStatus();
    }
    scan.reachable.push_back(cls);
    if (!scan.witness && scan.witness_problem.empty()) {
      Request r = m.Decode(name, ResourceOf(m, action, cls), out.model);
      std::string problem = ReplayProblem(a, b, r);
      if (problem.empty()) {
        scan.witness = std::move(r);
      } else {
        scan.witness_problem = problem;
      }
    }
    return absl::OkStatus();
  };
  // Classes the sweep left undecided (see Decider::Sweep's `defer_after`).
  std::vector<uint32_t> deferred;
  for (uint32_t cls : order) {
    absl::StatusOr<SolveOutcome> out;
    if (auto it = swept.find(cls); it != swept.end()) {
      out = it->second;
    } else if (m.decides_free_variables() && !first_only) {
      deferred.push_back(cls);
      continue;
    } else {
      out = decide(cls);
    }
    if (!out.ok()) return out.status();
    if (absl::Status s = take(cls, *out); !s.ok()) return s;
    if (first_only && (scan.witness || !scan.witness_problem.empty())) break;
  }
  // The deferred classes: the witness moved onto them (see MoveWitness)
  // where it replays there, the solver on the others.
  if (!deferred.empty() && scan.witness) {
    // The bases: the witness, and a few more of the swept models (they
    // differ in the values a move keeps, e.g. a multivalued key's).
    constexpr std::size_t kBases = 4;
    std::vector<Request> bases = {*scan.witness};
    for (const auto& [cls, out] : swept) {
      if (bases.size() >= kBases) break;
      if (out.verdict != SolveVerdict::kSat) continue;
      Request r = m.Decode(name, ResourceOf(m, action, cls), out.model);
      if (ReplayProblem(a, b, r).empty()) bases.push_back(std::move(r));
    }
    scan.open = std::move(deferred);
    MoveWitness(m, OpenScan{&action, &a, &b, first_only, &scan}, bases);
    deferred = std::move(scan.open);
    scan.open.clear();
  }
  for (uint32_t cls : deferred) {
    auto out = decide(cls);
    if (!out.ok()) return out.status();
    if (absl::Status s = take(cls, *out); !s.ok()) return s;
  }
  if (!first_only || (!scan.witness && scan.witness_problem.empty()))
    scan.open = std::move(open);
  return scan;
}

// When `approximate`, the over-approximation of "`a` allows and `b` does
// not" (see RequestModel::AllowedOver), true when it cannot be built;
// otherwise none.
std::optional<TermId> OverGoal(RequestModel& m, bool approximate,
                               const PolicySide& a, const PolicySide& b,
                               const ActionInfo& action) {
  if (!approximate) return std::nullopt;
  if (!m.decides_free_variables()) return m.factory().True();
  auto ta = m.AllowedOver(a, action);
  auto tb = m.AllowedOver(b, action);
  if (!ta.ok() || !tb.ok()) return m.factory().True();
  return m.factory().And(*ta, m.factory().Not(*tb));
}

bool Contains(const std::vector<uint32_t>& v, uint32_t x) {
  return std::binary_search(v.begin(), v.end(), x);
}

// The resource patterns written in the policies, with how many classes of
// the whole partition each names; built once per model.
struct WrittenPatterns {
  std::vector<std::pair<std::string, std::size_t>> raw;
  std::vector<std::size_t> total;
};

WrittenPatterns IndexWrittenPatterns(const RequestModel& m) {
  WrittenPatterns w;
  w.raw = m.RawPatterns();
  // Classes per pattern, counted from each class's signature words (one
  // pass over the set bits instead of a test per pattern and class).
  std::vector<std::size_t> classes_in(m.resources().patterns().size(), 0);
  for (std::size_t c = 0; c < m.resources().size(); ++c) {
    const smt::Signature& members = m.resources().at(c).members;
    for (std::size_t word = 0; word < members.size(); ++word) {
      for (std::uint64_t bits = members[word]; bits != 0; bits &= bits - 1) {
        const std::size_t p = word * 64 + absl::countr_zero(bits);
        if (p < classes_in.size()) ++classes_in[p];
      }
    }
  }
  w.total.reserve(w.raw.size());
  for (const auto& [text, pattern] : w.raw)
    w.total.push_back(classes_in[pattern]);
  return w;
}

// Describes the reachable classes of each resource type as written
// patterns (the union) minus written exceptions, greedily: first patterns
// that name no unreachable class of the type, then the larger gain, then
// fewer unreachable classes, then the more specific pattern (fewer classes
// in the whole partition, so a scope does not turn "table/shop-*" into
// "table/*").
std::vector<ResourceSummary> Summarize(const RequestModel& m,
                                       const WrittenPatterns& written,
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
  const auto& raw = written.raw;
  const std::size_t none = raw.size();
  for (const analysis::ResourceShape& shape : m.Shapes(action)) {
    std::vector<uint32_t> in_type;
    std::vector<char> reach;
    for (uint32_t c : universe) {
      if (!m.resources().InPattern(c, shape.pattern)) continue;
      in_type.push_back(c);
      reach.push_back(Contains(reachable, c));
    }
    std::size_t uncovered_count = 0;
    for (char r : reach) uncovered_count += r;
    if (uncovered_count == 0) continue;
    // Positions in in_type each written pattern names, and how many of
    // them are unreachable.
    std::vector<std::vector<std::size_t>> cover(raw.size());
    std::vector<std::size_t> dirty(raw.size(), 0);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      for (std::size_t j = 0; j < in_type.size(); ++j) {
        if (!m.resources().InPattern(in_type[j], raw[i].second)) continue;
        cover[i].push_back(j);
        dirty[i] += !reach[j];
      }
    }
    ResourceSummary s;
    s.resource_type = shape.resource_type;
    std::vector<char> uncovered = reach;
    std::vector<char> in_union(in_type.size(), 0);
    while (uncovered_count > 0) {
      std::size_t best = none, best_gain = 0;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        std::size_t gain = 0;
        for (std::size_t j : cover[i]) gain += uncovered[j];
        if (gain == 0) continue;
        bool better;
        if (best == none) {
          better = true;
        } else if ((dirty[i] == 0) != (dirty[best] == 0)) {
          better = dirty[i] == 0;
        } else if (gain != best_gain) {
          better = gain > best_gain;
        } else if (dirty[i] != dirty[best]) {
          better = dirty[i] < dirty[best];
        } else {
          better = written.total[i] < written.total[best];
        }
        if (better) {
          best = i;
          best_gain = gain;
        }
      }
      if (best == none) {
        s.patterns.push_back(shape.display);
        std::fill(in_union.begin(), in_union.end(), 1);
        break;
      }
      s.patterns.push_back(raw[best].first == "*" ? shape.display
                                                  : raw[best].first);
      for (std::size_t j : cover[best]) {
        in_union[j] = 1;
        if (uncovered[j]) {
          uncovered[j] = 0;
          --uncovered_count;
        }
      }
    }
    // Exceptions: written patterns that name only unreachable classes of
    // the union.
    std::vector<char> excluded(in_type.size(), 0);
    std::size_t excluded_count = 0;
    for (std::size_t j = 0; j < in_type.size(); ++j) {
      if (in_union[j] && !reach[j]) {
        excluded[j] = 1;
        ++excluded_count;
      }
    }
    while (excluded_count > 0) {
      std::size_t best = none, best_gain = 0;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        std::size_t gain = 0;
        bool clean = true;
        for (std::size_t j : cover[i]) {
          if (!in_union[j]) continue;
          if (reach[j]) {
            clean = false;
            break;
          }
          gain += excluded[j];
        }
        if (clean && gain > best_gain) {
          best_gain = gain;
          best = i;
        }
      }
      if (best == none) break;
      s.except.push_back(raw[best].first);
      for (std::size_t j : cover[best]) {
        if (excluded[j]) {
          excluded[j] = 0;
          --excluded_count;
        }
      }
    }
    for (std::size_t j = 0; j < in_type.size() && s.examples.size() < 10; ++j) {
      if (reach[j]) s.examples.push_back(m.ResourceWitness(in_type[j]));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// The actions a question ranges over: scope.actions, or the whole catalog.
absl::StatusOr<std::vector<const ActionInfo*>> ActionsInScope(
    const AnalysisScope& scope) {
  std::vector<const ActionInfo*> actions;
  if (scope.actions.empty()) {
    for (const ActionInfo& a : DynamoDbActions()) actions.push_back(&a);
    return actions;
  }
  for (const std::string& name : scope.actions) {
    auto a = LookUp(name);
    if (!a.ok()) return a.status();
    actions.push_back(*a);
  }
  return actions;
}

// What a class scan says about one action (or one direction of a
// difference): yes with a witness and the resource summary, no, or unknown
// with the reason. Sorts the scan's class lists.
struct Conclusion {
  Answer answer = Answer::kUnknown;
  std::optional<Request> witness;
  std::vector<ResourceSummary> resources;
  std::string reason;
};

Conclusion Conclude(const RequestModel& m, const WrittenPatterns& written,
                    const ActionInfo& action, ClassScan& scan) {
  std::sort(scan.reachable.begin(), scan.reachable.end());
  std::sort(scan.undecided.begin(), scan.undecided.end());
  Conclusion c;
  if (!scan.witness_problem.empty()) {
    c.reason = scan.witness_problem;
  } else if (scan.witness) {
    c.answer = Answer::kYes;
    c.witness = std::move(scan.witness);
    c.resources = Summarize(m, written, action, scan.reachable);
    if (!scan.undecided.empty()) {
      c.reason = absl::StrCat(
          "resource summary incomplete: ", scan.undecided.size(),
          " resource classes undecided (", scan.unknown_reason, ")");
    }
  } else if (!scan.undecided.empty()) {
    c.reason = scan.unknown_reason;
  } else {
    c.answer = Answer::kNo;
  }
  return c;
}

// Statements (over every policy of a set) and resource classes up to
// which Reachable tries one model for every action before it splits the
// set by action. Deciding free variables, the one model may have more
// classes: split by action, each model's resource entries with free
// variables get values of their own, and its classes often need a search
// each. On the wildcard-heavy set of 50 statements the one model has 2,814
// classes and decides the 28 actions left in 0.4 s; split, the models have
// up to 2,614 classes each, CreateBackup's 2,079 in its table shape alone
// (553 in the one model), and take 4 s.
constexpr std::size_t kSmallPolicySet = 64;
constexpr std::size_t kSmallModel = 2048;
constexpr std::size_t kSmallExactModel = 4096;

// Reachable for `actions` (those of scope.actions) with one model;
// Aborted when the resource abstraction has more than `max_classes`
// classes.
absl::StatusOr<ReachReport> ReachableInOneModel(
    const PolicySet& policies, const AnalysisScope& scope,
    const AnalysisOptions& options,
    const std::vector<const ActionInfo*>& actions, std::size_t max_classes,
    bool suggest);

absl::StatusOr<ReachReport> ReachableByGroups(
    const PolicySet& policies, const AnalysisScope& scope,
    const AnalysisOptions& options,
    const std::vector<const ActionInfo*>& actions, bool suggest,
    bool by_resource_types = false);

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

namespace {

// The default analysis's options when `options` decide free variables:
// it is much cheaper, and exact where it decides (see Reachable), so the
// free variables' models are built only for what it leaves undecided.
std::optional<AnalysisOptions> QuickFirst(const AnalysisOptions& options) {
  if (!options.decide_free_variables) return std::nullopt;
  AnalysisOptions quick = options;
  quick.decide_free_variables = false;
  return quick;
}

// The exact passes after QuickFirst's answers `answers` (each with its
// `action`): `redo(scope, suggest)` for the actions `undecided` says,
// first without the values the models' own witnesses suggest (see
// RequestModel::Build), then with them for the actions still undecided;
// each answer it gives replaces the one before.
template <typename Item, typename Undecided, typename Redo>
absl::Status RedoUndecided(std::vector<Item>& answers,
                           const AnalysisScope& scope, Undecided undecided,
                           Redo redo) {
  for (const bool suggest : {false, true}) {
    AnalysisScope rest = scope;
    rest.actions.clear();
    for (const Item& a : answers) {
      if (undecided(a)) rest.actions.push_back(a.action);
    }
    if (rest.actions.empty()) return absl::OkStatus();
    auto exact = redo(rest, suggest);
    if (!exact.ok()) return exact.status();
    std::map<std::string, Item*> by_name;
    for (Item& a : answers) by_name[a.action] = &a;
    for (Item& a : *exact) {
      auto it = by_name.find(a.action);
      if (it != by_name.end()) *it->second = std::move(a);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DifferenceResult> FindAllowedDifferenceWith(
    const PolicySide& a, const PolicySide& b, std::string_view action_name,
    const AnalysisScope& scope, const AnalysisOptions& options);

}  // namespace

absl::StatusOr<DifferenceResult> FindAllowedDifference(
    const PolicySide& a, const PolicySide& b, std::string_view action_name,
    const AnalysisScope& scope, const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return FindAllowedDifference(a, b, action_name, scope,
                                 analysis::WithQuestionCount(options));
  if (const auto quick = QuickFirst(options)) {
    auto d = FindAllowedDifferenceWith(a, b, action_name, scope, *quick);
    if (d.ok() && d->answer != Answer::kUnknown) return d;
  }
  return FindAllowedDifferenceWith(a, b, action_name, scope, options);
}

namespace {

absl::StatusOr<DifferenceResult> FindAllowedDifferenceWith(
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
    if (t->status().code() != absl::StatusCode::kUnimplemented)
      return t->status();
    result.answer = Answer::kUnknown;
    result.reason = std::string(t->status().message());
    return result;
  }
  TermId goal = m.factory().And(*ta, m.factory().Not(*tb));
  Decider decider(m, options);
  const Question question{sides, &scope, &options, nullptr};
  auto scan = Scan(m, decider, goal, **action, a, b, /*first_only=*/true,
                   OverGoal(m, approximate, a, b, **action));
  if (!scan.ok()) return scan.status();
  if (absl::Status s =
          ResolveOpen(m, &question, {{*action, &a, &b, true, &*scan}});
      !s.ok()) {
    return s;
  }
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

// Reachable with the models `options` build, for every action of the scope;
// `suggest`: see RequestModel::Build.
absl::StatusOr<ReachReport> ReachableEveryAction(const PolicySet& policies,
                                                 const AnalysisScope& scope,
                                                 const AnalysisOptions& options,
                                                 bool suggest = true) {
  auto actions = ActionsInScope(scope);
  if (!actions.ok()) return actions.status();
  // One model for every action when the set is small and so is its
  // abstraction: the fastest way for the policies most roles hold.
  std::size_t statements = 0;
  analysis::ForEachPolicy(
      policies, [&](const Policy& p) { statements += p.statements.size(); });
  if (statements <= kSmallPolicySet) {
    auto whole = ReachableInOneModel(
        policies, scope, options, *actions,
        options.decide_free_variables ? kSmallExactModel : kSmallModel,
        suggest);
    if (whole.ok() ||
        (whole.status().code() != absl::StatusCode::kResourceExhausted &&
         whole.status().code() != absl::StatusCode::kAborted)) {
      return whole;
    }
  }
  return ReachableByGroups(policies, scope, options, *actions, suggest);
}

// Which statements of `policies` can apply to `action`, and with
// `by_resource_types`, the action's resource types: actions with the same
// key share a model in ReachableByGroups.
using GroupKey = std::pair<std::vector<bool>, std::vector<std::string>>;
GroupKey GroupKeyOf(const PolicySet& policies, const ActionInfo& action,
                    bool by_resource_types) {
  GroupKey key;
  const std::string name = action.qualified_name();
  analysis::ForEachPolicy(policies, [&](const Policy& p) {
    for (const Statement& st : p.statements)
      key.first.push_back(StatementApplies(st, name));
  });
  if (by_resource_types) {
    for (const ActionResource& r : action.resources)
      key.second.emplace_back(r.resource_type);
    std::sort(key.second.begin(), key.second.end());
  }
  return key;
}

// Reachable for `actions` (those of scope.actions) with one model per set
// of statements that can apply: the abstraction is built only from the
// patterns those statements write, so a large policy set is split into the
// (much smaller) parts each action sees. Actions that see the same
// statements share a model; with `by_resource_types`, only when they also
// have the same resource types: a model for more types has more resource
// classes, and past its bounds a free variable's values are approximate.
absl::StatusOr<ReachReport> ReachableByGroups(
    const PolicySet& policies, const AnalysisScope& scope,
    const AnalysisOptions& options,
    const std::vector<const ActionInfo*>& actions, bool suggest,
    bool by_resource_types) {
  std::map<GroupKey, std::pair<PolicySet, std::vector<const ActionInfo*>>>
      groups;
  for (const ActionInfo* action : actions) {
    GroupKey key = GroupKeyOf(policies, *action, by_resource_types);
    auto it = groups.find(key);
    if (it == groups.end()) {
      it = groups
               .emplace(std::move(key),
                        std::make_pair(
                            StatementsFor(policies, action->qualified_name()),
                            std::vector<const ActionInfo*>{}))
               .first;
    }
    it->second.second.push_back(action);
  }
  std::map<const ActionInfo*, ActionReach> answers;
  for (auto& [signature, group] : groups) {
    AnalysisScope group_scope = scope;
    group_scope.actions.clear();
    for (const ActionInfo* a : group.second)
      group_scope.actions.push_back(a->qualified_name());
    auto part =
        ReachableInOneModel(group.first, group_scope, options, group.second,
                            std::numeric_limits<std::size_t>::max(), suggest);
    if (!part.ok()) return part.status();
    for (std::size_t i = 0; i < group.second.size(); ++i) {
      answers[group.second[i]] = std::move(part->actions[i]);
    }
  }
  ReachReport report;
  for (const ActionInfo* action : actions)
    report.actions.push_back(std::move(answers[action]));
  return report;
}

// Whether the first pass is all but sure to leave `action` undecided, so
// that the exact models are cheaper without it: the Resource and
// NotResource entries of the statements that can apply to it name two or
// more policy variables outside `fixed` (the keys, lower case, the scope
// and its principal fix; two free variables in Resource entries are
// beyond the first pass). A wrong guess costs time, never an answer:
// without free variables, the exact models are the first pass's.
bool FirstPassUndecided(const std::vector<const PolicySet*>& sets,
                        const std::set<std::string>& fixed,
                        const ActionInfo& action) {
  const std::string name = action.qualified_name();
  std::set<std::string> free;
  for (const PolicySet* policies : sets) {
    analysis::ForEachPolicy(*policies, [&](const Policy& p) {
      for (const Statement& st : p.statements) {
        if (!StatementApplies(st, name)) continue;
        for (const PolicyString& r : st.resources) {
          for (const analysis::VariableUse& v : analysis::VariablesIn(r.text)) {
            const std::string key = absl::AsciiStrToLower(v.key);
            if (key != "*" && key != "?" && key != "$" && !fixed.count(key))
              free.insert(key);
          }
        }
      }
    });
  }
  return free.size() >= 2;
}

// The first pass's answers (`first(sub_scope)`, in the order of the
// sub-scope's actions) for the actions of `scope` it may decide, and an
// undecided Item for each action FirstPassUndecided says it cannot, in
// the order of the scope's actions. Without such actions, `first(scope)`.
template <typename Item, typename First>
absl::StatusOr<std::vector<Item>> FirstPass(
    const std::vector<const PolicySet*>& sets, const AnalysisScope& scope,
    First first) {
  auto in_scope = ActionsInScope(scope);
  if (!in_scope.ok()) return in_scope.status();
  std::set<std::string> fixed;
  for (const auto& [key, values] : analysis::WithPrincipalFacts(sets, scope))
    fixed.insert(absl::AsciiStrToLower(key));
  AnalysisScope first_scope = scope;
  first_scope.actions.clear();
  bool skipped = false;
  for (const ActionInfo* a : *in_scope) {
    if (FirstPassUndecided(sets, fixed, *a)) {
      skipped = true;
    } else {
      first_scope.actions.push_back(a->qualified_name());
    }
  }
  if (!skipped) return first(scope);
  std::map<std::string, Item> by_name;
  if (!first_scope.actions.empty()) {
    auto answers = first(first_scope);
    if (!answers.ok()) return answers.status();
    for (Item& item : *answers) by_name.emplace(item.action, std::move(item));
  }
  std::vector<Item> out;
  for (const ActionInfo* a : *in_scope) {
    auto it = by_name.find(a->qualified_name());
    if (it != by_name.end()) {
      out.push_back(it->second);
    } else {
      Item undecided;
      undecided.action = a->qualified_name();
      out.push_back(std::move(undecided));
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<ReachReport> Reachable(const PolicySet& policies,
                                      const AnalysisScope& scope,
                                      const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return Reachable(policies, scope, analysis::WithQuestionCount(options));
  // Deciding free variables costs extra models and larger terms; the
  // default analysis decides most actions in a fraction of that time, and
  // its answers are exact where it gives them (a "yes" has a replayed
  // witness, a "no" is proved). So the exact models are built only for the
  // actions it leaves undecided, in whole or in part: first without the
  // values the models' own witnesses suggest (see RequestModel::Build),
  // which are several times as costly and needed by few, then with them
  // for the actions still undecided.
  const auto quick = QuickFirst(options);
  if (!quick) return ReachableEveryAction(policies, scope, options);
  // The actions the first pass would leave undecided skip it (they are
  // "unknown" until the exact passes below decide them).
  auto first = FirstPass<ActionReach>(
      {&policies}, scope,
      [&](const AnalysisScope& s) -> absl::StatusOr<std::vector<ActionReach>> {
        auto r = ReachableEveryAction(policies, s, *quick);
        if (!r.ok()) return r.status();
        return std::move(r->actions);
      });
  if (!first.ok()) return ReachableEveryAction(policies, scope, options);
  absl::StatusOr<ReachReport> report = ReachReport{std::move(*first)};
  auto undecided = [](const ActionReach& ar) {
    return ar.reachable == Answer::kUnknown || !ar.reason.empty();
  };
  absl::Status exact = RedoUndecided(
      report->actions, scope, undecided,
      [&](const AnalysisScope& rest,
          bool suggest) -> absl::StatusOr<std::vector<ActionReach>> {
        auto r = ReachableEveryAction(policies, rest, options, suggest);
        if (!r.ok()) return r.status();
        return std::move(r->actions);
      });
  if (!exact.ok()) return exact;
  // A small set is decided in one model for every action, where a free
  // variable is exact only if every statement uses it in a shape the exact
  // models cover: one action's ${aws:username} in a condition value leaves
  // it approximate for an action whose statements use it in Resource
  // entries only. A large set's models are shared by the actions that see
  // the same statements, whatever their resource types: the classes of the
  // other types can take a variable past its bounds. What that leaves
  // undecided goes to models of the statements each action sees, for its
  // own resource types (ReachableByGroups); a decided answer replaces the
  // one before.
  std::size_t statements = 0;
  analysis::ForEachPolicy(
      policies, [&](const Policy& p) { statements += p.statements.size(); });
  const bool small = statements <= kSmallPolicySet;
  exact = RedoUndecided(
      report->actions, scope, undecided,
      [&](const AnalysisScope& rest,
          bool suggest) -> absl::StatusOr<std::vector<ActionReach>> {
        auto actions = ActionsInScope(rest);
        if (!actions.ok()) return actions.status();
        // Only the actions whose model would differ from the last one.
        std::vector<const ActionInfo*> redo;
        std::map<std::vector<bool>, std::size_t> coarse;
        std::map<GroupKey, std::size_t> fine;
        std::vector<GroupKey> keys;
        for (const ActionInfo* a : *actions) {
          keys.push_back(GroupKeyOf(policies, *a, /*by_resource_types=*/true));
          ++coarse[keys.back().first];
          ++fine[keys.back()];
        }
        for (std::size_t i = 0; i < actions->size(); ++i) {
          if (small || fine[keys[i]] < coarse[keys[i].first])
            redo.push_back((*actions)[i]);
        }
        if (redo.empty()) return std::vector<ActionReach>();
        AnalysisScope sub = rest;
        sub.actions.clear();
        for (const ActionInfo* a : redo)
          sub.actions.push_back(a->qualified_name());
        auto r = ReachableByGroups(policies, sub, options, redo, suggest,
                                   /*by_resource_types=*/true);
        if (!r.ok()) return r.status();
        std::vector<ActionReach> decided;
        for (ActionReach& ar : r->actions) {
          if (!undecided(ar)) decided.push_back(std::move(ar));
        }
        return decided;
      });
  if (!exact.ok()) return exact;
  return report;
}

namespace {

absl::StatusOr<ReachReport> ReachableInOneModel(
    const PolicySet& policies, const AnalysisScope& scope,
    const AnalysisOptions& options,
    const std::vector<const ActionInfo*>& actions, std::size_t max_classes,
    bool suggest) {
  std::set<std::string> types;
  for (const ActionInfo* a : actions) {
    for (const ActionResource& r : a->resources)
      types.insert(std::string(r.resource_type));
  }
  auto model =
      RequestModel::Build({&policies}, scope, {}, options, &types, {}, suggest);
  if (!model.ok()) return model.status();
  RequestModel& m = **model;
  if (m.resources().size() > max_classes) {
    return absl::AbortedError("resource abstraction larger than wanted");
  }
  Decider decider(m, options);
  const PolicySide side = PolicySide::Of(policies);
  const WrittenPatterns written = IndexWrittenPatterns(m);
  const Question question{{&policies},
                          &scope,
                          &options,
                          &types,
                          /*resolve=*/!suggest};
  const PolicySide deny_all = PolicySide::DenyAll();
  // Every action's classes first; the classes they leave open are then
  // resolved together, in one model (see ResolveOpen).
  ReachReport report;
  std::vector<std::optional<ClassScan>> scans(actions.size());
  std::vector<OpenScan> open;
  for (size_t i = 0; i < actions.size(); ++i) {
    const ActionInfo* action = actions[i];
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
    auto scan = Scan(m, decider, *goal, *action, side, deny_all,
                     /*first_only=*/false,
                     OverGoal(m, m.approximate(), side, deny_all, *action));
    if (!scan.ok()) return scan.status();
    scans[i] = *std::move(scan);
    if (!scans[i]->open.empty())
      open.push_back({action, &side, &deny_all, false, &*scans[i]});
    report.actions.push_back(std::move(ar));
  }
  if (absl::Status s = ResolveOpen(m, &question, open); !s.ok()) return s;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (!scans[i]) continue;
    const ActionInfo* action = actions[i];
    ClassScan* scan = &*scans[i];
    ActionReach& ar = report.actions[i];
    Conclusion c = Conclude(m, written, *action, *scan);
    ar.reachable = c.answer;
    ar.witness = std::move(c.witness);
    ar.resources = std::move(c.resources);
    ar.reason = std::move(c.reason);
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
  }
  return report;
}

}  // namespace

namespace {

absl::StatusOr<AllowsResult> AllowsWith(const PolicySet& policies,
                                        std::string_view action_name,
                                        std::string_view resource,
                                        const AnalysisScope& scope,
                                        const AnalysisOptions& options);

}  // namespace

absl::StatusOr<AllowsResult> Allows(const PolicySet& policies,
                                    std::string_view action_name,
                                    std::string_view resource,
                                    const AnalysisScope& scope,
                                    const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return Allows(policies, action_name, resource, scope,
                  analysis::WithQuestionCount(options));
  if (const auto quick = QuickFirst(options)) {
    auto r = AllowsWith(policies, action_name, resource, scope, *quick);
    if (r.ok() && r->answer != Answer::kUnknown) return r;
  }
  return AllowsWith(policies, action_name, resource, scope, options);
}

namespace {

absl::StatusOr<AllowsResult> AllowsWith(const PolicySet& policies,
                                        std::string_view action_name,
                                        std::string_view resource,
                                        const AnalysisScope& scope,
                                        const AnalysisOptions& options) {
  auto action = LookUp(action_name);
  if (!action.ok()) return action.status();
  if (resource.empty()) return absl::InvalidArgumentError("empty resource");
  auto model =
      RequestModel::Build({&policies}, scope, {std::string(resource)}, options);
  if (!model.ok()) return model.status();
  RequestModel& m = **model;
  AllowsResult result;
  auto goal = m.Allowed(PolicySide::Of(policies), **action);
  if (!goal.ok()) {
    if (goal.status().code() != absl::StatusCode::kUnimplemented)
      return goal.status();
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
  // Only the source's class witnesses were tried: "never" and "always"
  // are proven by the over-approximation alone.
  bool unproved = false;
  if (m.approximate() && (yes->verdict == SolveVerdict::kUnsat ||
                          no->verdict == SolveVerdict::kUnsat)) {
    const std::string reason = m.approximate_reason();
    auto over = m.AllowedOver(side, **action);
    unproved = !over.ok() || !m.decides_free_variables();
    if (over.ok()) {
      const TermId o =
          m.factory().FixDimension(*over, m.resource_dimension(), cls);
      for (const auto& [verdict, t] :
           {std::pair{yes->verdict, o},
            std::pair{no->verdict, m.factory().Not(o)}}) {
        if (verdict != SolveVerdict::kUnsat) continue;
        auto proved = decider.Decide(t);
        if (!proved.ok()) return proved.status();
        unproved |= proved->verdict != SolveVerdict::kUnsat;
      }
    }
    if (unproved) result.reason = reason;
  }
  if (unproved) {
    // result.reason says why
  } else if (yes->verdict == SolveVerdict::kUnsat) {
    result.answer = Answer::kNo;
  } else if (no->verdict == SolveVerdict::kUnsat &&
             yes->verdict == SolveVerdict::kSat) {
    result.answer = Answer::kYes;
  } else if (yes->verdict == SolveVerdict::kSat &&
             no->verdict == SolveVerdict::kSat) {
    result.answer = Answer::kYes;
    result.conditional = true;
    result.only_if = m.factory().Render(allowed);
  } else {
    result.reason = absl::StrCat(
        "solver: ",
        yes->verdict == SolveVerdict::kUnknown ? yes->reason : no->reason);
  }
  return result;
}

}  // namespace

const std::vector<std::string>& ItemLevelActions() {
  // Reads of every item first: their witness shows the worst leak.
  static const auto* actions = new std::vector<std::string>{
      "dynamodb:Scan",           "dynamodb:PartiQLSelect",
      "dynamodb:Query",          "dynamodb:GetItem",
      "dynamodb:BatchGetItem",   "dynamodb:PutItem",
      "dynamodb:UpdateItem",     "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
      "dynamodb:PartiQLInsert",  "dynamodb:PartiQLUpdate",
      "dynamodb:PartiQLDelete"};
  return *actions;
}

std::string TenantKey(const PolicySet& policies) {
  std::string key;
  auto visit = [&](const Policy& policy) {
    if (!key.empty() || policy.version != "2012-10-17") return;
    for (const Statement& st : policy.statements) {
      for (const Condition& c : st.conditions) {
        if (!absl::EqualsIgnoreCase(c.key, "dynamodb:LeadingKeys")) continue;
        for (const ConditionValue& v : c.values) {
          const std::string& t = v.text;
          if (t.size() < 4 || t.compare(0, 2, "${") != 0 || t.back() != '}' ||
              t.find('}') != t.size() - 1) {
            continue;
          }
          std::string inner = t.substr(2, t.size() - 3);
          inner = std::string(
              absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
          if (inner.empty() || inner == "*" || inner == "?" || inner == "$")
            continue;
          key = inner;
          return;
        }
      }
    }
  };
  for (const Policy& p : policies.identity) visit(p);
  if (policies.session) visit(*policies.session);
  for (const auto& [name, list] : policies.resource) {
    for (const Policy& p : list) visit(p);
  }
  return key;
}

absl::StatusOr<std::vector<TenantIsolation>> CheckTenantIsolation(
    const PolicySet& policies, const AnalysisScope& scope,
    const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return CheckTenantIsolation(policies, scope,
                                analysis::WithQuestionCount(options));
  std::vector<TenantIsolation> out;
  const std::string key = TenantKey(policies);
  if (key.empty()) return out;
  // B: every item-level request whose partition keys are all the caller's.
  PolicySet own_keys;
  {
    Policy p;
    p.kind = PolicyKind::kIdentity;
    p.name = "tenant isolation";
    p.version = "2012-10-17";
    Statement st;
    st.effect = Effect::kAllow;
    st.actions.push_back({"dynamodb:*", {}});
    st.has_resource = true;
    st.resources.push_back({"*", {}});
    Condition subset;
    subset.op = ConditionOperator::kStringEquals;
    subset.op_text = "ForAllValues:StringEquals";
    subset.qualifier = SetQualifier::kForAllValues;
    subset.key = "dynamodb:LeadingKeys";
    subset.values.push_back(ConditionValue{absl::StrCat("${", key, "}")});
    Condition present;
    present.op = ConditionOperator::kNull;
    present.op_text = "Null";
    present.key = "dynamodb:LeadingKeys";
    present.values.push_back(ConditionValue{"false"});
    st.conditions = {subset, present};
    p.statements.push_back(std::move(st));
    own_keys.identity.push_back(std::move(p));
  }
  for (const std::string& table : scope.tables) {
    TenantIsolation t;
    t.table = table;
    t.tenant_key = key;
    AnalysisScope s = scope;
    s.tables = {table};
    s.actions.clear();
    bool undecided = false;
    for (const std::string& action : ItemLevelActions()) {
      auto d =
          FindAllowedDifference(PolicySide::Of(policies),
                                PolicySide::Of(own_keys), action, s, options);
      if (!d.ok()) return d.status();
      if (d->answer == Answer::kYes) {
        t.isolated = Answer::kNo;
        t.witness = std::move(d->witness);
        break;
      }
      if (d->answer == Answer::kUnknown) {
        undecided = true;
        if (t.reason.empty()) t.reason = absl::StrCat(action, ": ", d->reason);
      }
    }
    if (t.isolated != Answer::kNo)
      t.isolated = undecided ? Answer::kUnknown : Answer::kYes;
    if (t.isolated != Answer::kUnknown) t.reason.clear();
    out.push_back(std::move(t));
  }
  return out;
}

namespace analysis {

namespace {

// The differences with the models `options` build; `suggest`: see
// RequestModel::Build.
absl::StatusOr<std::vector<ActionDifferences>> ScanDifferencesWith(
    const PolicySide& before, const PolicySide& after,
    const AnalysisScope& scope, const AnalysisOptions& options,
    bool suggest = true);

bool Decided(const OneWayDifference& d) {
  return d.answer != Answer::kUnknown && d.reason.empty();
}

}  // namespace

AnalysisOptions WithQuestionCount(const AnalysisOptions& options) {
  AnalysisOptions out = options;
  if (out.solver_questions == nullptr)
    out.solver_questions = std::make_shared<std::atomic<std::uint64_t>>(0);
  return out;
}

absl::StatusOr<std::vector<ActionDifferences>> ScanDifferences(
    const PolicySide& before, const PolicySide& after,
    const AnalysisScope& scope, const AnalysisOptions& options) {
  if (options.solver_questions == nullptr)
    return ScanDifferences(before, after, scope, WithQuestionCount(options));
  // As in Reachable: the free variables' models only for the actions the
  // default analysis leaves undecided, first without the suggested values.
  const auto quick = QuickFirst(options);
  if (!quick) return ScanDifferencesWith(before, after, scope, options);
  std::vector<const PolicySet*> sets;
  for (const PolicySide* side : {&before, &after}) {
    if (side->kind == PolicySide::Kind::kPolicies)
      sets.push_back(side->policies);
  }
  auto out =
      FirstPass<ActionDifferences>(sets, scope, [&](const AnalysisScope& s) {
        return ScanDifferencesWith(before, after, s, *quick);
      });
  if (!out.ok()) return ScanDifferencesWith(before, after, scope, options);
  auto undecided = [](const ActionDifferences& d) {
    return !Decided(d.added) || !Decided(d.removed);
  };
  absl::Status exact = RedoUndecided(
      *out, scope, undecided, [&](const AnalysisScope& rest, bool suggest) {
        return ScanDifferencesWith(before, after, rest, options, suggest);
      });
  if (!exact.ok()) return exact;
  // As in Reachable: what the one model of every action leaves undecided,
  // the models of the statements each action sees (on both sides) may
  // decide. Actions that see the same statements and have the same
  // resource types share them.
  if (out->size() < 2) return out;
  std::map<GroupKey, std::vector<std::string>> groups;
  for (const ActionDifferences& d : *out) {
    if (!undecided(d)) continue;
    auto info = LookUp(d.action);
    if (!info.ok()) return info.status();
    GroupKey key;
    for (const PolicySide* side : {&before, &after}) {
      if (side->kind != PolicySide::Kind::kPolicies) continue;
      GroupKey one = GroupKeyOf(*side->policies, **info,
                                /*by_resource_types=*/true);
      key.first.insert(key.first.end(), one.first.begin(), one.first.end());
      key.second = std::move(one.second);
    }
    groups[std::move(key)].push_back(d.action);
  }
  for (const auto& [signature, actions] : groups) {
    std::array<PolicySet, 2> parts;
    const std::array<PolicySide, 2> sides =
        SidesFor(before, after, actions[0], &parts);
    AnalysisScope rest = scope;
    rest.actions = actions;
    std::vector<ActionDifferences> answers;
    for (const std::string& a : actions) answers.push_back({a});
    exact = RedoUndecided(
        answers, rest, undecided, [&](const AnalysisScope& r, bool suggest) {
          return ScanDifferencesWith(sides[0], sides[1], r, options, suggest);
        });
    if (!exact.ok()) return exact;
    std::map<std::string, ActionDifferences*> by_name;
    for (ActionDifferences& d : *out) by_name[d.action] = &d;
    for (ActionDifferences& d : answers) {
      if (!undecided(d)) *by_name.at(d.action) = std::move(d);
    }
  }
  return out;
}

namespace {

absl::StatusOr<std::vector<ActionDifferences>> ScanDifferencesWith(
    const PolicySide& before, const PolicySide& after,
    const AnalysisScope& scope, const AnalysisOptions& options, bool suggest) {
  auto actions = ActionsInScope(scope);
  if (!actions.ok()) return actions.status();
  std::vector<const PolicySet*> sides;
  for (const PolicySide* s : {&before, &after}) {
    if (s->kind == PolicySide::Kind::kPolicies) sides.push_back(s->policies);
  }
  auto model =
      RequestModel::Build(sides, scope, {}, options, nullptr, {}, suggest);
  if (!model.ok()) return model.status();
  RequestModel& m = **model;
  Decider decider(m, options);
  const WrittenPatterns written = IndexWrittenPatterns(m);
  const Question question{sides, &scope, &options, nullptr,
                          /*resolve=*/!suggest};
  // Every action's scans first; the classes they leave open are then
  // resolved together, in one model (see ResolveOpen).
  std::vector<ActionDifferences> out;
  out.reserve(actions->size());
  // Per action, its added and removed scans (none when its terms could
  // not be built).
  std::vector<std::array<std::optional<ClassScan>, 2>> scans(actions->size());
  std::vector<OpenScan> open;
  for (size_t i = 0; i < actions->size(); ++i) {
    const ActionInfo* action = (*actions)[i];
    ActionDifferences d;
    d.action = action->qualified_name();
    auto t_before = m.Allowed(before, *action);
    bool approximate = m.approximate();
    auto t_after = t_before.ok() ? m.Allowed(after, *action) : t_before;
    approximate |= m.approximate();
    std::string unimplemented;
    for (const auto* t : {&t_before, &t_after}) {
      if (t->ok()) continue;
      if (t->status().code() != absl::StatusCode::kUnimplemented) {
        return t->status();
      }
      unimplemented = std::string(t->status().message());
    }
    out.push_back(std::move(d));
    if (!unimplemented.empty()) {
      out.back().added.reason = unimplemented;
      out.back().removed.reason = unimplemented;
      continue;
    }
    // Added: after allows, before does not; removed: the other way.
    const TermId goals[2] = {
        m.factory().And(*t_after, m.factory().Not(*t_before)),
        m.factory().And(*t_before, m.factory().Not(*t_after))};
    for (int dir = 0; dir < 2; ++dir) {
      const PolicySide* allows = dir == 0 ? &after : &before;
      const PolicySide* denies = dir == 0 ? &before : &after;
      auto scan = Scan(m, decider, goals[dir], *action, *allows, *denies,
                       /*first_only=*/false,
                       OverGoal(m, approximate, *allows, *denies, *action));
      if (!scan.ok()) return scan.status();
      scans[i][dir] = *std::move(scan);
      if (!scans[i][dir]->open.empty())
        open.push_back({action, allows, denies, false, &*scans[i][dir]});
    }
  }
  if (absl::Status s = ResolveOpen(m, &question, open); !s.ok()) return s;
  for (size_t i = 0; i < actions->size(); ++i) {
    for (int dir = 0; dir < 2; ++dir) {
      if (!scans[i][dir]) continue;
      OneWayDifference& r = dir == 0 ? out[i].added : out[i].removed;
      Conclusion c = Conclude(m, written, *(*actions)[i], *scans[i][dir]);
      r.answer = c.answer;
      r.witness = std::move(c.witness);
      r.resources = std::move(c.resources);
      r.reason = std::move(c.reason);
    }
  }
  return out;
}

}  // namespace

}  // namespace analysis

}  // namespace leastpriv
