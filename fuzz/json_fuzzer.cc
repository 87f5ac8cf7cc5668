// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// JSON reader and writer: any input either fails with a clean error, or
// parses to a value that serialises (compact and pretty) to text that parses
// back to the same serialisation.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/json/json.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "json_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace json = leastpriv::json;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  json::JsonLimits limits;
  limits.max_depth = 256;
  absl::StatusOr<json::Value> v = json::Parse(text, limits);
  if (!v.ok()) {
    Check(v.status().code() == absl::StatusCode::kInvalidArgument,
          "a parse error that is not InvalidArgument");
    Check(!v.status().message().empty(), "an empty error message");
    return 0;
  }
  for (int indent : {-1, 2}) {
    const std::string once = json::Serialize(*v, indent);
    absl::StatusOr<json::Value> again = json::Parse(once, limits);
    Check(again.ok(), "serialised output does not parse");
    Check(json::Serialize(*again, indent) == once,
          "parse(serialize(v)) serialises differently");
    Check(again->kind() == v->kind(), "round trip changed the kind");
  }
  return 0;
}
