// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/found_operations.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace leastpriv::pyscan {

FoundOperations::Id FoundOperations::Keep(std::string_view text) {
  // absl's string_view may not be std::string_view.
  absl::string_view key(text.data(), text.size());
  auto it = text_ids_.find(key);
  if (it == text_ids_.end()) {
    it = text_ids_.emplace(std::string(text), static_cast<Id>(texts_.size()))
             .first;
    texts_.push_back(&it->first);
  }
  return it->second;
}

FoundOperations::Id FoundOperations::KeepDefaults(
    const std::map<std::string, std::string>& defaults) {
  auto it = defaults_ids_.find(defaults);
  if (it == defaults_ids_.end()) {
    it = defaults_ids_.emplace(defaults, static_cast<Id>(defaults_.size()))
             .first;
    defaults_.push_back(&it->first);
  }
  return it->second;
}

void FoundOperations::Add(const Fields& op) {
  Record r;
  r.action = Keep(op.action);
  r.operation = Keep(op.operation);
  r.table = Keep(op.table);
  r.index = op.index.empty() ? kNoIndex : Keep(op.index);
  r.file = Keep(op.file);
  r.reason = Keep(op.reason);
  r.table_template = Keep(op.table_template);
  r.table_source = Keep(op.table_source);
  r.defaults = 0;
  if (op.table_defaults != nullptr && !op.table_defaults->empty()) {
    r.defaults = 1 + KeepDefaults(*op.table_defaults);
  }
  r.line = op.line;
  r.table_is_pattern = op.table_is_pattern;
  r.uncertain = op.uncertain;
  records_.push_back(r);
}

void FoundOperations::SortUnique() {
  // Each text's rank among the texts ordered as strings (from 1; no index
  // is 0, as the empty text would be: an empty index is none).
  std::vector<Id> by_text(texts_.size());
  for (Id i = 0; i < by_text.size(); ++i) by_text[i] = i;
  std::sort(by_text.begin(), by_text.end(),
            [&](Id a, Id b) { return *texts_[a] < *texts_[b]; });
  std::vector<Id> rank(texts_.size());
  for (Id r = 0; r < by_text.size(); ++r) rank[by_text[r]] = r + 1;
  // The sort key of each record, as numbers compared in turn.
  struct Key {
    std::uint64_t w[4];
    bool operator<(const Key& o) const {
      return std::lexicographical_compare(w, w + 4, o.w, o.w + 4);
    }
    bool operator==(const Key& o) const { return std::equal(w, w + 4, o.w); }
  };
  auto word = [](std::uint32_t hi, std::uint32_t lo) {
    return (std::uint64_t{hi} << 32) | lo;
  };
  std::vector<Key> keys(records_.size());
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const Record& r = records_[i];
    // A line as an unsigned number ordered as the signed one.
    const std::uint32_t line = static_cast<std::uint32_t>(r.line) ^ 0x80000000u;
    keys[i].w[0] = word(rank[r.file], line);
    keys[i].w[1] = word(rank[r.action], rank[r.table]);
    keys[i].w[2] =
        word(r.index == kNoIndex ? 0 : rank[r.index], rank[r.operation]);
    keys[i].w[3] = word(r.uncertain ? 1 : 0, rank[r.reason]);
  }
  // The records' positions sorted as the records would be: std::sort meets
  // the same comparisons whatever it moves.
  std::vector<std::uint32_t> order(records_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return keys[a] < keys[b];
  });
  order.erase(std::unique(order.begin(), order.end(),
                          [&](std::uint32_t a, std::uint32_t b) {
                            return keys[a] == keys[b];
                          }),
              order.end());
  std::vector<Record> sorted;
  sorted.reserve(order.size());
  for (std::uint32_t i : order) sorted.push_back(records_[i]);
  records_.swap(sorted);
}

void FoundOperations::MoveTo(std::vector<Operation>* out) {
  out->reserve(out->size() + records_.size());
  for (const Record& r : records_) {
    Operation op;
    op.action = *texts_[r.action];
    op.operation = *texts_[r.operation];
    op.table = *texts_[r.table];
    op.table_is_pattern = r.table_is_pattern;
    if (r.index != kNoIndex) op.index = *texts_[r.index];
    op.file = *texts_[r.file];
    op.line = r.line;
    op.uncertain = r.uncertain;
    op.reason = *texts_[r.reason];
    op.table_template = *texts_[r.table_template];
    if (r.defaults != 0) op.table_defaults = *defaults_[r.defaults - 1];
    op.table_source = *texts_[r.table_source];
    out->push_back(std::move(op));
  }
  std::vector<Record>().swap(records_);
  std::vector<const std::string*>().swap(texts_);
  absl::node_hash_map<std::string, Id>().swap(text_ids_);
  std::vector<const std::map<std::string, std::string>*>().swap(defaults_);
  std::map<std::map<std::string, std::string>, Id>().swap(defaults_ids_);
}

}  // namespace leastpriv::pyscan
