/* test_cluster.c: unit tests of the cluster model and its validation rules. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cluster.h"

/* Replace a string field with a copy of value (NULL allowed). */
static void
set(char **field, const char *value)
{
	free(*field);
	*field = value == NULL ? NULL : xstrdup(value);
}

/* Append a node to c. */
static void
add_node(struct cluster *c, const char *name, const char *address,
    enum cluster_role role)
{
	struct cluster_node	*n;

	c->nodes = xreallocarray(c->nodes, c->nnodes + 1, sizeof *c->nodes);
	n = &c->nodes[c->nnodes++];
	memset(n, 0, sizeof *n);
	n->name = xstrdup(name);
	n->address = xstrdup(address);
	n->role = role;
}

/* The classic guide's three nodes, defaults applied: a valid cluster. */
static struct cluster *
classic(void)
{
	struct cluster	*c;

	c = cluster_new();
	c->name = xstrdup("demo");
	c->kubernetes.version = xstrdup("1.20.9");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->registry.image_repository =
	    xstrdup("registry.cn-hangzhou.aliyuncs.com/google_containers");
	c->registry.package_mirror = xstrdup("https://mirrors.aliyun.com");
	c->registry.mirrors = xcalloc(1, sizeof *c->registry.mirrors);
	c->registry.mirrors[0] = xstrdup("https://abcd1234.mirror.aliyuncs.com");
	c->registry.nmirrors = 1;
	add_node(c, "k8s-master", "172.31.0.2", ROLE_CONTROL_PLANE);
	add_node(c, "k8s-node1", "172.31.0.3", ROLE_WORKER);
	add_node(c, "k8s-node2", "172.31.0.4", ROLE_WORKER);
	cluster_set_defaults(c);
	return c;
}

/* Validate c and return the number of errors, keeping the list in d;
 * every message is printed to help when a test fails. */
static size_t
run(const struct cluster *c, struct diag_list *d)
{
	size_t	n, i;

	diag_init(d);
	n = cluster_validate(c, d);
	for (i = 0; i < d->n; i++)
		print_message("  %s: %s\n", d->items[i].path, d->items[i].msg);
	return n;
}

/* Assert that validating c gives an error at path whose text holds want,
 * and that cluster_check_field gives the same text; frees c. */
static void
expect_error(struct cluster *c, const char *path, const char *want)
{
	struct diag_list	 d;
	size_t			 i, found = 0;
	char			*msg;

	assert_true(run(c, &d) >= 1);
	for (i = 0; i < d.n; i++) {
		if (d.items[i].level != DIAG_ERROR || d.items[i].path == NULL ||
		    strcmp(d.items[i].path, path) != 0)
			continue;
		if (strstr(d.items[i].msg, want) != NULL)
			found = 1;
		assert_int_equal(d.items[i].line, 0);
	}
	if (!found)
		fail_msg("no error at %s containing \"%s\"", path, want);
	msg = cluster_check_field(c, path);
	assert_non_null(msg);
	free(msg);
	diag_clear(&d);
	cluster_free(c);
}

/* Assert that c validates without errors; frees c. */
static void
expect_valid(struct cluster *c)
{
	struct diag_list	d;
	size_t			n;

	n = run(c, &d);
	assert_int_equal(n, 0);
	diag_clear(&d);
	cluster_free(c);
}

/* The classic example is valid, has the classic profile and Docker. */
static void
test_classic_valid(void **state)
{
	struct cluster	*c = classic();

	(void)state;
	assert_int_equal(cluster_profile(c), PROFILE_CLASSIC);
	assert_int_equal(cluster_runtime(c), RUNTIME_DOCKER);
	assert_string_equal(c->dashboard.version, "v2.3.1");
	assert_string_equal(c->kubernetes.control_plane_endpoint,
	    "cluster-endpoint");
	assert_string_equal(c->kubernetes.pod_subnet, "192.168.0.0/16");
	assert_int_equal(c->dashboard.node_port, 30443);
	assert_string_equal(c->ssh.user, "root");
	assert_int_equal(c->ssh.port, 22);
	expect_valid(c);
}

