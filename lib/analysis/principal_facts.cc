// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/principal_facts.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "lib/analysis/request_model.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv::analysis {

using smt::CharRange;
using smt::TokenPattern;

namespace {

// `text` with every '*' replaced by `fill` and every '?' by 'X'.
std::string Filled(const std::string& text, std::string_view fill) {
  std::string out;
  for (char c : text) {
    if (c == '*') {
      out += fill;
    } else {
      out += c == '?' ? 'X' : c;
    }
  }
  return out;
}

// Lower-case names of the condition keys the policies of `sides` test or
// read as policy variables.
std::set<std::string> MentionedKeys(
    const std::vector<const PolicySet*>& sides) {
  std::set<std::string> out;
  auto variables = [&](const std::string& text) {
    size_t i = 0;
    while ((i = text.find("${", i)) != std::string::npos) {
      const size_t close = text.find('}', i + 2);
      if (close == std::string::npos) break;
      std::string inner = text.substr(i + 2, close - i - 2);
      out.insert(absl::AsciiStrToLower(
          absl::StripAsciiWhitespace(inner.substr(0, inner.find(',')))));
      i = close + 1;
    }
  };
  for (const PolicySet* side : sides) {
    ForEachPolicy(*side, [&](const Policy& policy) {
      for (const Statement& st : policy.statements) {
        for (const PolicyString& r : st.resources) variables(r.text);
        for (const Condition& c : st.conditions) {
          out.insert(absl::AsciiStrToLower(c.key));
          for (const ConditionValue& v : c.values) variables(v.text);
        }
      }
    });
  }
  return out;
}

}  // namespace

std::optional<PrincipalKeyShape> PrincipalKeyShapes(
    const std::string& lower, const std::string& session) {
  PrincipalKeyShape out;
  if (lower == "aws:userid") {
    TokenPattern user = TokenPattern::Literal("AIDA", false);
    user.AddExactly(CharRange::kUpperDigit, 16).AddStar(CharRange::kUpperDigit);
    TokenPattern role = TokenPattern::Literal("AROA", false);
    role.AddExactly(CharRange::kUpperDigit, 16).AddStar(CharRange::kUpperDigit);
    role.AddLiteral(":", false);
    if (session.empty()) {
      role.AddExactly(CharRange::kIamNameChar, 2)
          .AddStar(CharRange::kIamNameChar);
    } else {
      role.AddLiteral(session, false);
    }
    out.user = std::move(user);
    out.session = std::move(role);
    const std::string name = session.empty() ? "leastpriv-session" : session;
    out.readable = {"AIDACKCEVSQ6C2EXAMPLE", "AROADBQP57FF2AEXAMPLE:" + name,
                    "AIDAJQABLZS4A3QDU576Q", "AROAJQABLZS4A3QDU576Q:" + name};
    return out;
  }
  if (lower == "aws:username") {
    out.user = TokenPattern().AddName(CharRange::kIamNameChar);
    out.readable = {"leastpriv-witness"};
    return out;
  }
  if (lower == "aws:principaltype") {
    out.user = TokenPattern::Literal("User", false);
    out.session = TokenPattern::Literal("AssumedRole", false);
    return out;
  }
  return std::nullopt;
}

void AddFilledValues(const std::string& lower,
                     const std::vector<std::string>& texts,
                     const std::string& session,
                     std::vector<std::string>& out) {
  std::vector<std::string> fills;
  if (lower == "aws:userid") {
    const std::string name = session.empty() ? "leastpriv-session" : session;
    fills = {"",
             "AROADBQP57FF2AEXAMPLE",
             "DBQP57FF2AEXAMPLE",
             "CKCEVSQ6C2EXAMPLE",
             "AIDACKCEVSQ6C2EXAMPLE",
             name,
             "DBQP57FF2AEXAMPLE:" + name,
             "AROADBQP57FF2AEXAMPLE:" + name};
  } else if (lower == "aws:username") {
    fills = {"", "-witness", "leastpriv-witness"};
  }
  for (const std::string& t : texts) {
    for (const std::string& fill : fills) out.push_back(Filled(t, fill));
  }
}

std::map<std::string, std::vector<std::string>> WithPrincipalFacts(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope) {
  std::map<std::string, std::vector<std::string>> out = scope.context;
  if (scope.principal.empty()) return out;
  const eval::ArnParts arn = eval::SplitArn(scope.principal);
  if (!arn.ok || arn.account.empty()) return out;
  std::map<std::string, std::vector<std::string>> facts;
  facts["aws:PrincipalAccount"] = {std::string(arn.account)};
  const std::string_view resource = arn.resource;
  if (arn.service == "iam" && resource.substr(0, 5) == "user/") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"User"};
    facts["aws:username"] = {
        std::string(resource.substr(resource.rfind('/') + 1))};
  } else if (arn.service == "iam" && resource.substr(0, 5) == "role/") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"AssumedRole"};
    facts["aws:username"] = {};
  } else if (arn.service == "sts" &&
             resource.substr(0, 13) == "assumed-role/") {
    facts["aws:PrincipalType"] = {"AssumedRole"};
    facts["aws:username"] = {};
  } else if (arn.service == "iam" && resource == "root") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"Account"};
    facts["aws:userid"] = {std::string(arn.account)};
    facts["aws:username"] = {};
  } else if (arn.service == "sts" &&
             resource.substr(0, 15) == "federated-user/") {
    facts["aws:PrincipalArn"] = {scope.principal};
    facts["aws:PrincipalType"] = {"FederatedUser"};
    facts["aws:userid"] = {std::string(arn.account) + ":" +
                           std::string(resource.substr(15))};
    facts["aws:username"] = {};
  }
  const std::set<std::string> mentioned = MentionedKeys(sides);
  std::set<std::string> given;
  for (const auto& [key, values] : scope.context)
    given.insert(absl::AsciiStrToLower(key));
  for (auto& [key, values] : facts) {
    const std::string lower = absl::AsciiStrToLower(key);
    if (mentioned.count(lower) && !given.count(lower))
      out[key] = std::move(values);
  }
  return out;
}

}  // namespace leastpriv::analysis
