// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// A small positioned document tree that both YAML and JSON templates are
// read into, so that intrinsic functions are resolved by one code path, and
// the bridge from that tree to the policy reader of lib/policy.

#ifndef LEASTPRIV_LIB_IAC_TREE_H_
#define LEASTPRIV_LIB_IAC_TREE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/iac.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"

namespace leastpriv::iac_internal {

struct Node {
  enum class Kind { kNull, kString, kNumber, kBool, kList, kMap };
  Kind kind = Kind::kNull;
  std::string text;  // scalars: the value as written ("true", "10", "abc")
  std::vector<Node> items;                            // kList
  std::vector<std::pair<std::string, Node>> members;  // kMap, source order
  std::vector<SourcePos> key_pos;                     // kMap, per member
  SourcePos pos;

  bool is_map() const { return kind == Kind::kMap; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_scalar() const {
    return kind == Kind::kString || kind == Kind::kNumber ||
           kind == Kind::kBool;
  }
  // The member named `key`, or nullptr.
  const Node* Find(std::string_view key) const;
  // "Fn::Sub" when this is a one-member map whose key is an intrinsic
  // function name ("Ref", "Condition", or "Fn::..."), else "".
  std::string IntrinsicName() const;

  static Node String(std::string s, SourcePos pos);
};

// Reads a JSON value into a tree (positions of values and keys kept).
Node FromJson(const json::Value& v, const std::string& file);

// Parses YAML. Short-form tags become their long form: `!Sub x` is read as
// {"Fn::Sub": x}, `!Ref x` as {"Ref": x}, `!Condition x` as
// {"Condition": x}, any other `!Name x` as {"Fn::Name": x}. Plain scalars
// that are YAML null/bool/number are typed; quoted scalars are strings.
// Errors: InvalidArgument "file:line:col: message" for malformed YAML and
// for limits.max_depth / max_nodes (aliases count on every expansion).
absl::StatusOr<Node> ParseYaml(std::string_view text, const std::string& file,
                               const IacLimits& limits);

// Parses a template as JSON when its first non-blank byte is '{', else as
// YAML. Errors as above; limits.max_bytes is checked first.
absl::StatusOr<Node> ParseTemplate(std::string_view text,
                                   const std::string& file,
                                   const IacLimits& limits);

// The tree as a json::Value, values positioned (the policy reader maps
// positions through it).
json::Value ToJson(const Node& node);

// Reads the policy document `doc` (an object, or a string holding JSON)
// with the policy reader of lib/policy and fills out.policy / problems.
// `source_text` is the text `doc` was read from when it was parsed as JSON
// (positions inside embedded strings are then mapped exactly), else empty.
// Condition key positions, which a constructed json::Value lacks, are taken
// from the tree. Errors: unusable documents ("file:line:col: message").
absl::Status ReadDocument(const Node& doc, std::string_view source_text,
                          const std::string& file, PolicyKind kind,
                          ExtractedPolicy& out);

// Same for a document already held as a json::Value parsed from
// `source_text` (Terraform plans).
absl::Status ReadJsonDocument(const json::Value& doc,
                              std::string_view source_text,
                              const std::string& file, PolicyKind kind,
                              ExtractedPolicy& out);

// "file:line:col: message" as InvalidArgument.
absl::Status ErrorAt(const SourcePos& pos, std::string_view message);

}  // namespace leastpriv::iac_internal

#endif  // LEASTPRIV_LIB_IAC_TREE_H_
