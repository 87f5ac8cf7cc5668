// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/read_errors.h"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv::policy_internal {

namespace {

// Where a status keeps what the finding of unusable input is made of.
constexpr char kCodeUrl[] = "leastpriv/finding-code";
constexpr char kLineUrl[] = "leastpriv/finding-line";
constexpr char kColumnUrl[] = "leastpriv/finding-column";
constexpr char kMessageUrl[] = "leastpriv/finding-message";

// The payload `url` of `status` as a string, or nullopt.
std::optional<std::string> Payload(const absl::Status& status,
                                   const char* url) {
  auto payload = status.GetPayload(url);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

int IntPayload(const absl::Status& status, const char* url) {
  int value = 0;
  std::optional<std::string> text = Payload(status, url);
  if (!text.has_value() || !absl::SimpleAtoi(*text, &value)) return 0;
  return value;
}

}  // namespace

absl::Status UnusableInput(absl::StatusCode status_code, FindingCode code,
                           const SourcePos& pos, std::string_view message) {
  absl::Status status(status_code,
                      absl::StrCat(FormatPos(pos), ": ", Sv(message)));
  status.SetPayload(kCodeUrl, absl::Cord(std::string(FindingCodeName(code))));
  status.SetPayload(kLineUrl, absl::Cord(absl::StrCat(pos.line)));
  status.SetPayload(kColumnUrl, absl::Cord(absl::StrCat(pos.column)));
  status.SetPayload(kMessageUrl, absl::Cord(std::string(message)));
  return status;
}

absl::Status Unusable(FindingCode code, const SourcePos& pos,
                      std::string_view message) {
  return UnusableInput(absl::StatusCode::kInvalidArgument, code, pos, message);
}

Finding UnusableFinding(const absl::Status& status, const std::string& file) {
  Finding f;
  f.severity = Severity::kError;
  f.pos.file = file;
  std::optional<std::string> code = Payload(status, kCodeUrl);
  std::optional<std::string> message = Payload(status, kMessageUrl);
  if (!code.has_value() || !message.has_value()) {
    f.code = FindingCode::kFileUnreadable;
    f.message = std::string(status.message());
    return f;
  }
  f.code = ParseFindingCode(*code).value_or(FindingCode::kFileUnreadable);
  f.pos.line = IntPayload(status, kLineUrl);
  f.pos.column = IntPayload(status, kColumnUrl);
  f.message = *std::move(message);
  return f;
}

namespace {

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

}  // namespace

absl::Status JsonError(const absl::Status& status, const PositionMap& map) {
  int line, column;
  std::string rest;
  SplitJsonError(std::string(status.message()), line, column, rest);
  return Unusable(IsLimitMessage(rest) ? FindingCode::kLimitExceeded
                                       : FindingCode::kJsonSyntaxError,
                  map.Map(line, column), rest);
}

}  // namespace leastpriv::policy_internal
