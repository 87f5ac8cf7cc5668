// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The project model: leastpriv.json (every member, positioned errors with
// suggestions), --bind values, SCP and RCP levels of several files
// (describe-policy and list-policies-for-target output among them) and
// their semantics, and a checkout resolved into roles.

#include "leastpriv/project.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leastpriv/evaluate.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

fs::path Scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp != nullptr ? tmp : "/tmp") / "project" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string ConfigError(const std::string& text) {
  absl::StatusOr<ProjectConfig> c = ParseProjectConfig(text, "leastpriv.json");
  return c.ok() ? "OK" : std::string(c.status().message());
}

TEST(ProjectConfigTest, ReadsEveryMember) {
  absl::StatusOr<ProjectConfig> c = ParseProjectConfig(
      R"({"$schema": "https://example.com/leastpriv.schema.json",
          "account": "111122223333", "region": "eu-west-1", "code": "src",
          "principal": "arn:aws:iam::111122223333:role/x",
          "code_role": "app",
          "bindings": {"env:T": "orders", "settings:U": "t-1",
                       "orders-*": "orders-prod"},
          "policies": [{"file": "a.json", "kind": "identity", "role": "app"},
                       {"file": "t.json", "kind": "resource",
                        "table": "orders"},
                       {"file": "b.json", "kind": "boundary"}],
          "scps": ["root.json", ["ou_full.json", "ou_deny.json"]],
          "rcps": [["rcp.json"]],
          "cloudformation": ["t.yaml"], "terraform": ["plan.json"],
          "fail_on": "write"})",
      "leastpriv.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->path, "leastpriv.json");
  EXPECT_EQ(c->account, "111122223333");
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->code, "src");
  EXPECT_EQ(c->principal, "arn:aws:iam::111122223333:role/x");
  EXPECT_EQ(c->code_role, "app");
  EXPECT_EQ(c->fail_on, "write");
  EXPECT_EQ(c->bindings.size(), 3u);
  EXPECT_EQ(c->bindings.at("settings:U"), "t-1");
  ASSERT_EQ(c->policies.size(), 3u);
  EXPECT_EQ(c->policies[0].kind, PolicyKind::kIdentity);
  EXPECT_EQ(c->policies[1].kind, PolicyKind::kResource);
  EXPECT_EQ(c->policies[1].table, "orders");
  EXPECT_EQ(c->policies[2].role, "default");
  EXPECT_EQ(c->policies[2].pos.line, 10);
  EXPECT_EQ(c->scps, (std::vector<std::vector<std::string>>{
                         {"root.json"}, {"ou_full.json", "ou_deny.json"}}));
  EXPECT_EQ(c->rcps, (std::vector<std::vector<std::string>>{{"rcp.json"}}));
  EXPECT_EQ(c->cloudformation, std::vector<std::string>{"t.yaml"});
  EXPECT_EQ(c->terraform, std::vector<std::string>{"plan.json"});
  EXPECT_TRUE(c->HasPolicies());
  EXPECT_FALSE(ParseProjectConfig("{}", "x.json")->HasPolicies());
}

