#!/bin/sh
# contained-check-boot - started by contained-check.service when the guest of
# the systemd VM test boots (see tests/systemd-vm/run.sh).  Waits for the
# boot to complete, copies the run's files from the second disk (/dev/vdb)
# and unmounts it, runs checks.sh from them as root, then prints the end
# marker with the checks' exit status and powers off.  Everything goes to the
# second serial port, which run.sh reads; the kernel and systemd keep ttyS0.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# The last line run.sh looks for; without it the run counts as a crash.
MARK=contained-systemd-exit
RUN=/run/contained-check

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
{
	state=$(systemctl is-system-running --wait)
	echo "# guest: boot finished: $state, up $(cut -d' ' -f1 /proc/uptime)s, kernel $(uname -r)"
	status=2
	mkdir -p "$RUN/disk"
	if mount -o ro /dev/vdb "$RUN/disk"; then
		cp -a "$RUN/disk/." "$RUN/"
		umount "$RUN/disk"
		rmdir "$RUN/disk"
		sh "$RUN/checks.sh"
		status=$?
	else
		echo "# guest: cannot mount the run's disk /dev/vdb"
	fi
	echo "# guest: done at $(cut -d' ' -f1 /proc/uptime)s"
	echo "$MARK $status"
} >&3 2>&1
# Closing the last descriptor of the tty waits until its output is sent.
exec 3>&-
sync
systemctl poweroff --no-block
