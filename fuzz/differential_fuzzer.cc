// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Differential target: the concrete evaluator against the symbolic engine.
// From the input bytes it builds a small policy set (identity, optional
// boundary and SCP, statements with Action/NotAction, Resource/NotResource
// over small wildcard patterns, and conditions of the exactly modelled
// families) and one request, then asks the engine about that request with
// the request's context fixed:
//   - Allows(policies, action, resource) must say kYes when Evaluate allows
//     the request and must not say an unconditional kYes when it denies;
//   - FindAllowedDifference(policies, other, action) must find a request
//     when Evaluate allows the request under `policies` and not under
//     `other`, and every witness either reports must replay.
// kUnknown is accepted only as a solver resource limit.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzzer/FuzzedDataProvider.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

namespace {

using namespace leastpriv;  // NOLINT

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "differential_fuzzer: %s\n", what.c_str());
  std::abort();
}

const char* const kPrincipal = "arn:aws:iam::111122223333:role/app";
const char* const kArnPrefix = "arn:aws:dynamodb:us-east-1:111122223333:";

template <typename T, size_t N>
const T& Pick(FuzzedDataProvider& in, const T (&items)[N]) {
  return items[in.ConsumeIntegralInRange<size_t>(0, N - 1)];
}

// A table name or name pattern over a tiny alphabet.
std::string Name(FuzzedDataProvider& in, bool wildcards, size_t min_len = 1) {
  static const char kPlain[] = "AAbb.";
  static const char kWild[] = "AAbb.*?";
  const size_t len = in.ConsumeIntegralInRange<size_t>(min_len, 3);
  std::string s;
  // Characters of the alphabet only: never the literal's terminating NUL.
  for (size_t i = 0; i < len; ++i) {
    s += wildcards
             ? kWild[in.ConsumeIntegralInRange<size_t>(0, sizeof(kWild) - 2)]
             : kPlain[in.ConsumeIntegralInRange<size_t>(0, sizeof(kPlain) - 2)];
  }
  return s;
}

std::string ResourcePattern(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
      return "*";
    case 1:
      return std::string("arn:aws:dynamodb:*:*:table/") + Name(in, true);
    case 2:
      return kArnPrefix +
             ("table/" + Name(in, true) + "/index/" + Name(in, true));
    case 3:
      return std::string("arn:aws:dynamodb:") +
             (in.ConsumeBool() ? "eu-west-1" : "us-east-?") + ":*:table/" +
             Name(in, true);
    case 4:
      return kArnPrefix + ("table/" + Name(in, true) + "*");
    default:
      return kArnPrefix + ("table/" + Name(in, false));
  }
}

Condition MakeCondition(ConditionOperator op, std::string op_text,
                        std::string key, std::vector<std::string> values,
                        SetQualifier q = SetQualifier::kNone,
                        bool if_exists = false) {
  Condition c;
  c.op = op;
  c.op_text = std::move(op_text);
  c.key = std::move(key);
  c.qualifier = q;
  c.if_exists = if_exists;
  for (std::string& v : values)
    c.values.push_back(ConditionValue{std::move(v)});
  return c;
}

