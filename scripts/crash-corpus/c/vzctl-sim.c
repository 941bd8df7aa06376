/*
 * vzctl-sim: a tiny vzctl-like container tool with deliberate bugs, used to
 * produce real crashes for the labelled crash corpus.
 *
 *   vzctl-sim set-config   -> bug vzctl/parse_entry-null-param   (SIGSEGV in parse_entry)
 *   vzctl-sim set-hostname -> bug vzctl/set_hostname-strlen-null (SIGSEGV in strlen, via set_hostname)
 *   vzctl-sim status       -> bug vzctl/print_status-strlen-null (SIGSEGV in strlen, via print_status)
 *   vzctl-sim start        -> bug vzctl/start_service-assert-veid (SIGABRT, assert in start_service)
 *   vzctl-sim destroy      -> bug vzctl/destroy_env-double-free  (SIGABRT, glibc double free)
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#ifdef CORPUS_SHIFT
/* Shifted variant: extra unused code placed before the real functions. */
static volatile long shift_counter;
__attribute__((used)) static void vzctl_unused_debug_dump(const char *tag, int n)
{
	for (int i = 0; i < n; i++) {
		shift_counter += (long)tag[i % 4] * i;
		if (shift_counter & 1)
			fprintf(stderr, "debug %s %d %ld\n", tag, i, shift_counter);
	}
}
#endif

struct vps_param {
	const char *name;
	int seen;
	char value[64];
};

struct vps_env {
	int veid;
	char *hostname;
	char *ostemplate;
	char *root;
	char *private_dir;
	char status_line[256];
};

static struct vps_param param_table[] = {
	{ "ONBOOT", 0, "" },
	{ "OSTEMPLATE", 0, "" },
	{ "VE_ROOT", 0, "" },
	{ "VE_PRIVATE", 0, "" },
	{ "IP_ADDRESS", 0, "" },
};

static const char *sample_config[] = {
	"ONBOOT=\"yes\"",
	"OSTEMPLATE=\"centos-7-x86_64\"",
	"VE_ROOT=\"/vz/root/101\"",
	"DISKSPACE=\"10G:11G\"",	/* unknown key -> find_param() returns NULL */
	"IP_ADDRESS=\"10.0.0.101\"",
	NULL,
};

/* helper: may be inlined at -O1/-O2 */
static struct vps_param *find_param(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(param_table) / sizeof(param_table[0]); i++)
		if (strlen(param_table[i].name) == len &&
		    strncmp(param_table[i].name, name, len) == 0)
			return &param_table[i];
	return NULL;
}

/* BUG: no NULL check on the result of find_param() */
__attribute__((noinline)) static int parse_entry(const char *line)
{
	const char *eq = strchr(line, '=');
	if (eq == NULL)
		return -1;
	struct vps_param *p = find_param(line, (size_t)(eq - line));
	p = opaque_ptr(p);
	p->seen++;
	snprintf(p->value, sizeof(p->value), "%s", eq + 1);
	return 0;
}

__attribute__((noinline)) static int load_config(int veid, const char **lines)
{
	int n = 0;
	log_msg("loading config for CT %d", veid);
	for (; *lines != NULL; lines++) {
		if (parse_entry(*lines) == 0)
			n++;
	}
	return n;
}

/* helper shared by the two strlen near-miss bugs */
__attribute__((noinline)) static size_t fmt_env_field(char *buf, size_t size,
						      const char *label, const char *val)
{
	size_t used = strlen(buf);
	size_t vlen = strlen(val);	/* crashes when val == NULL */
	if (used + strlen(label) + vlen + 3 < size) {
		strcat(buf, label);
		strcat(buf, "=");
		strcat(buf, val);
		strcat(buf, " ");
	}
	return vlen;
}

/* BUG (near miss A): hostname taken from an unset option, passed as NULL */
__attribute__((noinline)) static int set_hostname(struct vps_env *env, const char *name)
{
	env->status_line[0] = '\0';
	fmt_env_field(env->status_line, sizeof(env->status_line), "HOSTNAME", name);
	env->hostname = xstrdup(name);
	return 0;
}

/* BUG (near miss B): ostemplate is never loaded for a stopped CT */
__attribute__((noinline)) static void print_status(struct vps_env *env)
{
	env->status_line[0] = '\0';
	fmt_env_field(env->status_line, sizeof(env->status_line), "VEID", "101");
	fmt_env_field(env->status_line, sizeof(env->status_line), "OSTEMPLATE",
		      env->ostemplate);
	puts(env->status_line);
}

/* BUG: veid 0 is the host, the assert fires */
__attribute__((noinline)) static int start_service(struct vps_env *env, const char *svc)
{
	assert(env->veid > 0 && "cannot start service on VE0");
	log_msg("starting %s in CT %d", svc, env->veid);
	return 0;
}

static void release_env(struct vps_env *env)
{
	free(env->root);
	free(env->private_dir);
}

/* BUG: release_env() already freed env->root */
__attribute__((noinline)) static void destroy_env(struct vps_env *env)
{
	release_env(env);
	free(env->root);
	env->root = NULL;
	free(env);
}

static struct vps_env *env_new(int veid)
{
	struct vps_env *env = xmalloc(sizeof(*env));
	memset(env, 0, sizeof(*env));
	env->veid = (int)opaque_long(veid);
	env->root = xstrdup("/vz/root/101");
	env->private_dir = xstrdup("/vz/private/101");
	return env;
}

static int cmd_set_config(int veid) { return load_config(veid, sample_config); }
static int cmd_set_hostname(struct vps_env *env) { return set_hostname(env, opaque_ptr(NULL)); }
static int cmd_status(struct vps_env *env) { print_status(env); return 0; }
static int cmd_start(struct vps_env *env) { return start_service(env, "sshd"); }

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s set-config|set-hostname|status|start|destroy\n", argv[0]);
		return 1;
	}
	const char *cmd = argv[1];
	struct vps_env *env = env_new(strcmp(cmd, "start") == 0 ? 0 : 101);

	if (strcmp(cmd, "set-config") == 0)
		return cmd_set_config(101) > 0 ? 0 : 1;
	if (strcmp(cmd, "set-hostname") == 0)
		return cmd_set_hostname(env);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(env);
	if (strcmp(cmd, "start") == 0)
		return cmd_start(env);
	if (strcmp(cmd, "destroy") == 0) {
		destroy_env(env);
		return 0;
	}
	fprintf(stderr, "unknown command %s\n", cmd);
	return 1;
}
