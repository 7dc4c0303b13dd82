/*
 * io_uring - a second syscall interface: requests in a shared ring run
 * inside the kernel without passing the seccomp filter again, and it has
 * been a rich source of kernel bugs.  The filter denies setup, enter and
 * register.  Unfiltered, setup succeeds and the others fail with EBADF.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/io_uring.h>

int main(void)
{
	probe_init();
	long rc;
	int err;

	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	errno = 0;
	rc = syscall(SYS_io_uring_setup, 4, &p);
	err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("io_uring_setup(4 entries)", rc, err);

	errno = 0;
	rc = syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	expect_eperm("io_uring_enter(bad fd)", rc, errno);

	errno = 0;
	rc = syscall(SYS_io_uring_register, -1, 0, NULL, 0);
	expect_eperm("io_uring_register(bad fd)", rc, errno);

	return probe_exit();
}
