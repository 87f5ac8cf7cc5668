// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "bench/iam_simulate.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace leastpriv::bench {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string WorkspacePath(const std::string& path) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  return ws != nullptr ? std::string(ws) + "/" + path : path;
}

absl::StatusOr<json::Value> RunOracleScript(
    const std::string& script, const std::string& input,
    const std::vector<std::string>& args) {
  const std::string oracle = WorkspacePath("tools/oracle");
  if (!IsDirectory(oracle + "/node_modules/@cloud-copilot/iam-simulate")) {
    return absl::FailedPreconditionError(
        "tools/oracle/node_modules not installed (run npm ci there)");
  }
  std::string command = "node " + ShellQuote(oracle + "/" + script);
  std::string path;
  if (!input.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    path = std::string(tmp != nullptr ? tmp : "/tmp") + "/oracle_input_XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) return absl::InternalError("cannot create a temporary file");
    close(fd);
    std::ofstream(path) << input;
    command += " " + ShellQuote(path);
  }
  for (const std::string& a : args) command += " " + ShellQuote(a);
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    if (!path.empty()) std::remove(path.c_str());
    return absl::InternalError("cannot start node");
  }
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  if (!path.empty()) std::remove(path.c_str());
  while (!output.empty() && output.back() == '\n') output.pop_back();
  const std::size_t last = output.rfind('\n');
  const std::string line =
      last == std::string::npos ? output : output.substr(last + 1);
  absl::StatusOr<json::Value> result = json::Parse(line);
  if (status != 0 || !result.ok() || !result->is_object()) {
    return absl::InternalError("node " + script + " failed: " + output);
  }
  return result;
}

double NumberMember(const json::Value& object, const char* key) {
  const json::Value* v = object.Find(key);
  return v != nullptr && v->is_number() ? v->number_value() : -1;
}

}  // namespace leastpriv::bench
