#!/bin/sh
# trunc.sh RACELAB WORK TEST: makes inputs past racelab's old fixed sizes from the tiny case
# beside this script, in WORK (emptied first), then runs racelab on them (issue 10, item 3).
#   many_cases   600 case folders in one --cases folder: `list` must name all 600
#   big_expect   an expect of 1.5 MiB (comments first): read whole, its rows all there
#   huge_expect  an expect of 65 MiB: refused, naming the 64 MiB limit
#   deep_case    a case folder whose path is over 1000 bytes: found and read
set -eu
racelab=$1 work=$2 test=$3
tiny=$(dirname "$0")/tiny
rm -rf "$work"
mkdir -p "$work"
case $test in
many_cases)
    # shell builtins only (one mkdir): 1800 processes took 30 s on a loaded machine
    expect=$(cat "$tiny/expect")
    set --
    i=100
    while [ $i -lt 700 ]; do
        set -- "$@" "$work/c$i"
        i=$((i + 1))
    done
    mkdir "$@"
    for d in "$@"; do
        printf '%s\n' "$expect" >"$d/expect"
        : >"$d/unsafe.c"
        : >"$d/safe.c"
    done
    n=$("$racelab" --cases "$work" list | grep -c '^  c[0-9][0-9][0-9] ') || true
    echo "listed $n of 600 cases"
    ;;
big_expect | huge_expect)
    mkdir "$work/tiny" && cp "$tiny"/*.c "$work/tiny"
    head -n 3 "$tiny/expect" >"$work/tiny/expect"
    if [ "$test" = big_expect ]; then
        # 24,000 comment lines of 64 bytes: 1.5 MiB before the first row
        awk 'BEGIN { for (i = 0; i < 24000; i++) printf "# %061d\n", i }' >>"$work/tiny/expect"
    fi
    tail -n +4 "$tiny/expect" >>"$work/tiny/expect"
    [ "$test" = huge_expect ] && truncate -s 65M "$work/tiny/expect"
    echo "expect: $(wc -c <"$work/tiny/expect") bytes"
    exec "$racelab" --cases "$work/tiny" explain tiny
    ;;
deep_case)
    d=$work
    for i in 1 2 3 4 5 6 7 8; do d=$d/$(printf 'deep%0124d' $i); done
    mkdir -p "$d/tiny" && cp "$tiny"/expect "$tiny"/*.c "$d/tiny"
    exec "$racelab" --cases "$d/tiny" explain tiny
    ;;
*)
    echo "trunc.sh: unknown test $test" >&2
    exit 2
    ;;
esac
