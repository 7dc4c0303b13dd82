/*
 * harness.h - shared helpers for the Check test programs that launch real
 * containers.  Each test runs a shell command line (usually ./contained ...)
 * and gets back its exit status and what it wrote to stdout and stderr.
 * Below that: small helpers (files, lines, time), the token that marks a
 * test's launches, cgroups, host snapshots for leftover checks, child
 * processes (spawn, wait, read, /proc, PID namespaces), and the launcher on
 * a pseudo-terminal of the test's own, as a user's terminal emulator runs
 * it.  One name here means one thing: a test file adds its own helpers
 * under names of their own.
 *
 * The tests run from the project's top directory as root:
 *     CONTAINED   the launcher under test     (default ./contained)
 *     ROOTFS      the test rootfs             (default tests/build/rootfs)
 */
#ifndef CONTAINED_HARNESS_H
#define CONTAINED_HARNESS_H

#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
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

/* ---- small helpers --------------------------------------------------------- */

/* snprintf into an array, failing the test if it does not fit. */
#define FMT(buf, ...) ck_assert_msg(snprintf(buf, sizeof buf, __VA_ARGS__) < (int)sizeof buf, \
				    "string too long for " #buf)

/* A NULL-terminated argument vector: ARGV("/bin/echo", "hi"). */
#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })

/* Sleep MS milliseconds, through signals. */
static inline void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The monotonic clock in seconds. */
static inline double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The monotonic clock in milliseconds. */
static inline long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* At most the last 1500 bytes of S: Check refuses longer failure messages. */
static inline const char *tl(const char *s)
{
	size_t n = strlen(s);
	return n > 1500 ? s + n - 1500 : s;
}

/* A growing, NUL-terminated byte buffer. */
struct buf {
	char *data;
	size_t len;
};

/* Make B empty (a fresh allocation: free B->data when done). */
static inline void buf_init(struct buf *b)
{
	b->data = calloc(1, 1);
	b->len = 0;
}

/* The whole file as a malloc'd string with each NUL byte turned into '\n'
 * (so /proc/PID/cmdline reads "arg0\narg1\n"), or NULL if it cannot be
 * opened. */
static inline char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = calloc(1, 1);
	size_t len = 0;
	char chunk[8192];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (chunk[i] == '\0')
				chunk[i] = '\n';
		append(&buf, &len, chunk, n);
	}
	close(fd);
	return buf;
}

/* Whether TEXT (NULL counts as empty) has a line exactly LINE. */
static inline bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && *p; ) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == n && !memcmp(p, line, n))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

/* How many lines TEXT has, a last one without '\n' included. */
static inline int count_lines(const char *text)
{
	int n = 0;
	for (const char *p = text; *p; p++)
		if (*p == '\n')
			n++;
	if (*text && text[strlen(text) - 1] != '\n')
		n++;
	return n;
}

/* The lines of S that start with "contained: ", the launcher's own errors,
 * as a malloc'd string. */
static inline char *error_lines(const char *s)
{
	char *out = calloc(1, 1);
	size_t len = 0;
	for (const char *p = s; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (!strncmp(p, "contained: ", 11))
			append(&out, &len, p, n);
		p += n;
	}
	return out;
}

/* The names in DIR but "." and "..", one a line (malloc'd; "" if DIR cannot
 * be read). */
static inline char *list_dir(const char *dir)
{
	char *out = calloc(1, 1);
	size_t len = 0;
	DIR *d = opendir(dir);
	if (!d)
		return out;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		append(&out, &len, e->d_name, strlen(e->d_name));
		append(&out, &len, "\n", 1);
	}
	closedir(d);
	return out;
}

/* Remove PATH and everything under it (rm -rf), ignoring failures: the
 * cleanup of a scratch directory. */
static inline void rm_rf(const char *path)
{
	struct run r = run_sh("rm -rf '%s'", path);
	run_free(&r);
}

