// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RequestModel: the terms of statements and of whole policy sides.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <utility>

#include "absl/numeric/bits.h"
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

TermId RequestModel::ResourceTerm(size_t pattern) {
  auto [it, added] = resource_terms_.try_emplace(pattern, TermId{0});
  if (!added) return it->second;
  if (pattern_classes_.empty()) {
    // Every pattern's classes, in one pass over the classes' signatures.
    for (uint32_t c = 0; c < resources_.size(); ++c) {
      const smt::Signature& members = resources_.at(c).members;
      for (size_t w = 0; w < members.size(); ++w) {
        for (uint64_t bits = members[w]; bits != 0; bits &= bits - 1) {
          const size_t p = w * 64 + absl::countr_zero(bits);
          if (p >= pattern_classes_.size()) pattern_classes_.resize(p + 1);
          pattern_classes_[p].push_back(c);
        }
      }
    }
    pattern_classes_.resize(std::max<size_t>(pattern_classes_.size(), 1));
  }
  it->second =
      factory_.InClasses(resource_dim_, pattern < pattern_classes_.size()
                                            ? pattern_classes_[pattern]
                                            : std::vector<uint32_t>{});
  return it->second;
}

std::string RequestModel::SubstitutedKey(const std::string& text, int cls) {
  return absl::StrCat("sub", cls == kNoSource ? "" : std::to_string(cls), ":",
                      text);
}

absl::StatusOr<TermId> RequestModel::CompileStatement(
    const Statement& st, const Policy& policy, const ActionInfo& action,
    bool boundary_present, eval::PrincipalMatch* principal_match) {
  smt::TermFactory& f = factory_;
  const std::string name = action.qualified_name();
  bool any = false;
  for (const PolicyString& a : st.actions) {
    if (eval::ActionMatches(a.text, name)) {
      any = true;
      break;
    }
  }
  *principal_match = eval::PrincipalMatch::kNone;
  if (any == st.not_action) return f.False();
  // The rest does not depend on the action but through the condition keys
  // AWS never sends with it: compiled once per statement and such keys.
  std::vector<bool> absent;
  for (std::size_t i = 0; i < st.conditions.size(); ++i) {
    if (ActionSupportsConditionKey(action, st.conditions[i].key)) continue;
    absent.resize(st.conditions.size());
    absent[i] = true;
  }
  auto [it, added] =
      bodies_.try_emplace({&st, boundary_present, absent, over_});
  CompiledBody& body = it->second;
  if (added) {
    const bool approximate_before = approximate_;
    approximate_ = false;
    body.term = CompileStatementBody(st, policy, boundary_present, absent,
                                     &body.principal_match);
    body.approximate = approximate_;
    if (approximate_) body.approximate_reason = approximate_reason_;
    approximate_ |= approximate_before;
  } else if (body.approximate) {
    approximate_ = true;
    approximate_reason_ = body.approximate_reason;
  }
  *principal_match = body.principal_match;
  return body.term;
}

