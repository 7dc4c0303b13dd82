/*
 * oci_unit.c - Check unit tests for oci.c's config.json reader, on the
 * configurations containerd 1.6 and Docker 20.10 really sent (tests/oci/,
 * recorded with a logging runtime in runc's place; bundle paths replaced).
 * oci.c is included whole, without its main() (CONTAINED_OCI_TEST).
 * Nothing here needs root but v2_device_program, which is skipped
 * without it (it attaches a real device program to a real cgroup).
 */
#define CONTAINED_OCI_TEST
#include "../oci.c"

#include <check.h>

static struct oci_config config;
static char err[1024];

/* The sample NAME from tests/oci/, parsed; returns parse_oci_config's result. */
static int parse_sample(const char *name)
{
	static char text[1 << 16];
	char path[256];
	snprintf(path, sizeof path, "tests/oci/%s", name);
	ck_assert_msg(read_file(path, text, sizeof text) == 0, "%s: %s (run from the top of the checkout)",
		      path, strerror(errno));
	err[0] = '\0';
	return parse_oci_config(text, &config, err, sizeof err);
}

static int parse_text(const char *text)
{
	err[0] = '\0';
	return parse_oci_config(text, &config, err, sizeof err);
}

/* The smallest config that passes, with EXTRA spliced in at the top level. */
static int parse_with(const char *extra)
{
	static char text[4096];
	snprintf(text, sizeof text, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		 "\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}%s}", extra);
	return parse_text(text);
}

/* The smallest config with EXTRA in place of its linux object. */
static int parse_with_linux(const char *linux_json)
{
	static char text[4096];
	snprintf(text, sizeof text, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		 "\"root\":{\"path\":\"rootfs\"}%s}", linux_json);
	return parse_text(text);
}

