// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The symbolic engine end to end: Reachable over every DynamoDB action, with
// witnesses (replayed through Evaluate) and resource summaries, on generated
// identity policies of 50, 200 and 1,000 statements with conditions (String,
// Bool, ForAllValues, Numeric, Date and IpAddress).
//
// BM_CompareWithIamSimulate also times @cloud-copilot/iam-simulate on the
// covering request universe of the same policy (every action × every
// candidate ARN the policy names, in an empty context; timed on an even
// sample of at most 1,500 requests and scaled), when node and
// tools/oracle/node_modules are available (run `npm ci` there; run the
// benchmark with `bazel run -c opt //bench:engine_benchmark`). iam-simulate
// decides one concrete request at a time, so its figure covers one context
// only, while Reachable covers every context.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "benchmark/benchmark.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

namespace leastpriv {
namespace {

std::string Quote(const std::string& s) { return absl::StrCat("\"", s, "\""); }

// A policy shaped like real application roles: per-table grants of a few
// actions, index grants, tenant, transport, MFA, time and network
// conditions, and some denies. Returns the policy document; `*tables` is the
// number of tables "app-N" it names.
std::string GeneratePolicyJson(int statements, unsigned seed, int* tables) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const auto& actions = DynamoDbActions();
  *tables = std::max(4, statements / 4);
  std::vector<std::string> out;
  for (int i = 0; i < statements; ++i) {
    const bool deny = pick(10) == 0;
    std::vector<std::string> acts;
    const int kinds = pick(4);
    for (int a = 0; a <= kinds; ++a) {
      if (pick(6) == 0) {
        const char* wild[] = {"dynamodb:Get*", "dynamodb:*Item", "dynamodb:Describe*",
                              "dynamodb:List*", "dynamodb:Batch*"};
        acts.push_back(Quote(wild[pick(5)]));
      } else {
        acts.push_back(
            Quote(actions[pick(static_cast<int>(actions.size()))].qualified_name()));
      }
    }
    const std::string table =
        "arn:aws:dynamodb:us-east-1:111122223333:table/app-" + std::to_string(pick(*tables));
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
        condition = absl::StrCat(R"({"StringEquals":{"aws:PrincipalTag/team":"team-)",
                                 pick(8), R"("}})");
        break;
      case 1:
        condition = absl::StrCat(R"({"Bool":{"aws:SecureTransport":")",
                                 deny ? "false" : "true", R"("}})");
        break;
      case 2:
        condition = absl::StrCat(
            R"({"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["tenant-)", pick(16),
            R"("]}})");
        break;
      case 3:
        condition = absl::StrCat(R"({"NumericLessThan":{"aws:MultiFactorAuthAge":")",
                                 600 * (1 + pick(6)), R"("}})");
        break;
      case 4:
        condition = absl::StrCat(R"({"DateLessThan":{"aws:CurrentTime":"20)", 26 + pick(6),
                                 R"(-01-01T00:00:00Z"}})");
        break;
      case 5:
        condition = absl::StrCat(R"({"IpAddress":{"aws:SourceIp":"10.)", pick(8),
                                 R"(.0.0/16"}})");
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
  return absl::StrCat(R"({"Version":"2012-10-17","Statement":[)", absl::StrJoin(out, ","),
                      "]}");
}

PolicySet ParseSet(const std::string& json) {
  ParseOptions options;
  options.file_name = "generated.json";
  auto p = ParsePolicy(json, options);
  PolicySet set;
  if (p.ok()) set.identity.push_back(std::move(*p));
  return set;
}

void BM_ReachableAllActions(benchmark::State& state) {
  int tables = 0;
  const PolicySet policies =
      ParseSet(GeneratePolicyJson(static_cast<int>(state.range(0)), 42, &tables));
  if (policies.identity.empty()) {
    state.SkipWithError("generated policy does not parse");
    return;
  }
  int yes = 0, unknown = 0;
  for (auto _ : state) {
    auto report = Reachable(policies);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      return;
    }
    yes = unknown = 0;
    for (const ActionReach& a : report->actions) {
      yes += a.reachable == Answer::kYes;
      unknown += a.reachable == Answer::kUnknown;
    }
    benchmark::DoNotOptimize(report);
  }
  state.counters["statements"] = static_cast<double>(state.range(0));
  state.counters["reachable_actions"] = yes;
  state.counters["unknown_actions"] = unknown;
}
BENCHMARK(BM_ReachableAllActions)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);

