/* cmd-reset.c: the "reset" subcommand: after the cluster's name is typed,
 * kubeadm reset and clean-up on every node in parallel (or drain, delete
 * and reset one worker with --node), logs kept, the state marked reset. */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "install.h"
#include "reset.h"
#include "reset_view.h"
#include "state.h"
#include "ttyask.h"
#include "ui.h"
#include "xmalloc.h"

enum {
	OPT_NODE = 256,
	OPT_CONFIRM,
};

static const struct option cmd_reset_longopts[] = {
	{ "node", required_argument, NULL, OPT_NODE },
	{ "yes-i-typed-the-name", required_argument, NULL, OPT_CONFIRM },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* One reset: what it works on and where its output goes. */
struct cmd_reset {
	const struct kw_options	*opts;
	struct cluster		*c;
	struct state		*st;
	const char		*node;		/* --node, or NULL */
	int			 idx;		/* its index */
	ui_reset_say_fn		 say;
	void			*say_arg;
	char			**summary;	/* result lines kept for after
						 * the screen, or NULL */
	size_t			 nsummary;
	int			 keep;		/* keep result lines */
	pthread_mutex_t		 lock;
};

/* Say one line; result lines are also kept for after the screen. */
static void KW_PRINTF(4, 5)
cmd_reset_say(struct cmd_reset *r, int error, int result, const char *fmt,
    ...)
{
	va_list ap;
	char *line = NULL;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	r->say(r->say_arg, error, line);
	pthread_mutex_lock(&r->lock);
	if (result && r->keep) {
		r->summary = xreallocarray(r->summary, r->nsummary + 1,
		    sizeof *r->summary);
		r->summary[r->nsummary++] = line;
		line = NULL;
	}
	pthread_mutex_unlock(&r->lock);
	free(line);
}

/* Plain output: errors on stderr, the rest on stdout. */
static void
cmd_reset_plain_say(void *arg, int error, const char *line)
{
	(void)arg;
	fprintf(error ? stderr : stdout, "%s\n", line);
	fflush(error ? stderr : stdout);
}

/* A node's progress as "[node] reset: text". */
static void
cmd_reset_progress(void *arg, size_t node, enum marker_kind kind,
    const char *text)
{
	struct cmd_reset *r = arg;
	const char *name = r->c->nodes[node].name;

	switch (kind) {
	case MARKER_STEP:
		cmd_reset_say(r, 0, 0, _("[%s] reset: %s"), name, text);
		break;
	case MARKER_SKIP:
		cmd_reset_say(r, 0, 0, _("[%s] reset: nothing to do: %s"),
		    name, text);
		break;
	case MARKER_WARN:
		cmd_reset_say(r, 0, 1, _("[%s] reset: warning: %s"), name,
		    text);
		break;
	default:
		if (r->opts->verbose)
			cmd_reset_say(r, 0, 0, "[%s]   %s", name, text);
		break;
	}
}

static char	*cmd_reset_warning(const struct cluster *, const char *);

/* Plain mode: check the option, or show the warning and ask for the name
 * on the terminal. Returns 0 when confirmed, else prints why and returns
 * -1. */
static int
cmd_reset_confirm(const struct cluster *c, const char *node,
    const char *given)
{
	const char *expect = node != NULL ? node : c->name;
	char *prompt = NULL, *typed = NULL, *warning = NULL;
	int ok;

	if (given != NULL) {
		if (strcmp(given, expect) == 0)
			return 0;
		fprintf(stderr, _("kubewiz: reset: --yes-i-typed-the-name=%s "
		    "does not match '%s'; nothing was done\n"), given, expect);
		return -1;
	}
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, _("kubewiz: reset: refused: there is no "
		    "terminal to type the name on. In scripts, pass "
		    "--yes-i-typed-the-name=%s\n"), expect);
		return -1;
	}
	warning = cmd_reset_warning(c, node);
	fprintf(stderr, "%s\n", warning);
	free(warning);
	prompt = xasprintf(_("Type '%s' to confirm: "), expect);
	typed = ttyask_line(prompt);
	free(prompt);
	ok = typed != NULL && strcmp(typed, expect) == 0;
	free(typed);
	if (!ok) {
		fprintf(stderr, _("kubewiz: reset: not confirmed; nothing was "
		    "done\n"));
		return -1;
	}
	return 0;
}

/* The cluster without node i. Caller frees. */
static struct cluster *
cmd_reset_without(const struct cluster *c, size_t i)
{
	struct cluster *n = NULL;
	struct cluster_node gone;

	n = cluster_dup(c);
	gone = n->nodes[i];
	memmove(&n->nodes[i], &n->nodes[i + 1],
	    (n->nnodes - i - 1) * sizeof *n->nodes);
	n->nnodes--;
	/* Free the removed node's strings through a one-node cluster. */
	{
		struct cluster *tmp = cluster_new();

		tmp->nodes = xcalloc(1, sizeof *tmp->nodes);
		tmp->nodes[0] = gone;
		tmp->nnodes = 1;
		cluster_free(tmp);
	}
	return n;
}

