// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/policy_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace leastpriv::policy_internal {
namespace {

absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

constexpr std::string_view kVersion2012 = "2012-10-17";
constexpr std::string_view kVersion2008 = "2008-10-17";

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

absl::Status Unusable(FindingCode code, const SourcePos& pos,
                      std::string_view message) {
  return WithFindingCode(absl::InvalidArgumentError(absl::StrCat(
                             FormatPos(pos), ": ", Sv(message))),
                         code);
}

// Splits a json::Parse error "line:col: message".
void SplitJsonError(std::string_view message, int& line, int& column,
                    std::string& rest) {
  line = 1;
  column = 1;
  rest = std::string(message);
  int l = 0, c = 0, n = 0;
  const std::string copy(message);
  if (std::sscanf(copy.c_str(), "%d:%d: %n", &l, &c, &n) == 2 && n > 0) {
    line = l;
    column = c;
    rest = copy.substr(n);
  }
}

bool IsLimitMessage(std::string_view m) {
  return absl::StrContains(Sv(m), "(max_");
}

absl::Status JsonError(const absl::Status& status, const PositionMap& map) {
  int line, column;
  std::string rest;
  SplitJsonError(std::string(status.message()), line, column, rest);
  return Unusable(IsLimitMessage(rest) ? FindingCode::kLimitExceeded
                                       : FindingCode::kJsonSyntaxError,
                  map.Map(line, column), rest);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Utf8Length(uint32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// File column of each byte of the decoded value of the string literal that
// starts at `offset` (its opening quote) in `text`, at `column`. Empty when
// the literal cannot be found there.
std::vector<int> LiteralColumns(std::string_view text, std::size_t offset,
                                int column, std::size_t decoded_size) {
  std::vector<int> columns;
  if (offset >= text.size() || text[offset] != '"') return columns;
  std::size_t i = offset + 1;
  auto col = [&](std::size_t at) {
    return column + static_cast<int>(at - offset);
  };
  auto hex4 = [&](std::size_t at) -> uint32_t {
    uint32_t v = 0;
    for (std::size_t k = 0; k < 4 && at + k < text.size(); ++k) {
      v = v * 16 + std::max(HexValue(text[at + k]), 0);
    }
    return v;
  };
  while (i < text.size() && text[i] != '"') {
    if (text[i] != '\\') {
      columns.push_back(col(i));
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) break;
    if (text[i + 1] != 'u') {
      columns.push_back(col(i));
      i += 2;
      continue;
    }
    uint32_t cp = hex4(i + 2);
    std::size_t raw = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 7 < text.size() &&
        text[i + 6] == '\\' && text[i + 7] == 'u') {
      cp = 0x10000;  // any supplementary code point: four bytes
      raw = 12;
    }
    for (int k = 0; k < Utf8Length(cp); ++k) columns.push_back(col(i));
    i += raw;
  }
  if (columns.size() != decoded_size) columns.clear();
  return columns;
}

// Percent-decodes `s`; `origin[i]` is the index in `s` of decoded byte i.
absl::StatusOr<std::string> UrlDecode(std::string_view s,
                                      std::vector<std::size_t>& origin,
                                      std::size_t& bad_index) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      origin.push_back(i);
      continue;
    }
    const int hi = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      bad_index = i;
      return absl::InvalidArgumentError(
          "invalid percent escape in URL-encoded policy document");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    origin.push_back(i);
    i += 2;
  }
  return out;
}

struct Embedded {
  std::string text;
  PositionMap map;
  json::Value root;
};

