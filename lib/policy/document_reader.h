// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Reads one policy document object into a Policy, collecting every
// structural problem as a finding.

#ifndef LEASTPRIV_LIB_POLICY_DOCUMENT_READER_H_
#define LEASTPRIV_LIB_POLICY_DOCUMENT_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/finding.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"
#include "lib/policy/policy_reader.h"
#include "lib/policy/position_map.h"

namespace leastpriv::policy_internal {

// "object", "string", ...: the kind of `v` as messages name it.
std::string KindName(const json::Value& v);

// Reads one document object into a Policy, collecting problems.
class DocumentReader {
 public:
  DocumentReader(const PositionMap& map, const ParseOptions& options,
                 ReadResult& result)
      : map_(map), options_(options), result_(result) {}

  absl::Status Read(const json::Value& doc);

 private:
  SourcePos Pos(const json::Value& v) const {
    return map_.Map(v.line(), v.column());
  }
  SourcePos KeyPos(const json::Value& obj, std::size_t i) const {
    return map_.Map(obj.key_line(i), obj.key_column(i));
  }
  void Problem(FindingCode code, const SourcePos& pos, std::string message) {
    result_.problems.push_back(
        Finding{code, Severity::kError, std::move(message), pos});
  }
  void WrongType(std::string_view element, const json::Value& v,
                 std::string_view expected) {
    Problem(FindingCode::kInvalidType, Pos(v),
            absl::StrCat(Sv(element), " must be ", Sv(expected), ", found ",
                         KindName(v)));
  }
  absl::Status CheckString(const std::string& s, const json::Value& v);
  // String or array of strings; false when nothing usable.
  absl::Status ReadStringList(std::string_view element, const json::Value& v,
                              std::vector<PolicyString>& out, bool& ok);
  absl::Status ReadStatement(const json::Value& v, int index);
  absl::Status ReadPrincipal(std::string_view element, const json::Value& v,
                             PrincipalBlock& block, bool& ok);
  absl::Status ReadConditions(const json::Value& v, Statement& st, bool& ok);
  // An element or its Not- form (Action/NotAction, ...): the one given, or
  // null when neither is; when both are, a problem located at the Not- form,
  // `droppable` set and null.
  const json::Value* EitherElement(const json::Value* plain,
                                   const json::Value* negated,
                                   std::string_view name, FindingCode both,
                                   std::string_view where, bool& droppable);
  void UnknownElement(std::string_view where, const std::string& key,
                      const SourcePos& pos,
                      const std::vector<std::string_view>& known);

  const PositionMap& map_;
  const ParseOptions& options_;
  ReadResult& result_;
  std::size_t strings_ = 0;
};

}  // namespace leastpriv::policy_internal

#endif  // LEASTPRIV_LIB_POLICY_DOCUMENT_READER_H_
