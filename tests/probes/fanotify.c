/*
 * fanotify - watches file access across a filesystem; since Linux 5.13 an
 * ordinary process may set up a limited group, and nothing in a container
 * needs one, so the filter denies fanotify_init.  The attempt asks for that
 * unprivileged kind (notifications with file ids), which the kernel grants,
 * so EPERM can only come from the filter.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/fanotify.h>

int main(void)
{
	probe_init();
	errno = 0;
	long rc = syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);
	int err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID)", rc, err);
	return probe_exit();
}
