// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Table names that are not call arguments: the tables of PynamoDB
// models (Meta.table_name, set-up code) and Django settings values.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/analyzer.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

// The tables of a PynamoDB model: Meta.table_name in the class (or a
// base), and every `X.Meta.table_name = v` the project executes with X
// this model (a set-up function that names the table at run time).
std::vector<Str> Analyzer::ModelTables(Scope* model, const Ctx& c) {
  // A set-up call earlier in the same function (or in the set-up methods
  // of the same test class) decides the table for this call.
  std::vector<Str> local = SetUpTables(model, c);
  if (!local.empty()) return local;
  std::vector<Str> out;
  auto add = [&](const Str& s) { AddTable(&out, s, /*dedupe=*/true); };
  bool has_meta = false;
  for (const Value& m : ClassAttribute(model, "Meta", c)) {
    if (m.kind != Value::Kind::kClass) continue;
    has_meta = true;
    for (const Value& v : ClassAttribute(m.scope, "table_name", c)) {
      if (v.kind == Value::Kind::kStr) add(v.str);
    }
    break;
  }
  for (const auto& [st, scope] : MetaTableNameStores()) {
    Ctx in;
    in.scope = scope;
    in.depth = c.depth + 1;
    in.line = st->line;
    for (const Expr* t : st->targets) {
      if (!IsMetaTableNameTarget(t)) continue;
      bool ours = false;
      for (const Value& v : Eval(t->children()[0]->children()[0], in)) {
        if ((v.kind == Value::Kind::kModelClass ||
             v.kind == Value::Kind::kModelInstance) &&
            v.scope != nullptr && IsSubclass(model, v.scope)) {
          ours = true;
        }
      }
      if (!ours) continue;
      for (const Value& v : Eval(st->value, in)) {
        if (v.kind == Value::Kind::kStr) add(v.str);
      }
    }
  }
  if (out.empty()) {
    out.push_back(UnresolvedStr(
        has_meta ? "Meta.table_name of " + model->name + " is not resolvable"
                 : model->name + " has no Meta.table_name"));
  }
  return out;
}

// Tables that `X.Meta.table_name = v` stores give `model` when the store
// runs in a function called from c's function before c's line, or from
// the setUp / setUpClass / __init__ of c's class.
std::vector<Str> Analyzer::SetUpTables(Scope* model, const Ctx& c) {
  std::vector<Str> out;
  Scope* fn = c.scope;
  if (fn == nullptr || fn->kind != Scope::Kind::kFunction) return out;
  std::vector<std::pair<Scope*, int>> callers = {{fn, c.line}};
  if (fn->parent != nullptr && fn->parent->kind == Scope::Kind::kClass) {
    int levels = 0;
    for (Scope* k = fn->parent; k != nullptr && levels < 8;
         k = BaseClass(k), ++levels) {
      for (Scope* m : k->children) {
        if (m != fn && m->kind == Scope::Kind::kFunction &&
            (m->name == "setUp" || m->name == "setUpClass" ||
             m->name == "setup_method" || m->name == "__init__")) {
          callers.push_back({m, 1 << 30});
        }
      }
    }
  }
  const auto& calls = CallsByName();
  for (const auto& [st, store] : MetaTableNameStores()) {
    if (store->kind != Scope::Kind::kFunction) continue;
    auto it = calls.find(store->name);
    if (it == calls.end()) continue;
    for (const auto& [call, scope] : it->second) {
      int before = -1;
      for (const auto& [caller, line] : callers) {
        if (scope == caller) before = line;
      }
      if (before < 0 || call->line >= before) continue;
      Ctx at;
      at.scope = scope;
      at.depth = c.depth + 1;
      at.line = call->line;
      if (!CallTargets(call, scope, store, at)) continue;
      bool method = store->parent != nullptr &&
                    store->parent->kind == Scope::Kind::kClass &&
                    !HasDecorator(store, "staticmethod", nullptr);
      auto bound = BindArgs(store, call, at, method ? 1 : 0);
      Ctx in;
      in.scope = store;
      in.bound = &bound;
      in.depth = c.depth + 1;
      in.line = st->line;
      for (const Expr* t : st->targets) {
        if (!IsMetaTableNameTarget(t)) continue;
        bool ours = false;
        for (const Value& v : Eval(t->children()[0]->children()[0], in)) {
          ours = ours || ((v.kind == Value::Kind::kModelClass ||
                           v.kind == Value::Kind::kModelInstance) &&
                          IsSubclass(model, v.scope));
        }
        if (!ours) continue;
        for (const Value& v : Eval(st->value, in)) {
          if (v.kind == Value::Kind::kStr) {
            AddTable(&out, v.str, /*dedupe=*/false);
          }
        }
      }
    }
  }
  return out;
}

