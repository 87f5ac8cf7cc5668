// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The four renderings of a CheckReport.

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "leastpriv/report.h"
#include "lib/json/json.h"
#include "lib/report/markdown_budget.h"
#include "lib/report/policy_json.h"
#include "lib/report/witness_json.h"
#include "lib/sarif/sarif.h"

namespace leastpriv {
namespace {

using json::Value;

constexpr Risk kRisks[] = {Risk::kDestructive, Risk::kDataExposure,
                           Risk::kWrite, Risk::kRead};

std::string Code(const RenderOptions& o, const std::string& path) {
  return o.code_prefix + path;
}

// "orders/dynamo.py:16" under the code prefix.
std::string Code(const RenderOptions& o, const SourcePos& evidence) {
  return o.code_prefix + FormatPos(evidence);
}

// "not isolated", "isolated" or "undecided".
std::string IsolationWord(Answer a) {
  return a == Answer::kYes  ? "isolated"
         : a == Answer::kNo ? "not isolated"
                            : "undecided";
}

// "dynamodb:Scan on ARN by PRINCIPAL key=value key=[a,b]".
std::string RequestLine(const Request& r) {
  std::string out =
      absl::StrCat(r.action, " on ", r.resource, " by ", r.principal);
  for (const auto& [key, value] : r.context) {
    absl::StrAppend(&out, " ", key, "=", value.multi_valued ? "[" : "",
                    absl::StrJoin(value.values, ","),
                    value.multi_valued ? "]" : "");
  }
  return out;
}

std::string Where(const StatementLocation& s) {
  if (s.file.empty()) return "";
  std::string w = absl::StrCat(s.file, ":", s.line);
  if (!s.sid.empty()) absl::StrAppend(&w, " (", s.sid, ")");
  return w;
}

bool SameStatement(const StatementLocation& a, const StatementLocation& b) {
  return a.file == b.file && a.line == b.line && a.column == b.column &&
         a.sid == b.sid && a.policy == b.policy;
}

// "role.json:4 (OrdersReadWrite)", with the kind of policy when it is not
// an identity policy; "no statement" when none is known.
std::string StatementName(const StatementLocation& s) {
  if (s.file.empty()) return "no statement named";
  std::string w = Where(s);
  if (!s.policy.empty() && s.policy != "identity") {
    absl::StrAppend(&w, ", ", s.policy, " policy");
  }
  return w;
}

std::string Pairs(int n) {
  return absl::StrCat(n, n == 1 ? " pair" : " pairs");
}

// "DeleteTable, Scan": every excess action is a DynamoDB action, so the
// "dynamodb:" prefix says nothing.
std::string ActionList(const std::vector<std::string>& actions) {
  std::vector<std::string> names;
  for (const std::string& a : actions) {
    names.push_back(absl::StartsWith(a, "dynamodb:") ? a.substr(9) : a);
  }
  return absl::StrJoin(names, ", ");
}

// "16 pairs under 4 statements".
std::string ExcessCounts(const CheckReport& r) {
  std::set<std::tuple<std::string, int, int, std::string, std::string>> st;
  for (const ExcessPermission& e : r.excess) {
    st.insert({e.statement.file, e.statement.line, e.statement.column,
               e.statement.sid, e.statement.policy});
  }
  return absl::StrCat(Pairs(static_cast<int>(r.excess.size())), " under ",
                      st.size(), st.size() == 1 ? " statement" : " statements");
}

std::string FindingFile(const RenderOptions& o, const Finding& f) {
  if (f.pos.file.empty()) return "";
  return IsCodeFinding(f.code) ? Code(o, f.pos.file) : f.pos.file;
}

Value Strings(const std::vector<std::string>& v) {
  std::vector<Value> out;
  for (const std::string& s : v) out.push_back(Value::String(s));
  return Value::Array(std::move(out));
}

Value Evidence(const RenderOptions& o, const std::vector<SourcePos>& v) {
  std::vector<std::string> out;
  for (const SourcePos& e : v) out.push_back(Code(o, e));
  return Strings(out);
}

Value StatementJson(const StatementLocation& s) {
  return Value::Object({
      {"file", Value::String(s.file)},
      {"line", Value::Number(s.line)},
      {"sid", s.sid.empty() ? Value::Null() : Value::String(s.sid)},
      {"policy", Value::String(s.policy)},
  });
}

Value OptString(const std::optional<std::string>& s) {
  return s ? Value::String(*s) : Value::Null();
}

std::map<Risk, int> CountByRisk(const CheckReport& r) {
  std::map<Risk, int> n;
  for (const ExcessPermission& e : r.excess) ++n[e.risk];
  return n;
}

std::string Summary(const CheckReport& r, const RenderOptions& o) {
  std::string s = absl::StrCat(CheckFails(r, o.fail_on) ? "FAIL" : "OK", ": ",
                               r.used.size(), " used, ", r.missing.size(),
                               " missing, ", r.excess.size(), " excess");
  std::map<Risk, int> n = CountByRisk(r);
  std::vector<std::string> parts;
  for (Risk k : kRisks) {
    if (n[k] > 0)
      parts.push_back(absl::StrCat(n[k], " ", std::string(RiskName(k))));
  }
  if (!parts.empty())
    absl::StrAppend(&s, " (", absl::StrJoin(parts, ", "), ")");
  absl::StrAppend(&s, ", ", r.conditional.size(), " conditional, ",
                  r.findings.size(), " finding",
                  r.findings.size() == 1 ? "" : "s", "; suggested policy ",
                  r.verified ? "verified" : "NOT verified");
  if (!r.unknown.empty()) {
    absl::StrAppend(&s, "; ", r.unknown.size(), " undecided");
  }
  return s;
}

std::string RuleOfExcess(const ExcessPermission& e) {
  return absl::StrCat("excess-", std::string(RiskName(e.risk)));
}

// The members of the JSON report, in order.
std::vector<Value::Member> ReportMembers(const CheckReport& r,
                                         const RenderOptions& o) {
  std::vector<Value> used, missing, excess, conditional, findings;
  for (const UsedOperation& u : r.used) {
    used.push_back(Value::Object({
        {"action", Value::String(u.action)},
        {"table", Value::String(u.table)},
        {"index", OptString(u.index)},
        {"resource", Value::String(u.resource)},
        {"evidence", Evidence(o, u.evidence)},
        {"binding",
         u.binding.empty() ? Value::Null() : Value::String(u.binding)},
        {"allowed", Value::String(std::string(AnswerName(u.allowed)))},
        {"conditional", Value::Bool(u.conditional)},
        {"seen", Value::String(!u.in_code           ? "logs"
                               : u.log_requests > 0 ? "both"
                                                    : "code")},
        {"log_requests", Value::NumberText(std::to_string(u.log_requests))},
    }));
  }
  for (const MissingOperation& m : r.missing) {
    std::vector<Value> st;
    for (const StatementLocation& s : m.statements)
      st.push_back(StatementJson(s));
    missing.push_back(Value::Object({
        {"action", Value::String(m.action)},
        {"table", Value::String(m.table)},
        {"index", OptString(m.index)},
        {"resource", Value::String(m.resource)},
        {"evidence", Evidence(o, m.evidence)},
        {"cause", Value::String(m.cause)},
        {"statements", Value::Array(std::move(st))},
    }));
  }
  for (const ExcessPermission& e : r.excess) {
    excess.push_back(Value::Object({
        {"action", Value::String(e.action)},
        {"resource", Value::String(e.resource)},
        {"risk", Value::String(std::string(RiskName(e.risk)))},
        {"untouched_table", Value::Bool(e.untouched_table)},
        {"example", Value::String(e.example_resource)},
        {"statement", StatementJson(e.statement)},
    }));
  }
  for (const ConditionalAccess& c : r.conditional) {
    conditional.push_back(Value::Object({
        {"action", Value::String(c.action)},
        {"resource", Value::String(c.resource)},
        {"only_if", Value::String(c.only_if)},
        {"evidence", Evidence(o, c.evidence)},
    }));
  }
  for (const Finding& f : r.findings) {
    findings.push_back(Value::Object({
        {"id", Value::String(std::string(FindingId(f.code)))},
        {"severity", Value::String(std::string(SeverityWord(f.severity)))},
        {"message", Value::String(f.message)},
        {"file", Value::String(FindingFile(o, f))},
        {"line", Value::Number(f.pos.line)},
    }));
  }
  std::vector<Value> groups;
  for (const ExcessGroup& g : GroupExcess(r)) {
    groups.push_back(Value::Object({
        {"statement", StatementJson(g.statement)},
        {"risk", Value::String(std::string(RiskName(g.risk)))},
        {"actions", Strings(g.actions)},
        {"resources", Value::String(g.resources)},
        {"pairs", Value::Number(g.pairs)},
    }));
  }

  std::vector<Value::Member> members = {
      {"schema_version", Value::Number(kCheckSchemaVersion)},
      {"summary", Value::String(Summary(r, o))},
      {"failed", Value::Bool(CheckFails(r, o.fail_on))},
      {"account", Value::String(r.account)},
      {"region", Value::String(r.region)},
      {"principal", Value::String(r.principal)},
      {"used", Value::Array(std::move(used))},
      {"missing", Value::Array(std::move(missing))},
      {"excess", Value::Array(std::move(excess))},
      {"excess_groups", Value::Array(std::move(groups))},
      {"conditional", Value::Array(std::move(conditional))},
      {"findings", Value::Array(std::move(findings))},
      {"suggested_policy",
       r.suggested.version.empty()
           ? Value::Null()
           : report_internal::PolicyDocumentJson(r.suggested)},
      {"verified", Value::Bool(r.verified)},
      {"verification", Value::String(r.verification)},
      {"unknown", Strings(r.unknown)},
  };
  if (!r.tenant_isolation.empty()) {
    std::vector<Value> isolation;
    for (const TableIsolation& t : r.tenant_isolation) {
      std::vector<Value::Member> m = {
          {"table", Value::String(t.answer.table)},
          {"isolated",
           Value::String(std::string(AnswerName(t.answer.isolated)))},
          {"tenant_key", Value::String(t.answer.tenant_key)},
          {"witness", t.answer.witness
                          ? witness_json::RequestJson(*t.answer.witness)
                          : Value::Null()},
          {"reason", Value::String(t.answer.reason)},
      };
      if (!t.statement.file.empty())
        m.emplace_back("statement", StatementJson(t.statement));
      isolation.push_back(Value::Object(std::move(m)));
    }
    members.emplace_back("tenant_isolation",
                         Value::Array(std::move(isolation)));
  }
  return members;
}

}  // namespace

std::string RenderJson(const CheckReport& r, const RenderOptions& o) {
  return json::Serialize(Value::Object(ReportMembers(r, o)), 2) + "\n";
}

std::string RenderText(const CheckReport& r, const RenderOptions& o) {
  auto paint = [&](const char* code, const std::string& s) {
    return o.color ? absl::StrCat("\033[", code, "m", s, "\033[0m") : s;
  };
  std::ostringstream out;
  out << paint(CheckFails(r, o.fail_on) ? "1;31" : "1;32", Summary(r, o))
      << "\n";
  out << "account " << r.account << ", region " << r.region << ", principal "
      << r.principal << "\n";
  if (!r.missing.empty()) {
    out << "\n"
        << paint("1;31", "missing") << " (the code does this; the "
        << "policies deny it):\n";
    for (const MissingOperation& m : r.missing) {
      out << "  " << m.action << " on " << m.resource << "\n";
      if (m.evidence.empty()) {
        out << "    seen in CloudTrail records";
      } else {
        out << "    used at " << Code(o, m.evidence.front());
      }
      for (size_t i = 1; i < m.evidence.size(); ++i) {
        out << ", " << Code(o, m.evidence[i]);
      }
      out << "\n    cause: " << m.cause << "\n";
    }
  }
  if (!r.excess.empty()) {
    out << "\n"
        << paint("1;33", "excess")
        << " (allowed, never used): " << ExcessCounts(r)
        << "; `--format json` for every pair:\n";
    const std::vector<ExcessGroup> groups = GroupExcess(r);
    const StatementLocation* current = nullptr;
    for (size_t i = 0; i < groups.size(); ++i) {
      const ExcessGroup& g = groups[i];
      if (current == nullptr || !SameStatement(*current, g.statement)) {
        current = &g.statement;
        int pairs = 0;
        for (size_t j = i; j < groups.size() &&
                           SameStatement(groups[j].statement, g.statement);
             ++j) {
          pairs += groups[j].pairs;
        }
        out << "  " << StatementName(g.statement) << ": " << Pairs(pairs)
            << "\n";
      }
      std::string risk(RiskName(g.risk));
      risk.resize(std::max<size_t>(risk.size(), 13), ' ');
      std::string line =
          absl::StrCat(ActionList(g.actions), " on ", g.resources);
      if (g.pairs > 1) absl::StrAppend(&line, "  (", Pairs(g.pairs), ")");
      // One line per group, however long: a terminal wraps it, and grep
      // finds a statement's actions of one risk on one line.
      out << "    " << risk << "  " << line << "\n";
    }
  }
  if (!r.conditional.empty()) {
    out << "\nconditional (allowed only in some request contexts):\n";
    for (const ConditionalAccess& c : r.conditional) {
      out << "  " << c.action << " on " << c.resource << " only if "
          << c.only_if << "\n";
    }
  }
  if (!r.findings.empty()) {
    out << "\nfindings:\n";
    for (const Finding& f : r.findings) {
      out << "  ";
      if (!f.pos.file.empty()) {
        out << FindingFile(o, f);
        if (f.pos.line > 0) out << ":" << f.pos.line;
        out << ": ";
      }
      out << SeverityWord(f.severity) << ": [" << FindingId(f.code) << "] "
          << f.message << "\n";
    }
  }
  if (!r.tenant_isolation.empty()) {
    out << "\ntenant isolation (item-level actions only on the caller's own ${"
        << r.tenant_isolation[0].answer.tenant_key << "} partition keys):\n";
    for (const TableIsolation& t : r.tenant_isolation) {
      out << "  " << t.answer.table << ": " << IsolationWord(t.answer.isolated)
          << "\n";
      if (t.answer.witness)
        out << "    witness  " << RequestLine(*t.answer.witness) << "\n";
      if (!t.statement.file.empty())
        out << "    granted by  " << Where(t.statement) << "\n";
    }
  }
  if (!r.unknown.empty()) {
    out << "\nundecided (the solver gave up; nothing is claimed about "
           "these):\n";
    for (const std::string& u : r.unknown) out << "  " << u << "\n";
  }
  out << "\nused (" << r.used.size() << "):\n";
  for (const UsedOperation& u : r.used) {
    out << "  " << u.action << " on " << u.resource << "  (";
    if (!u.evidence.empty()) {
      out << Code(o, u.evidence.front());
      if (u.evidence.size() > 1)
        out << " and " << u.evidence.size() - 1 << " more";
    }
    if (u.log_requests > 0) {
      out << (u.evidence.empty() ? "" : "; ")
          << "CloudTrail: " << u.log_requests << " request"
          << (u.log_requests == 1 ? "" : "s");
    }
    out << ")\n";
  }
  out << "\nsuggested policy (" << r.verification << "):\n"
      << r.suggested_policy << "\n";
  return out.str();
}

namespace {

// The role a SARIF result belongs to, in a batch.
struct RoleTag {
  const std::string* role = nullptr;
  const std::string* arn = nullptr;
};

// The SARIF results of check reports, added a report at a time to one log:
// rules are shared by every report added, in order of first use.
class SarifLog {
 public:
  // Adds the results of one report; `role` tags them when non-null.
  void Add(const CheckReport& r, const RenderOptions& o, const RoleTag* role) {
    for (const MissingOperation& m : r.missing) {
      log_.Rule("missing-permission",
                "The code performs a DynamoDB operation the policies deny",
                Severity::kError);
      sarif::Result x =
          Tagged("missing-permission", Severity::kError,
                 absl::StrCat(m.action, " on ", m.resource,
                              " is used here but not allowed: ", m.cause),
                 role);
      for (const SourcePos& e : m.evidence) {
        x.locations.push_back({Code(o, e.file), e.line, 0});
      }
      for (const StatementLocation& s : m.statements) {
        x.related.push_back({s.file, s.line, s.column});
      }
      log_.Add(std::move(x));
    }
    for (const ExcessPermission& e : r.excess) {
      const Severity level = e.risk == Risk::kDestructive ? Severity::kError
                             : e.risk == Risk::kRead ? Severity::kSuggestion
                                                     : Severity::kWarning;
      log_.Rule(RuleOfExcess(e),
                absl::StrCat("A ", std::string(RiskName(e.risk)),
                             " permission the code never uses"),
                level);
      sarif::Result x = Tagged(
          RuleOfExcess(e), level,
          absl::StrCat(
              e.action, " on ", e.resource, " is allowed but never used",
              e.untouched_table ? " (a table the code never touches)" : ""),
          role);
      if (!e.statement.file.empty()) {
        x.locations.push_back(
            {e.statement.file, e.statement.line, e.statement.column});
      }
      log_.Add(std::move(x));
    }
    for (const TableIsolation& t : r.tenant_isolation) {
      if (t.answer.isolated != Answer::kNo) continue;
      log_.Rule("tenant-isolation",
                "An item-level action on a multi-tenant table is not "
                "restricted to the caller's own partition keys",
                Severity::kError);
      sarif::Result x = Tagged(
          "tenant-isolation", Severity::kError,
          absl::StrCat("table ", t.answer.table, " is not isolated by ${",
                       t.answer.tenant_key,
                       "}: ", RequestLine(*t.answer.witness), " is allowed"),
          role);
      if (!t.statement.file.empty()) {
        x.locations.push_back(
            {t.statement.file, t.statement.line, t.statement.column});
      }
      log_.Add(std::move(x));
    }
    for (const Finding& f : r.findings) {
      const std::string id(FindingId(f.code));
      log_.Rule(id, absl::StrCat("Finding ", id), f.severity);
      sarif::Result x = Tagged(id, f.severity, f.message, role);
      if (!f.pos.file.empty()) {
        x.locations.push_back({FindingFile(o, f), f.pos.line, f.pos.column});
      }
      log_.Add(std::move(x));
    }
  }

