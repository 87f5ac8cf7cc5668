// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The project model: what a repository's configuration file
// (leastpriv.json) says, and what a checkout resolves to: the inputs of a
// check for each role the code may run under. `leastpriv check` (one role
// or --all-roles) and `leastpriv review` are thin tools over it.
//
// Guide:
//   ProjectConfig / LoadProjectConfig -- the one leastpriv.json schema and
//                                        its reader
//   ParseBinding                      -- one --bind value
//   LoadOrganizationLevel             -- one SCP or RCP level, several files
//   AddRolePolicies                   -- a role's policies on top of others
//   ProjectOptions / LoadProject      -- a checkout resolved into roles
//   ProjectCheckInput                 -- a role's CheckInput for RunCheck
//   ProjectLoggedOperations           -- a role's CloudTrail operations

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_PROJECT_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_PROJECT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/replay.h"
#include "leastpriv/report.h"
#include "leastpriv/validate.h"

namespace leastpriv {

// One entry of "policies": a plain policy file.
struct ConfigPolicyFile {
  std::string file;  // relative to the project root
  PolicyKind kind = PolicyKind::kIdentity;
  // The role an identity, boundary or session policy belongs to; "default"
  // when the entry names none.
  std::string role;
  std::string table;  // the table of a resource policy (name or ARN)
  SourcePos pos;      // the entry in the configuration file
};

// A repository's configuration, usually leastpriv.json at its root. Every
// member is optional:
//
//   {
//     "account": "111122223333",          // account of the tables, 12 digits
//     "region": "eu-west-1",              // region of the tables
//     "principal": "arn:aws:iam::111122223333:role/shop",  // the code's
//     "code": "app",                      // the Python code (default ".")
//     "bindings": {                       // table references -> names
//       "env:AUDIT_TABLE": "shop-audit",  // os.environ / os.getenv name
//       "settings:AUDIT_TABLE": "shop-audit",  // Django setting
//       "orders-*": "orders-prod"         // a name pattern of the scanner
//     },
//     "policies": [                       // plain policy files
//       {"file": "iam/role.json", "kind": "identity", "role": "app"},
//       {"file": "iam/boundary.json", "kind": "boundary", "role": "app"},
//       {"file": "iam/orders.json", "kind": "resource", "table": "orders"}
//     ],
//     "scps": ["org/root.json", ["org/ou_full.json", "org/ou_deny.json"]],
//     "rcps": ["org/rcp.json"],
//     "cloudformation": ["infra/template.yaml"],
//     "terraform": ["plan.json"],
//     "code_role": "app",                 // the role the code runs under
//     "fail_on": "write"                  // see ParseFailLevel
//   }
//
// "kind" is identity, boundary, session, resource, scp or rcp. An "scp" or
// "rcp" entry of "policies" is one organisation level of its own; "scps"
// and "rcps" list levels, root first, each level one file or an array of
// the files attached at that level (see LoadOrganizationLevel). A file
// gives SCPs (and RCPs) in one of the two ways, not both. SCPs, RCPs and
// resource policies apply to every role. Paths are relative to the project
// root and must stay inside it. Unknown members are errors, with the
// closest known member suggested; so is a member of the wrong type.
struct ProjectConfig {
  std::string path;  // the file read; empty when there was none
  std::string account;
  std::string region;
  std::string principal;
  std::string code;  // relative to the root; empty when absent
  // Table reference as the scanner reports it ("env:X", "settings:Y", or a
  // table-name pattern such as "orders-*") -> table name.
  std::map<std::string, std::string> bindings;
  std::vector<ConfigPolicyFile> policies;
  // Organisation levels, root first; each level's files.
  std::vector<std::vector<std::string>> scps;
  std::vector<std::vector<std::string>> rcps;
  std::vector<std::string> cloudformation;
  std::vector<std::string> terraform;
  std::string code_role;
  std::string fail_on;  // empty when absent

