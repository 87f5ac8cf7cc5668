// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv simulate` through RunSimulateCommand, with
// golden outputs under testdata/eval/.

#include "tools/leastpriv/simulate/simulate_command.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv {
namespace {

constexpr char kDir[] = "testdata/eval/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun Simulate(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunSimulateCommand(args, out, err);
  return {code, out.str(), err.str()};
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

TEST(SimulateCommandTest, UsageErrors) {
  CommandRun r = Simulate({"--policy"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: --policy needs a value\nusage: ", 0),
            0u);
  r = Simulate({"--policy", std::string(kDir) + "app_policy.json", "--bogus"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: unknown option \"--bogus\"\n", 0),
            0u);
  r = Simulate({"--policy", std::string(kDir) + "app_policy.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: --requests is required\n", 0), 0u);
  r = Simulate({"--requests", "x.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: no policies given", 0), 0u);
  r = Simulate({"--policy", std::string(kDir) + "app_policy.json", "--requests",
                "x.json", "--format", "yaml"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: --format must be json or text, not "
                        "\"yaml\"\n",
                        0),
            0u);
  r = Simulate({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--resource-policy TABLE=FILE"), std::string::npos);
}

}  // namespace
}  // namespace leastpriv
