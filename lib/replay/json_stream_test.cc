// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/replay/json_stream.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leastpriv::replay {
namespace {

struct Value {
  std::string text;
  int line, column;
};

absl::StatusOr<std::vector<Value>> ReadAll(std::string input,
                                           JsonStreamLimits limits = {},
                                           StreamShape* shape = nullptr) {
  JsonValueStream stream(MemoryInput(std::move(input)), "in.json", limits);
  std::vector<Value> out;
  while (true) {
    Value v;
    absl::StatusOr<bool> more = stream.Next(&v.text, &v.line, &v.column);
    if (!more.ok()) return more.status();
    if (!*more) break;
    out.push_back(v);
  }
  if (shape != nullptr) *shape = stream.shape();
  return out;
}

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = text.size();
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = out.size();
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(JsonValueStreamTest, RecordsObject) {
  StreamShape shape;
  absl::StatusOr<std::vector<Value>> v = ReadAll(
      "{\"Records\": [\n  {\"a\": \"x]}\\\"\"},\n  {\"b\": [1, {\"c\": 2}]}\n],"
      " \"Other\": {\"d\": [1]}}",
      {}, &shape);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[0].text, "{\"a\": \"x]}\\\"\"}");
  EXPECT_EQ((*v)[0].line, 2);
  EXPECT_EQ((*v)[0].column, 3);
  EXPECT_EQ((*v)[1].text, "{\"b\": [1, {\"c\": 2}]}");
  EXPECT_EQ((*v)[1].line, 3);
  EXPECT_EQ(shape, StreamShape::kRecords);
}

TEST(JsonValueStreamTest, ArrayAndLinesAndEmpty) {
  StreamShape shape;
  absl::StatusOr<std::vector<Value>> v = ReadAll("[1, \"s\", {}]", {}, &shape);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 3u);
  EXPECT_EQ((*v)[1].text, "\"s\"");
  EXPECT_EQ(shape, StreamShape::kArray);
  v = ReadAll("{\"eventName\": \"A\"}\n{\"eventName\": \"B\"}\n", {}, &shape);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[0].text, "{\"eventName\": \"A\"}");
  EXPECT_EQ((*v)[1].line, 2);
  EXPECT_EQ(shape, StreamShape::kSequence);
  v = ReadAll("\xEF\xBB\xBF  \n");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->empty());
  v = ReadAll("{\"Records\": []}");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->empty());
}

TEST(JsonValueStreamTest, PositionedErrors) {
  // Brackets are only counted here; json::Parse matches their kinds.
  EXPECT_EQ(ReadAll("{\"Records\": [{}, {]").status().message(),
            "in.json:1:20: unexpected end of input, expected ',' or ']'");
  EXPECT_EQ(ReadAll("{\"Records\": [{} {}]}").status().message(),
            "in.json:1:17: expected ',' or ']' after an element");
  EXPECT_EQ(ReadAll("{\"Records\": 5}").status().message(),
            "in.json:1:13: expected '[' (Records must be an array)");
  EXPECT_EQ(ReadAll("[\"abc").status().message(),
            "in.json:1:6: unterminated string");
  EXPECT_EQ(ReadAll("[1,]").status().message(),
            "in.json:1:4: expected an element");
  JsonStreamLimits small;
  small.max_value_bytes = 8;
  EXPECT_EQ(ReadAll("[1,\n {\"aaaaaaaaaa\": 1}]", small).status().message(),
            "in.json:2:2: value larger than 8 bytes (max_value_bytes)");
  JsonStreamLimits shallow;
  shallow.max_depth = 3;
  EXPECT_EQ(ReadAll("{\"Records\": [[[[[1]]]]]}", shallow).status().message(),
            "in.json:1:17: nesting deeper than 3 (max_depth)");
}

TEST(JsonValueStreamTest, HugeInputsStayBounded) {
  // 50 MB of nesting-free filler in a skipped member, and 100,000 records.
  std::string input = "{\"Records\": [";
  for (int i = 0; i < 100000; ++i) input += i ? ",{\"n\":1}" : "{\"n\":1}";
  input += "], \"Pad\": \"" + std::string(50u << 20, 'x') + "\"}";
  JsonValueStream stream(MemoryInput(std::move(input)), "big", {});
  std::string text;
  int line, column, n = 0;
  while (true) {
    absl::StatusOr<bool> more = stream.Next(&text, &line, &column);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ++n;
  }
  EXPECT_EQ(n, 100000);
  // Deep nesting is refused, not recursed into.
  absl::StatusOr<std::vector<Value>> v = ReadAll(std::string(1u << 20, '['));
  EXPECT_NE(v.status().message().find("max_depth"), std::string::npos);
}

TEST(OpenInputTest, GzipPlainAndMissing) {
  const std::string dir = ::testing::TempDir();
  const std::string text = "{\"Records\": [{\"eventName\": \"GetItem\"}]}";
  const std::string gz = dir + "/a.json.gz";
  {
    std::FILE* f = std::fopen(gz.c_str(), "wb");
    // Two gzip members: concatenated files are one stream.
    const std::string a = Gzip(text.substr(0, 10)), b = Gzip(text.substr(10));
    std::fwrite(a.data(), 1, a.size(), f);
    std::fwrite(b.data(), 1, b.size(), f);
    std::fclose(f);
  }
  absl::StatusOr<std::unique_ptr<ByteReader>> in = OpenInput(gz);
  ASSERT_TRUE(in.ok()) << in.status();
  JsonValueStream stream(*std::move(in), gz, {});
  std::string value;
  int line, column;
  ASSERT_TRUE(*stream.Next(&value, &line, &column));
  EXPECT_EQ(value, "{\"eventName\": \"GetItem\"}");
  EXPECT_FALSE(*stream.Next(&value, &line, &column));

  const std::string bad = dir + "/bad.json.gz";
  {
    std::FILE* f = std::fopen(bad.c_str(), "wb");
    std::string z = Gzip(text);
    z.resize(z.size() / 2);
    std::fwrite(z.data(), 1, z.size(), f);
    std::fclose(f);
  }
  in = OpenInput(bad);
  ASSERT_TRUE(in.ok());
  JsonValueStream truncated(*std::move(in), bad, {});
  absl::StatusOr<bool> r = truncated.Next(&value, &line, &column);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated gzip stream"),
            std::string::npos)
      << r.status();
  EXPECT_EQ(OpenInput(dir + "/none.json").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ExpandInputPathsTest, DirectoriesInPathOrder) {
  const std::string dir = ::testing::TempDir() + "/logs";
  std::filesystem::create_directories(dir + "/b/CloudTrail-Digest");
  std::filesystem::create_directories(dir + "/a");
  for (const char* f : {"/b/2.json.gz", "/a/1.json", "/a/notes.txt",
                        "/b/CloudTrail-Digest/d.json.gz", "/a/0.jsonl"}) {
    std::FILE* fp = std::fopen((dir + f).c_str(), "wb");
    std::fclose(fp);
  }
  absl::StatusOr<std::vector<std::string>> files =
      ExpandInputPaths({dir, "-"}, 10);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files,
            (std::vector<std::string>{dir + "/a/0.jsonl", dir + "/a/1.json",
                                      dir + "/b/2.json.gz", "-"}));
  EXPECT_EQ(ExpandInputPaths({dir}, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandInputPaths({dir + "/none"}, 2).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace leastpriv::replay
