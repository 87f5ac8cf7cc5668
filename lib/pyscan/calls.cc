// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Calls and attributes: project functions and classes, builtins,
// string methods and formatting, methods of boto3 and PynamoDB objects,
// attributes of instances, classes and settings.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <deque>
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

// The line an operation is reported at: the method's name for a method
// call, else where the call starts.
int Analyzer::OpLine(const Expr* call) {
  const Expr* f = call->children()[0];
  return f->kind == Expr::Kind::kAttribute ? f->line : call->line;
}

// Arg, also looking into `**kwargs` dicts the scanner can follow.
const Expr* Analyzer::ArgIn(const Expr* call, size_t pos, const std::string& kw,
                            const Ctx& c) {
  if (const Expr* a = Arg(call, pos, kw)) return a;
  for (const Keyword& k : call->keywords()) {
    if (!k.name.empty()) continue;
    if (const Expr* v = DictValue(k.value, kw, c)) return v;
  }
  return nullptr;
}

const Expr* Analyzer::Arg(const Expr* call, size_t pos, const std::string& kw) {
  for (const Keyword& k : call->keywords()) {
    if (k.name == kw) return k.value;
  }
  if (pos + 1 < call->children().size() &&
      call->children()[pos + 1]->kind != Expr::Kind::kStarred) {
    return call->children()[pos + 1];
  }
  return nullptr;
}

// Literal service name of boto3.client(...)/resource(...).
std::string Analyzer::ServiceName(const Expr* call, const Ctx& c) {
  const Expr* a = ArgIn(call, 0, "service_name", c);
  if (a == nullptr) return "";
  std::vector<Value> vs = Eval(a, c);
  if (vs.size() == 1 && vs[0].kind == Value::Kind::kStr &&
      vs[0].str.origin == Str::Origin::kLiteral)
    return vs[0].str.text;
  return "";
}

Value Analyzer::ServiceObject(const std::string& factory, const Expr* call,
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

Value Analyzer::TableOf(const Expr* name_expr, const Ctx& c, Value::Kind kind) {
  Value v;
  v.kind = kind;
  v.str = TableStr(name_expr, c);
  return v;
}

// The table name an argument evaluates to (first value; several values are
// handled by callers that need them).
Str Analyzer::TableStr(const Expr* e, const Ctx& c) {
  if (e == nullptr) return UnresolvedStr("no table name argument");
  std::vector<Value> vs = Eval(e, c);
  for (const Value& v : vs) {
    if (v.kind == Value::Kind::kStr) return v.str;
  }
  return UnresolvedStr(vs.empty() ? "unknown" : vs[0].reason.str());
}

std::vector<Str> Analyzer::TableStrs(const Expr* e, const Ctx& c) {
  if (e == nullptr) return {UnresolvedStr("no table name argument")};
  std::vector<Str> out;
  std::vector<Value> vs = Eval(e, c);
  for (const Value& v : vs) {
    if (v.kind == Value::Kind::kStr) out.push_back(v.str);
    if (v.kind == Value::Kind::kTable) out.push_back(v.str);
  }
  if (out.empty()) {
    out.push_back(UnresolvedStr(vs.empty() ? "unknown" : vs[0].reason.str()));
  } else {
    // Sets of values stop growing at the bound: past it, the names not
    // followed are an unknown table (AddValue), listed first.
    std::stable_partition(out.begin(), out.end(), IsWidenedTable);
  }
  return out;
}

std::vector<Value> Analyzer::EvalCall(const Expr* call, const Ctx& c) {
  const Expr* f = call->children()[0];
  std::vector<Value> out;
  if (f->kind == Expr::Kind::kName && IsBuiltin(f->name(), c)) {
    return CallBuiltin(f->name(), call, c);
  }
  // A lazy proxy (Django's SimpleLazyObject, werkzeug's LocalProxy) of a
  // lambda stands for what the lambda returns.
  std::string callee = DottedName(f);
  callee = callee.substr(callee.rfind('.') + 1);
  if ((callee == "SimpleLazyObject" || callee == "LocalProxy" ||
       callee == "LazyObject") &&
      call->children().size() == 2 &&
      call->children()[1]->kind == Expr::Kind::kOther &&
      call->children()[1]->name() == "lambda") {
    return Eval(call->children()[1]->children().back(), c);
  }
  if (f->kind == Expr::Kind::kAttribute) {
    for (const Value& r : Eval(f->children()[0], c)) {
      AddValues(&out, CallMethod(r, f->name(), call, c));
    }
    return out;
  }
  for (const Value& fv : Eval(f, c)) {
    AddValues(&out, CallValue(fv, call, c));
  }
  return out;
}

std::vector<Value> Analyzer::CallValue(const Value& fv, const Expr* call,
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
                          : SharedText("call of an unknown function"))};
  }
}

