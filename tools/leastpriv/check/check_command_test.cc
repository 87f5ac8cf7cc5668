// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// End-to-end tests of `leastpriv check` over the cases in testdata/check
// (golden reports in every format) and the bundled example, and the
// diagnostics for unusable input.

#include "tools/leastpriv/check/check_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const char* const kCases[] = {
    "clean",
    "star",
    "get_wildcards",
    "not_action",
    "deny_breaks",
    "boundary",
    "scp",
    "gsi",
    "leading_keys",
    "public_table",
    "bound_names",
    "findings",
    "tenant_isolation",
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Bazel's runfiles are symlinks into the source tree, which the scanner
// rightly refuses to follow out of the scanned root: work on a real copy.
// A case that names a bundled example (a file `example`, see
// testdata/check/BUILD.bazel) gets it as app/ and its role.json.
fs::path Copy(const fs::path& from, const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dst = fs::path(tmp != nullptr ? tmp : "/tmp") / "check" / name;
  if (!fs::exists(dst)) {
    fs::create_directories(dst.parent_path());
    fs::copy(from, dst, fs::copy_options::recursive);
    if (fs::exists(dst / "example")) {
      const fs::path example = Lines(ReadFile(dst / "example")).at(0);
      fs::copy(example, dst / "app", fs::copy_options::recursive);
      fs::copy(example / "role.json", dst / "role.json");
    }
  }
  return dst;
}

struct CommandRun {
  int status;
  std::string out, err;
};

// Runs the command with `dir` as the working directory, as a user would
// from the repository root.
CommandRun Check(const fs::path& dir, std::vector<std::string> args) {
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  std::ostringstream out, err;
  int status = RunCheckCommand(args, out, err);
  fs::current_path(cwd);
  return {status, out.str(), err.str()};
}

class GoldenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenTest, ReportsMatchGoldens) {
  const fs::path source = fs::path("testdata/check") / GetParam();
  const fs::path dir = Copy(source, GetParam());
  std::vector<std::string> args = Lines(ReadFile(dir / "args"));
  ASSERT_FALSE(args.empty());
  const int expected_status = std::atoi(ReadFile(dir / "exit_status").c_str());

  std::vector<std::string> json_args = args;
  json_args.insert(json_args.end(), {"--format", "json"});
  CommandRun r = Check(dir, json_args);
  EXPECT_EQ(r.status, expected_status) << r.err;
  EXPECT_EQ(r.out, ReadFile(dir / "expected.json"));
  EXPECT_EQ(r.err, "");

