#!/usr/bin/env bash
# One CI leg, the same on a laptop as in the workflow:
#
#   ci/job.sh tsan-clang|tsan-gcc|helgrind|drd|native   every case under that detector; for a
#                                                       detector, then every cell's fidelity
#                                                       test (bare vs through racelab)
#   ci/job.sh unit                                      the harness's unit and fault tests
#
# Writes build/report-LEG/: junit.xml, matrix.md, racelab.sarif (every finding),
# code-scanning.sarif (only what a user must act on) and index.html for a detector leg
# (from `racelab matrix --report`), with each cell's run folder in runs/ beside them (the
# report links them by relative path, so the uploaded folder keeps its links), plus
# junit-fidelity.xml; junit.xml for the unit leg. Appends the
# Markdown summary to $GITHUB_STEP_SUMMARY when that is set. Exit status: the leg's.
set -euo pipefail
cd "$(dirname "$0")/.."

leg=${1:-}
case "$leg" in
  tsan-clang | tsan-gcc | helgrind | drd | native | unit) ;;
  *)
    echo "usage: ci/job.sh tsan-clang|tsan-gcc|helgrind|drd|native|unit" >&2
    exit 2
    ;;
esac

ci/install-deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)"

report="build/report-$leg"
rm -rf "$report"
mkdir -p "$report"

# The TSan runtimes of clang < 18 and gcc die with "unexpected memory mapping" when the
# kernel randomises more than 28 bits of mmap addresses (Ubuntu 24.04: 32). Lower it; where
# that is not allowed, run without address randomisation (setarch -R is inherited by every
# process the leg starts).
wrap=()
bits_file=/proc/sys/vm/mmap_rnd_bits
if [[ "$leg" == tsan-* && -r "$bits_file" && "$(cat "$bits_file")" -gt 28 ]]; then
  if [ -w "$bits_file" ]; then
    echo 28 >"$bits_file" || true
  elif command -v sudo >/dev/null; then
    echo 28 | sudo tee "$bits_file" >/dev/null || true
  fi
  if [ "$(cat "$bits_file")" -gt 28 ]; then
    wrap=(setarch "$(uname -m)" -R)
  fi
fi

status=0
if [ "$leg" = unit ]; then
  ctest --test-dir build -L '^(unit|faults|report|ci)$' -j2 --no-tests=error \
    --output-on-failure --output-junit "$PWD/$report/junit.xml" || status=$?
else
  "${wrap[@]}" build/racelab --tool "$leg" --run-dir "$report/runs" matrix --report "$report" ||
    status=$?
  if [ "$leg" != native ]; then
    "${wrap[@]}" ctest --test-dir build -L "^fidelity-$leg\$" -j2 --no-tests=error \
      --output-on-failure --output-junit "$PWD/$report/junit-fidelity.xml" || status=$?
  fi
fi

# SARIF is for a leg that ran its cells: racelab exits 77 when every cell was skipped, and
# an upload of nothing would close that leg's alerts. The upload is code-scanning.sarif:
# GitHub ignores SARIF suppressions, so the expected findings on the unsafe variants (in
# racelab.sarif, kept in the artifact) would stay open alerts for good.
if [ -n "${GITHUB_OUTPUT:-}" ] && [ "$status" -ne 77 ] && [ -s "$report/code-scanning.sarif" ]; then
  echo "sarif=$report/code-scanning.sarif" >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$report/matrix.md" ]; then
  cat "$report/matrix.md" >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
