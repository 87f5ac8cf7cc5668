// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The operations an analysis finds, kept compactly while it runs: a large
// project finds tens of thousands, and most of their text (actions, files,
// tables, reasons) repeats. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_FOUND_OPERATIONS_H_
#define LEASTPRIV_LIB_PYSCAN_FOUND_OPERATIONS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "leastpriv/pyscan.h"

namespace leastpriv::pyscan {

class FoundOperations {
 public:
  FoundOperations() = default;
  FoundOperations(const FoundOperations&) = delete;
  FoundOperations& operator=(const FoundOperations&) = delete;

  // The fields of an operation (see Operation), viewed: Add keeps each
  // distinct text once and copies nothing else, so callers need build no
  // Operation of their own.
  struct Fields {
    std::string_view action;
    std::string_view operation;
    std::string_view table;
    bool table_is_pattern = false;
    std::string_view index;  // empty: none
    std::string_view file;
    int line = 0;
    bool uncertain = false;
    std::string_view reason;
    std::string_view table_template;
    const std::map<std::string, std::string>* table_defaults = nullptr;
    std::string_view table_source;
  };

  // Appends an operation; each distinct text, and each distinct
  // table_defaults, is kept once.
  void Add(const Fields& op);
  std::size_t size() const { return records_.size(); }
  // Marks the i-th operation added uncertain.
  void MarkUncertain(std::size_t i) { records_[i].uncertain = true; }
  // Sorts the operations by (file, line, action, table, index, operation,
  // uncertain, reason), texts compared as strings and no index as an empty
  // one, and keeps the first of those equal in all of these: what std::sort
  // and std::unique of the Operations with that key would keep, in the
  // same order, without comparing their texts.
  void SortUnique();
  // Appends them all to `out`, in the order added (or sorted), and forgets
  // them.
  void MoveTo(std::vector<Operation>* out);

 private:
  // A text or a table_defaults map, by its id in texts_ or defaults_.
  using Id = std::uint32_t;
  static constexpr Id kNoIndex = ~Id{0};
  // 44 bytes: tens of thousands of these are held until the scan ends.
  struct Record {
    Id action;
    Id operation;
    Id table;
    Id index;  // kNoIndex: none
    Id file;
    Id reason;
    Id table_template;
    Id table_source;
    Id defaults;  // 1 + its id in defaults_; 0: none
    int line;
    bool table_is_pattern;
    bool uncertain;
  };
  Id Keep(std::string_view text);
  Id KeepDefaults(const std::map<std::string, std::string>& defaults);

  // Each distinct text, with its id, and the texts by id.
  absl::node_hash_map<std::string, Id> text_ids_;
  std::vector<const std::string*> texts_;
  // Likewise the table_defaults maps, which repeat as the texts do.
  std::map<std::map<std::string, std::string>, Id> defaults_ids_;
  std::vector<const std::map<std::string, std::string>*> defaults_;
  std::vector<Record> records_;
};

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_FOUND_OPERATIONS_H_
