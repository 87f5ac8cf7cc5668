// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include "tools/leastpriv/scan/scan_command.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "leastpriv/pyscan.h"
#include "lib/json/json.h"

namespace leastpriv {
namespace {

constexpr char kUsage[] =
    "usage: leastpriv scan DIR [--format text|json] [--include-tests] "
    "[--include-vendored]\n"
    "                      [--jobs N] [--max-memory BYTES] [--no-progress]\n";

// One line of progress on a terminal, rewritten in place: the phase, how
// far it is, and files (or modules) per second within the phase.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream& err) : err_(err) {}

  void Update(const ScanProgress& p) {
    if (phase_ != p.phase) {
      phase_ = p.phase;
      phase_start_ = p.seconds;
    }
    const double elapsed = p.seconds - phase_start_;
    std::string line =
        "leastpriv: scan: " + phase_ + " " + std::to_string(p.done);
    if (p.total > 0) line += "/" + std::to_string(p.total);
    line += phase_ == "analysing" ? " modules" : " files";
    if (elapsed > 0 && p.done > 0) {
      line += ", " + std::to_string(static_cast<long long>(p.done / elapsed)) +
              (phase_ == "analysing" ? " modules/s" : " files/s");
    }
    // "\r" returns to the start of the line, ESC [K clears what is left of
    // a longer line before.
    err_ << "\r" << line << "\x1b[K" << std::flush;
    shown_ = true;
  }

  // Clears the line, so that what follows starts on a clean one.
  void Clear() {
    if (shown_) err_ << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  std::string phase_;
  double phase_start_ = 0;
  bool shown_ = false;
};

// One operation of the JSON report.
json::Value OperationJson(const Operation& o) {
  using json::Value;
  // Built by moving each member in: an initializer list would copy them.
  std::vector<std::pair<std::string, Value>> members;
  members.reserve(12);
  members.emplace_back("action", Value::String(o.action));
  members.emplace_back("operation", Value::String(o.operation));
  members.emplace_back("table", Value::String(o.table));
  members.emplace_back("table_is_pattern", Value::Bool(o.table_is_pattern));
  members.emplace_back("index",
                       o.index ? Value::String(*o.index) : Value::Null());
  members.emplace_back("file", Value::String(o.file));
  members.emplace_back("line", Value::Number(o.line));
  members.emplace_back("uncertain", Value::Bool(o.uncertain));
  members.emplace_back("reason", Value::String(o.reason));
  // Present only for names built from environment or settings parts.
  if (!o.table_template.empty()) {
    std::vector<std::pair<std::string, Value>> defaults;
    for (const auto& [part, value] : o.table_defaults) {
      defaults.emplace_back(part, Value::String(value));
    }
    members.emplace_back("table_template", Value::String(o.table_template));
    members.emplace_back("table_defaults", Value::Object(std::move(defaults)));
    members.emplace_back("table_source", Value::String(o.table_source));
  }
  return Value::Object(std::move(members));
}

// The JSON report but its operations (see WriteJson).
json::Value ReportJsonWithoutOperations(const ScanResult& r) {
  using json::Value;
  std::vector<Value> findings;
  for (const Finding& f : r.findings) {
    findings.push_back(Value::Object({
        {"id", Value::String(std::string(FindingId(f.code)))},
        {"severity", Value::String(std::string(SeverityWord(f.severity)))},
        {"message", Value::String(f.message)},
        {"file", Value::String(f.pos.file)},
        {"line", Value::Number(f.pos.line)},
    }));
  }
  std::vector<Value> errors;
  for (const ScanError& e : r.errors) {
    errors.push_back(Value::Object({
        {"file", Value::String(e.file)},
        {"line", Value::Number(e.line)},
        {"message", Value::String(e.message)},
    }));
  }
  std::vector<std::pair<std::string, Value>> members;
  members.emplace_back("findings", Value::Array(std::move(findings)));
  members.emplace_back("files_scanned",
                       Value::Number(static_cast<double>(r.files_scanned)));
  members.emplace_back("skipped_files",
                       Value::Number(static_cast<double>(r.skipped_files)));
  // Present only when the walk skipped a virtualenv or installed packages.
  if (r.skipped_vendored_directories > 0) {
    members.push_back(
        {"skipped_vendored_directories",
         Value::Number(static_cast<double>(r.skipped_vendored_directories))});
  }
  members.push_back({"errors", Value::Array(std::move(errors))});
  return Value::Object(std::move(members));
}

// Writes `text`, serialized at depth 0, as it reads at `depth` (a string
// in JSON has no raw newline: each newline starts a line of the value).
// Built in `buffer` (cleared first) and written at once.
void WriteAtDepth(const std::string& text, int depth, std::ostream& out,
                  std::string* buffer) {
  buffer->clear();
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos;
       nl = text.find('\n', start)) {
    buffer->append(text, start, nl + 1 - start);
    buffer->append(2 * depth, ' ');
    start = nl + 1;
  }
  buffer->append(text, start, text.size() - start);
  out.write(buffer->data(), static_cast<std::streamsize>(buffer->size()));
}

// Writes the report as json::Serialize(report, 2) would, the operations
// one at a time: a scan can report hundreds of thousands of them, and the
// whole document as values, then as one string, was several times the
// size of the report.
void WriteJson(const ScanResult& r, std::ostream& out) {
  out << "{\n  \"operations\": ";
  if (r.operations.empty()) {
    out << "[]";
  } else {
    out << "[";
    bool first = true;
    std::string buffer;
    for (const Operation& o : r.operations) {
      out << (first ? "\n    " : ",\n    ");
      first = false;
      WriteAtDepth(json::Serialize(OperationJson(o), 2), 2, out, &buffer);
    }
    out << "\n  ]";
  }
  // The other members follow: that object's text past its "{".
  const std::string rest = json::Serialize(ReportJsonWithoutOperations(r), 2);
  out << ",";
  out.write(rest.data() + 1, rest.size() - 1);
}

void PrintText(const ScanResult& r, std::ostream& out, std::ostream& err) {
  for (const Operation& o : r.operations) {
    out << o.file << ":" << o.line << ": " << o.action << " table " << o.table;
    if (o.table_is_pattern) out << " (pattern)";
    if (o.index) out << " index " << *o.index;
    if (o.uncertain) {
      out << " [uncertain" << (o.reason.empty() ? "" : ": " + o.reason) << "]";
    } else if (!o.reason.empty()) {
      out << " [" << o.reason << "]";
    }
    out << "\n";
  }
  for (const Finding& f : r.findings) {
    out << f.pos.file << ":" << f.pos.line << ": " << SeverityWord(f.severity)
        << ": [" << FindingId(f.code) << "] " << f.message << "\n";
  }
  for (const ScanError& e : r.errors) {
    err << "leastpriv: error: " << e.file;
    if (e.line > 0) err << ":" << e.line;
    err << ": " << e.message << "\n";
  }
  out << r.operations.size() << " operations, " << r.findings.size()
      << " findings, " << r.files_scanned << " files scanned, "
      << r.skipped_files << " test/migration files skipped, ";
  if (r.skipped_vendored_directories > 0) {
    out << r.skipped_vendored_directories
        << " vendored directories skipped (--include-vendored scans them), ";
  }
  out << r.errors.size() << " errors\n";
}

}  // namespace

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

