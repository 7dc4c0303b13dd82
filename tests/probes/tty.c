/*
 * Terminal injection - TIOCSTI pushes characters into a terminal's input
 * queue as if typed, and TIOCLINUX (console selection paste) can do the
 * same on a virtual console.  A container holding the caller's terminal
 * would type commands into the caller's shell once it exits.  The filter
 * denies both ioctls, matching the request on its low 32 bits: the kernel
 * ignores the upper half of the 64-bit register, so TIOCSTI | 1<<32 is
 * still TIOCSTI to the kernel and must be denied too.
 *
 * The probe opens a pty of its own and makes it the controlling terminal
 * of a new session, so the kernel itself would accept TIOCSTI; TIOCLINUX on
 * a pty gets ENOTTY/EINVAL from the kernel.  EPERM can only come from the
 * filter.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/ioctl.h>
#include <termios.h>

static int attempts(void *arg)
{
	(void)arg;
	/* Closing the pty hangs up our own session: not a verdict. */
	signal(SIGHUP, SIG_IGN);
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		probe_fail("open /dev/ptmx: %s", strerror(errno));
	if (grantpt(master) < 0 || unlockpt(master) < 0)
		probe_fail("unlock pty: %s", strerror(errno));
	const char *name = ptsname(master);
	if (!name)
		probe_fail("ptsname: %s", strerror(errno));
	if (setsid() < 0)
		probe_fail("setsid: %s", strerror(errno));
	/* Opened without O_NOCTTY by a session leader: our controlling tty. */
	int slave = open(name, O_RDWR | O_CLOEXEC);
	if (slave < 0)
		probe_fail("open %s: %s", name, strerror(errno));
	ioctl(slave, TIOCSCTTY, 0);

	static const struct {
		const char *what;
		unsigned long req;
	} reqs[] = {
		{ "ioctl(TIOCSTI)", TIOCSTI },
		{ "ioctl(TIOCSTI | 1<<32)", TIOCSTI | (1UL << 32) },
		{ "ioctl(TIOCSTI | 0xffffffff<<32)", TIOCSTI | 0xffffffff00000000UL },
		{ "ioctl(TIOCLINUX)", TIOCLINUX },
		{ "ioctl(TIOCLINUX | 1<<32)", TIOCLINUX | (1UL << 32) },
	};
	for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		char arg[8] = { '#', 0 };
		if (reqs[i].req == TIOCLINUX || (reqs[i].req & 0xffffffffUL) == TIOCLINUX)
			arg[0] = 6; /* TIOCL_GETSHIFTSTATE */
		errno = 0;
		long rc = syscall(SYS_ioctl, slave, reqs[i].req, arg);
		expect_eperm(reqs[i].what, rc, errno);
	}
	close(slave);
	close(master);
	return probe_exit();
}

int main(void)
{
	probe_init();
	/* setsid() needs a process that is not a group leader: a child. */
	int st = in_child(attempts, NULL);
	if (!WIFEXITED(st))
		probe_fail("child killed by signal %d", WTERMSIG(st));
	return WEXITSTATUS(st);
}
