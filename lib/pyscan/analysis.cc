// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A small abstract interpretation over the whole project. Values of interest
// (boto3 clients/resources/tables, PynamoDB models and indexes, transaction
// contexts, strings) are computed on demand by evaluating expressions in
// scopes; parameters are resolved from every call site of their function.

#include "lib/pyscan/analysis.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {
namespace {

constexpr int kMaxDepth = 24;
constexpr size_t kMaxValues = 32;
// Evaluations allowed for one walked expression (see Analyzer::Eval).
constexpr long kFuel = 200000;

class Analyzer {
 public:
  Analyzer(const std::vector<const SourceFile*>& files,
           std::vector<Operation>* ops, std::vector<CodeFinding>* findings)
      : files_(files), ops_(ops), findings_(findings) {}

  void Run(const std::function<void(std::size_t, std::size_t)>& on_module) {
    // Without a boto3 or pynamodb import (see WalkScope below) only the
    // settings rules can emit anything; without a settings module either,
    // the project has no operation and its scopes need not be built.
    bool any_settings = false;
    for (const SourceFile* f : files_) {
      if (f->module == nullptr) continue;
      any_settings = any_settings || f->is_settings;
      if (!imports_dynamodb_library_ &&
          ImportsDynamoDbLibrary(*f, f->module->body)) {
        imports_dynamodb_library_ = true;
      }
    }
    if (!imports_dynamodb_library_ && !any_settings) return;
    for (const SourceFile* f : files_) {
      if (f->module == nullptr) continue;
      scopes_.emplace_back(std::make_unique<Scope>());
      Scope* s = scopes_.back().get();
      s->kind = Scope::Kind::kModule;
      s->file = f;
      s->name = f->module_name;
      s->module = s;
      BuildScope(s, f->module->body);
      modules_[f->module_name] = s;
    }
    // Every value that can emit an operation (clients, resources, tables,
    // models, indexes, transactions, ...) derives from a name imported from
    // boto3 or pynamodb (ExternalImport). A project that imports neither
    // cannot reach one, so its call sites need no evaluation; only the
    // settings rules below can still apply.
    if (imports_dynamodb_library_) {
      std::size_t walked = 0;
      for (auto& [name, scope] : modules_) {
        (void)name;
        WalkScope(scope);
        if (on_module) on_module(++walked, modules_.size());
      }
    }
    for (auto& [name, scope] : modules_) {
      (void)name;
      if (scope->file->is_settings) DjangoBackends(scope);
    }
  }

 private:
  // ------------------------------------------------------------ scope build

  void BuildScope(Scope* s, const StmtList& body) {
    for (const Stmt* st : body) {
      s->body.push_back(st);
      CollectBindings(s, st);
    }
  }

  void BindTarget(Scope* s, const Expr* target, Binding b) {
    if (target == nullptr) return;
    if (target->kind == Expr::Kind::kName) {
      b.target = target;
      if (s->kind == Scope::Kind::kFunction &&
          s->globals.count(target->name) > 0) {
        b.eval_scope = s;
        s->module->names[target->name].push_back(b);
        return;
      }
      s->names[target->name].push_back(b);
    } else if (target->kind == Expr::Kind::kTuple ||
               target->kind == Expr::Kind::kList) {
      for (const Expr* t : target->children) {
        Binding u = b;
        u.kind = Binding::Kind::kAssign;
        u.value = nullptr;  // element of an unpacked value: unknown
        BindTarget(s, t, u);
      }
    }
  }

  void CollectBindings(Scope* s, const Stmt* st) {
    switch (st->kind) {
      case Stmt::Kind::kAssign:
        for (const Expr* t : st->targets) {
          Binding b;
          b.kind = Binding::Kind::kAssign;
          b.line = st->line;
          b.value = st->value;
          BindTarget(s, t, b);
        }
        break;
      case Stmt::Kind::kImport:
        for (const ImportName& n : st->imports) {
          if (n.name == "*") {
            s->star_imports.push_back(ResolveRelative(s, n.module, n.level));
            continue;
          }
          Binding b;
          b.kind = Binding::Kind::kImport;
          b.line = st->line;
          b.import = &n;
          std::string bound = n.asname;
          if (bound.empty()) {
            bound = n.name.empty() ? n.module.substr(0, n.module.find('.'))
                                   : n.name;
          }
          s->names[bound].push_back(b);
        }
        break;
      case Stmt::Kind::kDef:
      case Stmt::Kind::kClass: {
        scopes_.emplace_back(std::make_unique<Scope>());
        Scope* c = scopes_.back().get();
        c->kind = st->kind == Stmt::Kind::kDef ? Scope::Kind::kFunction
                                               : Scope::Kind::kClass;
        c->file = s->file;
        c->stmt = st;
        c->parent = s;
        c->name = st->name;
        c->module = s->module;
        s->children.push_back(c);
        scope_of_stmt_[st] = c;
        if (st->kind == Stmt::Kind::kDef) {
          for (size_t i = 0; i < st->params.size(); ++i) {
            Binding p;
            p.kind = Binding::Kind::kParam;
            p.line = st->line;
            p.param_index = static_cast<int>(i);
            p.param = &st->params[i];
            c->names[st->params[i].name].push_back(p);
          }
        }
        BuildScope(c, st->body);
        Binding b;
        b.kind = st->kind == Stmt::Kind::kDef ? Binding::Kind::kDef
                                              : Binding::Kind::kClass;
        b.line = st->line;
        b.def = c;
        s->names[st->name].push_back(b);
        break;
      }
      case Stmt::Kind::kFor: {
        Binding b;
        b.kind = Binding::Kind::kFor;
        b.line = st->line;
        b.value = st->value;
        if (!st->targets.empty() &&
            st->targets[0]->kind == Expr::Kind::kName) {
          BindTarget(s, st->targets[0], b);
        } else if (!st->targets.empty()) {
          Binding u;
          u.line = st->line;
          BindTarget(s, st->targets[0], u);
        }
        for (const Stmt* c : st->body) CollectBindings(s, c);
        for (const Stmt* c : st->orelse) CollectBindings(s, c);
        break;
      }
      case Stmt::Kind::kWith:
        for (size_t i = 0; i < st->with_ctx.size(); ++i) {
          Binding b;
          b.kind = Binding::Kind::kWith;
          b.line = st->line;
          b.value = st->with_ctx[i];
          BindTarget(s, st->with_targets[i], b);
        }
        for (const Stmt* c : st->body) CollectBindings(s, c);
        break;
      case Stmt::Kind::kBlock:
        for (const Stmt* c : st->body) CollectBindings(s, c);
        for (const Stmt* c : st->orelse) CollectBindings(s, c);
        break;
      case Stmt::Kind::kGlobal:
        if (st->name == "global") {
          for (const Expr* t : st->targets) s->globals.insert(t->name);
        }
        break;
      default:
        break;
    }
  }

