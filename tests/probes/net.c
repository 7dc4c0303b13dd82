/*
 * The host's network - services bound to 127.0.0.1 and abstract unix
 * sockets on the host trust local callers; both belong to the network
 * namespace.  The test starts a TCP listener on the host's 127.0.0.1:PORT
 * and an abstract unix socket @NAME; neither may be reachable, and the
 * container sees no interface but lo.
 *
 * Usage: net PORT ABSTRACT-NAME
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <arpa/inet.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	probe_init();
	if (argc != 3)
		probe_fail("usage: net PORT ABSTRACT-NAME");
	int port = atoi(argv[1]);

	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		probe_fail("socket: %s", strerror(errno));
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port) };
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&in, sizeof in) == 0)
		escaped("host TCP listener 127.0.0.1:%d (connected)", port);
	else
		blocked("host TCP listener 127.0.0.1:%d (%s)", port, errname(errno));
	close(s);

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		probe_fail("socket: %s", strerror(errno));
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	size_t len = strlen(argv[2]);
	if (len + 1 > sizeof un.sun_path)
		probe_fail("abstract name too long");
	memcpy(un.sun_path + 1, argv[2], len);
	if (connect(s, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 1 + len) == 0)
		escaped("host abstract unix socket @%s (connected)", argv[2]);
	else
		blocked("host abstract unix socket @%s (%s)", argv[2], errname(errno));
	close(s);

	FILE *f = fopen("/proc/net/dev", "re");
	if (!f)
		probe_fail("open /proc/net/dev: %s", strerror(errno));
	char line[512], others[256] = "";
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		if (++n <= 2)
			continue; /* headers */
		char name[64];
		if (sscanf(line, " %63[^:]:", name) != 1 || strcmp(name, "lo") == 0)
			continue;
		appendf(others, sizeof others, " ", "%s", name);
	}
	fclose(f);
	if (others[0])
		escaped("only lo in the network namespace (also: %s)", others);
	else
		blocked("only lo in the network namespace");
	return probe_exit();
}
