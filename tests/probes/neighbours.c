/*
 * Harmless neighbours of the denied calls - the security rules must not
 * break ordinary programs.  Prints `OK <what>` or `BROKEN <what> (<why>)`
 * per check; exit 0 when all are OK, 1 otherwise, 2 on a probe error.
 *
 *   chmod 0644 and fchmodat2 without setuid bits (the chmod rules look at
 *   S_ISUID/S_ISGID only), TIOCGWINSZ, TIOCSWINSZ, FIONREAD and TCGETS on a
 *   pty (the TIOCSTI rule matches one request exactly), threads (glibc
 *   tries clone3 first and must fall back to clone on ENOSYS), fork + exec,
 *   clone and unshare without CLONE_NEWUSER.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <termios.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static int broken;

static __attribute__((format(printf, 2, 3))) void verdict(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(ok ? "OK " : "BROKEN ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	if (!ok)
		broken++;
}

static void *worker(void *arg)
{
	long *n = arg;
	*n *= 2;
	return arg;
}

static int clone_child(void *arg)
{
	(void)arg;
	return 0;
}

static int do_unshare_files(void *arg)
{
	(void)arg;
	return syscall(SYS_unshare, CLONE_FILES) == 0 ? 0 : 100 + (errno & 0x7f);
}

int main(void)
{
	probe_init();
	struct stat st;

	/* chmod without setuid bits */
	char *file = scratch_file("plain");
	int fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		probe_fail("create %s: %s", file, strerror(errno));
	close(fd);
	int rc = chmod(file, 0644);
	verdict(rc == 0 && stat(file, &st) == 0 && (st.st_mode & 07777) == 0644,
		"chmod 0644 (%s)", rc == 0 ? "done" : errname(errno));
	/* fchmodat2 arrived in Linux 6.6: ENOSYS is the kernel's answer before
	 * that (the filter's refusals are EPERM). */
	long lrc = syscall(SYS_fchmodat2, AT_FDCWD, file, 0600, 0);
	int err = errno;
	if (lrc < 0 && err == ENOSYS)
		verdict(1, "fchmodat2 0600 (ENOSYS: not in this kernel)");
	else
		verdict(lrc == 0 && stat(file, &st) == 0 && (st.st_mode & 07777) == 0600,
			"fchmodat2 0600 (%s)", lrc == 0 ? "done" : errname(err));

	/* terminal ioctls on a pty of our own */
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		probe_fail("open a pty: %s", strerror(errno));
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		probe_fail("open pty slave: %s", strerror(errno));
	struct winsize ws = { .ws_row = 42, .ws_col = 132 };
	rc = ioctl(master, TIOCSWINSZ, &ws);
	verdict(rc == 0, "TIOCSWINSZ (%s)", rc == 0 ? "done" : errname(errno));
	memset(&ws, 0, sizeof ws);
	rc = ioctl(slave, TIOCGWINSZ, &ws);
	verdict(rc == 0 && ws.ws_row == 42 && ws.ws_col == 132, "TIOCGWINSZ (%s, %ux%u)",
		rc == 0 ? "done" : errname(errno), ws.ws_col, ws.ws_row);
	if (write(master, "hi\n", 3) != 3)
		probe_fail("write to pty: %s", strerror(errno));
	int avail = -1;
	for (int i = 0; i < 100 && avail <= 0; i++) {
		rc = ioctl(slave, FIONREAD, &avail);
		if (rc < 0)
			break;
		if (avail <= 0)
			usleep(10000);
	}
	verdict(rc == 0 && avail > 0, "FIONREAD (%s, %d bytes waiting)",
		rc == 0 ? "done" : errname(errno), avail);
	struct termios tio;
	rc = tcgetattr(slave, &tio);
	verdict(rc == 0, "TCGETS (%s)", rc == 0 ? "done" : errname(errno));
	close(slave);
	close(master);

	/* threads: pthread_create tries clone3 first */
	pthread_t th[4];
	long vals[4];
	int made = 0, joined = 0;
	err = 0;
	for (int i = 0; i < 4; i++) {
		vals[i] = i + 1;
		err = pthread_create(&th[i], NULL, worker, &vals[i]);
		if (err)
			break;
		made++;
	}
	for (int i = 0; i < made; i++)
		if (pthread_join(th[i], NULL) == 0 && vals[i] == 2 * (i + 1))
			joined++;
	verdict(made == 4 && joined == 4, "threads (%d created, %d joined%s%s)", made, joined,
		err ? ", pthread_create: " : "", err ? errname(err) : "");

	/* fork + exec */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	verdict(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"fork + exec /bin/true (%s, status %d)", pid > 0 ? "forked" : errname(errno),
		status);

	/* clone without CLONE_NEWUSER (a thread-less fork through clone(2)) */
	static char stack[65536];
	fflush(stdout);
	pid = clone(clone_child, stack + sizeof stack, SIGCHLD, NULL);
	status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	verdict(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"clone(SIGCHLD) (%s)", pid > 0 ? "done" : errname(errno));

	/* unshare without CLONE_NEWUSER */
	status = in_child(do_unshare_files, NULL);
	verdict(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unshare(CLONE_FILES) (%s)",
		!WIFEXITED(status)	     ? "killed"
		: WEXITSTATUS(status) == 0 ? "done"
					   : errname(WEXITSTATUS(status) - 100));

	return broken ? 1 : 0;
}
