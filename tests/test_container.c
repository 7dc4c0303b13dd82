/*
 * test_container.c - integration tests for contained: launch real
 * containers on the test rootfs and check what the process inside sees,
 * what the host sees of it, the exit status, and that the launcher leaves
 * nothing behind (mounts, /tmp entries, cgroups, processes), both when it
 * refuses to start and when a container ends.
 *
 * Run as root from the project's top directory: `sudo make check-container`.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#define TOKEN_PREFIX "ctest"
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>

#define CONTAINER_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- small helpers ------------------------------------------------------ */

/* Collapse runs of blanks to one space and trim each line. */
static char *squeeze(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	bool blank = false, start = true;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			blank = true;
			continue;
		}
		if (*s == '\n') {
			*o++ = '\n';
			blank = false;
			start = true;
			continue;
		}
		if (blank && !start)
			*o++ = ' ';
		*o++ = *s;
		blank = start = false;
	}
	*o = '\0';
	return out;
}

/* Replace each {K} in TEMPLATE by the value for K in the (key, value) table. */
static char *expand(const char *tmpl, const char *const keys[][2], int nkeys)
{
	char *out = calloc(1, 1);
	size_t len = 0;
	for (const char *p = tmpl; *p; ) {
		bool done = false;
		if (*p == '{') {
			for (int i = 0; i < nkeys; i++) {
				size_t kl = strlen(keys[i][0]);
				if (!strncmp(p + 1, keys[i][0], kl) && p[1 + kl] == '}') {
					append(&out, &len, keys[i][1], strlen(keys[i][1]));
					p += kl + 2;
					done = true;
					break;
				}
			}
		}
		if (!done)
			append(&out, &len, p++, 1);
	}
	return out;
}

/* ---- leftovers: host state before and after a launcher run -------------- */

/* Whether the cgroup directory PATH is named after token(). */
static bool cgroup_is_ours(const char *path)
{
	return strstr(strrchr(path, '/') + 1, token());
}

/* Describe what the launcher run (hostname and cgroup prefix token()) left
 * behind compared with BEFORE: new mounts, our new /tmp entries, new
 * cgroups named after token(), and processes with token_env() in their
 * environment (the launcher, its watchdog); NULL if nothing.
 * (test_hostile.c's leftovers() also counts the container's own processes
 * and the records in /run/contained.) */
static char *launcher_leftovers_once(const struct snapshot *before)
{
	char *rep = calloc(1, 1);
	size_t len = 0;
	struct snapshot after;
	snap_take(&after);

	/* mounts: any new line in the host's mount table */
	report_new_lines(&rep, &len, "host mount: ", before->mounts, after.mounts, NULL);
	/* /tmp */
	report_new_lines(&rep, &len, "/tmp entry: /tmp/", before->tmp, after.tmp,
			 tmp_entry_is_ours);
	/* cgroups: named <hostname>.<launch id>; the tests' hostname is the token */
	report_new_lines(&rep, &len, "cgroup: ", before->cgroups, after.cgroups, cgroup_is_ours);
	/* processes that carry the token in their environment */
	const char *needle = token_env();
	size_t n;
	pid_t *pids = all_pids(&n);
	for (size_t i = 0; i < n; i++) {
		pid_t pid = pids[i];
		if (pid == getpid())
			continue;
		char *env = proc_file(pid, "environ");
		if (env && has_line(env, needle)) {
			char *comm = proc_file(pid, "comm");
			char what[128];
			FMT(what, "process %d ", (int)pid);
			report_add(&rep, &len, what, comm ? chomp(comm) : "?");
			free(comm);
		}
		free(env);
	}
	free(pids);
	snap_free(&after);
	if (!len) {
		free(rep);
		return NULL;
	}
	return rep;
}

/* launcher_leftovers_once() that are still there after 2 s. */
static char *launcher_leftovers(const struct snapshot *before)
{
	char *rep = NULL;
	double end = now() + 2.0;
	do {
		free(rep);
		rep = launcher_leftovers_once(before);
		if (!rep)
			return NULL;
		msleep(50);
	} while (now() < end);
	return rep;
}

/* ---- a container in the background -------------------------------------- */

struct bg {
	pid_t launcher;
	char errfile[PATH_MAX];
};

/* Start `contained -m ROOTFS -u 0 -H token -c ARGV...` with stdout and
 * stderr going to a file. */
static void bg_start(struct bg *b, char *const cargv[])
{
	FMT(b->errfile, "tests/build/ctest-bg.%d", (int)getpid());
	char *argv[32];
	int n = 0;
	argv[n++] = (char *)contained_bin();
	argv[n++] = "-m";
	argv[n++] = (char *)test_rootfs();
	argv[n++] = "-u";
	argv[n++] = "0";
	argv[n++] = "-H";
	argv[n++] = (char *)token();
	argv[n++] = "-c";
	for (int i = 0; cargv[i] && n < 31; i++)
		argv[n++] = cargv[i];
	argv[n] = NULL;
	char *env = token_env(); /* no Check assertions in the child */

	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int in = open("/dev/null", O_RDONLY);
		int out = open(b->errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		putenv(env);
		execv(argv[0], argv);
		_exit(126);
	}
	b->launcher = pid;
}

