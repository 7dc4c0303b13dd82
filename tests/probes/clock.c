/*
 * settimeofday / clock_settime / adjtimex - the clock is not namespaced.
 * The filter denies all three.  Unfiltered, these attempts change nothing,
 * and the kernel rejects each with EINVAL before it checks any capability
 * (so EPERM can only come from the filter): a negative tv_usec, setting
 * CLOCK_MONOTONIC, and ADJ_ADJTIME without ADJ_OFFSET_SINGLESHOT.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/timex.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	probe_init();
	long rc;

	struct timeval bad_tv = { .tv_sec = 0, .tv_usec = -1 };
	errno = 0;
	rc = syscall(SYS_settimeofday, &bad_tv, NULL);
	expect_eperm("settimeofday(invalid tv_usec)", rc, errno);

	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	errno = 0;
	rc = syscall(SYS_clock_settime, CLOCK_MONOTONIC, &now);
	expect_eperm("clock_settime(CLOCK_MONOTONIC)", rc, errno);

	struct timex tx;
	memset(&tx, 0, sizeof tx);
	tx.modes = 0x8000; /* the kernel's ADJ_ADJTIME alone: invalid */
	errno = 0;
	rc = syscall(SYS_adjtimex, &tx);
	expect_eperm("adjtimex(invalid modes)", rc, errno);

	return probe_exit();
}
