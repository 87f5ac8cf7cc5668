// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// GroupExcess: the excess pairs of a report as a person reads them, by
// granting statement, then risk, with the actions listed once and their
// resources summarised.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "leastpriv/report.h"
#include "lib/glob/glob.h"

namespace leastpriv {
namespace {

// The parts of a table ARN after "table/NAME/" that name sub-resources, with
// the word for several of them.
constexpr std::pair<const char*, const char*> kSubResources[] = {
    {"index", "indexes"},  {"stream", "streams"}, {"backup", "backups"},
    {"export", "exports"}, {"import", "imports"},
};

// Every resource of a kind, as the policies grant it on every table.
std::string EveryName(const std::string& pattern) {
  if (pattern == "table/*") return "every table";
  if (pattern == "global-table/*") return "every global table";
  for (const auto& kind : kSubResources) {
    if (pattern == absl::StrCat("table/*/", kind.first, "/*")) {
      return absl::StrCat("every ", kind.first);
    }
  }
  return "";
}

using StatementKey =
    std::tuple<std::string, int, int, std::string, std::string>;

StatementKey KeyOf(const StatementLocation& s) {
  return {s.file, s.line, s.column, s.sid, s.policy};
}

}  // namespace

namespace {

std::vector<std::string> SummaryParts(
    const std::vector<std::string>& resources, const std::string& arn_prefix,
    const std::vector<std::string>& used_tables) {
  // Global tables have no region: "arn:aws:dynamodb::ACCOUNT:".
  std::string global_prefix;
  {
    std::vector<std::string> f = absl::StrSplit(arn_prefix, ':');
    if (f.size() == 6)
      global_prefix = absl::StrCat(f[0], ":", f[1], ":", f[2], "::", f[4], ":");
  }
  // Short forms, in order, each once. An excess resource may list several
  // patterns ("ARN/stream/*, ARN").
  std::vector<std::string> items;
  std::set<std::string> seen;
  for (const std::string& listed : resources) {
    for (absl::string_view piece : absl::StrSplit(listed, ", ")) {
      std::string r(piece);
      for (const std::string& p : {arn_prefix, global_prefix}) {
        if (!p.empty() && absl::StartsWith(r, p)) {
          r = r.substr(p.size());
          break;
        }
      }
      if (seen.insert(r).second) items.push_back(std::move(r));
    }
  }
  // A pattern stands for what it matches at the same depth (table/* for
  // table/orders and table/shop-*, not for table/orders/index/*, which says
  // more to a reader on its own).
  auto depth = [](const std::string& s) {
    return std::count(s.begin(), s.end(), '/');
  };
  auto covered = [&](const std::string& s) {
    for (const std::string& p : items) {
      if (p != s && p != "*" && HasWildcard(p) && depth(p) == depth(s) &&
          GlobMatch(p, s)) {
        return true;
      }
    }
    return false;
  };
  std::vector<std::string> parts, rest;
  for (const std::string& s : items) {
    if (covered(s)) continue;
    std::string every = EveryName(s);
    (every.empty() ? rest : parts).push_back(every.empty() ? s : every);
  }
  // The used tables, and each kind of their sub-resources, when all of them
  // are there.
  auto take_all = [&](const std::string& suffix, const std::string& words) {
    if (used_tables.size() < 2) return;
    const std::set<std::string> all(rest.begin(), rest.end());
    std::set<std::string> drop;
    for (const std::string& t : used_tables) {
      std::string name = absl::StrCat("table/", t, suffix);
      if (!all.count(name)) return;
      drop.insert(std::move(name));
    }
    rest.erase(
        std::remove_if(rest.begin(), rest.end(),
                       [&](const std::string& s) { return drop.count(s) > 0; }),
        rest.end());
    parts.push_back(
        absl::StrCat(words, "the ", used_tables.size(), " used tables"));
  };
  take_all("", "");
  for (const auto& [part, plural] : kSubResources) {
    take_all(absl::StrCat("/", part, "/*"),
             absl::StrCat("the ", plural, " of "));
  }
  std::sort(rest.begin(), rest.end());
  const std::vector<std::string>& exact = rest;
  constexpr size_t kShown = 4;
  for (size_t i = 0; i < exact.size() && i < kShown; ++i) {
    parts.push_back(exact[i]);
  }
  if (exact.size() > kShown) {
    parts.push_back(absl::StrCat(exact.size() - kShown, " more"));
  }
  return parts;
}

// The kinds of resource "every X" names, in the order they are listed.
constexpr const char* kEveryKinds[] = {
    "table", "index", "stream", "backup", "export", "import", "global table"};

// True when every part is "every X" or "*": the actions are granted on
// whatever they apply to.
bool Wide(const std::vector<std::string>& parts) {
  for (const std::string& p : parts) {
    if (p != "*" && !absl::StartsWith(p, "every ")) return false;
  }
  return true;
}

// "every table, stream and backup, and *".
std::string WideSummary(const std::set<std::string>& parts) {
  std::vector<std::string> kinds;
  for (const char* k : kEveryKinds) {
    if (parts.count(absl::StrCat("every ", k))) kinds.push_back(k);
  }
  std::string out;
  if (!kinds.empty()) {
    out = "every " + kinds.front();
    for (size_t i = 1; i < kinds.size(); ++i) {
      absl::StrAppend(&out, i + 1 == kinds.size() ? " and " : ", ", kinds[i]);
    }
  }
  if (parts.count("*")) out = out.empty() ? "*" : out + ", and *";
  return out;
}

}  // namespace

std::string SummariseResources(const std::vector<std::string>& resources,
                               const std::string& arn_prefix,
                               const std::vector<std::string>& used_tables) {
  return absl::StrJoin(SummaryParts(resources, arn_prefix, used_tables), ", ");
}

std::vector<ExcessGroup> GroupExcess(const CheckReport& report) {
  std::string prefix;
  if (!report.account.empty() && !report.region.empty()) {
    prefix = absl::StrCat("arn:aws:dynamodb:", report.region, ":",
                          report.account, ":");
  } else {
    // A report without them (a review's excess): the first table ARN's.
    for (const ExcessPermission& e : report.excess) {
      std::vector<std::string> f = absl::StrSplit(e.resource, ':');
      if (f.size() >= 6 && f[0] == "arn" && !f[3].empty() && !f[4].empty()) {
        prefix =
            absl::StrCat(f[0], ":", f[1], ":", f[2], ":", f[3], ":", f[4], ":");
        break;
      }
    }
  }
  std::vector<std::string> used_tables;
  {
    std::set<std::string> t;
    for (const UsedOperation& u : report.used) {
      if (u.table != "*" && !u.table.empty()) t.insert(u.table);
    }
    used_tables.assign(t.begin(), t.end());
  }
  // Statement -> risk -> action -> resources, in report order.
  struct ByAction {
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> resources;
  };
  std::vector<StatementKey> statements;
  std::map<StatementKey, StatementLocation> location;
  std::map<StatementKey, std::map<Risk, ByAction>> tree;
  for (const ExcessPermission& e : report.excess) {
    StatementKey key = KeyOf(e.statement);
    if (!location.count(key)) {
      statements.push_back(key);
      location[key] = e.statement;
    }
    ByAction& by = tree[key][e.risk];
    auto& list = by.resources[e.action];
    if (list.empty()) by.order.push_back(e.action);
    list.push_back(e.resource);
  }
  // Statements by their worst risk, then where they are written.
  auto worst = [&](const StatementKey& k) { return tree[k].begin()->first; };
  std::stable_sort(statements.begin(), statements.end(),
                   [&](const StatementKey& a, const StatementKey& b) {
                     return std::make_tuple(worst(a), a) <
                            std::make_tuple(worst(b), b);
                   });
  std::vector<ExcessGroup> groups;
  for (const StatementKey& key : statements) {
    for (const auto& [risk, by] : tree[key]) {
      // Actions with the same summary share a group, in order of the first.
      // Actions granted on whatever they apply to ("every table", "every
      // stream, every table", "*") share one group: a broad grant is one
      // line per risk.
      std::vector<std::string> summaries;
      std::map<std::string, ExcessGroup> by_summary;
      std::set<std::string> wide_parts;
      for (const std::string& action : by.order) {
        const std::vector<std::string>& res = by.resources.at(action);
        std::vector<std::string> parts = SummaryParts(res, prefix, used_tables);
        std::string summary = absl::StrJoin(parts, ", ");
        if (Wide(parts)) {
          wide_parts.insert(parts.begin(), parts.end());
          summary = "\n";  // the wide group's key; named below
        }
        auto [it, inserted] = by_summary.try_emplace(summary);
        ExcessGroup& g = it->second;
        if (inserted) {
          summaries.push_back(summary);
          g.statement = location[key];
          g.risk = risk;
          g.resources = summary;
        }
        g.actions.push_back(action);
        g.pairs += static_cast<int>(res.size());
      }
      for (const std::string& s : summaries) {
        ExcessGroup& g = by_summary[s];
        if (s == "\n") g.resources = WideSummary(wide_parts);
        std::sort(g.actions.begin(), g.actions.end());
        groups.push_back(std::move(g));
      }
    }
  }
  return groups;
}

}  // namespace leastpriv
