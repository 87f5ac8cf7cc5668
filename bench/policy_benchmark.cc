// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policy parse and parse+validate throughput on a generated set of
// realistic DynamoDB role policies.

#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "leastpriv/policy.h"
#include "leastpriv/validate.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

// `count` policies of 40 statements each, with table/index/stream ARNs,
// action lists, wildcards and conditions.
std::vector<std::string> GeneratePolicies(int count) {
  static const char* kActions[] = {"dynamodb:GetItem",
                                   "dynamodb:BatchGetItem",
                                   "dynamodb:Query",
                                   "dynamodb:Scan",
                                   "dynamodb:PutItem",
                                   "dynamodb:UpdateItem",
                                   "dynamodb:DeleteItem",
                                   "dynamodb:DescribeTable",
                                   "dynamodb:ConditionCheckItem",
                                   "dynamodb:Get*",
                                   "dynamodb:Describe*",
                                   "dynamodb:GetRecords",
                                   "dynamodb:PartiQLSelect"};
  std::mt19937 rng(42);
  std::vector<std::string> out;
  for (int p = 0; p < count; ++p) {
    std::string doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n";
    for (int s = 0; s < 40; ++s) {
      if (s) doc += ",\n";
      const std::string table = "app_" + std::to_string(rng() % 50);
      doc += "    {\n      \"Sid\": \"S" + std::to_string(s) +
             "\",\n      \"Effect\": \"" + (rng() % 5 ? "Allow" : "Deny") +
             "\",\n      \"Action\": [";
      const int n = 1 + rng() % 5;
      for (int a = 0; a < n; ++a) {
        if (a) doc += ", ";
        doc += "\"" + std::string(kActions[rng() % 13]) + "\"";
      }
      doc +=
          "],\n      \"Resource\": [\n        "
          "\"arn:aws:dynamodb:eu-west-1:111122223333:table/" +
          table +
          "\",\n        \"arn:aws:dynamodb:eu-west-1:111122223333:table/" +
          table + "/index/*\"\n      ]";
      if (rng() % 3 == 0) {
        doc +=
            ",\n      \"Condition\": {\n        "
            "\"ForAllValues:StringEquals\": {\"dynamodb:LeadingKeys\": "
            "[\"${aws:userid}\", \"tenant-" +
            std::to_string(rng() % 100) +
            "\"]},\n        \"Bool\": {\"aws:SecureTransport\": true}\n      }";
      }
      doc += "\n    }";
    }
    doc += "\n  ]\n}\n";
    out.push_back(std::move(doc));
  }
  return out;
}

const std::vector<std::string>& Policies() {
  static const std::vector<std::string> policies = GeneratePolicies(200);
  return policies;
}

std::int64_t TotalBytes() {
  std::int64_t bytes = 0;
  for (const std::string& p : Policies()) bytes += p.size();
  return bytes;
}

void BM_JsonParse(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& p : Policies()) {
      auto v = json::Parse(p);
      benchmark::DoNotOptimize(v);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(BM_JsonParse);

void BM_ParsePolicy(benchmark::State& state) {
  ParseOptions options;
  options.file_name = "policy.json";
  for (auto _ : state) {
    for (const std::string& p : Policies()) {
      auto policy = ParsePolicy(p, options);
      if (!policy.ok()) state.SkipWithError("parse failed");
      benchmark::DoNotOptimize(policy);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(BM_ParsePolicy);

void BM_ParseAndValidate(benchmark::State& state) {
  ParseOptions options;
  options.file_name = "policy.json";
  std::size_t findings = 0;
  for (auto _ : state) {
    for (const std::string& p : Policies()) {
      FileValidation v = ValidatePolicyText(p, options);
      findings += v.findings.size();
      benchmark::DoNotOptimize(v);
    }
  }
  state.counters["findings_per_pass"] =
      benchmark::Counter(static_cast<double>(findings) / state.iterations());
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(BM_ParseAndValidate);

}  // namespace
}  // namespace leastpriv
