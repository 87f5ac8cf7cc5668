// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Renderers of a ReviewResult: JSON for bots, SARIF 2.1.0 for code
// scanning, markdown for one summary comment.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "leastpriv/review.h"
#include "lib/json/json.h"
#include "lib/report/markdown_budget.h"
#include "lib/report/witness_json.h"
#include "lib/sarif/sarif.h"

namespace leastpriv {
namespace {

using json::Value;

Value Str(std::string s) { return Value::String(std::move(s)); }

Value ChangeValue(const RoleAccessChange& c) {
  std::vector<Value> statements;
  for (const StatementRef& s : c.statements) {
    statements.push_back(Value::Object({
        {"file", Str(s.pos.file)},
        {"line", Value::Number(s.pos.line)},
        {"sid", s.sid.has_value() ? Str(*s.sid) : Value::Null()},
        {"policy", Str(std::string(PolicyKindName(s.policy_kind)))},
    }));
  }
  return Value::Object({
      {"role", Str(c.role)},
      {"action", Str(c.action)},
      {"answer", Str(std::string(AnswerName(c.answer)))},
      {"witness", c.witness.has_value() ? witness_json::RequestJson(*c.witness)
                                        : Value::Null()},
      {"statements", Value::Array(std::move(statements))},
      {"reason", Str(c.reason)},
  });
}

// "orders/dynamo.py:16" for each place in the code.
Value EvidenceArray(const std::vector<SourcePos>& v) {
  std::vector<Value> items;
  for (const SourcePos& e : v) items.push_back(Str(FormatPos(e)));
  return Value::Array(std::move(items));
}

std::string Cell(const std::string& s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}});
}

}  // namespace

std::string ReviewJson(const ReviewResult& result) {
  std::vector<Value> comments, new_access, removed_access, missing, excess;
  for (const ReviewComment& c : result.comments) {
    comments.push_back(Value::Object({
        {"file", Str(c.file)},
        {"line", Value::Number(c.line)},
        {"severity", Str(std::string(SarifLevel(c.severity)))},
        {"kind", Str(c.kind)},
        {"title", Str(c.title)},
        {"body", Str(c.body)},
        {"fingerprint", Str(c.fingerprint)},
    }));
  }
  for (const RoleAccessChange& c : result.new_access) {
    new_access.push_back(ChangeValue(c));
  }
  for (const RoleAccessChange& c : result.removed_access) {
    removed_access.push_back(ChangeValue(c));
  }
  for (const RoleMissing& m : result.newly_missing) {
    missing.push_back(Value::Object({
        {"role", Str(m.role)},
        {"action", Str(m.missing.action)},
        {"table", Str(m.missing.table)},
        {"index",
         m.missing.index.has_value() ? Str(*m.missing.index) : Value::Null()},
        {"resource", Str(m.missing.resource)},
        {"evidence", EvidenceArray(m.missing.evidence)},
        {"cause", Str(m.missing.cause)},
    }));
  }
  for (const RoleExcess& e : result.newly_excess) {
    excess.push_back(Value::Object({
        {"role", Str(e.role)},
        {"action", Str(e.excess.action)},
        {"resource", Str(e.excess.resource)},
        {"risk", Str(std::string(RiskName(e.excess.risk)))},
        {"statement",
         Value::Object({{"file", Str(e.excess.statement.file)},
                        {"line", Value::Number(e.excess.statement.line)},
                        {"sid", Str(e.excess.statement.sid)}})},
    }));
  }
  int errors = 0, warnings = 0, notes = 0;
  for (const ReviewComment& c : result.comments) {
    (c.severity == Severity::kError     ? errors
     : c.severity == Severity::kWarning ? warnings
                                        : notes)++;
  }
  Value summary = Value::Object({
      {"verdict", Str(result.verdict)},
      {"comments", Value::Number(static_cast<double>(result.comments.size()))},
      {"errors", Value::Number(errors)},
      {"warnings", Value::Number(warnings)},
      {"notes", Value::Number(notes)},
      {"new_access",
       Value::Number(static_cast<double>(result.new_access.size()))},
      {"removed_access",
       Value::Number(static_cast<double>(result.removed_access.size()))},
      {"newly_missing",
       Value::Number(static_cast<double>(result.newly_missing.size()))},
      {"newly_excess",
       Value::Number(static_cast<double>(result.newly_excess.size()))},
      {"findings_added", Value::Number(result.findings_added)},
      {"findings_removed", Value::Number(result.findings_removed)},
      {"unknown", Value::Number(result.unknown_questions)},
  });
  return json::Serialize(Value::Object({
             {"schema_version", Value::Number(1)},
             {"summary", std::move(summary)},
             {"comments", Value::Array(std::move(comments))},
             {"new_access", Value::Array(std::move(new_access))},
             {"removed_access", Value::Array(std::move(removed_access))},
             {"newly_missing", Value::Array(std::move(missing))},
             {"newly_excess", Value::Array(std::move(excess))},
         })) +
         "\n";
}

