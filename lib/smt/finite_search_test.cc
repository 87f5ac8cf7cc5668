// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/finite_search.h"

#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "lib/smt/encoder.h"

namespace leastpriv::smt {
namespace {

constexpr std::uint64_t kLarge = 100000000;

TEST(FiniteSearchTest, SatWithModelAndUnsat) {
  TermFactory f;
  int d = f.NewDimension(5, "d");
  TermId x = f.BoolVar(f.NewBoolVar("x"));
  TermId t = f.And({f.InClasses(d, {1, 3}), f.Not(f.InClasses(d, {1})), x});
  SearchOutcome s = FiniteSearch(f, t, kLarge);
  ASSERT_EQ(s.verdict, SolveVerdict::kSat);
  EXPECT_EQ(s.model.dimensions.at(d), 3u);
  EXPECT_TRUE(s.model.bool_vars.at(0));
  EXPECT_TRUE(EvaluateTerm(f, t, s.model));

  TermId u = f.And(f.InClasses(d, {1}), f.InClasses(d, {2}));
  EXPECT_EQ(FiniteSearch(f, u, kLarge).verdict, SolveVerdict::kUnsat);
}

TEST(FiniteSearchTest, ClassesOutsideEveryAtomAreTried) {
  TermFactory f;
  int d = f.NewDimension(7, "d");
  // Classes 0..5 are excluded one atom at a time; only 6 is left.
  std::vector<TermId> parts;
  for (std::uint32_t c = 0; c < 6; ++c)
    parts.push_back(f.Not(f.InClasses(d, {c})));
  SearchOutcome s = FiniteSearch(f, f.And(parts), kLarge);
  ASSERT_EQ(s.verdict, SolveVerdict::kSat);
  EXPECT_EQ(s.model.dimensions.at(d), 6u);
}

TEST(FiniteSearchTest, EveryVariableOfTheTermIsInTheModel) {
  TermFactory f;
  int d = f.NewDimension(3, "d");
  TermId x = f.BoolVar(f.NewBoolVar("x"));
  TermId y = f.BoolVar(f.NewBoolVar("y"));
  // Satisfied once x is true, whatever d and y are.
  TermId t = f.Or(x, f.And(f.InClasses(d, {2}), y));
  SearchOutcome s = FiniteSearch(f, t, kLarge);
  ASSERT_EQ(s.verdict, SolveVerdict::kSat);
  EXPECT_EQ(s.model.dimensions.size(), 1u);
  EXPECT_EQ(s.model.bool_vars.size(), 2u);
  EXPECT_TRUE(EvaluateTerm(f, t, s.model));
}

TEST(FiniteSearchTest, SpentBudgetGivesUnknownNeverUnsat) {
  TermFactory f;
  // Pigeonhole: 6 dimensions of 5 classes, pairwise different.
  std::vector<int> dims;
  for (int i = 0; i < 6; ++i) dims.push_back(f.NewDimension(5, "p"));
  std::vector<TermId> parts;
  for (int i = 0; i < 6; ++i) {
    for (int j = i + 1; j < 6; ++j) {
      for (std::uint32_t c = 0; c < 5; ++c) {
        parts.push_back(
            f.Not(f.And(f.InClasses(dims[i], {c}), f.InClasses(dims[j], {c}))));
      }
    }
  }
  TermId t = f.And(parts);
  SearchOutcome small = FiniteSearch(f, t, 1000);
  EXPECT_EQ(small.verdict, SolveVerdict::kUnknown);
  EXPECT_LE(small.work, 1000u);
  EXPECT_EQ(FiniteSearch(f, t, kLarge).verdict, SolveVerdict::kUnsat);
}

TEST(FiniteSearchTest, SessionCountsQuestionsTheSearchSettles) {
  TermFactory f;
  int d = f.NewDimension(4, "d");
  TermId t = f.Not(f.InClasses(d, {0, 1}));
  const std::uint64_t z3_before = SolverCallCount();
  const std::uint64_t search_before = SearchDecidedCount();
  auto r = Solve(f, t, SolveOptions());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, SolveVerdict::kSat);
  EXPECT_EQ(SolverCallCount(), z3_before);
  EXPECT_EQ(SearchDecidedCount(), search_before + 1);
  SolveOptions z3_only;
  z3_only.search_budget = 0;
  auto r2 = Solve(f, t, z3_only);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->verdict, SolveVerdict::kSat);
  EXPECT_EQ(SolverCallCount(), z3_before + 1);
}

// Random terms: the search, Z3 and enumeration of every assignment agree
// on sat/unsat, and every model the search gives satisfies the term.
class RandomTerms {
 public:
  explicit RandomTerms(unsigned seed) : rng_(seed) {}

