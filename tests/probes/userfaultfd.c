/*
 * userfaultfd - lets a process stall the kernel in the middle of a copy
 * from user memory, a building block of many kernel exploits.  With
 * UFFD_USER_MODE_ONLY the kernel grants it to anyone, so only the filter
 * can answer EPERM.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/userfaultfd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

int main(void)
{
	probe_init();
	errno = 0;
	long rc = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
	int err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("userfaultfd(UFFD_USER_MODE_ONLY)", rc, err);
	return probe_exit();
}
