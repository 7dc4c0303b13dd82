/*
 * test_terminal.c - a container on a terminal of its own.  Each test drives
 * the real ./contained through a pseudo-terminal that it opens itself
 * (forkpty), as a user's terminal emulator would, and checks what the
 * programs inside see (`tty`, `stty size`, /dev/pts, Ctrl-C, Ctrl-Z, Ctrl-D)
 * and what the caller's terminal is left with (its termios, compared before
 * and after, also when the launcher is signalled or fails).
 *
 *     make check-terminal         (as root, from the top directory)
 *
 * Environment: CONTAINED (default ./contained), ROOTFS (default
 * tests/build/rootfs), as in harness.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "harness.h"

#include <dirent.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>

/* ---- small helpers ------------------------------------------------------ */

/* Every live descendant of ROOT, in V (at most MAX); returns how many. */
static size_t descendants(pid_t root, pid_t *v, size_t max)
{
	size_t n = 0, all;
	pid_t *pids = all_pids(&all);
	for (size_t i = 0; i < all && n < max; i++) {
		char st = proc_state(pids[i], NULL, NULL, 0);
		if (st && st != 'Z' && descends_from(pids[i], root))
			v[n++] = pids[i];
	}
	free(pids);
	return n;
}

/* Wait until PID's state letter is STATE, up to TIMEOUT_MS; returns the last
 * state seen. */
static char wait_state(pid_t pid, char state, long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	char st;
	while ((st = proc_state(pid, NULL, NULL, 0)) != state && st && now_ms() < deadline)
		msleep(20);
	return st;
}

static bool same_termios(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       !memcmp(a->c_cc, b->c_cc, sizeof a->c_cc);
}

static bool is_raw(int master)
{
	struct termios t;
	return tcgetattr(master, &t) == 0 && !(t.c_lflag & (ICANON | ECHO | ISIG));
}

/* Wait up to TIMEOUT_MS for the caller's terminal to be put in raw mode. */
static bool becomes_raw(struct pty_session *s, long timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	while (!is_raw(s->master) && now_ms() < deadline)
		msleep(20);
	return is_raw(s->master);
}

static void assert_restored(struct pty_session *s, const char *after)
{
	struct termios now;
	ck_assert_int_eq(tcgetattr(s->master, &now), 0);
	ck_assert_msg(same_termios(&s->before, &now), "after %s the caller's terminal is not as "
		      "before (lflag %#x, was %#x; iflag %#x, was %#x)", after,
		      (unsigned)now.c_lflag, (unsigned)s->before.c_lflag,
		      (unsigned)now.c_iflag, (unsigned)s->before.c_iflag);
}

/* -i or not: the shell is PID 1, or PID 2 under init. */
static const char *const init_modes[] = { NULL, "-i" };

/* ---- what the container sees -------------------------------------------- */

/* `tty` names a pty of the container's own devpts, which holds nothing but
 * it; and no process in the container holds the caller's terminal. */
START_TEST(own_pty_from_own_devpts)
{
	struct pty_session s;
	pty_start_marked_shell(&s, 24, 80, init_modes[_i]);
	pty_type(&s, "tty; echo pts=$(ls /dev/pts | tr '\\n' ,); [ /dev/stdin -ef /dev/pts/0 ] && echo S''AME\n");
	pty_expect(&s, "/dev/pts/0\r\n", "`tty` inside does not name /dev/pts/0");
	pty_expect(&s, "pts=0,ptmx,\r\n", "/dev/pts inside holds more or less than ptmx and 0");
	pty_expect(&s, "SAME\r\n", "stdin inside is not /dev/pts/0");

	/* The caller's terminal, seen from the host, against every fd of every
	 * process in the container's PID namespace. */
	char outer[64], path[128], ns_launcher[64] = "", ns[64];
	struct stat caller, st;
	ck_assert_int_eq(ptsname_r(s.master, outer, sizeof outer), 0);
	ck_assert_int_eq(stat(outer, &caller), 0);
	pidns_of(s.pid, ns_launcher, sizeof ns_launcher);
	ck_assert(ns_launcher[0]);
	pid_t v[64];
	size_t n = descendants(s.pid, v, 64), inside = 0;
	for (size_t i = 0; i < n; i++) {
		pidns_of(v[i], ns, sizeof ns);
		if (!ns[0] || !strcmp(ns, ns_launcher))
			continue;       /* the launcher's own watchdog */
		inside++;
		for (int fd = 0; fd < 64; fd++) {
			snprintf(path, sizeof path, "/proc/%d/fd/%d", v[i], fd);
			/* the inode, not the device number: each devpts
			 * instance numbers its ptys from 0 */
			if (stat(path, &st) == 0)
				ck_assert_msg(st.st_dev != caller.st_dev || st.st_ino != caller.st_ino,
					      "pid %d in the container holds the caller's terminal "
					      "%s as fd %d", v[i], outer, fd);
		}
	}
	ck_assert_msg(inside >= 1, "found no process of the container");
	pty_type(&s, "exit 0\n");
	ck_assert_int_eq(pty_finish(&s, 10000), 0);
	pty_end(&s);
}
END_TEST

