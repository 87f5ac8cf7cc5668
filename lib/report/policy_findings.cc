// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/report/policy_findings.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "leastpriv/diff.h"
#include "leastpriv/validate.h"

namespace leastpriv::report {
namespace {

// The account a principal entry names, or "" when it names none.
std::string AccountOf(const PrincipalEntry& e) {
  if (e.type != PrincipalType::kAws) return "";
  if (e.value.size() == 12) return e.value;
  std::vector<std::string> parts = absl::StrSplit(e.value, ':');
  return parts.size() >= 5 ? parts[4] : "";
}

void CheckResourcePolicy(const std::string& table, const Policy& policy,
                         const std::string& account,
                         std::vector<Finding>* out) {
  // Public grants are the engine's rule (CheckNoPublicAccess, diff.h): an
  // Allow to anyone that no condition pins to an account, organization or
  // VPC. `check-no-public-access` gives the same answer.
  std::map<int, const PublicGrant*> public_grants;
  const PublicAccessCheck check = CheckNoPublicAccess(policy);
  for (const PublicGrant& g : check.grants) {
    public_grants[g.statement.index] = &g;
  }
  for (const Statement& st : policy.statements) {
    if (st.effect != Effect::kAllow || !st.principal.has_value()) continue;
    const std::string name = st.sid
                                 ? absl::StrCat("statement \"", *st.sid, "\"")
                                 : absl::StrCat("statement ", st.index);
    auto grant = public_grants.find(st.index);
    if (grant != public_grants.end()) {
      const PublicGrant& g = *grant->second;
      // At the principal that opens it.
      SourcePos pos = st.principal->pos;
      for (const PrincipalEntry& e : st.principal->entries) {
        if (e.type == PrincipalType::kAny || e.value == "*") pos = e.pos;
      }
      out->push_back(
          {FindingCode::kPublicTablePolicy,
           st.conditions.empty() ? Severity::kError : Severity::kWarning,
           absl::StrCat(
               name, " of the policy on table ", table,
               g.principal == "NotPrincipal"
                   ? " allows everyone but the NotPrincipal"
                   : " allows any principal (\"*\")",
               st.conditions.empty() ? "" : absl::StrCat(", and ", g.why)),
           pos});
    }
    if (st.principal->negated) continue;
    for (const PrincipalEntry& e : st.principal->entries) {
      std::string other = AccountOf(e);
      if (!other.empty() && !account.empty() && other != account) {
        out->push_back(
            {FindingCode::kCrossAccountTablePolicy, Severity::kWarning,
             absl::StrCat(name, " of the policy on table ", table,
                          " allows account ", other, " (", e.value, ")"),
             e.pos});
      }
    }
  }
}

}  // namespace

std::vector<Finding> FindPolicyProblems(const PolicySet& policies,
                                        const std::string& account) {
  std::vector<Finding> out;
  auto validate = [&](const Policy& p) {
    for (Finding& f : ValidatePolicy(p)) out.push_back(std::move(f));
  };
  for (const Policy& p : policies.identity) validate(p);
  if (policies.boundary) validate(*policies.boundary);
  if (policies.session) validate(*policies.session);
  for (const auto& level : policies.scp_levels) {
    for (const Policy& p : level) validate(p);
  }
  for (const auto& level : policies.rcp_levels) {
    for (const Policy& p : level) validate(p);
  }
  for (const auto& [table, list] : policies.resource) {
    for (const Policy& p : list) {
      validate(p);
      CheckResourcePolicy(table, p, account, &out);
    }
  }
  return out;
}

}  // namespace leastpriv::report
