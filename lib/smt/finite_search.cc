// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/finite_search.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace leastpriv::smt {
namespace {

// Dimensions with more classes than this are left to Z3 (splitting them
// into blocks costs time and memory linear in their size).
constexpr std::uint32_t kMaxSplitClasses = 1u << 20;

enum Value : std::uint8_t { kFalse = 0, kTrue = 1, kOpen = 2 };

struct Slot {
  bool is_dimension = false;
  int id = -1;                        // dimension or Boolean variable
  std::vector<std::uint32_t> values;  // representatives, in ascending order
  std::vector<const std::vector<std::uint32_t>*> atoms;  // for dimensions
  std::vector<std::uint32_t> block;  // for dimensions: each class's block
};

struct Node {
  TermKind kind = TermKind::kTrue;
  int slot = -1;                                        // atoms
  const std::vector<std::uint32_t>* classes = nullptr;  // kInClasses
  std::uint32_t first_kid = 0, kid_count = 0;           // into Search::kids_
};

class Search {
 public:
  Search(const TermFactory& f, std::uint64_t budget) : f_(f), budget_(budget) {}

  SearchOutcome Run(TermId root) {
    if (!Compile(root)) return SearchOutcome();
    return Solve(root);
  }

  // Compiles `root` once for RunWithin; false when a dimension is too
  // large to split.
  bool Prepare(TermId root) {
    root_ = root;
    guided_ = true;
    own_atoms_ = true;
    return Compile(root);
  }

  // Run(And(root, InClasses(dim, allowed))) on the term Prepare compiled,
  // with a fresh budget: `dim` takes, per block, its first class in
  // `allowed` (ascending) instead of its first class.
  SearchOutcome RunWithin(int dim, const std::vector<std::uint32_t>& allowed,
                          std::uint64_t budget) {
    budget_ = budget;
    work_ = 0;
    exhausted_ = false;
    SearchOutcome out;
    if (allowed.empty()) {
      out.verdict = SolveVerdict::kUnsat;
      return out;
    }
    Slot* restricted = nullptr;
    for (Slot& slot : slots_) {
      if (slot.is_dimension && slot.id == dim) restricted = &slot;
    }
    std::vector<std::uint32_t> all;
    if (restricted != nullptr) {
      all = std::move(restricted->values);
      std::vector<char> seen(all.size(), 0);
      restricted->values.clear();
      for (std::uint32_t c : allowed) {
        const std::uint32_t b = restricted->block[c];
        if (seen[b]) continue;
        seen[b] = 1;
        restricted->values.push_back(c);
      }
    }
    out = Solve(root_);
    if (restricted != nullptr) {
      restricted->values = std::move(all);
    } else if (out.verdict == SolveVerdict::kSat) {
      out.model.dimensions[dim] = allowed.front();
    }
    if (out.verdict == SolveVerdict::kSat) {
      // As in Solve: a defect here can only cost speed.
      auto it = out.model.dimensions.find(dim);
      if (it == out.model.dimensions.end() ||
          !std::binary_search(allowed.begin(), allowed.end(), it->second)) {
        return SearchOutcome();
      }
    }
    return out;
  }

 private:
  // The search on the compiled term.
  SearchOutcome Solve(TermId root) {
    SearchOutcome out;
    assignment_.assign(slots_.size(), -1);
    values_.assign(nodes_.size(), kOpen);
    const bool found = Branch();
    out.work = work_;
    if (exhausted_) return out;
    if (!found) {
      out.verdict = SolveVerdict::kUnsat;
      return out;
    }
    for (std::size_t s = 0; s < slots_.size(); ++s) {
      const Slot& slot = slots_[s];
      const std::uint32_t v = assignment_[s] >= 0
                                  ? static_cast<std::uint32_t>(assignment_[s])
                                  : slot.values.front();
      if (slot.is_dimension) {
        out.model.dimensions[slot.id] = v;
      } else {
        out.model.bool_vars[slot.id] = v != 0;
      }
    }
    // The three-valued evaluation already proved this; checked again so
    // that a defect here can only cost speed (Z3 is asked), never an answer.
    if (!EvaluateTerm(f_, root, out.model)) {
      out.model = Assignment();
      return out;
    }
    out.verdict = SolveVerdict::kSat;
    return out;
  }

