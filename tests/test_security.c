/*
 * test_security.c - the escape battery: every probe in tests/probes/ runs
 * inside a real container on the test rootfs and must report BLOCKED for
 * each attempt, and the harmless neighbours of the denied calls must keep
 * working.
 *
 * A probe prints one `BLOCKED <what>` or `ESCAPED <what>` line per attempt
 * and exits 0 (all blocked), 1 (something escaped) or 2 (the probe could
 * not run).  A test fails on any ESCAPED line, on a non-zero exit, and on a
 * BLOCKED count different from the number of attempts the probe makes, so
 * a probe that silently skips an attempt fails too.
 *
 * Some attacks need something on the host to aim at; main() sets these up
 * before the tests and removes them afterwards:
 *   - a marker file under a fresh directory in the host's /tmp (chroot)
 *   - a SysV shared memory segment with a known key, mode 0666 (shm)
 *   - a TCP listener on the host's 127.0.0.1 and an abstract unix socket (net)
 *   - a setuid-root copy of the setuid probe inside the rootfs (setuid)
 * and the host's hostname is compared before and after (hostname).
 *
 * Run from the project's top directory as root: `make check-security`.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "harness.h"
#include <sys/inotify.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

/* ---- host-side fixtures ------------------------------------------------- */

static char marker_dir[64];
static char marker[128];
static key_t shm_key;
static int shm_id = -1;
static int tcp_fd = -1;
static int tcp_port;
static int unix_fd = -1;
static char abstract_name[64];
static char host_name[256];
static char root_dev[32];
static char suid_copy[512];   /* host path of the setuid-root copy */

static pid_t fixtures_owner; /* Check forks a child per test: only main cleans */

static void fixtures_down(void)
{
	if (getpid() != fixtures_owner)
		return;
	if (marker[0]) {
		unlink(marker);
		rmdir(marker_dir);
		marker[0] = '\0';
	}
	if (shm_id >= 0) {
		shmctl(shm_id, IPC_RMID, NULL);
		shm_id = -1;
	}
	if (tcp_fd >= 0) {
		close(tcp_fd);
		tcp_fd = -1;
	}
	if (unix_fd >= 0) {
		close(unix_fd);
		unix_fd = -1;
	}
	if (suid_copy[0]) {
		unlink(suid_copy);
		suid_copy[0] = '\0';
	}
}

static void die(const char *what)
{
	fprintf(stderr, "test_security: %s: %s\n", what, strerror(errno));
	fixtures_down();
	exit(1);
}

/* Run a probe in a container as UID (with launcher OPTS, if any) and
 * collect its output and status. */
static struct run in_container_opts(const char *opts, unsigned uid, const char *probe,
				    const char *args)
{
	return run_sh("%s -m %s -u %u %s -c /probes/%s %s", contained_bin(), test_rootfs(), uid,
		      opts, probe, args ? args : "");
}

static struct run in_container(unsigned uid, const char *probe, const char *args)
{
	return in_container_opts("", uid, probe, args);
}

