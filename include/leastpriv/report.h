// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The check: what a Django project uses (pyscan.h) against what its IAM
// policies allow (analyzer.h), and the reports made from the comparison.
//
// RunCheck answers, for one principal:
//   - used: every DynamoDB operation the code performs, on which table or
//     index ARN, with file:line evidence;
//   - missing: used operations the policies deny, with the cause (the Deny
//     statement, the boundary or SCP level that does not allow, or "no
//     statement allows");
//   - excess: every reachable (action, resource) the code never uses,
//     graded by risk, with the statement that grants it;
//   - conditional: used operations allowed only under conditions;
//   - findings: scanner findings (hard-coded keys, DEBUG = True), policy
//     validation findings, public or cross-account table policies, Scan
//     granted where only Query is used;
//   - a least-privilege identity policy for exactly what is used, proved
//     with FindAllowedDifference to cover every used operation and to grant
//     nothing the current policies deny (apart from the missing operations
//     it exists to grant).
//
// The engine decides identity-side access exactly (identity, boundary,
// session, SCP and RCP policies). Resource-based (table) policies are not
// modelled by the engine: they are checked for findings, and a used
// operation a table policy grants is not reported missing (decided with
// Evaluate on the concrete request).
//
// The leastpriv.json file of a repository, and the inputs of a check it
// resolves to, are in leastpriv/project.h.
//
// Guide:
//   CheckInput / RunCheck          -- the comparison
//   CheckReport                    -- its result
//   Render*                        -- text, JSON, SARIF 2.1.0, Markdown
//   RoleCheckInput / RunCheckBatch -- the check of many roles against one
//                                     scan, on several threads
//   RenderBatch*                   -- the reports of a batch

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_REPORT_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/finding.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/replay.h"
#include "leastpriv/validate.h"

namespace leastpriv {

// The version of the JSON report schema (README, "JSON report"). Bumped
// when a field changes meaning or is removed; adding fields keeps it.
inline constexpr int kCheckSchemaVersion = 1;

// How bad an unused permission is, from worst to mildest.
enum class Risk {
  kDestructive,   // deletes or replaces tables, backups, policies, settings
  kDataExposure,  // bulk reads: Scan, PartiQLSelect, exports, streams
  kWrite,         // item and table writes
  kRead,          // item reads, describes, lists
};

// "destructive", "data-exposure", "write", "read".
std::string_view RiskName(Risk risk);

// The risk of an unused permission for `action` ("dynamodb:DeleteTable").
// REQUIRES: a DynamoDB action of the catalog (others are kWrite).
Risk ActionRisk(std::string_view action);

// When the check fails (exit status 1): on any missing operation, and on
// excess permissions at or above the level. A used table that is not
// tenant-isolated (CheckReport::tenant_isolation answers no: one tenant
// can reach another's items) counts as data exposure: it fails the levels
// up to kDataExposure, and kTenantIsolation.
enum class FailLevel {
  kRead,             // any excess ("read", the default; also "any")
  kWrite,            // excess of risk write or worse
  kDataExposure,     // excess of risk data-exposure or worse
  kDestructive,      // destructive excess only
  kTenantIsolation,  // tables not tenant-isolated only ("tenant-isolation")
  kMissing,          // only missing operations ("missing")
};

// "read"/"any", "write", "data-exposure", "destructive",
// "tenant-isolation", "missing".
absl::StatusOr<FailLevel> ParseFailLevel(std::string_view text);

// Where a statement was written.
struct StatementLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string sid;     // empty when the statement has none
  std::string policy;  // "identity", "boundary", "scp", "resource", ...
};

