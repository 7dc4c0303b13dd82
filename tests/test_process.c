/*
 * test_process.c - the process tree of a container as users meet it:
 * signals sent to the launcher, the -i init (PID 1 duties, zombies), death of
 * the launcher, pipes and files as stdio, an interactive shell on a
 * pseudo-terminal, and nothing left behind after many runs.
 *
 * Every test starts the real ./contained as root on the test rootfs
 * (tests/build/rootfs, with the static probes at /probes) and looks at what
 * happens from both sides: what the command inside prints, and what the host
 * sees in /proc and /sys/fs/cgroup.
 *
 *     make check-process          (as root, from the top directory)
 *
 * Environment: CONTAINED (default ./contained), ROOTFS (default
 * tests/build/rootfs), as in harness.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define TOKEN_PREFIX "ptest"
#include "harness.h"

#include <dirent.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <pty.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>

/* ---- small helpers ------------------------------------------------------ */

/* "N -> target" lines for every fd of PID, and how many there are. */
static char *list_fds(pid_t pid, int *count)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/fd", pid);
	DIR *d = opendir(dir);
	struct buf b;
	buf_init(&b);
	*count = 0;
	if (!d)
		return b.data;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[128], target[PATH_MAX];
		snprintf(path, sizeof path, "%s/%.16s", dir, e->d_name);
		ssize_t n = readlink(path, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		char line[PATH_MAX + 64];
		int len = snprintf(line, sizeof line, "  %s -> %s\n", e->d_name, target);
		append(&b.data, &b.len, line, len);
		(*count)++;
	}
	closedir(d);
	return b.data;
}

/* The cgroup directories of the launcher whose stderr is the memfd ERR,
 * one per line: their name is in its "=> creating cgroup NAME" line. */
static char *cgroups_of_launcher(int err, int *count)
{
	char name[128] = "";
	const char *text = memfd_text(err);
	ck_assert_msg(launch_cgroup_name(text, name, sizeof name),
		      "no \"creating cgroup\" line in the launcher's stderr:\n%s", tl(text));
	return cgroups_named(name, count);
}

/*
 * A container running `/bin/sh -c SCRIPT` (with -i when INIT), started by
 * this test so that its pid is the launcher's: stdin from IN, stdout on a
 * pipe, stderr in a memfd.  Returns once stdout has shown READY; aborts the
 * test with the launcher's output when it never does.
 */
struct started {
	pid_t pid;        /* the launcher */
	int out;          /* read end of its stdout */
	int err;          /* memfd holding its stderr */
	struct buf b;     /* its stdout so far */
};

