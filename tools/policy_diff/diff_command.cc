// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/policy_diff/diff_command.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "leastpriv/analyzer.h"
#include "leastpriv/diff.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/report.h"
#include "lib/json/json.h"
#include "lib/report/markdown_budget.h"
#include "lib/report/witness_json.h"
#include "tools/leastpriv/common/analysis_options.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"
#include "tools/policy_diff/manifest.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: policy-diff OLD NEW [policy options] [analysis options] "
    "[options]\n"
    "       policy-diff --old-dir DIR --new-dir DIR [policy options]\n"
    "                   [analysis options] [options]\n"
    "options:\n"
    "  --action ACTION               only this action (repeatable)\n"
    "  --table NAME                  only this table and its indexes, streams"
    " (repeatable)\n"
    "  --context KEY=VALUE[,VALUE]   fix a context key (empty: absent)\n"
    "  --format text|json|markdown   output format (default text)\n"
    "The policy options add the same policies to both sides.\n";
constexpr cli::CommandErrors kErrors("policy-diff", kUsage);

// Adds the policies given through the shared options to one side.
absl::Status AddShared(const PolicySet& shared, PolicySet* side,
                       const std::string& side_name) {
  for (const Policy& p : shared.identity) side->identity.push_back(p);
  for (const auto& [table, policies] : shared.resource) {
    for (const Policy& p : policies) side->resource[table].push_back(p);
  }
  if (shared.boundary) {
    if (side->boundary) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--boundary given, but the ", side_name, " side already has one"));
    }
    side->boundary = shared.boundary;
  }
  if (shared.session) {
    if (side->session) {
      return absl::InvalidArgumentError(
          absl::StrCat("--session-policy given, but the ", side_name,
                       " side already has one"));
    }
    side->session = shared.session;
  }
  for (const auto& level : shared.scp_levels) side->scp_levels.push_back(level);
  for (const auto& level : shared.rcp_levels) side->rcp_levels.push_back(level);
  return absl::OkStatus();
}

absl::StatusOr<Policy> LoadIdentity(const std::string& path) {
  ParseOptions options;
  options.file_name = path;
  options.kind = PolicyKind::kIdentity;
  return LoadPolicyFile(path, options);
}

json::Value OtherSideJson(const AccessChange& c) {
  std::vector<json::Value> unmet;
  for (const UnmetConditions& u : c.unmet_conditions) {
    std::vector<json::Value> conditions;
    for (const std::string& k : u.conditions) {
      conditions.push_back(json::Value::String(k));
    }
    unmet.push_back(json::Value::Object({
        {"statement", witness_json::StatementJson(u.statement)},
        {"conditions", json::Value::Array(std::move(conditions))},
    }));
  }
  const Decision& d = c.denied_by;
  return json::Value::Object({
      {"decision", json::Value::String(std::string(DecisionKindName(d.kind)))},
      {"reason", json::Value::String(d.reason)},
      {"statements", witness_json::StatementsJson(d.statements)},
      {"unmet_conditions", json::Value::Array(std::move(unmet))},
  });
}

json::Value ChangesJson(const std::vector<AccessChange>& changes) {
  std::vector<json::Value> out;
  for (const AccessChange& c : changes) {
    out.push_back(json::Value::Object({
        {"action", json::Value::String(c.action)},
        {"resources", witness_json::ResourcesJson(c.resources)},
        {"witness", witness_json::RequestJson(c.witness)},
        {"statements", witness_json::StatementsJson(c.granted_by.statements)},
        {"other_side", OtherSideJson(c)},
        {"note", json::Value::String(c.note)},
    }));
  }
  return json::Value::Array(std::move(out));
}

json::Value DiffJson(const PolicyDiff& diff) {
  std::vector<json::Value> undecided;
  for (const UndecidedAction& u : diff.undecided) {
    undecided.push_back(json::Value::Object({
        {"action", json::Value::String(u.action)},
        {"direction", json::Value::String(u.new_direction ? "new" : "removed")},
        {"reason", json::Value::String(u.reason)},
    }));
  }
  return json::Value::Object({
      {"verdict",
       json::Value::String(std::string(DiffVerdictName(diff.verdict)))},
      {"new_access", ChangesJson(diff.new_access)},
      {"removed_access", ChangesJson(diff.removed_access)},
      {"undecided", json::Value::Array(std::move(undecided))},
  });
}

