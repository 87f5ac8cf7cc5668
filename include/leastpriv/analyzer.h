// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The exact symbolic engine: which DynamoDB requests a set of policies
// allows, decided over a finite abstraction of the request space (see
// DESIGN.md, "The request model"): each question goes first to an exact
// search over the finite domains of its variables, and to Z3 when that
// search does not finish within its budget.
//
// Every question is an instance of one primitive, FindAllowedDifference:
// "is there a request, within a scope, that A allows and B does not?".
// Answers are kYes (with a concrete witness request that has been replayed
// through Evaluate), kNo (no such request exists), or kUnknown (the solver
// ran out of its resource limit, or the policies use a construct the engine
// does not model exactly; the reason says which). kUnknown is never
// reported as kNo.
//
// Exactly modelled (the abstraction is a partition of the request space on
// which every construct below is constant per class, and membership is
// computed with the evaluator's own predicates):
//   - Action/NotAction, Resource/NotResource, Allow/Deny; resources range
//     over the DynamoDB ARN shapes of the catalog, written as AWS writes
//     them (lower-case "arn:aws:dynamodb:" prefix);
//   - identity policies, the permissions boundary, the session policy, every
//     SCP and RCP level, and resource-based policies (PolicySet.resource,
//     attached by table name, table ARN or resource ARN), with Evaluate's
//     same-account and cross-account rules;
//   - Principal/NotPrincipal in resource-based policies and RCPs (identity
//     side policies ignore them, as Evaluate does) for scope.principal; with
//     no scope principal, only blocks naming everyone ("*") are modelled and
//     the witness principal is a user or role of the resource's account;
//   - the context keys the principal decides (aws:username, aws:userid,
//     aws:PrincipalType; see AnalysisScope::principal): a condition on a
//     key the principal type never sends sees it absent (StringEquals on
//     aws:username is false for a role session, ...IfExists and Null true);
//   - the condition operator families String*, Bool, Null, Numeric*, Date*
//     (ISO 8601 and epoch seconds), IpAddress/NotIpAddress (IPv4 and IPv6
//     CIDR), Arn* and BinaryEquals, with ...IfExists, ForAllValues: and
//     ForAnyValue:, missing keys, and request values that do not parse as
//     the operator's type;
//   - policy variables in condition values and Resource entries whose
//     sources are fixed by scope.context (present or absent) or are
//     multi-valued keys (never substituted), ${*}, ${?}, ${$}, defaults
//     ("${aws:username, 'x'}"), unresolved variables, and Version
//     2008-10-17 (no substitution).
// A policy variable whose source scope.context (and scope.principal) leave
// free is case-split over the source's classes: absent, or one value per
// class of its own conditions. It is decided exactly when every occurrence
// is a whole condition value compared case-sensitively as a string
// (StringEquals, StringNotEquals, StringLike, StringNotLike, any set
// qualifier) on other keys, each compared with no other free source, such
// as "ForAllValues:StringEquals": {"dynamodb:LeadingKeys":
// "${aws:PrincipalTag/tenant}"}: the classes then also separate the values
// those keys are compared with, and one value per class covers every value.
// Otherwise (in a Resource, inside a longer value, ignoring case) a kYes
// found that way is exact (its witness replays), but kNo is never concluded
// from it; such answers are kUnknown with a reason naming the key to fix in
// scope.context (Reachable may also report kYes with an incomplete resource
// summary, said in the reason).
// kUnknown (with the reason) for the actions a statement affects when it
// uses: two free variable sources in one value; a condition on a free
// source whose value also uses a free variable; one condition key compared
// as values of two types (e.g. Date* and String*);
// numeric thresholds too close to separate in a double, or date thresholds
// with no date string between them; a Principal/NotPrincipal naming a
// specific principal when scope.principal is empty.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_ANALYZER_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_ANALYZER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

