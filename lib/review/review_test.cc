// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Library tests of the review backend: paths that leave the checkout,
// fingerprints that survive line moves, the account of a role. The
// configuration file itself is tested with the project model
// (lib/project/project_test.cc).

#include "leastpriv/review.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path Scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp != nullptr ? tmp : "/tmp") / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

constexpr char kPolicy[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]
})";

constexpr char kConfig[] = R"({"account": "111122223333",
  "region": "eu-west-1", "code": "app",
  "policies": [{"file": "iam/role.json", "kind": "identity", "role": "app"}]})";

constexpr char kCode[] = R"(import boto3
t = boto3.resource("dynamodb").Table("orders")
t.get_item(Key={})
t.delete_item(Key={})
)";

TEST(ReviewTest, PathsMustStayInsideTheCheckout) {
  fs::path root = Scratch("escape");
  fs::path outside = root / "outside";
  Write(outside / "role.json", kPolicy);
  for (const char* side : {"base", "head"}) {
    Write(root / side / "app" / "x.py", kCode);
    Write(root / side / "leastpriv.json",
          R"({"account": "111122223333", "region": "eu-west-1",
              "policies": [{"file": "../outside/role.json",
                            "kind": "identity"}]})");
  }
  auto r = Review((root / "base").string(), (root / "head").string());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("path \"../outside/role.json\" leaves the checkout"));

  // The same through a symbolic link inside the checkout.
  for (const char* side : {"base", "head"}) {
    fs::create_directories(root / side / "iam");
    fs::create_symlink(outside / "role.json",
                       root / side / "iam" / "role.json");
    Write(root / side / "leastpriv.json", kConfig);
  }
  r = Review((root / "base").string(), (root / "head").string());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("path \"iam/role.json\" leaves the checkout"));
}

TEST(ReviewTest, FingerprintsSurviveLineMovesAndLinesFollow) {
  fs::path root = Scratch("moves");
  for (const char* side : {"base", "head"}) {
    Write(root / side / "leastpriv.json", kConfig);
    Write(root / side / "iam" / "role.json", kPolicy);
  }
  Write(root / "base" / "app" / "x.py", "import boto3\n");
  Write(root / "head" / "app" / "x.py", kCode);
  auto first = Review((root / "base").string(), (root / "head").string());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->comments.size(), 1u);
  EXPECT_EQ(first->comments[0].file, "app/x.py");
  EXPECT_EQ(first->comments[0].line, 4);
  EXPECT_EQ(first->comments[0].kind, "newly-missing");

  Write(root / "head" / "app" / "x.py", std::string("\n\n\n") + kCode);
  auto moved = Review((root / "base").string(), (root / "head").string());
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_EQ(moved->comments.size(), 1u);
  EXPECT_EQ(moved->comments[0].line, 7);
  EXPECT_EQ(moved->comments[0].fingerprint, first->comments[0].fingerprint);
  EXPECT_EQ(moved->verdict, "changes");
}

// Without "account", the account of a role is the one its table ARNs
// name, as `leastpriv check` infers it; when they name none, the review
// fails with a clear error instead of asking about a placeholder account.
TEST(ReviewTest, AccountIsInferredOrAClearError) {
  fs::path root = Scratch("no_account");
  for (const char* side : {"base", "head"}) {
    Write(root / side / "leastpriv.json",
          R"({"code": "app", "policies": [{"file": "iam/role.json",
              "kind": "identity", "role": "app"}]})");
    Write(root / side / "iam" / "role.json", kPolicy);
    Write(root / side / "app" / "x.py", kCode);
  }
  Write(root / "head" / "iam" / "role.json", R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",
                 "Action": ["dynamodb:GetItem", "dynamodb:DeleteItem"],
                 "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]
})");
  auto r = Review((root / "base").string(), (root / "head").string());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->new_access.size(), 1u);
  ASSERT_TRUE(r->new_access[0].witness.has_value());
  EXPECT_EQ(r->new_access[0].witness->principal,
            "arn:aws:iam::111122223333:role/app");

  Write(root / "head" / "iam" / "role.json", R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "*"}]
})");
  r = Review((root / "base").string(), (root / "head").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            (root / "head" / "leastpriv.json").string() +
                ": role \"app\": the account of the tables is not known: "
                "set \"account\" in leastpriv.json (no table ARN in the "
                "policies names an account)");
}

