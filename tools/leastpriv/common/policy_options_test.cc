// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/common/policy_options.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv::cli {
namespace {

const std::string kDir = "testdata/eval/";

TEST(PolicyOptionsTest, LoadsEveryKindAndKeepsTheRest) {
  std::vector<std::string> rest;
  auto o = ParsePolicyOptions({"--policy",
                               kDir + "app_policy.json",
                               "--requests",
                               "r.json",
                               "--boundary",
                               kDir + "boundary.json",
                               "--scp",
                               kDir + "scp_root.json",
                               "--scp",
                               kDir + "scp_root.json",
                               "--rcp",
                               kDir + "scp_root.json",
                               "--session-policy",
                               kDir + "boundary.json",
                               "--resource-policy",
                               "Users=" + kDir + "users_table_policy.json",
                               "--principal",
                               "arn:aws:iam::111122223333:role/app",
                               "--account",
                               "111122223333",
                               "--region",
                               "us-east-1",
                               "--format",
                               "text"},
                              &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->has_policies);
  ASSERT_EQ(o->policies.identity.size(), 1u);
  EXPECT_EQ(o->policies.identity[0].kind, PolicyKind::kIdentity);
  ASSERT_TRUE(o->policies.boundary.has_value());
  EXPECT_EQ(o->policies.boundary->kind, PolicyKind::kBoundary);
  ASSERT_TRUE(o->policies.session.has_value());
  EXPECT_EQ(o->policies.session->kind, PolicyKind::kSession);
  EXPECT_EQ(o->policies.scp_levels.size(), 2u);
  ASSERT_EQ(o->policies.rcp_levels.size(), 1u);
  EXPECT_EQ(o->policies.rcp_levels[0][0].kind, PolicyKind::kRcp);
  ASSERT_EQ(o->policies.resource.count("Users"), 1u);
  EXPECT_EQ(o->policies.resource["Users"][0].kind, PolicyKind::kResource);
  EXPECT_EQ(o->principal, "arn:aws:iam::111122223333:role/app");
  EXPECT_EQ(o->account, "111122223333");
  EXPECT_EQ(o->region, "us-east-1");
  EXPECT_EQ(rest, (std::vector<std::string>{"--requests", "r.json", "--format",
                                            "text"}));
}

// A role requests as itself: with the ARN the file gives it, path and all,
// unless --principal says otherwise.
TEST(PolicyOptionsTest, RolePrincipalIsItsArnFromTheFile) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/details.json";
  std::ofstream(path) << R"({"RoleDetailList": [
    {"RoleName": "orders", "Arn": "arn:aws:iam::111122223333:role/service/orders",
     "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
       "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}}]},
    {"RoleName": "legacy",
     "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
       "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}}]}
  ], "Policies": []})";
  std::vector<std::string> rest;
  auto o = ParsePolicyOptions(
      {"--authorization-details", path, "--role", "orders"}, &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->principal, "arn:aws:iam::111122223333:role/service/orders");
  o = ParsePolicyOptions({"--authorization-details", path, "--role", "orders",
                          "--account", "111122223333"},
                         &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->principal, "arn:aws:iam::111122223333:role/service/orders");
  o = ParsePolicyOptions(
      {"--authorization-details", path, "--role", "orders", "--principal",
       "arn:aws:iam::111122223333:role/other"},
      &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->principal, "arn:aws:iam::111122223333:role/other");
  // An entry without an Arn: the name in --account, or no principal.
  o = ParsePolicyOptions({"--authorization-details", path, "--role", "legacy",
                          "--account", "111122223333"},
                         &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->principal, "arn:aws:iam::111122223333:role/legacy");
  o = ParsePolicyOptions({"--authorization-details", path, "--role", "legacy"},
                         &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->principal, "");
}

TEST(PolicyOptionsTest, Errors) {
  std::vector<std::string> rest;
  EXPECT_EQ(ParsePolicyOptions({"--scp"}, &rest).status().message(),
            "--scp needs a value");
  EXPECT_EQ(ParsePolicyOptions({"--resource-policy", "Users"}, &rest)
                .status()
                .message(),
            "--resource-policy expects TABLE=FILE, got \"Users\"");
  EXPECT_EQ(ParsePolicyOptions({"--resource-policy", "=x.json"}, &rest)
                .status()
                .message(),
            "--resource-policy expects TABLE=FILE, got \"=x.json\"");
  EXPECT_EQ(ParsePolicyOptions({"--role", "app"}, &rest).status().message(),
            "--authorization-details and --role must be given together");
  EXPECT_EQ(ParsePolicyOptions({"--boundary", kDir + "boundary.json",
                                "--boundary", kDir + "boundary.json"},
                               &rest)
                .status()
                .message(),
            "--boundary given more than once");
  auto missing = ParsePolicyOptions({"--policy", kDir + "nope.json"}, &rest);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.json"), std::string::npos);
  rest.clear();
  auto none = ParsePolicyOptions({"--unknown", "x"}, &rest);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_policies);
  EXPECT_EQ(rest, (std::vector<std::string>{"--unknown", "x"}));
}