/* Wait for the launcher; its exit status as a shell would report it, or -1
 * (and the launcher killed) if it does not end within SECONDS. */
static int bg_wait(struct bg *b, double seconds)
{
	return wait_child(b->launcher, (long)(seconds * 1000));
}

static char *bg_output(struct bg *b)
{
	char *s = slurp(b->errfile);
	unlink(b->errfile);
	return s ? s : calloc(1, 1);
}

/* ---- PID namespace ------------------------------------------------------- */

START_TEST(test_pid1)
{
	struct run r = run_in("echo $$");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(chomp(r.out), "1");
	run_free(&r);
}
END_TEST

START_TEST(test_ps_only_own_processes)
{
	/* `; true` keeps sh from exec'ing ps, so two processes exist */
	struct run r = run_in("ps -o pid,comm; true");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	char *s = squeeze(r.out);
	ck_assert_msg(count_lines(s) == 3, "expected a header, sh and ps, got:\n%s", r.out);
	ck_assert_msg(has_line(s, "1 sh"), "sh is not PID 1:\n%s", r.out);
	char *second = strchr(strchr(s, '\n') + 1, '\n') + 1;
	int pid;
	char comm[32];
	ck_assert_msg(sscanf(second, "%d %31s", &pid, comm) == 2, "bad ps line:\n%s", r.out);
	ck_assert_str_eq(comm, "ps");
	ck_assert_msg(pid > 1 && pid < 10, "ps has pid %d inside", pid);
	/* /proc agrees: the shell's own glob, no fork, sees only PID 1 */
	struct run l = run_in("echo /proc/[0-9]*");
	ck_assert_msg(l.status == 0, "status %d, stderr:\n%s", l.status, l.err);
	ck_assert_str_eq(chomp(l.out), "/proc/1");
	free(s);
	run_free(&l);
	run_free(&r);
}
END_TEST

/* The container's PID 1 seen from the host: an unprivileged uid, never 0. */
START_TEST(test_host_sees_unprivileged_uid)
{
	struct bg b;
	bg_start(&b, (char *const[]){ "/bin/sleep", "20", NULL });
	pid_t inner = wait_descendant(b.launcher, "sleep", 10000);
	char *status = NULL, *psout = NULL;
	struct run ps = { .status = -1 };
	if (inner > 0) {
		char path[64];
		FMT(path, "/proc/%d/status", (int)inner);
		status = slurp(path);
		ps = run_sh("ps -o uid=,gid= -p %d", (int)inner);
		psout = squeeze(ps.out);
		kill(inner, SIGKILL);
	}
	int st = bg_wait(&b, 10);
	char *out = bg_output(&b);
	ck_assert_msg(inner > 0, "no sleep process under launcher %d; launcher said:\n%s",
		      (int)b.launcher, out);
	ck_assert_ptr_nonnull(status);
	char *sq = squeeze(status);
	ck_assert_msg(has_line(sq, "Uid: 100000 100000 100000 100000"), "host view:\n%s", status);
	ck_assert_msg(has_line(sq, "Gid: 100000 100000 100000 100000"), "host view:\n%s", status);
	char nspid[64];
	FMT(nspid, "NSpid: %d 1", (int)inner);
	ck_assert_msg(has_line(sq, nspid), "not PID 1 in its namespace:\n%s", status);
	ck_assert_msg(ps.status == 0, "host ps failed: %s", ps.err);
	ck_assert_str_eq(chomp(psout), "100000 100000");
	ck_assert_msg(st == 137, "launcher status %d after SIGKILL, output:\n%s", st, out);
	free(sq);
	free(status);
	free(psout);
	free(out);
	run_free(&ps);
}
END_TEST

/* ---- UTS namespace ------------------------------------------------------- */

START_TEST(test_hostname_given)
{
	char before[256] = "", after[256] = "";
	ck_assert_int_eq(gethostname(before, sizeof before), 0);
	ck_assert_str_ne(before, "ctest-box");
	struct run r = run_sh("%s -m %s -u 0 -H ctest-box -c /bin/sh -c 'hostname; uname -n; cat /proc/sys/kernel/hostname'",
			      contained_bin(), test_rootfs());
	ck_assert_int_eq(gethostname(after, sizeof after), 0);
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "ctest-box\nctest-box\nctest-box\n");
	ck_assert_str_eq(after, before);
	run_free(&r);
}
END_TEST

START_TEST(test_hostname_generated)
{
	char before[256] = "", after[256] = "";
	ck_assert_int_eq(gethostname(before, sizeof before), 0);
	struct run r = run_in("hostname");
	ck_assert_int_eq(gethostname(after, sizeof after), 0);
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	chomp(r.out);
	regex_t re;
	ck_assert_int_eq(regcomp(&re, "^[0-9a-f]+-[a-z]+(-[a-z]+)*$", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, r.out, 0, NULL, 0) == 0, "generated hostname \"%s\"", r.out);
	regfree(&re);
	ck_assert_str_ne(r.out, before);
	ck_assert_str_eq(after, before);
	run_free(&r);
}
END_TEST

