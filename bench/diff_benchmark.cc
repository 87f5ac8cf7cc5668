// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// DiffPolicies end to end (every DynamoDB action, both directions, resource
// summaries, witnesses replayed on both sides) on generated 200-statement
// identity policies (bench/service_policies.h): a pull-request-sized edit of
// one policy, and two unrelated policies.
//
// BM_CompareWithIamSimulate answers the same question by brute force, in
// the same run: every request of the covering universe of both policies
// (lib/eval/request_universe.h: every DynamoDB action × the candidate ARNs
// the policies' patterns give × the context values their conditions
// distinguish) is decided under OLD and under NEW, by Evaluate and by
// @cloud-copilot/iam-simulate, and the requests with new access are
// counted. iam-simulate takes milliseconds per request on policies this
// size, so it runs on an even sample of the universe (at most
// LEASTPRIV_ORACLE_SAMPLE requests, default 1,500; 0 for all of them) and its
// time is scaled to the whole universe. Counters:
//   diff_ms                 DiffPolicies (best of three runs)
//   universe_requests       size of the covering universe
//   evaluate_ms             Evaluate on the whole universe, both sides
//   evaluate_new_access     universe requests NEW allows and OLD denies
//   not_in_diff             of those, how many no reported change covers
//                           (its action with the resource in the summary)
//   iam_simulate_requests   requests decided by iam-simulate (the sample)
//   iam_simulate_new_access of those, allowed by NEW and not by OLD
//   iam_simulate_ms         its time on both sides, scaled to the universe
//   iam_simulate_over_diff  iam_simulate_ms / diff_ms
// Needs node and `npm ci` in tools/oracle; run with
//   bazel run -c opt //bench:diff_benchmark -- --benchmark_filter=Compare
//
// BM_DiffWildcardHeavy compares two wildcard-heavy sets
// (lib/analysis/wildcard_policies.h, seeds 7 and 8) whose Resource entries
// and conditions use free policy variables, deciding them (the default);
// BM_DiffWildcardHeavyFirstPass stops after the first pass
// (--no-exact-variables). Counters as above, undecided included.
// Measured (opt, CPU, 2-core machine, one run each): 50 statements 23 s,
// 0 undecided (first pass 59 ms, 35 undecided directions), most of it
// about 400 questions to Z3 of 30-40 ms each, one per resource class that
// neither side's difference reaches; 200: 8-11 s, 0 undecided (first pass
// 1.3 s, 93 undecided). At 200, while the over-approximation on every
// class at once still went to Z3 (now the finite search only, see
// smt::SolverSession::SolveShortcut), it did not finish in 11 minutes:
// Z3 took up to 73 s on one such question; with a tenth of the resource
// limit and no second solver, 259 s (52 questions of about 5 s, every
// one given up).

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "bench/iam_simulate.h"
#include "bench/service_policies.h"
#include "benchmark/benchmark.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/analysis/wildcard_policies.h"
#include "lib/eval/match.h"
#include "lib/eval/oracle_fixture.h"
#include "lib/eval/request_universe.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using bench::EditAsPullRequest;
using bench::GenerateServicePolicy;

// The two comparisons: kind 0 is a pull-request edit of one policy, kind 1
// two unrelated policies.
std::pair<PolicySet, PolicySet> Pair(int statements, int kind) {
  PolicySet old_set, new_set;
  old_set.identity.push_back(GenerateServicePolicy(statements, 7));
  new_set.identity.push_back(kind == 0 ? EditAsPullRequest(old_set.identity[0])
                                       : GenerateServicePolicy(statements, 8));
  return {std::move(old_set), std::move(new_set)};
}

void RunDiff(benchmark::State& state, const PolicySet& old_set,
             const PolicySet& new_set, const AnalysisOptions& options = {}) {
  std::size_t added = 0, removed = 0, undecided = 0;
  for (auto _ : state) {
    auto diff = DiffPolicies(old_set, new_set, {}, options);
    if (!diff.ok()) {
      state.SkipWithError(std::string(diff.status().message()).c_str());
      return;
    }
    added = diff->new_access.size();
    removed = diff->removed_access.size();
    undecided = diff->undecided.size();
    benchmark::DoNotOptimize(diff);
  }
  state.counters["statements"] = static_cast<double>(state.range(0));
  state.counters["new_access_actions"] = static_cast<double>(added);
  state.counters["removed_access_actions"] = static_cast<double>(removed);
  state.counters["undecided"] = static_cast<double>(undecided);
}

void BM_DiffPoliciesEdited(benchmark::State& state) {
  const auto [old_set, new_set] = Pair(static_cast<int>(state.range(0)), 0);
  RunDiff(state, old_set, new_set);
}
BENCHMARK(BM_DiffPoliciesEdited)->Arg(200)->Unit(benchmark::kMillisecond);

void BM_DiffPoliciesUnrelated(benchmark::State& state) {
  const auto [old_set, new_set] = Pair(static_cast<int>(state.range(0)), 1);
  RunDiff(state, old_set, new_set);
}
BENCHMARK(BM_DiffPoliciesUnrelated)->Arg(200)->Unit(benchmark::kMillisecond);

// A wildcard-heavy set of `statements` from `seed`, with free variables.
PolicySet WildcardSet(int statements, unsigned seed) {
  testing_policies::WildcardPolicyOptions options;
  options.statements = statements;
  options.seed = seed;
  return testing_policies::WildcardPolicySet(options).value_or(PolicySet());
}

void DiffWildcardHeavy(benchmark::State& state, bool exact) {
  const PolicySet old_set = WildcardSet(static_cast<int>(state.range(0)), 7);
  const PolicySet new_set = WildcardSet(static_cast<int>(state.range(0)), 8);
  if (old_set.identity.empty() || new_set.identity.empty()) {
    state.SkipWithError("generated policy does not parse");
    return;
  }
  AnalysisOptions options;
  options.decide_free_variables = exact;
  RunDiff(state, old_set, new_set, options);
}

