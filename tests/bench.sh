#!/bin/sh
# bench.sh CONTAINED -- how fast does a container start?  (`sudo make bench`)
#
# Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
#
# A benchmark, not a test: it prints numbers and never fails on them.
#
# Every launcher ("peer") that is installed runs /bin/true in the same busybox
# rootfs (built here with rootfs-scripts/busybox.sh), and we time it from
# spawn to reap:
#
#   unshare -fpmiu chroot ROOTFS /bin/true     the baseline: namespaces + chroot, nothing else
#   unshare -fpmiun chroot ROOTFS /bin/true    the same plus a network namespace
#   bwrap                                      bubblewrap, same namespaces
#   bwrap-all                                  bubblewrap with contained's namespaces
#                                              (user as uid 0, net, cgroup too) and
#                                              a fresh /proc and /dev: the nearest it
#                                              gets to contained, short of cgroups,
#                                              capability drop and seccomp
#   crun run, runc run                         OCI runtimes, on a bundle made by `runc spec`
#   systemd-nspawn --register=no --keep-unit   if installed
#   contained -m ROOTFS -u 0 -c /bin/true      us, with every protection on
#   floor                                      not a peer: a static C program that
#                                              only clone()s with contained's six
#                                              namespaces, chroot()s and execs
#                                              /bin/true -- what any launcher
#                                              with those namespaces pays here
#
# Absolute times drift on a shared machine (frequency scaling, neighbours), so
# the runs are interleaved round-robin -- one run of each peer per round, the
# order rotated every round -- and we compare medians as ratios to the
# baseline.  The whole table is measured twice so the noise is visible.
#
# Then, for contained (and the baseline, for scale): start time with a 2 MB vs
# a ~500 MB rootfs, with 20 vs 500 extra mounts in the mount namespace it
# starts from, and throughput with 1 vs 20 launches at a time.  Last, where
# contained's own time goes, stage by stage (contained -v times each one).
#
# The timing is done by a tiny C helper (compiled here): it posix_spawn()s the
# command with stdin/stdout/stderr on /dev/null, waits with wait4() and reads
# CLOCK_MONOTONIC around it.  wait4() also returns ru_maxrss, the peak resident
# set of the largest process in the run's (reaped) process tree -- the same
# number GNU time prints for %M -- which is the "peak RSS" column.
#
# Everything runs inside a private mount namespace (unshare -m): the extra
# mounts never reach the host and vanish with the namespace, and on a hybrid
# cgroup host /sys/fs/cgroup/unified can be unmounted there, which crun needs
# ("cgroups in hybrid mode not supported") -- the host keeps its mount.
#
# Knobs (environment): BENCH_ROUNDS (default 50), BENCH_XROUNDS (25, for the
# growth measurements), BENCH_PAR_N (200 launches per throughput figure).

set -eu
prog=bench.sh

die() { echo "$prog: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: sh tests/bench.sh ./contained" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (sudo make bench)"

# Re-run this script in a private mount namespace (see above).
if [ "${CONTAINED_BENCH_NS:-}" != 1 ]; then
	command -v unshare >/dev/null || die "unshare not found (util-linux): run rootfs-scripts/deps.sh"
	CONTAINED_BENCH_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd -P)
