# oci-checks.sh - Part II's checks on the systemd guest, sourced by
# checks.sh (its helpers, counters, $TREE and $W): contained-oci driven by
# hand the way containerd's shim drives it, on cgroup v2 as systemd runs it.
#
#  - create/start/state/kill/delete with cgroupsPath in both forms: a path
#    (/oci-vm/ID) and systemd's slice:prefix:name (system.slice:contained-
#    oci:ID, whose directory systemd's daemon-reload must leave alone, and
#    which a second create naming the same scope must leave running);
#    update of the scope's container, whose limits then outlast a
#    daemon-reload because the unit's properties say them too;
#  - the limits, as the host writes them and as the container reads them
#    through its own cgroup2 mount, from inside a cgroup namespace;
#  - the device program: host root in the container cannot mknod a block
#    device nor open the guest's own disk through a bind-mounted node,
#    while /dev/null and the terminal open;
#  - pause/resume (cgroup.freeze), ps, exec (joins the cgroup);
#  - a user namespace: its cgroup delegated to the namespace's root, who
#    makes a cgroup below it, but cannot change its limits; exec, ps and
#    delete --force still reach the whole subtree;
#  - process.apparmorProfile on the guest's kernel (AppArmor on): a
#    confining profile of the checks' own denies what it says, unconfined
#    applies, an unknown one is refused;
#  - tests/oci_containerd.sh and tests/oci_docker.sh, with the host's
#    containerd, ctr, dockerd, docker and runc binaries;
#  - bad input refused by field, and nothing left behind: cgroup
#    directories (also the parent create made), state, mounts, processes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

stage "contained-oci (Part II) on cgroup v2"
OCI=$TREE/contained-oci
OS=$W/oci
ocilog=$OS/log.json
mkdir -p "$OS/bundle"
# the disk's node lives on the root filesystem: /run (where $W is) is nodev
HOSTDEV=$(mktemp -d /var/tmp/oci-hostdev.XXXXXX)
ROOTFS=$(realpath "$TREE/rootfs")
R() { "$OCI" --root "$OS/state" --log "$ocilog" --log-format json "$@"; }
# the guest's own disk, as a node a bind mount brings into the container
vda_major=$((0x$(stat -c %t /dev/vda)))
vda_minor=$((0x$(stat -c %T /dev/vda)))
mknod "$HOSTDEV/vda" b "$vda_major" "$vda_minor"

# oci_config CGROUPS-PATH ARGS-JSON [EXTRA-PROCESS-JSON]
oci_config() {
	cat >"$OS/bundle/config.json" <<JSON
{"ociVersion":"1.0.2-dev","process":{"user":{"uid":0,"gid":0},"args":$2,
 "env":["PATH=/usr/bin:/bin:/usr/sbin:/sbin"],"cwd":"/",
 "capabilities":{"bounding":["CAP_CHOWN","CAP_MKNOD","CAP_KILL","CAP_DAC_OVERRIDE"],
  "effective":["CAP_CHOWN","CAP_MKNOD","CAP_KILL","CAP_DAC_OVERRIDE"],"permitted":["CAP_CHOWN","CAP_MKNOD","CAP_KILL","CAP_DAC_OVERRIDE"]},
 "noNewPrivileges":true${3:-}},
 "root":{"path":"$ROOTFS","readonly":true},"hostname":"ocivm",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
  {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","mode=1777"]},
  {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
  {"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]},
  {"destination":"/hostdev","type":"bind","source":"$HOSTDEV","options":["rbind"]}],
 "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":3,"access":"rwm"}],
  "memory":{"limit":67108864,"swap":100663296},"cpu":{"shares":1024,"quota":50000,"period":100000},"pids":{"limit":20}},
  "cgroupsPath":"$1",
  "namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network"},{"type":"cgroup"}],
  "maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/sys"]}}
JSON
}

# gone PID: wait up to 30 s for it to end (TCG is slow).
gone() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

snap oci
cg_mark
failed_units >"$W/units.oci"

