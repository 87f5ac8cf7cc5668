// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv reach` through RunReachCommand on the
// bundled example and the simulate fixtures.

#include "tools/leastpriv/reach/reach_command.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kShop[] = "testdata/examples/shop/role.json";

struct CommandRun {
  int code;
  std::string out, err;
};

// Where a test writes a file of its own: the test's temporary directory.
std::string TestPath(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp != nullptr ? tmp : "/tmp") + "/" + name;
}

CommandRun Reach(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunReachCommand(args, out, err);
  return {code, out.str(), err.str()};
}

// `reach --exact-variables --format json` of the policy `path` for
// `action` alone: its answer (an object; null when the run failed, which
// the test is told). Exit 0 expected.
json::Value ExactAnswer(const std::string& path, const std::string& action) {
  CommandRun r = Reach({"--policy", path, "--action", action,
                        "--exact-variables", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  auto doc = json::Parse(r.out);
  if (!doc.ok() || doc->Find("actions") == nullptr ||
      doc->Find("actions")->array().empty()) {
    ADD_FAILURE() << r.out << r.err;
    return json::Value();
  }
  return doc->Find("actions")->array()[0];
}

TEST(ReachCommandTest, TextReportOnTheExample) {
  CommandRun r = Reach({"--policy", kShop, "--account", "111122223333",
                        "--region", "eu-west-1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("11 reachable, 68 not reachable, 0 unknown, "
                               "of 79 actions"));
  // Written patterns, not a blanket table/*, where the grant is narrower.
  EXPECT_THAT(r.out,
              HasSubstr("dynamodb:BatchWriteItem                       yes\n"
                        "    table        arn:aws:dynamodb:eu-west-1:"
                        "111122223333:table/shop-orders\n"));
  EXPECT_THAT(r.out, HasSubstr("table/shop-orders/index/*"));
  EXPECT_THAT(r.out, Not(HasSubstr("dynamodb:CreateTable")));
}

TEST(ReachCommandTest, TenantIsolationOfTheNamedTables) {
  const std::vector<std::string> args = {
      "--policy",    "testdata/examples/tenants/role.json",
      "--principal", "arn:aws:iam::111122223333:role/tenant-app",
      "--table",     "tenant-events",
      "--table",     "tenant-notes"};
  CommandRun r = Reach(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr("tenant isolation (item-level actions only on the caller's own "
                "${aws:PrincipalTag/tenant} partition keys):\n"
                "  tenant-events: not isolated\n"
                "    witness      dynamodb:Scan on arn:aws:dynamodb:"));
  EXPECT_THAT(r.out, HasSubstr("  tenant-notes: isolated\n"));
  std::vector<std::string> json_args = args;
  json_args.insert(json_args.end(), {"--format", "json"});
  CommandRun j = Reach(json_args);
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_THAT(j.out,
              HasSubstr("\"tenant_isolation\": [\n    {\n      \"table\": "
                        "\"tenant-events\",\n      \"isolated\": \"no\""));
}

TEST(ReachCommandTest, JsonPerTable) {
  CommandRun r = Reach({"--policy", kShop, "--account", "111122223333",
                        "--region", "eu-west-1", "--table", "shop-orders",
                        "--table", "shop-audit", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"action\": \"dynamodb:Scan\""));
  EXPECT_THAT(r.out, HasSubstr("\"reachable\": \"yes\""));
  EXPECT_THAT(r.out, HasSubstr("\"witness\": {"));
  // shop-audit is only reached by the Audit and Operations statements.
  std::size_t audit = r.out.find("\"shop-audit\": {");
  ASSERT_NE(audit, std::string::npos) << r.out;
  std::string tail = r.out.substr(audit, r.out.find('}', audit) - audit);
  EXPECT_THAT(tail, HasSubstr("\"dynamodb:PutItem\": \"yes\""));
  EXPECT_THAT(tail, HasSubstr("\"dynamodb:Scan\": \"no\""));
  EXPECT_THAT(tail, HasSubstr("\"dynamodb:DeleteTable\": \"yes\""));
}

TEST(ReachCommandTest, OnlyTheNamedActions) {
  CommandRun r = Reach({"--policy", kShop, "--action", "dynamodb:CreateTable",
                        "--action", "dynamodb:GetItem"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 reachable, 1 not reachable, 0 unknown, of "
                               "2 actions"));
}

TEST(ReachCommandTest, ContextFactsNarrowTheAnswer) {
  const std::string policy = "testdata/eval/app_policy.json";
  CommandRun r = Reach({"--policy", policy, "--action", "dynamodb:DeleteItem",
                        "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"reachable\": \"no\""));
}

TEST(ReachCommandTest, BadInput) {
  CommandRun r = Reach({"--policy", kShop, "--action", "dynamodb:GetItems"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error:"));
  EXPECT_THAT(r.err, HasSubstr("GetItems"));

  r = Reach({"--policy", "testdata/eval/no_such_file.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no_such_file.json"));

  r = Reach({"--policy", kShop, "--format", "xml"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--format must be json or text"));

  r = Reach({"--policy", kShop, "--context", "novalue"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--context expects KEY=VALUE"));

  r = Reach({"--policy", kShop, "--rlimit", "-5"});
  EXPECT_EQ(r.code, 2);

  r = Reach({});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no policies given"));

  r = Reach({"--policy", "testdata/eval/bad_policy.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad_policy.json:"));
}

TEST(ReachCommandTest, SolverLimitIsUnknownWithExitThree) {
  CommandRun r = Reach({"--policy", "testdata/eval/app_policy.json", "--rlimit",
                        "1", "--action", "dynamodb:PutItem"});
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("unknown"));
  EXPECT_THAT(r.out, Not(HasSubstr("0 unknown")));
}

// Resource patterns whose string abstraction outgrows its limits: exit 3
// with an error naming the limit, as for a solver resource limit.
TEST(ReachCommandTest, AbstractionLimitIsExitThree) {
  std::string resources;
  for (char c : std::string("abcd")) {
    std::string pattern = "arn:aws:dynamodb:*:*:table/";
    for (int i = 0; i < 500; ++i) pattern += std::string("*") + c;
    if (!resources.empty()) resources += ",";
    resources += "\"" + pattern + "*\"";
  }
  const std::string path = TestPath("stars.json");
  std::ofstream(path)
      << R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",)"
      << R"("Action":"dynamodb:GetItem","Resource":[)" << resources << "]}}";
  CommandRun r = Reach({"--policy", path, "--action", "dynamodb:GetItem"});
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: string abstraction exceeds"));
}

// Two free variables in one Resource entry are unknown by default and
// decided with --exact-variables: reachable with a witness, and the Deny
// that names only production tables does not hide that.
TEST(ReachCommandTest, ExactVariablesDecideTwoFreeVariablesInOneEntry) {
  const std::string path = TestPath("two_variables.json");
  std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/${aws:PrincipalTag/team}-${aws:PrincipalTag/env}"},
    {"Effect": "Deny", "Action": "dynamodb:*", "NotResource":
     "arn:aws:dynamodb:us-east-1:111122223333:table/*-${aws:PrincipalTag/env}"}]})";
  const std::vector<std::string> base = {"--policy",  path,
                                         "--account", "111122223333",
                                         "--region",  "us-east-1",
                                         "--action",  "dynamodb:GetItem",
                                         "--action",  "dynamodb:PutItem",
                                         "--action",  "dynamodb:Scan"};
  std::vector<std::string> approximate = base;
  approximate.push_back("--no-exact-variables");
  CommandRun first_pass = Reach(approximate);
  EXPECT_EQ(first_pass.code, 3) << first_pass.out << first_pass.err;
  EXPECT_THAT(first_pass.out, HasSubstr("uses two policy variables"));

  // Decided by default, and with --exact-variables.
  std::vector<std::string> exact = base;
  exact.push_back("--exact-variables");
  CommandRun r = Reach(exact);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(Reach(base).out, r.out);
  EXPECT_THAT(r.out,
              HasSubstr("2 reachable, 1 not reachable, 0 unknown, of 3"));
  EXPECT_THAT(r.out, HasSubstr("witness      dynamodb:PutItem on "
                               "arn:aws:dynamodb:us-east-1:111122223333:"
                               "table/"));
  EXPECT_THAT(r.out, HasSubstr("aws:PrincipalTag/team="));
}

// An entry with two free variables matches nothing while one of them is
// absent: a grant that requires the team tag to be absent is decided "not
// reachable" with --exact-variables (it used to stay unknown), and a
// default for the variable keeps the entry open.
TEST(ReachCommandTest,
     ExactVariablesAnEntryWithAnAbsentVariableMatchesNothing) {
  auto write = [&](const std::string& name, const std::string& team) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/${aws:PrincipalTag/tenant}-)"
                        << team << R"(",
      "Condition": {"Null": {"aws:PrincipalTag/team": "true"}}}})";
    return path;
  };
  const std::vector<std::string> args = {
      "--account", "111122223333",     "--region",         "us-east-1",
      "--action",  "dynamodb:GetItem", "--exact-variables"};
  std::vector<std::string> without_default = args;
  without_default.insert(
      without_default.begin(),
      {"--policy", write("absent.json", "${aws:PrincipalTag/team}")});
  CommandRun r = Reach(without_default);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));

  std::vector<std::string> with_default = args;
  with_default.insert(
      with_default.begin(),
      {"--policy", write("default.json", "${aws:PrincipalTag/team, 'all'}")});
  r = Reach(with_default);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("-all"));
}

