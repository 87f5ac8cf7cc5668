// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The compiler from policies to terms. A RequestModel fixes, for one
// question (two policy sides and a scope), the finite abstraction of every
// request dimension:
//   - the resource ARN: classes of the glob partition of every resource
//     pattern, resource-type shape and scope pattern;
//   - each condition key: presence, plus the class of its value (string
//     partition, numeric intervals, or true/false) or, for multi-valued keys,
//     one Boolean per class ("some element lies in this class").
// Class membership of every policy value is computed with the concrete
// evaluator's own predicates (lib/eval/match.h) on the class witnesses, so
// the symbolic and concrete semantics agree by construction; the partition's
// own pattern bits are cross-checked against them.

#ifndef LEASTPRIV_LIB_ANALYSIS_REQUEST_MODEL_H_
#define LEASTPRIV_LIB_ANALYSIS_REQUEST_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/eval/match.h"
#include "lib/smt/encoder.h"
#include "lib/smt/glob_partition.h"
#include "lib/smt/term.h"

namespace leastpriv::analysis {

// Calls `f` on every policy of `p` (a PolicySet, const or not): identity
// policies, boundary, session policy, SCP levels, RCP levels,
// resource-based policies.
template <typename Set, typename F>
void ForEachPolicy(Set& p, F f) {
  for (auto& x : p.identity) f(x);
  if (p.boundary) f(*p.boundary);
  if (p.session) f(*p.session);
  for (auto& level : p.scp_levels)
    for (auto& x : level) f(x);
  for (auto& level : p.rcp_levels)
    for (auto& x : level) f(x);
  for (auto& [name, list] : p.resource)
    for (auto& x : list) f(x);
}

// How one condition key is modelled.
struct KeyModel {
  enum class Domain { kString, kNumeric, kBool, kDate, kIp, kBinary };
  std::string name;  // as first written
  Domain domain = Domain::kString;
  bool multi_valued = false;
  std::string unsupported;  // non-empty: conditions on this key are unknown
  std::vector<std::string> witnesses;  // one per class
  std::vector<double> numbers;         // kNumeric: thresholds, ascending
  int present = -1;                    // Boolean variable
  int value = -1;                      // dimension (single-valued)
  std::vector<int> elements;           // Boolean per class (multi-valued)
  // Fixed by the scope: the values (empty: absent).
  std::optional<std::vector<std::string>> fixed;
  // A key the principal decides and the scope leaves free (aws:userid,
  // aws:username, aws:PrincipalType): the classes of the values an IAM
  // user's and a role session's requests carry (empty: that principal type
  // never sends the key), in the order witnesses prefer them.
  bool principal_key = false;
  std::vector<uint32_t> user_classes, session_classes;
  // Deciding free variables, a string key's partition: the classes inside
  // each of its patterns (by TokenPattern::Key), and the classes that hold
  // one string alone (inside a case-sensitive literal: their witness).
  std::map<std::string, std::vector<uint32_t>> inside;
  std::set<uint32_t> singletons;
  // The classes whose strings all hold '*' (inside a pattern with a
  // literal '*').
  std::set<uint32_t> with_star;
};

struct ResourceShape {
  std::string resource_type;  // "table", ...
  std::string display;        // "arn:aws:dynamodb:*:*:table/*"
  std::size_t pattern = 0;    // index in the resource partition
};

class RequestModel {
 public:
  // Builds the abstraction for `sides` (the policy sets of a question), the
  // scope and extra concrete resources; with `resource_types`, only ARNs of
  // those resource types (and "*") get classes, for questions about
  // actions on them alone. InvalidArgument for a bad scope;
  // ResourceExhausted when an abstraction exceeds its limit. The free
  // sources that are not decided exactly also take the values that occur
  // in `seeds` (resource ARNs) where their variables do (see
  // SourceCandidates). Deciding free variables without seeds, and with
  // `suggest`, they also take values the witnesses of a first model
  // suggest (a second model: several times the cost).
  static absl::StatusOr<std::unique_ptr<RequestModel>> Build(
      const std::vector<const PolicySet*>& sides, const AnalysisScope& scope,
      const std::vector<std::string>& extra_resources,
      const AnalysisOptions& options,
      const std::set<std::string>* resource_types = nullptr,
      const std::vector<std::string>& seeds = {}, bool suggest = true);