  // Adds the error of a role that could not be checked, located at the
  // "file:line:col: " its message starts with, if any.
  void AddError(const absl::Status& status, const RoleTag& role) {
    log_.Rule("role-not-checked",
              "The role could not be checked: its input is unusable",
              Severity::kError);
    const std::string message(status.message());
    sarif::Result x = Tagged("role-not-checked", Severity::kError,
                             absl::StrCat("not checked: ", message), &role);
    sarif::Location at;
    if (LeadingPosition(message, &at.file, &at.line, &at.column)) {
      x.locations.push_back(std::move(at));
    }
    log_.Add(std::move(x));
  }

  std::string Serialize() const { return log_.Serialize(); }

 private:
  // A result of `rule`, its message prefixed and its properties naming the
  // role in a batch.
  static sarif::Result Tagged(const std::string& rule, Severity level,
                              const std::string& message, const RoleTag* role) {
    sarif::Result x;
    x.rule_id = rule;
    x.level = level;
    x.message = role == nullptr
                    ? message
                    : absl::StrCat("[role ", *role->role, "] ", message);
    if (role != nullptr) {
      x.properties = {
          {"role", *role->role},
          {"roleArn", role->arn->empty()
                          ? std::nullopt
                          : std::optional<std::string>(*role->arn)}};
    }
    return x;
  }

