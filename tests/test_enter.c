/*
 * test_enter.c - namespaces shared with the host (-S), entering a running
 * container (-x) and listing the running ones (-l).  Each test starts real
 * containers on the test rootfs and checks what the process inside sees:
 * the namespace inodes of /proc/self/ns against the host's, the host's
 * processes and interfaces, and for -x the container's PID namespace,
 * hostname, uid map, capabilities, seccomp, no_new_privs and cgroup.
 *
 * Run as root from the project's top directory: `sudo make check-enter`.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#define TOKEN_PREFIX "enter"
#include "harness.h"
#include <poll.h>
#include <pty.h>

static const char *const ns_names[] = { "pid", "net", "uts", "ipc", "user", "mnt" };

/* The host's (this test's own) namespace link for NAME. */
static void host_ns(const char *name, char *out, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/ns/%s", name);
	ssize_t n = readlink(path, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
}

START_TEST(shared_namespaces_are_the_hosts)
{
	static const char *const shareable[] = { "pid", "net", "uts", "ipc" };
	/* every subset of the four, the empty one included */
	for (unsigned mask = 0; mask < 16; mask++) {
		char list[64] = "", args[128];
		for (int i = 0; i < 4; i++)
			if (mask & (1u << i))
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 list[0] ? "," : "", shareable[i]);
		snprintf(args, sizeof args, "%s%s", list[0] ? "-S " : "", list);
		struct run r = run_sh("%s -m %s -u 0 %s -c /bin/sh -c 'for n in pid net uts ipc user "
				      "mnt; do echo $n $(readlink /proc/self/ns/$n); done'",
				      contained_bin(), test_rootfs(), args);
		ck_assert_msg(r.status == 0, "-S %s: status %d: %s", list, r.status, tl(r.err));
		for (size_t i = 0; i < sizeof ns_names / sizeof *ns_names; i++) {
			char host[64], line[160];
			bool shared = i < 4 && (mask & (1u << i));
			host_ns(ns_names[i], host, sizeof host);
			snprintf(line, sizeof line, "%s %s", ns_names[i], host);
			ck_assert_msg(has_line(r.out, line) == shared, "-S '%s': %s is %s the host's:\n%s",
				      list, ns_names[i], shared ? "not" : "", r.out);
			snprintf(line, sizeof line, "=> warning: -S %s: ", ns_names[i]);
			ck_assert_msg((strstr(r.err, line) != NULL) == shared,
				      "-S '%s': warning for %s: %s", list, ns_names[i], tl(r.err));
		}
		run_free(&r);
	}
}
END_TEST

/* -S pid: the host's processes, this test's among them; -S net: the
 * host's interfaces. */
START_TEST(shared_pid_and_net_show_the_host)
{
	struct run r = run_sh("%s -m %s -u 0 -S pid -c /bin/sh -c 'test -d /proc/%d && echo seen; "
			      "echo $$; echo x > /proc/self/comm || echo read-only'",
			      contained_bin(), test_rootfs(), (int)getpid());
	ck_assert_msg(r.status == 0, "%s", tl(r.err));
	ck_assert_msg(has_line(r.out, "seen"), "the test process is not in /proc: %s", r.out);
	ck_assert_msg(has_line(r.out, "read-only"), "the host's /proc is writable: %s", r.out);
	ck_assert_int_gt(atoi(strchr(r.out, '\n') + 1), 1);    /* not PID 1 */
	run_free(&r);

	struct run h = run_sh("ls -1 /sys/class/net");
	char *host = h.out;
	r = run_sh("%s -m %s -u 0 -S net -c /bin/ls -1 /sys/class/net", contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0, "%s", tl(r.err));
	ck_assert_msg(count_lines(host) > 1, "the host has only lo: nothing to tell apart");
	ck_assert_str_eq(r.out, host);
	run_free(&r);
	run_free(&h);
}
END_TEST

START_TEST(unshareable_namespaces_are_refused)
{
	static const char *const bad[] = { "mnt", "user", "cgroup", "pid,user", "time", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct run r = run_sh("%s -m %s -u 0 -S '%s' -c /bin/true", contained_bin(),
				      test_rootfs(), bad[i]);
		ck_assert_msg(r.status == 125, "-S '%s': status %d", bad[i], r.status);
		ck_assert_msg(strstr(r.err, "contained: -S"), "-S '%s': %s", bad[i], r.err);
		if (strstr(bad[i], "user") || !strcmp(bad[i], "mnt"))
			ck_assert_msg(strstr(r.err, "cannot be shared"), "-S %s: %s", bad[i], r.err);
		run_free(&r);
	}
}
END_TEST

/* ---- a running container to enter --------------------------------------------- */

struct box {
	pid_t launcher, pid;    /* the launcher; the container's PID 1 on the host */
	char name[64];
	int err;                /* the launcher's stderr (a memfd) */
};

