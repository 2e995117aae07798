/* install.c: the install engine behind the front ends: state directory,
 * plan, SSH transports, rendered scripts and the runner, wired together. */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "install.h"
#include "plan.h"
#include "render.h"
#include "shell.h"
#include "ssh.h"
#include "state.h"
#include "xmalloc.h"

struct install {
	struct cluster		*c;
	struct plan		*plan;
	struct state		*state;
	struct runner		*runner;
	struct install_options	 opts;
	char			*state_dir_opt;	/* copy of opts.state_dir */
	char			*kubeconfig;	/* path of admin.conf */
	char			*token_file;	/* path of dashboard-token */
	int			 started;
};

/* Render a stage script (runner_scripts.script). */
static char *
install_script(void *arg, const struct cluster *c, size_t node, enum stage s,
    const struct render_var *vars, size_t nvars, size_t *len)
{
	(void)arg;
	return render_script(c, node, s, vars, nvars, len);
}

/* Render join-prep for the first control plane. */
static char *
install_join_prep(void *arg, const struct cluster *c, size_t first,
    const struct render_var *vars, size_t nvars, size_t *len)
{
	(void)arg;
	return render_named_script(c, first, "join-prep", vars, nvars, len);
}

/* The input hash of a task. */
static char *
install_hash(void *arg, const struct cluster *c, size_t node, enum stage s)
{
	(void)arg;
	return render_input_hash(c, node, s);
}

/* Create the SSH transport of a node. Unknown host keys are always asked
 * through the prompt, so that the front end decides (and can show the
 * fingerprint it trusts). */
static struct transport *
install_transport(void *arg, const struct cluster *c, size_t node,
    const struct transport_prompts *prompts, char **cause)
{
	struct ssh_params p;
	struct transport *t;

	(void)arg;
	memset(&p, 0, sizeof p);
	ssh_params_from_cluster(&p, c, &c->nodes[node]);
	p.accept_new_host_keys = 0;
	p.prompts = prompts;
	t = ssh_transport_new(&p);
	if (t == NULL)
		*cause = xasprintf(_("cannot set up SSH for %s"),
		    c->nodes[node].name);
	return t;
}

/* Prepare an install. */
struct install *
install_new(const struct cluster *c, const struct install_options *opts,
    struct event_queue *q, char **cause)
{
	struct install *inst;
	struct runner_config cfg;

	inst = xcalloc(1, sizeof *inst);
	inst->opts = *opts;
	if (opts->state_dir != NULL)
		inst->state_dir_opt = xstrdup(opts->state_dir);
	inst->opts.state_dir = inst->state_dir_opt;
	inst->c = cluster_dup(c);
	inst->plan = plan_new(inst->c, opts->check_only ? STAGE_PREFLIGHT :
	    STAGE_DASHBOARD);
	if (inst->plan == NULL) {
		*cause = xstrdup(_("the cluster has no control plane"));
		goto fail;
	}
	if (!opts->check_only) {
		if (state_open(opts->state_dir, inst->c->name,
		    STATE_CREATE | STATE_LOCK, &inst->state, cause) != 0)
			goto fail;
		state_sync_nodes(inst->state, inst->c);
		if (state_save_config(inst->state, inst->c, cause) != 0 ||
		    state_save(inst->state, cause) != 0)
			goto fail;
		inst->kubeconfig = state_path(inst->state, RUNNER_ADMIN_CONF);
		inst->token_file = state_path(inst->state,
		    RUNNER_DASHBOARD_TOKEN);
	}

	memset(&cfg, 0, sizeof cfg);
	cfg.cluster = inst->c;
	cfg.plan = inst->plan;
	cfg.state = inst->state;
	cfg.events = q;
	cfg.parallel = opts->parallel;
	cfg.keep_open = opts->keep_open;
	cfg.timeout = opts->timeout;
	cfg.transport_new = install_transport;
	cfg.scripts.script = install_script;
	cfg.scripts.join_prep = install_join_prep;
	cfg.scripts.hash = install_hash;
	inst->runner = runner_new(&cfg);
	return inst;
fail:
	install_free(inst);
	return NULL;
}

/* Start the run. */
int
install_start(struct install *inst, char **cause)
{
	if (runner_start(inst->runner, cause) != 0)
		return -1;
	inst->started = 1;
	return 0;
}

/* Stop soon. */
void
install_cancel(struct install *inst)
{
	runner_cancel(inst->runner);
}

/* Retry a failed task. */
int
install_retry(struct install *inst, size_t node, enum stage s, char **cause)
{
	return runner_retry(inst->runner, node, s, cause);
}

/* Skip a failed worker. */
int
install_skip_node(struct install *inst, size_t node, char **cause)
{
	return runner_skip_node(inst->runner, node, cause);
}

