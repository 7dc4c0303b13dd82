#!/bin/sh
# debian.sh DIR [SUITE] -- build a minimal Debian root filesystem in DIR.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
#
#   sudo sh rootfs-scripts/debian.sh roots/debian        # the host's release
#   sudo sh rootfs-scripts/debian.sh roots/debian trixie # another suite
#   sudo ./contained -m roots/debian -u 0 -c /bin/bash
#   sh rootfs-scripts/debian.sh --print-mirror [SUITE]   # only show the mirror
#
# debootstrap --variant=minbase installs the Essential packages plus apt:
# bash, coreutils, dpkg, apt...: about 30 MB downloaded, 175 MB on disk, under
# a minute on a fast link (python3 adds about 45 MB on disk).
# SUITE defaults to the host's VERSION_CODENAME (bookworm on Debian 12).
#
# The mirror is not written in this file: it is the one the host's apt already
# uses, so the script works behind a local mirror or a proxy exactly when apt
# does.  apt-config names the source files (normally /etc/apt/sources.list and
# /etc/apt/sources.list.d/*.list in the one-line format, *.sources in the
# deb822 format); the first enabled `deb` entry that lists SUITE wins, so
# bookworm-security, bookworm-updates and third-party repositories are passed
# over.  For a suite the host does not use (trixie on a bookworm host) the
# host's own main mirror is used, since a Debian mirror carries every suite.
# A keyring named by the entry's Signed-By is handed to debootstrap, and so is
# apt's HTTP proxy.
#
# Environment:
#   MIRROR=URL              use this mirror, ignoring apt's configuration
#   INCLUDE=pkg,pkg         extra packages, e.g. INCLUDE=python3
#   DEBOOTSTRAP_CACHE=DIR   keep the downloaded .debs in DIR (an absolute
#                           path) so that a second build downloads only the
#                           package lists
#
# debootstrap itself is installed with apt-get when it is missing.

set -eu
prog=debian.sh

die() { echo "$prog: $*" >&2; exit 1; }
usage() {
	echo "usage: sudo sh rootfs-scripts/debian.sh DIR [SUITE]"
	echo "       sh rootfs-scripts/debian.sh --print-mirror [SUITE]"
}

# --- the host's release -------------------------------------------------------------
host_codename=
if [ -r /etc/os-release ]; then
	# shellcheck disable=SC1091
	host_codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
fi

# --- the host's apt sources --------------------------------------------------------------
# Prints one line per enabled `deb` source with a usable URI:
#     URI <tab> SUITE SUITE... <tab> SIGNED-BY
# in the order apt reads them: sources.list, then sources.list.d/ by name.
apt_sources() {
	list=/etc/apt/sources.list parts=/etc/apt/sources.list.d
	if command -v apt-config >/dev/null 2>&1; then
		# Honours Dir::Etc::sourcelist and friends (and APT_CONFIG).
		# The output is shell assignments with quoted values.
		eval "$(apt-config shell list Dir::Etc::sourcelist/f parts Dir::Etc::sourceparts/d)"
	fi
	set --
	[ -f "$list" ] && set -- "$list"
	# One glob, so the .list and .sources files come in one sorted order;
	# apt ignores other names (foo.list.disabled, foo.save...).
	for f in "${parts%/}"/*; do
		case $f in
		*.list | *.sources) [ -f "$f" ] && set -- "$@" "$f" ;;
		esac
	done
	[ $# -gt 0 ] || return 0
	awk '
	# emit: print a source if it is a binary ("deb") one with a URI that
	# debootstrap can fetch from (mirror+file: and cdrom: it cannot).
	function emit(types, uris, suites, signed, enabled,    t, u) {
		if (tolower(enabled) == "no" || tolower(enabled) == "false")
			return
		if ((" " types " ") !~ / deb /)
			return
		split(uris, u, " ")
		if (u[1] !~ /^(https?|ftp):\/\// && u[1] !~ /^file:\//)
			return
		printf "%s\t%s\t%s\n", u[1], suites, signed
	}
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function flush() {
		if (in_par)
			emit(f["types"], f["uris"], f["suites"], f["signed-by"], f["enabled"])
		in_par = 0; key = ""
		split("", f)
	}

	FNR == 1 { flush() }

	# deb822 (*.sources): paragraphs of "Field: value" lines separated by
	# blank lines; a line starting with white space continues the field
	# above it (Signed-By can hold a whole key that way).
	FILENAME ~ /\.sources$/ {
		if ($0 ~ /^#/) next
		if ($0 ~ /^[ \t]*$/) { flush(); next }
		if ($0 ~ /^[ \t]/) {
			if (key != "") f[key] = f[key] " " trim($0)
			next
		}
		i = index($0, ":")
		if (i == 0) next
		key = tolower(substr($0, 1, i - 1))
		f[key] = trim(substr($0, i + 1))
		in_par = 1
		next
	}

	# One-line format: deb [ opt=val ... ] URI SUITE [COMPONENT...]
	{
		line = $0
		sub(/#.*/, "", line)
		if (line !~ /^[ \t]*deb[ \t]/) next
		sub(/^[ \t]*deb[ \t]+/, "", line)
		opts = ""
		if (substr(line, 1, 1) == "[") {
			i = index(line, "]")
			if (i == 0) next
			opts = " " substr(line, 2, i - 2) " "
			line = substr(line, i + 1)
		}
		n = split(line, w, " ")
		if (n < 2) next
		signed = ""; enabled = ""
		if (match(opts, /[ \t]signed-by=[^ \t]+/))
			signed = substr(opts, RSTART + 11, RLENGTH - 11)
		if (match(opts, /[ \t]enabled=[^ \t]+/))
			enabled = substr(opts, RSTART + 9, RLENGTH - 9)
		emit("deb", w[1], w[2], signed, enabled)
	}

	END { flush() }
	' "$@"
}