absl::StatusOr<TermId> RequestModel::CompileStatementBody(
    const Statement& st, const Policy& policy, bool boundary_present,
    const std::vector<bool>& absent, eval::PrincipalMatch* principal_match) {
  smt::TermFactory& f = factory_;
  std::string where = absl::StrCat(
      "statement ", st.index, st.sid ? absl::StrCat(" (", *st.sid, ")") : "",
      " of ", std::string(PolicyKindName(policy.kind)), " policy ",
      policy.name);
  // Principal/NotPrincipal count in resource-based policies and RCPs only.
  *principal_match = eval::PrincipalMatch::kWildcard;
  if ((policy.kind == PolicyKind::kResource ||
       policy.kind == PolicyKind::kRcp) &&
      st.principal.has_value()) {
    const PrincipalBlock& block = *st.principal;
    if (policy.kind == PolicyKind::kResource && block.negated &&
        st.effect == Effect::kDeny && boundary_present) {
      *principal_match = eval::PrincipalMatch::kWildcard;
    } else if (who_) {
      *principal_match = eval::MatchPrincipalBlock(block, *who_);
    } else {
      // No principal in the scope: only blocks that name everyone decide
      // the same way for every principal.
      bool everyone = false;
      for (const PrincipalEntry& e : block.entries) {
        everyone |= e.type == PrincipalType::kAny ||
                    (e.type == PrincipalType::kAws && e.value == "*");
      }
      if (!everyone) {
        return absl::UnimplementedError(absl::StrCat(
            where, ": ", block.negated ? "NotPrincipal" : "Principal",
            " depends on the principal (set the scope principal)"));
      }
      *principal_match = block.negated ? eval::PrincipalMatch::kNone
                                       : eval::PrincipalMatch::kWildcard;
    }
    if (*principal_match == eval::PrincipalMatch::kNone) return f.False();
  }
  std::vector<TermId> parts;
  if (st.has_resource) {
    std::vector<TermId> alts;
    for (const PolicyString& r : st.resources) {
      if (!UsesVariables(policy, r.text)) {
        if (TokenPattern::ArnMatchesNothing(r.text)) continue;
        alts.push_back(ResourceTerm(pattern_index_.at("raw:" + r.text)));
        continue;
      }
      auto source = FreeSource(policy, r.text);
      if (!source.ok()) {
        return absl::UnimplementedError(
            absl::StrCat(where, ": ", source.status().message()));
      }
      if (over_ && !ExactSource(*source)) {
        alts.push_back(OverResourceEntry(policy, r.text, *source));
        continue;
      }
      for (int cls : SourceCases(*source)) {
        std::optional<eval::GlobPattern> sub =
            Substitute(policy, r.text, *source, cls);
        TermId entry;
        if (!sub.has_value()) {
          // An unresolved variable: the entry matches no resource, in
          // Resource and NotResource alike.
          entry = f.False();
        } else if (TokenPattern::ArnMatchesNothing(sub->text, sub->literal)) {
          entry = f.False();
        } else {
          entry = ResourceTerm(pattern_index_.at(SubstitutedKey(r.text, cls)));
        }
        alts.push_back(f.And(SourceGuard(*source, cls), entry));
      }
    }
    TermId r = f.Or(alts);
    parts.push_back(st.not_resource ? f.Not(r) : r);
  }
  for (std::size_t i = 0; i < st.conditions.size(); ++i) {
    const Condition& c = st.conditions[i];
    if (!absent.empty() && absent[i]) {
      // AWS never sends this key with the action (as Evaluate reads it).
      parts.push_back(f.Bool(
          eval::ConditionHolds(c, Request{}, PolicyVariablesEnabled(policy))));
      continue;
    }
    auto t = CompileCondition(c);
    if (!t.ok()) {
      if (t.status().code() == absl::StatusCode::kUnimplemented) {
        return absl::UnimplementedError(
            absl::StrCat(where, ": ", t.status().message()));
      }
      return t.status();
    }
    parts.push_back(*t);
  }
  return f.And(parts);
}

TermId RequestModel::OverAtom(const std::string& key) {
  auto [it, added] = over_atoms_.try_emplace(key, 0);
  if (added)
    it->second = factory_.NewBoolVar(absl::StrCat("some value: ", key));
  return factory_.BoolVar(it->second);
}

