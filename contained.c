/*
 * contained.c - a minimal Linux container launcher, written to be read.
 *
 *     sudo ./contained -m ROOTFS -u 0 -c /bin/sh
 *
 * A container is not a thing the kernel knows about.  It is an ordinary
 * process that the launcher has wrapped in a handful of independent kernel
 * features: namespaces (what it can see), cgroups (how much it can use),
 * capabilities and seccomp (what it may ask the kernel to do).  This file
 * applies them one at a time, in the order the program runs, and each
 * section opens with why the step exists.
 *
 * Contents, in the order of the file; each function named under a number
 * is a call in main():
 *
 *   1. Options              parse_options()           who, where, what to run
 *   2. Host probe           probe_host(), check_standard_fds(), open_rootfs()
 *   2b. Identity            look_up_identity()  (the rootfs's passwd, group)
 *   3. Cgroups + rlimits    create_cgroup() (it starts the watchdog),
 *                           limit_open_files()
 *   4. Clone + namespaces   block_forwarded_signals(), clone_container()
 *   5. User map sync        write_id_maps(), clone_rootfs_mount(), send_go_ahead()
 *                           (parent); wait_for_go_ahead(), become_root_in_userns()
 *                           (child)
 *   6. Mounts + pivot_root  put_rootfs_in_place(), mount_pseudo_filesystems(),
 *                           pivot_into_rootfs(), set_hostname_and_loopback(),
 *                           mask_host_proc_files()
 *   6b. Files               prepare_binds(), prepare_overlay_dir(), build_overlay()
 *                           (parent); make_rootfs_submounts_readonly(),
 *                           bind_own_etc_hosts(), mount_binds_and_readonly_root(),
 *                           enter_workdir() (child)
 *   7. Capabilities         drop_capabilities()
 *   8. Seccomp              install_syscall_filter()
 *   9. Exec / PID 1         leave_callers_session(), exec_command(), run_init()
 *  10. Cleanup              wait_for_container(), cleanup_and_exit()
 *      main()               the stages strung together, in the order they run:
 *                           the parent runs 1-5 and 10, and the parts of 6b
 *                           that need host root (the -b and -o DIR paths
 *                           opened before 3, the -o overlay built in 5); the
 *                           child, the future container, runs 5-9, and
 *                           leaves the caller's session (9) first of all
 *                           unless it gets a terminal of its own
 *
 * Appendices, out of the lesson's way: the features a container is lived
 * in with, each hooked into the stages above at one or two points, the
 * launcher's own voice, and a speed trick.
 *
 *   A. -S: shared namespaces  warn_shared_namespaces(), bind_host_mount_instead()
 *   B. -n: network            prepare_network(), connect_network() (parent),
 *                             bind_resolv_conf(), configure_eth0() (child);
 *                             the netlink messages, built by hand
 *   C. A terminal of its own  open_terminal(), hand_over_terminal() (child),
 *                             relay_terminal() (parent)
 *   D. -l and -x              write_record(); list_containers(), enter_container()
 *   E. Narration              stage(), trace(), die() ... how the launcher talks
 *   F. Speed                  open_join_fds() (parent, in 3), join_cgroup()
 *                             (child, in 5): on cgroup v1, the child moves
 *                             itself into its cgroup
 *
 * Build: make.  Man pages worth having open: namespaces(7), user_namespaces(7),
 * pid_namespaces(7), cgroups(7), mount_namespaces(7), pivot_root(2),
 * capabilities(7), seccomp(2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/veth.h>
#include <seccomp.h>
#include <sys/capability.h>

/* Kernel constants older C libraries lack, down to struct mount_attr_arg:
 * skip them on a first reading. */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef PIDFS_MAGIC
#define PIDFS_MAGIC 0x50494446
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef FSCONFIG_SET_STRING
#define FSCONFIG_SET_STRING 1
#endif
#ifndef FSCONFIG_SET_FLAG
#define FSCONFIG_SET_FLAG 0
#endif
#ifndef FSCONFIG_CMD_CREATE
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x00000001
#endif
#define FSOPEN_CLOEXEC_VALUE 0x00000001     /* FSOPEN_CLOEXEC */
#define MOUNT_ATTR_NOSUID_VALUE 0x00000002  /* MOUNT_ATTR_NOSUID */
#define MOUNT_ATTR_NODEV_VALUE 0x00000004   /* MOUNT_ATTR_NODEV */

struct mount_attr_arg {        /* struct mount_attr from <linux/mount.h> */
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/* Container ids 0..65535 become host ids 100000..165535 (see section 5). */
#define HOST_ID_BASE     100000u
#define CONTAINER_IDS    65536u

#define EXIT_LAUNCHER    125   /* the launcher itself failed */
#define EXIT_CANNOT_EXEC 126   /* the command exists but cannot run */
#define EXIT_NOT_FOUND   127   /* no such command */

/* ------------------------------------------------------------------------ *
 * How the launcher talks
 *
 * Every stage prints one line, "=> doing something...done.", so a learner
 * can follow the run and see where it stopped.  die() reports a failure,
 * undoes whatever the parent built (cleanup_and_exit, section 10) and exits
 * 125, the conventional "the launcher failed" status, so that a script can
 * tell it apart from the command's own failures.  Three modes hang off the
 * same calls: -v shows the system calls each stage makes, -s pauses before
 * and after each stage, -q says nothing but errors.  Their machinery is in
 * Appendix E, out of the lesson's way, with what -s and -v show of the
 * tables, the errors that explain themselves at length and the generated
 * hostnames; these are its entry points.
 * ------------------------------------------------------------------------ */

#define LEN(a) (sizeof (a) / sizeof *(a))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))

static void stage(const char *watch, const char *fmt, ...) PRINTF(2, 3); /* "=> what..." */
static void done(void);                                   /* "...done." */
static void skipped(const char *fmt, ...) PRINTF(1, 2);   /* "...skipped." and why */
static void trace(const char *fmt, ...) PRINTF(1, 2);     /* -v: one system call */
static void pause_before(const char *watch, const char *what); /* -s: "next: ...", Enter */
static void pause_after(const char *watch);              /* -s: "see it: ...", Enter */
static void warn(const char *fmt, ...) PRINTF(1, 2);      /* "=> warning: ..." */
static void die(const char *fmt, ...) PRINTF(1, 2) __attribute__((noreturn));
static void die_errno(const char *fmt, ...) PRINTF(1, 2) __attribute__((noreturn));
static void give_up_quietly(void) __attribute__((noreturn));  /* the child, silently */
static void cleanup_and_exit(int status) __attribute__((noreturn));   /* section 10 */
static int write_file(const char *path, const char *fmt, ...) PRINTF(2, 3);
static int read_file(const char *path, char *buf, size_t size);
static const char *mount_flag_names(unsigned long flags, char *buf, size_t size);
static const char *clone_flag_names(unsigned long flags, char *buf, size_t size);
struct options;
static void limit_files_hint(char *buf, size_t size);                 /* -s, section 3 */
static void capabilities_hint(unsigned uid, char *buf, size_t size);  /* -s, section 7 */
static void syscall_filter_hint(char *buf, size_t size);              /* -s, section 8 */
static void trace_syscall_rules(void);                                /* -v, section 8 */
static void die_command_not_found(int rootfs, const struct options *o);  /* section 2 */
static void explain_missing_interpreter(const char *command);         /* section 9 */
static void generate_hostname(unsigned long stamp, unsigned card, char *buf, size_t size);

/* ------------------------------------------------------------------------ *
 * What the stages share
 *
 * Everything else is passed as arguments.  These are global because die()
 * may be called from anywhere and must still find what to undo (the
 * cgroup, the network, the child), and because a signal handler must know
 * where to forward to.  The number says which section sets each one.  (Two
 * appendices keep a little state of their own: C the caller's terminal
 * settings, E the "=>" line being printed.)
 * ------------------------------------------------------------------------ */

#define MAX_CGROUP_DIRS 4
struct cgroup {                        /* section 3 */
	int version;                   /* 1 (v1 or hybrid) or 2 (unified) */
	int ndirs;
	char dir[MAX_CGROUP_DIRS][PATH_MAX];  /* the container's directories */
	char controller[MAX_CGROUP_DIRS][16];  /* v1: the hierarchy of each */
	char name[128];                /* <hostname>.<48 random bits> */
	int lock_fd;                   /* /run/contained/<name>.lock, locked: "its launcher lives" */
	int dir_fd;                    /* v2: the directory, for clone3 */
	int join_fd[MAX_CGROUP_DIRS];  /* for the child to move itself in (Appendix F) */
	bool born_inside;              /* clone3 started the child in it */
	int nviews;                    /* v1: hierarchies shown as they are (mount_cgroup) */
	char view[2][PATH_MAX], view_name[2][64];
};
static struct cgroup cgroup;           /* built in 3, removed in 10 */
struct network {                       /* -n: Appendix B */
	bool on;
	uint32_t subnet;               /* the container's /24, network order: 10.200.5.0 */
	int lock_fd;                   /* /run/contained/net-<subnet>.lock, locked: "taken" */
	char resolv[4096];             /* the host's DNS configuration */
};
static struct network network = { .lock_fd = -1 };  /* claimed before 3, removed in 10 */
static int watchdog_fd = -1;           /* 3: the launcher's end of the watchdog's pipe */
static pid_t watchdog_pid;             /* 3 */
static pid_t container_pid;            /* 4: the child, as the host numbers it; 0 once reaped */
static bool in_container;              /* 4: set in the child, which must not clean up */
static volatile pid_t forward_to;      /* 4, 9: where forwarded signals go */
static bool forward_to_init;           /* 4: -i, -x: to that process alone */
static volatile sig_atomic_t stop_signals, last_stop_signal;  /* 4, 10: SIGINT/SIGTERM seen */
static char *args_begin, *args_end;    /* 9: main's argv strings, for -i's init to hide */
static bool own_terminal;              /* main: the container runs on a pty of its own (C) */
static bool verbose;                   /* 1, -v: the system calls too (E) */
static bool quiet;                     /* 1, -q: no "=>" lines (E) */
static int step_tty = -1;              /* 1, -s: the terminal to wait on (E) */

/* ------------------------------------------------------------------------ *
 * 1. Options
 *
 * Everything after -c belongs to the command, options included, so
 * `-c /bin/sh -c 'echo hi'` works: getopt is told to stop there ("+").
 * Numbers are checked whole: strtoul() alone would turn "-1" into a huge
 * value and "abc" into 0, and a launcher that silently runs as uid 0 when
 * the user typed a typo is a security bug, not a convenience.
 * ------------------------------------------------------------------------ */

#define MAX_ENV 64
#define MAX_BINDS 32
struct bind {
	char *host, *target;           /* the two halves of -b, split */
	bool readonly;                 /* :ro */
	int tree;                      /* the detached copy of host (section 6b) */
};

enum terminal_mode {
	TERMINAL_AUTO,                 /* a pty when stdin and stdout are terminals */
	TERMINAL_ALWAYS,               /* -t */
	TERMINAL_NEVER,                /* -T */
};

struct options {
	char rootfs[PATH_MAX];         /* -m, as given; opened once by open_rootfs() */
	unsigned uid;                  /* -u, inside the container */
	char hostname[65];             /* -H, or generated */
	unsigned long long memory;     /* -M, bytes */
	long cpu_quota_us;             /* -C, microseconds per 100 ms; 0 = none */
	long max_pids;                 /* -P */
	bool init;                     /* -i: run a tiny init as PID 1 */
	bool network;                  /* -n: a veth pair and a way out (Appendix B) */
	enum terminal_mode terminal;   /* -t, -T: a pty of its own (Appendix C) */
	bool step, verbose;            /* -s, -v: classroom modes (Appendix E) */
	bool quiet;                    /* -q: no "=>" lines */
	bool help;                     /* -h, --help */
	char **argv;                   /* -c COMMAND ARG... */
	unsigned gid;                  /* -u UID:GID; else from the rootfs's passwd */
	bool have_gid;
	const char *env[MAX_ENV];      /* -e NAME=VALUE or NAME, in order */
	int nenv;
	const char *workdir;           /* -w DIR, inside the container */
	struct bind binds[MAX_BINDS];  /* -b HOST:CONTAINER[:ro] */
	int nbinds;
	bool readonly_root;            /* -r */
	bool overlay;                  /* -o: a copy-on-write root ... */
	const char *overlay_dir;       /* ... whose upper layer is kept here (-o DIR) */
	unsigned long shared;          /* -S: CLONE_NEW* flags of namespaces left the host's */
	const char *enter;             /* -x NAME_OR_PID: a process into a running one (Appendix D) */
	bool list;                     /* -l: list the running containers (Appendix D) */
	bool have_uid;                 /* -u given (-x: else the container's own user) */
};

#define CPU_PERIOD_US 100000L      /* cgroups' default period, 100 ms */
#define MAX_CPUS 1024              /* -C: more than any machine here has */
#define DEFAULT_MEMORY (1ULL << 30) /* 1G: room for a shell and apt-get */
#define DEFAULT_PIDS 64L           /* a busy shell session, not a fork bomb */
#define PID_MAX_LIMIT 4194304      /* the kernel's ceiling for pid_max (proc(5)) */

static const char usage_text[] =
	"usage: contained -m ROOTFS -u UID[:GID] [options] -c COMMAND [ARG...]\n"
	"  -m ROOTFS   directory to use as the container's /\n"
	"  -u UID[:GID] user to run as inside (0..65535; 0 is the container's root);\n"
	"              group, HOME, USER and groups from the rootfs's /etc/passwd and group\n"
	"  -e NAME=VALUE  set a variable in the command's environment (repeatable);\n"
	"              -e NAME passes the caller's value of NAME\n"
	"  -w DIR      start the command in DIR (a directory inside the container)\n"
	"  -b HOST:CONTAINER[:ro]  bind-mount a host file or directory into the\n"
	"              container (repeatable; both paths absolute); :ro makes it read-only\n"
	"  -r          read-only /; /tmp, /run and /dev/shm are small writable tmpfs\n"
	"  -o [DIR]    copy-on-write / (overlayfs): the rootfs is never changed; writes\n"
	"              go to memory, or to DIR/upper to keep them (DIR must exist)\n"
	"  -H NAME     hostname (default: generated, like 6740a1-three-of-cups)\n"
	"  -M SIZE     memory limit, e.g. 256M or 1G (default 1G)\n"
	"  -C CPUS     CPU time as a fraction of one CPU, e.g. 0.5 (default: no cap)\n"
	"  -P N        maximum number of processes (default 64)\n"
	"  -i          run a small init as PID 1 that reaps zombies and forwards signals\n"
	"  -n          network: an eth0 with its own address, a default route and\n"
	"              masquerading out through the host (a /24 from CONTAINED_NET,\n"
	"              default 10.200.0.0/16), and the host's /etc/resolv.conf\n"
	"  -t          give the container a terminal of its own even when stdin is not one\n"
	"  -T          no terminal of its own: the command gets the caller's stdin and stdout\n"
	"              (default: a terminal of its own when stdin and stdout are terminals)\n"
	"  -s          step: pause before each stage, and after it with a command that\n"
	"              shows what it changed; Ctrl-C at a pause stops the launch\n"
	"  -v          verbose: show the system calls each stage makes, the rlimits,\n"
	"              each seccomp rule and the cleanup\n"
	"  -q          quiet: no \"=>\" lines (errors still print)\n"
	"  -S NS,...   share these namespaces with the host instead of new ones: any of\n"
	"              pid, net, uts, ipc (as docker's --pid=host, --network=host)\n"
	"  -h, --help  print this help\n"
	"  -c COMMAND  the command and its arguments; must come last\n"
	"\n"
	"usage: contained -x NAME_OR_PID [-u UID[:GID]] [-e ...] [-w DIR] [-t|-T] [-v] [-q] -c COMMAND...\n"
	"  -x NAME_OR_PID  run COMMAND inside a running container (its hostname, cgroup\n"
	"              name or host pid), with the same limits: as docker exec\n"
	"usage: contained -l\n"
	"  -l          list the running containers\n"
	"The last lines say how the container ended (status, signal, out of memory,\n"
	"process limit) and that its cgroup is gone.  Ctrl-C that a command running\n"
	"as PID 1 ignores: press it again within 5 s to kill the container, or use -i.\n"
	"Exit status: the command's own; 128+N if a signal N killed it; 125 if the\n"
	"launcher failed; 126 if the command cannot run, 127 if it is not found.\n";

static void print_usage(FILE *to)
{
	fputs(usage_text, to);
}

/* Decimal digits only, no sign, no spaces, no overflow. */
static int parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_uid(const char *s, unsigned *uid)
{
	unsigned long long v;
	if (parse_number(s, CONTAINER_IDS - 1, &v) < 0)
		return -1;
	*uid = v;
	return 0;
}

/* "256M" -> 268435456.  Suffixes K, M, G, T are powers of 1024. */
static int parse_size(const char *s, unsigned long long *bytes)
{
	char digits[32];
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n >= sizeof digits)
		return -1;
	memcpy(digits, s, n);
	digits[n] = '\0';
	unsigned shift;
	switch (toupper((unsigned char)s[n])) {
	case '\0': shift = 0; break;
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default: return -1;
	}
	if (s[n] && s[n + 1])
		return -1;
	unsigned long long v;
	if (parse_number(digits, ULLONG_MAX >> shift, &v) < 0)
		return -1;
	v <<= shift;
	if (v < (1ULL << 20))      /* less than 1M cannot even exec a shell */
		return -1;
	*bytes = v;
	return 0;
}

/* "0.5" -> 50000 (microseconds of CPU per 100000 us period).  The kernel
 * refuses quotas under 1 ms, so the smallest share is 0.01 of a CPU. */
static int parse_cpus(const char *s, long *quota_us)
{
	size_t whole = strspn(s, "0123456789");
	size_t frac = 0;
	if (s[whole] == '.')
		frac = strspn(s + whole + 1, "0123456789");
	if (whole + frac == 0 || s[whole + (s[whole] == '.' ? 1 + frac : 0)] != '\0')
		return -1;
	char *end;
	errno = 0;
	double cpus = strtod(s, &end);
	if (errno || *end || cpus < 0.01 || cpus > MAX_CPUS)
		return -1;
	*quota_us = (long)(cpus * CPU_PERIOD_US + 0.5);
	return 0;
}

/* A hostname also names the cgroup directory, so it must never contain '/'
 * or be "." or "..": letters, digits, '-' and '.' only (RFC 1123). */
static bool valid_hostname(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '-' || s[0] == '.' || strstr(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/* A value as an error message shows it: cut to 60 characters, so that the
 * explanation after it always fits. */
static const char *shown(const char *value)
{
	static char buf[80];
	snprintf(buf, sizeof buf, "%.60s%s", value, strlen(value) > 60 ? "..." : "");
	return buf;
}

/* Returns -1, with the message for the user in ERR. */
static int option_error(char *err, size_t errlen, const char *fmt, ...) PRINTF(3, 4);
static int option_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether FLAG appears among the command's arguments, where the user put
 * an option after -c that belongs before it. */
static bool misplaced(char **command, const char *flag)
{
	for (; command && *command; command++)
		if (!strcmp(*command, flag))
			return true;
	return false;
}

/* -u 1000 or -u 1000:1000.  Without a GID, the group comes from the
 * rootfs's /etc/passwd (section 2b). */
static int parse_uid_gid(const char *s, struct options *o)
{
	char uid[16];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	if (n >= sizeof uid)
		return -1;
	memcpy(uid, s, n);
	uid[n] = '\0';
	if (parse_uid(uid, &o->uid) < 0 || (colon && parse_uid(colon + 1, &o->gid) < 0))
		return -1;
	o->have_gid = colon != NULL;
	return 0;
}

/* NAME=VALUE or NAME: a NAME a shell could use ([A-Za-z_][A-Za-z0-9_]*). */
static bool valid_env(const char *s)
{
	size_t n = strcspn(s, "=");
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* HOST:CONTAINER or HOST:CONTAINER:ro, split into copies.  The container
 * path is absolute and has no ".." (it is resolved inside the rootfs
 * anyway, but a path that climbs is a mistake worth naming). */
static int parse_bind(const char *s, struct bind *b)
{
	const char *c = strchr(s, ':');
	if (!c || s[0] != '/' || c[1] != '/')
		return -1;
	const char *end = strchr(c + 1, ':');
	if (end && strcmp(end, ":ro"))
		return -1;
	b->host = strndup(s, c - s);
	b->target = strndup(c + 1, end ? (size_t)(end - c - 1) : strlen(c + 1));
	b->readonly = end != NULL;
	b->tree = -1;
	if (!b->host || !b->target || strlen(b->host) >= PATH_MAX || strlen(b->target) >= PATH_MAX)
		return -1;
	for (const char *p = b->target; (p = strstr(p, "..")); p += 2)
		if ((p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return -1;
	/* "/", "//", "/./": the rootfs itself, which would cover the bind */
	bool root = true;
	for (const char *p = b->target; root && *(p += strspn(p, "/")); p += strcspn(p, "/"))
		root = p[0] == '.' && (p[1] == '/' || !p[1]);
	return root ? -2 : 0;
}

static int parse_shared(const char *list, unsigned long *shared, char *err, size_t errlen);

/* Once every option is read: what each mode needs and what cannot go
 * together.  -l takes nothing else; -x only what a process entering a
 * running container may choose; a launch needs -m, -u and -c, and no two
 * options that say opposite things.  SEEN: the option letters given. */
static int check_combinations(const struct options *o, const bool seen[128], char *err,
			      size_t errlen)
{
	if (o->list) {
		for (const char *c = "muHMCPebworitTsvqcSx"; *c; c++)
			if (seen[(int)*c])
				return option_error(err, errlen, "-l: lists the running containers "
						    "and takes no other option (-%c)", *c);
		return 0;
	}
	if (o->enter) {
		for (const char *c = "mHMCPbroisS"; *c; c++)
			if (seen[(int)*c])
				return option_error(err, errlen, "-x: -%c cannot go with it: the "
						    "container runs already, with its own; -x takes "
						    "-u, -e, -w, -t, -T, -v and -q", *c);
		if (!o->argv)
			return option_error(err, errlen, "-x %s: -c COMMAND is required, e.g. "
					    "-c /bin/sh", shown(o->enter));
		return 0;
	}
	if ((!o->rootfs[0] && misplaced(o->argv, "-m")) || (!o->have_uid && misplaced(o->argv, "-u")))
		return option_error(err, errlen, "%s came after -c, where it belongs to the "
				    "command: options must come before -c", o->rootfs[0] ? "-u" : "-m");
	if (!o->rootfs[0])
		return option_error(err, errlen, "-m ROOTFS is required: the directory to use as "
				    "the container's / (build one with `sudo make rootfs`)");
	if (!o->have_uid)
		return option_error(err, errlen, "-u UID is required: 0 for the container's root, "
				    "or another id up to %u", CONTAINER_IDS - 1);
	if (!o->argv)
		return option_error(err, errlen, "-c COMMAND is required, e.g. -c /bin/sh");
	if ((o->shared & CLONE_NEWUTS) && o->hostname[0])
		return option_error(err, errlen, "-H and -S uts: the hostname is the host's when "
				    "the UTS namespace is shared; choose one");
	if ((o->shared & CLONE_NEWNET) && o->network)
		return option_error(err, errlen, "-n and -S net: -n gives the container a network "
				    "of its own, -S net the host's; choose one");
	if (o->quiet && (o->verbose || o->step))
		return option_error(err, errlen, "-q: cannot go with %s, which prints what -q "
				    "silences; choose one", o->verbose ? "-v" : "-s");
	return 0;
}

/* Returns 0, or -1 with a message for the user in ERR.  -h or --help
 * anywhere before -c sets o->help and nothing else is checked. */
static int parse_options(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	bool have_uid = false, seen[128] = { false };
	unsigned long long n;
	memset(o, 0, sizeof *o);
	o->memory = DEFAULT_MEMORY;
	o->max_pids = DEFAULT_PIDS;
	for (int i = 1; i < argc && strcmp(argv[i], "-c"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			o->help = true;
			return 0;
		}
		if (!strncmp(argv[i], "--", 2) && argv[i][2])
			return option_error(err, errlen, "%s: the only long option is --help; the "
					    "others are single letters, like -v (see -h)", shown(argv[i]));
	}

	optind = 0;      /* glibc: 0 resets getopt fully, so tests can call us twice */
	opterr = 0;
	int opt;
	while ((opt = getopt(argc, argv, "+:m:u:H:M:C:P:e:w:b:roitTnsvqcS:x:l")) != -1) {
		seen[opt & 127] = true;
		switch (opt) {
		case 'm':
			if (snprintf(o->rootfs, sizeof o->rootfs, "%s", optarg) >= (int)sizeof o->rootfs)
				return option_error(err, errlen, "-m '%s': path too long (at most %d "
						    "bytes)", shown(optarg), PATH_MAX - 1);
			break;
		case 'u':
			if (parse_uid_gid(optarg, o) < 0)
				return option_error(err, errlen, "-u '%s': expected a user id from 0 "
						    "to %u, or UID:GID", shown(optarg), CONTAINER_IDS - 1);
			have_uid = true;
			break;
		case 'e':
			if (!valid_env(optarg))
				return option_error(err, errlen, "-e '%s': expected NAME=VALUE or NAME, "
						    "a NAME of letters, digits and '_', not starting "
						    "with a digit", shown(optarg));
			if (o->nenv == MAX_ENV)
				return option_error(err, errlen, "-e: at most %d variables", MAX_ENV);
			o->env[o->nenv++] = optarg;
			break;
		case 'w':
			if (optarg[0] != '/' || strlen(optarg) >= PATH_MAX)
				return option_error(err, errlen, "-w '%s': expected an absolute path "
						    "inside the container, like /home/user", shown(optarg));
			o->workdir = optarg;
			break;
		case 'b': {
			if (o->nbinds == MAX_BINDS)
				return option_error(err, errlen, "-b: at most %d bind mounts", MAX_BINDS);
			int bad = parse_bind(optarg, &o->binds[o->nbinds]);
			if (bad == -2)
				return option_error(err, errlen, "-b '%s': the container path is / "
						    "itself, where the rootfs goes, covering the bind; "
						    "give a directory below it, like HOST_PATH:/mnt",
						    shown(optarg));
			if (bad < 0)
				return option_error(err, errlen, "-b '%s': expected HOST_PATH:CONTAINER_PATH "
						    "or HOST_PATH:CONTAINER_PATH:ro, both absolute, no '..' "
						    "in the container path", shown(optarg));
			o->nbinds++;
			break;
		}
		case 'r':
			o->readonly_root = true;
			break;
		case 'o':
			/* an optional value, given as the next word: -o DIR */
			o->overlay = true;
			if (optind < argc && argv[optind][0] != '-')
				o->overlay_dir = argv[optind++];
			break;
		case 'H':
			if (!valid_hostname(optarg))
				return option_error(err, errlen, "-H '%s': a hostname is 1-64 letters, "
						    "digits, '-' or '.', not starting with '-' or '.' and "
						    "without '..'", shown(optarg));
			snprintf(o->hostname, sizeof o->hostname, "%s", optarg);
			break;
		case 'M':
			if (parse_size(optarg, &o->memory) < 0)
				return option_error(err, errlen, "-M '%s': expected a size of at "
						    "least 1M, like 256M or 1G", shown(optarg));
			break;
		case 'C':
			if (parse_cpus(optarg, &o->cpu_quota_us) < 0)
				return option_error(err, errlen, "-C '%s': expected a number of CPUs "
						    "from 0.01 to %d, like 0.5", shown(optarg), MAX_CPUS);
			break;
		case 'P':
			if (parse_number(optarg, PID_MAX_LIMIT, &n) < 0 || n == 0)
				return option_error(err, errlen, "-P '%s': expected a process count "
						    "from 1 to %d (the kernel's pid_max ceiling)",
						    shown(optarg), PID_MAX_LIMIT);
			o->max_pids = n;
			break;
		case 'i':
			o->init = true;
			break;
		case 'n':
			o->network = true;
			break;
		/* -t as `docker run -t`: a pty even for a script fed through a
		 * pipe, for programs that insist on a terminal.  -T: the caller's
		 * descriptors as they are, for a caller who wants the bytes
		 * untouched (no \r\n, stderr kept apart) on a terminal too. */
		case 't':
		case 'T':
			if (o->terminal != TERMINAL_AUTO &&
			    o->terminal != (opt == 't' ? TERMINAL_ALWAYS : TERMINAL_NEVER))
				return option_error(err, errlen, "-t and -T: choose one (-t: a "
						    "terminal of its own, -T: none)");
			o->terminal = opt == 't' ? TERMINAL_ALWAYS : TERMINAL_NEVER;
			break;
		case 's':
			o->step = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'S':
			if (parse_shared(optarg, &o->shared, err, errlen) < 0)
				return -1;
			break;
		case 'x':
			if (optarg[0] == '-')
				return option_error(err, errlen, "-x: expected a running container's "
						    "name or host pid after it (see -l)");
			o->enter = optarg;
			break;
		case 'l':
			o->list = true;
			break;
		case 'c':
			if (optind >= argc)
				return option_error(err, errlen, "-c: expected a command after it");
			o->argv = argv + optind;
			goto parsed;
		case ':':
			return option_error(err, errlen, "-%c: expected a value after it", optopt);
		default:
			return option_error(err, errlen, "-%c: unknown option (see -h)", optopt);
		}
	}
	if (optind < argc)
		return option_error(err, errlen, "'%s': unexpected argument; the command goes "
				    "after -c", shown(argv[optind]));
parsed:
	o->have_uid = have_uid;
	return check_combinations(o, seen, err, errlen);
}

/* ------------------------------------------------------------------------ *
 * 2. Host probe
 *
 * Kernel features come and go with versions and distribution settings, so
 * the launcher asks the running kernel instead of trusting a version number:
 * does /proc/self/ns/<name> exist for every namespace we need, which cgroup
 * layout is mounted (statfs tells cgroup2 from the tmpfs that holds v1
 * hierarchies), and how many capabilities does this kernel have
 * (/proc/sys/kernel/cap_last_cap; section 7 drops every one it does not
 * know about).  Then the rootfs is checked before anything is built, so a
 * typo costs an error message rather than a half-made container.
 * ------------------------------------------------------------------------ */

struct host {
	int cgroup_version;       /* 1 (v1 or hybrid) or 2 (unified) */
	int cap_last_cap;
};

/* The namespaces a container gets (namespaces(7)), each a fresh, empty
 * view of one kernel resource.  All but the cgroup namespace are created
 * by the clone of section 4; that one comes in section 5, once the child
 * is inside its cgroup, so that the container sees that cgroup as its root.
 *
 * -S leaves some of them the host's, as docker's --pid=host and
 * --network=host do, for a tool that must see the host's processes or
 * serve on its interfaces.  The last two columns say what the container
 * can then see or do (the launcher warns with it), or why a namespace can
 * never be shared.  Sharing costs more than the view: the kernel lets a
 * user namespace mount a fresh proc only for a PID namespace it owns, and
 * a fresh sysfs only for a network namespace it owns, so with -S pid or
 * -S net the host's own are bound in instead, read-only (Appendix A). */
#define NAMESPACE(flag, name, why, if_shared, never) { flag, #flag, name, why, if_shared, never }
static const struct namespace {
	unsigned long flag;
	const char *flag_name, *name;      /* "CLONE_NEWUSER", /proc/self/ns/"user" */
	const char *why;
	const char *if_shared;             /* -S NAME: the warning */
	const char *never;                 /* why -S refuses it; NULL if it may be shared */
} namespaces[] = {
	NAMESPACE(CLONE_NEWUSER, "user", "its own uid/gid numbering; root inside is nobody outside",
		  NULL, "the user namespace is what makes root inside nobody outside; shared, "
		  "the container's root would be the host's"),
	NAMESPACE(CLONE_NEWNS, "mnt", "its own mount table, so pivot_root moves only its view",
		  NULL, "the container's / is a mount of its own mount namespace; in the host's, "
		  "pivot_root would move the host's root and every mount would reach the host"),
	NAMESPACE(CLONE_NEWPID, "pid", "its own pid numbers; it is PID 1 and sees only its own",
		  "the container sees every host process (the host's /proc, read-only), and may "
		  "signal those that run as its own host uids, other containers' too", NULL),
	NAMESPACE(CLONE_NEWNET, "net", "its own network stack: only a loopback device, down",
		  "the container uses the host's interfaces, addresses and ports, and reaches "
		  "every service listening on the host, on 127.0.0.1 too", NULL),
	NAMESPACE(CLONE_NEWIPC, "ipc", "its own System V IPC and POSIX message queues",
		  "the container reads and writes the host's System V shared memory, semaphores "
		  "and message queues that its host uids may open", NULL),
	NAMESPACE(CLONE_NEWUTS, "uts", "its own hostname",
		  "the container sees the host's hostname (it cannot change it)", NULL),
	NAMESPACE(CLONE_NEWCGROUP, "cgroup", "its own cgroup as the root of /proc/self/cgroup",
		  NULL, "it only hides the host's cgroup paths, and its root is the container's "
		  "own cgroup, which the limits need"),
};

/* -S pid,net: each name from the table, one that may be shared. */
static int parse_shared(const char *list, unsigned long *shared, char *err, size_t errlen)
{
	char copy[64], *save;
	if (snprintf(copy, sizeof copy, "%s", list) >= (int)sizeof copy)
		return option_error(err, errlen, "-S '%s': expected a list like pid,net", shown(list));
	for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < LEN(namespaces) && strcmp(namespaces[i].name, name))
			i++;
		if (i == LEN(namespaces))
			return option_error(err, errlen, "-S '%s': expected names from pid, net, "
					    "uts, ipc, separated by commas", shown(list));
		if (namespaces[i].never)
			return option_error(err, errlen, "-S %s: cannot be shared: %s", name,
					    namespaces[i].never);
		*shared |= namespaces[i].flag;
	}
	if (!*shared)
		return option_error(err, errlen, "-S '%s': expected names from pid, net, uts, ipc",
				    shown(list));
	return 0;
}

static void probe_host(struct host *h)
{
	char path[64], buf[32];
	struct statfs sfs;

	stage("ls -l /proc/self/ns; stat -f -c %%T /sys/fs/cgroup   # tmpfs: v1, cgroup2fs: v2",
	      "probing the host");
	if (geteuid() != 0)
		die("needs root: it creates namespaces, cgroups and mounts; run it with sudo");
	for (size_t i = 0; i < LEN(namespaces); i++) {
		snprintf(path, sizeof path, "/proc/self/ns/%s", namespaces[i].name);
		if (access(path, F_OK) < 0)
			die("this kernel has no %s namespace (%s is missing)", namespaces[i].name, path);
	}
	if (read_file("/proc/sys/user/max_user_namespaces", buf, sizeof buf) == 0 && atoi(buf) == 0)
		die("user namespaces are disabled: set sysctl user.max_user_namespaces above 0");

	if (statfs("/sys/fs/cgroup", &sfs) < 0)
		die_errno("/sys/fs/cgroup");
	trace("statfs(\"/sys/fs/cgroup\") = { f_type = %s }",
	      sfs.f_type == CGROUP2_SUPER_MAGIC ? "CGROUP2_SUPER_MAGIC" :
	      sfs.f_type == TMPFS_MAGIC ? "TMPFS_MAGIC" : "other");
	if (sfs.f_type == CGROUP2_SUPER_MAGIC)
		h->cgroup_version = 2;
	else if (sfs.f_type == TMPFS_MAGIC && access("/sys/fs/cgroup/memory", F_OK) == 0)
		h->cgroup_version = 1;
	else
		die("/sys/fs/cgroup holds neither cgroup2 nor cgroup v1 hierarchies");

	if (read_file("/proc/sys/kernel/cap_last_cap", buf, sizeof buf) < 0)
		die_errno("/proc/sys/kernel/cap_last_cap");
	h->cap_last_cap = atoi(buf);
	if (prctl(PR_GET_SECCOMP) < 0)
		die("this kernel has no seccomp support (CONFIG_SECCOMP)");
	done();
}

/* The container inherits stdin, stdout and stderr as they are, and a
 * descriptor is a door: one that names a directory (`contained ... < /etc`)
 * lets the container `cd /proc/self/fd/0` and walk the host's tree from
 * there, an O_PATH one may name anything, and a "file" on nsfs or procfs
 * is a handle on a host namespace or process.  Only streams pass: a
 * terminal, a pipe, a socket, a regular file, /dev/null and its kin.  A
 * closed one is opened on /dev/null, or the next open() would fill the gap
 * with one of the launcher's own descriptors and hand it to the container. */
static const char *unsafe_kind(int fd, int flags, const struct stat *st)
{
	struct statfs sfs;
	unsigned minor_nr = minor(st->st_rdev);   /* major 1: null 3, zero 5, full 7, random 8, urandom 9 */
	if (flags & O_PATH)
		return "an O_PATH descriptor";
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if (S_ISREG(st->st_mode) && fstatfs(fd, &sfs) == 0 && (sfs.f_type == NSFS_MAGIC ||
	    sfs.f_type == PIDFS_MAGIC || sfs.f_type == PROC_SUPER_MAGIC))
		return "a kernel object (a namespace, a pidfd or a /proc file)";
	if (S_ISCHR(st->st_mode) && !isatty(fd) && !(major(st->st_rdev) == 1 &&
	    (minor_nr == 3 || minor_nr == 5 || minor_nr == 7 || minor_nr == 8 || minor_nr == 9)))
		return "a device";
	if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode) && !S_ISSOCK(st->st_mode) &&
	    !S_ISCHR(st->st_mode))
		return "neither a stream nor a file";
	return NULL;
}

static void check_standard_fds(void)
{
	static const char *const names[] = { "stdin", "stdout", "stderr" };
	for (int fd = 0; fd <= 2; fd++) {
		struct stat st;
		int flags = fcntl(fd, F_GETFL);
		if (flags < 0 && open("/dev/null", O_RDWR) != fd)
			die_errno("opening /dev/null as %s", names[fd]);
		if (flags < 0 || fstat(fd, &st) < 0)
			continue;
		const char *kind = unsafe_kind(fd, flags, &st);
		if (kind)
			die("%s is %s; a container may inherit only a terminal, pipe, socket, "
			    "regular file or /dev/null: redirect it (e.g. %s/dev/null)", names[fd],
			    kind, fd == 0 ? "<" : fd == 1 ? ">" : "2>");
	}
}

/* The command's PATH inside (section 9), the Filesystem Hierarchy
 * Standard's directories: the host's PATH names the host's. */
static const char container_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* Look COMMAND up inside the rootfs the way execvp() will inside the
 * container: a name with a '/' is a path from the container's /, anything
 * else is searched along the container's PATH.  openat2(RESOLVE_IN_ROOT)
 * resolves symlinks as if rootfs were /: a link bin/sh -> /bin/busybox must
 * land in rootfs/bin/busybox, never in the host's /bin.  Returns 0, or -1
 * with errno ENOENT, or EISDIR when what is there is a directory. */
static int find_in_rootfs(int rootfd, const char *command)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	char path[PATH_MAX];
	const char *dirs = strchr(command, '/') ? "" : container_path;
	bool saw_dir = false;

	for (const char *dir = dirs;; ) {
		size_t len = strcspn(dir, ":");
		if (strchr(command, '/'))
			snprintf(path, sizeof path, "%s", command);
		else
			snprintf(path, sizeof path, "%.*s/%s", (int)len, dir, command);
		int fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);
		if (fd >= 0) {
			struct stat st;
			int is_file = fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode);
			close(fd);
			if (is_file)
				return 0;
			saw_dir = true;
		} else if (errno == ENOSYS) {
			return 0;     /* kernel < 5.6: let exec report a missing command */
		}
		if (!dir[len])
			break;
		dir += len + 1;
	}
	errno = saw_dir ? EISDIR : ENOENT;
	return -1;
}