TEST(ProjectConfigTest, UnknownMembersSuggestTheClosest) {
  EXPECT_EQ(ConfigError("{\n  \"acount\": \"1\"}"),
            "leastpriv.json:2:3: unknown member \"acount\" (did you mean "
            "\"account\"?)");
  EXPECT_EQ(ConfigError("{\"regoin\": \"eu-west-1\"}"),
            "leastpriv.json:1:2: unknown member \"regoin\" (did you mean "
            "\"region\"?)");
  EXPECT_EQ(ConfigError("{\"Bindings\": {}}"),
            "leastpriv.json:1:2: unknown member \"Bindings\" (did you mean "
            "\"bindings\"?)");
  EXPECT_EQ(ConfigError("{\"scp\": []}"),
            "leastpriv.json:1:2: unknown member \"scp\" (did you mean "
            "\"scps\"?)");
  EXPECT_EQ(ConfigError("{\"Version\": \"2012-10-17\"}"),
            "leastpriv.json:1:2: unknown member \"Version\" (expected "
            "account, region, principal, code, code_role, bindings, "
            "policies, scps, rcps, cloudformation, terraform, fail_on)");
  EXPECT_EQ(ConfigError("{\"policies\": [{\"file\": \"a\", \"knd\": "
                        "\"identity\"}]}"),
            "leastpriv.json:1:29: unknown policy field \"knd\" (did you "
            "mean \"kind\"?)");
  EXPECT_EQ(ConfigError("{\"policies\": [{\"file\": \"a\", \"kind\": "
                        "\"identiy\"}]}"),
            "leastpriv.json:1:37: policy kind must be one of identity, "
            "boundary, session, scp, rcp, resource, not \"identiy\" (did "
            "you mean \"identity\"?)");
}

TEST(ProjectConfigTest, PositionedErrors) {
  EXPECT_EQ(ConfigError("{\"account\": 12}"),
            "leastpriv.json:1:13: \"account\" must be a string");
  EXPECT_EQ(ConfigError("{\"account\": \"12\"}"),
            "leastpriv.json:1:13: account \"12\" is not 12 digits");
  EXPECT_THAT(ConfigError("{\"bindings\": {\"ORDERS\": \"orders\"}}"),
              HasSubstr(":1:15: binding key \"ORDERS\" is not env:NAME"));
  EXPECT_EQ(ConfigError("{\"bindings\": {\"env:X\": \"a/b\"}}"),
            "leastpriv.json:1:24: binding \"env:X\" must be a DynamoDB table "
            "name");
  EXPECT_THAT(ConfigError("{\"fail_on\": \"sometimes\"}"),
              StartsWith("leastpriv.json:1:13: fail level \"sometimes\""));
  EXPECT_EQ(ConfigError("{\"policies\": [{\"file\": \"a\", \"kind\": "
                        "\"resource\"}]}"),
            "leastpriv.json:1:15: a resource policy entry needs \"table\"");
  EXPECT_EQ(ConfigError("{\"policies\": [{\"kind\": \"identity\"}]}"),
            "leastpriv.json:1:15: policy entry has no \"file\"");
  EXPECT_THAT(ConfigError("{\"policies\": [{\"file\": \"a\"}]}"),
              StartsWith("leastpriv.json:1:15: policy entry has no \"kind\""));
  EXPECT_EQ(ConfigError("{\"policies\": {}}"),
            "leastpriv.json:1:14: \"policies\" must be a list");
  EXPECT_EQ(ConfigError("[1, 2]"),
            "leastpriv.json:1:1: configuration must be a JSON object");
  EXPECT_THAT(ConfigError("{\"account\": "), StartsWith("leastpriv.json:1:"));
  EXPECT_EQ(ConfigError("{\"cloudformation\": \"t.yaml\"}"),
            "leastpriv.json:1:20: \"cloudformation\" must be a list of "
            "strings");
  EXPECT_THAT(ConfigError("{\"scps\": \"root.json\"}"),
              StartsWith("leastpriv.json:1:10: \"scps\" must be a list of "
                         "organisation levels"));
  EXPECT_EQ(ConfigError("{\"scps\": [[]]}"),
            "leastpriv.json:1:11: a level of \"scps\" lists no file (every "
            "level holds at least one policy)");
  EXPECT_EQ(ConfigError("{\"rcps\": [[\"a.json\", 3]]}"),
            "leastpriv.json:1:22: \"rcps\" must be a list of paths");
  EXPECT_EQ(ConfigError("{\"policies\": [{\"file\": \"s.json\", \"kind\": "
                        "\"scp\"}], \"scps\": [\"t.json\"]}"),
            "leastpriv.json:1:15: give the scp levels either as \"scps\" or "
            "as \"policies\" entries of kind \"scp\", not both");
}