void BM_DiffWildcardHeavy(benchmark::State& state) {
  DiffWildcardHeavy(state, true);
}
BENCHMARK(BM_DiffWildcardHeavy)
    ->Arg(50)
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void BM_DiffWildcardHeavyFirstPass(benchmark::State& state) {
  DiffWildcardHeavy(state, false);
}
BENCHMARK(BM_DiffWildcardHeavyFirstPass)
    ->Arg(50)
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

bool Allowed(const PolicySet& set, const Request& r) {
  absl::StatusOr<Decision> d = Evaluate(set, r);
  return d.ok() && d->kind == DecisionKind::kAllowed;
}

// Whether a reported change covers `r`: same action, resource within the
// change's summary (patterns minus exceptions).
bool Covered(const PolicyDiff& diff, const Request& r) {
  for (const AccessChange& c : diff.new_access) {
    if (c.action != r.action) continue;
    for (const ResourceSummary& s : c.resources) {
      bool in = false;
      for (const std::string& p : s.patterns) {
        in = in || p == "*" || eval::ArnMatches(p, r.resource);
      }
      for (const std::string& p : s.except) {
        if (eval::ArnMatches(p, r.resource)) in = false;
      }
      if (in) return true;
    }
  }
  return false;
}

// The decide_pairs.mjs input: one pair and `requests`.
absl::StatusOr<std::string> PairDocument(const PolicySet& old_set,
                                         const PolicySet& new_set,
                                         const std::vector<Request>& requests) {
  absl::StatusOr<json::Value> old_json = eval::OracleSetJson(old_set);
  absl::StatusOr<json::Value> new_json = eval::OracleSetJson(new_set);
  if (!old_json.ok()) return old_json.status();
  if (!new_json.ok()) return new_json.status();
  std::vector<json::Value> reqs;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    std::vector<json::Value::Member> r =
        eval::OracleRequestJson(requests[i]).object();
    r.insert(r.begin(), {"kind", json::Value::String("universe")});
    r.insert(r.begin(), {"name", json::Value::String(std::to_string(i))});
    reqs.push_back(json::Value::Object(std::move(r)));
  }
  const json::Value pair =
      json::Value::Object({{"name", json::Value::String("bench")},
                           {"old", *std::move(old_json)},
                           {"new", *std::move(new_json)},
                           {"requests", json::Value::Array(std::move(reqs))}});
  return json::Serialize(
      json::Value::Object({{"pairs", json::Value::Array({pair})}}), -1);
}

std::size_t OracleSample() {
  const char* env = std::getenv("LEASTPRIV_ORACLE_SAMPLE");
  return env != nullptr ? std::strtoul(env, nullptr, 10) : 1500;
}

void BM_CompareWithIamSimulate(benchmark::State& state) {
  const auto [old_set, new_set] =
      Pair(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  state.SetLabel(state.range(1) == 0 ? "edited" : "unrelated");
  for (auto _ : state) {
    double diff_ms = 0;
    absl::StatusOr<PolicyDiff> diff;
    for (int run = 0; run < 3; ++run) {
      const auto start = std::chrono::steady_clock::now();
      diff = DiffPolicies(old_set, new_set);
      const double ms = MillisSince(start);
      diff_ms = run == 0 ? ms : std::min(diff_ms, ms);
    }
    if (!diff.ok()) {
      state.SkipWithError(std::string(diff.status().message()).c_str());
      return;
    }
    state.counters["diff_ms"] = diff_ms;
    state.counters["new_access_actions"] =
        static_cast<double>(diff->new_access.size());

    const std::vector<Request> universe =
        eval::CoveringRequests({&old_set, &new_set});
    state.counters["universe_requests"] = static_cast<double>(universe.size());
    auto start = std::chrono::steady_clock::now();
    int new_access = 0, not_in_diff = 0;
    for (const Request& r : universe) {
      const bool in_old = Allowed(old_set, r);
      if (Allowed(new_set, r) && !in_old) {
        ++new_access;
        not_in_diff += !Covered(*diff, r);
      }
    }
    state.counters["evaluate_ms"] = MillisSince(start);
    state.counters["evaluate_new_access"] = new_access;
    state.counters["not_in_diff"] = not_in_diff;

    const std::vector<Request> sample =
        eval::EvenSample(universe, OracleSample());
    state.counters["iam_simulate_requests"] =
        static_cast<double>(sample.size());
    absl::StatusOr<std::string> doc = PairDocument(old_set, new_set, sample);
    absl::StatusOr<json::Value> out =
        doc.ok() ? bench::RunOracleScript("decide_pairs.mjs", *doc)
                 : absl::StatusOr<json::Value>(doc.status());
    if (!out.ok()) {
      state.SetLabel(std::string(state.range(1) == 0 ? "edited" : "unrelated") +
                     "; iam-simulate not measured: " +
                     std::string(out.status().message()));
      continue;
    }
    const double oracle_ms = bench::NumberMember(*out, "ms") *
                             static_cast<double>(universe.size()) /
                             static_cast<double>(sample.size());
    state.counters["iam_simulate_new_access"] =
        bench::NumberMember(*out, "new_access");
    state.counters["iam_simulate_errors"] = bench::NumberMember(*out, "errors");
    state.counters["iam_simulate_ms"] = oracle_ms;
    state.counters["iam_simulate_over_diff"] = oracle_ms / diff_ms;
  }
}
BENCHMARK(BM_CompareWithIamSimulate)
    ->Args({200, 0})
    ->Args({200, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
