// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of policy-diff through RunPolicyDiffCommand: the golden
// outputs listed in testdata/diff/cases.txt, and unusable input.

#include "tools/policy_diff/diff_command.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun Diff(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunPolicyDiffCommand(args, out, err);
  return {code, out.str(), err.str()};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct GoldenCase {
  std::string name;
  int code = 0;
  std::string golden;
  std::vector<std::string> args;
};

std::vector<GoldenCase> ReadCases() {
  std::vector<GoldenCase> cases;
  std::istringstream in(ReadFile("testdata/diff/cases.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> words =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (words.size() < 3) continue;
    GoldenCase c;
    c.name = words[0];
    c.code = std::stoi(words[1]);
    c.golden = "testdata/diff/" + words[2];
    c.args.assign(words.begin() + 3, words.end());
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(PolicyDiffGoldenTest, EveryCaseMatchesItsGolden) {
  const std::vector<GoldenCase> cases = ReadCases();
  ASSERT_GE(cases.size(), 15u);
  int new_access = 0, no_new_access = 0, unknown = 0;
  for (const GoldenCase& c : cases) {
    SCOPED_TRACE(c.name);
    CommandRun r = Diff(c.args);
    EXPECT_EQ(r.code, c.code) << r.err;
    EXPECT_EQ(r.err, "");
    const std::string golden = ReadFile(c.golden);
    ASSERT_FALSE(golden.empty()) << c.golden;
    EXPECT_EQ(r.out, golden) << "regenerate with testdata/diff/regenerate.sh "
                                "if the change is intended";
    (c.code == 1 ? new_access : c.code == 0 ? no_new_access : unknown)++;
  }
  EXPECT_GT(new_access, 5);
  EXPECT_GT(no_new_access, 2);
  EXPECT_GE(unknown, 1);
}

// Properties of the goldens that a regeneration must not lose.
TEST(PolicyDiffGoldenTest, WitnessesShowTheChange) {
  // The removed condition: the witness has no aws:SecureTransport = true.
  CommandRun r = Diff({"testdata/diff/condition/old.json",
                       "testdata/diff/condition/new.json", "--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"context\": {}"));
  // The removed SCP deny is named on the old side.
  r = Diff({"--old-dir", "testdata/diff/scp_change/old", "--new-dir",
            "testdata/diff/scp_change/new"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("dynamodb:UpdateTable"));
  EXPECT_THAT(r.out, HasSubstr("old side     denied by testdata/diff/"
                               "scp_change/old/scp_workloads.json:5:5 scp "
                               "statement \"ProtectTables\""));
  EXPECT_THAT(r.out, Not(HasSubstr("dynamodb:DeleteTable")));
  // ReadOnly -> FullAccess grants writes, not reads already granted.
  r = Diff({"testdata/diff/managed/old.json", "testdata/diff/managed/new.json",
            "--action", "dynamodb:PutItem", "--action", "dynamodb:GetItem",
            "--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"action\": \"dynamodb:PutItem\""));
  EXPECT_THAT(r.out, Not(HasSubstr("\"action\": \"dynamodb:GetItem\"")));
}

// A NotAction widening grants 48 actions through one statement: text
// names the statement once and lists the actions once per risk.
TEST(PolicyDiffGoldenTest, ChangesAreGroupedByStatementAndRisk) {
  CommandRun r = Diff({"testdata/diff/not_action_widened/old.json",
                       "testdata/diff/not_action_widened/new.json"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_LT(std::count(r.out.begin(), r.out.end(), '\n'), 12) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"NotWrites\": 48 actions\n"));
  size_t named = 0;
  for (size_t at = r.out.find("granted by"); at != std::string::npos;
       at = r.out.find("granted by", at + 1)) {
    ++named;
  }
  EXPECT_EQ(named, 1u);
  EXPECT_THAT(r.out, HasSubstr("\n    destructive    DeleteGlobalTableWitness, "
                               "DeleteResourcePolicy, DeleteTable,"));
}

TEST(PolicyDiffTest, SharedOptionsApplyToBothSides) {
  // An SCP that denies every write hides the widened PutItem, not GetItem.
  CommandRun r =
      Diff({"testdata/diff/widen/old.json", "testdata/diff/widen/new.json",
            "--scp", "testdata/diff/check/scp_no_writes.json"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("dynamodb:GetItem"));
  EXPECT_THAT(r.out, Not(HasSubstr("dynamodb:PutItem")));
}

// A level of the manifest holds the files attached at it: here
// FullAWSAccess and a deny list given as describe-policy output, which
// hides the widened PutItem as the one-document SCP above does.
TEST(PolicyDiffTest, ManifestLevelOfSeveralDocuments) {
  const std::string tmp = std::getenv("TEST_TMPDIR");
  for (const char* side : {"old", "new"}) {
    const std::string dir = tmp + "/levels_" + side;
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/role.json")
        << ReadFile(std::string("testdata/diff/widen/") + side + ".json");
    std::ofstream(dir + "/full.json") << R"({"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})";
    std::ofstream(dir + "/p-nowrites.json") << R"({"Policy": {
      "PolicySummary": {"Id": "p-nowrites", "Type": "SERVICE_CONTROL_POLICY"},
      "Content": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"dynamodb:PutItem\", \"Resource\": \"*\"}]}"}})";
    std::ofstream(dir + "/policies.json") << R"({"identity": ["role.json"],
               "scps": [["full.json", "p-nowrites.json"]]})";
  }
  CommandRun r = Diff({"--old-dir", tmp + "/levels_old", "--new-dir",
                       tmp + "/levels_new", "--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"action\": \"dynamodb:GetItem\""));
  EXPECT_THAT(r.out, Not(HasSubstr("\"action\": \"dynamodb:PutItem\"")));
  // The deny list as a level of its own allows nothing: no new access.
  std::ofstream(tmp + "/levels_new/policies.json")
      << R"({"identity": ["role.json"],
             "scps": ["full.json", "p-nowrites.json"]})";
  std::ofstream(tmp + "/levels_old/policies.json")
      << R"({"identity": ["role.json"],
             "scps": ["full.json", "p-nowrites.json"]})";
  r = Diff(
      {"--old-dir", tmp + "/levels_old", "--new-dir", tmp + "/levels_new"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  // An empty list-policies-for-target output in a level, positioned.
  std::ofstream(tmp + "/levels_new/ou.json") << "{\"Policies\": []}";
  std::ofstream(tmp + "/levels_new/policies.json")
      << R"({"identity": ["role.json"], "scps": [["ou.json"]]})";
  r = Diff(
      {"--old-dir", tmp + "/levels_old", "--new-dir", tmp + "/levels_new"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "policy-diff: error: " + tmp +
                       "/levels_new/ou.json:1:14: lists no policies: an "
                       "organisation level always has at least one service "
                       "control policy attached\n");
}

// As for reach: in the one model of every action, ${aws:username} compared
// with a tag in the ListTables statement left it approximate for the
// actions the new Resource entry with it grants; each action's own
// statements decide DeleteTable's new access exactly.
TEST(PolicyDiffTest, ExactVariablesAreExactPerAction) {
  const std::string tmp = std::getenv("TEST_TMPDIR");
  const std::string common = R"(
    {"Effect": "Allow", "Action": "dynamodb:*",
     "Resource": "arn:aws:dynamodb:*:111122223333:table/events*",
     "Condition": {"StringLike": {"aws:PrincipalTag/team": "data-*"}}},
    {"Effect": "Allow", "Action": ["dynamodb:Get*", "dynamodb:List*"],
     "Resource": [
       "arn:aws:dynamodb:us-east-1:444455556666:table/order*/stream/*",
       "arn:aws:dynamodb:us-*:11112222333?:table/*ons-eu/*"]},
    {"Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*",
     "Condition": {"StringEquals":
       {"aws:PrincipalTag/team": "${aws:username}"}}})";
  std::ofstream(tmp + "/username_old.json")
      << R"({"Version": "2012-10-17", "Statement": [)" << common << "]}";
  std::ofstream(tmp + "/username_new.json")
      << R"({"Version": "2012-10-17", "Statement": [)" << common << R"(,
    {"Effect": "Allow", "Action": "dynamodb:*",
     "Resource": "arn:aws:dynamodb:us-*:*:table/${aws:username}-*"}]})";
  CommandRun r = Diff({tmp + "/username_old.json", tmp + "/username_new.json",
                       "--exact-variables", "--format", "json"});
  ASSERT_EQ(r.code, 1) << r.out << r.err;
  auto doc = json::Parse(r.out);
  ASSERT_TRUE(doc.ok()) << r.out;
  bool found = false;
  for (const json::Value& a : doc->Find("new_access")->array()) {
    if (a.Find("action")->string_value() != "dynamodb:DeleteTable") continue;
    found = true;
    EXPECT_EQ(a.Find("note")->string_value(), "") << r.out;
    EXPECT_THAT(a.Find("witness")->Find("resource")->string_value(),
                HasSubstr(":table/"));
  }
  EXPECT_TRUE(found) << r.out;
}

