// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv validate` against golden outputs in
// testdata/policies/golden/. After an intended output change, regenerate a
// golden by running the validate_main binary from the workspace root with
// the arguments listed here and review the diff.

#include "tools/leastpriv/validate/validate_command.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv {
namespace {

constexpr char kDir[] = "testdata/policies/";

std::string Golden(const std::string& name) {
  std::ifstream in(std::string(kDir) + "golden/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CommandRun {
  int rc;
  std::string out;
  std::string err;
};

CommandRun Validate(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int rc = RunValidateCommand(args, out, err);
  return CommandRun{rc, out.str(), err.str()};
}

std::string Fixture(const std::string& name) { return kDir + name; }

TEST(ValidateCommandTest, TextFindings) {
  CommandRun r = Validate({Fixture("findings_showcase.json")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.out, Golden("findings_showcase.txt"));
  EXPECT_EQ(r.err, "");
}

TEST(ValidateCommandTest, JsonFindings) {
  CommandRun r =
      Validate({"--format", "json", Fixture("findings_showcase.json"),
                Fixture("orders_service_inline.json")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.out, Golden("findings_showcase.json"));
}

TEST(ValidateCommandTest, StructuralErrors) {
  CommandRun r = Validate({Fixture("structural_errors.json")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.out, Golden("structural_errors.txt"));
}

TEST(ValidateCommandTest, PolicyKindDecidesPrincipalRules) {
  CommandRun r =
      Validate({"--kind=resource", Fixture("table_resource_policy.json"),
                Fixture("get_resource_policy.json"),
                Fixture("orders_service_inline.json")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.out, Golden("resource_kind.txt"));
}

TEST(ValidateCommandTest, CleanFilesExitZero) {
  for (const char* name :
       {"orders_service_inline.json", "get_role_policy.json",
        "get_policy_version.json", "url_encoded_policy_version.json"}) {
    CommandRun r = Validate({Fixture(name)});
    EXPECT_EQ(r.rc, 0) << name << "\n" << r.out;
    EXPECT_EQ(r.out, "") << name;
  }
  CommandRun r =
      Validate({"--format", "json", Fixture("get_role_policy.json")});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out,
            "{\n  \"files\": [\n    {\n      \"file\": "
            "\"testdata/policies/get_role_policy.json\",\n      "
            "\"findings\": []\n    }\n  ]\n}\n");
}

TEST(ValidateCommandTest, SuggestionsAloneExitZero) {
  const std::string path =
      std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") +
      "/dup_action.json";
  std::ofstream(path) << R"({"Version":"2012-10-17","Statement":{)"
                         R"("Effect":"Allow","Action":["dynamodb:Scan",)"
                         R"("dynamodb:Scan"],"Resource":"*"}})";
  CommandRun r = Validate({path});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out, path +
                       ":1:81: suggestion: [REDUNDANT_ACTION] statement 0: "
                       "action \"dynamodb:Scan\" is listed twice\n");
}

TEST(ValidateCommandTest, UnusableInputExitsTwo) {
  CommandRun r =
      Validate({Fixture("orders_service_inline.json"),
                Fixture("truncated.json"), Fixture("not_json.txt"),
                Fixture("missing.json"), Fixture("duplicate_keys.json")});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, Golden("unusable.txt"));
  EXPECT_EQ(r.err, Golden("unusable.stderr"));
}

TEST(ValidateCommandTest, UsageErrors) {
  CommandRun r = Validate({});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "leastpriv: error: no policy files given");
  r = Validate({"--format", "xml", "a.json"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "leastpriv: error: unknown format \"xml\"");
  r = Validate({"--kind", "group", "a.json"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "leastpriv: error: unknown policy kind \"group\"");
  r = Validate({"a.json", "--kind"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "leastpriv: error: --kind needs a value");
  r = Validate({"--verbose", "a.json"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "leastpriv: error: unknown option \"--verbose\"");
}

}  // namespace
}  // namespace leastpriv
