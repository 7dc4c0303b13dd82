/*
 * oci.c - Part II: contained as an OCI runtime, driven by containerd and
 * Docker in place of runc.
 *
 *     contained-oci --root DIR create --bundle B --pid-file F ID
 *     contained-oci --root DIR start ID     (and state, kill, delete)
 *
 * Part I (contained.c) is a launcher: one command line in, one container
 * run to its end, the launcher waiting beside it.  An OCI runtime is asked
 * for the same container in pieces, by a program (containerd's shim):
 * "create" sets it up and leaves it blocked before exec, "start" lets it
 * go, "kill" and "delete" come later, each a new run of the runtime, and
 * what it is told comes from a bundle's config.json
 * (opencontainers/runtime-spec, config.md and runtime.md), not from flags.
 *
 * Why a file of its own: contained.c is the lesson, read top to bottom,
 * and builds alone with one compiler line.  This file includes it whole,
 * with its main() left out (CONTAINED_TEST, as tests/unit.c does), so
 * every stage function of Part I is here to call, and adds only what the
 * runtime interface needs: reading config.json (json-c), the state kept
 * between runs, the subcommands.
 *
 * Where the OCI path differs from Part I, and why:
 *  - A user namespace only when config.json asks for one (linux.namespaces
 *    "user", with linux.uidMappings and gidMappings: `ctr run --uidmap`).
 *    ctr and Docker ask for none by default, so the container's root is
 *    usually host root, held back only by what config.json asks for: the
 *    capability sets, the device rules of the cgroup, masked and read-only
 *    paths, no_new_privs.  Every field that protects the host is applied,
 *    or refused with an error that names it; none is ignored, and none is
 *    dropped because a user namespace is there.  The maps are written by
 *    create, the host's root, as Part I's launcher writes its own (section
 *    5); there is no idmapped rootfs (the engine gives a rootfs owned by
 *    the mapped ids, or one the container only reads) and no clone as uid
 *    100000 (section 4): the namespace's owner is host root, as with runc.
 *  - The bundle's rootfs is the engine's (an overlay snapshot), copied as
 *    a detached private tree (open_tree) like Part I's, but not idmapped:
 *    the engine gives a rootfs owned by the ids the container has.
 *  - The cgroup's place is given by the engine (linux.cgroupsPath) and
 *    outlives the runtime process: delete removes it, not an exit handler.
 *  - create and start are two processes.  The container waits between
 *    them on a FIFO in the state directory (ROOT/ID/exec.fifo): it opens
 *    it for writing, which blocks until start opens it for reading.
 *  - The engine reaps the container: create exits once the container is
 *    blocked on the FIFO, and the shim, a child subreaper
 *    (PR_SET_CHILD_SUBREAPER, prctl(2)), inherits it.
 *
 * cgroup v1 and v2 both (II.5): on v2 the device allow-list is a
 * BPF_PROG_TYPE_CGROUP_DEVICE program, since v2 has no devices controller.
 *
 * What it does not do yet (each refused by name when a config asks for
 * it): idmapped mounts (mounts[].uidMappings), joining a mount namespace,
 * SELinux labels, update, the blockIO/hugepage/network/rdma resources.
 *
 * Build: make contained-oci (links json-c, from libjson-c-dev).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define CONTAINED_TEST          /* contained.c without its main() */
#include "contained.c"

#include <json-c/json.h>
#include <linux/bpf.h>
#include <linux/nsfs.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/un.h>

#define OCI_VERSION "1.0.2"
#define CONTAINED_OCI_VERSION "0.1"

/* ------------------------------------------------------------------------ *
 * II.1 config.json
 *
 * The whole file is checked before anything is done: every object's keys
 * against the list this runtime knows, every value's type.  An unknown key
 * is an error naming it, and so is a known one this runtime cannot apply
 * (seccomp, say): a runtime that skipped a field it did not understand
 * would run the container with less protection than its engine asked for,
 * and nobody would know.  Zeros in linux.resources mean "unset" (Docker
 * sends them), so they are accepted wherever a value would be refused.
 * ------------------------------------------------------------------------ */

#define OCI_MAX_MOUNTS 64
#define OCI_MAX_PATHS 64
#define OCI_MAX_DEVICES 64
#define OCI_MAX_GIDS 64
#define OCI_MAX_RLIMITS 16
#define OCI_MAX_HOOKS 16
#define OCI_MAX_SYSCTLS 64
#define OCI_MAX_CGROUP_DIRS 5          /* one per controller of II.5 */

/* The six moments of the lifecycle at which the engine may run programs of
 * its own (runtime-spec config.md, "POSIX-platform Hooks"). */
enum hook_kind { PRESTART, CREATE_RUNTIME, CREATE_CONTAINER, START_CONTAINER, POSTSTART,
		 POSTSTOP, NHOOK_KINDS };
static const char *const hook_names[NHOOK_KINDS + 1] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL };

struct oci_hook {
	const char *path;              /* absolute */
	const char **args;             /* argv, args[0] included; NULL: just the path */
	const char **env;              /* NULL: an empty environment */
	int timeout;                   /* seconds; 0: none */
};

struct oci_hooks {
	struct oci_hook list[NHOOK_KINDS][OCI_MAX_HOOKS];
	int n[NHOOK_KINDS];
};

struct oci_mount {
	const char *destination, *type, *source;
	unsigned long flags;           /* MS_* from the options */
	unsigned long propagation;     /* MS_PRIVATE, MS_SLAVE ... or 0 */
	char data[512];                /* the options that are not flags: "mode=755,size=65536k" */
	bool bind;                     /* bind or rbind */
};

struct oci_device_rule {
	bool allow;
	char type;                     /* 'a', 'c' or 'b' */
	long major, minor;             /* -1: any */
	char access[4];                /* "rwm" */
};

#define OCI_MAX_ARCHS 16

struct oci_seccomp_rule {
	const char *name;              /* for error messages */
	int nr;                        /* seccomp_syscall_resolve_name() */
	uint32_t action;
	unsigned nargs;
	struct scmp_arg_cmp args[6];
};

struct oci_seccomp {
	bool present;
	uint32_t default_action;
	uint32_t archs[OCI_MAX_ARCHS];
	int narchs;
	enum scmp_filter_attr flags[4];
	int nflags;
	struct oci_seccomp_rule *rules;
	int nrules;
	int unknown_names;             /* skipped: not a system call libseccomp knows */
};

/* One line of a user namespace's id map (user_namespaces(7)): ids
 * container..container+size-1 inside are host..host+size-1 outside. */
struct oci_id_range {
	unsigned container, host, size;
};

/* The most lines the kernel takes in one uid_map or gid_map (Linux 4.15
 * and later; 5 before). */
#define OCI_MAX_ID_RANGES 340
#define OCI_MAX_ID_MAP_TEXT 4095      /* bytes: one write under a page (4096 on x86-64) */

struct oci_config {
	struct oci_process {
		const char **args;         /* NULL-terminated */
		const char **env;          /* NULL-terminated */
		const char *cwd;
		unsigned uid, gid;
		gid_t gids[OCI_MAX_GIDS];
		int ngids;
		bool terminal;
		unsigned short rows, cols;  /* consoleSize; 0: the engine sets it later */
		uint64_t bounding, effective, permitted, inheritable, ambient;  /* 1 << CAP_x */
		bool have_capabilities;
		struct { int resource; struct rlimit limit; } rlimits[OCI_MAX_RLIMITS];
		int nrlimits;
		bool no_new_privileges;
		bool have_oom_score_adj;
		int oom_score_adj;
		const char *apparmor;      /* process.apparmorProfile, or NULL */
	} process;
	const char *root_path;         /* relative to the bundle, or absolute */
	bool root_readonly;
	const char *hostname, *domainname;
	struct oci_mount mounts[OCI_MAX_MOUNTS];
	int nmounts;
	int namespaces;                /* CLONE_NEW*: the namespaces made for it */
	struct oci_join {              /* linux.namespaces[] with a path: joined */
		int flag;              /* CLONE_NEW* */
		const char *type, *path;
		int index;             /* in linux.namespaces, for errors */
	} join[8];
	int njoin, joined;             /* joined: the CLONE_NEW* flags of join[] */
	struct oci_id_range uid_map[OCI_MAX_ID_RANGES], gid_map[OCI_MAX_ID_RANGES];
	int nuid_map, ngid_map;        /* linux.uidMappings, gidMappings; 0: none */
	const char *cgroups_path;
	char cgroup_rel[512];          /* its place below /sys/fs/cgroup(/CONTROLLER); "": the default */
	bool cgroup_systemd;           /* given as systemd's slice:prefix:name */
	char systemd_slice[256], systemd_unit[520];  /* then: "system.slice", "docker-ID.scope" */
	long long memory_limit;        /* bytes; 0 = unset */
	long long memory_swap;         /* memory plus swap, bytes; 0 = unset, -1 = no limit */
	long long cpu_shares, cpu_quota, cpu_period;
	long long pids_limit;
	struct oci_device_rule devices[OCI_MAX_DEVICES];
	int ndevices;
	const char *masked[OCI_MAX_PATHS], *readonly[OCI_MAX_PATHS];
	int nmasked, nreadonly;
	struct oci_hooks hooks;
	json_object *hooks_json, *annotations;   /* kept in the state for start and delete */
	struct oci_seccomp seccomp;
	struct { const char *key, *value; int namespace; } sysctl[OCI_MAX_SYSCTLS];
	int nsysctls;
	json_object *json;             /* owns every string above */
};

/* The first error met while reading, and where. */
struct reader {
	char err[512];
	const char *file;              /* "config.json", "process.json" */
};

static void PRINTF(2, 3) oci_error(struct reader *r, const char *fmt, ...)
{
	if (r->err[0])
		return;
	int n = snprintf(r->err, sizeof r->err, "%s: ", r->file);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof r->err - n, fmt, ap);
	va_end(ap);
}

/* Each key of OBJ (at WHERE, "linux.resources") must be in KNOWN;
 * UNSUPPORTED lists those this runtime knows it cannot apply yet. */
static void check_fields(struct reader *r, json_object *obj, const char *where,
			 const char *const *known, const char *const *unsupported)
{
	if (!json_object_is_type(obj, json_type_object))
		return oci_error(r, "%s must be an object", *where ? where : "the top level");
	json_object_object_foreach(obj, key, value) {
		(void)value;
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = !strcmp(*k, key);
		for (const char *const *u = unsupported; u && *u; u++)
			if (!strcmp(*u, key))
				oci_error(r, "%s%s%s is not supported by contained-oci yet; remove it "
					  "from the configuration or use another runtime",
					  where, *where ? "." : "", key);
		if (!ok && !(unsupported && r->err[0]))
			oci_error(r, "unknown field %s%s%s: contained-oci refuses what it does "
				  "not understand rather than ignore it", where, *where ? "." : "", key);
	}
}

/* A value for an error message: Part I's shown(), and "" for a field
 * that is missing (NULL). */
static const char *value_shown(const char *value)
{
	return value ? shown(value) : "";
}

/* A member of OBJ, NULL when absent; wrong type: an error. */
static json_object *member(struct reader *r, json_object *obj, const char *where,
			   const char *key, json_type type)
{
	json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	bool fits = json_object_is_type(v, type) ||
		    (type == json_type_double && json_object_is_type(v, json_type_int));
	if (!fits) {
		oci_error(r, "%s%s%s must be %s", where, *where ? "." : "", key,
			  type == json_type_string ? "a string" : type == json_type_int ? "an integer" :
			  type == json_type_boolean ? "true or false" : type == json_type_array ?
			  "an array" : type == json_type_object ? "an object" : "a number");
		return NULL;
	}
	return v;
}

static const char *string_member(struct reader *r, json_object *obj, const char *where, const char *key)
{
	json_object *v = member(r, obj, where, key, json_type_string);
	return v ? json_object_get_string(v) : NULL;
}

/* An integer member in [MIN, MAX]; DEFAULT when absent. */
static long long int_member(struct reader *r, json_object *obj, const char *where, const char *key,
			    long long min, long long max, long long dflt)
{
	json_object *v = member(r, obj, where, key, json_type_int);
	if (!v)
		return dflt;
	errno = 0;
	long long n = json_object_get_int64(v);
	if (errno || n < min || n > max) {
		oci_error(r, "%s.%s: %s is out of range (%lld..%lld)", where, key,
			  json_object_get_string(v), min, max);
		return dflt;
	}
	return n;
}

static bool bool_member(struct reader *r, json_object *obj, const char *where, const char *key)
{
	json_object *v = member(r, obj, where, key, json_type_boolean);
	return v && json_object_get_boolean(v);
}

/* An array of strings, NULL-terminated, or NULL when absent. */
static const char **string_array(struct reader *r, json_object *obj, const char *where, const char *key)
{
	json_object *a = member(r, obj, where, key, json_type_array);
	if (!a)
		return NULL;
	size_t n = json_object_array_length(a);
	const char **out = calloc(n + 1, sizeof *out);
	if (!out)
		die_errno("memory for %s.%s", where, key);
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(a, i);
		if (!json_object_is_type(s, json_type_string)) {
			oci_error(r, "%s.%s[%zu] must be a string", where, key, i);
			return out;
		}
		out[i] = json_object_get_string(s);
	}
	return out;
}

/* "CAP_SYS_ADMIN" -> 1 << CAP_SYS_ADMIN, for each name in the array. */
static uint64_t capability_set(struct reader *r, json_object *caps, const char *key)
{
	const char **names = string_array(r, caps, "process.capabilities", key);
	uint64_t set = 0;
	for (const char **n = names; n && *n; n++) {
		cap_value_t cap;
		if (cap_from_name(*n, &cap) < 0 || strncasecmp(*n, "CAP_", 4) != 0) {
			oci_error(r, "process.capabilities.%s[%td]: unknown capability \"%s\" (names as in "
				  "capabilities(7), like CAP_CHOWN; capsh --print lists this host's)",
				  key, n - names, *n);
			break;
		}
		set |= 1ULL << cap;
	}
	free(names);
	return set;
}

static const struct { const char *name; int resource; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

/* A limit, 0..2^64-1; 2^64-1 (what Docker sends for "unlimited") is
 * RLIM_INFINITY, which it also is in the kernel's own terms. */
static rlim_t rlimit_value(struct reader *r, json_object *l, const char *where, const char *key)
{
	json_object *v = member(r, l, where, key, json_type_int);
	if (!v)
		return 0;
	if (json_object_get_int64(v) < 0) {
		oci_error(r, "%s.%s: %s is out of range (0..18446744073709551615)", where, key,
			  json_object_get_string(v));
		return 0;
	}
	uint64_t n = json_object_get_uint64(v);
	return n == UINT64_MAX ? RLIM_INFINITY : (rlim_t)n;
}

static void read_rlimits(struct reader *r, json_object *proc, struct oci_process *p)
{
	static const char *const known[] = { "type", "soft", "hard", NULL };
	json_object *a = member(r, proc, "process", "rlimits", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a) && !r->err[0]; i++) {
		json_object *l = json_object_array_get_idx(a, i);
		char where[40];
		snprintf(where, sizeof where, "process.rlimits[%zu]", i);
		check_fields(r, l, where, known, NULL);
		const char *type = string_member(r, l, where, "type");
		if (r->err[0])
			return;
		size_t k = 0;
		while (k < LEN(rlimit_names) && (!type || strcmp(rlimit_names[k].name, type)))
			k++;
		if (k == LEN(rlimit_names) || p->nrlimits == OCI_MAX_RLIMITS) {
			oci_error(r, "%s: unknown type \"%s\" (names as in getrlimit(2), like RLIMIT_NOFILE)",
				  where, value_shown(type));
			return;
		}
		p->rlimits[p->nrlimits].resource = rlimit_names[k].resource;
		p->rlimits[p->nrlimits].limit.rlim_cur = rlimit_value(r, l, where, "soft");
		p->rlimits[p->nrlimits].limit.rlim_max = rlimit_value(r, l, where, "hard");
		p->nrlimits++;
	}
}

/* process: in config.json, and the whole of exec's process.json. */
static void read_process(struct reader *r, json_object *proc, struct oci_process *p)
{
	static const char *const known[] = {
		"terminal", "consoleSize", "user", "args", "env", "cwd", "capabilities", "rlimits",
		"noNewPrivileges", "oomScoreAdj", "apparmorProfile", "selinuxLabel", "commandLine", NULL };
	static const char *const unsupported[] = { "commandLine", NULL };
	static const char *const size_known[] = { "height", "width", NULL };
	static const char *const user_known[] = { "uid", "gid", "umask", "additionalGids", "username", NULL };
	static const char *const user_unsupported[] = { "umask", "username", NULL };
	static const char *const caps_known[] = {
		"bounding", "effective", "inheritable", "permitted", "ambient", NULL };

	if (!proc) {
		oci_error(r, "process is missing: it says what to run");
		return;
	}
	check_fields(r, proc, "process", known, unsupported);
	p->terminal = bool_member(r, proc, "process", "terminal");
	json_object *size = member(r, proc, "process", "consoleSize", json_type_object);
	if (size) {
		check_fields(r, size, "process.consoleSize", size_known, NULL);
		p->rows = int_member(r, size, "process.consoleSize", "height", 0, USHRT_MAX, 0);
		p->cols = int_member(r, size, "process.consoleSize", "width", 0, USHRT_MAX, 0);
	}
	p->args = string_array(r, proc, "process", "args");
	if (!r->err[0] && (!p->args || !p->args[0]))
		oci_error(r, "process.args is missing or empty: it is the command to run");
	p->env = string_array(r, proc, "process", "env");
	for (size_t i = 0; p->env && p->env[i] && !r->err[0]; i++)
		if (!strchr(p->env[i], '=') || p->env[i][0] == '=')
			oci_error(r, "process.env[%zu] \"%s\" must be NAME=VALUE", i, value_shown(p->env[i]));
	p->cwd = string_member(r, proc, "process", "cwd");
	if (!r->err[0] && (!p->cwd || p->cwd[0] != '/'))
		oci_error(r, "process.cwd must be an absolute path (it is \"%s\")", value_shown(p->cwd));

	json_object *user = member(r, proc, "process", "user", json_type_object);
	if (user) {
		check_fields(r, user, "process.user", user_known, user_unsupported);
		p->uid = int_member(r, user, "process.user", "uid", 0, UINT32_MAX - 1, 0);
		p->gid = int_member(r, user, "process.user", "gid", 0, UINT32_MAX - 1, 0);
		json_object *g = member(r, user, "process.user", "additionalGids", json_type_array);
		for (size_t i = 0; g && i < json_object_array_length(g); i++) {
			json_object *v = json_object_array_get_idx(g, i);
			if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
			    json_object_get_int64(v) >= UINT32_MAX || p->ngids == OCI_MAX_GIDS) {
				oci_error(r, "process.user.additionalGids[%zu] must be a group id, at most %d of them",
					  i, OCI_MAX_GIDS);
				break;
			}
			p->gids[p->ngids++] = json_object_get_int64(v);
		}
	}

	json_object *caps = member(r, proc, "process", "capabilities", json_type_object);
	p->have_capabilities = caps != NULL;
	if (caps) {
		check_fields(r, caps, "process.capabilities", caps_known, NULL);
		p->bounding = capability_set(r, caps, "bounding");
		p->effective = capability_set(r, caps, "effective");
		p->permitted = capability_set(r, caps, "permitted");
		p->inheritable = capability_set(r, caps, "inheritable");
		p->ambient = capability_set(r, caps, "ambient");
	}
	read_rlimits(r, proc, p);
	p->no_new_privileges = bool_member(r, proc, "process", "noNewPrivileges");
	p->have_oom_score_adj = member(r, proc, "process", "oomScoreAdj", json_type_int) != NULL;
	p->oom_score_adj = int_member(r, proc, "process", "oomScoreAdj", -1000, 1000, 0);
	/* AppArmor: applied at exec (II.6); SELinux: a label this runtime
	 * cannot apply protects less, so it is refused. */
	p->apparmor = string_member(r, proc, "process", "apparmorProfile");
	if (p->apparmor && !p->apparmor[0])
		p->apparmor = NULL;
	if (p->apparmor && (strlen(p->apparmor) > 200 || strpbrk(p->apparmor, "\n")))
		oci_error(r, "process.apparmorProfile \"%s\" is not a profile name", value_shown(p->apparmor));
	if (string_member(r, proc, "process", "selinuxLabel"))
		oci_error(r, "process.selinuxLabel is not supported by contained-oci yet");
}

/* Mount options: flags by name (mount(8)), propagation, and the rest
 * passed on to the filesystem as its data ("mode=755"). */
static const struct { const char *name; unsigned long set, clear; } mount_options[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 }, { "mand", MS_MANDLOCK, 0 }, { "nomand", 0, MS_MANDLOCK },
	{ "atime", 0, MS_NOATIME }, { "noatime", MS_NOATIME, 0 },
	{ "diratime", 0, MS_NODIRATIME }, { "nodiratime", MS_NODIRATIME, 0 },
	{ "relatime", MS_RELATIME, 0 }, { "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 }, { "nostrictatime", 0, MS_STRICTATIME },
	{ "defaults", 0, 0 },
	{ "bind", MS_BIND, 0 }, { "rbind", MS_BIND | MS_REC, 0 },
};
static const struct { const char *name; unsigned long flags; } propagations[] = {
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

/* Filesystems a container may mount, and bind mounts.  Anything else
 * (a block device's ext4, say) is the engine's to prepare, not ours. */
static const char *const mount_types[] = { "proc", "sysfs", "tmpfs", "devpts", "mqueue", "cgroup", "bind", NULL };

static void read_mount(struct reader *r, json_object *m, size_t i, struct oci_mount *out)
{
	char where[32];
	snprintf(where, sizeof where, "mounts[%zu]", i);
	static const char *const known[] = {
		"destination", "type", "source", "options", "uidMappings", "gidMappings", NULL };
	static const char *const unsupported[] = { "uidMappings", "gidMappings", NULL };
	check_fields(r, m, where, known, unsupported);
	out->destination = string_member(r, m, where, "destination");
	out->type = string_member(r, m, where, "type");
	out->source = string_member(r, m, where, "source");
	if (r->err[0])
		return;
	if (!out->destination || out->destination[0] != '/' || strstr(out->destination, "/../") ||
	    (strlen(out->destination) >= 3 && !strcmp(out->destination + strlen(out->destination) - 3, "/..")))
		return oci_error(r, "%s.destination \"%s\" must be an absolute path without \"..\"",
				 where, value_shown(out->destination));
	const char **options = string_array(r, m, where, "options");
	size_t len = 0;
	for (const char **o = options; o && *o; o++) {
		size_t k;
		for (k = 0; k < LEN(mount_options) && strcmp(mount_options[k].name, *o); k++)
			;
		if (k < LEN(mount_options)) {
			out->flags = (out->flags | mount_options[k].set) & ~mount_options[k].clear;
			continue;
		}
		for (k = 0; k < LEN(propagations) && strcmp(propagations[k].name, *o); k++)
			;
		if (k < LEN(propagations)) {
			out->propagation = propagations[k].flags;
			continue;
		}
		if (strchr(*o, ',') || len + strlen(*o) + 2 > sizeof out->data)
			return oci_error(r, "%s %s: option \"%s\" is too long or holds a comma",
					 where, out->destination, *o);
		len += snprintf(out->data + len, sizeof out->data - len, "%s%s", len ? "," : "", *o);
	}
	free(options);
	out->bind = (out->flags & MS_BIND) || (out->type && !strcmp(out->type, "bind"));
	bool known_type = out->bind;
	for (const char *const *t = mount_types; *t && !known_type; t++)
		known_type = out->type && !strcmp(*t, out->type);
	if (!known_type)
		return oci_error(r, "%s %s: type \"%s\" is not supported by contained-oci yet "
				 "(it mounts %s and bind mounts)", where, out->destination, value_shown(out->type),
				 "proc, sysfs, tmpfs, devpts, mqueue, cgroup");
	if (out->bind && (!out->source || out->source[0] != '/'))
		oci_error(r, "%s %s: a bind mount needs an absolute source (it is \"%s\")",
			  where, out->destination, value_shown(out->source));
}

static const struct { const char *type; int flag; } namespace_types[] = {
	{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP },
	{ "user", CLONE_NEWUSER },
};

/* linux.namespaces: each type made anew, or, with a path (a
 * /proc/PID/ns/TYPE file or a bind mount of one), joined: what a
 * Kubernetes pod's containers do with the network, ipc and uts namespaces
 * of its sandbox.  Each type once.  Not a mount namespace: the rootfs is
 * pivoted into in one of the container's own, and setting it up in
 * another's would change that one's mounts.  The path is opened and its
 * type checked by create (II.7). */
static void read_namespaces(struct reader *r, json_object *lx, struct oci_config *c)
{
	static const char *const known[] = { "type", "path", NULL };
	json_object *a = member(r, lx, "linux", "namespaces", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a) && !r->err[0]; i++) {
		json_object *ns = json_object_array_get_idx(a, i);
		char where[48];
		snprintf(where, sizeof where, "linux.namespaces[%zu]", i);
		check_fields(r, ns, where, known, NULL);
		const char *type = string_member(r, ns, where, "type");
		const char *path = string_member(r, ns, where, "path");
		if (r->err[0])
			return;
		size_t k = 0;
		while (k < LEN(namespace_types) && (!type || strcmp(namespace_types[k].type, type)))
			k++;
		if (type && !strcmp(type, "time"))
			return oci_error(r, "%s: a %s namespace is not supported by contained-oci yet",
					 where, type);
		if (k == LEN(namespace_types))
			return oci_error(r, "%s: unknown type \"%s\" (expected pid, network, mount, ipc, "
					 "uts, cgroup or user)", where, value_shown(type));
		int flag = namespace_types[k].flag;
		if ((c->namespaces | c->joined) & flag)
			return oci_error(r, "%s: \"%s\" is listed twice", where, type);
		if (!path || !path[0]) {
			c->namespaces |= flag;
			continue;
		}
		if (path[0] != '/')
			return oci_error(r, "%s %s: path \"%s\" must be an absolute path "
					 "(/proc/PID/ns/%s)", where, type, value_shown(path),
					 flag == CLONE_NEWNET ? "net" : type);
		if (flag == CLONE_NEWNS)
			return oci_error(r, "%s mount: joining a mount namespace (path) is "
					 "not supported: contained-oci sets the rootfs up in a mount namespace "
					 "of the container's own, and would change the other one's mounts", where);
		c->join[c->njoin++] = (struct oci_join){ flag, namespace_types[k].type, path, i };
		c->joined |= flag;
	}
	if (!r->err[0] && !(c->namespaces & CLONE_NEWNS))
		oci_error(r, "linux.namespaces must include \"mount\": contained-oci pivots into the "
			  "rootfs, which needs a mount namespace of the container's own");
}

/* linux.uidMappings or gidMappings (KEY): [{containerID, hostID, size}],
 * into MAP.  What the kernel would refuse when create writes the map is
 * refused here, by field: a size of 0; a range that wraps past 2^32 or
 * takes in id 4294967295, which is (uid_t)-1, "no id" to chown(2) and
 * setresuid(2); two ranges that overlap, inside or outside (an id inside
 * would have two host ids, or the reverse); more ranges than the kernel
 * takes.  user_namespaces(7), "Defining user and group ID mappings". */
