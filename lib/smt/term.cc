// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/smt/term.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace leastpriv::smt {

TermFactory::TermFactory() {
  TermNode t;
  t.kind = TermKind::kTrue;
  Intern(t);
  TermNode f;
  f.kind = TermKind::kFalse;
  Intern(f);
}

int TermFactory::NewDimension(std::uint32_t size, std::string name) {
  dim_sizes_.push_back(size == 0 ? 1 : size);
  dim_names_.push_back(std::move(name));
  return static_cast<int>(dim_sizes_.size()) - 1;
}

int TermFactory::NewBoolVar(std::string name) {
  var_names_.push_back(std::move(name));
  return static_cast<int>(var_names_.size()) - 1;
}

namespace {

std::uint64_t Mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t HashNode(const TermNode& n) {
  std::uint64_t h = Mix(static_cast<std::uint64_t>(n.kind),
                        static_cast<std::uint64_t>(n.var));
  for (std::uint32_t c : n.classes) h = Mix(h, c);
  h = Mix(h, 0xc1a55e5ULL);
  for (TermId k : n.kids) h = Mix(h, static_cast<std::uint64_t>(k));
  for (char c : n.label) h = Mix(h, static_cast<unsigned char>(c));
  return h;
}

bool SameNode(const TermNode& a, const TermNode& b) {
  return a.kind == b.kind && a.var == b.var && a.classes == b.classes &&
         a.kids == b.kids && a.label == b.label;
}

}  // namespace

TermId TermFactory::Intern(TermNode node) {
  absl::InlinedVector<TermId, 1>& bucket = index_[HashNode(node)];
  for (TermId id : bucket) {
    if (SameNode(nodes_[id], node)) return id;
  }
  const TermId id = static_cast<TermId>(nodes_.size());
  if (node.kind == TermKind::kInClasses) {
    node.dims_mask = std::uint64_t{1} << (node.var % 64);
  } else if (node.kind == TermKind::kBoolVar) {
    node.vars_mask = std::uint64_t{1} << (node.var % 64);
  }
  for (TermId k : node.kids) {
    node.dims_mask |= nodes_[k].dims_mask;
    node.vars_mask |= nodes_[k].vars_mask;
  }
  nodes_.push_back(std::move(node));
  bucket.push_back(id);
  return id;
}

TermId TermFactory::BoolVar(int var) {
  TermNode n;
  n.kind = TermKind::kBoolVar;
  n.var = var;
  return Intern(std::move(n));
}

TermId TermFactory::InClasses(int dim, std::vector<std::uint32_t> classes) {
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  if (classes.empty()) return False();
  if (classes.size() >= dim_sizes_[dim]) return True();
  TermNode n;
  n.kind = TermKind::kInClasses;
  n.var = dim;
  n.classes = std::move(classes);
  return Intern(std::move(n));
}

TermId TermFactory::Not(TermId t) {
  if (t == True()) return False();
  if (t == False()) return True();
  if (nodes_[t].kind == TermKind::kNot) return nodes_[t].kids[0];
  TermNode n;
  n.kind = TermKind::kNot;
  n.kids = {t};
  return Intern(std::move(n));
}

TermId TermFactory::And(std::vector<TermId> kids) {
  std::vector<TermId> flat;
  for (TermId k : kids) {
    if (k == False()) return False();
    if (k == True()) continue;
    if (nodes_[k].kind == TermKind::kAnd) {
      flat.insert(flat.end(), nodes_[k].kids.begin(), nodes_[k].kids.end());
    } else {
      flat.push_back(k);
    }
  }
  std::sort(flat.begin(), flat.end());
  flat.erase(std::unique(flat.begin(), flat.end()), flat.end());
  if (flat.empty()) return True();
  if (flat.size() == 1) return flat[0];
  TermNode n;
  n.kind = TermKind::kAnd;
  n.kids = std::move(flat);
  return Intern(std::move(n));
}

TermId TermFactory::Or(std::vector<TermId> kids) {
  std::vector<TermId> flat;
  for (TermId k : kids) {
    if (k == True()) return True();
    if (k == False()) continue;
    if (nodes_[k].kind == TermKind::kOr) {
      flat.insert(flat.end(), nodes_[k].kids.begin(), nodes_[k].kids.end());
    } else {
      flat.push_back(k);
    }
  }
  std::sort(flat.begin(), flat.end());
  flat.erase(std::unique(flat.begin(), flat.end()), flat.end());
  if (flat.empty()) return False();
  if (flat.size() == 1) return flat[0];
  TermNode n;
  n.kind = TermKind::kOr;
  n.kids = std::move(flat);
  return Intern(std::move(n));
}

