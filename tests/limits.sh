#!/bin/sh
# limits.sh CONTAINED ROOTFS - the resource limit tests of contained, on
# real cgroups: memory (OOM kill), pids (fork fails with EAGAIN), cpu
# (throttling), the limit files seen inside, bad flag values, and that no
# cgroup directory is left behind after any of it.
#
#     sudo sh tests/limits.sh ./contained tests/build/rootfs
#
# POSIX sh: it runs under dash on the host (make check-limits, cgroup v1 or
# v2, whatever the host has) and under busybox sh in the cgroup v2 VM
# (make check-vm).  ROOTFS must hold the probes of tests/probes/ at /probes.
# Prints "ok - NAME" or "not ok - NAME" (with "#" lines saying why) per
# check, then "N passed, N failed"; exits 1 if any check failed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 CONTAINED ROOTFS" >&2
	exit 2
fi
C=$1
R=$2
if [ "$(id -u)" != 0 ]; then
	echo "limits.sh: must run as root (real cgroups)" >&2
	exit 2
fi
if [ ! -x "$C" ]; then
	echo "limits.sh: $C is not executable" >&2
	exit 2
fi
for f in bin/sh probes/memhog probes/forkbomb; do
	if [ ! -x "$R/$f" ]; then
		echo "limits.sh: $R/$f missing (make tests/build/rootfs/.built)" >&2
		exit 2
	fi
done

CG=/sys/fs/cgroup

# cgroup v2 ("unified") when /sys/fs/cgroup itself is a cgroup2 mount, else
# v1: a tmpfs holding one mount per controller (with or without a cgroup2
# mount at unified/ that has no controllers: "hybrid").  coreutils' stat
# names the type cgroup2fs; busybox's has no name for it, so also look at
# the magic number, CGROUP2_SUPER_MAGIC 0x63677270.
case $(stat -f -c '%T %t' "$CG" 2>/dev/null) in
cgroup2fs* | *' 63677270') mode=v2 ;;
*) mode=v1 ;;
esac

# The files holding the limits, relative to /sys/fs/cgroup inside the
# container (where the container's own cgroup is mounted).
if [ $mode = v2 ]; then
	F_PIDS=pids.max
	F_CPUSTAT=cpu.stat
	F_WEIGHT=cpu.weight
	WEIGHT_DEFAULT=100
else
	F_PIDS=pids/pids.max
	F_CPUSTAT=cpu/cpu.stat
	F_WEIGHT=cpu/cpu.shares
	WEIGHT_DEFAULT=1024
fi

TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout 120"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/limits.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

. "$(dirname "$0")/tap.sh"
skipped=0
ntest=0

skip() {
	skipped=$((skipped + 1))
	echo "ok - $1 # SKIP $2"
}

# What the last container did: its exit status and the start of its output.
diag() {
	echo "#   exit status: $st"
	sed -n '1,20s/^/#   stdout: /p' "$tmp/out"
	sed -n '1,20s/^/#   stderr: /p' "$tmp/err"
}

# check NAME CONDITION...: pass if the test command succeeds, else fail
# and show the last container's output.
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

# Every container cgroup directory that exists now, on either layout:
# v2 /sys/fs/cgroup/contained/NAME, v1 /sys/fs/cgroup/CTRL/contained/NAME.
cg_list() {
	for d in "$CG"/contained/* "$CG"/*/contained/*; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# begin NAME: start a test.  Each test has its own hostname, which is the
# first part of its cgroup's name (HOSTNAME.LAUNCHER_PID), and remembers
# which container cgroups existed before it ran.
begin() {
	tname=$1
	ntest=$((ntest + 1))
	host=lim$$-$ntest
	before=$(cg_list)
}

# The container cgroups that exist now but did not when the test began.
leftovers() {
	for d in $(cg_list); do
		case "
$before
" in
		*"
$d
"*) ;;
		*) echo "$d" ;;
		esac
	done
}

# After every test: nothing new may remain under any contained/ parent.
# The launcher removes its cgroups before it exits, so a directory still
# there is a leak.  Ours (named $host.ID) fail at once.  Someone else may be
# running containers on the same host meanwhile (a parallel test run, a
# benchmark), so any other new directory counts only if it is still there a
# few seconds later and no launcher holds its lock (each launcher keeps a
# flock on /run/contained/NAME.lock; flock -n succeeds only on an orphan's).
end_test() {
	ours=
	others=
	for d in $(leftovers); do
		case ${d##*/} in
		"$host".*) ours="$ours $d" ;;
		*) others="$others $d" ;;
		esac
	done
	tries=0
	while [ -n "$others" ] && [ $tries -lt 3 ]; do
		sleep 1
		now=$(leftovers)
		still=
		for d in $others; do
			case "
