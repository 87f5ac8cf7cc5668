// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/validate.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/catalog.h"
#include "lib/glob/glob.h"
#include "lib/json/json.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv {
namespace {

using policy_internal::Sv;

std::string Label(const Statement& st) {
  return st.sid ? absl::StrCat("statement ", json::Quote(*st.sid))
                : absl::StrCat("statement ", st.index);
}

// "service:name" split; false when the action is not of that form.
bool SplitAction(std::string_view action, std::string_view& service,
                 std::string_view& name) {
  const std::size_t colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 ||
      colon + 1 == action.size()) {
    return false;
  }
  service = action.substr(0, colon);
  name = action.substr(colon + 1);
  for (char c : service) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsDynamoDbService(std::string_view service) {
  return absl::EqualsIgnoreCase(Sv(service), "dynamodb");
}

// ARN segments, not splitting inside "${...}" policy variables; the sixth
// segment keeps any further colons.
std::vector<std::string_view> SplitArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  int brace = 0;
  for (std::size_t i = 0; i < arn.size() && parts.size() < 5; ++i) {
    if (arn[i] == '$' && i + 1 < arn.size() && arn[i + 1] == '{') {
      ++brace;
    } else if (arn[i] == '}' && brace > 0) {
      --brace;
    } else if (arn[i] == ':' && brace == 0) {
      parts.push_back(arn.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(arn.substr(start));
  return parts;
}

// True when pattern `a` matches everything pattern `b` matches.
bool Covers(std::string_view a, std::string_view b, GlobCase glob_case) {
  if (!HasWildcard(b)) return GlobMatch(a, b, glob_case);
  if (a == "*") return true;
  // A trailing-star prefix pattern covers patterns that extend the prefix.
  if (a.empty() || a.back() != '*') return false;
  const std::string_view prefix = a.substr(0, a.size() - 1);
  if (HasWildcard(prefix) || b.size() < prefix.size()) return false;
  return glob_case == GlobCase::kInsensitive
             ? absl::EqualsIgnoreCase(Sv(b.substr(0, prefix.size())),
                                      Sv(prefix))
             : b.substr(0, prefix.size()) == prefix;
}

bool SameText(std::string_view a, std::string_view b, GlobCase glob_case) {
  return glob_case == GlobCase::kInsensitive
             ? absl::EqualsIgnoreCase(Sv(a), Sv(b))
             : a == b;
}

class Validator {
 public:
  explicit Validator(const Policy& policy) : policy_(policy) {}

  std::vector<Finding> Run();

 private:
  void Add(FindingCode code, Severity severity, const SourcePos& pos,
           std::string message) {
    findings_.push_back(Finding{code, severity, std::move(message), pos});
  }
  void CheckPrincipal(const Statement& st);
  void CheckActions(const Statement& st);
  void CheckResources(const Statement& st);
  void CheckActionResourceTypes(const Statement& st);
  void CheckConditions(const Statement& st);
  void CheckRedundancy(const Statement& st,
                       const std::vector<PolicyString>& items,
                       std::string_view what, FindingCode code,
                       GlobCase glob_case);
  void CheckVariables(const PolicyString& s);

  const Policy& policy_;
  std::vector<Finding> findings_;
};

void Validator::CheckPrincipal(const Statement& st) {
  const PolicyKind kind = policy_.kind;
  const bool principal_kind =
      kind == PolicyKind::kResource || kind == PolicyKind::kRcp;
  if (st.principal.has_value()) {
    const char* element = st.principal->negated ? "NotPrincipal" : "Principal";
    if (!principal_kind) {
      Add(FindingCode::kPrincipalNotSupported, Severity::kError,
          st.principal->pos,
          absl::StrCat(Label(st), ": ", element, " is not supported in ",
                       kind == PolicyKind::kIdentity ? "an " : "a ",
                       Sv(PolicyKindName(kind)),
                       " policy (the policy applies to the principal it is "
                       "attached to)"));
    }
    if (st.principal->negated && st.effect == Effect::kDeny) {
      Add(FindingCode::kDenyWithNotPrincipal, Severity::kWarning,
          st.principal->pos,
          absl::StrCat(Label(st),
                       ": Deny with NotPrincipal denies every principal not "
                       "listed, including service principals and assumed-role "
                       "sessions of listed roles; prefer Principal \"*\" with "
                       "a condition on aws:PrincipalArn"));
    }
  } else if (principal_kind) {
    Add(FindingCode::kMissingPrincipal, Severity::kError, st.pos,
        absl::StrCat(Label(st), ": a ", Sv(PolicyKindName(kind)),
                     " policy statement must have a Principal"));
  }
}

void Validator::CheckActions(const Statement& st) {
  for (const PolicyString& a : st.actions) {
    if (a.text == "*") continue;
    std::string_view service, name;
    if (!SplitAction(a.text, service, name)) {
      Add(FindingCode::kInvalidAction, Severity::kError, a.pos,
          absl::StrCat(Label(st), ": action ", json::Quote(a.text),
                       " must be \"service:action\" or \"*\""));
      continue;
    }
    if (!IsDynamoDbService(service)) continue;
    if (HasWildcard(name)) {
      if (ExpandActionPattern(a.text).empty()) {
        Add(FindingCode::kUnknownAction, Severity::kWarning, a.pos,
            absl::StrCat(Label(st), ": action pattern ", json::Quote(a.text),
                         " matches no DynamoDB action"));
      }
    } else if (FindAction(a.text) == nullptr) {
      std::string message =
          absl::StrCat(Label(st), ": unknown action ", json::Quote(a.text));
      const std::string suggestion = SuggestAction(a.text);
      if (!suggestion.empty()) {
        absl::StrAppend(&message, " (did you mean ", json::Quote(suggestion),
                        "?)");
      }
      Add(FindingCode::kUnknownAction, Severity::kWarning, a.pos,
          std::move(message));
    }
  }
}

void Validator::CheckResources(const Statement& st) {
  for (const PolicyString& r : st.resources) {
    if (r.text == "*") continue;
    const std::vector<std::string_view> parts = SplitArn(r.text);
    if (parts.size() < 6 || parts[0] != "arn") {
      Add(FindingCode::kInvalidArn, Severity::kError, r.pos,
          absl::StrCat(Label(st), ": resource ", json::Quote(r.text),
                       " is neither \"*\" nor an ARN of the form "
                       "arn:partition:service:region:account:resource"));
      continue;
    }
    if (parts[1].empty() || parts[2].empty() || parts[5].empty()) {
      Add(FindingCode::kInvalidArn, Severity::kError, r.pos,
          absl::StrCat(Label(st), ": ARN ", json::Quote(r.text),
                       " has an empty ",
                       parts[1].empty()   ? "partition"
                       : parts[2].empty() ? "service"
                                          : "resource",
                       " segment"));
      continue;
    }
    if (HasWildcard(parts[2])) {
      Add(FindingCode::kWildcardInArnService, Severity::kError, r.pos,
          absl::StrCat(Label(st), ": ARN ", json::Quote(r.text),
                       " has a wildcard in its service segment ",
                       json::Quote(parts[2]),
                       "; IAM does not match wildcards there"));
    }
  }
}

void Validator::CheckActionResourceTypes(const Statement& st) {
  if (st.not_action || st.not_resource || !st.has_resource) return;
  std::set<std::string> types;
  for (const PolicyString& r : st.resources) {
    if (r.text == "*") return;
    const std::vector<std::string_view> parts = SplitArn(r.text);
    if (parts.size() < 6 || !IsDynamoDbService(parts[2])) continue;
    const std::string_view type = ClassifyDynamoDbArn(r.text);
    if (type.empty()) return;  // unclassified pattern: could match anything
    types.insert(std::string(type));
  }
  if (types.empty()) return;
  const std::string listed = absl::StrJoin(types, ", ");
  for (const PolicyString& a : st.actions) {
    std::string_view service, name;
    if (!SplitAction(a.text, service, name) || !IsDynamoDbService(service) ||
        HasWildcard(name)) {
      continue;
    }
    const ActionInfo* info = FindAction(a.text);
    if (info == nullptr) continue;
    if (info->wildcard_only()) {
      Add(FindingCode::kActionResourceMismatch, Severity::kWarning, a.pos,
          absl::StrCat(Label(st), ": ", info->qualified_name(),
                       " is authorized only on Resource \"*\", not on the "
                       "listed ",
                       listed, " resources"));
      continue;
    }
    bool applies = false;
    std::vector<std::string> supported;
    for (const ActionResource& res : info->resources) {
      supported.emplace_back(res.resource_type);
      if (types.count(std::string(res.resource_type)) > 0) applies = true;
    }
    if (!applies) {
      Add(FindingCode::kActionResourceMismatch, Severity::kWarning, a.pos,
          absl::StrCat(Label(st), ": ", info->qualified_name(), " applies to ",
                       absl::StrJoin(supported, ", "),
                       " resources, none of which is listed (listed: ", listed,
                       ")"));
    }
  }
}

void Validator::CheckConditions(const Statement& st) {
  std::set<std::string> reported_ops;
  for (const Condition& c : st.conditions) {
    if (c.op == ConditionOperator::kUnknown ||
        (c.op == ConditionOperator::kNull && c.if_exists)) {
      if (reported_ops.insert(c.op_text).second) {
        Add(FindingCode::kUnknownConditionOperator, Severity::kError, c.pos,
            absl::StrCat(Label(st), ": unknown condition operator ",
                         json::Quote(c.op_text)));
      }
    }
    if (!absl::StartsWithIgnoreCase(c.key, "dynamodb:")) continue;
    const ConditionKeyInfo* key = FindConditionKey(c.key);
    if (key == nullptr) {
      Add(FindingCode::kUnknownConditionKey, Severity::kWarning, c.pos,
          absl::StrCat(Label(st), ": unknown condition key ",
                       json::Quote(c.key)));
      continue;
    }
    if (st.not_action) continue;
    bool applies = false;
    for (const PolicyString& a : st.actions) {
      for (const ActionInfo* info : ExpandActionPattern(a.text)) {
        for (std::string_view k : info->condition_keys) {
          if (absl::EqualsIgnoreCase(Sv(k), c.key)) applies = true;
        }
        for (const ActionResource& res : info->resources) {
          const ResourceTypeInfo* type = FindResourceType(res.resource_type);
          if (type == nullptr) continue;
          for (std::string_view k : type->condition_keys) {
            if (absl::EqualsIgnoreCase(Sv(k), c.key)) applies = true;
          }
        }
      }
    }
    if (!applies) {
      Add(FindingCode::kConditionKeyNotApplicable, Severity::kWarning, c.pos,
          absl::StrCat(Label(st), ": condition key ", json::Quote(c.key),
                       " is not supported by any listed action, so it is "
                       "absent from their requests"));
    }
  }
}

void Validator::CheckRedundancy(const Statement& st,
                                const std::vector<PolicyString>& items,
                                std::string_view what, FindingCode code,
                                GlobCase glob_case) {
  for (std::size_t j = 0; j < items.size(); ++j) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i == j) continue;
      const bool same = SameText(items[i].text, items[j].text, glob_case);
      if (same && i > j) continue;  // report the later copy only
      if (!same && !Covers(items[i].text, items[j].text, glob_case)) continue;
      Add(code, Severity::kSuggestion, items[j].pos,
          same ? absl::StrCat(Label(st), ": ", Sv(what), " ",
                              json::Quote(items[j].text), " is listed twice")
               : absl::StrCat(
                     Label(st), ": ", Sv(what), " ", json::Quote(items[j].text),
                     " is already covered by ", json::Quote(items[i].text)));
      break;
    }
  }
}