# 1. cgroupfs form: limits on the host and inside, the device program.
oci_config /oci-vm/c1 '["sh","-c","echo cg:$(cat /proc/self/cgroup); cd /sys/fs/cgroup; echo mem:$(cat memory.max) swap:$(cat memory.swap.max) cpu:$(cat cpu.max) weight:$(cat cpu.weight) pids:$(cat pids.max); ls /sys/fs/cgroup | grep -q slice && echo SEES-HOST; echo 100 > pids.max || echo cg-ro; mknod /tmp/sda b 8 0 && echo MKNOD-OK; head -c1 /hostdev/vda > /dev/null && echo DISK-OPENED; echo x > /dev/null && echo null-ok; (exec 3<>/dev/ptmx) && echo ptmx-ok; exit 7"]'
R create --bundle "$OS/bundle" --pid-file "$OS/c1.pid" c1 >"$OS/c1.out" 2>&1
rc=$?
pid=$(cat "$OS/c1.pid" 2>/dev/null)
d=$CG/oci-vm/c1
if [ $rc = 0 ] && [ -n "$pid" ] && R state c1 | grep -q '"status":"created"' && grep -qx "$pid" "$d/cgroup.procs" &&
	[ "$(cat $d/memory.max) $(cat $d/memory.swap.max) $(cat $d/cpu.max) $(cat $d/cpu.weight) $(cat $d/pids.max)" = \
		"67108864 33554432 50000 100000 39 20" ]; then
	pass "oci: create puts the container in $d with memory.max, memory.swap.max (swap alone), cpu.max, cpu.weight (from shares), pids.max"
else
	fail "oci: create puts the container in $d with memory.max, memory.swap.max (swap alone), cpu.max, cpu.weight (from shares), pids.max" \
		"rc=$rc pid=$pid" "$(cat "$OS/c1.out" 2>&1 | head -5)" "$(tail -n 1 "$ocilog" 2>&1)" "$(cd $d 2>&1 && head memory.max memory.swap.max cpu.max cpu.weight pids.max 2>&1 | tr '\n' ' ')"
fi
head -c1 "$HOSTDEV/vda" >/dev/null 2>&1 && pass "oci: the host itself can read the disk node $HOSTDEV/vda" ||
	fail "oci: the host itself can read the disk node $HOSTDEV/vda"
R start c1 >>"$OS/c1.out" 2>&1
gone "$pid"
out=$(cat "$OS/c1.out")
check_out() {
	if echo "$out" | grep -q "$2"; then pass "oci: $1"; else fail "oci: $1" "$(echo "$out" | head -n 12)"; fi
}
check_out "inside, the container's own cgroup namespace: /proc/self/cgroup is 0::/" '^cg:0::/$'
check_out "inside, /sys/fs/cgroup (cgroup2) shows its limits" '^mem:67108864 swap:33554432 cpu:50000 100000 weight:39 pids:20$'
check_out "inside, /sys/fs/cgroup is read-only" '^cg-ro$'
echo "$out" | grep -q SEES-HOST && fail "oci: inside, /sys/fs/cgroup shows nothing of the host's tree" "$out" ||
	pass "oci: inside, /sys/fs/cgroup shows nothing of the host's tree"
if ! echo "$out" | grep -q MKNOD-OK && echo "$out" | grep -q "mknod.*Operation not permitted"; then
	pass "oci: device program: host root with CAP_MKNOD cannot make a block device (EPERM)"
else
	fail "oci: device program: host root with CAP_MKNOD cannot make a block device (EPERM)" "$out"
fi
if ! echo "$out" | grep -q DISK-OPENED && echo "$out" | grep -q "hostdev/vda.*Operation not permitted"; then
	pass "oci: device program: the guest's disk, bind-mounted in as a node, cannot be opened (EPERM)"
else
	fail "oci: device program: the guest's disk, bind-mounted in as a node, cannot be opened (EPERM)" "$out"
fi
check_out "device program: /dev/null (allowed by the config) opens" '^null-ok$'
check_out "device program: /dev/ptmx (the runtime's own) opens" '^ptmx-ok$'
R delete c1
if [ ! -e "$CG/oci-vm" ] && [ ! -e "$OS/state/c1" ]; then
	pass "oci: delete removes the cgroup and its parent /oci-vm, which create made, and the state"
