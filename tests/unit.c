/*
 * unit.c - Check unit tests for the pure helpers in contained.c.
 *
 * contained.c is included whole, compiled with CONTAINED_TEST so that its
 * main() is left out; its static helpers are then in scope here.  Nothing
 * in this file needs root or touches the kernel's namespaces: the container
 * itself is tested for real by test_container.c and friends.
 */
#include "../contained.c"

#include <check.h>

/* ---- option parsing ---------------------------------------------------- */

/* Parse a NULL-terminated argument list; returns parse_options' result and
 * leaves the message in err. */
static struct options opts;
static char err[1024];

static int parse(const char *first, ...)
{
	static char *argv[32] = { "contained" };
	int argc = 1;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return parse_options(argc, argv, &opts, err, sizeof err);
}

START_TEST(options_minimal)
{
	ck_assert_int_eq(parse("-m", "rootfs", "-u", "0", "-c", "/bin/sh", NULL), 0);
	ck_assert_str_eq(opts.rootfs, "rootfs");
	ck_assert_uint_eq(opts.uid, 0);
	ck_assert_str_eq(opts.argv[0], "/bin/sh");
	ck_assert_ptr_null(opts.argv[1]);
	ck_assert_uint_eq(opts.memory, DEFAULT_MEMORY);
	ck_assert_int_eq(opts.max_pids, DEFAULT_PIDS);
	ck_assert_int_eq(opts.cpu_quota_us, 0);
	ck_assert(!opts.init);
	ck_assert_str_eq(opts.hostname, "");
}
END_TEST

START_TEST(options_after_c_belong_to_the_command)
{
	ck_assert_int_eq(parse("-m", "r", "-u", "5", "-c", "/bin/sh", "-c", "echo hi", "-u", "7", NULL), 0);
	ck_assert_uint_eq(opts.uid, 5);
	ck_assert_str_eq(opts.argv[0], "/bin/sh");
	ck_assert_str_eq(opts.argv[1], "-c");
	ck_assert_str_eq(opts.argv[2], "echo hi");
	ck_assert_str_eq(opts.argv[3], "-u");
	ck_assert_str_eq(opts.argv[4], "7");
	ck_assert_ptr_null(opts.argv[5]);
}
END_TEST

START_TEST(options_all_flags)
{
	ck_assert_int_eq(parse("-i", "-H", "box", "-M", "256M", "-C", "0.5", "-P", "20",
			       "-m", "r", "-u", "1000", "-c", "true", NULL), 0);
	ck_assert(opts.init);
	ck_assert_str_eq(opts.hostname, "box");
	ck_assert_uint_eq(opts.memory, 256ULL << 20);
	ck_assert_int_eq(opts.cpu_quota_us, 50000);
	ck_assert_int_eq(opts.max_pids, 20);
	ck_assert_uint_eq(opts.uid, 1000);
}
END_TEST

/* Each bad command line must be refused with a message naming the problem. */
static const struct {
	const char *args[12];
	const char *mentions;
} bad_lines[] = {
	{ { "-u", "0", "-c", "sh" }, "-m" },
	{ { "-m", "r", "-c", "sh" }, "-u" },
	{ { "-m", "r", "-u", "0" }, "-c" },
	{ { "-m", "r", "-u", "0", "-c" }, "-c" },
	{ { "-m", "r", "-u", "abc", "-c", "sh" }, "-u 'abc'" },
	{ { "-m", "r", "-u", "-1", "-c", "sh" }, "-u '-1'" },
	{ { "-m", "r", "-u", "65536", "-c", "sh" }, "-u '65536'" },
	{ { "-m", "r", "-u", "", "-c", "sh" }, "-u ''" },
	{ { "-m", "r", "-u", " 1", "-c", "sh" }, "-u ' 1'" },
	{ { "-m", "r", "-u", "1x", "-c", "sh" }, "-u '1x'" },
	{ { "-m", "r", "-u", "99999999999999999999", "-c", "sh" }, "-u" },
	{ { "-m", "r", "-u", "0", "-H", "a/b", "-c", "sh" }, "-H 'a/b'" },
	{ { "-m", "r", "-u", "0", "-H", "..", "-c", "sh" }, "-H '..'" },
	{ { "-m", "r", "-u", "0", "-M", "12Q", "-c", "sh" }, "-M '12Q'" },
	{ { "-m", "r", "-u", "0", "-M", "0", "-c", "sh" }, "-M '0'" },
	{ { "-m", "r", "-u", "0", "-C", "0", "-c", "sh" }, "-C '0'" },
	{ { "-m", "r", "-u", "0", "-C", "abc", "-c", "sh" }, "-C 'abc'" },
	{ { "-m", "r", "-u", "0", "-P", "-3", "-c", "sh" }, "-P '-3'" },
	{ { "-m", "r", "-u", "0", "-P", "0", "-c", "sh" }, "-P '0'" },
	{ { "-m", "r", "-u", "0", "-x", "-c", "sh" }, "-x" },
	{ { "-m", "r", "-u", "0", "-M" }, "-M" },
	{ { "-m", "r", "-u", "0", "stray", "-c", "sh" }, "stray" },
};

