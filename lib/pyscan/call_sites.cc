// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Across functions: the values of parameters from the call sites of
// their function, the receivers of methods, which functions a call site
// reaches (indexed once per callee name), and what a function returns.

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

#include "leastpriv/catalog.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/analyzer.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

// A class: a PynamoDB model, an index class, or a plain project class.
Value Analyzer::ClassValue(Scope* cls, const Ctx& c) {
  Value v;
  v.scope = cls;
  v.kind = Value::Kind::kClass;
  int kind = ClassKind(cls, c, 0);
  if (kind == 1) v.kind = Value::Kind::kModelClass;
  if (kind == 2) v.name = "index";
  return v;
}

// 1: PynamoDB model, 2: PynamoDB index, 0: other.
int Analyzer::ClassKind(Scope* cls, const Ctx& c, int depth) {
  if (depth > 8) return 0;
  auto cached = class_kind_.find(cls);
  if (cached != class_kind_.end()) return cached->second;
  class_kind_[cls] = 0;
  int kind = 0;
  // Cached, so computed from the top: a kind found under a cut-off depth
  // would stay wrong.
  Ctx in = c;
  in.scope = cls->parent;
  in.bound = nullptr;
  in.depth = 0;
  in.line = 1 << 30;
  for (const Expr* base : cls->stmt->bases()) {
    for (const Value& bv : Eval(base, in)) {
      if (bv.kind == Value::Kind::kModelBase ||
          bv.kind == Value::Kind::kModelClass)
        kind = 1;
      if (bv.kind == Value::Kind::kIndexBase) kind = 2;
      if (bv.kind == Value::Kind::kSettingsBase) kind = 3;
      if (bv.kind == Value::Kind::kClass && bv.scope != nullptr) {
        int k = ClassKind(bv.scope, c, depth + 1);
        if (k != 0) kind = k;
      }
    }
  }
  class_kind_[cls] = kind;
  return kind;
}

// Parameter values: bound by the current call, else from every call site
// of the function, else the default.
std::vector<Value> Analyzer::ParamValues(Scope* fn, const Binding& b,
                                         const std::string& name,
                                         const Ctx& c) {
  if (c.bound != nullptr) {
    auto it = c.bound->find(name);
    if (it != c.bound->end()) return it->second;
  }
  return Remembered(param_memo_,
                    std::pair<const Stmt*, int>{fn->stmt, b.param_index},
                    c.depth, /*regular_only=*/true,
                    [&] { return ParamValuesUncached(fn, b, name, c); });
}

std::vector<Value> Analyzer::ParamValuesUncached(Scope* fn, const Binding& b,
                                                 const std::string& name,
                                                 const Ctx& c) {
  std::pair<const Stmt*, int> key{fn->stmt, b.param_index};
  if (in_progress_.count(key)) return {CutOff("recursive parameter")};
  in_progress_.insert(key);
  std::vector<Value> out;
  bool is_method =
      fn->parent != nullptr && fn->parent->kind == Scope::Kind::kClass;
  if (is_method && b.param_index == 0 &&
      !HasDecorator(fn, "staticmethod", nullptr)) {
    std::vector<Value> receivers;
    if (HasDecorator(fn, "classmethod", nullptr)) {
      receivers = ClassReceivers(fn, c);
    } else {
      receivers = Receivers(fn, c);
    }
    in_progress_.erase(key);
    return receivers;
  }
  std::string callee = fn->name;
  if (is_method && fn->name == "__init__") callee = fn->parent->name;
  const int offset =
      is_method && !HasDecorator(fn, "staticmethod", nullptr) ? 1 : 0;
  // The argument a call passes for the parameter, else null.
  auto arg_of = [&](const Expr* call) {
    const Expr* arg = nullptr;
    int pos = b.param_index - offset;
    size_t npos = call->children().size() - 1;
    if (b.param()->star == 0 && pos >= 0 && static_cast<size_t>(pos) < npos &&
        call->children()[pos + 1]->kind != Expr::Kind::kStarred) {
      arg = call->children()[pos + 1];
    }
    for (const Keyword& k : call->keywords()) {
      if (k.name == name) arg = k.value;
    }
    return arg;
  };
  // Every call site counts: past the bound, AddValues widens. A site that
  // passes no argument for a parameter without a default gives nothing; one
  // whose arguments the function cannot take does not call it.
  auto relevant = [&](const Expr* call) {
    return (b.param()->default_value != nullptr || arg_of(call) != nullptr) &&
           MayTake(fn, call);
  };
  auto positions = [&]() -> const std::vector<std::uint32_t>& {
    auto [found, fresh] = relevant_sites_.try_emplace(key);
    if (fresh) {
      const auto& calls = CallsByName();
      auto sites = calls.find(callee);
      if (sites != calls.end()) {
        for (std::size_t i = 0; i < sites->second.size(); ++i) {
          if (relevant(sites->second[i].first)) {
            found->second.push_back(static_cast<std::uint32_t>(i));
          }
        }
      }
    }
    return found->second;
  };
  ForEachCallOf(fn, callee, c, relevant, positions,
                [&](const Expr* call, Scope* scope) {
                  const Expr* arg = arg_of(call);
                  Ctx in;
                  in.scope = scope;
                  in.depth = c.depth + 1;
                  in.line = call->line;
                  if (arg != nullptr) {
                    AddValues(&out, Eval(arg, in));
                  } else if (b.param()->default_value != nullptr) {
                    Ctx d = c;
                    d.scope = fn->parent;
                    AddValues(&out, Eval(b.param()->default_value, d));
                  }
                });
  if (out.empty() && b.param()->default_value != nullptr) {
    Ctx d = c;
    d.scope = fn->parent;
    out = Eval(b.param()->default_value, d);
  }
  in_progress_.erase(key);
  if (out.empty()) {
    return {Unknown("parameter '" + name + "' of " + fn->name +
                    "() has no resolvable call site")};
  }
  return out;
}

