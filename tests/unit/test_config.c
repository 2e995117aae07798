/* test_config.c: unit tests of cluster.yaml loading (positions of every
 * rule's message, hostile input) and saving (round trips, atomic writes). */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shell.h"

/* A valid classic config; the cases below change one piece of it, so the
 * line numbers here are the ones the cases expect. */
static const char base_yaml[] =
    "name: demo\n"						/*  1 */
    "kubernetes:\n"						/*  2 */
    "  version: \"1.20.9\"\n"					/*  3 */
    "  controlPlaneEndpoint: cluster-endpoint\n"		/*  4 */
    "  podSubnet: 192.168.0.0/16\n"				/*  5 */
    "  serviceSubnet: 10.96.0.0/16\n"				/*  6 */
    "  network: calico\n"					/*  7 */
    "registry:\n"						/*  8 */
    "  imageRepository: registry.cn-hangzhou.aliyuncs.com/google_containers\n"
    "  mirrors: [\"https://abcd.mirror.aliyuncs.com\"]\n"	/* 10 */
    "  packageMirror: https://mirrors.aliyun.com\n"		/* 11 */
    "ssh:\n"							/* 12 */
    "  user: root\n"						/* 13 */
    "  port: 22\n"						/* 14 */
    "  identityFile: ~/.ssh/id_ed25519\n"			/* 15 */
    "  knownHosts: ~/.ssh/known_hosts\n"			/* 16 */
    "  proxyJump: \"\"\n"					/* 17 */
    "nodes:\n"							/* 18 */
    "  - name: k8s-master\n"					/* 19 */
    "    address: 172.31.0.2\n"					/* 20 */
    "    role: control-plane\n"					/* 21 */
    "  - name: k8s-node1\n"					/* 22 */
    "    address: 172.31.0.3\n"					/* 23 */
    "    role: worker\n"					/* 24 */
    "  - name: k8s-node2\n"					/* 25 */
    "    address: 172.31.0.4\n"					/* 26 */
    "    role: worker\n"					/* 27 */
    "    ssh:\n"						/* 28 */
    "      port: 22\n"						/* 29 */
    "dashboard:\n"						/* 30 */
    "  kind: kubernetes-dashboard\n"				/* 31 */
    "  version: v2.3.1\n"					/* 32 */
    "  manifest: \"\"\n"					/* 33 */
    "  nodePort: 30443\n"					/* 34 */
    "  tokenDuration: 24h\n";					/* 35 */

/* One bad input: base_yaml with the first "from" replaced by "to", and the
 * error expected: field path, text, line and column. */
struct bad_case {
	const char	*from;
	const char	*to;
	const char	*path;
	const char	*want;
	int		 line;
	int		 column;
};