// A free variable compared with a value made of another one ("team" equal,
// ignoring case, to "pre-${tenant}") while the other names the table: the
// witness needs a tenant that is a valid table name and the team that
// matches it. The team's suggested values are the condition's value with
// each value the tenant is tried with (it used to stay unknown: the two were
// paired only by chance).
TEST(ReachCommandTest, ExactVariablesPairAVariableWithAValueMadeOfAnother) {
  const std::string path = TestPath("paired.json");
  std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:*",
     "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}",
     "Condition": {
       "StringEqualsIgnoreCase": {
         "aws:PrincipalTag/team": "pre-${aws:PrincipalTag/tenant}"},
       "StringNotLike": {"aws:PrincipalTag/tenant": "k1"}}},
    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",
     "Condition": {
       "ForAnyValue:StringNotLike": {
         "dynamodb:LeadingKeys": "*-${aws:PrincipalTag/tenant}"},
       "ForAnyValue:StringLike": {
         "dynamodb:LeadingKeys":
           "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}"}}}]})";
  CommandRun r = Reach({"--policy", path, "--action", "dynamodb:Scan",
                        "--exact-variables", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"reachable\": \"yes\"")) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"aws:PrincipalTag/team\": \"pre-"));
}

// A resource entry with two free variables whose conditions fix one of them
// to a value that makes no valid table name ("pre-*", compared with
// StringEquals: the '*' is literal) matches no request: decided "not
// reachable" (it used to stay unknown, the entry's match being left free),
// and reachable when the fixed value makes valid names.
TEST(ReachCommandTest, ExactVariablesAnEntryWithTwoVariablesKeepsItsValues) {
  auto write = [&](const std::string& name, const std::string& tenant) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:Scan",
      "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
      "Condition": {"StringEquals": {"aws:PrincipalTag/tenant": ")"
                        << tenant << R"("}}}})";
    return path;
  };
  CommandRun r = Reach({"--policy", write("star.json", "pre-*"), "--action",
                        "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("name.json", "pre-x"), "--action",
             "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("table/pre-x-"));
}

// A condition value with two free variables matches nothing while one
// written without a default is absent: a grant that compares the leading
// keys with "${tenant}-${team}" and requires the team tag to be absent is
// decided "not reachable" (it used to stay unknown, the test's outcome being
// left free), and a default for the team keeps it reachable.
TEST(ReachCommandTest,
     ExactVariablesAConditionValueWithAnAbsentVariableMatchesNothing) {
  auto write = [&](const std::string& name, const std::string& team) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*",
      "Condition": {
        "ForAnyValue:StringLike": {
          "dynamodb:LeadingKeys": "${aws:PrincipalTag/tenant}-)"
                        << team << R"("},
        "Null": {"aws:PrincipalTag/team": "true"}}}})";
    return path;
  };
  CommandRun r =
      Reach({"--policy", write("absent-value.json", "${aws:PrincipalTag/team}"),
             "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy",
             write("default-value.json", "${aws:PrincipalTag/team, 'all'}"),
             "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("-all"));
}

// Tests that no value of their free variable passes together: a tag equal
// to both "${tenant}" and "pre-${tenant}" (the lengths differ for every
// tenant), and a resource inside "table/${tenant}-${team}" but outside
// "table/${tenant}-*" (the first reads as the second with the team as
// '*'). Each is proved "not reachable" (both used to stay unknown), and
// stays reachable when the values can agree.
TEST(ReachCommandTest, ExactVariablesTestsThatNeverPassTogether) {
  auto write = [&](const std::string& name, const std::string& body) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [)" << body
                        << "]}";
    return path;
  };
  auto equal_to = [](const std::string& value) {
    return R"({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*",
      "Condition": {
        "StringEqualsIgnoreCase": {
          "aws:PrincipalTag/team": "${aws:PrincipalTag/tenant}"},
        "StringEquals": {"aws:PrincipalTag/team": ")" +
           value + R"("}}})";
  };
  auto outside = [](const std::string& pattern) {
    return R"({"Effect": "Allow", "Action": "dynamodb:GetItem",
      "NotResource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-)" +
           pattern + R"("},
      {"Effect": "Deny", "Action": "dynamodb:GetItem",
      "NotResource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}"})";
  };
  const std::vector<std::pair<std::string, std::string>> never = {
      {"lengths.json", equal_to("pre-${aws:PrincipalTag/tenant}")},
      {"inside.json", outside("*")}};
  for (const auto& [name, body] : never) {
    CommandRun r = Reach({"--policy", write(name, body), "--action",
                          "dynamodb:GetItem", "--exact-variables"});
    EXPECT_EQ(r.code, 0) << name << r.out << r.err;
    EXPECT_THAT(r.out,
                HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"))
        << name;
  }
  const std::vector<std::pair<std::string, std::string>> sometimes = {
      {"same-length.json", equal_to("${aws:PrincipalTag/tenant}")},
      {"not-inside.json", outside("x*")}};
  for (const auto& [name, body] : sometimes) {
    CommandRun r = Reach({"--policy", write(name, body), "--action",
                          "dynamodb:GetItem", "--exact-variables"});
    EXPECT_EQ(r.code, 0) << name << r.out << r.err;
    EXPECT_THAT(r.out,
                HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"))
        << name;
  }
}

// A free variable that its own condition fixes to one string fixes the
// tests that compare another key with a value made of it, and a resource
// entry written with that other key: a team equal to "pre-${tenant}" with
// the tenant equal to "*1" (a literal '*') names only "table/pre-*1-...",
// no valid table, and is proved "not reachable" (it used to stay unknown);
// with the tenant "x1" it is reachable on "table/pre-x1-...".
TEST(ReachCommandTest, ExactVariablesAValueOfOneStringIsSubstitutedExactly) {
  auto write = [&](const std::string& name, const std::string& tenant) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}-*",
      "Condition": {"StringEquals": {
        "aws:PrincipalTag/team": "pre-${aws:PrincipalTag/tenant}",
        "aws:PrincipalTag/tenant": ")"
                        << tenant << R"("}}}})";
    return path;
  };
  CommandRun r = Reach({"--policy", write("one-star.json", "*1"), "--action",
                        "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("one-name.json", "x1"), "--action",
             "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("table/pre-x1-"));
}

// A request's resource is a valid ARN, which holds no '*': the variables
// of a resource entry that matches it hold none either, and a leading key
// equal to "${tenant}-${team}" cannot be one that holds a '*' (equal to
// "a-*", or to "${team}-*" with StringEquals, where the '*' is a
// character). Both are proved "not reachable" (they used to stay
// unknown); a key "abc-x" is reachable on "table/abc-x".
TEST(ReachCommandTest, ExactVariablesValuesInAResourceHoldNoStar) {
  // The leading keys compared by `mine` with "${tenant}-${team}" and by
  // `other` with `value`.
  auto write = [&](const std::string& name, const std::string& mine,
                   const std::string& other, const std::string& value) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
      "Condition": {")" << mine
                        << R"(": {"dynamodb:LeadingKeys":
          "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}"},
        ")" << other << R"(": {"dynamodb:LeadingKeys": ")"
                        << value << R"("}}}})";
    return path;
  };
  const std::vector<std::vector<std::string>> never = {
      {"ForAnyValue:StringEquals", "ForAllValues:StringEquals", "a-*"},
      {"ForAllValues:StringLike", "ForAnyValue:StringEquals",
       "${aws:PrincipalTag/team}-*"}};
  for (const std::vector<std::string>& c : never) {
    CommandRun r = Reach({"--policy", write("star.json", c[0], c[1], c[2]),
                          "--action", "dynamodb:GetItem", "--exact-variables"});
    EXPECT_EQ(r.code, 0) << c[2] << r.out << r.err;
    EXPECT_THAT(r.out,
                HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"))
        << c[2];
  }
  CommandRun r = Reach({"--policy",
                        write("name.json", "ForAnyValue:StringEquals",
                              "ForAllValues:StringEquals", "abc-x"),
                        "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("table/abc-x"));
}

// A variable compared by StringLike and by StringEquals with the same text
// ("pre-*"): each keeps a resource entry inside its own reading, the
// StringEquals one with a literal '*' ("table/pre-*-..." names no valid
// table): proved "not reachable" (it used to stay unknown, the two readings
// sharing one pattern), and reachable with StringLike alone.
TEST(ReachCommandTest, ExactVariablesLikeAndEqualsReadTheSameTextApart) {
  auto write = [&](const std::string& name, const std::string& conditions) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:Scan",
      "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
      "Condition": {)" << conditions
                        << "}}}";
    return path;
  };
  const std::string like =
      R"("StringLike": {"aws:PrincipalTag/tenant": "pre-*"})";
  CommandRun r = Reach(
      {"--policy",
       write(
           "both.json",
           like + R"(, "StringEquals": {"aws:PrincipalTag/tenant": "pre-*"})"),
       "--action", "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("like.json", like), "--action", "dynamodb:Scan",
             "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("table/pre-"));
}

// Leading keys that all equal "${tenant}" while one equals
// "${tenant}-${team}": that one would be longer than itself, so no request
// passes both, and it is proved "not reachable" (it used to stay unknown);
// with the keys only starting with the tenant it is reachable.
TEST(ReachCommandTest, ExactVariablesElementsOfLengthsThatNeverAgree) {
  auto write = [&](const std::string& name, const std::string& every) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
      "Condition": {
        "ForAnyValue:StringEquals": {"dynamodb:LeadingKeys":
          "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}"},
        )" << every << "}}}";
    return path;
  };
  CommandRun r =
      Reach({"--policy", write("equal.json", R"("ForAllValues:StringEquals": {
               "dynamodb:LeadingKeys": "${aws:PrincipalTag/tenant}"})"),
             "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("prefix.json", R"("ForAllValues:StringLike": {
               "dynamodb:LeadingKeys": "${aws:PrincipalTag/tenant}*"})"),
             "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
}

