// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/iac.h"
#include "lib/iac/test_util.h"

namespace leastpriv {
namespace {

using iac_test::Dump;
using iac_test::ReadTestFile;
using iac_test::Texts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

IacOptions Account(std::string region = "") {
  IacOptions o;
  o.account_id = "123456789012";
  o.region = std::move(region);
  return o;
}

std::vector<ExtractedPolicy> Extract(const std::string& text,
                                     const std::string& file,
                                     const IacOptions& options) {
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractCloudFormation(text, file, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::vector<ExtractedPolicy>();
}

std::vector<std::string> References(const ExtractedPolicy& e) {
  std::vector<std::string> out;
  for (const UnresolvedReference& u : e.unresolved) {
    out.push_back(
        absl::StrCat(u.reference, "@", u.pos.line, ":", u.pos.column));
  }
  return out;
}

TEST(CloudFormationJson, RoleWithInlineManagedAndBoundary) {
  const std::vector<ExtractedPolicy> got = Extract(
      ReadTestFile("cfn_role.json"), "cfn_role.json", Account("eu-west-1"));
  ASSERT_EQ(got.size(), 5u) << Dump(got);

  const ExtractedPolicy& inline_policy = got[0];
  EXPECT_EQ(inline_policy.policy.name, "AppRole/orders-rw");
  EXPECT_EQ(inline_policy.policy.kind, PolicyKind::kIdentity);
  EXPECT_EQ(inline_policy.role, "orders-app");
  EXPECT_EQ(inline_policy.role_resource, "AppRole");
  EXPECT_EQ(inline_policy.source_resource, "AppRole");
  EXPECT_TRUE(inline_policy.has_document);
  EXPECT_TRUE(inline_policy.unresolved.empty()) << Dump(got);
  EXPECT_TRUE(inline_policy.problems.empty()) << Dump(got);
  EXPECT_EQ(inline_policy.pos.line, 25);
  EXPECT_EQ(inline_policy.policy.version, "2012-10-17");
  ASSERT_EQ(inline_policy.policy.statements.size(), 1u);
  const Statement& rw = inline_policy.policy.statements[0];
  EXPECT_EQ(rw.sid, "ReadWrite");
  EXPECT_EQ(rw.pos.line, 28);
  EXPECT_EQ(rw.pos.file, "cfn_role.json");
  EXPECT_THAT(Texts(rw.actions),
              ElementsAre("dynamodb:GetItem", "dynamodb:PutItem"));
  EXPECT_EQ(rw.actions[1].pos.line, 31);
  EXPECT_EQ(rw.actions[1].pos.column, 50);
  EXPECT_THAT(Texts(rw.resources),
              ElementsAre("arn:aws:dynamodb:eu-west-1:123456789012:table/"
                          "Orders"));
  EXPECT_EQ(rw.resources[0].pos.line, 32);
  ASSERT_EQ(rw.conditions.size(), 1u);
  EXPECT_EQ(rw.conditions[0].op, ConditionOperator::kStringEquals);
  EXPECT_EQ(rw.conditions[0].key, "aws:RequestedRegion");
  EXPECT_EQ(rw.conditions[0].pos.line, 34);
  EXPECT_EQ(rw.conditions[0].pos.column, 38);
  ASSERT_EQ(rw.conditions[0].values.size(), 1u);
  EXPECT_EQ(rw.conditions[0].values[0].text, "eu-west-1");

  // An AWS managed policy: kept as an external reference.
  const ExtractedPolicy& aws_managed = got[1];
  EXPECT_FALSE(aws_managed.has_document);
  EXPECT_EQ(aws_managed.policy.kind, PolicyKind::kIdentity);
  EXPECT_EQ(aws_managed.policy_arn,
            "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess");
  EXPECT_EQ(aws_managed.role, "orders-app");
  EXPECT_EQ(aws_managed.pos.line, 43);
  EXPECT_TRUE(aws_managed.policy.statements.empty());
  EXPECT_THAT(References(aws_managed),
              ElementsAre("ManagedPolicyArns arn:aws:iam::aws:policy/"
                          "AmazonDynamoDBReadOnlyAccess@43:11"));

  // The template's managed policy, attached through ManagedPolicyArns.
  const ExtractedPolicy& managed = got[2];
  EXPECT_EQ(managed.policy.name, "orders-read");
  EXPECT_EQ(managed.source_resource, "ReadOnlyPolicy");
  EXPECT_EQ(managed.role, "orders-app");
  EXPECT_EQ(managed.role_resource, "AppRole");
  ASSERT_EQ(managed.policy.statements.size(), 1u);
  const Statement& query = managed.policy.statements[0];
  EXPECT_EQ(query.pos.line, 54);
  EXPECT_THAT(Texts(query.actions), ElementsAre("dynamodb:Query"));
  EXPECT_THAT(
      Texts(query.resources),
      ElementsAre("arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
                  "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/"
                  "index/*"));
  EXPECT_EQ(query.resources[0].pos.line, 58);
  EXPECT_EQ(query.resources[1].pos.line, 59);

  // The boundary, resolved from Ref Boundary to the template's policy.
  const ExtractedPolicy& boundary = got[3];
  EXPECT_EQ(boundary.policy.name, "dynamodb-boundary");
  EXPECT_EQ(boundary.policy.kind, PolicyKind::kBoundary);
  EXPECT_EQ(boundary.role, "orders-app");
  ASSERT_EQ(boundary.policy.statements.size(), 2u);
  EXPECT_EQ(boundary.policy.statements[1].effect, Effect::kDeny);
  EXPECT_THAT(Texts(boundary.policy.statements[1].actions),
              ElementsAre("dynamodb:DeleteTable"));
  EXPECT_EQ(boundary.policy.statements[1].pos.line, 73);

  // AWS::IAM::Policy attached via Roles: [Ref AppRole].
  const ExtractedPolicy& stream = got[4];
  EXPECT_EQ(stream.policy.name, "AppRole/orders-stream");
  EXPECT_EQ(stream.source_resource, "StreamPolicy");
  EXPECT_EQ(stream.role, "orders-app");
  ASSERT_EQ(stream.policy.statements.size(), 1u);
  EXPECT_THAT(Texts(stream.policy.statements[0].resources),
              ElementsAre("arn:aws:dynamodb:eu-west-1:123456789012:table/"
                          "Orders/stream/*"));
  EXPECT_EQ(stream.policy.statements[0].resources[0].pos.line, 89);
}

TEST(CloudFormationJson, UnknownRegionStaysMarkedOrBecomesWildcard) {
  const std::string text = ReadTestFile("cfn_role.json");
  std::vector<ExtractedPolicy> got = Extract(text, "cfn_role.json", Account());
  ASSERT_EQ(got.size(), 5u);
  EXPECT_THAT(Texts(got[0].policy.statements[0].resources),
              ElementsAre("arn:aws:dynamodb:{{unresolved:AWS::Region}}:"
                          "123456789012:table/Orders"));
  EXPECT_THAT(References(got[0]),
              ElementsAre("AWS::Region@32:31", "AWS::Region@34:61"));

  IacOptions wildcard = Account();
  wildcard.unresolved_as_wildcard = true;
  got = Extract(text, "cfn_role.json", wildcard);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_THAT(Texts(got[0].policy.statements[0].resources),
              ElementsAre("arn:aws:dynamodb:*:123456789012:table/Orders"));
  EXPECT_EQ(got[0].policy.statements[0].conditions[0].values[0].text, "*");
  EXPECT_EQ(got[0].unresolved.size(), 2u);
}

TEST(CloudFormationYaml, ShortFormIntrinsics) {
  const std::vector<ExtractedPolicy> got = Extract(
      ReadTestFile("cfn_role.yaml"), "cfn_role.yaml", Account("us-west-2"));
  ASSERT_EQ(got.size(), 1u) << Dump(got);
  const ExtractedPolicy& e = got[0];
  EXPECT_EQ(e.policy.name, "ReportsRole/reports");
  EXPECT_EQ(e.role, "ReportsRole");  // no RoleName: the logical id
  EXPECT_EQ(e.pos.line, 23);
  ASSERT_EQ(e.policy.statements.size(), 3u);

  const Statement& reads = e.policy.statements[0];
  EXPECT_EQ(reads.sid, "Reads");
  EXPECT_EQ(reads.pos.line, 25);
  EXPECT_THAT(Texts(reads.actions),
              ElementsAre("dynamodb:Query", "dynamodb:Scan"));
  EXPECT_EQ(reads.actions[1].pos.line, 29);
  EXPECT_EQ(reads.actions[1].pos.column, 21);
  EXPECT_THAT(Texts(reads.resources),
              ElementsAre(
                  // !Sub with AWS::AccountId and a table Ref (TableName is a
                  // !Sub over a parameter Default).
                  "arn:aws:dynamodb:us-east-1:123456789012:table/reports-prod",
                  // !GetAtt Table.Arn
                  "arn:aws:dynamodb:us-west-2:123456789012:table/reports-prod",
                  // !Join of !GetAtt and !Select
                  "arn:aws:dynamodb:us-west-2:123456789012:table/reports-prod/"
                  "index/byDate"));
  EXPECT_EQ(reads.resources[0].pos.line, 31);
  EXPECT_EQ(reads.resources[1].pos.line, 32);
  EXPECT_EQ(reads.resources[2].pos.line, 33);

  // !If on a condition decided by the Stage parameter's Default.
  const Statement& archive = e.policy.statements[1];
  EXPECT_THAT(Texts(archive.resources),
              ElementsAre("arn:aws:dynamodb:*:123456789012:table/archive"));
  EXPECT_EQ(archive.resources[0].pos.line, 39);

  // A parameter without Default stays symbolic and is reported.
  const Statement& legacy = e.policy.statements[2];
  EXPECT_THAT(Texts(legacy.resources),
              ElementsAre("arn:aws:dynamodb:*:*:table/{{unresolved:Ref "
                          "TablePrefix}}-legacy"));
  ASSERT_EQ(legacy.conditions.size(), 1u);
  EXPECT_EQ(legacy.conditions[0].op, ConditionOperator::kBool);
  EXPECT_EQ(legacy.conditions[0].pos.line, 47);
  EXPECT_EQ(legacy.conditions[0].values[0].text, "true");
  EXPECT_EQ(legacy.conditions[0].values[0].type, ValueType::kBool);
  ASSERT_EQ(e.unresolved.size(), 1u);
  EXPECT_EQ(e.unresolved[0].reference, "Ref TablePrefix");
  EXPECT_EQ(e.unresolved[0].reason, "parameter has no Default");
  EXPECT_EQ(e.unresolved[0].pos.line, 44);
}

TEST(CloudFormationYaml, UndecidableIfKeepsBothBranches) {
  const std::string text = R"(Parameters:
  Stage:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: dynamodb:GetItem
                Resource: !If [IsProd, "arn:aws:dynamodb:*:*:table/prod", "arn:aws:dynamodb:*:*:table/dev"]
              - !If
                - IsProd
                - !Ref AWS::NoValue
                - Effect: Allow
                  Action: dynamodb:DeleteItem
                  Resource: "*"
)";
  const std::vector<ExtractedPolicy> got =
      Extract(text, "if.yaml", Account("us-east-1"));
  ASSERT_EQ(got.size(), 1u);
  const Policy& p = got[0].policy;
  ASSERT_EQ(p.statements.size(), 2u) << Dump(got);
  EXPECT_THAT(Texts(p.statements[0].resources),
              ElementsAre("arn:aws:dynamodb:*:*:table/prod",
                          "arn:aws:dynamodb:*:*:table/dev"));
  EXPECT_THAT(Texts(p.statements[1].actions),
              ElementsAre("dynamodb:DeleteItem"));
  EXPECT_EQ(p.statements[1].pos.line, 22);
  EXPECT_THAT(References(got[0]),
              ElementsAre("Fn::If IsProd@18:27", "Fn::If IsProd@19:17"));
}

TEST(CloudFormationYaml, TableResourcePolicyWithAnyPrincipal) {
  const std::vector<ExtractedPolicy> got =
      Extract(ReadTestFile("cfn_table_policy.yaml"), "cfn_table_policy.yaml",
              Account("us-east-1"));
  ASSERT_EQ(got.size(), 4u) << Dump(got);
  const ExtractedPolicy& shared = got[0];
  EXPECT_EQ(shared.policy.name, "SharedTable/ResourcePolicy");
  EXPECT_EQ(shared.policy.kind, PolicyKind::kResource);
  EXPECT_EQ(shared.table, "shared-events");
  EXPECT_EQ(shared.role, "");
  ASSERT_EQ(shared.policy.statements.size(), 1u);
  const Statement& st = shared.policy.statements[0];
  EXPECT_EQ(st.sid, "PublicRead");
  ASSERT_TRUE(st.principal.has_value());
  ASSERT_EQ(st.principal->entries.size(), 1u);
  EXPECT_EQ(st.principal->entries[0].type, PrincipalType::kAny);
  EXPECT_EQ(st.principal->entries[0].pos.line, 14);
  EXPECT_THAT(Texts(st.actions), ElementsAre("dynamodb:GetItem"));
  EXPECT_EQ(st.actions[0].pos.line, 15);

  // No TableName: keyed by the logical id; its generated name is unresolved.
  const ExtractedPolicy& generated = got[1];
  EXPECT_EQ(generated.table, "GeneratedNameTable");
  EXPECT_EQ(generated.policy.statements[0].principal->entries[0].value,
            "arn:aws:iam::123456789012:root");
  EXPECT_THAT(Texts(generated.policy.statements[0].resources),
              ElementsAre("arn:aws:dynamodb:us-east-1:123456789012:table/"
                          "{{unresolved:Ref GeneratedNameTable}}"));
  EXPECT_THAT(References(generated),
              ElementsAre("Ref GeneratedNameTable@29:25"));
}

TEST(CloudFormationYaml, GlobalTableReplicaPolicies) {
  const std::vector<ExtractedPolicy> got =
      Extract(ReadTestFile("cfn_table_policy.yaml"), "cfn_table_policy.yaml",
              Account("us-east-1"));
  ASSERT_EQ(got.size(), 4u);
  const ExtractedPolicy& replica = got[2];
  EXPECT_EQ(replica.policy.name, "Sessions/us-east-1/ResourcePolicy");
  EXPECT_EQ(replica.table, "sessions");
  EXPECT_EQ(replica.policy.kind, PolicyKind::kResource);
  EXPECT_EQ(replica.pos.line, 41);
  ASSERT_EQ(replica.policy.statements.size(), 1u);
  const Statement& st = replica.policy.statements[0];
  EXPECT_EQ(st.principal->entries[0].type, PrincipalType::kAws);
  EXPECT_EQ(st.principal->entries[0].value,
            "arn:aws:iam::111122223333:role/sessions-reader");
  EXPECT_THAT(Texts(st.actions),
              ElementsAre("dynamodb:GetItem", "dynamodb:Query"));
  EXPECT_EQ(st.actions[1].pos.line, 46);
  EXPECT_EQ(st.actions[1].pos.column, 46);

  const ExtractedPolicy& stream = got[3];
  EXPECT_EQ(stream.policy.name, "Sessions/us-east-1/StreamResourcePolicy");
  EXPECT_EQ(stream.table, "sessions");
  EXPECT_THAT(Texts(stream.policy.statements[0].actions),
              ElementsAre("dynamodb:GetRecords"));
  EXPECT_EQ(stream.policy.statements[0].actions[0].pos.line, 56);
}

TEST(CloudFormationJson, ImportValueIsUnresolvedAndStatementKept) {
  const std::vector<ExtractedPolicy> got = Extract(
      ReadTestFile("cfn_import.json"), "cfn_import.json", Account("eu-west-1"));
  ASSERT_EQ(got.size(), 2u) << Dump(got);
  const ExtractedPolicy& e = got[0];
  ASSERT_EQ(e.policy.statements.size(), 2u);
  EXPECT_EQ(e.policy.statements[0].sid, "SharedWrites");
  EXPECT_THAT(Texts(e.policy.statements[0].actions),
              ElementsAre("dynamodb:UpdateItem"));
  EXPECT_THAT(Texts(e.policy.statements[0].resources),
              ElementsAre("{{unresolved:Fn::ImportValue SharedTableArn}}"));
  EXPECT_THAT(Texts(e.policy.statements[1].resources),
              ElementsAre("arn:aws:dynamodb:eu-west-1:123456789012:table/"
                          "{{unresolved:Fn::ImportValue SharedTableName}}"));
  EXPECT_THAT(References(e),
              ElementsAre("Fn::ImportValue SharedTableArn@16:31",
                          "Fn::ImportValue SharedTableName@22:120"));
  EXPECT_EQ(e.unresolved[0].reason, "value is exported by another stack");

  const ExtractedPolicy& boundary = got[1];
  EXPECT_EQ(boundary.policy.kind, PolicyKind::kBoundary);
  EXPECT_FALSE(boundary.has_document);
  EXPECT_EQ(boundary.policy_arn,
            "arn:aws:iam::123456789012:policy/org-boundary");
  EXPECT_EQ(boundary.role, "WorkerRole");
  EXPECT_EQ(boundary.pos.line, 28);

  IacOptions wildcard = Account("eu-west-1");
  wildcard.unresolved_as_wildcard = true;
  const std::vector<ExtractedPolicy> wild =
      Extract(ReadTestFile("cfn_import.json"), "cfn_import.json", wildcard);
  ASSERT_EQ(wild.size(), 2u);
  EXPECT_THAT(Texts(wild[0].policy.statements[0].resources), ElementsAre("*"));
  EXPECT_THAT(Texts(wild[0].policy.statements[1].resources),
              ElementsAre("arn:aws:dynamodb:eu-west-1:123456789012:table/*"));
}

TEST(CloudFormationJson, SubMapFormLiteralsAndFindInMap) {
  const std::string text = R"({
  "Mappings": {"Tables": {"prod": {"Name": "orders-prod"}}},
  "Resources": {
    "P": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": [
              {"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}", {"T": {"Fn::FindInMap": ["Tables", "prod", "Name"]}}]},
              {"Fn::Sub": "arn:aws:dynamodb:*:*:table/${!aws:username}"}
            ]
          }]
        }
      }
    }
  }
})";
  IacOptions o = Account("ap-south-1");
  o.partition = "aws-cn";
  const std::vector<ExtractedPolicy> got = Extract(text, "sub.json", o);
  ASSERT_EQ(got.size(), 1u);
  // Attached to no role in the template.
  EXPECT_EQ(got[0].role, "");
  EXPECT_EQ(got[0].policy.name, "P");
  EXPECT_THAT(Texts(got[0].policy.statements[0].resources),
              ElementsAre("arn:aws-cn:dynamodb:ap-south-1:123456789012:table/"
                          "orders-prod",
                          "arn:aws:dynamodb:*:*:table/${aws:username}"));
  EXPECT_TRUE(got[0].unresolved.empty());
}

