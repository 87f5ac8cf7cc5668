#!/usr/bin/env bash
# The example of README "Replaying CloudTrail": regenerates the outputs in
# this directory from the leastpriv tool (bazel build //tools/leastpriv).
set -uo pipefail
cd "$(dirname "$0")/../../.."
lp=bazel-bin/tools/leastpriv/leastpriv
d=testdata/examples/replay
# 1. What the code uses, and the least-privilege policy for it.
NO_COLOR=1 "$lp" check --code "$d/app" --policy "$d/role.json" --format json \
  > "$d/check.json"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["suggested_policy"], indent=2))' \
  "$d/check.json" > "$d/suggested_policy.json"
# 2. Would the suggestion have denied anything the app did that week?
"$lp" replay --policy "$d/suggested_policy.json" --cloudtrail "$d/cloudtrail" \
  --principal arn:aws:iam::111122223333:role/invoices-app > "$d/replay.txt"
# 3. The check with the week's records: the logged call is used, not excess.
NO_COLOR=1 "$lp" check --code "$d/app" --policy "$d/role.json" \
  --cloudtrail "$d/cloudtrail" > "$d/check_with_cloudtrail.txt"
exit 0
