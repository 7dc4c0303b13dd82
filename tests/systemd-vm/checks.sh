#!/bin/sh
# checks.sh - the checks of the systemd VM test (tests/systemd-vm/run.sh),
# run as root inside the Debian 12 guest by contained-check-boot, from the
# directory holding the run's files:
#
#     tree/       the files of the checkout, with contained built (static)
#     probes/     the static probes of tests/probes/ (memhog, forkbomb...)
#     tap.sh      the TAP helpers of tests/
#
# The tree is installed in ~user/contained, as a clone of the user's; the
# README's first command is run there as the user (`sudo make all rootfs`,
# then contained itself, through sudo).  The checks: the guest
# is a real systemd host (shared /, cgroup2 managed by systemd); the README's
# first command works there; the cgroup v2 limits hold; -o (copy-on-write /)
# and -r (read-only /) work on the guest's kernel; and nothing leaks
# into the host (mounts, /tmp entries, processes, cgroups, failed units)
# after many launches, a SIGKILLed launcher and refused bad input.
#
# One "ok"/"not ok" line per check, then "N passed, N failed"; exit 1 if
# any check failed.  POSIX sh (dash in the guest).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"

U=user
UHOME=$(getent passwd "$U" | cut -d: -f6)
TREE=$UHOME/contained
CG=/sys/fs/cgroup
# Scratch files live here, not in /tmp: /tmp is one of the things compared.
W=$here/work
rm -rf "$W"
mkdir -p "$W"

# What the last launch did: its exit status, stdout and stderr.
diag() {
	echo "#   exit status: $st"
	sed -n '1,15s/^/#   stdout: /p' "$W/out"
	sed -n '1,15s/^/#   stderr: /p' "$W/err"
	grep -v '^=> ' "$W/err" | sed -n '1,10s/^/#   stderr, not the launcher'"'"'s => lines: /p'
}

# check NAME COMMAND...: pass if COMMAND succeeds, else fail showing the
# last launch.
check() {
	name=$1
	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name"
		diag
	fi
}

has() { grep -q "$@"; }

# stage NAME: a comment line saying when each part starts (uptime).
stage() {
	echo "# --- $1, at $(cut -d' ' -f1 /proc/uptime)s"
}

# out_is STATUS TEXT: the last launch exited STATUS and printed exactly TEXT.
out_is() {
	[ "$st" = "$1" ] && [ "$(cat "$W/out")" = "$2" ]
}
hasnt() { ! grep -q "$@"; }

# --- the user's checkout -------------------------------------------------------
# The checkout belongs to the user, as a git clone would; contained in it is
# the host's static build (and contained-oci's), made newer than their
# sources so that the README's `sudo make all` finds them up to date (the
# guest has no compiler).
rm -rf "$TREE"
cp -a "$here/tree" "$TREE"
chown -R "$U:$U" "$TREE"
touch "$TREE/contained" "$TREE/contained-oci"
st=-
: >"$W/out"
: >"$W/err"

echo "# checks: the checkout is in $TREE; contained runs as $U through sudo"

# The README's first command is "DEPS && BUILD && RUN": DEPS installs
# packages (skipped: the guest has them, and no network), BUILD is run as
# the user in the checkout, RUN, "sudo ./contained -m rootfs -u 0 -c
# /bin/sh", is how users start a container.  The checks run it with their
# own command after -c, and with more flags before -c when they need them.
first=$(awk '/^    / { sub(/^ +/, ""); print; exit }' "$TREE/README.md")
runpart=$(printf '%s\n' "$first" | sed -n 's/.*&& *\(sudo \.\/contained .* -c\)\( .*\)*$/\1/p')
build=$(printf '%s\n' "$first" | sed -n 's/^sh rootfs-scripts\/deps\.sh *&& *\(.*\) *&& *sudo \.\/contained .*/\1/p')
case $runpart in
"sudo ./contained "*" -c")
	pass "README: the first command's run part is '$runpart ...'"
	;;
*)
	fail "README: the first command's run part is 'sudo ./contained ... -c ...'" "first command: '$first'"
	runpart="sudo ./contained -m rootfs -u 0 -c"
	;;
