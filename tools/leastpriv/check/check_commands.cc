// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/check/check_commands.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"
#include "lib/report/witness_json.h"
#include "tools/leastpriv/common/analysis_options.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kAccessUsage[] =
    "usage: leastpriv check-access-not-granted [policy options] --action "
    "ACTION... [--resource ARN...]\n"
    "           [--context KEY=VALUE[,VALUE...]]... [--rlimit N] "
    "[--no-exact-variables]\n"
    "           [--format text|json]\n";

constexpr char kPublicUsage[] =
    "usage: leastpriv check-no-public-access [--format text|json] FILE...\n";
constexpr cli::CommandErrors kAccessErrors("leastpriv", kAccessUsage);
constexpr cli::CommandErrors kPublicErrors("leastpriv", kPublicUsage);

int ExitCode(CheckVerdict v) {
  switch (v) {
    case CheckVerdict::kPass:
      return 0;
    case CheckVerdict::kFail:
      return 1;
    case CheckVerdict::kUnknown:
      return 3;
  }
  return 3;
}

json::Value AccessJson(const AccessNotGrantedCheck& check) {
  std::vector<json::Value> granted, undecided;
  for (const GrantedAccess& g : check.granted) {
    granted.push_back(json::Value::Object({
        {"action", json::Value::String(g.action)},
        {"resource", json::Value::String(g.resource)},
        {"witness", witness_json::RequestJson(g.witness)},
        {"statements", witness_json::StatementsJson(g.statements)},
        {"conditional", json::Value::Bool(g.conditional)},
        {"only_if", json::Value::String(g.only_if)},
    }));
  }
  for (const UndecidedAccess& u : check.undecided) {
    undecided.push_back(json::Value::Object({
        {"action", json::Value::String(u.action)},
        {"resource", json::Value::String(u.resource)},
        {"reason", json::Value::String(u.reason)},
    }));
  }
  return json::Value::Object({
      {"verdict",
       json::Value::String(std::string(CheckVerdictName(check.verdict)))},
      {"granted", json::Value::Array(std::move(granted))},
      {"undecided", json::Value::Array(std::move(undecided))},
  });
}

void PrintAccessText(const AccessNotGrantedCheck& check, std::ostream& out) {
  out << CheckVerdictName(check.verdict) << ": " << check.granted.size()
      << " granted, " << check.undecided.size() << " undecided\n";
  for (const GrantedAccess& g : check.granted) {
    out << "  granted    " << g.action << " on " << g.resource << "\n";
    if (g.conditional) out << "    only if  " << g.only_if << "\n";
    out << "    witness  " << witness_json::FormatRequest(g.witness) << "\n";
    for (const StatementRef& s : g.statements) {
      out << "    by       " << witness_json::FormatStatement(s) << "\n";
    }
  }
  for (const UndecidedAccess& u : check.undecided) {
    out << "  undecided  " << u.action << " on " << u.resource << ": "
        << u.reason << "\n";
  }
}

}  // namespace

