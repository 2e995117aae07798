/* test_plan.c: the task graph: which tasks exist, their order, and that
 * a failure blocks only what depends on it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"
#include "xmalloc.h"

/* A cluster whose roles are given as a string: 'c' control plane, 'w'
 * worker. Only the fields the plan reads are set. */
static struct cluster *
make_cluster(const char *roles)
{
	struct cluster *c;
	size_t i;

	c = xcalloc(1, sizeof *c);
	c->nnodes = strlen(roles);
	c->nodes = xcalloc(c->nnodes, sizeof *c->nodes);
	for (i = 0; i < c->nnodes; i++) {
		c->nodes[i].name = xasprintf("node%zu", i);
		c->nodes[i].role = roles[i] == 'c' ? ROLE_CONTROL_PLANE :
		    ROLE_WORKER;
	}
	return c;
}

/* Free a cluster made by make_cluster. */
static void
free_cluster(struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		free(c->nodes[i].name);
	free(c->nodes);
	free(c);
}

/* Index of (node, stage), asserting it exists. */
static size_t
task(const struct plan *p, size_t node, enum stage s)
{
	int i = plan_find(p, node, s);

	assert_true(i >= 0);
	return (size_t)i;
}

/* Whether task a depends directly on task b. */
static int
depends(const struct plan *p, size_t a, size_t b)
{
	size_t i;

	for (i = 0; i < p->tasks[a].ndeps; i++) {
		if (p->tasks[a].deps[i].task == b)
			return 1;
	}
	return 0;
}

/* Run the plan to the end as a scheduler would, one ready task at a time,
 * lowest index first; tasks in fail end FAILED, every other task that can
 * run ends DONE, and blocked ones BLOCKED. Records the finishing order. */
static void
simulate(const struct plan *p, enum task_state *st, const size_t *fail,
    size_t nfail, size_t *order, size_t *norder)
{
	size_t i, j, why, progress = 1;
	enum plan_readiness r;

	for (i = 0; i < p->ntasks; i++)
		st[i] = TASK_PENDING;
	*norder = 0;
	while (progress) {
		progress = 0;
		for (i = 0; i < p->ntasks; i++) {
			if (plan_state_is_final(st[i]))
				continue;
			r = plan_readiness(p, st, NULL, i, &why);
			if (r == PLAN_WAIT)
				continue;
			if (r == PLAN_BLOCK) {
				assert_true(depends(p, i, why));
				st[i] = TASK_BLOCKED;
			} else {
				st[i] = TASK_DONE;
				for (j = 0; j < nfail; j++) {
					if (fail[j] == i)
						st[i] = TASK_FAILED;
				}
				order[(*norder)++] = i;
			}
			progress = 1;
			break;
		}
	}
	for (i = 0; i < p->ntasks; i++)
		assert_true(plan_state_is_final(st[i]));
}

/* The guide's layout, 1 control plane + 2 workers: the tasks of the
 * design's table, each waiting for exactly what it should. */
