// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/json/json.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace leastpriv::json {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(std::string_view text, const JsonLimits& limits = {}) {
  absl::StatusOr<Value> v = Parse(text, limits);
  if (v.ok()) return "OK";
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(v.status().message());
}

TEST(JsonParseTest, Scalars) {
  auto v = Parse("  true ");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_bool());
  EXPECT_TRUE(v->bool_value());
  EXPECT_EQ(v->line(), 1);
  EXPECT_EQ(v->column(), 3);
  v = Parse("null");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_null());
  v = Parse("false");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->bool_value());
  v = Parse("\"a\\u00e9\\ud83d\\ude00\\n\"");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->string_value(), "a\xc3\xa9\xf0\x9f\x98\x80\n");
}

TEST(JsonParseTest, NumbersKeepText) {
  auto v = Parse("-1.50e3");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->number_text(), "-1.50e3");
  EXPECT_DOUBLE_EQ(v->number_value(), -1500);
  v = Parse("0");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->number_text(), "0");
  v = Parse("1e400");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(std::isinf(v->number_value()));
  EXPECT_EQ(v->number_text(), "1e400");
  v = Parse("12345678901234567890123");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->number_text(), "12345678901234567890123");
}

TEST(JsonParseTest, PositionsOfValuesAndKeys) {
  const std::string text =
      "{\n"
      "  \"a\": [1, \"x\"],\n"
      "  \"bb\" :{\"c\": null}\n"
      "}";
  auto v = Parse(text);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->line(), 1);
  EXPECT_EQ(v->column(), 1);
  ASSERT_EQ(v->object().size(), 2u);
  EXPECT_EQ(v->key_line(0), 2);
  EXPECT_EQ(v->key_column(0), 3);
  const Value* a = v->Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->line(), 2);
  EXPECT_EQ(a->column(), 8);
  EXPECT_EQ(a->array()[1].column(), 12);
  EXPECT_EQ(v->key_line(1), 3);
  EXPECT_EQ(v->key_column(1), 3);
  const Value* bb = v->Find("bb");
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ(bb->column(), 9);
  EXPECT_EQ(bb->key_column(0), 10);
  EXPECT_EQ(bb->Find("c")->column(), 15);
  EXPECT_EQ(v->Find("zz"), nullptr);
  EXPECT_EQ(v->key_line(7), 0);
}

TEST(JsonParseTest, ByteOrderMarkIsSkipped) {
  auto v = Parse("\xEF\xBB\xBF{\"a\":1}");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->column(), 1);
  EXPECT_EQ(v->key_column(0), 2);
}

TEST(JsonParseTest, MalformedInputsHavePositionedErrors) {
  EXPECT_EQ(ErrorOf(""), "1:1: empty input, expected a JSON value");
  EXPECT_EQ(ErrorOf("  \n "), "2:2: empty input, expected a JSON value");
  EXPECT_EQ(ErrorOf("{\"a\": 1"),
            "1:8: unexpected end of input, expected ',' or '}' after object "
            "member");
  EXPECT_EQ(ErrorOf("[1 2]"),
            "1:4: unexpected '2', expected ',' or ']' after array element");
  EXPECT_EQ(ErrorOf("[1,]"), "1:4: unexpected ']', expected a JSON value");
  EXPECT_EQ(ErrorOf("{\"a\":1,}"),
            "1:8: unexpected '}', expected a string object key");
  EXPECT_EQ(ErrorOf("{a:1}"),
            "1:2: unexpected 'a', expected a string object key");
  EXPECT_EQ(ErrorOf("{\"a\" 1}"),
            "1:6: unexpected '1', expected ':' after object key");
  EXPECT_EQ(ErrorOf("{} x"), "1:4: trailing content after the JSON value: 'x'");
  EXPECT_EQ(ErrorOf("[] []"),
            "1:4: trailing content after the JSON value: '['");
  EXPECT_EQ(ErrorOf("tru"), "1:1: unexpected 't', expected a JSON value");
  EXPECT_EQ(ErrorOf("\"abc"), "1:5: unterminated string (end of input)");
  EXPECT_EQ(ErrorOf("\"a\tb\""),
            "1:3: raw control character U+0009 in string (must be escaped)");
  EXPECT_EQ(ErrorOf("\"a\\qb\""), "1:3: invalid escape \\q in string");
  EXPECT_EQ(ErrorOf("\"\\u12g4\""), "1:6: invalid hex digit 'g' in \\u escape");
  EXPECT_EQ(ErrorOf("\"\\ud800\""),
            "1:2: lone high surrogate \\ud800 in string");
  EXPECT_EQ(ErrorOf("\"x\\udc00\""),
            "1:3: lone low surrogate \\udc00 in string");
  EXPECT_EQ(ErrorOf("\"\\ud800\\u0041\""),
            "1:2: high surrogate \\ud800 not followed by a low surrogate in "
            "string");
  EXPECT_EQ(ErrorOf("\"\xff\""), "1:2: invalid UTF-8 byte 0xff in string");
  EXPECT_EQ(ErrorOf("\"\xc0\xaf\""), "1:2: invalid UTF-8 byte 0xc0 in string");
  EXPECT_EQ(ErrorOf("\"\xed\xa0\x80\""),  // UTF-8 encoded surrogate
            "1:2: invalid UTF-8 byte 0xed in string");
  EXPECT_EQ(ErrorOf("\"\xe2\x82\""), "1:2: invalid UTF-8 byte 0xe2 in string");
  EXPECT_EQ(ErrorOf("\xfe"),
            "1:1: invalid UTF-8 byte 0xfe, expected a JSON value");
  EXPECT_EQ(ErrorOf("01"), "1:2: leading zeros are not allowed in numbers");
  EXPECT_EQ(ErrorOf("-"), "1:2: unexpected end of input, expected a digit");
  EXPECT_EQ(ErrorOf("1."),
            "1:3: unexpected end of input, expected a digit after the decimal "
            "point");
  EXPECT_EQ(ErrorOf("1e+"),
            "1:4: unexpected end of input, expected a digit in the exponent");
  EXPECT_EQ(ErrorOf("+1"), "1:1: unexpected '+', expected a JSON value");
  EXPECT_EQ(ErrorOf("NaN"), "1:1: unexpected 'N', expected a JSON value");
  EXPECT_EQ(ErrorOf(std::string("[\0]", 3)),
            "1:2: unexpected byte 0x00, expected a JSON value");
}

