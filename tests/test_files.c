/*
 * test_files.c - environment, identity and files: -e, -w, -u UID:GID and
 * the rootfs's passwd/group, /etc/hosts and /etc/hostname, -b, -r, -o.
 * Each test launches a real container on the test rootfs and checks what
 * the process inside sees (and, for -o, that the rootfs is unchanged).
 *
 * Run as root from the project's top directory: `sudo make check-files`.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "harness.h"

#include <stdbool.h>
#include <sys/stat.h>

/* Every test's scratch directories live in one made before the tests and
 * removed after them, in the parent: a failed test leaves nothing behind. */
static char base[] = "/var/tmp/contained-files.XXXXXX";

static void make_base(void)
{
	if (!mkdtemp(base))
		abort();
}

static void remove_base(void)
{
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	if (system(cmd) != 0)
		fprintf(stderr, "test_files: could not remove %s\n", base);
}

/* A scratch directory on the host (malloc'd), removed by rm_rf() (or with
 * base). */
static char *scratch(void)
{
	char *dir;
	ck_assert_int_ge(asprintf(&dir, "%s/XXXXXX", base), 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

/* The launcher's own lines start with "=>"; the container's output does not. */
static struct run run_args(const char *args, const char *cmd)
{
	return run_sh("%s -m %s %s -c /bin/sh -c '%s' 2>&1 | grep -v '^=>'; exit $(( $? > 1 ))",
		      contained_bin(), test_rootfs(), args, cmd);
}

/* The status of contained itself (not of a pipe). */
static int status_of(const char *args)
{
	struct run r = run_sh("%s -m %s %s -c /bin/true", contained_bin(), test_rootfs(), args);
	int status = r.status;
	run_free(&r);
	return status;
}

START_TEST(env_sets_and_overrides)
{
	struct run r = run_sh("CALLER_VALUE=from-host %s -m %s -u 0 -e A=1 -e B=x=y -e A=2 "
			      "-e CALLER_VALUE -e HOME=/srv -c /bin/sh -c 'echo $A $B $CALLER_VALUE $HOME'",
			      contained_bin(), test_rootfs());
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(chomp(r.out), "2 x=y from-host /srv");
	run_free(&r);
}
END_TEST

START_TEST(env_bad_syntax_is_an_error)
{
	static const char *const bad[] = { "-e =x", "-e 1A=x", "-e A-B=x", "-e ''" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char args[64];
		snprintf(args, sizeof args, "-u 0 %s", bad[i]);
		ck_assert_msg(status_of(args) == 125, "%s was accepted", bad[i]);
	}
	ck_assert_int_eq(status_of("-u 0 -e GOOD_1=x -e _ok"), 0);
}
END_TEST

START_TEST(workdir)
{
	struct run r = run_args("-u 1000 -w /home/user", "pwd");
	ck_assert_str_eq(chomp(r.out), "/home/user");
	run_free(&r);
	ck_assert_int_eq(status_of("-u 0 -w /no/such/dir"), 125);
	ck_assert_int_eq(status_of("-u 0 -w relative"), 125);
}
END_TEST

START_TEST(identity_from_passwd_and_group)
{
	struct run r = run_args("-u 1000", "id; echo $HOME $USER $LOGNAME $SHELL");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "uid=1000(user) gid=1000(user) groups=100(users),1000(user)\n"
			 "/home/user user user /bin/sh\n");
	run_free(&r);
}
END_TEST

START_TEST(identity_uid_gid_and_unknown_uid)
{
	struct run r = run_args("-u 1000:1000", "id -u; id -g; echo $HOME");
	ck_assert_str_eq(r.out, "1000\n1000\n/home/user\n");
	run_free(&r);
	r = run_args("-u 1000:100", "id -g");
	ck_assert_str_eq(r.out, "100\n");
	run_free(&r);
	r = run_args("-u 4242", "id -u; id -g; echo $HOME; echo ${USER-unset}");
	ck_assert_str_eq(r.out, "4242\n4242\n/\nunset\n");
	run_free(&r);
	ck_assert_int_eq(status_of("-u 1000:x"), 125);
	ck_assert_int_eq(status_of("-u 1000:70000"), 125);
}
END_TEST

/* A hostile passwd: malformed lines are skipped, and a symlink (to the
 * host's) is not followed. */
START_TEST(identity_passwd_hostile)
{
	char *dir = scratch();
	struct run r = run_sh("chmod 0700 %1$s && cp -a %2$s %1$s/r && "
			      "printf 'user:x:1000\\nuser:x:1000:1000:x:relative:/bin/sh\\n"
			      "user:x:1000:99999999:x:/nope:/bin/sh\\n"
			      "user:x:1000:1000:x:/home/user:/bin/ash\\n' > %1$s/r/etc/passwd",
			      dir, test_rootfs());
	ck_assert_int_eq(r.status, 0);
	run_free(&r);
	r = run_sh("%s -m %s/r -u 1000 -c /bin/sh -c 'echo $HOME $SHELL' 2>/dev/null",
		   contained_bin(), dir);
	ck_assert_str_eq(chomp(r.out), "/home/user /bin/ash");
	run_free(&r);
	r = run_sh("rm %1$s/r/etc/passwd && ln -s /etc/passwd %1$s/r/etc/passwd", dir);
	run_free(&r);
	r = run_sh("%s -m %s/r -u 0 -c /bin/sh -c 'echo ${USER-none}' 2>/dev/null",
		   contained_bin(), dir);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(chomp(r.out), "none");
	run_free(&r);
	rm_rf(dir);
	free(dir);
}
END_TEST

START_TEST(hosts_and_hostname)
{
	struct run r = run_args("-u 0 -H box.example", "cat /etc/hostname; "
				"grep -c box.example /etc/hosts; hostname -f");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "box.example\n1\nbox.example\n");
	run_free(&r);
	/* the rootfs's own file is untouched */
	r = run_sh("grep -c box.example %s/etc/hosts", test_rootfs());
	ck_assert_str_eq(chomp(r.out), "0");
	run_free(&r);
}
END_TEST

