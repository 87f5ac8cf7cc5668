// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// CloudTrailReader and Replay: records streamed from the inputs in batches,
// mapped and decided on worker threads, aggregated per thread and merged.

#include "leastpriv/replay.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/replay/json_stream.h"

namespace leastpriv {

struct CloudTrailReader::Impl {
  std::vector<std::string> files;
  std::size_t next_file = 0;
  std::unique_ptr<replay::JsonValueStream> stream;
  CloudTrailLimits limits;
  std::size_t current_file = 0;
};

CloudTrailReader::CloudTrailReader(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CloudTrailReader::~CloudTrailReader() = default;

absl::StatusOr<std::unique_ptr<CloudTrailReader>> CloudTrailReader::Open(
    const std::vector<std::string>& paths, const CloudTrailLimits& limits) {
  absl::StatusOr<std::vector<std::string>> files =
      replay::ExpandInputPaths(paths, limits.max_files);
  if (!files.ok()) return files.status();
  auto impl = std::make_unique<Impl>();
  impl->files = *std::move(files);
  impl->limits = limits;
  return std::unique_ptr<CloudTrailReader>(
      new CloudTrailReader(std::move(impl)));
}

absl::StatusOr<bool> CloudTrailReader::Next(std::string* record_json,
                                            RecordPosition* where) {
  while (true) {
    if (impl_->stream == nullptr) {
      if (impl_->next_file >= impl_->files.size()) return false;
      impl_->current_file = impl_->next_file++;
      const std::string& path = impl_->files[impl_->current_file];
      absl::StatusOr<std::unique_ptr<replay::ByteReader>> in =
          replay::OpenInput(path);
      if (!in.ok()) return in.status();
      replay::JsonStreamLimits limits;
      limits.max_value_bytes = impl_->limits.max_record_bytes;
      limits.max_depth = impl_->limits.max_depth;
      impl_->stream = std::make_unique<replay::JsonValueStream>(
          *std::move(in), path == "-" ? "<stdin>" : path, limits);
    }
    absl::StatusOr<bool> more =
        impl_->stream->Next(record_json, &where->line, &where->column);
    if (!more.ok()) return more.status();
    if (*more) {
      where->file = impl_->stream->name();
      return true;
    }
    impl_->stream.reset();
  }
}

namespace {

// "LINE:COL: message" from json::Parse, moved to the record's place.
std::string PositionedError(const RecordPosition& at, absl::string_view msg) {
  return replay::PlaceParseError(at.file, at.line, at.column, msg);
}

std::string CauseSignature(const Decision& d) {
  std::string s = absl::StrCat(static_cast<int>(d.kind), "|", d.reason);
  for (const StatementRef& r : d.statements) {
    absl::StrAppend(&s, "|", r.pos.file, ":", r.pos.line, ":", r.pos.column,
                    "#", r.index);
  }
  return s;
}

struct GroupAcc {
  DenialGroup group;
  std::uint64_t first_ordinal = std::numeric_limits<std::uint64_t>::max();
  std::unordered_map<std::string, DenialCause> causes;
};

struct UnmappedAcc {
  UnmappedGroup group;
  std::uint64_t first_ordinal = std::numeric_limits<std::uint64_t>::max();
};

void MinMaxTime(const std::string& t, std::string* first, std::string* last) {
  if (t.empty()) return;
  if (first->empty() || t < *first) *first = t;
  if (last->empty() || t > *last) *last = t;
}

// One thread's totals.
struct Aggregate {
  std::uint64_t records = 0, dynamodb = 0, requests = 0, allowed = 0,
                denied = 0, unmapped_records = 0, other_principal = 0;
  std::unordered_map<std::string, GroupAcc> denials;
  std::unordered_map<std::string, UnmappedAcc> unmapped;
  std::unordered_map<std::string, RecordedOperation> operations;

  void Merge(Aggregate&& o) {
    records += o.records;
    dynamodb += o.dynamodb;
    requests += o.requests;
    allowed += o.allowed;
    denied += o.denied;
    unmapped_records += o.unmapped_records;
    other_principal += o.other_principal;
    for (auto& [key, acc] : o.denials) {
      auto [it, fresh] = denials.try_emplace(key, std::move(acc));
      if (fresh) continue;
      GroupAcc& g = it->second;
      g.group.count += acc.group.count;
      MinMaxTime(acc.group.first_time, &g.group.first_time, &g.group.last_time);
      MinMaxTime(acc.group.last_time, &g.group.first_time, &g.group.last_time);
      if (acc.first_ordinal < g.first_ordinal) {
        g.first_ordinal = acc.first_ordinal;
        g.group.first_record = acc.group.first_record;
      }
      for (auto& [sig, cause] : acc.causes) {
        auto [c, new_cause] = g.causes.try_emplace(sig, cause);
        if (!new_cause) c->second.count += cause.count;
      }
    }
    for (auto& [key, acc] : o.unmapped) {
      auto [it, fresh] = unmapped.try_emplace(key, std::move(acc));
      if (fresh) continue;
      it->second.group.count += acc.group.count;
      if (acc.first_ordinal < it->second.first_ordinal) {
        it->second.first_ordinal = acc.first_ordinal;
        it->second.group.first_record = acc.group.first_record;
      }
    }
    for (auto& [key, op] : o.operations) {
      auto [it, fresh] = operations.try_emplace(key, std::move(op));
      if (fresh) continue;
      it->second.count += op.count;
      it->second.denied += op.denied;
      MinMaxTime(op.first_time, &it->second.first_time, &it->second.last_time);
      MinMaxTime(op.last_time, &it->second.first_time, &it->second.last_time);
    }
  }
};

struct RecordRef {
  std::string text;
  RecordPosition where;  // file shared with the batch's other records
  std::uint64_t ordinal = 0;
};

struct Batch {
  std::vector<RecordRef> records;
  std::shared_ptr<const SessionTags> tags;
};

struct FirstError {
  std::mutex mu;
  std::atomic<std::uint64_t> ordinal{std::numeric_limits<std::uint64_t>::max()};
  absl::Status status;  // guarded by mu
  std::atomic<bool> failed{false};

  void Offer(std::uint64_t at, absl::Status s) {
    std::lock_guard<std::mutex> lock(mu);
    if (at < ordinal) {
      ordinal = at;
      status = std::move(s);
    }
    failed = true;
  }
};

// The condition keys the policies read, lower-cased.
std::set<std::string> ConditionKeysRead(const PolicySet& set) {
  std::set<std::string> keys;
  auto add = [&](const Policy& p) {
    for (const Statement& st : p.statements) {
      for (const Condition& c : st.conditions) {
        keys.insert(absl::AsciiStrToLower(c.key));
      }
    }
  };
  for (const Policy& p : set.identity) add(p);
  for (const auto& [table, policies] : set.resource) {
    for (const Policy& p : policies) add(p);
  }
  if (set.boundary) add(*set.boundary);
  if (set.session) add(*set.session);
  for (const auto& level : set.scp_levels) {
    for (const Policy& p : level) add(p);
  }
  for (const auto& level : set.rcp_levels) {
    for (const Policy& p : level) add(p);
  }
  return keys;
}

void CountUnmapped(const RecordMapping& m, const std::string& reason,
                   const RecordRef& rec, Aggregate* agg) {
  ++agg->unmapped_records;
  UnmappedAcc& u = agg->unmapped[absl::StrCat(m.event_name, "\x1f", reason)];
  if (u.group.count++ == 0) {
    u.group.event_name = m.event_name;
    u.group.reason = reason;
  }
  if (rec.ordinal < u.first_ordinal) {
    u.first_ordinal = rec.ordinal;
    u.group.first_record = rec.where;
  }
}

void ProcessBatch(const PolicyEvaluator& evaluator, const Batch& batch,
                  const ReplayOptions& options,
                  const std::set<std::string>& keys_read, Aggregate* agg,
                  FirstError* error) {
  RecordMapOptions map_options;
  map_options.limits = options.limits;
  map_options.session_tags = batch.tags.get();
  map_options.partition_keys = &options.partition_keys;
  for (const RecordRef& rec : batch.records) {
    if (error->failed && rec.ordinal > error->ordinal) return;
    absl::StatusOr<RecordMapping> m =
        MapCloudTrailRecord(rec.text, map_options);
    if (!m.ok()) {
      error->Offer(rec.ordinal, absl::InvalidArgumentError(PositionedError(
                                    rec.where, m.status().message())));
      return;
    }
    ++agg->records;
    if (!m->dynamodb) continue;
    ++agg->dynamodb;
    if (!m->unmapped_reason.empty()) {
      CountUnmapped(*m, m->unmapped_reason, rec, agg);
      continue;
    }
    bool partly_unmapped = false;
    for (const RecordedRequest& rr : m->requests) {
      if (!options.principal.empty() && rr.principal_arn != options.principal &&
          rr.request.principal != options.principal) {
        ++agg->other_principal;
        continue;
      }
      std::string undecidable;
      for (const auto& [key, why] : rr.unknown_keys) {
        if (keys_read.count(absl::AsciiStrToLower(key)) > 0) {
          undecidable = absl::StrCat("not fully mapped: ", key, ": ", why);
          break;
        }
      }
      if (!undecidable.empty()) {
        if (!partly_unmapped) CountUnmapped(*m, undecidable, rec, agg);
        partly_unmapped = true;
        continue;
      }
      absl::StatusOr<Decision> d = evaluator.Evaluate(rr.request);
      if (!d.ok()) {
        error->Offer(rec.ordinal,
                     absl::InvalidArgumentError(absl::StrCat(
                         rec.where.file, ":", rec.where.line, ":",
                         rec.where.column, ": ", d.status().message())));
        return;
      }
      ++agg->requests;
      const bool allowed = d->kind == DecisionKind::kAllowed;
      (allowed ? agg->allowed : agg->denied)++;
      RecordedOperation& op = agg->operations[absl::StrCat(
          rr.request.action, "\x1f", rr.request.resource)];
      if (op.count++ == 0) {
        op.action = rr.request.action;
        op.resource = rr.request.resource;
      }
      if (!allowed) ++op.denied;
      MinMaxTime(rr.event_time, &op.first_time, &op.last_time);
      if (allowed) continue;
      GroupAcc& g = agg->denials[absl::StrCat(rr.request.action, "\x1f",
                                              rr.request.resource, "\x1f",
                                              rr.principal_arn)];
      if (g.group.count++ == 0) {
        g.group.action = rr.request.action;
        g.group.resource = rr.request.resource;
        g.group.principal = rr.principal_arn;
      }
      MinMaxTime(rr.event_time, &g.group.first_time, &g.group.last_time);
      if (rec.ordinal < g.first_ordinal) {
        g.first_ordinal = rec.ordinal;
        g.group.first_record = rec.where;
      }
      DenialCause& cause = g.causes[CauseSignature(*d)];
      if (cause.count++ == 0) {
        cause.kind = d->kind;
        cause.statements = d->statements;
        cause.reason = d->reason;
      }
    }
  }
}

// A bounded queue of batches between the reader and the workers.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}
  void Push(Batch b) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(b));
    not_empty_.notify_one();
  }
  bool Pop(Batch* b) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return false;
    *b = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> queue_;
  std::size_t capacity_;
  bool closed_ = false;
};

