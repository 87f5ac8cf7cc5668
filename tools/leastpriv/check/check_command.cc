// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/check/check_command.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv check --code DIR [policy options] "
    "[--bind env:X=TABLE|settings:Y=TABLE]...\n"
    "                       [--config FILE] "
    "[--format text|json|sarif|markdown] [--output FILE]\n"
    "                       [--fail-on any|write|data-exposure|destructive|"
    "missing] [--include-tests] [--rlimit N]\n";

int UsageError(std::ostream& err, const std::string& message) {
  err << "leastpriv: error: " << message << "\n" << kUsage;
  return 2;
}

int InputError(std::ostream& err, const std::string& message) {
  err << "leastpriv: error: " << message << "\n";
  return 2;
}

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

}  // namespace

int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kUsage, err);
  }
  std::string code, config_path, format = "text", output, fail_on_text;
  std::map<std::string, std::string> bindings, sources;
  ScanOptions scan_options;
  AnalysisOptions analysis;
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << cli::kPolicyOptionsUsage;
      return 0;
    }
    if (arg == "--include-tests") {
      scan_options.include_tests = true;
      continue;
    }
    if (arg == "--code" || arg == "--bind" || arg == "--config" ||
        arg == "--format" || arg == "--output" || arg == "--fail-on" ||
        arg == "--rlimit") {
      if (i + 1 >= rest.size()) return UsageError(err, arg + " needs a value");
      const std::string& value = rest[++i];
      if (arg == "--code") {
        code = value;
      } else if (arg == "--bind") {
        std::string key, table;
        if (absl::Status s = ParseBinding(value, &key, &table); !s.ok()) {
          return UsageError(err, std::string(s.message()));
        }
        bindings[key] = table;
        sources[key] = "--bind";
      } else if (arg == "--config") {
        config_path = value;
      } else if (arg == "--format") {
        format = value;
      } else if (arg == "--output") {
        output = value;
      } else if (arg == "--fail-on") {
        fail_on_text = value;
      } else {
        std::uint64_t n = 0;
        if (!absl::SimpleAtoi(value, &n) || n == 0) {
          return UsageError(err, "--rlimit expects a positive integer, not \"" +
                                     value + "\"");
        }
        analysis.rlimit = n;
      }
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      return UsageError(err, "unknown option \"" + arg + "\"");
    }
    return UsageError(err, "unexpected argument \"" + arg + "\"");
  }
  if (format != "text" && format != "json" && format != "sarif" &&
      format != "markdown") {
    return UsageError(err,
                      "--format must be text, json, sarif or markdown, "
                      "not \"" +
                          format + "\"");
  }
  if (code.empty())
    return UsageError(err, "no code directory given (--code DIR)");
  if (!options->has_policies) {
    return UsageError(err,
                      "no policies given (use --policy or another policy "
                      "option)");
  }
  CheckConfig config;
  if (config_path.empty()) {
    std::error_code ec;
    std::string candidate =
        (std::filesystem::path(code) / "leastpriv.json").string();
    if (std::filesystem::is_regular_file(candidate, ec))
      config_path = candidate;
  }
  if (!config_path.empty()) {
    absl::StatusOr<CheckConfig> c = LoadCheckConfig(config_path);
    if (!c.ok()) return InputError(err, std::string(c.status().message()));
    config = *c;
    for (const auto& [key, table] : config.bindings) {
      if (bindings.count(key)) continue;
      bindings[key] = table;
      sources[key] = std::filesystem::path(config_path).filename().string();
    }
  }
  if (fail_on_text.empty()) fail_on_text = config.fail_on;
  FailLevel fail_on = FailLevel::kRead;
  if (!fail_on_text.empty()) {
    absl::StatusOr<FailLevel> l = ParseFailLevel(fail_on_text);
    if (!l.ok())
      return UsageError(err, "--fail-on: " + std::string(l.status().message()));
    fail_on = *l;
  }
  if (absl::Status s = CheckEvaluable(options->policies); !s.ok()) {
    return InputError(err, std::string(s.message()));
  }
  CheckInput input;
  std::set<std::string> accounts, regions;
  CollectArnFields(options->policies, &accounts, &regions);
  if (absl::Status s = Resolve("account", options->account, "--account ID",
                               config.account, accounts, &input.account);
      !s.ok()) {
    return InputError(err, std::string(s.message()));
  }
  if (absl::Status s = Resolve("region", options->region, "--region NAME",
                               config.region, regions, &input.region);
      !s.ok()) {
    return InputError(err, std::string(s.message()));
  }
  input.principal =
      options->principal.empty() ? config.principal : options->principal;
  input.bindings = bindings;
  input.binding_sources = sources;
  input.analysis = analysis;
  input.code_prefix = code;
  if (!input.code_prefix.empty() && input.code_prefix.back() != '/') {
    input.code_prefix += '/';
  }

  absl::StatusOr<ScanResult> scan = ScanProject(code, scan_options);
  if (!scan.ok()) return InputError(err, std::string(scan.status().message()));
  const double scan_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  input.scan = &*scan;
  input.policies = &options->policies;
  absl::StatusOr<CheckReport> report = RunCheck(input);
  if (!report.ok())
    return InputError(err, std::string(report.status().message()));

  RenderOptions render;
  render.fail_on = fail_on;
  render.code_prefix = code;
  if (!render.code_prefix.empty() && render.code_prefix.back() != '/') {
    render.code_prefix += '/';
  }
  const char* no_color = std::getenv("NO_COLOR");
  render.color = format == "text" && output.empty() && &out == &std::cout &&
                 isatty(STDOUT_FILENO) &&
                 (no_color == nullptr || *no_color == '\0');
  std::string text = format == "json"       ? RenderJson(*report, render)
                     : format == "sarif"    ? RenderSarif(*report, render)
                     : format == "markdown" ? RenderMarkdown(*report, render)
                                            : RenderText(*report, render);
  if (output.empty()) {
    out << text;
  } else {
    std::ofstream file(output, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.good())
      return InputError(err, output + ": cannot write the report");
  }
  if (std::getenv("LEASTPRIV_TIMINGS") != nullptr) {
    err << "leastpriv: timings: scan " << scan_seconds << " s, solve "
        << report->timings.solve << " s, report " << report->timings.report
        << " s\n";
  }
  if (!report->unknown.empty()) return 3;
  return CheckFails(*report, fail_on) ? 1 : 0;
}

}  // namespace leastpriv