void Validator::CheckVariables(const PolicyString& s) {
  if (PolicyVariablesEnabled(policy_) || s.text.find("${") == std::string::npos)
    return;
  Add(FindingCode::kPolicyVariableInOldVersion, Severity::kWarning, s.pos,
      absl::StrCat(json::Quote(s.text),
                   " contains a policy variable, which is only substituted "
                   "with \"Version\": \"2012-10-17\"; here it is matched "
                   "literally"));
}

// Everything that decides what a statement does, in a canonical form.
std::string CanonicalStatement(const Statement& st) {
  std::vector<std::string> actions, resources, principals, conditions;
  for (const PolicyString& a : st.actions) {
    actions.push_back(absl::AsciiStrToLower(a.text));
  }
  for (const PolicyString& r : st.resources) resources.push_back(r.text);
  if (st.principal) {
    for (const PrincipalEntry& p : st.principal->entries) {
      principals.push_back(
          absl::StrCat(static_cast<int>(p.type), "=", p.value));
    }
  }
  for (const Condition& c : st.conditions) {
    std::vector<std::string> values;
    for (const ConditionValue& v : c.values) values.push_back(v.text);
    std::sort(values.begin(), values.end());
    conditions.push_back(absl::StrCat(c.op_text, "/",
                                      absl::AsciiStrToLower(c.key), "=",
                                      absl::StrJoin(values, "\x1f")));
  }
  for (auto* list : {&actions, &resources, &principals, &conditions}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  return absl::StrCat(
      st.effect == Effect::kAllow ? "A" : "D", "|",
      st.principal ? (st.principal->negated ? "NP" : "P") : "-", "|",
      absl::StrJoin(principals, "\x1e"), "|", st.not_action ? "NA" : "A", "|",
      absl::StrJoin(actions, "\x1e"), "|",
      st.has_resource ? (st.not_resource ? "NR" : "R") : "-", "|",
      absl::StrJoin(resources, "\x1e"), "|", absl::StrJoin(conditions, "\x1e"));
}

std::vector<Finding> Validator::Run() {
  if (policy_.version.empty()) {
    Add(FindingCode::kMissingVersion, Severity::kWarning, policy_.pos,
        "policy has no Version element; add \"Version\": \"2012-10-17\" so "
        "that policy variables are substituted");
  }
  std::map<std::string, const Statement*> sids;
  std::map<std::string, const Statement*> canonical;
  for (const Statement& st : policy_.statements) {
    if (st.sid && !st.sid->empty()) {
      auto [it, inserted] = sids.emplace(*st.sid, &st);
      if (!inserted) {
        Add(FindingCode::kDuplicateSid, Severity::kError,
            st.sid_pos.line ? st.sid_pos : st.pos,
            absl::StrCat("Sid ", json::Quote(*st.sid),
                         " is already used by the statement at ",
                         FormatPos(it->second->pos)));
      }
    }
    auto [it, inserted] = canonical.emplace(CanonicalStatement(st), &st);
    if (!inserted) {
      Add(FindingCode::kRedundantStatement, Severity::kSuggestion, st.pos,
          absl::StrCat(Label(st), " repeats ", Label(*it->second), " at ",
                       FormatPos(it->second->pos)));
    }
    CheckPrincipal(st);
    if (!st.has_resource) {
      Add(FindingCode::kMissingResource, Severity::kError, st.pos,
          absl::StrCat(Label(st), " has neither Resource nor NotResource"));
    }
    CheckActions(st);
    CheckResources(st);
    CheckActionResourceTypes(st);
    CheckConditions(st);
    CheckRedundancy(st, st.actions, "action", FindingCode::kRedundantAction,
                    GlobCase::kInsensitive);
    CheckRedundancy(st, st.resources, "resource",
                    FindingCode::kRedundantResource, GlobCase::kSensitive);
    for (const PolicyString& r : st.resources) CheckVariables(r);
    for (const Condition& c : st.conditions) {
      for (const ConditionValue& v : c.values) {
        CheckVariables(PolicyString{v.text, v.pos});
      }
    }
  }
  std::stable_sort(findings_.begin(), findings_.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::make_tuple(a.pos.line, a.pos.column,
                                            FindingCodeName(a.code)) <
                            std::make_tuple(b.pos.line, b.pos.column,
                                            FindingCodeName(b.code));
                   });
  return std::move(findings_);
}

}  // namespace

