// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// policy-diff: a thin main over the command library.

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "tools/policy_diff/diff_command.h"

int main(int argc, char** argv) {
  // Under `bazel run`, resolve relative paths against the caller's directory.
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY");
      dir != nullptr && *dir != '\0') {
    if (chdir(dir) != 0) {
      std::cerr << "policy-diff: error: cannot enter " << dir << ": "
                << std::strerror(errno) << "\n";
      return 2;
    }
  }
  return leastpriv::RunPolicyDiffCommand(
      std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
