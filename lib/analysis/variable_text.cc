// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/variable_text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "lib/eval/match.h"
#include "lib/eval/naming.h"

namespace leastpriv::analysis {

bool UsesVariables(const Policy& policy, std::string_view text) {
  return policy.version == "2012-10-17" &&
         text.find("${") != std::string_view::npos;
}

std::string WholeVariable(const std::string& text) {
  if (text.size() < 4 || text.compare(0, 2, "${") != 0 || text.back() != '}' ||
      text.find('}') != text.size() - 1) {
    return "";
  }
  std::string inner = text.substr(2, text.size() - 3);
  return absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(inner.substr(0, inner.find(','))));
}

std::vector<VariableUse> VariablesIn(const std::string& text) {
  std::vector<VariableUse> out;
  std::size_t i = 0;
  while ((i = text.find("${", i)) != std::string::npos) {
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string::npos) break;
    const std::string inner = text.substr(i + 2, close - i - 2);
    i = close + 1;
    const std::size_t comma = inner.find(',');
    out.push_back(
        {std::string(absl::StripAsciiWhitespace(inner.substr(0, comma))),
         comma != std::string::npos});
  }
  return out;
}

std::optional<Occurrence> SplitAtVariable(const std::string& text,
                                          const std::string& source) {
  const size_t open = text.find("${");
  if (open == std::string::npos) return std::nullopt;
  const size_t close = text.find('}', open);
  if (close == std::string::npos ||
      text.find("${", close) != std::string::npos) {
    return std::nullopt;
  }
  const std::string inner = text.substr(open + 2, close - open - 2);
  // A default (`${key, 'value'}`) stands in only when the key is absent,
  // where the text is a constant; present, the key's value is substituted.
  if (absl::AsciiStrToLower(absl::StripAsciiWhitespace(
          inner.substr(0, inner.find(',')))) != source) {
    return std::nullopt;
  }
  return Occurrence{text.substr(0, open), text.substr(close + 1)};
}

}  // namespace leastpriv::analysis
