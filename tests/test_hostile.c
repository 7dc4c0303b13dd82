/*
 * test_hostile.c - contained on hosts, rootfs trees and inputs that try to
 * make it misbehave: every mount propagation setup of /, symlinks planted
 * where /proc, /sys and /dev should be, a rootfs behind a 0700 home
 * directory or a path near PATH_MAX, launchers in PID namespaces of their
 * own (cgroup names and liveness), launchers killed by SIGKILL at any
 * moment, standard descriptors that are doors rather than streams, and
 * hosts that cannot run a container at all (a chroot; a /proc with a
 * read-only part, as inside Docker).
 *
 * Each test looks at what really happens: the exit status, what the
 * command printed, the launcher's error line, the host's mount table, its
 * cgroup tree, /tmp and its processes.
 *
 * Run as root from the project's top directory: `sudo make check-hostile`.
 * Environment: CONTAINED (default ./contained), ROOTFS (default
 * tests/build/rootfs), as in harness.h.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#define TOKEN_PREFIX "htest"
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>

/* ---- small helpers ------------------------------------------------------- */

/* A work directory tests/build/<token>-WHAT (absolute), removed first. */
static const char *workdir(char *buf, size_t size, const char *what)
{
	char cwd[PATH_MAX];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_lt(snprintf(buf, size, "%s/tests/build/%s-%s", cwd, token(), what), (int)size);
	struct run r = run_sh("rm -rf '%s' && mkdir -p '%s'", buf, buf);
	ck_assert_msg(r.status == 0, "mkdir %s: %s", buf, r.err);
	run_free(&r);
	return buf;
}

/* A copy of the test rootfs at DST, without the probes (2 MB, not 30). */
static void copy_rootfs(const char *dst)
{
	struct run r = run_sh("mkdir -p '%s' && tar -C '%s' --exclude=./probes -cf - . | tar -C '%s' -xpf -",
			      dst, test_rootfs(), dst);
	ck_assert_msg(r.status == 0, "copying the rootfs to %s: %s", dst, r.err);
	run_free(&r);
}

/* Write TEXT to the existing file PATH; 0, or -1 with errno. */
static int write_file_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* ---- processes ----------------------------------------------------------- */

/* The host pid of a live process whose command line is exactly CMDLINE
 * (arguments separated by newlines), waiting up to TIMEOUT seconds; 0 if none. */
static pid_t find_by_cmdline(const char *cmdline, double timeout)
{
	double end = now() + timeout;
	do {
		size_t n;
		pid_t *v = all_pids(&n), found = 0;
		for (size_t i = 0; i < n && !found; i++) {
			char *c = proc_file(v[i], "cmdline");
			if (c && !strcmp(c, cmdline) && proc_state(v[i], NULL, NULL, 0) != 'Z')
				found = v[i];
			free(c);
		}
		free(v);
		if (found)
			return found;
		msleep(20);
	} while (now() < end);
	return 0;
}

/* ---- cgroups ---------------------------------------------------------------- */

/* Kill what runs in the cgroups named by LIST (one a line) and remove them:
 * the cleanup after a failed test, so that it leaves nothing either. */
