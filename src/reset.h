/* reset.h: "kubewiz reset": kubeadm reset and the clean-up kubeadm leaves
 * to the user (src/stages/reset.sh) on nodes in parallel, each node's
 * output kept in logs/NODE/reset.log of the state directory; removing one
 * worker (drain and delete on the first control plane first,
 * src/stages/node-remove.sh); and marking the state as reset so that the
 * next install starts fresh. */
#ifndef KW_RESET_H
#define KW_RESET_H

#include <stddef.h>

#include "cluster.h"
#include "markers.h"
#include "state.h"
#include "transport.h"

/* Name of the reset log of a node, under logs/NODE/. */
#define RESET_LOG	"reset.log"
/* Output recorded in state.yaml by reset_mark_state (ISO 8601 time). */
#define RESET_OUTPUT	"RESET_AT"

/* What happened on one node. */
struct reset_result {
	int	 ran;		/* the node was part of the reset */
	int	 ok;		/* reset.sh ended with 0: the node is clean */
	int	 exit_code;	/* of reset.sh; -1 when it did not run */
	char	*error;		/* why not ok, or NULL */
	char	*log;		/* full path of its log, or NULL */
};

/* A step, skip or warning of a node (or, for MARKER_NONE, one line of
 * its output). Called from worker threads, one call at a time. */
typedef void (*reset_progress_fn)(void *arg, size_t node,
    enum marker_kind kind, const char *text);

struct reset_options {
	const struct cluster		*cluster;	/* borrowed */
	const char			*state_dir;	/* logs go here; NULL: none */
	const struct transport_prompts	*prompts;
	int				 accept_new_host_keys;
	reset_progress_fn		 progress;	/* may be NULL */
	void				*arg;
};

/* Reset the nodes whose only[i] is non-zero (only NULL: every node), all
 * at once. Fills results[i] for every node of the cluster (clear them
 * with reset_results_clear). Returns the number of nodes that failed. */
size_t reset_nodes(const struct reset_options *, const unsigned char *only,
    struct reset_result *results);
/* Free the strings of n results. */
void reset_results_clear(struct reset_result *, size_t n);
/* Drain and delete node name on the first control plane (the rest of
 * the cluster goes on). Returns 0, or -1 with *cause (caller frees). */
int reset_remove_node(const struct reset_options *, const char *name,
    char **cause);
/* Forget what the install did: every task of every node back to pending
 * (no input hash), outputs and secrets dropped, admin.conf and the token
 * file deleted, RESET_AT recorded; saved. Logs stay. Returns 0, or -1
 * with *cause. */
int reset_mark_state(struct state *, char **cause);

#endif
