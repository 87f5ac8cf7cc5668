// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end `leastpriv check` of the bundled example (testdata/examples/shop
// and its role.json), and its three phases on their own: scanning the code,
// RunCheck (solver questions, then the rest of the comparison; the split is
// reported as counters) and rendering the four formats.
//
//   bazel run -c opt //bench:check_benchmark

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "benchmark/benchmark.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;

// The scanner does not follow symbolic links out of its root, and Bazel's
// runfiles are links: scan a real copy.
const std::string& ExampleRoot() {
  static const std::string* root = [] {
    fs::path dst = fs::temp_directory_path() /
                   ("leastpriv_check_benchmark_" + std::to_string(getpid()));
    fs::remove_all(dst);
    fs::copy("testdata/examples/shop", dst, fs::copy_options::recursive);
    auto* path = new std::string(dst.string());
    static const std::string* to_remove = path;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(*to_remove, ec);
    });
    return path;
  }();
  return *root;
}

const PolicySet& ExamplePolicies() {
  static const PolicySet* set = [] {
    ParseOptions options;
    options.file_name = "role.json";
    auto p = LoadPolicyFile("testdata/examples/shop/role.json", options);
    if (!p.ok()) std::abort();
    auto* s = new PolicySet;
    s->identity.push_back(*p);
    return s;
  }();
  return *set;
}

CheckInput ExampleInput(const ScanResult& scan) {
  CheckInput in;
  in.scan = &scan;
  in.policies = &ExamplePolicies();
  in.account = "111122223333";
  in.region = "eu-west-1";
  in.bindings = {{"env:AUDIT_TABLE", "shop-audit"},
                 {"settings:AUDIT_TABLE", "shop-audit"}};
  return in;
}

void BM_CheckScan(benchmark::State& state) {
  const std::string& root = ExampleRoot();
  for (auto _ : state) {
    auto scan = ScanProject(root);
    if (!scan.ok()) state.SkipWithError("scan failed");
    benchmark::DoNotOptimize(scan);
  }
}
BENCHMARK(BM_CheckScan)->Unit(benchmark::kMillisecond);

void BM_CheckRunCheck(benchmark::State& state) {
  auto scan = ScanProject(ExampleRoot());
  if (!scan.ok()) {
    state.SkipWithError("scan failed");
    return;
  }
  double solve = 0, rest = 0;
  for (auto _ : state) {
    auto report = RunCheck(ExampleInput(*scan));
    if (!report.ok()) {
      state.SkipWithError("check failed");
      return;
    }
    solve += report->timings.solve;
    rest += report->timings.report;
    benchmark::DoNotOptimize(report);
  }
  state.counters["solve_ms"] =
      benchmark::Counter(solve * 1e3 / static_cast<double>(state.iterations()));
  state.counters["compare_ms"] =
      benchmark::Counter(rest * 1e3 / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_CheckRunCheck)->Unit(benchmark::kMillisecond);

void BM_CheckRender(benchmark::State& state) {
  auto scan = ScanProject(ExampleRoot());
  auto report = scan.ok() ? RunCheck(ExampleInput(*scan))
                          : absl::StatusOr<CheckReport>(scan.status());
  if (!report.ok()) {
    state.SkipWithError("check failed");
    return;
  }
  RenderOptions options;
  options.code_prefix = "testdata/examples/shop/";
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = RenderText(*report, options);
    std::string json = RenderJson(*report, options);
    std::string sarif = RenderSarif(*report, options);
    std::string md = RenderMarkdown(*report, options);
    bytes += text.size() + json.size() + sarif.size() + md.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_CheckRender)->Unit(benchmark::kMicrosecond);

void BM_CheckEndToEnd(benchmark::State& state) {
  const std::string& root = ExampleRoot();
  RenderOptions options;
  for (auto _ : state) {
    auto scan = ScanProject(root);
    if (!scan.ok()) {
      state.SkipWithError("scan failed");
      return;
    }
    auto report = RunCheck(ExampleInput(*scan));
    if (!report.ok()) {
      state.SkipWithError("check failed");
      return;
    }
    std::string json = RenderJson(*report, options);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_CheckEndToEnd)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
