/*
 * reboot - the filter denies it.  The magic numbers are deliberately
 * wrong, so even real root only gets EINVAL and nothing ever reboots.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	errno = 0;
	long rc = syscall(SYS_reboot, 0x12345678, 0x9abcdef0, 0, NULL);
	expect_eperm("reboot(wrong magic)", rc, errno);
	return probe_exit();
}
