#!/usr/bin/env bash
# Install what racelab needs on Debian/Ubuntu, and only what is missing. Idempotent: a
# second run installs nothing. Runs as root, or through sudo.
#
#   cmake, make, gcc, pkg-config     build
#   clang (+ its compiler-rt)        the tsan-clang flavor (gcc's TSan comes with gcc)
#   valgrind                         Helgrind and DRD (also helgrind.h, for annotations)
#   libcmocka-dev                    unit tests
#   libexpat1-dev                    Valgrind's XML
#   libelf-dev                       naming the globals DRD reports by address
#   libyaml-dev                      checking the CI workflow in ctest
#   libjansson-dev                   writing SARIF
#
# --with-browser also installs Chromium, for the test that renders the HTML report
# (without it that test is skipped, saying so).
set -euo pipefail

packages=(cmake make gcc pkg-config clang valgrind libcmocka-dev libexpat1-dev libelf-dev libyaml-dev libjansson-dev)

if [ "${1:-}" = --with-browser ]; then
  packages+=(chromium)
elif [ -n "${1:-}" ]; then
  echo "usage: ci/install-deps.sh [--with-browser]" >&2
  exit 2
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: this script knows apt-get (Debian, Ubuntu) only; install by hand: ${packages[*]}" >&2
  exit 2
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: run as root or install sudo" >&2
    exit 2
  fi
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done

# clang's ThreadSanitizer runtime ships in compiler-rt, a separate package on newer releases.
if ! installed libclang-rt-dev && [ -z "$(find /usr/lib/llvm-* -name 'libclang_rt.tsan-*' -print -quit 2>/dev/null)" ]; then
  missing+=(libclang-rt-dev)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
available=()
for p in "${missing[@]}"; do
  if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
    available+=("$p")
  else
    echo "install-deps: no package '$p' here; the tools that need it will be skipped" >&2
  fi
done
echo "install-deps: installing ${available[*]}"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${available[@]}"