/* Start `contained -H NAME ARGS -c /bin/sleep 60` and wait for its pid line. */
static void start_box(struct box *b, const char *args)
{
	char cmd[512];
	snprintf(b->name, sizeof b->name, "%s", token());
	b->err = new_memfd();
	snprintf(cmd, sizeof cmd, "exec %s -m %s -u 0 -H %s %s -c /bin/sleep 60",
		 contained_bin(), test_rootfs(), b->name, args);
	b->launcher = spawn(devnull(O_RDONLY), devnull(O_WRONLY), b->err, ARGV("/bin/sh", "-c", cmd));
	b->pid = 0;
	for (int i = 0; i < 500 && !b->pid; i++) {
		char *text = memfd_text(b->err);
		const char *p = strstr(text, "=> container is pid ");
		if (p && strstr(p, "on the host") && strstr(text, "installing the seccomp"))
			b->pid = atoi(p + strlen("=> container is pid "));
		free(text);
		msleep(10);
	}
	ck_assert_msg(b->pid > 0, "the container did not start");
	msleep(100);
}

static void stop_box(struct box *b)
{
	kill(b->pid, SIGKILL);
	ck_assert_int_eq(wait_child(b->launcher, 10000), 137);
	close(b->err);
}

/* The value of KEY from /proc/self/status lines in TEXT. */
static char *status_value(const char *text, const char *key)
{
	static char value[64];
	const char *p = strstr(text, key);
	value[0] = '\0';
	if (p)
		sscanf(p + strlen(key), " %63s", value);
	return value;
}

START_TEST(enter_sees_the_container)
{
	struct box b;
	start_box(&b, "");
	char *host_status = proc_file(b.pid, "status");
	char *host_cgroup = proc_file(b.pid, "cgroup");
	struct run r = run_sh("%s -x %s -c /bin/sh -c 'cat /proc/1/comm; hostname; "
			      "cat /proc/self/uid_map; grep -E \"^(CapEff|Seccomp|NoNewPrivs):\" "
			      "/proc/self/status; readlink /proc/self/ns/pid; echo $$ > /tmp/entered; "
			      "cat /proc/self/cgroup | grep -c :/$'",
			      contained_bin(), b.name);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, tl(r.err));
	ck_assert_msg(has_line(r.out, "sleep"), "PID 1 is not the container's sleep: %s", r.out);
	ck_assert_msg(has_line(r.out, b.name), "hostname: %s", r.out);
	ck_assert_msg(strstr(r.out, "0     100000      65536"), "uid map: %s", r.out);
	ck_assert_str_eq(status_value(r.out, "CapEff:"), status_value(host_status, "CapEff:"));
	ck_assert_str_eq(status_value(r.out, "CapEff:"), "00000000000404fb");
	ck_assert_str_eq(status_value(r.out, "Seccomp:"), "2");
	ck_assert_str_eq(status_value(r.out, "NoNewPrivs:"), "1");
	char pidns[64], line[80];
	pidns_of(b.pid, pidns, sizeof pidns);
	snprintf(line, sizeof line, "%s", pidns);
	ck_assert_msg(has_line(r.out, line), "not in the container's PID namespace %s: %s", pidns, r.out);
	/* every cgroup line is the namespace's root: the container's cgroup */
	ck_assert_int_eq(atoi(strrchr(chomp(r.out), '\n') + 1), count_lines(host_cgroup));
	run_free(&r);

	/* by host pid too, as another user, with -e, and its own exit status */
	r = run_sh("%s -x %d -u 1000 -e A=b -c /bin/sh -c 'id -u; echo $A; exit 7'",
		   contained_bin(), (int)b.pid);
	ck_assert_int_eq(r.status, 7);
	ck_assert_str_eq(r.out, "1000\nb\n");
	run_free(&r);
	free(host_status);
	free(host_cgroup);
	stop_box(&b);
}
END_TEST

/* The entered process is in the container's cgroup, and dies with it. */
START_TEST(entered_process_dies_with_the_container)
{
	struct box b;
	start_box(&b, "");
	int err = new_memfd();
	char cmd[256];
	snprintf(cmd, sizeof cmd, "exec %s -x %s -c /bin/sleep 61", contained_bin(), b.name);
	pid_t enter = spawn(devnull(O_RDONLY), devnull(O_WRONLY), err, ARGV("/bin/sh", "-c", cmd));
	pid_t inside = wait_descendant(enter, "sleep", 5000);
	ck_assert_msg(inside > 0, "no entered sleep: %s", memfd_text(err));
	char *mine = proc_file(inside, "cgroup"), *theirs = proc_file(b.pid, "cgroup");
	ck_assert_str_eq(mine, theirs);
	free(mine);
	free(theirs);
	stop_box(&b);
	ck_assert_int_eq(wait_child(enter, 5000), 137);
	ck_assert_int_eq(kill(inside, 0), -1);
	close(err);
}
END_TEST

