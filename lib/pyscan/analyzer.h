// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The project-wide analysis: one Analyzer holds the scopes of every module
// and evaluates expressions to abstract values (values.h) on demand, with
// memoization, and emits the DynamoDB operations of call sites. Its
// methods live by topic:
//   analysis.cc     the walk over every module, Django backends, entry point
//   scopes.cc       scopes and bindings, modules and import resolution
//   evaluation.cc   expressions, names, bindings, strings, external imports
//   call_sites.cc   parameters from call sites, receivers of methods, the
//                   call-site index, what a project function returns
//   calls.cc        calls, builtins, methods, attributes, classes
//   table_names.cc  the tables of PynamoDB models, Django settings values
//   containers.cc   literal lists and dicts, and their mutations
//   recognisers.cc  boto3 / PynamoDB operations emitted at call sites
// Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_ANALYZER_H_
#define LEASTPRIV_LIB_PYSCAN_ANALYZER_H_

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/hash/hash.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/syntax.h"
#include "lib/pyscan/value_lists.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

inline constexpr int kMaxDepth = 24;
// Evaluations nested in one another (see Analyzer::nesting_): far above what
// the depth bound lets one chain of lookups reach, far below what a thread's
// stack holds.
inline constexpr int kMaxNesting = 400;
inline constexpr std::size_t kMaxValues = 32;
// Evaluations allowed for one walked expression (see Analyzer::Eval).
inline constexpr long kFuel = 200000;
// An answer cut short by the depth bound is kept for reuse (see
// depth_memo_) when computing it took at least this many evaluations:
// keeping the many cheap ones costs memory and saves little time.
inline constexpr long kDepthMemoMinEvaluations = 256;

class Analyzer {
 public:
  Analyzer(const std::vector<const SourceFile*>& files, FoundOperations* ops,
           std::vector<Finding>* findings)
      : files_(files), ops_(ops), findings_(findings) {}

  void Run(const std::function<void(std::size_t, std::size_t)>& on_module);

 private:
  // ------------------------------------------------------------ scope build

  void BuildScope(Scope* s, const StmtList& body);

  void BindTarget(Scope* s, const Expr* target, Binding b);

  void CollectBindings(Scope* s, const Stmt* st);

  // The block and arm CollectBindings is in (see Binding::block).
  void EnterArm(std::uint32_t block, bool other_arm, Scope* s,
                const StmtList& body);

  std::string ResolveRelative(Scope* s, const std::string& module, int level);
  static std::string ResolveRelativeIn(const SourceFile& file,
                                       const std::string& module, int level);

  // An absolute import in module `from`: a repository often holds several
  // import roots (one per app or function), so the module is looked for
  // first beside `from` and in each directory above it, then at the root,
  // then by a dotted suffix.
  // Memoized (modules_from_): imports are resolved at every evaluation of
  // the names they bind.
  Scope* FindModuleFrom(const std::string& name, const Scope* from);
  // The same, `from` given by its package ("a.b" for a/b/c.py or
  // a/b/__init__.py; empty: look at the root only).
  Scope* FindModuleFromUncached(const std::string& name, std::string_view base);

  Scope* FindModule(const std::string& name);

  // The module of that exact name, else null; by a hashed index of modules_
  // built on first use, once every module is known.
  Scope* ModuleNamed(std::string_view name);

  // Whether an import of `module` (resolved, possibly external) may bind a
  // name ExternalImport turns into a boto3 or PynamoDB value. A prefix test:
  // erring towards true only costs time.
  static bool IsDynamoDbLibrary(const std::string& module);

  // Whether any import statement in `body`, at any depth (a superset of the
  // statements CollectBindings visits), imports from a DynamoDB library.
  static bool ImportsDynamoDbLibrary(const SourceFile& file,
                                     const StmtList& body);

  // Every call expression, indexed by the last component of its callee, for
  // resolving parameters from call sites. Built on first use, over the
  // modules in name order (the order fixes which sites count first). Keyed
  // by the callee's name in the syntax tree, which outlives the analysis.
  const absl::flat_hash_map<std::string_view,
                            std::vector<std::pair<const Expr*, Scope*>>>&
  CallsByName();
  void IndexCalls(Scope* s, const StmtList& body);
  void IndexStmtCalls(Scope* s, const Stmt* st);
  // The scope of the def or class statement `st` met walking the scope
  // `s` (nullptr: none).
  Scope* ChildScope(Scope* s, const Stmt* st);
  void IndexExprCalls(Scope* s, const Expr* e);

  // Top-level expressions of a statement (not nested statement bodies).
  template <typename Fn>
  void ForEachExpr(const Stmt* st, Fn fn) {
    for (const Expr* t : st->targets) fn(t);
    fn(st->value);
    for (const Expr* b : st->bases()) fn(b);
    for (const Expr* c : st->with_ctx()) fn(c);
    for (const Param& p : st->params()) fn(p.default_value);
  }

  // ------------------------------------------------------------- evaluation

  // Adds `more` to the set `out`, which stops growing at kMaxValues: past
  // the bound, a value already held is left out; a boto3 or PynamoDB object
  // that names no table (a client, a model, an index, ...), of which a
  // project has few, is kept; any other value is widened (WidenedValue).
  // Nothing is dropped silently.
  void AddValues(std::vector<Value>* out, std::vector<Value> more);
  static void AddValue(std::vector<Value>* out, Value v);

  // What stands for the values of v's sort past the bound: a table (or a
  // string, a batch writer) whose name is unknown, with the reason; any
  // other value an unknown one.
  static Value WidenedValue(const Value& v);

  // The unknown table that stands for the table names past the bound.
  static Str WidenedTable();
  static bool IsWidenedTable(const Str& s);

  // Adds table name `s` to `out` (unless `dedupe` and a name with its
  // origin and text is there); past the bound, the unknown table
  // WidenedTable stands for the names left out.
  static void AddTable(std::vector<Str>* out, const Str& s, bool dedupe);

  // An answer cut short (by depth, recursion or the budget): counted, so
  // that nothing computed under it is memoized.
  Value CutOff(const char* reason);

