#!/usr/bin/env bash
# Installs what leastpriv needs to build and test on Debian 12, if missing.
# Safe to run repeatedly; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  bazel-bootstrap bazel-bootstrap-source bazel-platforms
  g++ python3 nodejs npm
  libz3-dev libre2-dev libabsl-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# python3 and node may come from elsewhere than Debian; accept them if present.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    python3) command -v python3 >/dev/null || filtered+=("$p") ;;
    nodejs) command -v node >/dev/null || filtered+=("$p") ;;
    npm) command -v npm >/dev/null || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done

((${#filtered[@]})) || exit 0

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
total=$((${#filtered[@]} + 1))
step=0

# One apt-get step: one line saying what it does; apt's own output goes to
# a log that is shown only when the step fails.
apt_step() {
  local what=$1
  shift
  step=$((step + 1))
  echo "setup: [$step/$total] $what" >&2
  if ! "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive "$@" >"$log" 2>&1; then
    echo "setup: error: $what failed; the last lines apt-get wrote:" >&2
    tail -n 30 "$log" >&2
    exit 2
  fi
}

apt_step "updating the package lists" apt-get update
for p in "${filtered[@]}"; do
  apt_step "installing $p" apt-get install -y "$p"
done
echo "setup: installed ${filtered[*]}" >&2