  // True when the file names any policy: "policies", "scps", "rcps",
  // "cloudformation" or "terraform".
  bool HasPolicies() const;
};

// Reads a configuration file. Errors: NotFound for a missing file;
// InvalidArgument "file:line:col: message" for malformed JSON, an unknown
// member ("unknown member \"regoin\" (did you mean \"region\"?)"), a value
// of the wrong type, an account that is not 12 digits, a binding key that
// is not "env:NAME" / "settings:NAME" / a name pattern, a binding that is
// not a table name, an unknown policy kind, a resource policy entry
// without "table", SCPs given both ways, a bad "fail_on", a file over
// 1 MiB.
absl::StatusOr<ProjectConfig> LoadProjectConfig(const std::string& path);

// The same for the text of a configuration file named `path`.
absl::StatusOr<ProjectConfig> ParseProjectConfig(std::string_view text,
                                                 const std::string& path);

// Parses one --bind value "env:X=Name", "settings:Y=Name" or
// "pattern-*=Name" into `key` and `table`. InvalidArgument naming the
// expected form otherwise.
absl::Status ParseBinding(std::string_view text, std::string* key,
                          std::string* table);

// One organisation level of SCPs (kind kScp) or RCPs (kRcp): the policies
// attached at that level. Within a level a request is allowed when some
// policy of the level allows it and none denies it; every level must allow
// (see PolicySet). Each file is one of:
//   - a policy file, in any shape LoadPolicyFile reads; among them the
//     output of `aws organizations describe-policy`
//     ({"Policy": {"PolicySummary": {...}, "Content": "<document>"}}),
//     whose PolicySummary.Type must match `kind`
//     (SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY);
//   - the output of `aws organizations list-policies-for-target`
//     ({"Policies": [{"Id", "Name", "Type", ...}]}): which policies are
//     attached at the level. Its summaries hold no document, so each
//     listed policy must be given by its describe-policy output among the
//     level's files (matched by Id), and every describe-policy output of
//     the level must be listed.
// A relative path is read under `directory` when that is not empty, and
// named in positions as given. Errors (InvalidArgument
// "file:line:col: message", or the loader's NotFound for a missing file):
// no file, an empty list of policies, a second listing in one level, a
// listed policy without its describe-policy output (positioned at the
// listing), a describe-policy output the listing does not name or that is
// given twice, a describe-policy output without Policy.Content or of
// another policy type, and every error of LoadPolicyFile (a malformed
// Content is positioned inside its string).
absl::StatusOr<std::vector<Policy>> LoadOrganizationLevel(
    const std::vector<std::string>& files, PolicyKind kind,
    const ParseLimits& limits = ParseLimits(),
    const std::string& directory = "");

// Adds the policies of role `role_name` (its identity policies and its
// boundary, as LoadRoleFromAuthorizationDetails gives them) to `*into`.
// InvalidArgument "--boundary conflicts with the boundary of role
// \"NAME\"" when both have a boundary.
absl::Status AddRolePolicies(PolicySet role, const std::string& role_name,
                             PolicySet* into);

// Where a checkout's inputs come from besides its configuration file:
// usually the command line.
struct ProjectOptions {
  // The directory the configuration's paths are relative to.
  std::string root = ".";
  // The configuration file, as a path (not relative to `root`); empty:
  // ROOT/leastpriv.json when that file exists.
  std::string config;
  // Fail with NotFound when there is no configuration file.
  bool require_config = false;
  // The code to scan, as a path; empty: the configuration's "code" under
  // `root`, else `root`.
  std::string code;
  // Policies given outside the file. When `has_policies`, they replace
  // every policy source of the file (policies, scps, rcps, cloudformation,
  // terraform) and form one unnamed role, or, with `all_roles`, are added
  // to every role of `authorization_details`.
  bool has_policies = false;
  PolicySet policies;
  // The output of `aws iam get-account-authorization-details`; with
  // `all_roles`, every role of it is a role of the project.
  std::string authorization_details;
  // Every role, each checked as itself (the file's "principal" is not
  // used): those of `authorization_details`, or without it every role of
  // the file that has an identity policy (`policies` is then not used).
  bool all_roles = false;
  // Win over the file's values; empty when not given.
  std::string account;
  std::string region;
  std::string principal;
  // --bind values; win over the file's bindings.
  std::map<std::string, std::string> bindings;
  // How messages name the options that set the account and region
  // ("pass --account ID or set \"account\" in leastpriv.json"); empty:
  // only the file is named.
  std::string account_option = "--account ID";
  std::string region_option = "--region NAME";
  // Name the files of the configuration as written in it, relative to the
  // root (a review anchors comments there); otherwise as paths, the root
  // joined with them.
  bool root_relative_names = false;
  ParseLimits limits;
};

// One role of a project: the inputs of its check.
struct ProjectRole {
  // The role's name: the RoleName of the details file, the "role" of the
  // configuration's entries (or the role an IaC template gives a policy);
  // empty for the policies given outside the file.
  std::string name;
  // The role's own ARN: the details file's Arn, else
  // arn:aws:iam::ACCOUNT:role/NAME; empty for the unnamed role or when the
  // account is not known.
  std::string arn;
  // OK, or why the role cannot be checked (a policy Evaluate cannot
  // interpret, a boundary given twice, an unknown account or region). The
  // other members are then only partly filled.
  absl::Status status;
  PolicySet policies;
  // The account and region of its tables: ProjectOptions, then the file,
  // then the one account and region every DynamoDB ARN of the role's
  // policies (identity, boundary, session, resource) agrees on.
  std::string account;
  std::string region;
  // The principal the code runs as: ProjectOptions::principal, then (not
  // with all_roles) the file's "principal", then `arn`. Empty for the
  // unnamed role when nothing names it (RunCheck then uses a witness role).
  std::string principal;
};

// A checkout resolved into the inputs of its checks.
struct Project {
  std::string root;
  ProjectConfig config;  // `path` empty when there was no file
  std::string code_dir;  // the directory to scan, as a path
  // code_dir relative to the root, '/'-separated, "" for the root itself;
  // empty when the code was given in ProjectOptions.
  std::string code;
  // Table reference -> name, and where each binding comes from ("--bind",
  // or the configuration file's name).
  std::map<std::string, std::string> bindings;
  std::map<std::string, std::string> binding_sources;
  // In name order. One unnamed role for the policies given outside the
  // file; the configuration's roles otherwise (with "code_role", only that
  // role is marked by CodeRoles).
  std::vector<ProjectRole> roles;
  // Problems the CloudFormation and Terraform readers found in the
  // documents they extracted (a statement they could not model, ...).
  std::vector<Finding> iac_problems;

