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
# state under a directory whose mode (0600) lets only CAP_DAC_READ_SEARCH through
RU() { "$RUNTIME" --root "$base/locked/state" --log "$log" --log-format json "$@"; }

# config ID ARGS-JSON [EXTRA-TOP-LEVEL-JSON [EXTRA-LINUX-JSON]]
# ($nonet set: no network namespace; $ns_extra: more namespaces)
config() {
	netns=',{"type":"network"}'
	[ -n "${nonet:-}" ] && netns=
	cat > "$base/bundle/config.json" <<JSON
{"ociVersion":"1.0.2-dev","process":{"user":{"uid":0,"gid":0,"additionalGids":[0]},
 "args":$2,"env":["PATH=/usr/bin:/bin:/usr/sbin:/sbin"],"cwd":"/",
 "capabilities":{"bounding":["CAP_CHOWN","CAP_MKNOD","CAP_KILL"],"effective":["CAP_CHOWN","CAP_MKNOD","CAP_KILL"],
  "permitted":["CAP_CHOWN","CAP_MKNOD","CAP_KILL"]},
 "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":512}],"noNewPrivileges":true},
 "root":{"path":"$ROOTFS","readonly":true},"hostname":"ocihost","domainname":"ocidomain"${3:-},
 "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
  {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1777"]}],
 "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":3,"access":"rwm"}],
  "pids":{"limit":20},"memory":{"limit":67108864}},
  "cgroupsPath":"$cg/$1",
  "namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}$netns${ns_extra:-}],
  "maskedPaths":["/proc/kcore","/proc/keys","/proc/acpi"],"readonlyPaths":["/proc/sys","/proc/sysrq-trigger"]${4:-}}}
JSON
}

# wait_gone PID: until PID has ended, for up to 5 s.
wait_gone() {
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
}

cleanup() {
	for id in c1 c2 c3 c4 c6 c7 c8 s1 s2 e1 y1 y2 k1 q1 p1 d1 a1 g1 b1 v1 v2 z1 z2 x1 x2 r1 f1 l1 w1 u1 u2 j1 j2 j3 j4 j5 j6 j7 q2 ps1 ps2 ps3 ps4 ph1 ph2 st1 st2 n1 n2 n3 pa pb y3 y4 j8 m6 rp1 up1; do R delete --force $id 2>/dev/null; done
	for c in memory cpu pids devices freezer; do
		rmdir /sys/fs/cgroup/$c$cg/n1/sub/deeper /sys/fs/cgroup/$c$cg/n1/sub 2>/dev/null
		[ -d /sys/fs/cgroup/$c$cg/n2 ] && find /sys/fs/cgroup/$c$cg/n2 -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
		rmdir /sys/fs/cgroup/$c$cg/pp 2>/dev/null
		rmdir /sys/fs/cgroup/$c$cg /sys/fs/cgroup/$c/ocitest$$.slice/ocitest$$-a.slice/* \
			/sys/fs/cgroup/$c/ocitest$$.slice/ocitest$$-a.slice /sys/fs/cgroup/$c/ocitest$$.slice 2>/dev/null
	done
	RU delete --force u1 2>/dev/null
	umount "$base/rb/sub" 2>/dev/null
	rm -rf "$base"
}
trap cleanup EXIT

# 1. create leaves the process blocked before exec; start lets it run.
config c1 '["sh","-c","echo ran; id -u; hostname; echo domain:$(cat /proc/sys/kernel/domainname); grep -E \"^(CapBnd|CapEff|NoNewPrivs)\" /proc/self/status; mknod /tmp/sda b 8 0 && echo MKNOD-OK; (exec 3<>/dev/ptmx) && echo ptmx-opens; echo 1 > /proc/sys/kernel/domainname || echo sys-ro; touch /x 2>/dev/null || echo root-ro; ulimit -n; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null; exit 7"]'
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
wait_gone "$pid"
out=$(cat "$base/c1.out")
[ $rc = 0 ] && echo "$out" | grep -qx ran && pass "start: the command runs" || fail "start: the command runs" "rc=$rc" "$out"
echo "$out" | grep -qx ocihost && pass "hostname from config.json" || fail "hostname from config.json" "$out"
echo "$out" | grep -qx domain:ocidomain && [ "$(cat /proc/sys/kernel/domainname)" != ocidomain ] &&
	pass "domainname from config.json, the host's untouched" || fail "domainname from config.json, the host's untouched" "$out"
# CAP_CHOWN 0, CAP_KILL 5, CAP_MKNOD 27: 0x8000021
echo "$out" | grep -q "CapBnd:.*0000000008000021" && echo "$out" | grep -q "CapEff:.*0000000008000021" &&
	pass "capabilities: bounding and effective sets are the config's" || fail "capabilities: bounding and effective sets are the config's" "$out"
echo "$out" | grep -q "NoNewPrivs:.1" && pass "noNewPrivileges" || fail "noNewPrivileges" "$out"
! echo "$out" | grep -q MKNOD-OK && pass "device cgroup: host root in the container with CAP_MKNOD cannot make /dev/sda" ||
	fail "device cgroup: host root in the container with CAP_MKNOD cannot make /dev/sda" "$out"
echo "$out" | grep -qx ptmx-opens && pass "device cgroup: the runtime's own nodes (here /dev/ptmx) open though the config's rules do not name them" ||
	fail "device cgroup: the runtime's own nodes (here /dev/ptmx) open though the config's rules do not name them" "$out"
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
# pause and resume: the freezer stops every process where it stands.
if R pause c2 && R state c2 | grep -q '"status":"paused"' &&
   [ "$(cat /sys/fs/cgroup/freezer$cg/c2/freezer.state)" = FROZEN ] && ! R pause c2 2>/dev/null &&
   R resume c2 && R state c2 | grep -q '"status":"running"' && [ "$(cat /sys/fs/cgroup/freezer$cg/c2/freezer.state)" = THAWED ]; then
	pass "pause freezes the container (state paused, freezer FROZEN), resume thaws it"
else
	fail "pause freezes the container (state paused, freezer FROZEN), resume thaws it" "$(R state c2)" "$(cat /sys/fs/cgroup/freezer$cg/c2/freezer.state 2>&1)"
fi
R kill c2 SIGKILL
wait_gone "$pid"
R state c2 | grep -q '"status":"stopped"' && pass "kill ID SIGKILL stops it" || fail "kill ID SIGKILL stops it" "$(R state c2)"
R delete c2
config p1 '["sleep","600"]'
R create --bundle "$base/bundle" --pid-file "$base/p1.pid" p1 && R start p1 && R pause p1
pid=$(cat "$base/p1.pid" 2>/dev/null)
R delete --force p1
rc=$?
wait_gone "$pid"
[ $rc = 0 ] && ! kill -0 "$pid" 2>/dev/null && [ ! -e "$state/p1" ] && [ ! -e /sys/fs/cgroup/freezer$cg/p1 ] &&
	pass "delete --force of a paused container kills it and leaves nothing" ||
	fail "delete --force of a paused container kills it and leaves nothing" "rc=$rc" "$(ls "$state" /sys/fs/cgroup/freezer$cg 2>&1)"
config c3 '["sleep","600"]'
R create --bundle "$base/bundle" --pid-file "$base/c3.pid" c3
pid=$(cat "$base/c3.pid" 2>/dev/null)
R delete --force c3
rc=$?
# its parent, create, is gone: whoever reaps orphans here takes a moment
wait_gone "$pid"
[ $rc = 0 ] && ! kill -0 "$pid" 2>/dev/null && [ ! -e "$state/c3" ] && [ ! -e /sys/fs/cgroup/memory$cg/c3 ] &&
	pass "delete --force of a created container kills it and leaves nothing" ||
	fail "delete --force of a created container kills it and leaves nothing" "rc=$rc" "$(ls "$state" /sys/fs/cgroup/memory$cg 2>&1; ps -o pid,stat,args -p "$pid")"

# 4. Hooks: each kind at its moment, with the state on stdin; a failing
# one fails create and leaves nothing.
cat > "$base/hook.sh" <<SH
#!/bin/sh
echo "\$1 \$HOOKVAR net:\$(readlink /proc/self/ns/net) \$(cat)" >> "$base/hooks.log"
SH
chmod 755 "$base/hook.sh"
hook() { echo "{\"path\":\"$base/hook.sh\",\"args\":[\"hook.sh\",\"$1\"],\"env\":[\"HOOKVAR=v-$1\"],\"timeout\":5}"; }
config c4 '["sh","-c","cat /tmp/started"]' ",\"hooks\":{\"prestart\":[$(hook prestart)],\"createRuntime\":[$(hook createRuntime)],
 \"createContainer\":[$(hook createContainer)],\"poststart\":[$(hook poststart)],\"poststop\":[$(hook poststop)],
 \"startContainer\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"cat > /tmp/started\"]}]},
 \"annotations\":{\"org.example.note\":\"n1\"}"
R create --bundle "$base/bundle" --pid-file "$base/c4.pid" c4 > "$base/c4.out" 2>&1
rc=$?
pid=$(cat "$base/c4.pid" 2>/dev/null)
hostnet=$(readlink /proc/self/ns/net)
order=$(cut -d' ' -f1 "$base/hooks.log" 2>/dev/null | tr '\n' ' ')
has() { grep -F -- "$1" "$base/hooks.log" | grep -qF -- "$2"; }
if [ $rc = 0 ] && [ "$order" = "prestart createRuntime createContainer " ] &&
   has "prestart v-prestart net:$hostnet {" "\"id\":\"c4\",\"status\":\"creating\",\"pid\":$pid,\"bundle\":\"$base/bundle\",\"annotations\":{\"org.example.note\":\"n1\"}}" &&
   has "createRuntime v-createRuntime net:$hostnet " "\"pid\":$pid," &&
   has "createContainer v-createContainer net:" "\"pid\":$pid," && ! has "createContainer " "net:$hostnet"; then
	pass "create runs prestart, createRuntime (runtime's namespaces), createContainer (the container's), with the state on stdin, args and env"
else
	fail "create runs prestart, createRuntime (runtime's namespaces), createContainer (the container's), with the state on stdin, args and env" "rc=$rc pid=$pid" "$(cat "$base/hooks.log" "$base/c4.out" 2>&1)"
fi
R start c4 >> "$base/c4.out" 2>&1
wait_gone "$pid"
grep -q "\"id\":\"c4\",\"status\":\"created\",\"pid\":$pid" "$base/c4.out" &&
	pass "startContainer runs inside the container before the command, the state on its stdin" ||
	fail "startContainer runs inside the container before the command, the state on its stdin" "$(cat "$base/c4.out")"
has "poststart v-poststart " "\"status\":\"running\",\"pid\":$pid," &&
	pass "start runs poststart" || fail "start runs poststart" "$(cat "$base/hooks.log")"
R delete c4
has "poststop v-poststop " "\"status\":\"stopped\",\"pid\":0," && [ ! -e "$state/c4" ] &&
	pass "delete runs poststop" || fail "delete runs poststop" "$(cat "$base/hooks.log")"

# failed_create ID WHAT PATTERN: create fails, the log's last line
# matches PATTERN, and nothing is left (state, pid file, cgroup).
failed_create() {
	if ! R create --bundle "$base/bundle" --pid-file "$base/$1.pid" $1 2>/dev/null &&
	   tail -n 1 "$log" | grep -q "\"level\":\"error\",\"msg\":\"$3" && [ ! -e "$state/$1" ] &&
	   [ ! -e "$base/$1.pid" ] && [ ! -e /sys/fs/cgroup/pids$cg/$1 ] && [ ! -e /sys/fs/cgroup/memory$cg/$1 ]; then
		pass "$2"
	else
		fail "$2" "$(tail -n 1 "$log")" "$(ls "$state" /sys/fs/cgroup/pids$cg 2>&1)"
	fi
}
config c6 '["true"]' ',"hooks":{"prestart":[{"path":"/bin/sh","args":["sh","-c","echo no network for you >&2; exit 3"]}]}'
failed_create c6 "a failing prestart hook fails create, naming it, its status and output; nothing is left" \
	'hooks.prestart\[0\] (/bin/sh) failed with status 3: no network for you'
config c7 '["true"]' ',"hooks":{"createRuntime":[{"path":"/bin/sleep","args":["sleep","30"],"timeout":1}]}'
failed_create c7 "a hook past its timeout is killed and fails create; nothing is left" \
	'hooks.createRuntime\[0\] (/bin/sleep) did not finish within its timeout of 1 s'
config c8 '["true"]' ',"hooks":{"createContainer":[{"path":"/bin/false"}]}'
failed_create c8 "a failing createContainer hook (inside the container) fails create; nothing is left" \
	'hooks.createContainer\[0\] (/bin/false) failed with status 1'
config c9 '["true"]' ',"hooks":{"prestart":[{"path":"hook.sh"}]}'
failed_create c9 "a hook with a relative path is refused by name" \
	'config.json: hooks.prestart\[0\].path must be an absolute path'
# 5. Seccomp from config.json: the filter is on, a denied call gets the
# configured errno, a condition on an argument picks the call it names,
# an unknown system call name is skipped (as runc does).
config s1 '["sh","-c","grep Seccomp: /proc/self/status; mkdir /tmp/d; kill -USR1 $$; kill -0 $$ && echo signal-0-allowed; echo end"]' '' \
 ',"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat","no_such_syscall"],"action":"SCMP_ACT_ERRNO","errnoRet":100},
  {"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":10,"op":"SCMP_CMP_EQ"}]}]}'
R create --bundle "$base/bundle" --pid-file "$base/s1.pid" s1 > "$base/s1.out" 2>&1 && R start s1
pid=$(cat "$base/s1.pid" 2>/dev/null)
wait_gone "$pid"
out=$(cat "$base/s1.out")
echo "$out" | grep -q "^Seccomp:.2" && echo "$out" | grep -q "mkdir.*/tmp/d.*Network is down" && echo "$out" | grep -qx end &&
	pass "seccomp: Seccomp 2, and mkdir gets the configured errno 100 (ENETDOWN)" ||
	fail "seccomp: Seccomp 2, and mkdir gets the configured errno 100 (ENETDOWN)" "$out" "$(tail -n 2 "$log")"
echo "$out" | grep -q "kill.*Operation not permitted" && echo "$out" | grep -qx signal-0-allowed &&
	pass "seccomp: an argument condition denies kill(pid, SIGUSR1) with EPERM and lets kill(pid, 0) through" ||
	fail "seccomp: an argument condition denies kill(pid, SIGUSR1) with EPERM and lets kill(pid, 0) through" "$out"
R delete s1
config s2 '["true"]' '' ',"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":10,"op":"SCMP_CMP_ROUGHLY"}]}]}'
failed_create s2 "seccomp: an unknown operator is refused, naming the field" \
	'config.json: linux.seccomp.syscalls\[0\].args\[0\].op: unknown operator \\"SCMP_CMP_ROUGHLY\\"'

# 6. exec: a process joins the running container's namespaces, cgroup
# and seccomp filter, as process.json says; plain (its status passed on)
# and --detach (its pid in the pid file, left running).
config e1 '["sleep","600"]' '' ',"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":100}]}'
R create --bundle "$base/bundle" --pid-file "$base/e1.pid" e1 && R start e1
pid=$(cat "$base/e1.pid" 2>/dev/null)
# process JSON-ARGS [EXTRA]: a process.json with uid 1000 and CAP_KILL only
# (bounding; a uid other than 0 keeps no capability across execve without
# ambient ones, capabilities(7), so its effective set is empty)
process() {
	cat > "$base/process.json" <<JSON
{"user":{"uid":1000,"gid":1000},"args":$1,"env":["PATH=/bin:/usr/bin","WHO=exec"],"cwd":"/tmp",
 "capabilities":{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]},"noNewPrivileges":true${2:-}}
JSON
}
process '["sh","-c","echo $WHO $(id -u):$(id -g) $(pwd) $(hostname); echo pid $$; readlink /proc/self/ns/net; readlink /proc/self/ns/mnt; grep -E \"^(CapBnd|CapEff|NoNewPrivs|Seccomp):\" /proc/self/status; mkdir /tmp/x; exit 4"]'
out=$(R exec --process "$base/process.json" e1 2>&1)
rc=$?
if [ $rc = 4 ] && echo "$out" | grep -qx "exec 1000:1000 /tmp ocihost" && echo "$out" | grep -qxF "$(readlink /proc/$pid/ns/net)" &&
   echo "$out" | grep -qxF "$(readlink /proc/$pid/ns/mnt)" && ! echo "$out" | grep -qx "pid $pid" &&
   echo "$out" | grep -q "CapBnd:.0000000000000020" && echo "$out" | grep -q "CapEff:.0000000000000000" && echo "$out" | grep -q "NoNewPrivs:.1" && echo "$out" | grep -q "Seccomp:.2" &&
   echo "$out" | grep -q "Network is down"; then
	pass "exec: process.json's user, cwd, env and capabilities, in the container's namespaces and seccomp filter; its status comes back"