// Decodes and parses a policy document held in the string value `v`.
absl::StatusOr<std::unique_ptr<Embedded>> ParseEmbedded(
    const json::Value& v, const SourceFile& source, const PositionMap& map,
    const ParseOptions& options) {
  const std::string& s = v.string_value();
  const SourcePos string_pos = map.Map(v.line(), v.column());
  std::vector<int> columns;
  if (!map.embedded()) {
    columns = LiteralColumns(source.text(), source.Offset(v.line(), v.column()),
                             v.column(), s.size());
  }
  const std::size_t first = s.find_first_not_of(" \t\r\n");
  auto embedded = std::make_unique<Embedded>(
      Embedded{std::string(), PositionMap(source.file()), json::Value()});
  if (first != std::string::npos && s[first] == '{') {
    embedded->text = s;
  } else if (first != std::string::npos && s[first] == '%') {
    std::vector<std::size_t> origin;
    std::size_t bad = 0;
    absl::StatusOr<std::string> decoded = UrlDecode(s, origin, bad);
    if (!decoded.ok()) {
      SourcePos pos = string_pos;
      if (!columns.empty()) pos.column = columns[bad];
      return Unusable(FindingCode::kJsonSyntaxError, pos,
                      std::string(decoded.status().message()));
    }
    if (!columns.empty()) {
      std::vector<int> mapped;
      mapped.reserve(origin.size());
      for (std::size_t o : origin) mapped.push_back(columns[o]);
      columns = std::move(mapped);
    }
    embedded->text = *std::move(decoded);
  } else {
    return Unusable(FindingCode::kNotAPolicy, string_pos,
                    "string is neither a JSON policy document nor a "
                    "URL-encoded one");
  }
  embedded->map =
      PositionMap::Embedded(source.file(), string_pos.line, string_pos.column,
                            std::move(columns), embedded->text);
  absl::StatusOr<json::Value> root =
      json::Parse(embedded->text, ToJsonLimits(options.limits));
  if (!root.ok()) return JsonError(root.status(), embedded->map);
  embedded->root = *std::move(root);
  return embedded;
}

std::string KindName(const json::Value& v) {
  return std::string(json::Value::KindName(v.kind()));
}

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
  void UnknownElement(std::string_view where, const std::string& key,
                      const SourcePos& pos,
                      const std::vector<std::string_view>& known);

  const PositionMap& map_;
  const ParseOptions& options_;
  ReadResult& result_;
  std::size_t strings_ = 0;
};

void DocumentReader::UnknownElement(
    std::string_view where, const std::string& key, const SourcePos& pos,
    const std::vector<std::string_view>& known) {
  std::string message =
      absl::StrCat("unknown ", Sv(where), " element ", json::Quote(key));
  for (std::string_view k : known) {
    if (absl::EqualsIgnoreCase(Sv(k), key)) {
      absl::StrAppend(&message, " (did you mean \"", Sv(k), "\"?)");
      break;
    }
  }
  Problem(FindingCode::kUnknownElement, pos, std::move(message));
}

absl::Status DocumentReader::CheckString(const std::string& s,
                                         const json::Value& v) {
  if (s.size() > options_.limits.max_string_length) {
    return Unusable(FindingCode::kLimitExceeded, Pos(v),
                    absl::StrCat("string of ", s.size(),
                                 " bytes is longer than the limit of ",
                                 options_.limits.max_string_length,
                                 " bytes (max_string_length)"));
  }
  if (++strings_ > options_.limits.max_values) {
    return Unusable(
        FindingCode::kLimitExceeded, Pos(v),
        absl::StrCat("policy has more than ", options_.limits.max_values,
                     " strings (max_values)"));
  }
  return absl::OkStatus();
}

absl::Status DocumentReader::ReadStringList(std::string_view element,
                                            const json::Value& v,
                                            std::vector<PolicyString>& out,
                                            bool& ok) {
  ok = true;
  if (v.is_string()) {
    if (absl::Status s = CheckString(v.string_value(), v); !s.ok()) return s;
    out.push_back(PolicyString{v.string_value(), Pos(v)});
    return absl::OkStatus();
  }
  if (!v.is_array()) {
    WrongType(element, v, "a string or an array of strings");
    ok = false;
    return absl::OkStatus();
  }
  if (v.array().empty()) {
    Problem(FindingCode::kEmptyElement, Pos(v),
            absl::StrCat(Sv(element), " must not be an empty array"));
  }
  for (const json::Value& item : v.array()) {
    if (!item.is_string()) {
      WrongType(absl::StrCat(Sv(element), " entry"), item, "a string");
      continue;
    }
    if (absl::Status s = CheckString(item.string_value(), item); !s.ok()) {
      return s;
    }
    out.push_back(PolicyString{item.string_value(), Pos(item)});
  }
  return absl::OkStatus();
}

