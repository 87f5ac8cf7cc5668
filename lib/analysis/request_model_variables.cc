// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// RequestModel: free policy variables, their sources and values.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>
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

namespace {

// An occurrence of a variable between the literal text `before` and the
// text `after`, whose '*' and '?' are wildcards when `wildcards` says so.
smt::VariableHost::Occurrence HostOccurrence(std::string before,
                                             const std::string& after,
                                             bool wildcards) {
  smt::VariableHost::Occurrence o;
  o.prefix = std::move(before);
  const std::size_t wild =
      wildcards ? after.find_first_of("*?") : std::string::npos;
  o.suffix = after.substr(0, wild);
  o.whole = wild == std::string::npos;
  return o;
}

}  // namespace

std::map<std::string, std::vector<std::string>> RequestModel::SourceValues(
    const AnalysisOptions& options) const {
  // At most this many classes of values per source; beyond, the source
  // stays approximate.
  constexpr std::size_t kMaxSourceClasses = 1024;
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& source : sources_) {
    if (exact_sources_.count(source)) continue;
    bool ok = true;
    std::map<std::string, smt::VariableHost> hosts;   // "" for resources
    std::map<std::string, std::set<bool>> host_case;  // host -> folds
    bool other_in_resources = false;
    for (const Policy* policy : policies_) {
      for (const Statement& st : policy->statements) {
        for (const PolicyString& r : st.resources) {
          auto s = FreeSource(*policy, r.text);
          if (!s.ok()) {
            ok &=
                absl::AsciiStrToLower(r.text).find(source) == std::string::npos;
            continue;
          }
          // Another free source's patterns would be constants here.
          if (!s->empty() && *s != source) other_in_resources = true;
          if (s->find('\n') != std::string::npos) {
            const std::vector<std::string> parts = SourceParts(*s);
            if (std::find(parts.begin(), parts.end(), source) != parts.end())
              ok = false;
          }
          if (*s != source) continue;
          auto at = SplitAtVariable(r.text, source);
          if (!at ||
              std::count(at->before.begin(), at->before.end(), ':') < 5) {
            ok = false;
            continue;
          }
          std::string prefix = at->before;
          for (int i = 0; i < 5; ++i)
            prefix = prefix.substr(prefix.find(':') + 1);
          if (prefix.find_first_of("*?") != std::string::npos) ok = false;
          hosts[""].occurrences.push_back(
              HostOccurrence(std::move(prefix), at->after, true));
          host_case[""].insert(false);
        }
        for (const Condition& c : st.conditions) {
          const std::string key = absl::AsciiStrToLower(c.key);
          for (const ConditionValue& v : c.values) {
            auto s = FreeSource(*policy, v.text);
            if (s.ok() && s->find('\n') != std::string::npos) {
              const std::vector<std::string> parts = SourceParts(*s);
              if (std::find(parts.begin(), parts.end(), source) != parts.end())
                ok = false;
            }
            if (!s.ok() || *s != source) continue;
            const ConditionOperator pos = eval::PositiveOperator(c.op, nullptr);
            auto at = SplitAtVariable(v.text, source);
            const bool string_op =
                FamilyOf(c.op) == ValueFamily::kString &&
                (pos == ConditionOperator::kStringEquals ||
                 pos == ConditionOperator::kStringLike ||
                 pos == ConditionOperator::kStringEqualsIgnoreCase);
            const auto k = keys_.find(key);
            if (!at || !string_op || key == source || sources_.count(key) ||
                k == keys_.end() || k->second.fixed ||
                !k->second.unsupported.empty() ||
                !resolved_.at(&c).problem.empty() ||
                (pos == ConditionOperator::kStringLike &&
                 at->before.find_first_of("*?") != std::string::npos)) {
              ok = false;
              continue;
            }
            hosts[key].occurrences.push_back(HostOccurrence(
                at->before, at->after, pos == ConditionOperator::kStringLike));
            host_case[key].insert(pos ==
                                  ConditionOperator::kStringEqualsIgnoreCase);
          }
        }
      }
    }
    if (!ok || hosts.empty() || (other_in_resources && hosts.count("")))
      continue;
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
          if (!r.source.empty() || !r.problem.empty())
            ok = false;  // another free source
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
            if (auto g = ValuePattern(pos, v))
              host.constants.push_back(std::move(*g));
          }
          if (c->op == ConditionOperator::kBool) {
            host.constants.push_back(TokenPattern::Literal("true", true));
            host.constants.push_back(TokenPattern::Literal("false", true));
          }
        }
      }
      // The same occurrence twice is one; one prefix of another is not
      // handled.
      std::set<smt::VariableHost::Occurrence> occurrences;
      std::set<std::string> prefixes;
      for (smt::VariableHost::Occurrence o : host.occurrences) {
        if (host.fold) {
          o.prefix = absl::AsciiStrToLower(o.prefix);
          o.suffix = absl::AsciiStrToLower(o.suffix);
        }
        prefixes.insert(o.prefix);
        occurrences.insert(std::move(o));
      }
      host.occurrences.assign(occurrences.begin(), occurrences.end());
      for (const std::string& a : prefixes) {
        for (const std::string& b : prefixes)
          ok &= a == b || !absl::StartsWith(b, a);
      }
    }
    // The source's own conditions.
    std::vector<TokenPattern> own;
    auto conditions = key_conditions_.find(source);
    if (conditions != key_conditions_.end()) {
      for (const Condition* c : conditions->second) {
        const ResolvedCondition& r = resolved_.at(c);
        if (!r.source.empty() || !r.problem.empty() ||
            (FamilyOf(c->op) != ValueFamily::kString &&
             c->op != ConditionOperator::kNull)) {
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
    auto values = smt::VariableValues(list, own, kMaxSourceClasses,
                                      options.max_automaton_states);
    if (values.ok()) out[source] = std::move(*values);
  }
  return out;
}

namespace {

// `text` with the variable of `source` (lower case) split out, every other
// variable read as '*': the text before its first occurrence and after it.
std::optional<Occurrence> SplitLoosely(const std::string& text,
                                       const std::string& source) {
  std::string before, after;
  bool found = false;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("${", i);
    std::string& out = found ? after : before;
    if (open == std::string::npos) {
      out += text.substr(i);
      break;
    }
    const size_t close = text.find('}', open);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    const std::string inner = text.substr(open + 2, close - open - 2);
    const std::string key = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
    if (key == source && !found) {
      found = true;
    } else {
      out += '*';
    }
    i = close + 1;
  }
  if (!found) return std::nullopt;
  return Occurrence{before, after};
}

// An occurrence's texts before and after the variable as StringLike
// patterns (lower case when compared ignoring case), and the pattern of
// the whole with the variable read as '*'.
// `before_tail` is the literal text after the last wildcard of `before`
// (a string it matches ends with it), `after_head` the literal text
// before the first wildcard of `after` (a string it matches starts with
// it).
struct InfixPatterns {
  bool fold = false;
  eval::GlobPattern before, after, whole;
  std::string before_tail, after_head;
};

InfixPatterns CompileInfixes(const Occurrence& at, bool fold) {
  auto text = [&](const std::string& s) {
    return fold ? absl::AsciiStrToLower(s) : s;
  };
  InfixPatterns out;
  out.fold = fold;
  const std::string before = text(at.before), after = text(at.after);
  out.before = eval::GlobPattern::Wildcards(before);
  out.after = eval::GlobPattern::Wildcards(after);
  out.whole = eval::GlobPattern::Wildcards(absl::StrCat(before, "*", after));
  const size_t last = before.find_last_of("*?");
  out.before_tail =
      last == std::string::npos ? before : before.substr(last + 1);
  out.after_head = after.substr(0, after.find_first_of("*?"));
  return out;
}

// The infixes v of `w` with w = b v a, the text before matching b and the
// text after matching a (as StringLike patterns, ignoring case when
// `fold`).
void Infixes(const InfixPatterns& at, std::string_view text,
             std::set<std::string>* out) {
  std::string lower;
  if (at.fold) lower = absl::AsciiStrToLower(std::string(text));
  const std::string_view w = at.fold ? std::string_view(lower) : text;
  auto matches = [](const eval::GlobPattern& pattern, std::string_view s) {
    return GlobMatch(pattern, s, GlobCase::kSensitive);
  };
  // w = b v a with v not empty matches before + '*' + after: one match
  // rules out most strings before the 2 |w| ones below.
  if (!matches(at.whole, w)) return;
  std::vector<size_t> starts, ends;
  const std::string_view tail = at.before_tail, head = at.after_head;
  for (size_t i = 0; i <= w.size(); ++i) {
    if (i >= tail.size() && w.substr(i - tail.size(), tail.size()) == tail &&
        matches(at.before, w.substr(0, i))) {
      starts.push_back(i);
    }
    if (w.substr(i, head.size()) == head && matches(at.after, w.substr(i))) {
      ends.push_back(i);
    }
  }
  for (size_t i : starts) {
    for (size_t j : ends) {
      if (j > i) out->insert(std::string(text.substr(i, j - i)));
    }
  }
}

// Variables in a word: the characters 1 to kMaxWordVariables stand for
// them, the others for themselves.
constexpr int kMaxWordVariables = 16;

bool IsWordVariable(char ch) { return ch >= 1 && ch <= kMaxWordVariables; }

// Values of the variables that make the words `a` and `b` equal (ignoring
// case when `fold`), at most `max` of them: every variable but one takes a
// non-empty substring of the words' literal text, and the last one, when
// it occurs once, what is left for it (otherwise a substring too). Solving
// word equations in general is much harder; these are the short solutions
// that policies' values ("pre-${tenant}" and "${tenant}-${team}": both
// "pre") have. Each solution maps the variable characters to values.
std::vector<std::map<char, std::string>> ShortWordSolutions(std::string a,
                                                            std::string b,
                                                            bool fold,
                                                            std::size_t max) {
  constexpr std::size_t kMaxSubstrings = 48, kMaxTries = 4096;
  std::vector<std::map<char, std::string>> out;
  if (fold) {
    a = absl::AsciiStrToLower(a);
    b = absl::AsciiStrToLower(b);
  }
  std::map<char, int> occurs;
  for (char ch : a + b) {
    if (IsWordVariable(ch)) ++occurs[ch];
  }
  if (occurs.empty() || a == b) return out;
  std::set<std::string> substrings;
  for (const std::string* w : {&a, &b}) {
    for (size_t i = 0; i < w->size(); ++i) {
      for (size_t j = i; j < w->size() && !IsWordVariable((*w)[j]); ++j)
        substrings.insert(w->substr(i, j - i + 1));
    }
  }
  std::vector<std::string> values(substrings.begin(), substrings.end());
  if (values.empty()) return out;
  if (values.size() > kMaxSubstrings) values.resize(kMaxSubstrings);
  // The variable left for last: one that occurs once.
  char last = 0;
  std::vector<char> chosen;
  for (const auto& [ch, n] : occurs) {
    if (n == 1 && last == 0) {
      last = ch;
    } else {
      chosen.push_back(ch);
    }
  }
  auto substitute = [](const std::string& w,
                       const std::map<char, std::string>& values) {
    std::string o;
    for (char ch : w) {
      auto it = values.find(ch);
      if (it == values.end()) {
        o += ch;
      } else {
        o += it->second;
      }
    }
    return o;
  };
  std::vector<size_t> at(chosen.size(), 0);
  for (size_t tries = 0; tries < kMaxTries && out.size() < max; ++tries) {
    std::map<char, std::string> given;
    for (size_t i = 0; i < chosen.size(); ++i) given[chosen[i]] = values[at[i]];
    std::string x = substitute(a, given), y = substitute(b, given);
    if (last != 0) {
      // x = before last after, y concrete (or the other way round).
      if (x.find(last) == std::string::npos) std::swap(x, y);
      const size_t i = x.find(last);
      const std::string before = x.substr(0, i), after = x.substr(i + 1);
      if (y.size() > before.size() + after.size() &&
          absl::StartsWith(y, before) && absl::EndsWith(y, after)) {
        given[last] =
            y.substr(before.size(), y.size() - before.size() - after.size());
        out.push_back(std::move(given));
      }
    } else if (x == y) {
      out.push_back(std::move(given));
    }
    // The next combination of substrings.
    size_t i = 0;
    while (i < at.size() && ++at[i] == values.size()) at[i++] = 0;
    if (i == at.size()) break;
  }
  return out;
}

}  // namespace

