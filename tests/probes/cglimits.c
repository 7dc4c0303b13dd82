/*
 * cglimits - read the container's limits the way runtimes such as the JVM
 * do on cgroup v1: find the cgroup mounts in /proc/self/mountinfo (their
 * controllers are in the super options), the process's cgroup of each
 * controller in /proc/self/cgroup, and join the two to a file.  Prints
 *     controllers: cpu cpuacct cpuset memory      (those found both ways)
 *     memory limit: N
 * and exits 0 when all four were found and the limit was read, 1 if not.
 * On cgroup v2 it prints the limit from memory.max.  For test_programs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *wanted[] = { "cpu", "cpuacct", "cpuset", "memory" };

/* Whether the comma-separated LIST holds WORD. */
static int has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0' || p[n] == '\n'))
			return 1;
	return 0;
}

int main(void)
{
	char line[4096], mount_point[4][1024] = { "" }, mount_root[4][1024] = { "" };
	char cgroup_path[4][1024] = { "" }, file[4096];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		char root[1024], point[1024], type[64], source[256], options[1024];
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) != 2 ||
		    sscanf(dash + 3, "%63s %255s %1023s", type, source, options) != 3)
			continue;
		if (!strcmp(type, "cgroup2")) {
			snprintf(file, sizeof file, "%s/memory.max", point);
			FILE *m = fopen(file, "r");
			if (m && fgets(line, sizeof line, m))
				printf("v2\nmemory limit: %s", line);
			return m ? 0 : 1;
		}
		for (int i = 0; i < 4; i++)
			if (!strcmp(type, "cgroup") && has(options, wanted[i])) {
				snprintf(mount_point[i], sizeof mount_point[i], "%s", point);
				snprintf(mount_root[i], sizeof mount_root[i], "%s", root);
			}
	}
	f = fopen("/proc/self/cgroup", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *controllers = strchr(line, ':'), *path = controllers ? strchr(controllers + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		for (int i = 0; i < 4; i++)
			if (has(controllers + 1, wanted[i]))
				snprintf(cgroup_path[i], sizeof cgroup_path[i], "%s", path);
	}
	int found = 0;
	printf("controllers:");
	for (int i = 0; i < 4; i++)
		if (mount_point[i][0] && cgroup_path[i][0]) {
			printf(" %s", wanted[i]);
			found++;
		}
	printf("\n");
	/* the file: the mount point, plus the cgroup's path below the mount's root */
	const char *below = cgroup_path[3];
	if (!strncmp(below, mount_root[3], strlen(mount_root[3])))
		below += strlen(mount_root[3]);
	snprintf(file, sizeof file, "%s%s/memory.limit_in_bytes", mount_point[3], below);
	FILE *m = fopen(file, "r");
	if (!m || !fgets(line, sizeof line, m)) {
		printf("no %s\n", file);
		return 1;
	}
	printf("memory limit: %s", line);
	return found == 4 ? 0 : 1;
}