  TermId Make(TermFactory& f, const std::vector<int>& dims,
              const std::vector<int>& vars, int depth) {
    const int choice = Pick(depth <= 0 ? 2 : 6);
    if (choice == 0 && !vars.empty()) return f.BoolVar(vars[Pick(vars.size())]);
    if (choice <= 1) {
      const int d = dims[Pick(dims.size())];
      std::vector<std::uint32_t> classes;
      for (std::uint32_t c = 0; c < f.dimension_size(d); ++c) {
        if (Pick(3) == 0) classes.push_back(c);
      }
      return f.InClasses(d, classes);
    }
    if (choice == 2) return f.Not(Make(f, dims, vars, depth - 1));
    std::vector<TermId> kids;
    const int n = 2 + Pick(3);
    for (int i = 0; i < n; ++i) kids.push_back(Make(f, dims, vars, depth - 1));
    return choice % 2 == 0 ? f.And(kids) : f.Or(kids);
  }

  int Pick(std::size_t n) {
    return std::uniform_int_distribution<int>(0, static_cast<int>(n) - 1)(rng_);
  }

  // A term over one dimension of up to `wide` classes (dims[0]), up to
  // `most_small` - 1 more of up to `small` classes each, and up to three
  // Boolean variables.
  struct Problem {
    std::vector<int> dims, vars;
    TermId term;
  };
  Problem MakeWide(TermFactory& f, int wide, int most_small, int small) {
    Problem p;
    p.dims.push_back(f.NewDimension(1 + Pick(wide), "wide"));
    for (int i = Pick(most_small); i > 0; --i)
      p.dims.push_back(f.NewDimension(1 + Pick(small), "d"));
    for (int i = Pick(4); i > 0; --i) p.vars.push_back(f.NewBoolVar("b"));
    p.term = Make(f, p.dims, p.vars, 2 + Pick(3));
    return p;
  }

 private:
  std::mt19937 rng_;
};

bool SatisfiableByEnumeration(const TermFactory& f, TermId t,
                              const std::vector<int>& dims,
                              const std::vector<int>& vars) {
  Assignment a;
  for (int d : dims) a.dimensions[d] = 0;
  for (int v : vars) a.bool_vars[v] = false;
  for (;;) {
    if (EvaluateTerm(f, t, a)) return true;
    // Next assignment, odometer style.
    bool carried = true;
    for (int v : vars) {
      a.bool_vars[v] = !a.bool_vars[v];
      if (a.bool_vars[v]) {
        carried = false;
        break;
      }
    }
    if (!carried) continue;
    for (int d : dims) {
      if (++a.dimensions[d] < f.dimension_size(d)) {
        carried = false;
        break;
      }
      a.dimensions[d] = 0;
    }
    if (carried) return false;
  }
}

TEST(FiniteSearchTest, AgreesWithZ3AndEnumerationOnRandomTerms) {
  RandomTerms gen(20261202);
  SolveOptions z3_only;
  z3_only.search_budget = 0;
  int sat = 0, unsat = 0;
  for (int round = 0; round < 1500; ++round) {
    TermFactory f;
    std::vector<int> dims, vars;
    const int nd = 1 + gen.Pick(4), nv = gen.Pick(4);
    for (int i = 0; i < nd; ++i)
      dims.push_back(f.NewDimension(1 + gen.Pick(7), "d"));
    for (int i = 0; i < nv; ++i) vars.push_back(f.NewBoolVar("b"));
    TermId t = gen.Make(f, dims, vars, 2 + gen.Pick(3));
    SearchOutcome s = FiniteSearch(f, t, kLarge);
    ASSERT_NE(s.verdict, SolveVerdict::kUnknown) << f.Render(t);
    const bool expected = SatisfiableByEnumeration(f, t, dims, vars);
    ASSERT_EQ(s.verdict == SolveVerdict::kSat, expected)
        << "round " << round << ": " << f.Render(t);
    if (expected) {
      ASSERT_TRUE(EvaluateTerm(f, t, s.model)) << f.Render(t);
      ++sat;
    } else {
      ++unsat;
    }
    if (round % 5 == 0) {
      auto z = Solve(f, t, z3_only);
      ASSERT_TRUE(z.ok());
      ASSERT_EQ(z->verdict, s.verdict)
          << "round " << round << ": " << f.Render(t);
    }
  }
  // The generator reaches both outcomes often.
  EXPECT_GT(sat, 300);
  EXPECT_GT(unsat, 100);
}

