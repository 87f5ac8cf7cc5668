#!/usr/bin/env bash
# Sets up what is missing (one line per package step; apt's output only
# when a step fails), builds leastpriv and runs it on the bundled
# example: a Django shop (testdata/examples/shop) and the role policy it runs
# under. The first command, `leastpriv check`, compares what the code uses
# with what the role allows (account, region and the audit table's name come
# from the example's leastpriv.json). Exit status is that of the last
# leastpriv command.
set -uo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh || exit 2
echo "example: building leastpriv (a few minutes the first time)" >&2
build_log=$(mktemp)
bazel build -c opt //tools/leastpriv >/dev/null 2>"$build_log" ||
  { cat "$build_log" >&2; rm -f "$build_log"; exit 2; }
rm -f "$build_log"
lp=bazel-bin/tools/leastpriv/leastpriv
example=testdata/examples/shop

echo "== leastpriv check --code $example --policy $example/role.json"
"$lp" check --code "$example" --policy "$example/role.json"
echo
echo "== leastpriv validate $example/role.json"
"$lp" validate "$example/role.json"
echo
echo "== leastpriv scan $example"
"$lp" scan "$example"
echo
echo "== leastpriv reach --policy $example/role.json"
"$lp" reach --policy "$example/role.json" --account 111122223333 --region eu-west-1 \
  --table shop-orders --table shop-products --table shop-audit
