// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/read_errors.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv::policy_internal {

namespace {

// Where a status keeps the finding code of unusable input.
constexpr char kFindingCodeUrl[] = "leastpriv/finding-code";

}  // namespace

absl::Status Unusable(FindingCode code, const SourcePos& pos,
                      std::string_view message) {
  return WithFindingCode(absl::InvalidArgumentError(absl::StrCat(
                             FormatPos(pos), ": ", Sv(message))),
                         code);
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
