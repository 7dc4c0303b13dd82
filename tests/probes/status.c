/*
 * Privilege state from /proc/self/status - what the command actually runs
 * with.  As container root: no dangerous capability in the effective,
 * permitted or bounding set (the bounding set decides what any later exec,
 * setuid binaries included, can ever get back); as any other user: no
 * effective or permitted capability at all.  Inheritable and ambient are
 * empty for everyone, NoNewPrivs is 1 and Seccomp is 2 (filter mode).
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/capability.h>

static const struct {
	int bit;
	const char *name;
} dangerous[] = {
	{ CAP_DAC_READ_SEARCH, "DAC_READ_SEARCH" },
	{ CAP_LINUX_IMMUTABLE, "LINUX_IMMUTABLE" },
	{ CAP_NET_BROADCAST, "NET_BROADCAST" },
	{ CAP_NET_ADMIN, "NET_ADMIN" },
	{ CAP_IPC_LOCK, "IPC_LOCK" },
	{ CAP_IPC_OWNER, "IPC_OWNER" },
	{ CAP_SYS_MODULE, "SYS_MODULE" },
	{ CAP_SYS_RAWIO, "SYS_RAWIO" },
	{ CAP_SYS_PTRACE, "SYS_PTRACE" },
	{ CAP_SYS_PACCT, "SYS_PACCT" },
	{ CAP_SYS_ADMIN, "SYS_ADMIN" },
	{ CAP_SYS_BOOT, "SYS_BOOT" },
	{ CAP_SYS_NICE, "SYS_NICE" },
	{ CAP_SYS_RESOURCE, "SYS_RESOURCE" },
	{ CAP_SYS_TIME, "SYS_TIME" },
	{ CAP_SYS_TTY_CONFIG, "SYS_TTY_CONFIG" },
	{ CAP_LEASE, "LEASE" },
	{ CAP_AUDIT_CONTROL, "AUDIT_CONTROL" },
	{ CAP_MAC_OVERRIDE, "MAC_OVERRIDE" },
	{ CAP_MAC_ADMIN, "MAC_ADMIN" },
	{ CAP_SYSLOG, "SYSLOG" },
	{ CAP_WAKE_ALARM, "WAKE_ALARM" },
	{ CAP_BLOCK_SUSPEND, "BLOCK_SUSPEND" },
	{ CAP_AUDIT_READ, "AUDIT_READ" },
	{ 38, "PERFMON" },
	{ 39, "BPF" },
	{ 40, "CHECKPOINT_RESTORE" },
};

static char status[8192];

static const char *field(const char *name)
{
	size_t n = strlen(name);
	for (const char *p = status; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return p + n + 1;
	probe_fail("no %s: line in /proc/self/status", name);
}

static unsigned long long capset_of(const char *name)
{
	return strtoull(field(name), NULL, 16);
}

/* Names of the dangerous bits in SET (and any bit above 40). */
static const char *bad_bits(unsigned long long set)
{
	static char out[512];
	out[0] = '\0';
	for (size_t i = 0; i < sizeof dangerous / sizeof dangerous[0]; i++)
		if (set & (1ULL << dangerous[i].bit))
			appendf(out, sizeof out, " ", "CAP_%s", dangerous[i].name);
	for (int bit = 41; bit < 64; bit++)
		if (set & (1ULL << bit))
			appendf(out, sizeof out, " ", "bit%d", bit);
	return out;
}

static void check_set(const char *name, int must_be_empty)
{
	unsigned long long set = capset_of(name);
	const char *bad = must_be_empty ? (set ? "not empty" : "") : bad_bits(set);
	if (*bad)
		escaped("%s %s (%016llx: %s)", name,
			must_be_empty ? "empty" : "without dangerous capabilities", set, bad);
	else
		blocked("%s %s (%016llx)", name,
			must_be_empty ? "empty" : "without dangerous capabilities", set);
}

int main(void)
{
	probe_init();
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		probe_fail("open /proc/self/status: %s", strerror(errno));
	ssize_t n = read(fd, status, sizeof status - 1);
	if (n <= 0)
		probe_fail("read /proc/self/status: %s", strerror(errno));
	status[n] = '\0';
	close(fd);

	int root = getuid() == 0 || geteuid() == 0;
	check_set("CapEff", !root);
	check_set("CapPrm", !root);
	check_set("CapBnd", 0);
	check_set("CapInh", 1);
	check_set("CapAmb", 1);

	int nnp = atoi(field("NoNewPrivs"));
	if (nnp == 1)
		blocked("NoNewPrivs is 1");
	else
		escaped("NoNewPrivs is 1 (it is %d)", nnp);
	int sec = atoi(field("Seccomp"));
	if (sec == 2)
		blocked("Seccomp is 2 (filter mode)");
	else
		escaped("Seccomp is 2 (filter mode) (it is %d)", sec);

	return probe_exit();
}