// A Scan denied outside "table/${tenant}" and allowed on
// "table/${tenant}-${team}": no table name is both (the second is always
// longer), so it is proved "not reachable" (it used to stay unknown); with
// the deny outside "table/${tenant}*" it is reachable.
TEST(ReachCommandTest, ExactVariablesEntriesOfLengthsThatNeverAgree) {
  auto write = [&](const std::string& name, const std::string& outside) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Deny", "Action": "dynamodb:Scan",
       "NotResource": "arn:aws:dynamodb:*:*:table/)"
                        << outside << R"("},
      {"Effect": "Allow", "Action": "dynamodb:*",
       "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}"}]})";
    return path;
  };
  CommandRun r =
      Reach({"--policy", write("exact.json", "${aws:PrincipalTag/tenant}"),
             "--action", "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("prefix.json", "${aws:PrincipalTag/tenant}*"),
             "--action", "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
}

// One key compared with one value made of a free variable both with case
// and ignoring case: a team equal to "pre-${tenant}" is equal to it
// ignoring case too, so StringEquals with StringNotEqualsIgnoreCase (on the
// tag, or on the leading keys, one of which would pass and none of which
// fail the other) is proved "not reachable" (it used to stay unknown); equal
// ignoring case but not with case is reachable ("PRE-x" for the tenant "x").
TEST(ReachCommandTest, ExactVariablesEqualWithCaseIsEqualIgnoringCase) {
  auto write = [&](const std::string& name, const std::string& key,
                   const std::string& equal, const std::string& differ) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:*",
      "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
      "Condition": {
        ")" << equal << R"(": {")"
                        << key << R"(": "pre-${aws:PrincipalTag/tenant}"},
        ")" << differ << R"(": {")"
                        << key << R"(": "pre-${aws:PrincipalTag/tenant}"}}}})";
    return path;
  };
  const std::vector<std::vector<std::string>> never = {
      {"aws:PrincipalTag/team", "StringEquals", "StringNotEqualsIgnoreCase"},
      {"dynamodb:LeadingKeys", "ForAnyValue:StringEquals",
       "ForAllValues:StringNotEqualsIgnoreCase"}};
  for (const std::vector<std::string>& c : never) {
    CommandRun r = Reach({"--policy", write("case.json", c[0], c[1], c[2]),
                          "--action", "dynamodb:GetItem", "--exact-variables"});
    EXPECT_EQ(r.code, 0) << c[0] << r.out << r.err;
    EXPECT_THAT(r.out,
                HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"))
        << c[0];
  }
  CommandRun r = Reach({"--policy",
                        write("fold.json", "aws:PrincipalTag/team",
                              "StringEqualsIgnoreCase", "StringNotEquals"),
                        "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
}

// One key compared with one value made of free variables for equality and
// as a pattern: every leading key equal to "${tenant}-${team}" and one not
// like it can never both hold (a value equal to the text matches it as a
// pattern: the substituted values are literal, and a wildcard of the text
// around them matches itself), so the statement is proved "not
// reachable" (it used to stay unknown). Equal to it and not like
// "${tenant}-${team}*" stays unreachable; equal and like it is reachable.
TEST(ReachCommandTest, ExactVariablesEqualIsLike) {
  auto write = [&](const std::string& name, const std::string& like,
                   const std::string& pattern) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": {
      "Effect": "Allow", "Action": "dynamodb:GetItem",
      "Resource": "arn:aws:dynamodb:*:*:table/*-k1",
      "Condition": {
        "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}"},
        ")" << like << R"(": {"dynamodb:LeadingKeys": ")"
                        << pattern << R"("}}}})";
    return path;
  };
  struct Case {
    std::string like, pattern, want;
  };
  const std::vector<Case> cases = {
      {"ForAnyValue:StringNotLike",
       "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
       "0 reachable, 1 not reachable, 0 unknown, of 1"},
      {"ForAnyValue:StringLike",
       "${aws:PrincipalTag/tenant}-${aws:PrincipalTag/team}",
       "1 reachable, 0 not reachable, 0 unknown, of 1"}};
  for (const Case& c : cases) {
    CommandRun r = Reach({"--policy", write("like.json", c.like, c.pattern),
                          "--action", "dynamodb:GetItem", "--exact-variables"});
    EXPECT_EQ(r.code, 0) << c.like << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr(c.want)) << c.like;
  }
}