static const struct bad_case bad_cases[] = {
	/* name */
	{ "name: demo", "name: Demo", "name", "use lowercase: demo", 1, 7 },
	{ "name: demo", "name: my_demo", "name", "contains '_'", 1, 7 },
	{ "name: demo", "name: \"\"", "name", "needs a name", 1, 7 },
	{ "name: demo\n", "", "name", "needs a name", 1, 1 },
	{ "name: demo", "name: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "name",
	    "at most 40", 1, 7 },
	{ "name: demo", "name: -demo", "name",
	    "start and end with a letter or digit", 1, 7 },
	/* kubernetes */
	{ "\"1.20.9\"", "\"1.20\"", "kubernetes.version", "not a version x.y.z",
	    3, 12 },
	{ "\"1.20.9\"", "\"1.19.3\"", "kubernetes.version",
	    "installs 1.20.0 to 1.37.x", 3, 12 },
	{ "\"1.20.9\"", "\"1.45.0\"", "kubernetes.version", "is unknown", 3, 12 },
	{ "\"1.20.9\"", "v1.20.9", "kubernetes.version",
	    "without the leading v", 3, 12 },
	{ "  version: \"1.20.9\"\n", "", "kubernetes.version", "missing", 2, 1 },
	{ "Endpoint: cluster-endpoint", "Endpoint: 172.31.0.9",
	    "kubernetes.controlPlaneEndpoint", "is an address", 4, 25 },
	{ "Endpoint: cluster-endpoint", "Endpoint: Cluster-Endpoint",
	    "kubernetes.controlPlaneEndpoint", "use lowercase: cluster-endpoint",
	    4, 25 },
	{ "Endpoint: cluster-endpoint", "Endpoint: k8s-node1",
	    "kubernetes.controlPlaneEndpoint", "also the name", 4, 25 },
	{ "Endpoint: cluster-endpoint", "Endpoint: cluster_endpoint",
	    "kubernetes.controlPlaneEndpoint", "not a DNS name", 4, 25 },
	{ "Endpoint: cluster-endpoint\n", "Endpoint: \"\"\n",
	    "kubernetes.controlPlaneEndpoint", "endpoint is empty", 4, 25 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 192.168.0.0/33",
	    "kubernetes.podSubnet", "prefix length out of range", 5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 192.168.1.0/16",
	    "kubernetes.podSubnet", "did you mean 192.168.0.0/16?", 5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 10.96.0.0/20",
	    "kubernetes.podSubnet", "overlaps the service subnet 10.96.0.0/16",
	    5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 172.16.0.0/12",
	    "kubernetes.podSubnet", "contains the address 172.31.0.2", 5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 192.168.0.0/24",
	    "kubernetes.podSubnet", "3 nodes need at most /22", 5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: fd00::/56",
	    "kubernetes.podSubnet", "different IP families", 5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 127.0.0.0/16",
	    "kubernetes.podSubnet", "reserved", 5, 14 },
	{ "podSubnet: 192.168.0.0/16", "podSubnet: 64.0.0.0/4",
	    "kubernetes.podSubnet", "too large; use a prefix from /8 to /22",
	    5, 14 },
	{ "serviceSubnet: 10.96.0.0/16", "serviceSubnet: 172.31.0.0/24",
	    "kubernetes.serviceSubnet", "contains the address 172.31.0.2", 6, 18 },
	{ "serviceSubnet: 10.96.0.0/16", "serviceSubnet: 10.0.0.0/8",
	    "kubernetes.serviceSubnet", "too large", 6, 18 },
	{ "serviceSubnet: 10.96.0.0/16", "serviceSubnet: 10.96.0.0/30",
	    "kubernetes.serviceSubnet", "too small for services", 6, 18 },
	{ "serviceSubnet: 10.96.0.0/16", "serviceSubnet: 10.96.0.0/16,fd00::/112",
	    "kubernetes.serviceSubnet", "dual-stack", 6, 18 },
	{ "network: calico", "network: flannel", "kubernetes.network",
	    "the only one is calico", 7, 12 },
	/* registry */
	{ "imageRepository: registry.cn", "imageRepository: https://registry.cn",
	    "registry.imageRepository", "must not have a scheme", 9, 20 },
	{ "imageRepository: registry.cn", "imageRepository: Registry.cn",
	    "registry.imageRepository", "uppercase", 9, 20 },
	{ "google_containers", "google_containers:v1",
	    "registry.imageRepository", "a tag is not part", 9, 20 },
	{ "google_containers", "google containers",
	    "registry.imageRepository", "outside a-z 0-9", 9, 20 },
	{ "google_containers", "google_containers/",
	    "registry.imageRepository", "empty or invalid path part", 9, 20 },
	{ "aliyuncs.com/google", "aliyuncs.com:0/google",
	    "registry.imageRepository", "invalid port", 9, 20 },
	{ "[\"https://abcd.mirror.aliyuncs.com\"]", "[\"ftp://x.example.com\"]",
	    "registry.mirrors[0]", "must start with http:// or https://", 10, 13 },
	{ "[\"https://abcd.mirror.aliyuncs.com\"]",
	    "[\"https://m.example.com/x\"]", "registry.mirrors[0]",
	    "must not have a path", 10, 13 },
	{ "[\"https://abcd.mirror.aliyuncs.com\"]",
	    "[\"https://u:p@m.example.com\"]", "registry.mirrors[0]",
	    "user name or password", 10, 13 },
	{ "[\"https://abcd.mirror.aliyuncs.com\"]",
	    "[\"https://a.example\", \"https://a.example\"]",
	    "registry.mirrors[1]", "listed twice", 10, 34 },
	{ "[\"https://abcd.mirror.aliyuncs.com\"]", "[[]]",
	    "registry.mirrors[0]", "must be a URL, not a list", 10, 13 },
	{ "[\"https://abcd.mirror.aliyuncs.com\"]",
	    "[\"https://m.example.com/$(id)\"]", "registry.mirrors[0]",
	    "character outside", 10, 13 },
	{ "packageMirror: https://mirrors", "packageMirror: mirrors",
	    "registry.packageMirror", "must start with http:// or https://",
	    11, 18 },
	{ "packageMirror: https://mirrors.aliyun.com",
	    "packageMirror: https://mirrors.aliyun.com/?x=`id`",
	    "registry.packageMirror", "query", 11, 18 },
	/* ssh */
	{ "user: root", "user: root;id", "ssh.user", "not a login name", 13, 9 },
	{ "  port: 22\n  identityFile", "  port: 70000\n  identityFile",
	    "ssh.port", "use 1 to 65535", 14, 9 },
	{ "  port: 22\n  identityFile", "  port: 0\n  identityFile",
	    "ssh.port", "0 is not a port", 14, 9 },
	{ "  port: 22\n  identityFile", "  port: \"22\"\n  identityFile",
	    "ssh.port", "write the number without quotes", 14, 9 },
	{ "  port: 22\n  identityFile", "  port: abc\n  identityFile",
	    "ssh.port", "\"abc\" is not a number", 14, 9 },
	{ "  port: 22\n  identityFile", "  port: 22\n  port: 23\n  identityFile",
	    "ssh.port", "duplicate key \"port\" (first given at line 14)", 15, 3 },
	{ "identityFile: ~/.ssh/id_ed25519", "identityFile: \"~/.ssh/id\\nx\"",
	    "ssh.identityFile", "control character", 15, 17 },
	{ "identityFile: ~/.ssh/id_ed25519", "identityFile: \"~/.ssh/id\\0x\"",
	    "ssh.identityFile", "NUL character", 15, 17 },
	{ "knownHosts: ~/.ssh/known_hosts", "knownHosts: \"\"",
	    "ssh.knownHosts", "path is empty", 16, 15 },
	{ "proxyJump: \"\"", "proxyJump: bastion:0", "ssh.proxyJump",
	    "invalid port", 17, 14 },
	{ "  user: root\n", "  user: root\n  password: x\n", "ssh.password",
	    "passwords are never stored in the config; kubewiz asks for them",
	    14, 3 },
	{ "ssh:\n  user: root", "ssh: root\nx:\n  user: root", "ssh",
	    "must be a mapping", 12, 6 },
	/* nodes */
	{ "name: k8s-master", "name: K8s-Master", "nodes[0].name",
	    "use lowercase: k8s-master", 19, 11 },
	{ "name: k8s-master", "name: k8s.master", "nodes[0].name",
	    "contains '.'", 19, 11 },
	{ "name: k8s-node2", "name: k8s-node1", "nodes[2].name",
	    "already used by nodes[1]", 25, 11 },
	{ "address: 172.31.0.3", "address: 10.0.0.300", "nodes[1].address",
	    "\"10.0.0.300\" is not an IPv4 or IPv6 address", 23, 14 },
	{ "address: 172.31.0.3", "address: 172.31.0.3/24", "nodes[1].address",
	    "without the /prefix", 23, 14 },
	{ "address: 172.31.0.3", "address: node1.example.com",
	    "nodes[1].address", "put a host name in sshAddress", 23, 14 },
	{ "  - name: k8s-node1\n    address", "  - address", "nodes[1].name",
	    "needs a name", 22, 5 },
	{ "address: 172.31.0.4", "address: 172.31.0.3", "nodes[2].address",
	    "already used by nodes[1]", 26, 14 },
	{ "    address: 172.31.0.4\n", "", "nodes[2].address", "internal address",
	    25, 5 },
	{ "address: 172.31.0.4", "address: 224.0.0.1", "nodes[2].address",
	    "multicast", 26, 14 },
	{ "address: 172.31.0.4", "address: fd00::4", "nodes[2].address",
	    "IPv6 address but the service subnet is IPv4", 26, 14 },
	{ "role: control-plane", "role: worker", "nodes",
	    "no node has role control-plane", 18, 1 },
	{ "role: control-plane", "role: master", "nodes[0].role",
	    "use control-plane", 21, 11 },
	{ "role: control-plane", "role: boss", "nodes[0].role", "not a role",
	    21, 11 },
	{ "      port: 22", "      port: 65536", "nodes[2].ssh.port",
	    "65536 is not a port", 29, 13 },
	{ "      port: 22", "      user: -oProxyCommand=x", "nodes[2].ssh.user",
	    "not a login name", 29, 13 },
	{ "      port: 22", "      pass: x", "nodes[2].ssh.pass",
	    "unknown key \"pass\"; valid keys here: user, port, identityFile, "
	    "knownHosts, proxyJump", 29, 7 },
	{ "address: 172.31.0.2\n", "address: 172.31.0.2\n    sshAddress: a b\n",
	    "nodes[0].sshAddress", "neither an IP", 21, 17 },
	{ "address: 172.31.0.3\n", "address: 172.31.0.3\n    sshAddress: "
	    "172.31.0.2\n", "nodes[1].sshAddress", "port 22, like nodes[0]",
	    24, 17 },
	{ "  - name: k8s-node1\n    address: 172.31.0.3\n    role: worker\n",
	    "  - k8s-node1\n", "nodes[1]", "a node must be a mapping", 22, 5 },
	{ "    role: worker\n    ssh", "    rol: worker\n    ssh", "nodes[2].rol",
	    "did you mean 'role'?", 27, 5 },
	{ "nodes:\n", "nodes: k8s-master\nx:\n", "nodes",
	    "must be a list of nodes", 18, 8 },
	/* dashboard */
	{ "kind: kubernetes-dashboard", "kind: dashboard", "dashboard.kind",
	    "use kubernetes-dashboard, headlamp or none", 31, 9 },
	{ "version: v2.3.1", "version: 2.3.1", "dashboard.version",
	    "not a release like v2.7.0", 32, 12 },
	{ "version: v2.3.1", "version: v3.0.0", "dashboard.version",
	    "Helm-only", 32, 12 },
	{ "manifest: \"\"", "manifest: http://x.example/r.yaml",
	    "dashboard.manifest", "must use https://", 33, 13 },
	{ "nodePort: 30443", "nodePort: 8443", "dashboard.nodePort",
	    "use 30000 to 32767", 34, 13 },
	{ "nodePort: 30443", "nodePort: 030443", "dashboard.nodePort",
	    "leading zero", 34, 13 },
	{ "nodePort: 30443", "nodePort: 99999999999", "dashboard.nodePort",
	    "too large; use 30000 to 32767", 34, 13 },
	{ "nodePort: 30443", "nodePort: -1", "dashboard.nodePort",
	    "not a number", 34, 13 },
	{ "nodePort: 30443", "nodePort: [30443]", "dashboard.nodePort",
	    "must be a number, not a list", 34, 13 },
	{ "tokenDuration: 24h", "tokenDuration: 1d", "dashboard.tokenDuration",
	    "not a duration", 35, 18 },
	{ "tokenDuration: 24h", "tokenDuration: 5m", "dashboard.tokenDuration",
	    "use 10m to 8760h", 35, 18 },
	/* top level */
	{ "registry:\n", "regsitry:\n", "regsitry",
	    "did you mean 'registry'?", 8, 1 },
	{ "dashboard:\n", "dashboard:\n  sudoPassword: x\n",
	    "dashboard.sudoPassword", "passwords are never stored", 31, 3 },
};

