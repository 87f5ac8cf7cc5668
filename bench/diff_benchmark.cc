// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// DiffPolicies end to end (every DynamoDB action, both directions, resource
// summaries, witnesses replayed on both sides) on generated 200-statement
// identity policies: a pull-request-sized edit of one policy, and two
// unrelated policies.

#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "leastpriv/catalog.h"
#include "leastpriv/diff.h"
#include "leastpriv/policy.h"

namespace leastpriv {
namespace {

Condition TagCondition(std::mt19937& rng) {
  Condition c;
  c.op = ConditionOperator::kStringEquals;
  c.op_text = "StringEquals";
  c.key = "aws:PrincipalTag/team";
  c.values.push_back(ConditionValue{
      "team-" + std::to_string(std::uniform_int_distribution<int>(0, 5)(rng))});
  return c;
}

Condition TlsCondition(Effect effect) {
  Condition c;
  c.op = ConditionOperator::kBool;
  c.op_text = "Bool";
  c.key = "aws:SecureTransport";
  c.values.push_back(
      ConditionValue{effect == Effect::kDeny ? "false" : "true"});
  return c;
}

// Per-service-table grants of a few actions, some index and prefix grants,
// team and TLS conditions, one statement in twelve a Deny.
Policy GeneratePolicy(int statements, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng);
  };
  const auto& actions = DynamoDbActions();
  Policy p;
  p.kind = PolicyKind::kIdentity;
  p.name = "generated-" + std::to_string(seed);
  p.version = "2012-10-17";
  for (int i = 0; i < statements; ++i) {
    Statement st;
    st.index = i;
    st.sid = "S" + std::to_string(i);
    st.effect = pick(12) == 0 ? Effect::kDeny : Effect::kAllow;
    st.has_resource = true;
    for (int a = pick(3); a >= 0; --a) {
      if (pick(5) == 0) {
        const char* patterns[] = {"dynamodb:Get*", "dynamodb:*Item",
                                  "dynamodb:Describe*", "dynamodb:Update*",
                                  "dynamodb:Batch*"};
        st.actions.push_back(PolicyString{patterns[pick(5)]});
      } else {
        st.actions.push_back(PolicyString{
            actions[pick(static_cast<int>(actions.size()))].qualified_name()});
      }
    }
    const std::string table =
        "arn:aws:dynamodb:eu-west-1:111122223333:table/svc-" +
        std::to_string(pick(statements / 4));
    const int shape = pick(6);
    st.resources.push_back(PolicyString{shape == 0   ? table + "/index/*"
                                        : shape == 1 ? table + "*"
                                                     : table});
    const int cond = pick(5);
    if (cond == 0) st.conditions.push_back(TagCondition(rng));
    if (cond == 1) st.conditions.push_back(TlsCondition(st.effect));
    p.statements.push_back(std::move(st));
  }
  return p;
}

// A pull request: a few statements widened to a prefix, one Deny dropped,
// one condition removed.
Policy Edit(Policy p) {
  for (int i = 3; i < static_cast<int>(p.statements.size()); i += 50) {
    p.statements[i].resources[0].text += "*";
  }
  for (auto it = p.statements.begin(); it != p.statements.end(); ++it) {
    if (it->effect == Effect::kDeny) {
      p.statements.erase(it);
      break;
    }
  }
  for (Statement& st : p.statements) {
    if (!st.conditions.empty()) {
      st.conditions.clear();
      break;
    }
  }
  for (int i = 0; i < static_cast<int>(p.statements.size()); ++i)
    p.statements[i].index = i;
  return p;
}

void RunDiff(benchmark::State& state, const PolicySet& old_set,
             const PolicySet& new_set) {
  std::size_t added = 0, removed = 0, undecided = 0;
  for (auto _ : state) {
    auto diff = DiffPolicies(old_set, new_set);
    if (!diff.ok()) {
      state.SkipWithError(std::string(diff.status().message()).c_str());
      return;
    }
    added = diff->new_access.size();
    removed = diff->removed_access.size();
    undecided = diff->undecided.size();
    benchmark::DoNotOptimize(diff);
  }
  state.counters["statements"] = static_cast<double>(state.range(0));
  state.counters["new_access_actions"] = static_cast<double>(added);
  state.counters["removed_access_actions"] = static_cast<double>(removed);
  state.counters["undecided"] = static_cast<double>(undecided);
}

void BM_DiffPoliciesEdited(benchmark::State& state) {
  PolicySet old_set, new_set;
  old_set.identity.push_back(
      GeneratePolicy(static_cast<int>(state.range(0)), 7));
  new_set.identity.push_back(Edit(old_set.identity[0]));
  RunDiff(state, old_set, new_set);
}
BENCHMARK(BM_DiffPoliciesEdited)->Arg(200)->Unit(benchmark::kMillisecond);

void BM_DiffPoliciesUnrelated(benchmark::State& state) {
  PolicySet old_set, new_set;
  old_set.identity.push_back(
      GeneratePolicy(static_cast<int>(state.range(0)), 7));
  new_set.identity.push_back(
      GeneratePolicy(static_cast<int>(state.range(0)), 8));
  RunDiff(state, old_set, new_set);
}
BENCHMARK(BM_DiffPoliciesUnrelated)->Arg(200)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leastpriv
