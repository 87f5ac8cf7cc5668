// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The DynamoDB operations of call sites: boto3 clients, resources,
// tables, paginators, waiters, batch writers, PartiQL, transactions and
// PynamoDB models, and calls on receivers nothing resolves.

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

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/catalog.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/analyzer.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

std::string_view Analyzer::TableTextIn(const Str& s, std::string* buffer) {
  switch (s.origin) {
    case Str::Origin::kLiteral:
      return s.text;
    case Str::Origin::kEnv:
      buffer->assign("env:").append(s.text);
      return *buffer;
    case Str::Origin::kSettings:
      buffer->assign("settings:").append(s.text);
      return *buffer;
    case Str::Origin::kUnresolved:
      return "<unresolved>";
  }
  return "<unresolved>";
}

std::string Analyzer::TableText(const Str& s) {
  std::string buffer;
  return std::string(TableTextIn(s, &buffer));
}

void Analyzer::Emit(const std::string& operation, const std::string& action,
                    const Str& table, const std::string& index, int line,
                    bool uncertain, const std::string& extra_reason) {
  // The two texts built here go to buffers reused from one operation to
  // the next; FoundOperations copies each distinct text once.
  emit_action_.assign("dynamodb:").append(action);
  FoundOperations::Fields op;
  op.operation = operation;
  op.action = emit_action_;
  op.table = TableTextIn(table, &emit_table_);
  op.table_is_pattern = table.origin == Str::Origin::kLiteral && table.pattern;
  op.index = index;
  op.file = current_file_->path;
  op.line = line;
  op.uncertain = uncertain;
  op.reason = extra_reason.empty() ? table.note.str() : extra_reason;
  op.table_template = table.tmpl();
  op.table_defaults = &table.defaults();
  op.table_source = table.source();
  if (op.reason.empty() && table.origin == Str::Origin::kUnresolved) {
    op.reason = "table name not resolvable";
  }
  ops_->Add(op);
}

Str Analyzer::Star() {
  Str s = Literal("*");
  return s;
}

