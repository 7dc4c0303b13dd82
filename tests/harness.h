/*
 * harness.h - shared helpers for the Check test programs that launch real
 * containers.  Each test runs a shell command line (usually ./contained ...)
 * and gets back its exit status and what it wrote to stdout and stderr.
 *
 * The tests run from the project's top directory as root:
 *     CONTAINED   the launcher under test     (default ./contained)
 *     ROOTFS      the test rootfs             (default tests/build/rootfs)
 */
#ifndef CONTAINED_HARNESS_H
#define CONTAINED_HARNESS_H

#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
	int status;  /* exit status as the shell reports it: 0-255, 128+N */
	char *out;   /* everything written to stdout, NUL-terminated */
	char *err;   /* everything written to stderr, NUL-terminated */
};

static inline const char *contained_bin(void)
{
	const char *p = getenv("CONTAINED");
	return p ? p : "./contained";
}

static inline const char *test_rootfs(void)
{
	const char *p = getenv("ROOTFS");
	return p ? p : "tests/build/rootfs";
}

static inline void append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	ck_assert_ptr_nonnull(*buf);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Run `sh -c LINE` (printf-style), stdin from /dev/null, and collect both
 * output streams.  The status is that of the shell: the exit code, or 128+N
 * when killed by signal N. */
static inline struct run run_sh(const char *fmt, ...)
{
	char *line;
	va_list ap;
	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&line, fmt, ap), 0);
	va_end(ap);

	int out[2], err[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);

	struct run r = { .status = -1, .out = calloc(1, 1), .err = calloc(1, 1) };
	size_t outlen = 0, errlen = 0;
	struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	int open_fds = 2;
	char chunk[65536];
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ck_abort_msg("poll: %s", strerror(errno));
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			} else if (i == 0) {
				append(&r.out, &outlen, chunk, n);
			} else {
				append(&r.err, &errlen, chunk, n);
			}
		}
	}
	int wstatus;
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	free(line);
	return r;
}

/* Run COMMAND inside a container on the test rootfs as container root:
 * run_in("echo $$") runs `contained -m ROOTFS -u 0 -c /bin/sh -c 'echo $$'`.
 * The command must not contain a single quote. */
#define run_in(...) run_in_as(0, __VA_ARGS__)

static inline struct run run_in_as(unsigned uid, const char *fmt, ...)
{
	char *cmd;
	va_list ap;
	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&cmd, fmt, ap), 0);
	va_end(ap);
	ck_assert_msg(!strchr(cmd, '\''), "run_in: no single quotes, please");
	struct run r = run_sh("%s -m %s -u %u -c /bin/sh -c '%s'",
			      contained_bin(), test_rootfs(), uid, cmd);
	free(cmd);
	return r;
}

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Trim one trailing newline, for comparing single-line outputs. */
static inline char *chomp(char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
	return s;
}

/* The main() of every container test program: refuse to run without root
 * or without the launcher and rootfs, run SUITE, return 0 when all passed.
 * CK_VERBOSITY=verbose in the environment lists each test. */
static inline int run_container_suite(const char *program, Suite *suite)
{
	if (geteuid() != 0) {
		fprintf(stderr, "%s: run as root: it starts real containers (sudo make check)\n", program);
		return 1;
	}
	if (access(contained_bin(), X_OK) != 0 || access(test_rootfs(), F_OK) != 0) {
		fprintf(stderr, "%s: need %s and %s (make contained %s/.built)\n",
			program, contained_bin(), test_rootfs(), test_rootfs());
		return 1;
	}
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
