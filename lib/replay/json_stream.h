// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Reading many JSON values from one input without holding the input in
// memory: the elements of a CloudTrail log file ({"Records": [...]}, as S3
// delivers it), of a top-level array, or a sequence of values (JSON lines).
// Files may be gzip-compressed (detected by their first bytes). Each value
// is handed out as its own text with the position it starts at, for
// json::Parse; memory is bounded by the largest value, never by the input.

#ifndef LEASTPRIV_LIB_REPLAY_JSON_STREAM_H_
#define LEASTPRIV_LIB_REPLAY_JSON_STREAM_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace leastpriv::replay {

// Bytes of one input: a file, gzip-compressed or not, or standard input.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `n` bytes into `buffer`; 0 at the end of the input.
  // InvalidArgument "NAME: ..." for a corrupt gzip stream, Internal for a
  // read error.
  virtual absl::StatusOr<std::size_t> Read(char* buffer, std::size_t n) = 0;
};

// Opens `path` ("-" for standard input). A gzip stream (including several
// concatenated members) is decompressed as it is read. NotFound when the
// file cannot be opened.
absl::StatusOr<std::unique_ptr<ByteReader>> OpenInput(const std::string& path);

// A reader over bytes held in memory (tests, fuzzers).
std::unique_ptr<ByteReader> MemoryInput(std::string bytes);

struct JsonStreamLimits {
  // One value's text, in bytes.
  std::size_t max_value_bytes = 1u << 20;
  // Containers nested inside each other, counted from the value itself
  // (the Records wrapper does not count).
  int max_depth = 64;
};

// How the values were found.
enum class StreamShape {
  kUnknown,   // nothing read yet, or an empty input
  kRecords,   // {"Records": [v, ...]}: the CloudTrail S3 file format
  kArray,     // [v, ...]
  kSequence,  // v v ... (JSON lines, or values separated by any whitespace)
};

class JsonValueStream {
 public:
  // `name` prefixes positions in errors ("logs/a.json.gz:3:17: ...").
  // `records_object`: recognise {"Records": [...]} as a wrapper (otherwise an
  // object is always one value of a sequence).
  JsonValueStream(std::unique_ptr<ByteReader> input, std::string name,
                  JsonStreamLimits limits, bool records_object = true);

  // Reads the next value into `*text` and its position (line and column of
  // its first byte, from 1; columns count bytes). Returns false at the end.
  // The text is not validated beyond its brackets and strings: parse it with
  // json::Parse. Errors are InvalidArgument "NAME:LINE:COL: message": a
  // value over max_value_bytes (naming "max_value_bytes"), nesting deeper
  // than max_depth ("max_depth"), unbalanced brackets, a missing ',' between
  // elements, an unterminated string, content after the end.
  absl::StatusOr<bool> Next(std::string* text, int* line, int* column);

  StreamShape shape() const { return shape_; }
  const std::string& name() const { return name_; }

 private:
  enum class State { kTop, kInArray, kAfterRecords, kDone };

  int Peek();  // -1 at the end of input or on a read error (see read_error_)
  void Advance();
  void SkipWhitespace();
  absl::Status ErrorHere(const std::string& message) const;
  absl::Status ErrorAt(int line, int column, const std::string& message) const;
  // Appends (or skips, when `out` is null) one value, which may already
  // have been opened: `depth` containers open, `in_string` inside a string.
  absl::Status CopyValue(std::string* out, int depth, int line, int column);
  absl::Status ReadString(std::string* raw);  // raw text, quotes included
  absl::Status ReadByte(char expected, const char* what);

  std::unique_ptr<ByteReader> input_;
  std::string name_;
  JsonStreamLimits limits_;
  bool records_object_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  absl::Status read_error_;
  int line_ = 1, column_ = 1;
  bool bom_checked_ = false;
  State state_ = State::kTop;
  StreamShape shape_ = StreamShape::kUnknown;
  bool first_element_ = true;
  bool top_is_array_ = false;  // kInArray for a bare array (not Records)
};

// A json::Parse error ("LINE:COL: message", positions inside one value's
// text) placed in the input the value was read from: "NAME:L:C: message",
// where the value starts at `line`:`column` of NAME. A message without a
// position is placed at the value's start.
std::string PlaceParseError(const std::string& name, int line, int column,
                            absl::string_view message);

// The files an input argument names: FILE itself, or every file under DIR
// (recursively, links to directories not followed, in byte order of their
// paths) whose name ends in .json, .jsonl, .ndjson, optionally followed by
// .gz, outside CloudTrail-Digest directories; "-" is itself.
// InvalidArgument when more than `max_files` files are found
// ("max_files"); NotFound when the path does not exist.
absl::StatusOr<std::vector<std::string>> ExpandInputPaths(
    const std::vector<std::string>& paths, std::size_t max_files);

}  // namespace leastpriv::replay

#endif  // LEASTPRIV_LIB_REPLAY_JSON_STREAM_H_
