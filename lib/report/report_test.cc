// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Unit tests of the check library: risk, and
// RunCheck on in-memory scans and policies.

#include "leastpriv/report.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

using ::testing::HasSubstr;

TEST(RiskTest, GradesActions) {
  EXPECT_EQ(ActionRisk("dynamodb:DeleteTable"), Risk::kDestructive);
  EXPECT_EQ(ActionRisk("dynamodb:PutResourcePolicy"), Risk::kDestructive);
  EXPECT_EQ(ActionRisk("dynamodb:RestoreTableFromBackup"), Risk::kDestructive);
  EXPECT_EQ(ActionRisk("dynamodb:Scan"), Risk::kDataExposure);
  EXPECT_EQ(ActionRisk("dynamodb:ExportTableToPointInTime"),
            Risk::kDataExposure);
  EXPECT_EQ(ActionRisk("dynamodb:PutItem"), Risk::kWrite);
  EXPECT_EQ(ActionRisk("dynamodb:GetItem"), Risk::kRead);
  EXPECT_EQ(ActionRisk("dynamodb:ListTables"), Risk::kRead);
  EXPECT_EQ(RiskName(Risk::kDataExposure), "data-exposure");
  EXPECT_EQ(*ParseFailLevel("any"), FailLevel::kRead);
  EXPECT_FALSE(ParseFailLevel("all").ok());
}

PolicySet Policies(const std::string& text) {
  ParseOptions options;
  options.file_name = "role.json";
  absl::StatusOr<Policy> p = ParsePolicy(text, options);
  EXPECT_TRUE(p.ok()) << p.status();
  PolicySet set;
  set.identity.push_back(*p);
  return set;
}

Operation Op(const std::string& action, const std::string& table, int line) {
  Operation op;
  op.action = action;
  op.operation = action.substr(9);
  op.table = table;
  op.file = "app.py";
  op.line = line;
  return op;
}

CheckInput Input(const ScanResult& scan, const PolicySet& set) {
  CheckInput in;
  in.scan = &scan;
  in.policies = &set;
  in.account = "111122223333";
  in.region = "us-east-1";
  return in;
}

TEST(RunCheckTest, ExcessMissingAndProof) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "orders", 3),
                     Op("dynamodb:GetItem", "orders", 9),
                     Op("dynamodb:PutItem", "orders", 5)};
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "R", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:DeleteTable"],
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]})");
  absl::StatusOr<CheckReport> r = RunCheck(Input(scan, set));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->used.size(), 2u);
  EXPECT_EQ(r->used[0].action, "dynamodb:GetItem");
  EXPECT_EQ(r->used[0].evidence,
            (std::vector<SourcePos>{{"app.py", 3, 0}, {"app.py", 9, 0}}));
  ASSERT_EQ(r->missing.size(), 1u);
  EXPECT_EQ(r->missing[0].action, "dynamodb:PutItem");
  EXPECT_EQ(r->missing[0].cause, "no statement allows it");
  ASSERT_EQ(r->excess.size(), 1u);
  EXPECT_EQ(r->excess[0].action, "dynamodb:DeleteTable");
  EXPECT_EQ(r->excess[0].risk, Risk::kDestructive);
  EXPECT_EQ(r->excess[0].statement.sid, "R");
  EXPECT_EQ(r->excess[0].statement.line, 2);
  EXPECT_TRUE(r->verified) << r->verification;
  // The suggested policy is a value, the one the proofs are about, and
  // its text says the same.
  ASSERT_EQ(r->suggested.statements.size(), 1u);
  const Statement& st = r->suggested.statements[0];
  EXPECT_EQ(st.sid, "Orders");
  ASSERT_EQ(st.actions.size(), 2u);
  EXPECT_EQ(st.actions[0].text, "dynamodb:GetItem");
  EXPECT_EQ(st.actions[1].text, "dynamodb:PutItem");
  EXPECT_EQ(st.resources[0].text,
            "arn:aws:dynamodb:us-east-1:111122223333:table/orders");
  absl::StatusOr<Policy> reread = ParsePolicy(r->suggested_policy, {});
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->statements.size(), 1u);
  EXPECT_THAT(RenderJson(*r, {}), HasSubstr("\"Sid\": \"Orders\""));
  EXPECT_TRUE(CheckFails(*r, FailLevel::kMissing));
  EXPECT_THAT(RenderText(*r, {}),
              ::testing::StartsWith("FAIL: 2 used, 1 missing"));
}