// Whether `fn` can take the arguments of `call`: no more positional ones
// than its parameters (one more for a method called on its class, self
// passed explicitly) unless it has *args, and no keyword it does not name
// unless it has **kwargs.
bool Analyzer::MayTake(const Scope* fn, const Expr* call) {
  const auto& params = fn->stmt->params();
  std::size_t positional = 0;
  bool any_positional = false;
  bool any_keyword = false;
  bool keyword_only = false;
  for (const Param& p : params) {
    if (p.star == 1) {
      any_positional = any_positional || !p.name.empty();
      keyword_only = true;
    } else if (p.star == 2) {
      any_keyword = true;
    } else if (!keyword_only) {
      ++positional;
    }
  }
  std::size_t passed = 0;
  for (std::size_t i = 1; i < call->children().size(); ++i) {
    if (call->children()[i]->kind == Expr::Kind::kStarred) {
      any_positional = true;  // how many it passes is not known
    }
    ++passed;
  }
  if (!any_positional && passed > positional + 1) return false;
  if (any_keyword) return true;
  for (const Keyword& k : call->keywords()) {
    if (k.name.empty()) continue;  // **mapping: its keys are not known
    bool named = false;
    for (const Param& p : params) {
      named = named || (p.star == 0 && p.name == k.name);
    }
    if (!named) return false;
  }
  return true;
}

// The instances a method runs on: the receivers of its call sites that
// are instances of its class (or of a subclass), each with the call that
// created it; else the instances the project creates; else any instance.
// Memoized per method even when recursion cut part of it short: a method
// reached again while its receivers are being found contributes none.
std::vector<Value> Analyzer::Receivers(Scope* fn, const Ctx& c) {
  auto memo = receivers_memo_.find(fn);
  if (memo != receivers_memo_.end()) return memo_values_.Get(memo->second);
  std::vector<Value> out = ReceiversUncached(fn, c);
  receivers_memo_.emplace(fn, memo_values_.Intern(out));
  return out;
}