TEST(ProjectConfigTest, FileErrors) {
  absl::StatusOr<ProjectConfig> c =
      LoadProjectConfig("/nonexistent/leastpriv.json");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(c.status().message(), "/nonexistent/leastpriv.json: no such file");
  const fs::path dir = Scratch("big");
  const std::string big =
      Write(dir / "leastpriv.json",
            "{\"code\": \"" + std::string(2u << 20, 'a') + "\"}");
  EXPECT_THAT(std::string(LoadProjectConfig(big).status().message()),
              HasSubstr("larger than 1048576 bytes"));
}

TEST(BindingTest, ParsesAndRejects) {
  std::string key, table;
  ASSERT_TRUE(ParseBinding("env:ORDERS_TABLE=shop-orders", &key, &table).ok());
  EXPECT_EQ(key, "env:ORDERS_TABLE");
  EXPECT_EQ(table, "shop-orders");
  ASSERT_TRUE(ParseBinding("settings:T=t.1", &key, &table).ok());
  ASSERT_TRUE(ParseBinding("orders-*=orders-prod", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("ORDERS=orders", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("env:=orders", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("env:X=", &key, &table).ok());
  EXPECT_FALSE(ParseBinding("env:X=a/b", &key, &table).ok());
}

// ---------------------------------------------------------------------------
// Organisation levels.

constexpr char kFullAccess[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
})";

constexpr char kDenyDeletes[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "NoDeletes", "Effect": "Deny",
                 "Action": ["dynamodb:DeleteItem", "dynamodb:DeleteTable"],
                 "Resource": "*"}]
})";

constexpr char kReadsAndPuts[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",
                 "Action": ["dynamodb:GetItem", "dynamodb:PutItem",
                            "dynamodb:DeleteItem"],
                 "Resource": "*"}]
})";

// `aws organizations describe-policy` output: the document is a string.
std::string Described(const std::string& id, const std::string& name,
                      const std::string& type, const std::string& content) {
  std::string escaped;
  for (char c : content) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  return "{\n  \"Policy\": {\n    \"PolicySummary\": {\n      \"Id\": \"" + id +
         "\",\n      \"Arn\": \"arn:aws:organizations::111122223333:policy/"
         "o-abc/service_control_policy/" +
         id + "\",\n      \"Name\": \"" + name + "\",\n      \"Type\": \"" +
         type +
         "\",\n      \"AwsManaged\": false\n    },\n    \"Content\": \"" +
         escaped + "\"\n  }\n}\n";
}

std::string Listing(const std::vector<std::string>& ids,
                    const std::string& type = "SERVICE_CONTROL_POLICY") {
  std::string text = "{\n  \"Policies\": [";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    text += std::string(i == 0 ? "" : ",") + "\n    {\"Id\": \"" + ids[i] +
            "\", \"Name\": \"" + ids[i] + "-name\", \"Type\": \"" + type +
            "\", \"AwsManaged\": false}";
  }
  return text + "\n  ]\n}\n";
}

Request Ask(const std::string& action) {
  Request r;
  r.principal = "arn:aws:iam::111122223333:role/app";
  r.action = action;
  r.resource = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders";
  return r;
}

