// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policy documents held in a JSON string, as AWS CLI output and
// CloudFormation hold them: plain JSON or URL-encoded, with every position
// mapped back to the file.

#ifndef LEASTPRIV_LIB_POLICY_EMBEDDED_DOCUMENT_H_
#define LEASTPRIV_LIB_POLICY_EMBEDDED_DOCUMENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"
#include "lib/policy/policy_reader.h"
#include "lib/policy/position_map.h"

namespace leastpriv::policy_internal {

struct Embedded {
  std::string text;
  PositionMap map;
  json::Value root;
};

// Decodes and parses a policy document held in the string value `v`.
absl::StatusOr<std::unique_ptr<Embedded>> ParseEmbedded(
    const json::Value& v, const SourceFile& source, const PositionMap& map,
    const ParseOptions& options);

}  // namespace leastpriv::policy_internal

#endif  // LEASTPRIV_LIB_POLICY_EMBEDDED_DOCUMENT_H_
