#!/bin/sh
# run.sh CONTAINED - run the cgroup tests of contained on a real cgroup v2
# host: Debian's kernel under qemu (TCG, no KVM needed), with a busybox
# initramfs whose /init (tests/vm/init) mounts cgroup2, runs tests/limits.sh
# and a smoke check, and reports through the second serial port.
#
#     sh tests/vm/run.sh ./contained
#
# CONTAINED must be statically linked: the initramfs has no shared libraries.
# Everything is built under tests/build/vm/.  The test output is printed and
# the exit status is the tests' (1 if any failed), or 2 if the VM could not
# be built or never reported a result.
#
# Environment: KERNEL (default: the newest /boot/vmlinuz-*), VM_TIMEOUT
# (seconds, default 240), QEMU (default qemu-system-x86_64).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

die() {
	echo "vm: $*" >&2
	exit 2
}

[ $# -eq 1 ] || die "usage: $0 CONTAINED-STATIC"
top=$(cd "$(dirname "$0")/../.." && pwd)
contained=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$top"

build=tests/build/vm
QEMU=${QEMU:-qemu-system-x86_64}
VM_TIMEOUT=${VM_TIMEOUT:-240}
KERNEL=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}

[ -x "$contained" ] || die "$1: no such executable (make)"
if command -v file >/dev/null && file -L "$contained" | grep -q 'dynamically linked'; then
	die "$1 is dynamically linked; the VM needs a static build"
fi
{ [ -n "$KERNEL" ] && [ -r "$KERNEL" ]; } || die "no kernel in /boot (apt-get install linux-image-amd64)"
command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install qemu-system-x86)"
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"
busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
if command -v file >/dev/null && file -L "$busybox" | grep -q 'dynamically linked'; then
	die "$busybox is not static (apt-get install busybox-static)"
fi
[ -d tests/build/probes ] || die "no tests/build/probes (make tests/build/probes.stamp)"
mkdir -p "$build"

# 1. The kernel.  qemu boots an uncompressed ELF vmlinux through its PVH
# entry point, skipping the bzImage's real-mode setup and self-decompression
# (slow under TCG).  If that extraction fails we boot the bzImage itself.
vmlinux=$build/vmlinux
if [ ! -s "$vmlinux" ] || [ -n "$(find "$KERNEL" -newer "$vmlinux")" ]; then
	rm -f "$vmlinux"
	sh tests/vm/extract-vmlinux.sh "$KERNEL" "$vmlinux" ||
		echo "vm: cannot extract vmlinux, booting the bzImage" >&2
fi
[ -s "$vmlinux" ] || vmlinux=$KERNEL

# 2. The initramfs: busybox, /init, the launcher, the test rootfs (busybox
# rootfs plus the static probes at /probes) and the test script.
stage=$build/initramfs
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
mknod -m 600 "$stage/dev/console" c 5 1
cp tests/vm/init "$stage/init"
cp tests/limits.sh "$stage/limits.sh"
cp tests/tap.sh "$stage/tap.sh"
cp "$contained" "$stage/contained"
${CC:-cc} -O2 -Wall -Wextra -Werror -static -o "$stage/without-clone3" tests/vm/without-clone3.c ||
	die "cannot compile tests/vm/without-clone3.c"
chmod 755 "$stage/init" "$stage/contained"
sh rootfs-scripts/busybox.sh "$stage/rootfs" >"$build/rootfs.log" 2>&1 || {
	cat "$build/rootfs.log" >&2
	die "rootfs-scripts/busybox.sh failed"
}
mkdir -p "$stage/rootfs/probes"
cp tests/build/probes/* "$stage/rootfs/probes/"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$build/initramfs.cpio" ||
	die "cpio failed"

# 3. Boot.  ttyS0 carries the kernel's console, ttyS1 the test output; both
# go to files so that they cannot interleave.  panic=-1 and -no-reboot make
# qemu exit if init dies; the timeout catches a hung guest.
console=$build/console.log
result=$build/result.log
rm -f "$console" "$result"
echo "vm: booting $(basename "$KERNEL") ($(basename "$vmlinux")) under $QEMU, TCG" >&2
start=$(date +%s)
qstatus=0
timeout -k 10 "$VM_TIMEOUT" "$QEMU" \
	-nodefaults -no-user-config \
	-machine pc,accel=tcg -smp 2 -m 1G \
	-display none -no-reboot \
	-kernel "$vmlinux" -initrd "$build/initramfs.cpio" \
	-append "console=ttyS0 panic=-1 quiet" \
	-serial "file:$console" -serial "file:$result" \
	</dev/null || qstatus=$?
end=$(date +%s)

# 4. Report.
echo "vm: qemu exited with $qstatus after $((end - start))s" >&2
[ -f "$result" ] || : >"$result"
tr -d '\r' <"$result" | grep -v '^contained-vm-exit ' || true
last=$(tr -d '\r' <"$result" | grep '^contained-vm-exit ' | tail -n 1 | cut -d' ' -f2)
case $last in
0|1)
	exit "$last"
	;;
*)
	if [ "$qstatus" = 124 ] || [ "$qstatus" = 137 ]; then
		echo "vm: FAILED: the VM did not finish within ${VM_TIMEOUT}s" >&2
	else
		echo "vm: FAILED: the VM exited without reporting a result" >&2
	fi
	echo "vm: last lines of the kernel console ($console):" >&2
	tr -d '\r' <"$console" | tail -n 30 | sed 's/^/vm:   /' >&2
	exit 2
	;;
esac