START_TEST(ctr_run_rm)
{
	ck_assert_msg(parse_sample("config-ctr-run-rm.json") == 0, "%s", err);
	ck_assert_str_eq(config.process.args[0], "sh");
	ck_assert_str_eq(config.process.args[2], "echo hi-nontty; ls -l /proc/self/fd/; exit 3");
	ck_assert_ptr_null(config.process.args[3]);
	ck_assert_str_eq(config.process.env[0], "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	ck_assert_str_eq(config.process.cwd, "/");
	ck_assert_uint_eq(config.process.uid, 0);
	ck_assert_int_eq(config.process.ngids, 1);
	ck_assert(config.process.no_new_privileges);
	ck_assert(!config.process.terminal);
	ck_assert(config.process.bounding & (1ULL << CAP_MKNOD));
	ck_assert(!(config.process.bounding & (1ULL << CAP_SYS_ADMIN)));
	ck_assert_uint_eq(config.process.bounding, config.process.effective);
	ck_assert_int_eq(config.process.nrlimits, 1);
	ck_assert_int_eq(config.process.rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(config.process.rlimits[0].limit.rlim_cur, 1024);
	ck_assert_str_eq(config.root_path, "rootfs");
	ck_assert(!config.root_readonly);
	ck_assert_int_eq(config.nmounts, 7);
	ck_assert_str_eq(config.mounts[1].destination, "/dev");
	ck_assert_uint_eq(config.mounts[1].flags, MS_NOSUID | MS_STRICTATIME);
	ck_assert_str_eq(config.mounts[1].data, "mode=755,size=65536k");
	ck_assert_uint_eq(config.mounts[5].flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	ck_assert_int_eq(config.namespaces, CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWNET);
	ck_assert_str_eq(config.cgroups_path, "/default/a1");
	ck_assert_int_eq(config.cpu_shares, 1024);
	ck_assert_int_eq(config.ndevices, 10);
	ck_assert(!config.devices[0].allow);
	ck_assert_int_eq(config.devices[0].type, 'a');
	ck_assert_int_eq(config.devices[8].major, 136);
	ck_assert_int_eq(config.devices[8].minor, -1);
	ck_assert_int_eq(config.nmasked, 10);
	ck_assert_str_eq(config.masked[2], "/proc/kcore");
	ck_assert_int_eq(config.nreadonly, 5);
}
END_TEST

/* Every configuration the engines sent without a user namespace is read whole. */
START_TEST(engine_samples_read)
{
	static const char *const samples[] = {
		"config-ctr-run-rm.json", "config-ctr-run-rm-tty.json", "config-docker-run-flags.json",
		"config-docker-run-it.json", "config-docker-run-rm-netnone.json", "spec-verification.json",
	};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
		ck_assert_msg(parse_sample(samples[i]) == 0, "%s: %s", samples[i], err);
	ck_assert_int_eq(parse_sample("config-docker-run-flags.json"), 0);
	ck_assert_int_eq(config.memory_limit, 134217728);
	ck_assert_int_eq(config.memory_swap, 268435456);
	ck_assert_int_eq(config.cpu_quota, 50000);
	ck_assert_int_eq(config.cpu_period, 100000);
	ck_assert_int_eq(config.pids_limit, 64);
	ck_assert_str_eq(config.hostname, "my-test-container");
	ck_assert_uint_eq(config.process.uid, 1000);
	ck_assert_int_eq(config.nsysctls, 2);
	ck_assert(config.seccomp.present);
	ck_assert_int_eq(config.hooks.n[PRESTART], 1);
	ck_assert_str_eq(config.mounts[config.nmounts - 1].type, "bind");
	ck_assert_int_eq(parse_sample("spec-verification.json"), 0);
	ck_assert_int_eq(config.namespaces & CLONE_NEWCGROUP, CLONE_NEWCGROUP);
	ck_assert(config.root_readonly);
}
END_TEST

/* exec's process.json, as ctr and Docker wrote it. */
START_TEST(engine_process_files_read)
{
	static const struct { const char *name; bool terminal; const char *arg2; } samples[] = {
		{ "process-ctr-task-exec.json", false, "echo exec-nontty; id; echo $$; exit 5" },
		{ "process-ctr-task-exec-tty.json", true, "tty; exit 6" },
		{ "process-docker-exec.json", false, "echo exec-ok; exit 3" },
		{ "process-docker-exec-it.json", true, "tty; exit 4" },
	};
	static char text[1 << 16];
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char path[256];
		struct oci_process p = { 0 };
		struct reader r = { .file = "process.json" };
		snprintf(path, sizeof path, "tests/oci/%s", samples[i].name);
		ck_assert_int_eq(read_file(path, text, sizeof text), 0);
		json_object *j = parse_json(&r, text);    /* strictly, as exec reads it */
		read_process(&r, j, &p);
		ck_assert_msg(!r.err[0], "%s: %s", samples[i].name, r.err);
		ck_assert_int_eq(p.terminal, samples[i].terminal);
		ck_assert_str_eq(p.args[2], samples[i].arg2);
		ck_assert(p.have_capabilities);
		ck_assert(p.bounding & (1ULL << CAP_KILL));
		json_object_put(j);
	}
}
END_TEST

START_TEST(device_rules_as_cgroup_v1_text)
{
	char text[64];
	ck_assert_msg(parse_sample("config-ctr-run-rm.json") == 0, "%s", err);
	device_rule_text(&config.devices[0], text, sizeof text);
	ck_assert_str_eq(text, "a");
	device_rule_text(&config.devices[1], text, sizeof text);
	ck_assert_str_eq(text, "c 1:3 rwm");
	device_rule_text(&config.devices[8], text, sizeof text);
	ck_assert_str_eq(text, "c 136:* rwm");
}
END_TEST

/* What this runtime cannot apply yet is refused, by name. */
START_TEST(unsupported_fields_named)
{
	ck_assert_int_eq(parse_with(",\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/x\","
				    "\"uidMappings\":[]}]"), -1);
	ck_assert_str_eq(err, "config.json: mounts[0].uidMappings is not supported by contained-oci yet; "
			 "remove it from the configuration or use another runtime");
	ck_assert_int_eq(parse_with(",\"hostname\":\"x\""), -1);
	ck_assert_ptr_nonnull(strstr(err, "no \"uts\""));
	ck_assert_int_eq(parse_with(",\"domainname\":\"x\""), -1);
	ck_assert_str_eq(err, "config.json: domainname is set but linux.namespaces has no \"uts\": it would rename the host");
	ck_assert_int_eq(parse_with(""), 0);
}
END_TEST

/* Docker's prestart hook, as it sends it. */
START_TEST(docker_hook_read)
{
	static char text[1 << 16];
	ck_assert_int_eq(read_file("tests/oci/config-docker-run-flags.json", text, sizeof text), 0);
	json_object *j = json_tokener_parse(text), *hooks;
	ck_assert(json_object_object_get_ex(j, "hooks", &hooks));
	static struct oci_hooks h;
	struct reader r = { .file = "config.json" };
	read_hooks(&r, hooks, &h);
	ck_assert_msg(!r.err[0], "%s", r.err);
	ck_assert_int_eq(h.n[PRESTART], 1);
	ck_assert_int_eq(h.n[POSTSTOP], 0);
	ck_assert_str_eq(h.list[PRESTART][0].path, "/proc/23687/exe");
	ck_assert_str_eq(h.list[PRESTART][0].args[0], "libnetwork-setkey");
	ck_assert_ptr_null(h.list[PRESTART][0].env);
	ck_assert_int_eq(h.list[PRESTART][0].timeout, 0);
	json_object_put(j);
}
END_TEST

/* Every bad hook is an error naming it. */
START_TEST(bad_hooks_named)
{
	static const struct { const char *hooks, *error; } cases[] = {
		{ "{\"prestart\":[{\"path\":\"rel\"}]}", "hooks.prestart[0].path must be an absolute path" },
		{ "{\"prestart\":[{\"args\":[\"x\"]}]}", "hooks.prestart[0].path must be an absolute path" },
		{ "{\"poststop\":[{\"path\":\"/x\",\"timeout\":0}]}", "hooks.poststop[0].timeout: 0 is out of range (1..86400)" },
		{ "{\"poststop\":[{\"path\":\"/x\",\"timeout\":-5}]}", "hooks.poststop[0].timeout: -5 is out of range" },
		{ "{\"startContainer\":[{\"path\":\"/x\",\"args\":\"x\"}]}", "hooks.startContainer[0].args must be an array" },
		{ "{\"createRuntime\":[{\"path\":\"/x\",\"env\":[1]}]}", "hooks.createRuntime[0].env[0] must be a string" },
		{ "{\"createContainer\":[{\"path\":\"/x\",\"when\":1}]}", "unknown field hooks.createContainer[0].when" },
		{ "{\"prestart\":[\"/x\"]}", "hooks.prestart[0] must be an object" },
		{ "{\"prestart\":{}}", "hooks.prestart must be an array" },
		{ "{\"poststarted\":[]}", "unknown field hooks.poststarted" },
		{ "[]", "hooks must be an object" },
	};
	char extra[512];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(extra, sizeof extra, ",\"hooks\":%s", cases[i].hooks);
		ck_assert_int_eq(parse_with(extra), -1);
		ck_assert_msg(strstr(err, cases[i].error), "%s: got \"%s\"", cases[i].hooks, err);
	}
	ck_assert_int_eq(parse_with(",\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"timeout\":3}]}"), 0);
	ck_assert_int_eq(config.hooks.list[POSTSTOP][0].timeout, 3);
}
END_TEST

/* linux.seccomp of the sample NAME, read alone. */
static struct oci_seccomp seccomp;
static void read_sample_seccomp(const char *name)
{
	static char text[1 << 16];
	char path[256];
	snprintf(path, sizeof path, "tests/oci/%s", name);
	ck_assert_int_eq(read_file(path, text, sizeof text), 0);
	json_object *j = json_tokener_parse(text), *lx;
	ck_assert(json_object_object_get_ex(j, "linux", &lx));
	struct reader r = { .file = "config.json" };
	read_seccomp(&r, lx, &seccomp);
	ck_assert_msg(!r.err[0], "%s", r.err);
}

static const struct oci_seccomp_rule *rule_for(const char *name, int nth)
{
	for (int i = 0; i < seccomp.nrules; i++)
		if (!strcmp(seccomp.rules[i].name, name) && nth-- == 0)
			return &seccomp.rules[i];
	return NULL;
}

/* Docker's default profile, as dockerd sent it: JSON -> rules -> filter. */
START_TEST(docker_seccomp_profile)
{
	read_sample_seccomp("config-docker-run-flags.json");
	ck_assert(seccomp.present);
	ck_assert_uint_eq(seccomp.default_action, SCMP_ACT_ERRNO(EPERM));
	ck_assert_int_eq(seccomp.narchs, 3);
	ck_assert_uint_eq(seccomp.archs[0], SCMP_ARCH_X86_64);
	ck_assert_uint_eq(seccomp.archs[1], SCMP_ARCH_X86);
	ck_assert_uint_eq(seccomp.archs[2], SCMP_ARCH_X32);
	const struct oci_seccomp_rule *r = rule_for("read", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->action, SCMP_ACT_ALLOW);
	ck_assert_int_eq(r->nr, SCMP_SYS(read));
	ck_assert_uint_eq(r->nargs, 0);
	r = rule_for("personality", 4);        /* personality(0xffffffff): the query */
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->nargs, 1);
	ck_assert_uint_eq(r->args[0].arg, 0);
	ck_assert_int_eq(r->args[0].op, SCMP_CMP_EQ);
	ck_assert_uint_eq(r->args[0].datum_a, 4294967295ULL);
	r = rule_for("clone", 0);              /* clone without CLONE_NEW* flags */
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->args[0].op, SCMP_CMP_MASKED_EQ);
	ck_assert_uint_eq(r->args[0].datum_a, 2114060288);
	ck_assert_uint_eq(r->args[0].datum_b, 0);
	r = rule_for("clone3", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->action, SCMP_ACT_ERRNO(ENOSYS));
	ck_assert_ptr_null(rule_for("mount", 0));  /* not allowed: left to the default */

	char err[512];
	scmp_filter_ctx ctx = compile_seccomp(&seccomp, err, sizeof err);
	ck_assert_msg(ctx, "%s", err);
	/* The filter, as libseccomp prints it, denies clone3 with ENOSYS. */
	int fd = memfd_create("pfc", 0);
	ck_assert_int_eq(seccomp_export_pfc(ctx, fd), 0);
	static char pfc[1 << 20];
	ssize_t n = pread(fd, pfc, sizeof pfc - 1, 0);
	ck_assert_int_gt(n, 0);
	pfc[n] = '\0';
	ck_assert_ptr_nonnull(strstr(pfc, "action ERRNO(38)"));
	ck_assert_ptr_nonnull(strstr(pfc, "# default action\n  action ERRNO(1);"));
	close(fd);
	seccomp_release(ctx);
}
END_TEST

/* The names runc skips are skipped: one libseccomp does not know. */
START_TEST(unknown_syscall_skipped)
{
	ck_assert_int_eq(parse_with(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"seccomp\":{\"defaultAction\":"
				    "\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"no_such_call\",\"mkdir\"],\"action\":"
				    "\"SCMP_ACT_ERRNO\",\"errnoRet\":100},{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
				    "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":1,"
				    "\"op\":\"SCMP_CMP_GE\"},{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_LE\"}]}]}}"), 0);
	ck_assert_int_eq(config.seccomp.unknown_names, 1);
	ck_assert_int_eq(config.seccomp.nrules, 2);   /* getpid's ALLOW is the default's */
	ck_assert_str_eq(config.seccomp.rules[0].name, "mkdir");
	ck_assert_uint_eq(config.seccomp.rules[0].action, SCMP_ACT_ERRNO(100));
	ck_assert_uint_eq(config.seccomp.rules[1].nargs, 2);
	char e[512];
	scmp_filter_ctx ctx = compile_seccomp(&config.seccomp, e, sizeof e);
	ck_assert_msg(ctx, "two conditions on one argument: %s", e);
	seccomp_release(ctx);
}
END_TEST

