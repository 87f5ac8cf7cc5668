// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/iac/tree.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/policy/policy_reader.h"
#include "yaml-cpp/yaml.h"

namespace leastpriv::iac_internal {
namespace {

absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

bool IsYamlNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  // Only what JSON also calls a number: no hex, inf, nan or leading '+'.
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' ||
          c == 'E' || c == '+')) {
      return false;
    }
  }
  return s[0] != '+' && s[0] != '.';
}

class YamlReader {
 public:
  YamlReader(std::string file, const IacLimits& limits)
      : file_(std::move(file)), limits_(limits) {}

  absl::Status Convert(const YAML::Node& y, int depth, Node& out) {
    out.pos = Pos(y.Mark());
    if (++nodes_ > limits_.max_nodes) {
      return ErrorAt(
          out.pos,
          absl::StrCat("template expands to more than ", limits_.max_nodes,
                       " nodes (max_nodes); YAML aliases are "
                       "counted each time they are used"));
    }
    if (depth > limits_.max_depth) {
      return ErrorAt(out.pos,
                     absl::StrCat("nesting deeper than ", limits_.max_depth,
                                  " levels (max_depth)"));
    }
    const std::string& tag = y.Tag();
    if (tag.size() > 1 && tag[0] == '!' && tag[1] != '!' &&
        tag.find(':') == std::string::npos) {
      // Short-form intrinsic: wrap the untagged value.
      std::string name = tag.substr(1);
      if (name != "Ref" && name != "Condition") name = "Fn::" + name;
      Node inner;
      if (absl::Status s = ConvertUntagged(y, depth + 1, inner); !s.ok()) {
        return s;
      }
      out.kind = Node::Kind::kMap;
      out.members.emplace_back(std::move(name), std::move(inner));
      out.key_pos.push_back(out.pos);
      return absl::OkStatus();
    }
    return ConvertUntagged(y, depth, out);
  }

 private:
  SourcePos Pos(const YAML::Mark& m) const {
    if (m.is_null()) return SourcePos{file_, 0, 0};
    return SourcePos{file_, m.line + 1, m.column + 1};
  }