/* ---- network namespace ---------------------------------------------------- */

/* Split S in place at lines "--" into up to N sections; returns the count. */
static int sections(char *s, char **parts, int n)
{
	int k = 0;
	parts[k++] = s;
	while (k < n) {
		char *sep = strstr(s, "--\n");
		while (sep && sep != parts[0] && sep[-1] != '\n')
			sep = strstr(sep + 1, "--\n");
		if (!sep)
			break;
		*sep = '\0';
		s = parts[k++] = sep + 3;
	}
	return k;
}

START_TEST(test_only_lo_up)
{
	struct run r = run_in("ls /sys/class/net; echo --; cat /sys/class/net/lo/flags; echo --; "
			      "ip -o link show; echo --; tail -n +3 /proc/net/dev");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	char *copy = strdup(r.out), *part[4];
	ck_assert_msg(sections(copy, part, 4) == 4, "output:\n%s", r.out);
	ck_assert_msg(!strcmp(part[0], "lo\n"), "/sys/class/net has:\n%s", part[0]);
	unsigned long flags = strtoul(part[1], NULL, 16);
	ck_assert_msg(flags & 0x1, "lo flags %#lx: not IFF_UP", flags);
	int links = 0;
	for (char *p = part[2]; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (isdigit((unsigned char)*p)) {
			links++;
			ck_assert_msg(!strncmp(p, "1: lo: <", 8) && strstr(p, ",UP"),
				      "ip link:\n%s", part[2]);
		}
	ck_assert_msg(links == 1, "ip link shows %d links:\n%s", links, part[2]);
	char *dev = squeeze(part[3]);
	ck_assert_msg(count_lines(dev) == 1 && !strncmp(dev, "lo:", 3), "/proc/net/dev:\n%s", dev);
	free(dev);
	free(copy);
	run_free(&r);
}
END_TEST

/* ---- user namespace ------------------------------------------------------- */

START_TEST(test_uid_map)
{
	struct run r = run_in("cat /proc/self/uid_map; cat /proc/self/gid_map");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	char *s = squeeze(r.out);
	ck_assert_str_eq(s, "0 100000 65536\n0 100000 65536\n");
	free(s);
	run_free(&r);
}
END_TEST

START_TEST(test_user_1000)
{
	struct run r = run_in_as(1000, "id -u; id -g; id -G; grep -E \"^(Uid|Gid|Groups):\" /proc/self/status");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	char *s = squeeze(r.out);
	/* the group and the supplementary groups (users) from the rootfs's
	 * /etc/passwd and /etc/group; none of the host's */
	ck_assert_str_eq(s, "1000\n1000\n1000 100\nUid: 1000 1000 1000 1000\nGid: 1000 1000 1000 1000\n"
			 "Groups: 100 1000\n");
	free(s);
	run_free(&r);
}
END_TEST

START_TEST(test_user_bounds)
{
	/* 65535, the last mapped id, is accepted; so is 0 */
	struct run r = run_in_as(65535, "id -u; id -G");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "65535\n65535\n");
	run_free(&r);
	r = run_in_as(0, "id -u; id -G");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "0\n0\n");
	run_free(&r);
}
END_TEST

/* Root inside creates a file in the rootfs; on the host it is owned by
 * uid 0, like the rest of the (root-owned) rootfs. */
START_TEST(test_root_writes_rootfs)
{
	char path[PATH_MAX];
	FMT(path, "%s/etc/x", test_rootfs());
	unlink(path);
	struct stat st;
	ck_assert_int_eq(stat(test_rootfs(), &st), 0);
	ck_assert_msg(st.st_uid == 0, "the test rootfs is not owned by root: rebuild it as root");
	struct run r = run_in("echo hello > /etc/x && echo more >> /etc/x && stat -c \"%%u %%g\" /etc/x /etc/passwd");
	struct stat xs;
	int got = stat(path, &xs);
	char *content = slurp(path);
	unlink(path);
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "0 0\n0 0\n");
	ck_assert_msg(got == 0, "%s not on the host: %s", path, strerror(errno));
	ck_assert_msg(xs.st_uid == 0 && xs.st_gid == 0, "%s is owned by %u:%u on the host",
		      path, (unsigned)xs.st_uid, (unsigned)xs.st_gid);
	ck_assert_str_eq(content, "hello\nmore\n");
	free(content);
	run_free(&r);
}
END_TEST

/* ---- environment ---------------------------------------------------------- */