// One distinct (action, table, index) the code uses.
struct UsedOperation {
  std::string action;  // "dynamodb:Query"
  std::string table;   // resolved name, or "*"
  std::optional<std::string> index;
  std::string resource;  // the ARN asked about, or "*"
  // Where the code performs it: a file relative to the code root and a line
  // (column 0), sorted by file and line.
  std::vector<SourcePos> evidence;
  // How the table name was found when not a literal ("settings:ORDERS_TABLE
  // bound by leastpriv.json"); empty otherwise.
  std::string binding;
  // The engine's answer: kYes (possibly conditional), kNo, kUnknown.
  Answer allowed = Answer::kUnknown;
  bool conditional = false;
  std::string only_if;  // when conditional
  // Where the operation was seen: in the code (evidence is not empty), in
  // CloudTrail records (CheckInput::logged; log_requests > 0), or both.
  // An operation seen only in the logs is used all the same: it is never
  // excess.
  bool in_code = true;
  std::uint64_t log_requests = 0;
};

// A used operation the policies deny.
struct MissingOperation {
  std::string action;
  std::string table;
  std::optional<std::string> index;
  std::string resource;
  std::vector<SourcePos> evidence;  // as UsedOperation::evidence
  // Plain words: "denied by statement \"NoDeletes\" at role.json:30:5",
  // "the permissions boundary does not allow it", "no statement allows it".
  std::string cause;
  // The deciding statements (Deny statements), when there are any.
  std::vector<StatementLocation> statements;
};

// One reachable (action, resource) the code does not use.
struct ExcessPermission {
  std::string action;
  // A used table's ARN or "ARN/index/*"; for other tables the reachable
  // pattern ("arn:aws:dynamodb:eu-west-1:111122223333:table/*"); "*" for
  // wildcard-only actions.
  std::string resource;
  Risk risk = Risk::kRead;
  // True when the resource is not a table the code uses (another table,
  // any table, or one of their indexes, streams, backups, ...).
  bool untouched_table = false;
  // A concrete request the policies allow (replayed through Evaluate).
  std::string example_resource;
  // A statement that grants it (the first identity-side Allow that matched
  // the witness request).
  StatementLocation statement;
};

// A used operation that is allowed only in some request contexts.
struct ConditionalAccess {
  std::string action;
  std::string resource;
  std::string only_if;  // "dynamodb:LeadingKeys ⊆ {${...}}" as rendered
  std::vector<SourcePos> evidence;  // as UsedOperation::evidence
};

// The comparison's inputs.
struct CheckInput {
  // REQUIRES: both non-null and alive for the call.
  const ScanResult* scan = nullptr;
  const PolicySet* policies = nullptr;
  std::string account;    // REQUIRES: 12 digits
  std::string region;     // REQUIRES: non-empty
  std::string principal;  // empty: arn:aws:iam::ACCOUNT:role/leastpriv-witness
  // Table references -> names (from --bind and the config file; see
  // leastpriv/project.h).
  std::map<std::string, std::string> bindings;
  // Where each binding came from ("--bind", "leastpriv.json").
  std::map<std::string, std::string> binding_sources;
  AnalysisOptions analysis;
  // Prefix for code files in error messages ("src/"), so that they read as
  // paths from the working directory. May be empty.
  std::string code_prefix;
  // Operations recorded in CloudTrail (ReplayReport::operations), added to
  // the used set: those on a table or index ARN of `account` and `region`,
  // and wildcard-only actions. Others (streams, backups, other accounts)
  // are listed as "logged-resource-not-checked" findings.
  std::vector<RecordedOperation> logged;
};

// Seconds spent in each phase (wall clock).
struct CheckTimings {
  double solve = 0;   // reachability, Allows, proofs
  double report = 0;  // everything else in RunCheck
};

// Tenant isolation of a used table (see CheckTenantIsolation in
// leastpriv/analyzer.h), with the statement that grants the witness
// request when the table is not isolated.
struct TableIsolation {
  TenantIsolation answer;
  StatementLocation statement;  // empty file when none
};