TEST(RunCheckTest, SuggestionIsNotVerifiedWhenItCannotCover) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "orders", 3)};
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]})");
  ParseOptions options;
  options.file_name = "scp.json";
  options.kind = PolicyKind::kScp;
  set.scp_levels.push_back({*ParsePolicy(
      R"({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})",
      options)});
  absl::StatusOr<CheckReport> r = RunCheck(Input(scan, set));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->missing.size(), 1u);
  EXPECT_EQ(r->missing[0].cause, "SCP level 1 does not allow");
  EXPECT_FALSE(r->verified);
  EXPECT_THAT(r->verification, HasSubstr("covers 0 of 1 used operations"));
}

TEST(RunCheckTest, OperationOnAnUnknownTableIsNeverDropped) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "orders", 3),
                     Op("dynamodb:PutItem", "<unresolved>", 7)};
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "RW", "Effect": "Allow",
     "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/app-*"},
    {"Sid": "R", "Effect": "Allow", "Action": "dynamodb:GetItem",
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]})");
  absl::StatusOr<CheckReport> r = RunCheck(Input(scan, set));
  ASSERT_TRUE(r.ok()) << r.status();
  // PutItem may be on any table the role grants it on: not excess there.
  for (const ExcessPermission& e : r->excess) {
    EXPECT_NE(e.action, "dynamodb:PutItem") << e.resource;
  }
  bool delete_excess = false;
  for (const ExcessPermission& e : r->excess) {
    delete_excess = delete_excess || e.action == "dynamodb:DeleteItem";
  }
  EXPECT_TRUE(delete_excess);
  bool finding = false;
  for (const Finding& f : r->findings) {
    if (f.code == FindingCode::kUnresolvedTable) {
      finding = true;
      EXPECT_EQ(f.severity, Severity::kError);
      EXPECT_EQ(f.pos.line, 7);
      EXPECT_THAT(f.message, HasSubstr("counts as used on every table"));
    }
  }
  EXPECT_TRUE(finding);
  // The suggestion keeps it where it is granted now, and says so.
  EXPECT_THAT(r->suggested_policy,
              HasSubstr("\"Sid\": \"UnknownTables\",\n"
                        "      \"Effect\": \"Allow\",\n"
                        "      \"Action\": \"dynamodb:PutItem\",\n"
                        "      \"Resource\": \"arn:aws:dynamodb:us-east-1:"
                        "111122223333:table/app-*\""));
  EXPECT_TRUE(r->verified) << r->verification;
  EXPECT_THAT(r->verification,
              HasSubstr("keeps 1 action on every table now granted"));
}

TEST(RunCheckTest, BindingsFillTemplateParts) {
  ScanResult scan;
  Operation op = Op("dynamodb:GetItem", "dev-price-history", 3);
  op.reason = "env:PREFIX";
  op.table_template = "{env:PREFIX}-price-history";
  op.table_defaults = {{"env:PREFIX", "dev"}};
  scan.operations = {op};
  Operation unbound = Op("dynamodb:Scan", "*-orders", 4);
  unbound.table_is_pattern = true;
  unbound.table_template = "{env:STAGE}-orders";
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Scan"],
     "Resource": "*"}]})");
  CheckInput in = Input(scan, set);
  absl::StatusOr<CheckReport> r = RunCheck(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->used[0].table, "dev-price-history");
  in.bindings["env:PREFIX"] = "prod";
  r = RunCheck(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->used[0].table, "prod-price-history");
  EXPECT_THAT(r->used[0].binding, HasSubstr("env:PREFIX = prod"));
  scan.operations.push_back(unbound);
  EXPECT_THAT(std::string(RunCheck(in).status().message()),
              HasSubstr("app.py:4: the table of dynamodb:Scan is built as "
                        "{env:STAGE}-orders, which has unbound parts (add "
                        "--bind env:STAGE=VALUE"));
  in.bindings["env:STAGE"] = "live";
  r = RunCheck(in);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->used.size(), 2u);
  for (const UsedOperation& u : r->used) {
    EXPECT_EQ(u.table, u.action == "dynamodb:Scan" ? "live-orders"
                                                   : "prod-price-history");
  }
}

