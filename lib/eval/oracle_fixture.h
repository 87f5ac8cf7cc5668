// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Reads the fixtures of testdata/oracle/ (policy sets and requests decided by
// an external IAM simulator, see tools/oracle/) into PolicySets and
// Requests, and writes policy sets and requests in the form the oracle
// scripts read. Test and benchmark support only.

#ifndef LEASTPRIV_LIB_EVAL_ORACLE_FIXTURE_H_
#define LEASTPRIV_LIB_EVAL_ORACLE_FIXTURE_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"

namespace leastpriv::eval {

struct OracleCase {
  std::string name;
  std::size_t set_index = 0;  // into OracleFixture::sets
  Request request;
  std::string expected;  // "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"
};

struct OracleFixture {
  std::string oracle_package;
  std::string oracle_version;
  double seed = 0;
  std::vector<PolicySet> sets;
  std::vector<OracleCase> cases;
};

// Parses the fixture document. InvalidArgument naming the set on any policy
// the parser rejects or any field of the wrong type.
absl::StatusOr<OracleFixture> ParseOracleFixture(const std::string& text);

// Reads the file at `path` and parses it.
absl::StatusOr<OracleFixture> LoadOracleFixture(const std::string& path);

// testdata/oracle/diff_fixtures.json: pairs of policy sets (OLD, NEW) and
// requests, each decided under both by the oracle.
struct OraclePairCase {
  std::string name;
  // Why the request was recorded: "new-witness" and "removed-witness" (a
  // witness DiffPolicies reported when the fixture was made), "universe"
  // (drawn from the covering request universe of the pair).
  std::string kind;
  Request request;
  // The oracle's decisions: "Allowed", "ImplicitlyDenied",
  // "ExplicitlyDenied", or "error: ..." when it rejected the request.
  std::string old_decision;
  std::string new_decision;
};

struct OraclePair {
  std::string name;
  PolicySet old_set;
  PolicySet new_set;
  std::vector<OraclePairCase> cases;
};

struct OracleDiffFixture {
  std::string oracle_package;
  std::string oracle_version;
  std::vector<OraclePair> pairs;
};

// Parses the document {"oracle": {"package", "version"}, "pairs": [{"name",
// "old": SET, "new": SET, "requests": [{"name", "kind", "principal",
// "action", "resource", "context", "old", "new"}]}]}, SET being a policy
// set in the form of eval_fixtures.json. InvalidArgument on a policy the
// parser rejects or a field of the wrong type.
absl::StatusOr<OracleDiffFixture> ParseOracleDiffFixture(
    const std::string& text);

// Reads the file at `path` and parses it.
absl::StatusOr<OracleDiffFixture> LoadOracleDiffFixture(
    const std::string& path);

// Writing inputs for the oracle scripts.

// `policy` as an IAM policy document (conditions with value lists).
json::Value PolicyJson(const Policy& policy);

// `set` as a fixture policy set: {"identity": [{"name", "policy"}],
// "boundary", "scp", "rcp", "resource"}. InvalidArgument for what the
// oracle cannot take: a session policy, more than one resource-based policy.
absl::StatusOr<json::Value> OracleSetJson(const PolicySet& set);

// `request` as {"principal", "action", "resource", "context"}.
json::Value OracleRequestJson(const Request& request);

// The case names listed as "- `name`" in a known-differences file
// (testdata/oracle/KNOWN_DIFFERENCES.md); empty when it cannot be read.
std::set<std::string> KnownDifferences(const std::string& path);

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_ORACLE_FIXTURE_H_