/* Every bad seccomp field is an error naming it. */
START_TEST(bad_seccomp_named)
{
	static const struct { const char *seccomp, *error; } cases[] = {
		{ "{}", "linux.seccomp.defaultAction is missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_MAYBE\"}", "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_MAYBE\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "SCMP_ACT_NOTIFY is not supported" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}",
		  "linux.seccomp.defaultErrnoRet is only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":5000}", "linux.seccomp.defaultErrnoRet: 5000 is out of range" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
		  "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_Z80\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"x86_64\"]}", "unknown architecture \"x86_64\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_FAST\"]}",
		  "linux.seccomp.flags[0]: \"SECCOMP_FILTER_FLAG_FAST\" is not supported" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/l.sock\"}", "seccomp listener is not supported" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"sycalls\":[]}", "unknown field linux.seccomp.sycalls" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"]}]}",
		  "linux.seccomp.syscalls[0].action is missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_KILL\"}]}",
		  "linux.seccomp.syscalls[0].names is missing or empty" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"\"],\"action\":\"SCMP_ACT_KILL\"}]}",
		  "linux.seccomp.syscalls[0].names[0] is empty" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]}",
		  "linux.seccomp.syscalls[0].errnoRet is only for SCMP_ACT_ERRNO" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "linux.seccomp.syscalls[0].args[0].index must be 0 to 5" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"args\":[{\"index\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "linux.seccomp.syscalls[0].args[0].value is missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"args\":[{\"index\":1,\"value\":1,\"op\":\"EQ\"}]}]}",
		  "linux.seccomp.syscalls[0].args[0].op: unknown operator \"EQ\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"args\":[{\"index\":1,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "linux.seccomp.syscalls[0].args[0]: value and valueTwo are unsigned" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"args\":[{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_EQ\",\"mask\":3}]}]}",
		  "unknown field linux.seccomp.syscalls[0].args[0].mask" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}",
		  "linux.seccomp.syscalls[0]: includes and excludes belong to a profile template" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "linux.seccomp.syscalls must be an array" },
		{ "\"unconfined\"", "linux.seccomp must be an object" },
	};
	char extra[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(extra, sizeof extra, ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"seccomp\":%s}",
			 cases[i].seccomp);
		ck_assert_int_eq(parse_with(extra), -1);
		ck_assert_msg(strstr(err, cases[i].error), "%s: got \"%s\"", cases[i].seccomp, err);
	}
}
END_TEST

START_TEST(unknown_field_named)
{
	ck_assert_int_eq(parse_with(",\"frobnicate\":1"), -1);
	ck_assert_str_eq(err, "config.json: unknown field frobnicate: contained-oci refuses what it "
			 "does not understand rather than ignore it");
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"capabilities\":{\"bounding\":[],\"sideways\":[]}},\"root\":{\"path\":\"r\"},"
				    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown field process.capabilities.sideways"));
}
END_TEST

START_TEST(bad_values_named)
{
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":\"sh\",\"cwd\":\"/\"}}"), -1);
	ck_assert_str_eq(err, "config.json: process.args must be an array");
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"capabilities\":{\"bounding\":[\"CAP_FLY\"]}}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown capability \"CAP_FLY\""));
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"soft\":1,\"hard\":1}]}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown type \"RLIMIT_BOGUS\""));
	/* 2^64-1, Docker's "unlimited", is RLIM_INFINITY; a negative one is refused */
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":18446744073709551615,"
				    "\"hard\":18446744073709551615}]},\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}"), 0);
	ck_assert(config.process.rlimits[0].limit.rlim_cur == RLIM_INFINITY);
	ck_assert(config.process.rlimits[0].limit.rlim_max == RLIM_INFINITY);
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":-1,\"hard\":1}]},\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "process.rlimits[0].soft: -1 is out of range"));
	/* propagation, shared ones too, by name */
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
				    "\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]},\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\","
				    "\"source\":\"tmpfs\",\"options\":[\"rshared\",\"nosuid\"]}]}"), 0);
	ck_assert_uint_eq(config.mounts[0].propagation, MS_SHARED | MS_REC);
	ck_assert_str_eq(config.mounts[0].data, "");
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
				    "\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"/a/../../etc\","
				    "\"type\":\"tmpfs\"}]}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "without \"..\""));
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"env\":[\"A=1\",\"PATH\"]}}"), -1);
	ck_assert_str_eq(err, "config.json: process.env[1] \"PATH\" must be NAME=VALUE");
	ck_assert_int_eq(parse_text("{not json"), -1);
	ck_assert_ptr_nonnull(strstr(err, "not valid JSON"));
}
END_TEST

/* Broken JSON: where json-c stopped, by line and column; what only a
 * lenient reader takes (a trailing comma, text after the object) is
 * refused, and every engine sample still reads. */
START_TEST(bad_json_located)
{
	static const struct { const char *text, *error; } cases[] = {
		{ "{\"ociVersion\":\"1.0.2\",\n \"process\":{\"args\":[\"sh\",],\"cwd\":\"/\"}}",
		  "config.json: not valid JSON at line 2, column 26 (byte 48): unexpected character" },
		{ "{\"ociVersion\":\"1.0.2\",}", "not valid JSON at line 1, column 23 (byte 22)" },
		{ "{\"ociVersion\":\"1.0.2\"} {}", "not valid JSON at line 1, column 24 (byte 23)" },
		{ "{\"ociVersion\":\"1.0.2\",\n\"process\":{\"args\":[\"sh\"]", "it ends (line 2) before the value does" },
		{ "{\"ociVersion\":\"1.0.2\"/* c */}", "not valid JSON at line 1, column 22" },
	};
	for (size_t i = 0; i < LEN(cases); i++) {
		ck_assert_msg(parse_text(cases[i].text) == -1, "case %zu parsed", i);
		ck_assert_msg(strstr(err, cases[i].error), "case %zu: expected \"%s\", got \"%s\"", i,
			      cases[i].error, err);
	}
	/* whitespace around the value is JSON */
	ck_assert_msg(parse_text("\n {\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
				 "\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}\n") == 0,
		      "%s", err);
}
END_TEST

/* An error about an element of an array names its index; an element
 * that is not an object is refused, not read as one. */