/* Defaults for a modern version: containerd, Dashboard v2.7.0. */
static void
test_modern_defaults(void **state)
{
	struct cluster	*c = cluster_new();

	(void)state;
	c->name = xstrdup("modern");
	c->kubernetes.version = xstrdup("1.34.2");
	add_node(c, "cp1", "10.0.0.10", ROLE_CONTROL_PLANE);
	cluster_set_defaults(c);
	assert_int_equal(cluster_profile(c), PROFILE_MODERN);
	assert_int_equal(cluster_runtime(c), RUNTIME_CONTAINERD);
	assert_string_equal(c->dashboard.version, "v2.7.0");
	assert_string_equal(c->kubernetes.service_subnet, "10.96.0.0/12");
	assert_string_equal(c->registry.image_repository, "");
	assert_string_equal(c->dashboard.token_duration, "24h");
	assert_int_equal(c->kubernetes.v.minor, 34);
	expect_valid(c);
}

/* Profile boundary: 1.23.17 classic, 1.24.0 modern. */
static void
test_profile_boundary(void **state)
{
	struct cluster	*c = classic();

	(void)state;
	set(&c->kubernetes.version, "1.23.17");
	c->kubernetes.v.major = 0;
	assert_int_equal(cluster_profile(c), PROFILE_CLASSIC);
	set(&c->kubernetes.version, "1.24.0");
	assert_int_equal(cluster_profile(c), PROFILE_MODERN);
	assert_int_equal(cluster_runtime(c), RUNTIME_CONTAINERD);
	cluster_free(c);
}

/* Version parsing and comparison. */
static void
test_version_parse(void **state)
{
	struct cluster_version	a, b;

	(void)state;
	assert_int_equal(cluster_parse_version("1.20.9", &a), 0);
	assert_int_equal(a.major, 1);
	assert_int_equal(a.minor, 20);
	assert_int_equal(a.patch, 9);
	assert_int_equal(cluster_parse_version("v1.34.2", &b), 0);
	assert_true(cluster_version_cmp(&a, &b) < 0);
	assert_true(cluster_version_cmp(&b, &a) > 0);
	assert_int_equal(cluster_version_cmp(&a, &a), 0);
	assert_int_equal(cluster_parse_version("1.20", &a), -1);
	assert_int_equal(cluster_parse_version("1.20.9.1", &a), -1);
	assert_int_equal(cluster_parse_version("1.020.9", &a), -1);
	assert_int_equal(cluster_parse_version("1.20.x", &a), -1);
	assert_int_equal(cluster_parse_version("", &a), -1);
	assert_int_equal(cluster_parse_version(NULL, &a), -1);
	assert_int_equal(cluster_parse_version("1.20.99999", &a), -1);
}

