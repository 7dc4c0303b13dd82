/*
 * Set-id files made at creation - a file the container creates lands on
 * the host's disk owned by a host id (root for container root, with the
 * idmapped rootfs), so a set-user-ID or set-group-ID file made here is a
 * program that runs as that id for any host user who can reach it.  The
 * chmod probe covers changing a mode; this one covers every call that
 * takes a mode when it makes a file: open, openat, creat (O_CREAT and
 * O_TMPFILE + link), mknod and mknodat with S_IFREG, and openat2, whose
 * mode the filter cannot read and which must answer ENOSYS.  The mode
 * 02745 (set-group-ID, no group-execute) is the form that keeps its bit
 * through later writes.  Last, an existing set-group-ID file without
 * group-execute (made by the test, on the host) must not get chmod g+x.
 *
 * Every attempt would be granted by the kernel (our own directory, our own
 * group), so EPERM can only come from the filter; each file is then looked
 * at on disk.  Files are left in place for the test to inspect from the
 * host.  The harmless neighbours must work: ordinary modes, a sticky
 * directory, mkdir with S_ISGID (which the kernel drops), a FIFO,
 * O_TMPFILE with 0600, and chmod 0755 of the set-group-ID file.
 *
 * Usage: setid DIR EXISTING   (DIR: a fresh directory anyone may write in;
 * EXISTING: a file of ours there, mode 02644)
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/openat2.h>

static const char *dir;

/* DIR/NAME, with NAME's punctuation made '_' ("open_O_CREAT__04755_"). */
static char *path(const char *name)
{
	char *p;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		probe_fail("out of memory");
	for (char *c = p + strlen(dir) + 1; *c; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
		    !(*c >= '0' && *c <= '9') && *c != '-')
			*c = '_';
	return p;
}

/* The attempt on FILE returned RC (a descriptor, closed here) with ERR. */
static void judge(const char *what, const char *file, long rc, int err)
{
	struct stat st;
	if (rc > 2)
		close(rc);    /* a descriptor; mknod returns 0 */
	if (stat(file, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)))
		escaped("%s (%s is mode %04o on disk)", what, file, st.st_mode & 07777);
	else
		expect_eperm(what, rc, err);
}

/* O_TMPFILE makes a nameless file; linking it in names it. */
static long tmpfile_linked(int at, unsigned long mode, const char *file)
{
	long fd = at ? syscall(SYS_openat, AT_FDCWD, dir, O_TMPFILE | O_WRONLY, mode)
		     : syscall(SYS_open, dir, O_TMPFILE | O_WRONLY, mode);
	if (fd < 0)
		return fd;
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%ld", fd);
	linkat(AT_FDCWD, proc, AT_FDCWD, file, AT_SYMLINK_FOLLOW);
	return fd;
}