TermId RequestModel::OverResourceEntry(const Policy& policy,
                                       const std::string& text,
                                       const std::string& source) {
  smt::TermFactory& f = factory_;
  const TermId atom_alone =
      OverAtom(absl::StrCat("the resource matches ", text));
  TermId atom = atom_alone;
  if (decide_free_) {
    OverContained(f.node(atom).var, policy, text, source);
    // A resource the entry matches is a valid ARN, which holds no '*':
    // neither do the values of the sources in it.
    if (over_no_star_.insert(f.node(atom).var).second) {
      for (const std::string& part : SourceParts(source)) {
        const TermId axiom = f.Implies(
            f.And({atom, f.BoolVar(keys_.at(part).present), ValidResource()}),
            NoStarIn(part));
        over_axioms_[f.node(atom).var].push_back(axiom);
      }
    }
  }
  // Only a resource the entry matches with the source read as '*'.
  if (auto loose = pattern_index_.find("loose:" + text);
      loose != pattern_index_.end()) {
    atom = f.And(atom, ResourceTerm(loose->second));
  }
  // A key the principal decides takes a value of the shape that kind of
  // principal sends (see PrincipalAxiom): the entry matches only inside
  // the entry read as that shape.
  if (auto k = keys_.find(source);
      k != keys_.end() && k->second.principal_key) {
    for (const auto& [kind, classes] :
         {std::make_pair("user", &k->second.user_classes),
          std::make_pair("session", &k->second.session_classes)}) {
      auto shaped =
          pattern_index_.find(absl::StrCat("shape:", kind, ":", text));
      if (shaped == pattern_index_.end() || classes->empty()) continue;
      atom =
          f.And(atom, f.Implies(f.And(f.BoolVar(k->second.present),
                                      f.InClasses(k->second.value, *classes)),
                                ResourceTerm(shaped->second)));
    }
  }
  // A part's value inside a pattern of its own conditions keeps the entry
  // inside that reading (see loose_own_).
  if (auto own = loose_own_.find(text); own != loose_own_.end()) {
    for (const LooseOwn& o : own->second) {
      const KeyModel& k = keys_.at(o.part);
      atom = f.And(atom, f.Implies(f.And(f.BoolVar(k.present),
                                         f.InClasses(k.value, o.inside)),
                                   ResourceTerm(o.pattern)));
      if (o.only) {
        atom =
            f.And(atom, f.Implies(f.And(f.BoolVar(k.present),
                                        f.Not(f.InClasses(k.value, o.inside))),
                                  f.Not(ResourceTerm(o.pattern))));
      }
    }
  }
  const std::vector<std::string> parts = SourceParts(source);
  if (parts.size() > 1) {
    // A part written without a default leaves the entry unresolved, and
    // matching nothing, when its key is absent.
    const std::vector<VariableUse> uses = VariablesIn(text);
    for (const std::string& part : parts) {
      const bool has_default =
          std::any_of(uses.begin(), uses.end(), [&](const VariableUse& u) {
            return u.has_default && absl::AsciiStrToLower(u.key) == part;
          });
      if (!has_default) atom = f.And(atom, f.BoolVar(keys_.at(part).present));
    }
    return atom;
  }
  // Absent, the source leaves a constant (or an unresolved variable).
  TermId absent = f.False();
  std::optional<eval::GlobPattern> sub =
      Substitute(policy, text, source, kSourceAbsent);
  if (sub.has_value() &&
      !TokenPattern::ArnMatchesNothing(sub->text, sub->literal)) {
    absent =
        ResourceTerm(pattern_index_.at(SubstitutedKey(text, kSourceAbsent)));
  }
  const KeyModel& k = keys_.at(source);
  // A class of one string alone substitutes exactly: the atom's value
  // there (an axiom, which keeps the entry exact in NotResource too).
  const int var = f.node(atom_alone).var;
  const bool tie = over_singletons_.insert(var).second &&
                   k.singletons.size() <= kMaxSingletonTies;
  for (uint32_t c : tie ? k.singletons : std::set<uint32_t>()) {
    TermId entry = f.False();
    if (auto index = pattern_index_.find(SubstitutedKey(text, c));
        index != pattern_index_.end()) {
      entry = ResourceTerm(index->second);
    } else if (auto sub = Substitute(policy, text, source, c);
               sub.has_value() &&
               !TokenPattern::ArnMatchesNothing(sub->text, sub->literal)) {
      continue;  // not expected: every class's entry is a pattern
    }
    const TermId when = f.And(f.BoolVar(k.present), f.InClasses(k.value, {c}));
    const TermId axiom = f.Implies(when, f.And(f.Implies(atom_alone, entry),
                                               f.Implies(entry, atom_alone)));
    over_axioms_[var].push_back(axiom);
  }
  const TermId present = f.BoolVar(k.present);
  return f.Or(f.And(f.Not(present), absent), f.And(present, atom));
}

TermId RequestModel::ValidResource() {
  if (!valid_resource_) {
    // (The shapes hold the scope's partition, region and account.)
    std::vector<TermId> shapes;
    const std::string given = absl::StrCat(partition_name_, region_, account_);
    for (const ResourceShape& shape : shapes_) {
      if (given.find('*') != std::string::npos) break;
      shapes.push_back(ResourceTerm(shape.pattern));
    }
    valid_resource_ = factory_.Or(shapes);
  }
  return *valid_resource_;
}