  absl::Status ConvertUntagged(const YAML::Node& y, int depth, Node& out) {
    out.pos = Pos(y.Mark());
    switch (y.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = Node::Kind::kNull;
        return absl::OkStatus();
      case YAML::NodeType::Scalar: {
        out.text = y.Scalar();
        out.kind = Node::Kind::kString;
        if (y.Tag() == "?") {  // plain scalar: YAML core schema types
          const std::string& s = out.text;
          if (s == "true" || s == "True" || s == "TRUE" || s == "false" ||
              s == "False" || s == "FALSE") {
            out.kind = Node::Kind::kBool;
            out.text = (s[0] == 't' || s[0] == 'T') ? "true" : "false";
          } else if (s == "null" || s == "Null" || s == "NULL" || s == "~") {
            out.kind = Node::Kind::kNull;
          } else if (IsYamlNumber(s)) {
            out.kind = Node::Kind::kNumber;
          }
        }
        return absl::OkStatus();
      }
      case YAML::NodeType::Sequence:
        out.kind = Node::Kind::kList;
        for (const YAML::Node& item : y) {
          out.items.emplace_back();
          if (absl::Status s = Convert(item, depth + 1, out.items.back());
              !s.ok()) {
            return s;
          }
        }
        return absl::OkStatus();
      case YAML::NodeType::Map:
        out.kind = Node::Kind::kMap;
        for (const auto& kv : y) {
          const SourcePos key_pos = Pos(kv.first.Mark());
          if (!kv.first.IsScalar()) {
            return ErrorAt(key_pos, "mapping keys must be scalars");
          }
          if (++nodes_ > limits_.max_nodes) {
            return ErrorAt(key_pos,
                           absl::StrCat("template expands to more than ",
                                        limits_.max_nodes,
                                        " nodes (max_nodes); YAML aliases "
                                        "are counted each time they are "
                                        "used"));
          }
          Node value;
          if (absl::Status s = Convert(kv.second, depth + 1, value); !s.ok()) {
            return s;
          }
          out.members.emplace_back(kv.first.Scalar(), std::move(value));
          out.key_pos.push_back(key_pos);
        }
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  std::string file_;
  const IacLimits& limits_;
  std::size_t nodes_ = 0;
};

void ToJsonInto(const Node& n, json::Value& out) {
  switch (n.kind) {
    case Node::Kind::kNull:
      out = json::Value::Null();
      break;
    case Node::Kind::kString:
      out = json::Value::String(n.text);
      break;
    case Node::Kind::kNumber:
      out = json::Value::NumberText(n.text);
      break;
    case Node::Kind::kBool:
      out = json::Value::Bool(n.text == "true");
      break;
    case Node::Kind::kList: {
      std::vector<json::Value> items(n.items.size());
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        ToJsonInto(n.items[i], items[i]);
      }
      out = json::Value::Array(std::move(items));
      break;
    }
    case Node::Kind::kMap: {
      std::vector<json::Value::Member> members;
      members.reserve(n.members.size());
      for (const auto& [key, value] : n.members) {
        members.emplace_back(key, json::Value());
        ToJsonInto(value, members.back().second);
      }
      out = json::Value::Object(std::move(members));
      break;
    }
  }
  out.set_position(n.pos.line, n.pos.column);
}

// The statement objects of a document tree, by Statement index.
std::vector<const Node*> StatementNodes(const Node& doc) {
  const Node* d = &doc;
  for (int hop = 0; hop < 4 && d->is_map() && d->Find("Statement") == nullptr;
       ++hop) {
    const Node* next = d->Find("PolicyDocument");
    if (next == nullptr) break;
    d = next;
  }
  std::vector<const Node*> out;
  if (!d->is_map()) return out;
  const Node* st = d->Find("Statement");
  if (st == nullptr) return out;
  if (st->is_map()) {
    out.push_back(st);
  } else if (st->is_list()) {
    for (const Node& item : st->items) out.push_back(&item);
  }
  return out;
}

void FixConditionPositions(const Node& doc, Policy& policy) {
  const std::vector<const Node*> nodes = StatementNodes(doc);
  for (Statement& st : policy.statements) {
    if (st.index < 0 || static_cast<std::size_t>(st.index) >= nodes.size()) {
      continue;
    }
    const Node* cond = nodes[st.index]->Find("Condition");
    if (cond == nullptr) continue;
    for (Condition& c : st.conditions) {
      if (c.pos.line != 0) continue;
      const Node* block = cond->Find(c.op_text);
      if (block == nullptr || !block->is_map()) continue;
      for (std::size_t i = 0; i < block->members.size(); ++i) {
        if (block->members[i].first == c.key) c.pos = block->key_pos[i];
      }
    }
  }
}

void FinishRead(policy_internal::ReadResult result, const SourcePos& doc_pos,
                ExtractedPolicy& out) {
  const std::string name = std::move(out.policy.name);
  out.policy = std::move(result.policy);
  out.policy.name = name;
  for (Finding& f : result.problems) {
    if (f.pos.line == 0) f.pos = doc_pos;
  }
  out.problems = std::move(result.problems);
}

}  // namespace