START_TEST(array_elements_indexed)
{
#define PROC "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\""
#define ROOT ",\"root\":{\"path\":\"r\"}"
#define NS "\"namespaces\":[{\"type\":\"mount\"}]"
	static const struct { const char *extra, *error; } cases[] = {
		{ ",\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\"},{\"destination\":\"/b\",\"type\":\"ext4\"}]",
		  "config.json: mounts[1] /b: type \"ext4\" is not supported" },
		{ ",\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\"},{\"destination\":\"b\",\"type\":\"tmpfs\"}]",
		  "config.json: mounts[1].destination \"b\" must be an absolute path" },
		{ ",\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\",\"sauce\":1}]",
		  "config.json: unknown field mounts[0].sauce" },
		{ ",\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\"},7]", "config.json: mounts[1] must be an object" },
		{ ",\"mounts\":[{\"destination\":\"/a\",\"type\":\"bind\",\"source\":\"x\"}]",
		  "config.json: mounts[0] /a: a bind mount needs an absolute source" },
		{ ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\",\"paht\":\"/x\"}]}",
		  "config.json: unknown field linux.namespaces[1].paht" },
		{ ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},\"pid\"]}",
		  "config.json: linux.namespaces[1] must be an object" },
		{ ",\"linux\":{" NS ",\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"x\"}]}}",
		  "config.json: linux.resources.devices[1].type must be" },
		{ ",\"linux\":{" NS ",\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"major\":\"1\"}]}}",
		  "config.json: linux.resources.devices[1].major must be an integer" },
		{ ",\"linux\":{" NS ",\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"type\":\"c\"}]}}",
		  "config.json: linux.resources.devices[1].allow is missing" },
		{ ",\"linux\":{" NS ",\"maskedPaths\":[\"/proc/kcore\",\"proc/keys\"]}",
		  "config.json: linux.maskedPaths[1] \"proc/keys\" must be an absolute path" },
		{ ",\"linux\":{" NS ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
		  "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_Z80\"]}}", "linux.seccomp.architectures[1]: unknown architecture" },
		{ ",\"linux\":{" NS ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
		  "[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"write\",\"\"],\"action\":\"SCMP_ACT_ERRNO\"}]}}",
		  "linux.seccomp.syscalls[1].names[1] is empty" },
		{ ",\"linux\":{" NS "},\"hooks\":{\"prestart\":[{\"path\":\"/bin/true\"},{\"path\":\"true\"}]}",
		  "config.json: hooks.prestart[1].path must be an absolute path" },
	};
	char text[2048];
	for (size_t i = 0; i < LEN(cases); i++) {
		snprintf(text, sizeof text, "{\"ociVersion\":\"1.0.2\"," PROC "}" ROOT "%s}", cases[i].extra);
		ck_assert_msg(parse_text(text) == -1, "case %zu parsed", i);
		ck_assert_msg(strstr(err, cases[i].error), "case %zu: expected \"%s\", got \"%s\"", i,
			      cases[i].error, err);
	}
	static const struct { const char *process, *error; } proc[] = {
		{ ",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":1,\"hard\":1},{\"type\":\"RLIMIT_BOGUS\"}]",
		  "config.json: process.rlimits[1]: unknown type \"RLIMIT_BOGUS\" (names as in getrlimit(2), like RLIMIT_NOFILE)" },
		{ ",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":1,\"hard\":1},{\"type\":\"RLIMIT_NOFILE\",\"hard\":-2}]",
		  "config.json: process.rlimits[1].hard: -2 is out of range" },
		{ ",\"rlimits\":[3]", "config.json: process.rlimits[0] must be an object" },
		{ ",\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_FLY\"]}",
		  "config.json: process.capabilities.bounding[1]: unknown capability \"CAP_FLY\" (names as in "
		  "capabilities(7), like CAP_CHOWN; capsh --print lists this host's)" },
	};
	for (size_t i = 0; i < LEN(proc); i++) {
		snprintf(text, sizeof text, "{\"ociVersion\":\"1.0.2\"," PROC "%s}" ROOT ",\"linux\":{" NS "}}",
			 proc[i].process);
		ck_assert_msg(parse_text(text) == -1, "process case %zu parsed", i);
		ck_assert_msg(strstr(err, proc[i].error), "process case %zu: expected \"%s\", got \"%s\"", i,
			      proc[i].error, err);
	}
#undef PROC
#undef ROOT
#undef NS
}
END_TEST

/* Zero means unset (Docker sends zeros); anything else unsupported is refused. */
START_TEST(resource_zeros_are_unset)
{
	ck_assert_int_eq(parse_with(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"resources\":"
				    "{\"memory\":{\"limit\":0,\"swap\":0},\"blockIO\":{\"weight\":0}}}"), 0);
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
				    "\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
				    "\"resources\":{\"memory\":{\"limit\":1048576,\"reservation\":2097152}}}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "linux.resources.memory.reservation is not supported"));
	ck_assert_int_eq(parse_with(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"resources\":"
				    "{\"memory\":{\"limit\":2097152,\"swap\":1048576}}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "linux.resources.memory.swap (1048576) is memory plus swap, so it must be "
				     "at least linux.resources.memory.limit (2097152)"));
}
END_TEST

/* Only sysctls of a namespace the container has; each refusal names the key. */
START_TEST(sysctl_namespaced_only)
{
	static const struct { const char *sysctl, *error; } cases[] = {
		{ "{\"kernel.pid_max\":\"1\"}", "linux.sysctl.kernel.pid_max: not a namespaced setting" },
		{ "{\"vm.swappiness\":\"1\"}", "linux.sysctl.vm.swappiness: not a namespaced setting" },
		{ "{\"kernel.shmmax\":\"1\"}", "linux.sysctl.kernel.shmmax: the container shares the host's ipc namespace" },
		{ "{\"net.ipv4.ip_forward\":\"1\"}", "linux.sysctl.net.ipv4.ip_forward: the container shares the host's network namespace" },
		{ "{\"kernel.hostname\":\"x\"}", "linux.sysctl.kernel.hostname: the container shares the host's uts namespace" },
		{ "{\"kernel.semaphores\":\"1\"}", "linux.sysctl.kernel.semaphores: not a namespaced setting" },
		{ "{\"net/../../kernel/pid_max\":\"1\"}", "\"net/../../kernel/pid_max\" is not a sysctl name" },
		{ "{\"net..ipv4\":\"1\"}", "\"net..ipv4\" is not a sysctl name" },
		{ "{\"\":\"1\"}", "\"\" is not a sysctl name" },
		{ "{\"net.ipv4.ip_forward\":1}", "linux.sysctl.net.ipv4.ip_forward must be a string" },
		{ "[\"net.ipv4.ip_forward\"]", "linux.sysctl must be an object" },
	};
	char extra[512];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(extra, sizeof extra, ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":%s}",
			 cases[i].sysctl);
		ck_assert_int_eq(parse_with(extra), -1);
		ck_assert_msg(strstr(err, cases[i].error), "%s: got \"%s\"", cases[i].sysctl, err);
	}
	ck_assert_int_eq(parse_with(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\"},"
				    "{\"type\":\"ipc\"}],\"sysctl\":{\"net.ipv4.ping_group_range\":\"0 2147483647\","
				    "\"kernel.shmmni\":\"1024\",\"fs.mqueue.msg_max\":\"20\"}}"), 0);
	ck_assert_int_eq(config.nsysctls, 3);
	ck_assert_str_eq(config.sysctl[0].key, "net.ipv4.ping_group_range");
	ck_assert_str_eq(config.sysctl[0].value, "0 2147483647");
}
END_TEST

/* linux.cgroupsPath, both forms, as the place below /sys/fs/cgroup. */
/* What ctr sent for --uidmap 0:100000:65536 --gidmap 0:100000:65536. */
START_TEST(ctr_uidmap_sample)
{
	ck_assert_msg(parse_sample("config-ctr-run-kontainer-flags.json") == 0, "%s", err);
	ck_assert_int_eq(config.namespaces & CLONE_NEWUSER, CLONE_NEWUSER);
	ck_assert_int_eq(config.nuid_map, 1);
	ck_assert_int_eq(config.ngid_map, 1);
	ck_assert_uint_eq(config.uid_map[0].container, 0);
	ck_assert_uint_eq(config.uid_map[0].host, 100000);
	ck_assert_uint_eq(config.uid_map[0].size, 65536);
	ck_assert_uint_eq(config.gid_map[0].host, 100000);
	ck_assert(id_mapped(config.uid_map, config.nuid_map, 65535));
	ck_assert(!id_mapped(config.uid_map, config.nuid_map, 65536));
	char text[64];
	id_map_text(config.uid_map, config.nuid_map, text, sizeof text);
	ck_assert_str_eq(text, "0 100000 65536\n");
}
END_TEST

/* linux.namespaces, uidMappings and gidMappings spliced into the
 * smallest config whose process runs as USER ("" for uid 0). */
static int parse_userns(const char *namespaces, const char *uid_maps, const char *gid_maps, const char *user)
{
	static char text[1 << 16];
	snprintf(text, sizeof text, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"%s},"
		 "\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[%s]%s%s%s%s%s}}", user, namespaces,
		 uid_maps ? ",\"uidMappings\":" : "", uid_maps ? uid_maps : "",
		 gid_maps ? ",\"gidMappings\":" : "", gid_maps ? gid_maps : "", "");
	return parse_text(text);
}

#define USERNS "{\"type\":\"mount\"},{\"type\":\"user\"}"
#define MAP(c, h, n) "{\"containerID\":" #c ",\"hostID\":" #h ",\"size\":" #n "}"

