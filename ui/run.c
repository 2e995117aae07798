/* run.c: the interactive install and resume: the wizard, then the engine
 * run shown on the progress screen and the final screen; afterwards a
 * short summary stays in the terminal's scrollback. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cluster.h"
#include "events.h"
#include "i18n.h"
#include "install.h"
#include "ui.h"
#include "xmalloc.h"

/* ui_install_ops over the install API. */
static void
run_cancel(void *arg)
{
	install_cancel(arg);
}

/* End a kept-open run that only waits for the operator. */
static void
run_finish(void *arg)
{
	install_finish(arg);
}

/* Retry a failed task. */
static int
run_retry(void *arg, int node, int stage, char **cause)
{
	return install_retry(arg, (size_t)node, (enum stage)stage, cause);
}

/* Skip a worker. */
static int
run_skip(void *arg, int node, char **cause)
{
	return install_skip_node(arg, (size_t)node, cause);
}

/* A task's log file. */
static char *
run_log_path(void *arg, int node, int stage)
{
	return install_log_path(arg, (size_t)node, (enum stage)stage);
}

/* An output of the run. */
static const char *
run_output(void *arg, const char *key)
{
	return install_output(arg, key);
}

/* Print what stays in the scrollback once the screens are gone. */
static void
run_print_summary(struct install *inst, int code)
{
	const struct cluster *cl = install_cluster(inst);
	const char *url = install_output(inst, "DASHBOARD_URL");
	const char *file = install_output(inst, "DASHBOARD_TOKEN_FILE");
	const char *kc = install_output(inst, "KUBECONFIG");
	char *resume;

	if (code == KW_EXIT_OK) {
		printf(_("kubewiz: %s is installed.\n"), cl->name);
		if (url != NULL)
			printf(_("  Dashboard:  %s\n"), url);
		if (file != NULL)
			printf(_("  Token file: %s (cluster-admin; keep it "
			    "secret)\n"), file);
		if (kc != NULL)
			printf(_("  Kubeconfig: %s\n"), kc);
		return;
	}
	resume = install_resume_command(inst);
	printf(_("kubewiz: the install of %s did not finish; the state is "
	    "saved.\n  Continue with: %s\n"), cl->name, resume);
	free(resume);
}

/* Run an install of a validated cluster with the TUI. Returns an enum
 * kw_exit; errors before the run are printed. */
static int
run_cluster(const struct kw_options *opts, const struct cluster *cl)
{
	struct install_options io = { 0 };
	struct ui_install_ops ops = { 0 };
	struct event_queue *q = NULL;
	struct install *inst = NULL;
	char *cause = NULL;
	int code = KW_EXIT_FAILED, rc;

	q = event_queue_new();
	io.state_dir = opts->state_dir;
	io.parallel = opts->parallel;
	io.keep_open = 1;
	inst = install_new(cl, &io, q, &cause);
	if (inst == NULL)
		goto fail;
	if (install_start(inst, &cause) != 0)
		goto fail;
	ops.cancel = run_cancel;
	ops.finish = run_finish;
	ops.retry = run_retry;
	ops.skip_node = run_skip;
	ops.log_path = run_log_path;
	ops.output = run_output;
	ops.arg = inst;
	rc = ui_install(opts, install_cluster(inst), q, &ops, &cause);
	if (rc < 0) {
		install_cancel(inst);
		install_wait(inst);
		goto fail;
	}
	code = install_wait(inst);
	ui_end();
	run_print_summary(inst, code);
	install_free(inst);
	event_queue_free(q);
	return code;

fail:
	ui_end();
	fprintf(stderr, "kubewiz: %s\n", cause);
	free(cause);
	install_free(inst);
	event_queue_free(q);
	return KW_EXIT_USAGE;
}

/* "kubewiz install" on a terminal: the wizard (pre-filled from file),
 * then the run. */
int
ui_install_command(const struct kw_options *opts, const char *file)
{
	struct cluster *cl = NULL;
	char *saved = NULL, *cause = NULL;
	int r, code;

	r = ui_wizard(opts, file, &cl, &saved, &cause);
	if (r < 0) {
		ui_end();
		fprintf(stderr, "kubewiz: %s\n", cause);
		free(cause);
		return KW_EXIT_USAGE;
	}
	if (r != UI_WIZARD_INSTALL) {
		ui_end();
		if (saved != NULL)
			printf(_("kubewiz: configuration saved to %s\n"), saved);
		free(saved);
		return KW_EXIT_OK;
	}
	code = run_cluster(opts, cl);
	if (saved != NULL)
		printf(_("  Config:     %s\n"), saved);
	free(saved);
	cluster_free(cl);
	return code;
}

/* "kubewiz resume [NAME]" on a terminal: run the saved config again. */
int
ui_resume_command(const struct kw_options *opts, const char *name)
{
	struct cluster *cl;
	char *cause = NULL;
	int code;

	cl = install_load_saved(opts->state_dir, name, &cause);
	if (cl == NULL) {
		ui_end();
		fprintf(stderr, "kubewiz: %s\n", cause);
		free(cause);
		return KW_EXIT_USAGE;
	}
	code = run_cluster(opts, cl);
	cluster_free(cl);
	return code;
}
