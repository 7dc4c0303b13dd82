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
cd "$root"

# --- directories -------------------------------------------------------------
mkdir -p bin sbin usr/bin usr/sbin usr/lib usr/share lib \
	etc proc sys dev run mnt opt srv media home root \
	var/log var/lib var/cache var/spool var/tmp tmp
chmod 0755 bin sbin usr usr/bin usr/sbin usr/lib usr/share lib etc proc sys dev \
	run mnt opt srv media home var var/log var/lib var/cache var/spool
chmod 1777 tmp var/tmp
chmod 0700 root
# /var/run is a compatibility link to /run (relative, like everything else).
[ -e var/run ] || [ -L var/run ] || ln -s ../run var/run
[ -e var/lock ] || [ -L var/lock ] || ln -s ../run/lock var/lock
mkdir -p run/lock

# --- busybox and its applets ---------------------------------------------------
# Copy to a temporary name and rename, so that a running container using the
# old binary is not disturbed ("Text file busy") when the rootfs is refreshed.
cp "$BUSYBOX" bin/.busybox.new
chmod 0755 bin/.busybox.new
mv -f bin/.busybox.new bin/busybox

# `busybox --list-full` prints each applet with its conventional directory,
# e.g. "bin/ls", "usr/sbin/chroot".  The link target is relative to that
# directory: bin/ls -> busybox, sbin/x -> ../bin/busybox,
# usr/bin/x -> ../../bin/busybox.
"$BUSYBOX" --list-full | while IFS= read -r path; do
	case $path in
	bin/busybox | "" | */) continue ;;
	bin/* | sbin/* | usr/bin/* | usr/sbin/*) ;;
	*) continue ;;            # e.g. "linuxrc": not wanted in a container
	esac
	case $path in
	bin/*) target=busybox ;;
	sbin/*) target=../bin/busybox ;;
	*) target=../../bin/busybox ;;
	esac
	# Anything already there (our link from an earlier run, or a file the
	# user put in its place) is left alone; `test` is a shell builtin, so
	# a rerun forks nothing here and takes a few milliseconds.
	if [ -L "$path" ] || [ -e "$path" ]; then
		continue
	fi
	ln -s "$target" "$path"
done

# --- /etc ------------------------------------------------------------------------
cat > etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > etc/group <<'EOF'
root:x:0:
users:x:100:user
user:x:1000:
nogroup:x:65534:
EOF
cat > etc/shadow <<'EOF'
root:*:19000:0:99999:7:::
user:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
chmod 0644 etc/passwd etc/group
chmod 0600 etc/shadow
# No /etc/hostname: contained gives every container its own UTS name.
cat > etc/hosts <<'EOF'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
EOF
cat > etc/profile <<'EOF'
# /etc/profile for a contained busybox rootfs
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ "$(id -u)" -eq 0 ]; then
	PS1='\u@\h:\w# '
else
	PS1='\u@\h:\w$ '
fi
export PS1
alias ll='ls -l'
EOF
# os-release identifies the tree as an OS root (systemd-nspawn insists on it).
cat > usr/lib/os-release <<'EOF'
NAME="contained busybox rootfs"
ID=contained-busybox
PRETTY_NAME="contained busybox rootfs"
EOF
[ -e etc/os-release ] || [ -L etc/os-release ] || ln -s ../usr/lib/os-release etc/os-release
chmod 0644 etc/hosts etc/profile usr/lib/os-release
mkdir -p home/user

# --- ownership ---------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
	# -h: change the symlinks themselves, never what they point to.
	chown -h 0:0 . bin bin/busybox etc etc/passwd etc/group etc/shadow etc/hosts etc/profile \
		usr/lib/os-release
	chown 1000:1000 home/user
	chmod 0750 home/user
else
	echo "$prog: warning: not root, $root is owned by uid $(id -u)" \
		"(use: sudo make rootfs)" >&2
fi
