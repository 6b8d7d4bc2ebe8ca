#!/bin/sh
# The report end to end: `racelab matrix --report` on the cases given (every tool on
# loop_hog and shared_counter, native on the rest, so that every case README is on the
# page), `racelab report` renders the same files again from the run directories, and
# index.html is rendered in headless Chromium. The page's own script measures what it drew
# into <body data-rendered=...>:
#   - the matrix has a size, and at least one timeline SVG rendered;
#   - the measured charts rendered, each with a size: a `stats --sweep` of a safe variant
#     (two runs a value: no timing matters) and a scaling file written here, with a name that
#     needs escaping (the numbers are made up: this checks drawing, never a time);
#   - in a 1024 px and an 800 px window the page has no horizontal scroll (page=W/WINDOW),
#     while the matrix sits in a box of its own that scrolls (box=CONTENT/VISIBLE, with
#     overflow-x auto): at 800 px the matrix is wider than its box.
# The CERT C rule x detector table is on the page, its shared_counter link to that case's
# section. In the rendered lessons: no literal ** (emphasis that was not rendered), and
# event_loop_runaway's three stops are one list, numbered 1, 2, 3. The screenshot must exist
# and hold more than a blank page.
#
#   browser.sh RACELAB WORK_DIR CASE_DIR...
#
# Exit 0 pass, 1 fail, 77 skipped (no Chromium installed).
set -u
racelab=$1
work=$2
shift 2

browser=""
for b in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then
        browser=$(command -v "$b")
        break
    fi
done
if [ -z "$browser" ]; then
    echo "SKIPPED: no Chromium installed (chromium, chromium-browser or google-chrome in PATH;" \
         "on Debian: apt-get install chromium)"
    exit 77
fi

fail() {
    echo "FAIL: $*"
    exit 1
}

rm -rf "$work"
mkdir -p "$work" || fail "cannot create $work"
cases="" # the case folders, each passed with --cases
for c in "$@"; do
    cases="$cases --cases $c"
done

# shellcheck disable=SC2086 # $cases is a list of words
"$racelab" --run-dir "$work/runs" $cases stats shared_counter.safe_mutex.native \
    --sweep ITERS -n 2 >"$work/sweep.txt" 2>&1 || fail "racelab stats --sweep exited $? (see $work/sweep.txt)"
printf 'scaling\t2\t3\t1.50\n%s\t%s\t%s\t3\t%s\t0\n%s\t%s\t%s\t3\t%s\t0\n%s\t%s\t%s\t3\t%s\t0\n%s\t%s\t%s\t3\t%s\t0\n' \
    point cpu-threads 1 1.0 point cpu-threads 2 0.5 point 'io-<b>&loop' 1 0.2 point 'io-<b>&loop' 4 0.05 \
    >"$work/runs/measured/scaling.tsv" || fail "cannot write $work/runs/measured/scaling.tsv"
# shellcheck disable=SC2086 # $cases is a list of words
"$racelab" --run-dir "$work/runs" $cases matrix --report "$work/report" \
    loop_hog shared_counter '*.*.native' >"$work/matrix.txt" 2>&1
rc=$?
cat "$work/matrix.txt"
case $rc in
0 | 1 | 77) ;; # the report is written whatever the verdicts
*) fail "racelab matrix --report exited $rc" ;;
esac
for f in matrix.md junit.xml racelab.sarif index.html; do
    [ -s "$work/report/$f" ] || fail "$work/report/$f is missing or empty"
done

# the same files again from the run directories, without running anything
"$racelab" --run-dir "$work/runs" report "$work/again" || fail "racelab report exited $?"
for f in matrix.md junit.xml racelab.sarif index.html; do
    cmp "$work/report/$f" "$work/again/$f" || fail "racelab report wrote a different $f"
done

run_browser() {
    profile=$(mktemp -d) || fail "mktemp"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --virtual-time-budget=2000 "$@" 2>>"$work/chromium.log"
    status=$?
    rm -rf "$profile"
    return $status
}

