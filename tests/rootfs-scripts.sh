#!/bin/sh
# rootfs-scripts.sh CONTAINED - tests for rootfs-scripts/image.sh, alpine.sh,
# busybox.sh over a hostile rootfs, and the mirror choice of debian.sh, offline.
#
#     sudo sh tests/rootfs-scripts.sh ./contained
#
# It builds a three-layer image itself, from the busybox rootfs, and packs
# it the ways image.sh must read: a `docker save` tar (manifest.json, plain
# layers; also gzipped as a whole), an OCI image layout (index.json -> an
# index for two architectures -> manifest, sha256-named blobs, one gzip
# layer), a `docker export` flat tar and an Alpine-style .tar.gz.  Each is
# unpacked with image.sh and then really run with contained, and the checks
# are on what the shell inside the container sees:
#   layer 1  the busybox rootfs, plus files for the later layers to act on
#   layer 2  adds files; whites out a file (.wh.) and a directory; makes a
#            directory opaque (.wh..wh..opq); turns a directory into a
#            symlink and a file into a directory; writes through symlinks
#            that point outside the rootfs (/tmp, ../../..)
#   layer 3  overwrites a file of layer 2 and re-creates one it whited out
# and the OCI index also lists an image for another architecture, which
# must not be the one unpacked.  A blob whose content does not match its
# digest must be refused.  busybox.sh is re-run over rootfs copies with a
# symlink planted at each path it writes, pointing at decoys outside, which
# must come through untouched.  debian.sh --print-mirror is run against apt
# configurations written here (APT_CONFIG), in both source formats.
#
# POSIX sh.  Prints "ok - NAME" or "not ok - NAME" (with "#" lines saying
# why) per check, then "N passed, N failed"; exits 1 if any check failed.
# Work files go to tests/build/rootfs-scripts (kept when a check fails).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 CONTAINED" >&2
	exit 2
fi
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if [ "$(id -u)" != 0 ]; then
	echo "rootfs-scripts.sh: must run as root (image.sh and contained need it)" >&2
	exit 2
fi
if [ ! -x "$C" ]; then
	echo "rootfs-scripts.sh: $C is not executable" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
S=$top/rootfs-scripts
W=$top/tests/build/rootfs-scripts
rm -rf "$W"
mkdir -p "$W"
tag=$$                      # makes the host-side probe names unique

. "$top/tests/tap.sh"

# The files written on the host only if a layer escaped its rootfs, and the
# one that must survive a whiteout aimed at it through a symlink.
host_probe=/tmp/probe-$tag
host_probe2=/tmp/probe2-$tag
host_victim=/tmp/victim-$tag
cleanup() {
	rm -f "$host_probe" "$host_probe2" "$host_victim"
	[ "$failed" = 0 ] && rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
echo "must survive" > "$host_victim"

# --- helpers ------------------------------------------------------------------------------
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c < "$1" | tr -d ' '; }

# blob FILE: copy FILE into the OCI layout as blobs/sha256/HEX and set
# $digest (sha256:HEX) and $bytes, the fields of its descriptor.
blob() {
	h=$(sha "$1")
	cp "$1" "$W/oci/blobs/sha256/$h"
	digest=sha256:$h
	bytes=$(size "$1")
}

# in_log NAME PATTERN FILE: a check that FILE (a log) has a line matching PATTERN.
in_log() {
	if grep -q -- "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "no line matching '$2' in $3:" "$(head -n 5 "$3")"
	fi
}

# unpack NAME SCRIPT TARBALL: unpack with rootfs-scripts/SCRIPT into
# $W/root-NAME; a check of its own.
unpack() {
	if sh "$S/$2" "$3" "$W/root-$1" > "$W/$1.log" 2>&1; then
		pass "$1: $2 unpacks $(basename "$3")"
	else
		fail "$1: $2 unpacks $(basename "$3")" "$(tail -n 5 "$W/$1.log")"
	fi
}