// SCP levels of several documents, from the same file check reads: the
// head detaches the deny list from the level that also holds
// FullAWSAccess, which opens DeleteItem.
TEST(ReviewTest, ScpLevelOfSeveralDocuments) {
  fs::path root = Scratch("scp_levels");
  for (const char* side : {"base", "head"}) {
    Write(root / side / "iam" / "role.json", R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",
                 "Action": ["dynamodb:GetItem", "dynamodb:DeleteItem"],
                 "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]
})");
    Write(root / side / "org" / "full.json", R"({"Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})");
    Write(root / side / "org" / "deny.json", R"({"Version": "2012-10-17",
  "Statement": [{"Effect": "Deny", "Action": "dynamodb:DeleteItem",
                 "Resource": "*"}]})");
    Write(root / side / "app" / "x.py", kCode);
  }
  Write(root / "base" / "leastpriv.json", R"({"code": "app",
  "policies": [{"file": "iam/role.json", "kind": "identity", "role": "app"}],
  "scps": [["org/full.json", "org/deny.json"]]})");
  Write(root / "head" / "leastpriv.json", R"({"code": "app",
  "policies": [{"file": "iam/role.json", "kind": "identity", "role": "app"}],
  "scps": [["org/full.json"]]})");
  auto r = Review((root / "base").string(), (root / "head").string());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->new_access.size(), 1u);
  EXPECT_EQ(r->new_access[0].action, "dynamodb:DeleteItem");
  EXPECT_TRUE(r->removed_access.empty());
  // The base code's DeleteItem was missing; in the head it is not.
  EXPECT_TRUE(r->newly_missing.empty());

  // A level file that is not there is a clear error.
  Write(root / "head" / "leastpriv.json", R"({"code": "app",
  "policies": [{"file": "iam/role.json", "kind": "identity", "role": "app"}],
  "scps": [["org/full.json", "org/absent.json"]]})");
  r = Review((root / "base").string(), (root / "head").string());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("org/absent.json"));
}

// However many comments and excess pairs, the pull-request comment stays
// under 60 KB and names what it left out.
TEST(ReviewRenderTest, MarkdownStaysUnder60KB) {
  ReviewResult result;
  result.verdict = "changes";
  for (int i = 0; i < 4000; ++i) {
    ReviewComment c;
    c.kind = "finding";
    c.severity = Severity::kWarning;
    c.file = "iam/role.json";
    c.line = i + 1;
    c.title =
        "Unknown action dynamodb:GetItems in statement " + std::to_string(i);
    result.comments.push_back(c);
    RoleExcess e;
    e.role = "app";
    e.excess.action = "dynamodb:Scan";
    e.excess.risk = Risk::kDataExposure;
    e.excess.resource =
        "arn:aws:dynamodb:eu-west-1:111122223333:table/t" + std::to_string(i);
    e.excess.statement = {"iam/role.json", i + 1, 5, "S" + std::to_string(i),
                          "identity"};
    result.newly_excess.push_back(e);
  }
  const std::string md = ReviewMarkdown(result);
  EXPECT_LT(md.size(), 60000u);
  EXPECT_THAT(md, HasSubstr("| newly excess | 4000 |"));
  EXPECT_THAT(md, HasSubstr("\n### Newly excess, by granting statement and "
                            "risk\n\n4000 (action, resource) pairs"));
  EXPECT_THAT(md, ::testing::EndsWith(
                      " comments. For everything, see `leastpriv review "
                      "--format json`.\n"));
  EXPECT_THAT(md, HasSubstr("**Shortened to stay under 60 KB**; left out: "));
}

}  // namespace
}  // namespace leastpriv