/* base_yaml with the first from replaced by to. Caller frees. */
static char *
edit(const char *from, const char *to)
{
	const char	*at;

	at = strstr(base_yaml, from);
	if (at == NULL)
		fail_msg("test bug: \"%s\" is not in the base config", from);
	return xasprintf("%.*s%s%s", (int)(at - base_yaml), base_yaml, to,
	    at + strlen(from));
}

/* Print a list (shown when a test fails). */
static void
dump(const struct diag_list *d)
{
	char	*s;
	size_t	 i;

	for (i = 0; i < d->n; i++) {
		s = diag_format(&d->items[i], "test.yaml");
		print_message("  %s\n", s);
		free(s);
	}
}

/* Assert that d has an error at path (NULL: no path), line and column
 * whose text holds want. */
static void
assert_diag(const struct diag_list *d, const char *path, const char *want,
    int line, int column)
{
	const struct diag	*di;
	size_t			 i;

	for (i = 0; i < d->n; i++) {
		di = &d->items[i];
		if (di->level != DIAG_ERROR || di->line != line ||
		    di->column != column)
			continue;
		if ((path == NULL) != (di->path == NULL))
			continue;
		if (path != NULL && strcmp(path, di->path) != 0)
			continue;
		if (strstr(di->msg, want) != NULL)
			return;
	}
	dump(d);
	fail_msg("no error %s at %d:%d containing \"%s\"",
	    path != NULL ? path : "(no path)", line, column, want);
}

