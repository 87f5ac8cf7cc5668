// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Scopes and bindings of every module, module names and import
// resolution, and the index of call sites by callee name.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/analyzer.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

void Analyzer::BuildScope(Scope* s, const StmtList& body) {
  for (const Stmt* st : body) CollectBindings(s, st);
  // A module's functions may bind its names (`global`): its scopes are
  // complete once the module is.
  if (s->kind == Scope::Kind::kModule) names_builder_.Finish();
}

void Analyzer::BindTarget(Scope* s, const Expr* target, Binding b) {
  if (target == nullptr) return;
  b.block = block_;
  b.in_other_arm = in_other_arm_;
  if (target->kind == Expr::Kind::kName) {
    b.names_target = true;
    if (s->kind == Scope::Kind::kFunction &&
        std::find(s->globals().begin(), s->globals().end(), target->name()) !=
            s->globals().end()) {
      b.set_eval_scope(s);
      names_builder_.Add(&s->module->names, target->name(), b);
      return;
    }
    names_builder_.Add(&s->names, target->name(), b);
  } else if (target->kind == Expr::Kind::kTuple ||
             target->kind == Expr::Kind::kList) {
    for (const Expr* t : target->children()) {
      Binding u = b;
      u.kind = Binding::Kind::kAssign;
      u.value = nullptr;  // element of an unpacked value: unknown
      BindTarget(s, t, u);
    }
  }
}

void Analyzer::CollectBindings(Scope* s, const Stmt* st) {
  switch (st->kind) {
    case Stmt::Kind::kAssign:
      if (s->kind != Scope::Kind::kClass) {
        for (const Expr* t : st->targets) {
          if (IsMetaTableNameTarget(t)) {
            meta_stores_met_.push_back({st, s});
            break;
          }
        }
      }
      for (const Expr* t : st->targets) {
        Binding b;
        b.kind = Binding::Kind::kAssign;
        b.line = st->line;
        b.value = st->value;
        BindTarget(s, t, b);
      }
      break;
    case Stmt::Kind::kImport:
      for (const ImportName* import : st->imports()) {
        const ImportName& n = *import;
        if (n.name == "*") {
          s->mutable_star_imports().push_back(
              ResolveRelative(s, n.module, n.level));
          continue;
        }
        Binding b;
        b.kind = Binding::Kind::kImport;
        b.line = st->line;
        b.set_import(&n);
        b.block = block_;
        b.in_other_arm = in_other_arm_;
        Name bound = n.asname;
        if (bound.empty()) {
          bound = n.name.empty()
                      ? names_.Intern(n.module.substr(0, n.module.find('.')))
                      : n.name;
        }
        names_builder_.Add(&s->names, bound, b);
      }
      break;
    case Stmt::Kind::kDef:
    case Stmt::Kind::kClass: {
      Scope* c = &scopes_.emplace_back();
      c->kind = st->kind == Stmt::Kind::kDef ? Scope::Kind::kFunction
                                             : Scope::Kind::kClass;
      c->file = s->file;
      c->stmt = st;
      c->parent = s;
      c->name = st->name();
      c->module = s->module;
      s->children.push_back(c);
      if (st->kind == Stmt::Kind::kDef) {
        for (size_t i = 0; i < st->params().size(); ++i) {
          Binding p;
          p.kind = Binding::Kind::kParam;
          p.line = st->line;
          p.param_index = static_cast<int>(i);
          p.set_param(&st->params()[i]);
          names_builder_.Add(&c->names, st->params()[i].name, p);
        }
      }
      // A new scope's bindings are in no block of the enclosing one.
      const std::uint32_t outer_block = block_;
      const bool outer_arm = in_other_arm_;
      block_ = 0;
      in_other_arm_ = false;
      BuildScope(c, st->body());
      block_ = outer_block;
      in_other_arm_ = outer_arm;
      Binding b;
      b.kind = st->kind == Stmt::Kind::kDef ? Binding::Kind::kDef
                                            : Binding::Kind::kClass;
      b.line = st->line;
      b.set_def(c);
      names_builder_.Add(&s->names, st->name(), b);
      break;
    }
    case Stmt::Kind::kFor: {
      Binding b;
      b.kind = Binding::Kind::kFor;
      b.line = st->line;
      b.value = st->value;
      if (!st->targets.empty() && st->targets[0]->kind == Expr::Kind::kName) {
        BindTarget(s, st->targets[0], b);
      } else if (!st->targets.empty()) {
        Binding u;
        u.line = st->line;
        BindTarget(s, st->targets[0], u);
      }
      for (const Stmt* c : st->body()) CollectBindings(s, c);
      for (const Stmt* c : st->orelse()) CollectBindings(s, c);
      break;
    }
    case Stmt::Kind::kWith:
      for (size_t i = 0; i < st->with_ctx().size(); ++i) {
        Binding b;
        b.kind = Binding::Kind::kWith;
        b.line = st->line;
        b.value = st->with_ctx()[i];
        BindTarget(s, st->with_targets()[i], b);
      }
      for (const Stmt* c : st->body()) CollectBindings(s, c);
      break;
    case Stmt::Kind::kBlock: {
      const std::uint32_t block = ++blocks_;
      EnterArm(block, false, s, st->body());
      EnterArm(block, true, s, st->orelse());
      break;
    }
    case Stmt::Kind::kGlobal:
      if (st->name() == "global") {
        for (const Expr* t : st->targets)
          s->mutable_globals().push_back(t->name());
      }
      break;
    default:
      break;
  }
}

