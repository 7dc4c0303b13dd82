/*
 * test_classroom.c - the launcher as a class uses it: step mode (-s) driven
 * on a pseudo-terminal of our own, its hints pasted into a shell as a
 * student would, Ctrl-C and a double Enter at a pause; the end line, -q,
 * -v's extra lines, and Ctrl-C that a PID 1 ignores.
 *
 *     sudo tests/build/test_classroom     (CONTAINED, ROOTFS: see harness.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define TOKEN_PREFIX "cls"
#include "harness.h"
#include <dirent.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <time.h>

/* Whether a container cgroup named after TOKEN (TOKEN.ID) is left anywhere. */
static bool cgroup_left(const char *tok)
{
	char prefix[128];
	int n;
	FMT(prefix, "%s.", tok);
	free(cgroups_named(prefix, &n));
	return n > 0;
}

/* ---- the launcher on a pty of the test's own (harness.h) ------------------------ */

/* The launcher's status once it has exited, reading what it writes
 * meanwhile and for 100 ms after; -1 (and killed) if it still runs after
 * MS milliseconds. */
static int wait_launcher(struct pty_session *s, long ms)
{
	long deadline = now_ms() + ms;
	int wstatus;
	while (waitpid(s->pid, &wstatus, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			pty_stop(s);
			return -1;
		}
		pty_wait(s, NULL, 50);
	}
	pty_wait(s, NULL, 100);
	return shell_status(wstatus);
}

