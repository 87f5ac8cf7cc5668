// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Replaying recorded traffic: CloudTrail records of DynamoDB calls turned
// into the IAM requests they needed, decided under a policy set, and the
// requests the policies would deny grouped into a report.
//
// Guide:
//   MapCloudTrailRecord  -- one record (its JSON text) -> IAM requests, or
//                           why it cannot be mapped
//   CloudTrailReader     -- records from files, directories or standard
//                           input, streamed (S3 log files, gzipped or not,
//                           and JSON lines)
//   Replay               -- every record of some inputs through a
//                           PolicyEvaluator, on several threads, into a
//                           ReplayReport
//   RenderReplay*        -- text, JSON, SARIF 2.1.0, Markdown
//
// The mapping follows the documented record format: "CloudTrail record
// contents" and "CloudTrail userIdentity element" (AWS CloudTrail User
// Guide), and "Understanding DynamoDB log file entries" (Amazon DynamoDB
// Developer Guide). The item-level keys come from the key values and
// attribute names a record shows (see MapCloudTrailRecord); where the record
// does not tell one (the partition key of a two-attribute key, the values
// of a PartiQL statement), the request names it in unknown_keys rather than
// guessing, and Replay does not decide it under policies that read that
// key: the record is reported as not fully mapped, with the reason.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_REPLAY_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_REPLAY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/evaluate.h"