static void remove_cgroups(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	for (char *dir = strtok_r(copy, "\n", &save); dir; dir = strtok_r(NULL, "\n", &save)) {
		for (int tries = 0; tries < 500; tries++) {
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/cgroup.procs", dir);
			char *pids = slurp(path);
			for (char *p = pids; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
				if (atoi(p) > 0)
					kill(atoi(p), SIGKILL);
			free(pids);
			if (rmdir(dir) == 0 || errno == ENOENT)
				break;
			msleep(10);
		}
	}
	free(copy);
}

/* The parent of container cgroups that holds the memory controller. */
static const char *memory_parent(void)
{
	return access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ? "/sys/fs/cgroup/contained"
								       : "/sys/fs/cgroup/memory/contained";
}

/* ---- leftovers: host state before and after ------------------------------- */

/* Whether PID belongs to launches tagged with our token: a launcher or its
 * watchdog (the token is in its environment and on its command line), or a
 * container process (the token is its hostname, so in its cgroup's name). */
static bool process_is_ours(pid_t pid)
{
	if (pid == getpid())
		return false;
	const char *needle = token_env();
	char *env = proc_file(pid, "environ"), *cmd = proc_file(pid, "cmdline"),
	     *cg = proc_file(pid, "cgroup");
	bool ours = (env && has_line(env, needle)) || (cmd && strstr(cmd, token())) ||
		    (cg && strstr(cg, token()));
	free(env);
	free(cmd);
	free(cg);
	return ours && proc_state(pid, NULL, NULL, 0) != 'Z';
}

struct left {
	int procs, cgroups, mounts, tmp, run;
	char *report;
};

/* What launches tagged with our token left compared with BEFORE; EXTRA, if
 * given, also counts a process as ours (by its command line). */
static struct left left_once(const struct snapshot *before, bool (*extra)(const char *cmdline))
{
	struct left l = { 0, 0, 0, 0, 0, calloc(1, 1) };
	size_t len = 0;
	struct snapshot after;
	snap_take(&after);
	l.mounts = report_new_lines(&l.report, &len, "host mount: ", before->mounts, after.mounts,
				    NULL);
	l.tmp = report_new_lines(&l.report, &len, "/tmp entry: /tmp/", before->tmp, after.tmp,
				 tmp_entry_is_ours);
	char prefix[80];
	FMT(prefix, "%s", token());
	/* the launchers' locks and records in /run/contained, named after the cgroup */
	char *run = list_dir("/run/contained");
	for (char *p = strtok(run, "\n"); p; p = strtok(NULL, "\n"))
		if (strstr(p, prefix)) {
			report_add(&l.report, &len, "/run/contained entry: ", p);
			l.run++;
		}
	free(run);
	char *cgs = cgroups_named(prefix, &l.cgroups);
	if (l.cgroups)
		report_add(&l.report, &len, "cgroups:\n", cgs);
	free(cgs);
	size_t n;
	pid_t *v = all_pids(&n);
	for (size_t i = 0; i < n; i++) {
		bool ours = process_is_ours(v[i]);
		if (!ours && extra) {
			char *cmd = proc_file(v[i], "cmdline");
			ours = cmd && extra(cmd) && proc_state(v[i], NULL, NULL, 0) != 'Z';
			free(cmd);
		}
		if (ours) {
			char *comm = proc_file(v[i], "comm"), what[64];
			FMT(what, "process %d ", (int)v[i]);
			report_add(&l.report, &len, what, comm ? comm : "?\n");
			free(comm);
			l.procs++;
		}
	}
	free(v);
	snap_free(&after);
	return l;
}

/* Leftovers that are still there after SECONDS; NULL if none. */
static char *leftovers_after(const struct snapshot *before, double seconds)
{
	double end = now() + seconds;
	for (;;) {
		struct left l = left_once(before, NULL);
		if (!l.report[0]) {
			free(l.report);
			return NULL;
		}
		if (now() > end)
			return l.report;
		free(l.report);
		msleep(50);
	}
}

static char *leftovers(const struct snapshot *before)
{
	return leftovers_after(before, 2.0);
}

/* ---- 1. shared / ---------------------------------------------------------- */

/* Each runs in `unshare -m --propagation shared`, so nothing reaches the
 * host; {P} is a scratch directory under the rootfs's parent, {R} the rootfs. */
static const struct {
	const char *what, *setup;
} propagation[] = {
	{ "rshared", "mount --make-rshared /" },
	{ "rslave", "mount --make-rslave /" },
	{ "unbindable", "mount --make-unbindable /" },
	{ "runbindable", "mount --make-runbindable /" },
	{ "mixed", "mount --make-rshared / && mount -t tmpfs htest-private {P} && "
		   "mount --make-private {P} && mount -t tmpfs htest-unbindable {R}/mnt && "
		   "mount --make-unbindable {R}/mnt" },
};

START_TEST(test_propagation)
{
	char dir[PATH_MAX], before[PATH_MAX + 16], after[PATH_MAX + 16], rc[PATH_MAX + 16],
	     setup[2 * PATH_MAX];
	workdir(dir, sizeof dir, "prop");
	FMT(before, "%s/before", dir);
	FMT(after, "%s/after", dir);
	FMT(rc, "%s/rc", dir);
	char scratch[PATH_MAX + 16];
	FMT(scratch, "%s/private", dir);
	ck_assert_int_eq(mkdir(scratch, 0755), 0);
	/* expand {P} and {R} */
	const char *s = propagation[_i].setup;
	size_t o = 0;
	while (*s) {
		const char *v = !strncmp(s, "{P}", 3) ? scratch : !strncmp(s, "{R}", 3) ? abs_rootfs() : NULL;
		if (v) {
			o += snprintf(setup + o, sizeof setup - o, "%s", v);
			s += 3;
		} else {
			setup[o++] = *s++;
		}
		ck_assert_int_lt(o, sizeof setup - 1);
	}
	setup[o] = '\0';

	struct run r = run_sh("unshare -m --propagation shared sh -c '%s && "
			      "cat /proc/self/mountinfo > %s && "
			      "env %s=%s %s -m %s -u 0 -H %s -c /bin/echo hi; echo $? > %s; "
			      "cat /proc/self/mountinfo > %s'",
			      setup, before, TOKEN_VAR, token(), contained_bin(), test_rootfs(), token(),
			      rc, after);
	char *b = slurp(before), *a = slurp(after), *st = slurp(rc);
	rm_rf(dir);
	ck_assert_msg(b && a && st, "%s: the setup failed (status %d):\n%s", propagation[_i].what,
		      r.status, tl(r.err));
	ck_assert_msg(atoi(st) == 0, "%s: launcher status %s, stderr:\n%s", propagation[_i].what,
		      st, tl(r.err));
	ck_assert_msg(!strcmp(r.out, "hi\n"), "%s: stdout \"%s\"", propagation[_i].what, r.out);
	ck_assert_msg(!strcmp(a, b), "%s: the mount table changed:\nbefore:\n%s\nafter:\n%s",
		      propagation[_i].what, tl(b), tl(a));
	free(a);
	free(b);
	free(st);
	run_free(&r);
}
END_TEST

/* ---- 2. symlinked mount targets ---------------------------------------------- */

static const char *const link_targets[] = { "proc", "sys", "dev" };
/* {D} the decoy's absolute path, {E} NAME-elsewhere inside the rootfs */
static const char *const link_kinds[] = {
	"{D}",                                  /* absolute, outside the rootfs */
	"../decoy",                             /* relative, one level out */
	"../../../../../../../../../../../..{D}", /* climbing past /, then down */
	"bin/../{E}",                           /* relative with .., inside */
};
#define NKINDS (int)(sizeof link_kinds / sizeof *link_kinds)

START_TEST(test_symlinked_targets)
{
	const char *name = link_targets[_i / NKINDS];
	const char *kind = link_kinds[_i % NKINDS];
	char dir[PATH_MAX], root[PATH_MAX + 16], decoy[PATH_MAX + 16], elsewhere[PATH_MAX + 64],
	     link[PATH_MAX + 16], target[2 * PATH_MAX], ename[64];
	workdir(dir, sizeof dir, "symlink");
	FMT(root, "%s/root", dir);
	FMT(decoy, "%s/decoy", dir);
	FMT(ename, "%s-elsewhere", name);
	FMT(elsewhere, "%s/%s", root, ename);
	FMT(link, "%s/%s", root, name);
	copy_rootfs(root);
	ck_assert_int_eq(mkdir(decoy, 0700), 0);
	ck_assert_int_eq(chmod(decoy, 0751), 0);
	ck_assert_int_eq(mkdir(elsewhere, 0700), 0);
	ck_assert_int_eq(chmod(elsewhere, 0751), 0);
	size_t o = 0;
	for (const char *s = kind; *s; ) {
		if (!strncmp(s, "{D}", 3)) {
			o += snprintf(target + o, sizeof target - o, "%s", decoy);
			s += 3;
		} else if (!strncmp(s, "{E}", 3)) {
			o += snprintf(target + o, sizeof target - o, "%s", ename);
			s += 3;
		} else {
			target[o++] = *s++;
		}
	}
	target[o] = '\0';
	struct run rm = run_sh("rm -rf '%s'", link);
	run_free(&rm);
	ck_assert_int_eq(symlink(target, link), 0);

	struct snapshot before;
	snap_take(&before);
	char args[2 * PATH_MAX];
	FMT(args, "-m %s -u 0 -H %s -c /bin/sh -c 'echo RAN; touch /RAN'", root, token());
	struct run r = run_launcher(NULL, "", args);
	char *left = leftovers(&before);

	struct stat st1, st2;
	char *in_decoy = list_dir(decoy), *in_else = list_dir(elsewhere);
	int s1 = stat(decoy, &st1), s2 = stat(elsewhere, &st2);
	char now_target[PATH_MAX] = "";
	ssize_t n = readlink(link, now_target, sizeof now_target - 1);
	now_target[n > 0 ? n : 0] = '\0';
	char ran[PATH_MAX + 16];
	FMT(ran, "%s/RAN", root);
	bool ran_file = access(ran, F_OK) == 0;
	rm_rf(dir);

	char want[16];
	FMT(want, "/%s", name);
	char *errs = error_lines(r.err);
	ck_assert_msg(r.status == 125, "%s -> %s: status %d, want 125; stderr:\n%s", name, target,
		      r.status, tl(r.err));
	ck_assert_msg(!strstr(r.out, "RAN") && !ran_file, "%s -> %s: the command ran", name, target);
	ck_assert_msg(strstr(errs, want) && strcasestr(errs, "symlink"),
		      "%s -> %s: the error does not name %s and say symlink:\n%s", name, target,
		      want, tl(r.err));
	ck_assert_msg(s1 == 0 && !*in_decoy && (st1.st_mode & 07777) == 0751,
		      "%s -> %s: the decoy changed: mode %o, holds:\n%s", name, target,
		      st1.st_mode & 07777, in_decoy);
	ck_assert_msg(s2 == 0 && !*in_else && (st2.st_mode & 07777) == 0751,
		      "%s -> %s: %s changed: mode %o, holds:\n%s", name, target, ename,
		      st2.st_mode & 07777, in_else);
	ck_assert_msg(!strcmp(now_target, target), "%s: the symlink now says %s", name, now_target);
	ck_assert_msg(!left, "%s -> %s: left behind:\n%s", name, target, left);
	free(errs);
	free(in_decoy);
	free(in_else);
	snap_free(&before);
	run_free(&r);
}
END_TEST

/* ---- 3. a rootfs in a 0700 home ---------------------------------------------- */

START_TEST(test_home_0700)
{
	char dir[PATH_MAX], home[PATH_MAX + 16], root[PATH_MAX + 32], x[PATH_MAX + 48];
	workdir(dir, sizeof dir, "home");
	FMT(home, "%s/home", dir);
	ck_assert_int_eq(mkdir(home, 0755), 0);
	FMT(home, "%s/home/u", dir);
	ck_assert_int_eq(mkdir(home, 0700), 0);
	FMT(root, "%s/rootfs", home);
	copy_rootfs(root);
	ck_assert_int_eq(chown(home, 1000, 1000), 0);
	ck_assert_int_eq(chmod(home, 0700), 0);
	FMT(x, "%s/etc/x", root);

	struct run r0 = run_sh("%s -m %s -u 0 -c /bin/sh -c 'touch /etc/x && echo TOUCHED'",
			       contained_bin(), root);
	bool made = access(x, F_OK) == 0;
	struct run r1 = run_sh("%s -m %s -u 1000 -c id", contained_bin(), root);
	struct stat st;
	int s = stat(home, &st);
	rm_rf(dir);
	ck_assert_msg(r0.status == 0 && strstr(r0.out, "TOUCHED") && made,
		      "-u 0: status %d, touched on host %d, out \"%s\", stderr:\n%s", r0.status, made,
		      r0.out, tl(r0.err));
	ck_assert_msg(r1.status == 0 && strstr(r1.out, "uid=1000"), "-u 1000: status %d, out \"%s\", "
		      "stderr:\n%s", r1.status, r1.out, tl(r1.err));
	ck_assert_msg(s == 0 && (st.st_mode & 07777) == 0700 && st.st_uid == 1000,
		      "the home directory is now mode %o owner %u", st.st_mode & 07777,
		      (unsigned)st.st_uid);
	run_free(&r0);
	run_free(&r1);
}
END_TEST

/* ---- 4. the rootfs path is looked up once -------------------------------------- */

START_TEST(test_rootfs_resolved_once)
{
	char dir[PATH_MAX], log[PATH_MAX + 16];
	workdir(dir, sizeof dir, "strace");
	FMT(log, "%s/log", dir);
	const char *root = abs_rootfs();
	struct run r = run_sh("strace -f -qq -e trace=%%file,open_tree,move_mount,mount,openat2 -o %s "
			      "%s -m %s -u 0 -c /bin/true", log, contained_bin(), root);
	char *text = slurp(log);
	rm_rf(dir);
	ck_assert_msg(r.status == 0, "under strace: status %d, stderr:\n%s", r.status, tl(r.err));
	ck_assert_ptr_nonnull(text);
	char *hits = calloc(1, 1);
	size_t len = 0;
	int n = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		/* a readlink of a descriptor prints the path as its result: not a lookup */
		if (strstr(line, root) && !strstr(line, "execve(") &&
		    !strstr(line, "readlink(\"/proc/self/fd/")) {
			n++;
			append(&hits, &len, line, strlen(line));
			append(&hits, &len, "\n", 1);
		}
	ck_assert_msg(n == 1, "the rootfs path appears in %d system calls, want 1:\n%s", n, tl(hits));
	ck_assert_msg(strstr(hits, "open"), "the one call is not an open:\n%s", hits);
	free(hits);
	free(text);
	run_free(&r);
}
END_TEST

/* ---- 5. a rootfs path near PATH_MAX ---------------------------------------------- */

/* mkdir each component of PATH (components <= 250 bytes) below START. */
static void make_deep(char *path, size_t start)
{
	for (size_t i = start + 1; path[i]; i++)
		if (path[i] == '/') {
			path[i] = '\0';
			ck_assert_msg(mkdir(path, 0755) == 0, "mkdir (%zu bytes): %s", i, strerror(errno));
			path[i] = '/';
		}
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir (%zu bytes): %s", strlen(path), strerror(errno));
}

/* DIR followed by /aaa... components up to exactly TOTAL bytes. */
static void deep_path(char *path, size_t size, const char *dir, size_t total)
{
	size_t len = snprintf(path, size, "%s", dir);
	ck_assert_int_lt(len + 2, total);
	while (len < total) {
		size_t n = total - len - 1;
		if (n > 250)
			n = total - len - 1 > 251 + 250 ? 250 : (total - len - 1) / 2;
		len += snprintf(path + len, size - len, "/%.*s", (int)n,
				"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	}
	ck_assert_int_eq(strlen(path), total);
}

/* Run the launcher on REL (relative to the top directory, whose absolute
 * form is longer than PATH_MAX) with the test rootfs bind-mounted there in
 * a mount namespace of its own: mount(8) would canonicalize the path first
 * and fail, so the bind mount is made here. */
static struct run launch_on_bind(const char *rel)
{
	int out = new_memfd(), err = new_memfd();
	char *env = token_env();
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(abs_rootfs(), rel, NULL, MS_BIND, NULL) < 0) {
			fprintf(stderr, "test: bind mount on the long path: %s\n", strerror(errno));
			_exit(99);
		}
		int in = open("/dev/null", O_RDONLY);
		dup2(in, 0);
		putenv(env);
		execv(contained_bin(), ARGV((char *)contained_bin(), "-m", (char *)rel, "-u", "0",
					    "-H", (char *)token(), "-c", "/bin/echo", "ok"));
		_exit(127);
	}
	struct run r = { wait_child(pid, 20000), memfd_text(out), memfd_text(err) };
	close(out);
	close(err);
	return r;
}

START_TEST(test_long_rootfs_path)
{
	char dir[PATH_MAX], path[PATH_MAX + 512], rel[PATH_MAX + 512], reldir[256], cwd[PATH_MAX];
	workdir(dir, sizeof dir, "long");
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	FMT(reldir, "tests/build/%s-long/r", token());
	ck_assert_int_eq(mkdir(reldir, 0755), 0);
	/* absolute, 4000 bytes */
	deep_path(path, sizeof path, dir, 4000);
	make_deep(path, strlen(dir));
	/* relative, 4090 bytes: its absolute form is longer than PATH_MAX */
	deep_path(rel, sizeof rel, reldir, 4090);
	make_deep(rel, strlen(reldir));
	ck_assert_int_gt(strlen(cwd) + 1 + strlen(rel), PATH_MAX);

	struct snapshot before;
	snap_take(&before);
	struct run r = run_sh("unshare -m sh -c 'mount --bind %s %s && exec env %s=%s %s -m %s "
			      "-u 0 -H %s -c /bin/echo ok'", abs_rootfs(), path, TOKEN_VAR, token(),
			      contained_bin(), path, token());
	struct run q = launch_on_bind(rel);
	char *left = leftovers(&before);

	/* one more component: longer than PATH_MAX */
	char toolong[PATH_MAX + 512];
	FMT(toolong, "%s/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", path);
	char args[PATH_MAX + 1024];
	FMT(args, "-m %s -u 0 -H %s -c /bin/sh -c 'echo RAN'", toolong, token());
	struct run t = run_launcher(NULL, "", args);
	char *left2 = leftovers(&before);
	rm_rf(dir);

	ck_assert_msg(r.status == 0 && !strcmp(r.out, "ok\n"),
		      "-m with a %zu-byte path: status %d, out \"%s\", stderr:\n%s", strlen(path),
		      r.status, r.out, tl(r.err));
	ck_assert_msg(q.status == 0 && !strcmp(q.out, "ok\n"),
		      "-m with a %zu-byte relative path (%zu bytes absolute): status %d, out \"%s\", "
		      "stderr:\n%s", strlen(rel), strlen(cwd) + 1 + strlen(rel), q.status, q.out,
		      tl(q.err));
	ck_assert_msg(!left, "left behind:\n%s", left);
	char *errs = error_lines(t.err);
	ck_assert_msg(t.status == 125 && !strstr(t.out, "RAN"),
		      "-m with a %zu-byte path: status %d, want 125; stderr:\n%s", strlen(toolong),
		      t.status, tl(t.err));
	ck_assert_msg(strstr(errs, "-m"), "the error does not name -m:\n%s", tl(t.err));
	ck_assert_msg(!left2, "left behind:\n%s", left2);
	free(errs);
	snap_free(&before);
	run_free(&r);
	run_free(&q);
	run_free(&t);
}
END_TEST

/* ---- 6. cgroup names across PID namespaces ---------------------------------------- */

/* mkdir PARENT/NAME holding the parent's lock, as a launcher does, so that
 * no sweep runs between mkdir and our own lock; if LOCK, return its lock,
 * /run/contained/NAME.lock, created and locked, else -1.  DIR gets the
 * path. */
static int make_fake_cgroup(const char *name, bool lock, char *dir, size_t size)
{
	const char *parent = memory_parent();
	ck_assert_msg(mkdir(parent, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", parent,
		      strerror(errno));
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(pfd, 0);
	ck_assert_int_eq(flock(pfd, LOCK_EX), 0);
	ck_assert_int_lt(snprintf(dir, size, "%s/%s", parent, name), (int)size);
	ck_assert_msg(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	int fd = -1;
	if (lock) {
		char path[PATH_MAX];
		ck_assert_int_lt(snprintf(path, sizeof path, "/run/contained/%s.lock", name),
				 (int)sizeof path);
		ck_assert(mkdir("/run/contained", 0700) == 0 || errno == EEXIST);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	}
	close(pfd);
	return fd;
}

START_TEST(test_live_cgroup_in_other_pidns)
{
	char name[128], dir[PATH_MAX], args[PATH_MAX];
	FMT(name, "%s.%d", token(), (int)getpid());
	int fd = make_fake_cgroup(name, true, dir, sizeof dir);
	FMT(args, "-m %s -u 0 -H %s -c /bin/true", test_rootfs(), token());
	struct run r = run_launcher(NULL, "unshare -pf --mount-proc", args);
	bool still = access(dir, F_OK) == 0;
	char lock[PATH_MAX];
	FMT(lock, "/run/contained/%s.lock", name);
	unlink(lock);
	close(fd);
	rmdir(dir);
	ck_assert_msg(r.status == 0, "launcher in a PID namespace: status %d, stderr:\n%s",
		      r.status, tl(r.err));
	ck_assert_msg(still, "a launcher in another PID namespace removed %s, which is locked "
		      "(its launcher lives)", dir);
	run_free(&r);
}
END_TEST

START_TEST(test_same_name_two_pidns)
{
	char host[96];
	FMT(host, "%ssame", token());
	int in = devnull(O_RDONLY), out = devnull(O_WRONLY), err[2];
	pid_t pid[2];
	for (int i = 0; i < 2; i++) {
		err[i] = new_memfd();
		pid[i] = spawn_env(in, out, err[i], token_env(), ARGV("unshare", "-pf", "--mount-proc",
						     (char *)contained_bin(), "-m",
						     (char *)test_rootfs(), "-u", "0", "-H", host,
						     "-c", "/bin/sleep", "1"));
	}
	int st[2];
	for (int i = 0; i < 2; i++)
		st[i] = wait_child(pid[i], 30000);
	char *e0 = memfd_text(err[0]), *e1 = memfd_text(err[1]);
	close(in);
	close(out);
	close(err[0]);
	close(err[1]);
	int n;
	char *left = cgroups_named(host, &n);
	remove_cgroups(left);
	ck_assert_msg(st[0] == 0 && st[1] == 0, "two launchers, both PID 1 in their own PID "
		      "namespace, with -H %s: status %d and %d\nfirst:\n%s\nsecond:\n%s", host,
		      st[0], st[1], tl(e0), tl(e1));
	ck_assert_msg(n == 0, "cgroups left:\n%s", left);
	free(left);
	free(e0);
	free(e1);
}
END_TEST

START_TEST(test_stale_cgroup_named_pid1)
{
	char name[128], dir[PATH_MAX], args[PATH_MAX];
	FMT(name, "%s.1", token());
	make_fake_cgroup(name, false, dir, sizeof dir);
	ck_assert_msg(access(dir, F_OK) == 0, "%s vanished before the launch", dir);
	FMT(args, "-m %s -u 0 -H %s -c /bin/true", test_rootfs(), token());
	struct run r = run_launcher(NULL, "", args);
	bool still = access(dir, F_OK) == 0;
	rmdir(dir);
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, tl(r.err));
	ck_assert_msg(!still, "the stale, unlocked %s was not swept (\"pid 1\" is always alive)",
		      dir);
	run_free(&r);
}
END_TEST

/* ---- 7. the container dies with its launcher ------------------------------------------ */

/* Start a container running CARGV, wait for READY on its stdout, find the
 * process whose command line is CMDLINE, SIGKILL the launcher; then within
 * 2 s nothing of the container may be alive, and within 5 s none of its
 * cgroups may be left. */
/* The watchdog: the launcher's child named contained-wd, or 0. */
static pid_t watchdog_of(pid_t launcher)
{
	size_t np;
	pid_t *v = all_pids(&np), found = 0;
	for (size_t i = 0; i < np && !found; i++) {
		char path[64];
		FMT(path, "/proc/%d/stat", (int)v[i]);
		char *stat = slurp(path);
		const char *close_paren = stat ? strrchr(stat, ')') : NULL;
		int ppid = 0;
		if (close_paren && strstr(stat, "(contained-wd)") &&
		    sscanf(close_paren + 2, "%*c %d", &ppid) == 1 && ppid == launcher)
			found = v[i];
		free(stat);
	}
	free(v);
	return found;
}

enum kill_what { LAUNCHER, LAUNCHER_AND_WATCHDOG };

/* Start CARGV in a container, wait for READY on its stdout and for a
 * process with CMDLINE, SIGKILL the launcher (and with
 * LAUNCHER_AND_WATCHDOG its watchdog too, then run one more launch, whose
 * sweep must clean up), and check that the container's processes die and
 * its cgroup goes. */
static void kill_launcher_check(char *const cargv[], const char *ready, const char *cmdline,
				enum kill_what what)
{
	char *argv[32];
	int n = 0;
	const char *pre[] = { contained_bin(), "-m", test_rootfs(), "-u", "0", "-H", token(), "-c" };
	for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
		argv[n++] = (char *)pre[i];
	for (int i = 0; cargv[i] && n < 31; i++)
		argv[n++] = cargv[i];
	argv[n] = NULL;

	int out[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	int in = devnull(O_RDONLY), err = new_memfd();
	pid_t launcher = spawn_env(in, out[1], err, token_env(), argv);
	close(out[1]);
	close(in);
	struct buf b;
	buf_init(&b);
	if (read_until(out[0], &b, ready, 15000) != 1) {
		int st = wait_child(launcher, 1000);
		char *e = memfd_text(err);
		ck_abort_msg("never printed \"%s\" (status %d); stdout:\n%s\nstderr:\n%s", ready, st,
			     b.data, tl(e));
	}
	pid_t inner = find_by_cmdline(cmdline, 5);
	char *e = memfd_text(err), name[128] = "";
	bool named = launch_cgroup_name(e, name, sizeof name);
	if (!inner || !named) {
		wait_child(launcher, 0);
		ck_abort_msg("no container process \"%s\" (%d) or no cgroup name; stderr:\n%s",
			     cmdline, (int)inner, tl(e));
	}
	char ns[64], ourns[64];
	pidns_of(inner, ns, sizeof ns);
	pidns_of(getpid(), ourns, sizeof ourns);
	ck_assert_str_ne(ns, ourns);
	/* everything in the container's PID namespace, seen before the kill */
	pid_t members[64];
	int nm = pidns_members(ns, members, 64);
	int ncg;
	char *cgs = cgroups_named(name, &ncg);
	ck_assert_msg(ncg > 0, "no cgroup %s while the container runs", name);

	if (what == LAUNCHER_AND_WATCHDOG) {
		pid_t wd = watchdog_of(launcher);
		ck_assert_msg(wd > 0, "no watchdog (contained-wd) child of launcher %d", (int)launcher);
		ck_assert_int_eq(kill(wd, SIGKILL), 0);
	}
	ck_assert_int_eq(kill(launcher, SIGKILL), 0);
	int st = wait_child(launcher, 5000);
	if (what == LAUNCHER_AND_WATCHDOG) {
		msleep(200);      /* the container's lock holder gets its chance */
		struct run r = run_sh("%s -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
		ck_assert_msg(r.status == 0, "the sweeping launch failed: %d\n%s", r.status, tl(r.err));
		run_free(&r);
	}
	double killed = now();
	int alive;
	while ((alive = pidns_alive(ns, members, nm)) && now() - killed < 2.0)
		msleep(10);
	char *left;
	int nleft;
	do {
		left = cgroups_named(name, &nleft);
		if (nleft) {
			free(left);
			msleep(20);
		}
	} while (nleft && now() - killed < 5.0);
	if (nleft)
		left = cgroups_named(name, &nleft);
	/* clean up before judging */
	for (int i = 0; alive && i < nm; i++) {
		char other[64];
		pidns_of(members[i], other, sizeof other);
		if (!strcmp(other, ns))
			kill(members[i], SIGKILL);
	}
	remove_cgroups(left);
	close(out[0]);
	close(err);
	ck_assert_int_eq(st, 128 + SIGKILL);
	ck_assert_msg(!alive, "%d of the container's %d processes still alive 2 s after SIGKILL "
		      "to the launcher", alive, nm);
	ck_assert_msg(!nleft, "5 s after SIGKILL to the launcher its cgroups are still there:\n%s"
		      "(while it ran:\n%s)", left, cgs);
	free(left);
	free(cgs);
	free(e);
	free(b.data);
}

START_TEST(test_kill_launcher_nopdeath)
{
	char cmdline[64];
	FMT(cmdline, "/probes/nopdeath\n%d\n", 300000 + (int)getpid());
	char arg[16];
	FMT(arg, "%d", 300000 + (int)getpid());
	kill_launcher_check(ARGV("/probes/nopdeath", arg), "nopdeath ready", cmdline, LAUNCHER);
}
END_TEST

START_TEST(test_kill_launcher_su)
{
	char script[64], cmdline[64];
	FMT(script, "echo ready; exec /bin/sleep %d", 3000000 + (int)getpid());
	FMT(cmdline, "/bin/sleep\n%d\n", 3000000 + (int)getpid());
	kill_launcher_check(ARGV("/bin/su", "user", "-c", script), "ready", cmdline, LAUNCHER);
}
END_TEST

/* The launcher and its watchdog are killed together (as `pkill -9
 * contained`, or systemd's final SIGKILL to a unit, would), while the
 * container tries to hold a lock on every cgroup directory it can see: the
 * next launch's sweep must still find the cgroup stale, kill and remove it. */
START_TEST(test_kill_launcher_and_watchdog)
{
	char cmdline[64], arg[16];
	FMT(arg, "%d", 400000 + (int)getpid());
	FMT(cmdline, "/probes/lockhold\n%s\n", arg);
	kill_launcher_check(ARGV("/probes/lockhold", arg), "lockhold ready", cmdline,
			    LAUNCHER_AND_WATCHDOG);
}
END_TEST

static int sleep_base;

static bool is_our_sleep(const char *cmdline)
{
	if (strncmp(cmdline, "/bin/sleep\n", 11))
		return false;
	int n = atoi(cmdline + 11);
	return n >= sleep_base && n < sleep_base + 1000;
}

START_TEST(test_kill_launcher_at_random)
{
	enum { N = 200 };
	sleep_base = 500000000 + (getpid() % 100000) * 1000;
	srand(12345);
	struct snapshot before;
	snap_take(&before);
	int in = devnull(O_RDONLY), out = devnull(O_WRONLY);
	double t0 = now();
	for (int i = 0; i < N; i++) {
		char arg[16];
		FMT(arg, "%d", sleep_base + i);
		long delay_us = rand() % 20001;
		pid_t pid = spawn_env(in, out, out, token_env(), ARGV((char *)contained_bin(), "-m",
						     (char *)test_rootfs(), "-u", "0", "-H",
						     (char *)token(), "-c", "/bin/sleep", arg));
		struct timespec ts = { 0, delay_us * 1000 };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	double t1 = now();
	struct left l;
	do {
		l = left_once(&before, is_our_sleep);
		if (l.procs + l.cgroups + l.mounts + l.tmp + l.run == 0 || now() - t1 > 5.0)
			break;
		free(l.report);
		msleep(100);
	} while (1);
	fprintf(stderr, "test_hostile: launches %d, processes left %d, cgroups left %d, host mounts "
		"added %d, /tmp entries added %d, /run/contained entries left %d (%.1f s of launches, "
		"%.1f s waiting)\n", N, l.procs, l.cgroups, l.mounts, l.tmp, l.run, t1 - t0, now() - t1);
	if (l.report[0])
		fprintf(stderr, "test_hostile: left:\n%s", l.report);
	/* clean up before judging */
	size_t np;
	pid_t *v = all_pids(&np);
	for (size_t i = 0; i < np; i++) {
		char *cmd = proc_file(v[i], "cmdline");
		if ((cmd && is_our_sleep(cmd)) || process_is_ours(v[i]))
			kill(v[i], SIGKILL);
		free(cmd);
	}
	free(v);
	int n;
	char *cgs = cgroups_named(token(), &n);
	remove_cgroups(cgs);
	free(cgs);
	close(in);
	close(out);
	ck_assert_msg(l.procs + l.cgroups + l.mounts + l.tmp + l.run == 0,
		      "%d launchers killed at random: left:\n%s", N, tl(l.report));
	free(l.report);
	snap_free(&before);
}
END_TEST

/* ---- 8. inherited descriptors ------------------------------------------------------------ */

/* Launch `/bin/sh -c SCRIPT` with stdin IN; status, stdout and stderr. */
static struct run launch_with_stdin(int in, const char *script)
{
	int out = new_memfd(), err = new_memfd();
	pid_t pid = spawn_env(in, out, err, token_env(), ARGV((char *)contained_bin(), "-m", (char *)test_rootfs(),
					     "-u", "0", "-H", (char *)token(), "-c", "/bin/sh", "-c",
					     (char *)script));
	struct run r = { wait_child(pid, 20000), memfd_text(out), memfd_text(err) };
	close(out);
	close(err);
	return r;
}

/* Started from a terminal with every descriptor redirected (so no pty of
 * its own), the container must not have the caller's terminal as its
 * controlling terminal: /dev/tty inside gives ENXIO, and nothing inside
 * can make itself the terminal's foreground group. */
START_TEST(test_callers_terminal_out_of_reach)
{
	char dir[PATH_MAX], out[PATH_MAX + 8];
	workdir(dir, sizeof dir, "ttygrab");
	FMT(out, "%s/out", dir);
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char cmd[2 * PATH_MAX + 64];
		snprintf(cmd, sizeof cmd, "exec %s -m %s -u 1000 -c /probes/ttygrab </dev/null >%s 2>&1",
			 contained_bin(), test_rootfs(), out);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st = wait_child(pid, 20000);
	close(master);
	char *text = slurp(out);
	rm_rf(dir);
	ck_assert_msg(text && strstr(text, "BLOCKED open /dev/tty (ENXIO)") && st == 0,
		      "status %d; the probe said:\n%s", st, text ? tl(text) : "(nothing)");
	free(text);
}
END_TEST

/* A device node in the rootfs (an image can carry one) does not work
 * inside: the rootfs is mounted nodev.  Through the idmapped mount a node
 * owned by root, even mode 0600, would otherwise open for container root. */
START_TEST(test_device_node_in_rootfs)
{
	char dir[PATH_MAX], root[PATH_MAX + 8], node[PATH_MAX + 32];
	workdir(dir, sizeof dir, "devnode");
	FMT(root, "%s/root", dir);
	copy_rootfs(root);
	FMT(node, "%s/opt", root);
	ck_assert(mkdir(node, 0755) == 0 || errno == EEXIST);
	FMT(node, "%s/opt/zero", root);
	ck_assert_msg(mknod(node, S_IFCHR | 0600, makedev(1, 5)) == 0, "mknod %s: %s", node,
		      strerror(errno));
	struct run r = run_sh("%s -m %s -u 0 -c /bin/sh -c 'head -c 4 /opt/zero | wc -c'",
			      contained_bin(), root);
	rm_rf(dir);
	ck_assert_msg(r.status == 0 && strstr(r.err, "Permission denied") &&
		      has_line(r.out, "0"), "a device node in the rootfs opened inside: status %d, "
		      "stdout:\n%s\nstderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
}
END_TEST

/* Under -i, PID 1 is the launcher's own image: its command line (readable
 * by every process inside in /proc/1/cmdline) must not show the launcher's
 * arguments, host paths and -e values among them. */
START_TEST(test_init_hides_the_launchers_command_line)
{
	char secret[64];
	FMT(secret, "s3cret-%s", token());
	struct run r = run_sh("%s -q -m %s -u 1000 -i -e TOKEN=%s -c /bin/sh -c "
			      "'tr \"\\0\" \" \" </proc/1/cmdline; echo; echo value=$TOKEN'",
			      contained_bin(), abs_rootfs(), secret);
	char value[96];
	FMT(value, "value=%s", secret);
	ck_assert_msg(r.status == 0 && strstr(r.out, value), "status %d, stdout:\n%s\nstderr:\n%s",
		      r.status, r.out, tl(r.err));
	*strstr(r.out, value) = '\0';
	ck_assert_msg(!strstr(r.out, secret) && !strstr(r.out, abs_rootfs()),
		      "/proc/1/cmdline shows the launcher's arguments:\n%s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(test_stdin_refused)
{
	/* a directory: the container could walk the host from /proc/self/fd/0 */
	struct snapshot before;
	snap_take(&before);
	char args[PATH_MAX];
	FMT(args, "-m %s -u 0 -H %s -c /bin/sh -c 'echo RAN' < /etc", test_rootfs(), token());
	struct run r = run_launcher(NULL, "", args);
	char *left = leftovers(&before);
	char *errs = error_lines(r.err);
	ck_assert_msg(r.status == 125 && !strstr(r.out, "RAN"),
		      "stdin a directory: status %d, stdout \"%s\", stderr:\n%s", r.status, r.out,
		      tl(r.err));
	ck_assert_msg(strstr(errs, "stdin") && strstr(errs, "directory"),
		      "the error names neither stdin nor a directory:\n%s", tl(r.err));
	ck_assert_msg(!left, "left behind:\n%s", left);
	free(errs);
	run_free(&r);

	/* an O_PATH descriptor of a file */
	int fd = open("/etc/hostname", O_PATH | O_CLOEXEC);
	if (fd < 0)
		fd = open("/etc/passwd", O_PATH | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	r = launch_with_stdin(fd, "echo RAN");
	close(fd);
	left = leftovers(&before);
	errs = error_lines(r.err);
	ck_assert_msg(r.status == 125 && !strstr(r.out, "RAN"),
		      "stdin O_PATH: status %d, stdout \"%s\", stderr:\n%s", r.status, r.out,
		      tl(r.err));
	ck_assert_msg(strstr(errs, "stdin"), "the error does not name stdin:\n%s", tl(r.err));
	ck_assert_msg(!left, "left behind:\n%s", left);
	free(errs);
	snap_free(&before);
	run_free(&r);
}
END_TEST

START_TEST(test_stdin_streams)
{
	const char *script = "read line; echo \"got:$line\"";
	/* a pipe */
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(write(p[1], "piped\n", 6), 6);
	close(p[1]);
	struct run r = launch_with_stdin(p[0], script);
	close(p[0]);
	ck_assert_msg(r.status == 0 && !strcmp(r.out, "got:piped\n"), "pipe: status %d, out \"%s\", "
		      "stderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
	/* a regular file */
	int f = new_memfd();
	ck_assert_int_eq(write(f, "filed\n", 6), 6);
	lseek(f, 0, SEEK_SET);
	r = launch_with_stdin(f, script);
	close(f);
	ck_assert_msg(r.status == 0 && !strcmp(r.out, "got:filed\n"), "file: status %d, out \"%s\", "
		      "stderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
	/* /dev/null */
	int dn = devnull(O_RDONLY);
	r = launch_with_stdin(dn, "read line; echo \"got:$? $line\"");
	close(dn);
	ck_assert_msg(r.status == 0 && !strcmp(r.out, "got:1 \n"), "/dev/null: status %d, out \"%s\", "
		      "stderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
	/* a pseudo-terminal */
	int master, slave;
	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	ck_assert_int_eq(write(master, "typed\n", 6), 6);
	r = launch_with_stdin(slave, script);
	close(slave);
	close(master);
	ck_assert_msg(r.status == 0 && !strcmp(r.out, "got:typed\n"), "pty: status %d, out \"%s\", "
		      "stderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
	/* closed: the container finds /dev/null there, not a launcher descriptor */
	r = run_sh("exec %s -m %s -u 0 -c /bin/readlink /proc/self/fd/0 <&-", contained_bin(),
		   test_rootfs());
	ck_assert_msg(r.status == 0 && !strcmp(r.out, "/dev/null\n"), "closed stdin: status %d, "
		      "fd 0 inside is \"%s\", stderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
}
END_TEST

/* ---- 9. hosts that cannot run a container ------------------------------------------------ */

START_TEST(test_in_chroot)
{
	char dir[PATH_MAX];
	workdir(dir, sizeof dir, "chroot");
	struct snapshot before;
	snap_take(&before);
	struct run r = run_sh(
		"unshare -m sh -c 'set -e; D=%s; mount -t tmpfs htest-chroot $D; "
		"mkdir $D/proc $D/sys $D/dev $D/inner; cp %s $D/contained; "
		"mount --rbind /proc $D/proc; mount --rbind /sys $D/sys; mount --rbind /dev $D/dev; "
		"mount --bind %s $D/inner; "
		"exec env %s=%s chroot $D /contained -m /inner -u 0 -H %s -c /bin/sh -c \"echo RAN\"'",
		dir, contained_bin(), abs_rootfs(), TOKEN_VAR, token(), token());
	char *left = leftovers(&before);
	rm_rf(dir);
	char *errs = error_lines(r.err);
	ck_assert_msg(r.status == 125 && !strstr(r.out, "RAN"), "in a chroot: status %d, stdout "
		      "\"%s\", stderr:\n%s", r.status, r.out, tl(r.err));
	ck_assert_msg(strstr(errs, "chroot"), "the error does not mention chroot:\n%s", tl(r.err));
	ck_assert_msg(!left, "left behind:\n%s", left);
	free(errs);
	snap_free(&before);
	run_free(&r);
}
END_TEST

START_TEST(test_proc_not_fully_visible)
{
	struct snapshot before;
	snap_take(&before);
	struct run r = run_sh("unshare -m sh -c 'mount --bind /proc/sys /proc/sys && "
			      "mount -o remount,bind,ro /proc/sys && exec env %s=%s %s -m %s -u 0 "
			      "-H %s -c /bin/sh -c \"echo RAN\"'", TOKEN_VAR, token(),
			      contained_bin(), test_rootfs(), token());
	char *left = leftovers(&before);
	char *errs = error_lines(r.err);
	ck_assert_msg(r.status == 125 && !strstr(r.out, "RAN"), "/proc/sys read-only: status %d, "
		      "stdout \"%s\", stderr:\n%s", r.status, r.out, tl(r.err));
	ck_assert_msg(count_lines(errs) == 1, "%d error lines, want one:\n%s", count_lines(errs),
		      tl(r.err));
	ck_assert_msg(strcasestr(errs, "fully visible") || strcasestr(errs, "another container"),
		      "the error does not explain it:\n%s", errs);
	ck_assert_msg(!left, "left behind:\n%s", left);
	free(errs);
	snap_free(&before);
	run_free(&r);
}
END_TEST

/* ---- 10. -o DIR: the upper layer the launcher prepares as host root ------------------- */

/* The launcher makes DIR/upper and gives it to the container's root.  Who
 * wins the race between that mkdir and the chown -- swapping upper/ for a
 * hard link to another file -- must not get that file chowned by host
 * root.  strace holds the launcher for 3 s after its first mkdirat(2), the
 * window in which the test swaps; the launcher must refuse, with the
 * victim file still root's. */
START_TEST(test_overlay_upper_swapped_for_a_hard_link)
{
	char dir[PATH_MAX], odir[PATH_MAX + 8], upper[PATH_MAX + 16], victim[PATH_MAX + 8];
	struct stat st;
	workdir(dir, sizeof dir, "swap");
	FMT(odir, "%s/o", dir);
	FMT(upper, "%s/upper", odir);
	FMT(victim, "%s/victim", dir);
	ck_assert_int_eq(mkdir(odir, 0700), 0);
	int fd = open(victim, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	int in = devnull(O_RDONLY), out = devnull(O_WRONLY), err = new_memfd();
	pid_t pid = spawn_env(in, out, err, token_env(), ARGV("strace", "-f", "-qq", "-o",
			      "/dev/null", "-e", "trace=mkdirat", "-e",
			      "inject=mkdirat:delay_exit=3000000:when=1", (char *)contained_bin(),
			      "-m", (char *)test_rootfs(), "-u", "0", "-o", odir, "-c", "/bin/true"));
	close(in);
	close(out);
	long deadline = now_ms() + 10000;
	while ((lstat(upper, &st) < 0 || !S_ISDIR(st.st_mode)) && now_ms() < deadline)
		usleep(500);
	bool swapped = rmdir(upper) == 0 && link(victim, upper) == 0;
	int saved = errno, status = wait_child(pid, 20000);
	char *e = memfd_text(err);
	close(err);
	int got = stat(victim, &st);
	rm_rf(dir);
	ck_assert_msg(swapped, "upper/ never appeared, or could not be swapped (%s); stderr:\n%s",
		      strerror(saved), tl(e));
	ck_assert_int_eq(got, 0);
	ck_assert_msg(st.st_uid == 0 && st.st_gid == 0, "host root chowned the file linked in "
		      "as upper/ to %u:%u", (unsigned)st.st_uid, (unsigned)st.st_gid);
	ck_assert_msg(status == 125 && strstr(e, "upper must be a directory"),
		      "status %d; stderr:\n%s", status, tl(e));
	free(e);
}
END_TEST

/* Two overlays on one upper/ corrupt each other: a second launch on the
 * same -o DIR is refused while the first container lives -- also after its
 * launcher is killed, until the watchdog has ended the container. */
START_TEST(test_overlay_dir_one_container_at_a_time)
{
	char dir[PATH_MAX], odir[PATH_MAX + 8], arg[16], cmdline[64];
	workdir(dir, sizeof dir, "lock");
	FMT(odir, "%s/o", dir);
	ck_assert_int_eq(mkdir(odir, 0700), 0);
	FMT(arg, "%d", 500000 + (int)getpid());
	FMT(cmdline, "/probes/nopdeath\n%s\n", arg);
	int out[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	int in = devnull(O_RDONLY), err = new_memfd();
	pid_t launcher = spawn_env(in, out[1], err, token_env(), ARGV((char *)contained_bin(),
				   "-m", (char *)test_rootfs(), "-u", "0", "-H", (char *)token(),
				   "-o", odir, "-c", "/probes/nopdeath", arg));
	close(out[1]);
	close(in);
	struct buf b;
	buf_init(&b);
	int ready = read_until(out[0], &b, "nopdeath ready", 15000);
	const char *second = "%s -m %s -u 0 -o %s -c /bin/true";
	struct run while_running = run_sh(second, contained_bin(), test_rootfs(), odir);
	pid_t wd = watchdog_of(launcher), inner = find_by_cmdline(cmdline, 5);
	if (wd > 0)
		kill(wd, SIGSTOP);
	kill(launcher, SIGKILL);
	int st = wait_child(launcher, 5000);
	msleep(100);
	bool outlived = inner > 0 && kill(inner, 0) == 0;
	struct run while_outliving = run_sh(second, contained_bin(), test_rootfs(), odir);
	if (wd > 0)
		kill(wd, SIGCONT);
	long deadline = now_ms() + 5000;
	char state;
	while (wd > 0 && (state = proc_state(wd, NULL, NULL, 0)) && state != 'Z' &&
	       now_ms() < deadline)
		msleep(10);
	struct run after = run_sh(second, contained_bin(), test_rootfs(), odir);
	char *e = memfd_text(err);
	close(err);
	close(out[0]);
	rm_rf(dir);
	ck_assert_msg(ready == 1 && wd > 0 && inner > 0, "the first container never got going "
		      "(watchdog %d, nopdeath %d); stderr:\n%s", (int)wd, (int)inner, tl(e));
	ck_assert_int_eq(st, 128 + SIGKILL);
	ck_assert_msg(while_running.status == 125 && strstr(while_running.err, "-o ") &&
		      strstr(while_running.err, ": in use by another container"),
		      "a second launch on the same -o DIR: status %d, stderr:\n%s",
		      while_running.status, tl(while_running.err));
	ck_assert_msg(outlived, "the container did not outlive its launcher; nothing tested");
	ck_assert_msg(while_outliving.status == 125 && strstr(while_outliving.err, "in use"),
		      "with the launcher killed but its container alive: status %d, stderr:\n%s",
		      while_outliving.status, tl(while_outliving.err));
	ck_assert_msg(after.status == 0, "once the container is gone: status %d, stderr:\n%s",
		      after.status, tl(after.err));
	run_free(&while_running);
	run_free(&while_outliving);
	run_free(&after);
	free(e);
	free(b.data);
}
END_TEST

/* A host may turn overlay features on for every overlay (the module's
 * index, metacopy and redirect_dir parameters).  -o spells them out, so
 * upper/ holds whole copies and no redirects, and work/ no index, whatever
 * the host's defaults.  The parameters are set for one launch and put back. */
START_TEST(test_overlay_ignores_the_hosts_defaults)
{
	static const char *const params[] = { "index", "metacopy", "redirect_dir" };
	char saved[3][8], path[128], dir[PATH_MAX], odir[PATH_MAX + 8], file[PATH_MAX + 32];
	for (int i = 0; i < 3; i++) {
		FMT(path, "/sys/module/overlay/parameters/%s", params[i]);
		char *v = slurp(path);
		ck_assert_msg(v != NULL, "%s: overlay is not loaded", path);
		FMT(saved[i], "%c", v[0]);
		free(v);
	}
	workdir(dir, sizeof dir, "ovlparams");
	FMT(odir, "%s/o", dir);
	ck_assert_int_eq(mkdir(odir, 0700), 0);
	for (int i = 0; i < 3; i++) {
		FMT(path, "/sys/module/overlay/parameters/%s", params[i]);
		ck_assert_int_eq(write_file_text(path, "Y"), 0);
	}
	struct run r = run_sh("%s -m %s -u 0 -o %s -c /bin/sh -c 'chown 1 /etc/passwd && "
			      "mkdir /opt/sub && mv /usr /usr2 && echo done'", contained_bin(),
			      test_rootfs(), odir);
	for (int i = 0; i < 3; i++) {
		FMT(path, "/sys/module/overlay/parameters/%s", params[i]);
		write_file_text(path, saved[i]);
	}
	const struct { const char *file, *xattr; } none[] = {
		{ "upper/etc/passwd", "trusted.overlay.metacopy" },
		{ "upper/usr2", "trusted.overlay.redirect" },
	};
	char found[256] = "";
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		FMT(file, "%s/%s", odir, none[i].file);
		errno = 0;
		if (lgetxattr(file, none[i].xattr, NULL, 0) >= 0 || errno != ENODATA)
			FMT(found, "%s: %s (%s)", none[i].file, none[i].xattr,
			    errno ? strerror(errno) : "present");
	}
	FMT(file, "%s/work/index", odir);
	bool index = access(file, F_OK) == 0;
	rm_rf(dir);
	ck_assert_msg(r.status == 0 && has_line(r.out, "done"), "status %d, stdout:\n%s\n"
		      "stderr:\n%s", r.status, r.out, tl(r.err));
	ck_assert_msg(!found[0], "%s", found);
	ck_assert_msg(!index, "work/index exists: the index was on");
	run_free(&r);
}
END_TEST

/* ---- suite --------------------------------------------------------------------------------- */

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc;

	tc = tcase_create("mounts");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_propagation, 0, (int)(sizeof propagation / sizeof *propagation));
	tcase_add_loop_test(tc, test_symlinked_targets, 0, 3 * NKINDS);
	tcase_add_test(tc, test_home_0700);
	tcase_add_test(tc, test_rootfs_resolved_once);
	tcase_add_test(tc, test_long_rootfs_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroups");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_live_cgroup_in_other_pidns);
	tcase_add_test(tc, test_same_name_two_pidns);
	tcase_add_test(tc, test_stale_cgroup_named_pid1);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifetime");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_kill_launcher_nopdeath);
	tcase_add_test(tc, test_kill_launcher_and_watchdog);
	tcase_add_test(tc, test_kill_launcher_su);
	tcase_add_test(tc, test_kill_launcher_at_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("descriptors");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_stdin_refused);
	tcase_add_test(tc, test_init_hides_the_launchers_command_line);
	tcase_add_test(tc, test_callers_terminal_out_of_reach);
	tcase_add_test(tc, test_device_node_in_rootfs);
	tcase_add_test(tc, test_stdin_streams);
	suite_add_tcase(s, tc);

	tc = tcase_create("overlay");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_overlay_upper_swapped_for_a_hard_link);
	tcase_add_test(tc, test_overlay_dir_one_container_at_a_time);
	tcase_add_test(tc, test_overlay_ignores_the_hosts_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("hosts");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_in_chroot);
	tcase_add_test(tc, test_proc_not_fully_visible);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return run_container_suite("test_hostile", hostile_suite());
}