static void fixtures_up(void)
{
	fixtures_owner = getpid();
	atexit(fixtures_down);
	/* A file only the host has. */
	snprintf(marker_dir, sizeof marker_dir, "/tmp/contained-sec.XXXXXX");
	if (!mkdtemp(marker_dir))
		die("mkdtemp");
	snprintf(marker, sizeof marker, "%s/host-only-marker", marker_dir);
	int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		die(marker);
	close(fd);

	/* A shared memory segment anyone could open in the same IPC namespace. */
	for (int i = 0; i < 100 && shm_id < 0; i++) {
		shm_key = (key_t)(0x5ec00000 | ((getpid() + i * 7919) & 0xfffff));
		shm_id = shmget(shm_key, 4096, IPC_CREAT | IPC_EXCL | 0666);
	}
	if (shm_id < 0)
		die("shmget");
	char *p = shmat(shm_id, NULL, 0);
	if (p == (void *)-1)
		die("shmat");
	strcpy(p, "host secret");
	shmdt(p);

	/* A TCP listener on the host's loopback, and an abstract unix socket. */
	tcp_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in in = { .sin_family = AF_INET };
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof in;
	if (tcp_fd < 0 || bind(tcp_fd, (struct sockaddr *)&in, sizeof in) < 0 ||
	    listen(tcp_fd, 16) < 0 || getsockname(tcp_fd, (struct sockaddr *)&in, &len) < 0)
		die("tcp listener");
	tcp_port = ntohs(in.sin_port);

	snprintf(abstract_name, sizeof abstract_name, "contained-sec-%d", (int)getpid());
	unix_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	memcpy(un.sun_path + 1, abstract_name, strlen(abstract_name));
	if (unix_fd < 0 ||
	    bind(unix_fd, (struct sockaddr *)&un,
		 offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abstract_name)) < 0 ||
	    listen(unix_fd, 16) < 0)
		die("abstract unix listener");

	if (gethostname(host_name, sizeof host_name) < 0)
		die("gethostname");

	/* The block device under the rootfs (the host's disk), else under "/". */
	struct stat st;
	if (stat(test_rootfs(), &st) < 0)
		die(test_rootfs());
	if (major(st.st_dev) == 0 && stat("/", &st) < 0)
		die("/");
	snprintf(root_dev, sizeof root_dev, "%u:%u", major(st.st_dev), minor(st.st_dev));

	/* made by test_setuid_root_binary, removed by fixtures_down() */
	snprintf(suid_copy, sizeof suid_copy, "%s/probes/setuid-root", test_rootfs());
	unlink(suid_copy);
}

/* ---- the battery -------------------------------------------------------- */

enum args { NONE, MARKER, SHM_KEY, NET, HOSTNAME, ROOT_DEV };

static const struct probe {
	const char *name;
	int blocked;   /* attempts the probe makes: BLOCKED lines expected */
	enum args args;
	int works;     /* harmless neighbours it tries: OK lines expected */
} probes[] = {
	/* the seccomp deny list */
	{ "keyring", 3, NONE, 0 },
	{ "ptrace", 2, NONE, 0 },
	{ "userfaultfd", 1, NONE, 0 },
	{ "perf_event", 1, NONE, 0 },
	{ "bpf", 2, NONE, 0 },
	{ "kexec", 2, NONE, 0 },
	{ "modules", 3, NONE, 0 },
	{ "reboot", 1, NONE, 0 },
	{ "swap", 2, NONE, 0 },
	{ "acct", 1, NONE, 0 },
	{ "clock", 3, NONE, 0 },
	{ "handles", 3, NONE, 0 },
	{ "mount_api", 7, NONE, 0 },
	{ "setns", 2, NONE, 0 },
	{ "userns", 5, NONE, 0 },
	{ "numa", 5, NONE, 0 },
	{ "io_uring", 3, NONE, 0 },
	{ "chmod", 10, NONE, 0 },
	{ "tty", 5, NONE, 0 },
	{ "abi", 6, NONE, 0 },
	{ "process_vm", 5, NONE, 0 },
	{ "fanotify", 1, NONE, 0 },
	{ "vsock", 1, NONE, 3 },
	{ "personality", 7, NONE, 4 },
	/* devices, mounts, the filesystem root, /proc */
	{ "mknod", 3, ROOT_DEV, 0 },
	{ "mount", 7, NONE, 0 },
	{ "chroot", 2, MARKER, 0 },
	{ "procfs", 10, NONE, 0 },
	{ "fds", 4, NONE, 0 },
	/* privileges */
	{ "status", 7, NONE, 0 },
	/* namespaces */
	{ "hostname", 2, HOSTNAME, 0 },
	{ "shm", 2, SHM_KEY, 0 },
	{ "net", 3, NET, 0 },
};
#define NPROBES (int)(sizeof probes / sizeof probes[0])

static const unsigned uids[] = { 0, 1000 };

static char *probe_args(enum args a)
{
	char *s = NULL;
	int rc = 0;
	switch (a) {
	case NONE: rc = asprintf(&s, "%s", ""); break;
	case MARKER: rc = asprintf(&s, "%s", marker); break;
	case SHM_KEY: rc = asprintf(&s, "%d", (int)shm_key); break;
	case NET: rc = asprintf(&s, "%d %s", tcp_port, abstract_name); break;
	case HOSTNAME: rc = asprintf(&s, "%s", host_name); break;
	case ROOT_DEV: rc = asprintf(&s, "%s", root_dev); break;
	}
	ck_assert_int_ge(rc, 0);
	return s;
}

