/*
 * A setuid-root binary - with no_new_privs set, exec of a setuid file
 * grants nothing.  The test installs a copy of this probe owned by
 * container root with mode 4755 and runs it as an ordinary user: the
 * effective uid must stay ours, setuid(0) must fail and no capability may
 * appear.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"

int main(void)
{
	probe_init();
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) < 0)
		probe_fail("getresuid: %s", strerror(errno));
	if (r == 0)
		probe_fail("must be run as a non-root user (real uid is 0)");
	struct stat st;
	if (stat("/proc/self/exe", &st) < 0)
		probe_fail("stat /proc/self/exe: %s", strerror(errno));
	if (!(st.st_mode & S_ISUID) || st.st_uid != 0)
		probe_fail("this copy is not setuid-root (owner %u, mode %04o)", st.st_uid,
			   st.st_mode & 07777);

	if (e == 0 || s == 0)
		escaped("setuid-root exec keeps our uid (ruid %u euid %u suid %u)", r, e, s);
	else
		blocked("setuid-root exec keeps our uid (ruid %u euid %u suid %u)", r, e, s);

	if (setuid(0) == 0)
		escaped("setuid(0) (succeeded)");
	else
		blocked("setuid(0) (%s)", errname(errno));

	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		probe_fail("read /proc/self/status: %s", strerror(errno));
	close(fd);
	buf[n] = '\0';
	char *p = strstr(buf, "CapEff:");
	char *q = strstr(buf, "CapPrm:");
	if (!p || !q)
		probe_fail("no CapEff/CapPrm in /proc/self/status");
	unsigned long long eff = strtoull(p + 7, NULL, 16), prm = strtoull(q + 7, NULL, 16);
	if (eff || prm)
		escaped("no capabilities after setuid-root exec (CapEff %llx CapPrm %llx)", eff, prm);
	else
		blocked("no capabilities after setuid-root exec");
	return probe_exit();
}
