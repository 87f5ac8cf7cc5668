// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// What a file's path says of it: its module name, and whether it is a
// Django settings module. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_MODULE_NAMES_H_
#define LEASTPRIV_LIB_PYSCAN_MODULE_NAMES_H_

#include <string>

namespace leastpriv::pyscan {

// Module name for a relative path: "shop/views.py" -> "shop.views".
std::string ModuleNameForPath(const std::string& path, bool* is_package);

// True when the path looks like a Django settings module.
bool IsSettingsPath(const std::string& path);

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_MODULE_NAMES_H_
