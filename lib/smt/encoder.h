// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The only code that talks to Z3. A term (term.h) is encoded over
// bit-vectors (one per finite dimension) and Booleans, solved under a
// deterministic resource limit, and a model is decoded back into class
// indices and Boolean values. Z3 exceptions become absl::Status here.

#ifndef LEASTPRIV_LIB_SMT_ENCODER_H_
#define LEASTPRIV_LIB_SMT_ENCODER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/smt/term.h"

namespace leastpriv::smt {

enum class SolveVerdict { kSat, kUnsat, kUnknown };

struct Assignment {
  // Only the dimensions and variables that occur in the solved term.
  std::map<int, std::uint32_t> dimensions;
  std::map<int, bool> bool_vars;
};

struct SolveOutcome {
  SolveVerdict verdict = SolveVerdict::kUnknown;
  Assignment model;    // for kSat
  std::string reason;  // for kUnknown: Z3's reason (e.g. "max. resource limit
                       // exceeded")
};

struct SolveOptions {
  // The deterministic resource limit of one question; 0 means none. It is
  // Z3's "rlimit", and it also caps the work of the finite search.
  std::uint64_t rlimit = 50000000;
  // Work units (term nodes evaluated) the finite search (finite_search.h)
  // may spend before the question goes to Z3; 0 sends every question to Z3.
  std::uint64_t search_budget = 250000;
  // At most this many questions go to Z3 for all the sessions that share
  // `questions` (the count of the questions that reached this point, those
  // refused included); the questions beyond are kUnknown without Z3. 0, or
  // no count: no bound.
  std::uint64_t max_questions = 0;
  std::shared_ptr<std::atomic<std::uint64_t>> questions;
};

// A Z3 context kept across queries over one factory, so that the encoding
// of shared subterms and the context set-up are paid once; it is created on
// the first query that neither folds to a constant nor is settled by the
// finite search. Each query runs in its
// own solver scope with its own resource limit.
class SolverSession {
 public:
  SolverSession(const TermFactory& factory, SolveOptions options);
  ~SolverSession();
  SolverSession(const SolverSession&) = delete;
  SolverSession& operator=(const SolverSession&) = delete;

  absl::StatusOr<SolveOutcome> Solve(TermId t);
  // A question whose answer only saves others (one "no" for many classes
  // that are otherwise asked one by one): the constants and the finite
  // search only, kUnknown where Solve would ask Z3. On large sets of
  // wildcard-heavy policies, Z3 took seconds to a minute on each such
  // question and mostly gave up (its resource limit does not bound its
  // preprocessing of large terms); it does not count as a question to Z3.
  absl::StatusOr<SolveOutcome> SolveShortcut(TermId t);

  // How many of this session's questions went to Z3.
  std::uint64_t z3_calls() const { return z3_calls_; }

 private:
  struct Impl;
  absl::StatusOr<SolveOutcome> Solve(TermId t, bool shortcut);
  const TermFactory& factory_;
  SolveOptions options_;
  std::uint64_t z3_calls_ = 0;
  std::unique_ptr<Impl> impl_;  // created by the first non-constant query
};

// Decides whether `t` is satisfiable. Constants are answered without Z3,
// and so is every question the finite search settles within its budget.
// Internal for errors reported by Z3 itself.
absl::StatusOr<SolveOutcome> Solve(const TermFactory& factory, TermId t,
                                   const SolveOptions& options);

// Total number of Z3 check() calls made by this process, for benchmarks and
// tests that assert the solver was (not) consulted.
std::uint64_t SolverCallCount();
// Total number of questions the finite search settled without Z3.
std::uint64_t SearchDecidedCount();

}  // namespace leastpriv::smt

#endif  // LEASTPRIV_LIB_SMT_ENCODER_H_
