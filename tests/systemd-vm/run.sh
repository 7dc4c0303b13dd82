#!/bin/sh
# run.sh CONTAINED - run contained on a real systemd host: a Debian 12 guest
# (systemd as PID 1, / a shared mount, cgroup2 managed by systemd, an
# ordinary user with a 0700 home and sudo) booted with the host's kernel
# under qemu (TCG, no KVM needed).  The checks are tests/systemd-vm/checks.sh.
#
#     sudo sh tests/systemd-vm/run.sh ./contained      (make check-systemd)
#
# The guest's disk image is built once (tests/systemd-vm/image.sh:
# debootstrap from the mirror the host's apt uses, about a minute) and kept
# as tests/build/systemd-vm/guest-HASH.img, HASH naming its recipe; it is
# rebuilt only when the recipe changes.  Each run boots it with qemu's
# snapshot=on, so the image itself is never written, and gives the guest a
# second, fresh disk holding the checkout's files with the CONTAINED given
# here (statically linked), the probes and the checks.  Nothing is compiled
# in the guest (it has no compiler; under TCG a build would take minutes):
# the guest's `sudo make all rootfs` finds contained up to date and builds
# only the busybox rootfs.
#
# The test output is printed; the exit status is the checks' (1 if any
# failed), or 2 if the VM could not be built or never reported a result (a
# crash, a hang).  The guest's console is kept in tests/build/systemd-vm/.
#
# Environment: KERNEL (default: the newest /boot/vmlinuz-*, with its
# initrd.img), VM_TIMEOUT (seconds, default 1800), QEMU.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

die() {
	echo "systemd-vm: $*" >&2
	exit 2
}

[ $# -eq 1 ] || die "usage: $0 CONTAINED-STATIC"
top=$(cd "$(dirname "$0")/../.." && pwd)
contained=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$top"

build=$top/tests/build/systemd-vm
QEMU=${QEMU:-qemu-system-x86_64}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
KERNEL=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, mkfs.ext4 -d with file owners)"
[ -x "$contained" ] || die "$1: no such executable (make)"
if command -v file >/dev/null && file -L "$contained" | grep -q 'dynamically linked'; then
	die "$1 is dynamically linked; the guest needs a static build (make)"
fi
{ [ -n "$KERNEL" ] && [ -r "$KERNEL" ]; } || die "no kernel in /boot (apt-get install linux-image-amd64)"
kver=${KERNEL##*/vmlinuz-}
initrd=/boot/initrd.img-$kver
[ -r "$initrd" ] || die "no $initrd: Debian's kernel needs its initrd (virtio_blk and ext4 are modules)"
command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install qemu-system-x86)"
command -v debootstrap >/dev/null || die "debootstrap not found (sh rootfs-scripts/deps.sh)"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 not found (sh rootfs-scripts/deps.sh)"
[ -d tests/build/probes ] || die "no tests/build/probes (make tests/build/probes.stamp)"
mkdir -p "$build"

