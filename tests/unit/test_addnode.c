/* test_addnode.c: what "kubewiz add-node" accepts: the saved cluster plus
 * new nodes (also control planes, also with other SSH settings), and
 * nothing else: another name, version, network, registry or Dashboard,
 * a node dropped, moved or changed in role, another first control plane,
 * or no new node at all. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addnode.h"
#include "cluster.h"
#include "xmalloc.h"

/* A cluster of n nodes: node 0 the control plane, the others workers. */
static struct cluster *
make_cluster(size_t n)
{
	struct cluster *c;
	size_t i;

	c = cluster_new();
	c->name = xstrdup("demo");
	c->kubernetes.version = xstrdup("1.20.9");
	cluster_parse_version(c->kubernetes.version, &c->kubernetes.v);
	c->kubernetes.pod_subnet = xstrdup("192.168.0.0/16");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->registry.image_repository =
	    xstrdup("registry.cn-hangzhou.aliyuncs.com/google_containers");
	c->nnodes = n;
	c->nodes = xcalloc(n, sizeof *c->nodes);
	for (i = 0; i < n; i++) {
		c->nodes[i].name = i == 0 ? xstrdup("k8s-master") :
		    xasprintf("k8s-node%zu", i);
		c->nodes[i].address = xasprintf("172.31.0.%zu", i + 2);
		c->nodes[i].role = i == 0 ? ROLE_CONTROL_PLANE : ROLE_WORKER;
	}
	cluster_set_defaults(c);
	return c;
}

/* addnode_check's result; *why gets the message (caller frees). */
static int
check(const struct cluster *saved, const struct cluster *next, char **why)
{
	int rc;

	*why = NULL;
	rc = addnode_check(saved, next, why);
	if (rc < 0)
		assert_non_null(*why);
	else
		assert_null(*why);
	return rc;
}

/* New workers, and a new control plane, are accepted. */
static void
test_accepts(void **state)
{
	struct cluster *saved, *next;
	char *why;

	(void)state;
	saved = make_cluster(2);
	next = make_cluster(4);
	assert_int_equal(check(saved, next, &why), 2);
	/* Other SSH settings only change how kubewiz connects. */
	free(next->ssh.user);
	next->ssh.user = xstrdup("admin");
	next->nodes[1].ssh.port = 2200;
	assert_int_equal(check(saved, next, &why), 2);
	next->nodes[3].role = ROLE_CONTROL_PLANE;
	assert_int_equal(check(saved, next, &why), 2);
	cluster_free(next);
	cluster_free(saved);
}

/* Anything but nodes changed is refused, saying what. */
static void
test_refuses(void **state)
{
	struct cluster *saved, *next;
	char *why;

	(void)state;
	saved = make_cluster(2);

	next = make_cluster(3);
	free(next->name);
	next->name = xstrdup("other");
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "'other'"));
	free(why);
	cluster_free(next);

	next = make_cluster(3);
	free(next->kubernetes.version);
	next->kubernetes.version = xstrdup("1.21.14");
	cluster_parse_version(next->kubernetes.version, &next->kubernetes.v);
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "kubernetes:"));
	free(why);
	cluster_free(next);

	next = make_cluster(3);
	free(next->kubernetes.pod_subnet);
	next->kubernetes.pod_subnet = xstrdup("10.244.0.0/16");
	assert_int_equal(check(saved, next, &why), -1);
	free(why);
	cluster_free(next);

	next = make_cluster(3);
	free(next->registry.image_repository);
	next->registry.image_repository = xstrdup("");
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "registry:"));
	free(why);
	cluster_free(next);

	next = make_cluster(3);
	next->dashboard.kind = DASHBOARD_NONE;
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "dashboard:"));
	free(why);
	cluster_free(next);

	/* An existing node dropped, moved, or made a control plane. */
	next = make_cluster(3);
	free(next->nodes[1].name);
	next->nodes[1].name = xstrdup("k8s-other");
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "node k8s-node1"));
	assert_non_null(strstr(why, "--node k8s-node1"));
	free(why);
	cluster_free(next);

	next = make_cluster(3);
	free(next->nodes[1].address);
	next->nodes[1].address = xstrdup("172.31.0.99");
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "172.31.0.99"));
	free(why);
	cluster_free(next);

	next = make_cluster(3);
	next->nodes[1].role = ROLE_CONTROL_PLANE;
	assert_int_equal(check(saved, next, &why), -1);
	free(why);
	cluster_free(next);

	/* Another first control plane: a new one listed before. */
	next = make_cluster(3);
	{
		struct cluster_node tmp = next->nodes[0];

		next->nodes[0] = next->nodes[2];
		next->nodes[2] = tmp;
		next->nodes[0].role = ROLE_CONTROL_PLANE;
	}
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "first control plane"));
	free(why);
	cluster_free(next);

	/* Nothing new. */
	next = make_cluster(2);
	assert_int_equal(check(saved, next, &why), -1);
	assert_non_null(strstr(why, "adds no node"));
	free(why);
	cluster_free(next);

	cluster_free(saved);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
