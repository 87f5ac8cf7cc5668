// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Evaluate per policy type and per decision rule. Policies are built in code
// so that these tests depend on nothing but the evaluator.

#include "leastpriv/evaluate.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv {
namespace {

constexpr char kAccount[] = "111122223333";
constexpr char kTable[] =
    "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
constexpr char kRole[] = "arn:aws:iam::111122223333:role/app";
constexpr char kUser[] = "arn:aws:iam::111122223333:user/alice";
constexpr char kSession[] =
    "arn:aws:sts::111122223333:assumed-role/app/session-1";
constexpr char kOtherRole[] = "arn:aws:iam::444455556666:role/partner";

std::vector<PolicyString> Strings(std::vector<std::string> v) {
  std::vector<PolicyString> out;
  for (auto& s : v) out.push_back(PolicyString{s, {}});
  return out;
}

Statement Stmt(Effect effect, std::vector<std::string> actions,
               std::vector<std::string> resources,
               std::vector<Condition> conditions = {}) {
  Statement st;
  st.effect = effect;
  st.actions = Strings(std::move(actions));
  st.resources = Strings(std::move(resources));
  st.has_resource = true;
  st.conditions = std::move(conditions);
  return st;
}

Statement WithPrincipal(Statement st, std::vector<std::string> aws,
                        bool negated = false) {
  PrincipalBlock block;
  block.negated = negated;
  for (auto& a : aws) {
    PrincipalEntry e;
    e.type = a == "*" ? PrincipalType::kAny : PrincipalType::kAws;
    e.value = a;
    block.entries.push_back(e);
  }
  st.principal = block;
  return st;
}

Condition Cond(ConditionOperator op, std::string key,
               std::vector<std::string> values,
               SetQualifier q = SetQualifier::kNone, bool if_exists = false) {
  Condition c;
  c.op = op;
  c.key = std::move(key);
  c.qualifier = q;
  c.if_exists = if_exists;
  for (auto& v : values)
    c.values.push_back(ConditionValue{v, ValueType::kString, {}});
  return c;
}

Policy MakePolicy(PolicyKind kind, std::string name,
                  std::vector<Statement> statements,
                  std::string version = "2012-10-17") {
  Policy p;
  p.kind = kind;
  p.name = std::move(name);
  p.version = std::move(version);
  for (size_t i = 0; i < statements.size(); ++i) {
    statements[i].index = static_cast<int>(i);
    statements[i].sid = "S" + std::to_string(i);
  }
  p.statements = std::move(statements);
  return p;
}

Request Req(std::string principal, std::string action,
            std::string resource = kTable) {
  Request r;
  r.principal = std::move(principal);
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}

DecisionKind Decide(const PolicySet& set, const Request& r) {
  auto d = Evaluate(set, r);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? d->kind : DecisionKind::kImplicitlyDenied;
}

PolicySet IdentityAllowing(std::vector<std::string> actions,
                           std::vector<std::string> resources = {kTable}) {
  PolicySet set;
  set.identity.push_back(MakePolicy(
      PolicyKind::kIdentity, "app-policy",
      {Stmt(Effect::kAllow, std::move(actions), std::move(resources))}));
  return set;
}

TEST(EvaluateTest, IdentityAllowAndImplicitDeny) {
  PolicySet set = IdentityAllowing({"dynamodb:Get*", "dynamodb:Query"});
  auto d = Evaluate(set, Req(kRole, "dynamodb:GetItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, DecisionKind::kAllowed);
  ASSERT_EQ(d->statements.size(), 1u);
  EXPECT_EQ(d->statements[0].policy_name, "app-policy");
  EXPECT_EQ(d->statements[0].sid, "S0");
  d = Evaluate(set, Req(kRole, "dynamodb:PutItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, DecisionKind::kImplicitlyDenied);
  EXPECT_TRUE(d->statements.empty());
  EXPECT_EQ(d->reason, "no identity or resource-based policy allows");
  EXPECT_EQ(DecisionKindName(d->kind), "ImplicitlyDenied");
}

TEST(EvaluateTest, ExplicitDenyWinsAndListsDenies) {
  PolicySet set = IdentityAllowing({"dynamodb:*"});
  set.identity.push_back(
      MakePolicy(PolicyKind::kIdentity, "guard",
                 {Stmt(Effect::kDeny, {"dynamodb:Delete*"}, {"*"})}));
  auto d = Evaluate(set, Req(kRole, "dynamodb:DeleteItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, DecisionKind::kExplicitlyDenied);
  ASSERT_EQ(d->statements.size(), 1u);
  EXPECT_EQ(d->statements[0].policy_name, "guard");
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
}

TEST(EvaluateTest, NotActionNotResource) {
  PolicySet set;
  Statement st =
      Stmt(Effect::kAllow, {"dynamodb:Delete*"}, {"*:*:*:*:*:table/Secret*"});
  st.not_action = true;
  st.not_resource = true;
  set.identity.push_back(MakePolicy(PolicyKind::kIdentity, "p", {st}));
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:DeleteItem")),
            DecisionKind::kImplicitlyDenied);
  EXPECT_EQ(
      Decide(set, Req(kRole, "dynamodb:GetItem",
                      "arn:aws:dynamodb:us-east-1:111122223333:table/SecretX")),
      DecisionKind::kImplicitlyDenied);
}

TEST(EvaluateTest, BoundaryLimitsIdentity) {
  PolicySet set = IdentityAllowing({"dynamodb:*"});
  set.boundary = MakePolicy(PolicyKind::kBoundary, "boundary",
                            {Stmt(Effect::kAllow, {"dynamodb:Get*"}, {"*"})});
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  auto d = Evaluate(set, Req(kRole, "dynamodb:PutItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, DecisionKind::kImplicitlyDenied);
  EXPECT_EQ(d->reason, "permissions boundary does not allow");
}

TEST(EvaluateTest, SessionPolicyLimitsIdentity) {
  PolicySet set = IdentityAllowing({"dynamodb:*"});
  set.session = MakePolicy(PolicyKind::kSession, "session",
                           {Stmt(Effect::kAllow, {"dynamodb:Query"}, {"*"})});
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:Query")), DecisionKind::kAllowed);
  auto d = Evaluate(set, Req(kRole, "dynamodb:GetItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->reason, "session policy does not allow");
}

TEST(EvaluateTest, EveryScpAndRcpLevelMustAllow) {
  PolicySet set = IdentityAllowing({"dynamodb:*"});
  set.scp_levels.push_back({MakePolicy(PolicyKind::kScp, "root",
                                       {Stmt(Effect::kAllow, {"*"}, {"*"})})});
  set.scp_levels.push_back(
      {MakePolicy(PolicyKind::kScp, "ou",
                  {Stmt(Effect::kAllow, {"dynamodb:Get*"}, {"*"})})});
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  auto d = Evaluate(set, Req(kRole, "dynamodb:PutItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->reason, "SCP level 2 does not allow");
  set.rcp_levels.push_back({MakePolicy(
      PolicyKind::kRcp, "rcp",
      {WithPrincipal(Stmt(Effect::kDeny, {"dynamodb:*"}, {"*"},
                          {Cond(ConditionOperator::kBool, "aws:SecureTransport",
                                {"false"}, SetQualifier::kNone, true)}),
                     {"*"}),
       WithPrincipal(Stmt(Effect::kAllow, {"*"}, {"*"}), {"*"})})});
  Request r = Req(kRole, "dynamodb:GetItem");
  // BoolIfExists: an absent key satisfies the condition, so the Deny applies.
  EXPECT_EQ(Decide(set, r), DecisionKind::kExplicitlyDenied);
  r.context["aws:SecureTransport"] = ContextValue{{"true"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kAllowed);
  r.context["aws:SecureTransport"] = ContextValue{{"false"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kExplicitlyDenied);
  set.rcp_levels.push_back({});
  r.context["aws:SecureTransport"] = ContextValue{{"true"}, false};
  d = Evaluate(set, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->reason, "RCP level 2 does not allow");
}

PolicySet WithResourcePolicy(PolicySet set, std::string key, Statement st) {
  set.resource[key].push_back(
      MakePolicy(PolicyKind::kResource, "table-policy", {std::move(st)}));
  return set;
}

TEST(EvaluateTest, SameAccountResourcePolicyAloneSuffices) {
  PolicySet set = WithResourcePolicy(
      PolicySet(), "Orders",
      WithPrincipal(Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {}), {kUser}));
  set.resource["Orders"][0].statements[0].has_resource = false;
  auto d = Evaluate(set, Req(kUser, "dynamodb:GetItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, DecisionKind::kAllowed);
  ASSERT_EQ(d->statements.size(), 1u);
  EXPECT_EQ(d->statements[0].policy_kind, PolicyKind::kResource);
  // Index ARNs belong to their table; other tables do not.
  EXPECT_EQ(Decide(set, Req(kUser, "dynamodb:GetItem",
                            std::string(kTable) + "/index/ByDate")),
            DecisionKind::kAllowed);
  EXPECT_EQ(
      Decide(set, Req(kUser, "dynamodb:GetItem",
                      "arn:aws:dynamodb:us-east-1:111122223333:table/Other")),
      DecisionKind::kImplicitlyDenied);
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kImplicitlyDenied);
}

TEST(EvaluateTest, ResourcePolicyKeyedByTableArn) {
  PolicySet set = WithResourcePolicy(
      PolicySet(), kTable,
      WithPrincipal(Stmt(Effect::kDeny, {"dynamodb:*"}, {kTable}), {"*"}));
  set.identity = IdentityAllowing({"dynamodb:*"}, {"*"}).identity;
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:Scan")),
            DecisionKind::kExplicitlyDenied);
}

TEST(EvaluateTest, AccountPrincipalDelegatesToIdentityPolicies) {
  PolicySet set = WithResourcePolicy(
      PolicySet(), "Orders",
      WithPrincipal(Stmt(Effect::kAllow, {"dynamodb:*"}, {kTable}),
                    {"arn:aws:iam::111122223333:root"}));
  EXPECT_EQ(Decide(set, Req(kUser, "dynamodb:GetItem")),
            DecisionKind::kImplicitlyDenied);
  set.identity = IdentityAllowing({"dynamodb:GetItem"}).identity;
  EXPECT_EQ(Decide(set, Req(kUser, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
}

TEST(EvaluateTest, BoundaryAndResourceGrants) {
  // Grant to the user ARN: not limited by the boundary.
  PolicySet set = WithResourcePolicy(
      PolicySet(), "Orders",
      WithPrincipal(Stmt(Effect::kAllow, {"dynamodb:*"}, {kTable}),
                    {kUser, kRole, kSession}));
  set.boundary = MakePolicy(PolicyKind::kBoundary, "b",
                            {Stmt(Effect::kAllow, {"s3:*"}, {"*"})});
  EXPECT_EQ(Decide(set, Req(kUser, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  // Grant to the session ARN itself: not limited.
  EXPECT_EQ(Decide(set, Req(kSession, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  // Grant to the role ARN: limited by the boundary.
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kImplicitlyDenied);
  PolicySet role_only = WithResourcePolicy(
      PolicySet(), "Orders",
      WithPrincipal(Stmt(Effect::kAllow, {"dynamodb:*"}, {kTable}), {kRole}));
  EXPECT_EQ(Decide(role_only, Req(kSession, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  role_only.boundary = set.boundary;
  EXPECT_EQ(Decide(role_only, Req(kSession, "dynamodb:GetItem")),
            DecisionKind::kImplicitlyDenied);
  role_only.boundary =
      MakePolicy(PolicyKind::kBoundary, "b",
                 {Stmt(Effect::kAllow, {"dynamodb:*"}, {"*"})});
  EXPECT_EQ(Decide(role_only, Req(kSession, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
}

TEST(EvaluateTest, NotPrincipalDenyWithBoundaryAlwaysDenies) {
  PolicySet set = IdentityAllowing({"dynamodb:*"});
  set = WithResourcePolicy(
      set, "Orders",
      WithPrincipal(Stmt(Effect::kDeny, {"dynamodb:*"}, {kTable}), {kRole},
                    /*negated=*/true));
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  EXPECT_EQ(Decide(set, Req(kUser, "dynamodb:GetItem")),
            DecisionKind::kExplicitlyDenied);
  set.boundary = MakePolicy(PolicyKind::kBoundary, "b",
                            {Stmt(Effect::kAllow, {"*"}, {"*"})});
  EXPECT_EQ(Decide(set, Req(kRole, "dynamodb:GetItem")),
            DecisionKind::kExplicitlyDenied);
}

TEST(EvaluateTest, CrossAccountNeedsBothSides) {
  PolicySet set = WithResourcePolicy(
      PolicySet(), "Orders",
      WithPrincipal(Stmt(Effect::kAllow, {"dynamodb:GetItem"}, {kTable}),
                    {"444455556666"}));
  EXPECT_EQ(Decide(set, Req(kOtherRole, "dynamodb:GetItem")),
            DecisionKind::kImplicitlyDenied);
  set.identity = IdentityAllowing({"dynamodb:GetItem"}).identity;
  EXPECT_EQ(Decide(set, Req(kOtherRole, "dynamodb:GetItem")),
            DecisionKind::kAllowed);
  PolicySet identity_only = IdentityAllowing({"dynamodb:GetItem"});
  auto d = Evaluate(identity_only, Req(kOtherRole, "dynamodb:GetItem"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, DecisionKind::kImplicitlyDenied);
  EXPECT_EQ(d->reason,
            "cross-account request: no resource-based policy allows");
}

TEST(EvaluateTest, VariablesInResourceOnlyForCurrentVersion) {
  PolicySet set;
  set.identity.push_back(
      MakePolicy(PolicyKind::kIdentity, "p",
                 {Stmt(Effect::kAllow, {"dynamodb:*"},
                       {"arn:aws:dynamodb:*:*:table/${aws:username}-*"})}));
  Request r = Req(kUser, "dynamodb:GetItem",
                  "arn:aws:dynamodb:us-east-1:111122223333:table/alice-data");
  EXPECT_EQ(Decide(set, r), DecisionKind::kImplicitlyDenied);  // no username
  r.context["aws:username"] = ContextValue{{"alice"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kAllowed);
  set.identity[0].version = "2008-10-17";
  EXPECT_EQ(Decide(set, r), DecisionKind::kImplicitlyDenied);
}

// AWS, "Policy variables with no value": "If a variable that has no value in
// the authorization context is used as part of the Resource or NotResource
// element of a policy, the resource that includes a policy variable with no
// value will not match any resource." So a NotResource entry with an
// unresolved variable excludes nothing.
TEST(EvaluateTest, UnresolvedVariableInNotResourceExcludesNothing) {
  PolicySet set;
  Statement st = Stmt(Effect::kAllow, {"dynamodb:GetItem"},
                      {"arn:aws:dynamodb:*:*:table/${aws:username}-*"});
  st.not_resource = true;
  set.identity.push_back(MakePolicy(PolicyKind::kIdentity, "p", {st}));
  Request r = Req(kRole, "dynamodb:GetItem",
                  "arn:aws:dynamodb:us-east-1:111122223333:table/alice-data");
  EXPECT_EQ(Decide(set, r), DecisionKind::kAllowed);  // no username
  r.context["aws:username"] = ContextValue{{"alice"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kImplicitlyDenied);
  r.context["aws:username"] = ContextValue{{"bob"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kAllowed);
}

TEST(EvaluateTest, DynamoDbConditionKeys) {
  PolicySet set;
  set.identity.push_back(MakePolicy(
      PolicyKind::kIdentity, "fine-grained",
      {Stmt(Effect::kAllow, {"dynamodb:GetItem", "dynamodb:Query"}, {kTable},
            {Cond(ConditionOperator::kStringEquals, "dynamodb:LeadingKeys",
                  {"${aws:PrincipalTag/tenant}"}, SetQualifier::kForAllValues),
             Cond(ConditionOperator::kStringEquals, "dynamodb:Attributes",
                  {"id", "name"}, SetQualifier::kForAllValues),
             Cond(ConditionOperator::kStringEquals, "dynamodb:Select",
                  {"SPECIFIC_ATTRIBUTES"}, SetQualifier::kNone, true)}),
       Stmt(Effect::kDeny, {"dynamodb:*"}, {kTable},
            {Cond(ConditionOperator::kBool, "dynamodb:FullTableScan", {"true"}),
             Cond(ConditionOperator::kStringNotEquals,
                  "dynamodb:EnclosingOperation", {"TransactGetItems"})}),
       Stmt(Effect::kDeny, {"dynamodb:UpdateItem"}, {kTable},
            {Cond(ConditionOperator::kStringLike, "dynamodb:ReturnValues",
                  {"ALL_*"})})}));
  Request r = Req(kRole, "dynamodb:Query");
  r.context["aws:PrincipalTag/tenant"] = ContextValue{{"t1"}, false};
  r.context["dynamodb:LeadingKeys"] = ContextValue{{"t1"}, true};
  r.context["dynamodb:Attributes"] = ContextValue{{"id"}, true};
  EXPECT_EQ(Decide(set, r), DecisionKind::kAllowed);
  r.context["dynamodb:Select"] = ContextValue{{"ALL_ATTRIBUTES"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kImplicitlyDenied);
  r.context["dynamodb:Select"] = ContextValue{{"SPECIFIC_ATTRIBUTES"}, false};
  r.context["dynamodb:LeadingKeys"] = ContextValue{{"t1", "t2"}, true};
  EXPECT_EQ(Decide(set, r), DecisionKind::kImplicitlyDenied);
  r.context["dynamodb:LeadingKeys"] = ContextValue{{"t1"}, true};
  // AWS sends dynamodb:FullTableScan with PartiQLSelect, not with Query.
  r.context["dynamodb:FullTableScan"] = ContextValue{{"true"}, false};
  EXPECT_EQ(Decide(set, r), DecisionKind::kAllowed);
  Request select = Req(kRole, "dynamodb:PartiQLSelect");
  select.context["dynamodb:FullTableScan"] = ContextValue{{"true"}, false};
  EXPECT_EQ(Decide(set, select), DecisionKind::kExplicitlyDenied);
  select.context["dynamodb:EnclosingOperation"] =
      ContextValue{{"TransactGetItems"}, false};
  EXPECT_EQ(Decide(set, select), DecisionKind::kImplicitlyDenied);
  Request u = Req(kRole, "dynamodb:UpdateItem");
  u.context["dynamodb:ReturnValues"] = ContextValue{{"ALL_NEW"}, false};
  EXPECT_EQ(Decide(set, u), DecisionKind::kExplicitlyDenied);
}

// A dynamodb: key the action does not support is never in its requests
// (Service Authorization Reference, DynamoDB's condition keys per action):
// conditions see it absent whatever the request says, as AWS does.
TEST(EvaluateTest, ServiceKeysTheActionDoesNotSupportAreAbsent) {
  PolicySet set;
  set.identity.push_back(MakePolicy(
      PolicyKind::kIdentity, "select",
      {Stmt(Effect::kAllow, {"dynamodb:*"}, {kTable},
            {Cond(ConditionOperator::kStringEquals, "dynamodb:Select",
                  {"COUNT"}, SetQualifier::kNone, /*if_exists=*/true)}),
       Stmt(Effect::kDeny, {"dynamodb:*"}, {"*"},
            {Cond(ConditionOperator::kNull, "dynamodb:LeadingKeys",
                  {"false"})})}));
  Request get = Req(kRole, "dynamodb:GetItem");
  get.context["dynamodb:Select"] = ContextValue{{"ALL_ATTRIBUTES"}, false};
  EXPECT_EQ(Decide(set, get), DecisionKind::kImplicitlyDenied);
  Request describe = Req(kRole, "dynamodb:DescribeTable");
  describe.context["dynamodb:Select"] = ContextValue{{"ALL_ATTRIBUTES"}, false};
  EXPECT_EQ(Decide(set, describe), DecisionKind::kAllowed);
  describe.context["DynamoDB:LEADINGKEYS"] = ContextValue{{"t1"}, true};
  EXPECT_EQ(Decide(set, describe), DecisionKind::kAllowed);
  get.context["dynamodb:Select"] = ContextValue{{"COUNT"}, false};
  EXPECT_EQ(Decide(set, get), DecisionKind::kAllowed);
  get.context["dynamodb:LeadingKeys"] = ContextValue{{"t1"}, true};
  EXPECT_EQ(Decide(set, get), DecisionKind::kExplicitlyDenied);
}

TEST(EvaluateTest, RejectsMalformedInput) {
  PolicySet set = IdentityAllowing({"dynamodb:*"});
  auto d = Evaluate(set, Req(kRole, "GetItem"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "request action \"GetItem\" is not of the form service:action");
  d = Evaluate(set, Req("alice", "dynamodb:GetItem"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "request principal \"alice\" is not an ARN");
  Condition bad = Cond(ConditionOperator::kUnknown, "k", {"v"});
  bad.op_text = "StringEqualz";
  bad.pos = SourcePos{"role.json", 7, 9};
  set.identity[0].statements[0].conditions.push_back(bad);
  d = Evaluate(set, Req(kRole, "dynamodb:GetItem"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "role.json:7:9: unknown condition operator \"StringEqualz\"");
  EXPECT_EQ(CheckEvaluable(set).message(),
            "role.json:7:9: unknown condition operator \"StringEqualz\"");
  EXPECT_TRUE(CheckEvaluable(IdentityAllowing({"dynamodb:*"})).ok());
}

}  // namespace
}  // namespace leastpriv
