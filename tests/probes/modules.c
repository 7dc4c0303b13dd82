/*
 * init_module / finit_module / delete_module - loading code into the
 * kernel.  Denied by the filter even where the kernel has no module
 * support.  The arguments can never load or remove anything: four bytes
 * that are not an ELF image, a bad fd, a module name that does not exist.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	static char image[4] = "xxxx";
	long rc;

	errno = 0;
	rc = syscall(SYS_init_module, image, sizeof image, "");
	expect_eperm("init_module(garbage image)", rc, errno);

	errno = 0;
	rc = syscall(SYS_finit_module, -1, "", 0);
	expect_eperm("finit_module(bad fd)", rc, errno);

	errno = 0;
	rc = syscall(SYS_delete_module, "contained_probe_absent", O_NONBLOCK);
	expect_eperm("delete_module(absent module)", rc, errno);

	return probe_exit();
}