static struct started start_piped_shell(int init, int in, const char *script, const char *ready)
{
	struct started c;
	int out[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	c.err = new_memfd();
	c.pid = init
		? spawn(in, out[1], c.err, ARGV((char *)contained_bin(), "-m", (char *)test_rootfs(),
						"-u", "0", "-i", "-c", "/bin/sh", "-c", (char *)script))
		: spawn(in, out[1], c.err, ARGV((char *)contained_bin(), "-m", (char *)test_rootfs(),
						"-u", "0", "-c", "/bin/sh", "-c", (char *)script));
	close(out[1]);
	c.out = out[0];
	buf_init(&c.b);
	if (read_until(c.out, &c.b, ready, 15000) != 1) {
		int st = wait_child(c.pid, 1000);
		ck_abort_msg("%s%s: the container never printed \"%s\" (status %d)\n"
			     "stdout: %s\nstderr: %s", init ? "-i " : "", script, ready, st,
			     tl(c.b.data), tl(memfd_text(c.err)));
	}
	return c;
}

/* ---- signals -------------------------------------------------------------- */

static const struct { int sig; const char *name; } trapped[] = {
	{ SIGINT, "INT" }, { SIGTERM, "TERM" }, { SIGHUP, "HUP" },
	{ SIGQUIT, "QUIT" }, { SIGUSR1, "USR1" }, { SIGUSR2, "USR2" },
	{ SIGWINCH, "WINCH" },
};
#define NTRAPPED ((int)(sizeof trapped / sizeof trapped[0]))

/*
 * Loop index i: signal trapped[i % 7], in plain mode (the trapping shell is
 * PID 1) for i < 7, in init mode (-i, the shell is PID 2) for i >= 7.
 * The shell traps the signal, prints a marker and exits 50+N; the launcher
 * must exit with that status.
 */
START_TEST(signal_reaches_command)
{
	int sig = trapped[_i % NTRAPPED].sig;
	const char *name = trapped[_i % NTRAPPED].name;
	int init = _i >= NTRAPPED;
	int want = 50 + sig;

	char script[256];
	snprintf(script, sizeof script,
		 "trap \"echo trapped-%s pid=\\$\\$; exit %d\" %s; echo ready; "
		 "while :; do sleep 0.1; done", name, want, name);

	int in = devnull(O_RDONLY);
	struct started c = start_piped_shell(init, in, script, "ready\n");
	close(in);
	pid_t pid = c.pid;
	int err = c.err;
	struct buf b = c.b;
	ck_assert_int_eq(kill(pid, sig), 0);
	read_until(c.out, &b, NULL, 5000);      /* until end of file */
	int st = wait_child(pid, 5000);
	char marker[64];
	snprintf(marker, sizeof marker, "trapped-%s pid=%d\n", name, init ? 2 : 1);
	ck_assert_msg(strstr(b.data, marker),
		      "SIG%s%s: the command's trap did not run (want \"%s\")\n"
		      "launcher status %d\nstdout: %s\nstderr: %s",
		      name, init ? " -i" : "", marker, st, tl(b.data), tl(memfd_text(err)));
	ck_assert_msg(st == want,
		      "SIG%s%s: launcher exited %d, the trap handler exited %d\nstderr: %s",
		      name, init ? " -i" : "", st, want, tl(memfd_text(err)));
	/* ... and cleaned up after itself. */
	int ncg;
	char *cgs = cgroups_of_launcher(err, &ncg);
	ck_assert_msg(ncg == 0, "SIG%s%s: cgroups left after the launcher exited:\n%s",
		      name, init ? " -i" : "", tl(cgs));
	free(cgs);
	close(c.out);
	close(err);
	free(b.data);
}
END_TEST

/*
 * Under -i, a command with no handler for the signal (sleep as PID 2) dies
 * of the signal the launcher received, and the launcher exits 128+N.
 */
static const int untrapped[] = { SIGTERM, SIGINT, SIGHUP };

START_TEST(init_untrapped_signal_kills_command)
{
	int sig = untrapped[_i];
	int in = devnull(O_RDONLY);
	struct started c = start_piped_shell(1, in, "echo ready $$; exec /bin/sleep 30", "ready 2\n");
	close(in);
	pid_t pid = c.pid;
	int err = c.err;
	struct buf b = c.b;
	long t0 = now_ms();
	ck_assert_int_eq(kill(pid, sig), 0);
	int st = wait_child(pid, 10000);
	ck_assert_msg(st == 128 + sig,
		      "-i, %s with no handler: launcher exited %d, want %d\nstderr: %s",
		      strsignal(sig), st, 128 + sig, tl(memfd_text(err)));
	ck_assert_msg(now_ms() - t0 < 5000, "the launcher took %ld ms to exit",
		      now_ms() - t0);
	int ncg;
	char *cgs = cgroups_of_launcher(err, &ncg);
	ck_assert_msg(ncg == 0, "cgroups left after the launcher exited:\n%s", tl(cgs));
	free(cgs);
	close(c.out);
	close(err);
	free(b.data);
}
END_TEST

/* ---- init mode -------------------------------------------------------------- */

/* 50 orphans that die unwaited leave no zombie under -i. */
START_TEST(init_reaps_zombies)
{
	struct run r = run_sh("%s -m %s -u 0 -i -c /probes/zombies 50 3000", contained_bin(),
			      test_rootfs());
	ck_assert_msg(r.status == 0, "zombies probe under -i: status %d\nstdout: %s\nstderr: %s",
		      r.status, tl(r.out), tl(r.err));
	ck_assert_msg(strstr(r.out, "orphans=50 zombies=0\n"),
		      "zombies left under -i:\n%s\nstderr: %s", tl(r.out), tl(r.err));
	run_free(&r);
}
END_TEST

/*
 * The control: without -i the probe itself is PID 1 and never reaps, so its
 * 50 orphans stay zombies.  This shows the probe sees zombies when there are
 * some, i.e. that the test above can fail.
 */
START_TEST(zombie_probe_sees_zombies_without_init)
{
	struct run r = run_sh("%s -m %s -u 0 -c /probes/zombies 50 200", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "zombies probe: status %d\nstdout: %s\nstderr: %s",
		      r.status, tl(r.out), tl(r.err));
	ck_assert_msg(strstr(r.out, "orphans=50 zombies=50\n"),
		      "without -i the command is PID 1 and does not reap; want 50 zombies:\n%s",
		      tl(r.out));
	run_free(&r);
}
END_TEST

START_TEST(init_command_is_pid2)
{
	struct run r = run_sh("%s -m %s -u 0 -i -c /bin/sh -c "
			      "'echo pid=$$; echo ppid=$PPID; tr \"\\\\0\" \" \" < /proc/1/cmdline; echo'",
			      contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_msg(strstr(r.out, "pid=2\n"), "under -i the command is not PID 2:\n%s",
		      tl(r.out));
	ck_assert_msg(strstr(r.out, "ppid=1\n"), "the command's parent is not PID 1:\n%s",
		      tl(r.out));
	char *cmdline = strstr(r.out, "ppid=1\n");
	ck_assert_ptr_nonnull(cmdline);
	cmdline += strlen("ppid=1\n");
	ck_assert_msg(*cmdline != '\n' && strncmp(cmdline, "/bin/sh", 7) != 0,
		      "/proc/1/cmdline is \"%s\", not the init", cmdline);
	ck_assert_msg(strstr(cmdline, "contained"),
		      "/proc/1/cmdline is \"%s\": expected contained's init", cmdline);
	run_free(&r);

	/* Without -i the command itself is PID 1. */
	r = run_in("echo pid=$$");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "pid=1\n");
	run_free(&r);
}
END_TEST

/* ---- death of the launcher ------------------------------------------------- */

/*
 * SIGKILL to the launcher (loop index 0: plain, 1: -i): within a second every
 * process of the container is gone, and the next run of contained removes
 * the launcher's cgroups, which nothing else could have removed.
 */
START_TEST(sigkill_launcher_kills_container)
{
	int init = _i;
	char arg[32], script[256];
	snprintf(arg, sizeof arg, "%d", 900000000 + getpid() * 10 + init);
	snprintf(script, sizeof script, "/bin/sleep %s & echo ready; /bin/sleep %s", arg, arg);

	int in = devnull(O_RDONLY);
	struct started c = start_piped_shell(init, in, script, "ready\n");
	close(in);
	pid_t pid = c.pid;
	int err = c.err;
	struct buf b = c.b;

	/* Find the container's processes: the two sleeps (by their unique
	 * argument) and everything in their PID namespace. */
	char ns[64] = "", cmdline[64];
	FMT(cmdline, "/bin/sleep\n%s\n", arg);
	long deadline = now_ms() + 5000;
	int sleeps = 0;
	while (now_ms() < deadline) {
		size_t n;
		pid_t *v = all_pids(&n);
		sleeps = 0;
		for (size_t i = 0; i < n; i++) {
			char path[64];
			snprintf(path, sizeof path, "/proc/%d/cmdline", v[i]);
			char *c = slurp(path);
			if (c && !strcmp(c, cmdline)) {
				sleeps++;
				pidns_of(v[i], ns, sizeof ns);
			}
			free(c);
		}
		free(v);
		if (sleeps == 2)
			break;
		msleep(20);
	}
	ck_assert_msg(sleeps == 2 && ns[0], "found %d of the 2 sleeps on the host", sleeps);
	char ourns[64];
	pidns_of(getpid(), ourns, sizeof ourns);
	ck_assert_str_ne(ns, ourns);

	pid_t members[64];
	int nmembers = pidns_members(ns, members, 64);
	/* [init,] sh, sleep, sleep; sh may have exec'd the last sleep itself. */
	int want_members = init ? 3 : 2;
	ck_assert_msg(nmembers >= want_members, "%d processes in the container, expected %d+",
		      nmembers, want_members);

	int ncg;
	char *cgs = cgroups_of_launcher(err, &ncg);
	ck_assert_msg(ncg > 0, "no cgroup of launcher %d under /sys/fs/cgroup/*/contained/", pid);

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	int st = wait_child(pid, 5000);
	ck_assert_int_eq(st, 128 + SIGKILL);
	long killed_at = now_ms();

	int alive;
	while ((alive = pidns_alive(ns, members, nmembers)) && now_ms() - killed_at < 1000)
		msleep(10);
	if (alive) {
		/* Do not leave them behind, then fail. */
		for (int i = 0; i < nmembers; i++)
			kill(members[i], SIGKILL);
		ck_abort_msg("%s: %d of the container's %d processes still alive 1 s after "
			     "SIGKILL to the launcher", init ? "-i" : "plain", alive, nmembers);
	}
	close(c.out);

	/* The next run sweeps the dead launcher's cgroups. */
	struct run r = run_sh("%s -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "next run failed: %d\n%s", r.status, tl(r.err));
	run_free(&r);
	int left;
	char *leftover = cgroups_of_launcher(err, &left);
	ck_assert_msg(left == 0, "stale cgroups of the killed launcher %d after the next run:\n%s"
		      "(before the kill:\n%s)", pid, leftover, cgs);
	free(leftover);
	free(cgs);

	/* And every directory under the contained parents belongs to a live
	 * launcher: its lock, /run/contained/NAME.lock, is held. */
	glob_t g;
	const char *pats[] = { "/sys/fs/cgroup/*/contained/*", "/sys/fs/cgroup/contained/*" };
	for (int k = 0; k < 2; k++) {
		if (glob(pats[k], GLOB_ONLYDIR, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char lock[PATH_MAX];
			snprintf(lock, sizeof lock, "/run/contained/%s.lock", strrchr(g.gl_pathv[i], '/') + 1);
			int fd = open(lock, O_RDWR | O_CLOEXEC);
			int unlocked = fd < 0 || flock(fd, LOCK_EX | LOCK_NB) == 0;
			if (fd >= 0)
				close(fd);
			ck_assert_msg(!unlocked || access(g.gl_pathv[i], F_OK) < 0,
				      "stale cgroup %s (no launcher holds %s)", g.gl_pathv[i], lock);
		}
		globfree(&g);
	}
	close(err);
	free(b.data);
}
END_TEST

/* The sweep never removes the cgroup of a container that is still running. */
START_TEST(sweep_spares_live_container)
{
	int inp[2];
	ck_assert_int_eq(pipe2(inp, O_CLOEXEC), 0);
	struct started c = start_piped_shell(0, inp[0], "echo ready; read line; echo got $line; exit 7",
				       "ready\n");
	close(inp[0]);
	pid_t pid = c.pid;
	int err = c.err;
	struct buf b = c.b;
	int before;
	free(cgroups_of_launcher(err, &before));
	ck_assert_msg(before > 0, "no cgroup of launcher %d under /sys/fs/cgroup/*/contained", pid);

	struct run r = run_sh("%s -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "second container failed: %d\n%s", r.status, tl(r.err));
	run_free(&r);

	int after;
	char *list = cgroups_of_launcher(err, &after);
	ck_assert_msg(after == before, "a run removed cgroups of a live container: %d -> %d\n%s",
		      before, after, list);
	free(list);

	ck_assert_int_eq(write(inp[1], "hello\n", 6), 6);
	close(inp[1]);
	read_until(c.out, &b, NULL, 10000);
	int st = wait_child(pid, 10000);
	ck_assert_msg(strstr(b.data, "got hello\n"), "stdout: %s", tl(b.data));
	ck_assert_msg(st == 7, "live container exited %d, want 7\nstderr: %s", st,
		      tl(memfd_text(err)));
	free(cgroups_of_launcher(err, &after));
	ck_assert_msg(after == 0, "cgroups of launcher %d left after it exited", pid);
	close(c.out);
	close(err);
	free(b.data);
}
END_TEST

/* ---- pipes and files -------------------------------------------------------- */

START_TEST(stdin_stdout_pipes)
{
	struct run r = run_sh("echo hi | %s -m %s -u 0 -c /bin/cat", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_str_eq(r.out, "hi\n");
	run_free(&r);

	r = run_sh("echo hi | %s -m %s -u 0 -i -c /bin/cat", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "-i: status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_str_eq(r.out, "hi\n");
	run_free(&r);

	/* Status of a pipeline's command comes through too. */
	r = run_sh("printf 'a\\nb\\nc\\n' | %s -m %s -u 0 -c /bin/sh -c 'wc -l; exit 5'; echo st=$?",
		   contained_bin(), test_rootfs());
	ck_assert_msg(strstr(r.out, "3\n") && strstr(r.out, "st=5\n"), "out: %s\nerr: %s",
		      tl(r.out), tl(r.err));
	run_free(&r);
}
END_TEST

START_TEST(large_output_complete)
{
	/* 10 MiB of zeros out, counted on the host. */
	struct run r = run_sh("%s -m %s -u 0 -c /usr/bin/head -c 10485760 /dev/zero | wc -c",
			      contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_msg(atol(r.out) == 10485760L, "got %s bytes of 10485760", chomp(r.out));
	run_free(&r);

	/* Same under -i. */
	r = run_sh("%s -m %s -u 0 -i -c /usr/bin/head -c 10485760 /dev/zero | wc -c",
		   contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "-i: status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_msg(atol(r.out) == 10485760L, "-i: got %s bytes of 10485760", chomp(r.out));
	run_free(&r);

	/* ~10 MB of numbered lines: content and order intact, not just size. */
	r = run_sh("a=$(%s -m %s -u 0 -c /usr/bin/seq 1 1400000 | md5sum); b=$(seq 1 1400000 | md5sum);"
		   " echo \"$a\"; echo \"$b\"; [ \"$a\" = \"$b\" ]", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "seq output differs from the host's:\n%s\nstderr: %s",
		      tl(r.out), tl(r.err));
	run_free(&r);

	/* 10 MiB in through stdin. */
	r = run_sh("head -c 10485760 /dev/zero | %s -m %s -u 0 -c /usr/bin/wc -c", contained_bin(),
		   test_rootfs());
	ck_assert_msg(r.status == 0, "status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_msg(atol(r.out) == 10485760L, "the container read %s bytes of 10485760",
		      chomp(r.out));
	run_free(&r);
}
END_TEST

START_TEST(stdout_to_file)
{
	char path[] = "/tmp/contained-test-out-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct run r = run_sh("%s -m %s -u 0 -c /bin/sh -c 'echo to-file; echo to-err >&2' "
			      "> %s 2>> %s", contained_bin(), test_rootfs(), path, path);
	char *content = slurp(path);
	unlink(path);
	ck_assert_msg(r.status == 0, "status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_ptr_nonnull(content);
	ck_assert_msg(strstr(content, "to-file\n"), "file holds: %s", tl(content));
	ck_assert_msg(strstr(content, "to-err\n"), "stderr to file: %s", tl(content));
	ck_assert_str_eq(r.out, "");
	free(content);
	run_free(&r);
}
END_TEST

/* ---- pseudo-terminal ----------------------------------------------------------- */

/* How the container meets the caller's terminal: a pty of its own (the
 * default on a terminal; tests/test_terminal.c has the details), or the
 * caller's own terminal as it is (-T). */
static const char *const pty_modes[] = { NULL, "-T" };

START_TEST(pty_interactive_session)
{
	struct pty_session s;
	pty_start_shell(&s, 24, 80, pty_modes[_i]);
	pty_type(&s, "echo $((6*7))\n");
	/* The echoed command line has "6*7" in it, only the output has "42". */
	pty_expect(&s, "42\r\n", "no 42 from the shell");
	pty_type(&s, "exit 3\n");
	int st = pty_finish(&s, 10000);
	ck_assert_msg(st == 3, "interactive shell: `exit 3` gave status %d; output:\n%s", st,
		      tl(s.out));
	pty_end(&s);
}
END_TEST

/* Ctrl-C interrupts the foreground command inside, not the launcher. */
START_TEST(pty_ctrl_c_interrupts_foreground)
{
	struct pty_session s;
	pty_start_marked_shell(&s, 24, 80, pty_modes[_i]);
	pty_type(&s, "sleep 30\n");
	pid_t sleeper = wait_descendant(s.pid, "sleep", 10000);
	if (!sleeper) {
		pty_stop(&s);
		ck_abort_msg("sleep 30 never started; output:\n%s", tl(s.out));
	}
	long t0 = now_ms();
	pty_type(&s, "\x03");
	int r = pty_read_until(&s, s.len, "[ctd]# ", 10000);
	long took = now_ms() - t0;
	int wstatus;
	pid_t w = waitpid(s.pid, &wstatus, WNOHANG);
	if (w == s.pid)
		ck_abort_msg("Ctrl-C ended the launcher (status %d); output:\n%s",
			     shell_status(wstatus), tl(s.out));
	if (r != 1) {
		pty_stop(&s);
		ck_abort_msg("no new prompt within 10 s of Ctrl-C; output:\n%s", tl(s.out));
	}
	ck_assert_msg(took < 5000, "Ctrl-C took %ld ms", took);
	char st = proc_state(sleeper, NULL, NULL, 0);
	ck_assert_msg(!st || st == 'Z', "sleep 30 is still running after Ctrl-C (state %c)", st);

	pty_type(&s, "echo st=$?\n");
	pty_expect(&s, "st=130\r\n", "the interrupted sleep's status is not 130");
	pty_type(&s, "exit 0\n");
	int status = pty_finish(&s, 10000);
	ck_assert_msg(status == 0, "exit 0 gave %d; output:\n%s", status, tl(s.out));
	pty_end(&s);
}
END_TEST

/* The window size of the caller's terminal is the one seen inside. */
START_TEST(pty_window_size)
{
	struct pty_session s;
	pty_start_shell(&s, 33, 111, pty_modes[_i]);
	pty_type(&s, "stty size\n");
	pty_expect(&s, "33 111\r\n", "stty size inside does not say 33 111");
	/* A resize while it runs (the terminal sends SIGWINCH) shows too. */
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	ck_assert_int_eq(ioctl(s.master, TIOCSWINSZ, &ws), 0);
	msleep(200);
	pty_type(&s, "stty size\n");
	pty_expect(&s, "40 120\r\n", "after a resize to 40x120, stty size inside says otherwise");
	pty_type(&s, "exit 0\n");
	int st = pty_finish(&s, 10000);
	ck_assert_msg(st == 0, "status %d", st);
	pty_end(&s);
}
END_TEST

/* ---- nothing left behind ----------------------------------------------------- */

/* The launchers a leak test started, to recognise their cgroups. */
static pid_t our_launchers[256];
static int n_our_launchers;

static void remember_launcher(pid_t pid)
{
	if (n_our_launchers < (int)(sizeof our_launchers / sizeof our_launchers[0]))
		our_launchers[n_our_launchers++] = pid;
}

/*
 * Whether a new cgroup directory is a leftover of our runs: it carries their
 * tag, token() (the hostname they were given), or the container cgroup it
 * is in, NAME.PID, names one of our launchers.  Containers of others using
 * the machine at the same time are not our business.
 */
static bool cgroup_is_leftover(const char *path)
{
	if (strstr(path, token()))
		return true;
	const char *p = strstr(path, "/contained/");
	if (!p)
		return false;                   /* a parent itself */
	p += strlen("/contained/");
	const char *end = strchrnul(p, '/');
	const char *dot = memrchr(p, '.', end - p);
	if (!dot)
		return false;
	pid_t owner = atoi(dot + 1);
	for (int i = 0; i < n_our_launchers; i++)
		if (our_launchers[i] == owner)
			return true;
	return false;
}

static struct buf *nftw_target;

static int nftw_add(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_D || type == FTW_DP) {
		append(&nftw_target->data, &nftw_target->len, path, strlen(path));
		append(&nftw_target->data, &nftw_target->len, "\n", 1);
	}
	return 0;
}

/* Every directory under the contained cgroup parents, at any depth, one a
 * line (malloc'd). */
static char *cgroup_tree(void)
{
	struct buf b;
	buf_init(&b);
	glob_t g;
	const char *pats[] = { "/sys/fs/cgroup/*/contained", "/sys/fs/cgroup/contained" };
	for (int k = 0; k < 2; k++) {
		if (glob(pats[k], GLOB_ONLYDIR, NULL, &g) == 0) {
			nftw_target = &b;
			for (size_t i = 0; i < g.gl_pathc; i++)
				nftw(g.gl_pathv[i], nftw_add, 16, FTW_PHYS);
		}
		globfree(&g);
	}
	return b.data;
}

/*
 * Processes that belong to the runs tagged token(): launchers and anything
 * they fork without exec (their command line holds "-H TOKEN"), and
 * container processes (their cgroup paths hold TOKEN, the container's
 * hostname).  "PID COMM STATE" one a line (malloc'd).
 */
static char *tagged_processes(void)
{
	struct buf b;
	buf_init(&b);
	size_t n;
	pid_t *v = all_pids(&n);
	for (size_t i = 0; i < n; i++) {
		char comm[64] = "?";
		char st = proc_state(v[i], NULL, comm, sizeof comm);
		if (!st)
			continue;
		/* the command line with its NULs made newlines */
		char *cmd = proc_file(v[i], "cmdline"), *cg = proc_file(v[i], "cgroup");
		bool ours = (cmd && strstr(cmd, token())) || (cg && strstr(cg, token()));
		free(cmd);
		free(cg);
		if (ours) {
			char line[128];
			int len = snprintf(line, sizeof line, "%d %s %c\n", v[i], comm, st);
			append(&b.data, &b.len, line, len);
		}
	}
	free(v);
	return b.data;
}

/* The host as the leak tests compare it, each a list of lines (malloc'd). */
struct host_state {
	char *mounts;   /* /proc/self/mountinfo */
	char *cgroups;  /* cgroup_tree() */
	char *tmp;      /* the names in /tmp */
	char *procs;    /* tagged_processes() */
};

static void snap_host(struct host_state *h)
{
	h->mounts = slurp("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(h->mounts);
	h->cgroups = cgroup_tree();
	h->tmp = list_dir("/tmp");
	h->procs = tagged_processes();
}

static void free_host(struct host_state *h)
{
	free(h->mounts);
	free(h->cgroups);
	free(h->tmp);
	free(h->procs);
}

/*
 * Compare the host after the runs with BEFORE; returns a report of what is
 * left over, or NULL.  The mount table must be identical and nothing may be
 * added to /tmp; of new cgroup directories and of processes, those of our
 * runs count (a run removing someone's stale cgroup is the sweep doing its
 * job).  A difference must persist for 2 s, so that what others using the
 * machine do meanwhile passes.
 */
static char *host_leftovers(struct host_state *before)
{
	long deadline = now_ms() + 2000;
	for (;;) {
		struct host_state after;
		snap_host(&after);
		char *rep = calloc(1, 1);
		size_t len = 0;
		int bad = 0;
		if (strcmp(before->mounts, after.mounts)) {
			report_add(&rep, &len, "mounts added:", "");
			report_new_lines(&rep, &len, "  + ", before->mounts, after.mounts, NULL);
			report_add(&rep, &len, "mounts gone:", "");
			report_new_lines(&rep, &len, "  - ", after.mounts, before->mounts, NULL);
			bad = 1;
		}
		report_add(&rep, &len, "new cgroup directories:", "");
		bad |= report_new_lines(&rep, &len, "  + ", before->cgroups, after.cgroups,
					cgroup_is_leftover) > 0;
		report_add(&rep, &len, "new entries in /tmp:", "");
		bad |= report_new_lines(&rep, &len, "  + ", before->tmp, after.tmp, NULL) > 0;
		report_add(&rep, &len, "processes of these runs still there:", "");
		bad |= report_new_lines(&rep, &len, "  + ", before->procs, after.procs, NULL) > 0;
		free_host(&after);
		if (!bad) {
			free(rep);
			return NULL;
		}
		if (now_ms() >= deadline)
			return rep;
		free(rep);
		msleep(200);
	}
}

/*
 * Give this test process (Check runs each test in its own child) a mount
 * namespace of its own with an empty tmpfs on /tmp, so that what the
 * launchers leave in /tmp is not mixed with what others put there.  Only
 * done when / is not a shared mount: a mount on /tmp would otherwise
 * propagate to the host's /tmp; nor when the checkout itself lives under
 * /tmp.  Without it the host's /tmp is compared
 * (additions only, so others' files may make it fail).  Launchers started
 * from here see exactly the same mounts as the host's otherwise.
 */
static int use_private_tmp(void)
{
	char *mi = slurp("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(mi);
	int root_shared = 1;
	for (char *line = mi; line && *line; ) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char mnt[PATH_MAX];
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 && !strcmp(mnt, "/")) {
			char *dash = strstr(line, " - ");
			if (dash)
				*dash = '\0';
			root_shared = strstr(line, " shared:") != NULL;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(mi);
	/* A checkout under /tmp would vanish under the new tmpfs. */
	char cwd[PATH_MAX];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	if (root_shared || strcmp(cwd, "/tmp") == 0 || strncmp(cwd, "/tmp/", 5) == 0)
		return 0;
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount("contained-test-tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
			       "mode=1777"), 0);
	return 1;
}

START_TEST(many_sequential_runs_leave_nothing)
{
	/* the hostname given to the runs, to recognise what they leave */
	char *tag = (char *)token();
	if (!use_private_tmp())
		fprintf(stderr, "test_process: no private /tmp here: comparing the host's /tmp\n");
	struct host_state before;
	snap_host(&before);
	ck_assert_msg(!before.procs[0], "processes tagged %s before the runs", tag);

	int in = devnull(O_RDONLY), out = devnull(O_WRONLY), err = new_memfd();
	long t0 = now_ms();
	for (int i = 0; i < 200; i++) {
		ck_assert_int_eq(ftruncate(err, 0), 0);
		ck_assert_int_eq(lseek(err, 0, SEEK_SET), 0);
		pid_t pid = spawn(in, out, err, ARGV((char *)contained_bin(), "-m", (char *)test_rootfs(),
						     "-u", "0", "-H", tag, "-c", "/bin/true"));
		remember_launcher(pid);
		int st = wait_child(pid, 20000);
		ck_assert_msg(st == 0, "run %d of 200 exited %d\nstderr: %s", i + 1, st,
			      tl(memfd_text(err)));
	}
	fprintf(stderr, "test_process: 200 sequential runs of /bin/true took %ld ms\n",
		now_ms() - t0);
	char *rep = host_leftovers(&before);
	if (rep)
		fprintf(stderr, "test_process: after 200 sequential runs:\n%s", rep);
	ck_assert_msg(!rep, "after 200 sequential runs:\n%.2000s", rep);
	free_host(&before);
	close(in);
	close(out);
	close(err);
}
END_TEST

START_TEST(many_concurrent_runs_leave_nothing)
{
	/* the hostname given to the runs, to recognise what they leave */
	char *tag = (char *)token();
	if (!use_private_tmp())
		fprintf(stderr, "test_process: no private /tmp here: comparing the host's /tmp\n");
	struct host_state before;
	snap_host(&before);

	enum { N = 20 };
	int in = devnull(O_RDONLY), out = devnull(O_WRONLY), err[N];
	pid_t pid[N];
	for (int i = 0; i < N; i++) {
		err[i] = new_memfd();
		pid[i] = spawn(in, out, err[i], ARGV((char *)contained_bin(), "-m", (char *)test_rootfs(),
						     "-u", "0", "-H", tag, "-c", "/bin/true"));
		remember_launcher(pid[i]);
	}
	int failed = 0;
	struct buf rep;
	buf_init(&rep);
	for (int i = 0; i < N; i++) {
		int st = wait_child(pid[i], 30000);
		if (st != 0) {
			failed++;
			char line[64];
			int len = snprintf(line, sizeof line, "run %d: status %d: ", i, st);
			append(&rep.data, &rep.len, line, len);
			char *e = memfd_text(err[i]);
			append(&rep.data, &rep.len, e, strlen(e));
			free(e);
		}
		close(err[i]);
	}
	ck_assert_msg(failed == 0, "%d of %d concurrent runs failed:\n%.2000s", failed, N,
		      rep.data);
	char *left = host_leftovers(&before);
	if (left)
		fprintf(stderr, "test_process: after %d concurrent runs:\n%s", N, left);
	ck_assert_msg(!left, "after %d concurrent runs:\n%.2000s", N, left);
	free_host(&before);
	free(rep.data);
	close(in);
	close(out);
}
END_TEST

/* ---- file descriptors ------------------------------------------------------------ */

/* An fd the launcher may hold besides 0, 1, 2 while the container runs:
 * its sync socket, its watchdog's pipe, its lock, its cgroup directory
 * (for clone3), a pidfd, a signalfd. */
static int allowed_launcher_fd(const char *target)
{
	return !strncmp(target, "socket:[", 8) || !strcmp(target, "anon_inode:[pidfd]") ||
	       !strcmp(target, "anon_inode:[signalfd]") || !strncmp(target, "pipe:[", 6) ||
	       (!strncmp(target, "/sys/fs/cgroup/", 15) && strstr(target, "/contained/")) ||
	       (!strncmp(target, "/run/contained/", 15) && strstr(target, ".lock"));
}

START_TEST(no_fd_leak_in_launcher)
{
	int out[2];
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	int in = devnull(O_RDONLY), err = new_memfd();
	pid_t pid = spawn(in, out[1], err, ARGV((char *)contained_bin(), "-m", (char *)test_rootfs(),
						"-u", "0", "-c", "/bin/sleep", "2"));
	close(out[1]);
	close(in);
	pid_t sleeper = wait_descendant(pid, "sleep", 10000);
	if (!sleeper) {
		int st = wait_child(pid, 100);
		ck_abort_msg("the container's sleep never showed up (status %d)\nstderr: %s", st,
			     tl(memfd_text(err)));
	}
	int nl, ns;
	char *lfds = list_fds(pid, &nl);
	char *sfds = list_fds(sleeper, &ns);
	fprintf(stderr, "test_process: launcher %d holds %d fds while the container runs:\n%s"
		"test_process: the container's PID 1 (host pid %d) holds %d fds:\n%s",
		pid, nl, lfds, sleeper, ns, sfds);

	/* The launcher: 0, 1, 2 as given, plus at most a sync socket, a pidfd,
	 * a signalfd, the watchdog's pipe and one directory per cgroup
	 * hierarchy (four at most). */
	char *p = lfds;
	int extra = 0;
	while (p && *p) {
		int fd;
		char target[PATH_MAX];
		if (sscanf(p, " %d -> %4095[^\n]", &fd, target) == 2 && fd > 2) {
			extra++;
			ck_assert_msg(allowed_launcher_fd(target),
				      "launcher fd %d -> %s should not be open:\n%s", fd, target,
				      tl(lfds));
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	ck_assert_msg(nl - extra == 3, "launcher lacks one of fds 0-2:\n%s", tl(lfds));
	ck_assert_msg(extra <= 8, "launcher holds %d fds beyond 0-2:\n%s", extra, tl(lfds));
	/* The command: exactly 0, 1, 2. */
	ck_assert_msg(ns == 3, "the container's command holds %d fds:\n%s", ns, tl(sfds));

	int st = wait_child(pid, 10000);
	ck_assert_msg(st == 0, "sleep 2 exited %d\nstderr: %s", st, tl(memfd_text(err)));
	free(lfds);
	free(sfds);
	close(out[0]);
	close(err);
}
END_TEST

/* Inside, a command starts with 0, 1, 2 only (ls's own fd 3 is the directory it reads). */
START_TEST(no_fd_leak_inside)
{
	const char *modes[] = { "", "-i" };
	for (int k = 0; k < 2; k++) {
		struct run r = run_sh("%s -m %s -u 0 %s -c /bin/ls /proc/self/fd", contained_bin(),
				      test_rootfs(), modes[k]);
		ck_assert_msg(r.status == 0, "%s: status %d\nstderr: %s", modes[k], r.status, tl(r.err));
		if (strcmp(r.out, "0\n1\n2\n3\n")) {
			struct run l = run_sh("%s -m %s -u 0 %s -c /bin/ls -l /proc/self/fd",
					      contained_bin(), test_rootfs(), modes[k]);
			ck_abort_msg("%s: fds inside: %s\n%s", modes[k][0] ? modes[k] : "plain",
				     tl(r.out), tl(l.out));
		}
		run_free(&r);
	}
}
END_TEST

/* ---- suite --------------------------------------------------------------------- */

static Suite *process_suite(void)
{
	Suite *s = suite_create("process");

	TCase *tc = tcase_create("signals");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, signal_reaches_command, 0, 2 * NTRAPPED);
	tcase_add_loop_test(tc, init_untrapped_signal_kills_command, 0,
			    (int)(sizeof untrapped / sizeof untrapped[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("init");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, init_reaps_zombies);
	tcase_add_test(tc, zombie_probe_sees_zombies_without_init);
	tcase_add_test(tc, init_command_is_pid2);
	suite_add_tcase(s, tc);

	tc = tcase_create("launcher_death");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, sigkill_launcher_kills_container, 0, 2);
	tcase_add_test(tc, sweep_spares_live_container);
	suite_add_tcase(s, tc);

	tc = tcase_create("stdio");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stdin_stdout_pipes);
	tcase_add_test(tc, large_output_complete);
	tcase_add_test(tc, stdout_to_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("pty");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, pty_interactive_session, 0, 2);
	tcase_add_loop_test(tc, pty_ctrl_c_interrupts_foreground, 0, 2);
	tcase_add_loop_test(tc, pty_window_size, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("leaks");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, many_sequential_runs_leave_nothing);
	tcase_add_test(tc, many_concurrent_runs_leave_nothing);
	tcase_add_test(tc, no_fd_leak_in_launcher);
	tcase_add_test(tc, no_fd_leak_inside);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return run_container_suite("test_process", process_suite());
}
