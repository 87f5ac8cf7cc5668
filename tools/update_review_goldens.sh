#!/usr/bin/env bash
# Regenerates the golden outputs of the `leastpriv review` cases in
# testdata/review/: expected.json and expected.md for every case. The
# review refuses symbolic links out of a checkout, so each case runs on a
# copy. Review the diff before committing: goldens are assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //tools/leastpriv >/dev/null
lp="$PWD/bazel-bin/tools/leastpriv/leastpriv"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for dir in testdata/review/*/; do
  name="$(basename "$dir")"
  cp -r "$dir" "$scratch/$name"
  for format in json:json markdown:md; do
    "$lp" review --base "$scratch/$name/base" --head "$scratch/$name/head" \
      --format "${format%%:*}" >"$dir/expected.${format##*:}" || true
  done
done
