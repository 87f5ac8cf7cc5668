// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/encoder.h"

#include <z3++.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/smt/finite_search.h"

namespace leastpriv::smt {
namespace {

std::atomic<std::uint64_t> solver_calls{0};
std::atomic<std::uint64_t> search_decided{0};

unsigned BitsFor(std::uint32_t size) {
  unsigned bits = 1;
  while ((std::uint64_t{1} << bits) < size) ++bits;
  return bits;
}

class Encoder {
 public:
  Encoder(const TermFactory& f, z3::context& ctx) : f_(f), ctx_(ctx) {}

  z3::expr Encode(TermId t) {
    auto it = memo_.find(t);
    if (it != memo_.end()) return it->second;
    const TermNode& n = f_.node(t);
    z3::expr e = ctx_.bool_val(true);
    switch (n.kind) {
      case TermKind::kTrue:
        e = ctx_.bool_val(true);
        break;
      case TermKind::kFalse:
        e = ctx_.bool_val(false);
        break;
      case TermKind::kBoolVar:
        e = Var(n.var);
        break;
      case TermKind::kInClasses: {
        z3::expr d = Dim(n.var);
        const std::uint32_t size = f_.dimension_size(n.var);
        const unsigned bits = BitsFor(size);
        bool complement = n.classes.size() * 2 > size;
        z3::expr_vector alts(ctx_);
        if (!complement) {
          for (std::uint32_t c : n.classes)
            alts.push_back(d == ctx_.bv_val(c, bits));
          e = z3::mk_or(alts);
        } else {
          std::size_t j = 0;
          for (std::uint32_t c = 0; c < size; ++c) {
            if (j < n.classes.size() && n.classes[j] == c) {
              ++j;
              continue;
            }
            alts.push_back(d != ctx_.bv_val(c, bits));
          }
          e = z3::mk_and(alts);
        }
        break;
      }
      case TermKind::kNot:
        e = !Encode(n.kids[0]);
        break;
      case TermKind::kAnd:
      case TermKind::kOr: {
        z3::expr_vector v(ctx_);
        for (TermId k : n.kids) v.push_back(Encode(k));
        e = n.kind == TermKind::kAnd ? z3::mk_and(v) : z3::mk_or(v);
        break;
      }
      case TermKind::kLabel:
        e = Encode(n.kids[0]);
        break;
    }
    memo_.emplace(t, e);
    return e;
  }

  z3::expr Var(int v) {
    auto it = vars_.find(v);
    if (it != vars_.end()) return it->second;
    z3::expr e = ctx_.bool_const(absl::StrCat("b", v).c_str());
    vars_.emplace(v, e);
    return e;
  }

  z3::expr Dim(int d) {
    auto it = dims_.find(d);
    if (it != dims_.end()) return it->second;
    const std::uint32_t size = f_.dimension_size(d);
    z3::expr e = ctx_.bv_const(absl::StrCat("d", d).c_str(), BitsFor(size));
    dims_.emplace(d, e);
    return e;
  }

  // The constraint that dimension `d` names one of its classes.
  z3::expr DomainOf(int d) {
    const std::uint32_t size = f_.dimension_size(d);
    if ((std::uint64_t{1} << BitsFor(size)) == size) return ctx_.bool_val(true);
    return z3::ult(Dim(d), ctx_.bv_val(size, BitsFor(size)));
  }

