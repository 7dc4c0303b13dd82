/*
 * perf_event_open - a large kernel attack surface and a side channel on
 * the rest of the machine.  A software clock counting only our own user
 * time is allowed by the kernel at perf_event_paranoid <= 2, so EPERM can
 * only come from the filter.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/perf_event.h>

int main(void)
{
	probe_init();
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_TASK_CLOCK;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	errno = 0;
	long rc = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	int err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("perf_event_open(own task clock)", rc, err);
	return probe_exit();
}