std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string OtherSideText(const AccessChange& c) {
  const Decision& d = c.denied_by;
  if (d.kind == DecisionKind::kExplicitlyDenied) {
    std::vector<std::string> refs;
    for (const StatementRef& s : d.statements) {
      refs.push_back(witness_json::FormatStatement(s));
    }
    return absl::StrCat("denied by ", absl::StrJoin(refs, "; "));
  }
  std::string out = absl::StrCat("not allowed: ", d.reason);
  for (const UnmetConditions& u : c.unmet_conditions) {
    absl::StrAppend(&out, "; ", witness_json::FormatStatement(u.statement),
                    " matches but its conditions do not hold");
    if (!u.conditions.empty()) {
      absl::StrAppend(&out, " (", absl::StrJoin(u.conditions, ", "), ")");
    }
  }
  return out;
}

// The changes of one granting side, as a person reads them: by the
// statements that grant them (and what the other side says), then by risk,
// the actions of equal resources on one line. Every action and witness is
// in --format json.
struct ChangeLine {
  Risk risk = Risk::kRead;
  std::vector<std::string> actions;  // without "dynamodb:"
  std::string resources;
  const Request* witness = nullptr;  // of the first action
};
struct ChangeGroup {
  std::vector<std::string> statements;  // FormatStatement of each
  std::string other_side;
  std::string note;
  int actions = 0;
  std::vector<ChangeLine> lines;  // by risk, then first appearance
};

std::string ResourcesOf(const AccessChange& c) {
  std::vector<std::string> patterns, except;
  for (const ResourceSummary& s : c.resources) {
    patterns.insert(patterns.end(), s.patterns.begin(), s.patterns.end());
    except.insert(except.end(), s.except.begin(), s.except.end());
  }
  std::string out = SummariseResources(patterns, "", {});
  if (!except.empty()) {
    absl::StrAppend(&out, " except ", SummariseResources(except, "", {}));
  }
  return out;
}

std::vector<ChangeGroup> GroupChanges(
    const std::vector<AccessChange>& changes) {
  std::vector<ChangeGroup> groups;
  for (const AccessChange& c : changes) {
    std::vector<std::string> statements;
    for (const StatementRef& s : c.granted_by.statements) {
      statements.push_back(witness_json::FormatStatement(s));
    }
    const std::string other = OtherSideText(c);
    ChangeGroup* g = nullptr;
    for (ChangeGroup& x : groups) {
      if (x.statements == statements && x.other_side == other &&
          x.note == c.note) {
        g = &x;
      }
    }
    if (g == nullptr) {
      groups.push_back({statements, other, c.note, 0, {}});
      g = &groups.back();
    }
    ++g->actions;
    const Risk risk = ActionRisk(c.action);
    const std::string resources = ResourcesOf(c);
    const std::string name =
        absl::StartsWith(c.action, "dynamodb:") ? c.action.substr(9) : c.action;
    ChangeLine* line = nullptr;
    for (ChangeLine& l : g->lines) {
      if (l.risk == risk && l.resources == resources) line = &l;
    }
    if (line == nullptr) {
      g->lines.push_back({risk, {}, resources, &c.witness});
      line = &g->lines.back();
    }
    line->actions.push_back(name);
  }
  for (ChangeGroup& g : groups) {
    std::stable_sort(g.lines.begin(), g.lines.end(),
                     [](const ChangeLine& a, const ChangeLine& b) {
                       return a.risk < b.risk;
                     });
  }
  return groups;
}

std::string Actions(size_t n) {
  return absl::StrCat(n, n == 1 ? " action" : " actions");
}

