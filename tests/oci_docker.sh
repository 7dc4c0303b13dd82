#!/bin/sh
# oci_docker.sh RUNTIME ROOTFS -- contained-oci as a runtime of a real
# dockerd: a containerd and a dockerd of the test's own (configs, data,
# state, pid files and sockets under tests/build/TOKEN, never the system's;
# no bridge, no iptables, no forwarding), RUNTIME registered in daemon.json
# as the runtime "contained"; an image built here from ROOTFS (busybox,
# without /probes) and loaded offline; then docker run (--rm, exit
# statuses, a SIGKILLed one, Docker's seccomp profile, capabilities,
# sysctls and cgroup mount seen inside, --memory and --pids-limit, -it on
# a pty), docker exec (plain and -it), docker stop (a SIGTERM handler, and
# the SIGKILL after the timeout) and docker rm -f, each followed by a look
# for anything left behind: the container's cgroup, its state under the
# runtime's --root, mounts, its shim and processes; last, the daemons are
# stopped and nothing of theirs may be left (mounts, processes, cgroups,
# a docker0 bridge, DOCKER iptables chains, the AppArmor profile
# docker-default where AppArmor is on).
# Root only; the daemons, their shims, mounts, cgroups and files are
# removed on every way out.  Debian's /usr/bin/docker is the client (it
# matches Debian's dockerd), always pointed at the test's own socket.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/oci_image.sh"
RUNTIME=$(realpath "$1")
ROOTFS=$(realpath "$2")
DOCKER=${DOCKER:-/usr/bin/docker}
token=oci-dckr-$$
base=$(realpath tests/build)/$token
ctrd_sock=$base/containerd.sock
docker_sock=$base/docker.sock
image=$token:latest
# Every container of this dockerd gets its cgroup below /TOKEN (daemon.json's
# cgroup-parent), so the test looks at its own cgroups only.
cg_parent=/$token
# The shims' sockets live in /run/containerd/s whatever the config says
# (containerd 1.6 fixes that directory): it, and /run/containerd, are
# removed only if they were not there before and are empty again.
run_dir_was_there=$([ -e /run/containerd ] && echo yes || echo no)
# So does dockerd's plugin directory, /run/docker/plugins.
docker_run_dir_was_there=$([ -e /run/docker ] && echo yes || echo no)
# A system dockerd would add a docker0 bridge and DOCKER chains; ours must not.
docker0_was_there=$(ip link show docker0 > /dev/null 2>&1 && echo yes || echo no)
docker_chains() { { iptables -S; iptables -t nat -S; } 2>/dev/null | grep -c DOCKER; }
docker_chains_before=$(docker_chains)
# Where AppArmor is on, dockerd loads its docker-default profile (through
# apparmor_parser) and leaves it loaded when it stops: the test removes it
# again if it was not loaded before.
aa=/sys/kernel/security/apparmor
docker_default() { grep -q '^docker-default ' "$aa/profiles" 2>/dev/null; }
docker_default_was_there=$(docker_default && echo yes || echo no)
containerd_pid='' dockerd_pid=''

# The client reads no configuration of the user's (DOCKER_CONFIG) and
# talks to our dockerd only (a caller's DOCKER_HOST or DOCKER_CONTEXT would
# point it elsewhere).
unset DOCKER_HOST DOCKER_CONTEXT
D() { DOCKER_CONFIG=$base/client "$DOCKER" -H "unix://$docker_sock" "$@"; }
C() { CONTAINERD_ADDRESS=$ctrd_sock ctr "$@"; }

# runc too: dockerd 20.10 will not start without a runc in its PATH (its
# builder looks for one when the daemon starts, whatever runtime the
# containers use; Debian's docker.io depends on the runc package).
for cmd in "$DOCKER" dockerd containerd ctr runc script; do
	if ! command -v "$cmd" > /dev/null 2>&1; then
		echo "oci_docker.sh: $cmd not found (sh rootfs-scripts/deps.sh --test)" >&2
		exit 2
	fi
done