# run_in NAME SCRIPT: run a shell script in a container on $W/root-NAME;
# its stdout goes to $W/NAME.out.
run_in() {
	"$C" -m "$W/root-$1" -u 0 -c /bin/sh -c "$2" > "$W/$1.out" 2> "$W/$1.err"
	st=$?
	if [ $st -ne 0 ]; then
		fail "$1: contained runs /bin/sh in the unpacked rootfs" "exit status $st" \
			"$(tail -n 3 "$W/$1.err")"
		return 1
	fi
	pass "$1: contained runs /bin/sh in the unpacked rootfs"
}

# expect NAME LINE DESCRIPTION: the container's output has exactly LINE.
expect() {
	if grep -qxF -- "$2" "$W/$1.out"; then
		pass "$1: $3"
	else
		fail "$1: $3" "expected the line '$2'; the container printed:" \
			"$(tr '\n' '|' < "$W/$1.out")"
	fi
}

# What the container reports about each path the layers act on.
# shellcheck disable=SC2016   # expanded by the shell in the container
report='
for p in /added.txt /etc/doomed /gone /opaque/lower1 /opaque/sub /opaque/.hidden \
	/opaque/upper /keep/lower /keep/upper /typechg/x /wasfile/inner /WRONG-ARCH \
	/tmp/probe-'$tag' /tmp/probe2-'$tag' /tmp/victim-'$tag'; do
	if [ -e "$p" ] || [ -L "$p" ]; then echo "present $p"; else echo "absent $p"; fi
done
echo "added.txt: $(cat /added.txt 2>&1)"
echo "reborn: $(cat /reborn 2>&1)"
[ -L /typechg ] && echo "typechg is a symlink"
[ -d /wasfile ] && echo "wasfile is a directory"
echo "/home/user owner: $(stat -c %u:%g /home/user)"
echo "/tmp mode: $(stat -c %a /tmp)"
ls -A / | grep -q "^\.image-sh" && echo "helper left behind"
find / -xdev -name ".wh.*" | sed "s/^/marker left: /"
echo "sh says: $(echo hello)"
'

# check_layered NAME: the checks for an image built from the three layers.
check_layered() {
	run_in "$1" "$report" || return
	expect "$1" "sh says: hello" "busybox sh works"
	expect "$1" "present /added.txt" "a file added by layer 2 exists"
	expect "$1" "added.txt: layer 3" "layers are applied in order (layer 3 wins)"
	expect "$1" "absent /etc/doomed" "a .wh. whiteout deletes a lower file"
	expect "$1" "absent /gone" "a .wh. whiteout deletes a lower directory tree"
	expect "$1" "reborn: 3" "a whited-out file re-created by a later layer exists"
	expect "$1" "absent /opaque/lower1" "an opaque directory loses its lower files"
	expect "$1" "absent /opaque/sub" "an opaque directory loses its lower subdirectories"
	expect "$1" "absent /opaque/.hidden" "an opaque directory loses its lower dot files"
	expect "$1" "present /opaque/upper" "an opaque directory keeps its own layer's files"
	expect "$1" "present /keep/lower" "a directory that is not opaque keeps its lower files"
	expect "$1" "present /keep/upper" "... and gains the upper ones"
	expect "$1" "typechg is a symlink" "a directory replaced by a symlink"
	expect "$1" "absent /typechg/x" "... leaves none of its files"
	expect "$1" "wasfile is a directory" "a file replaced by a directory"
	expect "$1" "present /wasfile/inner" "... holds the new files"
	expect "$1" "/home/user owner: 1000:1000" "owners are kept (numeric)"
	expect "$1" "/tmp mode: 1777" "modes are kept (sticky /tmp)"
	expect "$1" "present /tmp/probe-$tag" "a write through an absolute symlink stays in the rootfs"
	expect "$1" "present /tmp/probe2-$tag" "a write through a ../../.. symlink stays in the rootfs"
	expect "$1" "absent /tmp/victim-$tag" "a whiteout through a symlink acts in the rootfs"
	if grep -q -e '^helper left behind' -e '^marker left' "$W/$1.out"; then
		fail "$1: no whiteout markers or helper left" "$(grep -e helper -e marker "$W/$1.out")"
	else
		pass "$1: no whiteout markers or helper left"
	fi
	for f in "$host_probe" "$host_probe2"; do
		if [ -e "$f" ]; then
			fail "$1: nothing written outside the rootfs" "$f exists on the host"
			rm -f "$f"
		else
			pass "$1: nothing written outside the rootfs ($f)"
		fi
	done
	if [ -f "$host_victim" ]; then
		pass "$1: the host file a whiteout aimed at survives"
	else
		fail "$1: the host file a whiteout aimed at survives" "$host_victim was deleted"
		echo "must survive" > "$host_victim"
	fi
}