  if (fs::exists(dir / "formats")) {
    for (const std::string& line : Lines(ReadFile(dir / "formats"))) {
      std::istringstream in(line);
      std::string format, ext;
      in >> format >> ext;
      std::vector<std::string> a = args;
      a.insert(a.end(), {"--format", format});
      CommandRun f = Check(dir, a);
      EXPECT_EQ(f.status, expected_status) << format;
      EXPECT_EQ(f.out, ReadFile(dir / ("expected." + ext))) << format;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(kCases));

// The golden files themselves must say what each case is about: these
// checks keep a regenerated golden from silently losing the point.
json::Value Report(const char* name, std::vector<std::string> extra = {}) {
  const fs::path dir = Copy(fs::path("testdata/check") / name, name);
  std::vector<std::string> args = Lines(ReadFile(dir / "args"));
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {"--format", "json"});
  CommandRun r = Check(dir, args);
  absl::StatusOr<json::Value> v = json::Parse(r.out);
  EXPECT_TRUE(v.ok()) << r.out << r.err;
  return v.ok() ? *v : json::Value();
}

std::vector<std::string> Field(const json::Value& report, const char* list,
                               const char* field) {
  std::vector<std::string> out;
  for (const json::Value& item : report.Find(list)->array()) {
    out.push_back(item.Find(field)->string_value());
  }
  return out;
}

TEST(CheckCommandTest, CleanPolicyIsVerifiedWithNothingToReport) {
  json::Value r = Report("clean");
  EXPECT_EQ(r.Find("missing")->array().size(), 0u);
  EXPECT_EQ(r.Find("excess")->array().size(), 0u);
  EXPECT_TRUE(r.Find("verified")->bool_value());
  EXPECT_EQ(r.Find("verification")->string_value(),
            "verified: covers all 3 used operations; grants nothing beyond "
            "them");
}

// The multi-tenant set-up of testdata/examples/tenants: one table isolated
// by LeadingKeys, one leaking through Scan; decided, no undecided question.
TEST(CheckCommandTest, TenantIsolationPerTable) {
  json::Value r = Report("tenant_isolation");
  EXPECT_TRUE(r.Find("unknown")->array().empty());
  EXPECT_EQ(Field(r, "tenant_isolation", "table"),
            (std::vector<std::string>{"tenant-events", "tenant-notes"}));
  EXPECT_EQ(Field(r, "tenant_isolation", "isolated"),
            (std::vector<std::string>{"no", "yes"}));
  const json::Value& leak = r.Find("tenant_isolation")->array()[0];
  EXPECT_EQ(leak.Find("tenant_key")->string_value(), "aws:PrincipalTag/tenant");
  EXPECT_EQ(leak.Find("witness")->Find("action")->string_value(),
            "dynamodb:Scan");
  EXPECT_EQ(leak.Find("statement")->Find("sid")->string_value(), "OwnEvents");
  // Policies that compare LeadingKeys with no variable get no answer.
  EXPECT_EQ(Report("leading_keys").Find("tenant_isolation"), nullptr);
}

TEST(CheckCommandTest, DenyBreakingAUsedOperationIsNamed) {
  json::Value r = Report("deny_breaks");
  ASSERT_EQ(r.Find("missing")->array().size(), 1u);
  const json::Value& m = r.Find("missing")->array()[0];
  EXPECT_EQ(m.Find("action")->string_value(), "dynamodb:PutItem");
  EXPECT_THAT(m.Find("cause")->string_value(),
              HasSubstr("\"ReadOnlyFreeze\" at role.json:5:5"));
  EXPECT_EQ(m.Find("evidence")->array()[0].string_value(),
            "app/orders/store.py:12");
  EXPECT_FALSE(r.Find("verified")->bool_value());
}

TEST(CheckCommandTest, BoundaryAndScpAreNamedAsCauses) {
  EXPECT_THAT(Field(Report("boundary"), "missing", "cause"),
              ::testing::ElementsAre(HasSubstr("permissions boundary")));
  EXPECT_THAT(Field(Report("scp"), "missing", "cause"),
              ::testing::ElementsAre(HasSubstr("SCP level 1")));
}

TEST(CheckCommandTest, GsiQueryNeedsTheIndexArn) {
  json::Value r = Report("gsi");
  EXPECT_THAT(Field(r, "missing", "resource"),
              ::testing::ElementsAre(
                  "arn:aws:dynamodb:us-east-1:111122223333:table/orders/"
                  "index/by-customer"));
  // The suggestion grants the index and is proved.
  EXPECT_TRUE(r.Find("verified")->bool_value());
  EXPECT_THAT(json::Serialize(*r.Find("suggested_policy"), -1),
              HasSubstr("table/orders/index/by-customer"));
}

TEST(CheckCommandTest, LeadingKeysConditionIsReportedAndKept) {
  json::Value r = Report("leading_keys");
  EXPECT_THAT(Field(r, "conditional", "only_if"),
              ::testing::Each(HasSubstr("dynamodb:LeadingKeys")));
  EXPECT_THAT(json::Serialize(*r.Find("suggested_policy"), -1),
              HasSubstr("\"ForAllValues:StringEquals\""));
  EXPECT_TRUE(r.Find("verified")->bool_value());
}

TEST(CheckCommandTest, StarOnStarIsMostlyExcess) {
  json::Value r = Report("star");
  std::set<std::string> risks;
  bool untouched = false;
  for (const json::Value& e : r.Find("excess")->array()) {
    risks.insert(e.Find("risk")->string_value());
    untouched |= e.Find("untouched_table")->bool_value();
  }
  EXPECT_EQ(risks, (std::set<std::string>{"destructive", "data-exposure",
                                          "write", "read"}));
  EXPECT_TRUE(untouched);
  EXPECT_TRUE(r.Find("verified")->bool_value());
}

TEST(CheckCommandTest, FailOnThreshold) {
  const fs::path dir = Copy("testdata/check/get_wildcards", "get_wildcards");
  std::vector<std::string> args = Lines(ReadFile(dir / "args"));
  std::vector<std::string> any = args, write = args;
  write.insert(write.end(), {"--fail-on", "write"});
  EXPECT_EQ(Check(dir, any).status, 1);  // GetResourcePolicy is excess
  EXPECT_EQ(Check(dir, write).status, 0);
}

// A table one tenant can reach another's items in counts as data
// exposure; --fail-on tenant-isolation fails on such tables (and missing
// operations) only.
TEST(CheckCommandTest, TenantLeakCountsTowardFailOn) {
  auto status = [](const char* name, const char* level) {
    const fs::path dir = Copy(fs::path("testdata/check") / name, name);
    std::vector<std::string> args = Lines(ReadFile(dir / "args"));
    args.insert(args.end(), {"--fail-on", level});
    return Check(dir, args).status;
  };
  // tenant-events leaks through a Scan; the excess is data-exposure
  // (Scan) and write (DeleteItem), nothing destructive or missing.
  EXPECT_EQ(status("tenant_isolation", "tenant-isolation"), 1);
  EXPECT_EQ(status("tenant_isolation", "data-exposure"), 1);
  EXPECT_EQ(status("tenant_isolation", "destructive"), 0);
  EXPECT_EQ(status("tenant_isolation", "missing"), 0);
  // No tenant set-up: the write excess does not count at that level.
  EXPECT_EQ(status("leading_keys", "tenant-isolation"), 0);
  EXPECT_EQ(status("leading_keys", "write"), 1);

  const fs::path dir =
      Copy("testdata/check/tenant_isolation", "tenant_isolation");
  std::vector<std::string> args = Lines(ReadFile(dir / "args"));
  args.insert(args.end(), {"--fail-on", "tenants"});
  CommandRun r = Check(dir, args);
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(
      r.err,
      HasSubstr("\"tenants\" is not one of any, read, write, data-exposure, "
                "destructive, tenant-isolation, missing"));
  r = Check(dir, {"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.out, HasSubstr("--fail-on LEVEL"));
  EXPECT_THAT(r.out, HasSubstr("tenant-isolation|missing"));
}

TEST(CheckCommandTest, PublicTablePolicyIsAFinding) {
  json::Value r = Report("public_table");
  EXPECT_THAT(Field(r, "findings", "id"),
              ::testing::ElementsAre("public-table-policy",
                                     "cross-account-table-policy"));
}

TEST(CheckCommandTest, ConfigBindsSettingsAndEnvironmentNames) {
  json::Value r = Report("bound_names");
  EXPECT_THAT(Field(r, "used", "table"),
              ::testing::UnorderedElementsAre("prod-invoices", "prod-ledger"));
}

TEST(CheckCommandTest, BundledExampleShowsExcessAndAMissingIndex) {
  const fs::path dir = Copy("testdata/examples/shop", "example/shop");
  CommandRun r = Check(dir.parent_path(),
                       {"--code", "shop", "--policy", "shop/role.json"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_THAT(r.out, StartsWith("FAIL: "));
  EXPECT_THAT(r.out, HasSubstr("  shop/role.json:33 (Operations): 5 pairs\n"
                               "    destructive    DeleteTable on every "
                               "table  (4 pairs)\n"));
  EXPECT_THAT(r.out, HasSubstr("  shop/role.json:4 (OrdersReadWrite): 4 pairs\n"
                               "    data-exposure  Scan on table/shop-orders, "
                               "table/shop-orders/index/*  (2 pairs)\n"));
  EXPECT_THAT(r.out, HasSubstr("table/shop-products/index/ByCategory\n"
                               "    used at shop/catalog/views.py:15\n"));
  EXPECT_THAT(r.out, HasSubstr("suggested policy (verified: covers all"));
}

// A structural validation of the SARIF 2.1.0 requirements leastpriv relies
// on (sarif-schema-2.1.0: sarifLog, run, tool, reportingDescriptor, result,
// location, physicalLocation, region).
void ExpectValidSarif(const std::string& text) {
  absl::StatusOr<json::Value> doc = json::Parse(text);
  ASSERT_TRUE(doc.ok()) << doc.status();
  ASSERT_TRUE(doc->is_object());
  ASSERT_NE(doc->Find("version"), nullptr);
  EXPECT_EQ(doc->Find("version")->string_value(), "2.1.0");
  ASSERT_NE(doc->Find("$schema"), nullptr);
  EXPECT_THAT(doc->Find("$schema")->string_value(), HasSubstr("sarif-2.1.0"));
  const json::Value* runs = doc->Find("runs");
  ASSERT_TRUE(runs != nullptr && runs->is_array());
  ASSERT_EQ(runs->array().size(), 1u);
  const json::Value& run = runs->array()[0];
  const json::Value* driver = run.Find("tool")->Find("driver");
  ASSERT_NE(driver, nullptr);
  EXPECT_TRUE(driver->Find("name")->is_string());
  const json::Value* rules = driver->Find("rules");
  ASSERT_TRUE(rules != nullptr && rules->is_array());
  std::vector<std::string> rule_ids;
  for (const json::Value& rule : rules->array()) {
    ASSERT_TRUE(rule.Find("id")->is_string());
    rule_ids.push_back(rule.Find("id")->string_value());
    EXPECT_TRUE(rule.Find("shortDescription")->Find("text")->is_string());
    const std::string level =
        rule.Find("defaultConfiguration")->Find("level")->string_value();
    EXPECT_THAT(level, ::testing::AnyOf("none", "note", "warning", "error"));
  }
  EXPECT_EQ(std::set<std::string>(rule_ids.begin(), rule_ids.end()).size(),
            rule_ids.size());
  const json::Value* results = run.Find("results");
  ASSERT_TRUE(results != nullptr && results->is_array());
  auto check_location = [](const json::Value& loc) {
    const json::Value* phys = loc.Find("physicalLocation");
    ASSERT_NE(phys, nullptr);
    const json::Value* uri = phys->Find("artifactLocation")->Find("uri");
    ASSERT_TRUE(uri != nullptr && uri->is_string());
    EXPECT_FALSE(uri->string_value().empty());
    const json::Value* line = phys->Find("region")->Find("startLine");
    ASSERT_TRUE(line != nullptr && line->is_number());
    EXPECT_GE(line->number_value(), 1);
  };
  for (const json::Value& res : results->array()) {
    const std::string id = res.Find("ruleId")->string_value();
    const int index = static_cast<int>(res.Find("ruleIndex")->number_value());
    ASSERT_GE(index, 0);
    ASSERT_LT(index, static_cast<int>(rule_ids.size()));
    EXPECT_EQ(rule_ids[index], id);
    EXPECT_THAT(res.Find("level")->string_value(),
                ::testing::AnyOf("none", "note", "warning", "error"));
    EXPECT_TRUE(res.Find("message")->Find("text")->is_string());
    for (const json::Value& loc : res.Find("locations")->array()) {
      check_location(loc);
    }
    if (const json::Value* related = res.Find("relatedLocations")) {
      for (const json::Value& loc : related->array()) {
        EXPECT_TRUE(loc.Find("id")->is_number());
        check_location(loc);
      }
    }
  }
}

TEST(CheckCommandTest, SarifIsStructurallyValidWithCodeAndPolicyLocations) {
  for (const char* name : {"deny_breaks", "findings", "star", "gsi"}) {
    const fs::path dir = Copy(fs::path("testdata/check") / name, name);
    std::vector<std::string> args = Lines(ReadFile(dir / "args"));
    args.insert(args.end(), {"--format", "sarif"});
    CommandRun r = Check(dir, args);
    SCOPED_TRACE(name);
    ExpectValidSarif(r.out);
  }
  const fs::path dir = Copy("testdata/check/deny_breaks", "deny_breaks");
  CommandRun r = Check(
      dir, {"--code", "app", "--policy", "role.json", "--format", "sarif"});
  EXPECT_THAT(r.out, HasSubstr("\"uri\": \"app/orders/store.py\""));
  EXPECT_THAT(r.out, HasSubstr("\"uri\": \"role.json\""));
}

TEST(CheckCommandTest, OutputFileReceivesTheReport) {
  const fs::path dir = Copy("testdata/check/clean", "clean");
  CommandRun r = Check(dir, {"--code", "app", "--policy", "role.json",
                             "--output", "report.md", "--format", "markdown"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(ReadFile(dir / "report.md"),
              StartsWith("### leastpriv check: passes\n"));
}

TEST(CheckCommandTest, SolverUnknownIsExitThreeAndNeverMissing) {
  // Without --exact-variables, a resource naming two policy variables the
  // scope leaves free is beyond the engine: it answers "unknown" for the
  // actions it guards, and the check must not turn that into "missing" or
  // "not reachable".
  const fs::path dir = Copy("testdata/check/clean", "unknown");
  std::ofstream(dir / "dated.json") << R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
    "Resource": [
      "arn:aws:dynamodb:us-east-1:111122223333:table/${aws:PrincipalTag/a}${aws:PrincipalTag/b}",
      "arn:aws:dynamodb:us-east-1:111122223333:table/${aws:PrincipalTag/a}${aws:PrincipalTag/b}/index/*"]
  }]
})";
  CommandRun r = Check(dir, {"--code", "app", "--policy", "dated.json",
                             "--format", "json", "--no-exact-variables"});
  EXPECT_EQ(r.status, 3) << r.err;
  absl::StatusOr<json::Value> v = json::Parse(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  EXPECT_EQ(v->Find("missing")->array().size(), 0u);
  EXPECT_FALSE(v->Find("verified")->bool_value());
  EXPECT_THAT(
      json::Serialize(*v->Find("unknown"), -1),
      HasSubstr("dynamodb:GetItem on "
                "arn:aws:dynamodb:us-east-1:111122223333:table/orders"));
  for (const json::Value& u : v->Find("used")->array()) {
    EXPECT_EQ(u.Find("allowed")->string_value(), "unknown");
  }
}

// Unusable input: exit 2 and one diagnostic line.
TEST(CheckCommandTest, MissingDirectory) {
  const fs::path dir = Copy("testdata/check/clean", "clean");
  CommandRun r = Check(dir, {"--code", "no-such-dir", "--policy", "role.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: "));
  EXPECT_THAT(r.err, HasSubstr("no-such-dir"));
  EXPECT_EQ(r.out, "");
}

// A virtualenv inside the code directory is not the project's code: its
// operations count only with --include-vendored.
TEST(CheckCommandTest, VendoredDirectoriesAreSkippedUnlessIncluded) {
  const fs::path dir = Copy("testdata/check/clean", "clean_vendored");
  const fs::path venv = dir / "app" / ".venv";
  fs::create_directories(venv / "lib/python3.11/site-packages/pkg");
  std::ofstream(venv / "pyvenv.cfg") << "home = /usr/bin\n";
  std::ofstream(venv / "lib/python3.11/site-packages/pkg/mod.py")
      << "import boto3\nboto3.client('dynamodb').delete_table("
         "TableName='orders')\n";
  const std::vector<std::string> args = {"--code",    "app",      "--policy",
                                         "role.json", "--format", "json"};
  CommandRun r = Check(dir, args);
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> with = args;
  with.push_back("--include-vendored");
  r = Check(dir, with);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("dynamodb:DeleteTable"));
}

TEST(CheckCommandTest, BadBindSyntax) {
  const fs::path dir = Copy("testdata/check/clean", "clean");
  CommandRun r = Check(dir, {"--code", "app", "--policy", "role.json", "--bind",
                             "ORDERS=orders"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --bind expects "
                                "env:NAME=TABLE or settings:NAME=TABLE, not "
                                "\"ORDERS=orders\"\n"));
  r = Check(dir, {"--code", "app", "--policy", "role.json", "--bind",
                  "env:ORDERS=no tables"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("is not a DynamoDB table name"));
}

TEST(CheckCommandTest, MissingAccountAndRegion) {
  const fs::path dir = Copy("testdata/check/star", "star");
  CommandRun r = Check(dir, {"--code", "app", "--policy", "role.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: the account of the tables is not known: pass "
            "--account ID or set \"account\" in leastpriv.json (no table ARN "
            "in the policies names an account)\n");
  r = Check(dir, {"--code", "app", "--policy", "role.json", "--account",
                  "111122223333"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("the region of the tables is not known: pass "
                               "--region NAME"));
}

TEST(CheckCommandTest, UnboundEnvironmentTable) {
  const fs::path dir = Copy("testdata/check/bound_names", "bound_names");
  CommandRun r = Check(
      dir, {"--code", "app", "--policy", "role.json", "--config", "role.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("role.json:2:3: unknown member \"Version\""));
  fs::remove(dir / "app/leastpriv.json.off");
  fs::rename(dir / "app/leastpriv.json", dir / "app/leastpriv.json.off");
  r = Check(dir, {"--code", "app", "--policy", "role.json"});
  fs::rename(dir / "app/leastpriv.json.off", dir / "app/leastpriv.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: app/billing/invoices.py:12: the table of "
            "dynamodb:GetItem is env:INVOICES_TABLE, which has no "
            "binding (add --bind env:INVOICES_TABLE=TABLE or a "
            "\"bindings\" entry in leastpriv.json)\n");
}

TEST(CheckCommandTest, UsageErrors) {
  const fs::path dir = Copy("testdata/check/clean", "clean");
  EXPECT_EQ(Check(dir, {"--policy", "role.json"}).status, 2);
  CommandRun r =
      Check(dir, {"--code", "app", "--policy", "role.json", "--format", "xml"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("--format must be text, json, sarif or "
                               "markdown"));
  r = Check(dir, {"--code", "app", "--policy", "missing.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: missing.json"));
}

// ---------------------------------------------------------------------------
// SCP and RCP levels of several documents.

constexpr char kFullAccess[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
})";

// `aws organizations describe-policy` output of a deny list (the document
// is a JSON string).
constexpr char kDescribedDenyList[] = R"({
  "Policy": {
    "PolicySummary": {
      "Id": "p-denytable",
      "Arn": "arn:aws:organizations::111122223333:policy/o-abc/service_control_policy/p-denytable",
      "Name": "DenyTableDeletes",
      "Type": "SERVICE_CONTROL_POLICY",
      "AwsManaged": false
    },
    "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoTableDeletes\",\"Effect\":\"Deny\",\"Action\":\"dynamodb:DeleteTable\",\"Resource\":\"*\"}]}"
  }
})";

constexpr char kDescribedFullAccess[] = R"({
  "Policy": {
    "PolicySummary": {
      "Id": "p-FullAWSAccess",
      "Name": "FullAWSAccess",
      "Type": "SERVICE_CONTROL_POLICY",
      "AwsManaged": true
    },
    "Content": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"
  }
})";

// `aws organizations list-policies-for-target` output for the OU.
constexpr char kListedForOu[] = R"({
  "Policies": [
    {"Id": "p-FullAWSAccess", "Name": "FullAWSAccess", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": true},
    {"Id": "p-denytable", "Name": "DenyTableDeletes", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false}
  ]
})";

class ScpLevelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // testdata/check/scp: the role grants GetItem, PutItem and DeleteTable
    // on orders; scp.json allows reads and DeleteTable only.
    dir_ = Copy("testdata/check/scp", "scp_levels");
    std::ofstream(dir_ / "full.json") << kFullAccess;
    std::ofstream(dir_ / "p-denytable.json") << kDescribedDenyList;
    std::ofstream(dir_ / "p-FullAWSAccess.json") << kDescribedFullAccess;
    std::ofstream(dir_ / "ou.json") << kListedForOu;
  }

  json::Value Run(std::vector<std::string> scps, int expected_status) {
    std::vector<std::string> args = {"--code",    "app",      "--policy",
                                     "role.json", "--format", "json"};
    for (const std::string& level : scps) {
      args.insert(args.end(), {"--scp", level});
    }
    CommandRun r = Check(dir_, args);
    EXPECT_EQ(r.status, expected_status) << r.err;
    EXPECT_EQ(r.err, "");
    absl::StatusOr<json::Value> v = json::Parse(r.out);
    EXPECT_TRUE(v.ok()) << r.out;
    return v.ok() ? *v : json::Value::Object({});
  }

  CommandRun RunError(std::vector<std::string> args) {
    std::vector<std::string> a = {"--code", "app", "--policy", "role.json"};
    a.insert(a.end(), args.begin(), args.end());
    CommandRun r = Check(dir_, a);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    return r;
  }

  fs::path dir_;
};

