/* cmd-add-node.c: the "add-node" subcommand: check that FILE is the saved
 * cluster NAME plus new nodes, then install it. Resume does the rest: the
 * existing nodes' done tasks are skipped (or re-checked where an input
 * such as /etc/hosts changed), the new nodes run every stage and join
 * with join data minted for them. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addnode.h"
#include "cluster.h"
#include "cmd-run.h"
#include "cmd.h"
#include "i18n.h"
#include "install.h"
#include "ui.h"
#include "xmalloc.h"

enum {
	OPT_SHOW_TOKEN = 256,
};

static const struct option cmd_add_node_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "show-token", no_argument, NULL, OPT_SHOW_TOKEN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Run "kubewiz add-node". */
static int
cmd_add_node_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct cmd_run_options ro;
	struct cluster *saved = NULL, *next = NULL;
	const char *file = NULL;
	char *cause = NULL;
	size_t i;
	int ch, code = KW_EXIT_USAGE;

	memset(&ro, 0, sizeof ro);
	while ((ch = getopt_long(argc, argv, "f:h", cmd_add_node_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		case OPT_SHOW_TOKEN:
			ro.show_token = 1;
			break;
		case 'h':
			printf(_("usage: kubewiz add-node %s\n\n"
			    "Adds the nodes that FILE lists beyond those of the "
			    "installed cluster NAME.\nFILE must be the saved "
			    "config plus new nodes (same name, Kubernetes, "
			    "registry\nand Dashboard settings, same existing "
			    "nodes). The new nodes run every stage\nand join "
			    "with fresh join data; the existing nodes are "
			    "checked, not redone\n(their /etc/hosts gains the "
			    "new names). Same as 'kubewiz install -f FILE'\n"
			    "after these checks.\n\n"
			    "  -f, --file FILE  the cluster file with the new "
			    "nodes\n"
			    "  --show-token     print the Dashboard token in "
			    "the summary\n"), cmd_add_node_entry.usage);
			return KW_EXIT_OK;
		default:
			return cmd_usage(&cmd_add_node_entry);
		}
	}
	if (argc - optind != 1 || file == NULL)
		return cmd_usage(&cmd_add_node_entry);

	saved = install_load_saved(opts->state_dir, argv[optind], &cause);
	if (saved == NULL) {
		ui_end();
		fprintf(stderr, "kubewiz: add-node: %s\n", cause);
		goto out;
	}
	next = cmd_load_config(file);
	if (next == NULL) {
		ui_end();
		goto out;
	}
	if (addnode_check(saved, next, &cause) < 0) {
		ui_end();
		fprintf(stderr, "kubewiz: add-node: %s\n", cause);
		goto out;
	}
	printf(_("Adding to cluster %s:"), saved->name);
	for (i = 0; i < next->nnodes; i++) {
		if (cluster_find_node(saved, next->nodes[i].name) < 0)
			printf(" %s (%s)", next->nodes[i].name,
			    cluster_role_name(next->nodes[i].role));
	}
	printf(_(". The other nodes are checked, not redone.\n"));
	fflush(stdout);
	ro.tui = ui_available(opts);
	code = cmd_run_install(opts, next, &ro);
out:
	free(cause);
	cluster_free(saved);
	cluster_free(next);
	return code;
}

const struct cmd_entry cmd_add_node_entry = {
	.name = "add-node",
	.usage = "NAME -f FILE [--show-token]",
	.summary = N_("join the nodes added to a cluster's config"),
	.exec = cmd_add_node_exec,
};