else
	fail "exec: process.json's user, cwd, env and capabilities, in the container's namespaces and seccomp filter; its status comes back" "rc=$rc" "$out"
fi
process '["sleep","600"]'
R exec --process "$base/process.json" --detach --pid-file "$base/exec.pid" e1
rc=$?
epid=$(cat "$base/exec.pid" 2>/dev/null)
if [ $rc = 0 ] && [ -n "$epid" ] && kill -0 "$epid" && grep -qx "$epid" /sys/fs/cgroup/pids$cg/e1/cgroup.procs &&
   [ "$(readlink /proc/$epid/ns/pid)" = "$(readlink /proc/$pid/ns/pid)" ] &&
   R ps --format json e1 | grep -q "^\[\($pid,$epid\|$epid,$pid\)\]\$"; then
	pass "exec --detach: the pid file names it, it runs in the container's cgroup and pid namespace, ps lists both"
else
	fail "exec --detach: the pid file names it, it runs in the container's cgroup and pid namespace, ps lists both" "rc=$rc epid=$epid" "$(R ps --format json e1)"
fi
process '["true"]' ',"cwd":"tmp"'
if ! R exec --process "$base/process.json" e1 2>/dev/null && tail -n 1 "$log" | grep -q 'process.json: process.cwd must be an absolute path' &&
   [ "$(wc -l < /sys/fs/cgroup/pids$cg/e1/cgroup.procs)" = 2 ]; then
	pass "exec: a bad process.json is refused by field, nothing joins the container"
else
	fail "exec: a bad process.json is refused by field, nothing joins the container" "$(tail -n 1 "$log")"
fi
process '["no-such-program"]'
R exec --process "$base/process.json" e1 2>/dev/null
rc=$?
[ $rc = 1 ] && tail -n 1 "$log" | grep -q 'exec no-such-program: No such file' && [ "$(wc -l < /sys/fs/cgroup/pids$cg/e1/cgroup.procs)" = 2 ] &&
	pass "exec of a missing program fails with a logged error" || fail "exec of a missing program fails with a logged error" "rc=$rc" "$(tail -n 1 "$log")"
# 7. kill --all reaches the exec'd process too.
R kill --all e1 KILL
for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || kill -0 "$epid" 2>/dev/null || break; sleep 0.05; done
! kill -0 "$epid" 2>/dev/null && R state e1 | grep -q '"status":"stopped"' &&
	pass "kill --all signals every process of the container" || fail "kill --all signals every process of the container" "$(ps -o pid,args -p $pid,$epid)"
R delete e1
R exec --process "$base/process.json" e1 2>/dev/null && fail "exec in a container that is gone fails" || pass "exec in a container that is gone fails"

# 8. linux.sysctl: namespaced settings reach the container's own
# namespaces and not the host's; others are refused by name.
config y1 '["sh","-c","cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shmmni; echo 2 > /proc/sys/kernel/shmmni || echo still-ro"]' '' \
	',"sysctl":{"net.ipv4.ip_unprivileged_port_start":"123","kernel.shmmni":"1234"}'
host_port=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
host_shm=$(cat /proc/sys/kernel/shmmni)
R create --bundle "$base/bundle" --pid-file "$base/y1.pid" y1 > "$base/y1.out" 2>&1 && R start y1
pid=$(cat "$base/y1.pid" 2>/dev/null)
wait_gone "$pid"
out=$(cat "$base/y1.out")
[ "$(echo "$out" | grep -v Read-only)" = "123
1234
still-ro" ] && [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" = "$host_port" ] && [ "$(cat /proc/sys/kernel/shmmni)" = "$host_shm" ] &&
	pass "sysctl: net.* and kernel.shm* set in the container's namespaces, the host's untouched, /proc/sys read-only after" ||
	fail "sysctl: net.* and kernel.shm* set in the container's namespaces, the host's untouched, /proc/sys read-only after" "$out" "$(tail -n 1 "$log")"
R delete y1
config y2 '["true"]' '' ',"sysctl":{"kernel.pid_max":"4194304"}'
failed_create y2 "sysctl: a setting that is not namespaced (kernel.pid_max) is refused by name" \
	'config.json: linux.sysctl.kernel.pid_max: not a namespaced setting'

# A limit the kernel refuses (a CFS quota under its 1 ms minimum) fails
# create after its state directory and cgroups exist: both go.
config q1 '["true"]'
sed -i 's|"pids":{"limit":20}|"pids":{"limit":20},"cpu":{"quota":500,"period":100000}|' "$base/bundle/config.json"
failed_create q1 "a limit the kernel refuses fails create, naming the knob; its state and cgroups are removed" \
	'writing \\"500\\" to /sys/fs/cgroup/cpu/.*/q1/cpu.cfs_quota_us: Invalid argument'
[ ! -e /sys/fs/cgroup/cpu$cg/q1 ] && [ ! -e /sys/fs/cgroup/devices$cg/q1 ] && pass "... no cpu or devices cgroup either" ||
	fail "... no cpu or devices cgroup either" "$(ls -d /sys/fs/cgroup/*$cg/q1 2>&1)"

# create killed midway (here while its prestart hook runs): the engine's
# delete --force still finds the container and removes all of it.
config k1 '["true"]' ",\"hooks\":{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"echo \$\$ > $base/k1.hook; exec sleep 30\"]}]}"
R create --bundle "$base/bundle" --pid-file "$base/k1.pid" k1 2>/dev/null &
creator=$!
for i in $(seq 200); do [ -s "$base/k1.hook" ] && break; sleep 0.05; done
kill -KILL $creator
wait $creator 2>/dev/null
kill -KILL "$(cat "$base/k1.hook")"
if [ -e "$state/k1" ] && R delete --force k1 && [ ! -e "$state/k1" ] && [ ! -e /sys/fs/cgroup/pids$cg/k1 ] && [ ! -e /sys/fs/cgroup/memory$cg/k1 ]; then
	pass "create killed midway: delete --force removes its state and cgroups"
else
	fail "create killed midway: delete --force removes its state and cgroups" "$(ls "$state" /sys/fs/cgroup/pids$cg 2>&1)"
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
# systemd's form of cgroupsPath, SLICE:PREFIX:NAME: the scope's place in
# its slice, the slice's dashes spelling its parents (systemd.slice(5)),
# on every hierarchy; the directories create made go with delete.
slice=ocitest$$
config d1 '["sh","-c","cat /proc/self/cgroup"]'
sed -i "s|\"cgroupsPath\":\"$cg/d1\"|\"cgroupsPath\":\"$slice-a.slice:ctr:d1\"|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/d1.pid" d1 > "$base/d1.out" 2>&1
pid=$(cat "$base/d1.pid" 2>/dev/null)
scope=$slice.slice/$slice-a.slice/ctr-d1.scope
if [ -n "$pid" ] && grep -qx "$pid" /sys/fs/cgroup/pids/$scope/cgroup.procs 2>/dev/null &&
   [ "$(cat /sys/fs/cgroup/pids/$scope/pids.max)" = 20 ] && grep -qx "$pid" /sys/fs/cgroup/devices/$scope/cgroup.procs; then
	pass "cgroupsPath $slice-a.slice:ctr:d1 (systemd's form) is /$scope, with its limits"