  // The roles the code runs under: every role with an identity policy, or
  // only "code_role" when the file names one (none when no role has that
  // name).
  std::vector<const ProjectRole*> CodeRoles() const;
};

// Resolves a checkout. Errors for the checkout as a whole (NotFound or
// InvalidArgument "file:line:col: message"): the configuration file (see
// LoadProjectConfig), a path leaving the root, a policy file, template or
// plan that cannot be read, an SCP or RCP level (LoadOrganizationLevel),
// the authorization details file (or one listing no roles, with
// all_roles). A role that cannot be checked carries its error in
// ProjectRole::status.
absl::StatusOr<Project> LoadProject(const ProjectOptions& options);

// The check input of `role`: its policies, account, region and principal,
// the project's bindings, `scan`, `analysis`, and code_dir + "/" as the
// prefix of code paths. REQUIRES: role.status is OK; `project`, `role` and
// `scan` outlive the input.
CheckInput ProjectCheckInput(const Project& project, const ProjectRole& role,
                             const ScanResult& scan,
                             const AnalysisOptions& analysis = {});

// The DynamoDB operations CloudTrail recorded for `role` (its principal's
// own requests when it has one, every request otherwise), decided under
// its policies, for CheckInput::logged. Errors: those of Replay for the
// files, and of PolicyEvaluator::Create for the policies.
absl::StatusOr<std::vector<RecordedOperation>> ProjectLoggedOperations(
    const ProjectRole& role, const std::vector<std::string>& cloudtrail);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_PROJECT_H_