// Within a level, some policy must allow and none deny; every level must
// allow.
TEST(OrganizationLevelTest, AnyPolicyOfALevelAllowsNoneDeniesEveryLevel) {
  const fs::path dir = Scratch("levels");
  const std::string full = Write(dir / "full.json", kFullAccess);
  const std::string deny = Write(dir / "deny.json", kDenyDeletes);
  const std::string some = Write(dir / "some.json", kReadsAndPuts);
  absl::StatusOr<std::vector<Policy>> root =
      LoadOrganizationLevel({full, deny}, PolicyKind::kScp);
  ASSERT_TRUE(root.ok()) << root.status();
  ASSERT_EQ(root->size(), 2u);
  absl::StatusOr<std::vector<Policy>> ou =
      LoadOrganizationLevel({some}, PolicyKind::kScp);
  ASSERT_TRUE(ou.ok()) << ou.status();

  PolicySet set;
  ParseOptions identity;
  identity.file_name = "role.json";
  set.identity.push_back(*ParsePolicy(kFullAccess, identity));
  set.scp_levels = {*root, *ou};
  auto decide = [&set](const std::string& action) {
    absl::StatusOr<Decision> d = Evaluate(set, Ask(action));
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() ? d->kind : DecisionKind::kImplicitlyDenied;
  };
  // Allowed by full.json at the root (deny.json does not deny it) and by
  // some.json below.
  EXPECT_EQ(decide("dynamodb:GetItem"), DecisionKind::kAllowed);
  EXPECT_EQ(decide("dynamodb:PutItem"), DecisionKind::kAllowed);
  // The root level's deny list wins over its FullAWSAccess.
  EXPECT_EQ(decide("dynamodb:DeleteItem"), DecisionKind::kExplicitlyDenied);
  // The root allows Query, the level below does not.
  absl::StatusOr<Decision> query = Evaluate(set, Ask("dynamodb:Query"));
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->kind, DecisionKind::kImplicitlyDenied);
  EXPECT_THAT(query->reason, HasSubstr("SCP level 2"));

  // A level holding only a deny list allows nothing.
  set.scp_levels = {{*LoadOrganizationLevel({deny}, PolicyKind::kScp)}};
  EXPECT_EQ(decide("dynamodb:GetItem"), DecisionKind::kImplicitlyDenied);
}

// RCP levels follow the same rule (their statements name principals).
TEST(OrganizationLevelTest, RcpLevelsToo) {
  const fs::path dir = Scratch("rcp_levels");
  const std::string full = Write(dir / "rcp_full.json", R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
                 "Resource": "*"}]
})");
  const std::string deny = Write(dir / "rcp_deny.json", R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Deny", "Principal": "*",
                 "Action": "dynamodb:DeleteItem", "Resource": "*"}]
})");
  absl::StatusOr<std::vector<Policy>> level =
      LoadOrganizationLevel({full, deny}, PolicyKind::kRcp);
  ASSERT_TRUE(level.ok()) << level.status();
  EXPECT_EQ((*level)[1].kind, PolicyKind::kRcp);
  PolicySet set;
  ParseOptions identity;
  identity.file_name = "role.json";
  set.identity.push_back(*ParsePolicy(kFullAccess, identity));
  set.rcp_levels = {*level};
  EXPECT_EQ(Evaluate(set, Ask("dynamodb:GetItem"))->kind,
            DecisionKind::kAllowed);
  EXPECT_EQ(Evaluate(set, Ask("dynamodb:DeleteItem"))->kind,
            DecisionKind::kExplicitlyDenied);
  // A level of the deny list alone allows nothing.
  set.rcp_levels = {*level, {(*level)[1]}};
  EXPECT_EQ(Evaluate(set, Ask("dynamodb:GetItem"))->kind,
            DecisionKind::kImplicitlyDenied);
}