/* Durations: whole h, m, s in order. */
static void
test_duration_parse(void **state)
{
	long	s;

	(void)state;
	assert_int_equal(cluster_parse_duration("24h", &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(cluster_parse_duration("1h30m", &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(cluster_parse_duration("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(cluster_parse_duration("1d", &s), -1);
	assert_int_equal(cluster_parse_duration("30m1h", &s), -1);
	assert_int_equal(cluster_parse_duration("1.5h", &s), -1);
	assert_int_equal(cluster_parse_duration("h", &s), -1);
	assert_int_equal(cluster_parse_duration("", &s), -1);
	assert_int_equal(cluster_parse_duration("99999999999h", &s), -1);
}

/* First control plane, lookup, effective SSH settings. */
static void
test_helpers(void **state)
{
	struct cluster		*c = classic();
	struct cluster_ssh	 s;

	(void)state;
	/* A worker first: the init node is still the first control plane. */
	c->nodes[0].role = ROLE_WORKER;
	c->nodes[2].role = ROLE_CONTROL_PLANE;
	assert_ptr_equal(cluster_first_control_plane(c), &c->nodes[2]);
	assert_int_equal(cluster_control_planes(c), 1);
	c->nodes[1].role = ROLE_CONTROL_PLANE;
	assert_ptr_equal(cluster_first_control_plane(c), &c->nodes[1]);
	assert_int_equal(cluster_find_node(c, "k8s-node2"), 2);
	assert_int_equal(cluster_find_node(c, "nope"), -1);
	assert_string_equal(cluster_node_ssh_address(&c->nodes[0]), "172.31.0.2");
	c->nodes[0].ssh_address = xstrdup("139.198.0.10");
	assert_string_equal(cluster_node_ssh_address(&c->nodes[0]),
	    "139.198.0.10");
	c->nodes[1].ssh.port = 2222;
	c->nodes[1].ssh.user = xstrdup("admin");
	cluster_node_ssh(c, &c->nodes[1], &s);
	assert_int_equal(s.port, 2222);
	assert_string_equal(s.user, "admin");
	assert_string_equal(s.known_hosts, "~/.ssh/known_hosts");
	cluster_node_ssh(c, &c->nodes[2], &s);
	assert_int_equal(s.port, 22);
	assert_string_equal(s.user, "root");
	assert_string_equal(cluster_role_name(ROLE_CONTROL_PLANE),
	    "control-plane");
	assert_string_equal(cluster_dashboard_name(DASHBOARD_HEADLAMP),
	    "headlamp");
	cluster_free(c);
}

/* A deep copy is equal, and changing any field makes it unequal. */
static void
test_dup_equal(void **state)
{
	struct cluster	*c = classic(), *d;

	(void)state;
	c->nodes[1].ssh.identity_file = xstrdup("~/.ssh/other");
	d = cluster_dup(c);
	assert_true(cluster_equal(c, d));
	set(&d->nodes[1].ssh.identity_file, "~/.ssh/x");
	assert_false(cluster_equal(c, d));
	set(&d->nodes[1].ssh.identity_file, "~/.ssh/other");
	assert_true(cluster_equal(c, d));
	set(&d->registry.mirrors[0], "https://other.example");
	assert_false(cluster_equal(c, d));
	cluster_free(d);
	d = cluster_dup(c);
	d->dashboard.node_port = 30444;
	assert_false(cluster_equal(c, d));
	cluster_free(d);
	d = cluster_dup(c);
	d->nodes[2].role = ROLE_CONTROL_PLANE;
	assert_false(cluster_equal(c, d));
	cluster_free(d);
	cluster_free(c);
}

/* Each rule, one bad value at a time. */

static void
test_name_missing(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->name, NULL);
	expect_error(c, "name", "needs a name");
}

static void
test_name_upper(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->name, "Demo");
	expect_error(c, "name", "use lowercase: demo");
}

static void
test_name_chars(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->name, "my_cluster");
	expect_error(c, "name", "contains '_'");
}

static void
test_name_long(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->name, "a123456789012345678901234567890123456789x");
	expect_error(c, "name", "at most 40");
}

static void
test_name_dash(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->name, "demo-");
	expect_error(c, "name", "start and end with a letter or digit");
}

static void
test_version_missing(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.version, NULL);
	expect_error(c, "kubernetes.version", "missing");
}

static void
test_version_bad(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.version, "1.20");
	expect_error(c, "kubernetes.version", "not a version x.y.z");
}

static void
test_version_v(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.version, "v1.20.9");
	expect_error(c, "kubernetes.version", "without the leading v: \"1.20.9\"");
}

static void
test_version_old(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.version, "1.19.16");
	expect_error(c, "kubernetes.version", "installs 1.20.0 to 1.37.x");
}

static void
test_version_far(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.version, "1.45.0");
	expect_error(c, "kubernetes.version", "is unknown");
}

