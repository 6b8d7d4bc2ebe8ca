#!/usr/bin/env bash
# ci/bench.sh — measure how long the racelab ctest matrix takes and what the harness
# costs on top of the bare detector runs. A measurement, never a test: it exits non-zero
# only on a usage error or a missing command, never because a budget is exceeded.
#
#   ci/bench.sh [BUILD_DIR] [-R REGEX] [-n N]
#   ci/bench.sh -M [BUILD_DIR] [-j J]
#
# -M: the whole matrix instead: the wall time of `racelab matrix -j J --json` (default -j2)
#     over every configured cell, after one untimed warm-up run (which also leaves each
#     cell's last wall time in its run folder, the pool's start order), then where the time
#     went: the cells' seconds summed per tool, and the slowest cells. Budget (reported
#     only): BENCH_MATRIX_BUDGET seconds (default 45).
#
# Part 1: wall time of `ctest -R REGEX -j2` (after one untimed warm-up run), then of each
#         tool's subset (`-L '^tool$'` with the same -R).
# Part 2: for every selected case.variant.tool, the detector command exactly as
#         harness/src/run/runner.c spawns it ("bare") and `racelab --cases DIR run CELL`
#         ("harness"), interleaved bare/harness N times, one at a time. Per cell the median
#         of the N runs is kept; per tool the medians are summed. Also reported: racelab's
#         own time per run (its wall minus the child wall it records in runs/CELL/verdict),
#         the part of the overhead that detector run-to-run noise does not blur.
#
# Budgets (reported, never enforced): BENCH_WALL_BUDGET seconds (default 15) and
# BENCH_OVERHEAD_BUDGET percent (default 5).
set -euo pipefail
export LC_ALL=C # '.' as the decimal point in EPOCHREALTIME, date and awk

usage() {
    cat <<'EOF'
usage: ci/bench.sh [BUILD_DIR] [-R REGEX] [-n N] [-h]
       ci/bench.sh -M [BUILD_DIR] [-j J]

  BUILD_DIR  configured racelab build (default: <repo>/build)
  -R REGEX   ctest -R selection (default: '^shared_counter\.')
  -n N       bare/harness repetitions per cell in part 2 (default: 3)
  -M         time the whole matrix (racelab matrix -j J, default 2) instead, and show
             where its time goes (BENCH_MATRIX_BUDGET=45 s, reported only)
  -h         this text

Measures ctest -j2 wall time (total and per tool) and the harness overhead over the
bare detector command. Budgets (env, reported only): BENCH_WALL_BUDGET=15 (s),
BENCH_OVERHEAD_BUDGET=5 (%). Exit status: 0 measured, 2 usage error or missing command.
EOF
}

die_usage() {
    printf 'bench.sh: %s\n' "$1" >&2
    usage >&2
    exit 2
}

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$script_dir/.." && pwd)

