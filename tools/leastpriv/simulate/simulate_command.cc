// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/simulate/simulate_command.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"
#include "lib/json/json.h"
#include "lib/replay/json_stream.h"
#include "tools/leastpriv/common/command_line.h"
#include "tools/leastpriv/common/errors.h"
#include "tools/leastpriv/common/policy_options.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv simulate [policy options] --requests FILE|- "
    "[--format json|text] [--jobs N]\n";
constexpr cli::CommandErrors kErrors("leastpriv", kUsage);

// Requests decided together by one thread.
constexpr std::size_t kChunkRequests = 256;
// Output held back before the first write: an error within it leaves the
// output empty.
constexpr std::size_t kHoldBytes = 1u << 20;

// Where one request's text starts in its file, for positions in errors.
struct Origin {
  const std::string* file;
  int line = 1, column = 1;

  // "FILE:L:C: " for a position inside the request's own text.
  std::string At(int l, int c) const {
    if (l == 1) c += column - 1;
    return absl::StrCat(*file, ":", l + line - 1, ":", c, ": ");
  }
  std::string At(const json::Value& v) const {
    return At(v.line(), v.column());
  }
};

// A context value as written: a string, number or Boolean, or a list of them.
absl::StatusOr<std::string> ScalarText(const Origin& at, const json::Value& v,
                                       const std::string& key) {
  if (v.is_string()) return v.string_value();
  if (v.is_number()) return v.number_text();
  if (v.is_bool()) return std::string(v.bool_value() ? "true" : "false");
  return absl::InvalidArgumentError(
      at.At(v) + "context key \"" + key +
      "\" must be a string, number, Boolean or a list of them, not " +
      std::string(json::Value::KindName(v.kind())));
}

absl::StatusOr<Request> ReadRequest(const Origin& at, const json::Value& v,
                                    const cli::PolicyOptions& options) {
  if (!v.is_object()) {
    return absl::InvalidArgumentError(
        at.At(v) + "request must be an object, not " +
        std::string(json::Value::KindName(v.kind())));
  }
  Request r;
  r.principal = options.principal;
  bool has_action = false, has_resource = false;
  for (std::size_t i = 0; i < v.object().size(); ++i) {
    const auto& [key, value] = v.object()[i];
    if (key == "action" || key == "resource" || key == "principal") {
      if (!value.is_string() || value.string_value().empty()) {
        return absl::InvalidArgumentError(at.At(value) + "\"" + key +
                                          "\" must be a non-empty string");
      }
      if (key == "action") {
        r.action = value.string_value();
        has_action = true;
      } else if (key == "resource") {
        r.resource = value.string_value();
        has_resource = true;
      } else {
        r.principal = value.string_value();
      }
    } else if (key == "context") {
      if (!value.is_object()) {
        return absl::InvalidArgumentError(at.At(value) +
                                          "\"context\" must be an object");
      }
      for (const auto& [ckey, cvalue] : value.object()) {
        ContextValue cv;
        if (cvalue.is_array()) {
          cv.multi_valued = true;
          for (const json::Value& item : cvalue.array()) {
            absl::StatusOr<std::string> s = ScalarText(at, item, ckey);
            if (!s.ok()) return s.status();
            cv.values.push_back(*std::move(s));
          }
        } else {
          absl::StatusOr<std::string> s = ScalarText(at, cvalue, ckey);
          if (!s.ok()) return s.status();
          cv.values.push_back(*std::move(s));
        }
        r.context[ckey] = std::move(cv);
      }
    } else {
      return absl::InvalidArgumentError(
          at.At(v.key_line(i), v.key_column(i)) + "unknown request field \"" +
          key + "\" (expected action, resource, principal, context)");
    }
  }
  if (!has_action) {
    return absl::InvalidArgumentError(at.At(v) + "request has no \"action\"");
  }
  if (!has_resource) {
    return absl::InvalidArgumentError(at.At(v) + "request has no \"resource\"");
  }
  if (r.resource != "*" && r.resource.rfind("arn:", 0) != 0) {
    if (options.region.empty() || options.account.empty()) {
      return absl::InvalidArgumentError(
          at.At(*v.Find("resource")) + "table name \"" + r.resource +
          "\" needs --region and --account (or give the table ARN)");
    }
    r.resource = "arn:aws:dynamodb:" + options.region + ":" + options.account +
                 ":table/" + r.resource;
  }
  return r;
}

// One element of "results", as json::Serialize writes it at depth 2.
void AppendDecisionJson(const Decision& d, std::string* out) {
  absl::StrAppend(
      out, "    {\n      \"decision\": ", json::Quote(DecisionKindName(d.kind)),
      ",\n      \"statements\": ");
  if (d.statements.empty()) {
    out->append("[]");
  } else {
    out->append("[");
    for (std::size_t i = 0; i < d.statements.size(); ++i) {
      const StatementRef& s = d.statements[i];
      absl::StrAppend(
          out, i == 0 ? "\n" : ",\n",
          "        {\n          \"policy\": ", json::Quote(s.policy_name),
          ",\n          \"kind\": ", json::Quote(PolicyKindName(s.policy_kind)),
          ",\n          \"sid\": ",
          s.sid.has_value() ? json::Quote(*s.sid) : "null",
          ",\n          \"file\": ", json::Quote(s.pos.file),
          ",\n          \"line\": ", s.pos.line, "\n        }");
    }
    out->append("\n      ]");
  }
  absl::StrAppend(out, ",\n      \"reason\": ", json::Quote(d.reason),
                  "\n    }");
}

