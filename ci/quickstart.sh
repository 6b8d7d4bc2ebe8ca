#!/usr/bin/env bash
# The main job, from a fresh clone: install what is missing, configure, build, and print the
# matrix of every case x variant x detector (racelab matrix). Exit status: the matrix's
# (0 when every cell is as its case's expect file says).
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)"
exec build/racelab matrix "$@"
