// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// What the end-to-end tests of the commands share: running a command's
// Run*Command on arguments and keeping its exit status and both streams,
// and reading golden files.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_COMMON_COMMAND_TEST_UTIL_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_COMMON_COMMAND_TEST_UTIL_H_

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace leastpriv::cli {

struct CommandRun {
  int code;
  std::string out, err;
};

// `command` is a RunXCommand(args, out, err).
template <typename Command>
CommandRun RunCommand(Command command, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = command(args, out, err);
  return {code, out.str(), err.str()};
}

// The bytes of `path`, "" when it cannot be read.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_COMMON_COMMAND_TEST_UTIL_H_