static void read_id_mappings(struct reader *r, json_object *lx, const char *key,
			     struct oci_id_range *map, int *n)
{
	static const char *const known[] = { "containerID", "hostID", "size", NULL };
	static const char *const fields[] = { "containerID", "hostID", "size" };
	char where[48];
	size_t text = 0;                   /* the map as written to /proc/PID/uid_map, so far */
	json_object *a = member(r, lx, "linux", key, json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a) && !r->err[0]; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		long long v[3];
		snprintf(where, sizeof where, "linux.%s[%zu]", key, i);
		if (i == OCI_MAX_ID_RANGES)
			return oci_error(r, "linux.%s: more than %d ranges, the most the kernel takes "
					 "in one map", key, OCI_MAX_ID_RANGES);
		if (!json_object_is_type(o, json_type_object))
			return oci_error(r, "%s must be an object {\"containerID\", \"hostID\", "
					 "\"size\"}", where);
		check_fields(r, o, where, known, NULL);
		for (int f = 0; f < 3 && !r->err[0]; f++) {
			if (!member(r, o, where, fields[f], json_type_int) && !r->err[0])
				return oci_error(r, "%s.%s is missing", where, fields[f]);
			v[f] = int_member(r, o, where, fields[f], f == 2 ? 1 : 0, UINT32_MAX - 1, 0);
		}
		if (r->err[0])
			return;
		if (v[0] + v[2] > UINT32_MAX || v[1] + v[2] > UINT32_MAX)
			return oci_error(r, "%s: %s %lld + size %lld runs past id 4294967294, the "
					 "highest there is", where, v[0] + v[2] > UINT32_MAX ?
					 "containerID" : "hostID", v[0] + v[2] > UINT32_MAX ? v[0] : v[1], v[2]);
		/* The kernel takes a map in one write(2) of less than a page
		 * (user_namespaces(7): 4096 bytes on x86-64), whatever the
		 * number of lines: "ID HOST-ID SIZE\n" each */
		text += snprintf(NULL, 0, "%lld %lld %lld\n", v[0], v[1], v[2]);
		if (text > OCI_MAX_ID_MAP_TEXT)
			return oci_error(r, "%s: with it, the map is %zu bytes of text, more than the %d the "
					 "kernel takes in one write to /proc/PID/%s: use fewer, wider ranges",
					 where, text, OCI_MAX_ID_MAP_TEXT, strcmp(key, "uidMappings") ? "gid_map" : "uid_map");
		struct oci_id_range *m = &map[(*n)++];
		*m = (struct oci_id_range){ .container = v[0], .host = v[1], .size = v[2] };
		for (int j = 0; j < *n - 1; j++) {
			const struct oci_id_range *o2 = &map[j];
			bool inside = m->container < o2->container + o2->size && o2->container < m->container + m->size;
			bool outside = m->host < o2->host + o2->size && o2->host < m->host + m->size;
			if (inside || outside)
				return oci_error(r, "%s overlaps linux.%s[%d] in the %s ids (%u-%u and "
						 "%u-%u): each id may be mapped once", where, key, j,
						 inside ? "container" : "host",
						 inside ? m->container : m->host,
						 (inside ? m->container : m->host) + m->size - 1,
						 inside ? o2->container : o2->host,
						 (inside ? o2->container : o2->host) + o2->size - 1);
		}
	}
}

/* Whether container id ID is in MAP's ranges. */
static bool id_mapped(const struct oci_id_range *map, int n, unsigned id)
{
	for (int i = 0; i < n; i++)
		if (id >= map[i].container && id - map[i].container < map[i].size)
			return true;
	return false;
}

/* The user a process runs as, P (config.json's process, or exec's
 * process.json, FILE), must exist inside the user namespace: setresuid(2)
 * and setgroups(2) there fail with EINVAL for an id that is not mapped. */
static void check_user_mapped_by(struct reader *r, const struct oci_id_range *uid_map, int nuid,
				 const struct oci_id_range *gid_map, int ngid, const char *uids, const char *gids,
				 const struct oci_process *p)
{
	if (!id_mapped(uid_map, nuid, p->uid))
		return oci_error(r, "process.user.uid %u is not mapped by %s: it would not exist in the "
				 "container's user namespace", p->uid, uids);
	if (!id_mapped(gid_map, ngid, p->gid))
		return oci_error(r, "process.user.gid %u is not mapped by %s: it would not exist in the "
				 "container's user namespace", p->gid, gids);
	for (int i = 0; i < p->ngids; i++)
		if (!id_mapped(gid_map, ngid, p->gids[i]))
			return oci_error(r, "process.user.additionalGids[%d] %u is not mapped by %s: it "
					 "would not exist in the container's user namespace", i, p->gids[i], gids);
}

static void check_user_mapped(struct reader *r, const struct oci_config *c, const struct oci_process *p)
{
	if (!(c->namespaces & CLONE_NEWUSER) || r->err[0])
		return;
	check_user_mapped_by(r, c->uid_map, c->nuid_map, c->gid_map, c->ngid_map, "linux.uidMappings",
			     "linux.gidMappings", p);
}

/* A joined user namespace's maps, from PROC's uid_map and gid_map ("/proc/self"
 * read from inside it, or "/proc/PID" of a process in it: the ids of its
 * parent namespace either way, user_namespaces(7)), against P's ids;
 * WHERE names the namespace in the error.  Returns 0, or -1 with why in
 * R. */
static int check_user_mapped_in(struct reader *r, const char *proc, const char *where, const struct oci_process *p)
{
	static struct oci_id_range map[2][OCI_MAX_ID_RANGES];
	int n[2] = { 0, 0 };
	char names[2][PATH_MAX + 96];
	for (int g = 0; g < 2; g++) {
		char path[64], text[OCI_MAX_ID_RANGES * 36];
		unsigned inside, outside, count;
		int used = 0;
		snprintf(path, sizeof path, "%s/%s", proc, g ? "gid_map" : "uid_map");
		if (read_file(path, text, sizeof text) < 0) {
			oci_error(r, "%s: reading %s: %s", where, path, strerror(errno));
			return -1;
		}
		for (char *t = text; n[g] < OCI_MAX_ID_RANGES &&
		     sscanf(t, "%u %u %u%n", &inside, &outside, &count, &used) == 3; t += used)
			map[g][n[g]++] = (struct oci_id_range){ .container = inside, .host = outside, .size = count };
		snprintf(names[g], sizeof names[g], "the %s of the joined user namespace (%s)",
			 g ? "gid_map" : "uid_map", where);
	}
	check_user_mapped_by(r, map[0], n[0], map[1], n[1], names[0], names[1], p);
	return r->err[0] ? -1 : 0;
}

/* A user namespace and its maps come together (as runc has it): the
 * namespace without maps would hold no ids at all, the maps without the
 * namespace would apply to nothing.  Root inside must be mapped too: it is
 * who sets the container up (its mounts, its pty), before process.user
 * takes over.
 *
 * What a hostile config can do with the maps: nothing it could not do
 * without them.  It may map host root in (hostID 0), and the container's
 * root is then host root to every file it can reach; but the same config
 * may as well ask for no user namespace at all, which is host root with
 * the capabilities it lists, and whoever writes config.json (the engine)
 * is trusted with exactly that.  The capabilities a process holds in its
 * own user namespace give it no power over the host's resources either
 * way.  So the maps are taken as given, checked only for what the kernel
 * would refuse; what the user namespace adds is never counted on to
 * protect the host: the device rules, capabilities, masked paths and the
 * sealed copy of this binary (II.8) apply as without it. */
static void check_user_namespace(struct reader *r, struct oci_config *c)
{
	bool userns = c->namespaces & CLONE_NEWUSER;
	if (r->err[0])
		return;
	if ((c->joined & CLONE_NEWUSER) && (c->nuid_map || c->ngid_map))
		return oci_error(r, "linux.%s is set but the user namespace is joined by path: it "
				 "has its maps already; remove them", c->nuid_map ? "uidMappings" : "gidMappings");
	if (c->joined & CLONE_NEWUSER)
		return;
	if (userns && (!c->nuid_map || !c->ngid_map))
		return oci_error(r, "linux.namespaces has \"user\" but linux.%s is missing or empty: "
				 "a user namespace needs both maps, [{\"containerID\": 0, \"hostID\": "
				 "100000, \"size\": 65536}]", c->nuid_map ? "gidMappings" : "uidMappings");
	if (!userns && (c->nuid_map || c->ngid_map))
		return oci_error(r, "linux.%s is set but linux.namespaces has no \"user\": add "
				 "{\"type\": \"user\"} or remove the mappings",
				 c->nuid_map ? "uidMappings" : "gidMappings");
	if (userns && !id_mapped(c->uid_map, c->nuid_map, 0))
		return oci_error(r, "linux.uidMappings maps no host id onto container uid 0: the "
				 "container's root sets the container up, and must exist in it; add a "
				 "range from 0, like {\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}");
	if (userns && !id_mapped(c->gid_map, c->ngid_map, 0))
		return oci_error(r, "linux.gidMappings maps no host id onto container gid 0: the "
				 "container's root sets the container up, and must exist in it; add a "
				 "range from 0, like {\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}");
	check_user_mapped(r, c, &c->process);
}

static void read_devices(struct reader *r, json_object *res, struct oci_config *c)
{
	static const char *const known[] = { "allow", "type", "major", "minor", "access", NULL };
	char where[48];
	json_object *a = member(r, res, "linux.resources", "devices", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a) && !r->err[0]; i++) {
		json_object *d = json_object_array_get_idx(a, i);
		snprintf(where, sizeof where, "linux.resources.devices[%zu]", i);
		struct oci_device_rule *rule = &c->devices[c->ndevices];
		if (c->ndevices == OCI_MAX_DEVICES)
			return oci_error(r, "linux.resources.devices: more than %d rules", OCI_MAX_DEVICES);
		check_fields(r, d, where, known, NULL);
		json_object *allow = member(r, d, where, "allow", json_type_boolean);
		if (!allow)
			return oci_error(r, "%s.allow is missing", where);
		rule->allow = json_object_get_boolean(allow);
		const char *type = string_member(r, d, where, "type");
		rule->type = type ? type[0] : 'a';
		if (type && (strlen(type) != 1 || !strchr("acb", type[0])))
			return oci_error(r, "%s.type must be \"a\", \"c\" or \"b\"", where);
		rule->major = int_member(r, d, where, "major", 0, UINT32_MAX, -1);
		rule->minor = int_member(r, d, where, "minor", 0, UINT32_MAX, -1);
		const char *access = string_member(r, d, where, "access");
		snprintf(rule->access, sizeof rule->access, "%s", access ? access : "rwm");
		if (!access || strspn(access, "rwm") != strlen(access) || strlen(access) > 3)
			return oci_error(r, "%s.access must be letters of \"rwm\"", where);
		c->ndevices++;
	}
}

/* linux.resources.X is an object whose keys are all refused unless zero;
 * the ones named in OK are read by the caller. */
static void refuse_nonzero(struct reader *r, json_object *obj, const char *where, const char *const *ok)
{
	json_object_object_foreach(obj, key, v) {
		bool read = false;
		for (const char *const *k = ok; k && *k && !read; k++)
			read = !strcmp(*k, key);
		if (read)
			continue;
		bool zero = json_object_is_type(v, json_type_null) ||
			    (json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 0) ||
			    (json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v)) ||
			    (json_object_is_type(v, json_type_string) && !json_object_get_string_len(v)) ||
			    (json_object_is_type(v, json_type_array) && !json_object_array_length(v));
		if (!zero)
			oci_error(r, "%s.%s is not supported by contained-oci yet (only zero, "
				  "meaning unset, is accepted)", where, key);
	}
}

static void read_resources(struct reader *r, json_object *lx, struct oci_config *c)
{
	static const char *const known[] = {
		"devices", "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network",
		"rdma", "unified", NULL };
	static const char *const memory_read[] = { "limit", "swap", NULL };
	static const char *const cpu_read[] = { "shares", "quota", "period", NULL };
	static const char *const pids_read[] = { "limit", NULL };
	json_object *res = member(r, lx, "linux", "resources", json_type_object);
	if (!res)
		return;
	check_fields(r, res, "linux.resources", known, NULL);
	read_devices(r, res, c);
	json_object *mem = member(r, res, "linux.resources", "memory", json_type_object);
	if (mem) {
		refuse_nonzero(r, mem, "linux.resources.memory", memory_read);
		c->memory_limit = int_member(r, mem, "linux.resources.memory", "limit", -1, LLONG_MAX, 0);
		c->memory_swap = int_member(r, mem, "linux.resources.memory", "swap", -1, LLONG_MAX, 0);
		if (!r->err[0] && c->memory_swap > 0 && c->memory_swap < c->memory_limit)
			oci_error(r, "linux.resources.memory.swap (%lld) is memory plus swap, so it must be "
				  "at least linux.resources.memory.limit (%lld)", c->memory_swap, c->memory_limit);
	}
	json_object *cpu = member(r, res, "linux.resources", "cpu", json_type_object);
	if (cpu) {
		refuse_nonzero(r, cpu, "linux.resources.cpu", cpu_read);
		c->cpu_shares = int_member(r, cpu, "linux.resources.cpu", "shares", 0, 262144, 0);
		c->cpu_quota = int_member(r, cpu, "linux.resources.cpu", "quota", -1, LLONG_MAX, 0);
		c->cpu_period = int_member(r, cpu, "linux.resources.cpu", "period", 0, 1000000, 0);
	}
	json_object *pids = member(r, res, "linux.resources", "pids", json_type_object);
	if (pids) {
		refuse_nonzero(r, pids, "linux.resources.pids", pids_read);
		c->pids_limit = int_member(r, pids, "linux.resources.pids", "limit", -1, LLONG_MAX, 0);
	}
	static const char *const others[] = { "blockIO", "hugepageLimits", "network", "rdma", "unified" };
	for (size_t i = 0; i < LEN(others); i++) {
		json_object *o;
		char where[64];
		snprintf(where, sizeof where, "linux.resources.%s", others[i]);
		if (!json_object_object_get_ex(res, others[i], &o))
			continue;
		if (json_object_is_type(o, json_type_object))
			refuse_nonzero(r, o, where, NULL);
		else if (!(json_object_is_type(o, json_type_array) && !json_object_array_length(o)) &&
			 !json_object_is_type(o, json_type_null))
			oci_error(r, "%s is not supported by contained-oci yet", where);
	}
}

static void read_path_list(struct reader *r, json_object *lx, const char *key,
			   const char **out, int *n)
{
	const char **paths = string_array(r, lx, "linux", key);
	for (const char **p = paths; p && *p && !r->err[0]; p++) {
		if (*n == OCI_MAX_PATHS)
			return oci_error(r, "linux.%s: more than %d paths", key, OCI_MAX_PATHS);
		if ((*p)[0] != '/')
			return oci_error(r, "linux.%s[%td] \"%s\" must be an absolute path", key,
					 p - paths, *p);
		out[(*n)++] = *p;
	}
	free(paths);
}

/* linux.seccomp, read into rules for libseccomp (compiled in II.6).  The
 * names in the tables are the spec's (config-linux.md, "Seccomp"), which
 * are libseccomp's own. */
static const struct { const char *name; uint32_t action; bool takes_errno; } seccomp_actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
};

static const struct { const char *name; enum scmp_compare op; } seccomp_ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const struct { const char *name; enum scmp_filter_attr attr; } seccomp_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB },
};

/* ACTION (a name from seccomp_actions) with ERRNO_RET, at WHERE. */
static uint32_t seccomp_action(struct reader *r, json_object *obj, const char *where, const char *key,
			       const char *errno_key)
{
	const char *name = string_member(r, obj, where, key);
	size_t k = 0;
	while (k < LEN(seccomp_actions) && (!name || strcmp(seccomp_actions[k].name, name)))
		k++;
	if (r->err[0])
		return 0;
	if (name && !strcmp(name, "SCMP_ACT_NOTIFY")) {
		oci_error(r, "%s.%s: SCMP_ACT_NOTIFY is not supported by contained-oci (it has no "
			  "seccomp listener)", where, key);
		return 0;
	}
	if (k == LEN(seccomp_actions)) {
		oci_error(r, "%s.%s: unknown action \"%s\" (expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, "
			  "SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE or "
			  "SCMP_ACT_LOG)", where, key, value_shown(name));
		return 0;
	}
	bool has_errno = json_object_object_get_ex(obj, errno_key, NULL);
	if (has_errno && !seccomp_actions[k].takes_errno) {
		oci_error(r, "%s.%s is only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not %s",
			  where, errno_key, name);
		return 0;
	}
	int ret = int_member(r, obj, where, errno_key, 0, 4095, EPERM);
	return seccomp_actions[k].takes_errno ? seccomp_actions[k].action | ret : seccomp_actions[k].action;
}

/* syscalls[i].args: at most one condition per argument goes in a rule;
 * when an argument has two (a range, say), each condition becomes a rule
 * of its own, as runc does (libseccomp refuses two on one argument). */
static void read_seccomp_args(struct reader *r, json_object *a, const char *where,
			      struct oci_seccomp_rule *rule)
{
	static const char *const known[] = { "index", "value", "valueTwo", "op", NULL };
	char at[128];
	size_t n = json_object_array_length(a);
	if (n > 6)
		return oci_error(r, "%s.args: at most 6 conditions (a system call has 6 arguments)", where);
	for (size_t i = 0; i < n && !r->err[0]; i++) {
		json_object *c = json_object_array_get_idx(a, i);
		snprintf(at, sizeof at, "%s.args[%zu]", where, i);
		if (!json_object_is_type(c, json_type_object))
			return oci_error(r, "%s must be an object", at);
		check_fields(r, c, at, known, NULL);
		json_object *index = member(r, c, at, "index", json_type_int);
		json_object *value = member(r, c, at, "value", json_type_int);
		const char *op = string_member(r, c, at, "op");
		if (r->err[0])
			return;
		if (!index || json_object_get_int64(index) < 0 || json_object_get_int64(index) > 5)
			return oci_error(r, "%s.index must be 0 to 5 (the argument's position)", at);
		if (!value)
			return oci_error(r, "%s.value is missing", at);
		size_t k = 0;
		while (k < LEN(seccomp_ops) && (!op || strcmp(seccomp_ops[k].name, op)))
			k++;
		if (k == LEN(seccomp_ops))
			return oci_error(r, "%s.op: unknown operator \"%s\" (expected SCMP_CMP_EQ, NE, LT, "
					 "LE, GT, GE or MASKED_EQ, each with the SCMP_CMP_ prefix)",
					 at, value_shown(op));
		json_object *two = member(r, c, at, "valueTwo", json_type_int);
		/* uint64 values up to 2^64-1: json-c keeps them whole */
		rule->args[i] = (struct scmp_arg_cmp){
			.arg = json_object_get_int64(index), .op = seccomp_ops[k].op,
			.datum_a = json_object_get_uint64(value),
			.datum_b = two ? json_object_get_uint64(two) : 0,
		};
		if (json_object_get_int64(value) < 0 || (two && json_object_get_int64(two) < 0))
			return oci_error(r, "%s: value and valueTwo are unsigned", at);
		rule->nargs++;
	}
}

static void read_seccomp(struct reader *r, json_object *lx, struct oci_seccomp *sc)
{
	static const char *const known[] = {
		"defaultAction", "defaultErrnoRet", "architectures", "flags", "listenerPath",
		"listenerMetadata", "syscalls", NULL };
	static const char *const rule_known[] = { "names", "action", "errnoRet", "args", "comment",
						  "includes", "excludes", NULL };
	const char *w = "linux.seccomp";
	char where[64];
	json_object *s = member(r, lx, "linux", "seccomp", json_type_object);
	memset(sc, 0, sizeof *sc);
	if (!s)
		return;
	sc->present = true;
	check_fields(r, s, w, known, NULL);
	if (!json_object_object_get_ex(s, "defaultAction", NULL))
		return oci_error(r, "linux.seccomp.defaultAction is missing");
	sc->default_action = seccomp_action(r, s, w, "defaultAction", "defaultErrnoRet");
	if (string_member(r, s, w, "listenerPath") || string_member(r, s, w, "listenerMetadata"))
		oci_error(r, "linux.seccomp.listenerPath: a seccomp listener is not supported by contained-oci");

	const char **archs = string_array(r, s, w, "architectures");
	for (const char **a = archs; a && *a && !r->err[0]; a++) {
		char name[32];
		size_t i = 0;
		if (strncmp(*a, "SCMP_ARCH_", 10) == 0)
			for (; (*a)[10 + i] && i < sizeof name - 1; i++)
				name[i] = tolower((unsigned char)(*a)[10 + i]);
		name[i] = '\0';
		uint32_t arch = i ? seccomp_arch_resolve_name(name) : 0;
		if (!arch || sc->narchs == OCI_MAX_ARCHS)
			oci_error(r, "linux.seccomp.architectures[%td]: unknown architecture \"%s\" (names "
				  "like SCMP_ARCH_X86_64, as libseccomp has them)", a - archs, value_shown(*a));
		else
			sc->archs[sc->narchs++] = arch;
	}
	free(archs);
	const char **flags = string_array(r, s, w, "flags");
	for (const char **f = flags; f && *f && !r->err[0]; f++) {
		size_t k = 0;
		while (k < LEN(seccomp_flags) && strcmp(seccomp_flags[k].name, *f))
			k++;
		if (k == LEN(seccomp_flags))
			oci_error(r, "linux.seccomp.flags[%td]: \"%s\" is not supported (contained-oci knows "
				  "SECCOMP_FILTER_FLAG_TSYNC, _LOG and _SPEC_ALLOW)", f - flags, value_shown(*f));
		else
			sc->flags[sc->nflags++] = seccomp_flags[k].attr;
	}
	free(flags);

	json_object *calls = member(r, s, w, "syscalls", json_type_array);
	size_t max = 0;
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++) {
		json_object *names;
		if (json_object_object_get_ex(json_object_array_get_idx(calls, i), "names", &names) &&
		    json_object_is_type(names, json_type_array))
			max += json_object_array_length(names);
	}
	sc->rules = calloc(max + 1, sizeof *sc->rules);
	if (!sc->rules)
		die_errno("memory for %zu seccomp rules", max);
	for (size_t i = 0; calls && i < json_object_array_length(calls) && !r->err[0]; i++) {
		json_object *call = json_object_array_get_idx(calls, i);
		snprintf(where, sizeof where, "linux.seccomp.syscalls[%zu]", i);
		if (!json_object_is_type(call, json_type_object))
			return oci_error(r, "%s must be an object", where);
		check_fields(r, call, where, rule_known, NULL);
		/* includes/excludes are for profile generators (Docker's), not runtimes */
		if (json_object_object_get_ex(call, "includes", NULL) || json_object_object_get_ex(call, "excludes", NULL))
			return oci_error(r, "%s: includes and excludes belong to a profile template, "
					 "not a config.json", where);
		struct oci_seccomp_rule rule = { 0 };
		if (!json_object_object_get_ex(call, "action", NULL))
			return oci_error(r, "%s.action is missing", where);
		rule.action = seccomp_action(r, call, where, "action", "errnoRet");
		json_object *args = member(r, call, where, "args", json_type_array);
		if (args)
			read_seccomp_args(r, args, where, &rule);
		const char **names = string_array(r, call, where, "names");
		if (!r->err[0] && (!names || !names[0]))
			oci_error(r, "%s.names is missing or empty", where);
		for (const char **n = names; n && *n && !r->err[0]; n++) {
			if (!**n) {
				oci_error(r, "%s.names[%td] is empty", where, n - names);
				break;
			}
			/* Skipped, as runc does: a profile lists calls newer than
			 * this libseccomp, or of other architectures. */
			int nr = seccomp_syscall_resolve_name(*n);
			if (nr == __NR_SCMP_ERROR) {
				sc->unknown_names++;
				continue;
			}
			if (rule.action == sc->default_action)
				continue;              /* the default already does it */
			rule.name = *n;
			rule.nr = nr;
			sc->rules[sc->nrules++] = rule;
		}
		free(names);
	}
}

/* linux.sysctl: only the kernel settings that belong to a namespace the
 * container has of its own (sysctl(8), and each namespace's man page);
 * any other is the host's, for every container at once, and is refused
 * by name.  Written in the container, to its /proc/sys, before
 * readonlyPaths makes that read-only. */
static const struct { const char *prefix; bool whole; int namespace; } namespaced_sysctls[] = {
	{ "net.", false, CLONE_NEWNET },
	{ "fs.mqueue.", false, CLONE_NEWIPC },
	{ "kernel.shm", false, CLONE_NEWIPC },  /* shmmax, shmall, shmmni, shm_rmid_forced */
	{ "kernel.msg", false, CLONE_NEWIPC },  /* msgmax, msgmnb, msgmni */
	{ "kernel.sem", true, CLONE_NEWIPC },
	{ "kernel.hostname", true, CLONE_NEWUTS },
	{ "kernel.domainname", true, CLONE_NEWUTS },
};

static void read_sysctls(struct reader *r, json_object *lx, struct oci_config *c)
{
	json_object *o = member(r, lx, "linux", "sysctl", json_type_object);
	if (!o)
		return;
	json_object_object_foreach(o, key, value) {
		if (r->err[0])
			return;
		size_t k = 0;
		while (k < LEN(namespaced_sysctls) &&
		       (namespaced_sysctls[k].whole ? strcmp(key, namespaced_sysctls[k].prefix) :
			strncmp(key, namespaced_sysctls[k].prefix, strlen(namespaced_sysctls[k].prefix))))
			k++;
		if (strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(key) ||
		    strstr(key, "..") || !key[0] || key[0] == '.' || key[strlen(key) - 1] == '.' || strlen(key) > 100)
			return oci_error(r, "linux.sysctl: \"%s\" is not a sysctl name (like net.ipv4.ip_forward)",
					 value_shown(key));
		if (!json_object_is_type(value, json_type_string))
			return oci_error(r, "linux.sysctl.%s must be a string", key);
		if (k == LEN(namespaced_sysctls))
			return oci_error(r, "linux.sysctl.%s: not a namespaced setting; it would change the "
					 "host for everyone (allowed: net.*, fs.mqueue.*, kernel.shm*, kernel.msg*, "
					 "kernel.sem, kernel.hostname, kernel.domainname)", key);
		if (!((c->namespaces | c->joined) & namespaced_sysctls[k].namespace))
			return oci_error(r, "linux.sysctl.%s: the container shares the host's %s namespace, "
					 "so this would change the host's", key,
					 namespaced_sysctls[k].namespace == CLONE_NEWNET ? "network" :
					 namespaced_sysctls[k].namespace == CLONE_NEWIPC ? "ipc" : "uts");
		if (c->nsysctls == OCI_MAX_SYSCTLS)
			return oci_error(r, "linux.sysctl: more than %d settings", OCI_MAX_SYSCTLS);
		c->sysctl[c->nsysctls].namespace = namespaced_sysctls[k].namespace;
		c->sysctl[c->nsysctls].key = key;
		c->sysctl[c->nsysctls++].value = json_object_get_string(value);
	}
}