# --- the layers ------------------------------------------------------------------------
echo "# building the layers in $W"
if ! sh "$S/busybox.sh" "$W/l1" > "$W/busybox.log" 2>&1; then
	fail "busybox.sh builds layer 1" "$(tail -n 3 "$W/busybox.log")"
	summary
	exit 1
fi
L1=$W/l1
echo doomed > "$L1/etc/doomed"
mkdir -p "$L1/gone/sub" "$L1/opaque/sub" "$L1/keep" "$L1/typechg"
echo a > "$L1/gone/a"
echo b > "$L1/gone/sub/b"
echo 1 > "$L1/opaque/lower1"
echo 2 > "$L1/opaque/sub/lower2"
echo h > "$L1/opaque/.hidden"
echo k > "$L1/keep/lower"
echo x > "$L1/typechg/x"
echo f > "$L1/wasfile"
echo 1 > "$L1/reborn"
echo "rootfs copy" > "$L1/tmp/victim-$tag"
ln -s /tmp "$L1/escape"
ln -s ../../../../../../../../tmp "$L1/dotdot"
# Layer 1 as `tar -C dir .` stores it: every name starts with "./".
tar --numeric-owner -C "$L1" -cf "$W/layer1.tar" .

L2=$W/l2
mkdir -p "$L2/etc" "$L2/opaque" "$L2/keep" "$L2/wasfile" "$L2/escape" "$L2/dotdot"
echo "layer 2" > "$L2/added.txt"
: > "$L2/etc/.wh.doomed"
: > "$L2/.wh.gone"
: > "$L2/.wh.reborn"
: > "$L2/opaque/.wh..wh..opq"
echo u > "$L2/opaque/upper"
echo u > "$L2/keep/upper"
ln -s keep "$L2/typechg"
echo inner > "$L2/wasfile/inner"
echo escaped > "$L2/escape/probe-$tag"
echo escaped > "$L2/dotdot/probe2-$tag"
: > "$L2/escape/.wh.victim-$tag"
# Names without "./", as docker writes them; escape/ and dotdot/ themselves
# are left out, so that tar must go through layer 1's symlinks.
cat > "$W/layer2.list" <<EOF
added.txt
etc/
etc/.wh.doomed
.wh.gone
.wh.reborn
opaque/
opaque/.wh..wh..opq
opaque/upper
keep/
keep/upper
typechg
wasfile/
wasfile/inner
escape/probe-$tag
escape/.wh.victim-$tag
dotdot/probe2-$tag
EOF
tar --numeric-owner --owner=0 --group=0 -C "$L2" --no-recursion -cf "$W/layer2.tar" -T "$W/layer2.list"

L3=$W/l3
mkdir -p "$L3"
echo "layer 3" > "$L3/added.txt"
echo 3 > "$L3/reborn"
tar --numeric-owner --owner=0 --group=0 -C "$L3" -cf "$W/layer3.tar" added.txt reborn

# --- docker save ----------------------------------------------------------------------
D=$W/docker
mkdir -p "$D"
layers_json=
diffs_json=
for n in 1 2 3; do
	h=$(sha "$W/layer$n.tar")
	mkdir -p "$D/$h"
	cp "$W/layer$n.tar" "$D/$h/layer.tar"
	echo "1.0" > "$D/$h/VERSION"
	layers_json="$layers_json${layers_json:+,}\"$h/layer.tar\""
	diffs_json="$diffs_json${diffs_json:+,}\"sha256:$h\""
done
cat > "$W/config.json" <<EOF
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh","-l"]},
 "rootfs":{"type":"layers","diff_ids":[$diffs_json]}}