// Tags equal ignoring case, where only a pair that differs in case is
// allowed: the deny on "table/${tenant}-*" takes every table of
// "table/${team}-*" when the two are equal. The witness holds such a pair
// (this used to stay unknown).
TEST(ReachCommandTest, ExactVariablesFindTagsThatDifferInCaseOnly) {
  const std::string path = TestPath("case.json");
  std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "dynamodb:*",
     "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}-*"},
    {"Effect": "Allow", "Action": "dynamodb:GetItem",
     "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}-*",
     "Condition": {"StringEqualsIgnoreCase":
       {"aws:PrincipalTag/team": "${aws:PrincipalTag/tenant}"}}}]})";
  const json::Value action = ExactAnswer(path, "dynamodb:GetItem");
  ASSERT_NE(action.Find("reachable"), nullptr);
  ASSERT_EQ(action.Find("reachable")->string_value(), "yes");
  const json::Value* context = action.Find("witness")->Find("context");
  const std::string team =
      context->Find("aws:PrincipalTag/team")->string_value();
  const std::string tenant =
      context->Find("aws:PrincipalTag/tenant")->string_value();
  EXPECT_NE(team, tenant);
  EXPECT_TRUE(absl::EqualsIgnoreCase(team, tenant)) << team << " " << tenant;
}

