// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The CloudTrail reader, records to requests: any bytes read as a log file
// ({"Records": [...]}, an array or JSON lines) either stop with a clean
// positioned error, or give records each of which maps (MapCloudTrailRecord)
// to a clean error, "not DynamoDB", "not mapped, because ..." or requests
// that are well formed and that the evaluator decides without error. The
// mapping is a function of the record: mapping it twice gives the same
// requests.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "leastpriv/catalog.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "leastpriv/replay.h"
#include "lib/replay/json_stream.h"

namespace {

using namespace leastpriv;  // NOLINT: a fuzz target's own file

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "cloudtrail_fuzzer: %s\n", what);
    std::abort();
  }
}

// "LINE:COL: message" (from 1), or "NAME:LINE:COL: message".
bool Positioned(std::string_view message, std::string_view name) {
  if (!name.empty()) {
    if (message.substr(0, name.size()) != name) return false;
    message.remove_prefix(name.size());
    if (message.empty() || message[0] != ':') return false;
    message.remove_prefix(1);
  }
  for (int part = 0; part < 2; ++part) {
    std::size_t digits = 0;
    while (digits < message.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(message[digits]))) {
      ++digits;
    }
    if (digits == 0 || digits >= message.size() || message[digits] != ':') {
      return false;
    }
    if (message[0] == '0') return false;
    message.remove_prefix(digits + 1);
  }
  return !message.empty();
}

// A policy with the condition keys a record gives: tenant, network, time,
// transport, item-level keys.
const PolicyEvaluator& Evaluator() {
  static const PolicyEvaluator* evaluator = [] {
    constexpr char kPolicy[] = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",
     "Condition": {
       "ForAllValues:StringEquals": {
         "dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant}"],
         "dynamodb:Attributes": ["pk", "sk", "total"]},
       "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
       "IpAddressIfExists": {"aws:SourceIp": "192.0.2.0/24"},
       "DateLessThanIfExists": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
       "BoolIfExists": {"aws:SecureTransport": "true"}}},
    {"Effect": "Deny", "Action": "dynamodb:Delete*",
     "Resource": "arn:aws:dynamodb:*:*:table/${aws:username}*",
     "Condition": {"StringLike": {"aws:UserAgent": "*console*"}}}
  ]
})";
    ParseOptions options;
    options.file_name = "fuzz_policy.json";
    absl::StatusOr<Policy> policy = ParsePolicy(kPolicy, options);
    Check(policy.ok(), "the fuzz policy does not parse");
    PolicySet set;
    set.identity.push_back(*std::move(policy));
    absl::StatusOr<PolicyEvaluator> e = PolicyEvaluator::Create(set);
    Check(e.ok(), "the fuzz policy is not evaluable");
    return new PolicyEvaluator(*std::move(e));
  }();
  return *evaluator;
}

bool SameRequests(const RecordMapping& a, const RecordMapping& b) {
  if (a.dynamodb != b.dynamodb || a.unmapped_reason != b.unmapped_reason ||
      a.requests.size() != b.requests.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.requests.size(); ++i) {
    const Request& x = a.requests[i].request;
    const Request& y = b.requests[i].request;
    if (x.principal != y.principal || x.action != y.action ||
        x.resource != y.resource || x.context.size() != y.context.size()) {
      return false;
    }
    for (auto i = x.context.begin(), j = y.context.begin();
         i != x.context.end(); ++i, ++j) {
      if (i->first != j->first || i->second.values != j->second.values ||
          i->second.multi_valued != j->second.multi_valued) {
        return false;
      }
    }
  }
  return true;
}

void CheckRecord(const std::string& text, const RecordMapOptions& options,
                 SessionTags* tags) {
  absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(text, options);
  if (!m.ok()) {
    Check(m.status().code() == absl::StatusCode::kInvalidArgument,
          "a mapping error that is not InvalidArgument");
    Check(Positioned(std::string(m.status().message()), ""),
          "a mapping error without LINE:COL");
    return;
  }
  absl::StatusOr<RecordMapping> again = MapCloudTrailRecord(text, options);
  Check(again.ok() && SameRequests(*m, *again),
        "mapping the same record twice differs");
  if (!m->assumed_session.empty()) {
    Check(!m->dynamodb, "an AssumeRole record counted as DynamoDB");
    (*tags)[m->assumed_session] = m->assumed_tags;
  }
  if (!m->dynamodb) {
    Check(m->requests.empty() && m->unmapped_reason.empty(),
          "a record that is not DynamoDB has requests or a reason");
    return;
  }
  if (!m->unmapped_reason.empty()) {
    Check(m->requests.empty(), "an unmapped record has requests");
    return;
  }
  Check(!m->requests.empty(), "a mapped record without requests");
  Check(m->requests.size() <= options.limits.max_requests_per_record,
        "more requests than max_requests_per_record");
  for (const RecordedRequest& rr : m->requests) {
    const Request& r = rr.request;
    Check(r.action.rfind("dynamodb:", 0) == 0, "an action outside dynamodb:");
    Check(FindAction(r.action.substr(9)) != nullptr,
          "an action the catalog does not know");
    Check(r.resource == "*" || !ClassifyDynamoDbArn(r.resource).empty(),
          "a resource that is neither * nor a DynamoDB ARN");
    Check(!r.principal.empty() && !rr.principal_arn.empty(),
          "a request without a principal");
    for (const auto& [key, value] : r.context) {
      Check(value.multi_valued || value.values.size() == 1,
            "a single-valued key without exactly one value");
    }
    absl::StatusOr<Decision> d = Evaluator().Evaluate(r);
    Check(d.ok(), "a mapped request the evaluator rejects");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  replay::JsonStreamLimits stream_limits;
  stream_limits.max_value_bytes = 1u << 16;
  stream_limits.max_depth = 32;
  replay::JsonValueStream stream(
      replay::MemoryInput(
          std::string(reinterpret_cast<const char*>(data), size)),
      "fuzz.json", stream_limits);
  SessionTags tags;
  RecordMapOptions options;
  options.limits.max_record_bytes = stream_limits.max_value_bytes;
  options.limits.max_depth = stream_limits.max_depth;
  options.session_tags = &tags;
  std::string text;
  int line = 0, column = 0, last_line = 0;
  for (int n = 0; n < 1000; ++n) {
    absl::StatusOr<bool> more = stream.Next(&text, &line, &column);
    if (!more.ok()) {
      Check(more.status().code() == absl::StatusCode::kInvalidArgument,
            "a stream error that is not InvalidArgument");
      Check(Positioned(std::string(more.status().message()), "fuzz.json"),
            "a stream error without fuzz.json:LINE:COL");
      return 0;
    }
    if (!*more) return 0;
    Check(line >= 1 && column >= 1 && line >= last_line,
          "a value position out of order");
    Check(text.size() <= stream_limits.max_value_bytes,
          "a value over max_value_bytes");
    last_line = line;
    CheckRecord(text, options, &tags);
  }
  return 0;
}