absl::string_view Piece(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

void AppendDecisionText(std::uint64_t index, const Request& r,
                        const Decision& d, std::string* out) {
  absl::StrAppend(out, index + 1, ": ", Piece(DecisionKindName(d.kind)), " ",
                  r.action, " ", r.resource);
  if (!d.reason.empty()) absl::StrAppend(out, ": ", d.reason);
  for (const StatementRef& s : d.statements) {
    absl::StrAppend(out, "\n    ", Piece(PolicyKindName(s.policy_kind)), " ",
                    s.policy_name, " statement ",
                    s.sid.has_value() ? "\"" + *s.sid + "\""
                                      : "#" + std::to_string(s.index),
                    " at ", FormatPos(s.pos));
  }
  out->push_back('\n');
}

// Requests read one after another, decided on one thread.
struct Chunk {
  std::uint64_t first_index = 0;  // of the first request, from 0
  std::vector<std::string> texts;
  std::vector<std::pair<int, int>> starts;  // line, column of each text
  absl::Status read_error;  // the input failed after these requests
  // Filled by Decide.
  std::string output;
  absl::Status error;
};

struct Setup {
  const PolicyEvaluator* evaluator;
  const cli::PolicyOptions* options;
  const std::string* file;
  bool json = true;
};

// Parses, decides and renders each request of `c`, stopping at the first
// that cannot be used.
void Decide(const Setup& s, Chunk* c) {
  json::JsonLimits limits;
  for (std::size_t i = 0; i < c->texts.size(); ++i) {
    const Origin at{s.file, c->starts[i].first, c->starts[i].second};
    absl::StatusOr<json::Value> v = json::Parse(c->texts[i], limits);
    if (!v.ok()) {
      c->error = absl::InvalidArgumentError(replay::PlaceParseError(
          *s.file, at.line, at.column, v.status().message()));
      return;
    }
    absl::StatusOr<Request> r = ReadRequest(at, *v, *s.options);
    if (!r.ok()) {
      c->error = r.status();
      return;
    }
    absl::StatusOr<Decision> d = s.evaluator->Evaluate(*r);
    if (!d.ok()) {
      c->error = absl::InvalidArgumentError(at.At(*v) +
                                            std::string(d.status().message()));
      return;
    }
    const std::uint64_t index = c->first_index + i;
    if (s.json) {
      c->output.append(index == 0 ? "\n" : ",\n");
      AppendDecisionJson(*d, &c->output);
    } else {
      AppendDecisionText(index, *r, *d, &c->output);
    }
  }
  c->error = c->read_error;
}

// Output in request order; held back until kHoldBytes so that an early
// error leaves nothing written.
class Sink {
 public:
  explicit Sink(std::ostream& out) : out_(out) {}
  void Append(const std::string& text) {
    held_ += text;
    if (held_.size() >= kHoldBytes) Flush();
  }
  void Flush() {
    out_ << held_;
    held_.clear();
  }

 private:
  std::ostream& out_;
  std::string held_;
};

// Reads the next chunk of requests; false at the end of the input.
bool ReadChunk(replay::JsonValueStream& stream, std::uint64_t first_index,
               Chunk* c) {
  c->first_index = first_index;
  std::string text;
  int line = 0, column = 0;
  while (c->texts.size() < kChunkRequests) {
    absl::StatusOr<bool> more = stream.Next(&text, &line, &column);
    if (!more.ok()) {
      c->read_error = more.status();
      return true;
    }
    if (!*more) return !c->texts.empty();
    c->texts.push_back(std::move(text));
    text = std::string();
    c->starts.emplace_back(line, column);
  }
  return true;
}

// Reads, decides and writes every request of `stream` on `jobs` threads,
// in input order. Returns the first error in input order.
absl::Status DecideAll(const Setup& setup, replay::JsonValueStream& stream,
                       int jobs, Sink* sink, std::uint64_t* count) {
  std::uint64_t next_index = 0;
  auto write = [&](Chunk& c) -> absl::Status {
    if (!c.error.ok()) return c.error;
    sink->Append(c.output);
    *count += c.texts.size();
    return absl::OkStatus();
  };
  if (jobs <= 1) {
    while (true) {
      Chunk c;
      if (!ReadChunk(stream, next_index, &c)) return absl::OkStatus();
      next_index += c.texts.size();
      Decide(setup, &c);
      if (absl::Status s = write(c); !s.ok()) return s;
      if (!c.read_error.ok()) return c.read_error;
    }
  }
  // The main thread reads and writes; the workers decide. At most `window`
  // chunks are between reading and writing, so memory does not grow with
  // the input.
  const std::size_t window = 4 * static_cast<std::size_t>(jobs);
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<std::pair<std::uint64_t, Chunk*>> todo;
  std::map<std::uint64_t, std::unique_ptr<Chunk>> chunks;  // read, not written
  std::map<std::uint64_t, bool> decided;
  bool closed = false;
  std::vector<std::thread> workers;
  for (int j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      while (true) {
        std::pair<std::uint64_t, Chunk*> job;
        {
          std::unique_lock<std::mutex> lock(mu);
          work_cv.wait(lock, [&] { return closed || !todo.empty(); });
          if (todo.empty()) return;
          job = todo.front();
          todo.pop_front();
        }
        Decide(setup, job.second);
        {
          std::lock_guard<std::mutex> lock(mu);
          decided[job.first] = true;
        }
        done_cv.notify_all();
      }
    });
  }
  absl::Status result;
  std::uint64_t next_read = 0, next_write = 0;
  bool at_end = false;
  while (true) {
    // Write what is decided, in order.
    bool wrote = false;
    while (true) {
      std::unique_ptr<Chunk> c;
      {
        std::lock_guard<std::mutex> lock(mu);
        auto it = decided.find(next_write);
        if (it == decided.end()) break;
        decided.erase(it);
        auto ct = chunks.find(next_write);
        c = std::move(ct->second);
        chunks.erase(ct);
      }
      ++next_write;
      wrote = true;
      result = write(*c);
      if (result.ok() && !c->read_error.ok()) result = c->read_error;
      if (!result.ok()) break;
    }
    if (!result.ok()) break;
    if (at_end && next_write == next_read) break;
    if (!at_end && next_read - next_write < window) {
      auto c = std::make_unique<Chunk>();
      if (!ReadChunk(stream, next_index, c.get())) {
        at_end = true;
        continue;
      }
      next_index += c->texts.size();
      if (!c->read_error.ok()) at_end = true;
      {
        std::lock_guard<std::mutex> lock(mu);
        todo.emplace_back(next_read, c.get());
        chunks[next_read] = std::move(c);
      }
      ++next_read;
      work_cv.notify_one();
      continue;
    }
    if (!wrote) {
      std::unique_lock<std::mutex> lock(mu);
      done_cv.wait(lock, [&] { return decided.count(next_write) > 0; });
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    closed = true;
    todo.clear();
  }
  work_cv.notify_all();
  for (std::thread& t : workers) t.join();
  return result;
}

}  // namespace

int RunSimulateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err) {
  std::vector<std::string> rest;
  absl::StatusOr<cli::PolicyOptions> options =
      cli::ParsePolicyOptions(args, &rest);
  if (!options.ok()) {
    return cli::PolicyOptionsError(options.status(), "leastpriv", kUsage, err);
  }
  std::vector<cli::OptionValue> values;
  if (int code = cli::ReadOptions(
          rest, {"--requests", "--format", "--jobs"}, kErrors,
          std::string(kUsage) + cli::kPolicyOptionsUsage, out, err, &values);
      code != cli::kContinue) {
    return code;
  }
  std::string requests_file, format = "json", jobs_text;
  for (const auto& [name, value] : values) {
    if (name == "--requests") requests_file = value;
    if (name == "--format") format = value;
    if (name == "--jobs") jobs_text = value;
  }
  if (int code = cli::CheckFormat(format, {"json", "text"}, kErrors, err);
      code != cli::kContinue) {
    return code;
  }
  int jobs = 1;
  if (int code = cli::ParseJobs(jobs_text, kErrors, err, &jobs);
      code != cli::kContinue) {
    return code;
  }
  if (requests_file.empty()) {
    return kErrors.Usage(err, "--requests is required");
  }
  if (int code = cli::RequirePolicies(options->has_policies, kErrors, err);
      code != cli::kContinue) {
    return code;
  }
  absl::StatusOr<PolicyEvaluator> evaluator =
      PolicyEvaluator::Create(std::move(options->policies));
  if (!evaluator.ok()) {
    return kErrors.Input(err, std::string(evaluator.status().message()));
  }
  absl::StatusOr<std::unique_ptr<replay::ByteReader>> input =
      replay::OpenInput(requests_file);
  if (!input.ok())
    return kErrors.Input(err, std::string(input.status().message()));
  const std::string name = requests_file == "-" ? "<stdin>" : requests_file;
  replay::JsonValueStream stream(*std::move(input), name,
                                 replay::JsonStreamLimits(),
                                 /*records_object=*/false);
  Setup setup;
  setup.evaluator = &*evaluator;
  setup.options = &*options;
  setup.file = &name;
  setup.json = format == "json";
  Sink sink(out);
  if (setup.json) sink.Append("{\n  \"results\": [");
  std::uint64_t count = 0;
  if (absl::Status s = DecideAll(setup, stream, jobs, &sink, &count); !s.ok()) {
    return kErrors.Input(err, std::string(s.message()));
  }
  if (setup.json) sink.Append(count == 0 ? "]\n}\n" : "\n  ]\n}\n");
  sink.Flush();
  return 0;
}

}  // namespace leastpriv
