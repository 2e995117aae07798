/* plan.h: the task graph of an install: which (node, stage) tasks exist
 * for a cluster and what each waits for (design.md, "Stages").
 *
 * A node goes through connect, preflight, system, runtime, packages and
 * images at its own pace. preflight waits for its own connect to be done
 * and for connect on every other node to have SETTLED (finished, in any
 * way): its cross-node checks need every node's facts, but a node that
 * cannot be reached blocks only itself and what waits for it. init waits for the first control plane's images;
 * network waits for init; each join waits for init and its own images
 * (not for network: kubeadm join works before the CNI is up, and nodes
 * become Ready once it is); ready waits for network and every join;
 * dashboard waits for ready. */
#ifndef KW_PLAN_H
#define KW_PLAN_H

#include <stddef.h>

#include "cluster.h"
#include "events.h"
#include "stage.h"

enum plan_dep_kind {
	PLAN_DEP_DONE,		/* must be done (or skipped as done) */
	PLAN_DEP_SETTLED,	/* must have finished, successfully or not */
};

struct plan_dep {
	size_t			task;
	enum plan_dep_kind	kind;
};

struct plan_task {
	size_t		 node;
	enum stage	 stage;
	struct plan_dep	*deps;
	size_t		 ndeps;
};

struct plan {
	size_t		  nnodes;
	size_t		  first;	/* index of the first control plane */
	enum stage	  last;		/* no task beyond this stage */
	struct plan_task *tasks;	/* in stage order, then node order */
	size_t		  ntasks;
	int		 *index;	/* [node * STAGE_COUNT + stage] -> task or -1 */
};

/* What a task may do now, given the states of all tasks. */
enum plan_readiness {
	PLAN_READY,		/* every dependency is satisfied */
	PLAN_WAIT,		/* some dependency has not finished yet */
	PLAN_BLOCK,		/* a dependency failed, was blocked or cancelled */
};

/* Build the graph for a validated cluster, with only the stages up to and
 * including last (STAGE_PREFLIGHT for "check"). Returns NULL when the
 * cluster has no node or no control plane. Caller frees with plan_free. */
struct plan *plan_new(const struct cluster *, enum stage last);
/* Free a plan; NULL is allowed. */
void plan_free(struct plan *);
/* The task index of (node, stage), or -1 when there is no such task. */
int plan_find(const struct plan *, size_t node, enum stage);
/* Whether a task state is final (done, skipped, failed, blocked,
 * cancelled). */
int plan_state_is_final(enum task_state);
/* Decide whether task may run now. states has one entry per task; waived
 * (may be NULL) marks tasks that count as satisfied whatever their state
 * (a worker the operator skipped). When not ready, *why (may be NULL) is
 * set to the dependency it waits for or that blocks it. */
enum plan_readiness plan_readiness(const struct plan *, const enum task_state *,
    const unsigned char *waived, size_t task, size_t *why);
/* Every task that depends on task, directly or not, through "done"
 * dependencies, in plan order. Fills out (room for ntasks) and returns
 * the count. */
size_t plan_dependents(const struct plan *, size_t task, size_t *out);

#endif
