/*
 * inotify_hog SECONDS - open inotify instances until the kernel refuses one,
 * print "opened N (ERRNO)" and "holding", then keep them open for SECONDS
 * while the test checks, from the host, that root can still open one: the
 * per-user limit (fs.inotify.max_user_instances) must be charged to the
 * container's own host uid, not to host root.  Neighbour: a normal watch on
 * a directory works ("OK" line).
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/inotify.h>

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 5;
	int fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, "/", IN_CREATE) < 0) {
		printf("BROKEN a watch on / (%s)\n", errname(errno));
		return 1;
	}
	printf("OK a watch on /\n");
	int n = 1;
	while (inotify_init1(IN_CLOEXEC) >= 0)
		n++;
	printf("opened %d (%s)\nholding\n", n, errname(errno));
	fflush(stdout);
	sleep(seconds);
	return 0;
}