else
	fail "cgroupsPath $slice-a.slice:ctr:d1 (systemd's form) is /$scope, with its limits" "$(tail -n 1 "$log")" "$(ls -d /sys/fs/cgroup/pids/$slice* 2>&1)"
fi
R start d1
wait_gone "$pid"
R delete d1
left=$(ls -d /sys/fs/cgroup/*/$slice.slice 2>/dev/null)
[ -z "$left" ] && pass "delete removes the scope and the slices its create made" || fail "delete removes the scope and the slices its create made" "$left"
config d2 '["true"]'
sed -i "s|\"cgroupsPath\":\"$cg/d2\"|\"cgroupsPath\":\"system:ctr:d2\"|" "$base/bundle/config.json"
failed_create d2 "a systemd cgroupsPath whose slice is not a slice is refused by field" \
	'config.json: linux.cgroupsPath \\"system:ctr:d2\\": \\"system\\" is not a slice'

# A cgroupsPath naming a cgroup that was there before (here in the pids
# hierarchy, empty then; a process of the host's joins it after create)
# is not create's to remove: delete leaves it and its process, and
# removes the ones it made.
keep=/sys/fs/cgroup/pids/ocikeep$$
mkdir "$keep"
sleep 600 &
keeper=$!
config g1 '["true"]'
sed -i "s|\"cgroupsPath\":\"$cg/g1\"|\"cgroupsPath\":\"/ocikeep$$\"|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/g1.pid" g1
echo $keeper > "$keep/cgroup.procs"
R start g1
pid=$(cat "$base/g1.pid" 2>/dev/null)
wait_gone "$pid"
R delete g1
if kill -0 $keeper 2>/dev/null && grep -qx $keeper "$keep/cgroup.procs" && [ ! -e /sys/fs/cgroup/memory/ocikeep$$ ] &&
   [ ! -e "$state/g1" ]; then
	pass "delete removes only the cgroups create made: one that was there stays, with its process"
else
	fail "delete removes only the cgroups create made: one that was there stays, with its process" "$(ls -d /sys/fs/cgroup/*/ocikeep$$ 2>&1)" "$(ps -o pid,args -p $keeper)"
fi
kill $keeper 2>/dev/null
wait $keeper 2>/dev/null
rmdir "$keep" /sys/fs/cgroup/*/ocikeep$$ 2>/dev/null
config b1 '["true"]'
sed -i "s|\"cgroupsPath\":\"$cg/b1\"|\"cgroupsPath\":\"/\"|" "$base/bundle/config.json"
failed_create b1 "a cgroupsPath of / (the host's root cgroup) is refused by field" \
	'config.json: linux.cgroupsPath \\"/\\" must name a cgroup below the root'

# A cgroupsPath naming a cgroup where other processes live (here one of
# the host's, in the pids and devices hierarchies; or below it, in a
# child cgroup) is refused before anything is written there: its
# process lives on, its device rules and limits are as they were.
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	victim_dirs="/sys/fs/cgroup/ocivictim$$"
else
	victim_dirs="/sys/fs/cgroup/pids/ocivictim$$ /sys/fs/cgroup/devices/ocivictim$$"
fi
sleep 600 &
victim=$!
for d in $victim_dirs; do mkdir "$d" "$d/child" && echo $victim > "$d/child/cgroup.procs"; done
before=$(cat /sys/fs/cgroup/devices/ocivictim$$/devices.list /sys/fs/cgroup/pids/ocivictim$$/pids.max /sys/fs/cgroup/ocivictim$$/cgroup.subtree_control 2>/dev/null)
victim_intact() {
	kill -0 $victim 2>/dev/null && [ "$before" = "$(cat /sys/fs/cgroup/devices/ocivictim$$/devices.list \
		/sys/fs/cgroup/pids/ocivictim$$/pids.max /sys/fs/cgroup/ocivictim$$/cgroup.subtree_control 2>/dev/null)" ] &&
		for d in $victim_dirs; do grep -qx $victim "$d/$1/cgroup.procs" || return 1; done
}
config v2 '["true"]'
sed -i "s|\"cgroupsPath\":\"$cg/v2\"|\"cgroupsPath\":\"/ocivictim$$\"|" "$base/bundle/config.json"
if ! R create --bundle "$base/bundle" v2 2>/dev/null && victim_intact child &&
   tail -n 1 "$log" | grep -q "linux.cgroupsPath .*/ocivictim$$ already has a child cgroup (child)"; then
	pass "a cgroupsPath whose cgroup has a child cgroup in use is refused by field; nothing there changes"
else
	fail "a cgroupsPath whose cgroup has a child cgroup in use is refused by field; nothing there changes" "$(tail -n 1 "$log")"
fi
for d in $victim_dirs; do echo $victim > "$d/cgroup.procs" && rmdir "$d/child"; done
if ! R create --bundle "$base/bundle" v2 2>/dev/null && victim_intact . &&
   tail -n 1 "$log" | grep -q "linux.cgroupsPath .*/ocivictim$$ already holds processes (pid $victim) that are not this container's"; then
	pass "a cgroupsPath whose cgroup holds other processes is refused by field; they live on, its limits and device rules unchanged"
else
	fail "a cgroupsPath whose cgroup holds other processes is refused by field; they live on, its limits and device rules unchanged" "$(tail -n 1 "$log")"