$now
" in
			*"
$d
"*)
				lock=/run/contained/${d##*/}.lock
				{ [ ! -e "$lock" ] || flock -n "$lock" true 2>/dev/null; } && still="$still $d"
				;;
			esac
		done
		others=$still
		tries=$((tries + 1))
	done
	if [ -z "$ours$others" ]; then
		pass "$tname: no cgroup left behind"
	else
		# shellcheck disable=SC2086 # one directory per word
		fail "$tname: no cgroup left behind" $ours $others
	fi
}

# run ARGS...: run the launcher on the test rootfs as container root with
# this test's hostname; sets st and leaves the output in $tmp/out, $tmp/err.
run() {
	$TIMEOUT "$C" -m "$R" -u 0 -H "$host" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# Is process $1 still running (a zombie waiting for us to reap it is not)?
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(cat "/proc/$1/stat" 2>/dev/null) in
	*") Z "* | "") return 1 ;;
	esac
	return 0
}

# reap PID SECONDS: wait for the background launcher PID; kill it if it
# is still running after SECONDS.  Sets st ("timeout" if it was killed).
reap() {
	i=0
	while alive "$1" && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if alive "$1"; then
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		st=timeout
	else
		wait "$1"
		st=$?
	fi
}

# The value of KEY in "KEY=VALUE" lines of $tmp/out (the first one).
val() {
	awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$tmp/out"
}

