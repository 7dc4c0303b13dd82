#!/bin/sh
# network.sh CONTAINED ROOTFS - the -n tests of contained: eth0 with its
# address and default route, the host's resolv.conf, traffic out
# (masqueraded) and in, ten containers at once on ten /24s, and that no
# veth, address, route, nftables rule or lock file is left afterwards,
# also after a SIGKILLed launcher.
#
#     sudo sh tests/network.sh ./contained tests/build/rootfs
#
# Everything runs in network namespaces the script makes itself: it
# re-executes itself under `unshare -n` (the launcher's namespace, "L",
# where the launchers run), and makes one more, "outside", joined to L by
# a veth pair of its own (192.0.2.1 in L, 192.0.2.2 outside: the
# documentation range, in namespaces that reach nothing else).  outside
# has no route back to the containers' /24s, so an answer from a server
# there proves the masquerading.  No packet leaves these namespaces.
#
# Prints "ok - NAME" or "not ok - NAME" (with "#" lines saying why) per
# check, then "N passed, N failed"; exits 1 if any check failed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 CONTAINED ROOTFS" >&2
	exit 2
fi
C=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
R=$(cd "$2" && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "network.sh: must run as root (real namespaces)" >&2
	exit 2
fi
for cmd in unshare nsenter ip nft busybox timeout; do
	if ! command -v "$cmd" >/dev/null 2>&1; then
		echo "network.sh: $cmd not found (run rootfs-scripts/deps.sh --test)" >&2
		exit 2
	fi
done
if [ ! -x "$C" ] || [ ! -x "$R/bin/busybox" ]; then
	echo "network.sh: $C or $R/bin/busybox missing (make contained tests/build/rootfs/.built)" >&2
	exit 2
fi

if [ -z "${NETWORK_TEST_NS:-}" ]; then
	NETWORK_TEST_NS=1 exec unshare -n sh "$0" "$C" "$R"
fi

. "$(dirname "$0")/tap.sh"

# The /24s this script's containers get: a range of their own, so that
# the lock files it checks are only its own.
CONTAINED_NET=10.233.0.0/16
export CONTAINED_NET
RANGE_LOCKS=/run/contained/net-10.233.
work=$(mktemp -d /tmp/contained-network.XXXXXX) || exit 2
outside= server=
cleanup() {
	for pid in $server $outside; do
		kill "$pid" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT

# ---- the test's own namespaces ------------------------------------------------
# No IPv6 in L: its link-local addresses change state (tentative) while
# the script runs, and would spoil the before/after comparison.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
unshare -n sleep 600 > /dev/null 2>&1 &
outside=$!
sleep 0.1
ip link add name up0 type veth peer name up1 netns "$outside"
ip addr add 192.0.2.1/24 dev up0
ip link set up0 up
nsenter -t "$outside" -n sh -c 'ip link set lo up; ip addr add 192.0.2.2/24 dev up1; ip link set up1 up'
mkdir -p "$work/www"
echo hello-outside > "$work/www/hello"
nsenter -t "$outside" -n busybox httpd -f -p 192.0.2.2:8080 -h "$work/www" > /dev/null 2>&1 &
server=$!
# A firewall of the test's own, which must come out untouched.
nft add table inet testfw
nft add chain inet testfw input '{ type filter hook input priority 0; policy accept; }'
nft add rule inet testfw input tcp dport 9 counter drop

snapshot() {
	ip -d link; ip addr; ip route; nft list ruleset
	ls /run/contained 2>/dev/null | grep '^net-10\.233\.' || true
}
snapshot > "$work/before"

# Same as before, or the difference as fail lines.
same_as_before() {
	snapshot > "$work/after"
	diff "$work/before" "$work/after" > "$work/diff" && return 0
	return 1
}

fetch() {   # fetch ADDRESS PORT PATH: the reply of an HTTP/1.0 GET
	printf 'GET %s HTTP/1.0\r\n\r\n' "$3" | timeout 5 busybox nc -w 3 "$1" "$2" 2>&1
}

GET_HELLO="printf 'GET /hello HTTP/1.0\r\n\r\n' | nc -w 3 192.0.2.2 8080"

# ---- 1. eth0, its address and route, resolv.conf ---------------------------------
sum_before=$(cksum < "$R/etc/resolv.conf" 2>/dev/null || echo absent)
out=$(timeout 30 "$C" -m "$R" -u 0 -n -c /bin/sh -c \
	'ip -4 -o addr show; ip route; echo ---; cat /etc/resolv.conf' 2> "$work/err1")
rc=$?
addrs=$(echo "$out" | awk '$1 != "---" && /inet /' )
if [ $rc -eq 0 ] && echo "$addrs" | grep -q '^[0-9]*: eth0 *inet 10\.233\.[0-9]*\.2/24' &&
   echo "$out" | grep -q '^default via 10\.233\.[0-9]*\.1 dev eth0'; then
	pass "-n: eth0 has 10.233.X.2/24 and a default route via 10.233.X.1"
else
	fail "-n: eth0 has 10.233.X.2/24 and a default route via 10.233.X.1" \
		"status $rc" "output: $(echo "$out" | tr '\n' '|')" "stderr: $(tail -3 "$work/err1" | tr '\n' '|')"
fi
if grep -q '^nameserver 127\.' /etc/resolv.conf; then
	pass "-n: /etc/resolv.conf # SKIP the host's name server is on its loopback"
elif [ "$(echo "$out" | sed '1,/^---$/d')" = "$(cat /etc/resolv.conf)" ] &&
     [ "$(cksum < "$R/etc/resolv.conf" 2>/dev/null || echo absent)" = "$sum_before" ]; then
	pass "-n: /etc/resolv.conf inside is the host's; the rootfs's file is unchanged"
else
	fail "-n: /etc/resolv.conf inside is the host's; the rootfs's file is unchanged" \
		"inside: $(echo "$out" | sed '1,/^---$/d' | tr '\n' '|')" \
		"host: $(tr '\n' '|' < /etc/resolv.conf)"
fi
if grep -q 'forwarding was off' "$work/err1"; then
	pass "-n: says that it turned forwarding on"
else
	fail "-n: says that it turned forwarding on" "$(tr '\n' '|' < "$work/err1")"
fi

# ---- 2. out: a server in outside, by address ----------------------------------------
out=$(timeout 30 "$C" -q -m "$R" -u 0 -n -c /bin/sh -c "$GET_HELLO" 2> "$work/err2")
rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '^hello-outside'; then
	pass "-n: the container reaches a server beyond the launcher's namespace (masqueraded)"
else
	fail "-n: the container reaches a server beyond the launcher's namespace (masqueraded)" \
		"status $rc" "output: $(echo "$out" | tr '\n' '|')" "stderr: $(tr '\n' '|' < "$work/err2")"
fi
if [ $rc -eq 0 ] && ! grep -q forwarding "$work/err2"; then
	pass "-n: says nothing of forwarding once it is on"
else
	fail "-n: says nothing of forwarding once it is on" "status $rc" "$(tr '\n' '|' < "$work/err2")"
fi

# ---- 3. in: a server in the container, from L -------------------------------------
timeout 30 "$C" -m "$R" -u 0 -n -c /bin/sh -c 'echo hello-inside | nc -l -p 8080' \
	> /dev/null 2> "$work/err3" &
launcher=$!
got= addr=
for _ in $(seq 50); do
	addr=$(sed -n 's/.*eth0 (\(10\.233\.[0-9]*\.2\)).*/\1/p' "$work/err3")
	[ -n "$addr" ] && got=$(timeout 5 busybox nc -w 2 "$addr" 8080 < /dev/null 2>/dev/null)
	[ "$got" = hello-inside ] && break
	sleep 0.1
done
wait "$launcher"
rc=$?
if [ "$got" = hello-inside ] && [ $rc -eq 0 ]; then
	pass "-n: a server in the container answers at its address"
else
	fail "-n: a server in the container answers at its address" "address '$addr', got '$got'," \
		"status $rc" "stderr: $(tail -5 "$work/err3" | tr '\n' '|')"
fi

# ---- 4. ten at once ----------------------------------------------------------------
for i in 0 1 2 3 4 5 6 7 8 9; do
	timeout 60 "$C" -q -m "$R" -u 0 -n -c /bin/sh -c \
		"ip -4 -o addr show eth0; $GET_HELLO; sleep 1" > "$work/many.$i" 2>&1 &
	echo $! > "$work/pid.$i"
done
bad=
for i in 0 1 2 3 4 5 6 7 8 9; do
	wait "$(cat "$work/pid.$i")" || bad="$bad $i:status=$?"
	grep -q '^hello-outside' "$work/many.$i" || bad="$bad $i:no-answer"
done
distinct=$(cat "$work"/many.* | sed -n 's/.* inet \(10\.233\.[0-9]*\.2\)\/24.*/\1/p' | sort -u | wc -l)
if [ -z "$bad" ] && [ "$distinct" -eq 10 ]; then
	pass "-n: 10 containers at once get 10 distinct /24s and all reach outside"
else
	fail "-n: 10 containers at once get 10 distinct /24s and all reach outside" \
		"failed:$bad; $distinct distinct addresses" \
		"$(cat "$work"/many.* | tr '\n' '|' | cut -c1-600)"
fi

# ---- 5. nothing left -----------------------------------------------------------------
# (after the ten above, which each had a veth, an address and a rule)
if [ "$distinct" -eq 10 ] && same_as_before; then
	pass "-n: afterwards no veth, address, route, nftables rule or lock file is left"
else
	fail "-n: afterwards no veth, address, route, nftables rule or lock file is left" \
		"$(tr '\n' '|' < "$work/diff" | cut -c1-800)"
fi

# ---- 6. a SIGKILLed launcher -----------------------------------------------------------
# (no timeout(1) in front: the kill must reach the launcher itself)
"$C" -q -m "$R" -u 0 -n -c /bin/sleep 30 > /dev/null 2>&1 &
launcher=$!
for _ in $(seq 100); do
	nft list ruleset | grep -q 'masquerade' && ip -o addr | grep -q ' ct.* inet 10\.233\.' && break
	sleep 0.1
done
set_up=$(nft list ruleset | grep -c masquerade)
kill -KILL "$launcher"
wait "$launcher" 2>/dev/null
clean=no
for _ in $(seq 100); do
	if same_as_before; then
		clean=yes
		break
	fi
	sleep 0.1
done
if [ "$set_up" -eq 1 ] && [ $clean = yes ]; then
	pass "-n: after a SIGKILLed launcher its watchdog removes the veth, the rule and the lock"
else
	fail "-n: after a SIGKILLed launcher its watchdog removes the veth, the rule and the lock" \
		"rules while it ran: $set_up" "$(tr '\n' '|' < "$work/diff" | cut -c1-800)"
fi

# ---- 7. the range ------------------------------------------------------------------------
out=$(CONTAINED_NET=10.233.0.5/16 timeout 30 "$C" -m "$R" -u 0 -n -c /bin/true 2>&1)
rc=$?
if [ $rc -eq 125 ] && echo "$out" | grep -q "CONTAINED_NET='10.233.0.5/16': expected"; then
	pass "-n: a CONTAINED_NET that is not a range of /24s is refused, named"
else
	fail "-n: a CONTAINED_NET that is not a range of /24s is refused, named" "status $rc" \
		"$(echo "$out" | tail -2 | tr '\n' '|')"
fi
out=$(CONTAINED_NET=10.233.7.0/24 timeout 30 "$C" -q -m "$R" -u 0 -n -c ip -4 -o addr show eth0 2>&1)
if echo "$out" | grep -q 'inet 10\.233\.7\.2/24'; then
	pass "-n: CONTAINED_NET picks the range"
else
	fail "-n: CONTAINED_NET picks the range" "$(echo "$out" | tr '\n' '|')"
fi

summary