/* The base config loads, with its values and defaults. */
static void
test_base_valid(void **state)
{
	struct diag_list	 d;
	struct cluster		*c;

	(void)state;
	diag_init(&d);
	c = config_load_buffer(base_yaml, strlen(base_yaml), "base", &d);
	dump(&d);
	assert_non_null(c);
	assert_int_equal(d.n, 0);
	assert_string_equal(c->name, "demo");
	assert_int_equal(c->nnodes, 3);
	assert_int_equal(c->nodes[0].role, ROLE_CONTROL_PLANE);
	assert_int_equal(c->nodes[2].ssh.port, 22);
	assert_null(c->nodes[1].ssh.user);
	assert_int_equal(c->registry.nmirrors, 1);
	assert_string_equal(c->registry.mirrors[0],
	    "https://abcd.mirror.aliyuncs.com");
	assert_string_equal(c->ssh.proxy_jump, "");
	assert_int_equal(c->kubernetes.v.minor, 20);
	cluster_free(c);
	diag_clear(&d);
}

/* Every case: the load fails with the expected message at its position. */
static void
test_bad_cases(void **state)
{
	const struct bad_case	*bc;
	struct diag_list	 d;
	struct cluster		*c;
	char			*text;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		bc = &bad_cases[i];
		print_message("case %zu: %s -> %s\n", i, bc->from, bc->to);
		text = edit(bc->from, bc->to);
		diag_init(&d);
		c = config_load_buffer(text, strlen(text), "test.yaml", &d);
		if (bc->want == NULL) {
			dump(&d);
			assert_non_null(c);
		} else {
			assert_null(c);
			assert_diag(&d, bc->path, bc->want, bc->line, bc->column);
		}
		cluster_free(c);
		diag_clear(&d);
		free(text);
	}
}