EOF
config=$(sha "$W/config.json")
cp "$W/config.json" "$D/$config.json"
cat > "$D/manifest.json" <<EOF
[{"Config":"$config.json","RepoTags":["contained-test:latest"],"Layers":[$layers_json]}]
EOF
echo '{"contained-test":{"latest":"'"$config"'"}}' > "$D/repositories"
(cd "$D" && tar -cf "$W/image-docker.tar" -- *)
gzip -c "$W/image-docker.tar" > "$W/image-docker.tar.gz"

# --- OCI image layout --------------------------------------------------------------------
case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac
if [ "$arch" = arm64 ]; then other=amd64; else other=arm64; fi

O=$W/oci
mkdir -p "$O/blobs/sha256"
gzip -n -c "$W/layer2.tar" > "$W/layer2.tar.gz"
blob "$W/layer1.tar"; l1d=$digest l1s=$bytes
blob "$W/layer2.tar.gz"; l2d=$digest l2s=$bytes
blob "$W/layer3.tar"; l3d=$digest l3s=$bytes
blob "$W/config.json"; cfgd=$digest cfgs=$bytes
cat > "$W/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$cfgd","size":$cfgs},
"layers":[
 {"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$l1d","size":$l1s},
 {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"$l2d","size":$l2s},
 {"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$l3d","size":$l3s}]}
EOF
blob "$W/manifest.json"; md=$digest ms=$bytes

# The image for the other architecture: one layer with a tell-tale file.
mkdir -p "$W/wrong"
echo wrong > "$W/wrong/WRONG-ARCH"
tar -C "$W/wrong" -cf "$W/wrong.tar" WRONG-ARCH
blob "$W/wrong.tar"; wd=$digest ws=$bytes
cat > "$W/wrong-manifest.json" <<EOF
{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$cfgd","size":$cfgs},
"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$wd","size":$ws}]}
EOF
blob "$W/wrong-manifest.json"; wmd=$digest wms=$bytes

# An index for two platforms, pretty-printed (with an escaped "/" and a
# \u escape in an annotation, which the JSON reader must get through).
cat > "$W/platforms.json" <<EOF
{
  "schemaVersion": 2,
  "mediaType": "application\/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "$wmd",
      "size": $wms,
      "platform": { "architecture": "$other", "os": "linux" }
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "$md",
      "size": $ms,
      "platform": { "architecture": "$arch", "os": "linux" },
      "annotations": { "org.example.note": "caf\u00e9 \"quoted\", [not] {json}" }
    }
  ]
}
EOF
blob "$W/platforms.json"; pd=$digest ps=$bytes
echo '{"imageLayoutVersion": "1.0.0"}' > "$O/oci-layout"
cat > "$O/index.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"$pd","size":$ps,
 "annotations":{"org.opencontainers.image.ref.name":"latest"}}]}
EOF
# Packed as `tar -C dir .` packs: names start with "./".
tar -C "$O" -cf "$W/image-oci.tar" .