/* Several ranges, in any order, edges included; the process's ids inside them. */
START_TEST(id_mappings_read)
{
	const char *uids = "[" MAP(1000, 200000, 1) "," MAP(0, 100000, 1000) "," MAP(1001, 200001, 4294767294) "]";
	ck_assert_msg(parse_userns(USERNS, uids, "[" MAP(0, 0, 4294967294) "]",
				   ",\"user\":{\"uid\":1000,\"gid\":5,\"additionalGids\":[4294967293]}") == 0, "%s", err);
	ck_assert_int_eq(config.nuid_map, 3);
	ck_assert_uint_eq(config.uid_map[2].size, 4294767294u);
	ck_assert(id_mapped(config.uid_map, config.nuid_map, 4294768294u));
	ck_assert(!id_mapped(config.uid_map, config.nuid_map, 4294768295u));
	char text[128];
	id_map_text(config.uid_map, config.nuid_map, text, sizeof text);
	ck_assert_str_eq(text, "1000 200000 1\n0 100000 1000\n1001 200001 4294767294\n");
	/* the kernel's most: 340 ranges (their text, 3630 bytes, under a page) */
	static char many[340 * 64 + 4];
	size_t len = snprintf(many, sizeof many, "[");
	for (int i = 0; i < 340; i++)
		len += snprintf(many + len, sizeof many - len, "%s{\"containerID\":%d,\"hostID\":%d,\"size\":1}",
				i ? "," : "", i, 1000 + i);
	snprintf(many + len, sizeof many - len, "]");
	ck_assert_msg(parse_userns(USERNS, many, many, "") == 0, "%s", err);
	ck_assert_int_eq(config.nuid_map, 340);
	snprintf(many + len, sizeof many - len, ",{\"containerID\":400,\"hostID\":1,\"size\":1}]");
	ck_assert_int_eq(parse_userns(USERNS, many, many, ""), -1);
	ck_assert_str_eq(err, "config.json: linux.uidMappings: more than 340 ranges, the most the kernel takes in one map");
	/* fewer ranges, whose text runs past 4095 bytes: the kernel refuses
	 * the write (EINVAL); the parser names the range that crosses */
	len = snprintf(many, sizeof many, "[");
	for (int i = 0; i < 301; i++)
		len += snprintf(many + len, sizeof many - len, "%s{\"containerID\":%d,\"hostID\":%d,\"size\":1}",
				i ? "," : "", 1000000 + i, 100000000 + i);
	snprintf(many + len, sizeof many - len, "]");
	ck_assert_int_eq(parse_userns(USERNS, "[" MAP(0, 100000, 65536) "]", many, ""), -1);
	ck_assert_str_eq(err, "config.json: linux.gidMappings[204]: with it, the map is 4100 bytes of text, more "
			 "than the 4095 the kernel takes in one write to /proc/PID/gid_map: use fewer, wider ranges");
}
END_TEST

/* Every bad map, and a user namespace without maps or the reverse, is
 * an error naming the field. */