std::string ReviewSarif(const ReviewResult& result) {
  // One rule per comment kind; results point at the head file and line.
  sarif::Log log;
  log.Rule("finding", "A security finding appeared in the head",
           Severity::kWarning);
  log.Rule("new-access",
           "The head policies grant DynamoDB access the base did not",
           Severity::kWarning);
  log.Rule("newly-excess", "A permission is no longer used by the code",
           Severity::kSuggestion);
  log.Rule("newly-missing",
           "The head code performs an operation its policies deny",
           Severity::kError);
  for (const ReviewComment& c : result.comments) {
    sarif::Result x;
    x.rule_id = c.kind;
    x.level = c.severity;
    x.message = c.title + "\n\n" + c.body;
    x.locations.push_back({c.file, c.line, 0});
    x.fingerprint = c.fingerprint;
    log.Add(std::move(x));
  }
  return log.Serialize();
}

std::string ReviewMarkdown(const ReviewResult& result) {
  report::MarkdownBudget out(report::kMarkdownLimit,
                             "`leastpriv review --format json`");
  out.Always("## leastpriv review\n\n");
  if (result.comments.empty() && result.verdict == "clean") {
    out.Always(
        "No new DynamoDB access, no newly missing permission and no new "
        "finding.\n");
  } else if (result.verdict == "unknown") {
    out.Always(
        "**The solver could not decide every question**: treat the "
        "undecided changes as new access until reviewed.\n");
  }
  out.Always(absl::StrCat(
      "\n| | count |\n| --- | --- |\n", "| new access | ",
      result.new_access.size(), " |\n", "| removed access | ",
      result.removed_access.size(), " |\n", "| newly missing | ",
      result.newly_missing.size(), " |\n", "| newly excess | ",
      result.newly_excess.size(), " |\n", "| findings added / removed | ",
      result.findings_added, " / ", result.findings_removed, " |\n"));
  if (!result.newly_excess.empty()) {
    // Per role, grouped as the check groups excess.
    std::map<std::string, CheckReport> by_role;
    for (const RoleExcess& e : result.newly_excess) {
      by_role[e.role].excess.push_back(e.excess);
    }
    out.Section(
        absl::StrCat("\n### Newly excess, by granting statement and risk\n\n",
                     result.newly_excess.size(), " (action, resource) pair",
                     result.newly_excess.size() == 1 ? "" : "s",
                     " the head grants and its code does not use; "
                     "`--format json` for every pair.\n\n"
                     "| role | granted by | risk | actions | resources | "
                     "pairs |\n| --- | --- | --- | --- | --- | --- |\n"),
        "newly excess groups");
    for (const auto& [role, report] : by_role) {
      for (const ExcessGroup& g : GroupExcess(report)) {
        std::vector<std::string> actions;
        for (const std::string& a : g.actions) {
          actions.push_back(absl::StrCat(
              "`", absl::StartsWith(a, "dynamodb:") ? a.substr(9) : a, "`"));
        }
        std::string where =
            absl::StrCat(g.statement.file, ":", g.statement.line);
        if (!g.statement.sid.empty()) {
          absl::StrAppend(&where, " (", g.statement.sid, ")");
        }
        out.Row(absl::StrCat("| `", Cell(role), "` | `", Cell(where), "` | ",
                             std::string(RiskName(g.risk)), " | ",
                             Cell(absl::StrJoin(actions, ", ")), " | ",
                             Cell(g.resources), " | ", g.pairs, " |\n"));
      }
    }
  }
  out.Section("\n### Comments\n\n", "comments");
  for (const ReviewComment& c : result.comments) {
    // Newly excess permissions are in the table above.
    if (c.kind == "newly-excess") continue;
    out.Row(absl::StrCat("- **", std::string(SarifLevel(c.severity)), "** `",
                         c.file, ":", c.line, "`: ", c.title, "\n"));
  }
  return std::move(out).Finish();
}

}  // namespace leastpriv
