// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RequestModel: the condition keys, their classes and the terms of
// conditions on them.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <numeric>
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
#include "lib/analysis/arn_shapes.h"
#include "lib/analysis/condition_text.h"
#include "lib/analysis/principal_facts.h"
#include "lib/analysis/readable_witnesses.h"
#include "lib/analysis/request_model.h"
#include "lib/analysis/value_classes.h"
#include "lib/analysis/variable_text.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv::analysis {

using smt::CharRange;
using smt::TermId;
using smt::TokenPattern;

absl::Status RequestModel::AddKeys(const PolicySet& p) {
  ForEachPolicy(p, [&](const Policy& policy) {
    policies_.push_back(&policy);
    for (const Statement& st : policy.statements) {
      for (const Condition& c : st.conditions) {
        std::string lower = absl::AsciiStrToLower(c.key);
        KeyModel& k = keys_[lower];
        if (k.name.empty()) k.name = c.key;
        key_conditions_[lower].push_back(&c);
        condition_policy_[&c] = &policy;
        if (c.qualifier != SetQualifier::kNone) {
          const ConditionKeyInfo* info = FindConditionKey(c.key);
          if (info == nullptr) k.multi_valued = true;
        }
      }
    }
  });
  return absl::OkStatus();
}

absl::Status RequestModel::FinishKeys(const AnalysisOptions& options) {
  // Multi-valuedness and the scope's fixed values come first: policy
  // variables are substituted from them.
  for (auto& [lower, k] : keys_) {
    const ConditionKeyInfo* info = FindConditionKey(k.name);
    if (info != nullptr && info->multi_valued()) k.multi_valued = true;
    if (k.fixed && !k.fixed->empty()) {
      fixed_request_.context[k.name] = ContextValue{*k.fixed, k.multi_valued};
    }
  }
  // Free variable sources (see FreeSource) become keys of their own.
  auto note_source = [&](const Policy& policy, const std::string& text) {
    auto source = FreeSource(policy, text);
    if (!source.ok() || source->empty()) return;
    for (const std::string& part : SourceParts(*source)) {
      if (!keys_.count(part)) {
        // The name as written in the variable.
        const size_t at = absl::AsciiStrToLower(text).find(part);
        keys_[part].name = text.substr(at, part.size());
      }
      sources_.insert(part);
    }
  };
  for (const Policy* policy : policies_) {
    for (const Statement& st : policy->statements) {
      for (const PolicyString& r : st.resources) note_source(*policy, r.text);
      for (const Condition& c : st.conditions) {
        for (const ConditionValue& v : c.values) note_source(*policy, v.text);
      }
    }
  }
  // A free source is decided exactly when each of its occurrences is a
  // whole condition value compared case-sensitively as a string (see
  // exact_sources_); it then takes one value per class of its own
  // conditions and of its peers' other values.
  std::map<std::string, bool> exact;
  for (const std::string& source : sources_) exact[source] = true;
  for (const Policy* policy : policies_) {
    for (const Statement& st : policy->statements) {
      for (const PolicyString& r : st.resources) {
        auto source = FreeSource(*policy, r.text);
        if (!source.ok()) continue;
        for (const std::string& part : SourceParts(*source))
          exact[part] = false;
      }
      for (const Condition& c : st.conditions) {
        bool negated = false;
        const ConditionOperator pos = eval::PositiveOperator(c.op, &negated);
        const bool equality = (pos == ConditionOperator::kStringEquals ||
                               pos == ConditionOperator::kStringLike) &&
                              FamilyOf(c.op) == ValueFamily::kString;
        for (const ConditionValue& v : c.values) {
          auto source = FreeSource(*policy, v.text);
          if (!source.ok() || source->empty()) continue;
          if (const auto parts = SourceParts(*source); parts.size() > 1) {
            for (const std::string& part : parts) exact[part] = false;
            continue;
          }
          const bool key_is_source =
              decide_free_ ? sources_.count(absl::AsciiStrToLower(c.key)) > 0
                           : absl::AsciiStrToLower(c.key) == *source;
          if (!equality || WholeVariable(v.text) != *source || key_is_source) {
            // (A key that is a free source itself relates the two.)
            exact[*source] = false;
            if (key_is_source) exact[absl::AsciiStrToLower(c.key)] = false;
            continue;
          }
          source_peers_[*source].insert(absl::AsciiStrToLower(c.key));
        }
      }
    }
  }
  // A peer compared with two free sources relates them to each other.
  std::map<std::string, std::set<std::string>> peer_sources;
  for (const auto& [source, peers] : source_peers_) {
    for (const std::string& peer : peers) peer_sources[peer].insert(source);
  }
  for (const auto& [peer, of] : peer_sources) {
    if (of.size() < 2) continue;
    for (const std::string& source : of) exact[source] = false;
  }
  for (const auto& [source, yes] : exact) {
    if (yes) exact_sources_.insert(source);
  }
  for (const auto& [source, values] : source_values_)
    exact_sources_.insert(source);
  for (const auto& [c, policy] : condition_policy_) {
    ResolvedCondition& r = resolved_[c];
    for (const ConditionValue& v : c->values) {
      auto source = FreeSource(*policy, v.text);
      if (!source.ok()) {
        r.problem = std::string(source.status().message());
      } else if (!source->empty()) {
        // Values with different sources: the compound of all of them.
        std::set<std::string> parts;
        for (const std::string& part : SourceParts(r.source))
          parts.insert(part);
        for (const std::string& part : SourceParts(*source)) parts.insert(part);
        r.source = absl::StrJoin(parts, "\n");
      }
    }
    // A free source compared with values of another free source: its
    // partition leaves them out (it is built first), and each case is
    // evaluated on its witnesses. With itself, it is not modelled.
    const std::vector<std::string> parts = SourceParts(r.source);
    if (std::find(parts.begin(), parts.end(), absl::AsciiStrToLower(c->key)) !=
        parts.end()) {
      r.problem = absl::StrCat(
          "condition on ", c->key,
          " compares it with a variable of itself the scope leaves free");
    } else if (!decide_free_ && parts.size() > 1) {
      r.problem =
          absl::StrCat("condition on ", c->key,
                       " uses two policy variables the scope leaves free");
    } else if (!decide_free_ && !r.source.empty() &&
               sources_.count(absl::AsciiStrToLower(c->key))) {
      r.problem =
          absl::StrCat("condition on ", c->key,
                       " compares it with a variable the scope leaves free");
    }
    if (r.source.empty() || !r.problem.empty()) {
      r.source.clear();
      ExpandCases(*c, &r);
    }
  }
  // Free variable sources first: the other keys' partitions hold the
  // patterns substituted with their witnesses.
  for (const std::string& lower : sources_) {
    if (absl::Status s = FinishKey(lower, keys_[lower], options); !s.ok())
      return s;
  }
  for (auto& [c, r] : resolved_) {
    if (!r.source.empty() && r.problem.empty()) ExpandCases(*c, &r);
  }
  for (auto& [lower, k] : keys_) {
    if (sources_.count(lower)) continue;
    if (absl::Status s = FinishKey(lower, k, options); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status RequestModel::FinishKey(const std::string& lower, KeyModel& k,
                                     const AnalysisOptions& options) {
  const ConditionKeyInfo* info = FindConditionKey(k.name);
  // The value families the key is compared in. Bool mixes with String*
  // (its two literals join the string partition); any other mix is not
  // modelled.
  std::set<ValueFamily> families;
  for (const Condition* c : key_conditions_[lower]) {
    ValueFamily f = FamilyOf(c->op);
    if (f != ValueFamily::kNone) families.insert(f);
  }
  if (families.count(ValueFamily::kString)) families.erase(ValueFamily::kBool);
  ValueFamily family = ValueFamily::kNone;
  if (families.size() > 1) {
    k.unsupported = absl::StrCat("key ", k.name,
                                 " is compared as values of different types");
  } else if (families.size() == 1) {
    family = *families.begin();
  } else if (info != nullptr) {
    // No value comparison: the catalog type only decides the witnesses.
    if (info->type == ConditionKeyType::kNumeric ||
        info->type == ConditionKeyType::kArrayOfNumeric) {
      family = ValueFamily::kNumeric;
    } else if (info->type == ConditionKeyType::kBool ||
               info->type == ConditionKeyType::kArrayOfBool) {
      family = ValueFamily::kBool;
    }
  }
  // Policy values compared in `f`, and the scope's fixed values.
  auto values_of = [&](ValueFamily f) {
    std::vector<std::string> texts;
    for (const Condition* c : key_conditions_[lower]) {
      if (FamilyOf(c->op) != f) continue;
      for (const eval::GlobPattern& v : resolved_[c].AllPatterns())
        texts.push_back(v.text);
    }
    if (k.fixed) texts.insert(texts.end(), k.fixed->begin(), k.fixed->end());
    return texts;
  };
  switch (family) {
    case ValueFamily::kNumeric: {
      k.domain = KeyModel::Domain::kNumeric;
      for (const std::string& t : values_of(family)) {
        if (!eval::ConditionValueMatches(ConditionOperator::kNumericEquals, t,
                                         t)) {
          continue;  // does not parse: matches no request value
        }
        k.numbers.push_back(std::strtod(t.c_str(), nullptr));
      }
      std::sort(k.numbers.begin(), k.numbers.end());
      k.numbers.erase(std::unique(k.numbers.begin(), k.numbers.end()),
                      k.numbers.end());
      if (k.numbers.empty()) {
        k.witnesses.push_back("0");
      } else {
        k.witnesses.push_back(FormatNumber(k.numbers.front() - 1));
        for (size_t i = 0; i < k.numbers.size(); ++i) {
          k.witnesses.push_back(FormatNumber(k.numbers[i]));
          if (i + 1 < k.numbers.size()) {
            double mid = k.numbers[i] / 2 + k.numbers[i + 1] / 2;
            if (mid == k.numbers[i] || mid == k.numbers[i + 1]) {
              k.unsupported = "numeric thresholds too close to separate";
            }
            k.witnesses.push_back(FormatNumber(mid));
          }
        }
        k.witnesses.push_back(FormatNumber(k.numbers.back() + 1));
      }
      k.witnesses.push_back(kNotANumber);
      break;
    }
    case ValueFamily::kDate: {
      k.domain = KeyModel::Domain::kDate;
      std::string problem;
      k.witnesses = DateWitnesses(values_of(family), &problem);
      if (!problem.empty()) k.unsupported = problem;
      break;
    }
    case ValueFamily::kIp:
      k.domain = KeyModel::Domain::kIp;
      k.witnesses = IpWitnesses(values_of(family));
      break;
    case ValueFamily::kBinary:
      k.domain = KeyModel::Domain::kBinary;
      k.witnesses = BinaryWitnesses(values_of(family));
      break;
    case ValueFamily::kBool:
      k.domain = KeyModel::Domain::kBool;
      k.witnesses = {"true", "false", kNotABool};
      break;
    case ValueFamily::kString:
    case ValueFamily::kNone: {
      k.domain = KeyModel::Domain::kString;
      if (auto given = source_values_.find(lower);
          given != source_values_.end()) {
        k.witnesses = given->second;  // see SourceValues
        break;
      }
      std::vector<TokenPattern> pats, extra;
      std::vector<std::pair<ConditionOperator, eval::GlobPattern>> checked;
      for (const Condition* c : key_conditions_[lower]) {
        bool negated = false;
        ConditionOperator pos = eval::PositiveOperator(c->op, &negated);
        for (const eval::GlobPattern& v : resolved_[c].AllPatterns()) {
          std::optional<TokenPattern> pattern = ValuePattern(pos, v);
          if (!pattern) continue;
          pats.push_back(std::move(*pattern));
          checked.emplace_back(pos, v);
        }
        if (c->op == ConditionOperator::kBool) {
          extra.push_back(TokenPattern::Literal("true", true));
          extra.push_back(TokenPattern::Literal("false", true));
        }
      }
      if (k.fixed) {
        for (const std::string& v : *k.fixed)
          extra.push_back(TokenPattern::Literal(v, false));
      }
      // A free variable source gets one ordinary name among its witnesses
      // (a refinement: the partition stays exact), and, when it is
      // decided exactly, the values its peers are compared with: its
      // classes then agree on every pattern a peer's value is matched
      // against.
      if (sources_.count(lower))
        extra.push_back(TokenPattern::Literal("leastpriv", false));
      // Values with an inexact free source: the classes lie inside or
      // outside each of them with the source read as '*' (see OverCondition).
      for (const Condition* c : key_conditions_[lower]) {
        const ResolvedCondition& r = resolved_[c];
        if (!decide_free_) break;
        if (r.source.empty() || !r.problem.empty() || ExactSource(r.source))
          continue;
        const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
        if (pos != ConditionOperator::kStringEquals &&
            pos != ConditionOperator::kStringLike &&
            pos != ConditionOperator::kStringEqualsIgnoreCase) {
          continue;
        }
        const bool fold = pos == ConditionOperator::kStringEqualsIgnoreCase;
        const Policy& policy = *condition_policy_.at(c);
        for (size_t i = 0; i < c->values.size(); ++i) {
          auto source = FreeSource(policy, c->values[i].text);
          if (!source.ok() || source->empty()) continue;
          // (StringEquals* compares the text around the variables as it
          // is: a '*' there is a character.)
          auto loose =
              LoosePattern(policy, c->values[i].text, *source, /*arn=*/false,
                           nullptr, "", pos != ConditionOperator::kStringLike);
          if (!loose) continue;
          extra.push_back(
              TokenPattern::Wildcard(loose->text, fold, loose->literal));
          loose_values_.emplace(std::make_pair(c, i),
                                std::make_pair(*loose, fold));
        }
      }
      if (auto more = source_candidates_.find(lower);
          more != source_candidates_.end()) {
        for (const std::string& v : more->second)
          extra.push_back(TokenPattern::Literal(v, false));
      }
      if (exact_sources_.count(lower)) {
        for (const std::string& peer : source_peers_[lower]) {
          for (const Condition* c : key_conditions_[peer]) {
            const ResolvedCondition& r = resolved_[c];
            if (!r.source.empty() || !r.problem.empty()) continue;
            const ConditionOperator pos =
                eval::PositiveOperator(c->op, nullptr);
            for (const eval::GlobPattern& v : r.AllPatterns()) {
              if (std::optional<TokenPattern> pattern = ValuePattern(pos, v)) {
                extra.push_back(std::move(*pattern));
              }
            }
          }
        }
      }
      for (TokenPattern& g : extra) pats.push_back(std::move(g));
      // A key the principal decides: the shapes of its values join the
      // partition, so each class lies in a shape or outside it.
      std::optional<PrincipalKeyShape> shape;
      if (!k.fixed && !k.multi_valued &&
          principal_kind_ != PrincipalKind::kOther) {
        shape = PrincipalKeyShapes(lower, session_name_);
      }
      size_t user_shape = 0, session_shape = 0;
      if (shape && shape->user) {
        user_shape = pats.size();
        pats.push_back(*shape->user);
      }
      if (shape && shape->session) {
        session_shape = pats.size();
        pats.push_back(*shape->session);
      }
      // Deciding free variables: which patterns each class lies in (see
      // KeyModel::inside).
      std::vector<std::string> pattern_keys;
      std::vector<bool> one_string, star;
      if (decide_free_) {
        for (const TokenPattern& g : pats) {
          pattern_keys.push_back(g.Key());
          bool literal = true, has_star = false;
          for (const smt::GlobToken& t : g.tokens()) {
            literal &= t.kind == smt::GlobToken::Kind::kChar && !t.ignore_case;
            has_star |= t.kind == smt::GlobToken::Kind::kChar && t.ch == '*';
          }
          one_string.push_back(literal);
          star.push_back(has_star);
        }
      }
      auto part =
          smt::Partition::Build(std::move(pats), options.max_automaton_states);
      if (!part.ok()) return part.status();
      for (size_t c = 0; c < part->size(); ++c) {
        k.witnesses.push_back(part->at(c).witness);
      }
      for (size_t i = 0; i < pattern_keys.size(); ++i) {
        std::vector<uint32_t>& inside = k.inside[pattern_keys[i]];
        if (!inside.empty()) continue;
        for (uint32_t c = 0; c < part->size(); ++c) {
          if (!part->InPattern(c, i)) continue;
          inside.push_back(c);
          if (one_string[i]) k.singletons.insert(c);
          if (star[i]) k.with_star.insert(c);
        }
      }
      if (shape) {
        k.principal_key = true;
        std::vector<std::string> texts;
        for (const Condition* c : key_conditions_[lower]) {
          for (const eval::GlobPattern& v : resolved_[c].AllPatterns())
            texts.push_back(v.text);
        }
        AddFilledValues(lower, texts, session_name_, shape->readable);
        PreferWitnesses(*part, shape->readable, k.witnesses);
        for (uint32_t c = 0; c < part->size(); ++c) {
          if (shape->user && part->InPattern(c, user_shape))
            k.user_classes.push_back(c);
          if (shape->session && part->InPattern(c, session_shape)) {
            k.session_classes.push_back(c);
          }
        }
        // The readable witnesses first.
        auto readable_first = [&](std::vector<uint32_t>& v) {
          std::stable_partition(v.begin(), v.end(), [&](uint32_t c) {
            return std::find(shape->readable.begin(), shape->readable.end(),
                             k.witnesses[c]) != shape->readable.end();
          });
        };
        readable_first(k.user_classes);
        readable_first(k.session_classes);
        if (principal_kind_ == PrincipalKind::kEither &&
            principal_is_user_ < 0) {
          principal_is_user_ =
              factory_.NewBoolVar("the principal is an IAM user");
        }
      }
      // Cross-check String* and Arn* membership against the evaluator:
      // `checked` lists the patterns in partition order.
      for (size_t index = 0; index < checked.size(); ++index) {
        const auto& [op, pattern] = checked[index];
        for (size_t cls = 0; cls < part->size(); ++cls) {
          if (eval::ConditionValueMatches(op, pattern, k.witnesses[cls]) !=
              part->InPattern(cls, index)) {
            return absl::InternalError(absl::StrCat(
                "string abstraction of ", k.name,
                " disagrees with the evaluator on \"", pattern.text, "\""));
          }
        }
      }
      break;
    }
  }
  const uint32_t n = static_cast<uint32_t>(k.witnesses.size());
  k.present = factory_.NewBoolVar(absl::StrCat(k.name, " is present"));
  if (k.multi_valued) {
    for (uint32_t c = 0; c < n; ++c) {
      k.elements.push_back(factory_.NewBoolVar(
          absl::StrCat(k.name, " contains \"", k.witnesses[c], "\"")));
    }
  } else {
    k.value = factory_.NewDimension(n, k.name);
  }
  // Scope facts.
  if (k.fixed) {
    if (k.fixed->empty()) {
      scope_facts_[lower] = factory_.Not(factory_.BoolVar(k.present));
      return absl::OkStatus();
    }
    if (!k.multi_valued && k.fixed->size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope context key ", k.name, " is single-valued but has ",
          k.fixed->size(), " values"));
    }
    std::vector<TermId> parts = {factory_.BoolVar(k.present)};
    std::vector<bool> in(n, false);
    for (const std::string& v : *k.fixed) {
      uint32_t cls = n;
      for (uint32_t c = 0; c < n && cls == n; ++c) {
        if (k.witnesses[c] == v) cls = c;
      }
      // Otherwise: the class whose witness agrees with the value on every
      // condition of the key (classes are homogeneous for all of them).
      for (uint32_t c = 0; c < n && cls == n; ++c) {
        bool same = true;
        for (const Condition* cond : key_conditions_[lower]) {
          for (const eval::GlobPattern& pv : resolved_[cond].AllPatterns()) {
            if (eval::ConditionValueMatches(cond->op, pv, v) !=
                eval::ConditionValueMatches(cond->op, pv, k.witnesses[c])) {
              same = false;
            }
          }
        }
        if (same) cls = c;
      }
      if (cls == n) {
        return absl::InvalidArgumentError(
            absl::StrCat("scope context value \"", v,
                         "\" is not a valid value of ", k.name));
      }
      in[cls] = true;
      if (!k.multi_valued) parts.push_back(factory_.InClasses(k.value, {cls}));
    }
    if (k.multi_valued) {
      for (uint32_t c = 0; c < n; ++c) {
        TermId e = factory_.BoolVar(k.elements[c]);
        parts.push_back(in[c] ? e : factory_.Not(e));
      }
    }
    scope_facts_[lower] = factory_.And(parts);
  }
  return absl::OkStatus();
}

absl::StatusOr<TermId> RequestModel::CompileCondition(const Condition& c) {
  smt::TermFactory& f = factory_;
  const std::string lower = absl::AsciiStrToLower(c.key);
  KeyModel& k = keys_[lower];
  if (c.op == ConditionOperator::kUnknown) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown condition operator \"", c.op_text, "\""));
  }
  TermId present = f.BoolVar(k.present);
  if (c.op == ConditionOperator::kNull) {
    std::vector<TermId> alts;
    for (const ConditionValue& v : c.values) {
      if (absl::EqualsIgnoreCase(v.text, "true"))
        alts.push_back(f.Not(present));
      if (absl::EqualsIgnoreCase(v.text, "false")) alts.push_back(present);
    }
    return f.Label(Describe(c), f.Or(alts));
  }
  if (!k.unsupported.empty()) return absl::UnimplementedError(k.unsupported);
  const ResolvedCondition& resolved = resolved_.at(&c);
  if (!resolved.problem.empty())
    return absl::UnimplementedError(resolved.problem);
  bool negated = false;
  eval::PositiveOperator(c.op, &negated);
  const uint32_t n = static_cast<uint32_t>(k.witnesses.size());
  const bool absent_value = c.if_exists ||
                            c.qualifier == SetQualifier::kForAllValues ||
                            (c.qualifier == SetQualifier::kNone && negated);
  std::vector<TermId> cases;
  // Over-approximating (see AllowedOver): the source's absent case stays
  // exact, its other cases become the tests' Booleans.
  const bool over = over_ && !ExactSource(resolved.source);
  if (over) {
    const TermId holds = OverCondition(c, resolved);
    const std::vector<std::string> parts = SourceParts(resolved.source);
    cases.push_back(
        parts.size() > 1
            ? holds
            : f.And(f.BoolVar(keys_.at(resolved.source).present), holds));
  }
  for (const ResolvedCondition::Case& one : resolved.cases) {
    if (over && one.cls != kSourceAbsent) continue;
    if (over && SourceParts(resolved.source).size() > 1) continue;
    std::vector<uint32_t> matching, failing;
    for (uint32_t cls = 0; cls < n; ++cls) {
      // As the evaluator reads one request value against the clause's values.
      bool m = negated && !one.unresolved;
      for (const eval::GlobPattern& v : one.patterns) {
        bool r = eval::ConditionValueMatches(c.op, v, k.witnesses[cls]);
        m = negated ? (m && r) : (m || r);
      }
      (m ? matching : failing).push_back(cls);
    }
    TermId holds;
    if (!k.multi_valued) {
      holds = f.And(present, f.InClasses(k.value, matching));
    } else if (c.qualifier == SetQualifier::kForAllValues) {
      std::vector<TermId> parts = {present};
      for (uint32_t cls : failing)
        parts.push_back(f.Not(f.BoolVar(k.elements[cls])));
      holds = f.And(parts);
    } else {
      std::vector<TermId> alts;
      for (uint32_t cls : matching) alts.push_back(f.BoolVar(k.elements[cls]));
      holds = f.And(present, f.Or(alts));
    }
    cases.push_back(f.And(SourceGuard(resolved.source, one.cls), holds));
  }
  TermId t = f.Or(f.Or(cases), f.And(f.Not(present), f.Bool(absent_value)));
  return f.Label(Describe(c), t);
}

