// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/policy.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kDir[] = "testdata/policies/";

std::string ReadFixture(const std::string& name) {
  std::ifstream in(kDir + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The line (from 1) of `text` and the column of `needle` on it.
std::pair<int, int> Locate(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  const std::size_t line_start = text.rfind('\n', at) + 1;  // npos+1 == 0
  int line = 1;
  for (std::size_t i = 0; i < at; ++i) line += text[i] == '\n';
  return {line, static_cast<int>(at - line_start) + 1};
}

ParseOptions Options(std::string file = "p.json",
                     PolicyKind kind = PolicyKind::kIdentity) {
  ParseOptions o;
  o.file_name = std::move(file);
  o.kind = kind;
  return o;
}

std::string ParseError(std::string_view text,
                       const ParseOptions& options = Options()) {
  absl::StatusOr<Policy> p = ParsePolicy(text, options);
  if (p.ok()) return "OK";
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(p.status().message());
}

std::vector<std::string> Texts(const std::vector<PolicyString>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(s.text);
  return out;
}

TEST(PolicyNamesTest, FormatPosAndNames) {
  EXPECT_EQ(FormatPos(SourcePos{"a.json", 3, 9}), "a.json:3:9");
  EXPECT_EQ(FormatPos(SourcePos{"a.json", 0, 0}), "a.json");
  EXPECT_EQ(FormatPos(SourcePos{"", 2, 1}), "2:1");
  // Column 0: only the line is known (places in scanned code).
  EXPECT_EQ(FormatPos(SourcePos{"app/store.py", 16, 0}), "app/store.py:16");
  EXPECT_EQ(FormatPos(SourcePos{"", 16, 0}), "16");
  // Positions order by file, then line as a number, then column.
  EXPECT_LT((SourcePos{"a.py", 9, 0}), (SourcePos{"a.py", 10, 0}));
  EXPECT_LT((SourcePos{"a.py", 10, 0}), (SourcePos{"b.py", 1, 0}));
  EXPECT_FALSE((SourcePos{"a.py", 3, 2}) < (SourcePos{"a.py", 3, 1}));
  EXPECT_EQ((SourcePos{"a.py", 3, 0}), (SourcePos{"a.py", 3, 0}));
  EXPECT_EQ(PolicyKindName(PolicyKind::kBoundary), "boundary");
  EXPECT_EQ(PolicyKindName(PolicyKind::kRcp), "rcp");
  EXPECT_EQ(ConditionOperatorName(ConditionOperator::kStringLike),
            "StringLike");
  EXPECT_EQ(ConditionOperatorName(ConditionOperator::kNull), "Null");
}

TEST(ParsePolicyTest, EveryElementOfABareDocument) {
  const std::string text = ReadFixture("orders_service_inline.json");
  absl::StatusOr<Policy> p =
      ParsePolicy(text, Options("orders_service_inline.json"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->version, "2012-10-17");
  EXPECT_TRUE(PolicyVariablesEnabled(*p));
  EXPECT_EQ(p->id, "orders-service-dynamodb");
  EXPECT_EQ(p->kind, PolicyKind::kIdentity);
  ASSERT_EQ(p->statements.size(), 3u);

  const Statement& read = p->statements[0];
  EXPECT_EQ(read.sid, "ReadOrders");
  EXPECT_EQ(read.index, 0);
  EXPECT_EQ(read.effect, Effect::kAllow);
  EXPECT_FALSE(read.not_action);
  EXPECT_THAT(Texts(read.actions),
              ElementsAre("dynamodb:GetItem", "dynamodb:BatchGetItem",
                          "dynamodb:Query", "dynamodb:DescribeTable"));
  auto [line, col] = Locate(text, "\"dynamodb:BatchGetItem\"");
  EXPECT_EQ(read.actions[1].pos.line, line);
  EXPECT_EQ(read.actions[1].pos.column, col);
  EXPECT_EQ(read.actions[1].pos.file, "orders_service_inline.json");
  EXPECT_TRUE(read.has_resource);
  EXPECT_FALSE(read.not_resource);
  EXPECT_EQ(read.resources.size(), 2u);
  std::tie(line, col) = Locate(text, "{\n      \"Sid\": \"ReadOrders\"");
  EXPECT_EQ(read.pos.line, line);
  EXPECT_EQ(read.pos.column, col);
  EXPECT_FALSE(read.principal.has_value());

  const Statement& write = p->statements[1];
  ASSERT_EQ(write.conditions.size(), 3u);
  const Condition& leading = write.conditions[0];
  EXPECT_EQ(leading.op_text, "ForAllValues:StringEquals");
  EXPECT_EQ(leading.op, ConditionOperator::kStringEquals);
  EXPECT_EQ(leading.qualifier, SetQualifier::kForAllValues);
  EXPECT_FALSE(leading.if_exists);
  EXPECT_EQ(leading.key, "dynamodb:LeadingKeys");
  ASSERT_EQ(leading.values.size(), 1u);
  EXPECT_EQ(leading.values[0].text, "${aws:userid}");
  EXPECT_EQ(leading.values[0].type, ValueType::kString);
  std::tie(line, col) = Locate(text, "\"dynamodb:LeadingKeys\"");
  EXPECT_EQ(leading.pos.line, line);
  EXPECT_EQ(leading.pos.column, col);
  EXPECT_EQ(write.conditions[1].op, ConditionOperator::kBool);
  EXPECT_EQ(write.conditions[1].values[0].type, ValueType::kBool);
  EXPECT_EQ(write.conditions[1].values[0].text, "true");
  EXPECT_EQ(write.conditions[2].values[0].type, ValueType::kNumber);
  EXPECT_EQ(write.conditions[2].values[0].text, "3600");

  const Statement& deny = p->statements[2];
  EXPECT_EQ(deny.effect, Effect::kDeny);
  EXPECT_TRUE(deny.not_action);
  EXPECT_TRUE(deny.not_resource);
  EXPECT_EQ(deny.conditions[0].op, ConditionOperator::kStringNotEquals);
  EXPECT_TRUE(deny.conditions[0].if_exists);
}

TEST(ParsePolicyTest, StatementObjectAndStringElements) {
  absl::StatusOr<Policy> p = ParsePolicy(
      R"({"Version":"2008-10-17","Statement":{"Effect":"Deny",
          "Action":"dynamodb:*"}})",
      Options());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->version, "2008-10-17");
  EXPECT_FALSE(PolicyVariablesEnabled(*p));
  ASSERT_EQ(p->statements.size(), 1u);
  EXPECT_FALSE(p->statements[0].has_resource);
  EXPECT_FALSE(p->statements[0].sid.has_value());
  EXPECT_THAT(Texts(p->statements[0].actions), ElementsAre("dynamodb:*"));

  p = ParsePolicy(R"({"Statement":[]})", Options());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->version, "");
  EXPECT_FALSE(PolicyVariablesEnabled(*p));
  EXPECT_TRUE(p->statements.empty());
}