/* linux.cgroupsPath in its two forms (runtime-spec config-linux.md,
 * "Cgroups Path"), as the place below /sys/fs/cgroup it names:
 *  - a path, "/docker/ID" (cgroupfs, Docker's default on v1): itself;
 *  - "SLICE:PREFIX:NAME" (systemd's form, Docker's default driver on
 *    systemd hosts): the scope unit PREFIX-NAME.scope in SLICE, whose
 *    cgroup is where systemd puts that unit.  A slice's name spells its
 *    ancestry with dashes, and each ancestor is a directory of its own
 *    (systemd.slice(5)): "machine-foo.slice" is
 *    /machine.slice/machine-foo.slice; "" means system.slice and "-.slice"
 *    the root.  (A NAME that is itself a slice, "x.slice", is used as is.) */
static void cgroup_place(struct reader *r, struct oci_config *c)
{
	const char *path = c->cgroups_path, *colon = strchr(path, ':');
	char *out = c->cgroup_rel;
	size_t size = sizeof c->cgroup_rel;
	if (strstr(path, ".."))
		return oci_error(r, "linux.cgroupsPath \"%s\" must not hold \"..\"", value_shown(path));
	if (!colon) {
		if (!path[strspn(path, "/")] || strstr(path, "/./") || !strcmp(path, ".") ||
		    !strncmp(path, "./", 2) || (strlen(path) > 1 && !strcmp(path + strlen(path) - 2, "/.")))
			return oci_error(r, "linux.cgroupsPath \"%s\" must name a cgroup below the root "
					 "(\"/docker/ID\")", value_shown(path));
		if (snprintf(out, size, "%s%s", path[0] == '/' ? "" : "/", path) >= (int)size)
			oci_error(r, "linux.cgroupsPath is longer than %zu bytes", size - 2);
		return;
	}
	const char *second = strchr(colon + 1, ':');
	char slice[256], prefix[256], name[256];
	if (!second || strchr(second + 1, ':') || colon - path >= 256 || second - colon > 256 ||
	    strlen(second + 1) >= 256 || second == colon + 1 || !second[1])
		return oci_error(r, "linux.cgroupsPath \"%s\": expected a path or systemd's "
				 "SLICE:PREFIX:NAME (\"system.slice:docker:ID\")", value_shown(path));
	snprintf(slice, sizeof slice, "%.*s", (int)(colon - path), path);
	snprintf(prefix, sizeof prefix, "%.*s", (int)(second - colon - 1), colon + 1);
	snprintf(name, sizeof name, "%s", second + 1);
	if (strchr(slice, '/') || strchr(prefix, '/') || strchr(name, '/'))
		return oci_error(r, "linux.cgroupsPath \"%s\": SLICE:PREFIX:NAME are names, without "
				 "'/'", value_shown(path));
	size_t len = strlen(slice);
	if (len && (len < 7 || strcmp(slice + len - 6, ".slice")))
		return oci_error(r, "linux.cgroupsPath \"%s\": \"%s\" is not a slice (a name ending "
				 "in .slice)", value_shown(path), slice);
	int n = 0;
	if (!len)
		n = snprintf(out, size, "/system.slice");
	else if (strcmp(slice, "-.slice")) {
		/* "a-b-c.slice": /a.slice/a-b.slice/a-b-c.slice */
		const char *base = slice;
		len -= 6;
		if (slice[0] == '-' || slice[len - 1] == '-' || strstr(slice, "--"))
			return oci_error(r, "linux.cgroupsPath: slice \"%s\" has an empty part between "
					 "dashes", slice);
		for (size_t i = 0; i <= len && n < (int)size; i++)
			if (i == len || slice[i] == '-')
				n += snprintf(out + n, size - n, "/%.*s.slice", (int)i, base);
	}
	size_t nlen = strlen(name);
	if (nlen > 6 && !strcmp(name + nlen - 6, ".slice"))
		snprintf(c->systemd_unit, sizeof c->systemd_unit, "%s", name);
	else
		snprintf(c->systemd_unit, sizeof c->systemd_unit, "%s-%s.scope", prefix, name);
	snprintf(c->systemd_slice, sizeof c->systemd_slice, "%s", slice[0] ? slice : "system.slice");
	if (n < (int)size)
		n += snprintf(out + n, size - n, "/%s", c->systemd_unit);
	if (n >= (int)size)
		return oci_error(r, "linux.cgroupsPath \"%s\" is too long", value_shown(path));
	c->cgroup_systemd = true;
}

static void read_linux(struct reader *r, json_object *lx, struct oci_config *c)
{
	static const char *const known[] = {
		"namespaces", "uidMappings", "gidMappings", "timeOffsets", "devices", "cgroupsPath",
		"rootfsPropagation", "resources", "unified", "sysctl", "seccomp", "maskedPaths",
		"readonlyPaths", "mountLabel", "intelRdt", "personality", NULL };
	static const char *const unsupported[] = {
		"timeOffsets", "devices", "rootfsPropagation",
		"unified", "mountLabel", "intelRdt", "personality", NULL };
	if (!lx)
		return oci_error(r, "linux is missing: contained-oci runs Linux containers");
	check_fields(r, lx, "linux", known, unsupported);
	read_namespaces(r, lx, c);
	read_id_mappings(r, lx, "uidMappings", c->uid_map, &c->nuid_map);
	read_id_mappings(r, lx, "gidMappings", c->gid_map, &c->ngid_map);
	check_user_namespace(r, c);
	c->cgroups_path = string_member(r, lx, "linux", "cgroupsPath");
	if (c->cgroups_path && c->cgroups_path[0])
		cgroup_place(r, c);
	read_resources(r, lx, c);
	read_seccomp(r, lx, &c->seccomp);
	read_sysctls(r, lx, c);
	read_path_list(r, lx, "maskedPaths", c->masked, &c->nmasked);
	read_path_list(r, lx, "readonlyPaths", c->readonly, &c->nreadonly);
}

/* hooks.KIND[i]: path, args, env, timeout.  Also read back from the
 * state directory by start and delete (the file named in R). */
static void read_hooks(struct reader *r, json_object *hooks, struct oci_hooks *out)
{
	static const char *const known[] = { "path", "args", "env", "timeout", NULL };
	char where[64];
	memset(out, 0, sizeof *out);
	if (!hooks)
		return;
	check_fields(r, hooks, "hooks", hook_names, NULL);
	for (int kind = 0; kind < NHOOK_KINDS && !r->err[0]; kind++) {
		json_object *a = member(r, hooks, "hooks", hook_names[kind], json_type_array);
		for (size_t i = 0; a && i < json_object_array_length(a) && !r->err[0]; i++) {
			struct oci_hook *h = &out->list[kind][i];
			json_object *o = json_object_array_get_idx(a, i);
			snprintf(where, sizeof where, "hooks.%s[%zu]", hook_names[kind], i);
			if (i == OCI_MAX_HOOKS)
				return oci_error(r, "hooks.%s: more than %d hooks", hook_names[kind], OCI_MAX_HOOKS);
			if (!json_object_is_type(o, json_type_object))
				return oci_error(r, "%s must be an object", where);
			check_fields(r, o, where, known, NULL);
			h->path = string_member(r, o, where, "path");
			h->args = string_array(r, o, where, "args");
			h->env = string_array(r, o, where, "env");
			h->timeout = int_member(r, o, where, "timeout", 1, 24 * 3600, 0);
			if (!r->err[0] && (!h->path || h->path[0] != '/'))
				return oci_error(r, "%s.path must be an absolute path (it is \"%s\")",
						 where, value_shown(h->path));
			out->n[kind]++;
		}
	}
}

/* TEXT as one JSON value, read strictly (json-c's JSON_TOKENER_STRICT:
 * no trailing commas, comments or text after the value), since what a
 * lenient reader lets through another runtime may read otherwise.  NULL
 * with the error in R, at the line and column where json-c stopped
 * (lines and columns from 1, the column in bytes). */
static json_object *parse_json(struct reader *r, const char *text)
{
	json_tokener *tok = json_tokener_new();
	if (!tok)
		die_errno("memory for a JSON parser");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	size_t len = strlen(text);
	json_object *j = json_tokener_parse_ex(tok, text, len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok), line = 1, column = 1;
	json_tokener_free(tok);
	if (j && e == json_tokener_success)
		return j;
	json_object_put(j);
	for (size_t i = 0; i < end; i++, column++)
		if (text[i] == '\n')
			line++, column = 0;
	if (e == json_tokener_continue)
		oci_error(r, "not valid JSON: it ends (line %zu) before the value does", line);
	else
		oci_error(r, "not valid JSON at line %zu, column %zu (byte %zu): %s", line, column, end,
			  json_tokener_error_desc(e));
	return NULL;
}

/* Read config.json's TEXT into C.  Returns 0, or -1 with the first error,
 * naming the field, in ERR. */
static int parse_oci_config(const char *text, struct oci_config *c, char *err, size_t errlen)
{
	static const char *const known[] = {
		"ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks",
		"annotations", "linux", NULL };
	static const char *const unsupported[] = { NULL };
	static const char *const root_known[] = { "path", "readonly", NULL };
	struct reader r = { .file = "config.json" };

	memset(c, 0, sizeof *c);
	c->json = parse_json(&r, text);
	if (c->json && !json_object_is_type(c->json, json_type_object))
		oci_error(&r, "not a JSON object");
	if (!r.err[0])
		check_fields(&r, c->json, "", known, unsupported);
	const char *version = string_member(&r, c->json, "", "ociVersion");
	if (!r.err[0] && (!version || strncmp(version, "1.", 2)))
		oci_error(&r, "ociVersion \"%s\": contained-oci reads version 1 configurations", value_shown(version));
	if (!r.err[0])
		read_process(&r, member(&r, c->json, "", "process", json_type_object), &c->process);
	json_object *root = member(&r, c->json, "", "root", json_type_object);
	if (root) {
		check_fields(&r, root, "root", root_known, NULL);
		c->root_path = string_member(&r, root, "root", "path");
		c->root_readonly = bool_member(&r, root, "root", "readonly");
	}
	if (!r.err[0] && (!c->root_path || !c->root_path[0]))
		oci_error(&r, "root.path is missing: it names the container's root filesystem");
	c->hostname = string_member(&r, c->json, "", "hostname");
	if (!r.err[0] && c->hostname && c->hostname[0] && !valid_hostname(c->hostname))
		oci_error(&r, "hostname \"%s\" is not a valid host name", c->hostname);
	json_object *mounts = member(&r, c->json, "", "mounts", json_type_array);
	for (size_t i = 0; mounts && i < json_object_array_length(mounts) && !r.err[0]; i++) {
		if (c->nmounts == OCI_MAX_MOUNTS) {
			oci_error(&r, "mounts: more than %d", OCI_MAX_MOUNTS);
			break;
		}
		read_mount(&r, json_object_array_get_idx(mounts, i), i, &c->mounts[c->nmounts++]);
	}
	if (!r.err[0])
		read_linux(&r, member(&r, c->json, "", "linux", json_type_object), c);
	c->hooks_json = member(&r, c->json, "", "hooks", json_type_object);
	if (!r.err[0])
		read_hooks(&r, c->hooks_json, &c->hooks);
	c->annotations = member(&r, c->json, "", "annotations", json_type_object);
	if (c->annotations) {
		json_object_object_foreach(c->annotations, key, value) {
			if (!json_object_is_type(value, json_type_string))
				oci_error(&r, "annotations.%s must be a string", key);
		}
	}
	if (!r.err[0] && c->hostname && c->hostname[0] && !((c->namespaces | c->joined) & CLONE_NEWUTS))
		oci_error(&r, "hostname is set but linux.namespaces has no \"uts\": it would rename the host");
	c->domainname = string_member(&r, c->json, "", "domainname");
	if (!r.err[0] && c->domainname && c->domainname[0] && !((c->namespaces | c->joined) & CLONE_NEWUTS))
		oci_error(&r, "domainname is set but linux.namespaces has no \"uts\": it would rename the host");
	if (!r.err[0] && c->domainname && strlen(c->domainname) > 64)
		oci_error(&r, "domainname \"%s\" is longer than 64 bytes", value_shown(c->domainname));
	if (r.err[0]) {
		snprintf(err, errlen, "%s", r.err);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------ *
 * II.2 The command line
 *
 * runc's: global flags, then a subcommand with its own.  The engines pass
 * --root (where the state lives), --log and --log-format json on every
 * call; they read the log's last "error" line when a call fails.
 * ------------------------------------------------------------------------ */

static FILE *oci_log;                  /* --log, or NULL: stderr */
static bool log_json;                  /* --log-format json */

/* One log line: {"level":"error","msg":"...","time":"..."} (json-c
 * escapes MSG).  Also on stderr, for a person at a terminal. */
static void log_line(const char *level, const char *msg)
{
	char stamp[64];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + n, sizeof stamp - n, ".%09ldZ", now.tv_nsec);
	if (oci_log && log_json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "level", json_object_new_string(level));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(stamp));
		fprintf(oci_log, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								     JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else if (oci_log) {
		fprintf(oci_log, "time=\"%s\" level=%s msg=\"%s\"\n", stamp, level, msg);
	}
	if (oci_log)
		fflush(oci_log);
	if (!strcmp(level, "error"))
		fprintf(stderr, "contained-oci: %s\n", msg);
}

/* While create is making a container: what a failure must undo. */
static struct oci_state *being_created;
static void undo_create(void);                         /* II.7 */

static void oci_fail(const char *fmt, ...) PRINTF(1, 2) __attribute__((noreturn));
static void oci_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_line("error", msg);
	if (being_created)
		undo_create();
	exit(1);
}

static void print_features(void)
{
	json_object *f = json_object_new_object(), *a;
	json_object_object_add(f, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(f, "ociVersionMax", json_object_new_string(OCI_VERSION));
	json_object_object_add(f, "hooks", a = json_object_new_array());
	for (int i = 0; i < NHOOK_KINDS; i++)
		json_object_array_add(a, json_object_new_string(hook_names[i]));
	json_object_object_add(f, "mountOptions", a = json_object_new_array());
	for (size_t i = 0; i < LEN(mount_options); i++)
		json_object_array_add(a, json_object_new_string(mount_options[i].name));
	for (size_t i = 0; i < LEN(propagations); i++)
		json_object_array_add(a, json_object_new_string(propagations[i].name));
	json_object *lx = json_object_new_object();
	json_object_object_add(f, "linux", lx);
	json_object_object_add(lx, "namespaces", a = json_object_new_array());
	for (size_t i = 0; i < LEN(namespace_types); i++)
		json_object_array_add(a, json_object_new_string(namespace_types[i].type));
	json_object_object_add(lx, "capabilities", a = json_object_new_array());
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		char *name = cap_to_name(cap), *p;
		for (p = name; *p; p++)
			*p = toupper((unsigned char)*p);
		json_object_array_add(a, json_object_new_string(name));
		cap_free(name);
	}
	json_object *cg = json_object_new_object();
	json_object_object_add(cg, "v1", json_object_new_boolean(1));
	json_object_object_add(cg, "v2", json_object_new_boolean(1));
	json_object_object_add(cg, "systemd", json_object_new_boolean(1));
	json_object_object_add(lx, "cgroup", cg);
	json_object *aa = json_object_new_object();
	json_object_object_add(aa, "enabled", json_object_new_boolean(1));
	json_object_object_add(lx, "apparmor", aa);
	json_object *se = json_object_new_object();
	json_object_object_add(se, "enabled", json_object_new_boolean(0));
	json_object_object_add(lx, "selinux", se);
	json_object *sc = json_object_new_object();
	json_object_object_add(sc, "enabled", json_object_new_boolean(1));
	json_object_object_add(sc, "actions", a = json_object_new_array());
	for (size_t i = 0; i < LEN(seccomp_actions); i++)
		json_object_array_add(a, json_object_new_string(seccomp_actions[i].name));
	json_object_object_add(sc, "operators", a = json_object_new_array());
	for (size_t i = 0; i < LEN(seccomp_ops); i++)
		json_object_array_add(a, json_object_new_string(seccomp_ops[i].name));
	json_object_object_add(lx, "seccomp", sc);
	puts(json_object_to_json_string_ext(f, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(f);
}

/* ------------------------------------------------------------------------ *
 * II.3 State between runs
 *
 * ROOT/ID/ holds state.json (pid, its start time, bundle, cgroup
 * directories) and, from create until start, exec.fifo.  A pid alone would
 * go stale: once the container is reaped the number can be reused, so the
 * start time from /proc/PID/stat (field 22, proc(5)) is kept beside it and
 * a process whose start time differs is not ours.
 * ------------------------------------------------------------------------ */

static const char *state_root = "/run/contained-oci";

struct oci_state {
	char dir[PATH_MAX];            /* ROOT/ID */
	pid_t pid;
	unsigned long long start_time;
	char bundle[PATH_MAX];
	char created[64];
	char cgroup_dirs[OCI_MAX_CGROUP_DIRS][PATH_MAX];
	int ncgroup_dirs;
	int cgroup_made[OCI_MAX_CGROUP_DIRS];  /* how many of each path's last directories create made */
	int cgroup_version;            /* 1 or 2 */
	char unit[520];                /* the systemd scope create asked for, or "" */
	char user_ns[48];              /* "DEV:INODE" of the user namespace create made or joined, or "" */
	const char *id;
	json_object *hooks_json, *annotations;   /* as config.json had them */
	json_object *json;             /* what load_state read; owns the two above */
};

/* Field 22 of /proc/PID/stat, after the ")" that ends the command name
 * (which may hold spaces); 0 when the process is gone or a zombie. */
/* PID's state letter (R, S, T, Z...) and start time from /proc/PID/stat
 * (proc(5)); its fields come after the last ')', since the command name
 * may hold any.  Returns the state, or 0 if the process is not there. */
static char process_state(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], state;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof buf) < 0)
		return 0;
	char *p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
			 "%*s %*s %*s %*s %llu", &state, start) != 2)
		return 0;
	return state;
}

static unsigned long long process_start_time(pid_t pid)
{
	unsigned long long start;
	char state = process_state(pid, &start);
	return state && state != 'Z' && state != 'X' ? start : 0;
}

/* --root holds what later calls act on as root (the pid kill signals,
 * the cgroups delete removes), so it must be root's own: a directory, not
 * a symlink at its end, owned by root, writable by no one else.  The
 * engines' (/run/containerd/runc/NS, /run/docker/runtime-runc/moby) are.
 * A --root that does not exist yet passes; create makes it (0711). */
static void check_state_root(void)
{
	struct stat st;
	if (lstat(state_root, &st) < 0) {
		if (errno == ENOENT)
			return;
		oci_fail("--root %s: %s", state_root, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		oci_fail("--root %s: expected a directory owned by root that no one else can write "
			 "(not a symlink): the state kept there decides what kill and delete act on; "
			 "use one under /run", state_root);
}

static void state_dir_of(const char *id, char *buf, size_t size)
{
	if (!id[0] || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, ".."))
		oci_fail("container id \"%s\" is not valid: it must be a non-empty name without '/'", id);
	snprintf(buf, size, "%s/%s", state_root, id);
}

/* The JSON files, whole: config.json and process.json up to 1 MiB (an
 * engine's are a few KiB; big annotations make them grow), state.json,
 * which holds the config's hooks and annotations, up to 2 MiB. */
#define OCI_MAX_CONFIG (1 << 20)
#define OCI_MAX_STATE (2 << 20)

/* PATH's text, NUL-terminated, in a buffer to free(); NULL with errno
 * (EFBIG: more than MAX bytes). */
static char *read_whole_fd(int fd, size_t max);
static char *read_whole_file(const char *path, size_t max)
{
	return read_whole_fd(open(path, O_RDONLY | O_CLOEXEC), max);
}

/* The same, from FD (closed), which may be a pipe: update's stdin. */
static char *read_whole_fd(int fd, size_t max)
{
	size_t len = 0, size = 65536;
	char *buf = malloc(size);
	if (fd < 0 || !buf) {
		int e = errno;
		free(buf);
		if (fd >= 0)
			close(fd);
		errno = e;
		return NULL;
	}
	for (;;) {
		if (len == size - 1 && size <= max + 1) {
			char *bigger = realloc(buf, size *= 2);
			if (!bigger)
				break;
			buf = bigger;
		}
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close(fd);
			if (n < 0 || len > max) {
				free(buf);
				errno = n < 0 ? e : EFBIG;
				return NULL;
			}
			buf[len] = '\0';
			return buf;
		}
		len += n;
		if (len > max) {
			close(fd);
			free(buf);
			errno = EFBIG;
			return NULL;
		}
	}
	close(fd);
	free(buf);
	errno = ENOMEM;
	return NULL;
}

/* Returns false when there is no such container. */
static bool load_state(const char *id, struct oci_state *s)
{
	char path[PATH_MAX + 16], *text;
	memset(s, 0, sizeof *s);
	state_dir_of(id, s->dir, sizeof s->dir);
	snprintf(path, sizeof path, "%s/state.json", s->dir);
	if (!(text = read_whole_file(path, OCI_MAX_STATE))) {
		if (errno == ENOENT)
			return false;
		oci_fail("reading %s: %s", path, strerror(errno));
	}
	json_object *j = json_tokener_parse(text), *v;
	free(text);
	if (!j)
		oci_fail("%s is not valid JSON: remove the directory %s", path, s->dir);
	s->id = id;
	s->json = j;
	if (json_object_object_get_ex(j, "hooks", &v))
		s->hooks_json = v;
	if (json_object_object_get_ex(j, "annotations", &v))
		s->annotations = v;
	if (json_object_object_get_ex(j, "pid", &v))
		s->pid = json_object_get_int(v);
	if (json_object_object_get_ex(j, "start_time", &v))
		s->start_time = json_object_get_uint64(v);
	if (json_object_object_get_ex(j, "bundle", &v))
		snprintf(s->bundle, sizeof s->bundle, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(j, "created", &v))
		snprintf(s->created, sizeof s->created, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(j, "cgroup_dirs", &v))
		for (size_t i = 0; i < json_object_array_length(v) && i < OCI_MAX_CGROUP_DIRS; i++)
			snprintf(s->cgroup_dirs[s->ncgroup_dirs++], PATH_MAX, "%s",
				 json_object_get_string(json_object_array_get_idx(v, i)));
	if (json_object_object_get_ex(j, "cgroup_made", &v))
		for (size_t i = 0; i < json_object_array_length(v) && i < OCI_MAX_CGROUP_DIRS; i++)
			s->cgroup_made[i] = json_object_get_int(json_object_array_get_idx(v, i));
	s->cgroup_version = json_object_object_get_ex(j, "cgroup_version", &v) ? json_object_get_int(v) : 1;
	if (json_object_object_get_ex(j, "systemd_unit", &v))
		snprintf(s->unit, sizeof s->unit, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(j, "user_namespace", &v))
		snprintf(s->user_ns, sizeof s->user_ns, "%s", json_object_get_string(v));
	return true;
}

/* Written to a temporary name and renamed, so a reader never sees half. */
static void save_state(const struct oci_state *s)
{
	char path[PATH_MAX + 16], tmp[PATH_MAX + 16];
	json_object *j = json_object_new_object(), *dirs = json_object_new_array();
	json_object_object_add(j, "pid", json_object_new_int(s->pid));
	json_object_object_add(j, "start_time", json_object_new_uint64(s->start_time));
	json_object_object_add(j, "bundle", json_object_new_string(s->bundle));
	json_object_object_add(j, "created", json_object_new_string(s->created));
	for (int i = 0; i < s->ncgroup_dirs; i++)
		json_object_array_add(dirs, json_object_new_string(s->cgroup_dirs[i]));
	json_object_object_add(j, "cgroup_dirs", dirs);
	json_object *made = json_object_new_array();
	for (int i = 0; i < s->ncgroup_dirs; i++)
		json_object_array_add(made, json_object_new_int(s->cgroup_made[i]));
	json_object_object_add(j, "cgroup_made", made);
	json_object_object_add(j, "cgroup_version", json_object_new_int(s->cgroup_version));
	if (s->unit[0])
		json_object_object_add(j, "systemd_unit", json_object_new_string(s->unit));
	if (s->user_ns[0])
		json_object_object_add(j, "user_namespace", json_object_new_string(s->user_ns));
	if (s->hooks_json)
		json_object_object_add(j, "hooks", json_object_get(s->hooks_json));
	if (s->annotations)
		json_object_object_add(j, "annotations", json_object_get(s->annotations));
	snprintf(path, sizeof path, "%s/state.json", s->dir);
	snprintf(tmp, sizeof tmp, "%s/state.json.new", s->dir);
	const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	if (strlen(text) > OCI_MAX_STATE)
		oci_fail("%s would be larger than %d MiB (the config's hooks and annotations are kept "
			 "there): make them smaller", path, OCI_MAX_STATE >> 20);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0 ||
	    rename(tmp, path) < 0)
		oci_fail("writing %s: %s", path, strerror(errno));
	json_object_put(j);
}

enum oci_status { STOPPED, CREATED, RUNNING, PAUSED };
static const char *const status_names[] = { "stopped", "created", "running", "paused" };

static bool frozen(const struct oci_state *s);  /* II.5 */

static enum oci_status status_of(const struct oci_state *s)
{
	char fifo[PATH_MAX + 16];
	if (s->pid <= 0 || process_start_time(s->pid) != s->start_time)
		return STOPPED;
	snprintf(fifo, sizeof fifo, "%s/exec.fifo", s->dir);
	if (access(fifo, F_OK) == 0)
		return CREATED;
	return frozen(s) ? PAUSED : RUNNING;
}

/* ------------------------------------------------------------------------ *
 * II.4 Hooks
 *
 * The engine's own programs, run at fixed moments (runtime-spec
 * runtime.md, "Lifecycle"): prestart and createRuntime by create, in the
 * runtime's namespaces, once the container's namespaces exist and before
 * its pivot_root (Docker's libnetwork-setkey looks up the container's
 * network namespace through its pid); createContainer inside the
 * container's namespaces at the same point; startContainer inside the
 * container after start, just before its exec; poststart by start;
 * poststop by delete.  Each gets the container's state JSON on stdin.
 * Any of the first four failing fails the container, with the hook's
 * name, status and output in the error; poststart and poststop failing
 * is only a warning, as the spec says.
 * ------------------------------------------------------------------------ */

/* The OCI state (runtime.md, "State") with STATUS as given. */
static json_object *state_object(const char *id, const char *status, pid_t pid, const char *bundle,
				 json_object *annotations)
{
	json_object *j = json_object_new_object();
	json_object_object_add(j, "ociVersion", json_object_new_string(OCI_VERSION));
	json_object_object_add(j, "id", json_object_new_string(id));
	json_object_object_add(j, "status", json_object_new_string(status));
	json_object_object_add(j, "pid", json_object_new_int(pid));
	json_object_object_add(j, "bundle", json_object_new_string(bundle));
	if (annotations)
		json_object_object_add(j, "annotations", json_object_get(annotations));
	return j;
}

/* Run hook H (named WHERE, "hooks.prestart[0]") with STATE on its stdin:
 * a memfd holding the text, so a hook that never reads it cannot block
 * us.  Its stdout and stderr are collected (the first 512 bytes) for the
 * error.  It is waited for through a pidfd (pidfd_open(2)), up to its
 * timeout, then killed.  Returns 0, or -1 with the reason in ERR. */
