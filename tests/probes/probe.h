/*
 * probe.h - shared reporting helpers for the security probes.
 *
 * Every probe in this directory is a small static program that is copied
 * into the test rootfs at /probes/<name> and run inside a container.  It
 * tries one attack (or a small family of them) and judges each attempt by
 * the real return value, printing one line per attempt:
 *
 *     BLOCKED <what> (<how>)
 *     ESCAPED <what> (<detail>)
 *
 * Some probes also try the harmless neighbours of what they attack, which
 * must still work, one `OK <what>` or `BROKEN <what>` line each.
 *
 * Exit status: 0 when every attempt was blocked (and every neighbour OK), 1
 * when any escaped (or broke), 2 when the probe itself could not run (a
 * broken precondition, not a verdict).
 *
 * The deny rules of the launcher's seccomp filter answer EPERM.  A probe
 * that expects a filter rule therefore picks arguments for which the kernel
 * itself would NOT answer EPERM (a no-op that succeeds, a bad fd that gives
 * EBADF, an invalid flag that gives EINVAL ...), so that EPERM can only come
 * from the filter and any other errno proves the filter let the call through.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef CONTAINED_PROBE_H
#define CONTAINED_PROBE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <ftw.h>
#include <unistd.h>

static int probe_escapes;
static pid_t probe_owner;

static inline const char *errname(int err)
{
	const char *n = strerrorname_np(err);
	static char buf[32];
	if (n)
		return n;
	snprintf(buf, sizeof buf, "errno %d", err);
	return buf;
}

/* Append printf-style text to BUF (SIZE bytes in all), separated by SEP
 * from what is already there; silently truncated. */
static inline __attribute__((format(printf, 4, 5))) void
appendf(char *buf, size_t size, const char *sep, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len && len + strlen(sep) < size) {
		strcpy(buf + len, sep);
		len += strlen(sep);
	}
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static inline void probe_init(void)
{
	/* One line per verdict, and nothing left in a buffer across fork(). */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static inline __attribute__((format(printf, 1, 2))) void blocked(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("BLOCKED ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2))) void escaped(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ESCAPED ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	probe_escapes++;
}

/* The probe cannot do its job: say why and exit 2. */
static inline __attribute__((format(printf, 1, 2), noreturn)) void probe_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("PROBE-ERROR ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	exit(2);
}

/* A harmless neighbour of a denied call, which must keep working: prints
 * `OK <what>` or `BROKEN <what>`, and a broken one fails the probe. */
static inline __attribute__((format(printf, 2, 3))) void works(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(ok ? "OK " : "BROKEN ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	if (!ok)
		probe_escapes++;
}

static inline int probe_exit(void)
{
	return probe_escapes ? 1 : 0;
}

/* Judge a call that a seccomp deny rule must answer with EPERM.
 * RC and ERR are the raw return value and errno of the attempt. */
static inline void expect_eperm(const char *what, long rc, int err)
{
	if (rc >= 0)
		escaped("%s (succeeded, returned %ld)", what, rc);
	else if (err == EPERM)
		blocked("%s (EPERM)", what);
	else
		escaped("%s (not denied by the filter: %s)", what, errname(err));
}

/* Run FN(ARG) in a forked child and return the raw wait status; the child's
 * exit code is FN's return value.  Used for attempts that could change the
 * state of the calling process (new namespaces) or kill it (SIGSYS). */
static inline int in_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		probe_fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(fn(arg));
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			probe_fail("waitpid: %s", strerror(errno));
	return status;
}

static char probe_scratch[64];

static inline int scratch_rm(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	remove(path);
	return 0;
}

static inline void scratch_cleanup(void)
{
	if (probe_scratch[0] && getpid() == probe_owner)
		nftw(probe_scratch, scratch_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh private directory the probe may write in: /tmp, /dev/shm or /
 * (whichever accepts it first).  Works as container root and as -u 1000.
 * It is removed with everything in it when the probe exits. */
static inline const char *scratch_dir(void)
{
	const char *bases[] = { "/tmp", "/dev/shm", "/var/tmp", "" };
	if (probe_scratch[0])
		return probe_scratch;
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		snprintf(probe_scratch, sizeof probe_scratch, "%s/probe.XXXXXX", bases[i]);
		if (mkdtemp(probe_scratch)) {
			probe_owner = getpid();
			atexit(scratch_cleanup);
			return probe_scratch;
		}
	}
	probe_scratch[0] = '\0';
	probe_fail("no writable directory for scratch files");
}

/* The path of NAME inside the scratch directory (malloc'd, never freed:
 * a probe lives for a moment). */
static inline char *scratch_file(const char *name)
{
	char *p;
	if (asprintf(&p, "%s/%s", scratch_dir(), name) < 0)
		probe_fail("out of memory");
	return p;
}

#endif
