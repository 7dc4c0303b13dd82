/*
 * The chroot escape - chroot() into a subdirectory leaves the working
 * directory outside the new root, from where ".." climbs without limit;
 * chroot(".") at the top gives the real root.  Under pivot_root with the
 * old root unmounted, the top is the container's own root and the host
 * stays out of reach.  The test passes the path of a file that exists
 * only on the host; seeing it means the escape worked.
 *
 * Usage: chroot HOST-MARKER-PATH
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(int argc, char **argv)
{
	probe_init();
	if (argc != 2)
		probe_fail("usage: chroot HOST-MARKER-PATH");
	const char *marker = argv[1];

	if (access(marker, F_OK) == 0)
		escaped("host marker hidden (%s is visible without any trick)", marker);
	else
		blocked("host marker hidden (%s: %s)", marker, errname(errno));

	char *jail = scratch_file("jail");
	if (mkdir(jail, 0700) < 0)
		probe_fail("mkdir %s: %s", jail, strerror(errno));
	if (chroot(jail) < 0) {
		blocked("chroot escape (chroot refused: %s)", errname(errno));
		rmdir(jail);
		return probe_exit();
	}
	/* The working directory is now outside our root: climb. */
	for (int i = 0; i < 256; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0) {
		blocked("chroot escape (second chroot refused: %s)", errname(errno));
		return probe_exit();
	}
	if (access(marker, F_OK) == 0)
		escaped("chroot escape (reached the host: %s is visible)", marker);
	else
		blocked("chroot escape (the top is the container's root: %s)", errname(errno));
	/* The scratch directory cannot be removed from here: it is a sibling of
	 * the new root now; drop it by its container path. */
	rmdir(jail);
	return probe_exit();
}
