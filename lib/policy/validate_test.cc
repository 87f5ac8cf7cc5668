// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/validate.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/policy.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Findings as "line:col severity [CODE] message".
std::vector<std::string> Lines(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    out.push_back(absl::StrCat(f.pos.line, ":", f.pos.column, " ",
                               std::string(SeverityName(f.severity)), " [",
                               std::string(FindingCodeName(f.code)), "] ",
                               f.message));
  }
  return out;
}

std::vector<std::string> Check(const std::string& text,
                               PolicyKind kind = PolicyKind::kIdentity) {
  ParseOptions options;
  options.kind = kind;
  const FileValidation v = ValidatePolicyText(text, options);
  EXPECT_TRUE(v.usable);
  return Lines(v.findings);
}

// A one-statement policy with Version 2012-10-17 around `statement`.
std::string Doc(const std::string& statement) {
  return R"({"Version":"2012-10-17","Statement":)" + statement + "}";
}

TEST(SeverityTest, SuggestionsAloneAreNotWarnings) {
  EXPECT_FALSE(HasWarningOrError(
      {Finding{FindingCode::kRedundantAction, Severity::kSuggestion, "", {}}}));
  EXPECT_TRUE(HasWarningOrError(
      {Finding{FindingCode::kUnknownAction, Severity::kWarning, "", {}}}));
}

TEST(ValidateTest, CleanPolicyHasNoFindings) {
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetItem",)"
                R"("Resource":"arn:aws:dynamodb:us-east-1:1:table/t"})")),
      IsEmpty());
}

TEST(ValidateTest, UnusableInputs) {
  ParseOptions options;
  options.file_name = "x.json";
  FileValidation v = ValidatePolicyText("{\"Statement\": [", options);
  EXPECT_FALSE(v.usable);
  EXPECT_EQ(v.file, "x.json");
  EXPECT_THAT(Lines(v.findings),
              ElementsAre("1:16 error [JSON_SYNTAX_ERROR] unexpected end of "
                          "input, expected a JSON value"));
  EXPECT_EQ(v.findings[0].pos.file, "x.json");
  v = ValidatePolicyText("[1]", options);
  EXPECT_THAT(Lines(v.findings),
              ElementsAre("1:1 error [NOT_A_POLICY] expected a policy document "
                          "object, found array"));
  options.limits.max_depth = 3;
  v = ValidatePolicyText(R"({"Statement":[{"Effect":{"a":1}}]})", options);
  EXPECT_THAT(Lines(v.findings),
              ElementsAre("1:25 error [LIMIT_EXCEEDED] nesting deeper than 3 "
                          "levels (max_depth)"));
  v = ValidatePolicyFile("testdata/policies/absent.json", ParseOptions());
  EXPECT_FALSE(v.usable);
  EXPECT_THAT(Lines(v.findings),
              ElementsAre("0:0 error [FILE_UNREADABLE] no such file"));
  EXPECT_EQ(v.findings[0].pos.file, "testdata/policies/absent.json");
  // The parser's errors for the same inputs are plain "file:line:col:
  // message": the code travels beside the message, not inside it.
  options = ParseOptions();
  options.file_name = "x.json";
  EXPECT_EQ(ParsePolicy("[1]", options).status().message(),
            "x.json:1:1: expected a policy document object, found array");
  EXPECT_EQ(LoadPolicyFile("testdata/policies/absent.json", ParseOptions())
                .status()
                .message(),
            "testdata/policies/absent.json: no such file");
}

// An unusable-input error reads "POS: message" for a person, and gives its
// finding back from payloads: a message that looks like a position is not
// taken for one.
TEST(ValidateTest, UnusableInputCarriesItsFinding) {
  const absl::Status status = policy_internal::UnusableInput(
      absl::StatusCode::kNotFound, FindingCode::kNotAPolicy, {"a.json", 3, 7},
      "4:5: looks like a position");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "a.json:3:7: 4:5: looks like a position");
  Finding f = policy_internal::UnusableFinding(status, "a.json");
  EXPECT_EQ(f.code, FindingCode::kNotAPolicy);
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.pos.file, "a.json");
  EXPECT_EQ(f.pos.line, 3);
  EXPECT_EQ(f.pos.column, 7);
  EXPECT_EQ(f.message, "4:5: looks like a position");
  // Any other error: the file cannot be used, for the reason it gives.
  f = policy_internal::UnusableFinding(absl::InternalError("a.json:1:1: x"),
                                       "a.json");
  EXPECT_EQ(f.code, FindingCode::kFileUnreadable);
  EXPECT_EQ(f.pos.line, 0);
  EXPECT_EQ(f.message, "a.json:1:1: x");
}