fi
kill $victim
wait $victim 2>/dev/null
for d in $victim_dirs; do rmdir "$d/child" "$d" 2>/dev/null; done
rmdir /sys/fs/cgroup/*/ocivictim$$ 2>/dev/null

# process.apparmorProfile: applied at exec where AppArmor runs; refused by
# name where it does not (as runc fails), never skipped.
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	config a1 '["true"],"apparmorProfile":"contained-no-such-profile"'
	failed_create a1 "apparmorProfile: a profile the kernel does not have fails create by name" \
		'process.apparmorProfile \\"contained-no-such-profile\\": the kernel refused it'
else
	config a1 '["true"],"apparmorProfile":"docker-default"'
	failed_create a1 "apparmorProfile on a host without AppArmor is refused by name; nothing is left" \
		'config.json: process.apparmorProfile is \\"docker-default\\" but AppArmor is not enabled on this host'
fi

# Big annotations (engines pass labels through them): state.json, which
# keeps them, is read whole, so start, kill and delete still find the
# container.  A config.json over 1 MiB is refused as too large.
big=$(head -c 20000 /dev/zero | tr '\0' a)
config z1 '["sleep","600"]' ",\"annotations\":{\"org.example.big\":\"$big\"}"
R create --bundle "$base/bundle" --pid-file "$base/z1.pid" z1 && R start z1
pid=$(cat "$base/z1.pid" 2>/dev/null)
R state z1 2>/dev/null | grep -q '"status":"running"' && R kill z1 KILL
wait_gone "$pid"
if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && R delete z1 && [ ! -e "$state/z1" ] && [ ! -e /sys/fs/cgroup/pids$cg/z1 ]; then
	pass "a container with 20000 bytes of annotations starts, is killed and deleted"
else
	fail "a container with 20000 bytes of annotations starts, is killed and deleted" "pid=$pid" "$(tail -n 1 "$log")"
fi
big=$(head -c 1100000 /dev/zero | tr '\0' a)
config z2 '["true"]' ",\"annotations\":{\"org.example.big\":\"$big\"}"
unset big
failed_create z2 "a config.json over 1 MiB is refused as too large" \
	"$base/bundle/config.json is larger than 1 MiB, the most contained-oci reads"

# process.cwd through a descriptor the engine left open, "/proc/self/fd/N"
# (CVE-2024-21626): it is closed before the chdir, so the host directory
# behind it is never the process's working directory; one that stays open
# (stdin) leads outside the container's root, which is refused.
mkdir -p "$base/hostdir"
echo host-secret > "$base/hostdir/marker"
config x1 '["sleep","600"]'
R create --bundle "$base/bundle" x1 && R start x1
cwd_process() {
	echo "{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\",\"-c\",\"cat marker; pwd\"],\"env\":[\"PATH=/bin:/usr/bin\"],\"cwd\":\"$1\"}" > "$base/cwd.json"
}
cwd_process /proc/self/fd/7
out=$(R exec --process "$base/cwd.json" x1 7< "$base/hostdir" 2>&1)
rc=$?
if [ $rc != 0 ] && ! echo "$out" | grep -q host-secret && tail -n 1 "$log" | grep -q 'process.cwd /proc/self/fd/7: No such file'; then
	pass "exec: a process.cwd of /proc/self/fd/N, N a host directory the engine left open, is refused by field"
else
	fail "exec: a process.cwd of /proc/self/fd/N, N a host directory the engine left open, is refused by field" "rc=$rc" "$out" "$(tail -n 1 "$log")"
fi
cwd_process /proc/self/fd/0
out=$(R exec --process "$base/cwd.json" x1 < "$base/hostdir" 2>&1)
rc=$?
if [ $rc != 0 ] && ! echo "$out" | grep -q host-secret && tail -n 1 "$log" | grep -q 'process.cwd /proc/self/fd/0 leads outside the container'; then
	pass "exec: a process.cwd that leads outside the container's root (its stdin a host directory) is refused"
else
	fail "exec: a process.cwd that leads outside the container's root (its stdin a host directory) is refused" "rc=$rc" "$out" "$(tail -n 1 "$log")"
fi
R delete --force x1
config x2 '["sh","-c","cat marker; pwd"]'
sed -i 's|"cwd":"/"|"cwd":"/proc/self/fd/7"|' "$base/bundle/config.json"
if ! R create --bundle "$base/bundle" --pid-file "$base/x2.pid" x2 7< "$base/hostdir" > "$base/x2.out" 2>&1 &&
   ! grep -q host-secret "$base/x2.out" && tail -n 1 "$log" | grep -q 'process.cwd /proc/self/fd/7: No such file' && [ ! -e "$state/x2" ]; then
	pass "create: a process.cwd of /proc/self/fd/N, N a host directory the engine left open, is refused by field"
else
	R start x2 >> "$base/x2.out" 2>&1
	sleep 0.5
	fail "create: a process.cwd of /proc/self/fd/N, N a host directory the engine left open, is refused by field" "$(cat "$base/x2.out")" "$(tail -n 1 "$log")"
fi

# A bind with "rbind","ro" is read-only all the way down: a mount under
# the host directory (here a tmpfs) is not writable from the container.
mkdir -p "$base/rb/sub"
mount -t tmpfs -o size=64k ocifix "$base/rb/sub"
config r1 '["sh","-c","touch /rb/sub/x 2>&1 || true; touch /rb/y 2>&1 || true"]'
sed -i "s|\"mounts\":\\[|\"mounts\":[{\"destination\":\"/rb\",\"type\":\"bind\",\"source\":\"$base/rb\",\"options\":[\"rbind\",\"ro\"]},|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/r1.pid" r1 > "$base/r1.out" 2>&1 && R start r1
pid=$(cat "$base/r1.pid" 2>/dev/null)
wait_gone "$pid"
if [ "$(grep -c 'Read-only file system' "$base/r1.out")" = 2 ] && [ ! -e "$base/rb/sub/x" ] && [ ! -e "$base/rb/y" ]; then
	pass "mounts: an rbind with ro is read-only in its submounts too"
else
	fail "mounts: an rbind with ro is read-only in its submounts too" "$(cat "$base/r1.out")" "$(ls "$base/rb/sub")"
fi
R delete r1
umount "$base/rb/sub"

# The container's init, blocked before start in the container's pid
# namespace, holds neither the --log file nor what the engine left open.
config w1 '["true"]'
R create --bundle "$base/bundle" --pid-file "$base/w1.pid" w1 7< "$base/hostdir"
pid=$(cat "$base/w1.pid" 2>/dev/null)
fds=$(ls -l /proc/$pid/fd 2>&1)
if [ -n "$pid" ] && ! echo "$fds" | grep -q -e "$log" -e "$base/hostdir" && [ "$(grep -c . /proc/$pid/status 2>/dev/null)" -gt 0 ]; then
	pass "create: the waiting container init holds neither the --log file nor the engine's other descriptors"
else
	fail "create: the waiting container init holds neither the --log file nor the engine's other descriptors" "$fds"
fi
R delete --force w1

# --pid-file's temporary file: a symlink planted in its place (FILE.tmp)
# is replaced, not followed; the file it points to is left as it was.
mkdir -p "$base/pf"
echo precious > "$base/pf/victim"
ln -s "$base/pf/victim" "$base/pf/c.pid.tmp"
ln -s "$base/pf/victim" "$base/pf/e.pid.tmp"
config f1 '["sleep","600"]'
R create --bundle "$base/bundle" --pid-file "$base/pf/c.pid" f1 && R start f1
process '["sleep","600"]'
R exec --process "$base/process.json" --detach --pid-file "$base/pf/e.pid" f1
if [ "$(cat "$base/pf/victim")" = precious ] && [ ! -L "$base/pf/c.pid" ] && [ ! -L "$base/pf/e.pid" ] &&
   kill -0 "$(cat "$base/pf/c.pid")" && kill -0 "$(cat "$base/pf/e.pid")" && [ ! -e "$base/pf/c.pid.tmp" ]; then
	pass "--pid-file (create and exec): a symlink planted at FILE.tmp is not followed"
else
	fail "--pid-file (create and exec): a symlink planted at FILE.tmp is not followed" "$(cat "$base/pf/victim")" "$(ls -l "$base/pf")"
fi
R delete --force f1

# Docker's "unlimited", 2^64-1, is RLIM_INFINITY; a mount's propagation
# ("rshared" here) is applied, among the container's own mounts.  The
# file-size limit, whose hard limit is unlimited already: raising a hard
# limit needs CAP_SYS_RESOURCE, which a test runner may not have (sudo
# also lowers the core limit's hard value to 0).
config l1 '["sh","-c","ulimit -f; grep \" /shared \" /proc/self/mountinfo"]'
sed -i -e 's|"rlimits":\[|"rlimits":[{"type":"RLIMIT_FSIZE","hard":18446744073709551615,"soft":18446744073709551615},|' \
	-e 's|"mounts":\[|"mounts":[{"destination":"/shared","type":"tmpfs","source":"tmpfs","options":["rshared","nosuid"]},|' "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/l1.pid" l1 > "$base/l1.out" 2>&1 && R start l1
pid=$(cat "$base/l1.pid" 2>/dev/null)
wait_gone "$pid"
if grep -qx unlimited "$base/l1.out" && grep -q " /shared .* shared:" "$base/l1.out"; then
	pass "rlimits: 2^64-1 is unlimited; mounts: rshared is applied"
else
	fail "rlimits: 2^64-1 is unlimited; mounts: rshared is applied" "$(cat "$base/l1.out")" "$(tail -n 1 "$log")"
fi
R delete l1

# 9. The runtime's binary is out of the container's reach (CVE-2019-5736):
# a process in the container that finds the runtime's container init or
# exec's process before they exec, or the runtime started again inside
# through an image program "#!/proc/self/exe", cannot write over the
# binary through /proc/PID/exe.  Run on a copy of the runtime, which the
# attack, if it works, destroys.
if command -v cc > /dev/null && cc -O2 -static -o "$base/evil" tests/oci/exe_overwrite.c 2>/dev/null; then
	mkdir -p "$base/rt" "$base/out"
	cp "$RUNTIME" "$base/rt/contained-oci"
	printf '#!/proc/self/exe\n' > "$base/hoci-sh"
	chmod 755 "$base/hoci-sh"
	RC() { "$base/rt/contained-oci" --root "$state" --log "$log" --log-format json "$@"; }
	config v1 '["sleep","600"]'
	sed -i "s|\"mounts\":\\[|\"mounts\":[{\"destination\":\"/evil\",\"type\":\"bind\",\"source\":\"$base/evil\",\"options\":[\"rbind\",\"ro\"]},\
{\"destination\":\"/hoci-sh\",\"type\":\"bind\",\"source\":\"$base/hoci-sh\",\"options\":[\"rbind\",\"ro\"]},\
{\"destination\":\"/out\",\"type\":\"bind\",\"source\":\"$base/out\",\"options\":[\"rbind\"]},|" "$base/bundle/config.json"
	sum=$(cksum < "$base/rt/contained-oci")
	RC create --bundle "$base/bundle" v1 && RC start v1
	root_process() {
		echo "{\"user\":{\"uid\":0,\"gid\":0},\"args\":$1,\"env\":[\"PATH=/bin:/usr/bin\"],\"cwd\":\"/\"}" > "$base/root.json"
	}
	root_process '["sh","-c","exec /evil > /out/evil.log"]'
	RC exec --process "$base/root.json" --detach v1
	root_process '["true"]'
	for i in $(seq 30); do RC exec --process "$base/root.json" v1 > /dev/null 2>&1; done
	if [ "$(cksum < "$base/rt/contained-oci")" = "$sum" ] && grep -q '^denied: ' "$base/out/evil.log" &&
	   ! grep -q OVERWROTE "$base/out/evil.log"; then
		pass "exec: a process in the container cannot open the runtime's /proc/PID/exe, let alone write the binary"
	else
		fail "exec: a process in the container cannot open the runtime's /proc/PID/exe, let alone write the binary" "$(tail -n 3 "$base/out/evil.log")"
	fi
	rm -f "$base/rt/contained-oci"
	cp "$RUNTIME" "$base/rt/contained-oci"
	root_process '["sh","-c","exec /evil > /out/evil2.log"]'
	RC exec --process "$base/root.json" --detach v1
	root_process '["/hoci-sh"]'
	for i in $(seq 50); do
		RC exec --process "$base/root.json" v1 > /dev/null 2>&1
		sleep 0.1
		grep -q '^refused: \|^OVERWROTE' "$base/out/evil2.log" 2>/dev/null && break
	done
	if [ "$(cksum < "$base/rt/contained-oci")" = "$sum" ] && grep -q '^refused: ' "$base/out/evil2.log" &&
	   ! grep -q OVERWROTE "$base/out/evil2.log"; then
		pass "exec of an image program \"#!/proc/self/exe\": the runtime it starts is a sealed copy, the binary stays unchanged"
	else
		fail "exec of an image program \"#!/proc/self/exe\": the runtime it starts is a sealed copy, the binary stays unchanged" "$(tail -n 3 "$base/out/evil2.log")"
	fi
	RC delete --force v1 > /dev/null 2>&1; R delete --force v1
else
	fail "a static C compiler (cc -static) builds tests/oci/exe_overwrite.c"
fi

# --root must be root's own: a symlink, or a directory others can write,
# is refused before anything is made or read there.
mkdir -p "$base/roots/real" "$base/roots/open"
chmod 0777 "$base/roots/open"
ln -sfn "$base/roots/real" "$base/roots/link"
config r1 '["true"]'
for r in link open; do
	# into a file: a container made anyway would hold a pipe open
	"$RUNTIME" --root "$base/roots/$r" create --bundle "$base/bundle" r1 > "$base/r1.out" 2>&1
	rc=$?
	out=$(cat "$base/r1.out")
	if [ $rc -ne 0 ] && echo "$out" | grep -q -- "--root $base/roots/$r: expected a directory owned by root" &&
	   [ -z "$(find "$base/roots/real" "$base/roots/open" -mindepth 1)" ] &&
	   ! "$RUNTIME" --root "$base/roots/$r" state r1 > /dev/null 2>&1; then
		pass "--root that is a $([ $r = link ] && echo symlink || echo "directory others can write") is refused; nothing is made there"
	else
		fail "--root that is a $([ $r = link ] && echo symlink || echo "directory others can write") is refused; nothing is made there" "$out" "$(find "$base/roots/real" "$base/roots/open" -mindepth 1)"
		chmod 0755 "$base/roots/open"
		"$RUNTIME" --root "$base/roots/real" delete --force r1 > /dev/null 2>&1
		"$RUNTIME" --root "$base/roots/open" delete --force r1 > /dev/null 2>&1
		chmod 0777 "$base/roots/open"
	fi
done
rm -rf "$base/roots"

# 10. A user namespace (linux.uidMappings and gidMappings, here with two
# gid ranges): the maps inside are the config's; root inside is host uid
# 100000 seen from the host; what it writes on a tmpfs, or through a bind
# of a host directory (under tests/build, which only root may enter),
# belongs to the mapped ids (the state directory and that host directory
# lie under a directory of mode 0600, which only CAP_DAC_READ_SEARCH
# passes: the container's root never walks those paths); the device nodes are the host's, bound, and
# mknod is refused; a hook outside sees the namespace through the pid in
# its state; exec joins the user namespace, as process.json's uid 1000,
# host uid 101000; delete leaves nothing.
ns_extra=',{"type":"user"},{"type":"cgroup"}'
maps=',"uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],"gidMappings":[{"containerID":0,"hostID":200000,"size":1000},{"containerID":1000,"hostID":300000,"size":100}]'
mkdir -p "$base/locked/shared"
chmod 1777 "$base/locked/shared"
chmod 0600 "$base/locked"
cat > "$base/nshook.sh" <<SH
#!/bin/sh
pid=\$(sed 's/.*"pid":\([0-9]*\).*/\1/')
echo "\$1" \$(cat /proc/\$pid/uid_map) >> "$base/nshooks.log"
SH
chmod 755 "$base/nshook.sh"
config u1 '["sh","-c","tr -s \" \" < /proc/self/uid_map; tr -s \" \" < /proc/self/gid_map; echo id:$(id -u):$(id -g); touch /tmp/t /shared/by-root; ls -ln /shared/by-root; mknod /tmp/sda b 8 0 || echo mknod-refused; echo x > /dev/null && echo null-writes; echo net:$(ls /sys/class/net); ulimit -n; echo ready; exec sleep 600"]' \
	",\"hooks\":{\"prestart\":[{\"path\":\"$base/nshook.sh\",\"args\":[\"nshook.sh\",\"prestart\"]}]}" \
	"$maps"
sysfs='{"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev"]}'
sed -i "s|\"mounts\":\[|\"mounts\":[$sysfs,{\"destination\":\"/shared\",\"type\":\"bind\",\"source\":\"$base/locked/shared\",\"options\":[\"rbind\",\"nosuid\",\"nodev\"]},|" "$base/bundle/config.json"
RU create --bundle "$base/bundle" --pid-file "$base/u1.pid" u1 > "$base/u1.out" 2>&1
rc=$?
pid=$(cat "$base/u1.pid" 2>/dev/null)
RU start u1 >> "$base/u1.out" 2>&1
for i in $(seq 100); do grep -q ready "$base/u1.out" && break; sleep 0.05; done
out=$(cat "$base/u1.out")
if [ $rc = 0 ] && echo "$out" | grep -qx " 0 100000 65536" && echo "$out" | grep -qx " 0 200000 1000" &&
   echo "$out" | grep -qx " 1000 300000 100" && echo "$out" | grep -qx "id:0:0"; then
	pass "user namespace: /proc/self/uid_map and gid_map inside are the config's (two gid ranges); id 0:0 inside"
else
	fail "user namespace: /proc/self/uid_map and gid_map inside are the config's (two gid ranges); id 0:0 inside" "rc=$rc" "$out" "$(tail -n 1 "$log")"