# expect NAME KEY WANT: the container printed KEY=WANT.
expect() {
	got=$(val "$2")
	if [ "$got" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "$2: want '$3', got '$got'"
	fi
}

# Run inside a container: print FILE=CONTENT for each cgroup file named in
# the arguments (relative to /sys/fs/cgroup), then the open-files limits and
# the container's /proc/self/cgroup.
# shellcheck disable=SC2016 # expanded inside the container
READ_LIMITS='
for f; do
	if [ -r "/sys/fs/cgroup/$f" ]; then
		echo "$f=$(cat "/sys/fs/cgroup/$f")"
	else
		echo "$f=(unreadable)"
	fi
done
echo "nofile.soft=$(ulimit -Sn)"
echo "nofile.hard=$(ulimit -Hn)"
while read -r line; do
	echo "proc.cgroup=$line"
done </proc/self/cgroup
'

has() { grep -q "$@"; }
hasnt() { ! grep -q "$@"; }

echo "# limits.sh: cgroup $mode host, launcher $C, rootfs $R"

# --- (e) bad values --------------------------------------------------------
# Each one is refused before anything runs: exit 125, a "contained: ..."
# line on stderr, the command never started, no cgroup created.
for bad in "-M 0" "-M abc" "-M 5X" "-M -1" "-M 99999999999999999999M" \
	"-C -1" "-C abc" "-C 0" "-P 0" "-P abc" "-P -1"; do
	# shellcheck disable=SC2086 # "-M 0" is two arguments
	set -- $bad
	begin "bad value $bad"
	run "$1" "$2" -c /bin/echo RAN
	if [ "$st" = 125 ] && has '^contained: ' "$tmp/err" && hasnt RAN "$tmp/out"; then
		pass "$tname: rejected with exit 125 and a message"
	else
		fail "$tname: rejected with exit 125 and a message"
		diag
	fi
	end_test
done

# --- (d) the limits asked for, as seen inside -------------------------------
begin "-M 64M -C 0.5 -P 20"
if [ $mode = v2 ]; then
	run -M 64M -C 0.5 -P 20 -c /bin/sh -c "$READ_LIMITS" sh memory.max cpu.max pids.max memory.swap.max
	check "$tname: container ran" [ "$st" = 0 ]
	expect "$tname: memory.max is 67108864" memory.max 67108864
	expect "$tname: cpu.max is 50000 100000" cpu.max "50000 100000"
	expect "$tname: pids.max is 20" pids.max 20
	if [ "$(val memory.swap.max)" = "(unreadable)" ]; then
		skip "$tname: memory.swap.max is 0 (no swap beyond the limit)" "no swap controller"
	else
		expect "$tname: memory.swap.max is 0 (no swap beyond the limit)" memory.swap.max 0
	fi
else
	run -M 64M -C 0.5 -P 20 -c /bin/sh -c "$READ_LIMITS" sh memory/memory.limit_in_bytes \
		cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us pids/pids.max memory/memory.memsw.limit_in_bytes
	check "$tname: container ran" [ "$st" = 0 ]
	expect "$tname: memory.limit_in_bytes is 67108864" memory/memory.limit_in_bytes 67108864
	expect "$tname: cpu.cfs_quota_us is 50000" cpu/cpu.cfs_quota_us 50000
	expect "$tname: cpu.cfs_period_us is 100000" cpu/cpu.cfs_period_us 100000
	expect "$tname: pids.max is 20" pids/pids.max 20
	if [ "$(val memory/memory.memsw.limit_in_bytes)" = "(unreadable)" ]; then
		skip "$tname: memsw.limit_in_bytes is 67108864 (no swap beyond the limit)" "no swap accounting"
	else
		expect "$tname: memsw.limit_in_bytes is 67108864 (no swap beyond the limit)" \
			memory/memory.memsw.limit_in_bytes 67108864
	fi
fi
end_test

# The G suffix, and a size that does not fit in 32 bits.
begin "-M 2G -C 0.25 -P 30"
if [ $mode = v2 ]; then
	run -M 2G -C 0.25 -P 30 -c /bin/sh -c "$READ_LIMITS" sh memory.max cpu.max pids.max
	check "$tname: container ran" [ "$st" = 0 ]
	expect "$tname: memory.max is 2147483648" memory.max 2147483648
	expect "$tname: cpu.max is 25000 100000" cpu.max "25000 100000"
	expect "$tname: pids.max is 30" pids.max 30
else
	run -M 2G -C 0.25 -P 30 -c /bin/sh -c "$READ_LIMITS" sh memory/memory.limit_in_bytes \
		cpu/cpu.cfs_quota_us pids/pids.max
	check "$tname: container ran" [ "$st" = 0 ]
	expect "$tname: memory.limit_in_bytes is 2147483648" memory/memory.limit_in_bytes 2147483648
	expect "$tname: cpu.cfs_quota_us is 25000" cpu/cpu.cfs_quota_us 25000
	expect "$tname: pids.max is 30" pids/pids.max 30
fi
end_test

begin "defaults"
if [ $mode = v2 ]; then
	run -c /bin/sh -c "$READ_LIMITS" sh memory.max cpu.max pids.max cpu.weight
	check "$tname: container ran" [ "$st" = 0 ]
	expect "$tname: memory.max is 1073741824 (1G)" memory.max 1073741824
	expect "$tname: pids.max is 64" pids.max 64
	expect "$tname: cpu.max is max 100000 (no quota)" cpu.max "max 100000"
else
	run -c /bin/sh -c "$READ_LIMITS" sh memory/memory.limit_in_bytes pids/pids.max \
		cpu/cpu.cfs_quota_us cpu/cpu.shares
	check "$tname: container ran" [ "$st" = 0 ]
	expect "$tname: memory.limit_in_bytes is 1073741824 (1G)" memory/memory.limit_in_bytes 1073741824
	expect "$tname: pids.max is 64" pids/pids.max 64
	expect "$tname: cpu.cfs_quota_us is -1 (no quota)" cpu/cpu.cfs_quota_us -1
fi
weight=$(val "$F_WEIGHT")
if [ -n "$weight" ] && [ "$weight" -lt $WEIGHT_DEFAULT ] 2>/dev/null; then
	pass "$tname: $F_WEIGHT is lowered (below $WEIGHT_DEFAULT)"
else
	fail "$tname: $F_WEIGHT is lowered (below $WEIGHT_DEFAULT)" "got '$weight'"
fi
expect "$tname: RLIMIT_NOFILE soft is 1024" nofile.soft 1024
expect "$tname: RLIMIT_NOFILE hard is 4096" nofile.hard 4096
# cgroup namespace: every line of /proc/self/cgroup ends in ":/".
lines=$(grep -c '^proc.cgroup=' "$tmp/out")
notroot=$(grep '^proc.cgroup=' "$tmp/out" | grep -v ':/$')
if [ "$lines" -gt 0 ] && [ -z "$notroot" ]; then
	pass "$tname: /proc/self/cgroup shows / (cgroup namespace)"
else
	fail "$tname: /proc/self/cgroup shows / (cgroup namespace)" "$lines lines; not /: $notroot"
fi
end_test

# The container can read its limits but not raise them.
begin "limits are read-only inside"
run -P 20 -c /bin/sh -c "
if (echo 1000 >/sys/fs/cgroup/$F_PIDS) 2>/dev/null; then echo write=accepted; else echo write=refused; fi
echo after=\$(cat /sys/fs/cgroup/$F_PIDS)"
check "$tname: container ran" [ "$st" = 0 ]
expect "$tname: writing $F_PIDS is refused" write refused
expect "$tname: $F_PIDS still 20" after 20
end_test

# --- the cgroup while the container runs; a kill that is not an OOM ----------
begin "killed from the host"
"$C" -m "$R" -u 0 -H "$host" -c /bin/sleep 60 </dev/null >"$tmp/out" 2>"$tmp/err" &
lpid=$!
# The launcher names its cgroup on stderr: "=> creating cgroup NAME (cgroup vN)".
i=0
name=
while [ $i -lt 200 ] && [ -z "$name" ] && alive $lpid; do
	name=$(sed -n 's/.*=> creating cgroup \([^ ]*\) (cgroup.*/\1/p' "$tmp/err")
	[ -n "$name" ] || sleep 0.1
	i=$((i + 1))
done
if [ $mode = v2 ]; then
	dirs="$CG/contained/$name"
else
	dirs="$CG/memory/contained/$name $CG/cpu/contained/$name $CG/pids/contained/$name"
fi
# Wait (up to 20 s: the VM is slow) until the command, sleep, runs in all
# of them (not merely the launcher's child still setting up).
i=0
while [ $i -lt 200 ]; do
	ready=yes
	for d in $dirs; do
		# (cgroup files have size 0, so test -s cannot tell)
		p=$(head -n 1 "$d/cgroup.procs" 2>/dev/null)
		[ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] || ready=no
	done
	[ "$ready" = yes ] && break
	alive $lpid || break
	sleep 0.1
	i=$((i + 1))
done
if [ "$ready" = yes ]; then
	pass "$tname: cgroup contained/$name holds the container ($mode)"
else
	st=running
	alive $lpid || st=exited
	fail "$tname: cgroup contained/$name holds the container ($mode)" \
		"launcher $st; container cgroups now: $(cg_list | tr '\n' ' ')"
fi
procs=
for d in $dirs; do
	[ -r "$d/cgroup.procs" ] && procs="$procs $(cat "$d/cgroup.procs")"
done
case " $procs " in
*" $lpid "*) fail "$tname: the launcher stays out of the container's cgroup" "cgroup.procs:$procs" ;;
*) pass "$tname: the launcher stays out of the container's cgroup" ;;
esac
if [ -n "$procs" ]; then
	# shellcheck disable=SC2086
	kill -9 $procs 2>/dev/null
