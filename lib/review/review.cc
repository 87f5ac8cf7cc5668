// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "leastpriv/review.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "leastpriv/catalog.h"
#include "leastpriv/diff.h"
#include "leastpriv/iac.h"
#include "leastpriv/policy.h"
#include "leastpriv/pyscan.h"
#include "leastpriv/report.h"
#include "leastpriv/validate.h"
#include "lib/glob/glob.h"
#include "lib/json/json.h"
#include "lib/sarif/sarif.h"

namespace leastpriv {
namespace {

namespace fs = std::filesystem;
using json::Value;

constexpr std::size_t kMaxConfigBytes = 1u << 20;
constexpr char kDefaultRole[] = "default";

std::string At(const std::string& file, const Value& v) {
  return absl::StrCat(file, ":", v.line(), ":", v.column(), ": ");
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          std::size_t limit) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": larger than ", limit, " bytes"));
    }
  }
  return text;
}

absl::StatusOr<std::string> StringField(const std::string& file,
                                        const Value& v, const char* name) {
  if (!v.is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(At(file, v), "\"", name, "\" must be a string"));
  }
  return v.string_value();
}

absl::StatusOr<std::vector<std::string>> StringList(const std::string& file,
                                                    const Value& v,
                                                    const char* name) {
  if (!v.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(At(file, v), "\"", name, "\" must be a list of strings"));
  }
  std::vector<std::string> out;
  for (const Value& item : v.array()) {
    auto s = StringField(file, item, name);
    if (!s.ok()) return s.status();
    out.push_back(*s);
  }
  return out;
}

absl::StatusOr<ReviewConfig::PolicyFile> ReadPolicyEntry(
    const std::string& file, const Value& v) {
  if (!v.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(At(file, v), "a \"policies\" entry must be an object"));
  }
  ReviewConfig::PolicyFile p;
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [key, value] = v.object()[i];
    std::string* target = key == "file"    ? &p.file
                          : key == "kind"  ? &p.kind
                          : key == "role"  ? &p.role
                          : key == "table" ? &p.table
                                           : nullptr;
    if (target == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ":", v.key_line(i), ":", v.key_column(i),
          ": unknown policy field \"", key,
          "\" (expected file, kind, role, table)"));
    }
    auto s = StringField(file, value, key.c_str());
    if (!s.ok()) return s.status();
    *target = *s;
  }
  static const std::set<std::string> kKinds = {
      "identity", "boundary", "session", "scp", "rcp", "resource"};
  if (p.file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(At(file, v), "policy entry has no \"file\""));
  }
  if (!kKinds.count(p.kind)) {
    return absl::InvalidArgumentError(absl::StrCat(
        At(file, v), "policy kind must be one of identity, boundary, "
                     "session, scp, rcp, resource, not \"",
        p.kind, "\""));
  }
  if (p.kind == "resource" && p.table.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        At(file, v), "a resource policy entry needs \"table\""));
  }
  if (p.role.empty()) p.role = kDefaultRole;
  return p;
}

// A path of the configuration, inside `root`: relative, no "..", and not
// leading out of the checkout through a symbolic link.
absl::StatusOr<std::string> InsideCheckout(const std::string& root,
                                           const std::string& relative,
                                           const std::string& config_file) {
  fs::path rel(relative);
  bool escapes = rel.is_absolute();
  for (const fs::path& part : rel) escapes |= part == "..";
  if (!escapes) {
    std::error_code ec;
    fs::path canon_root = fs::weakly_canonical(root, ec);
    fs::path canon = fs::weakly_canonical(fs::path(root) / rel, ec);
    std::string r = canon_root.string(), c = canon.string();
    escapes = c.compare(0, r.size(), r) != 0 ||
              (c.size() > r.size() && c[r.size()] != '/');
  }
  if (escapes) {
    return absl::InvalidArgumentError(
        absl::StrCat(config_file, ": path \"", relative,
                     "\" leaves the checkout"));
  }
  return (fs::path(root) / rel).string();
}

