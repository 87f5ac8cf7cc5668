// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/values.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leastpriv::pyscan {

void ScopeNames::Finish() {
  if (pending_ == nullptr) return;
  std::vector<std::pair<Name, Binding>>& pending = *pending_;
  std::stable_sort(
      pending.begin(), pending.end(),
      [](const std::pair<Name, Binding>& a, const std::pair<Name, Binding>& b) {
        return a.first < b.first;
      });
  index_.clear();
  bindings_.clear();
  bindings_.reserve(pending.size());
  for (const auto& [name, binding] : pending) {
    if (index_.empty() || index_.back().first != name) {
      index_.emplace_back(name, static_cast<std::uint32_t>(bindings_.size()));
    }
    bindings_.push_back(binding);
  }
  index_.shrink_to_fit();
  pending_.reset();
}

ScopeNames::Iterator ScopeNames::find(std::string_view name) const {
  auto it = std::lower_bound(index_.begin(), index_.end(), name,
                             [](const std::pair<Name, std::uint32_t>& e,
                                std::string_view n) { return e.first < n; });
  if (it == index_.end() || it->first != name) return end();
  const std::size_t next =
      it + 1 == index_.end() ? bindings_.size() : (it + 1)->second;
  return Iterator(Entry{it->first, Bindings(bindings_.data() + it->second,
                                            bindings_.data() + next)});
}

// The template of a string part (see Str::tmpl).
std::string TemplateOf(const Str& s) {
  if (!s.tmpl().empty()) return s.tmpl();
  switch (s.origin) {
    case Str::Origin::kLiteral: {
      std::string out;
      for (char c : s.text) {
        if (c == '{' || c == '}') out.push_back(c);
        out.push_back(c);
      }
      return out;
    }
    case Str::Origin::kEnv:
      return "{env:" + s.text + "}";
    case Str::Origin::kSettings:
      return "{settings:" + s.text + "}";
    case Str::Origin::kUnresolved:
      return "*";
  }
  return "*";
}

// Appends part `a` to the template being built in `into`.
void AppendTemplate(const Str& a, Str* into) {
  StrTemplate& t = into->mutable_template();
  t.tmpl += TemplateOf(a);
  for (const auto& [k, v] : a.defaults()) t.defaults.emplace(k, v);
  if (t.source.empty()) t.source = a.source();
}

// Drops a template that has no environment or settings part.
void FinishTemplate(Str* s) {
  if (s->tmpl().find("{env:") == std::string::npos &&
      s->tmpl().find("{settings:") == std::string::npos) {
    s->clear_template();
  }
}

}  // namespace leastpriv::pyscan