fi
reap $lpid 30
check "$tname: exit status 137" [ "$st" = 137 ]
check "$tname: not reported as out of memory" hasnt 'out of memory' "$tmp/err"
end_test

# --- (a) memory --------------------------------------------------------------
begin "memhog 16 MiB under -M 32M"
run -M 32M -c /probes/memhog 16
if [ "$st" = 0 ] && has '^touched 16 MiB' "$tmp/out" && hasnt 'out of memory' "$tmp/err"; then
	pass "$tname: runs to completion"
else
	fail "$tname: runs to completion"
	diag
fi
end_test

begin "memhog 64 MiB under -M 32M"
run -M 32M -c /probes/memhog 64
check "$tname: exit status 137" [ "$st" = 137 ]
check "$tname: launcher says out of memory" has 'out of memory' "$tmp/err"
check "$tname: the probe did not finish" hasnt touched "$tmp/out"
end_test

# --- (b) pids ----------------------------------------------------------------
# The probe forks children that wait, stops at the first failing fork, prints
# "forks=N errno=E (NAME)" and keeps the children for 3 s; meanwhile the host
# must still be able to fork 20 processes.
begin "fork loop under -P 10"
"$C" -m "$R" -u 0 -H "$host" -P 10 -c /probes/forkbomb 200 3 </dev/null >"$tmp/out" 2>"$tmp/err" &
lpid=$!
i=0
while [ $i -lt 300 ] && ! has '^forks=' "$tmp/out" && alive $lpid; do
	sleep 0.1
	i=$((i + 1))
