/* addnode.h: what "kubewiz add-node" accepts. */
#ifndef KW_ADDNODE_H
#define KW_ADDNODE_H

#include "cluster.h"

/* Check that next (a validated cluster) is saved plus new nodes: the
 * same name; the same Kubernetes, registry and Dashboard settings; every
 * saved node still there with the same address and role; the same first
 * control plane; at least one new node. SSH settings may differ. Returns
 * the number of new nodes, or -1 with *cause (caller frees) saying what
 * differs. */
int addnode_check(const struct cluster *saved, const struct cluster *next,
    char **cause);

#endif