TEST(OrganizationLevelTest, DescribePolicyAndListPoliciesForTarget) {
  const fs::path dir = Scratch("org_output");
  const std::string full =
      Write(dir / "p-FullAWSAccess.json",
            Described("p-FullAWSAccess", "FullAWSAccess",
                      "SERVICE_CONTROL_POLICY", kFullAccess));
  const std::string deny = Write(
      dir / "p-deny.json", Described("p-deny", "DenyDeletes",
                                     "SERVICE_CONTROL_POLICY", kDenyDeletes));
  const std::string list =
      Write(dir / "ou.json", Listing({"p-FullAWSAccess", "p-deny"}));
  absl::StatusOr<std::vector<Policy>> level =
      LoadOrganizationLevel({list, full, deny}, PolicyKind::kScp);
  ASSERT_TRUE(level.ok()) << level.status();
  ASSERT_EQ(level->size(), 2u);
  EXPECT_EQ((*level)[0].kind, PolicyKind::kScp);
  ASSERT_EQ((*level)[1].statements.size(), 1u);
  EXPECT_EQ((*level)[1].statements[0].sid.value_or(""), "NoDeletes");
  // Positions point into the file, on the line of the Content string.
  EXPECT_EQ((*level)[1].statements[0].pos.file, deny);
  EXPECT_EQ((*level)[1].statements[0].pos.line, 10);
  // describe-policy output alone is a policy file like any other.
  level = LoadOrganizationLevel({deny}, PolicyKind::kScp);
  ASSERT_TRUE(level.ok()) << level.status();
  ParseOptions options;
  options.kind = PolicyKind::kScp;
  EXPECT_TRUE(LoadPolicyFile(deny, options).ok());

  // An RCP level reads RESOURCE_CONTROL_POLICY output.
  const std::string rcp = Write(
      dir / "rcp.json",
      Described("p-rcp", "RcpFull", "RESOURCE_CONTROL_POLICY", kFullAccess));
  EXPECT_TRUE(LoadOrganizationLevel({rcp}, PolicyKind::kRcp).ok());
}

std::string LevelError(const std::vector<std::string>& files,
                       PolicyKind kind = PolicyKind::kScp) {
  absl::StatusOr<std::vector<Policy>> level =
      LoadOrganizationLevel(files, kind);
  return level.ok() ? "OK" : std::string(level.status().message());
}

TEST(OrganizationLevelTest, BadInputIsPositioned) {
  const fs::path dir = Scratch("org_errors");
  EXPECT_EQ(LevelError({}),
            "an organisation level needs at least one service control "
            "policy file");
  const std::string absent = (dir / "absent.json").string();
  absl::StatusOr<std::vector<Policy>> missing =
      LoadOrganizationLevel({absent}, PolicyKind::kScp);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), StartsWith(absent));

  const std::string empty = Write(dir / "empty.json", "{\"Policies\": []}");
  EXPECT_EQ(LevelError({empty}),
            empty +
                ":1:14: lists no policies: an organisation level always "
                "has at least one service control policy attached");

  const std::string full = Write(
      dir / "full.json", Described("p-full", "FullAWSAccess",
                                   "SERVICE_CONTROL_POLICY", kFullAccess));
  const std::string list = Write(dir / "ou.json", Listing({"p-full", "p-x"}));
  EXPECT_EQ(LevelError({list, full}),
            list +
                ":4:5: policy \"p-x\" (p-x-name) is attached at this "
                "level, but its document is not given: add the output of "
                "`aws organizations describe-policy --policy-id p-x` to "
                "the level");
  const std::string other = Write(
      dir / "other.json",
      Described("p-other", "Other", "SERVICE_CONTROL_POLICY", kDenyDeletes));
  const std::string list_full =
      Write(dir / "ou_full.json", Listing({"p-full"}));
  EXPECT_EQ(LevelError({list_full, full, other}),
            other +
                ":2:13: policy \"p-other\" is not attached at this "
                "level: " +
                list_full + " does not list it");

  // Malformed describe-policy output: no Content; Content that is not a
  // document (positioned inside the string); another policy type.
  const std::string no_content =
      Write(dir / "no_content.json",
            "{\"Policy\": {\"PolicySummary\": {\"Id\": \"p-1\", \"Type\": "
            "\"SERVICE_CONTROL_POLICY\"}}}");
  EXPECT_EQ(LevelError({no_content}),
            no_content +
                ":1:12: describe-policy output of \"p-1\" has no "
                "Policy.Content (the policy document)");
  const std::string bad_content =
      Write(dir / "bad_content.json",
            "{\"Policy\": {\"PolicySummary\": {\"Id\": \"p-1\"},\n"
            "  \"Content\": \"{\\\"Version\\\": \\\"2012-10-17\\\", "
            "\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", "
            "\\\"Action\\\": \\\"dynamodb:GetItem\\\", \\\"Resource\\\": \"}}");
  EXPECT_THAT(LevelError({bad_content}), StartsWith(bad_content + ":2:"));
  const std::string tag =
      Write(dir / "tag.json",
            Described("p-tag", "Tags", "TAG_POLICY", "{\"tags\": {}}"));
  EXPECT_EQ(LevelError({tag}),
            tag +
                ":7:15: policy \"p-tag\" is not a service control policy "
                "(Type is not SERVICE_CONTROL_POLICY)");
  EXPECT_EQ(LevelError({full}, PolicyKind::kRcp),
            full +
                ":7:15: policy \"p-full\" is not a resource control "
                "policy (Type is not RESOURCE_CONTROL_POLICY)");
  const std::string list_tags =
      Write(dir / "tags.json", Listing({"p-tag"}, "TAG_POLICY"));
  EXPECT_EQ(LevelError({list_tags, tag}),
            list_tags +
                ":3:51: policy \"p-tag\" is not a service control "
                "policy (Type is not SERVICE_CONTROL_POLICY)");
  EXPECT_EQ(LevelError({list, list_full}),
            list_full +
                ":1:1: a second list-policies-for-target output in "
                "one level (the first is " +
                list + ")");
  EXPECT_EQ(LevelError({full, full}),
            full +
                ":2:13: policy \"p-full\" is given twice in one level "
                "(also in " +
                full + ")");
}

