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
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/policy.h"
#include "leastpriv/project.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/replay.h"
#include "leastpriv/report.h"
#include "leastpriv/validate.h"
#include "tools/leastpriv/common/analysis_options.h"
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
    "                       [--rlimit N] [--no-exact-variables] "
    "[--cloudtrail FILE|DIR|-]...\n"
    "       leastpriv check --code DIR [--authorization-details FILE] "
    "--all-roles [--jobs N]\n"
    "                       [the options above]\n"
    "       leastpriv check --config FILE [--all-roles] [the options above]\n"
    "                       (the policies, code and roles of leastpriv.json)\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);
constexpr char kFailOnHelp[] =
    "check options:\n"
    "  --fail-on LEVEL               exit 1 on missing operations and on "
    "excess\n"
    "                                permissions at or above LEVEL (any, "
    "write,\n"
    "                                data-exposure, destructive); a used table "
    "one\n"
    "                                tenant can reach another's items in fails "
    "any,\n"
    "                                write, data-exposure and tenant-isolation "
    "(which\n"
    "                                ignores excess); missing: missing "
    "operations only\n";

// What the single-role and the batch checks share, from the command line.
struct CheckRun {
  cli::PolicyOptions options;
  std::string code, format = "text", output, config;
  std::map<std::string, std::string> bindings;  // --bind
  FailLevel fail_on = FailLevel::kRead;
  ScanOptions scan_options;
  AnalysisOptions analysis;
  int jobs = 0;                         // 0: one per hardware thread
  std::vector<std::string> cloudtrail;  // --cloudtrail inputs
};

// The project the command line and the configuration file describe.
absl::StatusOr<Project> LoadCheckProject(const CheckRun& run) {
  ProjectOptions po;
  // The configuration's paths are relative to its own directory.
  if (!run.config.empty()) {
    po.root = std::filesystem::path(run.config).parent_path().string();
    if (po.root.empty()) po.root = ".";
  } else {
    po.root = run.code;
  }
  po.config = run.config;
  po.code = run.code;
  po.has_policies = run.options.has_policies;
  po.policies = run.options.policies;
  po.authorization_details = run.options.authorization_details;
  po.all_roles = run.options.all_roles;
  po.account = run.options.account;
  po.region = run.options.region;
  po.principal = run.options.principal;
  po.bindings = run.bindings;
  return LoadProject(po);
}

// The one role a single check is about: the policies of the command line,
// or the role of the configuration file the code runs under.
absl::StatusOr<const ProjectRole*> SingleRole(const Project& project) {
  if (project.roles.size() == 1 && project.roles[0].name.empty()) {
    return &project.roles[0];
  }
  std::vector<const ProjectRole*> roles = project.CodeRoles();
  if (roles.size() == 1) return roles[0];
  const std::string& file = project.config.path;
  if (!project.config.code_role.empty()) {
    return absl::InvalidArgumentError(
        file + ": \"code_role\" names role \"" + project.config.code_role +
        "\", which no identity policy of the file belongs to");
  }
  if (roles.empty()) {
    return absl::InvalidArgumentError(
        file + ": no role of the file has an identity policy");
  }
  std::vector<std::string> names;
  for (const ProjectRole* r : roles) names.push_back(r->name);
  return absl::InvalidArgumentError(
      file + ": the code may run under " + std::to_string(roles.size()) +
      " roles (" + absl::StrJoin(names, ", ") +
      "): set \"code_role\" or give the policies on the command line");
}