// Table policies open to anyone are what CheckNoPublicAccess says: a
// condition that pins the caller's account closes them, one on the source
// IP does not.
TEST(RunCheckTest, PublicTablePolicyIsTheEnginesRule) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "orders", 3)};
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:GetItem",
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]})");
  auto findings = [&](const std::string& condition) {
    ParseOptions options;
    options.file_name = "table.json";
    options.kind = PolicyKind::kResource;
    absl::StatusOr<Policy> p =
        ParsePolicy(absl::StrCat(R"({"Version": "2012-10-17", "Statement": [
          {"Sid": "Open", "Effect": "Allow", "Principal": "*",
           "Action": "dynamodb:GetItem",
           "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders")",
                                 condition, "}]}"),
                    options);
    EXPECT_TRUE(p.ok()) << p.status();
    PolicySet with = set;
    with.resource["orders"] = {*p};
    absl::StatusOr<CheckReport> r = RunCheck(Input(scan, with));
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> out;
    for (const Finding& f : r->findings) {
      if (f.code == FindingCode::kPublicTablePolicy) {
        out.push_back(absl::StrCat(std::string(SeverityWord(f.severity)), " ",
                                   f.pos.line, ": ", f.message));
      }
    }
    return out;
  };
  EXPECT_THAT(findings(""),
              ::testing::ElementsAre(
                  "high 2: statement \"Open\" of the policy on table orders "
                  "allows any principal (\"*\")"));
  EXPECT_THAT(
      findings(
          R"(, "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}})"),
      ::testing::IsEmpty());
  EXPECT_THAT(
      findings(
          R"(, "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})"),
      ::testing::ElementsAre(HasSubstr(
          "medium 2: statement \"Open\" of the policy on table orders allows "
          "any principal (\"*\"), and no condition pins the caller's account, "
          "organization or VPC (IpAddress aws:SourceIp)")));
}

TEST(RunCheckTest, UnboundNameIsAnError) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "env:ORDERS", 3)};
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]})");
  CheckInput in = Input(scan, set);
  EXPECT_THAT(
      std::string(RunCheck(in).status().message()),
      HasSubstr("app.py:3: the table of dynamodb:GetItem is env:ORDERS"));
  in.bindings["env:ORDERS"] = "orders";
  absl::StatusOr<CheckReport> r = RunCheck(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->used[0].table, "orders");
  EXPECT_EQ(r->used[0].binding, "env:ORDERS = orders (binding)");
}

TEST(RenderTest, ColourOnlyWhenAsked) {
  CheckReport r;
  r.account = "111122223333";
  r.region = "us-east-1";
  r.suggested_policy = "{}";
  RenderOptions o;
  EXPECT_EQ(RenderText(r, o).find('\033'), std::string::npos);
  o.color = true;
  EXPECT_NE(RenderText(r, o).find("\033[1;32mOK: 0 used"), std::string::npos);
}

