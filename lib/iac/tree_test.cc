// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/iac/tree.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv::iac_internal {
namespace {

using ::testing::HasSubstr;

TEST(ParseYaml, ShortFormTagsBecomeLongForm) {
  absl::StatusOr<Node> n = ParseYaml(
      "a: !Sub 'x-${AWS::Region}'\nb: !GetAtt T.Arn\nc: !Condition C\n"
      "d: !ImportValue Shared\n",
      "t.yaml", IacLimits());
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_EQ(n->members.size(), 4u);
  EXPECT_EQ(n->members[0].second.IntrinsicName(), "Fn::Sub");
  EXPECT_EQ(n->members[0].second.members[0].second.text, "x-${AWS::Region}");
  EXPECT_EQ(n->members[1].second.IntrinsicName(), "Fn::GetAtt");
  EXPECT_EQ(n->members[2].second.IntrinsicName(), "Condition");
  EXPECT_EQ(n->members[3].second.IntrinsicName(), "Fn::ImportValue");
  EXPECT_EQ(n->key_pos[1].line, 2);
  EXPECT_EQ(n->key_pos[1].column, 1);
  EXPECT_EQ(n->members[1].second.pos.line, 2);
  EXPECT_EQ(n->members[1].second.pos.file, "t.yaml");
}

TEST(ParseYaml, ScalarTypes) {
  absl::StatusOr<Node> n = ParseYaml(
      "[true, 'true', 10, '10', ~, 2012-10-17, 1.5e3, 0x1F]", "t", IacLimits());
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_EQ(n->items.size(), 8u);
  EXPECT_EQ(n->items[0].kind, Node::Kind::kBool);
  EXPECT_EQ(n->items[1].kind, Node::Kind::kString);
  EXPECT_EQ(n->items[2].kind, Node::Kind::kNumber);
  EXPECT_EQ(n->items[3].kind, Node::Kind::kString);
  EXPECT_EQ(n->items[4].kind, Node::Kind::kNull);
  EXPECT_EQ(n->items[5].kind, Node::Kind::kString);
  EXPECT_EQ(n->items[6].kind, Node::Kind::kNumber);
  EXPECT_EQ(n->items[7].kind, Node::Kind::kString);
  EXPECT_EQ(n->items[2].pos.column, 16);
}

TEST(ParseYaml, Errors) {
  absl::StatusOr<Node> n = ParseYaml("a: [1, 2\nb: c\n", "e.yaml", IacLimits());
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(std::string(n.status().message()), HasSubstr("e.yaml:"));
  EXPECT_THAT(std::string(n.status().message()), HasSubstr("invalid YAML"));

  n = ParseYaml("? [a, b]\n: c\n", "k.yaml", IacLimits());
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().message(), "k.yaml:1:3: mapping keys must be scalars");
}

TEST(ParseTemplate, DetectsJsonAndKeepsKeyPositions) {
  absl::StatusOr<Node> n =
      ParseTemplate("\n  {\"a\": {\"b\": 1}}", "t.json", IacLimits());
  ASSERT_TRUE(n.ok()) << n.status();
  const Node* a = n->Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(n->key_pos[0].line, 2);
  EXPECT_EQ(n->key_pos[0].column, 4);
  EXPECT_EQ(a->key_pos[0].column, 10);
  EXPECT_EQ(a->members[0].second.kind, Node::Kind::kNumber);
}

}  // namespace
}  // namespace leastpriv::iac_internal
