/*
 * keyring - the kernel keyring is not namespaced: a container that can use
 * keyctl/add_key/request_key can read or plant keys that other users of
 * the host see.  The filter must answer EPERM.
 *
 * Each call is one the kernel would accept (or answer ENOKEY) without the
 * filter, so EPERM can only come from the filter.
 *
 * Part of contained.  SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "probe.h"
#include <linux/keyctl.h>

int main(void)
{
	probe_init();
	long rc;

	errno = 0;
	rc = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	expect_eperm("keyctl(KEYCTL_GET_KEYRING_ID)", rc, errno);

	errno = 0;
	rc = syscall(SYS_add_key, "user", "contained-probe", "x", (size_t)1,
		     KEY_SPEC_PROCESS_KEYRING);
	expect_eperm("add_key(user key)", rc, errno);

	errno = 0;
	rc = syscall(SYS_request_key, "user", "contained-probe-absent", NULL,
		     KEY_SPEC_PROCESS_KEYRING);
	expect_eperm("request_key(user key)", rc, errno);

	return probe_exit();
}
