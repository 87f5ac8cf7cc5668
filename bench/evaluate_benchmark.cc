// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Concrete evaluation throughput on the oracle fixture's 2,100 requests
// (testdata/oracle/eval_fixtures.json), and the same requests through the
// external simulator @cloud-copilot/iam-simulate, timed in the same run when
// node and tools/oracle/node_modules are available (run `npm ci` in
// tools/oracle first). Run with:
//   bazel run -c opt //bench:evaluate_benchmark

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

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

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Runs tools/oracle/bench_eval.mjs; returns its ns per request, or a
// negative value (with `why` set) when the simulator is not available.
double IamSimulateNsPerRequest(std::string* why) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const std::string root = ws != nullptr ? std::string(ws) + "/" : "";
  const std::string oracle = root + "tools/oracle";
  if (!IsDirectory(oracle + "/node_modules/@cloud-copilot/iam-simulate")) {
    *why = "tools/oracle/node_modules not installed (run npm ci there)";
    return -1;
  }
  const std::string command =
      "node '" + oracle + "/bench_eval.mjs' '" + root + kFixture + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *why = "cannot start node";
    return -1;
  }
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  const std::string key = "\"ns_per_request\":";
  const size_t at = output.find(key);
  if (status != 0 || at == std::string::npos) {
    *why = "node failed: " + output;
    return -1;
  }
  return std::strtod(output.c_str() + at + key.size(), nullptr);
}

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
    std::string why;
    const double theirs_ns = IamSimulateNsPerRequest(&why);
    if (theirs_ns < 0) {
      state.SetLabel("iam-simulate not measured: " + why);
      continue;
    }
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
