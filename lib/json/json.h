// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A strict JSON (RFC 8259) reader that keeps the source position of every
// value, and a writer. Policies, request files, configs, CloudFormation and
// Terraform JSON are all read through it, so every later diagnostic can
// point at a line and column. Untrusted input is bounded by JsonLimits.

#ifndef LEASTPRIV_LIB_JSON_JSON_H_
#define LEASTPRIV_LIB_JSON_JSON_H_

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace leastpriv::json {

// Hard ceiling on nesting depth whatever JsonLimits::max_depth says, so that
// recursive consumers of a parsed Value (Serialize, destructors) stay within
// the call stack.
inline constexpr int kMaxSupportedDepth = 10000;

// Bounds applied to untrusted input; exceeding one is an InvalidArgument
// error that names the limit ("max_bytes", "max_depth", "max_values").
struct JsonLimits {
  // Whole input, in bytes.
  std::size_t max_bytes = 64u << 20;
  // Containers nested inside each other ("[[1]]" has depth 2). Values above
  // kMaxSupportedDepth are treated as kMaxSupportedDepth.
  int max_depth = 64;
  // Values of any kind, containers included.
  std::size_t max_values = 4u << 20;
};

class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Value>;

  Value() = default;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  // REQUIRES: the matching kind.
  bool bool_value() const { return bool_; }
  // Numbers keep their source text ("1.50e3") as well as a double.
  double number_value() const { return number_; }
  const std::string& number_text() const { return text_; }
  const std::string& string_value() const { return text_; }
  const std::vector<Value>& array() const { return array_; }
  // Members in source order. Duplicate keys are rejected by Parse.
  const std::vector<Member>& object() const { return object_; }

  // The member named `key` (exact match), or nullptr.
  const Value* Find(std::string_view key) const;
  // Position of the value's first character (line/column from 1).
  int line() const { return line_; }
  int column() const { return column_; }
  // For object members: position of the member's key is the key value's
  // position; see KeyLine/KeyColumn.
  int key_line(std::size_t member_index) const;
  int key_column(std::size_t member_index) const;

  // Builders, for tests and for code that constructs documents.
  static Value Null();
  static Value Bool(bool b);
  static Value Number(double d);
  static Value NumberText(std::string text);  // REQUIRES: valid JSON number
  static Value String(std::string s);
  static Value Array(std::vector<Value> items);
  static Value Object(std::vector<Member> members);
  void set_position(int line, int column) {
    line_ = line;
    column_ = column;
  }

  // "null", "boolean", "number", "string", "array", "object".
  static std::string_view KindName(Kind kind);

 private:
  friend class Parser;
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string text_;
  std::vector<Value> array_;
  std::vector<Member> object_;
  std::vector<std::pair<int, int>> key_pos_;
  int line_ = 0;
  int column_ = 0;
};

// Parses `text` as one JSON value. Errors are InvalidArgument with
// "line:col: message" (e.g. "3:14: expected ',' or '}' after object member").
// Rejects: trailing content, invalid UTF-8, lone surrogates in escapes,
// control characters in strings, duplicate object keys, nesting deeper than
// limits.max_depth, input larger than limits.max_bytes. A leading UTF-8 byte
// order mark is skipped. Columns count bytes. Never recurses: a deeply
// nested input gives an error, not a stack overflow.
absl::StatusOr<Value> Parse(std::string_view text,
                            const JsonLimits& limits = JsonLimits());

// Serialises `value`. indent < 0: compact; otherwise pretty with that many
// spaces per level. Object members keep their order. Strings are escaped as
// RFC 8259 requires (quote, backslash, control characters); other bytes,
// including UTF-8 sequences, are written as they are. Numbers are written
// with their source text.
std::string Serialize(const Value& value, int indent = 2);

// `s` as a JSON string literal, with quotes.
std::string Quote(std::string_view s);

}  // namespace leastpriv::json

#endif  // LEASTPRIV_LIB_JSON_JSON_H_
