#!/bin/sh
# Rewrites the golden outputs listed in testdata/diff/cases.txt from the
# current policy-diff. Run from the repository root; review the diff after.
set -eu
bazel build //tools/policy_diff:policy-diff
bin=bazel-bin/tools/policy_diff/policy-diff
grep -v '^#' testdata/diff/cases.txt | while read -r name code golden args; do
  [ -n "$name" ] || continue
  set +e
  # shellcheck disable=SC2086
  "$bin" $args >"testdata/diff/$golden"
  got=$?
  set -e
  if [ "$got" != "$code" ]; then
    echo "$name: exit $got, expected $code" >&2
    exit 1
  fi
done