TermId TermFactory::Label(std::string label, TermId t) {
  if (IsConstant(t)) return t;
  TermNode n;
  n.kind = TermKind::kLabel;
  n.label = std::move(label);
  n.kids = {t};
  return Intern(std::move(n));
}

// What a rewrite fixes: one dimension, or maps of dimensions and variables.
struct TermFactory::Fixes {
  int dim = -1;
  std::uint32_t cls = 0;
  const std::map<int, std::uint32_t>* dims = nullptr;
  const std::map<int, bool>* vars = nullptr;

  // The bits (TermNode::dims_mask, vars_mask) of what is fixed.
  std::uint64_t dims_mask = 0;
  std::uint64_t vars_mask = 0;

  const std::uint32_t* Dimension(int d) const {
    if (d == dim) return &cls;
    if (dims == nullptr) return nullptr;
    auto it = dims->find(d);
    return it == dims->end() ? nullptr : &it->second;
  }
  const bool* Var(int v) const {
    if (vars == nullptr) return nullptr;
    auto it = vars->find(v);
    return it == vars->end() ? nullptr : &it->second;
  }
};

TermId TermFactory::FixDimension(TermId root, int dim, std::uint32_t cls) {
  Fixes fixes;
  fixes.dim = dim;
  fixes.cls = cls;
  fixes.dims_mask = std::uint64_t{1} << (dim % 64);
  return Rewrite(root, fixes);
}

TermId TermFactory::Substitute(TermId root,
                               const std::map<int, std::uint32_t>& dims,
                               const std::map<int, bool>& vars) {
  Fixes fixes;
  fixes.dims = &dims;
  fixes.vars = &vars;
  for (const auto& [d, c] : dims) {
    (void)c;
    fixes.dims_mask |= std::uint64_t{1} << (d % 64);
  }
  for (const auto& [v, b] : vars) {
    (void)b;
    fixes.vars_mask |= std::uint64_t{1} << (v % 64);
  }
  return Rewrite(root, fixes);
}

TermId TermFactory::Rewrite(TermId root, const Fixes& fixes) {
  // Only the terms that exist now are rewritten (the ones it makes are
  // results): the table covers them.
  rewrite_memo_.Begin(nodes_.size());
  return RewriteNode(root, fixes);
}

TermId TermFactory::RewriteNode(TermId t, const Fixes& fixes) {
  // Nothing fixed occurs in `t`: it stays as it is.
  if ((nodes_[t].dims_mask & fixes.dims_mask) == 0 &&
      (nodes_[t].vars_mask & fixes.vars_mask) == 0) {
    return t;
  }
  if (rewrite_memo_.Has(t)) return rewrite_memo_.at(t);
  // nodes_ is read by index throughout: interning may grow it.
  TermId out = t;
  switch (nodes_[t].kind) {
    case TermKind::kTrue:
    case TermKind::kFalse:
      break;
    case TermKind::kBoolVar:
      if (const bool* v = fixes.Var(nodes_[t].var)) out = Bool(*v);
      break;
    case TermKind::kInClasses:
      if (const std::uint32_t* c = fixes.Dimension(nodes_[t].var)) {
        const std::vector<std::uint32_t>& classes = nodes_[t].classes;
        out = Bool(std::binary_search(classes.begin(), classes.end(), *c));
      }
      break;
    case TermKind::kNot:
      out = Not(RewriteNode(nodes_[t].kids[0], fixes));
      break;
    case TermKind::kAnd:
    case TermKind::kOr: {
      const bool is_and = nodes_[t].kind == TermKind::kAnd;
      const std::size_t count = nodes_[t].kids.size();
      std::vector<TermId> kids;
      bool changed = false;
      for (std::size_t i = 0; i < count; ++i) {
        const TermId k = nodes_[t].kids[i];
        const TermId nk = RewriteNode(k, fixes);
        if (nk != k && !changed) {
          changed = true;
          kids.reserve(count);
          kids.assign(nodes_[t].kids.begin(), nodes_[t].kids.begin() + i);
        }
        if (changed) kids.push_back(nk);
        if (is_and && nk == False()) {
          out = False();
          break;
        }
        if (!is_and && nk == True()) {
          out = True();
          break;
        }
      }
      if (out == t && changed)
        out = is_and ? And(std::move(kids)) : Or(std::move(kids));
      break;
    }
    case TermKind::kLabel: {
      const TermId kid = nodes_[t].kids[0];
      const TermId k = RewriteNode(kid, fixes);
      if (k != kid) out = Label(std::string(nodes_[t].label), k);
      break;
    }
  }
  rewrite_memo_.Set(t, out);
  return out;
}

