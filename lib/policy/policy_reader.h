// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The policy reader behind ParsePolicy and ValidatePolicyText: turns JSON
// into a Policy and collects every structural problem instead of stopping at
// the first one.

#ifndef LEASTPRIV_LIB_POLICY_POLICY_READER_H_
#define LEASTPRIV_LIB_POLICY_POLICY_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "leastpriv/policy.h"
#include "leastpriv/validate.h"
#include "lib/json/json.h"

namespace leastpriv::policy_internal {

// absl::StrCat takes absl::string_view, which is not std::string_view here.
inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

// A parsed input file: its text, for mapping positions of embedded
// documents back to the file.
class SourceFile {
 public:
  SourceFile(std::string file, std::string_view text);
  const std::string& file() const { return file_; }
  std::string_view text() const { return text_; }
  // Byte offset of (line, column), or npos when out of range.
  std::size_t Offset(int line, int column) const;

 private:
  std::string file_;
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

struct ReadResult {
  Policy policy;
  // Structural problems (all errors), in source order. Statements with a
  // problem that makes them impossible to model are not in `policy`.
  std::vector<Finding> problems;
};

// Reads a policy from parsed JSON `root` (any accepted input shape) that was
// parsed from `source`. Returns an error Status only for unusable input:
// InvalidArgument "file:line:col: message" carrying its finding code (see
// FindingCodeOf).
absl::StatusOr<ReadResult> ReadPolicyValue(const json::Value& root,
                                           const SourceFile& source,
                                           const ParseOptions& options);

// Parses `text` and reads it as above; JSON errors carry kJsonSyntaxError
// or kLimitExceeded.
absl::StatusOr<ReadResult> ReadPolicyText(std::string_view text,
                                          const ParseOptions& options);

// Reads a whole file, honouring limits.max_bytes. Errors: NotFound,
// PermissionDenied, InvalidArgument ("file: ...").
absl::StatusOr<std::string> ReadFileBounded(const std::string& path,
                                            const std::string& display_name,
                                            std::size_t max_bytes);

// An error for input that cannot be used at all (kFileUnreadable,
// kJsonSyntaxError, kLimitExceeded, kNotAPolicy; see validate.h): a status
// of `status_code` whose message, "POS: message" (FormatPos), is for a
// person. The finding code, the position and the bare message travel
// beside it as payloads, so that nothing parses them back out of the text.
absl::Status UnusableInput(absl::StatusCode status_code, FindingCode code,
                           const SourcePos& pos, std::string_view message);

// The error finding an unusable-input error stands for, located in `file`
// (at the line and column of the error). A status that did not come from
// UnusableInput is kFileUnreadable with its whole message.
Finding UnusableFinding(const absl::Status& status, const std::string& file);

// JSON limits derived from policy limits.
json::JsonLimits ToJsonLimits(const ParseLimits& limits);

}  // namespace leastpriv::policy_internal

#endif  // LEASTPRIV_LIB_POLICY_POLICY_READER_H_