/* End once nothing runs. */
void
install_finish(struct install *inst)
{
	runner_finish(inst->runner);
}

/* Wait for the run. */
int
install_wait(struct install *inst)
{
	return runner_wait(inst->runner);
}

/* Free an install and release the state lock. */
void
install_free(struct install *inst)
{
	if (inst == NULL)
		return;
	runner_free(inst->runner);
	state_close(inst->state);
	plan_free(inst->plan);
	cluster_free(inst->c);
	free(inst->state_dir_opt);
	free(inst->kubeconfig);
	free(inst->token_file);
	free(inst);
}

/* The cluster. */
const struct cluster *
install_cluster(const struct install *inst)
{
	return inst->c;
}

/* The plan. */
const struct plan *
install_plan(const struct install *inst)
{
	return inst->plan;
}

/* The state directory. */
const char *
install_state_dir(const struct install *inst)
{
	return inst->state != NULL ? inst->state->dir : NULL;
}

/* A task snapshot. */
int
install_task_info(struct install *inst, size_t node, enum stage s,
    struct runner_task_info *info)
{
	return runner_task_info(inst->runner, node, s, info);
}

/* Whether a node was skipped. */
int
install_node_skipped(struct install *inst, size_t node)
{
	return runner_node_skipped(inst->runner, node);
}

/* Whether a node's host key was refused. */
int
install_node_hostkey_refused(struct install *inst, size_t node)
{
	return runner_node_hostkey_refused(inst->runner, node);
}

/* Warnings of the run. */
size_t
install_warnings(struct install *inst, char ***lines)
{
	return runner_warnings(inst->runner, lines);
}

/* A task's log path. */
char *
install_log_path(struct install *inst, size_t node, enum stage s)
{
	struct runner_task_info info;
	char *log;

	if (install_task_info(inst, node, s, &info) != 0)
		return NULL;
	log = info.log;
	info.log = NULL;
	runner_task_info_clear(&info);
	return log;
}

/* Whether path is an existing regular file. */
static int
install_file_exists(const char *path)
{
	struct stat sb;

	return path != NULL && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* An output of the run. */
const char *
install_output(struct install *inst, const char *key)
{
	if (inst->state == NULL)
		return NULL;
	if (strcmp(key, "KUBECONFIG") == 0)
		return install_file_exists(inst->kubeconfig) ?
		    inst->kubeconfig : NULL;
	if (strcmp(key, "DASHBOARD_TOKEN_FILE") == 0)
		return install_file_exists(inst->token_file) ?
		    inst->token_file : NULL;
	if (strncmp(key, "SECRET_", 7) == 0)
		return state_secret(inst->state, key);
	return state_output(inst->state, key);
}

/* The command that resumes this install. */
char *
install_resume_command(const struct install *inst)
{
	char *q, *cmd;

	if (inst->state_dir_opt == NULL)
		return xasprintf("kubewiz resume %s", inst->c->name);
	q = shell_quote(inst->state_dir_opt);
	cmd = xasprintf("kubewiz --state-dir %s resume %s", q, inst->c->name);
	free(q);
	return cmd;
}

/* Mask the run's secrets in text. */
char *
install_mask(struct install *inst, const char *text)
{
	return runner_mask(inst->runner, text);
}

/* Load a saved config. */
struct cluster *
install_load_saved(const char *state_dir, const char *name, char **cause)
{
	struct state *st = NULL;
	struct cluster *c = NULL;
	struct diag_list diags;
	char **names = NULL, *base = NULL, *path, *msg;
	size_t n = 0, i;

	diag_init(&diags);
	if (name == NULL) {
		n = state_list(state_dir, &names);
		base = state_base_dir(state_dir);
		if (n == 0) {
			*cause = xasprintf(_("no saved cluster in %s; give its "
			    "name, or --state-dir"), base);
			goto out;
		}
		if (n > 1) {
			*cause = xasprintf(_("%zu saved clusters in %s (%s, "
			    "%s, ...): say which one to resume"), n, base,
			    names[0], names[1]);
			goto out;
		}
		name = names[0];
	}
	if (state_open(state_dir, name, 0, &st, cause) != 0)
		goto out;
	c = state_load_config(st, &diags);
	if (c == NULL) {
		path = state_path(st, "config.yaml");
		if (diags.n > 0) {
			msg = diag_format(&diags.items[0], path);
			*cause = xasprintf(_("the saved config cannot be used: "
			    "%s"), msg);
			free(msg);
		} else
			*cause = xasprintf(_("cannot load %s"), path);
		free(path);
	}
out:
	state_close(st);
	diag_clear(&diags);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(base);
	return c;
}