TEST(ParsePolicyTest, PrincipalForms) {
  absl::StatusOr<Policy> p =
      ParsePolicy(ReadFixture("table_resource_policy.json"),
                  Options("t.json", PolicyKind::kResource));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->statements.size(), 2u);
  const PrincipalBlock& block = *p->statements[0].principal;
  EXPECT_FALSE(block.negated);
  ASSERT_EQ(block.entries.size(), 3u);
  EXPECT_EQ(block.entries[0].type, PrincipalType::kAws);
  EXPECT_EQ(block.entries[0].value,
            "arn:aws:iam::111122223333:role/orders-api");
  EXPECT_EQ(block.entries[1].value, "444455556666");
  EXPECT_EQ(block.entries[2].type, PrincipalType::kService);
  EXPECT_GT(block.entries[2].pos.line, block.entries[0].pos.line);
  const PrincipalBlock& any = *p->statements[1].principal;
  ASSERT_EQ(any.entries.size(), 1u);
  EXPECT_EQ(any.entries[0].type, PrincipalType::kAny);
  EXPECT_EQ(any.entries[0].value, "*");

  p = ParsePolicy(
      R"({"Statement":{"Effect":"Deny","Action":"*","Resource":"*",
          "NotPrincipal":{"Federated":"cognito-identity.amazonaws.com",
                          "CanonicalUser":["79a59df900b949e55d96a1e698fbace"],
                          "AWS":"*"}}})",
      Options());
  ASSERT_TRUE(p.ok()) << p.status();
  const PrincipalBlock& np = *p->statements[0].principal;
  EXPECT_TRUE(np.negated);
  ASSERT_EQ(np.entries.size(), 3u);
  EXPECT_EQ(np.entries[0].type, PrincipalType::kFederated);
  EXPECT_EQ(np.entries[1].type, PrincipalType::kCanonicalUser);
  EXPECT_EQ(np.entries[2].type, PrincipalType::kAws);
  EXPECT_EQ(np.entries[2].value, "*");
}

