// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/simulate/simulate_command.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv simulate [policy options] --requests FILE "
    "[--format json|text]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);
constexpr std::size_t kMaxRequestFileBytes = 64u << 20;
constexpr std::size_t kMaxRequests = 1000000;

std::string At(const std::string& file, const json::Value& v) {
  return file + ":" + std::to_string(v.line()) + ":" +
         std::to_string(v.column()) + ": ";
}

absl::StatusOr<std::string> ReadRequestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open file");
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxRequestFileBytes) {
      return absl::InvalidArgumentError(path + ": request file larger than " +
                                        std::to_string(kMaxRequestFileBytes) +
                                        " bytes");
    }
  }
  return text;
}

// A context value as written: a string, number or Boolean, or a list of them.
absl::StatusOr<std::string> ScalarText(const std::string& file,
                                       const json::Value& v,
                                       const std::string& key) {
  if (v.is_string()) return v.string_value();
  if (v.is_number()) return v.number_text();
  if (v.is_bool()) return std::string(v.bool_value() ? "true" : "false");
  return absl::InvalidArgumentError(
      At(file, v) + "context key \"" + key +
      "\" must be a string, number, Boolean or a list of them, not " +
      std::string(json::Value::KindName(v.kind())));
}

absl::StatusOr<Request> ReadRequest(const std::string& file,
                                    const json::Value& v,
                                    const cli::PolicyOptions& options) {
  if (!v.is_object()) {
    return absl::InvalidArgumentError(
        At(file, v) + "request must be an object, not " +
        std::string(json::Value::KindName(v.kind())));
  }
  Request r;
  r.principal = options.principal;
  bool has_action = false, has_resource = false;
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [key, value] = v.object()[i];
    const std::string key_at = file + ":" + std::to_string(v.key_line(i)) +
                               ":" + std::to_string(v.key_column(i)) + ": ";
    if (key == "action" || key == "resource" || key == "principal") {
      if (!value.is_string() || value.string_value().empty()) {
        return absl::InvalidArgumentError(At(file, value) + "\"" + key +
                                          "\" must be a non-empty string");
      }
      if (key == "action") {
        r.action = value.string_value();
        has_action = true;
      } else if (key == "resource") {
        r.resource = value.string_value();
        has_resource = true;
      } else {
        r.principal = value.string_value();
      }
    } else if (key == "context") {
      if (!value.is_object()) {
        return absl::InvalidArgumentError(At(file, value) +
                                          "\"context\" must be an object");
      }
      for (const auto& [ckey, cvalue] : value.object()) {
        ContextValue cv;
        if (cvalue.is_array()) {
          cv.multi_valued = true;
          for (const json::Value& item : cvalue.array()) {
            absl::StatusOr<std::string> s = ScalarText(file, item, ckey);
            if (!s.ok()) return s.status();
            cv.values.push_back(*std::move(s));
          }
        } else {
          absl::StatusOr<std::string> s = ScalarText(file, cvalue, ckey);
          if (!s.ok()) return s.status();
          cv.values.push_back(*std::move(s));
        }
        r.context[ckey] = std::move(cv);
      }
    } else {
      return absl::InvalidArgumentError(
          key_at + "unknown request field \"" + key +
          "\" (expected action, resource, principal, context)");
    }
  }
  if (!has_action) {
    return absl::InvalidArgumentError(At(file, v) +
                                      "request has no \"action\"");
  }
  if (!has_resource) {
    return absl::InvalidArgumentError(At(file, v) +
                                      "request has no \"resource\"");
  }
  if (r.resource != "*" && r.resource.rfind("arn:", 0) != 0) {
    if (options.region.empty() || options.account.empty()) {
      return absl::InvalidArgumentError(
          At(file, *v.Find("resource")) + "table name \"" + r.resource +
          "\" needs --region and --account (or give the table ARN)");
    }
    r.resource = "arn:aws:dynamodb:" + options.region + ":" + options.account +
                 ":table/" + r.resource;
  }
  return r;
}

