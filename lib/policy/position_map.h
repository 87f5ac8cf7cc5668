// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Positions of a document held inside another: where in the file each
// (line, column) of an embedded policy document was written.

#ifndef LEASTPRIV_LIB_POLICY_POSITION_MAP_H_
#define LEASTPRIV_LIB_POLICY_POSITION_MAP_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leastpriv/policy.h"

namespace leastpriv::policy_internal {

// Maps (line, column) of a document to a position in the file. For a
// document decoded from a string literal, every byte of the decoded text
// knows the file column it came from.
class PositionMap {
 public:
  explicit PositionMap(std::string file) : file_(std::move(file)) {}

  static PositionMap Embedded(std::string file, int line, int fallback_column,
                              std::vector<int> columns,
                              std::string_view decoded) {
    PositionMap map(std::move(file));
    map.embedded_ = true;
    map.outer_line_ = line;
    map.fallback_column_ = fallback_column;
    map.columns_ = std::move(columns);
    map.line_starts_.push_back(0);
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      if (decoded[i] == '\n') map.line_starts_.push_back(i + 1);
    }
    return map;
  }

  SourcePos Map(int line, int column) const {
    if (!embedded_) return SourcePos{file_, line, column};
    SourcePos pos{file_, outer_line_, fallback_column_};
    if (line >= 1 && static_cast<std::size_t>(line) <= line_starts_.size() &&
        !columns_.empty()) {
      std::size_t offset = line_starts_[line - 1] + std::max(column - 1, 0);
      offset = std::min(offset, columns_.size() - 1);
      pos.column = columns_[offset];
    }
    return pos;
  }
  bool embedded() const { return embedded_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  bool embedded_ = false;
  int outer_line_ = 0;
  int fallback_column_ = 0;
  std::vector<int> columns_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace leastpriv::policy_internal

#endif  // LEASTPRIV_LIB_POLICY_POSITION_MAP_H_