// In one model for every action, ${aws:username} compared with a tag in
// the ListTables statement left the variable approximate for the actions
// whose statements use it in Resource entries only: every action that
// statement 4 grants kept a resource class undecided. The models of the
// statements each action sees decide them all.
TEST(ReachCommandTest, ExactVariablesAreExactPerActionInASmallSet) {
  const std::string path = TestPath("username.json");
  std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:*",
     "Resource": "arn:aws:dynamodb:*:111122223333:table/events*",
     "Condition": {"StringLike": {"aws:PrincipalTag/team": "data-*"}}},
    {"Effect": "Allow", "Action": ["dynamodb:Get*", "dynamodb:List*"],
     "Resource": ["arn:aws:dynamodb:us-east-1:444455556666:table/order*/stream/*",
                  "arn:aws:dynamodb:us-*:11112222333?:table/*ons-eu/*"]},
    {"Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*",
     "Condition": {"StringEquals":
       {"aws:PrincipalTag/team": "${aws:username}"}}},
    {"Effect": "Allow", "Action": "dynamodb:*",
     "Resource": "arn:aws:dynamodb:us-*:*:table/${aws:username}-*"}]})";
  CommandRun r =
      Reach({"--policy", path, "--exact-variables", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  auto doc = json::Parse(r.out);
  ASSERT_TRUE(doc.ok()) << r.out;
  int reachable = 0;
  for (const json::Value& action : doc->Find("actions")->array()) {
    const std::string name = action.Find("action")->string_value();
    EXPECT_NE(action.Find("reachable")->string_value(), "unknown") << name;
    EXPECT_EQ(action.Find("reason")->string_value(), "") << name;
    if (action.Find("reachable")->string_value() == "yes") ++reachable;
  }
  EXPECT_GT(reachable, 60) << r.out;
}

// ${aws:username} in entries that name tables ("table/${aws:username}")
// cannot make them match a backup's ARN: an IAM user name holds no '/'.
// In this set (statements taken from a generated wildcard-heavy policy) the
// username is not an exact source, and the backups those entries would
// match with a name like "orders/backup/x" stayed undecided; the entry read
// as the shape of a user name bounds them.
TEST(ReachCommandTest, ExactVariablesKnowAUserNameHasNoSlash) {
  const std::string path = TestPath("backups.json");
  std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["dynamodb:BatchWriteItem", "dynamodb:*Backup*"], "Resource": ["arn:aws:dynamodb:*-1:111122223333:table/*nsArchive/index/By*"]},
    {"Effect": "Deny", "Action": ["dynamodb:List*", "dynamodb:*Backup*", "dynamodb:Batch*", "dynamodb:BatchWriteItem"], "Resource": ["arn:aws:dynamodb:us-*:111122223333:table/*/index/by_?ate", "arn:aws:dynamodb:us-west-2:1111*:table/Sessions*"]},
    {"Effect": "Allow", "Action": ["dynamodb:List*", "dynamodb:*Backup*", "dynamodb:PartiQL*", "dynamodb:PartiQL*"], "Resource": ["arn:aws:dynamodb:*-1:1111*:table/pa*/import/*"]},
    {"Effect": "Deny", "Action": ["dynamodb:PartiQLSelect", "dynamodb:RestoreTableFromBackup", "dynamodb:*Backup*", "dynamodb:*Backup*"], "Resource": ["arn:aws:dynamodb:us-east-1:11112222333?:table/order*/stream/*", "arn:aws:dynamodb:us-west-2:11112222333?:table/a?dit_log", "arn:aws:dynamodb:us-west-2:111122223333:table/tenant-acme*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Effect": "Allow", "Action": ["dynamodb:ExportTableToPointInTime", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:*"], "Resource": ["arn:aws:dynamodb:eu-*:111122223333:table/events*"], "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant}"]}, "Bool": {"aws:SecureTransport": "true"}}},
    {"Effect": "Allow", "Action": ["dynamodb:ExportTableToPointInTime", "dynamodb:DeleteItem", "dynamodb:*Backup*"], "Resource": ["arn:aws:dynamodb:us-west-2:444455556666:table/Or*/*", "arn:aws:dynamodb:us-*:111122223333:table/${aws:username}", "arn:aws:dynamodb::1111*:global-table/tenant-acme"]},
    {"Effect": "Allow", "Action": ["dynamodb:ListTables", "dynamodb:Get*", "dynamodb:*Backup*", "dynamodb:RestoreTableFromBackup"], "Resource": ["arn:aws:dynamodb:us-east-1:*:table/user*prod"], "Condition": {"StringLike": {"aws:PrincipalTag/team": "ops"}}},
    {"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["arn:aws:dynamodb:*-1:*:table/${aws:username}", "arn:aws:dynamodb:us-east-1:1111*:table/tenan?-acme", "arn:aws:dynamodb:us-east-1:11112222333?:table/car*"], "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["tenant-bolt"]}}},
    {"Effect": "Allow", "Action": ["dynamodb:*Backup*"], "Resource": ["arn:aws:dynamodb:us-east-1:1111*:table/*ents_v2/index/ByUser"], "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Effect": "Allow", "Action": ["dynamodb:ListTables", "dynamodb:*Backup*"], "Resource": ["arn:aws:dynamodb:us-east-1:1111*:table/carts*"], "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Effect": "Allow", "Action": ["dynamodb:DeleteTable", "dynamodb:*Backup*", "dynamodb:BatchWriteItem"], "Resource": ["arn:aws:dynamodb:us-east-1:111122223333:table/*e/*"]}]})";
  const json::Value action = ExactAnswer(path, "dynamodb:DeleteBackup");
  ASSERT_NE(action.Find("reachable"), nullptr);
  EXPECT_EQ(action.Find("reachable")->string_value(), "yes");
  EXPECT_EQ(action.Find("reason")->string_value(), "");
}

