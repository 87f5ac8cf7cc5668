// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A small abstract interpretation over the whole project. Values of interest
// (boto3 clients/resources/tables, PynamoDB models and indexes, transaction
// contexts, strings) are computed on demand by evaluating expressions in
// scopes; parameters are resolved from every call site of their function.

#include "lib/pyscan/analysis.h"

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
#include "lib/pyscan/analyzer.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

void Analyzer::Run(
    const std::function<void(std::size_t, std::size_t)>& on_module) {
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
    Scope* s = &scopes_.emplace_back();
    s->kind = Scope::Kind::kModule;
    s->file = f;
    s->name = Name(&f->module_name);
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

void Analyzer::WalkScope(Scope* s) {
  current_file_ = s->file;
  for (const Stmt* st : *s->body()) WalkStmt(s, st);
}

void Analyzer::WalkStmt(Scope* s, const Stmt* st) {
  if (st->kind == Stmt::Kind::kDef || st->kind == Stmt::Kind::kClass) {
    Scope* c = ChildScope(s, st);
    for (const Expr* d : st->targets) WalkExpr(s, d, false);
    for (const Expr* b : st->bases()) WalkExpr(s, b, false);
    for (const Param& p : st->params()) WalkExpr(s, p.default_value, false);
    for (const Stmt* b : st->body()) WalkStmt(c, b);
    return;
  }
  ForEachExpr(st, [&](const Expr* e) { WalkExpr(s, e, false); });
  for (const Stmt* b : st->body()) WalkStmt(s, b);
  for (const Stmt* b : st->orelse()) WalkStmt(s, b);
}

void Analyzer::WalkExpr(Scope* s, const Expr* e, bool is_callee) {
  if (e == nullptr) return;
  fuel_ = kFuel;
  ++walk_;
  Ctx c;
  c.scope = s;
  c.line = e->line;
  if (e->kind == Expr::Kind::kCall &&
      e->children()[0]->kind == Expr::Kind::kAttribute &&
      MayEmit(e->children()[0]->name())) {
    const Expr* f = e->children()[0];
    bool known = false;
    for (const Value& r : Eval(f->children()[0], c)) {
      // An instance of a project class that has no such method may get it
      // from a base outside the project: it is not known either.
      bool opaque = r.kind == Value::Kind::kUnknown ||
                    r.kind == Value::Kind::kNone ||
                    ((r.kind == Value::Kind::kInstance ||
                      r.kind == Value::Kind::kClass) &&
                     FindMethod(r.scope, f->name(), c) == nullptr);
      known = known || !opaque;
      EmitMethod(r, f->name(), e, c);
    }
    if (!known && !IsBatchWriterItem(f->children()[0], s)) {
      EmitOnUnresolvedReceiver(f->name(), e, c);
    }
  }
  if (e->kind == Expr::Kind::kAttribute && !is_callee &&
      IsLazyTableAttribute(e->name())) {
    for (const Value& r : Eval(e->children()[0], c)) {
      if (r.kind == Value::Kind::kTable) {
        Emit("DescribeTable", "DescribeTable", r.str, "", e->line, false, "");
      }
    }
  }
  for (size_t i = 0; i < e->children().size(); ++i) {
    WalkExpr(s, e->children()[i], e->kind == Expr::Kind::kCall && i == 0);
  }
  for (const Keyword& k : e->keywords()) WalkExpr(s, k.value, false);
  for (const StringPart& p : e->parts()) WalkExpr(s, p.field, false);
}

// Whether a backend's dotted path names a module of the project: then its
// own calls are scanned and the settings rule would only repeat them.
// A path the project is installed under differently ("myproject.sessions.
// dynamodb_session" for sessions/dynamodb_session.py, or a placeholder
// prefix in an example) names it too when a tail of the path is a project
// module that defines `entry` (a session engine's SessionStore): a tail
// alone is too weak, a third-party backend may end like a project module.
bool Analyzer::BackendInProject(const std::string& dotted,
                                const std::string& entry) {
  for (size_t dot = dotted.rfind('.'); dot != std::string::npos && dot > 0;
       dot = dotted.rfind('.', dot - 1)) {
    if (FindModule(dotted.substr(0, dot)) != nullptr) return true;
  }
  if (FindModule(dotted) != nullptr) return true;
  if (entry.empty()) return false;
  for (size_t dot = dotted.find('.'); dot != std::string::npos;
       dot = dotted.find('.', dot + 1)) {
    const Scope* module = FindModule(dotted.substr(dot + 1));
    if (module != nullptr && module->names.count(entry) > 0) return true;
  }
  return false;
}

void Analyzer::DjangoBackends(Scope* s) {
  current_file_ = s->file;
  ++walk_;
  Ctx c;
  c.scope = s;
  for (const Stmt* st : *s->body()) {
    if (st->kind != Stmt::Kind::kAssign || st->targets.empty() ||
        st->targets[0]->kind != Expr::Kind::kName)
      continue;
    const std::string& name = st->targets[0]->name();
    if (name == "SESSION_ENGINE") {
      std::string engine;
      if (!StringLiteralValue(st->value, &engine)) continue;
      if (Lower(engine).find("dynamodb") == std::string::npos) continue;
      if (BackendInProject(engine, "SessionStore")) continue;
      Str table = Literal("sessions");
      std::vector<Value> vs = SettingValue("DYNAMODB_SESSIONS_TABLE_NAME", c);
      if (vs.size() == 1 && vs[0].kind == Value::Kind::kStr &&
          vs[0].str.origin != Str::Origin::kSettings) {
        table = vs[0].str;
      }
      for (const char* op :
           {"GetItem", "PutItem", "UpdateItem", "DeleteItem"}) {
        Emit(op, op, table, "", st->line, false, "session backend " + engine);
      }
    }
    if (name == "CACHES" && st->value != nullptr &&
        st->value->kind == Expr::Kind::kDict) {
      const Expr* caches = st->value;
      for (size_t i = 0; i + 1 < caches->children().size(); i += 2) {
        const Expr* conf = caches->children()[i + 1];
        if (conf == nullptr || conf->kind != Expr::Kind::kDict) continue;
        const Expr* backend = DictEntry(conf, "BACKEND");
        std::string path;
        if (!StringLiteralValue(backend, &path) ||
            Lower(path).find("dynamodb") == std::string::npos ||
            BackendInProject(path, "")) {
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
        for (const char* op : {"GetItem", "PutItem", "UpdateItem", "DeleteItem",
                               "BatchGetItem", "BatchWriteItem", "Scan"}) {
          Emit(op, op, table, "", backend->line, true, "cache backend " + path);
        }
      }
    }
  }
}

void AnalyzeProject(
    const std::vector<const SourceFile*>& files, FoundOperations* operations,
    std::vector<Finding>* findings,
    const std::function<void(std::size_t, std::size_t)>& on_module) {
  Analyzer analyzer(files, operations, findings);
  analyzer.Run(on_module);
}

}  // namespace leastpriv::pyscan
