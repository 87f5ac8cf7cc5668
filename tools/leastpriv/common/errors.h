// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The diagnostics every command prints for unusable input:
// "TOOL: error: MESSAGE" on the error stream, and the exit status 2.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_COMMON_ERRORS_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_COMMON_ERRORS_H_

#include <ostream>
#include <string_view>

namespace leastpriv::cli {

class CommandErrors {
 public:
  constexpr CommandErrors(std::string_view tool, std::string_view usage)
      : tool_(tool), usage_(usage) {}

  // A command line the command cannot read: the message, then the usage.
  int Usage(std::ostream& err, std::string_view message) const {
    err << tool_ << ": error: " << message << "\n" << usage_;
    return 2;
  }
  // An input the command cannot use (a file, a value inside it).
  int Input(std::ostream& err, std::string_view message) const {
    err << tool_ << ": error: " << message << "\n";
    return 2;
  }

 private:
  std::string_view tool_;
  std::string_view usage_;
};

}  // namespace leastpriv::cli

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_COMMON_ERRORS_H_
