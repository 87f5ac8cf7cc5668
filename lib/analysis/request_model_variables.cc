// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RequestModel: free policy variables, their sources and values.

#include "lib/analysis/request_model.h"

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
#include "lib/eval/match.h"
#include "lib/eval/naming.h"
#include "lib/analysis/arn_shapes.h"
#include "lib/analysis/condition_text.h"
#include "lib/analysis/principal_facts.h"
#include "lib/analysis/readable_witnesses.h"
#include "lib/analysis/value_classes.h"
#include "lib/analysis/variable_text.h"

namespace leastpriv::analysis {

using smt::CharRange;
using smt::TokenPattern;
using smt::TermId;

std::map<std::string, std::vector<std::string>> RequestModel::SourceValues(
    const AnalysisOptions& options) const {
  // At most this many classes of values per source; beyond, the source
  // stays approximate.
  constexpr std::size_t kMaxSourceClasses = 1024;
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& source : sources_) {
    if (exact_sources_.count(source)) continue;
    bool ok = true;
    std::map<std::string, smt::VariableHost> hosts;  // "" for resources
    std::map<std::string, std::set<bool>> host_case;  // host -> folds
    bool other_in_resources = false;
    for (const Policy* policy : policies_) {
      for (const Statement& st : policy->statements) {
        for (const PolicyString& r : st.resources) {
          auto s = FreeSource(*policy, r.text);
          if (!s.ok()) {
            ok &= absl::AsciiStrToLower(r.text).find(source) == std::string::npos;
            continue;
          }
          // Another free source's patterns would be constants here.
          if (!s->empty() && *s != source) other_in_resources = true;
          if (*s != source) continue;
          auto at = SplitAtVariable(r.text, source);
          if (!at || std::count(at->before.begin(), at->before.end(), ':') < 5) {
            ok = false;
            continue;
          }
          std::string prefix = at->before;
          for (int i = 0; i < 5; ++i) prefix = prefix.substr(prefix.find(':') + 1);
          if (prefix.find_first_of("*?") != std::string::npos) ok = false;
          hosts[""].prefixes.push_back(prefix);
          host_case[""].insert(false);
        }
        for (const Condition& c : st.conditions) {
          const std::string key = absl::AsciiStrToLower(c.key);
          for (const ConditionValue& v : c.values) {
            auto s = FreeSource(*policy, v.text);
            if (!s.ok() || *s != source) continue;
            const ConditionOperator pos = eval::PositiveOperator(c.op, nullptr);
            auto at = SplitAtVariable(v.text, source);
            const bool string_op = FamilyOf(c.op) == ValueFamily::kString &&
                                   (pos == ConditionOperator::kStringEquals ||
                                    pos == ConditionOperator::kStringLike ||
                                    pos == ConditionOperator::kStringEqualsIgnoreCase);
            const auto k = keys_.find(key);
            if (!at || !string_op || key == source || sources_.count(key) ||
                k == keys_.end() || k->second.fixed || !k->second.unsupported.empty() ||
                !resolved_.at(&c).problem.empty() ||
                (pos == ConditionOperator::kStringLike &&
                 at->before.find_first_of("*?") != std::string::npos)) {
              ok = false;
              continue;
            }
            hosts[key].prefixes.push_back(at->before);
            host_case[key].insert(pos == ConditionOperator::kStringEqualsIgnoreCase);
          }
        }
      }
    }
    if (!ok || hosts.empty() || (other_in_resources && hosts.count(""))) continue;
    // Each host's other patterns; a host compared ignoring case must be
    // so throughout.
    for (auto& [key, host] : hosts) {
      if (host_case[key].size() > 1) ok = false;
      host.fold = *host_case[key].begin();
      if (key.empty()) {
        host.arn = true;
        host.constants = constant_resources_;
        host.domain = resource_domain_;
      } else {
        for (const Condition* c : key_conditions_.at(key)) {
          const ResolvedCondition& r = resolved_.at(c);
          if (r.source == source) continue;  // an occurrence
          if (!r.source.empty() || !r.problem.empty()) ok = false;  // another free source
          const ValueFamily family = FamilyOf(c->op);
          if (family != ValueFamily::kString && family != ValueFamily::kBool &&
              c->op != ConditionOperator::kNull) {
            ok = false;
          }
          const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
          if (host.fold && c->op != ConditionOperator::kNull &&
              pos != ConditionOperator::kStringEqualsIgnoreCase) {
            ok = false;
          }
          for (const eval::GlobPattern& v : r.AllPatterns()) {
            if (auto g = ValuePattern(pos, v)) host.constants.push_back(std::move(*g));
          }
          if (c->op == ConditionOperator::kBool) {
            host.constants.push_back(TokenPattern::Literal("true", true));
            host.constants.push_back(TokenPattern::Literal("false", true));
          }
        }
      }
      // The same prefix twice is one; one prefix of another is not handled.
      std::set<std::string> prefixes;
      for (const std::string& p : host.prefixes) {
        prefixes.insert(host.fold ? absl::AsciiStrToLower(p) : p);
      }
      host.prefixes.assign(prefixes.begin(), prefixes.end());
      for (const std::string& a : prefixes) {
        for (const std::string& b : prefixes) ok &= a == b || !absl::StartsWith(b, a);
      }
    }
    // The source's own conditions.
    std::vector<TokenPattern> own;
    auto conditions = key_conditions_.find(source);
    if (conditions != key_conditions_.end()) {
      for (const Condition* c : conditions->second) {
        const ResolvedCondition& r = resolved_.at(c);
        if (!r.source.empty() || !r.problem.empty() ||
            (FamilyOf(c->op) != ValueFamily::kString && c->op != ConditionOperator::kNull)) {
          ok = false;
          continue;
        }
        const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
        for (const eval::GlobPattern& v : r.AllPatterns()) {
          if (auto g = ValuePattern(pos, v)) own.push_back(std::move(*g));
        }
      }
    }
    if (!ok) continue;
    std::vector<smt::VariableHost> list;
    for (auto& [key, host] : hosts) list.push_back(std::move(host));
    auto values =
        smt::VariableValues(list, own, kMaxSourceClasses, options.max_automaton_states);
    if (values.ok()) out[source] = std::move(*values);
  }
  return out;
}

