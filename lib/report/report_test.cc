// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Unit tests of the check library: configuration, bindings, risk, and
// RunCheck on in-memory scans and policies.

#include "leastpriv/report.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

using ::testing::HasSubstr;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, ReadsEveryMember) {
  std::string path = WriteTemp("ok.json", R"({
    "account": "111122223333", "region": "eu-west-1",
    "principal": "arn:aws:iam::111122223333:role/app",
    "bindings": {"env:ORDERS": "orders", "settings:T": "t-1", "orders-*": "orders-prod"},
    "fail_on": "write"
  })");
  absl::StatusOr<CheckConfig> c = LoadCheckConfig(path);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->account, "111122223333");
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->principal, "arn:aws:iam::111122223333:role/app");
  EXPECT_EQ(c->fail_on, "write");
  EXPECT_EQ(c->bindings.size(), 3u);
  EXPECT_EQ(c->bindings.at("settings:T"), "t-1");
}

TEST(ConfigTest, ErrorsCarryPositions) {
  EXPECT_EQ(LoadCheckConfig(WriteTemp("a.json", "{\n  \"acount\": \"1\"}"))
                .status()
                .message(),
            WriteTemp("a.json", "{\n  \"acount\": \"1\"}") +
                ":2:3: unknown member \"acount\" (expected account, region, "
                "principal, bindings or fail_on)");
  std::string p = WriteTemp("b.json", "{\"account\": \"12\"}");
  EXPECT_EQ(LoadCheckConfig(p).status().message(),
            p + ":1:13: account \"12\" is not 12 digits");
  p = WriteTemp("c.json", "{\"bindings\": {\"ORDERS\": \"orders\"}}");
  EXPECT_THAT(std::string(LoadCheckConfig(p).status().message()),
              HasSubstr(":1:15: binding key \"ORDERS\" is not env:NAME"));
  p = WriteTemp("d.json", "{\"fail_on\": \"sometimes\"}");
  EXPECT_THAT(std::string(LoadCheckConfig(p).status().message()),
              HasSubstr("fail level \"sometimes\""));
  EXPECT_EQ(LoadCheckConfig("/nonexistent/leastpriv.json").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(BindingTest, ParsesAndRejects) {
  std::string key, table;
  ASSERT_TRUE(ParseBinding("env:ORDERS_TABLE=shop-orders", &key, &table).ok());
  EXPECT_EQ(key, "env:ORDERS_TABLE");
  EXPECT_EQ(table, "shop-orders");
  ASSERT_TRUE(ParseBinding("settings:T=t.1", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("ORDERS=orders", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("env:=orders", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("env:X=", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("env:X=a/b", &key, &table).ok());
}

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
            (std::vector<std::string>{"app.py:3", "app.py:9"}));
  ASSERT_EQ(r->missing.size(), 1u);
  EXPECT_EQ(r->missing[0].action, "dynamodb:PutItem");
  EXPECT_EQ(r->missing[0].cause, "no statement allows it");
  ASSERT_EQ(r->excess.size(), 1u);
  EXPECT_EQ(r->excess[0].action, "dynamodb:DeleteTable");
  EXPECT_EQ(r->excess[0].risk, Risk::kDestructive);
  EXPECT_EQ(r->excess[0].statement.sid, "R");
  EXPECT_EQ(r->excess[0].statement.line, 2);
  EXPECT_TRUE(r->verified) << r->verification;
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

}  // namespace
}  // namespace leastpriv