// Two values made of free variables that a request must match both: all
// leading keys equal to "pre-${tenant}" and one equal to
// "${tenant}-${team}" (tenant and team "pre": "pre-pre"), or all equal to
// "${team}-xyz" ("xyz-xyz"). The variables' values come from the word
// equation of the two values, and each is reachable with that witness (both
// used to stay unknown); values that no variables make equal ("a-${tenant}"
// and "${tenant}-b") are not reachable.
TEST(ReachCommandTest, ExactVariablesSolveTwoValuesMadeOfVariables) {
  auto write = [&](const std::string& name, const std::string& every,
                   const std::string& some) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "dynamodb:GetItem",
       "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}",
       "Condition": {"ForAnyValue:StringEquals": {
         "dynamodb:LeadingKeys": ")"
                        << some << R"("}}},
      {"Effect": "Deny", "Action": "dynamodb:GetItem",
       "Resource": "arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/tenant}",
       "Condition": {"ForAnyValue:StringNotEquals": {
         "dynamodb:LeadingKeys": ")"
                        << every << R"("}}}]})";
    return path;
  };
  const std::string tenant = "${aws:PrincipalTag/tenant}",
                    team = "${aws:PrincipalTag/team}";
  const std::vector<std::vector<std::string>> solved = {
      {"pre-" + tenant, tenant + "-" + team, "\"pre-pre\""},
      {team + "-xyz", tenant + "-" + team, "\"xyz-xyz\""}};
  for (const std::vector<std::string>& c : solved) {
    CommandRun r =
        Reach({"--policy", write("solved.json", c[0], c[1]), "--action",
               "dynamodb:GetItem", "--exact-variables", "--format", "json"});
    EXPECT_EQ(r.code, 0) << c[0] << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("\"reachable\": \"yes\"")) << c[0] << r.out;
    EXPECT_THAT(r.out, HasSubstr(c[2])) << c[0];
  }
  CommandRun r =
      Reach({"--policy", write("unsolved.json", "a-" + tenant, tenant + "-b"),
             "--action", "dynamodb:GetItem", "--exact-variables"});
  EXPECT_THAT(r.out, Not(HasSubstr("1 reachable"))) << r.out;
}