START_TEST(enter_only_contained_containers)
{
	struct run r = run_sh("%s -x 1 -c /bin/true; %s -x no-such-%s -c /bin/true",
			      contained_bin(), contained_bin(), token());
	ck_assert_int_eq(r.status, 125);
	ck_assert_int_eq(count_lines(error_lines(r.err)), 2);
	ck_assert_msg(strstr(r.err, "no running container of contained"), "%s", r.err);
	run_free(&r);
	r = run_sh("%s -x 1 -m /tmp -c /bin/true", contained_bin());
	ck_assert_int_eq(r.status, 125);
	run_free(&r);
}
END_TEST

/* A container held by -s at a pause before its pivot_root still has the
 * host's / as its /: -x must refuse to enter it then, or the entered
 * process would get the host's whole tree. */
START_TEST(enter_refuses_a_container_before_its_pivot)
{
	char name[64];
	FMT(name, "%s-early", token());
	struct pty_session s;
	pty_start(&s, 24, 80, (const char *[]){ "-s", "-T", "-m", test_rootfs(), "-u", "0", "-H", name,
						"-c", "/bin/sleep", "30", NULL });
	/* Enter through the parent's pauses up to the child's first stage */
	bool there = false;
	for (int i = 0; i < 40 && !there; i++) {
		if (pty_wait(&s, "press Enter", 15000) != 1)
			break;
		there = strstr(s.out, "becoming root") != NULL;
		if (!there)
			pty_type(&s, "\n");       /* on to the next pause */
	}
	struct run r = run_sh("%s -x %s -c /bin/cat /etc/os-release", contained_bin(), name);
	pty_stop(&s);
	ck_assert_msg(there, "never reached the child's first pause; output:\n%s", tl(s.out));
	ck_assert_msg(r.status == 125 && strstr(r.err, "still starting"), "-x before the pivot: "
		      "status %d, stdout:\n%s\nstderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
	pty_end(&s);
}
END_TEST

/* -x into a container with -S net: the net namespace is left alone. */
START_TEST(enter_a_container_sharing_the_network)
{
	struct box b;
	start_box(&b, "-S net");
	char host[64], line[80];
	host_ns("net", host, sizeof host);
	struct run r = run_sh("%s -x %s -c /bin/readlink /proc/self/ns/net", contained_bin(), b.name);
	ck_assert_msg(r.status == 0, "%s", tl(r.err));
	snprintf(line, sizeof line, "%s", host);
	ck_assert_msg(has_line(r.out, line), "%s", r.out);
	run_free(&r);
	stop_box(&b);
}
END_TEST

START_TEST(list_shows_running_ones_only)
{
	struct box b;
	start_box(&b, "-M 64M");
	struct run r = run_sh("%s -l", contained_bin());
	ck_assert_int_eq(r.status, 0);
	char want[128];
	const char *line = strstr(r.out, b.name);
	ck_assert_msg(line, "%s not listed: %s", b.name, r.out);
	snprintf(want, sizeof want, " %d ", (int)b.pid);
	ck_assert_msg(strstr(line, want), "no pid %d: %s", (int)b.pid, line);
	ck_assert_msg(strstr(line, "/64M") && strstr(line, "lo only") &&
		      strstr(line, "/bin/sleep 60") && strstr(line, abs_rootfs()), "%s", line);
	run_free(&r);
	stop_box(&b);
	r = run_sh("%s -l", contained_bin());
	ck_assert_msg(!strstr(r.out, b.name), "still listed: %s", r.out);
	run_free(&r);
	/* a launcher and watchdog killed at once leave a record that no lock
	 * backs: never listed, and swept */
	start_box(&b, "");
	char state[PATH_MAX];
	int n = 0;
	DIR *d = opendir("/run/contained");
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, b.name, strlen(b.name)) && strstr(e->d_name, ".state")) {
			snprintf(state, sizeof state, "/run/contained/%s", e->d_name);
			n++;
		}
	closedir(d);
	ck_assert_int_eq(n, 1);
	char *copy;
	ck_assert_int_ge(asprintf(&copy, "cp %s %s.keep", state, state), 0);
	ck_assert_int_eq(system(copy), 0);
	free(copy);
	stop_box(&b);
	char kept[PATH_MAX + 8];
	snprintf(kept, sizeof kept, "%s.keep", state);
	ck_assert_int_eq(rename(kept, state), 0);
	r = run_sh("%s -l", contained_bin());
	ck_assert_msg(!strstr(r.out, b.name), "stale record listed: %s", r.out);
	ck_assert_int_eq(access(state, F_OK), -1);
	run_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("enter");
	TCase *tc = tcase_create("enter");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, shared_namespaces_are_the_hosts);
	tcase_add_test(tc, shared_pid_and_net_show_the_host);
	tcase_add_test(tc, unshareable_namespaces_are_refused);
	tcase_add_test(tc, enter_sees_the_container);
	tcase_add_test(tc, entered_process_dies_with_the_container);
	tcase_add_test(tc, enter_only_contained_containers);
	tcase_add_test(tc, enter_refuses_a_container_before_its_pivot);
	tcase_add_test(tc, enter_a_container_sharing_the_network);
	tcase_add_test(tc, list_shows_running_ones_only);
	suite_add_tcase(s, tc);
	return run_container_suite("test_enter", s);
}
