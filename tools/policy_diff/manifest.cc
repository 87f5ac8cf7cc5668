// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/policy_diff/manifest.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/project.h"
#include "lib/json/json.h"

namespace leastpriv::cli {
namespace {

class ManifestReader {
 public:
  ManifestReader(std::string dir, std::string manifest)
      : dir_(std::move(dir)), manifest_(std::move(manifest)) {}

  absl::Status Error(const json::Value& at, const std::string& message) const {
    return absl::InvalidArgumentError(absl::StrCat(
        manifest_, ":", at.line(), ":", at.column(), ": ", message));
  }

  // The path of a file named in the manifest, relative to its directory.
  absl::StatusOr<std::string> Path(const json::Value& file,
                                   const std::string& member) const {
    if (!file.is_string() || file.string_value().empty()) {
      return Error(
          file, absl::StrCat("\"", member,
                             "\" expects a file name (a non-empty "
                             "string), not ",
                             std::string(json::Value::KindName(file.kind()))));
    }
    const std::string& name = file.string_value();
    return name[0] == '/' ? name : absl::StrCat(dir_, "/", name);
  }

  absl::StatusOr<Policy> Load(const json::Value& file, PolicyKind kind,
                              const std::string& member) {
    absl::StatusOr<std::string> path = Path(file, member);
    if (!path.ok()) return path.status();
    ParseOptions options;
    options.file_name = *path;
    options.kind = kind;
    ++loaded_;
    return LoadPolicyFile(*path, options);
  }

  // One file, or an array of files.
  absl::StatusOr<std::vector<Policy>> LoadList(const json::Value& v,
                                               PolicyKind kind,
                                               const std::string& member) {
    std::vector<Policy> out;
    if (v.is_array()) {
      if (v.array().empty()) {
        return Error(v, absl::StrCat("\"", member, "\" has an empty list"));
      }
      for (const json::Value& f : v.array()) {
        auto p = Load(f, kind, member);
        if (!p.ok()) return p.status();
        out.push_back(*std::move(p));
      }
      return out;
    }
    auto p = Load(v, kind, member);
    if (!p.ok()) return p.status();
    out.push_back(*std::move(p));
    return out;
  }

  absl::StatusOr<std::vector<std::vector<Policy>>> LoadLevels(
      const json::Value& v, PolicyKind kind, const std::string& member) {
    if (!v.is_array()) {
      return Error(v,
                   absl::StrCat("\"", member,
                                "\" expects an array of levels, root "
                                "first, not ",
                                std::string(json::Value::KindName(v.kind()))));
    }
    std::vector<std::vector<Policy>> levels;
    for (const json::Value& level : v.array()) {
      // The files of one level, read together: describe-policy and
      // list-policies-for-target output are accepted as for --scp.
      std::vector<const json::Value*> files;
      if (level.is_array()) {
        if (level.array().empty()) {
          return Error(level,
                       absl::StrCat("\"", member, "\" has an empty list"));
        }
        for (const json::Value& f : level.array()) files.push_back(&f);
      } else {
        files.push_back(&level);
      }
      std::vector<std::string> paths;
      for (const json::Value* f : files) {
        auto path = Path(*f, member);
        if (!path.ok()) return path.status();
        paths.push_back(*std::move(path));
        ++loaded_;
      }
      auto l = LoadOrganizationLevel(paths, kind);
      if (!l.ok()) return l.status();
      levels.push_back(*std::move(l));
    }
    return levels;
  }

  std::size_t loaded() const { return loaded_; }

 private:
  std::string dir_;
  std::string manifest_;
  std::size_t loaded_ = 0;
};

}  // namespace

absl::StatusOr<PolicySet> LoadPolicyManifest(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kManifestName);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the manifest (no such file?)"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  json::JsonLimits limits;
  limits.max_bytes = 1u << 20;
  absl::StatusOr<json::Value> root = json::Parse(text, limits);
  if (!root.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", root.status().message()));
  }
  ManifestReader reader(dir, path);
  if (!root->is_object()) {
    return reader.Error(
        *root, absl::StrCat("the manifest must be an object, not ",
                            std::string(json::Value::KindName(root->kind()))));
  }
  PolicySet set;
  for (std::size_t i = 0; i < root->object().size(); ++i) {
    const auto& [key, value] = root->object()[i];
    if (key == "identity") {
      auto l = reader.LoadList(value, PolicyKind::kIdentity, key);
      if (!l.ok()) return l.status();
      for (Policy& p : *l) set.identity.push_back(std::move(p));
    } else if (key == "boundary" || key == "session") {
      auto p = reader.Load(
          value,
          key == "boundary" ? PolicyKind::kBoundary : PolicyKind::kSession,
          key);
      if (!p.ok()) return p.status();
      (key == "boundary" ? set.boundary : set.session) = *std::move(p);
    } else if (key == "scps" || key == "rcps") {
      auto levels = reader.LoadLevels(
          value, key == "scps" ? PolicyKind::kScp : PolicyKind::kRcp, key);
      if (!levels.ok()) return levels.status();
      (key == "scps" ? set.scp_levels : set.rcp_levels) = *std::move(levels);
    } else if (key == "resource_policies") {
      if (!value.is_object()) {
        return reader.Error(
            value,
            absl::StrCat("\"resource_policies\" expects an object "
                         "mapping tables to files, not ",
                         std::string(json::Value::KindName(value.kind()))));
      }
      for (const auto& [table, files] : value.object()) {
        if (table.empty()) {
          return reader.Error(files,
                              "empty table name in \"resource_policies\"");
        }
        auto l =
            reader.LoadList(files, PolicyKind::kResource, "resource_policies");
        if (!l.ok()) return l.status();
        for (Policy& p : *l) set.resource[table].push_back(std::move(p));
      }
    } else {
      json::Value at;
      at.set_position(root->key_line(i), root->key_column(i));
      return reader.Error(
          at, absl::StrCat("unknown member \"", key,
                           "\" (expected identity, boundary, session, scps, "
                           "rcps or resource_policies)"));
    }
  }
  if (reader.loaded() == 0) {
    return reader.Error(*root, "the manifest names no policy");
  }
  return set;
}

}  // namespace leastpriv::cli
