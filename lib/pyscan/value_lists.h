// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Lists kept once each, named by a 32-bit id: the abstract values that are
// the storage of the analysis's memo, and call-site targets. Private to
// lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_
#define LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

// Lists kept once each, named by a 32-bit id: equal lists (by `Equal`,
// hashed alike by `Hash`) get one id.
template <typename T, typename Hash, typename Equal>
class InternedLists {
 public:
  // The id of the list equal to `list`, added when new.
  std::uint32_t Intern(const std::vector<T>& list) {
    const std::size_t h = Hash()(list);
    auto [first, last] = by_hash_.equal_range(h);
    for (auto it = first; it != last; ++it) {
      if (Equal()(lists_[it->second], list)) return it->second;
    }
    const auto id = static_cast<std::uint32_t>(lists_.size());
    lists_.push_back(list);
    by_hash_.emplace(h, id);
    return id;
  }

  const std::vector<T>& Get(std::uint32_t id) const { return lists_[id]; }

  std::size_t size() const { return lists_.size(); }

 private:
  std::vector<std::vector<T>> lists_;
  std::unordered_multimap<std::size_t, std::uint32_t> by_hash_;
};

// Equality of value lists: every field of every value, scopes and
// expressions by identity; equal lists hash alike.
struct ValueListHash {
  std::size_t operator()(const std::vector<Value>& values) const;
};
struct ValueListEqual {
  bool operator()(const std::vector<Value>& a,
                  const std::vector<Value>& b) const;
};

// Memo answers repeat: across a project, hundreds of thousands of
// expressions evaluate to a few thousand distinct lists (the same client,
// table, function or unknown reason). Each distinct list is kept once.
using ValueLists = InternedLists<Value, ValueListHash, ValueListEqual>;

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_