static void check_env(bool with_term)
{
	/* /proc/1/environ is exactly what the launcher passed to execve (the
	 * shell is PID 1); `env` adds what the shell exports itself. */
	struct run r = run_sh("env %s CTEST_LEAK=leak %s -m %s -u 0 -c /bin/sh -c "
			      "'tr \"\\0\" \"\\n\" < /proc/1/environ; echo --; env'",
			      with_term ? "TERM=ctest-term" : "-u TERM", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	char *sep = strstr(r.out, "--\n");
	ck_assert_msg(sep, "output:\n%s", r.out);
	*sep = '\0';
	char *initial = r.out, *shell = sep + 3;

	/* HOME is /root when the rootfs has that directory, else / */
	char rootdir[PATH_MAX];
	struct stat st;
	FMT(rootdir, "%s/root", test_rootfs());
	const char *home = stat(rootdir, &st) == 0 && S_ISDIR(st.st_mode) ? "HOME=/root" : "HOME=/";
	ck_assert_msg(has_line(initial, "PATH=" CONTAINER_PATH), "environment:\n%s", initial);
	ck_assert_msg(has_line(initial, home), "environment (want %s):\n%s", home, initial);
	if (with_term)
		ck_assert_msg(has_line(initial, "TERM=ctest-term"), "environment:\n%s", initial);
	/* and root's name and shell from the rootfs's /etc/passwd */
	ck_assert_msg(has_line(initial, "USER=root") && has_line(initial, "LOGNAME=root") &&
		      has_line(initial, "SHELL=/bin/sh"), "environment:\n%s", initial);
	ck_assert_int_eq(count_lines(initial), with_term ? 6 : 5);

	/* what the shell shows: the same plus only its own PWD, SHLVL, OLDPWD */
	for (char *p = shell; *p; ) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *eq = strchr(p, '=');
		ck_assert_msg(eq, "odd env line \"%s\"", p);
		size_t n = eq - p;
		bool ok = (n == 4 && !strncmp(p, "PATH", 4)) || (n == 4 && !strncmp(p, "HOME", 4)) ||
			  (n == 4 && !strncmp(p, "USER", 4)) || (n == 7 && !strncmp(p, "LOGNAME", 7)) ||
			  (n == 5 && !strncmp(p, "SHELL", 5)) ||
			  (with_term && n == 4 && !strncmp(p, "TERM", 4)) ||
			  (n == 3 && !strncmp(p, "PWD", 3)) || (n == 5 && !strncmp(p, "SHLVL", 5)) ||
			  (n == 6 && !strncmp(p, "OLDPWD", 6));
		ck_assert_msg(ok, "unexpected variable inside: %s", p);
		if (!nl)
			break;
		p = nl + 1;
	}
	run_free(&r);
}

START_TEST(test_clean_env_with_term)
{
	check_env(true);
}
END_TEST

START_TEST(test_clean_env_without_term)
{
	check_env(false);
}
END_TEST

/* ---- filesystem ------------------------------------------------------------ */

START_TEST(test_host_marker_unreachable)
{
	char marker[PATH_MAX], dir[PATH_MAX], cwd[PATH_MAX], secret[64], name[64];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	FMT(name, "ctest-marker-%s", token());
	FMT(dir, "%s/tests/build", cwd);
	FMT(marker, "%s/%s", dir, name);
	FMT(secret, "secret-%s", token());
	FILE *f = fopen(marker, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", secret);
	fclose(f);
	const char *root = abs_rootfs();

	/* Each probe prints a tag only when it gets through. */
	struct run r = run_in(
		"test -e %1$s && echo HOSTPATH; cat %1$s; "
		"test -e /proc/1/root%1$s && echo PROC1ROOT; cat /proc/1/root%1$s; "
		"test -e /proc/self/root%1$s && echo PROCSELFROOT; "
		"test -e /proc/1/root/../../..%1$s && echo PROC1ROOTDOTDOT; "
		"test -e /proc/1/cwd/../../..%1$s && echo PROC1CWD; "
		"test -e /../../../..%1$s && echo DOTDOT; "
		"test -e %2$s/etc/passwd && echo ROOTFSPATH; "
		"cd /../../..; echo \"cwd=$(pwd -P)\"; test -e .%1$s && echo CDDOTDOT; cat .%1$s; "
		"cd ../../../../..%4$s 2>/dev/null && echo CDESCAPE; cd /; "
		"test -d /proc/1/root/../../..%4$s && echo PROC1DIR; "
		"find / -path /proc -prune -o -path /sys -prune -o -name %3$s -print; "
		"echo END",
		marker, root, name, dir);
	unlink(marker);
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "END\n"), "probes did not finish:\n%s\n%s", r.out, r.err);
	ck_assert_msg(!strstr(r.out, secret), "marker content read inside:\n%s", r.out);
	ck_assert_msg(!strstr(r.out, name), "find saw the marker:\n%s", r.out);
	ck_assert_str_eq(r.out, "cwd=/\nEND\n");
	run_free(&r);
}
END_TEST

/* Mount point of a mountinfo line (field 5), its options (6) and type. */
struct mnt {
	char point[PATH_MAX], opts[512], type[64], source[PATH_MAX];
};

static bool parse_mount(const char *line, struct mnt *m)
{
	char root[PATH_MAX];
	int id, parent;
	if (sscanf(line, "%d %d %*s %4095s %4095s %511s", &id, &parent, root, m->point, m->opts) != 5)
		return false;
	const char *dash = strstr(line, " - ");
	return dash && sscanf(dash + 3, "%63s %4095s", m->type, m->source) == 2;
}

