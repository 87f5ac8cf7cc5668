// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Literal lists and dicts a call may receive, and the mutations
// (append, update, item stores) that add to them.

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

#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/analyzer.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

void Analyzer::IndexMutations(const StmtList& body, MutationIndex* index) {
  ForEachLocalStmt(body, [&](const Stmt* st) {
    if (st->kind == Stmt::Kind::kExpr && st->value != nullptr &&
        st->value->kind == Expr::Kind::kCall) {
      const Expr* f = st->value->children()[0];
      if (f->kind == Expr::Kind::kAttribute &&
          f->children()[0]->kind == Expr::Kind::kName) {
        (*index)[f->children()[0]->name()].push_back({f->name(), st});
      }
    }
    if (st->kind == Stmt::Kind::kAssign) {
      for (const Expr* t : st->targets) {
        if (t->kind == Expr::Kind::kSubscript &&
            t->children()[0]->kind == Expr::Kind::kName) {
          (*index)[t->children()[0]->name()].push_back({"[]", st});
        }
      }
    }
    if (st->kind == Stmt::Kind::kAugAssign && !st->targets.empty() &&
        st->targets[0]->kind == Expr::Kind::kName) {
      (*index)[st->targets[0]->name()].push_back({"+=", st});
    }
  });
}

// The scope in which a name used in `c` is bound.
Scope* Analyzer::BindingScope(const std::string& name, Scope* s) {
  for (; s != nullptr; s = s->parent) {
    if (s->names.count(name) > 0) return s;
  }
  return nullptr;
}

// Elements of a list-like argument; false when they cannot be known.
bool Analyzer::ListItems(const Expr* e, const Ctx& c,
                         std::vector<const Expr*>* out, int depth) {
  if (e == nullptr || depth > 4) return false;
  switch (e->kind) {
    case Expr::Kind::kList:
    case Expr::Kind::kTuple:
    case Expr::Kind::kSet:
      for (const Expr* x : e->children()) {
        if (x->kind == Expr::Kind::kStarred) {
          if (!ListItems(x->children()[0], c, out, depth + 1)) return false;
        } else {
          out->push_back(x);
        }
      }
      return true;
    case Expr::Kind::kComprehension:
      out->push_back(e->children()[0]);
      return true;
    case Expr::Kind::kBinOp:
      return e->name() == "+" &&
             ListItems(e->children()[0], c, out, depth + 1) &&
             ListItems(e->children()[1], c, out, depth + 1);
    case Expr::Kind::kName:
      break;
    default:
      return false;
  }
  Scope* s = BindingScope(e->name(), c.scope);
  if (s == nullptr) return false;
  bool known = false;
  for (const Binding& b : s->names[e->name()]) {
    if (b.kind == Binding::Kind::kAssign && b.value != nullptr &&
        b.value != e) {
      Ctx in = c;
      in.scope = s;
      known = ListItems(b.value, in, out, depth + 1) || known;
    }
  }
  ForEachMutation(e->name(), s, [&](const std::string& how, const Stmt* st) {
    const Expr* arg = st->value != nullptr &&
                              st->value->kind == Expr::Kind::kCall &&
                              st->value->children().size() >= 2
                          ? st->value->children()[1]
                          : nullptr;
    if (how == "+=") {
      known = ListItems(st->value, c, out, depth + 1) || known;
    } else if ((how == "append" || how == "add") && arg != nullptr) {
      out->push_back(arg);
      known = true;
    } else if ((how == "extend" || how == "update") && arg != nullptr) {
      known = ListItems(arg, c, out, depth + 1) || known;
    }
  });
  return known;
}

