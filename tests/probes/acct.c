/*
 * acct - process accounting is machine-wide.  The filter denies it; the
 * path does not exist, so unfiltered root only gets ENOENT.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	errno = 0;
	long rc = syscall(SYS_acct, "/contained-probe-absent/acct");
	expect_eperm("acct(absent file)", rc, errno);
	return probe_exit();
}