// A NotAction over "*" grants nearly every DynamoDB action on every
// resource: about 180 excess pairs for two used tables. Text groups them by
// statement and risk: one line per risk, each action once.
TEST(RenderTest, BroadNotActionGrantIsAFewLines) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "orders", 8),
                     Op("dynamodb:PutItem", "customers", 12)};
  PolicySet set = Policies(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "EverythingButIam", "Effect": "Allow",
     "NotAction": ["iam:*", "dynamodb:*Replica*"], "Resource": "*"}]})");
  absl::StatusOr<CheckReport> r = RunCheck(Input(scan, set));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_GE(r->excess.size(), 180u);

  const std::string text = RenderText(*r, {});
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 40) << text;
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "excess (allowed, never used): ", r->excess.size(),
                        " pairs under 1 statement; `--format json` for every "
                        "pair:\n  role.json:2 (EverythingButIam): ",
                        r->excess.size(), " pairs\n    destructive    ")));
  // Every excess action is named once, and the groups hold every pair.
  const std::vector<ExcessGroup> groups = GroupExcess(*r);
  EXPECT_EQ(groups.size(), 4u);  // one per risk
  size_t pairs = 0;
  for (const ExcessGroup& g : groups) pairs += g.pairs;
  EXPECT_EQ(pairs, r->excess.size());
  for (const ExcessPermission& e : r->excess) {
    const std::string name = absl::StrCat(" ", e.action.substr(9), ",");
    const std::string last = absl::StrCat(" ", e.action.substr(9), " on ");
    const size_t n = text.find(name) != std::string::npos ? text.find(name)
                                                          : text.find(last);
    ASSERT_NE(n, std::string::npos) << e.action;
  }
  EXPECT_THAT(text, HasSubstr(" on every table, index, stream, backup, "
                              "export, import and global table, and *"));
  // JSON keeps every pair and adds the groups.
  const std::string json = RenderJson(*r, {});
  size_t examples = 0;
  for (size_t at = json.find("\"example\":"); at != std::string::npos;
       at = json.find("\"example\":", at + 1)) {
    ++examples;
  }
  EXPECT_EQ(examples, r->excess.size());
  EXPECT_THAT(json, HasSubstr("\"excess_groups\": ["));
}

TEST(RenderTest, ResourceSummaries) {
  const std::string p = "arn:aws:dynamodb:eu-west-1:111122223333:";
  const std::vector<std::string> used = {"audit", "orders"};
  EXPECT_EQ(
      SummariseResources({p + "table/audit", p + "table/orders", p + "table/*"},
                         p, used),
      "every table");
  EXPECT_EQ(
      SummariseResources({p + "table/audit", p + "table/orders"}, p, used),
      "the 2 used tables");
  EXPECT_EQ(SummariseResources({p + "table/orders", p + "table/orders/index/*",
                                p + "table/audit/index/*", p + "table/audit"},
                               p, used),
            "the 2 used tables, the indexes of the 2 used tables");
  EXPECT_EQ(
      SummariseResources({p + "table/audit", p + "table/shop-*"}, p, used),
      "table/audit, table/shop-*");
  EXPECT_EQ(SummariseResources({p + "table/orders/stream/*, " + p + "table/*"},
                               p, used),
            "every table, table/orders/stream/*");
  EXPECT_EQ(SummariseResources({"*"}, p, used), "*");
  EXPECT_EQ(SummariseResources(
                {"arn:aws:dynamodb::111122223333:global-table/*"}, p, used),
            "every global table");
  // Another account's ARN keeps its prefix; long lists are cut.
  EXPECT_EQ(
      SummariseResources(
          {"arn:aws:dynamodb:eu-west-1:444455556666:table/a", p + "table/b",
           p + "table/c", p + "table/d", p + "table/e", p + "table/f"},
          p, {}),
      "arn:aws:dynamodb:eu-west-1:444455556666:table/a, table/b, "
      "table/c, table/d, 2 more");
}