/* The test rootfs as an absolute path (resolved once). */
static inline const char *abs_rootfs(void)
{
	static char path[PATH_MAX];
	if (!path[0])
		ck_assert_msg(realpath(test_rootfs(), path), "rootfs %s: %s (run make %s/.built)",
			      test_rootfs(), strerror(errno), test_rootfs());
	return path;
}

/* ---- the token: what marks this test's launches ------------------------------- */

/* The environment variable that carries token() on a launcher's command
 * line, so that the launcher and what it forks without exec (its watchdog)
 * can be recognised as this test's. */
#define TOKEN_VAR "CONTAINED_TEST_TOKEN"

/* A test program may name its tokens: TOKEN_PREFIX before including this. */
#ifndef TOKEN_PREFIX
#define TOKEN_PREFIX "test"
#endif

/* A name unique to this test process (Check forks one per test), usable as a
 * hostname, file and cgroup name: TOKEN_PREFIX, the pid, the time.  Made by
 * the first call; a child forked after it sees the same. */
static inline const char *token(void)
{
	static char tok[64];
	if (!tok[0])
		FMT(tok, TOKEN_PREFIX "%d-%lx", (int)getpid(), (long)time(NULL) & 0xffffff);
	return tok;
}

/* "CONTAINED_TEST_TOKEN=<token()>" for a child's environment (static
 * storage: make it before fork, putenv it in the child). */
static inline char *token_env(void)
{
	static char env[128];
	FMT(env, TOKEN_VAR "=%s", token());
	return env;
}

/* Run `[PREFIX] env CONTAINED_TEST_TOKEN=<token> contained ARGS` through the
 * shell; when PID is not NULL it gets the launcher's pid. */
static inline struct run run_launcher(pid_t *pid, const char *prefix, const char *args)
{
	if (!pid)
		return run_sh("exec %s env %s=%s %s %s", prefix, TOKEN_VAR, token(),
			      contained_bin(), args);
	char pidfile[PATH_MAX];
	FMT(pidfile, "tests/build/" TOKEN_PREFIX "-pid.%d", (int)getpid());
	unlink(pidfile);
	struct run r = run_sh("echo $$ > %s && exec %s env %s=%s %s %s", pidfile, prefix,
			      TOKEN_VAR, token(), contained_bin(), args);
	char *s = slurp(pidfile);
	*pid = s ? atoi(s) : -1;
	free(s);
	unlink(pidfile);
	return r;
}

/* ---- cgroups ------------------------------------------------------------------- */

/* The container cgroup directories (under every `contained` parent) whose
 * name starts with PREFIX ("" for all), one a line, malloc'd; *COUNT gets
 * how many. */