static bool has_opt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	for (const char *p = opts; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, opt, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

START_TEST(test_mounts_inside)
{
	struct run r = run_in("cat /proc/self/mountinfo");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	const char *hostroot = abs_rootfs();
	int roots = 0;
	bool proc = false, sys = false, dev = false, pts = false;
	for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
		struct mnt m;
		ck_assert_msg(parse_mount(line, &m), "mountinfo line \"%s\"", line);
		ck_assert_msg(!strstr(m.point, hostroot) && !strstr(m.point, "old") &&
			      !strstr(m.point, "pivot"), "old root still mounted: %s", line);
		ck_assert_msg(!strcmp(m.point, "/") || under(m.point, "/proc") || under(m.point, "/dev") ||
			      under(m.point, "/sys") || !strcmp(m.point, "/etc/hosts") ||
			      !strcmp(m.point, "/etc/hostname"), "unexpected mount (old root?): %s", line);
		if (!strcmp(m.point, "/"))
			roots++;
		if (!strcmp(m.point, "/proc")) {
			proc = true;
			ck_assert_str_eq(m.type, "proc");
			ck_assert_msg(has_opt(m.opts, "nosuid") && has_opt(m.opts, "nodev") &&
				      has_opt(m.opts, "noexec"), "/proc options: %s", m.opts);
		}
		if (!strcmp(m.point, "/sys")) {
			sys = true;
			ck_assert_str_eq(m.type, "sysfs");
			ck_assert_msg(has_opt(m.opts, "ro"), "/sys options: %s", m.opts);
		}
		if (!strcmp(m.point, "/dev")) {
			dev = true;
			ck_assert_str_eq(m.type, "tmpfs");
		}
		if (!strcmp(m.point, "/dev/pts")) {
			pts = true;
			ck_assert_str_eq(m.type, "devpts");
		}
	}
	ck_assert_msg(roots == 1, "%d mounts on / (old root stacked below?)", roots);
	ck_assert_msg(proc && sys && dev && pts, "missing mount: proc %d sys %d dev %d devpts %d",
		      proc, sys, dev, pts);
	run_free(&r);
}
END_TEST

START_TEST(test_sys_read_only)
{
	/* A write that sysfs would allow container root if it were rw: the
	 * loopback's tx queue length belongs to the container's netns.  It
	 * writes back the current value, harmless even if it did land. */
	struct run r = run_in("v=$(cat /sys/class/net/lo/tx_queue_len); "
			      "echo $v > /sys/class/net/lo/tx_queue_len && echo WROTE");
	ck_assert_msg(!strstr(r.out, "WROTE"), "wrote to /sys:\n%s", r.out);
	ck_assert_msg(strstr(r.err, "Read-only"), "no EROFS, stderr:\n%s", r.err);
	run_free(&r);
}
END_TEST

