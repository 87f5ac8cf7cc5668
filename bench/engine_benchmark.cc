// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The symbolic engine end to end: Reachable over every DynamoDB action, with
// witnesses (replayed through Evaluate) and resource summaries, on generated
// identity policies of 50, 200 and 1,000 statements with conditions (String,
// Bool, ForAllValues, Numeric, Date and IpAddress).
//
// BM_ReachableWildcardHeavy and BM_CompareWildcardHeavyWithIamSimulate do
// the same on wildcard-heavy policies (lib/analysis/wildcard_policies.h).
// Measured on a shared 2-core machine (opt build, load average about 4,
// CPU time): 14 ms at 50 statements, 113 ms at 200, 0.83 s at 1,000
// (peak memory 22 MB), 2.7 s at 2,000 (50 MB; no limit reached: the
// table-name position's automaton has about 11,000 states there).
// Questions that depend on the free aws:username and
// aws:PrincipalTag/tenant variables both used in Resource entries stay
// unknown (two free variables in Resource entries are not decided: 6 of 79
// actions at 50 statements, 30 at 1,000, all 79 at 2,000).
//
// BM_ReachableWildcardHeavyDecidingFreeVariables runs the wildcard-heavy
// sets with AnalysisOptions::decide_free_variables (opt build, same
// machine, wall / CPU / peak RSS of the whole process, unknown actions of
// 79): 50 statements 34.6 s / 33.2 s / 120 MB / 0 unknown; 200: 2.2 s /
// 2.1 s / 13 MB / 0; 1,000: 42 s / 40 s / 60 MB / 0; 2,000: 310 s / 257 s /
// 1.2 GB / 0, every action proved unreachable (without it, same run:
// 17 ms / 8 MB / 6 unknown; 150 ms / 11 MB / 24; 1.26 s / 23 MB / 30;
// 2,000: 4.0 s / 60 MB / 79). Every answer is decided, but far above the
// time targets: most of the time is in Z3 on the larger terms (the
// over-approximation's Booleans, the products of compound sources' cases,
// and the extra classes of the suggested values).
// Since the exact models are built only for the actions the default
// analysis leaves undecided, satisfiable questions are first tried on the
// last models found, and the suggested values are gathered once per
// resource entry (same machine, CPU / peak RSS, 0 unknown): 50 statements
// 11.7 s / 118 MB (most of it still Z3: satisfiable questions on the
// resource classes of the 6 actions the default leaves undecided, which
// the exact models split finely); 200: 1.8 s / 13 MB;
// 1,000: 14.2 s / 75 MB (model builds: the suggested values about half,
// the builds with them a third); 2,000: 102 s / 1.24 GB (the default
// leaves all 79 actions undecided there, so every one takes the exact
// path). The default, same run: 18 ms, 151 ms, 1.22 s.
// Since a scan decides most resource classes together (each model found
// is evaluated on every class at once, and classes where the goal is
// false whatever the context are unsat without the solver), each
// pattern's classes are listed once per model, and the suggested values
// match compiled patterns at the positions the literal text allows (same
// machine, same run as the figures before these changes, CPU / peak RSS,
// 0 unknown): 50 statements 7.9 s / 122 MB (was 12.0 s / 118 MB; the
// classes the finite search cannot decide together, each needing a model
// of its own, and the model builds); 200: 1.21 s / 19 MB (1.84 s);
// 1,000: 7.9 s / 99 MB (15.0 s / 77 MB; model builds about half: the
// partitions, then the suggested values); 2,000: 52 s / 1.26 GB (102 s /
// 1.24 GB; the memory is the models', unchanged). The default, same run:
// 18.5 ms, 146 ms, 1.05 s, 3.0 s (was 19.8 ms, 150 ms, 1.15 s, 3.8 s).
// Since the exact pass over a small set keeps one model for every action
// up to 4,096 resource classes (it gave up at 2,048 and split the set by
// action), a sweep compiles its goal once for the finite search, and the
// partitions' witnesses skip most pattern tests (same machine, loaded, CPU
// of two runs back to back against the code before, 0 unknown, the
// counters unchanged): 50 statements 0.46-0.47 s / 15 MB (was 4.1 s /
// 122 MB; split by action, CreateBackup's model had 2,079 table classes,
// about 970 of them needing a search each for their own pair of
// aws:username and aws:PrincipalTag/team values, where the one model has
// 553); 200: 1.02-1.10 s (1.14-1.16 s); 1,000: 6.8-7.4 s / 99 MB
// (7.1-7.7 s / 98 MB; model builds two thirds of it: the ARN partitions
// about 43%, the suggested values 14%). The default, same runs:
// 17-18 ms, 129-149 ms, 0.94-1.1 s (17-18 ms, 136-138 ms, 1.04-1.05 s).
// Since the classes a scan leaves open are resolved for every action of a
// model together, and first by moving a witness onto them (its resource
// and the values that resource gives the free sources, replayed through
// the evaluator), and the exact pass first builds its models without the
// values their own witnesses suggest (then with them, for the actions
// still undecided), the counters also give the reachable actions whose
// resource summary is incomplete (medians of three, same run as the code
// before: 0 unknown both): 50 statements 285 ms, 3 incomplete (was
// 622 ms, 4 incomplete); 200: 529 ms, 2 (1,284 ms, 2); 1,000: 3.5 s, 0
// (8.8 s, 1). The default, same run: 18 ms, 174 ms, 1.20 s (22 ms,
// 152 ms, 1.15 s: noise), with 22, 51 and 46 incomplete summaries.
// BM_CompareWildcardHeavyDecidingFreeVariablesWithIamSimulate/50, one run:
// 243 ms, iam-simulate 833 s over the 466,909 requests (3,432 times).
// Since a scan moves its witness onto the classes left after eight
// one-by-one solver questions (with the values every split of the table
// name gives the variables), no resolving model follows the models with
// the suggested values, and the resolving model holds only the statements
// of the actions it is asked about (CPU, medians of three, the counters
// unchanged): 50 statements 123 ms (was 239 ms in the same run); 200:
// 337 ms (361 ms); 1,000: 2.7 s / 62 MB (2.8 s / 62 MB); 2,000: 22 s /
// 675 MB (52 s / 1.26 GB when last measured), where the default takes
// 2.6 s and leaves all 79 actions unknown. Against iam-simulate, one run:
// exact 132 ms, iam-simulate 754 s (5,720 times); default 17 ms, 771 s
// (45,491 times).
// Since the default scan marks the classes no values make possible first
// and sweeps the classes after its witness once one needs Z3 (the set of
// 88 statements took 56 s, about 2,000 questions to Z3 at 5 to 30 ms
// each), the over-approximation reads an entry with a key the principal
// decides as the shape of its values, and the actions still undecided get
// models of the statements they see for their own resource types (CPU, one
// run): 50 statements 53 ms, 0 incomplete (was 123 ms, 3 incomplete); 88:
// 6.9 s, 0 (55 s, 2); 200: 0.32 s, 0 (0.34 s, 2); 1,000: 2.8 s, 0; 2,000:
// 28 s / 790 MB (22 s / 675 MB: the shapes' patterns are more classes).
// The default: 17 ms, 6.8 s, 0.12 s, 0.95 s, 2.6 s. Against iam-simulate,
// one run: exact 52 ms, iam-simulate 798 s (15,210 times); default 17 ms,
// 782 s (45,334 times).
// Since free variables are decided by default (BM_ReachableWildcardHeavy
// now measures the first pass alone, --no-exact-variables), a variable's
// values are told apart only by what follows it in each entry, and the
// incremental solver is dropped before the fresh one retries (CPU, quiet
// machine, medians of five at 50 and 200): 50 statements 40-44 ms (the
// code before, same run: 40-41 ms); 88: 3.7 s (4.8 s); 200: 0.28 s;
// 1,000: 2.3 s / 66 MB; 2,000: 32-34 s / 458 MB (26-28 s / 788 MB: the
// two solvers together set the peak). The first pass alone: 14 ms, 2.4 s,
// 0.10 s, 0.80 s, 2.6 s. Against iam-simulate, one run: 59 ms, 552 s
// (9,330 times); the first pass 13.6 ms (40,590 times).
// Since product states are hashed word by word, and the actions whose
// statements name two or more free variables in Resource entries skip the
// first pass (CPU, medians of five at 50 and 200, counters unchanged):
// 50 statements 41-46 ms; 88: 3.3-3.5 s; 200: 0.15-0.18 s (0.27 s);
// 1,000: 1.5-1.6 s / 61 MB (2.1-2.4 s); 2,000: 29 s / 456 MB. Seeds 1
// and 2 at 1,000: 1.16 s and 2.25 s (1.59 s and 3.09 s).
// Since product state hashes fold four lanes at a time and the ARN class
// combinations allocate only the classes they keep (quiet machine,
// medians of five at 50 and 200): 50 statements 39 ms; 88: 3.3 s; 200:
// 0.15 s; 1,000: 1.25-1.32 s / 65 MB; 2,000: 27 s / 457 MB. The first
// pass alone: 13 ms, 2.2 s, 93 ms, 0.71 s, 1.6 s.
// Since a question that only saves others (the over-approximation on every
// class at once) gets the finite search only, on a slower machine (same
// session, before / after): 2,000: 43 s / 4.1-4.5 s, 457 / 104 MB;
// 1,000: 1.67-1.73 / 1.46-1.60 s; 50 and 88 unchanged within noise.
// Since a product state of the string abstraction walks a letter only
// when some live pattern steps on it otherwise than on its profile's
// representative (same machine and session, before / after, counters and
// `leastpriv reach` output unchanged): 50 statements 49 / 45 ms; 88:
// 4.5 / 4.2 s; 200: 0.20 / 0.18 s; 1,000: 1.52 / 1.23-1.34 s, 38 MB;
// 2,000: 3.8 s.
//
// BM_CompareWithIamSimulate also times @cloud-copilot/iam-simulate on the
// covering request universe of the same policy (lib/eval/request_universe.h:
// every action × every candidate ARN the policy's patterns give, here in an
// empty context; timed on an even sample of at most 1,500 requests and
// scaled), when node and
// tools/oracle/node_modules are available (run `npm ci` there; run the
// benchmark with `bazel run -c opt //bench:engine_benchmark`). iam-simulate
// decides one concrete request at a time, so its figure covers one context
// only, while Reachable covers every context.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/iam_simulate.h"
#include "benchmark/benchmark.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/analysis/wildcard_policies.h"
#include "lib/eval/oracle_fixture.h"
#include "lib/eval/request_universe.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