TEST_F(ScpLevelsTest, OneLevelAllowsWhenOnePolicyAllowsAndNoneDenies) {
  // FullAWSAccess alone at the root: DeleteTable is granted and unused.
  json::Value r = Run({"full.json"}, 1);
  EXPECT_THAT(Field(r, "excess", "action"),
              ::testing::ElementsAre("dynamodb:DeleteTable"));
  EXPECT_TRUE(r.Find("missing")->array().empty());
  // FullAWSAccess and a deny list attached at the same level: the deny
  // list wins, the rest is allowed; nothing missing, nothing in excess.
  r = Run({"full.json,p-denytable.json"}, 0);
  EXPECT_TRUE(r.Find("excess")->array().empty());
  EXPECT_TRUE(r.Find("missing")->array().empty());
  EXPECT_TRUE(r.Find("verified")->bool_value());
  // Every level must allow: scp.json below does not allow PutItem.
  r = Run({"full.json,p-denytable.json", "scp.json"}, 1);
  EXPECT_THAT(Field(r, "missing", "cause"),
              ::testing::ElementsAre("SCP level 2 does not allow"));
  EXPECT_TRUE(r.Find("excess")->array().empty());
  // The same two policies as two levels of their own: the deny list alone
  // allows nothing, so every used operation is missing.
  r = Run({"full.json", "p-denytable.json"}, 1);
  EXPECT_THAT(Field(r, "missing", "cause"),
              ::testing::Each(HasSubstr("SCP level 2 does not allow")));
  EXPECT_EQ(r.Find("missing")->array().size(), 2u);
}

