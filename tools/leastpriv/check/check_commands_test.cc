// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv check-access-not-granted` and
// `leastpriv check-no-public-access`.

#include "tools/leastpriv/check/check_commands.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kRole[] = "testdata/diff/check/role.json";
constexpr char kOrders[] =
    "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";
constexpr char kArchive[] =
    "arn:aws:dynamodb:eu-west-1:111122223333:table/orders-archive";

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun Access(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunCheckAccessNotGrantedCommand(args, out, err);
  return {code, out.str(), err.str()};
}

CommandRun Public(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunCheckNoPublicAccessCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(CheckAccessNotGrantedCommandTest, GrantedPairsFailWithWitnesses) {
  CommandRun r = Access({"--policy", kRole, "--action", "dynamodb:Delete*",
                         "--resource", kOrders, "--resource", kArchive});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("fail: 2 granted, 0 undecided\n"));
  EXPECT_THAT(r.out, HasSubstr("  granted    dynamodb:DeleteItem on " +
                               std::string(kOrders) + "\n"));
  EXPECT_THAT(r.out, HasSubstr("    by       " + std::string(kRole) +
                               ":4:5 identity statement \"Items\"\n"));
  // The TLS-only grant is conditional and its witness uses TLS.
  EXPECT_THAT(r.out, HasSubstr("    only if  aws:SecureTransport = true\n"));
  EXPECT_THAT(r.out, HasSubstr("aws:SecureTransport=true\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("DeleteItem on " + std::string(kArchive))));
}

TEST(CheckAccessNotGrantedCommandTest, PassAndContextFacts) {
  CommandRun r =
      Access({"--policy", kRole, "--action", "dynamodb:Scan", "--action",
              "dynamodb:ListTables", "--resource", kOrders});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "pass: 0 granted, 0 undecided\n");
  // Without TLS the archive cannot be deleted.
  r = Access({"--policy", kRole, "--action", "dynamodb:DeleteTable",
              "--resource", kArchive, "--context", "aws:SecureTransport=false",
              "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"pass\""));
  r = Access(
      {"--policy", kRole, "--action", "dynamodb:PutItem", "--format", "json"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"resource\": \"*\""));
  EXPECT_THAT(r.out, HasSubstr("\"sid\": \"Items\""));
}

TEST(CheckAccessNotGrantedCommandTest, SolverLimitIsExitThree) {
  CommandRun r = Access({"--policy", kRole, "--action", "dynamodb:DeleteTable",
                         "--resource", kArchive, "--rlimit", "1"});
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("unknown: 0 granted, 1 undecided"));
}

// Two free variables in one Resource entry leave the question undecided by
// default; --exact-variables decides it, with a witness whose tags make the
// entry name the table.
TEST(CheckAccessNotGrantedCommandTest, ExactVariablesDecideFreeVariables) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path =
      std::string(tmp != nullptr ? tmp : "/tmp") + "/two_variables.json";
  std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
    "Effect": "Allow", "Action": "dynamodb:GetItem",
    "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/${aws:PrincipalTag/team}-${aws:PrincipalTag/env}"}})";
  const std::vector<std::string> args = {
      "--policy", path, "--action", "dynamodb:GetItem", "--resource", kArchive};
  std::vector<std::string> approximate = args;
  approximate.push_back("--no-exact-variables");
  CommandRun first_pass = Access(approximate);
  EXPECT_EQ(first_pass.code, 3) << first_pass.out << first_pass.err;
  EXPECT_THAT(first_pass.out, HasSubstr("unknown: 0 granted, 1 undecided"));

  // Decided by default, and with --exact-variables.
  std::vector<std::string> exact = args;
  exact.push_back("--exact-variables");
  CommandRun r = Access(exact);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(Access(args).out, r.out);
  EXPECT_THAT(r.out, HasSubstr("fail: 1 granted, 0 undecided\n"));
  EXPECT_THAT(r.out, HasSubstr("aws:PrincipalTag/team="));

  // A table no pair of tags names stays not granted.
  exact[5] = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";
  r = Access(exact);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "pass: 0 granted, 0 undecided\n");
}

TEST(CheckAccessNotGrantedCommandTest, BadInput) {
  CommandRun r = Access({"--policy", kRole, "--action", "dynamodb:GetItems",
                         "--resource", kOrders});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      r.err,
      "leastpriv: error: action \"dynamodb:GetItems\" matches no DynamoDB "
      "action (did you mean \"dynamodb:GetItem\"?)\n");
  r = Access({"--policy", kRole, "--action", "dynamodb:GetItem", "--resource",
              "arn:aws:dynamodb:eu-west-1:111122223333:table/*"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("not a concrete ARN"));
  r = Access({"--policy", kRole});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no actions given"));
  r = Access({"--action", "dynamodb:GetItem"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no policies given"));
  r = Access(
      {"--policy", kRole, "--action", "dynamodb:GetItem", "--rlimit", "many"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: --rlimit expects a positive "
                               "integer, not \"many\"\n"));
  r = Access({"--policy", kRole, "--action", "dynamodb:GetItem", "--context",
              "aws:SecureTransport"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--context expects KEY=VALUE"));
  r = Access({"--policy", "testdata/diff/bad_input/malformed.json", "--action",
              "dynamodb:GetItem"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: testdata/diff/bad_input/"
                               "malformed.json:4:54: "));
}

TEST(CheckNoPublicAccessCommandTest, ReportsOpenStatements) {
  CommandRun r = Public({"testdata/diff/check/table_policy_public.json",
                         "testdata/diff/check/table_policy_pinned.json"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out,
            "testdata/diff/check/table_policy_public.json:11:5: public: "
            "statement \"AnyoneOverTls\" allows Principal AWS:*: no condition "
            "pins the caller's account, organization or VPC (Bool "
            "aws:SecureTransport)\n"
            "testdata/diff/check/table_policy_public.json:19:5: public: "
            "statement #2 allows Principal *: no condition pins the caller's "
            "account, organization or VPC (StringLike aws:PrincipalAccount)\n"
            "fail: 2 public statements in 2 policies\n");
}

TEST(CheckNoPublicAccessCommandTest, PinnedPolicyPasses) {
  CommandRun r = Public(
      {"--format", "json", "testdata/diff/check/table_policy_pinned.json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"pass\""));
  r = Public({"testdata/diff/check/table_policy_pinned.json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "pass: 0 public statements in 1 policy\n");
}

TEST(CheckNoPublicAccessCommandTest, BadInput) {
  CommandRun r = Public({"testdata/diff/bad_input/malformed.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: testdata/diff/bad_input/"
                               "malformed.json:4:54: "));
  r = Public({"testdata/diff/check/missing.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("missing.json: no such file"));
  r = Public({});
  EXPECT_EQ(r.code, 2);
  r = Public(
      {"--format", "xml", "testdata/diff/check/table_policy_pinned.json"});
  EXPECT_EQ(r.code, 2);
}

}  // namespace
}  // namespace leastpriv