RenderOptions Rendering(const CheckRun& run, const Project& project,
                        std::ostream& out) {
  RenderOptions render;
  render.fail_on = run.fail_on;
  render.code_prefix = project.code_dir;
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

int RunSingle(const CheckRun& run, const Project& project,
              const ProjectRole& role,
              std::chrono::steady_clock::time_point start, std::ostream& out,
              std::ostream& err) {
  if (!role.status.ok()) {
    return kErrors.Input(err, std::string(role.status.message()));
  }
  absl::StatusOr<ScanResult> scan =
      ScanProject(project.code_dir, run.scan_options);
  if (!scan.ok())
    return kErrors.Input(err, std::string(scan.status().message()));
  const double scan_seconds = SecondsSince(start);
  CheckInput input = ProjectCheckInput(project, role, *scan, run.analysis);
  if (!run.cloudtrail.empty()) {
    absl::StatusOr<std::vector<RecordedOperation>> logged =
        ProjectLoggedOperations(role, run.cloudtrail);
    if (!logged.ok()) {
      return kErrors.Input(err, std::string(logged.status().message()));
    }
    input.logged = *std::move(logged);
  }
  absl::StatusOr<CheckReport> report = RunCheck(input);
  if (!report.ok())
    return kErrors.Input(err, std::string(report.status().message()));

  const RenderOptions render = Rendering(run, project, out);
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
int RunAllRoles(const CheckRun& run, const Project& project,
                std::chrono::steady_clock::time_point start, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<ScanResult> scan =
      ScanProject(project.code_dir, run.scan_options);
  if (!scan.ok())
    return kErrors.Input(err, std::string(scan.status().message()));
  const double scan_seconds = SecondsSince(start);

  std::vector<RoleCheckInput> inputs;
  inputs.reserve(project.roles.size());
  for (const ProjectRole& role : project.roles) {
    RoleCheckInput in{
        role.name, role.arn,
        role.status.ok() ? ProjectCheckInput(project, role, *scan, run.analysis)
                         : absl::StatusOr<CheckInput>(role.status)};
    if (role.status.ok()) {
      if (!run.cloudtrail.empty()) {
        // Each role's own requests in the logs. The logs are one input for
        // every role: one that cannot be read is unusable as a whole.
        absl::StatusOr<std::vector<RecordedOperation>> logged =
            ProjectLoggedOperations(role, run.cloudtrail);
        if (!logged.ok()) {
          return kErrors.Input(err, std::string(logged.status().message()));
        }
        in.input->logged = *std::move(logged);
      }
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

  const RenderOptions render = Rendering(run, project, out);
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
  std::string fail_on_text;
  bool jobs_given = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << kFailOnHelp << cli::kAnalysisOptionsUsage
          << cli::kPolicyOptionsUsage;
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
    absl::StatusOr<bool> analysis_option =
        cli::ReadAnalysisOption(rest, &i, &run.analysis, nullptr);
    if (!analysis_option.ok()) {
      return kErrors.Usage(err,
                           std::string(analysis_option.status().message()));
    }
    if (*analysis_option) continue;
    if (arg == "--code" || arg == "--bind" || arg == "--config" ||
        arg == "--format" || arg == "--output" || arg == "--fail-on" ||
        arg == "--jobs" || arg == "--cloudtrail") {
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
      } else if (arg == "--config") {
        run.config = value;
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
  if (run.code.empty() && run.config.empty()) {
    return kErrors.Usage(err, "no code directory given (--code DIR)");
  }
  if (jobs_given && !run.options.all_roles) {
    return kErrors.Usage(err, "--jobs applies only to --all-roles");
  }
  if (run.options.all_roles && run.options.authorization_details.empty() &&
      run.options.has_policies) {
    return kErrors.Usage(err,
                         "--all-roles without --authorization-details checks "
                         "the roles of leastpriv.json: give their policies "
                         "there, not as policy options");
  }
  absl::StatusOr<Project> project = LoadCheckProject(run);
  if (!project.ok()) {
    return kErrors.Input(err, std::string(project.status().message()));
  }
  // What the template and plan readers could not model is left out of the
  // policies: say so, as review does in its comments.
  for (const Finding& f : project->iac_problems) {
    err << "leastpriv: warning: " << FormatPos(f.pos) << ": ["
        << FindingCodeName(f.code) << "] " << f.message << "\n";
  }
  if (run.options.all_roles && project->roles.empty()) {
    return kErrors.Usage(err,
                         "--all-roles needs --authorization-details FILE (the "
                         "output of `aws iam get-account-authorization-"
                         "details`) or roles in leastpriv.json");
  }
  if (project->roles.empty()) {
    return kErrors.Usage(err,
                         "no policies given (use --policy or another policy "
                         "option, or \"policies\" in leastpriv.json)");
  }
  if (fail_on_text.empty()) fail_on_text = project->config.fail_on;
  if (!fail_on_text.empty()) {
    absl::StatusOr<FailLevel> l = ParseFailLevel(fail_on_text);
    if (!l.ok())
      return kErrors.Usage(err,
                           "--fail-on: " + std::string(l.status().message()));
    run.fail_on = *l;
  }
  if (run.options.all_roles) return RunAllRoles(run, *project, start, out, err);
  absl::StatusOr<const ProjectRole*> role = SingleRole(*project);
  if (!role.ok()) {
    return kErrors.Input(err, std::string(role.status().message()));
  }
  return RunSingle(run, *project, **role, start, out, err);
}

}  // namespace leastpriv
