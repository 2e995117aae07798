/* crosscheck.h: the facts learnt about each node (connect stage) and the
 * checks that need several nodes' facts at once, run as part of each
 * node's preflight: configured names unique; product_uuid and MAC
 * addresses unique across nodes; pod and service CIDRs against every
 * network of the node; CPUs and memory on control planes; cgroup v2 from
 * Kubernetes 1.35.
 *
 * The "hostname" fact is the name the node had before the system stage
 * renamed it (a fresh cloud image is often "localhost" everywhere), so
 * it is not compared: the configured names, which become the hostnames,
 * are. Duplicate product_uuids and MACs are warnings (cloned machines
 * work, but Kubernetes and CNIs may confuse them); the rest are errors. */
#ifndef KW_CROSSCHECK_H
#define KW_CROSSCHECK_H

#include <stddef.h>

#include "cluster.h"
#include "diag.h"

/* The facts of one node, KEY -> value; empty when it never connected. */
struct node_facts {
	char	**keys;
	char	**values;
	size_t	  n;
};

/* Set a fact (copied; replaces an earlier value). */
void node_facts_set(struct node_facts *, const char *key, const char *value);
/* A fact's value, or NULL. Borrowed. */
const char *node_facts_get(const struct node_facts *, const char *key);
/* Free the facts and empty the list. */
void node_facts_clear(struct node_facts *);

/* The least a control plane needs (kubeadm's preflight limits). */
#define CROSSCHECK_CP_CPUS	2
#define CROSSCHECK_CP_MEM_MB	1700

/* Check node i against the cluster and every node's facts (facts has
 * cluster->nnodes entries; nodes without facts are left out of the
 * comparisons). Appends errors and warnings, with field paths such as
 * "nodes[2]", to diags; returns the number of errors added. */
size_t crosscheck_node(const struct cluster *, const struct node_facts *facts,
    size_t i, struct diag_list *diags);

#endif
