// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Replay over the logs of testdata/cloudtrail/replay/: groups, causes,
// unmapped records, the same report on one and on several threads, gzip
// input, and positioned errors for malformed records.

#include "leastpriv/replay.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leastpriv/policy.h"

namespace leastpriv {
namespace {

constexpr char kDir[] = "testdata/cloudtrail/replay/";

// The evaluator of one identity policy file.
PolicyEvaluator EvaluatorOf(const std::string& file) {
  ParseOptions options;
  options.file_name = file;
  absl::StatusOr<Policy> p = LoadPolicyFile(options.file_name, options);
  EXPECT_TRUE(p.ok()) << p.status();
  PolicySet set;
  set.identity.push_back(*p);
  absl::StatusOr<PolicyEvaluator> e = PolicyEvaluator::Create(set);
  EXPECT_TRUE(e.ok()) << e.status();
  return *std::move(e);
}

PolicyEvaluator RoleEvaluator() {
  return EvaluatorOf(std::string(kDir) + "role.json");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(ReplayTest, GroupsDenialsWithTheirCauses) {
  const PolicyEvaluator e = RoleEvaluator();
  absl::StatusOr<ReplayReport> r =
      Replay(e, {std::string(kDir) + "logs"}, ReplayOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->inputs.size(), 2u);
  EXPECT_EQ(r->records, 8u);
  EXPECT_EQ(r->dynamodb_records, 7u);
  EXPECT_EQ(r->unmapped_records, 1u);
  EXPECT_EQ(r->requests, 7u);
  EXPECT_EQ(r->denied, 4u);
  EXPECT_EQ(r->allowed, 3u);
  EXPECT_EQ(ReplayExitStatus(*r), 1);
  ASSERT_EQ(r->denials.size(), 3u);
  const DenialGroup& carts = r->denials[0];
  EXPECT_EQ(carts.action, "dynamodb:DeleteItem");
  EXPECT_EQ(carts.resource,
            "arn:aws:dynamodb:eu-west-1:111122223333:table/Carts");
  EXPECT_EQ(carts.principal, "arn:aws:iam::111122223333:role/service/app");
  ASSERT_EQ(carts.causes.size(), 1u);
  EXPECT_EQ(carts.causes[0].kind, DecisionKind::kExplicitlyDenied);
  ASSERT_EQ(carts.causes[0].statements.size(), 1u);
  EXPECT_EQ(carts.causes[0].statements[0].sid, "NoDeletes");
  const DenialGroup& scan = r->denials[2];
  EXPECT_EQ(scan.action, "dynamodb:Scan");
  EXPECT_EQ(scan.count, 2u);
  EXPECT_EQ(scan.first_time, "2024-05-06T11:00:00Z");
  EXPECT_EQ(scan.last_time, "2024-05-07T09:30:00Z");
  EXPECT_EQ(scan.first_record.line, 50);
  EXPECT_EQ(scan.causes[0].reason,
            "no identity or resource-based policy allows");
  ASSERT_EQ(r->unmapped.size(), 1u);
  EXPECT_EQ(r->unmapped[0].event_name, "GetRecords");
  EXPECT_EQ(r->operations.size(), 6u);
}

TEST(ReplayTest, SameReportOnEveryThreadCount) {
  const PolicyEvaluator e = RoleEvaluator();
  // Enough records for many batches: the two files many times over.
  std::vector<std::string> inputs;
  for (int i = 0; i < 300; ++i) inputs.push_back(std::string(kDir) + "logs");
  ReplayOptions one;
  one.jobs = 1;
  absl::StatusOr<ReplayReport> a = Replay(e, inputs, one);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->records, 2400u);
  for (int jobs : {2, 4, 7}) {
    ReplayOptions many;
    many.jobs = jobs;
    absl::StatusOr<ReplayReport> b = Replay(e, inputs, many);
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(RenderReplayJson(*a), RenderReplayJson(*b)) << jobs;
    EXPECT_EQ(RenderReplayText(*a), RenderReplayText(*b)) << jobs;
  }
}

TEST(ReplayTest, GzipInputAndFirstMalformedRecord) {
  const std::string dir = ::testing::TempDir() + "/replay_gz";
  std::filesystem::create_directories(dir);
  const std::string text =
      ReadFile(std::string(kDir) +
               "logs/2024/05/06/"
               "111122223333_CloudTrail_eu-west-1_20240506T1000Z_a.json");
  gzFile gz = gzopen((dir + "/a.json.gz").c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  const PolicyEvaluator e = RoleEvaluator();
  absl::StatusOr<ReplayReport> r = Replay(e, {dir}, ReplayOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->records, 5u);
  EXPECT_EQ(r->denied, 2u);

  // Malformed records: the first in input order is reported, at its place
  // in the file, whatever the thread count.
  std::string lines;
  for (int i = 0; i < 3000; ++i) lines += "{\"eventSource\": \"x\"}\n";
  lines += "{\"eventSource\": \"x\", \"n\": tru}\n";
  for (int i = 0; i < 3000; ++i) lines += "{\"eventSource\": \"x\"}\n";
  lines += "{\"eventSource\": 1e999999, \"x\": [}\n";
  WriteFile(dir + "/bad.jsonl", lines);
  for (int jobs : {1, 3}) {
    ReplayOptions options;
    options.jobs = jobs;
    r = Replay(e, {dir + "/bad.jsonl"}, options);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(),
              dir + "/bad.jsonl:3001:27: unexpected 't', expected a JSON value")
        << r.status();
  }
  EXPECT_EQ(Replay(e, {dir + "/none"}, ReplayOptions()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ReplayTest, Renderers) {
  const PolicyEvaluator e = RoleEvaluator();
  absl::StatusOr<ReplayReport> r =
      Replay(e, {std::string(kDir) + "logs"}, ReplayOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string text = RenderReplayText(*r);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "FAIL: 4 of 7 recorded requests would be denied, in 3 groups "
            "(8 records, 7 DynamoDB, 1 not mapped)");
  EXPECT_NE(RenderReplaySarif(*r).find("\"ruleId\": \"denied-request\""),
            std::string::npos);
  EXPECT_NE(RenderReplayMarkdown(*r).find("| `dynamodb:Scan` |"),
            std::string::npos);
  ReplayReport empty;
  EXPECT_EQ(RenderReplayText(empty),
            "OK: none of 0 recorded requests would be denied (0 records, 0 "
            "DynamoDB, 0 not mapped)\n");
  EXPECT_EQ(ReplayExitStatus(empty), 0);
}

// The tenant policy of testdata/examples/tenants under the records of
// testdata/cloudtrail/tenants: dynamodb:LeadingKeys from the records' keys
// and key conditions, the session tag from the AssumeRole record.
PolicyEvaluator TenantEvaluator() {
  return EvaluatorOf("testdata/examples/tenants/role.json");
}

TEST(ReplayTest, LeadingKeysTenantPolicy) {
  const PolicyEvaluator e = TenantEvaluator();
  const std::string records = "testdata/cloudtrail/tenants/records.jsonl";
  absl::StatusOr<ReplayReport> r = Replay(e, {records}, ReplayOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->records, 7u);
  EXPECT_EQ(r->dynamodb_records, 6u);
  // Both GetItems: two-attribute keys, partition key not known.
  EXPECT_EQ(r->unmapped_records, 2u);
  ASSERT_EQ(r->unmapped.size(), 1u);
  EXPECT_EQ(r->unmapped[0].event_name, "GetItem");
  EXPECT_EQ(r->unmapped[0].count, 2u);
  EXPECT_EQ(r->unmapped[0].reason,
            "not fully mapped: dynamodb:LeadingKeys: the partition key of "
            "\"tenant-notes\" is not known (the key has tenant, note; give it "
            "with --partition-key tenant-notes=NAME)");
  EXPECT_EQ(r->unmapped[0].first_record.line, 2);
  // Query acme allowed, Query globex denied, Scan allowed, PutItem globex
  // denied.
  EXPECT_EQ(r->requests, 4u);
  EXPECT_EQ(r->allowed, 2u);
  EXPECT_EQ(r->denied, 2u);
  ASSERT_EQ(r->denials.size(), 2u);
  EXPECT_EQ(r->denials[0].action, "dynamodb:PutItem");
  EXPECT_EQ(r->denials[1].action, "dynamodb:Query");
  EXPECT_EQ(r->denials[1].first_time, "2024-05-06T10:04:00Z");
  for (const DenialGroup& g : r->denials) {
    EXPECT_EQ(g.resource,
              "arn:aws:dynamodb:eu-west-1:111122223333:table/tenant-events");
    EXPECT_EQ(g.principal, "arn:aws:iam::111122223333:role/notes-app");
    ASSERT_EQ(g.causes.size(), 1u);
    EXPECT_EQ(g.causes[0].kind, DecisionKind::kImplicitlyDenied);
  }

  // With the partition key of tenant-notes, the GetItems are decided: the
  // acme one allowed, the globex one denied.
  ReplayOptions keyed;
  keyed.partition_keys["tenant-notes"] = "tenant";
  keyed.jobs = 2;
  r = Replay(e, {records}, keyed);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->unmapped_records, 0u);
  EXPECT_EQ(r->requests, 6u);
  EXPECT_EQ(r->allowed, 3u);
  EXPECT_EQ(r->denied, 3u);
  ASSERT_EQ(r->denials.size(), 3u);
  EXPECT_EQ(r->denials[0].action, "dynamodb:GetItem");
  EXPECT_EQ(r->denials[0].count, 1u);
  EXPECT_EQ(r->denials[0].first_time, "2024-05-06T10:02:00Z");
}

// A key the record does not tell matters only to policies that read it.
TEST(ReplayTest, UnknownKeysDoNotMatterToPoliciesThatDoNotReadThem) {
  ParseOptions options;
  options.file_name = "allow.json";
  absl::StatusOr<Policy> p = ParsePolicy(R"({"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "dynamodb:*",
                   "Resource": "*"}]})",
                                         options);
  ASSERT_TRUE(p.ok()) << p.status();
  PolicySet set;
  set.identity.push_back(*p);
  absl::StatusOr<PolicyEvaluator> e = PolicyEvaluator::Create(set);
  ASSERT_TRUE(e.ok());
  absl::StatusOr<ReplayReport> r = Replay(
      *e, {"testdata/cloudtrail/tenants/records.jsonl"}, ReplayOptions());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->unmapped_records, 0u);
  EXPECT_EQ(r->requests, 6u);
  EXPECT_EQ(r->denied, 0u);
}

}  // namespace
}  // namespace leastpriv
