// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Prints the call sites the parser sees in each file given on the command
// line, one "LINE CALLEE" per line, sorted and deduplicated; a file that
// does not parse prints "ERROR line:col: message". Used by the ast oracle
// test (see ast_callsites.py for the definition of a call site).

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "lib/pyscan/syntax.h"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string source = buffer.str();
    leastpriv::pyscan::Module module;
    leastpriv::pyscan::ParseLimits limits;
    int error_line = 0;
    absl::Status status =
        leastpriv::pyscan::ParseModule(source, limits, &module, &error_line);
    std::cout << "FILE " << argv[i] << "\n";
    if (!status.ok()) {
      std::cout << "ERROR " << status.message() << "\n";
      continue;
    }
    std::set<std::pair<int, std::string>> sites;
    for (const auto& c : module.calls) sites.insert({c.line, c.callee});
    for (const auto& [line, callee] : sites) {
      std::cout << line << " " << callee << "\n";
    }
  }
  return 0;
}