START_TEST(test_dev)
{
	struct run r = run_in(
		"for n in null zero full random urandom tty ptmx; do test -c /dev/$n && echo C:$n; done; "
		"for n in pts shm; do test -d /dev/$n && echo D:$n; done; "
		"test -c /dev/pts/ptmx && echo C:pts/ptmx; "
		"for n in fd stdin stdout stderr; do test -L /dev/$n && echo L:$n=$(readlink /dev/$n); done; "
		"echo x > /dev/null && echo NULL-OK; "
		"echo U:$(head -c 16 /dev/urandom | wc -c); "
		"echo Z:$(head -c 4 /dev/zero | od -An -tx1 | tr -d \" \"); "
		"(echo x > /dev/full) 2>/dev/null || echo FULL-ENOSPC; "
		"for n in kmsg vda loop0 mem; do test -e /dev/$n && echo HOST:$n; done; "
		"echo END");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	const char *want[] = { "C:null", "C:zero", "C:full", "C:random", "C:urandom", "C:tty",
			       "C:ptmx", "D:pts", "D:shm", "C:pts/ptmx", "L:fd=/proc/self/fd",
			       "L:stdin=/proc/self/fd/0", "L:stdout=/proc/self/fd/1",
			       "L:stderr=/proc/self/fd/2", "NULL-OK", "U:16", "Z:00000000",
			       "FULL-ENOSPC", "END" };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		ck_assert_msg(has_line(r.out, want[i]), "missing %s in:\n%s", want[i], r.out);
	ck_assert_msg(!strstr(r.out, "HOST:"), "host devices inside:\n%s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(test_cwd_is_root)
{
	struct run r = run_in("pwd -P; readlink /proc/self/cwd; readlink /proc/1/cwd");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "/\n/\n/\n");
	run_free(&r);
}
END_TEST

/* ---- command line and exit status ------------------------------------------- */

START_TEST(test_args_after_c)
{
	struct run r = run_sh("%s -m %s -u 0 -c /bin/sh -c 'echo hi'", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "hi\n");
	run_free(&r);
	/* options after -c belong to the command, even the launcher's own */
	r = run_sh("%s -m %s -u 0 -c /bin/sh -c 'printf \"%%s|\" \"$@\"' sh -u 5 -m x -c -H -- -h",
		   contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "-u|5|-m|x|-c|-H|--|-h|");
	run_free(&r);
}
END_TEST

START_TEST(test_command_via_path)
{
	/* a bare name is looked up in the container's PATH, inside the rootfs */
	struct run r = run_sh("%s -m %s -u 0 -c echo via-path", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	ck_assert_str_eq(r.out, "via-path\n");
	run_free(&r);
}
END_TEST

START_TEST(test_stage_lines)
{
	struct run r = run_in("true");
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	regex_t re;
	ck_assert_int_eq(regcomp(&re, "^=> [^\n]+\\.\\.\\.done\\.$", REG_EXTENDED | REG_NOSUB), 0);
	int stages = 0;
	for (char *line = strtok(r.err, "\n"); line; line = strtok(NULL, "\n"))
		if (regexec(&re, line, 0, NULL, 0) == 0)
			stages++;
	regfree(&re);
	ck_assert_msg(stages >= 3, "only %d `=> stage...done.` lines", stages);
	run_free(&r);
}
END_TEST

/* -v: the system calls of each stage, with their real arguments, so a
 * learner can match the log to the source; none of them without -v. */
START_TEST(test_verbose_shows_syscalls)
{
	static const char *const calls[] = {
		"clone(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWNET|CLONE_NEWIPC|CLONE_NEWUTS|SIGCHLD",
		"/uid_map\", \"0 100000 65536\")",
		", \"0\")   (/sys/fs/cgroup/",
		"unshare(CLONE_NEWCGROUP)",
		"mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)",
		"mount(\"proc\", \"",
		"pivot_root(\".\", \".\")",
		"sethostname(\"vbox\")",
		"capset(\"cap_chown,",
		"seccomp(SECCOMP_SET_MODE_FILTER",
		"execve(\"/bin/true\"",
	};
	struct run r = run_sh("%s -v -H vbox -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d, stderr:\n%s", r.status, r.err);
	for (size_t i = 0; i < sizeof calls / sizeof *calls; i++)
		ck_assert_msg(strstr(r.err, calls[i]), "-v does not show %s:\n%s", calls[i], r.err);
	if (!strstr(r.err, "warning: no idmapped mount"))
		ck_assert_msg(strstr(r.err, "mount_setattr(") && strstr(r.err, "MOUNT_ATTR_IDMAP"),
			      "-v does not show the idmapped mount:\n%s", r.err);
	regex_t re;
	ck_assert_int_eq(regcomp(&re, "\n   done \\([0-9]+\\.[0-9]{2} ms\\)\\.\n", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, r.err, 0, NULL, 0) == 0, "-v does not time its stages:\n%.2000s", r.err);
	regfree(&re);
	run_free(&r);

	r = run_sh("%s -H vbox -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(!strstr(r.err, "pivot_root(") && !strstr(r.err, "clone("),
		      "system calls shown without -v:\n%s", r.err);
	run_free(&r);
}
END_TEST

/* -s: a pause before every stage on the terminal, and one after it with
 * a command to see the change; the container's own stdin stays a pipe.
 * Driven through script(1), which gives it a terminal fed with Enter
 * presses, one every 0.2 s: the launcher throws away what was typed before
 * a prompt (tests/test_classroom.c tests the pauses one by one). */
START_TEST(test_step_mode)
{
	struct run r = run_sh("for i in $(seq 80); do sleep 0.2; echo; done | script -qec "
			      "\"echo piped-in | %s -s -m %s -u 0 -c /bin/cat\" /dev/null",
			      contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d:\n%s%s", r.status, r.out, r.err);
	int pauses = 0;
	for (char *p = r.out; (p = strstr(p, "-- next: ")); p++)
		pauses++;
	ck_assert_msg(pauses >= 12, "only %d pauses:\n%s", pauses, r.out);
	static const char *const expected[] = {
		"-- next: pivoting root", "=> pivoting root...done.",
		"   see it: findmnt -N ", "   once it runs, see it: nsenter -t ", "press Enter to continue",
		"-- next: exec'ing the command as PID 1", "piped-in",
	};
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
		ck_assert_msg(strstr(r.out, expected[i]), "no '%s' in:\n%.3000s", expected[i], r.out);
	run_free(&r);

	/* no terminal to wait on: refused, not run */
	r = run_sh("setsid %s -s -m %s -u 0 -c /bin/echo RAN", contained_bin(), test_rootfs());
	ck_assert_int_eq(r.status, 125);
	ck_assert_msg(strstr(r.err, "contained: -s needs a terminal") && !strstr(r.out, "RAN"),
		      "%s%s", r.out, r.err);
	run_free(&r);
}
END_TEST

/* Exit statuses that pass through, with nothing left behind. */
static const struct {
	const char *args;  /* after -m ROOTFS -u 0 -H TOKEN -c */
	int status;
} exits[] = {
	{ "/bin/sh -c 'exit 0'", 0 },
	{ "/bin/true", 0 },
	{ "/bin/sh -c 'exit 7'", 7 },
	{ "/bin/false", 1 },
	{ "/bin/sh -c 'exit 200'", 200 },
	{ "/etc/passwd", 126 },                     /* not executable */
	{ "/bin/sh -c no-such-command-here", 127 }, /* the shell's own 127 */
};

START_TEST(test_exit_status)
{
	struct snapshot before;
	snap_take(&before);
	char args[512];
	FMT(args, "-m %s -u 0 -H %s -c %s", test_rootfs(), token(), exits[_i].args);
	pid_t pid;
	struct run r = run_launcher(&pid, "", args);
	char *left = launcher_leftovers(&before);
	ck_assert_msg(r.status == exits[_i].status, "-c %s: status %d, want %d; stderr:\n%s",
		      exits[_i].args, r.status, exits[_i].status, r.err);
	ck_assert_msg(!left, "-c %s left behind:\n%s", exits[_i].args, left);
	snap_free(&before);
	run_free(&r);
}
END_TEST

/* A command killed by SIGKILL (from the host: PID 1 ignores its own
 * namespace's signals) gives 128+9, and the launcher cleans up. */
START_TEST(test_exit_killed)
{
	struct snapshot before;
	snap_take(&before);
	struct bg b;
	bg_start(&b, (char *const[]){ "/bin/sleep", "20", NULL });
	pid_t inner = wait_descendant(b.launcher, "sleep", 10000);
	if (inner > 0)
		kill(inner, SIGKILL);
	int st = bg_wait(&b, 10);
	char *out = bg_output(&b);
	char *left = launcher_leftovers(&before);
	ck_assert_msg(inner > 0, "no sleep process under launcher; output:\n%s", out);
	ck_assert_msg(st == 137, "status %d after SIGKILL, output:\n%s", st, out);
	ck_assert_msg(!left, "left behind:\n%s", left);
	free(out);
	snap_free(&before);
}
END_TEST

/* The launcher's own 127: the file exists, but its ELF interpreter does not. */
START_TEST(test_exit_missing_interpreter)
{
	static const char interp[] = "/lib64/ld-linux-x86-64.so.2";
	static const char bogus[] = "/nonexist/ld-linux-x86.so.2";
	_Static_assert(sizeof interp == sizeof bogus, "same length");
	char *elf = NULL;
	size_t len = 0;
	int fd = open("/usr/bin/true", O_RDONLY);
	if (fd >= 0) {
		char chunk[65536];
		ssize_t n;
		elf = calloc(1, 1);
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			append(&elf, &len, chunk, n);
		close(fd);
	}
	char *hit = elf ? memmem(elf, len > 4096 ? 4096 : len, interp, sizeof interp) : NULL;
	if (!hit) {
		fprintf(stderr, "test_exit_missing_interpreter: no dynamic /usr/bin/true, skipped\n");
		free(elf);
		return;
	}
	memcpy(hit, bogus, sizeof bogus);
	char host[PATH_MAX], inside[128];
	FMT(inside, "/%s-noint", token());
	FMT(host, "%s%s", test_rootfs(), inside);
	fd = open(host, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, elf, len), (ssize_t)len);
	close(fd);
	free(elf);
	struct run r = run_sh("%s -m %s -u 0 -c %s", contained_bin(), test_rootfs(), inside);
	unlink(host);
	ck_assert_msg(r.status == 127, "status %d, want 127; stderr:\n%s", r.status, r.err);
	run_free(&r);
}
END_TEST

/* ---- bad input: 125, a message naming the problem, nothing left behind ---- */

static const struct {
	const char *what;
	const char *args;     /* {R} rootfs, {T} token, {M} missing dir, {F} regular file */
	const char *keys[4];  /* the error line names at least one */
} bad[] = {
	{ "no -m", "-u 0 -H {T} -c /bin/sh -c 'echo RAN'", { "-m", "rootfs" } },
	{ "missing rootfs", "-m {M} -u 0 -H {T} -c /bin/sh -c 'echo RAN'", { "ctest-missing-{T}" } },
	{ "rootfs is a file", "-m {F} -u 0 -H {T} -c /bin/sh -c 'echo RAN'", { "ctest-file-{T}" } },
	{ "command missing", "-m {R} -u 0 -H {T} -c /no-such-cmd-{T} arg", { "/no-such-cmd-{T}" } },
	{ "command not in PATH", "-m {R} -u 0 -H {T} -c no-such-cmd-{T}", { "no-such-cmd-{T}" } },
	{ "-u abc", "-m {R} -u abc -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid", "abc" } },
	{ "-u -1", "-m {R} -u -1 -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid", "-1" } },
	{ "-u 70000", "-m {R} -u 70000 -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid", "70000" } },
	{ "-u 65536", "-m {R} -u 65536 -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid", "65536" } },
	{ "-u 12abc", "-m {R} -u 12abc -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid", "12abc" } },
	{ "-u empty", "-m {R} -u '' -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid" } },
	{ "no -u", "-m {R} -H {T} -c /bin/sh -c 'echo RAN'", { "-u", "uid" } },
	{ "no -c", "-m {R} -u 0 -H {T}", { "-c", "command" } },
	{ "-c without command", "-m {R} -u 0 -H {T} -c", { "-c", "command" } },
	{ "unknown flag", "-m {R} -u 0 -H {T} -Z -c /bin/sh -c 'echo RAN'", { "-Z", "'Z'", "-- Z" } },
	{ "-M 12Q", "-m {R} -u 0 -H {T} -M 12Q -c /bin/sh -c 'echo RAN'", { "-M", "12Q", "memory" } },
	{ "-C 0", "-m {R} -u 0 -H {T} -C 0 -c /bin/sh -c 'echo RAN'", { "-C", "cpu" } },
	{ "-P -3", "-m {R} -u 0 -H {T} -P -3 -c /bin/sh -c 'echo RAN'", { "-P", "-3", "pids" } },
	{ "-H a/b", "-m {R} -u 0 -H {T}/x -c /bin/sh -c 'echo RAN'", { "-H", "hostname", "{T}/x" } },
};