/* 1.38 is newer than the newest known: a warning, not an error. */
static void
test_version_newer_warns(void **state)
{
	struct cluster		*c = classic();
	struct diag_list	 d;

	(void)state;
	set(&c->kubernetes.version, "1.38.0");
	set(&c->dashboard.version, "v2.7.0");
	set(&c->registry.mirrors[0], "https://m.example/path");
	assert_int_equal(run(c, &d), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].level, DIAG_WARNING);
	assert_string_equal(d.items[0].path, "kubernetes.version");
	assert_non_null(strstr(d.items[0].msg, "newer than"));
	diag_clear(&d);
	cluster_free(c);
}

static void
test_endpoint_ip(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.control_plane_endpoint, "172.31.0.2");
	expect_error(c, "kubernetes.controlPlaneEndpoint", "is an address");
}

static void
test_endpoint_upper(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.control_plane_endpoint, "Cluster-Endpoint");
	expect_error(c, "kubernetes.controlPlaneEndpoint",
	    "use lowercase: cluster-endpoint");
}

static void
test_endpoint_worker_name(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.control_plane_endpoint, "k8s-node1");
	expect_error(c, "kubernetes.controlPlaneEndpoint", "also the name");
}

static void
test_endpoint_needed(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.control_plane_endpoint, "");
	c->nodes[1].role = ROLE_CONTROL_PLANE;
	c->nodes[2].role = ROLE_CONTROL_PLANE;
	expect_error(c, "kubernetes.controlPlaneEndpoint",
	    "extra control planes join");
}

static void
test_endpoint_empty(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.control_plane_endpoint, "");
	expect_error(c, "kubernetes.controlPlaneEndpoint", "endpoint is empty");
}

static void
test_pod_bad(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "192.168.0.0");
	expect_error(c, "kubernetes.podSubnet", "missing prefix length");
}

static void
test_pod_host_bits(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "192.168.1.0/16");
	expect_error(c, "kubernetes.podSubnet", "did you mean 192.168.0.0/16?");
}

static void
test_pod_overlap(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "10.96.0.0/14");
	expect_error(c, "kubernetes.podSubnet", "overlaps the service subnet");
}

static void
test_pod_contains_node(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "172.16.0.0/12");
	expect_error(c, "kubernetes.podSubnet",
	    "contains the address 172.31.0.2 of node nodes[0]");
}

static void
test_service_contains_node(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.service_subnet, "172.31.0.0/16");
	expect_error(c, "kubernetes.serviceSubnet", "contains the address");
}

static void
test_pod_small(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "10.244.0.0/24");
	expect_error(c, "kubernetes.podSubnet", "3 nodes need at most /22");
}

static void
test_service_large(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.service_subnet, "10.0.0.0/8");
	expect_error(c, "kubernetes.serviceSubnet", "too large");
}

static void
test_subnet_family(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "fd00:10:244::/56");
	expect_error(c, "kubernetes.podSubnet", "different IP families");
}

static void
test_subnet_dualstack(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "10.244.0.0/16,fd00::/56");
	expect_error(c, "kubernetes.podSubnet", "dual-stack");
}

static void
test_subnet_loopback(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.pod_subnet, "127.0.0.0/16");
	expect_error(c, "kubernetes.podSubnet", "reserved");
}

static void
test_network(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->kubernetes.network, "flannel");
	expect_error(c, "kubernetes.network", "the only one is calico");
}

static void
test_registry_scheme(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.image_repository, "https://registry.example.com/x");
	expect_error(c, "registry.imageRepository", "must not have a scheme");
}

static void
test_registry_chars(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.image_repository, "registry.example.com/x;rm -rf");
	expect_error(c, "registry.imageRepository", "outside a-z 0-9");
}

static void
test_registry_upper(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.image_repository, "Registry.example.com/x");
	expect_error(c, "registry.imageRepository", "uppercase");
}

static void
test_registry_path(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.image_repository, "registry.example.com//x");
	expect_error(c, "registry.imageRepository", "empty or invalid path part");
}

static void
test_registry_port(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.image_repository, "registry.example.com:99999/x");
	expect_error(c, "registry.imageRepository", "invalid port");
}

