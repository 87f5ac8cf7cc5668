// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// ScanProject / ScanSource: walks the tree, reads and parses files, runs the
// analysis, and adds the secret and DEBUG findings.

#include "leastpriv/pyscan.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "lib/pyscan/analysis.h"
#include "lib/pyscan/syntax.h"
#include "lib/rules/secret_rules.h"

namespace leastpriv {
namespace {

using pyscan::Expr;
using pyscan::ExprWithChildren;
using pyscan::SourceFile;
using pyscan::Stmt;
using pyscan::StmtList;
using pyscan::StmtWithLists;

bool IsTestOrMigration(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "tests" || parts[i] == "test" || parts[i] == "migrations") {
      return true;
    }
  }
  const std::string& base = parts.back();
  if (base == "tests.py" || base == "conftest.py") return true;
  if (base.rfind("test_", 0) == 0) return true;
  if (base.size() > 8 && base.compare(base.size() - 8, 8, "_test.py") == 0)
    return true;
  return false;
}

class FindingCollector {
 public:
  FindingCollector(const SourceFile& file, std::vector<Finding>* out)
      : file_(file), out_(out) {}

  void Run() {
    for (const auto& [value, line] : file_.module->strings) {
      for (rules::SecretHit& hit : rules::SecretsInLiteral(value)) {
        Add(hit, line);
      }
    }
    settings_place_ = file_.is_settings && !IsNonProductionSettings(LowerPath())
                          ? rules::Place::kProductionSettings
                          : rules::Place::kAnywhere;
    Walk(file_.module->body, true);
    if (file_.is_settings) DebugRule();
  }

 private:
  void Add(FindingCode code, Severity severity, const std::string& message,
           int line) {
    out_->push_back({code, severity, message, {file_.path, line, 0}});
  }
  void Add(const rules::SecretHit& hit, int line) {
    Add(hit.code, hit.severity, hit.message, line);
  }

  std::string LowerPath() const {
    std::string lower;
    for (char c : file_.path) lower.push_back(static_cast<char>(tolower(c)));
    return lower;
  }

  // A string literal bound to a name: the name rules of the secret table.
  void Binding(const std::string& name, const Expr* value,
               rules::Binding binding, rules::Place place, int line) {
    // Only a string literal can hold the secret: the cheap test first.
    if (value == nullptr || value->kind != Expr::Kind::kString) return;
    if (!rules::MayNameSecret(name)) return;
    std::string v;
    if (!pyscan::StringLiteralValue(value, &v) || v.empty()) return;
    if (std::optional<rules::SecretHit> hit =
            rules::SecretInBinding(name, v, binding, place)) {
      Add(*hit, line);
    }
  }

  void Walk(const StmtList& body, bool top) {
    for (const Stmt* s : body) {
      if (s->kind == Stmt::Kind::kAssign && s->value != nullptr) {
        for (const Expr* t : s->targets) {
          if (t->kind == Expr::Kind::kName ||
              t->kind == Expr::Kind::kAttribute) {
            // Settings are module-level names.
            const rules::Place place = top && t->kind == Expr::Kind::kName
                                           ? settings_place_
                                           : rules::Place::kAnywhere;
            Binding(t->name(), s->value, rules::Binding::kAssignment, place,
                    s->line);
          }
        }
      }
      auto visit = [&](const Expr* e) { WalkExpr(e); };
      for (const Expr* t : s->targets) visit(t);
      visit(s->value);
      for (const Expr* b : s->bases()) visit(b);
      for (const Expr* c : s->with_ctx()) visit(c);
      for (const auto& p : s->params()) visit(p.default_value);
      // `if` and `try` blocks at module level are module level too.
      const bool block = top && s->kind == Stmt::Kind::kBlock;
      Walk(s->body(), block);
      Walk(s->orelse(), block);
    }
  }