static void attempts(void)
{
	static const struct { const char *name; unsigned long mode; } modes[] = {
		{ "04755", S_ISUID | 0755 },
		{ "02745", S_ISGID | 0745 },
	};
	char what[128];
	long rc;
	for (size_t i = 0; i < 2; i++) {
		const char *m = modes[i].name;
		unsigned long mode = modes[i].mode;
		char *f;

		snprintf(what, sizeof what, "open(O_CREAT, %s)", m);
		f = path(what);
		errno = 0;
		rc = syscall(SYS_open, f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
		judge(what, f, rc, errno);

		snprintf(what, sizeof what, "openat(O_CREAT, %s)", m);
		f = path(what);
		errno = 0;
		rc = syscall(SYS_openat, AT_FDCWD, f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
		judge(what, f, rc, errno);

		snprintf(what, sizeof what, "creat(%s)", m);
		f = path(what);
		errno = 0;
		rc = syscall(SYS_creat, f, mode);
		judge(what, f, rc, errno);

		snprintf(what, sizeof what, "%s(O_TMPFILE, %s) + linkat", i ? "openat" : "open", m);
		f = path(what);
		errno = 0;
		rc = tmpfile_linked(i, mode, f);
		judge(what, f, rc, errno);

		snprintf(what, sizeof what, "mknod(S_IFREG | %s)", m);
		f = path(what);
		errno = 0;
		rc = syscall(SYS_mknod, f, S_IFREG | mode, 0);
		judge(what, f, rc, errno);

		snprintf(what, sizeof what, "mknodat(S_IFREG | %s)", m);
		f = path(what);
		errno = 0;
		rc = syscall(SYS_mknodat, AT_FDCWD, f, S_IFREG | mode, 0);
		judge(what, f, rc, errno);
	}

	/* The kernel keeps only the low 16 bits of the mode. */
	char *f = path("open(O_CREAT, 04755 | 1<<32)");
	errno = 0;
	rc = syscall(SYS_open, f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
		     (1UL << 32) | S_ISUID | 0755);
	judge("open(O_CREAT, 04755 | 1<<32)", f, rc, errno);

	/* openat2's mode is in memory: the filter must say "no such call". */
	f = path("openat2(O_CREAT, 04755)");
	struct open_how how = { .flags = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
				.mode = S_ISUID | 0755 };
	errno = 0;
	rc = syscall(SYS_openat2, AT_FDCWD, f, &how, sizeof how);
	int err = errno;
	struct stat st;
	if (rc >= 0)
		close(rc);
	if (rc < 0 && err == ENOSYS && stat(f, &st) < 0)
		blocked("openat2(O_CREAT, 04755) (ENOSYS)");
	else if (rc >= 0)
		escaped("openat2(O_CREAT, 04755) (succeeded)");
	else
		escaped("openat2(O_CREAT, 04755) (not answered ENOSYS: %s)", errname(err));
}

/* chmod g+x of a set-group-ID file: the new mode still has S_ISGID. */
static void chmod_gx(const char *existing)
{
	struct stat st;
	if (stat(existing, &st) < 0)
		probe_fail("stat %s: %s", existing, strerror(errno));
	if ((st.st_mode & 07777) != 02644)
		probe_fail("%s is mode %04o, not 02644", existing, st.st_mode & 07777);
	errno = 0;
	long rc = syscall(SYS_chmod, existing, (st.st_mode & 07777) | S_IXGRP);
	int err = errno;
	if (stat(existing, &st) == 0 && (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP))
		escaped("chmod g+x of a set-group-ID file (now mode %04o)", st.st_mode & 07777);
	else
		expect_eperm("chmod g+x of a set-group-ID file", rc, err);
}

static int plain(const char *file, mode_t want)
{
	struct stat st;
	return stat(file, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == want;
}

static void neighbours(const char *existing)
{
	mode_t old = umask(0);
	char *f = path("plain-0600");
	int fd = open(f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	works(fd >= 0 && plain(f, 0600), "open(O_CREAT, 0600) (%s)", fd >= 0 ? "done" : errname(errno));
	if (fd >= 0)
		close(fd);

	f = path("plain-0644");
	fd = openat(AT_FDCWD, f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	works(fd >= 0 && plain(f, 0644), "openat(O_CREAT, 0644) (%s)",
	      fd >= 0 ? "done" : errname(errno));
	if (fd >= 0)
		close(fd);

	f = path("plain-0755");
	fd = creat(f, 0755);
	works(fd >= 0 && plain(f, 0755), "creat(0755) (%s)", fd >= 0 ? "done" : errname(errno));
	if (fd >= 0)
		close(fd);
	umask(old);

	f = path("fopen-w");
	FILE *fp = fopen(f, "w");
	works(fp && fputs("hello\n", fp) >= 0 && fclose(fp) == 0, "fopen(\"w\") and write (%s)",
	      fp ? "done" : errname(errno));

	umask(0);
	struct stat st;
	f = path("sticky-dir");
	int rc = mkdir(f, 01777);
	works(rc == 0 && stat(f, &st) == 0 && (st.st_mode & 07777) == 01777, "mkdir(01777) (%s)",
	      rc == 0 ? "done" : errname(errno));

	/* mkdir keeps only the permission and sticky bits of its mode: S_ISGID
	 * is the kernel's to drop, not the filter's to refuse. */
	f = path("mkdir-02775");
	rc = mkdir(f, 02775);
	works(rc == 0 && stat(f, &st) == 0 && (st.st_mode & 07777) == 0775,
	      "mkdir(02775) makes a 0775 directory (%s)", rc == 0 ? "done" : errname(errno));

	f = path("fifo");
	rc = mknod(f, S_IFIFO | 0644, 0);
	works(rc == 0 && stat(f, &st) == 0 && S_ISFIFO(st.st_mode), "mknod(S_IFIFO | 0644) (%s)",
	      rc == 0 ? "done" : errname(errno));

	f = path("tmpfile-0600");
	long lfd = tmpfile_linked(1, 0600, f);
	works(lfd >= 0 && plain(f, 0600), "openat(O_TMPFILE, 0600) + linkat (%s)",
	      lfd >= 0 ? "done" : errname(errno));
	if (lfd >= 0)
		close(lfd);
	umask(old);

	rc = chmod(existing, 0755);
	works(rc == 0 && plain(existing, 0755), "chmod 0755 of a set-group-ID file (%s)",
	      rc == 0 ? "done" : errname(errno));
}

int main(int argc, char **argv)
{
	probe_init();
	if (argc != 3)
		probe_fail("usage: setid DIR EXISTING");
	dir = argv[1];
	attempts();
	chmod_gx(argv[2]);
	neighbours(argv[2]);
	return probe_exit();
}
