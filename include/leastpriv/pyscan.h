// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The Python scanner: finds the DynamoDB operations a Django project performs
// and the table (and index) each one touches, with file:line evidence.
//
// The scanner tokenizes and structurally parses every Python 3 file under a
// project root (it never runs Python and never modifies anything), then runs
// a small project-wide abstract interpretation that follows boto3 clients,
// resources and Table objects, PynamoDB models and indexes, paginators,
// waiters, batch writers, transactions and PartiQL statements, and resolves
// table names from literals, module constants, f-strings, Django settings,
// environment variables, imports, instance attributes, helper parameters and
// factory functions.
//
// Guide:
//   ScanProject  -- scan a directory tree.
//   ScanSource   -- scan one in-memory file (no cross-file resolution).
//   ScanResult   -- operations, findings, errors, counts.

#ifndef LEASTPRIV_INCLUDE_LEASTPRIV_PYSCAN_H_
#define LEASTPRIV_INCLUDE_LEASTPRIV_PYSCAN_H_

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "leastpriv/finding.h"

namespace leastpriv {

// One DynamoDB operation a call site performs. A call site that needs several
// IAM actions (a TransactWriteItems with Put and Delete items, a PartiQL
// batch) yields one Operation per action.
struct Operation {
  // The IAM action, "dynamodb:Query".
  std::string action;
  // The DynamoDB API operation the code calls, "Query", "TransactWriteItems".
  std::string operation;
  // The table: a name ("Orders"), a pattern when table_is_pattern
  // ("orders-*", from an f-string with unknown parts), "env:X" for an
  // environment variable without a default, "settings:X" for a Django setting
  // the scanner could not find, "<unresolved>" when nothing is known (see
  // reason), or "*" for account-level operations such as ListTables.
  std::string table;
  bool table_is_pattern = false;
  // The index for Query/Scan on a GSI/LSI.
  std::optional<std::string> index;
  // Path relative to the scanned root, '/'-separated.
  std::string file;
  int line = 0;
  // True when the action set or the table is a conservative guess (for
  // example a transaction whose items are not a literal list).
  bool uncertain = false;
  // Why the table is unresolved or uncertain, or a note such as
  // "env:ORDERS_TABLE" when an environment default was used. May be empty.
  std::string reason;
  // The structure of a name built from parts that come from the
  // environment or Django settings, each such part written {env:X} or
  // {settings:Y}: for f"{PREFIX}-price-history" with PREFIX read by
  // os.environ.get("PREFIX", "dev"), "{env:PREFIX}-price-history" (table
  // is then "dev-price-history"). Literal '{' and '}' are doubled; '*'
  // stands for a part nothing is known of. Empty when the name has no such
  // part. A check binds each part (--bind env:PREFIX=prod gives
  // "prod-price-history").
  std::string table_template;
  // The default the code gives a part, by part ("env:PREFIX" -> "dev").
  std::map<std::string, std::string> table_defaults;
  // Where the first such part is read, "path/file.py:LINE" (may be empty).
  std::string table_source;
};

// A file the scanner could not read or parse. The rest of the project is
// still scanned.
struct ScanError {
  std::string file;
  int line = 0;  // 0 when the error is not tied to a line
  std::string message;
};

// Where a running ScanProject is, for a progress display.
struct ScanProgress {
  // "walking" (listing the tree), "parsing" (reading and parsing files),
  // "analysing" (resolving operations module by module).
  const char* phase = "";
  // Files found so far while walking; files parsed, or modules analysed,
  // out of `total` in the other phases.
  std::size_t done = 0;
  std::size_t total = 0;
  // Seconds since the scan started.
  double seconds = 0;
};

struct ScanOptions {
  // Scan test files and migrations (paths with a "tests"/"test" or
  // "migrations" directory, test_*.py, *_test.py, tests.py, conftest.py).
  // When false they are skipped and counted in skipped_files.
  bool include_tests = false;
  // Scan virtualenvs and installed packages below the root. When false
  // (the default) the walk does not enter, and counts in
  // skipped_vendored_directories, every directory named "site-packages" or
  // "dist-packages", every directory holding a "pyvenv.cfg" file (a
  // virtualenv, whatever its name), and a ".venv", "venv" or "env"
  // directory holding lib/pythonX.Y/site-packages. A ".venv", "venv" or
  // "env" directory with neither is ordinary code and is scanned. The root
  // itself is always scanned, so a site-packages directory can be named as
  // the root.
  bool include_vendored = false;
  // More entries than this under the root is an error (ResourceExhausted):
  // the scanner refuses rather than scanning part of a tree silently. Every
  // entry the walk meets counts once: files of any kind, directories
  // (including skipped ones such as .git, whose contents are not walked)
  // and symbolic links. The error names the entry the walk stopped at.
  std::size_t max_files = 100000;
  // Files larger than this are reported as errors and not parsed.
  std::size_t max_file_bytes = 16u << 20;
  // Physical lines longer than this are reported as errors.
  std::size_t max_line_bytes = 1u << 20;
  // Directories nested deeper than this below the root are reported as
  // errors and not entered (the rest of the tree is still scanned).
  std::size_t max_directory_depth = 128;
  // Threads that read, tokenize and parse files: 1 (the default) reads them
  // on the calling thread, 0 uses one per hardware thread. The project-wide
  // analysis that follows runs on the calling thread, and the result is the
  // same for every value.
  unsigned jobs = 1;
  // An approximate bound on the memory a scan holds, in bytes: the source
  // bytes of the files to scan plus the syntax nodes their parse builds
  // (the analysis adds to this, roughly in proportion). 0 (the default)
  // means no bound. Past it, ScanProject returns ResourceExhausted naming
  // the limit (IsMemoryLimitError is true for it) and no result.
  std::size_t max_memory = 0;
  // Called while ScanProject runs: when a phase starts, and within a phase
  // at most about ten times a second, never from two threads at once (but
  // possibly from a worker thread). Empty (the default): nothing is
  // reported. It does not change the result.
  std::function<void(const ScanProgress&)> progress;
};

struct ScanResult {
  // Sorted by file, line, action, table, index.
  std::vector<Operation> operations;
  // Things worth a person's attention that are not operations (finding.h):
  // hard-coded AWS keys and database passwords (kAwsAccessKeyId,
  // kAwsSecretAccessKey, kAwsSessionToken, kDjangoSecretKey,
  // kDatabaseUrlPassword), DEBUG = True in a production settings module
  // (kDjangoDebugTrue); of severity kError or kWarning, located by file
  // and line. Sorted by file, line, id.
  std::vector<Finding> findings;
  // Python files read and parsed (including ones that had errors).
  std::size_t files_scanned = 0;
  // Test and migration files skipped because include_tests was false.
  std::size_t skipped_files = 0;
  // Virtualenv and installed-package directories not entered because
  // include_vendored was false (see ScanOptions::include_vendored); each
  // counts once, whatever it holds.
  std::size_t skipped_vendored_directories = 0;
  // Sorted by file, line.
  std::vector<ScanError> errors;
};

// Scans every *.py file under `root`. Symbolic links are followed only when
// they stay inside `root`; loops are detected. Nothing is executed.
// Errors: NotFound / InvalidArgument when root is not a readable directory,
// ResourceExhausted "ROOT/PATH: more than N files and directories under
// ROOT (max_files); refusing to scan a partial tree" when the tree holds
// more than options.max_files entries, PATH being the first entry beyond.
// ResourceExhausted "ROOT: the scan needs more than N bytes (max_memory) ..."
// when options.max_memory is reached (see IsMemoryLimitError).
// Per-file problems are not errors: they go to ScanResult::errors.
absl::StatusOr<ScanResult> ScanProject(const std::string& root,
                                       const ScanOptions& options = {});

// True for the error ScanProject returns when options.max_memory is
// reached (a ResourceExhausted, as max_files gives, told apart by this).
bool IsMemoryLimitError(const absl::Status& status);

// Scans one file held in memory, named `path` (used in results and to decide
// whether it is a settings module or a test). Names imported from other
// modules stay unresolved. A parse failure is returned in result.errors.
ScanResult ScanSource(const std::string& path, const std::string& source,
                      const ScanOptions& options = {});

}  // namespace leastpriv

#endif  // LEASTPRIV_INCLUDE_LEASTPRIV_PYSCAN_H_
