// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv scan` over the fixture projects in
// testdata/django: the JSON output must equal each project's expected.json.

#include "tools/leastpriv/scan/scan_command.h"

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

using ::testing::HasSubstr;

const char* const kFixtures[] = {
    "boto3_client",
    "resource_table",
    "table_names",
    "helpers_factories",
    "transactions",
    "partiql",
    "pynamodb_basic",
    "pynamodb_indexes",
    "django_backends",
    "secrets_debug",
    "tests_migrations",
    "bad_input",
    // The patterns of public projects (see testdata/realworld/).
    "realworld_connections",
    "realworld_repositories",
    "realworld_pynamodb",
    "realworld_names",
    "realworld_requests",
    "realworld_lazy",
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Bazel's runfiles are symlinks into the source tree, which the scanner
// rightly refuses to follow out of the scanned root: scan a real copy.
std::string Fixture(const std::string& name) {
  namespace fs = std::filesystem;
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dst = fs::path(tmp != nullptr ? tmp : "/tmp") / "fixtures" / name;
  if (!fs::exists(dst)) {
    fs::create_directories(dst.parent_path());
    fs::copy(fs::path("testdata/django") / name, dst,
             fs::copy_options::recursive);
  }
  return dst.string();
}

struct ScanRun {
  int status;
  std::string out, err;
};

ScanRun Scan(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int status = RunScanCommand(args, out, err);
  return {status, out.str(), err.str()};
}

class GoldenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenTest, JsonMatchesExpected) {
  std::string dir = Fixture(GetParam());
  std::string expected = ReadFile(dir + "/expected.json");
  ASSERT_FALSE(expected.empty()) << dir;
  ScanRun r = Scan({dir, "--format", "json"});
  EXPECT_EQ(r.out, expected) << dir;
  EXPECT_NE(r.status, 2);
  // Byte-identical whatever the number of parsing threads.
  for (const char* jobs : {"2", "3", "8"}) {
    ScanRun p = Scan({dir, "--format", "json", "--jobs", jobs});
    EXPECT_EQ(p.out, expected) << dir << " --jobs " << jobs;
    EXPECT_EQ(p.err, r.err) << dir << " --jobs " << jobs;
    EXPECT_EQ(p.status, r.status) << dir << " --jobs " << jobs;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenTest, ::testing::ValuesIn(kFixtures));

TEST(ScanCommandTest, TextFormatListsOperationsWithPositions) {
  ScanRun r = Scan({Fixture("boto3_client")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("shop/views.py:29: dynamodb:Query table Orders "
                               "index ByCustomer\n"));
  EXPECT_THAT(r.out, HasSubstr("19 operations, 0 findings, 1 files scanned"));
}

TEST(ScanCommandTest, FindingsGiveExitOne) {
  ScanRun r = Scan({Fixture("secrets_debug")});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, HasSubstr("[aws-access-key-id] hard-coded AWS access key "
                               "id AKIA…MPLE"));
  EXPECT_EQ(r.out.find("AKIAIOSFODNN7EXAMPLE"), std::string::npos);
  EXPECT_EQ(r.out.find("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            std::string::npos);
}

TEST(ScanCommandTest, ParseErrorsArePositionedAndRestIsScanned) {
  ScanRun r = Scan({Fixture("bad_input")});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: legacy/old.py:5: missing "
                               "parentheses in call to 'print' (a Python 2 "
                               "statement)\n"));
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: legacy/nul.py:3: source "
                               "contains a NUL byte\n"));
  EXPECT_THAT(r.err, HasSubstr("leastpriv: error: legacy/latin1.py:2: invalid "
                               "UTF-8\n"));
  EXPECT_THAT(r.out, HasSubstr("legacy/good.py:3: dynamodb:Scan table "
                               "StillScanned"));
}

TEST(ScanCommandTest, IncludeTestsScansTestsAndMigrations) {
  ScanRun without = Scan({Fixture("tests_migrations")});
  EXPECT_THAT(without.out, HasSubstr("1 operations, 0 findings, 1 files "
                                     "scanned, 3 test/migration files "
                                     "skipped"));
  ScanRun with = Scan({Fixture("tests_migrations"), "--include-tests"});
  EXPECT_THAT(with.out, HasSubstr("app/tests/test_views.py:5: dynamodb:PutItem "
                                  "table TestTable\n"));
  EXPECT_THAT(with.out, HasSubstr("app/migrations/0001_initial.py:5: "
                                  "dynamodb:CreateTable table Live\n"));
  EXPECT_THAT(with.out, HasSubstr("app/test_utils.py:3: dynamodb:DeleteTable "
                                  "table Live\n"));
  EXPECT_THAT(with.out, HasSubstr("4 files scanned, 0 test/migration"));
}