/* A structural error does not bring the messages that follow from it: a
 * bad role does not also say "no control plane". */
static void
test_no_consequential_errors(void **state)
{
	struct diag_list	 d;
	char			*text;

	(void)state;
	text = edit("role: control-plane", "role: master");
	diag_init(&d);
	assert_null(config_load_buffer(text, strlen(text), "t", &d));
	assert_int_equal(d.n, 1);
	diag_clear(&d);
	free(text);
}

/* Two control planes and no endpoint: the endpoint is needed. */
static void
test_endpoint_needed(void **state)
{
	struct diag_list	 d;
	const char		*at;
	char			*a, *b;

	(void)state;
	b = edit("Endpoint: cluster-endpoint", "Endpoint: \"\"");
	at = strstr(b, "role: worker");
	a = xasprintf("%.*srole: control-plane%s", (int)(at - b), b,
	    at + strlen("role: worker"));
	diag_init(&d);
	assert_null(config_load_buffer(a, strlen(a), "t", &d));
	assert_diag(&d, "kubernetes.controlPlaneEndpoint", "extra control planes",
	    4, 25);
	diag_clear(&d);
	free(a);
	free(b);
}

/* Warnings do not fail the load and keep their position. */
static void
test_warning_loads(void **state)
{
	struct diag_list	 d;
	struct cluster		*c;
	char			*text;

	(void)state;
	text = edit("\"1.20.9\"", "\"1.38.2\"");
	diag_init(&d);
	c = config_load_buffer(text, strlen(text), "t", &d);
	assert_non_null(c);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].level, DIAG_WARNING);
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[0].column, 12);
	assert_non_null(strstr(d.items[0].msg, "newer than"));
	assert_int_equal(cluster_runtime(c), RUNTIME_CONTAINERD);
	cluster_free(c);
	diag_clear(&d);
	free(text);
}

/* Load a fixture from tests/unit/data and expect one error. */
static void
expect_file_error(const char *name, const char *want, int line, int column)
{
	struct diag_list	 d;
	struct cluster		*c;
	char			*path;

	path = xasprintf("%s/%s", TEST_DATADIR, name);
	diag_init(&d);
	c = config_load_file(path, &d);
	assert_null(c);
	assert_diag(&d, NULL, want, line, column);
	diag_clear(&d);
	free(path);
}

/* Hostile and broken files are refused at their position, never crash. */
static void
test_hostile_files(void **state)
{
	(void)state;
	expect_file_error("tab.yaml", "tab character", 3, 1);
	expect_file_error("billion-laughs.yaml", "anchors (&a) are not allowed",
	    1, 4);
	expect_file_error("billion-laughs.yaml", "aliases (*a) are not allowed",
	    2, 8);
	expect_file_error("tag.yaml", "tags (!!str) are not allowed", 3, 12);
	expect_file_error("empty.yaml", "the file is empty", 1, 1);
	expect_file_error("comments-only.yaml", "the file is empty", 1, 1);
	expect_file_error("list.yaml", "must be a mapping", 1, 1);
	expect_file_error("two-documents.yaml", "a second YAML document", 2, 1);
	expect_file_error("latin1.yaml", "not valid UTF-8 (byte 0xe9)", 1, 8);
	expect_file_error("utf16.yaml", "not valid UTF-8 (byte 0xff)", 1, 1);
	expect_file_error("control.yaml", "control character U+0001", 1, 9);
	expect_file_error("nul.yaml", "NUL byte", 1, 9);
	expect_file_error("deep.yaml", "nested more than 32 levels", 2, 39);
}

/* The bad classic fixture: every mistake at its place, in file order. */
static void
test_bad_classic_file(void **state)
{
	struct diag_list	 d;
	char			*path;

	(void)state;
	path = xasprintf("%s/bad-classic.yaml", TEST_DATADIR);
	diag_init(&d);
	assert_null(config_load_file(path, &d));
	assert_diag(&d, "kubernetes.podSubnet", "contains the address", 5, 14);
	assert_diag(&d, "nodes[0].name", "use lowercase: k8s-master", 8, 11);
	assert_diag(&d, "nodes[1].address", "not an IPv4 or IPv6", 12, 14);
	assert_diag(&d, "nodes[2].name", "already used by nodes[1]", 13, 11);
	assert_diag(&d, "nodes[2].password", "passwords are never stored",
	    15, 5);
	assert_diag(&d, "dashboard.nodePort", "30000 to 32767", 17, 13);
	assert_int_equal(d.n, 6);
	assert_int_equal(d.items[0].line, 5);
	assert_int_equal(d.items[5].line, 17);
	diag_clear(&d);
	free(path);
}

