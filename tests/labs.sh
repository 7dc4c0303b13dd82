#!/bin/sh
# labs.sh [ROOTFS] - run the labs of README.md exactly as written and check
# what each one says to observe, so that the README cannot rot.
#
#     sudo sh tests/labs.sh                      (ROOTFS: tests/build/rootfs)
#
# The README's "## Labs" section holds labs of this shape:
#
#     ### Lab N: title
#     prose
#     ```sh
#     commands, run from the top of the checkout with ./contained,
#     ./contained-oci and rootfs
#     ```
#     Observe: what the output shows (up to the next blank line)
#
# Every lab's block runs verbatim, with sh, in a scratch directory laid out
# like the checkout: ./contained and ./contained-oci (this checkout's
# binaries), tests/ (this checkout's), and rootfs, a private copy of ROOTFS (without its /probes), so
# that a lab may write into it; as root, like the root shell the README
# asks for.  check_N below then checks lab N's output against what its Observe
# line says, and that the Observe line still says it.  A lab without a check,
# a check without a lab, a block that runs into a "not found" or a launcher
# error, or one that takes more than a minute, fails too.
#
# Prints "ok - lab N: title" or "not ok - lab N: title" (with "#" lines
# saying why and the block's output), then "N passed, N failed"; exits 1 if
# anything failed, 2 if it could not run at all.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
README=${LABS_README:-$top/README.md}   # another file: to test labs.sh itself
ROOTFS=${1:-$top/tests/build/rootfs}
CONTAINED=$top/contained
CONTAINED_OCI=$top/contained-oci
NCHECKS=15            # check_1 .. check_15 below
LAB_TIMEOUT=${LAB_TIMEOUT:-60}   # seconds, per lab

if [ "$(id -u)" != 0 ]; then
	echo "labs.sh: must run as root (the labs use real namespaces and cgroups)" >&2
	exit 2
fi
for f in "$CONTAINED" "$CONTAINED_OCI" "$ROOTFS/bin/sh" "$ROOTFS/bin/busybox"; do
	if [ ! -x "$f" ]; then
		echo "labs.sh: $f missing (make contained contained-oci tests/build/rootfs/.built)" >&2
		exit 2
	fi
done
for cmd in awk cc chroot ip lsns nsenter ping ps setsid timeout unshare; do
	if ! command -v "$cmd" >/dev/null 2>&1; then
		echo "labs.sh: $cmd not found (run rootfs-scripts/deps.sh --test)" >&2
		exit 2
	fi
done

mkdir -p "$top/tests/build"
work=$(mktemp -d "$top/tests/build/labs.XXXXXX") || exit 2
# mktemp made it 0700; the container's root (host uid 100000) must be able
# to walk down to its rootfs.
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# --- the scratch checkout ------------------------------------------------------
mkdir "$work/run" "$work/run/rootfs"
ln -s "$CONTAINED" "$work/run/contained"
ln -s "$CONTAINED_OCI" "$work/run/contained-oci"
ln -s "$top/tests" "$work/run/tests"
for f in "$ROOTFS"/*; do
	[ "${f##*/}" = probes ] && continue
	cp -a "$f" "$work/run/rootfs/" || exit 2
done

