// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/replay/json_stream.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/json/json.h"

namespace leastpriv::replay {
namespace {

constexpr std::size_t kChunk = 1u << 16;

class FileReader : public ByteReader {
 public:
  FileReader(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  ~FileReader() override {
    if (owned_) std::fclose(file_);
  }
  absl::StatusOr<std::size_t> Read(char* buffer, std::size_t n) override {
    const std::size_t got = std::fread(buffer, 1, n, file_);
    if (got == 0 && std::ferror(file_)) {
      return absl::InternalError(
          absl::StrCat("read error: ", std::strerror(errno)));
    }
    return got;
  }

 private:
  std::FILE* file_;
  bool owned_;
};

class MemoryReader : public ByteReader {
 public:
  explicit MemoryReader(std::string bytes) : bytes_(std::move(bytes)) {}
  absl::StatusOr<std::size_t> Read(char* buffer, std::size_t n) override {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(buffer, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

// Decompresses a gzip stream (several members allowed) from `raw`.
class GzipReader : public ByteReader {
 public:
  GzipReader(std::unique_ptr<ByteReader> raw, std::string name,
             std::string head)
      : raw_(std::move(raw)), name_(std::move(name)), in_(std::move(head)) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;
  }
  ~GzipReader() override { inflateEnd(&z_); }

  absl::StatusOr<std::size_t> Read(char* buffer, std::size_t n) override {
    if (!ok_) return absl::InternalError(name_ + ": cannot start zlib");
    z_.next_out = reinterpret_cast<Bytef*>(buffer);
    z_.avail_out = static_cast<uInt>(n);
    while (z_.avail_out == n && !done_) {
      if (z_.avail_in == 0) {
        if (in_pos_ >= in_.size()) {
          in_.resize(kChunk);
          absl::StatusOr<std::size_t> got = raw_->Read(in_.data(), kChunk);
          if (!got.ok()) return got.status();
          in_.resize(*got);
          in_pos_ = 0;
          if (*got == 0) {
            if (member_started_) {
              return absl::InvalidArgumentError(name_ +
                                                ": truncated gzip stream");
            }
            done_ = true;
            break;
          }
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
        z_.avail_in = static_cast<uInt>(in_.size() - in_pos_);
      }
      const uInt before = z_.avail_in;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      in_pos_ += before - z_.avail_in;
      member_started_ = true;
      if (rc == Z_STREAM_END) {
        // Another member may follow; trailing zero bytes are padding.
        member_started_ = false;
        inflateReset(&z_);
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return absl::InvalidArgumentError(
            absl::StrCat(name_, ": corrupt gzip stream (",
                         z_.msg != nullptr ? z_.msg : "zlib error", ")"));
      }
    }
    return n - z_.avail_out;
  }

 private:
  std::unique_ptr<ByteReader> raw_;
  std::string name_;
  std::string in_;
  std::size_t in_pos_ = 0;
  z_stream z_;
  bool ok_ = false;
  bool done_ = false;
  bool member_started_ = false;
};

bool IsWhitespace(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

absl::StatusOr<std::unique_ptr<ByteReader>> OpenInput(const std::string& path) {
  std::unique_ptr<ByteReader> raw;
  const std::string name = path == "-" ? "<stdin>" : path;
  if (path == "-") {
    raw = std::make_unique<FileReader>(stdin, false);
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      return absl::InvalidArgumentError(path + ": is a directory");
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return absl::NotFoundError(path + ": cannot open file");
    raw = std::make_unique<FileReader>(f, true);
  }
  // Sniff the gzip magic number; the bytes read go to whichever reader
  // comes next.
  std::string head(2, '\0');
  std::size_t have = 0;
  while (have < 2) {
    absl::StatusOr<std::size_t> got = raw->Read(head.data() + have, 2 - have);
    if (!got.ok())
      return absl::InternalError(name + ": " +
                                 std::string(got.status().message()));
    if (*got == 0) break;
    have += *got;
  }
  head.resize(have);
  if (have == 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b) {
    return std::unique_ptr<ByteReader>(
        std::make_unique<GzipReader>(std::move(raw), name, std::move(head)));
  }
  // Plain: replay the sniffed bytes first.
  class Prefixed : public ByteReader {
   public:
    Prefixed(std::string head, std::unique_ptr<ByteReader> rest)
        : head_(std::move(head)), rest_(std::move(rest)) {}
    absl::StatusOr<std::size_t> Read(char* buffer, std::size_t n) override {
      if (pos_ < head_.size()) {
        const std::size_t k = std::min(n, head_.size() - pos_);
        std::memcpy(buffer, head_.data() + pos_, k);
        pos_ += k;
        return k;
      }
      return rest_->Read(buffer, n);
    }

   private:
    std::string head_;
    std::size_t pos_ = 0;
    std::unique_ptr<ByteReader> rest_;
  };
  return std::unique_ptr<ByteReader>(
      std::make_unique<Prefixed>(std::move(head), std::move(raw)));
}

std::unique_ptr<ByteReader> MemoryInput(std::string bytes) {
  return std::make_unique<MemoryReader>(std::move(bytes));
}

JsonValueStream::JsonValueStream(std::unique_ptr<ByteReader> input,
                                 std::string name, JsonStreamLimits limits,
                                 bool records_object)
    : input_(std::move(input)),
      name_(std::move(name)),
      limits_(limits),
      records_object_(records_object),
      buffer_(kChunk) {}

int JsonValueStream::Peek() {
  if (pos_ < end_) return static_cast<unsigned char>(buffer_[pos_]);
  if (eof_) return -1;
  absl::StatusOr<std::size_t> got = input_->Read(buffer_.data(), kChunk);
  if (!got.ok()) {
    read_error_ = got.status();
    eof_ = true;
    return -1;
  }
  pos_ = 0;
  end_ = *got;
  if (end_ == 0) {
    eof_ = true;
    return -1;
  }
  return static_cast<unsigned char>(buffer_[pos_]);
}

void JsonValueStream::Advance() {
  if (buffer_[pos_] == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  ++pos_;
}

void JsonValueStream::SkipWhitespace() {
  for (int c = Peek(); IsWhitespace(c); c = Peek()) Advance();
}

absl::Status JsonValueStream::ErrorAt(int line, int column,
                                      const std::string& message) const {
  if (!read_error_.ok()) {
    std::string m(read_error_.message());
    if (!absl::StartsWith(m, name_)) m = name_ + ": " + m;
    return absl::Status(read_error_.code(), m);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(name_, ":", line, ":", column, ": ", message));
}

absl::Status JsonValueStream::ErrorHere(const std::string& message) const {
  return ErrorAt(line_, column_, message);
}

absl::Status JsonValueStream::ReadByte(char expected, const char* what) {
  SkipWhitespace();
  if (Peek() != static_cast<unsigned char>(expected)) {
    return ErrorHere(Peek() < 0 ? absl::StrCat("unexpected end of input, "
                                               "expected ",
                                               what)
                                : absl::StrCat("expected ", what));
  }
  Advance();
  return absl::OkStatus();
}

absl::Status JsonValueStream::ReadString(std::string* raw) {
  return CopyValue(raw, 0, line_, column_);
}

absl::Status JsonValueStream::CopyValue(std::string* out, int depth, int line,
                                        int column) {
  const std::size_t max = limits_.max_value_bytes;
  auto too_big = [&] {
    return ErrorAt(
        line, column,
        absl::StrCat("value larger than ", max, " bytes (max_value_bytes)"));
  };
  int c = Peek();
  if (c < 0) return ErrorHere("unexpected end of input, expected a value");
  if (depth == 0 && c != '{' && c != '[' && c != '"') {
    // A scalar: up to the next delimiter; json::Parse judges it.
    while (c >= 0 && !IsWhitespace(c) && c != ',' && c != ']' && c != '}') {
      if (out != nullptr) {
        if (out->size() >= max) return too_big();
        out->push_back(static_cast<char>(c));
      }
      Advance();
      c = Peek();
    }
    return absl::OkStatus();
  }
  bool in_string = false, escaped = false;
  while (true) {
    if (Peek() < 0) {
      return ErrorHere(in_string ? "unterminated string"
                                 : "unexpected end of input inside a value");
    }
    // Scan the buffered bytes without per-byte calls.
    const char* data = buffer_.data();
    std::size_t i = pos_;
    bool finished = false;
    for (; i < end_; ++i) {
      const char ch = data[i];
      if (ch == '\n') {
        ++line_;
        column_ = 0;  // incremented below
      }
      ++column_;
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (ch == '\\') {
          escaped = true;
        } else if (ch == '"') {
          in_string = false;
          if (depth == 0) {
            ++i;
            finished = true;
            break;
          }
        }
        continue;
      }
      if (ch == '"') {
        in_string = true;
      } else if (ch == '{' || ch == '[') {
        if (++depth > limits_.max_depth) {
          pos_ = i;
          --column_;
          return ErrorHere(absl::StrCat("nesting deeper than ",
                                        limits_.max_depth, " (max_depth)"));
        }
      } else if (ch == '}' || ch == ']') {
        if (--depth == 0) {
          ++i;
          finished = true;
          break;
        }
      }
    }
    if (out != nullptr) {
      if (out->size() + (i - pos_) > max) return too_big();
      out->append(data + pos_, i - pos_);
    }
    pos_ = i;
    if (finished) return absl::OkStatus();
  }
}

absl::StatusOr<bool> JsonValueStream::Next(std::string* text, int* line,
                                           int* column) {
  text->clear();
  while (true) {
    if (!bom_checked_) {
      bom_checked_ = true;
      if (Peek() == 0xEF) {
        // A UTF-8 byte order mark: three bytes, not counted as columns.
        for (int k = 0; k < 3 && Peek() >= 0; ++k) ++pos_;
      }
    }
    switch (state_) {
      case State::kDone:
        return false;
      case State::kTop: {
        SkipWhitespace();
        const int c = Peek();
        if (c < 0) {
          if (!read_error_.ok()) return ErrorHere("");
          state_ = State::kDone;
          return false;
        }
        if (c == '[' && shape_ != StreamShape::kSequence) {
          Advance();
          shape_ = StreamShape::kArray;
          top_is_array_ = true;
          first_element_ = true;
          state_ = State::kInArray;
          continue;
        }
        *line = line_;
        *column = column_;
        if (c == '{' && records_object_ && shape_ != StreamShape::kSequence) {
          // {"Records": [ ... or the first object of a sequence.
          Advance();
          text->push_back('{');
          SkipWhitespace();
          if (Peek() == '"') {
            std::string raw;
            if (absl::Status s = ReadString(&raw); !s.ok()) return s;
            absl::StatusOr<json::Value> key = json::Parse(raw);
            if (key.ok() && key->is_string() &&
                key->string_value() == "Records") {
              if (absl::Status s = ReadByte(':', "':' after \"Records\"");
                  !s.ok()) {
                return s;
              }
              if (absl::Status s = ReadByte('[',
                                            "'[' (Records must be an "
                                            "array)");
                  !s.ok()) {
                return s;
              }
              shape_ = StreamShape::kRecords;
              top_is_array_ = false;
              first_element_ = true;
              state_ = State::kInArray;
              text->clear();
              continue;
            }
            text->append(raw);
          }
          shape_ = StreamShape::kSequence;
          if (absl::Status s = CopyValue(text, 1, *line, *column); !s.ok()) {
            return s;
          }
          return true;
        }
        shape_ = StreamShape::kSequence;
        if (absl::Status s = CopyValue(text, 0, *line, *column); !s.ok()) {
          return s;
        }
        if (text->empty()) {
          return ErrorHere(absl::StrCat("unexpected '", std::string(1, c),
                                        "' where a value should start"));
        }
        return true;
      }
      case State::kInArray: {
        SkipWhitespace();
        int c = Peek();
        if (c == ']') {
          Advance();
          state_ = top_is_array_ ? State::kTop : State::kAfterRecords;
          if (top_is_array_) shape_ = StreamShape::kArray;
          continue;
        }
        if (!first_element_) {
          if (c != ',') {
            return ErrorHere(c < 0 ? "unexpected end of input, expected ',' "
                                     "or ']'"
                                   : "expected ',' or ']' after an element");
          }
          Advance();
          SkipWhitespace();
          c = Peek();
        }
        first_element_ = false;
        *line = line_;
        *column = column_;
        if (c < 0 || c == ']' || c == ',') {
          return ErrorHere(c < 0 ? "unexpected end of input, expected an "
                                   "element"
                                 : "expected an element");
        }
        if (absl::Status s = CopyValue(text, 0, *line, *column); !s.ok()) {
          return s;
        }
        return true;
      }
      case State::kAfterRecords: {
        // Other members of the wrapper object are skipped.
        SkipWhitespace();
        const int c = Peek();
        if (c == '}') {
          Advance();
          state_ = State::kTop;
          continue;
        }
        if (c != ',') {
          return ErrorHere(c < 0 ? "unexpected end of input, expected '}'"
                                 : "expected ',' or '}' after \"Records\"");
        }
        Advance();
        SkipWhitespace();
        if (Peek() != '"') return ErrorHere("expected a member name");
        std::string raw;
        if (absl::Status s = ReadString(&raw); !s.ok()) return s;
        if (absl::Status s = ReadByte(':', "':' after a member name");
            !s.ok()) {
          return s;
        }
        SkipWhitespace();
        if (absl::Status s = CopyValue(nullptr, 0, line_, column_); !s.ok()) {
          return s;
        }
        continue;
      }
    }
  }
}

std::string PlaceParseError(const std::string& name, int line, int column,
                            absl::string_view message) {
  int at_line = 0, at_column = 0;
  const std::size_t c1 = message.find(':');
  const std::size_t c2 =
      c1 == absl::string_view::npos ? c1 : message.find(':', c1 + 1);
  if (c2 != absl::string_view::npos &&
      absl::SimpleAtoi(message.substr(0, c1), &at_line) &&
      absl::SimpleAtoi(message.substr(c1 + 1, c2 - c1 - 1), &at_column)) {
    if (at_line == 1) at_column += column - 1;
    at_line += line - 1;
    absl::string_view rest = message.substr(c2 + 1);
    if (absl::StartsWith(rest, " ")) rest.remove_prefix(1);
    return absl::StrCat(name, ":", at_line, ":", at_column, ": ", rest);
  }
  return absl::StrCat(name, ":", line, ":", column, ": ", message);
}

absl::StatusOr<std::vector<std::string>> ExpandInputPaths(
    const std::vector<std::string>& paths, std::size_t max_files) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  auto add = [&](std::string p) -> absl::Status {
    if (out.size() >= max_files) {
      return absl::InvalidArgumentError(absl::StrCat(
          p, ": more than ", max_files, " input files (max_files)"));
    }
    out.push_back(std::move(p));
    return absl::OkStatus();
  };
  for (const std::string& path : paths) {
    if (path == "-") {
      if (absl::Status s = add(path); !s.ok()) return s;
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      return absl::NotFoundError(path + ": no such file or directory");
    }
    if (!fs::is_directory(st)) {
      if (absl::Status s = add(path); !s.ok()) return s;
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(
        path, fs::directory_options::skip_permission_denied, ec);
    if (ec) return absl::NotFoundError(path + ": cannot read directory");
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return absl::InternalError(path + ": " + ec.message());
      const fs::directory_entry& e = *it;
      const std::string name = e.path().filename().string();
      if (e.is_directory(ec) && !e.is_symlink(ec)) {
        if (name == "CloudTrail-Digest") it.disable_recursion_pending();
        continue;
      }
      // Links to files are read; links to directories are not entered.
      if (!e.is_regular_file(ec)) continue;
      std::string base = name;
      if (absl::EndsWith(base, ".gz")) base.resize(base.size() - 3);
      if (!absl::EndsWith(base, ".json") && !absl::EndsWith(base, ".jsonl") &&
          !absl::EndsWith(base, ".ndjson")) {
        continue;
      }
      found.push_back(e.path().string());
      if (found.size() + out.size() > max_files) {
        return absl::InvalidArgumentError(
            absl::StrCat(e.path().string(), ": more than ", max_files,
                         " input files (max_files)"));
      }
    }
    std::sort(found.begin(), found.end());
    for (std::string& f : found) {
      if (absl::Status s = add(std::move(f)); !s.ok()) return s;
    }
  }
  return out;
}

}  // namespace leastpriv::replay