else
	fail "oci: delete removes the cgroup and its parent /oci-vm, which create made, and the state" "$(ls -d $CG/oci-vm* "$OS/state"/* 2>&1)"
fi

# 2. A running container: ps, exec, pause/resume, kill.
oci_config /oci-vm/c2 '["sleep","600"]'
R create --bundle "$OS/bundle" --pid-file "$OS/c2.pid" c2 >/dev/null 2>&1 && R start c2
pid=$(cat "$OS/c2.pid" 2>/dev/null)
d=$CG/oci-vm/c2
# process.json ARGS-JSON
process_json() {
	cat >"$OS/process.json" <<JSON
{"user":{"uid":1000,"gid":1000},"args":$1,"env":["PATH=/bin"],"cwd":"/"}
JSON
}
process_json '["cat","/proc/self/cgroup"]'
out=$(R exec --process "$OS/process.json" c2 2>&1)
[ "$out" = "0::/" ] && pass "oci: exec runs in the container's cgroup namespace (0::/)" ||
	fail "oci: exec runs in the container's cgroup namespace (0::/)" "$out" "$(tail -n 1 "$ocilog")"
process_json '["sleep","600"]'
R exec --process "$OS/process.json" --detach --pid-file "$OS/e.pid" c2
epid=$(cat "$OS/e.pid" 2>/dev/null)
if [ -n "$epid" ] && grep -qx "$epid" "$d/cgroup.procs" && [ "$(cat /proc/$epid/cgroup)" = "0::/oci-vm/c2" ] &&
	R ps --format json c2 | grep -q "^\[\($pid,$epid\|$epid,$pid\)\]\$"; then
	pass "oci: exec --detach joins the container's cgroup; ps lists both from cgroup.procs"
else
	fail "oci: exec --detach joins the container's cgroup; ps lists both from cgroup.procs" "epid=$epid" "$(cat /proc/$epid/cgroup 2>&1)" "$(R ps --format json c2 2>&1)"
fi
if R pause c2 && R state c2 | grep -q '"status":"paused"' && [ "$(cat $d/cgroup.freeze)" = 1 ] &&
	grep -qx "frozen 1" $d/cgroup.events &&
	R resume c2 && R state c2 | grep -q '"status":"running"' && grep -qx "frozen 0" $d/cgroup.events; then
	pass "oci: pause freezes it through cgroup.freeze (state paused, cgroup.events frozen 1), resume thaws it"
else
	fail "oci: pause freezes it through cgroup.freeze (state paused, cgroup.events frozen 1), resume thaws it" \
		"$(R state c2 2>&1 | tr '\n' ' ')" "$(cat $d/cgroup.events 2>&1 | tr '\n' ' ')" "$(tail -n 1 "$ocilog")"
fi
R pause c2
R delete --force c2
rc=$?
if [ $rc = 0 ] && gone "$pid" && gone "$epid" && [ ! -e "$CG/oci-vm" ] && [ ! -e "$OS/state/c2" ]; then
	pass "oci: delete --force of a paused container kills it and leaves no cgroup"
else
	fail "oci: delete --force of a paused container kills it and leaves no cgroup" "rc=$rc" "$(ls -d $CG/oci-vm* 2>&1)"
fi

# 2b. A user namespace on cgroup v2: create hands the container's cgroup
# to the namespace's root (host uid 100000) as the kernel's delegation
# rules allow (the directory, cgroup.procs, cgroup.subtree_control and
# cgroup.threads; never its own limits).  The container makes a cgroup
# of its own below, moves into it and turns on a controller there; its
# limits stay the host's; exec, ps and delete --force still cover the
# whole subtree.
oci_config /oci-vm/u1 '["sh","-c","mkdir /sys/fs/cgroup/sub && echo $$ > /sys/fs/cgroup/sub/cgroup.procs && echo sub-ok; echo +pids > /sys/fs/cgroup/cgroup.subtree_control && echo controller-ok; echo 100 > /sys/fs/cgroup/pids.max || echo limit-refused; exec sleep 600"]'
sed -i 's|"relatime","ro"\]|"relatime"]|; s|{"type":"cgroup"}\]|{"type":"cgroup"},{"type":"user"}],"uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],"gidMappings":[{"containerID":0,"hostID":100000,"size":65536}]|' \
	"$OS/bundle/config.json"