# pick_source SUITE: the first source line that lists SUITE exactly.
pick_source() {
	printf '%s\n' "$sources" | awk -F '\t' -v want="$1" '
	{ n = split($2, s, " "); for (i = 1; i <= n; i++) if (s[i] == want) { print; exit } }'
}

# --- arguments -----------------------------------------------------------------------
print_mirror=0
case ${1:-} in
--print-mirror) print_mirror=1; shift ;;
-h | --help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
if [ $print_mirror -eq 1 ]; then
	[ $# -le 1 ] || { usage >&2; exit 2; }
	suite=${1:-$host_codename}
else
	if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage >&2; exit 2; fi
	dir=$1
	suite=${2:-$host_codename}
	[ -n "$dir" ] || die "refusing an empty directory name"
fi
[ -n "$suite" ] || die "the host's /etc/os-release has no VERSION_CODENAME: name a SUITE (e.g. bookworm)"

# --- the mirror ------------------------------------------------------------------------
keyring=
if [ -n "${MIRROR:-}" ]; then
	mirror=$MIRROR
else
	sources=$(apt_sources)
	line=$(pick_source "$suite")
	# Not a suite the host uses: the host's own main mirror has it too.
	if [ -z "$line" ] && [ -n "$host_codename" ]; then
		line=$(pick_source "$host_codename")
	fi
	[ -n "$line" ] || die "no 'deb' entry for $suite in the host's apt sources;" \
		"set MIRROR to the URL of a Debian mirror (MIRROR=http://HOST/debian)"
	mirror=$(printf '%s\n' "$line" | cut -f1)
	signed=$(printf '%s\n' "$line" | cut -f3)
	# Signed-By is a keyring file, a fingerprint or an inline key; only
	# the first can be passed on.
	case $signed in
	/*) [ -f "$signed" ] && keyring=$signed ;;
	esac
fi

if [ $print_mirror -eq 1 ]; then
	echo "$mirror"
	exit 0
fi

# --- preconditions -----------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "debootstrap must run as root: sudo sh rootfs-scripts/debian.sh $*"

if ! command -v debootstrap >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 ||
		die "debootstrap is not installed (and there is no apt-get to install it)"
	echo "$prog: installing debootstrap with apt-get"
	# A stale package list is the usual reason for a failed install.
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap ||
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends debootstrap; } ||
		die "could not install debootstrap: apt-get install debootstrap"
fi

[ -e "$dir" ] && [ ! -d "$dir" ] && die "$dir exists and is not a directory"
mkdir -p "$dir"
root=$(cd "$dir" && pwd -P) || die "cannot enter $dir"
[ "$root" != / ] || die "refusing to build a rootfs over /"
# debootstrap over an old tree would mix two systems; start from nothing.
[ -z "$(ls -A "$root")" ] || die "$root is not empty: remove it first (rm -rf $root)"

# apt's proxy, unless the caller set one already.  debootstrap downloads
# with wget, which reads http_proxy from the environment.
if [ -z "${http_proxy:-}" ] && command -v apt-config >/dev/null 2>&1; then
	apt_proxy=
	eval "$(apt-config shell apt_proxy Acquire::http::Proxy)"
	case $apt_proxy in
	http://* | https://*) http_proxy=$apt_proxy; export http_proxy ;;
	esac
fi

# --- debootstrap ------------------------------------------------------------------------
set -- --variant=minbase
[ -n "${INCLUDE:-}" ] && set -- "$@" --include="$INCLUDE"
[ -n "$keyring" ] && set -- "$@" --keyring="$keyring"
if [ -n "${DEBOOTSTRAP_CACHE:-}" ]; then
	case $DEBOOTSTRAP_CACHE in
	/*) mkdir -p "$DEBOOTSTRAP_CACHE" ;;
	*) die "DEBOOTSTRAP_CACHE must be an absolute path" ;;
	esac
	set -- "$@" --cache-dir="$DEBOOTSTRAP_CACHE"
fi
echo "$prog: debootstrap $* $suite $root $mirror"
if ! debootstrap "$@" "$suite" "$root" "$mirror"; then
	# debootstrap unmounts its /proc and /sys on the way out, so the
	# half-built tree can simply be deleted.
	log=$root/debootstrap/debootstrap.log
	[ -f "$log" ] && echo "$prog: see $log" >&2
	die "debootstrap failed; remove $root before trying again"
fi

# --- fitting it for contained -----------------------------------------------------------
# The host's /etc/hostname comes along with debootstrap; contained gives each
# container its own UTS name, and a stale file would only mislead.
rm -f "$root/etc/hostname"
# The downloaded .debs are installed now; they only take up space.
rm -f "$root"/var/cache/apt/archives/*.deb
echo "$prog: $suite from $mirror is in $root"
echo "$prog: try: sudo ./contained -m $dir -u 0 -c /bin/bash"