TEST(ValidateTest, StructuralProblemsAreAllReported) {
  const FileValidation v = ValidatePolicyFile(
      "testdata/policies/structural_errors.json", ParseOptions());
  ASSERT_TRUE(v.usable);
  EXPECT_THAT(Lines(v.findings),
              ElementsAre("3:3 error [UNKNOWN_ELEMENT] unknown top-level "
                          "element \"Statment\"",
                          "5:5 error [MISSING_EFFECT] statement \"NoEffect\" "
                          "has no Effect element",
                          "14:20 error [ACTION_AND_NOT_ACTION] statement "
                          "\"Both\" has both Action and NotAction",
                          "22:7 error [UNKNOWN_ELEMENT] unknown statement "
                          "element \"Conditions\""));
}

TEST(ValidateTest, StructuralCodes) {
  EXPECT_THAT(Check(R"({"Version":"2012-10-17"})"),
              ElementsAre("1:1 error [MISSING_STATEMENT] policy document has "
                          "no Statement element"));
  EXPECT_THAT(Check(Doc(R"({"Effect":"allow","Action":"a:b","Resource":"*"})")),
              ElementsAre("1:47 error [INVALID_EFFECT] Effect must be "
                          "\"Allow\" or \"Deny\", found \"allow\""));
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Resource":"*"})")),
              ElementsAre("1:37 error [MISSING_ACTION] statement 0 has "
                          "neither Action nor NotAction"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"a:b","Resource":"*",)"
                R"("NotResource":"*"})")),
      ElementsAre("1:99 error [RESOURCE_AND_NOT_RESOURCE] statement 0 has "
                  "both Resource and NotResource"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"a:b","Resource":"*",)"
                R"("Principal":"*","NotPrincipal":"*"})"),
            PolicyKind::kResource),
      ElementsAre("1:116 error [PRINCIPAL_AND_NOT_PRINCIPAL] statement 0 has "
                  "both Principal and NotPrincipal"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"a:b","Resource":"*",)"
                R"("Principal":{"User":"x"}})"),
            PolicyKind::kResource),
      ElementsAre("1:98 error [INVALID_PRINCIPAL] unknown principal type "
                  "\"User\" in Principal (expected AWS, Service, Federated or "
                  "CanonicalUser)"));
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Action":"a:b","Resource":[]})")),
              ElementsAre("1:81 error [EMPTY_ELEMENT] Resource must not be an "
                          "empty array"));
  EXPECT_THAT(Check(R"({"Version":"2012","Statement":[]})"),
              ElementsAre("1:12 error [INVALID_VERSION] Version must be "
                          "\"2012-10-17\" or \"2008-10-17\", found \"2012\""));
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Action":"a:b","Resource":7})")),
              ElementsAre("1:81 error [INVALID_TYPE] Resource must be a string "
                          "or an array of strings, found number"));
}

TEST(ValidateTest, ActionCodes) {
  EXPECT_THAT(
      Check(
          Doc(R"({"Sid":"Reads","Effect":"Allow","Action":"dynamodb:GetItems",)"
              R"("Resource":"*"})")),
      ElementsAre("1:78 warning [UNKNOWN_ACTION] statement \"Reads\": unknown "
                  "action \"dynamodb:GetItems\" (did you mean "
                  "\"dynamodb:GetItem\"?)"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"DynamoDB:Frobnicate*",)"
                R"("Resource":"*"})")),
      ElementsAre("1:64 warning [UNKNOWN_ACTION] statement 0: action pattern "
                  "\"DynamoDB:Frobnicate*\" matches no DynamoDB action"));
  // Other services are not checked against the DynamoDB catalog.
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Action":"s3:GetObjects",)"
                        R"("Resource":"*"})")),
              IsEmpty());
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Action":"GetItem",)"
                        R"("Resource":"*"})")),
              ElementsAre("1:64 error [INVALID_ACTION] statement 0: action "
                          "\"GetItem\" must be \"service:action\" or \"*\""));
}

