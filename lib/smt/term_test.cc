// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/term.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv::smt {
namespace {

TEST(TermFactoryTest, FoldsConstantsAndShares) {
  TermFactory f;
  int d = f.NewDimension(3, "res");
  int v = f.NewBoolVar("present");
  TermId x = f.BoolVar(v);
  EXPECT_EQ(f.And(x, f.False()), f.False());
  EXPECT_EQ(f.Or(x, f.True()), f.True());
  EXPECT_EQ(f.And(x, f.True()), x);
  EXPECT_EQ(f.Not(f.Not(x)), x);
  EXPECT_EQ(f.InClasses(d, {}), f.False());
  EXPECT_EQ(f.InClasses(d, {0, 1, 2}), f.True());
  EXPECT_EQ(f.InClasses(d, {1, 0}), f.InClasses(d, {0, 1}));
  EXPECT_EQ(f.And(x, f.InClasses(d, {1})), f.And(f.InClasses(d, {1}), x));
}

TEST(TermFactoryTest, FixDimensionFolds) {
  TermFactory f;
  int d = f.NewDimension(3, "res");
  TermId x = f.BoolVar(f.NewBoolVar("k"));
  TermId t = f.Or(f.And(f.InClasses(d, {0}), x), f.InClasses(d, {2}));
  EXPECT_EQ(f.FixDimension(t, d, 0), x);
  EXPECT_EQ(f.FixDimension(t, d, 1), f.False());
  EXPECT_EQ(f.FixDimension(t, d, 2), f.True());
}

// Dimensions and variables past 64 share a bit of the masks that let a
// rewrite skip the subterms it cannot change: each is still fixed, and one
// sharing a bit with what a term holds leaves the term as it is.
TEST(TermFactoryTest, FixingManyDimensionsAndVariables) {
  TermFactory f;
  std::vector<int> dims, vars;
  for (int i = 0; i < 130; ++i) {
    dims.push_back(f.NewDimension(3, "d" + std::to_string(i)));
    vars.push_back(f.NewBoolVar("v" + std::to_string(i)));
  }
  // d1 and d65 (and v2 and v130-2) share a bit.
  TermId a = f.InClasses(dims[65], {0});
  TermId b = f.BoolVar(vars[128]);
  TermId t = f.Or(f.And(a, b), f.InClasses(dims[129], {2}));
  EXPECT_EQ(f.FixDimension(t, dims[1], 0), t);
  EXPECT_EQ(f.FixDimension(t, dims[3], 0), t);
  EXPECT_EQ(f.FixDimension(t, dims[65], 0),
            f.Or(b, f.InClasses(dims[129], {2})));
  EXPECT_EQ(f.FixDimension(t, dims[65], 1), f.InClasses(dims[129], {2}));
  EXPECT_EQ(f.FixDimension(t, dims[129], 2), f.True());
  EXPECT_EQ(f.Substitute(t, {{dims[65], 0}, {dims[129], 0}}, {{vars[0], true}}),
            b);
  EXPECT_EQ(f.Substitute(t, {{dims[1], 0}}, {{vars[0], true}}), t);
  EXPECT_EQ(
      f.Substitute(t, {{dims[65], 0}, {dims[129], 0}}, {{vars[128], true}}),
      f.True());
  EXPECT_EQ(f.Substitute(t, {}, {{vars[128], false}}),
            f.InClasses(dims[129], {2}));
}

TEST(TermFactoryTest, RendersLabels) {
  TermFactory f;
  TermId a =
      f.Label("aws:SecureTransport = true", f.BoolVar(f.NewBoolVar("a")));
  TermId b = f.Label("x = 1", f.BoolVar(f.NewBoolVar("b")));
  EXPECT_EQ(f.Render(f.Or(a, f.And(a, b))), f.Render(f.Or(a, f.And(a, b))));
  std::string r = f.Render(f.And(a, b));
  EXPECT_NE(r.find("aws:SecureTransport = true"), std::string::npos);
  EXPECT_NE(r.find(" and "), std::string::npos);
  EXPECT_EQ(f.Label("ignored", f.True()), f.True());
}

}  // namespace
}  // namespace leastpriv::smt