TEST(CloudFormationErrors, MalformedJsonIsPositioned) {
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractCloudFormation("{\n  \"Resources\": {\n    \"A\": [1,]\n  }\n}",
                            "bad.json", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("bad.json:3:"));
}

TEST(CloudFormationErrors, MalformedYamlIsPositioned) {
  absl::StatusOr<std::vector<ExtractedPolicy>> r = ExtractCloudFormation(
      "Resources:\n  A:\n    Type: [unclosed\n", "bad.yaml", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("bad.yaml:4:1: invalid YAML: "));
}

TEST(CloudFormationErrors, NotATemplate) {
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractCloudFormation("Version: 1\n", "x.yaml", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "x.yaml:1:1: not a CloudFormation template: no Resources mapping");
}

TEST(CloudFormationErrors, UnusablePolicyDocument) {
  absl::StatusOr<std::vector<ExtractedPolicy>> r = ExtractCloudFormation(
      "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
      "      PolicyDocument: 42\n",
      "p.yaml", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "p.yaml:5:23: expected a policy document object, found number");
}

TEST(CloudFormationLimits, AliasBombStopsAtMaxNodes) {
  IacOptions o;
  o.limits.max_nodes = 100000;
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractCloudFormation(ReadTestFile("bomb.yaml"), "bomb.yaml", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("template expands to more than 100000 nodes "
                        "(max_nodes)"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("bomb.yaml:"));
  // The default limit stops it too.
  r = ExtractCloudFormation(ReadTestFile("bomb.yaml"), "bomb.yaml",
                            IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("(max_nodes)"));
}

TEST(CloudFormationLimits, NestingDepth) {
  std::string yaml = "Resources: ";
  for (int i = 0; i < 100; ++i) yaml += "[";
  for (int i = 0; i < 100; ++i) yaml += "]";
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractCloudFormation(yaml, "deep.yaml", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("deep.yaml:1:"));
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("nesting deeper than 64 levels (max_depth)"));

  std::string json = "{\"Resources\": ";
  for (int i = 0; i < 100; ++i) json += "[";
  for (int i = 0; i < 100; ++i) json += "]";
  json += "}";
  r = ExtractCloudFormation(json, "deep.json", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("deep.json:1:"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("max_depth"));

  // Far beyond any limit: an error, not a stack overflow.
  std::string huge = "Resources: ";
  for (int i = 0; i < 100000; ++i) huge += "[";
  r = ExtractCloudFormation(huge, "huge.yaml", IacOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("huge.yaml:"));
}

TEST(CloudFormationLimits, FileSize) {
  IacOptions o;
  o.limits.max_bytes = 64;
  const std::string text = ReadTestFile("cfn_role.yaml");
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractCloudFormation(text, "big.yaml", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            absl::StrCat("big.yaml:1:1: input is ", text.size(),
                         " bytes, over the limit of 64 bytes (max_bytes)"));
}

}  // namespace
}  // namespace leastpriv
