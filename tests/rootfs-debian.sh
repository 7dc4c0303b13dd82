#!/bin/sh
# rootfs-debian.sh CONTAINED - build a Debian rootfs with rootfs-scripts/
# debian.sh, for real, and run bash, apt-get and python3 in it.
#
#     sudo sh tests/rootfs-debian.sh ./contained
#
# Needs the network to the Debian mirror of the host's apt configuration:
# debootstrap downloads about 40 MB (minbase plus python3) and the result
# is about 220 MB; about a minute and a half on a fast link.
# DEBOOTSTRAP_CACHE=/abs/dir is passed on: a rerun then downloads only the
# package lists (it takes about as long: unpacking is most of the time).
# The rootfs is built in tests/build/rootfs-debian and removed when every
# check passes.
#
# POSIX sh.  Prints "ok - NAME" or "not ok - NAME" (with "#" lines saying
# why) per check, then "N passed, N failed"; exits 1 if any check failed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 CONTAINED" >&2
	exit 2
fi
C=$1
if [ "$(id -u)" != 0 ]; then
	echo "rootfs-debian.sh: must run as root (debootstrap and contained need it)" >&2
	exit 2
fi
if [ ! -x "$C" ]; then
	echo "rootfs-debian.sh: $C is not executable" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
R=$top/tests/build/rootfs-debian
rm -rf "$R" "$R.log"
mkdir -p "$top/tests/build"

. "$top/tests/tap.sh"

# --- build ----------------------------------------------------------------------------
start=$(date +%s)
INCLUDE=python3 sh "$top/rootfs-scripts/debian.sh" "$R" > "$R.log" 2>&1
st=$?
echo "# debian.sh took $(($(date +%s) - start)) s; its output is in $R.log"
if [ $st -ne 0 ]; then
	fail "debian.sh builds a rootfs" "exit status $st" "$(tail -n 5 "$R.log")"
	summary
	exit 1
fi
pass "debian.sh builds a rootfs"

mirror=$(sh "$top/rootfs-scripts/debian.sh" --print-mirror)
if grep -q "^deb $mirror " "$R/etc/apt/sources.list" 2>/dev/null; then
	pass "the rootfs uses the host's mirror ($mirror)"
else
	fail "the rootfs uses the host's mirror ($mirror)" "$(cat "$R/etc/apt/sources.list" 2>&1)"
fi
if [ -e "$R/etc/hostname" ]; then
	fail "no /etc/hostname copied from the host"
else
	pass "no /etc/hostname copied from the host"
fi

# --- run ------------------------------------------------------------------------------
# in_debian NAME EXPECTED UID COMMAND...: the first line COMMAND prints in
# the container must be EXPECTED (a shell pattern).
in_debian() {
	name=$1 want=$2 uid=$3
	shift 3
	out=$("$C" -m "$R" -u "$uid" -c "$@" 2> "$R.err")
	st=$?
	first=$(printf '%s\n' "$out" | head -n 1)
	# shellcheck disable=SC2254   # $want is a pattern on purpose
	case $first in
	$want)
		if [ $st -eq 0 ]; then pass "$name"; return; fi ;;
	esac
	fail "$name" "exit status $st, first line '$first'" "$(tail -n 3 "$R.err")"
}
in_debian "bash -c 'echo ok'" ok 0 /bin/bash -c 'echo ok'
in_debian "apt-get --version" "apt [0-9]*" 0 /usr/bin/apt-get --version
in_debian "python3 -c 'print(1)'" 1 0 /usr/bin/python3 -c 'print(1)'
in_debian "dpkg knows its packages" "ii  bash *" 0 /bin/sh -c 'dpkg -l bash | tail -n 1'
in_debian "a non-root user (-u 1000) runs bash" 1000 1000 /bin/bash -c 'id -u'
in_debian "root can install files (/etc owned by container root)" written 0 \
	/bin/bash -c 'echo x > /etc/contained-test && rm /etc/contained-test && echo written'

if summary; then
	rm -rf "$R" "$R.err"
	exit 0
fi
exit 1