json::Value DecisionJson(const Decision& d) {
  std::vector<json::Value> statements;
  for (const StatementRef& s : d.statements) {
    statements.push_back(json::Value::Object({
        {"policy", json::Value::String(s.policy_name)},
        {"kind",
         json::Value::String(std::string(PolicyKindName(s.policy_kind)))},
        {"sid",
         s.sid.has_value() ? json::Value::String(*s.sid) : json::Value::Null()},
        {"file", json::Value::String(s.pos.file)},
        {"line", json::Value::Number(s.pos.line)},
    }));
  }
  return json::Value::Object({
      {"decision", json::Value::String(std::string(DecisionKindName(d.kind)))},
      {"statements", json::Value::Array(std::move(statements))},
      {"reason", json::Value::String(d.reason)},
  });
}

std::string DecisionText(std::size_t index, const Request& r,
                         const Decision& d) {
  std::string line = std::to_string(index + 1) + ": " +
                     std::string(DecisionKindName(d.kind)) + " " + r.action +
                     " " + r.resource;
  if (!d.reason.empty()) line += ": " + d.reason;
  for (const StatementRef& s : d.statements) {
    line += "\n    " + std::string(PolicyKindName(s.policy_kind)) + " " +
            s.policy_name + " statement " +
            (s.sid.has_value() ? "\"" + *s.sid + "\""
                               : "#" + std::to_string(s.index)) +
            " at " + FormatPos(s.pos);
  }
  return line;
}

}  // namespace

int RunSimulateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err) {
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kUsage, err);
  }
  std::string requests_file, format = "json";
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << cli::kPolicyOptionsUsage;
      return 0;
    }
    if (arg == "--requests" || arg == "--format") {
      if (i + 1 >= rest.size()) return kErrors.Usage(err, arg + " needs a value");
      (arg == "--requests" ? requests_file : format) = rest[++i];
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      return kErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    return kErrors.Usage(err, "unexpected argument \"" + arg + "\"");
  }
  if (format != "json" && format != "text") {
    return kErrors.Usage(err,
                      "--format must be json or text, not \"" + format + "\"");
  }
  if (requests_file.empty()) return kErrors.Usage(err, "--requests is required");
  if (!options->has_policies) {
    return kErrors.Usage(err,
                      "no policies given (use --policy or another policy "
                      "option)");
  }

  if (absl::Status s = CheckEvaluable(options->policies); !s.ok()) {
    return kErrors.Input(err, std::string(s.message()));
  }
  absl::StatusOr<std::string> text = ReadRequestFile(requests_file);
  if (!text.ok()) return kErrors.Input(err, std::string(text.status().message()));
  absl::StatusOr<json::Value> doc = json::Parse(*text);
  if (!doc.ok()) {
    return kErrors.Input(
        err, requests_file + ":" + std::string(doc.status().message()));
  }
  if (!doc->is_array()) {
    return kErrors.Input(err, At(requests_file, *doc) +
                               "request file must be a JSON array of requests");
  }
  if (doc->array().size() > kMaxRequests) {
    return kErrors.Input(err, requests_file + ": more than " +
                               std::to_string(kMaxRequests) + " requests");
  }
  std::vector<Request> requests;
  std::vector<Decision> decisions;
  for (const json::Value& item : doc->array()) {
    absl::StatusOr<Request> r = ReadRequest(requests_file, item, *options);
    if (!r.ok()) return kErrors.Input(err, std::string(r.status().message()));
    absl::StatusOr<Decision> d = Evaluate(options->policies, *r);
    if (!d.ok()) {
      return kErrors.Input(
          err, At(requests_file, item) + std::string(d.status().message()));
    }
    requests.push_back(*std::move(r));
    decisions.push_back(*std::move(d));
  }
  if (format == "text") {
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      out << DecisionText(i, requests[i], decisions[i]) << "\n";
    }
    return 0;
  }
  std::vector<json::Value> results;
  for (const Decision& d : decisions) results.push_back(DecisionJson(d));
  out << json::Serialize(json::Value::Object(
             {{"results", json::Value::Array(std::move(results))}}))
      << "\n";
  return 0;
}

}  // namespace leastpriv