absl::Status DocumentReader::ReadPrincipal(std::string_view element,
                                           const json::Value& v,
                                           PrincipalBlock& block, bool& ok) {
  ok = true;
  block.pos = Pos(v);
  if (v.is_string()) {
    if (v.string_value() != "*") {
      Problem(FindingCode::kInvalidPrincipal, Pos(v),
              absl::StrCat(Sv(element),
                           " string must be \"*\"; name "
                           "principals as {\"AWS\": ",
                           json::Quote(v.string_value()), "}"));
      ok = false;
      return absl::OkStatus();
    }
    block.entries.push_back(PrincipalEntry{PrincipalType::kAny, "*", Pos(v)});
    return absl::OkStatus();
  }
  if (!v.is_object()) {
    WrongType(element, v, "\"*\" or an object");
    ok = false;
    return absl::OkStatus();
  }
  if (v.object().empty()) {
    Problem(FindingCode::kEmptyElement, Pos(v),
            absl::StrCat(Sv(element), " must not be an empty object"));
  }
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [type_name, values] = v.object()[i];
    PrincipalType type;
    if (type_name == "AWS") {
      type = PrincipalType::kAws;
    } else if (type_name == "Service") {
      type = PrincipalType::kService;
    } else if (type_name == "Federated") {
      type = PrincipalType::kFederated;
    } else if (type_name == "CanonicalUser") {
      type = PrincipalType::kCanonicalUser;
    } else {
      Problem(FindingCode::kInvalidPrincipal, KeyPos(v, i),
              absl::StrCat("unknown principal type ", json::Quote(type_name),
                           " in ", Sv(element),
                           " (expected AWS, Service, Federated or "
                           "CanonicalUser)"));
      ok = false;
      continue;
    }
    std::vector<PolicyString> names;
    bool list_ok;
    if (absl::Status s = ReadStringList(
            absl::StrCat(Sv(element), ".", type_name), values, names, list_ok);
        !s.ok()) {
      return s;
    }
    if (!list_ok) ok = false;
    for (PolicyString& n : names) {
      block.entries.push_back(
          PrincipalEntry{type, std::move(n.text), std::move(n.pos)});
    }
  }
  return absl::OkStatus();
}

struct OperatorName {
  std::string_view name;
  ConditionOperator op;
};

constexpr OperatorName kOperators[] = {
    {"StringEquals", ConditionOperator::kStringEquals},
    {"StringNotEquals", ConditionOperator::kStringNotEquals},
    {"StringEqualsIgnoreCase", ConditionOperator::kStringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase",
     ConditionOperator::kStringNotEqualsIgnoreCase},
    {"StringLike", ConditionOperator::kStringLike},
    {"StringNotLike", ConditionOperator::kStringNotLike},
    {"NumericEquals", ConditionOperator::kNumericEquals},
    {"NumericNotEquals", ConditionOperator::kNumericNotEquals},
    {"NumericLessThan", ConditionOperator::kNumericLessThan},
    {"NumericLessThanEquals", ConditionOperator::kNumericLessThanEquals},
    {"NumericGreaterThan", ConditionOperator::kNumericGreaterThan},
    {"NumericGreaterThanEquals", ConditionOperator::kNumericGreaterThanEquals},
    {"DateEquals", ConditionOperator::kDateEquals},
    {"DateNotEquals", ConditionOperator::kDateNotEquals},
    {"DateLessThan", ConditionOperator::kDateLessThan},
    {"DateLessThanEquals", ConditionOperator::kDateLessThanEquals},
    {"DateGreaterThan", ConditionOperator::kDateGreaterThan},
    {"DateGreaterThanEquals", ConditionOperator::kDateGreaterThanEquals},
    {"Bool", ConditionOperator::kBool},
    {"BinaryEquals", ConditionOperator::kBinaryEquals},
    {"IpAddress", ConditionOperator::kIpAddress},
    {"NotIpAddress", ConditionOperator::kNotIpAddress},
    {"ArnEquals", ConditionOperator::kArnEquals},
    {"ArnNotEquals", ConditionOperator::kArnNotEquals},
    {"ArnLike", ConditionOperator::kArnLike},
    {"ArnNotLike", ConditionOperator::kArnNotLike},
    {"Null", ConditionOperator::kNull},
};