int RunCheckAccessNotGrantedCommand(const std::vector<std::string>& args,
                                    std::ostream& out, std::ostream& err) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << kAccessUsage << cli::kAnalysisOptionsUsage
          << cli::kPolicyOptionsUsage;
      return 0;
    }
  }
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kAccessUsage,
                                   err);
  }
  AnalysisScope scope;
  scope.account = options->account;
  scope.region = options->region;
  scope.principal = options->principal;
  AnalysisOptions analysis_options;
  std::vector<std::string> actions, resources;
  std::string format = "text";
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    absl::StatusOr<bool> analysis_option =
        cli::ReadAnalysisOption(rest, &i, &analysis_options, &scope.context);
    if (!analysis_option.ok()) {
      return kAccessErrors.Usage(
          err, std::string(analysis_option.status().message()));
    }
    if (*analysis_option) continue;
    if (arg == "--action" || arg == "--resource" || arg == "--format") {
      if (i + 1 >= rest.size()) {
        return kAccessErrors.Usage(err, arg + " needs a value");
      }
      const std::string& value = rest[++i];
      if (arg == "--action") {
        actions.push_back(value);
      } else if (arg == "--resource") {
        resources.push_back(value);
      } else {
        format = value;
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      return kAccessErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    return kAccessErrors.Usage(err, "unexpected argument \"" + arg + "\"");
  }
  if (format != "json" && format != "text") {
    return kAccessErrors.Usage(
        err, "--format must be json or text, not \"" + format + "\"");
  }
  if (!options->has_policies) {
    return kAccessErrors.Usage(
        err, "no policies given (use --policy or another policy option)");
  }
  if (actions.empty()) {
    return kAccessErrors.Usage(err, "no actions given (use --action)");
  }
  absl::StatusOr<AccessNotGrantedCheck> check = CheckAccessNotGranted(
      options->policies, actions, resources, scope, analysis_options);
  if (!check.ok())
    return kAccessErrors.Input(err, std::string(check.status().message()));
  if (format == "json") {
    out << json::Serialize(AccessJson(*check)) << "\n";
  } else {
    PrintAccessText(*check, out);
  }
  return ExitCode(check->verdict);
}

int RunCheckNoPublicAccessCommand(const std::vector<std::string>& args,
                                  std::ostream& out, std::ostream& err) {
  std::string format = "text";
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << kPublicUsage;
      return 0;
    }
    if (arg == "--format") {
      if (i + 1 >= args.size()) {
        return kPublicErrors.Usage(err, "--format needs a value");
      }
      format = args[++i];
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      return kPublicErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    files.push_back(arg);
  }
  if (format != "json" && format != "text") {
    return kPublicErrors.Usage(
        err, "--format must be json or text, not \"" + format + "\"");
  }
  if (files.empty()) {
    return kPublicErrors.Usage(err, "no policy files given");
  }
  std::vector<PublicGrant> grants;
  for (const std::string& file : files) {
    ParseOptions parse;
    parse.file_name = file;
    parse.kind = PolicyKind::kResource;
    absl::StatusOr<Policy> policy = LoadPolicyFile(file, parse);
    if (!policy.ok())
      return kPublicErrors.Input(err, std::string(policy.status().message()));
    PublicAccessCheck check = CheckNoPublicAccess(*policy);
    for (PublicGrant& g : check.grants) grants.push_back(std::move(g));
  }
  const CheckVerdict verdict =
      grants.empty() ? CheckVerdict::kPass : CheckVerdict::kFail;
  if (format == "json") {
    std::vector<json::Value> findings;
    for (const PublicGrant& g : grants) {
      findings.push_back(json::Value::Object({
          {"file", json::Value::String(g.statement.pos.file)},
          {"line", json::Value::Number(g.statement.pos.line)},
          {"column", json::Value::Number(g.statement.pos.column)},
          {"sid", g.statement.sid ? json::Value::String(*g.statement.sid)
                                  : json::Value::Null()},
          {"principal", json::Value::String(g.principal)},
          {"why", json::Value::String(g.why)},
      }));
    }
    out << json::Serialize(json::Value::Object({
               {"verdict",
                json::Value::String(std::string(CheckVerdictName(verdict)))},
               {"findings", json::Value::Array(std::move(findings))},
           }))
        << "\n";
  } else {
    for (const PublicGrant& g : grants) {
      out << FormatPos(g.statement.pos) << ": public: statement "
          << (g.statement.sid ? "\"" + *g.statement.sid + "\""
                              : "#" + std::to_string(g.statement.index))
          << " allows Principal " << g.principal << ": " << g.why << "\n";
    }
    out << CheckVerdictName(verdict) << ": " << grants.size()
        << " public statement" << (grants.size() == 1 ? "" : "s") << " in "
        << files.size() << " polic" << (files.size() == 1 ? "y" : "ies")
        << "\n";
  }
  return ExitCode(verdict);
}

}  // namespace leastpriv