/* Valid registry names of several shapes. */
static void
test_registry_ok(void **state)
{
	static const char *const ok[] = {
		"registry.k8s.io", "localhost:5000/k8s", "10.0.0.5:5000/a/b_c",
		"myuser", "registry.aliyuncs.com/google_containers",
	};
	struct cluster	*c;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		c = classic();
		set(&c->registry.image_repository, ok[i]);
		expect_valid(c);
	}
}

static void
test_mirror_scheme(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.mirrors[0], "ftp://mirror.example.com");
	expect_error(c, "registry.mirrors[0]", "must start with http://");
}

static void
test_mirror_userinfo(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.mirrors[0], "https://user:pw@mirror.example.com");
	expect_error(c, "registry.mirrors[0]", "user name or password");
}

static void
test_mirror_path_classic(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.mirrors[0], "https://mirror.example.com/v2/x");
	expect_error(c, "registry.mirrors[0]", "must not have a path");
}

static void
test_mirror_chars(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.mirrors[0], "https://mirror.example.com/$(reboot)");
	expect_error(c, "registry.mirrors[0]", "character outside");
}

static void
test_mirror_dup(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->registry.mirrors = xreallocarray(c->registry.mirrors, 2,
	    sizeof *c->registry.mirrors);
	c->registry.mirrors[1] = xstrdup(c->registry.mirrors[0]);
	c->registry.nmirrors = 2;
	expect_error(c, "registry.mirrors[1]", "listed twice");
}

static void
test_package_mirror(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.package_mirror, "mirrors.aliyun.com");
	expect_error(c, "registry.packageMirror", "http:// or https://");
}

static void
test_package_mirror_query(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->registry.package_mirror, "https://mirrors.aliyun.com/?a=b");
	expect_error(c, "registry.packageMirror", "query");
}

static void
test_ssh_user(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->ssh.user, "root;id");
	expect_error(c, "ssh.user", "not a login name");
}

static void
test_ssh_port(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->ssh.port = 70000;
	expect_error(c, "ssh.port", "use 1 to 65535");
}

static void
test_ssh_path_newline(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->ssh.identity_file, "~/.ssh/id\nrm");
	expect_error(c, "ssh.identityFile", "control character");
}

static void
test_ssh_known_hosts_empty(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->ssh.known_hosts, "");
	expect_error(c, "ssh.knownHosts", "path is empty");
}

static void
test_ssh_jump(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->ssh.proxy_jump, "admin@bastion:0");
	expect_error(c, "ssh.proxyJump", "invalid port");
}

static void
test_node_ssh_override(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->nodes[2].ssh.port = 65536;
	expect_error(c, "nodes[2].ssh.port", "65536 is not a port");
}

static void
test_node_ssh_user(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->nodes[1].ssh.user = xstrdup("-oProxyCommand=x");
	expect_error(c, "nodes[1].ssh.user", "not starting with '-'");
}

/* Valid SSH settings of several shapes. */
static void
test_ssh_ok(void **state)
{
	struct cluster	*c = classic();

	(void)state;
	set(&c->ssh.proxy_jump, "admin@bastion.example.com:2222");
	c->nodes[0].ssh.proxy_jump = xstrdup("[fd00::1]:22");
	c->nodes[1].ssh.user = xstrdup("centos");
	c->nodes[1].ssh.identity_file = xstrdup("/keys/node 1");
	c->nodes[2].ssh_address = xstrdup("Node2.Example.COM");
	expect_valid(c);
}

static void
test_nodes_empty(void **state)
{
	struct cluster *c = classic();
	(void)state;
	while (c->nnodes > 0) {
		c->nnodes--;
		free(c->nodes[c->nnodes].name);
		free(c->nodes[c->nnodes].address);
	}
	expect_error(c, "nodes", "no nodes are listed");
}

static void
test_node_name_upper(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[0].name, "K8s-Master");
	expect_error(c, "nodes[0].name", "use lowercase: k8s-master");
}

static void
test_node_name_dot(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[1].name, "node1.example.com");
	expect_error(c, "nodes[1].name", "contains '.'");
}

