// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/check/check_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/replay.h"
#include "leastpriv/report.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv check --code DIR [policy options] "
    "[--bind env:X=TABLE|settings:Y=TABLE]...\n"
    "                       [--config FILE] "
    "[--format text|json|sarif|markdown] [--output FILE]\n"
    "                       [--fail-on any|write|data-exposure|destructive|"
    "tenant-isolation|missing]\n"
    "                       [--include-tests] [--include-vendored]\n"
    "                       [--rlimit N]\n"
    "                       [--cloudtrail FILE|DIR|-]...\n"
    "       leastpriv check --code DIR --authorization-details FILE "
    "--all-roles [--jobs N]\n"
    "                       [the options above]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);
constexpr char kFailOnHelp[] =
    "check options:\n"
    "  --fail-on LEVEL               exit 1 on missing operations and on excess\n"
    "                                permissions at or above LEVEL (any, write,\n"
    "                                data-exposure, destructive); a used table one\n"
    "                                tenant can reach another's items in fails any,\n"
    "                                write, data-exposure and tenant-isolation (which\n"
    "                                ignores excess); missing: missing operations only\n";

// Account and region of every DynamoDB ARN written in the policies with
// both fields literal.
void CollectArnFields(const PolicySet& set, std::set<std::string>* accounts,
                      std::set<std::string>* regions) {
  auto visit = [&](const Policy& p) {
    for (const Statement& st : p.statements) {
      for (const PolicyString& r : st.resources) {
        std::vector<std::string> parts = absl::StrSplit(r.text, ':');
        if (parts.size() < 6 || parts[0] != "arn" || parts[2] != "dynamodb") {
          continue;
        }
        if (!parts[3].empty() &&
            parts[3].find_first_of("*?$") == std::string::npos) {
          regions->insert(parts[3]);
        }
        if (!parts[4].empty() &&
            parts[4].find_first_of("*?$") == std::string::npos) {
          accounts->insert(parts[4]);
        }
      }
    }
  };
  for (const Policy& p : set.identity) visit(p);
  if (set.boundary) visit(*set.boundary);
  if (set.session) visit(*set.session);
  for (const auto& [table, list] : set.resource) {
    for (const Policy& p : list) visit(p);
  }
}

// Fills `*value` from the flag, the config, or the one value the policies
// agree on; otherwise an error naming what is missing.
absl::Status Resolve(const std::string& what, const std::string& flag,
                     const std::string& flag_name, const std::string& config,
                     const std::set<std::string>& inferred,
                     std::string* value) {
  if (!flag.empty()) {
    *value = flag;
  } else if (!config.empty()) {
    *value = config;
  } else if (inferred.size() == 1) {
    *value = *inferred.begin();
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "the ", what, " of the tables is not known: pass ", flag_name,
        " or set \"", what, "\" in leastpriv.json (",
        inferred.empty()
            ? absl::StrCat("no table ARN in the policies names ",
                           what == "account" ? "an account" : "a region")
            : absl::StrCat("the policies name tables in ", inferred.size(), " ",
                           what == "account" ? "accounts" : "regions", ": ",
                           absl::StrJoin(inferred, ", ")),
        ")"));
  }
  return absl::OkStatus();
}

// What the single-role and the batch checks share, from the command line
// and the configuration file.
struct CheckRun {
  cli::PolicyOptions options;
  std::string code, format = "text", output;
  CheckConfig config;
  std::map<std::string, std::string> bindings, sources;
  FailLevel fail_on = FailLevel::kRead;
  ScanOptions scan_options;
  AnalysisOptions analysis;
  int jobs = 0;                         // 0: one per hardware thread
  std::vector<std::string> cloudtrail;  // --cloudtrail inputs
};

