// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/review/checkout.h"

#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace leastpriv::review_internal {
namespace {

namespace fs = std::filesystem;

}  // namespace

absl::StatusOr<Checkout> LoadCheckout(const std::string& root,
                                      const ReviewOptions& options) {
  Checkout c;
  c.root = root;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return absl::NotFoundError(absl::StrCat(root, ": not a directory"));
  }
  ProjectOptions po;
  po.root = root;
  po.config = (fs::path(root) / options.config).string();
  po.require_config = true;
  // The file alone says the account and region of a checkout.
  po.account_option.clear();
  po.region_option.clear();
  po.root_relative_names = true;
  absl::StatusOr<Project> project = LoadProject(po);
  if (!project.ok()) return project.status();
  c.project = *std::move(project);
  for (ProjectRole& role : c.project.roles) {
    if (!role.status.ok()) {
      return absl::Status(role.status.code(),
                          absl::StrCat(po.config, ": role \"", role.name,
                                       "\": ", role.status.message()));
    }
    std::string name = role.name;
    c.roles.emplace(std::move(name), std::move(role));
  }
  c.project.roles.clear();
  for (const Finding& f : c.project.iac_problems) {
    Checkout::Note n;
    n.key = absl::StrCat("iac|", std::string(FindingCodeName(f.code)), "|",
                         f.pos.file, "|", f.message);
    n.severity = Severity::kWarning;
    n.title =
        absl::StrCat("Policy problem: ", std::string(FindingCodeName(f.code)));
    n.body = absl::StrCat(f.message, ".");
    n.file = f.pos.file;
    n.line = f.pos.line;
    c.findings.push_back(std::move(n));
  }
  auto scan = ScanProject(c.project.code_dir);
  if (!scan.ok()) return scan.status();
  c.scan = *std::move(scan);
  c.code_prefix = c.project.code.empty() ? "" : c.project.code + "/";
  return c;
}

absl::StatusOr<std::map<std::string, CheckReport>> RunChecks(
    const Checkout& c, const ReviewOptions& options) {
  std::map<std::string, CheckReport> out;
  if (c.scan.operations.empty() && c.scan.findings.empty()) return out;
  for (const auto& [name, role] : c.roles) {
    if (!c.project.config.code_role.empty() &&
        name != c.project.config.code_role) {
      continue;
    }
    if (role.policies.identity.empty()) continue;  // a boundary alone
    CheckInput in =
        ProjectCheckInput(c.project, role, c.scan, options.analysis);
    in.code_prefix = c.code_prefix;
    auto report = RunCheck(in);
    if (!report.ok()) {
      return absl::Status(
          report.status().code(),
          absl::StrCat(c.root, ": ", report.status().message()));
    }
    // Evidence relative to the checkout, as comments are anchored.
    for (MissingOperation& m : report->missing) {
      for (SourcePos& e : m.evidence) e.file = c.code_prefix + e.file;
    }
    out.emplace(name, *std::move(report));
  }
  return out;
}

}  // namespace leastpriv::review_internal
