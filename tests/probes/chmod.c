/*
 * Setting the setuid/setgid bit - a container that can make a setuid
 * file (on a volume shared with the host, or to use after no_new_privs is
 * gone) plants a privilege escalation.  The filter denies chmod, fchmod,
 * fchmodat and fchmodat2 (Linux 6.6, the one old filters miss) whenever
 * the mode has S_ISUID or S_ISGID.  The file is our own, so the kernel
 * would grant every one of these; EPERM can only come from the filter.
 * After each attempt the file's mode is checked as well.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static const char *file;
static int fd;

static void judge(const char *what, unsigned long mode, long rc, int err)
{
	struct stat st;
	if (stat(file, &st) < 0)
		probe_fail("stat %s: %s", file, strerror(errno));
	unsigned bits = st.st_mode & (S_ISUID | S_ISGID);
	if (bits & mode)
		escaped("%s (the file is now mode %04o)", what, st.st_mode & 07777);
	else
		expect_eperm(what, rc, err);
	/* Back to a plain mode for the next attempt. */
	if (bits && fchmod(fd, 0755) < 0)
		probe_fail("fchmod back: %s", strerror(errno));
}

int main(void)
{
	probe_init();
	file = scratch_file("suid");
	fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		probe_fail("create %s: %s", file, strerror(errno));
	/* The file's group must be ours or the kernel drops S_ISGID itself. */
	if (fchown(fd, -1, getegid()) < 0)
		probe_fail("fchown: %s", strerror(errno));

	static const struct { const char *name; unsigned long bit; } modes[] = {
		{ "S_ISUID", S_ISUID }, { "S_ISGID", S_ISGID },
	};
	char what[96];
	long rc;
	for (size_t i = 0; i < 2; i++) {
		unsigned long mode = modes[i].bit | 0755;

		snprintf(what, sizeof what, "chmod(%s)", modes[i].name);
		errno = 0;
		rc = syscall(SYS_chmod, file, mode);
		judge(what, modes[i].bit, rc, errno);

		snprintf(what, sizeof what, "fchmod(%s)", modes[i].name);
		errno = 0;
		rc = syscall(SYS_fchmod, fd, mode);
		judge(what, modes[i].bit, rc, errno);

		snprintf(what, sizeof what, "fchmodat(%s)", modes[i].name);
		errno = 0;
		rc = syscall(SYS_fchmodat, AT_FDCWD, file, mode);
		judge(what, modes[i].bit, rc, errno);

		snprintf(what, sizeof what, "fchmodat2(%s)", modes[i].name);
		errno = 0;
		rc = syscall(SYS_fchmodat2, AT_FDCWD, file, mode, 0);
		judge(what, modes[i].bit, rc, errno);
	}

	/* The kernel keeps only the low bits of the mode; a filter must still
	 * see S_ISUID when junk is set above them. */
	errno = 0;
	rc = syscall(SYS_chmod, file, (1UL << 32) | S_ISUID | 0755);
	judge("chmod(S_ISUID | 1<<32)", S_ISUID, rc, errno);

	errno = 0;
	rc = syscall(SYS_fchmodat2, AT_FDCWD, file, (0xffffUL << 16) | S_ISUID | 0755, 0);
	judge("fchmodat2(S_ISUID | junk bits 16-31)", S_ISUID, rc, errno);

	close(fd);
	return probe_exit();
}
