#!/bin/sh
# image.sh TARBALL DIR -- unpack a container image tarball into DIR as a rootfs.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
#
#   sudo sh rootfs-scripts/image.sh debian.tar roots/debian-image
#   sudo ./contained -m roots/debian-image -u 0 -c /bin/sh
#
# Three kinds of tarball are recognised by what they contain, whatever their
# name, compressed (gzip, zstd, xz, bzip2) or not:
#
#  - `docker save` output: manifest.json lists the layer files in order.
#  - an OCI image layout (skopeo copy ... oci-archive:, buildah, newer docker
#    save): index.json and oci-layout point, by sha256 digest, to a manifest
#    in blobs/sha256/ that lists the layers; an index for several platforms
#    is narrowed to this machine's architecture.  Every blob's digest is
#    checked.
#  - anything else is a plain filesystem tar: `docker export` output, or a
#    distribution's minirootfs (see alpine.sh).
#
# An image is a stack of layers, each a tar of what changed.  They are applied
# in order, bottom first.  A layer deletes what lies below it with
# "whiteouts", empty marker files (the convention comes from aufs):
#   dir/.wh.NAME        NAME no longer exists
#   dir/.wh..wh..opq    dir is opaque: nothing from the lower layers remains
#                       in it, only what this layer puts there
# So for each layer: first the deletions it asks for, then its files, then
# the marker files themselves are removed.  Where a layer changes the type of
# a path (a directory becomes a symlink, a symlink a directory), the lower
# one is removed first, as a union filesystem would show it.
#
# Why a chroot.  A layer is untrusted data, and tar follows symlinks already
# on disk: were a lower layer to hold `etc -> /etc`, a later layer's
# etc/passwd, extracted by the host's tar, would land in the host's /etc.
# So everything that writes into DIR runs chrooted into DIR, where /etc is
# DIR/etc and ".." stops at DIR: a copy of the static busybox (already needed
# by busybox.sh) does the extracting and deleting.  contained itself needs
# pivot_root because it runs untrusted programs; for one trusted program
# (busybox tar) that only has to resolve paths inside DIR, chroot suffices.
#
# Needs: root (the files belong to many owners), chroot, tar, od, dd, awk,
# sha256sum, busybox-static, and gzip/zstd/xz/bzip2 for compressed layers.
# No python, no jq: the JSON files are read by a small awk parser below.

set -eu
umask 022
prog=image.sh
BUSYBOX=${BUSYBOX:-/bin/busybox}

die() { echo "$prog: $*" >&2; exit 1; }
usage() { echo "usage: sudo sh rootfs-scripts/image.sh TARBALL DIR"; }