START_TEST(bind_read_write_and_owned_by_the_user)
{
	char *dir = scratch();
	struct run r = run_sh("chown 1000:1000 %s && echo hello > %s/file && chown 1000:1000 %s/file",
			      dir, dir, dir);
	run_free(&r);
	char args[256];
	snprintf(args, sizeof args, "-u 1000 -b %s:/mnt/data/deep", dir);
	r = run_sh("SUDO_UID=1000 SUDO_GID=1000 %s -m %s %s -c /bin/sh -c "
		   "'cat /mnt/data/deep/file; stat -c %%u:%%g /mnt/data/deep; echo new > /mnt/data/deep/made'"
		   " 2>&1 | grep -v \"^=>\"", contained_bin(), test_rootfs(), args);
	ck_assert_str_eq(r.out, "hello\n1000:1000\n");
	run_free(&r);
	struct stat st;
	char made[256];
	snprintf(made, sizeof made, "%s/made", dir);
	ck_assert_int_eq(stat(made, &st), 0);
	ck_assert_uint_eq(st.st_uid, 1000);
	rm_rf(dir);
	free(dir);
}
END_TEST

START_TEST(bind_read_only_is_erofs)
{
	char *dir = scratch();
	char args[256];
	ck_assert_int_eq(chmod(dir, 01777), 0);   /* so only the mount can refuse */
	snprintf(args, sizeof args, "-u 0 -b %s:/mnt:ro", dir);
	struct run r = run_args(args, "touch /mnt/x 2>&1");
	ck_assert_msg(strstr(r.out, "Read-only file system"), "got: %s", r.out);
	run_free(&r);
	rm_rf(dir);
	free(dir);
	ck_assert_int_eq(status_of("-u 0 -b relative:/mnt"), 125);
	ck_assert_int_eq(status_of("-u 0 -b /tmp:/mnt:rw"), 125);
	ck_assert_int_eq(status_of("-u 0 -b /tmp:/../mnt"), 125);
}
END_TEST

