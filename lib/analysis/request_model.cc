// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RequestModel: building the abstraction of a question, and reading
// requests back from models.

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
#include "lib/analysis/arn_shapes.h"
#include "lib/analysis/condition_text.h"
#include "lib/analysis/principal_facts.h"
#include "lib/analysis/readable_witnesses.h"
#include "lib/analysis/value_classes.h"
#include "lib/analysis/variable_text.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv::analysis {

using smt::CharRange;
using smt::TermId;
using smt::TokenPattern;

namespace {

// Whether a resource entry `text` (policy text) lies in its reading with
// the variable of `part` (lower case) read as the StringLike pattern `own`
// exactly when the variable's value lies in `own`: the variable ends the
// entry, once and without a default, `own` is '*' and literal text s, and
// the literal text before the variable (in the resource part, at least as
// long as s) ends with no prefix of s. A value that does not end with s then
// leaves the entry's strings not ending with s either (one shorter than s ends
// with the text before it, which ends with no prefix of s).
bool EndsExactlyAsOwn(const std::string& text, const std::string& part,
                      const eval::GlobPattern& own) {
  if (own.text.size() < 2 || own.literal[0] || own.text[0] != '*') return false;
  const std::string s = own.text.substr(1);
  for (size_t i = 1; i < own.text.size(); ++i) {
    if (!own.literal[i] && (own.text[i] == '*' || own.text[i] == '?'))
      return false;
  }
  const std::vector<VariableUse> uses = VariablesIn(text);
  if (uses.empty() || absl::AsciiStrToLower(uses.back().key) != part ||
      uses.back().has_default || !absl::EndsWith(text, "}")) {
    return false;
  }
  for (size_t i = 0; i + 1 < uses.size(); ++i) {
    if (absl::AsciiStrToLower(uses[i].key) == part) return false;
  }
  const size_t open = text.rfind("${");
  if (open == std::string::npos) return false;
  const std::string before = text.substr(0, open);
  // (In the resource part, which is matched case-sensitively.)
  if (std::count(before.begin(), before.end(), ':') < 5) return false;
  const size_t cut = before.find_last_of("*?}$");
  const std::string tail =
      cut == std::string::npos ? before : before.substr(cut + 1);
  if (tail.size() < s.size()) return false;
  for (size_t n = 1; n <= s.size(); ++n) {
    if (absl::EndsWith(tail, s.substr(0, n))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RequestModel>> RequestModel::Build(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope,
    const std::vector<std::string>& extra_resources,
    const AnalysisOptions& options, const std::set<std::string>* resource_types,
    const std::vector<std::string>& seeds, bool suggest) {
  // Free variable sources that occur inside longer strings need the other
  // patterns of those strings for their values (see SourceValues): a first
  // pass gathers them, and stops there when there are such sources.
  auto first =
      BuildModel(sides, scope, extra_resources, options, resource_types, {},
                 /*patterns_only=*/true);
  if (!first.ok() || !(*first)->patterns_only_) return first;
  auto values = (*first)->SourceValues(options);
  auto second =
      BuildModel(sides, scope, extra_resources, options, resource_types, values,
                 /*patterns_only=*/false);
  if (!second.ok() || !options.decide_free_variables) return second;
  // Sources still inexact: more rounds with the values the last model's
  // witnesses suggest (see SourceCandidates), while they suggest new ones.
  // With seeds, their values alone.
  if (!suggest && seeds.empty()) return second;
  const std::size_t kMaxCandidates = seeds.empty() ? 24 : 0;
  constexpr int kRounds = 1;
  std::map<std::string, std::vector<std::string>> candidates;
  for (int round = 0; round < kRounds; ++round) {
    bool fresh = false;
    for (auto& [source, more] :
         (*second)->SourceCandidates(kMaxCandidates, seeds)) {
      std::vector<std::string>& have = candidates[source];
      for (std::string& v : more) {
        if (std::find(have.begin(), have.end(), v) != have.end()) continue;
        have.push_back(std::move(v));
        fresh = true;
      }
    }
    if (!fresh) break;
    auto next = BuildModel(sides, scope, extra_resources, options,
                           resource_types, values,
                           /*patterns_only=*/false, candidates);
    if (!next.ok() &&
        next.status().code() == absl::StatusCode::kResourceExhausted)
      break;
    if (!next.ok()) return next;
    second = std::move(next);
  }
  return second;
}

absl::StatusOr<std::unique_ptr<RequestModel>> RequestModel::BuildModel(
    const std::vector<const PolicySet*>& sides, const AnalysisScope& scope,
    const std::vector<std::string>& extra_resources,
    const AnalysisOptions& options, const std::set<std::string>* resource_types,
    std::map<std::string, std::vector<std::string>> source_values,
    bool patterns_only,
    std::map<std::string, std::vector<std::string>> source_candidates) {
  std::unique_ptr<RequestModel> m(new RequestModel());
  m->source_values_ = std::move(source_values);
  m->source_candidates_ = std::move(source_candidates);
  m->decide_free_ = options.decide_free_variables;
  if (!scope.account.empty()) {
    if (scope.account.size() != 12 ||
        !std::all_of(scope.account.begin(), scope.account.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope account \"", scope.account,
                       "\" is not a 12-digit account id"));
    }
  }
  for (char c : scope.region) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope region \"", scope.region, "\" is not a region name"));
    }
  }
  m->account_ = scope.account;
  m->region_ = scope.region;
  if (!scope.principal.empty()) {
    std::vector<std::string> parts = absl::StrSplit(scope.principal, ':');
    if (parts.size() < 6 || parts[0] != "arn" || parts[4].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope principal \"", scope.principal, "\" is not a principal ARN"));
    }
    m->principal_ = scope.principal;
    // The resources stay in any account unless the scope fixes one: a
    // principal of one account may reach tables of another through their
    // resource-based policies.
    m->who_ = eval::ReadPrincipal(m->principal_);
    const eval::ArnParts arn = eval::SplitArn(scope.principal);
    const std::string_view resource = arn.resource;
    m->principal_kind_ = PrincipalKind::kOther;
    if (arn.ok && !arn.account.empty() && arn.service == "iam") {
      if (resource.substr(0, 5) == "user/")
        m->principal_kind_ = PrincipalKind::kUser;
      if (resource.substr(0, 5) == "role/")
        m->principal_kind_ = PrincipalKind::kRoleSession;
    } else if (arn.ok && !arn.account.empty() && arn.service == "sts" &&
               resource.substr(0, 13) == "assumed-role/") {
      // assumed-role/ROLE/SESSION
      const size_t slash = resource.find('/', 13);
      if (slash != std::string_view::npos && slash + 1 < resource.size()) {
        m->principal_kind_ = PrincipalKind::kRoleSession;
        m->session_name_ = std::string(resource.substr(slash + 1));
      }
    }
  }
  for (const PolicySet* side : sides) {
    m->has_resource_policies_ |= !side->resource.empty();
  }
  for (const std::string& t : scope.tables) {
    if (t.empty() || t.find_first_of(":/*?") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope table \"", t, "\" is not a table name"));
    }
  }

  // Condition keys.
  for (const PolicySet* side : sides) {
    if (absl::Status s = m->AddKeys(*side); !s.ok()) return s;
  }
  for (const auto& [key, values] : WithPrincipalFacts(sides, scope)) {
    std::string lower = absl::AsciiStrToLower(key);
    KeyModel& k = m->keys_[lower];
    if (k.name.empty()) k.name = key;
    k.fixed = values;
  }
  if (absl::Status s = m->FinishKeys(options); !s.ok()) return s;

  // Resource dimension.
  std::vector<TokenPattern> patterns;
  auto add_pattern = [&](const std::string& key, TokenPattern p) {
    if (m->pattern_index_.count(key)) return;
    m->pattern_index_[key] = patterns.size();
    patterns.push_back(std::move(p));
  };
  for (const PolicySet* side : sides) {
    ForEachPolicy(*side, [&](const Policy& p) {
      for (const Statement& st : p.statements) {
        for (const PolicyString& r : st.resources) {
          if (UsesVariables(p, r.text)) {
            auto source = m->FreeSource(p, r.text);
            if (!source.ok()) continue;  // unknown; see CompileStatement
            if (m->decide_free_ && !m->ExactSource(*source)) {
              // Bounds the over-approximation (see OverResourceEntry).
              auto loose = m->LoosePattern(p, r.text, *source, /*arn=*/true);
              if (loose && !TokenPattern::ArnMatchesNothing(loose->text,
                                                            loose->literal)) {
                add_pattern("loose:" + r.text,
                            TokenPattern::Arn(loose->text, loose->literal));
              }
              // A key the principal decides read as the shape of the values
              // each kind of principal sends (an IAM user name has no '/').
              if (auto shaped = m->ShapedPatterns(p, r.text, *source)) {
                for (auto& [kind, pattern] : *shaped)
                  add_pattern(absl::StrCat("shape:", kind, ":", r.text),
                              std::move(pattern));
              }
              // Each part of the source read as each pattern of its own
              // case-sensitive String conditions (the other parts as '*'):
              // its classes inside the pattern keep the entry inside that
              // reading.
              if (!m->loose_own_.count(r.text)) {
                std::vector<LooseOwn>& list = m->loose_own_[r.text];
                for (const std::string& part : SourceParts(*source)) {
                  auto own = m->key_conditions_.find(part);
                  if (own == m->key_conditions_.end()) continue;
                  const KeyModel& k = m->keys_.at(part);
                  for (const Condition* c : own->second) {
                    const ResolvedCondition& rc = m->resolved_.at(c);
                    const ConditionOperator pos =
                        eval::PositiveOperator(c->op, nullptr);
                    if (!rc.source.empty() || !rc.problem.empty() ||
                        (pos != ConditionOperator::kStringEquals &&
                         pos != ConditionOperator::kStringLike)) {
                      continue;
                    }
                    for (const eval::GlobPattern& q : rc.AllPatterns()) {
                      const eval::GlobPattern as =
                          pos == ConditionOperator::kStringEquals
                              ? eval::GlobPattern::Literal(q.text)
                              : q;
                      auto read = m->LoosePattern(p, r.text, *source,
                                                  /*arn=*/true, &as, part);
                      if (!read || TokenPattern::ArnMatchesNothing(
                                       read->text, read->literal)) {
                        continue;
                      }
                      // (Which characters are wildcards tells a StringLike
                      // pattern from a StringEquals value of the same text.)
                      std::string wildcards;
                      for (bool literal : as.literal)
                        wildcards += literal ? '0' : '1';
                      const std::string key =
                          absl::StrCat("loose:", part, "\n", as.text, "\n",
                                       wildcards, "\n", r.text);
                      add_pattern(key,
                                  TokenPattern::Arn(read->text, read->literal));
                      std::vector<uint32_t> inside;
                      for (uint32_t w = 0; w < k.witnesses.size(); ++w) {
                        if (eval::ConditionValueMatches(pos, q, k.witnesses[w]))
                          inside.push_back(w);
                      }
                      list.push_back(LooseOwn{
                          part, m->pattern_index_.at(key), std::move(inside),
                          pos == ConditionOperator::kStringLike &&
                              EndsExactlyAsOwn(r.text, part, q)});
                    }
                  }
                }
              }
            }
            for (int cls : m->SourceCases(*source)) {
              auto g = m->Substitute(p, r.text, *source, cls);
              if (!g || TokenPattern::ArnMatchesNothing(g->text, g->literal))
                continue;
              const std::string key = SubstitutedKey(r.text, cls);
              m->substituted_.emplace(key, *g);
              add_pattern(key, TokenPattern::Arn(g->text, g->literal));
            }
            continue;
          }
          if (TokenPattern::ArnMatchesNothing(r.text)) continue;
          add_pattern("raw:" + r.text, TokenPattern::Arn(r.text));
        }
      }
    });
  }
  // Resource shapes: requests carry ARNs as AWS writes them, so the
  // template's literal text ("arn:aws:dynamodb:...:table/") is matched
  // case-sensitively.
  for (const ResourceTypeInfo& rt : DynamoDbResourceTypes()) {
    TokenPattern shape;
    std::string display;
    std::string_view tmpl = rt.arn_template;
    size_t i = 0;
    while (i < tmpl.size()) {
      if (tmpl.substr(i, 2) == "${") {
        size_t end = tmpl.find('}', i);
        std::string_view var = tmpl.substr(i + 2, end - i - 2);
        std::string fixed;
        if (var == "Partition") fixed = m->partition_name_;
        if (var == "Region") fixed = m->region_;
        if (var == "Account") fixed = m->account_;
        if (!fixed.empty()) {
          shape.AddLiteral(fixed, false);
          display += fixed;
        } else {
          AddValidName(var, shape);
          display += "*";
        }
        i = end + 1;
        continue;
      }
      shape.AddLiteral(tmpl.substr(i, 1), false);
      display += tmpl[i];
      ++i;
    }
    std::string key = "shape:" + std::string(rt.name);
    add_pattern(key, std::move(shape));
    m->shapes_.push_back(
        ResourceShape{std::string(rt.name), display, m->pattern_index_[key]});
  }
  for (const std::string& t : scope.tables) {
    add_pattern("table:" + t, TokenPattern::Arn(m->TablePattern(t, false)));
    add_pattern("tablesub:" + t,
                TokenPattern::Arn(m->TablePattern(t, false) + "/*"));
    add_pattern("tableindex:" + t, TokenPattern::Arn(m->TablePattern(t, true)));
    m->scope_table_patterns_.push_back(m->pattern_index_["table:" + t]);
    m->scope_table_patterns_.push_back(m->pattern_index_["tablesub:" + t]);
  }
  // Resource-based policies: which attachment keys apply, and whether the
  // resource is in the principal's account, are functions of these
  // patterns' membership (see eval::ResourcePolicyApplies, SameAccount).
  std::set<std::string> attachment_keys;
  for (const PolicySet* side : sides) {
    for (const auto& [key, list] : side->resource) attachment_keys.insert(key);
  }
  for (const std::string& key : attachment_keys) {
    add_pattern("attach:" + key, TokenPattern::Literal(key, false));
    if (key.find('/') == std::string::npos) {
      add_pattern("attach-table:" + key,
                  ArnComponents(4).AddLiteral("table/" + key, false));
      add_pattern("attach-table-sub:" + key,
                  ArnComponents(4)
                      .AddLiteral("table/" + key + "/", false)
                      .AddStar(CharRange::kAny));
    }
    eval::ArnParts parts = eval::SplitArn(key);
    if (parts.ok && parts.resource.substr(0, 6) == "table/" &&
        parts.resource.find('/', 6) == std::string_view::npos) {
      add_pattern(
          "attach-arn-sub:" + key,
          TokenPattern::Literal(key + "/", false).AddStar(CharRange::kAny));
    }
  }
  if (m->who_) {
    const std::string account(m->who_->account);
    add_pattern("account:same", ArnComponents(3)
                                    .AddLiteral(account + ":", false)
                                    .AddStar(CharRange::kAny));
    add_pattern(
        "account:empty",
        ArnComponents(3).AddLiteral(":", false).AddStar(CharRange::kAny));
    add_pattern("account:any", ArnComponents(4).AddStar(CharRange::kAny));
  }
  for (const std::string& r : extra_resources) {
    if (TokenPattern::ArnMatchesNothing(r)) continue;
    add_pattern("raw:" + r, TokenPattern::Arn(r));
  }
  // Requests name "*" (wildcard-only actions), an ARN of one of the
  // resource shapes, or a resource asked about.
  std::vector<size_t> shape_patterns;
  for (const ResourceShape& shape : m->shapes_) {
    if (resource_types == nullptr ||
        resource_types->count(shape.resource_type)) {
      shape_patterns.push_back(shape.pattern);
    }
  }
  std::vector<std::string> extra = {"*"};
  extra.insert(extra.end(), extra_resources.begin(), extra_resources.end());
  if (patterns_only) {
    bool inexact = false;
    for (const std::string& source : m->sources_)
      inexact |= !m->exact_sources_.count(source);
    if (inexact) {
      // The patterns without free sources, and which of them bound the
      // resources requests carry (the shapes in question, the resources
      // asked about).
      m->patterns_only_ = true;
      std::set<size_t> domain(shape_patterns.begin(), shape_patterns.end());
      for (const std::string& r : extra_resources) {
        if (auto it = m->pattern_index_.find("raw:" + r);
            it != m->pattern_index_.end()) {
          domain.insert(it->second);
        }
      }
      for (const auto& [key, index] : m->pattern_index_) {
        if (m->substituted_.count(key)) continue;
        if (domain.count(index))
          m->resource_domain_.push_back(m->constant_resources_.size());
        m->constant_resources_.push_back(patterns[index]);
      }
      return m;
    }
  }
  // Witnesses read like real requests: the scope's own account, region and
  // tables first, then real regions and ordinary names.
  smt::WitnessHints hints;
  hints.component[1] = {m->partition_name_};
  hints.component[2] = {"dynamodb"};
  if (!m->region_.empty()) hints.component[3].push_back(m->region_);
  hints.component[3].insert(hints.component[3].end(), std::begin(kRegions),
                            std::end(kRegions));
  if (!m->account_.empty()) hints.component[4].push_back(m->account_);
  if (m->who_) hints.component[4].push_back(std::string(m->who_->account));
  hints.component[4].push_back("111122223333");
  for (const std::string& t : scope.tables) {
    if (t.find_first_of("*?$") == std::string::npos) hints.names.push_back(t);
  }
  std::vector<std::string> names = hints.names;  // tables and indexes
  names.push_back("example");
  hints.names.insert(hints.names.end(), {"example", "2024", "06", "15", "123",
                                         "01717171717171", "a1b2c3d4"});
  auto part = smt::Partition::BuildArns(patterns, shape_patterns, extra,
                                        options.max_automaton_states, hints);
  bool whole = false;
  if (!part.ok() && part.status().code() == absl::StatusCode::kUnimplemented) {
    part = smt::Partition::Build(std::move(patterns),
                                 options.max_automaton_states);
    whole = true;
  }
  if (!part.ok()) return part.status();
  m->resources_ = std::move(*part);
  m->resource_witnesses_.resize(m->resources_.size());
  if (whole) {
    // Shortest strings ("us-a-0", "000000000000", "0000-00-00T00:00:00.000")
    // give way to readable values of the same class, in the shapes only.
    for (const auto& [key, index] : m->pattern_index_) {
      if (absl::StartsWith(key, "raw:")) AddPatternNames(key.substr(4), names);
    }
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) {
                                 return !eval::IsValidTableName(n);
                               }),
                names.end());
    // A region no real one matches: the pattern's own, filled in
    // ("zz-*" gives "zz-east-1").
    for (const auto& [key, index] : m->pattern_index_) {
      if (!absl::StartsWith(key, "raw:")) continue;
      const std::vector<std::string> parts = absl::StrSplit(key.substr(4), ':');
      if (parts.size() < 4) continue;
      for (const char* fill : {"east-1", "-east-1", "1", "-1"}) {
        std::string region;
        for (char ch : parts[3]) {
          if (ch == '*') {
            region += fill;
          } else {
            region += ch == '?' ? 'x' : ch;
          }
        }
        if (eval::IsValidRegionName(region))
          hints.component[3].push_back(region);
      }
    }
    m->readable_ = std::make_unique<ReadableResources>(
        ReadableResources{std::move(hints), std::move(names), shape_patterns});
  }
  // Cross-check the abstraction against the evaluator's ARN matching: on
  // every class, or, beyond kCrossChecks pattern-class pairs, on an even
  // sample of the classes (the partition's own tests check it whole).
  constexpr size_t kCrossChecks = 1 << 17;
  size_t raw_count = 0;
  for (const auto& [key, index] : m->pattern_index_) {
    raw_count +=
        absl::StartsWith(key, "raw:") || m->substituted_.count(key) > 0;
  }
  const size_t stride =
      std::max<size_t>(1, raw_count * m->resources_.size() / kCrossChecks);
  std::vector<eval::ColonSplit> witness_parts(m->resources_.size());
  for (size_t c = 0; c < m->resources_.size(); c += stride) {
    witness_parts[c] = eval::SplitAtColons(m->resources_.at(c).witness);
  }
  for (const auto& [key, index] : m->pattern_index_) {
    const bool sub = m->substituted_.count(key) > 0;
    if (!absl::StartsWith(key, "raw:") && !sub) continue;
    const std::string raw = key.substr(4);
    const eval::GlobPattern g =
        sub ? m->substituted_.at(key) : eval::GlobPattern::Wildcards(raw);
    const eval::ColonSplit g_parts = eval::SplitAtColons(g.text);
    for (size_t c = 0; c < m->resources_.size(); c += stride) {
      const std::string& w = m->resources_.at(c).witness;
      if (eval::ArnMatches(g, g_parts, w, witness_parts[c]) !=
          m->resources_.InPattern(c, index)) {
        return absl::InternalError(absl::StrCat(
            "resource abstraction disagrees with the evaluator on pattern \"",
            raw, "\" and \"", w, "\""));
      }
    }
  }
  m->resource_dim_ = m->factory_.NewDimension(
      static_cast<uint32_t>(m->resources_.size()), "resource");
  for (uint32_t c = 0; c < m->resources_.size(); ++c) {
    const std::string& w = m->resources_.at(c).witness;
    for (const std::string& key : attachment_keys) {
      if (eval::ResourcePolicyApplies(key, w))
        m->attached_classes_[key].push_back(c);
    }
    if (!m->who_ || eval::SameAccount(*m->who_, w))
      m->same_account_classes_.push_back(c);
  }

  return m;
}