std::string Quote(const std::string& s) { return absl::StrCat("\"", s, "\""); }

// A policy shaped like real application roles: per-table grants of a few
// actions, index grants, tenant, transport, MFA, time and network
// conditions, and some denies. Returns the policy document; `*tables` is the
// number of tables "app-N" it names.
std::string GeneratePolicyJson(int statements, unsigned seed, int* tables) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng);
  };
  const auto& actions = DynamoDbActions();
  *tables = std::max(4, statements / 4);
  std::vector<std::string> out;
  for (int i = 0; i < statements; ++i) {
    const bool deny = pick(10) == 0;
    std::vector<std::string> acts;
    const int kinds = pick(4);
    for (int a = 0; a <= kinds; ++a) {
      if (pick(6) == 0) {
        const char* wild[] = {"dynamodb:Get*", "dynamodb:*Item",
                              "dynamodb:Describe*", "dynamodb:List*",
                              "dynamodb:Batch*"};
        acts.push_back(Quote(wild[pick(5)]));
      } else {
        acts.push_back(Quote(
            actions[pick(static_cast<int>(actions.size()))].qualified_name()));
      }
    }
    const std::string table =
        "arn:aws:dynamodb:us-east-1:111122223333:table/app-" +
        std::to_string(pick(*tables));
    std::string resource;
    switch (pick(5)) {
      case 0:
        resource = table + "/index/*";
        break;
      case 1:
        resource = table + "*";
        break;
      case 2:
        resource = pick(4) == 0 ? "*" : table + "/stream/*";
        break;
      default:
        resource = table;
    }
    std::string condition;
    switch (pick(8)) {
      case 0:
        condition =
            absl::StrCat(R"({"StringEquals":{"aws:PrincipalTag/team":"team-)",
                         pick(8), R"("}})");
        break;
      case 1:
        condition = absl::StrCat(R"({"Bool":{"aws:SecureTransport":")",
                                 deny ? "false" : "true", R"("}})");
        break;
      case 2:
        condition = absl::StrCat(
            R"({"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["tenant-)",
            pick(16), R"("]}})");
        break;
      case 3:
        condition =
            absl::StrCat(R"({"NumericLessThan":{"aws:MultiFactorAuthAge":")",
                         600 * (1 + pick(6)), R"("}})");
        break;
      case 4:
        condition = absl::StrCat(R"({"DateLessThan":{"aws:CurrentTime":"20)",
                                 26 + pick(6), R"(-01-01T00:00:00Z"}})");
        break;
      case 5:
        condition = absl::StrCat(R"({"IpAddress":{"aws:SourceIp":"10.)",
                                 pick(8), R"(.0.0/16"}})");
        break;
      default:
        break;
    }
    std::string st = absl::StrCat(R"({"Effect":")", deny ? "Deny" : "Allow",
                                  R"(","Action":[)", absl::StrJoin(acts, ","),
                                  R"(],"Resource":")", resource, "\"");
    if (!condition.empty()) absl::StrAppend(&st, R"(,"Condition":)", condition);
    out.push_back(st + "}");
  }
  return absl::StrCat(R"({"Version":"2012-10-17","Statement":[)",
                      absl::StrJoin(out, ","), "]}");
}

