// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Stand-alone `replay` command, for end-to-end tests.

#include <iostream>
#include <string>
#include <vector>

#include "tools/leastpriv/replay/replay_command.h"

int main(int argc, char** argv) {
  return leastpriv::RunReplayCommand(
      std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