/* `stty size` inside is the caller's window, and follows a resize. */
START_TEST(window_size_follows_resize)
{
	struct pty_session s;
	pty_start_marked_shell(&s, 33, 111, NULL);
	pty_type(&s, "tty; stty size\n");
	pty_expect(&s, "/dev/pts/0\r\n", "`tty` inside does not name /dev/pts/0");
	pty_expect(&s, "33 111\r\n", "stty size inside does not say 33 111");
	/* Resizing the caller's terminal signals its foreground group, the
	 * launcher, with SIGWINCH. */
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	ck_assert_int_eq(ioctl(s.master, TIOCSWINSZ, &ws), 0);
	msleep(200);
	pty_type(&s, "stty size\n");
	pty_expect(&s, "40 120\r\n", "after a resize to 40x120, stty size inside says otherwise");
	/* A program that waits for the resize sees SIGWINCH itself. */
	pty_type(&s, "trap 'echo GOT''WINCH' WINCH; sleep 2 & wait\n");
	msleep(300);
	ws.ws_row = 41;
	ck_assert_int_eq(ioctl(s.master, TIOCSWINSZ, &ws), 0);
	pty_expect(&s, "GOTWINCH\r\n", "the shell inside got no SIGWINCH for a resize");
	pty_type(&s, "exit 0\n");
	ck_assert_int_eq(pty_finish(&s, 10000), 0);
	pty_end(&s);
}
END_TEST

/* A shell in the container running `sleep 30` in the foreground; returns
 * the sleep's host pid.  The caller's terminal keeps the launcher in its
 * foreground meanwhile. */
static pid_t start_foreground_sleep(struct pty_session *s, const char *mode)
{
	pty_start_marked_shell(s, 24, 80, mode);
	pty_type(s, "sleep 30\n");
	pid_t sleeper = wait_descendant(s->pid, "sleep", 10000);
	if (!sleeper) {
		pty_stop(s);
		ck_abort_msg("sleep 30 never started; output:\n%s", tl(s->out));
	}
	ck_assert_msg(tcgetpgrp(s->master) == s->pid, "the caller's terminal's foreground group "
		      "is %d, not the launcher's %d: the container took it over",
		      (int)tcgetpgrp(s->master), (int)s->pid);
	return sleeper;
}

/* Ctrl-C interrupts the foreground job of the container's shell, which
 * lives on; the caller's terminal keeps the launcher in its foreground. */
START_TEST(ctrl_c_interrupts_foreground_job)
{
	struct pty_session s;
	pid_t sleeper = start_foreground_sleep(&s, init_modes[_i]);
	pty_type(&s, "\x03");
	pty_expect(&s, "[ctd]# ", "no new prompt after Ctrl-C");
	ck_assert_msg(waitpid(s.pid, NULL, WNOHANG) == 0, "Ctrl-C ended the launcher");
	char st = wait_state(sleeper, 0, 2000);
	ck_assert_msg(!st || st == 'Z', "sleep 30 still runs after Ctrl-C (state %c)", st);
	pty_type(&s, "echo st=$?\n");
	pty_expect(&s, "st=130\r\n", "the interrupted sleep's status is not 130");
	pty_type(&s, "exit 0\n");
	ck_assert_int_eq(pty_finish(&s, 10000), 0);
	pty_end(&s);
}
END_TEST

