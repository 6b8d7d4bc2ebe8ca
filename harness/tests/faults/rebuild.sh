#!/bin/sh
# rebuild.sh MODE RACELAB EXT_DIR WORK_DIR
#
# racelab builds external case folders itself and keeps the binaries; a kept binary must be
# the program of that folder, from its current files. Each mode runs racelab twice on copies
# under WORK_DIR and prints both runs; the second run's status is the script's.
#   same_name  two folders named `same` with different programs, the second one's source
#              older than the first one's binary: the second run must run its own program.
#   header     the case's header is edited (and its expect with it) between the runs.
set -e
mode=$1 racelab=$2 ext=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cp -R "$ext"/. "$work"/
rl() { "$racelab" --bin-dir "$work/bin" --run-dir "$work/runs" "$@"; }
case $mode in
same_name)
    touch -d '2001-01-01 00:00' "$work/same_b/same/unsafe.c"
    rl --cases "$work/same_a/same" run same.unsafe.native
    rl --cases "$work/same_b/same" run same.unsafe.native
    ;;
header)
    rl --cases "$work/header" run header.unsafe.native
    echo '#define OUTCOME 40' >"$work/header/outcome.h"
    sed -i 's/^unsafe     native     -         ok   /unsafe     native     -         lost-update/' \
        "$work/header/expect"
    grep -q 'lost-update' "$work/header/expect"
    rl --cases "$work/header" run header.unsafe.native
    ;;
*)
    echo "rebuild.sh: unknown mode '$mode'" >&2
    exit 2
    ;;
esac