esac
[ -n "$build" ] || build="sudo make all rootfs"
# sudo -n: fail at once rather than wait for a password.
build=$(printf '%s\n' "$build" | sed 's/\(^\|&& *\)sudo /\1sudo -n /g; s/ *$//')
# cmd: the launcher as the README runs it; pre: that with the README's
# flags (up to -c).
cmd="sudo -n ./contained"
pre="sudo -n ${runpart#sudo }"
pre=${pre% -c}

if timeout 300 runuser -u "$U" -- sh -c 'cd "$1" && eval "$2"' sh "$TREE" "$build" \
	</dev/null >"$W/build.log" 2>&1; then
	pass "README: '$build' works, as $U in $TREE"
else
	fail "README: '$build' works, as $U in $TREE"
	sed -n '1,30s/^/#   /p' "$W/build.log"
fi
# The limit checks' probes, in the rootfs as the test suite has them.
if [ -d "$TREE/rootfs/bin" ]; then
	mkdir -p "$TREE/rootfs/probes"
	cp "$here/probes/"* "$TREE/rootfs/probes/"
fi

TIMEOUT="timeout 90"

# launch [FLAGS...] -c COMMAND...: the README's way, as the user, from the
# checkout; the output goes to $W/out and $W/err, the status to st.  Then
# leak_watch.
launch() {
	$TIMEOUT runuser -u "$U" -- sh -c 'cd "$1" && shift && exec '"$pre"' "$@"' sh "$TREE" "$@" \
		</dev/null >"$W/out" 2>"$W/err"
	st=$?
	leak_watch "$*"
}

# launch_raw ARGS...: the same without the README's flags (for bad input).
launch_raw() {
	$TIMEOUT runuser -u "$U" -- sh -c 'cd "$1" && shift && exec '"$cmd"' "$@"' sh "$TREE" "$@" \
		</dev/null >"$W/out" 2>"$W/err"
	st=$?
}

# launch_bg [FLAGS...] -c COMMAND...: the same in the background; sets bg.
launch_bg() {
	runuser -u "$U" -- sh -c 'cd "$1" && shift && exec '"$pre"' "$@"' sh "$TREE" "$@" \
		</dev/null >"$W/out" 2>"$W/err" &
	bg=$!
}

# Is process $1 running (a zombie is not)?
alive() {
	case $(cat "/proc/$1/stat" 2>/dev/null) in
	"" | *") Z "*) return 1 ;;
	esac
	return 0
}

# reap PID SECONDS: wait for a background launch; kill it after SECONDS.
reap() {
	i=0
	while alive "$1" && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if alive "$1"; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		st=timeout
	else
		wait "$1"
		st=$?
	fi
}