// Everything a checkout says: its configuration, policies by role, the
// operations of its code and its findings.
struct Checkout {
  std::string root;
  ReviewConfig config;
  std::map<std::string, PolicySet> roles;
  std::vector<Policy> scps, rcps;
  std::map<std::string, std::vector<Policy>> resource;
  ScanResult scan;
  std::string code_prefix;  // code_dir + "/", or empty
  struct Note {
    std::string key;  // what identifies it across the two checkouts
    std::string severity;
    std::string title;
    std::string body;
    std::string file;
    int line = 0;
  };
  std::vector<Note> findings;
};

absl::Status AddPolicy(Checkout* c, PolicyKind kind, const std::string& role,
                       const std::string& table, Policy policy) {
  switch (kind) {
    case PolicyKind::kIdentity:
      c->roles[role].identity.push_back(std::move(policy));
      break;
    case PolicyKind::kBoundary:
      c->roles[role].boundary = std::move(policy);
      break;
    case PolicyKind::kSession:
      c->roles[role].session = std::move(policy);
      break;
    case PolicyKind::kScp:
      c->scps.push_back(std::move(policy));
      break;
    case PolicyKind::kRcp:
      c->rcps.push_back(std::move(policy));
      break;
    case PolicyKind::kResource:
      c->resource[table].push_back(std::move(policy));
      break;
  }
  return absl::OkStatus();
}

PolicyKind KindOf(const std::string& name) {
  if (name == "boundary") return PolicyKind::kBoundary;
  if (name == "session") return PolicyKind::kSession;
  if (name == "scp") return PolicyKind::kScp;
  if (name == "rcp") return PolicyKind::kRcp;
  if (name == "resource") return PolicyKind::kResource;
  return PolicyKind::kIdentity;
}

absl::StatusOr<ReviewConfig> ParseConfig(const std::string& file,
                                         const std::string& text) {
  absl::StatusOr<Value> doc = json::Parse(text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", doc.status().message()));
  }
  if (!doc->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(At(file, *doc), "configuration must be a JSON object"));
  }
  ReviewConfig config;
  for (std::size_t i = 0; i < doc->object().size(); ++i) {
    const auto& [key, value] = doc->object()[i];
    if (key == "account" || key == "region" || key == "code" ||
        key == "principal" || key == "code_role") {
      auto s = StringField(file, value, key.c_str());
      if (!s.ok()) return s.status();
      (key == "account"     ? config.account
       : key == "region"    ? config.region
       : key == "principal" ? config.principal
       : key == "code_role" ? config.code_role
                            : config.code_dir) = *s;
    } else if (key == "bindings") {
      if (!value.is_object()) {
        return absl::InvalidArgumentError(
            absl::StrCat(At(file, value), "\"bindings\" must be an object"));
      }
      for (const auto& [name, bound] : value.object()) {
        auto s = StringField(file, bound, "bindings");
        if (!s.ok()) return s.status();
        config.bindings[name] = *s;
      }
    } else if (key == "policies") {
      if (!value.is_array()) {
        return absl::InvalidArgumentError(
            absl::StrCat(At(file, value), "\"policies\" must be a list"));
      }
      for (const Value& item : value.array()) {
        auto p = ReadPolicyEntry(file, item);
        if (!p.ok()) return p.status();
        config.policies.push_back(*p);
      }
    } else if (key == "cloudformation" || key == "terraform") {
      auto list = StringList(file, value, key.c_str());
      if (!list.ok()) return list.status();
      (key == "cloudformation" ? config.cloudformation : config.terraform) =
          *list;
    } else if (key == "fail_on" || key == "$schema") {
      // Options of other commands sharing the file.
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ":", doc->key_line(i), ":", doc->key_column(i),
          ": unknown configuration field \"", key,
          "\" (expected account, region, principal, code, code_role, "
          "bindings, policies, cloudformation, terraform)"));
    }
  }
  return config;
}