void PrintChangesText(const std::vector<AccessChange>& changes,
                      const char* granting, const char* other,
                      std::ostream& out) {
  for (const ChangeGroup& g : GroupChanges(changes)) {
    out << "  " << Pad(granting, 13)
        << (g.statements.empty() ? "(no statement named)"
                                 : absl::StrJoin(g.statements, "; "))
        << ": " << Actions(g.actions) << "\n";
    out << "  " << Pad(other, 13) << g.other_side << "\n";
    if (!g.note.empty()) out << "  " << Pad("note", 13) << g.note << "\n";
    for (const ChangeLine& l : g.lines) {
      out << "    " << Pad(std::string(RiskName(l.risk)), 13) << "  "
          << absl::StrJoin(l.actions, ", ") << " on " << l.resources << "\n";
    }
    out << "    " << Pad("e.g. witness", 13) << "  "
        << witness_json::FormatRequest(*g.lines.front().witness) << "\n";
  }
}

void PrintText(const PolicyDiff& diff, std::ostream& out) {
  std::size_t undecided_new = 0;
  for (const UndecidedAction& u : diff.undecided)
    undecided_new += u.new_direction;
  out << "verdict: " << DiffVerdictName(diff.verdict) << " ("
      << diff.new_access.size() << " actions with new access, "
      << diff.removed_access.size() << " with removed access, "
      << diff.undecided.size() << " undecided)\n";
  if (!diff.new_access.empty()) {
    out << "\nnew access (allowed by NEW, denied by OLD), by granting "
           "statement and risk; `--format json` for every action's witness:\n";
    PrintChangesText(diff.new_access, "granted by", "old side", out);
  }
  if (!diff.removed_access.empty()) {
    out << "\nremoved access (allowed by OLD, denied by NEW), by granting "
           "statement and risk; `--format json` for every action's witness:\n";
    PrintChangesText(diff.removed_access, "granted by", "new side", out);
  }
  if (!diff.undecided.empty()) {
    out << "\nundecided:\n";
    for (const UndecidedAction& u : diff.undecided) {
      out << "  " << u.action << " ("
          << (u.new_direction ? "new access" : "removed access")
          << "): " << u.reason << "\n";
    }
  }
}

std::string Cell(const std::string& s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}});
}

std::string Code(const std::string& s) {
  return absl::StrCat("`", Cell(s), "`");
}

void PrintChangesMarkdown(const std::vector<AccessChange>& changes,
                          report::MarkdownBudget& out) {
  out.Section(
      "By granting statement and risk; `--format json` for every action's "
      "witness.\n\n| granted by | risk | actions | resources | example "
      "witness |\n| --- | --- | --- | --- | --- |\n",
      "rows");
  for (const ChangeGroup& g : GroupChanges(changes)) {
    std::vector<std::string> statements;
    for (const std::string& s : g.statements) statements.push_back(Code(s));
    bool first = true;
    for (const ChangeLine& l : g.lines) {
      std::vector<std::string> actions;
      for (const std::string& a : l.actions) actions.push_back(Code(a));
      out.Row(absl::StrCat(
          "| ", absl::StrJoin(statements, "<br>"), " | ",
          std::string(RiskName(l.risk)), " | ", absl::StrJoin(actions, ", "),
          " | ", Code(l.resources), " | ",
          first ? absl::StrCat(Code(witness_json::FormatRequest(*l.witness)),
                               "<br>other side: ", Cell(g.other_side))
                : "as above",
          " |\n"));
      first = false;
    }
  }
}

std::string Markdown(const PolicyDiff& diff) {
  const char* headline = diff.verdict == DiffVerdict::kNewAccess ? "new access"
                         : diff.verdict == DiffVerdict::kUnknown
                             ? "undecided (treat as new access)"
                             : "no new access";
  report::MarkdownBudget out(report::kMarkdownLimit,
                             "`policy-diff --format json`");
  out.Always(absl::StrCat(
      "### policy-diff: ", headline, "\n\n", "Verdict `",
      std::string(DiffVerdictName(diff.verdict)), "`: ", diff.new_access.size(),
      " actions with new access, ", diff.removed_access.size(),
      " with removed access, ", diff.undecided.size(), " undecided.\n"));
  if (!diff.new_access.empty()) {
    out.Always("\n#### New access (allowed by the new policies only)\n\n");
    PrintChangesMarkdown(diff.new_access, out);
  }
  if (!diff.removed_access.empty()) {
    out.Always("\n#### Removed access (allowed by the old policies only)\n\n");
    PrintChangesMarkdown(diff.removed_access, out);
  }
  out.Section("\n#### Undecided\n\n", "undecided actions");
  for (const UndecidedAction& u : diff.undecided) {
    out.Row(absl::StrCat("- ", Code(u.action), " (",
                         u.new_direction ? "new access" : "removed access",
                         "): ", Cell(u.reason), "\n"));
  }
  return std::move(out).Finish();
}

}  // namespace