std::vector<Finding> ValidatePolicy(const Policy& policy) {
  return Validator(policy).Run();
}

FileValidation ValidatePolicyText(std::string_view text,
                                  const ParseOptions& options) {
  FileValidation out;
  out.file = options.file_name;
  absl::StatusOr<policy_internal::ReadResult> read =
      policy_internal::ReadPolicyText(text, options);
  if (!read.ok()) {
    out.usable = false;
    out.findings.push_back(
        policy_internal::UnusableFinding(read.status(), options.file_name));
    return out;
  }
  out.findings = std::move(read->problems);
  std::vector<Finding> semantic = ValidatePolicy(read->policy);
  out.findings.insert(out.findings.end(),
                      std::make_move_iterator(semantic.begin()),
                      std::make_move_iterator(semantic.end()));
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.pos.line, a.pos.column) <
                            std::tie(b.pos.line, b.pos.column);
                   });
  return out;
}

FileValidation ValidatePolicyFile(const std::string& path,
                                  const ParseOptions& options) {
  ParseOptions opts = options;
  if (opts.file_name.empty()) opts.file_name = path;
  absl::StatusOr<std::string> text = policy_internal::ReadFileBounded(
      path, opts.file_name, opts.limits.max_bytes);
  if (!text.ok()) {
    FileValidation out;
    out.file = opts.file_name;
    out.usable = false;
    Finding f = policy_internal::UnusableFinding(text.status(), opts.file_name);
    out.findings.push_back(std::move(f));
    return out;
  }
  return ValidatePolicyText(*text, opts);
}

bool HasWarningOrError(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    if (f.severity != Severity::kSuggestion) return true;
  }
  return false;
}

}  // namespace leastpriv