/* A container's root owns the files it makes as host root (the idmapped
 * mount, section 5): a set-user-ID program left in the rootfs would work
 * for any host user who can reach it.  The rootfs is fenced when some
 * directory on its path lets nobody but root search it; warn when none
 * does (the README says where to keep root filesystems). */
static bool only_root_may_search(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & S_IXOTH) &&
	       (!(st->st_mode & S_IXGRP) || st->st_gid == 0);
}

static void warn_if_reachable(int rootfs, const char *flag, const char *path)
{
	struct stat st, host_root;
	bool fenced = false;
	int dir = openat(rootfs, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 || stat("/", &host_root) < 0)
		return;
	while (!fenced && fstat(dir, &st) == 0 &&
	       !(st.st_dev == host_root.st_dev && st.st_ino == host_root.st_ino)) {
		fenced = only_root_may_search(&st);
		int parent = openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(dir);
		if ((dir = parent) < 0)
			return;
	}
	close(dir);
	if (!fenced && !strcmp(flag, "-o"))
		warn("-o %s can be reached by other host users; a set-id file or device node "
		     "a container leaves in its upper/ would work for them. Keep it in a "
		     "directory only root may enter (see README, Security)", path);
	else if (!fenced)
		warn("-m %s can be reached by other host users; a set-id file a container "
		     "leaves there would work for them. Keep root filesystems in a directory "
		     "only root may enter (sudo make roots; see README, Security)", path);
}

/* The launcher's own mount namespace.  Whatever the host's mount
 * propagation is (systemd makes / shared; a host may also have slave or
 * unbindable mounts), a mount the launcher makes or copies must never
 * appear in another mount namespace.  So before it touches the rootfs the
 * launcher moves into a new mount namespace of its own and makes every
 * mount in it private: mounts copied from it, the container's included,
 * start out private too (mount_namespaces(7), "Shared subtrees"), and the
 * host's mount table stays as it was, byte for byte. */
static void private_mount_namespace(void)
{
	trace("unshare(CLONE_NEWNS); mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)");
	if (unshare(CLONE_NEWNS) < 0)
		die_errno("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno("making the launcher's mounts private");
}

/* The rootfs is looked up by path exactly once, here, and from then on
 * known only by this descriptor: the checks below, the mount the parent
 * clones for the child (section 5) and every mount the child makes inside it
 * (section 6) all start from it.  A path looked up twice can name two
 * different directories if someone renames a directory above it in between;
 * a descriptor cannot change what it names.  Returns an O_PATH descriptor. */
static int open_rootfs(const struct options *o)
{
	struct stat st, host_root;

	stage("ls -l /proc/%1$d/ns/mnt /proc/self/ns/mnt   # the launcher's own mount namespace",
	      "moving into a private mount namespace and checking rootfs %s", o->rootfs);
	private_mount_namespace();
	trace("open(\"%s\", O_PATH|O_DIRECTORY|O_CLOEXEC)", o->rootfs);
	int rootfs = open(o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfs < 0) {
		if (errno == ENOENT)
			die("-m %s: no such directory%s; build a rootfs with `sudo make rootfs`",
			    o->rootfs, o->rootfs[0] == '/' ? "" : " here (a path relative to the "
			    "current directory)");
		if (errno == ENOTDIR)
			die("-m %s: not a directory; point -m at a root filesystem directory "
			    "(build one with `sudo make rootfs`)", o->rootfs);
		if (errno == ENAMETOOLONG)
			die("-m %s: path too long for the kernel (PATH_MAX is %d bytes); "
			    "use a shorter path", o->rootfs, PATH_MAX);
		die_errno("-m %s", o->rootfs);
	}
	if (fstat(rootfs, &st) < 0 || stat("/", &host_root) < 0)
		die_errno("-m %s", o->rootfs);
	if (st.st_dev == host_root.st_dev && st.st_ino == host_root.st_ino)
		die("-m %s: the host's own root cannot be a container's rootfs", o->rootfs);
	if (find_in_rootfs(rootfs, o->argv[0]) < 0)
		die_command_not_found(rootfs, o);
	done();
	warn_if_reachable(rootfs, "-m", o->rootfs);
	return rootfs;
}

/* ------------------------------------------------------------------------ *
 * 2b. Identity
 *
 * "Who am I" inside a container is answered by the rootfs, not the host:
 * the programs in it look themselves up in its /etc/passwd and /etc/group
 * (getpwuid(3), initgroups(3)), so the launcher does the same for -u.
 * The uid's entry gives the primary group, HOME, the name (USER, LOGNAME)
 * and SHELL; /etc/group the supplementary groups that list the name, so
 * `-u 1000` in the busybox rootfs runs as user, group user, also in users,
 * at home in /home/user.  A uid without an entry keeps the old defaults:
 * gid = uid, no groups, HOME=/ (/root for root when there is one).
 *
 * These files belong to whoever built or ran the rootfs, so they are read
 * as hostile input: opened from the rootfs descriptor with
 * RESOLVE_IN_ROOT|RESOLVE_NO_SYMLINKS (a symlink to the host's
 * /etc/shadow must not be read by the host's root), only when they are
 * regular files (a FIFO would block the launcher), at most 1 MiB, and a line
 * that does not have the expected fields is skipped, not guessed at.
 * ------------------------------------------------------------------------ */

#define MAX_GROUPS 32
#define ACCOUNT_FILE_MAX (1 << 20)

struct identity {
	unsigned uid, gid;
	gid_t groups[MAX_GROUPS];      /* supplementary, the primary first */
	int ngroups;
	char name[33];                 /* "" when the uid has no passwd entry */
	char home[PATH_MAX], shell[PATH_MAX];
};

/* PATH inside the rootfs, whole, as a NUL-terminated string the caller
 * frees; NULL when it is missing, not a regular file, reached through a
 * symlink, or larger than ACCOUNT_FILE_MAX bytes. */
static char *read_account_file(int rootfs, const char *path)
{
	struct stat st;
	char *text = NULL, fdpath[32];
	/* O_PATH first: opening for real can act (a device node planted at
	 * /etc/passwd, say a watchdog, arms on open); only a regular file,
	 * checked through the descriptor, is opened again for reading */
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = syscall(SYS_openat2, rootfs, path, &how, sizeof how);
	if (fd < 0)
		return NULL;
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
	int file = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < ACCOUNT_FILE_MAX ?
		   open(fdpath, O_RDONLY | O_CLOEXEC) : -1;
	close(fd);
	if (file >= 0 && (text = malloc(ACCOUNT_FILE_MAX + 1))) {
		ssize_t n = read(file, text, ACCOUNT_FILE_MAX);
		if (n < 0)
			n = 0;
		text[n] = '\0';
	}
	if (file >= 0)
		close(file);
	return text;
}

/* Split LINE in place at ':' into exactly N fields; false otherwise. */
static bool split_fields(char *line, char **field, int n)
{
	for (int i = 0; i < n; i++) {
		field[i] = line;
		line = strchr(line, ':');
		if (!line)
			return i == n - 1;
		*line++ = '\0';
	}
	return false;
}

static bool valid_account_id(const char *s, unsigned *id)
{
	return parse_uid(s, id) == 0;
}

/* name:password:uid:gid:gecos:home:shell (passwd(5)) */
static void find_passwd_entry(char *passwd, struct identity *id)
{
	for (char *line = strtok(passwd, "\n"); line; line = strtok(NULL, "\n")) {
		char *f[7];
		unsigned uid, gid;
		if (!split_fields(line, f, 7) || !valid_account_id(f[2], &uid) || uid != id->uid ||
		    !valid_account_id(f[3], &gid) || !f[0][0] || strlen(f[0]) >= sizeof id->name ||
		    f[5][0] != '/' || strlen(f[5]) >= sizeof id->home || strlen(f[6]) >= sizeof id->shell)
			continue;
		snprintf(id->name, sizeof id->name, "%s", f[0]);
		snprintf(id->home, sizeof id->home, "%s", f[5]);
		snprintf(id->shell, sizeof id->shell, "%s", f[6]);
		id->gid = gid;
		return;
	}
}

/* name:password:gid:member,member (group(5)) */
static void find_groups(char *group, struct identity *id)
{
	for (char *line = strtok(group, "\n"); line; line = strtok(NULL, "\n")) {
		char *f[4], *save;
		unsigned gid;
		if (!split_fields(line, f, 4) || !valid_account_id(f[2], &gid) || gid == id->gid)
			continue;
		for (char *m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
			if (!strcmp(m, id->name) && id->ngroups < MAX_GROUPS)
				id->groups[id->ngroups++] = gid;
	}
}

static void look_up_identity(int rootfs, const struct options *o, struct identity *id)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	id->uid = o->uid;
	id->gid = o->uid;
	snprintf(id->home, sizeof id->home, "%s", o->uid == 0 &&
		 fstatat(rootfs, "root", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) ?
		 "/root" : "/");
	char *passwd = read_account_file(rootfs, "/etc/passwd");
	if (passwd)
		find_passwd_entry(passwd, id);
	free(passwd);
	if (o->have_gid)
		id->gid = o->gid;
	id->groups[id->ngroups++] = id->gid;
	char *group = id->name[0] ? read_account_file(rootfs, "/etc/group") : NULL;
	if (group)
		find_groups(group, id);
	free(group);
}

/* ------------------------------------------------------------------------ *
 * 3. Cgroups + rlimits
 *
 * Namespaces hide the host; they limit nothing.  Without cgroups one
 * container can eat all memory, fork until the pid table is full, or spin on
 * every CPU, and the whole host suffers.  A cgroup is a directory in a
 * special filesystem: mkdir creates it, writing a value into memory.max sets
 * a limit, writing a pid into cgroup.procs moves that process in, and rmdir
 * removes it once it is empty (cgroups(7), Documentation/admin-guide/
 * cgroup-v2.rst).
 *
 * Two layouts exist in the wild.  cgroup v2 ("unified", Debian 12, Ubuntu
 * 22.04+, Fedora) has one tree at /sys/fs/cgroup; a controller works in a
 * child only when the parent lists it in cgroup.subtree_control, and a cgroup
 * that hands controllers down must hold no processes itself (the "no
 * internal processes" rule).  So containers live in /sys/fs/cgroup/contained/
 * <name>: the root cgroup is exempt from the rule, and contained/ never holds
 * a process.  cgroup v1 (older hosts, and hybrid ones like systemd's legacy
 * mode) has one tree per controller, /sys/fs/cgroup/memory, .../pids, and
 * the container gets a directory in each.  The limits are a table below,
 * with the file each layout names them by.
 *
 * The cgroup is built here, in the parent, before the child exists, and the
 * child is inside it before it runs a single instruction of the command:
 * on v2 clone3 starts it there (section 4), elsewhere it moves itself in
 * right after the go-ahead (section 5; Appendix F says how).  Its name is
 * <hostname>.<48 random bits>, unique whatever PID namespace a launcher
 * runs in.  Is a cgroup's launcher
 * still alive?  A pid cannot say (another PID namespace has the same
 * numbers, and pids are reused), so each launcher holds a lock, a flock(2)
 * on /run/contained/<name>.lock: the kernel drops a lock when its holder
 * dies, however it dies, so a cgroup whose lock nobody holds is a leftover,
 * and the next launcher kills what runs in it and removes it.  The lock is
 * kept out of the cgroup tree, in a directory only root may enter: the
 * container sees its own cgroup directory and could hold a lock there
 * itself.
 *
 * A killed launcher cannot clean up after itself, and the container must
 * not outlive it: a program inside can clear its parent-death signal, or
 * lose it by changing its uid (prctl(2)), and run on.  So a watchdog waits
 * outside the container, a process forked here that the container cannot
 * see or signal, for the launcher's end of a pipe to close: when the
 * launcher dies, by SIGKILL too, it kills everything in the cgroup and
 * removes it.
 *
 * Some limits are not cgroup business: the number of open files is a
 * per-process rlimit, and an unlimited one lets a container fill the
 * host-wide file table (fs.file-max) that every other process shares.
 * ------------------------------------------------------------------------ */

#define CGROUP_ROOT "/sys/fs/cgroup"

/* The limits, one row per file.  A file is named <controller>.<knob>, so
 * the rows also say which controllers to enable (v2) and which
 * hierarchies to make a directory in (v1). */
enum knob_value { MEMORY, NO_SWAP, PIDS, CPU_PERIOD, CPU_QUOTA, FIXED };
static const struct cgroup_knob {
	const char *v2_file, *v1_file;     /* NULL: not on that layout */
	enum knob_value value;
	const char *v2_fixed, *v1_fixed;   /* the values of a FIXED row */
	bool optional;                     /* only with some kernels or settings */
	const char *why;
} cgroup_knobs[] = {
	{ "memory.max", "memory.limit_in_bytes", MEMORY, .why =
	  "-M: past it the kernel reclaims, then kills inside the container" },
	{ "memory.swap.max", "memory.memsw.limit_in_bytes", NO_SWAP, .optional = true, .why =
	  "no swap on top of -M (the files exist only with swap accounting)" },
	{ "pids.max", "pids.max", PIDS, .why = "-P: a fork bomb stops here" },
	{ NULL, "cpu.cfs_period_us", CPU_PERIOD, .why = "v1 sets the period on its own" },
	{ "cpu.max", "cpu.cfs_quota_us", CPU_QUOTA, .why = "-C: CPU time per period" },
	{ "cpu.weight", "cpu.shares", FIXED, "50", "512", .why =
	  "half the default (100; 1024): the host wins when both want the CPU" },
	{ "io.weight", "blkio.weight", FIXED, "default 50", "250", .optional = true, .why =
	  "half the default (100; 500); needs a weight-based I/O scheduler" },
};

static const char *knob_file(const struct cgroup_knob *k)
{
	return cgroup.version == 2 ? k->v2_file : k->v1_file;
}

/* "memory" for "memory.max" (the name fits: every controller's is short). */
static const char *controller_of(const char *file, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strcspn(file, "."), file);
	return buf;
}

/* Whether row I is the first of its controller, and whether every row of
 * that controller is optional. */
static bool first_of_controller(size_t i, bool *optional)
{
	char mine[16], other[16];
	controller_of(knob_file(&cgroup_knobs[i]), mine, sizeof mine);
	*optional = true;
	for (size_t j = 0; j < LEN(cgroup_knobs); j++) {
		const char *file = knob_file(&cgroup_knobs[j]);
		if (!file || strcmp(controller_of(file, other, sizeof other), mine))
			continue;
		if (j < i)
			return false;
		*optional = *optional && cgroup_knobs[j].optional;
	}
	return true;
}

/* The value a row writes, as text. */
static void format_knob_value(const struct cgroup_knob *k, const struct options *o, char *buf,
			      size_t size)
{
	bool v2 = cgroup.version == 2;
	switch (k->value) {
	case MEMORY:
		snprintf(buf, size, "%llu", o->memory);
		break;
	case NO_SWAP:         /* v2 limits swap alone, v1 memory and swap together */
		snprintf(buf, size, "%llu", v2 ? 0 : o->memory);
		break;
	case PIDS:
		snprintf(buf, size, "%ld", o->max_pids);
		break;
	case CPU_PERIOD:
		snprintf(buf, size, "%ld", CPU_PERIOD_US);
		break;
	case CPU_QUOTA:       /* "max" and -1 mean no quota */
		if (v2 && o->cpu_quota_us)
			snprintf(buf, size, "%ld %ld", o->cpu_quota_us, CPU_PERIOD_US);
		else if (v2)
			snprintf(buf, size, "max %ld", CPU_PERIOD_US);
		else
			snprintf(buf, size, "%ld", o->cpu_quota_us ? o->cpu_quota_us : -1);
		break;
	case FIXED:
		snprintf(buf, size, "%s", v2 ? k->v2_fixed : k->v1_fixed);
		break;
	}
}

/* The container's directory that holds CONTROLLER's files, or NULL. */
static const char *cgroup_dir_of(const char *controller)
{
	for (int i = 0; i < cgroup.ndirs; i++)
		if (cgroup.version == 2 || !strcmp(cgroup.controller[i], controller))
			return cgroup.dir[i];
	return NULL;
}

static void remove_cgroup_dir(const char *dir);   /* section 10 */
static void remove_network_of(const char *name);  /* -n: Appendix B */
static void remove_cgroup(void);

/* The name of a container's cgroup directory: its hostname and 48 random
 * bits. */
static void cgroup_name(const char *hostname, char *buf, size_t size)
{
	unsigned char id[6];
	if (getrandom(id, sizeof id, 0) != sizeof id)
		die_errno("getrandom");
	snprintf(buf, size, "%s.%02x%02x%02x%02x%02x%02x", hostname,
		 id[0], id[1], id[2], id[3], id[4], id[5]);
}

#define RUN_DIR "/run/contained"    /* root's alone: 0700 */

/* Open PATH (OPEN_FLAGS as for open(2)) and take an exclusive flock(2) on
 * it; LOCK_FLAGS: 0 to wait for it, LOCK_NB not to.  The lock lasts while
 * any process holds the open file.  Returns the descriptor, or -1 with
 * errno (EWOULDBLOCK: someone holds it). */
static int lock_file(const char *path, int open_flags, int lock_flags)
{
	int fd = open(path, open_flags | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX | lock_flags) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* /run/contained/NAME.lock */
static void lock_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, RUN_DIR "/%s.lock", name);
}

/* /run/contained/NAME.state: what -l and -x know of a running container
 * (Appendix D); it lives and goes with the lock. */
static void state_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, RUN_DIR "/%s.state", name);
}

/* Kill what runs in every container cgroup under PARENT whose lock no one
 * holds (or that has none), remove it and its lock.  The caller holds
 * PARENT's lock, so no launcher is between making its directory and taking
 * its lock meanwhile. */
static void sweep_stale_cgroups(const char *parent)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[PATH_MAX], lock[PATH_MAX];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s", parent, e->d_name) >= (int)sizeof path)
			continue;             /* not a name this launcher gives */
		lock_path(e->d_name, lock, sizeof lock);
		int fd = lock_file(lock, O_RDWR, LOCK_NB);
		if (fd < 0 && errno != ENOENT)
			continue;             /* its launcher lives */
		remove_network_of(e->d_name);
		remove_cgroup_dir(path);
		state_path(e->d_name, lock, sizeof lock);
		unlink(lock);
		lock_path(e->d_name, lock, sizeof lock);
		if (fd >= 0) {
			unlink(lock);
			close(fd);
		}
	}
	closedir(d);
}

/* This launch's lock, taken before any of its directories exists. */
static void take_liveness_lock(void)
{
	char lock[PATH_MAX];
	if (mkdir(RUN_DIR, 0700) < 0 && errno == ENOENT)
		die("mkdir " RUN_DIR ": this system has no /run.  Inside a chroot (the likely "
		    "case) the kernel refuses user namespaces anyway: run contained from the "
		    "host's own root");
	if (mkdir(RUN_DIR, 0700) < 0 && errno != EEXIST)
		die_errno("mkdir " RUN_DIR);
	lock_path(cgroup.name, lock, sizeof lock);
	trace("open(\"%s\", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600); "
	      "flock(LOCK_EX|LOCK_NB)", lock);
	if ((cgroup.lock_fd = lock_file(lock, O_RDWR | O_CREAT | O_EXCL, LOCK_NB)) < 0)
		die_errno("%s", lock);
}

/* v2: let DIR's children use every controller in the table; one whose
 * rows are all optional may be missing. */
static void enable_controllers(const char *dir)
{
	char path[PATH_MAX], controller[16];
	bool optional;
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
	for (size_t i = 0; i < LEN(cgroup_knobs); i++) {
		if (!cgroup_knobs[i].v2_file || !first_of_controller(i, &optional))
			continue;
		controller_of(cgroup_knobs[i].v2_file, controller, sizeof controller);
		if (write_file(path, "+%s", controller) < 0 && !optional)
			die_errno("enabling %s in %s", controller, path);
	}
}

static void plan_cgroup_dir(const char *parent, const char *name, const char *controller)
{
	if (snprintf(cgroup.dir[cgroup.ndirs], PATH_MAX, "%s/%s", parent, name) >= PATH_MAX)
		die("cgroup path %s/%s is too long", parent, name);
	snprintf(cgroup.controller[cgroup.ndirs], sizeof *cgroup.controller, "%s", controller);
	cgroup.ndirs++;
}

/* Where the container's directories go: one under contained/ on v2, one
 * under each hierarchy's contained/ on v1.  All are known before any is
 * made, so that the watchdog, forked next, can remove every one. */
static void plan_cgroup_dirs(const char *name)
{
	char parent[PATH_MAX], controller[16], probe[PATH_MAX + 64];
	bool optional;
	if (cgroup.version == 2) {
		plan_cgroup_dir(CGROUP_ROOT "/contained", name, "");
		return;
	}
	for (size_t i = 0; i < LEN(cgroup_knobs); i++) {
		const char *file = cgroup_knobs[i].v1_file;
		if (!file || !first_of_controller(i, &optional))
			continue;
		controller_of(file, controller, sizeof controller);
		snprintf(probe, sizeof probe, CGROUP_ROOT "/%s/%s", controller, file);
		if (optional && access(probe, F_OK) < 0)
			continue;       /* e.g. no weight-based I/O scheduler on this host */
		snprintf(parent, sizeof parent, CGROUP_ROOT "/%s/contained", controller);
		plan_cgroup_dir(parent, name, controller);
	}
}

/* Each directory new.  Its contained/ parent may exist already; it is
 * locked meanwhile, and that is when stale siblings are swept. */
static void make_cgroup_dirs(void)
{
	char parent[PATH_MAX];
	if (cgroup.version == 2)
		enable_controllers(CGROUP_ROOT);
	for (int i = 0; i < cgroup.ndirs; i++) {
		snprintf(parent, sizeof parent, "%.*s", (int)(strrchr(cgroup.dir[i], '/') - cgroup.dir[i]),
			 cgroup.dir[i]);
		trace("mkdir(\"%s\", 0755); open(O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC); "
		      "flock(LOCK_EX)", parent);
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			die_errno("mkdir %s", parent);
		int parent_fd = lock_file(parent, O_RDONLY | O_DIRECTORY, 0);
		if (parent_fd < 0)
			die_errno("locking %s", parent);
		sweep_stale_cgroups(parent);
		trace("mkdir(\"%s\", 0755)", cgroup.dir[i]);
		if (mkdir(cgroup.dir[i], 0755) < 0)
			die_errno("mkdir %s", cgroup.dir[i]);
		close(parent_fd);
		if (cgroup.version == 2)
			enable_controllers(parent);
	}
}

static void set_limits(const struct options *o)
{
	char path[PATH_MAX + 64], value[64], controller[16];
	for (size_t i = 0; i < LEN(cgroup_knobs); i++) {
		const char *file = knob_file(&cgroup_knobs[i]);
		const char *dir = file ? cgroup_dir_of(controller_of(file, controller, sizeof controller)) : NULL;
		if (!dir)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, file);
		if (cgroup_knobs[i].optional && access(path, F_OK) < 0)
			continue;
		format_knob_value(&cgroup_knobs[i], o, value, sizeof value);
		if (write_file(path, "%s", value) < 0)
			die_errno("writing %s to %s", value, path);
	}
}

/* v1: the child moves itself into the directories, through descriptors
 * create_cgroup() opens: Appendix F, a speed trick. */
