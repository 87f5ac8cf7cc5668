// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/reach/reach_command.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "lib/json/json.h"
#include "lib/report/witness_json.h"
#include "tools/leastpriv/common/analysis_options.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv reach [policy options] [--table NAME]... "
    "[--action ACTION]...\n"
    "                       [--context KEY=VALUE[,VALUE...]]... "
    "[--rlimit N] [--format text|json]\n"
    "                       [--no-exact-variables]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);

json::Value IsolationJson(const std::vector<TenantIsolation>& isolation) {
  std::vector<json::Value> out;
  for (const TenantIsolation& t : isolation) {
    out.push_back(json::Value::Object({
        {"table", json::Value::String(t.table)},
        {"isolated", json::Value::String(std::string(AnswerName(t.isolated)))},
        {"tenant_key", json::Value::String(t.tenant_key)},
        {"witness", t.witness.has_value()
                        ? witness_json::RequestJson(*t.witness)
                        : json::Value::Null()},
        {"reason", json::Value::String(t.reason)},
    }));
  }
  return json::Value::Array(std::move(out));
}

// "dynamodb:Scan on ARN by PRINCIPAL k=v k=[a,b]".
std::string RequestText(const Request& r) {
  std::string out = r.action + " on " + r.resource;
  if (!r.principal.empty()) out += " by " + r.principal;
  for (const auto& [key, value] : r.context) {
    out += " " + key + "=";
    if (value.multi_valued) out += "[";
    for (std::size_t i = 0; i < value.values.size(); ++i) {
      out += (i ? "," : "") + value.values[i];
    }
    if (value.multi_valued) out += "]";
  }
  return out;
}

json::Value ReportJson(const ReachReport& report,
                       const std::vector<std::string>& tables,
                       const std::vector<TenantIsolation>& isolation) {
  std::vector<json::Value> actions;
  for (const ActionReach& a : report.actions) {
    actions.push_back(json::Value::Object({
        {"action", json::Value::String(a.action)},
        {"reachable",
         json::Value::String(std::string(AnswerName(a.reachable)))},
        {"witness", a.witness.has_value()
                        ? witness_json::RequestJson(*a.witness)
                        : json::Value::Null()},
        {"reason", json::Value::String(a.reason)},
        {"resources", witness_json::ResourcesJson(a.resources)},
    }));
  }
  std::vector<json::Value::Member> per_table;
  for (const std::string& table : tables) {
    std::vector<json::Value::Member> answers;
    for (const ActionReach& a : report.actions) {
      auto it = a.tables.find(table);
      if (it == a.tables.end()) continue;
      answers.emplace_back(
          a.action, json::Value::String(std::string(AnswerName(it->second))));
    }
    per_table.emplace_back(table, json::Value::Object(std::move(answers)));
  }
  std::vector<json::Value::Member> members = {
      {"actions", json::Value::Array(std::move(actions))},
      {"tables", json::Value::Object(std::move(per_table))},
  };
  if (!isolation.empty())
    members.emplace_back("tenant_isolation", IsolationJson(isolation));
  return json::Value::Object(std::move(members));
}

std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

void PrintText(const ReachReport& report,
               const std::vector<std::string>& tables,
               const std::vector<TenantIsolation>& isolation,
               std::ostream& out) {
  std::size_t yes = 0, no = 0, unknown = 0;
  for (const ActionReach& a : report.actions) {
    (a.reachable == Answer::kYes  ? yes
     : a.reachable == Answer::kNo ? no
                                  : unknown)++;
  }
  out << yes << " reachable, " << no << " not reachable, " << unknown
      << " unknown, of " << report.actions.size() << " actions";
  if (!tables.empty()) {
    out << " (resources limited to the " << tables.size() << " named table"
        << (tables.size() == 1 ? "" : "s") << " and their indexes and streams)";
  }
  out << "\n\n";
  std::size_t width = 0;
  for (const ActionReach& a : report.actions) {
    width = std::max(width, a.action.size());
  }
  for (const ActionReach& a : report.actions) {
    if (a.reachable == Answer::kNo) continue;
    out << Pad(a.action, width + 2) << AnswerName(a.reachable);
    if (a.reachable == Answer::kUnknown) out << ": " << a.reason;
    out << "\n";
    for (const ResourceSummary& s : a.resources) {
      for (const std::string& p : s.patterns) {
        out << "    " << Pad(s.resource_type, 13) << p << "\n";
      }
      for (const std::string& e : s.except) {
        out << "    " << Pad("", 13) << "except " << e << "\n";
      }
    }
    if (a.witness.has_value()) {
      out << "    witness      " << a.witness->action << " on "
          << a.witness->resource;
      if (!a.witness->principal.empty()) {
        out << " by " << a.witness->principal;
      }
      for (const auto& [key, value] : a.witness->context) {
        out << " " << key << "=";
        if (value.multi_valued) out << "[";
        for (std::size_t i = 0; i < value.values.size(); ++i) {
          out << (i ? "," : "") << value.values[i];
        }
        if (value.multi_valued) out << "]";
      }
      out << "\n";
    }
  }
  if (tables.empty()) return;
  out << "\nper table (actions that are not \"no\"):\n";
  for (const std::string& table : tables) {
    out << "  " << table << ":";
    bool any = false;
    for (const ActionReach& a : report.actions) {
      auto it = a.tables.find(table);
      if (it == a.tables.end() || it->second == Answer::kNo) continue;
      out << " " << a.action.substr(a.action.find(':') + 1);
      if (it->second == Answer::kUnknown) out << "(unknown)";
      any = true;
    }
    if (!any) out << " (none)";
    out << "\n";
  }
  if (isolation.empty()) return;
  out << "\ntenant isolation (item-level actions only on the caller's own ${"
      << isolation[0].tenant_key << "} partition keys):\n";
  for (const TenantIsolation& t : isolation) {
    out << "  " << t.table << ": "
        << (t.isolated == Answer::kYes  ? "isolated"
            : t.isolated == Answer::kNo ? "not isolated"
                                        : "unknown");
    if (t.isolated == Answer::kUnknown) out << ": " << t.reason;
    out << "\n";
    if (t.witness.has_value())
      out << "    witness      " << RequestText(*t.witness) << "\n";
  }
}

}  // namespace

int RunReachCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err) {
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kUsage, err);
  }
  AnalysisScope scope;
  scope.account = options->account;
  scope.region = options->region;
  scope.principal = options->principal;
  AnalysisOptions analysis_options;
  std::string format = "text";
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << cli::kAnalysisOptionsUsage << cli::kPolicyOptionsUsage;
      return 0;
    }
    absl::StatusOr<bool> analysis_option =
        cli::ReadAnalysisOption(rest, &i, &analysis_options, &scope.context);
    if (!analysis_option.ok()) {
      return kErrors.Usage(err,
                           std::string(analysis_option.status().message()));
    }
    if (*analysis_option) continue;
    if (arg == "--table" || arg == "--action" || arg == "--format") {
      if (i + 1 >= rest.size())
        return kErrors.Usage(err, arg + " needs a value");
      const std::string& value = rest[++i];
      if (arg == "--table") {
        if (value.empty()) return kErrors.Usage(err, "--table needs a name");
        scope.tables.push_back(value);
      } else if (arg == "--action") {
        scope.actions.push_back(value);
      } else {
        format = value;
      }
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      return kErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    return kErrors.Usage(err, "unexpected argument \"" + arg + "\"");
  }
  if (format != "json" && format != "text") {
    return kErrors.Usage(
        err, "--format must be json or text, not \"" + format + "\"");
  }
  if (!options->has_policies) {
    return kErrors.Usage(err,
                         "no policies given (use --policy or another policy "
                         "option)");
  }
  if (absl::Status s = CheckEvaluable(options->policies); !s.ok()) {
    return kErrors.Input(err, std::string(s.message()));
  }
  absl::StatusOr<ReachReport> report =
      Reachable(options->policies, scope, analysis_options);
  if (!report.ok()) {
    // The string abstraction outgrew its limits: undecided, like a solver
    // resource limit, not unusable input.
    if (report.status().code() == absl::StatusCode::kResourceExhausted) {
      kErrors.Input(err, std::string(report.status().message()));
      return 3;
    }
    return kErrors.Input(err, std::string(report.status().message()));
  }
  // Tenant isolation of the named tables, when the policies compare
  // dynamodb:LeadingKeys with a variable of the caller.
  absl::StatusOr<std::vector<TenantIsolation>> isolation =
      CheckTenantIsolation(options->policies, scope, analysis_options);
  if (!isolation.ok()) {
    if (isolation.status().code() == absl::StatusCode::kResourceExhausted) {
      kErrors.Input(err, std::string(isolation.status().message()));
      return 3;
    }
    return kErrors.Input(err, std::string(isolation.status().message()));
  }
  if (format == "json") {
    out << json::Serialize(ReportJson(*report, scope.tables, *isolation))
        << "\n";
  } else {
    PrintText(*report, scope.tables, *isolation, out);
  }
  for (const ActionReach& a : report->actions) {
    if (a.reachable == Answer::kUnknown) return 3;
  }
  for (const TenantIsolation& t : *isolation) {
    if (t.isolated == Answer::kUnknown) return 3;
  }
  return 0;
}

}  // namespace leastpriv