const std::string& RequestModel::ResourceWitness(std::size_t c) const {
  std::string& w = resource_witnesses_[c];
  if (!w.empty()) return w;
  w = resources_.at(c).witness;
  if (readable_ != nullptr) {
    bool in_shape = false;
    for (std::size_t p : readable_->shapes)
      in_shape |= resources_.InPattern(c, p);
    if (in_shape)
      w = ReadableArn(resources_, c, readable_->hints, readable_->names);
  }
  return w;
}

std::string RequestModel::TablePattern(const std::string& table,
                                       bool indexes) const {
  return absl::StrCat("arn:", partition_name_,
                      ":dynamodb:", region_.empty() ? "*" : region_, ":",
                      account_.empty() ? "*" : account_, ":table/", table,
                      indexes ? "/index/*" : "");
}

std::vector<ResourceShape> RequestModel::Shapes(
    const ActionInfo& action) const {
  std::vector<ResourceShape> out;
  for (const ActionResource& r : action.resources) {
    for (const ResourceShape& s : shapes_) {
      if (s.resource_type == r.resource_type) out.push_back(s);
    }
  }
  return out;
}

std::vector<uint32_t> RequestModel::ResourceUniverse(
    const ActionInfo& action) const {
  std::vector<uint32_t> out;
  if (action.wildcard_only()) {
    out.push_back(static_cast<uint32_t>(resources_.ClassOf("*")));
    return out;
  }
  std::vector<ResourceShape> shapes = Shapes(action);
  for (uint32_t c = 0; c < resources_.size(); ++c) {
    bool in_shape = false;
    for (const ResourceShape& s : shapes)
      in_shape |= resources_.InPattern(c, s.pattern);
    if (!in_shape) continue;
    if (!scope_table_patterns_.empty()) {
      bool in_table = false;
      for (size_t p : scope_table_patterns_)
        in_table |= resources_.InPattern(c, p);
      if (!in_table) continue;
    }
    out.push_back(c);
  }
  return out;
}