  // Copies the term's DAG into nodes_ in post-order (kids first, root
  // last) and gives every variable a slot. False when a dimension is too
  // large to split.
  bool Compile(TermId root) {
    std::unordered_map<TermId, std::uint32_t> local;
    std::unordered_map<int, int> dim_slot, var_slot;
    std::vector<std::pair<TermId, bool>> stack = {{root, false}};
    std::vector<std::uint32_t> kid_buffer;
    while (!stack.empty()) {
      auto [t, expanded] = stack.back();
      stack.pop_back();
      if (local.count(t) > 0) continue;
      const TermNode& n = f_.node(t);
      if (!expanded) {
        stack.push_back({t, true});
        for (auto k = n.kids.rbegin(); k != n.kids.rend(); ++k) {
          if (local.count(*k) == 0) stack.push_back({*k, false});
        }
        continue;
      }
      Node node;
      node.kind = n.kind;
      if (n.kind == TermKind::kBoolVar) {
        auto [it, added] =
            var_slot.emplace(n.var, static_cast<int>(slots_.size()));
        if (added) {
          Slot s;
          s.id = n.var;
          s.values = {0, 1};
          slots_.push_back(std::move(s));
        }
        node.slot = it->second;
      } else if (n.kind == TermKind::kInClasses) {
        auto [it, added] =
            dim_slot.emplace(n.var, static_cast<int>(slots_.size()));
        if (added) {
          Slot s;
          s.is_dimension = true;
          s.id = n.var;
          slots_.push_back(std::move(s));
        }
        node.slot = it->second;
        node.classes = &n.classes;
        if (own_atoms_) node.classes = &owned_atoms_.emplace_back(n.classes);
        slots_[node.slot].atoms.push_back(node.classes);
      }
      node.first_kid = static_cast<std::uint32_t>(kids_.size());
      node.kid_count = static_cast<std::uint32_t>(n.kids.size());
      for (TermId k : n.kids) kids_.push_back(local.at(k));
      local.emplace(t, static_cast<std::uint32_t>(nodes_.size()));
      nodes_.push_back(node);
    }
    for (Slot& s : slots_) {
      if (s.is_dimension && !ChooseRepresentatives(&s)) return false;
    }
    return true;
  }

  // One representative class per block of classes that lie in the same
  // atoms.
  bool ChooseRepresentatives(Slot* s) const {
    const std::uint32_t size = f_.dimension_size(s->id);
    if (size > kMaxSplitClasses) return false;
    std::uint32_t count = 0;
    s->block = smt::SplitIntoBlocks(size, s->atoms, &count);
    for (std::uint32_t c = 0; c < size && s->values.size() < count; ++c) {
      if (s->block[c] == s->values.size()) s->values.push_back(c);
    }
    return true;
  }