  void WalkExpr(const Expr* e) {
    if (e == nullptr) return;
    if (e->kind == Expr::Kind::kCall) {
      for (const auto& k : e->keywords()) {
        Binding(k.name, k.value, rules::Binding::kKeyword,
                rules::Place::kAnywhere, e->line);
      }
    }
    if (e->kind == Expr::Kind::kDict) {
      for (size_t i = 0; i + 1 < e->children().size(); i += 2) {
        std::string key;
        if (pyscan::StringLiteralValue(e->children()[i], &key)) {
          Binding(key, e->children()[i + 1], rules::Binding::kDictEntry,
                  rules::Place::kAnywhere, e->children()[i]->line);
        }
      }
    }
    for (const Expr* c : e->children()) WalkExpr(c);
    for (const auto& k : e->keywords()) WalkExpr(k.value);
    for (const auto& p : e->parts()) WalkExpr(p.field);
  }

  // DEBUG = True in a Django settings module, when it is the value the
  // module ends with: the last module-level assignment to DEBUG (in `if`
  // and `try` blocks too) is an unconditional `DEBUG = True`. Not for
  // settings modules named for local, development or test use, nor when
  // DEBUG comes from the environment, a comparison or a later assignment.
  void DebugRule() {
    const std::string lower = LowerPath();
    if (IsNonProductionSettings(lower)) return;
    const Stmt* last = nullptr;
    bool last_conditional = false;
    FindDebugAssignments(file_.module->body, false, &last, &last_conditional);
    if (last == nullptr || last_conditional) return;
    if (last->value->kind == Expr::Kind::kConst &&
        last->value->name() == "True") {
      bool prod = lower.find("prod") != std::string::npos;
      Add(FindingCode::kDjangoDebugTrue, Severity::kWarning,
          prod ? "DEBUG = True in production settings module"
               : "DEBUG = True in a settings module (the value it ends with)",
          last->line);
    }
  }

  // Whether a settings path names a local, development or test
  // configuration ("settings/local.py", "dev_settings.py", "tests/...").
  static bool IsNonProductionSettings(const std::string& lower_path) {
    std::string word;
    auto is_marker = [](const std::string& w) {
      static const char* const kMarkers[] = {
          "local",   "dev", "development", "test",   "tests",
          "testing", "ci",  "example",     "sample", "debug"};
      for (const char* m : kMarkers) {
        if (w == m) return true;
      }
      return false;
    };
    for (char c : lower_path) {
      if (isalnum(static_cast<unsigned char>(c))) {
        word.push_back(c);
        continue;
      }
      if (is_marker(word)) return true;
      word.clear();
    }
    return is_marker(word);
  }

  // The last assignment to DEBUG at module level (not inside functions or
  // classes), and whether it sits in a conditional block.
  static void FindDebugAssignments(const StmtList& body, bool conditional,
                                   const Stmt** last, bool* last_conditional) {
    for (const Stmt* s : body) {
      if ((s->kind == Stmt::Kind::kAssign ||
           s->kind == Stmt::Kind::kAugAssign) &&
          s->value != nullptr) {
        for (const Expr* t : s->targets) {
          if (t->kind == Expr::Kind::kName && t->name() == "DEBUG") {
            *last = s;
            *last_conditional = conditional;
          }
        }
      }
      if (s->kind == Stmt::Kind::kBlock || s->kind == Stmt::Kind::kWith) {
        FindDebugAssignments(s->body(),
                             conditional || s->kind == Stmt::Kind::kBlock, last,
                             last_conditional);
        FindDebugAssignments(s->orelse(), true, last, last_conditional);
      }
    }
  }

  const SourceFile& file_;
  std::vector<Finding>* out_;
  rules::Place settings_place_ = rules::Place::kAnywhere;
};

// Reports a scan's progress through ScanOptions::progress: when a phase
// starts, and within a phase at most every kInterval, from one thread at a
// time.
class ProgressReporter {
 public:
  explicit ProgressReporter(const ScanOptions& options)
      : progress_(options.progress), start_(std::chrono::steady_clock::now()) {}

  bool enabled() const { return static_cast<bool>(progress_); }

  // A new phase: reported at once.
  void Phase(const char* phase, std::size_t done, std::size_t total) {
    if (!progress_) return;
    std::lock_guard<std::mutex> lock(mu_);
    Send(phase, done, total, std::chrono::steady_clock::now());
  }

  // Within a phase: reported when the last report is old enough. A thread
  // that finds another one reporting skips its turn.
  void Tick(const char* phase, std::size_t done, std::size_t total) {
    if (!progress_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now.time_since_epoch().count() <
        next_.load(std::memory_order_relaxed)) {
      return;
    }
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    Send(phase, done, total, now);
  }