static int run_hook(const struct oci_hook *h, const char *where, const char *state,
		    char *err, size_t errlen)
{
	int in = memfd_create("oci-state", MFD_CLOEXEC), out[2];
	size_t len = strlen(state);
	if (in < 0 || write(in, state, len) != (ssize_t)len || lseek(in, 0, SEEK_SET) < 0 ||
	    pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "%s: preparing its stdin: %s", where, strerror(errno));
		return -1;
	}
	const char *no_args[] = { h->path, NULL }, *no_env[] = { NULL };
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(in, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execve(h->path, (char **)(h->args && h->args[0] ? h->args : no_args),
		       (char **)(h->env ? h->env : no_env));
		dprintf(STDERR_FILENO, "exec: %s", strerror(errno));
		_exit(EXIT_CANNOT_EXEC);
	}
	close(in);
	close(out[1]);
	if (pid < 0) {
		close(out[0]);
		snprintf(err, errlen, "%s: fork: %s", where, strerror(errno));
		return -1;
	}
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {               /* Linux before 5.3 */
		snprintf(err, errlen, "%s: pidfd_open: %s", where, strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(out[0]);
		return -1;
	}
	char output[512] = "";
	size_t got = 0;
	bool timed_out = false;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { out[0], POLLIN, 0 } };
		int wait_ms = -1;
		if (h->timeout) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			long long ms = h->timeout * 1000LL - ((now.tv_sec - start.tv_sec) * 1000LL +
							      (now.tv_nsec - start.tv_nsec) / 1000000);
			if (ms <= 0) {
				timed_out = true;
				kill(pid, SIGKILL);
				break;
			}
			wait_ms = ms;
		}
		if (poll(p, p[1].fd >= 0 ? 2 : 1, wait_ms) < 0 && errno != EINTR)
			break;
		if (p[0].revents)      /* it ended; output still in the pipe is read below */
			break;
		if (p[1].revents) {
			char buf[512];
			ssize_t n = read(out[0], buf, sizeof buf);
			if (n <= 0) {
				close(out[0]);
				out[0] = -1;
			} else if (got < sizeof output - 1) {
				size_t take = (size_t)n < sizeof output - 1 - got ? (size_t)n : sizeof output - 1 - got;
				memcpy(output + got, buf, take);
				got += take;
			}
		}
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out[0] >= 0) {
		fcntl(out[0], F_SETFL, O_NONBLOCK);
		ssize_t n = read(out[0], output + got, sizeof output - 1 - got);
		got += n > 0 ? n : 0;
		close(out[0]);
	}
	close(pidfd);
	output[got] = '\0';
	while (got && isspace((unsigned char)output[got - 1]))
		output[--got] = '\0';
	for (char *c = output; *c; c++)
		if (*c == '\n')
			*c = ' ';
	if (timed_out)
		snprintf(err, errlen, "%s (%s) did not finish within its timeout of %d s and was killed%s%s",
			 where, h->path, h->timeout, got ? ": " : "", output);
	else if (WIFSIGNALED(status))
		snprintf(err, errlen, "%s (%s) was killed by signal %d%s%s", where, h->path,
			 WTERMSIG(status), got ? ": " : "", output);
	else if (WEXITSTATUS(status))
		snprintf(err, errlen, "%s (%s) failed with status %d%s%s", where, h->path,
			 WEXITSTATUS(status), got ? ": " : "", output);
	else
		return 0;
	return -1;
}

/* Every hook of KIND, in order; stops at the first that fails. */
static int run_hooks(const struct oci_hooks *hooks, enum hook_kind kind, json_object *state,
		     char *err, size_t errlen)
{
	const char *text = json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
	for (int i = 0; i < hooks->n[kind]; i++) {
		char where[64];
		snprintf(where, sizeof where, "hooks.%s[%d]", hook_names[kind], i);
		if (run_hook(&hooks->list[kind][i], where, text, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* poststart and poststop, from the hooks kept in the state: a failure is
 * logged as a warning and the command goes on. */
static void run_state_hooks(const struct oci_state *s, enum hook_kind kind, const char *status)
{
	static struct oci_hooks hooks;
	struct reader r = { .file = "state.json" };
	char err[1024];
	read_hooks(&r, s->hooks_json, &hooks);
	if (r.err[0])
		return log_line("warning", r.err);
	json_object *state = state_object(s->id, status, kind == POSTSTOP ? 0 : s->pid, s->bundle,
					  s->annotations);
	if (run_hooks(&hooks, kind, state, err, sizeof err) < 0)
		log_line("warning", err);
	json_object_put(state);
}

/* ------------------------------------------------------------------------ *
 * II.5 The cgroup, where the engine says (cgroup v1 and v2)
 *
 * Made by create before the container runs, removed by delete, at
 * cgroupsPath (II.1's cgroup_place) or, without one, /contained-oci/ID.
 * On cgroup v1 that is one directory per controller,
 * /sys/fs/cgroup/CONTROLLER/PATH; on v2 (systemd hosts: Debian 12, Ubuntu
 * 22.04+, Fedora) one directory, /sys/fs/cgroup/PATH, whose parents must
 * hand the controllers down (cgroup.subtree_control) and whose limits
 * have v2's names (Part I's cgroup_knobs table pairs them).
 *
 * The device rules matter most: without a user namespace the container's
 * root may mknod, and only the device cgroup keeps it from opening the
 * host's disks.  Every container starts from "deny all" and the config's
 * rules, in their order, open what they allow.  v1 has a devices
 * controller for that; v2 has none, and takes an eBPF program instead
 * (BPF_PROG_TYPE_CGROUP_DEVICE), which the kernel runs at each open and
 * mknod of a device node by a process of the cgroup, built below from
 * the same rules.  Pause and resume use the freezer (v1's controller,
 * v2's cgroup.freeze).
 *
 * With systemd's form of cgroupsPath on a host that systemd runs, systemd
 * makes the directory, as a transient scope unit's (start_systemd_scope);
 * elsewhere it is the place systemd would give that unit, made by hand.
 * ------------------------------------------------------------------------ */

static const char *const oci_controllers[] = { "memory", "cpu", "pids", "devices", "freezer" };
#define FREEZER 4                      /* its index: pause and resume (v1) */

/* Opened after the config's rules, as runc does: the nodes the runtime
 * itself puts in /dev (Part I's mount_dev: null, zero, full, random,
 * urandom, tty) and the terminal it makes (ptmx, and the pts of the
 * container's own devpts), which an engine leaves to the runtime: Docker's
 * rules do not name them.  No mknod here: creating nodes stays refused
 * unless the config allows it. */
static const struct oci_device_rule runtime_devices[] = {
	{ true, 'c', 1, 3, "rw" }, { true, 'c', 1, 5, "rw" }, { true, 'c', 1, 7, "rw" },
	{ true, 'c', 1, 8, "rw" }, { true, 'c', 1, 9, "rw" }, { true, 'c', 5, 0, "rw" },
	{ true, 'c', 5, 2, "rw" }, { true, 'c', 136, -1, "rw" },
};

static void device_rule_text(const struct oci_device_rule *d, char *buf, size_t size)
{
	char major[24] = "*", minor[24] = "*";
	if (d->major >= 0)
		snprintf(major, sizeof major, "%ld", d->major);
	if (d->minor >= 0)
		snprintf(minor, sizeof minor, "%ld", d->minor);
	if (d->type == 'a')
		snprintf(buf, size, "a");
	else
		snprintf(buf, size, "%c %s:%s %s", d->type, major, minor, d->access);
}

static void write_knob(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (write_file(path, "%s", value) < 0)
		oci_fail("writing \"%s\" to %s: %s", value, path, strerror(errno));
}

/* mkdir -p; returns how many directories it made (the deepest ones). */
static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	int made = 0;
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, mode) == 0)
			made++;
		else if (errno != EEXIST)
			oci_fail("mkdir %s: %s", buf, strerror(errno));
		if (!(*p = c))
			break;
	}
	return made;
}

/* The v2 device program: eBPF instructions (Documentation/bpf/
 * standardization/instruction-set.rst) that the kernel runs with a
 * struct bpf_cgroup_dev_ctx (linux/bpf.h): access_type, whose low 16 bits
 * are the node's type (BPF_DEVCG_DEV_BLOCK or _CHAR) and high 16 the
 * access asked for (BPF_DEVCG_ACC_MKNOD, _READ, _WRITE, or'ed), then
 * major and minor.  Returning 1 allows, 0 refuses with EPERM.
 *
 * The rules are read the way the v1 controller reads them, so both
 * layouts give one answer: r0 starts as "nothing allowed"; each rule, in
 * order, that matches the node adds its access letters to r0 (allow) or
 * takes them away (deny), so a later rule wins over an earlier one; at
 * the end every letter asked for must be in r0. */
static struct bpf_insn bpf_op(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

static unsigned devcg_access(const char *letters)
{
	return (strchr(letters, 'm') ? BPF_DEVCG_ACC_MKNOD : 0) | (strchr(letters, 'r') ? BPF_DEVCG_ACC_READ : 0) |
	       (strchr(letters, 'w') ? BPF_DEVCG_ACC_WRITE : 0);
}

/* One rule's instructions at OUT: skip to the next rule unless type,
 * major and minor match, then r0 |= access (allow) or r0 &= ~access. */
static int device_rule_insns(const struct oci_device_rule *d, struct bpf_insn *out)
{
	int n = 0, jumps[3], njumps = 0;
	if (d->type != 'a') {
		jumps[njumps++] = n;
		out[n++] = bpf_op(BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 0,
				  d->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	}
	if (d->major >= 0) {
		jumps[njumps++] = n;
		out[n++] = bpf_op(BPF_JMP32 | BPF_JNE | BPF_K, 3, 0, 0, (int32_t)d->major);
	}
	if (d->minor >= 0) {
		jumps[njumps++] = n;
		out[n++] = bpf_op(BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 0, (int32_t)d->minor);
	}
	unsigned access = devcg_access(d->access);
	out[n++] = d->allow ? bpf_op(BPF_ALU64 | BPF_OR | BPF_K, 0, 0, 0, access)
			    : bpf_op(BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, ~access);
	for (int i = 0; i < njumps; i++)
		out[jumps[i]].off = n - jumps[i] - 1;
	return n;
}

#define DEVICE_PROG_MAX (8 + 5 * (OCI_MAX_DEVICES + (int)LEN(runtime_devices)))

/* The program for RULES (N of them) then the runtime's own nodes, into
 * PROG (DEVICE_PROG_MAX long); returns its length. */
static int device_program(const struct oci_device_rule *rules, int n, struct bpf_insn *prog)
{
	int len = 0;
	prog[len++] = bpf_op(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0);  /* r2 = access_type */
	prog[len++] = bpf_op(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 4, 0);  /* r3 = major */
	prog[len++] = bpf_op(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 8, 0);  /* r4 = minor */
	prog[len++] = bpf_op(BPF_ALU64 | BPF_MOV | BPF_X, 5, 2, 0, 0);
	prog[len++] = bpf_op(BPF_ALU64 | BPF_RSH | BPF_K, 5, 0, 0, 16);     /* r5 = access asked */
	prog[len++] = bpf_op(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff); /* r2 = type */
	prog[len++] = bpf_op(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);      /* r0 = allowed */
	for (int i = 0; i < n; i++)
		len += device_rule_insns(&rules[i], prog + len);
	for (size_t i = 0; i < LEN(runtime_devices); i++)
		len += device_rule_insns(&runtime_devices[i], prog + len);
	prog[len++] = bpf_op(BPF_ALU64 | BPF_XOR | BPF_K, 0, 0, 0, 7);      /* r0 = not allowed */
	prog[len++] = bpf_op(BPF_ALU64 | BPF_AND | BPF_X, 5, 0, 0, 0);      /* asked and not allowed */
	prog[len++] = bpf_op(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	prog[len++] = bpf_op(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 1, 0);
	prog[len++] = bpf_op(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	prog[len++] = bpf_op(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return len;
}

/* Load the program for RULES and attach it to the cgroup directory
 * CGROUP_FD (bpf(2): BPF_PROG_LOAD, then BPF_PROG_ATTACH with
 * BPF_CGROUP_DEVICE).  BPF_F_ALLOW_MULTI: programs that others (systemd)
 * attached to the cgroup or its parents keep running too, and a node
 * must pass all of them.  The cgroup holds the program from then on; it
 * goes with the directory.  Returns 0, or -1 with ERR set. */
static int attach_device_program(int cgroup_fd, const struct oci_device_rule *rules, int n,
				 char *err, size_t errlen)
{
	static struct bpf_insn prog[DEVICE_PROG_MAX];
	static char log[16384];
	union bpf_attr load = { 0 }, attach = { 0 };
	load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	load.insns = (uintptr_t)prog;
	load.insn_cnt = device_program(rules, n, prog);
	load.license = (uintptr_t)"GPL";
	load.log_buf = (uintptr_t)log;
	load.log_size = sizeof log;
	load.log_level = 1;
	log[0] = '\0';
	int fd = syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
	if (fd < 0) {
		snprintf(err, errlen, "linux.resources.devices: loading the cgroup v2 device program "
			 "(bpf BPF_PROG_LOAD): %s%s%.200s", strerror(errno), log[0] ? ": " : "", log);
		return -1;
	}
	attach.target_fd = cgroup_fd;
	attach.attach_bpf_fd = fd;
	attach.attach_type = BPF_CGROUP_DEVICE;
	attach.attach_flags = BPF_F_ALLOW_MULTI;
	int rc = syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach);
	if (rc < 0)
		snprintf(err, errlen, "linux.resources.devices: attaching the device program to the "
			 "cgroup (bpf BPF_PROG_ATTACH): %s", strerror(errno));
	close(fd);
	return rc;
}

/* Whether DIR is the root of its hierarchy (/sys/fs/cgroup on v2,
 * /sys/fs/cgroup/CONTROLLER on v1), however it is spelt ("//", "/."):
 * the host's own, where nothing of a container's may be written or
 * killed. */
static bool hierarchy_root(const char *dir, int version)
{
	int parts = 0;
	if (strncmp(dir, "/sys/fs/cgroup/", 15))
		return true;               /* not a cgroup at all: never touched either */
	for (const char *p = dir + 14; *p;) {
		size_t len = strcspn(p, "/");
		if (len == 2 && !strncmp(p, "..", 2))
			return true;       /* climbs: where to, only the walk would know */
		parts += len && !(len == 1 && p[0] == '.');
		p += len + (p[len] == '/');
	}
	return parts <= (version == 2 ? 0 : 1);
}

/* A cgroup that is already there may be used only while nothing else is
 * in it, nor below it: the limits and device rules written there, the
 * kill at delete, would land on the host's processes too.  OURS is the
 * container (systemd's scope holds it already), or 0. */
static void refuse_occupied_cgroup(const struct oci_config *c, const char *dir, pid_t ours, int version)
{
	char path[PATH_MAX + 32];
	const char *field = c->cgroups_path && c->cgroups_path[0] ? c->cgroups_path : "";
	if (hierarchy_root(dir, version))
		oci_fail("linux.cgroupsPath \"%s\": %s is the root of the cgroup hierarchy, the host's own: "
			 "give a cgroup of the container's own (\"/docker/ID\")", field, dir);
	DIR *d = opendir(dir);
	if (!d)
		return;                /* not there yet: create makes it */
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_type == DT_DIR && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			closedir(d);
			oci_fail("linux.cgroupsPath \"%s\": %s already has a child cgroup (%s): give a cgroup "
				 "of the container's own (\"/docker/ID\")", field, dir, e->d_name);
		}
	closedir(d);
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	FILE *procs = fopen(path, "re");
	int pid;
	while (procs && fscanf(procs, "%d", &pid) == 1)
		if (pid != ours) {
			fclose(procs);
			oci_fail("linux.cgroupsPath \"%s\": %s already holds processes (pid %d) that are "
				 "not this container's: give a cgroup of the container's own (\"/docker/ID\")",
				 field, dir, pid);
		}
	if (procs)
		fclose(procs);
}

/* C's memory, cpu and pids limits (zeros: unset, left as they are) into
 * DIR, the v1 cgroup of CONTROLLER; the others take none here.  create's,
 * and update's on a container that has limits already: memory.limit_in_bytes
 * may never exceed memory.memsw.limit_in_bytes, so when swap grows past
 * its current limit it is written first (memory.txt in the kernel's
 * cgroup-v1 docs). */
static void write_v1_limits(const struct oci_config *c, const char *controller, const char *dir)
{
	char value[64], memsw[PATH_MAX + 32], now[64];
	if (!strcmp(controller, "memory")) {
		snprintf(memsw, sizeof memsw, "%s/memory.memsw.limit_in_bytes", dir);
		if (c->memory_swap != 0 && access(memsw, F_OK) < 0)
			oci_fail("linux.resources.memory.swap: this host does not account swap "
				 "(no %s; boot with swapaccount=1), so the limit cannot be applied", memsw);
		bool swap_first = c->memory_swap != 0 && (c->memory_swap < 0 || read_file(memsw, now, sizeof now) < 0 ||
							  c->memory_swap > strtoll(now, NULL, 10));
		for (int pass = 0; pass < 2; pass++) {
			if (pass == swap_first && c->memory_limit != 0) {
				snprintf(value, sizeof value, "%lld", c->memory_limit);
				write_knob(dir, "memory.limit_in_bytes", value);
			}
			if (pass == !swap_first && c->memory_swap != 0) {
				snprintf(value, sizeof value, "%lld", c->memory_swap);
				write_knob(dir, "memory.memsw.limit_in_bytes", value);
			}
		}
	}
	if (!strcmp(controller, "cpu")) {
		if (c->cpu_shares > 0)
			snprintf(value, sizeof value, "%lld", c->cpu_shares), write_knob(dir, "cpu.shares", value);
		if (c->cpu_period > 0)
			snprintf(value, sizeof value, "%lld", c->cpu_period), write_knob(dir, "cpu.cfs_period_us", value);
		if (c->cpu_quota != 0)
			snprintf(value, sizeof value, "%lld", c->cpu_quota), write_knob(dir, "cpu.cfs_quota_us", value);
	}
	if (!strcmp(controller, "pids") && c->pids_limit != 0) {
		if (c->pids_limit > 0)
			snprintf(value, sizeof value, "%lld", c->pids_limit);
		else
			snprintf(value, sizeof value, "max");
		write_knob(dir, "pids.max", value);
	}
}

static void make_cgroup_v1(const struct oci_config *c, const char *rel, struct oci_state *s, pid_t pid)
{
	for (size_t i = 0; i < LEN(oci_controllers); i++) {
		char dir[PATH_MAX];
		snprintf(dir, PATH_MAX, "/sys/fs/cgroup/%s%s", oci_controllers[i], rel);
		refuse_occupied_cgroup(c, dir, pid, 1);
	}
	for (size_t i = 0; i < LEN(oci_controllers); i++) {
		char *dir = s->cgroup_dirs[s->ncgroup_dirs];
		snprintf(dir, PATH_MAX, "/sys/fs/cgroup/%s%s", oci_controllers[i], rel);
		s->cgroup_made[s->ncgroup_dirs] = mkdir_p(dir, 0755);
		s->ncgroup_dirs++;
		write_v1_limits(c, oci_controllers[i], dir);
		if (!strcmp(oci_controllers[i], "devices")) {
			char rule[64];
			write_knob(dir, "devices.deny", "a");
			for (int k = 0; k < c->ndevices; k++) {
				device_rule_text(&c->devices[k], rule, sizeof rule);
				write_knob(dir, c->devices[k].allow ? "devices.allow" : "devices.deny", rule);
			}
			for (size_t k = 0; k < LEN(runtime_devices); k++) {
				device_rule_text(&runtime_devices[k], rule, sizeof rule);
				write_knob(dir, "devices.allow", rule);
			}
		}
	}
}

/* The v2 values of the config's limits, as text, into the knobs below;
 * "" leaves a knob alone.  OCI's swap is memory plus swap (v1's memsw),
 * v2's memory.swap.max is swap alone, hence the difference.  cpu.shares
 * (2..262144, default 1024) becomes cpu.weight (1..10000, default 100)
 * by the linear map runc and crun use, 1 + (shares - 2) * 9999 / 262142,
 * which keeps the ends and the order (1024 gives 39, not 100). */
enum { V2_MEMORY_MAX, V2_SWAP_MAX, V2_CPU_WEIGHT, V2_CPU_MAX, V2_PIDS_MAX, V2_NKNOBS };
static const char *const v2_knob_files[V2_NKNOBS] = {
	"memory.max", "memory.swap.max", "cpu.weight", "cpu.max", "pids.max" };
static const char *const v2_knob_fields[V2_NKNOBS] = {
	"memory.limit", "memory.swap", "cpu.shares", "cpu.quota and cpu.period", "pids.limit" };

static int v2_limits(const struct oci_config *c, char value[V2_NKNOBS][64], char *err, size_t errlen)
{
	memset(value, 0, V2_NKNOBS * 64);
	if (c->memory_limit > 0)
		snprintf(value[V2_MEMORY_MAX], 64, "%lld", c->memory_limit);
	else if (c->memory_limit < 0)
		snprintf(value[V2_MEMORY_MAX], 64, "max");
	if (c->memory_swap < 0)
		snprintf(value[V2_SWAP_MAX], 64, "max");
	else if (c->memory_swap > 0 && c->memory_limit <= 0) {
		snprintf(err, errlen, "linux.resources.memory.swap needs linux.resources.memory.limit "
			 "on cgroup v2 (it is memory plus swap; v2 limits swap alone)");
		return -1;
	} else if (c->memory_swap > 0)
		snprintf(value[V2_SWAP_MAX], 64, "%lld", c->memory_swap - c->memory_limit);
	if (c->cpu_shares > 0) {
		long long weight = 1 + (c->cpu_shares - 2) * 9999 / 262142;
		snprintf(value[V2_CPU_WEIGHT], 64, "%lld", weight < 1 ? 1 : weight > 10000 ? 10000 : weight);
	}
	if (c->cpu_quota != 0 || c->cpu_period > 0) {
		int n = c->cpu_quota > 0 ? snprintf(value[V2_CPU_MAX], 64, "%lld", c->cpu_quota)
					 : snprintf(value[V2_CPU_MAX], 64, "max");
		snprintf(value[V2_CPU_MAX] + n, 64 - n, " %lld", c->cpu_period > 0 ? c->cpu_period : 100000);
	}
	if (c->pids_limit > 0)
		snprintf(value[V2_PIDS_MAX], 64, "%lld", c->pids_limit);
	else if (c->pids_limit < 0)
		snprintf(value[V2_PIDS_MAX], 64, "max");
	return 0;
}

/* Whether WORD is one of LIST's words (cgroup.controllers: "cpu io memory"). */
static bool word_in(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || isspace((unsigned char)p[-1])) && (!p[len] || isspace((unsigned char)p[len])))
			return true;
	return false;
}

/* Let DIR's children use memory, cpu and pids (those this kernel has),
 * as v2 needs before a child may; a controller the limits need but DIR
 * cannot hand down is an error.  One already enabled is left alone. */
static void enable_v2_controllers(const char *dir, char value[V2_NKNOBS][64])
{
	static const char *const wanted[] = { "memory", "cpu", "pids" };
	char path[PATH_MAX + 32], have[512] = "", enabled[512] = "";
	snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
	read_file(path, have, sizeof have);
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
	read_file(path, enabled, sizeof enabled);
	for (size_t i = 0; i < LEN(wanted); i++) {
		bool needed = false;
		for (int k = 0; k < V2_NKNOBS; k++)
			needed |= value[k][0] && !strncmp(v2_knob_files[k], wanted[i], strlen(wanted[i]));
		if (word_in(enabled, wanted[i]))
			continue;
		if (!word_in(have, wanted[i])) {
			if (needed)
				oci_fail("linux.resources: cgroup v2's %s controller is not available in %s "
					 "(cgroup.controllers), so the limit cannot be applied", wanted[i], dir);
			continue;
		}
		if (write_file(path, "+%s", wanted[i]) < 0)
			oci_fail("linux.cgroupsPath: enabling %s in %s: %s%s", wanted[i], path, strerror(errno),
				 errno == EBUSY ? " (that cgroup holds processes of its own, which v2 "
				 "forbids in a cgroup that hands controllers down: choose a cgroupsPath "
				 "below one that holds none)" : "");
	}
}

/* With a user namespace, the container's cgroup is delegated to its root
 * the way cgroup v2 defines it (Documentation/admin-guide/cgroup-v2.rst,
 * "Delegation"): the directory and the files the kernel lists in
 * /sys/kernel/cgroup/delegate (cgroup.procs, cgroup.threads,
 * cgroup.subtree_control...) become the container root's host uid's, so
 * that it may make cgroups below its own and move its processes among
 * them.  Its own limits (memory.max and the rest in DIR) stay host root's,
 * and a process may only be moved where its mover can write the
 * cgroup.procs of both ends' common ancestor: the container cannot raise
 * its limits, nor reach out of its subtree.  On cgroup v1, whose
 * delegation has no such containment, the container keeps its read-only
 * view.  Returns 0, or -1 with why in ERR. */
#define CGROUP_DELEGATED_DEPTH 64          /* levels a container may make below its cgroup */

static int delegate_v2_cgroup(const char *path, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char list[1024];
	int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		snprintf(err, errlen, "%.900s: %s", path, strerror(errno));
		return -1;
	}
	if (read_file("/sys/kernel/cgroup/delegate", list, sizeof list) < 0)
		snprintf(list, sizeof list, "cgroup.procs\ncgroup.threads\ncgroup.subtree_control\n");
	if (fchown(dir, uid, gid) < 0) {
		snprintf(err, errlen, "linux.cgroupsPath: delegating the cgroup to the container's root "
			 "(uid %u): %s", (unsigned)uid, strerror(errno));
		close(dir);
		return -1;
	}
	/* how deep it may nest its own (cgroup.max.depth stays root's): far
	 * more than any init system inside uses, and well within what kill
	 * --all, ps and delete walk (walk_cgroup_tree), which must see every
	 * process of the container */
	int depth = openat(dir, "cgroup.max.depth", O_WRONLY | O_CLOEXEC);
	bool capped = depth >= 0 && dprintf(depth, "%d", CGROUP_DELEGATED_DEPTH) > 0;
	if (depth >= 0)
		close(depth);
	if (!capped) {
		snprintf(err, errlen, "linux.cgroupsPath: limiting %.900s/cgroup.max.depth: %s", path, strerror(errno));
		close(dir);
		return -1;
	}
	for (char *name = strtok(list, "\n"); name; name = strtok(NULL, "\n"))
		if (fchownat(dir, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != ENOENT) {
			snprintf(err, errlen, "linux.cgroupsPath: delegating %s to the container's root "
				 "(uid %u): %s", name, (unsigned)uid, strerror(errno));
			close(dir);
			return -1;
		}
	close(dir);
	return 0;
}

/* v2_limits' VALUE into DIR, each knob set that exists; create's and update's. */
static void write_v2_limits(const char *dir, char value[V2_NKNOBS][64])
{
	for (int k = 0; k < V2_NKNOBS; k++) {
		char path[PATH_MAX + 32];
		if (!value[k][0])
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, v2_knob_files[k]);
		if (access(path, F_OK) < 0)
			oci_fail("linux.resources.%s: %s does not exist%s", v2_knob_fields[k], path,
				 k == V2_SWAP_MAX ? " (this host does not account swap)" : "");
		write_knob(dir, v2_knob_files[k], value[k]);
	}
}

