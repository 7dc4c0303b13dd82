/*
 * personality(2) flags that weaken a process's own defences, and those of
 * everything it runs: ADDR_NO_RANDOMIZE (no address-space randomisation),
 * MMAP_PAGE_ZERO (page zero mapped at exec), READ_IMPLIES_EXEC (readable
 * means executable).  The kernel grants any persona to anyone, so EPERM
 * can only come from the filter.  The filter must also see the flags
 * when other bits are set with them, up to every bit but one, and when
 * junk sits above the 32 bits the kernel reads.
 *
 * The neighbours keep working: PER_LINUX, the query 0xffffffff (every bit
 * set, and it changes nothing), and the personas that only change what
 * uname() reports, PER_LINUX32 (setarch linux32) and UNAME26.
 *
 * Every call runs in a forked child, so that a success changes nothing
 * here; the child reports through its exit code.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/personality.h>

#define QUERY 0xffffffffUL
#define NOT_EPERM 100 /* + errno */

/* 0: set, and the query now reports it; 1: EPERM; else NOT_EPERM + errno
 * or 99 when the call returned but the persona did not change. */
static int set(void *arg)
{
	unsigned long persona = *(unsigned long *)arg;
	errno = 0;
	long rc = syscall(SYS_personality, persona);
	if (rc < 0)
		return errno == EPERM ? 1 : NOT_EPERM + (errno & 0x7f);
	return syscall(SYS_personality, QUERY) == (long)(unsigned)persona ? 0 : 99;
}

static void attempt(const char *what, unsigned long persona)
{
	int st = in_child(set, &persona);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (code < 0)
		probe_fail("%s: child killed by signal %d", what, WTERMSIG(st));
	else if (code == 0)
		escaped("%s (succeeded: the persona is now %#lx)", what, persona & QUERY);
	else if (code == 1)
		blocked("%s (EPERM)", what);
	else if (code == 99)
		escaped("%s (succeeded)", what);
	else
		escaped("%s (not denied by the filter: %s)", what, errname(code - NOT_EPERM));
}

static void neighbour(const char *what, unsigned long persona)
{
	int st = in_child(set, &persona);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	works(code == 0, "%s (%s)", what,
	      code == 0 ? "done" : code == 1 ? "EPERM" : code < 0 ? "killed" : "refused");
}

int main(void)
{
	probe_init();
	attempt("personality(ADDR_NO_RANDOMIZE)", ADDR_NO_RANDOMIZE);
	attempt("personality(MMAP_PAGE_ZERO)", MMAP_PAGE_ZERO);
	attempt("personality(READ_IMPLIES_EXEC)", READ_IMPLIES_EXEC);
	attempt("personality(PER_LINUX32 | ADDR_NO_RANDOMIZE)", PER_LINUX32 | ADDR_NO_RANDOMIZE);
	attempt("personality(MMAP_PAGE_ZERO | 0x80000000)", MMAP_PAGE_ZERO | 0x80000000UL);
	attempt("personality(0xffffffff but bit 0)", QUERY & ~1UL);
	attempt("personality(ADDR_NO_RANDOMIZE | 1<<32)", ADDR_NO_RANDOMIZE | (1UL << 32));

	neighbour("personality(PER_LINUX)", PER_LINUX);
	long now = syscall(SYS_personality, QUERY);
	works(now == PER_LINUX, "personality(0xffffffff), the query (%s%#lx)",
	      now < 0 ? "failed: " : "PER_LINUX is ", now < 0 ? (unsigned long)errno : (unsigned long)now);
	neighbour("personality(PER_LINUX32)", PER_LINUX32);
	neighbour("personality(UNAME26)", UNAME26);
	return probe_exit();
}