// ---------------------------------------------------------------------------
// A checkout resolved into roles.

constexpr char kOrdersRole[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}]
})";

TEST(LoadProjectTest, RolesOfTheFileWithLevelsAndInferredScope) {
  const fs::path root = Scratch("roles");
  Write(root / "iam/app.json", kOrdersRole);
  Write(root / "iam/batch.json", kOrdersRole);
  Write(root / "iam/boundary.json", kFullAccess);
  Write(root / "org/full.json", kFullAccess);
  Write(root / "org/deny.json", kDenyDeletes);
  Write(root / "leastpriv.json", R"({
  "code": "app",
  "bindings": {"env:T": "orders"},
  "policies": [
    {"file": "iam/app.json", "kind": "identity", "role": "app"},
    {"file": "iam/boundary.json", "kind": "boundary", "role": "app"},
    {"file": "iam/batch.json", "kind": "identity", "role": "batch"}
  ],
  "scps": ["org/full.json", ["org/full.json", "org/deny.json"]],
  "code_role": "app"
})");
  ProjectOptions options;
  options.root = root.string();
  options.bindings["env:U"] = "users";
  absl::StatusOr<Project> p = LoadProject(options);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->code_dir, (root / "app").string());
  EXPECT_EQ(p->code, "app");
  EXPECT_EQ(p->binding_sources.at("env:T"), "leastpriv.json");
  EXPECT_EQ(p->binding_sources.at("env:U"), "--bind");
  ASSERT_EQ(p->roles.size(), 2u);
  const ProjectRole& app = p->roles[0];
  EXPECT_EQ(app.name, "app");
  ASSERT_TRUE(app.status.ok()) << app.status;
  EXPECT_EQ(app.account, "111122223333");
  EXPECT_EQ(app.region, "eu-west-1");
  EXPECT_EQ(app.arn, "arn:aws:iam::111122223333:role/app");
  EXPECT_EQ(app.principal, app.arn);
  EXPECT_TRUE(app.policies.boundary.has_value());
  ASSERT_EQ(app.policies.scp_levels.size(), 2u);
  EXPECT_EQ(app.policies.scp_levels[1].size(), 2u);
  EXPECT_EQ(p->roles[1].policies.scp_levels.size(), 2u);
  ASSERT_EQ(p->CodeRoles().size(), 1u);
  EXPECT_EQ(p->CodeRoles()[0]->name, "app");

  CheckInput input = ProjectCheckInput(*p, app, ScanResult());
  EXPECT_EQ(input.account, "111122223333");
  EXPECT_EQ(input.principal, "arn:aws:iam::111122223333:role/app");
  EXPECT_EQ(input.policies, &app.policies);
  EXPECT_EQ(input.bindings.size(), 2u);
  EXPECT_EQ(input.code_prefix, (root / "app").string() + "/");
}

