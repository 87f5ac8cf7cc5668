// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/principals.h"

#include <string>

namespace leastpriv::eval {

ArnParts SplitArn(std::string_view arn) {
  ArnParts p;
  std::string_view parts[6];
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return p;
    parts[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  if (parts[0] != "arn") return p;
  p.partition = parts[1];
  p.service = parts[2];
  p.region = parts[3];
  p.account = parts[4];
  p.resource = arn.substr(start);
  p.ok = true;
  return p;
}

PrincipalInfo ReadPrincipal(std::string_view arn) {
  PrincipalInfo info;
  info.arn = arn;
  ArnParts p = SplitArn(arn);
  if (!p.ok) return info;
  info.account = p.account;
  if (p.service == "iam" && p.resource.substr(0, 5) == "user/") {
    info.is_user = true;
  } else if (p.service == "iam" && p.resource.substr(0, 5) == "role/") {
    info.is_role = true;
    std::string_view name = p.resource.substr(5);
    info.role_name = std::string(name.substr(name.rfind('/') + 1));
  } else if (p.service == "sts" &&
             p.resource.substr(0, 13) == "assumed-role/") {
    info.is_session = true;
    std::string_view rest = p.resource.substr(13);
    info.role_name = std::string(rest.substr(0, rest.find('/')));
  }
  return info;
}

namespace {

PrincipalMatch MatchPrincipalEntry(const PrincipalEntry& entry,
                                   const PrincipalInfo& who) {
  if (entry.type == PrincipalType::kAny) return PrincipalMatch::kWildcard;
  if (entry.type != PrincipalType::kAws) {
    return entry.value == who.arn ? PrincipalMatch::kDirect
                                  : PrincipalMatch::kNone;
  }
  const std::string& v = entry.value;
  if (v == "*") return PrincipalMatch::kWildcard;
  if (v == who.arn) return PrincipalMatch::kDirect;
  if (!who.account.empty() &&
      (v == who.account ||
       v == "arn:aws:iam::" + std::string(who.account) + ":root")) {
    return PrincipalMatch::kAccountLevel;
  }
  ArnParts p = SplitArn(v);
  if (who.is_session && p.ok && p.service == "iam" &&
      p.account == who.account && p.resource.substr(0, 5) == "role/") {
    std::string_view name = p.resource.substr(5);
    if (name.substr(name.rfind('/') + 1) == who.role_name) {
      return PrincipalMatch::kSessionRole;
    }
  }
  return PrincipalMatch::kNone;
}

int Rank(PrincipalMatch m) {
  switch (m) {
    case PrincipalMatch::kWildcard:
      return 0;
    case PrincipalMatch::kDirect:
      return 1;
    case PrincipalMatch::kSessionRole:
      return 2;
    default:
      return 3;
  }
}

}  // namespace

PrincipalMatch MatchPrincipalBlock(const PrincipalBlock& block,
                                   const PrincipalInfo& who) {
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const PrincipalEntry& e : block.entries) {
    PrincipalMatch m = MatchPrincipalEntry(e, who);
    // Prefer the strongest grant: wildcard, direct, session role, account.
    if (m != PrincipalMatch::kNone &&
        (best == PrincipalMatch::kNone || Rank(m) < Rank(best))) {
      best = m;
    }
  }
  if (block.negated) {
    return best == PrincipalMatch::kNone ? PrincipalMatch::kWildcard
                                         : PrincipalMatch::kNone;
  }
  return best;
}

// True when `key` (a table name, table ARN or stream ARN) names the table
// the request's resource belongs to.
bool ResourcePolicyApplies(std::string_view key, std::string_view resource) {
  if (key == resource) return true;
  ArnParts p = SplitArn(resource);
  if (!p.ok || p.resource.substr(0, 6) != "table/") return false;
  std::string_view table = p.resource.substr(6);
  table = table.substr(0, table.find('/'));
  if (key == table) return true;
  const size_t table_arn_len =
      resource.size() - p.resource.size() + 6 + table.size();
  return key == resource.substr(0, table_arn_len);
}

bool SameAccount(const PrincipalInfo& who, std::string_view resource) {
  ArnParts resource_arn = SplitArn(resource);
  const std::string_view resource_account =
      resource_arn.ok && !resource_arn.account.empty() ? resource_arn.account
                                                       : who.account;
  return !who.account.empty() && who.account == resource_account;
}

}  // namespace leastpriv::eval