 private:
  const TermFactory& f_;
  z3::context& ctx_;
  std::unordered_map<TermId, z3::expr> memo_;
  std::unordered_map<int, z3::expr> vars_;
  std::unordered_map<int, z3::expr> dims_;
};

}  // namespace

std::uint64_t SolverCallCount() { return solver_calls.load(); }
std::uint64_t SearchDecidedCount() { return search_decided.load(); }

struct SolverSession::Impl {
  Impl(const TermFactory& f, SolveOptions o)
      : factory(f), options(o), encoder(f, ctx) {}
  const TermFactory& factory;
  SolveOptions options;
  z3::context ctx;
  Encoder encoder;
  // One solver for the session: creating a Z3 solver (and setting its
  // parameters) per question cost more than most questions themselves.
  // Each question runs in its own push/pop scope.
  std::optional<z3::solver> solver;
};

SolverSession::SolverSession(const TermFactory& factory, SolveOptions options)
    : factory_(factory), options_(options) {}

SolverSession::~SolverSession() = default;

absl::StatusOr<SolveOutcome> SolverSession::Solve(TermId t) {
  return Solve(t, false);
}

absl::StatusOr<SolveOutcome> SolverSession::SolveShortcut(TermId t) {
  return Solve(t, true);
}

absl::StatusOr<SolveOutcome> SolverSession::Solve(TermId t, bool shortcut) {
  SolveOutcome out;
  const TermFactory& factory = factory_;
  if (t == factory.True()) {
    out.verdict = SolveVerdict::kSat;
    return out;
  }
  if (t == factory.False()) {
    out.verdict = SolveVerdict::kUnsat;
    return out;
  }
  if (options_.search_budget > 0) {
    std::uint64_t budget = options_.search_budget;
    if (options_.rlimit > 0) budget = std::min(budget, options_.rlimit);
    SearchOutcome s = FiniteSearch(factory, t, budget);
    if (s.verdict != SolveVerdict::kUnknown) {
      ++search_decided;
      out.verdict = s.verdict;
      out.model = std::move(s.model);
      return out;
    }
  }
  if (shortcut) {
    out.reason = "not decided by the finite search";
    return out;
  }
  // Counted (when there is a count) whether or not it is bounded.
  const std::uint64_t asked =
      options_.questions == nullptr ? 0 : options_.questions->fetch_add(1);
  if (options_.max_questions > 0 && asked >= options_.max_questions) {
    out.reason = absl::StrCat("the run's limit of solver questions (",
                              options_.max_questions, ") is reached");
    return out;
  }
  try {
    if (impl_ == nullptr) impl_ = std::make_unique<Impl>(factory_, options_);
    z3::context& ctx = impl_->ctx;
    Encoder& enc = impl_->encoder;
    z3::expr goal = enc.Encode(t);
    // Only the variables of this term go into the model.
    std::set<int> dims, vars;
    factory.CollectVariables(t, &dims, &vars);
    z3::params params(ctx);
    if (impl_->options.rlimit > 0) {
      // Z3 applies the resource limit to each check() on its own.
      params.set("rlimit", static_cast<unsigned>(impl_->options.rlimit));
    }
    if (!impl_->solver.has_value()) {
      impl_->solver.emplace(ctx);
      impl_->solver->set(params);
    }
    struct Scope {
      explicit Scope(z3::solver& s) : s(s) { s.push(); }
      ~Scope() {
        try {
          s.pop();
        } catch (const z3::exception&) {
        }
      }
      z3::solver& s;
    };
    auto ask = [&](z3::solver& solver) {
      solver.add(goal);
      for (int d : dims) solver.add(enc.DomainOf(d));
      ++solver_calls;
      ++z3_calls_;
      return solver.check();
    };
    // The incremental solver first; when it gives up, a fresh solver with
    // its full preprocessing gets the question once more (it may decide it,
    // and otherwise says why it could not, e.g. the resource limit). The
    // incremental solver is dropped first (the next question makes a new
    // one): what it holds after a question it gave up on can take hundreds
    // of megabytes, and the two together set the peak (2,000 wildcard-heavy
    // statements: 790 MB, 460 MB without it; the fresh solver then takes
    // longer on that question, 15.6 s instead of 8.8 s).
    std::optional<z3::solver> fresh;
    z3::solver* solver = &*impl_->solver;
    std::optional<Scope> scope(std::in_place, *solver);
    z3::check_result verdict = ask(*solver);
    if (verdict == z3::unknown) {
      scope.reset();
      impl_->solver.reset();
      fresh.emplace(ctx);
      fresh->set(params);
      solver = &*fresh;
      verdict = ask(*solver);
    }
    switch (verdict) {
      case z3::unsat:
        out.verdict = SolveVerdict::kUnsat;
        return out;
      case z3::unknown:
        out.verdict = SolveVerdict::kUnknown;
        out.reason = solver->reason_unknown();
        return out;
      case z3::sat:
        break;
    }
    out.verdict = SolveVerdict::kSat;
    z3::model m = solver->get_model();
    for (int v : vars)
      out.model.bool_vars[v] = m.eval(enc.Var(v), true).is_true();
    for (int d : dims) {
      z3::expr val = m.eval(enc.Dim(d), true);
      out.model.dimensions[d] =
          static_cast<std::uint32_t>(val.get_numeral_uint64());
    }
    return out;
  } catch (const z3::exception& e) {
    return absl::InternalError(absl::StrCat("z3: ", e.msg()));
  }
}

absl::StatusOr<SolveOutcome> Solve(const TermFactory& factory, TermId t,
                                   const SolveOptions& options) {
  SolverSession session(factory, options);
  return session.Solve(t);
}

}  // namespace leastpriv::smt