  // Evaluates every node under the partial assignment; false when the
  // budget does not cover it.
  bool Evaluate() {
    if (work_ + nodes_.size() > budget_) {
      exhausted_ = true;
      return false;
    }
    work_ += nodes_.size();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const Node& n = nodes_[i];
      Value v = kOpen;
      switch (n.kind) {
        case TermKind::kTrue:
          v = kTrue;
          break;
        case TermKind::kFalse:
          v = kFalse;
          break;
        case TermKind::kBoolVar: {
          const std::int64_t a = assignment_[n.slot];
          v = a < 0 ? kOpen : (a != 0 ? kTrue : kFalse);
          break;
        }
        case TermKind::kInClasses: {
          const std::int64_t a = assignment_[n.slot];
          if (a >= 0) {
            v = std::binary_search(n.classes->begin(), n.classes->end(),
                                   static_cast<std::uint32_t>(a))
                    ? kTrue
                    : kFalse;
          }
          break;
        }
        case TermKind::kNot: {
          const Value k = values_[kids_[n.first_kid]];
          v = k == kOpen ? kOpen : (k == kTrue ? kFalse : kTrue);
          break;
        }
        case TermKind::kLabel:
          v = values_[kids_[n.first_kid]];
          break;
        case TermKind::kAnd:
        case TermKind::kOr: {
          const Value absorbing = n.kind == TermKind::kAnd ? kFalse : kTrue;
          v = n.kind == TermKind::kAnd ? kTrue : kFalse;
          for (std::uint32_t j = 0; j < n.kid_count; ++j) {
            const Value k = values_[kids_[n.first_kid + j]];
            if (k == absorbing) {
              v = absorbing;
              break;
            }
            if (k == kOpen) v = kOpen;
          }
          break;
        }
      }
      values_[i] = v;
    }
    return true;
  }

  // An open atom the root's value depends on, found by descending from the
  // root through open nodes, and the value of that atom that would bring
  // the root closer to true (a Not flips it).
  struct OpenAtom {
    int slot = -1;
    std::size_t node = 0;
    bool wanted = true;
  };
  OpenAtom FindOpenAtom() const {
    std::size_t i = nodes_.size() - 1;
    bool wanted = true;
    for (;;) {
      const Node& n = nodes_[i];
      if (n.slot >= 0) return OpenAtom{n.slot, i, wanted};
      if (n.kind == TermKind::kNot) wanted = !wanted;
      for (std::uint32_t j = 0; j < n.kid_count; ++j) {
        const std::uint32_t k = kids_[n.first_kid + j];
        if (values_[k] == kOpen) {
          i = k;
          break;
        }
      }
    }
  }

  // Depth-first over the open slots; true when the root became true. In a
  // guided search (RunWithin), the values that give the atom found its
  // wanted value are tried first; every value is tried either way.
  bool Branch() {
    if (!Evaluate()) return false;
    const Value root = values_.back();
    if (root != kOpen) return root == kTrue;
    const OpenAtom open = FindOpenAtom();
    const Slot& slot = slots_[open.slot];
    if (!guided_) {
      for (std::uint32_t v : slot.values) {
        assignment_[open.slot] = v;
        if (Branch()) return true;
        if (exhausted_) return false;
      }
      assignment_[open.slot] = -1;
      return false;
    }
    const Node& atom = nodes_[open.node];
    auto wanted = [&](std::uint32_t v) {
      if (atom.kind == TermKind::kBoolVar) return (v != 0) == open.wanted;
      return std::binary_search(atom.classes->begin(), atom.classes->end(),
                                v) == open.wanted;
    };
    std::vector<std::uint32_t> order;
    order.reserve(slot.values.size());
    for (std::uint32_t v : slot.values) {
      if (wanted(v)) order.push_back(v);
    }
    for (std::uint32_t v : slot.values) {
      if (!wanted(v)) order.push_back(v);
    }
    for (std::uint32_t v : order) {
      assignment_[open.slot] = v;
      if (Branch()) return true;
      if (exhausted_) return false;
    }
    assignment_[open.slot] = -1;
    return false;
  }

  const TermFactory& f_;
  std::uint64_t budget_;
  bool guided_ = false;
  // Whether the atoms' class lists are copied (the factory may grow, and
  // move its nodes, between the runs of a compiled search).
  bool own_atoms_ = false;
  std::deque<std::vector<std::uint32_t>> owned_atoms_;
  TermId root_ = 0;
  std::uint64_t work_ = 0;
  bool exhausted_ = false;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> kids_;
  std::vector<Slot> slots_;
  std::vector<std::int64_t> assignment_;
  std::vector<Value> values_;
};

}  // namespace

SearchOutcome FiniteSearch(const TermFactory& factory, TermId t,
                           std::uint64_t budget) {
  return Search(factory, budget).Run(t);
}