std::optional<size_t> RequestModel::PatternIndex(const std::string& raw) const {
  auto it = pattern_index_.find(raw);
  if (it == pattern_index_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, size_t>> RequestModel::RawPatterns() const {
  std::vector<std::pair<std::string, size_t>> out;
  for (const auto& [key, index] : pattern_index_) {
    if (absl::StartsWith(key, "raw:")) out.emplace_back(key.substr(4), index);
  }
  return out;
}

TermId RequestModel::WithAxioms(TermId t) {
  std::set<int> dims, vars;
  factory_.CollectVariables(t, &dims, &vars);
  std::vector<TermId> parts = {t};
  for (const auto& [lower, k] : keys_) {
    if (!k.multi_valued) continue;
    bool used = vars.count(k.present) > 0;
    for (int e : k.elements) used |= vars.count(e) > 0;
    if (!used) continue;
    std::vector<TermId> elems;
    for (int e : k.elements) elems.push_back(factory_.BoolVar(e));
    TermId any = factory_.Or(elems);
    TermId present = factory_.BoolVar(k.present);
    parts.push_back(factory_.And(factory_.Implies(present, any),
                                 factory_.Implies(any, present)));
  }
  for (const auto& [lower, k] : keys_) {
    if (k.principal_key && (vars.count(k.present) || dims.count(k.value))) {
      parts.push_back(PrincipalAxiom(k));
    }
  }
  for (int v : vars) {
    auto it = over_axioms_.find(v);
    if (it != over_axioms_.end())
      parts.insert(parts.end(), it->second.begin(), it->second.end());
  }
  return factory_.And(parts);
}

Request RequestModel::Decode(const std::string& action,
                             const std::string& resource,
                             const smt::Assignment& model) const {
  Request r;
  r.action = action;
  r.resource = resource;
  const ActionInfo* info = FindAction(action);
  for (const auto& [lower, k] : keys_) {
    if (info != nullptr && !ActionSupportsConditionKey(*info, k.name)) continue;
    if (k.fixed) {
      if (!k.fixed->empty())
        r.context[k.name] = ContextValue{*k.fixed, k.multi_valued};
      continue;
    }
    auto p = model.bool_vars.find(k.present);
    if (p == model.bool_vars.end() || !p->second) continue;
    ContextValue v;
    v.multi_valued = k.multi_valued;
    if (k.multi_valued) {
      for (size_t c = 0; c < k.elements.size(); ++c) {
        auto e = model.bool_vars.find(k.elements[c]);
        if (e != model.bool_vars.end() && e->second)
          v.values.push_back(k.witnesses[c]);
      }
    } else {
      auto d = model.dimensions.find(k.value);
      v.values.push_back(
          k.witnesses[d == model.dimensions.end() ? 0 : d->second]);
    }
    r.context[k.name] = std::move(v);
  }
  // Who sends it: an IAM user or a role session, as the model chose (or,
  // without a choice, as aws:username says); the principal keys the query
  // left free get a value that principal type sends.
  bool user = principal_kind_ == PrincipalKind::kUser;
  if (principal_kind_ == PrincipalKind::kEither) {
    auto u = model.bool_vars.find(principal_is_user_);
    if (u != model.bool_vars.end()) {
      user = u->second;
    } else {
      for (const auto& [lower, k] : keys_) {
        if (lower == "aws:username" && k.principal_key &&
            r.context.count(k.name))
          user = true;
      }
    }
  }
  std::string user_name = "leastpriv-witness";
  for (const auto& [lower, k] : keys_) {
    if (!k.principal_key) continue;
    auto p = model.bool_vars.find(k.present);
    const std::vector<uint32_t>& classes =
        user ? k.user_classes : k.session_classes;
    if (p == model.bool_vars.end() && !classes.empty()) {
      r.context[k.name] = ContextValue{{k.witnesses[classes[0]]}, false};
    }
    if (lower == "aws:username" && r.context.count(k.name)) {
      user_name = r.context[k.name].values[0];
    }
  }
  r.principal = WitnessPrincipal(r.resource, user, user_name);
  return r;
}

std::string RequestModel::WitnessPrincipal(const std::string& resource,
                                           bool user,
                                           const std::string& user_name) const {
  if (!principal_.empty()) return principal_;
  // A principal of the resource's own account (always same-account).
  std::string account(eval::SplitArn(resource).account);
  if (account.empty()) account = account_;
  if (account.empty()) account = "123456789012";
  return user ? absl::StrCat("arn:", partition_name_, ":iam::", account,
                             ":user/", user_name)
              : absl::StrCat("arn:", partition_name_, ":iam::", account,
                             ":role/leastpriv-witness");
}

std::optional<Request> RequestModel::Reseat(
    const Request& w, const std::string& resource,
    const std::map<std::string, std::string>& values, bool follow) const {
  Request r = w;
  r.resource = resource;
  std::map<std::string, std::string> renamed;  // old value -> new
  std::set<std::string> changed;
  bool user = absl::StrContains(w.principal, ":user/");
  // The shapes of a key the principal decides (see PrincipalKeyShapes).
  auto decided = [&](const std::string& lower) {
    return principal_kind_ == PrincipalKind::kOther
               ? std::nullopt
               : PrincipalKeyShapes(lower, session_name_);
  };
  for (const auto& [source, value] : values) {
    auto k = keys_.find(source);
    if (k == keys_.end() || k->second.fixed) return std::nullopt;
    auto had = r.context.find(k->second.name);
    // A key the principal decides stays with the principal that sends it;
    // a role session's witness becomes a user's for aws:username when it
    // holds no other key its principal decides.
    if (const std::optional<PrincipalKeyShape> shape = decided(source)) {
      if (had == r.context.end()) {
        if (source != "aws:username" ||
            principal_kind_ != PrincipalKind::kEither) {
          return std::nullopt;
        }
        for (const auto& [lower, other] : keys_) {
          if (decided(lower) && r.context.count(other.name))
            return std::nullopt;
        }
        user = true;
      }
      // Within the shape of the values that principal sends.
      const std::optional<TokenPattern>& of =
          user ? shape->user : shape->session;
      if (!of || !of->Matches(value)) return std::nullopt;
    }
    if (had != r.context.end() && had->second.values.size() == 1)
      renamed.emplace(had->second.values[0], value);
    r.context[k->second.name] = ContextValue{{value}, false};
    changed.insert(k->second.name);
  }
  if (follow) {
    for (auto& [name, v] : r.context) {
      if (changed.count(name)) continue;
      for (std::string& e : v.values) {
        if (auto it = renamed.find(e); it != renamed.end()) e = it->second;
      }
    }
    // Keys compared with a source as a whole value (its peers) take its
    // value, but those the scope fixes or the principal decides.
    for (const auto& [source, value] : values) {
      auto peers = source_peers_.find(source);
      if (peers == source_peers_.end()) continue;
      for (const std::string& peer : peers->second) {
        auto k = keys_.find(peer);
        if (k == keys_.end() || k->second.fixed || values.count(peer) ||
            PrincipalKeyShapes(peer, session_name_)) {
          continue;
        }
        r.context[k->second.name] =
            ContextValue{{value}, k->second.multi_valued};
      }
    }
  }
  if (principal_.empty()) {
    std::string user_name = "leastpriv-witness";
    if (auto k = keys_.find("aws:username"); k != keys_.end()) {
      auto v = r.context.find(k->second.name);
      if (v != r.context.end() && !v->second.values.empty())
        user_name = v->second.values[0];
    }
    r.principal = WitnessPrincipal(resource, user, user_name);
  }
  return r;
}

}  // namespace leastpriv::analysis
