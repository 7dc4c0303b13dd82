/*
 * Raw block devices - with a device node for the disk that holds the host's
 * root filesystem, a container reads (or rewrites) every file of the host
 * regardless of its own root.  The probe tries to create that node, and a
 * /dev/mem node, and then to read the disk through any node it can find.
 *
 * Usage: mknod [MAJOR:MINOR]   (the host's root device, passed by the test;
 * without it the device under the container's own "/" is used).
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <dirent.h>
#include <sys/sysmacros.h>

static dev_t target;

/* Look for an existing block node with rdev TARGET under DIR. */
static int find_node(const char *dir, char *out, size_t outlen, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int found = 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISBLK(st.st_mode) && st.st_rdev == target) {
			snprintf(out, outlen, "%s", path);
			found = 1;
		} else if (S_ISDIR(st.st_mode) && depth < 3) {
			found = find_node(path, out, outlen, depth + 1);
		}
	}
	closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	probe_init();
	unsigned maj, min;
	if (argc > 1) {
		if (sscanf(argv[1], "%u:%u", &maj, &min) != 2)
			probe_fail("usage: mknod [MAJOR:MINOR]");
		target = makedev(maj, min);
	} else {
		struct stat root;
		if (stat("/", &root) < 0)
			probe_fail("stat /: %s", strerror(errno));
		target = root.st_dev;
	}
	if (major(target) == 0)
		probe_fail("device %u:%u is not a block device", major(target), minor(target));

	/* Create the node wherever the container may: the scratch directory,
	 * /dev (a tmpfs of the launcher's), and "/". */
	char *dirs[] = { scratch_file("rootdev"), "/dev/.probe-rootdev", "/.probe-rootdev" };
	char made[3][64];
	int nmade = 0, first_err = 0;
	char list[256] = "";
	for (int i = 0; i < 3; i++) {
		if (mknod(dirs[i], S_IFBLK | 0600, target) == 0) {
			snprintf(made[nmade++], sizeof made[0], "%s", dirs[i]);
			appendf(list, sizeof list, " ", "%s", dirs[i]);
		} else if (!first_err) {
			first_err = errno;
		}
	}
	char what[96];
	snprintf(what, sizeof what, "mknod of the host root block device %u:%u",
		 major(target), minor(target));
	if (nmade)
		escaped("%s (created %s)", what, list);
	else
		blocked("%s (%s)", what, errname(first_err));

	char *mem = scratch_file("mem");
	if (mknod(mem, S_IFCHR | 0600, makedev(1, 1)) == 0)
		escaped("mknod of /dev/mem 1:1 (created %s)", mem);
	else
		blocked("mknod of /dev/mem 1:1 (%s)", errname(errno));
	unlink(mem);

	/* Read the disk through the nodes we made or any that already exist. */
	char found[512];
	if (nmade < 3 && find_node("/dev", found, sizeof found, 0))
		snprintf(made[nmade++], sizeof made[0], "%.63s", found);
	snprintf(what, sizeof what, "read of the host root block device %u:%u",
		 major(target), minor(target));
	char why[512] = "";
	int read_ok = 0;
	for (int i = 0; i < nmade && !read_ok; i++) {
		char buf[512];
		int fd = open(made[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			appendf(why, sizeof why, ", ", "open %s: %s", made[i], errname(errno));
			continue;
		}
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0)
			appendf(why, sizeof why, ", ", "read %s: %s", made[i], errname(errno));
		else
			escaped("%s (read %zd bytes from %s)", what, n, made[i]), read_ok = 1;
		close(fd);
	}
	if (!nmade)
		blocked("%s (no node for it exists)", what);
	else if (!read_ok)
		blocked("%s (%s)", what, why);
	for (int i = 0; i < 3; i++)
		unlink(dirs[i]);
	return probe_exit();
}