static void
test_plan_classic_layout(void **state)
{
	struct cluster *c = make_cluster("cww");
	struct plan *p;
	size_t n, pf;

	(void)state;
	p = plan_new(c, STAGE_DASHBOARD);
	assert_non_null(p);
	assert_int_equal(p->first, 0);
	/* 6 per node, init/network/ready/dashboard once, 2 joins. */
	assert_int_equal(p->ntasks, 3 * 6 + 4 + 2);
	assert_int_equal(plan_find(p, 0, STAGE_JOIN), -1);
	assert_int_equal(plan_find(p, 1, STAGE_INIT), -1);
	assert_int_equal(plan_find(p, 2, STAGE_DASHBOARD), -1);
	assert_int_equal(plan_find(p, 3, STAGE_CONNECT), -1);

	/* connect waits for nothing. */
	assert_int_equal(p->tasks[task(p, 1, STAGE_CONNECT)].ndeps, 0);
	/* preflight: own connect done, the others' connect settled. */
	pf = task(p, 1, STAGE_PREFLIGHT);
	assert_int_equal(p->tasks[pf].ndeps, 3);
	for (n = 0; n < 3; n++) {
		assert_true(depends(p, pf, task(p, n, STAGE_CONNECT)));
		assert_int_equal(p->tasks[pf].deps[n].kind,
		    n == 1 ? PLAN_DEP_DONE : PLAN_DEP_SETTLED);
	}
	/* Each node's own chain. */
	assert_true(depends(p, task(p, 2, STAGE_RUNTIME),
	    task(p, 2, STAGE_SYSTEM)));
	assert_false(depends(p, task(p, 2, STAGE_RUNTIME),
	    task(p, 1, STAGE_SYSTEM)));
	/* init: the first control plane's images only. */
	assert_int_equal(p->tasks[task(p, 0, STAGE_INIT)].ndeps, 1);
	assert_true(depends(p, task(p, 0, STAGE_INIT),
	    task(p, 0, STAGE_IMAGES)));
	/* join: init and own images, not network. */
	assert_int_equal(p->tasks[task(p, 2, STAGE_JOIN)].ndeps, 2);
	assert_true(depends(p, task(p, 2, STAGE_JOIN),
	    task(p, 0, STAGE_INIT)));
	assert_true(depends(p, task(p, 2, STAGE_JOIN),
	    task(p, 2, STAGE_IMAGES)));
	/* ready: network and every join. */
	assert_int_equal(p->tasks[task(p, 0, STAGE_READY)].ndeps, 3);
	assert_true(depends(p, task(p, 0, STAGE_READY),
	    task(p, 0, STAGE_NETWORK)));
	assert_true(depends(p, task(p, 0, STAGE_READY),
	    task(p, 1, STAGE_JOIN)));
	assert_true(depends(p, task(p, 0, STAGE_READY),
	    task(p, 2, STAGE_JOIN)));
	assert_true(depends(p, task(p, 0, STAGE_DASHBOARD),
	    task(p, 0, STAGE_READY)));
	plan_free(p);
	free_cluster(c);
}

/* Running the whole plan finishes every task, and each only after all of
 * its dependencies. */
static void
test_plan_order(void **state)
{
	struct cluster *c = make_cluster("wcwcw");
	struct plan *p;
	enum task_state *st;
	size_t *order, *pos, norder, i, j;

	(void)state;
	p = plan_new(c, STAGE_DASHBOARD);
	assert_non_null(p);
	/* The first control plane is the first node with that role. */
	assert_int_equal(p->first, 1);
	assert_true(plan_find(p, 3, STAGE_JOIN) >= 0);	/* second CP joins */
	st = xcalloc(p->ntasks, sizeof *st);
	order = xcalloc(p->ntasks, sizeof *order);
	pos = xcalloc(p->ntasks, sizeof *pos);
	simulate(p, st, NULL, 0, order, &norder);
	assert_int_equal(norder, p->ntasks);
	for (i = 0; i < norder; i++)
		pos[order[i]] = i;
	for (i = 0; i < p->ntasks; i++) {
		assert_int_equal(st[i], TASK_DONE);
		for (j = 0; j < p->tasks[i].ndeps; j++)
			assert_true(pos[p->tasks[i].deps[j].task] < pos[i]);
	}
	/* Before anything is done, only the connects are ready. */
	for (i = 0; i < p->ntasks; i++)
		st[i] = TASK_PENDING;
	for (i = 0; i < p->ntasks; i++) {
		assert_int_equal(plan_readiness(p, st, NULL, i, NULL) ==
		    PLAN_READY, p->tasks[i].stage == STAGE_CONNECT);
	}
	free(pos);
	free(order);
	free(st);
	plan_free(p);
	free_cluster(c);
}

/* A worker whose runtime fails: its later stages, its join, ready and
 * dashboard are blocked; the other worker joins, init and network run. */
