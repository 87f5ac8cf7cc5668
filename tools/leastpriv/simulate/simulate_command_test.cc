// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv simulate` through RunSimulateCommand, with
// golden outputs under testdata/eval/.

#include "tools/leastpriv/simulate/simulate_command.h"

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tools/leastpriv/common/command_test_util.h"

namespace leastpriv {
namespace {

constexpr char kDir[] = "testdata/eval/";

using cli::CommandRun;
using cli::ReadFile;

CommandRun Simulate(const std::vector<std::string>& args) {
  return cli::RunCommand(RunSimulateCommand, args);
}

std::vector<std::string> GoldenArgs() {
  const std::string d = kDir;
  return {"--policy",
          d + "app_policy.json",
          "--boundary",
          d + "boundary.json",
          "--scp",
          d + "scp_root.json",
          "--resource-policy",
          "Users=" + d + "users_table_policy.json",
          "--principal",
          "arn:aws:iam::111122223333:role/app",
          "--account",
          "111122223333",
          "--region",
          "us-east-1",
          "--requests",
          d + "requests.json"};
}

TEST(SimulateCommandTest, JsonGolden) {
  CommandRun r = Simulate(GoldenArgs());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, ReadFile(std::string(kDir) + "simulate_golden.json"));
}

TEST(SimulateCommandTest, TextGolden) {
  std::vector<std::string> args = GoldenArgs();
  args.push_back("--format");
  args.push_back("text");
  CommandRun r = Simulate(args);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(std::string(kDir) + "simulate_golden.txt"));
}

TEST(SimulateCommandTest, MalformedRequestFiles) {
  const std::string d = kDir;
  auto run = [&](const std::string& file) {
    return Simulate({"--policy", d + "app_policy.json", "--region", "us-east-1",
                     "--account", "111122223333", "--requests", d + file});
  };
  CommandRun r = run("bad_requests_missing_action.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "leastpriv: error: " + d +
                       "bad_requests_missing_action.json:3:3: request has no "
                       "\"action\"\n");
  EXPECT_EQ(r.out, "");
  r = run("bad_requests_context.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "leastpriv: error: " + d +
                       "bad_requests_context.json:3:44: context key "
                       "\"dynamodb:LeadingKeys\" must be a string, number, "
                       "Boolean or a list of them, not object\n");
  r = run("bad_requests_syntax.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      r.err.rfind("leastpriv: error: " + d + "bad_requests_syntax.json:2:", 0),
      0u)
      << r.err;
  r = run("missing.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: " + d + "missing.json: cannot open file\n");
}