void ParseOperator(std::string_view text, Condition& c) {
  c.op_text = std::string(text);
  std::string_view rest = text;
  if (rest.substr(0, 13) == "ForAllValues:") {
    c.qualifier = SetQualifier::kForAllValues;
    rest.remove_prefix(13);
  } else if (rest.substr(0, 12) == "ForAnyValue:") {
    c.qualifier = SetQualifier::kForAnyValue;
    rest.remove_prefix(12);
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (rest.size() > kIfExists.size() &&
      rest.substr(rest.size() - kIfExists.size()) == kIfExists) {
    c.if_exists = true;
    rest.remove_suffix(kIfExists.size());
  }
  c.op = ConditionOperator::kUnknown;
  for (const OperatorName& o : kOperators) {
    if (o.name == rest) c.op = o.op;
  }
}

absl::Status DocumentReader::ReadConditions(const json::Value& v, Statement& st,
                                            bool& ok) {
  ok = true;
  if (!v.is_object()) {
    WrongType("Condition", v, "an object");
    ok = false;
    return absl::OkStatus();
  }
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [op_text, block] = v.object()[i];
    if (!block.is_object()) {
      WrongType(absl::StrCat("condition operator ", json::Quote(op_text)),
                block, "an object of condition keys");
      ok = false;
      continue;
    }
    for (std::size_t k = 0; k < block.object().size(); ++k) {
      // Named references rather than a structured binding: the lambda below
      // uses `key`, which C++17 does not allow for a binding.
      const std::string& key = block.object()[k].first;
      const json::Value& values = block.object()[k].second;
      Condition c;
      ParseOperator(op_text, c);
      c.key = key;
      c.pos = KeyPos(block, k);
      auto add = [&](const json::Value& item) -> absl::Status {
        ConditionValue cv;
        cv.pos = Pos(item);
        if (item.is_string()) {
          cv.text = item.string_value();
          cv.type = ValueType::kString;
        } else if (item.is_number()) {
          cv.text = item.number_text();
          cv.type = ValueType::kNumber;
        } else if (item.is_bool()) {
          cv.text = item.bool_value() ? "true" : "false";
          cv.type = ValueType::kBool;
        } else {
          WrongType(absl::StrCat("value of condition key ", json::Quote(key)),
                    item, "a string, number or boolean");
          ok = false;
          return absl::OkStatus();
        }
        if (absl::Status s = CheckString(cv.text, item); !s.ok()) return s;
        c.values.push_back(std::move(cv));
        return absl::OkStatus();
      };
      if (values.is_array()) {
        if (values.array().empty()) {
          Problem(FindingCode::kEmptyElement, Pos(values),
                  absl::StrCat("condition key ", json::Quote(key),
                               " must have at least one value"));
        }
        for (const json::Value& item : values.array()) {
          if (absl::Status s = add(item); !s.ok()) return s;
        }
      } else {
        if (absl::Status s = add(values); !s.ok()) return s;
      }
      st.conditions.push_back(std::move(c));
    }
  }
  return absl::OkStatus();
}