// A report the size of a real account (thousands of statements, findings
// and used operations): its Markdown stays under 60 KB and says what it
// left out; JSON still has everything.
TEST(RenderTest, MarkdownStaysUnder60KB) {
  CheckReport r;
  r.account = "111122223333";
  r.region = "us-east-1";
  const std::string arn = "arn:aws:dynamodb:us-east-1:111122223333:table/";
  for (int i = 0; i < 3000; ++i) {
    ExcessPermission e;
    e.action = i % 2 ? "dynamodb:DeleteTable" : "dynamodb:Scan";
    e.risk = ActionRisk(e.action);
    e.resource = absl::StrCat(arn, "t", i);
    e.statement = {"role.json", i + 1, 5, absl::StrCat("S", i), "identity"};
    r.excess.push_back(e);
    r.findings.push_back({FindingCode::kUnknownAction,
                          Severity::kWarning,
                          absl::StrCat("statement S", i, " names nothing"),
                          {"role.json", i + 1, 5}});
  }
  r.suggested_policy = "{\"Statement\": [" + std::string(70000, ' ') + "]}";
  r.verification = "verified";
  const std::string md = RenderMarkdown(r, {});
  EXPECT_LT(md.size(), 60000u);
  EXPECT_THAT(md, ::testing::StartsWith("### leastpriv check: fails\n\nFAIL: "
                                        "0 used, 0 missing, 3000 excess"));
  EXPECT_THAT(md, HasSubstr("\n#### Excess permissions\n"));
  EXPECT_THAT(md, ::testing::MatchesRegex(
                      "(.|\n)*\n\\*\\*Shortened to stay under 60 KB\\*\\*; "
                      "left out: [0-9]+ excess groups, 3000 findings, 1 "
                      "suggested policy \\(`--format json` has it\\)\\. For "
                      "everything, see `--format json`\\.\n"));
  EXPECT_EQ(RenderJson(r, {}).find("Shortened"), std::string::npos);

  // A small report is whole, with no note.
  CheckReport small;
  small.suggested_policy = "{}";
  EXPECT_EQ(RenderMarkdown(small, {}).find("Shortened"), std::string::npos);

  // So does a batch of many roles.
  std::vector<RoleCheckResult> results;
  for (int i = 0; i < 40; ++i) {
    results.push_back({absl::StrCat("role", i), "", r});
  }
  const std::string batch = RenderBatchMarkdown(results, {});
  EXPECT_LT(batch.size(), 60000u);
  EXPECT_THAT(batch, HasSubstr("role sections"));
}

CheckReport ReportWith(int missing, int unknown) {
  CheckReport r;
  r.missing.resize(missing);
  for (int i = 0; i < unknown; ++i) r.unknown.push_back("u");
  return r;
}

TEST(BatchTest, ExitStatusPrecedence) {
  const FailLevel any = FailLevel::kRead;
  EXPECT_EQ(CheckExitStatus(ReportWith(0, 0), any), 0);
  EXPECT_EQ(CheckExitStatus(ReportWith(1, 0), any), 1);
  EXPECT_EQ(CheckExitStatus(ReportWith(1, 1), any), 3);
  EXPECT_EQ(CheckExitStatus(absl::InvalidArgumentError("x"), any), 2);

  auto batch = [&](std::vector<absl::StatusOr<CheckReport>> reports) {
    std::vector<RoleCheckResult> results;
    for (auto& r : reports) results.push_back({"r", "", std::move(r)});
    return BatchExitStatus(results, any);
  };
  EXPECT_EQ(batch({}), 0);
  EXPECT_EQ(batch({ReportWith(0, 0), ReportWith(0, 0)}), 0);
  EXPECT_EQ(batch({ReportWith(0, 0), ReportWith(2, 0)}), 1);
  EXPECT_EQ(batch({ReportWith(2, 0), ReportWith(0, 1), ReportWith(0, 0)}), 3);
  EXPECT_EQ(
      batch({ReportWith(0, 1), absl::NotFoundError("x"), ReportWith(1, 0)}), 2);
  EXPECT_EQ(batch({absl::NotFoundError("x"), ReportWith(0, 1)}), 2);
}