START_TEST(read_only_root)
{
	struct run r = run_args("-u 0 -r", "touch /x 2>&1; touch /tmp/a /run/a /dev/shm/a && echo writable");
	ck_assert_msg(strstr(r.out, "Read-only file system"), "got: %s", r.out);
	ck_assert_msg(strstr(r.out, "writable"), "got: %s", r.out);
	run_free(&r);
}
END_TEST

/* A mount inside the rootfs (open_tree copies it along) is read-only under
 * -r too, not only / itself. */
START_TEST(read_only_root_covers_its_submounts)
{
	char *dir = scratch();
	struct run r = run_sh("unshare -m --propagation private sh -c 'mkdir -p %s/sub && "
			      "mount -t tmpfs sub %s/sub && mkdir -p %s/root && "
			      "mount --rbind %s %s/root && mkdir -p %s/root/srv && "
			      "mount -t tmpfs inner %s/root/srv && "
			      "%s -m %s/root -u 0 -r -c /bin/sh -c \"touch /srv/x 2>&1; echo done\"'",
			      dir, dir, dir, test_rootfs(), dir, dir, dir, contained_bin(), dir);
	rm_rf(dir);
	free(dir);
	ck_assert_msg(strstr(r.out, "done") && strstr(r.out, "Read-only file system"),
		      "-r and a mount inside the rootfs: status %d, stdout:\n%s\nstderr:\n%s",
		      r.status, r.out, tl(r.err));
	run_free(&r);
}
END_TEST

START_TEST(overlay_leaves_the_rootfs_alone)
{
	const char *sum = "find %s -path %s/etc/hostname -prune -o -print0 | sort -z | "
			  "xargs -0 stat -c '%%n %%s %%Y %%a' | md5sum";
	struct run before = run_sh(sum, test_rootfs(), test_rootfs());
	struct run r = run_args("-u 0 -o", "rm -rf /usr; ls /usr >/dev/null 2>&1 || echo gone; "
				"echo x > /etc/passwd; echo ok");
	ck_assert_str_eq(r.out, "gone\nok\n");
	run_free(&r);
	struct run after = run_sh(sum, test_rootfs(), test_rootfs());
	ck_assert_str_eq(before.out, after.out);
	run_free(&before);
	run_free(&after);
}
END_TEST

START_TEST(overlay_dir_keeps_changes)
{
	char *dir = scratch();
	char args[256];
	snprintf(args, sizeof args, "-u 0 -o %s", dir);
	struct run r = run_args(args, "echo kept > /root/note");
	run_free(&r);
	r = run_args(args, "cat /root/note");
	ck_assert_str_eq(r.out, "kept\n");
	run_free(&r);
	char path[256];
	snprintf(path, sizeof path, "%s/upper/root/note", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/root/note", test_rootfs());
	ck_assert_int_ne(access(path, F_OK), 0);
	rm_rf(dir);
	free(dir);
}
END_TEST

/* The overlay is built by the launcher as host root, so nothing of the
 * container's user namespace makes it nodev: the mount itself must be.  A
 * device node in the rootfs (an image can carry one) does not open through
 * it, though through the idmapped lower layer container root owns it. */
START_TEST(overlay_device_node_in_rootfs_stays_dead)
{
	char *dir = scratch();
	struct run r = run_sh("tar -C %s --exclude=./probes -cf - . | tar -C %s -xpf - && "
			      "mkdir -p %s/opt && mknod -m 0600 %s/opt/zero c 1 5",
			      test_rootfs(), dir, dir, dir);
	ck_assert_msg(r.status == 0, "copying the rootfs: %s", r.err);
	run_free(&r);
	r = run_sh("%s -m %s -u 0 -o -c /bin/sh -c 'head -c 4 /opt/zero | wc -c'",
		   contained_bin(), dir);
	rm_rf(dir);
	free(dir);
	ck_assert_msg(r.status == 0 && strstr(r.err, "Permission denied") && has_line(r.out, "0"),
		      "a device node in the rootfs opened through the overlay: status %d, "
		      "stdout:\n%s\nstderr:\n%s", r.status, r.out, tl(r.err));
	run_free(&r);
}
END_TEST

/* What the container writes to -o DIR keeps its host ids (container root
 * is 100000, uid 1000 is 101000), and upper/, the merged root, is the
 * container root's: no file the container leaves in DIR is host root's. */
START_TEST(overlay_dir_holds_the_containers_ids)
{
	char *dir = scratch();
	char args[256], path[256];
	struct stat st;
	snprintf(args, sizeof args, "-u 0 -o %s", dir);
	struct run r = run_args(args, "touch /root/mine && mkdir -m 1777 /drop && stat -c %u:%g / && "
				"su -s /bin/sh -c \"touch /drop/theirs\" user; echo done");
	ck_assert_msg(has_line(r.out, "0:0") && has_line(r.out, "done"), "got: %s", r.out);
	run_free(&r);
	const struct { const char *name; uid_t uid; } want[] = {
		{ "upper", 100000 }, { "upper/root/mine", 100000 }, { "upper/drop/theirs", 101000 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, want[i].name);
		ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
		ck_assert_msg(st.st_uid == want[i].uid && st.st_gid == want[i].uid,
			      "%s is owned by %u:%u on the host, not %u", path, (unsigned)st.st_uid,
			      (unsigned)st.st_gid, (unsigned)want[i].uid);
	}
	rm_rf(dir);
	free(dir);
}
END_TEST

/* -b HOST:/ would be covered by the rootfs itself: refused, in any spelling. */
START_TEST(bind_over_root_is_refused)
{
	static const char *const roots[] = { "/", "//", "/.", "/./" };
	for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
		struct run r = run_sh("%s -m %s -u 0 -b /tmp:%s -c /bin/true", contained_bin(),
				      test_rootfs(), roots[i]);
		ck_assert_msg(r.status == 125 && strstr(r.err, "-b '/tmp:") &&
			      strstr(r.err, "is / itself"), "-b /tmp:%s: status %d, stderr:\n%s",
			      roots[i], r.status, tl(r.err));
		run_free(&r);
	}
}
END_TEST