/* Files over 1 MiB are refused before parsing; 1 MiB exactly is parsed. */
static void
test_too_big(void **state)
{
	struct diag_list	 d;
	char			*big, path[] = "/tmp/kw-test-config-XXXXXX";
	int			 fd;

	(void)state;
	big = xmalloc(CONFIG_MAX_SIZE + 1);
	memset(big, ' ', CONFIG_MAX_SIZE + 1);
	big[0] = '#';
	diag_init(&d);
	assert_null(config_load_buffer(big, CONFIG_MAX_SIZE + 1, "big", &d));
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].msg, "larger than 1 MiB"));
	diag_clear(&d);
	assert_null(config_load_buffer(big, CONFIG_MAX_SIZE, "big", &d));
	assert_non_null(strstr(d.items[0].msg, "the file is empty"));
	diag_clear(&d);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, big, CONFIG_MAX_SIZE + 1),
	    CONFIG_MAX_SIZE + 1);
	close(fd);
	assert_null(config_load_file(path, &d));
	assert_non_null(strstr(d.items[0].msg, "larger than 1 MiB"));
	diag_clear(&d);
	unlink(path);
	free(big);

	/* A device that never ends is cut at the limit. */
	assert_null(config_load_file("/dev/zero", &d));
	assert_non_null(strstr(d.items[0].msg, "larger than 1 MiB"));
	diag_clear(&d);
	assert_null(config_load_file("/nonexistent/cluster.yaml", &d));
	assert_non_null(strstr(d.items[0].msg, "cannot open"));
	diag_clear(&d);
	assert_null(config_load_file("/", &d));
	assert_non_null(strstr(d.items[0].msg, "directory"));
	diag_clear(&d);
}

/* Too many errors: the reader stops and says so. */
static void
test_error_cap(void **state)
{
	struct diag_list	 d;
	char			*text;
	size_t			 i, n;
	struct buf		 b;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 500; i++)
		buf_printf(&b, "junk%zu: x\n", i);
	n = b.len;
	text = buf_take(&b);
	diag_init(&d);
	assert_null(config_load_buffer(text, n, "t", &d));
	assert_true(d.n <= 51);
	assert_non_null(strstr(d.items[d.n - 1].msg, "too many errors"));
	diag_clear(&d);
	free(text);
}

/* Too many validation errors: the first ones, then a note. */
static void
test_error_cap_validation(void **state)
{
	struct diag_list	 d;
	struct buf		 b;
	char			*text;
	size_t			 i, n;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "name: demo\nkubernetes: {version: \"1.34.2\"}\nnodes:\n");
	for (i = 0; i < 200; i++) {
		buf_printf(&b, "  - {name: n%zu, address: 10.0.0.1, role: %s}\n", i,
		    i == 0 ? "control-plane" : "worker");
	}
	n = b.len;
	text = buf_take(&b);
	diag_init(&d);
	assert_null(config_load_buffer(text, n, "t", &d));
	assert_int_equal(d.n, 51);
	assert_diag(&d, "nodes[1].address", "already used by nodes[0]", 5, 25);
	assert_non_null(strstr(d.items[50].msg, "too many errors"));
	diag_clear(&d);
	free(text);
}

/* Variants that must load: CRLF line ends, a UTF-8 BOM, flow style,
 * nulls meaning "default", comments. */
static void
test_accepted_variants(void **state)
{
	static const char *const texts[] = {
		"name: demo\r\nkubernetes:\r\n  version: \"1.34.2\"\r\nnodes:\r\n"
		"  - {name: a, address: 10.0.0.1, role: control-plane}\r\n",
		"\xef\xbb\xbfname: demo\nkubernetes: {version: 1.34.2}\nnodes: "
		"[{name: a, address: 10.0.0.1, role: control-plane}]\n",
		"# c\nname: demo # c\nkubernetes:\n  version: '1.34.2'\n"
		"  podSubnet:\n  network: ~\nregistry:\nssh: null\nnodes:\n"
		"- name: a\n  address: 10.0.0.1\n  role: control-plane\n"
		"dashboard: {}\n",
	};
	struct diag_list	 d;
	struct cluster		*c;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		diag_init(&d);
		c = config_load_buffer(texts[i], strlen(texts[i]), "t", &d);
		dump(&d);
		assert_non_null(c);
		assert_string_equal(c->name, "demo");
		assert_string_equal(c->kubernetes.pod_subnet, "192.168.0.0/16");
		assert_string_equal(c->kubernetes.network, "calico");
		assert_int_equal(c->ssh.port, 22);
		cluster_free(c);
		diag_clear(&d);
	}
}

/* Load an example, serialise it, load that again: the same cluster; and
 * serialising again gives the same bytes. */
