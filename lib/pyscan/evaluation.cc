// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Evaluation of expressions to abstract values: names and their
// bindings, strings and templates, dicts, names imported from outside.

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

namespace {

bool SameValue(const Value& a, const Value& b) {
  return a.kind == b.kind && a.scope == b.scope && a.site == b.site &&
         a.site_scope == b.site_scope && a.expr == b.expr && a.name == b.name &&
         a.str.origin == b.str.origin && a.str.text == b.str.text &&
         a.str.pattern == b.str.pattern && a.str.note == b.str.note &&
         a.reason == b.reason;
}

// boto3 / PynamoDB objects that name no table of their own: a project
// holds few of them (one per model class, index, paginator name, ...), so
// sets keep every one.
bool KeptPastTheBound(Value::Kind k) {
  switch (k) {
    case Value::Kind::kBoto3:
    case Value::Kind::kBoto3Factory:
    case Value::Kind::kSessionClass:
    case Value::Kind::kSession:
    case Value::Kind::kClient:
    case Value::Kind::kStreamsClient:
    case Value::Kind::kResource:
    case Value::Kind::kTables:
    case Value::Kind::kPaginator:
    case Value::Kind::kWaiter:
    case Value::Kind::kModelBase:
    case Value::Kind::kIndexBase:
    case Value::Kind::kTransactClass:
    case Value::Kind::kTransactWrite:
    case Value::Kind::kTransactGet:
    case Value::Kind::kModelClass:
    case Value::Kind::kModelInstance:
    case Value::Kind::kIndex:
    case Value::Kind::kExtModule:
      return true;
    default:
      return false;
  }
}

}  // namespace

Str Analyzer::WidenedTable() {
  return UnresolvedStr(absl::StrCat(
      "more possible table names than the scanner follows (", kMaxValues, ")"));
}

bool Analyzer::IsWidenedTable(const Str& s) {
  static const Str* const kWidened = new Str(WidenedTable());
  return s.origin == Str::Origin::kUnresolved && s.note == kWidened->note;
}

void Analyzer::AddTable(std::vector<Str>* out, const Str& s, bool dedupe) {
  for (const Str& o : *out) {
    if (dedupe && o.origin == s.origin && o.text == s.text) return;
  }
  if (out->size() < kMaxValues) {
    out->push_back(s);
    return;
  }
  for (const Str& o : *out) {
    if (IsWidenedTable(o)) return;
  }
  out->push_back(WidenedTable());
}

Value Analyzer::WidenedValue(const Value& v) {
  if (v.kind == Value::Kind::kStr || v.kind == Value::Kind::kTable ||
      v.kind == Value::Kind::kMeta || v.kind == Value::Kind::kBatchWriter) {
    Value w;
    w.kind = v.kind;
    w.name = v.name;
    w.str = WidenedTable();
    return w;
  }
  return Unknown(absl::StrCat("more possible values than the scanner follows (",
                              kMaxValues, ")"));
}

void Analyzer::AddValue(std::vector<Value>* out, Value v) {
  if (out->size() < kMaxValues) {
    out->push_back(std::move(v));
    return;
  }
  for (const Value& o : *out) {
    if (SameValue(o, v)) return;
  }
  if (!KeptPastTheBound(v.kind)) {
    v = WidenedValue(v);
    for (const Value& o : *out) {
      if (SameValue(o, v)) return;
    }
  }
  out->push_back(std::move(v));
}

void Analyzer::AddValues(std::vector<Value>* out, std::vector<Value> more) {
  // Into an empty set, a list within the bound is the set as it is.
  if (out->empty() && more.size() <= kMaxValues) {
    *out = std::move(more);
    return;
  }
  for (Value& v : more) AddValue(out, std::move(v));
}

// An answer cut short (by depth, recursion or the budget): counted, so
// that nothing computed under it is memoized.
Value Analyzer::CutOff(const char* reason) {
  ++cutoffs_;
  if (std::string_view(reason) != "resolution too deep") ++irregular_cutoffs_;
  return Unknown(reason);
}