// A resource inside "table/*-k1" and inside "table/*-${tenant}" forces the
// tenant to end with "1" (a shorter tenant would leave the name ending with
// "-"), which "StringNotLike *1" forbids: proved "not reachable" (it used to
// stay unknown, the suffix being kept under the positive condition alone);
// with "StringNotLike *2" it is reachable.
TEST(ReachCommandTest, ExactVariablesAVariableEndingTheEntryKeepsItsSuffix) {
  auto write = [&](const std::string& name, const std::string& unlike) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Deny", "Action": "dynamodb:*",
       "NotResource": "arn:aws:dynamodb:*:*:table/*-k1"},
      {"Effect": "Allow", "Action": "dynamodb:GetItem",
       "Resource": "arn:aws:dynamodb:*:*:table/*-${aws:PrincipalTag/tenant}",
       "Condition": {"StringNotLike": {"aws:PrincipalTag/tenant": ")"
                        << unlike << R"("}}}]})";
    return path;
  };
  CommandRun r = Reach({"--policy", write("one.json", "*1"), "--action",
                        "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("two.json", "*2"), "--action",
             "dynamodb:GetItem", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
  EXPECT_THAT(r.out, HasSubstr("-k1"));
}

// A Scan allowed on "table/*-${tenant}" and denied outside
// "table/${tenant}": the first is always longer than the second, so no
// table is both, and it is proved "not reachable" (it used to stay unknown:
// only entries without wildcards were compared by length); denied outside
// "table/*${tenant}" instead, it is reachable.
TEST(ReachCommandTest, ExactVariablesAnEntryWithAStarIsAtLeastItsLength) {
  auto write = [&](const std::string& name, const std::string& outside) {
    const std::string path = TestPath(name);
    std::ofstream(path) << R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "dynamodb:*",
       "Resource": "arn:aws:dynamodb:*:*:table/*-${aws:PrincipalTag/tenant}"},
      {"Effect": "Deny", "Action": "dynamodb:*",
       "NotResource": "arn:aws:dynamodb:*:*:table/)"
                        << outside << R"("}]})";
    return path;
  };
  CommandRun r =
      Reach({"--policy", write("exact.json", "${aws:PrincipalTag/tenant}"),
             "--action", "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("0 reachable, 1 not reachable, 0 unknown, of 1"));
  r = Reach({"--policy", write("star.json", "*${aws:PrincipalTag/tenant}"),
             "--action", "dynamodb:Scan", "--exact-variables"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("1 reachable, 0 not reachable, 0 unknown, of 1"));
}

}  // namespace
}  // namespace leastpriv