// A builtin the analysis follows, not shadowed by a project name.
bool Analyzer::IsBuiltin(const std::string& name, const Ctx& c) {
  if (name != "getattr" && name != "str" && name != "dict" && name != "list" &&
      name != "tuple" && name != "super" && name != "next" && name != "iter") {
    return false;
  }
  for (Scope* s = c.scope; s != nullptr; s = s->parent) {
    if (s->names.count(name) > 0) return false;
  }
  return true;
}

std::vector<Value> Analyzer::CallBuiltin(const std::string& name,
                                         const Expr* call, const Ctx& c) {
  if (name == "getattr") {
    // getattr(obj, "attr"[, default]): the attribute, else the default
    // (a Django setting the settings modules do not assign).
    const Expr* attr = Arg(call, 1, "");
    std::string attr_name;
    const Expr* dflt =
        call->children().size() > 3 ? call->children()[3] : nullptr;
    std::vector<Value> names = Eval(attr, c);
    if (names.size() == 1 && names[0].kind == Value::Kind::kStr &&
        names[0].str.origin == Str::Origin::kLiteral && !names[0].str.pattern) {
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
    if (fn == nullptr || fn->stmt->params().empty() || fn->parent == nullptr ||
        fn->parent->kind != Scope::Kind::kClass) {
      return {Unknown("super() outside a method")};
    }
    Ctx in = c;
    in.scope = fn;
    std::vector<Value> out;
    for (Value v : LookupName(fn->stmt->params()[0].name, in, fn->stmt->line)) {
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
  if (name == "dict" && call->children().size() == 1) {
    Value v;
    v.kind = Value::Kind::kDict;
    v.expr = call;
    return {v};
  }
  if (name == "next" || name == "iter") {
    // next(Model.query(...)), iter(...): an item of a PynamoDB result is a
    // model instance, as the result stands for its items. Other iterators'
    // items are not followed.
    std::vector<Value> out;
    if (call->children().size() >= 2) {
      for (const Value& v : Eval(call->children()[1], c)) {
        if (v.kind == Value::Kind::kModelInstance) AddValues(&out, {v});
      }
    }
    if (out.empty()) return {Unknown(name + "()")};
    return out;
  }
  if (call->children().size() == 2) return Eval(call->children()[1], c);
  return {Unknown(name + "()")};
}

// The method `method` of a project class (searching bases).
Scope* Analyzer::FindMethod(Scope* cls, const std::string& method, const Ctx& c,
                            int depth) {
  if (cls == nullptr || depth > 8) return nullptr;
  auto it = cls->names.find(method);
  if (it != cls->names.end()) {
    for (const Binding& b : it->second) {
      if (b.kind == Binding::Kind::kDef) return b.def();
    }
  }
  Ctx in;
  in.scope = cls->parent;
  in.depth = c.depth + 1;
  for (const Expr* base : cls->stmt->bases()) {
    for (const Value& bv : Eval(base, in)) {
      if ((bv.kind == Value::Kind::kClass ||
           bv.kind == Value::Kind::kModelClass) &&
          bv.scope != nullptr) {
        if (Scope* m = FindMethod(bv.scope, method, c, depth + 1)) return m;
      }
    }
  }
  return nullptr;
}

// Calling functools.partial(f, a, k=v) with more arguments: f with the
// partial's arguments first (evaluated where the partial was made).
std::vector<Value> Analyzer::CallPartial(const Value& p, const Expr* call,
                                         const Ctx& c) {
  const Expr* made = p.expr;
  if (made == nullptr || made->children().size() < 2 || c.depth > kMaxDepth) {
    return {Unknown("partial")};
  }
  Ctx at;
  at.scope = p.site_scope;
  at.depth = c.depth + 1;
  at.line = made->line;
  std::vector<Value> out;
  for (const Value& f : Eval(made->children()[1], at)) {
    if (f.kind != Value::Kind::kFunction || f.scope == nullptr) continue;
    Scope* fn = f.scope;
    const size_t fixed = made->children().size() - 2;
    auto bound = BindArgs(fn, call, c, static_cast<int>(fixed));
    const auto& params = fn->stmt->params();
    for (size_t i = 0; i < fixed && i < params.size(); ++i) {
      bound[params[i].name] = Eval(made->children()[2 + i], at);
    }
    for (const Keyword& k : made->keywords()) {
      if (!k.name.empty()) bound[k.name] = Eval(k.value, at);
    }
    AddValues(&out, ResultValues(fn, bound, c));
  }
  if (out.empty()) return {Unknown("partial")};
  return out;
}

// A value read by django-environ / environs / python-decouple:
// reader("X", default=...) or reader.str("X", default=...).
std::vector<Value> Analyzer::EnvReaderValue(const Expr* call, const Ctx& c) {
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
std::vector<Value> Analyzer::StrMethod(const Str& s, const std::string& method,
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
std::vector<Value> Analyzer::PercentFormat(const Expr* e, const Ctx& c) {
  std::vector<Value> fmt = Eval(e->children()[0], c);
  if (fmt.size() != 1 || fmt[0].kind != Value::Kind::kStr ||
      fmt[0].str.origin != Str::Origin::kLiteral) {
    return {Unknown("expression")};
  }
  const Expr* rhs = e->children()[1];
  std::vector<const Expr*> args;
  if (rhs->kind == Expr::Kind::kTuple) {
    args.assign(rhs->children().begin(), rhs->children().end());
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

// Every string a format can produce (at most kMaxValues): a field with
// several string values multiplies the results; one that is not a string
// is '*'.
std::vector<Value> Analyzer::Format(const Str& fmt,
                                    const std::vector<FormatPart>& parts,
                                    const Ctx& c) {
  Str start = Literal("");
  start.pattern = fmt.pattern;
  start.note = fmt.note;
  start.clear_template();
  std::vector<Str> results = {start};
  bool widened = false;
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
        alternatives.push_back(Literal(p.arg->name()));
      }
    }
    if (alternatives.empty()) {
      Str unknown = UnresolvedStr("formatted part is not a constant");
      alternatives.push_back(unknown);
    }
    std::vector<Str> next;
    for (const Str& r : results) {
      for (const Str& a : alternatives) {
        if (next.size() >= kMaxValues) {
          widened = true;
          break;
        }
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
  // The strings past the bound: an unknown table name.
  if (widened) out.push_back(MakeStr(WidenedTable()));
  return out;
}

// Calls method `m` of a project class on receiver `r` (an instance or the
// class itself): self / cls is bound unless the method is static.
std::vector<Value> Analyzer::CallProjectMethod(const Value& r, Scope* m,
                                               const Expr* call, const Ctx& c) {
  bool on_instance =
      r.kind == Value::Kind::kInstance || r.kind == Value::Kind::kModelInstance;
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

std::vector<Value> Analyzer::CallMethod(const Value& r,
                                        const std::string& method,
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
        return {
            TableOf(ArgIn(call, 99, "TableName", c), c, Value::Kind::kTable)};
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
        const Expr* a =
            Arg(call, 0,
                method == "get_paginator" ? "operation_name" : "waiter_name");
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
          r.expr->kind == Expr::Kind::kDict && call->children().size() >= 2) {
        std::vector<Value> out = DictLookup(r, call->children()[1], c);
        if (call->children().size() >= 3 &&
            (out.empty() ||
             (out.size() == 1 && out[0].kind == Value::Kind::kUnknown))) {
          return Eval(call->children()[2], c);
        }
        return out;
      }
      break;
    case Value::Kind::kModelClass:
      if (Scope* m = FindMethod(r.scope, method, c)) {
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
      if (Scope* m = FindMethod(r.scope, method, c)) {
        return CallProjectMethod(r, m, call, c);
      }
      // next(): PynamoDB 4's ResultIterator.next(), an item of a result.
      if (method == "get" || method == "query" || method == "scan" ||
          method == "batch_get" || method == "next") {
        v.kind = Value::Kind::kModelInstance;
        v.scope = r.scope;
        return {v};
      }
      break;
    case Value::Kind::kInstance:
    case Value::Kind::kClass: {
      if (Scope* m = FindMethod(r.scope, method, c)) {
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

std::vector<Value> Analyzer::GetAttribute(const Value& r,
                                          const std::string& name,
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
      if (r.scope != nullptr && r.scope->file->is_settings && name == name) {
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
      for (const Value& a : r.kind == Value::Kind::kInstance
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
std::vector<Value> Analyzer::SettingsField(Scope* cls, const std::string& name,
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
std::vector<Value> Analyzer::ClassAttribute(Scope* cls, const std::string& name,
                                            const Ctx& c, int depth) {
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
    if (m->kind != Scope::Kind::kFunction || m->stmt->params().empty() ||
        !HasDecorator(m, "classmethod", nullptr) || c.depth > kMaxDepth) {
      continue;
    }
    std::map<std::string, std::vector<Value>> bound;
    bound[m->stmt->params()[0].name] = {ClassValue(cls, c)};
    FindSelfAssignments(m, name, c, &bound, &stored);
  }
  if (!stored.empty()) return stored;
  Ctx in = c;
  in.scope = cls->parent;
  in.bound = nullptr;
  for (const Expr* base : cls->stmt->bases()) {
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
std::vector<Value> Analyzer::InstanceAttribute(const Value& inst,
                                               const std::string& name,
                                               const Ctx& c) {
  // Only an instance that carries nothing but its class, its creating
  // call, its expression and its name is keyed.
  const Str& str = inst.str;
  const bool keyed = inst.reason.empty() && str.text.empty() &&
                     str.note.empty() && str.tmpl().empty() &&
                     str.defaults().empty() && str.source().empty() &&
                     !str.pattern && str.origin == Str::Origin::kUnresolved;
  if (!keyed || inst.scope == nullptr || c.depth > kMaxDepth) {
    return InstanceAttributeUncached(inst, name, c);
  }
  return Remembered(
      instance_attribute_memo_,
      InstanceAttributeKey{inst.scope, inst.site, inst.site_scope, inst.expr,
                           inst.name, name, c.scope, c.line},
      c.depth, /*regular_only=*/false,
      [&] { return InstanceAttributeUncached(inst, name, c); });
}

std::vector<Value> Analyzer::InstanceAttributeUncached(const Value& inst,
                                                       const std::string& name,
                                                       const Ctx& c) {
  Scope* cls = inst.scope;
  if (cls == nullptr) return {Unknown("instance attribute")};
  if (c.depth > kMaxDepth) return {CutOff("resolution too deep")};
  std::vector<Value> out;
  // The call that runs this level's __init__: the creating call, then in
  // each base the `super().__init__(...)` or `Base.__init__(self, ...)` of
  // the level below (a class without __init__ passes its call on). An
  // __init__'s arguments are bound only when it assigns the attribute, or
  // when a base's __init__ that does reads them through its call: no other
  // method reads them.
  struct InitFrame {
    Scope* init;
    const Expr* call;  // null: none known
    Scope* call_scope;
    int offset;
    InitFrame* caller;  // the frame `call` is evaluated in, else null
    bool made = false;
    std::map<std::string, std::vector<Value>> bound;
  };
  std::deque<InitFrame> frames;
  std::function<const std::map<std::string, std::vector<Value>>*(InitFrame*)>
      make = [&](InitFrame* f) {
        if (f->made) return &f->bound;
        f->made = true;
        if (f->call != nullptr) {
          Ctx at;
          at.scope = f->call_scope;
          at.bound = f->caller == nullptr ? nullptr : make(f->caller);
          at.depth = c.depth + 1;
          at.line = f->call->line;
          f->bound = BindArgs(f->init, f->call, at, f->offset);
        }
        f->bound[f->init->stmt->params()[0].name] = {inst};
        return &f->bound;
      };
  const Expr* init_call = inst.site;
  Scope* init_scope = inst.site_scope;
  InitFrame* init_caller = nullptr;
  int init_offset = 1;
  for (Scope* k = cls; k != nullptr && out.empty(); k = BaseClass(k)) {
    InitFrame* init_frame = nullptr;
    for (Scope* m : k->children) {
      if (m->kind != Scope::Kind::kFunction || m->stmt->params().empty()) {
        continue;
      }
      const bool assigns = SelfAssignmentsOf(m, name) != nullptr;
      if (m->name == "__init__") {
        frames.push_back(
            {m, init_call, init_scope, init_offset, init_caller, false, {}});
        init_frame = &frames.back();
        if (assigns) FindSelfAssignments(m, name, c, make(init_frame), &out);
      } else if (assigns) {
        std::map<std::string, std::vector<Value>> bound;
        bound[m->stmt->params()[0].name] = {inst};
        FindSelfAssignments(m, name, c, &bound, &out);
      }
    }
    if (init_frame != nullptr) {
      init_call = SuperInitCall(init_frame->init, &init_offset);
      init_scope = init_frame->init;
      init_caller = init_frame;
    }
  }
  if (!out.empty()) return out;
  return ClassAttribute(cls, name, c);
}

// The call of the base class's __init__ in `init`: `super().__init__(a)`
// (offset 1: self is implicit) or `Base.__init__(self, a)` (offset 0).
const Expr* Analyzer::SuperInitCall(Scope* init, int* offset) {
  const Expr* found = nullptr;
  ForEachLocalStmt(init->stmt->body(), [&](const Stmt* st) {
    if (found != nullptr || st->kind != Stmt::Kind::kExpr ||
        st->value == nullptr || st->value->kind != Expr::Kind::kCall) {
      return;
    }
    const Expr* f = st->value->children()[0];
    if (f->kind != Expr::Kind::kAttribute || f->name() != "__init__") return;
    const Expr* r = f->children()[0];
    if (r->kind == Expr::Kind::kCall &&
        r->children()[0]->kind == Expr::Kind::kName &&
        r->children()[0]->name() == "super") {
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
Scope* Analyzer::BaseClass(Scope* cls) {
  auto [it, fresh] = base_class_.try_emplace(cls, nullptr);
  if (!fresh) return it->second;
  Ctx in;
  in.scope = cls->parent;
  for (const Expr* base : cls->stmt->bases()) {
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

const std::vector<const Stmt*>* Analyzer::SelfAssignmentsOf(
    Scope* m, const std::string& name) {
  auto [it, fresh] = self_assignments_.try_emplace(m);
  if (fresh && !m->stmt->params().empty()) {
    IndexSelfAssignments(m->stmt->params()[0].name, m->stmt->body(),
                         &it->second);
  }
  // Most methods assign no attribute of self: nothing to hash for them.
  if (it->second.empty()) return nullptr;
  auto found = it->second.find(std::string_view(name));
  if (found == it->second.end()) return nullptr;
  return &found->second;
}

void Analyzer::FindSelfAssignments(
    Scope* m, const std::string& name, const Ctx& c,
    const std::map<std::string, std::vector<Value>>* bound,
    std::vector<Value>* out) {
  const std::vector<const Stmt*>* found = SelfAssignmentsOf(m, name);
  if (found == nullptr) return;
  // Built once: Eval below adds other methods' indexes, not to this one.
  for (const Stmt* s : *found) {
    Ctx in;
    in.scope = m;
    in.bound = bound;
    in.depth = c.depth + 1;
    in.line = s->line;
    AddValues(out, Eval(s->value, in));
  }
}

void Analyzer::IndexSelfAssignments(std::string_view self, const StmtList& body,
                                    SelfAssignmentIndex* index) {
  for (const Stmt* s : body) {
    if (s->kind == Stmt::Kind::kAssign) {
      for (const Expr* t : s->targets) {
        if (t->kind == Expr::Kind::kAttribute &&
            t->children()[0]->kind == Expr::Kind::kName &&
            std::string_view(t->children()[0]->name()) == self) {
          (*index)[std::string_view(t->name())].push_back(s);
        }
      }
    }
    if (s->kind == Stmt::Kind::kDef || s->kind == Stmt::Kind::kClass) continue;
    IndexSelfAssignments(self, s->body(), index);
    IndexSelfAssignments(self, s->orelse(), index);
  }
}

bool Analyzer::HasDecorator(const Scope* fn, const char* a, const char* b) {
  for (const Expr* d : fn->stmt->targets) {
    std::string n = DottedName(d);
    if (n.empty() && d->kind == Expr::Kind::kCall) {
      n = DottedName(d->children()[0]);
    }
    size_t dot = n.rfind('.');
    std::string last = dot == std::string::npos ? n : n.substr(dot + 1);
    if (last == a || (b != nullptr && last == b)) return true;
  }
  return false;
}

bool Analyzer::IsProperty(const Scope* fn) {
  return fn != nullptr && fn->kind == Scope::Kind::kFunction &&
         HasDecorator(fn, "property", "cached_property");
}

// The values a property returns for the receiver `self_value`.
std::vector<Value> Analyzer::CallProperty(Scope* fn, const Value& self_value,
                                          const Ctx& c) {
  if (c.depth > kMaxDepth || fn->stmt->params().empty()) {
    return {Unknown("property")};
  }
  std::map<std::string, std::vector<Value>> bound;
  bound[fn->stmt->params()[0].name] = {self_value};
  std::vector<Value> out = ResultValues(fn, bound, c);
  if (out.empty()) return {Unknown(fn->name + " returns nothing known")};
  return out;
}

std::string Analyzer::IndexName(Scope* index_cls, const std::string& attr,
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

}  // namespace leastpriv::pyscan