# --- the labs, out of README.md --------------------------------------------------
# Lab N goes to $work/N/: title, block (the commands), observe (the text of
# its Observe paragraph, on one line).  Mistakes in the shape of the section
# go to $work/shape, one per line.
awk -v work="$work" '
	function fail(msg) { print msg > (work "/shape") }
	function put(file, text) { printf "%s\n", text >> (work "/" n "/" file); close(work "/" n "/" file) }
	/^## / { in_labs = ($0 == "## Labs"); if (in_labs) seen = 1; next }
	!in_labs { next }
	/^### / {
		observing = 0
		if ($0 !~ /^### Lab [0-9]+: /) { fail("heading in Labs not of the form \"### Lab N: title\": " $0); n = ""; next }
		n = $3; sub(/:$/, "", n)
		if (n != expect + 1) fail("lab " n " follows lab " expect)
		expect = n
		system("mkdir -p \"" work "/" n "\"")
		title = $0; sub(/^### Lab [0-9]+: /, "", title); put("title", title)
		blocks[n] = 0; observes[n] = 0
		next
	}
	n == "" { next }
	in_block && /^```$/ { in_block = 0; next }
	in_block { put("block", $0); next }
	/^```sh$/ { in_block = 1; blocks[n]++; if (blocks[n] > 1) fail("lab " n ": more than one sh block"); next }
	/^```/ { fail("lab " n ": a fenced block that is not ```sh"); next }
	/^Observe: / { observing = 1; observes[n]++; if (!blocks[n]) fail("lab " n ": Observe comes before the sh block") }
	observing && /^$/ { observing = 0 }
	observing { text = $0; sub(/^Observe: /, "", text); printf "%s ", text >> (work "/" n "/observe"); close(work "/" n "/observe") }
	END {
		if (!seen) fail("README.md has no \"## Labs\" section")
		if (in_block) fail("lab " n ": sh block not closed")
		for (i in blocks) {
			if (blocks[i] != 1) fail("lab " i ": no sh block")
			if (observes[i] != 1) fail("lab " i ": needs exactly one Observe line, has " observes[i])
		}
		print expect + 0 > (work "/count")
	}
' "$README"
nlabs=$(cat "$work/count" 2>/dev/null || echo 0)

# --- reporting -------------------------------------------------------------------
passed=0
failed=0
report() {          # report OK|FAIL NAME [DIR]: the TAP-like line, and why
	if [ "$1" = OK ]; then
		passed=$((passed + 1))
		echo "ok - $2"
		return
	fi
	failed=$((failed + 1))
	echo "not ok - $2"
	sed 's/^/#   /' "$work/why"
	if [ -n "${3:-}" ]; then
		echo "#   the block's stdout:"
		sed 's/^/#     /' "$3/out" | tail -n 40
		echo "#   its stderr:"
		sed 's/^/#     /' "$3/err" | tail -n 40
	fi
}

if [ -s "$work/shape" ]; then
	cp "$work/shape" "$work/why"
	report FAIL "README.md Labs section has the shape labs.sh reads"
fi

# --- helpers for the checks --------------------------------------------------------
# Each check reads $d/out, $d/err and $d/observe; why() records a reason for
# failing; none means the lab passed.
why() { echo "$*" >>"$work/why"; }
has() {             # has FILE ERE WHAT: a line of FILE matches
	grep -Eq -- "$2" "$d/$1" || why "$1 has no line matching /$2/ ($3)"
}
hasnt() {
	! grep -Eq -- "$2" "$d/$1" || why "$1 has a line matching /$2/ ($3)"
}
says() {            # says TEXT...: the Observe line still states each TEXT
	for text in "$@"; do
		grep -Fq -- "$text" "$d/observe" || why "the Observe line no longer says '$text'"
	done
}
field() {           # field FILE ERE N: field N of the first line matching ERE
	grep -E -- "$2" "$d/$1" | head -n 1 | awk -v n="$3" '{ print $n }'
}
# Busybox `time` prints "user\t0m 0.10s"; the nth such line, in seconds.
cpu_seconds() {     # cpu_seconds N: user + sys of the Nth `time` report in err
	awk -v want="$1" '
		$1 == "real" { k++ }
		k == want && ($1 == "user" || $1 == "sys") { m = $2; s = $3; sub(/m$/, "", m); sub(/s$/, "", s); t += m * 60 + s }
		END { printf "%.2f\n", t }' "$d/err"
}
real_seconds() {
	awk -v want="$1" '$1 == "real" && ++k == want { m = $2; s = $3; sub(/m$/, "", m); sub(/s$/, "", s); printf "%.2f\n", m * 60 + s }' "$d/err"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

host_release=$(uname -r)
host_node=$(uname -n)
# Every capability this kernel has, as /proc/PID/status prints the set.
all_caps=$(printf '%016x' $(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1)))
host_pretty=$(grep PRETTY /etc/os-release)
rootfs_pretty='PRETTY_NAME="contained busybox rootfs"'

# --- the checks, one per lab -----------------------------------------------------

check_1() {         # one kernel
	says "kernel release" "same" "node name" "differs"
	[ "$(wc -l <"$d/out")" -eq 2 ] || why "expected two lines of uname output"
	[ "$(sed -n 1p "$d/out")" = "$host_node $host_release" ] ||
		why "the first line is not the host's '$host_node $host_release'"
	# shellcheck disable=SC2046 # split into the two words of uname -nr
	set -- $(sed -n 2p "$d/out")
	[ "${2:-}" = "$host_release" ] || why "the container's release '${2:-}' is not the host's $host_release"
	[ -n "${1:-}" ] && [ "$1" != "$host_node" ] || why "the container's node name '${1:-}' is the host's"
}

check_2() {         # one process, two PIDs
	says "/bin/sleep 30" "NSpid" '`1`'
	pid=$(field out '^host pid: [0-9]+$' 3)
	[ -n "$pid" ] || { why "no 'host pid: N' line"; return; }
	has out "^ *$pid /bin/sleep 30\$" "ps shows the sleep under the host pid"
	has out "^NSpid:[[:space:]]+${pid}[[:space:]]+1\$" "NSpid is the host pid, then 1"
	grep -q "^=> container is pid $pid on the host\$" "$work/run/lab.log" ||
		why "lab.log does not say '=> container is pid $pid on the host'"
}

check_3() {         # namespaces are inodes
	says "eight differ" "cgroup ipc mnt net pid user uts" "pid_for_children" '`time`' "time_for_children"
	for ns in cgroup ipc mnt net pid pid_for_children user uts time time_for_children; do
		line=$(grep -E "^$ns: " "$d/out" | head -n 1)
		host=$(echo "$line" | sed -n 's/^[a-z_]*: host \([a-z]*:\[[0-9]*\]\), container .*/\1/p')
		cont=$(echo "$line" | sed -n 's/.*, container \([a-z]*:\[[0-9]*\]\)$/\1/p')
		if [ -z "$host" ] || [ -z "$cont" ]; then
			why "$ns: no 'host TYPE:[INODE], container TYPE:[INODE]' line"
			continue
		fi
		case $ns in
		time*) [ "$host" = "$cont" ] || why "$ns differs ($host, $cont); the labs say it is the host's" ;;
		*) [ "$host" != "$cont" ] || why "$ns is the host's ($host); the labs say it differs" ;;
		esac
		eval "ns_$ns=\$cont"
	done
	[ "${ns_pid:-x}" = "${ns_pid_for_children:-y}" ] ||
		why "the container's pid_for_children is not its pid namespace"
	# lsns -p: NS TYPE NPROCS PID USER COMMAND; PID is the lowest in the namespace
	says "lsns -p" "seven new namespaces"
	cpid=$(awk '$2 == "user" { print $4 }' "$d/out")
	[ -n "$cpid" ] || { why "no user namespace line from lsns"; return; }
	for ns in cgroup ipc mnt net pid uts; do
		[ "$(awk -v t="$ns" '$2 == t { print $4 }' "$d/out")" = "$cpid" ] ||
			why "lsns: the $ns namespace's PID is not the container's $cpid"
	done
	tpid=$(awk '$2 == "time" { print $4 }' "$d/out")
	[ -n "$tpid" ] && [ "$tpid" != "$cpid" ] || why "lsns: the time namespace's PID is '$tpid', not a host process's"
}

