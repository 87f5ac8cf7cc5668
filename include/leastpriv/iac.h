// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Extraction of IAM policies from infrastructure-as-code files: AWS
// CloudFormation templates (JSON or YAML) and Terraform plans (the output of
// `terraform show -json`). Each policy found becomes an ExtractedPolicy: the
// policy model of policy.h plus what it is attached to (a role or a table)
// and the references that could not be resolved statically.
//
// Positions point into the template or plan file, so that a review comment
// can be anchored at the line a person wrote.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_IAC_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_IAC_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/policy.h"
#include "leastpriv/validate.h"

namespace leastpriv {

// Bounds applied to untrusted template and plan files. Exceeding one is an
// InvalidArgument error "file:line:col: message" that names the limit
// ("max_bytes", "max_depth", "max_nodes").
struct IacLimits {
  // Whole input, in bytes.
  std::size_t max_bytes = 16u << 20;
  // Containers nested inside each other.
  int max_depth = 64;
  // Nodes visited while reading a template. YAML aliases are counted every
  // time they are expanded, so an alias bomb ("billion laughs") stops here.
  std::size_t max_nodes = 1u << 20;
};

// Values of the CloudFormation pseudo parameters and how to treat what
// cannot be resolved.
struct IacOptions {
  std::string account_id;         // AWS::AccountId; empty = unknown
  std::string region;             // AWS::Region; empty = unknown
  std::string partition = "aws";  // AWS::Partition
  // false: an unresolved reference stays in the policy text as a marker
  //   (see kUnresolvedMarkerPrefix) that matches no real name;
  // true: it becomes the wildcard "*", which over-approximates what the
  //   policy grants (and what a Deny denies).
  // Either way the reference is listed in ExtractedPolicy::unresolved.
  bool unresolved_as_wildcard = false;
  IacLimits limits;
};

// An unresolved reference is written into policy strings as
// "{{unresolved:" + description + "}}", e.g.
// "arn:aws:dynamodb:us-east-1:{{unresolved:AWS::AccountId}}:table/Orders".
// IAM policy variables use "${...}", so a marker is never mistaken for one.
inline constexpr std::string_view kUnresolvedMarkerPrefix = "{{unresolved:";

// Something the extractor could not resolve statically.
struct UnresolvedReference {
  // What was referenced: "AWS::AccountId", "Fn::ImportValue SharedTableArn",
  // "Ref VpcId", "Fn::If IsProd", "ManagedPolicyArns arn:aws:iam::...".
  std::string reference;
  std::string reason;  // lower-case, e.g. "parameter has no Default"
  SourcePos pos;       // where the reference is written
};

// One policy found in an infrastructure-as-code file.
struct ExtractedPolicy {
  // The policy. kind is kIdentity, kBoundary or kResource. name is
  // "RoleLogicalId/PolicyName" for inline policies (Role.Policies and
  // AWS::IAM::Policy; Terraform: "role/name"), the managed policy's name
  // (ManagedPolicyName, else its logical id; Terraform: values.name), or
  // "TableLogicalId/ResourcePolicy" for table policies. Empty (no
  // statements) when has_document is false.
  Policy policy;
  // False when the document lives outside the file: a managed policy or
  // boundary given by an ARN that is not defined in the file (policy_arn
  // says which), or a Terraform value unknown until apply.
  bool has_document = true;
  std::string policy_arn;  // ARN of a managed policy / boundary, when known
  // The resource that defines the policy: CloudFormation logical id, or
  // Terraform address ("module.app.aws_iam_role_policy.reads").
  std::string source_resource;
  // The role the policy belongs to, for identity and boundary policies: its
  // RoleName when static, else its logical id (Terraform: the role's name).
  // Empty for a managed policy attached to no role in the file.
  std::string role;
  std::string role_resource;  // the role's logical id / address, if known
  // The table a resource policy is attached to: its TableName when static,
  // else its logical id (Terraform: the table name taken from resource_arn,
  // else the ARN). Empty for identity and boundary policies.
  std::string table;
  // Where the policy document (or the ARN naming it) is written.
  SourcePos pos;
  // References that could not be resolved, in source order. Nothing is
  // dropped because of them: the strings keep a marker (or "*").
  std::vector<UnresolvedReference> unresolved;
  // Structural problems found while reading the document (see validate.h);
  // a statement that cannot be modelled is not in `policy` and has a
  // problem here.
  std::vector<Finding> problems;
};

// Extracts the IAM policies of a CloudFormation template. The format is
// detected from the content: a template whose first non-blank character is
// '{' is read as JSON, anything else as YAML (with the short-form intrinsic
// tags !Ref, !Sub, !GetAtt, !Join, !If, !Select, !ImportValue, ...).
//
// Extracted, in resource order:
//   AWS::IAM::Role        Policies[].PolicyDocument (identity);
//                         PermissionsBoundary (boundary: the document of an
//                         AWS::IAM::ManagedPolicy of the template when it is
//                         a Ref to one, else has_document = false with the
//                         ARN in policy_arn); ManagedPolicyArns that are not
//                         defined in the template (has_document = false).
//   AWS::IAM::Policy      PolicyDocument, once per role in Roles (identity).
//   AWS::IAM::ManagedPolicy
//                         PolicyDocument, once per role attached through its
//                         Roles or a role's ManagedPolicyArns (identity), or
//                         once with an empty role when attached to none.
//   AWS::DynamoDB::Table  ResourcePolicy.PolicyDocument (resource).
//   AWS::DynamoDB::GlobalTable
//                         Replicas[].ResourcePolicy.PolicyDocument and
//                         Replicas[].ReplicaStreamSpecification.ResourcePolicy
//                         (resource; name "Logical/Region/ResourcePolicy").
//
// Intrinsic functions inside policy documents and attachment properties are
// evaluated where the template decides them:
//   Ref           parameters with a Default, the pseudo parameters
//                 AWS::AccountId / AWS::Region / AWS::Partition (from
//                 options) and AWS::URLSuffix, a table (its TableName), a
//                 role (its RoleName), a managed policy (its ARN);
//   Fn::GetAtt    Table.Arn, Table.StreamArn ("<table arn>/stream/*"),
//                 GlobalTable.Arn/StreamArn, Role.Arn, Role.RoleId is not;
//   Fn::Sub       both forms, "${!Literal}" escapes;
//   Fn::Join, Fn::Select, Fn::FindInMap (static keys);
//   Fn::If        the branch chosen by a condition that resolves to a
//                 constant (Fn::Equals / Fn::Not / Fn::And / Fn::Or /
//                 Condition over resolved values). An undecidable Fn::If is
//                 listed as unresolved and replaced by the list of both
//                 branches (AWS::NoValue left out), spliced into an
//                 enclosing list: for Action, Resource and Statement lists
//                 that is the union of what either branch grants.
// Anything else (Fn::ImportValue, parameters without Default, a table
// without TableName, AWS::StackName, ...) is unresolved: see IacOptions.
//
// Errors (InvalidArgument, "file:line:col: message"): malformed JSON or
// YAML, a limit exceeded, a template without a Resources mapping.
absl::StatusOr<std::vector<ExtractedPolicy>> ExtractCloudFormation(
    std::string_view text, const std::string& file_name,
    const IacOptions& options);

// Extracts the IAM policies of a Terraform plan or state in JSON form
// (`terraform show -json plan.out` or `terraform show -json`). Walks
// planned_values.root_module, then prior_state.values.root_module for what
// the plan did not list (data sources), or values.root_module of a state,
// each with its child_modules recursively. Resources:
//   aws_iam_policy                  values.policy (identity; role from the
//                                   attachments below, else empty);
//   aws_iam_role_policy             values.policy on values.role;
//   aws_iam_role                    values.inline_policy[].policy, and
//                                   values.permissions_boundary (boundary;
//                                   resolved to an aws_iam_policy of the
//                                   plan by arn or name, else external);
//   aws_iam_role_policy_attachment  values.policy_arn on values.role,
//                                   resolved the same way;
//   aws_dynamodb_resource_policy    values.policy on values.resource_arn;
//   data.aws_iam_policy_document    values.json (identity, no role).
// Policy documents are JSON strings inside the plan. Positions of their
// elements are mapped back to the plan: the line of the string literal and
// the column of the escaped source bytes the element was decoded from.
// A value unknown until apply gives has_document = false and an
// UnresolvedReference at the resource.
//
// Errors (InvalidArgument, "file:line:col: message"): malformed JSON, a
// limit exceeded (default IacLimits), a file that is neither a plan nor a
// state.
absl::StatusOr<std::vector<ExtractedPolicy>> ExtractTerraformPlan(
    std::string_view text, const std::string& file_name);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_IAC_H_
