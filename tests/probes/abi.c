/*
 * Foreign syscall ABIs - an x86-64 process can still enter the kernel
 * through the i386 gate (int $0x80, different syscall numbers) and, on
 * kernels built with it, the x32 ABI (number | 0x40000000).  A filter that
 * only knows the x86-64 numbers would let those through unfiltered, so
 * they must be killed or refused with an error.  Each attempt runs in a
 * forked child; a child killed by a signal is blocked, a child whose call
 * returned an error is blocked, a call that worked has escaped.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sched.h>
#include <sys/mman.h>
#include <linux/keyctl.h>

#define X32_BIT 0x40000000L

/* i386 syscall numbers */
#define I386_getpid 20
#define I386_chmod 15
#define I386_keyctl 288
#define I386_unshare 310

static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return (int)ret; /* the i386 ABI returns a 32-bit value */
}

struct attempt {
	const char *what;
	int i386;        /* 1: int $0x80, 0: x32 */
	long nr, a, b, c;
	int getpid;      /* success means returning our pid */
};

static int pipefd[2];

static int try(void *arg)
{
	const struct attempt *a = arg;
	long rc;
	if (a->i386) {
		rc = int80(a->nr, a->a, a->b, a->c);
		if (rc < 0 && rc > -4096) {
			errno = -rc;
			rc = -1;
		}
	} else {
		errno = 0;
		rc = syscall(a->nr, a->a, a->b, a->c);
	}
	long report[2] = { rc, rc < 0 ? errno : 0 };
	if (write(pipefd[1], report, sizeof report) != sizeof report)
		return 3;
	return 0;
}

int main(void)
{
	probe_init();

	/* int $0x80 passes 32-bit pointers: keep the path below 4 GiB. */
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		probe_fail("mmap MAP_32BIT: %s", strerror(errno));
	char *path = scratch_file("suid");
	snprintf(low, 4096, "%s", path);
	int fd = open(low, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		probe_fail("create %s: %s", low, strerror(errno));
	close(fd);

	const struct attempt attempts[] = {
		{ "i386 int $0x80 getpid", 1, I386_getpid, 0, 0, 0, 1 },
		{ "i386 int $0x80 unshare(CLONE_NEWUSER)", 1, I386_unshare, CLONE_NEWUSER, 0, 0, 0 },
		{ "i386 int $0x80 keyctl(KEYCTL_GET_KEYRING_ID)", 1, I386_keyctl,
		  KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0 },
		{ "i386 int $0x80 chmod(S_ISUID)", 1, I386_chmod, (long)low, S_ISUID | 0755, 0, 0 },
		{ "x32 getpid", 0, X32_BIT | SYS_getpid, 0, 0, 0, 1 },
		{ "x32 unshare(CLONE_NEWUSER)", 0, X32_BIT | SYS_unshare, CLONE_NEWUSER, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
		const struct attempt *a = &attempts[i];
		if (pipe(pipefd) < 0)
			probe_fail("pipe: %s", strerror(errno));
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			probe_fail("fork: %s", strerror(errno));
		if (pid == 0) {
			close(pipefd[0]);
			_exit(try((void *)a));
		}
		close(pipefd[1]);
		long report[2];
		ssize_t n = read(pipefd[0], report, sizeof report);
		close(pipefd[0]);
		int st;
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st)) {
			int sig = WTERMSIG(st);
			blocked("%s (killed by SIG%s%s)", a->what, sigabbrev_np(sig),
				sig == SIGSEGV && a->i386 ? ": this kernel has no int $0x80 gate" : "");
		} else if (n != sizeof report) {
			probe_fail("%s: child exited %d without a report", a->what, WEXITSTATUS(st));
		} else if (report[0] >= 0) {
			if (a->getpid && report[0] != pid)
				probe_fail("%s: returned %ld, not the child's pid %d",
					   a->what, report[0], pid);
			escaped("%s (succeeded, returned %ld)", a->what, report[0]);
		} else {
			blocked("%s (%s)", a->what, errname(report[1]));
		}
	}

	struct stat st;
	if (stat(low, &st) == 0 && (st.st_mode & S_ISUID))
		escaped("i386 chmod left the file setuid (mode %04o)", st.st_mode & 07777);
	return probe_exit();
}