fi
grep -q "^Uid:	100000	100000	100000	100000\$" /proc/$pid/status && grep -q "^Gid:	200000	200000	200000	200000\$" /proc/$pid/status &&
	[ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/self/ns/user)" ] &&
	pass "user namespace: root inside is host uid 100000, gid 200000 (/proc/PID/status from the host)" ||
	fail "user namespace: root inside is host uid 100000, gid 200000 (/proc/PID/status from the host)" "$(grep -E '^(Uid|Gid)' /proc/$pid/status 2>&1)"
if [ "$(stat -c %u:%g /proc/$pid/root/tmp/t 2>&1)" = 100000:200000 ] && [ "$(stat -c %u:%g "$base/locked/shared/by-root" 2>&1)" = 100000:200000 ] &&
   echo "$out" | grep -q "^-rw-r--r-- *1 0 *0 .*/shared/by-root\$"; then
	pass "user namespace: files root inside writes on a tmpfs and through a bind are 0:0 inside, 100000:200000 on the host"
else
	fail "user namespace: files root inside writes on a tmpfs and through a bind are 0:0 inside, 100000:200000 on the host" "$(stat -c %u:%g /proc/$pid/root/tmp/t "$base/locked/shared/by-root" 2>&1)" "$out"
fi
echo "$out" | grep -qx mknod-refused && echo "$out" | grep -qx null-writes && echo "$out" | grep -qx net:lo && echo "$out" | grep -qx 512 &&
	pass "user namespace: mknod refused, /dev/null (the host's, bound) writes, sysfs of its own network namespace, rlimits applied" ||
	fail "user namespace: mknod refused, /dev/null (the host's, bound) writes, sysfs of its own network namespace, rlimits applied" "$out"
grep -qx "prestart 0 100000 65536" "$base/nshooks.log" 2>/dev/null &&
	pass "user namespace: a prestart hook reads the container's uid_map through the pid in its state" ||
	fail "user namespace: a prestart hook reads the container's uid_map through the pid in its state" "$(cat "$base/nshooks.log" 2>&1)"
process '["sh","-c","readlink /proc/self/ns/user; tr -s \" \" < /proc/self/uid_map; echo id:$(id -u):$(id -g); touch /shared/by-1000; exit 5"]'
eout=$(RU exec --process "$base/process.json" u1 2>&1)
rc=$?
if [ $rc = 5 ] && echo "$eout" | grep -qxF "$(readlink /proc/$pid/ns/user)" && echo "$eout" | grep -qx " 0 100000 65536" &&
   echo "$eout" | grep -qx "id:1000:1000" && [ "$(stat -c %u:%g "$base/locked/shared/by-1000" 2>&1)" = 101000:300000 ]; then
	pass "exec joins the user namespace: process.json's 1000:1000 inside writes files owned by 101000:300000 on the host"
else
	fail "exec joins the user namespace: process.json's 1000:1000 inside writes files owned by 101000:300000 on the host" "rc=$rc" "$eout" "$(tail -n 1 "$log")"
fi
process '["sleep","600"]'
RU exec --process "$base/process.json" --detach --pid-file "$base/u1e.pid" u1
epid=$(cat "$base/u1e.pid" 2>/dev/null)
grep -q "^Uid:	101000	101000	101000	101000\$" /proc/$epid/status 2>/dev/null && [ "$(readlink /proc/$epid/ns/user)" = "$(readlink /proc/$pid/ns/user)" ] &&
	pass "exec --detach: the process is host uid 101000, in the container's user namespace" ||
	fail "exec --detach: the process is host uid 101000, in the container's user namespace" "$(grep -E '^Uid' /proc/$epid/status 2>&1)"