# Per-run files, removed on every way out; qemu is stopped first.
run=$(mktemp -d "$build/run.XXXXXX")
qpid=
cleanup() {
	if [ -n "$qpid" ]; then
		kill "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
	fi
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# 1. The guest image, built only when its recipe changed.
hash=$(cat tests/systemd-vm/image.sh tests/systemd-vm/boot.sh \
	tests/systemd-vm/contained-check.service rootfs-scripts/debian.sh |
	{ cat; echo "$kver"; } | sha256sum | cut -c1-16)
img=$build/guest-$hash.img
if [ ! -f "$img" ]; then
	echo "systemd-vm: building the guest image (debootstrap, about a minute)" >&2
	start=$(date +%s)
	sh tests/systemd-vm/image.sh "$img" "$kver" >"$build/image.log" 2>&1 || {
		tail -n 30 "$build/image.log" >&2
		die "building the guest image failed (log: $build/image.log)"
	}
	echo "systemd-vm: image built in $(($(date +%s) - start))s" >&2
	for old in "$build"/guest-*.img; do
		[ "$old" = "$img" ] || rm -f "$old"
	done
fi

# 2. This run's disk: the files of the checkout (git ls-files) with the
# launcher built, the probes for the limit checks, and the checks.
stage=$run/disk
mkdir -p "$stage/tree" "$stage/probes"
if files=$(git ls-files 2>/dev/null) && [ -n "$files" ]; then
	printf '%s\n' "$files" | while IFS= read -r f; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done | tar -cf - -T - | tar -xf - -C "$stage/tree" || die "cannot copy the checkout"
else
	cp -R README.md LICENSE Makefile contained.c rootfs-scripts "$stage/tree/"
fi
cp "$contained" "$stage/tree/contained"
chmod 755 "$stage/tree/contained"
# `make all` builds Part II's runtime too: bring it along built, likewise
oci=$(dirname "$contained")/contained-oci
[ -x "$oci" ] || die "$oci: no such executable (make)"
cp "$oci" "$stage/tree/contained-oci"
chmod 755 "$stage/tree/contained-oci"
cp tests/build/probes/* "$stage/probes/"
# Debian's containerd, its runc shim, ctr, dockerd, docker and runc, for
# Part II's checks under containerd and Docker (the guest is the same Debian
# release, with the libraries they link).  runc is there because dockerd
# does not start without one in its PATH (see tests/oci_docker.sh); the
# client is Debian's /usr/bin/docker, the one that matches its dockerd, as
# on the host.  Compressed: the guest unpacks this disk into its /run, a
# small tmpfs.
mkdir -p "$stage/bin"
for b in containerd containerd-shim-runc-v2 ctr dockerd /usr/bin/docker runc; do
	p=$(command -v "$b") && gzip -1 -c "$p" >"$stage/bin/${b##*/}.gz"
done
cp tests/systemd-vm/checks.sh tests/systemd-vm/oci-checks.sh tests/tap.sh "$stage/"
mkfs.ext4 -q -F -L contained-run -d "$stage" "$run/disk.img" 256M || die "mkfs.ext4 failed"

# 3. Boot.  ttyS0 is the kernel's and systemd's console, ttyS1 the checks'
# output.  panic=-1 and -no-reboot make qemu exit if the guest dies; the
# timeout catches a hung one.
console=$build/console.log
result=$build/result.log
rm -f "$console" "$result"
echo "systemd-vm: booting Debian 12 with systemd, kernel $kver, under $QEMU (TCG)" >&2
start=$(date +%s)
timeout -k 10 "$VM_TIMEOUT" "$QEMU" \
	-nodefaults -no-user-config \
	-machine pc,accel=tcg -cpu max -smp 2 -m 2G \
	-display none -no-reboot \
	-kernel "$KERNEL" -initrd "$initrd" \
	-append "root=/dev/vda rw console=ttyS0 panic=-1 quiet" \
	-drive "file=$img,format=raw,if=virtio,snapshot=on" \
	-drive "file=$run/disk.img,format=raw,if=virtio,readonly=on" \
	-serial "file:$console" -serial "file:$result" \
	</dev/null &
qpid=$!
qstatus=0
wait "$qpid" || qstatus=$?
qpid=
end=$(date +%s)

# 4. Report.
echo "systemd-vm: qemu exited with $qstatus after $((end - start))s" >&2
[ -f "$result" ] || : >"$result"
tr -d '\r' <"$result" | grep -v '^contained-systemd-exit ' || true
last=$(tr -d '\r' <"$result" | grep '^contained-systemd-exit ' | tail -n 1 | cut -d' ' -f2)
summary=$(tr -d '\r' <"$result" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
case $last in
0 | 1)
	[ -n "$summary" ] || die "FAILED: the checks ended without their summary line"
	exit "$last"
	;;
*)
	if [ "$qstatus" = 124 ] || [ "$qstatus" = 137 ]; then
		echo "systemd-vm: FAILED: the VM did not finish within ${VM_TIMEOUT}s" >&2
	elif [ -n "$last" ]; then
		echo "systemd-vm: FAILED: the checks could not run (status $last)" >&2
	else
		echo "systemd-vm: FAILED: the VM stopped without reporting a result (a crash?)" >&2
	fi
	echo "systemd-vm: last lines of the guest's console ($console):" >&2
	tr -d '\r' <"$console" | tail -n 30 | sed 's/^/systemd-vm:   /' >&2
	exit 2
	;;
esac
