#!/usr/bin/env bash
# Regenerates testdata/oracle/diff_fixtures.json: policy-set pairs and
# requests written by diff_cases (DiffPolicies' witnesses and covering
# universe requests), each decided under OLD and NEW by the external oracle
# @cloud-copilot/iam-simulate (run by node only; needs npm the first time).
# Run it again when DiffPolicies' witnesses change: diff_oracle_test fails
# on a witness the fixture has no decision for.
#
#   tools/oracle/gen_diff_fixtures.sh [--seed N] [--pairs N] [--sample N]
set -euo pipefail
cd "$(dirname "$0")/../.."

# The default compilation mode, as bazel test builds the test that reads
# the fixture.
bazel build //tools/oracle:diff_cases
[[ -d tools/oracle/node_modules/@cloud-copilot/iam-simulate ]] ||
  (cd tools/oracle && npm ci)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bazel-bin/tools/oracle/diff_cases "$@" >"$tmp/cases.json"
node tools/oracle/decide_pairs.mjs "$tmp/cases.json" \
  --out testdata/oracle/diff_fixtures.json --warmup 0