case ${1:-} in
-h | --help) usage; exit 0 ;;
esac
[ $# -eq 2 ] || { usage >&2; exit 2; }
tarball=$1
dir=$2

# --- preconditions -------------------------------------------------------------------
[ -f "$tarball" ] || die "$tarball: no such file"
[ -n "$dir" ] || die "refusing an empty directory name"
[ "$(id -u)" -eq 0 ] ||
	die "must run as root (files keep their owners; layers are unpacked in a chroot): sudo sh rootfs-scripts/image.sh $*"
command -v chroot >/dev/null 2>&1 || die "chroot not found (coreutils)"
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found (package busybox-static): run rootfs-scripts/deps.sh"
# The copy must run inside DIR, which has no libraries of ours: it must be
# static (the same test as busybox.sh).
if head -c 4096 "$BUSYBOX" | grep -q 'ld-linux' 2>/dev/null; then
	die "$BUSYBOX is dynamically linked: install busybox-static (run rootfs-scripts/deps.sh)"
fi

[ -e "$dir" ] && [ ! -d "$dir" ] && die "$dir exists and is not a directory"
created=0
[ -d "$dir" ] || created=1
mkdir -p "$dir"
root=$(cd "$dir" && pwd -P) || die "cannot enter $dir"
[ "$root" != / ] || die "refusing to unpack over /"
# Layers describe changes to the layers below them, never to whatever
# happens to be in DIR: start from nothing.
[ -z "$(ls -A "$root")" ] || die "$root is not empty: remove it first (rm -rf $root)"

# On failure, a directory made here and still empty goes; a half-unpacked
# one is left for the user to look at.
tmp='' helper=''
cleanup() {
	status=$?
	rm -rf ${tmp:+"$tmp"} ${helper:+"$helper"}
	[ $status -eq 0 ] && return
	if [ -n "$(ls -A "$root")" ]; then
		echo "$prog: $root is incomplete: remove it (rm -rf $root)" >&2
	elif [ $created -eq 1 ]; then
		rmdir "$root"
	fi
}
trap cleanup EXIT
tmp=$(mktemp -d "${TMPDIR:-/tmp}/image.sh.XXXXXX")
# The busybox used inside the chroot, under a name no layer can predict.
helper=$(mktemp -d "$root/.image-sh.XXXXXX")
helper_in_root=/${helper##*/}
cp "$BUSYBOX" "$helper/busybox"
chmod 0755 "$helper" "$helper/busybox"
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# in_root CMD ARG...: run a busybox applet chrooted into the rootfs.
in_root() { chroot "$root" "$helper_in_root/busybox" "$@"; }

# --- compression ---------------------------------------------------------------------
# compression_of: name the compression of the stream on stdin from its first
# bytes (gzip 1f 8b, zstd 28 b5 2f fd, xz fd 37 7a 58 5a 00, bzip2 "BZh").
# bs=1: a pipe may hand over fewer than six bytes in one read.
compression_of() {
	magic=$(dd bs=1 count=6 2>/dev/null | od -An -tx1 | tr -d ' \n')
	case $magic in
	1f8b*) echo gzip ;;
	28b52ffd*) echo zstd ;;
	fd377a585a00) echo xz ;;
	425a68*) echo bzip2 ;;
	*) echo cat ;;
	esac
}

# decompressor NAME: the command that turns such a stream into a plain tar.
decompressor() {
	[ "$1" = cat ] && { echo cat; return; }
	command -v "$1" >/dev/null 2>&1 || die "$1 is needed to read this image (apt-get install $1)"
	echo "$1 -dc"
}

# --- the image tarball itself ----------------------------------------------------------
outer_unpack=$(decompressor "$(compression_of < "$tarball")")

# outer_tar TAR-OPTIONS...: run tar on the (decompressed) image tarball.
outer_tar() {
	if [ "$outer_unpack" = cat ]; then
		tar -f "$tarball" "$@"          # a file: tar can seek past members
	else
		$outer_unpack < "$tarball" | tar -f - "$@"
	fi
}

outer_tar -t > "$tmp/members" || die "$tarball is not a tar archive"

# member_name NAME: the name NAME has in the tarball, where it may be stored
# as "NAME" or "./NAME".
member_name() {
	awk -v want="$1" '{ n = $0; sub(/^\.\//, "", n) } n == want { print; found = 1; exit }
		END { exit !found }' "$tmp/members"
}
has_member() { member_name "$1" >/dev/null; }

# member NAME: write member NAME of the tarball to stdout.
member() {
	name=$(member_name "$1") || die "$tarball has no $1"
	outer_tar -x -O -- "$name"
}

