// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/project/suggest.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"

namespace leastpriv::project_internal {
namespace {

// Optimal string alignment distance over ASCII-lower-cased bytes.
std::size_t Distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1,
                                          std::vector<std::size_t>(m + 1));
  auto same = [](char x, char y) {
    return absl::ascii_tolower(static_cast<unsigned char>(x)) ==
           absl::ascii_tolower(static_cast<unsigned char>(y));
  };
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                    d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
          same(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

std::string ClosestName(std::string_view name,
                        const std::vector<std::string_view>& known) {
  // Names in a configuration are short; a long one is no misspelling.
  if (name.size() > 64) return {};
  std::string best;
  std::size_t best_distance = 0;
  for (std::string_view k : known) {
    const std::size_t limit =
        std::max<std::size_t>(1, std::max(name.size(), k.size()) / 3);
    const std::size_t d = Distance(name, k);
    if (d <= limit && (best.empty() || d < best_distance)) {
      best = std::string(k);
      best_distance = d;
    }
  }
  return best;
}

}  // namespace leastpriv::project_internal
