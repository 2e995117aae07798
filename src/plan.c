/* plan.c: the task graph of an install and its readiness rules. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "xmalloc.h"

/* Add a dependency to a task. */
static void
plan_add_dep(struct plan_task *t, int dep, enum plan_dep_kind kind)
{
	if (dep < 0)
		fatalx("plan_add_dep: missing dependency of %s", stage_name(t->stage));
	t->deps = xreallocarray(t->deps, t->ndeps + 1, sizeof *t->deps);
	t->deps[t->ndeps].task = (size_t)dep;
	t->deps[t->ndeps].kind = kind;
	t->ndeps++;
}

/* Whether stage s runs on node n. */
static int
plan_runs_on(const struct plan *p, enum stage s, size_t n)
{
	switch (stage_where(s)) {
	case STAGE_ON_ALL:
		return 1;
	case STAGE_ON_FIRST:
		return n == p->first;
	case STAGE_ON_OTHERS:
		return n != p->first;
	}
	return 0;
}

/* Wire the dependencies of one task (all earlier tasks exist). */
static void
plan_wire(struct plan *p, struct plan_task *t)
{
	size_t n;

	switch (t->stage) {
	case STAGE_CONNECT:
		break;
	case STAGE_PREFLIGHT:
		for (n = 0; n < p->nnodes; n++)
			plan_add_dep(t, plan_find(p, n, STAGE_CONNECT),
			    n == t->node ? PLAN_DEP_DONE : PLAN_DEP_SETTLED);
		break;
	case STAGE_SYSTEM:
	case STAGE_RUNTIME:
	case STAGE_PACKAGES:
	case STAGE_IMAGES:
		plan_add_dep(t, plan_find(p, t->node, t->stage - 1),
		    PLAN_DEP_DONE);
		break;
	case STAGE_INIT:
		plan_add_dep(t, plan_find(p, t->node, STAGE_IMAGES),
		    PLAN_DEP_DONE);
		break;
	case STAGE_NETWORK:
		plan_add_dep(t, plan_find(p, t->node, STAGE_INIT),
		    PLAN_DEP_DONE);
		break;
	case STAGE_JOIN:
		plan_add_dep(t, plan_find(p, p->first, STAGE_INIT),
		    PLAN_DEP_DONE);
		plan_add_dep(t, plan_find(p, t->node, STAGE_IMAGES),
		    PLAN_DEP_DONE);
		break;
	case STAGE_READY:
		plan_add_dep(t, plan_find(p, t->node, STAGE_NETWORK),
		    PLAN_DEP_DONE);
		for (n = 0; n < p->nnodes; n++) {
			if (n != p->first)
				plan_add_dep(t, plan_find(p, n, STAGE_JOIN),
				    PLAN_DEP_DONE);
		}
		break;
	case STAGE_DASHBOARD:
		plan_add_dep(t, plan_find(p, t->node, STAGE_READY),
		    PLAN_DEP_DONE);
		break;
	case STAGE_COUNT:
		fatalx("plan_wire: bad stage");
	}
}

/* Build the task graph of a cluster up to stage last. */
struct plan *
plan_new(const struct cluster *c, enum stage last)
{
	const struct cluster_node *cp;
	struct plan *p;
	struct plan_task *t;
	size_t n, i;
	int s;

	if (c->nnodes == 0)
		return NULL;
	cp = cluster_first_control_plane(c);
	if (cp == NULL)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->nnodes = c->nnodes;
	p->first = (size_t)(cp - c->nodes);
	p->last = last;
	p->index = xcalloc(c->nnodes * STAGE_COUNT, sizeof *p->index);
	for (i = 0; i < c->nnodes * STAGE_COUNT; i++)
		p->index[i] = -1;
	p->tasks = xcalloc(c->nnodes * STAGE_COUNT, sizeof *p->tasks);
	for (s = 0; s <= (int)last && s < STAGE_COUNT; s++) {
		for (n = 0; n < c->nnodes; n++) {
			if (!plan_runs_on(p, s, n))
				continue;
			t = &p->tasks[p->ntasks];
			t->node = n;
			t->stage = s;
			p->index[n * STAGE_COUNT + s] = (int)p->ntasks++;
			plan_wire(p, t);
		}
	}
	return p;
}

/* Free a plan. */
void
plan_free(struct plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->ntasks; i++)
		free(p->tasks[i].deps);
	free(p->tasks);
	free(p->index);
	free(p);
}

/* Task index of (node, stage), or -1. */
int
plan_find(const struct plan *p, size_t node, enum stage s)
{
	if (node >= p->nnodes || (int)s < 0 || s >= STAGE_COUNT)
		return -1;
	return p->index[node * STAGE_COUNT + s];
}

/* Whether a state is final. */
int
plan_state_is_final(enum task_state st)
{
	switch (st) {
	case TASK_DONE:
	case TASK_SKIPPED:
	case TASK_FAILED:
	case TASK_BLOCKED:
	case TASK_CANCELLED:
		return 1;
	default:
		return 0;
	}
}

/* Decide whether a task may run now. Blocking wins over waiting, so a
 * failure is reported as soon as it is known. */
enum plan_readiness
plan_readiness(const struct plan *p, const enum task_state *states,
    const unsigned char *waived, size_t task, size_t *why)
{
	const struct plan_task *t = &p->tasks[task];
	const struct plan_dep *d;
	enum plan_readiness r = PLAN_READY;
	enum task_state st;
	size_t i, wait = 0;

	for (i = 0; i < t->ndeps; i++) {
		d = &t->deps[i];
		if (waived != NULL && waived[d->task])
			continue;
		st = states[d->task];
		if (d->kind == PLAN_DEP_SETTLED) {
			if (!plan_state_is_final(st) && r == PLAN_READY) {
				r = PLAN_WAIT;
				wait = d->task;
			}
			continue;
		}
		if (st == TASK_DONE || st == TASK_SKIPPED)
			continue;
		if (st == TASK_FAILED || st == TASK_BLOCKED ||
		    st == TASK_CANCELLED) {
			if (why != NULL)
				*why = d->task;
			return PLAN_BLOCK;
		}
		if (r == PLAN_READY) {
			r = PLAN_WAIT;
			wait = d->task;
		}
	}
	if (r == PLAN_WAIT && why != NULL)
		*why = wait;
	return r;
}

/* Collect the transitive dependents of a task through "done" edges.
 * Dependencies always point to earlier tasks, so one forward pass is
 * enough. */
size_t
plan_dependents(const struct plan *p, size_t task, size_t *out)
{
	unsigned char *hit;
	const struct plan_task *t;
	size_t i, j, n = 0;

	hit = xcalloc(p->ntasks, 1);
	hit[task] = 1;
	for (i = task + 1; i < p->ntasks; i++) {
		t = &p->tasks[i];
		for (j = 0; j < t->ndeps; j++) {
			if (t->deps[j].kind == PLAN_DEP_DONE &&
			    hit[t->deps[j].task]) {
				hit[i] = 1;
				out[n++] = i;
				break;
			}
		}
	}
	free(hit);
	return n;
}