void RequestModel::OverContained(int atom, const Policy& policy,
                                 const std::string& text,
                                 const std::string& source) {
  for (const OverEntry& e : over_entries_) {
    if (e.atom == atom) return;
  }
  for (const VariableUse& use : VariablesIn(text)) {
    if (use.has_default) return;
  }
  OverEntry entry{atom, SourceParts(source), &policy,
                  text, std::nullopt,        std::nullopt};
  // The lengths of its resource part, when that holds every variable and
  // no wildcard (it then equals the resource part of a resource it
  // matches).
  if (entry.parts.size() <= 16) {
    Request r = fixed_request_;
    for (size_t i = 0; i < entry.parts.size(); ++i) {
      r.context[keys_.at(entry.parts[i]).name] =
          ContextValue{{std::string(1, static_cast<char>(1 + i))}, false};
    }
    if (std::optional<eval::GlobPattern> sub =
            eval::SubstituteVariables(text, r)) {
      ValueLength size, least;
      int colons = 0;
      bool plain = true, star = false;
      for (size_t i = 0; i < sub->text.size() && plain; ++i) {
        const char ch = sub->text[i];
        const bool marker =
            ch >= 1 && ch <= static_cast<char>(entry.parts.size());
        if (colons < 5) {
          colons += ch == ':';
          plain = !marker;
          continue;
        }
        if (marker) {
          ++size.counts[entry.parts[ch - 1]];
          ++least.counts[entry.parts[ch - 1]];
        } else if (!sub->literal[i] && ch == '*') {
          star = true;
        } else {
          // ('?' is one character.)
          ++least.length;
          if (!sub->literal[i] && ch == '?') star = true;
          ++size.length;
        }
      }
      if (plain && colons == 5) {
        if (!star) entry.size = size;
        if (star) entry.least = least;
      }
    }
  }
  // `a` with its parts that `b` lacks read as '*', and `b`, the parts they
  // share read as one marker: the same pattern when every resource `a`
  // matches, `b` matches too (for every value of the shared parts).
  auto inside = [&](const OverEntry& a, const OverEntry& b) {
    constexpr char kShared = '\x01', kAny = '\x02';
    for (const std::string& part : b.parts) {
      if (std::find(a.parts.begin(), a.parts.end(), part) == a.parts.end())
        return false;
    }
    auto read = [&](const OverEntry& x) {
      Request r = fixed_request_;
      for (const std::string& part : x.parts) {
        const bool shared =
            std::find(b.parts.begin(), b.parts.end(), part) != b.parts.end();
        r.context[keys_.at(part).name] =
            ContextValue{{std::string(1, shared ? kShared : kAny)}, false};
      }
      std::optional<eval::GlobPattern> sub =
          eval::SubstituteVariables(x.text, r);
      if (sub) {
        for (size_t i = 0; i < sub->text.size(); ++i) {
          if (sub->text[i] == kAny) {
            sub->text[i] = '*';
            sub->literal[i] = false;
          }
        }
      }
      return sub;
    };
    const std::optional<eval::GlobPattern> ra = read(a), rb = read(b);
    return ra && rb && ra->text == rb->text && ra->literal == rb->literal;
  };
  smt::TermFactory& f = factory_;
  auto tie = [&](const OverEntry& a, const OverEntry& b) {
    // While every part of `a` is present (it resolves), `b` does too.
    std::vector<TermId> when = {f.BoolVar(a.atom)};
    for (const std::string& part : a.parts)
      when.push_back(f.BoolVar(keys_.at(part).present));
    const TermId axiom = f.Implies(f.And(when), f.BoolVar(b.atom));
    over_axioms_[a.atom].push_back(axiom);
    over_axioms_[b.atom].push_back(axiom);
  };
  for (const OverEntry& other : over_entries_) {
    if (inside(entry, other)) tie(entry, other);
    if (inside(other, entry)) tie(other, entry);
    // Resource parts never equally long: no resource matches both.
    if ((entry.size && other.size &&
         NeverSameLength(*entry.size, *other.size)) ||
        (entry.size && other.least && Shorter(*entry.size, *other.least)) ||
        (other.size && entry.least && Shorter(*other.size, *entry.least))) {
      const TermId axiom =
          f.Not(f.And(f.BoolVar(entry.atom), f.BoolVar(other.atom)));
      over_axioms_[entry.atom].push_back(axiom);
      over_axioms_[other.atom].push_back(axiom);
    }
  }
  over_entries_.push_back(std::move(entry));
}

bool RequestModel::Shorter(const ValueLength& a, const ValueLength& b) {
  // a.length + sum a.counts[s] n_s < b.length + sum b.counts[s] n_s for
  // all lengths n_s >= 0.
  if (a.length >= b.length) return false;
  for (const auto& [source, n] : a.counts) {
    auto it = b.counts.find(source);
    if (it == b.counts.end() || it->second < n) return false;
  }
  return true;
}

absl::StatusOr<TermId> RequestModel::AllowedOver(const PolicySide& side,
                                                 const ActionInfo& action) {
  const bool approximate = approximate_;
  const std::string reason = approximate_reason_;
  over_ = true;
  auto t = Allowed(side, action);
  over_ = false;
  approximate_ = approximate;
  approximate_reason_ = reason;
  return t;
}