static void give_up(struct pty_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void give_up(struct pty_session *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pty_stop(s);
	ck_abort_msg("%s; the terminal showed:\n%s", msg, tl(s->out));
}

/* The host pid from "=> container is pid N on the host". */
static pid_t container_pid_of(const char *out)
{
	const char *p = strstr(out, "container is pid ");
	return p ? atoi(p + strlen("container is pid ")) : 0;
}

/* ---- step mode --------------------------------------------------------------- */

/* What the hint after a stage must show, once pasted into a shell. */
static const struct {
	const char *stage;            /* in the stage's "=> ..." line */
	const char *shows[3];         /* in the hint's output (%d: the container's pid) */
} hint_checks[] = {
	{ "probing the host", { "ipc:[" } },
	{ "checking rootfs", { "mnt:[" } },
	{ "creating cgroup", { "pids.max:64", ":1073741824" } },
	{ "cloning a child", { " user ", " mnt ", " %d " } },
	{ "mapping container ids", { "0     100000      65536", "Uid:" } },
	{ "becoming root", { "Uid:\t100000\t100000\t100000\t100000", "cgroup" } },
	{ "mounting the rootfs", { "idmapped" } },
	{ "mounting /proc", { "/proc", "/dev/pts", "/sys/fs/cgroup" } },
	{ "pivoting root", { "idmapped", "/dev/shm", "/sys/fs/cgroup" } },
	{ "masking host", { "/proc/kallsyms", "/proc/sys" } },
	{ "setting hostname", { "TOKEN", "lo " } },
	{ "dropping capabilities", { "CapEff:\t00000000000404fb", "CapBnd:\t00000000000404fb" } },
	{ "installing the seccomp", { "Seccomp:\t2", "NoNewPrivs:\t1" } },
};

/* Every pause of -s, in its rhythm: "-- next: X", Enter, "=> X...done.",
 * "see it: CMD", Enter.  Each CMD is run as pasted and must show the
 * change the stage made. */
START_TEST(step_hints_show_each_change)
{
	const char *tok = token();
	const char *args[] = { "-s", "-H", tok, "-m", test_rootfs(), "-u", "0", "-c", "/bin/echo", "RAN", NULL };
	struct pty_session s;
	pty_start(&s, 50, 200, args);
	size_t checked = 0;
	pid_t pid = 0;
	for (int pauses = 0; pauses < 40; pauses++) {
		size_t from = s.seen;
		if (pty_wait(&s, "press Enter to ", 15000) != 1)
			give_up(&s, "no pause after %d", pauses);
		if (!pid)
			pid = container_pid_of(s.out);
		char *before = strndup(s.out + from, s.seen - from);
		pty_wait(&s, NULL, 30);       /* the rest of the prompt */
		bool after = !strncmp(s.out + s.seen, "continue", 8);
		char *see = strstr(before, "see it: ");
		if (after && see) {
			/* the command, pasted as is; its "#" lines are comments */
			char *cmd = strndup(see + 8, strcspn(see + 8, "\r\n"));
			struct run r = run_sh("%s", cmd);
			if (r.status != 0 || r.err[0] || !r.out[0])
				give_up(&s, "hint `%s`: status %d, stdout '%s', stderr '%s'", cmd, r.status, r.out, r.err);
			for (size_t i = 0; i < sizeof hint_checks / sizeof *hint_checks; i++) {
				if (!strstr(before, hint_checks[i].stage))
					continue;
				for (int k = 0; k < 3 && hint_checks[i].shows[k]; k++) {
					char want[128];
					const char *w = hint_checks[i].shows[k];
					if (!strcmp(w, "TOKEN"))
						w = tok;
					snprintf(want, sizeof want, w, (int)pid);
					if (!strstr(r.out, want))
						give_up(&s, "after '%s', `%s` does not show '%s':\n%s",
						     hint_checks[i].stage, cmd, want, r.out);
				}
				checked++;
			}
			if (strstr(before, "dropping capabilities") &&
			    !strstr(before, "# CapBnd: cap_chown cap_dac_override"))
				give_up(&s, "the capabilities are not decoded by name");
			if (strstr(before, "installing the seccomp") &&
			    !(strstr(before, "# refused: keyctl") && strstr(before, "personality")))
				give_up(&s, "the denied calls are not listed");
			run_free(&r);
			free(cmd);
		} else if (!after) {
			/* before: what comes, then nothing has happened yet */
			const char *next = strstr(before, "-- next: ");
			if (!next)
				give_up(&s, "a pause before a stage does not say what comes next");
			if (strstr(next, "...done."))
				give_up(&s, "the stage ran before its pause");
		}
		free(before);
		pty_type(&s, "\n");
		if (strstr(s.out, "-- next: exec'ing"))
			break;
	}
	int st = wait_launcher(&s, 15000);
	ck_assert_msg(st == 0 && strstr(s.out, "RAN"), "status %d; output:\n%s", st, s.out);
	ck_assert_msg(checked == sizeof hint_checks / sizeof *hint_checks,
		      "%zu of %zu hints seen; output:\n%s", checked,
		      sizeof hint_checks / sizeof *hint_checks, s.out);
	ck_assert_msg(strstr(s.out, "once it runs, see it: nsenter -t "), "no hint for the exec");
	ck_assert(!cgroup_left(tok));
	pty_end(&s);
}
END_TEST

/* Ctrl-C at a pause ends the launch, 130, nothing left: at one of the
 * parent's pauses (after the cgroup exists) and at one of the child's
 * (after pivot_root). */
static const char *const interrupt_after[] = { "creating cgroup", "pivoting root" };

START_TEST(step_ctrl_c_stops_the_launch)
{
	const char *tok = token();
	const char *args[] = { "-s", "-H", tok, "-m", test_rootfs(), "-u", "0", "-c", "/bin/echo", "RAN", NULL };
	struct pty_session s;
	pty_start(&s, 50, 200, args);
	for (int pauses = 0; pauses < 40; pauses++) {
		if (pty_wait(&s, "press Enter to ", 15000) != 1)
			give_up(&s, "no pause after %d", pauses);
		if (strstr(s.out, interrupt_after[_i]) && strstr(strstr(s.out, interrupt_after[_i]), "see it:"))
			break;
		pty_type(&s, "\n");
	}
	pid_t pid = container_pid_of(s.out);
	ck_assert(cgroup_left(tok));
	pty_type(&s, "\x03");
	int st = wait_launcher(&s, 10000);
	ck_assert_msg(st == 130, "Ctrl-C at the pause after '%s': status %d; output:\n%s",
		      interrupt_after[_i], st, s.out);
	ck_assert_msg(!strstr(s.out, "RAN"), "the command ran");
	ck_assert_msg(!cgroup_left(tok), "a cgroup was left");
	ck_assert_msg(!pid || (kill(pid, 0) < 0 && errno == ESRCH), "container %d still runs", (int)pid);
	pty_end(&s);
}
END_TEST

/* Enter pressed twice moves one pause on, not two. */
START_TEST(step_double_enter_skips_nothing)
{
	const char *args[] = { "-s", "-m", test_rootfs(), "-u", "0", "-c", "/bin/true", NULL };
	struct pty_session s;
	pty_start(&s, 50, 200, args);
	if (pty_wait(&s, "press Enter to ", 15000) != 1)
		give_up(&s, "no first pause");
	pty_wait(&s, NULL, 30);
	size_t from = s.seen;
	pty_type(&s, "\n\n");
	if (pty_wait(&s, "press Enter to ", 10000) != 1)
		give_up(&s, "no second pause");
	pty_wait(&s, NULL, 800);
	int prompts = 0;
	for (const char *p = s.out + from; (p = strstr(p, "press Enter to ")); p++)
		prompts++;
	if (prompts != 1)
		give_up(&s, "after a double Enter %d pauses went by, not 1", prompts);
	kill(s.pid, SIGTERM);
	wait_launcher(&s, 5000);
	pty_end(&s);
}
END_TEST

/* ---- Ctrl-C and SIGTERM that PID 1 ignores ------------------------------------- */

static pid_t wait_for_exec(struct pty_session *s, const char *comm)
{
	if (pty_wait(s, "container is pid ", 15000) != 1)
		give_up(s, "no container pid");
	pty_wait(s, NULL, 100);
	pid_t pid = container_pid_of(s->out);
	char path[64], text[64] = "";
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	for (long end = now_ms() + 10000; now_ms() < end; pty_wait(s, NULL, 20)) {
		FILE *f = fopen(path, "r");
		if (f && fgets(text, sizeof text, f) && !strncmp(text, comm, strlen(comm))) {
			fclose(f);
			return pid;
		}
		if (f)
			fclose(f);
	}
	give_up(s, "%s never started", comm);
	return 0;
}

/* _i: 0 Ctrl-C on the terminal, 1 SIGTERM sent to the launcher. */
START_TEST(pid1_ignores_a_signal_then_a_second_kills)
{
	const char *tok = token();
	const char *args[] = { "-H", tok, "-m", test_rootfs(), "-u", "0", "-c", "/bin/sleep", "60", NULL };
	const char *name = _i ? "SIGTERM" : "SIGINT";
	struct pty_session s;
	pty_start(&s, 50, 200, args);
	pid_t pid = wait_for_exec(&s, "sleep");
	if (_i)
		kill(s.pid, SIGTERM);
	else
		pty_type(&s, "\x03");
	char want[64];
	snprintf(want, sizeof want, "=> the container ignored %s: its PID 1 has no handler", name);
	if (pty_wait(&s, want, 3000) != 1)
		give_up(&s, "no line saying why %s did nothing", name);
	if (!strstr(s.out + s.seen, "-i") && pty_wait(&s, "-i", 500) != 1)
		give_up(&s, "the line does not mention -i");
	ck_assert_msg(kill(pid, 0) == 0, "the container stopped after one %s", name);
	long t0 = now_ms();
	if (_i)
		kill(s.pid, SIGTERM);
	else
		pty_type(&s, "\x03");
	int st = wait_launcher(&s, 5000);
	ck_assert_msg(st == 137 && now_ms() - t0 < 3000, "a second %s: status %d after %ld ms; output:\n%s",
		      name, st, now_ms() - t0, s.out);
	ck_assert_msg(strstr(s.out, "=> container was killed by SIGKILL (status 137)"), "%s", s.out);
	int said = 0;
	for (const char *p = s.out; (p = strstr(p, "=> the container ignored")); p++)
		said++;
	ck_assert_msg(said == 1, "the line was said %d times:\n%s", said, s.out);
	ck_assert(!cgroup_left(tok));
	pty_end(&s);
}
END_TEST

/* A shell as PID 1 handles Ctrl-C itself: no line, and two do not kill it. */
START_TEST(pid1_shell_handles_ctrl_c)
{
	const char *args[] = { "-m", test_rootfs(), "-u", "0", "-c", "/bin/sh", NULL };
	struct pty_session s;
	pty_start(&s, 50, 200, args);
	wait_for_exec(&s, "sh");
	if (pty_wait(&s, "# ", 10000) != 1)
		give_up(&s, "no prompt");
	pty_type(&s, "\x03");
	pty_wait(&s, NULL, 200);
	pty_type(&s, "\x03");
	pty_wait(&s, NULL, 1200);
	pty_type(&s, "echo still $((40+2))\n");
	if (pty_wait(&s, "still 42", 5000) != 1)
		give_up(&s, "the shell did not survive two Ctrl-C");
	pty_type(&s, "exit 5\n");
	int st = wait_launcher(&s, 5000);
	ck_assert_msg(st == 5, "status %d", st);
	ck_assert_msg(!strstr(s.out, "ignored"), "%s", s.out);
	pty_end(&s);
}
END_TEST

/* ---- the end line, -q, -v ------------------------------------------------------ */

/* The last two lines of TEXT, in A and B. */
static void last_two_lines(const char *text, char *a, char *b, size_t size)
{
	const char *end = text + strlen(text);
	const char *p = end;
	int n = 0;
	while (p > text && n < 3)
		if (*--p == '\n')
			n++;
	if (*p == '\n')
		p++;
	int la = strcspn(p, "\n");
	snprintf(a, size, "%.*s", la, p);
	snprintf(b, size, "%.*s", (int)strcspn(p + la + 1, "\n"), p + la + 1);
}

static const struct {
	const char *flags, *command;
	int status;
	const char *line;        /* the end line, before the cleanup's */
} endings[] = {
	{ "", "/bin/sh -c 'exit 3'", 3, "=> container exited with status 3" },
	{ "", "/bin/true", 0, "=> container exited with status 0" },
	{ "-i", "/bin/sh -c 'kill -KILL $$'", 137,
	  "=> container exited with status 137: -i's init saying the command was killed by SIGKILL" },
	{ "-i -M 16M", "/bin/sh -c 'x=$(head -c 100000000 /dev/zero | tr \"\\0\" a)'", 137,
	  "=> container was killed: out of memory (limit 16M)" },
	{ "-i -P 1", "/bin/true", 125,
	  "=> container exited with status 125; 1 fork was refused at the process limit (-P 1)" },
};

START_TEST(end_line_and_cleanup)
{
	const char *tok = token();
	struct run r = run_sh("%s %s -H %s -m %s -u 0 -c %s", contained_bin(), endings[_i].flags, tok,
			      test_rootfs(), endings[_i].command);
	char a[512], b[512], want[256], name[128] = "";
	last_two_lines(r.err, a, b, sizeof a);
	const char *created = strstr(r.err, "=> creating cgroup ");
	if (created)
		sscanf(created, "=> creating cgroup %127s", name);
	snprintf(want, sizeof want, "=> removing cgroup %s...done.", name);
	ck_assert_msg(r.status == endings[_i].status, "status %d; stderr:\n%s", r.status, r.err);
	ck_assert_msg(!strcmp(a, endings[_i].line) && !strcmp(b, want),
		      "the run ended with\n%s\n%s\nnot\n%s\n%s", a, b, endings[_i].line, want);
	if (_i == 4)
		ck_assert_msg(strstr(r.err, "counts init too"), "%s", r.err);
	ck_assert(!cgroup_left(tok));
	run_free(&r);
}
END_TEST

/* The container killed from the host, as PID 1 without -i. */
START_TEST(end_line_names_the_signal)
{
	const char *tok = token();
	struct run r = run_sh("%s -H %s -m %s -u 0 -c /bin/sleep 30 2>&1 & "
			      "sleep 1; pkill -KILL -f '^/bin/sleep 30$' -U 100000; wait",
			      contained_bin(), tok, test_rootfs());
	ck_assert_msg(strstr(r.out, "\n=> container was killed by SIGKILL (status 137)\n=> removing cgroup "),
		      "%s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(quiet_says_nothing_but_errors)
{
	struct run r = run_sh("%s -q -m %s -u 0 -c /bin/sh -c 'echo out; echo err >&2; exit 4'",
			      contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 4 && !strcmp(r.out, "out\n") && !strcmp(r.err, "err\n"),
		      "status %d, stdout '%s', stderr '%s'", r.status, r.out, r.err);
	run_free(&r);
	r = run_sh("%s -q -m /nonexistent-classroom -u 0 -c /bin/true", contained_bin());
	ck_assert_msg(r.status == 125 && !strncmp(r.err, "contained: -m", 13) && !strstr(r.err, "=>"),
		      "status %d, stderr '%s'", r.status, r.err);
	run_free(&r);
	r = run_sh("%s -q -v -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 125 && strstr(r.err, "-q"), "status %d, stderr '%s'", r.status, r.err);
	run_free(&r);
}
END_TEST

START_TEST(verbose_shows_rlimits_rules_and_cleanup)
{
	static const char *const shown[] = {
		"setrlimit(RLIMIT_NOFILE, { .rlim_cur = 1024, .rlim_max = 4096 })",
		"keyctl            -> EPERM   (the kernel keyring is not namespaced)",
		"clone3            -> ENOSYS",
		"ioctl             -> EPERM if (arg1 & 0xffffffff) == 0x5412",
		"chmod             -> EPERM if arg1 has a bit of 0xc00",
		"personality       -> EPERM if arg0 has a bit of ",
		"=> removing cgroup ", "rmdir(\"/sys/fs/cgroup/", "the watchdog",
	};
	struct run r = run_sh("%s -v -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "status %d", r.status);
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
		ck_assert_msg(strstr(r.err, shown[i]), "-v does not show '%s':\n%.3000s", shown[i], r.err);
	run_free(&r);
}
END_TEST

START_TEST(help_describes_q_end_line_and_double_ctrl_c)
{
	struct run r = run_sh("%s -h", contained_bin());
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "  -q  ") && strstr(r.out, "how the container ended") &&
		      strstr(r.out, "again within 5 s"),
		      "%s", r.out);
	run_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("classroom");
	TCase *tc = tcase_create("step");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, step_hints_show_each_change);
	tcase_add_loop_test(tc, step_ctrl_c_stops_the_launch, 0, 2);
	tcase_add_test(tc, step_double_enter_skips_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("signals");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, pid1_ignores_a_signal_then_a_second_kills, 0, 2);
	tcase_add_test(tc, pid1_shell_handles_ctrl_c);
	suite_add_tcase(s, tc);

	tc = tcase_create("narration");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, end_line_and_cleanup, 0, sizeof endings / sizeof *endings);
	tcase_add_test(tc, end_line_names_the_signal);
	tcase_add_test(tc, quiet_says_nothing_but_errors);
	tcase_add_test(tc, verbose_shows_rlimits_rules_and_cleanup);
	tcase_add_test(tc, help_describes_q_end_line_and_double_ctrl_c);
	suite_add_tcase(s, tc);
	return run_container_suite("test_classroom", s);
}