build=""
regex='^shared_counter\.'
reps=3
matrix=0
jobs=2
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        -R) (($# >= 2)) || die_usage "-R needs a regex"; regex=$2; shift 2 ;;
        -R*) regex=${1#-R}; shift ;;
        -n) (($# >= 2)) || die_usage "-n needs a number"; reps=$2; shift 2 ;;
        -n*) reps=${1#-n}; shift ;;
        -M) matrix=1; shift ;;
        -j) (($# >= 2)) || die_usage "-j needs a number"; jobs=$2; shift 2 ;;
        -j*) jobs=${1#-j}; shift ;;
        -*) die_usage "unknown option $1" ;;
        *) [[ -z $build ]] || die_usage "more than one BUILD_DIR"; build=$1; shift ;;
    esac
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || die_usage "-n wants a positive integer, got '$reps'"
[[ -n $build ]] || build=$repo/build
[[ -d $build ]] || die_usage "no build directory $build"
build=$(cd -- "$build" && pwd)
[[ -f $build/CTestTestfile.cmake ]] || die_usage "$build is not a configured build (no CTestTestfile.cmake)"

for cmd in ctest awk sed grep sort find head tail cut wc mktemp; do
    command -v "$cmd" >/dev/null 2>&1 || { printf 'bench.sh: %s is not installed\n' "$cmd" >&2; exit 2; }
done
racelab=$build/racelab
[[ -x $racelab ]] || { printf 'bench.sh: %s is missing (build first)\n' "$racelab" >&2; exit 2; }

# ---- -M: the whole matrix ----------------------------------------------------------------
if ((matrix)); then
    [[ $jobs =~ ^[1-9][0-9]*$ ]] || die_usage "-j wants a positive integer, got '$jobs'"
    tmpm=$(mktemp -d "${TMPDIR:-/tmp}/racelab-bench.XXXXXX")
    trap 'rm -rf -- "$tmpm"' EXIT
    budget=${BENCH_MATRIX_BUDGET:-45}
    load0=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')
    printf 'racelab bench -M: %s, racelab matrix -j%s; %s CPUs, load avg %s\n' "$build" "$jobs" \
        "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" "$load0"
    "$racelab" matrix -j "$jobs" >/dev/null 2>&1 || true # warm-up: builds, page cache, history
    rc=0
    TIMEFORMAT='%R %U %S' # bash's `time`: wall, then the CPU time of racelab and its children
    { time "$racelab" matrix -j "$jobs" --json >"$tmpm/cells.json" 2>"$tmpm/table.txt" || rc=$?; } 2>"$tmpm/time"
    load1=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')
    read -r wall cpu_user cpu_sys <"$tmpm/time"
    # --json is indented one key a line: each cell's "name" comes before its "seconds"
    awk -F'"' '$2 == "name" && $4 ~ /\./ { name = $4 }
        $2 == "seconds" { s = $3; gsub(/[:, ]/, "", s); print name, s }' "$tmpm/cells.json" >"$tmpm/secs"
    n=$(wc -l <"$tmpm/secs" | tr -d ' ')
    # each cell's CPU time, from the verdict its run saved ("cpu S"; none for explore)
    while read -r cell secs; do
        c=$(sed -n 's/^cpu //p' "$build/runs/$cell/verdict" 2>/dev/null)
        echo "$cell $secs ${c:--}"
    done <"$tmpm/secs" >"$tmpm/secs-cpu"
    awk -v wall="$wall" -v jobs="$jobs" -v idle=0.4 '{ split($1, p, "."); t = p[3]; sum[t] += $2; cnt[t]++; all += $2
            if ($3 != "-") { cpu[t] += $3; if ($3 < idle * $2) { nidle[t]++; sleep[t] += $2 - $3 } } }
        END { for (t in sum) printf "  %-12s %4d cells %8.2f s  cpu %7.2f s  idle cells %3d (%5.2f s asleep)\n", t, cnt[t], sum[t], cpu[t], nidle[t], sleep[t]
              printf "  %-12s %4d cells %8.2f s of cell time; / %d workers = %.2f s, wall %s s\n", "all", NR, all, jobs, all / jobs, wall }' \
        "$tmpm/secs-cpu" | sort -k 4 -n -r
    echo "  CPU of racelab and every run: user ${cpu_user} s + sys ${cpu_sys} s (idle: a cell's CPU under 40% of its wall, run beside the busy ones)"
    echo "  slowest cells:"
    # awk, not head: head would close the pipe early, and pipefail would end the script
    sort -k 2 -n -r "$tmpm/secs" | awk 'NR <= 12 { printf "    %-52s %6.2f s\n", $1, $2 }'
    tail -n 2 "$tmpm/table.txt" | sed 's/^/  /' # the cell counts, racelab's own wall and CPU
    verdict=within
    awk -v w="$wall" -v b="$budget" 'BEGIN { exit !(w + 0 > b + 0) }' && verdict=OVER
    printf 'matrix: %s s wall for %s cells with -j%s (budget %s s, %s; racelab exit %s; load avg %s -> %s)\n' \
        "$wall" "$n" "$jobs" "$budget" "$verdict" "$rc" "$load0" "$load1"
    exit 0
fi

