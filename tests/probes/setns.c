/*
 * setns - joining another namespace (through an fd that leaked in, or a
 * /proc/<pid>/ns file) is how a container walks back into the host.  The
 * filter denies it.  Unfiltered, a bad fd gives EBADF and re-joining our
 * own user namespace gives EINVAL.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sched.h>

int main(void)
{
	probe_init();
	long rc;
	int err;

	errno = 0;
	rc = syscall(SYS_setns, -1, 0);
	expect_eperm("setns(bad fd)", rc, errno);

	int fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		probe_fail("open /proc/self/ns/user: %s", strerror(errno));
	errno = 0;
	rc = syscall(SYS_setns, fd, CLONE_NEWUSER);
	err = errno;
	close(fd);
	expect_eperm("setns(own user namespace)", rc, err);

	return probe_exit();
}