std::optional<eval::GlobPattern> RequestModel::LoosePattern(
    const Policy& policy, const std::string& text, const std::string& source,
    bool arn, const eval::GlobPattern* as, const std::string& part,
    bool text_literal) const {
  // The parts read as `as` and as '*'.
  constexpr char kAs = '\x01', kAny = '\x02';
  Request r = fixed_request_;
  for (const std::string& p : SourceParts(source)) {
    const bool read_as = as != nullptr && (part.empty() || p == part);
    r.context[keys_.at(p).name] =
        ContextValue{{std::string(1, read_as ? kAs : kAny)}, false};
  }
  std::optional<eval::GlobPattern> sub = eval::SubstituteVariables(text, r);
  if (!sub.has_value()) return std::nullopt;
  eval::GlobPattern out;
  int colons = 0;
  for (size_t i = 0; i < sub->text.size(); ++i) {
    const char ch = sub->text[i];
    if (ch == kAs || ch == kAny) {
      if (arn && colons < 5) return std::nullopt;
      if (ch == kAny) {
        out.Append("*", false);
      } else {
        for (size_t j = 0; j < as->text.size(); ++j) {
          out.Append(std::string_view(&as->text[j], 1), as->literal[j]);
        }
      }
      continue;
    }
    colons += ch == ':';
    out.Append(std::string_view(&sub->text[i], 1),
               text_literal || sub->literal[i]);
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, TokenPattern>>>
RequestModel::ShapedPatterns(const Policy& policy, const std::string& text,
                             const std::string& source) const {
  if (SourceParts(source).size() != 1) return std::nullopt;
  auto k = keys_.find(source);
  if (k == keys_.end() || !k->second.principal_key) return std::nullopt;
  const std::optional<PrincipalKeyShape> shape =
      PrincipalKeyShapes(source, session_name_);
  if (!shape) return std::nullopt;
  // The source read as a character no entry holds, then replaced by the
  // shape's tokens.
  constexpr char kMark = '\x03';
  const eval::GlobPattern mark =
      eval::GlobPattern::Literal(std::string(1, kMark));
  std::optional<eval::GlobPattern> read =
      LoosePattern(policy, text, source, /*arn=*/true, &mark);
  if (!read || TokenPattern::ArnMatchesNothing(read->text, read->literal))
    return std::nullopt;
  const TokenPattern marked = TokenPattern::Arn(read->text, read->literal);
  std::vector<std::pair<std::string, TokenPattern>> out;
  for (const auto& [kind, of] : {std::make_pair("user", &shape->user),
                                 std::make_pair("session", &shape->session)}) {
    if (!*of) continue;
    std::vector<smt::GlobToken> tokens;
    for (const smt::GlobToken& t : marked.tokens()) {
      if (t.kind == smt::GlobToken::Kind::kChar && t.ch == kMark) {
        tokens.insert(tokens.end(), (*of)->tokens().begin(),
                      (*of)->tokens().end());
      } else {
        tokens.push_back(t);
      }
    }
    out.emplace_back(kind, TokenPattern::FromTokens(std::move(tokens)));
  }
  return out;
}

namespace {

using EntryToken = RequestModel::EntryToken;

// `text`'s tokens; none when it holds no variable, or an unterminated one.
std::optional<std::vector<EntryToken>> EntryTokens(const std::string& text) {
  std::vector<EntryToken> out;
  bool variable = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) {
      const size_t close = text.find('}', i);
      if (close == std::string::npos) return std::nullopt;
      const std::string inner(
          absl::StripAsciiWhitespace(text.substr(i + 2, close - i - 2)));
      i = close;
      if (inner == "*" || inner == "?" || inner == "$") {
        out.push_back({EntryToken::kChar, inner[0], {}});
        continue;
      }
      const std::string key = absl::AsciiStrToLower(
          absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
      out.push_back({EntryToken::kVariable, 0, key});
      variable = true;
    } else if (text[i] == '*') {
      out.push_back({EntryToken::kStar, 0, {}});
    } else if (text[i] == '?') {
      out.push_back({EntryToken::kAny, 0, {}});
    } else {
      out.push_back({EntryToken::kChar, text[i], {}});
    }
  }
  if (!variable) return std::nullopt;
  return out;
}

// Enumerates the bindings of `tokens`' variables under which they match
// `s` (a '*' any run, a '?' one character), into `out` (distinct, at most
// `max`), within `steps` steps.
class BindingSearch {
 public:
  BindingSearch(const std::vector<EntryToken>& tokens, std::string_view s,
                std::size_t max,
                std::vector<std::map<std::string, std::string>>* out)
      : tokens_(tokens), s_(s), max_(max), out_(out) {}

  void Run() { Match(0, 0); }

 private:
  static constexpr std::size_t kSteps = 20000;

  bool Done() const { return out_->size() >= max_ || steps_ > kSteps; }

  void Match(size_t t, size_t i) {
    if (Done() || ++steps_ > kSteps) return;
    if (t == tokens_.size()) {
      if (i == s_.size() &&
          std::find(out_->begin(), out_->end(), bound_) == out_->end())
        out_->push_back(bound_);
      return;
    }
    const EntryToken& k = tokens_[t];
    switch (k.kind) {
      case EntryToken::kChar:
        if (i < s_.size() && s_[i] == k.c) Match(t + 1, i + 1);
        return;
      case EntryToken::kAny:
        if (i < s_.size()) Match(t + 1, i + 1);
        return;
      case EntryToken::kStar:
        for (size_t j = i; j <= s_.size() && !Done(); ++j) Match(t + 1, j);
        return;
      case EntryToken::kVariable: {
        auto it = bound_.find(k.source);
        if (it != bound_.end()) {
          if (s_.substr(i, it->second.size()) == it->second)
            Match(t + 1, i + it->second.size());
          return;
        }
        for (size_t j = i; j <= s_.size() && !Done(); ++j) {
          bound_[k.source] = std::string(s_.substr(i, j - i));
          Match(t + 1, j);
        }
        bound_.erase(k.source);
        return;
      }
    }
  }

  const std::vector<EntryToken>& tokens_;
  std::string_view s_;
  std::size_t max_;
  std::vector<std::map<std::string, std::string>>* out_;
  std::map<std::string, std::string> bound_;
  std::size_t steps_ = 0;
};

}  // namespace

std::vector<std::map<std::string, std::string>> RequestModel::ResourceBindings(
    const std::string& resource, std::size_t max) const {
  if (!binding_entries_) {
    binding_entries_.emplace();
    std::set<std::string> seen;
    for (const Policy* policy : policies_) {
      for (const Statement& st : policy->statements) {
        for (const PolicyString& r : st.resources) {
          if (!seen.insert(r.text).second) continue;
          auto source = FreeSource(*policy, r.text);
          if (!source.ok() || source->empty()) continue;
          auto tokens = EntryTokens(r.text);
          if (!tokens) continue;
          const std::vector<std::string> parts = SourceParts(*source);
          const bool free = std::all_of(
              tokens->begin(), tokens->end(), [&](const EntryToken& k) {
                return k.kind != EntryToken::kVariable ||
                       std::find(parts.begin(), parts.end(), k.source) !=
                           parts.end();
              });
          if (free) binding_entries_->push_back(*std::move(tokens));
        }
      }
    }
  }
  std::vector<std::map<std::string, std::string>> out;
  for (const std::vector<EntryToken>& entry : *binding_entries_) {
    if (out.size() >= max) break;
    BindingSearch(entry, resource, max, &out).Run();
  }
  return out;
}

std::map<std::string, std::vector<std::string>> RequestModel::SourceCandidates(
    std::size_t max_per_source, const std::vector<std::string>& seeds,
    bool every_source) const {
  std::map<std::string, std::set<std::string>> found, seeded;
  auto inexact = [&](const std::string& source) {
    std::vector<std::string> out;
    for (const std::string& part : SourceParts(source)) {
      if (every_source || !exact_sources_.count(part) ||
          SourceParts(source).size() > 1)
        out.push_back(part);
    }
    return out;
  };
  // Resource entries (source part, text before, text after) already seen:
  // the same one gives the same infixes.
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const Policy* policy : policies_) {
    for (const Statement& st : policy->statements) {
      for (const PolicyString& r : st.resources) {
        auto source = FreeSource(*policy, r.text);
        if (!source.ok()) continue;
        for (const std::string& part : inexact(*source)) {
          auto at = SplitLoosely(r.text, part);
          if (!at || !seen.emplace(part, at->before, at->after).second)
            continue;
          const InfixPatterns patterns = CompileInfixes(*at, false);
          std::set<std::string>& values = found[part];
          // (Without room for them, the witnesses' values are not
          // gathered.)
          for (size_t c = 0; c < resources_.size() && max_per_source > 0; ++c) {
            Infixes(patterns, resources_.at(c).witness, &values);
          }
          for (const std::string& w : seeds)
            Infixes(patterns, w, &seeded[part]);
        }
      }
      for (const Condition& c : st.conditions) {
        const std::string key = absl::AsciiStrToLower(c.key);
        auto k = keys_.find(key);
        if (k == keys_.end()) continue;
        const ConditionOperator pos = eval::PositiveOperator(c.op, nullptr);
        const bool fold = pos == ConditionOperator::kStringEqualsIgnoreCase;
        for (const ConditionValue& v : c.values) {
          auto source = FreeSource(*policy, v.text);
          if (!source.ok()) continue;
          for (const std::string& part : inexact(*source)) {
            auto at = SplitLoosely(v.text, part);
            if (!at) continue;
            std::vector<std::string> witnesses = k->second.witnesses;
            if (k->second.fixed) witnesses = *k->second.fixed;
            const InfixPatterns patterns = CompileInfixes(*at, fold);
            std::set<std::string>& values = found[part];
            if (max_per_source == 0) continue;
            for (const std::string& w : witnesses)
              Infixes(patterns, w, &values);
          }
        }
      }
    }
  }
  // A free source compared with a value of another one ("team" equal to
  // "pre-${tenant}"): its partition is built before the other's cases (see
  // FinishKeys), so it holds none of their values, and the case split pairs
  // a value of the other source with one of its own only by chance. Each
  // value the other source is tried with (its class witnesses, its
  // suggestions, its seeded values first), substituted in the condition's
  // value, is one more value to try.
  for (const auto& [key, conditions] : key_conditions_) {
    if (!sources_.count(key) || !keys_.count(key)) continue;
    if (!inexact(key).size()) continue;
    for (const Condition* c : conditions) {
      const ResolvedCondition& r = resolved_.at(c);
      if (r.source.empty() || !r.problem.empty() ||
          r.source.find('\n') != std::string::npos || r.source == key ||
          !keys_.count(r.source)) {
        continue;
      }
      const ConditionOperator pos = eval::PositiveOperator(c->op, nullptr);
      if (FamilyOf(c->op) != ValueFamily::kString ||
          (pos != ConditionOperator::kStringEquals &&
           pos != ConditionOperator::kStringLike &&
           pos != ConditionOperator::kStringEqualsIgnoreCase)) {
        continue;
      }
      const KeyModel& other = keys_.at(r.source);
      // The shortest string a substituted value matches.
      auto shortest = [&](const eval::GlobPattern& g) {
        if (pos != ConditionOperator::kStringLike) return g.text;
        std::string s;
        for (size_t i = 0; i < g.text.size(); ++i) {
          if (g.literal[i] || (g.text[i] != '*' && g.text[i] != '?')) {
            s += g.text[i];
          } else if (g.text[i] == '?') {
            s += 'a';
          }
        }
        return s;
      };
      // Compared ignoring case, the value in other cases too: a request
      // may need the two sources to differ in case only (an entry with
      // one of them, matched case-sensitively, must not match).
      auto derive = [&](const std::string& value, std::set<std::string>* to) {
        Request q = fixed_request_;
        q.context[other.name] = ContextValue{{value}, false};
        for (const ConditionValue& v : c->values) {
          auto sub = eval::SubstituteVariables(v.text, q);
          if (!sub) continue;
          const std::string text = shortest(*sub);
          to->insert(text);
          if (pos == ConditionOperator::kStringEqualsIgnoreCase) {
            to->insert(absl::AsciiStrToUpper(text));
            to->insert(absl::AsciiStrToLower(text));
          }
        }
      };
      for (const std::string& t : seeded[r.source]) derive(t, &seeded[key]);
      if (max_per_source == 0) continue;
      for (const std::string& t : other.witnesses) derive(t, &found[key]);
      if (auto more = found.find(r.source); more != found.end()) {
        for (const std::string& t : more->second) derive(t, &found[key]);
      }
    }
  }
  // Equality tests of one key with two values made of free sources (or
  // two resource entries): the short solutions of the two values' word
  // equation (see ShortWordSolutions), which the sources' classes hold
  // only by chance.
  std::map<std::string, std::set<std::string>> solved;
  if (max_per_source > 0) solved = EquationCandidates();
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [source, values] : solved) {
    if (!inexact(source).size()) continue;
    const std::vector<std::string>& have = keys_.at(source).witnesses;
    for (const std::string& v : values) {
      if (std::find(have.begin(), have.end(), v) == have.end())
        seeded[source].insert(v);
    }
    found[source];  // (the values are gathered from `found`'s sources)
  }
  for (auto& [source, values] : found) {
    const std::vector<std::string>& have = keys_.at(source).witnesses;
    std::vector<std::string> fresh;
    for (const std::string& v : values) {
      if (std::find(have.begin(), have.end(), v) == have.end())
        fresh.push_back(v);
    }
    // The shortest first: they are the most likely to be needed.
    std::stable_sort(fresh.begin(), fresh.end(),
                     [](const std::string& a, const std::string& b) {
                       return a.size() < b.size();
                     });
    if (fresh.size() > max_per_source) fresh.resize(max_per_source);
    std::vector<std::string> first;
    for (const std::string& v : seeded[source]) {
      if (std::find(have.begin(), have.end(), v) == have.end())
        first.push_back(v);
    }
    for (std::string& v : fresh) {
      if (!seeded[source].count(v)) first.push_back(std::move(v));
    }
    if (!first.empty()) out[source] = std::move(first);
  }
  return out;
}

