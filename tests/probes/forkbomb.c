/*
 * forkbomb - fork children until fork fails, for the pids limit tests of
 * contained.
 *
 *     forkbomb [MAX [HOLD_SECONDS]]
 *
 * Forks up to MAX children (default 100), each of which just waits to be
 * killed, and stops at the first failing fork.  It then prints one line
 *
 *     forks=N errno=E (NAME)
 *
 * N being the number of successful forks and E the errno of the first
 * failure (0 and "none" if all MAX succeeded), keeps the children alive for
 * HOLD_SECONDS (default 0) so that the limit stays exhausted while the host
 * is probed, then kills and reaps them and exits 0.  MAX keeps it from
 * becoming a real fork bomb when no limit holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "none";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	default: return "other";
	}
}

int main(int argc, char **argv)
{
	int max = argc > 1 ? atoi(argv[1]) : 100;
	int hold = argc > 2 ? atoi(argv[2]) : 0;
	if (max <= 0 || max > 10000 || hold < 0) {
		fprintf(stderr, "usage: forkbomb [MAX [HOLD_SECONDS]]\n");
		return 2;
	}

	pid_t *kids = calloc(max, sizeof *kids);
	if (!kids)
		return 1;
	int n = 0, err = 0;
	while (n < max) {
		pid_t pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			/* Die with the parent whatever happens to it. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		kids[n++] = pid;
	}

	printf("forks=%d errno=%d (%s)\n", n, err, errno_name(err));
	fflush(stdout);
	if (hold)
		sleep(hold);

	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return 0;
}