R create --bundle "$OS/bundle" --pid-file "$OS/u1.pid" u1 >"$OS/u1.out" 2>&1 && R start u1 >>"$OS/u1.out" 2>&1
pid=$(cat "$OS/u1.pid" 2>/dev/null)
d=$CG/oci-vm/u1
i=0
while ! grep -q limit-refused "$OS/u1.out" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
out=$(cat "$OS/u1.out")
if [ -n "$pid" ] && [ "$(stat -c %u:%g "$d" "$d/cgroup.procs" "$d/cgroup.subtree_control" 2>&1 | sort -u)" = 100000:100000 ] &&
	[ "$(stat -c %u "$d/pids.max" "$d/memory.max" 2>&1 | sort -u)" = 0 ]; then
	pass "oci: user namespace on v2: the cgroup, cgroup.procs and cgroup.subtree_control are the namespace root's (100000), its limits stay host root's"
else
	fail "oci: user namespace on v2: the cgroup, cgroup.procs and cgroup.subtree_control are the namespace root's (100000), its limits stay host root's" \
		"pid=$pid" "$out" "$(tail -n 1 "$ocilog")" "$(ls -ln "$d" 2>&1 | head -n 12)"
fi
if echo "$out" | grep -qx sub-ok && echo "$out" | grep -qx controller-ok && echo "$out" | grep -qx limit-refused &&
	grep -qx "$pid" "$d/sub/cgroup.procs" 2>/dev/null && [ "$(cat "$d/pids.max")" = 20 ] &&
	[ "$(stat -c %u "$d/sub")" = 100000 ]; then
	pass "oci: user namespace on v2: its root makes a cgroup below, moves into it and enables pids there, but cannot raise its own pids.max"
else
	fail "oci: user namespace on v2: its root makes a cgroup below, moves into it and enables pids there, but cannot raise its own pids.max" \
		"$out" "$(cat "$d/pids.max" 2>&1)" "$(cat "$d/sub/cgroup.procs" 2>&1)"
fi
process_json '["sh","-c","id -u; cat /proc/self/uid_map"]'
out=$(R exec --process "$OS/process.json" u1 2>&1)
if echo "$out" | grep -qx 1000 && echo "$out" | grep -q '^ *0 *100000 *65536$'; then
	pass "oci: user namespace on v2: exec still runs after the container enabled a controller in its own cgroup"
else
	fail "oci: user namespace on v2: exec still runs after the container enabled a controller in its own cgroup" "$out" "$(tail -n 1 "$ocilog")"
fi
if R ps --format json u1 | grep -q "[[,]$pid[],]"; then
	pass "oci: user namespace on v2: ps finds the container's process in the cgroup it made below its own"
else
	fail "oci: user namespace on v2: ps finds the container's process in the cgroup it made below its own" "$(R ps --format json u1 2>&1)"
fi
R delete --force u1
rc=$?
if [ $rc = 0 ] && gone "$pid" && [ ! -e "$CG/oci-vm" ] && [ ! -e "$OS/state/u1" ]; then
	pass "oci: user namespace on v2: delete --force removes the container's own sub-cgroup, its cgroup and /oci-vm"
else
	fail "oci: user namespace on v2: delete --force removes the container's own sub-cgroup, its cgroup and /oci-vm" \
		"rc=$rc" "$(tail -n 1 "$ocilog")" "$(find "$CG/oci-vm" -type d 2>&1)"
	find "$CG/oci-vm" -depth -type d -exec rmdir {} + 2>/dev/null
fi