had=$([ -d "$base/locked/state/u1" ] && kill -0 "$pid" && kill -0 "$epid" && echo yes)
RU delete --force u1
for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || kill -0 "$epid" 2>/dev/null || break; sleep 0.05; done
left=$([ "$had" = yes ] || echo "no running container to delete"; ls -d "$base/locked/state/u1" /sys/fs/cgroup/*$cg/u1 2>/dev/null; kill -0 "$pid" 2>/dev/null && echo "pid $pid"; kill -0 "$epid" 2>/dev/null && echo "pid $epid";
	grep -F "$ROOTFS" /proc/self/mountinfo)
[ -z "$left" ] && pass "user namespace: delete --force leaves no process, state, cgroup or mount" ||
	fail "user namespace: delete --force leaves no process, state, cgroup or mount" "$left"
# Without a network namespace of its own, a user namespace may not mount
# sysfs: the host's /sys is bound, read-only.
nonet=1
config u2 '["sh","-c","echo net:$(ls /sys/class/net); grep \" /sys \" /proc/self/mountinfo | cut -d\" \" -f6; tr -s \" \" < /proc/self/uid_map"]' '' "$maps"
sed -i "s|\"mounts\":\[|\"mounts\":[$sysfs,|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/u2.pid" u2 > "$base/u2.out" 2>&1 && R start u2 >> "$base/u2.out" 2>&1
pid=$(cat "$base/u2.pid" 2>/dev/null)
wait_gone "$pid"
out=$(cat "$base/u2.out")
echo "$out" | grep -qx "net:$(echo $(ls /sys/class/net))" && echo "$out" | grep -q "^ro," && echo "$out" | grep -qx " 0 100000 65536" &&
	pass "user namespace without a network namespace: the host's /sys, bound read-only" ||
	fail "user namespace without a network namespace: the host's /sys, bound read-only" "$out" "$(tail -n 1 "$log")"
R delete --force u2
unset ns_extra nonet

# 11. linux.namespaces[].path: a container joins another's namespaces, as
# a Kubernetes pod's containers join its sandbox's.  j2 joins j1's
# network, ipc, uts and pid namespaces: the same namespaces seen from
# the host, the message queue j1 made in its ipc namespace, j1's sleep
# among its processes, and the hostname it sets is j1's too.  A path
# that is not a namespace file, one of another type, and the host's own
# uts namespace with a hostname to set are refused by field, nothing left.
mq='{"destination":"/dev/mqueue","type":"mqueue","source":"mqueue","options":["nosuid","noexec","nodev"]}'
config j1 '["sh","-c","touch /dev/mqueue/from-j1 && echo ready; exec sleep 600"]'
sed -i "s|\"mode=1777\"\]}\]|\"mode=1777\"]},$mq]|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/j1.pid" j1 > "$base/j1.out" 2>&1 && R start j1 >> "$base/j1.out" 2>&1
p1=$(cat "$base/j1.pid" 2>/dev/null)
for i in $(seq 100); do grep -q ready "$base/j1.out" && break; sleep 0.05; done
joins=",{\"type\":\"network\",\"path\":\"/proc/$p1/ns/net\"},{\"type\":\"ipc\",\"path\":\"/proc/$p1/ns/ipc\"},{\"type\":\"uts\",\"path\":\"/proc/$p1/ns/uts\"},{\"type\":\"pid\",\"path\":\"/proc/$p1/ns/pid\"}"
config j2 '["sh","-c","for n in net ipc uts; do readlink /proc/self/ns/$n; done; echo mq:$(ls /dev/mqueue); ps -o args | grep -x \"sleep 600\"; echo pid-not-1:$(test $$ != 1 && echo yes)"]'
sed -i "s|\"mode=1777\"\]}\]|\"mode=1777\"]},$mq]|; s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"}$joins],|; s|\"hostname\":\"ocihost\"|\"hostname\":\"joiner\"|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/j2.pid" j2 > "$base/j2.out" 2>&1 && R start j2 >> "$base/j2.out" 2>&1
rc=$?
p2=$(cat "$base/j2.pid" 2>/dev/null)
wait_gone "$p2"
out=$(cat "$base/j2.out")
if [ $rc = 0 ] && [ "$(echo "$out" | head -n 3)" = "$(for n in net ipc uts; do readlink /proc/$p1/ns/$n; done)" ] &&
   [ "$(readlink /proc/$p1/ns/net)" != "$(readlink /proc/self/ns/net)" ] && echo "$out" | grep -qx "mq:from-j1" &&
   echo "$out" | grep -qx "sleep 600" && echo "$out" | grep -qx "pid-not-1:yes"; then
	pass "namespaces by path: j2 is in j1's network, ipc, uts and pid namespaces, sees j1's message queue and its sleep"
else
	fail "namespaces by path: j2 is in j1's network, ipc, uts and pid namespaces, sees j1's message queue and its sleep" "rc=$rc" "$out" "$(for n in net ipc uts; do readlink /proc/$p1/ns/$n; done)" "$(tail -n 1 "$log")"
fi
process '["hostname"]'
[ "$(R exec --process "$base/process.json" j1 2>&1)" = joiner ] && [ "$(hostname)" != joiner ] &&
	pass "namespaces by path: the hostname j2 set is j1's (one uts namespace), not the host's" ||
	fail "namespaces by path: the hostname j2 set is j1's (one uts namespace), not the host's" "$(R exec --process "$base/process.json" j1 2>&1)"
R delete j2
# failed_join ID WHAT NAMESPACES-JSON PATTERN
failed_join() {
	config $1 '["true"]'
	sed -i "s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"}$3],|" "$base/bundle/config.json"
	failed_create $1 "$2" "$4"
}
failed_join j3 "namespaces by path: a file that is not a namespace file is refused by field; nothing is left" \
	',{"type":"uts","path":"/etc/passwd"}' 'linux.namespaces\[1\] uts: path /etc/passwd is not a namespace file'
failed_join j3 "namespaces by path: a namespace of another type than the field says is refused; nothing is left" \
	",{\"type\":\"uts\"},{\"type\":\"ipc\",\"path\":\"/proc/$p1/ns/net\"}" "linux.namespaces\[2\] ipc: path /proc/$p1/ns/net is a namespace of another type"
failed_join j3 "namespaces by path: the host's own uts namespace, where the config sets a hostname, is refused; nothing is left" \
	',{"type":"uts","path":"/proc/self/ns/uts"}' "linux.namespaces\[1\] uts: path /proc/self/ns/uts is the host's own uts namespace, which the config's hostname would change"
# j6 has a user namespace of its own but j1's network namespace, which
# that user namespace does not own: create joins it as the host's root,
# and so does exec, before it enters j6's user namespace.
ns_extra=',{"type":"user"}'
config j6 '["sleep","600"]' '' "$maps"
unset ns_extra
sed -i "s|{\"type\":\"network\"}|{\"type\":\"network\",\"path\":\"/proc/$p1/ns/net\"}|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/j6.pid" j6 && R start j6
process '["sh","-c","readlink /proc/self/ns/net; tr -s \" \" < /proc/self/uid_map; id -u"]'
out=$(R exec --process "$base/process.json" j6 2>&1)
rc=$?
[ $rc = 0 ] && [ "$out" = "$(readlink /proc/$p1/ns/net)
 0 100000 65536
1000" ] && pass "namespaces by path: exec into a container with a user namespace of its own and another's network namespace joins both" ||
	fail "namespaces by path: exec into a container with a user namespace of its own and another's network namespace joins both" "rc=$rc" "$out" "$(tail -n 1 "$log")"
R delete --force j6
R delete --force j1
# A user namespace joined by path, first: j5 joins the user, network and
# ipc namespaces of j4, which has a user namespace with maps of its own.
ns_extra=',{"type":"user"}'
config j4 '["sleep","600"]' '' "$maps"
unset ns_extra
R create --bundle "$base/bundle" --pid-file "$base/j4.pid" j4 && R start j4
p4=$(cat "$base/j4.pid" 2>/dev/null)
config j5 '["sh","-c","readlink /proc/self/ns/user; readlink /proc/self/ns/net; cat /proc/self/uid_map | tr -s \" \"; id -u; touch /tmp/mine; stat -c %u /tmp/mine"]'
sed -i "s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"},{\"type\":\"uts\"},{\"type\":\"user\",\"path\":\"/proc/$p4/ns/user\"},{\"type\":\"network\",\"path\":\"/proc/$p4/ns/net\"},{\"type\":\"ipc\",\"path\":\"/proc/$p4/ns/ipc\"}],|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/j5.pid" j5 > "$base/j5.out" 2>&1
rc=$?
p5=$(cat "$base/j5.pid" 2>/dev/null)
uid5=$(grep '^Uid:' /proc/$p5/status 2>/dev/null | cut -f2)
R start j5 >> "$base/j5.out" 2>&1
wait_gone "$p5"
out=$(cat "$base/j5.out")
if [ $rc = 0 ] && [ "$(echo "$out" | head -n 2)" = "$(readlink /proc/$p4/ns/user; readlink /proc/$p4/ns/net)" ] && [ "$uid5" = 100000 ] &&
   echo "$out" | grep -qx " 0 100000 65536" && [ "$(echo "$out" | tail -n 2 | tr '\n' ' ')" = "0 0 " ]; then
	pass "namespaces by path: j5 joins j4's user namespace first, then its network and ipc ones; its root is host uid 100000"
else
	fail "namespaces by path: j5 joins j4's user namespace first, then its network and ipc ones; its root is host uid 100000" "rc=$rc uid=$uid5" "$out" "$(tail -n 1 "$log")"
fi
R delete j5
# process.user checked against the joined user namespace's maps, by
# field, at create: uid 70000 is not mapped by j4's uid_map (0:100000:65536).
config j8 '["true"]'
sed -i "s|\"user\":{\"uid\":0,|\"user\":{\"uid\":70000,|; s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"uts\"},{\"type\":\"user\",\"path\":\"/proc/$p4/ns/user\"}],|" "$base/bundle/config.json"
failed_create j8 "namespaces by path: process.user.uid not mapped in the joined user namespace is refused at create, by field; nothing is left" \
	"config.json: process.user.uid 70000 is not mapped by the uid_map of the joined user namespace (linux.namespaces\[2\] user, path /proc/$p4/ns/user)"
R delete --force j4

# 11b. The namespace owner cannot take over a create that joins its
# namespaces.  ps1 has a user and a pid namespace and CAP_SYS_PTRACE in
# them; its init is a static program that tries PTRACE_SEIZE, and opening
# /proc/PID/root, on every new pid in its pid namespace.  ps2 joins ps1's
# user and pid namespaces (a pod's pattern), so its process appears there
# while create, still the host's root, sets it up.  Each time it gets in,
# the seizer makes that process open (create) a file in a directory only
# the host's root may write.  Every attempt must be refused, and the file
# must never appear; six creates, each a new pid to try.
cat > "$base/seizer.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
/* the seized process opens PATH (O_CREAT), with its credentials; x86-64 */
static void make_it_open(pid_t p, const char *path)
{
#ifdef __x86_64__
	struct user_regs_struct saved, r;
	int status;
	if (ptrace(PTRACE_INTERRUPT, p, 0, 0) < 0 || waitpid(p, &status, __WALL) < 0 ||
	    ptrace(PTRACE_GETREGS, p, 0, &saved) < 0)
		return;
	r = saved;
	long insn = ptrace(PTRACE_PEEKTEXT, p, (void *)(r.rip - 2), 0);
	if ((insn & 0xffff) != 0x050f)         /* "syscall" just before */
		return;
	unsigned long at = (r.rsp - 4096) & ~7UL;
	char buf[256] = { 0 };
	strncpy(buf, path, sizeof buf - 1);
	for (size_t i = 0; i < sizeof buf; i += 8)
		ptrace(PTRACE_POKEDATA, p, (void *)(at + i), *(long *)(buf + i));
	r.rip -= 2;
	r.orig_rax = -1;
	r.rax = SYS_openat;
	r.rdi = (unsigned long)-100;           /* AT_FDCWD */
	r.rsi = at;
	r.rdx = O_CREAT | O_WRONLY;
	r.r10 = 0644;
	ptrace(PTRACE_SETREGS, p, 0, &r);
	ptrace(PTRACE_SINGLESTEP, p, 0, 0);
	waitpid(p, &status, __WALL);
	ptrace(PTRACE_SETREGS, p, 0, &saved);
#endif
	(void)p, (void)path;
}
int main(int argc, char **argv)
{
	FILE *log = fopen(argv[1], "a");
	setvbuf(log, NULL, _IOLBF, 0);
	fprintf(log, "ready\n");
	for (pid_t next = getpid() + 1;;)
		for (pid_t p = next; p < next + 16; p++) {
			int seized = ptrace(PTRACE_SEIZE, p, 0, 0) == 0, e = errno;
			if (!seized && e == ESRCH)
				continue;
			char root[64];
			snprintf(root, sizeof root, "/proc/%d/root/", p);
			int fd = open(root, O_PATH | O_DIRECTORY);
			fprintf(log, "%d %s root-%s\n", p, seized ? "SEIZED" : strerror(e),
				fd >= 0 ? "OPENED" : "refused");
			if (seized) {
				make_it_open(p, argv[2]);
				ptrace(PTRACE_DETACH, p, 0, 0);
			}
			next = p + 1;
			break;
		}
}
C
mkdir -p "$base/pwn"
chmod 0700 "$base/pwn"
if gcc -static -O2 -o "$base/seizer" "$base/seizer.c" 2> "$base/seizer.err"; then
	ns_extra=',{"type":"user"}'
	config ps1 "[\"/tmp/seizer\",\"/tmp/seize.log\",\"$base/pwn/PWNED\"]" '' "$maps"
	unset ns_extra
	sed -i "s|\"CAP_KILL\"\]|\"CAP_KILL\",\"CAP_SYS_PTRACE\"]|g; s|\"mode=1777\"\]}\]|\"mode=1777\"]},{\"destination\":\"/tmp/seizer\",\"type\":\"bind\",\"source\":\"$base/seizer\",\"options\":[\"bind\",\"ro\"]}]|" "$base/bundle/config.json"
	R create --bundle "$base/bundle" --pid-file "$base/ps1.pid" ps1 && R start ps1
	p1=$(cat "$base/ps1.pid" 2>/dev/null)
	for i in $(seq 100); do grep -qs ready /proc/$p1/root/tmp/seize.log && break; sleep 0.05; done
	config ps2 '["true"]'
	sed -i "s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\",\"path\":\"/proc/$p1/ns/user\"},{\"type\":\"pid\",\"path\":\"/proc/$p1/ns/pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}],|" "$base/bundle/config.json"
	made=0
	for i in 1 2 3 4 5 6; do
		R create --bundle "$base/bundle" ps2 > /dev/null 2>&1 && made=$((made + 1))
		sleep 0.1
		R delete --force ps2
	done
	slog=$(cat /proc/$p1/root/tmp/seize.log 2>&1)
	tried=$(echo "$slog" | grep -c "^[0-9]")
	refused=$(echo "$slog" | grep -c "^[0-9]* Operation not permitted root-refused\$")
	if [ $made = 6 ] && [ "$tried" -ge 6 ] && [ "$refused" = "$tried" ] && [ ! -e "$base/pwn/PWNED" ]; then
		pass "joined user and pid namespaces: their owner (CAP_SYS_PTRACE) cannot seize or open /proc/PID/root of create's process, in $tried tries; it never writes as the host's root"
	else
		fail "joined user and pid namespaces: their owner (CAP_SYS_PTRACE) cannot seize or open /proc/PID/root of create's process" \
			"made=$made tried=$tried refused=$refused" "$slog" "$(ls -ln "$base/pwn" 2>&1)" "$(tail -n 1 "$log")"
	fi
	R delete --force ps1
	# The same seizer in a container without a user namespace: its
	# CAP_SYS_PTRACE is the host's, which non-dumpability does not stop.
	# A create joining its pid namespace is refused, by field, before
	# any process of it exists there.
	config ps3 "[\"/tmp/seizer\",\"/tmp/seize.log\",\"$base/pwn/PWNED\"]"
	sed -i "s|\"CAP_KILL\"\]|\"CAP_KILL\",\"CAP_SYS_PTRACE\"]|g; s|\"mode=1777\"\]}\]|\"mode=1777\"]},{\"destination\":\"/tmp/seizer\",\"type\":\"bind\",\"source\":\"$base/seizer\",\"options\":[\"bind\",\"ro\"]}]|" "$base/bundle/config.json"
	R create --bundle "$base/bundle" --pid-file "$base/ps3.pid" ps3 && R start ps3
	p3=$(cat "$base/ps3.pid" 2>/dev/null)
	for i in $(seq 100); do grep -qs ready /proc/$p3/root/tmp/seize.log && break; sleep 0.05; done
	config ps4 '["true"]'
	sed -i "s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\",\"path\":\"/proc/$p3/ns/pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}],|" "$base/bundle/config.json"
	made=0
	for i in 1 2 3; do
		R create --bundle "$base/bundle" ps4 > /dev/null 2>&1 && made=$((made + 1))
		sleep 0.1
		R delete --force ps4
	done
	slog=$(cat /proc/$p3/root/tmp/seize.log 2>&1)
	if [ $made = 0 ] && tail -n 1 "$log" | grep -q "linux.namespaces\[1\] pid: path /proc/$p3/ns/pid: process $p3, which sees into it, may use CAP_SYS_PTRACE as the host's" &&
	   [ "$(echo "$slog" | grep -c "^[0-9]")" = 0 ] && [ ! -e "$base/pwn/PWNED" ] && [ ! -e "$state/ps4" ]; then
		pass "a pid namespace whose processes hold the host's CAP_SYS_PTRACE (a container without a user namespace) is not joined: refused by field, nothing of create's ever in it"
	else
		fail "a pid namespace whose processes hold the host's CAP_SYS_PTRACE (a container without a user namespace) is not joined: refused by field, nothing of create's ever in it" \
			"made=$made" "$slog" "$(ls -ln "$base/pwn" 2>&1)" "$(tail -n 1 "$log")"
	fi
	R delete --force ps3
else
	fail "joined user and pid namespaces: the seizer builds (gcc -static)" "$(cat "$base/seizer.err")"
fi
# Two ways around a look at the joined namespace's processes alone: a
# second thread that keeps CAP_SYS_PTRACE while the first drops it (the
# bounding set is each thread's), and a pid namespace nested in one of a
# container without a user namespace (its processes see into it).
cat > "$base/holder.c" <<'C'
#define _GNU_SOURCE
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
static void *idle(void *arg)
{
	for (;;)
		pause();
	return arg;
}
int main(int argc, char **argv)
{
	pthread_t t;
	if (argc > 1 && !strcmp(argv[1], "thread")) {
		/* a second thread keeps it; this one drops it */
		pthread_create(&t, NULL, idle, NULL);
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0) < 0)
			perror("PR_CAPBSET_DROP");
	} else if (fork() > 0) {
		/* a keeper stays (this process, in the container's namespaces);
		 * its child moves into new user and pid namespaces, and forks
		 * the namespace's first process */
	} else if (unshare(CLONE_NEWUSER | CLONE_NEWPID) < 0) {
		perror("unshare");
	} else if (fork() < 0) {
		perror("fork");
	}
	for (;;)
		pause();
}
C
if gcc -static -O2 -pthread -o "$base/holder" "$base/holder.c" 2> "$base/holder.err"; then
	for way in thread nested; do
		config ph1 "[\"/tmp/holder\",\"$way\"]"
		sed -i "s|\"CAP_KILL\"\]|\"CAP_KILL\",\"CAP_SYS_PTRACE\",\"CAP_SETPCAP\"]|g; s|\"mode=1777\"\]}\]|\"mode=1777\"]},{\"destination\":\"/tmp/holder\",\"type\":\"bind\",\"source\":\"$base/holder\",\"options\":[\"bind\",\"ro\"]}]|" "$base/bundle/config.json"
		R create --bundle "$base/bundle" --pid-file "$base/ph1.pid" ph1 && R start ph1
		h=$(cat "$base/ph1.pid" 2>/dev/null)
		target=
		for i in $(seq 100); do
			if [ $way = thread ]; then
				[ "$(ls /proc/$h/task 2>/dev/null | wc -l)" = 2 ] &&
					! grep -q "^CapBnd:.*[4567cdef]....$" /proc/$h/status && target=$h && break
			else
				for c in $(cat /proc/$h/task/$h/children 2>/dev/null); do
					for g in $(cat /proc/$c/task/$c/children 2>/dev/null); do
						[ "$(readlink /proc/$g/ns/pid)" != "$(readlink /proc/$h/ns/pid)" ] && target=$g
					done
				done
				[ -n "$target" ] && break
			fi
			sleep 0.05
		done
		config ph2 '["true"]'
		sed -i "s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\",\"path\":\"/proc/$target/ns/pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}],|" "$base/bundle/config.json"
		R create --bundle "$base/bundle" ph2 > /dev/null 2>&1
		rc=$?
		msg=$(tail -n 1 "$log")
		R delete --force ph2
		if [ -n "$target" ] && [ $rc != 0 ] && echo "$msg" | grep -q "process $h, which sees into it, may use CAP_SYS_PTRACE as the host's" &&
		   [ ! -e "$state/ph2" ]; then
			pass "a pid namespace is not joined when CAP_SYS_PTRACE as the host's could reach it ($way: $([ $way = thread ] && echo 'kept by a second thread' || echo 'held in the namespace above a nested one'))"
		else
			fail "a pid namespace is not joined when CAP_SYS_PTRACE as the host's could reach it ($way)" "target=$target rc=$rc" "$msg" "$(grep CapBnd /proc/$h/task/*/status 2>&1)"
		fi
		R delete --force ph1
	done
