// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Policy parser and validator on arbitrary bytes: errors are clean
// InvalidArgument statuses with a position, ValidatePolicyText agrees with
// ParsePolicy on whether the input is a policy, and a parsed policy can be
// validated and evaluated without crashing.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "leastpriv/validate.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "policy_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leastpriv;  // NOLINT
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  options.file_name = "p.json";
  options.limits.max_bytes = 1 << 20;
  absl::StatusOr<Policy> policy = ParsePolicy(text, options);
  FileValidation validation = ValidatePolicyText(text, options);
  if (!policy.ok()) {
    Check(policy.status().code() == absl::StatusCode::kInvalidArgument,
          "a parse error that is not InvalidArgument");
    Check(std::string(policy.status().message()).rfind("p.json:", 0) == 0,
          "a parse error without the file name");
    Check(!validation.findings.empty(),
          "ParsePolicy fails but ValidatePolicyText finds nothing");
    return 0;
  }
  Check(validation.usable, "ParsePolicy succeeds on an unusable input");
  std::vector<Finding> findings = ValidatePolicy(*policy);
  for (const Finding& f : findings) {
    Check(!f.message.empty(), "a finding without text");
  }
  PolicySet set;
  set.identity.push_back(*policy);
  if (CheckEvaluable(set).ok()) {
    Request r;
    r.principal = "arn:aws:iam::111122223333:role/app";
    r.action = "dynamodb:GetItem";
    r.resource = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
    r.context["aws:SecureTransport"] = ContextValue{{"true"}, false};
    absl::StatusOr<Decision> d = Evaluate(set, r);
    Check(d.ok(), "Evaluate fails on an evaluable policy");
  }
  return 0;
}
