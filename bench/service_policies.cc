// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "bench/service_policies.h"

#include <random>
#include <string>
#include <utility>

#include "leastpriv/catalog.h"

namespace leastpriv::bench {
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

}  // namespace

// Per-service-table grants of a few actions, some index and prefix grants,
// team and TLS conditions, one statement in twelve a Deny.
Policy GenerateServicePolicy(int statements, unsigned seed) {
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
Policy EditAsPullRequest(Policy p) {
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

}  // namespace leastpriv::bench