// The check's input for `policies`, with the account and region resolved,
// or why they cannot be. The principal is left to the caller.
absl::StatusOr<CheckInput> Prepare(const CheckRun& run,
                                   const PolicySet& policies) {
  if (absl::Status s = CheckEvaluable(policies); !s.ok()) return s;
  CheckInput input;
  std::set<std::string> accounts, regions;
  CollectArnFields(policies, &accounts, &regions);
  if (absl::Status s = Resolve("account", run.options.account, "--account ID",
                               run.config.account, accounts, &input.account);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = Resolve("region", run.options.region, "--region NAME",
                               run.config.region, regions, &input.region);
      !s.ok()) {
    return s;
  }
  input.policies = &policies;
  input.bindings = run.bindings;
  input.binding_sources = run.sources;
  input.analysis = run.analysis;
  input.code_prefix = run.code;
  if (!input.code_prefix.empty() && input.code_prefix.back() != '/') {
    input.code_prefix += '/';
  }
  return input;
}

RenderOptions Rendering(const CheckRun& run, std::ostream& out) {
  RenderOptions render;
  render.fail_on = run.fail_on;
  render.code_prefix = run.code;
  if (!render.code_prefix.empty() && render.code_prefix.back() != '/') {
    render.code_prefix += '/';
  }
  const char* no_color = std::getenv("NO_COLOR");
  render.color = run.format == "text" && run.output.empty() &&
                 &out == &std::cout && isatty(STDOUT_FILENO) &&
                 (no_color == nullptr || *no_color == '\0');
  return render;
}