TermId RequestModel::OverCondition(const Condition& c,
                                   const ResolvedCondition& resolved) {
  smt::TermFactory& f = factory_;
  const std::string lower = absl::AsciiStrToLower(c.key);
  const KeyModel& k = keys_.at(lower);
  const Policy& policy = *condition_policy_.at(&c);
  bool negated = false;
  const ConditionOperator pos = eval::PositiveOperator(c.op, &negated);
  // The values without the source are constants; the others' match is the
  // Boolean of the test (one per class of a multi-valued key's elements).
  std::vector<eval::GlobPattern> constants;
  std::vector<std::string> variable;
  bool unresolved = false;
  // The classes a variable value may match: inside its loose pattern, and
  // only while it resolves (its parts written without a default are
  // present: an unresolved value matches nothing, and makes a negated
  // test fail). Per class, the alternatives "value i resolves".
  const uint32_t n = static_cast<uint32_t>(k.witnesses.size());
  std::vector<std::vector<TermId>> may_match(n);
  std::vector<TermId> resolves;  // per variable value
  for (size_t i = 0; i < c.values.size(); ++i) {
    const ConditionValue& v = c.values[i];
    auto source = FreeSource(policy, v.text);
    if (source.ok() && !source->empty()) {
      variable.push_back(v.text);
      TermId resolved_value = f.True();
      if (!LoosePattern(policy, v.text, *source, /*arn=*/false)) {
        resolved_value = f.False();  // a variable that never resolves
      } else {
        const std::vector<std::string> parts = SourceParts(*source);
        std::set<std::string> required;
        for (const VariableUse& use : VariablesIn(v.text)) {
          const std::string key = absl::AsciiStrToLower(use.key);
          if (!use.has_default &&
              std::find(parts.begin(), parts.end(), key) != parts.end()) {
            required.insert(key);
          }
        }
        std::vector<TermId> present_parts;
        for (const std::string& part : required)
          present_parts.push_back(f.BoolVar(keys_.at(part).present));
        resolved_value = f.And(present_parts);
      }
      resolves.push_back(resolved_value);
      auto loose = loose_values_.find(std::make_pair(&c, i));
      for (uint32_t cls = 0; cls < n; ++cls) {
        if (loose == loose_values_.end() ||
            GlobMatch(loose->second.first, k.witnesses[cls],
                      loose->second.second ? GlobCase::kInsensitive
                                           : GlobCase::kSensitive)) {
          may_match[cls].push_back(resolved_value);
        }
      }
      continue;
    }
    auto sub = Substitute(policy, v.text, "", kNoSource);
    if (sub.has_value()) {
      constants.push_back(std::move(*sub));
    } else {
      unresolved = true;
    }
  }
  std::sort(variable.begin(), variable.end());
  variable.erase(std::unique(variable.begin(), variable.end()), variable.end());
  auto test_of = [&](ConditionOperator op) {
    return absl::StrCat(k.name, " ", static_cast<int>(op), " [",
                        absl::StrJoin(variable, "] ["), "]");
  };
  const std::string test = test_of(pos);
  // The same values compared with case, ignoring case and as patterns
  // (see OverTie).
  const bool tie =
      decide_free_ && (pos == ConditionOperator::kStringEquals ||
                       pos == ConditionOperator::kStringEqualsIgnoreCase ||
                       pos == ConditionOperator::kStringLike);
  const std::string exact_test = test_of(ConditionOperator::kStringEquals);
  const std::vector<std::string> weaker_tests = {
      test_of(ConditionOperator::kStringEqualsIgnoreCase),
      test_of(ConditionOperator::kStringLike)};
  const TermId present = f.BoolVar(k.present);
  // Every variable value resolves (a negated test needs it).
  const TermId all_resolve = f.And(resolves);
  std::vector<uint32_t> constant_match;
  for (uint32_t cls = 0; cls < n; ++cls) {
    for (const eval::GlobPattern& v : constants) {
      if (eval::ConditionValueMatches(pos, v, k.witnesses[cls])) {
        constant_match.push_back(cls);
        break;
      }
    }
  }
  if (!k.multi_valued) {
    if (decide_free_ && variable.size() == 1) {
      const TermId atom = OverAtom(absl::StrCat("the value of ", test));
      if (auto size = EqualityLength(policy, variable[0], pos)) {
        OverExclusive(lower, test, f.node(atom).var, *size, std::nullopt, -1);
      }
      OverSingletons(k, pos, atom, policy, variable[0]);
    }
    if (const std::optional<TermId> no_star = NoStar(policy, variable);
        no_star && !k.with_star.empty()) {
      const TermId atom = OverAtom(absl::StrCat("the value of ", test));
      const std::vector<uint32_t> star(k.with_star.begin(), k.with_star.end());
      over_axioms_[f.node(atom).var].push_back(
          f.Not(f.And({atom, f.InClasses(k.value, star), *no_star})));
    }
    // The value's class, where some variable value may match it (classes
    // with the same alternatives together).
    std::map<std::vector<TermId>, std::vector<uint32_t>> by_alternatives;
    for (uint32_t cls = 0; cls < n; ++cls) {
      if (!may_match[cls].empty())
        by_alternatives[may_match[cls]].push_back(cls);
    }
    std::vector<TermId> loose_match;
    for (const auto& [alternatives, classes] : by_alternatives) {
      loose_match.push_back(
          f.And(f.InClasses(k.value, classes), f.Or(alternatives)));
    }
    const TermId match =
        f.Or(f.InClasses(k.value, constant_match),
             f.And(OverAtom(absl::StrCat("the value of ", test)),
                   f.Or(loose_match)));
    if (tie) {
      for (const std::string& weaker : weaker_tests) {
        OverTie(absl::StrCat("the value of ", exact_test),
                absl::StrCat("the value of ", weaker), false);
      }
    }
    if (!negated) return f.And(present, match);
    return unresolved ? f.False() : f.And({present, all_resolve, f.Not(match)});
  }
  std::vector<TermId> some_match, some_fail;
  const std::optional<TermId> no_star = NoStar(policy, variable);
  std::optional<ValueLength> size;
  if (decide_free_ && variable.size() == 1)
    size = EqualityLength(policy, variable[0], pos);
  for (uint32_t cls = 0; cls < n; ++cls) {
    const TermId element = f.BoolVar(k.elements[cls]);
    if (std::binary_search(constant_match.begin(), constant_match.end(), cls)) {
      some_match.push_back(element);
      continue;
    }
    if (may_match[cls].empty()) {
      some_fail.push_back(element);
      continue;
    }
    const TermId m =
        OverAtom(absl::StrCat("an element of class ", cls, " matches ", test));
    const TermId x =
        OverAtom(absl::StrCat("an element of class ", cls, " fails ", test));
    const TermId axiom =
        f.And(f.Implies(element, f.Or(m, x)), f.Implies(f.Or(m, x), element));
    over_axioms_[f.node(m).var].push_back(axiom);
    over_axioms_[f.node(x).var].push_back(axiom);
    if (tie) {
      const std::string of = absl::StrCat(" of class ", cls, " ");
      for (const std::string& weaker : weaker_tests) {
        OverTie(absl::StrCat("an element", of, "matches ", exact_test),
                absl::StrCat("an element", of, "matches ", weaker), false);
        OverTie(absl::StrCat("an element", of, "fails ", exact_test),
                absl::StrCat("an element", of, "fails ", weaker), true);
      }
    }
    if (size) {
      OverExclusive(lower, test, f.node(m).var, *size, cls, f.node(x).var);
    }
    if (no_star && k.with_star.count(cls)) {
      // (A ForAllValues test mentions x alone, which brings m in.)
      const TermId never = f.Not(f.And(m, *no_star));
      over_axioms_[f.node(m).var].push_back(never);
      over_axioms_[f.node(x).var].push_back(never);
    }
    // While no value that may match it resolves, the element fails.
    const TermId may = f.Or(may_match[cls]);
    some_match.push_back(f.And(m, may));
    some_fail.push_back(f.Or(x, f.And(element, f.Not(may))));
  }
  TermId satisfies, violates;
  if (!negated) {
    satisfies = f.Or(some_match);
    violates = f.Or(some_fail);
  } else if (unresolved) {
    satisfies = f.False();
    violates = present;
  } else {
    // A value that does not resolve fails every element.
    satisfies = f.And(all_resolve, f.Or(some_fail));
    violates = f.Or(f.Or(some_match), f.And(present, f.Not(all_resolve)));
  }
  if (c.qualifier == SetQualifier::kForAllValues)
    return f.And(present, f.Not(violates));
  return f.And(present, satisfies);
}