PolicySet ParseSet(const std::string& json) {
  ParseOptions options;
  options.file_name = "generated.json";
  auto p = ParsePolicy(json, options);
  PolicySet set;
  if (p.ok()) set.identity.push_back(std::move(*p));
  return set;
}

// Reachable over every action of `policies`, with the numbers of
// reachable and undecided actions as counters.
void ReachAllActions(benchmark::State& state, const PolicySet& policies,
                     const AnalysisOptions& options = {}) {
  if (policies.identity.empty()) {
    state.SkipWithError("generated policy does not parse");
    return;
  }
  int yes = 0, unknown = 0, incomplete = 0;
  for (auto _ : state) {
    auto report = Reachable(policies, {}, options);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      return;
    }
    yes = unknown = incomplete = 0;
    for (const ActionReach& a : report->actions) {
      yes += a.reachable == Answer::kYes;
      unknown += a.reachable == Answer::kUnknown;
      // Reachable, with resource classes left undecided.
      incomplete += a.reachable == Answer::kYes && !a.reason.empty();
    }
    benchmark::DoNotOptimize(report);
  }
  state.counters["statements"] = static_cast<double>(state.range(0));
  state.counters["reachable_actions"] = yes;
  state.counters["unknown_actions"] = unknown;
  state.counters["incomplete_actions"] = incomplete;
}