 private:
  static constexpr std::chrono::milliseconds kInterval{100};

  void Send(const char* phase, std::size_t done, std::size_t total,
            std::chrono::steady_clock::time_point now) {
    next_.store((now + kInterval).time_since_epoch().count(),
                std::memory_order_relaxed);
    ScanProgress p;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.seconds = std::chrono::duration<double>(now - start_).count();
    progress_(p);
  }

  const std::function<void(const ScanProgress&)>& progress_;
  const std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::atomic<std::chrono::steady_clock::rep> next_{0};
};

// The bytes of the file at `path` into *out (what could be read of it;
// its room is reused); false when it cannot be opened. `regular`: the
// file is a regular one, which a read fills short only at its end.
bool ReadWholeFile(const std::string& path, std::size_t size_hint, bool regular,
                   std::string* out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  out->resize(size_hint + 1);
  std::size_t have = 0;
  while (true) {
    if (have == out->size()) out->resize(out->size() * 2 + 4096);
    const ssize_t n = read(fd, &(*out)[have], out->size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
    // Less than asked of a regular file: its end (no read to see it).
    if (regular && have < out->size()) break;
  }
  close(fd);
  out->resize(have);
  return true;
}

// `names`: where the tree's names are kept (see ParseLimits::names);
// `nodes`: where its nodes are (see ParseLimits::nodes).
std::unique_ptr<SourceFile> LoadSource(const std::string& path,
                                       std::string_view source,
                                       const ScanOptions& options,
                                       pyscan::NameTable* names,
                                       std::shared_ptr<pyscan::NodeStore> nodes,
                                       std::vector<ScanError>* errors) {
  auto file = std::make_unique<SourceFile>();
  file->path = path;
  file->module_name = pyscan::ModuleNameForPath(path, &file->is_package);
  file->is_settings = pyscan::IsSettingsPath(path);
  auto module = std::make_unique<pyscan::Module>();
  pyscan::ParseLimits limits;
  limits.tokenizer.max_line_bytes = options.max_line_bytes;
  limits.record_calls = false;
  limits.names = names;
  limits.nodes = std::move(nodes);
  int error_line = 0;
  file->source_bytes = source.size();
  // Nothing in the tree points into the source (names and strings are
  // copies): the file does not keep it.
  absl::Status st =
      pyscan::ParseModule(source, limits, module.get(), &error_line);
  // A file that does not parse keeps the statements that did: its error
  // says it was only partly read.
  file->module = std::move(module);
  // The rules over the file's own text need nothing of the analysis: they
  // run now, and the string literals they read are released.
  FindingCollector(*file, &file->findings).Run();
  std::vector<std::pair<std::string, int>>().swap(file->module->strings);
  if (!st.ok()) {
    // "line:col: message" -> the message; the line is kept separately.
    std::string msg(st.message());
    size_t sep = msg.find(": ");
    if (sep != std::string::npos && sep < 24 && isdigit(msg[0])) {
      msg = msg.substr(sep + 2);
    }
    errors->push_back({path, error_line, msg});
  }
  return file;
}

// What a loaded file holds, for ScanOptions::max_memory: its source, its
// syntax nodes and their lists (the names they share are left out: the
// figure is a lower bound, in proportion to the real one).
std::size_t ApproximateBytes(const SourceFile& file) {
  std::size_t bytes = file.source_bytes;
  if (file.module != nullptr) {
    bytes += file.module->expr_arena.size() * sizeof(ExprWithChildren) +
             file.module->leaf_arena.size() * sizeof(Expr) +
             file.module->stmt_arena.size() * sizeof(StmtWithLists) +
             file.module->simple_stmt_arena.size() * sizeof(Stmt) +
             file.module->list_room_bytes;
  }
  return bytes;
}

constexpr char kMemoryLimitPayload[] = "leastpriv.pyscan/max_memory";

absl::Status MemoryLimitError(const std::string& root, std::size_t limit) {
  absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
      root, ": the scan needs more than ", limit,
      " bytes of memory (max_memory: source and syntax trees of the files "
      "to scan); refusing to scan a partial tree"));
  status.SetPayload(kMemoryLimitPayload, absl::Cord("1"));
  return status;
}