START_TEST(bad_id_mappings_named)
{
	static const struct { const char *ns, *uids, *gids, *user, *error; } cases[] = {
		{ USERNS, NULL, NULL, "", "linux.namespaces has \"user\" but linux.uidMappings is missing or empty" },
		{ USERNS, "[]", "[" MAP(0, 1, 1) "]", "", "linux.namespaces has \"user\" but linux.uidMappings is missing or empty" },
		{ USERNS, "[" MAP(0, 1, 1) "]", NULL, "", "linux.namespaces has \"user\" but linux.gidMappings is missing or empty" },
		{ "{\"type\":\"mount\"}", "[" MAP(0, 1, 1) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings is set but linux.namespaces has no \"user\"" },
		{ "{\"type\":\"mount\"}", NULL, "[" MAP(0, 1, 1) "]", "",
		  "linux.gidMappings is set but linux.namespaces has no \"user\"" },
		{ USERNS, "[" MAP(0, 1, 0) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].size: 0 is out of range (1..4294967294)" },
		{ USERNS, "[" MAP(0, 1, 1) "]", "[" MAP(0, 1, -5) "]", "",
		  "linux.gidMappings[0].size: -5 is out of range (1..4294967294)" },
		{ USERNS, "[" MAP(-1, 1, 1) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].containerID: -1 is out of range (0..4294967294)" },
		{ USERNS, "[" MAP(0, 4294967295, 1) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].hostID: 4294967295 is out of range (0..4294967294)" },
		{ USERNS, "[" MAP(0, 1, 1) "]", "[" MAP(0, 1, 1) "," MAP(4294967290, 5, 6) "]", "",
		  "linux.gidMappings[1]: containerID 4294967290 + size 6 runs past id 4294967294" },
		{ USERNS, "[" MAP(0, 4294967290, 6) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0]: hostID 4294967290 + size 6 runs past id 4294967294" },
		{ USERNS, "[" MAP(0, 100000, 65536) "," MAP(65535, 300000, 10) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[1] overlaps linux.uidMappings[0] in the container ids (65535-65544 and 0-65535)" },
		{ USERNS, "[" MAP(0, 100000, 65536) "," MAP(70000, 99999, 2) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[1] overlaps linux.uidMappings[0] in the host ids (99999-100000 and 100000-165535)" },
		{ USERNS, "[" MAP(0, 1, 1) "]", "[" MAP(5, 10, 5) "," MAP(0, 1, 1) "," MAP(2, 14, 1) "]", "",
		  "linux.gidMappings[2] overlaps linux.gidMappings[0] in the host ids (14-14 and 10-14)" },
		{ USERNS, "[{\"containerID\":0,\"size\":1}]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].hostID is missing" },
		{ USERNS, "[{\"containerID\":0,\"hostID\":1}]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].size is missing" },
		{ USERNS, "[{\"hostID\":0,\"size\":1}]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].containerID is missing" },
		{ USERNS, "[{\"containerID\":\"0\",\"hostID\":1,\"size\":1}]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings[0].containerID must be an integer" },
		{ USERNS, "[{\"containerID\":0,\"hostID\":1,\"size\":1,\"x\":1}]", "[" MAP(0, 1, 1) "]", "",
		  "unknown field linux.uidMappings[0].x" },
		{ USERNS, "[7]", "[" MAP(0, 1, 1) "]", "", "linux.uidMappings[0] must be an object" },
		{ USERNS, "{}", "[" MAP(0, 1, 1) "]", "", "linux.uidMappings must be an array" },
		{ USERNS, "[" MAP(1, 1, 1) "]", "[" MAP(0, 1, 1) "]", "",
		  "linux.uidMappings maps no host id onto container uid 0: the container's root sets the "
		  "container up, and must exist in it; add a range from 0, like {\"containerID\": 0, "
		  "\"hostID\": 100000, \"size\": 65536}" },
		{ USERNS, "[" MAP(0, 1, 1) "]", "[" MAP(1, 1, 1) "]", "",
		  "linux.gidMappings maps no host id onto container gid 0: the container's root sets the "
		  "container up, and must exist in it; add a range from 0, like {\"containerID\": 0, "
		  "\"hostID\": 100000, \"size\": 65536}" },
		{ USERNS, "[" MAP(0, 1, 1000) "]", "[" MAP(0, 1, 1000) "]", ",\"user\":{\"uid\":1000,\"gid\":0}",
		  "process.user.uid 1000 is not mapped by linux.uidMappings" },
		{ USERNS, "[" MAP(0, 1, 1001) "]", "[" MAP(0, 1, 1000) "]", ",\"user\":{\"uid\":1000,\"gid\":1000}",
		  "process.user.gid 1000 is not mapped by linux.gidMappings" },
		{ USERNS, "[" MAP(0, 1, 1001) "]", "[" MAP(0, 1, 1001) "]",
		  ",\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[5,1001]}",
		  "process.user.additionalGids[1] 1001 is not mapped by linux.gidMappings" },
		{ "{\"type\":\"mount\"},{\"type\":\"time\"}", NULL, NULL, "", "a time namespace is not supported" },
	};
	for (size_t i = 0; i < LEN(cases); i++) {
		ck_assert_msg(parse_userns(cases[i].ns, cases[i].uids, cases[i].gids, cases[i].user) == -1,
			      "case %zu (%s) parsed", i, cases[i].error);
		ck_assert_msg(strstr(err, cases[i].error), "case %zu: expected \"%s\", got \"%s\"", i,
			      cases[i].error, err);
	}
}
END_TEST

/* exec's process.json: its user must exist in the container's namespace. */
START_TEST(exec_user_must_be_mapped)
{
	struct reader r = { .file = "process.json" };
	struct oci_process p = { .uid = 70000, .gid = 0 };
	ck_assert_int_eq(parse_userns(USERNS, "[" MAP(0, 100000, 65536) "]", "[" MAP(0, 100000, 65536) "]", ""), 0);
	check_user_mapped(&r, &config, &p);
	ck_assert_str_eq(r.err, "process.json: process.user.uid 70000 is not mapped by linux.uidMappings: "
			 "it would not exist in the container's user namespace");
	p.uid = 65535;
	r.err[0] = '\0';
	check_user_mapped(&r, &config, &p);
	ck_assert_str_eq(r.err, "");
}
END_TEST

/* linux.namespaces[].path: joined, not made; every bad one named. */
START_TEST(namespace_paths_read)
{
	ck_assert_msg(parse_userns("{\"type\":\"mount\"},{\"type\":\"pid\"},"
				   "{\"type\":\"network\",\"path\":\"/proc/7/ns/net\"},"
				   "{\"type\":\"user\",\"path\":\"/run/userns/a\"},{\"type\":\"ipc\",\"path\":\"\"}",
				   NULL, NULL, "") == 0, "%s", err);
	ck_assert_int_eq(config.namespaces, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC);
	ck_assert_int_eq(config.joined, CLONE_NEWNET | CLONE_NEWUSER);
	ck_assert_int_eq(config.njoin, 2);
	ck_assert_str_eq(config.join[0].type, "network");
	ck_assert_str_eq(config.join[0].path, "/proc/7/ns/net");
	ck_assert_int_eq(config.join[1].flag, CLONE_NEWUSER);
	/* a joined uts namespace may take a hostname, a joined network one a net.* sysctl */
	ck_assert_int_eq(parse_with_linux(",\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},"
					  "{\"type\":\"uts\",\"path\":\"/proc/7/ns/uts\"},{\"type\":\"network\","
					  "\"path\":\"/proc/7/ns/net\"}],\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}}"), 0);
	ck_assert_int_eq(config.sysctl[0].namespace, CLONE_NEWNET);
	static const struct { const char *ns, *uids, *error; } bad[] = {
		{ "{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"proc/7/ns/net\"}", NULL,
		  "linux.namespaces[1] network: path \"proc/7/ns/net\" must be an absolute path (/proc/PID/ns/net)" },
		{ "{\"type\":\"mount\",\"path\":\"/proc/7/ns/mnt\"}", NULL,
		  "linux.namespaces[0] mount: joining a mount namespace (path) is not supported" },
		{ "{\"type\":\"mount\"},{\"type\":\"ipc\"},{\"type\":\"ipc\",\"path\":\"/proc/7/ns/ipc\"}", NULL,
		  "linux.namespaces[2]: \"ipc\" is listed twice" },
		{ "{\"type\":\"mount\"},{\"type\":\"mount\"}", NULL, "linux.namespaces[1]: \"mount\" is listed twice" },
		{ "{\"type\":\"mount\"},{\"type\":\"net\",\"path\":\"/proc/7/ns/net\"}", NULL,
		  "linux.namespaces[1]: unknown type \"net\" (expected pid, network, mount, ipc, uts, cgroup or user)" },
		{ "{\"type\":\"mount\"},{\"type\":\"user\",\"path\":\"/proc/7/ns/user\"}", "[" MAP(0, 1, 1) "]",
		  "linux.uidMappings is set but the user namespace is joined by path: it has its maps already" },
		{ "{\"type\":\"mount\"},{\"type\":\"pid\",\"path\":7}", NULL,
		  "linux.namespaces[1].path must be a string" },
	};
	for (size_t i = 0; i < LEN(bad); i++) {
		ck_assert_msg(parse_userns(bad[i].ns, bad[i].uids, NULL, "") == -1, "case %zu parsed", i);
		ck_assert_msg(strstr(err, bad[i].error), "case %zu: expected \"%s\", got \"%s\"", i, bad[i].error, err);
	}
}
END_TEST

/* mounts[].destination through symlinks in a rootfs: resolved inside it,
 * never out of it, whatever the link says. */
START_TEST(destinations_resolved_in_root)
{
	char dir[] = "/tmp/oci-unit-root-XXXXXX", out[PATH_MAX], path[PATH_MAX + 32];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	static const char *const dirs[] = { "run", "var", "etc", "a", "a/b" };
	for (size_t i = 0; i < LEN(dirs); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
	static const char *const links[][2] = {
		{ "../run", "var/run" }, { "/../../etc", "evil" }, { "../../../../../etc", "a/b/up" },
		{ "/var/run", "abs" }, { "loop2", "loop1" }, { "loop1", "loop2" }, { "b/up/x", "a/chain" },
		{ "/proc/self/root/etc", "magic" },
	};
	for (size_t i = 0; i < LEN(links); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, links[i][1]);
		ck_assert_int_eq(symlink(links[i][0], path), 0);
	}
	int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	static const struct { const char *destination, *resolved; } cases[] = {
		{ "/var/run/x.sock", "/run/x.sock" },   /* a relative link, the rest to be made */
		{ "/var/run", "/run" },
		{ "/evil/passwd", "/etc/passwd" },      /* absolute, climbing: stays inside */
		{ "/a/b/up/shadow", "/etc/shadow" },
		{ "/abs/y", "/run/y" },                 /* a link to a link */
		{ "/a/chain", "/etc/x" },
		{ "/magic/z", "/proc/self/root/etc/z" }, /* /proc of the rootfs, not ours: not there */
		{ "/a/./b//", "/a/b" },
		{ "/", "/" },
		{ "/new/deeper", "/new/deeper" },
	};
	for (size_t i = 0; i < LEN(cases); i++) {
		ck_assert_msg(resolve_destination(root, cases[i].destination, out, sizeof out) == 0, "%s: %s",
			      cases[i].destination, strerror(errno));
		ck_assert_msg(!strcmp(out, cases[i].resolved), "%s: got %s, expected %s", cases[i].destination,
			      out, cases[i].resolved);
	}
	ck_assert_int_eq(resolve_destination(root, "/loop1/x", out, sizeof out), -1);
	ck_assert_int_eq(errno, ELOOP);
	close(root);
	static const char *const gone[] = {
		"var/run", "evil", "a/b/up", "abs", "loop1", "loop2", "a/chain", "magic", "a/b", "a", "etc", "var", "run" };
	for (size_t i = 0; i < LEN(gone); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, gone[i]);
		ck_assert_int_eq(remove(path), 0);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(cgroups_path_forms)
{
	static const struct { const char *path, *place; } good[] = {
		{ "/docker/abc", "/docker/abc" },
		{ "docker/abc", "/docker/abc" },
		{ "system.slice:docker:abc", "/system.slice/docker-abc.scope" },
		{ ":docker:abc", "/system.slice/docker-abc.scope" },
		{ "machine-foo.slice:libpod:x1", "/machine.slice/machine-foo.slice/libpod-x1.scope" },
		{ "a-b-c.slice:p:n", "/a.slice/a-b.slice/a-b-c.slice/p-n.scope" },
		{ "-.slice:p:n", "/p-n.scope" },
		{ "user.slice:p:my.slice", "/user.slice/my.slice" },
	};
	static const struct { const char *path, *error; } bad[] = {
		{ "/docker/../etc", "linux.cgroupsPath \"/docker/../etc\" must not hold \"..\"" },
		{ "/", "linux.cgroupsPath \"/\" must name a cgroup below the root" },
		{ "//", "must name a cgroup below the root" },
		{ "/docker/./x", "must name a cgroup below the root" },
		{ "/.", "must name a cgroup below the root" },
		{ "/./", "must name a cgroup below the root" },
		{ "system.slice:docker", "expected a path or systemd's SLICE:PREFIX:NAME" },
		{ "system.slice:docker:a:b", "expected a path or systemd's SLICE:PREFIX:NAME" },
		{ "system.slice::abc", "expected a path or systemd's SLICE:PREFIX:NAME" },
		{ "system.slice:docker:", "expected a path or systemd's SLICE:PREFIX:NAME" },
		{ "system:docker:abc", "\"system\" is not a slice (a name ending in .slice)" },
		{ "a--b.slice:p:n", "slice \"a--b.slice\" has an empty part between dashes" },
		{ "system.slice:do/cker:abc", "SLICE:PREFIX:NAME are names, without '/'" },
	};
	char text[512];
	for (size_t i = 0; i < LEN(good); i++) {
		snprintf(text, sizeof text, ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"cgroupsPath\":\"%s\"}",
			 good[i].path);
		ck_assert_msg(parse_with_linux(text) == 0, "%s: %s", good[i].path, err);
		ck_assert_str_eq(config.cgroup_rel, good[i].place);
		ck_assert_int_eq(config.cgroup_systemd, strchr(good[i].path, ':') != NULL);
	}
	for (size_t i = 0; i < LEN(bad); i++) {
		snprintf(text, sizeof text, ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"cgroupsPath\":\"%s\"}",
			 bad[i].path);
		ck_assert_int_eq(parse_with_linux(text), -1);
		ck_assert_msg(strstr(err, bad[i].error), "%s: got \"%s\"", bad[i].path, err);
	}
}
END_TEST

/* delete and kill --all never work on a hierarchy's root, however the
 * state spells it. */
START_TEST(hierarchy_roots)
{
	ck_assert(hierarchy_root("/sys/fs/cgroup", 2));
	ck_assert(hierarchy_root("/sys/fs/cgroup/", 2));
	ck_assert(hierarchy_root("/sys/fs/cgroup//./", 2));
	ck_assert(!hierarchy_root("/sys/fs/cgroup/docker", 2));
	ck_assert(hierarchy_root("/sys/fs/cgroup/memory", 1));
	ck_assert(hierarchy_root("/sys/fs/cgroup/memory//.", 1));
	ck_assert(!hierarchy_root("/sys/fs/cgroup/memory/docker/x", 1));
	ck_assert(!hierarchy_root("/sys/fs/cgroup/memory/./docker", 1));
	/* a state that climbs, or names no cgroup, counts as a root: never touched */
	ck_assert(hierarchy_root("/sys/fs/cgroup/pids/a/b/..", 1));
	ck_assert(hierarchy_root("/sys/fs/cgroup/pids/a/../../pids", 1));
	ck_assert(hierarchy_root("/sys/fs/cgroup/a/..", 2));
	ck_assert(hierarchy_root("/etc/a/b", 2));
	ck_assert(hierarchy_root("/sys/fs/cgroupx/a/b", 1));
	ck_assert(!hierarchy_root("/sys/fs/cgroup/a/..b", 2));
}
END_TEST

/* The config's limits as cgroup v2 writes them. */
START_TEST(v2_limit_values)
{
	char v[V2_NKNOBS][64], e[256];
	struct oci_config c = { .memory_limit = 134217728, .memory_swap = 201326592, .cpu_shares = 1024,
				.cpu_quota = 50000, .cpu_period = 100000, .pids_limit = 20 };
	ck_assert_int_eq(v2_limits(&c, v, e, sizeof e), 0);
	ck_assert_str_eq(v[V2_MEMORY_MAX], "134217728");
	ck_assert_str_eq(v[V2_SWAP_MAX], "67108864");       /* swap alone */
	ck_assert_str_eq(v[V2_CPU_WEIGHT], "39");
	ck_assert_str_eq(v[V2_CPU_MAX], "50000 100000");
	ck_assert_str_eq(v[V2_PIDS_MAX], "20");
	c = (struct oci_config){ .memory_limit = -1, .memory_swap = -1, .cpu_shares = 2, .cpu_quota = -1,
				 .pids_limit = -1 };
	ck_assert_int_eq(v2_limits(&c, v, e, sizeof e), 0);
	ck_assert_str_eq(v[V2_MEMORY_MAX], "max");
	ck_assert_str_eq(v[V2_SWAP_MAX], "max");
	ck_assert_str_eq(v[V2_CPU_WEIGHT], "1");
	ck_assert_str_eq(v[V2_CPU_MAX], "max 100000");
	ck_assert_str_eq(v[V2_PIDS_MAX], "max");
	c = (struct oci_config){ .cpu_shares = 262144, .cpu_period = 20000 };
	ck_assert_int_eq(v2_limits(&c, v, e, sizeof e), 0);
	ck_assert_str_eq(v[V2_CPU_WEIGHT], "10000");
	ck_assert_str_eq(v[V2_CPU_MAX], "max 20000");
	ck_assert_str_eq(v[V2_MEMORY_MAX], "");            /* zeros: unset, left alone */
	ck_assert_str_eq(v[V2_PIDS_MAX], "");
	c = (struct oci_config){ .memory_swap = 1000000 };
	ck_assert_int_eq(v2_limits(&c, v, e, sizeof e), -1);
	ck_assert_ptr_nonnull(strstr(e, "linux.resources.memory.swap needs linux.resources.memory.limit"));
}
END_TEST

/* process.apparmorProfile is read (applied at exec); selinuxLabel is refused. */
START_TEST(apparmor_profile_read)
{
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"apparmorProfile\":\"docker-default\"},\"root\":{\"path\":\"r\"},"
				    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}"), 0);
	ck_assert_str_eq(config.process.apparmor, "docker-default");
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"apparmorProfile\":\"a\\nb\"},\"root\":{\"path\":\"r\"},"
				    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "process.apparmorProfile"));
	ck_assert_int_eq(parse_text("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
				    "\"selinuxLabel\":\"x\"},\"root\":{\"path\":\"r\"},"
				    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "process.selinuxLabel is not supported"));
}
END_TEST