TEST(ParsePolicyTest, ConditionOperatorNames) {
  struct Case {
    const char* text;
    ConditionOperator op;
    SetQualifier qualifier;
    bool if_exists;
  };
  const Case cases[] = {
      {"StringEquals", ConditionOperator::kStringEquals, SetQualifier::kNone,
       false},
      {"ForAnyValue:StringLikeIfExists", ConditionOperator::kStringLike,
       SetQualifier::kForAnyValue, true},
      {"ForAllValues:ArnNotLike", ConditionOperator::kArnNotLike,
       SetQualifier::kForAllValues, false},
      {"NumericGreaterThanEqualsIfExists",
       ConditionOperator::kNumericGreaterThanEquals, SetQualifier::kNone, true},
      {"DateLessThan", ConditionOperator::kDateLessThan, SetQualifier::kNone,
       false},
      {"NotIpAddress", ConditionOperator::kNotIpAddress, SetQualifier::kNone,
       false},
      {"BinaryEquals", ConditionOperator::kBinaryEquals, SetQualifier::kNone,
       false},
      {"StringNotEqualsIgnoreCase",
       ConditionOperator::kStringNotEqualsIgnoreCase, SetQualifier::kNone,
       false},
      {"Null", ConditionOperator::kNull, SetQualifier::kNone, false},
      {"StringEqualz", ConditionOperator::kUnknown, SetQualifier::kNone, false},
      {"IfExists", ConditionOperator::kUnknown, SetQualifier::kNone, false},
      {"stringequals", ConditionOperator::kUnknown, SetQualifier::kNone, false},
  };
  for (const Case& c : cases) {
    const std::string text = std::string(R"({"Statement":{"Effect":"Allow",)") +
                             R"("Action":"*","Resource":"*","Condition":{")" +
                             c.text + R"(":{"aws:SourceVpc":["vpc-1",2]}}}})";
    absl::StatusOr<Policy> p = ParsePolicy(text, Options());
    ASSERT_TRUE(p.ok()) << c.text << ": " << p.status();
    const Condition& cond = p->statements[0].conditions[0];
    EXPECT_EQ(cond.op_text, c.text);
    EXPECT_EQ(cond.op, c.op) << c.text;
    EXPECT_EQ(cond.qualifier, c.qualifier) << c.text;
    EXPECT_EQ(cond.if_exists, c.if_exists) << c.text;
    ASSERT_EQ(cond.values.size(), 2u);
    EXPECT_EQ(cond.values[1].type, ValueType::kNumber);
  }
}

TEST(ParsePolicyTest, GetRolePolicyWrapper) {
  absl::StatusOr<Policy> p =
      ParsePolicy(ReadFixture("get_role_policy.json"), Options("r.json"));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->statements.size(), 1u);
  EXPECT_EQ(p->statements[0].actions[0].pos.line, 8);
  EXPECT_EQ(p->statements[0].actions[0].pos.column, 23);
}