TEST_F(ScpLevelsTest, OrganizationsOutputIsALevel) {
  // list-policies-for-target says which policies the OU holds; their
  // describe-policy output gives the documents.
  json::Value listed =
      Run({"ou.json,p-FullAWSAccess.json,p-denytable.json", "scp.json"}, 1);
  json::Value plain = Run({"full.json,p-denytable.json", "scp.json"}, 1);
  EXPECT_EQ(json::Serialize(listed), json::Serialize(plain));
}

TEST_F(ScpLevelsTest, BadLevelsAreUnusableInput) {
  CommandRun r = RunError({"--scp", "full.json,absent.json"});
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: absent.json"));
  r = RunError({"--scp", "full.json,"});
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --scp expects "
                                "FILE[,FILE...], got \"full.json,\"\n"));
  std::ofstream(dir_ / "empty.json") << "{\n  \"Policies\": []\n}\n";
  r = RunError({"--scp", "empty.json"});
  EXPECT_EQ(r.err,
            "leastpriv: error: empty.json:2:15: lists no policies: an "
            "organisation level always has at least one service control "
            "policy attached\n");
  // The OU lists a policy whose describe-policy output is not given.
  r = RunError({"--scp", "ou.json,p-FullAWSAccess.json"});
  EXPECT_EQ(r.err,
            "leastpriv: error: ou.json:4:5: policy \"p-denytable\" "
            "(DenyTableDeletes) is attached at this level, but its document "
            "is not given: add the output of `aws organizations "
            "describe-policy --policy-id p-denytable` to the level\n");
  // describe-policy output whose Content is cut short.
  std::string cut = kDescribedDenyList;
  cut.replace(cut.find("\\\"Resource\\\":\\\"*\\\""), 18, "\\\"Resource\\\":");
  std::ofstream(dir_ / "cut.json") << cut;
  r = RunError({"--scp", "cut.json"});
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: cut.json:10:"));
  std::ofstream(dir_ / "no_content.json")
      << R"({"Policy": {"PolicySummary": {"Id": "p-1"}}})";
  r = RunError({"--rcp", "no_content.json"});
  EXPECT_EQ(r.err,
            "leastpriv: error: no_content.json:1:12: describe-policy output "
            "of \"p-1\" has no Policy.Content (the policy document)\n");
}