std::optional<RequestModel::ValueLength> RequestModel::EqualityLength(
    const Policy& policy, const std::string& text,
    ConditionOperator pos) const {
  if (pos != ConditionOperator::kStringEquals &&
      pos != ConditionOperator::kStringEqualsIgnoreCase &&
      pos != ConditionOperator::kStringLike) {
    return std::nullopt;
  }
  auto free = FreeSource(policy, text);
  if (!free.ok() || free->empty()) return std::nullopt;
  for (const VariableUse& use : VariablesIn(text)) {
    if (use.has_default) return std::nullopt;
  }
  const std::vector<std::string> parts = SourceParts(*free);
  if (parts.size() > 16) return std::nullopt;
  Request r = fixed_request_;
  for (size_t i = 0; i < parts.size(); ++i) {
    r.context[keys_.at(parts[i]).name] =
        ContextValue{{std::string(1, static_cast<char>(1 + i))}, false};
  }
  std::optional<eval::GlobPattern> sub = eval::SubstituteVariables(text, r);
  if (!sub) return std::nullopt;
  ValueLength out;
  for (size_t i = 0; i < sub->text.size(); ++i) {
    const char ch = sub->text[i];
    if (ch >= 1 && ch <= static_cast<char>(parts.size())) {
      ++out.counts[parts[ch - 1]];
      continue;
    }
    // A wildcard of StringLike matches strings of other lengths.
    if (pos == ConditionOperator::kStringLike && !sub->literal[i] &&
        (ch == '*' || ch == '?')) {
      return std::nullopt;
    }
    ++out.length;
  }
  return out;
}

