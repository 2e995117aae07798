/* cmd-reset.c: the "reset" subcommand: after the cluster's name is typed,
 * kubeadm reset and clean-up on every node in parallel (or drain, delete
 * and reset one worker with --node), logs kept, the state marked reset. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "install.h"
#include "reset.h"
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

/* What the progress callback needs. */
struct cmd_reset_out {
	const struct cluster	*c;
	int			 verbose;
};

/* Print a node's progress as "[node] reset: text". */
static void
cmd_reset_progress(void *arg, size_t node, enum marker_kind kind,
    const char *text)
{
	struct cmd_reset_out *out = arg;
	const char *name = out->c->nodes[node].name;

	switch (kind) {
	case MARKER_STEP:
		printf("[%s] reset: %s\n", name, text);
		break;
	case MARKER_SKIP:
		printf(_("[%s] reset: nothing to do: %s\n"), name, text);
		break;
	case MARKER_WARN:
		printf(_("[%s] reset: warning: %s\n"), name, text);
		break;
	default:
		if (out->verbose)
			printf("[%s]   %s\n", name, text);
		break;
	}
	fflush(stdout);
}

/* Ask for name to be typed, or check the option. Returns 0 when
 * confirmed, else prints why and returns -1. */
static int
cmd_reset_confirm(const struct cluster *c, const char *node,
    const char *given)
{
	const char *expect = node != NULL ? node : c->name;
	char *prompt, *typed;
	size_t i;
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
	if (node != NULL) {
		fprintf(stderr, _("This drains node %s and deletes it from "
		    "cluster %s, runs 'kubeadm reset -f' on it and removes "
		    "its CNI configuration, iptables and IPVS rules, CNI "
		    "interfaces and kubeconfigs. Its pods move to other "
		    "nodes; its local data is lost.\n"), node, c->name);
	} else {
		fprintf(stderr, _("This DESTROYS cluster %s: on every node ("),
		    c->name);
		for (i = 0; i < c->nnodes; i++)
			fprintf(stderr, "%s%s", i > 0 ? ", " : "",
			    c->nodes[i].name);
		fprintf(stderr, _(") it runs 'kubeadm reset -f' and removes "
		    "the CNI configuration, iptables and IPVS rules, CNI "
		    "interfaces and kubeconfigs. Every workload and its data "
		    "in the cluster is lost. Packages and the container "
		    "runtime stay.\n"));
	}
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
	struct cluster *n;
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

/* Print the outcome of each node. Returns the number that failed. */
static size_t
cmd_reset_report(const struct cluster *c, const struct reset_result *res)
{
	size_t i, failed = 0;

	for (i = 0; i < c->nnodes; i++) {
		if (!res[i].ran)
			continue;
		if (res[i].ok) {
			printf(_("[%s] clean\n"), c->nodes[i].name);
			continue;
		}
		failed++;
		printf(_("[%s] FAILED: %s\n"), c->nodes[i].name,
		    res[i].error != NULL ? res[i].error : "?");
		if (res[i].log != NULL)
			printf(_("[%s]   log: %s\n"), c->nodes[i].name,
			    res[i].log);
	}
	return failed;
}

/* Run "kubewiz reset". */
static int
cmd_reset_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct transport_prompts prompts;
	struct reset_options ro;
	struct reset_result *res = NULL;
	struct cmd_reset_out out;
	struct cluster *c = NULL, *smaller = NULL;
	struct state *st = NULL;
	unsigned char *only = NULL;
	const char *node = NULL, *given = NULL;
	char *cause = NULL;
	int ch, idx = -1, code = KW_EXIT_USAGE;
	size_t failed;

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
	ui_end();
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
	if (cmd_reset_confirm(c, node, given) != 0) {
		code = KW_EXIT_REFUSED;
		goto out;
	}

	memset(&out, 0, sizeof out);
	out.c = c;
	out.verbose = opts->verbose;
	ttyask_prompts(&prompts);
	memset(&ro, 0, sizeof ro);
	ro.cluster = c;
	ro.state_dir = st->dir;
	ro.prompts = &prompts;
	ro.accept_new_host_keys = opts->accept_new_host_keys;
	ro.progress = cmd_reset_progress;
	ro.arg = &out;
	res = xcalloc(c->nnodes + 1, sizeof *res);
	code = KW_EXIT_FAILED;

	if (node != NULL) {
		if (reset_remove_node(&ro, node, &cause) != 0) {
			fprintf(stderr, _("kubewiz: reset: %s; %s was not "
			    "reset\n"), cause, node);
			goto out;
		}
		only = xcalloc(c->nnodes, 1);
		only[idx] = 1;
	}
	reset_nodes(&ro, only, res);
	failed = cmd_reset_report(c, res);

	if (node != NULL) {
		if (failed != 0)
			goto out;
		smaller = cmd_reset_without(c, (size_t)idx);
		if (state_save_config(st, smaller, &cause) != 0)
			goto save_failed;
		state_sync_nodes(st, smaller);
		if (state_save(st, &cause) != 0)
			goto save_failed;
		printf(_("%s is out of cluster %s and removed from its saved "
		    "config. Remove it from your cluster file too.\n"), node,
		    c->name);
		code = KW_EXIT_OK;
		goto out;
	}
	if (reset_mark_state(st, &cause) != 0)
		goto save_failed;
	if (failed == 0) {
		printf(_("Cluster %s is reset; every node is clean. Logs stay "
		    "in %s/logs. 'kubewiz install' starts afresh.\n"), c->name,
		    st->dir);
		code = KW_EXIT_OK;
	} else
		printf(_("%zu node(s) are not clean; run 'kubewiz reset %s' "
		    "again once they can be reached.\n"), failed, c->name);
	goto out;

save_failed:
	fprintf(stderr, "kubewiz: reset: %s\n", cause);
	code = KW_EXIT_FAILED;
out:
	if (res != NULL) {
		reset_results_clear(res, c->nnodes);
		free(res);
	}
	free(only);
	free(cause);
	state_close(st);
	cluster_free(smaller);
	cluster_free(c);
	return code;
}

const struct cmd_entry cmd_reset_entry = {
	.name = "reset",
	.usage = "NAME [--node NODE] [--yes-i-typed-the-name=NAME]",
	.summary = N_("undo kubeadm on every node of a cluster, after confirmation"),
	.exec = cmd_reset_exec,
};