// ---------------------------------------------------------------------------
// One leastpriv.json for check and review.

TEST(CheckConfigTest, ReviewFieldsAreAcceptedAndThePoliciesUsed) {
  const fs::path dir = Copy("testdata/check/scp", "config_roles");
  std::ofstream(dir / "full.json") << kFullAccess;
  std::ofstream(dir / "p-denytable.json") << kDescribedDenyList;
  std::ofstream(dir / "leastpriv.json") << R"({
  "principal": "arn:aws:iam::111122223333:role/orders-app",
  "code": "app",
  "policies": [{"file": "role.json", "kind": "identity", "role": "orders-app"}],
  "scps": [["full.json", "p-denytable.json"], "scp.json"],
  "cloudformation": [],
  "code_role": "orders-app",
  "fail_on": "missing"
})";
  // The policies of the file, as the command line would give them.
  CommandRun from_file =
      Check(dir, {"--config", "leastpriv.json", "--format", "json"});
  CommandRun from_flags =
      Check(dir, {"--code", "app", "--policy", "role.json", "--scp",
                  "full.json,p-denytable.json", "--scp", "scp.json",
                  "--principal", "arn:aws:iam::111122223333:role/orders-app",
                  "--fail-on", "missing", "--format", "json"});
  EXPECT_EQ(from_file.status, 1) << from_file.err;
  EXPECT_EQ(from_file.err, "");
  EXPECT_EQ(from_file.status, from_flags.status);
  EXPECT_EQ(from_file.out, from_flags.out);
  EXPECT_THAT(from_file.out, HasSubstr("SCP level 2 does not allow"));

  // Policies on the command line replace those of the file (whose SCPs
  // would make PutItem missing); its "fail_on" still holds, so the unused
  // DeleteTable does not fail the check.
  CommandRun flags_win = Check(dir, {"--config", "leastpriv.json", "--policy",
                                     "role.json", "--format", "json"});
  EXPECT_EQ(flags_win.status, 0) << flags_win.err;
  EXPECT_THAT(flags_win.out, HasSubstr("\"missing\": []"));
  EXPECT_THAT(flags_win.out, HasSubstr("\"action\": \"dynamodb:DeleteTable\""));
}