void Analyzer::EnterArm(std::uint32_t block, bool other_arm, Scope* s,
                        const StmtList& body) {
  const std::uint32_t outer_block = block_;
  const bool outer_arm = in_other_arm_;
  block_ = block;
  in_other_arm_ = other_arm;
  for (const Stmt* c : body) CollectBindings(s, c);
  block_ = outer_block;
  in_other_arm_ = outer_arm;
}

std::string Analyzer::ResolveRelative(Scope* s, const std::string& module,
                                      int level) {
  return ResolveRelativeIn(*s->module->file, module, level);
}

std::string Analyzer::ResolveRelativeIn(const SourceFile& file,
                                        const std::string& module, int level) {
  if (level == 0) return module;
  std::string base = file.module_name;
  if (!file.is_package) {
    size_t dot = base.rfind('.');
    base = dot == std::string::npos ? "" : base.substr(0, dot);
  }
  for (int i = 1; i < level; ++i) {
    size_t dot = base.rfind('.');
    base = dot == std::string::npos ? "" : base.substr(0, dot);
  }
  if (module.empty()) return base;
  return base.empty() ? module : base + "." + module;
}

// An absolute import in module `from`: a repository often holds several
// import roots (one per app or function), so the module is looked for
// first beside `from` and in each directory above it, then at the root,
// then by a dotted suffix.
Scope* Analyzer::FindModuleFrom(const std::string& name, const Scope* from) {
  // The answer depends on the package `from` is in, not on `from`: the
  // modules of a package share their entries.
  std::string_view base;
  if (from != nullptr && from->file != nullptr && !name.empty()) {
    base = from->file->module_name;
    if (!from->file->is_package) {
      size_t dot = base.rfind('.');
      base = dot == std::string_view::npos ? "" : base.substr(0, dot);
    }
  }
  auto [it, fresh] = modules_from_.try_emplace({base, name}, nullptr);
  if (fresh) it->second = FindModuleFromUncached(name, base);
  return it->second;
}

Scope* Analyzer::FindModuleFromUncached(const std::string& name,
                                        std::string_view base) {
  std::string candidate;
  while (!base.empty()) {
    candidate.assign(base.data(), base.size());
    candidate += '.';
    candidate += name;
    if (Scope* m = ModuleNamed(candidate)) return m;
    size_t dot = base.rfind('.');
    base = dot == std::string_view::npos ? "" : base.substr(0, dot);
  }
  return FindModule(name);
}

Scope* Analyzer::ModuleNamed(std::string_view name) {
  if (module_index_.empty()) {
    module_index_.reserve(modules_.size());
    for (auto& [n, s] : modules_) module_index_.emplace(n, s);
  }
  auto it = module_index_.find(name);
  return it == module_index_.end() ? nullptr : it->second;
}

