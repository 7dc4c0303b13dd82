#!/bin/sh
# deps.sh [--test] [--bench] -- install what contained's build, rootfs and
# tests need.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
#
#   sh rootfs-scripts/deps.sh && sudo make all rootfs      to try it
#   sh rootfs-scripts/deps.sh --test && sudo make check    to run the tests
#   sh rootfs-scripts/deps.sh --bench && sudo make bench   to compare with the peers
#
# Debian and Ubuntu: installs the packages with apt-get (via sudo when not run
# as root).  When every package is already installed it does not touch apt at
# all and returns at once.  Fedora and Arch: prints the command to run.
#
# Why each package is needed.  Always (build contained and its busybox rootfs):
#   build-essential pkg-config      compiler, make, libc headers and static libc
#   libseccomp-dev libcap-dev       contained links against libseccomp and libcap
#   libjson-c-dev                   contained-oci (Part II) reads config.json with json-c
#   busybox-static                  the rootfs (rootfs-scripts/busybox.sh)
#   util-linux                      unshare, which busybox.sh runs
#   sudo                            the documented commands are `sudo make ...`
# With --test, what `make check` needs on top:
#   check                           the C unit and integration tests (tests/*.c)
#   clang                           check-build compiles contained.c with clang too
#   iproute2 procps iputils-ping    ip, ps, ping ... used by the tests and the labs
#   nftables                        nft: check-network compares the ruleset
#                                   before and after -n (contained itself
#                                   speaks netlink and needs no library)
#   qemu-system-x86 linux-image-*   check-vm boots a kernel with cgroup v2 in qemu
#                                   (the kernel image is large: only --test gets it)
#   cpio                            packs the VM's initramfs
#   debootstrap e2fsprogs           check-systemd builds its Debian guest's disk
#                                   (debootstrap, then mkfs.ext4 -d)
#   tmux strace                     interactive and syscall-trace tests
#   containerd                      contained-oci is run as containerd's runtime (ctr)
#   docker.io                       ... and as a runtime of dockerd (docker run
#                                   --runtime=contained); the tests start their
#                                   own containerd and dockerd, so no service of
#                                   either package is started by the install
# With --bench, the peers `make bench` compares against:
#   hyperfine crun runc bubblewrap time (GNU time, for peak RSS)
#   systemd-container               systemd-nspawn
# A new test's packages go in the three test lists below (Debian, Fedora,
# Arch) and get a line in the --test table above.

set -eu
prog=deps.sh

test=0 bench=0
for arg in "$@"; do
	case $arg in
	--test) test=1 ;;
	--bench) bench=1 ;;
	-h | --help)
		echo "usage: sh rootfs-scripts/deps.sh [--test] [--bench]"
		echo "  installs the packages needed to build contained and its busybox rootfs"
		echo "  --test   also what 'sudo make check' needs (qemu, a kernel image, clang ...)"
		echo "  --bench  also the peers compared by 'sudo make bench'"
		exit 0 ;;
	*) echo "$prog: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
	esac
done

# --- which distribution? --------------------------------------------------------
os_id=unknown os_like=
if [ -r /etc/os-release ]; then
	# shellcheck disable=SC1091
	os_id=$(. /etc/os-release && echo "${ID:-unknown}")
	# shellcheck disable=SC1091
	os_like=$(. /etc/os-release && echo "${ID_LIKE:-}")
fi
family=
case " $os_id $os_like " in
*" debian "* | *" ubuntu "*) family=debian ;;
*" fedora "* | *" rhel "* | *" centos "*) family=fedora ;;
*" arch "*) family=arch ;;
esac
if [ -z "$family" ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
	family=debian
fi

# --- the package lists: build (always), --test, --bench --------------------------
case $family in
fedora)
	build_pkgs="gcc make pkgconf-pkg-config libseccomp-devel libcap-devel json-c-devel glibc-static libseccomp-static libcap-static busybox util-linux sudo"
	test_pkgs="check-devel clang iproute iputils procps-ng nftables qemu-system-x86 kernel-core cpio debootstrap e2fsprogs tmux strace containerd moby-engine"
	bench_pkgs="hyperfine crun runc bubblewrap time systemd-container" ;;
arch)
	build_pkgs="base-devel pkgconf libseccomp libcap json-c busybox util-linux sudo"
	test_pkgs="check clang iproute2 iputils procps-ng nftables qemu-system-x86 linux cpio debootstrap e2fsprogs tmux strace containerd docker"
	bench_pkgs="hyperfine crun runc bubblewrap time" ;;
debian)
	# The kernel metapackage differs: Debian names it after the
	# architecture, Ubuntu has one generic one.
	case " $os_id $os_like " in
	*" ubuntu "*) kernel=linux-image-generic ;;
	*) kernel=linux-image-$(dpkg --print-architecture) ;;
	esac
	build_pkgs="build-essential pkg-config libseccomp-dev libcap-dev libjson-c-dev busybox-static util-linux sudo"
	test_pkgs="check clang iproute2 iputils-ping procps nftables qemu-system-x86 $kernel cpio debootstrap e2fsprogs tmux strace containerd docker.io"
	bench_pkgs="hyperfine crun runc bubblewrap time systemd-container" ;;
