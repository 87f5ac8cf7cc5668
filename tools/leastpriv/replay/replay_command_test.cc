// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv replay` through RunReplayCommand, with
// golden outputs under testdata/cloudtrail/replay/ (regenerate with
// tools/update_replay_goldens.sh and review the difference).

#include "tools/leastpriv/replay/replay_command.h"

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/leastpriv/common/command_test_util.h"

namespace leastpriv {
namespace {

constexpr char kDir[] = "testdata/cloudtrail/replay/";

using cli::CommandRun;
using cli::ReadFile;

CommandRun Replay(const std::vector<std::string>& args) {
  return cli::RunCommand(RunReplayCommand, args);
}

std::vector<std::string> GoldenArgs(const std::string& format) {
  const std::string d = kDir;
  return {"--policy", d + "role.json", "--cloudtrail", d + "logs",
          "--format", format,          "--jobs",       "2"};
}

TEST(ReplayCommandTest, Goldens) {
  for (const auto& [format, file] :
       std::vector<std::pair<std::string, std::string>>{
           {"text", "expected.txt"},
           {"json", "expected.json"},
           {"sarif", "expected.sarif"},
           {"markdown", "expected.md"}}) {
    CommandRun r = Replay(GoldenArgs(format));
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, ReadFile(std::string(kDir) + file)) << format;
  }
}

TEST(ReplayCommandTest, OnlyThePrincipalsRequests) {
  const std::string d = kDir;
  CommandRun r = Replay({"--policy", d + "role.json", "--principal",
                         "arn:aws:iam::111122223333:role/other", "--cloudtrail",
                         d + "logs"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "OK: none of 0 recorded requests would be denied (8 records, 7 "
            "DynamoDB, 1 not mapped, 7 requests of other principals "
            "skipped)");
  r = Replay({"--policy", d + "role.json", "--principal",
              "arn:aws:iam::111122223333:role/service/app", "--cloudtrail",
              d + "logs"});
  EXPECT_EQ(r.code, 1) << r.err;
}

TEST(ReplayCommandTest, Errors) {
  const std::string d = kDir;
  CommandRun r = Replay({"--policy", d + "role.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: --cloudtrail is required\n", 0), 0u);
  r = Replay({"--cloudtrail", d + "logs"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: no policies given", 0), 0u);
  r = Replay(
      {"--policy", d + "role.json", "--cloudtrail", d + "logs", "--jobs", "0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: --jobs must be a number from 1 to "
                        "1024, not \"0\"\n",
                        0),
            0u);
  r = Replay({"--policy", d + "role.json", "--cloudtrail", d + "none"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: " + d + "none: no such file or directory\n");
  r = Replay(
      {"--policy", d + "role.json", "--cloudtrail", d + "malformed.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: " + d +
                "malformed.json:4:29: unexpected '\"', expected ',' or '}' "
                "after object member\n");
  r = Replay({"--policy", d + "role.json", "--cloudtrail", d + "logs",
              "--format", "yaml"});
  EXPECT_EQ(r.code, 2);
  r = Replay({"--policy", d + "role.json", "--cloudtrail", d + "logs",
              "--partition-key", "Orders"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("leastpriv: error: --partition-key expects "
                        "TABLE=ATTRIBUTE, not \"Orders\"\n",
                        0),
            0u);
  r = Replay({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--cloudtrail"), std::string::npos);
}

// The tenant policy of testdata/examples/tenants: a GetItem whose key has
// two attributes is not fully mapped until --partition-key names the
// partition key; then the other tenant's item is denied.
TEST(ReplayCommandTest, PartitionKeyOption) {
  const std::vector<std::string> args = {
      "--policy",     "testdata/examples/tenants/role.json",
      "--cloudtrail", "testdata/cloudtrail/tenants/records.jsonl",
      "--format",     "json"};
  CommandRun r = Replay(args);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("not fully mapped: dynamodb:LeadingKeys"),
            std::string::npos);
  EXPECT_EQ(r.out.find("\"action\": \"dynamodb:GetItem\""), std::string::npos);
  std::vector<std::string> keyed = args;
  keyed.push_back("--partition-key");
  keyed.push_back("tenant-notes=tenant");
  r = Replay(keyed);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out.find("not fully mapped"), std::string::npos);
  EXPECT_NE(r.out.find("\"action\": \"dynamodb:GetItem\""), std::string::npos);
}

// testdata/examples/replay/: the least-privilege policy `check` suggests
// from the code would deny the nightly BatchWriteItem that the scan missed
// and a week of CloudTrail records shows.
TEST(ReplayCommandTest, ExampleSuggestionDeniesALoggedCall) {
  const std::string d = "testdata/examples/replay/";
  CommandRun r = Replay({"--policy", d + "suggested_policy.json",
                         "--cloudtrail", d + "cloudtrail", "--principal",
                         "arn:aws:iam::111122223333:role/invoices-app"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out, ReadFile(d + "replay.txt"));
}

}  // namespace
}  // namespace leastpriv