TEST(ParsePolicyTest, GetPolicyVersionWrapper) {
  absl::StatusOr<Policy> p =
      ParsePolicy(ReadFixture("get_policy_version.json"), Options());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->statements.size(), 2u);
  EXPECT_EQ(p->statements[1].sid, "ListStreams");
  // A PolicyVersion object on its own.
  p = ParsePolicy(R"({"Document":{"Statement":[]},"VersionId":"v1"})",
                  Options());
  ASSERT_TRUE(p.ok()) << p.status();
}

TEST(ParsePolicyTest, UrlEncodedDocumentMapsPositionsIntoTheString) {
  const std::string text = ReadFixture("url_encoded_policy_version.json");
  absl::StatusOr<Policy> p = ParsePolicy(text, Options("u.json"));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->statements.size(), 1u);
  const Statement& st = p->statements[0];
  EXPECT_THAT(Texts(st.actions),
              ElementsAre("dynamodb:GetItem", "dynamodb:PutItem"));
  EXPECT_EQ(st.resources[0].text,
            "arn:aws:dynamodb:us-east-1:111122223333:table/django_sessions");
  auto [line, col] = Locate(text, "%7B%22Sid");
  EXPECT_EQ(st.pos.line, line);
  EXPECT_EQ(st.pos.column, col);
  std::tie(line, col) = Locate(text, "%22dynamodb%3APutItem");
  EXPECT_EQ(st.actions[1].pos.line, line);
  EXPECT_EQ(st.actions[1].pos.column, col);
}

TEST(ParsePolicyTest, JsonStringDocumentMapsPositionsIntoTheString) {
  const std::string text = ReadFixture("get_resource_policy.json");
  absl::StatusOr<Policy> p =
      ParsePolicy(text, Options("g.json", PolicyKind::kResource));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->statements.size(), 1u);
  const Statement& st = p->statements[0];
  auto [line, col] = Locate(text, "{\\\"Sid");
  EXPECT_EQ(st.pos.line, line);
  EXPECT_EQ(st.pos.column, col);
  std::tie(line, col) = Locate(text, "\\\"dynamodb:Query");
  EXPECT_EQ(st.actions[1].pos.column, col);
  EXPECT_EQ(st.principal->entries[0].type, PrincipalType::kAws);

  // Escapes that decode to several bytes keep later columns right.
  const std::string escaped =
      R"("{\"Statement\":{\"Sid\":\"caf\u00e9\",\"Effect\":\"Allow\",)"
      R"(\"Action\":\"dynamodb:Scan\",\"Resource\":\"*\"}}")";
  p = ParsePolicy(escaped, Options());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->statements[0].sid, "caf\xc3\xa9");
  std::tie(line, col) = Locate(escaped, "\\\"dynamodb:Scan");
  EXPECT_EQ(p->statements[0].actions[0].pos.column, col);
  // Errors inside an embedded document point into the string.
  EXPECT_EQ(ParseError(R"({"PolicyDocument": "{\"Statement\": [}"})"),
            "p.json:1:38: unexpected '}', expected a JSON value");
}

TEST(LoadPolicyFileTest, ReadsFilesAndReportsUnreadableOnes) {
  absl::StatusOr<Policy> p = LoadPolicyFile(
      std::string(kDir) + "get_policy_version.json", ParseOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->statements[0].pos.file,
            "testdata/policies/get_policy_version.json");
  p = LoadPolicyFile("testdata/policies/no_such.json", ParseOptions());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(p.status().message(),
            "testdata/policies/no_such.json: no such file");
  p = LoadPolicyFile("testdata/policies", ParseOptions());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(), "testdata/policies: is a directory");
}