/* Ctrl-Z stops the foreground job, `fg` resumes it. */
START_TEST(ctrl_z_and_fg)
{
	struct pty_session s;
	pid_t sleeper = start_foreground_sleep(&s, init_modes[_i]);
	pty_type(&s, "\x1a");
	pty_expect(&s, "Stopped", "the shell reports no stopped job after Ctrl-Z");
	pty_expect(&s, "[ctd]# ", "no prompt after Ctrl-Z");
	char st = wait_state(sleeper, 'T', 2000);
	ck_assert_msg(st == 'T', "after Ctrl-Z sleep is in state %c, not T (stopped)", st ? st : '-');
	pty_type(&s, "fg\n");
	st = wait_state(sleeper, 'S', 2000);
	ck_assert_msg(st == 'S', "after fg sleep is in state %c, not S (sleeping)", st ? st : '-');
	pty_type(&s, "\x03");
	pty_expect(&s, "[ctd]# ", "no prompt after Ctrl-C on the resumed job");
	pty_type(&s, "exit 0\n");
	ck_assert_int_eq(pty_finish(&s, 10000), 0);
	pty_end(&s);
}
END_TEST

/* Ctrl-D at the prompt ends the session with the shell's status: that of
 * its last command. */
START_TEST(ctrl_d_ends_session_with_status)
{
	struct pty_session s;
	pty_start_marked_shell(&s, 24, 80, init_modes[_i]);
	pty_type(&s, "tty; (exit 3)\n");
	pty_expect(&s, "/dev/pts/0\r\n", "`tty` inside does not name /dev/pts/0");
	pty_expect(&s, "[ctd]# ", "no prompt after (exit 3)");
	pty_type(&s, "\x04");
	int status = pty_finish(&s, 10000);
	ck_assert_msg(status == 3, "Ctrl-D after (exit 3): launcher status %d; output:\n%s",
		      status, tl(s.out));
	pty_end(&s);
}
END_TEST

/* ---- the caller's terminal ---------------------------------------------- */

/* Raw while the container runs, as it was once the launcher is gone. */
START_TEST(termios_restored_after_exit)
{
	struct pty_session s;
	pty_start_marked_shell(&s, 24, 80, NULL);
	/* While a command runs, not at the prompt: busybox sh's line editor
	 * sets whatever terminal it is on much like raw mode. */
	pty_type(&s, "sleep 30\n");
	pid_t sleeper = wait_descendant(s.pid, "sleep", 10000);
	ck_assert_msg(sleeper && is_raw(s.master), "the caller's terminal is not in raw mode "
		      "while a command runs inside: its keys would be edited and made into "
		      "signals outside");
	pty_type(&s, "\x03");
	pty_expect(&s, "[ctd]# ", "no prompt after Ctrl-C");
	pty_type(&s, "exit 4\n");
	ck_assert_int_eq(pty_finish(&s, 10000), 4);
	assert_restored(&s, "exit 4");
	pty_end(&s);
}
END_TEST

/* SIGTERM to the launcher goes on to the container (init passes it to
 * sleep, which dies of it), and the terminal is restored on the way out. */
START_TEST(termios_restored_after_sigterm)
{
	struct pty_session s;
	pty_start(&s, 24, 80, (const char *[]){ "-m", test_rootfs(), "-u", "0", "-i", "-c",
					   "/bin/sleep", "30", NULL });
	pid_t sleeper = wait_descendant(s.pid, "sleep", 10000);
	if (!sleeper || !becomes_raw(&s, 5000)) {
		pty_stop(&s);
		ck_abort_msg("sleep 30 %s; output:\n%s", sleeper ? "runs, but the caller's "
			     "terminal is not raw" : "never started", tl(s.out));
	}
	kill(s.pid, SIGTERM);
	int status = pty_finish(&s, 10000);
	ck_assert_msg(status == 128 + SIGTERM, "SIGTERM: launcher status %d; output:\n%s",
		      status, tl(s.out));
	assert_restored(&s, "SIGTERM");
	pty_end(&s);
}
END_TEST

/* A launch that fails (125) once the terminal is set up: init cannot fork
 * its command under -P 1.  -v shows the terminal was there. */