# --- a small JSON reader ------------------------------------------------------------------
# json_flat: read a JSON document on stdin and print each scalar in it on a
# line of its own, as its path, a tab, and its value:
#     [{"Config":"c.json","Layers":["a/layer.tar","b/layer.tar"]}]
# becomes
#     /0/Config	c.json
#     /0/Layers/0	a/layer.tar
#     /0/Layers/1	b/layer.tar
# Strings lose their quotes; \" \\ and \/ are decoded, other escapes (\n, \t,
# \u00e9) are left as written, so a value always stays on its one line.
# Image manifests are small: reading one character at a time is fine.
json_flat() {
	awk '
	{ doc = doc $0 "\n" }
	END {
		pos = 1; len = length(doc)
		value("")
		skip_space()
		if (pos <= len) fail("text after the end")
	}
	function fail(why) {
		printf "image.sh: bad JSON: %s at byte %d\n", why, pos > "/dev/stderr"
		exit 1
	}
	function skip_space() {
		while (pos <= len && index(" \t\r\n", substr(doc, pos, 1)))
			pos++
	}
	function value(path,    c) {
		skip_space()
		c = substr(doc, pos, 1)
		if (c == "{") object(path)
		else if (c == "[") array(path)
		else if (c == "\"") print path "\t" string()
		else if (match(substr(doc, pos, 64), /^(true|false|null|-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/)) {
			print path "\t" substr(doc, pos, RLENGTH)
			pos += RLENGTH
		} else fail("unexpected \"" c "\"")
	}
	function object(path,    key, c) {
		pos++                                   # the {
		skip_space()
		if (substr(doc, pos, 1) == "}") { pos++; return }
		for (;;) {
			skip_space()
			if (substr(doc, pos, 1) != "\"") fail("expected a key")
			key = string()
			skip_space()
			if (substr(doc, pos++, 1) != ":") fail("expected :")
			value(path "/" key)
			skip_space()
			c = substr(doc, pos++, 1)
			if (c == "}") return
			if (c != ",") fail("expected , or }")
		}
	}
	function array(path,    i, c) {
		pos++                                   # the [
		skip_space()
		if (substr(doc, pos, 1) == "]") { pos++; return }
		for (i = 0; ; i++) {
			value(path "/" i)
			skip_space()
			c = substr(doc, pos++, 1)
			if (c == "]") return
			if (c != ",") fail("expected , or ]")
		}
	}
	function string(    s, c) {
		pos++                                   # the opening quote
		s = ""
		for (;;) {
			if (pos > len) fail("unterminated string")
			c = substr(doc, pos++, 1)
			if (c == "\"") return s
			if (c == "\\") {
				c = substr(doc, pos++, 1)
				if (c != "\"" && c != "\\" && c != "/") c = "\\" c
			}
			s = s c
		}
	}'
}

# json_get FLAT PATH: the value at PATH in a flattened document.
json_get() {
	awk -v want="$2" '{ i = index($0, "\t") }
		substr($0, 1, i - 1) == want { print substr($0, i + 1); exit }' "$1"
}

# json_list FLAT PREFIX [FIELD]: the values of array PREFIX, in order: the
# elements themselves (/0/Layers/N), or one field of each (/layers/N/digest).
json_list() {
	awk -v prefix="$2" -v field="${3:-}" '{ i = index($0, "\t"); p = substr($0, 1, i - 1) }
		substr(p, 1, length(prefix) + 1) == prefix "/" {
			rest = substr(p, length(prefix) + 2)
			if (field == "" && rest ~ /^[0-9]+$/ || field != "" && rest ~ ("^[0-9]+/" field "$"))
				print substr($0, i + 1)
		}' "$1"
}

# --- blobs, by digest ----------------------------------------------------------------
# blob_path DIGEST: blobs/ALG/HEX, after checking that the digest has the
# form it must have (it becomes part of a path).
blob_path() {
	printf '%s\n' "$1" | grep -Eqx 'sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}' ||
		die "bad digest '$1' in the image"
	echo "blobs/${1%%:*}/${1#*:}"
}

# verify_blob PATH: check that the blob's content has the digest its name says.
verify_blob() {
	alg=${1#blobs/}; alg=${alg%%/*}
	want=${1##*/}
	got=$(member "$1" | "${alg}sum" | cut -d' ' -f1)
	[ "$got" = "$want" ] || die "$1: content does not match its digest (got $alg:$got): corrupt image"
}

# Docker and OCI name machines by Go's GOARCH, not by uname -m.
case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
armv*) arch=arm ;;
i?86) arch=386 ;;
*) arch=$(uname -m) ;;                   # ppc64le, s390x, riscv64: the same
esac

