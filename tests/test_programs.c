/*
 * test_programs.c - programs that should just work, or say why not: ping
 * without CAP_NET_RAW (an ICMP datagram socket, allowed by the container
 * network namespace's ping_group_range), and a command that is there but
 * cannot run: a script whose #! interpreter is missing, one saved with
 * Windows line endings, a dynamically linked program whose ELF interpreter
 * is missing.  Each is launched for real and judged by what the process
 * inside printed, the exit status and the launcher's message.
 *
 * Run as root from the project's top directory: `sudo make check-programs`.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#define TOKEN_PREFIX "prog"
#include "harness.h"

#include <sys/stat.h>

static const unsigned uids[] = { 0, 1000 };

START_TEST(ping_without_net_raw)
{
	struct run r = run_sh("%s -m %s -u %u -c /probes/icmp_dgram", contained_bin(),
			      test_rootfs(), uids[_i]);
	ck_assert_msg(r.status == 0 && strstr(r.out, "OK echo reply from 127.0.0.1"),
		      "-u %u: status %d, stdout:\n%s\nstderr:\n%s", uids[_i], r.status, r.out,
		      tl(r.err));
	run_free(&r);
}
END_TEST

/* Write CONTENT (LEN bytes) as an executable /NAME-<token> in the rootfs,
 * run it, remove it; returns the run. */
static struct run run_file(const char *name, const char *content, size_t len)
{
	char inside[128], host[PATH_MAX];
	FMT(inside, "/%s-%s", name, token());
	FMT(host, "%s%s", test_rootfs(), inside);
	int fd = open(host, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
	struct run r = run_sh("%s -m %s -u 0 -c %s", contained_bin(), test_rootfs(), inside);
	unlink(host);
	return r;
}

static void check_explained(struct run r, const char *what, const char *words)
{
	ck_assert_msg(r.status == 127, "%s: status %d, want 127; stderr:\n%s", what, r.status,
		      tl(r.err));
	ck_assert_msg(strstr(r.err, words), "%s: the launcher does not say \"%s\":\n%s", what,
		      words, tl(r.err));
	ck_assert_msg(!strstr(r.out, "RAN"), "%s: it ran", what);
}

START_TEST(script_interpreter_missing)
{
	static const char script[] = "#!/bin/no-such-shell\necho RAN\n";
	struct run r = run_file("noshell", script, sizeof script - 1);
	check_explained(r, "#!/bin/no-such-shell", "its interpreter /bin/no-such-shell");
	run_free(&r);
}
END_TEST

START_TEST(script_with_windows_line_endings)
{
	static const char script[] = "#!/bin/sh\r\necho RAN\r\n";
	struct run r = run_file("crlf", script, sizeof script - 1);
	check_explained(r, "#!/bin/sh\\r", "Windows line endings");
	run_free(&r);
}
END_TEST

/* The bytes of PATH, in *LEN; NULL if it cannot be read. */
static char *read_binary(const char *path, size_t *len)
{
	char *buf = calloc(1, 1), chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*len = 0;
	if (fd < 0)
	{
		free(buf);
		return NULL;
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		append(&buf, len, chunk, n);
	close(fd);
	return buf;
}

/* A copy of a dynamically linked host program, its PT_INTERP pointed at a
 * loader that exists nowhere (same length, so the ELF stays valid). */
START_TEST(elf_interpreter_missing)
{
	static const char interp[] = "/lib64/ld-linux-x86-64.so.2";
	static const char bogus[] = "/nonexist/ld-linux-x86.so.2";
	_Static_assert(sizeof interp == sizeof bogus, "same length");
	size_t len;
	char *elf = read_binary("/usr/bin/true", &len);
	char *hit = elf ? memmem(elf, len > 4096 ? 4096 : len, interp, sizeof interp) : NULL;
	ck_assert_msg(hit, "no dynamically linked /usr/bin/true with %s to copy", interp);
	memcpy(hit, bogus, sizeof bogus);
	struct run r = run_file("noloader", elf, len);
	free(elf);
	check_explained(r, "a program linked against /nonexist/ld-linux-x86.so.2",
			"linked against /nonexist/ld-linux-x86.so.2");
	run_free(&r);
}
END_TEST

/* Runtimes that size themselves from cgroup files (the JVM) read the limit
 * only when they find the memory, cpu, cpuacct and cpuset hierarchies on
 * cgroup v1; the probe reads them the way they do. */
START_TEST(limits_read_as_a_jvm_does)
{
	struct run r = run_sh("%s -m %s -u 1000 -M 256M -c /probes/cglimits", contained_bin(),
			      test_rootfs());
	ck_assert_msg(r.status == 0 && strstr(r.out, "memory limit: 268435456"),
		      "status %d, stdout:\n%s\nstderr:\n%s", r.status, r.out, tl(r.err));
	ck_assert_msg(strstr(r.out, "v2\n") || strstr(r.out, "controllers: cpu cpuacct cpuset memory"),
		      "not every hierarchy a runtime looks for is there:\n%s", r.out);
	run_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("programs");
	TCase *tc = tcase_create("programs");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, ping_without_net_raw, 0, 2);
	tcase_add_test(tc, script_interpreter_missing);
	tcase_add_test(tc, script_with_windows_line_endings);
	tcase_add_test(tc, elf_interpreter_missing);
	tcase_add_test(tc, limits_read_as_a_jvm_does);
	suite_add_tcase(s, tc);
	return run_container_suite("test_programs", s);
}