# 3. systemd's form: a transient scope unit that systemd makes (over
# D-Bus, Delegate=yes) in system.slice; its processes and limits must
# outlast a daemon-reload and a restart of a service beside it (a
# directory made by hand would lose its cpu controller there).
oci_config system.slice:contained-oci:s1 '["sleep","600"]'
R create --bundle "$OS/bundle" --pid-file "$OS/s1.pid" s1 >/dev/null 2>&1 && R start s1
pid=$(cat "$OS/s1.pid" 2>/dev/null)
d=$CG/system.slice/contained-oci-s1.scope
if [ -n "$pid" ] && grep -qx "$pid" "$d/cgroup.procs" 2>/dev/null && [ "$(cat $d/cpu.max)" = "50000 100000" ] &&
	[ "$(systemctl is-active contained-oci-s1.scope)" = active ] &&
	[ "$(systemctl show -P Delegate contained-oci-s1.scope)" = yes ]; then
	pass "oci: cgroupsPath system.slice:contained-oci:s1 is systemd's scope contained-oci-s1.scope (active, delegated) at $d, with its limits"
else
	fail "oci: cgroupsPath system.slice:contained-oci:s1 is systemd's scope contained-oci-s1.scope (active, delegated) at $d, with its limits" \
		"pid=$pid" "$(tail -n 1 "$ocilog")" "$(systemctl status contained-oci-s1.scope 2>&1 | head -n 5)"
fi
# A second container whose cgroupsPath names the same scope: systemd
# refuses it (the unit exists), and create's undo must leave that unit,
# which is not its own, and the container in it alone.
R create --bundle "$OS/bundle" --pid-file "$OS/s1b.pid" s1b >"$OS/s1b.out" 2>&1
rc=$?
if [ $rc != 0 ] && tail -n 1 "$ocilog" | grep -q 'systemd refused the scope contained-oci-s1.scope' &&
	[ ! -e "$OS/state/s1b" ] && [ ! -e "$OS/s1b.pid" ] && sleep 2 && kill -0 "$pid" 2>/dev/null &&
	grep -qx "$pid" "$d/cgroup.procs" 2>/dev/null && [ "$(systemctl is-active contained-oci-s1.scope)" = active ]; then
	pass "oci: a second create naming the scope of a running container fails by name and leaves that scope and its container running"
else
	fail "oci: a second create naming the scope of a running container fails by name and leaves that scope and its container running" \
		"rc=$rc" "$(tail -n 1 "$ocilog")" "$(ls "$OS/state" 2>&1)" "$(systemctl status contained-oci-s1.scope 2>&1 | head -n 5)"
fi
# update, as `docker update` calls it: pids 20 -> 33 and memory 64 -> 96
# MiB.  The knobs change at once, and so do the scope unit's own
# properties, which systemd writes back into the cgroup whenever it
# applies the unit again (the daemon-reload below): knobs changed behind
# its back would return to create's values there.
scope_limits() {
	echo "$(cat $d/cpu.max 2>&1) $(cat $d/memory.max 2>&1) $(cat $d/pids.max 2>&1)" \
		"unit: $(systemctl show -P MemoryMax contained-oci-s1.scope) $(systemctl show -P TasksMax contained-oci-s1.scope)"
}
echo '{"memory":{"limit":100663296},"pids":{"limit":33}}' | R update --resources - s1 >"$OS/s1u.out" 2>&1
rc=$?
now=$(scope_limits)
if [ $rc = 0 ] && [ "$now" = "50000 100000 100663296 33 unit: 100663296 33" ]; then
	pass "oci: update of the scope's container sets memory.max and pids.max and the unit's MemoryMax and TasksMax"
else
	fail "oci: update of the scope's container sets memory.max and pids.max and the unit's MemoryMax and TasksMax" \
		"rc=$rc" "$now" "$(cat "$OS/s1u.out")" "$(tail -n 1 "$ocilog")"
fi
# A unit systemd does not have (the state made to name one that is gone):
# systemd's refusal fails update by unit name, before any knob is written.
cp "$OS/state/s1/state.json" "$OS/s1.state"
sed -i 's/"contained-oci-s1.scope"/"contained-oci-gone.scope"/' "$OS/state/s1/state.json"
echo '{"pids":{"limit":44}}' | R update --resources - s1 >"$OS/s1u.out" 2>&1
rc=$?
cp "$OS/s1.state" "$OS/state/s1/state.json"
if [ $rc = 1 ] && tail -n 1 "$ocilog" | grep -q 'systemd refused the new limits of contained-oci-gone.scope: .*Unit contained-oci-gone.scope not found' &&
	[ "$(cat $d/pids.max)" = 33 ]; then
	pass "oci: update naming a scope systemd does not have fails with the unit and systemd's words; pids.max stays"