TEST(LoadPolicyFileTest, FiftyMegabyteFileIsRejectedByTheSizeLimit) {
  const std::string path =
      std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") +
      "/big_policy.json";
  {
    std::ofstream out(path, std::ios::binary);
    std::string statement =
        R"({"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"},)";
    out << R"({"Version":"2012-10-17","Statement":[)";
    std::size_t written = 0;
    while (written < (50u << 20)) {
      out << statement;
      written += statement.size();
    }
    out << R"({"Effect":"Deny","Action":"*","Resource":"*"}]})";
  }
  ParseOptions options;
  options.file_name = "big.json";
  absl::StatusOr<Policy> p = LoadPolicyFile(path, options);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("big.json:1:1: input is 5242"));
  EXPECT_THAT(p.status().message(),
              HasSubstr("bytes, over the limit of 16777216 bytes (max_bytes)"));
  std::remove(path.c_str());
}

TEST(AuthorizationDetailsTest, SelectsARoleAndResolvesManagedPolicies) {
  const std::string path =
      std::string(kDir) + "account_authorization_details.json";
  absl::StatusOr<PolicySet> set =
      LoadRoleFromAuthorizationDetails(path, "orders-web");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->identity.size(), 2u);
  EXPECT_EQ(set->identity[0].name, "django-sessions");
  EXPECT_THAT(Texts(set->identity[0].statements[0].actions),
              ElementsAre("dynamodb:GetItem", "dynamodb:PutItem",
                          "dynamodb:DeleteItem"));
  // The managed policy's default version (v2), not v1.
  EXPECT_EQ(set->identity[1].name, "OrdersReadOnly");
  EXPECT_EQ(set->identity[1].statements[0].sid, "OrdersRead");
  EXPECT_EQ(set->identity[1].statements[0].pos.file, path);
  EXPECT_GT(set->identity[1].statements[0].pos.line, 1);
  ASSERT_TRUE(set->boundary.has_value());
  EXPECT_EQ(set->boundary->kind, PolicyKind::kBoundary);
  EXPECT_EQ(set->boundary->name, "DynamoDbBoundary");

  set = LoadRoleFromAuthorizationDetails(path, "batch-exporter");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_TRUE(set->identity.empty());
  EXPECT_FALSE(set->boundary.has_value());
}