struct CompiledSearch::Impl {
  Impl(const TermFactory& factory, TermId t) : search(factory, 0) {
    compiled = search.Prepare(t);
  }
  Search search;
  bool compiled = false;
};

CompiledSearch::CompiledSearch(const TermFactory& factory, TermId t)
    : impl_(std::make_unique<Impl>(factory, t)) {}

CompiledSearch::~CompiledSearch() = default;

SearchOutcome CompiledSearch::RunWithin(
    int dim, const std::vector<std::uint32_t>& allowed, std::uint64_t budget) {
  if (!impl_->compiled) return SearchOutcome();
  return impl_->search.RunWithin(dim, allowed, budget);
}

bool EvaluateTerm(const TermFactory& factory, TermId root,
                  const Assignment& assignment) {
  std::unordered_map<TermId, bool> memo;
  std::vector<std::pair<TermId, bool>> stack = {{root, false}};
  while (!stack.empty()) {
    auto [t, expanded] = stack.back();
    stack.pop_back();
    if (memo.count(t) > 0) continue;
    const TermNode& n = factory.node(t);
    if (!expanded && !n.kids.empty()) {
      stack.push_back({t, true});
      for (TermId k : n.kids) {
        if (memo.count(k) == 0) stack.push_back({k, false});
      }
      continue;
    }
    bool v = false;
    switch (n.kind) {
      case TermKind::kTrue:
        v = true;
        break;
      case TermKind::kFalse:
        v = false;
        break;
      case TermKind::kBoolVar: {
        auto it = assignment.bool_vars.find(n.var);
        v = it != assignment.bool_vars.end() && it->second;
        break;
      }
      case TermKind::kInClasses: {
        auto it = assignment.dimensions.find(n.var);
        const std::uint32_t c =
            it == assignment.dimensions.end() ? 0 : it->second;
        v = std::binary_search(n.classes.begin(), n.classes.end(), c);
        break;
      }
      case TermKind::kNot:
        v = !memo.at(n.kids[0]);
        break;
      case TermKind::kLabel:
        v = memo.at(n.kids[0]);
        break;
      case TermKind::kAnd:
        v = std::all_of(n.kids.begin(), n.kids.end(),
                        [&](TermId k) { return memo.at(k); });
        break;
      case TermKind::kOr:
        v = std::any_of(n.kids.begin(), n.kids.end(),
                        [&](TermId k) { return memo.at(k); });
        break;
    }
    memo.emplace(t, v);
  }
  return memo.at(root);
}

