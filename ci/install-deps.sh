#!/usr/bin/env bash
# Install what racelab needs on Debian/Ubuntu, and only what is missing. Idempotent: a
# second run installs nothing. Runs as root, or through sudo.
#
# What counts is what the build will use, not whether a package of that name is installed:
#
#   need                                  checked as                         Debian package
#   cmake 3.25+, make, gcc, pkg-config    commands on PATH                   cmake make gcc pkg-config
#   cmocka, expat, libelf, yaml, jansson  pkg-config --exists                libcmocka-dev libexpat1-dev
#                                                                            libelf-dev libyaml-dev
#                                                                            libjansson-dev
#   cmark-gfm and its extensions          pkg-config --exists libcmark-gfm,  libcmark-gfm-dev
#                                         and cmark-gfm-core-extensions.h    libcmark-gfm-extensions-dev
#                                         beside its headers
#   valgrind (Helgrind and DRD)           command, and valgrind/helgrind.h   valgrind
#   clang ($RACELAB_CLANG, else clang)    command                            clang
#   its ThreadSanitizer runtime           it links a -fsanitize=thread program  libclang-rt-N-dev
#   its llvm-symbolizer                   beside clang, or llvm-symbolizer-N  llvm-N
#   chromium (--with-browser only)        command                            chromium
#
# cmake may come from elsewhere (GitHub's runners ship their own): one on PATH is used.
# Without the first two rows configure fails, so this script fails. Without valgrind the
# helgrind and drd cells are skipped, without clang or its runtime the tsan-clang cells are
# skipped, and without the symbolizer every tsan-clang cell is an error (clang's runtime
# cannot name what it reports); each of these is said when it happens.
set -euo pipefail

with_browser=0
if [ "${1:-}" = --with-browser ]; then
  with_browser=1
elif [ -n "${1:-}" ]; then
  echo "usage: ci/install-deps.sh [--with-browser]" >&2
  exit 2
fi

say() { echo "install-deps: $*"; }

if ! command -v apt-get >/dev/null 2>&1; then
  say "this script knows apt-get (Debian, Ubuntu) only; see its header for what to install" >&2
  exit 2
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    say "run as root or install sudo" >&2
    exit 2
  fi
fi

have() { command -v "$1" >/dev/null 2>&1; }
have_pc() { have pkg-config && pkg-config --exists "$1"; }
cmake_ok() {
  have cmake || return 1
  local v
  v=$(cmake --version | sed -n '1s/[^0-9]*\([0-9]*\.[0-9]*\).*/\1/p')
  [ "$(printf '%s\n3.25\n' "$v" | sort -V | head -n 1)" = 3.25 ]
}
clang_cmd() { echo "${RACELAB_CLANG:-clang}"; }
clang_major() { "$(clang_cmd)" -dumpversion 2>/dev/null | cut -d. -f1; }
# The same search as cmake/RacelabToolchains.cmake: beside the real clang, then -N on PATH.
symbolizer() {
  local dir
  dir=$(dirname "$(readlink -f "$(command -v "$(clang_cmd)")")")
  if [ -x "$dir/llvm-symbolizer" ]; then
    echo "$dir/llvm-symbolizer"
  else
    command -v "llvm-symbolizer-$(clang_major)" || true
  fi
}
links_tsan() { # links_tsan COMPILER: can it link a ThreadSanitizer program?
  local d rc=0
  d=$(mktemp -d)
  printf '#include <pthread.h>\nint main(void){return 0;}\n' >"$d/p.c"
  "$1" -fsanitize=thread -pthread "$d/p.c" -o "$d/p" >/dev/null 2>&1 || rc=1
  rm -rf "$d"
  return "$rc"
}

# need PACKAGE WHAT: queue a package (required ones first, so a failure names them).
required=()
optional=()
why=()
need() { required+=("$1"); }
want() {
  optional+=("$1")
  why+=("$2")
}

plan() {
  required=()
  optional=()
  why=()
  cmake_ok || need cmake
  have make || need make
  have gcc || need gcc
  have pkg-config || need pkg-config
  have_pc cmocka || need libcmocka-dev
  have_pc expat || need libexpat1-dev
  have_pc libelf || need libelf-dev
  have_pc yaml-0.1 || need libyaml-dev
  have_pc jansson || need libjansson-dev
  have_pc libcmark-gfm || need libcmark-gfm-dev
  # the table extension has no .pc of its own: its header beside cmark-gfm's says it is there
  if ! have_pc libcmark-gfm ||
    [ ! -f "$(pkg-config --variable=includedir libcmark-gfm)/cmark-gfm-core-extensions.h" ]; then
    need libcmark-gfm-extensions-dev
  fi
  if ! have valgrind || [ ! -f /usr/include/valgrind/helgrind.h ]; then
    want valgrind "the helgrind and drd cells are skipped"
  fi
  if ! have "$(clang_cmd)"; then
    want "$(basename "$(clang_cmd)")" "the tsan-clang cells are skipped"
  else
    local n
    n=$(clang_major)
    links_tsan "$(clang_cmd)" || want "libclang-rt-$n-dev" "the tsan-clang cells are skipped (no TSan runtime for clang $n)"
    [ -n "$(symbolizer)" ] || want "llvm-$n" "every tsan-clang cell is an error: clang's runtime cannot name what it reports without llvm-symbolizer"
  fi
  if [ "$with_browser" = 1 ] && ! have chromium && ! have chromium-browser; then
    want chromium "the HTML report's browser test is skipped"
  fi
}

# apt-cache's output is captured first: `apt-cache policy | grep -q` under pipefail fails
# whenever grep stops reading before apt-cache is done.
candidate() {
  local out
  out=$(apt-cache policy "$1" 2>/dev/null) || return 1
  [[ "$out" == *"Candidate: "* && "$out" != *"Candidate: (none)"* ]]
}

updated=0
declare -A tried=()
install_round() {
  plan
  [ "${#required[@]}" -gt 0 ] || [ "${#optional[@]}" -gt 0 ] || return 0
  export DEBIAN_FRONTEND=noninteractive
  if [ "$updated" = 0 ]; then
    "${sudo[@]}" apt-get update -qq
    updated=1
  fi
  local p i get=() bad=0
  for p in "${required[@]}"; do
    if candidate "$p"; then
      get+=("$p")
    else
      say "no package '$p' in this machine's apt sources, and racelab cannot be configured without it" >&2
      bad=1
    fi
  done
  [ "$bad" = 0 ] || exit 1
  for i in "${!optional[@]}"; do
    [ -z "${tried[${optional[i]}]:-}" ] || continue
    tried[${optional[i]}]=1
    if candidate "${optional[i]}"; then
      get+=("${optional[i]}")
    else
      say "no package '${optional[i]}' in this machine's apt sources: ${why[i]}" >&2
    fi
  done
  [ "${#get[@]}" -gt 0 ] || return 0
  say "installing ${get[*]}"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${get[@]}" >/dev/null
}

# Two rounds: what clang needs can only be checked once clang is there.
install_round
install_round

plan
if [ "${#required[@]}" -gt 0 ]; then
  say "still missing after installing: ${required[*]}; racelab cannot be configured" >&2
  exit 1
fi
for i in "${!optional[@]}"; do
  say "still missing: ${optional[i]}: ${why[i]}" >&2
done
if [ "${#optional[@]}" -eq 0 ]; then
  say "everything racelab uses is here (clang $(clang_major), symbolizer $(symbolizer))"
fi
