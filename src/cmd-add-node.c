/* cmd-add-node.c: the "add-node" subcommand: check that FILE is the saved
 * cluster NAME plus new nodes, then install it. Resume does the rest: the
 * existing nodes' done tasks are skipped (or re-checked where an input
 * such as /etc/hosts changed), the new nodes run every stage and join
 * with join data minted for them. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Whether two optional strings are equal (NULL equals "" here: defaults
 * may be written either way). */
static int
cmd_add_node_same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Print a mismatch and return -1. */
static int KW_PRINTF(1, 2)
cmd_add_node_refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kubewiz: add-node: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

/* Check that next is saved plus nodes: same name, Kubernetes, registry
 * and Dashboard settings, every saved node still there with the same
 * address and role, the same first control plane, and at least one new
 * node. Prints what differs. Returns the number of new nodes, or -1. */
static int
cmd_add_node_check(const struct cluster *saved, const struct cluster *next)
{
	const struct cluster_node *a, *b;
	size_t i;
	int j, added;

	if (strcmp(saved->name, next->name) != 0)
		return cmd_add_node_refuse(_("the file is for cluster '%s', "
		    "not '%s'"), next->name, saved->name);
	if (cluster_version_cmp(&saved->kubernetes.v, &next->kubernetes.v) !=
	    0 || !cmd_add_node_same(saved->kubernetes.control_plane_endpoint,
	    next->kubernetes.control_plane_endpoint) ||
	    !cmd_add_node_same(saved->kubernetes.pod_subnet,
	    next->kubernetes.pod_subnet) ||
	    !cmd_add_node_same(saved->kubernetes.service_subnet,
	    next->kubernetes.service_subnet) ||
	    !cmd_add_node_same(saved->kubernetes.network,
	    next->kubernetes.network))
		return cmd_add_node_refuse(_("the kubernetes: settings differ "
		    "from the installed cluster's (version %s, endpoint %s, "
		    "pods %s, services %s); add-node only adds nodes"),
		    saved->kubernetes.version,
		    saved->kubernetes.control_plane_endpoint,
		    saved->kubernetes.pod_subnet,
		    saved->kubernetes.service_subnet);
	if (!cmd_add_node_same(saved->registry.image_repository,
	    next->registry.image_repository) ||
	    !cmd_add_node_same(saved->registry.package_mirror,
	    next->registry.package_mirror) ||
	    saved->registry.nmirrors != next->registry.nmirrors)
		return cmd_add_node_refuse(_("the registry: settings differ "
		    "from the installed cluster's; add-node only adds nodes "
		    "(use 'kubewiz install -f FILE' to change them)"));
	for (i = 0; i < saved->registry.nmirrors; i++) {
		if (strcmp(saved->registry.mirrors[i],
		    next->registry.mirrors[i]) != 0)
			return cmd_add_node_refuse(_("registry.mirrors differ "
			    "from the installed cluster's"));
	}
	if (saved->dashboard.kind != next->dashboard.kind ||
	    !cmd_add_node_same(saved->dashboard.version,
	    next->dashboard.version) ||
	    !cmd_add_node_same(saved->dashboard.manifest,
	    next->dashboard.manifest) ||
	    saved->dashboard.node_port != next->dashboard.node_port)
		return cmd_add_node_refuse(_("the dashboard: settings differ "
		    "from the installed cluster's; add-node only adds nodes"));

	for (i = 0; i < saved->nnodes; i++) {
		a = &saved->nodes[i];
		j = cluster_find_node(next, a->name);
		if (j < 0)
			return cmd_add_node_refuse(_("node %s of the cluster is "
			    "missing from the file (to remove a worker: "
			    "'kubewiz reset %s --node %s')"), a->name,
			    saved->name, a->name);
		b = &next->nodes[j];
		if (strcmp(a->address, b->address) != 0 || a->role != b->role)
			return cmd_add_node_refuse(_("node %s differs: it is "
			    "%s %s in the cluster, %s %s in the file"), a->name,
			    cluster_role_name(a->role), a->address,
			    cluster_role_name(b->role), b->address);
	}
	a = cluster_first_control_plane(saved);
	b = cluster_first_control_plane(next);
	if (a == NULL || b == NULL || strcmp(a->name, b->name) != 0)
		return cmd_add_node_refuse(_("the first control plane must stay "
		    "%s (list it first among the control planes)"),
		    a != NULL ? a->name : "?");
	added = (int)(next->nnodes - saved->nnodes);
	if (added <= 0)
		return cmd_add_node_refuse(_("the file adds no node to cluster "
		    "%s ('kubewiz resume %s' converges the existing nodes)"),
		    saved->name, saved->name);
	return added;
}

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
	if (cmd_add_node_check(saved, next) < 0) {
		ui_end();
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
