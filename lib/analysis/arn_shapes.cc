// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/arn_shapes.h"

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

using smt::CharRange;
using smt::TokenPattern;

TokenPattern ArnComponents(int n) {
  TokenPattern g;
  g.AddLiteral("arn:", false);
  for (int i = 0; i < n; ++i)
    g.AddStar(CharRange::kNoColon).AddLiteral(":", false);
  return g;
}

void AddValidName(std::string_view var, TokenPattern& shape) {
  if (var == "Region") {
    shape.AddExactly(CharRange::kLower, 2).AddLiteral("-", false);
    shape.AddExactly(CharRange::kLower, 1).AddStar(CharRange::kLowerDash);
    shape.AddLiteral("-", false)
        .AddExactly(CharRange::kDigit, 1)
        .AddStar(CharRange::kDigit);
  } else if (var == "Account") {
    shape.AddExactly(CharRange::kDigit, 12);
  } else if (var == "StreamLabel") {
    shape.AddExactly(CharRange::kDigit, 4).AddLiteral("-", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral("-", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral("T", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral(":", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral(":", false);
    shape.AddExactly(CharRange::kDigit, 2).AddLiteral(".", false);
    shape.AddExactly(CharRange::kDigit, 3);
  } else if (var == "BackupName" || var == "ExportName" ||
             var == "ImportName") {
    shape.AddExactly(CharRange::kDigit, 14).AddLiteral("-", false);
    shape.AddExactly(CharRange::kHexLower, 8);
  } else {  // TableName, IndexName, GlobalTableName
    shape.AddExactly(CharRange::kNameChar, 3).AddStar(CharRange::kNameChar);
  }
}

}  // namespace leastpriv::analysis