void TermFactory::CollectVariables(TermId root, std::set<int>* dims,
                                   std::set<int>* vars) const {
  std::vector<TermId> stack = {root};
  std::vector<bool> seen(nodes_.size(), false);
  while (!stack.empty()) {
    TermId t = stack.back();
    stack.pop_back();
    if (seen[t]) continue;
    seen[t] = true;
    const TermNode& n = nodes_[t];
    if (n.kind == TermKind::kBoolVar) vars->insert(n.var);
    if (n.kind == TermKind::kInClasses) dims->insert(n.var);
    for (TermId k : n.kids) stack.push_back(k);
  }
}

std::vector<const std::vector<std::uint32_t>*> TermFactory::AtomsOn(
    TermId root, int dim) const {
  std::vector<const std::vector<std::uint32_t>*> atoms;
  std::vector<TermId> stack = {root};
  std::vector<char> seen(nodes_.size(), 0);
  while (!stack.empty()) {
    const TermId t = stack.back();
    stack.pop_back();
    if (seen[t]) continue;
    seen[t] = 1;
    const TermNode& n = nodes_[t];
    if (n.kind == TermKind::kInClasses && n.var == dim)
      atoms.push_back(&n.classes);
    for (TermId k : n.kids) stack.push_back(k);
  }
  return atoms;
}

std::vector<std::uint32_t> SplitIntoBlocks(
    std::uint32_t size,
    const std::vector<const std::vector<std::uint32_t>*>& atoms,
    std::uint32_t* count) {
  // Refined atom by atom: the members of an atom leave their block for a
  // new one. Then renumbered in order of first class.
  std::vector<std::uint32_t> block(size, 0);
  std::vector<std::int64_t> moved_to(1, -1);  // per block, its split-off part
  std::uint32_t blocks = 1;
  std::vector<std::uint32_t> touched;
  for (const std::vector<std::uint32_t>* atom : atoms) {
    touched.clear();
    for (std::uint32_t c : *atom) {
      const std::uint32_t b = block[c];
      if (moved_to[b] < 0) {
        moved_to[b] = blocks++;
        moved_to.push_back(-1);
        touched.push_back(b);
      }
      block[c] = static_cast<std::uint32_t>(moved_to[b]);
    }
    for (std::uint32_t b : touched) moved_to[b] = -1;
  }
  std::vector<std::int64_t> dense(blocks, -1);
  std::uint32_t next = 0;
  for (std::uint32_t& b : block) {
    if (dense[b] < 0) dense[b] = next++;
    b = static_cast<std::uint32_t>(dense[b]);
  }
  *count = next;
  return block;
}

std::string TermFactory::Render(TermId t) const {
  const TermNode& n = nodes_[t];
  switch (n.kind) {
    case TermKind::kTrue:
      return "true";
    case TermKind::kFalse:
      return "false";
    case TermKind::kBoolVar:
      return var_names_[n.var];
    case TermKind::kInClasses:
      return absl::StrCat(dim_names_[n.var], " in class {",
                          absl::StrJoin(n.classes, ","), "}");
    case TermKind::kNot:
      return absl::StrCat("not (", Render(n.kids[0]), ")");
    case TermKind::kAnd:
    case TermKind::kOr: {
      std::vector<std::string> parts;
      for (TermId k : n.kids) {
        const TermKind kk = nodes_[k].kind;
        bool wrap = kk == TermKind::kAnd || kk == TermKind::kOr;
        parts.push_back(wrap ? absl::StrCat("(", Render(k), ")") : Render(k));
      }
      return absl::StrJoin(parts, n.kind == TermKind::kAnd ? " and " : " or ");
    }
    case TermKind::kLabel:
      return n.label;
  }
  return "";
}

}  // namespace leastpriv::smt
