// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/review/grants.h"

#include <string>
#include <vector>

#include "lib/glob/glob.h"

namespace leastpriv::review_internal {
namespace {

const Policy* FindPolicy(const PolicySet& set, const StatementRef& ref) {
  auto match = [&ref](const Policy& p) {
    return p.kind == ref.policy_kind && p.name == ref.policy_name;
  };
  for (const Policy& p : set.identity) {
    if (match(p)) return &p;
  }
  if (set.boundary && match(*set.boundary)) return &*set.boundary;
  if (set.session && match(*set.session)) return &*set.session;
  for (const auto& [table, list] : set.resource) {
    for (const Policy& p : list) {
      if (match(p)) return &p;
    }
  }
  for (const auto& level : set.scp_levels) {
    for (const Policy& p : level) {
      if (match(p)) return &p;
    }
  }
  for (const auto& level : set.rcp_levels) {
    for (const Policy& p : level) {
      if (match(p)) return &p;
    }
  }
  return nullptr;
}

}  // namespace

SourcePos GrantPosition(const PolicySet& set, const StatementRef& ref,
                        const std::string& action) {
  const Policy* p = FindPolicy(set, ref);
  if (p == nullptr) return ref.pos;
  for (const Statement& st : p->statements) {
    if (st.index != ref.index) continue;
    if (!st.not_action) {
      for (const PolicyString& a : st.actions) {
        if (GlobMatch(a.text, action, GlobCase::kInsensitive) &&
            a.pos.line > 0) {
          return a.pos;
        }
      }
    } else if (st.action_pos.line > 0) {
      return st.action_pos;
    }
    return st.pos;
  }
  return ref.pos;
}

std::vector<StatementRef> Granting(const Decision& d) {
  std::vector<StatementRef> out;
  for (const StatementRef& s : d.statements) {
    if (s.policy_kind == PolicyKind::kIdentity ||
        s.policy_kind == PolicyKind::kResource) {
      out.push_back(s);
    }
  }
  if (out.empty()) out = d.statements;
  return out;
}

}  // namespace leastpriv::review_internal