std::vector<Value> Analyzer::ReceiversUncached(Scope* fn, const Ctx& c) {
  Scope* cls = fn->parent;
  if (ClassKind(cls, c, 0) == 1) {
    // A PynamoDB model's method runs on one of its items.
    Value v;
    v.kind = Value::Kind::kModelInstance;
    v.scope = cls;
    return {v};
  }
  std::vector<Value> out;
  auto add = [&](const Value& v) {
    for (const Value& o : out) {
      if (o.kind == v.kind && o.scope == v.scope && o.site == v.site &&
          o.expr == v.expr && o.name == v.name && o.str.text == v.str.text &&
          o.str.origin == v.str.origin) {
        return;
      }
    }
    AddValue(&out, v);
  };
  if (fn->name != "__init__") {
    ForEachClassReceiverAt(
        fn->name, cls, c, [&](const Expr* call, const Ctx& in, const Value& r) {
          if (r.kind == Value::Kind::kInstance) {
            add(r);
          } else if (r.kind == Value::Kind::kClass &&
                     call->children().size() >= 2) {
            // Class.method(x): a plain function whose first parameter is x.
            for (const Value& a : Eval(call->children()[1], in)) add(a);
          }
        });
  }
  if (out.empty()) {
    // The instances the project creates: calls of the class's name.
    const auto& calls = CallsByName();
    auto it = calls.find(cls->name);
    if (it != calls.end()) {
      ForEachSiteValue(
          &instance_sites_[cls->name], it->second, /*receiver=*/false, c,
          [](const Value& v) { return v.kind == Value::Kind::kInstance; }, cls,
          nullptr, [&](const Expr*, const Ctx&, const Value& v) { add(v); });
    }
  }
  if (out.empty()) {
    Value v;
    v.kind = Value::Kind::kInstance;
    v.scope = cls;
    out.push_back(v);
  }
  return out;
}

// The classes a classmethod runs on: the classes (of its class or a
// subclass) its call sites name, else its own class.
std::vector<Value> Analyzer::ClassReceivers(Scope* fn, const Ctx& c) {
  auto memo = receivers_memo_.find(fn);
  if (memo != receivers_memo_.end()) return memo_values_.Get(memo->second);
  std::vector<Value> out;
  ForEachClassReceiverAt(fn->name, fn->parent, c,
                         [&](const Expr*, const Ctx&, Value r) {
                           if (r.kind == Value::Kind::kInstance)
                             r.kind = Value::Kind::kClass;
                           if (r.kind == Value::Kind::kModelInstance) {
                             r.kind = Value::Kind::kModelClass;
                           }
                           r.site = nullptr;
                           bool seen = false;
                           for (const Value& o : out)
                             seen = seen || o.scope == r.scope;
                           if (!seen) AddValue(&out, r);
                         });
  if (out.empty()) out.push_back(ClassValue(fn->parent, c));
  receivers_memo_.emplace(fn, memo_values_.Intern(out));
  return out;
}

bool Analyzer::IsSubclass(Scope* cls, Scope* base) {
  for (int i = 0; cls != nullptr && i < 8; ++i, cls = BaseClass(cls)) {
    if (cls == base) return true;
  }
  return false;
}

// Whether `call` (in `scope`) calls function `fn` (or instantiates its
// class when fn is __init__).
bool Analyzer::CallTargets(const Expr* call, Scope* scope, Scope* fn,
                           const Ctx& c) {
  const Expr* f = call->children()[0];
  Ctx in;
  in.scope = scope;
  in.depth = c.depth + 2;
  bool init = fn->name == "__init__" && fn->parent != nullptr &&
              fn->parent->kind == Scope::Kind::kClass;
  if (f->kind == Expr::Kind::kAttribute) {
    // self.helper(...) / module.helper(...) / obj.method(...): accept when
    // the receiver resolves to the owner, or cannot be resolved at all.
    for (const Value& r : Eval(f->children()[0], in)) {
      if (r.kind == Value::Kind::kModule && r.scope == fn->parent) {
        return true;
      }
      if (r.kind == Value::Kind::kModule && r.scope != nullptr && !init) {
        // A package that re-exports the function (`from .query import
        // batch_get` in its __init__).
        for (const Value& v : ModuleAttribute(r.scope, f->name(), in)) {
          if (v.kind == Value::Kind::kFunction && v.scope == fn) return true;
        }
      }
      if ((r.kind == Value::Kind::kInstance || r.kind == Value::Kind::kClass ||
           r.kind == Value::Kind::kModelClass ||
           r.kind == Value::Kind::kModelInstance) &&
          r.scope == fn->parent) {
        return true;
      }
      if (r.kind == Value::Kind::kModule && init &&
          r.scope == fn->parent->parent) {
        return true;
      }
    }
    return false;
  }
  for (const Value& v : Eval(f, in)) {
    if (init &&
        (v.kind == Value::Kind::kClass || v.kind == Value::Kind::kModelClass) &&
        v.scope == fn->parent) {
      return true;
    }
    if (v.kind == Value::Kind::kFunction && v.scope == fn) return true;
  }
  return false;
}