  std::string ResolveRelative(Scope* s, const std::string& module, int level) {
    return ResolveRelativeIn(*s->module->file, module, level);
  }
  static std::string ResolveRelativeIn(const SourceFile& file,
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
  Scope* FindModuleFrom(const std::string& name, const Scope* from) {
    if (from != nullptr && from->file != nullptr && !name.empty()) {
      std::string base = from->file->module_name;
      if (!from->file->is_package) {
        size_t dot = base.rfind('.');
        base = dot == std::string::npos ? "" : base.substr(0, dot);
      }
      while (!base.empty()) {
        auto it = modules_.find(base + "." + name);
        if (it != modules_.end()) return it->second;
        size_t dot = base.rfind('.');
        base = dot == std::string::npos ? "" : base.substr(0, dot);
      }
    }
    return FindModule(name);
  }

  Scope* FindModule(const std::string& name) {
    auto it = modules_.find(name);
    if (it != modules_.end()) return it->second;
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
  static bool IsDynamoDbLibrary(const std::string& module) {
    return module.rfind("boto3", 0) == 0 || module.rfind("pynamodb", 0) == 0;
  }

  // Whether any import statement in `body`, at any depth (a superset of the
  // statements CollectBindings visits), imports from a DynamoDB library.
  static bool ImportsDynamoDbLibrary(const SourceFile& file,
                                     const StmtList& body) {
    for (const Stmt* st : body) {
      if (st->kind == Stmt::Kind::kImport) {
        for (const ImportName& n : st->imports) {
          if (IsDynamoDbLibrary(ResolveRelativeIn(file, n.module, n.level))) {
            return true;
          }
        }
      }
      if (ImportsDynamoDbLibrary(file, st->body) ||
          ImportsDynamoDbLibrary(file, st->orelse)) {
        return true;
      }
    }
    return false;
  }

  // Every call expression, indexed by the last component of its callee, for
  // resolving parameters from call sites. Built on first use, over the
  // modules in name order (the order fixes which sites count first).
  const std::unordered_map<std::string,
                           std::vector<std::pair<const Expr*, Scope*>>>&
  CallsByName() {
    if (!calls_indexed_) {
      calls_indexed_ = true;
      for (auto& [name, scope] : modules_) {
        (void)name;
        IndexCalls(scope, scope->body);
      }
    }
    return calls_by_name_;
  }
  void IndexCalls(Scope* s, const std::vector<const Stmt*>& body) {
    for (const Stmt* st : body) IndexStmtCalls(s, st);
  }
  void IndexStmtCalls(Scope* s, const Stmt* st) {
    ForEachExpr(st, [&](const Expr* e) { IndexExprCalls(s, e); });
    if (st->kind == Stmt::Kind::kDef || st->kind == Stmt::Kind::kClass) {
      Scope* c = scope_of_stmt_[st];
      for (const Stmt* b : st->body) IndexStmtCalls(c, b);
      return;
    }
    for (const Stmt* b : st->body) IndexStmtCalls(s, b);
    for (const Stmt* b : st->orelse) IndexStmtCalls(s, b);
  }
  void IndexExprCalls(Scope* s, const Expr* e) {
    if (e == nullptr) return;
    if (e->kind == Expr::Kind::kCall) {
      const Expr* f = e->children[0];
      std::string last;
      if (f->kind == Expr::Kind::kName) last = f->name;
      if (f->kind == Expr::Kind::kAttribute) last = f->name;
      if (!last.empty()) calls_by_name_[last].push_back({e, s});
    }
    for (const Expr* c : e->children) IndexExprCalls(s, c);
    for (const Keyword& k : e->keywords) IndexExprCalls(s, k.value);
    for (const StringPart& p : e->parts) IndexExprCalls(s, p.field);
  }

  // Top-level expressions of a statement (not nested statement bodies).
  template <typename Fn>
  void ForEachExpr(const Stmt* st, Fn fn) {
    for (const Expr* t : st->targets) fn(t);
    fn(st->value);
    for (const Expr* b : st->bases) fn(b);
    for (const Expr* c : st->with_ctx) fn(c);
    for (const Param& p : st->params) fn(p.default_value);
  }

  // ------------------------------------------------------------- evaluation

  void AddValues(std::vector<Value>* out, std::vector<Value> more) {
    for (Value& v : more) {
      if (out->size() >= kMaxValues) return;
      out->push_back(std::move(v));
    }
  }

  // An answer cut short (by depth, recursion or the budget): counted, so
  // that nothing computed under it is memoized.
  Value CutOff(const char* reason) {
    ++cutoffs_;
    return Unknown(reason);
  }

  // Values of `e` in `ctx`. Results in contexts that bind no parameters are
  // memoized by (expression, scope, line) unless something was cut short
  // while computing them; each walked call site has a budget of evaluations.
  std::vector<Value> Eval(const Expr* e, const Ctx& ctx) {
    if (e == nullptr) return {Unknown("no value")};
    if (ctx.depth > kMaxDepth) return {CutOff("resolution too deep")};
    if (fuel_ <= 0) return {CutOff("analysis budget spent")};
    --fuel_;
    if (ctx.bound != nullptr) return EvalUncached(e, ctx);
    MemoKey key{e, ctx.scope, ctx.line};
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
    std::size_t before = cutoffs_;
    std::vector<Value> out = EvalUncached(e, ctx);
    if (cutoffs_ == before) memo_.emplace(key, out);
    return out;
  }

  std::vector<Value> EvalUncached(const Expr* e, const Ctx& ctx) {
    Ctx c = ctx;
    c.depth++;
    switch (e->kind) {
      case Expr::Kind::kString:
        return {MakeStr(EvalString(e, c))};
      case Expr::Kind::kConst:
        if (e->name == "None") {
          Value v;
          v.kind = Value::Kind::kNone;
          return {v};
        }
        return {Unknown("constant")};
      case Expr::Kind::kName:
        return LookupName(e->name, c, e->line);
      case Expr::Kind::kAttribute: {
        std::vector<Value> out;
        for (const Value& r : Eval(e->children[0], c)) {
          AddValues(&out, GetAttribute(r, e->name, c));
        }
        return out;
      }
      case Expr::Kind::kCall:
        return EvalCall(e, c);
      case Expr::Kind::kSubscript: {
        std::vector<Value> out;
        for (const Value& r : Eval(e->children[0], c)) {
          if (r.kind == Value::Kind::kEnviron) {
            for (const Value& k : Eval(e->children[1], c)) {
              out.push_back(MakeStr(EnvStr(k, nullptr, c)));
            }
          } else if (r.kind == Value::Kind::kIndexBase ||
                     r.kind == Value::Kind::kModelBase ||
                     r.kind == Value::Kind::kClass ||
                     r.kind == Value::Kind::kModelClass) {
            // A generic alias (`GlobalSecondaryIndex["Question"]`).
            out.push_back(r);
          } else if (r.kind == Value::Kind::kDict && r.expr != nullptr &&
                     r.expr->kind == Expr::Kind::kDict) {
            AddValues(&out, DictLookup(r, e->children[1], c));
          } else {
            out.push_back(Unknown("subscript"));
          }
        }
        return out;
      }
      case Expr::Kind::kBinOp: {
        if (e->name == "+") {
          std::vector<Value> out;
          for (const Value& l : Eval(e->children[0], c)) {
            for (const Value& r : Eval(e->children[1], c)) {
              if (l.kind == Value::Kind::kStr && r.kind == Value::Kind::kStr) {
                out.push_back(MakeStr(Concat(l.str, r.str)));
              } else if (l.kind == Value::Kind::kStr ||
                         r.kind == Value::Kind::kStr) {
                // A string joined with something unknown: a name pattern.
                Str unknown = UnresolvedStr("part of the name is not a constant");
                out.push_back(MakeStr(
                    l.kind == Value::Kind::kStr ? Concat(l.str, unknown)
                                                : Concat(unknown, r.str)));
              } else {
                out.push_back(Unknown("expression"));
              }
            }
          }
          return out;
        }
        if (e->name == "%") return PercentFormat(e, c);
        if (e->name == "or") {
          // `x or default`: either side; what is known wins over what is not.
          std::vector<Value> out;
          for (const Expr* side : {e->children[0], e->children[1]}) {
            for (Value& v : Eval(side, c)) {
              if (v.kind != Value::Kind::kUnknown &&
                  v.kind != Value::Kind::kNone) {
                AddValues(&out, {std::move(v)});
              }
            }
          }
          if (!out.empty()) return out;
          return {Unknown("expression")};
        }
        return {Unknown("expression")};
      }
      case Expr::Kind::kDict: {
        Value v;
        v.kind = Value::Kind::kDict;
        v.expr = e;
        v.site_scope = c.scope;
        return {v};
      }
      case Expr::Kind::kList:
      case Expr::Kind::kTuple:
      case Expr::Kind::kSet:
      case Expr::Kind::kComprehension: {
        Value v;
        v.kind = e->kind == Expr::Kind::kComprehension && e->name == "dict"
                     ? Value::Kind::kDict
                     : Value::Kind::kList;
        v.expr = e;
        v.site_scope = c.scope;
        return {v};
      }
      case Expr::Kind::kOther:
        // `a or b` style defaults are kBinOp; conditional expressions are
        // kOther with three children: value, test, alternative.
        if (e->name == "if" && e->children.size() == 3) {
          std::vector<Value> out = Eval(e->children[0], c);
          AddValues(&out, Eval(e->children[2], c));
          return out;
        }
        return {Unknown("expression")};
      default:
        return {Unknown("expression")};
    }
  }

  // The dict's value under `key` (evaluated in c); the dict's entries are
  // evaluated where the dict was written.
  std::vector<Value> DictLookup(const Value& d, const Expr* key,
                                const Ctx& key_ctx) {
    const Expr* dict = d.expr;
    std::vector<Value> keys = Eval(key, key_ctx);
    Ctx c = key_ctx;
    if (d.site_scope != nullptr && d.site_scope != key_ctx.scope) {
      c.scope = d.site_scope;
      c.bound = nullptr;
      c.line = 1 << 30;
    }
    bool literal_key = false;
    for (const Value& k : keys) {
      literal_key = literal_key || (k.kind == Value::Kind::kStr &&
                                    k.str.origin == Str::Origin::kLiteral &&
                                    !k.str.pattern);
    }
    if (!literal_key && dict->kind == Expr::Kind::kDict) {
      // A key chosen at run time: any of the dict's values.
      std::vector<Value> out;
      for (size_t i = 0; i + 1 < dict->children.size(); i += 2) {
        if (dict->children[i] != nullptr) {
          AddValues(&out, Eval(dict->children[i + 1], c));
        }
      }
      if (!out.empty()) return out;
    }
    for (size_t i = 0; i + 1 < dict->children.size(); i += 2) {
      const Expr* k = dict->children[i];
      if (k == nullptr) continue;
      for (const Value& kv : Eval(k, c)) {
        for (const Value& want : keys) {
          if (kv.kind == Value::Kind::kStr && want.kind == Value::Kind::kStr &&
              kv.str.origin == Str::Origin::kLiteral &&
              want.str.origin == Str::Origin::kLiteral &&
              kv.str.text == want.str.text) {
            return Eval(dict->children[i + 1], c);
          }
        }
      }
    }
    return {Unknown("key not in dict")};
  }

  Str Concat(const Str& a, const Str& b) {
    Str s;
    s.origin = Str::Origin::kLiteral;
    s.text = Piece(a, &s) + Piece(b, &s);
    AppendTemplate(a, &s);
    AppendTemplate(b, &s);
    FinishTemplate(&s);
    return s;
  }

  // The text a string contributes to a concatenation; '*' for unknowns.
  std::string Piece(const Str& a, Str* into) {
    if (a.origin == Str::Origin::kLiteral) {
      if (a.pattern) into->pattern = true;
      if (!a.note.empty() && into->note.empty()) into->note = a.note;
      return a.text;
    }
    into->pattern = true;
    if (into->note.empty()) {
      if (a.origin == Str::Origin::kEnv) into->note = "env:" + a.text;
      if (a.origin == Str::Origin::kSettings) into->note = "settings:" + a.text;
      if (a.origin == Str::Origin::kUnresolved) into->note = a.note;
    }
    return "*";
  }

  Str EvalString(const Expr* e, const Ctx& c) {
    Str s;
    s.origin = Str::Origin::kLiteral;
    for (const StringPart& p : e->parts) {
      if (p.field == nullptr) {
        s.text += p.text;
        AppendTemplate(Literal(p.text), &s);
        continue;
      }
      std::vector<Value> vs = Eval(p.field, c);
      if (vs.size() == 1 && vs[0].kind == Value::Kind::kStr) {
        s.text += Piece(vs[0].str, &s);
        AppendTemplate(vs[0].str, &s);
      } else {
        s.pattern = true;
        s.text += "*";
        s.tmpl += "*";
        if (s.note.empty()) s.note = "f-string part is not a constant";
      }
    }
    FinishTemplate(&s);
    // Collapse runs of '*'.
    std::string t;
    for (char ch : s.text) {
      if (ch == '*' && !t.empty() && t.back() == '*' && s.pattern) continue;
      t.push_back(ch);
    }
    s.text = t;
    return s;
  }

  Str EnvStr(const Value& key, const Expr* default_expr, const Ctx& c) {
    if (key.kind != Value::Kind::kStr ||
        key.str.origin != Str::Origin::kLiteral || key.str.pattern) {
      return UnresolvedStr("environment variable name is not a constant");
    }
    if (default_expr != nullptr) {
      std::vector<Value> d = Eval(default_expr, c);
      if (d.size() == 1 && d[0].kind == Value::Kind::kStr &&
          d[0].str.origin == Str::Origin::kLiteral) {
        Str s = d[0].str;
        s.note = "env:" + key.str.text;
        s.tmpl = "{env:" + key.str.text + "}";
        s.defaults = {{"env:" + key.str.text, d[0].str.text}};
        s.source = SourceAt(c);
        return s;
      }
    }
    Str s;
    s.origin = Str::Origin::kEnv;
    s.text = key.str.text;
    s.source = SourceAt(c);
    return s;
  }

  // "file:line" of the context (where a name part is read).
  static std::string SourceAt(const Ctx& c) {
    if (c.scope == nullptr || c.scope->module == nullptr ||
        c.scope->module->file == nullptr || c.line <= 0 ||
        c.line == (1 << 30)) {
      return "";
    }
    return c.scope->module->file->path + ":" + std::to_string(c.line);
  }

  const Binding* PickBinding(const std::vector<Binding>& bs, int line,
                             std::vector<const Binding*>* all) {
    const Binding* best = nullptr;
    for (const Binding& b : bs) {
      // An assignment's value is read before it binds: `table =
      // table("x")` on one line reads the earlier `table`.
      bool visible = b.kind == Binding::Kind::kAssign ? b.line < line
                                                       : b.line <= line;
      if (visible && (best == nullptr || b.line >= best->line)) {
        best = &b;
      }
    }
    if (best != nullptr) return best;
    for (const Binding& b : bs) all->push_back(&b);
    return nullptr;
  }

  std::vector<Value> LookupName(const std::string& name, const Ctx& c,
                                int line) {
    Scope* s = c.scope;
    bool first = true;
    while (s != nullptr) {
      if (s->kind == Scope::Kind::kClass && !first) {
        s = s->parent;
        continue;
      }
      auto it = s->names.find(name);
      if (it != s->names.end()) {
        Ctx in = c;
        in.scope = s;
        if (!first) in.bound = nullptr;
        std::vector<const Binding*> all;
        int use_line = first ? line : (1 << 30);
        // A module name that functions assign through `global` may hold any
        // of its values when read from a function: all of them count.
        bool assigned_globally = false;
        for (const Binding& g : it->second) {
          if (g.eval_scope != nullptr) assigned_globally = true;
        }
        const Binding* b = nullptr;
        if (!assigned_globally || first) {
          b = PickBinding(it->second, use_line, &all);
          if (b == nullptr && first && s->kind == Scope::Kind::kClass) {
            // A class body reading a name it binds only later reads the
            // enclosing scope's (`table = table("x")`).
            first = false;
            s = s->parent;
            continue;
          }
        } else {
          for (const Binding& g : it->second) all.push_back(&g);
        }
        if (b != nullptr) return EvalBindingIn(*b, name, in);
        std::vector<Value> out;
        for (const Binding* a : all) {
          AddValues(&out, EvalBindingIn(*a, name, in));
        }
        return out;
      }
      if (s->kind == Scope::Kind::kModule) {
        for (const std::string& m : s->star_imports) {
          Scope* ms = FindModuleFrom(m, s);
          if (ms != nullptr && ms != s && ms->names.count(name)) {
            return ModuleAttribute(ms, name, c);
          }
          if (ms == nullptr) {
            Value v = ExternalImport(m, name);
            if (v.kind != Value::Kind::kUnknown) return {v};
          }
        }
      }
      first = false;
      s = s->parent;
    }
    return {Unknown("name '" + name + "' is not defined in the project")};
  }

  std::vector<Value> ModuleAttribute(Scope* m, const std::string& name,
                                     const Ctx& c) {
    // Circular imports (a module importing a name from itself, or two
    // modules importing from each other) come back here: bound them.
    if (c.depth > kMaxDepth) return {CutOff("resolution too deep")};
    Ctx in = c;
    in.scope = m;
    in.bound = nullptr;
    in.line = 1 << 30;
    in.depth = c.depth + 1;
    auto it = m->names.find(name);
    if (it == m->names.end()) {
      for (const std::string& star : m->star_imports) {
        Scope* ms = FindModuleFrom(star, m);
        if (ms != nullptr && ms != m) {
          std::vector<Value> v = ModuleAttribute(ms, name, in);
          if (!(v.size() == 1 && v[0].kind == Value::Kind::kUnknown)) return v;
        }
      }
      // A submodule of a package.
      if (Scope* sub = FindModule(m->file->module_name + "." + name)) {
        Value v;
        v.kind = Value::Kind::kModule;
        v.scope = sub;
        return {v};
      }
      return {Unknown("'" + name + "' not found in module " + m->name)};
    }
    return LookupName(name, in, 1 << 30);
  }

  // A binding evaluated in its own scope: a `global` assignment in the
  // function that makes it.
  std::vector<Value> EvalBindingIn(const Binding& b, const std::string& name,
                                   const Ctx& c) {
    if (b.eval_scope == nullptr) return EvalBinding(b, name, c);
    Ctx in = c;
    in.scope = b.eval_scope;
    in.bound = nullptr;
    return EvalBinding(b, name, in);
  }

  // Names imported from outside the project that the analysis knows.
  Value ExternalImport(const std::string& module, const std::string& name) {
    Value v;
    if (name.empty()) {
      if (module == "boto3") v.kind = Value::Kind::kBoto3;
      if (module == "os") v.kind = Value::Kind::kOs;
      if (module == "django.conf") v.kind = Value::Kind::kDjangoConf;
      if (module == "environ" || module == "environs") {
        v.kind = Value::Kind::kExtModule;
        v.name = module;
      }
      if (module.rfind("pynamodb", 0) == 0 ||
          module.rfind("boto3.", 0) == 0 || module == "environ" ||
          module == "environs") {
        v.kind = Value::Kind::kExtModule;
        v.name = module;
      }
      return v;
    }
    if (module == "boto3" || module == "boto3.session") {
      if (name == "client" || name == "resource") {
        v.kind = Value::Kind::kBoto3Factory;
        v.name = name;
      } else if (name == "Session") {
        v.kind = Value::Kind::kSessionClass;
      } else if (name == "session" && module == "boto3") {
        v.kind = Value::Kind::kBoto3;
      }
    } else if ((module == "environ" && name == "Env") ||
               (module == "environs" && name == "Env")) {
      v.kind = Value::Kind::kEnvReaderClass;
    } else if (module == "functools" && name == "partial") {
      v.kind = Value::Kind::kPartialFactory;
    } else if ((module == "pydantic" || module == "pydantic_settings") &&
               name == "BaseSettings") {
      v.kind = Value::Kind::kSettingsBase;
    } else if (module == "decouple" && name == "config") {
      v.kind = Value::Kind::kEnvReader;
    } else if (module == "django.conf" && name == "settings") {
      v.kind = Value::Kind::kSettings;
    } else if (module == "os") {
      if (name == "environ") v.kind = Value::Kind::kEnviron;
      if (name == "getenv") v.kind = Value::Kind::kGetenv;
    } else if (module.rfind("pynamodb", 0) == 0) {
      if (name == "Model") v.kind = Value::Kind::kModelBase;
      if (name == "GlobalSecondaryIndex" || name == "LocalSecondaryIndex" ||
          name == "Index")
        v.kind = Value::Kind::kIndexBase;
      if (name == "TransactWrite" || name == "TransactGet") {
        v.kind = Value::Kind::kTransactClass;
        v.name = name;
      }
    }
    if (v.kind == Value::Kind::kUnknown && IsDynamoDbLibrary(module) &&
        !name.empty() && islower(static_cast<unsigned char>(name[0]))) {
      // `from pynamodb import models`: a submodule.
      v.kind = Value::Kind::kExtModule;
      v.name = module + "." + name;
    }
    return v;
  }

  std::vector<Value> EvalBinding(const Binding& b, const std::string& name,
                                 const Ctx& c) {
    switch (b.kind) {
      case Binding::Kind::kAssign: {
        if (b.value == nullptr) return {Unknown("unpacked value")};
        Ctx in = c;
        in.line = b.line;
        return Eval(b.value, in);
      }
      case Binding::Kind::kFor: {
        // The loop variable: each element of a list the scanner can follow
        // (`for name in ("a", "b")`, a module constant list), else the
        // iterable's own values (a paginator's pages, a query's items).
        Ctx in = c;
        in.line = b.line;
        std::vector<const Expr*> items;
        if (b.target != nullptr && ListItems(b.value, in, &items)) {
          std::vector<Value> out;
          for (const Expr* item : items) AddValues(&out, Eval(item, in));
          return out;
        }
        std::vector<Value> iterable = Eval(b.value, in);
        std::vector<Value> out;
        for (const Value& v : iterable) {
          std::vector<const Expr*> elements;
          if (b.target != nullptr && v.kind == Value::Kind::kList &&
              v.expr != nullptr && v.site_scope != nullptr) {
            Ctx at;
            at.scope = v.site_scope;
            at.depth = in.depth + 1;
            if (ListItems(v.expr, at, &elements)) {
              for (const Expr* item : elements) AddValues(&out, Eval(item, at));
              continue;
            }
          }
          AddValues(&out, {v});
        }
        return out;
      }
      case Binding::Kind::kWith: {
        Ctx in = c;
        in.line = b.line;
        return Eval(b.value, in);
      }
      case Binding::Kind::kImport: {
        const ImportName& n = *b.import;
        std::string mod = ResolveRelative(c.scope, n.module, n.level);
        Scope* from = n.level == 0 ? c.scope->module : nullptr;
        if (n.name.empty()) {
          // import a.b [as x]
          std::string target =
              n.asname.empty() ? mod.substr(0, mod.find('.')) : mod;
          if (Scope* m = FindModuleFrom(target, from)) {
            Value v;
            v.kind = Value::Kind::kModule;
            v.scope = m;
            return {v};
          }
          Value v = ExternalImport(target, "");
          if (v.kind != Value::Kind::kUnknown) return {v};
          if (target == "django.conf") return {Unknown("module")};
          return {Unknown("module " + target + " is not in the project")};
        }
        if (Scope* m = FindModuleFrom(mod, from)) {
          return ModuleAttribute(m, n.name, c);
        }
        if (Scope* m = FindModuleFrom(mod.empty() ? n.name : mod + "." + n.name,
                                      from)) {
          Value v;
          v.kind = Value::Kind::kModule;
          v.scope = m;
          return {v};
        }
        Value v = ExternalImport(mod, n.name);
        if (v.kind != Value::Kind::kUnknown) return {v};
        return {Unknown("'" + n.name + "' comes from " + mod +
                        ", outside the project")};
      }
      case Binding::Kind::kDef: {
        Value v;
        v.kind = Value::Kind::kFunction;
        v.scope = b.def;
        return {v};
      }
      case Binding::Kind::kClass:
        return {ClassValue(b.def, c)};
      case Binding::Kind::kParam:
        return ParamValues(c.scope, b, name, c);
    }
    return {Unknown("binding")};
  }

  // A class: a PynamoDB model, an index class, or a plain project class.
  Value ClassValue(Scope* cls, const Ctx& c) {
    Value v;
    v.scope = cls;
    v.kind = Value::Kind::kClass;
    int kind = ClassKind(cls, c, 0);
    if (kind == 1) v.kind = Value::Kind::kModelClass;
    if (kind == 2) v.name = "index";
    return v;
  }

  // 1: PynamoDB model, 2: PynamoDB index, 0: other.
  int ClassKind(Scope* cls, const Ctx& c, int depth) {
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
    for (const Expr* base : cls->stmt->bases) {
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
  std::vector<Value> ParamValues(Scope* fn, const Binding& b,
                                 const std::string& name, const Ctx& c) {
    if (c.bound != nullptr) {
      auto it = c.bound->find(name);
      if (it != c.bound->end()) return it->second;
    }
    std::pair<const Stmt*, int> key{fn->stmt, b.param_index};
    auto memo = param_memo_.find(key);
    if (memo != param_memo_.end()) return memo->second;
    std::size_t before = cutoffs_;
    std::vector<Value> out = ParamValuesUncached(fn, b, name, c);
    if (cutoffs_ == before) param_memo_.emplace(key, out);
    return out;
  }

  std::vector<Value> ParamValuesUncached(Scope* fn, const Binding& b,
                                         const std::string& name,
                                         const Ctx& c) {
    std::pair<const Stmt*, int> key{fn->stmt, b.param_index};
    if (in_progress_.count(key)) return {CutOff("recursive parameter")};
    in_progress_.insert(key);
    std::vector<Value> out;
    bool is_method = fn->parent != nullptr &&
                     fn->parent->kind == Scope::Kind::kClass;
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
    auto done = [&] { return out.size() >= kMaxValues; };
    ForEachCallOf(fn, callee, c, done, [&](const Expr* call, Scope* scope) {
      const Expr* arg = nullptr;
      int pos = b.param_index - offset;
      size_t npos = call->children.size() - 1;
      if (b.param->star == 0 && pos >= 0 && static_cast<size_t>(pos) < npos &&
          call->children[pos + 1]->kind != Expr::Kind::kStarred) {
        arg = call->children[pos + 1];
      }
      for (const Keyword& k : call->keywords) {
        if (k.name == name) arg = k.value;
      }
      Ctx in;
      in.scope = scope;
      in.depth = c.depth + 1;
      in.line = call->line;
      if (arg != nullptr) {
        AddValues(&out, Eval(arg, in));
      } else if (b.param->default_value != nullptr) {
        Ctx d = c;
        d.scope = fn->parent;
        AddValues(&out, Eval(b.param->default_value, d));
      }
    });
    if (out.empty() && b.param->default_value != nullptr) {
      Ctx d = c;
      d.scope = fn->parent;
      out = Eval(b.param->default_value, d);
    }
    in_progress_.erase(key);
    if (out.empty()) {
      return {Unknown("parameter '" + name + "' of " + fn->name +
                      "() has no resolvable call site")};
    }
    return out;
  }

  // The instances a method runs on: the receivers of its call sites that
  // are instances of its class (or of a subclass), each with the call that
  // created it; else the instances the project creates; else any instance.
  // Memoized per method even when recursion cut part of it short: a method
  // reached again while its receivers are being found contributes none.
  std::vector<Value> Receivers(Scope* fn, const Ctx& c) {
    auto memo = receivers_memo_.find(fn);
    if (memo != receivers_memo_.end()) return memo->second;
    std::vector<Value> out = ReceiversUncached(fn, c);
    receivers_memo_.emplace(fn, out);
    return out;
  }

  std::vector<Value> ReceiversUncached(Scope* fn, const Ctx& c) {
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
      if (out.size() < kMaxValues) out.push_back(v);
    };
    if (fn->name != "__init__") {
      ForEachClassReceiverAt(fn->name, cls, c, [&](const Expr* call,
                                                    const Ctx& in,
                                                    const Value& r) {
        if (r.kind == Value::Kind::kInstance) {
          add(r);
        } else if (r.kind == Value::Kind::kClass &&
                   call->children.size() >= 2) {
          // Class.method(x): a plain function whose first parameter is x.
          for (const Value& a : Eval(call->children[1], in)) add(a);
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
            [](const Value& v) { return v.kind == Value::Kind::kInstance; },
            cls, nullptr,
            [&](const Expr*, const Ctx&, const Value& v) { add(v); });
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
  std::vector<Value> ClassReceivers(Scope* fn, const Ctx& c) {
    auto memo = receivers_memo_.find(fn);
    if (memo != receivers_memo_.end()) return memo->second;
    std::vector<Value> out;
    ForEachClassReceiverAt(fn->name, fn->parent, c,
                           [&](const Expr*, const Ctx&, Value r) {
      if (r.kind == Value::Kind::kInstance) r.kind = Value::Kind::kClass;
      if (r.kind == Value::Kind::kModelInstance) {
        r.kind = Value::Kind::kModelClass;
      }
      r.site = nullptr;
      bool seen = false;
      for (const Value& o : out) seen = seen || o.scope == r.scope;
      if (!seen && out.size() < kMaxValues) out.push_back(r);
    });
    if (out.empty()) out.push_back(ClassValue(fn->parent, c));
    receivers_memo_.emplace(fn, out);
    return out;
  }

  // Calls `fn(call, ctx, receiver)` for each receiver at an `X.name(...)`
  // call site of the project, evaluated where the call is, that is an
  // instance or a class of `cls` or of a subclass; sites in project order.
  template <typename Fn>
  void ForEachClassReceiverAt(const std::string& name, Scope* cls,
                              const Ctx& c, Fn fn) {
    const auto& calls = CallsByName();
    auto it = calls.find(name);
    if (it == calls.end()) return;
    ForEachSiteValue(
        &receiver_sites_[name], it->second, /*receiver=*/true, c,
        [](const Value& r) {
          return r.kind == Value::Kind::kInstance ||
                 r.kind == Value::Kind::kClass ||
                 r.kind == Value::Kind::kModelInstance ||
                 r.kind == Value::Kind::kModelClass;
        },
        nullptr, [&](Scope* s) { return IsSubclass(s, cls); }, fn);
  }

  // The values at each call site of one name of an expression there (the
  // receiver of an `X.name(...)` call, or the call itself), kept for the
  // kinds a caller asks about. Found once per site, and indexed by the
  // value's scope once every site is known, so that asking for the values
  // of one class does not evaluate every call of the same name again.
  struct SiteValues {
    std::vector<std::vector<Value>> values;  // per site of CallsByName
    std::vector<bool> known;                 // values[i] is final
    std::size_t unknown = 0;
    bool indexed = false;
    // (site, position in values[site]) of the values of each scope.
    std::unordered_map<Scope*,
                       std::vector<std::pair<std::uint32_t, std::uint32_t>>>
        by_scope;
  };

  // Calls `visit(call, ctx, value)` for each value `keep` accepts at the
  // sites, whose scope is `exact` (when not null) or satisfies `match`, in
  // the order of the sites and of each site's values.
  template <typename Keep, typename Match, typename Visit>
  void ForEachSiteValue(SiteValues* index,
                        const std::vector<std::pair<const Expr*, Scope*>>& sites,
                        bool receiver, const Ctx& c, Keep keep,
                        Scope* exact, Match match, Visit visit) {
    auto wanted = [&](Scope* s) {
      if (exact != nullptr) return s == exact;
      if constexpr (std::is_same_v<Match, std::nullptr_t>) {
        return false;
      } else {
        return match(s);
      }
    };
    auto context = [&](std::size_t i) {
      Ctx in;
      in.scope = sites[i].second;
      in.depth = c.depth + 2;
      in.line = sites[i].first->line;
      return in;
    };
    if (index->values.empty() && !sites.empty()) {
      index->values.resize(sites.size());
      index->known.assign(sites.size(), false);
      index->unknown = sites.size();
    }
    if (index->indexed) {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> found;
      if (exact != nullptr) {
        auto at = index->by_scope.find(exact);
        if (at != index->by_scope.end()) found = at->second;
      } else {
        for (const auto& [scope, positions] : index->by_scope) {
          if (!wanted(scope)) continue;
          found.insert(found.end(), positions.begin(), positions.end());
        }
        std::sort(found.begin(), found.end());
      }
      for (const auto& [i, k] : found) {
        visit(sites[i].first, context(i), index->values[i][k]);
      }
      return;
    }
    for (std::size_t i = 0; i < sites.size(); ++i) {
      const Expr* call = sites[i].first;
      const Expr* f = call->children[0];
      if (receiver && f->kind != Expr::Kind::kAttribute) {
        if (!index->known[i]) {
          index->known[i] = true;
          --index->unknown;
        }
        continue;
      }
      const Ctx in = context(i);
      std::vector<Value> fresh;
      const std::vector<Value>* values = &index->values[i];
      if (!index->known[i]) {
        const std::size_t before = cutoffs_;
        fresh = Eval(receiver ? f->children[0] : call, in);
        if (cutoffs_ == before) {
          for (Value& v : fresh) {
            if (keep(v)) index->values[i].push_back(std::move(v));
          }
          index->known[i] = true;
          --index->unknown;
        } else {
          values = &fresh;
        }
      }
      for (const Value& v : *values) {
        if (keep(v) && wanted(v.scope)) visit(call, in, v);
      }
    }
    if (index->unknown == 0) {
      index->indexed = true;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        for (std::size_t k = 0; k < index->values[i].size(); ++k) {
          index->by_scope[index->values[i][k].scope].push_back(
              {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(k)});
        }
      }
    }
  }

  bool IsSubclass(Scope* cls, Scope* base) {
    for (int i = 0; cls != nullptr && i < 8; ++i, cls = BaseClass(cls)) {
      if (cls == base) return true;
    }
    return false;
  }

  // Whether `call` (in `scope`) calls function `fn` (or instantiates its
  // class when fn is __init__).
  bool CallTargets(const Expr* call, Scope* scope, Scope* fn, const Ctx& c) {
    const Expr* f = call->children[0];
    Ctx in;
    in.scope = scope;
    in.depth = c.depth + 2;
    bool init = fn->name == "__init__" && fn->parent != nullptr &&
                fn->parent->kind == Scope::Kind::kClass;
    if (f->kind == Expr::Kind::kAttribute) {
      // self.helper(...) / module.helper(...) / obj.method(...): accept when
      // the receiver resolves to the owner, or cannot be resolved at all.
      for (const Value& r : Eval(f->children[0], in)) {
        if (r.kind == Value::Kind::kModule && r.scope == fn->parent) {
          return true;
        }
        if (r.kind == Value::Kind::kModule && r.scope != nullptr && !init) {
          // A package that re-exports the function (`from .query import
          // batch_get` in its __init__).
          for (const Value& v : ModuleAttribute(r.scope, f->name, in)) {
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
      if (init && (v.kind == Value::Kind::kClass ||
                   v.kind == Value::Kind::kModelClass) &&
          v.scope == fn->parent) {
        return true;
      }
      if (v.kind == Value::Kind::kFunction && v.scope == fn) return true;
    }
    return false;
  }

  // ------------------------------------------------------- call-site index
  //
  // Which functions a call site may call, as targets the site's callee
  // evaluates to. Found once per site and indexed per callee name, so that
  // the call sites of one function are found without evaluating every call
  // of the same name again (many modules define a `_clean` or a `get`).
  // CallTargets(call, scope, fn) holds exactly when the site's targets and
  // TargetsOf(fn) meet.

  enum class TargetKind : std::uint8_t {
    kParent,      // the callee's owner: a module, class or instance of it
    kFunction,    // the function itself, named directly
    kReexport,    // a function a module receiver re-exports (not __init__)
    kInitModule,  // the module of a class whose __init__ is called
    kInitClass,   // the class whose __init__ is called
  };
  struct Target {
    TargetKind kind;
    const Scope* scope;
    bool operator==(const Target& o) const {
      return kind == o.kind && scope == o.scope;
    }
  };
  struct TargetHash {
    std::size_t operator()(const Target& t) const {
      return std::hash<const void*>()(t.scope) * 5 +
             static_cast<std::size_t>(t.kind);
    }
  };

  // The targets of `call` in `scope`; false when the evaluation was cut
  // short (they may then be incomplete).
  bool SiteTargets(const Expr* call, Scope* scope, const Ctx& c,
                   std::vector<Target>* out) {
    const std::size_t before = cutoffs_;
    const Expr* f = call->children[0];
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
      for (const Value& r : Eval(f->children[0], in)) {
        if (r.kind == Value::Kind::kModule) {
          add(TargetKind::kParent, r.scope);
          add(TargetKind::kInitModule, r.scope);
          if (r.scope != nullptr) {
            for (const Value& v : ModuleAttribute(r.scope, f->name, in)) {
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
        if (v.kind == Value::Kind::kClass ||
            v.kind == Value::Kind::kModelClass) {
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
  static std::vector<Target> TargetsOf(const Scope* fn) {
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

  // The call sites of one callee name and their targets.
  struct CalleeSites {
    std::vector<std::vector<Target>> targets;  // per site of CallsByName
    std::vector<bool> known;                   // targets[i] is final
    std::size_t unknown = 0;
    // Built once every site's targets are known: the sites (by position)
    // that have each target.
    bool indexed = false;
    std::unordered_map<Target, std::vector<std::uint32_t>, TargetHash>
        by_target;
  };

  // Calls `visit(call, scope)` for each call site named `callee` that calls
  // `fn` (CallTargets), in the order of CallsByName, until `done()`.
  template <typename Done, typename Visit>
  void ForEachCallOf(Scope* fn, const std::string& callee, const Ctx& c,
                     Done done, Visit visit) {
    const auto& calls = CallsByName();
    auto it = calls.find(callee);
    if (it == calls.end()) return;
    const auto& sites = it->second;
    CalleeSites& index = callee_sites_[callee];
    if (index.targets.empty() && !sites.empty()) {
      index.targets.resize(sites.size());
      index.known.assign(sites.size(), false);
      index.unknown = sites.size();
    }
    const std::vector<Target> wanted = TargetsOf(fn);
    auto meets = [&wanted](const std::vector<Target>& have) {
      for (const Target& t : have) {
        if (std::find(wanted.begin(), wanted.end(), t) != wanted.end()) {
          return true;
        }
      }
      return false;
    };
    if (index.indexed) {
      std::vector<std::uint32_t> positions;
      for (const Target& t : wanted) {
        auto found = index.by_target.find(t);
        if (found == index.by_target.end()) continue;
        positions.insert(positions.end(), found->second.begin(),
                         found->second.end());
      }
      std::sort(positions.begin(), positions.end());
      positions.erase(std::unique(positions.begin(), positions.end()),
                      positions.end());
      for (std::uint32_t i : positions) {
        if (done()) return;
        visit(sites[i].first, sites[i].second);
      }
      return;
    }
    for (std::size_t i = 0; i < sites.size(); ++i) {
      if (done()) return;
      const auto& [call, scope] = sites[i];
      std::vector<Target> fresh;
      const std::vector<Target>* have = &index.targets[i];
      if (!index.known[i]) {
        if (SiteTargets(call, scope, c, &fresh)) {
          index.targets[i] = std::move(fresh);
          index.known[i] = true;
          --index.unknown;
        } else {
          have = &fresh;
        }
      }
      if (meets(*have)) visit(call, scope);
    }
    if (index.unknown == 0 && !index.indexed) {
      index.indexed = true;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        for (const Target& t : index.targets[i]) {
          index.by_target[t].push_back(static_cast<std::uint32_t>(i));
        }
      }
    }
  }

  std::map<std::string, std::vector<Value>> BindArgs(Scope* fn,
                                                     const Expr* call,
                                                     const Ctx& c,
                                                     int offset) {
    std::map<std::string, std::vector<Value>> bound;
    const Stmt* def = fn->stmt;
    for (size_t i = 0; i < def->params.size(); ++i) {
      const Param& p = def->params[i];
      if (p.star != 0) continue;
      int pos = static_cast<int>(i) - offset;
      const Expr* arg = nullptr;
      if (pos >= 0 && static_cast<size_t>(pos) + 1 < call->children.size()) {
        arg = call->children[pos + 1];
      }
      for (const Keyword& k : call->keywords) {
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

  // Values a project function returns when called with `call`'s arguments.
  std::vector<Value> CallFunction(Scope* fn, const Expr* call, const Ctx& c,
                                  int offset, const Value* receiver = nullptr) {
    if (c.depth > kMaxDepth) return {CutOff("resolution too deep")};
    auto bound = BindArgs(fn, call, c, offset);
    if (receiver != nullptr && offset == 1 && !fn->stmt->params.empty()) {
      bound[fn->stmt->params[0].name] = {*receiver};
    }
    std::vector<Value> out = ResultValues(fn, bound, c);
    if (out.empty()) return {Unknown(fn->name + "() returns nothing known")};
    return out;
  }

  // What a call of `fn` with parameters `bound` gives (see CollectResults).
  std::vector<Value> ResultValues(
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
  void CollectResults(Scope* fn, std::vector<const Stmt*>* out) {
    CollectReturns(fn->stmt->body, out);
    if (HasDecorator(fn, "contextmanager", "asynccontextmanager")) {
      ForEachLocalStmt(fn->stmt->body, [&](const Stmt* st) {
        if (st->kind == Stmt::Kind::kExpr && st->value != nullptr &&
            st->value->kind == Expr::Kind::kOther &&
            st->value->name == "yield" && !st->value->children.empty()) {
          yields_.push_back(std::make_unique<Stmt>());
          Stmt* r = yields_.back().get();
          r->kind = Stmt::Kind::kReturn;
          r->line = st->line;
          r->value = st->value->children[0];
          out->push_back(r);
        }
      });
    }
  }

  void CollectReturns(const StmtList& body, std::vector<const Stmt*>* out) {
    for (const Stmt* s : body) {
      if (s->kind == Stmt::Kind::kReturn && s->value != nullptr) {
        out->push_back(s);
      }
      if (s->kind == Stmt::Kind::kDef || s->kind == Stmt::Kind::kClass)
        continue;
      CollectReturns(s->body, out);
      CollectReturns(s->orelse, out);
    }
  }

  // The line an operation is reported at: the method's name for a method
  // call, else where the call starts.
  static int OpLine(const Expr* call) {
    const Expr* f = call->children[0];
    return f->kind == Expr::Kind::kAttribute ? f->line : call->line;
  }

  // Arg, also looking into `**kwargs` dicts the scanner can follow.
  const Expr* ArgIn(const Expr* call, size_t pos, const std::string& kw,
                    const Ctx& c) {
    if (const Expr* a = Arg(call, pos, kw)) return a;
    for (const Keyword& k : call->keywords) {
      if (!k.name.empty()) continue;
      if (const Expr* v = DictValue(k.value, kw, c)) return v;
    }
    return nullptr;
  }

  const Expr* Arg(const Expr* call, size_t pos, const std::string& kw) {
    for (const Keyword& k : call->keywords) {
      if (k.name == kw) return k.value;
    }
    if (pos + 1 < call->children.size() &&
        call->children[pos + 1]->kind != Expr::Kind::kStarred) {
      return call->children[pos + 1];
    }
    return nullptr;
  }

  // Literal service name of boto3.client(...)/resource(...).
  std::string ServiceName(const Expr* call, const Ctx& c) {
    const Expr* a = ArgIn(call, 0, "service_name", c);
    if (a == nullptr) return "";
    std::vector<Value> vs = Eval(a, c);
    if (vs.size() == 1 && vs[0].kind == Value::Kind::kStr &&
        vs[0].str.origin == Str::Origin::kLiteral)
      return vs[0].str.text;
    return "";
  }

  Value ServiceObject(const std::string& factory, const Expr* call,
                      const Ctx& c) {
    std::string service = ServiceName(call, c);
    Value v;
    if (factory == "client" && service == "dynamodb") {
      v.kind = Value::Kind::kClient;
    } else if (factory == "client" && service == "dynamodbstreams") {
      v.kind = Value::Kind::kStreamsClient;
    } else if (factory == "resource" && service == "dynamodb") {
      v.kind = Value::Kind::kResource;
    } else {
      v.reason = "not a DynamoDB " + factory;
    }
    return v;
  }

  Value TableOf(const Expr* name_expr, const Ctx& c, Value::Kind kind) {
    Value v;
    v.kind = kind;
    v.str = TableStr(name_expr, c);
    return v;
  }

  // The table name an argument evaluates to (first value; several values are
  // handled by callers that need them).
  Str TableStr(const Expr* e, const Ctx& c) {
    if (e == nullptr) return UnresolvedStr("no table name argument");
    std::vector<Value> vs = Eval(e, c);
    for (const Value& v : vs) {
      if (v.kind == Value::Kind::kStr) return v.str;
    }
    return UnresolvedStr(vs.empty() ? "unknown" : vs[0].reason);
  }

  std::vector<Str> TableStrs(const Expr* e, const Ctx& c) {
    if (e == nullptr) return {UnresolvedStr("no table name argument")};
    std::vector<Str> out;
    std::vector<Value> vs = Eval(e, c);
    for (const Value& v : vs) {
      if (v.kind == Value::Kind::kStr) out.push_back(v.str);
      if (v.kind == Value::Kind::kTable) out.push_back(v.str);
    }
    if (out.empty()) {
      out.push_back(UnresolvedStr(vs.empty() ? "unknown" : vs[0].reason));
    }
    return out;
  }

  std::vector<Value> EvalCall(const Expr* call, const Ctx& c) {
    const Expr* f = call->children[0];
    std::vector<Value> out;
    if (f->kind == Expr::Kind::kName && IsBuiltin(f->name, c)) {
      return CallBuiltin(f->name, call, c);
    }
    // A lazy proxy (Django's SimpleLazyObject, werkzeug's LocalProxy) of a
    // lambda stands for what the lambda returns.
    std::string callee = DottedName(f);
    callee = callee.substr(callee.rfind('.') + 1);
    if ((callee == "SimpleLazyObject" || callee == "LocalProxy" ||
         callee == "LazyObject") &&
        call->children.size() == 2 &&
        call->children[1]->kind == Expr::Kind::kOther &&
        call->children[1]->name == "lambda") {
      return Eval(call->children[1]->children.back(), c);
    }
    if (f->kind == Expr::Kind::kAttribute) {
      for (const Value& r : Eval(f->children[0], c)) {
        AddValues(&out, CallMethod(r, f->name, call, c));
      }
      return out;
    }
    for (const Value& fv : Eval(f, c)) {
      AddValues(&out, CallValue(fv, call, c));
    }
    return out;
  }

  std::vector<Value> CallValue(const Value& fv, const Expr* call,
                               const Ctx& c) {
    Value v;
    switch (fv.kind) {
      case Value::Kind::kBoto3Factory:
        return {ServiceObject(fv.name, call, c)};
      case Value::Kind::kSessionClass:
        v.kind = Value::Kind::kSession;
        return {v};
      case Value::Kind::kGetenv: {
        std::vector<Value> out;
        for (const Value& k : Eval(Arg(call, 0, "key"), c)) {
          out.push_back(MakeStr(EnvStr(k, Arg(call, 1, "default"), c)));
        }
        return out;
      }
      case Value::Kind::kEnvReaderClass:
        v.kind = Value::Kind::kEnvReader;
        return {v};
      case Value::Kind::kPartialFactory:
        v.kind = Value::Kind::kPartial;
        v.expr = call;
        v.site_scope = c.scope;
        return {v};
      case Value::Kind::kPartial:
        return CallPartial(fv, call, c);
      case Value::Kind::kEnvReader:
        return EnvReaderValue(call, c);
      case Value::Kind::kTransactClass:
        v.kind = fv.name == "TransactWrite" ? Value::Kind::kTransactWrite
                                            : Value::Kind::kTransactGet;
        return {v};
      case Value::Kind::kModelClass:
        v.kind = Value::Kind::kModelInstance;
        v.scope = fv.scope;
        return {v};
      case Value::Kind::kClass:
        v.kind = Value::Kind::kInstance;
        v.scope = fv.scope;
        v.name = fv.name;
        v.site = call;
        v.site_scope = c.scope;
        return {v};
      case Value::Kind::kFunction:
        return CallFunction(fv.scope, call, c, 0);
      default:
        return {Unknown(fv.kind == Value::Kind::kUnknown && !fv.reason.empty()
                            ? fv.reason
                            : "call of an unknown function")};
    }
  }

  // A builtin the analysis follows, not shadowed by a project name.
  bool IsBuiltin(const std::string& name, const Ctx& c) {
    if (name != "getattr" && name != "str" && name != "dict" &&
        name != "list" && name != "tuple" && name != "super") {
      return false;
    }
    for (Scope* s = c.scope; s != nullptr; s = s->parent) {
      if (s->names.count(name) > 0) return false;
    }
    return true;
  }

  std::vector<Value> CallBuiltin(const std::string& name, const Expr* call,
                                 const Ctx& c) {
    if (name == "getattr") {
      // getattr(obj, "attr"[, default]): the attribute, else the default
      // (a Django setting the settings modules do not assign).
      const Expr* attr = Arg(call, 1, "");
      std::string attr_name;
      const Expr* dflt = call->children.size() > 3 ? call->children[3]
                                                   : nullptr;
      std::vector<Value> names = Eval(attr, c);
      if (names.size() == 1 && names[0].kind == Value::Kind::kStr &&
          names[0].str.origin == Str::Origin::kLiteral &&
          !names[0].str.pattern) {
        attr_name = names[0].str.text;
      }
      if (attr_name.empty()) return {Unknown("getattr with a computed name")};
      std::vector<Value> out;
      bool missing = true;
      for (const Value& r : Eval(Arg(call, 0, ""), c)) {
        for (Value& v : GetAttribute(r, attr_name, c)) {
          bool unset = v.kind == Value::Kind::kUnknown ||
                       (v.kind == Value::Kind::kStr &&
                        v.str.origin == Str::Origin::kSettings);
          if (unset && dflt != nullptr) continue;
          missing = false;
          AddValues(&out, {std::move(v)});
        }
      }
      if (missing && dflt != nullptr) return Eval(dflt, c);
      if (out.empty()) return {Unknown("getattr")};
      return out;
    }
    if (name == "super") {
      // super() in a method: its receiver, seen from the base class (a
      // PynamoDB model's own item).
      Scope* fn = c.scope;
      while (fn != nullptr && fn->kind != Scope::Kind::kFunction) {
        fn = fn->parent;
      }
      if (fn == nullptr || fn->stmt->params.empty() ||
          fn->parent == nullptr || fn->parent->kind != Scope::Kind::kClass) {
        return {Unknown("super() outside a method")};
      }
      Ctx in = c;
      in.scope = fn;
      std::vector<Value> out;
      for (Value v : LookupName(fn->stmt->params[0].name, in, fn->stmt->line)) {
        if (v.kind == Value::Kind::kInstance) {
          Scope* base = BaseClass(fn->parent);
          if (base == nullptr) continue;
          v.scope = base;
        }
        AddValues(&out, {v});
      }
      return out;
    }
    // dict(k=v, ...): a dict (see DictItems); str(x), list(x), tuple(x),
    // dict(x): the argument's values.
    if (name == "dict" && call->children.size() == 1) {
      Value v;
      v.kind = Value::Kind::kDict;
      v.expr = call;
      return {v};
    }
    if (call->children.size() == 2) return Eval(call->children[1], c);
    return {Unknown(name + "()")};
  }

  // The method `method` of a project class (searching bases).
  Scope* FindMethod(Scope* cls, const std::string& method, int depth = 0) {
    if (cls == nullptr || depth > 8) return nullptr;
    auto it = cls->names.find(method);
    if (it != cls->names.end()) {
      for (const Binding& b : it->second) {
        if (b.kind == Binding::Kind::kDef) return b.def;
      }
    }
    Ctx in;
    in.scope = cls->parent;
    for (const Expr* base : cls->stmt->bases) {
      for (const Value& bv : Eval(base, in)) {
        if ((bv.kind == Value::Kind::kClass ||
             bv.kind == Value::Kind::kModelClass) &&
            bv.scope != nullptr) {
          if (Scope* m = FindMethod(bv.scope, method, depth + 1)) return m;
        }
      }
    }
    return nullptr;
  }

  // Calling functools.partial(f, a, k=v) with more arguments: f with the
  // partial's arguments first (evaluated where the partial was made).
  std::vector<Value> CallPartial(const Value& p, const Expr* call,
                                 const Ctx& c) {
    const Expr* made = p.expr;
    if (made == nullptr || made->children.size() < 2 ||
        c.depth > kMaxDepth) {
      return {Unknown("partial")};
    }
    Ctx at;
    at.scope = p.site_scope;
    at.depth = c.depth + 1;
    at.line = made->line;
    std::vector<Value> out;
    for (const Value& f : Eval(made->children[1], at)) {
      if (f.kind != Value::Kind::kFunction || f.scope == nullptr) continue;
      Scope* fn = f.scope;
      const size_t fixed = made->children.size() - 2;
      auto bound = BindArgs(fn, call, c, static_cast<int>(fixed));
      const auto& params = fn->stmt->params;
      for (size_t i = 0; i < fixed && i < params.size(); ++i) {
        bound[params[i].name] = Eval(made->children[2 + i], at);
      }
      for (const Keyword& k : made->keywords) {
        if (!k.name.empty()) bound[k.name] = Eval(k.value, at);
      }
      AddValues(&out, ResultValues(fn, bound, c));
    }
    if (out.empty()) return {Unknown("partial")};
    return out;
  }

  // A value read by django-environ / environs / python-decouple:
  // reader("X", default=...) or reader.str("X", default=...).
  std::vector<Value> EnvReaderValue(const Expr* call, const Ctx& c) {
    std::vector<Value> out;
    const Expr* dflt = Arg(call, 1u << 20, "default");
    for (const Value& k : Eval(Arg(call, 0, "var"), c)) {
      out.push_back(MakeStr(EnvStr(k, dflt, c)));
    }
    if (out.empty()) return {Unknown("environment reader")};
    return out;
  }

  // A method of a string: format() fills the replacement fields (by
  // position or keyword; '*' where unknown), case and strip methods keep
  // literals literal, anything else gives an unknown string.
  std::vector<Value> StrMethod(const Str& s, const std::string& method,
                               const Expr* call, const Ctx& c) {
    if (s.origin != Str::Origin::kLiteral) {
      return {MakeStr(UnresolvedStr("." + method + "() of a variable"))};
    }
    if (method == "format") {
      std::vector<FormatPart> parts;
      size_t next = 0;
      const std::string& t = s.text;
      for (size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
          parts.push_back({"{", nullptr, false});
          ++i;
        } else if (t[i] == '}' && i + 1 < t.size() && t[i + 1] == '}') {
          parts.push_back({"}", nullptr, false});
          ++i;
        } else if (t[i] == '{') {
          size_t end = t.find('}', i);
          if (end == std::string::npos) break;
          std::string field = t.substr(i + 1, end - i - 1);
          field = field.substr(0, field.find_first_of("!:"));
          const Expr* arg = nullptr;
          if (field.empty()) {
            arg = Arg(call, next++, "\x01");
          } else if (isdigit(static_cast<unsigned char>(field[0]))) {
            arg = Arg(call, static_cast<size_t>(atoi(field.c_str())), "\x01");
          } else {
            arg = Arg(call, 1u << 20, field);
          }
          parts.push_back({"", arg, true});
          i = end;
        } else {
          parts.push_back({std::string(1, t[i]), nullptr, false});
        }
      }
      return Format(s, parts, c);
    }
    if (method == "lower" || method == "upper" || method == "strip" ||
        method == "title" || method == "capitalize") {
      Str out = s;
      for (char& ch : out.text) {
        if (method == "lower") ch = static_cast<char>(tolower(ch));
        if (method == "upper") ch = static_cast<char>(toupper(ch));
      }
      return {MakeStr(out)};
    }
    return {Unknown("result of ." + method + "()")};
  }

  // "fmt" % args: each %-conversion takes the next argument ('*' where
  // unknown); "%%" is a percent sign.
  std::vector<Value> PercentFormat(const Expr* e, const Ctx& c) {
    std::vector<Value> fmt = Eval(e->children[0], c);
    if (fmt.size() != 1 || fmt[0].kind != Value::Kind::kStr ||
        fmt[0].str.origin != Str::Origin::kLiteral) {
      return {Unknown("expression")};
    }
    const Expr* rhs = e->children[1];
    std::vector<const Expr*> args;
    if (rhs->kind == Expr::Kind::kTuple) {
      args.assign(rhs->children.begin(), rhs->children.end());
    } else {
      args.push_back(rhs);
    }
    std::vector<FormatPart> parts;
    const std::string& t = fmt[0].str.text;
    size_t next = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '%') {
        parts.push_back({std::string(1, t[i]), nullptr, false});
        continue;
      }
      if (i + 1 < t.size() && t[i + 1] == '%') {
        parts.push_back({"%", nullptr, false});
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < t.size() && !isalpha(static_cast<unsigned char>(t[j]))) ++j;
      parts.push_back({"", next < args.size() ? args[next] : nullptr, true});
      ++next;
      i = j;
    }
    return Format(fmt[0].str, parts, c);
  }

  // One piece of a format: literal text, or a field filled from `arg` (null
  // when the format names an argument the call does not pass).
  struct FormatPart {
    std::string text;
    const Expr* arg = nullptr;
    bool field = false;
  };

  // Every string a format can produce (at most kMaxValues): a field with
  // several string values multiplies the results; one that is not a string
  // is '*'.
  std::vector<Value> Format(const Str& fmt, const std::vector<FormatPart>& parts,
                            const Ctx& c) {
    Str start = Literal("");
    start.pattern = fmt.pattern;
    start.note = fmt.note;
    start.tmpl = "";
    std::vector<Str> results = {start};
    for (const FormatPart& p : parts) {
      if (!p.field) {
        for (Str& r : results) {
          r.text += p.text;
          AppendTemplate(Literal(p.text), &r);
        }
        continue;
      }
      std::vector<Str> alternatives;
      if (p.arg != nullptr) {
        for (const Value& v : Eval(p.arg, c)) {
          if (v.kind == Value::Kind::kStr) alternatives.push_back(v.str);
        }
        if (alternatives.empty() && p.arg->kind == Expr::Kind::kNumber) {
          alternatives.push_back(Literal(p.arg->name));
        }
      }
      if (alternatives.empty()) {
        Str unknown = UnresolvedStr("formatted part is not a constant");
        alternatives.push_back(unknown);
      }
      std::vector<Str> next;
      for (const Str& r : results) {
        for (const Str& a : alternatives) {
          if (next.size() >= kMaxValues) break;
          Str joined = r;
          joined.text += Piece(a, &joined);
          AppendTemplate(a, &joined);
          next.push_back(joined);
        }
      }
      results = std::move(next);
    }
    std::vector<Value> out;
    for (Str& r : results) {
      FinishTemplate(&r);
      out.push_back(MakeStr(r));
    }
    return out;
  }

  // Calls method `m` of a project class on receiver `r` (an instance or the
  // class itself): self / cls is bound unless the method is static.
  std::vector<Value> CallProjectMethod(const Value& r, Scope* m,
                                       const Expr* call, const Ctx& c) {
    bool on_instance = r.kind == Value::Kind::kInstance ||
                       r.kind == Value::Kind::kModelInstance;
    int offset = on_instance ? 1 : 0;
    if (HasDecorator(m, "staticmethod", nullptr)) offset = 0;
    Value receiver = r;
    if (HasDecorator(m, "classmethod", nullptr)) {
      offset = 1;
      if (receiver.kind == Value::Kind::kInstance) {
        receiver.kind = Value::Kind::kClass;
      } else if (receiver.kind == Value::Kind::kModelInstance) {
        receiver.kind = Value::Kind::kModelClass;
      }
      receiver.site = nullptr;
    }
    return CallFunction(m, call, c, offset, &receiver);
  }

  std::vector<Value> CallMethod(const Value& r, const std::string& method,
                                const Expr* call, const Ctx& c) {
    Value v;
    switch (r.kind) {
      case Value::Kind::kBoto3:
        if (method == "client" || method == "resource") {
          return {ServiceObject(method, call, c)};
        }
        if (method == "Session") {
          v.kind = Value::Kind::kSession;
          return {v};
        }
        break;
      case Value::Kind::kSession:
        if (method == "client" || method == "resource") {
          return {ServiceObject(method, call, c)};
        }
        break;
      case Value::Kind::kResource:
        if (method == "Table") {
          std::vector<Value> out;
          for (const Str& s : TableStrs(Arg(call, 0, "name"), c)) {
            v.kind = Value::Kind::kTable;
            v.str = s;
            out.push_back(v);
          }
          return out;
        }
        if (method == "create_table") {
          return {TableOf(ArgIn(call, 99, "TableName", c), c, Value::Kind::kTable)};
        }
        break;
      case Value::Kind::kTable:
        if (method == "batch_writer") {
          v = r;
          v.kind = Value::Kind::kBatchWriter;
          return {v};
        }
        break;
      case Value::Kind::kClient:
        if (method == "get_paginator" || method == "get_waiter") {
          v.kind = method == "get_paginator" ? Value::Kind::kPaginator
                                             : Value::Kind::kWaiter;
          const Expr* a = Arg(call, 0, method == "get_paginator"
                                           ? "operation_name"
                                           : "waiter_name");
          std::vector<Value> vs = Eval(a, c);
          if (!vs.empty() && vs[0].kind == Value::Kind::kStr) {
            v.name = vs[0].str.text;
          }
          return {v};
        }
        break;
      case Value::Kind::kEnviron:
        if (method == "get") {
          std::vector<Value> out;
          for (const Value& k : Eval(Arg(call, 0, "key"), c)) {
            out.push_back(MakeStr(EnvStr(k, Arg(call, 1, "default"), c)));
          }
          return out;
        }
        break;
      case Value::Kind::kOs:
        if (method == "getenv") {
          Value g;
          g.kind = Value::Kind::kGetenv;
          return CallValue(g, call, c);
        }
        break;
      case Value::Kind::kStr:
        return StrMethod(r.str, method, call, c);
      case Value::Kind::kEnvReader:
        // env.str("X", default="t"), env("X"), env.get_value(...)
        return EnvReaderValue(call, c);
      case Value::Kind::kExtModule:
        return CallValue(ExternalImport(r.name, method), call, c);
      case Value::Kind::kList:
        if (method == "copy") return {r};
        break;
      case Value::Kind::kDict:
        if (method == "copy") return {r};
        if (method == "get" && r.expr != nullptr &&
            r.expr->kind == Expr::Kind::kDict && call->children.size() >= 2) {
          std::vector<Value> out = DictLookup(r, call->children[1], c);
          if (call->children.size() >= 3 &&
              (out.empty() || (out.size() == 1 &&
                               out[0].kind == Value::Kind::kUnknown))) {
            return Eval(call->children[2], c);
          }
          return out;
        }
        break;
      case Value::Kind::kModelClass:
        if (Scope* m = FindMethod(r.scope, method)) {
          return CallProjectMethod(r, m, call, c);
        }
        if (method == "get") {
          v.kind = Value::Kind::kModelInstance;
          v.scope = r.scope;
          return {v};
        }
        if (method == "query" || method == "scan" || method == "batch_get") {
          v.kind = Value::Kind::kModelInstance;
          v.scope = r.scope;
          return {v};
        }
        break;
      case Value::Kind::kIndex:
        if (method == "query" || method == "scan") {
          v.kind = Value::Kind::kModelInstance;
          v.scope = r.scope;
          return {v};
        }
        break;
      case Value::Kind::kModule: {
        std::vector<Value> out;
        for (const Value& fv : ModuleAttribute(r.scope, method, c)) {
          AddValues(&out, CallValue(fv, call, c));
        }
        return out;
      }
      case Value::Kind::kModelInstance:
        if (Scope* m = FindMethod(r.scope, method)) {
          return CallProjectMethod(r, m, call, c);
        }
        if (method == "get" || method == "query" || method == "scan" ||
            method == "batch_get") {
          v.kind = Value::Kind::kModelInstance;
          v.scope = r.scope;
          return {v};
        }
        break;
      case Value::Kind::kInstance:
      case Value::Kind::kClass: {
        if (Scope* m = FindMethod(r.scope, method)) {
          return CallProjectMethod(r, m, call, c);
        }
        break;
      }
      default:
        break;
    }
    if (r.kind == Value::Kind::kInstance || r.kind == Value::Kind::kClass ||
        r.kind == Value::Kind::kModelClass ||
        r.kind == Value::Kind::kModelInstance) {
      // An attribute that holds something callable (`cls.model(...)` with
      // `model = SomeModel` in a subclass, a stored factory function).
      std::vector<Value> out;
      for (const Value& a : GetAttribute(r, method, c)) {
        if (a.kind == Value::Kind::kClass || a.kind == Value::Kind::kModelClass ||
            a.kind == Value::Kind::kFunction ||
            a.kind == Value::Kind::kBoto3Factory ||
            a.kind == Value::Kind::kSessionClass) {
          AddValues(&out, CallValue(a, call, c));
        }
      }
      if (!out.empty()) return out;
    }
    return {Unknown("result of ." + method + "()")};
  }

  std::vector<Value> GetAttribute(const Value& r, const std::string& name,
                                  const Ctx& c) {
    Value v;
    switch (r.kind) {
      case Value::Kind::kBoto3:
        if (name == "client" || name == "resource") {
          v.kind = Value::Kind::kBoto3Factory;
          v.name = name;
          return {v};
        }
        if (name == "Session") {
          v.kind = Value::Kind::kSessionClass;
          return {v};
        }
        if (name == "session") return {r};
        break;
      case Value::Kind::kResource:
      case Value::Kind::kTable:
        if (name == "meta") {
          v.kind = Value::Kind::kMeta;
          return {v};
        }
        if (name == "tables" && r.kind == Value::Kind::kResource) {
          v.kind = Value::Kind::kTables;
          return {v};
        }
        if (r.kind == Value::Kind::kTable &&
            (name == "name" || name == "table_name")) {
          return {MakeStr(r.str)};
        }
        break;
      case Value::Kind::kMeta:
        if (name == "client") {
          v.kind = Value::Kind::kClient;
          return {v};
        }
        break;
      case Value::Kind::kOs:
        if (name == "environ") {
          v.kind = Value::Kind::kEnviron;
          return {v};
        }
        if (name == "getenv") {
          v.kind = Value::Kind::kGetenv;
          return {v};
        }
        break;
      case Value::Kind::kSettings:
        return SettingValue(name, c);
      case Value::Kind::kDjangoConf:
        if (name == "settings") {
          v.kind = Value::Kind::kSettings;
          return {v};
        }
        break;
      case Value::Kind::kExtModule:
        return {ExternalImport(r.name, name)};
      case Value::Kind::kModule:
        if (r.scope != nullptr && r.scope->file->is_settings &&
            name == name) {
          // settings module imported directly
        }
        return ModuleAttribute(r.scope, name, c);
      case Value::Kind::kModelClass:
      case Value::Kind::kModelInstance: {
        if (name == "__name__" && r.kind == Value::Kind::kModelClass) {
          return {MakeStr(Literal(r.scope->name))};
        }
        std::vector<Value> attr = ClassAttribute(r.scope, name, c);
        std::vector<Value> out;
        for (const Value& a : attr) {
          if (a.kind == Value::Kind::kInstance && a.name == "index") {
            Value idx;
            idx.kind = Value::Kind::kIndex;
            idx.scope = r.scope;
            idx.name = IndexName(a.scope, name, c);
            out.push_back(idx);
          } else {
            out.push_back(a);
          }
        }
        return out;
      }
      case Value::Kind::kInstance:
      case Value::Kind::kClass: {
        if (name == "__name__" && r.kind == Value::Kind::kClass) {
          return {MakeStr(Literal(r.scope->name))};
        }
        std::vector<Value> field = SettingsField(r.scope, name, c);
        if (!field.empty()) return field;
        std::vector<Value> out;
        for (const Value& a :
             r.kind == Value::Kind::kInstance
                 ? InstanceAttribute(r, name, c)
                 : ClassAttribute(r.scope, name, c)) {
          if (a.kind == Value::Kind::kFunction && IsProperty(a.scope)) {
            AddValues(&out, CallProperty(a.scope, r, c));
          } else {
            AddValues(&out, {a});
          }
        }
        return out;
      }
      default:
        break;
    }
    return {Unknown("attribute ." + name)};
  }

  // A field of a pydantic BaseSettings class: read from the environment
  // variable of its name (upper case), with its default. Empty when `cls`
  // is not such a class or has no such field.
  std::vector<Value> SettingsField(Scope* cls, const std::string& name,
                                   const Ctx& c) {
    if (cls == nullptr || ClassKind(cls, c, 0) != 3) return {};
    auto it = cls->names.find(name);
    if (it == cls->names.end()) return {};
    for (const Binding& b : it->second) {
      if (b.kind != Binding::Kind::kAssign) continue;
      std::string upper;
      for (char ch : name) upper.push_back(static_cast<char>(toupper(ch)));
      Ctx in = c;
      in.scope = cls;
      in.bound = nullptr;
      return {MakeStr(EnvStr(MakeStr(Literal(upper)), b.value, in))};
    }
    return {};
  }

  // Class-level attribute `name` of a class (searching bases).
  std::vector<Value> ClassAttribute(Scope* cls, const std::string& name,
                                    const Ctx& c, int depth = 0) {
    if (cls == nullptr || depth > 8) return {Unknown("class attribute")};
    auto it = cls->names.find(name);
    if (it != cls->names.end()) {
      Ctx in = c;
      in.scope = cls;
      in.bound = nullptr;
      std::vector<const Binding*> all;
      const Binding* b = PickBinding(it->second, 1 << 30, &all);
      if (b != nullptr) return EvalBinding(*b, name, in);
    }
    // `cls.NAME = v` in a classmethod (a test's setUpClass).
    std::vector<Value> stored;
    for (Scope* m : cls->children) {
      if (m->kind != Scope::Kind::kFunction || m->stmt->params.empty() ||
          !HasDecorator(m, "classmethod", nullptr) || c.depth > kMaxDepth) {
        continue;
      }
      std::map<std::string, std::vector<Value>> bound;
      bound[m->stmt->params[0].name] = {ClassValue(cls, c)};
      FindSelfAssignments(m, m->stmt->body, name, c, &bound, &stored);
    }
    if (!stored.empty()) return stored;
    Ctx in = c;
    in.scope = cls->parent;
    in.bound = nullptr;
    for (const Expr* base : cls->stmt->bases) {
      for (const Value& bv : Eval(base, in)) {
        if ((bv.kind == Value::Kind::kClass ||
             bv.kind == Value::Kind::kModelClass) &&
            bv.scope != nullptr) {
          std::vector<Value> v = ClassAttribute(bv.scope, name, c, depth + 1);
          if (!(v.size() == 1 && v[0].kind == Value::Kind::kUnknown)) return v;
        }
      }
    }
    return {Unknown("class attribute ." + name)};
  }

  // self.<name> assigned in any method of the instance's class or its
  // bases, else a class attribute. The methods run with self bound to this
  // instance; __init__ also with the arguments of the call that created it.
  std::vector<Value> InstanceAttribute(const Value& inst,
                                       const std::string& name, const Ctx& c) {
    Scope* cls = inst.scope;
    if (cls == nullptr) return {Unknown("instance attribute")};
    if (c.depth > kMaxDepth) return {CutOff("resolution too deep")};
    std::vector<Value> out;
    // The call that runs this level's __init__: the creating call, then in
    // each base the `super().__init__(...)` or `Base.__init__(self, ...)` of
    // the level below (a class without __init__ passes its call on).
    const Expr* init_call = inst.site;
    Scope* init_scope = inst.site_scope;
    const std::map<std::string, std::vector<Value>>* init_bound = nullptr;
    int init_offset = 1;
    std::deque<std::map<std::string, std::vector<Value>>> frames;
    for (Scope* k = cls; k != nullptr && out.empty(); k = BaseClass(k)) {
      const std::map<std::string, std::vector<Value>>* init_frame = nullptr;
      Scope* init = nullptr;
      for (Scope* m : k->children) {
        if (m->kind != Scope::Kind::kFunction || m->stmt->params.empty()) {
          continue;
        }
        frames.emplace_back();
        auto& bound = frames.back();
        if (m->name == "__init__") {
          init = m;
          init_frame = &bound;
          if (init_call != nullptr) {
            Ctx at;
            at.scope = init_scope;
            at.bound = init_bound;
            at.depth = c.depth + 1;
            at.line = init_call->line;
            bound = BindArgs(m, init_call, at, init_offset);
          }
        }
        bound[m->stmt->params[0].name] = {inst};
        FindSelfAssignments(m, m->stmt->body, name, c, &bound, &out);
      }
      if (init != nullptr) {
        init_call = SuperInitCall(init, &init_offset);
        init_scope = init;
        init_bound = init_frame;
      }
    }
    if (!out.empty()) return out;
    return ClassAttribute(cls, name, c);
  }

  // The call of the base class's __init__ in `init`: `super().__init__(a)`
  // (offset 1: self is implicit) or `Base.__init__(self, a)` (offset 0).
  const Expr* SuperInitCall(Scope* init, int* offset) {
    const Expr* found = nullptr;
    ForEachLocalStmt(init->stmt->body, [&](const Stmt* st) {
      if (found != nullptr || st->kind != Stmt::Kind::kExpr ||
          st->value == nullptr || st->value->kind != Expr::Kind::kCall) {
        return;
      }
      const Expr* f = st->value->children[0];
      if (f->kind != Expr::Kind::kAttribute || f->name != "__init__") return;
      const Expr* r = f->children[0];
      if (r->kind == Expr::Kind::kCall &&
          r->children[0]->kind == Expr::Kind::kName &&
          r->children[0]->name == "super") {
        found = st->value;
        *offset = 1;
      } else if (r->kind == Expr::Kind::kName ||
                 r->kind == Expr::Kind::kAttribute) {
        found = st->value;
        *offset = 0;
      }
    });
    return found;
  }

  // The first base class of `cls` that is a project class.
  // Cached, and computed from the top like ClassKind.
  Scope* BaseClass(Scope* cls) {
    auto [it, fresh] = base_class_.try_emplace(cls, nullptr);
    if (!fresh) return it->second;
    Ctx in;
    in.scope = cls->parent;
    for (const Expr* base : cls->stmt->bases) {
      for (const Value& bv : Eval(base, in)) {
        if ((bv.kind == Value::Kind::kClass ||
             bv.kind == Value::Kind::kModelClass) &&
            bv.scope != nullptr && bv.scope != cls) {
          base_class_[cls] = bv.scope;
          return bv.scope;
        }
      }
    }
    return nullptr;
  }

  void FindSelfAssignments(
      Scope* m, const StmtList& body, const std::string& name, const Ctx& c,
      const std::map<std::string, std::vector<Value>>* bound,
      std::vector<Value>* out) {
    for (const Stmt* s : body) {
      if (s->kind == Stmt::Kind::kAssign) {
        for (const Expr* t : s->targets) {
          if (t->kind == Expr::Kind::kAttribute && t->name == name &&
              t->children[0]->kind == Expr::Kind::kName &&
              !m->stmt->params.empty() &&
              t->children[0]->name == m->stmt->params[0].name) {
            Ctx in;
            in.scope = m;
            in.bound = bound;
            in.depth = c.depth + 1;
            in.line = s->line;
            AddValues(out, Eval(s->value, in));
          }
        }
      }
      if (s->kind == Stmt::Kind::kDef || s->kind == Stmt::Kind::kClass)
        continue;
      FindSelfAssignments(m, s->body, name, c, bound, out);
      FindSelfAssignments(m, s->orelse, name, c, bound, out);
    }
  }

  static bool HasDecorator(const Scope* fn, const char* a, const char* b) {
    for (const Expr* d : fn->stmt->targets) {
      std::string n = DottedName(d);
      if (n.empty() && d->kind == Expr::Kind::kCall) {
        n = DottedName(d->children[0]);
      }
      size_t dot = n.rfind('.');
      std::string last = dot == std::string::npos ? n : n.substr(dot + 1);
      if (last == a || (b != nullptr && last == b)) return true;
    }
    return false;
  }
  static bool IsProperty(const Scope* fn) {
    return fn != nullptr && fn->kind == Scope::Kind::kFunction &&
           HasDecorator(fn, "property", "cached_property");
  }

  // The values a property returns for the receiver `self_value`.
  std::vector<Value> CallProperty(Scope* fn, const Value& self_value,
                                  const Ctx& c) {
    if (c.depth > kMaxDepth || fn->stmt->params.empty()) {
      return {Unknown("property")};
    }
    std::map<std::string, std::vector<Value>> bound;
    bound[fn->stmt->params[0].name] = {self_value};
    std::vector<Value> out = ResultValues(fn, bound, c);
    if (out.empty()) return {Unknown(fn->name + " returns nothing known")};
    return out;
  }

  std::string IndexName(Scope* index_cls, const std::string& attr,
                        const Ctx& c) {
    std::vector<Value> meta = ClassAttribute(index_cls, "Meta", c);
    for (const Value& m : meta) {
      if (m.kind != Value::Kind::kClass) continue;
      std::vector<Value> n = ClassAttribute(m.scope, "index_name", c);
      if (n.size() == 1 && n[0].kind == Value::Kind::kStr) {
        return TableText(n[0].str);
      }
    }
    return attr;
  }

  // The tables of a PynamoDB model: Meta.table_name in the class (or a
  // base), and every `X.Meta.table_name = v` the project executes with X
  // this model (a set-up function that names the table at run time).
  std::vector<Str> ModelTables(Scope* model, const Ctx& c) {
    // A set-up call earlier in the same function (or in the set-up methods
    // of the same test class) decides the table for this call.
    std::vector<Str> local = SetUpTables(model, c);
    if (!local.empty()) return local;
    std::vector<Str> out;
    auto add = [&](const Str& s) {
      for (const Str& o : out) {
        if (o.origin == s.origin && o.text == s.text) return;
      }
      if (out.size() < kMaxValues) out.push_back(s);
    };
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
        for (const Value& v : Eval(t->children[0]->children[0], in)) {
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
      out.push_back(UnresolvedStr(has_meta ? "Meta.table_name of " +
                                                 model->name +
                                                 " is not resolvable"
                                           : model->name +
                                                 " has no Meta.table_name"));
    }
    return out;
  }

  // Tables that `X.Meta.table_name = v` stores give `model` when the store
  // runs in a function called from c's function before c's line, or from
  // the setUp / setUpClass / __init__ of c's class.
  std::vector<Str> SetUpTables(Scope* model, const Ctx& c) {
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
          for (const Value& v : Eval(t->children[0]->children[0], in)) {
            ours = ours || ((v.kind == Value::Kind::kModelClass ||
                             v.kind == Value::Kind::kModelInstance) &&
                            IsSubclass(model, v.scope));
          }
          if (!ours) continue;
          for (const Value& v : Eval(st->value, in)) {
            if (v.kind == Value::Kind::kStr && out.size() < kMaxValues) {
              out.push_back(v.str);
            }
          }
        }
      }
    }
    return out;
  }

  static bool IsMetaTableNameTarget(const Expr* t) {
    return t->kind == Expr::Kind::kAttribute && t->name == "table_name" &&
           t->children[0]->kind == Expr::Kind::kAttribute &&
           t->children[0]->name == "Meta";
  }

  // Every statement `X.Meta.table_name = v` in the project, with its scope.
  const std::vector<std::pair<const Stmt*, Scope*>>& MetaTableNameStores() {
    if (!meta_stores_indexed_) {
      meta_stores_indexed_ = true;
      for (const auto& scope : scopes_) {
        if (scope->kind == Scope::Kind::kClass) continue;
        const StmtList* body = ScopeBody(scope.get());
        if (body == nullptr) continue;
        ForEachLocalStmt(*body, [&](const Stmt* st) {
          if (st->kind != Stmt::Kind::kAssign) return;
          for (const Expr* t : st->targets) {
            if (IsMetaTableNameTarget(t)) {
              meta_stores_.push_back({st, scope.get()});
              return;
            }
          }
        });
      }
    }
    return meta_stores_;
  }

  // settings.X: the value assigned in the project's settings modules.
  std::vector<Value> SettingValue(const std::string& name, const Ctx& c) {
    std::vector<Scope*> settings;
    for (auto& [n, s] : modules_) {
      (void)n;
      if (s->file->is_settings) settings.push_back(s);
    }
    // settings.py / settings/__init__.py first, then by name.
    std::stable_sort(settings.begin(), settings.end(),
                     [](Scope* a, Scope* b) {
                       auto rank = [](Scope* s) {
                         const std::string& p = s->file->path;
                         bool main = p == "settings.py" ||
                                     (p.size() > 12 &&
                                      p.compare(p.size() - 12, 12,
                                                "/settings.py") == 0);
                         bool init = p.find("settings/__init__.py") !=
                                     std::string::npos;
                         return main || init ? 0 : 1;
                       };
                       return rank(a) < rank(b);
                     });
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

  // ------------------------------------------------------------ operations

  std::string TableText(const Str& s) {
    switch (s.origin) {
      case Str::Origin::kLiteral:
        return s.text;
      case Str::Origin::kEnv:
        return "env:" + s.text;
      case Str::Origin::kSettings:
        return "settings:" + s.text;
      case Str::Origin::kUnresolved:
        return "<unresolved>";
    }
    return "<unresolved>";
  }

  void Emit(const std::string& operation, const std::string& action,
            const Str& table, const std::string& index, int line,
            bool uncertain, const std::string& extra_reason) {
    Operation op;
    op.operation = operation;
    op.action = "dynamodb:" + action;
    op.table = TableText(table);
    op.table_is_pattern =
        table.origin == Str::Origin::kLiteral && table.pattern;
    if (!index.empty()) op.index = index;
    op.file = current_file_->path;
    op.line = line;
    op.uncertain = uncertain;
    op.reason = extra_reason.empty() ? table.note : extra_reason;
    op.table_template = table.tmpl;
    op.table_defaults = table.defaults;
    op.table_source = table.source;
    if (op.reason.empty() && table.origin == Str::Origin::kUnresolved) {
      op.reason = "table name not resolvable";
    }
    ops_->push_back(op);
  }

  Str Star() {
    Str s = Literal("*");
    return s;
  }

  void EmitWithTables(const std::string& operation, const std::string& action,
                      const Expr* table_expr, const std::string& index,
                      int line, const Ctx& c) {
    // An action without a resource type is authorized on "*", whatever
    // table a filter argument names (ListBackups(TableName=...)).
    if (IsAccountLevel(operation)) {
      Emit(operation, action, Star(), "", line, false, "");
      return;
    }
    for (const Str& s : TableStrs(table_expr, c)) {
      Emit(operation, action, s, index, line, false, "");
    }
  }

  std::string IndexArg(const Expr* call, const Ctx& c) {
    const Expr* idx = ArgIn(call, 99, "IndexName", c);
    if (idx == nullptr) return "";
    // A parameter that defaults to None names no index on some calls.
    bool none = false;
    std::vector<Value> vs = Eval(idx, c);
    for (const Value& v : vs) {
      if (v.kind == Value::Kind::kStr) return TableText(v.str);
      none = none || v.kind == Value::Kind::kNone;
    }
    return none ? "" : "<unresolved>";
  }

  // ------------------------------------------------------------ containers
  //
  // A container argument (RequestItems, TransactItems, Statements) is a
  // literal, a comprehension, or a local name built in steps: assigned a
  // literal, then filled with `x[k] = v`, `x.append(v)`, `x.extend([...])`,
  // `x.update({...})`, `x.setdefault(k, v)` or `x += [...]`.

  // The local statements (not nested functions or classes) of a scope.
  template <typename Fn>
  void ForEachLocalStmt(const StmtList& body, Fn fn) {
    for (const Stmt* st : body) {
      fn(st);
      if (st->kind == Stmt::Kind::kDef || st->kind == Stmt::Kind::kClass) {
        continue;
      }
      ForEachLocalStmt(st->body, fn);
      ForEachLocalStmt(st->orelse, fn);
    }
  }
  const StmtList* ScopeBody(Scope* s) {
    if (s->stmt != nullptr) return &s->stmt->body;
    if (s->file != nullptr && s->file->module != nullptr) {
      return &s->file->module->body;
    }
    return nullptr;
  }

  // Calls `fn(how, statement)` for every `NAME.method(...)` statement (how
  // is the method), `NAME[k] = v` (how is "[]") and `NAME += v` ("+=") in
  // scope `s`. The statements are indexed by name once per scope.
  template <typename Fn>
  void ForEachMutation(const std::string& name, Scope* s, Fn fn) {
    auto [it, fresh] = mutations_.try_emplace(s);
    if (fresh) {
      const StmtList* body = ScopeBody(s);
      if (body != nullptr) IndexMutations(*body, &it->second);
    }
    auto m = it->second.find(name);
    if (m == it->second.end()) return;
    for (const auto& [how, st] : m->second) fn(how, st);
  }
  using MutationIndex =
      std::unordered_map<std::string,
                         std::vector<std::pair<std::string, const Stmt*>>>;
  void IndexMutations(const StmtList& body, MutationIndex* index) {
    ForEachLocalStmt(body, [&](const Stmt* st) {
      if (st->kind == Stmt::Kind::kExpr && st->value != nullptr &&
          st->value->kind == Expr::Kind::kCall) {
        const Expr* f = st->value->children[0];
        if (f->kind == Expr::Kind::kAttribute &&
            f->children[0]->kind == Expr::Kind::kName) {
          (*index)[f->children[0]->name].push_back({f->name, st});
        }
      }
      if (st->kind == Stmt::Kind::kAssign) {
        for (const Expr* t : st->targets) {
          if (t->kind == Expr::Kind::kSubscript &&
              t->children[0]->kind == Expr::Kind::kName) {
            (*index)[t->children[0]->name].push_back({"[]", st});
          }
        }
      }
      if (st->kind == Stmt::Kind::kAugAssign && !st->targets.empty() &&
          st->targets[0]->kind == Expr::Kind::kName) {
        (*index)[st->targets[0]->name].push_back({"+=", st});
      }
    });
  }

  // The scope in which a name used in `c` is bound.
  Scope* BindingScope(const std::string& name, Scope* s) {
    for (; s != nullptr; s = s->parent) {
      if (s->names.count(name) > 0) return s;
    }
    return nullptr;
  }

  // Elements of a list-like argument; false when they cannot be known.
  bool ListItems(const Expr* e, const Ctx& c, std::vector<const Expr*>* out,
                 int depth = 0) {
    if (e == nullptr || depth > 4) return false;
    switch (e->kind) {
      case Expr::Kind::kList:
      case Expr::Kind::kTuple:
      case Expr::Kind::kSet:
        for (const Expr* x : e->children) {
          if (x->kind == Expr::Kind::kStarred) {
            if (!ListItems(x->children[0], c, out, depth + 1)) return false;
          } else {
            out->push_back(x);
          }
        }
        return true;
      case Expr::Kind::kComprehension:
        out->push_back(e->children[0]);
        return true;
      case Expr::Kind::kBinOp:
        return e->name == "+" && ListItems(e->children[0], c, out, depth + 1) &&
               ListItems(e->children[1], c, out, depth + 1);
      case Expr::Kind::kName:
        break;
      default:
        return false;
    }
    Scope* s = BindingScope(e->name, c.scope);
    if (s == nullptr) return false;
    bool known = false;
    for (const Binding& b : s->names[e->name]) {
      if (b.kind == Binding::Kind::kAssign && b.value != nullptr &&
          b.value != e) {
        Ctx in = c;
        in.scope = s;
        known = ListItems(b.value, in, out, depth + 1) || known;
      }
    }
    ForEachMutation(e->name, s, [&](const std::string& how, const Stmt* st) {
      const Expr* arg = st->value != nullptr &&
                                st->value->kind == Expr::Kind::kCall &&
                                st->value->children.size() >= 2
                            ? st->value->children[1]
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

  // One entry of a dict-like value: the key expression (null for `**`) and
  // the value expression.
  struct DictItem {
    const Expr* key = nullptr;
    const Expr* value = nullptr;
  };

  // Entries of a dict-like argument; false when they cannot be known.
  bool DictItems(const Expr* e, const Ctx& c, std::vector<DictItem>* out,
                 int depth = 0) {
    if (e == nullptr || depth > 4) return false;
    if (e->kind == Expr::Kind::kDict) {
      for (size_t i = 0; i + 1 < e->children.size(); i += 2) {
        out->push_back({e->children[i], e->children[i + 1]});
      }
      return true;
    }
    if (e->kind == Expr::Kind::kComprehension && e->name == "dict") {
      const Expr* kv = e->children[0];
      if (kv->children.size() == 2) {
        out->push_back({kv->children[0], kv->children[1]});
        return true;
      }
      return false;
    }
    if (e->kind == Expr::Kind::kCall && e->children[0]->kind ==
        Expr::Kind::kName && e->children[0]->name == "dict") {
      for (const Keyword& k : e->keywords) {
        if (k.name.empty()) continue;
        out->push_back({nullptr, k.value});
        keyword_keys_[k.value] = k.name;
      }
      return true;
    }
    if (e->kind != Expr::Kind::kName) {
      // A dict from elsewhere (a module constant, an attribute).
      for (const Value& v : Eval(e, c)) {
        if (v.kind == Value::Kind::kDict && v.expr != nullptr &&
            v.expr != e) {
          return DictItems(v.expr, c, out, depth + 1);
        }
      }
      return false;
    }
    Scope* s = BindingScope(e->name, c.scope);
    if (s == nullptr) return false;
    bool known = false;
    if (s != c.scope || s->kind == Scope::Kind::kModule) {
      for (const Value& v : Eval(e, c)) {
        if (v.kind == Value::Kind::kDict && v.expr != nullptr) {
          known = DictItems(v.expr, c, out, depth + 1) || known;
        }
      }
    } else {
      for (const Binding& b : s->names[e->name]) {
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
    ForEachMutation(e->name, s, [&](const std::string& how, const Stmt* st) {
      if (how == "[]") {
        for (const Expr* t : st->targets) {
          if (t->kind == Expr::Kind::kSubscript &&
              t->children[0]->kind == Expr::Kind::kName &&
              t->children[0]->name == e->name) {
            out->push_back({t->children[1], st->value});
            known = true;
          }
        }
        return;
      }
      if (how == "+=") return;
      const Expr* call = st->value;
      if (how == "update" && call->children.size() >= 2) {
        known = DictItems(call->children[1], c, out, depth + 1) || known;
      } else if (how == "setdefault" && call->children.size() >= 2) {
        out->push_back({call->children[1],
                        call->children.size() > 2 ? call->children[2]
                                                  : nullptr});
        known = true;
      }
    });
    return known;
  }

  // The value stored under the constant key `key` in a dict-like argument.
  const Expr* DictValue(const Expr* e, const std::string& key, const Ctx& c) {
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

  // RequestItems: one table per key.
  void EmitRequestItems(const std::string& operation, const Expr* call,
                        const Ctx& c) {
    int line = OpLine(call);
    const Expr* items = ArgIn(call, 99, "RequestItems", c);
    std::vector<DictItem> entries;
    if (!DictItems(items, c, &entries) || entries.empty()) {
      Emit(operation, operation, UnresolvedStr(""), "", line, true,
           "RequestItems is not a dict the scanner can follow");
      return;
    }
    for (const DictItem& it : entries) {
      if (it.key == nullptr) {
        Emit(operation, operation, UnresolvedStr(""), "", line, true,
             "RequestItems has a ** entry");
        continue;
      }
      for (const Str& s : TableStrs(it.key, c)) {
        Emit(operation, operation, s, "", line, false, "");
      }
    }
  }

  // The entry `key` of a literal dict expression.
  static const Expr* DictEntry(const Expr* dict, const std::string& key) {
    for (size_t i = 0; i + 1 < dict->children.size(); i += 2) {
      std::string k;
      if (StringLiteralValue(dict->children[i], &k) && k == key)
        return dict->children[i + 1];
    }
    return nullptr;
  }

  void EmitTransactWrite(const Expr* call, const Ctx& c) {
    int line = OpLine(call);
    std::vector<const Expr*> items;
    static const std::pair<const char*, const char*> kKinds[] = {
        {"Put", "PutItem"},
        {"Update", "UpdateItem"},
        {"Delete", "DeleteItem"},
        {"ConditionCheck", "ConditionCheckItem"}};
    if (!ListItems(ArgIn(call, 99, "TransactItems", c), c, &items)) {
      for (const auto& [k, action] : kKinds) {
        (void)k;
        Emit("TransactWriteItems", action, UnresolvedStr(""), "", line, true,
             "TransactItems is not a list the scanner can follow");
      }
      return;
    }
    for (const Expr* item : items) {
      bool found = false;
      for (const auto& [k, action] : kKinds) {
        const Expr* inner = DictValue(item, k, c);
        if (inner == nullptr) continue;
        found = true;
        for (const Str& s : TableStrs(DictValue(inner, "TableName", c), c)) {
          Emit("TransactWriteItems", action, s, "", line, false, "");
        }
      }
      if (!found) {
        for (const auto& [k, action] : kKinds) {
          (void)k;
          Emit("TransactWriteItems", action, UnresolvedStr(""), "", line, true,
               "transaction item is not a dict the scanner can follow");
        }
      }
    }
  }

  void EmitTransactGet(const Expr* call, const Ctx& c) {
    int line = OpLine(call);
    std::vector<const Expr*> items;
    if (!ListItems(ArgIn(call, 99, "TransactItems", c), c, &items)) {
      Emit("TransactGetItems", "GetItem", UnresolvedStr(""), "", line, true,
           "TransactItems is not a list the scanner can follow");
      return;
    }
    for (const Expr* item : items) {
      const Expr* get = DictValue(item, "Get", c);
      const Expr* tn = get != nullptr ? DictValue(get, "TableName", c) : nullptr;
      for (const Str& s : TableStrs(tn, c)) {
        Emit("TransactGetItems", "GetItem", s, "", line, tn == nullptr,
             tn == nullptr ? "transaction item is not a dict the scanner can "
                             "follow"
                           : "");
      }
    }
  }

  void EmitPartiql(const std::string& operation, const Expr* statement,
                   int line, const Ctx& c) {
    std::vector<Value> vs = Eval(statement, c);
    bool any = false;
    for (const Value& v : vs) {
      if (v.kind != Value::Kind::kStr ||
          v.str.origin != Str::Origin::kLiteral)
        continue;
      PartiqlTarget t = ParsePartiqlStatement(v.str.text);
      if (t.action.empty()) continue;
      any = true;
      Str table = Literal(t.table);
      table.pattern = t.table.find('*') != std::string::npos;
      if (t.table.empty()) table = UnresolvedStr("no table in statement");
      Operation op;
      Emit(operation, t.action.substr(9), table, t.index, line, false, "");
    }
    if (!any) {
      for (const char* a : {"PartiQLSelect", "PartiQLInsert", "PartiQLUpdate",
                            "PartiQLDelete"}) {
        Emit(operation, a, UnresolvedStr(""), "", line, true,
             "PartiQL statement is not a constant");
      }
    }
  }

  void EmitClientOp(const std::string& method, const Expr* call,
                    const Ctx& c) {
    std::string op = DynamoDbOperationForMethod(method);
    if (op.empty()) return;
    int line = OpLine(call);
    if (op == "BatchGetItem" || op == "BatchWriteItem") {
      EmitRequestItems(op, call, c);
    } else if (op == "TransactWriteItems") {
      EmitTransactWrite(call, c);
    } else if (op == "TransactGetItems") {
      EmitTransactGet(call, c);
    } else if (op == "ExecuteStatement") {
      EmitPartiql(op, ArgIn(call, 99, "Statement", c), line, c);
    } else if (op == "BatchExecuteStatement" || op == "ExecuteTransaction") {
      std::vector<const Expr*> items;
      if (!ListItems(ArgIn(call, 99,
                           op == "ExecuteTransaction" ? "TransactStatements"
                                                      : "Statements",
                           c),
                     c, &items)) {
        EmitPartiql(op, nullptr, line, c);
        return;
      }
      for (const Expr* item : items) {
        EmitPartiql(op, DictValue(item, "Statement", c), line, c);
      }
    } else if (op == "TagResource" || op == "UntagResource" ||
               op == "ListTagsOfResource" || op == "GetResourcePolicy" ||
               op == "PutResourcePolicy" || op == "DeleteResourcePolicy") {
      Str s = ArnTable(ArgIn(call, 99, "ResourceArn", c), c);
      Emit(op, op, s, "", line, false, "");
    } else if (op == "CreateGlobalTable" || op == "DescribeGlobalTable" ||
               op == "UpdateGlobalTable" || op == "DescribeGlobalTableSettings" ||
               op == "UpdateGlobalTableSettings") {
      EmitWithTables(op, op, ArgIn(call, 99, "GlobalTableName", c), "", line, c);
    } else if (op == "RestoreTableFromBackup") {
      EmitWithTables(op, op, ArgIn(call, 99, "TargetTableName", c), "", line, c);
    } else if (op == "RestoreTableToPointInTime") {
      EmitWithTables(op, op, ArgIn(call, 99, "TargetTableName", c), "", line, c);
    } else if (op == "ExportTableToPointInTime") {
      Emit(op, op, ArnTable(ArgIn(call, 99, "TableArn", c), c), "", line, false,
           "");
    } else if (IsAccountLevel(op)) {
      const Expr* t = ArgIn(call, 99, "TableName", c);
      EmitWithTables(op, op, t, "", line, c);
    } else {
      EmitWithTables(op, op, ArgIn(call, 99, "TableName", c),
                     (op == "Query" || op == "Scan") ? IndexArg(call, c) : "",
                     line, c);
    }
  }

  // Table name from a table ARN argument ("...:table/Orders[/...]").
  Str ArnTable(const Expr* e, const Ctx& c) {
    if (e == nullptr) return UnresolvedStr("no ARN argument");
    Str s = TableStr(e, c);
    if (s.origin != Str::Origin::kLiteral) return s;
    size_t p = s.text.find(":table/");
    if (p == std::string::npos) {
      return UnresolvedStr("ARN is not a table ARN");
    }
    std::string rest = s.text.substr(p + 7);
    rest = rest.substr(0, rest.find('/'));
    Str out = Literal(rest);
    out.pattern = s.pattern;
    return out;
  }

  void EmitStreamsOp(const std::string& method, const Expr* call,
                     const Ctx& c) {
    std::string op;
    if (method == "describe_stream") op = "DescribeStream";
    if (method == "get_records") op = "GetRecords";
    if (method == "get_shard_iterator") op = "GetShardIterator";
    if (method == "list_streams") op = "ListStreams";
    if (op.empty()) return;
    if (op == "ListStreams") {
      EmitWithTables(op, op, ArgIn(call, 99, "TableName", c), "", OpLine(call), c);
      return;
    }
    if (op == "GetRecords") {
      Emit(op, op, UnresolvedStr(""), "", OpLine(call), false,
           "GetRecords names a shard iterator, not a table");
      return;
    }
    Str s = StreamTable(ArgIn(call, 99, "StreamArn", c), c);
    Emit(op, op, s, "", OpLine(call), false, "");
  }

  Str StreamTable(const Expr* e, const Ctx& c) {
    if (e == nullptr) return UnresolvedStr("no StreamArn argument");
    Str s = ArnTable(e, c);
    if (s.origin == Str::Origin::kUnresolved)
      s.note = "StreamArn is not resolvable";
    return s;
  }

  std::string PaginatorOp(const std::string& name) {
    return DynamoDbOperationForMethod(name);
  }

  void EmitModelOp(const std::string& operation, const Value& r, int line,
                   const std::string& index, const Ctx& c) {
    for (const Str& table : ModelTables(r.scope, c)) {
      Emit(operation, operation, table, index, line, false, "");
    }
  }

  // Emits the operations of calling `method` on `r`.
  void EmitMethod(const Value& r, const std::string& method, const Expr* call,
                  const Ctx& c) {
    int line = OpLine(call);
    switch (r.kind) {
      case Value::Kind::kClient:
        EmitClientOp(method, call, c);
        return;
      case Value::Kind::kStreamsClient:
        EmitStreamsOp(method, call, c);
        return;
      case Value::Kind::kResource:
        if (method == "batch_get_item") EmitRequestItems("BatchGetItem", call, c);
        if (method == "batch_write_item")
          EmitRequestItems("BatchWriteItem", call, c);
        if (method == "create_table")
          EmitWithTables("CreateTable", "CreateTable",
                         ArgIn(call, 99, "TableName", c), "", line, c);
        return;
      case Value::Kind::kTables:
        if (method == "all" || method == "filter" || method == "limit" ||
            method == "page_size") {
          Emit("ListTables", "ListTables", Star(), "", line, false, "");
        }
        return;
      case Value::Kind::kTable: {
        static const std::map<std::string, std::string> kTableOps = {
            {"get_item", "GetItem"},
            {"put_item", "PutItem"},
            {"update_item", "UpdateItem"},
            {"delete_item", "DeleteItem"},
            {"query", "Query"},
            {"scan", "Scan"},
            {"batch_writer", "BatchWriteItem"},
            {"load", "DescribeTable"},
            {"reload", "DescribeTable"},
            {"update", "UpdateTable"},
            {"delete", "DeleteTable"},
            {"wait_until_exists", "DescribeTable"},
            {"wait_until_not_exists", "DescribeTable"}};
        auto it = kTableOps.find(method);
        if (it == kTableOps.end()) return;
        std::string index;
        if (it->second == "Query" || it->second == "Scan")
          index = IndexArg(call, c);
        Emit(it->second, it->second, r.str, index, line, false, "");
        return;
      }
      case Value::Kind::kPaginator: {
        if (method != "paginate") return;
        std::string op = PaginatorOp(r.name);
        if (op.empty()) return;
        EmitWithTables(op, op, ArgIn(call, 99, "TableName", c),
                       (op == "Query" || op == "Scan") ? IndexArg(call, c) : "",
                       line, c);
        return;
      }
      case Value::Kind::kWaiter:
        if (method == "wait" &&
            (r.name == "table_exists" || r.name == "table_not_exists")) {
          EmitWithTables("DescribeTable", "DescribeTable",
                         ArgIn(call, 99, "TableName", c), "", line, c);
        }
        return;
      case Value::Kind::kModelClass: {
        static const std::map<std::string, std::string> kOps = {
            {"get", "GetItem"},
            {"query", "Query"},
            {"scan", "Scan"},
            {"batch_get", "BatchGetItem"},
            {"batch_write", "BatchWriteItem"},
            {"exists", "DescribeTable"},
            {"create_table", "CreateTable"},
            {"delete_table", "DeleteTable"},
            {"describe_table", "DescribeTable"},
            {"update_ttl", "UpdateTimeToLive"}};
        if (method == "count") {
          bool has_key = call->children.size() > 1;
          for (const Keyword& k : call->keywords) {
            if (k.name == "hash_key" && !(k.value->kind == Expr::Kind::kConst &&
                                          k.value->name == "None"))
              has_key = true;
          }
          EmitModelOp(has_key ? "Query" : "DescribeTable", r, line, "", c);
          return;
        }
        auto it = kOps.find(method);
        if (it != kOps.end()) EmitModelOp(it->second, r, line, "", c);
        // Model.create_table() asks whether the table exists first.
        if (method == "create_table") {
          EmitModelOp("DescribeTable", r, line, "", c);
        }
        return;
      }
      case Value::Kind::kModelInstance: {
        static const std::map<std::string, std::string> kOps = {
            {"save", "PutItem"},
            {"update", "UpdateItem"},
            {"delete", "DeleteItem"},
            {"refresh", "GetItem"}};
        auto it = kOps.find(method);
        if (it != kOps.end()) {
          EmitModelOp(it->second, r, line, "", c);
          return;
        }
        // Class methods (get, query, scan, ...) work on items too.
        Value cls = r;
        cls.kind = Value::Kind::kModelClass;
        EmitMethod(cls, method, call, c);
        return;
      }
      case Value::Kind::kIndex:
        if (method == "query" || method == "scan" || method == "count") {
          EmitModelOp(method == "scan" ? "Scan" : "Query", r, line, r.name, c);
        }
        return;
      case Value::Kind::kTransactWrite:
      case Value::Kind::kTransactGet: {
        std::string action;
        if (r.kind == Value::Kind::kTransactWrite) {
          if (method == "save") action = "PutItem";
          if (method == "update") action = "UpdateItem";
          if (method == "delete") action = "DeleteItem";
          if (method == "condition_check") action = "ConditionCheckItem";
        } else if (method == "get") {
          action = "GetItem";
        }
        if (action.empty()) return;
        std::string operation = r.kind == Value::Kind::kTransactWrite
                                    ? "TransactWriteItems"
                                    : "TransactGetItems";
        const Expr* target = Arg(call, 0, "");
        bool any = false;
        for (const Value& t : Eval(target, c)) {
          if (t.kind == Value::Kind::kModelClass ||
              t.kind == Value::Kind::kModelInstance) {
            any = true;
            for (const Str& table : ModelTables(t.scope, c)) {
              Emit(operation, action, table, "", line, false, "");
            }
          }
        }
        if (!any) {
          Emit(operation, action, UnresolvedStr(""), "", line, true,
               "transaction item's model is not resolvable");
        }
        return;
      }
      default:
        return;
    }
  }

  // A call whose receiver the analysis cannot follow (a parameter nothing
  // in the project passes, an object from an unknown library) is still a
  // DynamoDB call when its method is a DynamoDB operation and it passes
  // arguments only DynamoDB takes (Key=, Item=, KeyConditionExpression=,
  // ...), or is batch_writer(). It is reported with the table its
  // arguments name, else an unresolved table, never dropped.
  void EmitOnUnresolvedReceiver(const std::string& method, const Expr* call,
                                const Ctx& c) {
    std::string op = DynamoDbOperationForMethod(method);
    if (method == "batch_writer") op = "BatchWriteItem";
    if (op.empty() || (method != "batch_writer" &&
                       !HasDynamoDbArguments(call, c))) {
      return;
    }
    std::size_t first = ops_->size();
    if (ArgIn(call, 99, "TableName", c) != nullptr ||
        ArgIn(call, 99, "RequestItems", c) != nullptr ||
        ArgIn(call, 99, "TransactItems", c) != nullptr ||
        ArgIn(call, 99, "Statement", c) != nullptr ||
        ArgIn(call, 99, "Statements", c) != nullptr ||
        ArgIn(call, 99, "TransactStatements", c) != nullptr) {
      EmitClientOp(method, call, c);
    } else {
      std::string index;
      if (op == "Query" || op == "Scan") index = IndexArg(call, c);
      Emit(op, op, UnresolvedStr(""), index, OpLine(call), true,
           "the receiver is not resolvable; the method and its arguments "
           "are DynamoDB's");
    }
    for (std::size_t i = first; i < ops_->size(); ++i) {
      (*ops_)[i].uncertain = true;
    }
  }

  // Whether `receiver` is a name bound by `with X.batch_writer() as NAME`:
  // its writes are the batch writer's BatchWriteItem.
  bool IsBatchWriterItem(const Expr* receiver, Scope* s) {
    if (receiver->kind != Expr::Kind::kName) return false;
    Scope* b = BindingScope(receiver->name, s);
    if (b == nullptr) return false;
    for (const Binding& bind : b->names[receiver->name]) {
      if (bind.kind == Binding::Kind::kWith && bind.value != nullptr &&
          bind.value->kind == Expr::Kind::kCall &&
          bind.value->children[0]->kind == Expr::Kind::kAttribute &&
          (bind.value->children[0]->name == "batch_writer" ||
           bind.value->children[0]->name == "batch_write")) {
        return true;
      }
    }
    return false;
  }

  bool HasDynamoDbArguments(const Expr* call, const Ctx& c) {
    static const std::set<std::string> kNames = {
        "TableName",        "Key",
        "Item",             "KeyConditionExpression",
        "FilterExpression", "UpdateExpression",
        "ConditionExpression", "IndexName",
        "ProjectionExpression", "ExpressionAttributeValues",
        "ExpressionAttributeNames", "ExclusiveStartKey",
        "RequestItems",     "TransactItems",
        "Statement",        "Statements",
        "TransactStatements", "KeySchema",
        "AttributeDefinitions", "ReturnValues",
        "ConsistentRead",   "Select",
        "ReturnConsumedCapacity"};
    for (const Keyword& k : call->keywords) {
      if (kNames.count(k.name) > 0) return true;
      if (k.name.empty()) {
        std::vector<DictItem> items;
        if (!DictItems(k.value, c, &items)) continue;
        for (const DictItem& it : items) {
          std::string key;
          if (it.key != nullptr && StringLiteralValue(it.key, &key) &&
              kNames.count(key) > 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // Lazily loaded Table attributes that trigger DescribeTable.
  static bool IsLazyTableAttribute(const std::string& name) {
    static const std::set<std::string> kAttrs = {
        "item_count",          "table_status",
        "key_schema",          "attribute_definitions",
        "creation_date_time",  "table_size_bytes",
        "table_arn",           "table_id",
        "provisioned_throughput", "global_secondary_indexes",
        "local_secondary_indexes", "stream_specification",
        "latest_stream_arn",   "latest_stream_label",
        "billing_mode_summary", "restore_summary",
        "sse_description",     "archival_summary",
        "replicas",            "table_class_summary",
        "deletion_protection_enabled"};
    return kAttrs.count(name) > 0;
  }

  void WalkScope(Scope* s) {
    current_file_ = s->file;
    for (const Stmt* st : s->body) WalkStmt(s, st);
  }

  void WalkStmt(Scope* s, const Stmt* st) {
    if (st->kind == Stmt::Kind::kDef || st->kind == Stmt::Kind::kClass) {
      Scope* c = scope_of_stmt_[st];
      for (const Expr* d : st->targets) WalkExpr(s, d, false);
      for (const Expr* b : st->bases) WalkExpr(s, b, false);
      for (const Param& p : st->params) WalkExpr(s, p.default_value, false);
      for (const Stmt* b : st->body) WalkStmt(c, b);
      return;
    }
    ForEachExpr(st, [&](const Expr* e) { WalkExpr(s, e, false); });
    for (const Stmt* b : st->body) WalkStmt(s, b);
    for (const Stmt* b : st->orelse) WalkStmt(s, b);
  }

  void WalkExpr(Scope* s, const Expr* e, bool is_callee) {
    if (e == nullptr) return;
    fuel_ = kFuel;
    Ctx c;
    c.scope = s;
    c.line = e->line;
    if (e->kind == Expr::Kind::kCall &&
        e->children[0]->kind == Expr::Kind::kAttribute) {
      const Expr* f = e->children[0];
      bool known = false;
      for (const Value& r : Eval(f->children[0], c)) {
        // An instance of a project class that has no such method may get it
        // from a base outside the project: it is not known either.
        bool opaque = r.kind == Value::Kind::kUnknown ||
                      r.kind == Value::Kind::kNone ||
                      ((r.kind == Value::Kind::kInstance ||
                        r.kind == Value::Kind::kClass) &&
                       FindMethod(r.scope, f->name) == nullptr);
        known = known || !opaque;
        EmitMethod(r, f->name, e, c);
      }
      if (!known && !IsBatchWriterItem(f->children[0], s)) {
        EmitOnUnresolvedReceiver(f->name, e, c);
      }
    }
    if (e->kind == Expr::Kind::kAttribute && !is_callee &&
        IsLazyTableAttribute(e->name)) {
      for (const Value& r : Eval(e->children[0], c)) {
        if (r.kind == Value::Kind::kTable) {
          Emit("DescribeTable", "DescribeTable", r.str, "", e->line, false,
               "");
        }
      }
    }
    for (size_t i = 0; i < e->children.size(); ++i) {
      WalkExpr(s, e->children[i], e->kind == Expr::Kind::kCall && i == 0);
    }
    for (const Keyword& k : e->keywords) WalkExpr(s, k.value, false);
    for (const StringPart& p : e->parts) WalkExpr(s, p.field, false);
  }

  // ------------------------------------------------------- django backends

  // Whether a backend's dotted path names a module of the project: then its
  // own calls are scanned and the settings rule would only repeat them.
  bool BackendInProject(const std::string& dotted) {
    for (size_t dot = dotted.rfind('.'); dot != std::string::npos && dot > 0;
         dot = dotted.rfind('.', dot - 1)) {
      if (FindModule(dotted.substr(0, dot)) != nullptr) return true;
    }
    return FindModule(dotted) != nullptr;
  }

  void DjangoBackends(Scope* s) {
    current_file_ = s->file;
    Ctx c;
    c.scope = s;
    for (const Stmt* st : s->body) {
      if (st->kind != Stmt::Kind::kAssign || st->targets.empty() ||
          st->targets[0]->kind != Expr::Kind::kName)
        continue;
      const std::string& name = st->targets[0]->name;
      if (name == "SESSION_ENGINE") {
        std::string engine;
        if (!StringLiteralValue(st->value, &engine)) continue;
        if (Lower(engine).find("dynamodb") == std::string::npos) continue;
        if (BackendInProject(engine)) continue;
        Str table = Literal("sessions");
        std::vector<Value> vs = SettingValue("DYNAMODB_SESSIONS_TABLE_NAME", c);
        if (vs.size() == 1 && vs[0].kind == Value::Kind::kStr &&
            vs[0].str.origin != Str::Origin::kSettings) {
          table = vs[0].str;
        }
        for (const char* op : {"GetItem", "PutItem", "UpdateItem",
                               "DeleteItem"}) {
          Emit(op, op, table, "", st->line, false,
               "session backend " + engine);
        }
      }
      if (name == "CACHES" && st->value != nullptr &&
          st->value->kind == Expr::Kind::kDict) {
        const Expr* caches = st->value;
        for (size_t i = 0; i + 1 < caches->children.size(); i += 2) {
          const Expr* conf = caches->children[i + 1];
          if (conf == nullptr || conf->kind != Expr::Kind::kDict) continue;
          const Expr* backend = DictEntry(conf, "BACKEND");
          std::string path;
          if (!StringLiteralValue(backend, &path) ||
              Lower(path).find("dynamodb") == std::string::npos ||
              BackendInProject(path)) {
            continue;
          }
          Str table = UnresolvedStr("cache backend table not configured");
          if (const Expr* loc = DictEntry(conf, "LOCATION")) {
            table = TableStr(loc, c);
          }
          if (const Expr* opts = DictEntry(conf, "OPTIONS")) {
            if (opts->kind == Expr::Kind::kDict) {
              for (const char* k : {"table_name", "TABLE_NAME", "table"}) {
                if (const Expr* t = DictEntry(opts, k)) table = TableStr(t, c);
              }
            }
          }
          for (const char* op : {"GetItem", "PutItem", "UpdateItem",
                                 "DeleteItem", "BatchGetItem",
                                 "BatchWriteItem", "Scan"}) {
            Emit(op, op, table, "", backend->line, true,
                 "cache backend " + path);
          }
        }
      }
    }
  }

  const std::vector<const SourceFile*>& files_;
  std::vector<Operation>* ops_;
  std::vector<CodeFinding>* findings_;
  std::vector<std::unique_ptr<Scope>> scopes_;
  std::map<std::string, Scope*> modules_;
  std::unordered_map<const Stmt*, Scope*> scope_of_stmt_;
  std::unordered_map<std::string,
                     std::vector<std::pair<const Expr*, Scope*>>>
      calls_by_name_;  // see CallsByName()
  bool calls_indexed_ = false;
  struct MemoKey {
    const Expr* expr;
    const Scope* scope;
    int line;
    bool operator==(const MemoKey& o) const {
      return expr == o.expr && scope == o.scope && line == o.line;
    }
  };
  struct MemoKeyHash {
    std::size_t operator()(const MemoKey& k) const {
      return std::hash<const void*>()(k.expr) * 31 +
             std::hash<const void*>()(k.scope) * 7 +
             static_cast<std::size_t>(k.line);
    }
  };
  std::unordered_map<MemoKey, std::vector<Value>, MemoKeyHash> memo_;
  std::size_t cutoffs_ = 0;
  // Return statements standing for the yields of context managers.
  std::vector<std::unique_ptr<Stmt>> yields_;
  bool meta_stores_indexed_ = false;
  std::vector<std::pair<const Stmt*, Scope*>> meta_stores_;
  std::unordered_map<const Scope*, std::vector<Value>> receivers_memo_;
  bool suffixes_indexed_ = false;
  std::unordered_map<std::string, Scope*> module_suffixes_;
  std::unordered_map<const Scope*, MutationIndex> mutations_;
  std::map<std::pair<const Stmt*, int>, std::vector<Value>> param_memo_;
  std::unordered_map<std::string, CalleeSites> callee_sites_;
  // See ForEachClassReceiverAt and ReceiversUncached.
  std::unordered_map<std::string, SiteValues> receiver_sites_;
  std::unordered_map<std::string, SiteValues> instance_sites_;
  long fuel_ = kFuel;
  // Keys of `dict(k=v)` entries, by value expression (see DictItems).
  std::unordered_map<const Expr*, std::string> keyword_keys_;
  bool imports_dynamodb_library_ = false;
  std::set<std::pair<const Stmt*, int>> in_progress_;
  std::unordered_map<Scope*, int> class_kind_;
  std::unordered_map<Scope*, Scope*> base_class_;
  const SourceFile* current_file_ = nullptr;
};

}  // namespace

void AnalyzeProject(
    const std::vector<const SourceFile*>& files,
    std::vector<Operation>* operations, std::vector<CodeFinding>* findings,
    const std::function<void(std::size_t, std::size_t)>& on_module) {
  Analyzer analyzer(files, operations, findings);
  analyzer.Run(on_module);
}

}  // namespace leastpriv::pyscan
