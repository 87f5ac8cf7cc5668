// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// leastpriv: a thin dispatcher over the command libraries. Every command is
// also reachable through the public library API.

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "tools/leastpriv/check/check_command.h"
#include "tools/leastpriv/check/check_commands.h"
#include "tools/leastpriv/common/large_pages.h"
#include "tools/leastpriv/reach/reach_command.h"
#include "tools/leastpriv/replay/replay_command.h"
#include "tools/leastpriv/review/review_command.h"
#include "tools/leastpriv/scan/scan_command.h"
#include "tools/leastpriv/simulate/simulate_command.h"
#include "tools/leastpriv/validate/validate_command.h"

namespace {

using CommandFn = int (*)(const std::vector<std::string>&, std::ostream&,
                          std::ostream&);

struct Command {
  std::string_view name;
  std::string_view summary;
  CommandFn run;
  // Scans a project's Python code: starts again with glibc's malloc on
  // huge pages (see RestartWithLargePages). The others do not: a restart
  // costs about 20 ms, and they keep little in memory.
  bool scans_code = false;
};

constexpr Command kCommands[] = {
    {"check", "compare what the code uses with what the policies allow",
     leastpriv::RunCheckCommand, /*scans_code=*/true},
    {"validate", "check policy files for errors and suspicious constructs",
     leastpriv::RunValidateCommand},
    {"reach", "which DynamoDB actions on which resources the policies allow",
     leastpriv::RunReachCommand},
    {"simulate", "decide concrete requests under the policies",
     leastpriv::RunSimulateCommand},
    {"replay", "would the policies deny any call CloudTrail recorded?",
     leastpriv::RunReplayCommand},
    {"scan", "list the DynamoDB operations a Django project performs",
     leastpriv::RunScanCommand, /*scans_code=*/true},
    {"review", "review a pull request: base vs head checkouts as comments",
     leastpriv::RunReviewCommand, /*scans_code=*/true},
    {"check-access-not-granted",
     "do the policies grant any of these actions on these resources?",
     leastpriv::RunCheckAccessNotGrantedCommand},
    {"check-no-public-access",
     "do these table or stream policies allow access to anyone?",
     leastpriv::RunCheckNoPublicAccessCommand},
};

void PrintUsage(std::ostream& out) {
  out << "usage: leastpriv COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name;
    if (c.name.size() < 10) {
      out << std::string(10 - c.name.size(), ' ');
    } else {
      out << "\n" << std::string(12, ' ');
    }
    out << c.summary << "\n";
  }
  out << "\nRun 'leastpriv COMMAND --help' for the options of a command.\n"
         "Exit status: 0 clean, 1 the command found something, 2 unusable "
         "input, 3 the solver could not decide.\n";
}

// The command named `name`, or null.
const Command* FindCommand(std::string_view name) {
  for (const Command& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  const Command* command = argc >= 2 ? FindCommand(argv[1]) : nullptr;
  // Before anything is read or written: the scan's memory on huge pages.
  if (command != nullptr && command->scans_code) {
    leastpriv::cli::RestartWithLargePages(argv);
  }
  // Under `bazel run`, resolve relative paths against the caller's directory.
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY");
      dir != nullptr && *dir != '\0') {
    if (chdir(dir) != 0) {
      std::cerr << "leastpriv: error: cannot enter " << dir << ": "
                << std::strerror(errno) << "\n";
      return 2;
    }
  }
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  if (command != nullptr) {
    std::vector<std::string> args(argv + 2, argv + argc);
    return command->run(args, std::cout, std::cerr);
  }
  std::cerr << "leastpriv: error: unknown command \"" << name
            << "\" (run 'leastpriv --help' for the list)\n";
  return 2;
}