static void
test_node_name_missing(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[1].name, NULL);
	expect_error(c, "nodes[1].name", "needs a name");
}

static void
test_node_name_dup(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[2].name, "k8s-node1");
	expect_error(c, "nodes[2].name", "already used by nodes[1]");
}

static void
test_node_address_bad(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[1].address, "10.0.0.300");
	expect_error(c, "nodes[1].address", "is not an IPv4 or IPv6 address");
}

static void
test_node_address_cidr(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[1].address, "172.31.0.3/24");
	expect_error(c, "nodes[1].address", "without the /prefix");
}

static void
test_node_address_name(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[1].address, "node1.example.com");
	expect_error(c, "nodes[1].address", "put a host name in sshAddress");
}

static void
test_node_address_missing(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[2].address, NULL);
	expect_error(c, "nodes[2].address", "internal address");
}

static void
test_node_address_dup(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[2].address, "172.31.0.3");
	expect_error(c, "nodes[2].address", "already used by nodes[1]");
}

/* Two spellings of one IPv6 address are the same address; the SSH
 * target of a node without sshAddress is its address. */
static void
test_node_address_dup_v6(void **state)
{
	struct cluster *c = cluster_new();
	(void)state;
	c->name = xstrdup("v6");
	c->kubernetes.version = xstrdup("1.34.2");
	c->kubernetes.pod_subnet = xstrdup("fd00:10:244::/56");
	c->kubernetes.service_subnet = xstrdup("fd00:10:96::/112");
	add_node(c, "cp", "fd00::10", ROLE_CONTROL_PLANE);
	add_node(c, "w1", "fd00::11", ROLE_WORKER);
	add_node(c, "w2", "fd00:0:0::10", ROLE_WORKER);
	cluster_set_defaults(c);
	expect_error(c, "nodes[2].address", "already used by nodes[0] (cp)");
}

static void
test_node_address_multicast(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[2].address, "239.1.1.1");
	expect_error(c, "nodes[2].address", "multicast");
}

static void
test_node_address_family(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->nodes[2].address, "fd00::4");
	expect_error(c, "nodes[2].address", "IPv6 address but the service "
	    "subnet is IPv4");
}

static void
test_node_ssh_address_bad(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->nodes[0].ssh_address = xstrdup("host name");
	expect_error(c, "nodes[0].sshAddress", "neither an IP");
}

static void
test_node_ssh_target_dup(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->nodes[0].ssh_address = xstrdup("139.198.0.10");
	c->nodes[2].ssh_address = xstrdup("139.198.0.10");
	expect_error(c, "nodes[2].sshAddress", "port 22, like nodes[0]");
}

/* The same SSH address on different ports is fine (port forwarding). */
static void
test_node_ssh_target_ports(void **state)
{
	struct cluster	*c = classic();

	(void)state;
	c->nodes[0].ssh_address = xstrdup("139.198.0.10");
	c->nodes[2].ssh_address = xstrdup("139.198.0.10");
	c->nodes[2].ssh.port = 2202;
	expect_valid(c);
}

static void
test_no_control_plane(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->nodes[0].role = ROLE_WORKER;
	expect_error(c, "nodes", "no node has role control-plane");
}

/* Two control planes: a warning about etcd quorum. */
static void
test_even_control_planes(void **state)
{
	struct cluster		*c = classic();
	struct diag_list	 d;

	(void)state;
	c->nodes[1].role = ROLE_CONTROL_PLANE;
	assert_int_equal(run(c, &d), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].level, DIAG_WARNING);
	assert_string_equal(d.items[0].path, "nodes");
	diag_clear(&d);
	cluster_free(c);
}

static void
test_dashboard_version(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->dashboard.version, "2.7.0");
	expect_error(c, "dashboard.version", "not a release like v2.7.0");
}

static void
test_dashboard_v3(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->dashboard.version, "v3.0.0");
	expect_error(c, "dashboard.version", "Helm-only");
}