  // Values of `e` in `ctx`. Results in contexts that bind no parameters are
  // memoized by (expression, scope, line) unless something was cut short
  // while computing them; each walked call site has a budget of evaluations.
  std::vector<Value> Eval(const Expr* e, const Ctx& ctx);

  std::vector<Value> EvalUncached(const Expr* e, const Ctx& ctx);

  // The dict's value under `key` (evaluated in c); the dict's entries are
  // evaluated where the dict was written.
  std::vector<Value> DictLookup(const Value& d, const Expr* key,
                                const Ctx& key_ctx);

  Str Concat(const Str& a, const Str& b);

  // The text a string contributes to a concatenation; '*' for unknowns.
  std::string Piece(const Str& a, Str* into);

  Str EvalString(const Expr* e, const Ctx& c);

  Str EnvStr(const Value& key, const Expr* default_expr, const Ctx& c);

  // "file:line" of the context (where a name part is read).
  static std::string SourceAt(const Ctx& c);

  const Binding* PickBinding(const ScopeNames::Bindings& bs, int line,
                             std::vector<const Binding*>* all);

  std::vector<Value> LookupName(const std::string& name, const Ctx& c,
                                int line);

  std::vector<Value> ModuleAttribute(Scope* m, const std::string& name,
                                     const Ctx& c);

  // A binding evaluated in its own scope: a `global` assignment in the
  // function that makes it.
  std::vector<Value> EvalBindingIn(const Binding& b, const std::string& name,
                                   const Ctx& c);

  // Names imported from outside the project that the analysis knows.
  Value ExternalImport(const std::string& module, const std::string& name);

  std::vector<Value> EvalBinding(const Binding& b, const std::string& name,
                                 const Ctx& c);

  // A class: a PynamoDB model, an index class, or a plain project class.
  Value ClassValue(Scope* cls, const Ctx& c);

  // 1: PynamoDB model, 2: PynamoDB index, 0: other.
  int ClassKind(Scope* cls, const Ctx& c, int depth);

  // Parameter values: bound by the current call, else from every call site
  // of the function, else the default.
  std::vector<Value> ParamValues(Scope* fn, const Binding& b,
                                 const std::string& name, const Ctx& c);

  std::vector<Value> ParamValuesUncached(Scope* fn, const Binding& b,
                                         const std::string& name, const Ctx& c);

  // Whether `fn` can take the arguments `call` passes (their number and
  // keywords), as a call of it or of its class when fn is __init__.
  static bool MayTake(const Scope* fn, const Expr* call);

  // The instances a method runs on: the receivers of its call sites that
  // are instances of its class (or of a subclass), each with the call that
  // created it; else the instances the project creates; else any instance.
  // Memoized per method even when recursion cut part of it short: a method
  // reached again while its receivers are being found contributes none.
  std::vector<Value> Receivers(Scope* fn, const Ctx& c);

  std::vector<Value> ReceiversUncached(Scope* fn, const Ctx& c);

  // The classes a classmethod runs on: the classes (of its class or a
  // subclass) its call sites name, else its own class.
  std::vector<Value> ClassReceivers(Scope* fn, const Ctx& c);

  // Calls `fn(call, ctx, receiver)` for each receiver at an `X.name(...)`
  // call site of the project, evaluated where the call is, that is an
  // instance or a class of `cls` or of a subclass; sites in project order.
  template <typename Fn>
  void ForEachClassReceiverAt(const std::string& name, Scope* cls, const Ctx& c,
                              Fn fn) {
    const auto& calls = CallsByName();
    auto it = calls.find(name);
    if (it == calls.end()) return;
    ForEachSiteValue(
        &receiver_sites_[name], it->second, /*receiver=*/true, c,
        [](const Value& r) {
          return r.kind == Value::Kind::kInstance ||
                 r.kind == Value::Kind::kClass ||
                 r.kind == Value::Kind::kModelInstance ||
                 r.kind == Value::Kind::kModelClass;
        },
        nullptr, [&](Scope* s) { return IsSubclass(s, cls); }, fn);
  }

  // The values at each call site of one name of an expression there (the
  // receiver of an `X.name(...)` call, or the call itself), kept for the
  // kinds a caller asks about. Found once per site, and indexed by the
  // value's scope once every site is known, so that asking for the values
  // of one class does not evaluate every call of the same name again.
  struct SiteValues {
    std::vector<std::vector<Value>> values;  // per site of CallsByName
    std::vector<bool> known;                 // values[i] is final
    // As CalleeSites::partial_walk: values[i] holds the cut-short values
    // found in that walk, reused within it.
    std::vector<std::uint32_t> partial_walk;
    // values[i] cut short also otherwise than by the depth bound.
    std::vector<bool> irregular;
    // As CalleeSites::partial: kept values cut short by site and depth
    // (AtDepth), ids in memo_values_, with their `irregular`.
    absl::flat_hash_map<std::uint64_t, std::pair<std::uint32_t, bool>> partial;
    std::size_t unknown = 0;
    // The sites, in order, still visited until the index is built: all but
    // those known to have no values (most sites of a common name have none
    // a caller keeps). Filled on first use.
    std::vector<std::uint32_t> live;
    bool indexed = false;
    // (site, position in values[site]) of the values of each scope.
    std::unordered_map<Scope*,
                       std::vector<std::pair<std::uint32_t, std::uint32_t>>>
        by_scope;
  };