Condition RandomCondition(FuzzedDataProvider& in) {
  using Op = ConditionOperator;
  const bool if_exists = in.ConsumeIntegralInRange<int>(0, 4) == 0;
  switch (in.ConsumeIntegralInRange<int>(0, 8)) {
    case 0: {
      static const Op kOps[] = {Op::kStringEquals,
                                Op::kStringNotEquals,
                                Op::kStringEqualsIgnoreCase,
                                Op::kStringNotEqualsIgnoreCase,
                                Op::kStringLike,
                                Op::kStringNotLike};
      const Op op = Pick(in, kOps);
      return MakeCondition(
          op, std::string(ConditionOperatorName(op)), "aws:PrincipalTag/team",
          {Name(in, op == Op::kStringLike || op == Op::kStringNotLike)},
          SetQualifier::kNone, if_exists);
    }
    case 1:
      return MakeCondition(Op::kBool, "Bool", "aws:SecureTransport",
                           {in.ConsumeBool() ? "true" : "false"},
                           SetQualifier::kNone, if_exists);
    case 2:
      return MakeCondition(
          Op::kNull, "Null",
          in.ConsumeBool() ? "dynamodb:LeadingKeys" : "aws:SecureTransport",
          {in.ConsumeBool() ? "true" : "false"});
    case 3:
      return MakeCondition(
          in.ConsumeBool() ? Op::kStringEquals : Op::kStringLike,
          "ForAllValues:String", "dynamodb:LeadingKeys",
          {Name(in, false), Name(in, true)}, SetQualifier::kForAllValues);
    case 4:
      return MakeCondition(
          in.ConsumeBool() ? Op::kStringEquals : Op::kStringNotEquals,
          "ForAnyValue:String", "dynamodb:LeadingKeys", {Name(in, false)},
          SetQualifier::kForAnyValue);
    default: {
      static const Op kOps[] = {
          Op::kNumericEquals,      Op::kNumericNotEquals,
          Op::kNumericLessThan,    Op::kNumericLessThanEquals,
          Op::kNumericGreaterThan, Op::kNumericGreaterThanEquals};
      static const char* const kNumbers[] = {"0",  "10",  "50",
                                             "-1", "1.5", "100"};
      const Op op = Pick(in, kOps);
      return MakeCondition(op, std::string(ConditionOperatorName(op)),
                           "aws:MultiFactorAuthAge", {Pick(in, kNumbers)},
                           SetQualifier::kNone, if_exists);
    }
  }
}

Statement RandomStatement(FuzzedDataProvider& in, int index) {
  static const char* const kActions[] = {"dynamodb:GetItem",
                                         "dynamodb:*",
                                         "dynamodb:Get*",
                                         "dynamodb:*Item",
                                         "dynamodb:Query",
                                         "dynamodb:List*",
                                         "*",
                                         "DynamoDB:getitem",
                                         "dynamodb:?etItem"};
  Statement st;
  st.index = index;
  st.effect = in.ConsumeIntegralInRange<int>(0, 3) == 0 ? Effect::kDeny
                                                        : Effect::kAllow;
  st.not_action = in.ConsumeIntegralInRange<int>(0, 7) == 0;
  st.not_resource = in.ConsumeIntegralInRange<int>(0, 7) == 0;
  st.has_resource = true;
  const int nactions = in.ConsumeIntegralInRange<int>(1, 2);
  for (int i = 0; i < nactions; ++i)
    st.actions.push_back(PolicyString{Pick(in, kActions)});
  const int nresources = in.ConsumeIntegralInRange<int>(1, 2);
  for (int i = 0; i < nresources; ++i)
    st.resources.push_back(PolicyString{ResourcePattern(in)});
  const int nconditions = in.ConsumeIntegralInRange<int>(0, 2);
  for (int i = 0; i < nconditions; ++i)
    st.conditions.push_back(RandomCondition(in));
  return st;
}

Policy RandomPolicy(FuzzedDataProvider& in, PolicyKind kind) {
  Policy p;
  p.kind = kind;
  p.name = std::string(PolicyKindName(kind));
  p.version = "2012-10-17";
  const int n = in.ConsumeIntegralInRange<int>(1, 3);
  for (int i = 0; i < n; ++i) p.statements.push_back(RandomStatement(in, i));
  return p;
}

PolicySet RandomPolicySet(FuzzedDataProvider& in) {
  PolicySet set;
  set.identity.push_back(RandomPolicy(in, PolicyKind::kIdentity));
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) {
    set.boundary = RandomPolicy(in, PolicyKind::kBoundary);
  }
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) {
    set.scp_levels.push_back({RandomPolicy(in, PolicyKind::kScp)});
  }
  return set;
}

// Fixed-value scope facts for the context keys the generator uses; a key
// absent from the request is fixed to be absent.
std::map<std::string, std::vector<std::string>> FixedContext(const Request& r) {
  std::map<std::string, std::vector<std::string>> fixed;
  for (const char* key : {"aws:PrincipalTag/team", "aws:SecureTransport",
                          "dynamodb:LeadingKeys", "aws:MultiFactorAuthAge"}) {
    auto it = r.context.find(key);
    fixed[key] =
        it == r.context.end() ? std::vector<std::string>{} : it->second.values;
  }
  return fixed;
}