namespace leastpriv {

// The version of the replay JSON report schema (README, "leastpriv
// replay"). Bumped when a field changes meaning or is removed.
inline constexpr int kReplaySchemaVersion = 1;

// Bounds on untrusted CloudTrail input. Exceeding one is an
// InvalidArgument error naming it.
struct CloudTrailLimits {
  // One record's JSON text (CloudTrail records are at most a few hundred
  // KiB; a larger one is not a record).
  std::size_t max_record_bytes = 1u << 20;
  // JSON nesting within one record.
  int max_depth = 64;
  // Files found under the directories given.
  std::size_t max_files = 1000000;
  // IAM requests one record may expand to (a transaction has at most 100
  // items; a batch at most 100 tables).
  std::size_t max_requests_per_record = 1000;
};

// Session tags of assumed-role sessions, by session ARN
// ("arn:aws:sts::111122223333:assumed-role/app/i-0abc"): tag key -> value.
// CloudTrail records the tags of a session in the AssumeRole event that
// created it (requestParameters.tags), not in the session's later calls.
using SessionTags = std::map<std::string, std::map<std::string, std::string>>;

// One IAM request a record needed.
struct RecordedRequest {
  // principal: the caller (an assumed-role session ARN, an IAM user ARN,
  // ...); action "dynamodb:GetItem"; resource: the table, index, stream,
  // backup, export, import or global-table ARN, or "*" for wildcard-only
  // actions; context: the keys the record shows (see MapCloudTrailRecord).
  Request request;
  // The principal requests are grouped by: the role ARN for an assumed-role
  // session (aws:PrincipalArn), the principal itself otherwise.
  std::string principal_arn;
  std::string event_name;  // "TransactWriteItems"
  std::string event_time;  // as recorded, "2024-05-01T10:00:00Z"
  // Condition keys the request carried that the record does not show
  // ("dynamodb:LeadingKeys"), with why ("the partition key of \"Orders\" is
  // not known (...)"). Such a key is absent from request.context.
  std::map<std::string, std::string> unknown_keys;
};

// What one record stands for.
struct RecordMapping {
  // False when the record is not a DynamoDB event (eventSource other than
  // dynamodb.amazonaws.com): it is ignored.
  bool dynamodb = false;
  std::string event_name;
  // The requests it needed, in the order of the record (batch and
  // transaction items in their order, one request per distinct action and
  // resource).
  std::vector<RecordedRequest> requests;
  // For a DynamoDB record that maps to no request: why ("no table name in
  // requestParameters", "unknown event name \"Foo\"", ...).
  std::string unmapped_reason;
  // For an sts.amazonaws.com AssumeRole record with session tags: the
  // session ARN it created and its tags (see SessionTags).
  std::string assumed_session;
  std::map<std::string, std::string> assumed_tags;
};

// Partition key attribute names: table name ("Orders") or index
// ("Orders/index/ByCustomer") -> attribute ("pk"). A record's key values do
// not say which attribute is the partition key when the key has two.
using PartitionKeys = std::map<std::string, std::string>;

struct RecordMapOptions {
  CloudTrailLimits limits;
  // Tags of the sessions created by earlier AssumeRole records; may be null.
  const SessionTags* session_tags = nullptr;
  // May be null.
  const PartitionKeys* partition_keys = nullptr;
};

// Maps one CloudTrail record (the JSON text of one element of "Records").
//
//   action      "dynamodb:" + eventName, for every DynamoDB action of the
//               catalog (the DynamoDB Streams events DescribeStream,
//               GetShardIterator, GetRecords and ListStreams among them);
//               BatchGetItem / BatchWriteItem expand to one request per
//               table; TransactWriteItems to PutItem / UpdateItem /
//               DeleteItem / ConditionCheckItem per item, TransactGetItems
//               to GetItem; ExecuteStatement, BatchExecuteStatement and
//               ExecuteTransaction to PartiQLSelect / PartiQLInsert /
//               PartiQLUpdate / PartiQLDelete by statement verb (on the
//               index ARN for SELECT ... FROM "t"."i").
//   resource    from requestParameters (tableName, which may be an ARN, with
//               indexName for Query and Scan; streamArn, backupArn,
//               exportArn, importArn, resourceArn, tableArn,
//               globalTableName, targetTableName), then the record's
//               resources[] ARN of the action's resource type; table names
//               become ARNs with awsRegion and recipientAccountId.
//   principal   userIdentity.arn (an assumed-role session, an IAM user, the
//               root user); AWS service calls (type AWSService) and records
//               without a caller ARN are not mapped.
//   context     aws:SourceIp (sourceIPAddress when it is an address and no
//               vpcEndpointId), aws:VpcSourceIp (with a vpcEndpointId),
//               aws:SourceVpce, aws:UserAgent, aws:CurrentTime and
//               aws:EpochTime (eventTime), aws:SecureTransport ("true" when
//               tlsDetails is present), aws:RequestedRegion (awsRegion),
//               aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
//               aws:userid, aws:username (IAM users),
//               aws:MultiFactorAuthPresent and aws:TokenIssueTime (session
//               attributes), aws:SourceIdentity, aws:PrincipalTag/K (session
//               tags), and the dynamodb: keys requestParameters shows
//               (dynamodb:Select, dynamodb:ReturnValues,
//               dynamodb:ReturnConsumedCapacity).
//   item keys   for the actions that take them (ActionSupportsConditionKey),
//               per item: batch and transaction items are requests of their
//               own (one per distinct action, resource and item keys).
//               dynamodb:LeadingKeys is the partition key value of the
//               item's key ("key" of GetItem, PutItem, UpdateItem,
//               DeleteItem, transaction items, BatchGetItem "keys" and
//               BatchWriteItem deleteRequest; values plain or typed
//               {"S": ...}) or of a Query's key condition (the equality on
//               the partition key in keyConditionExpression, its value from
//               expressionAttributeValues; or legacy keyConditions). The
//               partition key is the attribute options.partition_keys names
//               for the table (or "TABLE/index/INDEX" for a Query on an
//               index); without one, the only attribute of a one-attribute
//               key, or the only comparison of a key condition; otherwise
//               unknown. dynamodb:Attributes is the item's attribute names
//               ("item" of PutItem and put requests, which CloudTrail
//               records as names only), projectionExpression (aliases
//               resolved) and attributesToGet; unknown for UpdateItem with
//               an update (the expression is not read) and for PartiQL.
//               A read that shows no projection carries no
//               dynamodb:Attributes. Unknown keys go to unknown_keys.
//
// InvalidArgument "LINE:COL: message" when `record_json` is not JSON, or
// exceeds the limits. A record that is JSON but not a usable DynamoDB event
// is not an error: see unmapped_reason.
absl::StatusOr<RecordMapping> MapCloudTrailRecord(
    std::string_view record_json, const RecordMapOptions& options = {});

// Where a record was read: file (or "<stdin>"), line and column of its
// opening brace.
struct RecordPosition {
  std::string file;
  int line = 0;
  int column = 0;
};

// The records of a list of inputs, one after another, streamed: memory is
// bounded by the largest record, not by the input.
class CloudTrailReader {
 public:
  // Each path is a file, a directory (every *.json, *.jsonl, *.ndjson,
  // optionally .gz, under it, recursively, in path order, CloudTrail-Digest
  // directories and links to directories left out) or "-" for standard input.
  // Files are gzip- compressed or not (told by their first bytes) and hold
  // {"Records":
  // [...]} objects, arrays of records, or JSON lines. NotFound for a path
  // that does not exist; InvalidArgument for too many files.
  static absl::StatusOr<std::unique_ptr<CloudTrailReader>> Open(
      const std::vector<std::string>& paths,
      const CloudTrailLimits& limits = {});