namespace leastpriv {

enum class Answer { kYes, kNo, kUnknown };

// "yes", "no", "unknown".
std::string_view AnswerName(Answer answer);

// Restricts the request universe a question ranges over. Empty fields leave
// that part of the request free.
struct AnalysisScope {
  std::string account;  // 12-digit account id of the resources
  std::string region;   // e.g. "us-east-1"
  // Principal ARN of every request (and of witnesses). It also fixes, for
  // the keys the policies mention and `context` leaves out,
  // aws:PrincipalAccount; aws:PrincipalArn and aws:PrincipalType ("User",
  // "AssumedRole" for a role or role session, "Account" for the root,
  // "FederatedUser"; a role session's aws:PrincipalArn stays free);
  // aws:username (the user's name, absent for every other principal); and
  // aws:userid: the root's is its account, a federated user's
  // "ACCOUNT:name", an IAM user's its unique id ("AIDA" and at least 16
  // of [A-Z0-9]), a role session's "ROLEID:session" (the role's id,
  // "AROA..." likewise, and the session name an assumed-role ARN gives,
  // else any of two or more of [a-zA-Z0-9_+=,.@-]); the ids themselves
  // stay free. A role ARN stands for its sessions.
  // Empty: the requests of IAM users and of role sessions. A request of a
  // user carries aws:username (one or more of [a-zA-Z0-9_+=,.@-]: a value
  // no user name has, such as "a*", is never sent), aws:userid "AIDA..."
  // and aws:PrincipalType "User"; one of a role session no aws:username,
  // aws:userid "ROLEID:session" and "AssumedRole" (as far as the policies
  // mention these keys); aws:PrincipalArn and aws:PrincipalAccount stay
  // free. The
  // witness principal is a user of the resource's account named by its
  // aws:username when the request is a user's, else the role
  // "leastpriv-witness" of that account (see "Exactly modelled" above).
  std::string principal;
  // When non-empty, resources are restricted to these tables and their
  // indexes, streams, backups, exports and imports.
  std::vector<std::string> tables;
  // When non-empty, only these actions ("dynamodb:GetItem") are asked about.
  std::vector<std::string> actions;
  // Context keys with fixed values, e.g. {"aws:SecureTransport", {"true"}}.
  // A key listed with an empty vector is fixed to be absent.
  std::map<std::string, std::vector<std::string>> context;
};

struct AnalysisOptions {
  // The deterministic resource limit of one solver question: Z3's rlimit,
  // and a cap on the finite search's work too.
  std::uint64_t rlimit = 50000000;
  // Work (term nodes evaluated) the exact finite-domain search may spend
  // on a question before Z3 gets it; 0 sends every question to Z3.
  std::uint64_t search_budget = 250000;
  // Limit on the automaton states of one string abstraction.
  std::size_t max_automaton_states = 200000;
  // Decides free policy variables beyond the shapes decided by default
  // (two in one value, after a wildcard, "${V}" and "pre-${V}" on one key,
  // one key compared case-sensitively and ignoring case): a proved "no"
  // from the over-approximation where every test that depends on such a
  // variable is left free, and the values its strings suggest (the class
  // witnesses', and each open resource class's own) for "yes". The
  // analysis without it runs first and decides most questions; only what
  // it leaves undecided pays for the extra models. Off: those questions
  // stay unknown (faster on large sets, see bench/engine_benchmark).
  bool decide_free_variables = true;
  // Deciding free variables: at most this many resource classes of one
  // action are asked of the solver one by one (each a large question);
  // the classes beyond are undecided (a reachable action's summary is then
  // incomplete, an action without a witness unknown). Classes decided
  // together, or by moving a witness onto them, do not count.
  std::size_t max_class_questions = 256;
  // At most this many questions of one call (Reachable, Allows,
  // FindAllowedDifference, CheckTenantIsolation, DiffPolicies,
  // CheckAccessNotGranted) go to Z3, each within `rlimit`; the questions
  // beyond are unknown. A bound on the whole call's solver work: deciding
  // free variables on large sets that use them throughout can take
  // thousands of questions (tens of milliseconds each). 0: no bound.
  std::uint64_t max_solver_questions = 1000;
  // The count of the questions asked so far, shared by the calls that
  // hold it: each call above starts a count of its own when it is null.
  // Set it to bound several calls together.
  std::shared_ptr<std::atomic<std::uint64_t>> solver_questions;
};

// One side of a comparison: a policy set, or one of the two trivial ones.
struct PolicySide {
  enum class Kind { kPolicies, kAllowAll, kDenyAll };
  Kind kind = Kind::kDenyAll;
  const PolicySet* policies = nullptr;  // for kPolicies; not owned

