// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv review` on the base/head checkout pairs of
// testdata/review/, with golden JSON (testdata/review/CASE/expected.json)
// and the exact anchor of every comment.

#include "tools/leastpriv/review/review_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The runfiles tree is made of symbolic links that point out of it, which
// the review rightly refuses to follow out of a checkout: work on a real
// copy.
const std::string& Root() {
  static const std::string* root = [] {
    const char* tmp = std::getenv("TEST_TMPDIR");
    fs::path dst = fs::path(tmp != nullptr ? tmp : "/tmp") / "review_cases";
    fs::remove_all(dst);
    fs::copy("testdata/review", dst, fs::copy_options::recursive);
    return new std::string(dst.string());
  }();
  return *root;
}

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun Review(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunReviewCommand(args, out, err);
  return {code, out.str(), err.str()};
}

CommandRun ReviewCase(const std::string& name, const std::string& format) {
  const std::string dir = Root() + "/" + name;
  return Review(
      {"--base", dir + "/base", "--head", dir + "/head", "--format", format});
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The line of `file` (relative to the head checkout) that holds `needle`.
int LineOf(const std::string& name, const std::string& file,
           const std::string& needle) {
  std::ifstream in(Root() + "/" + name + "/head/" + file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find(needle) != std::string::npos) return n;
  }
  return -1;
}

std::string Anchor(const std::string& file, int line) {
  return "\"file\": \"" + file +
         "\",\n      \"line\": " + std::to_string(line) + ",";
}

struct GoldenCase {
  const char* name;
  int exit_code;
};

constexpr GoldenCase kCases[] = {
    {"scan_without_permission", 1}, {"widen_to_star", 1},
    {"cfn_delete_table", 1},        {"tf_public_table_policy", 1},
    {"condition_removed", 1},       {"refactor_no_change", 0},
};

TEST(ReviewCommandTest, EveryCaseMatchesItsGolden) {
  for (const GoldenCase& c : kCases) {
    CommandRun r = ReviewCase(c.name, "json");
    EXPECT_EQ(r.code, c.exit_code) << c.name << ": " << r.err;
    EXPECT_EQ(r.out, ReadFile(std::string("testdata/review/") + c.name +
                              "/expected.json"))
        << c.name;
  }
}

// The pull-request comment (tools/update_review_goldens.sh rewrites both).
TEST(ReviewCommandTest, EveryMarkdownMatchesItsGolden) {
  for (const GoldenCase& c : kCases) {
    CommandRun r = ReviewCase(c.name, "markdown");
    EXPECT_EQ(r.code, c.exit_code) << c.name << ": " << r.err;
    EXPECT_EQ(r.out, ReadFile(std::string("testdata/review/") + c.name +
                              "/expected.md"))
        << c.name;
  }
}

TEST(ReviewCommandTest, CommentsPointAtTheLineThatCausesThem) {
  CommandRun r = ReviewCase("scan_without_permission", "json");
  EXPECT_THAT(
      r.out, HasSubstr(Anchor("app/orders.py",
                              LineOf("scan_without_permission", "app/orders.py",
                                     "_table.scan()"))));
  EXPECT_THAT(r.out, HasSubstr("dynamodb:Scan on orders will be denied"));

  r = ReviewCase("widen_to_star", "json");
  EXPECT_THAT(r.out, HasSubstr(Anchor("iam/role.json",
                                      LineOf("widen_to_star", "iam/role.json",
                                             "\"dynamodb:*\""))));
  EXPECT_THAT(r.out, HasSubstr("(55 not used by the code)"));

  r = ReviewCase("cfn_delete_table", "json");
  EXPECT_THAT(r.out,
              HasSubstr(Anchor("infra/template.yaml",
                               LineOf("cfn_delete_table", "infra/template.yaml",
                                      "dynamodb:DeleteTable"))));
  EXPECT_THAT(r.out, HasSubstr("New access: dynamodb:DeleteTable for role app "
                               "(not used by the code)"));

  r = ReviewCase("tf_public_table_policy", "json");
  EXPECT_THAT(r.out, HasSubstr("\"file\": \"plan.json\""));
  EXPECT_THAT(r.out, HasSubstr("Table policy open to everyone"));
}

