// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/json/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace leastpriv::json {
namespace {

// Objects with more members than this get a hash index for duplicate checks.
constexpr std::size_t kLinearKeyScanLimit = 8;

// The Debian abseil is built with its own string_view type.
absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

std::string ByteName(unsigned char c) {
  if (c >= 0x20 && c < 0x7f) return absl::StrCat("'", std::string(1, c), "'");
  return absl::StrFormat("byte 0x%02x", c);
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF), or 0 when it is not well formed.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100;
  };
  const unsigned c = b(0);
  auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    const unsigned x = b(k);
    return x >= lo && x <= hi;
  };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
    return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

}  // namespace

// The reader. Iterative: containers under construction live on an explicit
// stack, so nesting depth costs heap, never call stack.
class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits)
      : text_(text), limits_(limits) {}

  absl::StatusOr<Value> Run();

 private:
  struct Frame {
    Value value;
    std::string key;  // pending member key (objects)
    int key_line = 0;
    int key_column = 0;
    std::unordered_map<std::string, std::size_t> key_index;
  };

  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }
  absl::Status ErrorAt(int line, int column, std::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat(line, ":", column, ": ", Sv(message)));
  }
  absl::Status Error(std::string_view message) const {
    return ErrorAt(line_, column(), message);
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(text_[pos_]); }

  void SkipWhitespace();
  absl::Status UnexpectedHere(std::string_view expected) const;
  absl::Status ParseString(std::string& out);
  absl::Status ParseHex4(uint32_t& out);
  absl::Status ParseNumber(Value& out);
  absl::Status ParseLiteral(Value& out);
  absl::Status ParseKey(Frame& frame);
  absl::Status CountValue();
  absl::Status AddToParent(Value v);

  std::string_view text_;
  JsonLimits limits_;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
  std::size_t values_ = 0;
  std::vector<Frame> stack_;
};

void Parser::SkipWhitespace() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '\n') {
      ++pos_;
      ++line_;
      line_start_ = pos_;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else {
      break;
    }
  }
}

absl::Status Parser::UnexpectedHere(std::string_view expected) const {
  if (AtEnd()) {
    return Error(
        absl::StrCat("unexpected end of input, expected ", Sv(expected)));
  }
  const unsigned char c = Peek();
  if (c >= 0x80 && Utf8SequenceLength(text_, pos_) == 0) {
    return Error(
        absl::StrFormat("invalid UTF-8 byte 0x%02x, expected %s", c, expected));
  }
  return Error(
      absl::StrCat("unexpected ", ByteName(c), ", expected ", Sv(expected)));
}

absl::Status Parser::ParseHex4(uint32_t& out) {
  out = 0;
  for (int i = 0; i < 4; ++i) {
    if (AtEnd()) return Error("unexpected end of input in \\u escape");
    const char c = text_[pos_];
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return Error(absl::StrCat("invalid hex digit ",
                                ByteName(static_cast<unsigned char>(c)),
                                " in \\u escape"));
    }
    out = out * 16 + d;
    ++pos_;
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseString(std::string& out) {
  // REQUIRES: text_[pos_] == '"'.
  ++pos_;
  out.clear();
  while (true) {
    std::size_t run = pos_;
    while (run < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[run]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++run;
    }
    out.append(text_.data() + pos_, run - pos_);
    pos_ = run;
    if (AtEnd()) return Error("unterminated string (end of input)");
    const unsigned char c = Peek();
    if (c == '"') {
      ++pos_;
      if (out.size() > limits_.max_bytes) return Error("string too long");
      return absl::OkStatus();
    }
    if (c < 0x20) {
      return Error(absl::StrFormat(
          "raw control character U+%04X in string (must be escaped)", c));
    }
    if (c >= 0x80) {
      const std::size_t n = Utf8SequenceLength(text_, pos_);
      if (n == 0) {
        return Error(absl::StrFormat("invalid UTF-8 byte 0x%02x in string", c));
      }
      out.append(text_.data() + pos_, n);
      pos_ += n;
      continue;
    }
    // Escape.
    const int esc_col = column();
    ++pos_;
    if (AtEnd()) return Error("unterminated string (end of input)");
    const char e = text_[pos_];
    ++pos_;
    switch (e) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (absl::Status s = ParseHex4(cp); !s.ok()) return s;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return ErrorAt(
              line_, esc_col,
              absl::StrFormat("lone low surrogate \\u%04x in string", cp));
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (pos_ + 1 < text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u') {
            pos_ += 2;
            uint32_t low;
            if (absl::Status s = ParseHex4(low); !s.ok()) return s;
            if (low < 0xDC00 || low > 0xDFFF) {
              return ErrorAt(
                  line_, esc_col,
                  absl::StrFormat("high surrogate \\u%04x not followed by a "
                                  "low surrogate in string",
                                  cp));
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else {
            return ErrorAt(
                line_, esc_col,
                absl::StrFormat("lone high surrogate \\u%04x in string", cp));
          }
        }
        AppendUtf8(out, cp);
        break;
      }
      default:
        return ErrorAt(
            line_, esc_col,
            absl::StrCat("invalid escape \\", std::string(1, e), " in string"));
    }
  }
}