absl::StatusOr<TermId> RequestModel::Allowed(const PolicySide& side,
                                             const ActionInfo& action) {
  smt::TermFactory& f = factory_;
  if (side.kind == PolicySide::Kind::kAllowAll) return f.True();
  if (side.kind == PolicySide::Kind::kDenyAll) return f.False();
  const PolicySet& p = *side.policies;
  approximate_ = false;
  const bool boundary_present = p.boundary.has_value();
  std::vector<TermId> denies;
  auto group = [&](const std::vector<const Policy*>& policies)
      -> absl::StatusOr<TermId> {
    std::vector<TermId> allows;
    for (const Policy* policy : policies) {
      for (const Statement& st : policy->statements) {
        eval::PrincipalMatch pm;
        auto t = CompileStatement(st, *policy, action, boundary_present, &pm);
        if (!t.ok()) return t.status();
        (st.effect == Effect::kAllow ? allows : denies).push_back(*t);
      }
    }
    return f.Or(allows);
  };
  std::vector<TermId> conj;
  std::vector<const Policy*> identity;
  for (const Policy& x : p.identity) identity.push_back(&x);
  auto id = group(identity);
  if (!id.ok()) return id.status();
  TermId boundary_allows = f.True(), session_allows = f.True();
  if (p.boundary) {
    auto b = group({&*p.boundary});
    if (!b.ok()) return b.status();
    boundary_allows = *b;
  }
  if (p.session) {
    auto s = group({&*p.session});
    if (!s.ok()) return s.status();
    session_allows = *s;
  }
  for (const auto& levels : {&p.scp_levels, &p.rcp_levels}) {
    for (const auto& level : *levels) {
      std::vector<const Policy*> ps;
      for (const Policy& x : level) ps.push_back(&x);
      auto l = group(ps);
      if (!l.ok()) return l.status();
      conj.push_back(*l);
    }
  }
  const TermId identity_path = f.And({*id, boundary_allows, session_allows});
  // Resource-based policies (see Evaluate, steps 3 and 4): a same-account
  // grant suffices unless it names only the account, and is limited by the
  // boundary and session policy when it names the role; cross-account, any
  // grant needs the identity side too.
  std::vector<TermId> same_grants, any_grants;
  for (const auto& [key, list] : p.resource) {
    auto it = attached_classes_.find(key);
    const TermId attached = f.InClasses(
        resource_dim_,
        it == attached_classes_.end() ? std::vector<uint32_t>{} : it->second);
    for (const Policy& policy : list) {
      for (const Statement& st : policy.statements) {
        eval::PrincipalMatch pm;
        auto t = CompileStatement(st, policy, action, boundary_present, &pm);
        if (!t.ok()) return t.status();
        const TermId applies = f.And(attached, *t);
        if (st.effect == Effect::kDeny) {
          denies.push_back(applies);
          continue;
        }
        any_grants.push_back(applies);
        if (pm == eval::PrincipalMatch::kAccountLevel) continue;
        const bool to_role =
            pm == eval::PrincipalMatch::kSessionRole ||
            (who_ && who_->is_role && pm == eval::PrincipalMatch::kDirect);
        same_grants.push_back(
            to_role ? f.And({applies, boundary_allows, session_allows})
                    : applies);
      }
    }
  }
  const TermId same = f.InClasses(resource_dim_, same_account_classes_);
  conj.push_back(f.Or(f.And(same, f.Or(identity_path, f.Or(same_grants))),
                      f.And({f.Not(same), f.Or(any_grants), identity_path})));
  conj.push_back(f.Not(f.Or(denies)));
  TermId t = f.And(conj);
  // Scope facts fold in as constants.
  std::map<int, uint32_t> dims;
  std::map<int, bool> vars;
  std::vector<TermId> facts;
  for (const auto& [lower, fact] : scope_facts_) facts.push_back(fact);
  if (!facts.empty()) {
    // Facts are conjunctions of literals: read them off.
    for (const auto& [lower, k] : keys_) {
      if (!k.fixed) continue;
      vars[k.present] = !k.fixed->empty();
    }
    TermId all = f.And(facts);
    std::vector<TermId> lits = f.node(all).kind == smt::TermKind::kAnd
                                   ? f.node(all).kids
                                   : std::vector<TermId>{all};
    for (TermId l : lits) {
      bool positive = true;
      TermId a = l;
      if (f.node(a).kind == smt::TermKind::kNot) {
        positive = false;
        a = f.node(a).kids[0];
      }
      const smt::TermNode& n = f.node(a);
      if (n.kind == smt::TermKind::kBoolVar) vars[n.var] = positive;
      if (n.kind == smt::TermKind::kInClasses && positive)
        dims[n.var] = n.classes[0];
    }
    t = f.Substitute(t, dims, vars);
  }
  return t;
}

}  // namespace leastpriv::analysis
