#!/bin/sh
# image.sh IMG KVER - build the Debian 12 guest of the systemd VM test
# (tests/systemd-vm/run.sh) into the ext4 image IMG, for the host's kernel
# KVER (booted from /boot; its modules are copied in).
#
# run.sh calls this only when no image exists for the current recipe: this
# file, the guest files it installs (boot.sh, contained-check.service),
# rootfs-scripts/debian.sh and KVER.  Everything is built aside (IMG.tree,
# IMG.part) and IMG appears only when complete, so an interrupted build
# leaves no half image behind.
#
# The guest is the kind of host contained's users have: debootstrap minbase
# plus systemd as PID 1, udev and dbus, from the mirror the host's apt
# uses (rootfs-scripts/debian.sh picks it); an ordinary user `user` with a
# 0700 home and passwordless sudo.  A unit runs the test when it boots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

die() {
	echo "systemd-vm: image: $*" >&2
	exit 2
}

[ $# -eq 2 ] || die "usage: $0 IMG KVER"
img=$1
kver=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, file owners)"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 not found (apt-get install e2fsprogs)"
[ -d "/lib/modules/$kver" ] || die "no /lib/modules/$kver"

case $img in
/*) ;;
*) img=$(pwd)/$img ;;
esac
tree=$img.tree
part=$img.part
# The .debs are kept, so that a rebuild after a recipe change downloads
# only the package lists.
cache=$(dirname "$img")/debs

# Unmount whatever debootstrap or a chroot left mounted in the tree, then
# remove it without ever crossing into another file system.
remove_tree() {
	[ -e "$tree" ] || return 0
	findmnt -rno TARGET | grep -F "$tree/" | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$tree"
}
cleanup() {
	remove_tree
	rm -f "$part"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
cleanup

# --- 1. debootstrap -----------------------------------------------------------
# systemd-sysv makes systemd PID 1; udev, dbus and kmod are what a booted
# Debian host has; iproute2, procps and util-linux give ip, ps/pgrep and
# findmnt/runuser to the checks; sudo is how users run contained; make and
# busybox-static let the checks run the README's `sudo make all rootfs` (no
# compiler: run.sh brings contained built, newer than contained.c);
# apparmor is what Debian installs by default: apparmor_parser loads the
# checks' own confining profile, and dockerd's docker-default.
INCLUDE=systemd-sysv,udev,dbus,kmod,iproute2,procps,util-linux,sudo,make,busybox-static,apparmor \
	DEBOOTSTRAP_CACHE=$cache sh "$top/rootfs-scripts/debian.sh" "$tree" bookworm ||
	die "debootstrap failed"

# --- 2. the host it pretends to be ------------------------------------------------
hostname=contained-guest
echo "$hostname" >"$tree/etc/hostname"
cat >"$tree/etc/hosts" <<HOSTS
127.0.0.1	localhost
127.0.1.1	$hostname
::1	localhost ip6-localhost ip6-loopback
HOSTS
# The root file system is /dev/vda (root= on the kernel command line mounts
# it rw); no fsck: every run boots a throw-away copy (qemu snapshot=on).
echo "/dev/vda / ext4 rw,errors=remount-ro 0 0" >"$tree/etc/fstab"
# A fixed machine id: an empty one would make every boot a "first boot"
# (presets applied, systemd-firstboot and friends).
tr -d '-' </proc/sys/kernel/random/uuid >"$tree/etc/machine-id"

# The ordinary user, with a home only they can enter, and sudo without a
# password (a drop-in, as an administrator would add it).
chroot "$tree" useradd --create-home --shell /bin/bash user
chmod 0700 "$tree/home/user"
echo "user ALL=(ALL:ALL) NOPASSWD: ALL" >"$tree/etc/sudoers.d/user"
chmod 0440 "$tree/etc/sudoers.d/user"

# Timers (apt-daily, logrotate, e2scrub, fstrim, dpkg-db-backup...) would
# start jobs at random moments of a run and show up in its process list.
rm -f "$tree"/etc/systemd/system/timers.target.wants/*

# The host kernel's modules, without the hardware drivers a virtio VM never
# loads (about 90 MB instead of 400), indexed for this subset.
mods=/lib/modules/$kver
dest=$tree/lib/modules/$kver
mkdir -p "$dest/kernel/drivers"
cp -a "$mods"/modules.order "$mods"/modules.builtin* "$dest/"
for d in "$mods"/kernel/*; do
	[ "${d##*/}" = drivers ] || [ "${d##*/}" = sound ] || cp -a "$d" "$dest/kernel/"
done
for d in block char input net/virtio_net.ko* virtio; do
	for f in "$mods"/kernel/drivers/$d; do
		[ -e "$f" ] || continue
		mkdir -p "$dest/kernel/drivers/$(dirname "$d")"
		cp -a "$f" "$dest/kernel/drivers/$(dirname "$d")/"
	done
done
depmod -b "$tree" "$kver" || die "depmod failed"

# --- 3. the test hook ------------------------------------------------------------
# boot.sh mounts the run's second disk (the launcher, a rootfs and the
# checks: run.sh makes it fresh each time), runs the checks and powers off.
install -m 0755 "$here/boot.sh" "$tree/usr/local/sbin/contained-check-boot"
install -m 0644 "$here/contained-check.service" "$tree/etc/systemd/system/contained-check.service"
mkdir -p "$tree/etc/systemd/system/multi-user.target.wants"
ln -s ../contained-check.service "$tree/etc/systemd/system/multi-user.target.wants/contained-check.service"

# --- 4. the image ---------------------------------------------------------------
# 2 GB, sparse: the tree takes about 400 MB, the rest is room for the run.
mkfs.ext4 -q -F -L contained-guest -d "$tree" "$part" 2G || die "mkfs.ext4 failed"
mv -f "$part" "$img"
echo "systemd-vm: image: $img is built"