  smt::TermFactory& factory() { return factory_; }
  const smt::Partition& resources() const { return resources_; }
  // The witness of resource class `c`: the partition's, or a readable one
  // of the same class (chosen when first asked for).
  const std::string& ResourceWitness(std::size_t c) const;
  int resource_dimension() const { return resource_dim_; }

  // The term "`policies` allow `action`", over the resource dimension and the
  // context. Unimplemented (with the reason) when a statement that matches
  // the action uses a construct the engine does not model exactly.
  // REQUIRES: `side` holds one of the policy sets the model was built from
  // (statement terms are kept per statement for the model's lifetime).
  absl::StatusOr<smt::TermId> Allowed(const PolicySide& side,
                                      const ActionInfo& action);

  // Resource classes a request for `action` may use within the scope.
  std::vector<std::uint32_t> ResourceUniverse(const ActionInfo& action) const;
  // The shapes of the action's resource types (empty: wildcard-only).
  std::vector<ResourceShape> Shapes(const ActionInfo& action) const;
  // Partition pattern index of a raw resource pattern or scope table
  // pattern, if it is in the partition.
  std::optional<std::size_t> PatternIndex(const std::string& raw) const;
  // Resource patterns as written in the policies, with their partition
  // pattern index.
  std::vector<std::pair<std::string, std::size_t>> RawPatterns() const;
  // Display pattern of a table (and of its indexes).
  std::string TablePattern(const std::string& table, bool indexes) const;

  // `t` and the axioms of the keys it mentions.
  smt::TermId WithAxioms(smt::TermId t);

  // A concrete request from a resource ARN and a model of the context.
  Request Decode(const std::string& action, const std::string& resource,
                 const smt::Assignment& model) const;

  // `w` (a request Decode gave) moved to `resource`, with the free sources
  // of `values` (lower case) holding those values, and the principal as
  // Decode makes it for them. With `follow`, the values of other keys that
  // equal a source's value in `w` follow it to its new value, and the keys
  // compared with a source as a whole value take it. None when a
  // value is for a key the scope fixes, or for one the principal decides
  // and `w`'s principal does not send.
  std::optional<Request> Reseat(
      const Request& w, const std::string& resource,
      const std::map<std::string, std::string>& values, bool follow) const;

  // Values worth trying for the free sources that are not decided exactly:
  // for each occurrence "B${V}A" and each class witness w of the strings it
  // is matched against (resource ARNs, the key's values), the infixes v of
  // w with w = b v a, b matching B and a matching A (other variables read
  // as '*'). A heuristic: each value is one more class of the source, which
  // keeps every answer exact, and makes the case split reach the requests
  // that need that value. At most `max_per_source` values per source.
  // The values from `seeds` (resource ARNs) come first, all of them. With
  // `every_source`, for the sources decided exactly too.
  std::map<std::string, std::vector<std::string>> SourceCandidates(
      std::size_t max_per_source, const std::vector<std::string>& seeds,
      bool every_source = false) const;

  // A token of a resource entry as ResourceBindings reads it: literal
  // characters, wildcards and variables (lower case source names).
  struct EntryToken {
    enum Kind { kChar, kStar, kAny, kVariable } kind;
    char c = 0;
    std::string source;
  };

  // Values of the free sources under which a resource entry with variables
  // of the policies matches `resource` exactly, the same value wherever a
  // variable occurs ("table/${t}-${u}" and "table/a-b-c": t = "a", u =
  // "b-c" and t = "a-b", u = "c"): at most `max` of them, each a map from
  // source (lower case) to value, for Reseat. Entries with a variable that
  // is not a free source are left out.
  std::vector<std::map<std::string, std::string>> ResourceBindings(
      const std::string& resource, std::size_t max) const;

  const std::string& principal() const { return principal_; }

  // Who sends the requests, as far as the context keys it decides go
  // (aws:username, aws:userid, aws:PrincipalType): an IAM user, a role
  // session (a role principal stands for its sessions), either (no scope
  // principal: the solver chooses, and the witness principal follows), or
  // a principal whose keys the scope fixes or leaves free.
  enum class PrincipalKind { kEither, kUser, kRoleSession, kOther };