bool Allowed(const PolicySet& p, const Request& r) {
  absl::StatusOr<Decision> d = Evaluate(p, r);
  if (!d.ok()) Fail("Evaluate failed: " + std::string(d.status().message()));
  return d->kind == DecisionKind::kAllowed;
}

void CheckUnknown(const std::string& reason) {
  if (reason.rfind("solver: ", 0) != 0) Fail("unexpected unknown: " + reason);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const PolicySet policies = RandomPolicySet(in);
  const PolicySet other = RandomPolicySet(in);

  Request r;
  r.principal = kPrincipal;
  // Resources of the action's own resource types: GetItem acts on tables,
  // Query on tables and indexes.
  r.action = in.ConsumeBool() ? "dynamodb:GetItem" : "dynamodb:Query";
  // A table name AWS accepts (3 to 255 of [a-zA-Z0-9_.-]): the engine
  // reasons about the requests AWS can receive (lib/eval/naming.h).
  r.resource = kArnPrefix + ("table/" + Name(in, false, 3));
  if (r.action == "dynamodb:Query" && in.ConsumeBool()) {
    r.resource += "/index/" + Name(in, false, 3);
  }
  if (in.ConsumeBool())
    r.context["aws:PrincipalTag/team"] = {{Name(in, false)}, false};
  if (in.ConsumeBool()) {
    r.context["aws:SecureTransport"] = {{in.ConsumeBool() ? "true" : "false"},
                                        false};
  }
  if (in.ConsumeBool()) {
    ContextValue keys{{}, true};
    const int n = in.ConsumeIntegralInRange<int>(1, 2);
    for (int i = 0; i < n; ++i) keys.values.push_back(Name(in, false));
    r.context["dynamodb:LeadingKeys"] = keys;
  }
  if (in.ConsumeBool()) {
    static const char* const kAges[] = {"0", "10", "50", "100", "7"};
    r.context["aws:MultiFactorAuthAge"] = {{Pick(in, kAges)}, false};
  }

  AnalysisScope scope;
  scope.account = "111122223333";
  scope.region = "us-east-1";
  scope.principal = kPrincipal;
  scope.context = FixedContext(r);

  const bool allowed = Allowed(policies, r);
  absl::StatusOr<AllowsResult> a =
      Allows(policies, r.action, r.resource, scope);
  if (!a.ok()) Fail("Allows failed: " + std::string(a.status().message()));
  if (a->answer == Answer::kUnknown) {
    CheckUnknown(a->reason);
  } else if (allowed && a->answer != Answer::kYes) {
    Fail("Evaluate allows " + r.action + " on " + r.resource +
         " but Allows says no");
  } else if (!allowed && a->answer == Answer::kYes && !a->conditional) {
    Fail("Evaluate denies " + r.action + " on " + r.resource +
         " but Allows says yes in every context");
  }

  // Is there a request on this table that `policies` allows and `other`
  // does not? The concrete request is one when Evaluate says so.
  AnalysisScope table_scope = scope;
  const std::string table = r.resource.substr(r.resource.find("table/") + 6);
  table_scope.tables = {table.substr(0, table.find('/'))};
  absl::StatusOr<DifferenceResult> diff = FindAllowedDifference(
      PolicySide::Of(policies), PolicySide::Of(other), r.action, table_scope);
  if (!diff.ok())
    Fail("FindAllowedDifference failed: " +
         std::string(diff.status().message()));
  if (diff->answer == Answer::kUnknown) {
    CheckUnknown(diff->reason);
  } else if (diff->answer == Answer::kYes) {
    if (!diff->witness) Fail("kYes without a witness");
    if (!Allowed(policies, *diff->witness) || Allowed(other, *diff->witness)) {
      Fail("a difference witness does not replay");
    }
  } else if (allowed && !Allowed(other, r)) {
    Fail("Evaluate allows " + r.action + " on " + r.resource +
         " under the first policy set only, but FindAllowedDifference says no");
  }
  return 0;
}
