// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The public API is safe to call from several threads at once on separate
// inputs: every thread's results equal the single-threaded ones. Run under
// ThreadSanitizer with `bazel test --config=tsan //tests:thread_safety_test`.

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"
#include "leastpriv/validate.h"

namespace leastpriv {
namespace {

constexpr int kThreads = 4;

// A distinct policy per input: table names and conditions vary with `i`.
std::string PolicyText(int i) {
  return absl::StrCat(R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow",
     "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGet*"],
     "Resource": ["arn:aws:dynamodb:*:*:table/T)",
                      i, R"(", "arn:aws:dynamodb:*:*:table/T)", i,
                      R"(/index/*"]},
    {"Sid": "Write", "Effect": "Allow", "Action": "dynamodb:PutItem",
     "Resource": "arn:aws:dynamodb:us-east-1:*:table/T)",
                      i, R"(*",
     "Condition": {"Bool": {"aws:SecureTransport": ")",
                      i % 2 ? "true" : "false", R"("}}},
    {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "t)",
                      i, R"("}}}
  ]
})");
}

std::string PythonSource(int i) {
  return absl::StrCat(
      "import os\nimport boto3\n\nTABLE = 'T", i, "'\n\n", "def get(key):\n",
      "    table = boto3.resource('dynamodb').Table(TABLE)\n",
      "    return table.get_item(Key={'pk': key})\n\n", "def put(item):\n",
      "    client = boto3.client('dynamodb')\n",
      "    client.put_item(TableName=os.environ.get('OUT', 'Out", i,
      "'), Item=item)\n", i % 2 ? "AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'\n" : "");
}

// Everything the API computes for input `i`, rendered as text.
std::string Work(int i) {
  std::string out;
  ParseOptions options;
  options.file_name = absl::StrCat("p", i, ".json");
  absl::StatusOr<Policy> policy = ParsePolicy(PolicyText(i), options);
  if (!policy.ok()) return std::string(policy.status().message());
  absl::StrAppend(&out, "statements ", policy->statements.size(), "\n");
  for (const Finding& f : ValidatePolicy(*policy)) {
    absl::StrAppend(&out, std::string(FindingCodeName(f.code)), " ",
                    FormatPos(f.pos), "\n");
  }

  PolicySet set;
  set.identity.push_back(*policy);
  Request r;
  r.principal = "arn:aws:iam::111122223333:role/app";
  r.action = "dynamodb:PutItem";
  r.resource =
      absl::StrCat("arn:aws:dynamodb:us-east-1:111122223333:table/T", i, "x");
  r.context["aws:SecureTransport"] = ContextValue{{"true"}, false};
  absl::StatusOr<Decision> d = Evaluate(set, r);
  if (!d.ok()) return std::string(d.status().message());
  absl::StrAppend(&out, "decision ", std::string(DecisionKindName(d->kind)),
                  "\n");

  AnalysisScope scope;
  scope.actions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"};
  absl::StatusOr<ReachReport> report = Reachable(set, scope);
  if (!report.ok()) return std::string(report.status().message());
  for (const ActionReach& a : report->actions) {
    absl::StrAppend(&out, a.action, " ", std::string(AnswerName(a.reachable)),
                    "\n");
    for (const ResourceSummary& s : a.resources) {
      for (const std::string& p : s.patterns)
        absl::StrAppend(&out, "  ", p, "\n");
    }
  }
  absl::StatusOr<AllowsResult> allows = Allows(
      set, "dynamodb:PutItem",
      absl::StrCat("arn:aws:dynamodb:us-east-1:111122223333:table/T", i));
  if (!allows.ok()) return std::string(allows.status().message());
  absl::StrAppend(&out, "allows ", std::string(AnswerName(allows->answer)), " ",
                  allows->only_if, "\n");

  ScanResult scan =
      ScanSource(absl::StrCat("app", i, "/views.py"), PythonSource(i));
  for (const Operation& op : scan.operations) {
    absl::StrAppend(&out, op.file, ":", op.line, " ", op.action, " ", op.table,
                    "\n");
  }
  for (const Finding& f : scan.findings) {
    absl::StrAppend(&out, f.pos.file, ":", f.pos.line, " ",
                    std::string(FindingId(f.code)), "\n");
  }
  absl::StatusOr<ScanResult> project = ScanProject("testdata/examples/shop");
  if (!project.ok()) return std::string(project.status().message());
  absl::StrAppend(&out, "project ", project->files_scanned, " files ",
                  project->operations.size(), " operations\n");
  return out;
}

