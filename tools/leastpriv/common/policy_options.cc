// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/common/policy_options.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "leastpriv/project.h"

namespace leastpriv::cli {

const char kPolicyOptionsUsage[] =
    "policy options:\n"
    "  --policy FILE                 identity policy (repeatable)\n"
    "  --resource-policy TABLE=FILE  resource-based policy of a table\n"
    "  --boundary FILE               permissions boundary\n"
    "  --session-policy FILE         session policy\n"
    "  --scp FILE[,FILE...]          SCPs of one organisation level per "
    "use, root first\n"
    "                                (policy files, describe-policy or\n"
    "                                list-policies-for-target output)\n"
    "  --rcp FILE[,FILE...]          RCPs of one level per use, root first\n"
    "  --principal ARN               the requesting principal\n"
    "  --account ID                  account of the principal and tables\n"
    "  --region NAME                 region for tables given by name\n"
    "  --authorization-details FILE --role NAME\n"
    "                                a role from get-account-authorization-"
    "details\n";

namespace {

absl::StatusOr<Policy> Load(const std::string& path, PolicyKind kind) {
  ParseOptions options;
  options.file_name = path;
  options.kind = kind;
  return LoadPolicyFile(path, options);
}

}  // namespace

absl::StatusOr<PolicyOptions> ParsePolicyOptions(
    const std::vector<std::string>& args, std::vector<std::string>* rest,
    const PolicyOptionsSyntax& syntax) {
  PolicyOptions out;
  std::string details_file, role;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (syntax.all_roles && arg == "--all-roles") {
      out.all_roles = true;
      continue;
    }
    static const char* const kValued[] = {
        "--policy",    "--resource-policy",
        "--boundary",  "--session-policy",
        "--scp",       "--rcp",
        "--principal", "--account",
        "--region",    "--authorization-details",
        "--role"};
    bool known = false;
    for (const char* flag : kValued) known |= arg == flag;
    if (!known) {
      rest->push_back(arg);
      continue;
    }
    if (i + 1 >= args.size()) {
      return absl::InvalidArgumentError(arg + " needs a value");
    }
    const std::string& value = args[++i];
    if (arg == "--principal") {
      out.principal = value;
      continue;
    }
    if (arg == "--account") {
      out.account = value;
      continue;
    }
    if (arg == "--region") {
      out.region = value;
      continue;
    }
    if (arg == "--authorization-details") {
      details_file = value;
      continue;
    }
    if (arg == "--role") {
      role = value;
      continue;
    }
    out.has_policies = true;
    if (arg == "--resource-policy") {
      const std::size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        return absl::InvalidArgumentError(
            "--resource-policy expects TABLE=FILE, got \"" + value + "\"");
      }
      absl::StatusOr<Policy> p =
          Load(value.substr(eq + 1), PolicyKind::kResource);
      if (!p.ok()) return p.status();
      out.policies.resource[value.substr(0, eq)].push_back(*std::move(p));
      continue;
    }
    if (arg == "--scp" || arg == "--rcp") {
      // One organisation level: the files attached at it.
      const PolicyKind kind =
          arg == "--scp" ? PolicyKind::kScp : PolicyKind::kRcp;
      std::vector<std::string> files = absl::StrSplit(value, ',');
      for (const std::string& f : files) {
        if (f.empty()) {
          return absl::InvalidArgumentError(
              arg + " expects FILE[,FILE...], got \"" + value + "\"");
        }
      }
      absl::StatusOr<std::vector<Policy>> level =
          LoadOrganizationLevel(files, kind);
      if (!level.ok()) return level.status();
      (kind == PolicyKind::kScp ? out.policies.scp_levels
                                : out.policies.rcp_levels)
          .push_back(*std::move(level));
      continue;
    }
    PolicyKind kind = PolicyKind::kIdentity;
    if (arg == "--boundary") kind = PolicyKind::kBoundary;
    if (arg == "--session-policy") kind = PolicyKind::kSession;
    absl::StatusOr<Policy> p = Load(value, kind);
    if (!p.ok()) return p.status();
    switch (kind) {
      case PolicyKind::kBoundary:
        if (out.policies.boundary.has_value()) {
          return absl::InvalidArgumentError("--boundary given more than once");
        }
        out.policies.boundary = *std::move(p);
        break;
      case PolicyKind::kSession:
        if (out.policies.session.has_value()) {
          return absl::InvalidArgumentError(
              "--session-policy given more than once");
        }
        out.policies.session = *std::move(p);
        break;
      default:
        out.policies.identity.push_back(*std::move(p));
    }
  }
  out.authorization_details = details_file;
  if (out.all_roles) {
    if (!role.empty()) {
      return absl::InvalidArgumentError(
          "--all-roles and --role cannot be given together: --all-roles "
          "checks every role of the --authorization-details file");
    }
    if (!out.principal.empty()) {
      return absl::InvalidArgumentError(
          "--principal cannot be given with --all-roles: each role is "
          "checked as itself");
    }
    out.has_policies |= !details_file.empty();
    return out;
  }
  if (details_file.empty() != role.empty()) {
    return absl::InvalidArgumentError(
        "--authorization-details and --role must be given together");
  }
  if (!details_file.empty()) {
    std::string role_arn;
    absl::StatusOr<PolicySet> set = LoadRoleFromAuthorizationDetails(
        details_file, role, ParseLimits(), &role_arn);
    if (!set.ok()) return set.status();
    out.has_policies = true;
    if (absl::Status s = AddRolePolicies(*std::move(set), role, &out.policies);
        !s.ok()) {
      return s;
    }
    // The role requests as itself: its ARN from the file (which keeps its
    // path), or the ARN its name gives in --account.
    if (out.principal.empty() && !role_arn.empty()) {
      out.principal = role_arn;
    } else if (out.principal.empty() && !out.account.empty()) {
      out.principal = "arn:aws:iam::" + out.account + ":role/" + role;
    }
  }
  return out;
}

int PolicyOptionsError(const absl::Status& status, std::string_view tool,
                       std::string_view usage, std::ostream& err) {
  err << tool << ": error: " << status.message() << "\n";
  if (status.code() == absl::StatusCode::kInvalidArgument &&
      status.message().rfind("--", 0) == 0) {
    err << usage;
  }
  return 2;
}

}  // namespace leastpriv::cli
