/*
 * swapon / swapoff - change the whole machine's memory.  The filter denies
 * both; the path does not exist, so unfiltered root only gets ENOENT.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	long rc;

	errno = 0;
	rc = syscall(SYS_swapon, "/contained-probe-absent", 0);
	expect_eperm("swapon(absent file)", rc, errno);

	errno = 0;
	rc = syscall(SYS_swapoff, "/contained-probe-absent");
	expect_eperm("swapoff(absent file)", rc, errno);

	return probe_exit();
}