TEST(CheckConfigTest, RolesOfTheFileAndTheirErrors) {
  const fs::path dir = Copy("testdata/check/clean", "config_errors");
  auto write = [&](const std::string& text) {
    std::ofstream(dir / "leastpriv.json") << text;
  };
  write(R"({"regoin": "us-east-1"})");
  CommandRun r = Check(dir, {"--config", "leastpriv.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: leastpriv.json:1:2: unknown member \"regoin\" "
            "(did you mean \"region\"?)\n");
  write(R"({"code": "app", "policies": [
    {"file": "role.json", "kind": "identity", "role": "web"},
    {"file": "role.json", "kind": "identity", "role": "worker"}]})");
  r = Check(dir, {"--config", "leastpriv.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: leastpriv.json: the code may run under 2 roles "
            "(web, worker): set \"code_role\" or give the policies on the "
            "command line\n");
  // --all-roles checks each of them, as itself.
  r = Check(dir,
            {"--config", "leastpriv.json", "--all-roles", "--format", "json"});
  EXPECT_EQ(r.status, 0) << r.err;
  absl::StatusOr<json::Value> batch = json::Parse(r.out);
  ASSERT_TRUE(batch.ok()) << r.out;
  EXPECT_EQ(Field(*batch, "roles", "role"),
            (std::vector<std::string>{"web", "worker"}));
  EXPECT_EQ(
      Field(*batch, "roles", "principal"),
      (std::vector<std::string>{"arn:aws:iam::111122223333:role/web",
                                "arn:aws:iam::111122223333:role/worker"}));
  r = Check(dir, {"--config", "leastpriv.json", "--all-roles", "--policy",
                  "role.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --all-roles without "
                                "--authorization-details checks the roles of "
                                "leastpriv.json"));
  write(R"({"code": "app", "code_role": "batch", "policies": [
    {"file": "role.json", "kind": "identity", "role": "web"}]})");
  r = Check(dir, {"--config", "leastpriv.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: leastpriv.json: \"code_role\" names role "
            "\"batch\", which no identity policy of the file belongs to\n");
  write(R"({"code": "app", "code_role": "worker", "policies": [
    {"file": "role.json", "kind": "identity", "role": "web"},
    {"file": "role.json", "kind": "identity", "role": "worker"}]})");
  r = Check(dir, {"--config", "leastpriv.json", "--format", "json"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"principal\": "
                               "\"arn:aws:iam::111122223333:role/worker\""));
  write(R"({"code": "app", "policies": [
    {"file": "role.json", "kind": "boundary", "role": "web"}]})");
  r = Check(dir, {"--config", "leastpriv.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: leastpriv.json: no role of the file has an "
            "identity policy\n");
  write(R"({"code": "app"})");
  r = Check(dir, {"--config", "leastpriv.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: no policies given"));
  write(R"({"code": "../outside", "policies": [
    {"file": "role.json", "kind": "identity"}]})");
  r = Check(dir, {"--config", "leastpriv.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: leastpriv.json: path \"../outside\" leaves the "
            "checkout\n");
}