static bool names_problem(const char *errs, const char *key)
{
	/* flags are case-sensitive (-m is not -M); words are not */
	return key[0] == '-' || key[0] == '\'' || key[0] == '/' ? strstr(errs, key) != NULL
								: strcasestr(errs, key) != NULL;
}

static void check_refused(const char *what, const char *prefix, const char *args_tmpl,
			  const char *const keys_tmpl[], int nkeys)
{
	char missing[PATH_MAX], file[PATH_MAX];
	FMT(missing, "tests/build/ctest-missing-%s", token());
	FMT(file, "tests/build/ctest-file-%s", token());
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	const char *const subst[][2] = {
		{ "R", test_rootfs() }, { "T", token() }, { "M", missing }, { "F", file },
	};
	char *args = expand(args_tmpl, subst, 4);

	struct snapshot before;
	snap_take(&before);
	pid_t pid;
	struct run r = run_launcher(&pid, prefix, args);
	char *left = launcher_leftovers(&before);
	unlink(file);

	ck_assert_msg(r.status == 125, "%s: status %d, want 125; stderr:\n%s", what, r.status, r.err);
	ck_assert_msg(!strstr(r.out, "RAN"), "%s: the command ran", what);
	char *errs = error_lines(r.err);
	ck_assert_msg(*errs, "%s: no line starting \"contained: \" on stderr:\n%s", what, r.err);
	bool named = false;
	char *keys_shown = calloc(1, 1);
	size_t kl = 0;
	for (int i = 0; i < nkeys && keys_tmpl[i]; i++) {
		char *key = expand(keys_tmpl[i], subst, 4);
		named = named || names_problem(errs, key);
		append(&keys_shown, &kl, " \"", 2);
		append(&keys_shown, &kl, key, strlen(key));
		append(&keys_shown, &kl, "\"", 1);
		free(key);
	}
	ck_assert_msg(named, "%s: the error names none of%s:\n%s", what, keys_shown, errs);
	ck_assert_msg(!left, "%s: left behind:\n%s", what, left);
	free(keys_shown);
	free(errs);
	free(args);
	snap_free(&before);
	run_free(&r);
}