// Entries of a dict-like argument; false when they cannot be known.
bool Analyzer::DictItems(const Expr* e, const Ctx& c,
                         std::vector<DictItem>* out, int depth) {
  if (e == nullptr || depth > 4) return false;
  if (e->kind == Expr::Kind::kDict) {
    for (size_t i = 0; i + 1 < e->children().size(); i += 2) {
      out->push_back({e->children()[i], e->children()[i + 1]});
    }
    return true;
  }
  if (e->kind == Expr::Kind::kComprehension && e->name() == "dict") {
    const Expr* kv = e->children()[0];
    if (kv->children().size() == 2) {
      out->push_back({kv->children()[0], kv->children()[1]});
      return true;
    }
    return false;
  }
  if (e->kind == Expr::Kind::kCall &&
      e->children()[0]->kind == Expr::Kind::kName &&
      e->children()[0]->name() == "dict") {
    for (const Keyword& k : e->keywords()) {
      if (k.name.empty()) continue;
      out->push_back({nullptr, k.value});
      keyword_keys_[k.value] = k.name;
    }
    return true;
  }
  if (e->kind != Expr::Kind::kName) {
    // A dict from elsewhere (a module constant, an attribute).
    for (const Value& v : Eval(e, c)) {
      if (v.kind == Value::Kind::kDict && v.expr != nullptr && v.expr != e) {
        return DictItems(v.expr, c, out, depth + 1);
      }
    }
    return false;
  }
  Scope* s = BindingScope(e->name(), c.scope);
  if (s == nullptr) return false;
  bool known = false;
  if (s != c.scope || s->kind == Scope::Kind::kModule) {
    for (const Value& v : Eval(e, c)) {
      if (v.kind == Value::Kind::kDict && v.expr != nullptr) {
        known = DictItems(v.expr, c, out, depth + 1) || known;
      }
    }
  } else {
    for (const Binding& b : s->names[e->name()]) {
      if (b.kind == Binding::Kind::kAssign && b.value != nullptr) {
        known = DictItems(b.value, c, out, depth + 1) || known;
      } else if (b.kind == Binding::Kind::kParam) {
        for (const Value& v : Eval(e, c)) {
          if (v.kind == Value::Kind::kDict && v.expr != nullptr) {
            known = DictItems(v.expr, c, out, depth + 1) || known;
          }
        }
      }
    }
  }
  ForEachMutation(e->name(), s, [&](const std::string& how, const Stmt* st) {
    if (how == "[]") {
      for (const Expr* t : st->targets) {
        if (t->kind == Expr::Kind::kSubscript &&
            t->children()[0]->kind == Expr::Kind::kName &&
            t->children()[0]->name() == e->name()) {
          out->push_back({t->children()[1], st->value});
          known = true;
        }
      }
      return;
    }
    if (how == "+=") return;
    const Expr* call = st->value;
    if (how == "update" && call->children().size() >= 2) {
      known = DictItems(call->children()[1], c, out, depth + 1) || known;
    } else if (how == "setdefault" && call->children().size() >= 2) {
      out->push_back({call->children()[1], call->children().size() > 2
                                               ? call->children()[2]
                                               : nullptr});
      known = true;
    }
  });
  return known;
}

// The value stored under the constant key `key` in a dict-like argument.
const Expr* Analyzer::DictValue(const Expr* e, const std::string& key,
                                const Ctx& c) {
  std::vector<DictItem> items;
  if (!DictItems(e, c, &items)) return nullptr;
  for (const DictItem& it : items) {
    std::string k;
    if (it.key == nullptr) {
      auto kw = keyword_keys_.find(it.value);
      if (kw != keyword_keys_.end() && kw->second == key) return it.value;
      continue;
    }
    if (StringLiteralValue(it.key, &k) && k == key) return it.value;
  }
  return nullptr;
}

// The entry `key` of a literal dict expression.
const Expr* Analyzer::DictEntry(const Expr* dict, const std::string& key) {
  for (size_t i = 0; i + 1 < dict->children().size(); i += 2) {
    std::string k;
    if (StringLiteralValue(dict->children()[i], &k) && k == key)
      return dict->children()[i + 1];
  }
  return nullptr;
}

}  // namespace leastpriv::pyscan