START_TEST(options_bad_input)
{
	const char *const *a = bad_lines[_i].args;
	ck_assert_int_eq(parse(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], NULL), -1);
	ck_assert_msg(strstr(err, bad_lines[_i].mentions),
		      "message '%s' does not mention '%s'", err, bad_lines[_i].mentions);
}
END_TEST

START_TEST(options_help)
{
	ck_assert_int_eq(parse("-h", NULL), -1);
	ck_assert(strstr(err, "usage: contained -m ROOTFS -u UID"));
}
END_TEST

/* ---- numbers ------------------------------------------------------------ */

START_TEST(uid_range)
{
	unsigned uid = 12345;
	ck_assert_int_eq(parse_uid("0", &uid), 0);
	ck_assert_uint_eq(uid, 0);
	ck_assert_int_eq(parse_uid("65535", &uid), 0);
	ck_assert_uint_eq(uid, 65535);
	ck_assert_int_eq(parse_uid("65536", &uid), -1);
	ck_assert_int_eq(parse_uid("+1", &uid), -1);
	ck_assert_int_eq(parse_uid("0x10", &uid), -1);
	ck_assert_uint_eq(uid, 65535);   /* untouched on error */
}
END_TEST

START_TEST(sizes)
{
	unsigned long long b = 0;
	ck_assert_int_eq(parse_size("256M", &b), 0);
	ck_assert_uint_eq(b, 268435456ULL);
	ck_assert_int_eq(parse_size("1G", &b), 0);
	ck_assert_uint_eq(b, 1ULL << 30);
	ck_assert_int_eq(parse_size("64m", &b), 0);
	ck_assert_uint_eq(b, 64ULL << 20);
	ck_assert_int_eq(parse_size("2048K", &b), 0);
	ck_assert_uint_eq(b, 2ULL << 20);
	ck_assert_int_eq(parse_size("1048576", &b), 0);
	ck_assert_uint_eq(b, 1048576);
	ck_assert_int_eq(parse_size("1048575", &b), -1);   /* below 1M */
	ck_assert_int_eq(parse_size("1MB", &b), -1);
	ck_assert_int_eq(parse_size("M", &b), -1);
	ck_assert_int_eq(parse_size("-1G", &b), -1);
	ck_assert_int_eq(parse_size("1.5G", &b), -1);
	ck_assert_int_eq(parse_size("99999999999T", &b), -1); /* overflows 64 bits */
}
END_TEST

START_TEST(cpus)
{
	long q = 0;
	ck_assert_int_eq(parse_cpus("0.5", &q), 0);
	ck_assert_int_eq(q, 50000);
	ck_assert_int_eq(parse_cpus("2", &q), 0);
	ck_assert_int_eq(q, 200000);
	ck_assert_int_eq(parse_cpus("0.01", &q), 0);
	ck_assert_int_eq(q, 1000);
	ck_assert_int_eq(parse_cpus(".25", &q), 0);
	ck_assert_int_eq(q, 25000);
	ck_assert_int_eq(parse_cpus("0.001", &q), -1);
	ck_assert_int_eq(parse_cpus("-1", &q), -1);
	ck_assert_int_eq(parse_cpus("1e3", &q), -1);
	ck_assert_int_eq(parse_cpus("nan", &q), -1);
	ck_assert_int_eq(parse_cpus("", &q), -1);
	ck_assert_int_eq(parse_cpus(".", &q), -1);
	ck_assert_int_eq(parse_cpus("0.5x", &q), -1);
}
END_TEST