  // "file:line:col: message" -> file, line, col.
  static bool LeadingPosition(const std::string& message, std::string* file,
                              int* line, int* column) {
    for (size_t colon = message.find(':'); colon != std::string::npos;
         colon = message.find(':', colon + 1)) {
      size_t p = colon + 1, line_end = p;
      while (line_end < message.size() &&
             absl::ascii_isdigit(message[line_end]))
        ++line_end;
      if (line_end == p || line_end >= message.size() ||
          message[line_end] != ':')
        continue;
      size_t col_end = line_end + 1;
      while (col_end < message.size() && absl::ascii_isdigit(message[col_end]))
        ++col_end;
      if (col_end == line_end + 1 || message.compare(col_end, 2, ": ") != 0)
        continue;
      if (colon == 0) return false;
      *file = message.substr(0, colon);
      *line = std::atoi(message.c_str() + p);
      *column = std::atoi(message.c_str() + line_end + 1);
      return true;
    }
    return false;
  }

  sarif::Log log_;
};

}  // namespace

std::string RenderSarif(const CheckReport& r, const RenderOptions& o) {
  SarifLog log;
  log.Add(r, o, nullptr);
  return log.Serialize();
}

namespace {

std::string Cell(const std::string& s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}});
}

// "`a.py:3`, `b.py:9` and 4 more".
std::string EvidenceCell(const RenderOptions& o,
                         const std::vector<SourcePos>& evidence) {
  constexpr size_t kShown = 3;
  std::vector<std::string> ev;
  for (size_t i = 0; i < evidence.size() && i < kShown; ++i) {
    ev.push_back("`" + Cell(Code(o, evidence[i])) + "`");
  }
  std::string out = absl::StrJoin(ev, ", ");
  if (evidence.size() > kShown) {
    absl::StrAppend(&out, " and ", evidence.size() - kShown, " more");
  }
  return out.empty() ? "CloudTrail records" : out;
}

