// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Reads testdata/oracle/eval_fixtures.json (policy sets and requests decided
// by an external IAM simulator) into PolicySets and Requests. Test and
// benchmark support only.

#ifndef LEASTPRIV_LIB_EVAL_ORACLE_FIXTURE_H_
#define LEASTPRIV_LIB_EVAL_ORACLE_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

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

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_ORACLE_FIXTURE_H_
