// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/found_operations.h"

#include <utility>

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
