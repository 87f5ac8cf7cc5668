#!/usr/bin/env bash
# Measures the scanner on the real-world corpus: recall, precision and table
# accuracy per call site, per repository and in total.
#
#   tools/realworld/run.sh [CORPUS_DIR] [--details] [--repo OWNER/NAME]
#
# CORPUS_DIR (default $LEASTPRIV_CORPUS) holds one checkout per repository of
# testdata/realworld/manifest.json, named OWNER+NAME, at the manifest's commit
# (for example `git archive COMMIT | tar -x -C CORPUS_DIR/OWNER+NAME`). The
# corpus is never part of this repository; only the facts in the manifest are.
# Without a corpus directory the script says so and exits 0, so CI skips it.
set -euo pipefail
cd "$(dirname "$0")/../.."

corpus="${LEASTPRIV_CORPUS:-}"
if [[ $# -gt 0 && "$1" != --* ]]; then
  corpus="$1"
  shift
fi
if [[ -z "$corpus" || ! -d "$corpus" ]]; then
  echo "realworld: no corpus directory (pass one or set LEASTPRIV_CORPUS); skipped"
  exit 0
fi
bazel build -c opt //tools/leastpriv:leastpriv >/dev/null 2>&1 ||
  bazel build -c opt //tools/leastpriv:leastpriv
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/tools/leastpriv/leastpriv"
exec python3 tools/realworld/score.py testdata/realworld/manifest.json \
  "$corpus" "$bin" "$@"