// Every action of the catalog on every candidate ARN of the generated
// tables (table, one index, one stream) that fits the action, or on "*".
std::vector<Request> CoveringRequests(int tables) {
  std::vector<Request> out;
  for (const ActionInfo& a : DynamoDbActions()) {
    std::vector<std::string> arns;
    if (a.wildcard_only()) {
      arns.push_back("*");
    } else {
      for (int t = 0; t < tables; ++t) {
        const std::string table =
            "arn:aws:dynamodb:us-east-1:111122223333:table/app-" + std::to_string(t);
        for (const std::string& arn :
             {table, table + "/index/by-date", table + "/stream/2024-01-01T00:00:00.000"}) {
          for (const ActionResource& r : a.resources) {
            if (r.resource_type == ClassifyDynamoDbArn(arn)) {
              arns.push_back(arn);
              break;
            }
          }
        }
      }
    }
    for (const std::string& arn : arns) {
      Request r;
      r.principal = "arn:aws:iam::111122223333:role/app";
      r.action = a.qualified_name();
      r.resource = arn;
      out.push_back(std::move(r));
    }
  }
  return out;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Writes the requests in the oracle fixture format and times iam-simulate
// on them with tools/oracle/bench_eval.mjs; ns per request, or negative
// (with `why`) when the simulator is not available.
double IamSimulateNsPerRequest(const std::string& policy_json,
                               const std::vector<Request>& requests, std::string* why) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const std::string root = ws != nullptr ? std::string(ws) + "/" : "";
  const std::string oracle = root + "tools/oracle";
  if (!IsDirectory(oracle + "/node_modules/@cloud-copilot/iam-simulate")) {
    *why = "tools/oracle/node_modules not installed (run npm ci there)";
    return -1;
  }
  std::vector<std::string> reqs;
  for (size_t i = 0; i < requests.size(); ++i) {
    const Request& r = requests[i];
    reqs.push_back(absl::StrCat(R"({"name":"r)", i, R"(","principal":")", r.principal,
                                R"(","action":")", r.action, R"(","resource":")",
                                r.resource, R"(","context":{},"expected":""})"));
  }
  const std::string doc = absl::StrCat(
      R"({"oracle":{},"seed":0,"sets":[{"name":"generated","identity":[)",
      R"({"name":"generated","policy":)", policy_json,
      R"(}],"boundary":null,"scp":[],"rcp":[],"resource":null,"requests":[)",
      absl::StrJoin(reqs, ","), "]}]}");
  const char* tmp = std::getenv("TMPDIR");
  std::string path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/engine_bench_XXXXXX");
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    *why = "cannot create a temporary file";
    return -1;
  }
  close(fd);
  std::ofstream(path) << doc;
  const std::string command =
      "node '" + oracle + "/bench_eval.mjs' '" + path + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *why = "cannot start node";
    std::remove(path.c_str());
    return -1;
  }
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  std::remove(path.c_str());
  const std::string key = "\"ns_per_request\":";
  const size_t at = output.find(key);
  if (status != 0 || at == std::string::npos) {
    *why = "node failed: " + output;
    return -1;
  }
  return std::strtod(output.c_str() + at + key.size(), nullptr);
}

// One run: Reachable on the policy, Evaluate and iam-simulate on the
// covering universe, and the ratio of iam-simulate's total to Reachable.
void BM_CompareWithIamSimulate(benchmark::State& state) {
  int tables = 0;
  const std::string json = GeneratePolicyJson(static_cast<int>(state.range(0)), 42, &tables);
  const PolicySet policies = ParseSet(json);
  const std::vector<Request> universe = CoveringRequests(tables);
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto report = Reachable(policies);
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
    const size_t stride = (universe.size() + kSample - 1) / kSample;
    std::vector<Request> sample;
    for (size_t i = 0; i < universe.size(); i += stride) sample.push_back(universe[i]);
    state.counters["iam_simulate_sampled"] = static_cast<double>(sample.size());
    std::string why;
    const double ns = IamSimulateNsPerRequest(json, sample, &why);
    if (ns < 0) {
      state.SetLabel("iam-simulate not measured: " + why);
      continue;
    }
    const double theirs_ms = ns * static_cast<double>(universe.size()) / 1e6;
    state.counters["iam_simulate_ms"] = theirs_ms;
    state.counters["iam_simulate_over_reachable"] = theirs_ms / reach_ms;
  }
}
BENCHMARK(BM_CompareWithIamSimulate)
    ->Arg(50)
    ->Arg(1000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
