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

class TerraformPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<ExtractedPolicy>> r =
        ExtractTerraformPlan(ReadTestFile("tf_plan.json"), "tf_plan.json");
    ASSERT_TRUE(r.ok()) << r.status();
    got_ = *r;
    ASSERT_EQ(got_.size(), 9u) << Dump(got_);
  }
  std::vector<ExtractedPolicy> got_;
};

TEST_F(TerraformPlanTest, RoleInlinePolicy) {
  const ExtractedPolicy& e = got_[0];
  EXPECT_EQ(e.policy.name, "orders-app/inline-reads");
  EXPECT_EQ(e.source_resource, "aws_iam_role.app");
  EXPECT_EQ(e.role, "orders-app");
  EXPECT_EQ(e.policy.kind, PolicyKind::kIdentity);
  // The embedded document maps to the line of its string literal and the
  // column of the escaped bytes.
  EXPECT_EQ(e.pos.line, 18);
  ASSERT_EQ(e.policy.statements.size(), 1u);
  const Statement& st = e.policy.statements[0];
  EXPECT_THAT(Texts(st.actions), ElementsAre("dynamodb:GetItem"));
  EXPECT_EQ(st.actions[0].pos.line, 18);
  EXPECT_EQ(st.actions[0].pos.column, 104);
  EXPECT_THAT(Texts(st.resources),
              ElementsAre("arn:aws:dynamodb:us-east-1:123456789012:table/"
                          "Orders"));
}

TEST_F(TerraformPlanTest, BoundaryOutsideThePlanIsExternal) {
  const ExtractedPolicy& e = got_[1];
  EXPECT_EQ(e.policy.kind, PolicyKind::kBoundary);
  EXPECT_FALSE(e.has_document);
  EXPECT_EQ(e.role, "legacy-app");
  EXPECT_EQ(e.policy_arn, "arn:aws:iam::123456789012:policy/org-wide-boundary");
  EXPECT_EQ(e.pos.line, 30);
  ASSERT_EQ(e.unresolved.size(), 1u);
  EXPECT_EQ(e.unresolved[0].reason, "policy document is not in the plan");
}

TEST_F(TerraformPlanTest, BoundaryResolvedByNameWhenArnUnknown) {
  const ExtractedPolicy& e = got_[2];
  EXPECT_EQ(e.policy.name, "orders-boundary");
  EXPECT_EQ(e.source_resource, "aws_iam_policy.boundary");
  EXPECT_EQ(e.policy.kind, PolicyKind::kBoundary);
  EXPECT_EQ(e.role, "orders-app");
  ASSERT_EQ(e.policy.statements.size(), 1u);
  EXPECT_THAT(Texts(e.policy.statements[0].actions), ElementsAre("dynamodb:*"));
  EXPECT_EQ(e.policy.statements[0].actions[0].pos.line, 42);
}

TEST_F(TerraformPlanTest, PolicyAttachments) {
  const ExtractedPolicy& writes = got_[3];
  EXPECT_EQ(writes.policy.name, "orders-writes");
  EXPECT_EQ(writes.role, "orders-app");
  EXPECT_EQ(writes.policy.kind, PolicyKind::kIdentity);
  EXPECT_EQ(writes.policy_arn,
            "arn:aws:iam::123456789012:policy/orders-writes");
  ASSERT_EQ(writes.policy.statements.size(), 1u);
  EXPECT_EQ(writes.policy.statements[0].sid, "Writes");
  EXPECT_THAT(Texts(writes.policy.statements[0].actions),
              ElementsAre("dynamodb:PutItem", "dynamodb:DeleteItem"));
  EXPECT_EQ(writes.policy.statements[0].actions[1].pos.line, 53);
  EXPECT_EQ(writes.policy.statements[0].actions[1].pos.column, 141);

  const ExtractedPolicy& aws_managed = got_[4];
  EXPECT_EQ(aws_managed.source_resource,
            "aws_iam_role_policy_attachment.aws_managed");
  EXPECT_FALSE(aws_managed.has_document);
  EXPECT_EQ(aws_managed.role, "orders-app");
  EXPECT_EQ(aws_managed.policy_arn,
            "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess");
  EXPECT_EQ(aws_managed.pos.line, 73);
}