  // True when the last Allowed term case-splits a policy variable whose
  // source the scope leaves free and that is not decided exactly (neither
  // as a whole condition value, see exact_sources_, nor by SourceValues):
  // the term then only covers the source's class witnesses, so a satisfiable
  // query is a real witness but an unsatisfiable one proves nothing (answer
  // kUnknown with the reason).
  bool approximate() const { return approximate_; }
  // AnalysisOptions::decide_free_variables, as the model was built.
  bool decides_free_variables() const { return decide_free_; }
  const std::string& approximate_reason() const { return approximate_reason_; }

  // The over-approximation of Allowed for the same side and action: every
  // test whose outcome depends on a free source that is not decided
  // exactly (see approximate()) becomes a Boolean the solver chooses (the
  // same test, the same Boolean; its absent case stays exact, and some
  // tests imply others whatever the source's value). When the query with
  // this term is unsatisfiable, so is every request's: a proved "no".
  absl::StatusOr<smt::TermId> AllowedOver(const PolicySide& side,
                                          const ActionInfo& action);

 private:
  RequestModel() = default;
  // Build with the values of the free sources of `source_values` given
  // (see SourceValues); with `patterns_only`, when some free source is not
  // decided exactly, stops once the resource patterns are gathered
  // (patterns_only_ then says so).
  static absl::StatusOr<std::unique_ptr<RequestModel>> BuildModel(
      const std::vector<const PolicySet*>& sides, const AnalysisScope& scope,
      const std::vector<std::string>& extra_resources,
      const AnalysisOptions& options,
      const std::set<std::string>* resource_types,
      std::map<std::string, std::vector<std::string>> source_values,
      bool patterns_only,
      std::map<std::string, std::vector<std::string>> source_candidates = {});
  // Values worth trying for free sources compared with each other: the
  // short solutions of the word equations between two values of one key
  // compared for equality (StringEquals*, StringLike without wildcards), or
  // between two resource entries' resource parts, both made with free
  // sources: "pre-${tenant}" and "${tenant}-${team}" give "pre" to both. A
  // heuristic, as SourceCandidates.
  std::map<std::string, std::set<std::string>> EquationCandidates() const;
  // Values that decide exactly the free sources that occur after literal
  // text in resource patterns or condition values ("table/${V}-*",
  // "team-${V}", compared case-sensitively or all ignoring case), each as
  // a whole, once per string: smt::VariableValues over the other patterns
  // of those strings and the source's own conditions. Sources that do not
  // have that form, or too many values, are left out (they stay
  // approximate). REQUIRES: a model built with patterns_only_.
  std::map<std::string, std::vector<std::string>> SourceValues(
      const AnalysisOptions& options) const;
  // The statement's term for `action`; for resource-based policies and
  // RCPs, *principal_match tells how its Principal names the principal.
  absl::StatusOr<smt::TermId> CompileStatement(
      const Statement& st, const Policy& policy, const ActionInfo& action,
      bool boundary_present, eval::PrincipalMatch* principal_match);
  // The part of a statement's term that does not depend on the action but
  // through `absent`: when not empty, absent[i] says that the action is
  // never sent the key of condition i, which then sees it absent.
  absl::StatusOr<smt::TermId> CompileStatementBody(
      const Statement& st, const Policy& policy, bool boundary_present,
      const std::vector<bool>& absent, eval::PrincipalMatch* principal_match);
  absl::StatusOr<smt::TermId> CompileCondition(const Condition& c);
  absl::Status AddKeys(const PolicySet& p);
  // Policy variables. A source fixed by the scope (or multi-valued) gives
  // a constant; one free source per value is case-split over its own
  // classes (absent, or the class witness), which under-approximates it.
  static constexpr int kNoSource = -2;
  static constexpr int kSourceAbsent = -1;
  struct ResolvedCondition;
  // The free source (lower case) `text` depends on, empty for none; with
  // several, their names in order joined by '\n' (a compound source, whose
  // cases are the products of its parts' cases).
  absl::StatusOr<std::string> FreeSource(const Policy& policy,
                                         const std::string& text) const;
  // The parts of a (possibly compound) source.
  static std::vector<std::string> SourceParts(const std::string& source);
  // Whether every case of `source` is exact (a single source of
  // exact_sources_, or none).
  bool ExactSource(const std::string& source) const;
  // The over-approximating terms (see AllowedOver) of a resource entry
  // with an inexact source, and of a condition on one.
  smt::TermId OverResourceEntry(const Policy& policy, const std::string& text,
                                const std::string& source);
  smt::TermId OverCondition(const Condition& c,
                            const ResolvedCondition& resolved);
  // `text` with every part of the free `source` read as '*' (every value
  // it substitutes matches it); with `arn`, none when a part stands
  // before the resource part.
  // With `as`, the source reads as that pattern instead (with `part`, that
  // part alone, the others as '*'). With `text_literal`, the text around
  // the variables is literal ('*' and '?' there are characters).
  std::optional<eval::GlobPattern> LoosePattern(
      const Policy& policy, const std::string& text, const std::string& source,
      bool arn, const eval::GlobPattern* as = nullptr,
      const std::string& part = "", bool text_literal = false) const;
  // The resource entry `text` (ARN) with the free `source`, a single key
  // the principal decides (see PrincipalKeyShapes), read as the shape of
  // the values each kind of principal sends: "user" and "session" to the
  // pattern, for the kinds that send the key. None for other sources, or
  // when the source stands before the resource part.
  std::optional<std::vector<std::pair<std::string, smt::TokenPattern>>>
  ShapedPatterns(const Policy& policy, const std::string& text,
                 const std::string& source) const;
  // The Boolean of an over-approximated test, by its text.
  smt::TermId OverAtom(const std::string& key);
  // `text` substituted with the source in case `cls` (nullopt: unresolved).
  std::optional<eval::GlobPattern> Substitute(const Policy& policy,
                                              const std::string& text,
                                              const std::string& source,
                                              int cls) const;
  // The principal of a witness on `resource`: the scope's, or one of the
  // resource's account, an IAM user `user_name` or a role.
  std::string WitnessPrincipal(const std::string& resource, bool user,
                               const std::string& user_name) const;
  // kNoSource alone, or kSourceAbsent and every class of the source.
  std::vector<int> SourceCases(const std::string& source) const;
  // The constraint of case `cls` on the source (true for kNoSource).
  smt::TermId SourceGuard(const std::string& source, int cls);
  void ExpandCases(const Condition& c, ResolvedCondition* r);
  absl::Status FinishKey(const std::string& lower, KeyModel& k,
                         const AnalysisOptions& options);
  // The principal keys' constraints (see KeyModel::principal_key) on
  // key `k`: presence and value class for an IAM user or a role session.
  smt::TermId PrincipalAxiom(const KeyModel& k);
  // The term "the resource lies in pattern `pattern`" (kept per pattern:
  // it takes a pass over every class).
  smt::TermId ResourceTerm(std::size_t pattern);
  static std::string SubstitutedKey(const std::string& text, int cls);
  absl::Status FinishKeys(const AnalysisOptions& options);