Scope* Analyzer::FindModule(const std::string& name) {
  if (Scope* m = ModuleNamed(name)) return m;
  // Projects are often scanned from a parent of the import root: a module
  // is also found by a dotted suffix of its name (the first in name
  // order). The suffixes are indexed once.
  if (!suffixes_indexed_) {
    suffixes_indexed_ = true;
    for (auto& [n, s] : modules_) {
      for (size_t dot = n.find('.'); dot != std::string::npos;
           dot = n.find('.', dot + 1)) {
        module_suffixes_.try_emplace(n.substr(dot + 1), s);
      }
    }
  }
  auto suffix = module_suffixes_.find(name);
  return suffix == module_suffixes_.end() ? nullptr : suffix->second;
}

// Whether an import of `module` (resolved, possibly external) may bind a
// name ExternalImport turns into a boto3 or PynamoDB value. A prefix test:
// erring towards true only costs time.
bool Analyzer::IsDynamoDbLibrary(const std::string& module) {
  return module.rfind("boto3", 0) == 0 || module.rfind("pynamodb", 0) == 0;
}

// Whether any import statement in `body`, at any depth (a superset of the
// statements CollectBindings visits), imports from a DynamoDB library.
bool Analyzer::ImportsDynamoDbLibrary(const SourceFile& file,
                                      const StmtList& body) {
  for (const Stmt* st : body) {
    if (st->kind == Stmt::Kind::kImport) {
      for (const ImportName* n : st->imports()) {
        if (IsDynamoDbLibrary(ResolveRelativeIn(file, n->module, n->level))) {
          return true;
        }
      }
    }
    if (ImportsDynamoDbLibrary(file, st->body()) ||
        ImportsDynamoDbLibrary(file, st->orelse())) {
      return true;
    }
  }
  return false;
}

// Every call expression, indexed by the last component of its callee, for
// resolving parameters from call sites. Built on first use, over the
// modules in name order (the order fixes which sites count first).
const absl::flat_hash_map<std::string_view,
                          std::vector<std::pair<const Expr*, Scope*>>>&
Analyzer::CallsByName() {
  if (!calls_indexed_) {
    calls_indexed_ = true;
    for (auto& [name, scope] : modules_) {
      (void)name;
      IndexCalls(scope, *scope->body());
    }
    // Kept for the rest of the analysis: without the room left for growth.
    for (auto& [name, sites] : calls_by_name_) {
      (void)name;
      sites.shrink_to_fit();
    }
  }
  return calls_by_name_;
}

void Analyzer::IndexCalls(Scope* s, const StmtList& body) {
  for (const Stmt* st : body) IndexStmtCalls(s, st);
}

Scope* Analyzer::ChildScope(Scope* s, const Stmt* st) {
  // The walks meet a scope's defs and classes in the order CollectBindings
  // made their scopes: most often the one after the last found.
  CompactList<Scope*>& kids = s->children;
  const std::size_t n = kids.size();
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t i = s->next_child + k;
    if (i >= n) i -= n;
    if (kids[i]->stmt == st) {
      s->next_child = static_cast<std::uint32_t>(i + 1);
      return kids[i];
    }
  }
  // Not made walking `s` (never so today): any scope of the statement.
  for (Scope& c : scopes_) {
    if (c.stmt == st) return &c;
  }
  return nullptr;
}

void Analyzer::IndexStmtCalls(Scope* s, const Stmt* st) {
  ForEachExpr(st, [&](const Expr* e) { IndexExprCalls(s, e); });
  if (st->kind == Stmt::Kind::kDef || st->kind == Stmt::Kind::kClass) {
    Scope* c = ChildScope(s, st);
    for (const Stmt* b : st->body()) IndexStmtCalls(c, b);
    return;
  }
  for (const Stmt* b : st->body()) IndexStmtCalls(s, b);
  for (const Stmt* b : st->orelse()) IndexStmtCalls(s, b);
}

void Analyzer::IndexExprCalls(Scope* s, const Expr* e) {
  if (e == nullptr) return;
  if (e->kind == Expr::Kind::kCall) {
    const Expr* f = e->children()[0];
    if ((f->kind == Expr::Kind::kName || f->kind == Expr::Kind::kAttribute) &&
        !f->name().empty()) {
      calls_by_name_[f->name()].push_back({e, s});
    }
  }
  for (const Expr* c : e->children()) IndexExprCalls(s, c);
  for (const Keyword& k : e->keywords()) IndexExprCalls(s, k.value);
  for (const StringPart& p : e->parts()) IndexExprCalls(s, p.field);
}

}  // namespace leastpriv::pyscan