static void open_join_fds(void);
static void close_join_fds(void);
static void join_cgroup(void);

/* The watchdog (see above).  It reads until end of file, which comes when
 * every copy of the pipe's other end is closed: the launcher's, by its
 * exit or death (the child closes its copy at once). */
static void start_watchdog(void)
{
	int pipefd[2];
	char byte;
	trace("pipe2(O_CLOEXEC); fork(): the watchdog calls setsid() and read()s until end of file");
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die_errno("pipe2");
	pid_t pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0) {
		close(pipefd[1]);
		setsid();                       /* out of reach of the terminal's signals */
		verbose = false;                /* it works silently */
		prctl(PR_SET_NAME, "contained-wd");
		while (read(pipefd[0], &byte, 1) < 0 && errno == EINTR)
			;
		remove_cgroup();
		_exit(0);
	}
	close(pipefd[0]);
	watchdog_fd = pipefd[1];
	watchdog_pid = pid;
}

/* The launcher's normal end: the cgroup is gone already, so the watchdog
 * finds nothing to do; reap it, so that no process outlives the launcher. */
static void stop_watchdog(void)
{
	if (watchdog_pid <= 0)
		return;
	trace("close(%d); waitpid(%d): the watchdog finds nothing left and exits",
	      watchdog_fd, (int)watchdog_pid);
	close(watchdog_fd);
	while (waitpid(watchdog_pid, NULL, 0) < 0 && errno == EINTR)
		;
	watchdog_pid = 0;
}

/* The child must not keep the watchdog waiting, nor hold the lock. */
static void close_launcher_fds(void)
{
	close(watchdog_fd);
	close(cgroup.lock_fd);
	close(network.lock_fd);
	if (cgroup.version == 2)
		close(cgroup.dir_fd);
}

/* v1: runtimes that size themselves from cgroup files -- a JVM reading its
 * heap limit, for one -- trust a v1 memory limit only when they also find
 * the cpuset and cpuacct hierarchies mounted.  The container has no
 * directory of its own there (it sets no limit in them): it sees, read-only,
 * the one the launcher runs in, as its cgroup namespace shows it.  The
 * parent finds them in /proc/self/cgroup ("ID:controllers:path"). */
static void plan_cgroup_views(void)
{
	char text[4096], name[64], dir[PATH_MAX];
	if (cgroup.version != 1 || read_file("/proc/self/cgroup", text, sizeof text) < 0)
		return;
	for (char *line = strtok(text, "\n"); line && cgroup.nviews < 2; line = strtok(NULL, "\n")) {
		char *controllers = strchr(line, ':'), *path = controllers ? strchr(controllers + 1, ':') : NULL;
		if (!path)
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(path - controllers - 1), controllers + 1);
		bool ours = false, wanted = false;
		for (char *c = name; *c; c += strcspn(c, ",") + !!c[strcspn(c, ",")]) {
			int len = strcspn(c, ",");
			for (int i = 0; i < cgroup.ndirs; i++)
				ours = ours || ((int)strlen(cgroup.controller[i]) == len &&
						!strncmp(c, cgroup.controller[i], len));
			wanted = wanted || !strncmp(c, "cpuset", len) || !strncmp(c, "cpuacct", len);
		}
		if (ours || !wanted || snprintf(dir, sizeof dir, CGROUP_ROOT "/%s%s", name,
						 path + 1) >= (int)sizeof dir || access(dir, F_OK) < 0)
			continue;
		snprintf(cgroup.view[cgroup.nviews], PATH_MAX, "%s", dir);
		snprintf(cgroup.view_name[cgroup.nviews], sizeof *cgroup.view_name, "%s", name);
		cgroup.nviews++;
	}
}

/* The watchdog comes first, before the lock file or any directory exists
 * (it knows their names: they are planned): a launcher that dies at any
 * moment after leaves a watchdog to remove whatever it had made. */
static void create_cgroup(const struct options *o, int version)
{
	static char watch[4 * PATH_MAX];
	cgroup_name(o->hostname, cgroup.name, sizeof cgroup.name);
	cgroup.version = version;
	plan_cgroup_dirs(cgroup.name);
	plan_cgroup_views();
	limit_files_hint(watch, sizeof watch);
	stage(watch, "creating cgroup %s (cgroup v%d)", cgroup.name, version);
	start_watchdog();
	take_liveness_lock();
	make_cgroup_dirs();
	set_limits(o);
	open_join_fds();                /* for the child's move: Appendix F */
	if (version == 2 && (cgroup.dir_fd = open(cgroup.dir[0], O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die_errno("%s", cgroup.dir[0]);
	done();
}

/* 1024 open files, as most distributions give a login session; the hard
 * limit lets a program that knows it needs more raise it to 4096. */
#define OPEN_FILES_SOFT 1024
#define OPEN_FILES_HARD 4096

static void limit_open_files(void)
{
	struct rlimit files = { .rlim_cur = OPEN_FILES_SOFT, .rlim_max = OPEN_FILES_HARD };
	trace("setrlimit(RLIMIT_NOFILE, { .rlim_cur = %lu, .rlim_max = %lu })",
	      (unsigned long)files.rlim_cur, (unsigned long)files.rlim_max);
	if (setrlimit(RLIMIT_NOFILE, &files) < 0)
		die_errno("setrlimit(RLIMIT_NOFILE)");
}

/* ------------------------------------------------------------------------ *
 * 4. Clone + namespaces
 *
 * Each CLONE_NEW* flag gives the child a fresh, empty view of one kernel
 * resource: the table of namespaces in section 2 says which and why.  The
 * cgroup namespace comes later (section 5), once the child is inside its
 * cgroup, so that the container sees that cgroup as its root.
 *
 * All flags go in one clone() so that every new namespace is owned by the
 * new user namespace: that ownership is what later lets root-in-the-
 * container mount /proc and set its hostname, and nothing outside.
 *
 * The user namespace itself is owned by the effective uid of the process
 * that creates it, and the kernel charges per-user limits (inotify
 * instances and watches, fanotify groups, new namespaces: the files in
 * /proc/sys/user) at every level up to the host's, where they fall on that
 * owner.  Created by root, a container could use up root's share (128
 * inotify instances by default) and break `tail -f` for the host's root.
 * So the parent makes the clone with effective uid 100000, the container
 * root's own host uid (section 5), and can only use up its own.
 *
 * On cgroup v2 the call is clone3(2), which takes its arguments in a
 * struct and can do one thing more: CLONE_INTO_CGROUP starts the child
 * inside the container's cgroup, so it never has to be moved there (a move
 * takes a global lock, cgroup_threadgroup_rwsem, whose writer waits for an
 * RCU grace period: milliseconds on a quiet machine).  Kernels before 5.7
 * refuse the flag; then plain clone() it is, and the child moves itself in
 * (section 5).
 *
 * clone() without a new stack behaves like fork(): the child continues from
 * here on a copy of our memory.  Parent and child keep one end each of a
 * socketpair; the child blocks on it until the parent has finished the
 * parts only the parent can do (section 5).
 *
 * The signals a user sends to "the container" (kill, Ctrl-C) are blocked
 * from the start until there is a container to pass them on to; the parent
 * then forwards them (section 10), and so does the -i init (section 9).
 * ------------------------------------------------------------------------ */

static const int forwarded_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

/* The container runs in a session of its own (section 9), outside the
 * caller's terminal's process groups: what the terminal sends (Ctrl-C, a
 * window resize, a hang-up: si_code SI_KERNEL) reaches only the launcher,
 * which passes it on to the container's process group, as the terminal
 * would have done (a shell's foreground job gets its Ctrl-C); what someone
 * sends with kill() goes to the process alone.  Under -i the init passes
 * signals on itself, so it alone gets them. */
static void forward_signal(int sig, siginfo_t *info, void *context)
{
	(void)context;
	if (sig == SIGINT || sig == SIGTERM) {
		stop_signals++;
		last_stop_signal = sig;
	}
	if (forward_to > 0)
		kill(info->si_code == SI_KERNEL && !forward_to_init ? -forward_to : forward_to, sig);
}

static void forward_signals_to(pid_t pid)
{
	struct sigaction sa = { .sa_sigaction = forward_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	sigemptyset(&sa.sa_mask);
	forward_to = pid;
	for (size_t i = 0; i < LEN(forwarded_signals); i++)
		sigaction(forwarded_signals[i], &sa, NULL);
}

static void block_forwarded_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < LEN(forwarded_signals); i++)
		sigaddset(&set, forwarded_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Switch the effective uid, and with it the user namespace's owner (see
 * above), keeping every permitted capability effective: the kernel clears
 * the effective set when the effective uid leaves 0 (capabilities(7)), and
 * gives it back, from the permitted set, when it returns to 0. */
static void set_effective_uid(uid_t euid)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2];
	trace("setresuid(-1, %u, -1)%s", (unsigned)euid, euid ? "; capset(effective = permitted)" : "");
	if (setresuid(-1, euid, -1) < 0)
		die_errno("setting the effective uid to %u", (unsigned)euid);
	if (euid == 0)
		return;
	if (syscall(SYS_capget, &header, caps) < 0)
		die_errno("capget");
	caps[0].effective = caps[0].permitted;
	caps[1].effective = caps[1].permitted;
	if (syscall(SYS_capset, &header, caps) < 0)
		die_errno("capset");
}

/* Returns the child's pid in the parent, 0 in the child. */
static pid_t clone_container(int sockets[2], unsigned long shared)
{
	unsigned long flags = 0;
	char names[256];
	long pid = -1;
	stage(NULL, "cloning a child into new namespaces");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0)
		die_errno("socketpair");
	trace("socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0, [%d, %d])", sockets[0], sockets[1]);
	for (size_t i = 0; i < LEN(namespaces); i++)
		if (namespaces[i].flag != CLONE_NEWCGROUP && !(shared & namespaces[i].flag))
			flags |= namespaces[i].flag;
	clone_flag_names(flags, names, sizeof names);
	fflush(stderr);
	set_effective_uid(HOST_ID_BASE);
	if (cgroup.version == 2) {
		struct clone_args args = {
			.flags = flags | CLONE_INTO_CGROUP,
			.exit_signal = SIGCHLD,
			.cgroup = cgroup.dir_fd,
		};
		trace("clone3({ %s|CLONE_INTO_CGROUP, exit_signal = SIGCHLD, cgroup = %d (%s) })",
		      names, cgroup.dir_fd, cgroup.dir[0]);
		cgroup.born_inside = true;   /* now: the child gets memory as it is at the call */
		pid = syscall(SYS_clone3, &args, sizeof args);
		if (pid < 0 && (errno == ENOSYS || errno == E2BIG || errno == EINVAL))
			cgroup.born_inside = false;  /* kernel < 5.7: below */
	}
	if (!cgroup.born_inside) {
		trace("clone(%s|SIGCHLD, stack=NULL)", names);
		pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	}
	if (pid != 0)
		set_effective_uid(0);
	if (pid < 0 && errno == EPERM)
		die("clone: the kernel refused the new namespaces (Operation not permitted). It "
		    "refuses a user namespace to a process inside a chroot, and where a security "
		    "module or sysctl forbids them: run contained from the host's own root");
	if (pid < 0)
		die_errno("clone");
	if (pid == 0) {
		in_container = true;
		close(sockets[0]);
		close_launcher_fds();
		return 0;
	}
	close(sockets[1]);
	container_pid = pid;
	done();
	if (!quiet)
		fprintf(stderr, "=> container is pid %ld on the host\n", pid);
	pause_after("lsns -p %1$d   # PID %1$d: a new namespace; another PID: the host's");
	return pid;
}

/* ------------------------------------------------------------------------ *
 * 5. User map sync
 *
 * A new user namespace starts with no ids mapped: the child's uid shows as
 * 65534 and it may not create files.  Someone privileged in the *parent*
 * namespace must write /proc/PID/uid_map and gid_map, once each
 * (user_namespaces(7)).  We map container 0..65535 to host 100000..165535:
 * the container's root is host uid 100000, an unprivileged nobody should it
 * ever escape, and 65536 ids include 65534, the traditional "nobody".
 * (setgroups stays allowed: the parent is privileged, and the child needs
 * setgroups() to shed the host's supplementary groups.)
 *
 * Files in the rootfs are owned by host root, which the container cannot
 * map; its root could not even write /etc.  An idmapped mount fixes that
 * without chown -R: the parent clones the rootfs mount (open_tree), marks
 * it with the child's user namespace (mount_setattr MOUNT_ATTR_IDMAP), so
 * host uid 0 on disk reads as container uid 0 and back, and passes the
 * detached mount to the child over the socket (SCM_RIGHTS).  Only the
 * parent may do this: it needs CAP_SYS_ADMIN over the host.
 * mount_setattr(2), Documentation/filesystems/idmappings.rst.
 *
 * Then the go-ahead message, which carries the mount, lets the child go
 * on.  Unless clone3 started it inside its cgroup (section 4), it moves
 * itself in (Appendix F says why it, not the parent); then it enters a new
 * cgroup namespace, rooted there.
 * ------------------------------------------------------------------------ */

/* "0 100000 65536\n": inside-id, outside-id, count. */
static int format_id_map(char *buf, size_t size, unsigned inside, unsigned outside, unsigned count)
{
	return snprintf(buf, size, "%u %u %u\n", inside, outside, count);
}

/* UID_MAP and GID_MAP (lines as format_id_map() makes them) into PID's
 * /proc/PID/uid_map and gid_map, each in a single write(2), as the kernel
 * wants.  Returns NULL, or the file that failed ("uid_map", "gid_map")
 * with errno set. */
static const char *write_proc_id_maps(pid_t pid, const char *uid_map, const char *gid_map)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
	if (write_file(path, "%s", uid_map) < 0)
		return "uid_map";
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
	if (write_file(path, "%s", gid_map) < 0)
		return "gid_map";
	return NULL;
}

static void write_id_maps(pid_t pid)
{
	char map[64];
	stage("cat /proc/%1$d/uid_map; grep -E '^(Uid|Gid):' /proc/%1$d/status",
	      "mapping container ids 0-%u to host ids %u-%u",
	      CONTAINER_IDS - 1, HOST_ID_BASE, HOST_ID_BASE + CONTAINER_IDS - 1);
	format_id_map(map, sizeof map, 0, HOST_ID_BASE, CONTAINER_IDS);
	const char *failed = write_proc_id_maps(pid, map, map);
	if (failed)
		die_errno("writing /proc/%d/%s", (int)pid, failed);
	done();
}

/* A detached copy of the mount at FD (open_tree(2)).  With USERNS >= 0 it
 * is idmapped with that namespace (NO_IDMAP: not); ATTR adds other
 * MOUNT_ATTR_* flags.  Returns the tree, or -1 with errno from
 * mount_setattr(2). */
#define NO_IDMAP (-1)

static int detached_copy(int fd, int userns, unsigned long long attr)
{
	trace("open_tree(%d, \"\", AT_EMPTY_PATH|OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_RECURSIVE)", fd);
	int tree = syscall(SYS_open_tree, fd, "", AT_EMPTY_PATH | OPEN_TREE_CLONE |
			   OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0)
		die_errno("open_tree: cannot copy a mount (Linux 5.2 or later needed)");
	/* nodev, nosuid: a rootfs or host directory may hold device nodes and
	 * set-id files, which must not work inside (see clone_rootfs_mount) */
	struct mount_attr_arg a = {
		.attr_set = attr | MOUNT_ATTR_NODEV_VALUE | MOUNT_ATTR_NOSUID_VALUE,
		.userns_fd = userns,
	};
	if (userns >= 0)
		a.attr_set |= MOUNT_ATTR_IDMAP;
	trace("mount_setattr(%d, \"\", AT_EMPTY_PATH|AT_RECURSIVE, { %sMOUNT_ATTR_NODEV|"
	      "MOUNT_ATTR_NOSUID%s, userns_fd = %d })", tree, userns >= 0 ? "MOUNT_ATTR_IDMAP|" : "",
	      attr & MOUNT_ATTR_RDONLY ? "|MOUNT_ATTR_RDONLY" : "", userns);
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) < 0) {
		int saved = errno;
		close(tree);
		errno = saved;
		return -1;
	}
	return tree;
}

/* Returns a detached copy of the rootfs mount for the child (private, as it
 * is copied from the launcher's private namespace), nodev and nosuid (an
 * image can carry device nodes, which through the idmap would open for the
 * container's root, and set-id files), and idmapped where the kernel and
 * filesystem allow it.  Without an idmap (kernel < 5.12, or a
 * filesystem without support) one warning line: the container still runs,
 * but its root sees the rootfs as owned by nobody. */
static int clone_rootfs_mount(int rootfs, pid_t pid)
{
	char path[64];
	stage(NULL,     /* the mount is detached: mounting the rootfs shows it */
	      "idmapping the rootfs for the container's user namespace");
	snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
	int userns = open(path, O_RDONLY | O_CLOEXEC);
	if (userns < 0)
		die_errno("%s", path);
	int tree = detached_copy(rootfs, userns, 0);
	int saved = errno;
	close(userns);
	if (tree >= 0) {
		close(rootfs);         /* its last use: from now on, the copy */
		done();
		return tree;
	}
	if ((tree = detached_copy(rootfs, NO_IDMAP, 0)) < 0)
		die_errno("mount_setattr: cannot make the rootfs nodev and nosuid (Linux 5.12 or later needed)");
	close(rootfs);
	skipped("no idmapped mount for the rootfs (%s); the container's root will see its "
		"files as owned by nobody and cannot change them", strerror(saved));
	return tree;
}

/* DATA (LEN bytes, at least one: a message must carry some) and the
 * descriptor FD over the unix socket SOCK (SCM_RIGHTS, unix(7)); the
 * receiver gets its own copy.  Returns 0, or -1 with errno. */
static int send_descriptor(int sock, int fd, const void *data, size_t len)
{
	struct iovec iov = { (void *)data, len };
	union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof control.buf,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	trace("sendmsg(%d, { %zu bytes, SCM_RIGHTS [%d] })", sock, len, fd);
	return sendmsg(sock, &msg, 0) == (ssize_t)len ? 0 : -1;
}

/* The go-ahead: one byte, and the rootfs mount. */
static void send_go_ahead(int sock, int tree)
{
	if (send_descriptor(sock, tree, "", 1) < 0)
		die_errno("sending the go-ahead");
	close(tree);
}

/* The other end of send_descriptor(): one byte and one descriptor, or -1
 * (end of file: the sender is gone; or a message with no descriptor). */
static int receive_descriptor(int sock)
{
	char byte;
	int fd;
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof control.buf,
	};
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Child side: block until the go-ahead; returns the rootfs mount.  End of
 * file means the parent died before finishing. */
static int wait_for_go_ahead(int sock)
{
	int fd = receive_descriptor(sock);
	if (fd < 0)
		give_up_quietly();
	return fd;
}

/* The child guards itself against two things until exec:
 *  - outliving the launcher: PR_SET_PDEATHSIG kills it when the parent dies.
 *    If the parent is already gone the signal will never come, so check:
 *    the parent's end of the socket closing is the sign.
 *  - being inspected: a non-dumpable process's /proc/PID files (mem, fd,
 *    exe, root) are closed to other users, so the container's own processes
 *    cannot reach the launcher's memory or binary through it.
 * The kernel resets both whenever the process's uid or gid changes
 * (prctl(2)), so this runs again after every change of identity.  (A
 * command that clears its parent-death signal itself outlives nothing: the
 * watchdog of section 3 kills the whole cgroup.) */
static void rearm_child_guards(int sock)
{
	char byte;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_DUMPABLE, 0);
	if (recv(sock, &byte, 1, MSG_DONTWAIT | MSG_PEEK) == 0)
		give_up_quietly();
}

/* Now mapped, the child takes up the identity of the namespace's root and
 * sheds the host's supplementary groups (root's group 0 among them, which
 * would otherwise still open root-group files)... */
static void take_namespace_root_identity(void)
{
	trace("setresgid(0, 0, 0); setresuid(0, 0, 0); setgroups(0, NULL)");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		die_errno("becoming root of the new user namespace");
	if (setgroups(0, NULL) < 0)
		die_errno("setgroups");
}

/* ...and enters a new cgroup namespace rooted at its own cgroup. */
static void become_root_in_userns(int sock)
{
	stage("grep -E '^(Uid|Gid):' /proc/%1$d/status; lsns -t cgroup -p %1$d",
	      "becoming root of the new user namespace and entering a cgroup namespace");
	take_namespace_root_identity();
	rearm_child_guards(sock);
	trace("unshare(CLONE_NEWCGROUP)");
	if (unshare(CLONE_NEWCGROUP) < 0)
		die_errno("unshare(CLONE_NEWCGROUP)");
	done();
}

/* ------------------------------------------------------------------------ *
 * 6. Mounts + pivot_root
 *
 * The child has a copy of the launcher's mount table, private like the
 * launcher's own (section 2): no mount event travels between the host and
 * the container in either direction.
 *
 * The rootfs arrives from the parent as a detached mount (section 5).  The
 * child attaches it on top of its own / (move_mount(2)) and steps into it
 * with fchdir(): it never walks the rootfs's path, which may run through a
 * home directory that container root (host uid 100000) cannot enter.
 *
 * /proc, /sys and /dev are mounted inside it *before* the pivot, while the
 * host's /proc is still in view: the kernel lets a user namespace mount
 * proc or sysfs only when a fully visible one is already there (otherwise a
 * fresh mount could uncover what an administrator had hidden under a
 * mount).  The rootfs is not ours to trust: an unpacked image may hold a
 * symlink where /proc or /dev should be, absolute or climbing with "..", to
 * aim our mounts somewhere else.  So every target is looked up from the
 * rootfs descriptor with openat2(RESOLVE_IN_ROOT|RESOLVE_NO_SYMLINKS), a
 * symlink on the way is an error, and the mount goes onto exactly the
 * directory found, through its descriptor (/proc/self/fd/N).
 *
 * pivot_root(".", ".") with the rootfs as the working directory stacks the
 * old root on top of the new one; umount2(".", MNT_DETACH) then lifts it
 * off (pivot_root(2), NOTES).  No temporary directory is needed, and the
 * old root is not just hidden, it is gone from this namespace: chroot
 * tricks and ".." cannot climb back to it.  chroot(2) alone only moves a
 * process's idea of / and is famously escapable.
 *
 * After the pivot, /proc files that describe the host rather than the
 * process are covered: kcore (physical memory), kallsyms (kernel
 * addresses), keys, timer_list, sched_debug and others; and /proc/sys,
 * sysrq-trigger, irq, bus and the other host-wide directories are made
 * read-only (the two tables in mask_host_proc_files()).  Last, the new UTS namespace gets the
 * container's hostname and the new network namespace its loopback, up.
 * ------------------------------------------------------------------------ */

/* Look PATH ("/proc", "/dev/pts") up inside the rootfs, from the descriptor
 * ROOT, refusing symlinks anywhere on the way (openat2(2)).  Returns an
 * O_PATH descriptor, or -1 with errno: ENOENT if nothing is there, ELOOP
 * for a symlink, ENOSYS before Linux 5.6. */
static int resolve_in_rootfs(int root, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	return syscall(SYS_openat2, root, path, &how, sizeof how);
}

static void die_unresolvable(const char *path) __attribute__((noreturn));
static void die_unresolvable(const char *path)
{
	if (errno == ELOOP)
		die("%s in the rootfs is a symlink, or lies under one; contained mounts "
		    "only onto real directories and files: replace it with a directory", path);
	die_errno("%s in the rootfs", path);
}

/* The same, for a place that must be there: anything else ends the launch. */
static int open_in_rootfs(int root, const char *path)
{
	int fd = resolve_in_rootfs(root, path);
	if (fd < 0)
		die_unresolvable(path);
	return fd;
}

/* For a place that may be missing (ENOENT); a symlink still ends the launch. */
static bool present_in_rootfs(int root, const char *path)
{
	int fd = resolve_in_rootfs(root, path);
	if (fd < 0 && errno == ENOENT)
		return false;
	if (fd < 0)
		die_unresolvable(path);
	close(fd);
	return true;
}

/* Mount flags that a less privileged namespace may not clear on a mount it
 * copied (the kernel locks them): a read-only remount must repeat them. */
static unsigned long locked_flags(int fd)
{
	struct statvfs sv;
	unsigned long flags = 0;
	if (fstatvfs(fd, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME) flags |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME) flags |= MS_RELATIME;
	return flags;
}

/* "\"proc\"", or "NULL", for -v's traces. */
static const char *quoted(const char *s, char *buf, size_t size)
{
	snprintf(buf, size, s ? "\"%s\"" : "NULL", s);
	return buf;
}

/* mount(2) onto TARGET in the rootfs, through the descriptor that
 * open_in_rootfs() found: the kernel follows /proc/self/fd/N to exactly that
 * directory, with no second walk of the path.  A remount names the mount
 * on top, which is what a fresh lookup finds. */
static void mount_in_rootfs(const char *src, int root, const char *target, const char *type,
			    unsigned long flags, const char *data)
{
	char names[256], fdpath[32], s[128], t[64], d[128];
	int fd = open_in_rootfs(root, target);
	if (flags & MS_REMOUNT)
		flags |= locked_flags(fd);
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
	trace("mount(%s, \"%s\" (%s), %s, %s, %s)", quoted(src, s, sizeof s), fdpath, target,
	      quoted(type, t, sizeof t), mount_flag_names(flags, names, sizeof names),
	      quoted(data, d, sizeof d));
	if (mount(src, fdpath, type, flags, data) < 0) {
		if (errno == EPERM && type && (!strcmp(type, "proc") || !strcmp(type, "sysfs")))
			die("mount %s on %s: the kernel refused (Operation not permitted). A user "
			    "namespace may mount %s only where the host's own is fully visible; "
			    "inside another container (Docker, Kubernetes) parts of it are "
			    "covered or read-only: run contained on the host", type, target, type);
		die_errno("mount %s on %s", src ? src : type ? type : "", target);
	}
	close(fd);
}

static void bind_in_rootfs(const char *src, int root, const char *target)
{
	mount_in_rootfs(src, root, target, NULL, MS_BIND | MS_REC, NULL);
}

