// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/found_operations.h"

#include <utility>

#include "absl/strings/string_view.h"

namespace leastpriv::pyscan {

const std::string* FoundOperations::Keep(std::string_view text) {
  // absl's string_view may not be std::string_view.
  absl::string_view key(text.data(), text.size());
  auto it = texts_.find(key);
  if (it == texts_.end()) it = texts_.emplace(text).first;
  return &*it;
}

void FoundOperations::Add(const Fields& op) {
  Record r;
  r.action = Keep(op.action);
  r.operation = Keep(op.operation);
  r.table = Keep(op.table);
  r.index = op.index.empty() ? nullptr : Keep(op.index);
  r.file = Keep(op.file);
  r.reason = Keep(op.reason);
  r.table_template = Keep(op.table_template);
  r.table_source = Keep(op.table_source);
  r.defaults = 0;
  if (op.table_defaults != nullptr && !op.table_defaults->empty()) {
    defaults_.push_back(*op.table_defaults);
    r.defaults = static_cast<std::uint32_t>(defaults_.size());
  }
  r.line = op.line;
  r.table_is_pattern = op.table_is_pattern;
  r.uncertain = op.uncertain;
  records_.push_back(r);
}

void FoundOperations::MoveTo(std::vector<Operation>* out) {
  out->reserve(out->size() + records_.size());
  for (const Record& r : records_) {
    Operation op;
    op.action = *r.action;
    op.operation = *r.operation;
    op.table = *r.table;
    op.table_is_pattern = r.table_is_pattern;
    if (r.index != nullptr) op.index = *r.index;
    op.file = *r.file;
    op.line = r.line;
    op.uncertain = r.uncertain;
    op.reason = *r.reason;
    op.table_template = *r.table_template;
    if (r.defaults != 0)
      op.table_defaults = std::move(defaults_[r.defaults - 1]);
    op.table_source = *r.table_source;
    out->push_back(std::move(op));
  }
  std::vector<Record>().swap(records_);
  std::vector<std::map<std::string, std::string>>().swap(defaults_);
  absl::node_hash_set<std::string>().swap(texts_);
}

}  // namespace leastpriv::pyscan
