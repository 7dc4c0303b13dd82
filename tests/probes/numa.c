/*
 * NUMA memory policy calls (mbind, migrate_pages, move_pages,
 * set_mempolicy, set_mempolicy_home_node) - they let a process move memory across the machine's
 * nodes and have had their share of kernel bugs; the filter denies them.
 * Every attempt is a no-op the kernel grants anyone (the default policy,
 * node 0 to node 0, zero pages) or one it refuses otherwise (EINVAL for
 * set_mempolicy_home_node's flags, which must be 0), so EPERM can only
 * come from the filter.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/mman.h>

#define MPOL_DEFAULT 0

int main(void)
{
	probe_init();
	long rc;

	errno = 0;
	rc = syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0UL);
	expect_eperm("set_mempolicy(MPOL_DEFAULT)", rc, errno);

	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		probe_fail("mmap: %s", strerror(errno));
	errno = 0;
	rc = syscall(SYS_mbind, page, 4096UL, MPOL_DEFAULT, NULL, 0UL, 0U);
	expect_eperm("mbind(MPOL_DEFAULT)", rc, errno);

	unsigned long node0[16] = { 1 };
	errno = 0;
	rc = syscall(SYS_migrate_pages, 0, 64UL, node0, node0);
	expect_eperm("migrate_pages(node 0 -> node 0)", rc, errno);

	int status[1];
	errno = 0;
	rc = syscall(SYS_move_pages, 0, 0UL, NULL, NULL, status, 0);
	expect_eperm("move_pages(0 pages)", rc, errno);

	errno = 0;
	rc = syscall(SYS_set_mempolicy_home_node, page, 4096UL, 0UL, 1UL);
	expect_eperm("set_mempolicy_home_node(flags 1)", rc, errno);

	return probe_exit();
}
