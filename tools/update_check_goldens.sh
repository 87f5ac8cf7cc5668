#!/usr/bin/env bash
# Regenerates the golden outputs of the `leastpriv check` end-to-end cases in
# testdata/check/: expected.json and exit_status for every case, and the
# text, SARIF and Markdown renderings for the cases listing them in
# `formats`. Review the diff before committing: goldens are assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //tools/leastpriv >/dev/null
lp="$PWD/bazel-bin/tools/leastpriv/leastpriv"
root="$PWD"
for dir in testdata/check/*/; do
  (
    case_dir="$root/$dir"
    cd "$case_dir"
    # A case on a bundled example runs in a copy with the example as app/
    # (see testdata/check/BUILD.bazel).
    if [[ -f example ]]; then
      work="$(mktemp -d)"
      trap 'rm -rf "$work"' EXIT
      cp -r . "$work"
      cp -r "$root/$(head -n 1 example)" "$work/app"
      cp "$work/app/role.json" "$work/role.json"
      cd "$work"
    fi
    mapfile -t args < args
    status=0
    NO_COLOR=1 "$lp" check "${args[@]}" --format json >"$case_dir/expected.json" || status=$?
    echo "$status" >"$case_dir/exit_status"
    if [[ -f formats ]]; then
      while read -r format ext; do
        NO_COLOR=1 "$lp" check "${args[@]}" --format "$format" >"$case_dir/expected.$ext" || true
      done <formats
    fi
  )
done