TEST(SimulateCommandTest, TableNameNeedsRegionAndAccount) {
  const std::string d = kDir;
  CommandRun r = Simulate(
      {"--policy", d + "app_policy.json", "--requests", d + "requests.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "leastpriv: error: " + d +
                       "requests.json:4:49: table name \"Orders\" needs "
                       "--region and --account (or give the table ARN)\n");
}

TEST(SimulateCommandTest, UninterpretablePolicy) {
  const std::string d = kDir;
  CommandRun r = Simulate(
      {"--policy", d + "bad_policy.json", "--requests", d + "requests.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "leastpriv: error: " + d +
                       "bad_policy.json:2:34: unknown condition operator "
                       "\"StringEqualz\"\n");
}

// Writes `text` to a file of the test's temporary directory.
std::string TempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream f(path, std::ios::binary);
  f << text;
  return path;
}

std::vector<std::string> PolicyArgs(const std::string& requests) {
  std::vector<std::string> args = GoldenArgs();
  args.back() = requests;
  return args;
}

// The requests of requests.json as JSON lines, with a blank line and
// spaces between them, give the same results as the array.
TEST(SimulateCommandTest, JsonLinesGiveTheSameResults) {
  const std::string lines = TempFile(
      "requests.jsonl",
      "{\"action\": \"dynamodb:GetItem\", \"resource\": "
      "\"arn:aws:dynamodb:us-east-1:111122223333:table/Orders\"}\n"
      "{\"action\": \"dynamodb:Query\", \"resource\": "
      "\"arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByDate\"}"
      "\n\n  {\"action\": \"dynamodb:DeleteItem\", \"resource\": "
      "\"Orders\"}\n");
  const std::string array = TempFile(
      "requests3.json",
      "[{\"action\": \"dynamodb:GetItem\", \"resource\": "
      "\"arn:aws:dynamodb:us-east-1:111122223333:table/Orders\"},\n"
      "{\"action\": \"dynamodb:Query\", \"resource\": "
      "\"arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByDate\"},"
      "\n{\"action\": \"dynamodb:DeleteItem\", \"resource\": "
      "\"Orders\"}]");
  CommandRun a = Simulate(PolicyArgs(lines));
  CommandRun b = Simulate(PolicyArgs(array));
  EXPECT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  // The first three results of the golden (same requests, same order).
  const std::string golden =
      ReadFile(std::string(kDir) + "simulate_golden.json");
  EXPECT_NE(a.out.find("\"decision\": \"ExplicitlyDenied\""),
            std::string::npos);
  EXPECT_EQ(a.out.substr(0, 200), golden.substr(0, 200));
}

TEST(SimulateCommandTest, EmptyInputHasNoResults) {
  CommandRun r = Simulate(PolicyArgs(TempFile("empty.jsonl", "\n")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n  \"results\": []\n}\n");
  r = Simulate(PolicyArgs(TempFile("empty.json", "[ ]")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\n  \"results\": []\n}\n");
}

// Many requests of every kind the golden has, decided on 1, 2, 3 and 7
// threads: the output is the same bytes.
TEST(SimulateCommandTest, JobsDoNotChangeTheOutput) {
  const std::string one = ReadFile(std::string(kDir) + "requests.json");
  const std::string body =
      one.substr(one.find('{'), one.rfind('}') - one.find('{') + 1);
  std::string many = "[";
  for (int i = 0; i < 700; ++i) {
    many += (i ? ",\n" : "") + body;
  }
  many += "]";
  const std::string path = TempFile("many.json", many);
  for (const char* format : {"json", "text"}) {
    std::vector<std::string> args = PolicyArgs(path);
    args.push_back("--format");
    args.push_back(format);
    CommandRun base = Simulate(args);
    ASSERT_EQ(base.code, 0) << base.err;
    EXPECT_GT(base.out.size(), 1000000u);
    for (const char* jobs : {"2", "3", "7"}) {
      std::vector<std::string> with_jobs = args;
      with_jobs.push_back("--jobs");
      with_jobs.push_back(jobs);
      CommandRun r = Simulate(with_jobs);
      EXPECT_EQ(r.code, 0) << r.err;
      EXPECT_TRUE(r.out == base.out) << format << " --jobs " << jobs;
    }
  }
}

// With several threads, the error reported is the first in input order,
// wherever it is.
TEST(SimulateCommandTest, FirstErrorInInputOrderOnEveryThreadCount) {
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    if (i == 1500 || i == 2900) {
      lines += "{\"resource\": \"Orders\"}\n";
    } else if (i == 2000) {
      lines += "{\"action\": \"dynamodb:GetItem\" \"resource\": 1}\n";
    } else {
      lines +=
          "{\"action\": \"dynamodb:GetItem\", \"resource\": "
          "\"Orders\"}\n";
    }
  }
  const std::string path = TempFile("bad_late.jsonl", lines);
  for (const char* jobs : {"1", "2", "5"}) {
    std::vector<std::string> args = PolicyArgs(path);
    args.push_back("--jobs");
    args.push_back(jobs);
    CommandRun r = Simulate(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "leastpriv: error: " + path +
                         ":1501:1: request has no \"action\"\n")
        << "--jobs " << jobs;
    EXPECT_EQ(r.out, "");
  }
  // A syntax error the reader finds (a bracket never closed) after good
  // requests, at the end of the input.
  const std::string cut = TempFile(
      "cut.jsonl",
      "{\"action\": \"dynamodb:GetItem\", \"resource\": \"Orders\"}\n"
      "  {\"action\": \"dynamodb:GetItem\", \"resource\": [\"Orders\"}\n");
  for (const char* jobs : {"1", "3"}) {
    std::vector<std::string> args = PolicyArgs(cut);
    args.push_back("--jobs");
    args.push_back(jobs);
    CommandRun r = Simulate(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "leastpriv: error: " + cut +
                         ":3:1: unexpected end of input inside a value\n");
    EXPECT_EQ(r.out, "");
  }
}

TEST(SimulateCommandTest, UsageErrors) {
  const std::string policy = std::string(kDir) + "app_policy.json";
  // Arguments, and the start of the diagnostic.
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--policy"}, "--policy needs a value\nusage: "},
      {{"--policy", policy, "--bogus"}, "unknown option \"--bogus\"\n"},
      {{"--policy", policy}, "--requests is required\n"},
      {{"--requests", "x.json"}, "no policies given"},
      {{"--policy", policy, "--requests", "x.json", "--format", "yaml"},
       "--format must be json or text, not \"yaml\"\n"},
      {{"--policy", policy, "--requests", "x.json", "--jobs", "0"},
       "--jobs must be a number from 1 to 1024, not \"0\"\n"},
  };
  CommandRun r;
  for (const auto& [args, message] : cases) {
    r = Simulate(args);
    EXPECT_EQ(r.code, 2) << message;
    EXPECT_EQ(r.err.rfind("leastpriv: error: " + message, 0), 0u) << r.err;
  }
  r = Simulate({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--resource-policy TABLE=FILE"), std::string::npos);
}

}  // namespace
}  // namespace leastpriv
