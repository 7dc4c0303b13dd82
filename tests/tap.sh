# tap.sh - the reporting shared by the shell test scripts, sourced by them:
# one "ok - NAME" or "not ok - NAME" line per check, the reasons below it as
# "#   ..." lines, and a closing "N passed, N failed".  POSIX sh, so that it
# also runs under busybox in the cgroup v2 VM.

passed=0
failed=0

pass() {
	passed=$((passed + 1))
	echo "ok - $1"
}

# fail NAME [REASON...]
fail() {
	failed=$((failed + 1))
	echo "not ok - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
}

# The closing line; true when nothing failed.
summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
