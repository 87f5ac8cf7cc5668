#!/usr/bin/env bash
# Regenerates the goldens of `leastpriv replay` in testdata/cloudtrail/replay/
# (checked by tools/leastpriv/replay/replay_command_test.cc). Review the
# difference before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //tools/leastpriv:leastpriv
d=testdata/cloudtrail/replay
for f in text:txt json:json sarif:sarif markdown:md; do
  bazel-bin/tools/leastpriv/leastpriv replay --policy "$d/role.json" \
    --cloudtrail "$d/logs" --format "${f%%:*}" --jobs 2 \
    > "$d/expected.${f##*:}" || [[ $? == 1 ]]
done