*)
	echo "$prog: unsupported distribution '$os_id' (need Debian/Ubuntu, or see README for Fedora/Arch)" >&2
	exit 1 ;;
esac
pkgs=$build_pkgs
[ $test -eq 1 ] && pkgs="$pkgs $test_pkgs"
[ $bench -eq 1 ] && pkgs="$pkgs $bench_pkgs"

case $family in
fedora)
	echo "$prog: this script installs packages on Debian/Ubuntu only. On $os_id run:" >&2
	echo "  sudo dnf install -y $pkgs" >&2
	echo "(check that 'busybox' is statically linked: file /usr/sbin/busybox; if not, set BUSYBOX=... for busybox.sh)" >&2
	exit 1 ;;
arch)
	echo "$prog: this script installs packages on Debian/Ubuntu only. On $os_id run:" >&2
	echo "  sudo pacman -S --needed $pkgs" >&2
	echo "(check that 'busybox' is statically linked: file /usr/bin/busybox; if not, set BUSYBOX=... for busybox.sh)" >&2
	exit 1 ;;
esac

# --- fast path: everything installed already? ----------------------------------
# db:Status-Abbrev is "ii " for an installed package; anything else (not
# installed, half-configured, unknown name) means apt has work to do.
missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $st in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -z "$missing" ]; then
	echo "$prog: all packages already installed"
	exit 0
fi
echo "$prog: installing:$missing"

# --- run apt-get, as root ----------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
	asroot=
elif command -v sudo >/dev/null 2>&1; then
	asroot=sudo
else
	echo "$prog: not root and sudo is not installed; run this script as root" >&2
	exit 1
fi

# `env` carries DEBIAN_FRONTEND through sudo, which would otherwise drop it.
apt() {
	$asroot env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

apt update || { echo "$prog: apt-get update failed" >&2; exit 1; }

# No service is started by the install.  containerd's and docker.io's
# maintainer scripts would start the system's daemons, and a system dockerd
# adds a docker0 bridge and iptables rules to the host; the tests need
# neither, they start daemons of their own.  Debian's invoke-rc.d and
# deb-systemd-invoke ask /usr/sbin/policy-rc.d first, and exit status 101
# means "action forbidden" (README.policy-rc.d in init-system-helpers's docs).
# A policy-rc.d already there is the administrator's and is left alone; a
# temporary one of ours is removed on every way out.  The services stay
# installed as the packages set them up (enabled, on a systemd host, for
# the next boot).
policy=/usr/sbin/policy-rc.d
our_policy=0
remove_policy() {
	if [ $our_policy -eq 1 ]; then
		$asroot rm -f "$policy"
		our_policy=0
	fi
}
trap remove_policy EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
if [ ! -e "$policy" ] && [ ! -L "$policy" ]; then
	printf '#!/bin/sh\n# temporary, from contained'"'"'s deps.sh: no service starts during its install\nexit 101\n' |
		$asroot sh -c "cat > $policy.contained && chmod 755 $policy.contained && mv $policy.contained $policy" ||
		{ echo "$prog: cannot write $policy" >&2; exit 1; }
	our_policy=1
fi
# The system's dockerd writes /run/docker.pid (the tests' own write theirs
# elsewhere).
had_system_dockerd=$([ -e /run/docker.pid ] && echo yes || echo no)
# shellcheck disable=SC2086   # $missing is a list of words on purpose
apt install -y --no-install-recommends $missing || {
	echo "$prog: apt-get install failed" >&2
	exit 1
}
remove_policy

# A system dockerd that started all the same (a policy-rc.d of the
# administrator's that allows it): stop it, and remove the bridge it made.
if [ "$had_system_dockerd" = no ] && [ -e /run/docker.pid ]; then
	echo "$prog: the docker.io package started the system's dockerd; stopping it (the tests start their own)." >&2
	echo "$prog: the iptables chains it added (DOCKER, DOCKER-USER, DOCKER-ISOLATION-*) stay in the ruleset" >&2
	if [ -d /run/systemd/system ]; then
		$asroot systemctl stop docker.socket docker.service || true
	else
		$asroot invoke-rc.d --force docker stop || true
	fi
	if ip link show docker0 >/dev/null 2>&1; then
		$asroot ip link delete docker0 || true
	fi
fi

# Check the result rather than trusting apt's exit status alone.
still=
for p in $missing; do
	case $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true) in
	ii*) ;;
	*) still="$still $p" ;;
	esac
done
if [ -n "$still" ]; then
	echo "$prog: still not installed:$still" >&2
	exit 1
fi
echo "$prog: done"
