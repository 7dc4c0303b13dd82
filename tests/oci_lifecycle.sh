#!/bin/sh
# oci_lifecycle.sh RUNTIME ROOTFS -- contained-oci driven by hand the way
# containerd's shim drives it: create, state, start, kill, delete, with a
# config.json like ctr's (no user namespace: the container's root is host
# root, held back by capabilities, the device cgroup and read-only /proc).
# Root only; everything lives under a per-run token and is removed.
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
set -u
. "$(dirname "$0")/tap.sh"
RUNTIME=$(realpath "$1")
ROOTFS=$(realpath "$2")
token=oci-test-$$
base=$(realpath tests/build)/$token
state=$base/state
log=$base/log.json
cg=/$token
mkdir -p "$base/bundle"
R() { "$RUNTIME" --root "$state" --log "$log" --log-format json "$@"; }

# config ID ARGS-JSON [EXTRA-TOP-LEVEL-JSON]
config() {
	cat > "$base/bundle/config.json" <<JSON
{"ociVersion":"1.0.2-dev","process":{"user":{"uid":0,"gid":0,"additionalGids":[0]},
 "args":$2,"env":["PATH=/usr/bin:/bin:/usr/sbin:/sbin"],"cwd":"/",
 "capabilities":{"bounding":["CAP_CHOWN","CAP_MKNOD","CAP_KILL"],"effective":["CAP_CHOWN","CAP_MKNOD","CAP_KILL"],
  "permitted":["CAP_CHOWN","CAP_MKNOD","CAP_KILL"]},
 "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":512}],"noNewPrivileges":true},
 "root":{"path":"$ROOTFS","readonly":true},"hostname":"ocihost"${3:-},
 "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
  {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1777"]}],
 "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":3,"access":"rwm"}],
  "pids":{"limit":20},"memory":{"limit":67108864}},
  "cgroupsPath":"$cg/$1",
  "namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network"}],
  "maskedPaths":["/proc/kcore","/proc/keys","/proc/acpi"],"readonlyPaths":["/proc/sys","/proc/sysrq-trigger"]}}
JSON
}

cleanup() {
	for id in c1 c2 c3; do R delete --force $id 2>/dev/null; done
	for c in memory cpu pids devices; do rmdir /sys/fs/cgroup/$c$cg 2>/dev/null; done
	rm -rf "$base"
}
trap cleanup EXIT

# 1. create leaves the process blocked before exec; start lets it run.
config c1 '["sh","-c","echo ran; id -u; hostname; grep -E \"^(CapBnd|CapEff|NoNewPrivs)\" /proc/self/status; mknod /tmp/sda b 8 0 && echo MKNOD-OK; echo 1 > /proc/sys/kernel/domainname || echo sys-ro; touch /x 2>/dev/null || echo root-ro; ulimit -n; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null; exit 7"]'
R create --bundle "$base/bundle" --pid-file "$base/c1.pid" c1 > "$base/c1.out" 2>&1
rc=$?
pid=$(cat "$base/c1.pid" 2>/dev/null)
st=$(R state c1 2>&1)
if [ $rc = 0 ] && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ! grep -q ran "$base/c1.out" &&
   echo "$st" | grep -q '"status":"created"' && echo "$st" | grep -q "\"pid\":$pid"; then
	pass "create: pid file holds a live pid, state is created, nothing ran yet"
else
	fail "create: pid file holds a live pid, state is created, nothing ran yet" "rc=$rc pid=$pid" "$st" "$(cat "$base/c1.out" "$log" 2>&1)"
fi
pids_dir=/sys/fs/cgroup/pids$cg/c1
if grep -qx "$pid" "$pids_dir/cgroup.procs" 2>/dev/null && [ "$(cat $pids_dir/pids.max)" = 20 ] &&
   [ "$(cat /sys/fs/cgroup/memory$cg/c1/memory.limit_in_bytes)" = 67108864 ]; then
	pass "create: the container is in the cgroup at cgroupsPath, with its limits"
else
	fail "create: the container is in the cgroup at cgroupsPath, with its limits" "$(ls -d /sys/fs/cgroup/*$cg/c1 2>&1)"
fi
R start c1 >> "$base/c1.out" 2>&1
rc=$?
for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
out=$(cat "$base/c1.out")
[ $rc = 0 ] && echo "$out" | grep -qx ran && pass "start: the command runs" || fail "start: the command runs" "rc=$rc" "$out"
echo "$out" | grep -qx ocihost && pass "hostname from config.json" || fail "hostname from config.json" "$out"
# CAP_CHOWN 0, CAP_KILL 5, CAP_MKNOD 27: 0x8000021
echo "$out" | grep -q "CapBnd:.*0000000008000021" && echo "$out" | grep -q "CapEff:.*0000000008000021" &&
	pass "capabilities: bounding and effective sets are the config's" || fail "capabilities: bounding and effective sets are the config's" "$out"