  smt::TermFactory factory_;
  smt::Partition resources_;
  mutable std::vector<std::string> resource_witnesses_;  // "": not chosen yet
  // The resource entries ResourceBindings reads (with variables, each a
  // free source), once it is first called.
  mutable std::optional<std::vector<std::vector<EntryToken>>> binding_entries_;
  // What readable resource witnesses are made of, when the partition's
  // are its shortest strings (see ReadableArn).
  struct ReadableResources {
    smt::WitnessHints hints;
    std::vector<std::string> names;
    std::vector<std::size_t> shapes;  // patterns of the resource shapes
  };
  std::unique_ptr<ReadableResources> readable_;
  int resource_dim_ = -1;
  std::map<std::size_t, smt::TermId> resource_terms_;  // see ResourceTerm
  // The classes of each resource pattern, ascending (built by the first
  // ResourceTerm).
  std::vector<std::vector<std::uint32_t>> pattern_classes_;
  std::map<std::string, std::size_t> pattern_index_;  // "raw:" / "table:" keys
  std::vector<ResourceShape> shapes_;
  std::optional<std::size_t> scope_tables_pattern_start_;
  std::vector<std::size_t> scope_table_patterns_;
  std::string partition_name_ = "aws";
  std::string account_, region_, principal_;
  std::optional<eval::PrincipalInfo> who_;  // read from principal_
  PrincipalKind principal_kind_ = PrincipalKind::kEither;
  std::string session_name_;    // of an assumed-role principal
  int principal_is_user_ = -1;  // Boolean variable (kEither)
  bool has_resource_policies_ = false;
  // Resource classes each resource-policy attachment key applies to, and
  // the classes in the principal's account (all, without a principal).
  std::map<std::string, std::vector<std::uint32_t>> attached_classes_;
  std::vector<std::uint32_t> same_account_classes_;
  std::map<std::string, KeyModel> keys_;  // by lower-case name
  std::map<std::string, std::vector<const Condition*>> key_conditions_;
  std::map<std::string, smt::TermId> scope_facts_;
  // The scope's fixed context, as witnesses carry it: variable sources.
  Request fixed_request_;
  std::map<const Condition*, const Policy*> condition_policy_;
  // A condition's values after substitution, per case of its free source.
  struct ResolvedCondition {
    struct Case {
      int cls = kNoSource;
      std::vector<eval::GlobPattern> patterns;
      bool unresolved = false;  // some value has an unresolved variable
    };
    std::string source;  // free source (lower case), empty for none
    std::vector<Case> cases;
    std::string problem;  // non-empty: not modelled
    std::vector<eval::GlobPattern> AllPatterns() const;
  };
  std::vector<const Policy*> policies_;
  std::set<std::string> sources_;  // free variable sources (lower case)
  // Free sources decided exactly: every occurrence is a whole value of a
  // case-sensitive StringEquals/StringLike condition (negated or not, any
  // set qualifier) on another key, its peer. Swapping the source's value
  // with its class witness, in the source and in the peers' values, keeps
  // every condition's outcome (the classes agree on the peers' other
  // patterns), so one value per class covers every value.
  std::set<std::string> exact_sources_;
  // Free sources decided by SourceValues, with their values.
  std::map<std::string, std::vector<std::string>> source_values_;
  // Extra values of inexact free sources (see SourceCandidates).
  std::map<std::string, std::vector<std::string>> source_candidates_;
  bool patterns_only_ = false;
  std::vector<smt::TokenPattern> constant_resources_;  // without free sources
  std::vector<std::size_t> resource_domain_;  // those that bound the resources
  std::map<std::string, std::set<std::string>> source_peers_;
  bool approximate_ = false;  // see approximate()
  std::string approximate_reason_;
  std::map<const Condition*, ResolvedCondition> resolved_;
  std::map<std::string, eval::GlobPattern> substituted_;  // "sub:" patterns
  // CompileStatementBody per (statement, boundary present, absent keys),
  // with whether it case-split a free variable source (see approximate()).
  struct CompiledBody {
    absl::StatusOr<smt::TermId> term = smt::TermId{0};
    eval::PrincipalMatch principal_match = eval::PrincipalMatch::kNone;
    bool approximate = false;
    std::string approximate_reason;
  };
  std::map<std::tuple<const Statement*, bool, std::vector<bool>, bool>,
           CompiledBody>
      bodies_;
  bool decide_free_ = false;  // AnalysisOptions::decide_free_variables
  bool over_ = false;         // compiling AllowedOver's terms
  std::map<std::string, int> over_atoms_;  // OverAtom's Booleans
  // Facts about the over-approximation's Booleans (a multi-valued key's
  // element class holds a matching or a failing element exactly when it
  // holds one; implications between tests), by the Boolean they concern:
  // WithAxioms adds those of the Booleans a query mentions.
  std::map<int, std::vector<smt::TermId>> over_axioms_;
  // The over-approximation's tests that some values of a source can never
  // pass together, tied by axioms as they are made (see OverExclusive,
  // OverContained).
  // The lengths of a condition value's strings: its other characters, and
  // the occurrences of each free source.
  struct ValueLength {
    std::map<std::string, std::size_t> counts;
    std::size_t length = 0;
  };
  // A test of equality with one variable value (StringEquals*, or
  // StringLike without wildcards): its Boolean (single-valued key) or, per
  // class of a multi-valued key's elements, its "matches" and "fails"
  // Booleans.
  struct OverEquality {
    std::string test;
    ValueLength size;
    int atom = -1;
    std::map<std::uint32_t, std::pair<int, int>> classes;
  };
  std::map<std::string, std::vector<OverEquality>> over_equalities_;
  struct OverEntry {  // a resource entry with free sources, no defaults
    int atom = -1;
    std::vector<std::string> parts;  // its free sources
    const Policy* policy = nullptr;
    std::string text;
    // The lengths of its resource part when that holds every variable and
    // no wildcard.
    std::optional<ValueLength> size;
    // The least lengths of its resource part when that holds every
    // variable and some wildcard ('*' counts for nothing, '?' for one).
    std::optional<ValueLength> least;
  };
  std::vector<OverEntry> over_entries_;
  // The lengths of `text` (a condition value with free variables,
  // compared by `pos`) when it is an equality test, without defaults.
  std::optional<ValueLength> EqualityLength(const Policy& policy,
                                            const std::string& text,
                                            ConditionOperator pos) const;
  // True when no lengths of the sources make `a` and `b` equally long.
  static bool NeverSameLength(const ValueLength& a, const ValueLength& b);
  // True when `a` is shorter than `b` for every length of the sources.
  static bool Shorter(const ValueLength& a, const ValueLength& b);
  // Records equality test `test` of key `lower` (see over_equalities_)
  // with the Boolean `atom` (single-valued key; `cls` none) or, for class
  // `cls` of a multi-valued key, `atom` (an element matches) and `fails`
  // (an element fails): two tests whose values are never equally long are
  // never both passed (by one element).
  void OverExclusive(const std::string& lower, const std::string& test,
                     int atom, const ValueLength& size,
                     std::optional<std::uint32_t> cls, int fails);
  // Ties the test `atom` (key `k` compared by `pos` with the value `text`
  // of one free source) to its exact outcome where the source lies in a
  // class of one string and the key's partition holds the substituted
  // value as a pattern.
  void OverSingletons(const KeyModel& k, ConditionOperator pos,
                      smt::TermId atom, const Policy& policy,
                      const std::string& text);
  std::set<int> over_singletons_;  // the tests tied so
  // Ties the over-approximation's Booleans of one key compared with the
  // same variable values by a test and by a weaker one (`strong` and
  // `weak` their Booleans' texts, see OverAtom), once both exist: a value
  // that passes the first passes the second (`fails`: a value that fails
  // the second fails the first). StringEquals is the first to
  // StringEqualsIgnoreCase (a value equal to one is equal to it ignoring
  // case) and to StringLike (the substituted values are literal, and each
  // wildcard of the text around them matches itself).
  void OverTie(const std::string& strong, const std::string& weak, bool fails);
  std::set<std::pair<int, int>> over_ties_;  // the pairs tied so
  // Past this many classes of one string in a source, its tests are not
  // tied (each class is an axiom, and a policy set with hundreds of
  // literals gave questions neither the finite search nor Z3 settled fast):
  // they keep the looser reading, which is sound.
  static constexpr std::size_t kMaxSingletonTies = 8;
  // Deciding free variables, "no value of `texts` (condition values with
  // free variables) holds '*' while their sources hold none": the
  // conjunction of the sources' NoStarIn, none when the texts themselves
  // hold '*' or '?'. A resource entry that matches a request's resource (a
  // valid ARN, which holds no '*') implies NoStarIn of its sources; a
  // key's classes whose strings all hold '*' (KeyModel::with_star) then
  // match none of those values.
  std::optional<smt::TermId> NoStar(const Policy& policy,
                                    const std::vector<std::string>& texts);
  smt::TermId NoStarIn(const std::string& source);
  // The term "the resource lies in a resource shape" (a valid ARN).
  smt::TermId ValidResource();
  std::optional<smt::TermId> valid_resource_;
  std::set<int> over_no_star_;  // the entries tied so
  // Records a resource entry (see over_entries_): an entry that reads as
  // another one with its extra sources read as '*' matches only resources
  // the other matches. Both only when deciding free variables.
  void OverContained(int atom, const Policy& policy, const std::string& text,
                     const std::string& source);
  // The loose patterns (see LoosePattern) of the condition values with an
  // inexact source, in their key's partition; whether they ignore case.
  std::map<std::pair<const Condition*, std::size_t>,
           std::pair<eval::GlobPattern, bool>>
      loose_values_;
  // Per resource entry with an inexact source: the entry with one part of
  // the source read as each pattern of that part's own conditions (the
  // other parts as '*'), and the part's classes inside that pattern.
  struct LooseOwn {
    std::string part;
    std::size_t pattern = 0;  // resource pattern index
    std::vector<std::uint32_t> inside;
    // The entry lies in that reading only while the part lies inside the
    // pattern too (a pattern "*s" for a part that ends the entry, see
    // EndsExactlyAsOwn).
    bool only = false;
  };
  std::map<std::string, std::vector<LooseOwn>> loose_own_;
};

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_REQUEST_MODEL_H_