absl::Status DocumentReader::ReadStatement(const json::Value& v, int index) {
  const std::size_t problems_before = result_.problems.size();
  if (!v.is_object()) {
    WrongType("Statement entry", v, "an object");
    return absl::OkStatus();
  }
  Statement st;
  st.pos = Pos(v);
  st.index = index;
  bool droppable = false;  // cannot be modelled
  const json::Value* effect = nullptr;
  const json::Value* action = nullptr;
  const json::Value* not_action = nullptr;
  const json::Value* resource = nullptr;
  const json::Value* not_resource = nullptr;
  const json::Value* principal = nullptr;
  const json::Value* not_principal = nullptr;
  const json::Value* condition = nullptr;
  static const std::vector<std::string_view> kKnown = {
      "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
      "NotAction", "Resource", "NotResource", "Condition"};
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [key, value] = v.object()[i];
    if (key == "Sid") {
      if (value.is_string()) {
        st.sid = value.string_value();
        st.sid_pos = Pos(value);
      } else {
        WrongType("Sid", value, "a string");
      }
    } else if (key == "Effect") {
      effect = &value;
    } else if (key == "Action") {
      action = &value;
    } else if (key == "NotAction") {
      not_action = &value;
    } else if (key == "Resource") {
      resource = &value;
    } else if (key == "NotResource") {
      not_resource = &value;
    } else if (key == "Principal") {
      principal = &value;
    } else if (key == "NotPrincipal") {
      not_principal = &value;
    } else if (key == "Condition") {
      condition = &value;
    } else {
      UnknownElement("statement", key, KeyPos(v, i), kKnown);
    }
  }
  const std::string where =
      st.sid ? absl::StrCat("statement ", json::Quote(*st.sid))
             : absl::StrCat("statement ", index);

  if (effect == nullptr) {
    Problem(FindingCode::kMissingEffect, st.pos,
            absl::StrCat(where, " has no Effect element"));
    droppable = true;
  } else if (!effect->is_string()) {
    WrongType("Effect", *effect, "\"Allow\" or \"Deny\"");
    droppable = true;
  } else if (effect->string_value() == "Allow" ||
             effect->string_value() == "Deny") {
    st.effect =
        effect->string_value() == "Allow" ? Effect::kAllow : Effect::kDeny;
    st.effect_pos = Pos(*effect);
  } else {
    Problem(FindingCode::kInvalidEffect, Pos(*effect),
            absl::StrCat("Effect must be \"Allow\" or \"Deny\", found ",
                         json::Quote(effect->string_value())));
    droppable = true;
  }

  bool ok = true;
  if (action != nullptr && not_action != nullptr) {
    Problem(FindingCode::kActionAndNotAction, Pos(*not_action),
            absl::StrCat(where, " has both Action and NotAction"));
    droppable = true;
  } else if (action == nullptr && not_action == nullptr) {
    Problem(FindingCode::kMissingAction, st.pos,
            absl::StrCat(where, " has neither Action nor NotAction"));
    droppable = true;
  } else {
    const json::Value& a = action ? *action : *not_action;
    st.not_action = action == nullptr;
    st.action_pos = Pos(a);
    if (absl::Status s =
            ReadStringList(action ? "Action" : "NotAction", a, st.actions, ok);
        !s.ok()) {
      return s;
    }
    if (!ok) droppable = true;
  }

  if (resource != nullptr && not_resource != nullptr) {
    Problem(FindingCode::kResourceAndNotResource, Pos(*not_resource),
            absl::StrCat(where, " has both Resource and NotResource"));
    droppable = true;
  } else if (resource != nullptr || not_resource != nullptr) {
    const json::Value& r = resource ? *resource : *not_resource;
    st.has_resource = true;
    st.not_resource = resource == nullptr;
    st.resource_pos = Pos(r);
    if (absl::Status s = ReadStringList(resource ? "Resource" : "NotResource",
                                        r, st.resources, ok);
        !s.ok()) {
      return s;
    }
    if (!ok) droppable = true;
  }

  if (principal != nullptr && not_principal != nullptr) {
    Problem(FindingCode::kPrincipalAndNotPrincipal, Pos(*not_principal),
            absl::StrCat(where, " has both Principal and NotPrincipal"));
    droppable = true;
  } else if (principal != nullptr || not_principal != nullptr) {
    PrincipalBlock block;
    block.negated = principal == nullptr;
    if (absl::Status s =
            ReadPrincipal(principal ? "Principal" : "NotPrincipal",
                          principal ? *principal : *not_principal, block, ok);
        !s.ok()) {
      return s;
    }
    if (!ok) droppable = true;
    st.principal = std::move(block);
  }

  if (condition != nullptr) {
    if (absl::Status s = ReadConditions(*condition, st, ok); !s.ok()) return s;
    if (!ok) droppable = true;
  }
  // Type errors inside lists leave the statement incomplete too.
  for (std::size_t i = problems_before; i < result_.problems.size(); ++i) {
    if (result_.problems[i].code == FindingCode::kInvalidType) {
      droppable = true;
    }
  }
  if (!droppable) result_.policy.statements.push_back(std::move(st));
  return absl::OkStatus();
}