  static PolicySide Of(const PolicySet& p) { return {Kind::kPolicies, &p}; }
  static PolicySide AllowAll() { return {Kind::kAllowAll, nullptr}; }
  static PolicySide DenyAll() { return {Kind::kDenyAll, nullptr}; }
};

struct DifferenceResult {
  Answer answer = Answer::kUnknown;
  std::optional<Request> witness;  // for kYes
  std::string reason;              // for kUnknown
};

// Is there a request for `action` within `scope` that `a` allows and `b`
// does not? REQUIRES: `action` names a DynamoDB action of the catalog
// (InvalidArgument otherwise). Internal when a witness does not replay.
absl::StatusOr<DifferenceResult> FindAllowedDifference(
    const PolicySide& a, const PolicySide& b, std::string_view action,
    const AnalysisScope& scope, const AnalysisOptions& options = {});

// Resources of one type an action can reach, as patterns minus exceptions.
struct ResourceSummary {
  std::string resource_type;          // "table", "index", ... or "*"
  std::vector<std::string> patterns;  // reachable ARN patterns (the union)
  std::vector<std::string> except;    // ARN patterns excluded from those
  // Concrete ARNs, one per class of equivalent resources, that are reachable.
  std::vector<std::string> examples;
};

struct ActionReach {
  std::string action;  // "dynamodb:GetItem"
  Answer reachable = Answer::kUnknown;
  std::optional<Request> witness;  // for kYes, replayed through Evaluate
  std::string reason;              // for kUnknown
  std::vector<ResourceSummary> resources;  // for kYes
  // Per table named in the scope: the table itself and "TABLE/index/*".
  std::map<std::string, Answer> tables;
};

struct ReachReport {
  std::vector<ActionReach> actions;  // catalog order
};

// For every DynamoDB action of the catalog (or of scope.actions), whether
// some request within `scope` is allowed, with a witness and the reachable
// resources. InvalidArgument for an unknown action in scope.actions.
absl::StatusOr<ReachReport> Reachable(const PolicySet& policies,
                                      const AnalysisScope& scope = {},
                                      const AnalysisOptions& options = {});

struct AllowsResult {
  // kYes: allowed in every context; kNo: in none; kUnknown: undecided.
  // When neither, `only_if` holds the condition on the context.
  Answer answer = Answer::kUnknown;
  bool conditional = false;  // "only if": allowed in some contexts only
  std::string only_if;       // e.g. "aws:SecureTransport = true"
  std::optional<Request> allowed_example;  // a context that is allowed
  std::optional<Request> denied_example;   // a context that is not
  std::string reason;                      // for kUnknown
};

// Whether `action` on the concrete `resource` ARN is allowed over all
// request contexts (scope.context facts still apply).
absl::StatusOr<AllowsResult> Allows(const PolicySet& policies,
                                    std::string_view action,
                                    std::string_view resource,
                                    const AnalysisScope& scope = {},
                                    const AnalysisOptions& options = {});

// Tenant isolation of one table: is every item-level action the policies
// allow on it (GetItem, Query, PutItem, UpdateItem, DeleteItem,
// BatchGetItem, BatchWriteItem, ConditionCheckItem, PartiQL*, Scan; on the
// table and its indexes) restricted by dynamodb:LeadingKeys to the caller's
// own key? The caller's key is the policy variable the policies compare
// dynamodb:LeadingKeys with ("${aws:PrincipalTag/tenant}"); "restricted"
// means allowed only when the request names partition keys and every one of
// them equals that variable's value: "A allows and B does not" with B
// allowing exactly those requests.
struct TenantIsolation {
  std::string table;
  // kYes: isolated; kNo: `witness` is an allowed request that reads or
  // writes other keys (a Scan, which LeadingKeys cannot restrict, an action
  // granted by a statement without the condition, ...); kUnknown: undecided
  // (`reason`).
  Answer isolated = Answer::kUnknown;
  std::string tenant_key;  // "aws:PrincipalTag/tenant"
  std::optional<Request> witness;
  std::string reason;
};

// The item-level actions TenantIsolation considers, whole-table reads
// first (the order in which a witness is looked for).
const std::vector<std::string>& ItemLevelActions();

// The variable the policies compare dynamodb:LeadingKeys with, as a whole
// condition value ("aws:PrincipalTag/tenant"); empty when they compare it
// with none (then no caller's key is defined).
std::string TenantKey(const PolicySet& policies);

// The tenant isolation of every table of scope.tables (none when
// TenantKey is empty). scope.actions is ignored.
absl::StatusOr<std::vector<TenantIsolation>> CheckTenantIsolation(
    const PolicySet& policies, const AnalysisScope& scope,
    const AnalysisOptions& options = {});

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_ANALYZER_H_
