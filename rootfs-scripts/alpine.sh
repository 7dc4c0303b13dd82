#!/bin/sh
# alpine.sh TARBALL DIR -- an Alpine Linux rootfs from a minirootfs tarball.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
#
# Alpine publishes each release's root filesystem as a small tarball (about
# 3 MB: musl, busybox, apk).  This script does not download it; run it with
# no arguments to see the commands that do, then:
#
#   sudo sh rootfs-scripts/alpine.sh alpine-minirootfs-3.20.3-x86_64.tar.gz roots/alpine
#   sudo ./contained -m roots/alpine -u 0 -c /bin/sh
#
# The tarball is a plain filesystem tar, so image.sh does the unpacking (in a
# chroot, keeping owners and modes).  ALPINE_VERSION=3.20.3 by default.

set -eu
prog=alpine.sh
here=$(dirname "$0")

version=${ALPINE_VERSION:-3.20.3}
branch=v${version%.*}                    # 3.20.3 -> v3.20
# Alpine names architectures after uname -m, except 32-bit ARM and x86.
case $(uname -m) in
armv7l) arch=armv7 ;;
armv6l) arch=armhf ;;
i?86) arch=x86 ;;
*) arch=$(uname -m) ;;
esac
file=alpine-minirootfs-$version-$arch.tar.gz
url=https://dl-cdn.alpinelinux.org/alpine/$branch/releases/$arch/$file

if [ $# -ne 2 ]; then
	cat >&2 <<EOF
usage: sudo sh rootfs-scripts/alpine.sh TARBALL DIR

Download the tarball (and its checksum) first:

  curl -fLO $url
  curl -fLO $url.sha256
  sha256sum -c $file.sha256

then:

  sudo sh rootfs-scripts/alpine.sh $file roots/alpine
  sudo ./contained -m roots/alpine -u 0 -c /bin/sh
EOF
	exit 2
fi

[ -f "$1" ] || { echo "$prog: $1: no such file (run with no arguments for the download command)" >&2; exit 1; }
exec sh "$here/image.sh" "$1" "$2"