// --scp FILE[,FILE...]: each use is one organisation level, holding the
// policies of its files.
TEST(PolicyOptionsTest, ScpAndRcpLevelsOfSeveralFiles) {
  const std::string tmp = std::getenv("TEST_TMPDIR");
  std::ofstream(tmp + "/deny.json") << R"({"Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "dynamodb:DeleteTable",
                   "Resource": "*"}]})";
  const std::string root = kDir + "scp_root.json", deny = tmp + "/deny.json";
  std::vector<std::string> rest;
  auto o = ParsePolicyOptions({"--scp", root + "," + deny, "--scp", root,
                               "--rcp", deny + "," + root + "," + deny},
                              &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_EQ(o->policies.scp_levels.size(), 2u);
  EXPECT_EQ(o->policies.scp_levels[0].size(), 2u);
  EXPECT_EQ(o->policies.scp_levels[1].size(), 1u);
  ASSERT_EQ(o->policies.rcp_levels.size(), 1u);
  EXPECT_EQ(o->policies.rcp_levels[0].size(), 3u);
  EXPECT_EQ(o->policies.scp_levels[0][1].kind, PolicyKind::kScp);
  EXPECT_EQ(o->policies.rcp_levels[0][0].kind, PolicyKind::kRcp);
  EXPECT_TRUE(o->has_policies);

  EXPECT_EQ(
      ParsePolicyOptions({"--scp", root + ",,"}, &rest).status().message(),
      "--scp expects FILE[,FILE...], got \"" + root + ",,\"");
  EXPECT_EQ(ParsePolicyOptions({"--rcp", ","}, &rest).status().message(),
            "--rcp expects FILE[,FILE...], got \",\"");
  // A missing file of a level names that file.
  auto missing =
      ParsePolicyOptions({"--scp", root + "," + kDir + "nope.json"}, &rest);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message().rfind(kDir + "nope.json", 0), 0u)
      << missing.status();
  // An empty list-policies-for-target output, positioned.
  std::ofstream(tmp + "/ou.json") << "{\n  \"Policies\": []\n}\n";
  EXPECT_EQ(
      ParsePolicyOptions({"--scp", tmp + "/ou.json"}, &rest).status().message(),
      tmp +
          "/ou.json:2:15: lists no policies: an organisation level "
          "always has at least one service control policy attached");
}

TEST(PolicyOptionsTest, AllRolesOnlyWhereAccepted) {
  const std::string details =
      "testdata/policies/account_authorization_details.json";
  PolicyOptionsSyntax batch;
  batch.all_roles = true;
  std::vector<std::string> rest;
  auto o = ParsePolicyOptions({"--authorization-details", details,
                               "--all-roles", "--scp", kDir + "scp_root.json"},
                              &rest, batch);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->all_roles);
  EXPECT_TRUE(o->has_policies);
  EXPECT_EQ(o->authorization_details, details);
  EXPECT_TRUE(o->policies.identity.empty());  // the roles are not loaded
  EXPECT_EQ(o->policies.scp_levels.size(), 1u);
  EXPECT_TRUE(rest.empty());

  // Alone, the command finds the roles elsewhere.
  o = ParsePolicyOptions({"--all-roles"}, &rest, batch);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->all_roles);
  EXPECT_FALSE(o->has_policies);
  EXPECT_EQ(o->authorization_details, "");
  EXPECT_EQ(ParsePolicyOptions({"--authorization-details", details, "--role",
                                "orders-web", "--all-roles"},
                               &rest, batch)
                .status()
                .message(),
            "--all-roles and --role cannot be given together: --all-roles "
            "checks every role of the --authorization-details file");
  EXPECT_EQ(
      ParsePolicyOptions({"--authorization-details", details, "--all-roles",
                          "--principal", "arn:aws:iam::111122223333:role/x"},
                         &rest, batch)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);

  // A command that does not accept it leaves it to its own arguments.
  rest.clear();
  o = ParsePolicyOptions({"--policy", kDir + "app_policy.json", "--all-roles"},
                         &rest);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->all_roles);
  EXPECT_EQ(rest, (std::vector<std::string>{"--all-roles"}));
  EXPECT_EQ(ParsePolicyOptions(
                {"--authorization-details", details, "--all-roles"}, &rest)
                .status()
                .message(),
            "--authorization-details and --role must be given together");
}

}  // namespace
}  // namespace leastpriv::cli
