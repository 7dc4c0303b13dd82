/*
 * nopdeath - a command that does not die with its parent: it clears the
 * parent-death signal the launcher set (PR_SET_PDEATHSIG, 0), prints one
 * line, and sleeps.  For test_hostile's launcher-lifetime tests: if this
 * process outlives a launcher killed by SIGKILL, only the parent-death
 * signal was holding the container to its launcher.
 *
 *     nopdeath [SECONDS]
 *
 * Prints "nopdeath ready pid=N pdeathsig=S" (S: the signal now set, 0) and
 * sleeps SECONDS (default 300).  Exits 2 if prctl fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sig = -1;
	unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 300;
	if (prctl(PR_SET_PDEATHSIG, 0) < 0 || prctl(PR_GET_PDEATHSIG, &sig) < 0) {
		perror("nopdeath: prctl");
		return 2;
	}
	printf("nopdeath ready pid=%d pdeathsig=%d\n", (int)getpid(), sig);
	fflush(stdout);
	while (seconds > 0)
		seconds = sleep(seconds);
	return 0;
}