bool RequestModel::NeverSameLength(const ValueLength& a, const ValueLength& b) {
  // a.length + sum a.counts[s] n_s = b.length + sum b.counts[s] n_s for
  // lengths n_s >= 0 (case folding keeps the length): sum d_s n_s = want.
  const long long want =
      static_cast<long long>(b.length) - static_cast<long long>(a.length);
  std::map<std::string, long long> d;
  for (const auto& [source, n] : a.counts)
    d[source] += static_cast<long long>(n);
  for (const auto& [source, n] : b.counts)
    d[source] -= static_cast<long long>(n);
  bool positive = false, negative = false;
  long long g = 0;
  for (const auto& [source, x] : d) {
    if (x == 0) continue;
    positive |= x > 0;
    negative |= x < 0;
    g = std::gcd(g, x < 0 ? -x : x);
  }
  if (g == 0) return want != 0;
  if (want % g != 0) return true;
  if (positive && !negative) return want < 0;
  if (negative && !positive) return want > 0;
  return false;
}

void RequestModel::OverExclusive(const std::string& lower,
                                 const std::string& test, int atom,
                                 const ValueLength& size,
                                 std::optional<uint32_t> cls, int fails) {
  smt::TermFactory& f = factory_;
  std::vector<OverEquality>& tests = over_equalities_[lower];
  OverEquality* mine = nullptr;
  for (OverEquality& t : tests) {
    if (t.test == test) mine = &t;
  }
  if (mine == nullptr) {
    tests.push_back(OverEquality{test, size, -1, {}});
    mine = &tests.back();
  }
  if (!cls) {
    // A single-valued key: the two tests are never both passed.
    if (mine->atom >= 0) return;
    mine->atom = atom;
    for (const OverEquality& t : tests) {
      if (t.atom < 0 || &t == mine || !NeverSameLength(t.size, size)) continue;
      const TermId axiom = f.Not(f.And(f.BoolVar(t.atom), f.BoolVar(atom)));
      over_axioms_[t.atom].push_back(axiom);
      over_axioms_[atom].push_back(axiom);
    }
    return;
  }
  // A multi-valued key: an element of the class that passes one test fails
  // the other.
  if (!mine->classes.emplace(*cls, std::make_pair(atom, fails)).second) return;
  for (const OverEquality& t : tests) {
    auto other = t.classes.find(*cls);
    if (&t == mine || other == t.classes.end() ||
        !NeverSameLength(t.size, size)) {
      continue;
    }
    const auto [m, x] = other->second;
    const TermId axiom = f.And(f.Implies(f.BoolVar(atom), f.BoolVar(x)),
                               f.Implies(f.BoolVar(m), f.BoolVar(fails)));
    for (int v : {atom, fails, m, x}) over_axioms_[v].push_back(axiom);
  }
}