TEST(AuthorizationDetailsTest, MissingRoleOrPolicyIsNotFound) {
  const std::string path =
      std::string(kDir) + "account_authorization_details.json";
  absl::StatusOr<PolicySet> set =
      LoadRoleFromAuthorizationDetails(path, "orders-webb");
  EXPECT_EQ(set.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(set.status().message(),
            "role \"orders-webb\" not found in " + path +
                "; available roles: batch-exporter, orders-web, reporting");
  set = LoadRoleFromAuthorizationDetails(path, "reporting");
  EXPECT_EQ(set.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(set.status().message(),
            "managed policy arn:aws:iam::111122223333:policy/NotExported "
            "attached to role \"reporting\" is not in Policies[] of " +
                path);
  set = LoadRoleFromAuthorizationDetails(
      std::string(kDir) + "get_role_policy.json", "x");
  EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(set.status().message(),
              HasSubstr("get_role_policy.json:1:1: not "
                        "get-account-authorization-details output"));
}

TEST(AuthorizationDetailsTest, EveryRoleWithItsOwnErrors) {
  const std::string path =
      std::string(kDir) + "account_authorization_details.json";
  absl::StatusOr<std::vector<AuthorizationDetailsRole>> roles =
      LoadRolesFromAuthorizationDetails(path);
  ASSERT_TRUE(roles.ok()) << roles.status();
  ASSERT_EQ(roles->size(), 3u);
  EXPECT_EQ((*roles)[0].name, "batch-exporter");
  EXPECT_EQ((*roles)[0].arn, "arn:aws:iam::111122223333:role/batch-exporter");
  ASSERT_TRUE((*roles)[0].policies.ok());
  EXPECT_TRUE((*roles)[0].policies->identity.empty());
  // The same policies as the one-role loader reads.
  EXPECT_EQ((*roles)[1].name, "orders-web");
  ASSERT_TRUE((*roles)[1].policies.ok()) << (*roles)[1].policies.status();
  absl::StatusOr<PolicySet> one =
      LoadRoleFromAuthorizationDetails(path, "orders-web");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ((*roles)[1].policies->identity.size(), one->identity.size());
  for (std::size_t i = 0; i < one->identity.size(); ++i) {
    EXPECT_EQ((*roles)[1].policies->identity[i].name, one->identity[i].name);
    EXPECT_EQ((*roles)[1].policies->identity[i].statements.size(),
              one->identity[i].statements.size());
  }
  ASSERT_TRUE((*roles)[1].policies->boundary.has_value());
  EXPECT_EQ((*roles)[1].policies->boundary->name, "DynamoDbBoundary");
  // A role whose policy is not exported carries the error; the others load.
  EXPECT_EQ((*roles)[2].name, "reporting");
  EXPECT_EQ((*roles)[2].policies.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      (*roles)[2].policies.status().message(),
      LoadRoleFromAuthorizationDetails(path, "reporting").status().message());

  roles = LoadRolesFromAuthorizationDetails(std::string(kDir) +
                                            "get_role_policy.json");
  EXPECT_EQ(roles.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(roles.status().message(),
              HasSubstr("get_role_policy.json:1:1: not "
                        "get-account-authorization-details output"));
  roles = LoadRolesFromAuthorizationDetails(std::string(kDir) + "absent.json");
  EXPECT_EQ(roles.status().code(), absl::StatusCode::kNotFound);
}

TEST(ParsePolicyTest, StructuralErrors) {
  EXPECT_EQ(ParseError(R"({"Statement":{"Action":"*","Resource":"*"}})"),
            "p.json:1:14: statement 0 has no Effect element");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Permit","Action":"*"}})"),
            "p.json:1:24: Effect must be \"Allow\" or \"Deny\", found "
            "\"Permit\"");
  EXPECT_EQ(ParseError(R"({"Statement":{"Sid":"S","Effect":"Allow",)"
                       R"("Action":"a:b","NotAction":"a:c"}})"),
            "p.json:1:69: statement \"S\" has both Action and NotAction");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow"}})"),
            "p.json:1:14: statement 0 has neither Action nor NotAction");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Resource":"*","NotResource":"*"}})"),
            "p.json:1:74: statement 0 has both Resource and NotResource");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Principal":"*","NotPrincipal":"*"}})"),
            "p.json:1:76: statement 0 has both Principal and NotPrincipal");
  EXPECT_EQ(ParseError(R"({"Version":"2012-10-17","Statment":[]})"),
            "p.json:1:1: policy document has no Statement element");
  EXPECT_EQ(ParseError(R"({"Statement":[],"statement":[]})"),
            "p.json:1:17: unknown top-level element \"statement\" (did you "
            "mean \"Statement\"?)");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Conditions":{}}})"),
            "p.json:1:45: unknown statement element \"Conditions\"");
  EXPECT_EQ(ParseError(R"({"Version":"2012-10-18","Statement":[]})"),
            "p.json:1:12: Version must be \"2012-10-17\" or \"2008-10-17\", "
            "found \"2012-10-18\"");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":[]}})"),
            "p.json:1:41: Action must not be an empty array");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Principal":"arn:aws:iam::1:root"}})"),
            "p.json:1:57: Principal string must be \"*\"; name principals as "
            "{\"AWS\": \"arn:aws:iam::1:root\"}");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Principal":{"Aws":"1"}}})"),
            "p.json:1:58: unknown principal type \"Aws\" in Principal "
            "(expected AWS, Service, Federated or CanonicalUser)");
}

