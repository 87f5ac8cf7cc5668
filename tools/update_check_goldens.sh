#!/usr/bin/env bash
# Regenerates the golden outputs of the `leastpriv check` end-to-end cases in
# testdata/check/: expected.json and exit_status for every case, and the
# text, SARIF and Markdown renderings for the cases listing them in
# `formats`. Review the diff before committing: goldens are assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //tools/leastpriv >/dev/null
lp="$PWD/bazel-bin/tools/leastpriv/leastpriv"
for dir in testdata/check/*/; do
  (
    cd "$dir"
    mapfile -t args < args
    status=0
    NO_COLOR=1 "$lp" check "${args[@]}" --format json >expected.json || status=$?
    echo "$status" >exit_status
    if [[ -f formats ]]; then
      while read -r format ext; do
        NO_COLOR=1 "$lp" check "${args[@]}" --format "$format" >"expected.$ext" || true
      done <formats
    fi
  )
done