// Writes the report to --output or `out`; false (after the diagnostic)
// when the file cannot be written.
bool Emit(const CheckRun& run, const std::string& text, std::ostream& out,
          std::ostream& err) {
  if (run.output.empty()) {
    out << text;
    return true;
  }
  std::ofstream file(run.output, std::ios::binary | std::ios::trunc);
  file << text;
  if (!file.good()) {
    kErrors.Input(err, run.output + ": cannot write the report");
    return false;
  }
  return true;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

int RunSingle(const CheckRun& run, std::chrono::steady_clock::time_point start,
              std::ostream& out, std::ostream& err) {
  absl::StatusOr<CheckInput> input = Prepare(run, run.options.policies);
  if (!input.ok())
    return kErrors.Input(err, std::string(input.status().message()));
  input->principal = run.options.principal.empty() ? run.config.principal
                                                   : run.options.principal;

  absl::StatusOr<ScanResult> scan = ScanProject(run.code, run.scan_options);
  if (!scan.ok())
    return kErrors.Input(err, std::string(scan.status().message()));
  const double scan_seconds = SecondsSince(start);
  input->scan = &*scan;
  if (!run.cloudtrail.empty()) {
    // The recorded operations, decided under the same policies; only the
    // principal's own when one is known.
    absl::StatusOr<PolicyEvaluator> evaluator =
        PolicyEvaluator::Create(run.options.policies);
    if (!evaluator.ok()) {
      return kErrors.Input(err, std::string(evaluator.status().message()));
    }
    ReplayOptions replay;
    replay.jobs = 0;
    replay.principal = input->principal;
    absl::StatusOr<ReplayReport> logged =
        Replay(*evaluator, run.cloudtrail, replay);
    if (!logged.ok()) {
      return kErrors.Input(err, std::string(logged.status().message()));
    }
    input->logged = std::move(logged->operations);
  }
  absl::StatusOr<CheckReport> report = RunCheck(*input);
  if (!report.ok())
    return kErrors.Input(err, std::string(report.status().message()));

  const RenderOptions render = Rendering(run, out);
  std::string text = run.format == "json"    ? RenderJson(*report, render)
                     : run.format == "sarif" ? RenderSarif(*report, render)
                     : run.format == "markdown"
                         ? RenderMarkdown(*report, render)
                         : RenderText(*report, render);
  if (!Emit(run, text, out, err)) return 2;
  if (std::getenv("LEASTPRIV_TIMINGS") != nullptr) {
    err << "leastpriv: timings: scan " << scan_seconds << " s, solve "
        << report->timings.solve << " s, report " << report->timings.report
        << " s\n";
  }
  return CheckExitStatus(*report, run.fail_on);
}

// --all-roles: every role of the authorization details, against one scan.
// A role that cannot be checked gets its error in the report (and on
// `err`); the others are still checked.
int RunAllRoles(const CheckRun& run,
                std::chrono::steady_clock::time_point start, std::ostream& out,
                std::ostream& err) {
  const std::string& details = run.options.authorization_details;
  absl::StatusOr<std::vector<AuthorizationDetailsRole>> roles =
      LoadRolesFromAuthorizationDetails(details);
  if (!roles.ok())
    return kErrors.Input(err, std::string(roles.status().message()));
  if (roles->empty()) {
    return kErrors.Input(err, details +
                                  ": lists no roles (no entry of "
                                  "RoleDetailList has a RoleName)");
  }
  std::stable_sort(
      roles->begin(), roles->end(),
      [](const AuthorizationDetailsRole& a, const AuthorizationDetailsRole& b) {
        return a.name < b.name;
      });

  absl::StatusOr<ScanResult> scan = ScanProject(run.code, run.scan_options);
  if (!scan.ok())
    return kErrors.Input(err, std::string(scan.status().message()));
  const double scan_seconds = SecondsSince(start);

  // Each role's policies: its own, plus every policy given on the command
  // line (as --role would combine them). Filled before any input points
  // into the vector.
  std::vector<absl::StatusOr<PolicySet>> sets;
  sets.reserve(roles->size());
  for (AuthorizationDetailsRole& role : *roles) {
    if (!role.policies.ok()) {
      sets.push_back(role.policies.status());
      continue;
    }
    PolicySet set = run.options.policies;
    for (Policy& p : role.policies->identity) {
      set.identity.push_back(std::move(p));
    }
    if (role.policies->boundary.has_value()) {
      if (set.boundary.has_value()) {
        sets.push_back(absl::InvalidArgumentError(
            "--boundary conflicts with the boundary of role \"" + role.name +
            "\""));
        continue;
      }
      set.boundary = std::move(role.policies->boundary);
    }
    sets.push_back(std::move(set));
  }
  std::vector<RoleCheckInput> inputs;
  inputs.reserve(roles->size());
  for (std::size_t i = 0; i < roles->size(); ++i) {
    const AuthorizationDetailsRole& role = (*roles)[i];
    RoleCheckInput in{role.name, role.arn,
                      sets[i].ok()
                          ? Prepare(run, *sets[i])
                          : absl::StatusOr<CheckInput>(sets[i].status())};
    if (in.input.ok()) {
      in.input->scan = &*scan;
      // The role is the principal: its ARN, or the one --role would give.
      in.input->principal =
          !role.arn.empty()
              ? role.arn
              : "arn:aws:iam::" + in.input->account + ":role/" + role.name;
    }
    inputs.push_back(std::move(in));
  }

  const auto check_start = std::chrono::steady_clock::now();
  std::vector<RoleCheckResult> results = RunCheckBatch(inputs, run.jobs);
  const double check_seconds = SecondsSince(check_start);
  for (const RoleCheckResult& r : results) {
    if (!r.report.ok()) {
      err << "leastpriv: error: role \"" << r.role
          << "\": " << r.report.status().message() << "\n";
    }
  }

  const RenderOptions render = Rendering(run, out);
  std::string text = run.format == "json"    ? RenderBatchJson(results, render)
                     : run.format == "sarif" ? RenderBatchSarif(results, render)
                     : run.format == "markdown"
                         ? RenderBatchMarkdown(results, render)
                         : RenderBatchText(results, render);
  if (!Emit(run, text, out, err)) return 2;
  if (std::getenv("LEASTPRIV_TIMINGS") != nullptr) {
    double solve = 0, report = 0;
    for (const RoleCheckResult& r : results) {
      if (!r.report.ok()) continue;
      solve += r.report->timings.solve;
      report += r.report->timings.report;
    }
    const int threads =
        run.jobs > 0 ? run.jobs
                     : static_cast<int>(std::thread::hardware_concurrency());
    err << "leastpriv: timings: scan " << scan_seconds << " s, "
        << results.size() << " roles " << check_seconds << " s on up to "
        << std::max(threads, 1) << " threads (solve " << solve << " s, report "
        << report << " s, summed over the roles)\n";
  }
  return BatchExitStatus(results, run.fail_on);
}

}  // namespace