ReplayReport Finish(Aggregate&& agg) {
  ReplayReport r;
  r.records = agg.records;
  r.dynamodb_records = agg.dynamodb;
  r.requests = agg.requests;
  r.allowed = agg.allowed;
  r.denied = agg.denied;
  r.unmapped_records = agg.unmapped_records;
  r.other_principal_requests = agg.other_principal;
  for (auto& [key, acc] : agg.denials) {
    DenialGroup g = std::move(acc.group);
    for (auto& [sig, cause] : acc.causes) g.causes.push_back(std::move(cause));
    std::sort(g.causes.begin(), g.causes.end(),
              [](const DenialCause& a, const DenialCause& b) {
                if (a.count != b.count) return a.count > b.count;
                if (a.kind != b.kind) return a.kind < b.kind;
                if (a.reason != b.reason) return a.reason < b.reason;
                auto refs = [](const DenialCause& c) {
                  std::vector<std::tuple<std::string, int, int>> v;
                  for (const StatementRef& s : c.statements) {
                    v.emplace_back(s.pos.file, s.pos.line, s.index);
                  }
                  return v;
                };
                return refs(a) < refs(b);
              });
    r.denials.push_back(std::move(g));
  }
  std::sort(r.denials.begin(), r.denials.end(),
            [](const DenialGroup& a, const DenialGroup& b) {
              return std::tie(a.action, a.resource, a.principal) <
                     std::tie(b.action, b.resource, b.principal);
            });
  for (auto& [key, acc] : agg.unmapped) r.unmapped.push_back(acc.group);
  std::sort(r.unmapped.begin(), r.unmapped.end(),
            [](const UnmappedGroup& a, const UnmappedGroup& b) {
              return std::tie(a.event_name, a.reason) <
                     std::tie(b.event_name, b.reason);
            });
  for (auto& [key, op] : agg.operations) r.operations.push_back(op);
  std::sort(r.operations.begin(), r.operations.end(),
            [](const RecordedOperation& a, const RecordedOperation& b) {
              return std::tie(a.action, a.resource) <
                     std::tie(b.action, b.resource);
            });
  return r;
}