/* The launcher as an absolute path, for tests that cd first. */
static const char *abs_contained(void)
{
	static char path[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(contained_bin(), path));
	return path;
}

/* A rootfs copy at DIR/r (no probes: 2 MB). */
static void copy_rootfs_to(const char *dir)
{
	struct run r = run_sh("mkdir %1$s/r && tar -C %2$s --exclude=./probes -cf - . | "
			      "tar -C %1$s/r -xpf -", dir, test_rootfs());
	ck_assert_msg(r.status == 0, "copying the rootfs: %s", r.err);
	run_free(&r);
}

/* -o DIR must be a directory of its own: not the rootfs or in it (the
 * rootfs must stay unchanged), not above it (overlay empties work/ as host
 * root), empty or holding only upper/ and work/, writable by its owner
 * alone, on a filesystem that can hold an upper layer.  Each is refused
 * before anything is made in DIR, with an error that names -o DIR. */
START_TEST(overlay_dir_must_be_its_own)
{
	char *dir = scratch();
	copy_rootfs_to(dir);
	struct run r = run_sh("cd %1$s && mkdir other holds-file shared group fifo-work ramfs && "
			      "touch holds-file/notes && chmod 0777 shared && chmod 0775 group && "
			      "mkfifo fifo-work/work && mkdir -p above/work && mv r above/work/r && "
			      "mkdir -p r && tar -C above/work/r -cf - . | tar -C r -xpf -", dir);
	ck_assert_msg(r.status == 0, "setting up: %s", r.err);
	run_free(&r);
	const struct { const char *rootfs, *overlay, *says; } cases[] = {
		{ "r", "r", "is, or lies inside, the rootfs" },
		{ "r", "r/srv", "is, or lies inside, the rootfs" },
		{ "above/work/r", "above", "holds the rootfs" },
		{ "r", "holds-file", "holds notes" },
		{ "r", "shared", "mode 0777" },
		{ "r", "group", "mode 0775" },
		{ "r", "fifo-work", "work is not a directory" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		r = run_sh("cd %s && %s -m %s -u 0 -o %s -c /bin/true", dir, abs_contained(),
			   cases[i].rootfs, cases[i].overlay);
		char *err = error_lines(r.err), upper[PATH_MAX];
		char want[64];
		snprintf(want, sizeof want, "-o %s: ", cases[i].overlay);
		ck_assert_msg(r.status == 125 && strstr(err, want) && strstr(err, cases[i].says),
			      "-m %s -o %s: status %d, wanted \"%s\"; stderr:\n%s", cases[i].rootfs,
			      cases[i].overlay, r.status, cases[i].says, tl(r.err));
		snprintf(upper, sizeof upper, "%s/%s/upper", dir, cases[i].overlay);
		ck_assert_msg(access(upper, F_OK) < 0, "-o %s refused, but %s was made",
			      cases[i].overlay, upper);
		free(err);
		run_free(&r);
	}
	/* a filesystem that cannot hold an upper layer (no trusted.* xattrs) */
	r = run_sh("cd %1$s && unshare -m --propagation private sh -c 'mount -t ramfs ramfs ramfs && "
		   "%2$s -m r -u 0 -o ramfs -c /bin/true; echo status $?; ls ramfs'", dir,
		   abs_contained());
	ck_assert_msg(strstr(r.out, "status 125\n") && !strstr(r.out, "upper") &&
		      strstr(r.err, "-o ramfs: on a filesystem of type"),
		      "-o on ramfs: stdout:\n%s\nstderr:\n%s", r.out, tl(r.err));
	run_free(&r);
	/* and a DIR of its own works, also with an earlier run's upper/ and work/ */
	for (int i = 0; i < 2; i++) {
		r = run_sh("cd %s && %s -m r -u 0 -o other -c /bin/true", dir, abs_contained());
		ck_assert_msg(r.status == 0, "-o other: status %d\n%s", r.status, tl(r.err));
		run_free(&r);
	}
	rm_rf(dir);
	free(dir);
}
END_TEST

/* A umask of 002 (Fedora's and Ubuntu's for users) makes a user's -o DIR
 * group-writable; that is accepted when the group is the user's private
 * one: named after the user in /etc/group, without members.  Any such
 * group of the host stands in for it. */
START_TEST(overlay_dir_in_the_users_private_group)
{
	char *dir = scratch(), name[64] = "", args[256];
	unsigned gid = 0;
	struct run r = run_sh("awk -F: '$3 > 0 && $4 == \"\" { print $1, $3; exit }' /etc/group");
	ck_assert_msg(sscanf(r.out, "%63s %u", name, &gid) == 2, "no group without members in "
		      "/etc/group: %s", r.out);
	run_free(&r);
	ck_assert_int_eq(chown(dir, gid, gid), 0);
	ck_assert_int_eq(chmod(dir, 0775), 0);
	snprintf(args, sizeof args, "%s -m %s -u 0 -o %s -c /bin/true", contained_bin(),
		 test_rootfs(), dir);
	r = run_sh("SUDO_UID=%u SUDO_GID=%u SUDO_USER=%s %s", gid, gid, name, args);
	struct run other = run_sh("SUDO_UID=%u SUDO_GID=%u SUDO_USER=%s-not %s", gid, gid, name,
				  args);
	ck_assert_msg(r.status == 0, "-o DIR in %s's own group: status %d\n%s", name, r.status,
		      tl(r.err));
	ck_assert_msg(other.status == 125 && strstr(other.err, "mode 0775"), "-o DIR in "
		      "another user's group: status %d\n%s", other.status, tl(other.err));
	run_free(&r);
	run_free(&other);
	rm_rf(dir);
	free(dir);
}
END_TEST

/* overlay's lower layer is the rootfs's own mount alone: a mount inside the
 * rootfs would vanish under -o and show what it covers, so -o refuses, and
 * names the mount. */
START_TEST(overlay_refuses_a_rootfs_with_mounts_inside)
{
	char *dir = scratch();
	struct run r = run_sh("unshare -m --propagation private sh -c 'mkdir -p %1$s/root && "
			      "mount --rbind %2$s %1$s/root && mkdir -p %1$s/root/srv && "
			      "mount -t tmpfs inner %1$s/root/srv && touch %1$s/root/srv/mounted && "
			      "%3$s -m %1$s/root -u 0 -o -c /bin/ls /srv; echo status $?; "
			      "%3$s -m %1$s/root -u 0 -c /bin/ls /srv'",
			      dir, test_rootfs(), contained_bin());
	rm_rf(dir);
	free(dir);
	ck_assert_msg(strstr(r.out, "status 125\n") && strstr(r.err, "-o: the rootfs has a mount "
		      "on /srv") && strstr(r.err, "leave out -o") && has_line(r.out, "mounted"),
		      "-o and a mount inside the rootfs: status %d, stdout:\n%s\nstderr:\n%s",
		      r.status, r.out, tl(r.err));
	run_free(&r);
}
END_TEST

/* A -o DIR other host users can reach gets a warning that names -o and the
 * device nodes and set-id files a container may leave in upper/. */
START_TEST(overlay_dir_reachable_warns)
{
	char *dir = scratch();
	ck_assert_int_eq(chmod(base, 0755), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	struct run r = run_sh("%s -m %s -u 0 -o %s -c /bin/true", contained_bin(), test_rootfs(),
			      dir);
	ck_assert_int_eq(chmod(base, 0700), 0);
	char want[PATH_MAX];
	snprintf(want, sizeof want, "warning: -o %s can be reached by other host users", dir);
	ck_assert_msg(r.status == 0 && strstr(r.err, want) && strstr(r.err, "device node"),
		      "status %d, stderr:\n%s", r.status, tl(r.err));
	run_free(&r);
	rm_rf(dir);
	free(dir);
}
END_TEST

/* Writes to / under -o land in a tmpfs the launcher mounted, but its pages
 * are charged to the writer: the container's memory cgroup grows by them. */
START_TEST(overlay_writes_count_against_the_memory_limit)
{
	const char *usage = "cat /sys/fs/cgroup/memory.current 2>/dev/null || "
			    "cat /sys/fs/cgroup/memory/memory.usage_in_bytes";
	char cmd[512];
	snprintf(cmd, sizeof cmd, "%s; dd if=/dev/zero of=/big bs=1M count=32 2>/dev/null; %s",
		 usage, usage);
	struct run r = run_args("-u 0 -o -M 256M", cmd);
	unsigned long long before, after;
	ck_assert_msg(sscanf(r.out, "%llu %llu", &before, &after) == 2, "got: %s", r.out);
	ck_assert_msg(after >= before + (24ull << 20), "32 MiB written to / under -o, but the "
		      "container's memory use went from %llu to %llu bytes", before, after);
	run_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, make_base, remove_base);
	tcase_add_test(tc, env_sets_and_overrides);
	tcase_add_test(tc, env_bad_syntax_is_an_error);
	tcase_add_test(tc, workdir);
	tcase_add_test(tc, identity_from_passwd_and_group);
	tcase_add_test(tc, identity_uid_gid_and_unknown_uid);
	tcase_add_test(tc, identity_passwd_hostile);
	tcase_add_test(tc, hosts_and_hostname);
	tcase_add_test(tc, bind_read_write_and_owned_by_the_user);
	tcase_add_test(tc, bind_read_only_is_erofs);
	tcase_add_test(tc, read_only_root);
	tcase_add_test(tc, read_only_root_covers_its_submounts);
	tcase_add_test(tc, overlay_leaves_the_rootfs_alone);
	tcase_add_test(tc, overlay_dir_keeps_changes);
	tcase_add_test(tc, overlay_device_node_in_rootfs_stays_dead);
	tcase_add_test(tc, overlay_dir_holds_the_containers_ids);
	tcase_add_test(tc, overlay_writes_count_against_the_memory_limit);
	tcase_add_test(tc, bind_over_root_is_refused);
	tcase_add_test(tc, overlay_dir_must_be_its_own);
	tcase_add_test(tc, overlay_dir_in_the_users_private_group);
	tcase_add_test(tc, overlay_refuses_a_rootfs_with_mounts_inside);
	tcase_add_test(tc, overlay_dir_reachable_warns);
	suite_add_tcase(s, tc);
	return run_container_suite("test_files", s);
}
