/*
 * ptrace - tracing is how a process reads and rewrites another one; the
 * filter denies the whole syscall.  Attaching to our own child and
 * PTRACE_TRACEME are both allowed by the kernel for an ordinary process,
 * so only the filter can answer EPERM.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/ptrace.h>

static int traceme(void *arg)
{
	(void)arg;
	errno = 0;
	long rc = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	if (rc == 0)
		return 0;
	return errno == EPERM ? 1 : 100 + (errno & 0x7f);
}

int main(void)
{
	probe_init();

	/* PTRACE_ATTACH to a child of ours that just sleeps. */
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		probe_fail("fork: %s", strerror(errno));
	if (child == 0) {
		for (;;)
			pause();
	}
	errno = 0;
	long rc = ptrace(PTRACE_ATTACH, child, NULL, NULL);
	int err = errno;
	if (rc == 0) {
		waitpid(child, NULL, __WALL);
		ptrace(PTRACE_DETACH, child, NULL, NULL);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	expect_eperm("ptrace(PTRACE_ATTACH, own child)", rc, err);

	/* PTRACE_TRACEME, in a child so that a success does not leave us traced. */
	int st = in_child(traceme, NULL);
	if (!WIFEXITED(st))
		probe_fail("traceme child died with signal %d", WTERMSIG(st));
	if (WEXITSTATUS(st) == 0)
		escaped("ptrace(PTRACE_TRACEME) (succeeded)");
	else if (WEXITSTATUS(st) == 1)
		blocked("ptrace(PTRACE_TRACEME) (EPERM)");
	else
		escaped("ptrace(PTRACE_TRACEME) (not denied by the filter: %s)",
			errname(WEXITSTATUS(st) - 100));

	return probe_exit();
}