// The Markdown report under `heading` (a "### " line without its newline).
void Markdown(const CheckReport& r, const RenderOptions& o,
              const std::string& heading, report::MarkdownBudget& out) {
  auto cell = Cell;
  // In a batch, a role whose heading does not fit is left out whole.
  if (!out.Block(absl::StrCat(heading, "\n\n", Summary(r, o), "\n"),
                 "role sections")) {
    return;
  }
  out.Section(
      "\n#### Missing permissions\n\n| action | resource | used at | cause |\n"
      "| --- | --- | --- | --- |\n",
      "missing operations");
  for (const MissingOperation& m : r.missing) {
    out.Row(absl::StrCat("| `", m.action, "` | `", cell(m.resource), "` | ",
                         EvidenceCell(o, m.evidence), " | ", cell(m.cause),
                         " |\n"));
  }
  if (!r.excess.empty()) {
    out.Section(
        absl::StrCat("\n#### Excess permissions\n\n", ExcessCounts(r),
                     ", by granting statement and risk; `--format json` for "
                     "every pair.\n\n| granted by | risk | actions | "
                     "resources | pairs |\n| --- | --- | --- | --- | --- |\n"),
        "excess groups");
    for (const ExcessGroup& g : GroupExcess(r)) {
      std::vector<std::string> actions;
      for (const std::string& a : g.actions) {
        actions.push_back(absl::StrCat(
            "`", absl::StartsWith(a, "dynamodb:") ? a.substr(9) : a, "`"));
      }
      out.Row(absl::StrCat("| `", cell(StatementName(g.statement)), "` | ",
                           std::string(RiskName(g.risk)), " | ",
                           cell(absl::StrJoin(actions, ", ")), " | ",
                           cell(g.resources), " | ", g.pairs, " |\n"));
    }
  }
  out.Section("\n#### Conditional access\n\n", "conditional accesses");
  for (const ConditionalAccess& c : r.conditional) {
    out.Row(absl::StrCat("- `", c.action, "` on `", c.resource, "` only if `",
                         cell(c.only_if), "`\n"));
  }
  out.Section(
      "\n#### Findings\n\n| severity | id | where | message |\n"
      "| --- | --- | --- | --- |\n",
      "findings");
  for (const Finding& f : r.findings) {
    out.Row(absl::StrCat("| ", std::string(SeverityWord(f.severity)), " | `",
                         std::string(FindingId(f.code)), "` | `",
                         cell(FindingFile(o, f)),
                         f.pos.line > 0 ? ":" + std::to_string(f.pos.line) : "",
                         "` | ", cell(f.message), " |\n"));
  }
  if (!r.tenant_isolation.empty()) {
    out.Section(absl::StrCat("\n#### Tenant isolation (`${",
                             r.tenant_isolation[0].answer.tenant_key,
                             "}`)\n\n| table | answer | witness | granted by "
                             "|\n| --- | --- | --- | --- |\n"),
                "tenant isolation rows");
    for (const TableIsolation& t : r.tenant_isolation) {
      out.Row(absl::StrCat(
          "| `", t.answer.table, "` | ", IsolationWord(t.answer.isolated),
          " | ",
          t.answer.witness ? "`" + cell(RequestLine(*t.answer.witness)) + "`"
                           : "",
          " | ",
          t.statement.file.empty() ? "" : "`" + cell(Where(t.statement)) + "`",
          " |\n"));
    }
  }
  out.Section("\n#### Undecided\n\n", "undecided questions");
  for (const std::string& u : r.unknown) {
    out.Row(absl::StrCat("- ", cell(u), "\n"));
  }
  out.Block(absl::StrCat("\n<details><summary>Suggested least-privilege "
                         "policy (",
                         r.verification, ")</summary>\n\n```json\n",
                         r.suggested_policy, "\n```\n\n</details>\n"),
            "suggested policy (`--format json` has it)");
}

}  // namespace