static void
roundtrip_example(const char *name)
{
	struct diag_list	 d;
	struct cluster		*a, *b;
	char			*path, *y1, *y2, *cause = NULL;

	path = xasprintf("%s/%s", TEST_EXAMPLESDIR, name);
	diag_init(&d);
	a = config_load_file(path, &d);
	dump(&d);
	assert_non_null(a);
	assert_int_equal(d.n, 0);
	y1 = config_to_yaml(a, &cause);
	assert_non_null(y1);
	b = config_load_buffer(y1, strlen(y1), "saved", &d);
	dump(&d);
	assert_non_null(b);
	assert_true(cluster_equal(a, b));
	y2 = config_to_yaml(b, &cause);
	assert_string_equal(y1, y2);
	free(y1);
	free(y2);
	cluster_free(a);
	cluster_free(b);
	diag_clear(&d);
	free(path);
}

/* The classic example, field by field, and its round trip. */
static void
test_roundtrip_classic(void **state)
{
	struct diag_list	 d;
	struct cluster		*c;

	(void)state;
	diag_init(&d);
	c = config_load_file(TEST_EXAMPLESDIR "/classic.yaml", &d);
	assert_non_null(c);
	assert_string_equal(c->kubernetes.version, "1.20.9");
	assert_int_equal(cluster_profile(c), PROFILE_CLASSIC);
	assert_int_equal(cluster_runtime(c), RUNTIME_DOCKER);
	assert_string_equal(c->kubernetes.control_plane_endpoint,
	    "cluster-endpoint");
	assert_string_equal(c->kubernetes.service_subnet, "10.96.0.0/16");
	assert_string_equal(c->kubernetes.pod_subnet, "192.168.0.0/16");
	assert_string_equal(c->registry.image_repository,
	    "registry.cn-hangzhou.aliyuncs.com/google_containers");
	assert_string_equal(c->registry.package_mirror,
	    "https://mirrors.aliyun.com");
	assert_int_equal(c->registry.nmirrors, 1);
	assert_int_equal(c->nnodes, 3);
	assert_string_equal(c->nodes[0].name, "k8s-master");
	assert_string_equal(c->nodes[0].address, "172.31.0.2");
	assert_string_equal(cluster_first_control_plane(c)->name, "k8s-master");
	assert_string_equal(c->nodes[2].address, "172.31.0.4");
	assert_int_equal(c->dashboard.kind, DASHBOARD_KUBERNETES);
	assert_string_equal(c->dashboard.version, "v2.3.1");
	assert_int_equal(c->dashboard.node_port, 30443);
	cluster_free(c);
	diag_clear(&d);
	roundtrip_example("classic.yaml");
}

/* The modern example, and its round trip (per-node SSH overrides). */
static void
test_roundtrip_modern(void **state)
{
	struct diag_list	 d;
	struct cluster		*c;
	struct cluster_ssh	 s;

	(void)state;
	diag_init(&d);
	c = config_load_file(TEST_EXAMPLESDIR "/modern.yaml", &d);
	assert_non_null(c);
	assert_int_equal(cluster_runtime(c), RUNTIME_CONTAINERD);
	assert_string_equal(c->kubernetes.pod_subnet, "10.244.0.0/16");
	assert_string_equal(c->kubernetes.service_subnet, "10.96.0.0/12");
	assert_string_equal(c->dashboard.version, "v2.7.0");
	assert_string_equal(cluster_node_ssh_address(&c->nodes[0]),
	    "203.0.113.10");
	cluster_node_ssh(c, &c->nodes[3], &s);
	assert_string_equal(s.user, "ubuntu");
	assert_string_equal(s.identity_file, "~/.ssh/worker3_ed25519");
	cluster_node_ssh(c, &c->nodes[1], &s);
	assert_string_equal(s.user, "admin");
	cluster_free(c);
	diag_clear(&d);
	roundtrip_example("modern.yaml");
}

/* A short config gets every default written out, in the documented order,
 * and values that YAML would read as something else are quoted. */
