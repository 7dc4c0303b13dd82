#!/bin/sh
# oci_containerd.sh RUNTIME ROOTFS -- contained-oci under a real containerd:
# a containerd of its own (config, root, state and sockets under
# tests/build/TOKEN, never the system's), whose runc shim finds RUNTIME as
# the `runc` in its opt plugin's bin directory; an image built here from
# ROOTFS (busybox, without /probes) and imported offline; then `ctr run
# --rm`, checking what the container printed and that its exit status,
# also a death by signal, comes back through the shim and ctr.
# Root only; containerd, its shims, mounts, cgroups and files are removed
# on every way out.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/oci_image.sh"
RUNTIME=$(realpath "$1")
ROOTFS=$(realpath "$2")
token=oci-ctrd-$$
base=$(realpath tests/build)/$token
sock=$base/containerd.sock
image=docker.io/library/$token:latest
# The shims' sockets live in /run/containerd/s whatever the config says
# (containerd 1.6 fixes that directory): it, and /run/containerd, are
# removed only if they were not there before and are empty again.
run_dir_was_there=$([ -e /run/containerd ] && echo yes || echo no)
runc_dir_was_there=$([ -e /run/containerd/runc ] && echo yes || echo no)
containerd_pid=

C() { CONTAINERD_ADDRESS=$sock ctr --namespace "$token" "$@"; }

