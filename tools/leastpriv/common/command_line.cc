// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/common/command_line.h"

#include <fstream>

#include "absl/strings/numbers.h"

namespace leastpriv::cli {

int ReadOptions(const std::vector<std::string>& args,
                std::initializer_list<std::string_view> options,
                const CommandErrors& errors, std::string_view help,
                std::ostream& out, std::ostream& err,
                std::vector<OptionValue>* values) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << help;
      return 0;
    }
    bool known = false;
    for (std::string_view o : options) known |= arg == o;
    if (known) {
      if (i + 1 >= args.size()) {
        return errors.Usage(err, arg + " needs a value");
      }
      values->emplace_back(arg, args[++i]);
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      return errors.Usage(err, "unknown option \"" + arg + "\"");
    }
    return errors.Usage(err, "unexpected argument \"" + arg + "\"");
  }
  return kContinue;
}

int CheckFormat(const std::string& format,
                std::initializer_list<std::string_view> formats,
                const CommandErrors& errors, std::ostream& err) {
  std::string names;
  std::size_t i = 0;
  for (std::string_view f : formats) {
    if (format == f) return kContinue;
    names += i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ";
    names += f;
    ++i;
  }
  return errors.Usage(err,
                      "--format must be " + names + ", not \"" + format + "\"");
}

int ParseJobs(const std::string& text, const CommandErrors& errors,
              std::ostream& err, int* jobs) {
  if (text.empty()) return kContinue;
  int n = 0;
  if (!absl::SimpleAtoi(text, &n) || n < 1 || n > 1024) {
    return errors.Usage(
        err, "--jobs must be a number from 1 to 1024, not \"" + text + "\"");
  }
  *jobs = n;
  return kContinue;
}

int RequirePolicies(bool has_policies, const CommandErrors& errors,
                    std::ostream& err) {
  if (has_policies) return kContinue;
  return errors.Usage(
      err, "no policies given (use --policy or another policy option)");
}

int WriteOutput(const std::string& path, const std::string& text,
                const CommandErrors& errors, std::ostream& out,
                std::ostream& err) {
  if (path.empty()) {
    out << text;
    return kContinue;
  }
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file) return errors.Input(err, path + ": cannot write file");
  return kContinue;
}

}  // namespace leastpriv::cli
