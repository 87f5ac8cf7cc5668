// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Small builders for policies written in test code, and the check of a
// resource summary the engine tests share.

#ifndef LEASTPRIV_LIB_ANALYSIS_TEST_POLICIES_H_
#define LEASTPRIV_LIB_ANALYSIS_TEST_POLICIES_H_

#include <string>
#include <utility>
#include <vector>

#include "leastpriv/analyzer.h"
#include "leastpriv/policy.h"
#include "lib/eval/match.h"

namespace leastpriv::testing_policies {

inline Condition Cond(ConditionOperator op, std::string op_text,
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

inline Statement Stmt(Effect effect, std::vector<std::string> actions,
                      std::vector<std::string> resources,
                      std::vector<Condition> conditions = {},
                      bool not_action = false, bool not_resource = false) {
  Statement st;
  st.effect = effect;
  st.not_action = not_action;
  st.not_resource = not_resource;
  st.has_resource = true;
  for (std::string& a : actions)
    st.actions.push_back(PolicyString{std::move(a)});
  for (std::string& r : resources)
    st.resources.push_back(PolicyString{std::move(r)});
  st.conditions = std::move(conditions);
  return st;
}

inline Policy Pol(PolicyKind kind, std::vector<Statement> statements,
                  std::string name = "test") {
  Policy p;
  p.kind = kind;
  p.name = std::move(name);
  p.version = "2012-10-17";
  for (size_t i = 0; i < statements.size(); ++i)
    statements[i].index = static_cast<int>(i);
  p.statements = std::move(statements);
  return p;
}

// A resource-policy statement (no Resource element) naming AWS principals
// ("*" for everyone); `negated` makes it NotPrincipal.
inline Statement Grant(Effect effect, std::vector<std::string> actions,
                       std::vector<std::string> principals,
                       bool negated = false,
                       std::vector<Condition> conditions = {}) {
  Statement st = Stmt(effect, std::move(actions), {}, std::move(conditions));
  st.has_resource = false;
  PrincipalBlock block;
  block.negated = negated;
  for (std::string& p : principals) {
    PrincipalEntry e;
    e.type = PrincipalType::kAws;
    e.value = std::move(p);
    block.entries.push_back(std::move(e));
  }
  st.principal = std::move(block);
  return st;
}

inline PolicySet Identity(std::vector<Statement> statements) {
  PolicySet set;
  set.identity.push_back(Pol(PolicyKind::kIdentity, std::move(statements)));
  return set;
}

// Whether a resource summary (its patterns minus its exceptions, per
// resource type) names `resource`.
inline bool InSummary(const std::vector<ResourceSummary>& summary,
                      const std::string& resource) {
  for (const ResourceSummary& s : summary) {
    bool in = false;
    for (const std::string& p : s.patterns) in |= eval::ArnMatches(p, resource);
    for (const std::string& p : s.except) {
      if (eval::ArnMatches(p, resource)) in = false;
    }
    if (in) return true;
  }
  return false;
}

}  // namespace leastpriv::testing_policies

#endif  // LEASTPRIV_LIB_ANALYSIS_TEST_POLICIES_H_
