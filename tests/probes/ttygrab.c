/*
 * ttygrab - what a container process can do to the caller's terminal when
 * it has none of its own: open /dev/tty (its controlling terminal, if it
 * still has one) and make itself the terminal's foreground process group,
 * from where it could read what the user types.  For test_hostile.
 *
 * Prints "BLOCKED open /dev/tty (ENXIO)" and exits 0 when the container
 * has no controlling terminal; "ESCAPED ..." and exits 1 otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <termios.h>

int main(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd < 0) {
		printf("BLOCKED open /dev/tty (%s)\n", errname(errno));
		return errno == ENXIO ? 0 : 2;
	}
	signal(SIGTTOU, SIG_IGN);
	setpgid(0, 0);
	if (tcsetpgrp(fd, getpgrp()) == 0)
		printf("ESCAPED /dev/tty opened, and this process is its foreground group\n");
	else
		printf("ESCAPED /dev/tty opened (tcsetpgrp: %s)\n", errname(errno));
	return 1;
}
