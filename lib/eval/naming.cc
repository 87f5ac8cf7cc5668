// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/eval/naming.h"

#include <string_view>
#include <vector>

namespace leastpriv::eval {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// `s` has the shape of `pattern`, where 'd' is a digit, 'h' a lower-case
// hex digit and every other character stands for itself.
bool HasShape(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char p = pattern[i], c = s[i];
    if (p == 'd'   ? !IsDigit(c)
        : p == 'h' ? !(IsDigit(c) || (c >= 'a' && c <= 'f'))
                   : c != p) {
      return false;
    }
  }
  return true;
}

// `s` split at the first `max_splits` occurrences of `sep`.
std::vector<std::string_view> Split(std::string_view s, char sep,
                                    int max_splits) {
  std::vector<std::string_view> out;
  while (static_cast<int>(out.size()) < max_splits) {
    const std::size_t at = s.find(sep);
    if (at == std::string_view::npos) break;
    out.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  out.push_back(s);
  return out;
}

bool IsIamNameChar(char c) {
  return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
}

bool IsIamName(std::string_view name, std::size_t min, std::size_t max) {
  if (name.size() < min || name.size() > max) return false;
  for (char c : name) {
    if (!IsIamNameChar(c)) return false;
  }
  return true;
}

// "PREFIX" then at least 16 upper-case letters and digits.
bool IsUniqueId(std::string_view id, std::string_view prefix) {
  if (id.size() < prefix.size() + 16 || id.substr(0, prefix.size()) != prefix)
    return false;
  for (char c : id.substr(prefix.size())) {
    if (!IsDigit(c) && !(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

}  // namespace

bool IsValidIamUserName(std::string_view name) {
  return IsIamName(name, 1, 64);
}

bool IsValidRoleSessionName(std::string_view name) {
  return IsIamName(name, 2, 64);
}

bool IsValidUserUserId(std::string_view userid) {
  return IsUniqueId(userid, "AIDA");
}

bool IsValidRoleSessionUserId(std::string_view userid) {
  const std::size_t colon = userid.find(':');
  return colon != std::string_view::npos &&
         IsUniqueId(userid.substr(0, colon), "AROA") &&
         IsValidRoleSessionName(userid.substr(colon + 1));
}

bool IsValidTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name) {
    if (!(IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsValidRegionName(std::string_view region) {
  // [a-z]{2}-[a-z][a-z-]*-[0-9]+
  if (region.size() < 6 || !IsLower(region[0]) || !IsLower(region[1]) ||
      region[2] != '-' || !IsLower(region[3])) {
    return false;
  }
  const std::size_t dash = region.rfind('-');
  if (dash <= 3 || dash + 1 == region.size()) return false;
  for (std::size_t i = 4; i < dash; ++i) {
    if (!IsLower(region[i]) && region[i] != '-') return false;
  }
  for (std::size_t i = dash + 1; i < region.size(); ++i) {
    if (!IsDigit(region[i])) return false;
  }
  return true;
}

bool IsValidAccountId(std::string_view account) {
  return HasShape(account, "dddddddddddd");
}

bool IsValidStreamLabel(std::string_view label) {
  return HasShape(label, "dddd-dd-ddTdd:dd:dd.ddd");
}

bool IsValidResourceId(std::string_view id) {
  return HasShape(id, "dddddddddddddd-hhhhhhhh");
}

bool IsValidDynamoDbResource(std::string_view arn) {
  if (arn == "*") return true;
  std::vector<std::string_view> parts = Split(arn, ':', 5);
  if (parts.size() != 6 || parts[0] != "arn" || parts[1].empty() ||
      parts[2] != "dynamodb" || !IsValidAccountId(parts[4])) {
    return false;
  }
  const std::string_view region = parts[3];
  std::vector<std::string_view> path = Split(parts[5], '/', 3);
  if (path.size() == 2 && path[0] == "global-table") {
    return region.empty() && IsValidTableName(path[1]);
  }
  if (!IsValidRegionName(region) || path[0] != "table" || path.size() < 2 ||
      !IsValidTableName(path[1])) {
    return false;
  }
  if (path.size() == 2) return true;
  if (path.size() != 4) return false;
  if (path[2] == "index") return IsValidTableName(path[3]);
  if (path[2] == "stream") return IsValidStreamLabel(path[3]);
  if (path[2] == "backup" || path[2] == "export" || path[2] == "import") {
    return IsValidResourceId(path[3]);
  }
  return false;
}

}  // namespace leastpriv::eval
