// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/policy/policy_reader.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/policy/document_reader.h"
#include "lib/policy/embedded_document.h"
#include "lib/policy/position_map.h"
#include "lib/policy/read_errors.h"

namespace leastpriv::policy_internal {

SourceFile::SourceFile(std::string file, std::string_view text)
    : file_(std::move(file)), text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::size_t SourceFile::Offset(int line, int column) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size() ||
      column < 1) {
    return std::string_view::npos;
  }
  const std::size_t offset = line_starts_[line - 1] + column - 1;
  return offset < text_.size() ? offset : std::string_view::npos;
}

json::JsonLimits ToJsonLimits(const ParseLimits& limits) {
  json::JsonLimits j;
  j.max_bytes = limits.max_bytes;
  j.max_depth = limits.max_depth;
  // Every policy string sits in at most a few containers.
  j.max_values = limits.max_values * 4 + 64;
  return j;
}

absl::StatusOr<ReadResult> ReadPolicyValue(const json::Value& root,
                                           const SourceFile& source,
                                           const ParseOptions& options) {
  PositionMap file_map(source.file());
  const PositionMap* map = &file_map;
  const json::Value* v = &root;
  std::vector<std::unique_ptr<Embedded>> embedded;
  for (int hop = 0;; ++hop) {
    if (hop > 4) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "policy wrappers nested too deeply");
    }
    if (v->is_string()) {
      absl::StatusOr<std::unique_ptr<Embedded>> e =
          ParseEmbedded(*v, source, *map, options);
      if (!e.ok()) return e.status();
      embedded.push_back(*std::move(e));
      map = &embedded.back()->map;
      v = &embedded.back()->root;
      continue;
    }
    if (!v->is_object()) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      absl::StrCat("expected a policy document object, found ",
                                   KindName(*v)));
    }
    if (v->Find("Statement") != nullptr) break;
    if (const json::Value* d = v->Find("PolicyDocument")) {
      v = d;
      continue;
    }
    if (const json::Value* pv = v->Find("PolicyVersion")) {
      if (pv->is_object() && pv->Find("Document") != nullptr) {
        v = pv->Find("Document");
        continue;
      }
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(pv->line(), pv->column()),
                      "PolicyVersion has no Document element");
    }
    if (const json::Value* p = v->Find("Policy")) {
      v = p;
      continue;
    }
    // `aws organizations describe-policy` output:
    // {"Policy": {"PolicySummary": {...}, "Content": "<document>"}}.
    if (v->Find("PolicySummary") != nullptr) {
      if (const json::Value* c = v->Find("Content")) {
        v = c;
        continue;
      }
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "describe-policy output without Policy.Content");
    }
    if (const json::Value* d = v->Find("Document")) {
      v = d;
      continue;
    }
    if (v->Find("Version") != nullptr || v->Find("Id") != nullptr) break;
    if (v->Find("DefaultVersionId") != nullptr) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "this is get-policy output, which holds no document; "
                      "read the default version with get-policy-version");
    }
    if (v->Find("RoleDetailList") != nullptr) {
      return Unusable(FindingCode::kNotAPolicy,
                      map->Map(v->line(), v->column()),
                      "this is get-account-authorization-details output; "
                      "select a role to read its policies");
    }
    return Unusable(FindingCode::kNotAPolicy, map->Map(v->line(), v->column()),
                    "not an IAM policy document: no Statement element and no "
                    "PolicyDocument, PolicyVersion.Document or Policy wrapper");
  }
  ReadResult result;
  DocumentReader reader(*map, options, result);
  if (absl::Status s = reader.Read(*v); !s.ok()) return s;
  std::stable_sort(result.problems.begin(), result.problems.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::make_pair(a.pos.line, a.pos.column) <
                            std::make_pair(b.pos.line, b.pos.column);
                   });
  return result;
}

absl::StatusOr<ReadResult> ReadPolicyText(std::string_view text,
                                          const ParseOptions& options) {
  const PositionMap map(options.file_name);
  absl::StatusOr<json::Value> root =
      json::Parse(text, ToJsonLimits(options.limits));
  if (!root.ok()) return JsonError(root.status(), map);
  const SourceFile source(options.file_name, text);
  return ReadPolicyValue(*root, source, options);
}

}  // namespace leastpriv::policy_internal