int RunPolicyDiffCommand(const std::vector<std::string>& args,
                         std::ostream& out, std::ostream& err) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << kUsage << cli::kAnalysisOptionsUsage << cli::kPolicyOptionsUsage;
      return 0;
    }
  }
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> shared =
      cli::ParsePolicyOptions(args, &rest);
  if (!shared.ok()) {
    return cli::PolicyOptionsError(shared.status(), "policy-diff", kUsage, err);
  }
  AnalysisScope scope;
  scope.account = shared->account;
  scope.region = shared->region;
  scope.principal = shared->principal;
  AnalysisOptions analysis_options;
  std::string format = "text";
  std::string old_dir, new_dir;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    absl::StatusOr<bool> analysis_option =
        cli::ReadAnalysisOption(rest, &i, &analysis_options, &scope.context);
    if (!analysis_option.ok()) {
      return kErrors.Usage(err,
                           std::string(analysis_option.status().message()));
    }
    if (*analysis_option) continue;
    if (arg == "--table" || arg == "--action" || arg == "--format" ||
        arg == "--old-dir" || arg == "--new-dir") {
      if (i + 1 >= rest.size())
        return kErrors.Usage(err, arg + " needs a value");
      const std::string& value = rest[++i];
      if (arg == "--table") {
        if (value.empty()) return kErrors.Usage(err, "--table needs a name");
        scope.tables.push_back(value);
      } else if (arg == "--action") {
        scope.actions.push_back(value);
      } else if (arg == "--format") {
        format = value;
      } else if (arg == "--old-dir") {
        old_dir = value;
      } else {
        new_dir = value;
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      return kErrors.Usage(err, "unknown option \"" + arg + "\"");
    }
    files.push_back(arg);
  }
  if (format != "json" && format != "text" && format != "markdown") {
    return kErrors.Usage(
        err, "--format must be text, json or markdown, not \"" + format + "\"");
  }
  const bool dirs = !old_dir.empty() || !new_dir.empty();
  if (dirs && !files.empty()) {
    return kErrors.Usage(err,
                         "give either OLD NEW or --old-dir and --new-dir, "
                         "not both");
  }
  if (dirs && (old_dir.empty() || new_dir.empty())) {
    return kErrors.Usage(err, "--old-dir and --new-dir go together");
  }
  if (!dirs && files.size() != 2) {
    return kErrors.Usage(err,
                         absl::StrCat("expected two policy files, OLD and NEW "
                                      "(got ",
                                      files.size(), ")"));
  }
  PolicySet sides[2];
  for (int i = 0; i < 2; ++i) {
    if (dirs) {
      auto set = cli::LoadPolicyManifest(i == 0 ? old_dir : new_dir);
      if (!set.ok())
        return kErrors.Input(err, std::string(set.status().message()));
      sides[i] = *std::move(set);
    } else {
      auto p = LoadIdentity(files[i]);
      if (!p.ok()) return kErrors.Input(err, std::string(p.status().message()));
      sides[i].identity.push_back(*std::move(p));
    }
    if (absl::Status s =
            AddShared(shared->policies, &sides[i], i == 0 ? "old" : "new");
        !s.ok()) {
      return kErrors.Usage(err, std::string(s.message()));
    }
  }
  absl::StatusOr<PolicyDiff> diff =
      DiffPolicies(sides[0], sides[1], scope, analysis_options);
  if (!diff.ok())
    return kErrors.Input(err, std::string(diff.status().message()));
  if (format == "json") {
    out << json::Serialize(DiffJson(*diff)) << "\n";
  } else if (format == "markdown") {
    out << Markdown(*diff);
  } else {
    PrintText(*diff, out);
  }
  switch (diff->verdict) {
    case DiffVerdict::kNoNewAccess:
      return 0;
    case DiffVerdict::kNewAccess:
      return 1;
    case DiffVerdict::kUnknown:
      return 3;
  }
  return 3;
}

}  // namespace leastpriv
