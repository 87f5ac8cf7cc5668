// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Concrete evaluation throughput on the oracle fixture's 2,100 requests
// (testdata/oracle/eval_fixtures.json), and the same requests through the
// external simulator @cloud-copilot/iam-simulate, timed in the same run when
// node and tools/oracle/node_modules are available (run `npm ci` in
// tools/oracle first). Run with:
//   bazel run -c opt //bench:evaluate_benchmark

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/iam_simulate.h"
#include "benchmark/benchmark.h"
#include "leastpriv/evaluate.h"
#include "lib/eval/oracle_fixture.h"

namespace leastpriv {
namespace {

constexpr char kFixture[] = "testdata/oracle/eval_fixtures.json";

const eval::OracleFixture& Fixture() {
  static const eval::OracleFixture* fixture = [] {
    absl::StatusOr<eval::OracleFixture> f = eval::LoadOracleFixture(kFixture);
    if (!f.ok()) {
      std::fprintf(stderr, "evaluate_benchmark: %s\n",
                   std::string(f.status().message()).c_str());
      std::exit(2);
    }
    return new eval::OracleFixture(*std::move(f));
  }();
  return *fixture;
}

// Evaluates every fixture request once; returns how many were allowed.
int EvaluateAll(const eval::OracleFixture& f) {
  int allowed = 0;
  for (const eval::OracleCase& c : f.cases) {
    absl::StatusOr<Decision> d = Evaluate(f.sets[c.set_index], c.request);
    allowed += d.ok() && d->kind == DecisionKind::kAllowed;
  }
  return allowed;
}

void BM_EvaluateFixtureRequests(benchmark::State& state) {
  const eval::OracleFixture& f = Fixture();
  for (auto _ : state) benchmark::DoNotOptimize(EvaluateAll(f));
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(f.cases.size()));
}
BENCHMARK(BM_EvaluateFixtureRequests)->Unit(benchmark::kMillisecond);

// One run: our per-request time, iam-simulate's, and the ratio.
void BM_CompareWithIamSimulate(benchmark::State& state) {
  const eval::OracleFixture& f = Fixture();
  for (auto _ : state) {
    constexpr int kRounds = 20;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) benchmark::DoNotOptimize(EvaluateAll(f));
    const double ours_ns = std::chrono::duration<double, std::nano>(
                               std::chrono::steady_clock::now() - start)
                               .count() /
                           (kRounds * static_cast<double>(f.cases.size()));
    state.counters["leastpriv_ns_per_request"] = ours_ns;
    const absl::StatusOr<json::Value> out = bench::RunOracleScript(
        "bench_eval.mjs", "", {bench::WorkspacePath(kFixture)});
    if (!out.ok()) {
      state.SetLabel("iam-simulate not measured: " +
                     std::string(out.status().message()));
      continue;
    }
    const double theirs_ns = bench::NumberMember(*out, "ns_per_request");
    state.counters["iam_simulate_ns_per_request"] = theirs_ns;
    state.counters["speedup"] = theirs_ns / ours_ns;
    state.SetLabel(f.oracle_package + "@" + f.oracle_version);
  }
}
BENCHMARK(BM_CompareWithIamSimulate)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