# pick_manifest FLAT: from an OCI index (or a docker manifest list), the
# digest of the first image for linux on this architecture.  An entry with
# no platform (the usual single image in index.json) fits any machine;
# entries such as buildx's attestations (platform unknown/unknown) do not.
pick_manifest() {
	awk -v arch="$arch" '{ i = index($0, "\t"); p = substr($0, 1, i - 1); v = substr($0, i + 1) }
		p ~ /^\/manifests\/[0-9]+\/digest$/ { split(p, f, "/"); digest[f[3]] = v }
		p ~ /^\/manifests\/[0-9]+\/platform\/architecture$/ { split(p, f, "/"); a[f[3]] = v }
		p ~ /^\/manifests\/[0-9]+\/platform\/os$/ { split(p, f, "/"); os[f[3]] = v }
		END {
			for (n = 0; n in digest; n++)
				if ((!(n in a) || a[n] == arch) && (!(n in os) || os[n] == "linux")) {
					print digest[n]
					exit
				}
			exit 1
		}' "$1"
}

# --- applying one layer -----------------------------------------------------------------
# The deletions, run chrooted by busybox sh.  Each line on stdin is an
# operation and an absolute path:
#   w PATH   a whiteout: PATH goes (a file, or a whole tree)
#   o PATH   PATH is opaque: everything inside it goes
#   d PATH   the layer has a directory PATH: a non-directory there goes
#   f PATH   the layer has a non-directory PATH: a directory there goes
# $1 is the helper's directory, which an opaque / must not take with it.
# shellcheck disable=SC2016   # expanded by the chrooted busybox sh
delete_script='
helper=$1
while IFS= read -r line; do
	op=${line%% *}
	path=${line#? }
	case $op in
	w)
		rm -rf "$path" ;;
	o)
		if [ -L "$path" ] || [ ! -d "$path" ]; then
			rm -f "$path"
			continue
		fi
		for f in "$path"/* "$path"/.[!.]* "$path"/..?*; do
			if [ "$f" = "$helper" ] || [ "$f" = "/$helper" ]; then continue; fi
			if [ -e "$f" ] || [ -L "$f" ]; then rm -rf "$f"; fi
		done ;;
	d)
		if [ -L "$path" ] || { [ -e "$path" ] && [ ! -d "$path" ]; }; then rm -f "$path"; fi ;;
	f)
		if [ -d "$path" ] && [ ! -L "$path" ]; then rm -rf "$path"; fi ;;
	esac
done
'

# apply_layer LABEL WHITEOUTS COMMAND...: COMMAND writes one layer, perhaps
# compressed, to stdout; unpack it into the rootfs.  WHITEOUTS is 1 for an
# image layer, 0 for a plain filesystem tar, where ".wh." names mean nothing.
apply_layer() {
	label=$1 whiteouts=$2
	shift 2
	unpack=$(decompressor "$("$@" 2>/dev/null | compression_of)")
	echo "$prog: applying $label"

	# Plan the deletions from the names in the layer.  Directories are the
	# names that end in "/", as every image builder (docker, buildkit,
	# GNU tar, Go, Python) stores them.
	"$@" | $unpack | "$BUSYBOX" tar -t -f - > "$tmp/names"
	awk -v whiteouts="$whiteouts" -v markers="$tmp/markers" '
	{
		name = $0
		sub(/^(\.\/|\/)+/, "", name)
		if (name == "" || name == ".") next
		is_dir = name ~ /\/$/
		sub(/\/+$/, "", name)
		base = name
		sub(/.*\//, "", base)
		parent = substr(name, 1, length(name) - length(base))
		if (whiteouts && substr(base, 1, 4) == ".wh.") {
			print "/" name > markers
			if (base == ".wh..wh..opq")
				print "o /" parent
			else if (substr(base, 1, 8) != ".wh..wh." && length(base) > 4)
				print "w /" parent substr(base, 5)
			# Other .wh..wh. names are aufs bookkeeping: markers only.
			next
		}
		print (is_dir ? "d /" : "f /") name
	}' "$tmp/names" > "$tmp/plan"
	[ -f "$tmp/markers" ] || : > "$tmp/markers"

	in_root sh -c "$delete_script" sh "$helper_in_root" < "$tmp/plan"
	"$@" | $unpack | in_root tar -x --numeric-owner -f - ||
		die "unpacking $label failed"
	# shellcheck disable=SC2016
	in_root sh -c 'while IFS= read -r p; do rm -f "$p"; done' < "$tmp/markers"
	rm -f "$tmp/markers"
}

# apply_members LIST: apply the tarball's members named in file LIST, in order.
apply_members() {
	total=$(wc -l < "$1")
	[ "$total" -gt 0 ] || die "the image lists no layers"
	n=0
	while IFS= read -r layer; do
		n=$((n + 1))
		case /$layer/ in
		*/../*) die "layer path '$layer' leaves the image" ;;
		esac
		has_member "$layer" || die "$tarball has no $layer"
		case $layer in
		blobs/sha256/* | blobs/sha512/*) verify_blob "$layer" ;;
		esac
		apply_layer "layer $n/$total ($layer)" 1 member "$layer"
	done < "$1"
}

# --- which kind of tarball? ---------------------------------------------------------------
config=
if has_member manifest.json; then
	kind="docker save"
	member manifest.json | json_flat > "$tmp/manifest" || die "cannot read manifest.json"
	[ -n "$(json_get "$tmp/manifest" /1/Config)" ] &&
		echo "$prog: the tarball holds several images; using the first," \
			"$(json_get "$tmp/manifest" /0/RepoTags/0)"
	json_list "$tmp/manifest" /0/Layers | sed 's|^\./||' > "$tmp/layers"
	config=$(json_get "$tmp/manifest" /0/Config)
elif has_member index.json && has_member oci-layout; then
	kind="OCI image layout"
	member index.json | json_flat > "$tmp/index" || die "cannot read index.json"
	flat=$tmp/index
	# index.json may point at a manifest, or at an index of manifests (one
	# per platform), which may itself point at ... : follow a few levels.
	for level in 1 2 3 4 5; do
		digest=$(pick_manifest "$flat") || die "no image for linux/$arch in $tarball"
		path=$(blob_path "$digest")
		verify_blob "$path"
		member "$path" | json_flat > "$tmp/manifest.$level" || die "cannot read $path"
		flat=$tmp/manifest.$level
		if [ -n "$(json_list "$flat" /layers digest | head -n 1)" ]; then
			break
		fi
		[ -n "$(json_list "$flat" /manifests digest | head -n 1)" ] ||
			die "$path is neither an image manifest nor an index"
		[ "$level" -lt 5 ] || die "indexes nested too deep in $tarball"
	done
	json_list "$flat" /layers digest > "$tmp/digests"
	while IFS= read -r digest; do blob_path "$digest"; done < "$tmp/digests" > "$tmp/layers"
	config_digest=$(json_get "$flat" /config/digest)
	[ -n "$config_digest" ] && config=$(blob_path "$config_digest")
elif has_member repositories; then
	die "$tarball is in the docker save format of Docker before 1.10, which has no manifest.json"
else
	kind="filesystem tar"
fi
echo "$prog: $tarball: $kind"

# --- unpacking ---------------------------------------------------------------------------
if [ "$kind" = "filesystem tar" ]; then
	apply_layer "$tarball" 0 cat "$tarball"
else
	apply_members "$tmp/layers"
fi

# The runtime, not the image, provides /proc, /sys and /dev: images built
# FROM scratch may lack the mount points contained needs.
for d in proc sys dev; do
	[ -e "$root/$d" ] || [ -L "$root/$d" ] || mkdir -m 0755 "$root/$d"
done
chown 0:0 "$root"
chmod 0755 "$root"

# The image's own command, as a hint (contained does not read image configs).
cmd=
if [ -n "$config" ] && has_member "$config"; then
	member "$config" | json_flat > "$tmp/config" 2>/dev/null || : > "$tmp/config"
	cmd=$( { json_list "$tmp/config" /config/Entrypoint; json_list "$tmp/config" /config/Cmd; } | tr '\n' ' ')
fi
[ -n "$cmd" ] || cmd=/bin/sh
echo "$prog: done; try: sudo ./contained -m $dir -u 0 -c ${cmd% }"
