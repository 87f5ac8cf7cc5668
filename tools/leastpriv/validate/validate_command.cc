// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/validate/validate_command.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leastpriv/policy.h"
#include "leastpriv/validate.h"
#include "lib/json/json.h"
#include "tools/leastpriv/common/errors.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv validate FILE... [--format text|json] "
    "[--kind identity|resource|boundary|scp|rcp|session]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);

std::optional<PolicyKind> KindFromName(const std::string& name) {
  for (PolicyKind kind :
       {PolicyKind::kIdentity, PolicyKind::kResource, PolicyKind::kBoundary,
        PolicyKind::kSession, PolicyKind::kScp, PolicyKind::kRcp}) {
    if (PolicyKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

json::Value FindingJson(const Finding& f) {
  return json::Value::Object({
      {"code", json::Value::String(std::string(FindingCodeName(f.code)))},
      {"severity", json::Value::String(std::string(SeverityName(f.severity)))},
      {"message", json::Value::String(f.message)},
      {"line", json::Value::Number(f.pos.line)},
      {"column", json::Value::Number(f.pos.column)},
  });
}

}  // namespace

int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err) {
  std::vector<std::string> files;
  std::string format = "text";
  PolicyKind kind = PolicyKind::kIdentity;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](const std::string& flag,
                     std::string& into) -> std::optional<int> {
      if (arg == flag) {
        if (i + 1 >= args.size()) {
          return kErrors.Usage(err, flag + " needs a value");
        }
        into = args[++i];
        return std::nullopt;
      }
      into = arg.substr(flag.size() + 1);  // --flag=value
      return std::nullopt;
    };
    std::string v;
    if (arg == "--format" || arg.rfind("--format=", 0) == 0) {
      if (auto rc = value("--format", v)) return *rc;
      if (v != "text" && v != "json") {
        return kErrors.Usage(err, "unknown format \"" + v + "\"");
      }
      format = v;
    } else if (arg == "--kind" || arg.rfind("--kind=", 0) == 0) {
      if (auto rc = value("--kind", v)) return *rc;
      std::optional<PolicyKind> k = KindFromName(v);
      if (!k) return kErrors.Usage(err, "unknown policy kind \"" + v + "\"");
      kind = *k;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return kErrors.Usage(err, "unknown option \"" + arg + "\"");
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) return kErrors.Usage(err, "no policy files given");

  bool unusable = false;
  bool found = false;
  std::vector<json::Value> file_values;
  for (const std::string& file : files) {
    ParseOptions options;
    options.file_name = file;
    options.kind = kind;
    const FileValidation result = ValidatePolicyFile(file, options);
    if (!result.usable) {
      unusable = true;
      for (const Finding& f : result.findings) {
        err << "leastpriv: error: " << FormatPos(f.pos) << ": " << f.message
            << "\n";
      }
    } else if (HasWarningOrError(result.findings)) {
      found = true;
    }
    if (format == "json") {
      std::vector<json::Value> findings;
      for (const Finding& f : result.findings) {
        findings.push_back(FindingJson(f));
      }
      file_values.push_back(json::Value::Object({
          {"file", json::Value::String(file)},
          {"findings", json::Value::Array(std::move(findings))},
      }));
    } else if (result.usable) {
      for (const Finding& f : result.findings) {
        out << FormatPos(f.pos) << ": " << SeverityName(f.severity) << ": ["
            << FindingCodeName(f.code) << "] " << f.message << "\n";
      }
    }
  }
  if (format == "json") {
    out << json::Serialize(
               json::Value::Object(
                   {{"files", json::Value::Array(std::move(file_values))}}),
               2)
        << "\n";
  }
  if (unusable) return 2;
  return found ? 1 : 0;
}

}  // namespace leastpriv
