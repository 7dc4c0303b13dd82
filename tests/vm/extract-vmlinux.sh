#!/bin/sh
# extract-vmlinux.sh IMAGE OUT - pull the uncompressed ELF kernel out of a
# bzImage (such as Debian's /boot/vmlinuz-*), for qemu's PVH entry.
#
# A bzImage is a small boot stub followed by the compressed kernel.  We look
# for the magic bytes of each compressor the kernel may use, try to
# decompress from every place the magic occurs, and keep the first result
# that is an ELF file.  (The same idea as the kernel's own
# scripts/extract-vmlinux.)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 IMAGE OUT" >&2
	exit 2
fi
image=$1
out=$2
tmp=$out.tmp

# Print the byte offsets (0-based) at which the octal-escaped byte string
# $1 occurs in the image: grep -a reads the binary as text, -o -b prints the
# offset of each match.  (The magics below leave out NUL bytes, which a
# shell string cannot hold; a false match only costs one failed attempt.)
offsets() {
	# shellcheck disable=SC2059 # $1 is the format: it holds the escapes
	LC_ALL=C grep -abo "$(printf "$1")" "$image" 2>/dev/null | cut -d: -f1 || true
}

# Is $1 an ELF file?
is_elf() {
	[ "$(od -An -c -N4 "$1" 2>/dev/null | tr -d ' ')" = '177ELF' ]
}

try() { # try NAME MAGIC DECOMPRESS-COMMAND...
	name=$1 magic=$2
	shift 2
	command -v "$1" >/dev/null 2>&1 || return 1
	for off in $(offsets "$magic"); do
		tail -c +$((off + 1)) "$image" | "$@" >"$tmp" 2>/dev/null || true
		if is_elf "$tmp"; then
			mv "$tmp" "$out"
			echo "extract-vmlinux: $name kernel at offset $off -> $out" >&2
			return 0
		fi
	done
	rm -f "$tmp"
	return 1
}

try xz    '\3757zXZ'         xz -dc --single-stream ||
try zstd  '(\265/\375'       zstd -dc ||
try gzip  '\037\213\010'     gzip -dc ||
try bzip2 'BZh'              bzip2 -dc ||
try lz4   '\002!L\030'       lz4 -dc ||
{
	echo "extract-vmlinux: no compressed ELF kernel found in $image" >&2
	exit 1
}