else
	fail "oci: update naming a scope systemd does not have fails with the unit and systemd's words; pids.max stays" \
		"rc=$rc" "$(tail -n 1 "$ocilog")" "$(cat $d/pids.max 2>&1)"
fi
systemctl daemon-reload
systemctl restart systemd-journald 2>/dev/null
sleep 2
now=$(scope_limits)
if grep -qx "$pid" "$d/cgroup.procs" 2>/dev/null && [ "$now" = "50000 100000 100663296 33 unit: 100663296 33" ]; then
	pass "oci: after systemctl daemon-reload (and a service restart in system.slice) the process and its limits, update's, are still there"
else
	fail "oci: after systemctl daemon-reload (and a service restart in system.slice) the process and its limits, update's, are still there" \
		"$(cat /proc/$pid/cgroup 2>&1)" "$now" "$(cat $CG/system.slice/cgroup.subtree_control)"
fi
R kill s1 KILL
gone "$pid"
R delete s1
i=0
while [ -e "$d" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -e "$d" ] && [ ! -e "$OS/state/s1" ] && [ -d "$CG/system.slice" ] &&
	! systemctl is-active -q contained-oci-s1.scope; then
	pass "oci: delete leaves no scope unit, no cgroup directory, and system.slice in place"
else
	fail "oci: delete leaves no scope unit, no cgroup directory, and system.slice in place" "$(ls -d $d 2>&1)" "$(systemctl status contained-oci-s1.scope 2>&1 | head -n 5)"
fi

# 4. AppArmor, on the guest's kernel: a confining profile of the checks'
# own, loaded with apparmor_parser (Debian's apparmor package, in the guest
# image), allows everything but writing below /tmp; the kernel applies it
# when the container's process is exec'd and answers a write there with
# EACCES (busybox says "Permission denied") and an audit line naming the
# profile (a deny rule is silent unless marked "audit"), while the same
# container without the profile writes.  The
# profile is unloaded afterwards (-K: nothing cached on disk either).
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	aa_profile=contained-check-deny
	cat >"$OS/aa.profile" <<PROFILE
