/*
 * Mounting - a fresh proc or sysfs shows everything the launcher masked or
 * made read-only, a tmpfs shows the container may mount at all, and
 * remounting "/" (the superblock), /sys or /proc/sys read-write, or
 * unmounting the masks under /proc, undoes the launcher's work.  All of it
 * must fail; any error counts as blocked (the reason is printed).
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/mount.h>

static void try_mount(const char *what, const char *src, const char *dst,
		      const char *type, unsigned long flags, unsigned long undo)
{
	errno = 0;
	if (mount(src, dst, type, flags, NULL) == 0) {
		escaped("%s (succeeded)", what);
		if (undo == (unsigned long)-1)
			umount2(dst, MNT_DETACH);
		else if (undo)
			mount(NULL, dst, NULL, undo, NULL);
	} else {
		blocked("%s (%s)", what, errname(errno));
	}
}

int main(void)
{
	probe_init();
	const char *dir = scratch_dir();

	try_mount("mount proc", "proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, -1);
	try_mount("mount sysfs", "sysfs", dir, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, -1);
	try_mount("mount tmpfs", "tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, -1);
	try_mount("remount / read-write (superblock)", NULL, "/", NULL, MS_REMOUNT, 0);
	try_mount("remount /sys read-write", NULL, "/sys", NULL, MS_REMOUNT | MS_BIND,
		  MS_REMOUNT | MS_BIND | MS_RDONLY);
	try_mount("remount /proc/sys read-write", NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND,
		  MS_REMOUNT | MS_BIND | MS_RDONLY);

	/* Every mount below /proc is a mask (or a read-only bind); try to
	 * lift each one. */
	FILE *mi = fopen("/proc/self/mountinfo", "r");
	if (!mi)
		probe_fail("open /proc/self/mountinfo: %s", strerror(errno));
	char line[4096], point[4096];
	int tried = 0, lifted = 0;
	char report[1024] = "";
	while (fgets(line, sizeof line, mi)) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1)
			continue;
		if (strncmp(point, "/proc/", 6) != 0)
			continue;
		tried++;
		if (umount2(point, MNT_DETACH) == 0) {
			if (!lifted++)
				report[0] = '\0';
			appendf(report, sizeof report, " ", "%s", point);
		} else if (!lifted && tried == 1) {
			snprintf(report, sizeof report, "first refusal: %s", errname(errno));
		}
	}
	fclose(mi);
	if (lifted)
		escaped("umount of the masks under /proc (unmounted %s)", report);
	else if (!tried)
		blocked("umount of the masks under /proc (no mounts under /proc)");
	else
		blocked("umount of the masks under /proc (%d refused, %s)", tried, report);

	return probe_exit();
}
