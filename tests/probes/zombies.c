/*
 * zombies - make orphans that die without being waited for, then count the
 * zombies left in this PID namespace, for the init-mode tests of contained.
 *
 *     zombies [N [MAX_WAIT_MS]]
 *
 * Forks N children (default 50).  Each child forks a grandchild and exits at
 * once; the grandchild waits until it has been orphaned (reparented to the
 * namespace's PID 1, since nothing here is a child subreaper) and then exits
 * without anyone waiting for it.  Reaping it is now PID 1's job alone.
 *
 * Every grandchild holds the write end of a pipe, so end-of-file on the
 * read end means all of them have exited.  The program then counts the
 * processes in state Z in /proc/<pid>/stat, every 20 ms until the count is 0
 * or MAX_WAIT_MS (default 2000) have passed, and prints one line
 *
 *     orphans=N zombies=Z
 *
 * followed by a "zombie PID PPID NAME" line for each zombie seen last.  It
 * exits 0 when it ran to the end (whatever Z is) and 1 on a failed fork.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Count the zombies in /proc; if REPORT, print a line for each. */
static int count_zombies(int report)
{
	DIR *d = opendir("/proc");
	if (!d) {
		perror("zombies: /proc");
		exit(1);
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		char path[300], buf[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;               /* gone meanwhile */
		ssize_t len = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "PID (NAME) STATE PPID ...": NAME may hold spaces and ')'. */
		char *close_paren = strrchr(buf, ')');
		if (!close_paren || close_paren[1] != ' ')
			continue;
		char state = close_paren[2];
		if (state != 'Z')
			continue;
		n++;
		if (report) {
			int ppid = atoi(close_paren + 4);
			char *open_paren = strchr(buf, '(');
			*close_paren = '\0';
			printf("zombie %s %d %s\n", e->d_name, ppid,
			       open_paren ? open_paren + 1 : "?");
		}
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	int max_wait_ms = argc > 2 ? atoi(argv[2]) : 2000;
	if (n <= 0 || n > 1000 || max_wait_ms < 0) {
		fprintf(stderr, "usage: zombies [N [MAX_WAIT_MS]]\n");
		return 2;
	}

	int pipefd[2];
	if (pipe(pipefd) < 0) {
		perror("zombies: pipe");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		pid_t child = fork();
		if (child < 0) {
			fprintf(stderr, "zombies: fork %d: %s\n", i, strerror(errno));
			return 1;
		}
		if (child == 0) {
			close(pipefd[0]);
			pid_t me = getpid();
			pid_t grandchild = fork();
			if (grandchild < 0)
				_exit(1);
			if (grandchild == 0) {
				/* Wait (at most ~5 s) for our parent to exit,
				 * so that we die as an orphan. */
				for (int t = 0; t < 5000 && getppid() == me; t++)
					usleep(1000);
				_exit(0);       /* closes the pipe's write end */
			}
			_exit(0);
		}
		int status;
		if (waitpid(child, &status, 0) != child ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "zombies: child %d failed\n", i);
			return 1;
		}
	}
	close(pipefd[1]);
	for (;;) {
		char c;
		ssize_t r = read(pipefd[0], &c, 1);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}

	int zombies = count_zombies(0);
	for (int waited = 0; zombies > 0 && waited < max_wait_ms; waited += 20) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		zombies = count_zombies(0);
	}
	printf("orphans=%d zombies=%d\n", n, zombies);
	if (zombies)
		count_zombies(1);
	return 0;
}