absl::Status DocumentReader::Read(const json::Value& doc) {
  Policy& policy = result_.policy;
  policy.kind = options_.kind;
  policy.name = options_.file_name;
  policy.pos = Pos(doc);
  static const std::vector<std::string_view> kKnown = {"Version", "Id",
                                                       "Statement"};
  const json::Value* statement = nullptr;
  for (std::size_t i = 0; i < doc.object().size(); ++i) {
    const auto& [key, value] = doc.object()[i];
    if (key == "Version") {
      if (!value.is_string()) {
        WrongType("Version", value, "a string");
      } else {
        policy.version = value.string_value();
        policy.version_pos = Pos(value);
        if (policy.version != kVersion2012 && policy.version != kVersion2008) {
          Problem(FindingCode::kInvalidVersion, Pos(value),
                  absl::StrCat("Version must be \"2012-10-17\" or "
                               "\"2008-10-17\", found ",
                               json::Quote(policy.version)));
        }
      }
    } else if (key == "Id") {
      if (value.is_string()) {
        policy.id = value.string_value();
      } else {
        WrongType("Id", value, "a string");
      }
    } else if (key == "Statement") {
      statement = &value;
    } else {
      UnknownElement("top-level", key, KeyPos(doc, i), kKnown);
    }
  }
  if (statement == nullptr) {
    Problem(FindingCode::kMissingStatement, Pos(doc),
            "policy document has no Statement element");
    return absl::OkStatus();
  }
  if (statement->is_object()) {
    return ReadStatement(*statement, 0);
  }
  if (!statement->is_array()) {
    WrongType("Statement", *statement, "an object or an array of objects");
    return absl::OkStatus();
  }
  if (statement->array().size() > options_.limits.max_statements) {
    return Unusable(
        FindingCode::kLimitExceeded, Pos(*statement),
        absl::StrCat("policy has ", statement->array().size(),
                     " statements, over the limit of ",
                     options_.limits.max_statements, " (max_statements)"));
  }
  int index = 0;
  for (const json::Value& s : statement->array()) {
    if (absl::Status status = ReadStatement(s, index++); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace

SourceFile::SourceFile(std::string file, std::string_view text)
    : file_(std::move(file)), text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::size_t SourceFile::Offset(int line, int column) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size() ||
      column < 1) {
    return std::string_view::npos;
  }
  const std::size_t offset = line_starts_[line - 1] + column - 1;
  return offset < text_.size() ? offset : std::string_view::npos;
}

json::JsonLimits ToJsonLimits(const ParseLimits& limits) {
  json::JsonLimits j;
  j.max_bytes = limits.max_bytes;
  j.max_depth = limits.max_depth;
  // Every policy string sits in at most a few containers.
  j.max_values = limits.max_values * 4 + 64;
  return j;
}

absl::StatusOr<ReadResult> ReadPolicyValue(const json::Value& root,
                                           const SourceFile& source,
                                           const ParseOptions& options) {
  PositionMap file_map(source.file());
  const PositionMap* map = &file_map;
  const json::Value* v = &root;
  std::vector<std::unique_ptr<Embedded>> embedded;
  for (int hop = 0;; ++hop) {
    if (hop > 4) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "policy wrappers nested too deeply");
    }
    if (v->is_string()) {
      absl::StatusOr<std::unique_ptr<Embedded>> e =
          ParseEmbedded(*v, source, *map, options);
      if (!e.ok()) return e.status();
      embedded.push_back(*std::move(e));
      map = &embedded.back()->map;
      v = &embedded.back()->root;
      continue;
    }
    if (!v->is_object()) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      absl::StrCat("expected a policy document object, found ",
                                   KindName(*v)));
    }
    if (v->Find("Statement") != nullptr) break;
    if (const json::Value* d = v->Find("PolicyDocument")) {
      v = d;
      continue;
    }
    if (const json::Value* pv = v->Find("PolicyVersion")) {
      if (pv->is_object() && pv->Find("Document") != nullptr) {
        v = pv->Find("Document");
        continue;
      }
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(pv->line(), pv->column()),
                      "PolicyVersion has no Document element");
    }
    if (const json::Value* p = v->Find("Policy")) {
      v = p;
      continue;
    }
    // `aws organizations describe-policy` output:
    // {"Policy": {"PolicySummary": {...}, "Content": "<document>"}}.
    if (v->Find("PolicySummary") != nullptr) {
      if (const json::Value* c = v->Find("Content")) {
        v = c;
        continue;
      }
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "describe-policy output without Policy.Content");
    }
    if (const json::Value* d = v->Find("Document")) {
      v = d;
      continue;
    }
    if (v->Find("Version") != nullptr || v->Find("Id") != nullptr) break;
    if (v->Find("DefaultVersionId") != nullptr) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "this is get-policy output, which holds no document; "
                      "read the default version with get-policy-version");
    }
    if (v->Find("RoleDetailList") != nullptr) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "this is get-account-authorization-details output; "
                      "select a role to read its policies");
    }
    return Unusable(FindingCode::kNotAPolicy, map->Map(v->line(), v->column()),
                    "not an IAM policy document: no Statement element and no "
                    "PolicyDocument, PolicyVersion.Document or Policy wrapper");
  }
  ReadResult result;
  DocumentReader reader(*map, options, result);
  if (absl::Status s = reader.Read(*v); !s.ok()) return s;
  std::stable_sort(result.problems.begin(), result.problems.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::make_pair(a.pos.line, a.pos.column) <
                            std::make_pair(b.pos.line, b.pos.column);
                   });
  return result;
}