static void
test_plan_failure_isolation(void **state)
{
	struct cluster *c = make_cluster("cww");
	struct plan *p;
	enum task_state *st;
	size_t *order, *dep, norder, ndep, fail, i;

	(void)state;
	p = plan_new(c, STAGE_DASHBOARD);
	st = xcalloc(p->ntasks, sizeof *st);
	order = xcalloc(p->ntasks, sizeof *order);
	dep = xcalloc(p->ntasks, sizeof *dep);
	fail = task(p, 1, STAGE_RUNTIME);

	ndep = plan_dependents(p, fail, dep);
	assert_int_equal(ndep, 5);
	assert_int_equal(dep[0], task(p, 1, STAGE_PACKAGES));
	assert_int_equal(dep[1], task(p, 1, STAGE_IMAGES));
	assert_int_equal(dep[2], task(p, 1, STAGE_JOIN));
	assert_int_equal(dep[3], task(p, 0, STAGE_READY));
	assert_int_equal(dep[4], task(p, 0, STAGE_DASHBOARD));

	simulate(p, st, &fail, 1, order, &norder);
	assert_int_equal(st[fail], TASK_FAILED);
	for (i = 0; i < ndep; i++)
		assert_int_equal(st[dep[i]], TASK_BLOCKED);
	assert_int_equal(st[task(p, 2, STAGE_JOIN)], TASK_DONE);
	assert_int_equal(st[task(p, 0, STAGE_INIT)], TASK_DONE);
	assert_int_equal(st[task(p, 0, STAGE_NETWORK)], TASK_DONE);
	assert_int_equal(st[task(p, 2, STAGE_IMAGES)], TASK_DONE);
	assert_int_equal(norder, p->ntasks - ndep);

	/* The operator skips the failed worker: ready no longer waits for
	 * its join. */
	{
		unsigned char *waived = xcalloc(p->ntasks, 1);
		size_t why = 0;

		assert_int_equal(plan_readiness(p, st, NULL,
		    task(p, 0, STAGE_READY), &why), PLAN_BLOCK);
		assert_int_equal(why, task(p, 1, STAGE_JOIN));
		waived[task(p, 1, STAGE_JOIN)] = 1;
		assert_int_equal(plan_readiness(p, st, waived,
		    task(p, 0, STAGE_READY), NULL), PLAN_READY);
		free(waived);
	}
	free(dep);
	free(order);
	free(st);
	plan_free(p);
	free_cluster(c);
}

/* A node that cannot be reached does not hold back the others'
 * preflight, but its own preflight is blocked. */
static void
test_plan_connect_failure(void **state)
{
	struct cluster *c = make_cluster("cww");
	struct plan *p;
	enum task_state *st;
	size_t *order, norder, fail, why = 0;

	(void)state;
	p = plan_new(c, STAGE_DASHBOARD);
	st = xcalloc(p->ntasks, sizeof *st);
	order = xcalloc(p->ntasks, sizeof *order);
	fail = task(p, 2, STAGE_CONNECT);
	/* While node 2 is still connecting, node 0's preflight waits. */
	st[task(p, 0, STAGE_CONNECT)] = TASK_DONE;
	st[task(p, 1, STAGE_CONNECT)] = TASK_DONE;
	st[fail] = TASK_RUNNING;
	assert_int_equal(plan_readiness(p, st, NULL,
	    task(p, 0, STAGE_PREFLIGHT), &why), PLAN_WAIT);
	assert_int_equal(why, fail);

	simulate(p, st, &fail, 1, order, &norder);
	assert_int_equal(st[task(p, 0, STAGE_PREFLIGHT)], TASK_DONE);
	assert_int_equal(st[task(p, 1, STAGE_JOIN)], TASK_DONE);
	assert_int_equal(st[task(p, 2, STAGE_PREFLIGHT)], TASK_BLOCKED);
	assert_int_equal(st[task(p, 2, STAGE_JOIN)], TASK_BLOCKED);
	assert_int_equal(st[task(p, 0, STAGE_READY)], TASK_BLOCKED);
	free(order);
	free(st);
	plan_free(p);
	free_cluster(c);
}

/* "kubewiz check" plans connect and preflight only; a cluster without a
 * control plane has no plan. */
static void
test_plan_check_only(void **state)
{
	struct cluster *c = make_cluster("cww");
	struct cluster *w = make_cluster("ww");
	struct plan *p;
	size_t i;

	(void)state;
	p = plan_new(c, STAGE_PREFLIGHT);
	assert_non_null(p);
	assert_int_equal(p->ntasks, 6);
	for (i = 0; i < p->ntasks; i++)
		assert_true(p->tasks[i].stage <= STAGE_PREFLIGHT);
	assert_int_equal(plan_find(p, 0, STAGE_SYSTEM), -1);
	plan_free(p);
	assert_null(plan_new(w, STAGE_DASHBOARD));
	free_cluster(w);
	free_cluster(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_classic_layout),
		cmocka_unit_test(test_plan_order),
		cmocka_unit_test(test_plan_failure_isolation),
		cmocka_unit_test(test_plan_connect_failure),
		cmocka_unit_test(test_plan_check_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
