#!/bin/sh
# The report end to end: `racelab matrix --report` on a few cases, `racelab report` renders
# the same files again from the run directories, and index.html is rendered in headless
# Chromium. The page's own script measures what it drew into <body data-rendered=...>:
# the matrix must have a size, and at least one timeline SVG must have rendered. The
# screenshot must exist and hold more than a blank page.
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
"$racelab" --run-dir "$work/runs" $cases matrix --report "$work/report" >"$work/matrix.txt" 2>&1
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
run_browser --dump-dom "$page" >"$work/dom.html" || fail "chromium --dump-dom failed (see $work/chromium.log)"
rendered=$(sed -n 's/.*<body[^>]* data-rendered="\([^"]*\)".*/\1/p' "$work/dom.html" | head -n 1)
echo "data-rendered: $rendered"
echo "$rendered" | grep -Eq '^matrix=[1-9][0-9]*x[1-9][0-9]* ' ||
    fail "the matrix table did not render with a size: '$rendered'"
echo "$rendered" | grep -Eq ' timelines=[1-9][0-9]*,[1-9][0-9]*x[1-9][0-9]*$' ||
    fail "no timeline SVG rendered with a size: '$rendered'"

shot="$work/index.png"
run_browser --screenshot="$shot" --window-size=1280,2000 "$page" >/dev/null ||
    fail "chromium --screenshot failed (see $work/chromium.log)"
[ -f "$shot" ] || fail "no screenshot at $shot"
size=$(wc -c <"$shot")
[ "$size" -gt 20000 ] || fail "the screenshot is $size bytes: a blank page?"
[ "$(head -c 4 "$shot" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$shot is not a PNG"
echo "screenshot: $shot ($size bytes)"
echo "PASS"
