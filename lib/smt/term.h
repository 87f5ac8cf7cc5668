// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The term language the policy compiler produces and the encoder hands to
// Z3: Boolean structure over two kinds of atoms,
//   - Boolean variables (e.g. "condition key k is present"), and
//   - "finite dimension d takes one of these classes" (the class of a
//     string dimension, see glob_partition.h, or of a numeric interval).
// The factory folds constants and shares structurally equal terms, so a
// question whose terms fold to true/false never reaches the solver, and
// equal residual questions are recognised by their id.

#ifndef LEASTPRIV_LIB_SMT_TERM_H_
#define LEASTPRIV_LIB_SMT_TERM_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"

namespace leastpriv::smt {

using TermId = std::int32_t;

enum class TermKind {
  kTrue,
  kFalse,
  kBoolVar,
  kInClasses,
  kNot,
  kAnd,
  kOr,
  kLabel
};

struct TermNode {
  TermKind kind = TermKind::kTrue;
  int var = -1;  // kBoolVar: variable; kInClasses: dimension
  std::vector<std::uint32_t> classes;  // kInClasses: sorted class indices
  std::vector<TermId> kids;            // kNot (1), kAnd, kOr, kLabel (1)
  std::string label;                   // kLabel: human-readable meaning
  // Bit d % 64 for each dimension d of an InClasses atom in the term, and
  // bit v % 64 for each Boolean variable v: a term whose bits miss those
  // of a substitution is left as it is by it.
  std::uint64_t dims_mask = 0;
  std::uint64_t vars_mask = 0;
};

// Values by term id, forgotten all at once: an entry counts only when
// stamped with the current round (no hashing, and no clearing between
// rounds). Kept from one round to the next by its owner.
template <typename V>
class StampedTable {
 public:
  // Starts a round over the terms with ids below `size`.
  void Begin(std::size_t size) {
    if (stamp_.size() < size) {
      stamp_.resize(size, 0);
      value_.resize(size);
    }
    if (++round_ == 0) {  // wrapped: forget every stamp
      std::fill(stamp_.begin(), stamp_.end(), 0);
      round_ = 1;
    }
  }
  bool Has(TermId t) const { return stamp_[t] == round_; }
  const V& at(TermId t) const { return value_[t]; }
  void Set(TermId t, V v) {
    stamp_[t] = round_;
    value_[t] = std::move(v);
  }

 private:
  std::vector<std::uint32_t> stamp_;
  std::vector<V> value_;
  std::uint32_t round_ = 0;
};

class TermFactory {
 public:
  TermFactory();

  // Declares a finite dimension with `size` classes (size >= 1).
  int NewDimension(std::uint32_t size, std::string name);
  int NewBoolVar(std::string name);

  TermId True() const { return 0; }
  TermId False() const { return 1; }
  TermId Bool(bool b) const { return b ? True() : False(); }
  TermId BoolVar(int var);
  // REQUIRES: every class < size of `dim`. Folds the empty set to false and
  // the full set to true.
  TermId InClasses(int dim, std::vector<std::uint32_t> classes);
  TermId Not(TermId t);
  TermId And(std::vector<TermId> kids);
  TermId Or(std::vector<TermId> kids);
  TermId And(TermId a, TermId b) { return And(std::vector<TermId>{a, b}); }
  TermId Or(TermId a, TermId b) { return Or(std::vector<TermId>{a, b}); }
  TermId Implies(TermId a, TermId b) { return Or(Not(a), b); }
  // A term that means `t` and reads as `label` when rendered. Constants are
  // not labelled.
  TermId Label(std::string label, TermId t);

  // `t` with dimension `dim` fixed to class `cls`, folded.
  TermId FixDimension(TermId t, int dim, std::uint32_t cls);
  // `t` with several dimensions and Boolean variables fixed, folded.
  TermId Substitute(TermId t, const std::map<int, std::uint32_t>& dims,
                    const std::map<int, bool>& vars);
  // The dimensions and Boolean variables that occur in `t`.
  void CollectVariables(TermId t, std::set<int>* dims,
                        std::set<int>* vars) const;
  // The class lists of the InClasses atoms on `dim` in `t`, each once.
  std::vector<const std::vector<std::uint32_t>*> AtomsOn(TermId t,
                                                         int dim) const;

  bool IsConstant(TermId t) const { return t == 0 || t == 1; }
  const TermNode& node(TermId t) const { return nodes_[t]; }
  std::uint32_t dimension_size(int dim) const { return dim_sizes_[dim]; }
  const std::string& dimension_name(int dim) const { return dim_names_[dim]; }
  const std::string& bool_var_name(int var) const { return var_names_[var]; }
  int dimension_count() const { return static_cast<int>(dim_sizes_.size()); }
  int bool_var_count() const { return static_cast<int>(var_names_.size()); }
  std::size_t term_count() const { return nodes_.size(); }

  // Human-readable form ("aws:SecureTransport = true and ..."); labelled
  // subterms print as their label.
  std::string Render(TermId t) const;

 private:
  TermId Intern(TermNode node);
  struct Fixes;
  TermId Rewrite(TermId root, const Fixes& fixes);
  TermId RewriteNode(TermId t, const Fixes& fixes);

  std::vector<TermNode> nodes_;
  // Node hash -> the nodes with that hash (almost always one).
  absl::flat_hash_map<std::uint64_t, absl::InlinedVector<TermId, 1>> index_;
  std::vector<std::uint32_t> dim_sizes_;
  std::vector<std::string> dim_names_;
  std::vector<std::string> var_names_;
  // Rewrite's results by term id, a round per call.
  StampedTable<TermId> rewrite_memo_;
};

// Splits the classes 0..size-1 of a dimension into blocks of classes that
// lie in exactly the same `atoms` (sorted class lists): a term whose atoms
// on the dimension are `atoms` has the same value for every class of a
// block. Returns the block of each class; blocks are numbered densely from
// 0 in order of their smallest class, and `*count` receives their number.
std::vector<std::uint32_t> SplitIntoBlocks(
    std::uint32_t size,
    const std::vector<const std::vector<std::uint32_t>*>& atoms,
    std::uint32_t* count);

}  // namespace leastpriv::smt

#endif  // LEASTPRIV_LIB_SMT_TERM_H_