wall_budget=${BENCH_WALL_BUDGET:-15}
ovh_budget=${BENCH_OVERHEAD_BUDGET:-5}
known_tools=(native tsan-clang tsan-gcc helgrind drd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/racelab-bench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

t0="" t1=""
# stamp VAR: the current time in seconds (fractional) into VAR, without forking when the
# shell has EPOCHREALTIME (bash >= 5), so the stamp adds nothing to short native runs.
if [[ -n ${EPOCHREALTIME:-} ]]; then
    stamp() { printf -v "$1" '%s' "$EPOCHREALTIME"; }
else
    stamp() { printf -v "$1" '%s' "$(date +%s.%N)"; }
fi
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- selection -------------------------------------------------------------------------
ctest -N --test-dir "$build" -R "$regex" >"$tmp/list" 2>&1 || {
    cat "$tmp/list" >&2
    die_usage "ctest -N failed for -R '$regex'"
}
mapfile -t tests < <(sed -n 's/^ *Test *#[0-9]*: *//p' "$tmp/list")
((${#tests[@]})) || die_usage "no test matches -R '$regex' in $build"

tools=()
for t in "${known_tools[@]}"; do
    for name in "${tests[@]}"; do
        if [[ ${name##*.} == "$t" ]]; then tools+=("$t"); break; fi
    done
done

cases=$(printf '%s\n' "${tests[@]}" | grep -E "\.($(IFS='|'; echo "${known_tools[*]}"))\$" | sed 's/^demo\.//; s/\..*//' | sort -u || true)
ncases=0
[[ -z $cases ]] || ncases=$(printf '%s\n' "$cases" | wc -l | tr -d ' ')
if ((ncases == 1)); then
    label="$cases matrix"
else
    label="selection -R '$regex' ($ncases cases)"
fi

printf 'racelab bench: %s, %d tests, tools: %s\n' "$build" "${#tests[@]}" "${tools[*]:-none}"
load_start=$(cut -d " " -f 1-3 /proc/loadavg 2>/dev/null || echo "?")
printf 'machine: %s CPUs, %s, load avg %s\n\n' "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")" "$(uname -srm)" "$load_start"

# ---- part 1: ctest wall time -----------------------------------------------------------
# run_ctest LOG ARGS...: ctest -j2 on the selection; its exit status is reported, not fatal.
ctest_rc=0
run_ctest() {
    local log=$1
    shift
    ctest_rc=0
    ctest --test-dir "$build" -R "$regex" -j2 --no-tests=error --output-on-failure "$@" >"$log" 2>&1 || ctest_rc=$?
}
ctest_note() {
    local line
    line=$(grep -E 'tests passed' "$1" | tail -n 1 || true)
    [[ -n $line ]] || line="ctest exit $ctest_rc"
    printf '%s' "$line"
}

echo "== part 1: ctest -j2 wall time (after one untimed warm-up run) =="
run_ctest "$tmp/warmup.log"
stamp t0
run_ctest "$tmp/total.log"
stamp t1
total_wall=$(elapsed "$t0" "$t1")
printf '  %-12s %7s s   %s\n' "all" "$total_wall" "$(ctest_note "$tmp/total.log")"
for t in "${tools[@]}"; do
    stamp t0
    run_ctest "$tmp/tool-$t.log" -L "^$t\$"
    stamp t1
    printf '  %-12s %7s s   %s\n' "$t" "$(elapsed "$t0" "$t1")" "$(ctest_note "$tmp/tool-$t.log")"
done
# The tests a ctest log lists as failed, with the harness's verdict line for each
# (--output-on-failure puts racelab's "case.variant.tool: ..." line in the log).
for log in "$tmp"/total.log "$tmp"/tool-*.log; do
    [[ -f $log ]] || continue
    run=${log##*/}
    run=${run%.log}
    while read -r fname why; do
        msg=$(grep -m 1 -F "$fname: " "$log" | cut -c 1-160 || true)
        printf '  failed: %s %s [%s run]%s\n' "$fname" "$why" "${run#tool-}" "${msg:+ — ${msg#"$fname: "}}"
    done < <(sed -n '/The following tests FAILED:/,$ s/^[[:space:]]*[0-9]* - //p' "$log")
done
echo

# ---- part 2: harness overhead ----------------------------------------------------------
# find_case_dir CASE: the folder holding `expect` for CASE under <repo>/cases.
find_case_dir() {
    local hit
    if [[ -f $repo/cases/$1/expect ]]; then
        printf '%s' "$repo/cases/$1"
        return
    fi
    hit=$(find "$repo/cases" -type f -name expect -path "*/$1/expect" 2>/dev/null | head -n 1)
    [[ -n $hit ]] && printf '%s' "${hit%/expect}"
}

have_valgrind=0
command -v valgrind >/dev/null 2>&1 && have_valgrind=1

# run_bare TOOL BIN: the detector command as runner.c spawns it, with the environment
# racelab gives the cell (cell_env, from `racelab env`: TSAN_OPTIONS and the rest are never
# written here), output to files (the harness captures it through pipes), stdin from
# /dev/null.
run_bare() {
    local tool=$1 bin=$2 out=$tmp/bare.out err=$tmp/bare.err
    case $tool in
        native | tsan-*)
            env "${cell_env[@]}" "$bin" </dev/null >"$out" 2>"$err" || true ;;
        helgrind | drd)
            env "${cell_env[@]}" valgrind --tool="$tool" --xml=yes \
                --xml-file="$tmp/valgrind.xml" --fair-sched=yes "$bin" \
                </dev/null >"$out" 2>"$err" || true ;;
    esac
}

echo "== part 2: harness overhead (bare detector vs racelab run; $reps interleaved runs per cell, median per cell) =="
: >"$tmp/times"
skipped=()
ncells=0
for name in "${tests[@]}"; do
    raw=()
    cell=$name
    if [[ $cell == demo.* ]]; then raw=(--raw); cell=${cell#demo.}; fi
    tool=${cell##*.}
    rest=${cell%.*}
    variant=${rest##*.}
    case_name=${rest%.*}
    case " ${known_tools[*]} " in
        *" $tool "*) ;;
        *) skipped+=("$name (not a case.variant.tool cell)"); continue ;;
    esac
    flavor=$tool
    [[ $tool == helgrind || $tool == drd ]] && flavor=native
    bin=$build/bin/$flavor/$case_name/$variant
    case_dir=$(find_case_dir "$case_name" || true)
    if [[ -z $case_dir ]]; then
        skipped+=("$name (no $repo/cases/$case_name/expect)"); continue
    fi
    if [[ ! -x $bin ]]; then
        skipped+=("$name (no binary $bin: tool unavailable here?)"); continue
    fi
    if [[ $flavor == native && $tool != native && $have_valgrind == 0 ]]; then
        skipped+=("$name (valgrind is not installed)"); continue
    fi
    ncells=$((ncells + 1))
    hrc_seen="" hrc_msg=""
    # the cell's environment as racelab makes it; its TSan findings file goes under $tmp
    mkdir -p "$tmp/$cell"
    if ! env_text=$("$racelab" --cases "$case_dir" --run-dir "$tmp" env "$cell"); then
        skipped+=("$name (racelab env $cell failed)"); continue
    fi
    mapfile -t cell_env <<<"$env_text"
    for ((i = 1; i <= reps; i++)); do
        rm -f -- "$tmp/$cell/tsan-findings.txt" "$tmp/valgrind.xml"
        stamp t0
        run_bare "$tool" "$bin"
        stamp t1
        printf '%s %s bare %s %s\n' "$tool" "$cell" "$t0" "$t1" >>"$tmp/times"

        hrc=0
        verdict_file=$build/runs/$cell/verdict
        : >"$tmp/mark" # the verdict must be newer than this to be this run's
        stamp t0
        "$racelab" --cases "$case_dir" "${raw[@]}" run "$cell" </dev/null >"$tmp/harness.out" 2>&1 || hrc=$?
        stamp t1
        # The child's wall time as racelab recorded it (spawn to reap, see spawn.c):
        # harness minus that is racelab's own time, free of the detector's run-to-run noise.
        child=-
        if [[ $verdict_file -nt $tmp/mark ]]; then
            while read -r k v; do if [[ $k == wall ]]; then child=$v; fi; done <"$verdict_file"
        fi
        printf '%s %s harness %s %s %s\n' "$tool" "$cell" "$t0" "$t1" "$child" >>"$tmp/times"
        if [[ $hrc != 0 ]]; then
            hrc_seen="$hrc"
            hrc_msg=$(head -n 1 "$tmp/harness.out")
        fi
    done
    [[ -z $hrc_seen ]] || printf '  note: racelab run %s exited %s (measured anyway): %s\n' "$cell" "$hrc_seen" "$hrc_msg"
done
for s in ${skipped[@]+"${skipped[@]}"}; do printf '  skipped: %s\n' "$s"; done

# One awk pass: per cell the median of its N bare and N harness runs (and of racelab's own
# time per run), summed per tool. Prints the table, then a last line
# "TOTAL <bare> <harness> <pct> <own ms per run> <own pct>" for the summary.
awk -v order="${known_tools[*]}" '
function median(key,   n, i, j, v, a) {
    n = cnt[key]
    for (i = 1; i <= n; i++) a[i] = val[key, i]
    for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function pct(b, h) { return b > 0 ? sprintf("%+.1f%%", (h - b) / b * 100) : "n/a" }
function ms(sum, n) { return n ? sprintf("%.1f", sum / n * 1000) : "-" }
{
    key = $2 SUBSEP $3
    val[key, ++cnt[key]] = $5 - $4
    if ($3 == "harness" && $6 != "-" && $6 != "") { okey = $2 SUBSEP "own"; val[okey, ++cnt[okey]] = $5 - $4 - $6 }
    if (!(($2) in cellseen)) { cellseen[$2] = 1; celltool[$2] = $1; ncell[$1]++ }
}
END {
    for (c in cellseen) {
        t = celltool[c]
        b[t] += median(c SUBSEP "bare"); h[t] += median(c SUBSEP "harness")
        if (cnt[c SUBSEP "own"]) { o[t] += median(c SUBSEP "own"); ob[t] += median(c SUBSEP "bare"); on[t]++ }
    }
    printf "  %-12s %5s %9s %10s %9s %11s %12s\n", "tool", "cells", "bare s", "harness s", "overhead", "diff ms/run", "own ms/run"
    n = split(order, tl, " ")
    for (i = 1; i <= n; i++) {
        t = tl[i]
        if (!(t in ncell)) continue
        printf "  %-12s %5d %9.3f %10.3f %9s %11.1f %12s\n", t, ncell[t], b[t], h[t], pct(b[t], h[t]), (h[t] - b[t]) / ncell[t] * 1000, ms(o[t], on[t])
        tb += b[t]; th += h[t]; tc += ncell[t]; to += o[t]; tob += ob[t]; ton += on[t]
    }
    if (tc) printf "  %-12s %5d %9.3f %10.3f %9s %11.1f %12s\n", "total", tc, tb, th, pct(tb, th), (th - tb) / tc * 1000, ms(to, ton)
    printf "TOTAL %.3f %.3f %s %s %s\n", tb, th, (tb > 0 ? sprintf("%.1f", (th - tb) / tb * 100) : "n/a"), ms(to, ton), (tob > 0 ? sprintf("%.1f", to / tob * 100) : "n/a")
}' "$tmp/times" >"$tmp/table"
sed '$d' "$tmp/table"
read -r _ bare_total harness_total ovh_pct own_ms own_pct < <(tail -n 1 "$tmp/table")
echo "  diff = (harness - bare) per run; own = racelab's time minus the child wall it records"
echo "  itself (start-up, parsing, run files), which the detector's run-to-run noise cannot blur"
echo

# ---- explore: schedules per second on one core, time to the first bad schedule ---------
# Each explore cell of this build, one search at a time, in both modes: exec re-runs the
# native binary once per schedule, fork (the default) execs it once and forks at the choice
# points. runs / (the search's wall time, recorded in the verdict) is schedules per second
# on one core; on a cell that found a bad schedule the same time is the time to the first
# bad schedule (fork mode's confirming run by exec is not in it).
echo "== explore (one search at a time; wall = the search's own time, racelab's start-up apart) =="
xruns="$tmp/explore-runs"
while read -r cell; do
    for xmode in exec fork; do
        "$build/racelab" --explore-mode "$xmode" --run-dir "$xruns/$xmode" run "$cell" >/dev/null 2>&1 || true
        v="$xruns/$xmode/$cell/verdict"
        [[ -f $v ]] || { echo "  $cell ($xmode): no verdict"; continue; }
        read -r xn xbound _ xend < <(sed -n 's/^explore //p' "$v")
        xwall=$(sed -n 's/^wall //p' "$v")
        xrate=$(awk -v r="$xn" -v w="$xwall" 'BEGIN { printf "%.0f", (w > 0 ? r / w : 0) }')
        printf '  %-44s %-4s %4s runs %7.3f s %6s schedules/s  d=%s %s\n' "$cell" "$xmode" "$xn" \
            "$xwall" "$xrate" "$xbound" "$xend"
    done
done < <(ctest --test-dir "$build" -N -L '^explore$' | awk '/Test +#/ {print $3}')
uptime
echo

# ---- summary ---------------------------------------------------------------------------
verdict() { # verdict VALUE BUDGET -> "within" | "over"
    awk -v v="$1" -v b="$2" 'BEGIN { print (v + 0 <= b + 0) ? "within" : "OVER" }'
}
echo "== summary (paste into the issue) =="
wall_note=""
if ! grep -q '^100% tests passed' "$tmp/total.log"; then
    wall_note="; not representative: $(ctest_note "$tmp/total.log")"
fi
printf '%s: %s s wall with ctest -j2 (budget %s s, %s%s)' "$label" "$total_wall" "$wall_budget" \
    "$(verdict "$total_wall" "$wall_budget")" "$wall_note"
if [[ $ovh_pct == n/a ]]; then
    printf '; harness overhead not measured (no runnable cell)\n'
else
    printf '; harness overhead %s%% (budget %s%%, %s)\n' "$ovh_pct" "$ovh_budget" \
        "$(verdict "$ovh_pct" "$ovh_budget")"
fi
if [[ $own_pct != n/a ]]; then
    printf '  racelab own time %s ms per run = %s%% of bare (start-up, parsing, run files); the rest of the difference is detector run-to-run variance\n' \
        "$own_ms" "$own_pct"
fi
load_now=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')
printf '  (%d cells x %d interleaved runs, sum of per-cell medians: bare %s s, harness %s s; %s; load avg %s -> %s)\n' \
    "$ncells" "$reps" "$bare_total" "$harness_total" "$(ctest_note "$tmp/total.log")" "$load_start" "$load_now"
exit 0
