// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "lib/pyscan/module_names.h"

#include <string>

#include "lib/pyscan/values.h"

namespace leastpriv::pyscan {

std::string ModuleNameForPath(const std::string& path, bool* is_package) {
  std::string p = path;
  if (p.size() > 3 && p.compare(p.size() - 3, 3, ".py") == 0) {
    p = p.substr(0, p.size() - 3);
  }
  *is_package = false;
  if (p == "__init__" ||
      (p.size() > 9 && p.compare(p.size() - 9, 9, "/__init__") == 0)) {
    *is_package = true;
    p = p == "__init__" ? "" : p.substr(0, p.size() - 9);
  }
  for (char& c : p) {
    if (c == '/') c = '.';
  }
  return p;
}

bool IsSettingsPath(const std::string& path) {
  std::string lower = Lower(path);
  size_t slash = lower.rfind('/');
  std::string base =
      slash == std::string::npos ? lower : lower.substr(slash + 1);
  if (base.find("settings") != std::string::npos) return true;
  return lower.find("settings/") != std::string::npos;
}

}  // namespace leastpriv::pyscan