static void
test_to_yaml_defaults_and_quoting(void **state)
{
	static const char text[] =
	    "name: \"0123\"\n"
	    "kubernetes: {version: \"1.20.9\"}\n"
	    "ssh: {identityFile: \"null\", knownHosts: \"~/k h: #x\"}\n"
	    "nodes: [{name: \"yes\", address: 10.1.0.1, role: control-plane}]\n"
	    "dashboard: {manifest: \"- x: y\"}\n";
	static const char *const order[] = {
		"name: ", "kubernetes:", "  version: \"1.20.9\"",
		"  controlPlaneEndpoint: cluster-endpoint",
		"  podSubnet: 192.168.0.0/16", "  serviceSubnet: 10.96.0.0/12",
		"  network: calico", "registry:", "  imageRepository: \"\"",
		"  mirrors: []", "  packageMirror: \"\"", "ssh:", "  user: root",
		"  port: 22", "  identityFile: \"null\"", "  knownHosts:",
		"  proxyJump: \"\"", "nodes:", "name: \"yes\"", "role: control-plane",
		"dashboard:", "  kind: kubernetes-dashboard", "  version: v2.3.1",
		"  manifest:", "  nodePort: 30443", "  tokenDuration: 24h",
	};
	struct diag_list	 d;
	struct cluster		*a, *b;
	char			*y, *cause = NULL;
	const char		*at, *next;
	size_t			 i;

	(void)state;
	diag_init(&d);
	a = config_load_buffer(text, strlen(text), "t", &d);
	dump(&d);
	assert_non_null(a);
	y = config_to_yaml(a, &cause);
	assert_non_null(y);
	print_message("%s", y);
	assert_non_null(strstr(y, "name: \"0123\"\n"));
	at = y;
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		next = strstr(at, order[i]);
		if (next == NULL)
			fail_msg("\"%s\" missing or out of order", order[i]);
		at = next;
	}
	b = config_load_buffer(y, strlen(y), "t", &d);
	assert_non_null(b);
	assert_true(cluster_equal(a, b));
	assert_string_equal(b->ssh.identity_file, "null");
	assert_string_equal(b->ssh.known_hosts, "~/k h: #x");
	assert_string_equal(b->dashboard.manifest, "- x: y");
	cluster_free(a);
	cluster_free(b);
	free(y);
	diag_clear(&d);
}

/* Invalid UTF-8 in a value (possible from the wizard) is an emitter error,
 * not a broken file. */
static void
test_to_yaml_bad_utf8(void **state)
{
	struct cluster	*c;
	char		*y, *cause = NULL;

	(void)state;
	c = cluster_new();
	c->name = xstrdup("de\xffmo");
	c->kubernetes.version = xstrdup("1.34.2");
	cluster_set_defaults(c);
	y = config_to_yaml(c, &cause);
	assert_null(y);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot write"));
	free(cause);
	cluster_free(c);
}

/* Names of the entries of a directory other than . and .., sorted by
 * nothing: returns their number and whether any starts with ".". */
static size_t
count_entries(const char *dir, int *hidden)
{
	DIR		*dp;
	struct dirent	*de;
	size_t		 n = 0;

	*hidden = 0;
	dp = opendir(dir);
	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_name[0] == '.')
			*hidden = 1;
		n++;
	}
	closedir(dp);
	return n;
}

/* Saving: mode 0600, reloads equal, replaces an old file, leaves no
 * temporary file, and fails cleanly without touching the old file. */
static void
test_save_file(void **state)
{
	struct diag_list	 d;
	struct cluster		*a, *b;
	struct stat		 st;
	char			 dir[] = "/tmp/kw-test-save-XXXXXX";
	char			*path, *sub, *cause = NULL;
	int			 hidden;
	FILE			*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/cluster.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old content\n", f);
	fclose(f);

	diag_init(&d);
	a = config_load_file(TEST_EXAMPLESDIR "/modern.yaml", &d);
	assert_non_null(a);
	assert_int_equal(config_save_file(a, path, &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(count_entries(dir, &hidden), 1);
	assert_false(hidden);
	b = config_load_file(path, &d);
	assert_non_null(b);
	assert_true(cluster_equal(a, b));
	cluster_free(b);

	/* A missing directory: an error, nothing written. */
	sub = xasprintf("%s/missing/cluster.yaml", dir);
	assert_int_equal(config_save_file(a, sub, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot create"));
	free(cause);
	cause = NULL;
	free(sub);

	/* The target is a directory: rename fails; no temporary is left. */
	sub = xasprintf("%s/adir", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(config_save_file(a, sub, &cause), -1);
	assert_non_null(strstr(cause, "cannot rename"));
	free(cause);
	assert_int_equal(count_entries(dir, &hidden), 2);
	assert_false(hidden);
	assert_int_equal(rmdir(sub), 0);
	free(sub);

	/* A relative path works too. */
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(config_save_file(a, "rel.yaml", &cause), 0);
	assert_int_equal(unlink("rel.yaml"), 0);

	assert_int_equal(chdir("/"), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	cluster_free(a);
	free(path);
	diag_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_valid),
		cmocka_unit_test(test_bad_cases),
		cmocka_unit_test(test_no_consequential_errors),
		cmocka_unit_test(test_endpoint_needed),
		cmocka_unit_test(test_warning_loads),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_bad_classic_file),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_error_cap_validation),
		cmocka_unit_test(test_accepted_variants),
		cmocka_unit_test(test_roundtrip_classic),
		cmocka_unit_test(test_roundtrip_modern),
		cmocka_unit_test(test_to_yaml_defaults_and_quoting),
		cmocka_unit_test(test_to_yaml_bad_utf8),
		cmocka_unit_test(test_save_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