absl::StatusOr<Checkout> LoadCheckout(const std::string& root,
                                      const ReviewOptions& options) {
  Checkout c;
  c.root = root;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return absl::NotFoundError(absl::StrCat(root, ": not a directory"));
  }
  const std::string config_path = (fs::path(root) / options.config).string();
  auto config = LoadReviewConfig(config_path);
  if (!config.ok()) return config.status();
  c.config = *std::move(config);

  for (const ReviewConfig::PolicyFile& p : c.config.policies) {
    auto path = InsideCheckout(root, p.file, config_path);
    if (!path.ok()) return path.status();
    auto text = ReadSmallFile(*path, 16u << 20);
    if (!text.ok()) return text.status();
    ParseOptions po;
    po.file_name = p.file;
    po.kind = KindOf(p.kind);
    auto policy = ParsePolicy(*text, po);
    if (!policy.ok()) return policy.status();
    if (policy->name.empty()) policy->name = p.file;
    auto s = AddPolicy(&c, po.kind, p.role, p.table, *std::move(policy));
    if (!s.ok()) return s;
  }
  IacOptions iac;
  iac.account_id = c.config.account;
  iac.region = c.config.region;
  auto add_extracted = [&c](std::vector<ExtractedPolicy> found) {
    for (ExtractedPolicy& e : found) {
      for (const Finding& f : e.problems) {
        Checkout::Note n;
        n.key = absl::StrCat("iac|", f.code, "|", f.pos.file, "|", f.message);
        n.severity = "warning";
        n.title = absl::StrCat("Policy problem: ", f.code);
        n.body = absl::StrCat(f.message, ".");
        n.file = f.pos.file;
        n.line = f.pos.line;
        c.findings.push_back(std::move(n));
      }
      if (!e.has_document) continue;
      std::string role = e.role.empty() ? e.policy.name : e.role;
      auto s = AddPolicy(&c, e.policy.kind, role, e.table,
                         std::move(e.policy));
      (void)s;
    }
  };
  for (const std::string& t : c.config.cloudformation) {
    auto path = InsideCheckout(root, t, config_path);
    if (!path.ok()) return path.status();
    auto text = ReadSmallFile(*path, iac.limits.max_bytes);
    if (!text.ok()) return text.status();
    auto found = ExtractCloudFormation(*text, t, iac);
    if (!found.ok()) return found.status();
    add_extracted(*std::move(found));
  }
  for (const std::string& t : c.config.terraform) {
    auto path = InsideCheckout(root, t, config_path);
    if (!path.ok()) return path.status();
    auto text = ReadSmallFile(*path, iac.limits.max_bytes);
    if (!text.ok()) return text.status();
    auto found = ExtractTerraformPlan(*text, t);
    if (!found.ok()) return found.status();
    add_extracted(*std::move(found));
  }
  for (auto& [role, set] : c.roles) {
    for (const Policy& p : c.scps) set.scp_levels.push_back({p});
    for (const Policy& p : c.rcps) set.rcp_levels.push_back({p});
    set.resource = c.resource;
  }

  auto code = InsideCheckout(root, c.config.code_dir, config_path);
  if (!code.ok()) return code.status();
  auto scan = ScanProject(*code);
  if (!scan.ok()) return scan.status();
  c.scan = *std::move(scan);
  const std::string code_prefix =
      c.config.code_dir == "." || c.config.code_dir.empty()
          ? ""
          : absl::StrCat(fs::path(c.config.code_dir).lexically_normal().string(),
                         "/");
  c.code_prefix = code_prefix;
  return c;
}