START_TEST(test_bad_input)
{
	check_refused(bad[_i].what, "", bad[_i].args, bad[_i].keys, 4);
}
END_TEST

START_TEST(test_not_root)
{
	const char *drop = "setpriv --reuid=65534 --regid=65534 --clear-groups";
	struct run probe = run_sh("%s test -x %s", drop, contained_bin());
	ck_assert_msg(probe.status == 0, "uid 65534 cannot execute %s: fix the permissions "
		      "of its directories to run this test", contained_bin());
	run_free(&probe);
	const char *keys[] = { "root" };
	check_refused("not root", drop, "-m {R} -u 0 -H {T} -c /bin/sh -c 'echo RAN'", keys, 1);
}
END_TEST

/* ---- suite ------------------------------------------------------------------- */

static Suite *container_suite(void)
{
	Suite *s = suite_create("container");
	TCase *tc;

	tc = tcase_create("namespaces");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pid1);
	tcase_add_test(tc, test_ps_only_own_processes);
	tcase_add_test(tc, test_host_sees_unprivileged_uid);
	tcase_add_test(tc, test_hostname_given);
	tcase_add_test(tc, test_hostname_generated);
	tcase_add_test(tc, test_only_lo_up);
	tcase_add_test(tc, test_uid_map);
	suite_add_tcase(s, tc);

	tc = tcase_create("identity");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_user_1000);
	tcase_add_test(tc, test_user_bounds);
	tcase_add_test(tc, test_root_writes_rootfs);
	tcase_add_test(tc, test_clean_env_with_term);
	tcase_add_test(tc, test_clean_env_without_term);
	suite_add_tcase(s, tc);

	tc = tcase_create("filesystem");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_host_marker_unreachable);
	tcase_add_test(tc, test_mounts_inside);
	tcase_add_test(tc, test_sys_read_only);
	tcase_add_test(tc, test_dev);
	tcase_add_test(tc, test_cwd_is_root);
	suite_add_tcase(s, tc);

	tc = tcase_create("command");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_args_after_c);
	tcase_add_test(tc, test_command_via_path);
	tcase_add_test(tc, test_stage_lines);
	tcase_add_test(tc, test_verbose_shows_syscalls);
	tcase_add_test(tc, test_step_mode);
	tcase_add_loop_test(tc, test_exit_status, 0, (int)(sizeof exits / sizeof *exits));
	tcase_add_test(tc, test_exit_killed);
	tcase_add_test(tc, test_exit_missing_interpreter);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_bad_input, 0, (int)(sizeof bad / sizeof *bad));
	tcase_add_test(tc, test_not_root);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return run_container_suite("test_container", container_suite());
}
