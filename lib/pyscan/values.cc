// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/values.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace leastpriv::pyscan {

ScopeNames::~ScopeNames() {
  if (block_ == nullptr) return;
  static_assert(std::is_trivially_destructible_v<Binding> &&
                    std::is_trivially_destructible_v<Name>,
                "the block is freed without destroying its elements");
  ::operator delete(block_);
}

void ScopeNamesBuilder::Finish() {
  // By scope, then by name; each name's bindings in the order added.
  std::sort(pending_.begin(), pending_.end(),
            [](const Pending& a, const Pending& b) {
              if (a.owner != b.owner) {
                return std::less<const ScopeNames*>()(a.owner, b.owner);
              }
              if (a.key != b.key) return a.key < b.key;
              if (a.name != b.name) return a.name < b.name;
              return a.order < b.order;
            });
  using Block = ScopeNames::Block;
  for (std::size_t first = 0, last = 0; first < pending_.size(); first = last) {
    ScopeNames* owner = pending_[first].owner;
    std::size_t names = 0;
    for (last = first; last < pending_.size() && pending_[last].owner == owner;
         ++last) {
      if (last == first || pending_[last - 1].name != pending_[last].name) {
        ++names;
      }
    }
    if (owner->block_ != nullptr) ::operator delete(owner->block_);
    Block* block = static_cast<Block*>(
        ::operator new(ScopeNames::BlockBytes(names, last - first)));
    block->names = static_cast<std::uint32_t>(names);
    block->bindings = static_cast<std::uint32_t>(last - first);
    std::uint64_t* keys = reinterpret_cast<std::uint64_t*>(block + 1);
    Name* binding_names = reinterpret_cast<Name*>(keys + (last - first));
    Binding* bindings =
        reinterpret_cast<Binding*>(binding_names + (last - first));
    for (std::size_t i = first; i < last; ++i) {
      keys[i - first] = pending_[i].key;
      new (&binding_names[i - first]) Name(pending_[i].name);
      new (&bindings[i - first]) Binding(pending_[i].binding);
    }
    owner->block_ = block;
  }
  pending_.clear();
}

ScopeNames::Iterator ScopeNames::find(std::string_view name) const {
  if (block_ == nullptr) return end();
  const std::uint64_t* keys = this->keys();
  const Name* first = binding_names();
  const Name* last = first + block_->bindings;
  // Names ordered as strings are (bytes compared unsigned): most steps of
  // the search are decided by the keys, without reading the names.
  const std::uint64_t key = Key(name);
  std::size_t lo = 0;
  std::size_t n = block_->bindings;
  while (n > 0) {
    const std::size_t half = n / 2;
    const std::size_t mid = lo + half;
    const bool less = keys[mid] != key
                          ? keys[mid] < key
                          : std::string_view(first[mid].str()) < name;
    if (less) {
      lo = mid + 1;
      n -= half + 1;
    } else {
      n = half;
    }
  }
  const Name* from = first + lo;
  if (from == last || keys[lo] != key || *from != name) return end();
  // A name's bindings are next to one another, and mostly one: equal
  // names are most often the same interned text (compared by pointer).
  const Name* to = from + 1;
  while (to != last && *to == *from) ++to;
  return Iterator(Entry{
      *from, Bindings(bindings() + (from - first), bindings() + (to - first))});
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