std::string RenderMarkdown(const CheckReport& r, const RenderOptions& o) {
  report::MarkdownBudget out(report::kMarkdownLimit, "`--format json`");
  Markdown(r, o,
           absl::StrCat("### leastpriv check: ",
                        CheckFails(r, o.fail_on) ? "fails" : "passes"),
           out);
  return std::move(out).Finish();
}

// ---------------------------------------------------------------------------
// Batches.

namespace {

struct BatchCounts {
  int ok = 0, failed = 0, undecided = 0, not_checked = 0;
};

BatchCounts Count(const std::vector<RoleCheckResult>& results,
                  FailLevel level) {
  BatchCounts n;
  for (const RoleCheckResult& r : results) {
    switch (CheckExitStatus(r.report, level)) {
      case 0:
        ++n.ok;
        break;
      case 1:
        ++n.failed;
        break;
      case 3:
        ++n.undecided;
        break;
      default:
        ++n.not_checked;
    }
  }
  return n;
}

std::string BatchSummary(const std::vector<RoleCheckResult>& results,
                         const RenderOptions& o) {
  const int status = BatchExitStatus(results, o.fail_on);
  const BatchCounts n = Count(results, o.fail_on);
  return absl::StrCat(status == 0   ? "OK"
                      : status == 1 ? "FAIL"
                      : status == 3 ? "UNDECIDED"
                                    : "ERROR",
                      ": ", results.size(), " role",
                      results.size() == 1 ? "" : "s", ": ", n.ok, " ok, ",
                      n.failed, " failed, ", n.undecided, " undecided, ",
                      n.not_checked, " not checked");
}

}  // namespace