  // Calls `visit(call, ctx, value)` for each value `keep` accepts at the
  // sites, whose scope is `exact` (when not null) or satisfies `match`, in
  // the order of the sites and of each site's values.
  template <typename Keep, typename Match, typename Visit>
  void ForEachSiteValue(
      SiteValues* index,
      const std::vector<std::pair<const Expr*, Scope*>>& sites, bool receiver,
      const Ctx& c, Keep keep, Scope* exact, Match match, Visit visit) {
    auto wanted = [&](Scope* s) {
      if (exact != nullptr) return s == exact;
      if constexpr (std::is_same_v<Match, std::nullptr_t>) {
        return false;
      } else {
        return match(s);
      }
    };
    auto context = [&](std::size_t i) {
      Ctx in;
      in.scope = sites[i].second;
      in.depth = c.depth + 2;
      in.line = sites[i].first->line;
      return in;
    };
    if (index->values.empty() && !sites.empty()) {
      index->values.resize(sites.size());
      index->known.assign(sites.size(), false);
      index->partial_walk.assign(sites.size(), 0);
      index->irregular.assign(sites.size(), false);
      index->unknown = sites.size();
      index->live.resize(sites.size());
      for (std::size_t i = 0; i < sites.size(); ++i) {
        index->live[i] = static_cast<std::uint32_t>(i);
      }
    }
    if (index->indexed) {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> found;
      if (exact != nullptr) {
        auto at = index->by_scope.find(exact);
        if (at != index->by_scope.end()) found = at->second;
      } else {
        for (const auto& [scope, positions] : index->by_scope) {
          if (!wanted(scope)) continue;
          found.insert(found.end(), positions.begin(), positions.end());
        }
        std::sort(found.begin(), found.end());
      }
      for (const auto& [i, k] : found) {
        visit(sites[i].first, context(i), index->values[i][k]);
      }
      return;
    }
    // A copy: the evaluations below may visit the same sites.
    const std::vector<std::uint32_t> live = index->live;
    for (std::uint32_t i : live) {
      const Expr* call = sites[i].first;
      const Expr* f = call->children()[0];
      if (receiver && f->kind != Expr::Kind::kAttribute) {
        if (!index->known[i]) {
          index->known[i] = true;
          --index->unknown;
        }
        continue;
      }
      const Ctx in = context(i);
      std::vector<Value> fresh;
      const std::vector<Value>* values = &index->values[i];
      auto partial = index->known[i] ? index->partial.end()
                                     : index->partial.find(AtDepth(i, c.depth));
      if (!index->known[i] && index->partial_walk[i] == walk_) {
        ++cutoffs_;  // what is reused was cut short
        if (index->irregular[i]) ++irregular_cutoffs_;
      } else if (partial != index->partial.end()) {
        ++cutoffs_;  // cut short at this depth in an earlier walk
        index->values[i] = memo_values_.Get(partial->second.first);
        index->partial_walk[i] = walk_;
        index->irregular[i] = partial->second.second;
        if (index->irregular[i]) ++irregular_cutoffs_;
      } else if (!index->known[i]) {
        const std::size_t before = cutoffs_;
        const std::size_t irregular_before = irregular_cutoffs_;
        fresh = Eval(receiver ? f->children()[0] : call, in);
        index->values[i].clear();
        for (Value& v : fresh) {
          if (keep(v)) index->values[i].push_back(std::move(v));
        }
        if (cutoffs_ == before) {
          index->known[i] = true;
          --index->unknown;
        } else {
          index->partial_walk[i] = walk_;
          index->irregular[i] = irregular_cutoffs_ != irregular_before;
          index->partial[AtDepth(i, c.depth)] = {
              memo_values_.Intern(index->values[i]), index->irregular[i]};
        }
      }
      for (const Value& v : *values) {
        if (keep(v) && wanted(v.scope)) visit(call, in, v);
      }
    }
    // A site known to have no values has none in any later visit.
    index->live.erase(std::remove_if(index->live.begin(), index->live.end(),
                                     [index](std::uint32_t i) {
                                       return index->known[i] &&
                                              index->values[i].empty();
                                     }),
                      index->live.end());
    if (index->unknown == 0) {
      index->indexed = true;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        for (std::size_t k = 0; k < index->values[i].size(); ++k) {
          index->by_scope[index->values[i][k].scope].push_back(
              {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(k)});
        }
      }
    }
  }

  bool IsSubclass(Scope* cls, Scope* base);

  // Whether `call` (in `scope`) calls function `fn` (or instantiates its
  // class when fn is __init__).
  bool CallTargets(const Expr* call, Scope* scope, Scope* fn, const Ctx& c);

  // ------------------------------------------------------- call-site index
  //
  // Which functions a call site may call, as targets the site's callee
  // evaluates to. Found once per site and indexed per callee name, so that
  // the call sites of one function are found without evaluating every call
  // of the same name again (many modules define a `_clean` or a `get`).
  // CallTargets(call, scope, fn) holds exactly when the site's targets and
  // TargetsOf(fn) meet.

  enum class TargetKind : std::uint8_t {
    kParent,      // the callee's owner: a module, class or instance of it
    kFunction,    // the function itself, named directly
    kReexport,    // a function a module receiver re-exports (not __init__)
    kInitModule,  // the module of a class whose __init__ is called
    kInitClass,   // the class whose __init__ is called
  };
  struct Target {
    TargetKind kind;
    const Scope* scope;
    bool operator==(const Target& o) const {
      return kind == o.kind && scope == o.scope;
    }
  };
  struct TargetHash {
    std::size_t operator()(const Target& t) const {
      return std::hash<const void*>()(t.scope) * 5 +
             static_cast<std::size_t>(t.kind);
    }
  };

  // The targets of `call` in `scope`; false when the evaluation was cut
  // short (they may then be incomplete).
  bool SiteTargets(const Expr* call, Scope* scope, const Ctx& c,
                   std::vector<Target>* out);

  // What a site must target to call `fn` (see CallTargets).
  static std::vector<Target> TargetsOf(const Scope* fn);

  // The call sites of one callee name and their targets.
  struct CalleeSites {
    std::vector<std::vector<Target>> targets;  // per site of CallsByName
    std::vector<bool> known;                   // targets[i] is final
    // For a site not known: the walk (see walk_) whose evaluation, cut
    // short, left its partial targets in targets[i]. Within that walk they
    // are reused, still counted as cut short, instead of evaluated again;
    // in a later walk, those found at the same depth (see partial).
    std::vector<std::uint32_t> partial_walk;
    std::size_t unknown = 0;
    // Built once every site's targets are known: the sites (by position)
    // that have each target.
    bool indexed = false;
    std::unordered_map<Target, std::vector<std::uint32_t>, TargetHash>
        by_target;
    // Targets cut short, by site and depth of the context (AtDepth): ids
    // in target_lists_. A site cut short in an earlier walk reuses them
    // when asked at the same depth.
    // With each, whether it was cut short also otherwise than by depth.
    absl::flat_hash_map<std::uint64_t, std::pair<std::uint32_t, bool>> partial;
    // targets[i] cut short also otherwise than by the depth bound.
    std::vector<bool> irregular;
  };
  static std::uint64_t AtDepth(std::size_t site, int depth) {
    // Walks stop past kMaxDepth, so a depth fits in the low 8 bits.
    static_assert(kMaxDepth < 0xff);
    return (static_cast<std::uint64_t>(site) << 8) |
           static_cast<std::uint8_t>(depth);
  }
  // Lists of targets kept once each (CalleeSites::partial).
  struct TargetListHash {
    std::size_t operator()(const std::vector<Target>& targets) const {
      std::size_t hash = targets.size();
      for (const Target& t : targets) hash = hash * 31 + TargetHash()(t);
      return hash;
    }
  };
  InternedLists<Target, TargetListHash, std::equal_to<std::vector<Target>>>
      target_lists_;

  // Calls `visit(call, scope)` for each call site named `callee` that calls
  // `fn` (CallTargets), in the order of CallsByName, among the sites
  // `relevant(call)` accepts: the targets of the others are not evaluated
  // (a common method name has thousands of sites, most of which cannot
  // pass the parameter asked about). `positions()` lists the positions of
  // those sites in increasing order (kept by the caller: testing every
  // site again at each walk costs more than evaluating the few relevant);
  // once every site's targets are known, only the sites with a wanted
  // target are tested.
  template <typename Relevant, typename Positions, typename Visit>
  void ForEachCallOf(Scope* fn, const std::string& callee, const Ctx& c,
                     Relevant relevant, Positions positions_of, Visit visit) {
    const auto& calls = CallsByName();
    auto it = calls.find(callee);
    if (it == calls.end()) return;
    const auto& sites = it->second;
    CalleeSites& index = callee_sites_[callee];
    if (index.targets.empty() && !sites.empty()) {
      index.targets.resize(sites.size());
      index.known.assign(sites.size(), false);
      index.partial_walk.assign(sites.size(), 0);
      index.irregular.assign(sites.size(), false);
      index.unknown = sites.size();
    }
    const std::vector<Target> wanted = TargetsOf(fn);
    auto meets = [&wanted](const std::vector<Target>& have) {
      for (const Target& t : have) {
        if (std::find(wanted.begin(), wanted.end(), t) != wanted.end()) {
          return true;
        }
      }
      return false;
    };
    if (index.indexed) {
      std::vector<std::uint32_t> positions;
      for (const Target& t : wanted) {
        auto found = index.by_target.find(t);
        if (found == index.by_target.end()) continue;
        positions.insert(positions.end(), found->second.begin(),
                         found->second.end());
      }
      std::sort(positions.begin(), positions.end());
      positions.erase(std::unique(positions.begin(), positions.end()),
                      positions.end());
      for (std::uint32_t i : positions) {
        if (!relevant(sites[i].first)) continue;
        visit(sites[i].first, sites[i].second);
      }
      return;
    }
    for (std::uint32_t i : positions_of()) {
      const auto& [call, scope] = sites[i];
      std::vector<Target> fresh;
      const std::vector<Target>* have = &index.targets[i];
      if (!index.known[i]) {
        auto partial = index.partial.find(AtDepth(i, c.depth));
        const std::size_t irregular_before = irregular_cutoffs_;
        if (index.partial_walk[i] == walk_) {
          ++cutoffs_;  // what is reused was cut short
          if (index.irregular[i]) ++irregular_cutoffs_;
        } else if (partial != index.partial.end()) {
          ++cutoffs_;  // cut short at this depth in an earlier walk
          index.targets[i] = target_lists_.Get(partial->second.first);
          index.partial_walk[i] = walk_;
          index.irregular[i] = partial->second.second;
          if (index.irregular[i]) ++irregular_cutoffs_;
        } else if (SiteTargets(call, scope, c, &fresh)) {
          index.targets[i] = std::move(fresh);
          index.known[i] = true;
          --index.unknown;
        } else {
          index.irregular[i] = irregular_cutoffs_ != irregular_before;
          index.partial[AtDepth(i, c.depth)] = {target_lists_.Intern(fresh),
                                                index.irregular[i]};
          index.targets[i] = std::move(fresh);
          index.partial_walk[i] = walk_;
        }
      }
      if (meets(*have)) visit(call, scope);
    }
    if (index.unknown == 0 && !index.indexed) {
      index.indexed = true;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        for (const Target& t : index.targets[i]) {
          index.by_target[t].push_back(static_cast<std::uint32_t>(i));
        }
      }
    }
  }

  // The values `call` passes for the parameters of `fn` (with `offset`
  // positional arguments taken already), else their defaults. Only the
  // parameters fn reads (ParamsRead) are bound: the value of another is
  // never looked up, so evaluating its argument would only cost time.
  std::map<std::string, std::vector<Value>> BindArgs(Scope* fn,
                                                     const Expr* call,
                                                     const Ctx& c, int offset);

  // Which parameters of `fn` its statements may read, by index: those whose
  // name occurs as a name expression anywhere in the def statement (nested
  // scopes included), all of them when it calls super(), which reads the
  // first parameter without naming it. Found once per function.
  const std::vector<bool>& ParamsRead(const Scope* fn);
  static void MarkNamesRead(const Stmt* st, const CompactList<Param>& params,
                            std::vector<bool>* read);
  static void MarkNamesRead(const Expr* e, const CompactList<Param>& params,
                            std::vector<bool>* read);

  // Values a project function returns when called with `call`'s arguments.
  std::vector<Value> CallFunction(Scope* fn, const Expr* call, const Ctx& c,
                                  int offset, const Value* receiver = nullptr);

  // What a call of `fn` with parameters `bound` gives (see CollectResults).
  // Memoized by function and bound values (BoundKey); an answer cut short
  // is reused only within the walk that computed it.
  std::vector<Value> ResultValues(
      Scope* fn, const std::map<std::string, std::vector<Value>>& bound,
      const Ctx& c);
  std::vector<Value> ResultValuesUncached(
      Scope* fn, const std::map<std::string, std::vector<Value>>& bound,
      const Ctx& c);

  // A key that tells bound parameters apart exactly: each name and the id
  // of its list of values in memo_values_ (equal ids: lists equal in every
  // field of every value, scopes and expressions by identity).
  std::string BoundKey(const std::map<std::string, std::vector<Value>>& bound);

  // The statements whose values a call of `fn` gives: its returns, and for
  // a @contextmanager generator its yields (what `with fn() as x` binds).
  void CollectResults(Scope* fn, std::vector<const Stmt*>* out);

  void CollectReturns(const StmtList& body, std::vector<const Stmt*>* out);

  // The line an operation is reported at: the method's name for a method
  // call, else where the call starts.
  static int OpLine(const Expr* call);

  // Arg, also looking into `**kwargs` dicts the scanner can follow.
  const Expr* ArgIn(const Expr* call, size_t pos, const std::string& kw,
                    const Ctx& c);

  const Expr* Arg(const Expr* call, size_t pos, const std::string& kw);

  // Literal service name of boto3.client(...)/resource(...).
  std::string ServiceName(const Expr* call, const Ctx& c);

  Value ServiceObject(const std::string& factory, const Expr* call,
                      const Ctx& c);

  Value TableOf(const Expr* name_expr, const Ctx& c, Value::Kind kind);

  // The table name an argument evaluates to (first value; several values are
  // handled by callers that need them).
  Str TableStr(const Expr* e, const Ctx& c);

  std::vector<Str> TableStrs(const Expr* e, const Ctx& c);

  std::vector<Value> EvalCall(const Expr* call, const Ctx& c);

  std::vector<Value> CallValue(const Value& fv, const Expr* call, const Ctx& c);

  // A builtin the analysis follows, not shadowed by a project name.
  bool IsBuiltin(const std::string& name, const Ctx& c);

  std::vector<Value> CallBuiltin(const std::string& name, const Expr* call,
                                 const Ctx& c);

  // The method `method` of a project class (searching bases, whose
  // expressions are evaluated one level below `c`).
  Scope* FindMethod(Scope* cls, const std::string& method, const Ctx& c,
                    int depth = 0);

  // Calling functools.partial(f, a, k=v) with more arguments: f with the
  // partial's arguments first (evaluated where the partial was made).
  std::vector<Value> CallPartial(const Value& p, const Expr* call,
                                 const Ctx& c);

  // A value read by django-environ / environs / python-decouple:
  // reader("X", default=...) or reader.str("X", default=...).
  std::vector<Value> EnvReaderValue(const Expr* call, const Ctx& c);

  // A method of a string: format() fills the replacement fields (by
  // position or keyword; '*' where unknown), case and strip methods keep
  // literals literal, anything else gives an unknown string.
  std::vector<Value> StrMethod(const Str& s, const std::string& method,
                               const Expr* call, const Ctx& c);

  // "fmt" % args: each %-conversion takes the next argument ('*' where
  // unknown); "%%" is a percent sign.
  std::vector<Value> PercentFormat(const Expr* e, const Ctx& c);

  // One piece of a format: literal text, or a field filled from `arg` (null
  // when the format names an argument the call does not pass).
  struct FormatPart {
    std::string text;
    const Expr* arg = nullptr;
    bool field = false;
  };

  // Every string a format can produce (at most kMaxValues): a field with
  // several string values multiplies the results; one that is not a string
  // is '*'.
  std::vector<Value> Format(const Str& fmt,
                            const std::vector<FormatPart>& parts, const Ctx& c);

  // Calls method `m` of a project class on receiver `r` (an instance or the
  // class itself): self / cls is bound unless the method is static.
  std::vector<Value> CallProjectMethod(const Value& r, Scope* m,
                                       const Expr* call, const Ctx& c);

  std::vector<Value> CallMethod(const Value& r, const std::string& method,
                                const Expr* call, const Ctx& c);

  std::vector<Value> GetAttribute(const Value& r, const std::string& name,
                                  const Ctx& c);

  // A field of a pydantic BaseSettings class: read from the environment
  // variable of its name (upper case), with its default. Empty when `cls`
  // is not such a class or has no such field.
  std::vector<Value> SettingsField(Scope* cls, const std::string& name,
                                   const Ctx& c);

  // Class-level attribute `name` of a class (searching bases).
  std::vector<Value> ClassAttribute(Scope* cls, const std::string& name,
                                    const Ctx& c, int depth = 0);

  // self.<name> assigned in any method of the instance's class or its
  // bases, else a class attribute. The methods run with self bound to this
  // instance; __init__ also with the arguments of the call that created it.
  // Memoized like Eval: by the instance, the name and where it is read
  // (not by the parameters bound there, which the answer does not read),
  // unless something was cut short while computing it; an answer cut short
  // is reused for the rest of the walked expression, still counted as cut
  // short (as call sites' values are). Without the memo, `self.a =
  // self.b.f()` chains in parameter-bound contexts were evaluated again at
  // every level, exponentially in their depth.
  std::vector<Value> InstanceAttribute(const Value& inst,
                                       const std::string& name, const Ctx& c);
  std::vector<Value> InstanceAttributeUncached(const Value& inst,
                                               const std::string& name,
                                               const Ctx& c);

  // The call of the base class's __init__ in `init`: `super().__init__(a)`
  // (offset 1: self is implicit) or `Base.__init__(self, a)` (offset 0).
  const Expr* SuperInitCall(Scope* init, int* offset);

  // The first base class of `cls` that is a project class.
  // Cached, and computed from the top like ClassKind.
  Scope* BaseClass(Scope* cls);

  // Adds the values of every `self.name = v` in method m (self its first
  // parameter), evaluated in m with `bound`, in the order of the body.
  void FindSelfAssignments(
      Scope* m, const std::string& name, const Ctx& c,
      const std::map<std::string, std::vector<Value>>* bound,
      std::vector<Value>* out);
  // The `self.NAME = v` statements of method m for that name, in the
  // order of its body; null when it has none.
  const std::vector<const Stmt*>* SelfAssignmentsOf(Scope* m,
                                                    const std::string& name);
  // The `self.NAME = v` statements of a method by NAME, in the order of its
  // body (a statement once per such target), found once per method: every
  // instance attribute read walked the bodies of its class's methods.
  using SelfAssignmentIndex =
      absl::flat_hash_map<std::string_view, std::vector<const Stmt*>>;
  void IndexSelfAssignments(std::string_view self, const StmtList& body,
                            SelfAssignmentIndex* index);
  // By method; node-based, so that an index stays in place while others
  // are added.
  absl::node_hash_map<const Scope*, SelfAssignmentIndex> self_assignments_;
  // See ParamsRead. A node map: a list stays in place while others are
  // added.
  absl::node_hash_map<const Stmt*, std::vector<bool>> params_read_;

  static bool HasDecorator(const Scope* fn, const char* a, const char* b);
  static bool IsProperty(const Scope* fn);

  // The values a property returns for the receiver `self_value`.
  std::vector<Value> CallProperty(Scope* fn, const Value& self_value,
                                  const Ctx& c);

  std::string IndexName(Scope* index_cls, const std::string& attr,
                        const Ctx& c);

  // The tables of a PynamoDB model: Meta.table_name in the class (or a
  // base), and every `X.Meta.table_name = v` the project executes with X
  // this model (a set-up function that names the table at run time).
  std::vector<Str> ModelTables(Scope* model, const Ctx& c);

  // Tables that `X.Meta.table_name = v` stores give `model` when the store
  // runs in a function called from c's function before c's line, or from
  // the setUp / setUpClass / __init__ of c's class.
  std::vector<Str> SetUpTables(Scope* model, const Ctx& c);

  static bool IsMetaTableNameTarget(const Expr* t);

  // Every statement `X.Meta.table_name = v` in the project, with its scope.
  const std::vector<std::pair<const Stmt*, Scope*>>& MetaTableNameStores();

  // settings.X: the value assigned in the project's settings modules.
  std::vector<Value> SettingValue(const std::string& name, const Ctx& c);

  // The project's settings modules, settings.py and settings/__init__.py
  // first, then by module name. Found once, after the scopes are built.
  const std::vector<Scope*>& SettingsModules();

  // ------------------------------------------------------------ operations

  std::string TableText(const Str& s);
  // The same text, in `buffer` when it must be built.
  static std::string_view TableTextIn(const Str& s, std::string* buffer);

  void Emit(const std::string& operation, const std::string& action,
            const Str& table, const std::string& index, int line,
            bool uncertain, const std::string& extra_reason);

  Str Star();

  void EmitWithTables(const std::string& operation, const std::string& action,
                      const Expr* table_expr, const std::string& index,
                      int line, const Ctx& c);

  std::string IndexArg(const Expr* call, const Ctx& c);

  // ------------------------------------------------------------ containers
  //
  // A container argument (RequestItems, TransactItems, Statements) is a
  // literal, a comprehension, or a local name built in steps: assigned a
  // literal, then filled with `x[k] = v`, `x.append(v)`, `x.extend([...])`,
  // `x.update({...})`, `x.setdefault(k, v)` or `x += [...]`.

  // The local statements (not nested functions or classes) of a scope.
  template <typename Fn>
  void ForEachLocalStmt(const StmtList& body, Fn fn) {
    for (const Stmt* st : body) {
      fn(st);
      if (st->kind == Stmt::Kind::kDef || st->kind == Stmt::Kind::kClass) {
        continue;
      }
      ForEachLocalStmt(st->body(), fn);
      ForEachLocalStmt(st->orelse(), fn);
    }
  }

  // Calls `fn(how, statement)` for every `NAME.method(...)` statement (how
  // is the method), `NAME[k] = v` (how is "[]") and `NAME += v` ("+=") in
  // scope `s`. The statements are indexed by name once per scope.
  template <typename Fn>
  void ForEachMutation(const std::string& name, Scope* s, Fn fn) {
    auto [it, fresh] = mutations_.try_emplace(s);
    if (fresh) {
      const StmtList* body = s->body();
      if (body != nullptr) IndexMutations(*body, &it->second);
    }
    auto m = it->second.find(name);
    if (m == it->second.end()) return;
    for (const auto& [how, st] : m->second) fn(how, st);
  }
  using MutationIndex =
      std::unordered_map<std::string,
                         std::vector<std::pair<std::string, const Stmt*>>>;
  void IndexMutations(const StmtList& body, MutationIndex* index);

  // The scope in which a name used in `c` is bound.
  Scope* BindingScope(const std::string& name, Scope* s);

  // Elements of a list-like argument; false when they cannot be known.
  bool ListItems(const Expr* e, const Ctx& c, std::vector<const Expr*>* out,
                 int depth = 0);

  // One entry of a dict-like value: the key expression (null for `**`) and
  // the value expression.
  struct DictItem {
    const Expr* key = nullptr;
    const Expr* value = nullptr;
  };

  // Entries of a dict-like argument; false when they cannot be known.
  bool DictItems(const Expr* e, const Ctx& c, std::vector<DictItem>* out,
                 int depth = 0);

  // The value stored under the constant key `key` in a dict-like argument.
  const Expr* DictValue(const Expr* e, const std::string& key, const Ctx& c);

  // RequestItems: one table per key.
  void EmitRequestItems(const std::string& operation, const Expr* call,
                        const Ctx& c);

  // The entry `key` of a literal dict expression.
  static const Expr* DictEntry(const Expr* dict, const std::string& key);

  void EmitTransactWrite(const Expr* call, const Ctx& c);

  void EmitTransactGet(const Expr* call, const Ctx& c);

  void EmitPartiql(const std::string& operation, const Expr* statement,
                   int line, const Ctx& c);

  void EmitClientOp(const std::string& method, const Expr* call, const Ctx& c);

  // Table name from a table ARN argument ("...:table/Orders[/...]").
  Str ArnTable(const Expr* e, const Ctx& c);

  void EmitStreamsOp(const std::string& method, const Expr* call, const Ctx& c);

  Str StreamTable(const Expr* e, const Ctx& c);

  std::string PaginatorOp(const std::string& name);

  void EmitModelOp(const std::string& operation, const Value& r, int line,
                   const std::string& index, const Ctx& c);

  // Emits the operations of calling `method` on `r`.
  void EmitMethod(const Value& r, const std::string& method, const Expr* call,
                  const Ctx& c);

  // Whether calling `method` can emit an operation on some receiver (in
  // EmitMethod or EmitOnUnresolvedReceiver). Other method calls need not
  // have their receiver evaluated. Keep in step with EmitMethod.
  static bool MayEmit(const std::string& method);

  // A call whose receiver the analysis cannot follow (a parameter nothing
  // in the project passes, an object from an unknown library) is still a
  // DynamoDB call when its method is a DynamoDB operation and it passes
  // arguments only DynamoDB takes (Key=, Item=, KeyConditionExpression=,
  // ...), or is batch_writer(). It is reported with the table its
  // arguments name, else an unresolved table, never dropped.
  void EmitOnUnresolvedReceiver(const std::string& method, const Expr* call,
                                const Ctx& c);

  // Whether `receiver` is a name bound by `with X.batch_writer() as NAME`:
  // its writes are the batch writer's BatchWriteItem.
  bool IsBatchWriterItem(const Expr* receiver, Scope* s);

  bool HasDynamoDbArguments(const Expr* call, const Ctx& c);

  // Lazily loaded Table attributes that trigger DescribeTable.
  static bool IsLazyTableAttribute(const std::string& name);

  void WalkScope(Scope* s);

  void WalkStmt(Scope* s, const Stmt* st);

  void WalkExpr(Scope* s, const Expr* e, bool is_callee);

  // ------------------------------------------------------- django backends

  // Whether a backend's dotted path names a module of the project: then its
  // own calls are scanned and the settings rule would only repeat them.
  // With `entry`, also when a tail of the path is a project module defining
  // `entry`.
  bool BackendInProject(const std::string& dotted, const std::string& entry);

  void DjangoBackends(Scope* s);

  const std::vector<const SourceFile*>& files_;
  FoundOperations* ops_;
  std::vector<Finding>* findings_;
  // Names the scopes bind that no syntax node holds (`a` of `import a.b`).
  NameTable names_{/*one_thread=*/true};
  // The bindings of the module being built, until it is (see BuildScope).
  ScopeNamesBuilder names_builder_;
  // Every scope, in one container: a project has tens of thousands, each
  // of a few words, and they never move.
  std::deque<Scope> scopes_;
  std::map<std::string, Scope*> modules_;
  // modules_ by name (its keys), see ModuleNamed.
  absl::flat_hash_map<std::string_view, Scope*> module_index_;
  // While collecting bindings: the innermost block and arm (Binding::block),
  // and the number of blocks entered so far.
  std::uint32_t block_ = 0;
  std::uint32_t blocks_ = 0;
  bool in_other_arm_ = false;
  absl::flat_hash_map<std::string_view,
                      std::vector<std::pair<const Expr*, Scope*>>>
      calls_by_name_;  // see CallsByName()
  bool calls_indexed_ = false;
  // An entry of Eval's memo: the key (expression, scope, line) and the id
  // of the answer in memo_values_, where each distinct list of values is
  // kept once. The id fills the key's padding: 24 bytes an entry.
  struct MemoKey {
    const Expr* expr;
    const Scope* scope;
    int line;
    std::uint32_t values = 0;  // not part of the key
    bool operator==(const MemoKey& o) const {
      return expr == o.expr && scope == o.scope && line == o.line;
    }
  };
  struct MemoKeyHash {
    std::size_t operator()(const MemoKey& k) const {
      return absl::HashOf(k.expr, k.scope, k.line);
    }
  };
  absl::flat_hash_set<MemoKey, MemoKeyHash> memo_;
  // Answers cut short by the depth bound alone, by (expression, scope,
  // line, depth of the context): the same depth cuts them the same way, in
  // any walk (as Remembered's by_depth). An answer cut otherwise (budget,
  // recursion, nesting) is not kept, nor one that took fewer than
  // kDepthMemoMinEvaluations evaluations. The line and the depth share 32 bits
  // (DepthMemoLine), so that an entry takes 24 bytes as in memo_.
  struct DepthMemoKey {
    const Expr* expr;
    const Scope* scope;
    std::uint32_t line_depth;
    std::uint32_t values = 0;  // not part of the key
    bool operator==(const DepthMemoKey& o) const {
      return expr == o.expr && scope == o.scope && line_depth == o.line_depth;
    }
  };
  struct DepthMemoKeyHash {
    std::size_t operator()(const DepthMemoKey& k) const {
      return absl::HashOf(k.expr, k.scope, k.line_depth);
    }
  };
  // The line and depth of a context as one number; false for a line or a
  // depth past what fits (not kept). 1 << 30 stands for "after the whole
  // scope" (see LookupName).
  static bool DepthMemoLine(int line, int depth, std::uint32_t* out) {
    constexpr int kEnd = (1 << 27) - 1;
    if (line == (1 << 30)) {
      line = kEnd;
    } else if (line < 0 || line >= kEnd) {
      return false;
    }
    if (depth < 0 || depth > 31) return false;
    *out = static_cast<std::uint32_t>(line) << 5 |
           static_cast<std::uint32_t>(depth);
    return true;
  }
  absl::flat_hash_set<DepthMemoKey, DepthMemoKeyHash> depth_memo_;
  ValueLists memo_values_;
  // An answer a memo keeps: final, or cut short in one walk.
  struct WalkAnswer {
    std::uint32_t values = 0;  // id in memo_values_
    // 0 when final; else the walk (see walk_) whose cut-short answer it is.
    std::uint32_t partial_walk = 0;
    // The answers cut short, by the depth of the context they were
    // computed in: (depth, id in memo_values_). Null when none: most
    // answers are final, and the memos hold hundreds of thousands.
    struct AtDepth {
      int depth;
      std::uint32_t values;
      bool irregular;
    };
    std::unique_ptr<std::vector<AtDepth>> by_depth;
    // The answer of partial_walk was cut short also otherwise than by the
    // depth bound.
    bool irregular = false;
  };
  // The answer `memo` keeps under `key`, else compute()'s, then kept: a
  // final answer is reused always; one cut short within its walk, and in a
  // later walk that asks at the same depth (what is cut short is mostly cut
  // by the depth bound, so the same depth cuts it the same way; computed
  // again in each walk, the call-site chains of common method names cost
  // most of a large scan). With `regular_only`, only an answer cut short by
  // the depth bound alone is reused in a later walk: parameter values cut
  // by recursion depend on what is being evaluated around them (reused,
  // they lost a DescribeTable of a table passed as a parameter).
  template <typename Memo, typename Key, typename Compute>
  std::vector<Value> Remembered(Memo& memo, Key key, int depth,
                                bool regular_only, const Compute& compute) {
    auto it = memo.find(key);
    if (it != memo.end()) {
      WalkAnswer& a = it->second;
      if (a.partial_walk == 0) {
        return memo_values_.Get(a.values);
      }
      if (a.partial_walk == walk_) {
        ++cutoffs_;  // what is reused was cut short
        if (a.irregular) ++irregular_cutoffs_;
        return memo_values_.Get(a.values);
      }
      if (a.by_depth != nullptr) {
        for (const auto& [d, id, irregular] : *a.by_depth) {
          if (d != depth) continue;
          ++cutoffs_;  // cut short at this depth in an earlier walk
          if (irregular) ++irregular_cutoffs_;
          a.values = id;
          a.partial_walk = walk_;
          a.irregular = irregular;
          return memo_values_.Get(id);
        }
      }
    }
    const std::size_t before = cutoffs_;
    const std::size_t irregular_before = irregular_cutoffs_;
    std::vector<Value> out = compute();
    WalkAnswer& a = memo[std::move(key)];
    a.values = memo_values_.Intern(out);
    a.irregular = irregular_cutoffs_ != irregular_before;
    if (cutoffs_ == before) {
      a.partial_walk = 0;
      a.by_depth.reset();
    } else {
      a.partial_walk = walk_;
      if (!a.irregular || !regular_only) {
        if (a.by_depth == nullptr) {
          a.by_depth = std::make_unique<std::vector<WalkAnswer::AtDepth>>();
        }
        a.by_depth->push_back({depth, a.values, a.irregular});
      }
    }
    return out;
  }
  // InstanceAttribute's: (class, creating call, its scope, the instance's
  // expression and name, attribute, scope and line read at).
  using InstanceAttributeKey =
      std::tuple<const Scope*, const Expr*, const Scope*, const Expr*,
                 std::string, std::string, const Scope*, int>;
  absl::flat_hash_map<InstanceAttributeKey, WalkAnswer>
      instance_attribute_memo_;
  std::size_t cutoffs_ = 0;
  // The cutoffs not by the depth bound (recursion, budget, nesting) and the
  // reuses of answers they cut short: an answer cut short with none of them
  // is cut the same way at the same depth, in any walk.
  std::size_t irregular_cutoffs_ = 0;
  // Evaluations under way (Eval within Eval). Some lookups restart the
  // depth of their context (ClassKind, BaseClass, computed from the top),
  // so the depth alone does not bound how deep evaluations nest; past
  // kMaxNesting an evaluation is cut short instead of growing the stack.
  int nesting_ = 0;
  // Return statements standing for the yields of context managers.
  std::vector<std::unique_ptr<Stmt>> yields_;
  bool settings_indexed_ = false;
  std::vector<Scope*> settings_modules_;  // see SettingsModules()
  bool meta_stores_indexed_ = false;
  std::vector<std::pair<const Stmt*, Scope*>> meta_stores_;
  // Those statements as CollectBindings meets them (scope by scope, but
  // a def's before the rest of the scope holding it).
  std::vector<std::pair<const Stmt*, Scope*>> meta_stores_met_;
  // Receivers' and ParamValues' memos: ids in memo_values_.
  absl::flat_hash_map<const Scope*, std::uint32_t> receivers_memo_;
  // FindModuleFrom's answers, by (package of from, name): the package is
  // a prefix of a file's module_name. The modules are all known before
  // anything is evaluated.
  absl::flat_hash_map<std::pair<std::string_view, std::string>, Scope*>
      modules_from_;
  bool suffixes_indexed_ = false;
  std::unordered_map<std::string, Scope*> module_suffixes_;
  std::unordered_map<const Scope*, MutationIndex> mutations_;
  // ParamValues' answers, by (def statement, parameter index).
  absl::flat_hash_map<std::pair<const Stmt*, int>, WalkAnswer> param_memo_;
  // The positions, among the sites of its callee name (CallsByName), of
  // the calls that may pass a value for a parameter (see
  // ParamValuesUncached), by (def statement, parameter index): which they
  // are depends on the syntax alone. A node map: a list stays in place
  // while evaluating its sites adds others.
  absl::node_hash_map<std::pair<const Stmt*, int>, std::vector<std::uint32_t>>
      relevant_sites_;
  // ResultValues': (function, the bound parameters' values, see BoundKey).
  // A node map: a function's memo stays in place while computing an answer
  // adds the memos of others.
  absl::node_hash_map<const Scope*,
                      absl::flat_hash_map<std::string, WalkAnswer>>
      results_memo_;
  std::unordered_map<std::string, CalleeSites> callee_sites_;
  // See ForEachClassReceiverAt and ReceiversUncached.
  std::unordered_map<std::string, SiteValues> receiver_sites_;
  std::unordered_map<std::string, SiteValues> instance_sites_;
  long fuel_ = kFuel;
  // Numbers the walked expressions (each has a fresh budget) from 1; 0
  // marks no walk in CalleeSites::partial_walk.
  std::uint32_t walk_ = 1;
  // Keys of `dict(k=v)` entries, by value expression (see DictItems).
  std::unordered_map<const Expr*, std::string> keyword_keys_;
  bool imports_dynamodb_library_ = false;
  absl::flat_hash_set<std::pair<const Stmt*, int>> in_progress_;
  std::unordered_map<Scope*, int> class_kind_;
  std::unordered_map<Scope*, Scope*> base_class_;
  const SourceFile* current_file_ = nullptr;
  // Emit's buffers for the texts it builds.
  std::string emit_action_;
  std::string emit_table_;
};

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_ANALYZER_H_
