/*
 * /proc leaks - files of the host kernel that procfs shows to everyone:
 * kernel memory (/proc/kcore), keys (/proc/keys), timers and scheduler
 * state of every CPU (/proc/timer_list, /proc/sched_debug), kernel symbol
 * addresses (/proc/kallsyms), and the writable kernel knobs
 * (/proc/sysrq-trigger, /proc/sys, /proc/irq, /proc/bus).  The launcher
 * masks the first group (a read there reaches something other than the
 * procfs file, or fails) and makes the second read-only.  Files are only
 * ever opened for writing, never written.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <ftw.h>
#include <sys/vfs.h>

#define PROC_SUPER_MAGIC 0x9fa0

/* Reading a masked file: absent, refused, or not procfs any more. */
static void masked(const char *path)
{
	char what[96];
	snprintf(what, sizeof what, "read %s", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		blocked("%s (%s%s)", what, errname(errno),
			errno == ENOENT ? ": not in this kernel" : "");
		return;
	}
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		probe_fail("fstatfs %s: %s", path, strerror(errno));
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);
	int err = errno;
	close(fd);
	if (sf.f_type != PROC_SUPER_MAGIC)
		blocked("%s (masked: filesystem 0x%lx, read gave %zd bytes)", what,
			(unsigned long)sf.f_type, n);
	else if (n < 0)
		blocked("%s (procfs file, but read fails: %s)", what, errname(err));
	else
		escaped("%s (the real procfs file is readable, %zd bytes)", what, n);
}

/* /proc/kallsyms: the addresses are what matter. */
static void kallsyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	if (!f) {
		blocked("kallsyms addresses (%s)", errname(errno));
		return;
	}
	char line[512];
	unsigned long long addr;
	long lines = 0, nonzero = 0;
	char sample[512] = "";
	while (fgets(line, sizeof line, f)) {
		lines++;
		if (sscanf(line, "%llx", &addr) == 1 && addr != 0) {
			if (!nonzero++)
				snprintf(sample, sizeof sample, "%s", line);
		}
	}
	fclose(f);
	if (nonzero)
		escaped("kallsyms addresses (%ld non-zero addresses, e.g. %.*s)", nonzero,
			(int)strcspn(sample, "\n"), sample);
	else
		blocked("kallsyms addresses (%ld lines, all addresses zero)", lines);
}

/* Opening files for writing under a tree. */
static const char *skip_prefix;
static long walk_files, walk_writable;
static char walk_report[512];

static int try_write(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (skip_prefix && strncmp(path, skip_prefix, strlen(skip_prefix)) == 0)
		return 0;
	walk_files++;
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd >= 0) {
		close(fd);
		if (!walk_writable++ || strlen(walk_report) < 200)
			appendf(walk_report, sizeof walk_report, " ", "%s", path);
	}
	return 0;
}

static void writable_tree(const char *what, const char *root, const char *skip)
{
	walk_files = walk_writable = 0;
	walk_report[0] = '\0';
	skip_prefix = skip;
	struct stat st;
	if (stat(root, &st) < 0) {
		blocked("%s (%s: %s)", what, root, errname(errno));
		return;
	}
	nftw(root, try_write, 32, FTW_PHYS);
	if (walk_writable)
		escaped("%s (%ld of %ld files open for writing: %s)", what, walk_writable,
			walk_files, walk_report);
	else
		blocked("%s (none of %ld files opens for writing)", what, walk_files);
}

int main(void)
{
	probe_init();

	masked("/proc/kcore");
	masked("/proc/keys");
	masked("/proc/timer_list");
	masked("/proc/sched_debug");
	kallsyms();

	int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		escaped("write /proc/sysrq-trigger (opens for writing)");
	} else {
		blocked("write /proc/sysrq-trigger (%s)", errname(errno));
	}

	writable_tree("write /proc/sys/kernel/*", "/proc/sys/kernel", NULL);
	writable_tree("write /proc/sys/* (other than kernel/)", "/proc/sys", "/proc/sys/kernel/");
	writable_tree("write /proc/irq/*", "/proc/irq", NULL);
	writable_tree("write /proc/bus/*", "/proc/bus", NULL);

	return probe_exit();
}