/* The v2 device program, for real: loaded and attached to a cgroup of the
 * cgroup2 hierarchy (/sys/fs/cgroup on a v2 host, /sys/fs/cgroup/unified
 * on a hybrid one, where the v1 devices controller lets everything
 * through and only the program decides), with a child in it trying
 * devices.  Root only. */
static const char *cgroup2_mount(void)
{
	static const char *const places[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct statfs fs;
	for (size_t i = 0; i < LEN(places); i++)
		if (statfs(places[i], &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
			return places[i];
	return NULL;
}

/* What the child in DIR can do: one errno per try (0: it worked). */
enum { T_NULL_RW, T_KMSG_R, T_KMSG_W, T_FULL_RW, T_FUSE_RW, T_MKNOD_BLOCK, T_OPEN_BLOCK, T_MKNOD_NULL, T_NTRIES };

static void try_devices(const char *dir, const char *scratch, int results[T_NTRIES])
{
	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char path[PATH_MAX + 32];
		int r[T_NTRIES];
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		if (write_file(path, "0") < 0)
			_exit(99);
#define TRY_OPEN(i, file, mode) do { int fd = open(file, mode | O_CLOEXEC); r[i] = fd < 0 ? errno : 0; if (fd >= 0) close(fd); } while (0)
		TRY_OPEN(T_NULL_RW, "/dev/null", O_RDWR);
		snprintf(path, sizeof path, "%s/kmsg", scratch);
		TRY_OPEN(T_KMSG_R, path, O_RDONLY);
		TRY_OPEN(T_KMSG_W, path, O_WRONLY);
		TRY_OPEN(T_FULL_RW, "/dev/full", O_RDWR);
		snprintf(path, sizeof path, "%s/fuse", scratch);
		TRY_OPEN(T_FUSE_RW, path, O_RDWR);
		snprintf(path, sizeof path, "%s/sda-by-child", scratch);
		r[T_MKNOD_BLOCK] = mknod(path, S_IFBLK | 0600, makedev(8, 0)) < 0 ? errno : 0;
		snprintf(path, sizeof path, "%s/sda", scratch);
		TRY_OPEN(T_OPEN_BLOCK, path, O_RDONLY | O_NONBLOCK);
		snprintf(path, sizeof path, "%s/null-by-child", scratch);
		r[T_MKNOD_NULL] = mknod(path, S_IFCHR | 0600, makedev(1, 3)) < 0 ? errno : 0;
		if (write(pipefd[1], r, sizeof r) != sizeof r)
			_exit(98);
		_exit(0);
	}
	close(pipefd[1]);
	int status;
	ck_assert_int_eq(read(pipefd[0], results, sizeof(int) * T_NTRIES), (ssize_t)(sizeof(int) * T_NTRIES));
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	ck_assert_int_eq(status, 0);
}

/* cgroup v2 delegation to a user namespace's root, on a real cgroup2
 * directory: the directory and the files /sys/kernel/cgroup/delegate
 * lists become its ids; the others (cgroup.max.depth here) stay root's. */
START_TEST(v2_cgroup_delegated)
{
	const char *v2 = cgroup2_mount();
	if (geteuid() != 0 || !v2) {
		fprintf(stderr, "# v2_cgroup_delegated: skipped (needs root and a cgroup2 mount)\n");
		return;
	}
	char dir[PATH_MAX], path[PATH_MAX + 32], e[1024] = "";
	struct stat st;
	snprintf(dir, sizeof dir, "%s/oci-unit-delegate-%d", v2, getpid());
	ck_assert_msg(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	int rc = delegate_v2_cgroup(dir, 101000, 102000, e, sizeof e);
	int owned[3] = { -1, -1, -1 }, kept = -1;
	static const char *const files[] = { "", "/cgroup.procs", "/cgroup.subtree_control" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", dir, files[i]);
		owned[i] = stat(path, &st) == 0 && st.st_uid == 101000 && st.st_gid == 102000;
	}
	snprintf(path, sizeof path, "%s/cgroup.max.depth", dir);
	kept = stat(path, &st) == 0 && st.st_uid == 0;
	ck_assert_msg(rmdir(dir) == 0, "rmdir %s: %s", dir, strerror(errno));
	ck_assert_msg(rc == 0, "%s", e);
	ck_assert_msg(owned[0] && owned[1] && owned[2], "not delegated: dir %d, cgroup.procs %d, "
		      "cgroup.subtree_control %d", owned[0], owned[1], owned[2]);
	ck_assert_msg(kept, "cgroup.max.depth was given away too");
	ck_assert_int_eq(delegate_v2_cgroup("/nonexistent-cgroup", 1, 1, e, sizeof e), -1);
	ck_assert_str_eq(e, "/nonexistent-cgroup: No such file or directory");
}
END_TEST

START_TEST(v2_device_program)
{
	const char *v2 = cgroup2_mount();
	if (geteuid() != 0 || !v2) {
		fprintf(stderr, "# v2_device_program: skipped (needs root and a cgroup2 mount)\n");
		return;
	}
	char dir[PATH_MAX], scratch[] = "/tmp/oci-unit-dev.XXXXXX", path[PATH_MAX + 32], e[512];
	snprintf(dir, sizeof dir, "%s/oci-unit-%d", v2, getpid());
	ck_assert_msg(mkdtemp(scratch), "mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof path, "%s/sda", scratch);
	ck_assert_int_eq(mknod(path, S_IFBLK | 0600, makedev(8, 0)), 0);
	snprintf(path, sizeof path, "%s/kmsg", scratch);
	ck_assert_int_eq(mknod(path, S_IFCHR | 0600, makedev(1, 11)), 0);
	snprintf(path, sizeof path, "%s/fuse", scratch);
	ck_assert_int_eq(mknod(path, S_IFCHR | 0600, makedev(10, 229)), 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	/* deny all; /dev/null (1:3) rwm; kmsg (1:11) rw, then its w taken
	 * back by a later rule; /dev/full only as one of the runtime's own;
	 * fuse (10:229) named by no rule */
	const struct oci_device_rule rules[] = {
		{ false, 'a', -1, -1, "rwm" }, { true, 'c', 1, 3, "rwm" }, { true, 'c', 1, 11, "rw" },
		{ false, 'c', 1, 11, "w" },
	};
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = attach_device_program(fd, rules, LEN(rules), e, sizeof e);
	close(fd);
	int r[T_NTRIES] = { 0 };
	if (rc == 0)
		try_devices(dir, scratch, r);
	rmdir(dir);
	snprintf(path, sizeof path, "rm -rf %s", scratch);
	ck_assert_int_eq(system(path), 0);
	ck_assert_msg(rc == 0, "%s", e);
	ck_assert_int_eq(r[T_NULL_RW], 0);
	ck_assert_int_eq(r[T_KMSG_R], 0);
	ck_assert_int_eq(r[T_KMSG_W], EPERM);          /* the later deny wins */
	ck_assert_int_eq(r[T_FULL_RW], 0);             /* the runtime's own node */
	ck_assert_int_eq(r[T_FUSE_RW], EPERM);         /* named by no rule */
	ck_assert_int_eq(r[T_MKNOD_BLOCK], EPERM);     /* host root cannot make a disk ... */
	ck_assert_int_eq(r[T_OPEN_BLOCK], EPERM);      /* ... nor open one made for it */
	ck_assert_int_eq(r[T_MKNOD_NULL], 0);          /* m allowed for 1:3 */
}
END_TEST

START_TEST(signals_by_number_and_name)
{
	ck_assert_int_eq(parse_signal("9"), SIGKILL);
	ck_assert_int_eq(parse_signal("KILL"), SIGKILL);
	ck_assert_int_eq(parse_signal("SIGTERM"), SIGTERM);
	ck_assert_int_eq(parse_signal("sigusr1"), SIGUSR1);
	ck_assert_int_eq(parse_signal("0"), -1);
	ck_assert_int_eq(parse_signal("BOGUS"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oci_unit");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, ctr_run_rm);
	tcase_add_test(tc, engine_samples_read);
	tcase_add_test(tc, engine_process_files_read);
	tcase_add_test(tc, device_rules_as_cgroup_v1_text);
	tcase_add_test(tc, unsupported_fields_named);
	tcase_add_test(tc, docker_seccomp_profile);
	tcase_add_test(tc, unknown_syscall_skipped);
	tcase_add_test(tc, bad_seccomp_named);
	tcase_add_test(tc, docker_hook_read);
	tcase_add_test(tc, bad_hooks_named);
	tcase_add_test(tc, unknown_field_named);
	tcase_add_test(tc, bad_values_named);
	tcase_add_test(tc, bad_json_located);
	tcase_add_test(tc, array_elements_indexed);
	tcase_add_test(tc, resource_zeros_are_unset);
	tcase_add_test(tc, sysctl_namespaced_only);
	tcase_add_test(tc, signals_by_number_and_name);
	tcase_add_test(tc, ctr_uidmap_sample);
	tcase_add_test(tc, id_mappings_read);
	tcase_add_test(tc, bad_id_mappings_named);
	tcase_add_test(tc, exec_user_must_be_mapped);
	tcase_add_test(tc, namespace_paths_read);
	tcase_add_test(tc, destinations_resolved_in_root);
	tcase_add_test(tc, cgroups_path_forms);
	tcase_add_test(tc, hierarchy_roots);
	tcase_add_test(tc, v2_limit_values);
	tcase_add_test(tc, apparmor_profile_read);
	tcase_add_test(tc, v2_device_program);
	tcase_add_test(tc, v2_cgroup_delegated);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