void Analyzer::EmitWithTables(const std::string& operation,
                              const std::string& action, const Expr* table_expr,
                              const std::string& index, int line,
                              const Ctx& c) {
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

std::string Analyzer::IndexArg(const Expr* call, const Ctx& c) {
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

// RequestItems: one table per key.
void Analyzer::EmitRequestItems(const std::string& operation, const Expr* call,
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

void Analyzer::EmitTransactWrite(const Expr* call, const Ctx& c) {
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

void Analyzer::EmitTransactGet(const Expr* call, const Ctx& c) {
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

void Analyzer::EmitPartiql(const std::string& operation, const Expr* statement,
                           int line, const Ctx& c) {
  std::vector<Value> vs = Eval(statement, c);
  bool any = false;
  for (const Value& v : vs) {
    if (v.kind != Value::Kind::kStr || v.str.origin != Str::Origin::kLiteral)
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
    for (const char* a :
         {"PartiQLSelect", "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete"}) {
      Emit(operation, a, UnresolvedStr(""), "", line, true,
           "PartiQL statement is not a constant");
    }
  }
}

void Analyzer::EmitClientOp(const std::string& method, const Expr* call,
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
Str Analyzer::ArnTable(const Expr* e, const Ctx& c) {
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

void Analyzer::EmitStreamsOp(const std::string& method, const Expr* call,
                             const Ctx& c) {
  std::string op;
  if (method == "describe_stream") op = "DescribeStream";
  if (method == "get_records") op = "GetRecords";
  if (method == "get_shard_iterator") op = "GetShardIterator";
  if (method == "list_streams") op = "ListStreams";
  if (op.empty()) return;
  if (op == "ListStreams") {
    EmitWithTables(op, op, ArgIn(call, 99, "TableName", c), "", OpLine(call),
                   c);
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

Str Analyzer::StreamTable(const Expr* e, const Ctx& c) {
  if (e == nullptr) return UnresolvedStr("no StreamArn argument");
  Str s = ArnTable(e, c);
  if (s.origin == Str::Origin::kUnresolved)
    s.note = "StreamArn is not resolvable";
  return s;
}

std::string Analyzer::PaginatorOp(const std::string& name) {
  return DynamoDbOperationForMethod(name);
}

void Analyzer::EmitModelOp(const std::string& operation, const Value& r,
                           int line, const std::string& index, const Ctx& c) {
  for (const Str& table : ModelTables(r.scope, c)) {
    Emit(operation, operation, table, index, line, false, "");
  }
}

// Emits the operations of calling `method` on `r`.
namespace {

// The operations of a boto3 Table's methods.
const std::map<std::string, std::string>& TableMethodOps() {
  static const std::map<std::string, std::string>* const kOps =
      new std::map<std::string, std::string>{
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
  return *kOps;
}

// The operations of a PynamoDB model's class methods.
const std::map<std::string, std::string>& ModelClassMethodOps() {
  static const std::map<std::string, std::string>* const kOps =
      new std::map<std::string, std::string>{
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
  return *kOps;
}

// The operations of a PynamoDB item's own methods.
const std::map<std::string, std::string>& ModelInstanceMethodOps() {
  static const std::map<std::string, std::string>* const kOps =
      new std::map<std::string, std::string>{{"save", "PutItem"},
                                             {"update", "UpdateItem"},
                                             {"delete", "DeleteItem"},
                                             {"refresh", "GetItem"}};
  return *kOps;
}

}  // namespace

bool Analyzer::MayEmit(const std::string& method) {
  // The names EmitMethod compares with, beside the tables above and the
  // client's operations.
  static const absl::flat_hash_set<std::string>* const kOther =
      new absl::flat_hash_set<std::string>{
          // resources
          "batch_get_item", "batch_write_item", "create_table",
          // resource.tables
          "all", "filter", "limit", "page_size",
          // paginators, waiters
          "paginate", "wait",
          // models and indexes
          "count",
          // transactions
          "save", "update", "delete", "condition_check", "get",
          // streams clients
          "describe_stream", "get_records", "get_shard_iterator",
          "list_streams"};
  return kOther->contains(method) || TableMethodOps().count(method) > 0 ||
         ModelClassMethodOps().count(method) > 0 ||
         ModelInstanceMethodOps().count(method) > 0 ||
         !DynamoDbOperationForMethod(method).empty();
}

void Analyzer::EmitMethod(const Value& r, const std::string& method,
                          const Expr* call, const Ctx& c) {
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
      const auto& ops = TableMethodOps();
      auto it = ops.find(method);
      if (it == ops.end()) return;
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
      const auto& ops = ModelClassMethodOps();
      if (method == "count") {
        bool has_key = call->children().size() > 1;
        for (const Keyword& k : call->keywords()) {
          if (k.name == "hash_key" && !(k.value->kind == Expr::Kind::kConst &&
                                        k.value->name() == "None"))
            has_key = true;
        }
        EmitModelOp(has_key ? "Query" : "DescribeTable", r, line, "", c);
        return;
      }
      auto it = ops.find(method);
      if (it != ops.end()) EmitModelOp(it->second, r, line, "", c);
      // Model.create_table() asks whether the table exists first.
      if (method == "create_table") {
        EmitModelOp("DescribeTable", r, line, "", c);
      }
      return;
    }
    case Value::Kind::kModelInstance: {
      const auto& ops = ModelInstanceMethodOps();
      auto it = ops.find(method);
      if (it != ops.end()) {
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
void Analyzer::EmitOnUnresolvedReceiver(const std::string& method,
                                        const Expr* call, const Ctx& c) {
  std::string op = DynamoDbOperationForMethod(method);
  if (method == "batch_writer") op = "BatchWriteItem";
  if (op.empty() ||
      (method != "batch_writer" && !HasDynamoDbArguments(call, c))) {
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
    ops_->MarkUncertain(i);
  }
}

// Whether `receiver` is a name bound by `with X.batch_writer() as NAME`:
// its writes are the batch writer's BatchWriteItem.
bool Analyzer::IsBatchWriterItem(const Expr* receiver, Scope* s) {
  if (receiver->kind != Expr::Kind::kName) return false;
  Scope* b = BindingScope(receiver->name(), s);
  if (b == nullptr) return false;
  for (const Binding& bind : b->names[receiver->name()]) {
    if (bind.kind == Binding::Kind::kWith && bind.value != nullptr &&
        bind.value->kind == Expr::Kind::kCall &&
        bind.value->children()[0]->kind == Expr::Kind::kAttribute &&
        (bind.value->children()[0]->name() == "batch_writer" ||
         bind.value->children()[0]->name() == "batch_write")) {
      return true;
    }
  }
  return false;
}

bool Analyzer::HasDynamoDbArguments(const Expr* call, const Ctx& c) {
  static const std::set<std::string> kNames = {"TableName",
                                               "Key",
                                               "Item",
                                               "KeyConditionExpression",
                                               "FilterExpression",
                                               "UpdateExpression",
                                               "ConditionExpression",
                                               "IndexName",
                                               "ProjectionExpression",
                                               "ExpressionAttributeValues",
                                               "ExpressionAttributeNames",
                                               "ExclusiveStartKey",
                                               "RequestItems",
                                               "TransactItems",
                                               "Statement",
                                               "Statements",
                                               "TransactStatements",
                                               "KeySchema",
                                               "AttributeDefinitions",
                                               "ReturnValues",
                                               "ConsistentRead",
                                               "Select",
                                               "ReturnConsumedCapacity"};
  for (const Keyword& k : call->keywords()) {
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
bool Analyzer::IsLazyTableAttribute(const std::string& name) {
  static const std::set<std::string> kAttrs = {"item_count",
                                               "table_status",
                                               "key_schema",
                                               "attribute_definitions",
                                               "creation_date_time",
                                               "table_size_bytes",
                                               "table_arn",
                                               "table_id",
                                               "provisioned_throughput",
                                               "global_secondary_indexes",
                                               "local_secondary_indexes",
                                               "stream_specification",
                                               "latest_stream_arn",
                                               "latest_stream_label",
                                               "billing_mode_summary",
                                               "restore_summary",
                                               "sse_description",
                                               "archival_summary",
                                               "replicas",
                                               "table_class_summary",
                                               "deletion_protection_enabled"};
  return kAttrs.count(name) > 0;
}

}  // namespace leastpriv::pyscan