// Values of `e` in `ctx`. Results in contexts that bind no parameters are
// memoized by (expression, scope, line) unless something was cut short
// while computing them; each walked call site has a budget of evaluations.
std::vector<Value> Analyzer::Eval(const Expr* e, const Ctx& ctx) {
  if (e == nullptr) return {Unknown("no value")};
  if (ctx.depth > kMaxDepth) return {CutOff("resolution too deep")};
  if (fuel_ <= 0) return {CutOff("analysis budget spent")};
  --fuel_;
  if (nesting_ >= kMaxNesting) return {CutOff("resolution nested too deep")};
  struct Nested {
    int* n;
    explicit Nested(int* n) : n(n) { ++*n; }
    ~Nested() { --*n; }
  };
  if (ctx.bound != nullptr) {
    Nested nested(&nesting_);
    return EvalUncached(e, ctx);
  }
  MemoKey key{e, ctx.scope, ctx.line};
  auto it = memo_.find(key);
  if (it != memo_.end()) return memo_values_.Get(it->values);
  DepthMemoKey at_depth{e, ctx.scope, 0};
  const bool by_depth =
      DepthMemoLine(ctx.line, ctx.depth, &at_depth.line_depth);
  if (by_depth) {
    auto cut = depth_memo_.find(at_depth);
    if (cut != depth_memo_.end()) {
      ++cutoffs_;  // what is reused was cut short
      return memo_values_.Get(cut->values);
    }
  }
  const std::size_t before = cutoffs_;
  const std::size_t irregular_before = irregular_cutoffs_;
  const long fuel_before = fuel_;
  std::vector<Value> out;
  {
    Nested nested(&nesting_);
    out = EvalUncached(e, ctx);
  }
  if (cutoffs_ == before) {
    key.values = memo_values_.Intern(out);
    memo_.insert(key);
  } else if (by_depth && irregular_cutoffs_ == irregular_before &&
             fuel_before - fuel_ >= kDepthMemoMinEvaluations) {
    at_depth.values = memo_values_.Intern(out);
    depth_memo_.insert(at_depth);
  }
  return out;
}