std::map<std::string, std::set<std::string>> RequestModel::EquationCandidates()
    const {
  // At most this many values per source, solutions per pair of values and
  // pairs per key.
  constexpr std::size_t kMaxPerSource = 8, kMaxPerPair = 4, kMaxPairs = 256;
  std::map<std::string, char> variable;  // source -> its character
  for (const std::string& source : sources_) {
    if (variable.size() == kMaxWordVariables) break;
    variable.emplace(source, static_cast<char>(variable.size() + 1));
  }
  // `text` as a word (see ShortWordSolutions): without defaults, with
  // every source a variable and the resource part alone of an ARN, read
  // literally (a StringLike value with wildcards is no word).
  auto word = [&](const Policy& policy, const std::string& text, bool like,
                  bool arn) -> std::optional<std::string> {
    auto free = FreeSource(policy, text);
    if (!free.ok() || free->empty()) return std::nullopt;
    for (const VariableUse& use : VariablesIn(text)) {
      if (use.has_default) return std::nullopt;
    }
    Request r = fixed_request_;
    for (const std::string& part : SourceParts(*free)) {
      auto it = variable.find(part);
      if (it == variable.end()) return std::nullopt;
      r.context[keys_.at(part).name] =
          ContextValue{{std::string(1, it->second)}, false};
    }
    std::optional<eval::GlobPattern> sub = eval::SubstituteVariables(text, r);
    if (!sub) return std::nullopt;
    size_t from = 0;
    if (arn) {
      for (int colons = 0; colons < 5; ++colons) {
        from = sub->text.find(':', from);
        if (from == std::string::npos) return std::nullopt;
        ++from;
      }
    }
    std::string out;
    for (size_t i = from; i < sub->text.size(); ++i) {
      const char ch = sub->text[i];
      const bool marker = sub->literal[i] && IsWordVariable(ch);
      if (!marker && (IsWordVariable(ch) || ch == 0)) return std::nullopt;
      if ((like || arn) && !sub->literal[i] && (ch == '*' || ch == '?'))
        return std::nullopt;
      out += ch;
    }
    if (std::none_of(out.begin(), out.end(), IsWordVariable))
      return std::nullopt;
    return out;
  };
  // Per key ("" for resources), its words and whether they are compared
  // ignoring case.
  std::map<std::string, std::map<std::string, bool>> words;
  for (const Policy* policy : policies_) {
    for (const Statement& st : policy->statements) {
      for (const PolicyString& r : st.resources) {
        if (auto w = word(*policy, r.text, false, true)) words[""][*w] = false;
      }
      for (const Condition& c : st.conditions) {
        const ConditionOperator pos = eval::PositiveOperator(c.op, nullptr);
        if (FamilyOf(c.op) != ValueFamily::kString ||
            (pos != ConditionOperator::kStringEquals &&
             pos != ConditionOperator::kStringLike &&
             pos != ConditionOperator::kStringEqualsIgnoreCase)) {
          continue;
        }
        const bool fold = pos == ConditionOperator::kStringEqualsIgnoreCase;
        for (const ConditionValue& v : c.values) {
          auto w = word(*policy, v.text, pos == ConditionOperator::kStringLike,
                        false);
          if (!w) continue;
          words[absl::AsciiStrToLower(c.key)].emplace(*w, fold).first->second |=
              fold;
        }
      }
    }
  }
  std::vector<std::string> names(variable.size());
  for (const auto& [source, ch] : variable) names[ch - 1] = source;
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [key, of] : words) {
    std::size_t pairs = 0;
    for (auto a = of.begin(); a != of.end() && pairs < kMaxPairs; ++a) {
      for (auto b = std::next(a); b != of.end() && pairs < kMaxPairs; ++b) {
        ++pairs;
        for (const std::map<char, std::string>& solution : ShortWordSolutions(
                 a->first, b->first, a->second || b->second, kMaxPerPair)) {
          for (const auto& [ch, value] : solution) {
            std::set<std::string>& values = out[names[ch - 1]];
            if (values.size() < kMaxPerSource) values.insert(value);
          }
        }
      }
    }
  }
  return out;
}

