#!/usr/bin/env bash
# Builds one libFuzzer target with clang (ASan + UBSan) and runs it.
#
#   tools/fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#   tools/fuzz/run.sh TARGET replay FILE...   # run inputs once (regressions)
#   tools/fuzz/run.sh all SECONDS             # every target in turn
#
# TARGET is one of: json policy glob pyscan differential cloudtrail
# (fuzz/TARGET_fuzzer.cc).
#
# Bazel 4.2.3 does not drive libFuzzer builds, so this script compiles the
# library sources directly with clang++ (-fsanitize=fuzzer-no-link) into
# .fuzz/ and links each target against the Debian libraries. It needs the
# Debian packages clang and libclang-rt-14-dev (libFuzzer and the sanitizer
# runtimes) on top of the build dependencies.
#
# Output goes to .fuzz/ (or $FUZZ_OUT). The working corpus is
# .fuzz/corpus/TARGET (kept between runs, not in git);
# each run also reads the seeds: matching files from testdata/ and the
# committed inputs in fuzz/regressions/TARGET/ (inputs that once failed).
# Crashing inputs are written to .fuzz/artifacts/TARGET/; after fixing the
# bug, copy the input to fuzz/regressions/TARGET/ so every run replays it.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[[ $# -ge 2 ]] || usage
target="$1"
shift
targets=(json policy glob pyscan differential cloudtrail)

if [[ "$target" == all ]]; then
  for t in "${targets[@]}"; do "$0" "$t" "$@"; done
  exit 0
fi
[[ -f "fuzz/${target}_fuzzer.cc" ]] || usage

CXX="${CXX:-clang++}"
out="${FUZZ_OUT:-.fuzz}"
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -I. -Iinclude
       -fsanitize=address,undefined -fno-sanitize-recover=undefined)
libs=(-lz3 -lre2 -labsl_statusor -labsl_status -labsl_cord
      -labsl_str_format_internal -labsl_strings -labsl_strings_internal
      -labsl_hash -labsl_raw_hash_set -labsl_synchronization -labsl_time -labsl_civil_time
      -labsl_throw_delegate -labsl_raw_logging_internal -labsl_base -lz -lpthread)

# The library: every non-test source of the layers the targets use.
mkdir -p "$out/obj" "$out/bin"
sources=$(ls lib/{catalog,eval,finding,glob,json,policy,pyscan,replay,rules,smt,analysis}/*.cc |
          grep -v -e '_test\.cc$' -e 'callsites_dump\.cc$' -e 'oracle_fixture\.cc$')
archive="$out/libleastpriv_fuzz.a"
newest=$(find include lib -newer "$archive" \( -name '*.cc' -o -name '*.h' -o -name '*.inc' \) \
         2>/dev/null | head -1 || true)
if [[ ! -f "$archive" || -n "$newest" ]]; then
  echo "fuzz: compiling the library with $CXX" >&2
  printf '%s\n' $sources | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c \
    'o="$0/obj/$(echo "$1" | tr / _).o"; exec "$2" "${@:3}" -fsanitize=fuzzer-no-link -c "$1" -o "$o"' \
    "$out" {} "$CXX" "${flags[@]}"
  rm -f "$archive"
  ar rcs "$archive" "$out"/obj/*.o
fi
bin="$out/bin/${target}_fuzzer"
if [[ ! -x "$bin" || "fuzz/${target}_fuzzer.cc" -nt "$bin" || "$archive" -nt "$bin" ]]; then
  echo "fuzz: linking $bin" >&2
  "$CXX" "${flags[@]}" -fsanitize=fuzzer "fuzz/${target}_fuzzer.cc" "$archive" \
    "${libs[@]}" -o "$bin"
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
regressions="fuzz/regressions/$target"

if [[ "$1" == replay ]]; then
  shift
  files=("$@")
  [[ ${#files[@]} -gt 0 ]] || files=("$regressions"/*)
  exec "$bin" "${files[@]}"
fi
seconds="$1"
shift

# Seeds from testdata/ for the targets that read files as they are.
seeds="$out/seeds/$target"
rm -rf "$seeds"
mkdir -p "$seeds" "$out/corpus/$target" "$out/artifacts/$target"
case "$target" in
  json) find testdata -name '*.json' -size -256k -exec cp {} "$seeds/" \; ;;
  policy) cp testdata/policies/*.json testdata/eval/*.json "$seeds/" ;;
  pyscan)
    find testdata -name '*.py' -size -256k | while read -r f; do
      cp "$f" "$seeds/$(echo "$f" | tr / _)"
    done ;;
  cloudtrail)
    # Each record of the fixtures alone, and the log files as they are.
    python3 -c 'import json, sys
for i, f in enumerate(json.load(open(sys.argv[1]))["fixtures"]):
    open("%s/fixture_%03d.json" % (sys.argv[2], i), "w").write(json.dumps(f["record"]))' \
      testdata/cloudtrail/fixtures.json "$seeds"
    find testdata/cloudtrail testdata/examples/replay/cloudtrail -name '*.json' \
      -size -256k ! -name fixtures.json | while read -r f; do
      cp "$f" "$seeds/$(echo "$f" | tr / _)"
    done ;;
esac
[[ -d "$regressions" ]] && cp "$regressions"/* "$seeds/" 2>/dev/null || true

# The differential target runs a few inputs a second: without this libFuzzer
# grows the input length too slowly to build more than one-statement
# policies in a short run.
extra=()
[[ "$target" == differential ]] && extra=(-max_len=256 -len_control=0)
exec "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 \
  -rss_limit_mb=2560 -artifact_prefix="$out/artifacts/$target/" "${extra[@]}" "$@" \
  "$out/corpus/$target" "$seeds"
