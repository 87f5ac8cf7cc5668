// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Stand-alone `validate` command, for end-to-end tests of the command
// library; `leastpriv validate` is the user-facing entry point.

#include <iostream>
#include <string>
#include <vector>

#include "tools/leastpriv/validate/validate_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return leastpriv::RunValidateCommand(args, std::cout, std::cerr);
}