  ~CloudTrailReader();

  // The next record's JSON text and position; false after the last.
  // InvalidArgument "FILE:LINE:COL: message" for malformed input.
  absl::StatusOr<bool> Next(std::string* record_json, RecordPosition* where);

 private:
  struct Impl;
  explicit CloudTrailReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A statement or level that decided a denial, and how many requests of the
// group it decided.
struct DenialCause {
  DecisionKind kind = DecisionKind::kImplicitlyDenied;
  // The Deny statements (kExplicitlyDenied); empty otherwise.
  std::vector<StatementRef> statements;
  // For kImplicitlyDenied: "no identity or resource-based policy allows",
  // "permissions boundary does not allow", "SCP level 2 does not allow", ...
  std::string reason;
  std::uint64_t count = 0;
};

// The recorded requests of one (action, resource, principal) that the
// policies would deny.
struct DenialGroup {
  std::string action;
  std::string resource;
  std::string principal;  // RecordedRequest::principal_arn
  std::uint64_t count = 0;
  std::string first_time, last_time;  // eventTime, earliest and latest
  RecordPosition first_record;        // the earliest record of the group
  // By count (largest first), then kind, reason and statements.
  std::vector<DenialCause> causes;
};

// Records that could not be mapped, for one (event name, reason).
struct UnmappedGroup {
  std::string event_name;
  std::string reason;
  std::uint64_t count = 0;
  RecordPosition first_record;
};

// One (action, resource) the records used, allowed or not.
struct RecordedOperation {
  std::string action;
  std::string resource;
  std::uint64_t count = 0;
  std::uint64_t denied = 0;
  std::string first_time, last_time;
};

struct ReplayReport {
  std::vector<std::string> inputs;     // the files read, in order
  std::uint64_t records = 0;           // every record read
  std::uint64_t dynamodb_records = 0;  // eventSource dynamodb.amazonaws.com
  std::uint64_t requests = 0;          // IAM requests mapped
  std::uint64_t allowed = 0;
  std::uint64_t denied = 0;
  std::uint64_t unmapped_records = 0;
  // Requests of other principals than ReplayOptions::principal, not
  // decided.
  std::uint64_t other_principal_requests = 0;
  // Sorted by action, resource, principal.
  std::vector<DenialGroup> denials;
  // Sorted by event name, reason.
  std::vector<UnmappedGroup> unmapped;
  // Sorted by action, resource.
  std::vector<RecordedOperation> operations;
};

struct ReplayOptions {
  CloudTrailLimits limits;
  // Threads evaluating records (0: one per hardware thread). The report
  // does not depend on it.
  int jobs = 1;
  // When not empty, only the requests of this principal are decided: the
  // caller's ARN or the role ARN of its session (RecordedRequest::
  // principal_arn) must equal it. The policies are one principal's.
  std::string principal;
  // Partition keys of the tables and indexes (RecordMapOptions).
  PartitionKeys partition_keys;
};

// Reads every record of `paths` (see CloudTrailReader::Open), maps it,
// decides each request with `evaluator` and aggregates the result. A
// request whose unknown_keys include a condition key some policy of the
// evaluator reads is not decided: its record counts as unmapped, grouped
// under "not fully mapped: KEY: why" (its other requests are decided). Memory
// is bounded by the number of distinct groups, not by the records.
// Errors: the reader's; InvalidArgument "FILE:LINE:COL: message" for a
// record that is not JSON or a request Evaluate rejects. When several
// records are malformed, the first in input order is reported.
absl::StatusOr<ReplayReport> Replay(const PolicyEvaluator& evaluator,
                                    const std::vector<std::string>& paths,
                                    const ReplayOptions& options = {});

// 1 when some recorded request would be denied, 0 otherwise.
int ReplayExitStatus(const ReplayReport& report);

// Text: a one-line summary ("FAIL: 3 of 1,204 recorded requests would be
// denied, in 2 groups; 1 record not mapped"), then each denial group with
// its counts, times and causes, then the unmapped records.
std::string RenderReplayText(const ReplayReport& report);
// JSON, schema version kReplaySchemaVersion (README).
std::string RenderReplayJson(const ReplayReport& report);
// SARIF 2.1.0: a "denied-request" error per denial group, located at the
// denying statement (explicit denies) or at the group's first record;
// an "unmapped-record" note per unmapped group.
std::string RenderReplaySarif(const ReplayReport& report);
// A pull-request comment in GitHub-flavoured Markdown.
std::string RenderReplayMarkdown(const ReplayReport& report);

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_REPLAY_H_
