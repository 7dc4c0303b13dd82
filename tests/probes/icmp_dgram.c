/*
 * icmp_dgram - ping 127.0.0.1 the way ping does without CAP_NET_RAW: an
 * ICMP datagram socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), icmp(7)),
 * which the kernel allows to the groups in net.ipv4.ping_group_range.
 * Prints "OK echo reply from 127.0.0.1" and exits 0, or says what failed
 * and exits 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct icmphdr echo = { .type = ICMP_ECHO, .un.echo.sequence = htons(1) };
	char reply[256];
	int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (s < 0) {
		printf("BROKEN socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP): %s\n", strerror(errno));
		return 1;
	}
	if (sendto(s, &echo, sizeof echo, 0, (struct sockaddr *)&to, sizeof to) < 0) {
		printf("BROKEN sendto: %s\n", strerror(errno));
		return 1;
	}
	struct pollfd p = { s, POLLIN, 0 };
	ssize_t n = poll(&p, 1, 2000) == 1 ? recv(s, reply, sizeof reply, 0) : -1;
	if (n < (ssize_t)sizeof echo || ((struct icmphdr *)reply)->type != ICMP_ECHOREPLY) {
		printf("BROKEN no echo reply within 2 s\n");
		return 1;
	}
	printf("OK echo reply from 127.0.0.1\n");
	return 0;
}