absl::Status Parser::ParseNumber(Value& out) {
  const std::size_t start = pos_;
  auto digit = [&]() {
    return !AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9';
  };
  if (text_[pos_] == '-') ++pos_;
  if (!digit()) return UnexpectedHere("a digit");
  if (text_[pos_] == '0') {
    ++pos_;
    if (digit()) return Error("leading zeros are not allowed in numbers");
  } else {
    while (digit()) ++pos_;
  }
  if (!AtEnd() && text_[pos_] == '.') {
    ++pos_;
    if (!digit()) return UnexpectedHere("a digit after the decimal point");
    while (digit()) ++pos_;
  }
  if (!AtEnd() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (!AtEnd() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (!digit()) return UnexpectedHere("a digit in the exponent");
    while (digit()) ++pos_;
  }
  out.kind_ = Value::Kind::kNumber;
  out.text_.assign(text_.data() + start, pos_ - start);
  double d = 0;
  const char* first = text_.data() + start;
  const char* last = text_.data() + pos_;
  auto [ptr, ec] = std::from_chars(first, last, d);
  if (ec == std::errc::result_out_of_range) {
    // Magnitude too large: infinity; too small: zero (sign kept).
    const bool negative = *first == '-';
    const char* e = first;
    while (e < last && *e != 'e' && *e != 'E') ++e;
    const bool tiny = e < last && e[1] == '-';
    d = tiny ? (negative ? -0.0 : 0.0) : (negative ? -HUGE_VAL : HUGE_VAL);
  }
  (void)ptr;
  out.number_ = d;
  return absl::OkStatus();
}

absl::Status Parser::ParseLiteral(Value& out) {
  auto match = [&](std::string_view word) {
    return text_.substr(pos_, word.size()) == word;
  };
  if (match("true")) {
    out.kind_ = Value::Kind::kBool;
    out.bool_ = true;
    pos_ += 4;
  } else if (match("false")) {
    out.kind_ = Value::Kind::kBool;
    out.bool_ = false;
    pos_ += 5;
  } else if (match("null")) {
    out.kind_ = Value::Kind::kNull;
    pos_ += 4;
  } else {
    return UnexpectedHere("a JSON value");
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseKey(Frame& frame) {
  SkipWhitespace();
  if (AtEnd() || Peek() != '"') return UnexpectedHere("a string object key");
  frame.key_line = line_;
  frame.key_column = column();
  if (absl::Status s = ParseString(frame.key); !s.ok()) return s;
  SkipWhitespace();
  if (AtEnd() || Peek() != ':') {
    return UnexpectedHere("':' after object key");
  }
  ++pos_;
  return absl::OkStatus();
}

absl::Status Parser::CountValue() {
  if (++values_ > limits_.max_values) {
    return Error(absl::StrCat("more than ", limits_.max_values,
                              " values in the document (max_values)"));
  }
  return absl::OkStatus();
}

absl::Status Parser::AddToParent(Value v) {
  Frame& top = stack_.back();
  if (top.value.kind_ == Value::Kind::kArray) {
    top.value.array_.push_back(std::move(v));
    return absl::OkStatus();
  }
  auto& members = top.value.object_;
  const std::size_t index = members.size();
  std::size_t dup = index;
  if (index < kLinearKeyScanLimit) {
    for (std::size_t i = 0; i < index; ++i) {
      if (members[i].first == top.key) {
        dup = i;
        break;
      }
    }
  } else {
    if (top.key_index.empty()) {
      for (std::size_t i = 0; i < index; ++i)
        top.key_index[members[i].first] = i;
    }
    auto [it, inserted] = top.key_index.emplace(top.key, index);
    if (!inserted) dup = it->second;
  }
  if (dup != index) {
    const auto& first = top.value.key_pos_[dup];
    return ErrorAt(
        top.key_line, top.key_column,
        absl::StrCat("duplicate object key ", Quote(top.key), " (first at ",
                     first.first, ":", first.second, ")"));
  }
  members.emplace_back(std::move(top.key), std::move(v));
  top.value.key_pos_.emplace_back(top.key_line, top.key_column);
  top.key.clear();
  return absl::OkStatus();
}

absl::StatusOr<Value> Parser::Run() {
  if (text_.size() > limits_.max_bytes) {
    return ErrorAt(
        1, 1,
        absl::StrCat("input is ", text_.size(), " bytes, over the limit of ",
                     limits_.max_bytes, " bytes (max_bytes)"));
  }
  // A UTF-8 byte order mark is ignored (RFC 8259 section 8.1 allows it).
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
    pos_ = 3;
    line_start_ = 3;
  }
  const int max_depth =
      std::min(std::max(limits_.max_depth, 0), kMaxSupportedDepth);
  SkipWhitespace();
  if (AtEnd()) return Error("empty input, expected a JSON value");

  // Parse one value; when it is complete, hand it to the parent and consume
  // the separator or closing bracket that follows.
  while (true) {
    SkipWhitespace();
    if (AtEnd()) return UnexpectedHere("a JSON value");
    Value v;
    v.line_ = line_;
    v.column_ = column();
    if (absl::Status s = CountValue(); !s.ok()) return s;
    const unsigned char c = Peek();
    if (c == '{' || c == '[') {
      if (static_cast<int>(stack_.size()) >= max_depth) {
        return Error(absl::StrCat("nesting deeper than ", max_depth,
                                  " levels (max_depth)"));
      }
      ++pos_;
      v.kind_ = c == '{' ? Value::Kind::kObject : Value::Kind::kArray;
      stack_.push_back(Frame{std::move(v), {}, 0, 0, {}});
      SkipWhitespace();
      const char close = c == '{' ? '}' : ']';
      if (!AtEnd() && text_[pos_] == close) {
        ++pos_;
        v = std::move(stack_.back().value);
        stack_.pop_back();
      } else if (c == '{') {
        if (absl::Status s = ParseKey(stack_.back()); !s.ok()) return s;
        continue;
      } else {
        continue;
      }
    } else if (c == '"') {
      v.kind_ = Value::Kind::kString;
      if (absl::Status s = ParseString(v.text_); !s.ok()) return s;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      if (absl::Status s = ParseNumber(v); !s.ok()) return s;
    } else {
      if (absl::Status s = ParseLiteral(v); !s.ok()) return s;
    }

    // `v` is complete: attach it and close as many containers as end here.
    while (true) {
      if (stack_.empty()) {
        SkipWhitespace();
        if (!AtEnd()) {
          return Error(absl::StrCat("trailing content after the JSON value: ",
                                    ByteName(Peek())));
        }
        return v;
      }
      if (absl::Status s = AddToParent(std::move(v)); !s.ok()) return s;
      Frame& top = stack_.back();
      const bool is_object = top.value.kind_ == Value::Kind::kObject;
      SkipWhitespace();
      if (!AtEnd() && text_[pos_] == ',') {
        ++pos_;
        if (is_object) {
          if (absl::Status s = ParseKey(top); !s.ok()) return s;
        }
        break;  // parse the next element
      }
      if (!AtEnd() && text_[pos_] == (is_object ? '}' : ']')) {
        ++pos_;
        v = std::move(top.value);
        stack_.pop_back();
        continue;
      }
      return UnexpectedHere(is_object ? "',' or '}' after object member"
                                      : "',' or ']' after array element");
    }
  }
}

const Value* Value::Find(std::string_view key) const {
  for (const Member& m : object_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

int Value::key_line(std::size_t member_index) const {
  return member_index < key_pos_.size() ? key_pos_[member_index].first : 0;
}

int Value::key_column(std::size_t member_index) const {
  return member_index < key_pos_.size() ? key_pos_[member_index].second : 0;
}

Value Value::Null() { return Value(); }

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Number(double d) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.number_ = d;
  if (!std::isfinite(d)) {
    v.text_ = "null";  // JSON has no infinities or NaN
  } else {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    v.text_.assign(buf, ec == std::errc() ? end : buf);
  }
  return v;
}

Value Value::NumberText(std::string text) {
  Value v;
  v.kind_ = Kind::kNumber;
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  v.number_ = d;
  v.text_ = std::move(text);
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.text_ = std::move(s);
  return v;
}

Value Value::Array(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kArray;
  v.array_ = std::move(items);
  return v;
}

Value Value::Object(std::vector<Member> members) {
  Value v;
  v.kind_ = Kind::kObject;
  v.object_ = std::move(members);
  v.key_pos_.assign(v.object_.size(), {0, 0});
  return v;
}

std::string_view Value::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "unknown";
}

absl::StatusOr<Value> Parse(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).Run();
}

namespace {

void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    // The bytes that need no escape, appended at once.
    std::size_t plain = i;
    while (plain < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[plain]);
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++plain;
    }
    out.append(s.data() + i, plain - i);
    if (plain == s.size()) break;
    i = plain + 1;
    const unsigned char c = static_cast<unsigned char>(s[plain]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:  // the other control characters
        out += absl::StrFormat("\\u%04x", c);
    }
  }
  out.push_back('"');
}

