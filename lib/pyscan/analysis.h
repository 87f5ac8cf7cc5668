// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Project-wide analysis over parsed Python modules: resolves DynamoDB call
// sites to operations, IAM actions, tables and indexes. Private to
// lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_ANALYSIS_H_
#define LEASTPRIV_LIB_PYSCAN_ANALYSIS_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "leastpriv/pyscan.h"
#include "lib/pyscan/found_operations.h"
#include "lib/pyscan/module_names.h"
#include "lib/pyscan/operations.h"
#include "lib/pyscan/syntax.h"

namespace leastpriv::pyscan {

// One parsed source file of the project.
struct SourceFile {
  std::string path;         // relative to the root, '/'-separated
  std::string module_name;  // "shop.views"; "shop" for shop/__init__.py
  bool is_package = false;  // an __init__.py
  bool is_settings = false;
  std::string source;  // released once parsed: the analysis needs the tree
  std::size_t source_bytes = 0;
  std::unique_ptr<Module> module;  // null when the file did not parse
  // The findings of the file's own text (secrets, settings rules), found
  // once it is parsed, so that its string literals need not be kept.
  std::vector<Finding> findings;
};

// Analyzes all parsed files together; appends operations and findings.
// `on_module(done, total)`, when set, is called after each module the
// analysis walks.
void AnalyzeProject(
    const std::vector<const SourceFile*>& files, FoundOperations* operations,
    std::vector<Finding>* findings,
    const std::function<void(std::size_t, std::size_t)>& on_module = nullptr);

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_ANALYSIS_H_