absl::StatusOr<ReadResult> ReadPolicyText(std::string_view text,
                                          const ParseOptions& options) {
  const PositionMap map(options.file_name);
  absl::StatusOr<json::Value> root =
      json::Parse(text, ToJsonLimits(options.limits));
  if (!root.ok()) return JsonError(root.status(), map);
  const SourceFile source(options.file_name, text);
  return ReadPolicyValue(*root, source, options);
}

absl::StatusOr<std::string> ReadFileBounded(const std::string& path,
                                            const std::string& display_name,
                                            std::size_t max_bytes) {
  auto fail = [&](int err) -> absl::Status {
    absl::Status status;
    switch (err) {
      case ENOENT:
        status = absl::NotFoundError(absl::StrCat(display_name, ": no such file"));
        break;
      case EACCES:
        status = absl::PermissionDeniedError(
            absl::StrCat(display_name, ": permission denied"));
        break;
      case EISDIR:
        status = absl::InvalidArgumentError(
            absl::StrCat(display_name, ": is a directory"));
        break;
      default:
        status = absl::InvalidArgumentError(absl::StrCat(
            display_name, ": cannot read file (errno ", err, ")"));
    }
    return WithFindingCode(std::move(status), FindingCode::kFileUnreadable);
  };
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return fail(errno);
  if (S_ISDIR(st.st_mode)) return fail(EISDIR);
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
    return WithFindingCode(
        absl::InvalidArgumentError(absl::StrCat(
            display_name, ":1:1: input is ", st.st_size,
            " bytes, over the limit of ", max_bytes, " bytes (max_bytes)")),
        FindingCode::kLimitExceeded);
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(errno);
  std::string data;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > max_bytes) {
      std::fclose(f);
      return WithFindingCode(
          absl::InvalidArgumentError(
              absl::StrCat(display_name, ":1:1: input is over the limit of ",
                           max_bytes, " bytes (max_bytes)")),
          FindingCode::kLimitExceeded);
    }
  }
  const bool error = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (error) return fail(err);
  return data;
}

namespace {

// Where a status keeps the finding code of unusable input.
constexpr char kFindingCodeUrl[] = "leastpriv/finding-code";

}  // namespace

absl::Status WithFindingCode(absl::Status status, FindingCode code) {
  status.SetPayload(kFindingCodeUrl,
                    absl::Cord(std::string(FindingCodeName(code))));
  return status;
}

FindingCode FindingCodeOf(const absl::Status& status) {
  auto payload = status.GetPayload(kFindingCodeUrl);
  if (!payload.has_value()) return FindingCode::kFileUnreadable;
  return ParseFindingCode(std::string(*payload))
      .value_or(FindingCode::kFileUnreadable);
}

}  // namespace leastpriv::policy_internal
