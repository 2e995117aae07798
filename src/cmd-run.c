/* cmd-run.c: run an install or a check with the TUI or the plain front
 * end; shared by the install, resume and check commands. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-run.h"
#include "i18n.h"
#include "install.h"
#include "plain.h"
#include "ui.h"

/* ui_install_ops: cancel. */
static void
cmd_run_cancel(void *arg)
{
	install_cancel(arg);
}

/* ui_install_ops: end a kept-open run that only waits for the operator. */
static void
cmd_run_finish(void *arg)
{
	install_finish(arg);
}

/* After the TUI: what stays in the terminal's scrollback. */
static void
cmd_run_tui_summary(struct install *inst, int code)
{
	const struct cluster *c = install_cluster(inst);
	const char *url = install_output(inst, "DASHBOARD_URL");
	const char *file = install_output(inst, "DASHBOARD_TOKEN_FILE");
	char *resume;

	if (code == KW_EXIT_OK) {
		printf(_("kubewiz: %s is installed.\n"), c->name);
		if (url != NULL)
			printf(_("  Dashboard:  %s\n"), url);
		if (file != NULL)
			printf(_("  Token file: %s (cluster-admin)\n"), file);
		return;
	}
	resume = install_resume_command(inst);
	printf(_("kubewiz: the install of %s did not finish; its state is "
	    "saved.\n  Continue with: %s\n"), c->name, resume);
	free(resume);
}

/* ui_install_ops: retry a failed task. */
static int
cmd_run_retry(void *arg, int node, int stage, char **cause)
{
	if (node < 0 || stage < 0 || stage >= STAGE_COUNT) {
		*cause = xstrdup(_("no such task"));
		return -1;
	}
	return install_retry(arg, (size_t)node, stage, cause);
}

/* ui_install_ops: skip a worker. */
static int
cmd_run_skip_node(void *arg, int node, char **cause)
{
	if (node < 0) {
		*cause = xstrdup(_("no such node"));
		return -1;
	}
	return install_skip_node(arg, (size_t)node, cause);
}

/* ui_install_ops: a task's log path. */
static char *
cmd_run_log_path(void *arg, int node, int stage)
{
	if (node < 0 || stage < 0 || stage >= STAGE_COUNT)
		return NULL;
	return install_log_path(arg, (size_t)node, stage);
}

/* ui_install_ops: an output of the run. */
static const char *
cmd_run_output(void *arg, const char *key)
{
	return install_output(arg, key);
}

/* Load and validate a config file. */
struct cluster *
cmd_load_config(const char *path)
{
	struct diag_list diags;
	struct cluster *c;

	diag_init(&diags);
	c = config_load_file(path, &diags);
	if (diags.n > 0)
		config_print_diags(&diags, path);
	diag_clear(&diags);
	return c;
}

/* KUBEWIZ_STAGE_TIMEOUT: seconds any stage may run before it counts as
 * hung (tests of the stage timeout; unset or invalid: the defaults). */
static int
cmd_run_stage_timeout(void)
{
	const char *s;
	char *end = NULL;
	long v;

	s = getenv("KUBEWIZ_STAGE_TIMEOUT");
	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v <= 0 || v > 86400)
		return 0;
	return (int)v;
}

/* Run an install with the chosen front end. */
int
cmd_run_install(const struct kw_options *opts, const struct cluster *c,
    const struct cmd_run_options *ro)
{
	struct install_options io;
	struct plain_options po;
	struct ui_install_ops ops;
	struct event_queue *q;
	struct install *inst;
	char *cause = NULL;
	int code;

	q = event_queue_new();
	memset(&io, 0, sizeof io);
	io.state_dir = opts->state_dir;
	io.parallel = opts->parallel;
	io.check_only = ro->check_only;
	io.keep_open = ro->tui;
	io.timeout = cmd_run_stage_timeout();
	inst = install_new(c, &io, q, &cause);
	if (inst == NULL) {
		if (ro->tui)
			ui_end();
		fprintf(stderr, "kubewiz: %s\n", cause);
		free(cause);
		event_queue_free(q);
		return KW_EXIT_USAGE;
	}
	if (ro->tui) {
		memset(&ops, 0, sizeof ops);
		ops.cancel = cmd_run_cancel;
		ops.finish = cmd_run_finish;
		ops.retry = cmd_run_retry;
		ops.skip_node = cmd_run_skip_node;
		ops.log_path = cmd_run_log_path;
		ops.output = cmd_run_output;
		ops.arg = inst;
		if (install_start(inst, &cause) != 0)
			code = -1;
		else
			code = ui_install(opts, install_cluster(inst), q, &ops,
			    &cause);
		if (code < 0) {
			ui_end();
			fprintf(stderr, "kubewiz: %s\n", cause);
			free(cause);
			install_cancel(inst);
			install_wait(inst);
			code = KW_EXIT_FAILED;
		} else {
			code = install_wait(inst);
			ui_end();
			if (!ro->check_only)
				cmd_run_tui_summary(inst, code);
		}
		ui_end();
	} else {
		memset(&po, 0, sizeof po);
		po.accept_new_host_keys = opts->accept_new_host_keys;
		po.show_token = ro->show_token;
		po.check_only = ro->check_only;
		po.verbose = opts->verbose;
		code = plain_run(inst, q, &po);
	}
	install_free(inst);
	event_queue_free(q);
	return code;
}
