// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Glob matching throughput and catalog lookups.

#include <string>

#include "benchmark/benchmark.h"
#include "leastpriv/catalog.h"
#include "lib/glob/glob.h"

namespace leastpriv {
namespace {

// "*a*a*...*b*" against a text of 'a's: the classic backtracking blow-up.
void BM_GlobManyStars(benchmark::State& state) {
  const std::string text(state.range(0), 'a');
  std::string pattern;
  for (int i = 0; i < 100; ++i) pattern += "*a";
  pattern += "*b*";
  for (auto _ : state) {
    benchmark::DoNotOptimize(GlobMatch(pattern, text));
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_GlobManyStars)->Arg(1 << 10)->Arg(100000);

// A 1,000-byte middle segment of `?` then 'b', never found.
void BM_GlobLongSegment(benchmark::State& state) {
  const std::string text(state.range(0), 'a');
  const std::string pattern = "*" + std::string(1000, '?') + "b*";
  for (auto _ : state) {
    benchmark::DoNotOptimize(GlobMatch(pattern, text));
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_GlobLongSegment)->Arg(100000);

void BM_GlobArnInsensitive(benchmark::State& state) {
  const std::string text =
      "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/ByDate";
  for (auto _ : state) {
    benchmark::DoNotOptimize(GlobMatch("arn:aws:dynamodb:*:*:table/Ord?rs/*",
                                       text, GlobCase::kInsensitive));
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_GlobArnInsensitive);

// The Resource element's rule, component by component, on a pattern with a
// substituted (literal) part, as the evaluator meets it.
void BM_ArnMatchesSubstituted(benchmark::State& state) {
  const std::string arn =
      "arn:aws:dynamodb:us-east-1:123456789012:table/tenant-alice/index/ByDate";
  GlobPattern pattern = GlobPattern::Wildcards("arn:aws:dynamodb:*:*:table/");
  pattern.Append("tenant-alice", /*is_literal=*/true);
  pattern.Append("*", /*is_literal=*/false);
  const ColonSplit pattern_parts = SplitAtColons(pattern.text);
  const ColonSplit arn_parts = SplitAtColons(arn);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        ArnMatches(pattern, pattern_parts, arn, arn_parts));
  }
  state.SetBytesProcessed(state.iterations() * arn.size());
}
BENCHMARK(BM_ArnMatchesSubstituted);

void BM_ExpandActionPattern(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ExpandActionPattern("dynamodb:*Item*"));
  }
}
BENCHMARK(BM_ExpandActionPattern);

void BM_FindAction(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(FindAction("DynamoDB:BatchWriteItem"));
  }
}
BENCHMARK(BM_FindAction);

void BM_SuggestAction(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(SuggestAction("dynamodb:DescribeTabel"));
  }
}
BENCHMARK(BM_SuggestAction);

}  // namespace
}  // namespace leastpriv
