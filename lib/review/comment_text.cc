// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/review/comment_text.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace leastpriv::review_internal {

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

std::string SuggestedStatement(const std::string& action,
                               const std::string& resource) {
  return absl::StrCat("```json\n{\n  \"Effect\": \"Allow\",\n  \"Action\": \"",
                      action, "\",\n  \"Resource\": \"", resource,
                      "\"\n}\n```");
}

std::string FindingKey(const Finding& f) {
  return absl::StrCat(std::string(FindingId(f.code)), "|", f.pos.file, "|",
                      f.message);
}

std::string MissingKey(const MissingOperation& m) {
  return absl::StrCat(m.action, "|", m.table, "|", m.index.value_or(""));
}

std::string FindingTitle(FindingCode code) {
  switch (code) {
    case FindingCode::kAwsAccessKeyId:
    case FindingCode::kAwsSecretAccessKey:
    case FindingCode::kAwsSessionToken:
      return "Hard-coded AWS credentials";
    case FindingCode::kDjangoSecretKey:
      return "Hard-coded Django SECRET_KEY";
    case FindingCode::kDatabaseUrlPassword:
      return "Database password in code";
    case FindingCode::kDjangoDebugTrue:
      return "DEBUG = True in Django settings";
    case FindingCode::kPublicTablePolicy:
      return "Table policy open to everyone";
    case FindingCode::kCrossAccountTablePolicy:
      return "Table policy grants another account";
    case FindingCode::kScanWhereQuerySuffices:
      return "Scan granted where Query suffices";
    default:
      return absl::StrCat("Finding: ", std::string(FindingId(code)));
  }
}

}  // namespace leastpriv::review_internal