// A virtualenv and an installed-packages directory beside the project.
std::string VendoredProject() {
  namespace fs = std::filesystem;
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path root = fs::path(tmp != nullptr ? tmp : "/tmp") / "vendored";
  fs::remove_all(root);
  auto write = [&](const std::string& rel, const std::string& text) {
    fs::path p = root / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  };
  auto scan = [](const std::string& table) {
    return "import boto3\nboto3.client('dynamodb').scan(TableName='" + table +
           "')\n";
  };
  write("app/views.py", scan("Own"));
  write(".venv/pyvenv.cfg", "home = /usr/bin\n");
  write(".venv/lib/python3.11/site-packages/pkg/mod.py", scan("Venv"));
  write("vendor/site-packages/pkg/mod.py", scan("Site"));
  return root.string();
}

TEST(ScanCommandTest, VendoredDirectoriesAreSkippedUnlessIncluded) {
  std::string dir = VendoredProject();
  ScanRun text = Scan({dir});
  EXPECT_EQ(text.status, 0) << text.err;
  EXPECT_EQ(text.out,
            "app/views.py:2: dynamodb:Scan table Own\n"
            "1 operations, 0 findings, 1 files scanned, 0 test/migration "
            "files skipped, 2 vendored directories skipped "
            "(--include-vendored scans them), 0 errors\n");
  ScanRun json = Scan({dir, "--format", "json"});
  EXPECT_THAT(json.out, HasSubstr("\"skipped_files\": 0,\n"
                                  "  \"skipped_vendored_directories\": 2,\n"
                                  "  \"errors\": []\n"));
  ScanRun with = Scan({dir, "--include-vendored"});
  EXPECT_THAT(with.out, HasSubstr(".venv/lib/python3.11/site-packages/pkg/"
                                  "mod.py:2: dynamodb:Scan table Venv\n"));
  EXPECT_THAT(with.out, HasSubstr("vendor/site-packages/pkg/mod.py:2: "
                                  "dynamodb:Scan table Site\n"));
  EXPECT_THAT(with.out,
              HasSubstr("3 operations, 0 findings, 3 files scanned, "
                        "0 test/migration files skipped, 0 errors\n"));
  ScanRun with_json = Scan({dir, "--format", "json", "--include-vendored"});
  EXPECT_EQ(with_json.out.find("skipped_vendored_directories"),
            std::string::npos);
}

// The JSON report is written an operation at a time: it reads as the
// serializer writes the whole document, with and without operations.
TEST(ScanCommandTest, JsonReportIsWhatTheSerializerWrites) {
  std::string dir = VendoredProject();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{dir, "--format", "json"},
        std::vector<std::string>{dir, "--format", "json", "--include-vendored"},
        std::vector<std::string>{dir + "/app", "--format", "json",
                                 "--include-vendored"},
        std::vector<std::string>{dir + "/.venv", "--format", "json"}}) {
    ScanRun r = Scan(args);
    ASSERT_FALSE(r.out.empty()) << r.err;
    absl::StatusOr<json::Value> parsed = json::Parse(r.out);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(json::Serialize(*parsed, 2) + "\n", r.out);
  }
  ScanRun none = Scan({dir + "/.venv", "--format", "json"});
  EXPECT_THAT(none.out, HasSubstr("{\n  \"operations\": [],\n"));
  ScanRun three = Scan({dir, "--format", "json", "--include-vendored"});
  EXPECT_THAT(three.out, HasSubstr("{\n  \"operations\": [\n    {\n      "
                                   "\"action\": \"dynamodb:Scan\",\n"));
}

