// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Runs the node scripts of tools/oracle/, which drive the external IAM
// simulator @cloud-copilot/iam-simulate, from a benchmark. The simulator is
// only ever run by node, as a separate program; it is never linked in.
// Benchmarks that compare with it need node and `npm ci` in tools/oracle,
// and are run with `bazel run -c opt //bench:<name>` (which sets
// BUILD_WORKSPACE_DIRECTORY).

#ifndef LEASTPRIV_BENCH_IAM_SIMULATE_H_
#define LEASTPRIV_BENCH_IAM_SIMULATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/json/json.h"

namespace leastpriv::bench {

// `path` (relative to the workspace root) as the running benchmark can open
// it: under BUILD_WORKSPACE_DIRECTORY when that is set.
std::string WorkspacePath(const std::string& path);

// Runs `node tools/oracle/SCRIPT [INPUT_FILE] ARGS...`. When `input` is not
// empty it is written to a temporary file, removed afterwards, whose path
// comes first. Returns the script's last output line, parsed as JSON.
// FailedPrecondition (saying what to install) when the simulator is not
// installed in tools/oracle; Internal with the script's output when it fails.
absl::StatusOr<json::Value> RunOracleScript(
    const std::string& script, const std::string& input,
    const std::vector<std::string>& args = {});

// The number `key` of a JSON object, or -1 when it is missing.
double NumberMember(const json::Value& object, const char* key);

}  // namespace leastpriv::bench

#endif  // LEASTPRIV_BENCH_IAM_SIMULATE_H_