struct CheckReport {
  std::string account, region, principal;
  std::vector<UsedOperation> used;  // by table, index, action
  std::vector<MissingOperation> missing;
  // Sorted by risk (worst first), untouched_table, action, resource.
  std::vector<ExcessPermission> excess;
  std::vector<ConditionalAccess> conditional;
  // The scanner's findings (files relative to the code root), the
  // validator's for every policy (files as given), and the check's own:
  // kPublicTablePolicy, kCrossAccountTablePolicy, kScanWhereQuerySuffices,
  // kUnresolvedTable, kScanError, kUncertainOperation,
  // kLoggedResourceNotChecked. Reports show the codes as FindingId and
  // the severities as SeverityWord ("high", "medium", "low"). Sorted by
  // severity, file, line, id.
  std::vector<Finding> findings;
  // Per used table, in name order, when the policies compare
  // dynamodb:LeadingKeys with a variable of the caller (a multi-tenant
  // set-up); empty otherwise. Undecided tables are also in `unknown`.
  std::vector<TableIsolation> tenant_isolation;
  // (action, resource) pairs the solver could not decide, with the reason.
  // Non-empty means the check is incomplete (exit status 3).
  std::vector<std::string> unknown;
  // The least-privilege identity policy, as a value (what the proofs below
  // are about; its statements carry no source positions, apart from the
  // Deny statements kept from the current policies) ...
  Policy suggested;
  // ... and as a pretty-printed JSON document.
  std::string suggested_policy;
  // True when the proofs hold: every used operation is allowed under the
  // suggested policy (with the current boundary, session policy and SCPs),
  // and for every action the suggested policy names, it allows no request
  // that the current policies (plus the missing operations) do not.
  bool verified = false;
  // "verified: covers all 7 used operations; grants nothing beyond them",
  // or why not.
  std::string verification;
  CheckTimings timings;
};

// Compares used with reachable. Errors: InvalidArgument when a used table
// is unresolved ("env:X" without a binding, "<unresolved>"), naming the
// file:line and how to bind it; InvalidArgument for a malformed
// account/region/principal; Internal when a witness does not replay. Solver
// unknowns are not errors: they go to CheckReport::unknown.
absl::StatusOr<CheckReport> RunCheck(const CheckInput& input);

// True when the report should fail at `level`: something missing, or an
// excess permission of risk `level` or worse.
bool CheckFails(const CheckReport& report, FailLevel level);

// Excess permissions as text and Markdown reports show them: the pairs of
// one granting statement and one risk whose resources read the same, with
// each action once. A broad grant (a NotAction on "*") is a few groups
// where CheckReport::excess has hundreds of pairs.
struct ExcessGroup {
  StatementLocation statement;
  Risk risk = Risk::kRead;
  std::vector<std::string> actions;  // sorted, each once
  // The resources of every action of the group, summarised (see
  // SummariseResources): "every table", "the 4 used tables",
  // "table/shop-*, table/orders/index/*", "*".
  std::string resources;
  int pairs = 0;  // the (action, resource) pairs of CheckReport::excess
};

// The groups of report.excess: statements by their worst risk, then file,
// line and column; within a statement by risk (worst first), then in the
// order of report.excess. Every pair is in exactly one group.
std::vector<ExcessGroup> GroupExcess(const CheckReport& report);

// Summarises resource ARNs for a person, ", "-separated: `arn_prefix` (for
// instance "arn:aws:dynamodb:eu-west-1:111122223333:", also without its
// region for global tables) is dropped; a wildcard pattern stands for what
// it matches at the same depth ("table/shop-*" for "table/shop-audit");
// "table/*" is "every table", "table/*/index/*" "every index", and so on
// for streams, backups, exports, imports and global tables; when every
// table of `used_tables` (names) is there, they are "the N used tables"
// (likewise "the indexes of the N used tables"); the rest follows in
// sorted order, four at most, then "N more". A resource may itself list
// several ARNs, ", "-separated, as CheckReport::excess writes patterns.
std::string SummariseResources(const std::vector<std::string>& resources,
                               const std::string& arn_prefix,
                               const std::vector<std::string>& used_tables);

// How a report names the places it points at.
struct RenderOptions {
  // Prefix for code files ("testdata/examples/shop/"), so that evidence
  // reads as paths from the working directory. May be empty.
  std::string code_prefix;
  // ANSI colour in text output.
  bool color = false;
  FailLevel fail_on = FailLevel::kRead;
};

// Human-readable report; the first line is a one-line summary.
std::string RenderText(const CheckReport& report, const RenderOptions& options);