// A CloudFormation template named in leastpriv.json gives the role; a
// statement its reader cannot model is left out, with a warning that
// points at it.
TEST(CheckConfigTest, TemplateRolesAndTheirProblems) {
  const fs::path dir =
      Copy("testdata/review/cfn_delete_table/head", "config_template");
  CommandRun r = Check(dir, {"--config", "leastpriv.json", "--format", "json"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("\"principal\": "
                               "\"arn:aws:iam::111122223333:role/app\""));
  EXPECT_THAT(r.out, HasSubstr("\"file\": \"infra/template.yaml\""));
  std::string text = ReadFile(dir / "infra/template.yaml");
  const std::string sid = "              - Sid: Orders\n";
  ASSERT_NE(text.find(sid), std::string::npos);
  text.insert(text.find(sid),
              "              - Sid: NoEffect\n"
              "                Action: dynamodb:Scan\n"
              "                Resource: \"*\"\n");
  std::ofstream(dir / "infra/template.yaml") << text;
  r = Check(dir, {"--config", "leastpriv.json", "--format", "json"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_THAT(r.err, StartsWith("leastpriv: warning: infra/template.yaml:"));
  EXPECT_THAT(r.err, HasSubstr("Effect"));
  EXPECT_THAT(r.out, Not(HasSubstr("dynamodb:Scan")));
}

// --all-roles: every role of an authorization-details file against one
// scan of the code.
class AllRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = Copy("testdata/check/all_roles", "all_roles");
    args_ = Lines(ReadFile(dir_ / "args"));
  }

  CommandRun Run(std::vector<std::string> extra) {
    std::vector<std::string> a = args_;
    a.insert(a.end(), extra.begin(), extra.end());
    return Check(dir_, a);
  }

  // A copy of details.json listing only `roles`, named `name`.
  std::string Subset(const std::string& name,
                     const std::set<std::string>& roles) {
    absl::StatusOr<json::Value> doc =
        json::Parse(ReadFile(dir_ / "details.json"));
    EXPECT_TRUE(doc.ok());
    std::vector<json::Value::Member> members;
    for (const json::Value::Member& m : doc->object()) {
      if (m.first != "RoleDetailList") {
        members.push_back(m);
        continue;
      }
      std::vector<json::Value> kept;
      for (const json::Value& r : m.second.array()) {
        if (roles.count(r.Find("RoleName")->string_value())) kept.push_back(r);
      }
      members.emplace_back(m.first, json::Value::Array(std::move(kept)));
    }
    std::ofstream(dir_ / name) << json::Serialize(json::Value::Object(members));
    return name;
  }

  // The arguments with --authorization-details FILE in place of the
  // fixture's.
  std::vector<std::string> WithDetails(const std::string& file) {
    std::vector<std::string> a = args_;
    for (size_t i = 0; i + 1 < a.size(); ++i) {
      if (a[i] == "--authorization-details") a[i + 1] = file;
    }
    return a;
  }

  fs::path dir_;
  std::vector<std::string> args_;
};

// The reports are the goldens in every format, with one thread or four: the
// output does not depend on the number of threads.
TEST_F(AllRolesTest, ReportsMatchGoldensWhateverTheJobs) {
  const int expected_status = std::atoi(ReadFile(dir_ / "exit_status").c_str());
  ASSERT_EQ(expected_status, 2);  // two roles cannot be checked
  for (const char* jobs : {"1", "4"}) {
    SCOPED_TRACE(std::string("--jobs ") + jobs);
    CommandRun r = Run({"--format", "json", "--jobs", jobs});
    EXPECT_EQ(r.status, expected_status);
    EXPECT_EQ(r.out, ReadFile(dir_ / "expected.json"));
    EXPECT_EQ(r.err,
              "leastpriv: error: role \"audit-legacy\": details.json:202:21: "
              "unknown condition operator \"StringEqualsWhenever\"\n"
              "leastpriv: error: role \"billing-broken\": "
              "details.json:111:15: statement \"Invoices\" has no Effect "
              "element\n");
    for (const std::string& line : Lines(ReadFile(dir_ / "formats"))) {
      std::istringstream in(line);
      std::string format, ext;
      in >> format >> ext;
      CommandRun f = Run({"--format", format, "--jobs", jobs});
      EXPECT_EQ(f.status, expected_status) << format;
      EXPECT_EQ(f.out, ReadFile(dir_ / ("expected." + ext))) << format;
    }
  }
  // One thread per core by default.
  EXPECT_EQ(Run({"--format", "json"}).out, ReadFile(dir_ / "expected.json"));
}

TEST_F(AllRolesTest, GoldenSaysWhatEachRoleIsAbout) {
  absl::StatusOr<json::Value> v = json::Parse(ReadFile(dir_ / "expected.json"));
  ASSERT_TRUE(v.ok());
  const json::Value& summary = *v->Find("summary");
  EXPECT_EQ(summary.Find("roles")->number_value(), 6);
  EXPECT_EQ(summary.Find("ok")->number_value(), 1);
  EXPECT_EQ(summary.Find("failed")->number_value(), 2);
  EXPECT_EQ(summary.Find("undecided")->number_value(), 1);
  EXPECT_EQ(summary.Find("not_checked")->number_value(), 2);
  EXPECT_EQ(summary.Find("exit_status")->number_value(), 2);
  std::vector<std::string> names;
  std::map<std::string, const json::Value*> by_name;
  for (const json::Value& r : v->Find("roles")->array()) {
    names.push_back(r.Find("role")->string_value());
    by_name[names.back()] = &r;
  }
  // In name order, not in the order of the file.
  EXPECT_THAT(names, ::testing::ElementsAre("audit-legacy", "billing-broken",
                                            "orders-exact", "orders-web",
                                            "s3-reader", "tagged-tables"));
  EXPECT_THAT(by_name["billing-broken"]->Find("error")->string_value(),
              HasSubstr("has no Effect element"));
  EXPECT_THAT(by_name["audit-legacy"]->Find("error")->string_value(),
              HasSubstr("unknown condition operator"));
  EXPECT_TRUE(by_name["orders-exact"]->Find("verified")->bool_value());
  // The boundary (a managed policy) takes part: it denies PutItem.
  const json::Value& web = *by_name["orders-web"];
  EXPECT_EQ(web.Find("principal")->string_value(),
            "arn:aws:iam::111122223333:role/orders-web");
  EXPECT_THAT(Field(web, "missing", "cause"),
              ::testing::ElementsAre(HasSubstr("permissions boundary")));
  EXPECT_THAT(Field(web, "excess", "action"),
              ::testing::Contains("dynamodb:DeleteTable"));
  // Nothing relevant granted: every used operation is missing.
  EXPECT_EQ(by_name["s3-reader"]->Find("missing")->array().size(), 3u);
  EXPECT_EQ(by_name["s3-reader"]->Find("excess")->array().size(), 0u);
  EXPECT_FALSE(by_name["tagged-tables"]->Find("unknown")->array().empty());
}

// Each role's entry is what `check --role NAME` reports for it, and each
// role's error what `check --role NAME` prints.
TEST_F(AllRolesTest, EachRoleIsCheckedAsWithRole) {
  absl::StatusOr<json::Value> v = json::Parse(ReadFile(dir_ / "expected.json"));
  ASSERT_TRUE(v.ok());
  for (const json::Value& entry : v->Find("roles")->array()) {
    const std::string name = entry.Find("role")->string_value();
    SCOPED_TRACE(name);
    std::vector<std::string> single;
    for (const std::string& a : args_) {
      if (a == "--all-roles") {
        single.insert(single.end(), {"--role", name});
      } else {
        single.push_back(a);
      }
    }
    single.insert(single.end(), {"--format", "json"});
    CommandRun r = Check(dir_, single);
    if (const json::Value* error = entry.Find("error")) {
      EXPECT_EQ(r.status, 2);
      EXPECT_EQ(r.err, "leastpriv: error: " + error->string_value() + "\n");
      continue;
    }
    std::vector<json::Value::Member> members = entry.object();
    ASSERT_EQ(members[0].first, "role");
    ASSERT_EQ(members[1].first, "arn");
    members.erase(members.begin(), members.begin() + 2);
    EXPECT_EQ(r.out, json::Serialize(json::Value::Object(members)) + "\n");
    EXPECT_EQ(r.status, name == "orders-exact"    ? 0
                        : name == "tagged-tables" ? 3
                                                  : 1);
  }
}

// The worst role decides: 2 (a role not checked) over 3 (undecided) over 1
// (something found) over 0.
TEST_F(AllRolesTest, ExitStatusPrecedence) {
  struct Case {
    std::set<std::string> roles;
    int status;
  };
  const Case kCases[] = {
      {{"orders-exact"}, 0},
      {{"orders-exact", "s3-reader"}, 1},
      {{"orders-web", "s3-reader", "tagged-tables"}, 3},
      {{"orders-exact", "tagged-tables", "billing-broken"}, 2},
      {{"s3-reader", "audit-legacy"}, 2},
  };
  int n = 0;
  for (const Case& c : kCases) {
    const std::string file =
        Subset("subset" + std::to_string(n++) + ".json", c.roles);
    CommandRun r = Check(dir_, WithDetails(file));
    EXPECT_EQ(r.status, c.status) << file << "\n" << r.err;
  }
  // --fail-on applies to every role.
  const std::string file = Subset("web.json", {"orders-web"});
  std::vector<std::string> a = WithDetails(file);
  a.insert(a.end(), {"--fail-on", "missing"});
  EXPECT_EQ(Check(dir_, a).status, 1);
  a = WithDetails(Subset("web_exact.json", {"orders-exact"}));
  a.insert(a.end(), {"--fail-on", "missing"});
  EXPECT_EQ(Check(dir_, a).status, 0);
}

TEST_F(AllRolesTest, OptionsGivenOnceApplyToEveryRole) {
  // A command-line boundary conflicts only with the role that has one.
  std::vector<std::string> a =
      WithDetails(Subset("two.json", {"orders-web", "orders-exact"}));
  std::ofstream(dir_ / "boundary.json")
      << R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "dynamodb:GetItem", "Resource": "*"}]})";
  a.insert(a.end(), {"--boundary", "boundary.json", "--format", "json"});
  CommandRun r = Check(dir_, a);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: role \"orders-web\": --boundary conflicts with "
            "the boundary of role \"orders-web\"\n");
  absl::StatusOr<json::Value> v = json::Parse(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  const json::Value& exact = v->Find("roles")->array()[0];
  EXPECT_EQ(exact.Find("role")->string_value(), "orders-exact");
  // The boundary denies PutItem and Query to orders-exact.
  EXPECT_EQ(exact.Find("missing")->array().size(), 2u);
}