stop_pid() {        # stop_pid PID: SIGTERM, up to 10 s, then SIGKILL
	kill -TERM "$1" 2>/dev/null || return 0
	for _ in $(seq 200); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# teardown: every container removed, dockerd and containerd stopped, their
# shims killed, what they left mounted unmounted, the cgroups under
# cg_parent and the /run directories they made removed.  Twice is harmless.
teardown() {
	if [ -n "$dockerd_pid" ]; then
		for id in $(D ps -aq 2>/dev/null); do D rm -f "$id" > /dev/null 2>&1; done
		stop_pid "$dockerd_pid"
		dockerd_pid=
	fi
	if [ -n "$containerd_pid" ]; then
		for ns in $(C namespaces list -q 2>/dev/null); do
			for id in $(C -n "$ns" tasks list -q 2>/dev/null); do
				C -n "$ns" tasks kill -s SIGKILL "$id" 2>/dev/null
				C -n "$ns" tasks delete --force "$id" > /dev/null 2>&1
			done
		done
		stop_pid "$containerd_pid"
		containerd_pid=
	fi
	# A shim outlives containerd by design; ours carry our socket's path.
	for pid in $(pgrep -f -- "-address $ctrd_sock" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	# dockerd leaves its data root (and its netns files) mounted: deepest
	# mounts first.
	grep -F " $base/" /proc/self/mountinfo 2>/dev/null | awk '{print $5}' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	for dir in /sys/fs/cgroup/*$cg_parent /sys/fs/cgroup$cg_parent; do
		[ -d "$dir" ] || continue
		find "$dir" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null
		rmdir "$dir" 2>/dev/null
	done
	if [ "$run_dir_was_there" = no ]; then rmdir /run/containerd/s /run/containerd/fifo /run/containerd 2>/dev/null; fi
	if [ "$docker_run_dir_was_there" = no ]; then rmdir /run/docker/plugins /run/docker 2>/dev/null; fi
	if [ "$docker_default_was_there" = no ] && docker_default; then printf docker-default > "$aa/.remove"; fi
}
cleanup() {
	teardown
	rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
trap 'exit 141' PIPE

mkdir -p "$base/client" "$base/image"
chmod 711 "$base"

# --- containerd and dockerd of our own -------------------------------------------
cat > "$base/containerd.toml" <<TOML
version = 2
root = "$base/containerd"
state = "$base/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ctrd_sock"
[ttrpc]
  address = "$ctrd_sock.ttrpc"
TOML
# wait_up PID SECONDS COMMAND...: until COMMAND succeeds (true), or the
# daemon PID has ended or SECONDS have passed (false).  A daemon that ends
# at its start is seen at once, rather than asked again and again through
# a client that takes seconds to start on a slow (emulated) machine.
wait_up() {
	_pid=$1 _end=$(($(date +%s) + $2))
	shift 2
	while kill -0 "$_pid" 2>/dev/null; do
		"$@" > /dev/null 2>&1 && return 0
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.05
	done
	return 1
}
containerd --config "$base/containerd.toml" > "$base/containerd.log" 2>&1 &
containerd_pid=$!
wait_up "$containerd_pid" 60 C version

# The cgroup driver is fixed to cgroupfs: on a host where systemd runs the
# cgroups, dockerd would otherwise choose systemd's, and the containers'
# cgroups would be systemd's scopes rather than below cgroup-parent.
cat > "$base/daemon.json" <<JSON
{
  "data-root": "$base/docker",
  "exec-root": "$base/docker-exec",
  "pidfile": "$base/docker.pid",
  "hosts": ["unix://$docker_sock"],
  "containerd": "$ctrd_sock",
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "bridge": "none",
  "cgroup-parent": "$cg_parent",
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "deprecated-key-path": "$base/docker-key.json",
  "runtimes": {"contained": {"path": "$RUNTIME"}}
}
JSON
dockerd --config-file "$base/daemon.json" > "$base/dockerd.log" 2>&1 &
dockerd_pid=$!
up=no
wait_up "$dockerd_pid" 120 D version && up=yes

build_image "$ROOTFS" "$base" "$image"

if [ $up = yes ] && D load -i "$base/image.tar" > "$base/load.out" 2>&1 && D image inspect "$image" > /dev/null 2>&1 &&
   D info --format '{{json .Runtimes}}' 2>/dev/null | grep -q "\"contained\":{\"path\":\"$RUNTIME\"}"; then
	pass "dockerd of our own is up, lists the runtime contained, loads the image built offline"
else
	fail "dockerd of our own is up, lists the runtime contained, loads the image built offline" \
		"$(cat "$base/load.out" 2>/dev/null)" "$(D info --format '{{json .Runtimes}}' 2>&1)" "dockerd $(kill -0 "$dockerd_pid" 2>/dev/null && echo "still runs" || echo "has ended"); its log:" "$(grep -v docker-init "$base/dockerd.log" | tail -n 15)"
	summary
	exit
fi

# --- helpers for the checks ---------------------------------------------------------
# Where dockerd tells the runtime to keep its state (--root): dockerd 20.10
# names the directory after runc whichever runtime it runs, then comes
# containerd's namespace ("moby").
rtroot=$base/docker-exec/runtime-runc/moby

# leftovers ID: what is left of container ID, one line each; nothing when
# it is all gone: its cgroups, its state under the runtime's --root, the
# containerd task and container, mounts naming it, processes naming it
# (the shim has "-id ID", runtime calls end in ID), and the mounts under
# the test's directories that were not there before it ($base/mounts.before,
# from mounts_before).
mounts_now() { grep -F " $base/" /proc/self/mountinfo | awk '{print $5}' | sort; }
mounts_before() { mounts_now > "$base/mounts.before"; }
leftovers() {
	ls -d /sys/fs/cgroup/*"$cg_parent/$1" /sys/fs/cgroup"$cg_parent/$1" 2>/dev/null | sed 's/^/cgroup: /'
	[ ! -e "$rtroot/$1" ] || echo "runtime state: $rtroot/$1"
	C -n moby tasks list -q 2>/dev/null | grep -x "$1" | sed 's/^/containerd task: /'
	C -n moby containers list -q 2>/dev/null | grep -x "$1" | sed 's/^/containerd container: /'
	grep -F "$1" /proc/self/mountinfo | awk '{print "mount: " $5}'
	mounts_now | comm -13 "$base/mounts.before" - | sed 's/^/mount: /'
	pgrep -af -- "$1" | grep -v "pgrep" | sed 's/^/process: /'
}
# check_clean NAME ID: a check that nothing of container ID is left.  The
# engines tear down after the client returns (the shim exits after its
# last reply), so it looks again for up to 5 s before it fails.
check_clean() {
	for _ in $(seq 50); do
		left=$(leftovers "$2")
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] && pass "$1: nothing left behind" || fail "$1: nothing left behind" "$left"
}
# wait_for FILE TEXT [PID]: up to 20 s for a line of FILE to hold TEXT;
# false at once if process PID ends first.
wait_for() {
	for _ in $(seq 400); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		[ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
# on_pty OUT INPUT... -- the docker command in $pty_cmd run by script(1) on
# a pseudo-terminal of its own, its output to OUT; each INPUT line is typed
# once OUT holds the word "ready" (the container says it when it reads).
# Sets rc, the docker command's status.
on_pty() {
	out=$1
	shift
	rm -f "$base/pty.in"
	mkfifo "$base/pty.in"
	script -qec "$pty_cmd" /dev/null < "$base/pty.in" > "$out" 2>&1 &
	runner=$!
	exec 7> "$base/pty.in"
	if wait_for "$out" ready $runner; then
		for line in "$@"; do (trap '' PIPE; printf '%s\n' "$line" >&7) 2>/dev/null; done
	fi
	exec 7>&-
	wait $runner
	rc=$?
}
dkr="DOCKER_CONFIG=$base/client $DOCKER -H unix://$docker_sock"
run=" --runtime=contained --network none"

# --- docker run --rm ------------------------------------------------------------------
mounts_before
out=$(D run --rm $run --cidfile "$base/c1.cid" "$image" echo hi 2>&1)
rc=$?
id=$(cat "$base/c1.cid" 2>/dev/null)
[ $rc = 0 ] && [ "$out" = hi ] && pass "docker run --rm: echo hi prints hi, status 0" ||
	fail "docker run --rm: echo hi prints hi, status 0" "rc=$rc" "$out"
check_clean "docker run --rm echo hi" "${id:-no-cid-c1}"

mounts_before
out=$(D run --rm $run --cidfile "$base/c2.cid" "$image" sh -c 'echo seven; exit 7' 2>&1)
rc=$?
id=$(cat "$base/c2.cid" 2>/dev/null)
[ $rc = 7 ] && [ "$out" = seven ] && pass "docker run --rm: exit 7 comes back as 7" ||
	fail "docker run --rm: exit 7 comes back as 7" "rc=$rc" "$out"
check_clean "docker run --rm, exit 7" "${id:-no-cid-c2}"

# What Docker asks for holds inside: its seccomp profile, its fourteen
# default capabilities (CAP_CHOWN ... CAP_AUDIT_WRITE: 0xa80425fb), its
# sysctls, its read-only cgroup mount.
mounts_before
out=$(D run --rm $run --cidfile "$base/c5.cid" "$image" sh -c '
	grep -E "^(Seccomp|CapEff):" /proc/self/status
	echo "ping_group_range $(cat /proc/sys/net/ipv4/ping_group_range)"
	for d in /sys/fs/cgroup/memory /sys/fs/cgroup; do
		[ -e $d/memory.limit_in_bytes ] || [ -e $d/cgroup.controllers ] || continue
		echo "cgroup mounted"
		mkdir $d/x 2>/dev/null || echo "cgroup read-only"
		break
	done' 2>&1)
rc=$?
id=$(cat "$base/c5.cid" 2>/dev/null)
want=$(printf 'CapEff:\t00000000a80425fb\nSeccomp:\t2\nping_group_range 0\t2147483647\ncgroup mounted\ncgroup read-only')
[ $rc = 0 ] && [ "$out" = "$want" ] &&
	pass "docker run: its seccomp filter, capabilities, sysctls and read-only cgroup mount hold inside" ||
	fail "docker run: its seccomp filter, capabilities, sysctls and read-only cgroup mount hold inside" "rc=$rc" "$out"
check_clean "docker run, Docker's protections" "${id:-no-cid-c5}"

# Where AppArmor is on, Docker confines every container with its profile
# docker-default (which dockerd loads), through process.apparmorProfile.
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	mounts_before
	out=$(D run --rm $run --cidfile "$base/c7.cid" "$image" cat /proc/self/attr/current 2>&1)
	rc=$?
	id=$(cat "$base/c7.cid" 2>/dev/null)
	[ $rc = 0 ] && [ "$out" = "docker-default (enforce)" ] &&
		pass "docker run: AppArmor confines the container with docker-default (/proc/self/attr/current)" ||
		fail "docker run: AppArmor confines the container with docker-default (/proc/self/attr/current)" "rc=$rc" "$out"
	check_clean "docker run, AppArmor" "${id:-no-cid-c7}"
else
	echo "# AppArmor is off on this host: Docker's docker-default profile is not checked"
fi

# --memory (Docker adds a swap limit of twice as much) and --pids-limit,
# as the container reads them in its cgroup.
mounts_before
out=$(D run --rm $run --cidfile "$base/c6.cid" --memory 64m --pids-limit 20 "$image" sh -c '
	echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null)"
	echo "pids $(cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max 2>/dev/null)"' 2>&1)
rc=$?
id=$(cat "$base/c6.cid" 2>/dev/null)
[ $rc = 0 ] && [ "$out" = "$(printf 'memory 67108864\npids 20')" ] &&
	pass "docker run --memory 64m --pids-limit 20: the limits are the container's cgroup's" ||
	fail "docker run --memory 64m --pids-limit 20: the limits are the container's cgroup's" "rc=$rc" "$out"
check_clean "docker run with limits" "${id:-no-cid-c6}"

# The SIGKILL comes from the host (docker kill): a SIGKILL that PID 1 sent
# itself would be dropped by the kernel (pid_namespaces(7)).
mounts_before
D run --rm $run --cidfile "$base/c3.cid" --name "$token-c3" "$image" sh -c 'echo up; exec sleep 60' > "$base/c3.out" 2>&1 &
runner=$!
wait_for "$base/c3.out" up $runner
D kill "$token-c3" > "$base/c3.kill" 2>&1
wait $runner
rc=$?
id=$(cat "$base/c3.cid" 2>/dev/null)
[ $rc = 137 ] && grep -qx up "$base/c3.out" && pass "docker kill: the killed container's docker run --rm exits 137" ||
	fail "docker kill: the killed container's docker run --rm exits 137" "rc=$rc" "$(cat "$base/c3.out" "$base/c3.kill")"
check_clean "docker run --rm, killed" "${id:-no-cid-c3}"

# --- docker run -it ---------------------------------------------------------------------
mounts_before
pty_cmd="$dkr run -it --rm $run --cidfile $base/c4.cid $image sh -c 'tty; echo ready; read line; echo \"read: \$line\"; exit 3'"
on_pty "$base/c4.out" "hello there"
id=$(cat "$base/c4.cid" 2>/dev/null)
out=$(tr -d '\r' < "$base/c4.out")
[ $rc = 3 ] && echo "$out" | grep -qx '/dev/pts/0' && echo "$out" | grep -qx 'read: hello there' &&
	pass "docker run -it: a terminal inside (tty), what is typed reaches it, exit 3 comes back" ||
	fail "docker run -it: a terminal inside (tty), what is typed reaches it, exit 3 comes back" "rc=$rc" "$out"
check_clean "docker run -it" "${id:-no-cid-c4}"

# --- docker exec into a running container, and what runtime runs it ------------------------
mounts_before
name=$token-ex
D run -d $run --name "$name" --hostname exhost "$image" sleep 600 > "$base/ex.out" 2>&1
id=$(D inspect -f '{{.Id}}' "$name" 2>/dev/null)
pid=$(D inspect -f '{{.State.Pid}}' "$name" 2>/dev/null)
runtime=$(D inspect -f '{{.HostConfig.Runtime}}' "$name" 2>/dev/null)
state=$("$RUNTIME" --root "$rtroot" state "$id" 2>&1)
st_status=$(echo "$state" | tr -d ' \n' | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
st_pid=$(echo "$state" | tr -d ' \n' | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
if [ "$runtime" = contained ] && [ -n "$pid" ] && [ "$pid" != 0 ] && [ "$st_status" = running ] && [ "$st_pid" = "$pid" ]; then
	pass "docker run -d: the container runs under contained (docker inspect; its --root knows the container and its pid)"
else
	fail "docker run -d: the container runs under contained (docker inspect; its --root knows the container and its pid)" \
		"runtime=$runtime pid=$pid" "$(cat "$base/ex.out")" "$state"
fi
# The probe for leftovers finds the running container: it can fail.
left=$(leftovers "${id:-no-id-ex}")
echo "$left" | grep -q '^cgroup: ' && echo "$left" | grep -q '^runtime state: ' && echo "$left" | grep -q '^process: .*-id '"$id" &&
	pass "while it runs, the probe for leftovers sees its cgroup, its runtime state and its shim" ||
	fail "while it runs, the probe for leftovers sees its cgroup, its runtime state and its shim" "$left"
out=$(D exec "$name" sh -c 'echo "in $(hostname)"; tr "\0" " " < /proc/1/cmdline; echo; exit 5' 2>&1)
rc=$?
[ $rc = 5 ] && [ "$(echo "$out" | sed -n 1p)" = "in exhost" ] && [ "$(echo "$out" | sed -n 2p)" = "sleep 600 " ] &&
	pass "docker exec: runs beside PID 1 (its hostname, its /proc/1), exit 5 comes back" ||
	fail "docker exec: runs beside PID 1 (its hostname, its /proc/1), exit 5 comes back" "rc=$rc" "$out"
out=$(D exec "$name" grep -E '^(Seccomp|CapEff):' /proc/self/status 2>&1)
rc=$?
[ $rc = 0 ] && [ "$out" = "$(printf 'CapEff:\t00000000a80425fb\nSeccomp:\t2')" ] &&
	pass "docker exec: the process gets the container's seccomp filter and capabilities" ||
	fail "docker exec: the process gets the container's seccomp filter and capabilities" "rc=$rc" "$out"
pty_cmd="$dkr exec -it $name sh -c 'tty; echo ready; read line; echo \"read: \$line\"; exit 4'"
on_pty "$base/ex-it.out" "typed in exec"
out=$(tr -d '\r' < "$base/ex-it.out")
[ $rc = 4 ] && echo "$out" | grep -q '^/dev/pts/[0-9]*$' && echo "$out" | grep -qx 'read: typed in exec' &&
	pass "docker exec -it: a terminal inside, what is typed reaches it, exit 4 comes back" ||
	fail "docker exec -it: a terminal inside, what is typed reaches it, exit 4 comes back" "rc=$rc" "$out"
procs=$(cat /sys/fs/cgroup/pids"$cg_parent/$id"/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup"$cg_parent/$id"/cgroup.procs 2>&1)
[ "$procs" = "$pid" ] && pass "after the execs, only PID 1 is left in the container's cgroup" ||
	fail "after the execs, only PID 1 is left in the container's cgroup" "pid=$pid" "$procs"

# --- docker rm -f ------------------------------------------------------------------------
out=$(D rm -f "$name" 2>&1)
rc=$?
gone=$(D ps -aq --no-trunc | grep -x "$id")
[ $rc = 0 ] && [ -z "$gone" ] && [ "${pid:-0}" != 0 ] && ! kill -0 "$pid" 2>/dev/null && pass "docker rm -f: the running container is killed and removed" ||
	fail "docker rm -f: the running container is killed and removed" "rc=$rc" "$out" "$gone"
check_clean "docker rm -f" "${id:-no-id-ex}"

# --- docker stop: SIGTERM to a handler, then the SIGKILL after the timeout --------------------
mounts_before
name=$token-st
D run -d $run --name "$name" "$image" sh -c 'trap "echo got TERM; exit 0" TERM; echo ready; while :; do sleep 0.1; done' > "$base/st.out" 2>&1
id=$(D inspect -f '{{.Id}}' "$name" 2>/dev/null)
for _ in $(seq 400); do D logs "$name" 2>&1 | grep -q ready && break; sleep 0.05; done
out=$(D stop -t 30 "$name" 2>&1)
rc=$?
code=$(D inspect -f '{{.State.ExitCode}}' "$name" 2>&1)
logs=$(D logs "$name" 2>&1)
[ $rc = 0 ] && [ "$code" = 0 ] && echo "$logs" | grep -qx 'got TERM' &&
	pass "docker stop: SIGTERM reaches PID 1's handler, which exits 0" ||
	fail "docker stop: SIGTERM reaches PID 1's handler, which exits 0" "rc=$rc code=$code" "$out" "$logs"
D rm "$name" > /dev/null 2>&1
check_clean "docker stop, handler" "${id:-no-id-st}"

# A PID 1 without a handler ignores SIGTERM (pid_namespaces(7)): docker
# stop sends SIGKILL when the timeout is over.
mounts_before
name=$token-sk
D run -d $run --name "$name" "$image" sleep 600 > "$base/sk.out" 2>&1
id=$(D inspect -f '{{.Id}}' "$name" 2>/dev/null)
out=$(D stop -t 1 "$name" 2>&1)
rc=$?
code=$(D inspect -f '{{.State.ExitCode}}' "$name" 2>&1)
[ $rc = 0 ] && [ "$code" = 137 ] && pass "docker stop: a PID 1 that ignores SIGTERM is SIGKILLed after the timeout (137)" ||
	fail "docker stop: a PID 1 that ignores SIGTERM is SIGKILLed after the timeout (137)" "rc=$rc code=$code" "$out" "$(cat "$base/sk.out")"
D rm "$name" > /dev/null 2>&1
check_clean "docker stop, SIGKILL" "${id:-no-id-sk}"

# --- the end: the daemons stopped, nothing of theirs is left ------------------------
teardown
left=$(grep -F " $base/" /proc/self/mountinfo | awk '{print "mount: " $5}'
	pgrep -af -- "$base" | sed 's/^/process: /'
	ls -d /sys/fs/cgroup/*"$cg_parent" /sys/fs/cgroup"$cg_parent" 2>/dev/null | sed 's/^/cgroup: /'
	[ "$docker0_was_there" = yes ] || ! ip link show docker0 > /dev/null 2>&1 || echo "interface: docker0"
	[ "$(docker_chains)" = "$docker_chains_before" ] || echo "iptables: DOCKER chains"
	[ "$docker_default_was_there" = yes ] || ! docker_default || echo "AppArmor profile: docker-default")
[ -z "$left" ] && pass "dockerd and containerd stopped and unmounted: no mount, process, cgroup, bridge, iptables chain or AppArmor profile left" ||
	fail "dockerd and containerd stopped and unmounted: no mount, process, cgroup, bridge, iptables chain or AppArmor profile left" "$left"
summary