void BM_ReachableAllActions(benchmark::State& state) {
  int tables = 0;
  ReachAllActions(state, ParseSet(GeneratePolicyJson(
                             static_cast<int>(state.range(0)), 42, &tables)));
}
BENCHMARK(BM_ReachableAllActions)
    ->Arg(50)
    ->Arg(200)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond);

// The same on wildcard-heavy policies (lib/analysis/wildcard_policies.h):
// infix `*` and `?` in names, wildcard regions and accounts, every resource
// type, NotResource and policy variables; the aws:username and
// aws:PrincipalTag/tenant variables stay free.
// ENGINE_BENCH_SEED=N generates the sets from seed N instead of 7.
PolicySet WildcardSet(int statements) {
  testing_policies::WildcardPolicyOptions options;
  options.statements = statements;
  options.seed = 7;
  if (const char* seed = std::getenv("ENGINE_BENCH_SEED")) {
    options.seed = static_cast<unsigned>(std::strtoul(seed, nullptr, 10));
  }
  const std::string json = testing_policies::WildcardPolicyJson(options);
  // ENGINE_BENCH_WRITE_POLICY=DIR writes each set there, to be run with
  // `leastpriv reach` (wildcard_SEED_STATEMENTS.json).
  if (const char* dir = std::getenv("ENGINE_BENCH_WRITE_POLICY")) {
    std::ofstream(
        absl::StrCat(dir, "/wildcard_", options.seed, "_", statements, ".json"))
        << json;
  }
  return ParseSet(json);
}

// The analysis without AnalysisOptions::decide_free_variables (the
// first pass of the default; --no-exact-variables).
AnalysisOptions FirstPassOnly() {
  AnalysisOptions options;
  options.decide_free_variables = false;
  return options;
}