// The targets of `call` in `scope`; false when the evaluation was cut
// short (they may then be incomplete).
bool Analyzer::SiteTargets(const Expr* call, Scope* scope, const Ctx& c,
                           std::vector<Target>* out) {
  const std::size_t before = cutoffs_;
  const Expr* f = call->children()[0];
  Ctx in;
  in.scope = scope;
  in.depth = c.depth + 2;
  auto add = [out](TargetKind kind, const Scope* s) {
    Target t{kind, s};
    if (std::find(out->begin(), out->end(), t) == out->end()) {
      out->push_back(t);
    }
  };
  if (f->kind == Expr::Kind::kAttribute) {
    for (const Value& r : Eval(f->children()[0], in)) {
      if (r.kind == Value::Kind::kModule) {
        add(TargetKind::kParent, r.scope);
        add(TargetKind::kInitModule, r.scope);
        if (r.scope != nullptr) {
          for (const Value& v : ModuleAttribute(r.scope, f->name(), in)) {
            if (v.kind == Value::Kind::kFunction) {
              add(TargetKind::kReexport, v.scope);
            }
          }
        }
      } else if (r.kind == Value::Kind::kInstance ||
                 r.kind == Value::Kind::kClass ||
                 r.kind == Value::Kind::kModelClass ||
                 r.kind == Value::Kind::kModelInstance) {
        add(TargetKind::kParent, r.scope);
      }
    }
  } else {
    for (const Value& v : Eval(f, in)) {
      if (v.kind == Value::Kind::kClass || v.kind == Value::Kind::kModelClass) {
        add(TargetKind::kInitClass, v.scope);
      }
      if (v.kind == Value::Kind::kFunction) {
        add(TargetKind::kFunction, v.scope);
      }
    }
  }
  return cutoffs_ == before;
}

// What a site must target to call `fn` (see CallTargets).
std::vector<Analyzer::Target> Analyzer::TargetsOf(const Scope* fn) {
  bool init = fn->name == "__init__" && fn->parent != nullptr &&
              fn->parent->kind == Scope::Kind::kClass;
  std::vector<Target> t = {{TargetKind::kParent, fn->parent},
                           {TargetKind::kFunction, fn}};
  if (init) {
    t.push_back({TargetKind::kInitModule, fn->parent->parent});
    t.push_back({TargetKind::kInitClass, fn->parent});
  } else {
    t.push_back({TargetKind::kReexport, fn});
  }
  return t;
}

std::map<std::string, std::vector<Value>> Analyzer::BindArgs(Scope* fn,
                                                             const Expr* call,
                                                             const Ctx& c,
                                                             int offset) {
  std::map<std::string, std::vector<Value>> bound;
  const Stmt* def = fn->stmt;
  const std::vector<bool>& read = ParamsRead(fn);
  for (size_t i = 0; i < def->params().size(); ++i) {
    const Param& p = def->params()[i];
    if (p.star != 0 || !read[i]) continue;
    int pos = static_cast<int>(i) - offset;
    const Expr* arg = nullptr;
    if (pos >= 0 && static_cast<size_t>(pos) + 1 < call->children().size()) {
      arg = call->children()[pos + 1];
    }
    for (const Keyword& k : call->keywords()) {
      if (k.name == p.name) arg = k.value;
    }
    if (arg != nullptr) {
      bound[p.name] = Eval(arg, c);
    } else if (p.default_value != nullptr) {
      Ctx d = c;
      d.scope = fn->parent;
      d.bound = nullptr;
      bound[p.name] = Eval(p.default_value, d);
    }
  }
  return bound;
}

const std::vector<bool>& Analyzer::ParamsRead(const Scope* fn) {
  const Stmt* def = fn->stmt;
  auto [it, fresh] = params_read_.try_emplace(def);
  if (fresh) {
    it->second.assign(def->params().size(), false);
    MarkNamesRead(def, def->params(), &it->second);
  }
  return it->second;
}

void Analyzer::MarkNamesRead(const Stmt* st, const CompactList<Param>& params,
                             std::vector<bool>* read) {
  for (const Expr* t : st->targets) MarkNamesRead(t, params, read);
  MarkNamesRead(st->value, params, read);
  for (const Expr* b : st->bases()) MarkNamesRead(b, params, read);
  for (const Expr* w : st->with_ctx()) MarkNamesRead(w, params, read);
  for (const Expr* w : st->with_targets()) MarkNamesRead(w, params, read);
  for (const Param& p : st->params()) {
    MarkNamesRead(p.default_value, params, read);
  }
  for (const Stmt* b : st->body()) MarkNamesRead(b, params, read);
  for (const Stmt* b : st->orelse()) MarkNamesRead(b, params, read);
}

