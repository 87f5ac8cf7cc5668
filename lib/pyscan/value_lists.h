// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Lists of abstract values kept once each, named by a 32-bit id: the
// storage of the analysis's memo. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_
#define LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

// Memo answers repeat: across a project, hundreds of thousands of
// expressions evaluate to a few thousand distinct lists (the same client,
// table, function or unknown reason). Each distinct list is kept once.
class ValueLists {
 public:
  // The id of the list equal to `values` (every field of every value,
  // scopes and expressions by identity), added when new.
  std::uint32_t Intern(const std::vector<Value>& values);

  const std::vector<Value>& Get(std::uint32_t id) const { return lists_[id]; }

  std::size_t size() const { return lists_.size(); }

 private:
  std::vector<std::vector<Value>> lists_;
  std::unordered_multimap<std::size_t, std::uint32_t> by_hash_;
};

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_