TEST(JsonParseTest, DuplicateKeysNameBothPositions) {
  EXPECT_EQ(ErrorOf("{\"a\": 1,\n \"a\": 2}"),
            "2:2: duplicate object key \"a\" (first at 1:2)");
  // Many members: the hashed path reports the same way.
  std::string text = "{";
  for (int i = 0; i < 20; ++i) text += "\"k" + std::to_string(i) + "\":0,";
  text += "\"k3\":1}";
  EXPECT_THAT(ErrorOf(text),
              HasSubstr("duplicate object key \"k3\" (first at 1:"));
  // Keys compare after unescaping.
  EXPECT_EQ(ErrorOf("{\"a\":1,\"\\u0061\":2}"),
            "1:8: duplicate object key \"a\" (first at 1:2)");
}

TEST(JsonParseTest, DeepNestingIsACleanError) {
  const std::string deep(10000, '[');
  EXPECT_EQ(ErrorOf(deep), "1:65: nesting deeper than 64 levels (max_depth)");
  JsonLimits limits;
  limits.max_depth = 1 << 30;  // capped at kMaxSupportedDepth
  EXPECT_EQ(ErrorOf(std::string(20000, '['), limits),
            "1:10001: nesting deeper than 10000 levels (max_depth)");
  limits.max_depth = 3;
  EXPECT_EQ(ErrorOf("[[[1]]]", limits), "OK");
  EXPECT_EQ(ErrorOf("[[[[1]]]]", limits),
            "1:4: nesting deeper than 3 levels (max_depth)");
  // Deep but within the limit: parsed and destroyed without overflow.
  limits.max_depth = kMaxSupportedDepth;
  std::string ok = std::string(kMaxSupportedDepth, '[') +
                   std::string(kMaxSupportedDepth, ']');
  EXPECT_EQ(ErrorOf(ok, limits), "OK");
}

TEST(JsonParseTest, SizeAndValueLimits) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_EQ(ErrorOf("[1,2,3,4,5,6]", limits),
            "1:1: input is 13 bytes, over the limit of 10 bytes (max_bytes)");
  limits = JsonLimits();
  limits.max_values = 3;
  EXPECT_EQ(ErrorOf("[1,2]", limits), "OK");
  EXPECT_EQ(ErrorOf("[1,2,3]", limits),
            "1:6: more than 3 values in the document (max_values)");
}