std::string Fingerprint(const std::vector<std::string>& parts) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
  for (const std::string& p : parts) {
    for (unsigned char ch : p) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::string RequestText(const Request& r) {
  std::string s = absl::StrCat("`", r.action, "` on `", r.resource, "`");
  if (!r.principal.empty()) absl::StrAppend(&s, " by `", r.principal, "`");
  if (r.context.empty()) {
    absl::StrAppend(&s, " with no request context");
  } else {
    std::vector<std::string> parts;
    for (const auto& [k, v] : r.context) {
      parts.push_back(absl::StrCat(k, "=", absl::StrJoin(v.values, ",")));
    }
    absl::StrAppend(&s, " with ", absl::StrJoin(parts, ", "));
  }
  return s;
}

const Policy* FindPolicy(const PolicySet& set, const StatementRef& ref) {
  auto match = [&ref](const Policy& p) {
    return p.kind == ref.policy_kind && p.name == ref.policy_name;
  };
  for (const Policy& p : set.identity) {
    if (match(p)) return &p;
  }
  if (set.boundary && match(*set.boundary)) return &*set.boundary;
  if (set.session && match(*set.session)) return &*set.session;
  for (const auto& [table, list] : set.resource) {
    for (const Policy& p : list) {
      if (match(p)) return &p;
    }
  }
  for (const auto& level : set.scp_levels) {
    for (const Policy& p : level) {
      if (match(p)) return &p;
    }
  }
  for (const auto& level : set.rcp_levels) {
    for (const Policy& p : level) {
      if (match(p)) return &p;
    }
  }
  return nullptr;
}

// The position that grants `action` in the statement `ref`: the Action
// entry that matches it, else the NotAction element, else the statement.
SourcePos GrantPosition(const PolicySet& set, const StatementRef& ref,
                        const std::string& action) {
  const Policy* p = FindPolicy(set, ref);
  if (p == nullptr) return ref.pos;
  for (const Statement& st : p->statements) {
    if (st.index != ref.index) continue;
    if (!st.not_action) {
      for (const PolicyString& a : st.actions) {
        if (GlobMatch(a.text, action, GlobCase::kInsensitive) &&
            a.pos.line > 0) {
          return a.pos;
        }
      }
    } else if (st.action_pos.line > 0) {
      return st.action_pos;
    }
    return st.pos;
  }
  return ref.pos;
}

// The statements of `d` that grant through the role's own policies (the
// identity and resource-based ones), which a reviewer can change.
std::vector<StatementRef> Granting(const Decision& d) {
  std::vector<StatementRef> out;
  for (const StatementRef& s : d.statements) {
    if (s.policy_kind == PolicyKind::kIdentity ||
        s.policy_kind == PolicyKind::kResource) {
      out.push_back(s);
    }
  }
  if (out.empty()) out = d.statements;
  return out;
}

std::string SuggestedStatement(const std::string& action,
                               const std::string& resource) {
  return absl::StrCat(
      "```json\n{\n  \"Effect\": \"Allow\",\n  \"Action\": \"", action,
      "\",\n  \"Resource\": \"", resource, "\"\n}\n```");
}

std::string FindingKey(const CheckFinding& f) {
  return absl::StrCat(f.id, "|", f.file, "|", f.message);
}

std::string MissingKey(const MissingOperation& m) {
  return absl::StrCat(m.action, "|", m.table, "|", m.index.value_or(""));
}

std::string FindingTitle(const std::string& id) {
  if (id == "aws-access-key-id" || id == "aws-secret-access-key") {
    return "Hard-coded AWS credentials";
  }
  if (id == "django-debug-true") return "DEBUG = True in Django settings";
  if (id == "public-table-policy") return "Table policy open to everyone";
  if (id == "cross-account-table-policy") {
    return "Table policy grants another account";
  }
  if (id == "scan-where-query-suffices") return "Scan granted where Query suffices";
  return absl::StrCat("Finding: ", id);
}

// The check of every role the code of `c` runs under, by role.
absl::StatusOr<std::map<std::string, CheckReport>> RunChecks(
    const Checkout& c, const ReviewOptions& options) {
  std::map<std::string, CheckReport> out;
  if (c.scan.operations.empty() && c.scan.findings.empty()) return out;
  for (const auto& [role, set] : c.roles) {
    if (!c.config.code_role.empty() && role != c.config.code_role) continue;
    if (set.identity.empty()) continue;  // a boundary or table policy alone
    CheckInput in;
    in.scan = &c.scan;
    in.policies = &set;
    in.account = c.config.account;
    in.region = c.config.region;
    in.principal = c.config.principal.empty()
                       ? absl::StrCat("arn:aws:iam::", c.config.account,
                                      ":role/", role)
                       : c.config.principal;
    in.bindings = c.config.bindings;
    for (const auto& [k, v] : c.config.bindings) {
      in.binding_sources[k] = "leastpriv.json";
    }
    in.analysis = options.analysis;
    in.code_prefix = c.code_prefix;
    auto report = RunCheck(in);
    if (!report.ok()) {
      return absl::Status(report.status().code(),
                          absl::StrCat(c.root, ": ", report.status().message()));
    }
    // Evidence relative to the checkout, as comments are anchored.
    for (MissingOperation& m : report->missing) {
      for (std::string& e : m.evidence) e = c.code_prefix + e;
    }
    out.emplace(role, *std::move(report));
  }
  return out;
}

}  // namespace

