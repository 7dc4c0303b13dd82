/*
 * New user namespaces - inside a fresh user namespace the process holds
 * every capability again, which opens kernel code (mounting filesystems,
 * netfilter, ...) to it.  The filter denies unshare and clone when their
 * flags contain CLONE_NEWUSER (EPERM), and answers clone3 with ENOSYS:
 * clone3 passes its flags in memory, which seccomp cannot read, and ENOSYS
 * makes libc fall back to clone, where the flags are visible.
 *
 * Every attempt runs in a forked child (a success must not change the
 * probe itself); the child reports through its exit code.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/sched.h>
#include <sched.h>

#define ESUCCESS 0
#define ENOT_EPERM 100 /* + errno */

struct attempt {
	const char *what;
	int kind;            /* 0 unshare, 1 clone, 2 clone3 */
	unsigned long flags;
};

static int try(void *arg)
{
	const struct attempt *a = arg;
	long rc;
	errno = 0;
	switch (a->kind) {
	case 0:
		rc = syscall(SYS_unshare, a->flags);
		break;
	case 1:
		rc = syscall(SYS_clone, a->flags | SIGCHLD, NULL, NULL, NULL, 0UL);
		if (rc == 0)
			syscall(SYS_exit_group, 0);
		break;
	default: {
		struct clone_args ca;
		memset(&ca, 0, sizeof ca);
		ca.flags = a->flags;
		ca.exit_signal = SIGCHLD;
		rc = syscall(SYS_clone3, &ca, sizeof ca);
		if (rc == 0)
			syscall(SYS_exit_group, 0);
		break;
	}
	}
	if (rc > 0)
		waitpid(rc, NULL, 0);
	if (rc >= 0)
		return ESUCCESS;
	return ENOT_EPERM + (errno & 0x7f);
}

int main(void)
{
	probe_init();
	const struct attempt attempts[] = {
		{ "unshare(CLONE_NEWUSER)", 0, CLONE_NEWUSER },
		{ "unshare(CLONE_NEWUSER|CLONE_NEWNS)", 0, CLONE_NEWUSER | CLONE_NEWNS },
		{ "clone(CLONE_NEWUSER)", 1, CLONE_NEWUSER },
		/* the kernel only looks at the low 32 bits of clone's flags */
		{ "clone(CLONE_NEWUSER|1<<32)", 1, CLONE_NEWUSER | (1UL << 32) },
		{ "clone3(CLONE_NEWUSER)", 2, CLONE_NEWUSER },
	};
	for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
		const struct attempt *a = &attempts[i];
		int st = in_child(try, (void *)a);
		if (!WIFEXITED(st)) {
			/* Killed: the call did not go through. */
			blocked("%s (killed by SIG%s)", a->what, sigabbrev_np(WTERMSIG(st)));
			continue;
		}
		int code = WEXITSTATUS(st);
		if (code == ESUCCESS) {
			escaped("%s (succeeded)", a->what);
			continue;
		}
		int err = code - ENOT_EPERM;
		if (a->kind == 2) {
			/* clone3: ENOSYS is the designed answer. */
			if (err == ENOSYS)
				blocked("%s (ENOSYS)", a->what);
			else if (err == EPERM)
				blocked("%s (EPERM, not ENOSYS: libc will not fall back to clone)",
					a->what);
			else
				escaped("%s (not denied by the filter: %s)", a->what, errname(err));
		} else if (err == EPERM) {
			blocked("%s (EPERM)", a->what);
		} else {
			escaped("%s (not denied by the filter: %s)", a->what, errname(err));
		}
	}
	return probe_exit();
}