static void make_cgroup_v2(const struct oci_config *c, const char *rel, struct oci_state *s, pid_t pid)
{
	char value[V2_NKNOBS][64], err[512], buf[PATH_MAX];
	char *dir = s->cgroup_dirs[0];
	if (v2_limits(c, value, err, sizeof err) < 0)
		oci_fail("%s", err);
	snprintf(buf, sizeof buf, "/sys/fs/cgroup%s", rel);
	refuse_occupied_cgroup(c, buf, pid, 2);
	snprintf(dir, PATH_MAX, "/sys/fs/cgroup%s", rel);
	s->ncgroup_dirs = 1;
	/* each directory of the path: its parent hands the controllers
	 * down, then it is made (the deepest ones, counted, are create's) */
	snprintf(buf, sizeof buf, "%s", dir);
	for (char *p = buf + strlen("/sys/fs/cgroup"); p && *p == '/';) {
		char *next = strchr(p + 1, '/');
		*p = '\0';
		enable_v2_controllers(buf, value);
		*p = '/';
		if (next)
			*next = '\0';
		if (mkdir(buf, 0755) == 0)
			s->cgroup_made[0]++;
		else if (errno != EEXIST)
			oci_fail("linux.cgroupsPath: mkdir %s: %s", buf, strerror(errno));
		else if (s->cgroup_made[0])
			s->cgroup_made[0] = 0;     /* made by someone else meanwhile */
		if (next)
			*next = '/';
		p = next;
	}
	write_v2_limits(dir, value);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		oci_fail("%s: %s", dir, strerror(errno));
	int rc = attach_device_program(fd, c->devices, c->ndevices, err, sizeof err);
	close(fd);
	if (rc < 0)
		oci_fail("%s", err);
}

/* systemd's form on a host that systemd runs: the directory is systemd's
 * to make, as the cgroup of a transient scope unit (systemd.scope(5)),
 * asked for over D-Bus as runc does: the Manager's StartTransientUnit
 * (org.freedesktop.systemd1(5)) with the container's pid, its slice, and
 * Delegate=yes, which tells systemd that what is below belongs to us and
 * keeps the unit's controllers enabled.  A directory made by hand in
 * system.slice would not last: systemd, which thinks no unit there needs
 * the cpu controller, disables it again on its next daemon-reload, and the
 * container's cpu.max goes with it.  The limits are unit properties too,
 * so that systemd, when it writes them, writes ours.  The call is made
 * through systemd's own client, busctl(1), present wherever systemd is.
 *
 * Whether systemd runs this host: sd_booted(3)'s test. */
static bool systemd_running(void)
{
	struct stat st;
	return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

/* Run busctl ARGV (NULL-terminated); its error output, if it fails, to ERR. */
static int busctl(const char *const *argv, char *err, size_t errlen)
{
	int out[2];
	if (pipe2(out, O_CLOEXEC) < 0)
		return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execvp("busctl", (char **)argv);
		dprintf(STDERR_FILENO, "busctl: %s (it comes with systemd)", strerror(errno));
		_exit(127);
	}
	close(out[1]);
	ssize_t n = pid < 0 ? -1 : read(out[0], err, errlen - 1);
	err[n > 0 ? n : 0] = '\0';
	err[strcspn(err, "\n")] = '\0';
	close(out[0]);
	int status = -1;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status == 0 ? 0 : -1;
}

/* C's limits as properties of a scope unit (systemd.resource-control(5)),
 * the names and units systemd writes into the cgroup's knobs: appended to
 * ARGV from *N on as busctl's NAME TYPE VALUE, with their text in U.
 * create's for StartTransientUnit and update's for SetUnitProperties, so
 * the unit always says what the knobs say.  Zeros (unset) add nothing.
 * Returns how many were added, or -1 with why in ERR. */
struct unit_limits {
	char value[V2_NKNOBS][64], quota[32], period[32];
};

static int unit_limit_properties(const struct oci_config *c, struct unit_limits *u, const char **argv, int *n,
				 char *err, size_t errlen)
{
	/* "max" is UINT64_MAX, systemd's "infinity" */
	static const struct { int knob; const char *property; } knob_property[] = {
		{ V2_MEMORY_MAX, "MemoryMax" }, { V2_SWAP_MAX, "MemorySwapMax" },
		{ V2_PIDS_MAX, "TasksMax" }, { V2_CPU_WEIGHT, "CPUWeight" } };
	int props = 0;
	if (v2_limits(c, u->value, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < LEN(knob_property); i++) {
		const char *v = u->value[knob_property[i].knob];
		if (!v[0])
			continue;
		argv[(*n)++] = knob_property[i].property;
		argv[(*n)++] = "t";
		argv[(*n)++] = strcmp(v, "max") ? v : "18446744073709551615";
		props++;
	}
	if (u->value[V2_CPU_MAX][0]) {
		long long q = c->cpu_quota, p = c->cpu_period > 0 ? c->cpu_period : 100000;
		/* CPU time per second of wall time, in µs; infinity: no quota */
		snprintf(u->quota, sizeof u->quota, "%llu", q > 0 ? (unsigned long long)(q * 1000000 / p) : UINT64_MAX);
		snprintf(u->period, sizeof u->period, "%lld", p);
		argv[(*n)++] = "CPUQuotaPerSecUSec", argv[(*n)++] = "t", argv[(*n)++] = u->quota;
		argv[(*n)++] = "CPUQuotaPeriodUSec", argv[(*n)++] = "t", argv[(*n)++] = u->period;
		props += 2;
	}
	return props;
}

static void start_systemd_scope(const struct oci_config *c, pid_t pid, struct oci_state *s)
{
	struct unit_limits limits;
	char err[512], npid[24], nprops[16];
	const char *argv[64] = { "busctl", "call", "--quiet", "org.freedesktop.systemd1",
		"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "StartTransientUnit",
		"ssa(sv)a(sa(sv))", c->systemd_unit, "fail", nprops,
		"Description", "s", "contained-oci container",
		"Slice", "s", c->systemd_slice, "Delegate", "b", "true", "PIDs", "au", "1", npid };
	int n = 24;
	if (!strcmp(c->systemd_unit + strlen(c->systemd_unit) - 6, ".slice"))
		oci_fail("linux.cgroupsPath \"%s\": its NAME is a slice, which cannot hold the "
			 "container's processes; give a NAME that is not (SLICE:PREFIX:NAME)", c->cgroups_path);
	int props = unit_limit_properties(c, &limits, argv, &n, err, sizeof err);
	if (props < 0)
		oci_fail("%s", err);
	snprintf(npid, sizeof npid, "%d", pid);
	snprintf(nprops, sizeof nprops, "%d", 4 + props);
	argv[n++] = "0";               /* no auxiliary units */
	argv[n] = NULL;
	snprintf(s->unit, sizeof s->unit, "%s", c->systemd_unit);
	save_state(s);                 /* a delete --force from here on stops the unit */
	if (busctl(argv, err, sizeof err) < 0) {
		/* not ours to stop: most likely a unit of that name was there
		 * already (another container's); a scope systemd did make goes
		 * by itself once the container, killed, has left it empty */
		s->unit[0] = '\0';
		save_state(s);
		oci_fail("linux.cgroupsPath \"%s\": systemd refused the scope %s: %s", c->cgroups_path,
			 c->systemd_unit, err[0] ? err : "busctl failed");
	}
	/* the unit starts as a job: wait until the pid is in its cgroup */
	char procs[PATH_MAX], text[4096];
	snprintf(procs, sizeof procs, "/sys/fs/cgroup%s%s/cgroup.procs",
		 s->cgroup_version == 2 ? "" : "/systemd", c->cgroup_rel);
	for (int tries = 0; tries < 5000; tries++) {
		if (read_file(procs, text, sizeof text) == 0)
			for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
				if (atoi(l) == pid)
					return;
		usleep(1000);
	}
	oci_fail("linux.cgroupsPath \"%s\": systemd's scope %s did not take the container (%s)",
		 c->cgroups_path, c->systemd_unit, procs);
}

/* delete: a scope still there is stopped (ours have been killed by now:
 * the unit is left to be forgotten); one already gone is no error. */
static void stop_systemd_scope(const struct oci_state *s)
{
	char err[512];
	const char *argv[] = { "busctl", "call", "--quiet", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
			       "org.freedesktop.systemd1.Manager", "StopUnit", "ss", s->unit, "fail", NULL };
	if (s->unit[0] && busctl(argv, err, sizeof err) < 0 && !strstr(err, "not loaded"))
		fprintf(stderr, "contained-oci: stopping %s: %s\n", s->unit, err);
}

/* update on a container in systemd's scope UNIT: C's limits become the
 * unit's properties too, through the Manager's SetUnitProperties
 * (org.freedesktop.systemd1(5): name, runtime, properties; runtime true:
 * kept under /run until reboot, as the unit itself is).  systemd writes a
 * unit's properties into its cgroup again whenever it applies the unit
 * (a daemon-reload, a property set by anyone), so knobs changed behind
 * its back alone would fall back to create's limits there.  A refusal is
 * fatal, before update writes any knob. */
static void set_unit_limits(const char *id, const char *unit, const struct oci_config *c)
{
	struct unit_limits limits;
	char err[512], nprops[16];
	const char *argv[64] = { "busctl", "call", "--quiet", "org.freedesktop.systemd1",
		"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "SetUnitProperties",
		"sba(sv)", unit, "true", nprops };
	int n = 11;
	int props = unit_limit_properties(c, &limits, argv, &n, err, sizeof err);
	if (props < 0)
		oci_fail("--resources: %s", err);
	if (props == 0)
		return;
	snprintf(nprops, sizeof nprops, "%d", props);
	argv[n] = NULL;
	if (busctl(argv, err, sizeof err) < 0)
		oci_fail("update %s: systemd refused the new limits of %s: %s", id, unit,
			 err[0] ? err : "busctl failed");
}

/* PID: the container, for systemd's scope; 0 for the other ways. */
static void make_oci_cgroup(const struct oci_config *c, const char *id, struct oci_state *s, pid_t pid)
{
	struct statfs fs;
	char rel[PATH_MAX - 64];
	if (c->cgroup_rel[0])
		snprintf(rel, sizeof rel, "%s", c->cgroup_rel);
	else
		snprintf(rel, sizeof rel, "/contained-oci/%s", id);
	s->cgroup_version = statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC ? 2 : 1;
	cgroup.version = s->cgroup_version;  /* for remove_cgroup_dir() */
	if (pid)
		start_systemd_scope(c, pid, s);
	if (s->cgroup_version == 2)
		make_cgroup_v2(c, rel, s, pid);
	else
		make_cgroup_v1(c, rel, s, pid);
}

/* pause and resume: the freezer stops every process of the cgroup where
 * it stands, and lets them go again (v1: freezer.state, FROZEN or THAWED,
 * Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst; v2:
 * cgroup.freeze 1 or 0, done when cgroup.events says "frozen 1" or 0).
 * Freezing takes a moment, so wait until it reads back. */
static void set_freezer(const struct oci_state *s, bool freeze)
{
	char path[PATH_MAX + 32], events[PATH_MAX + 32], now[512] = "";
	const char *state = freeze ? "FROZEN" : "THAWED";
	if (s->cgroup_version == 2) {
		snprintf(path, sizeof path, "%s/cgroup.freeze", s->cgroup_dirs[0]);
		snprintf(events, sizeof events, "%s/cgroup.events", s->cgroup_dirs[0]);
		state = freeze ? "1" : "0";
	} else if (s->ncgroup_dirs <= FREEZER) {
		oci_fail("this container was made without a freezer cgroup");
	} else {
		snprintf(path, sizeof path, "%s/freezer.state", s->cgroup_dirs[FREEZER]);
		snprintf(events, sizeof events, "%s", path);
	}
	for (int tries = 0; tries < 5000; tries++) {
		if (write_file(path, "%s", state) < 0)
			oci_fail("writing %s to %s: %s", state, path, strerror(errno));
		if (read_file(events, now, sizeof now) == 0) {
			char *frozen_line = strstr(now, "frozen ");
			if (s->cgroup_version == 2 ? frozen_line && frozen_line[7] == state[0]
						   : !strncmp(now, state, strlen(state)))
				return;
		}
		usleep(1000);
	}
	oci_fail("%s: still not %s after 5 s", path, state);
}

static bool frozen(const struct oci_state *s)
{
	char path[PATH_MAX + 32], now[32];
	if (s->cgroup_version == 2) {
		snprintf(path, sizeof path, "%s/cgroup.freeze", s->cgroup_dirs[0]);
		return s->ncgroup_dirs && read_file(path, now, sizeof now) == 0 && now[0] == '1';
	}
	if (s->ncgroup_dirs <= FREEZER)
		return false;
	snprintf(path, sizeof path, "%s/freezer.state", s->cgroup_dirs[FREEZER]);
	return read_file(path, now, sizeof now) == 0 && strncmp(now, "THAWED", 6) != 0;
}

/* The cgroups under a container's own, which it may make: on v2 its
 * root owns the delegated directory (delegate_v2_cgroup), and a container
 * given CAP_SYS_ADMIN over the host's cgroups could anywhere.  Its
 * processes may live in any of them, so kill --all, ps and delete walk the
 * whole tree.  FN is called on each directory of the tree at PATH, open
 * as DIR and named NAME in its parent directory PARENT, deepest first,
 * PATH itself last: the order in which unlinkat(2) can remove them.  The
 * walk goes from descriptor to descriptor, never by path: the container
 * names its cgroups, and a few long names nested would make a path
 * longer than PATH_MAX.  cgroupfs holds no symlinks (O_NOFOLLOW all the
 * same); nesting deeper than CGROUP_MAX_NESTING (each level holds two
 * descriptors open) is not walked, and delete then reports the directory
 * it could not remove. */
#define CGROUP_MAX_NESTING 256

typedef void cgroup_fn(int parent, const char *name, int dir, void *arg);

static void walk_cgroup_tree_at(int parent, const char *name, int depth, cgroup_fn *fn, void *arg)
{
	int dir = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return;
	int copy = depth < CGROUP_MAX_NESTING ? dup(dir) : -1;
	DIR *d = copy < 0 ? NULL : fdopendir(copy);
	if (!d && copy >= 0)
		close(copy);
	for (struct dirent *e; d && (e = readdir(d));)
		if (e->d_type == DT_DIR && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			walk_cgroup_tree_at(dir, e->d_name, depth + 1, fn, arg);
	if (d)
		closedir(d);
	fn(parent, name, dir, arg);
	close(dir);
}

static void walk_cgroup_tree(const char *path, cgroup_fn *fn, void *arg)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", path);
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return;                    /* a hierarchy's root: never */
	*slash = '\0';
	int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		walk_cgroup_tree_at(fd, slash + 1, 0, fn, arg);
		close(fd);
	}
}

/* Each pid in the cgroup.procs of the cgroup open as DIR, to FN. */
static void each_listed_pid(int dir, void (*fn)(int pid, void *arg), void *arg)
{
	int pid, fd = openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	FILE *procs = fd < 0 ? NULL : fdopen(fd, "re");
	if (!procs && fd >= 0)
		close(fd);
	while (procs && fscanf(procs, "%d", &pid) == 1)
		fn(pid, arg);
	if (procs)
		fclose(procs);
}

static void signal_pid(int pid, void *sig)
{
	kill(pid, *(int *)sig);
}

static void signal_cgroup(int parent, const char *name, int dir, void *sig)
{
	(void)parent, (void)name;
	each_listed_pid(dir, signal_pid, sig);
}

/* One round of delete, on one directory of the tree: kill what is in it
 * (cgroup.kill on v2, 5.14+, which no fork can race), and remove it if
 * that left it empty; its children went first (walk_cgroup_tree). */
static void clear_cgroup(int parent, const char *name, int dir, void *version)
{
	static int sig = SIGKILL;
	if (unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return;
	int kill_file = *(int *)version == 2 ? openat(dir, "cgroup.kill", O_WRONLY | O_CLOEXEC) : -1;
	if (kill_file < 0 || write(kill_file, "1", 1) != 1)
		signal_cgroup(parent, name, dir, &sig);
	if (kill_file >= 0)
		close(kill_file);
	unlinkat(parent, name, AT_REMOVEDIR);
}

/* Parents a delete could not remove because another container still
 * lives under them (create made /a for /a/x; /a/y came later, and /a/x
 * went first): kept in ROOT/cgroup-parents, a path a line, so that
 * whichever delete comes last removes them.  Only directories a create
 * made get in, and each is only ever rmdir(2)'ed, which takes an empty
 * cgroup alone.  Every delete adds ADD (NADD paths) and tries them all,
 * deepest (longest) first, under flock(2); the file goes when none is
 * left.  Its lock is taken again if another delete removed the file
 * meanwhile, so no path is written into a file no one will read. */
#define CGROUP_PARENTS_MAX (64 * 1024)

static int longer_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

static void tidy_cgroup_parents(char *const *add, int nadd)
{
	char path[PATH_MAX + 32], *text = calloc(1, CGROUP_PARENTS_MAX + 1), *line[1024];
	int fd = -1, n = 0;
	snprintf(path, sizeof path, "%s/cgroup-parents", state_root);
	for (int tries = 0; text && tries < 10; tries++) {
		fd = lock_file(path, O_RDWR | (nadd ? O_CREAT : 0), 0);
		if (fd < 0 || still_named(fd, path))
			break;
		close(fd);                 /* removed meanwhile: the lock on a new one */
		fd = -1;
	}
	if (fd < 0) {
		free(text);
		return;
	}
	ssize_t len = pread(fd, text, CGROUP_PARENTS_MAX, 0);
	text[len > 0 ? len : 0] = '\0';
	for (char *l = strtok(text, "\n"); l && n < (int)LEN(line); l = strtok(NULL, "\n"))
		line[n++] = l;
	for (int i = 0; i < nadd && n < (int)LEN(line); i++)
		line[n++] = add[i];
	qsort(line, n, sizeof *line, longer_first);
	FILE *out = fdopen(dup(fd), "w");
	if (ftruncate(fd, 0) == 0 && out) {
		for (int i = 0; i < n; i++) {
			bool dup_of_last = i > 0 && !strcmp(line[i], line[i - 1]);
			if (strncmp(line[i], "/sys/fs/cgroup/", 15) || strstr(line[i], "/..") || dup_of_last ||
			    rmdir(line[i]) == 0 || errno == ENOENT)
				continue;
			fprintf(out, "%s\n", line[i]);
		}
		fflush(out);
		if (ftell(out) == 0)
			unlink(path);
	}
	if (out)
		fclose(out);
	close(fd);
	free(text);
}

/* The directories create made, and only those, with every cgroup made
 * under them, deepest first; what is still in them is killed first,
 * round after round (a dying process holds its cgroup until it is torn
 * down; a forking one may have added a child), 1 ms apart at first, then
 * twice as long each time up to 0.1 s, for 2 s in all: far longer than a
 * large container's teardown takes, and few walks of a deep tree.  A
 * cgroupsPath that named a cgroup already there (or systemd's scope,
 * which systemd removes) is left to its owner, with whatever else runs in
 * it.  Returns 0, or -1 with the first directory left (and why) in ERR. */
static int remove_oci_cgroup(const struct oci_state *s, char *err, size_t errlen)
{
	int left = 0, version = s->cgroup_version, nbusy = 0;
	char *busy[64];
	cgroup.version = s->cgroup_version;
	for (int i = 0; i < s->ncgroup_dirs; i++) {
		char dir[PATH_MAX];
		if (s->cgroup_made[i] < 1 || hierarchy_root(s->cgroup_dirs[i], s->cgroup_version))
			continue;          /* a root: never, whatever state.json says */
		snprintf(dir, sizeof dir, "%s", s->cgroup_dirs[i]);
		for (useconds_t pause = 0, spent = 0; spent <= 2000000 && access(dir, F_OK) == 0;
		     spent += pause, pause = pause ? (pause < 100000 ? 2 * pause : pause) : 1000) {
			usleep(pause);
			walk_cgroup_tree(dir, clear_cgroup, &version);
		}
		if (access(dir, F_OK) == 0) {
			if (!left++)
				snprintf(err, errlen, "could not remove the cgroup %.3000s (or a cgroup the "
					 "container made under it): a process in it does not die (is a cgroup "
					 "there frozen?), or they nest deeper than the %d levels delete walks",
					 dir, CGROUP_MAX_NESTING);
			continue;
		}
		/* and the parents create made (/docker of /docker/ID), while
		 * empty; one another container still uses waits for the last
		 * delete (tidy_cgroup_parents) */
		for (int k = 1; k < s->cgroup_made[i]; k++) {
			char *slash = strrchr(dir, '/');
			if (!slash)
				break;
			*slash = '\0';
			if (rmdir(dir) < 0 && errno != ENOENT && nbusy < (int)LEN(busy))
				busy[nbusy++] = strdup(dir);
		}
	}
	stop_systemd_scope(s);
	tidy_cgroup_parents(busy, nbusy);
	for (int i = 0; i < nbusy; i++)
		free(busy[i]);
	return left ? -1 : 0;
}

/* ------------------------------------------------------------------------ *
 * II.6 The container: set up, wait for start, exec
 *
 * The child of create's clone, in the namespaces the config lists.  Its
 * stderr is a pipe to create until it is ready, so a die() from a Part I
 * stage reaches create, which logs it for the engine; then it gets the
 * container's stderr back, tells create "ready" over the socket, and
 * blocks opening exec.fifo until start opens the other end.
 *
 * In order: the cgroup namespace (from inside its cgroup), the config's
 * mounts, the hooks (create's, then createContainer here), pivot_root,
 * sysctl, masked and read-only paths, hostname, the terminal; then, after
 * start, startContainer, the seccomp filter and the process's user,
 * capabilities and no_new_privs around each other (load_filter), exec.
 *
 * With a user namespace (user_namespaces(7)): create clones the child
 * into it together with the others, which it then owns, so that the
 * container's root may mount proc (its pid namespace's), sysfs (with a
 * network namespace of its own; else the host's /sys is bound read-only),
 * tmpfs, devpts and mqueue.  The child can do nothing with ids until
 * create, the host's root, writes its maps; create also sets its rlimits
 * and oomScoreAdj, which take CAP_SYS_RESOURCE in the host's namespace to
 * raise or lower.  The child takes up the identity of the namespace's
 * root (Part I's section 5) and goes on as the container's root, with
 * capabilities over the container's namespaces only, and none over the
 * host's files: what it needs of the host's paths (the rootfs, exec.fifo,
 * bind sources) create opened for it before the clone.  Device nodes are
 * bound from the host (mount_dev), never made: mknod(2) is refused in a
 * user namespace, and a node on a mount it made would not open anyway
 * (nodev).
 * ------------------------------------------------------------------------ */

struct oci_child {
	const struct oci_config *c;
	char rootfs[2 * PATH_MAX];     /* absolute */
	char fifo[PATH_MAX + 16];
	int sync, err_pipe, saved_stderr;
	const char *id, *bundle;
	pid_t host_pid;                /* our pid as the engine sees it, for the hooks */
	scmp_filter_ctx filter;        /* linux.seccomp, compiled by create; or NULL */
	const struct oci_state *state; /* its cgroup directories */
	int console;                   /* --console-socket, connected; or -1 */
	int terminal;                  /* the pty's slave, once made; or -1 */
	int tree;                      /* a detached copy of the rootfs's mounts (open_tree) */
	int fifo_fd;                   /* exec.fifo, O_PATH */
	int source[OCI_MAX_MOUNTS];    /* each bind mount's source, a detached copy; or -1 */
};

/* A remount changes the flags of the mount on top only: under an rbind,
 * the submounts it carried would stay writable, suid, exec.  So for a
 * recursive bind the flags go to the whole tree at once, with
 * mount_setattr(2) and AT_RECURSIVE (Linux 5.12). */
static void set_flags_recursively(int root, const char *target, unsigned long flags, const char *what)
{
	struct mount_attr attr = {
		.attr_set = (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
			    (flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0) | (flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0),
	};
	if (!attr.attr_set)
		return;
	int fd = open_in_rootfs(root, target);
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
		die_errno("%s %s: making its submounts %s too (mount_setattr, Linux 5.12)", what, target,
			  flags & MS_RDONLY ? "read-only" : "nosuid, nodev, noexec");
	close(fd);
}

/* mounts[].destination, its symlinks resolved inside the rootfs ROOT, as
 * the container would see them: an image may well have /var/run -> ../run
 * and expect a bind to /var/run/x.sock to land in /run.  Each component is
 * looked up without following anything (openat2(2) with RESOLVE_IN_ROOT
 * and RESOLVE_NO_SYMLINKS, O_NOFOLLOW opening a symlink itself), and a
 * symlink's target, read with readlinkat(2), is put in its place: an
 * absolute one from the rootfs's /, a relative one from its directory.
 * ".." is taken lexically on a path of real directories, and stops at the
 * rootfs's /, as RESOLVE_IN_ROOT has it: no symlink ("/../../etc",
 * "../../../../etc") leads out of the rootfs, only to the same place
 * inside.  At most 40 symlinks (path_resolution(7)'s limit), then ELOOP.
 * What does not exist yet is kept as written, for make_path_in_rootfs().
 * The result, in OUT, holds no symlink; the mount itself is then made
 * through Part I's lookups, which refuse one, so a symlink planted
 * meanwhile is an error, never a way out.  Returns 0, or -1 with errno. */
static int resolve_destination(int root, const char *destination, char *out, size_t size)
{
	char path[PATH_MAX], next[PATH_MAX], target[PATH_MAX], done[PATH_MAX];
	int links = 0;
	if (snprintf(path, sizeof path, "%s", destination) >= (int)sizeof path)
		return errno = ENAMETOOLONG, -1;
restart:
	done[0] = '\0';                    /* resolved so far; "" is the rootfs's / */
	for (char *p = path, *end; *p; p = end) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = p + strcspn(p, "/");
		size_t len = end - p, have = strlen(done);
		if (len == 1 && p[0] == '.')
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *last = strrchr(done, '/');
			if (last)                  /* at the rootfs's /, it stays there */
				*last = '\0';
			continue;
		}
		if (have + 1 + len >= sizeof done)
			return errno = ENAMETOOLONG, -1;
		snprintf(done + have, sizeof done - have, "/%.*s", (int)len, p);
		struct open_how how = {
			.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
		};
		int fd = syscall(SYS_openat2, root, done, &how, sizeof how);
		struct stat st;
		if (fd < 0 && errno == ENOENT) {
			/* not there: the rest as written, to be made */
			if (snprintf(out, size, "%s%s", done, end) >= (int)size)
				return errno = ENAMETOOLONG, -1;
			return 0;
		}
		if (fd < 0 || fstat(fd, &st) < 0)
			return -1;
		if (!S_ISLNK(st.st_mode)) {
			close(fd);
			continue;
		}
		ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
		close(fd);
		if (n < 0)
			return -1;
		if (++links > 40)
			return errno = ELOOP, -1;
		target[n] = '\0';
		*strrchr(done, '/') = '\0';   /* the link's directory */
		if (snprintf(next, sizeof next, "%s/%s%s", target[0] == '/' ? "" : done, target, end) >=
		    (int)sizeof next)
			return errno = ENAMETOOLONG, -1;
		memcpy(path, next, sizeof path);
		goto restart;
	}
	if (snprintf(out, size, "%s", done[0] ? done : "/") >= (int)size)
		return errno = ENAMETOOLONG, -1;
	return 0;
}