TEST(BatchTest, ResultsKeepTheOrderOfTheRolesWhateverTheThreads) {
  ScanResult scan;
  scan.operations = {Op("dynamodb:GetItem", "orders", 3),
                     Op("dynamodb:PutItem", "orders", 5)};
  std::vector<PolicySet> sets;
  const char* const kActions[] = {"dynamodb:GetItem", "dynamodb:*Item",
                                  "dynamodb:PutItem", "dynamodb:Get*"};
  for (const char* action : kActions) {
    sets.push_back(Policies(absl::StrCat(
        R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", )",
        R"("Action": ")", action, R"(", )",
        R"("Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/*"}]})")));
  }
  std::vector<RoleCheckInput> roles;
  for (size_t i = 0; i < sets.size(); ++i) {
    roles.push_back({absl::StrCat("role-", i), "", Input(scan, sets[i])});
  }
  roles.push_back(
      {"broken", "", absl::InvalidArgumentError("role.json:1:2: bad")});

  std::vector<RoleCheckResult> one = RunCheckBatch(roles, 1);
  ASSERT_EQ(one.size(), roles.size());
  for (size_t i = 0; i < sets.size(); ++i) {
    EXPECT_EQ(one[i].role, roles[i].role);
    ASSERT_TRUE(one[i].report.ok()) << one[i].report.status();
    EXPECT_EQ(RenderJson(*one[i].report, {}),
              RenderJson(*RunCheck(*roles[i].input), {}));
  }
  EXPECT_EQ(one[0].report->missing.size(), 1u);  // PutItem
  EXPECT_EQ(one[2].report->missing.size(), 1u);  // GetItem
  EXPECT_EQ(one.back().report.status().message(), "role.json:1:2: bad");
  EXPECT_EQ(BatchExitStatus(one, FailLevel::kRead), 2);

  for (int jobs : {0, 3, 16}) {
    std::vector<RoleCheckResult> many = RunCheckBatch(roles, jobs);
    EXPECT_EQ(RenderBatchJson(many, {}), RenderBatchJson(one, {}))
        << "jobs " << jobs;
  }
  EXPECT_TRUE(RunCheckBatch({}, 4).empty());
}

TEST(BatchTest, RenderingsNameEveryRole) {
  std::vector<RoleCheckResult> results;
  CheckReport clean;
  clean.account = "111122223333";
  clean.region = "us-east-1";
  clean.suggested_policy = "{}";
  CheckReport failing = clean;
  failing.missing.push_back({"dynamodb:GetItem",
                             "orders",
                             std::nullopt,
                             "arn:aws:dynamodb:us-east-1:111122223333:table/"
                             "orders",
                             {SourcePos{"app.py", 3, 0}},
                             "no statement allows it",
                             {}});
  results.push_back({"a", "arn:aws:iam::111122223333:role/a", clean});
  results.push_back({"b", "", failing});
  results.push_back(
      {"c", "", absl::InvalidArgumentError("details.json:4:7: bad Effect")});

  const std::string text = RenderBatchText(results, {});
  EXPECT_THAT(text, ::testing::StartsWith(
                        "ERROR: 3 roles: 1 ok, 1 failed, 0 undecided, 1 not "
                        "checked\n\n== role a "
                        "(arn:aws:iam::111122223333:role/a) ==\nOK: 0 used"));
  EXPECT_THAT(text, HasSubstr("\n== role b ==\nFAIL: 0 used, 1 missing"));
  EXPECT_THAT(text, HasSubstr("\n== role c ==\nerror: details.json:4:7: bad "
                              "Effect\n"));

  const std::string sarif = RenderBatchSarif(results, {});
  EXPECT_THAT(sarif, HasSubstr("\"text\": \"[role b] dynamodb:GetItem on"));
  EXPECT_THAT(sarif, HasSubstr("\"ruleId\": \"role-not-checked\""));
  EXPECT_THAT(sarif, HasSubstr("\"uri\": \"details.json\""));
  EXPECT_THAT(sarif, HasSubstr("\"startColumn\": 7"));
  EXPECT_THAT(sarif, HasSubstr("\"role\": \"c\""));

  const std::string md = RenderBatchMarkdown(results, {});
  EXPECT_THAT(
      md, ::testing::StartsWith("## leastpriv check of 3 roles: not every role "
                                "checked\n"));
  EXPECT_THAT(md, HasSubstr("\n### Role `a`: passes\n"));
  EXPECT_THAT(md, HasSubstr("\n### Role `b`: fails\n"));
  EXPECT_THAT(md, HasSubstr("\n### Role `c`: not checked\n"));
}

}  // namespace
}  // namespace leastpriv
