/* test_crosscheck.c: checks across nodes' facts (identity, networks,
 * control-plane size, cgroup). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crosscheck.h"
#include "xmalloc.h"

/* A 1 + 2 cluster at version 1.30.4 with the classic pod subnet. */
static struct cluster *
make_cluster(void)
{
	static const char *const names[] = { "k8s-master", "k8s-node1",
	    "k8s-node2" };
	struct cluster *c;
	size_t i;

	c = xcalloc(1, sizeof *c);
	c->nnodes = 3;
	c->nodes = xcalloc(3, sizeof *c->nodes);
	for (i = 0; i < 3; i++) {
		c->nodes[i].name = xstrdup(names[i]);
		c->nodes[i].role = i == 0 ? ROLE_CONTROL_PLANE : ROLE_WORKER;
	}
	c->kubernetes.pod_subnet = xstrdup("192.168.0.0/16");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->kubernetes.v.major = 1;
	c->kubernetes.v.minor = 30;
	c->kubernetes.v.patch = 4;
	return c;
}

/* Free make_cluster's cluster. */
static void
free_cluster(struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		free(c->nodes[i].name);
	free(c->nodes);
	free(c->kubernetes.pod_subnet);
	free(c->kubernetes.service_subnet);
	free(c);
}

/* Healthy, distinct facts for node i. */
static void
good_facts(struct node_facts *f, size_t i)
{
	char *s;

	node_facts_set(f, "hostname", "localhost");	/* same everywhere */
	s = xasprintf("4c4c4544-0000-1000-8000-00000000000%zu", i);
	node_facts_set(f, "product_uuid", s);
	free(s);
	s = xasprintf("52:54:00:00:00:0%zu 52:54:00:00:01:0%zu", i, i);
	node_facts_set(f, "macs", s);
	free(s);
	s = xasprintf("127.0.0.0/8 172.31.%zu.0/24", i);
	node_facts_set(f, "ipv4_nets", s);
	free(s);
	node_facts_set(f, "cpus", "2");
	node_facts_set(f, "mem_mb", "3900");
	node_facts_set(f, "cgroup", "v1");
}

/* Whether some diagnostic of a level contains text. */
static int
has_diag(const struct diag_list *d, enum diag_level level, const char *text)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->items[i].level == level &&
		    strstr(d->items[i].msg, text) != NULL)
			return 1;
	}
	return 0;
}

/* Distinct facts pass, even with the same pre-install hostname; facts
 * can be replaced and read back. */
static void
test_crosscheck_clean(void **state)
{
	struct cluster *c = make_cluster();
	struct node_facts f[3];
	struct diag_list d;
	size_t i;

	(void)state;
	memset(f, 0, sizeof f);
	diag_init(&d);
	for (i = 0; i < 3; i++)
		good_facts(&f[i], i);
	node_facts_set(&f[0], "cpus", "4");
	assert_string_equal(node_facts_get(&f[0], "cpus"), "4");
	assert_null(node_facts_get(&f[0], "nothing"));
	for (i = 0; i < 3; i++)
		assert_int_equal(crosscheck_node(c, f, i, &d), 0);
	assert_int_equal(d.n, 0);
	for (i = 0; i < 3; i++)
		node_facts_clear(&f[i]);
	diag_clear(&d);
	free_cluster(c);
}

/* The classic clash: a node on 192.168.1.0/24 with the default Calico
 * pod subnet 192.168.0.0/16 is an error for that node only. */
static void
test_crosscheck_pod_subnet_clash(void **state)
{
	struct cluster *c = make_cluster();
	struct node_facts f[3];
	struct diag_list d;
	size_t i;

	(void)state;
	memset(f, 0, sizeof f);
	diag_init(&d);
	for (i = 0; i < 3; i++)
		good_facts(&f[i], i);
	node_facts_set(&f[2], "ipv4_nets", "127.0.0.0/8 192.168.1.0/24");
	assert_int_equal(crosscheck_node(c, f, 0, &d), 0);
	assert_int_equal(crosscheck_node(c, f, 2, &d), 1);
	assert_true(has_diag(&d, DIAG_ERROR, "podSubnet 192.168.0.0/16 "
	    "overlaps the network 192.168.1.0/24 of k8s-node2"));
	assert_string_equal(d.items[0].path, "nodes[2]");
	/* The service subnet too. */
	node_facts_set(&f[1], "ipv4_nets", "10.96.128.0/20");
	assert_int_equal(crosscheck_node(c, f, 1, &d), 1);
	assert_true(has_diag(&d, DIAG_ERROR, "serviceSubnet 10.96.0.0/16"));
	for (i = 0; i < 3; i++)
		node_facts_clear(&f[i]);
	diag_clear(&d);
	free_cluster(c);
}