std::vector<Value> Analyzer::EvalUncached(const Expr* e, const Ctx& ctx) {
  Ctx c = ctx;
  c.depth++;
  switch (e->kind) {
    case Expr::Kind::kString:
      return {MakeStr(EvalString(e, c))};
    case Expr::Kind::kConst:
      if (e->name() == "None") {
        Value v;
        v.kind = Value::Kind::kNone;
        return {v};
      }
      return {Unknown("constant")};
    case Expr::Kind::kName:
      return LookupName(e->name(), c, e->line);
    case Expr::Kind::kAttribute: {
      std::vector<Value> out;
      for (const Value& r : Eval(e->children()[0], c)) {
        AddValues(&out, GetAttribute(r, e->name(), c));
      }
      return out;
    }
    case Expr::Kind::kCall:
      return EvalCall(e, c);
    case Expr::Kind::kSubscript: {
      std::vector<Value> out;
      for (const Value& r : Eval(e->children()[0], c)) {
        if (r.kind == Value::Kind::kEnviron) {
          for (const Value& k : Eval(e->children()[1], c)) {
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
          AddValues(&out, DictLookup(r, e->children()[1], c));
        } else {
          out.push_back(Unknown("subscript"));
        }
      }
      return out;
    }
    case Expr::Kind::kBinOp: {
      if (e->name() == "+") {
        std::vector<Value> out;
        for (const Value& l : Eval(e->children()[0], c)) {
          for (const Value& r : Eval(e->children()[1], c)) {
            if (l.kind == Value::Kind::kStr && r.kind == Value::Kind::kStr) {
              out.push_back(MakeStr(Concat(l.str, r.str)));
            } else if (l.kind == Value::Kind::kStr ||
                       r.kind == Value::Kind::kStr) {
              // A string joined with something unknown: a name pattern.
              Str unknown = UnresolvedStr("part of the name is not a constant");
              out.push_back(MakeStr(l.kind == Value::Kind::kStr
                                        ? Concat(l.str, unknown)
                                        : Concat(unknown, r.str)));
            } else {
              out.push_back(Unknown("expression"));
            }
          }
        }
        return out;
      }
      if (e->name() == "%") return PercentFormat(e, c);
      if (e->name() == "or") {
        // `x or default`: either side; what is known wins over what is not.
        std::vector<Value> out;
        for (const Expr* side : {e->children()[0], e->children()[1]}) {
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
      v.kind = e->kind == Expr::Kind::kComprehension && e->name() == "dict"
                   ? Value::Kind::kDict
                   : Value::Kind::kList;
      v.expr = e;
      v.site_scope = c.scope;
      return {v};
    }
    case Expr::Kind::kOther:
      // `a or b` style defaults are kBinOp; conditional expressions are
      // kOther with three children: value, test, alternative.
      if (e->name() == "if" && e->children().size() == 3) {
        std::vector<Value> out = Eval(e->children()[0], c);
        AddValues(&out, Eval(e->children()[2], c));
        return out;
      }
      return {Unknown("expression")};
    default:
      return {Unknown("expression")};
  }
}

// The dict's value under `key` (evaluated in c); the dict's entries are
// evaluated where the dict was written.
std::vector<Value> Analyzer::DictLookup(const Value& d, const Expr* key,
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
    literal_key = literal_key ||
                  (k.kind == Value::Kind::kStr &&
                   k.str.origin == Str::Origin::kLiteral && !k.str.pattern);
  }
  if (!literal_key && dict->kind == Expr::Kind::kDict) {
    // A key chosen at run time: any of the dict's values.
    std::vector<Value> out;
    for (size_t i = 0; i + 1 < dict->children().size(); i += 2) {
      if (dict->children()[i] != nullptr) {
        AddValues(&out, Eval(dict->children()[i + 1], c));
      }
    }
    if (!out.empty()) return out;
  }
  for (size_t i = 0; i + 1 < dict->children().size(); i += 2) {
    const Expr* k = dict->children()[i];
    if (k == nullptr) continue;
    for (const Value& kv : Eval(k, c)) {
      for (const Value& want : keys) {
        if (kv.kind == Value::Kind::kStr && want.kind == Value::Kind::kStr &&
            kv.str.origin == Str::Origin::kLiteral &&
            want.str.origin == Str::Origin::kLiteral &&
            kv.str.text == want.str.text) {
          return Eval(dict->children()[i + 1], c);
        }
      }
    }
  }
  return {Unknown("key not in dict")};
}

Str Analyzer::Concat(const Str& a, const Str& b) {
  Str s;
  s.origin = Str::Origin::kLiteral;
  s.text = Piece(a, &s) + Piece(b, &s);
  AppendTemplate(a, &s);
  AppendTemplate(b, &s);
  FinishTemplate(&s);
  return s;
}

// The text a string contributes to a concatenation; '*' for unknowns.
std::string Analyzer::Piece(const Str& a, Str* into) {
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

Str Analyzer::EvalString(const Expr* e, const Ctx& c) {
  Str s;
  s.origin = Str::Origin::kLiteral;
  for (const StringPart& p : e->parts()) {
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
      s.mutable_template().tmpl += "*";
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

Str Analyzer::EnvStr(const Value& key, const Expr* default_expr, const Ctx& c) {
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
      StrTemplate& t = s.mutable_template();
      t.tmpl = "{env:" + key.str.text + "}";
      t.defaults = {{"env:" + key.str.text, d[0].str.text}};
      t.source = SourceAt(c);
      return s;
    }
  }
  Str s;
  s.origin = Str::Origin::kEnv;
  s.text = key.str.text;
  s.mutable_template().source = SourceAt(c);
  return s;
}

// "file:line" of the context (where a name part is read).
std::string Analyzer::SourceAt(const Ctx& c) {
  if (c.scope == nullptr || c.scope->module == nullptr ||
      c.scope->module->file == nullptr || c.line <= 0 || c.line == (1 << 30)) {
    return "";
  }
  return c.scope->module->file->path + ":" + std::to_string(c.line);
}

const Binding* Analyzer::PickBinding(const ScopeNames::Bindings& bs, int line,
                                     std::vector<const Binding*>* all) {
  // An assignment's value is read before it binds: `table =
  // table("x")` on one line reads the earlier `table`.
  auto visible = [line](const Binding& b) {
    return b.kind == Binding::Kind::kAssign ? b.line < line : b.line <= line;
  };
  const Binding* best = nullptr;
  for (const Binding& b : bs) {
    if (visible(b) && (best == nullptr || b.line >= best->line)) best = &b;
  }
  if (best == nullptr) {
    for (const Binding& b : bs) all->push_back(&b);
    return nullptr;
  }
  // The last binding of the other arm of the same block reaches too:
  // `try: item = Model.get(k)` / `except DoesNotExist: item = None`.
  const Binding* other = nullptr;
  if (best->block != 0) {
    for (const Binding& b : bs) {
      if (visible(b) && b.block == best->block &&
          b.in_other_arm != best->in_other_arm &&
          (other == nullptr || b.line >= other->line)) {
        other = &b;
      }
    }
  }
  if (other == nullptr) return best;
  all->push_back(other);
  all->push_back(best);
  return nullptr;
}

std::vector<Value> Analyzer::LookupName(const std::string& name, const Ctx& c,
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
        if (g.eval_scope() != nullptr) assigned_globally = true;
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
      for (const std::string& m : s->star_imports()) {
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

std::vector<Value> Analyzer::ModuleAttribute(Scope* m, const std::string& name,
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
    for (const std::string& star : m->star_imports()) {
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
std::vector<Value> Analyzer::EvalBindingIn(const Binding& b,
                                           const std::string& name,
                                           const Ctx& c) {
  if (b.eval_scope() == nullptr) return EvalBinding(b, name, c);
  Ctx in = c;
  in.scope = b.eval_scope();
  in.bound = nullptr;
  return EvalBinding(b, name, in);
}

// Names imported from outside the project that the analysis knows.
Value Analyzer::ExternalImport(const std::string& module,
                               const std::string& name) {
  Value v;
  if (name.empty()) {
    if (module == "boto3") v.kind = Value::Kind::kBoto3;
    if (module == "os") v.kind = Value::Kind::kOs;
    if (module == "django.conf") v.kind = Value::Kind::kDjangoConf;
    if (module == "environ" || module == "environs") {
      v.kind = Value::Kind::kExtModule;
      v.name = module;
    }
    if (module.rfind("pynamodb", 0) == 0 || module.rfind("boto3.", 0) == 0 ||
        module == "environ" || module == "environs") {
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

std::vector<Value> Analyzer::EvalBinding(const Binding& b,
                                         const std::string& name,
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
      if (b.names_target && ListItems(b.value, in, &items)) {
        std::vector<Value> out;
        for (const Expr* item : items) AddValues(&out, Eval(item, in));
        return out;
      }
      std::vector<Value> iterable = Eval(b.value, in);
      std::vector<Value> out;
      for (const Value& v : iterable) {
        std::vector<const Expr*> elements;
        if (b.names_target && v.kind == Value::Kind::kList &&
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
      const ImportName& n = *b.import();
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
      if (Scope* m =
              FindModuleFrom(mod.empty() ? n.name : mod + "." + n.name, from)) {
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
      v.scope = b.def();
      return {v};
    }
    case Binding::Kind::kClass:
      return {ClassValue(b.def(), c)};
    case Binding::Kind::kParam:
      return ParamValues(c.scope, b, name, c);
  }
  return {Unknown("binding")};
}

}  // namespace leastpriv::pyscan