/* Say the outcome of each node. Returns the number that failed. */
static size_t
cmd_reset_report(struct cmd_reset *r, const struct reset_result *res)
{
	size_t i, failed = 0;

	for (i = 0; i < r->c->nnodes; i++) {
		if (!res[i].ran)
			continue;
		if (res[i].ok) {
			cmd_reset_say(r, 0, 1, _("[%s] clean"),
			    r->c->nodes[i].name);
			continue;
		}
		failed++;
		cmd_reset_say(r, 1, 1, _("[%s] FAILED: %s"),
		    r->c->nodes[i].name, res[i].error != NULL ?
		    res[i].error : "?");
		if (res[i].log != NULL)
			cmd_reset_say(r, 1, 1, _("[%s]   log: %s"),
			    r->c->nodes[i].name, res[i].log);
	}
	return failed;
}

/* The reset itself, once confirmed (a thread with the TUI). Returns an
 * enum kw_exit. */
static int
cmd_reset_work(void *arg, const struct transport_prompts *prompts,
    ui_reset_say_fn say, void *say_arg)
{
	struct cmd_reset *r = arg;
	struct reset_options ro;
	struct reset_result *res = NULL;
	struct cluster *smaller = NULL;
	unsigned char *only = NULL;
	char *cause = NULL;
	size_t failed;
	int code = KW_EXIT_FAILED;

	r->say = say;
	r->say_arg = say_arg;
	memset(&ro, 0, sizeof ro);
	ro.cluster = r->c;
	ro.state_dir = r->st->dir;
	ro.prompts = prompts;
	ro.accept_new_host_keys = r->opts->accept_new_host_keys;
	ro.progress = cmd_reset_progress;
	ro.arg = r;
	res = xcalloc(r->c->nnodes + 1, sizeof *res);

	if (r->node != NULL) {
		if (reset_remove_node(&ro, r->node, &cause) != 0) {
			cmd_reset_say(r, 1, 1, _("kubewiz: reset: %s; %s was "
			    "not reset"), cause, r->node);
			goto out;
		}
		only = xcalloc(r->c->nnodes, 1);
		only[r->idx] = 1;
	}
	reset_nodes(&ro, only, res);
	failed = cmd_reset_report(r, res);

	if (r->node != NULL) {
		if (failed != 0)
			goto out;
		smaller = cmd_reset_without(r->c, (size_t)r->idx);
		if (state_save_config(r->st, smaller, &cause) != 0)
			goto save_failed;
		state_sync_nodes(r->st, smaller);
		if (state_save(r->st, &cause) != 0)
			goto save_failed;
		cmd_reset_say(r, 0, 1, _("%s is out of cluster %s and removed "
		    "from its saved config. Remove it from your cluster file "
		    "too."), r->node, r->c->name);
		code = KW_EXIT_OK;
		goto out;
	}
	if (reset_mark_state(r->st, &cause) != 0)
		goto save_failed;
	if (failed == 0) {
		cmd_reset_say(r, 0, 1, _("Cluster %s is reset; every node is "
		    "clean. Logs stay in %s/logs. 'kubewiz install' starts "
		    "afresh."), r->c->name, r->st->dir);
		code = KW_EXIT_OK;
	} else
		cmd_reset_say(r, 1, 1, _("%zu node(s) are not clean; run "
		    "'kubewiz reset %s' again once they can be reached."),
		    failed, r->c->name);
	goto out;

save_failed:
	cmd_reset_say(r, 1, 1, "kubewiz: reset: %s", cause);
out:
	reset_results_clear(res, r->c->nnodes);
	free(res);
	free(only);
	free(cause);
	cluster_free(smaller);
	return code;
}

/* The warning shown before the name is typed. Caller frees. */
static char *
cmd_reset_warning(const struct cluster *c, const char *node)
{
	char *names = NULL, *grown = NULL;
	char *text = NULL;
	size_t i;

	if (node != NULL)
		return xasprintf(_("This drains node %s and deletes it from "
		    "cluster %s, runs 'kubeadm reset -f' on it and removes "
		    "its CNI configuration, iptables and IPVS rules, CNI "
		    "interfaces and kubeconfigs. Its pods move to other "
		    "nodes; its local data is lost."), node, c->name);
	for (i = 0; i < c->nnodes; i++) {
		grown = xasprintf("%s%s%s", names != NULL ? names : "",
		    i > 0 ? ", " : "", c->nodes[i].name);
		free(names);
		names = grown;
	}
	text = xasprintf(_("This DESTROYS cluster %s: on every node (%s) it "
	    "runs 'kubeadm reset -f' and removes the CNI configuration, "
	    "iptables and IPVS rules, CNI interfaces and kubeconfigs. Every "
	    "workload and its data in the cluster is lost. Packages and the "
	    "container runtime stay."), c->name, names != NULL ? names : "");
	free(names);
	return text;
}