void RequestModel::OverTie(const std::string& strong, const std::string& weak,
                           bool fails) {
  const auto a = over_atoms_.find(strong), b = over_atoms_.find(weak);
  if (a == over_atoms_.end() || b == over_atoms_.end() ||
      !over_ties_.emplace(a->second, b->second).second) {
    return;
  }
  smt::TermFactory& f = factory_;
  const TermId e = f.BoolVar(a->second), i = f.BoolVar(b->second);
  const TermId axiom = fails ? f.Implies(i, e) : f.Implies(e, i);
  over_axioms_[a->second].push_back(axiom);
  over_axioms_[b->second].push_back(axiom);
}

std::optional<TermId> RequestModel::NoStar(
    const Policy& policy, const std::vector<std::string>& texts) {
  if (!decide_free_) return std::nullopt;
  smt::TermFactory& f = factory_;
  constexpr char kMarker = '\x01';
  std::vector<TermId> parts;
  for (const std::string& text : texts) {
    auto free = FreeSource(policy, text);
    if (!free.ok() || free->empty()) return std::nullopt;
    Request r = fixed_request_;
    for (const std::string& part : SourceParts(*free)) {
      r.context[keys_.at(part).name] =
          ContextValue{{std::string(1, kMarker)}, false};
      parts.push_back(NoStarIn(part));
    }
    // (A value that does not resolve matches nothing.)
    std::optional<eval::GlobPattern> sub = eval::SubstituteVariables(text, r);
    if (sub && sub->text.find_first_of("*?") != std::string::npos)
      return std::nullopt;
  }
  return f.And(parts);
}