/* Shared product_uuid and MAC are warnings naming both nodes; the
 * all-zero MAC and nodes that never connected are ignored. */
static void
test_crosscheck_identity(void **state)
{
	struct cluster *c = make_cluster();
	struct node_facts f[3];
	struct diag_list d;
	size_t i;

	(void)state;
	memset(f, 0, sizeof f);
	diag_init(&d);
	for (i = 0; i < 2; i++)
		good_facts(&f[i], i);
	/* f[2] stays empty: node 2 did not connect. */
	node_facts_set(&f[1], "product_uuid",
	    node_facts_get(&f[0], "product_uuid"));
	node_facts_set(&f[0], "macs", "00:00:00:00:00:00 52:54:00:AA:BB:CC");
	node_facts_set(&f[1], "macs", "00:00:00:00:00:00 52:54:00:aa:bb:cc");
	assert_int_equal(crosscheck_node(c, f, 1, &d), 0);
	assert_int_equal(diag_errors(&d), 0);
	assert_int_equal(d.n, 2);
	assert_true(has_diag(&d, DIAG_WARNING, "k8s-node1 has the same "
	    "product_uuid as k8s-master"));
	assert_true(has_diag(&d, DIAG_WARNING, "k8s-node1 and k8s-master "
	    "both have the MAC address 52:54:00:aa:bb:cc"));
	assert_false(has_diag(&d, DIAG_WARNING, "00:00:00:00:00:00"));
	diag_clear(&d);
	assert_int_equal(crosscheck_node(c, f, 2, &d), 0);
	assert_int_equal(d.n, 0);
	for (i = 0; i < 3; i++)
		node_facts_clear(&f[i]);
	diag_clear(&d);
	free_cluster(c);
}

/* Control planes need 2 CPUs and 1700 MB; workers do not. cgroup v1 is
 * refused from 1.35. Duplicate configured names are errors. */
static void
test_crosscheck_control_plane_and_cgroup(void **state)
{
	struct cluster *c = make_cluster();
	struct node_facts f[3];
	struct diag_list d;
	size_t i;

	(void)state;
	memset(f, 0, sizeof f);
	diag_init(&d);
	for (i = 0; i < 3; i++) {
		good_facts(&f[i], i);
		node_facts_set(&f[i], "cpus", "1");
		node_facts_set(&f[i], "mem_mb", "1024");
	}
	assert_int_equal(crosscheck_node(c, f, 0, &d), 2);
	assert_true(has_diag(&d, DIAG_ERROR, "k8s-master has 1 CPU(s)"));
	assert_true(has_diag(&d, DIAG_ERROR, "1024 MB"));
	assert_int_equal(crosscheck_node(c, f, 1, &d), 0);
	diag_clear(&d);

	c->kubernetes.v.minor = 35;
	assert_int_equal(crosscheck_node(c, f, 1, &d), 1);
	assert_true(has_diag(&d, DIAG_ERROR, "cgroup v1"));
	node_facts_set(&f[1], "cgroup", "v2");
	diag_clear(&d);
	assert_int_equal(crosscheck_node(c, f, 1, &d), 0);

	free(c->nodes[2].name);
	c->nodes[2].name = xstrdup("k8s-node1");
	assert_int_equal(crosscheck_node(c, f, 1, &d), 1);
	assert_true(has_diag(&d, DIAG_ERROR, "used by two nodes"));
	for (i = 0; i < 3; i++)
		node_facts_clear(&f[i]);
	diag_clear(&d);
	free_cluster(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crosscheck_clean),
		cmocka_unit_test(test_crosscheck_pod_subnet_clash),
		cmocka_unit_test(test_crosscheck_identity),
		cmocka_unit_test(test_crosscheck_control_plane_and_cgroup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
