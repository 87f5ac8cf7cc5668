// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Stand-alone `scan` command, for end-to-end tests of the command library;
// `leastpriv scan` is the user-facing entry point.

#include <iostream>
#include <string>
#include <vector>

#include "tools/leastpriv/scan/scan_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return leastpriv::RunScanCommand(args, std::cout, std::cerr);
}