page="file://$work/report/index.html"
# rendered WIDTH: the page's data-rendered in a window WIDTH px wide; its DOM in dom-WIDTH.html
rendered() {
    run_browser --window-size="$1,900" --dump-dom "$page" >"$work/dom-$1.html" ||
        fail "chromium --dump-dom failed (see $work/chromium.log)"
    sed -n 's/.*<body[^>]* data-rendered="\([^"]*\)".*/\1/p' "$work/dom-$1.html" | head -n 1
}
for width in 1024 800; do
    r=$(rendered "$width")
    echo "data-rendered at $width px: $r"
    echo "$r" | grep -Eq '^matrix=[1-9][0-9]*x[1-9][0-9]* ' ||
        fail "the matrix table did not render with a size: '$r'"
    echo "$r" | grep -Eq ' timelines=[1-9][0-9]*,[1-9][0-9]*x[1-9][0-9]* ' ||
        fail "no timeline SVG rendered with a size: '$r'"
    # a sweep chart and the two scaling charts, each with a size
    echo "$r" | grep -Eq ' charts=3,[1-9][0-9]*x[1-9][0-9]*(;[1-9][0-9]*x[1-9][0-9]*){2} ' ||
        fail "the three measured charts did not render with a size: '$r'"
    page_w=$(echo "$r" | sed -n 's/.* page=\([0-9]*\)\/\([0-9]*\).*/\1 \2/p')
    set -- $page_w
    [ $# = 2 ] || fail "no page width in '$r'"
    [ "$1" -le "$2" ] || fail "at $width px the page scrolls sideways: $1 px of content in $2"
    box=$(echo "$r" | sed -n 's/.* box=\([0-9]*\)\/\([0-9]*\) \([a-z]*\).*/\1 \2 \3/p')
    set -- $box
    [ $# = 3 ] || fail "the matrix has no box of its own: '$r'"
    [ "$3" = auto ] || fail "the matrix box does not scroll (overflow-x: $3)"
    if [ "$width" = 800 ]; then
        [ "$1" -gt "$2" ] || fail "at 800 px the matrix ($1 px) should overflow its box ($2 px)"
    fi
done

# The CERT C rule x detector table, as rendered: shared_counter names CON43-C, so the table
# has that row, and its link to shared_counter leads to shared_counter's section.
tr '\n' ' ' <"$work/dom-1024.html" >"$work/flat.html"
grep -Po '<table class="cert">.*?</table>' "$work/flat.html" >"$work/cert.html" ||
    fail "no CERT C rule table on the page"
row=$(grep -Po '<tr><th>CON43-C</th>.*?</tr>' "$work/cert.html") ||
    fail "the CERT C table has no CON43-C row"
n=$(echo "$row" | sed -n 's/.*<a href="#case-\([0-9]*\)">shared_counter<\/a>.*/\1/p')
[ -n "$n" ] || fail "the CON43-C row does not link shared_counter: $row"
grep -Pq "<section class=\"case\" id=\"case-$n\"><h2>shared_counter " "$work/flat.html" ||
    fail "the CERT table's link #case-$n is not shared_counter's section"
echo "CERT C table: CON43-C links shared_counter to #case-$n"

# The lessons, as rendered: the text of every README block.
tr '\n' ' ' <"$work/dom-1024.html" | grep -o '<div class="md">.*' >"$work/lessons.html"
[ -s "$work/lessons.html" ] || fail "no rendered README on the page"
n=$(grep -o '<div class="md">' "$work/lessons.html" | wc -l)
echo "rendered READMEs: $n"
if grep -q '\*\*' "$work/lessons.html"; then
    grep -o '.\{40\}\*\*.\{40\}' "$work/lessons.html" | head -n 5
    fail "a lesson shows a literal ** (emphasis not rendered)"
fi
grep -q 'The runaway stop' "$work/lessons.html" || fail "event_loop_runaway's lesson is not on the page"
# one <ol> from the first stop to the third, with no </ol> or start= between: 1, 2, 3
grep -Pq '<ol>(?:(?!</?ol).)*The runaway stop(?:(?!</?ol).)*The dispatch budget(?:(?!</?ol).)*The wall-clock watchdog' \
    "$work/lessons.html" ||
    fail "event_loop_runaway's three stops are not one list numbered 1, 2, 3"

shot="$work/index.png"
run_browser --screenshot="$shot" --window-size=1280,2000 "$page" >/dev/null ||
    fail "chromium --screenshot failed (see $work/chromium.log)"
[ -f "$shot" ] || fail "no screenshot at $shot"
size=$(wc -c <"$shot")
[ "$size" -gt 20000 ] || fail "the screenshot is $size bytes: a blank page?"
[ "$(head -c 4 "$shot" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$shot is not a PNG"
echo "screenshot: $shot ($size bytes)"
echo "PASS"