absl::StatusOr<ReviewConfig> LoadReviewConfig(const std::string& path) {
  auto text = ReadSmallFile(path, kMaxConfigBytes);
  if (!text.ok()) return text.status();
  return ParseConfig(path, *text);
}

absl::StatusOr<ReviewResult> Review(const std::string& base_dir,
                                    const std::string& head_dir,
                                    const ReviewOptions& options) {
  auto base = LoadCheckout(base_dir, options);
  if (!base.ok()) return base.status();
  auto head = LoadCheckout(head_dir, options);
  if (!head.ok()) return head.status();
  ReviewResult result;

  // New and removed access, per role and action.
  const ReviewConfig& hc = head->config;
  std::set<std::string> used_actions;
  for (const Operation& op : head->scan.operations) {
    used_actions.insert(op.action);
  }
  const PolicySet empty;
  std::set<std::string> roles;
  for (const auto& [role, set] : head->roles) roles.insert(role);
  for (const auto& [role, set] : base->roles) roles.insert(role);
  for (const std::string& role : roles) {
    auto h = head->roles.find(role);
    auto b = base->roles.find(role);
    const PolicySet& new_set = h == head->roles.end() ? empty : h->second;
    const PolicySet& old_set = b == base->roles.end() ? empty : b->second;
    AnalysisScope scope;
    scope.account = hc.account;
    scope.region = hc.region;
    scope.principal = absl::StrCat(
        "arn:aws:iam::", hc.account.empty() ? "111122223333" : hc.account,
        ":role/", role);
    auto diff = DiffPolicies(old_set, new_set, scope, options.analysis);
    if (!diff.ok()) return diff.status();
    for (const AccessChange& c : diff->new_access) {
      result.new_access.push_back({role, c.action, Answer::kYes, c.witness,
                                   Granting(c.granted_by), c.note});
    }
    for (const AccessChange& c : diff->removed_access) {
      result.removed_access.push_back({role, c.action, Answer::kYes, c.witness,
                                       Granting(c.granted_by), c.note});
    }
    for (const UndecidedAction& u : diff->undecided) {
      RoleAccessChange change{role, u.action, Answer::kUnknown, std::nullopt,
                              {}, u.reason};
      if (u.new_direction) {
        ++result.unknown_questions;
        result.new_access.push_back(std::move(change));
      } else {
        result.removed_access.push_back(std::move(change));
      }
    }
  }
  // One comment per granting place: a widened statement that grants many
  // actions is one thing to fix.
  struct Place {
    std::string role;
    SourcePos pos;
    std::string statement;  // sid or "#index": stable across line moves
    std::vector<const RoleAccessChange*> changes;
  };
  std::map<std::tuple<std::string, std::string, int>, Place> places;
  for (const RoleAccessChange& change : result.new_access) {
    if (change.answer == Answer::kUnknown) {
      ReviewComment c;
      c.kind = "new-access";
      c.severity = "warning";
      c.title = absl::StrCat("Could not decide whether ", change.action,
                             " access changed for role ", change.role);
      c.body = absl::StrCat("The solver stopped: ", change.reason,
                            ". Treat this change as granting new access "
                            "until reviewed.");
      c.file = options.config;
      c.line = 1;
      c.fingerprint = Fingerprint({"unknown", change.role, change.action});
      result.comments.push_back(std::move(c));
      continue;
    }
    const PolicySet& set = head->roles.at(change.role);
    Place place;
    place.role = change.role;
    if (!change.statements.empty()) {
      const StatementRef& ref = change.statements.front();
      place.pos = GrantPosition(set, ref, change.action);
      place.statement = ref.sid.has_value() ? *ref.sid
                                            : absl::StrCat("#", ref.index);
    }
    auto [it, inserted] = places.emplace(
        std::make_tuple(change.role, place.pos.file, place.pos.line),
        std::move(place));
    it->second.changes.push_back(&change);
  }
  const std::vector<std::string> all_used(used_actions.begin(),
                                          used_actions.end());
  for (const auto& [key, place] : places) {
    std::vector<std::string> unused_actions, used;
    for (const RoleAccessChange* change : place.changes) {
      (used_actions.count(change->action) ? used : unused_actions)
          .push_back(change->action);
    }
    ReviewComment c;
    c.kind = "new-access";
    // New access is what the review gate is for: a warning even when the
    // code uses the action (a loosened condition, a wider resource).
    c.severity = "warning";
    c.file = place.pos.file;
    c.line = place.pos.line;
    if (place.changes.size() == 1) {
      c.title = absl::StrCat("New access: ", place.changes[0]->action,
                             " for role ", place.role,
                             unused_actions.empty() ? ""
                                                    : " (not used by the code)");
    } else {
      c.title = absl::StrCat("New access: ", place.changes.size(),
                             " DynamoDB actions for role ", place.role, " (",
                             unused_actions.size(), " not used by the code)");
    }
    c.body = "The head policies allow requests the base policies deny";
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < place.changes.size(); ++i) {
      const RoleAccessChange& change = *place.changes[i];
      if (i == kShown) {
        absl::StrAppend(&c.body, "\n- and ", place.changes.size() - kShown,
                        " more actions");
        break;
      }
      absl::StrAppend(&c.body, i == 0 ? ":\n" : "\n", "- ",
                      RequestText(*change.witness));
    }
    absl::StrAppend(
        &c.body, "\n\n",
        unused_actions.empty()
            ? "The code uses these actions, so the grant may be intended; "
              "check that its resources are no wider than needed."
            : absl::StrCat("The code never performs ",
                           unused_actions.size() <= kShown
                               ? absl::StrJoin(unused_actions, ", ")
                               : absl::StrCat(
                                     absl::StrJoin(unused_actions.begin(),
                                                   unused_actions.begin() +
                                                       kShown,
                                                   ", "),
                                     " and ", unused_actions.size() - kShown,
                                     " more"),
                           ": the grant widens what a compromised or buggy "
                           "caller can do, for nothing in return."),
        "\n\nFix: grant only what the code uses",
        all_used.empty()
            ? ""
            : absl::StrCat(" (", absl::StrJoin(all_used, ", "), ")"),
        ", on the tables it uses.");
    c.fingerprint =
        Fingerprint({"new-access", place.role, place.pos.file, place.statement});
    result.comments.push_back(std::move(c));
  }

  // The code side: the check of each role the code runs under, on both
  // checkouts; what only the head has becomes a comment.
  std::map<std::string, CheckReport> head_checks, base_checks;
  for (Checkout* side : {&*head, &*base}) {
    auto checks = RunChecks(*side, options);
    if (!checks.ok()) return checks.status();
    (side == &*head ? head_checks : base_checks) = *std::move(checks);
  }
  std::set<std::pair<std::string, std::string>> new_access_actions;
  for (const RoleAccessChange& change : result.new_access) {
    new_access_actions.insert({change.role, change.action});
  }
  std::set<std::string> base_findings, head_findings;
  for (const auto& [role, report] : base_checks) {
    for (const CheckFinding& f : report.findings) {
      base_findings.insert(FindingKey(f));
    }
  }
  std::set<std::string> commented;
  for (const auto& [role, report] : head_checks) {
    auto base_it = base_checks.find(role);
    std::set<std::string> base_missing, base_excess;
    if (base_it != base_checks.end()) {
      for (const MissingOperation& m : base_it->second.missing) {
        base_missing.insert(MissingKey(m));
      }
      for (const ExcessPermission& e : base_it->second.excess) {
        base_excess.insert(absl::StrCat(e.action, "|", e.resource));
      }
    }
    for (const MissingOperation& m : report.missing) {
      if (base_missing.count(MissingKey(m))) continue;
      result.newly_missing.push_back({role, m});
      for (const std::string& evidence : m.evidence) {
        ReviewComment c;
        c.kind = "newly-missing";
        c.severity = "error";
        std::size_t colon = evidence.rfind(':');
        c.file = evidence.substr(0, colon);
        c.line = colon == std::string::npos
                     ? 0
                     : std::atoi(evidence.c_str() + colon + 1);
        c.title = absl::StrCat(
            m.action, " on ", m.table,
            m.index.has_value() ? absl::StrCat(" (index ", *m.index, ")") : "",
            " will be denied");
        c.body = absl::StrCat(
            "This call needs `", m.action, "` on `", m.resource,
            "`, which role ", role, " is not granted: ", m.cause,
            ". It will fail with AccessDeniedException.\n\nFix: grant it, "
            "narrowly:\n\n",
            SuggestedStatement(m.action, m.resource));
        c.fingerprint = Fingerprint({"newly-missing", role, m.action, m.table,
                                     m.index.value_or(""), c.file});
        result.comments.push_back(std::move(c));
      }
    }
    for (const ExcessPermission& e : report.excess) {
      if (base_excess.count(absl::StrCat(e.action, "|", e.resource))) continue;
      result.newly_excess.push_back({role, e});
      // New grants already have a new-access comment at the same place.
      if (new_access_actions.count({role, e.action})) continue;
      if (!commented.insert(absl::StrCat("excess|", role, "|", e.action, "|",
                                         e.statement.file))
               .second) {
        continue;
      }
      ReviewComment c;
      c.kind = "newly-excess";
      c.severity = e.risk == Risk::kRead ? "note" : "warning";
      c.file = e.statement.file;
      c.line = e.statement.line;
      c.title = absl::StrCat(e.action, " is no longer used (", std::string(RiskName(e.risk)),
                             ")");
      c.body = absl::StrCat(
          "Role ", role, " is granted `", e.action, "` on `", e.resource,
          "` (for example on `", e.example_resource,
          "`), but the head code no longer performs it.\n\nFix: remove `",
          e.action, "` from this statement.");
      c.fingerprint =
          Fingerprint({"newly-excess", role, e.action, e.resource, c.file});
      result.comments.push_back(std::move(c));
    }
    for (const CheckFinding& f : report.findings) {
      const std::string key = FindingKey(f);
      head_findings.insert(key);
      if (base_findings.count(key) || !commented.insert(key).second) continue;
      ++result.findings_added;
      ReviewComment c;
      c.kind = "finding";
      c.severity = std::string(sarif::LevelName(SeverityOfWord(f.severity)));
      c.file = f.in_policy ? f.file : head->code_prefix + f.file;
      c.line = f.line;
      c.title = FindingTitle(f.id);
      c.body = absl::StrCat(f.message, ".");
      c.fingerprint = Fingerprint({"finding", key});
      result.comments.push_back(std::move(c));
    }
  }
  for (const auto& n : head->findings) {
    head_findings.insert(n.key);
    if (!commented.insert(n.key).second) continue;
    bool in_base = false;
    for (const auto& b : base->findings) in_base |= b.key == n.key;
    if (in_base) continue;
    ++result.findings_added;
    ReviewComment c;
    c.kind = "finding";
    c.severity = n.severity;
    c.file = n.file;
    c.line = n.line;
    c.title = n.title;
    c.body = n.body;
    c.fingerprint = Fingerprint({"finding", n.key});
    result.comments.push_back(std::move(c));
  }
  for (const auto& b : base->findings) base_findings.insert(b.key);
  for (const std::string& k : base_findings) {
    result.findings_removed += head_findings.count(k) == 0;
  }
  for (const auto& [role, report] : head_checks) {
    result.unknown_questions += static_cast<int>(report.unknown.size());
  }

  std::sort(result.comments.begin(), result.comments.end(),
            [](const ReviewComment& a, const ReviewComment& b) {
              return std::tie(a.file, a.line, a.title) <
                     std::tie(b.file, b.line, b.title);
            });
  bool blocking = false;
  for (const ReviewComment& c : result.comments) {
    blocking |= c.severity != "note";
  }
  result.verdict = result.unknown_questions > 0 ? "unknown"
                   : blocking                   ? "changes"
                                                : "clean";
  return result;
}

}  // namespace leastpriv