TEST(ThreadSafetyTest, ConcurrentCallsGiveTheSingleThreadedResults) {
  constexpr int kInputs = 8;
  std::vector<std::string> expected;
  for (int i = 0; i < kInputs; ++i) {
    expected.push_back(Work(i));
    // The work is real: every step produced output.
    ASSERT_NE(expected.back().find("dynamodb:PutItem yes"), std::string::npos)
        << expected.back();
    ASSERT_NE(expected.back().find("project "), std::string::npos)
        << expected.back();
  }
  // Inputs differ, so equal results cannot come from one shared answer.
  ASSERT_NE(expected[0], expected[1]);

  std::vector<std::vector<std::string>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &got] {
      // Each thread runs every input, starting at a different one.
      for (int k = 0; k < kInputs; ++k) {
        got[t].push_back(Work((t + k) % kInputs));
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), static_cast<size_t>(kInputs));
    for (int k = 0; k < kInputs; ++k) {
      EXPECT_EQ(got[t][k], expected[(t + k) % kInputs]) << "thread " << t;
    }
  }
}

// The batch runner: roles checked on several threads at once, sharing one
// scan, give the reports of one thread, in the same order.
TEST(ThreadSafetyTest, CheckBatchOnThreadsEqualsOneThread) {
  ScanResult scan = ScanSource("app/views.py", PythonSource(0));
  ASSERT_FALSE(scan.operations.empty());
  const char* const kActions[] = {"dynamodb:GetItem", "dynamodb:*Item",
                                  "dynamodb:PutItem", "dynamodb:Get*"};
  std::vector<PolicySet> sets;
  for (const char* action : kActions) {
    ParseOptions options;
    options.file_name = absl::StrCat("p", sets.size(), ".json");
    absl::StatusOr<Policy> policy = ParsePolicy(
        absl::StrCat(R"({"Version": "2012-10-17", "Statement": [)",
                     R"({"Effect": "Allow", "Action": ")", action,
                     R"(", "Resource": "arn:aws:dynamodb:*:*:table/*"}]})"),
        options);
    ASSERT_TRUE(policy.ok()) << policy.status();
    sets.emplace_back();
    sets.back().identity.push_back(*policy);
  }
  std::vector<RoleCheckInput> roles;
  for (size_t i = 0; i < sets.size(); ++i) {
    CheckInput in;
    in.scan = &scan;
    in.policies = &sets[i];
    in.account = "111122223333";
    in.region = "us-east-1";
    in.principal = absl::StrCat("arn:aws:iam::111122223333:role/r", i);
    roles.push_back({absl::StrCat("r", i), in.principal, in});
  }
  std::vector<RoleCheckResult> one = RunCheckBatch(roles, 1);
  for (const RoleCheckResult& r : one) {
    ASSERT_TRUE(r.report.ok()) << r.role << ": " << r.report.status();
  }
  // The roles differ: GetItem alone misses the PutItem the code performs.
  EXPECT_EQ(one[0].report->missing.size(), 1u);
  EXPECT_TRUE(one[1].report->missing.empty());
  const std::string expected = RenderBatchJson(one, {});
  EXPECT_EQ(RenderBatchJson(RunCheckBatch(roles, kThreads), {}), expected);
}

}  // namespace
}  // namespace leastpriv