TEST(JsonSerializeTest, CompactAndPretty) {
  auto v = Parse("{\"a\": [1, 2.50, {}], \"b\": {\"c\": \"x\"}, \"d\": []}");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Serialize(*v, -1),
            "{\"a\":[1,2.50,{}],\"b\":{\"c\":\"x\"},\"d\":[]}");
  EXPECT_EQ(Serialize(*v, 2),
            "{\n"
            "  \"a\": [\n"
            "    1,\n"
            "    2.50,\n"
            "    {}\n"
            "  ],\n"
            "  \"b\": {\n"
            "    \"c\": \"x\"\n"
            "  },\n"
            "  \"d\": []\n"
            "}");
}

TEST(JsonSerializeTest, Escaping) {
  EXPECT_EQ(Quote("a\"b\\c\n\t\r\b\f\x01\x1f/\xc3\xa9\x7f"),
            "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/\xc3\xa9\x7f\"");
  EXPECT_EQ(Quote(""), "\"\"");
}

TEST(JsonSerializeTest, Builders) {
  Value v = Value::Object({{"n", Value::Number(0.5)},
                           {"i", Value::Number(3)},
                           {"t", Value::NumberText("1e2")},
                           {"s", Value::String("x")},
                           {"b", Value::Bool(true)},
                           {"z", Value::Null()},
                           {"a", Value::Array({Value::Number(-2)})}});
  EXPECT_EQ(Serialize(v, -1),
            "{\"n\":0.5,\"i\":3,\"t\":1e2,\"s\":\"x\",\"b\":true,\"z\":null,"
            "\"a\":[-2]}");
  EXPECT_DOUBLE_EQ(v.Find("t")->number_value(), 100);
  EXPECT_EQ(Value::KindName(Value::Kind::kObject), "object");
  EXPECT_EQ(Value::KindName(Value::Kind::kBool), "boolean");
}

// --- Random documents, checked against nlohmann/json as an oracle. ---

class DocumentGenerator {
 public:
  explicit DocumentGenerator(uint32_t seed) : rng_(seed) {}