static inline char *cgroups_named(const char *prefix, int *count)
{
	static const char *const patterns[] = { "/sys/fs/cgroup/*/contained/*",
						"/sys/fs/cgroup/contained/*" };
	char *out = calloc(1, 1);
	size_t len = 0;
	*count = 0;
	for (int k = 0; k < 2; k++) {
		glob_t g;
		if (glob(patterns[k], GLOB_ONLYDIR, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *base = strrchr(g.gl_pathv[i], '/') + 1;
			struct stat st;
			if (strncmp(base, prefix, strlen(prefix)) || stat(g.gl_pathv[i], &st) != 0 ||
			    !S_ISDIR(st.st_mode))
				continue;
			append(&out, &len, g.gl_pathv[i], strlen(g.gl_pathv[i]));
			append(&out, &len, "\n", 1);
			(*count)++;
		}
		globfree(&g);
	}
	return out;
}

/* The cgroup name from a launcher's "=> creating cgroup NAME" line in ERR
 * (its -v output) into NAME of SIZE bytes; false if there is none. */
static inline bool launch_cgroup_name(const char *err, char *name, size_t size)
{
	const char *line = strstr(err, "=> creating cgroup ");
	char fmt[32];
	snprintf(fmt, sizeof fmt, "=> creating cgroup %%%zus", size - 1);
	return line && sscanf(line, fmt, name) == 1;
}

/* ---- leftovers: host state before and after a launch ----------------------------- */

struct snapshot {
	char *mounts;   /* the host's /proc/self/mountinfo */
	char *tmp;      /* names in /tmp, one a line */
	char *cgroups;  /* every container cgroup directory, one a line */
};

static inline void snap_take(struct snapshot *s)
{
	int n;
	s->mounts = slurp("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(s->mounts);
	s->tmp = list_dir("/tmp");
	s->cgroups = cgroups_named("", &n);
}

static inline void snap_free(struct snapshot *s)
{
	free(s->mounts);
	free(s->tmp);
	free(s->cgroups);
}

/* A new entry in /tmp is the launcher's if it is named like a temporary
 * directory of ours, is an empty directory (a mount point left behind) or
 * is still a mount point.  Other new names are somebody else's: the machine
 * is shared. */
static inline bool tmp_entry_is_ours(const char *name)
{
	char path[PATH_MAX];
	FMT(path, "/tmp/%s", name);
	if (!strncmp(name, "tmp.", 4) || strcasestr(name, "contained") || strstr(name, token()))
		return true;
	struct stat st, tmpst;
	if (lstat(path, &st) < 0 || stat("/tmp", &tmpst) < 0)
		return false; /* gone again: not a leftover */
	if (S_ISDIR(st.st_mode) && st.st_dev != tmpst.st_dev)
		return true;
	if (S_ISDIR(st.st_mode)) {
		char *inside = list_dir(path);
		bool empty = !*inside;
		free(inside);
		return empty;
	}
	return false;
}

/* Append the line "WHAT NAME" to the report *REP of length *LEN. */
static inline void report_add(char **rep, size_t *len, const char *what, const char *name)
{
	append(rep, len, what, strlen(what));
	append(rep, len, name, strlen(name));
	append(rep, len, "\n", 1);
}

/* Report as "WHAT line" each line of AFTER that BEFORE lacks and that OURS
 * (if given) accepts; returns how many. */
static inline int report_new_lines(char **rep, size_t *len, const char *what, const char *before,
				   const char *after, bool (*ours)(const char *line))
{
	int added = 0;
	char *copy = strdup(after);
	for (char *p = copy; *p; ) {
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (!has_line(before, p) && (!ours || ours(p))) {
			report_add(rep, len, what, p);
			added++;
		}
		p = nl + 1;
	}
	free(copy);
	return added;
}

/* ---- processes ------------------------------------------------------------------- */

static inline int new_memfd(void)
{
	int fd = memfd_create("contained-test-stderr", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Everything written so far to the memfd FD, malloc'd. */
static inline char *memfd_text(int fd)
{
	struct buf b;
	buf_init(&b);
	char chunk[4096];
	ssize_t n;
	off_t off = 0;
	while ((n = pread(fd, chunk, sizeof chunk, off)) > 0) {
		append(&b.data, &b.len, chunk, n);
		off += n;
	}
	return b.data;
}

/* /dev/null opened with FLAGS (close-on-exec). */
static inline int devnull(int flags)
{
	int fd = open("/dev/null", flags | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Shell-style status (code, or 128+N when killed by N) from a wait status. */
static inline int shell_status(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

/*
 * fork + exec ARGV (looked up in PATH) with the given stdio, and ENV
 * ("NAME=value", made before the fork) added to its environment unless it
 * is NULL; returns the child's pid.  The child gets default signal
 * dispositions and an empty signal mask, whatever the test runner had (a
 * background `make check &` ignores SIGINT and SIGQUIT, and a shell inside
 * could not trap a signal ignored on entry), and no fd beyond 0, 1, 2.
 */
static inline pid_t spawn_env(int in, int out, int err, char *env, char *const argv[])
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		close_range(3, ~0U, 0);
		if (env)
			putenv(env);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* spawn_env() with the environment unchanged. */
static inline pid_t spawn(int in, int out, int err, char *const argv[])
{
	return spawn_env(in, out, err, NULL, argv);
}

/*
 * Wait at most TIMEOUT_MS milliseconds for child PID; returns its
 * shell-style status, or -1 on timeout, in which case the child is killed
 * and reaped so that a failing test leaves nothing running.
 */
static inline int wait_child(pid_t pid, long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int wstatus;
	for (;;) {
		pid_t r = waitpid(pid, &wstatus, WNOHANG);
		if (r == pid)
			return shell_status(wstatus);
		ck_assert_int_eq(r, 0);
		if (now_ms() >= deadline)
			break;
		msleep(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &wstatus, 0);
	return -1;
}

/*
 * Read from FD into B until what B holds from offset START on contains
 * NEEDLE (NULL: read to the end), for at most TIMEOUT_MS milliseconds.
 * Returns 1 when found, 0 on timeout, -1 on end of file (or EIO, which is
 * how a pty master reports that the other side is closed).
 */
static inline int read_until_from(int fd, struct buf *b, size_t start, const char *needle,
				  long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		if (needle && strstr(b->data + start, needle))
			return 1;
		long left = deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		ck_assert_int_ge(r, 0);
		if (r == 0)
			return 0;
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return needle && strstr(b->data + start, needle) ? 1 : -1;
		append(&b->data, &b->len, chunk, n);
	}
}

/* read_until_from() searching all of B. */
static inline int read_until(int fd, struct buf *b, const char *needle, long timeout_ms)
{
	return read_until_from(fd, b, 0, needle, timeout_ms);
}

/* /proc/PID/NAME as slurp() reads it (malloc'd), or NULL. */
static inline char *proc_file(pid_t pid, const char *name)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	return slurp(path);
}

/* The state letter of PID from /proc/PID/stat, or 0 if it is gone; its
 * parent's pid into *PPID and its name into COMM (COMMLEN bytes) unless
 * they are NULL. */
static inline char proc_state(pid_t pid, pid_t *ppid, char *comm, size_t commlen)
{
	char *s = proc_file(pid, "stat");
	if (!s)
		return 0;
	char *open_paren = strchr(s, '(');
	char *close_paren = strrchr(s, ')');
	char state = 0;
	if (open_paren && close_paren && close_paren[1] == ' ') {
		state = close_paren[2];
		if (ppid)
			*ppid = atoi(close_paren + 4);
		if (comm) {
			size_t n = close_paren - open_paren - 1;
			if (n >= commlen)
				n = commlen - 1;
			memcpy(comm, open_paren + 1, n);
			comm[n] = '\0';
		}
	}
	free(s);
	return state;
}

/* The link text of /proc/PID/ns/pid into OUT ("" if unreadable). */
static inline void pidns_of(pid_t pid, char *out, size_t outlen)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)pid);
	ssize_t n = readlink(path, out, outlen - 1);
	out[n > 0 ? n : 0] = '\0';
}

/* All pids in /proc, sorted ascending, malloc'd; *N gets the count. */
static inline pid_t *all_pids(size_t *n)
{
	DIR *d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	size_t cap = 1024;
	pid_t *v = malloc(cap * sizeof *v);
	*n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end;
		long p = strtol(e->d_name, &end, 10);
		if (*end || p <= 0)
			continue;
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		v[(*n)++] = (pid_t)p;
	}
	closedir(d);
	return v;
}

/* The pids in the PID namespace NS (the text pidns_of() gives), at most MAX
 * of them, into V; returns how many. */
static inline int pidns_members(const char *ns, pid_t *v, int max)
{
	size_t n;
	pid_t *all = all_pids(&n);
	int found = 0;
	for (size_t i = 0; i < n && found < max; i++) {
		char other[64];
		pidns_of(all[i], other, sizeof other);
		if (!strcmp(other, ns))
			v[found++] = all[i];
	}
	free(all);
	return found;
}

/* How many of the N pids in V still run in the PID namespace NS: they
 * exist there and are not zombies (the host's PID 1 reaps orphans when it
 * gets to it). */
static inline int pidns_alive(const char *ns, const pid_t *v, int n)
{
	int alive = 0;
	for (int i = 0; i < n; i++) {
		char other[64];
		char st = proc_state(v[i], NULL, NULL, 0);
		pidns_of(v[i], other, sizeof other);
		if (st && st != 'Z' && !strcmp(other, ns))
			alive++;
	}
	return alive;
}

/* Whether PID descends from ANCESTOR (on the host's view of the tree). */
static inline bool descends_from(pid_t pid, pid_t ancestor)
{
	for (int depth = 0; depth < 64 && pid > 1; depth++) {
		pid_t ppid = 0;
		if (!proc_state(pid, &ppid, NULL, 0))
			return false;
		if (ppid == ancestor)
			return true;
		pid = ppid;
	}
	return false;
}

/* The host pid of a live (non-zombie) descendant of ROOT named COMM, or 0. */
static inline pid_t find_descendant(pid_t root, const char *comm)
{
	size_t n;
	pid_t *v = all_pids(&n);
	pid_t found = 0;
	for (size_t i = 0; i < n && !found; i++) {
		char c[64];
		char st = proc_state(v[i], NULL, c, sizeof c);
		if (st && st != 'Z' && !strcmp(c, comm) && descends_from(v[i], root))
			found = v[i];
	}
	free(v);
	return found;
}

/* find_descendant(), trying for up to TIMEOUT_MS milliseconds; 0 if none. */
static inline pid_t wait_descendant(pid_t root, const char *comm, long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	pid_t p;
	while (!(p = find_descendant(root, comm)) && now_ms() < deadline)
		msleep(20);
	return p;
}

/* Start ARGV on a new pseudo-terminal of ROWS x COLS, as a terminal
 * emulator would (forkpty(3)): default signal dispositions, none blocked,
 * no descriptor but the terminal, TERM=xterm.  Returns the pid; *MASTER
 * gets the terminal's other end (close-on-exec). */
static inline pid_t spawn_on_pty(int *master, unsigned short rows, unsigned short cols,
				 char *const argv[])
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	pid_t pid = forkpty(master, NULL, NULL, &ws);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (int sig = 1; sig < NSIG; sig++)
			signal(sig, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close_range(3, ~0U, 0);
		setenv("TERM", "xterm", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	fcntl(*master, F_SETFD, FD_CLOEXEC);
	return pid;
}

/* ---- a launcher on a pseudo-terminal of the test's own --------------------------- */

/* The launcher started on a pty the test holds the other end of, as a user's
 * terminal emulator would: what it writes there, and where the test has
 * read up to. */
struct pty_session {
	pid_t pid;              /* the launcher */
	int master;             /* the test's end of the "user's terminal" */
	struct termios before;  /* that terminal's settings at the start */
	char *out;              /* everything the launcher wrote to the terminal */
	size_t len;
	size_t seen;            /* where the last text pty_wait() found ended */
};

/* Start `contained ARGS...` (ARGS NULL-terminated, at most 30) on a fresh
 * pty of ROWS x COLS, as its stdin, stdout, stderr and controlling
 * terminal (spawn_on_pty()). */
static inline void pty_start(struct pty_session *s, unsigned short rows, unsigned short cols,
			     const char *const args[])
{
	char *argv[32];
	int n = 0;
	argv[n++] = (char *)contained_bin();
	for (; *args; args++) {
		ck_assert_int_lt(n, 31);
		argv[n++] = (char *)*args;
	}
	argv[n] = NULL;
	*s = (struct pty_session){ .out = calloc(1, 1) };
	s->pid = spawn_on_pty(&s->master, rows, cols, argv);
	ck_assert_int_eq(tcgetattr(s->master, &s->before), 0);
}

/* Read what arrives until NEEDLE appears in what came from offset FROM on
 * (1), or TIMEOUT_MS pass (0), or the terminal closes (-1: EIO, the
 * launcher and all it started are gone).  A NULL NEEDLE reads all that
 * arrives meanwhile. */
static inline int pty_read_until(struct pty_session *s, size_t from, const char *needle,
				 long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		if (needle && strstr(s->out + from, needle))
			return 1;
		long left = deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = { s->master, POLLIN, 0 };
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return 0;
		char chunk[4096];
		ssize_t n = read(s->master, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		append(&s->out, &s->len, chunk, n);
	}
}

/* pty_read_until() from where the last found text ended; when NEEDLE shows
 * up, the session has seen up to its end. */
static inline int pty_wait(struct pty_session *s, const char *needle, long timeout_ms)
{
	int r = pty_read_until(s, s->seen, needle, timeout_ms);
	if (r == 1 && needle)
		s->seen = strstr(s->out + s->seen, needle) - s->out + strlen(needle);
	return r;
}

/* Kill the launcher (SIGKILL) and reap it: a failing test leaves nothing. */
static inline void pty_stop(struct pty_session *s)
{
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
}

/* pty_wait() up to 10 s for NEEDLE; if it never shows, stop the launcher and
 * fail with WHAT and the output so far. */
static inline void pty_expect(struct pty_session *s, const char *needle, const char *what)
{
	if (pty_wait(s, needle, 10000) == 1)
		return;
	pty_stop(s);
	ck_abort_msg("%s (waited for \"%s\"); output:\n%s", what, needle, tl(s->out));
}

/* Type TEXT on the terminal, as the user at its keyboard. */
static inline void pty_type(struct pty_session *s, const char *text)
{
	size_t n = strlen(text);
	ck_assert_int_eq(write(s->master, text, n), (ssize_t)n);
}

/* Read to the end and return the launcher's status (128+N for signal N),
 * or -1 if it is still running after TIMEOUT_MS (it is killed then). */
static inline int pty_finish(struct pty_session *s, long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int wstatus;
	pty_read_until(s, s->len, NULL, timeout_ms);
	while (waitpid(s->pid, &wstatus, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			pty_stop(s);
			return -1;
		}
		msleep(10);
	}
	return shell_status(wstatus);
}

/* Close the test's end of the terminal and free the output. */
static inline void pty_end(struct pty_session *s)
{
	close(s->master);
	free(s->out);
}

/* `contained -m ROOTFS -u 0 [MODE] -c /bin/sh` on a fresh pty, once the
 * shell's first prompt (busybox sh as root: "# ") has shown; the test fails
 * if it does not within 15 s. */
static inline void pty_start_shell(struct pty_session *s, unsigned short rows,
				   unsigned short cols, const char *mode)
{
	const char *args[] = { "-m", test_rootfs(), "-u", "0", "-c", "/bin/sh", NULL, NULL };
	if (mode) {         /* ... -u 0 MODE -c /bin/sh */
		memmove(args + 5, args + 4, 3 * sizeof *args);
		args[4] = mode;
	}
	pty_start(s, rows, cols, args);
	int r = pty_read_until(s, 0, "# ", 15000);
	if (r != 1) {
		int st = wait_child(s->pid, 100);
		ck_abort_msg("no shell prompt on the pty (%s, status %d); output:\n%s",
			     r ? "end of file" : "timeout", st, tl(s->out));
	}
	s->seen = s->len;
}

/* pty_start_shell(), then a prompt, "[ctd]# ", that the echo of a command
 * line cannot contain: seeing it means the command before has ended. */
static inline void pty_start_marked_shell(struct pty_session *s, unsigned short rows,
					  unsigned short cols, const char *mode)
{
	pty_start_shell(s, rows, cols, mode);
	pty_type(s, "PS1='[ctd'']# '\n");
	pty_expect(s, "[ctd]# ", "PS1 not taken");
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
