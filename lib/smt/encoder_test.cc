// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/encoder.h"

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

TEST(SolveTest, TinyResourceLimitGivesUnknown) {
  TermFactory f;
  // A pigeonhole problem: 7 dimensions of 6 classes, pairwise different.
  std::vector<int> dims;
  for (int i = 0; i < 7; ++i) dims.push_back(f.NewDimension(6, "p"));
  std::vector<TermId> parts;
  for (int i = 0; i < 7; ++i) {
    for (int j = i + 1; j < 7; ++j) {
      for (std::uint32_t c = 0; c < 6; ++c) {
        parts.push_back(
            f.Not(f.And(f.InClasses(dims[i], {c}), f.InClasses(dims[j], {c}))));
      }
    }
  }
  SolveOptions tiny;
  tiny.rlimit = 1;
  auto r = Solve(f, f.And(parts), tiny);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, SolveVerdict::kUnknown);
  EXPECT_FALSE(r->reason.empty());
  auto full = Solve(f, f.And(parts), SolveOptions());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->verdict, SolveVerdict::kUnsat);
}

}  // namespace
}  // namespace leastpriv::smt
