#!/bin/sh
# Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
#
# Oracle test for the tokenizer and parser: for every .py file of the Python
# standard library of the python3 on PATH, the set of call sites
# (see ast_callsites.py) seen by //lib/pyscan:callsites_dump must equal the set
# CPython's ast module sees. Passes when at least 99.5% of the files ast can
# parse agree exactly; every mismatching file is printed.
#
# Third-party packages (site-packages, dist-packages) are not part of the
# standard library and are skipped. PYSCAN_ORACLE_CORPUS overrides the
# corpus directory (e.g. --test_env=PYSCAN_ORACLE_CORPUS=/some/python/tree).
#
# Usage: ast_oracle_test.sh DUMP_BINARY AST_SCRIPT [CORPUS_DIR]
set -eu
dump="$1"
script="$2"
python="$(command -v python3 || true)"
if [ -z "$python" ]; then
  for p in /usr/bin/python3 /usr/local/bin/python3; do
    [ -x "$p" ] && python="$p" && break
  done
fi
[ -n "$python" ] || { echo "python3 not found" >&2; exit 1; }
corpus="${3:-${PYSCAN_ORACLE_CORPUS:-$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}}"
echo "python: $python; corpus: $corpus"
work="${TEST_TMPDIR:-$(mktemp -d)}"
find "$corpus" \( -name site-packages -o -name dist-packages \) -prune -o \
  -name '*.py' -type f -print | LC_ALL=C sort > "$work/files"
total=$(wc -l < "$work/files")
[ "$total" -gt 100 ] || { echo "corpus $corpus has only $total files" >&2; exit 1; }
xargs "$python" "$script" < "$work/files" > "$work/ast.out"
xargs "$dump" < "$work/files" > "$work/ours.out"
"$python" - "$work/ast.out" "$work/ours.out" <<'PY'
import sys

def load(path):
    files, cur = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("FILE "):
                cur = line[5:]
                files[cur] = []
            else:
                files[cur].append(line)
    return files

theirs, ours = load(sys.argv[1]), load(sys.argv[2])
compared = agree = ast_errors = both_error = 0
mismatches = []
for path, lines in theirs.items():
    if lines and lines[0].startswith("ERROR"):
        ast_errors += 1
        if ours.get(path, [""])[:1] and ours[path][0].startswith("ERROR"):
            both_error += 1
        continue
    compared += 1
    mine = ours.get(path, ["ERROR missing"])
    if mine == lines:
        agree += 1
        continue
    a, b = set(lines), set(mine)
    mismatches.append((path, sorted(a - b)[:5], sorted(b - a)[:5]))
for path, missing, extra in mismatches:
    print("MISMATCH %s\n  ast only: %s\n  parser only: %s" % (path, missing, extra))
ratio = agree / compared if compared else 0.0
print("ast oracle: %d/%d files agree (%.2f%%); %d files ast rejects "
      "(parser also rejects %d)" % (agree, compared, 100 * ratio, ast_errors,
                                    both_error))
sys.exit(0 if ratio >= 0.995 else 1)
PY