profile $aa_profile flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  signal,
  ptrace,
  unix,
  mount,
  umount,
  pivot_root,
  audit deny /tmp/** w,
}
PROFILE
	aa_write='["sh","-c","cat /proc/self/attr/current; echo x > /tmp/probe && echo WROTE"]'
	if command -v apparmor_parser >/dev/null && apparmor_parser -r -K "$OS/aa.profile" >"$OS/aa.load" 2>&1 &&
		grep -q "^$aa_profile (enforce)\$" /sys/kernel/security/apparmor/profiles; then
		pass "oci: apparmorProfile: apparmor_parser loads the checks' profile $aa_profile (enforce)"
	else
		fail "oci: apparmorProfile: apparmor_parser loads the checks' profile $aa_profile (enforce)" \
			"$(command -v apparmor_parser || echo "no apparmor_parser (the guest image needs Debian's apparmor package)")" "$(cat "$OS/aa.load" 2>&1)"
	fi
	oci_config /oci-vm/a3 "$aa_write" ",\"apparmorProfile\":\"$aa_profile\""
	R create --bundle "$OS/bundle" --pid-file "$OS/a3.pid" a3 >"$OS/a3.out" 2>&1 && R start a3
	gone "$(cat "$OS/a3.pid" 2>/dev/null || echo 0)"
	R delete a3
	if grep -qx "$aa_profile (enforce)" "$OS/a3.out" && grep -q "can't create /tmp/probe: Permission denied" "$OS/a3.out" &&
		! grep -q WROTE "$OS/a3.out" &&
		dmesg | grep 'apparmor="DENIED"' | grep "profile=\"$aa_profile\"" | grep -q 'name="/tmp/probe"'; then
		pass "oci: apparmorProfile $aa_profile: /proc/self/attr/current names it; writing /tmp/probe fails with EACCES, denied by it (audit)"
	else
		fail "oci: apparmorProfile $aa_profile: /proc/self/attr/current names it; writing /tmp/probe fails with EACCES, denied by it (audit)" \
			"$(cat "$OS/a3.out")" "$(tail -n 1 "$ocilog")" "$(dmesg | grep 'apparmor="DENIED"' | tail -n 2)"
	fi
	oci_config /oci-vm/a4 "$aa_write"
	R create --bundle "$OS/bundle" --pid-file "$OS/a4.pid" a4 >"$OS/a4.out" 2>&1 && R start a4
	gone "$(cat "$OS/a4.pid" 2>/dev/null || echo 0)"
	R delete a4
	if [ "$(cat "$OS/a4.out")" = "$(printf 'unconfined\nWROTE')" ]; then
		pass "oci: the same container without apparmorProfile is unconfined and writes /tmp/probe"
	else
		fail "oci: the same container without apparmorProfile is unconfined and writes /tmp/probe" "$(cat "$OS/a4.out")" "$(tail -n 1 "$ocilog")"
	fi
	apparmor_parser -R "$OS/aa.profile" 2>/dev/null
	! grep -q "^$aa_profile " /sys/kernel/security/apparmor/profiles && pass "oci: apparmorProfile: the checks' profile is unloaded again" ||
		fail "oci: apparmorProfile: the checks' profile is unloaded again"
	oci_config /oci-vm/a1 '["cat","/proc/self/attr/current"]' ',"apparmorProfile":"unconfined"'
	R create --bundle "$OS/bundle" --pid-file "$OS/a1.pid" a1 >"$OS/a1.out" 2>&1 && R start a1
	gone "$(cat "$OS/a1.pid" 2>/dev/null || echo 0)"
	R delete a1
	grep -q '^unconfined' "$OS/a1.out" && pass "oci: apparmorProfile: a loaded profile (unconfined) is applied at exec" ||
		fail "oci: apparmorProfile: a loaded profile (unconfined) is applied at exec" "$(cat "$OS/a1.out")" "$(tail -n 1 "$ocilog")"
	oci_config /oci-vm/a2 '["true"]' ',"apparmorProfile":"contained-no-such-profile"'
	if ! R create --bundle "$OS/bundle" --pid-file "$OS/a2.pid" a2 >/dev/null 2>&1 &&
		tail -n 1 "$ocilog" | grep -q 'process.apparmorProfile \\"contained-no-such-profile\\": the kernel refused it' &&
		[ ! -e "$CG/oci-vm" ] && [ ! -e "$OS/state/a2" ]; then
		pass "oci: apparmorProfile: a profile the kernel does not have fails create by name; nothing is left"
	else
		fail "oci: apparmorProfile: a profile the kernel does not have fails create by name; nothing is left" "$(tail -n 1 "$ocilog")"
	fi
else
	oci_config /oci-vm/a2 '["true"]' ',"apparmorProfile":"docker-default"'
	! R create --bundle "$OS/bundle" a2 2>/dev/null && tail -n 1 "$ocilog" | grep -q 'AppArmor is not enabled' &&
		pass "oci: apparmorProfile without AppArmor on the host is refused by name" ||
		fail "oci: apparmorProfile without AppArmor on the host is refused by name" "$(tail -n 1 "$ocilog")"
fi

# 5. Bad input, by field; nothing left.
oci_config system:contained-oci:b1 '["true"]'
! R create --bundle "$OS/bundle" b1 2>/dev/null && tail -n 1 "$ocilog" | grep -q 'linux.cgroupsPath \\"system:contained-oci:b1\\": \\"system\\" is not a slice' &&
	pass "oci: a cgroupsPath whose slice is not a slice is refused by field" ||
	fail "oci: a cgroupsPath whose slice is not a slice is refused by field" "$(tail -n 1 "$ocilog")"
oci_config /oci-vm/b2 '["true"]'
sed -i 's|"pids":{"limit":20}|"pids":{"limit":20},"cpu":{"quota":500,"period":100000}|; s|"cpu":{"shares":1024,"quota":50000,"period":100000},||' "$OS/bundle/config.json"
! R create --bundle "$OS/bundle" b2 2>/dev/null && tail -n 1 "$ocilog" | grep -q 'writing \\"500 100000\\" to /sys/fs/cgroup/oci-vm/b2/cpu.max' &&
	[ ! -e "$CG/oci-vm" ] && [ ! -e "$OS/state/b2" ] &&
	pass "oci: a limit the kernel refuses (cpu.max under 1 ms) fails create naming the file; its cgroups go" ||
	fail "oci: a limit the kernel refuses (cpu.max under 1 ms) fails create naming the file; its cgroups go" "$(tail -n 1 "$ocilog")" "$(ls -d $CG/oci-vm* 2>&1)"

# 6. Under a real containerd and a real dockerd: tests/oci_containerd.sh
# and tests/oci_docker.sh, as on the host, with Debian's containerd, shim,
# ctr, dockerd, docker and runc brought from the host by run.sh (gzipped in
# bin/; /run, where they arrive, is noexec on Debian: they run from
# /var/tmp).  Their checks count here, prefixed "containerd: " and
# "docker: ".  Each takes 1-2 minutes under TCG; 5 minutes is the most it
# may take before it counts as hung.
# engine_test NAME SCRIPT: run it from the checkout, fold its checks in.
engine_test() {
	mkdir -p "$TREE/tests/build"
	(cd "$TREE" && PATH=$ENGINE_BIN:$PATH DOCKER=$ENGINE_BIN/docker timeout 300 \
		sh "$2" ./contained-oci rootfs) >"$W/$1.out" 2>&1
	n=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "$1: ${line#ok - }"; n=$((n + 1)) ;;
		"not ok - "*) fail "$1: ${line#not ok - }"; n=$((n + 1)) ;;
		"#"*) echo "$line" ;;
		esac
	done <"$W/$1.out"
	[ $n -ge 10 ] && pass "$1: $2 ran its $n checks" || fail "$1: $2 ran its $n checks" "$(tail -n 10 "$W/$1.out")"
	rm -rf "$TREE/tests/build"
}
ENGINE_BIN=$(mktemp -d /var/tmp/oci-engines.XXXXXX)
for b in containerd containerd-shim-runc-v2 ctr dockerd docker runc; do
	[ -f "$here/bin/$b.gz" ] && gunzip -c "$here/bin/$b.gz" >"$ENGINE_BIN/$b" && chmod 755 "$ENGINE_BIN/$b"
done
if [ -x "$ENGINE_BIN/containerd" ] && [ -x "$ENGINE_BIN/ctr" ] && [ -x "$ENGINE_BIN/containerd-shim-runc-v2" ]; then
	engine_test containerd tests/oci_containerd.sh
else
	fail "containerd: Debian's containerd, containerd-shim-runc-v2 and ctr were brought in (install containerd on the host: sh rootfs-scripts/deps.sh --test)"
fi
if [ -x "$ENGINE_BIN/dockerd" ] && [ -x "$ENGINE_BIN/docker" ] && [ -x "$ENGINE_BIN/runc" ]; then
	engine_test docker tests/oci_docker.sh
else
	fail "docker: Debian's dockerd, docker and runc were brought in (install docker.io on the host: sh rootfs-scripts/deps.sh --test)"
fi
rm -rf "$ENGINE_BIN"

left=$(ls -A "$OS/state" 2>/dev/null)
[ -z "$left" ] && pass "oci: no state left" || fail "oci: no state left" "$left"
rm -rf "$OS" "$HOSTDEV"
unchanged "oci: after contained-oci's containers" oci
no_new_cgroups "oci: after contained-oci's containers"
failed_units >"$W/units.now"
new=$(changes "$W/units.oci" "$W/units.now" | sed -n 's/^+ //p')
[ -z "$new" ] && pass "oci: systemctl --failed shows nothing new" || fail "oci: systemctl --failed shows nothing new" $new
