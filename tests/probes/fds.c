/*
 * Leaked descriptors and working directory - a directory fd of the host
 * (or a working directory left outside the new root) is a door: openat(fd,
 * "..") walks up to the host's root whatever the container's root is.
 * The launcher must pass nothing but 0, 1 and 2, and those must not point
 * into the host's filesystem either.  A directory is inside the container
 * when climbing ".." from it reaches our "/" (outside, it reaches some
 * other top); a file is inside when its path, looked up from inside,
 * leads to the same inode.
 *
 * The descriptors of every other process the container can see (the init
 * of -i, say) are checked the same way through /proc/<pid>/fd, as far as
 * the kernel lets us open them: what we can open there we could use.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <dirent.h>

/* 1 if climbing from directory FD reaches our root, 0 if it reaches
 * another top. */
static int dir_inside(int fd)
{
	struct stat root, cur, up;
	if (stat("/", &root) < 0)
		probe_fail("stat /: %s", strerror(errno));
	int at = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (at < 0)
		return -1;
	for (int depth = 0; depth < 4096; depth++) {
		if (fstat(at, &cur) < 0)
			break;
		if (cur.st_dev == root.st_dev && cur.st_ino == root.st_ino) {
			close(at);
			return 1;
		}
		int next = openat(at, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (next < 0 || fstat(next, &up) < 0)
			break;
		close(at);
		at = next;
		if (up.st_dev == cur.st_dev && up.st_ino == cur.st_ino)
			break; /* a top that is not our root */
	}
	close(at);
	return 0;
}

/* Empty string if FD is inside, else why not. */
static const char *outside(int fd, const char *target)
{
	static char why[600];
	struct stat st, named;
	if (fstat(fd, &st) < 0) {
		snprintf(why, sizeof why, "fstat: %s", errname(errno));
		return why;
	}
	if (S_ISDIR(st.st_mode)) {
		if (dir_inside(fd) == 1)
			return "";
		snprintf(why, sizeof why, "directory outside the root: %s", target);
		return why;
	}
	if (target[0] != '/')
		return ""; /* pipe:[..], socket:[..], anon_inode:... - no path */
	if (stat(target, &named) == 0 && named.st_dev == st.st_dev && named.st_ino == st.st_ino)
		return "";
	if (S_ISCHR(st.st_mode) && stat(target, &named) == 0 && S_ISCHR(named.st_mode) &&
	    named.st_rdev == st.st_rdev)
		return ""; /* the same device as the container's own node */
	snprintf(why, sizeof why, "%s is not the file the container sees at that path", target);
	return why;
}

int main(void)
{
	probe_init();

	DIR *d = opendir("/proc/self/fd");
	if (!d)
		probe_fail("opendir /proc/self/fd: %s", strerror(errno));
	int self = dirfd(d);
	char extra[1024] = "", stdio[1024] = "";
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		if (fd == self)
			continue;
		char link[64], target[512];
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof target - 1);
		target[n < 0 ? 0 : n] = '\0';
		const char *why = outside(fd, target);
		if (fd > 2)
			appendf(extra, sizeof extra, "; ", "fd %d -> %s%s%s", fd, target,
				*why ? ", " : "", why);
		else if (*why)
			appendf(stdio, sizeof stdio, "; ", "fd %d: %s", fd, why);
	}
	closedir(d);

	if (extra[0])
		escaped("inherited descriptors beyond 0-2 (%s)", extra);
	else
		blocked("inherited descriptors beyond 0-2 (none)");
	if (stdio[0])
		escaped("stdio descriptors inside the container (%s)", stdio);
	else
		blocked("stdio descriptors inside the container (pipes, sockets or inside paths)");

	/* Other processes: an fd we can reopen through /proc/<pid>/fd is ours
	 * to use; any beyond 0-2 is a leak, any pointing outside an escape. */
	char others[1024] = "";
	int procs = 0, unreadable = 0;
	DIR *pd = opendir("/proc");
	if (!pd)
		probe_fail("opendir /proc: %s", strerror(errno));
	while ((e = readdir(pd))) {
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		procs++;
		char dir[64];
		snprintf(dir, sizeof dir, "/proc/%d/fd", pid);
		DIR *fdd = opendir(dir);
		if (!fdd) {
			unreadable++;
			continue;
		}
		struct dirent *f;
		while ((f = readdir(fdd))) {
			if (f->d_name[0] == '.')
				continue;
			int n = atoi(f->d_name);
			char link[96], target[512];
			snprintf(link, sizeof link, "%s/%d", dir, n);
			ssize_t len = readlink(link, target, sizeof target - 1);
			target[len < 0 ? 0 : len] = '\0';
			int fd = open(link, O_PATH | O_CLOEXEC);
			if (fd < 0)
				continue; /* not ours to reach */
			const char *why = outside(fd, target);
			if (n > 2 || *why)
				appendf(others, sizeof others, "; ", "pid %d fd %d -> %s%s%s", pid, n,
					target, *why ? ", " : "", why);
			close(fd);
		}
		closedir(fdd);
	}
	closedir(pd);
	if (others[0])
		escaped("descriptors of other processes (%s)", others);
	else
		blocked("descriptors of other processes (%d other processes, %d not readable)",
			procs, unreadable);

	char cwd[4096];
	int in = dir_inside(AT_FDCWD);
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, "getcwd: %s", errname(errno));
	if (in == 1 && cwd[0] == '/')
		blocked("working directory inside the container (%s)", cwd);
	else
		escaped("working directory inside the container (%s, climbing .. %s)", cwd,
			in == 1 ? "reaches our root" : "does not reach our root");

	return probe_exit();
}