int RunScanCommand(const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  std::string dir;
  std::string format = "text";
  ScanOptions options;
  // Progress goes to a terminal only: a pipe, a file or CI logs get none.
  bool show_progress = StderrIsTerminal();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return 0;
    }
    if (a == "--include-tests") {
      options.include_tests = true;
    } else if (a == "--no-progress") {
      show_progress = false;
    } else if (a == "--include-vendored") {
      options.include_vendored = true;
    } else if (a == "--jobs" || a == "--max-memory") {
      if (i + 1 >= args.size()) {
        err << "leastpriv: error: " << a << " needs a value\n" << kUsage;
        return 2;
      }
      const std::string& value = args[++i];
      std::uint64_t n = 0;
      if (!absl::SimpleAtoi(value, &n) || n == 0 ||
          (a == "--jobs" && n > 1024)) {
        err << "leastpriv: error: " << a << " expects a positive integer"
            << (a == "--jobs" ? " (at most 1024)" : "") << ", not \"" << value
            << "\"\n";
        return 2;
      }
      if (a == "--jobs") {
        options.jobs = static_cast<unsigned>(n);
      } else {
        options.max_memory = static_cast<std::size_t>(n);
      }
    } else if (a == "--format" || a.rfind("--format=", 0) == 0) {
      if (a == "--format") {
        if (i + 1 >= args.size()) {
          err << "leastpriv: error: --format needs a value (text or json)\n";
          return 2;
        }
        format = args[++i];
      } else {
        format = a.substr(9);
      }
      if (format != "text" && format != "json") {
        err << "leastpriv: error: unknown format '" << format
            << "' (expected text or json)\n";
        return 2;
      }
    } else if (!a.empty() && a[0] == '-') {
      err << "leastpriv: error: unknown option '" << a << "'\n" << kUsage;
      return 2;
    } else if (dir.empty()) {
      dir = a;
    } else {
      err << "leastpriv: error: more than one directory given\n" << kUsage;
      return 2;
    }
  }
  if (dir.empty()) {
    err << "leastpriv: error: no directory given\n" << kUsage;
    return 2;
  }
  ProgressLine progress(err);
  if (show_progress) {
    options.progress = [&progress](const ScanProgress& p) {
      progress.Update(p);
    };
  }
  absl::StatusOr<ScanResult> result = ScanProject(dir, options);
  progress.Clear();
  if (!result.ok()) {
    err << "leastpriv: error: " << result.status().message() << "\n";
    // Past --max-memory the scan stopped within its limits: exit 3, as for
    // any question left undecided; nothing is reported.
    if (IsMemoryLimitError(result.status())) return 3;
    return 2;
  }
  if (format == "json") {
    WriteJson(*result, out);
    out << "\n";
    for (const ScanError& e : result->errors) {
      err << "leastpriv: error: " << e.file;
      if (e.line > 0) err << ":" << e.line;
      err << ": " << e.message << "\n";
    }
  } else {
    PrintText(*result, out, err);
  }
  return result->findings.empty() && result->errors.empty() ? 0 : 1;
}

}  // namespace leastpriv