static void
test_dashboard_manifest_http(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->dashboard.manifest, "http://example.com/recommended.yaml");
	expect_error(c, "dashboard.manifest", "must use https://");
}

static void
test_dashboard_node_port(void **state)
{
	struct cluster *c = classic();
	(void)state;
	c->dashboard.node_port = 8443;
	expect_error(c, "dashboard.nodePort", "use 30000 to 32767");
}

static void
test_dashboard_duration(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->dashboard.token_duration, "1d");
	expect_error(c, "dashboard.tokenDuration", "not a duration");
}

static void
test_dashboard_duration_range(void **state)
{
	struct cluster *c = classic();
	(void)state;
	set(&c->dashboard.token_duration, "5m");
	expect_error(c, "dashboard.tokenDuration", "use 10m to 8760h");
}

/* Headlamp and none: their defaults validate. */
static void
test_dashboard_kinds(void **state)
{
	struct cluster	*c;

	(void)state;
	c = cluster_new();
	c->name = xstrdup("x");
	c->kubernetes.version = xstrdup("1.34.2");
	c->dashboard.kind = DASHBOARD_HEADLAMP;
	add_node(c, "cp", "10.1.0.1", ROLE_CONTROL_PLANE);
	cluster_set_defaults(c);
	assert_string_equal(c->dashboard.version, CLUSTER_HEADLAMP_VERSION);
	expect_valid(c);
	c = cluster_new();
	c->name = xstrdup("x");
	c->kubernetes.version = xstrdup("1.34.2");
	c->dashboard.kind = DASHBOARD_NONE;
	add_node(c, "cp", "10.1.0.1", ROLE_CONTROL_PLANE);
	cluster_set_defaults(c);
	assert_string_equal(c->dashboard.version, "");
	expect_valid(c);
}

/* IPv6 single stack validates. */
static void
test_ipv6_cluster(void **state)
{
	struct cluster	*c = cluster_new();

	(void)state;
	c->name = xstrdup("v6");
	c->kubernetes.version = xstrdup("1.34.2");
	c->kubernetes.pod_subnet = xstrdup("fd00:10:244::/56");
	c->kubernetes.service_subnet = xstrdup("fd00:10:96::/112");
	add_node(c, "cp", "fd00::10", ROLE_CONTROL_PLANE);
	add_node(c, "w1", "fd00::11", ROLE_WORKER);
	cluster_set_defaults(c);
	expect_valid(c);
}

/* check_field: only the field asked about; NULL when valid. */
static void
test_check_field(void **state)
{
	struct cluster	*c = classic();
	char		*m;

	(void)state;
	assert_null(cluster_check_field(c, "nodes[1].address"));
	set(&c->nodes[1].address, "bad");
	m = cluster_check_field(c, "nodes[1].address");
	assert_non_null(m);
	assert_non_null(strstr(m, "\"bad\" is not an IPv4 or IPv6 address"));
	free(m);
	assert_null(cluster_check_field(c, "nodes[0].address"));
	assert_null(cluster_check_field(c, "name"));
	/* A parent path covers its fields. */
	m = cluster_check_field(c, "nodes[1]");
	assert_non_null(m);
	free(m);
	cluster_free(c);
}