absl::StatusOr<std::string> RequestModel::FreeSource(const Policy& policy,
                                                    const std::string& text) const {
  if (!UsesVariables(policy, text)) return std::string();
  // A source fixed by the scope (present or absent) or multi-valued (never
  // substituted) gives a constant; ${*}, ${?} and ${$} are constants. At
  // most one other source is modelled, by a case split over its classes.
  std::string source;
  size_t i = 0;
  while ((i = text.find("${", i)) != std::string::npos) {
    const size_t close = text.find('}', i + 2);
    if (close == std::string::npos) break;
    std::string inner(absl::StripAsciiWhitespace(text.substr(i + 2, close - i - 2)));
    i = close + 1;
    if (inner == "*" || inner == "?" || inner == "$") continue;
    std::string key(absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
    const std::string lower = absl::AsciiStrToLower(key);
    auto it = keys_.find(lower);
    if (it != keys_.end() && (it->second.fixed || it->second.multi_valued)) continue;
    const ConditionKeyInfo* info = FindConditionKey(key);
    if (it == keys_.end() && info != nullptr && info->multi_valued()) continue;
    if (!source.empty() && source != lower) {
      return absl::UnimplementedError(absl::StrCat(
          "\"", text, "\" uses two policy variables the scope leaves free (fix one of ",
          keys_.count(source) ? keys_.at(source).name : source, " and ", key,
          " in the scope context)"));
    }
    source = lower;
  }
  return source;
}

std::optional<eval::GlobPattern> RequestModel::Substitute(const Policy& policy,
                                                          const std::string& text,
                                                          const std::string& source,
                                                          int cls) const {
  if (!UsesVariables(policy, text)) return eval::GlobPattern::Wildcards(text);
  if (source.empty() || cls < 0) return eval::SubstituteVariables(text, fixed_request_);
  Request r = fixed_request_;
  const KeyModel& k = keys_.at(source);
  r.context[k.name] = ContextValue{{k.witnesses[cls]}, false};
  return eval::SubstituteVariables(text, r);
}

std::vector<int> RequestModel::SourceCases(const std::string& source) const {
  if (source.empty()) return {kNoSource};
  std::vector<int> out = {kSourceAbsent};
  for (size_t c = 0; c < keys_.at(source).witnesses.size(); ++c) {
    out.push_back(static_cast<int>(c));
  }
  return out;
}

TermId RequestModel::SourceGuard(const std::string& source, int cls) {
  if (source.empty()) return factory_.True();
  const KeyModel& k = keys_.at(source);
  const TermId present = factory_.BoolVar(k.present);
  if (exact_sources_.count(source)) {
    if (cls == kSourceAbsent) return factory_.Not(present);
    return factory_.And(present, factory_.InClasses(k.value, {static_cast<uint32_t>(cls)}));
  }
  approximate_ = true;
  approximate_reason_ = absl::StrCat(
      "policy variable ${", k.name,
      "} was tried only with one value per class of its own conditions (fix ", k.name,
      " in the scope context for an exact answer)");
  if (cls == kSourceAbsent) return factory_.Not(present);
  return factory_.And(present,
                      factory_.InClasses(k.value, {static_cast<uint32_t>(cls)}));
}

void RequestModel::ExpandCases(const Condition& c, ResolvedCondition* r) {
  const Policy& policy = *condition_policy_.at(&c);
  r->cases.clear();
  for (int cls : SourceCases(r->source)) {
    ResolvedCondition::Case one;
    one.cls = cls;
    for (const ConditionValue& v : c.values) {
      auto sub = Substitute(policy, v.text, r->source, cls);
      if (sub.has_value()) {
        one.patterns.push_back(std::move(*sub));
      } else {
        one.unresolved = true;
      }
    }
    r->cases.push_back(std::move(one));
  }
}

std::vector<eval::GlobPattern> RequestModel::ResolvedCondition::AllPatterns() const {
  std::vector<eval::GlobPattern> out;
  for (const Case& c : cases) out.insert(out.end(), c.patterns.begin(), c.patterns.end());
  return out;
}

}  // namespace leastpriv::analysis