void BM_ReachableWildcardHeavy(benchmark::State& state) {
  ReachAllActions(state, WildcardSet(static_cast<int>(state.range(0))),
                  FirstPassOnly());
}
BENCHMARK(BM_ReachableWildcardHeavy)
    ->Arg(50)
    ->Arg(88)
    ->Arg(200)
    ->Arg(1000)
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The same with AnalysisOptions::decide_free_variables (the default).
void BM_ReachableWildcardHeavyDecidingFreeVariables(benchmark::State& state) {
  AnalysisOptions options;
  options.decide_free_variables = true;
  ReachAllActions(state, WildcardSet(static_cast<int>(state.range(0))),
                  options);
}
BENCHMARK(BM_ReachableWildcardHeavyDecidingFreeVariables)
    ->Arg(50)
    ->Arg(88)
    ->Arg(200)
    ->Arg(1000)
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Times iam-simulate on `requests` under `policies` with
// tools/oracle/bench_eval.mjs, which reads the oracle fixture format; ns
// per request.
absl::StatusOr<double> IamSimulateNsPerRequest(
    const PolicySet& policies, const std::vector<Request>& requests) {
  absl::StatusOr<json::Value> set = eval::OracleSetJson(policies);
  if (!set.ok()) return set.status();
  std::vector<json::Value> reqs;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    std::vector<json::Value::Member> r =
        eval::OracleRequestJson(requests[i]).object();
    r.insert(r.begin(), {"name", json::Value::String(absl::StrCat("r", i))});
    r.push_back({"expected", json::Value::String("")});
    reqs.push_back(json::Value::Object(std::move(r)));
  }
  std::vector<json::Value::Member> s = set->object();
  s.insert(s.begin(), {"name", json::Value::String("generated")});
  s.push_back({"requests", json::Value::Array(std::move(reqs))});
  const json::Value doc = json::Value::Object(
      {{"oracle", json::Value::Object({})},
       {"seed", json::Value::Number(0)},
       {"sets", json::Value::Array({json::Value::Object(std::move(s))})}});
  absl::StatusOr<json::Value> out =
      bench::RunOracleScript("bench_eval.mjs", json::Serialize(doc, -1));
  if (!out.ok()) return out.status();
  return bench::NumberMember(*out, "ns_per_request");
}