else
	fail "pid namespace joins: the test's holder builds (gcc -static)" "$(cat "$base/holder.err")"
fi

# 11b2. A container whose root stops every new process in its pid
# namespace (SIGSTOP: the joiner's process is its root's uid there) must
# not leave a create that joins it waiting for ever: create sees the
# stopped process, fails naming it, and leaves nothing.
ns_extra=',{"type":"user"}'
config st1 '["sh","-c","while :; do for p in /proc/[0-9]*; do p=${p#/proc/}; [ $p = 1 ] || kill -STOP $p 2>/dev/null; done; done"]' '' "$maps"
unset ns_extra
R create --bundle "$base/bundle" --pid-file "$base/st1.pid" st1 && R start st1
s1=$(cat "$base/st1.pid" 2>/dev/null)
config st2 '["true"]'
sed -i "s|\"namespaces\":\[.*\],|\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\",\"path\":\"/proc/$s1/ns/user\"},{\"type\":\"pid\",\"path\":\"/proc/$s1/ns/pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}],|" "$base/bundle/config.json"
timeout 30 "$RUNTIME" --root "$state" --log "$log" --log-format json create --bundle "$base/bundle" st2 > /dev/null 2>&1
rc=$?
msg=$(tail -n 1 "$log")
left=$(ls -d /sys/fs/cgroup/*$cg/st2 "$state/st2" 2>/dev/null)
if [ $rc != 0 ] && [ $rc != 124 ] && echo "$msg" | grep -q "was stopped (by a signal from a process of a namespace it joins?) while create set it up" &&
   [ -z "$left" ]; then
	pass "a create whose process another container stops (SIGSTOP in the pid namespace it joins) fails, naming it, and leaves nothing"
else
	fail "a create whose process another container stops (SIGSTOP in the pid namespace it joins) fails, naming it, and leaves nothing" "rc=$rc" "$msg" "$left"
	R delete --force st2
fi
R delete --force st1

# 11c. Cgroups a container makes under its own (on v2 its root owns the
# delegated directory; here, on v1, the test makes them as the host's
# root to stand in): ps and kill --all reach a process moved into one,
# delete removes them deepest first, and fails, saying so, while one is
# left (here nested deeper than the 256 levels delete walks); the state
# stays for another delete --force, which then leaves nothing.
alive() { [ -n "$1" ] && [ -e /proc/$1 ] && ! grep -q '^State:.Z' /proc/$1/status; }
config n1 '["sh","-c","sleep 600 & exec sleep 600"]'
R create --bundle "$base/bundle" --pid-file "$base/n1.pid" n1 && R start n1
pid=$(cat "$base/n1.pid" 2>/dev/null)
for i in $(seq 100); do bg=$(cat /proc/$pid/task/$pid/children 2>/dev/null | tr -d ' '); [ -n "$bg" ] && grep -q sleep /proc/$pid/cmdline && break; sleep 0.05; done
for c in memory cpu pids devices freezer; do
	[ -d /sys/fs/cgroup/$c$cg/n1 ] && mkdir -p /sys/fs/cgroup/$c$cg/n1/sub/deeper && echo "$bg" > /sys/fs/cgroup/$c$cg/n1/sub/deeper/cgroup.procs
done
ps=$(R ps --format json n1 2>&1)
R kill --all n1 TERM
for i in $(seq 100); do alive "$bg" || break; sleep 0.05; done
if [ -n "$bg" ] && echo "$ps" | grep -q "\b$bg\b" && echo "$ps" | grep -q "\b$pid\b" && ! alive "$bg" && alive "$pid"; then
	pass "cgroups under the container's: ps lists a process moved into one; kill --all signals it (TERM, which the init ignores)"
else
	fail "cgroups under the container's: ps lists a process moved into one; kill --all signals it (TERM, which the init ignores)" "pid=$pid bg=$bg" "$ps"
fi
R delete --force n1 > "$base/n1.out" 2>&1
rc=$?
left=$(ls -d /sys/fs/cgroup/*$cg/n1 "$state/n1" 2>/dev/null)
[ $rc = 0 ] && [ -z "$left" ] && [ ! -s "$base/n1.out" ] && pass "cgroups under the container's: delete --force removes them, deepest first; nothing is left" ||
	fail "cgroups under the container's: delete --force removes them, deepest first; nothing is left" "rc=$rc" "$left" "$(cat "$base/n1.out")"
config n2 '["sleep","600"]'
R create --bundle "$base/bundle" n2 && R start n2
deep=/sys/fs/cgroup/pids$cg/n2/$(seq -s / 258 | sed 's/[0-9]*/d/g')
mkdir -p "$deep"
R delete --force n2 > "$base/n2.out" 2>&1
rc=$?
msg=$(tail -n 1 "$log")
find /sys/fs/cgroup/pids$cg/n2 -mindepth 1 -depth -type d -exec rmdir {} +
R delete --force n2
rc2=$?
left=$(ls -d /sys/fs/cgroup/*$cg/n2 "$state/n2" 2>/dev/null)
if [ $rc != 0 ] && echo "$msg" | grep -qF "\"level\":\"error\",\"msg\":\"delete n2: could not remove the cgroup /sys/fs/cgroup/pids$cg/n2 (or a cgroup the container made under it)" &&
   [ $rc2 = 0 ] && [ -z "$left" ]; then
	pass "cgroups under the container's: delete fails, naming the cgroup, while one is left; the state stays, and delete --force then leaves nothing"
else
	fail "cgroups under the container's: delete fails, naming the cgroup, while one is left; the state stays, and delete --force then leaves nothing" "rc=$rc rc2=$rc2" "$msg" "$left"
fi

# Long names nested, as the container may choose them on v2: a path to
# the deepest one is longer than PATH_MAX, so delete walks the tree by
# descriptors, not by path.
config n3 '["sleep","600"]'
R create --bundle "$base/bundle" n3 && R start n3
long=$(printf 'x%.0s' $(seq 250))
# (17 levels: the shell cannot cd where the 17th is, past PATH_MAX)
(cd /sys/fs/cgroup/pids$cg/n3 && for i in $(seq 16); do mkdir "$long" && cd "$long" || exit 1; done && mkdir "$long")
made=$?
R delete --force n3 > "$base/n3.out" 2>&1
rc=$?
left=$(ls -d /sys/fs/cgroup/*$cg/n3 "$state/n3" 2>/dev/null)
if [ $made = 0 ] && [ $rc = 0 ] && [ -z "$left" ]; then
	pass "cgroups under the container's: 17 nested with 250-character names (a path past PATH_MAX) go with delete --force; nothing is left"
else
	fail "cgroups under the container's: 17 nested with 250-character names (a path past PATH_MAX) go with delete --force; nothing is left" \
		"made=$made rc=$rc" "$left" "$(cat "$base/n3.out")"
	find /sys/fs/cgroup/pids$cg/n3 -mindepth 1 -depth -type d -execdir rmdir {} + 2>/dev/null
	R delete --force n3
fi

# A parent cgroup create made (pa made $cg/pp for $cg/pp/pa) and another
# container still lives under when its maker is deleted: the last
# delete removes it, and the list that kept it for that goes too.
config pp/pa '["sleep","600"]'
R create --bundle "$base/bundle" pa && R start pa
config pp/pb '["sleep","600"]'
R create --bundle "$base/bundle" pb && R start pb
R delete --force pa
kept=$(ls -d /sys/fs/cgroup/pids$cg/pp 2>/dev/null)
R delete --force pb
left=$(ls -d /sys/fs/cgroup/*$cg/pp "$state/pa" "$state/pb" "$state/cgroup-parents" 2>/dev/null)
if [ -n "$kept" ] && [ -z "$left" ]; then
	pass "a parent cgroup create made stays while another container lives under it, and goes with the last delete; nothing is left"
else
	fail "a parent cgroup create made stays while another container lives under it, and goes with the last delete; nothing is left" "kept=$kept" "$left"
fi

# 11d. exec joins a user namespace only if the config has one, and only
# the one create made or joined: process 1 makes one of its own here
# (unshare -U), in a container without one (exec runs as it would
# without, as the host's root joining the rest), and in a container with
# one (exec refuses, saying why, rather than join a namespace whose root
# it cannot become).
cat > "$base/mkuserns.c" <<'C'
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>
int main(void)
{
	if (unshare(CLONE_NEWUSER) < 0)
		return 1;
	pause();
	return 0;
}
C
if gcc -static -O2 -o "$base/mkuserns" "$base/mkuserns.c" 2> "$base/mkuserns.err"; then
	for id in y3 y4; do
		[ $id = y4 ] && ns_extra=',{"type":"user"}'
		config $id '["/tmp/mkuserns"]' '' "$([ $id = y4 ] && echo "$maps")"
		unset ns_extra
		sed -i "s|\"mode=1777\"\]}\]|\"mode=1777\"]},{\"destination\":\"/tmp/mkuserns\",\"type\":\"bind\",\"source\":\"$base/mkuserns\",\"options\":[\"bind\",\"ro\"]}]|" "$base/bundle/config.json"
		R create --bundle "$base/bundle" --pid-file "$base/$id.pid" $id
		pid=$(cat "$base/$id.pid" 2>/dev/null)
		created=$(readlink /proc/$pid/ns/user)
		R start $id
		for i in $(seq 100); do [ "$(readlink /proc/$pid/ns/user)" != "$created" ] && break; sleep 0.05; done
	done
	process '["sh","-c","id -u; readlink /proc/self/ns/user"]'
	out=$(R exec --process "$base/process.json" y3 2>&1)
	rc=$?
	[ $rc = 0 ] && [ "$out" = "1000
$(readlink /proc/self/ns/user)" ] && pass "exec into a container without a user namespace whose process 1 made one: runs as without one" ||
		fail "exec into a container without a user namespace whose process 1 made one: runs as without one" "rc=$rc" "$out"
	out=$(R exec --process "$base/process.json" y4 2>&1)
	rc=$?
	[ $rc != 0 ] && echo "$out" | grep -qF 'exec in container "y4": its process 1 is no longer in the user namespace create put it in' &&
		pass "exec into a container whose process 1 left its user namespace for one of its own: refused, saying why" ||
		fail "exec into a container whose process 1 left its user namespace for one of its own: refused, saying why" "rc=$rc" "$out"
	R delete --force y4
	R delete --force y3        # last: its create made $cg, which its delete removes
else
	fail "exec and user namespaces: the test's unshare builds (gcc -static)" "$(cat "$base/mkuserns.err")"
fi

# 12. Mount destinations through the image's symlinks, resolved inside
# its root: /var/run -> ../run, so a bind to /var/run/x.sock lands in the
# /run tmpfs mounted before it; a hostile /evil -> /../../etc takes a bind
# to /evil/evil-marker to the rootfs's own /etc, never the host's.
cp -a "$ROOTFS" "$base/symroot"
rm -rf "$base/symroot/var/run"
ln -s ../run "$base/symroot/var/run"
rm -rf "$base/symroot/evil"
ln -s /../../etc "$base/symroot/evil"
echo from-the-host > "$base/x.sock"
echo marker > "$base/evil-marker"
config q2 '["sh","-c","cat /run/x.sock /var/run/x.sock /etc/evil-marker"]'
sed -i "s|\"path\":\"$ROOTFS\"|\"path\":\"$base/symroot\"|; s|\"mode=1777\"\]}\]|\"mode=1777\"]},{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"nodev\"]},{\"destination\":\"/var/run/x.sock\",\"type\":\"bind\",\"source\":\"$base/x.sock\",\"options\":[\"bind\",\"ro\"]},{\"destination\":\"/evil/evil-marker\",\"type\":\"bind\",\"source\":\"$base/evil-marker\",\"options\":[\"bind\",\"ro\"]}]|" "$base/bundle/config.json"
R create --bundle "$base/bundle" --pid-file "$base/q2.pid" q2 > "$base/q2.out" 2>&1 && R start q2 >> "$base/q2.out" 2>&1
rc=$?
pid=$(cat "$base/q2.pid" 2>/dev/null)
wait_gone "$pid"
out=$(cat "$base/q2.out")
if [ $rc = 0 ] && [ "$out" = "from-the-host
from-the-host
marker" ] && [ ! -e /etc/evil-marker ] && [ -f "$base/symroot/etc/evil-marker" ] && [ ! -e "$base/symroot/var/x.sock" ]; then
	pass "mount destinations through the image's symlinks: /var/run -> ../run lands in /run; /evil -> /../../etc in the rootfs's /etc, not the host's"
else
	fail "mount destinations through the image's symlinks: /var/run -> ../run lands in /run; /evil -> /../../etc in the rootfs's /etc, not the host's" "rc=$rc" "$out" "$(tail -n 1 "$log")" "$(ls -la /etc/evil-marker 2>&1)"
fi
R delete q2
left=$(grep -F "$base/symroot" /proc/self/mountinfo)
[ -z "$left" ] && [ -n "$pid" ] && pass "mount destinations through symlinks: nothing is left mounted" || fail "mount destinations through symlinks: nothing is left mounted" "$left"
rm -rf "$base/symroot"

# A mount point that cannot be made (under a read-only tmpfs) is named
# by its field in the error, mounts[5].destination.
config m6 '["true"]'
sed -i "s|\"mode=1777\"\]}\]|\"mode=1777\"]},{\"destination\":\"/ro\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"ro\"]},{\"destination\":\"/ro/x\",\"type\":\"bind\",\"source\":\"$base/x.sock\",\"options\":[\"bind\"]}]|" "$base/bundle/config.json"
echo x > "$base/x.sock"
failed_create m6 "a mount point that cannot be made is named by field (mounts[5].destination); nothing is left" \
	'creating /ro/x in the container for mounts\[5\].destination /ro/x: Read-only file system'

# 12. update --resources - ID, as `docker update` calls it: the
# LinuxResources JSON on stdin, applied to the container's cgroup with
# create's translation; zeros leave a limit as it is; a field it does not
# know is refused by name, and nothing of that update is applied.
config up1 '["sleep","60"]'
R create --bundle "$base/bundle" --pid-file "$base/up1.pid" up1 > /dev/null 2>&1
knobs() {
	for k in memory/memory.limit_in_bytes cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us pids/pids.max; do
		printf '%s ' "$(cat /sys/fs/cgroup/${k%%/*}$cg/up1/${k#*/} 2>&1)"
	done
}
before=$(knobs)
echo '{"memory":{"limit":134217728,"reservation":0,"swap":0,"kernel":0},"cpu":{"shares":512,"quota":20000,"period":50000,"realtimeRuntime":0,"realtimePeriod":0,"cpus":"","mems":""},"blockIO":{"weight":0},"pids":{"limit":30}}' |
	R update --resources - up1 > "$base/up1.out" 2>&1
