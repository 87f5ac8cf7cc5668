// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Lists kept once each, named by a 32-bit id: the abstract values that are
// the storage of the analysis's memo, and call-site targets. Private to
// lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_
#define LEASTPRIV_LIB_PYSCAN_VALUE_LISTS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

// Lists kept once each, named by a 32-bit id: equal lists (by `Equal`,
// hashed alike by `Hash`) get one id.
template <typename T, typename Hash, typename Equal>
class InternedLists {
 public:
  InternedLists() : ids_(0, IdHash{this}, IdEqual{this}) {}
  // The set's functors point here.
  InternedLists(const InternedLists&) = delete;
  InternedLists& operator=(const InternedLists&) = delete;

  // The id of the list equal to `list`, added when new.
  std::uint32_t Intern(const std::vector<T>& list) {
    const std::size_t h = Hash()(list);
    auto it = ids_.find(Probe{&list, h});
    if (it != ids_.end()) return *it;
    const auto id = static_cast<std::uint32_t>(lists_.size());
    lists_.push_back(list);
    hashes_.push_back(h);
    ids_.insert(id);
    return id;
  }

  const std::vector<T>& Get(std::uint32_t id) const { return lists_[id]; }

  std::size_t size() const { return lists_.size(); }

 private:
  // A list looked for, with its hash.
  struct Probe {
    const std::vector<T>* list;
    std::size_t hash;
  };
  // Ids hash as their lists did when added (hashes_).
  struct IdHash {
    using is_transparent = void;
    const InternedLists* lists;
    std::size_t operator()(std::uint32_t id) const {
      return lists->hashes_[id];
    }
    std::size_t operator()(const Probe& p) const { return p.hash; }
  };
  struct IdEqual {
    using is_transparent = void;
    const InternedLists* lists;
    bool operator()(std::uint32_t a, std::uint32_t b) const { return a == b; }
    bool operator()(std::uint32_t a, const Probe& p) const {
      return lists->hashes_[a] == p.hash && Equal()(lists->lists_[a], *p.list);
    }
    bool operator()(const Probe& p, std::uint32_t a) const {
      return (*this)(a, p);
    }
  };

  std::vector<std::vector<T>> lists_;
  std::vector<std::size_t> hashes_;  // of lists_
  absl::flat_hash_set<std::uint32_t, IdHash, IdEqual> ids_;
};

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
