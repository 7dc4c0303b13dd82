/*
 * Reaching into another process without ptrace - process_vm_readv and
 * process_vm_writev copy another process's memory, pidfd_getfd copies one
 * of its descriptors, kcmp compares its kernel objects with ours, and
 * process_madvise pages out its memory.  The kernel allows each on a
 * process we could ptrace, which includes our own, and the filter denies
 * them with ptrace.  Every attempt aims at the probe itself, which the
 * kernel always grants, so EPERM can only come from the filter.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/kcmp.h>
#include <sys/mman.h>
#include <sys/uio.h>

int main(void)
{
	probe_init();
	pid_t self = getpid();
	char src[16] = "secret", dst[16] = "";
	struct iovec local = { dst, sizeof dst }, remote = { src, sizeof src };
	long rc;

	errno = 0;
	rc = syscall(SYS_process_vm_readv, self, &local, 1UL, &remote, 1UL, 0UL);
	expect_eperm("process_vm_readv(self)", rc, errno);

	errno = 0;
	rc = syscall(SYS_process_vm_writev, self, &remote, 1UL, &local, 1UL, 0UL);
	expect_eperm("process_vm_writev(self)", rc, errno);

	int pidfd = syscall(SYS_pidfd_open, self, 0);
	if (pidfd < 0)
		probe_fail("pidfd_open: %s", strerror(errno));
	errno = 0;
	rc = syscall(SYS_pidfd_getfd, pidfd, 1, 0);
	int err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("pidfd_getfd(self, 1)", rc, err);

	errno = 0;
	rc = syscall(SYS_kcmp, self, self, KCMP_FILE, 1UL, 1UL);
	expect_eperm("kcmp(self, self, KCMP_FILE)", rc, errno);

	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		probe_fail("mmap: %s", strerror(errno));
	struct iovec range = { page, 4096 };
	errno = 0;
	rc = syscall(SYS_process_madvise, pidfd, &range, 1UL, MADV_COLD, 0U);
	expect_eperm("process_madvise(self, MADV_COLD)", rc, errno);

	close(pidfd);
	return probe_exit();
}