START_TEST(termios_restored_after_launch_fails)
{
	struct pty_session s;
	pty_start(&s, 24, 80, (const char *[]){ "-m", test_rootfs(), "-u", "0", "-v", "-i", "-P", "1",
					   "-c", "/bin/sh", NULL });
	int status = pty_finish(&s, 15000);
	ck_assert_msg(status == 125, "-i -P 1: launcher status %d, not 125; output:\n%s",
		      status, tl(s.out));
	ck_assert_msg(strstr(s.out, "TIOCGPTPEER"), "the launch failed before the terminal was "
		      "made; output:\n%s", tl(s.out));
	ck_assert_msg(strstr(s.out, "contained: -i: init cannot start the command: fork"),
		      "no word of the failed fork; output:\n%s", tl(s.out));
	assert_restored(&s, "a failed launch");
	pty_end(&s);
}
END_TEST

/* ---- the flags -------------------------------------------------------------- */

/* -T: the caller's terminal as it is, as before there were ptys of the
 * container's own: not raw, and the container's devpts stays empty. */
START_TEST(refuse_flag_keeps_callers_terminal)
{
	struct pty_session s;
	pty_start_marked_shell(&s, 24, 80, "-T");
	pty_type(&s, "sleep 30\n");
	pid_t sleeper = wait_descendant(s.pid, "sleep", 10000);
	ck_assert_msg(sleeper && !is_raw(s.master), "-T: the caller's terminal is in raw mode "
		      "while a command runs");
	pty_type(&s, "\x03");
	pty_expect(&s, "[ctd]# ", "-T: no prompt after Ctrl-C");
	pty_type(&s, "echo pts=$(ls /dev/pts | tr '\\n' ,); tty\n");
	pty_expect(&s, "pts=ptmx,\r\n", "-T: /dev/pts inside is not empty");
	pty_expect(&s, "not a tty", "-T: `tty` inside names a terminal of the container's devpts");
	pty_type(&s, "exit 5\n");
	ck_assert_int_eq(pty_finish(&s, 10000), 5);
	assert_restored(&s, "-T");
	pty_end(&s);
}
END_TEST

/* -t with pipes: a pty inside all the same, and end of file on stdin comes
 * through as end of file (VEOF), with or without a last newline. */
START_TEST(force_flag_with_pipes)
{
	struct run r = run_sh("echo | %s -t -m %s -u 0 -c /bin/sh -c "
			      "'tty; echo pts=$(ls /dev/pts | tr \"\\n\" ,)'",
			      contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "-t: status %d\nstderr: %s", r.status, tl(r.err));
	ck_assert_msg(strstr(r.out, "/dev/pts/0\r\n"), "-t with pipes: `tty` said: %s", tl(r.out));
	ck_assert_msg(strstr(r.out, "pts=0,ptmx,\r\n"), "-t: /dev/pts inside: %s", tl(r.out));
	run_free(&r);

	r = run_sh("printf 'one\\ntwo' | timeout 20 %s -t -m %s -u 0 -c /bin/cat",
		   contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "-t cat: status %d (124: end of file never reached cat)"
		      "\nstderr: %s", r.status, tl(r.err));
	ck_assert_msg(strstr(r.out, "one\r\n") && strstr(r.out, "two"), "-t cat: %s", tl(r.out));
	run_free(&r);
}
END_TEST

START_TEST(both_flags_refused)
{
	struct run r = run_sh("%s -t -T -m %s -u 0 -c /bin/true", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 125 && strstr(r.err, "-t and -T"), "-t -T: status %d\n"
		      "stderr: %s", r.status, tl(r.err));
	run_free(&r);
}
END_TEST

/* ---- suite --------------------------------------------------------------------- */

static Suite *terminal_suite(void)
{
	Suite *s = suite_create("terminal");

	TCase *tc = tcase_create("inside");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, own_pty_from_own_devpts, 0, 2);
	tcase_add_test(tc, window_size_follows_resize);
	tcase_add_loop_test(tc, ctrl_c_interrupts_foreground_job, 0, 2);
	tcase_add_loop_test(tc, ctrl_z_and_fg, 0, 2);
	tcase_add_loop_test(tc, ctrl_d_ends_session_with_status, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("caller");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, termios_restored_after_exit);
	tcase_add_test(tc, termios_restored_after_sigterm);
	tcase_add_test(tc, termios_restored_after_launch_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("flags");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, refuse_flag_keeps_callers_terminal);
	tcase_add_test(tc, force_flag_with_pipes);
	tcase_add_test(tc, both_flags_refused);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return run_container_suite("test_terminal", terminal_suite());
}