/* Run "kubewiz reset". */
static int
cmd_reset_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct transport_prompts prompts;
	struct cmd_reset r;
	struct cluster *c = NULL;
	struct state *st = NULL;
	const char *node = NULL, *given = NULL, *expect = NULL;
	char *cause = NULL, *warning = NULL, *title = NULL;
	int ch, idx = -1, code = KW_EXIT_USAGE;
	size_t i;

	memset(&r, 0, sizeof r);
	while ((ch = getopt_long(argc, argv, "h", cmd_reset_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_NODE:
			node = optarg;
			break;
		case OPT_CONFIRM:
			given = optarg;
			break;
		case 'h':
			printf(_("usage: kubewiz reset %s\n\n"
			    "Undoes kubeadm on every node of cluster NAME, in "
			    "parallel: 'kubeadm reset -f',\nthen the clean-up "
			    "kubeadm leaves (CNI configuration, iptables and "
			    "IPVS rules,\nCNI interfaces, kubeconfigs), a "
			    "restart of the container runtime, and a check\n"
			    "that the node is clean. Logs stay in the state "
			    "directory; the state is marked\nreset, so the "
			    "next 'kubewiz install' starts fresh. Asks for "
			    "the name to be typed.\n\n"
			    "  --node NODE    drain and delete worker NODE, "
			    "reset it only, and remove it from\n"
			    "                 the saved config\n"
			    "  --yes-i-typed-the-name=NAME\n"
			    "                 confirm without a terminal (the "
			    "cluster name, or NODE with --node)\n"),
			    cmd_reset_entry.usage);
			return KW_EXIT_OK;
		default:
			return cmd_usage(&cmd_reset_entry);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_reset_entry);

	c = install_load_saved(opts->state_dir, argv[optind], &cause);
	if (c == NULL) {
		fprintf(stderr, "kubewiz: reset: %s\n", cause);
		goto out;
	}
	if (node != NULL) {
		idx = cluster_find_node(c, node);
		if (idx < 0) {
			fprintf(stderr, _("kubewiz: reset: cluster %s has no "
			    "node '%s'\n"), c->name, node);
			goto out;
		}
		if (c->nodes[idx].role == ROLE_CONTROL_PLANE) {
			fprintf(stderr, _("kubewiz: reset: %s is a control "
			    "plane; --node removes workers only (reset the "
			    "whole cluster instead)\n"), node);
			goto out;
		}
	}
	if (state_open(opts->state_dir, c->name, STATE_LOCK, &st,
	    &cause) != 0) {
		fprintf(stderr, "kubewiz: reset: %s\n", cause);
		goto out;
	}
	memset(&r, 0, sizeof r);
	pthread_mutex_init(&r.lock, NULL);
	r.opts = opts;
	r.c = c;
	r.st = st;
	r.node = node;
	r.idx = idx;

	if (given == NULL && ui_available(opts)) {
		/* The screen asks for the name and shows the output; the
		 * results stay in the scrollback. */
		expect = node != NULL ? node : c->name;
		warning = cmd_reset_warning(c, node);
		title = node != NULL ? xasprintf(_("kubewiz: remove %s from "
		    "cluster %s"), node, c->name) : xasprintf(_("kubewiz: reset "
		    "cluster %s"), c->name);
		r.keep = 1;
		code = ui_reset(opts, c, title, warning, expect,
		    cmd_reset_work, &r, &cause);
		ui_end();
		free(title);
		free(warning);
		if (code < 0) {
			fprintf(stderr, "kubewiz: reset: %s\n", cause);
			code = KW_EXIT_USAGE;
		} else if (code == KW_EXIT_REFUSED)
			fprintf(stderr, _("kubewiz: reset: not confirmed; "
			    "nothing was done\n"));
		for (i = 0; i < r.nsummary; i++)
			printf("%s\n", r.summary[i]);
		goto out;
	}
	ui_end();
	if (cmd_reset_confirm(c, node, given) != 0) {
		code = KW_EXIT_REFUSED;
		goto out;
	}
	ttyask_prompts(&prompts);
	code = cmd_reset_work(&r, &prompts, cmd_reset_plain_say, NULL);
out:
	for (i = 0; i < r.nsummary; i++)
		free(r.summary[i]);
	free(r.summary);
	if (r.opts != NULL)
		pthread_mutex_destroy(&r.lock);
	free(cause);
	state_close(st);
	cluster_free(c);
	return code;
}

const struct cmd_entry cmd_reset_entry = {
	.name = "reset",
	.usage = "NAME [--node NODE] [--yes-i-typed-the-name=NAME]",
	.summary = N_("undo kubeadm on every node of a cluster, after confirmation"),
	.exec = cmd_reset_exec,
};
