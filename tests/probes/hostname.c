/*
 * The host's name - sethostname in the host's UTS namespace renames the
 * machine.  The container must have a UTS namespace of its own (its name
 * differs from the host's, which the test passes), and sethostname must
 * either be refused or stay inside it; the test checks the host's name
 * afterwards.  Without a namespace of its own the probe does not try to
 * rename anything.
 *
 * Usage: hostname HOST-HOSTNAME
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/utsname.h>

int main(int argc, char **argv)
{
	probe_init();
	if (argc != 2)
		probe_fail("usage: hostname HOST-HOSTNAME");
	struct utsname u;
	if (uname(&u) < 0)
		probe_fail("uname: %s", strerror(errno));

	if (strcmp(u.nodename, argv[1]) == 0) {
		escaped("own UTS namespace (the name is the host's: %s)", u.nodename);
		escaped("sethostname (not attempted: it would rename the host)");
		return probe_exit();
	}
	blocked("own UTS namespace (%s, host is %s)", u.nodename, argv[1]);

	const char *evil = "contained-probe-renamed";
	if (sethostname(evil, strlen(evil)) < 0) {
		blocked("sethostname (%s)", errname(errno));
	} else {
		blocked("sethostname (allowed, in the container's own UTS namespace; the test checks the host)");
		sethostname(u.nodename, strlen(u.nodename));
	}
	return probe_exit();
}