absl::StatusOr<std::string> RequestModel::FreeSource(
    const Policy& policy, const std::string& text) const {
  if (!UsesVariables(policy, text)) return std::string();
  // A source fixed by the scope (present or absent) or multi-valued (never
  // substituted) gives a constant; ${*}, ${?} and ${$} are constants. At
  // other source is modelled, by a case split over its classes (several:
  // over the products of their classes).
  std::set<std::string> sources;
  for (const VariableUse& use : VariablesIn(text)) {
    const std::string& key = use.key;
    if (!use.has_default && (key == "*" || key == "?" || key == "$")) continue;
    const std::string lower = absl::AsciiStrToLower(key);
    auto it = keys_.find(lower);
    if (it != keys_.end() && (it->second.fixed || it->second.multi_valued))
      continue;
    const ConditionKeyInfo* info = FindConditionKey(key);
    if (it == keys_.end() && info != nullptr && info->multi_valued()) continue;
    if (!decide_free_ && !sources.empty() && !sources.count(lower)) {
      return absl::UnimplementedError(absl::StrCat(
          "\"", text,
          "\" uses two policy variables the scope leaves free (fix one of ",
          keys_.count(*sources.begin()) ? keys_.at(*sources.begin()).name
                                        : *sources.begin(),
          " and ", key, " in the scope context)"));
    }
    sources.insert(lower);
  }
  return absl::StrJoin(sources, "\n");
}