  std::string Document() {
    std::string out;
    if (Pick(2) == 0) {
      Object(out, 0);
    } else {
      Array(out, 0);
    }
    return out;
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  void Ws(std::string& out) {
    static const char* kWs[] = {"", "", " ", "\n", "\t", "\r\n  "};
    out += kWs[Pick(6)];
  }
  void String(std::string& out) {
    static const char* kPieces[] = {"a",
                                    "Z",
                                    "dynamodb:GetItem",
                                    "\\\"",
                                    "\\\\",
                                    "\\/",
                                    "\\n",
                                    "\\u0000",
                                    "\\u00e9",
                                    "\xc3\xa9",
                                    "\xe2\x82\xac",
                                    "\xf0\x9f\x98\x80",
                                    "\\ud83d\\ude00",
                                    " ",
                                    "*",
                                    "\x7f",
                                    "\\b\\f\\r\\t"};
    out += '"';
    const int n = Pick(6);
    for (int i = 0; i < n; ++i) out += kPieces[Pick(17)];
    out += '"';
  }
  void Number(std::string& out) {
    static const char* kNumbers[] = {"0",    "-0",      "1",
                                     "-17",  "3.25",    "1e10",
                                     "2E-3", "-0.0e+1", "12345678901234567",
                                     "1e308"};
    out += kNumbers[Pick(10)];
  }
  void Value(std::string& out, int depth) {
    const int k = depth > 5 ? Pick(5) : Pick(7);
    switch (k) {
      case 0:
        out += "null";
        break;
      case 1:
        out += Pick(2) ? "true" : "false";
        break;
      case 2:
        Number(out);
        break;
      case 3:
      case 4:
        String(out);
        break;
      case 5:
        Object(out, depth + 1);
        break;
      default:
        Array(out, depth + 1);
        break;
    }
  }
  void Object(std::string& out, int depth) {
    out += '{';
    const int n = Pick(5);
    for (int i = 0; i < n; ++i) {
      if (i) out += ',';
      Ws(out);
      out += "\"k" + std::to_string(i) + "\"";  // distinct keys
      Ws(out);
      out += ':';
      Ws(out);
      Value(out, depth);
      Ws(out);
    }
    out += '}';
  }
  void Array(std::string& out, int depth) {
    out += '[';
    Ws(out);
    const int n = Pick(5);
    for (int i = 0; i < n; ++i) {
      if (i) out += ',';
      Ws(out);
      Value(out, depth);
      Ws(out);
    }
    out += ']';
  }
  std::mt19937 rng_;
};

bool OracleAccepts(const std::string& text) {
  return nlohmann::json::accept(text);
}

// Compares our tree with nlohmann's.
void ExpectSameTree(const Value& ours, const nlohmann::json& theirs) {
  switch (ours.kind()) {
    case Value::Kind::kNull:
      EXPECT_TRUE(theirs.is_null());
      break;
    case Value::Kind::kBool:
      ASSERT_TRUE(theirs.is_boolean());
      EXPECT_EQ(ours.bool_value(), theirs.get<bool>());
      break;
    case Value::Kind::kNumber:
      ASSERT_TRUE(theirs.is_number());
      if (std::isfinite(ours.number_value())) {
        EXPECT_DOUBLE_EQ(ours.number_value(), theirs.get<double>());
      }
      break;
    case Value::Kind::kString:
      ASSERT_TRUE(theirs.is_string());
      EXPECT_EQ(ours.string_value(), theirs.get<std::string>());
      break;
    case Value::Kind::kArray:
      ASSERT_TRUE(theirs.is_array());
      ASSERT_EQ(ours.array().size(), theirs.size());
      for (std::size_t i = 0; i < ours.array().size(); ++i) {
        ExpectSameTree(ours.array()[i], theirs[i]);
      }
      break;
    case Value::Kind::kObject:
      ASSERT_TRUE(theirs.is_object());
      ASSERT_EQ(ours.object().size(), theirs.size());
      for (const auto& [key, value] : ours.object()) {
        ASSERT_TRUE(theirs.contains(key)) << key;
        ExpectSameTree(value, theirs.at(key));
      }
      break;
  }
}

TEST(JsonOracleTest, RandomDocumentsParseIdenticallyAndRoundTrip) {
  DocumentGenerator gen(20240601);
  for (int i = 0; i < 400; ++i) {
    const std::string doc = gen.Document();
    SCOPED_TRACE(doc);
    ASSERT_TRUE(OracleAccepts(doc));
    absl::StatusOr<Value> ours = Parse(doc);
    ASSERT_TRUE(ours.ok()) << ours.status();
    ExpectSameTree(*ours, nlohmann::json::parse(doc));
    // Round trip, compact and pretty: same tree, and serialising again is
    // a fixed point.
    for (int indent : {-1, 2}) {
      const std::string out = Serialize(*ours, indent);
      ASSERT_TRUE(OracleAccepts(out)) << out;
      absl::StatusOr<Value> again = Parse(out);
      ASSERT_TRUE(again.ok()) << again.status() << "\n" << out;
      EXPECT_EQ(Serialize(*again, indent), out);
      ExpectSameTree(*again, nlohmann::json::parse(out));
    }
  }
}

TEST(JsonOracleTest, TruncatedDocumentsAreRejectedByBoth) {
  DocumentGenerator gen(7);
  int checked = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string doc = gen.Document();
    // Any proper prefix that still has the closing bracket missing.
    const std::size_t last = doc.find_last_not_of(" \t\r\n");
    for (std::size_t cut = 0; cut < last; cut += 1 + cut / 4) {
      const std::string prefix = doc.substr(0, cut);
      SCOPED_TRACE(prefix);
      EXPECT_FALSE(OracleAccepts(prefix));
      EXPECT_FALSE(Parse(prefix).ok());
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(JsonOracleTest, MutatedDocumentsGetTheSameVerdict) {
  DocumentGenerator gen(99);
  std::mt19937 rng(5);
  static const char kBytes[] = {'"',    '\\',   ',',    ':',    '[', ']', '{',
                                '}',    '0',    '-',    'e',    '.', 'x', ' ',
                                '\x01', '\x80', '\xff', '\xc3', 'u', '\n'};
  int rejected = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string doc = gen.Document();
    const std::size_t at =
        std::uniform_int_distribution<std::size_t>(0, doc.size())(rng);
    const char byte =
        kBytes[std::uniform_int_distribution<int>(0, sizeof kBytes - 1)(rng)];
    switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
      case 0:
        doc.insert(doc.begin() + at, byte);
        break;
      case 1:
        if (at < doc.size()) doc[at] = byte;
        break;
      default:
        if (at < doc.size()) doc.erase(at, 1);
        break;
    }
    SCOPED_TRACE(doc);
    absl::StatusOr<Value> ours = Parse(doc);
    if (!ours.ok() && ours.status().message().find("duplicate object key") !=
                          absl::string_view::npos) {
      continue;  // nlohmann accepts duplicate keys by design
    }
    EXPECT_EQ(ours.ok(), OracleAccepts(doc)) << ours.status();
    if (!ours.ok()) ++rejected;
  }
  EXPECT_GT(rejected, 500);
}

}  // namespace
}  // namespace leastpriv::json