# find_container HOSTNAME COMM: the host pid of the container named HOSTNAME
# (its UTS name) whose command is COMM, once it runs (up to 30 s, or until
# the background launch ends); sets cpid (empty if none).
find_container() {
	cpid=
	i=0
	while [ $i -lt 300 ] && alive "$bg"; do
		for p in $(pgrep -x "$2"); do
			# NSpid: "HOST-PID 1" for a PID 1 in its own namespace
			inner=$(awk '/^NSpid:/ { print $3 }' "/proc/$p/status" 2>/dev/null)
			if [ "$inner" = 1 ] &&
				[ "$(nsenter -t "$p" -u hostname 2>/dev/null)" = "$1" ]; then
				cpid=$p
				return 0
			fi
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Every cgroup on the host, wherever the launcher puts its own (today in
# /sys/fs/cgroup/contained/).
cg_list() {
	find "$CG" -mindepth 1 -type d | sort
}

# The container cgroups under /sys/fs/cgroup/contained/.
cg_contained() {
	for d in "$CG"/contained/*/; do
		[ -d "$d" ] && echo "${d%/}"
	done
	return 0
}

failed_units() {
	systemctl --failed --plain --no-legend 2>&1 | awk '{ print $1 }' | sort
}

# --- snapshots of the host, for the leak checks -----------------------------------
# Mounts: mount point, type and source of every mount, sorted (mount ids and
# options left out).
snap_mounts() {
	awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1), $(i + 2) }' /proc/self/mountinfo | sort
}

# Processes: "count comm" per command name, without kernel threads, without
# this script and its children (the snapshot's own ps, awk...), and without
# udevd's workers, which it starts and retires on its own (dozens at boot).
snap_procs() {
	ps -e -o pid=,ppid=,comm= | awk -v me=$$ '
	{ pid[NR] = $1; ppid[$1] = $2; comm[NR] = $3 }
	END {
		for (n = 1; n <= NR; n++) {
			p = pid[n]
			if (p == 2 || ppid[p] == 2 || comm[n] == "(udev-worker)")
				continue
			mine = 0
			for (q = p; q > 1; q = ppid[q])
				if (q == me) { mine = 1; break }
			if (!mine)
				print comm[n]
		}
	}' | sort | uniq -c
}

# snap NAME: mounts, /tmp entries and processes now, in $W/NAME.*
snap() {
	snap_mounts >"$W/$1.mounts"
	ls -A /tmp | sort >"$W/$1.tmp"
	snap_procs >"$W/$1.procs"
}

# The lines of file $2 that file $1 lacks (+) or has and $2 lacks (-).
changes() {
	diff "$1" "$2" | sed -n 's/^> /+ /p; s/^< /- /p'
}

# unchanged WHAT BASE: the host's mounts, /tmp entries and processes are as in
# snapshot BASE; a difference may be a process or mount on its way out, so it
# counts only if it is still there after 5 s.  One check per kind.
unchanged() {
	i=0
	while :; do
		snap now
		if cmp -s "$W/$2.mounts" "$W/now.mounts" && cmp -s "$W/$2.tmp" "$W/now.tmp" &&
			cmp -s "$W/$2.procs" "$W/now.procs"; then
			break
		fi
		[ $i -ge 10 ] && break
		sleep 0.5
		i=$((i + 1))
	done
	for kind in mounts tmp procs; do
		case $kind in
		mounts) what="mount table" ;;
		tmp) what="entries in /tmp" ;;
		procs) what="process list" ;;
		esac
		if cmp -s "$W/$2.$kind" "$W/now.$kind"; then
			pass "$1: $what unchanged"
		else
			fail "$1: $what unchanged"
			changes "$W/$2.$kind" "$W/now.$kind" | sed -n '1,20s/^/#   /p'
		fi
	done
	restore_mounts "$2"
}

# restore_mounts BASE: detach the mounts that snapshot BASE did not have, so
# that a launch that left mounts behind cannot change the next check.
restore_mounts() {
	snap_mounts >"$W/now.mounts"
	changes "$W/$1.mounts" "$W/now.mounts" | awk '$1 == "+" { print $2 }' | sort -r |
		while read -r m; do
			umount -l "$m" 2>/dev/null
		done
}

# mounts_unchanged NAME BASE: the mount table alone, as in snapshot BASE.
mounts_unchanged() {
	snap_mounts >"$W/now.mounts"
	if cmp -s "$W/$2.mounts" "$W/now.mounts"; then
		pass "$1: mount table unchanged"
	else
		fail "$1: mount table unchanged"
		changes "$W/$2.mounts" "$W/now.mounts" | sed -n '1,20s/^/#   /p'
		restore_mounts "$2"
	fi
}

# leak_watch WHAT: after a launch, any mount the host has that it did not
# have at the start (a launch's mount propagated back, or left behind) is
# noted in $W/leaked and detached, so that one launch cannot change the
# next one's result.  mounts_leaked reports them.  Only while watch=yes:
# the leak checks of part 4 compare the whole host themselves.
leak_watch() {
	[ "$watch" = yes ] || return 0
	snap_mounts >"$W/now.mounts"
	cmp -s "$W/start.mounts" "$W/now.mounts" && return 0
	echo "launch $1: $(changes "$W/start.mounts" "$W/now.mounts" | awk '{ print $1 $2 }' | tr '\n' ' ')" \
		>>"$W/leaked"
	restore_mounts start
}

# mounts_leaked NAME: no launch since the last call left a mount on the host.
mounts_leaked() {
	if [ -s "$W/leaked" ]; then
		fail "$1: no launch left a mount on the host"
		sed -n '1,20s/^/#   /p' "$W/leaked"
	else
		pass "$1: no launch left a mount on the host"
	fi
	: >"$W/leaked"
}

# cg_mark, then no_new_cgroups NAME: no cgroup exists on the host that did
# not at cg_mark (a launcher removes its cgroup on the way out; when it is
# killed, its watchdog does, so give that a few seconds).
cg_mark() {
	cg_list >"$W/cg.before"
}
no_new_cgroups() {
	i=0
	while :; do
		cg_list >"$W/cg.now"
		new=$(changes "$W/cg.before" "$W/cg.now" | sed -n 's/^+ //p')
		{ [ -z "$new" ] || [ $i -ge 10 ]; } && break
		sleep 0.5
		i=$((i + 1))
	done
	if [ -z "$new" ]; then
		pass "$1: no cgroup left on the host"
	else
		# shellcheck disable=SC2086 # one directory per word
		fail "$1: no cgroup left on the host" $new
	fi
}

failed_units >"$W/units.before"
snap start
: >"$W/leaked"
watch=yes

# === 1. the guest is the kind of host users have ===================================
stage "the guest is the kind of host users have"
prop=$(findmnt -no PROPAGATION /)
if [ "$prop" = shared ]; then
	pass "host: / is a shared mount"
else
	fail "host: / is a shared mount" "findmnt -no PROPAGATION /: '$prop'"
fi
fstype=$(stat -fc %T "$CG")
if [ "$fstype" = cgroup2fs ]; then
	pass "host: $CG is cgroup2"
else
	fail "host: $CG is cgroup2" "stat -fc %T $CG: '$fstype'"
fi
pid1=$(cat /proc/1/comm)
if [ "$pid1" = systemd ]; then
	pass "host: PID 1 is systemd"
else
	fail "host: PID 1 is systemd" "/proc/1/comm: '$pid1'"
fi
state=$(systemctl is-system-running)
case $state in
running | degraded)
	pass "host: systemctl is-system-running says $state"
	[ "$state" = degraded ] && sed 's/^/#   failed unit: /' "$W/units.before"
	;;
*) fail "host: systemctl is-system-running says running or degraded" "it says '$state'" ;;
esac
echo "# host: cgroup controllers at the root: $(cat "$CG/cgroup.controllers"); enabled for children: $(cat "$CG/cgroup.subtree_control")"
echo "# host: this check runs in cgroup $(cut -d: -f3 /proc/self/cgroup)"

# === 2. the README's command, as an ordinary user =================================
stage "the README's command, as an ordinary user"
mode=$(stat -c '%a %U' "$UHOME")
if [ "$mode" = "700 $U" ]; then
	pass "user: $UHOME is $U's, mode 0700"
else
	fail "user: $UHOME is $U's, mode 0700" "stat: '$mode'"
fi
if out=$(runuser -u "$U" -- sudo -n id -u 2>&1) && [ "$out" = 0 ]; then
	pass "user: sudo without a password"
else
	fail "user: sudo without a password" "sudo -n id -u: '$out'"
fi
if [ -x "$TREE/contained" ] && [ -x "$TREE/rootfs/bin/sh" ] && [ -r "$TREE/README.md" ]; then
	pass "user: contained, rootfs/ and README.md are in $TREE"
else
	fail "user: contained, rootfs/ and README.md are in $TREE" "$(ls -la "$TREE" 2>&1)"
fi

# shellcheck disable=SC2016 # $$ is the container shell's
launch -c /bin/sh -c 'echo $$'
check "README command: the command is PID 1 (echo \$\$ says 1)" out_is 0 1

launch -H sdguest -c /bin/hostname
check "README command: -H sdguest gives hostname sdguest" out_is 0 sdguest

launch -c /bin/ls /sys/class/net
check "README command: only lo in /sys/class/net" out_is 0 lo

launch -c /bin/sh -c 'exit 7'
check "README command: exit status 7 comes back as 7" [ "$st" = 7 ]

launch -c id -u
check "README command: -u 0 is root inside" out_is 0 0
mounts_leaked "README command"

# === 3. cgroup v2 limits, in a cgroup tree systemd manages =========================
stage "cgroup v2 limits, in a cgroup tree systemd manages"
launch -M 64M -c /bin/cat /sys/fs/cgroup/memory.max
check "limits: -M 64M shows memory.max 67108864" out_is 0 67108864

launch -P 10 -c /bin/cat /sys/fs/cgroup/pids.max
check "limits: -P 10 shows pids.max 10" out_is 0 10

launch -C 0.5 -c /bin/cat /sys/fs/cgroup/cpu.max
check "limits: -C 0.5 shows cpu.max 50000 100000" out_is 0 "50000 100000"

# memhog touches every page of what it allocates: 256 MiB cannot fit in 64.
launch -M 64M -c /probes/memhog 256
check "limits: a memory hog under -M 64M exits 137" [ "$st" = 137 ]
check "limits: the launcher says out of memory" has 'out of memory' "$W/err"

# forkbomb stops at the first failing fork and says why.
launch -P 10 -c /probes/forkbomb 200 0
line=$(grep '^forks=' "$W/out" | head -n 1)
forks=$(echo "$line" | sed -n 's/^forks=\([0-9]*\) .*/\1/p')
if [ "$st" = 0 ] && [ -n "$forks" ] && [ "$forks" -lt 10 ] && echo "$line" | has '(EAGAIN)$'; then
	pass "limits: a fork bomb under -P 10 cannot fork ($line)"
else
	fail "limits: a fork bomb under -P 10 cannot fork" "probe said: '$line'"
	diag
fi

# The container's cgroup, seen from the host while it runs.
cg_mark
launch_bg -H sdcgroup -M 48M -c /bin/sleep 30
if find_container sdcgroup sleep; then
	cgpath=$(sed -n 's/^0:://p' "/proc/$cpid/cgroup")
	echo "# limits: the container (host pid $cpid) is in cgroup $cgpath"
	max=$(cat "$CG$cgpath/memory.max" 2>/dev/null)
	case $cgpath in
	"" | / | "$(sed -n 's/^0:://p' /proc/self/cgroup)")
		fail "limits: the running container has a cgroup of its own on the host" "cgroup '$cgpath'"
		;;
	*)
		if [ "$max" = 50331648 ] && grep -qx "$cpid" "$CG$cgpath/cgroup.procs"; then
			pass "limits: the running container has a cgroup of its own on the host ($cgpath)"
		else
			fail "limits: the running container has a cgroup of its own on the host" \
				"$CG$cgpath: memory.max '$max', cgroup.procs: $(cat "$CG$cgpath/cgroup.procs" 2>&1)"
		fi
		;;
	esac
	# PID 1 ignores signals it has no handler for; SIGKILL from outside works.
	kill -KILL "$cpid"
	reap "$bg" 30
	check "limits: the container killed from the host exits 137" [ "$st" = 137 ]
	if [ -n "$cgpath" ] && [ "$cgpath" != / ] && [ -d "$CG$cgpath" ]; then
		fail "limits: its cgroup is removed after the launch" "$CG$cgpath still exists"
	else
		pass "limits: its cgroup is removed after the launch"
	fi
else
	reap "$bg" 30
	fail "limits: the running container has a cgroup of its own on the host" "no container found"
	diag
fi
leak_watch "-M 48M -c /bin/sleep 30 (killed)"
mounts_leaked "limits"
no_new_cgroups "limits"
failed_units >"$W/units.now"
new=$(changes "$W/units.before" "$W/units.now" | sed -n 's/^+ //p')
if [ -z "$new" ]; then
	pass "limits: systemctl --failed shows nothing new"
else
	# shellcheck disable=SC2086 # one unit per word
	fail "limits: systemctl --failed shows nothing new" $new
fi

# === 4. a copy-on-write root (-o, -o DIR) and a read-only one (-r) ===============
# On the guest's own kernel (Debian 12's 6.1), which has fewer of overlayfs's
# features than newer ones: removing a directory of the lower layer needs an
# "opaque" mark in an extended attribute of the upper layer, and tmpfs (-o's
# upper layer) stores the user.* ones an overlay mounted in a user namespace
# would use only since Linux 6.6.  So the launcher mounts the overlay as host
# root (trusted.* attributes) on the idmapped rootfs, 6.1's idmapped layers
# included.  The rootfs is compared on the host before and after, as a
# checksum of its whole tree.
stage "a copy-on-write root (-o, -o DIR) and a read-only one (-r)"

# rootfs_sum: one checksum of the rootfs's tree: every entry's path, type,
# mode, owner, size and mtime, and every regular file's contents.
rootfs_sum() {
	(
		cd "$TREE/rootfs/" || exit 1
		find . -print0 | sort -z | xargs -0 stat -c '%n %F %a %u:%g %s %Y'
		find . -type f -print0 | sort -z | xargs -0 sha256sum
	) | sha256sum | cut -d' ' -f1
}
# rootfs_is_unchanged: the rootfs's checksum is still $sum0, taken before
# the launches it is about.
rootfs_is_unchanged() {
	[ "$(rootfs_sum)" = "$sum0" ]
}
# upper_and_work, note_in_upper: -o DIR made DIR/upper and DIR/work, and the
# file written inside is in upper/, not in the rootfs.
upper_and_work() {
	[ -d "$keep/upper" ] && [ ! -L "$keep/upper" ] && [ -d "$keep/work" ] && [ ! -L "$keep/work" ]
}
note_in_upper() {
	[ "$(cat "$keep/upper/root/note" 2>/dev/null)" = kept ] && [ ! -e "$TREE/rootfs/root/note" ]
}

sum0=$(rootfs_sum)
launch -o -c /bin/sh -c 'rm -rf /usr; ls /usr >/dev/null 2>&1 || echo gone; echo x >/etc/passwd && echo written'
check "-o: inside, rm -rf /usr removes /usr (ls /usr fails) and / is writable" out_is 0 "gone
written"
check "-o: the rootfs on the host is unchanged (checksum of its tree)" rootfs_is_unchanged
# The launcher mounts the upper layer's tmpfs, the container writes its
# pages: memory.current of the container's cgroup grows by 32 MiB written
# to / (at least 24 MiB), and / is the container root's.
launch -o -M 128M -c /bin/sh -c 'stat -c %u:%g /; m=/sys/fs/cgroup/memory.current; cat $m;
	dd if=/dev/zero of=/big bs=1M count=32 2>/dev/null; cat $m'
charged() {
	set -- $(cat "$W/out")
	[ "$st" = 0 ] && [ "${1:-}" = 0:0 ] && [ $((${3:-0} - ${2:-0})) -ge $((24 << 20)) ]
}
check "-o: / is the container root's, and 32 MiB written to / count against -M" charged
echo "# -o: owner of /, memory.current before and after: $(tr '\n' ' ' <"$W/out")"

# -o DIR, DIR a directory of the user's in their home, as users keep one.
sum0=$(rootfs_sum)
keep=$UHOME/keep
rm -rf "$keep"
runuser -u "$U" -- mkdir "$keep"
launch -o "$keep" -c /bin/sh -c 'rm -rf /usr; ls /usr >/dev/null 2>&1 || echo gone; echo kept >/root/note && cat /root/note'
check "-o DIR: inside, rm -rf /usr removes /usr and a file written to /root reads back" out_is 0 "gone
kept"
check "-o DIR: upper/ and work/ appear in DIR" upper_and_work
check "-o DIR: the file written inside is in DIR/upper/, not in the rootfs" note_in_upper
launch -o "$keep" -c /bin/cat /root/note
check "-o DIR: the next container with the same DIR sees the file" out_is 0 kept
check "-o DIR: the rootfs on the host is unchanged (checksum of its tree)" rootfs_is_unchanged
check "-o DIR: the file written by the container's root is host uid 100000's in DIR/upper/" \
	[ "$(stat -c %u:%g "$keep/upper/root/note" 2>&1)" = 100000:100000 ]
rm -rf "$keep"

sum0=$(rootfs_sum)
launch -r -c /bin/sh -c 'touch /x 2>&1; touch /tmp/a /run/a /dev/shm/a && echo writable'
check "-r: a write to / fails with Read-only file system" has 'Read-only file system' "$W/out"
check "-r: /tmp, /run and /dev/shm are writable" has -x writable "$W/out"
check "-r: the rootfs on the host is unchanged (checksum of its tree)" rootfs_is_unchanged
mounts_leaked "-o and -r"
# What the guest's kernel said about the overlays (ovl_* warnings), if anything.
dmesg | grep -i overlay | tail -n 10 | sed 's/^/# kernel: /'

# === 5. nothing leaks into the host ===============================================
stage "nothing leaks into the host"
# Each part starts from the mounts of the start, whatever came before.
watch=no
# (a) many launches in a row
restore_mounts start
snap base
cg_mark
bad=0
n=0
while [ $n -lt 20 ]; do
	launch -H sdloop$n -c /bin/true
	if [ "$st" != 0 ]; then
		bad=$((bad + 1))
		[ $bad = 1 ] && cp "$W/out" "$W/first.out" && cp "$W/err" "$W/first.err" && firstst=$st
	fi
	n=$((n + 1))
done
if [ $bad = 0 ]; then
	pass "leaks: 20 launches in a row all exit 0"
else
	fail "leaks: 20 launches in a row all exit 0" "$bad failed; the first one:"
	st=$firstst
	cp "$W/first.out" "$W/out"
	cp "$W/first.err" "$W/err"
	diag
fi
unchanged "leaks: after 20 launches" base
no_new_cgroups "leaks: after 20 launches"

# (b) the launcher SIGKILLed while its container runs, with -o: the overlay
# and its tmpfs, which the launcher mounted, must go with the container
restore_mounts start
snap base
cg_mark
launch_bg -H sdkilled -o -c /bin/sleep 60
if find_container sdkilled sleep; then
	lpid=$(ps -o ppid= -p "$cpid" | tr -d ' ')
	lcomm=$(cat "/proc/$lpid/comm" 2>/dev/null)
	if [ "$lcomm" = contained ]; then
		pass "leaks: the container's parent on the host is the launcher"
	else
		fail "leaks: the container's parent on the host is the launcher" "pid $lpid is '$lcomm'"
	fi
	check "leaks: the container to kill has its overlay as /" \
		grep -q '^[0-9]* [0-9]* [0-9:]* / / .* - overlay ' "/proc/$cpid/mountinfo"
	kill -KILL "$lpid"
	i=0
	while alive "$cpid" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if alive "$cpid"; then
		fail "leaks: the container dies within 5 s of its launcher's SIGKILL" \
			"pid $cpid ($(cat "/proc/$cpid/comm" 2>/dev/null)) still runs"
		kill -KILL "$cpid"
	else
		pass "leaks: the container dies within 5 s of its launcher's SIGKILL"
	fi
else
	fail "leaks: a container to kill the launcher of" "no container found"
	diag
fi
reap "$bg" 30
check "leaks: sudo reports the launcher's SIGKILL (137)" [ "$st" = 137 ]
# no_overlay: no process's mount table, in any namespace, shows an overlay
no_overlay() {
	i=0
	while cat /proc/[0-9]*/mountinfo 2>/dev/null | grep -q ' - overlay '; do
		[ $i -ge 10 ] && return 1
		sleep 0.5
		i=$((i + 1))
	done
}
check "leaks: after the SIGKILL no mount namespace holds an overlay" no_overlay
unchanged "leaks: after a SIGKILLed launcher" base
no_new_cgroups "leaks: after a SIGKILLed launcher"
launch -H sdafterkill -c /bin/true
check "leaks: the next launch after it exits 0" [ "$st" = 0 ]

# (c) bad input, refused with 125 and a message (tests/test_container.c's list)
restore_mounts start
snap base
cg_mark
missing=$W/missing-rootfs
file=$W/file-rootfs
: >"$file"
chmod 644 "$file"
n=0
# refused NAME ARGS...: 125, a "contained: " line, the command never ran, and
# the mount table as before.
refused() {
	name=$1
	shift
	n=$((n + 1))
	snap_mounts >"$W/case.mounts"
	launch_raw "$@"
	if [ "$st" = 125 ] && has '^contained: ' "$W/err" && hasnt RAN "$W/out"; then
		pass "bad input: $name: refused with 125 and a message"
	else
		fail "bad input: $name: refused with 125 and a message"
		diag
	fi
	mounts_unchanged "bad input: $name" case
}
refused "no -m" -u 0 -c /bin/sh -c 'echo RAN'
refused "missing rootfs" -m "$missing" -u 0 -c /bin/sh -c 'echo RAN'
refused "rootfs is a file" -m "$file" -u 0 -c /bin/sh -c 'echo RAN'
refused "command missing" -m rootfs -u 0 -c /no-such-cmd arg
refused "command not in PATH" -m rootfs -u 0 -c no-such-cmd
refused "-u abc" -m rootfs -u abc -c /bin/sh -c 'echo RAN'
refused "-u -1" -m rootfs -u -1 -c /bin/sh -c 'echo RAN'
refused "-u 65536" -m rootfs -u 65536 -c /bin/sh -c 'echo RAN'
refused "-u 12abc" -m rootfs -u 12abc -c /bin/sh -c 'echo RAN'
refused "-u empty" -m rootfs -u '' -c /bin/sh -c 'echo RAN'
refused "no -u" -m rootfs -c /bin/sh -c 'echo RAN'
refused "no -c" -m rootfs -u 0
refused "-c without command" -m rootfs -u 0 -c
refused "unknown flag" -m rootfs -u 0 -Z -c /bin/sh -c 'echo RAN'
refused "-M 12Q" -m rootfs -u 0 -M 12Q -c /bin/sh -c 'echo RAN'
refused "-M 0" -m rootfs -u 0 -M 0 -c /bin/sh -c 'echo RAN'
refused "-C 0" -m rootfs -u 0 -C 0 -c /bin/sh -c 'echo RAN'
refused "-P -3" -m rootfs -u 0 -P -3 -c /bin/sh -c 'echo RAN'
refused "-H a/b" -m rootfs -u 0 -H a/b -c /bin/sh -c 'echo RAN'
# Not root: the user without sudo.
snap_mounts >"$W/case.mounts"
$TIMEOUT runuser -u "$U" -- sh -c 'cd "$1" && exec ./contained -m rootfs -u 0 -c /bin/sh -c "echo RAN"' \
	sh "$TREE" </dev/null >"$W/out" 2>"$W/err"
st=$?
if [ "$st" = 125 ] && has '^contained: ' "$W/err" && hasnt RAN "$W/out"; then
	pass "bad input: not root (no sudo): refused with 125 and a message"
else
	fail "bad input: not root (no sudo): refused with 125 and a message"
	diag
fi
mounts_unchanged "bad input: not root" case
# Not the launcher's error: a command the shell inside cannot find is the
# shell's own 127.
snap_mounts >"$W/case.mounts"
launch_raw -m rootfs -u 0 -c /bin/sh -c no-such-command-here
check "bad input: a command the shell inside cannot find gives 127" [ "$st" = 127 ]
mounts_unchanged "bad input: command not found inside" case
rm -f "$file"
unchanged "leaks: after $n bad inputs" base
no_new_cgroups "leaks: after the bad inputs"

# === 5b. Part II, contained-oci, on cgroup v2 =======================================
. "$here/oci-checks.sh"

# === 6. at the end ================================================================
stage "at the end"
unchanged "end: since the start" start
left=$(cg_contained)
if [ -z "$left" ]; then
	pass "end: nothing under $CG/contained/"
else
	# shellcheck disable=SC2086 # one directory per word
	fail "end: nothing under $CG/contained/" $left
fi
failed_units >"$W/units.now"
new=$(changes "$W/units.before" "$W/units.now" | sed -n 's/^+ //p')
if [ -z "$new" ]; then
	pass "end: systemctl --failed shows nothing new"
else
	# shellcheck disable=SC2086 # one unit per word
	fail "end: systemctl --failed shows nothing new" $new
fi
mode=$(stat -c '%a %U' "$UHOME")
if [ "$mode" = "700 $U" ]; then
	pass "end: $UHOME is still $U's, mode 0700"
else
	fail "end: $UHOME is still $U's, mode 0700" "stat: '$mode'"
fi

summary