TEST(ParsePolicyTest, WrongTypes) {
  EXPECT_EQ(ParseError(R"({"Statement":5})"),
            "p.json:1:14: Statement must be an object or an array of objects, "
            "found number");
  EXPECT_EQ(ParseError(R"({"Statement":[[]]})"),
            "p.json:1:15: Statement entry must be an object, found array");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":true,"Action":"*"}})"),
            "p.json:1:24: Effect must be \"Allow\" or \"Deny\", found boolean");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":5}})"),
            "p.json:1:41: Action must be a string or an array of strings, "
            "found number");
  EXPECT_EQ(
      ParseError(R"({"Statement":{"Effect":"Allow","Action":["a:b",{}]}})"),
      "p.json:1:48: Action entry must be a string, found object");
  EXPECT_EQ(ParseError(R"({"Version":2012,"Statement":[]})"),
            "p.json:1:12: Version must be a string, found number");
  EXPECT_EQ(
      ParseError(R"({"Statement":{"Sid":1,"Effect":"Allow","Action":"*"}})"),
      "p.json:1:21: Sid must be a string, found number");
  EXPECT_EQ(
      ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                 R"("Condition":{"Bool":{"aws:SecureTransport":null}}}})"),
      "p.json:1:88: value of condition key \"aws:SecureTransport\" must "
      "be a string, number or boolean, found null");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Condition":{"Bool":"x"}}})"),
            "p.json:1:65: condition operator \"Bool\" must be an object of "
            "condition keys, found string");
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow","Action":"*",)"
                       R"("Condition":[]}})"),
            "p.json:1:57: Condition must be an object, found array");
}

TEST(ParsePolicyTest, MalformedInputs) {
  EXPECT_EQ(ParseError(ReadFixture("truncated.json"), Options("t.json")),
            "t.json:7:1: unexpected end of input, expected a string object "
            "key");
  EXPECT_EQ(ParseError(std::string(10000, '[')),
            "p.json:1:65: nesting deeper than 64 levels (max_depth)");
  EXPECT_EQ(ParseError(""), "p.json:1:1: empty input, expected a JSON value");
  EXPECT_EQ(ParseError("{\"Statement\":[],\"Id\":\"caf\xe9\"}"),
            "p.json:1:26: invalid UTF-8 byte 0xe9 in string");
  EXPECT_EQ(ParseError(ReadFixture("duplicate_keys.json")),
            "p.json:6:5: duplicate object key \"Effect\" (first at 4:5)");
  EXPECT_EQ(ParseError(std::string("\x7f"
                                   "ELF\x02\x01\x01\0\0",
                                   9)),
            "p.json:1:1: unexpected byte 0x7f, expected a JSON value");
  EXPECT_EQ(ParseError(ReadFixture("not_json.txt")),
            "p.json:1:1: unexpected 'V', expected a JSON value");
  EXPECT_EQ(ParseError("[]"),
            "p.json:1:1: expected a policy document object, found array");
  EXPECT_EQ(ParseError(R"({"Statement":[]} {})"),
            "p.json:1:18: trailing content after the JSON value: '{'");
  EXPECT_EQ(ParseError(R"({"Id":"\udc00","Statement":[]})"),
            "p.json:1:8: lone low surrogate \\udc00 in string");
  EXPECT_EQ(ParseError("{\"Id\":\"a\nb\",\"Statement\":[]}"),
            "p.json:1:9: raw control character U+000A in string (must be "
            "escaped)");
  EXPECT_EQ(ParseError(R"({"RoleName":"x"})"),
            "p.json:1:1: not an IAM policy document: no Statement element and "
            "no PolicyDocument, PolicyVersion.Document or Policy wrapper");
  EXPECT_EQ(ParseError(R"({"PolicyDocument":"%7B%2"})"),
            "p.json:1:23: invalid percent escape in URL-encoded policy "
            "document");
  EXPECT_EQ(ParseError(R"({"PolicyDocument":"Version=2012-10-17"})"),
            "p.json:1:19: string is neither a JSON policy document nor a "
            "URL-encoded one");
  EXPECT_EQ(ParseError(R"({"PolicyVersion":{"VersionId":"v1"}})"),
            "p.json:1:18: PolicyVersion has no Document element");
  EXPECT_EQ(
      ParseError(R"({"Policy":{"PolicyName":"P","DefaultVersionId":"v2"}})"),
      "p.json:1:11: this is get-policy output, which holds no document; "
      "read the default version with get-policy-version");
  EXPECT_EQ(ParseError(R"({"RoleDetailList":[]})"),
            "p.json:1:1: this is get-account-authorization-details output; "
            "select a role to read its policies");
}