/* A config mount, onto its destination inside the rootfs ROOT. */
static void oci_mount(int root, const struct oci_mount *m, int source, const struct oci_state *s,
		      int c_namespaces, const char *what)
{
	unsigned long flags = m->flags & ~(MS_BIND | MS_REC);
	if (!strcmp(m->type, "cgroup") && s->cgroup_version == 2) {
		/* v2: in its own cgroup namespace (entered from inside its
		 * cgroup, II.6) a new cgroup2 mount has the container's cgroup
		 * as its root and shows nothing above it (cgroup_namespaces(7));
		 * without one, a bind of that directory shows the same.  The
		 * kernel refuses writes to the namespace root's own limits from
		 * inside, read-only or not. */
		make_path_in_rootfs(root, m->destination, A_DIRECTORY, what);
		if (c_namespaces & CLONE_NEWCGROUP) {
			mount_in_rootfs("cgroup2", root, m->destination, "cgroup2",
					flags | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		} else {
			mount_in_rootfs(s->cgroup_dirs[0], root, m->destination, NULL, MS_BIND, NULL);
			mount_in_rootfs(NULL, root, m->destination, NULL, MS_REMOUNT | MS_BIND | flags |
					MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		}
		return;
	}
	if (!strcmp(m->type, "cgroup")) {
		/* The container's own cgroup, as Part I's mount_cgroup() shows
		 * it (cgroup v1): a small tmpfs with one read-only bind per
		 * controller, so it sees its limits where it would look on a
		 * host, and nothing of its neighbours'. */
		make_path_in_rootfs(root, m->destination, A_DIRECTORY, what);
		mount_in_rootfs("tmpfs", root, m->destination, "tmpfs", (flags & ~MS_RDONLY) | MS_NOSUID |
				MS_NODEV | MS_NOEXEC, "mode=0755,size=64k");
		for (int i = 0; i < s->ncgroup_dirs; i++) {
			char sub[PATH_MAX];
			snprintf(sub, sizeof sub, "%s/%s", m->destination, oci_controllers[i]);
			make_dir_in_rootfs(root, sub, 0755);
			bind_readonly_in_rootfs(s->cgroup_dirs[i], root, sub);
		}
		mount_in_rootfs(NULL, root, m->destination, NULL, MS_REMOUNT | flags | MS_NOSUID | MS_NODEV |
				MS_NOEXEC, "mode=0755,size=64k");
		return;
	}
	if (!strcmp(m->type, "sysfs") && (c_namespaces & CLONE_NEWUSER) && !(c_namespaces & CLONE_NEWNET)) {
		/* A user namespace may mount sysfs only with a network
		 * namespace of its own (sysfs shows the network devices of
		 * the mounter's): sharing the host's, the container gets the
		 * host's /sys, bound with the config's flags and read-only all
		 * the way down whatever they say, as it cannot be namespaced.
		 * The flag is the container's own to lift, like every flag on
		 * a mount its root made in a mount namespace it owns: one
		 * granted CAP_SYS_ADMIN may remount it read-write (so may it
		 * any bind with "ro", and root.readonly).  What holds then is
		 * ownership: the host's sysfs files belong to ids its user
		 * namespace does not map, over which its capabilities give it
		 * nothing (capabilities(7)), so it writes there only what any
		 * unprivileged host user may. */
		make_path_in_rootfs(root, m->destination, A_DIRECTORY, what);
		mount_in_rootfs("/sys", root, m->destination, NULL, MS_BIND | MS_REC, NULL);
		mount_in_rootfs(NULL, root, m->destination, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, NULL);
		set_flags_recursively(root, m->destination, MS_RDONLY | flags, what);
		return;
	}
	if (m->bind) {
		/* The source is a copy create made (II.6): attached here,
		 * exactly onto the destination found. */
		struct stat st;
		if (fstat(source, &st) < 0)
			die_errno("%s: bind source %s", what, m->source);
		make_path_in_rootfs(root, m->destination, S_ISDIR(st.st_mode) ? A_DIRECTORY : A_FILE, what);
		int target = open_in_rootfs(root, m->destination);
		if (syscall(SYS_move_mount, source, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			die_errno("%s: binding %s there (move_mount)", what, m->source);
		close(target);
		if (flags)
			mount_in_rootfs(NULL, root, m->destination, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
		if (m->flags & MS_REC)
			set_flags_recursively(root, m->destination, flags, what);
	} else {
		make_path_in_rootfs(root, m->destination, A_DIRECTORY, what);
		mount_in_rootfs(m->source, root, m->destination, m->type, flags, m->data[0] ? m->data : NULL);
		if (!strcmp(m->destination, "/dev") && !strcmp(m->type, "tmpfs"))
			mount_dev(root);       /* Part I's few device nodes, bound from the host */
	}
}

/* maskedPaths: /dev/null over a file, an empty read-only tmpfs over a
 * directory; readonlyPaths: a read-only bind of itself.  After the pivot,
 * so the paths are the container's (its /proc, its /sys). */
static void mask_and_protect(const struct oci_config *c)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; i < c->nmasked; i++) {
		int fd = resolve_in_rootfs(root, c->masked[i]);
		struct stat st;
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0)
			die_errno("maskedPaths: %s", c->masked[i]);
		close(fd);
		if (S_ISDIR(st.st_mode))
			mount_in_rootfs("tmpfs", root, c->masked[i], "tmpfs", MS_RDONLY | MS_NOSUID |
					MS_NODEV | MS_NOEXEC, "size=0,mode=0555");
		else
			bind_in_rootfs("/dev/null", root, c->masked[i]);
	}
	for (int i = 0; i < c->nreadonly; i++)
		if (present_in_rootfs(root, c->readonly[i])) {
			bind_readonly_in_rootfs(c->readonly[i], root, c->readonly[i]);
			set_flags_recursively(root, c->readonly[i], MS_RDONLY, "readonlyPaths");
		}
	close(root);
}

/* linux.seccomp (read in II.1) compiled into a libseccomp filter: the
 * default action, the architectures it also covers (a 32-bit x86 call
 * from a 64-bit container is a different table, and must not slip past),
 * then one rule per system call name.  libseccomp's own habit of setting
 * no_new_privs on load is turned off: that is process.noNewPrivileges's
 * to say.  Returns the filter, or NULL with the reason in ERR. */
static scmp_filter_ctx compile_seccomp(const struct oci_seccomp *sc, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(sc->default_action);
	int rc = 0;
	if (!ctx) {
		snprintf(err, errlen, "linux.seccomp: seccomp_init failed");
		return NULL;
	}
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
		goto fail;
	for (int i = 0; i < sc->nflags; i++)
		if ((rc = seccomp_attr_set(ctx, sc->flags[i], 1)) < 0) {
			snprintf(err, errlen, "linux.seccomp.flags[%d]: this kernel or libseccomp cannot "
				 "set it: %s", i, strerror(-rc));
			seccomp_release(ctx);
			return NULL;
		}
	for (int i = 0; i < sc->narchs; i++)
		if ((rc = seccomp_arch_add(ctx, sc->archs[i])) < 0 && rc != -EEXIST) {
			snprintf(err, errlen, "linux.seccomp.architectures[%d]: %s", i, strerror(-rc));
			seccomp_release(ctx);
			return NULL;
		}
	for (int i = 0; i < sc->nrules; i++) {
		const struct oci_seccomp_rule *r = &sc->rules[i];
		bool twice = false;       /* two conditions on one argument */
		for (unsigned a = 0; a < r->nargs; a++)
			for (unsigned b = a + 1; b < r->nargs; b++)
				twice |= r->args[a].arg == r->args[b].arg;
		if (!twice)
			rc = seccomp_rule_add_array(ctx, r->action, r->nr, r->nargs, r->args);
		for (unsigned a = 0; twice && a < r->nargs && rc >= 0; a++)
			rc = seccomp_rule_add_array(ctx, r->action, r->nr, 1, &r->args[a]);
		if (rc < 0) {
			snprintf(err, errlen, "linux.seccomp: the rule for %s: libseccomp refused it: %s",
				 r->name, strerror(-rc));
			seccomp_release(ctx);
			return NULL;
		}
	}
	return ctx;
fail:
	snprintf(err, errlen, "linux.seccomp: %s", strerror(-rc));
	seccomp_release(ctx);
	return NULL;
}

/* After start: who the process is, and what it may do.  The bounding set
 * is cut while still root (PR_CAPBSET_DROP needs CAP_SETPCAP); KEEPCAPS
 * carries the permitted set across setuid(2); then the config's sets
 * exactly (capabilities(7)). */
static void become_process_user(const struct oci_process *p)
{
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (!(p->bounding & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			die_errno("dropping capability %d from the bounding set", cap);
	if (setgroups(p->ngids, p->gids) < 0 || setresgid(p->gid, p->gid, p->gid) < 0)
		die_errno("setting groups (gid %u)", p->gid);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresuid(p->uid, p->uid, p->uid) < 0)
		die_errno("setting uid %u", p->uid);
	cap_t caps = cap_init();
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		cap_value_t v = cap;
		if (p->effective & (1ULL << cap))
			cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
		if (p->permitted & (1ULL << cap))
			cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
		if (p->inheritable & (1ULL << cap))
			cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	if (cap_set_proc(caps) < 0)
		die_errno("setting capabilities (process.capabilities)");
	cap_free(caps);
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if ((p->ambient & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			die_errno("raising ambient capability %d", cap);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		die_errno("PR_SET_KEEPCAPS");
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno("PR_SET_NO_NEW_PRIVS");
}

/* process.terminal: a pty made inside the container (its /dev/ptmx, so
 * the other end lives in the container's own devpts), whose master goes to
 * the engine over the --console-socket: ONE message, the data "/dev/ptmx"
 * and exactly one descriptor in SCM_RIGHTS (unix(7)), as the shim
 * expects.  Returns the slave, to become the process's stdio. */
static int make_terminal(int console, const struct oci_process *p)
{
	char name[64], data[] = "/dev/ptmx";
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		die_errno("process.terminal: opening /dev/ptmx in the container (it needs a devpts "
			  "mount at /dev/pts in mounts)");
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0)
		die_errno("process.terminal: unlocking the pty");
	int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || fchown(slave, p->uid, -1) < 0)
		die_errno("process.terminal: opening %s", name);
	struct winsize ws = { .ws_row = p->rows, .ws_col = p->cols };
	if (p->rows && p->cols && ioctl(master, TIOCSWINSZ, &ws) < 0)
		die_errno("process.consoleSize");

	if (send_descriptor(console, master, data, strlen(data)) < 0)
		die_errno("--console-socket: sending the pty's master");
	close(master);
	close(console);
	return slave;
}

/* The slave as stdin, stdout, stderr and controlling terminal, in a
 * session of its own (credentials(7), "controlling terminal"). */
static void use_terminal(int slave)
{
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		die_errno("process.terminal: making the pty the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			die_errno("process.terminal: dup2");
	close(slave);
}

/* --console-socket PATH, connected by the runtime before the container
 * leaves the host's mount namespace. */
static int connect_console(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof addr.sun_path)
		oci_fail("--console-socket %s: the path is longer than a unix socket's %zu bytes",
			 path, sizeof addr.sun_path - 1);
	strcpy(addr.sun_path, path);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
		oci_fail("--console-socket %s: %s", path, strerror(errno));
	return sock;
}

/* The seccomp filter goes on as late as it can, so that it need not allow
 * what setting up takes: after the switch of user when no_new_privs is
 * set; before it otherwise, since loading a filter without no_new_privs
 * needs CAP_SYS_ADMIN, which the switch may drop (seccomp(2)).  Called
 * on both sides of become_process_user (AFTER: false, then true); the
 * one that fits loads it. */
static void load_filter(scmp_filter_ctx filter, const struct oci_process *p, bool after)
{
	if (!filter || after != p->no_new_privileges)
		return;
	int rc = seccomp_load(filter);
	if (rc < 0)
		die("linux.seccomp: loading the filter: %s", strerror(-rc));
}

/* process.apparmorProfile: the profile the kernel confines the process
 * in from its next execve(2), set by writing "exec PROFILE" to its own
 * attr file: /proc/thread-self/attr/apparmor/exec since Linux 5.8, where
 * each LSM has its own directory, else /proc/self/attr/exec (apparmor(7),
 * proc(5)); as runc does.  Through the container's /proc, after the pivot.
 * A profile the host has not loaded is ENOENT. */
static void apply_apparmor(const char *profile)
{
	if (!profile)
		return;
	int fd = open("/proc/thread-self/attr/apparmor/exec", O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = open("/proc/self/attr/exec", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("process.apparmorProfile \"%s\": opening the process's AppArmor attribute "
			  "(is /proc mounted in the container?)", profile);
	if (dprintf(fd, "exec %s", profile) < 0)
		die_errno("process.apparmorProfile \"%s\": the kernel refused it (is the profile "
			  "loaded? aa-status lists them)", profile);
	close(fd);
}

/* Whether the host's kernel runs AppArmor: the module's "enabled"
 * parameter is Y (what runc and Docker read too). */
static bool apparmor_enabled(void)
{
	char yes[8] = "";
	return read_file("/sys/module/apparmor/parameters/enabled", yes, sizeof yes) == 0 && yes[0] == 'Y';
}

static void refuse_apparmor_without_it(const char *profile, const char *file)
{
	if (profile && !apparmor_enabled())
		oci_fail("%s: process.apparmorProfile is \"%s\" but AppArmor is not enabled on this "
			 "host (/sys/module/apparmor/parameters/enabled), so the profile cannot be "
			 "applied: remove the field, or run where AppArmor is on", file, profile);
}

static void wait_for_start(const struct oci_child *k, int fifo)
{
	char path[64], ready = 'R';
	/* create's own stdout and stderr must not stay open here: with a
	 * terminal, the engine reads them to their end before it goes on */
	if (k->terminal >= 0)
		use_terminal(k->terminal);
	else
		dup2(k->saved_stderr, STDERR_FILENO);
	close(k->saved_stderr);
	if (write(k->sync, &ready, 1) != 1)
		give_up_quietly();
	close(k->sync);
	close(k->err_pipe);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fifo);
	int fd = open(path, O_WRONLY | O_CLOEXEC);   /* blocks until start reads */
	if (fd < 0 || write(fd, "0", 1) != 1)
		die_errno("waiting for start on exec.fifo (it needs /proc in the container)");
	close(fd);
	close(fifo);
}

/* The hooks of KIND that run inside the container; a failure ends it. */
static void container_hooks(const struct oci_child *k, enum hook_kind kind, const char *status)
{
	char err[1024];
	json_object *state = state_object(k->id, status, k->host_pid, k->bundle, k->c->annotations);
	if (run_hooks(&k->c->hooks, kind, state, err, sizeof err) < 0)
		die("%s", err);
	json_object_put(state);
}

/* Close every descriptor from 3 up but the N in KEEP (-1s ignored): what
 * the engine left open, the --log file, namespace files.  Before chdir to
 * process.cwd, so that no "/proc/self/fd/N" (or a symlink in the image
 * to one) leads to a directory of the host (CVE-2024-21626). */
static void close_fds_except(const int *keep, int n)
{
	unsigned lo = 3;
	for (;;) {
		unsigned next = ~0u;       /* the lowest one to keep from lo up */
		for (int i = 0; i < n; i++)
			if (keep[i] >= (int)lo && (unsigned)keep[i] < next)
				next = keep[i];
		if (next > lo && syscall(SYS_close_range, lo, next - 1, 0) < 0)
			for (unsigned fd = lo; fd < next && fd < OPEN_FILES_HARD; fd++)
				close(fd);     /* before Linux 5.9 */
		if (next == ~0u)
			return;
		lo = next + 1;
	}
}

/* chdir to process.cwd, which must then be inside the container's root:
 * getcwd(3) fails with ENOENT for a directory outside it. */
static void enter_cwd(const char *cwd)
{
	char here[PATH_MAX];
	if (chdir(cwd) < 0)
		die_errno("process.cwd %s", cwd);
	if (!getcwd(here, sizeof here) || here[0] != '/')
		die("process.cwd %s leads outside the container's root: give a directory in the "
		    "container", cwd);
}

/* linux.uidMappings and gidMappings, as the text the kernel reads: one
 * "inside outside count" line a range (format_id_map, Part I's section 5). */
static void id_map_text(const struct oci_id_range *map, int n, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++)
		len += format_id_map(buf + len, size - len, map[i].container, map[i].host, map[i].size);
}

/* The container PID's user namespace gets C's maps, written by us, the
 * host's root, as Part I's launcher writes its own (section 5); until
 * then no id exists inside.  Writing gid_map this way leaves setgroups(2)
 * allowed inside (user_namespaces(7)): the container's root needs it to
 * give the process its additionalGids.  Returns 0, or -1 with why in ERR. */
static int write_user_maps(const struct oci_config *c, pid_t pid, char *err, size_t errlen)
{
	static char uid_map[OCI_MAX_ID_RANGES * 36], gid_map[OCI_MAX_ID_RANGES * 36];
	if (!(c->namespaces & CLONE_NEWUSER))
		return 0;
	id_map_text(c->uid_map, c->nuid_map, uid_map, sizeof uid_map);
	id_map_text(c->gid_map, c->ngid_map, gid_map, sizeof gid_map);
	const char *failed = write_proc_id_maps(pid, uid_map, gid_map);
	if (failed)
		snprintf(err, errlen, "linux.%s: the kernel refused the map (writing /proc/%d/%s): %s",
			 strcmp(failed, "uid_map") ? "gidMappings" : "uidMappings", (int)pid, failed,
			 strerror(errno));
	return failed ? -1 : 0;
}

/* P's rlimits onto PID (prlimit(2)), set from outside its user namespace:
 * raising a hard limit needs CAP_SYS_RESOURCE in the host's, which a
 * process in a user namespace of its own never has (capabilities(7)).
 * Returns 0, or -1 with why, by field, in ERR. */
static int set_rlimits(pid_t pid, const struct oci_process *p, char *err, size_t errlen)
{
	for (int i = 0; i < p->nrlimits; i++) {
		if (prlimit(pid, p->rlimits[i].resource, &p->rlimits[i].limit, NULL) == 0)
			continue;
		if (errno == EPERM)
			snprintf(err, errlen, "process.rlimits[%d]: the kernel refused the limit (Operation "
				 "not permitted): a hard limit above the current one needs "
				 "CAP_SYS_RESOURCE, and RLIMIT_NOFILE cannot exceed fs.nr_open "
				 "(/proc/sys/fs/nr_open)", i);
		else
			snprintf(err, errlen, "process.rlimits[%d]: %s", i, strerror(errno));
		return -1;
	}
	return 0;
}

/* P's oomScoreAdj onto PID, from outside too: lowering it below what it
 * was needs CAP_SYS_RESOURCE in the host's user namespace (proc(5)).
 * Returns 0, or -1 with why in ERR. */
static int set_oom_score_adj(pid_t pid, const struct oci_process *p, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
	if (!p->have_oom_score_adj || write_file(path, "%d", p->oom_score_adj) == 0)
		return 0;
	snprintf(err, errlen, "process.oomScoreAdj %d: %s", p->oom_score_adj, strerror(errno));
	return -1;
}

static void oci_container(struct oci_child *k) __attribute__((noreturn));
static void oci_container(struct oci_child *k)
{
	const struct oci_config *c = k->c;
	char go;
	in_container = true;
	quiet = true;
	prctl(PR_SET_DUMPABLE, 0);         /* II.8: /proc/PID/exe, fd/ closed to the container */
	dup2(k->err_pipe, STDERR_FILENO);
	being_created = NULL;              /* create undoes, if this fails; errors go to err_pipe */
	if (oci_log)
		fclose(oci_log), oci_log = NULL;
	int keep[6 + OCI_MAX_MOUNTS] = { k->sync, k->err_pipe, k->saved_stderr, k->console, k->tree, k->fifo_fd };
	memcpy(keep + 6, k->source, sizeof k->source);
	close_fds_except(keep, LEN(keep));
	/* create has put us in the cgroup, written our id maps, and says
	 * who we are outside */
	if (read(k->sync, &go, 1) != 1 || read(k->sync, &k->host_pid, sizeof k->host_pid) != sizeof k->host_pid)
		give_up_quietly();
	/* Now that we are in the container's cgroup, it becomes the root
	 * of the cgroup namespace (cgroup_namespaces(7)). */
	if ((c->namespaces & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		die_errno("linux.namespaces: a cgroup namespace");
	if ((c->namespaces | c->joined) & CLONE_NEWUSER) {
		/* the ids inside are ours from here: files we make in the
		 * container's tmpfs mounts belong to its root */
		take_namespace_root_identity();
		prctl(PR_SET_DUMPABLE, 0);     /* a change of uid reset it */
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno("making the mounts private");
	/* the rootfs create copied, on top of our / (Part I's section 6) */
	put_rootfs_in_place(k->tree);
	int root = k->tree, fifo = k->fifo_fd;
	for (int i = 0; i < c->nmounts; i++) {
		struct oci_mount m = c->mounts[i];
		char destination[PATH_MAX];
		char what[PATH_MAX + 32];
		snprintf(what, sizeof what, "mounts[%d].destination %s", i, m.destination);
		if (resolve_destination(root, m.destination, destination, sizeof destination) < 0)
			die_errno("%s: resolving it in the rootfs", what);
		m.destination = destination;
		oci_mount(root, &m, k->source[i], k->state, c->namespaces | c->joined, what);
		if (k->source[i] >= 0)
			close(k->source[i]);
		/* its propagation ("rprivate", "rshared"...), among the
		 * container's own mounts: all of them were made private from
		 * the host's above, so none can reach it */
		if (m.propagation)
			mount_in_rootfs(NULL, root, m.destination, NULL, m.propagation, NULL);
	}
	/* create runs prestart and createRuntime now, outside; then ours */
	char hooks = 'H';
	if (write(k->sync, &hooks, 1) != 1 || read(k->sync, &hooks, 1) != 1 || hooks != 'h')
		give_up_quietly();
	container_hooks(k, CREATE_CONTAINER, "creating");
	if (c->root_readonly)
		mount_in_rootfs(NULL, root, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	if (fchdir(root) < 0)
		die_errno("entering the rootfs");
	pivot_into_rootfs();
	for (int i = 0; i < c->nsysctls; i++) {
		char path[128 + 16];
		snprintf(path, sizeof path, "/proc/sys/%s", c->sysctl[i].key);
		for (char *d = path + 10; *d; d++)
			if (*d == '.')
				*d = '/';
		if (write_file(path, "%s", c->sysctl[i].value) < 0)
			die_errno("linux.sysctl.%s: writing \"%s\" to %s (is /proc mounted?)",
				  c->sysctl[i].key, c->sysctl[i].value, path);
	}
	mask_and_protect(c);
	if (c->process.terminal)
		k->terminal = make_terminal(k->console, &c->process);
	if (c->hostname && c->hostname[0] && sethostname(c->hostname, strlen(c->hostname)) < 0)
		die_errno("sethostname");
	if (c->domainname && c->domainname[0] && setdomainname(c->domainname, strlen(c->domainname)) < 0)
		die_errno("setdomainname");
	enter_cwd(c->process.cwd);
	apply_apparmor(c->process.apparmor);
	wait_for_start(k, fifo);
	container_hooks(k, START_CONTAINER, "created");
	load_filter(k->filter, &c->process, false);
	become_process_user(&c->process);
	prctl(PR_SET_DUMPABLE, 0);         /* a change of uid reset it */
	load_filter(k->filter, &c->process, true);
	clearenv();
	for (const char **e = c->process.env; e && *e; e++)
		putenv((char *)*e);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close_inherited_fds();
	execvp(c->process.args[0], (char **)c->process.args);
	int err = errno;
	fprintf(stderr, "contained-oci: exec %s: %s\n", c->process.args[0], strerror(err));
	_exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* ------------------------------------------------------------------------ *
 * II.7 The subcommands
 * ------------------------------------------------------------------------ */

/* DIR/config.json into C; returns its text.  create reads the bundle's and
 * keeps a copy in the state directory, which exec reads back: what the
 * container was made with, whatever the bundle holds by then. */
static const char *read_config(const char *dir, struct oci_config *c)
{
	char path[PATH_MAX + 16], err[1024], *text;
	snprintf(path, sizeof path, "%s/config.json", dir);
	if (!(text = read_whole_file(path, OCI_MAX_CONFIG)) && errno == EFBIG)
		oci_fail("%s is larger than %d MiB, the most contained-oci reads: make its "
			 "annotations or hooks smaller", path, OCI_MAX_CONFIG >> 20);
	if (!text)
		oci_fail("reading %s: %s", path, strerror(errno));
	if (parse_oci_config(text, c, err, sizeof err) < 0)
		oci_fail("%s", err);
	return text;
}

/* Undo a failed create, or delete: the container, its cgroup, its state
 * directory.  Returns 0, or -1 with why in ERR. */
static int discard(struct oci_state *s, pid_t pid, char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	being_created = NULL;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	/* a cgroup that will not go keeps the state that names it, for
	 * another delete --force */
	if (remove_oci_cgroup(s, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/exec.fifo", s->dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/state.json", s->dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/config.json", s->dir);
	unlink(path);
	rmdir(s->dir);
	return 0;
}

/* create's failure paths, which fail with their own error: a cgroup left
 * behind is said as a warning before it */
static void abandon(struct oci_state *s, pid_t pid)
{
	char err[PATH_MAX + 256];
	if (discard(s, pid, err, sizeof err) < 0)
		log_line("warning", err), fprintf(stderr, "contained-oci: %s\n", err);
}

static void undo_create(void)
{
	abandon(being_created, being_created->pid);
}

/* The container died while being set up: its last words, from its
 * stderr (a Part I stage's die() says "contained: ..."), are the error. */
/* The container's next answer on SYNC (one byte), or 0 if it ended.  A
 * process set up inside namespaces it joined may be stopped by another
 * container's root there (SIGSTOP needs only the same uid, or CAP_KILL
 * over it, kill(2)), and would then never answer: every second its state
 * is looked at, and a stopped one fails create, naming it, rather than
 * leave it waiting without end. */
static char answer(int sync, pid_t pid, struct oci_state *s)
{
	char byte, state;
	unsigned long long start;
	for (;;) {
		struct pollfd p = { .fd = sync, .events = POLLIN };
		int ready = poll(&p, 1, 1000);
		if (ready > 0)
			return read(sync, &byte, 1) == 1 ? byte : 0;
		if (ready < 0 && errno != EINTR)
			return 0;
		state = process_state(pid, &start);
		if (state == 'T' || state == 't') {
			abandon(s, pid);
			oci_fail("the container's process %d was stopped (by a signal from a process of a "
				 "namespace it joins?) while create set it up", (int)pid);
		}
	}
}

static void child_failed(struct oci_state *s, pid_t pid, int err_pipe) __attribute__((noreturn));
static void child_failed(struct oci_state *s, pid_t pid, int err_pipe)
{
	char msg[1024] = "";
	abandon(s, pid);
	ssize_t n = read(err_pipe, msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	oci_fail("%s", msg[0] ? msg + (strncmp(msg, "contained: ", 11) ? 0 : 11)
			      : "the container ended while it was being set up");
}

/* --pid-file: PID written to FILE.tmp, renamed onto FILE, so a reader
 * never sees half.  Whatever is at FILE.tmp goes first, and the new one
 * is made afresh (O_EXCL, O_NOFOLLOW): a symlink planted there does not
 * redirect the write to another file.  0, or -1 with errno. */
static int write_pid_file(const char *pid_file, pid_t pid)
{
	char tmp[PATH_MAX + 8], num[16];
	int len = snprintf(num, sizeof num, "%d", pid);
	if (snprintf(tmp, sizeof tmp, "%s.tmp", pid_file) >= (int)sizeof tmp)
		return errno = ENAMETOOLONG, -1;
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, num, len) != len) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return errno = e, -1;
	}
	if (close(fd) < 0 || rename(tmp, pid_file) < 0) {
		int e = errno;
		unlink(tmp);
		return errno = e, -1;
	}
	return 0;
}

/* A detached copy of the mount at PATH (open_tree(2); RECURSIVE: with the
 * mounts below it), private: a copy of a shared mount would otherwise be
 * a peer of the host's, and the mounts the container makes on it would
 * show up on the host (mount_namespaces(7)).  Returns it, or -1 with errno. */
static int private_copy(const char *path, bool recursive)
{
	struct mount_attr attr = { .propagation = MS_PRIVATE };
	int tree = syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			   (recursive ? AT_RECURSIVE : 0));
	if (tree >= 0 && syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
		int e = errno;
		close(tree);
		return errno = e, -1;
	}
	return tree;
}

/* Some process that could ptrace the container's process once it is in
 * the pid namespace NSFD, with CAP_SYS_PTRACE as the host's: one in that
 * namespace or any above it, short of the host's own (the ancestors' see
 * into it, pid_namespaces(7)), whose user namespace is the host's (a
 * container without one of its own) and one of whose threads has
 * CAP_SYS_PTRACE in its bounding set (each thread has its own).  The
 * container's process enters the namespace at its clone, and stays the
 * host's root, in a copy of the host's mounts and holding the host's
 * descriptors, until pivot_root; not being dumpable stops a ptracer only
 * up to CAP_SYS_PTRACE in the tracee's user namespace, which here is the
 * host's (ptrace(2), "Ptrace access mode checking").  Tried: a seizer in
 * such a container, and one in the parent of a namespace nested in it,
 * took over create's process.  Returns that process's pid, or 0. */
#define PID_NS_LEVELS 33                   /* the kernel's MAX_PID_NS_LEVEL, plus the host's */

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

static bool thread_may_ptrace(pid_t pid)
{
	char path[64], status[4096];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *tasks = opendir(path);
	bool may = false;
	for (struct dirent *t; tasks && !may && (t = readdir(tasks));) {
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.16s/status", (int)pid, t->d_name);
		const char *bnd = read_file(path, status, sizeof status) < 0 ? NULL : strstr(status, "\nCapBnd:");
		may = bnd && (strtoull(bnd + strlen("\nCapBnd:"), NULL, 16) >> CAP_SYS_PTRACE) & 1;
	}
	if (tasks)
		closedir(tasks);
	return may;
}

static pid_t ptracer_in_pid_namespace(int nsfd)
{
	struct stat chain[PID_NS_LEVELS], host_pid, host_user;
	int n = 0;
	if (stat("/proc/self/ns/pid", &host_pid) < 0 || stat("/proc/self/ns/user", &host_user) < 0)
		return getpid();           /* cannot tell: as if there were one */
	for (int ns = dup(nsfd); ns >= 0 && n < PID_NS_LEVELS;) {
		bool ok = fstat(ns, &chain[n]) == 0 && !same_file(&chain[n], &host_pid);
		int parent = ok ? ioctl(ns, NS_GET_PARENT) : -1;
		close(ns);
		n += ok;
		ns = parent;
	}
	DIR *proc = n ? opendir("/proc") : NULL;
	pid_t found = 0;
	for (struct dirent *e; proc && !found && (e = readdir(proc));) {
		char path[300];
		struct stat in, user;
		pid_t pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)pid);
		if (stat(path, &in) < 0)
			continue;
		bool inside = false;
		for (int k = 0; k < n && !inside; k++)
			inside = same_file(&in, &chain[k]);
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
		if (inside && stat(path, &user) == 0 && same_file(&user, &host_user) && thread_may_ptrace(pid))
			found = pid;
	}
	if (proc)
		closedir(proc);
	return found;
}

/* linux.namespaces[].path, each opened into FD[i] (C->join's order) and
 * checked before anything joins it: that it is a namespace file at all,
 * of the type the config says (the NS_GET_NSTYPE ioctl, ioctl_ns(2)), and
 * not the runtime's own namespace where the config would change it (a
 * hostname in the host's uts namespace, a sysctl in its network or ipc
 * namespace would change the host's), and not a pid namespace where a
 * process could ptrace create's (ptracer_in_pid_namespace).  Returns 0, or -1 with why, by
 * field, in ERR (FD then all closed). */
static int open_joined_namespaces(const struct oci_config *c, int *fd, char *err, size_t errlen)
{
	int needs = (c->hostname && c->hostname[0]) || (c->domainname && c->domainname[0]) ? CLONE_NEWUTS : 0;
	for (int k = 0; k < c->nsysctls; k++)
		needs |= c->sysctl[k].namespace;
	for (int i = 0; i < c->njoin; i++) {
		const struct oci_join *j = &c->join[i];
		const char *file = j->flag == CLONE_NEWNET ? "net" : j->type;   /* its name in /proc/PID/ns */
		char own[64];
		struct stat st, ours;
		pid_t ptracer;
		fd[i] = open(j->path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
		int type = fd[i] < 0 ? -1 : ioctl(fd[i], NS_GET_NSTYPE);
		snprintf(own, sizeof own, "/proc/self/ns/%s", file);
		if (fd[i] < 0)
			snprintf(err, errlen, "linux.namespaces[%d] %s: path %s: %s", j->index, j->type, j->path, strerror(errno));
		else if (type < 0)
			snprintf(err, errlen, "linux.namespaces[%d] %s: path %s is not a namespace file (give "
				 "/proc/PID/ns/%s, or a bind mount of one)", j->index, j->type, j->path, file);
		else if (type != j->flag)
			snprintf(err, errlen, "linux.namespaces[%d] %s: path %s is a namespace of another type",
				 j->index, j->type, j->path);
		else if (j->flag == CLONE_NEWPID && (ptracer = ptracer_in_pid_namespace(fd[i])) > 0)
			snprintf(err, errlen, "linux.namespaces[%d] pid: path %s: process %d, which sees into "
				 "it, may use CAP_SYS_PTRACE as the host's (its container has no user namespace), and could "
				 "take over this container's process while create sets it up as the host's root; "
				 "drop CAP_SYS_PTRACE there, or give that container a user namespace",
				 j->index, j->path, (int)ptracer);
		else if ((needs & j->flag) && fstat(fd[i], &st) == 0 && stat(own, &ours) == 0 &&
			 same_file(&st, &ours))
			snprintf(err, errlen, "linux.namespaces[%d] %s: path %s is the host's own %s namespace, "
				 "which the config's %s would change", j->index, j->type, j->path, j->type,
				 j->flag == CLONE_NEWUTS ? "hostname" : "sysctl");
		else
			continue;
		for (int k = 0; k <= i; k++)
			if (fd[k] >= 0)
				close(fd[k]);
		return -1;
	}
	return 0;
}

/* In which pass of three a namespace (FD; USER: a user namespace) is
 * joined, given the user namespace USERNS joined in pass 1 (-1: none).
 * Those USERNS owns come after it (pass 2): joined from inside it, they
 * are checked against the powers of its root, no more; those it does not
 * own (the host's, another container's) could not be joined from inside
 * it, and come before, while we are the host's root (pass 0).  The owner
 * is asked with the NS_GET_USERNS ioctl (ioctl_ns(2)). */
static int join_pass(int fd, bool user, int userns)
{
	if (user)
		return 1;
	if (userns < 0)
		return 0;
	struct stat mine, theirs;
	int owner = ioctl(fd, NS_GET_USERNS);
	bool owned = owner >= 0 && fstat(owner, &mine) == 0 && fstat(userns, &theirs) == 0 &&
		     same_file(&mine, &theirs);
	if (owner >= 0)
		close(owner);
	return owned ? 2 : 0;
}

/* The container's clone when it joins namespaces: a helper joins them,
 * the user namespace before those it owns (join_pass), then clones the
 * container with the namespaces to make, which are then owned by the
 * joined user namespace, and nested in the joined pid namespace
 * (setns(2): a pid namespace is entered by children only).  CLONE_PARENT
 * makes the container our child, not the helper's, as without joining.
 * Returns the container's pid here, 0 in the container, or -1 with why in
 * ERR. */
static pid_t clone_joined(const struct oci_config *c, const int *fd, char *err, size_t errlen)
{
	int report[2];
	if (pipe2(report, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t helper = fork();
	if (helper < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (helper == 0) {
		close(report[0]);
		/* Joined, a container's user namespace makes its root our
		 * ptracer by capability (CAP_SYS_PTRACE there), and a joined
		 * pid namespace shows it our child, the host's root until it
		 * takes the namespace root's identity.  Non-dumpable, with
		 * this binary's own mm (user namespace: the host's), it can
		 * neither seize nor open /proc/PID of either (ptrace(2),
		 * "Ptrace access mode checking"), whatever it holds; so from
		 * before the first setns until the exec of process.args. */
		prctl(PR_SET_DUMPABLE, 0);
		int user = -1;
		for (int i = 0; i < c->njoin; i++)
			if (c->join[i].flag == CLONE_NEWUSER)
				user = fd[i];
		for (int pass = 0; pass < 3; pass++)
			for (int i = 0; i < c->njoin; i++) {
				if (join_pass(fd[i], c->join[i].flag == CLONE_NEWUSER, user) != pass)
					continue;
				if (setns(fd[i], c->join[i].flag) < 0) {
					dprintf(report[1], "linux.namespaces[%d] %s: joining %s: %s", c->join[i].index,
						c->join[i].type, c->join[i].path, strerror(errno));
					_exit(1);
				}
			}
		/* process.user must exist there: checked by field now, not
		 * found by the process's setuid after start */
		struct reader r = { .file = "config.json" };
		char where[PATH_MAX + 64];
		int at = -1;
		for (int i = 0; user >= 0 && i < c->njoin; i++)
			if (c->join[i].flag == CLONE_NEWUSER) {
				at = c->join[i].index;
				snprintf(where, sizeof where, "linux.namespaces[%d] user, path %s", at, c->join[i].path);
			}
		if (user >= 0 && check_user_mapped_in(&r, "/proc/self", where, &c->process) < 0) {
			dprintf(report[1], "%s", r.err);
			_exit(1);
		}
		/* and the child is born the joined namespace's root, never the
		 * host's root in a pid namespace a container sees (a change
		 * of uid resets the flag: set again) */
		if (user >= 0 && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
			dprintf(report[1], "linux.namespaces[%d] user: becoming the root of the joined user "
				"namespace: %s (does it map uid and gid 0?)", at, strerror(errno));
			_exit(1);
		}
		prctl(PR_SET_DUMPABLE, 0);
		pid_t pid = syscall(SYS_clone, CLONE_PARENT | (c->namespaces & ~CLONE_NEWCGROUP), NULL, NULL, NULL, 0);
		if (pid == 0) {
			close(report[1]);
			return 0;
		}
		if (pid < 0)
			dprintf(report[1], "clone (linux.namespaces): %s", strerror(errno));
		else if (write(report[1], &pid, sizeof pid) != sizeof pid)
			kill(pid, SIGKILL);
		_exit(pid < 0);
	}
	close(report[1]);
	pid_t pid = -1;
	char msg[512];
	ssize_t n = read(report[0], msg, sizeof msg - 1);
	waitpid(helper, NULL, 0);
	close(report[0]);
	if (n == sizeof pid) {
		memcpy(&pid, msg, sizeof pid);
		return pid;
	}
	msg[n > 0 ? n : 0] = '\0';
	snprintf(err, errlen, "%s", msg[0] ? msg : "joining linux.namespaces: the helper failed");
	return -1;
}

/* The host ids of root in the user namespace of PID (made or joined),
 * from its /proc/PID/uid_map and gid_map.  Returns 0, or -1 if none. */
static int namespace_root(pid_t pid, uid_t *uid, gid_t *gid)
{
	for (int g = 0; g < 2; g++) {
		char path[64], map[OCI_MAX_ID_RANGES * 36];
		unsigned inside, outside, count;
		int used = 0, found = 0;
		snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, g ? "gid_map" : "uid_map");
		if (read_file(path, map, sizeof map) < 0)
			return -1;
		for (char *p = map; !found && sscanf(p, "%u %u %u%n", &inside, &outside, &count, &used) == 3; p += used)
			if (inside == 0) {
				if (g)
					*gid = outside;
				else
					*uid = outside;
				found = 1;
			}
		if (!found)
			return -1;
	}
	return 0;
}

/* With a user namespace, made or joined: what the container's root must
 * own.  exec.fifo, which it opens again to wait for start (II.6; the
 * directory around it stays root's), and on cgroup v2 its cgroup,
 * delegated (delegate_v2_cgroup).  Returns 0, or -1 with why in ERR. */
static int give_to_namespace_root(const struct oci_config *c, const struct oci_child *k, pid_t pid,
				  char *err, size_t errlen)
{
	uid_t uid = 0;
	gid_t gid = 0;
	if (!((c->namespaces | c->joined) & CLONE_NEWUSER))
		return 0;
	if (namespace_root(pid, &uid, &gid) < 0) {
		char where[48] = "linux.uidMappings and gidMappings";   /* a namespace made, not joined */
		for (int i = 0; i < c->njoin; i++)
			if (c->join[i].flag == CLONE_NEWUSER)
				snprintf(where, sizeof where, "linux.namespaces[%d] user", c->join[i].index);
		snprintf(err, errlen, "%s: the user namespace maps no host id onto its root (uid and "
			 "gid 0), who sets the container up", where);
		return -1;
	}
	if (chown(k->fifo, uid, gid) < 0) {
		snprintf(err, errlen, "chown %.900s: %s", k->fifo, strerror(errno));
		return -1;
	}
	if (k->state->cgroup_version == 2 && k->state->ncgroup_dirs)
		return delegate_v2_cgroup(k->state->cgroup_dirs[0], uid, gid, err, errlen);
	return 0;
}

static int cmd_create(const char *id, const char *bundle, const char *pid_file, const char *console)
{
	static struct oci_config c;
	static struct oci_child k;
	struct oci_state s = { 0 };
	char real_bundle[PATH_MAX];

	if (!realpath(bundle, real_bundle))
		oci_fail("--bundle %s: %s", bundle, strerror(errno));
	const char *config_text = read_config(real_bundle, &c);
	refuse_apparmor_without_it(c.process.apparmor, "config.json");
	if (c.seccomp.present) {
		char err[1024];
		if (!(k.filter = compile_seccomp(&c.seccomp, err, sizeof err)))
			oci_fail("%s", err);
	}
	if (c.process.terminal != !!console)
		oci_fail(console ? "--console-socket is given but process.terminal is false: there is "
			 "no terminal to send" : "process.terminal is true but there is no "
			 "--console-socket to send the terminal to");
	k.console = console ? connect_console(console) : -1;
	k.terminal = -1;
	k.c = &c;
	k.id = id;
	k.bundle = real_bundle;
	if (c.root_path[0] == '/')
		snprintf(k.rootfs, sizeof k.rootfs, "%s", c.root_path);
	else
		snprintf(k.rootfs, sizeof k.rootfs, "%s/%s", real_bundle, c.root_path);
	/* said here, by field, before any state is made; the rootfs itself
	 * is opened once, below */
	struct stat st;
	const char *why = stat(k.rootfs, &st) < 0 ? (errno == ENOENT ? "does not exist" : strerror(errno)) :
			  !S_ISDIR(st.st_mode) ? "is not a directory" : NULL;
	char from[PATH_MAX + 32] = "";
	if (c.root_path[0] != '/')
		snprintf(from, sizeof from, " (relative to the bundle %s)", real_bundle);
	if (why)
		oci_fail("config.json: root.path \"%s\": %s %s%s", c.root_path, k.rootfs, why, from);

	mkdir_p(state_root, 0711);
	check_state_root();
	state_dir_of(id, s.dir, sizeof s.dir);
	if (mkdir(s.dir, 0700) < 0)
		oci_fail(errno == EEXIST ? "container \"%s\" already exists" : "creating the state of %s: %m", id);
	char copy[PATH_MAX + 16];
	snprintf(copy, sizeof copy, "%s/config.json", s.dir);
	int fd = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t len = strlen(config_text);
	if (fd < 0 || write(fd, config_text, len) != (ssize_t)len || close(fd) < 0) {
		abandon(&s, 0);
		oci_fail("writing %s: %s", copy, strerror(errno));
	}
	being_created = &s;
	snprintf(s.bundle, sizeof s.bundle, "%s", real_bundle);
	s.hooks_json = c.hooks_json;
	s.annotations = c.annotations;
	snprintf(k.fifo, sizeof k.fifo, "%s/exec.fifo", s.dir);
	if (mkfifo(k.fifo, 0600) < 0) {
		abandon(&s, 0);
		oci_fail("mkfifo %s: %s", k.fifo, strerror(errno));
	}
	/* What the container needs of the host's paths is opened here, by
	 * us, the host's root: in a user namespace the container's root
	 * (host uid 100000, say) might not pass the directories on the way
	 * (a state directory only root may enter, Docker's 0710 ones around
	 * a bind source), and a path looked up later could be swapped
	 * meanwhile.  The rootfs and each bind source as detached copies of
	 * their mounts (open_tree(2), recursive for rbind), which the
	 * container attaches in its own mount namespace (move_mount(2)), as
	 * Part I's child does its rootfs (section 6); exec.fifo as a
	 * descriptor it opens again through /proc/self/fd. */
	for (int i = 0; i < OCI_MAX_MOUNTS; i++)
		k.source[i] = -1;
	k.fifo_fd = open(k.fifo, O_PATH | O_CLOEXEC);
	k.tree = private_copy(k.rootfs, true);
	if (k.fifo_fd < 0 || k.tree < 0) {
		int e = errno;
		abandon(&s, 0);
		oci_fail(k.tree < 0 ? "root.path %s: copying its mount (open_tree, Linux 5.2): %s" : "%s: %s",
			 k.tree < 0 ? k.rootfs : k.fifo, strerror(e));
	}
	for (int i = 0; i < c.nmounts; i++) {
		const struct oci_mount *m = &c.mounts[i];
		if (!m->bind)
			continue;
		k.source[i] = private_copy(m->source, m->flags & MS_REC);
		if (k.source[i] < 0) {
			int e = errno;
			abandon(&s, 0);
			oci_fail("mounts[%d] %s: bind source %s: %s", i, m->destination, m->source, strerror(e));
		}
	}
	/* systemd makes a scope around a process: that one comes after the clone */
	bool scope = c.cgroup_systemd && systemd_running();
	if (!scope) {
		make_oci_cgroup(&c, id, &s, 0);
		save_state(&s);
	}

	int sync[2], err_pipe[2];
	char err[1024];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		abandon(&s, 0);
		oci_fail("socketpair: %s", strerror(errno));
	}
	int join_fd[LEN(c.join)];
	if (open_joined_namespaces(&c, join_fd, err, sizeof err) < 0) {
		abandon(&s, 0);
		oci_fail("%s", err);
	}
	fflush(NULL);
	k.state = &s;
	/* The cgroup namespace comes later, from inside the cgroup (II.6). */
	pid_t pid = c.njoin ? clone_joined(&c, join_fd, err, sizeof err) :
		    syscall(SYS_clone, SIGCHLD | (c.namespaces & ~CLONE_NEWCGROUP), NULL, NULL, NULL, 0);
	if (pid == 0) {
		close(sync[0]);
		close(err_pipe[0]);
		k.sync = sync[1];
		k.err_pipe = err_pipe[1];
		k.saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		oci_container(&k);
	}
	if (pid < 0) {
		abandon(&s, 0);
		if (c.njoin)
			oci_fail("%s", err);
		oci_fail("clone (linux.namespaces): %s", strerror(errno));
	}
	for (int i = 0; i < c.njoin; i++)
		close(join_fd[i]);
	close(sync[1]);
	close(err_pipe[1]);
	close(k.tree);                     /* the container's now */
	close(k.fifo_fd);
	for (int i = 0; i < c.nmounts; i++)
		if (k.source[i] >= 0)
			close(k.source[i]);
	if (scope) {
		s.pid = pid;               /* for undo_create; no start time yet: not running */
		make_oci_cgroup(&c, id, &s, pid);
		save_state(&s);
	}
	for (int i = 0; i < s.ncgroup_dirs; i++) {
		char procs[PATH_MAX + 16];
		snprintf(procs, sizeof procs, "%s/cgroup.procs", s.cgroup_dirs[i]);
		if (write_file(procs, "%d", pid) < 0) {
			abandon(&s, pid);
			oci_fail("moving the container into %s: %s", s.cgroup_dirs[i], strerror(errno));
		}
	}
	/* Which user namespace it is in (made or joined), for exec to check:
	 * read now, while it waits, before it could make one of its own */
	struct stat user_ns;
	if ((c.namespaces | c.joined) & CLONE_NEWUSER) {
		snprintf(err, sizeof err, "/proc/%d/ns/user", (int)pid);
		if (stat(err, &user_ns) < 0) {
			abandon(&s, pid);
			oci_fail("%s: %s", err, strerror(errno));
		}
		snprintf(s.user_ns, sizeof s.user_ns, "%llu:%llu", (unsigned long long)user_ns.st_dev,
			 (unsigned long long)user_ns.st_ino);
	}
	/* What only the host's root may do to it, while it waits: its id
	 * maps (it may not write them itself), and its rlimits and
	 * oomScoreAdj, which it could not raise or lower inside. */
	if (write_user_maps(&c, pid, err, sizeof err) < 0 || set_rlimits(pid, &c.process, err, sizeof err) < 0 ||
	    set_oom_score_adj(pid, &c.process, err, sizeof err) < 0 || give_to_namespace_root(&c, &k, pid, err, sizeof err) < 0) {
		abandon(&s, pid);
		oci_fail("%s", err);
	}
	/* 'G': go, with its pid; 'H': its mounts are made, our hooks now;
	 * 'R': ready, blocked before exec.  Anything else: it died, and
	 * said why on err_pipe. */
	char byte = 'G';
	if (write(sync[0], &byte, 1) != 1 || write(sync[0], &pid, sizeof pid) != sizeof pid ||
	    answer(sync[0], pid, &s) != 'H')
		child_failed(&s, pid, err_pipe[0]);
	json_object *state = state_object(id, "creating", pid, real_bundle, c.annotations);
	if (run_hooks(&c.hooks, PRESTART, state, err, sizeof err) < 0 ||
	    run_hooks(&c.hooks, CREATE_RUNTIME, state, err, sizeof err) < 0) {
		abandon(&s, pid);
		oci_fail("%s", err);
	}
	json_object_put(state);
	byte = 'h';
	if (write(sync[0], &byte, 1) != 1 || answer(sync[0], pid, &s) != 'R')
		child_failed(&s, pid, err_pipe[0]);
	s.pid = pid;
	s.start_time = process_start_time(pid);
	time_t now = time(NULL);
	strftime(s.created, sizeof s.created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	save_state(&s);
	if (pid_file && write_pid_file(pid_file, pid) < 0) {
		int e = errno;
		abandon(&s, pid);
		oci_fail("--pid-file %s: %s", pid_file, strerror(e));
	}
	being_created = NULL;
	return 0;
}

static int cmd_start(const char *id)
{
	struct oci_state s;
	char fifo[PATH_MAX + 16], byte;
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	if (status_of(&s) != CREATED)
		oci_fail("cannot start container \"%s\": it is %s, not created", id, status_names[status_of(&s)]);
	snprintf(fifo, sizeof fifo, "%s/exec.fifo", s.dir);
	int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		oci_fail("opening %s: %s", fifo, strerror(errno));
	/* The container opens its end once ours is open; until its byte
	 * arrives a read sees no writer yet, so look again while it lives. */
	for (int tries = 0; tries < 5000; tries++) {
		ssize_t n = read(fd, &byte, 1);
		if (n == 1) {
			unlink(fifo);
			run_state_hooks(&s, POSTSTART, "running");
			return 0;
		}
		if (status_of(&s) == STOPPED)
			break;
		usleep(1000);
	}
	oci_fail("container \"%s\" did not start: it ended before start", id);
}

static void print_state(const char *id)
{
	struct oci_state s;
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	enum oci_status st = status_of(&s);
	json_object *j = state_object(id, status_names[st], st == STOPPED ? 0 : s.pid, s.bundle, s.annotations);
	json_object_object_add(j, "created", json_object_new_string(s.created));
	puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

/* "9", "KILL", "SIGKILL" -> 9; -1 when none of those. */
static int parse_signal(const char *s)
{
	unsigned long long n;
	if (parse_number(s, 64, &n) == 0)
		return n > 0 ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);
		if (name && !strcasecmp(name, s))
			return sig;
	}
	return -1;
}

static int cmd_kill(const char *id, const char *signame, bool all)
{
	struct oci_state s;
	int sig = parse_signal(signame ? signame : "TERM");
	if (sig < 0)
		oci_fail("kill: unknown signal \"%s\" (a number or a name like TERM or SIGKILL)", signame);
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	if (status_of(&s) == STOPPED)
		oci_fail("container \"%s\" is not running", id);
	/* every process in its cgroup and the cgroups under it: one in a
	 * pid namespace shared with others, or moved into a cgroup the
	 * container made, is not the init's child, nor anywhere under its
	 * top cgroup's cgroup.procs */
	if (all && s.ncgroup_dirs && !hierarchy_root(s.cgroup_dirs[0], s.cgroup_version)) {
		walk_cgroup_tree(s.cgroup_dirs[0], signal_cgroup, &sig);
	}
	if (kill(s.pid, sig) < 0 && !all)
		oci_fail("kill %d: %s", s.pid, strerror(errno));
	return 0;
}

static int cmd_delete(const char *id, bool force)
{
	struct oci_state s;
	if (!load_state(id, &s)) {
		if (force)
			return 0;
		oci_fail("container \"%s\" does not exist", id);
	}
	enum oci_status st = status_of(&s);
	if ((st == RUNNING || st == PAUSED) && !force)
		oci_fail("cannot delete container \"%s\": it is %s (stop it, or use delete --force)", id,
			 status_names[st]);
	if (st != STOPPED) {
		kill(s.pid, SIGKILL);
		if (st == PAUSED)          /* a frozen process dies only once thawed */
			set_freezer(&s, false);
		for (int tries = 0; tries < 5000 && status_of(&s) != STOPPED; tries++)
			usleep(1000);
	}
	char err[PATH_MAX + 256];
	if (discard(&s, 0, err, sizeof err) < 0)
		oci_fail("delete %s: %s; its state stays, for delete --force once that is undone", id, err);
	run_state_hooks(&s, POSTSTOP, "stopped");
	return 0;
}

static int cmd_pause(const char *id, bool pause)
{
	struct oci_state s;
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	enum oci_status st = status_of(&s);
	if (st != (pause ? RUNNING : PAUSED))
		oci_fail("cannot %s container \"%s\": it is %s, not %s", pause ? "pause" : "resume", id,
			 status_names[st], pause ? "running" : "paused");
	set_freezer(&s, pause);
	return 0;
}

/* update --resources FILE ID: new memory, cpu and pids limits for a
 * container's cgroup, as `docker update` asks them (a LinuxResources
 * object, linux.resources of config.json, on stdin for "-").  Read and
 * checked whole, as create reads linux.resources, before any knob is
 * written; zeros leave a limit as it is.  The device rules stay create's.
 * With a systemd scope the unit's properties change first (systemd would
 * otherwise put create's limits back), then the knobs are written as
 * elsewhere, so that the new limits hold at once on return. */
static int cmd_update(const char *id, const char *resources)
{
	static struct oci_config c;
	struct oci_state s;
	struct reader r = { .file = "--resources" };
	char err[512];
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	if (status_of(&s) == STOPPED)
		oci_fail("cannot update container \"%s\": it is stopped", id);
	char *text = strcmp(resources, "-") ? read_whole_file(resources, OCI_MAX_CONFIG)
					    : read_whole_fd(dup(STDIN_FILENO), OCI_MAX_CONFIG);
	if (!text)
		oci_fail("--resources %s: %s", resources, errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
	json_object *res = parse_json(&r, text), *lx = json_object_new_object();
	if (!lx)
		die_errno("memory for --resources");
	if (res && !json_object_is_type(res, json_type_object))
		oci_error(&r, "not a JSON object (linux.resources of config.json)");
	else if (res)
		json_object_object_add(lx, "resources", json_object_get(res));
	memset(&c, 0, sizeof c);
	read_resources(&r, lx, &c);
	if (!r.err[0] && c.ndevices)
		oci_error(&r, "linux.resources.devices: update does not change the device rules; "
			  "they are create's");
	if (r.err[0])
		oci_fail("%s", r.err);
	for (int i = 0; i < s.ncgroup_dirs; i++)
		if (hierarchy_root(s.cgroup_dirs[i], s.cgroup_version))
			oci_fail("update %s: its state names %s, a hierarchy's root or no plain cgroup path; "
				 "nothing is written there", id, s.cgroup_dirs[i]);
	if (s.unit[0])
		set_unit_limits(id, s.unit, &c);
	if (s.cgroup_version == 2) {
		char value[V2_NKNOBS][64];
		if (v2_limits(&c, value, err, sizeof err) < 0)
			oci_fail("--resources: %s", err);
		write_v2_limits(s.cgroup_dirs[0], value);
	} else {
		/* each controller's directory, /sys/fs/cgroup/CONTROLLER/... */
		for (int i = 0; i < s.ncgroup_dirs; i++) {
			char controller[32];
			const char *name = s.cgroup_dirs[i] + strlen("/sys/fs/cgroup/");
			snprintf(controller, sizeof controller, "%.*s", (int)strcspn(name, "/"), name);
			write_v1_limits(&c, controller, s.cgroup_dirs[i]);
		}
	}
	json_object_put(lx);
	json_object_put(res);
	free(text);
	return 0;
}

static void list_pid(int pid, void *array)
{
	json_object_array_add(array, json_object_new_int(pid));
}

static void list_cgroup(int parent, const char *name, int dir, void *array)
{
	(void)parent, (void)name;
	each_listed_pid(dir, list_pid, array);
}

static int cmd_ps(const char *id)
{
	struct oci_state s;
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	json_object *a = json_object_new_array();
	if (s.ncgroup_dirs && !hierarchy_root(s.cgroup_dirs[0], s.cgroup_version)) {
		walk_cgroup_tree(s.cgroup_dirs[0], list_cgroup, a);   /* as kill --all */
	}
	puts(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	return 0;
}

/* exec: one more process in a running container (runc's exec, which the
 * shim calls for `ctr task exec` and `docker exec`).  It joins what the
 * container's first process was given: its cgroup, then its namespaces
 * through /proc/PID/ns (setns(2)).  The user namespace first, if it has
 * one: the others are its, and each later setns is then checked against
 * it, with the powers of the container's root and no more of the host's;
 * the helper takes up that root's identity there (II.6).  Then cgroup,
 * ipc, uts, net, pid, and the mount namespace last (all were opened by a
 * path in the host's /proc).  A namespace the container joined by path
 * that is not its user namespace's (the network namespace of a container
 * without one, say) is joined before it, while the helper is still the
 * host's root (join_pass).  The rlimits and oomScoreAdj are set before
 * any of it, while the helper still has the host's CAP_SYS_RESOURCE, and
 * pass to the process through fork(2).  Then the config's seccomp
 * filter; process.json says who it runs as and with which capabilities.
 * A setns into a pid namespace applies to children only, so a helper
 * joins and forks the process, then tells us its pid; with --detach it
 * leaves the process to the engine (a subreaper), else it waits and
 * passes its status on. */
/* On cgroup v2, a cgroup with controllers enabled for its children in
 * cgroup.subtree_control takes no process itself (cgroups(7), "no internal
 * processes"), and a container with a delegated cgroup may enable them:
 * exec's write to its top cgroup.procs then fails with EBUSY.  exec's
 * process goes where the container's process 1 is instead: that cgroup
 * holds a process, so it may hold another; it is the container's own
 * choice of place, under its limits; and nothing is made that would have
 * to be removed.  The path, read from /proc/PID/cgroup ("0::/a/b"), is
 * the container's to name: it must lie under DIR, the container's cgroup
 * (a name in cgroupfs is never "." or ".."), or it is not used.  Returns
 * 0 with the directory in OUT, or -1. */
static int init_cgroup(pid_t pid, const char *dir, char *out, size_t size)
{
	char path[64], text[PATH_MAX + 64];
	size_t len = strlen(dir);
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	if (read_file(path, text, sizeof text) < 0 || strncmp(text, "0::/", 4))
		return -1;
	text[strcspn(text, "\n")] = '\0';
	if (snprintf(out, size, "/sys/fs/cgroup%s", text + 3) >= (int)size ||
	    strncmp(out, dir, len) || (out[len] != '/' && out[len] != '\0') || strstr(out + len, "/../"))
		return -1;
	return 0;
}

static const char *const exec_namespaces[] = { "user", "cgroup", "ipc", "uts", "net", "pid", "mnt" };

static int cmd_exec(const char *id, const char *process_file, bool detach, const char *pid_file,
		    const char *console)
{
	static struct oci_config c;
	char *text;
	struct oci_process p = { 0 };
	struct oci_state s;
	struct reader r = { .file = "process.json" };
	char path[PATH_MAX + 32], err[1024];

	if (!process_file)
		oci_fail("exec needs --process FILE (the process.json the engine wrote)");
	if (!load_state(id, &s))
		oci_fail("container \"%s\" does not exist", id);
	if (status_of(&s) == STOPPED || status_of(&s) == PAUSED)
		oci_fail("cannot exec in container \"%s\": it is %s", id, status_names[status_of(&s)]);
	read_config(s.dir, &c);
	if (!(text = read_whole_file(process_file, OCI_MAX_CONFIG)))
		oci_fail("--process %s: %s", process_file, errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
	json_object *j = parse_json(&r, text);
	if (!j)
		oci_fail("%s", r.err);
	if (!json_object_is_type(j, json_type_object))
		oci_fail("process.json: not a JSON object");
	read_process(&r, j, &p);
	check_user_mapped(&r, &c, &p);
	if (r.err[0])
		oci_fail("%s", r.err);
	if ((c.joined & CLONE_NEWUSER) && status_of(&s) != STOPPED) {
		/* the joined namespace's maps, read through the container's
		 * process 1 (its user namespace is checked below) */
		snprintf(path, sizeof path, "/proc/%d", s.pid);
		if (check_user_mapped_in(&r, path, "the container's", &p) < 0)
			oci_fail("%s", r.err);
	}
	refuse_apparmor_without_it(p.apparmor, "process.json");
	if (!p.have_capabilities) {      /* none given: the container's, as runc does */
		p.bounding = c.process.bounding;
		p.effective = c.process.effective;
		p.permitted = c.process.permitted;
		p.inheritable = c.process.inheritable;
		p.ambient = c.process.ambient;
	}
	if (p.terminal != !!console)
		oci_fail(console ? "--console-socket is given but process.terminal is false" :
			 "process.terminal is true but there is no --console-socket");
	scmp_filter_ctx filter = NULL;
	if (c.seccomp.present && !(filter = compile_seccomp(&c.seccomp, err, sizeof err)))
		oci_fail("%s", err);
	int console_sock = console ? connect_console(console) : -1;

	/* A user namespace only if the config has one, made or joined, and
	 * the one create recorded: process 1 may since have made one of its
	 * own (unshare(2)), which is not the container's, and whose root
	 * need not be mapped; without one in the config, the helper stays the
	 * host's root, as the container's processes are. */
	bool user = (c.namespaces | c.joined) & CLONE_NEWUSER;
	int ns[LEN(exec_namespaces)];
	for (size_t i = 0; i < LEN(exec_namespaces); i++) {
		struct stat theirs, ours;
		char recorded[sizeof s.user_ns];
		ns[i] = -1;
		if (i == 0 && !user)
			continue;
		snprintf(path, sizeof path, "/proc/%d/ns/%s", s.pid, exec_namespaces[i]);
		ns[i] = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path + 6, sizeof path - 6, "self/ns/%s", exec_namespaces[i]);
		if (ns[i] < 0 || fstat(ns[i], &theirs) < 0 || stat(path, &ours) < 0)
			oci_fail("opening the container's %s namespace: %s", exec_namespaces[i], strerror(errno));
		snprintf(recorded, sizeof recorded, "%llu:%llu", (unsigned long long)theirs.st_dev,
			 (unsigned long long)theirs.st_ino);
		if (i == 0 && strcmp(recorded, s.user_ns))
			oci_fail("exec in container \"%s\": its process 1 is no longer in the user namespace "
				 "create put it in (it made one of its own?): exec joins only the container's", id);
		if (same_file(&theirs, &ours)) {
			close(ns[i]);          /* shared with the host: nothing to join */
			ns[i] = -1;
		}
	}
	if (process_start_time(s.pid) != s.start_time)   /* the pid was reused meanwhile */
		oci_fail("container \"%s\" stopped", id);

	int err_pipe[2], pid_pipe[2];
	if (pipe2(err_pipe, O_CLOEXEC) < 0 || pipe2(pid_pipe, O_CLOEXEC) < 0)
		oci_fail("pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t helper = fork();
	if (helper < 0)
		oci_fail("fork: %s", strerror(errno));
	if (helper == 0) {
		in_container = true;
		quiet = true;
		prctl(PR_SET_DUMPABLE, 0);     /* II.8, before it is anywhere the container sees */
		if (oci_log)                   /* errors go to err_pipe from here */
			fclose(oci_log), oci_log = NULL;
		int saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		dup2(err_pipe[1], STDERR_FILENO);
		for (int i = 0; i < s.ncgroup_dirs; i++) {
			char leaf[PATH_MAX];
			snprintf(path, sizeof path, "%s/cgroup.procs", s.cgroup_dirs[i]);
			if (write_file(path, "0") == 0)
				continue;
			if (errno != EBUSY || s.cgroup_version != 2 || init_cgroup(s.pid, s.cgroup_dirs[i], leaf, sizeof leaf) < 0)
				die_errno("joining the container's cgroup %s", s.cgroup_dirs[i]);
			snprintf(path, sizeof path, "%s/cgroup.procs", leaf);
			if (write_file(path, "0") < 0)
				die_errno("joining the container's cgroup %s (where its process 1 is; %s "
					  "takes no process: it has controllers enabled for its children)",
					  leaf, s.cgroup_dirs[i]);
		}
		/* inherited by the process, set while we still can (II.6) */
		if (set_rlimits(0, &p, err, sizeof err) < 0 || set_oom_score_adj(getpid(), &p, err, sizeof err) < 0)
			die("%s", err);
		for (int pass = 0; pass < 3; pass++)
			for (size_t i = 0; i < LEN(exec_namespaces); i++) {
				if (ns[i] < 0 || join_pass(ns[i], i == 0, ns[0]) != pass)
					continue;
				if (setns(ns[i], 0) < 0)
					die_errno("joining the container's %s namespace", exec_namespaces[i]);
				if (i == 0) {
					take_namespace_root_identity();   /* II.6 */
					prctl(PR_SET_DUMPABLE, 0);
				}
			}
		pid_t pid = fork();
		if (pid < 0)
			die_errno("fork");
		if (pid == 0) {
			prctl(PR_SET_DUMPABLE, 0); /* inherited; said again where it matters */
			close_fds_except((int[]){ err_pipe[1], saved_stderr, console_sock }, 3);
			enter_cwd(p.cwd);
			int slave = p.terminal ? make_terminal(console_sock, &p) : -1;
			apply_apparmor(p.apparmor);
			load_filter(filter, &p, false);
			become_process_user(&p);
			prctl(PR_SET_DUMPABLE, 0);     /* a change of uid reset it */
			load_filter(filter, &p, true);
			clearenv();
			for (const char **e = p.env; e && *e; e++)
				putenv((char *)*e);
			if (slave >= 0)
				use_terminal(slave);
			else
				dup2(saved_stderr, STDERR_FILENO);
			sigset_t none;
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			/* whatever else the engine left open does not go in */
			syscall(SYS_close_range, 3, ~0u, CLOSE_RANGE_CLOEXEC);
			execvp(p.args[0], (char **)p.args);
			int e = errno;
			dprintf(err_pipe[1], "exec %s: %s\n", p.args[0], strerror(e));
			_exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
		}
		close(err_pipe[1]);
		if (write(pid_pipe[1], &pid, sizeof pid) != sizeof pid || detach)
			_exit(0);
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		dup2(saved_stderr, STDERR_FILENO);
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
	}
	close(err_pipe[1]);
	close(pid_pipe[1]);
	if (console_sock >= 0)
		close(console_sock);
	pid_t pid = 0;
	char msg[1024] = "";
	bool got_pid = read(pid_pipe[0], &pid, sizeof pid) == sizeof pid;
	ssize_t n = 0, got;                /* end of file: exec'd; else what it said, whole */
	while ((got = read(err_pipe[0], msg + n, sizeof msg - 1 - n)) > 0 || (got < 0 && errno == EINTR))
		n += got > 0 ? got : 0;
	if (!got_pid || n > 0) {
		msg[n > 0 ? n : 0] = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		if (got_pid)
			kill(pid, SIGKILL);
		waitpid(helper, NULL, 0);
		oci_fail("exec in container \"%s\": %s", id, msg[0] ? msg + (strncmp(msg, "contained: ", 11) ? 0 : 11)
			 : "the process ended while it was being set up");
	}
	if (pid_file && write_pid_file(pid_file, pid) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		oci_fail("--pid-file %s: %s", pid_file, strerror(e));
	}
	int status;
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	return detach ? 0 : WEXITSTATUS(status);
}

/* ------------------------------------------------------------------------ *
 * II.8 Running from a sealed copy of ourselves
 *
 * With no user namespace the container's root is the host's root, so a
 * process in the container may open /proc/PID/exe of any process it can
 * see and that is dumpable, and write through it to the file behind it
 * (CVE-2019-5736).  create's container init and exec's process are this
 * binary, forked, until they exec the container's program, and both are
 * visible in the container meanwhile; worse, a program in the image whose
 * first line is "#!/proc/self/exe" has the kernel start this binary again,
 * inside, as an ordinary container process.  So create and exec first
 * re-execute themselves from an anonymous in-memory copy (memfd_create(2))
 * sealed against every change (F_SEAL_WRITE, _SHRINK, _GROW, then _SEAL:
 * fcntl(2), "File Sealing"): whatever a process in the container opens
 * through /proc/PID/exe is that copy, which nothing can write, and the host
 * binary is never the executable of a process the container can see.
 * Non-dumpable processes (PR_SET_DUMPABLE 0, prctl(2), set again after every
 * change of uid, which resets it) close /proc/PID/exe, fd/ and mem to
 * the container's root, which lacks CAP_SYS_PTRACE, on top.
 * ------------------------------------------------------------------------ */

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U               /* linux/memfd.h, Linux 6.3 */
#endif

/* Re-execute ARGV (with the same environment) from a sealed copy, unless
 * this process already runs from one.  Returns only when it does. */
static void run_from_sealed_copy(char **argv)
{
	extern char **environ;
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		oci_fail("opening /proc/self/exe (to run from a sealed copy): %s", strerror(errno));
	int seals = fcntl(self, F_GET_SEALS);
	if (seals >= 0 && (seals & SEALS) == SEALS) {
		close(self);
		return;
	}
	/* MFD_EXEC says so where vm.memfd_noexec asks (Linux 6.3); older
	 * kernels know no such flag, and every memfd there is executable */
	int copy = memfd_create("contained-oci", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (copy < 0 && errno == EINVAL)
		copy = memfd_create("contained-oci", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		oci_fail("memfd_create (a sealed copy of contained-oci to run from): %s%s", strerror(errno),
			 errno == EACCES ? " (vm.memfd_noexec is 2 on this host: set it to 0 or 1)" : "");
	struct stat st;
	if (fstat(self, &st) < 0)
		oci_fail("/proc/self/exe: %s", strerror(errno));
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(copy, self, NULL, st.st_size - done);
		if (n <= 0)
			oci_fail("copying /proc/self/exe to a memfd: %s", n < 0 ? strerror(errno) : "short read");
		done += n;
	}
	close(self);
	if (fcntl(copy, F_ADD_SEALS, SEALS) < 0)
		oci_fail("sealing the copy of contained-oci (F_ADD_SEALS): %s", strerror(errno));
	fexecve(copy, argv, environ);
	oci_fail("running the sealed copy of contained-oci (fexecve): %s", strerror(errno));
}

static const char oci_usage[] =
	"usage: contained-oci [--root DIR] [--log FILE] [--log-format json|text] COMMAND ...\n"
	"  --root DIR                                where the state lives (default /run/contained-oci)\n"
	"  create --bundle DIR [--pid-file FILE] [--console-socket SOCKET] ID\n"
	"                                            set up the container, blocked before exec\n"
	"  start ID                                  let it exec process.args\n"
	"  state ID                                  its OCI state, as JSON\n"
	"  kill [--all] ID [SIGNAL]                  signal it (default TERM)\n"
	"  delete [--force] ID                       remove a stopped container\n"
	"  exec --process FILE [--detach] [--pid-file FILE] [--console-socket SOCKET] ID\n"
	"                                            run process.json's process in it\n"
	"  ps --format json ID                       its processes, as a JSON array of pids\n"
	"  pause ID, resume ID                       freeze and thaw all its processes\n"
	"  update --resources FILE ID                new memory, cpu and pids limits, from\n"
	"                                            linux.resources JSON (FILE - : stdin)\n"
	"  features                                  what this runtime supports, as JSON\n"
	"  --version\n"
	"All but features and --version need root (sudo).\n";

/* The commands above; and runc's others, which contained-oci does not
 * have, so that they are told apart from a typing mistake. */
static const char *const oci_commands[] = {
	"create", "start", "state", "kill", "delete", "exec", "ps", "pause", "resume", "update",
	"features", NULL };
static const char *const oci_commands_missing[] = {
	"run", "list", "events", "spec", "checkpoint", "restore", NULL };

/* A subcommand's own flags: "--name value" or "--name=value", and bare
 * "--name" for the booleans in BOOLS. */
struct sub_args {
	const char *value[8];          /* in the order of the names */
	bool set[8];
	const char *positional[4];
	int npositional;
};

static void parse_sub(int argc, char **argv, const char *const *names, const char *const *bools,
		      struct sub_args *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (arg[0] != '-' || !arg[1] || a->npositional) {
			if (a->npositional == (int)LEN(a->positional))
				oci_fail("%s: too many arguments", argv[i]);
			a->positional[a->npositional++] = arg;
			continue;
		}
		while (*arg == '-')
			arg++;
		size_t len = strcspn(arg, "=");
		bool found = false;
		for (int k = 0; names[k] && !found; k++) {
			if (strlen(names[k]) != len || strncmp(names[k], arg, len))
				continue;
			found = a->set[k] = true;
			bool boolean = false;
			for (const char *const *b = bools; b && *b; b++)
				boolean |= !strcmp(*b, names[k]);
			if (arg[len] == '=')
				a->value[k] = arg + len + 1;
			else if (!boolean && i + 1 < argc)
				a->value[k] = argv[++i];
			else if (!boolean)
				oci_fail("%s needs a value", argv[i]);
		}
		if (!found)
			oci_fail("unknown flag %s (see contained-oci --help)", argv[i]);
	}
}

#ifndef CONTAINED_OCI_TEST
int main(int argc, char **argv)
{
	int i = 1;
	const char *log_path = NULL;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
			printf("contained-oci version %s\nspec: %s\n", CONTAINED_OCI_VERSION, OCI_VERSION);
			return 0;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(oci_usage, stdout);
			return 0;
		} else if (!strcmp(a, "--systemd-cgroup") || !strcmp(a, "--debug")) {
			continue;
		} else if ((!strcmp(a, "--root") || !strcmp(a, "--log") || !strcmp(a, "--log-format")) &&
			   i + 1 < argc) {
			const char *v = argv[++i];
			if (!strcmp(a, "--root"))
				state_root = v;
			else if (!strcmp(a, "--log"))
				log_path = v;
			else if (!strcmp(a, "--log-format") && !(log_json = !strcmp(v, "json")) && strcmp(v, "text"))
				oci_fail("--log-format %s: expected json or text", v);
		} else {
			oci_fail("unknown global flag %s (see contained-oci --help)", a);
		}
	}
	if (i == argc) {
		fputs(oci_usage, stderr);
		return 1;
	}
	const char *cmd = argv[i];
	struct sub_args a;
	bool known = false, missing = false;
	for (const char *const *c = oci_commands; *c; c++)
		known |= !strcmp(*c, cmd);
	for (const char *const *c = oci_commands_missing; *c; c++)
		missing |= !strcmp(*c, cmd);
	/* Before anything is made or read: as another user, every call
	 * would fail later, less clearly (EACCES on the state directory, or
	 * a container that "does not exist" because its state is root's). */
	if (known && geteuid() != 0 && strcmp(cmd, "features"))
		oci_fail("%s needs root: contained-oci makes namespaces, cgroups and mounts, and keeps "
			 "its state in %s; run it as root (sudo)", cmd, state_root);
	if (log_path && !(oci_log = fopen(log_path, "ae")))
		oci_fail("--log %s: %s", log_path, strerror(errno));
	if (missing)
		oci_fail("%s is not supported by contained-oci yet (it has create, start, state, kill, "
			 "delete, exec, ps, pause, resume, update, features)", cmd);
	if (!known)
		oci_fail("unknown command \"%s\" (the commands are create, start, state, kill, delete, "
			 "exec, ps, pause, resume, update, features; see contained-oci --help)", cmd);
	/* the two that fork a process into the container (II.8); from here
	 * on non-dumpable, before any of their processes joins a namespace a
	 * container owns (the flag is inherited by fork and clone) */
	if (!strcmp(cmd, "create") || !strcmp(cmd, "exec")) {
		run_from_sealed_copy(argv);
		prctl(PR_SET_DUMPABLE, 0);
	}
	argc -= i + 1;
	argv += i + 1;
	if (!strcmp(cmd, "features")) {
		print_features();
		return 0;
	}
	check_state_root();
	if (!strcmp(cmd, "create")) {
		static const char *const names[] = { "bundle", "pid-file", "console-socket", "no-pivot",
						     "no-new-keyring", NULL };
		static const char *const bools[] = { "no-pivot", "no-new-keyring", NULL };
		parse_sub(argc, argv, names, bools, &a);
		if (a.set[3])
			oci_fail("create --no-pivot is not supported: contained-oci always uses pivot_root");
		if (a.npositional != 1)
			oci_fail("create needs one container id");
		return cmd_create(a.positional[0], a.value[0] ? a.value[0] : ".", a.value[1], a.value[2]);
	}
	if (!strcmp(cmd, "exec")) {
		static const char *const names[] = { "process", "p", "detach", "d", "pid-file",
						     "console-socket", "tty", "t", NULL };
		static const char *const bools[] = { "detach", "d", "tty", "t", NULL };
		parse_sub(argc, argv, names, bools, &a);
		if (a.set[6] || a.set[7])
			oci_fail("exec --tty: give process.terminal in the process.json instead");
		if (a.npositional != 1)
			oci_fail("exec needs --process FILE and one container id (the command comes "
				 "from process.json, not the command line)");
		return cmd_exec(a.positional[0], a.value[0] ? a.value[0] : a.value[1], a.set[2] || a.set[3],
				a.value[4], a.value[5]);
	}
	if (!strcmp(cmd, "kill")) {
		static const char *const names[] = { "all", "a", NULL };
		parse_sub(argc, argv, names, names, &a);
		if (a.npositional < 1 || a.npositional > 2)
			oci_fail("kill needs a container id and, optionally, a signal");
		return cmd_kill(a.positional[0], a.positional[1], a.set[0] || a.set[1]);
	}
	if (!strcmp(cmd, "delete")) {
		static const char *const names[] = { "force", "f", NULL };
		parse_sub(argc, argv, names, names, &a);
		if (a.npositional != 1)
			oci_fail("delete needs one container id");
		return cmd_delete(a.positional[0], a.set[0] || a.set[1]);
	}
	if (!strcmp(cmd, "ps")) {
		static const char *const names[] = { "format", "f", NULL };
		parse_sub(argc, argv, names, NULL, &a);
		const char *format = a.value[0] ? a.value[0] : a.value[1];
		if (!format || strcmp(format, "json"))
			oci_fail("ps: only --format json is supported");
		if (a.npositional != 1)
			oci_fail("ps needs one container id");
		return cmd_ps(a.positional[0]);
	}
	if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume")) {
		parse_sub(argc, argv, (const char *const[]){ NULL }, NULL, &a);
		if (a.npositional != 1)
			oci_fail("%s needs one container id", cmd);
		return cmd_pause(a.positional[0], !strcmp(cmd, "pause"));
	}
	if (!strcmp(cmd, "update")) {
		static const char *const names[] = { "resources", "r", NULL };
		parse_sub(argc, argv, names, NULL, &a);
		const char *resources = a.value[0] ? a.value[0] : a.value[1];
		if (!resources || a.npositional != 1)
			oci_fail("update needs --resources FILE (- for stdin: linux.resources JSON, as Docker "
				 "sends it) and one container id");
		return cmd_update(a.positional[0], resources);
	}
	if (!strcmp(cmd, "start") || !strcmp(cmd, "state")) {
		parse_sub(argc, argv, (const char *const[]){ NULL }, NULL, &a);
		if (a.npositional != 1)
			oci_fail("%s needs one container id", cmd);
		if (!strcmp(cmd, "state")) {
			print_state(a.positional[0]);
			return 0;
		}
		return cmd_start(a.positional[0]);
	}
	oci_fail("%s: no code for this command", cmd);    /* oci_commands lists one too many */
}
#endif