// A compiled search asked repeatedly, each time with one dimension
// restricted to other classes (some of them outside the term's atoms, or
// none), answers as the search on the term with that restriction written
// in, and its models satisfy both; a dimension the term does not name
// takes an allowed class.
TEST(FiniteSearchTest, CompiledSearchAnswersAsTheRestrictedTerm) {
  RandomTerms gen(20261207);
  int sat = 0, unsat = 0;
  for (int round = 0; round < 300; ++round) {
    TermFactory f;
    std::vector<int> dims, vars;
    const int nd = 1 + gen.Pick(3), nv = gen.Pick(4);
    for (int i = 0; i < nd; ++i)
      dims.push_back(f.NewDimension(1 + gen.Pick(12), "d"));
    for (int i = 0; i < nv; ++i) vars.push_back(f.NewBoolVar("b"));
    const int unnamed = f.NewDimension(3, "unnamed");
    const TermId t = gen.Make(f, dims, vars, 2 + gen.Pick(3));
    CompiledSearch compiled(f, t);
    for (int ask = 0; ask < 4; ++ask) {
      const int dim =
          ask == 3 ? unnamed : dims[gen.Pick(static_cast<std::size_t>(nd))];
      std::vector<std::uint32_t> allowed;
      for (std::uint32_t c = 0; c < f.dimension_size(dim); ++c) {
        if (gen.Pick(2) == 0) allowed.push_back(c);
      }
      const TermId restricted = f.And(t, f.InClasses(dim, allowed));
      const SearchOutcome expected = FiniteSearch(f, restricted, kLarge);
      const SearchOutcome got = compiled.RunWithin(dim, allowed, kLarge);
      ASSERT_NE(got.verdict, SolveVerdict::kUnknown) << f.Render(t);
      ASSERT_EQ(got.verdict, expected.verdict)
          << "round " << round << ": " << f.Render(restricted);
      if (got.verdict == SolveVerdict::kSat) {
        ASSERT_TRUE(EvaluateTerm(f, restricted, got.model))
            << "round " << round << ": " << f.Render(restricted);
        ++sat;
      } else {
        ++unsat;
      }
    }
  }
  // Both outcomes, often.
  EXPECT_GT(sat, 200);
  EXPECT_GT(unsat, 100);
}

// ClassesWhereTrue agrees with EvaluateTerm class by class, on
// dimensions that span several 64-bit words.
TEST(FiniteSearchTest, ClassesWhereTrueAgreesWithEvaluationPerClass) {
  RandomTerms gen(20261206);
  int some = 0;
  for (int round = 0; round < 300; ++round) {
    TermFactory f;
    const auto [dims, vars, t] = gen.MakeWide(f, 200, 3, 5);
    Assignment a;
    for (std::size_t i = 1; i < dims.size(); ++i)
      a.dimensions[dims[i]] = gen.Pick(f.dimension_size(dims[i]));
    for (int v : vars) a.bool_vars[v] = gen.Pick(2) == 1;
    a.dimensions[dims[0]] = 0;  // ignored
    const std::vector<std::uint32_t> got = ClassesWhereTrue(f, t, a, dims[0]);
    std::vector<std::uint32_t> expected;
    for (std::uint32_t c = 0; c < f.dimension_size(dims[0]); ++c) {
      a.dimensions[dims[0]] = c;
      if (EvaluateTerm(f, t, a)) expected.push_back(c);
    }
    ASSERT_EQ(got, expected) << "round " << round << ": " << f.Render(t);
    some += !expected.empty() && expected.size() < f.dimension_size(dims[0]);
  }
  // Many rounds hold on some classes and not on others.
  EXPECT_GT(some, 60);
}

// ClassesWherePossible keeps every class where some values of the
// variables left out make the term true (it may keep more); with every
// variable given, it is ClassesWhereTrue.
TEST(FiniteSearchTest, ClassesWherePossibleKeepsEveryClassSomeValuesSatisfy) {
  RandomTerms gen(20261207);
  int dropped = 0;
  for (int round = 0; round < 300; ++round) {
    TermFactory f;
    const auto [dims, vars, t] = gen.MakeWide(f, 150, 3, 4);
    // Some variables given, the others open.
    Assignment given;
    std::vector<int> open_dims, open_vars;
    for (std::size_t i = 1; i < dims.size(); ++i) {
      if (gen.Pick(2) == 0) {
        given.dimensions[dims[i]] = gen.Pick(f.dimension_size(dims[i]));
      } else {
        open_dims.push_back(dims[i]);
      }
    }
    for (int v : vars) {
      if (gen.Pick(2) == 0) {
        given.bool_vars[v] = gen.Pick(2) == 1;
      } else {
        open_vars.push_back(v);
      }
    }
    const std::vector<std::uint32_t> possible =
        ClassesWherePossible(f, t, given, dims[0]);
    for (std::uint32_t c = 0; c < f.dimension_size(dims[0]); ++c) {
      const bool listed =
          std::binary_search(possible.begin(), possible.end(), c);
      // Some completion of the open variables makes t true on c.
      const TermId fixed = f.FixDimension(t, dims[0], c);
      std::map<int, std::uint32_t> d(given.dimensions.begin(),
                                     given.dimensions.end());
      const TermId rest = f.Substitute(
          fixed, d,
          std::map<int, bool>(given.bool_vars.begin(), given.bool_vars.end()));
      const bool satisfiable =
          SatisfiableByEnumeration(f, rest, open_dims, open_vars);
      ASSERT_TRUE(listed || !satisfiable)
          << "round " << round << ", class " << c << ": " << f.Render(t);
      dropped += !listed;
    }
    if (open_dims.empty() && open_vars.empty()) {
      ASSERT_EQ(possible, ClassesWhereTrue(f, t, given, dims[0]));
    }
  }
  EXPECT_GT(dropped, 1000);
}

}  // namespace
}  // namespace leastpriv::smt
