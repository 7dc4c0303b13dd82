/*
 * name_to_handle_at / open_by_handle_at - open a file by its handle,
 * bypassing path lookup and so the container's root ("shocker": guess the
 * handle of a host file and open it).  The filter denies both.  Getting
 * the handle of "/" is allowed to anyone by the kernel; opening it is the
 * real attack (the kernel itself refuses it without CAP_DAC_READ_SEARCH);
 * a bad mount fd gets EBADF from recent kernels before any capability
 * check, which tells the filter's answer from the kernel's.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	struct {
		struct file_handle fh;
		unsigned char bytes[128];
	} h;
	int mount_id;
	long rc;
	int err;

	memset(&h, 0, sizeof h);
	h.fh.handle_bytes = sizeof h.bytes;
	errno = 0;
	rc = syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &h.fh, &mount_id, 0);
	err = errno;
	expect_eperm("name_to_handle_at(\"/\")", rc, err);
	if (rc < 0) {
		/* A plausible ext4-style handle: inode 2, generation 0. */
		memset(&h, 0, sizeof h);
		h.fh.handle_bytes = 8;
		h.fh.handle_type = 1;
		h.bytes[0] = 2;
	}

	int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		probe_fail("open /: %s", strerror(errno));
	errno = 0;
	rc = syscall(SYS_open_by_handle_at, root, &h.fh, O_RDONLY | O_CLOEXEC);
	err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("open_by_handle_at(handle of \"/\")", rc, err);
	close(root);

	errno = 0;
	rc = syscall(SYS_open_by_handle_at, -1, &h.fh, O_RDONLY | O_CLOEXEC);
	err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("open_by_handle_at(bad mount fd)", rc, err);

	return probe_exit();
}
