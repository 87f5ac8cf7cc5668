// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The replay report as text, JSON, SARIF 2.1.0 and Markdown.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "leastpriv/policy.h"
#include "leastpriv/replay.h"
#include "lib/json/json.h"
#include "lib/sarif/sarif.h"

namespace leastpriv {
namespace {

using json::Value;

std::string Plural(std::uint64_t n, const char* one, const char* many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string Summary(const ReplayReport& r) {
  std::string tail = absl::StrCat(" (", Plural(r.records, "record", "records"),
                                  ", ", r.dynamodb_records, " DynamoDB, ",
                                  r.unmapped_records, " not mapped");
  if (r.other_principal_requests > 0) {
    absl::StrAppend(&tail, ", ", r.other_principal_requests,
                    " requests of other principals skipped");
  }
  tail += ")";
  if (r.denied == 0) {
    return absl::StrCat(
        "OK: none of ",
        Plural(r.requests, "recorded request", "recorded requests"),
        " would be denied", tail);
  }
  return absl::StrCat(
      "FAIL: ", r.denied, " of ",
      Plural(r.requests, "recorded request", "recorded requests"),
      " would be denied, in ", Plural(r.denials.size(), "group", "groups"),
      tail);
}

std::string Position(const RecordPosition& p) {
  return absl::StrCat(p.file, ":", p.line, ":", p.column);
}

std::string StatementText(const StatementRef& s) {
  return absl::StrCat(std::string(PolicyKindName(s.policy_kind)), " ",
                      s.policy_name, " statement ",
                      s.sid.has_value() ? absl::StrCat("\"", *s.sid, "\"")
                                        : absl::StrCat("#", s.index),
                      " at ", FormatPos(s.pos));
}

std::string CauseText(const DenialCause& c) {
  if (c.kind == DecisionKind::kExplicitlyDenied) {
    std::string out = "explicitly denied by ";
    for (std::size_t i = 0; i < c.statements.size(); ++i) {
      absl::StrAppend(&out, i > 0 ? " and " : "",
                      StatementText(c.statements[i]));
    }
    return out;
  }
  return absl::StrCat("implicitly denied: ", c.reason);
}

Value PositionJson(const RecordPosition& p) {
  return Value::Object({{"file", Value::String(p.file)},
                        {"line", Value::Number(p.line)},
                        {"column", Value::Number(p.column)}});
}

Value Count(std::uint64_t n) { return Value::NumberText(std::to_string(n)); }

Value CauseJson(const DenialCause& c) {
  std::vector<Value> statements;
  for (const StatementRef& s : c.statements) {
    statements.push_back(Value::Object({
        {"policy", Value::String(s.policy_name)},
        {"kind", Value::String(std::string(PolicyKindName(s.policy_kind)))},
        {"sid", s.sid.has_value() ? Value::String(*s.sid) : Value::Null()},
        {"file", Value::String(s.pos.file)},
        {"line", Value::Number(s.pos.line)},
        {"column", Value::Number(s.pos.column)},
    }));
  }
  return Value::Object({
      {"decision", Value::String(std::string(DecisionKindName(c.kind)))},
      {"count", Count(c.count)},
      {"reason", Value::String(c.reason)},
      {"statements", Value::Array(std::move(statements))},
  });
}

}  // namespace

std::string RenderReplayText(const ReplayReport& r) {
  std::string out = Summary(r) + "\n";
  for (const DenialGroup& g : r.denials) {
    absl::StrAppend(&out, "\ndenied: ", g.action, " on ", g.resource, " by ",
                    g.principal, "\n  ",
                    Plural(g.count, "request", "requests"));
    if (!g.first_time.empty()) {
      absl::StrAppend(&out, ", first ", g.first_time, ", last ", g.last_time);
    }
    absl::StrAppend(&out, "; first record at ", Position(g.first_record), "\n");
    for (const DenialCause& c : g.causes) {
      absl::StrAppend(&out, "  ", c.count, " ", CauseText(c), "\n");
    }
  }
  if (!r.unmapped.empty()) {
    absl::StrAppend(&out, "\nnot mapped: ",
                    Plural(r.unmapped_records, "record", "records"), "\n");
    for (const UnmappedGroup& u : r.unmapped) {
      absl::StrAppend(
          &out, "  ", u.event_name.empty() ? "(no eventName)" : u.event_name,
          ": ", u.reason, " (", Plural(u.count, "record", "records"),
          ", first at ", Position(u.first_record), ")\n");
    }
  }
  return out;
}

std::string RenderReplayJson(const ReplayReport& r) {
  std::vector<Value> inputs, denials, unmapped, operations;
  for (const std::string& f : r.inputs) inputs.push_back(Value::String(f));
  for (const DenialGroup& g : r.denials) {
    std::vector<Value> causes;
    for (const DenialCause& c : g.causes) causes.push_back(CauseJson(c));
    denials.push_back(Value::Object({
        {"action", Value::String(g.action)},
        {"resource", Value::String(g.resource)},
        {"principal", Value::String(g.principal)},
        {"count", Count(g.count)},
        {"first_time", Value::String(g.first_time)},
        {"last_time", Value::String(g.last_time)},
        {"first_record", PositionJson(g.first_record)},
        {"causes", Value::Array(std::move(causes))},
    }));
  }
  for (const UnmappedGroup& u : r.unmapped) {
    unmapped.push_back(Value::Object({
        {"event_name", Value::String(u.event_name)},
        {"reason", Value::String(u.reason)},
        {"count", Count(u.count)},
        {"first_record", PositionJson(u.first_record)},
    }));
  }
  for (const RecordedOperation& op : r.operations) {
    operations.push_back(Value::Object({
        {"action", Value::String(op.action)},
        {"resource", Value::String(op.resource)},
        {"count", Count(op.count)},
        {"denied", Count(op.denied)},
        {"first_time", Value::String(op.first_time)},
        {"last_time", Value::String(op.last_time)},
    }));
  }
  return json::Serialize(
             Value::Object({
                 {"schema_version", Value::Number(kReplaySchemaVersion)},
                 {"summary", Value::String(Summary(r))},
                 {"failed", Value::Bool(r.denied > 0)},
                 {"records", Count(r.records)},
                 {"dynamodb_records", Count(r.dynamodb_records)},
                 {"requests", Count(r.requests)},
                 {"allowed", Count(r.allowed)},
                 {"denied", Count(r.denied)},
                 {"unmapped_records", Count(r.unmapped_records)},
                 {"other_principal_requests",
                  Count(r.other_principal_requests)},
                 {"inputs", Value::Array(std::move(inputs))},
                 {"denials", Value::Array(std::move(denials))},
                 {"unmapped", Value::Array(std::move(unmapped))},
                 {"operations", Value::Array(std::move(operations))},
             }),
             2) +
         "\n";
}

std::string RenderReplaySarif(const ReplayReport& r) {
  sarif::Log log;
  log.Rule("denied-request", "A recorded request the policies would deny",
           Severity::kError);
  log.Rule("unmapped-record", "A DynamoDB record that maps to no IAM request",
           Severity::kSuggestion);
  for (const DenialGroup& g : r.denials) {
    const DenialCause* top = g.causes.empty() ? nullptr : &g.causes.front();
    sarif::Result x;
    x.rule_id = "denied-request";
    x.level = Severity::kError;
    x.message = absl::StrCat(
        g.action, " on ", g.resource, " by ", g.principal, ": ",
        Plural(g.count, "recorded request", "recorded requests"),
        " would be denied (", top != nullptr ? CauseText(*top) : "", ")");
    const sarif::Location record{g.first_record.file, g.first_record.line,
                                 g.first_record.column};
    if (top != nullptr && !top->statements.empty()) {
      const SourcePos& p = top->statements.front().pos;
      x.locations.push_back({p.file, p.line, p.column});
      x.related.push_back(record);
    } else {
      x.locations.push_back(record);
    }
    log.Add(std::move(x));
  }
  for (const UnmappedGroup& u : r.unmapped) {
    log.Add(
        {"unmapped-record",
         Severity::kSuggestion,
         absl::StrCat(u.event_name, ": ", u.reason, " (",
                      Plural(u.count, "record", "records"), ")"),
         {{u.first_record.file, u.first_record.line, u.first_record.column}},
         {},
         {},
         ""});
  }
  return log.Serialize();
}

namespace {

// Markdown table cells: pipes and newlines would break the row.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string RenderReplayMarkdown(const ReplayReport& r) {
  std::string out = absl::StrCat(
      "## leastpriv replay: ",
      r.denied > 0 ? "recorded requests would be denied" : "nothing denied",
      "\n\n", Summary(r), "\n");
  if (!r.denials.empty()) {
    absl::StrAppend(&out,
                    "\n| action | resource | principal | requests | first | "
                    "last | denied by |\n| --- | --- | --- | ---: | --- | --- "
                    "| --- |\n");
    for (const DenialGroup& g : r.denials) {
      std::string causes;
      for (const DenialCause& c : g.causes) {
        absl::StrAppend(&causes, causes.empty() ? "" : "; ", c.count, " ",
                        CauseText(c));
      }
      absl::StrAppend(&out, "| `", Cell(g.action), "` | `", Cell(g.resource),
                      "` | `", Cell(g.principal), "` | ", g.count, " | ",
                      Cell(g.first_time), " | ", Cell(g.last_time), " | ",
                      Cell(causes), " |\n");
    }
  }
  if (!r.unmapped.empty()) {
    absl::StrAppend(&out, "\n<details><summary>",
                    Plural(r.unmapped_records, "record", "records"),
                    " not mapped</summary>\n\n| event | reason | records | "
                    "first |\n| --- | --- | ---: | --- |\n");
    for (const UnmappedGroup& u : r.unmapped) {
      absl::StrAppend(&out, "| ", Cell(u.event_name), " | ", Cell(u.reason),
                      " | ", u.count, " | `", Cell(Position(u.first_record)),
                      "` |\n");
    }
    absl::StrAppend(&out, "\n</details>\n");
  }
  return out;
}

}  // namespace leastpriv
