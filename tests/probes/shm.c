/*
 * SysV shared memory - segments live in the IPC namespace.  The test
 * creates one on the host with a known key; the container must not see it
 * (shmget) nor list it (/proc/sysvipc/shm).
 *
 * Usage: shm KEY   (decimal)
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/ipc.h>
#include <sys/shm.h>

int main(int argc, char **argv)
{
	probe_init();
	if (argc != 2)
		probe_fail("usage: shm KEY");
	key_t key = (key_t)strtol(argv[1], NULL, 0);

	int id = shmget(key, 0, 0);
	if (id >= 0) {
		char *p = shmat(id, NULL, SHM_RDONLY);
		if (p != (void *)-1) {
			escaped("shmget of the host segment (id %d, reads \"%.32s\")", id, p);
			shmdt(p);
		} else {
			escaped("shmget of the host segment (id %d, attach: %s)", id, errname(errno));
		}
	} else {
		blocked("shmget of the host segment (%s)", errname(errno));
	}

	FILE *f = fopen("/proc/sysvipc/shm", "re");
	if (!f) {
		blocked("host segment in /proc/sysvipc/shm (%s)", errname(errno));
		return probe_exit();
	}
	char line[512];
	int seen = 0, rows = 0;
	long k;
	if (!fgets(line, sizeof line, f))
		line[0] = '\0'; /* header */
	while (fgets(line, sizeof line, f)) {
		rows++;
		if (sscanf(line, "%ld", &k) == 1 && (key_t)k == key)
			seen = 1;
	}
	fclose(f);
	if (seen)
		escaped("host segment in /proc/sysvipc/shm (key 0x%08x listed)", (unsigned)key);
	else
		blocked("host segment in /proc/sysvipc/shm (%d segments listed, not ours)", rows);
	return probe_exit();
}