/* How many lines of OUT start with PREFIX. */
static int count_starting(const char *out, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);
	for (const char *p = out; p && *p;) {
		if (strncmp(p, prefix, len) == 0)
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* Judge the report R of probe NAME run as UID (launcher options OPTS): it
 * must block EXPECTED attempts and find WORKS neighbours working. */
static void judge_probe(struct run r, const char *opts, const char *name, unsigned uid,
			int expected, int works)
{
	int blocked = count_starting(r.out, "BLOCKED ");
	int escaped = count_starting(r.out, "ESCAPED ");
	int ok = count_starting(r.out, "OK ");
	int broken = count_starting(r.out, "BROKEN ");
	ck_assert_msg(escaped == 0, "probe %s as uid %u %s: %d attempt(s) ESCAPED:\n%s", name, uid,
		      opts, escaped, r.out);
	ck_assert_msg(broken == 0 && ok == works,
		      "probe %s as uid %u %s: %d neighbours OK and %d BROKEN, expected %d OK\n%s",
		      name, uid, opts, ok, broken, works, r.out);
	ck_assert_msg(r.status == 0, "probe %s as uid %u %s exited %d\nstdout:\n%s\nstderr:\n%s",
		      name, uid, opts, r.status, r.out, r.err);
	ck_assert_msg(blocked == expected,
		      "probe %s as uid %u %s: %d BLOCKED lines, expected %d\nstdout:\n%s", name, uid,
		      opts, blocked, expected, r.out);
	run_free(&r);
}

static void check_probe_works(const char *opts, const char *name, const char *args, unsigned uid,
			      int expected, int works)
{
	judge_probe(in_container_opts(opts, uid, name, args), opts, name, uid, expected, works);
}

static void check_probe_opts(const char *opts, const char *name, const char *args, unsigned uid,
			     int expected)
{
	check_probe_works(opts, name, args, uid, expected, 0);
}

static void check_probe(const char *name, const char *args, unsigned uid, int expected)
{
	check_probe_opts("", name, args, uid, expected);
}

/* One loop test per (probe, uid): _i = probe * 2 + uid index. */
START_TEST(test_probe)
{
	const struct probe *p = &probes[_i / 2];
	unsigned uid = uids[_i % 2];
	char *args = probe_args(p->args);
	check_probe_works("", p->name, args, uid, p->blocked, p->works);
	free(args);

	if (p->args == HOSTNAME) {
		char now[256];
		ck_assert_int_eq(gethostname(now, sizeof now), 0);
		ck_assert_msg(strcmp(now, host_name) == 0,
			      "the host's hostname changed from %s to %s", host_name, now);
	}
}
END_TEST

/* With -i the command is PID 2 and the launcher's init is PID 1 in the same
 * container: the init's descriptors must not be a way out either. */
START_TEST(test_fds_with_init)
{
	check_probe_opts("-i", "fds", NULL, uids[_i], 4);
}
END_TEST

/* no_new_privs: a setuid-root binary run by an ordinary user gains nothing.
 * The copy must be owned by the container's root and setuid as seen from
 * inside: with an idmapped rootfs that is host uid 0, without it the host
 * uid container root maps to (100000).  Both are tried. */
START_TEST(test_setuid_root_binary)
{
	char src[512];
	snprintf(src, sizeof src, "%s/probes/setuid", test_rootfs());
	int in = open(src, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(in >= 0, "%s: %s", src, strerror(errno));
	unlink(suid_copy);
	int out = open(suid_copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	ck_assert_msg(out >= 0, "%s: %s", suid_copy, strerror(errno));
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert_int_eq(write(out, buf, n), n);
	close(in);
	close(out);

	const uid_t owners[] = { 0, 100000 };
	char seen[2][128] = { "", "" };
	int ready = 0;
	for (size_t i = 0; i < 2 && !ready; i++) {
		ck_assert_int_eq(chown(suid_copy, owners[i], owners[i]), 0);
		ck_assert_int_eq(chmod(suid_copy, 04755), 0);
		struct run r = run_sh("%s -m %s -u 1000 -c /bin/sh -c "
				      "'stat -c %%u:%%a /probes/setuid-root'",
				      contained_bin(), test_rootfs());
		ready = r.status == 0 && strcmp(chomp(r.out), "0:4755") == 0;
		snprintf(seen[i], sizeof seen[i], "%s (status %d)", r.out, r.status);
		run_free(&r);
	}
	ck_assert_msg(ready,
		      "no setuid-root file inside the container: host owner 0 shows as %s, "
		      "host owner 100000 as %s",
		      seen[0], seen[1]);
	check_probe("setuid-root", NULL, 1000, 3);
	unlink(suid_copy);
}
END_TEST

/* The host id a container id owns files as: itself with the idmapped
 * rootfs (the host's root owns /probes and it shows as 0 inside), else
 * shifted by the user namespace's map. */
static unsigned host_id(unsigned id)
{
	struct run r = run_in("stat -c %%u /probes");
	bool idmapped = r.status == 0 && strcmp(chomp(r.out), "0") == 0;
	run_free(&r);
	return idmapped ? id : 100000 + id;
}

/* Set-id files made at creation.  The probe works in a fresh directory of
 * the rootfs that it leaves as it is; afterwards the host itself looks for
 * set-id regular files there.  The test also plants a file of the
 * container user's, mode 02644, for the probe's chmod g+x. */
START_TEST(test_setid_creation)
{
	unsigned uid = uids[_i];
	char dir[512], existing[600];
	snprintf(dir, sizeof dir, "%s/setid-probe", test_rootfs());
	snprintf(existing, sizeof existing, "%s/existing", dir);
	struct run r = run_sh("rm -rf %s", dir);
	run_free(&r);
	ck_assert_msg(mkdir(dir, 0755) == 0 && chmod(dir, 01777) == 0, "%s: %s", dir, strerror(errno));
	int fd = open(existing, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ck_assert_msg(fd >= 0, "%s: %s", existing, strerror(errno));
	close(fd);
	unsigned owner = host_id(uid);
	ck_assert_int_eq(chown(existing, owner, owner), 0);
	ck_assert_int_eq(chmod(existing, 02644), 0);

	struct run probe = in_container(uid, "setid", "/setid-probe /setid-probe/existing");
	r = run_sh("find %s -xdev -type f -perm /6000 -printf '%%m %%U:%%G %%p\\n'", dir);
	struct run gone = run_sh("rm -rf %s", dir);
	ck_assert_msg(r.status == 0 && r.out[0] == '\0',
		      "set-id files on the host's disk after the probe as uid %u:\n%s%s\n"
		      "the probe said:\n%s", uid, r.out, r.err, probe.out);
	ck_assert_msg(gone.status == 0, "rm -rf %s: %s", dir, gone.err);
	run_free(&r);
	run_free(&gone);
	judge_probe(probe, "", "setid", uid, 15, 9);
}
END_TEST

/* The host-side fixtures are really there: the same probes run on the host
 * (no container) must see them.  Without this a broken fixture would make
 * the namespace probes pass for the wrong reason. */
START_TEST(test_fixtures_are_visible_on_the_host)
{
	char bin[512];
	snprintf(bin, sizeof bin, "%s/probes", test_rootfs());
	struct run r = run_sh("%1$s/shm %2$d; %1$s/net %3$d %4$s; %1$s/chroot %5$s", bin,
			      (int)shm_key, tcp_port, abstract_name, marker);
	ck_assert_msg(strstr(r.out, "ESCAPED shmget of the host segment"),
		      "host shm segment not seen on the host:\n%s", r.out);
	ck_assert_msg(strstr(r.out, "ESCAPED host TCP listener"),
		      "host TCP listener not reachable on the host:\n%s", r.out);
	ck_assert_msg(strstr(r.out, "ESCAPED host abstract unix socket"),
		      "host abstract socket not reachable on the host:\n%s", r.out);
	ck_assert_msg(strstr(r.out, "ESCAPED host marker hidden"),
		      "marker not visible on the host:\n%s", r.out);
	run_free(&r);

	/* ...and the marker path does not exist inside the rootfs by accident. */
	char inside[1024];
	snprintf(inside, sizeof inside, "%s%s", test_rootfs(), marker);
	ck_assert_msg(access(inside, F_OK) < 0, "%s exists in the rootfs", inside);
}
END_TEST

/* ---- harmless neighbours ------------------------------------------------ */

START_TEST(test_neighbours_probe)
{
	unsigned uid = uids[_i];
	struct run r = in_container(uid, "neighbours", NULL);
	int ok = count_starting(r.out, "OK ");
	int broken = count_starting(r.out, "BROKEN ");
	ck_assert_msg(broken == 0 && r.status == 0,
		      "neighbours as uid %u: %d BROKEN, exit %d\nstdout:\n%s\nstderr:\n%s", uid,
		      broken, r.status, r.out, r.err);
	ck_assert_msg(ok == 10, "neighbours as uid %u: %d OK lines, expected 10\n%s", uid, ok,
		      r.out);
	run_free(&r);
}
END_TEST

START_TEST(test_ps_works)
{
	struct run r = run_in("ps");
	ck_assert_msg(r.status == 0, "ps exited %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "PID") && strstr(r.out, "ps"), "ps output:\n%s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(test_ls_proc_works)
{
	struct run r = run_in("ls -l /proc");
	ck_assert_msg(r.status == 0, "ls -l /proc exited %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "self") && strstr(r.out, "meminfo"), "ls -l /proc:\n%s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(test_ip_link_lo_up_works)
{
	struct run r = run_in("ip link set lo up && ip link show lo");
	ck_assert_msg(r.status == 0, "ip link set lo up exited %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "UP"), "lo is not up:\n%s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(test_threads_as_user)
{
	/* The threads check again through the shell, as an ordinary user. */
	struct run r = run_sh("%s -m %s -u 1000 -c /bin/sh -c '/probes/neighbours | grep threads'",
			      contained_bin(), test_rootfs());
	ck_assert_msg(r.status == 0 && strstr(r.out, "OK threads"), "threads as uid 1000:\n%s%s",
		      r.out, r.err);
	run_free(&r);
}
END_TEST

/* ---- main --------------------------------------------------------------- */

/* Per-user kernel limits are charged, at the host's level, to the owner of
 * the container's user namespace.  A container that opens every inotify
 * instance it can must not use up host root's share: root on the host can
 * still open one while the container holds them. */
START_TEST(test_inotify_not_charged_to_host_root)
{
	char uid[16], probe[] = "/probes/inotify_hog";
	int out[2];
	snprintf(uid, sizeof uid, "%u", uids[_i]);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		execl(contained_bin(), contained_bin(), "-m", test_rootfs(), "-u", uid, "-c",
		      probe, "3", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char text[4096] = "";
	size_t len = 0;
	ssize_t n;
	while (!strstr(text, "holding\n") && len < sizeof text - 1 &&
	       (n = read(out[0], text + len, sizeof text - 1 - len)) > 0)
		text[len += n] = '\0';
	int host_fd = inotify_init1(IN_CLOEXEC);
	int host_errno = errno;
	if (host_fd >= 0)
		close(host_fd);
	int wstatus;
	waitpid(pid, &wstatus, 0);
	close(out[0]);
	ck_assert_msg(strstr(text, "OK a watch on /") && strstr(text, "holding"),
		      "-u %s: the probe did not run:\n%s", uid, text);
	ck_assert_msg(host_fd >= 0, "-u %s: with the container holding its inotify instances "
		      "(%s), host root cannot open one: %s", uid, text, strerror(host_errno));
	ck_assert_msg(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "-u %s: status %d\n%s",
		      uid, wstatus, text);
}
END_TEST

static Suite *security_suite(void)
{
	Suite *s = suite_create("security");

	TCase *tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fixtures_are_visible_on_the_host);
	suite_add_tcase(s, tc);

	tc = tcase_create("battery");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_probe, 0, NPROBES * 2);
	tcase_add_loop_test(tc, test_fds_with_init, 0, 2);
	tcase_add_test(tc, test_setuid_root_binary);
	tcase_add_loop_test(tc, test_setid_creation, 0, 2);
	tcase_add_loop_test(tc, test_inotify_not_charged_to_host_root, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("neighbours");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_neighbours_probe, 0, 2);
	tcase_add_test(tc, test_ps_works);
	tcase_add_test(tc, test_ls_proc_works);
	tcase_add_test(tc, test_ip_link_lo_up_works);
	tcase_add_test(tc, test_threads_as_user);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (geteuid() == 0)
		fixtures_up();
	int status = run_container_suite("test_security", security_suite());
	if (geteuid() == 0)
		fixtures_down();
	return status;
}
