// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/encoder.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv::smt {
namespace {

TEST(SolveTest, SatUnsatAndModel) {
  TermFactory f;
  int d = f.NewDimension(5, "d");
  TermId x = f.BoolVar(f.NewBoolVar("x"));
  TermId t = f.And({f.InClasses(d, {1, 3}), f.Not(f.InClasses(d, {1})), x});
  auto r = Solve(f, t, SolveOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->verdict, SolveVerdict::kSat);
  EXPECT_EQ(r->model.dimensions.at(d), 3u);
  EXPECT_TRUE(r->model.bool_vars.at(0));

  TermId u = f.And(f.InClasses(d, {1}), f.InClasses(d, {2}));
  auto r2 = Solve(f, u, SolveOptions());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->verdict, SolveVerdict::kUnsat);
}

TEST(SolveTest, DomainBoundIsRespected) {
  TermFactory f;
  int d = f.NewDimension(5, "d");  // 3 bits, values 5..7 are not classes
  TermId t = f.Not(f.InClasses(d, {0, 1, 2, 3}));
  auto r = Solve(f, t, SolveOptions());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->verdict, SolveVerdict::kSat);
  EXPECT_EQ(r->model.dimensions.at(d), 4u);
}

TEST(SolveTest, ConstantsSkipTheSolver) {
  TermFactory f;
  std::uint64_t before = SolverCallCount();
  EXPECT_EQ(Solve(f, f.True(), SolveOptions())->verdict, SolveVerdict::kSat);
  EXPECT_EQ(Solve(f, f.False(), SolveOptions())->verdict, SolveVerdict::kUnsat);
  EXPECT_EQ(SolverCallCount(), before);
}

// A pigeonhole problem: `holes` + 1 dimensions of `holes` classes,
// pairwise different (unsatisfiable).
TermId Pigeonhole(TermFactory& f, std::uint32_t holes) {
  std::vector<int> dims;
  for (std::uint32_t i = 0; i <= holes; ++i)
    dims.push_back(f.NewDimension(holes, "p"));
  std::vector<TermId> parts;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    for (std::size_t j = i + 1; j < dims.size(); ++j) {
      for (std::uint32_t c = 0; c < holes; ++c) {
        parts.push_back(
            f.Not(f.And(f.InClasses(dims[i], {c}), f.InClasses(dims[j], {c}))));
      }
    }
  }
  return f.And(parts);
}

TEST(SolveTest, TinyResourceLimitGivesUnknown) {
  TermFactory f;
  const TermId parts = Pigeonhole(f, 6);
  SolveOptions tiny;
  tiny.rlimit = 1;
  auto r = Solve(f, parts, tiny);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, SolveVerdict::kUnknown);
  EXPECT_FALSE(r->reason.empty());
  auto full = Solve(f, parts, SolveOptions());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->verdict, SolveVerdict::kUnsat);
}

// A shortcut question is decided by the finite search or not at all: it
// never reaches Z3, and does not count as a question to it.
TEST(SolveTest, ShortcutQuestionsAreTheFiniteSearchsOnly) {
  TermFactory f;
  const TermId hard = Pigeonhole(f, 4);
  SolveOptions no_search;
  no_search.search_budget = 0;
  no_search.questions = std::make_shared<std::atomic<std::uint64_t>>(0);
  SolverSession session(f, no_search);
  std::uint64_t before = SolverCallCount();
  auto shortcut = session.SolveShortcut(hard);
  ASSERT_TRUE(shortcut.ok()) << shortcut.status();
  EXPECT_EQ(shortcut->verdict, SolveVerdict::kUnknown);
  EXPECT_EQ(shortcut->reason, "not decided by the finite search");
  EXPECT_EQ(SolverCallCount(), before);
  EXPECT_EQ(no_search.questions->load(), 0u);
  // The same term as a question goes to Z3.
  auto full = session.Solve(hard);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->verdict, SolveVerdict::kUnsat);
  EXPECT_EQ(SolverCallCount() - before, 1u);
  EXPECT_EQ(no_search.questions->load(), 1u);
  // With its budget, the search decides small questions either way.
  SolverSession searched(f, SolveOptions());
  before = SolverCallCount();
  auto no = searched.SolveShortcut(Pigeonhole(f, 3));
  ASSERT_TRUE(no.ok()) << no.status();
  EXPECT_EQ(no->verdict, SolveVerdict::kUnsat);
  const int d = f.NewDimension(5, "d");
  auto yes = searched.SolveShortcut(f.Not(f.InClasses(d, {0, 1, 2, 3})));
  ASSERT_TRUE(yes.ok()) << yes.status();
  ASSERT_EQ(yes->verdict, SolveVerdict::kSat);
  EXPECT_EQ(yes->model.dimensions.at(d), 4u);
  EXPECT_EQ(SolverCallCount(), before);
}

// Sessions that share a count send at most `max_questions` questions to
// Z3 together; the rest are unknown without it, the limit named. The
// count includes the refused questions.
TEST(SolveTest, SessionsSharingACountStopAtItsLimit) {
  TermFactory f;
  const int d = f.NewDimension(5, "d");
  SolveOptions options;
  options.search_budget = 0;
  options.max_questions = 2;
  options.questions = std::make_shared<std::atomic<std::uint64_t>>(0);
  SolverSession first(f, options), second(f, options);
  const std::uint64_t before = SolverCallCount();
  for (std::uint32_t c : {0u, 1u}) {
    auto r = (c == 0 ? first : second).Solve(f.InClasses(d, {c}));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->verdict, SolveVerdict::kSat);
  }
  auto refused = second.Solve(f.InClasses(d, {2}));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->verdict, SolveVerdict::kUnknown);
  EXPECT_EQ(refused->reason,
            "the run's limit of solver questions (2) is reached");
  EXPECT_EQ(SolverCallCount() - before, 2u);
  EXPECT_EQ(options.questions->load(), 3u);
  // Constants never count.
  EXPECT_EQ(first.Solve(f.True())->verdict, SolveVerdict::kSat);
  EXPECT_EQ(options.questions->load(), 3u);
}

}  // namespace
}  // namespace leastpriv::smt