TEST(ParsePolicyTest, LimitsNameTheLimit) {
  ParseOptions o = Options();
  o.limits.max_statements = 2;
  const std::string three =
      R"({"Statement":[{"Effect":"Allow","Action":"*"},)"
      R"({"Effect":"Allow","Action":"*"},{"Effect":"Allow","Action":"*"}]})";
  EXPECT_EQ(ParseError(three, o),
            "p.json:1:14: policy has 3 statements, over the limit of 2 "
            "(max_statements)");
  o = Options();
  o.limits.max_string_length = 8;
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow",)"
                       R"("Action":"dynamodb:GetItem"}})",
                       o),
            "p.json:1:41: string of 16 bytes is longer than the limit of 8 "
            "bytes (max_string_length)");
  o = Options();
  o.limits.max_values = 2;
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow",)"
                       R"("Action":["a:b","a:c","a:d"]}})",
                       o),
            "p.json:1:54: policy has more than 2 strings (max_values)");
  // The JSON-level value bound: 4 * max_values + 64 values of any kind.
  std::string numbers = "[0";
  for (int i = 0; i < 100; ++i) numbers += ",0";
  numbers += "]";
  o = Options();
  o.limits.max_values = 8;
  EXPECT_EQ(ParseError(numbers, o),
            "p.json:1:192: more than 96 values in the document (max_values)");
  o = Options();
  o.limits.max_depth = 1;
  EXPECT_EQ(ParseError(R"({"Statement":{"Effect":"Allow"}})", o),
            "p.json:1:14: nesting deeper than 1 levels (max_depth)");
  o = Options();
  o.limits.max_bytes = 16;
  EXPECT_EQ(ParseError(R"({"Statement":[]}   )", o),
            "p.json:1:1: input is 19 bytes, over the limit of 16 bytes "
            "(max_bytes)");
}

// The default limits, each exceeded by a hostile document that is otherwise
// well-formed: a clean error naming the limit, never a crash.
TEST(ParsePolicyTest, DefaultLimitsStopHostileDocuments) {
  const ParseOptions o = Options();
  std::string statements = R"({"Statement":[)";
  for (int i = 0; i <= 10000; ++i) {
    if (i > 0) statements += ",";
    statements += R"({"Effect":"Allow","Action":"dynamodb:GetItem"})";
  }
  statements += "]}";
  EXPECT_THAT(ParseError(statements, o),
              HasSubstr("policy has 10001 statements, over the limit of 10000 "
                        "(max_statements)"));

  std::string patterns =
      R"({"Statement":{"Effect":"Allow","Action":"*","Resource":[)";
  for (int i = 0; i <= 100000; ++i) {
    if (i > 0) patterns += ",";
    patterns += "\"arn:aws:dynamodb:*:*:table/T" + std::to_string(i) + "*\"";
  }
  patterns += "]}}";
  EXPECT_THAT(ParseError(patterns, o),
              HasSubstr("policy has more than 100000 strings (max_values)"));

  const std::string long_pattern(4097, '*');
  EXPECT_THAT(
      ParseError(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":")" +
                     long_pattern + "\"}}",
                 o),
      HasSubstr("string of 4097 bytes is longer than the limit of 4096 "
                "bytes (max_string_length)"));

  EXPECT_THAT(
      ParseError(std::string(100000, '[') + std::string(100000, ']'), o),
      HasSubstr("nesting deeper than 64 levels (max_depth)"));
  EXPECT_THAT(ParseError(std::string(17u << 20, ' '), o),
              HasSubstr("over the limit of 16777216 bytes (max_bytes)"));
}

}  // namespace
}  // namespace leastpriv
