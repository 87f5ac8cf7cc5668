// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv replay` throughput: one million generated CloudTrail records
// (S3 log files of 10,000 records, gzip-compressed as CloudTrail delivers
// them) against a generated 200-statement service policy, on one thread and
// on every core, with the peak resident memory of the process; and, when
// node and tools/oracle/node_modules are available, the external simulator
// @cloud-copilot/iam-simulate timed in the same run on an even sample of
// the same requests. Run with:
//   bazel run -c opt //bench:replay_benchmark
// LEASTPRIV_REPLAY_RECORDS overrides the record count (default 1,000,000);
// LEASTPRIV_ORACLE_SAMPLE the simulator's sample (default 2,000 requests).

#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/iam_simulate.h"
#include "bench/service_policies.h"
#include "benchmark/benchmark.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "leastpriv/replay.h"
#include "lib/analysis/wildcard_policies.h"
#include "lib/eval/oracle_fixture.h"
#include "lib/eval/request_universe.h"
#include "lib/json/json.h"
#include "tools/leastpriv/simulate/simulate_command.h"

namespace leastpriv {
namespace {

constexpr int kStatements = 200;
constexpr int kTables = kStatements / 4;
constexpr int kRecordsPerFile = 10000;

std::size_t EnvCount(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

// One record, in the documented format, with the fields a busy service's
// records carry.
std::string GenerateRecord(std::mt19937& rng, int n) {
  static const char* kEvents[] = {"GetItem",
                                  "GetItem",
                                  "Query",
                                  "Query",
                                  "PutItem",
                                  "UpdateItem",
                                  "DeleteItem",
                                  "Scan",
                                  "BatchGetItem",
                                  "BatchWriteItem",
                                  "TransactWriteItems",
                                  "ExecuteStatement",
                                  "DescribeTable"};
  const std::string event = kEvents[rng() % (sizeof kEvents / sizeof *kEvents)];
  const int table = static_cast<int>(rng() % kTables);
  const int other =
      (table + 1 + static_cast<int>(rng() % (kTables - 1))) % kTables;
  const std::string t = absl::StrCat("svc-", table);
  const std::string u = absl::StrCat("svc-", other);
  const int session = static_cast<int>(rng() % 8);
  std::string params;
  if (event == "Query") {
    params =
        absl::StrCat("{\"tableName\":\"", t, "\"",
                     rng() % 2 ? ",\"indexName\":\"by-owner\"" : "",
                     ",\"keyConditionExpression\":\"pk = :pk\",\"limit\":25}");
  } else if (event == "BatchGetItem" || event == "BatchWriteItem") {
    params =
        absl::StrCat("{\"requestItems\":{\"", t, "\":{\"keys\":[{\"pk\":\"k", n,
                     "\"}]},\"", u, "\":{\"keys\":[{\"pk\":\"j", n, "\"}]}}}");
  } else if (event == "TransactWriteItems") {
    params = absl::StrCat(
        "{\"requestItems\":[{\"operation\":\"Put\",\"tableName\":\"", t,
        "\",\"key\":{\"pk\":\"k", n,
        "\"}},{\"operation\":\"Update\",\"tableName\":\"", u,
        "\",\"key\":{\"pk\":\"j", n, "\"}}]}");
  } else if (event == "ExecuteStatement") {
    params = absl::StrCat("{\"statement\":\"SELECT * FROM \\\"", t,
                          "\\\" WHERE pk = 'k", n, "'\"}");
  } else {
    params = absl::StrCat("{\"tableName\":\"", t, "\",\"key\":{\"pk\":\"k", n,
                          "\",\"sk\":\"s\"},\"returnConsumedCapacity\":"
                          "\"TOTAL\"}");
  }
  const int second = n % 86400;
  char time[32];
  std::snprintf(time, sizeof time, "2024-05-%02dT%02d:%02d:%02dZ",
                1 + (n / 86400) % 28, second / 3600, (second / 60) % 60,
                second % 60);
  return absl::StrCat(
      "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\","
      "\"principalId\":\"AROAEXAMPLE:task-",
      session, "\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/svc/task-",
      session,
      "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE\","
      "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
      "\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:"
      "role/svc\",\"accountId\":\"111122223333\",\"userName\":\"svc\"},"
      "\"attributes\":{\"creationDate\":\"2024-05-01T00:00:00Z\","
      "\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"",
      time, "\",\"eventSource\":\"dynamodb.amazonaws.com\",\"eventName\":\"",
      event, "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"10.0.",
      rng() % 256, ".", rng() % 256,
      "\",\"userAgent\":\"Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux\","
      "\"requestParameters\":",
      params, ",\"responseElements\":null,\"requestID\":\"REQ", n,
      "\",\"eventID\":\"00000000-0000-4000-8000-", 100000000000 + n,
      "\",\"readOnly\":false,\"resources\":[{\"accountId\":\"111122223333\","
      "\"type\":\"AWS::DynamoDB::Table\",\"ARN\":\"arn:aws:dynamodb:eu-west-1:"
      "111122223333:table/",
      t,
      "\"}],\"eventType\":\"AwsApiCall\",\"apiVersion\":\"2012-08-10\","
      "\"managementEvent\":false,\"recipientAccountId\":\"111122223333\","
      "\"eventCategory\":\"Data\"",
      rng() % 10 ? ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
                   "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
                   "\"clientProvidedHostHeader\":\"dynamodb.eu-west-1."
                   "amazonaws.com\"}"
                 : "",
      "}");
}

struct Corpus {
  std::string dir;
  std::size_t records = 0;
  std::uint64_t bytes = 0;          // uncompressed
  std::vector<std::string> sample;  // records for the simulator's sample
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    c->records = EnvCount("LEASTPRIV_REPLAY_RECORDS", 1000000);
    const std::size_t sample = EnvCount("LEASTPRIV_ORACLE_SAMPLE", 2000);
    c->dir = (std::filesystem::temp_directory_path() /
              absl::StrCat("leastpriv_replay_bench_", c->records))
                 .string();
    std::filesystem::remove_all(c->dir);
    std::filesystem::create_directories(c->dir);
    std::mt19937 rng(18);
    const std::size_t every =
        sample > 0 ? std::max<std::size_t>(1, c->records / sample) : 0;
    for (std::size_t start = 0; start < c->records; start += kRecordsPerFile) {
      char name[64];
      std::snprintf(name, sizeof name, "/111122223333_CloudTrail_%06zu.json.gz",
                    start / kRecordsPerFile);
      gzFile gz = gzopen((c->dir + name).c_str(), "wb6");
      std::string text = "{\"Records\":[";
      for (std::size_t i = start;
           i < std::min(c->records, start + kRecordsPerFile); ++i) {
        std::string r = GenerateRecord(rng, static_cast<int>(i));
        if (every > 0 && i % every == 0 && c->sample.size() < sample) {
          c->sample.push_back(r);
        }
        if (i > start) text += ",\n";
        text += r;
      }
      text += "]}\n";
      c->bytes += text.size();
      gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
      gzclose(gz);
    }
    return c;
  }();
  return *corpus;
}

PolicyEvaluator MakeEvaluator() {
  PolicySet set;
  set.identity.push_back(bench::GenerateServicePolicy(kStatements, 18));
  absl::StatusOr<PolicyEvaluator> e = PolicyEvaluator::Create(set);
  if (!e.ok()) {
    std::fprintf(stderr, "replay_benchmark: %s\n",
                 std::string(e.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(e);
}

double PeakRssMb() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // kilobytes on Linux
}

// Replays the corpus; returns nanoseconds per request and sets counters.
double ReplayOnce(benchmark::State& state, int jobs, ReplayReport* report) {
  static const PolicyEvaluator evaluator = MakeEvaluator();
  const Corpus& c = GetCorpus();
  ReplayOptions options;
  options.jobs = jobs;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ReplayReport> r = Replay(evaluator, {c.dir}, options);
  const double ns = std::chrono::duration<double, std::nano>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  if (!r.ok()) {
    state.SkipWithError(std::string(r.status().message()).c_str());
    return 0;
  }
  *report = *std::move(r);
  state.counters["records"] = static_cast<double>(report->records);
  state.counters["requests"] = static_cast<double>(report->requests);
  state.counters["denied"] = static_cast<double>(report->denied);
  state.counters["denial_groups"] = static_cast<double>(report->denials.size());
  state.counters["records_per_s"] = report->records / (ns / 1e9);
  state.counters["ns_per_request"] = ns / report->requests;
  state.counters["peak_rss_mb"] = PeakRssMb();
  return ns / report->requests;
}

void BM_Replay(benchmark::State& state) {
  const int jobs = static_cast<int>(state.range(0));
  GetCorpus();  // generated outside the timing
  ReplayReport report;
  for (auto _ : state) ReplayOnce(state, jobs, &report);
  state.SetBytesProcessed(static_cast<int64_t>(GetCorpus().bytes) *
                          state.iterations());
}
BENCHMARK(BM_Replay)
    ->Arg(1)
    ->Arg(0)  // every core
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// iam-simulate's mean time per request on `requests` under `policies`, or
// 0 (with the reason as the label) when it cannot be run. Sets the
// iam_simulate_* counters.
double IamSimulateNsPerRequest(benchmark::State& state,
                               const PolicySet& policies,
                               const std::vector<Request>& requests) {
  absl::StatusOr<json::Value> set = eval::OracleSetJson(policies);
  if (!set.ok()) {
    state.SetLabel("iam-simulate not measured: " +
                   std::string(set.status().message()));
    return 0;
  }
  std::vector<json::Value> items;
  for (const Request& r : requests) {
    items.push_back(eval::OracleRequestJson(r));
  }
  state.counters["iam_simulate_sample_requests"] =
      static_cast<double>(items.size());
  std::vector<json::Value::Member> members = set->object();
  members.emplace_back("name", json::Value::String("replay"));
  members.emplace_back("requests", json::Value::Array(std::move(items)));
  const std::string doc = json::Serialize(
      json::Value::Object(
          {{"sets", json::Value::Array({json::Value::Object(members)})}}),
      -1);
  absl::StatusOr<json::Value> out =
      bench::RunOracleScript("bench_eval.mjs", doc);
  if (!out.ok()) {
    state.SetLabel("iam-simulate not measured: " +
                   std::string(out.status().message()));
    return 0;
  }
  const double theirs = bench::NumberMember(*out, "ns_per_request");
  state.counters["iam_simulate_ns_per_request"] = theirs;
  return theirs;
}

// Ours (one thread and every core) against iam-simulate on an even sample
// of the same requests, in one run.
void BM_CompareWithIamSimulate(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    ReplayReport report;
    const double ours_1 = ReplayOnce(state, 1, &report);
    const double ours_all = ReplayOnce(state, 0, &report);
    state.counters["leastpriv_ns_per_request_1_thread"] = ours_1;
    state.counters["leastpriv_ns_per_request_all_cores"] = ours_all;
    // The sample's requests, as the simulator takes them.
    static const PolicyEvaluator evaluator = MakeEvaluator();
    std::vector<Request> requests;
    for (const std::string& text : c.sample) {
      absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(text);
      if (!m.ok()) continue;
      for (const RecordedRequest& rr : m->requests) {
        requests.push_back(rr.request);
      }
    }
    const double theirs =
        IamSimulateNsPerRequest(state, evaluator.policies(), requests);
    if (theirs <= 0) continue;
    state.counters["speedup_1_thread"] = theirs / ours_1;
    state.counters["speedup_all_cores"] = theirs / ours_all;
  }
}
BENCHMARK(BM_CompareWithIamSimulate)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// `leastpriv simulate` end to end (RunSimulateCommand: the policy file
// parsed and indexed, the request file streamed, decisions written) on the
// generated wildcard-heavy 88-statement policy
// (lib/analysis/wildcard_policies.h, default options) and 24,099 requests
// evenly sampled from its covering request universe
// (lib/eval/request_universe.h), written as JSON lines, on one thread and
// on every core; iam-simulate on an even sample of the same requests
// (LEASTPRIV_ORACLE_SAMPLE, default 2,000) in the same run.
constexpr std::size_t kSimulateRequests = 24099;

void BM_SimulateCompareWithIamSimulate(benchmark::State& state) {
  const testing_policies::WildcardPolicyOptions generated;
  const std::string policy_text =
      testing_policies::WildcardPolicyJson(generated);
  ParseOptions parse;
  parse.file_name = "policy.json";
  absl::StatusOr<Policy> policy = ParsePolicy(policy_text, parse);
  if (!policy.ok()) {
    state.SkipWithError(std::string(policy.status().message()).c_str());
    return;
  }
  PolicySet set;
  set.identity.push_back(*std::move(policy));
  // One context per action and resource: 811,525 requests, of which an
  // even sample of 24,099 is the request file.
  eval::UniverseOptions covering;
  covering.max_contexts = 1;
  const std::vector<Request> universe = eval::EvenSample(
      eval::CoveringRequests({&set}, covering), kSimulateRequests);
  const std::string dir =
      (std::filesystem::temp_directory_path() / "leastpriv_simulate_bench")
          .string();
  std::filesystem::create_directories(dir);
  const std::string policy_file = dir + "/policy.json";
  const std::string requests_file = dir + "/requests.jsonl";
  {
    std::ofstream p(policy_file, std::ios::binary);
    p << policy_text;
    std::ofstream r(requests_file, std::ios::binary);
    for (const Request& req : universe) {
      r << json::Serialize(eval::OracleRequestJson(req), -1) << "\n";
    }
  }
  const int cores =
      std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  auto run = [&](int jobs) {
    std::ofstream sink("/dev/null", std::ios::binary);
    std::ostringstream err;
    const auto start = std::chrono::steady_clock::now();
    const int code =
        RunSimulateCommand({"--policy", policy_file, "--requests",
                            requests_file, "--jobs", std::to_string(jobs)},
                           sink, err);
    const double ns = std::chrono::duration<double, std::nano>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    if (code != 0) {
      state.SkipWithError(err.str().c_str());
      return 0.0;
    }
    return ns / static_cast<double>(universe.size());
  };
  for (auto _ : state) {
    const double ours_1 = run(1);
    const double ours_all = run(cores);
    state.counters["requests"] = static_cast<double>(universe.size());
    state.counters["statements"] = generated.statements;
    state.counters["leastpriv_ns_per_request_1_thread"] = ours_1;
    state.counters["leastpriv_ns_per_request_all_cores"] = ours_all;
    state.counters["peak_rss_mb"] = PeakRssMb();
    const double theirs = IamSimulateNsPerRequest(
        state, set,
        eval::EvenSample(universe, EnvCount("LEASTPRIV_ORACLE_SAMPLE", 2000)));
    if (theirs <= 0 || ours_1 <= 0) continue;
    state.counters["speedup_1_thread"] = theirs / ours_1;
    state.counters["speedup_all_cores"] = theirs / ours_all;
  }
}
BENCHMARK(BM_SimulateCompareWithIamSimulate)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace leastpriv