void AppendNewline(std::string& out, int indent, int depth) {
  if (indent < 0) return;
  out.push_back('\n');
  out.append(static_cast<std::size_t>(indent) * depth, ' ');
}

void AppendValue(std::string& out, const Value& v, int indent, int depth) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.bool_value() ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      out += v.number_text().empty() ? "0" : v.number_text();
      return;
    case Value::Kind::kString:
      AppendQuoted(out, v.string_value());
      return;
    case Value::Kind::kArray: {
      if (v.array().empty()) {
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (const Value& item : v.array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendNewline(out, indent, depth + 1);
        AppendValue(out, item, indent, depth + 1);
      }
      AppendNewline(out, indent, depth);
      out.push_back(']');
      return;
    }
    case Value::Kind::kObject: {
      if (v.object().empty()) {
        out += "{}";
        return;
      }
      out.push_back('{');
      bool first = true;
      for (const Value::Member& m : v.object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendNewline(out, indent, depth + 1);
        AppendQuoted(out, m.first);
        out += indent < 0 ? ":" : ": ";
        AppendValue(out, m.second, indent, depth + 1);
      }
      AppendNewline(out, indent, depth);
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string Serialize(const Value& value, int indent) {
  std::string out;
  AppendValue(out, value, indent, 0);
  return out;
}

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendQuoted(out, s);
  return out;
}

}  // namespace leastpriv::json