// The JSON report (schema version kCheckSchemaVersion; see README).
std::string RenderJson(const CheckReport& report, const RenderOptions& options);

// A SARIF 2.1.0 log with one run: rules for every result kind, results
// for missing operations (error), excess (warning or note by risk) and
// findings, located in Python files and policy files.
std::string RenderSarif(const CheckReport& report,
                        const RenderOptions& options);

// A pull-request comment in GitHub-flavoured Markdown.
std::string RenderMarkdown(const CheckReport& report,
                           const RenderOptions& options);

// The exit status of one check: 2 when `report` is an error (the role
// could not be checked), 3 when the solver left a question undecided
// (report->unknown is not empty), 1 when CheckFails(*report, level), 0
// otherwise.
int CheckExitStatus(const absl::StatusOr<CheckReport>& report, FailLevel level);

// ---------------------------------------------------------------------------
// Batch: many roles (for instance every role of an account's
// `get-account-authorization-details` output) against one scan.

// One role of a batch.
struct RoleCheckInput {
  std::string role;  // the role's name, as reports show it
  std::string arn;   // the role's ARN; may be empty
  // The role's check (its `scan` is usually shared by every role of the
  // batch), or why the role cannot be checked (its policies are malformed,
  // the account of its tables is unknown, ...): the role's result is then
  // this error, and the other roles are still checked.
  absl::StatusOr<CheckInput> input;
};

// The result of one role of a batch.
struct RoleCheckResult {
  std::string role;
  std::string arn;
  // RunCheck's report, or the error of RoleCheckInput::input or RunCheck.
  absl::StatusOr<CheckReport> report;
};

// Runs RunCheck for every role on up to `jobs` threads at once (0: one per
// hardware thread, std::thread::hardware_concurrency(); never more threads
// than roles). Each RunCheck call builds its own engine; the inputs, and
// the ScanResult and PolicySets they point to, are only read, so roles may
// share them. The results are in the order of `roles` and do not depend on
// `jobs`, except for CheckReport::timings.
// REQUIRES: every CheckInput's pointers stay alive for the call.
std::vector<RoleCheckResult> RunCheckBatch(
    const std::vector<RoleCheckInput>& roles, int jobs = 0);

// The exit status of a batch: the worst over its roles, in the order 2
// (some role could not be checked) before 3 (some role has undecided
// questions) before 1 (some role fails at `level`) before 0. An empty batch
// is 0.
int BatchExitStatus(const std::vector<RoleCheckResult>& results,
                    FailLevel level);

// The reports of a batch, the roles in the order given. Each starts with
// one line summarising the batch ("FAIL: 4 roles: 1 ok, 2 failed, 0
// undecided, 1 not checked"); each role's part is what the single-role
// renderer gives for it, or its error.
//
// Text: the summary line, then per role a "== role NAME (ARN) ==" heading
// and the role's RenderText (or "error: MESSAGE").
std::string RenderBatchText(const std::vector<RoleCheckResult>& results,
                            const RenderOptions& options);

// JSON: {"schema_version": kCheckSchemaVersion,
//        "summary": {"text", "roles", "ok", "failed", "undecided",
//                    "not_checked", "exit_status"},
//        "roles": [{"role", "arn", ...the members of RenderJson's object...}
//                  or {"role", "arn", "error"}, ...]}.
std::string RenderBatchJson(const std::vector<RoleCheckResult>& results,
                            const RenderOptions& options);

// SARIF 2.1.0 with one run holding the results of every role: each
// result's message starts with "[role NAME] " and its properties name the
// role ("role", "roleArn"). A role that could not be checked is one
// "role-not-checked" error result, located at the file:line:col its
// message starts with, if any.
std::string RenderBatchSarif(const std::vector<RoleCheckResult>& results,
                             const RenderOptions& options);

// Markdown: a heading with the verdict, the summary line, a table of the
// roles and their summaries, then a section per role.
std::string RenderBatchMarkdown(const std::vector<RoleCheckResult>& results,
                                const RenderOptions& options);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_REPORT_H_