const Node* Node::Find(std::string_view key) const {
  for (const auto& [k, v] : members) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string Node::IntrinsicName() const {
  if (kind != Kind::kMap || members.size() != 1) return "";
  const std::string& k = members[0].first;
  if (k == "Ref" || k == "Condition" || k.rfind("Fn::", 0) == 0) return k;
  return "";
}

Node Node::String(std::string s, SourcePos pos) {
  Node n;
  n.kind = Kind::kString;
  n.text = std::move(s);
  n.pos = std::move(pos);
  return n;
}

Node FromJson(const json::Value& v, const std::string& file) {
  Node n;
  n.pos = SourcePos{file, v.line(), v.column()};
  switch (v.kind()) {
    case json::Value::Kind::kNull:
      n.kind = Node::Kind::kNull;
      break;
    case json::Value::Kind::kBool:
      n.kind = Node::Kind::kBool;
      n.text = v.bool_value() ? "true" : "false";
      break;
    case json::Value::Kind::kNumber:
      n.kind = Node::Kind::kNumber;
      n.text = v.number_text();
      break;
    case json::Value::Kind::kString:
      n.kind = Node::Kind::kString;
      n.text = v.string_value();
      break;
    case json::Value::Kind::kArray:
      n.kind = Node::Kind::kList;
      for (const json::Value& item : v.array()) {
        n.items.push_back(FromJson(item, file));
      }
      break;
    case json::Value::Kind::kObject:
      n.kind = Node::Kind::kMap;
      for (std::size_t i = 0; i < v.object().size(); ++i) {
        n.members.emplace_back(v.object()[i].first,
                               FromJson(v.object()[i].second, file));
        n.key_pos.push_back(SourcePos{file, v.key_line(i), v.key_column(i)});
      }
      break;
  }
  return n;
}

absl::StatusOr<Node> ParseYaml(std::string_view text, const std::string& file,
                               const IacLimits& limits) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SourcePos pos{file, 1, 1};
    if (!e.mark.is_null())
      pos = SourcePos{file, e.mark.line + 1, e.mark.column + 1};
    std::string msg = e.msg;
    if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(msg[0]));
    while (!msg.empty() && msg.back() == '.') msg.pop_back();
    return ErrorAt(pos, absl::StrCat("invalid YAML: ", msg));
  } catch (const std::exception& e) {
    return ErrorAt(SourcePos{file, 1, 1},
                   absl::StrCat("invalid YAML: ", e.what()));
  }
  Node out;
  YamlReader reader(file, limits);
  try {
    if (absl::Status s = reader.Convert(root, 1, out); !s.ok()) return s;
  } catch (const std::exception& e) {
    return ErrorAt(SourcePos{file, 1, 1},
                   absl::StrCat("invalid YAML: ", e.what()));
  }
  return out;
}

absl::StatusOr<Node> ParseTemplate(std::string_view text,
                                   const std::string& file,
                                   const IacLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return ErrorAt(
        SourcePos{file, 1, 1},
        absl::StrCat("input is ", text.size(), " bytes, over the limit of ",
                     limits.max_bytes, " bytes (max_bytes)"));
  }
  std::size_t first = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") first = 3;
  first = text.find_first_not_of(" \t\r\n", first);
  if (first != std::string_view::npos && text[first] == '{') {
    json::JsonLimits jl;
    jl.max_bytes = limits.max_bytes;
    jl.max_depth = limits.max_depth;
    jl.max_values = limits.max_nodes;
    absl::StatusOr<json::Value> v = json::Parse(text, jl);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ":", v.status().message()));
    }
    return FromJson(*v, file);
  }
  return ParseYaml(text, file, limits);
}

json::Value ToJson(const Node& node) {
  json::Value v;
  ToJsonInto(node, v);
  return v;
}

absl::Status ReadDocument(const Node& doc, std::string_view source_text,
                          const std::string& file, PolicyKind kind,
                          ExtractedPolicy& out) {
  const json::Value value = ToJson(doc);
  const policy_internal::SourceFile source(file, source_text);
  ParseOptions options;
  options.file_name = file;
  options.kind = kind;
  absl::StatusOr<policy_internal::ReadResult> result =
      policy_internal::ReadPolicyValue(value, source, options);
  if (!result.ok()) return result.status();
  FinishRead(*std::move(result), doc.pos, out);
  out.policy.kind = kind;
  FixConditionPositions(doc, out.policy);
  return absl::OkStatus();
}

absl::Status ReadJsonDocument(const json::Value& doc,
                              std::string_view source_text,
                              const std::string& file, PolicyKind kind,
                              ExtractedPolicy& out) {
  const policy_internal::SourceFile source(file, source_text);
  ParseOptions options;
  options.file_name = file;
  options.kind = kind;
  absl::StatusOr<policy_internal::ReadResult> result =
      policy_internal::ReadPolicyValue(doc, source, options);
  if (!result.ok()) return result.status();
  FinishRead(*std::move(result), SourcePos{file, doc.line(), doc.column()},
             out);
  out.policy.kind = kind;
  return absl::OkStatus();
}

absl::Status ErrorAt(const SourcePos& pos, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(FormatPos(pos), ": ", Sv(message)));
}

}  // namespace leastpriv::iac_internal