/* Messages quote hostile values with control bytes escaped. */
static void
test_quote_escapes(void **state)
{
	struct cluster		*c = classic();
	struct diag_list	 d;

	(void)state;
	set(&c->nodes[1].address, "\x1b[2Jx");
	assert_int_equal(run(c, &d), 1);
	assert_non_null(strstr(d.items[0].msg, "\"\\x1b[2Jx\""));
	assert_null(strchr(d.items[0].msg, '\x1b'));
	diag_clear(&d);
	cluster_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_valid),
		cmocka_unit_test(test_modern_defaults),
		cmocka_unit_test(test_profile_boundary),
		cmocka_unit_test(test_version_parse),
		cmocka_unit_test(test_duration_parse),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_dup_equal),
		cmocka_unit_test(test_name_missing),
		cmocka_unit_test(test_name_upper),
		cmocka_unit_test(test_name_chars),
		cmocka_unit_test(test_name_long),
		cmocka_unit_test(test_name_dash),
		cmocka_unit_test(test_version_missing),
		cmocka_unit_test(test_version_bad),
		cmocka_unit_test(test_version_v),
		cmocka_unit_test(test_version_old),
		cmocka_unit_test(test_version_far),
		cmocka_unit_test(test_version_newer_warns),
		cmocka_unit_test(test_endpoint_ip),
		cmocka_unit_test(test_endpoint_upper),
		cmocka_unit_test(test_endpoint_worker_name),
		cmocka_unit_test(test_endpoint_needed),
		cmocka_unit_test(test_endpoint_empty),
		cmocka_unit_test(test_pod_bad),
		cmocka_unit_test(test_pod_host_bits),
		cmocka_unit_test(test_pod_overlap),
		cmocka_unit_test(test_pod_contains_node),
		cmocka_unit_test(test_service_contains_node),
		cmocka_unit_test(test_pod_small),
		cmocka_unit_test(test_service_large),
		cmocka_unit_test(test_subnet_family),
		cmocka_unit_test(test_subnet_dualstack),
		cmocka_unit_test(test_subnet_loopback),
		cmocka_unit_test(test_network),
		cmocka_unit_test(test_registry_scheme),
		cmocka_unit_test(test_registry_chars),
		cmocka_unit_test(test_registry_upper),
		cmocka_unit_test(test_registry_path),
		cmocka_unit_test(test_registry_port),
		cmocka_unit_test(test_registry_ok),
		cmocka_unit_test(test_mirror_scheme),
		cmocka_unit_test(test_mirror_userinfo),
		cmocka_unit_test(test_mirror_path_classic),
		cmocka_unit_test(test_mirror_chars),
		cmocka_unit_test(test_mirror_dup),
		cmocka_unit_test(test_package_mirror),
		cmocka_unit_test(test_package_mirror_query),
		cmocka_unit_test(test_ssh_user),
		cmocka_unit_test(test_ssh_port),
		cmocka_unit_test(test_ssh_path_newline),
		cmocka_unit_test(test_ssh_known_hosts_empty),
		cmocka_unit_test(test_ssh_jump),
		cmocka_unit_test(test_node_ssh_override),
		cmocka_unit_test(test_node_ssh_user),
		cmocka_unit_test(test_ssh_ok),
		cmocka_unit_test(test_nodes_empty),
		cmocka_unit_test(test_node_name_upper),
		cmocka_unit_test(test_node_name_dot),
		cmocka_unit_test(test_node_name_missing),
		cmocka_unit_test(test_node_name_dup),
		cmocka_unit_test(test_node_address_bad),
		cmocka_unit_test(test_node_address_cidr),
		cmocka_unit_test(test_node_address_name),
		cmocka_unit_test(test_node_address_missing),
		cmocka_unit_test(test_node_address_dup),
		cmocka_unit_test(test_node_address_dup_v6),
		cmocka_unit_test(test_node_address_multicast),
		cmocka_unit_test(test_node_address_family),
		cmocka_unit_test(test_node_ssh_address_bad),
		cmocka_unit_test(test_node_ssh_target_dup),
		cmocka_unit_test(test_node_ssh_target_ports),
		cmocka_unit_test(test_no_control_plane),
		cmocka_unit_test(test_even_control_planes),
		cmocka_unit_test(test_dashboard_version),
		cmocka_unit_test(test_dashboard_v3),
		cmocka_unit_test(test_dashboard_manifest_http),
		cmocka_unit_test(test_dashboard_node_port),
		cmocka_unit_test(test_dashboard_duration),
		cmocka_unit_test(test_dashboard_duration_range),
		cmocka_unit_test(test_dashboard_kinds),
		cmocka_unit_test(test_ipv6_cluster),
		cmocka_unit_test(test_check_field),
		cmocka_unit_test(test_quote_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
