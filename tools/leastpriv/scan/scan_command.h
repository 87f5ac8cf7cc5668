// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv scan DIR [--format text|json] [--include-tests]
//                     [--include-vendored] [--jobs N] [--max-memory BYTES]
//                     [--no-progress]`
//
// Lists the DynamoDB operations the Python project under DIR performs, one
// per line,
//   file:line: dynamodb:Query table Orders index ByCustomer [uncertain: why]
// followed by findings (hard-coded AWS keys, DEBUG = True in production
// settings) and files that could not be parsed, and a summary line. With
// --format json:
//   {"operations": [{"action", "operation", "table", "table_is_pattern",
//                    "index", "file", "line", "uncertain", "reason"}],
//    "findings": [{"id", "severity", "message", "file", "line"}],
//    "files_scanned": N, "skipped_files": N,
//    "skipped_vendored_directories": N,
//    "errors": [{"file", "line", "message"}]}
// Virtualenvs and installed packages (site-packages, dist-packages, any
// directory holding pyvenv.cfg) are skipped unless --include-vendored is
// given; "skipped_vendored_directories" (and the "vendored directories
// skipped" part of the text summary) appears only when some were skipped.
// Paths are relative to DIR; order is deterministic (file, line, action).
//
// --jobs N reads and parses files on N threads (default 1); the output is
// the same for every N. --max-memory BYTES bounds the source and syntax
// trees the scan holds (ScanOptions::max_memory); past it the scan stops
// with "leastpriv: error: DIR: the scan needs more than BYTES bytes of
// memory (max_memory: ...)" and exit 3.
//
// Exit status: 0 when the scan found no findings and every file parsed,
// 1 when there are findings or files that did not parse, 2 for bad usage or
// an unusable DIR (missing, not a directory, over the file-count limit),
// 3 when --max-memory was reached.
//
// When stderr is a terminal, a long scan shows one progress line there
// (the phase: walking, parsing or analysing; files or modules done; and
// per second), rewritten in place and cleared before any output.
// --no-progress turns it off; on a pipe, a file or CI logs it never shows.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_SCAN_SCAN_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_SCAN_SCAN_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and subcommand names. Progress (see above)
// is written to `err` when file descriptor 2 is a terminal.
int RunScanCommand(const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err);

// Whether file descriptor 2 is a terminal.
bool StderrIsTerminal();

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_SCAN_SCAN_COMMAND_H_