/* A bind mount is made read-only by a second call, a remount of it. */
static void bind_readonly_in_rootfs(const char *src, int root, const char *target)
{
	bind_in_rootfs(src, root, target);
	mount_in_rootfs(NULL, root, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

/* Create PATH in the rootfs unless it exists: the directory above it is
 * looked up as any mount target is, and mkdirat() never follows a symlink
 * in the last component (one there is refused when it is mounted on). */
static void make_dir_in_rootfs(int root, const char *path, mode_t mode)
{
	char parent[PATH_MAX];
	const char *name = strrchr(path, '/') + 1;
	snprintf(parent, sizeof parent, "%.*s", (int)(name - path), path);
	int dir = open_in_rootfs(root, parent);
	if (mkdirat(dir, name, mode) < 0 && errno != EEXIST)
		die_errno("mkdir %s in the rootfs", path);
	close(dir);
}

static void put_rootfs_in_place(int tree)
{
	stage("findmnt -N %1$d -o TARGET,SOURCE,OPTIONS /   # idmapped: the ids are mapped",
	      "mounting the rootfs");
	trace("move_mount(%d, \"\", AT_FDCWD, \"/\", MOVE_MOUNT_F_EMPTY_PATH); fchdir(%d)", tree, tree);
	if (syscall(SYS_move_mount, tree, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die_errno("attaching the rootfs mount");
	if (fchdir(tree) < 0)
		die_errno("entering the rootfs");
	done();
}

/* The pseudo-filesystems every container gets, mounted in this order (a
 * table in the manner of systemd-nspawn's).  `mode` creates a missing
 * mount point. */
static const struct pseudo_mount {
	const char *type, *target;
	unsigned long flags;
	const char *data;
	mode_t mode;
	unsigned long owner;    /* a fresh one needs this namespace the container's (-S) */
} pseudo_mounts[] = {
	/* the container's own processes, from its PID namespace's view */
	{ "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555, CLONE_NEWPID },
	/* devices and drivers; read-only, and the network part shows the
	 * container's own interfaces */
	{ "sysfs", "/sys", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555, CLONE_NEWNET },
	/* a small /dev of our own, filled by mount_dev(); 512k holds device
	 * files and symlinks, not a place to store data */
	{ "tmpfs", "/dev", MS_NOSUID | MS_NOEXEC, "mode=0755,size=512k", 0755, 0 },
	/* a private devpts instance: the container sees only its own ptys */
	{ "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620", 0755, 0 },
	/* POSIX shared memory */
	{ "tmpfs", "/dev/shm", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777", 01777, 0 },
};

/* Device nodes made inside a user namespace do not work (its mounts are
 * implicitly nodev), so the few harmless ones are bind-mounted from the
 * host onto empty files in the new /dev. */
static void mount_dev(int root)
{
	static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	char host[32], target[32];
	int dev = open_in_rootfs(root, "/dev");
	for (size_t i = 0; i < LEN(devices); i++) {
		int fd = openat(dev, devices[i], O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0)
			die_errno("creating /dev/%s", devices[i]);
		close(fd);
		snprintf(host, sizeof host, "/dev/%s", devices[i]);
		snprintf(target, sizeof target, "/dev/%s", devices[i]);
		bind_in_rootfs(host, root, target);
	}
	for (size_t i = 0; i < LEN(links); i++)
		if (symlinkat(links[i][0], dev, links[i][1]) < 0)
			die_errno("symlink /dev/%s", links[i][1]);
	close(dev);
}

/* The container's own cgroup, read-only at /sys/fs/cgroup, so a user can
 * check their limits where they would look on any host.  On v1 a small
 * tmpfs (64k: it holds only directories) takes one directory per
 * hierarchy, as on the host: its own, and the cpuset and cpuacct views
 * (plan_cgroup_views, section 3). */
static void mount_cgroup(int root)
{
	const char *path = "/sys/fs/cgroup";
	if (cgroup.version == 2) {
		bind_readonly_in_rootfs(cgroup.dir[0], root, path);
		return;
	}
	mount_in_rootfs("tmpfs", root, path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			"mode=0755,size=64k");
	for (int i = 0; i < cgroup.ndirs; i++) {
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", path, cgroup.controller[i]);
		make_dir_in_rootfs(root, sub, 0755);
		bind_readonly_in_rootfs(cgroup.dir[i], root, sub);
	}
	for (int i = 0; i < cgroup.nviews; i++) {
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", path, cgroup.view_name[i]);
		make_dir_in_rootfs(root, sub, 0755);
		bind_readonly_in_rootfs(cgroup.view[i], root, sub);
	}
	mount_in_rootfs(NULL, root, path, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV |
			MS_NOEXEC, "mode=0755,size=64k");
}

static void bind_host_mount_instead(int root, const struct pseudo_mount *m);   /* -S: Appendix A */

static void mount_pseudo_filesystems(int root, unsigned long shared)
{
	stage("findmnt -N %1$d", "mounting /proc, /sys, /dev and the cgroup");
	for (size_t i = 0; i < LEN(pseudo_mounts); i++) {
		const struct pseudo_mount *m = &pseudo_mounts[i];
		make_dir_in_rootfs(root, m->target, m->mode);
		if (shared & m->owner)
			bind_host_mount_instead(root, m);
		else
			mount_in_rootfs(m->type, root, m->target, m->type, m->flags, m->data);
	}
	mount_dev(root);
	mount_cgroup(root);
	done();
}

static void pivot_into_rootfs(void)
{
	char cwd[16];
	stage("findmnt -N %1$d", "pivoting root");
	trace("pivot_root(\".\", \".\"); umount2(\".\", MNT_DETACH); chdir(\"/\")");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die_errno("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die_errno("detaching the old root");
	if (chdir("/") < 0)
		die_errno("chdir /");
	/* getcwd() answers "(unreachable)/..." for a directory outside our
	 * root: make sure the working directory really is the new / */
	if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, "/") != 0)
		die("working directory is outside the container after pivot_root");
	done();
}

/* A file missing from this kernel's /proc needs no mask; any other failure
 * to mask one ends the launch. */
static void mask_host_proc_files(int root)
{
	static const char *const hidden[] = {
		"/proc/kcore", "/proc/kallsyms", "/proc/keys", "/proc/key-users",
		"/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats",
		"/proc/kpagecount", "/proc/kpageflags",
		"/proc/kpagecgroup", "/proc/vmallocinfo", "/proc/iomem",
	};
	static const char *const readonly[] = {
		"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus",
		"/proc/fs", "/proc/acpi", "/proc/scsi",
	};
	stage("findmnt -N %1$d -R /proc", "masking host information in /proc");
	for (size_t i = 0; i < LEN(hidden); i++)
		if (present_in_rootfs(root, hidden[i]))
			bind_in_rootfs("/dev/null", root, hidden[i]);
	for (size_t i = 0; i < LEN(readonly); i++)
		if (present_in_rootfs(root, readonly[i]))
			bind_readonly_in_rootfs(readonly[i], root, readonly[i]);
	done();
}

/* The container's own hostname, and its loopback device up (a fresh network
 * namespace has lo, but down), and ping for its users.  A namespace shared
 * with the host (-S uts, -S net) is the host's business: neither is touched. */
static void set_hostname_and_loopback(const char *hostname, unsigned long shared)
{
	if ((shared & (CLONE_NEWUTS | CLONE_NEWNET)) == (CLONE_NEWUTS | CLONE_NEWNET))
		return;
	stage("nsenter -t %1$d -u hostname; nsenter -t %1$d -n ip -br link",
	      "setting hostname %s and bringing up lo", hostname);
	if (!(shared & CLONE_NEWUTS)) {
		trace("sethostname(\"%s\")", hostname);
		if (sethostname(hostname, strlen(hostname)) < 0)
			die_errno("sethostname");
	}
	if (shared & CLONE_NEWNET) {
		done();
		return;
	}
	trace("socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0); ioctl(SIOCGIFFLAGS, \"lo\"); "
	      "ioctl(SIOCSIFFLAGS, { \"lo\", flags|IFF_UP })");
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { .ifr_name = "lo" };
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die_errno("reading lo's flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die_errno("bringing lo up");
	close(s);
	/* ping without CAP_NET_RAW: ICMP datagram sockets, for the groups in
	 * this range (icmp(7)); the network namespace is the container's own,
	 * so this opens nothing on the host.  Before /proc/sys turns read-only
	 * (under -S pid it is the host's /proc, read-only from the start: then
	 * only root pings, as before). */
	if (write_file("/proc/sys/net/ipv4/ping_group_range", "0 %u", CONTAINER_IDS - 1) < 0 &&
	    errno != EROFS)
		die_errno("/proc/sys/net/ipv4/ping_group_range");
	done();
}

/* ------------------------------------------------------------------------ *
 * 6b. Files: bind mounts, a read-only or copy-on-write root, /etc/hosts
 *
 * -b HOST:CONTAINER puts a host file or directory into the container.  The
 * host path is the user's, and looked up once, by the launcher, before the
 * clone: open(O_PATH), then open_tree(OPEN_TREE_CLONE) copies the mount
 * that descriptor names into a detached tree, the same way the rootfs
 * travels (section 5), so the container gets exactly what was checked even
 * if the path is renamed meanwhile.  Copied from the launcher's private
 * namespace, the tree is private: nothing mounted under it later reaches
 * the host.  :ro is mount_setattr(MOUNT_ATTR_RDONLY) on the detached tree,
 * before the container can touch it: a write gets EROFS.  The container
 * path is resolved inside the rootfs like every other mount target and
 * created (directories, or an empty file for a file) when missing.
 *
 * Ownership.  Without an idmap the container sees the host's ids: the
 * invoking user's home, owned by host uid 1000, shows as owned by nobody,
 * since the container's ids are host 100000-165535.  An idmapped mount
 * (Documentation/filesystems/idmappings.rst) translates ids between disk
 * and caller: with a user namespace whose map is "X 100000+U 1", the file
 * owned by X on disk appears as owned by host 100000+U, which is the
 * container's uid U, and a file U creates is written as X.  So a directory
 * owned by the invoking user (SUDO_UID) is mapped onto the container's user,
 * and only that one id: everything else in it (root's files, say) still
 * shows as nobody, so the container's root never gains host root's
 * ownership of anything.  A filesystem that cannot be idmapped gets one
 * warning line.  The namespace that carries the map is a throwaway: a
 * child of the launcher unshares one, the launcher writes its map, keeps
 * the /proc/PID/ns/user descriptor and lets the child go.
 *
 * -r remounts the container's / read-only (MS_REMOUNT|MS_BIND|MS_RDONLY
 * on that mount alone), after /tmp and /run got small tmpfs mounts of
 * their own (/dev/shm already has one).  tmpfs pages are charged to the
 * memory cgroup of the process that writes them, so these count against -M.
 *
 * -o makes / an overlayfs (Documentation/filesystems/overlayfs.rst), so
 * that the container may change anything and the rootfs nothing.  An
 * overlay merges a lower layer (the rootfs), only ever read, and an upper
 * layer, where every change lands: a written lower file is first copied
 * up, a deleted one hidden by a "whiteout" in upper/.  work/, on upper/'s
 * filesystem, is overlay's scratch directory, where a copy-up is assembled
 * before it is renamed into place.  The merged view is the container's /.
 * upper/ and work/ live in a tmpfs (charged to -M, gone with the
 * container), or with -o DIR in DIR/upper and DIR/work (Docker overlay2's
 * layout), where the changes stay.  The launcher, as host root, builds it:
 * the aside above build_overlay() says why.
 *
 * /etc/hosts and /etc/hostname: programs look their own hostname up in
 * /etc/hosts (sudo, `hostname -f`), and the rootfs's knows nothing of a
 * generated name.  The container gets its own two files, in a 16k tmpfs of
 * its own, bind-mounted over the rootfs's for the run; the rootfs's files
 * are never written (a missing one gets an empty file to mount over).
 * ------------------------------------------------------------------------ */

/* A user namespace that exists only to carry UID_MAP and GID_MAP (lines
 * of user_namespaces(7)'s "inside outside count") for an idmapped mount.
 * Returns a descriptor of it (/proc/PID/ns/user). */
static int idmap_userns(const char *uid_map, const char *gid_map)
{
	int ready[2], hold[2];
	char path[64], byte;
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(hold, O_CLOEXEC) < 0)
		die_errno("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0) {
		close(hold[1]);
		byte = unshare(CLONE_NEWUSER) == 0;
		if (write(ready[1], &byte, 1) == 1)
			while (read(hold[0], &byte, 1) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	if (read(ready[0], &byte, 1) != 1 || !byte)
		die("cannot create a user namespace for an idmapped mount");
	const char *failed = write_proc_id_maps(pid, uid_map, gid_map);
	if (failed)
		die_errno("writing /proc/%d/%s", (int)pid, failed);
	snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
	int userns = open(path, O_RDONLY | O_CLOEXEC);
	if (userns < 0)
		die_errno("%s", path);
	close(ready[0]);
	close(hold[1]);
	waitpid(pid, NULL, 0);
	return userns;
}

/* The host user who ran sudo, or -1 (run by root itself). */
static long invoking_user(const char *var)
{
	unsigned long long id;
	const char *s = getenv(var);
	return s && parse_number(s, UINT_MAX - 1, &id) == 0 && id != 0 ? (long)id : -1;
}

/* Parent, before the clone: every -b host path opened once and copied. */
static void prepare_binds(struct options *o, const struct identity *id)
{
	long host_uid = invoking_user("SUDO_UID"), host_gid = invoking_user("SUDO_GID");
	int userns = -1;
	if (!o->nbinds)
		return;
	stage(NULL, "opening %d bind mount%s", o->nbinds, o->nbinds > 1 ? "s" : "");
	for (int i = 0; i < o->nbinds; i++) {
		struct bind *b = &o->binds[i];
		struct stat st;
		trace("open(\"%s\", O_PATH|O_CLOEXEC)", b->host);
		int fd = open(b->host, O_PATH | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0)
			die_errno("-b %s: the host path", b->host);
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			die("-b %s: not a directory or regular file; only those can be bound "
			    "(a device or socket would hand the host's to the container)", b->host);
		unsigned long long ro = b->readonly ? MOUNT_ATTR_RDONLY : 0;
		bool map = host_uid > 0 && st.st_uid == (uid_t)host_uid;
		if (map && userns < 0) {
			char uid_map[64], gid_map[64];
			format_id_map(uid_map, sizeof uid_map, host_uid, HOST_ID_BASE + id->uid, 1);
			format_id_map(gid_map, sizeof gid_map, host_gid > 0 ? host_gid : host_uid,
				      HOST_ID_BASE + id->gid, 1);
			userns = idmap_userns(uid_map, gid_map);
		}
		b->tree = detached_copy(fd, map ? userns : NO_IDMAP, ro);
		if (b->tree < 0 && map) {
			warn("-b %s: this filesystem cannot be idmapped (%s); its files keep their "
			     "host owners, which the container sees as nobody", b->host, strerror(errno));
			b->tree = detached_copy(fd, NO_IDMAP, ro);
		}
		if (b->tree < 0)
			die_errno("-b %s: making the copy%s", b->host, ro ? " read-only" : "");
		close(fd);
	}
	if (userns >= 0)
		close(userns);
	done();
}

/* upper/ and work/ in DIR (an O_PATH descriptor), made when missing and
 * never through a symlink; WHERE names DIR in messages.  A new upper/ is
 * the container's root's: it is the merged root directory. */
static void make_upper_and_work(int dir, const char *where)
{
	static const char *const subdirs[] = { "upper", "work" };
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	for (size_t i = 0; i < LEN(subdirs); i++) {
		int made = mkdirat(dir, subdirs[i], 0755);
		if (made < 0 && errno != EEXIST)
			die_errno("%s: mkdir %s", where, subdirs[i]);
		/* Opened once and changed through the descriptor: a name looked
		 * up again could meanwhile be a hard link to any file. */
		trace("openat2(%d, \"%s\", O_DIRECTORY|O_NOFOLLOW, RESOLVE_BENEATH|"
		      "RESOLVE_NO_SYMLINKS)", dir, subdirs[i]);
		int sub = syscall(SYS_openat2, dir, subdirs[i], &how, sizeof how);
		if (sub < 0 || fstat(sub, &st) < 0)
			die_errno("%s: %s must be a directory, not a symlink or other file",
				  where, subdirs[i]);
		if (made == 0 && st.st_uid != geteuid())
			die("%s: the %s directory just made was replaced by one owned by uid %u; "
			    "make sure no one else can write in %s", where, subdirs[i],
			    (unsigned)st.st_uid, where + 3);
		if (made == 0 && i == 0) {
			trace("fchown(%d, %u, %u)", sub, HOST_ID_BASE, HOST_ID_BASE);
			if (fchown(sub, HOST_ID_BASE, HOST_ID_BASE) < 0)
				die_errno("%s: chown %s", where, subdirs[i]);
		}
		close(sub);
	}
}

/* Whether the directory FD is ANCESTOR or lies below it, walking ".."
 * up to the host's root (mount points included). */
static bool is_under(int fd, const struct stat *ancestor)
{
	struct stat st, top;
	bool found = false;
	int at = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (at < 0 || stat("/", &top) < 0)
		die_errno("walking up from a directory");
	while (!found && fstat(at, &st) == 0) {
		found = st.st_dev == ancestor->st_dev && st.st_ino == ancestor->st_ino;
		if (st.st_dev == top.st_dev && st.st_ino == top.st_ino)
			break;
		int parent = openat(at, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(at);
		if ((at = parent) < 0)
			die_errno("walking up from a directory");
	}
	close(at);
	return found;
}

/* What overlay said when it refused (the messages fsconfig(2) leaves on
 * the context FS, read(2) one at a time), "; "-separated in BUF, "" when
 * nothing. */
static const char *overlay_said(int fs, char *buf, size_t size)
{
	char msg[256];
	size_t len = 0;
	buf[0] = '\0';
	for (ssize_t n; (n = read(fs, msg, sizeof msg - 1)) > 0 && len < size;) {
		msg[n] = '\0';
		len += snprintf(buf + len, size - len, "%s%s", len ? "; " : "",
				msg[1] == ' ' ? msg + 2 : msg);
	}
	return buf;
}

/* The mount point of a mount inside the tree whose root TREE is (its
 * parent, by /proc/self/mountinfo's ids), in BUF; false when none. */
static bool first_submount(int tree, char *buf, size_t size)
{
	char info[512], *line = NULL, point[PATH_MAX];
	size_t cap = 0;
	long id, parent, tree_id = -1;
	bool found = false;
	snprintf(point, sizeof point, "/proc/self/fdinfo/%d", tree);
	const char *mnt_id = read_file(point, info, sizeof info) == 0 ? strstr(info, "mnt_id:") : NULL;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!mnt_id || sscanf(mnt_id, "mnt_id: %ld", &tree_id) != 1 || !f)
		die_errno("-o: reading the rootfs's mounts (/proc/self/mountinfo)");
	while (!found && getline(&line, &cap, f) > 0)
		found = sscanf(line, "%ld %ld %*s %*s %4095s", &id, &parent, point) == 3 &&
			parent == tree_id;
	free(line);
	fclose(f);
	if (found)
		snprintf(buf, size, "%s", point);
	return found;
}

/* Parent, before the clone, for -o DIR: DIR/upper and DIR/work made when
 * missing, and DIR copied for build_overlay().  Returns the tree, or -1
 * without -o DIR. */
static int prepare_overlay_dir(const struct options *o, int rootfs)
{
	/* Where overlay can keep an upper layer (trusted.* attributes,
	 * whiteouts, rename): a disk filesystem or tmpfs.  Not a pseudo
	 * filesystem, where mkdir means something else (a new cgroup, a
	 * trace instance), nor another overlay. */
	static const struct { unsigned long magic; const char *name; } usable[] = {
		{ EXT4_SUPER_MAGIC, "ext4" }, { XFS_SUPER_MAGIC, "xfs" },
		{ BTRFS_SUPER_MAGIC, "btrfs" }, { F2FS_SUPER_MAGIC, "f2fs" },
		{ 0x2fc12fc1, "zfs" }, { 0xca451a4e, "bcachefs" }, { TMPFS_MAGIC, "tmpfs" },
	};
	char where[PATH_MAX + 8];
	struct stat st, root_st;
	struct statfs sfs;
	if (!o->overlay_dir)
		return -1;
	stage(NULL, "preparing %s/upper and %s/work for -o", o->overlay_dir, o->overlay_dir);
	snprintf(where, sizeof where, "-o %s", o->overlay_dir);
	/* O_RDONLY, not O_PATH: flock(2) and readdir need an open directory */
	int dir = open(o->overlay_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		die_errno("%s: expected an existing directory to keep the upper layer in", where);
	/* One container per DIR: two overlays on one upper/ corrupt each
	 * other, and the kernel only warns.  The lock belongs to this open
	 * file, never closed: the watchdog, forked later, shares it, so it
	 * lasts until the container's cgroup is gone even if the launcher is
	 * killed (flock(2)). */
	trace("open(\"%s\", O_RDONLY|O_DIRECTORY); flock(LOCK_EX|LOCK_NB)", o->overlay_dir);
	if (flock(dir, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			die("%s: in use by another container (its upper layer serves one overlay "
			    "at a time); wait for that container to end, or give this one another "
			    "directory", where);
		die_errno("%s: locking it", where);
	}
	/* Who may write in DIR may swap upper/ or work/ under host root.
	 * Group write is the owner's alone when the group is the invoker's
	 * private one (a umask of 002, as Fedora and Ubuntu give users, makes
	 * every new directory group-writable): in the host's /etc/group it
	 * bears the user's name and lists no members. */
	long invoker = invoking_user("SUDO_UID");
	const char *user = getenv("SUDO_USER");
	bool private_group = false;
	if (fstat(dir, &st) < 0)
		die_errno("%s", where);
	if ((st.st_mode & S_IWGRP) && invoker > 0 && (long)st.st_uid == invoker && user) {
		int host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		char *group = host >= 0 ? read_account_file(host, "/etc/group") : NULL, *save, *f[4];
		unsigned long long gid;
		for (char *line = group ? strtok_r(group, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save))
			if (split_fields(line, f, 4) && parse_number(f[2], UINT_MAX, &gid) == 0 &&
			    gid == st.st_gid)
				private_group = !strcmp(f[0], user) && !f[3][0];
		free(group);
		close(host);
	}
	if ((st.st_uid != 0 && (long)st.st_uid != invoker) || (st.st_mode & S_IWOTH) ||
	    ((st.st_mode & S_IWGRP) && !private_group))
		die("%s: owned by uid %u, mode %04o; expected a directory owned by root or by "
		    "you and writable by its owner alone (or your own group), so that no one "
		    "else can swap what the launcher, as root, makes in it: chmod go-w, or "
		    "choose another", where, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	if (fstatfs(dir, &sfs) < 0)
		die_errno("%s", where);
	char names[128] = "";
	size_t fs = 0, len = 0;
	for (; fs < LEN(usable) && (unsigned long)sfs.f_type != usable[fs].magic; fs++)
		len += snprintf(names + len, sizeof names - len, "%s%s", fs ? ", " : "",
				usable[fs].name);
	if (fs == LEN(usable))
		die("%s: on a filesystem of type 0x%lx (`stat -f` names it), which overlay "
		    "cannot keep an upper layer on; choose a directory on one of %s", where,
		    (unsigned long)sfs.f_type, names);
	/* Not the rootfs, nor in it (upper/ and work/ would change it), nor
	 * above it (overlay empties work/work, as host root) */
	if (fstat(rootfs, &root_st) < 0)
		die_errno("-m %s", o->rootfs);
	bool inside = is_under(dir, &root_st), above = is_under(rootfs, &st);
	if (inside || above)
		die("%s: %s the rootfs (-m %s), %s; keep the upper layer in a directory of "
		    "its own, outside the rootfs", where, inside ? "is, or lies inside," : "holds",
		    o->rootfs, inside ? "which the overlay must leave unchanged" :
		    "and overlay empties what it finds in work/, as host root");
	/* Empty, or what an earlier -o DIR left: upper/ and work/ alone */
	DIR *d = fdopendir(dup(dir));
	if (!d)
		die_errno("%s: reading it", where);
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		bool ours = !strcmp(e->d_name, "upper") || !strcmp(e->d_name, "work");
		if (!ours)
			die("%s: holds %s; expected an empty directory, or one with only the "
			    "upper/ and work/ of an earlier -o run: give -o a new, empty directory "
			    "(mkdir)", where, e->d_name);
		if (fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			die_errno("%s/%s", o->overlay_dir, e->d_name);
		if (!S_ISDIR(st.st_mode))
			die("%s: %s is not a directory but %s; expected upper/ and work/ "
			    "directories of an earlier -o run, or nothing: remove it", where,
			    e->d_name, S_ISLNK(st.st_mode) ? "a symlink" : S_ISREG(st.st_mode) ?
			    "a file" : S_ISFIFO(st.st_mode) ? "a FIFO" : "a special file");
	}
	closedir(d);
	make_upper_and_work(dir, where);
	int tree = detached_copy(dir, NO_IDMAP, 0);
	if (tree < 0)
		die_errno("%s: making a nodev, nosuid copy", where);
	done();
	warn_if_reachable(dir, "-o", o->overlay_dir);
	return tree;
}

/* A fresh tmpfs as a detached mount (fsopen(2), fsmount(2)), nodev and
 * nosuid, OPTIONS a comma-separated list like "size=16k,mode=0755".  The
 * child's belong to its user namespace; build_overlay()'s to the host's. */
static int new_tmpfs(const char *options)
{
	char opts[128];
	snprintf(opts, sizeof opts, "%s", options);
	trace("fsopen(\"tmpfs\", FSOPEN_CLOEXEC); fsconfig(FSCONFIG_SET_STRING) for each of "
	      "\"%s\"; fsconfig(FSCONFIG_CMD_CREATE); fsmount(FSMOUNT_CLOEXEC, "
	      "MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV)", options);
	int fs = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC_VALUE);
	if (fs < 0)
		die_errno("fsopen tmpfs");
	for (char *save, *opt = strtok_r(opts, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');
		*eq = '\0';
		if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, opt, eq + 1, 0) < 0)
			die_errno("tmpfs option %s", opt);
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		die_errno("creating a tmpfs");
	int mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID_VALUE |
			  MOUNT_ATTR_NODEV_VALUE);
	if (mnt < 0)
		die_errno("fsmount tmpfs");
	close(fs);
	return mnt;
}

/* Attach the detached mount MNT onto TARGET in the rootfs (move_mount(2)
 * from one descriptor to another: no path is walked twice). */
static void attach_in_rootfs(int mnt, int root, const char *target)
{
	int fd = open_in_rootfs(root, target);
	trace("move_mount(%d, \"\", %d (%s), \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH)",
	      mnt, fd, target);
	if (syscall(SYS_move_mount, mnt, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH |
		    MOVE_MOUNT_T_EMPTY_PATH) < 0)
		die_errno("attaching a mount on %s in the rootfs", target);
	close(fd);
}

/* Child: attach MNT on DIR for a moment, as a place to build from: a bind
 * source or an overlay layer must be a mount in the caller's namespace
 * (Linux 6.1 refuses detached ones).  detach_temporary() takes it away
 * again; what was built from it keeps it alive. */
static void attach_temporarily(int mnt, int root, const char *dir)
{
	attach_in_rootfs(mnt, root, dir);
}

/* Detach the mount whose root MNT is (umount2(2), MNT_DETACH). */
static void detach_temporary(int mnt)
{
	char path[32];
	snprintf(path, sizeof path, "/proc/self/fd/%d", mnt);
	trace("umount2(\"%s\", MNT_DETACH)", path);
	if (umount2(path, MNT_DETACH) < 0)
		die_errno("detaching a staging mount");
	close(mnt);
}

/* Child, with the rootfs in place and before /dev is mounted: N files of
 * the launcher's making, NAMES[i] holding TEXTS[i], bound over the
 * rootfs's /etc/NAME for the run.  They are written in a 16k tmpfs of
 * their own, attached on /dev for the moment (a bind source must be a
 * mount of ours).  The rootfs's files are never written: a missing one
 * gets an empty file to mount over, and one that is not a regular file is
 * kept, with a warning.  Returns false, having done nothing, when the
 * rootfs has no /etc. */
static bool bind_over_etc(int root, const char *const names[], const char *const texts[],
			  size_t n)
{
	char target[PATH_MAX], source[32];
	int etc = resolve_in_rootfs(root, "/etc");
	if (etc < 0)
		return false;
	int mnt = new_tmpfs("size=16k,mode=0755");
	for (size_t i = 0; i < n; i++) {
		int fd = openat(mnt, names[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 || dprintf(fd, "%s", texts[i]) < 0)
			die_errno("writing the container's /etc/%s", names[i]);
		close(fd);
	}
	make_dir_in_rootfs(root, "/dev", 0755);
	attach_temporarily(mnt, root, "/dev");
	for (size_t i = 0; i < n; i++) {
		snprintf(target, sizeof target, "/etc/%s", names[i]);
		int fd = openat(etc, names[i], O_CREAT | O_WRONLY | O_NOFOLLOW | O_NONBLOCK |
				O_CLOEXEC, 0644);
		if (fd < 0) {
			warn("%s in the rootfs is not a regular file (%s); the container keeps it",
			     target, strerror(errno));
			continue;
		}
		close(fd);
		int src = openat(mnt, names[i], O_PATH | O_CLOEXEC);
		snprintf(source, sizeof source, "/proc/self/fd/%d", src);
		bind_in_rootfs(source, root, target);
		close(src);
	}
	detach_temporary(mnt);
	close(etc);
	return true;
}

/* The name the container knows itself by, where its programs look it up
 * (see above). */
static void bind_own_etc_hosts(int root, const char *hostname)
{
	static const char *const names[] = { "hosts", "hostname" };
	char hosts[512], name[80];
	stage("grep /etc/host /proc/%1$d/mountinfo", "giving the container its own /etc/hosts "
	      "and /etc/hostname");
	snprintf(hosts, sizeof hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
		 "ip6-loopback\n127.0.1.1\t%s\n", hostname);
	snprintf(name, sizeof name, "%s\n", hostname);
	const char *const texts[] = { hosts, name };
	if (!bind_over_etc(root, names, texts, LEN(names))) {
		skipped("the rootfs has no /etc");
		return;
	}
	done();
}

/* ---- Aside: why host root builds the overlay (skip on a first reading) ---
 * Overlay records what upper/ hides in extended attributes (a directory
 * that replaces a deleted lower one is marked "opaque").  An overlay
 * mounted inside a user namespace must keep them as user.* attributes, and
 * tmpfs stores those only since Linux 6.6: on 6.1 (Debian 12) removing a
 * rootfs directory fails with EIO.  So the launcher builds
 * the overlay, as host root (as Docker's engine does), and overlay uses
 * trusted.* attributes, which tmpfs and the disk filesystems store and
 * only host root can set: neither a rootfs nor a container can forge one.
 *
 * Host root as the builder costs the container nothing and gives it
 * nothing.  The lower layer is the container's idmapped copy of the rootfs
 * (overlay takes idmapped layers since Linux 5.19), so it shows the same
 * owners as without -o; files the container creates in upper/ belong to
 * its host ids (100000 and up), never to host root.  Overlay checks every
 * access twice, the caller against the merged file and the mounter against
 * the layer's file; with host root as the mounter the second always
 * passes, so the container may do exactly what its own ids and
 * capabilities allow.  The overlay is nodev and nosuid like the rootfs
 * copy, and goes to the child in its place.  Page cache and tmpfs pages are
 * charged to the memory cgroup of the process that writes them, not the
 * one that mounted the tmpfs, so the container's writes to / still count
 * against -M.
 * ------------------------------------------------------------------------ */

/* Parent, after clone_rootfs_mount() (section 5), for -o: the overlay of
 * LOWER, the idmapped rootfs, and upper/ and work/ in UPPER_TREE (-o DIR)
 * or in a fresh tmpfs the size of the memory limit, as a detached mount
 * (fsmount(2)) that goes to the child in the rootfs's place; LOWER and
 * UPPER_TREE are closed.  The layers must be mounts in the builder's
 * namespace (Linux 6.1 refuses detached ones), so they are attached for
 * the moment in a scratch mount namespace: LOWER on the host's /dev there,
 * the upper layer on the rootfs's /dev.  Leaving that namespace ends it,
 * and those two mounts with it; the overlay keeps private copies of its
 * layers. */
static int build_overlay(int lower, int upper_tree, unsigned long long memory)
{
	char opts[64], layer[3][32];
	static const char *const keys[3] = { "lowerdir", "upperdir", "workdir" };
	stage(NULL,     /* the overlay is detached: mounting the rootfs shows it */
	      "building a copy-on-write root (overlayfs)");
	int staging = upper_tree;
	if (staging < 0) {
		snprintf(opts, sizeof opts, "size=%llu,mode=0755", memory);
		staging = new_tmpfs(opts);
		make_upper_and_work(staging, "-o: the overlay's tmpfs");
	}
	if (!present_in_rootfs(lower, "/dev"))
		die("-o: the rootfs has no /dev directory, which the overlay is built on; "
		    "create one (mkdir ROOTFS/dev)");
	int home = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (home < 0 || cwd < 0)
		die_errno("/proc/self/ns/mnt, or the working directory");
	trace("unshare(CLONE_NEWNS); move_mount(%d, \"\", AT_FDCWD, \"/dev\", "
	      "MOVE_MOUNT_F_EMPTY_PATH)", lower);
	if (unshare(CLONE_NEWNS) < 0)
		die_errno("unshare(CLONE_NEWNS)");
	if (syscall(SYS_move_mount, lower, "", AT_FDCWD, "/dev", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die_errno("attaching the rootfs in a scratch mount namespace");
	/* The lower layer is the rootfs's own mount alone: a mount inside it
	 * would be left out, and what it covers shown.  Attached on /dev here,
	 * so the mount point is named from "/dev" on. */
	char sub[PATH_MAX];
	if (first_submount(lower, sub, sizeof sub))
		die("-o: the rootfs has a mount on %s, which an overlay cannot carry (its lower "
		    "layer is the rootfs's own filesystem: the container would see what lies "
		    "under that mount instead); leave out -o, or unmount it and give the "
		    "container that directory with -b HOST_PATH:%s", sub + 4, sub + 4);
	attach_in_rootfs(staging, lower, "/dev");
	int upper = openat(staging, "upper", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int work = openat(staging, "work", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (upper < 0 || work < 0)
		die_errno("opening the overlay's upper and work directories");
	int fds[3] = { lower, upper, work };
	trace("fsopen(\"overlay\", FSOPEN_CLOEXEC)");
	int fs = syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC_VALUE);
	if (fs < 0)
		die_errno("fsopen overlay: this kernel has no overlayfs (CONFIG_OVERLAY_FS)");
	/* the layers, then features a host may turn on for every overlay
	 * (module parameters) spelled out: an index, metadata-only copy-up and
	 * directory redirects would each change what upper/ holds */
	static const char *const fixed[][2] = {
		{ "index", "off" }, { "metacopy", "off" }, { "redirect_dir", "nofollow" },
	};
	char said[512], release[64], *minor;
	for (size_t i = 0; i < 3 + LEN(fixed); i++) {
		if (i < 3)
			snprintf(layer[i], sizeof layer[i], "/proc/self/fd/%d", fds[i]);
		const char *key = i < 3 ? keys[i] : fixed[i - 3][0];
		const char *value = i < 3 ? layer[i] : fixed[i - 3][1];
		trace("fsconfig(%d, FSCONFIG_SET_STRING, \"%s\", \"%s\")", fs, key, value);
		if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0) == 0)
			continue;
		int saved = errno;
		overlay_said(fs, said, sizeof said);
		errno = saved;
		if (i == 1 || i == 2)
			die_errno("-o%s: overlay refused %s/ as its %s%s%s%s; %s", upper_tree >= 0 ?
				  " DIR" : "", i == 1 ? "upper" : "work", key, said[0] ? " (" : "",
				  said, said[0] ? ")" : "", upper_tree >= 0 ? "choose a DIR on ext4, "
				  "xfs, btrfs or tmpfs" : "this kernel's overlay lacks a feature");
		die_errno("-o: overlay %s=%s%s%s%s", key, i < 3 ? "(the rootfs)" : value,
			  said[0] ? " (" : "", said, said[0] ? ")" : "");
	}
	trace("fsconfig(%d, FSCONFIG_CMD_CREATE)", fs);
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int saved = errno;
		overlay_said(fs, said, sizeof said);
		/* idmapped layers: Linux 5.19 and later */
		bool old = read_file("/proc/sys/kernel/osrelease", release, sizeof release) == 0 &&
			   strtol(release, &minor, 10) * 1000 + strtol(minor + 1, NULL, 10) < 5019;
		errno = saved;
		die_errno("-o: creating the overlay%s%s%s%s", said[0] ? " (" : "", said,
			  said[0] ? ")" : "", old ? "; Linux 5.19 or later is needed for an "
			  "idmapped lower layer" : "");
	}
	/* nodev, nosuid, as on the rootfs (see clone_rootfs_mount) */
	trace("fsmount(%d, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV|MOUNT_ATTR_NOSUID)", fs);
	int merged = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV_VALUE |
			     MOUNT_ATTR_NOSUID_VALUE);
	if (merged < 0)
		die_errno("fsmount overlay");
	int all[] = { fs, upper, work, staging, lower };
	for (size_t i = 0; i < LEN(all); i++)
		close(all[i]);
	/* setns(2) moves the working directory to / as well: back to ours */
	trace("setns(%d, CLONE_NEWNS): the scratch namespace ends; fchdir(%d)", home, cwd);
	if (setns(home, CLONE_NEWNS) < 0 || fchdir(cwd) < 0)
		die_errno("returning to the launcher's mount namespace");
	close(home);
	close(cwd);
	done();
	return merged;
}

/* Create PATH in the rootfs as mkdir -p would, the last component a
 * directory or, with A_FILE, an empty file; each step looked up as
 * make_dir_in_rootfs() does.  FOR names what asked, in the error. */
enum last_component { A_DIRECTORY, A_FILE };
static void make_path_in_rootfs(int root, const char *path, enum last_component last, const char *for_what)
{
	char prefix[PATH_MAX];
	for (const char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		snprintf(prefix, sizeof prefix, "%.*s", (int)(p - path), path);
		if (!present_in_rootfs(root, prefix)) {
			const char *name = strrchr(prefix, '/') + 1;
			char parent[PATH_MAX];
			snprintf(parent, sizeof parent, "%.*s", (int)(name - prefix), prefix);
			int dir = open_in_rootfs(root, parent);
			int rc = (*p || last == A_DIRECTORY) ? mkdirat(dir, name, 0755) :
				 openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (rc < 0 && errno != EEXIST)
				die_errno("creating %s in the container for %s", prefix, for_what);
			if (rc >= 0 && !*p && last == A_FILE)
				close(rc);
			close(dir);
		}
		if (!*p)
			break;
	}
}

/* -r, right after the rootfs is in place: the mounts under it that came
 * along with it (open_tree copies a tree of mounts) read-only now, with a
 * recursive mount_setattr(2); / itself only at the end of
 * mount_binds_and_readonly_root(), once the launcher's mount points are
 * made.  (A / the host mounted read-only stays so.) */
static void make_rootfs_submounts_readonly(int tree)
{
	struct mount_attr_arg ro = { .attr_set = MOUNT_ATTR_RDONLY }, rw = { .attr_clr = MOUNT_ATTR_RDONLY };
	struct statvfs sv;
	trace("mount_setattr(%d, \"\", AT_EMPTY_PATH|AT_RECURSIVE, { MOUNT_ATTR_RDONLY }); "
	      "mount_setattr(%d, \"\", AT_EMPTY_PATH, { clear MOUNT_ATTR_RDONLY }) unless / "
	      "was read-only already", tree, tree);
	if (fstatvfs(tree, &sv) < 0 ||
	    syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof ro) < 0 ||
	    (!(sv.f_flag & ST_RDONLY) &&
	     syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &rw, sizeof rw) < 0))
		die_errno("-r: making the rootfs's own mounts read-only");
}

/* Child, after the pseudo-filesystems, before the pivot. */
static void mount_binds_and_readonly_root(int root, const struct options *o)
{
	static const struct { const char *target, *mode; } scratch[] = {
		{ "/tmp", "1777" }, { "/run", "0755" },
	};
	char data[64];
	if (!o->nbinds && !o->readonly_root)
		return;
	stage("grep -E ' / | /tmp ' /proc/%1$d/mountinfo", "mounting %s%s%s",
	      o->nbinds ? "the binds" : "", o->nbinds && o->readonly_root ? " and " : "",
	      o->readonly_root ? "a read-only / with a writable /tmp and /run" : "");
	for (size_t i = 0; o->readonly_root && i < LEN(scratch); i++) {
		snprintf(data, sizeof data, "mode=%s,size=%llu", scratch[i].mode, o->memory);
		make_dir_in_rootfs(root, scratch[i].target, 0755);
		mount_in_rootfs("tmpfs", root, scratch[i].target, "tmpfs", MS_NOSUID | MS_NODEV, data);
	}
	for (int i = 0; i < o->nbinds; i++) {
		const struct bind *b = &o->binds[i];
		struct stat st;
		bool dir = fstat(b->tree, &st) == 0 && S_ISDIR(st.st_mode);
		make_path_in_rootfs(root, b->target, dir ? A_DIRECTORY : A_FILE, "-b");
		attach_in_rootfs(b->tree, root, b->target);
		close(b->tree);
	}
	if (o->readonly_root)
		mount_in_rootfs(NULL, root, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	done();
}

/* Child, after the capabilities are dropped: -w, as the container's user
 * (who must be allowed in).  Symlinks inside the rootfs are followed, but
 * never out of it (RESOLVE_IN_ROOT). */
static void enter_workdir(int root, const char *dir)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	if (!dir)
		return;
	trace("openat2(%d, \"%s\", { O_PATH|O_DIRECTORY|O_CLOEXEC, RESOLVE_IN_ROOT|"
	      "RESOLVE_NO_MAGICLINKS }); fchdir", root, dir);
	int fd = syscall(SYS_openat2, root, dir, &how, sizeof how);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		die("-w %s: no such directory in the container; create it or pick another", dir);
	if (fd < 0 || fchdir(fd) < 0)
		die_errno("-w %s", dir);
	close(fd);
}

/* ------------------------------------------------------------------------ *
 * 7. Capabilities
 *
 * Root's power is split into ~41 capabilities (capabilities(7)).  Inside a
 * user namespace they only reach what the namespace owns, but kernel code
 * that checks them is a large attack surface, so the container keeps only
 * what an ordinary root needs to install packages and run services: a
 * keep-list, not a deny-list, so capabilities that a future kernel adds are
 * dropped too.  The bounding set (the ceiling for anything exec'd later,
 * setuid binaries included) is cut first, for every capability up to this
 * kernel's cap_last_cap; then the uid switch; then the capability sets
 * themselves.  A non-root -u loses all of them at setuid(), as the kernel
 * does for any root -> non-root transition.
 * ------------------------------------------------------------------------ */

static const cap_value_t kept_capabilities[] = {
	CAP_CHOWN,            /* chown files: package managers, tar */
	CAP_DAC_OVERRIDE,     /* root reads and writes files regardless of mode */
	CAP_FOWNER,           /* chmod/utime on files root does not own */
	CAP_FSETID,           /* keep setgid bits when root edits a file */
	CAP_KILL,             /* signal processes of other container users */
	CAP_SETGID,           /* su, daemons dropping privileges */
	CAP_SETUID,           /* likewise */
	CAP_NET_BIND_SERVICE, /* listen on ports below 1024 */
	CAP_SYS_CHROOT,       /* daemons that chroot for privilege separation */
};
/* Left out from Docker's default set: MKNOD (device nodes cannot work in a
 * user namespace), NET_RAW (raw sockets forge packets; a source of kernel
 * bugs), AUDIT_WRITE, SETFCAP and SETPCAP (nothing here needs them). */

static bool is_kept(int cap)
{
	for (size_t i = 0; i < LEN(kept_capabilities); i++)
		if (kept_capabilities[i] == cap)
			return true;
	return false;
}

static void drop_bounding_set(int cap_last_cap)
{
	trace("prctl(PR_CAPBSET_DROP, cap) for every cap 0..%d not kept; "
	      "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)", cap_last_cap);
	for (int cap = 0; cap <= cap_last_cap; cap++)
		if (!is_kept(cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			die_errno("dropping capability %d from the bounding set", cap);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		die_errno("clearing ambient capabilities");
}

/* The uid, gid and supplementary groups looked up in section 2b; the
 * host's groups were shed in section 5. */
static void become_user(const struct identity *id, int sock)
{
	trace("setgroups(%d, [%u...]); setresgid(%u, %u, %u); setresuid(%u, %u, %u)",
	      id->ngroups, (unsigned)id->groups[0], id->gid, id->gid, id->gid,
	      id->uid, id->uid, id->uid);
	if (setgroups(id->ngroups, id->groups) < 0 || setresgid(id->gid, id->gid, id->gid) < 0 ||
	    setresuid(id->uid, id->uid, id->uid) < 0)
		die_errno("switching to uid %u gid %u", id->uid, id->gid);
	rearm_child_guards(sock);
}

/* Permitted and effective: the keep-list for root, nothing for anyone else;
 * inheritable: nothing. */
static void set_kept_capabilities(unsigned uid)
{
	cap_t caps = cap_init();
	if (!caps)
		die_errno("cap_init");
	if (uid == 0) {
		int n = LEN(kept_capabilities);
		cap_set_flag(caps, CAP_PERMITTED, n, kept_capabilities, CAP_SET);
		cap_set_flag(caps, CAP_EFFECTIVE, n, kept_capabilities, CAP_SET);
	}
	char *text = cap_to_text(caps, NULL);
	trace("capset(\"%s\")", text);
	cap_free(text);
	if (cap_set_proc(caps) < 0)
		die_errno("setting capabilities");
	cap_free(caps);
}

static void drop_capabilities(int cap_last_cap, const struct identity *id, int sock)
{
	static char watch[1024];
	capabilities_hint(id->uid, watch, sizeof watch);
	stage(watch, "dropping capabilities and becoming uid %u", id->uid);
	drop_bounding_set(cap_last_cap);
	become_user(id, sock);
	set_kept_capabilities(id->uid);
	done();
}

/* ------------------------------------------------------------------------ *
 * 8. Seccomp
 *
 * Capabilities cannot stop every dangerous system call: some need none (
 * keyctl, userfaultfd, io_uring), and some are simply too much attack
 * surface for a container.  A seccomp filter (seccomp(2)) is a tiny BPF
 * program the kernel runs on every system call; ours answers EPERM to the
 * calls below and lets everything else through.
 *
 * This is a deny-list, chosen because it is short enough to read.  Real
 * runtimes (Docker, crun, runc) use an allow-list of the ~350 calls known
 * to be safe, so that a system call added by next year's kernel is refused
 * until someone has looked at it.  With a deny-list every new call (clone3,
 * fchmodat2, the mount API...) is a hole until it is added here.
 *
 * Rules that depend on arguments can only look at the registers: seccomp
 * cannot read memory.  So clone3() and openat2(), whose flags and mode live
 * in a struct in memory, are answered ENOSYS, what a kernel without them
 * would say, and the C library falls back to clone() and openat(), whose
 * arguments the filter can see.  ioctl() request numbers are 32 bits wide
 * but passed in a 64-bit register, so they are compared on the low 32 bits
 * only: the kernel ignores the high bits, and so must the match.
 *
 * One thing a container leaves behind for the host is files, and set-id
 * files are the dangerous kind.  Through the idmapped rootfs (section 5)
 * container root owns its files on disk as host root, and container uid
 * 1000 as host uid 1000, so a set-user-ID or set-group-ID program made in
 * here runs as them for any host user who can reach the rootfs; the
 * container's no_new_privs does not follow the file out.  A mode reaches
 * the kernel through the calls that create files (open, openat, creat,
 * mknod, mknodat) and those that change one (chmod, fchmod, fchmodat,
 * fchmodat2); each is refused when its mode has S_ISUID or S_ISGID.
 *
 * System calls from another ABI (32-bit int 0x80, x32) would bypass a
 * filter written for x86-64 numbers; libseccomp kills the process for any
 * architecture not in the filter.  no_new_privs, required for an
 * unprivileged filter and set explicitly here, also makes setuid binaries
 * powerless.  The filter is the last thing installed before exec, so the
 * launcher's own set-up calls are not subject to it.
 *
 * libseccomp is a compiler: it turns the tables below into a BPF program,
 * and the kernel only ever sees that program (an array of struct
 * sock_filter; `seccomp_export_pfc` would print it as text).
 * ------------------------------------------------------------------------ */

#define CALL(name) SCMP_SYS(name), #name

/* Refused whatever the arguments.  ENOSYS rows pretend the call does not
 * exist, so that callers fall back to one the filter can judge. */
static const struct denied_call {
	int nr;
	const char *name;
	int errnum;
	const char *why;
} denied_calls[] = {
	{ CALL(keyctl),            EPERM,  "the kernel keyring is not namespaced" },
	{ CALL(add_key),           EPERM,  "the kernel keyring is not namespaced" },
	{ CALL(request_key),       EPERM,  "the kernel keyring is not namespaced" },

	{ CALL(ptrace),            EPERM,  "reads and rewrites another process" },
	{ CALL(process_vm_readv),  EPERM,  "reads another process's memory, as ptrace" },
	{ CALL(process_vm_writev), EPERM,  "writes another process's memory, as ptrace" },
	{ CALL(pidfd_getfd),       EPERM,  "copies another process's descriptor, as ptrace" },
	{ CALL(kcmp),              EPERM,  "compares another process's kernel objects, as ptrace" },
	{ CALL(process_madvise),   EPERM,  "pages out another process's memory, as ptrace" },

	{ CALL(userfaultfd),       EPERM,  "stalls the kernel mid-copy: the core of many exploits" },
	{ CALL(perf_event_open),   EPERM,  "kernel profiling, host-wide" },
	{ CALL(bpf),               EPERM,  "programs run inside the kernel" },
	{ CALL(io_uring_setup),    EPERM,  "a second system call interface the filter cannot see" },
	{ CALL(io_uring_enter),    EPERM,  "a second system call interface the filter cannot see" },
	{ CALL(io_uring_register), EPERM,  "a second system call interface the filter cannot see" },
	{ CALL(fanotify_init),     EPERM,  "watches file access; nothing in a container needs it" },

	{ CALL(kexec_load),        EPERM,  "replaces the running kernel" },
	{ CALL(kexec_file_load),   EPERM,  "replaces the running kernel" },
	{ CALL(init_module),       EPERM,  "extends the running kernel" },
	{ CALL(finit_module),      EPERM,  "extends the running kernel" },
	{ CALL(delete_module),     EPERM,  "shrinks the running kernel" },
	{ CALL(reboot),            EPERM,  "the host's power switch" },

	{ CALL(swapon),            EPERM,  "the host's swap" },
	{ CALL(swapoff),           EPERM,  "the host's swap" },
	{ CALL(acct),              EPERM,  "the host's process accounting" },
	{ CALL(settimeofday),      EPERM,  "the host's clock" },
	{ CALL(clock_settime),     EPERM,  "the host's clock" },
	{ CALL(clock_adjtime),     EPERM,  "the host's clock" },
	{ CALL(adjtimex),          EPERM,  "the host's clock" },

	{ CALL(open_by_handle_at), EPERM,  "opens an inode by number, skipping the path walk" },
	{ CALL(name_to_handle_at), EPERM,  "the numbers open_by_handle_at takes" },

	{ CALL(fsopen),            EPERM,  "the new mount API, outside the old mount checks" },
	{ CALL(fsconfig),          EPERM,  "the new mount API, outside the old mount checks" },
	{ CALL(fsmount),           EPERM,  "the new mount API, outside the old mount checks" },
	{ CALL(fspick),            EPERM,  "the new mount API, outside the old mount checks" },
	{ CALL(open_tree),         EPERM,  "the new mount API, outside the old mount checks" },
	{ CALL(move_mount),        EPERM,  "the new mount API, outside the old mount checks" },
	{ CALL(mount_setattr),     EPERM,  "the new mount API, outside the old mount checks" },

	{ CALL(setns),             EPERM,  "joins another namespace" },
	{ CALL(clone3),            ENOSYS, "flags in memory: libc falls back to clone" },
	{ CALL(openat2),           ENOSYS, "mode in memory: libc falls back to openat" },

	{ CALL(mbind),             EPERM,  "NUMA policy: starves or pins the host's memory nodes" },
	{ CALL(migrate_pages),     EPERM,  "NUMA policy: starves or pins the host's memory nodes" },
	{ CALL(move_pages),        EPERM,  "NUMA policy: starves or pins the host's memory nodes" },
	{ CALL(set_mempolicy),     EPERM,  "NUMA policy: starves or pins the host's memory nodes" },
	{ CALL(set_mempolicy_home_node), EPERM, "NUMA policy: starves or pins the host's memory nodes" },
};

/* How an argument rule reads its argument. */
enum test {
	EQUALS,             /* (argument & mask) == value */
	ANY_BIT,            /* any bit of mask is set */
	ANY_BIT_BUT_QUERY,  /* likewise, unless the low 32 bits are all set */
};

/* Refused for some values of one argument.  Other CLONE_NEW* flags than
 * CLONE_NEWUSER need CAP_SYS_ADMIN, which no one in the container has.
 *
 * Set-id files, the why: with S_ISGID and without group-execute, a file
 * keeps its bit through writes and chown (the kernel only clears it for
 * a caller that is not in the group and lacks CAP_FSETID, which root here
 * keeps), and gets group-execute later; so the bits are refused when a file
 * is made, not only when it is changed.  A mode is compared whatever the
 * flags: without O_CREAT or O_TMPFILE the kernel ignores it and the C
 * library passes 0, and O_TMPFILE, whose file is linked in later, is
 * covered.  mknod makes regular files too.  Not filtered: mkdir, whose
 * mode the kernel strips of S_ISGID itself; a set-group-ID directory (made
 * by inheritance) hands its group to new entries and the bit to new
 * subdirectories, never to a file (inode_init_owner).  Not in scope: set-id
 * programs the image ships.  They are its author's choice, link and
 * rename move the same file, and write() or chown() clears the bits (the
 * kernel keeps them only for CAP_FSETID in the host's namespace) -- but
 * two routes are out of any filter's reach: a write through a shared
 * mmap() keeps them, and an access ACL (setxattr) can grant execute while
 * keeping S_ISGID, and the filter sees neither the mapping's file nor the
 * attribute's name.  Keep an image with set-id programs where host users
 * cannot reach it (a parent directory of mode 0700).
 *
 * personality(): ADDR_NO_RANDOMIZE switches off address-space
 * randomisation, MMAP_PAGE_ZERO maps page zero (the way in for kernel
 * NULL-pointer bugs), READ_IMPLIES_EXEC makes data executable; the other
 * personas (PER_LINUX32, UNAME26) only change what uname() says.  But
 * personality(0xffffffff) is a query that sets every bit, and libseccomp
 * compares an argument once per rule: see deny_but_query(). */
static const struct arg_rule {
	int nr;
	const char *name;
	unsigned arg;
	enum test test;
	unsigned long long mask, value;
	int errnum;
	const char *why;
} arg_rules[] = {
	{ CALL(open),      2, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "creates a set-id file" },
	{ CALL(openat),    3, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "creates a set-id file" },
	{ CALL(creat),     1, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "creates a set-id file" },
	{ CALL(mknod),     1, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "creates a set-id file" },
	{ CALL(mknodat),   2, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "creates a set-id file" },
	{ CALL(chmod),     1, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "makes a file set-id" },
	{ CALL(fchmod),    1, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "makes a file set-id" },
	{ CALL(fchmodat),  2, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM, "makes a file set-id" },
	{ __NR_fchmodat2, "fchmodat2", 2, ANY_BIT, S_ISUID | S_ISGID, 0, EPERM,
	  "makes a file set-id (Linux 6.6; old filters miss it)" },

	{ CALL(unshare),   0, ANY_BIT, CLONE_NEWUSER, 0, EPERM,
	  "a nested user namespace hands out every capability again" },
	{ CALL(clone),     0, ANY_BIT, CLONE_NEWUSER, 0, EPERM,
	  "a nested user namespace hands out every capability again" },

	{ CALL(ioctl),     1, EQUALS, 0xffffffff, TIOCSTI, EPERM,
	  "types into the caller's terminal, to run after the container exits" },
	{ CALL(ioctl),     1, EQUALS, 0xffffffff, TIOCLINUX, EPERM,
	  "types into a virtual console" },

	{ CALL(socket),    0, EQUALS, 0xffffffff, AF_VSOCK, EPERM,
	  "vsock is not namespaced: it reaches the hypervisor and virtual machines" },

	{ CALL(personality), 0, ANY_BIT_BUT_QUERY,
	  ADDR_NO_RANDOMIZE | MMAP_PAGE_ZERO | READ_IMPLIES_EXEC, 0, EPERM,
	  "weakens the caller's own exploit defences, and its children's" },
};

/* One rule: refuse call NR when (argument ARG & MASK) == VALUE. */
static void deny(scmp_filter_ctx ctx, int nr, const char *name, int errnum, unsigned arg,
		 unsigned long long mask, unsigned long long value)
{
	struct scmp_arg_cmp cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, value);
	if (seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(errnum), nr, 1, &cmp) < 0)
		die("seccomp: cannot add a rule for %s", name);
}

/* A masked comparison matches all of its bits or nothing: "any of these
 * bits" takes one rule per bit. */
static void deny_any_bit(scmp_filter_ctx ctx, const struct arg_rule *r)
{
	for (unsigned long long bit = 1; bit && bit <= r->mask; bit <<= 1)
		if (r->mask & bit)
			deny(ctx, r->nr, r->name, r->errnum, r->arg, bit, bit);
}

/* "A bit of the mask is set, and some bit of the low 32 is clear", one
 * comparison per rule: the mask's lowest bit with each other bit clear in
 * turn (31 rules), then each other mask bit with that lowest one clear.
 * Every value but 0xffffffff that has a mask bit matches one of them. */
static void deny_but_query(scmp_filter_ctx ctx, const struct arg_rule *r)
{
	unsigned long long low = r->mask & -r->mask;
	for (unsigned long long bit = 1; bit <= 0xffffffffu; bit <<= 1) {
		if (bit != low)
			deny(ctx, r->nr, r->name, r->errnum, r->arg, low | bit, low);
		if (bit != low && (r->mask & bit))
			deny(ctx, r->nr, r->name, r->errnum, r->arg, bit | low, bit);
	}
}

static scmp_filter_ctx prepare_syscall_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		die("seccomp_init failed");
	for (size_t i = 0; i < LEN(denied_calls); i++) {
		const struct denied_call *d = &denied_calls[i];
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(d->errnum), d->nr, 0) < 0)
			die("seccomp: cannot add the rule for %s", d->name);
	}
	for (size_t i = 0; i < LEN(arg_rules); i++) {
		const struct arg_rule *r = &arg_rules[i];
		switch (r->test) {
		case EQUALS:
			deny(ctx, r->nr, r->name, r->errnum, r->arg, r->mask, r->value);
			break;
		case ANY_BIT:
			deny_any_bit(ctx, r);
			break;
		case ANY_BIT_BUT_QUERY:
			deny_but_query(ctx, r);
			break;
		}
	}
	return ctx;
}


static void install_syscall_filter(void)
{
	static char watch[2048];
	syscall_filter_hint(watch, sizeof watch);
	stage(watch, "installing the seccomp filter");
	trace_syscall_rules();
	scmp_filter_ctx ctx = prepare_syscall_filter();
	trace("prctl(PR_SET_NO_NEW_PRIVS, 1); seccomp(SECCOMP_SET_MODE_FILTER, 0, "
	      "{ %zu whole-call and %zu argument rules, compiled by libseccomp })",
	      LEN(denied_calls), LEN(arg_rules));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno("PR_SET_NO_NEW_PRIVS");
	int rc = seccomp_load(ctx);
	if (rc < 0)
		die("seccomp_load: %s", strerror(-rc));
	seccomp_release(ctx);
	done();
}

/* ------------------------------------------------------------------------ *
 * 9. Exec / PID 1
 *
 * The command gets a small, clean environment: the host's variables can
 * carry secrets (tokens, SSH agent sockets) and paths that mean nothing
 * inside.  Every descriptor but 0, 1 and 2 is closed (close_range(2)), so
 * nothing of the launcher's, such as a directory fd that leads out of the
 * rootfs, survives into the container.
 *
 * The first process of a PID namespace is its init, with two duties the
 * kernel gives no one else (pid_namespaces(7)): orphans are re-parented to
 * it, so it must reap them or they pile up as zombies; and it receives only
 * signals it has installed a handler for, so a plain `sleep` as PID 1
 * ignores SIGTERM and Ctrl-C.  Most commands were not written to be init.
 * With -i, a few lines below take the job: they run the command as PID 2,
 * forward signals to it and reap everything, and exit with its status.
 *
 * The caller's terminal stays out of the container's reach.  Without a
 * terminal of its own the container would keep it as its controlling
 * terminal, reachable at /dev/tty even with every descriptor redirected:
 * a process inside could make itself the terminal's foreground group,
 * read what the user types and change its settings.  A session of its own
 * has no controlling terminal (setsid(2), credentials(7)); the terminal's
 * signals (Ctrl-C) then reach only the launcher, which forwards them
 * (section 4).  Run from a terminal, the container gets a pty of its own
 * instead, the slave its controlling terminal and the parent relaying
 * bytes: Appendix C.
 * ------------------------------------------------------------------------ */

static void take_controlling_terminal(void);   /* Appendix C */

static void leave_callers_session(void)
{
	trace("setsid()");
	if (setsid() < 0)
		die_errno("setsid");
}

/* Before Linux 5.9 there is no close_range(): close one by one, up to the
 * hard limit of open files set in section 3. */
static void close_inherited_fds(void)
{
	if (syscall(SYS_close_range, 3, ~0u, 0) < 0)
		for (int fd = 3; fd < OPEN_FILES_HARD; fd++)
			close(fd);
}

/* The environment the command starts with: PATH; HOME, USER, LOGNAME and
 * SHELL from the identity (section 2b); TERM, which names the terminal the
 * container's programs draw on, the same one outside and in; then each -e
 * in order, so a later one wins: NAME=VALUE as given, a bare NAME with the
 * caller's value (left out when the caller has none, as Docker does). */
static void set_environment(const struct options *o, const struct identity *id)
{
	/* the caller's values are copied first: clearenv() takes away the
	 * strings getenv() pointed into.  kept[i] is -e NAME's, the last TERM */
	char *kept[MAX_ENV + 1] = { 0 };
	const char *term = getenv("TERM");
	kept[MAX_ENV] = term ? strdup(term) : NULL;
	for (int i = 0; i < o->nenv; i++) {
		const char *value = strchr(o->env[i], '=') ? NULL : getenv(o->env[i]);
		if (value && asprintf(&kept[i], "%s=%s", o->env[i], value) < 0)
			kept[i] = NULL;
	}
	clearenv();
	setenv("PATH", container_path, 1);
	setenv("HOME", id->home, 1);
	if (id->name[0]) {
		setenv("USER", id->name, 1);
		setenv("LOGNAME", id->name, 1);
	}
	if (id->shell[0])
		setenv("SHELL", id->shell, 1);
	if (kept[MAX_ENV])
		setenv("TERM", kept[MAX_ENV], 1);
	for (int i = 0; i < o->nenv; i++) {
		const char *entry = strchr(o->env[i], '=') ? o->env[i] : kept[i];
		if (entry)
			putenv((char *)entry);
	}
}

static void exec_command(char **argv, const struct options *o, const struct identity *id)
{
	set_environment(o, id);

	if (own_terminal)
		take_controlling_terminal();
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	trace("close_range(3, ~0U, 0); execve(\"%s\", ...) along PATH", argv[0]);
	fflush(NULL);
	close_inherited_fds();
	execvp(argv[0], argv);
	int saved = errno;
	fprintf(stderr, "contained: cannot execute %s: %s\n", argv[0], strerror(saved));
	if (saved == ENOENT)
		explain_missing_interpreter(argv[0]);
	_exit(saved == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* Exit status in the shell's convention: the code, or 128+N for signal N. */
static int exit_status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return EXIT_LAUNCHER;
}

/* Signals stay blocked (section 4) across the fork, so none is lost before
 * init knows whom to forward it to; the command unblocks them at exec.
 * init is the launcher's own code, still non-dumpable (rearm_child_guards), so
 * the container cannot reach the launcher's binary through /proc/1/exe. */
static void run_init(char **argv, const struct options *o, const struct identity *id)
{
	pid_t pid = fork();
	if (pid < 0 && errno == EAGAIN)
		die("-i: init cannot start the command: fork: %s; the process limit (-P) "
		    "counts init too", strerror(errno));
	if (pid < 0)
		die_errno("fork");
	if (pid == 0)
		exec_command(argv, o, id);
	/* init is the launcher's own image, and /proc/1/cmdline is readable by
	 * every process inside: it would show the launcher's command line,
	 * host paths and -e values included.  The command has its own copy by
	 * now; init's is overwritten, as is its name. */
	if (args_begin) {
		memset(args_begin, 0, args_end - args_begin);
		snprintf(args_begin, args_end - args_begin, "contained-init");
	}
	prctl(PR_SET_NAME, "contained-init");
	forward_signals_to(pid);
	close_inherited_fds();
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	for (;;) {
		int wstatus;
		pid_t reaped = waitpid(-1, &wstatus, 0);
		if (reaped == pid)
			_exit(exit_status_of(wstatus));
		if (reaped < 0 && errno == ECHILD)
			_exit(EXIT_LAUNCHER);
	}
}

/* ------------------------------------------------------------------------ *
 * 10. Cleanup
 *
 * The parent forwards the signals a user sends to "the container", the
 * terminal's own (Ctrl-C) too, since the container runs in a session of its
 * own (section 9; with a pty of its own, Ctrl-C is a byte the relay of
 * Appendix C passes in), and waits.  When the child is gone, the kernel has
 * already killed everything else in its PID namespace; the cgroup is then
 * emptied to be sure and removed.  die() runs the same cleanup, so no path
 * out of the launcher leaves a cgroup or a process behind.  A launcher
 * killed by SIGKILL cannot clean up: its watchdog does (section 3), and
 * should the watchdog be killed too, the next launcher's sweep.
 *
 * A command running as PID 1 without -i drops every signal it has no
 * handler for (section 9), so Ctrl-C and `kill` seem to do nothing.  The
 * launcher notices: when the container still runs half a second after a
 * SIGINT or SIGTERM and its PID 1 catches no such signal (SigCgt in
 * /proc/PID/status, proc(5)), it says why, once, and a second one within
 * 5 s kills the container (SIGKILL, which PID 1 cannot refuse from the
 * parent namespace).  To sleep until either the container ends or a
 * signal comes, it polls a pidfd (pidfd_open(2), Linux 5.3).
 *
 * Last, one line says how the run ended, read from the kernel rather than
 * guessed: the exit status or the killing signal, an out-of-memory kill
 * (oom_kill in memory.events or memory.oom_control, which counts also when
 * -i's init reported the kill as a status), and forks that the process
 * limit refused (pids.events' "max" counter).
 * ------------------------------------------------------------------------ */

/* The number after KEY on a line of its own: "oom_kill 2" in memory.events
 * (v2) or memory.oom_control (v1), "max 3" in pids.events.  0 if none. */
static long event_count(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return atol(p + n + 1);
	return 0;
}

static long oom_kill_count(const char *text)
{
	return event_count(text, "oom_kill");
}

/* 268435456 -> "256M" */
static void format_size(unsigned long long bytes, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%llu", bytes);
	else
		snprintf(buf, size, "%llu%c", bytes, units[u]);
}

static long container_oom_kills(void)
{
	char path[PATH_MAX + 32], text[1024];
	if (!cgroup_dir_of("memory"))
		return 0;
	snprintf(path, sizeof path, "%s/%s", cgroup_dir_of("memory"),
		 cgroup.version == 2 ? "memory.events" : "memory.oom_control");
	return read_file(path, text, sizeof text) == 0 ? oom_kill_count(text) : 0;
}

/* Forks the pids controller refused. */
static long container_fork_failures(void)
{
	char path[PATH_MAX + 32], text[256];
	if (!cgroup_dir_of("pids"))
		return 0;
	snprintf(path, sizeof path, "%s/pids.events", cgroup_dir_of("pids"));
	return read_file(path, text, sizeof text) == 0 ? event_count(text, "max") : 0;
}

/* What the launcher learned about the end of a run. */
struct ending {
	int wstatus;           /* the container's, from waitpid() */
	long oom_kills;        /* processes the OOM killer killed in its cgroup */
	long fork_failures;    /* forks refused at -P */
};

/* The end line, without its "=> ".  Under -i, init exits 128+N for a
 * command killed by signal N (section 9). */
static void describe_ending(const struct ending *e, const struct options *o, char *buf, size_t size)
{
	char limit[32];
	int status = exit_status_of(e->wstatus);
	int sig = WIFSIGNALED(e->wstatus) ? WTERMSIG(e->wstatus) :
		  o->init && status > 128 && status < 128 + NSIG ? status - 128 : 0;
	const char *name = sig ? sigabbrev_np(sig) : NULL;
	size_t len;
	format_size(o->memory, limit, sizeof limit);
	if (sig == SIGKILL && e->oom_kills > 0)
		len = snprintf(buf, size, "container was killed: out of memory (limit %s)", limit);
	else if (WIFSIGNALED(e->wstatus))
		len = snprintf(buf, size, "container was killed by SIG%s (status %d)", name ? name : "?", status);
	else if (sig && name)
		len = snprintf(buf, size, "container exited with status %d: -i's init saying the "
			       "command was killed by SIG%s", status, name);
	else
		len = snprintf(buf, size, "container exited with status %d", status);
	if (e->oom_kills > 0 && sig != SIGKILL && len < size)
		len += snprintf(buf + len, size - len, "; out of memory: the kernel killed %ld "
				"process%s (limit %s)", e->oom_kills, e->oom_kills > 1 ? "es" : "", limit);
	if (e->fork_failures > 0 && len < size)
		snprintf(buf + len, size - len, "; %ld fork%s refused at the process limit (-P %ld)",
			 e->fork_failures, e->fork_failures > 1 ? "s were" : " was", o->max_pids);
}

/* SIGKILL to every process listed in DIR's cgroup.procs, all of it. */
static void kill_listed(const char *dir)
{
	char path[PATH_MAX + 32];
	int pid;
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	FILE *procs = fopen(path, "re");
	if (!procs)
		return;
	while (fscanf(procs, "%d", &pid) == 1)
		kill(pid, SIGKILL);
	fclose(procs);
}

/* Remove one cgroup directory.  rmdir fails with EBUSY while processes
 * are in it, or dying ones are still being torn down, and a process that
 * was forking meanwhile may have added a child: kill what is there and try
 * again, each round (cgroup.kill on v2, 5.14+, which no fork can race; else
 * each pid listed in cgroup.procs), for up to 2 s (2000 rounds of 1 ms),
 * far longer than the teardown of even a large container takes. */
static void remove_cgroup_dir(const char *dir)
{
	char path[PATH_MAX + 32];
	int err = EBUSY;
	trace("rmdir(\"%s\"), killing what is left first if it is busy", dir);
	for (int tries = 0; tries < 2000; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return;
		if ((err = errno) != EBUSY)
			break;
		snprintf(path, sizeof path, "%s/cgroup.kill", dir);
		if (cgroup.version != 2 || write_file(path, "1") < 0)
			kill_listed(dir);
		usleep(1000);
	}
	fprintf(stderr, "contained: could not remove %s: %s\n", dir, strerror(err));
}

static void remove_network(void);            /* Appendix B */
static void restore_terminal(void);          /* Appendix C */

/* The state file (-x finds nothing more to enter), the directories, then
 * the lock file: a sweep finds nothing left. */
static void remove_cgroup(void)
{
	char lock[PATH_MAX];
	remove_network();                  /* -n, found by the cgroup's name */
	if (cgroup.name[0]) {
		state_path(cgroup.name, lock, sizeof lock);
		unlink(lock);
	}
	for (int i = 0; i < cgroup.ndirs; i++)
		remove_cgroup_dir(cgroup.dir[i]);
	cgroup.ndirs = 0;
	if (cgroup.name[0]) {
		lock_path(cgroup.name, lock, sizeof lock);
		unlink(lock);
		cgroup.name[0] = '\0';
	}
}

static void cleanup_and_exit(int status)
{
	if (in_container)
		_exit(status);
	restore_terminal();
	if (container_pid > 0) {
		kill(container_pid, SIGKILL);
		while (waitpid(container_pid, NULL, 0) < 0 && errno == EINTR)
			;
		container_pid = 0;
	}
	remove_cgroup();
	stop_watchdog();
	exit(status);
}

/* Whether process PID has a handler for SIG (SigCgt: a hex mask, bit N-1). */
static bool catches(pid_t pid, int sig)
{
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	const char *caught = read_file(path, text, sizeof text) == 0 ? strstr(text, "\nSigCgt:") : NULL;
	return caught && (strtoull(caught + strlen("\nSigCgt:"), NULL, 16) >> (sig - 1)) & 1;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

#define IGNORED_AFTER_MS  500    /* still running this long after SIGINT/SIGTERM */
#define SECOND_SIGNAL_MS 5000    /* a second one within this kills */

/* A command running as PID 1 that ignores the user's Ctrl-C (or SIGTERM)
 * leaves them stuck: say so once, and let a second one kill the container. */
struct stop_watch {
	long asked_at, armed_at;   /* ms: a signal to check on; the window for a second */
	int seen;
	bool told;
};

/* After each wake-up of a waiting loop: a new SIGINT/SIGTERM is checked
 * IGNORED_AFTER_MS later (still running, no handler?), and a second one
 * within SECOND_SIGNAL_MS of that finding kills.  Returns how long the
 * caller may sleep before the next check (ms), or -1 for as long as it
 * likes.  Nothing to do under -i, whose init forwards and handles. */
static long watch_stop_signals(struct stop_watch *w, bool init)
{
	if (init)
		return -1;
	if (stop_signals != w->seen) {
		w->seen = stop_signals;
		if (w->armed_at && now_ms() - w->armed_at < SECOND_SIGNAL_MS) {
			if (!quiet)
				fputs("=> a second one: killing the container (SIGKILL)\n", stderr);
			kill(container_pid, SIGKILL);
		}
		w->asked_at = now_ms();
	}
	if (!w->asked_at)
		return -1;
	long left = w->asked_at + IGNORED_AFTER_MS - now_ms();
	if (left > 0)
		return left;
	w->asked_at = 0;
	siginfo_t running = { .si_pid = 0 };
	if (waitid(P_PID, container_pid, &running, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	    running.si_pid != 0 || catches(container_pid, last_stop_signal))
		return -1;
	w->armed_at = now_ms();
	if (!w->told && !quiet)
		fprintf(stderr, "=> the container ignored SIG%s: its PID 1 has no handler for it, "
			"and PID 1 gets only the signals it handles; press Ctrl-C again within "
			"%d s to kill it, or run the command under -i\n",
			sigabbrev_np(last_stop_signal), SECOND_SIGNAL_MS / 1000);
	w->told = true;
	return -1;
}

/* A timespec for ppoll() from milliseconds; NULL for "no timeout". */
static struct timespec *ms_timeout(long ms, struct timespec *t)
{
	if (ms < 0)
		return NULL;
	*t = (struct timespec){ ms / 1000, ms % 1000 * 1000000 };
	return t;
}

/* Sleep until the container ends or a signal comes; returns its wait
 * status.  The forwarded signals are blocked except inside ppoll(), so
 * their handler (section 4) runs only there and no count is missed. */
static int watch_container(const struct options *o, const sigset_t *old_mask)
{
	int wstatus;
	int pidfd = syscall(SYS_pidfd_open, container_pid, 0);
	if (pidfd < 0) {                   /* before Linux 5.3: wait, and watch nothing */
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		while (waitpid(container_pid, &wstatus, 0) < 0)
			if (errno != EINTR)
				die_errno("waitpid");
		return wstatus;
	}
	struct stop_watch w = { 0 };
	struct timespec t;
	long left = -1;
	pid_t reaped;
	while ((reaped = waitpid(container_pid, &wstatus, WNOHANG)) != container_pid) {
		if (reaped < 0)
			die_errno("waitpid");
		struct pollfd p = { pidfd, POLLIN, 0 };
		ppoll(&p, 1, ms_timeout(left, &t), old_mask);
		left = watch_stop_signals(&w, o->init);
	}
	close(pidfd);
	return wstatus;
}

static int wait_for_container(const struct options *o, const sigset_t *old_mask)
{
	char line[512];
	if (step_tty >= 0)
		close(step_tty);
	step_tty = -1;                     /* the parent's pauses are over; the child has its own */
	forward_signals_to(container_pid);

	struct ending e = { .wstatus = watch_container(o, old_mask) };
	container_pid = 0;
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	e.oom_kills = container_oom_kills();
	e.fork_failures = container_fork_failures();
	describe_ending(&e, o, line, sizeof line);
	if (!quiet)
		fprintf(stderr, "=> %s\n", line);

	stage(NULL, "removing cgroup %s", strrchr(cgroup.dir[0], '/') + 1);
	remove_cgroup();
	done();
	return exit_status_of(e.wstatus);
}

/* ------------------------------------------------------------------------ *
 * main: the stages in order
 *
 * The parent runs 1 to 5 and 10, and the parts of 6b that need host
 * root: prepare_binds() and prepare_overlay_dir() open the -b and -o DIR
 * paths before 3 (the host's paths, looked up once, before any container
 * exists), build_overlay() builds -o's root in 5.  The child, the future
 * container, runs 5 to 9, and 9's leave_callers_session() comes first of
 * all (on a terminal of its own, Appendix C's session comes at the exec).  The comment after each call names its section and, where the
 * order matters, why it comes there.  The features a container is lived
 * in with hook in at their stage; their plumbing is in the appendices
 * after main(), whose entry points are these:
 * ------------------------------------------------------------------------ */

/* Appendix A, -S: namespaces shared with the host */
static void take_hosts_hostname(struct options *o);
static void warn_shared_namespaces(unsigned long shared);
/* Appendix B, -n: a network of its own */
static void prepare_network(const struct options *o);
static void connect_network(pid_t pid);
static void bind_resolv_conf(int root);
static void configure_eth0(void);
/* Appendix C: a terminal of its own */
static bool wants_terminal(enum terminal_mode mode);
static int open_terminal(int *slave);
static void hand_over_terminal(int sock, int master, int slave);
static void relay_terminal(int sock, const sigset_t *old_mask, bool init);
/* Appendix D, -l and -x: the record of a running container, listed, entered */
static void write_record(const struct options *o, const struct identity *id, pid_t pid,
			 int rootfs_fd);
static int list_containers(void);
static int enter_container(struct options *o);

#ifndef CONTAINED_TEST
int main(int argc, char **argv)
{
	args_begin = argv[0];
	args_end = argv[argc - 1] + strlen(argv[argc - 1]);
	static struct options o;
	struct host host;
	struct identity identity;
	char err[1024];
	int sockets[2];
	sigset_t old_mask;

	if (argc < 2) {                                 /* 1 */
		print_usage(stderr);
		return EXIT_LAUNCHER;
	}
	if (parse_options(argc, argv, &o, err, sizeof err) < 0) {
		fprintf(stderr, "contained: %s\n", err);
		return EXIT_LAUNCHER;
	}
	if (o.help) {
		print_usage(stdout);
		return 0;
	}
	verbose = o.verbose;
	quiet = o.quiet;
	forward_to_init = o.init;
	if (o.list)
		return list_containers();               /* Appendix D */
	if (o.enter)
		return enter_container(&o);             /* Appendix D */
	if (o.step && (step_tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0) {
		fprintf(stderr, "contained: -s needs a terminal to wait on (%s): run it from an "
			"interactive terminal, or leave out -s\n", strerror(errno));
		return EXIT_LAUNCHER;
	}
	if (o.shared & CLONE_NEWUTS)
		take_hosts_hostname(&o);                /* Appendix A: -S uts */
	if (!o.hostname[0]) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		generate_hostname(now.tv_sec, now.tv_nsec ^ getpid(), o.hostname, sizeof o.hostname);
	}

	/* 4: signals wait, from the start, until there is a container to
	 * forward them to */
	block_forwarded_signals(&old_mask);
	probe_host(&host);                              /* 2 */
	check_standard_fds();                           /* 2: before anything opens a descriptor */
	own_terminal = wants_terminal(o.terminal);      /* Appendix C: both sides must know */
	int rootfs = open_rootfs(&o);                   /* 2: the only lookup of its path */
	look_up_identity(rootfs, &o, &identity);        /* 2b */
	prepare_binds(&o, &identity);                   /* 6b: the host paths, opened once */
	int overlay_upper = prepare_overlay_dir(&o, rootfs);    /* 6b */
	prepare_network(&o);                            /* Appendix B: a /24, claimed before
							 * the watchdog, which must hold it */
	create_cgroup(&o, host.cgroup_version);         /* 3: before the child exists */
	limit_open_files();                             /* 3: inherited by the child */

	pid_t pid = clone_container(sockets, o.shared); /* 4 */
	if (pid > 0) {
		/* the parent: what only it can do, then the go-ahead (5); then 10 */
		int sock = sockets[0];
		warn_shared_namespaces(o.shared);       /* Appendix A */
		write_record(&o, &identity, pid, rootfs);  /* Appendix D: for -l and -x */
		write_id_maps(pid);                     /* 5 */
		connect_network(pid);                   /* Appendix B: the veth pair, our end,
							 * the rule */
		int tree = clone_rootfs_mount(rootfs, pid);  /* 5: after the maps, which the
							 * idmap copies */
		if (o.overlay)
			tree = build_overlay(tree, overlay_upper, o.memory);  /* 6b: on that
							 * copy, as host root */
		close_join_fds();                       /* Appendix F: the child has its copies */
		send_go_ahead(sock, tree);              /* 5 */
		if (own_terminal)
			relay_terminal(sock, &old_mask, o.init);  /* Appendix C: until it ends */
		cleanup_and_exit(wait_for_container(&o, &old_mask));   /* 10 */
	}

	/* the child, the future container: 5 to 9 */
	int sock = sockets[1];
	prctl(PR_SET_DUMPABLE, 0);                      /* 5: from the start: see
							 * rearm_child_guards() */
	int tree = wait_for_go_ahead(sock);             /* 5 */
	if (!own_terminal)
		leave_callers_session();                /* 9: a pty of its own does it later */
	join_cgroup();                                  /* Appendix F (v1): before anything
							 * else */
	become_root_in_userns(sock);                    /* 5: after the move: its cgroup is
							 * the namespace's root */
	put_rootfs_in_place(tree);                      /* 6 */
	if (o.readonly_root && !o.overlay)
		make_rootfs_submounts_readonly(tree);   /* 6b: before anything is mounted on it */
	bind_own_etc_hosts(tree, o.hostname);           /* 6b: before /dev is mounted */
	bind_resolv_conf(tree);                         /* Appendix B: before /dev is mounted */
	mount_pseudo_filesystems(tree, o.shared);       /* 6: while the host's /proc is in view */
	mount_binds_and_readonly_root(tree, &o);        /* 6b */
	pivot_into_rootfs();                            /* 6 */
	set_hostname_and_loopback(o.hostname, o.shared);  /* 6: before /proc/sys is read-only */
	mask_host_proc_files(tree);                     /* 6: the new /proc is there now */
	configure_eth0();                               /* Appendix B: while root of its
							 * network namespace */
	drop_capabilities(host.cap_last_cap, &identity, sock);  /* 7 */
	enter_workdir(tree, o.workdir);                 /* 6b: -w, as the user */
	int pty_slave = -1, pty_master = own_terminal ? open_terminal(&pty_slave) : -1;
							/* Appendix C: as the user */
	install_syscall_filter();                       /* 8: last, so set-up is not filtered */
	pause_before("nsenter -t %1$d -a ps", o.init ? "starting init, which runs the command as PID 2"
					       : "exec'ing the command as PID 1");
	if (own_terminal)
		hand_over_terminal(sock, pty_master, pty_slave);  /* Appendix C: the parent
								   * relays from here */
	if (o.init)
		run_init(o.argv, &o, &identity);        /* 9 */
	exec_command(o.argv, &o, &identity);            /* 9 */
}
#endif

/* ------------------------------------------------------------------------ *
 * Appendix A. Sharing a namespace with the host (-S)
 *
 * Why an appendix: a container that shares a namespace is a container
 * with a hole in it, and the lesson is the container without one.  -S
 * hooks into sections 4 (the clone leaves the namespace out), 6 (proc and
 * sysfs bound in instead of new ones) and 6's hostname.
 *
 * -S pid,net,uts,ipc leaves those namespaces out of the clone (section
 * 4): the container shares them with the launcher, which is to say with
 * the host.  Everything else stays: its own user namespace (root inside is
 * still host uid 100000, with nine capabilities over what its user
 * namespace owns, and none over the shared ones), its own mounts, cgroup,
 * capabilities and seccomp filter.  What it gains is a view, and the
 * launcher says which, one warning line per namespace (the table in
 * section 2).
 *
 * The consequences, one by one:
 *  - pid: the command is not PID 1 of anything, just one more host
 *    process; no namespace ends with it, so the cgroup (killed whole in
 *    section 10) is what takes its children down.  A fresh proc cannot be
 *    mounted: the kernel lets a user namespace mount proc only for a PID
 *    namespace it owns (proc_fill_super, pid_namespaces(7)), and the
 *    host's belongs to the host.  So the host's own /proc is bound in, all
 *    of it (a user namespace may not split off mounts it copied), read-only
 *    at the top so no /proc/PID file can be written through it, and with
 *    the same masks as any container's /proc (section 6).  The host's
 *    processes show, but their files stay their owners': /proc/PID/environ,
 *    mem, root and fd need the same host uid, or CAP_SYS_PTRACE over the
 *    host.  Every contained container runs as host uids 100000-165535, so
 *    another container's processes are the exception, and the warning says
 *    so; kill(2) compares host uids too.
 *  - net: a fresh sysfs is refused the same way (sysfs wants the network
 *    namespace owned by the mounter's user namespace), so the host's /sys
 *    is bound in read-only; its /sys/fs/cgroup is covered by the
 *    container's own (section 6).  lo is the host's, up already, and not
 *    ours to touch: no CAP_NET_ADMIN over the host's network namespace.
 *  - uts: the hostname is the host's, and so is the name in the
 *    container's /etc/hosts and /etc/hostname; -H cannot go with it.
 *  - ipc: nothing to mount; System V objects are checked against host
 *    uids, so the container reaches only those its host uids may open.
 * mnt and user can never be shared (the table says why), nor cgroup.
 * ------------------------------------------------------------------------ */

/* One warning line per shared namespace, in the table's words. */
static void warn_shared_namespaces(unsigned long shared)
{
	for (size_t i = 0; i < LEN(namespaces); i++)
		if (shared & namespaces[i].flag)
			warn("-S %s: %s", namespaces[i].name, namespaces[i].if_shared);
}

/* Child, before the pivot: the host's own proc or sysfs on M's target,
 * for a namespace the container does not own (see above). */
static void bind_host_mount_instead(int root, const struct pseudo_mount *m)
{
	trace("(%s shared with the host: its %s, bound read-only, instead of a new %s)",
	      m->owner == CLONE_NEWPID ? "pid namespace" : "network namespace", m->target, m->type);
	bind_readonly_in_rootfs(m->target, root, m->target);
}

/* -S uts without -H: the container's files name the host's hostname. */
static void take_hosts_hostname(struct options *o)
{
	char name[HOST_NAME_MAX + 1];
	if (gethostname(name, sizeof name) == 0 && valid_hostname(name))
		snprintf(o->hostname, sizeof o->hostname, "%s", name);
}

/* ------------------------------------------------------------------------ *
 * Appendix B. Network (-n): a veth pair, an address, a way out
 *
 * Why an appendix: the container of sections 1-10 is already isolated
 * from the network (a namespace with only lo); connecting it again is a
 * lesson in routing and netlink rather than in containers, and the longest
 * piece of plumbing in the file.  It hooks in before section 3 (a /24
 * claimed), in the parent before the go-ahead (section 5: the pair and the
 * rule), in the child before the pivot and before section 7 (resolv.conf,
 * eth0), and in section 10's cleanup.
 *
 * A fresh network namespace holds only lo (section 2's table): the
 * container can talk to itself and to nothing else.  -n gives it a wire
 * to the launcher's namespace.  A veth pair is two network interfaces
 * joined back to back: a packet sent into one comes out of the other
 * (veth(4)).  One end, eth0, is created straight inside the container's
 * namespace; the other, ct<12 hex digits> (an interface name holds 15
 * characters), stays with the launcher.  The two ends share a /24 of
 * their own: the launcher's end is .1, the container's .2, and the
 * container's default route goes via .1.
 *
 * Each container gets its own /24, taken from CONTAINED_NET (default
 * 10.200.0.0/16: 256 of them).  Two launchers must never hand out the
 * same one, so a /24 is claimed like the cgroup of section 3: by a lock,
 * a flock(2) on /run/contained/net-<subnet>.lock, which the kernel drops
 * when the launcher and its watchdog are both gone, however they end.
 *
 * The launcher's namespace does not know where 10.200.5.2 should go
 * beyond its own end of the wire, and the rest of the network does not
 * know 10.200.5.0/24 at all.  Two settings fix that: forwarding
 * (net.ipv4.ip_forward), which lets the host pass packets on between
 * interfaces, and masquerading, which rewrites the source of a packet
 * leaving for elsewhere to the host's own address on the way out, so
 * that replies come back to the host, which undoes the rewrite
 * (connection tracking remembers each flow).  The rule lives in an
 * nftables table of the launcher's own, "contained-<cgroup name>", with
 * one chain hooked at postrouting, and removing the table removes it all:
 * the rest of the host's ruleset is not touched.  A host whose own
 * firewall drops forwarded packets (a forward chain with policy drop)
 * still drops the container's: an accept in one table cannot overrule a
 * drop in another (nft(8)).  Forwarding, once on, stays on: other
 * containers may rely on it, and the launcher says so when it turns it on.
 *
 * Both ends are configured over netlink, a socket through which programs
 * and the kernel exchange messages (netlink(7)): rtnetlink for links,
 * addresses and routes (rtnetlink(7)), nfnetlink for nftables rules.
 * The launcher builds the messages itself rather than link libmnl and
 * libnftnl, or run ip(8) and nft(8): the message *is* the lesson (each one
 * is a header and a list of type-length-value attributes, and -v prints
 * them by name), and contained.c still builds with its one gcc line.
 * `ip -d link`, `ip addr`, `ip route` and `nft list ruleset` show what
 * they did.
 *
 * Who does what: the parent, in the host's namespace, creates the pair
 * (the peer placed in the child's namespace through /proc/PID/ns/net,
 * IFLA_NET_NS_FD), sets up its own end and the rule before the go-ahead.
 * The child, root of the user namespace that owns its network namespace,
 * gives eth0 its address and route itself, before it drops its
 * capabilities.  It also gets the host's DNS configuration as its
 * /etc/resolv.conf, a copy in a small tmpfs bound over the rootfs's file,
 * never written into the rootfs.  The parent's cleanup (section 10), the
 * watchdog and the stale sweep (section 3) remove the table and the
 * pair; the container's end goes with its namespace anyway.
 * ------------------------------------------------------------------------ */

#define DEFAULT_NET "10.200.0.0/16"
#define NET_TABLE_PREFIX "contained-"

/* One or more netlink messages built in place, back to back (an nftables
 * change is a batch of several).  Each message is a struct nlmsghdr, a
 * fixed header of its family's (struct ifinfomsg, struct nfgenmsg ...),
 * then attributes: struct nlattr (length, type) and the value, each padded
 * to 4 bytes; a nested attribute holds other attributes as its value. */
struct netlink_msg {
	size_t len;                    /* bytes used in buf */
	size_t start;                  /* where the message being built begins */
	unsigned seq;                  /* the last message's sequence number */
	unsigned acks;                 /* how many messages asked for an answer */
	char buf[2048] __attribute__((aligned(NLMSG_ALIGNTO)));
};

/* LEN zeroed bytes at the end of M, padded; the current message grows. */
static void *nl_reserve(struct netlink_msg *m, size_t len)
{
	size_t padded = NLMSG_ALIGN(len);
	if (m->len + padded > sizeof m->buf)
		die("internal error: netlink message longer than %zu bytes", sizeof m->buf);
	void *p = m->buf + m->len;
	memset(p, 0, padded);
	m->len += padded;
	((struct nlmsghdr *)(m->buf + m->start))->nlmsg_len = m->len - m->start;
	return p;
}

/* A new message of TYPE with FLAGS (NLM_F_REQUEST is implied) and the
 * family's fixed HEADER of SIZE bytes. */
static void nl_message(struct netlink_msg *m, int type, int flags, const void *header, size_t size)
{
	m->start = m->len;
	struct nlmsghdr *h = nl_reserve(m, sizeof *h);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++m->seq;
	if (flags & NLM_F_ACK)
		m->acks++;
	memcpy(nl_reserve(m, size), header, size);
}

static void nl_attr(struct netlink_msg *m, int type, const void *value, size_t size)
{
	struct nlattr *a = nl_reserve(m, NLA_HDRLEN + size);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + size;
	if (size)
		memcpy((char *)a + NLA_HDRLEN, value, size);
}

static void nl_string(struct netlink_msg *m, int type, const char *s)
{
	nl_attr(m, type, s, strlen(s) + 1);
}

/* nftables numbers are big-endian ("network order"). */
static void nl_be32(struct netlink_msg *m, int type, uint32_t value)
{
	uint32_t be = htonl(value);
	nl_attr(m, type, &be, sizeof be);
}

/* Open a nested attribute; nl_end() closes it at the offset returned. */
static size_t nl_nest(struct netlink_msg *m, int type)
{
	size_t at = m->len;
	nl_attr(m, type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void nl_end(struct netlink_msg *m, size_t at)
{
	((struct nlattr *)(m->buf + at))->nla_len = m->len - at;
}

/* A netlink socket of PROTOCOL (NETLINK_ROUTE, NETLINK_NETFILTER) that
 * gives up on the kernel's answer after 5 s rather than hang. */
static int nl_open(int protocol)
{
	int one = 1;
	struct timeval timeout = { .tv_sec = 5 };
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (sock < 0)
		return -1;
	setsockopt(sock, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);  /* answers without our message */
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
	return sock;
}

/* Send every message in M to the kernel over SOCK and read its answers,
 * one NLMSG_ERROR per message that set NLM_F_ACK (error 0: done).  Returns
 * 0, or -1 with errno: the first error the kernel reported. */
static int nl_talk(int sock, const struct netlink_msg *m)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char reply[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	if (sendto(sock, m->buf, m->len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
		return -1;
	for (unsigned answered = 0; answered < m->acks;) {
		ssize_t n = recv(sock, reply, sizeof reply, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (struct nlmsghdr *h = (void *)reply; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			int error = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (error) {
				errno = -error;
				return -1;
			}
			answered++;
		}
	}
	return 0;
}

/* Open a socket of PROTOCOL, send M, close.  0, or -1 with errno. */
static int nl_send(int protocol, const struct netlink_msg *m)
{
	int sock = nl_open(protocol);
	if (sock < 0)
		return -1;
	int rc = nl_talk(sock, m);
	int saved = errno;
	close(sock);
	errno = saved;
	return rc;
}

/* ---- rtnetlink: links, addresses, routes (rtnetlink(7)) ---- */

/* RTM_NEWLINK: the pair, HOST_END here and eth0 in the namespace NETNS
 * (an open /proc/PID/ns/net).  The peer is described by its own
 * ifinfomsg and attributes inside VETH_INFO_PEER, and created straight in
 * its namespace, where the name eth0 cannot collide with the host's. */
static void add_veth_pair(struct netlink_msg *m, const char *host_end, int netns)
{
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC };
	nl_message(m, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &link, sizeof link);
	nl_string(m, IFLA_IFNAME, host_end);
	size_t info = nl_nest(m, IFLA_LINKINFO);
	nl_string(m, IFLA_INFO_KIND, "veth");
	size_t data = nl_nest(m, IFLA_INFO_DATA);
	size_t peer = nl_nest(m, VETH_INFO_PEER);
	nl_reserve(m, sizeof link);
	nl_string(m, IFLA_IFNAME, "eth0");
	nl_attr(m, IFLA_NET_NS_FD, &netns, sizeof netns);
	nl_end(m, peer);
	nl_end(m, data);
	nl_end(m, info);
}

/* RTM_NEWLINK on an existing link: IFF_UP in ifi_change says which flag
 * to change, in ifi_flags what to make it. */
static void bring_up(struct netlink_msg *m, int ifindex)
{
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
				  .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	nl_message(m, RTM_NEWLINK, NLM_F_ACK, &link, sizeof link);
}

/* RTM_NEWADDR: ADDRESS/24 on IFINDEX (both addresses network order). */
static void add_address(struct netlink_msg *m, int ifindex, uint32_t address)
{
	struct ifaddrmsg a = { .ifa_family = AF_INET, .ifa_prefixlen = 24,
			       .ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = ifindex };
	nl_message(m, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &a, sizeof a);
	nl_attr(m, IFA_LOCAL, &address, sizeof address);
	nl_attr(m, IFA_ADDRESS, &address, sizeof address);
}

/* RTM_NEWROUTE: 0.0.0.0/0 via GATEWAY on IFINDEX, in the main table. */
static void add_default_route(struct netlink_msg *m, int ifindex, uint32_t gateway)
{
	struct rtmsg r = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN,
			   .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_UNIVERSE,
			   .rtm_type = RTN_UNICAST };
	nl_message(m, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &r, sizeof r);
	nl_attr(m, RTA_GATEWAY, &gateway, sizeof gateway);
	nl_attr(m, RTA_OIF, &ifindex, sizeof ifindex);
}

/* RTM_DELLINK by name: a veth takes its peer with it. */
static void delete_link(struct netlink_msg *m, const char *name)
{
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC };
	nl_message(m, RTM_DELLINK, NLM_F_ACK, &link, sizeof link);
	nl_string(m, IFLA_IFNAME, name);
}

/* ---- nfnetlink: an nftables table of our own ---- */

/* Every nftables change is a transaction: a batch that opens with
 * NFNL_MSG_BATCH_BEGIN and closes with NFNL_MSG_BATCH_END, applied whole
 * or not at all. */
static void nft_batch(struct netlink_msg *m, int type)
{
	struct nfgenmsg g = { .nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0,
			      .res_id = htons(NFNL_SUBSYS_NFTABLES) };
	nl_message(m, type, 0, &g, sizeof g);
}

/* An nftables message about the ip (IPv4) family. */
static void nft_message(struct netlink_msg *m, int type, int flags)
{
	struct nfgenmsg g = { .nfgen_family = NFPROTO_IPV4, .version = NFNETLINK_V0 };
	nl_message(m, NFNL_SUBSYS_NFTABLES << 8 | type, NLM_F_ACK | flags, &g, sizeof g);
}

/* One expression of a rule: its NAME, then its data, which
 * nft_expression_end() closes with the expression. */
static size_t nft_expression(struct netlink_msg *m, const char *name, size_t *data)
{
	size_t elem = nl_nest(m, NFTA_LIST_ELEM);
	nl_string(m, NFTA_EXPR_NAME, name);
	*data = nl_nest(m, NFTA_EXPR_DATA);
	return elem;
}

static void nft_expression_end(struct netlink_msg *m, size_t elem, size_t data)
{
	nl_end(m, data);
	nl_end(m, elem);
}

/* The first 3 bytes (a /24) of the IPv4 header's source address (offset
 * 12) or destination (16) into register 1, compared (OP) with SUBNET's. */
static void nft_match_subnet(struct netlink_msg *m, int offset, int op, uint32_t subnet)
{
	size_t elem, data;
	elem = nft_expression(m, "payload", &data);
	nl_be32(m, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nl_be32(m, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER);
	nl_be32(m, NFTA_PAYLOAD_OFFSET, offset);
	nl_be32(m, NFTA_PAYLOAD_LEN, 3);
	nft_expression_end(m, elem, data);
	elem = nft_expression(m, "cmp", &data);
	nl_be32(m, NFTA_CMP_SREG, NFT_REG_1);
	nl_be32(m, NFTA_CMP_OP, op);
	size_t value = nl_nest(m, NFTA_CMP_DATA);
	nl_attr(m, NFTA_DATA_VALUE, &subnet, 3);
	nl_end(m, value);
	nft_expression_end(m, elem, data);
}

/* The whole of what -n adds to the firewall, as `nft list ruleset` shows it:
 *   table ip TABLE {
 *     chain postrouting {
 *       type nat hook postrouting priority srcnat;
 *       ip saddr SUBNET/24 ip daddr != SUBNET/24 masquerade
 *     } }
 * SUBNET in network order. */
static void add_masquerade_table(struct netlink_msg *m, const char *table, uint32_t subnet)
{
	size_t elem, data;
	nft_batch(m, NFNL_MSG_BATCH_BEGIN);
	nft_message(m, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL);
	nl_string(m, NFTA_TABLE_NAME, table);

	nft_message(m, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL);
	nl_string(m, NFTA_CHAIN_TABLE, table);
	nl_string(m, NFTA_CHAIN_NAME, "postrouting");
	size_t hook = nl_nest(m, NFTA_CHAIN_HOOK);
	nl_be32(m, NFTA_HOOK_HOOKNUM, NF_INET_POST_ROUTING);
	nl_be32(m, NFTA_HOOK_PRIORITY, 100);           /* "srcnat" */
	nl_end(m, hook);
	nl_string(m, NFTA_CHAIN_TYPE, "nat");

	nft_message(m, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	nl_string(m, NFTA_RULE_TABLE, table);
	nl_string(m, NFTA_RULE_CHAIN, "postrouting");
	size_t list = nl_nest(m, NFTA_RULE_EXPRESSIONS);
	nft_match_subnet(m, 12, NFT_CMP_EQ, subnet);
	nft_match_subnet(m, 16, NFT_CMP_NEQ, subnet);
	elem = nft_expression(m, "masq", &data);
	nft_expression_end(m, elem, data);
	nl_end(m, list);
	nft_batch(m, NFNL_MSG_BATCH_END);
}

/* Deleting the table deletes its chain and rule with it. */
static void delete_table(struct netlink_msg *m, const char *table)
{
	nft_batch(m, NFNL_MSG_BATCH_BEGIN);
	nft_message(m, NFT_MSG_DELTABLE, 0);
	nl_string(m, NFTA_TABLE_NAME, table);
	nft_batch(m, NFNL_MSG_BATCH_END);
}

/* ---- the container's /24 ---- */

/* The names -n gives the objects of the container whose cgroup is NAME
 * ("<hostname>.<12 hex digits>"): the host end ct<12 hex digits>, and
 * the table contained-NAME.  The sweep of section 3 works them out from
 * a cgroup directory's name. */
static void host_end_name(const char *name, char *buf, size_t size)
{
	const char *dot = strrchr(name, '.');
	snprintf(buf, size, "ct%.12s", dot ? dot + 1 : name);
}

static void table_name(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, NET_TABLE_PREFIX "%s", name);
}

/* "10.200.0.0/16" -> the first /24 (network order) and how many /24s
 * the range holds.  The prefix is 8 to 24, the host bits zero. */
static int parse_net_range(const char *s, uint32_t *first, unsigned *count)
{
	char addr[INET_ADDRSTRLEN];
	unsigned long long prefix;
	const char *slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof addr)
		return -1;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	struct in_addr a;
	if (inet_pton(AF_INET, addr, &a) != 1 || parse_number(slash + 1, 24, &prefix) < 0 ||
	    prefix < 8 || (ntohl(a.s_addr) & ((1u << (32 - prefix)) - 1)))
		return -1;
	*first = a.s_addr;
	*count = 1u << (24 - prefix);
	return 0;
}

/* The /24 at position I of the range, in network order: HOST 0 for the
 * subnet itself, 1 and 2 for its two ends. */
static uint32_t subnet_address(uint32_t first, unsigned i, unsigned host)
{
	return htonl(ntohl(first) + (i << 8) + host);
}

/* ADDRESS as text, "10.200.5.0", in one of four buffers used in turn, so
 * that one message can show several. */
static const char *address_text(uint32_t address)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int next;
	next = (next + 1) % 4;
	return inet_ntop(AF_INET, &address, buf[next], sizeof buf[next]);
}

/* Whether the open file FD is still what PATH names: a lock file is
 * unlinked by the one who holds it, so one opened just before can end up
 * locked but nameless. */
static bool still_named(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

static void subnet_lock_path(uint32_t subnet, char *buf, size_t size)
{
	snprintf(buf, size, RUN_DIR "/net-%s.lock", address_text(subnet));
}

/* Claim the first /24 of the range that no other launcher holds.
 * Section 3 made RUN_DIR already. */
static void claim_subnet(const char *range)
{
	uint32_t first;
	unsigned count;
	char lock[PATH_MAX];
	if (parse_net_range(range, &first, &count) < 0)
		die("CONTAINED_NET='%s': expected an IPv4 range of /24s like " DEFAULT_NET
		    " (prefix 8 to 24, host bits zero)", shown(range));
	for (unsigned i = 0; i < count; i++) {
		uint32_t subnet = subnet_address(first, i, 0);
		subnet_lock_path(subnet, lock, sizeof lock);
		int fd = lock_file(lock, O_RDWR | O_CREAT, LOCK_NB);
		if (fd < 0 && errno != EWOULDBLOCK)
			die_errno("%s", lock);
		if (fd >= 0 && !still_named(fd, lock)) {
			close(fd);
			i--;                   /* released meanwhile: try it again */
			continue;
		}
		if (fd >= 0) {
			trace("open(\"%s\", O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0600); "
			      "flock(LOCK_EX|LOCK_NB)", lock);
			network.subnet = subnet;
			network.lock_fd = fd;
			return;
		}
	}
	die("CONTAINED_NET=%s: all %u /24s are taken by running containers; choose a larger "
	    "range, like CONTAINED_NET=10.200.0.0/16", shown(range), count);
}

/* The lock file goes while we hold it, and only if it is still ours. */
static void release_subnet(void)
{
	char lock[PATH_MAX];
	if (network.lock_fd < 0)
		return;
	subnet_lock_path(network.subnet, lock, sizeof lock);
	if (still_named(network.lock_fd, lock))
		unlink(lock);
	close(network.lock_fd);
	network.lock_fd = -1;
}

/* The host's DNS configuration, for the container's /etc/resolv.conf.  A
 * name server on the host's loopback (127.0.0.53, systemd-resolved's stub)
 * is out of the container's reach, so such a host's upstream list is taken
 * instead where it has one. */
static void read_host_dns(void)
{
	static const char *const sources[] = {
		"/etc/resolv.conf", "/run/systemd/resolve/resolv.conf",
	};
	for (size_t i = 0; i < LEN(sources); i++) {
		if (read_file(sources[i], network.resolv, sizeof network.resolv) < 0)
			continue;
		if (!strstr(network.resolv, "nameserver 127.") && !strstr(network.resolv, "nameserver ::1"))
			return;
	}
	if (!network.resolv[0])
		warn("the host has no /etc/resolv.conf: the container can reach addresses, but not "
		     "resolve names");
	else
		warn("the host's name server is on its own loopback, which the container cannot "
		     "reach: names will not resolve inside (give the container another with "
		     "-b FILE:/etc/resolv.conf)");
}

/* Before section 3: the /24's lock must be taken before the watchdog is
 * forked, so that the watchdog holds it until it has cleaned up. */
static void prepare_network(const struct options *o)
{
	if (!o->network)
		return;
	const char *range = getenv("CONTAINED_NET");
	network.on = true;
	stage("ls " RUN_DIR "/net-*", "claiming a /24 for the container's network");
	if (mkdir(RUN_DIR, 0700) < 0 && errno != EEXIST)
		die_errno("mkdir " RUN_DIR);
	claim_subnet(range && *range ? range : DEFAULT_NET);
	read_host_dns();
	done();
}

/* Forwarding on, if it is off; said once, as it stays on. */
static void enable_forwarding(void)
{
	static const char path[] = "/proc/sys/net/ipv4/ip_forward";
	char value[8] = "";
	if (read_file(path, value, sizeof value) == 0 && value[0] == '1')
		return;
	if (write_file(path, "1") < 0)
		die_errno("turning on IPv4 forwarding (%s)", path);
	warn("IPv4 forwarding was off; turned it on for the container's traffic (it stays on: "
	     "`sysctl -w net.ipv4.ip_forward=0` turns it off)");
}

/* Parent, before the go-ahead: the pair, our end's address, the rule. */
static void connect_network(pid_t pid)
{
	static char watch[384];
	char host_end[IF_NAMESIZE], table[256], path[64];
	struct netlink_msg m = { 0 };
	if (!network.on)
		return;
	host_end_name(cgroup.name, host_end, sizeof host_end);
	table_name(cgroup.name, table, sizeof table);
	uint32_t ours = network.subnet | htonl(1), theirs = network.subnet | htonl(2);
	snprintf(watch, sizeof watch, "ip -d addr show %s; nft list table ip %s", host_end, table);
	stage(watch, "connecting %s (%s/24) to the container's eth0 (%s)", host_end,
	      address_text(ours), address_text(theirs));

	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	int netns = open(path, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		die_errno("%s", path);
	trace("RTM_NEWLINK { IFLA_IFNAME \"%s\", IFLA_LINKINFO { \"veth\", VETH_INFO_PEER "
	      "{ IFLA_IFNAME \"eth0\", IFLA_NET_NS_FD %d (%s) } } }", host_end, netns, path);
	add_veth_pair(&m, host_end, netns);
	if (nl_send(NETLINK_ROUTE, &m) < 0)
		die_errno("creating the veth pair %s/eth0 (-n needs a kernel with veth)", host_end);
	close(netns);

	int index = if_nametoindex(host_end);
	if (index == 0)
		die_errno("finding %s", host_end);
	memset(&m, 0, sizeof m);
	trace("RTM_NEWADDR { index %d, %s/24 }; RTM_NEWLINK { index %d, IFF_UP }", index,
	      address_text(ours), index);
	add_address(&m, index, ours);
	bring_up(&m, index);
	if (nl_send(NETLINK_ROUTE, &m) < 0)
		die_errno("giving %s the address %s/24", host_end, address_text(ours));

	memset(&m, 0, sizeof m);
	trace("nfnetlink batch { NEWTABLE ip %s, NEWCHAIN postrouting { nat, hook postrouting, "
	      "priority 100 }, NEWRULE { payload saddr/24 == %s, payload daddr/24 != %s, masq } }",
	      table, address_text(network.subnet), address_text(network.subnet));
	add_masquerade_table(&m, table, network.subnet);
	if (nl_send(NETLINK_NETFILTER, &m) < 0)
		die_errno("adding nftables table %s (-n needs nf_tables with nat and masquerade "
			  "in the kernel)", table);
	enable_forwarding();
	done();
}

/* Child, after the pivot and before dropping capabilities: eth0 up, its
 * address, the default route via the launcher's end. */
static void configure_eth0(void)
{
	struct netlink_msg m = { 0 };
	if (!network.on)
		return;
	uint32_t ours = network.subnet | htonl(2), gateway = network.subnet | htonl(1);
	stage("nsenter -t %1$d -n ip addr show eth0; nsenter -t %1$d -n ip route",
	      "giving eth0 %s/24 and a default route via %s", address_text(ours),
	      address_text(gateway));
	int index = if_nametoindex("eth0");
	if (index == 0)
		die_errno("finding eth0 in the container's namespace");
	trace("RTM_NEWLINK { index %d, IFF_UP }; RTM_NEWADDR { index %d, %s/24 }; "
	      "RTM_NEWROUTE { 0.0.0.0/0 via %s }", index, index, address_text(ours),
	      address_text(gateway));
	bring_up(&m, index);
	add_address(&m, index, ours);
	add_default_route(&m, index, gateway);
	if (nl_send(NETLINK_ROUTE, &m) < 0)
		die_errno("configuring eth0");
	done();
}

/* Child, like bind_own_etc_hosts() (6b) and before /dev is mounted: the
 * host's DNS configuration as /etc/resolv.conf, bound over the rootfs's,
 * which keeps its own contents. */
static void bind_resolv_conf(int root)
{
	static const char *const names[] = { "resolv.conf" };
	const char *const texts[] = { network.resolv };
	if (!network.on || !network.resolv[0])
		return;
	stage("grep resolv /proc/%1$d/mountinfo", "giving the container the host's /etc/resolv.conf");
	if (!bind_over_etc(root, names, texts, LEN(names))) {
		skipped("the rootfs has no /etc");
		return;
	}
	done();
}

/* The pair and the table of the container whose cgroup is NAME, in this
 * network namespace; either may be gone already, or never have been (a
 * kernel without nf_tables has no table to remove).  The parent's cleanup,
 * the watchdog and the stale sweep all call this. */
static void remove_network_of(const char *name)
{
	char host_end[IF_NAMESIZE], table[256];
	struct netlink_msg m = { 0 };
	host_end_name(name, host_end, sizeof host_end);
	table_name(name, table, sizeof table);
	trace("RTM_DELLINK { IFLA_IFNAME \"%s\" }; nfnetlink batch { DELTABLE ip %s }", host_end, table);
	delete_link(&m, host_end);
	if (nl_send(NETLINK_ROUTE, &m) < 0 && errno != ENODEV)
		fprintf(stderr, "contained: could not remove %s: %s\n", host_end, strerror(errno));
	memset(&m, 0, sizeof m);
	delete_table(&m, table);
	if (nl_send(NETLINK_NETFILTER, &m) < 0 && errno != ENOENT && errno != EPROTONOSUPPORT)
		fprintf(stderr, "contained: could not remove nftables table %s: %s\n", table,
			strerror(errno));
}

/* Before the cgroup goes: its name is what finds them. */
static void remove_network(void)
{
	if (!network.on)
		return;
	if (cgroup.name[0])
		remove_network_of(cgroup.name);
	release_subnet();
	network.on = false;
}

/* ------------------------------------------------------------------------ *
 * Appendix C. A terminal of its own
 *
 * Why an appendix: section 9 already keeps the caller's terminal out of
 * the container's reach (a session of its own).  Giving it a terminal of
 * its own instead is what an interactive shell needs, and it costs a relay
 * of bytes, signals and window sizes that teaches about ttys, not
 * containers.  It hooks in at section 7's end (the pty opened as the
 * container's user), just before exec (section 9) and in the parent's
 * wait (section 10).
 *
 * Run from a terminal, the container would otherwise get the caller's own
 * terminal as its stdin and stdout, and with it the whole reach of the
 * host's tty driver: ioctls that type into it (TIOCSTI, refused by
 * section 8, a deny-list), change its settings or line discipline, or
 * hand its foreground to a process group of the container's; and the
 * caller's session, so the container's shell cannot be the session
 * leader that job control needs.  So when stdin and stdout are both
 * terminals (or with -t) the container gets a pseudo-terminal of its own
 * (pty(7)), and nothing inside holds the caller's terminal any more.
 *
 * The pty comes from the container's private devpts instance (section
 * 6), so the container sees only its own ptys in /dev/pts.  The child,
 * already the container's user, opens /dev/pts/ptmx, the master end, and
 * with TIOCGPTPEER the slave that belongs to it (no path to look up),
 * copies the caller's settings and window size onto it, and, as its last
 * act before exec, sends the master to the parent over the socket
 * (SCM_RIGHTS, as the rootfs came the other way in section 5) and puts
 * the slave on 0, 1 and 2.  The command starts a new session (setsid) and
 * makes the slave its controlling terminal (TIOCSCTTY); with -i that is
 * the command, PID 2, not init, so the terminal's signals never reach
 * init.
 *
 * The parent relays bytes between its own stdin and stdout and the
 * master, with poll(2).  The caller's terminal goes into raw mode
 * (cfmakeraw, termios(3)): no echo, no line editing, and keys make no
 * signals, so Ctrl-C is the byte 0x03, which the relay passes on and the
 * container's own line discipline turns into SIGINT for the container's
 * foreground job; Ctrl-Z and fg work the same way.  A window resize
 * sends SIGWINCH to the launcher, which copies the size onto the master
 * (TIOCSWINSZ), and the kernel signals the container's foreground job.
 * End of file on a stdin that is not a terminal (-t with a pipe) is
 * passed as the pty's end-of-file character (VEOF, normally Ctrl-D); a
 * terminal that hangs up closes the master, which hangs up the
 * container's.  The caller's settings come back on every way out: the
 * container's end, die(), and the signals the launcher forwards instead
 * of dying (SIGKILL excepted: `stty sane` then).
 * ------------------------------------------------------------------------ */

/* Whether the container gets a pty of its own: -t, -T, or, by default,
 * when stdin and stdout are both terminals.  stdin alone is not enough:
 * in `contained ... -c /bin/cat /etc/passwd | grep root` typed at a shell,
 * grep wants cat's bytes, not a terminal's \r\n with stderr mixed in. */
static bool wants_terminal(enum terminal_mode mode)
{
	if (mode == TERMINAL_AUTO)
		return isatty(0) && isatty(1);
	return mode == TERMINAL_ALWAYS;
}

/* The caller's terminal, whose size and settings the container's starts
 * with: the first of stdin, stdout, stderr that is one, or -1. */
static int callers_terminal(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

static void copy_window_size(int to)
{
	struct winsize size;
	int from = callers_terminal();
	if (from >= 0 && ioctl(from, TIOCGWINSZ, &size) == 0)
		ioctl(to, TIOCSWINSZ, &size);
}

/* Child side, after the switch to the container's user (section 7), so the
 * slave is that user's, mode 0620 as devpts was mounted.  Returns the
 * master, and the slave in *slave. */
static int open_terminal(int *slave)
{
	struct termios settings;
	int unlock = 0, caller = callers_terminal();
	stage("ls -l /proc/%1$d/root/dev/pts/", "opening a terminal of its own");
	trace("open(\"/dev/pts/ptmx\", O_RDWR|O_NOCTTY|O_CLOEXEC); ioctl(TIOCSPTLCK, 0); "
	      "ioctl(TIOCGPTPEER, O_RDWR|O_NOCTTY|O_CLOEXEC)");
	int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		die_errno("opening /dev/pts/ptmx, the container's devpts");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		die_errno("unlocking the pty");
	*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		die_errno("opening the pty's slave (TIOCGPTPEER, Linux 4.13 or later)");
	if (caller >= 0 && tcgetattr(caller, &settings) == 0)
		tcsetattr(*slave, TCSANOW, &settings);
	copy_window_size(*slave);
	done();
	return master;
}

/* Child side, the last step before exec (after -s's last pause, which
 * reads the caller's terminal: the relay would take its keys). */
static void hand_over_terminal(int sock, int master, int slave)
{
	if (send_descriptor(sock, master, "", 1) < 0)
		die_errno("handing the terminal to the launcher");
	trace("dup2(%d, 0); dup2(%d, 1); dup2(%d, 2)", slave, slave, slave);
	close(master);
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0)
			die_errno("putting the pty on descriptor %d", fd);
	close(slave);
}

/* Child side, in the process that execs the command (PID 1, or PID 2
 * under -i): a session of its own, the pty its controlling terminal. */
static void take_controlling_terminal(void)
{
	trace("setsid(); ioctl(0, TIOCSCTTY, 0)");
	if (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0)
		die_errno("making the pty the controlling terminal");
}

static struct termios callers_settings;   /* stdin's, before raw mode */
static bool caller_raw;                   /* stdin is in raw mode now */
static volatile sig_atomic_t window_resized;

static void note_window_resized(int sig)
{
	(void)sig;
	window_resized = 1;
}

/* Undo raw mode; cleanup_and_exit() (section 10) calls it on every way out. */
static void restore_terminal(void)
{
	if (caller_raw)
		tcsetattr(0, TCSANOW, &callers_settings);
	caller_raw = false;
}

/* All of LEN bytes to FD, a descriptor of the caller's, left blocking as the
 * caller had it.  Output nobody reads any more (EPIPE) is dropped. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* What the container wrote, to stdout, until there is no more for now.
 * Returns false once every slave is closed (EIO): the container is done
 * with its terminal. */
static bool copy_output(int master)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(master, buf, sizeof buf);
		if (n > 0)
			write_all(1, buf, n);
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return n < 0 && errno == EAGAIN;
	}
}

/* The relay, from the go-ahead until the container's PID 1 has exited.
 * Signals stay blocked but inside ppoll(2), so a resize or a signal to
 * forward is never missed between two checks.  The master is non-blocking
 * and input waits in a buffer: a container that is not reading keeps the
 * relay free to read its output. */
static void relay_terminal(int sock, const sigset_t *old_mask, bool init)
{
	int master = receive_descriptor(sock);  /* -1: the child ended first (it said why) */
	if (master < 0)
		return;
	int pidfd = syscall(SYS_pidfd_open, container_pid, 0);
	if (pidfd < 0)
		die_errno("pidfd_open (Linux 5.3 or later)");
	fcntl(master, F_SETFL, O_NONBLOCK);
	forward_signals_to(container_pid);
	struct sigaction resized = { .sa_handler = note_window_resized };
	sigemptyset(&resized.sa_mask);
	sigaction(SIGWINCH, &resized, NULL);
	signal(SIGPIPE, SIG_IGN);
	bool stdin_is_terminal = isatty(0);
	if (stdin_is_terminal && tcgetattr(0, &callers_settings) == 0) {
		struct termios raw = callers_settings;
		cfmakeraw(&raw);
		trace("tcsetattr(0, TCSANOW, cfmakeraw)");
		caller_raw = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	window_resized = 1;        /* the caller may have resized since the child copied it */

	char input[4096], last = '\n';
	size_t pending = 0, sent = 0;
	bool reading = true;
	struct stop_watch w = { 0 };
	struct timespec t;
	long left = -1;
	for (;;) {
		if (window_resized && master >= 0)
			copy_window_size(master);
		window_resized = 0;
		struct pollfd fds[] = {
			{ reading && !pending ? 0 : -1, POLLIN, 0 },
			{ master, POLLIN | (pending ? POLLOUT : 0), 0 },
			{ pidfd, POLLIN, 0 },
		};
		int ready = ppoll(fds, LEN(fds), ms_timeout(left, &t), old_mask);
		left = watch_stop_signals(&w, init);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			die_errno("ppoll");
		if (fds[2].revents)
			break;
		if (fds[1].revents & POLLOUT) {
			ssize_t n = write(master, input + sent, pending - sent);
			if (n > 0 && (sent += n) == pending)
				pending = sent = 0;
		}
		if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !copy_output(master)) {
			close(master);     /* every slave is closed: nothing more to relay */
			master = -1;
			pending = sent = 0;
		}
		if (!fds[0].revents)
			continue;
		ssize_t n = read(0, input, sizeof input);
		struct termios inside;
		if (n > 0) {
			pending = n;
			last = input[n - 1];
			/* Ctrl-C goes in as a byte and becomes SIGINT inside: watch
			 * for it being ignored as for a SIGINT sent to us */
			if (master >= 0 && tcgetattr(master, &inside) == 0 &&
			    memchr(input, inside.c_cc[VINTR], n)) {
				stop_signals++;
				last_stop_signal = SIGINT;
			}
		} else if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		} else if (stdin_is_terminal) {
			/* a raw terminal reads 0 only once hung up: hang up the container's */
			reading = false;
			if (master >= 0)
				close(master);
			master = -1;
		} else {
			/* end of file: VEOF ends a read at the start of a line, and a
			 * first one sends a partial line on its way */
			reading = false;
			if (master >= 0 && tcgetattr(master, &inside) == 0) {
				input[0] = input[1] = inside.c_cc[VEOF];
				pending = last == '\n' ? 1 : 2;
			}
		}
	}
	if (master >= 0) {
		copy_output(master);
		close(master);
	}
	close(pidfd);
	restore_terminal();
}

/* ------------------------------------------------------------------------ *
 * Appendix D. Listing and entering running containers (-l, -x)
 *
 * Why an appendix: -l and -x are other commands than a launch, built from
 * its stages; the record they read is written in the parent right after
 * section 4's clone, and removed with the cgroup in section 10.
 *
 * A container is a process tree in a cgroup, and nothing in the kernel
 * calls it a container, so the launcher keeps its own record of each: a
 * small file, /run/contained/<cgroup name>.state, next to the liveness
 * lock of section 3, written once the clone has given the container a
 * host pid and removed with the lock on every way out (remove_cgroup(),
 * which the watchdog and the next launcher's sweep also run).  A record
 * counts only while someone holds its lock: a launcher killed between
 * the two leaves a file that the lock shows to be stale, and -l and -x
 * remove such a file instead of showing it.  The directory is root's
 * alone (0700), so no container or host user can forge a record.
 *
 * -l prints the records: name, host pid, uptime, memory used against the
 * limit (read live from the cgroup), the network, rootfs and command.
 *
 * -x NAME_OR_PID -c COMMAND runs a new process inside a running
 * container, as docker exec and nsenter(1) do, and with no more power
 * than the container's own processes: `nsenter -a` alone keeps the host
 * root's every capability and no seccomp filter (lab 10).  In order:
 *  1. find the record, open a pidfd on its process (pidfd_open(2)) and
 *     check that the process is in the record's cgroup: a pid alone may
 *     have been reused, a pidfd names one process for good;
 *  2. a helper child, still host root, writes itself into each of the
 *     container's cgroup directories: everything it starts then counts
 *     against the container's limits and is killed with the cgroup;
 *  3. it joins the container's namespaces with one setns(2) on the pidfd
 *     (Linux 5.8; atomic: all or none), or one /proc/PID/ns/NAME file at a
 *     time on older kernels, the user namespace first, as nsenter does:
 *     joining it gives every capability inside it, which joining the
 *     others (owned by it) then needs.  Namespaces the container shares
 *     with the host (-S) are the helper's already and are left alone.
 *     Joining the mount namespace also sets its root and working
 *     directory to the container's /;
 *  4. it becomes the namespace's root and clones the process that will run
 *     the command: setns() on a PID namespace applies only to children.
 *     CLONE_PARENT makes that process the launcher's child, not the
 *     helper's, so the launcher waits for it, relays its terminal and
 *     forwards signals exactly as for a new container;
 *  5. that process applies sections 7 to 9 as the container's own did:
 *     the guards, the capability keep-list, no_new_privs and the same
 *     seccomp filter, a terminal of its own, the default environment plus
 *     -e, and exec.  Its user is the container's -u unless -u says other.
 * Its exit status is its own.  It dies with the container: when PID 1
 * ends, the kernel kills its whole PID namespace, and the container's
 * launcher kills what is left in the cgroup.
 * ------------------------------------------------------------------------ */

/* What the launcher records of its container, one "key value" a line. */
struct record {
	char cgroup_name[128], name[65];
	pid_t pid;                       /* the container's first process, on the host */
	char rootfs[PATH_MAX], command[512];
	char network[32];                /* "lo only", or "host" (-S net) */
	long long started;               /* seconds since the epoch */
	unsigned uid, gid;               /* -u */
	unsigned long long memory;       /* -M, bytes */
	int ndirs;
	char dir[MAX_CGROUP_DIRS][PATH_MAX];
};

/* Newlines (a command's argument may hold one) would split a record line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = ' ';
}

/* Parent, right after the clone.  The file is written nameless
 * (O_TMPFILE) and linked into place whole, so a reader never sees half
 * of it and a launcher killed meanwhile leaves nothing. */
static void write_record(const struct options *o, const struct identity *id, pid_t pid,
			 int rootfs_fd)
{
	char path[PATH_MAX], fdpath[32], rootfs[PATH_MAX] = "", command[512] = "";
	size_t len = 0;
	for (char **a = o->argv; *a && len < sizeof command; a++)
		len += snprintf(command + len, sizeof command - len, "%s%s", len ? " " : "", *a);
	/* where the descriptor points, not the path again (section 2) */
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", rootfs_fd);
	if (readlink(fdpath, rootfs, sizeof rootfs - 1) < 0)
		snprintf(rootfs, sizeof rootfs, "%s", o->rootfs);
	one_line(command);
	one_line(rootfs);
	state_path(cgroup.name, path, sizeof path);
	trace("open(\"" RUN_DIR "\", O_TMPFILE|O_WRONLY|O_CLOEXEC, 0600); write; "
	      "linkat(AT_FDCWD, \"/proc/self/fd/N\", AT_FDCWD, \"%s\", AT_SYMLINK_FOLLOW)", path);
	int fd = open(RUN_DIR, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		die_errno("a record in " RUN_DIR);
	dprintf(fd, "pid %d\nname %s\ncgroup %s\nrootfs %s\ncommand %s\nstarted %lld\n"
		"uid %u\ngid %u\nmemory %llu\nnetwork %s\n", (int)pid, o->hostname, cgroup.name,
		rootfs, command, (long long)time(NULL), id->uid, id->gid, o->memory,
		o->shared & CLONE_NEWNET ? "host" :
		network.on ? address_text(network.subnet | htonl(2)) : "lo only");
	for (int i = 0; i < cgroup.ndirs; i++)
		dprintf(fd, "dir %s\n", cgroup.dir[i]);
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, fdpath, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0)
		die_errno("%s", path);
	close(fd);
}

/* The record of container NAME (its cgroup name); -1 if unreadable. */
static int read_record(const char *name, struct record *r)
{
	static char text[16384];
	char path[PATH_MAX];
	memset(r, 0, sizeof *r);
	state_path(name, path, sizeof path);
	if (read_file(path, text, sizeof text) < 0)
		return -1;
	for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *value = strchr(line, ' ');
		if (!value)
			continue;
		*value++ = '\0';
		if (!strcmp(line, "pid"))
			r->pid = atoi(value);
		else if (!strcmp(line, "name"))
			snprintf(r->name, sizeof r->name, "%s", value);
		else if (!strcmp(line, "cgroup"))
			snprintf(r->cgroup_name, sizeof r->cgroup_name, "%s", value);
		else if (!strcmp(line, "rootfs"))
			snprintf(r->rootfs, sizeof r->rootfs, "%s", value);
		else if (!strcmp(line, "command"))
			snprintf(r->command, sizeof r->command, "%s", value);
		else if (!strcmp(line, "network"))
			snprintf(r->network, sizeof r->network, "%s", value);
		else if (!strcmp(line, "started"))
			r->started = atoll(value);
		else if (!strcmp(line, "uid"))
			r->uid = atoi(value);
		else if (!strcmp(line, "gid"))
			r->gid = atoi(value);
		else if (!strcmp(line, "memory"))
			r->memory = strtoull(value, NULL, 10);
		else if (!strcmp(line, "dir") && r->ndirs < MAX_CGROUP_DIRS)
			snprintf(r->dir[r->ndirs++], PATH_MAX, "%s", value);
	}
	return r->pid > 0 && r->cgroup_name[0] ? 0 : -1;
}

/* Whether the launcher of container NAME, or its watchdog, still holds
 * the lock (section 3).  Taking it ourselves, for a moment, is the test. */
static bool launcher_lives(const char *name)
{
	char lock[PATH_MAX];
	lock_path(name, lock, sizeof lock);
	int fd = lock_file(lock, O_RDONLY, LOCK_NB);
	if (fd < 0)
		return errno == EWOULDBLOCK;
	close(fd);
	return false;
}

/* The next live record in D (opendir(RUN_DIR)); false at the end.  A
 * stale one, whose lock nobody holds, is removed on the way. */
static bool next_record(DIR *d, struct record *r)
{
	struct dirent *e;
	while ((e = readdir(d))) {
		char name[NAME_MAX + 1], path[PATH_MAX];
		size_t n = strlen(e->d_name);
		if (n <= 6 || strcmp(e->d_name + n - 6, ".state"))
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(n - 6), e->d_name);
		if (!launcher_lives(name)) {
			state_path(name, path, sizeof path);
			unlink(path);
			continue;
		}
		if (read_record(name, r) == 0)
			return true;
	}
	return false;
}

/* "3d04h", "2h05m", "4m09s", "12s" */
static void format_uptime(long long seconds, char *buf, size_t size)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds >= 86400)
		snprintf(buf, size, "%lldd%02lldh", seconds / 86400, seconds % 86400 / 3600);
	else if (seconds >= 3600)
		snprintf(buf, size, "%lldh%02lldm", seconds / 3600, seconds % 3600 / 60);
	else if (seconds >= 60)
		snprintf(buf, size, "%lldm%02llds", seconds / 60, seconds % 60);
	else
		snprintf(buf, size, "%llds", seconds);
}

/* "12.3M/1G": the memory cgroup's usage (memory.current on v2,
 * memory.usage_in_bytes on v1), then the limit. */
static void format_memory(const struct record *r, char *buf, size_t size)
{
	static const char *const usage_files[] = { "memory.current", "memory.usage_in_bytes" };
	char path[PATH_MAX + 32], text[64], limit[32], used[32] = "?";
	for (int i = 0; i < r->ndirs && used[0] == '?'; i++)
		for (size_t f = 0; f < LEN(usage_files); f++) {
			snprintf(path, sizeof path, "%s/%s", r->dir[i], usage_files[f]);
			if (read_file(path, text, sizeof text) < 0)
				continue;
			double bytes = strtod(text, NULL);
			if (bytes >= 1 << 30)
				snprintf(used, sizeof used, "%.1fG", bytes / (1 << 30));
			else
				snprintf(used, sizeof used, "%.1fM", bytes / (1 << 20));
			break;
		}
	format_size(r->memory, limit, sizeof limit);
	snprintf(buf, size, "%s/%s", used, limit);
}

/* One line per container, the command last (it may hold spaces).  NETWORK
 * fits any IPv4 address; ROOTFS is as wide as its longest path, which a
 * first pass over the records measures. */
static int list_containers(void)
{
	struct record r;
	int rootfs_width = strlen("ROOTFS");
	if (geteuid() != 0)
		die("-l: needs root: the records in " RUN_DIR " are root's; run it with sudo");
	DIR *d = opendir(RUN_DIR);
	while (d && next_record(d, &r))
		if ((int)strlen(r.rootfs) > rootfs_width)
			rootfs_width = strlen(r.rootfs);
	printf("%-32s %8s %8s %-14s %-15s %-*s %s\n", "NAME", "PID", "UPTIME", "MEMORY",
	       "NETWORK", rootfs_width, "ROOTFS", "COMMAND");
	if (!d)
		return 0;               /* no container has run since boot */
	rewinddir(d);
	while (next_record(d, &r)) {
		char uptime[32], memory[64];
		format_uptime(time(NULL) - r.started, uptime, sizeof uptime);
		format_memory(&r, memory, sizeof memory);
		printf("%-32s %8d %8s %-14s %-15s %-*s %s\n", r.name, (int)r.pid, uptime, memory,
		       r.network, rootfs_width, r.rootfs, r.command);
	}
	closedir(d);
	return 0;
}

/* -x's argument: a host pid, a hostname or a cgroup name.  Dies unless
 * exactly one live record matches. */
static void find_container(const char *what, struct record *found)
{
	unsigned long long pid = 0;
	struct record r;
	int matches = 0;
	bool by_pid = parse_number(what, INT_MAX, &pid) == 0;
	DIR *d = opendir(RUN_DIR);
	while (d && next_record(d, &r))
		if (by_pid ? r.pid == (pid_t)pid : !strcmp(r.name, what) || !strcmp(r.cgroup_name, what)) {
			*found = r;
			matches++;
		}
	if (d)
		closedir(d);
	if (matches == 0)
		die("-x %s: no running container of contained has that %s; `contained -l` "
		    "lists them", shown(what), by_pid ? "host pid" : "hostname or cgroup name");
	if (matches > 1)
		die("-x %s: %d running containers have that hostname; name one by its cgroup "
		    "name or host pid (see `contained -l`)", shown(what), matches);
}

/* A pidfd on the record's process, once it is seen to be in the record's
 * cgroup: a pid may have been reused since, the pidfd cannot be. */
static int open_container_process(const struct record *r)
{
	char path[64], text[4096], want[160];
	int pidfd = syscall(SYS_pidfd_open, r->pid, 0);
	if (pidfd < 0)
		die_errno("-x: pidfd_open(%d) (Linux 5.3 or later)", (int)r->pid);
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)r->pid);
	snprintf(want, sizeof want, "/contained/%s\n", r->cgroup_name);
	if (read_file(path, text, sizeof text) < 0 || !strstr(text, want))
		die("-x: process %d is no longer container %s's (it has ended)", (int)r->pid, r->name);
	return pidfd;
}

