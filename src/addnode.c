/* addnode.c: what "kubewiz add-node" accepts: the installed cluster plus
 * new nodes, nothing else changed that the existing nodes depend on. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "addnode.h"
#include "i18n.h"
#include "xmalloc.h"

/* Whether two optional strings are equal (NULL equals "" here: defaults
 * may be written either way). */
static int
addnode_same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Set *cause to a mismatch and return -1. */
static int KW_PRINTF(2, 3)
addnode_refuse(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/* Check that next is saved plus nodes. */
int
addnode_check(const struct cluster *saved, const struct cluster *next,
    char **cause)
{
	const struct cluster_node *a = NULL, *b = NULL;
	size_t i;
	int j, added;

	if (strcmp(saved->name, next->name) != 0)
		return addnode_refuse(cause, _("the file is for cluster '%s', "
		    "not '%s'"), next->name, saved->name);
	if (cluster_version_cmp(&saved->kubernetes.v, &next->kubernetes.v) !=
	    0 || !addnode_same(saved->kubernetes.control_plane_endpoint,
	    next->kubernetes.control_plane_endpoint) ||
	    !addnode_same(saved->kubernetes.pod_subnet,
	    next->kubernetes.pod_subnet) ||
	    !addnode_same(saved->kubernetes.service_subnet,
	    next->kubernetes.service_subnet) ||
	    !addnode_same(saved->kubernetes.network,
	    next->kubernetes.network))
		return addnode_refuse(cause, _("the kubernetes: settings differ "
		    "from the installed cluster's (version %s, endpoint %s, "
		    "pods %s, services %s); add-node only adds nodes"),
		    saved->kubernetes.version,
		    saved->kubernetes.control_plane_endpoint,
		    saved->kubernetes.pod_subnet,
		    saved->kubernetes.service_subnet);
	if (!addnode_same(saved->registry.image_repository,
	    next->registry.image_repository) ||
	    !addnode_same(saved->registry.package_mirror,
	    next->registry.package_mirror) ||
	    saved->registry.nmirrors != next->registry.nmirrors)
		return addnode_refuse(cause, _("the registry: settings differ "
		    "from the installed cluster's; add-node only adds nodes "
		    "(use 'kubewiz install -f FILE' to change them)"));
	for (i = 0; i < saved->registry.nmirrors; i++) {
		if (strcmp(saved->registry.mirrors[i],
		    next->registry.mirrors[i]) != 0)
			return addnode_refuse(cause, _("registry.mirrors differ "
			    "from the installed cluster's"));
	}
	if (saved->dashboard.kind != next->dashboard.kind ||
	    !addnode_same(saved->dashboard.version,
	    next->dashboard.version) ||
	    !addnode_same(saved->dashboard.manifest,
	    next->dashboard.manifest) ||
	    saved->dashboard.node_port != next->dashboard.node_port)
		return addnode_refuse(cause, _("the dashboard: settings differ "
		    "from the installed cluster's; add-node only adds nodes"));

	for (i = 0; i < saved->nnodes; i++) {
		a = &saved->nodes[i];
		j = cluster_find_node(next, a->name);
		if (j < 0)
			return addnode_refuse(cause, _("node %s of the cluster is "
			    "missing from the file (to remove a worker: "
			    "'kubewiz reset %s --node %s')"), a->name,
			    saved->name, a->name);
		b = &next->nodes[j];
		if (strcmp(a->address, b->address) != 0 || a->role != b->role)
			return addnode_refuse(cause, _("node %s differs: it is "
			    "%s %s in the cluster, %s %s in the file"), a->name,
			    cluster_role_name(a->role), a->address,
			    cluster_role_name(b->role), b->address);
	}
	a = cluster_first_control_plane(saved);
	b = cluster_first_control_plane(next);
	if (a == NULL || b == NULL || strcmp(a->name, b->name) != 0)
		return addnode_refuse(cause, _("the first control plane must stay "
		    "%s (list it first among the control planes)"),
		    a != NULL ? a->name : "?");
	added = (int)(next->nnodes - saved->nnodes);
	if (added <= 0)
		return addnode_refuse(cause, _("the file adds no node to cluster "
		    "%s ('kubewiz resume %s' converges the existing nodes)"),
		    saved->name, saved->name);
	return added;
}