std::vector<std::string> RequestModel::SourceParts(const std::string& source) {
  if (source.empty()) return {};
  return absl::StrSplit(source, '\n');
}

bool RequestModel::ExactSource(const std::string& source) const {
  return source.empty() || exact_sources_.count(source) > 0;
}

std::optional<eval::GlobPattern> RequestModel::Substitute(
    const Policy& policy, const std::string& text, const std::string& source,
    int cls) const {
  if (!UsesVariables(policy, text)) return eval::GlobPattern::Wildcards(text);
  if (source.empty() || cls < 0)
    return eval::SubstituteVariables(text, fixed_request_);
  Request r = fixed_request_;
  // A compound source's case: one digit per part, 0 for absent, c + 1
  // for class c, the first part least significant.
  const std::vector<std::string> parts = SourceParts(source);
  int rest = cls;
  for (const std::string& part : parts) {
    const KeyModel& k = keys_.at(part);
    int digit = cls;
    if (parts.size() > 1) {
      const int n = static_cast<int>(k.witnesses.size()) + 1;
      digit = rest % n - 1;
      rest /= n;
      if (digit < 0) continue;
    }
    r.context[k.name] = ContextValue{{k.witnesses[digit]}, false};
  }
  return eval::SubstituteVariables(text, r);
}

