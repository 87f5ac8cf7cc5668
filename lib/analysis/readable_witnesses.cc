// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/analysis/readable_witnesses.h"

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

namespace {

// Whether `s` lies in class `c` of `part`: matches exactly its patterns.
bool InClass(const smt::Partition& part, std::size_t c, const std::string& s) {
  for (std::size_t i = 0; i < part.patterns().size(); ++i) {
    if (part.patterns()[i].Matches(s) != part.InPattern(c, i)) return false;
  }
  return true;
}

}  // namespace

void PreferWitnesses(const smt::Partition& part,
                     const std::vector<std::string>& candidates,
                     std::vector<std::string>& witnesses) {
  std::vector<char> taken(part.size(), 0);
  for (const std::string& v : candidates) {
    const std::size_t c = part.ClassOf(v);
    if (c >= part.size() || taken[c]) continue;
    taken[c] = 1;
    witnesses[c] = v;
  }
}

void AddPatternNames(std::string_view text, std::vector<std::string>& out) {
  const std::vector<std::string> pieces =
      absl::StrSplit(std::string(text), absl::ByAnyChar(":/"));
  for (const std::string& piece : pieces) {
    if (std::none_of(piece.begin(), piece.end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c));
        })) {
      continue;
    }
    for (const std::string fill : {"-audit", ""}) {
      std::string name;
      for (char c : piece) {
        if (c == '*') {
          if (!name.empty()) name += fill;
        } else {
          name += c == '?' ? 'x' : c;
        }
      }
      out.push_back(std::move(name));
    }
  }
}

std::string ReadableArn(const smt::Partition& part, std::size_t c,
                        const smt::WitnessHints& hints,
                        const std::vector<std::string>& names) {
  std::string w = part.at(c).witness;
  const eval::ArnParts arn = eval::SplitArn(w);
  if (!arn.ok || arn.service != "dynamodb") return w;
  std::vector<std::string> slots = {std::string(arn.region),
                                    std::string(arn.account)};
  std::vector<std::string> path =
      absl::StrSplit(std::string(arn.resource), '/');
  if (path.size() < 2) return w;
  const std::string prefix = "arn:" + std::string(arn.partition) + ":dynamodb:";
  auto text = [&](const std::vector<std::string>& s,
                  const std::vector<std::string>& p) {
    return absl::StrCat(prefix, s[0], ":", s[1], ":", absl::StrJoin(p, "/"));
  };
  auto try_slot = [&](std::string& slot,
                      const std::vector<std::string>& candidates) {
    for (const std::string& v : candidates) {
      if (v == slot) return;
      const std::string keep = slot;
      slot = v;
      if (InClass(part, c, text(slots, path))) return;
      slot = keep;
    }
  };
  if (!slots[0].empty()) try_slot(slots[0], hints.component[3]);
  try_slot(slots[1], hints.component[4]);
  try_slot(path[1], names);
  if (path.size() == 4) {
    if (path[2] == "index") try_slot(path[3], names);
    if (path[2] == "stream") try_slot(path[3], {"2024-06-06T06:06:06.123"});
    if (path[2] == "backup" || path[2] == "export" || path[2] == "import") {
      try_slot(path[3], {"01717171717171-a1b2c3d4"});
    }
  }
  return text(slots, path);
}

}  // namespace leastpriv::analysis
