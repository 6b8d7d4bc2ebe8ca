#!/usr/bin/env bash
# A fresh machine, made on this one: the README's quick start as a new user meets it.
#
#   ci/clean-room.sh SUITE [COMMAND]
#
# Makes a minimal Debian root of SUITE (bookworm = Debian 12, trixie = Debian 13) with
# debootstrap, clones this repository's HEAD into /root/racelab inside it, and runs the
# quick-start commands there, copied from README.md's "Quick start" block, each one as
# root, in a clean environment (no variable of this shell reaches it). With COMMAND, runs
# that instead (in the clone's top folder), for example `bash` to look around.
#
# Prints each command's exit status, time and last lines; the whole output of each is kept
# in build/clean-room/SUITE/. Exit status: 0 when every command exited 0, 1 when one did
# not, 2 when the clean room itself could not be made (the message says why).
#
# Needs root, debootstrap (installed with apt-get when missing) and the Debian archive.
# The minbase root is made once per suite and kept as a tarball in $RACELAB_CACHE
# (default /var/cache/racelab); RACELAB_CLEAN_ROOM_REFRESH=1 makes it again. Downloaded
# packages are kept there too, so a second run does not download them again; nothing
# installed is kept: every run starts from the minbase root. Each command runs in its own
# PID namespace (unshare), so two rooms may run side by side: neither sees the other's
# processes, and nothing a command leaves running outlives it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

die() {
  echo "clean-room: $*" >&2
  exit 2
}

suite=${1:-}
[ -n "$suite" ] && [[ "$suite" != -* ]] || die "usage: ci/clean-room.sh SUITE [COMMAND]   (SUITE: bookworm, trixie, ...)"
shift
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts)"
command -v git >/dev/null || die "needs git, to clone HEAD into the root"

if ! command -v debootstrap >/dev/null; then
  echo "clean-room: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } ||
    die "debootstrap is not installed and apt-get could not install it"
fi
[ -e "/usr/share/debootstrap/scripts/$suite" ] || die "this debootstrap does not know the suite '$suite'"

# The same Debian archive this machine's apt uses.
mirror=${RACELAB_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi

# The commands, exactly as the README gives them.
commands=()
if [ "$#" -gt 0 ]; then
  commands=("$*")
else
  while IFS= read -r line; do
    [ -n "$line" ] && commands+=("$line")
  done < <(awk '/^## Quick start/ { s = 1; next }
                s && /^## / { exit }
                s && /^```/ { if (f) exit; f = 1; next }
                f { print }' "$top/README.md")
  [ "${#commands[@]}" -gt 0 ] || die "README.md has no code block under '## Quick start'"
fi

cache=${RACELAB_CACHE:-/var/cache/racelab}
mkdir -p "$cache/apt-$suite"
tarball="$cache/$suite-minbase.tar"

# One minbase root per suite, made under a lock so that two clean rooms never make it twice.
make_tarball() {
  local tmp
  tmp=$(mktemp -d /var/tmp/racelab-debootstrap.XXXXXX)
  echo "clean-room: making a minbase $suite root from $mirror (about a minute; kept in $tarball)"
  if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1; then
    tail -n 5 "$cache/debootstrap-$suite.log" >&2
    rm -rf --one-file-system "$tmp"
    die "debootstrap $suite failed (log: $cache/debootstrap-$suite.log)"
  fi
  tar --numeric-owner -C "$tmp" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf --one-file-system "$tmp"
}
exec 9>"$cache/$suite.lock"
flock 9
if [ ! -s "$tarball" ] || [ "${RACELAB_CLEAN_ROOM_REFRESH:-0}" = 1 ]; then
  make_tarball
fi
flock -u 9

root=$(mktemp -d /var/tmp/racelab-clean-room-"$suite".XXXXXX)
chmod 755 "$root" # it is / inside: every user there (apt's _apt) must reach it
mounted=()
room=""
cleanup() {
  local pid
  # unshare ignores SIGINT and SIGTERM while it waits; killed, it takes its namespace (and
  # every process in it) along.
  [ -z "$room" ] || kill -KILL "$room" 2>/dev/null || true
  # Whatever the commands left running inside the root goes first, so the mounts are free.
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "${pid#/proc/}" 2>/dev/null
  done
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  # Never delete through a mount that is still there (/dev is the host's).
  if grep -q " $root/" /proc/mounts; then
    echo "clean-room: $root still has mounts; left in place" >&2
  else
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tar --numeric-owner -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Package scripts must not start services in the root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

mnt() { # mnt TARGET mount-args...: mount, and remember it for cleanup
  local target=$1
  shift
  mount "$@" "$target" || die "cannot mount $target: chroot needs /proc, /sys and /dev"
  mounted+=("$target")
}
mnt "$root/proc" -t proc proc
mnt "$root/sys" -t sysfs sysfs
mnt "$root/dev" --bind /dev
mnt "$root/dev/pts" --bind /dev/pts
# Packages downloaded by earlier runs are lent to this one (hard links, so a second clean
# room of the same suite can run at the same time: apt locks its archive folder), and the
# ones it downloads are kept for the next.
archives="$root/var/cache/apt/archives"
for deb in "$cache/apt-$suite"/*.deb; do
  [ ! -e "$deb" ] || ln -f "$deb" "$archives/" 2>/dev/null || cp -f "$deb" "$archives/" || true
done
# apt downloads as its own user, as on a real machine.
mkdir -p "$archives/partial" "$root/var/lib/apt/lists/partial"
chroot "$root" chown _apt:root /var/cache/apt/archives/partial /var/lib/apt/lists/partial 2>/dev/null || true

head=$(git -C "$top" rev-parse HEAD)
dest="$root/root/racelab"
git clone --quiet --no-checkout "$top" "$dest"
git -C "$dest" fetch --quiet "$top" HEAD
git -C "$dest" checkout --quiet --detach FETCH_HEAD

logs="$top/build/clean-room/$suite"
rm -rf "$logs"
mkdir -p "$logs"
release=$(cat "$root/etc/debian_version")
echo "clean-room: Debian $release ($suite), racelab ${head:0:12}, logs in ${logs#"$top"/}/"

status=0
n=0
summary=()
for cmd in "${commands[@]}"; do
  n=$((n + 1))
  log="$logs/$n.log"
  echo "clean-room: [$n] $cmd"
  start=$SECONDS
  rc=0
  # Each command runs in its own PID namespace with its own /proc: it sees only its own
  # processes (a fault test that counts leftovers is not fooled by another room or by the
  # host), and whatever it leaves running dies with it. It runs in the background so that
  # an INT or TERM sent to this script is handled at once (bash runs traps only between
  # commands, and `wait` is one): cleanup then kills the room.
  unshare --pid --fork --kill-child --mount-proc="$root/proc" \
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/racelab && $cmd" </dev/null >"$log" 2>&1 &
  room=$!
  wait "$room" || rc=$?
  room=""
  secs=$((SECONDS - start))
  echo "----- [$n] last lines of: $cmd"
  tail -n 25 "$log"
  echo "----- [$n] exit $rc after ${secs}s: $cmd"
  summary+=("[$n] exit $rc, ${secs}s: $cmd")
  [ "$rc" -eq 0 ] || status=1
done

for deb in "$archives"/*.deb; do
  kept="$cache/apt-$suite/${deb##*/}"
  [ ! -e "$deb" ] || [ -e "$kept" ] || ln "$deb" "$kept" 2>/dev/null || cp "$deb" "$kept" || true
done
echo "clean-room $suite (Debian $release):"
printf '  %s\n' "${summary[@]}"
exit "$status"