/* Helper child, as host root: into each of the container's cgroup
 * directories (cgroup.procs on both layouts). */
static void join_container_cgroup(const struct record *r)
{
	char path[PATH_MAX + 16];
	stage(NULL, "joining the container's cgroup");
	for (int i = 0; i < r->ndirs; i++) {
		snprintf(path, sizeof path, "%s/cgroup.procs", r->dir[i]);
		if (write_file(path, "%d", (int)getpid()) < 0)
			die_errno("joining %s", r->dir[i]);
	}
	done();
}

/* Helper child: every namespace of the container's process that is not
 * ours already (see above).  The /proc/PID/ns files are opened before any
 * join: /proc means something else once the mount namespace is joined. */
static void join_container_namespaces(int pidfd, pid_t pid)
{
	int fds[LEN(namespaces)];
	unsigned long flags = 0;
	char names[256];
	stage(NULL, "joining the container's namespaces");
	for (size_t i = 0; i < LEN(namespaces); i++) {
		char theirs[64], mine[64];
		struct stat a, b;
		snprintf(theirs, sizeof theirs, "/proc/%d/ns/%s", (int)pid, namespaces[i].name);
		snprintf(mine, sizeof mine, "/proc/self/ns/%s", namespaces[i].name);
		fds[i] = -1;
		if (stat(theirs, &a) < 0 || stat(mine, &b) < 0)
			die_errno("%s", theirs);
		if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			continue;               /* shared with the host (-S) */
		flags |= namespaces[i].flag;
		if ((fds[i] = open(theirs, O_RDONLY | O_CLOEXEC)) < 0)
			die_errno("%s", theirs);
	}
	trace("setns(pidfd %d, %s)", pidfd, clone_flag_names(flags, names, sizeof names));
	bool joined = setns(pidfd, flags) == 0;
	if (!joined && errno != EINVAL)
		die_errno("setns(pidfd of %d)", (int)pid);
	for (size_t i = 0; i < LEN(namespaces); i++) {
		if (fds[i] < 0)
			continue;
		if (!joined) {
			trace("setns(\"/proc/%d/ns/%s\", %s)", (int)pid, namespaces[i].name,
			      namespaces[i].flag_name);
			if (setns(fds[i], namespaces[i].flag) < 0)
				die_errno("joining the %s namespace of %d", namespaces[i].name, (int)pid);
		}
		close(fds[i]);
	}
	trace("setresgid(0, 0, 0); setresuid(0, 0, 0); setgroups(0, NULL); "
	      "prctl(PR_SET_DUMPABLE, 0)");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 || setgroups(0, NULL) < 0)
		die_errno("becoming root of the container's user namespace");
	prctl(PR_SET_DUMPABLE, 0);
	done();
}