check_4() {         # the user namespace from both sides
	says "uid=0(root)" "0 100000 65536" "uid 100000" "101000"
	has out '^uid=0\(root\) gid=0\(root\)' "id inside"
	n=$(tr -s ' \t' '  ' <"$d/out" | sed 's/^ //' | grep -c '^0 100000 65536$')
	[ "$n" -eq 2 ] || why "uid_map '0 100000 65536' seen $n times, expected inside and from the host"
	has out '^ *100000 +[0-9]+ /bin/sleep 30$' "ps on the host: uid 100000"
	has out '^Uid:[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000$' "Uid in status"
	has out '^Gid:[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000$' "Gid in status"
}

check_5() {         # memory limit
	says "16777216" "1000000 bytes" "out of memory (limit 16M)" "137"
	has out '^16777216$' "the limit inside"
	has out '^1000000 bytes$' "the small string fits"
	hasnt out '^100000000 bytes$' "the big string must not fit"
	has err '^=> container was killed: out of memory \(limit 16M\)$' "the launcher's OOM message"
	has out '^exit status 137$' "exit status"
}

check_6() {         # fork bomb
	says "pids.max 20" "pids.events" "max N"
	refused=$(sed -n 's/^the bomb is over: pids.max 20, max \([0-9]*\)$/\1/p' "$d/out")
	if [ -z "$refused" ]; then
		why "no 'the bomb is over: pids.max 20, max N' line"
	elif [ "$refused" -lt 1 ]; then
		why "no fork was refused (max $refused)"
	fi
	says "process limit (-P 20)"
	has err '^=> container exited with status 0; [0-9]+ forks were refused at the process limit \(-P 20\)$' \
		"the launcher's end line"
}