void Finish(const std::vector<std::unique_ptr<SourceFile>>& files,
            ScanResult* result, ProgressReporter* reporter = nullptr) {
  std::vector<const SourceFile*> parsed;
  for (const auto& f : files) {
    if (f->module != nullptr) parsed.push_back(f.get());
  }
  std::function<void(std::size_t, std::size_t)> on_module;
  if (reporter != nullptr && reporter->enabled()) {
    reporter->Phase("analysing", 0, parsed.size());
    on_module = [reporter](std::size_t done, std::size_t total) {
      reporter->Tick("analysing", done, total);
    };
  }
  pyscan::FoundOperations found;
  pyscan::AnalyzeProject(parsed, &found, &result->findings, on_module);
  // The results are built once the trees are gone: they do not add to the
  // analysis' peak memory.
  for (const auto& f : files) f->module.reset();
  // The operations sorted and made unique as their kept texts' ids allow,
  // before they are copied out; any the result held already are sorted
  // with them below.
  const bool only_found = result->operations.empty();
  if (only_found) found.SortUnique();
  found.MoveTo(&result->operations);
  for (const SourceFile* f : parsed) {
    result->findings.insert(result->findings.end(), f->findings.begin(),
                            f->findings.end());
  }
  if (!only_found) {
    // The sort keys as references: a key of copies would copy every string
    // of both operations at each comparison.
    static const std::string kNoIndex;
    auto op_key = [](const Operation& o) {
      return std::tie(o.file, o.line, o.action, o.table,
                      o.index.has_value() ? *o.index : kNoIndex, o.operation,
                      o.uncertain, o.reason);
    };
    std::sort(result->operations.begin(), result->operations.end(),
              [&](const Operation& a, const Operation& b) {
                return op_key(a) < op_key(b);
              });
    result->operations.erase(
        std::unique(result->operations.begin(), result->operations.end(),
                    [&](const Operation& a, const Operation& b) {
                      return op_key(a) == op_key(b);
                    }),
        result->operations.end());
  }
  auto f_key = [](const Finding& f) {
    return std::make_tuple(std::cref(f.pos.file), f.pos.line, FindingId(f.code),
                           std::cref(f.message));
  };
  std::sort(
      result->findings.begin(), result->findings.end(),
      [&](const Finding& a, const Finding& b) { return f_key(a) < f_key(b); });
  result->findings.erase(
      std::unique(result->findings.begin(), result->findings.end(),
                  [&](const Finding& a, const Finding& b) {
                    return f_key(a) == f_key(b);
                  }),
      result->findings.end());
  std::sort(result->errors.begin(), result->errors.end(),
            [](const ScanError& a, const ScanError& b) {
              return std::tie(a.file, a.line, a.message) <
                     std::tie(b.file, b.line, b.message);
            });
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// "python3.11", "python3.13t": the name of lib/pythonX.Y in a virtualenv.
bool IsPythonVersionDirectory(const std::string& name) {
  if (name.compare(0, 6, "python") != 0) return false;
  size_t i = 6;
  auto digits = [&] {
    size_t start = i;
    while (i < name.size() && isdigit(static_cast<unsigned char>(name[i]))) ++i;
    return i > start;
  };
  if (!digits() || i >= name.size() || name[i] != '.') return false;
  ++i;
  return digits();
}

// A virtualenv or an installed-packages directory (see
// ScanOptions::include_vendored). `abs` is the directory, `name` its last
// component.
bool IsVendoredDirectory(const std::string& abs, const std::string& name) {
  if (name == "site-packages" || name == "dist-packages") return true;
  struct stat st;
  const std::string cfg = abs + "/pyvenv.cfg";
  if (stat(cfg.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return true;
  if (name != ".venv" && name != "venv" && name != "env") return false;
  const std::string lib = abs + "/lib";
  DIR* d = opendir(lib.c_str());
  if (d == nullptr) return false;
  bool found = false;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (IsPythonVersionDirectory(n) &&
        IsDirectory(lib + "/" + n + "/site-packages")) {
      found = true;
      break;
    }
  }
  closedir(d);
  return found;
}

// Directory walk: follows symlinks only inside the root, detects loops by
// (device, inode), counts files against the limit.
class TreeWalker {
 public:
  // `root` is the root as the caller named it, for messages.
  TreeWalker(const std::string& root, const std::string& root_real,
             const ScanOptions& options, ProgressReporter* reporter)
      : root_(root),
        root_real_(root_real),
        options_(options),
        reporter_(reporter) {}

  absl::Status Walk(const std::string& dir_abs, const std::string& rel,
                    std::size_t depth = 0) {
    if (depth > options_.max_directory_depth) {
      errors_.push_back(
          {rel, 0,
           absl::StrCat("directory nested deeper than ",
                        options_.max_directory_depth, " levels; not scanned")});
      return absl::OkStatus();
    }
    struct stat st;
    if (stat(dir_abs.c_str(), &st) != 0) return absl::OkStatus();
    if (!visited_.insert({st.st_dev, st.st_ino}).second) {
      return absl::OkStatus();  // a loop or a second link to the same dir
    }
    DIR* d = opendir(dir_abs.c_str());
    if (d == nullptr) {
      errors_.push_back(
          {rel.empty() ? "." : rel, 0,
           absl::StrCat("cannot read directory: ", strerror(errno))});
      return absl::OkStatus();
    }
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      names.push_back(n);
    }
    closedir(d);
    reporter_->Tick("walking", files_.size(), 0);
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) {
      std::string abs = dir_abs + "/" + n;
      std::string r = rel.empty() ? n : rel + "/" + n;
      struct stat lst;
      if (lstat(abs.c_str(), &lst) != 0) continue;
      if (++entries_ > options_.max_files) {
        // Named by the entry the walk stopped at, as the caller would.
        const bool slash = !root_.empty() && root_.back() == '/';
        return absl::ResourceExhaustedError(absl::StrCat(
            root_, slash ? "" : "/", r, ": more than ", options_.max_files,
            " files and directories under ", root_,
            " (max_files); refusing to scan a partial tree"));
      }
      if (S_ISLNK(lst.st_mode)) {
        // realpath allocates: no PATH_MAX buffer in every recursive frame.
        char* resolved = realpath(abs.c_str(), nullptr);
        if (resolved == nullptr) continue;  // dangling
        const std::string target = resolved;
        std::free(resolved);
        if (target != root_real_ &&
            target.compare(0, root_real_.size() + 1, root_real_ + "/") != 0) {
          continue;  // leaves the root
        }
      }
      // What a symlink points to; any other entry is what lstat read.
      struct stat fst = lst;
      if (S_ISLNK(lst.st_mode) && stat(abs.c_str(), &fst) != 0) continue;
      if (S_ISDIR(fst.st_mode)) {
        if (n == ".git" || n == "__pycache__" || n == "node_modules" ||
            n == ".tox")
          continue;
        if (!options_.include_vendored && IsVendoredDirectory(abs, n)) {
          ++skipped_vendored_;
          continue;
        }
        absl::Status s = Walk(abs, r, depth + 1);
        if (!s.ok()) return s;
      } else if (S_ISREG(fst.st_mode) && r.size() > 3 &&
                 r.compare(r.size() - 3, 3, ".py") == 0) {
        files_.push_back({abs, r, static_cast<size_t>(fst.st_size)});
      }
    }
    return absl::OkStatus();
  }

  struct FileEntry {
    std::string abs;
    std::string rel;
    size_t size;
  };
  std::vector<FileEntry> files_;
  std::vector<ScanError> errors_;
  size_t skipped_vendored_ = 0;

 private:
  std::string root_;
  std::string root_real_;
  const ScanOptions& options_;
  ProgressReporter* reporter_;
  std::set<std::pair<dev_t, ino_t>> visited_;
  size_t entries_ = 0;
};

}  // namespace