cleanup() {
	if [ -n "$containerd_pid" ]; then
		for id in $(C tasks list -q 2>/dev/null); do C tasks kill -s SIGKILL "$id" 2>/dev/null; C tasks delete --force "$id" 2>/dev/null; done
		for id in $(C containers list -q 2>/dev/null); do C containers delete "$id" 2>/dev/null; done
		kill -TERM "$containerd_pid" 2>/dev/null
		for i in $(seq 100); do kill -0 "$containerd_pid" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$containerd_pid" 2>/dev/null
		wait "$containerd_pid" 2>/dev/null
	fi
	# A shim outlives containerd by design; ours carry our socket's path.
	for pid in $(pgrep -f -- "-address $sock" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	# Deepest mounts first.
	grep -F " $base/" /proc/self/mountinfo 2>/dev/null | awk '{print $5}' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	# A container whose shim was killed lives on, re-parented: its
	# cgroup (ours, by the namespace's name) says who it is.
	# (cgroup v1: in each hierarchy; v2: /sys/fs/cgroup/$token)
	for pid in $(cat /sys/fs/cgroup/pids/$token/*/cgroup.procs /sys/fs/cgroup/$token/*/cgroup.procs 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	for i in $(seq 50); do [ -z "$(cat /sys/fs/cgroup/pids/$token/*/cgroup.procs /sys/fs/cgroup/$token/*/cgroup.procs 2>/dev/null)" ] && break; sleep 0.05; done
	for c in memory cpu pids devices freezer; do
		rmdir /sys/fs/cgroup/$c/$token/* /sys/fs/cgroup/$c/$token 2>/dev/null
	done
	rmdir /sys/fs/cgroup/$token/* /sys/fs/cgroup/$token 2>/dev/null
	# ctr drops --runc-root when it remaps a snapshot (--uidmap): that
	# runtime state went to containerd's default place, named by our namespace.
	rmdir "/run/containerd/runc/$token" 2>/dev/null
	if [ "$runc_dir_was_there" = no ]; then rmdir /run/containerd/runc 2>/dev/null; fi
	if [ "$run_dir_was_there" = no ]; then rmdir /run/containerd/s /run/containerd/fifo /run/containerd/runc /run/containerd 2>/dev/null; fi
	rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
trap 'exit 141' PIPE

mkdir -p "$base/opt/bin" "$base/image"
# Debian's runc is on the PATH too: the `runc` the shim runs notes each
# call, so that the test knows it was RUNTIME that ran the containers.
cat > "$base/opt/bin/runc" <<SH
#!/bin/sh
echo "\$*" >> "$base/calls"
exec "$RUNTIME" "\$@"
SH
chmod 755 "$base/opt/bin/runc"
cat > "$base/config.toml" <<TOML
version = 2
root = "$base/root"
state = "$base/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$base/opt"
TOML
containerd --config "$base/config.toml" > "$base/containerd.log" 2>&1 &
containerd_pid=$!

build_image "$ROOTFS" "$base" "$token:latest"

for i in $(seq 200); do C version > /dev/null 2>&1 && break; sleep 0.05; done
if C images import "$base/image.tar" > "$base/import.out" 2>&1 && C images list -q | grep -qx "$image"; then
	pass "containerd of our own is up and imports the image built offline"
else
	fail "containerd of our own is up and imports the image built offline" "$(cat "$base/import.out")" "$(tail -n 5 "$base/containerd.log")"
	summary
	exit
fi

# run ID CMD... -- ctr run --rm with the runtime's state and ctr's FIFOs
# under our directory; sets out (stdout and stderr) and rc.
run() {
	id=$1
	shift
	out=$(C run --rm --runc-root "$base/runc" --fifo-dir "$base/fifo" "$image" "$id" "$@" 2>&1)
	rc=$?
}

run c1 /bin/echo hi
[ $rc = 0 ] && [ "$out" = hi ] && grep -q "create --bundle .*/c1/\?.* c1\$" "$base/calls" && pass "ctr run --rm: echo hi prints hi, status 0" ||
	fail "ctr run --rm: echo hi prints hi, status 0" "rc=$rc" "$out" "$(cat "$base/calls")" "$(tail -n 3 "$base/containerd.log")"
run c2 sh -c 'exit 7'
[ $rc = 7 ] && pass "exit 7 comes back through ctr as 7" || fail "exit 7 comes back through ctr as 7" "rc=$rc" "$out"
# `sh -c 'kill -9 $$'` alone cannot do it: sh is PID 1 of its namespace,
# and the kernel drops a SIGKILL sent to PID 1 from inside
# (pid_namespaces(7)), so it says "survived".  The signal comes from the
# host, as `ctr task kill` sends it.
C run --rm --runc-root "$base/runc" --fifo-dir "$base/fifo" "$image" c3 \
	sh -c 'kill -9 $$; echo survived; exec sleep 60' > "$base/c3.out" 2>&1 &
runner=$!
for i in $(seq 200); do grep -q survived "$base/c3.out" && break; sleep 0.05; done
C tasks kill -s SIGKILL c3 2>/dev/null
wait $runner
rc=$?
[ $rc = 137 ] && grep -qx survived "$base/c3.out" && grep -q "kill c3 9\$" "$base/calls" &&
	pass "SIGKILL from the host comes back through ctr as 137" ||
	fail "SIGKILL from the host comes back through ctr as 137" "rc=$rc" "$(cat "$base/c3.out")" "$(grep ' c3$' "$base/calls")"

# -t: ctr needs a terminal of its own, which script(1) gives it, reading
# from a FIFO it also holds open for writing, so that it never sees end of
# file (on which it would end the session).  The container's stdio is then
# the pty whose master contained-oci sent over the console socket.
mkfifo "$base/tty.in"
# tty_run ID CMD: ctr run --rm -t under script; sets out and rc.
tty_run() {
	timeout 60 script -qec "CONTAINERD_ADDRESS=$sock ctr --namespace $token run --rm -t --runc-root $base/runc --fifo-dir $base/fifo $image $*" \
		/dev/null 0<>"$base/tty.in" > "$base/tty.out" 2>&1
	rc=$?
	out=$(tr -d '\r' < "$base/tty.out")
}
tty_run t1 sh -c "'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-three-tty; exit 5'"
echo "$out" | grep -qx "/dev/pts/0" && echo "$out" | grep -qx all-three-tty && grep -q "create --bundle .* --console-socket .* t1\$" "$base/calls" &&
	pass "ctr run --rm -t: the container's stdio is a pty, sent over --console-socket" ||
	fail "ctr run --rm -t: the container's stdio is a pty, sent over --console-socket" "rc=$rc" "$out" "$(grep ' t1$' "$base/calls")" "$(tail -n 3 "$base/containerd.log")"
[ "$rc" = 5 ] && pass "ctr run --rm -t: exit 5 comes back as 5" || fail "ctr run --rm -t: exit 5 comes back as 5" "rc=$rc"

# ctr task exec into a detached container, plain and -t; ctr task ps.
C run -d --runc-root "$base/runc" --fifo-dir "$base/fifo" "$image" x1 sleep 600 > /dev/null 2>&1
out=$(C tasks exec --fifo-dir "$base/fifo" --exec-id e1 x1 sh -c 'echo exec-ok $(cat /proc/1/cmdline | tr "\0" " "); exit 3' 2>&1)
rc=$?
[ $rc = 3 ] && [ "$out" = "exec-ok sleep 600" ] && grep -q "exec --process .* --detach --pid-file .*e1.pid x1\$" "$base/calls" &&
	pass "ctr task exec: runs in the container (its PID 1 is the task's), status 3 comes back" ||
	fail "ctr task exec: runs in the container (its PID 1 is the task's), status 3 comes back" "rc=$rc" "$out" "$(grep ' x1$' "$base/calls")"
timeout 60 script -qec "CONTAINERD_ADDRESS=$sock ctr --namespace $token tasks exec -t --fifo-dir $base/fifo --exec-id e2 x1 sh -c 'tty; exit 6'" \
	/dev/null 0<>"$base/tty.in" > "$base/tty.out" 2>&1
rc=$?
out=$(tr -d '\r' < "$base/tty.out")
[ $rc = 6 ] && echo "$out" | grep -q "^/dev/pts/[0-9]" && grep -q "exec --process .* --console-socket .* x1\$" "$base/calls" &&
	pass "ctr task exec -t: a pty over the console socket, status 6 comes back" ||
	fail "ctr task exec -t: a pty over the console socket, status 6 comes back" "rc=$rc" "$out" "$(grep ' x1$' "$base/calls")"
pids=$(C tasks ps x1 2>&1)
echo "$pids" | grep -q "^$(C tasks list | awk '$1 == "x1" {print $2}')" && pass "ctr task ps lists the task's pid" || fail "ctr task ps lists the task's pid" "$pids"
C tasks pause x1 && paused=$(C tasks list | awk '$1 == "x1" {print $3}') && C tasks resume x1 &&
	[ "$paused" = PAUSED ] && [ "$(C tasks list | awk '$1 == "x1" {print $3}')" = RUNNING ] &&
	pass "ctr task pause and resume" || fail "ctr task pause and resume" "paused=${paused:-}" "$(C tasks list)" "$(grep -E '(pause|resume) x1$' "$base/calls")"
C tasks kill -s SIGKILL x1 2>/dev/null
for i in $(seq 100); do C tasks list 2>/dev/null | grep -q '^x1 .*STOPPED' && break; sleep 0.05; done
C tasks delete x1 > /dev/null 2>&1 && C containers delete x1 &&
	pass "ctr task kill -s SIGKILL, task delete, container delete" || fail "ctr task kill -s SIGKILL, task delete, container delete" "$(C tasks list)"

# ctr run --uidmap/--gidmap with an image: ctr 1.6 makes the snapshot a
# copy chowned to the host ids (its remapped snapshot: files owned by
# 100000 on the host, by 0 inside) and asks for a user namespace with
# those maps; it also drops --runc-root then (measured), so the runtime's
# state lies in /run/containerd/runc/NAMESPACE, under /run/containerd,
# which may be a directory only host root passes (mode 0600 on the
# machine this was written on): the container's root never walks it.
# Nothing of it may be left after --rm.
out=$(C run --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 --runc-root "$base/runc" --fifo-dir "$base/fifo" "$image" m1 \
	sh -c 'echo uidmap:$(cat /proc/self/uid_map); echo gidmap:$(cat /proc/self/gid_map); echo id:$(id -u):$(id -g); ls -ln /bin/busybox | awk "{print \"owner:\" \$3 \":\" \$4}"; touch /written && echo root-writes' 2>&1)
rc=$?
[ $rc = 0 ] && [ "$out" = "uidmap: 0 100000 65536
gidmap: 0 100000 65536
id:0:0
owner:0:0
root-writes" ] && pass "ctr run --uidmap/--gidmap: a user namespace with those maps; root inside owns its remapped snapshot and writes it" ||
	fail "ctr run --uidmap/--gidmap: a user namespace with those maps; root inside owns its remapped snapshot and writes it" "rc=$rc" "$out" "$(tail -n 2 "$base/containerd.log")"
left=$(C tasks list -q; C containers list -q; ls -A "/run/containerd/runc/$token" 2>/dev/null; C snapshots list 2>/dev/null | grep -w m1;
	find /sys/fs/cgroup/*/$token /sys/fs/cgroup/$token -mindepth 1 -type d 2>/dev/null; pgrep -f -- "-id m1 " 2>/dev/null)
[ $rc = 0 ] && [ -z "$left" ] && pass "ctr run --uidmap --rm: nothing left (task, container, runtime state, snapshot, cgroup, process)" ||
	fail "ctr run --uidmap --rm: nothing left (task, container, runtime state, snapshot, cgroup, process)" "$left"

# The verification run: what `ctr run --rm --seccomp --read-only
# --memory-limit 134217728 --cpus 0.5 --uidmap 0:100000:65536 --gidmap
# 0:100000:65536 --user 1000:1000 --hostname my-test-container` would ask
# (ctr 1.6 has no --user or --hostname, so the whole spec comes from
# tests/oci/spec-verification.json, made from the one ctr sent for those
# flags), checked from inside.  ctr 1.6 ignores --uidmap and --gidmap
# when given --config (measured: the runtime gets the file's spec, with
# no user namespace), so the file itself asks for the user namespace and
# both maps.  With --config, ctr takes no image: root.path is the rootfs
# itself, owned by host root, which is no id inside (it shows as 65534):
# the container only reads and runs it, which busybox's modes (0755,
# 0644) allow anyone, so it needs no chown; root.readonly makes the
# mount read-only (rootmount:ro), whoever owns the files.
sed "s|@CGROUPS_PATH@|/$token/v1|; s|\"path\": \"rootfs\"|\"path\": \"$ROOTFS\"|" tests/oci/spec-verification.json > "$base/spec.json"
out=$(C run --rm --config "$base/spec.json" --runc-root "$base/runc" --fifo-dir "$base/fifo" v1 2>&1)
rc=$?
expected="pid:1
uidmap: 0 100000 65536
gidmap: 0 100000 65536
net:lo
host:my-test-container
id:1000:1000
NoNewPrivs:	1
Seccomp:	2
mem:134217728
cpu:50000/100000
proc:mounted
root:read-only
rootmount:ro"
got=$(echo "$out" | grep -v '^CapEff:')
[ $rc = 0 ] && [ "$got" = "$expected" ] && echo "$out" | grep -q "^CapEff:.0000000000000000\$" &&
	pass "verification run: PID 1, the id maps 0:100000:65536, only lo, hostname, uid 1000, Seccomp 2, NoNewPrivs 1, CapEff 0, memory and CPU limits seen in its cgroup, /proc, read-only root" ||
	fail "verification run: PID 1, the id maps 0:100000:65536, only lo, hostname, uid 1000, Seccomp 2, NoNewPrivs 1, CapEff 0, memory and CPU limits seen in its cgroup, /proc, read-only root" "rc=$rc" "$out" "$(tail -n 2 "$base/containerd.log")"
left=$(C tasks list -q; C containers list -q; ls -A "$base/runc/$token" 2>/dev/null; find /sys/fs/cgroup/*/$token /sys/fs/cgroup/$token -mindepth 1 -type d 2>/dev/null;
	grep -F " $base/" /proc/self/mountinfo | grep -F /v1; grep -F " $ROOTFS" /proc/self/mountinfo; pgrep -f -- "-id v1 " 2>/dev/null)
[ -z "$left" ] && pass "verification run: nothing left (task, container, state, cgroup, mount, process)" ||
	fail "verification run: nothing left (task, container, state, cgroup, mount, process)" "$left"

# --rm deleted everything: no task, no container, no runtime state, no cgroup.
left=$(C tasks list -q; C containers list -q; ls -A "$base/runc/$token" 2>/dev/null; find /sys/fs/cgroup/*/$token /sys/fs/cgroup/$token -mindepth 1 -type d 2>/dev/null)
[ -z "$left" ] && pass "--rm leaves no task, container, runtime state or cgroup" ||
	fail "--rm leaves no task, container, runtime state or cgroup" "$left"
summary