check_7() {         # CPU throttled
	says "-C 0.1" "0.1 s" "10000" "100000" "nr_throttled" "above 0"
	[ "$(grep -c '^real' "$d/err")" -eq 2 ] || { why "expected two \`time\` reports on stderr"; return; }
	free=$(cpu_seconds 1)
	capped=$(cpu_seconds 2)
	for k in 1 2; do
		ge "$(real_seconds $k)" 0.9 || why "run $k lasted $(real_seconds $k) s, not 1 s"
	done
	ge 0.3 "$capped" || why "under -C 0.1 yes got $capped s of CPU in 1 s"
	ge "$free" "$(awk -v c="$capped" 'BEGIN { print 2 * c + 0.05 }')" ||
		why "without -C yes got $free s of CPU, not clearly more than $capped s under -C 0.1"
	quota=$(tr '\n' ' ' <"$d/out")
	case $quota in
	*"10000 100000 "*) ;;
	*) why "the quota does not read 10000 in 100000 (cpu.max or cfs_quota_us/cfs_period_us)" ;;
	esac
	throttled=$(field out '^nr_throttled ' 2)
	[ -n "$throttled" ] && [ "$throttled" -gt 0 ] || why "nr_throttled is '${throttled:-}'"
}

check_8() {         # chroot vs pivot_root
	says "contained busybox rootfs" "host's" "climbs 0 levels"
	[ "$host_pretty" != "$rootfs_pretty" ] || { why "the host's os-release cannot be told from the rootfs's"; return; }
	printf '%s\n%s\n%s\n%s\n' "$rootfs_pretty" "$host_pretty" "$host_pretty" "$rootfs_pretty" >"$d/want"
	cmp -s "$d/want" "$d/out" ||
		why "stdout is not: the rootfs's PRETTY_NAME, the host's twice (escaped), the rootfs's (contained)"
	grep 'climbed' "$d/err" | sed 's/.*climbed \([0-9]*\) level.*/\1/' | tr '\n' ' ' >"$d/climbs"
	read -r a b c rest <"$d/climbs" || true
	if [ -z "${c:-}" ] || [ -n "${rest:-}" ]; then
		why "expected three 'climbed N levels' lines from the escape, got: $(cat "$d/climbs")"
	else
		[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || why "on the host the escape climbed $a and $b levels"
		[ "$c" -eq 0 ] || why "inside contained the escape climbed $c levels"
	fi
	says "out of the rootfs again"
	[ ! -e "$work/run/rootfs/escape" ] || why "rootfs/escape was left in the rootfs"
}

check_9() {         # capabilities and seccomp
	says "NoNewPrivs: 1" "Seccomp: 2" "nine kept capabilities" '`lab`' "hostname other" \
		"mount" "permission denied" "chmod u+s" "chmod 755"
	has out '^NoNewPrivs:[[:space:]]+1$' "no_new_privs"
	has out '^Seccomp:[[:space:]]+2$' "seccomp filter mode"
	eff=$(field out '^CapEff:' 2)
	bnd=$(field out '^CapBnd:' 2)
	stated=$(grep -Eo '`[0-9a-f]{16}`' "$d/observe" | head -n 1 | tr -d '`')
	if [ -z "$eff" ]; then
		why "no CapEff line"
	else
		[ "$eff" = "$stated" ] || why "CapEff is $eff, the Observe line says '$stated'"
		[ "$eff" = "$bnd" ] || why "CapBnd $bnd is not CapEff $eff"
		[ $(((0x$eff >> 21) & 1)) -eq 0 ] || why "CapEff $eff has CAP_SYS_ADMIN"
		ncaps=0 mask=$((0x$eff))
		while [ "$mask" -ne 0 ]; do
			ncaps=$((ncaps + (mask & 1))) mask=$((mask >> 1))
		done
		[ "$ncaps" -eq 9 ] || why "CapEff $eff holds $ncaps capabilities, not nine"
	fi
	has out '^lab$' "hostname prints lab"
	has err 'hostname: .*Operation not permitted' "hostname other refused"
	has err '^mount: .*(permission denied|Operation not permitted)' "mount refused"
	has out '^chmod 755: fine$' "a plain chmod works"
	has err '^chmod: /tmp/f: Operation not permitted$' "chmod u+s refused"
	[ ! -e "$work/run/rootfs/tmp/f" ] || why "/tmp/f was left in the rootfs"
}

check_10() {        # nsenter
	says "/bin/sleep 30" '`lab`' "every capability" "Seccomp: 0"
	has out '^ *1 +root +/bin/sleep 30$' "ps inside lists PID 1"
	has out '^ *[0-9]+ +root +ps$' "ps inside lists itself"
	has out '^lab$' "hostname inside"
	has out "^CapEff:[[:space:]]+$all_caps\$" "the joined process has every capability"
	has out '^Seccomp:[[:space:]]+0$' "the joined process has no filter"
}

check_11() {        # -S: the host's namespaces
	says "isolated" "only \`lo\`" "every host process" "=> warning: -S pid" "=> warning: -S net"
	iso=$(sed -n 's/^isolated: \([0-9]*\) processes, lo$/\1/p' "$d/out")
	shared=$(sed -n 's/^shared: \([0-9]*\) processes, .*$/\1/p' "$d/out")
	[ -n "$iso" ] || { why "no 'isolated: N processes, lo' line"; return; }
	[ -n "$shared" ] || { why "no 'shared: N processes, ...' line"; return; }
	[ "$iso" -le 5 ] || why "isolated, the container saw $iso processes"
	[ "$shared" -gt $((iso + 5)) ] || why "shared, the container saw only $shared processes"
	for ifc in $(ls /sys/class/net); do
		grep -Eq "^shared: .* $ifc( |\$)" "$d/out" || grep -Eq "^shared: [0-9]+ processes, $ifc( |\$)" "$d/out" ||
			why "shared, the host's interface $ifc is missing"
	done
	has out '^=> warning: -S pid: ' "the -S pid warning"
	has out '^=> warning: -S net: ' "the -S net warning"
	[ "$(grep -c '^=> warning: -S' "$d/out")" -eq 2 ] || why "expected two -S warning lines"
}

check_12() {        # -x and -l
	says "debugme" "1G" "lo only" "/bin/sleep 30" "nine capabilities" "00000000000404fb" "Seccomp: 2"
	pid=$(grep -E '^=> container is pid [0-9]+ on the host$' "$work/run/lab.log" | awk '{ print $5 }')
	[ -n "$pid" ] || { why "lab.log has no container pid"; return; }
	has out "^debugme +$pid +[0-9]+s +[0-9.]+M/1G +lo only .*/bin/sleep 30\$" "-l lists the container"
	has out '^ *1 +root +/bin/sleep 30$' "ps inside lists PID 1"
	has out '^debugme$' "hostname inside"
	has out '^CapEff:[[:space:]]+00000000000404fb$' "the entered shell's capabilities"
	has out '^Seccomp:[[:space:]]+2$' "the entered shell's filter"
}

check_13() {        # -n: a veth pair
	says "eth0" "10.200.0.2/24" "via 10.200.0.1" "1 received" "ct..."
	has out '^[0-9]+: eth0 +inet 10\.200\.[0-9]+\.2/24' "eth0's address inside"
	has out '^default via 10\.200\.[0-9]+\.1 dev eth0' "the default route inside"
	has out ' 1 received' "the host's ping across the pair"
	has out '^ct[0-9a-f]+@' "the host's end of the pair"
	# the lab runs in a network namespace of its own, where forwarding starts off
	says "=> warning: IPv4 forwarding was off; turned it on" "sysctl -w net.ipv4.ip_forward=0"
	grep -q '^=> warning: IPv4 forwarding was off; turned it on.*sysctl -w net\.ipv4\.ip_forward=0' \
		"$work/run/lab.log" || why "lab.log has no warning that forwarding was turned on, with the way back"
}

check_14() {        # contained-oci driven by hand
	says "pid file" '"status":"created"' "exec.fifo" "state.json" "config.json" "UTS namespace" \
		'output so far:' "output now: hello from lab14" '"status":"running"' '"stopped"' "/run/lab14"
	pid=$(sed -n 's/^pid file: \([0-9][0-9]*\)$/\1/p' "$d/out")
	[ -n "$pid" ] || { why "no 'pid file: N' line"; return; }
	has out "^ *\"pid\": *$pid,?\$" "state's pid is the pid file's"
	statuses=$(grep -o '"status": *"[a-z]*"' "$d/out" | tr -d ' "' | sed 's/status://' | tr '\n' ' ')
	[ "$statuses" = "created running stopped " ] ||
		why "state said '$statuses', not created, then running, then stopped"
	has out '^exec\.fifo$' "the state directory holds the FIFO after create"
	has out '^state\.json$' "the state directory holds state.json"
	has out '^config\.json$' "the state directory holds config.json (for exec)"
	[ "$(grep -c '^uts:\[' "$d/out")" -eq 2 ] && [ "$(grep '^uts:\[' "$d/out" | sort -u | wc -l)" -eq 2 ] ||
		why "expected two different uts:[N] lines (the shell's, the container's)"
	has out '^output so far: $' "nothing ran before start"
	has out '^output now: hello from lab14$' "the command ran after start, with the config's hostname"
	tail -n 1 "$d/out" | grep -q '"status": *"stopped"' ||
		why "something follows the last state (ls -A /run/lab14 after delete should print nothing)"
	[ ! -e /run/lab14 ] || why "/run/lab14 is left"
	! ls -d /sys/fs/cgroup/*/lab14 /sys/fs/cgroup/lab14 >/dev/null 2>&1 || why "a lab14 cgroup is left"
	# Reaped or a zombie (its reaper, the host's init, may not have come by yet).
	case $(ps -o stat= -p "$pid") in
	"" | Z*) ;;
	*) why "the container's process $pid is still alive" ;;
	esac
}

check_15() {        # contained-oci with a user namespace
	says "uid and gid 100000" "0 100000 65536" "uid=0(root)" "65534" "Permission denied" \
		"linux.uidMappings" "container uid 0"
	has out '^Uid:[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000$' "the host sees uid 100000"
	has out '^Gid:[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000$' "the host sees gid 100000"
	[ "$(grep -cE '^ +0 +100000 +65536$' "$d/out")" -eq 2 ] ||
		why "expected the map 0 100000 65536 twice (from the host, from inside)"
	has out '^uid=0\(root\) gid=0\(root\)' "root inside"
	has out '^d[rwx-]{9} +[0-9]+ +65534 +65534 .* /$' "/ belongs to the overflow id inside"
	has out '^dr-xr-xr-x +[0-9]+ +0 +0 .* /proc/1$' "its own /proc is root's"
	has out '^touch: /x: Permission denied$' "root inside cannot write host root's rootfs"
	has out '^contained-oci: .*linux\.uidMappings.*container uid 0' "an unmapped root is refused by field"
	[ ! -e /run/lab15 ] || why "/run/lab15 is left"
	! ls -d /sys/fs/cgroup/*/lab15* /sys/fs/cgroup/lab15* >/dev/null 2>&1 || why "a lab15 cgroup is left"
}

# Labs whose container gets a network (-n) run in a network namespace of
# their own, with only lo up: what they set up (a veth pair, a firewall
# table, forwarding) stays out of this machine's own network.
NETNS_LABS=" 13 "

# --- run them ------------------------------------------------------------------------
i=1
while [ "$i" -le "$nlabs" ] || [ "$i" -le "$NCHECKS" ]; do
	d=$work/$i
	: >"$work/why"
	if [ ! -f "$d/title" ]; then
		why "README.md has no lab $i, but labs.sh checks one"
		report FAIL "lab $i"
		i=$((i + 1))
		continue
	fi
	name="lab $i: $(cat "$d/title")"
	if [ "$i" -gt "$NCHECKS" ]; then
		why "labs.sh has no check_$i for this lab"
		report FAIL "$name"
		i=$((i + 1))
		continue
	fi
	[ -f "$d/block" ] || { why "no commands"; report FAIL "$name"; i=$((i + 1)); continue; }
	touch "$d/observe"
	cp "$d/block" "$d/run.sh"
	# In a session of its own (its id saved in sid), so that whatever the
	# block leaves behind, such as a background container after a failure,
	# can be killed as a group.  This sh is not a group leader, so setsid
	# does not fork: the session id is its pid.
	netns=
	case $NETNS_LABS in *" $i "*) netns="unshare -n" ;; esac
	$netns sh -c '[ -z "$4" ] || ip link set lo up
		echo $$ >"$1/sid"; cd "$2" && exec setsid timeout "$3" sh "$1/run.sh"' \
		sh "$d" "$work/run" "$LAB_TIMEOUT" "$netns" </dev/null >"$d/out" 2>"$d/err"
	status=$?
	[ -s "$d/sid" ] && kill -KILL "-$(cat "$d/sid")" 2>/dev/null
	[ "$status" -ne 124 ] || why "the block ran for more than $LAB_TIMEOUT s"
	hasnt err '(^|: )[^ ]*: not found$|^contained(-oci)?: ' "a command not found, or a launcher or runtime error"
	"check_$i"
	if [ -s "$work/why" ]; then
		report FAIL "$name" "$d"
	else
		report OK "$name"
	fi
	i=$((i + 1))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