TEST_F(AllRolesTest, UsageAndInputErrors) {
  const std::string kUsageStart = "usage: leastpriv check --code DIR";
  CommandRun r = Check(
      dir_, {"--code", "app", "--all-roles", "--account", "111122223333"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --all-roles needs "
                                "--authorization-details FILE"));
  EXPECT_THAT(r.err, HasSubstr(kUsageStart));
  EXPECT_EQ(r.out, "");

  r = Run({"--role", "orders-web"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --all-roles and --role "
                                "cannot be given together"));
  EXPECT_THAT(r.err, HasSubstr(kUsageStart));
  EXPECT_EQ(r.out, "");

  r = Run({"--principal", "arn:aws:iam::111122223333:role/x"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --principal cannot be "
                                "given with --all-roles"));

  for (const char* jobs : {"0", "-2", "many"}) {
    r = Run({"--jobs", jobs});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, StartsWith(std::string("leastpriv: error: --jobs "
                                              "expects a positive integer, "
                                              "not \"") +
                                  jobs + "\"\n"));
  }
  std::ofstream(dir_ / "role.json")
      << R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "dynamodb:GetItem", "Resource": "*"}]})";
  r = Check(dir_, {"--code", "app", "--policy", "role.json", "--jobs", "2"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: --jobs applies only to "
                                "--all-roles\n"));

  // Unusable input for every role: one diagnostic, no report.
  r = Check(dir_, WithDetails(Subset("none.json", {})));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: none.json: lists no roles (no entry of "
            "RoleDetailList has a RoleName)\n");
  EXPECT_EQ(r.out, "");
  std::ofstream(dir_ / "truncated.json") << "{\"RoleDetailList\": [\n  {";
  r = Check(dir_, WithDetails("truncated.json"));
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: truncated.json:2:"));
  EXPECT_EQ(r.out, "");
  r = Check(dir_, WithDetails("absent.json"));
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, StartsWith("leastpriv: error: absent.json"));
}

// testdata/examples/replay/: with a week of CloudTrail records, the call
// the scan misses (a BatchWriteItem through getattr) is used, seen only in
// the logs, and not excess; the suggested policy covers it.
TEST(CheckCloudTrailTest, LoggedOperationsAreUsed) {
  // A real copy (runfiles are links, which the scanner does not follow out
  // of the tree), with the paths the goldens show.
  const std::string d = "testdata/examples/replay/";
  const fs::path root = Copy("testdata/examples/replay",
                             "replay_example/testdata/examples/replay")
                            .parent_path()
                            .parent_path()
                            .parent_path();
  CommandRun r = Check(root, {"--code", d + "app", "--policy", d + "role.json",
                              "--cloudtrail", d + "cloudtrail"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, ReadFile(d + "check_with_cloudtrail.txt"));
  r = Check(root, {"--code", d + "app", "--policy", d + "role.json",
                   "--cloudtrail", d + "cloudtrail", "--format", "json"});
  EXPECT_NE(r.out.find("\"seen\": \"logs\""), std::string::npos);
  EXPECT_NE(r.out.find("\"seen\": \"both\""), std::string::npos);
  r = Check(root, {"--code", d + "app", "--policy", d + "role.json",
                   "--cloudtrail", d + "none"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: " + d + "none: no such file or directory\n");
}

// --cloudtrail with --all-roles: each role gets its own recorded
// requests, as `--role NAME --cloudtrail` would.
TEST(CheckCloudTrailTest, EachRoleGetsItsOwnRecordedRequests) {
  const std::string d = "testdata/examples/replay/";
  const fs::path root =
      Copy("testdata/examples/replay", "replay_roles/testdata/examples/replay")
          .parent_path()
          .parent_path()
          .parent_path();
  std::string role = ReadFile(root / (d + "role.json"));
  std::ofstream(root / "details.json") << R"({"RoleDetailList": [
    {"RoleName": "invoices-app", "Arn": "arn:aws:iam::111122223333:role/invoices-app",
     "RolePolicyList": [{"PolicyName": "invoices", "PolicyDocument": )"
                                       << role << R"(}]},
    {"RoleName": "reports", "Arn": "arn:aws:iam::111122223333:role/reports",
     "RolePolicyList": [{"PolicyName": "invoices", "PolicyDocument": )"
                                       << role << R"(}]}
  ], "Policies": []})";
  const std::vector<std::string> base = {
      "--code",       d + "app",      "--authorization-details",
      "details.json", "--cloudtrail", d + "cloudtrail",
      "--format",     "json"};
  std::vector<std::string> all = base;
  all.push_back("--all-roles");
  CommandRun r = Check(root, all);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "");
  absl::StatusOr<json::Value> v = json::Parse(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  ASSERT_EQ(v->Find("roles")->array().size(), 2u);
  for (const json::Value& entry : v->Find("roles")->array()) {
    const std::string name = entry.Find("role")->string_value();
    SCOPED_TRACE(name);
    std::vector<std::string> single = base;
    single.insert(single.end(), {"--role", name});
    CommandRun one = Check(root, single);
    std::vector<json::Value::Member> members = entry.object();
    members.erase(members.begin(), members.begin() + 2);
    EXPECT_EQ(one.out, json::Serialize(json::Value::Object(members)) + "\n");
    const std::string text = json::Serialize(entry);
    if (name == "invoices-app") {
      // The records are the sessions of invoices-app: the nightly
      // BatchWriteItem the scan misses is used, seen only in the logs.
      EXPECT_NE(text.find("\"seen\": \"logs\""), std::string::npos);
    } else {
      // No record is a request of reports.
      EXPECT_EQ(text.find("\"seen\": \"logs\""), std::string::npos);
      EXPECT_EQ(text.find("\"seen\": \"both\""), std::string::npos);
    }
  }
  // Logs that cannot be read are unusable for every role: one diagnostic,
  // no report.
  all = {"--code",       d + "app",     "--authorization-details",
         "details.json", "--all-roles", "--cloudtrail",
         d + "none"};
  r = Check(root, all);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "leastpriv: error: " + d + "none: no such file or directory\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace leastpriv
