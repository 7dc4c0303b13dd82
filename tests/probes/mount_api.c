/*
 * The new mount API (fsopen, fsconfig, fsmount, fspick, open_tree,
 * move_mount, mount_setattr) - a second road to everything mount(2) does,
 * with file descriptors the classic rules never see.  The filter denies
 * all seven.  Each attempt is harmless unfiltered: fsopen and fspick only
 * return a configuration fd, open_tree without OPEN_TREE_CLONE only an
 * O_PATH fd, and the others fail on a bad fd or size before doing anything.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

#ifndef SYS_fsopen
#define SYS_open_tree 428
#define SYS_move_mount 429
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#define SYS_fspick 433
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

static void attempt(const char *what, long rc, int err)
{
	if (rc >= 0)
		close(rc);
	expect_eperm(what, rc, err);
}

int main(void)
{
	probe_init();
	long rc;

	errno = 0;
	rc = syscall(SYS_fsopen, "tmpfs", 0);
	attempt("fsopen(tmpfs)", rc, errno);

	errno = 0;
	rc = syscall(SYS_fsconfig, -1, 0 /* FSCONFIG_SET_FLAG */, "ro", NULL, 0);
	attempt("fsconfig(bad fd)", rc, errno);

	errno = 0;
	rc = syscall(SYS_fsmount, -1, 0, 0);
	attempt("fsmount(bad fd)", rc, errno);

	errno = 0;
	rc = syscall(SYS_fspick, AT_FDCWD, "/", 0);
	attempt("fspick(\"/\")", rc, errno);

	errno = 0;
	rc = syscall(SYS_open_tree, AT_FDCWD, "/", 0);
	attempt("open_tree(\"/\")", rc, errno);

	errno = 0;
	rc = syscall(SYS_move_mount, -1, "", -1, "", 0);
	attempt("move_mount(bad fds)", rc, errno);

	errno = 0;
	rc = syscall(SYS_mount_setattr, -1, "", 0, NULL, 0);
	attempt("mount_setattr(size 0)", rc, errno);

	return probe_exit();
}
