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

#include "absl/container/node_hash_set.h"
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

  // Appends an operation; each distinct text is kept once.
  void Add(const Fields& op);
  std::size_t size() const { return records_.size(); }
  // Marks the i-th operation added uncertain.
  void MarkUncertain(std::size_t i) { records_[i].uncertain = true; }
  // Appends them all to `out`, in the order added, and forgets them.
  void MoveTo(std::vector<Operation>* out);

 private:
  struct Record {
    const std::string* action;
    const std::string* operation;
    const std::string* table;
    const std::string* index;  // null: none
    const std::string* file;
    const std::string* reason;
    const std::string* table_template;
    const std::string* table_source;
    std::uint32_t defaults;  // 1 + its index in defaults_; 0: none
    int line;
    bool table_is_pattern;
    bool uncertain;
  };
  const std::string* Keep(std::string_view text);

  absl::node_hash_set<std::string> texts_;
  std::vector<Record> records_;
  std::vector<std::map<std::string, std::string>> defaults_;
};

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_FOUND_OPERATIONS_H_