namespace {

// The classes of `dim` where `root` may be true (some values of the
// variables `assignment` leaves out make it true; with `open` false, they
// read as false / class 0 instead, and "may be" is "is"). Three-valued
// evaluation of the term, each node's value a pair of class sets: where
// it may be true and where it may be false.
std::vector<std::uint32_t> ClassesWhere(const TermFactory& factory, TermId root,
                                        const Assignment& assignment, int dim,
                                        bool open) {
  const std::uint32_t size = factory.dimension_size(dim);
  const std::size_t words = (size + 63) / 64;
  // One class set: every class, none, or `words` bits from `first` in
  // `bits`.
  struct Set {
    enum Kind : std::uint8_t { kNone, kAll, kSome } kind = kNone;
    std::size_t first = 0;
  };
  struct Value {
    Set may_true, may_false;
  };
  // The class sets' words, kept by the thread from one call to the next
  // (cleared, not freed).
  thread_local std::vector<std::uint64_t> bits_storage;
  std::vector<std::uint64_t>& bits = bits_storage;
  bits.clear();
  // The value of each term evaluated so far, by id: a table the thread
  // keeps from one call to the next, a round per call.
  thread_local StampedTable<Value> memo_table;
  StampedTable<Value>& memo = memo_table;
  memo.Begin(factory.term_count());
  auto known = [&](TermId t) { return memo.Has(t); };
  auto at = [&](TermId t) -> const Value& { return memo.at(t); };
  auto word = [&](const Set& v, std::size_t i) -> std::uint64_t {
    if (v.kind == Set::kAll) return ~std::uint64_t{0};
    if (v.kind == Set::kNone) return 0;
    return bits[v.first + i];
  };
  const std::uint64_t last = size % 64 == 0
                                 ? ~std::uint64_t{0}
                                 : (std::uint64_t{1} << (size % 64)) - 1;
  // Stores `out` (words bits) as a set, kAll or kNone when it is one.
  auto store = [&](const std::vector<std::uint64_t>& out) {
    bool none = true, all = true;
    for (std::size_t i = 0; i < words; ++i) {
      const std::uint64_t full = i + 1 < words ? ~std::uint64_t{0} : last;
      none &= (out[i] & full) == 0;
      all &= (out[i] & full) == full;
    }
    Set v;
    if (none) return v;
    if (all) {
      v.kind = Set::kAll;
      return v;
    }
    v.kind = Set::kSome;
    v.first = bits.size();
    bits.insert(bits.end(), out.begin(), out.end());
    return v;
  };
  auto constant = [](bool may_true, bool may_false) {
    Value v;
    v.may_true.kind = may_true ? Set::kAll : Set::kNone;
    v.may_false.kind = may_false ? Set::kAll : Set::kNone;
    return v;
  };
  // The intersection (`meet`) or union of sets.
  std::vector<std::uint64_t> out(words);
  std::vector<const Set*> some;
  auto combine = [&](const std::vector<Set>& sets, bool meet) {
    const Set::Kind absorbing = meet ? Set::kNone : Set::kAll;
    some.clear();
    for (const Set& x : sets) {
      if (x.kind == absorbing) return x;
      if (x.kind == Set::kSome) some.push_back(&x);
    }
    if (some.empty()) {
      Set v;
      v.kind = meet ? Set::kAll : Set::kNone;
      return v;
    }
    if (some.size() == 1) return *some[0];
    for (std::size_t i = 0; i < words; ++i) {
      std::uint64_t w = bits[some[0]->first + i];
      for (std::size_t j = 1; j < some.size(); ++j) {
        const std::uint64_t x = bits[some[j]->first + i];
        w = meet ? (w & x) : (w | x);
      }
      out[i] = w;
    }
    return store(out);
  };
  // A term without an atom on `dim` has one value for every class: it is
  // evaluated as a Boolean (may be true, may be false), stopping at the
  // first kid that settles an And or an Or, instead of as class sets.
  const std::uint64_t dim_bit = std::uint64_t{1} << (dim % 64);
  // (may be true, may be false) of a constant, a Boolean variable or an
  // atom on another dimension than `dim`.
  auto leaf = [&](const TermNode& n) -> std::pair<bool, bool> {
    switch (n.kind) {
      case TermKind::kTrue:
        return {true, false};
      case TermKind::kBoolVar: {
        auto it = assignment.bool_vars.find(n.var);
        if (it == assignment.bool_vars.end()) return {open, true};
        return {it->second, !it->second};
      }
      case TermKind::kInClasses: {
        auto it = assignment.dimensions.find(n.var);
        if (it == assignment.dimensions.end() && open) {
          return {!n.classes.empty(),
                  n.classes.size() < factory.dimension_size(n.var)};
        }
        const std::uint32_t c =
            it == assignment.dimensions.end() ? 0 : it->second;
        const bool in =
            std::binary_search(n.classes.begin(), n.classes.end(), c);
        return {in, !in};
      }
      default:  // kFalse
        return {false, true};
    }
  };
  std::function<std::pair<bool, bool>(TermId)> flat =
      [&](TermId t) -> std::pair<bool, bool> {
    if (known(t)) {
      const Value& v = at(t);
      return {v.may_true.kind == Set::kAll, v.may_false.kind == Set::kAll};
    }
    const TermNode& n = factory.node(t);
    std::pair<bool, bool> r;
    switch (n.kind) {
      case TermKind::kTrue:
      case TermKind::kFalse:
      case TermKind::kBoolVar:
      case TermKind::kInClasses:
        r = leaf(n);
        break;
      case TermKind::kNot: {
        const std::pair<bool, bool> k = flat(n.kids[0]);
        r = {k.second, k.first};
        break;
      }
      case TermKind::kLabel:
        r = flat(n.kids[0]);
        break;
      case TermKind::kAnd:
      case TermKind::kOr: {
        // And: may be true while every kid may be; may be false once one
        // may be. Or: the other way round.
        const bool is_and = n.kind == TermKind::kAnd;
        bool all = true, any = false;
        for (TermId k : n.kids) {
          const std::pair<bool, bool> kv = flat(k);
          all &= is_and ? kv.first : kv.second;
          any |= is_and ? kv.second : kv.first;
          if (!all && any) break;
        }
        r = is_and ? std::make_pair(all, any) : std::make_pair(any, all);
        break;
      }
    }
    memo.Set(t, constant(r.first, r.second));
    return r;
  };
  std::vector<Set> trues, falses;
  std::vector<std::pair<TermId, bool>> stack = {{root, false}};
  while (!stack.empty()) {
    auto [t, expanded] = stack.back();
    stack.pop_back();
    if (known(t)) continue;
    const TermNode& n = factory.node(t);
    if ((n.dims_mask & dim_bit) == 0) {
      flat(t);
      continue;
    }
    if (!expanded && !n.kids.empty()) {
      stack.push_back({t, true});
      for (TermId k : n.kids) {
        if (!known(k)) stack.push_back({k, false});
      }
      continue;
    }
    Value v;
    switch (n.kind) {
      case TermKind::kTrue:
      case TermKind::kFalse:
      case TermKind::kBoolVar:
      case TermKind::kInClasses: {
        if (n.kind == TermKind::kInClasses && n.var == dim) {
          std::fill(out.begin(), out.end(), 0);
          for (std::uint32_t c : n.classes) {
            if (c < size) out[c / 64] |= std::uint64_t{1} << (c % 64);
          }
          v.may_true = store(out);
          for (std::size_t i = 0; i < words; ++i) out[i] = ~out[i];
          v.may_false = store(out);
          break;
        }
        const std::pair<bool, bool> r = leaf(n);
        v = constant(r.first, r.second);
        break;
      }
      case TermKind::kNot: {
        const Value k = at(n.kids[0]);
        v.may_true = k.may_false;
        v.may_false = k.may_true;
        break;
      }
      case TermKind::kLabel:
        v = at(n.kids[0]);
        break;
      case TermKind::kAnd:
      case TermKind::kOr: {
        const bool is_and = n.kind == TermKind::kAnd;
        trues.clear();
        falses.clear();
        for (TermId k : n.kids) {
          const Value& kv = at(k);
          trues.push_back(kv.may_true);
          falses.push_back(kv.may_false);
        }
        v.may_true = combine(trues, /*meet=*/is_and);
        v.may_false = combine(falses, /*meet=*/!is_and);
        break;
      }
    }
    memo.Set(t, v);
  }
  const Set& v = at(root).may_true;
  std::vector<std::uint32_t> classes;
  for (std::uint32_t c = 0; c < size; ++c) {
    if (word(v, c / 64) >> (c % 64) & 1) classes.push_back(c);
  }
  return classes;
}

}  // namespace

std::vector<std::uint32_t> ClassesWhereTrue(const TermFactory& factory,
                                            TermId root,
                                            const Assignment& assignment,
                                            int dim) {
  return ClassesWhere(factory, root, assignment, dim, /*open=*/false);
}

std::vector<std::uint32_t> ClassesWherePossible(const TermFactory& factory,
                                                TermId root,
                                                const Assignment& assignment,
                                                int dim) {
  return ClassesWhere(factory, root, assignment, dim, /*open=*/true);
}

}  // namespace leastpriv::smt