std::string RenderBatchText(const std::vector<RoleCheckResult>& results,
                            const RenderOptions& o) {
  auto paint = [&](const char* code, const std::string& s) {
    return o.color ? absl::StrCat("\033[", code, "m", s, "\033[0m") : s;
  };
  std::string out = absl::StrCat(
      paint(BatchExitStatus(results, o.fail_on) == 0 ? "1;32" : "1;31",
            BatchSummary(results, o)),
      "\n");
  for (const RoleCheckResult& r : results) {
    std::string heading = absl::StrCat("== role ", r.role);
    if (!r.arn.empty()) absl::StrAppend(&heading, " (", r.arn, ")");
    absl::StrAppend(&out, "\n", paint("1", heading + " =="), "\n");
    if (r.report.ok()) {
      absl::StrAppend(&out, RenderText(*r.report, o));
    } else {
      absl::StrAppend(&out, paint("1;31", "error"), ": ",
                      r.report.status().message(), "\n");
    }
  }
  return out;
}

std::string RenderBatchJson(const std::vector<RoleCheckResult>& results,
                            const RenderOptions& o) {
  std::vector<Value> roles;
  for (const RoleCheckResult& r : results) {
    std::vector<Value::Member> members = {
        {"role", Value::String(r.role)},
        {"arn", r.arn.empty() ? Value::Null() : Value::String(r.arn)},
    };
    if (r.report.ok()) {
      for (Value::Member& m : ReportMembers(*r.report, o)) {
        members.push_back(std::move(m));
      }
    } else {
      members.emplace_back(
          "error", Value::String(std::string(r.report.status().message())));
    }
    roles.push_back(Value::Object(std::move(members)));
  }
  const BatchCounts n = Count(results, o.fail_on);
  Value doc = Value::Object({
      {"schema_version", Value::Number(kCheckSchemaVersion)},
      {"summary",
       Value::Object({
           {"text", Value::String(BatchSummary(results, o))},
           {"roles", Value::Number(static_cast<double>(results.size()))},
           {"ok", Value::Number(n.ok)},
           {"failed", Value::Number(n.failed)},
           {"undecided", Value::Number(n.undecided)},
           {"not_checked", Value::Number(n.not_checked)},
           {"exit_status", Value::Number(BatchExitStatus(results, o.fail_on))},
       })},
      {"roles", Value::Array(std::move(roles))},
  });
  return json::Serialize(doc, 2) + "\n";
}

