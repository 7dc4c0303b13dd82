#!/bin/sh
# busybox.sh DIR -- build a minimal busybox root filesystem in DIR.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
#
# The rootfs is one static binary (/bin/busybox from Debian's busybox-static
# package) plus a relative symlink for each applet, the usual FHS directories
# and a tiny /etc.  Nothing in it points back into the host: every link is
# relative, so it resolves the same way inside the container (after
# pivot_root) as it does from the host.
#
# Documented use:   sudo make rootfs        (i.e. sh rootfs-scripts/busybox.sh rootfs as root)
# Run as root so that the tree is owned by uid 0: contained maps the container's
# root onto the owner of the files.  Run as another user it still works, but
# the files belong to that user and a warning is printed.
#
# It is idempotent: running it again over an existing rootfs refreshes the
# binary and /etc, adds any missing applet links, and leaves other files alone.
# An existing rootfs is treated as hostile (a container has been root in it):
# no symlink in it is followed, and nothing outside it is written or chowned
# (see "the work inside the rootfs" below).  A symlink where this script
# needs a directory is refused, naming it; one where it writes a file is
# replaced by the file.

set -eu

BUSYBOX=${BUSYBOX:-/bin/busybox}
prog=busybox.sh

die() { echo "$prog: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: sh rootfs-scripts/busybox.sh DIR"
dir=$1
[ -n "$dir" ] || die "refusing an empty directory name"

if [ ! -x "$BUSYBOX" ]; then
	die "$BUSYBOX not found (package busybox-static): run rootfs-scripts/deps.sh"
fi
# Debian's plain `busybox` package is dynamically linked; it would not run in
# a rootfs that has no libc.  A static binary has no PT_INTERP program header,
# i.e. no "/lib64/ld-linux" string near the start of the file.
if head -c 4096 "$BUSYBOX" | grep -q 'ld-linux' 2>/dev/null; then
	die "$BUSYBOX is dynamically linked: install busybox-static (run rootfs-scripts/deps.sh)"
fi

[ -e "$dir" ] && [ ! -d "$dir" ] && die "$dir exists and is not a directory"
mkdir -p "$dir"
root=$(cd "$dir" && pwd -P) || die "cannot enter $dir"
[ "$root" != / ] || die "refusing to build a rootfs over /"

as_root=0
[ "$(id -u)" -eq 0 ] && as_root=1
if [ $as_root -eq 1 ]; then
	command -v unshare >/dev/null 2>&1 || die "unshare not found (util-linux)"
	command -v chroot >/dev/null 2>&1 || die "chroot not found (coreutils)"
	command -v setpriv >/dev/null 2>&1 || die "setpriv not found (util-linux)"
fi

# --- what goes in: made on the host, in a private temporary directory -------------
umask 022
tmp=''
cleanup() {
	[ -n "$tmp" ] || return 0
	# $tmp/r is the rootfs's mount point, but only in the namespace the
	# work ran in: here it must be an empty directory.  rmdir, not rm -rf,
	# so that a mount that did leak would never have the rootfs deleted.
	if [ -d "$tmp/r" ] && ! rmdir "$tmp/r"; then
		echo "$prog: $tmp/r is not empty; left $tmp alone" >&2
		return 0
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
tmp=$(mktemp -d "${TMPDIR:-/tmp}/busybox.sh.XXXXXX")
new=$tmp/new
mkdir "$new"
mkdir "$tmp/bin"
cp "$BUSYBOX" "$tmp/bin/busybox"
chmod 0755 "$tmp/bin/busybox"
# busybox sh runs some applets in-process, but others by executing itself
# through /proc/self/exe, which the chroot has not got: they are found
# through PATH=/bin instead.
for applet in cat chmod chown ln mkdir mktemp mv; do
	ln -s busybox "$tmp/bin/$applet"
done

# `busybox --list-full` prints each applet with its conventional directory,
# e.g. "bin/ls", "usr/sbin/chroot".  The link target is relative to that
# directory: bin/ls -> busybox, sbin/x -> ../bin/busybox,
# usr/bin/x -> ../../bin/busybox.  One "PATH TARGET" line per link.
"$BUSYBOX" --list-full | while IFS= read -r path; do
	case $path in
	bin/busybox | "" | */ | *" "*) continue ;;
	bin/* | sbin/* | usr/bin/* | usr/sbin/*) ;;
	*) continue ;;            # e.g. "linuxrc": not wanted in a container
	esac
	case $path in
	bin/*) target=busybox ;;
	sbin/*) target=../bin/busybox ;;
	*) target=../../bin/busybox ;;
	esac
	echo "$path $target"
done > "$new/applets"

cat > "$new/passwd" <<'END'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
END
cat > "$new/group" <<'END'
root:x:0:
users:x:100:user
user:x:1000:
nogroup:x:65534:
END
cat > "$new/shadow" <<'END'
root:*:19000:0:99999:7:::
user:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
END
# No /etc/hostname: contained gives every container its own UTS name.
# Empty: with -n, contained mounts the host's DNS configuration over it for
# the run (the file is the mount point, so nothing is written at run time).
: > "$new/resolv.conf"
cat > "$new/hosts" <<'END'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
END
cat > "$new/profile" <<'END'
# /etc/profile for a contained busybox rootfs
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ "$(id -u)" -eq 0 ]; then
	PS1='\u@\h:\w# '
else
	PS1='\u@\h:\w$ '
fi
export PS1
alias ll='ls -l'
END
# os-release identifies the tree as an OS root (systemd-nspawn insists on it).
cat > "$new/os-release" <<'END'
NAME="contained busybox rootfs"
ID=contained-busybox
PRETTY_NAME="contained busybox rootfs"
END

# --- the work inside the rootfs -----------------------------------------------------
# An existing rootfs is hostile ground: a container's root owns its files
# (the idmapped mount writes them as host root) and may have left symlinks
# anywhere, absolute (etc -> /etc) or climbing (etc -> ../../..), for this
# script to write through.  So:
#  - Nothing here follows a symlink in the rootfs.  A directory this script
#    needs that is a symlink (or not a directory) is refused, naming it; a
#    file it writes is made under a new name (mktemp: O_EXCL, which a
#    planted link makes fail) and renamed over the old one, which replaces a
#    symlink there, never what it points to; chown -h changes links, not
#    their targets.
#  - Run as root, all of it runs chrooted, so that even a container racing
#    the checks (swapping a directory for a link between test and use)
#    cannot send a write or a chown out of the rootfs.  The chroot is not
#    the rootfs itself: a binary we run from there, as host root, could be
#    swapped by a running container, and root can leave a chroot.  It is
#    $tmp, which holds this script's own copy of the static busybox and the
#    new files, with the rootfs bind-mounted at /r in a private mount
#    namespace (unshare -m) that ends with the script.  An absolute link
#    met in a race resolves into $tmp, a ".." one stops at $tmp's top;
#    what lands there is only ever this script's own data.  A link swapped
#    in between mktemp and the write can still aim the write at another
#    file of the rootfs, such as a set-user-ID program the image ships; the
#    work runs without CAP_FSETID (setpriv), so, as for the container's own
#    writes, the kernel clears the set-id bits of a file it writes.
#  - Run as another user nothing is chrooted (chroot needs root) and the
#    checks alone do the work: such a rootfs belongs to that user, not to
#    host root, so a container's root sees it as owned by nobody and can
#    plant nothing outside its sticky /tmp and /var/tmp, where nothing is
#    written here.
# Arguments: the rootfs (as the script sees it), the directory with the new
# files and the busybox copy, 1 if root, and the rootfs's name for messages.
# shellcheck disable=SC2016   # expanded by the busybox sh that runs it
work='
set -eu
cd "$1"
src=$2 as_root=$3 shown=$4
umask 022

# refuse PATH WHAT: stop, naming PATH, with what it is and what to do.
refuse() {
	echo "busybox.sh: $shown/$1 $2; busybox.sh never writes through a" \
		"symlink in a rootfs (a container may have planted it to reach" \
		"the host): remove it (rm $shown/$1, which removes the link, not" \
		"what it points to) and run busybox.sh again" >&2
	exit 1
}

# dirs DIR...: each DIR (parents first) is a real directory, made if missing.
dirs() {
	for d in "$@"; do
		if [ -L "$d" ]; then
			refuse "$d" "is a symlink, not a directory"
		elif [ -e "$d" ] && [ ! -d "$d" ]; then
			refuse "$d" "is not a directory"
		elif [ ! -d "$d" ]; then
			mkdir "$d"
		fi
	done
}

# put SOURCE DEST MODE: DEST becomes a copy of SOURCE, owned by root when
# run as root.  Written under a fresh name, then renamed over DEST: a
# running container sees the old file or the new one, never half of one, a
# binary it is running is not disturbed ("Text file busy"), and a symlink
# at DEST is replaced, not followed (mv -T: never into a directory).
put() {
	if [ -d "$2" ] && [ ! -L "$2" ]; then
		refuse "$2" "is a directory, not a file"
	fi
	t=$(mktemp "$2.XXXXXX")
	cat "$1" > "$t"
	chmod "$3" "$t"
	[ "$as_root" = 0 ] || chown -h 0:0 "$t"
	mv -f -T "$t" "$2"
}

# link TARGET NAME: a relative symlink, unless something is at NAME already
# (our link from an earlier run, or a file the user put in its place).
link() {
	[ -L "$2" ] || [ -e "$2" ] || ln -s "$1" "$2"
}

dirs bin sbin usr usr/bin usr/sbin usr/lib usr/share lib etc proc sys dev \
	run run/lock mnt opt srv media home home/user root \
	var var/log var/lib var/cache var/spool var/tmp tmp
chmod 0755 bin sbin usr usr/bin usr/sbin usr/lib usr/share lib etc proc sys dev \
	run mnt opt srv media home var var/log var/lib var/cache var/spool
chmod 1777 tmp var/tmp
chmod 0700 root
# /var/run is a compatibility link to /run (relative, like everything else).
link ../run var/run
link ../run/lock var/lock

put "$src/bin/busybox" bin/busybox 0755
# `[` is a shell builtin: a rerun forks nothing here.
while read -r path target; do
	link "$target" "$path"
done < "$src/new/applets"

put "$src/new/passwd" etc/passwd 0644
put "$src/new/group" etc/group 0644
put "$src/new/shadow" etc/shadow 0600
put "$src/new/hosts" etc/hosts 0644
[ -e etc/resolv.conf ] || [ -L etc/resolv.conf ] || put "$src/new/resolv.conf" etc/resolv.conf 0644
put "$src/new/profile" etc/profile 0644
put "$src/new/os-release" usr/lib/os-release 0644
link ../usr/lib/os-release etc/os-release

if [ "$as_root" = 1 ]; then
	# -h: change the symlinks themselves, never what they point to.
	chown -h 0:0 . bin etc
	chown -h 1000:1000 home/user
	chmod 0750 home/user
fi
'

if [ $as_root -eq 1 ]; then
	mkdir "$tmp/r"
	# shellcheck disable=SC2016   # expanded by the sh in the new namespace
	unshare --mount --propagation private sh -c '
		mount --bind "$1" "$2/r" || exit 1
		exec setpriv --bounding-set -fsetid \
			chroot "$2" /bin/busybox env PATH=/bin /bin/busybox sh -c "$3" sh /r "" 1 "$1"' \
		sh "$root" "$tmp" "$work" || exit 1
else
	"$tmp/bin/busybox" sh -c "$work" sh "$root" "$tmp" 0 "$root" || exit 1
	echo "$prog: warning: not root, $root is owned by uid $(id -u)" \
		"(use: sudo make rootfs)" >&2
fi