std::vector<int> RequestModel::SourceCases(const std::string& source) const {
  if (source.empty()) return {kNoSource};
  const std::vector<std::string> parts = SourceParts(source);
  std::vector<int> out;
  if (parts.size() > 1) {
    size_t n = 1;
    for (const std::string& part : parts)
      n *= keys_.at(part).witnesses.size() + 1;
    for (size_t c = 0; c < n; ++c) out.push_back(static_cast<int>(c));
    return out;
  }
  out.push_back(kSourceAbsent);
  for (size_t c = 0; c < keys_.at(source).witnesses.size(); ++c) {
    out.push_back(static_cast<int>(c));
  }
  return out;
}

TermId RequestModel::SourceGuard(const std::string& source, int cls) {
  if (source.empty()) return factory_.True();
  if (const std::vector<std::string> parts = SourceParts(source);
      parts.size() > 1) {
    std::vector<TermId> guards;
    int rest = cls;
    for (const std::string& part : parts) {
      const int n = static_cast<int>(keys_.at(part).witnesses.size()) + 1;
      guards.push_back(SourceGuard(part, rest % n - 1));
      rest /= n;
    }
    return factory_.And(guards);
  }
  const KeyModel& k = keys_.at(source);
  const TermId present = factory_.BoolVar(k.present);
  if (exact_sources_.count(source)) {
    if (cls == kSourceAbsent) return factory_.Not(present);
    return factory_.And(
        present, factory_.InClasses(k.value, {static_cast<uint32_t>(cls)}));
  }
  approximate_ = true;
  approximate_reason_ = absl::StrCat(
      "policy variable ${", k.name,
      "} was tried only with one value per class of its own conditions (fix ",
      k.name, " in the scope context for an exact answer)");
  if (cls == kSourceAbsent) return factory_.Not(present);
  return factory_.And(
      present, factory_.InClasses(k.value, {static_cast<uint32_t>(cls)}));
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

std::vector<eval::GlobPattern> RequestModel::ResolvedCondition::AllPatterns()
    const {
  std::vector<eval::GlobPattern> out;
  for (const Case& c : cases)
    out.insert(out.end(), c.patterns.begin(), c.patterns.end());
  return out;
}

}  // namespace leastpriv::analysis