/* ---- names -------------------------------------------------------------- */

START_TEST(hostnames)
{
	ck_assert(valid_hostname("box"));
	ck_assert(valid_hostname("web-1.example"));
	ck_assert(!valid_hostname(""));
	ck_assert(!valid_hostname("a/b"));
	ck_assert(!valid_hostname("."));
	ck_assert(!valid_hostname(".."));
	ck_assert(!valid_hostname("a..b"));
	ck_assert(!valid_hostname("-x"));
	ck_assert(!valid_hostname("has space"));
	char long_name[80];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	ck_assert(!valid_hostname(long_name));
}
END_TEST

START_TEST(generated_hostnames)
{
	char buf[65];
	generate_hostname(0x1236740a1, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "6740a1-the-fool");
	generate_hostname(0x6740a1, 21, buf, sizeof buf);
	ck_assert_str_eq(buf, "6740a1-the-world");
	generate_hostname(0x6740a1, 22, buf, sizeof buf);
	ck_assert_str_eq(buf, "6740a1-ace-of-wands");
	generate_hostname(0x6740a1, 22 + 3 * 14 + 2, buf, sizeof buf);
	ck_assert_str_eq(buf, "6740a1-three-of-pentacles");
	generate_hostname(0x6740a1, 77, buf, sizeof buf);
	ck_assert_str_eq(buf, "6740a1-king-of-pentacles");
	generate_hostname(0x6740a1, 78, buf, sizeof buf);     /* wraps */
	ck_assert_str_eq(buf, "6740a1-the-fool");
	/* every card gives a name the launcher itself accepts */
	for (unsigned card = 0; card < 78; card++) {
		generate_hostname(0xffffff, card, buf, sizeof buf);
		ck_assert_msg(valid_hostname(buf), "%s", buf);
	}
}
END_TEST

START_TEST(cgroup_names)
{
	char a[128], b[128];
	cgroup_name("6740a1-the-fool", a, sizeof a);
	cgroup_name("6740a1-the-fool", b, sizeof b);
	/* the hostname, a dot, 12 hex digits: and never the same twice */
	ck_assert_int_eq(strlen(a), strlen("6740a1-the-fool.") + 12);
	ck_assert_int_eq(strncmp(a, "6740a1-the-fool.", 16), 0);
	ck_assert_int_eq(strspn(a + 16, "0123456789abcdef"), 12);
	ck_assert_str_ne(a, b);
}
END_TEST

/* ---- formats ------------------------------------------------------------ */

START_TEST(id_map_line)
{
	char buf[64];
	ck_assert_int_eq(format_id_map(buf, sizeof buf, 0, HOST_ID_BASE, CONTAINER_IDS), 15);
	ck_assert_str_eq(buf, "0 100000 65536\n");
}
END_TEST

START_TEST(exit_statuses)
{
	ck_assert_int_eq(exit_status_of(0), 0);
	ck_assert_int_eq(exit_status_of(7 << 8), 7);
	ck_assert_int_eq(exit_status_of(SIGKILL), 137);
	ck_assert_int_eq(exit_status_of(SIGTERM), 143);
}
END_TEST

START_TEST(oom_counts)
{
	ck_assert_int_eq(oom_kill_count("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n"), 2);
	ck_assert_int_eq(oom_kill_count("oom_kill_disable 0\nunder_oom 0\noom_kill 5\n"), 5);
	ck_assert_int_eq(oom_kill_count("oom_kill_disable 1\nunder_oom 0\n"), 0);
	ck_assert_int_eq(oom_kill_count("oom_group_kill 3\n"), 0);
	ck_assert_int_eq(oom_kill_count(""), 0);
}
END_TEST

