// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// What the principal of a scope decides about the context keys of its
// requests (aws:username, aws:userid, aws:PrincipalType, ...).

#ifndef LEASTPRIV_LIB_ANALYSIS_PRINCIPAL_FACTS_H_
#define LEASTPRIV_LIB_ANALYSIS_PRINCIPAL_FACTS_H_

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "leastpriv/analyzer.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/eval/match.h"
#include "lib/smt/glob_partition.h"

namespace leastpriv::analysis {

// The values of a key the principal decides, for an IAM user and for a
// role session (nullopt: that principal type never sends the key):
//   - aws:userid: a user's unique id ("AIDA" and at least 16 upper-case
//     letters and digits), or a role session's "ROLEID:session" (a role
//     id, "AROA" likewise, then the session name: `session` when the
//     principal names it, else two or more of [a-zA-Z0-9_+=,.@-]);
//   - aws:username: the user's name, one or more of [a-zA-Z0-9_+=,.@-],
//     absent for role sessions;
//   - aws:PrincipalType: "User" or "AssumedRole".
// Names longer than IAM's 64 characters are not told apart.
struct PrincipalKeyShape {
  std::optional<smt::TokenPattern> user, session;
  std::vector<std::string> readable;  // preferred witnesses
};

std::optional<PrincipalKeyShape> PrincipalKeyShapes(const std::string& lower,
                                                    const std::string& session);

// Readable values of a principal key that the policies' values suggest:
// each value with its wildcards filled by parts of the readable ids.
void AddFilledValues(const std::string& lower,
                     const std::vector<std::string>& texts,
                     const std::string& session, std::vector<std::string>& out);

// The scope's context plus what its principal fixes, for the keys the
// policies mention: aws:PrincipalAccount; aws:PrincipalArn and
// aws:PrincipalType (an IAM user, a role, whose requests come from its
// sessions, the account root or a federated user); aws:username, the
// user's name, and absent for every other principal; aws:userid of the
// root (the account) and of a federated user ("ACCOUNT:name"). A role
// session's aws:PrincipalArn (its role's ARN, with a path the session ARN
// does not show) stays free, and so does the aws:userid of users and role
// sessions, within the shape of their ids (see PrincipalKeyShapes). Keys
// the scope gives keep its values.
std::map<std::string, std::vector<std::string>> WithPrincipalFacts(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_PRINCIPAL_FACTS_H_
