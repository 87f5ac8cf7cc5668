// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A complete search over the finite domains of a term's variables, used
// before Z3 for the small questions the analyses ask most. Every variable
// of a term ranges over a finite set: a Boolean over {false, true}, a
// dimension over its classes. Classes that lie in exactly the same atoms
// of the term are interchangeable, so the search tries one representative
// of each such block. Assignments are evaluated in three-valued logic
// (false / true / not yet known), so a branch stops as soon as its partial
// assignment decides the term; a satisfying partial assignment gives a
// model for every completion.
//
// The search is exact when it finishes: "unsat" means no assignment
// satisfies the term. It charges one unit of work per term node evaluated
// and gives up, with kUnknown, when the budget is spent; the caller then
// asks Z3.

#ifndef LEASTPRIV_LIB_SMT_FINITE_SEARCH_H_
#define LEASTPRIV_LIB_SMT_FINITE_SEARCH_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "lib/smt/encoder.h"
#include "lib/smt/term.h"

namespace leastpriv::smt {

struct SearchOutcome {
  // kSat with `model`, kUnsat, or kUnknown when the budget ran out or a
  // dimension is too large to split into blocks.
  SolveVerdict verdict = SolveVerdict::kUnknown;
  Assignment model;  // every dimension and Boolean variable of the term
  std::uint64_t work = 0;
};

SearchOutcome FiniteSearch(const TermFactory& factory, TermId t,
                           std::uint64_t budget);

// FiniteSearch over one term compiled once (the factory may grow between
// runs), asked repeatedly with one dimension restricted to a set of
// classes: a sweep over the classes of a large term finds a model, decides
// the classes it satisfies (ClassesWhereTrue), and asks again for the
// rest. Its values are tried in the order that makes the atom the search
// branches on take the value the term needs first.
class CompiledSearch {
 public:
  CompiledSearch(const TermFactory& factory, TermId t);
  ~CompiledSearch();
  CompiledSearch(const CompiledSearch&) = delete;
  CompiledSearch& operator=(const CompiledSearch&) = delete;

  // What FiniteSearch(factory, And(t, InClasses(dim, allowed)), budget)
  // answers (`allowed` ascending, a subset of the dimension's classes);
  // a model may differ.
  SearchOutcome RunWithin(int dim, const std::vector<std::uint32_t>& allowed,
                          std::uint64_t budget);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The value of `t` under a total assignment of its variables; variables
// the assignment leaves out read as false / class 0.
bool EvaluateTerm(const TermFactory& factory, TermId t,
                  const Assignment& assignment);

// The classes of dimension `dim` on which `t` holds when every other
// variable takes its value in `assignment` (left out: false / class 0),
// ascending: one pass over the term, each node's value a set of classes.
// The assignment's own value of `dim`, if any, is ignored.
std::vector<std::uint32_t> ClassesWhereTrue(const TermFactory& factory,
                                            TermId t,
                                            const Assignment& assignment,
                                            int dim);

// The classes of dimension `dim` on which `t` may hold when the other
// variables `assignment` gives take their values there and the rest may
// take any (three-valued evaluation, so a superset: on every class left
// out, `t` is false whatever values they take).
std::vector<std::uint32_t> ClassesWherePossible(const TermFactory& factory,
                                                TermId t,
                                                const Assignment& assignment,
                                                int dim);

}  // namespace leastpriv::smt

#endif  // LEASTPRIV_LIB_SMT_FINITE_SEARCH_H_
