// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A checkout resolved into the inputs of a check per role: its policies
// (plain files, authorization details, CloudFormation, Terraform plans, SCP
// and RCP levels), the account and region of its tables, its principal,
// the bindings of table names and the code to scan.

#include "leastpriv/project.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/iac.h"
#include "leastpriv/policy.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultRole[] = "default";

// A path of the configuration, inside `root`: relative, no "..", and not
// leading out of the root through a symbolic link.
absl::StatusOr<std::string> InsideRoot(const std::string& root,
                                       const std::string& relative,
                                       const std::string& config_file) {
  fs::path rel(relative);
  bool escapes = rel.is_absolute();
  for (const fs::path& part : rel) escapes |= part == "..";
  if (!escapes) {
    std::error_code ec;
    fs::path canon_root = fs::weakly_canonical(root, ec);
    fs::path canon = fs::weakly_canonical(fs::path(root) / rel, ec);
    std::string r = canon_root.string(), c = canon.string();
    escapes = c.compare(0, r.size(), r) != 0 ||
              (c.size() > r.size() && c[r.size()] != '/');
  }
  if (escapes) {
    return absl::InvalidArgumentError(absl::StrCat(
        config_file, ": path \"", relative, "\" leaves the checkout"));
  }
  std::string path = (fs::path(root) / rel).lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// Account and region of every DynamoDB ARN written in the role's own
// policies with both fields literal.
void CollectArnFields(const PolicySet& set, std::set<std::string>* accounts,
                      std::set<std::string>* regions) {
  auto literal = [](const std::string& s) {
    return !s.empty() && s.find_first_of("*?${}") == std::string::npos;
  };
  auto visit = [&](const Policy& p) {
    for (const Statement& st : p.statements) {
      for (const PolicyString& r : st.resources) {
        std::vector<std::string> parts = absl::StrSplit(r.text, ':');
        if (parts.size() < 6 || parts[0] != "arn" || parts[2] != "dynamodb") {
          continue;
        }
        if (literal(parts[3])) regions->insert(parts[3]);
        if (literal(parts[4])) accounts->insert(parts[4]);
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

// `*value` from the option, the file, or the one value the policies agree
// on; otherwise an error naming what is missing.
absl::Status Resolve(const std::string& what, const std::string& option,
                     const std::string& option_name, const std::string& file,
                     const std::set<std::string>& inferred,
                     std::string* value) {
  if (!option.empty()) {
    *value = option;
  } else if (!file.empty()) {
    *value = file;
  } else if (inferred.size() == 1) {
    *value = *inferred.begin();
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "the ", what, " of the tables is not known: ",
        option_name.empty() ? "" : absl::StrCat("pass ", option_name, " or "),
        "set \"", what, "\" in leastpriv.json (",
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

// Fills the account, region, ARN and principal of `role`, or its status.
void Complete(const ProjectOptions& options, const ProjectConfig& config,
              const std::string& details_arn, ProjectRole* role) {
  role->arn = details_arn;
  if (!role->status.ok()) return;
  if (absl::Status s = CheckEvaluable(role->policies); !s.ok()) {
    role->status = s;
    return;
  }
  std::set<std::string> accounts, regions;
  CollectArnFields(role->policies, &accounts, &regions);
  if (absl::Status s =
          Resolve("account", options.account, options.account_option,
                  config.account, accounts, &role->account);
      !s.ok()) {
    role->status = s;
    return;
  }
  if (absl::Status s = Resolve("region", options.region, options.region_option,
                               config.region, regions, &role->region);
      !s.ok()) {
    role->status = s;
    return;
  }
  if (role->arn.empty() && !role->name.empty()) {
    role->arn =
        absl::StrCat("arn:aws:iam::", role->account, ":role/", role->name);
  }
  role->principal = !options.principal.empty() ? options.principal
                    : !options.all_roles && !config.principal.empty()
                        ? config.principal
                        : role->arn;
}

// The policy sources of the configuration, by role.
struct ConfigPolicies {
  std::map<std::string, PolicySet> roles;
  std::vector<std::vector<Policy>> scps, rcps;
  std::map<std::string, std::vector<Policy>> resource;
};

void Add(ConfigPolicies* out, PolicyKind kind, const std::string& role,
         const std::string& table, Policy policy) {
  switch (kind) {
    case PolicyKind::kIdentity:
      out->roles[role].identity.push_back(std::move(policy));
      break;
    case PolicyKind::kBoundary:
      out->roles[role].boundary = std::move(policy);
      break;
    case PolicyKind::kSession:
      out->roles[role].session = std::move(policy);
      break;
    case PolicyKind::kScp:
      out->scps.push_back({std::move(policy)});
      break;
    case PolicyKind::kRcp:
      out->rcps.push_back({std::move(policy)});
      break;
    case PolicyKind::kResource:
      out->resource[table].push_back(std::move(policy));
      break;
  }
}

absl::StatusOr<std::string> ReadBounded(const std::string& path,
                                        const std::string& name,
                                        std::size_t max_bytes) {
  return policy_internal::ReadFileBounded(path, name, max_bytes);
}

// Reads every policy source the configuration names.
absl::Status ReadConfigPolicies(const ProjectOptions& options,
                                const std::string& root,
                                const ProjectConfig& config,
                                ConfigPolicies* out,
                                std::vector<Finding>* problems) {
  auto name_of = [&](const std::string& rel) {
    return options.root_relative_names
               ? rel
               : (fs::path(root) / rel).lexically_normal().string();
  };
  for (const ConfigPolicyFile& p : config.policies) {
    auto path = InsideRoot(root, p.file, config.path);
    if (!path.ok()) return path.status();
    ParseOptions po;
    po.file_name = name_of(p.file);
    po.kind = p.kind;
    po.limits = options.limits;
    auto text = ReadBounded(*path, po.file_name, options.limits.max_bytes);
    if (!text.ok()) return text.status();
    auto policy = ParsePolicy(*text, po);
    if (!policy.ok()) return policy.status();
    if (policy->name.empty()) policy->name = p.file;
    Add(out, p.kind, p.role, p.table, *std::move(policy));
  }
  for (const auto& [levels, kind] :
       {std::make_pair(&config.scps, PolicyKind::kScp),
        std::make_pair(&config.rcps, PolicyKind::kRcp)}) {
    for (const std::vector<std::string>& level : *levels) {
      std::vector<std::string> files;
      for (const std::string& f : level) {
        auto path = InsideRoot(root, f, config.path);
        if (!path.ok()) return path.status();
        files.push_back(name_of(f));
      }
      auto policies = LoadOrganizationLevel(
          files, kind, options.limits, options.root_relative_names ? root : "");
      if (!policies.ok()) return policies.status();
      (kind == PolicyKind::kScp ? out->scps : out->rcps)
          .push_back(*std::move(policies));
    }
  }
  IacOptions iac;
  iac.account_id = !options.account.empty() ? options.account : config.account;
  iac.region = !options.region.empty() ? options.region : config.region;
  auto add_extracted = [&](std::vector<ExtractedPolicy> found) {
    for (ExtractedPolicy& e : found) {
      for (const Finding& f : e.problems) problems->push_back(f);
      if (!e.has_document) continue;
      const std::string role = e.role.empty() ? e.policy.name : e.role;
      const PolicyKind kind = e.policy.kind;
      Add(out, kind, role, e.table, std::move(e.policy));
    }
  };
  for (const auto& [list, terraform] :
       {std::make_pair(&config.cloudformation, false),
        std::make_pair(&config.terraform, true)}) {
    for (const std::string& t : *list) {
      auto path = InsideRoot(root, t, config.path);
      if (!path.ok()) return path.status();
      const std::string name = name_of(t);
      auto text = ReadBounded(*path, name, iac.limits.max_bytes);
      if (!text.ok()) return text.status();
      auto found = terraform ? ExtractTerraformPlan(*text, name)
                             : ExtractCloudFormation(*text, name, iac);
      if (!found.ok()) return found.status();
      add_extracted(*std::move(found));
    }
  }
  return absl::OkStatus();
}

// Adds to *project a role per role of the policies the configuration names
// (read by ReadConfigPolicies), each checked as itself; with
// `skip_boundary_only`, a role given a permissions boundary and no identity
// policy is left out.
absl::Status AddConfigRoles(const ProjectOptions& options,
                            const std::string& root,
                            const ProjectConfig& config,
                            bool skip_boundary_only, Project* project) {
  ConfigPolicies found;
  if (absl::Status s = ReadConfigPolicies(options, root, config, &found,
                                          &project->iac_problems);
      !s.ok()) {
    return s;
  }
  for (auto& [name, set] : found.roles) {
    if (skip_boundary_only && set.identity.empty()) continue;
    ProjectRole role;
    role.name = name.empty() ? kDefaultRole : name;
    role.policies = std::move(set);
    role.policies.scp_levels = found.scps;
    role.policies.rcp_levels = found.rcps;
    role.policies.resource = found.resource;
    Complete(options, config, "", &role);
    project->roles.push_back(std::move(role));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AddRolePolicies(PolicySet role, const std::string& role_name,
                             PolicySet* into) {
  if (role.boundary.has_value() && into->boundary.has_value()) {
    return absl::InvalidArgumentError(
        "--boundary conflicts with the boundary of role \"" + role_name + "\"");
  }
  for (Policy& p : role.identity) into->identity.push_back(std::move(p));
  if (role.boundary.has_value()) into->boundary = std::move(role.boundary);
  return absl::OkStatus();
}

std::vector<const ProjectRole*> Project::CodeRoles() const {
  std::vector<const ProjectRole*> out;
  for (const ProjectRole& role : roles) {
    if (!config.code_role.empty() && role.name != config.code_role) continue;
    if (role.policies.identity.empty()) continue;
    out.push_back(&role);
  }
  return out;
}

absl::StatusOr<Project> LoadProject(const ProjectOptions& options) {
  Project project;
  project.root = options.root.empty() ? "." : options.root;
  const std::string& root = project.root;
  std::string config_path = options.config;
  if (config_path.empty()) {
    const std::string candidate = (fs::path(root) / "leastpriv.json").string();
    std::error_code ec;
    if (options.require_config || fs::is_regular_file(candidate, ec)) {
      config_path = candidate;
    }
  }
  if (!config_path.empty()) {
    absl::StatusOr<ProjectConfig> config = LoadProjectConfig(config_path);
    if (!config.ok()) return config.status();
    project.config = *std::move(config);
  }
  const ProjectConfig& config = project.config;

  // Bindings: the options' over the file's.
  for (const auto& [key, table] : config.bindings) {
    project.bindings[key] = table;
    project.binding_sources[key] = fs::path(config_path).filename().string();
  }
  for (const auto& [key, table] : options.bindings) {
    project.bindings[key] = table;
    project.binding_sources[key] = "--bind";
  }

  // The code.
  if (!options.code.empty()) {
    project.code_dir = options.code;
  } else {
    const std::string rel = config.code.empty() ? "." : config.code;
    auto dir = InsideRoot(root, rel, config_path);
    if (!dir.ok()) return dir.status();
    project.code_dir = *dir;
    std::string normal = fs::path(rel).lexically_normal().string();
    while (!normal.empty() && normal.back() == '/') normal.pop_back();
    project.code = normal == "." ? "" : normal;
  }

  // The roles.
  if (options.all_roles && options.authorization_details.empty()) {
    // Every role of the file, each checked as itself.
    if (absl::Status s = AddConfigRoles(options, root, config,
                                        /*skip_boundary_only=*/true, &project);
        !s.ok()) {
      return s;
    }
    return project;
  }
  if (options.all_roles) {
    absl::StatusOr<std::vector<AuthorizationDetailsRole>> roles =
        LoadRolesFromAuthorizationDetails(options.authorization_details,
                                          options.limits);
    if (!roles.ok()) return roles.status();
    if (roles->empty()) {
      return absl::InvalidArgumentError(
          options.authorization_details +
          ": lists no roles (no entry of RoleDetailList has a RoleName)");
    }
    std::stable_sort(
        roles->begin(), roles->end(),
        [](const AuthorizationDetailsRole& a,
           const AuthorizationDetailsRole& b) { return a.name < b.name; });
    for (AuthorizationDetailsRole& r : *roles) {
      ProjectRole role;
      role.name = r.name;
      role.policies = options.policies;
      role.status = r.policies.ok() ? AddRolePolicies(*std::move(r.policies),
                                                      r.name, &role.policies)
                                    : r.policies.status();
      Complete(options, config, r.arn, &role);
      project.roles.push_back(std::move(role));
    }
    return project;
  }
  if (options.has_policies) {
    ProjectRole role;
    role.policies = options.policies;
    Complete(options, config, "", &role);
    project.roles.push_back(std::move(role));
    return project;
  }
  if (absl::Status s = AddConfigRoles(options, root, config,
                                      /*skip_boundary_only=*/false, &project);
      !s.ok()) {
    return s;
  }
  return project;
}

CheckInput ProjectCheckInput(const Project& project, const ProjectRole& role,
                             const ScanResult& scan,
                             const AnalysisOptions& analysis) {
  CheckInput input;
  input.scan = &scan;
  input.policies = &role.policies;
  input.account = role.account;
  input.region = role.region;
  input.principal = role.principal;
  input.bindings = project.bindings;
  input.binding_sources = project.binding_sources;
  input.analysis = analysis;
  input.code_prefix = project.code_dir;
  if (!input.code_prefix.empty() && input.code_prefix.back() != '/') {
    input.code_prefix += '/';
  }
  return input;
}

absl::StatusOr<std::vector<RecordedOperation>> ProjectLoggedOperations(
    const ProjectRole& role, const std::vector<std::string>& cloudtrail) {
  absl::StatusOr<PolicyEvaluator> evaluator =
      PolicyEvaluator::Create(role.policies);
  if (!evaluator.ok()) return evaluator.status();
  ReplayOptions replay;
  replay.jobs = 0;
  replay.principal = role.principal;
  absl::StatusOr<ReplayReport> logged = Replay(*evaluator, cloudtrail, replay);
  if (!logged.ok()) return logged.status();
  return std::move(logged->operations);
}

}  // namespace leastpriv