void Analyzer::MarkNamesRead(const Expr* e, const CompactList<Param>& params,
                             std::vector<bool>* read) {
  if (e == nullptr) return;
  if (e->kind == Expr::Kind::kName) {
    if (e->name() == "super") {
      read->assign(read->size(), true);
    } else {
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i].name == e->name()) (*read)[i] = true;
      }
    }
  }
  for (const Expr* ch : e->children()) MarkNamesRead(ch, params, read);
  for (const Keyword& k : e->keywords()) MarkNamesRead(k.value, params, read);
  for (const StringPart& p : e->parts()) MarkNamesRead(p.field, params, read);
}

// Values a project function returns when called with `call`'s arguments.
std::vector<Value> Analyzer::CallFunction(Scope* fn, const Expr* call,
                                          const Ctx& c, int offset,
                                          const Value* receiver) {
  if (c.depth > kMaxDepth) return {CutOff("resolution too deep")};
  auto bound = BindArgs(fn, call, c, offset);
  if (receiver != nullptr && offset == 1 && !fn->stmt->params().empty()) {
    bound[fn->stmt->params()[0].name] = {*receiver};
  }
  std::vector<Value> out = ResultValues(fn, bound, c);
  if (out.empty()) return {Unknown(fn->name + "() returns nothing known")};
  return out;
}

std::string Analyzer::BoundKey(
    const std::map<std::string, std::vector<Value>>& bound) {
  std::string key;
  // Each name with its length (so that fields cannot run into one
  // another), then its values' id.
  for (const auto& [name, values] : bound) {
    const auto size = static_cast<std::uint32_t>(name.size());
    const std::uint32_t id = memo_values_.Intern(values);
    key.append(reinterpret_cast<const char*>(&size), sizeof(size));
    key.append(name);
    key.append(reinterpret_cast<const char*>(&id), sizeof(id));
  }
  return key;
}

// What a call of `fn` with parameters `bound` gives (see CollectResults).
std::vector<Value> Analyzer::ResultValues(
    Scope* fn, const std::map<std::string, std::vector<Value>>& bound,
    const Ctx& c) {
  return Remembered(results_memo_[fn], BoundKey(bound), c.depth,
                    /*regular_only=*/false,
                    [&] { return ResultValuesUncached(fn, bound, c); });
}

std::vector<Value> Analyzer::ResultValuesUncached(
    Scope* fn, const std::map<std::string, std::vector<Value>>& bound,
    const Ctx& c) {
  Ctx in;
  in.scope = fn;
  in.bound = &bound;
  in.depth = c.depth + 1;
  std::vector<Value> out;
  std::vector<const Stmt*> returns;
  CollectResults(fn, &returns);
  for (const Stmt* r : returns) {
    in.line = r->line;
    AddValues(&out, Eval(r->value, in));
  }
  return out;
}

// The statements whose values a call of `fn` gives: its returns, and for
// a @contextmanager generator its yields (what `with fn() as x` binds).
void Analyzer::CollectResults(Scope* fn, std::vector<const Stmt*>* out) {
  CollectReturns(fn->stmt->body(), out);
  if (HasDecorator(fn, "contextmanager", "asynccontextmanager")) {
    ForEachLocalStmt(fn->stmt->body(), [&](const Stmt* st) {
      if (st->kind == Stmt::Kind::kExpr && st->value != nullptr &&
          st->value->kind == Expr::Kind::kOther &&
          st->value->name() == "yield" && !st->value->children().empty()) {
        yields_.push_back(std::make_unique<Stmt>());
        Stmt* r = yields_.back().get();
        r->kind = Stmt::Kind::kReturn;
        r->line = st->line;
        r->value = st->value->children()[0];
        out->push_back(r);
      }
    });
  }
}

void Analyzer::CollectReturns(const StmtList& body,
                              std::vector<const Stmt*>* out) {
  for (const Stmt* s : body) {
    if (s->kind == Stmt::Kind::kReturn && s->value != nullptr) {
      out->push_back(s);
    }
    if (s->kind == Stmt::Kind::kDef || s->kind == Stmt::Kind::kClass) continue;
    CollectReturns(s->body(), out);
    CollectReturns(s->orelse(), out);
  }
}

}  // namespace leastpriv::pyscan