TEST(ValidateTest, ResourceCodes) {
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetItem",)"
                R"("Resource":["arn:aws:dynamodb:us-east-1:1","orders"]})")),
      ElementsAre("1:95 error [INVALID_ARN] statement 0: resource "
                  "\"arn:aws:dynamodb:us-east-1:1\" is neither \"*\" nor an "
                  "ARN of the form "
                  "arn:partition:service:region:account:resource",
                  "1:126 error [INVALID_ARN] statement 0: resource \"orders\" "
                  "is neither \"*\" nor an ARN of the form "
                  "arn:partition:service:region:account:resource"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetItem",)"
                R"("Resource":"arn:aws::us-east-1:1:table/t"})")),
      ElementsAre("1:94 error [INVALID_ARN] statement 0: ARN "
                  "\"arn:aws::us-east-1:1:table/t\" has an empty service "
                  "segment"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetItem",)"
                R"("Resource":"arn:aws:*:us-east-1:1:table/t"})")),
      ElementsAre("1:94 error [WILDCARD_IN_ARN_SERVICE] statement 0: ARN "
                  "\"arn:aws:*:us-east-1:1:table/t\" has a wildcard in its "
                  "service segment \"*\"; IAM does not match wildcards there"));
  // Policy variables may contain colons.
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetItem","Resource":)"
                R"("arn:aws:dynamodb:${aws:RequestedRegion}:1:table/t"})")),
      IsEmpty());
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetItem"})")),
              ElementsAre("1:37 error [MISSING_RESOURCE] statement 0 has "
                          "neither Resource nor NotResource"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:Query","Resource":[)"
                R"("arn:aws:dynamodb:us-east-1:1:table/t/index/*",)"
                R"("arn:aws:dynamodb:us-east-1:1:table/t/index/byDate"]})")),
      ElementsAre("1:140 suggestion [REDUNDANT_RESOURCE] statement 0: "
                  "resource \"arn:aws:dynamodb:us-east-1:1:table/t/index/"
                  "byDate\" is already covered by "
                  "\"arn:aws:dynamodb:us-east-1:1:table/t/index/*\""));
}

TEST(ValidateTest, ActionResourceMismatch) {
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:ListTables",)"
                R"("Resource":"arn:aws:dynamodb:us-east-1:1:table/t"})")),
      ElementsAre("1:64 warning [ACTION_RESOURCE_MISMATCH] statement 0: "
                  "dynamodb:ListTables is authorized only on Resource \"*\", "
                  "not on the listed table resources"));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:GetRecords",)"
                R"("Resource":"arn:aws:dynamodb:us-east-1:1:table/t"})")),
      ElementsAre("1:64 warning [ACTION_RESOURCE_MISMATCH] statement 0: "
                  "dynamodb:GetRecords applies to stream resources, none of "
                  "which is listed (listed: table)"));
  // Applies to one of the listed types: fine.
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":["dynamodb:Query"],"Resource":[)"
                R"("arn:aws:dynamodb:us-east-1:1:table/t",)"
                R"("arn:aws:dynamodb:us-east-1:1:table/t/stream/*"]})")),
      IsEmpty());
}

TEST(ValidateTest, ConditionCodes) {
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:Query","Resource":"*",)"
                R"("Condition":{"StringEqualz":{"aws:SourceVpc":"vpc-1"},)"
                R"("NullIfExists":{"aws:TagKeys":"true"}}})")),
      ElementsAre("1:125 error [UNKNOWN_CONDITION_OPERATOR] statement 0: "
                  "unknown condition operator \"StringEqualz\"",
                  "1:166 error [UNKNOWN_CONDITION_OPERATOR] statement 0: "
                  "unknown condition operator \"NullIfExists\""));
  EXPECT_THAT(
      Check(
          Doc(R"({"Effect":"Allow","Action":"dynamodb:Query","Resource":"*",)"
              R"("Condition":{"StringEquals":{"dynamodb:LeadingKey":"u"}}})")),
      ElementsAre("1:125 warning [UNKNOWN_CONDITION_KEY] statement 0: unknown "
                  "condition key \"dynamodb:LeadingKey\""));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:ListTables",)"
                R"("Resource":"*","Condition":{"ForAllValues:StringEquals":)"
                R"({"dynamodb:LeadingKeys":"u"}}})")),
      ElementsAre("1:143 warning [CONDITION_KEY_NOT_APPLICABLE] statement 0: "
                  "condition key \"dynamodb:LeadingKeys\" is not supported by "
                  "any listed action, so it is absent from their requests"));
  // Supported by one listed action (through a wildcard): fine.
  EXPECT_THAT(
      Check(Doc(
          R"({"Effect":"Allow","Action":["dynamodb:List*","dynamodb:Get*"],)"
          R"("Resource":"*","Condition":{"ForAllValues:StringEquals":)"
          R"({"dynamodb:leadingkeys":"u"}}})")),
      IsEmpty());
}

TEST(ValidateTest, PrincipalCodes) {
  const std::string not_principal =
      Doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:role/a"},)"
          R"("Action":"dynamodb:*","Resource":"*"})");
  EXPECT_THAT(
      Check(not_principal),
      ElementsAre("1:69 warning [DENY_WITH_NOT_PRINCIPAL] statement 0: Deny "
                  "with NotPrincipal denies every principal not listed, "
                  "including service principals and assumed-role sessions of "
                  "listed roles; prefer Principal \"*\" with a condition on "
                  "aws:PrincipalArn",
                  "1:69 error [PRINCIPAL_NOT_SUPPORTED] statement 0: "
                  "NotPrincipal is not supported in an identity policy (the "
                  "policy applies to the principal it is attached to)"));
  EXPECT_THAT(Check(not_principal, PolicyKind::kResource),
              ElementsAre(testing::HasSubstr("[DENY_WITH_NOT_PRINCIPAL]")));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Principal":"*","Action":"dynamodb:*",)"
                R"("Resource":"*"})"),
            PolicyKind::kBoundary),
      ElementsAre("1:67 error [PRINCIPAL_NOT_SUPPORTED] statement 0: "
                  "Principal is not supported in a boundary policy (the "
                  "policy applies to the principal it is attached to)"));
  EXPECT_THAT(Check(Doc(R"({"Effect":"Allow","Action":"dynamodb:*",)"
                        R"("Resource":"*"})"),
                    PolicyKind::kResource),
              ElementsAre("1:37 error [MISSING_PRINCIPAL] statement 0: a "
                          "resource policy statement must have a Principal"));
}

TEST(ValidateTest, PolicyLevelCodes) {
  EXPECT_THAT(
      Check(
          R"({"Statement":{"Effect":"Allow","Action":"dynamodb:Query",)"
          R"("Resource":"arn:aws:dynamodb:us-east-1:1:table/${aws:username}"}})"),
      ElementsAre("1:1 warning [MISSING_VERSION] policy has no Version "
                  "element; add \"Version\": \"2012-10-17\" so that policy "
                  "variables are substituted",
                  "1:69 warning [POLICY_VARIABLE_IN_OLD_VERSION] "
                  "\"arn:aws:dynamodb:us-east-1:1:table/${aws:username}\" "
                  "contains a policy variable, which is only substituted "
                  "with \"Version\": \"2012-10-17\"; here it is matched "
                  "literally"));
  EXPECT_THAT(
      Check(
          R"({"Version":"2012-10-17","Statement":[)"
          R"({"Sid":"A","Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"},)"
          R"({"Sid":"A","Effect":"Allow","Action":"dynamodb:SCAN","Resource":"*"}]})"),
      ElementsAre("1:107 suggestion [REDUNDANT_STATEMENT] statement \"A\" "
                  "repeats statement \"A\" at 1:38",
                  "1:114 error [DUPLICATE_SID] Sid \"A\" is already used by "
                  "the statement at 1:38"));
}

TEST(ValidateTest, RedundantActions) {
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":["dynamodb:*","dynamodb:Get*",)"
                R"("dynamodb:Query","dynamodb:query"],"Resource":"*"})")),
      ElementsAre("1:78 suggestion [REDUNDANT_ACTION] statement 0: action "
                  "\"dynamodb:Get*\" is already covered by \"dynamodb:*\"",
                  "1:94 suggestion [REDUNDANT_ACTION] statement 0: action "
                  "\"dynamodb:Query\" is already covered by \"dynamodb:*\"",
                  "1:111 suggestion [REDUNDANT_ACTION] statement 0: action "
                  "\"dynamodb:query\" is already covered by \"dynamodb:*\""));
  EXPECT_THAT(
      Check(Doc(R"({"Effect":"Allow","Action":["dynamodb:Get?tem",)"
                R"("dynamodb:Get*"],"Resource":"*"})")),
      ElementsAre("1:65 suggestion [REDUNDANT_ACTION] statement 0: action "
                  "\"dynamodb:Get?tem\" is already covered by "
                  "\"dynamodb:Get*\""));
}

TEST(ValidateTest, PolicyBuiltInCode) {
  Policy policy;
  policy.version = "2012-10-17";
  Statement st;
  st.effect = Effect::kAllow;
  st.actions.push_back(PolicyString{"dynamodb:PutItems", {}});
  st.has_resource = true;
  st.resources.push_back(PolicyString{"*", {}});
  policy.statements.push_back(st);
  const std::vector<Finding> findings = ValidatePolicy(policy);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, FindingCode::kUnknownAction);
  EXPECT_EQ(findings[0].pos.line, 0);
}

TEST(ValidateTest, FixturesInEveryShape) {
  for (const char* name :
       {"orders_service_inline.json", "get_role_policy.json",
        "get_policy_version.json", "url_encoded_policy_version.json"}) {
    const FileValidation v = ValidatePolicyFile(
        std::string("testdata/policies/") + name, ParseOptions());
    EXPECT_TRUE(v.usable) << name;
    EXPECT_THAT(Lines(v.findings), IsEmpty()) << name;
  }
  ParseOptions resource;
  resource.kind = PolicyKind::kResource;
  for (const char* name :
       {"table_resource_policy.json", "get_resource_policy.json"}) {
    const FileValidation v =
        ValidatePolicyFile(std::string("testdata/policies/") + name, resource);
    EXPECT_THAT(Lines(v.findings), IsEmpty()) << name;
  }
}

}  // namespace
}  // namespace leastpriv
