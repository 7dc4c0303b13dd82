/*
 * lockhold - a command that tries to keep its cgroup alive after its
 * launcher is gone: it clears its parent-death signal, and a child of it
 * opens every cgroup directory the container can see (/sys/fs/cgroup and
 * the directories in it) and waits for a shared flock(2) on each.  If a
 * launcher's "I am alive" lock were a lock on those directories, the child
 * would get it the moment the launcher died, and a sweep would take the
 * cgroup for a live one.  For test_hostile.
 *
 *     lockhold [SECONDS]
 *
 * Prints "lockhold ready" and sleeps SECONDS (default 300).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>

static void hold(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd >= 0)
		flock(fd, LOCK_SH);     /* blocks while someone holds LOCK_EX */
}

int main(int argc, char **argv)
{
	unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 300;
	prctl(PR_SET_PDEATHSIG, 0);
	if (fork() == 0) {
		char path[512];
		DIR *d = opendir("/sys/fs/cgroup");
		struct dirent *e;
		hold("/sys/fs/cgroup");
		while (d && (e = readdir(d)))
			if (e->d_type == DT_DIR && e->d_name[0] != '.') {
				snprintf(path, sizeof path, "/sys/fs/cgroup/%s", e->d_name);
				hold(path);
			}
		for (;;)
			pause();
	}
	printf("lockhold ready\n");
	fflush(stdout);
	while (seconds > 0)
		seconds = sleep(seconds);
	return 0;
}