bool Analyzer::IsMetaTableNameTarget(const Expr* t) {
  return t->kind == Expr::Kind::kAttribute && t->name() == "table_name" &&
         t->children()[0]->kind == Expr::Kind::kAttribute &&
         t->children()[0]->name() == "Meta";
}

// Every statement `X.Meta.table_name = v` in the project, with its scope.
const std::vector<std::pair<const Stmt*, Scope*>>&
Analyzer::MetaTableNameStores() {
  if (!meta_stores_indexed_) {
    meta_stores_indexed_ = true;
    // CollectBindings met them (no walk of every statement again): in the
    // order of their scopes, each scope's in the order of its statements.
    absl::flat_hash_map<const Scope*, std::size_t> scope_order;
    for (const auto& [st, scope] : meta_stores_met_) {
      (void)st;
      scope_order.emplace(scope, 0);
    }
    std::size_t order = 0;
    for (const Scope& scope : scopes_) {
      auto it = scope_order.find(&scope);
      if (it != scope_order.end()) it->second = order;
      ++order;
    }
    meta_stores_ = meta_stores_met_;
    std::stable_sort(meta_stores_.begin(), meta_stores_.end(),
                     [&](const std::pair<const Stmt*, Scope*>& a,
                         const std::pair<const Stmt*, Scope*>& b) {
                       return scope_order[a.second] < scope_order[b.second];
                     });
  }
  return meta_stores_;
}

// settings.X: the value assigned in the project's settings modules.
const std::vector<Scope*>& Analyzer::SettingsModules() {
  if (settings_indexed_) return settings_modules_;
  settings_indexed_ = true;
  for (auto& [n, s] : modules_) {
    (void)n;
    if (s->file->is_settings) settings_modules_.push_back(s);
  }
  // settings.py / settings/__init__.py first, then by name.
  std::stable_sort(
      settings_modules_.begin(), settings_modules_.end(),
      [](Scope* a, Scope* b) {
        auto rank = [](Scope* s) {
          const std::string& p = s->file->path;
          bool main = p == "settings.py" ||
                      (p.size() > 12 &&
                       p.compare(p.size() - 12, 12, "/settings.py") == 0);
          bool init = p.find("settings/__init__.py") != std::string::npos;
          return main || init ? 0 : 1;
        };
        return rank(a) < rank(b);
      });
  return settings_modules_;
}

std::vector<Value> Analyzer::SettingValue(const std::string& name,
                                          const Ctx& c) {
  const std::vector<Scope*>& settings = SettingsModules();
  for (Scope* s : settings) {
    if (!s->names.count(name)) continue;
    return ModuleAttribute(s, name, c);
  }
  for (Scope* s : settings) {
    std::vector<Value> v = ModuleAttribute(s, name, c);
    if (!(v.size() == 1 && v[0].kind == Value::Kind::kUnknown)) return v;
  }
  Str s;
  s.origin = Str::Origin::kSettings;
  s.text = name;
  return {MakeStr(s)};
}

}  // namespace leastpriv::pyscan