top=$(dirname "$here")
build=$here/build
case $1 in
/*) contained=$1 ;;
*) contained=$(pwd -P)/$1 ;;
esac

ROUNDS=${BENCH_ROUNDS:-50}
XROUNDS=${BENCH_XROUNDS:-25}
PAR_N=${BENCH_PAR_N:-200}
REPS=2

rootfs=$build/bench-rootfs
bigroot=$build/bench-rootfs-big
bundle=$build/bench-bundle
state=$build/bench-state
mnt=$build/bench-mounts
data=$build/bench-data
timer=$build/bench-timer
floor=$build/bench-floor

cleanup() {
	for ns in "$state/ns20" "$state/ns500"; do
		if mountpoint -q "$ns" 2>/dev/null; then umount "$ns" || true; fi
	done
	rm -rf "$bigroot" "$state"
	rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$build"
rm -rf "$data" "$state" "$bigroot"
mkdir -p "$data" "$state/crun" "$state/runc"

# --- the timer helper ------------------------------------------------------------
# (Rebuilt every time: it takes a moment, and cannot go stale.)
{
	cat > "$timer.c" <<'EOF'
/* bench-timer: time commands for tests/bench.sh.  GPL-3.0-or-later.
 *   bench-timer [-n MNTNS] once CMD [ARG...]     prints "<ns> <maxrss KiB> <status>"
 *   bench-timer [-n MNTNS] par J N CMD [ARG...]  N runs, J at a time: prints "<ns> <failures>"
 * status is the exit code, or 128+N when killed by signal N.  -n: first join
 * the mount namespace held at MNTNS (outside the timed interval). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static pid_t spawn(char **argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "bench-timer: %s: %s\n", argv[0], strerror(err));
		exit(125);
	}
	return pid;
}

static int status_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "-n") == 0) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNS) < 0) { perror(argv[2]); return 125; }
		close(fd);
		argv += 2, argc -= 2;
	}
	if (argc >= 3 && strcmp(argv[1], "once") == 0) {
		struct rusage ru;
		int st;
		long long t0 = now_ns();
		pid_t pid = spawn(argv + 2);
		if (wait4(pid, &st, 0, &ru) < 0) { perror("wait4"); return 125; }
		long long t1 = now_ns();
		printf("%lld %ld %d\n", t1 - t0, ru.ru_maxrss, status_code(st));
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "par") == 0) {
		int j = atoi(argv[2]), n = atoi(argv[3]);
		int started = 0, done = 0, running = 0, failed = 0, st;
		if (j < 1 || n < 1) return 2;
		long long t0 = now_ns();
		while (done < n) {
			while (running < j && started < n) {
				spawn(argv + 4);
				started++, running++;
			}
			if (wait(&st) < 0) { perror("wait"); return 125; }
			running--, done++;
			if (status_code(st) != 0) failed++;
		}
		printf("%lld %d\n", now_ns() - t0, failed);
		return 0;
	}
	fprintf(stderr, "usage: bench-timer once CMD... | par J N CMD...\n");
	return 2;
}
EOF
	${CC:-cc} -O2 -Wall -Wextra -o "$timer" "$timer.c" || die "cannot compile $timer.c"

	cat > "$floor.c" <<'EOF'
/* bench-floor ROOTFS: the cheapest launch with contained's namespaces.
 * GPL-3.0-or-later.  No id maps, cgroup, mounts, capability drop or
 * seccomp: the kernel's share of a launch, for scale. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
		     CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
	int st;
	if (argc != 2)
		return 2;
	long pid = syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return 125;
	if (pid == 0) {
		if (chroot(argv[1]) < 0 || chdir("/") < 0)
			_exit(125);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return 125;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
EOF
	${CC:-cc} -O2 -Wall -Wextra -static -o "$floor" "$floor.c" || die "cannot compile $floor.c"
}

# --- the rootfs and the OCI bundle ----------------------------------------------
sh "$top/rootfs-scripts/busybox.sh" "$rootfs" || die "cannot build $rootfs"

# The bundle's config.json is the runtimes' own default (`runc spec` or
# `crun spec`), edited to run /bin/true without a terminal in our rootfs.
make_bundle() {
	rm -rf "$bundle" && mkdir -p "$bundle"
	for rt in runc crun; do
		if command -v $rt >/dev/null && (cd "$bundle" && $rt spec) >/dev/null 2>&1; then
			sed -i -e 's/"terminal": true/"terminal": false/' \
				-e 's/^\([[:space:]]*\)"sh"$/\1"\/bin\/true"/' \
				-e "s#\"path\": \"rootfs\"#\"path\": \"$rootfs\"#" "$bundle/config.json"
			return 0
		fi
	done
	return 1
}
if command -v runc >/dev/null || command -v crun >/dev/null; then
	make_bundle || echo "$prog: could not generate an OCI bundle" >&2
fi

# --- the host ---------------------------------------------------------------------
notes=
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	cgroups="v2"
else
	cgroups="v1"
	if mountpoint -q /sys/fs/cgroup/unified; then
		cgroups="v1 hybrid"
		umount /sys/fs/cgroup/unified && notes="/sys/fs/cgroup/unified unmounted in this private mount namespace (for crun)"
	fi
fi

# --- the peers ----------------------------------------------------------------------
# peer NAME [PREFIX...]: run peer NAME on $rootfs, with PREFIX (the timer) in front.
seq=0
peer() {
	name=$1
	shift
	case $name in
	unshare) "$@" unshare -fpmiu chroot "$rootfs" /bin/true ;;
	unshare-net) "$@" unshare -fpmiun chroot "$rootfs" /bin/true ;;
	bwrap) "$@" bwrap --bind "$rootfs" / --unshare-pid --unshare-ipc --unshare-uts /bin/true ;;
	bwrap-all) "$@" bwrap --bind "$rootfs" / --unshare-all --unshare-user --uid 0 --gid 0 \
		--proc /proc --dev /dev /bin/true ;;
	crun)
		seq=$((seq + 1))
		"$@" crun --root "$state/crun" run --bundle "$bundle" "bench-$$-$seq" ;;
	runc)
		seq=$((seq + 1))
		"$@" runc --root "$state/runc" run --bundle "$bundle" "bench-$$-$seq" ;;
	nspawn) "$@" systemd-nspawn --quiet --register=no --keep-unit -D "$rootfs" /bin/true ;;
	contained) "$@" "$contained" -m "$rootfs" -u 0 -c /bin/true ;;
	floor) "$@" "$floor" "$rootfs" ;;
	*) die "unknown peer $name" ;;
	esac
}

label() {
	case $1 in
	unshare) echo "unshare -fpmiu chroot (baseline)" ;;
	unshare-net) echo "unshare -fpmiun chroot" ;;
	bwrap) echo "bwrap (mnt,pid,ipc,uts)" ;;
	bwrap-all) echo "bwrap (all ns, /proc, /dev)" ;;
	crun) echo "crun run" ;;
	runc) echo "runc run" ;;
	nspawn) echo "systemd-nspawn" ;;
	contained) echo "contained -u 0" ;;
	floor) echo "floor: clone+chroot+exec (6 ns)" ;;
	esac
}

# usable NAME: can the peer run here?  If not, sets $reason.
usable() {
	reason=
	case $1 in
	unshare | unshare-net)
		if ! command -v unshare >/dev/null || ! command -v chroot >/dev/null; then
			reason="unshare/chroot not found"
			return 1
		fi ;;
	bwrap | bwrap-all)
		command -v bwrap >/dev/null || { reason="not installed (sh rootfs-scripts/deps.sh --bench)"; return 1; } ;;
	crun | runc)
		command -v "$1" >/dev/null || { reason="not installed (sh rootfs-scripts/deps.sh --bench)"; return 1; }
		[ -f "$bundle/config.json" ] || { reason="no OCI bundle"; return 1; } ;;
	nspawn)
		command -v systemd-nspawn >/dev/null || { reason="not installed (package systemd-container)"; return 1; } ;;
	contained)
		[ -x "$contained" ] || { reason="$contained not built (make)"; return 1; } ;;
	esac
	err=$(peer "$1" </dev/null 2>&1 >/dev/null) && rc=0 || rc=$?
	if [ "$rc" -ne 0 ]; then
		reason="fails (exit $rc): $(printf '%s\n' "$err" | grep . | tail -n 1)"
		return 1
	fi
}

# --- statistics -----------------------------------------------------------------------
# median FILE FIELD [SCALE]: median of a column of the timer's output, divided by SCALE.
median() {
	awk -v f="$2" '{ print $f }' "$1" | sort -n | awk -v s="${3:-1}" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.3f\n", m / s
		}'
}
failures() { awk '$3 != 0 { n++ } END { print n + 0 }' "$1"; }

# ======================================================================================
echo "contained start-up benchmark  ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "host: $(uname -sr), $(nproc) CPUs, cgroups $cgroups"
[ -z "$notes" ] || echo "note: $notes"
echo "rootfs: $rootfs ($(du -sh "$rootfs" | cut -f1), busybox)"
echo

peers=
for p in unshare unshare-net bwrap bwrap-all crun runc nspawn contained floor; do
	if usable $p; then
		peers="$peers $p"
	else
		printf '  skipped: %-34s %s\n' "$(label $p)" "$reason"
	fi
done
peers=${peers# }
case " $peers " in
*" unshare "*) ;;
*) die "the baseline (unshare -fpmiu chroot) cannot run here" ;;
esac
have_contained=0
case " $peers " in *" contained "*) have_contained=1 ;; esac

# --- 1. round-robin table ----------------------------------------------------------------
verdicts=
rep=1
while [ $rep -le $REPS ]; do
	order=$peers
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		for p in $order; do
			peer "$p" "$timer" once >> "$data/$p.$rep"
		done
		# rotate: the first peer of this round goes last in the next
		first=${order%% *}
		rest=${order#* }
		[ "$rest" = "$order" ] || order="$rest $first"
		r=$((r + 1))
	done

	base=$(median "$data/unshare.$rep" 1 1000000)
	echo
	echo "== round-robin, $ROUNDS rounds, repetition $rep of $REPS =="
	printf '  %-34s %10s %12s %13s %6s\n' peer "median ms" "x baseline" "peak RSS MB" fails
	for p in $peers; do
		ms=$(median "$data/$p.$rep" 1 1000000)
		rss=$(median "$data/$p.$rep" 2 1024)
		awk -v l="$(label "$p")" -v ms="$ms" -v b="$base" -v rss="$rss" -v f="$(failures "$data/$p.$rep")" \
			'BEGIN { printf "  %-34s %10.2f %11.2fx %13.1f %6d\n", l, ms, ms / b, rss, f }'
	done
	if [ $have_contained -eq 1 ]; then
		ms=$(median "$data/contained.$rep" 1 1000000)
		fl=nan
		[ ! -s "$data/floor.$rep" ] || fl=$(median "$data/floor.$rep" 1 1000000)
		verdicts="$verdicts$(awk -v ms="$ms" -v b="$base" -v fl="$fl" -v rep=$rep 'BEGIN {
			r = ms / b
			printf "  repetition %d: contained %.2f ms = %.2fx baseline: %s 0.75x", rep, ms, r, (r <= 0.75) ? "meets" : "does NOT meet"
			if (fl != "nan")
				printf " (floor %.2fx; contained is %.2f ms above it)", fl / b, ms - fl
		}')
"
	fi
	rep=$((rep + 1))
done

if [ $have_contained -eq 0 ]; then
	echo
	echo "contained is skipped ($contained not usable): no growth measurements."
	echo "contained vs 0.75x baseline: not measured"
	exit 0
fi

# --- 2. growth --------------------------------------------------------------------------
# xrounds TAG1 PEER1 ROOTFS1 [TAG2 PEER2 ROOTFS2 ...]: XROUNDS interleaved
# rounds, one run of each (tag, peer, rootfs) triple per round, the order
# rotated by one triple every round.  Results go to $data/x.TAG.
# A ROOTFS written "PATH@MNTNS" runs in the mount namespace held at MNTNS.
xrounds() {
	ntriples=$(($# / 3))
	xr=0
	while [ $xr -lt "$XROUNDS" ]; do
		i=0
		while [ $i -lt $ntriples ]; do
			saved=$rootfs
			rootfs=${3%@*}
			if [ "$rootfs" = "$3" ]; then
				peer "$2" "$timer" once >> "$data/x.$1"
			else
				peer "$2" "$timer" -n "${3#*@}" once >> "$data/x.$1"
			fi
			rootfs=$saved
			set -- "$@" "$1" "$2" "$3"
			shift 3
			i=$((i + 1))
		done
		set -- "$@" "$1" "$2" "$3"
		shift 3
		xr=$((xr + 1))
	done
}
# row LABEL TAG_A TAG_B: medians of two conditions and the difference.
row() {
	a=$(median "$data/x.$2" 1 1000000)
	b=$(median "$data/x.$3" 1 1000000)
	awk -v l="$1" -v a="$a" -v b="$b" -v fa="$(failures "$data/x.$2")" -v fb="$(failures "$data/x.$3")" \
		'BEGIN { printf "  %-34s %10.2f %10.2f %+10.2f %6d\n", l, a, b, b - a, fa + fb }'
}

echo
echo "== rootfs size, $XROUNDS rounds (median ms) =="
cp -a "$rootfs" "$bigroot"
pad_ok=1
fallocate -l 500M "$bigroot/pad" 2>/dev/null ||
	dd if=/dev/zero of="$bigroot/pad" bs=1M count=500 status=none 2>/dev/null || pad_ok=0
if [ $pad_ok -eq 1 ]; then
	small=$(du -sh "$rootfs" | cut -f1)
	big=$(du -sh "$bigroot" | cut -f1)
	xrounds us unshare "$rootfs" ub unshare "$bigroot" cs contained "$rootfs" cb contained "$bigroot"
	printf '  %-34s %10s %10s %10s %6s\n' "" "$small" "$big" "growth" fails
	row "$(label unshare)" us ub
	row "$(label contained)" cs cb
else
	echo "  skipped: cannot write a 500 MB file in $build"
fi
rm -rf "$bigroot"

echo
echo "== extra mounts in the starting mount namespace, $XROUNDS rounds (median ms) =="
# Two mount namespaces, kept alive by binding them onto files (unshare
# --mount=FILE), one with 20 and one with 500 extra tmpfs mounts; the timer
# joins one before each run, so both conditions are measured interleaved.
# mkns FILE N.  The bind mount of the new namespace onto FILE now and then
# fails with EINVAL on the first try (seen on 6.18), so it is retried.
mkns() {
	tries=0
	until mkns_once "$1" "$2"; do
		tries=$((tries + 1))
		[ $tries -lt 5 ] || die "cannot create a mount namespace at $1"
		sleep 0.1
	done
}
mkns_once() {
	: > "$1"
	# shellcheck disable=SC2016   # expanded by the inner sh
	unshare --mount="$1" --propagation private sh -c '
		mount -t tmpfs -o size=64k,mode=0755 bench-mounts "$0" || exit 1
		i=1
		while [ $i -lt "$1" ]; do
			mkdir "$0/$i"
			mount -t tmpfs -o size=4k,mode=0755 bench "$0/$i" || exit 1
			i=$((i + 1))
		done' "$mnt" "$2" 2>/dev/null
}
n0=$(wc -l < /proc/self/mountinfo)
mkdir -p "$mnt"
mkns "$state/ns20" 20
mkns "$state/ns500" 500
n20=$(nsenter --mount="$state/ns20" cat /proc/self/mountinfo | wc -l)
n500=$(nsenter --mount="$state/ns500" cat /proc/self/mountinfo | wc -l)
xrounds u20 unshare "$rootfs@$state/ns20" u500 unshare "$rootfs@$state/ns500" \
	c20 contained "$rootfs@$state/ns20" c500 contained "$rootfs@$state/ns500"
printf '  %-34s %10s %10s %10s %6s\n' "" "+20" "+500" "growth" fails
row "$(label unshare)" u20 u500
row "$(label contained)" c20 c500
echo "  (mount table: $n0 entries without, $n20 and $n500 with the extra mounts)"
umount "$state/ns20" "$state/ns500"
rmdir "$mnt"

echo
echo "== concurrent launches, $PAR_N runs each (runs/s) =="
printf '  %-34s %10s %10s %10s %6s\n' "" "1 at once" "20 at once" "speed-up" fails
for p in unshare contained; do
	# shellcheck disable=SC2046   # split "<ns> <failures>" into $1 $2
	set -- $(peer $p "$timer" par 1 "$PAR_N")
	w1=$1 f1=$2
	# shellcheck disable=SC2046
	set -- $(peer $p "$timer" par 20 "$PAR_N")
	w20=$1 f20=$2
	awk -v l="$(label $p)" -v n="$PAR_N" -v a="$w1" -v b="$w20" -v f=$((f1 + f20)) 'BEGIN {
		r1 = n / (a / 1e9); r20 = n / (b / 1e9)
		printf "  %-34s %10.0f %10.0f %9.2fx %6d\n", l, r1, r20, r20 / r1, f
	}'
done

echo
echo "== where contained's time goes: its stages, timed by contained -v, $XROUNDS runs (median ms) =="
# Each stage line "=> doing something..." is closed by "   done (N ms)."
# in -v mode.  Names lose their digits (pids, generated names) and the
# cgroup's random suffix (and "removing cgroup NAME" its whole name) so
# that runs add up.  -v also prints every system call, so a stage that makes
# many (the /proc masks) looks slower than it is in a plain launch.
r=0
: > "$data/stages"
while [ $r -lt "$XROUNDS" ]; do
	"$contained" -v -H benchbox -m "$rootfs" -u 0 -c /bin/true 2>&1 >/dev/null |
		awk '
			/^=> .*\.\.\.$/ { name = substr($0, 4, length($0) - 6); sub(/\.[0-9a-f]+ \(cgroup/, ".ID (cgroup", name); sub(/^removing cgroup .*/, "removing cgroup NAME", name); gsub(/[0-9]+/, "N", name); order++ }
			/^   done \(/ && name != "" { ms = $2; sub(/^\(/, "", ms); printf "%03d\t%s\t%s\n", order, name, ms; name = "" }
		' >> "$data/stages"
	r=$((r + 1))
done
sort -t "$(printf '\t')" -k1,1n -k3,3n "$data/stages" | awk -F '\t' '
	{ key = $1 "\t" $2; if (!(key in n)) keys[++k] = key; v[key, ++n[key]] = $3 }
	END {
		for (i = 1; i <= k; i++) {
			key = keys[i]; split(key, f, "\t")
			m = v[key, int((n[key] + 1) / 2)]
			total += m
			printf "  %-72.72s %7.2f\n", f[2], m
		}
		printf "  %-72s %7.2f\n", "sum of the stages", total
	}'
ms=$(median "$data/contained.1" 1 1000000)
echo "  (a whole plain launch took $ms ms in the round-robin above; the rest is"
echo "  starting the launcher, exec'ing /bin/true, and tearing the container down)"

echo
echo "contained vs the 0.75x baseline goal:"
printf '%s' "$verdicts"