# The same layout with one layer's content changed behind its digest.
cp -a "$O" "$W/oci-bad"
h=${l3d#sha256:}
printf 'x' >> "$W/oci-bad/blobs/sha256/$h"
tar -C "$W/oci-bad" -cf "$W/image-oci-bad.tar" .

# docker export: one flat tar of the final filesystem; alpine: a .tar.gz.
tar --numeric-owner -C "$L1" -cf "$W/export.tar" .
tar --numeric-owner -C "$L1" -czf "$W/alpine-minirootfs-test.tar.gz" .

# --- the tests ----------------------------------------------------------------------------
unpack docker-save image.sh "$W/image-docker.tar"
in_log "docker-save: recognised as docker save" 'docker save' "$W/docker-save.log"
in_log "docker-save: the image's own command is shown" 'contained -m .* -c /bin/sh -l$' "$W/docker-save.log"
check_layered docker-save

unpack docker-save-gz image.sh "$W/image-docker.tar.gz"
check_layered docker-save-gz

unpack oci image.sh "$W/image-oci.tar"
in_log "oci: recognised as an OCI image layout" 'OCI image layout' "$W/oci.log"
check_layered oci
expect oci "absent /WRONG-ARCH" "the other architecture's image is not used"

if sh "$S/image.sh" "$W/image-oci-bad.tar" "$W/root-oci-bad" > "$W/oci-bad.log" 2>&1; then
	fail "oci-bad: a blob that does not match its digest is refused" "image.sh succeeded"
elif grep -q 'does not match its digest' "$W/oci-bad.log"; then
	pass "oci-bad: a blob that does not match its digest is refused"
else
	fail "oci-bad: a blob that does not match its digest is refused" "$(tail -n 3 "$W/oci-bad.log")"
fi

# shellcheck disable=SC2016
flat_report='echo "sh says: $(echo hello)"; cat /etc/doomed; [ -L /escape ] && echo "escape is a symlink"
echo "/home/user owner: $(stat -c %u:%g /home/user)"'
for name in export alpine; do
	if [ $name = export ]; then
		unpack export image.sh "$W/export.tar"
	else
		unpack alpine alpine.sh "$W/alpine-minirootfs-test.tar.gz"
	fi
	in_log "$name: recognised as a filesystem tar" 'filesystem tar' "$W/$name.log"
	run_in $name "$flat_report" || continue
	expect $name "sh says: hello" "busybox sh works"
	expect $name "doomed" "the files are all there"
	expect $name "escape is a symlink" "symlinks are kept as symlinks"
	expect $name "/home/user owner: 1000:1000" "owners are kept (numeric)"
done

# Refusals.
mkdir -p "$W/not-empty"
: > "$W/not-empty/file"
if sh "$S/image.sh" "$W/export.tar" "$W/not-empty" > "$W/refuse.log" 2>&1; then
	fail "image.sh refuses a directory that is not empty"
else
	pass "image.sh refuses a directory that is not empty"
fi
echo "not a tar" > "$W/junk.tar"
if sh "$S/image.sh" "$W/junk.tar" "$W/root-junk" > "$W/junk.log" 2>&1; then
	fail "image.sh refuses a file that is not a tar"
else
	pass "image.sh refuses a file that is not a tar"
fi

# alpine.sh with no tarball shows how to download one.
sh "$S/alpine.sh" > "$W/alpine-usage.out" 2>&1
st=$?
if [ $st = 2 ] && grep -q 'curl -fLO https://dl-cdn.alpinelinux.org/alpine/v3.20/releases/.*/alpine-minirootfs-3.20.3-.*\.tar\.gz$' "$W/alpine-usage.out"; then
	pass "alpine.sh without a tarball prints the download command"
else
	fail "alpine.sh without a tarball prints the download command" "exit status $st" \
		"$(head -n 5 "$W/alpine-usage.out")"
fi

# --- busybox.sh over a rootfs a container has been root in ---------------------------------
# A container's root owns its rootfs's files, so it can leave a symlink
# anywhere in it for the next `make rootfs` to follow: absolute (etc ->
# /some/host/dir) or climbing (etc -> ../../outside).  For each path the
# script writes, chmods or chowns, one link is planted in a copy of a built
# rootfs, pointing at decoys made outside it: a directory where the script
# wants a directory, a file where it writes a file.  busybox.sh is run again
# and the decoys must be unchanged, byte for byte, owner and mode; and the
# script must have either refused, naming the path, or replaced the link
# with the file it writes.
H=$W/hostile
mkdir -p "$H"
if ! sh "$S/busybox.sh" "$H/clean" > "$H/clean.log" 2>&1; then
	fail "busybox.sh builds the rootfs to plant links in" "$(tail -n 3 "$H/clean.log")"
fi

# make_decoys: a fresh $H/decoy, every entry owned by 4242:4242, with modes
# the script never sets: "dir" holds a file of each name the script writes,
# and each such name is also a file of its own.
make_decoys() {
	rm -rf "$H/decoy"
	mkdir -p "$H/decoy/dir/user" "$H/decoy/dir/lock"
	for f in passwd group shadow hosts profile os-release busybox .busybox.new ls; do
		echo "decoy $f" > "$H/decoy/dir/$f"
		echo "decoy $f" > "$H/decoy/$f"
	done
	chown -R 4242:4242 "$H/decoy"
	find "$H/decoy" -type d -exec chmod 0751 {} +
	find "$H/decoy" -type f -exec chmod 0640 {} +
}

# decoy_state: names, types, modes, owners, sizes, times and checksums.
decoy_state() {
	(cd "$H/decoy" && find . -printf '%p %y %m %u:%g %s %T@ %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort)
}

# hostile NAME PATH KIND FORM: plant PATH -> a decoy of KIND (dir, file, or
# temp for a name the script only uses in passing), FORM abs or dotdot,
# and run busybox.sh over the rootfs.
hostile() {
	name="busybox.sh: $1 $2 ($3) -> $4 decoy"
	r=$H/root
	rm -rf "$r"
	cp -a "$H/clean" "$r"
	make_decoys
	decoy_state > "$H/before"
	case $3 in
	dir) target=dir ;;
	*) target=${2##*/} ;;
	esac
	if [ "$4" = abs ]; then
		target=$H/decoy/$target
	else
		# One ".." per level climbs to $H, the rootfs's parent.
		up=$(echo "$2" | sed 's|[^/]*|..|g')
		target=$up/decoy/$target
	fi
	rm -rf "${r:?}/$2"
	ln -s "$target" "$r/$2"
	sh "$S/busybox.sh" "$r" > "$H/run.log" 2>&1
	st=$?
	decoy_state > "$H/after"
	if cmp -s "$H/before" "$H/after"; then
		pass "$name: the decoys are untouched"
	else
		fail "$name: the decoys are untouched" \
			"$(diff "$H/before" "$H/after" | grep '^[<>]' | head -n 6 | tr '\n' '|')"
	fi
	if [ "$3" = temp ]; then
		if [ $st -eq 0 ]; then
			pass "$name: the rootfs is refreshed"
		else
			fail "$name: the rootfs is refreshed" "exit status $st" "$(tail -n 2 "$H/run.log")"
		fi
	elif [ $st -ne 0 ]; then
		if grep -qF "$r/$2 is a symlink" "$H/run.log" && grep -qF "rm $r/$2" "$H/run.log"; then
			pass "$name: refused, naming the path and the fix"
		else
			fail "$name: refused, naming the path and the fix" "exit status $st" \
				"$(tail -n 2 "$H/run.log")"
		fi
	elif [ "$3" = file ] && [ -f "$r/$2" ] && [ ! -L "$r/$2" ]; then
		pass "$name: the link is replaced by the file"
	else
		fail "$name: refused, or the link replaced" \
			"exit status 0 and $2 is: $(ls -ld "$r/$2")"
	fi
}

for p in bin sbin usr usr/bin usr/sbin usr/lib usr/share lib etc proc sys dev \
	run run/lock mnt opt srv media home home/user root \
	var var/log var/lib var/cache var/spool var/tmp tmp; do
	for form in abs dotdot; do
		hostile planted "$p" dir $form
	done
done
# (bin/busybox has always been renamed into place, replacing a link there:
# it is only in the all-at-once check below.)
for p in etc/passwd etc/group etc/shadow etc/hosts etc/profile usr/lib/os-release; do
	for form in abs dotdot; do
		hostile planted "$p" file $form
	done
done
# The temporary name an earlier busybox.sh copied the binary to.
hostile planted bin/.busybox.new temp abs

# All the files at once, then a container on the result.
r=$H/root
rm -rf "$r"
cp -a "$H/clean" "$r"
make_decoys
decoy_state > "$H/before"
for p in bin/busybox etc/passwd etc/group etc/shadow etc/hosts etc/profile usr/lib/os-release; do
	rm -f "$r/$p"
	ln -s "$H/decoy/${p##*/}" "$r/$p"
done
if sh "$S/busybox.sh" "$r" > "$H/run.log" 2>&1 && decoy_state > "$H/after" &&
	cmp -s "$H/before" "$H/after" && [ -z "$(find "$r/bin/busybox" "$r/etc" "$r/usr/lib" -type l ! -name os-release)" ]; then
	pass "busybox.sh: every file a link: all replaced, no decoy touched"
else
	fail "busybox.sh: every file a link: all replaced, no decoy touched" "$(tail -n 2 "$H/run.log")" \
		"$(diff "$H/before" "$H/after" | head -n 4 | tr '\n' '|')"
fi
if "$C" -m "$r" -u 1000 -c /bin/sh -c 'id -un; head -n 1 /etc/passwd' > "$H/c.out" 2> "$H/c.err" &&
	[ "$(tr '\n' ' ' < "$H/c.out")" = "user root:x:0:0:root:/root:/bin/sh " ]; then
	pass "busybox.sh: contained runs in the repaired rootfs"
else
	fail "busybox.sh: contained runs in the repaired rootfs" "$(cat "$H/c.out")" "$(tail -n 3 "$H/c.err")"
fi

# --- debian.sh: the mirror comes from apt's configuration ---------------------------------
# mirror_is NAME EXPECTED SUITE: with the sources written to $W/apt, debian.sh
# --print-mirror SUITE prints EXPECTED ("" = must fail).
mirror_is() {
	got=$(APT_CONFIG=$W/apt/apt.conf sh "$S/debian.sh" --print-mirror "$3" 2> "$W/mirror.err")
	st=$?
	if [ -z "$2" ]; then
		if [ $st -ne 0 ] && grep -q 'MIRROR' "$W/mirror.err"; then
			pass "debian.sh: $1"
		else
			fail "debian.sh: $1" "exit status $st, printed '$got'"
		fi
	elif [ $st -eq 0 ] && [ "$got" = "$2" ]; then
		pass "debian.sh: $1"
	else
		fail "debian.sh: $1" "expected '$2', got '$got' (exit status $st)" "$(cat "$W/mirror.err")"
	fi
}
mkdir -p "$W/apt/parts"
cat > "$W/apt/apt.conf" <<EOF
Dir::Etc::sourcelist "$W/apt/sources.list";
Dir::Etc::sourceparts "$W/apt/parts";
EOF
# deb822 only: security first, a disabled entry, a third-party one, then
# the mirror; Signed-By with an inline key spreads over continuation lines.
cat > "$W/apt/parts/debian.sources" <<'EOF'
# comment
Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Enabled: no

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm

Types: deb deb-src
URIs: https://mirror.example/debian http://second.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 Suites: bookworm
 -----END PGP PUBLIC KEY BLOCK-----
EOF
cat > "$W/apt/parts/00-thirdparty.sources" <<'EOF'
Types: deb
URIs: https://thirdparty.example/apt
Suites: nodistro
Components: main
EOF
cat > "$W/apt/parts/zz-ignored.list.disabled" <<'EOF'
deb http://ignored.example/debian bookworm main
EOF
mirror_is "deb822: first enabled deb entry for the suite" https://mirror.example/debian bookworm
mirror_is "deb822: the security suite has its own entry" http://security.example/debian-security bookworm-security

# sources.list comes before sources.list.d, options in brackets, deb-src
# and comments skipped.
cat > "$W/apt/sources.list" <<'EOF'
# deb http://commented.example/debian bookworm main
deb-src http://src.example/debian bookworm main
deb cdrom:[Debian GNU/Linux 12]/ bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://one.example/debian bookworm main
EOF
mirror_is "one-line format, sources.list first, [options] skipped" http://one.example/debian bookworm
# shellcheck disable=SC1091
host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ -n "$host" ]; then
	sed -i "s/ bookworm / $host /" "$W/apt/sources.list"
	mirror_is "a suite the host does not use: the host's main mirror" http://one.example/debian no-such-suite
fi
rm -f "$W/apt/sources.list" "$W/apt/parts/debian.sources"
mirror_is "no Debian entry: asks for MIRROR" "" bookworm
got=$(MIRROR=http://env.example/debian sh "$S/debian.sh" --print-mirror bookworm 2>&1)
if [ "$got" = http://env.example/debian ]; then
	pass "debian.sh: MIRROR overrides apt"
else
	fail "debian.sh: MIRROR overrides apt" "got '$got'"
fi

summary