std::string RenderBatchSarif(const std::vector<RoleCheckResult>& results,
                             const RenderOptions& o) {
  SarifLog log;
  for (const RoleCheckResult& r : results) {
    const RoleTag tag{&r.role, &r.arn};
    if (r.report.ok()) {
      log.Add(*r.report, o, &tag);
    } else {
      log.AddError(r.report.status(), tag);
    }
  }
  return log.Serialize();
}

std::string RenderBatchMarkdown(const std::vector<RoleCheckResult>& results,
                                const RenderOptions& o) {
  const int status = BatchExitStatus(results, o.fail_on);
  report::MarkdownBudget out(report::kMarkdownLimit, "`--format json`");
  out.Always(absl::StrCat("## leastpriv check of ", results.size(), " role",
                          results.size() == 1 ? "" : "s", ": ",
                          status == 0   ? "passes"
                          : status == 1 ? "fails"
                          : status == 3 ? "undecided"
                                        : "not every role checked",
                          "\n\n", BatchSummary(results, o), "\n"));
  out.Section("\n| role | result |\n| --- | --- |\n", "rows of the role table");
  for (const RoleCheckResult& r : results) {
    out.Row(absl::StrCat(
        "| `", Cell(r.role), "` | ",
        Cell(r.report.ok()
                 ? Summary(*r.report, o)
                 : absl::StrCat("not checked: ", r.report.status().message())),
        " |\n"));
  }
  for (const RoleCheckResult& r : results) {
    const std::string name = absl::StrCat("\n### Role `", Cell(r.role), "`");
    if (r.report.ok()) {
      Markdown(
          *r.report, o,
          absl::StrCat(name, ": ",
                       CheckFails(*r.report, o.fail_on) ? "fails" : "passes"),
          out);
    } else {
      out.Block(
          absl::StrCat(name, ": not checked\n\n",
                       Cell(std::string(r.report.status().message())), "\n"),
          "role sections");
    }
  }
  return std::move(out).Finish();
}

}  // namespace leastpriv