TEST(PolicyDiffTest, UnusableInput) {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{"testdata/diff/bad_input/malformed.json",
        "testdata/diff/widen/new.json"},
       "policy-diff: error: testdata/diff/bad_input/malformed.json:4:54: "
       "unexpected '\"', expected ',' or '}' after object member\n"},
      {{"testdata/diff/widen/old.json", "testdata/diff/no_such_file.json"},
       "policy-diff: error: testdata/diff/no_such_file.json: no such file\n"},
      {{"--old-dir", "testdata/diff/bad_input/bad_manifest_member", "--new-dir",
        "testdata/diff/widen"},
       "policy-diff: error: testdata/diff/bad_input/bad_manifest_member/"
       "policies.json:3:3: unknown member \"scp\" (expected identity, "
       "boundary, session, scps, rcps or resource_policies)\n"},
      {{"--old-dir", "testdata/diff/bad_input/bad_manifest_type", "--new-dir",
        "testdata/diff/widen"},
       "policy-diff: error: testdata/diff/bad_input/bad_manifest_type/"
       "policies.json:3:15: \"boundary\" expects a file name (a non-empty "
       "string), not array\n"},
      {{"--old-dir", "testdata/diff/bad_input/empty_manifest", "--new-dir",
        "testdata/diff/widen"},
       "policy-diff: error: testdata/diff/bad_input/empty_manifest/"
       "policies.json:1:1: the manifest names no policy\n"},
      {{"--old-dir", "testdata/diff/bad_input/manifest_missing_policy",
        "--new-dir", "testdata/diff/widen"},
       "policy-diff: error: testdata/diff/bad_input/manifest_missing_policy/"
       "no_such_policy.json: no such file\n"},
      {{"--old-dir", "testdata/diff/no_such_dir", "--new-dir",
        "testdata/diff/widen"},
       "policy-diff: error: testdata/diff/no_such_dir/policies.json: cannot "
       "read the manifest (no such file?)\n"},
  };
  for (const Bad& b : bad) {
    CommandRun r = Diff(b.args);
    EXPECT_EQ(r.code, 2) << b.message;
    EXPECT_EQ(r.err, b.message);
    EXPECT_EQ(r.out, "");
  }
  // Usage errors print the message, then the usage.
  const std::vector<std::vector<std::string>> usage = {
      {"testdata/diff/widen/old.json"},
      {"a.json", "b.json", "--format", "xml"},
      {"--old-dir", "testdata/diff/widen"},
      {"a.json", "b.json", "--old-dir", "x", "--new-dir", "y"},
      {"a.json", "b.json", "--rlimit", "0"},
      {"a.json", "b.json", "--frobnicate"},
  };
  for (const auto& args : usage) {
    CommandRun r = Diff(args);
    EXPECT_EQ(r.code, 2) << args.back();
    EXPECT_THAT(r.err, StartsWith("policy-diff: error: "));
    EXPECT_THAT(r.err, HasSubstr("usage: policy-diff"));
  }
  // An unknown action is unusable input, with a suggestion.
  CommandRun r =
      Diff({"testdata/diff/widen/old.json", "testdata/diff/widen/new.json",
            "--action", "dynamodb:GetItems"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("GetItems"));
}

