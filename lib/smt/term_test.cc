// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/term.h"

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