// One run: Reachable on the policy, Evaluate and iam-simulate on the
// covering universe, and the ratio of iam-simulate's total to Reachable.
void CompareWithIamSimulate(benchmark::State& state, const PolicySet& policies,
                            const AnalysisOptions& options = {}) {
  // The covering universe in the empty context: iam-simulate decides one
  // context per request.
  eval::UniverseOptions universe_options;
  universe_options.vary_context = false;
  const std::vector<Request> universe =
      eval::CoveringRequests({&policies}, universe_options);
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto report = Reachable(policies, {}, options);
    const double reach_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start)
                                .count();
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      return;
    }
    start = std::chrono::steady_clock::now();
    int allowed = 0;
    for (const Request& r : universe) {
      auto d = Evaluate(policies, r);
      allowed += d.ok() && d->kind == DecisionKind::kAllowed;
    }
    const double eval_ms = std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - start)
                               .count();
    state.counters["reachable_ms"] = reach_ms;
    state.counters["requests"] = static_cast<double>(universe.size());
    state.counters["evaluate_ms"] = eval_ms;
    state.counters["allowed_requests"] = allowed;
    // iam-simulate takes milliseconds per request on large policies: it
    // runs on an evenly spread sample of at most kSample requests, and its
    // mean time per request is scaled to the whole universe.
    constexpr size_t kSample = 1500;
    const std::vector<Request> sample = eval::EvenSample(universe, kSample);
    state.counters["iam_simulate_sampled"] = static_cast<double>(sample.size());
    const absl::StatusOr<double> ns = IamSimulateNsPerRequest(policies, sample);
    if (!ns.ok()) {
      state.SetLabel("iam-simulate not measured: " +
                     std::string(ns.status().message()));
      continue;
    }
    const double theirs_ms = *ns * static_cast<double>(universe.size()) / 1e6;
    state.counters["iam_simulate_ms"] = theirs_ms;
    state.counters["iam_simulate_over_reachable"] = theirs_ms / reach_ms;
  }
}
void BM_CompareWithIamSimulate(benchmark::State& state) {
  int tables = 0;
  CompareWithIamSimulate(
      state, ParseSet(GeneratePolicyJson(static_cast<int>(state.range(0)), 42,
                                         &tables)));
}
BENCHMARK(BM_CompareWithIamSimulate)
    ->Arg(50)
    ->Arg(1000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_CompareWildcardHeavyWithIamSimulate(benchmark::State& state) {
  CompareWithIamSimulate(state, WildcardSet(static_cast<int>(state.range(0))),
                         FirstPassOnly());
}
BENCHMARK(BM_CompareWildcardHeavyWithIamSimulate)
    ->Arg(50)
    ->Arg(200)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// The same with AnalysisOptions::decide_free_variables: every question
// decided, against iam-simulate on the covering universe.
void BM_CompareWildcardHeavyDecidingFreeVariablesWithIamSimulate(
    benchmark::State& state) {
  AnalysisOptions options;
  options.decide_free_variables = true;
  CompareWithIamSimulate(state, WildcardSet(static_cast<int>(state.range(0))),
                         options);
}
BENCHMARK(BM_CompareWildcardHeavyDecidingFreeVariablesWithIamSimulate)
    ->Arg(50)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Agreement of Evaluate with iam-simulate on an even sample of the
// covering request universe (contexts varied) of wildcard-heavy sets of
// `state.range(0)` statements, seeds 7 to 10: counters agree, disagree
// and errors (requests iam-simulate rejects).
void BM_AgreementWildcardHeavyWithIamSimulate(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<json::Value> sets;
    for (unsigned seed = 7; seed <= 10; ++seed) {
      testing_policies::WildcardPolicyOptions options;
      options.statements = static_cast<int>(state.range(0));
      options.seed = seed;
      const PolicySet policies =
          testing_policies::WildcardPolicySet(options).value_or(PolicySet());
      absl::StatusOr<json::Value> set = eval::OracleSetJson(policies);
      if (!set.ok()) {
        state.SkipWithError(std::string(set.status().message()).c_str());
        return;
      }
      const std::vector<Request> sample =
          eval::EvenSample(eval::CoveringRequests({&policies}), 1500);
      std::vector<json::Value> reqs;
      for (std::size_t i = 0; i < sample.size(); ++i) {
        auto d = Evaluate(policies, sample[i]);
        if (!d.ok()) continue;
        std::vector<json::Value::Member> r =
            eval::OracleRequestJson(sample[i]).object();
        r.insert(r.begin(),
                 {"name", json::Value::String(absl::StrCat("r", i))});
        r.push_back({"expected", json::Value::String(
                                     std::string(DecisionKindName(d->kind)))});
        reqs.push_back(json::Value::Object(std::move(r)));
      }
      std::vector<json::Value::Member> s = set->object();
      s.insert(s.begin(),
               {"name", json::Value::String(absl::StrCat("seed", seed))});
      s.push_back({"requests", json::Value::Array(std::move(reqs))});
      sets.push_back(json::Value::Object(std::move(s)));
    }
    const json::Value doc =
        json::Value::Object({{"oracle", json::Value::Object({})},
                             {"seed", json::Value::Number(0)},
                             {"sets", json::Value::Array(std::move(sets))}});
    absl::StatusOr<json::Value> out =
        bench::RunOracleScript("agree_eval.mjs", json::Serialize(doc, -1));
    if (!out.ok()) {
      state.SetLabel("iam-simulate not run: " +
                     std::string(out.status().message()));
      continue;
    }
    state.counters["requests"] = bench::NumberMember(*out, "requests");
    state.counters["agree"] = bench::NumberMember(*out, "agree");
    state.counters["disagree"] = bench::NumberMember(*out, "disagree");
    state.counters["errors"] = bench::NumberMember(*out, "errors");
    if (bench::NumberMember(*out, "disagree") > 0) {
      state.SetLabel(
          json::Serialize(*out->Find("examples"), -1).substr(0, 2000));
    }
  }
}
BENCHMARK(BM_AgreementWildcardHeavyWithIamSimulate)
    ->Arg(50)
    ->Arg(200)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