TEST(PolicyDiffTest, SolverQuestionLimitIsExitThreeAndNamed) {
  // Under a resource limit of 1 every question goes to the solver (the
  // finite search gets no budget either): past the first, the limit of one
  // question refuses them, and the answers are unknown.
  CommandRun r = Diff({"testdata/diff/condition/old.json",
                       "testdata/diff/condition/new.json", "--rlimit", "1",
                       "--max-solver-questions", "1", "--format", "json"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"unknown\""));
  EXPECT_THAT(r.out, HasSubstr("limit of solver questions (1) is reached"));
  // 0: no limit; the answer is the default's.
  r = Diff({"testdata/diff/condition/old.json",
            "testdata/diff/condition/new.json", "--max-solver-questions", "0"});
  EXPECT_EQ(r.code, 1) << r.err;
  r = Diff({"testdata/diff/condition/old.json",
            "testdata/diff/condition/new.json", "--max-solver-questions",
            "some"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--max-solver-questions expects a "
                               "non-negative integer, not \"some\""));
}

TEST(PolicyDiffTest, SolverLimitIsExitThreeAndVerdictUnknown) {
  // Conditions need the solver; a resource limit of 1 stops it.
  CommandRun r = Diff({"testdata/diff/condition/old.json",
                       "testdata/diff/condition/new.json", "--rlimit", "1",
                       "--format", "json"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"unknown\""));
  EXPECT_THAT(r.out, HasSubstr("resource limit"));
  // Without conditions the terms fold to constants and the solver is not
  // consulted: the new access is certain even under that limit.
  r = Diff({"testdata/diff/widen/old.json", "testdata/diff/widen/new.json",
            "--rlimit", "1"});
  EXPECT_EQ(r.code, 1) << r.err;
}

}  // namespace
}  // namespace leastpriv