TEST_F(TerraformPlanTest, DynamoDbResourcePolicy) {
  const ExtractedPolicy& e = got_[5];
  EXPECT_EQ(e.policy.kind, PolicyKind::kResource);
  EXPECT_EQ(e.table, "Orders");
  EXPECT_EQ(e.policy.name, "aws_dynamodb_resource_policy.orders");
  ASSERT_EQ(e.policy.statements.size(), 1u);
  const Statement& st = e.policy.statements[0];
  ASSERT_TRUE(st.principal.has_value());
  EXPECT_EQ(st.principal->entries[0].type, PrincipalType::kAny);
  EXPECT_THAT(Texts(st.actions), ElementsAre("dynamodb:Query"));
  EXPECT_EQ(st.actions[0].pos.line, 83);
}

TEST_F(TerraformPlanTest, ChildModuleRolePolicies) {
  const ExtractedPolicy& scan = got_[6];
  EXPECT_EQ(scan.source_resource, "module.reports.aws_iam_role_policy.scan");
  EXPECT_EQ(scan.policy.name, "reports/reports-scan");
  EXPECT_EQ(scan.role, "reports");
  ASSERT_EQ(scan.policy.statements.size(), 1u);
  const Statement& st = scan.policy.statements[0];
  EXPECT_THAT(Texts(st.actions), ElementsAre("dynamodb:Scan"));
  EXPECT_THAT(Texts(st.resources),
              ElementsAre("arn:aws:dynamodb:us-east-1:123456789012:table/"
                          "Reports"));
  ASSERT_EQ(st.conditions.size(), 1u);
  EXPECT_EQ(st.conditions[0].key, "aws:PrincipalTag/team");
  EXPECT_EQ(st.conditions[0].pos.line, 99);
  EXPECT_EQ(st.conditions[0].pos.column, 226);

  // Unknown until apply: kept, without a document, and reported.
  const ExtractedPolicy& pending = got_[7];
  EXPECT_EQ(pending.policy.name, "reports/pending");
  EXPECT_FALSE(pending.has_document);
  ASSERT_EQ(pending.unresolved.size(), 1u);
  EXPECT_EQ(pending.unresolved[0].reference, "policy");
  EXPECT_EQ(pending.unresolved[0].reason, "value is known only after apply");
  EXPECT_EQ(pending.unresolved[0].pos.line, 102);
}

TEST_F(TerraformPlanTest, PolicyDocumentDataSourceFromPriorState) {
  const ExtractedPolicy& e = got_[8];
  EXPECT_EQ(e.policy.name, "data.aws_iam_policy_document.read_only");
  EXPECT_EQ(e.role, "");
  ASSERT_EQ(e.policy.statements.size(), 1u);
  EXPECT_THAT(Texts(e.policy.statements[0].actions),
              ElementsAre("dynamodb:DescribeTable"));
  // A multi-line embedded document: every element is on the literal's line.
  EXPECT_EQ(e.policy.statements[0].actions[0].pos.line, 128);
}

TEST(TerraformPlan, StateShape) {
  const std::string state = R"({
  "format_version": "1.0",
  "values": {"root_module": {"resources": [{
    "address": "aws_iam_role_policy.r", "mode": "managed",
    "type": "aws_iam_role_policy",
    "values": {"name": "r", "role": "app",
      "policy": "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}}"}
  }]}}
})";
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractTerraformPlan(state, "state.json");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].policy.statements[0].effect, Effect::kDeny);
  EXPECT_EQ((*r)[0].policy.statements[0].actions[0].pos.line, 7);
}

TEST(TerraformPlan, Errors) {
  absl::StatusOr<std::vector<ExtractedPolicy>> r =
      ExtractTerraformPlan("{\n  \"planned_values\": {,}\n}", "bad.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("bad.json:2:22: "));

  r = ExtractTerraformPlan("{\"resource_changes\": []}", "x.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("x.json:1:1: not a Terraform plan or state"));

  // A malformed embedded policy is an error at its place in the plan.
  r = ExtractTerraformPlan(R"({"values": {"root_module": {"resources": [{
  "address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy",
  "values": {"name": "p", "policy": "{\"Statement\": [}"}}]}}})",
                           "p.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("p.json:3:"));

  std::string deep = "{\"values\": ";
  for (int i = 0; i < 200; ++i) deep += "[";
  r = ExtractTerraformPlan(deep, "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("max_depth"));
}

}  // namespace
}  // namespace leastpriv