TermId RequestModel::NoStarIn(const std::string& source) {
  return OverAtom(
      absl::StrCat("the value of ", keys_.at(source).name, " holds no '*'"));
}

void RequestModel::OverSingletons(const KeyModel& k, ConditionOperator pos,
                                  TermId atom, const Policy& policy,
                                  const std::string& text) {
  smt::TermFactory& f = factory_;
  const int var = f.node(atom).var;
  if (!over_singletons_.insert(var).second) return;
  auto free = FreeSource(policy, text);
  if (!free.ok() || free->empty() || free->find('\n') != std::string::npos)
    return;
  const std::string& source = *free;
  for (const VariableUse& use : VariablesIn(text)) {
    if (use.has_default) return;
  }
  const KeyModel& s = keys_.at(source);
  if (s.singletons.size() > kMaxSingletonTies) return;
  for (uint32_t c : s.singletons) {
    TermId exact = f.False();  // an unresolved value matches nothing
    if (std::optional<eval::GlobPattern> sub =
            Substitute(policy, text, source, static_cast<int>(c))) {
      std::optional<TokenPattern> pattern = ValuePattern(pos, *sub);
      if (!pattern) continue;
      auto inside = k.inside.find(pattern->Key());
      if (inside == k.inside.end()) continue;  // not a class boundary
      exact = f.InClasses(k.value, inside->second);
    }
    const TermId when = f.And(f.BoolVar(s.present), f.InClasses(s.value, {c}));
    const TermId axiom =
        f.Implies(when, f.And(f.Implies(atom, exact), f.Implies(exact, atom)));
    over_axioms_[var].push_back(axiom);
  }
}

TermId RequestModel::PrincipalAxiom(const KeyModel& k) {
  smt::TermFactory& f = factory_;
  const TermId present = f.BoolVar(k.present);
  auto sends = [&](const std::vector<uint32_t>& classes) {
    return classes.empty() ? f.Not(present)
                           : f.And(present, f.InClasses(k.value, classes));
  };
  switch (principal_kind_) {
    case PrincipalKind::kUser:
      return sends(k.user_classes);
    case PrincipalKind::kRoleSession:
      return sends(k.session_classes);
    case PrincipalKind::kEither: {
      const TermId user = f.BoolVar(principal_is_user_);
      return f.Or(f.And(user, sends(k.user_classes)),
                  f.And(f.Not(user), sends(k.session_classes)));
    }
    case PrincipalKind::kOther:
      break;
  }
  return f.True();
}

}  // namespace leastpriv::analysis