echo "$out" | grep -q "NoNewPrivs:.1" && pass "noNewPrivileges" || fail "noNewPrivileges" "$out"
! echo "$out" | grep -q MKNOD-OK && pass "device cgroup: host root in the container with CAP_MKNOD cannot make /dev/sda" ||
	fail "device cgroup: host root in the container with CAP_MKNOD cannot make /dev/sda" "$out"
echo "$out" | grep -qx sys-ro && pass "readonlyPaths: /proc/sys is read-only" || fail "readonlyPaths: /proc/sys is read-only" "$out"
echo "$out" | grep -qx root-ro && pass "root.readonly" || fail "root.readonly" "$out"
echo "$out" | grep -qx 512 && pass "rlimits: RLIMIT_NOFILE soft 512" || fail "rlimits: RLIMIT_NOFILE soft 512" "$out"

# 2. kill on a stopped container fails, and says so in the log.
if R state c1 2>&1 | grep -q '"status":"stopped"' && ! R kill c1 KILL 2>/dev/null &&
   tail -n 1 "$log" | grep -q '"level":"error","msg":"container \\"c1\\" is not running"'; then
	pass "kill of a stopped container fails with a logged error"
else
	fail "kill of a stopped container fails with a logged error" "$(R state c1 2>&1)" "$(tail -n 2 "$log")"
fi
R delete c1 && [ ! -e "$state/c1" ] && [ ! -e /sys/fs/cgroup/pids$cg/c1 ] && [ ! -e /sys/fs/cgroup/devices$cg/c1 ] &&
	pass "delete removes the state and the cgroup" || fail "delete removes the state and the cgroup" "$(ls "$state" /sys/fs/cgroup/*$cg 2>&1)"
R delete --force c1 && pass "delete --force of a container that is gone succeeds" || fail "delete --force of a container that is gone succeeds"

# 3. A running container: state, ps, kill by name, --force delete.
config c2 '["sleep","600"]'
R create --bundle "$base/bundle" --pid-file "$base/c2.pid" c2 && R start c2
pid=$(cat "$base/c2.pid" 2>/dev/null)
R state c2 | grep -q '"status":"running"' && [ "$(R ps --format json c2)" = "[$pid]" ] &&
	pass "state running; ps --format json lists the pid" || fail "state running; ps --format json lists the pid" "$(R state c2; R ps --format json c2)"
R delete c2 2>/dev/null && fail "delete of a running container is refused" || pass "delete of a running container is refused"
R kill c2 SIGKILL
for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
R state c2 | grep -q '"status":"stopped"' && pass "kill ID SIGKILL stops it" || fail "kill ID SIGKILL stops it" "$(R state c2)"
R delete c2
config c3 '["sleep","600"]'
R create --bundle "$base/bundle" --pid-file "$base/c3.pid" c3
pid=$(cat "$base/c3.pid" 2>/dev/null)
R delete --force c3
rc=$?
# its parent, create, is gone: whoever reaps orphans here takes a moment
for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
[ $rc = 0 ] && ! kill -0 "$pid" 2>/dev/null && [ ! -e "$state/c3" ] && [ ! -e /sys/fs/cgroup/memory$cg/c3 ] &&
	pass "delete --force of a created container kills it and leaves nothing" ||
	fail "delete --force of a created container kills it and leaves nothing" "rc=$rc" "$(ls "$state" /sys/fs/cgroup/memory$cg 2>&1; ps -o pid,stat,args -p "$pid")"

# 4. A field contained-oci cannot apply is refused by name, before anything exists.
config c2 '["true"]' ',"hooks":{"prestart":[{"path":"/bin/true"}]}'
if ! R create --bundle "$base/bundle" --pid-file "$base/c4.pid" c4 2>/dev/null &&
   tail -n 1 "$log" | grep -q 'hooks is not supported' && [ ! -e "$state/c4" ] && [ ! -e "$base/c4.pid" ]; then
	pass "an unsupported field (hooks) is refused by name and nothing is left"
else
	fail "an unsupported field (hooks) is refused by name and nothing is left" "$(tail -n 1 "$log")"
fi
# A stage that fails inside the container reaches the log, and nothing is left.
config c5 '["true"]'
sed -i "s|\"path\":\"$ROOTFS\"|\"path\":\"$base/no-such-rootfs\"|" "$base/bundle/config.json"
if ! R create --bundle "$base/bundle" --pid-file "$base/c5.pid" c5 2>/dev/null &&
   tail -n 1 "$log" | grep -q 'no-such-rootfs' && [ ! -e "$state/c5" ] && [ ! -e /sys/fs/cgroup/pids$cg/c5 ]; then
	pass "a failure inside the container is logged for the engine; nothing is left"
else
	fail "a failure inside the container is logged for the engine; nothing is left" "$(tail -n 1 "$log")" "$(ls "$state" 2>&1)"
fi
summary