int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> rest;
  cli::PolicyOptionsSyntax syntax;
  syntax.all_roles = true;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest, syntax);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kUsage, err);
  }
  CheckRun run;
  run.options = *std::move(options);
  std::string config_path, fail_on_text;
  bool jobs_given = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << kFailOnHelp << cli::kPolicyOptionsUsage;
      return 0;
    }
    if (arg == "--include-tests") {
      run.scan_options.include_tests = true;
      continue;
    }
    if (arg == "--include-vendored") {
      run.scan_options.include_vendored = true;
      continue;
    }
    if (arg == "--code" || arg == "--bind" || arg == "--config" ||
        arg == "--format" || arg == "--output" || arg == "--fail-on" ||
        arg == "--rlimit" || arg == "--jobs" || arg == "--cloudtrail") {
      if (i + 1 >= rest.size())
        return kErrors.Usage(err, arg + " needs a value");
      const std::string& value = rest[++i];
      if (arg == "--code") {
        run.code = value;
      } else if (arg == "--bind") {
        std::string key, table;
        if (absl::Status s = ParseBinding(value, &key, &table); !s.ok()) {
          return kErrors.Usage(err, std::string(s.message()));
        }
        run.bindings[key] = table;
        run.sources[key] = "--bind";
      } else if (arg == "--config") {
        config_path = value;
      } else if (arg == "--cloudtrail") {
        run.cloudtrail.push_back(value);
      } else if (arg == "--format") {
        run.format = value;
      } else if (arg == "--output") {
        run.output = value;
      } else if (arg == "--fail-on") {
        fail_on_text = value;
      } else if (arg == "--jobs") {
        if (!absl::SimpleAtoi(value, &run.jobs) || run.jobs <= 0) {
          return kErrors.Usage(
              err, "--jobs expects a positive integer, not \"" + value + "\"");
        }
        jobs_given = true;
      } else {
        std::uint64_t n = 0;
        if (!absl::SimpleAtoi(value, &n) || n == 0) {
          return kErrors.Usage(
              err,
              "--rlimit expects a positive integer, not \"" + value + "\"");
        }
        run.analysis.rlimit = n;
      }
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      return kErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    return kErrors.Usage(err, "unexpected argument \"" + arg + "\"");
  }
  if (run.format != "text" && run.format != "json" && run.format != "sarif" &&
      run.format != "markdown") {
    return kErrors.Usage(err,
                         "--format must be text, json, sarif or markdown, "
                         "not \"" +
                             run.format + "\"");
  }
  if (run.code.empty())
    return kErrors.Usage(err, "no code directory given (--code DIR)");
  if (!run.options.has_policies) {
    return kErrors.Usage(err,
                         "no policies given (use --policy or another policy "
                         "option)");
  }
  if (jobs_given && !run.options.all_roles) {
    return kErrors.Usage(err, "--jobs applies only to --all-roles");
  }
  if (!run.cloudtrail.empty() && run.options.all_roles) {
    return kErrors.Usage(err,
                         "--cloudtrail applies to one role, not --all-roles");
  }
  if (config_path.empty()) {
    std::error_code ec;
    std::string candidate =
        (std::filesystem::path(run.code) / "leastpriv.json").string();
    if (std::filesystem::is_regular_file(candidate, ec))
      config_path = candidate;
  }
  if (!config_path.empty()) {
    absl::StatusOr<CheckConfig> c = LoadCheckConfig(config_path);
    if (!c.ok()) return kErrors.Input(err, std::string(c.status().message()));
    run.config = *c;
    for (const auto& [key, table] : run.config.bindings) {
      if (run.bindings.count(key)) continue;
      run.bindings[key] = table;
      run.sources[key] = std::filesystem::path(config_path).filename().string();
    }
  }
  if (fail_on_text.empty()) fail_on_text = run.config.fail_on;
  if (!fail_on_text.empty()) {
    absl::StatusOr<FailLevel> l = ParseFailLevel(fail_on_text);
    if (!l.ok())
      return kErrors.Usage(err,
                           "--fail-on: " + std::string(l.status().message()));
    run.fail_on = *l;
  }
  return run.options.all_roles ? RunAllRoles(run, start, out, err)
                               : RunSingle(run, start, out, err);
}

}  // namespace leastpriv
