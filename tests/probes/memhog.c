/*
 * memhog - allocate N MiB and touch every page of it, for the memory limit
 * tests of contained.
 *
 *     memhog MIB
 *
 * The memory is taken one MiB at a time and each page is written, so it is
 * really charged to the cgroup (untouched malloc memory costs nothing).  A
 * progress line goes to stderr every 8 MiB, so that when the process is
 * killed by the memory limit the output shows how far it got.  On success it
 * prints "touched N MiB" on stdout and exits 0; on a failed malloc it exits 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024L * 1024L)

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: memhog MIB\n");
		return 2;
	}
	char *end;
	long mib = strtol(argv[1], &end, 10);
	if (*end || mib <= 0) {
		fprintf(stderr, "memhog: bad size '%s'\n", argv[1]);
		return 2;
	}

	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		page = 4096;

	for (long i = 1; i <= mib; i++) {
		/* The chunks are never freed: the whole N MiB must be resident
		 * at the end. */
		volatile char *chunk = malloc(MIB);
		if (!chunk) {
			fprintf(stderr, "memhog: malloc failed after %ld MiB\n", i - 1);
			return 1;
		}
		/* One non-zero byte per page forces a private page to be
		 * allocated and charged. */
		for (long off = 0; off < MIB; off += page)
			chunk[off] = 1;
		if (i % 8 == 0)
			fprintf(stderr, "memhog: %ld MiB\n", i);
	}
	printf("touched %ld MiB\n", mib);
	return 0;
}
