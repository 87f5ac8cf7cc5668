// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/embedded_document.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "lib/policy/read_errors.h"

namespace leastpriv::policy_internal {
namespace {

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

}  // namespace

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

}  // namespace leastpriv::policy_internal