TEST(ReviewCommandTest, RemovedConditionIsNewAccessWithAWitness) {
  CommandRun r = ReviewCase("condition_removed", "json");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(Anchor("iam/role.json",
                                      LineOf("condition_removed",
                                             "iam/role.json", "\"Action\""))));
  // The witness is a request the base denied: one without
  // aws:SecureTransport, which the removed condition required.
  EXPECT_THAT(r.out, HasSubstr("with no request context"));
  EXPECT_THAT(r.out, HasSubstr("\"context\": {}"));
}

TEST(ReviewCommandTest, RefactorWithoutSemanticChangeHasNoComments) {
  CommandRun r = ReviewCase("refactor_no_change", "json");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"clean\""));
  EXPECT_THAT(r.out, HasSubstr("\"comments\": []"));
  // The exact analysis of free variables finds no difference either.
  CommandRun exact =
      Review({"--base", Root() + "/refactor_no_change/base", "--head",
              Root() + "/refactor_no_change/head", "--exact-variables"});
  EXPECT_EQ(exact.code, 0) << exact.err;
  EXPECT_EQ(exact.out, r.out);
}

TEST(ReviewCommandTest, FingerprintsIgnoreLineMoves) {
  // The same problem on another line keeps its fingerprint: compare the
  // scan case with itself reviewed against a base that is the head.
  CommandRun a = ReviewCase("scan_without_permission", "json");
  std::size_t at = a.out.find("\"fingerprint\": \"");
  ASSERT_NE(at, std::string::npos);
  const std::string fingerprint = a.out.substr(at + 16, 16);
  CommandRun b = ReviewCase("scan_without_permission", "sarif");
  EXPECT_THAT(
      b.out, HasSubstr("\"leastprivFingerprint/v1\": \"" + fingerprint + "\""));
}

TEST(ReviewCommandTest, SarifAndMarkdown) {
  CommandRun r = ReviewCase("cfn_delete_table", "sarif");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("\"version\": \"2.1.0\""));
  EXPECT_THAT(r.out, HasSubstr("\"ruleId\": \"new-access\""));
  EXPECT_THAT(r.out, HasSubstr("\"uri\": \"infra/template.yaml\""));
  EXPECT_THAT(r.out, HasSubstr("\"level\": \"warning\""));

  r = ReviewCase("scan_without_permission", "markdown");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("## leastpriv review"));
  EXPECT_THAT(r.out, HasSubstr("| newly missing | 1 |"));
  EXPECT_THAT(r.out, HasSubstr("`app/orders.py:"));
}

TEST(ReviewCommandTest, UnusableInput) {
  CommandRun r = Review({"--base", Root() + "/widen_to_star/base"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--base and --head are required"));

  r = Review({"--base", Root() + "/no_such_dir", "--head",
              Root() + "/widen_to_star/head"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no_such_dir: not a directory"));

  r = Review({"--base", Root() + "/widen_to_star/base", "--head",
              Root() + "/widen_to_star/head", "--config", "missing.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("missing.json: no such file"));

  r = Review({"--base", Root() + "/widen_to_star/base", "--head",
              Root() + "/widen_to_star/head", "--config", "iam/role.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("iam/role.json:2:3: unknown member "
                               "\"Version\""));

  r = Review({"--base", Root() + "/widen_to_star/base", "--head",
              Root() + "/widen_to_star/head", "--format", "xml"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--format must be json, sarif or markdown"));

  r = Review({"--base", Root() + "/widen_to_star/base", "--head",
              Root() + "/widen_to_star/head", "--rlimit", "0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: --rlimit expects a positive "
                               "integer, not \"0\"\n"));
}

TEST(ReviewCommandTest, SolverLimitIsExitThree) {
  CommandRun r = Review({"--base", Root() + "/condition_removed/base", "--head",
                         Root() + "/condition_removed/head", "--rlimit", "1"});
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"unknown\""));
}

}  // namespace
}  // namespace leastpriv