done
hostforks=$("$R/probes/forkbomb" 20 0 2>&1)
reap $lpid 60
line=$(grep '^forks=' "$tmp/out" | head -n 1)
forks=$(echo "$line" | sed -n 's/^forks=\([0-9]*\) .*/\1/p')
errname=$(echo "$line" | sed -n 's/.*(\(.*\))$/\1/p')
check "$tname: container ran" [ "$st" = 0 ]
if [ -n "$forks" ] && [ "$forks" -ge 1 ] && [ "$forks" -lt 10 ]; then
	pass "$tname: stops below 10 processes"
else
	fail "$tname: stops below 10 processes" "probe said: '$line'"
fi
if [ "$errname" = EAGAIN ]; then
	pass "$tname: fork fails with EAGAIN"
else
	fail "$tname: fork fails with EAGAIN" "probe said: '$line'"
fi
if [ "$hostforks" = "forks=20 errno=0 (none)" ]; then
	pass "$tname: the host can still fork meanwhile"
else
	fail "$tname: the host can still fork meanwhile" "host probe said: '$hostforks'"
fi
end_test

# --- (c) cpu -----------------------------------------------------------------
# A busy loop for about a second under a 10% quota must be throttled.
begin "busy loop under -C 0.1"
run -C 0.1 -c /bin/sh -c "
(while :; do :; done) &
sleep 1
kill \$!
wait 2>/dev/null
while read -r k v; do echo \"\$k=\$v\"; done </sys/fs/cgroup/$F_CPUSTAT"
check "$tname: container ran" [ "$st" = 0 ]
thr=$(val nr_throttled)
if [ -n "$thr" ] && [ "$thr" -gt 0 ] 2>/dev/null; then
	pass "$tname: nr_throttled > 0 in $F_CPUSTAT"
else
	fail "$tname: nr_throttled > 0 in $F_CPUSTAT" "nr_throttled='$thr'"
	diag
fi
if [ $mode = v2 ]; then
	# About 0.1 s of CPU in about a second; far less than 0.5 s.
	usage=$(val usage_usec)
	if [ -n "$usage" ] && [ "$usage" -lt 500000 ] 2>/dev/null; then
		pass "$tname: usage_usec < 500000 (got $usage)"
	else
		fail "$tname: usage_usec < 500000" "usage_usec='$usage'"
	fi
fi
end_test

summary