START_TEST(sizes_formatted)
{
	char buf[32];
	format_size(256ULL << 20, buf, sizeof buf);
	ck_assert_str_eq(buf, "256M");
	format_size(1ULL << 30, buf, sizeof buf);
	ck_assert_str_eq(buf, "1G");
	format_size(3ULL << 10, buf, sizeof buf);
	ck_assert_str_eq(buf, "3K");
	format_size(1000, buf, sizeof buf);
	ck_assert_str_eq(buf, "1000");
	format_size((1ULL << 20) + 1024, buf, sizeof buf);
	ck_assert_str_eq(buf, "1025K");
}
END_TEST

/* ---- command lookup inside a rootfs ------------------------------------- */

/* A tiny rootfs in a temporary directory: bin/tool (a file), sbin/sh -> an
 * absolute symlink that must resolve inside the rootfs, usr/bin a dir. */
static char tmproot[64];
static int rootfd = -1;

static void make_tree(void)
{
	char path[128];
	snprintf(tmproot, sizeof tmproot, "/tmp/contained-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmproot));
	const char *dirs[] = { "bin", "sbin", "usr", "usr/bin", "usr/bin/adir" };
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", tmproot, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof path, "%s/bin/tool", tmproot);
	int fd = open(path, O_CREAT | O_WRONLY, 0755);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(path, sizeof path, "%s/sbin/sh", tmproot);
	ck_assert_int_eq(symlink("/bin/tool", path), 0);
	/* points at a host file that exists, but not inside the rootfs */
	snprintf(path, sizeof path, "%s/sbin/hostonly", tmproot);
	ck_assert_int_eq(symlink("/etc/passwd", path), 0);
	rootfd = open(tmproot, O_PATH | O_DIRECTORY);
	ck_assert_int_ge(rootfd, 0);
}

static void remove_tree(void)
{
	char cmd[128];
	close(rootfd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmproot);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(lookup_in_rootfs)
{
	make_tree();
	ck_assert_int_eq(find_in_rootfs(rootfd, "/bin/tool"), 0);
	ck_assert_int_eq(find_in_rootfs(rootfd, "tool"), 0);          /* via PATH */
	ck_assert_int_eq(find_in_rootfs(rootfd, "/sbin/sh"), 0);      /* link inside */
	ck_assert_int_eq(find_in_rootfs(rootfd, "sh"), 0);
	ck_assert_int_eq(find_in_rootfs(rootfd, "/bin/missing"), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(find_in_rootfs(rootfd, "missing"), -1);
	ck_assert_int_eq(find_in_rootfs(rootfd, "adir"), -1);         /* a directory */
	ck_assert_int_eq(find_in_rootfs(rootfd, "/sbin/hostonly"), -1); /* host file */
	ck_assert_int_eq(find_in_rootfs(rootfd, "/etc/passwd"), -1);
	ck_assert_int_eq(find_in_rootfs(rootfd, "../../../../etc/passwd"), -1);
	remove_tree();
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("unit");
	TCase *t = tcase_create("options");
	tcase_add_test(t, options_minimal);
	tcase_add_test(t, options_after_c_belong_to_the_command);
	tcase_add_test(t, options_all_flags);
	tcase_add_loop_test(t, options_bad_input, 0, sizeof bad_lines / sizeof *bad_lines);
	tcase_add_test(t, options_help);
	suite_add_tcase(s, t);

	t = tcase_create("numbers");
	tcase_add_test(t, uid_range);
	tcase_add_test(t, sizes);
	tcase_add_test(t, cpus);
	suite_add_tcase(s, t);

	t = tcase_create("names");
	tcase_add_test(t, hostnames);
	tcase_add_test(t, generated_hostnames);
	tcase_add_test(t, cgroup_names);
	suite_add_tcase(s, t);

	t = tcase_create("formats");
	tcase_add_test(t, id_map_line);
	tcase_add_test(t, exit_statuses);
	tcase_add_test(t, oom_counts);
	tcase_add_test(t, sizes_formatted);
	tcase_add_test(t, lookup_in_rootfs);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(unit_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