TEST(LoadProjectTest, CommandLinePoliciesReplaceTheFile) {
  const fs::path root = Scratch("command_line");
  Write(root / "leastpriv.json",
        R"({"account": "444455556666", "region": "us-east-1",
            "principal": "arn:aws:iam::444455556666:role/web",
            "policies": [{"file": "absent.json", "kind": "identity"}]})");
  ProjectOptions options;
  options.root = root.string();
  options.has_policies = true;
  ParseOptions po;
  po.file_name = "role.json";
  options.policies.identity.push_back(*ParsePolicy(kOrdersRole, po));
  options.region = "eu-west-1";
  absl::StatusOr<Project> p = LoadProject(options);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->roles.size(), 1u);
  EXPECT_EQ(p->roles[0].name, "");
  EXPECT_EQ(p->roles[0].account, "444455556666");  // the file over the ARNs
  EXPECT_EQ(p->roles[0].region, "eu-west-1");      // the option over the file
  EXPECT_EQ(p->roles[0].principal, "arn:aws:iam::444455556666:role/web");
  EXPECT_EQ(p->roles[0].arn, "");
}

TEST(LoadProjectTest, UnknownScopeIsTheRolesError) {
  const fs::path root = Scratch("unknown_scope");
  Write(root / "iam/star.json", kFullAccess);
  Write(root / "leastpriv.json",
        R"({"policies": [{"file": "iam/star.json", "kind": "identity"}]})");
  ProjectOptions options;
  options.root = root.string();
  absl::StatusOr<Project> p = LoadProject(options);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->roles.size(), 1u);
  EXPECT_EQ(p->roles[0].name, "default");
  EXPECT_EQ(p->roles[0].status.message(),
            "the account of the tables is not known: pass --account ID or set "
            "\"account\" in leastpriv.json (no table ARN in the policies "
            "names an account)");
  options.account_option.clear();
  p = LoadProject(options);
  EXPECT_EQ(p->roles[0].status.message(),
            "the account of the tables is not known: set \"account\" in "
            "leastpriv.json (no table ARN in the policies names an account)");
}

TEST(LoadProjectTest, CheckoutErrors) {
  const fs::path root = Scratch("checkout_errors");
  ProjectOptions options;
  options.root = root.string();
  options.require_config = true;
  absl::StatusOr<Project> p = LoadProject(options);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);

  const std::string config =
      Write(root / "leastpriv.json",
            R"({"policies": [{"file": "../role.json", "kind": "identity"}]})");
  p = LoadProject(options);
  EXPECT_EQ(p.status().message(),
            config + ": path \"../role.json\" leaves the checkout");
  Write(root / "leastpriv.json",
        R"({"policies": [{"file": "role.json", "kind": "identity"}]})");
  p = LoadProject(options);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("role.json"));
  Write(root / "leastpriv.json", R"({"scps": [["org/a.json"]]})");
  Write(root / "org/a.json", "{\"Policies\": []}");
  options.root_relative_names = true;
  p = LoadProject(options);
  EXPECT_EQ(p.status().message(),
            "org/a.json:1:14: lists no policies: an organisation level "
            "always has at least one service control policy attached");
}

}  // namespace
}  // namespace leastpriv
