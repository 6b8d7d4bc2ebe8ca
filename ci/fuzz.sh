#!/usr/bin/env bash
# The parsers' libFuzzer targets (harness/tests/fuzz/), each run for SECONDS (default 30):
#
#   ci/fuzz.sh [SECONDS]
#
# Builds them with clang in build-fuzz/ (the fuzz preset), starts each from its seed corpus
# (harness/tests/fuzz/seeds/TARGET) and keeps what it learns in build-fuzz/corpus/TARGET.
# Fails when any target crashes, leaks, or trips ASan or UBSan; the input that did it is
# kept as build-fuzz/crash-TARGET-* to reproduce with build-fuzz/.../fuzz_TARGET FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
case "$seconds" in
  '' | *[!0-9]* | 0)
    echo "usage: ci/fuzz.sh [SECONDS]   (a whole number of seconds per target, > 0)" >&2
    exit 2
    ;;
esac

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

bin=build-fuzz/harness/tests/fuzz
failed=()
for target in expect vgxml tsan timeline; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  echo "== fuzz_$target: $seconds s"
  start=$(date +%s)
  if "$bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crash-$target-" \
    "$corpus" "harness/tests/fuzz/seeds/$target" >"build-fuzz/fuzz-$target.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/fuzz-$target.log")
    echo "   ok: ${runs:-?} inputs in $(($(date +%s) - start)) s"
  else
    echo "   FAILED: see build-fuzz/fuzz-$target.log" >&2
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error)" "build-fuzz/fuzz-$target.log" >&2 || true
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: crashed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all four targets ran $seconds s each without a crash"
