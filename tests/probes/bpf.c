/*
 * bpf - loading programs into the kernel; the filter denies every command.
 * An unknown command number gets EINVAL from the kernel, so EPERM on it
 * can only come from the filter.  Creating a small array map is the real
 * thing (the kernel may refuse it too when unprivileged BPF is disabled).
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/bpf.h>

int main(void)
{
	probe_init();
	union bpf_attr attr;
	long rc;
	int err;

	memset(&attr, 0, sizeof attr);
	errno = 0;
	rc = syscall(SYS_bpf, 0x7fff, &attr, sizeof attr);
	err = errno;
	expect_eperm("bpf(unknown command)", rc, err);

	memset(&attr, 0, sizeof attr);
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	errno = 0;
	rc = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
	err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("bpf(BPF_MAP_CREATE array)", rc, err);

	return probe_exit();
}
