/*
 * kexec_load / kexec_file_load - replace the running kernel.  The filter
 * denies both, even on kernels built without kexec (where the kernel would
 * say ENOSYS): the filter must not depend on what this kernel happens to
 * lack.  The arguments carry an invalid flag, so even real root on a host
 * with kexec only gets EINVAL: nothing is ever loaded or unloaded.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	long rc;

	errno = 0;
	rc = syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x8000UL);
	expect_eperm("kexec_load(invalid flag)", rc, errno);

	errno = 0;
	rc = syscall(SYS_kexec_file_load, -1, -1, 0UL, "", ~0UL);
	expect_eperm("kexec_file_load(invalid flags)", rc, errno);

	return probe_exit();
}