absl::StatusOr<ScanResult> ScanProject(const std::string& root,
                                       const ScanOptions& options) {
  struct stat st;
  if (stat(root.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat(root, ": ", strerror(errno)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(root, ": not a directory"));
  }
  char buf[PATH_MAX];
  if (realpath(root.c_str(), buf) == nullptr) {
    return absl::NotFoundError(absl::StrCat(root, ": ", strerror(errno)));
  }
  ProgressReporter reporter(options);
  reporter.Phase("walking", 0, 0);
  TreeWalker walker(root, buf, options, &reporter);
  absl::Status s = walker.Walk(buf, "");
  if (!s.ok()) return s;
  ScanResult result;
  result.errors = walker.errors_;
  result.skipped_vendored_directories = walker.skipped_vendored_;
  // The files to read, in the walk's order; the others are counted.
  std::vector<const TreeWalker::FileEntry*> to_read;
  std::size_t source_bytes = 0;
  for (const auto& entry : walker.files_) {
    if (!options.include_tests && IsTestOrMigration(entry.rel)) {
      ++result.skipped_files;
      continue;
    }
    ++result.files_scanned;
    if (entry.size > options.max_file_bytes) {
      result.errors.push_back(
          {entry.rel, 0,
           absl::StrCat("file is ", entry.size, " bytes, larger than the ",
                        options.max_file_bytes, "-byte limit; not scanned")});
      continue;
    }
    to_read.push_back(&entry);
    source_bytes += entry.size;
  }
  // The sources alone are over the limit: refuse before reading any.
  if (options.max_memory > 0 && source_bytes > options.max_memory) {
    return MemoryLimitError(root, options.max_memory);
  }
  // Read and parse on `jobs` threads, each file into its own slot, so the
  // files (and the analysis over them) are in the same order for any jobs.
  // The names of every tree, kept once for the whole project (it outlives
  // the files). One thread locks nothing.
  unsigned jobs = options.jobs > 0
                      ? options.jobs
                      : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(
      std::min<std::size_t>(jobs, std::max<std::size_t>(1, to_read.size())));
  pyscan::NameTable names(/*one_thread=*/jobs <= 1);
  std::vector<std::unique_ptr<SourceFile>> files(to_read.size());
  std::vector<std::vector<ScanError>> file_errors(to_read.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> parsed{0};
  std::atomic<std::size_t> held{0};
  std::atomic<bool> over_limit{false};
  auto work = [&] {
    // The nodes of the files this thread parses, one after the other, in
    // shared chunks: freed with the last of those files' trees.
    auto nodes = std::make_shared<pyscan::NodeStore>();
    // Each file read into the room of the one before.
    std::string source;
    while (!over_limit.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1);
      if (i >= to_read.size()) return;
      const TreeWalker::FileEntry& entry = *to_read[i];
      if (!ReadWholeFile(entry.abs, entry.size, /*regular=*/true, &source)) {
        file_errors[i].push_back({entry.rel, 0, "cannot read file"});
        continue;
      }
      files[i] = LoadSource(entry.rel, source, options, &names, nodes,
                            &file_errors[i]);
      reporter.Tick("parsing", parsed.fetch_add(1) + 1, to_read.size());
      if (options.max_memory > 0) {
        const std::size_t bytes = ApproximateBytes(*files[i]);
        if (held.fetch_add(bytes) + bytes > options.max_memory) {
          over_limit.store(true);
        }
      }
    }
  };
  reporter.Phase("parsing", 0, to_read.size());
  if (jobs <= 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(work);
    for (std::thread& t : threads) t.join();
  }
  if (over_limit.load()) return MemoryLimitError(root, options.max_memory);
  std::vector<std::unique_ptr<SourceFile>> loaded;
  loaded.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    for (ScanError& e : file_errors[i]) result.errors.push_back(std::move(e));
    if (files[i] != nullptr) loaded.push_back(std::move(files[i]));
  }
  Finish(loaded, &result, &reporter);
  return result;
}

bool IsMemoryLimitError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kResourceExhausted &&
         status.GetPayload(kMemoryLimitPayload).has_value();
}

ScanResult ScanSource(const std::string& path, const std::string& source,
                      const ScanOptions& options) {
  ScanResult result;
  result.files_scanned = 1;
  std::vector<std::unique_ptr<SourceFile>> files;
  if (source.size() > options.max_file_bytes) {
    result.errors.push_back(
        {path, 0,
         absl::StrCat("file is ", source.size(), " bytes, larger than the ",
                      options.max_file_bytes, "-byte limit; not scanned")});
    return result;
  }
  files.push_back(LoadSource(path, source, options, /*names=*/nullptr,
                             /*nodes=*/nullptr, &result.errors));
  Finish(files, &result);
  return result;
}

}  // namespace leastpriv
