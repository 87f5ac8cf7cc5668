// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/value_lists.h"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/hash/hash.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

namespace {

bool SameStr(const Str& a, const Str& b) {
  return a.origin == b.origin && a.text == b.text && a.pattern == b.pattern &&
         a.note == b.note && a.tmpl() == b.tmpl() &&
         a.defaults() == b.defaults() && a.source() == b.source();
}

bool Same(const Value& a, const Value& b) {
  return a.kind == b.kind && SameStr(a.str, b.str) && a.name == b.name &&
         a.scope == b.scope && a.expr == b.expr && a.site == b.site &&
         a.site_scope == b.site_scope && a.reason == b.reason;
}

bool SameList(const std::vector<Value>& a, const std::vector<Value>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!Same(a[i], b[i])) return false;
  }
  return true;
}

// Equal lists hash alike (the environment defaults are left out).
std::size_t HashList(const std::vector<Value>& values) {
  std::size_t h = absl::HashOf(values.size());
  for (const Value& v : values) {
    h = absl::HashOf(h, v.kind, v.str.origin, v.str.text, v.str.pattern,
                     v.str.note, v.str.tmpl(), v.str.source(), v.name, v.scope,
                     v.expr, v.site, v.site_scope, v.reason);
  }
  return h;
}

}  // namespace

std::size_t ValueListHash::operator()(const std::vector<Value>& values) const {
  return HashList(values);
}

bool ValueListEqual::operator()(const std::vector<Value>& a,
                                const std::vector<Value>& b) const {
  return SameList(a, b);
}

}  // namespace leastpriv::pyscan