TEST(ScanCommandTest, MaxMemoryIsExitThreeNamingTheLimit) {
  std::string dir = Fixture("boto3_client");
  ScanRun small = Scan({dir, "--max-memory", "100"});
  EXPECT_EQ(small.status, 3);
  EXPECT_EQ(small.out, "");
  EXPECT_EQ(small.err, "leastpriv: error: " + dir +
                           ": the scan needs more than 100 bytes of memory "
                           "(max_memory: source and syntax trees of the "
                           "files to scan); refusing to scan a partial "
                           "tree\n");
  ScanRun large = Scan({dir, "--max-memory", "100000000", "--jobs", "2"});
  EXPECT_EQ(large.status, 0) << large.err;
  EXPECT_THAT(large.out, HasSubstr("19 operations, 0 findings"));
  for (const char* flag : {"--jobs", "--max-memory"}) {
    for (const char* bad : {"0", "-1", "lots"}) {
      ScanRun r = Scan({dir, flag, bad});
      EXPECT_EQ(r.status, 2);
      EXPECT_THAT(r.err, HasSubstr(std::string("leastpriv: error: ") + flag +
                                   " expects a positive integer"));
    }
    ScanRun r = Scan({dir, flag});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr(std::string(flag) + " needs a value"));
  }
}

// Runs `fn` with file descriptor 2 pointing at `fd`, then restores it.
template <typename Fn>
void WithStderrOn(int fd, Fn fn) {
  int saved = dup(STDERR_FILENO);
  ASSERT_GE(saved, 0);
  ASSERT_EQ(dup2(fd, STDERR_FILENO), STDERR_FILENO);
  fn();
  dup2(saved, STDERR_FILENO);
  close(saved);
}

TEST(ScanCommandTest, NoProgressWhenStderrIsNotATerminal) {
  std::string dir = Fixture("boto3_client");
  const std::string expected = ReadFile(dir + "/expected.json");
  int devnull = open("/dev/null", O_WRONLY);
  ASSERT_GE(devnull, 0);
  WithStderrOn(devnull, [&] {
    EXPECT_FALSE(StderrIsTerminal());
    ScanRun r = Scan({dir, "--format", "json"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, expected);
    EXPECT_EQ(r.err, "");
  });
  close(devnull);
}

TEST(ScanCommandTest, ProgressOnATerminalUnlessTurnedOff) {
  int master = -1;
  int slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::string dir = Fixture("boto3_client");
  const std::string expected = ReadFile(dir + "/expected.json");
  WithStderrOn(slave, [&] {
    ASSERT_TRUE(StderrIsTerminal());
    ScanRun shown = Scan({dir, "--format", "json"});
    EXPECT_EQ(shown.status, 0);
    EXPECT_EQ(shown.out, expected);
    EXPECT_THAT(shown.err, HasSubstr("\rleastpriv: scan: walking"));
    EXPECT_THAT(shown.err, HasSubstr("\rleastpriv: scan: parsing 0/"));
    EXPECT_THAT(shown.err, HasSubstr("\rleastpriv: scan: analysing 0/"));
    // The line is cleared before anything else is written.
    EXPECT_EQ(shown.err.substr(shown.err.size() - 4), "\r\x1b[K");
    ScanRun off = Scan({dir, "--format", "json", "--no-progress"});
    EXPECT_EQ(off.status, 0);
    EXPECT_EQ(off.out, expected);
    EXPECT_EQ(off.err, "");
  });
  close(slave);
  close(master);
}

TEST(ScanCommandTest, UsageErrors) {
  ScanRun none = Scan({});
  EXPECT_EQ(none.status, 2);
  EXPECT_THAT(none.err, HasSubstr("leastpriv: error: no directory given\n"));
  ScanRun fmt = Scan({Fixture("partiql"), "--format", "xml"});
  EXPECT_EQ(fmt.status, 2);
  EXPECT_THAT(fmt.err, HasSubstr("unknown format 'xml'"));
  ScanRun opt = Scan({Fixture("partiql"), "--frobnicate"});
  EXPECT_EQ(opt.status, 2);
  EXPECT_THAT(opt.err, HasSubstr("unknown option '--frobnicate'"));
  ScanRun missing = Scan({"testdata/django/no_such_project"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_THAT(missing.err, HasSubstr("leastpriv: error: "
                                     "testdata/django/no_such_project: No "
                                     "such file or directory\n"));
  ScanRun file = Scan({Fixture("partiql") + "/reports/queries.py"});
  EXPECT_EQ(file.status, 2);
  EXPECT_THAT(file.err, HasSubstr("not a directory"));
}

}  // namespace
}  // namespace leastpriv