constexpr std::size_t kBatchRecords = 512;

bool MayBeAssumeRole(const std::string& text) {
  return text.find("sts.amazonaws.com") != std::string::npos &&
         text.find("AssumeRole") != std::string::npos;
}

}  // namespace

absl::StatusOr<ReplayReport> Replay(const PolicyEvaluator& evaluator,
                                    const std::vector<std::string>& paths,
                                    const ReplayOptions& options) {
  absl::StatusOr<std::vector<std::string>> files =
      replay::ExpandInputPaths(paths, options.limits.max_files);
  if (!files.ok()) return files.status();
  absl::StatusOr<std::unique_ptr<CloudTrailReader>> reader =
      CloudTrailReader::Open(*files, options.limits);
  if (!reader.ok()) return reader.status();

  int jobs = options.jobs;
  if (jobs <= 0) jobs = static_cast<int>(std::thread::hardware_concurrency());
  if (jobs <= 0) jobs = 1;

  const std::set<std::string> keys_read =
      ConditionKeysRead(evaluator.policies());
  FirstError error;
  std::vector<Aggregate> aggregates(jobs);
  BatchQueue queue(static_cast<std::size_t>(2 * jobs));
  std::vector<std::thread> workers;
  if (jobs > 1) {
    for (int j = 0; j < jobs; ++j) {
      workers.emplace_back([&, j] {
        Batch b;
        while (queue.Pop(&b)) {
          ProcessBatch(evaluator, b, options, keys_read, &aggregates[j],
                       &error);
        }
      });
    }
  }
  auto dispatch = [&](Batch&& b) {
    if (b.records.empty()) return;
    if (jobs > 1) {
      queue.Push(std::move(b));
    } else {
      ProcessBatch(evaluator, b, options, keys_read, &aggregates[0], &error);
    }
  };

  auto tags = std::make_shared<const SessionTags>();
  Batch batch;
  batch.tags = tags;
  std::uint64_t ordinal = 0;
  absl::Status read_status;
  std::string text;
  RecordPosition where;
  RecordMapOptions map_options;
  map_options.limits = options.limits;
  while (!error.failed) {
    absl::StatusOr<bool> more = (*reader)->Next(&text, &where);
    if (!more.ok()) {
      read_status = more.status();
      break;
    }
    if (!*more) break;
    if (MayBeAssumeRole(text)) {
      absl::StatusOr<RecordMapping> m = MapCloudTrailRecord(text, map_options);
      if (m.ok() && !m->assumed_session.empty()) {
        // Records before this one keep the tags they had.
        dispatch(std::move(batch));
        auto next = std::make_shared<SessionTags>(*tags);
        (*next)[m->assumed_session] = m->assumed_tags;
        tags = std::move(next);
        batch = Batch();
        batch.tags = tags;
      }
    }
    batch.records.push_back({std::move(text), where, ordinal++});
    text = std::string();
    if (batch.records.size() >= kBatchRecords) {
      dispatch(std::move(batch));
      batch = Batch();
      batch.tags = tags;
    }
  }
  if (!error.failed) dispatch(std::move(batch));
  queue.Close();
  for (std::thread& t : workers) t.join();

  // A malformed record before the point where reading failed wins.
  if (error.failed) return error.status;
  if (!read_status.ok()) return read_status;
  Aggregate total;
  for (Aggregate& a : aggregates) total.Merge(std::move(a));
  ReplayReport report = Finish(std::move(total));
  report.inputs = *std::move(files);
  return report;
}

int ReplayExitStatus(const ReplayReport& report) {
  return report.denied > 0 ? 1 : 0;
}

}  // namespace leastpriv