rc=$?
after=$(knobs)
if [ $rc = 0 ] && [ "$after" = "134217728 512 20000 50000 30 " ] && [ "$before" = "67108864 1024 -1 100000 20 " ]; then
	pass "update --resources -: Docker's LinuxResources on stdin sets memory, cpu shares/quota/period and pids in the container's cgroup"
else
	fail "update --resources -: Docker's LinuxResources on stdin sets memory, cpu shares/quota/period and pids in the container's cgroup" "rc=$rc" "before: $before" "after: $after" "$(cat "$base/up1.out")"
fi
echo '{"pids":{"limit":40},"memory":{"limit":0}}' > "$base/up1.json"
R update --resources "$base/up1.json" up1 > "$base/up1.out" 2>&1
rc=$?
after=$(knobs)
if [ $rc = 0 ] && [ "$after" = "134217728 512 20000 50000 40 " ]; then
	pass "update --resources FILE: a zero leaves its limit as it is"
else
	fail "update --resources FILE: a zero leaves its limit as it is" "rc=$rc" "after: $after" "$(cat "$base/up1.out")"
fi
for bad in '{"pids":{"limit":50},"cpuz":{"shares":2}}|--resources: unknown field linux.resources.cpuz' \
	   '{"pids":{"limit":50},"memory":{"reservation":1048576}}|--resources: linux.resources.memory.reservation is not supported by contained-oci yet' \
	   '{"pids":{"limit":50},}|--resources: not valid JSON at line 1, column 22' \
	   '{"pids":{"limit":50},"devices":[{"allow":true,"access":"rwm"}]}|--resources: linux.resources.devices: update does not change the device rules'; do
	echo "${bad%%|*}" | R update --resources - up1 > "$base/up1.out" 2>&1
	rc=$?
	after=$(knobs)
	if [ $rc = 1 ] && tail -n 1 "$log" | grep -qF "\"msg\":\"${bad#*|}" && [ "$after" = "134217728 512 20000 50000 40 " ]; then
		pass "update refuses ${bad%%|*} by name, and applies none of it"
	else
		fail "update refuses ${bad%%|*} by name, and applies none of it" "rc=$rc" "after: $after" "$(tail -n 1 "$log")"
	fi
done
# memory and memory+swap grown together: the kernel refuses a memory limit
# above the memory+swap one, so the swap limit must go first, and when
# both shrink, last
memsw=/sys/fs/cgroup/memory$cg/up1/memory.memsw.limit_in_bytes
if [ -e "$memsw" ]; then
	echo '{"memory":{"limit":134217728,"swap":268435456}}' | R update --resources - up1 > "$base/up1.out" 2>&1 &&
	echo '{"memory":{"limit":536870912,"swap":1073741824}}' | R update --resources - up1 >> "$base/up1.out" 2>&1 &&
	grown="$(cat /sys/fs/cgroup/memory$cg/up1/memory.limit_in_bytes $memsw | tr '\n' ' ')" &&
	echo '{"memory":{"limit":100663296,"swap":134217728}}' | R update --resources - up1 >> "$base/up1.out" 2>&1
	rc=$?
	shrunk="$(cat /sys/fs/cgroup/memory$cg/up1/memory.limit_in_bytes $memsw | tr '\n' ' ')"
	if [ $rc = 0 ] && [ "$grown" = "536870912 1073741824 " ] && [ "$shrunk" = "100663296 134217728 " ]; then
		pass "update: memory with swap grows past the old memory+swap limit, and shrinks below it (v1's order)"
	else
		fail "update: memory with swap grows past the old memory+swap limit, and shrinks below it (v1's order)" "rc=$rc" "grown: ${grown:-}" "shrunk: $shrunk" "$(cat "$base/up1.out")"
	fi
fi
R delete --force up1
out=$(echo '{}' | R update --resources - up1 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'container "up1" does not exist' && pass "update of a container that is gone fails, naming it" ||
	fail "update of a container that is gone fails, naming it" "rc=$rc" "$out"

# 13. The command line's own mistakes, each said in words that name the fix,
# with runc's exit status (1), which the engines expect.
# Not root: said before anything is made, even where the user could make
# --root (a world-writable directory).
nr=$(mktemp -d)
chmod 1777 "$nr"
cp "$RUNTIME" "$nr/contained-oci"
chmod 755 "$nr/contained-oci"
for c in "create --bundle $base/bundle nr1" "state nr1"; do
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$nr/contained-oci" --root "$nr/state" $c 2>&1)
	rc=$?
	if [ $rc = 1 ] && echo "$out" | grep -q "^contained-oci: ${c%% *} needs root: .*; run it as root (sudo)$" &&
	   [ ! -e "$nr/state" ]; then
		pass "${c%% *} as another user than root: says it needs root (sudo), exits 1, makes no --root"
	else
		fail "${c%% *} as another user than root: says it needs root (sudo), exits 1, makes no --root" "rc=$rc" "$out" "$(ls -la "$nr")"
	fi
done
rm -rf "$nr"
# a missing rootfs: the field, the path it resolved to, and from where
config rp1 '["true"]'
sed -i 's|"root":{"path":"[^"]*"|"root":{"path":"no-such-rootfs"|' "$base/bundle/config.json"
failed_create rp1 "a missing root.path is named, with the path it resolved to from the bundle; nothing is left" \
	"config.json: root.path .\\{0,1\\}\"no-such-rootfs.\\{0,1\\}\": $base/bundle/no-such-rootfs does not exist (relative to the bundle $base/bundle)"
# a mistyped command is unknown, and the commands are listed; runc's
# commands contained-oci lacks are said to be missing, not unknown
out=$(R stat c1 2>&1); rc=$?
if [ $rc = 1 ] && tail -n 1 "$log" | grep -q 'unknown command .*stat.* (the commands are create, start, state, kill, delete, exec, ps, pause, resume, update, features; see contained-oci --help)'; then
	pass "a mistyped command (stat) is an unknown command, and the commands are listed"
else
	fail "a mistyped command (stat) is an unknown command, and the commands are listed" "rc=$rc" "$out" "$(tail -n 1 "$log")"
fi
out=$(R spec 2>&1); rc=$?
if [ $rc = 1 ] && tail -n 1 "$log" | grep -q '"msg":"spec is not supported by contained-oci yet (it has create, '; then
	pass "runc's spec, which contained-oci lacks, is said to be not supported yet"
else
	fail "runc's spec, which contained-oci lacks, is said to be not supported yet" "rc=$rc" "$out" "$(tail -n 1 "$log")"
fi
out=$("$RUNTIME" --help 2>&1); rc=$?
if [ $rc = 0 ] && echo "$out" | grep -q -- '--root DIR .*(default /run/contained-oci)' &&
   echo "$out" | grep -q -- '^  create --bundle DIR .*\[--console-socket SOCKET\] ID'; then
	pass "--help shows the default --root and create's --console-socket"
else
	fail "--help shows the default --root and create's --console-socket" "rc=$rc" "$out"
fi

# Every container is gone: so is the parent cgroup ($cg) their creates made.
left=$(ls -d /sys/fs/cgroup/*$cg "$state"/* 2>/dev/null)
[ -z "$left" ] && pass "no cgroup (not even the parent create made) and no state is left" ||
	fail "no cgroup (not even the parent create made) and no state is left" "$left" "$(find /sys/fs/cgroup/pids$cg -type d 2>&1)"
summary
