// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The symbolic engine end to end: Reachable over every DynamoDB action, with
// witnesses (replayed through Evaluate) and resource summaries, on generated
// identity policies of 50, 200 and 1,000 statements with conditions.

#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/catalog.h"
#include "leastpriv/policy.h"

namespace leastpriv {
namespace {

Condition MakeCondition(ConditionOperator op, const char* text, std::string key,
                        std::vector<std::string> values,
                        SetQualifier q = SetQualifier::kNone) {
  Condition c;
  c.op = op;
  c.op_text = text;
  c.key = std::move(key);
  c.qualifier = q;
  for (std::string& v : values) c.values.push_back(ConditionValue{std::move(v)});
  return c;
}

// A policy shaped like real application roles: per-table grants of a few
// actions, index grants, tenant conditions, and some denies.
PolicySet GeneratePolicies(int statements, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const auto& actions = DynamoDbActions();
  const int tables = std::max(4, statements / 4);
  Policy p;
  p.kind = PolicyKind::kIdentity;
  p.name = "generated";
  p.version = "2012-10-17";
  for (int i = 0; i < statements; ++i) {
    Statement st;
    st.index = i;
    st.effect = pick(10) == 0 ? Effect::kDeny : Effect::kAllow;
    st.has_resource = true;
    const int kinds = pick(4);
    for (int a = 0; a <= kinds; ++a) {
      if (pick(6) == 0) {
        const char* wild[] = {"dynamodb:Get*", "dynamodb:*Item", "dynamodb:Describe*",
                              "dynamodb:List*", "dynamodb:Batch*"};
        st.actions.push_back(PolicyString{wild[pick(5)]});
      } else {
        st.actions.push_back(
            PolicyString{actions[pick(static_cast<int>(actions.size()))].qualified_name()});
      }
    }
    const std::string table =
        "arn:aws:dynamodb:us-east-1:111122223333:table/app-" + std::to_string(pick(tables));
    switch (pick(5)) {
      case 0:
        st.resources.push_back(PolicyString{table + "/index/*"});
        break;
      case 1:
        st.resources.push_back(PolicyString{table + "*"});
        break;
      case 2:
        st.resources.push_back(PolicyString{pick(4) == 0 ? "*" : table + "/stream/*"});
        break;
      default:
        st.resources.push_back(PolicyString{table});
    }
    switch (pick(6)) {
      case 0:
        st.conditions.push_back(MakeCondition(ConditionOperator::kStringEquals, "StringEquals",
                                              "aws:PrincipalTag/team",
                                              {"team-" + std::to_string(pick(8))}));
        break;
      case 1:
        st.conditions.push_back(MakeCondition(ConditionOperator::kBool, "Bool",
                                              "aws:SecureTransport",
                                              {st.effect == Effect::kDeny ? "false" : "true"}));
        break;
      case 2:
        st.conditions.push_back(MakeCondition(
            ConditionOperator::kStringEquals, "ForAllValues:StringEquals",
            "dynamodb:LeadingKeys", {"tenant-" + std::to_string(pick(16))},
            SetQualifier::kForAllValues));
        break;
      case 3:
        st.conditions.push_back(MakeCondition(ConditionOperator::kNumericLessThan,
                                              "NumericLessThan", "aws:MultiFactorAuthAge",
                                              {std::to_string(600 * (1 + pick(6)))}));
        break;
      default:
        break;
    }
    p.statements.push_back(std::move(st));
  }
  PolicySet set;
  set.identity.push_back(std::move(p));
  return set;
}

void BM_ReachableAllActions(benchmark::State& state) {
  const PolicySet policies = GeneratePolicies(static_cast<int>(state.range(0)), 42);
  int yes = 0, unknown = 0;
  for (auto _ : state) {
    auto report = Reachable(policies);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      return;
    }
    yes = unknown = 0;
    for (const ActionReach& a : report->actions) {
      yes += a.reachable == Answer::kYes;
      unknown += a.reachable == Answer::kUnknown;
    }
    benchmark::DoNotOptimize(report);
  }
  state.counters["statements"] = static_cast<double>(state.range(0));
  state.counters["reachable_actions"] = yes;
  state.counters["unknown_actions"] = unknown;
}
BENCHMARK(BM_ReachableAllActions)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
