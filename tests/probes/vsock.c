/*
 * vsock - AF_VSOCK sockets talk to the hypervisor and to virtual machines,
 * and they belong to no network namespace: a container on a VM guest would
 * reach the host's services, one on a VM host its guests.  Making a socket
 * needs no privilege (a kernel without vsock answers EAFNOSUPPORT, after
 * trying to load the module), so EPERM can only come from the filter.
 * Ordinary sockets keep working.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <sys/socket.h>

int main(void)
{
	probe_init();
	errno = 0;
	long rc = syscall(SYS_socket, AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = errno;
	if (rc >= 0)
		close(rc);
	expect_eperm("socket(AF_VSOCK)", rc, err);

	static const struct { const char *name; int family, type; } ordinary[] = {
		{ "AF_UNIX", AF_UNIX, SOCK_STREAM },
		{ "AF_INET", AF_INET, SOCK_DGRAM },
		{ "AF_INET6", AF_INET6, SOCK_STREAM },
	};
	for (size_t i = 0; i < sizeof ordinary / sizeof ordinary[0]; i++) {
		int s = socket(ordinary[i].family, ordinary[i].type | SOCK_CLOEXEC, 0);
		works(s >= 0 || errno == EAFNOSUPPORT, "socket(%s) (%s)", ordinary[i].name,
		      s >= 0 ? "done" : errname(errno));
		if (s >= 0)
			close(s);
	}
	return probe_exit();
}