/* The process that runs the command, inside every namespace joined:
 * sections 7 to 9, as the container's own processes had them. */
static void run_entered(const struct options *o, const struct identity *id, int cap_last_cap,
			int sock)
{
	rearm_child_guards(sock);
	if (!own_terminal)
		leave_callers_session();                       /* 9 */
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		die_errno("opening the container's /");
	drop_capabilities(cap_last_cap, id, sock);             /* 7 */
	enter_workdir(root, o->workdir);                       /* 6b */
	int slave = -1, master = own_terminal ? open_terminal(&slave) : -1;  /* 9 */
	install_syscall_filter();                              /* 8 */
	if (own_terminal)
		hand_over_terminal(sock, master, slave);       /* 9 */
	exec_command(o->argv, o, id);                          /* 9 */
}

static int enter_container(struct options *o)
{
	struct host host;
	struct record r;
	struct identity identity;
	int sockets[2];
	sigset_t old_mask;
	pid_t entered;

	block_forwarded_signals(&old_mask);
	probe_host(&host);
	check_standard_fds();
	own_terminal = wants_terminal(o->terminal);
	find_container(o->enter, &r);
	int pidfd = open_container_process(&r);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/root", (int)r.pid);
	int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat its_root, host_root;
	if (root < 0 || fstat(root, &its_root) < 0 || stat("/", &host_root) < 0)
		die_errno("%s", path);
	/* Until its pivot_root (section 6) a container's / is still the host's:
	 * entering then would hand over the host's whole tree.  A container
	 * only goes forward, so once pivoted it stays so. */
	if (its_root.st_dev == host_root.st_dev && its_root.st_ino == host_root.st_ino)
		die("-x %s: the container is still starting (its / is still the host's); try "
		    "again in a moment", o->enter);
	if (!o->have_uid) {
		o->uid = r.uid;
		o->gid = r.gid;
		o->have_gid = true;
	}
	look_up_identity(root, o, &identity);    /* 2b, in the container's own files */
	close(root);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0)
		die_errno("socketpair");
	fflush(NULL);
	pid_t helper = fork();
	if (helper < 0)
		die_errno("fork");
	if (helper == 0) {
		in_container = true;
		close(sockets[0]);
		join_container_cgroup(&r);
		join_container_namespaces(pidfd, r.pid);
		close(pidfd);
		trace("clone(CLONE_PARENT|SIGCHLD): the command's process, the launcher's child");
		fflush(NULL);
		pid_t pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
		if (pid < 0)
			die_errno("clone into the container's PID namespace");
		if (pid == 0)
			run_entered(o, &identity, host.cap_last_cap, sockets[1]);
		_exit(write(sockets[1], &pid, sizeof pid) == sizeof pid ? 0 : EXIT_LAUNCHER);
	}
	close(sockets[1]);
	close(pidfd);
	int wstatus;
	while (waitpid(helper, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (read(sockets[0], &entered, sizeof entered) != sizeof entered)
		cleanup_and_exit(EXIT_LAUNCHER);     /* the helper has said why */
	container_pid = entered;
	if (!quiet)
		fprintf(stderr, "=> entered container %s as pid %d on the host\n", r.name, (int)entered);
	o->init = true;     /* not a PID 1: no watch for ignored signals (section 10) */
	forward_to_init = true;
	forward_signals_to(entered);
	if (own_terminal)
		relay_terminal(sockets[0], &old_mask, o->init);
	wstatus = watch_container(o, &old_mask);
	container_pid = 0;
	if (!quiet)
		fprintf(stderr, "=> the entered process %s %d\n", WIFSIGNALED(wstatus) ?
			"was killed by signal" : "exited with status", WIFSIGNALED(wstatus) ?
			WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
	return exit_status_of(wstatus);
}


/* ------------------------------------------------------------------------ *
 * Appendix E. Narration: how the launcher talks
 *
 * Why an appendix: what the launcher says about a stage is not the stage.
 * The sections call stage(), done(), trace() and die() and leave the rest
 * to this appendix: the -s pauses and hints, -v's tables, the longer
 * explanations of a command that cannot run, the generated hostnames.
 *
 * -v (verbose) prints each
 * system call a stage makes, with its real arguments and flags by name, to
 * match against this source and against strace, and how long the stage
 * took, to see where a launch spends its time (`make bench` adds them up).
 * -q prints no "=>" line at all; errors ("contained: ...") still go out.
 *
 * -s (step) gives every stage the same rhythm: it says what is about to
 * happen and waits for Enter; the stage runs and prints its "=>" line;
 * then it shows a command that lets the learner see, from another
 * terminal, what the stage just changed (the first argument of stage(), a
 * printf format in which %1$d is the container's host pid, or before the
 * clone the launcher's own), and waits for Enter again.  It waits on the
 * terminal, /dev/tty, not on stdin, which may be a pipe meant for the
 * container.  Whatever was typed ahead is thrown away first (tcflush), so
 * a double Enter cannot skip a pause.  Ctrl-C at a pause ends the launch:
 * the signal is blocked (section 4), so a signalfd(2) hears it next to the
 * terminal, and cleanup_and_exit() undoes everything with status 130.
 * Once the parent waits for the container (section 10) its pauses are
 * over; the child makes the rest.
 * ------------------------------------------------------------------------ */

static bool stage_open;                /* a "=> ..." line waits for its ending */
static struct timespec stage_began;    /* for -v's "done (0.12 ms)" */
static const char *stage_watch;        /* -s: the hint to show once the stage is done */

/* The container's pid as the host sees it: the parent has it from clone;
 * the child reads it from the host's /proc, which it still sees before the
 * pivot (NSpid: its pid in each PID namespace, the host's first).  Before
 * the clone, the launcher's own pid. */
static pid_t host_pid(void)
{
	static pid_t own;
	char text[4096];
	if (!in_container)
		return container_pid ? container_pid : getpid();
	if (!own && read_file("/proc/self/status", text, sizeof text) == 0) {
		const char *nspid = strstr(text, "\nNSpid:");
		if (nspid)
			own = atoi(nspid + strlen("\nNSpid:"));
	}
	return own;
}

/* Wait for a line on the terminal.  Ctrl-C stops the launch (exit 130). */
static void wait_for_enter(const char *prompt)
{
	char line[256];
	sigset_t interrupt;
	sigemptyset(&interrupt);
	sigaddset(&interrupt, SIGINT);
	int sigfd = signalfd(-1, &interrupt, SFD_CLOEXEC);
	tcflush(step_tty, TCIFLUSH);      /* typed before the prompt: not an answer to it */
	fprintf(stderr, "   %s ", prompt);
	struct pollfd fds[2] = { { step_tty, POLLIN, 0 }, { sigfd, POLLIN, 0 } };
	while (poll(fds, sigfd >= 0 ? 2 : 1, -1) < 0 && errno == EINTR)
		;
	if (sigfd >= 0 && fds[1].revents) {
		fputs("\n=> Ctrl-C at a pause: stopping the launch\n", stderr);
		cleanup_and_exit(128 + SIGINT);
	}
	if (read(step_tty, line, sizeof line) <= 0)
		step_tty = -1;        /* terminal gone: run on without stopping */
	if (sigfd >= 0)
		close(sigfd);
}

/* WATCH, a format with %1$d for the pid, one line after another. */
static void show_hint(const char *label, const char *watch)
{
	pid_t pid = host_pid();
	fprintf(stderr, "   %s", label);
	fprintf(stderr, watch, (int)pid);
	fputc('\n', stderr);
}

/* -s, before a stage: what is about to happen.  WATCH, if any, is for a
 * step no pause can follow (the exec). */
static void pause_before(const char *watch, const char *what)
{
	if (step_tty < 0)
		return;
	fprintf(stderr, "\n-- next: %s\n", what);
	if (watch)
		show_hint("once it runs, see it: ", watch);
	wait_for_enter("press Enter to run it");
}

/* -s, after a stage: how to see what it changed (WATCH: NULL for nothing). */
static void pause_after(const char *watch)
{
	if (step_tty < 0 || !watch)
		return;
	show_hint("see it: ", watch);
	wait_for_enter("press Enter to continue");
}

static void stage(const char *watch, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	pause_before(NULL, what);
	stage_watch = watch;
	clock_gettime(CLOCK_MONOTONIC, &stage_began);
	if (quiet)
		return;
	fprintf(stderr, "=> %s...%s", what, verbose ? "\n" : "");
	stage_open = true;
}

static void done(void)
{
	struct timespec now;
	if (stage_open && !verbose)
		fputs("done.\n", stderr);
	if (stage_open && verbose) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		fprintf(stderr, "   done (%.2f ms).\n", (now.tv_sec - stage_began.tv_sec) * 1e3 +
			(now.tv_nsec - stage_began.tv_nsec) / 1e6);
	}
	stage_open = false;
	pause_after(stage_watch);
}

static void vwarn(const char *fmt, va_list ap)
{
	if (quiet)
		return;
	if (stage_open && !verbose)
		fputc('\n', stderr);      /* the stage's "done." follows on a line of its own */
	fputs("=> warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* The stage could not be done, and the launch goes on without it. */
static void skipped(const char *fmt, ...)
{
	va_list ap;
	if (stage_open)
		fputs(verbose ? "   skipped.\n" : "skipped.\n", stderr);
	stage_open = false;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	pause_after(stage_watch);
}

static void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

static void trace(const char *fmt, ...)
{
	va_list ap;
	if (!verbose)
		return;
	va_start(ap, fmt);
	fputs("     ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void vreport(const char *fmt, va_list ap, int errnum)
{
	if (stage_open)
		fputs("failed.\n", stderr);
	stage_open = false;
	fputs("contained: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap, 0);
	va_end(ap);
	cleanup_and_exit(EXIT_LAUNCHER);
}

static void die_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap, saved);
	va_end(ap);
	cleanup_and_exit(EXIT_LAUNCHER);
}

/* The child's way out when its parent is gone (or has reported the failure
 * itself): nothing to say, nothing to clean up. */
static void give_up_quietly(void)
{
	_exit(EXIT_LAUNCHER);
}

/* ---- the hints -s shows and the rules -v lists ---- */

/* -s: `grep . FILE...` prints each limit file as path:value: the rows both
 * layouts have and every host has (memory, pids, CPU quota and weight).
 * The paths hold no '%': a hostname is letters, digits, '-' and '.'. */
static void limit_files_hint(char *buf, size_t size)
{
	char controller[16];
	size_t len = snprintf(buf, size, "grep .");
	for (size_t i = 0; i < LEN(cgroup_knobs); i++) {
		const struct cgroup_knob *k = &cgroup_knobs[i];
		if (k->optional || !k->v2_file || !k->v1_file)
			continue;
		const char *dir = cgroup_dir_of(controller_of(knob_file(k), controller, sizeof controller));
		if (dir && len < size)
			len += snprintf(buf + len, size - len, " %s/%s", dir, knob_file(k));
	}
}

/* -s: the hex masks /proc/PID/status shows, decoded from the keep-list. */
static void capabilities_hint(unsigned uid, char *buf, size_t size)
{
	size_t len = snprintf(buf, size, "grep -E '^(Uid|Cap(Eff|Bnd)):' /proc/%%1$d/status\n"
			      "   # CapBnd:");
	for (size_t i = 0; i < LEN(kept_capabilities); i++) {
		char *name = cap_to_name(kept_capabilities[i]);
		if (name && len < size)
			len += snprintf(buf + len, size - len, " %s", name);
		cap_free(name);
	}
	if (len < size)
		snprintf(buf + len, size - len, "\n   # CapEff: %s", uid == 0 ? "the same" :
			 "none (only root keeps any)");
}

/* -v: each row of the tables, as the filter will apply it. */
static void trace_syscall_rules(void)
{
	for (size_t i = 0; i < LEN(denied_calls); i++)
		trace("  %-17s -> %s   (%s)", denied_calls[i].name,
		      strerrorname_np(denied_calls[i].errnum), denied_calls[i].why);
	for (size_t i = 0; i < LEN(arg_rules); i++) {
		const struct arg_rule *r = &arg_rules[i];
		char when[96];
		if (r->test == EQUALS)
			snprintf(when, sizeof when, "(arg%u & %#llx) == %#llx", r->arg, r->mask, r->value);
		else
			snprintf(when, sizeof when, "arg%u has a bit of %#llx%s", r->arg, r->mask,
				 r->test == ANY_BIT_BUT_QUERY ? ", unless it is 0xffffffff" : "");
		trace("  %-17s -> %s if %s   (%s)", r->name, strerrorname_np(r->errnum), when, r->why);
	}
}

/* Append WORD to "   # ..." lines of up to 76 columns; returns the new length. */
static size_t append_wrapped(char *buf, size_t size, size_t len, const char *word)
{
	const char *line = strrchr(buf, '\n');
	size_t column = len - (line ? line + 1 - buf : 0);
	if (len < size)
		len += snprintf(buf + len, size - len, "%s%s", column + strlen(word) > 75 ?
				"\n   #  " : " ", word);
	return len;
}

/* -s: the status lines, and the names of the calls in the tables. */
static void syscall_filter_hint(char *buf, size_t size)
{
	size_t len = snprintf(buf, size, "grep -E '^(NoNewPrivs|Seccomp):' /proc/%%1$d/status"
			      "   # 1, and 2: a filter\n   # refused:");
	for (size_t i = 0; i < LEN(denied_calls); i++)
		len = append_wrapped(buf, size, len, denied_calls[i].name);
	if (len < size)
		len += snprintf(buf + len, size - len, "\n   # refused for some arguments:");
	for (size_t i = 0; i < LEN(arg_rules); i++)
		if (i == 0 || strcmp(arg_rules[i].name, arg_rules[i - 1].name))
			len = append_wrapped(buf, size, len, arg_rules[i].name);
}

/* ---- errors that explain themselves ---- */

/* Say why -c names nothing to run, and what would. */
static void die_command_not_found(int rootfs, const struct options *o)
{
	const char *command = o->argv[0], *base = strrchr(command, '/');
	if (errno == EISDIR)
		die("-c %s: a directory in %s, not a program", command, o->rootfs);
	if (strchr(command, ' '))
		die("-c '%s': not found in %s; the command and each of its arguments are "
		    "separate words, as in -c /bin/echo hi", command, o->rootfs);
	if (base && base[1] && find_in_rootfs(rootfs, base + 1) == 0)
		die("-c %s: not found in %s, but %s is on the container's PATH: try -c %s",
		    command, o->rootfs, base + 1, base + 1);
	die("-c %s: not found in %s (looked %s); is the rootfs complete?", command, o->rootfs,
	    base ? "at that path" : "along PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

/* The file execvp() would run for COMMAND, looked up along PATH as it
 * does; false if there is none. */
static bool command_file(const char *command, char *path, size_t size)
{
	if (strchr(command, '/'))
		return snprintf(path, size, "%s", command) < (int)size && access(path, F_OK) == 0;
	for (const char *dir = container_path; *dir; ) {
		size_t len = strcspn(dir, ":");
		snprintf(path, size, "%.*s/%s", (int)len, dir, command);
		if (access(path, X_OK) == 0)
			return true;
		dir += len + !!dir[len];
	}
	return false;
}

/* execve() answers ENOENT for a file that is there when what it needs to
 * run it is not (execve(2)): the interpreter on a script's #! line -- one
 * that ends in the carriage return of a file saved with Windows line
 * endings, too -- or the ELF interpreter (the dynamic loader) a
 * dynamically linked program names in its PT_INTERP header (elf(5)).
 * Say which, and what to do. */
static void explain_missing_interpreter(const char *command)
{
	char path[PATH_MAX], head[256], interp[PATH_MAX] = "";
	Elf64_Ehdr elf;
	Elf64_Phdr ph;
	if (!command_file(command, path, sizeof path))
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : pread(fd, head, sizeof head - 1, 0);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		head[n] = '\0';
		const char *name = head + 2 + strspn(head + 2, " \t");
		int len = strcspn(name, " \t\n");
		bool crlf = len > 0 && name[len - 1] == '\r';
		if (crlf)
			fprintf(stderr, "contained: %s: its #! line ends in a carriage return: the file "
				"has Windows line endings (convert it: sed -i 's/\\r$//' FILE)\n", path);
		else
			fprintf(stderr, "contained: %s: its interpreter %.*s (from its #! line) is not "
				"in the rootfs\n", path, len, name);
	} else if (n >= (ssize_t)sizeof elf && !memcmp(head, ELFMAG, SELFMAG) && head[EI_CLASS] == ELFCLASS64) {
		memcpy(&elf, head, sizeof elf);
		for (int i = 0; i < elf.e_phnum && !interp[0]; i++)
			if (pread(fd, &ph, sizeof ph, elf.e_phoff + (off_t)i * elf.e_phentsize) == sizeof ph &&
			    ph.p_type == PT_INTERP && ph.p_filesz < sizeof interp &&
			    pread(fd, interp, ph.p_filesz, ph.p_offset) == (ssize_t)ph.p_filesz)
				interp[ph.p_filesz] = '\0';
		if (interp[0])
			fprintf(stderr, "contained: %s is linked against %s, which is not in the rootfs: "
				"it was built for another system; use a static build, or one made for "
				"this rootfs's distribution\n", path, interp);
	}
	if (fd >= 0)
		close(fd);
}

/* ---- generated hostnames ---- */

/* Generated hostnames are a short hex time stamp and a tarot card, which is
 * easier to say across a classroom than a container id.  The 78 cards: 22
 * major arcana, then 14 ranks in each of 4 suits. */
static const char *const major_arcana[22] = {
	"the-fool", "the-magician", "the-high-priestess", "the-empress",
	"the-emperor", "the-hierophant", "the-lovers", "the-chariot",
	"strength", "the-hermit", "wheel-of-fortune", "justice",
	"the-hanged-man", "death", "temperance", "the-devil", "the-tower",
	"the-star", "the-moon", "the-sun", "judgement", "the-world",
};
static const char *const ranks[14] = {
	"ace", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "page", "knight", "queen", "king",
};
static const char *const suits[4] = { "wands", "cups", "swords", "pentacles" };

static void generate_hostname(unsigned long stamp, unsigned card, char *buf, size_t size)
{
	card %= 78;
	if (card < 22)
		snprintf(buf, size, "%06lx-%s", stamp & 0xffffff, major_arcana[card]);
	else
		snprintf(buf, size, "%06lx-%s-of-%s", stamp & 0xffffff,
			 ranks[(card - 22) % 14], suits[(card - 22) / 14]);
}

/* ---- small helpers every section uses ---- */

/* Write a short formatted string to a kernel file such as uid_map or
 * memory.max.  These files want the whole value in a single write().
 * Returns 0, or -1 with errno. */
static int write_file(const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	trace("write(\"%s\", \"%.*s\")", path, len && buf[len - 1] == '\n' ? len - 1 : len, buf);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, buf, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return n == len ? 0 : -1;
}

/* Read a small file whole, NUL-terminated.  Returns 0, or -1 with errno. */
static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Flag words by name for trace(), "MS_BIND|MS_REC". */
struct flag_name { unsigned long flag; const char *name; };
#define FLAG(f) { f, #f }

static const struct flag_name mount_flags[] = {
	FLAG(MS_RDONLY), FLAG(MS_NOSUID), FLAG(MS_NODEV), FLAG(MS_NOEXEC),
	FLAG(MS_REMOUNT), FLAG(MS_BIND), FLAG(MS_REC), FLAG(MS_PRIVATE),
	FLAG(MS_NOATIME), FLAG(MS_NODIRATIME), FLAG(MS_RELATIME),
};

static void append_name(char *buf, size_t size, size_t *len, const char *name)
{
	*len += snprintf(buf + *len, *len < size ? size - *len : 0, "%s%s", *len ? "|" : "", name);
}

static const char *mount_flag_names(unsigned long flags, char *buf, size_t size)
{
	char rest[32];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < LEN(mount_flags); i++)
		if ((flags & mount_flags[i].flag) == mount_flags[i].flag) {
			flags &= ~mount_flags[i].flag;
			append_name(buf, size, &len, mount_flags[i].name);
		}
	if (flags || !len) {
		snprintf(rest, sizeof rest, "%#lx", flags);
		append_name(buf, size, &len, rest);
	}
	return buf;
}

/* "CLONE_NEWUSER|CLONE_NEWNS|...", from the namespace table (section 2). */
static const char *clone_flag_names(unsigned long flags, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < LEN(namespaces); i++)
		if (flags & namespaces[i].flag)
			append_name(buf, size, &len, namespaces[i].flag_name);
	return buf;
}

/* ------------------------------------------------------------------------ *
 * Appendix F. Speed: the child moves itself into its cgroup
 *
 * Why an appendix: what the lesson needs is that the child is inside its
 * cgroup before it runs anything of the command, and the plain way to get
 * it there is for the parent to write the child's pid into cgroup.procs.
 * This is a faster way, for cgroup v1 hosts (and v2 kernels older than
 * 5.7).  It hooks into sections 3 (the parent opens the descriptors) and 5
 * (the child writes into them after the go-ahead).
 *
 * Moving a whole process into a cgroup takes a global lock
 * (cgroup_threadgroup_rwsem) whose writer waits for an RCU grace period:
 * 4 to 15 ms on a cgroup v1 host while another CPU is busy, the cost of
 * whole launches (`make bench` on a two-CPU v1 host: 14-18 ms a launch
 * the plain way, 4.7-6.5 ms this way).  A thread that moves *itself*
 * (writes "0") skips the lock, and the child's one thread is all of it;
 * but the child cannot open root's cgroup files.  So the parent opens them
 * before the clone (the kernel checks the credentials of whoever opened a
 * cgroup file, not of the writer), and the child, which inherits the
 * descriptors, writes "0" into them after the go-ahead.  On v2, clone3
 * starts the child inside (section 4) and the descriptors go unused: they
 * are there for a kernel that refuses CLONE_INTO_CGROUP.
 * ------------------------------------------------------------------------ */

/* v1 moves a thread through "tasks", v2 through "cgroup.procs". */
static void open_join_fds(void)
{
	char path[PATH_MAX + 16];
	for (int i = 0; i < cgroup.ndirs; i++) {
		snprintf(path, sizeof path, "%s/%s", cgroup.dir[i],
			 cgroup.version == 2 ? "cgroup.procs" : "tasks");
		if ((cgroup.join_fd[i] = open(path, O_WRONLY | O_CLOEXEC)) < 0)
			die_errno("%s", path);
	}
}

/* Each side closes its copies once the child is inside. */
static void close_join_fds(void)
{
	for (int i = 0; i < cgroup.ndirs; i++)
		close(cgroup.join_fd[i]);
}

/* Child side, right after the go-ahead. */
static void join_cgroup(void)
{
	if (!cgroup.born_inside) {
		stage("cat /proc/%1$d/cgroup", "moving into the container's cgroup");
		for (int i = 0; i < cgroup.ndirs; i++) {
			trace("write(%d, \"0\")   (%s)", cgroup.join_fd[i], cgroup.dir[i]);
			if (write(cgroup.join_fd[i], "0", 1) != 1)
				die_errno("joining %s", cgroup.dir[i]);
		}
		done();
	}
	close_join_fds();
}
