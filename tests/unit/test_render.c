/* test_render.c: rendering of stage scripts: preamble quoting with hostile
 * values, stage selection, version-dependent choices, input hashes. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cluster.h"
#include "render.h"
#include "stage.h"
#include "xmalloc.h"

/* A three-node cluster (one control plane, two workers) of a version. */
static struct cluster *
make_cluster(const char *version)
{
	static const char *const names[] = { "k8s-master", "k8s-node1",
	    "k8s-node2" };
	static const char *const addrs[] = { "172.31.0.2", "172.31.0.3",
	    "172.31.0.4" };
	struct cluster *c;
	size_t i;

	c = cluster_new();
	c->name = xstrdup("demo");
	c->kubernetes.version = xstrdup(version);
	c->kubernetes.pod_subnet = xstrdup("192.168.0.0/16");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->registry.image_repository =
	    xstrdup("registry.cn-hangzhou.aliyuncs.com/google_containers");
	c->registry.package_mirror = xstrdup("https://mirrors.aliyun.com/");
	c->registry.nmirrors = 1;
	c->registry.mirrors = xcalloc(1, sizeof *c->registry.mirrors);
	c->registry.mirrors[0] = xstrdup("https://82m9ar63.mirror.aliyuncs.com");
	c->nnodes = 3;
	c->nodes = xcalloc(c->nnodes, sizeof *c->nodes);
	for (i = 0; i < c->nnodes; i++) {
		c->nodes[i].name = xstrdup(names[i]);
		c->nodes[i].address = xstrdup(addrs[i]);
		c->nodes[i].role = i == 0 ? ROLE_CONTROL_PLANE : ROLE_WORKER;
	}
	cluster_set_defaults(c);
	return c;
}

/* Render a stage without run-time variables. Caller frees. */
static char *
render(const struct cluster *c, size_t node, enum stage s)
{
	size_t len = 0;
	char *out;

	out = render_script(c, node, s, NULL, 0, &len);
	assert_non_null(out);
	assert_int_equal(len, strlen(out));
	return out;
}

/* Whether the script assigns NAME='value' exactly. */
static int
assigns(const char *script, const char *name, const char *value)
{
	char *line;
	int found;

	line = xasprintf("\n%s='%s'\n", name, value);
	found = strstr(script, line) != NULL;
	free(line);
	return found;
}

/* Whether the script assigns NAME at all. */
static int
assigns_any(const char *script, const char *name)
{
	char *line;
	int found;

	line = xasprintf("\n%s=", name);
	found = strstr(script, line) != NULL;
	free(line);
	return found;
}

/* Source the preamble of a rendered script with /bin/sh and print one
 * variable; returns what the shell printed. Caller frees. */
static char *
sh_value(const char *script, const char *name, size_t *outlen)
{
	char path[] = "/tmp/kw-test-render.XXXXXX";
	const char *start, *end;
	char *cmd, *out;
	size_t n = 0, cap = 4096, r;
	FILE *f, *p;
	int fd;

	start = strstr(script, "\n# --- preamble ---\n");
	assert_non_null(start);
	end = strstr(start + 1, "\n# --- ");
	assert_non_null(end);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fwrite(start, 1, (size_t)(end - start) + 1, f);
	fclose(f);

	cmd = xasprintf("/bin/sh -c '. %s && printf %%s \"$%s\"'", path, name);
	p = popen(cmd, "r");
	assert_non_null(p);
	out = xmalloc(cap);
	while ((r = fread(out + n, 1, cap - n, p)) > 0) {
		n += r;
		if (n == cap)
			out = xreallocarray(out, cap *= 2, 1);
	}
	assert_int_equal(pclose(p), 0);
	unlink(path);
	free(cmd);
	*outlen = n;
	return out;
}

/* Hostile values (quotes, $(), backticks, newlines, non-UTF-8) come back
 * byte for byte and nothing in them runs. */
static void
test_hostile_values(void **state)
{
	static const char *const hostile[] = {
		"it's",
		"'; touch /tmp/kw-render-canary; '",
		"$(touch /tmp/kw-render-canary)",
		"`touch /tmp/kw-render-canary`",
		"a\nb\n\nc'\n",
		"\\'\"\\\"$HOME${HOME}",
		"\xff\xfe non-UTF-8 \x01\x7f",
		"",
	};
	struct cluster *c;
	struct render_var v[2];
	char *script, *got;
	size_t i, len, glen;

	(void)state;
	unlink("/tmp/kw-render-canary");
	c = make_cluster("1.30.4");
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		free(c->kubernetes.control_plane_endpoint);
		c->kubernetes.control_plane_endpoint = xstrdup(hostile[i]);
		free(c->nodes[1].name);
		c->nodes[1].name = xstrdup(hostile[i]);
		v[0].key = "KW_TOKEN";
		v[0].value = hostile[i];
		v[1].key = "KW_CA_HASH";
		v[1].value = hostile[i];
		script = render_script(c, 1, STAGE_JOIN, v, 2, &len);

		got = sh_value(script, "KW_TOKEN", &glen);
		assert_int_equal(glen, strlen(hostile[i]));
		assert_memory_equal(got, hostile[i], glen);
		free(got);
		got = sh_value(script, "KW_NODE_NAME", &glen);
		assert_int_equal(glen, strlen(hostile[i]));
		assert_memory_equal(got, hostile[i], glen);
		free(got);
		got = sh_value(script, "KW_ENDPOINT", &glen);
		if (hostile[i][0] != '\0') {
			assert_int_equal(glen, strlen(hostile[i]));
			assert_memory_equal(got, hostile[i], glen);
		}
		free(got);
		xfree_secret(script);
	}
	/* The system stage carries every node in KW_HOSTS. */
	script = render(c, 0, STAGE_SYSTEM);
	got = sh_value(script, "KW_HOSTS", &glen);
	assert_non_null(memmem(got, glen, "172.31.0.3 ", 11));
	free(got);
	free(script);
	assert_int_equal(access("/tmp/kw-render-canary", F_OK), -1);
	cluster_free(c);
}

/* The script has lib, the preamble and the right stage, in one compound
 * command read before it runs. */
static void
test_stage_selection(void **state)
{
	struct cluster *c;
	char *s;
	int st;

	(void)state;
	c = make_cluster("1.20.9");
	for (st = 0; st < STAGE_COUNT; st++) {
		assert_non_null(render_stage_source(stage_name(st)));
		s = render(c, st == STAGE_JOIN ? 1 : 0, st);
		assert_true(strncmp(s, "#!/bin/sh\n", 10) == 0);
		assert_non_null(strstr(s, "\nkw_step() {"));
		assert_true(strlen(s) > 13);
		assert_string_equal(s + strlen(s) - 13, "} </dev/null\n");
		free(s);
	}
	assert_non_null(render_stage_source("lib"));
	assert_non_null(render_stage_source("join-prep"));
	assert_non_null(render_stage_source("reset"));
	assert_null(render_stage_source("nope"));

	s = render(c, 0, STAGE_INIT);
	assert_non_null(strstr(s, "\n# --- init.sh ---\n"));
	assert_non_null(strstr(s, "kubeadm init"));
	assert_null(strstr(s, "kubeadm join"));
	assert_true(assigns(s, "KW_POD_SUBNET", "192.168.0.0/16"));
	assert_true(assigns(s, "KW_PROFILE", "classic"));
	assert_true(assigns(s, "KW_ENDPOINT", "cluster-endpoint"));
	assert_true(assigns(s, "KW_IMAGE_REPO",
	    "registry.cn-hangzhou.aliyuncs.com/google_containers"));
	free(s);

	s = render(c, 2, STAGE_JOIN);
	assert_non_null(strstr(s, "kubeadm join"));
	assert_true(assigns(s, "KW_NODE_NAME", "k8s-node2"));
	assert_true(assigns(s, "KW_NODE_ROLE", "worker"));
	free(s);

	/* Only what a script mentions is assigned. */
	s = render(c, 0, STAGE_CONNECT);
	assert_false(assigns_any(s, "KW_POD_SUBNET"));
	assert_false(assigns_any(s, "KW_HOSTS"));
	free(s);
	s = render(c, 1, STAGE_SYSTEM);
	assert_true(assigns(s, "KW_HOSTS", "172.31.0.2 k8s-master\n"
	    "172.31.0.3 k8s-node1\n172.31.0.4 k8s-node2"));
	assert_true(assigns(s, "KW_CP_ADDRESS", "172.31.0.2"));
	assert_true(assigns(s, "KW_PKG_MIRROR", "https://mirrors.aliyun.com"));
	free(s);

	/* join-prep and reset render by name. */
	s = render_named_script(c, 0, "join-prep", NULL, 0, NULL);
	assert_non_null(strstr(s, "kubeadm token create"));
	free(s);
	cluster_free(c);
}

/* Versions decide the profile, runtime, kubeadm API, pause and Calico. */
static void
test_version_choices(void **state)
{
	static const struct {
		const char	*version;
		const char	*api;
		const char	*pause;
		const char	*profile;
		const char	*runtime;
	} cases[] = {
		{ "1.20.9", "kubeadm.k8s.io/v1beta2", "3.2", "classic", "docker" },
		{ "1.28.2", "kubeadm.k8s.io/v1beta3", "3.9", "modern", "containerd" },
		{ "1.30.4", "kubeadm.k8s.io/v1beta3", "3.9", "modern", "containerd" },
		{ "1.31.0", "kubeadm.k8s.io/v1beta4", "3.10", "modern", "containerd" },
		{ "1.34.1", "kubeadm.k8s.io/v1beta4", "3.10.1", "modern", "containerd" },
	};
	struct cluster *c;
	char *s, *pause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = make_cluster(cases[i].version);
		s = render(c, 0, STAGE_INIT);
		assert_true(assigns(s, "KW_KUBEADM_API", cases[i].api));
		assert_true(assigns(s, "KW_PROFILE", cases[i].profile));
		free(s);
		s = render(c, 0, STAGE_RUNTIME);
		pause = xasprintf("registry.cn-hangzhou.aliyuncs.com/"
		    "google_containers/pause:%s", cases[i].pause);
		assert_true(assigns(s, "KW_PAUSE_IMAGE", pause));
		assert_true(assigns(s, "KW_RUNTIME", cases[i].runtime));
		free(pause);
		free(s);
		s = render(c, 0, STAGE_DASHBOARD);
		assert_true(assigns(s, "KW_DASHBOARD_URL", i == 0 ?
		    "https://raw.githubusercontent.com/kubernetes/dashboard/"
		    "v2.3.1/aio/deploy/recommended.yaml" :
		    "https://raw.githubusercontent.com/kubernetes/dashboard/"
		    "v2.7.0/aio/deploy/recommended.yaml"));
		assert_true(assigns(s, "KW_DASHBOARD_NODEPORT", "30443"));
		free(s);
		s = render(c, 0, STAGE_NETWORK);
		if (i == 0) {
			assert_true(assigns(s, "KW_CALICO_URL",
			    "https://docs.projectcalico.org/v3.20/manifests/"
			    "calico.yaml"));
		} else
			assert_non_null(strstr(s, "KW_CALICO_URL='https://raw."
			    "githubusercontent.com/projectcalico/calico/v3."));
		free(s);
		cluster_free(c);
	}

	/* Docker Hub images of the Dashboard: through the runtime mirrors when
	 * there are some, else from the mirror registry. */
	c = make_cluster("1.30.4");
	s = render(c, 0, STAGE_DASHBOARD);
	assert_true(assigns(s, "KW_DASHBOARD_IMAGE_REPO", ""));
	free(s);
	free(c->registry.mirrors[0]);
	free(c->registry.mirrors);
	c->registry.mirrors = NULL;
	c->registry.nmirrors = 0;
	s = render(c, 0, STAGE_DASHBOARD);
	assert_true(assigns(s, "KW_DASHBOARD_IMAGE_REPO",
	    "registry.cn-hangzhou.aliyuncs.com/google_containers"));
	free(s);
	s = render(c, 0, STAGE_RUNTIME);
	assert_true(assigns(s, "KW_MIRRORS", ""));
	free(s);
	cluster_free(c);

	/* No mirror registry: upstream, as kubeadm would use. */
	c = make_cluster("1.30.4");
	free(c->registry.image_repository);
	c->registry.image_repository = xstrdup("");
	s = render(c, 0, STAGE_RUNTIME);
	assert_true(assigns(s, "KW_PAUSE_IMAGE", "registry.k8s.io/pause:3.9"));
	free(s);
	s = render(c, 0, STAGE_DASHBOARD);
	assert_true(assigns(s, "KW_DASHBOARD_IMAGE_REPO", ""));
	free(s);
	cluster_free(c);
}

/* The input hash follows what a task uses, and nothing else. */
static void
test_input_hash(void **state)
{
	struct cluster *c;
	char *h[STAGE_COUNT], *h2, *h3;
	int st;

	(void)state;
	c = make_cluster("1.30.4");
	for (st = 0; st < STAGE_COUNT; st++) {
		h[st] = render_input_hash(c, st == STAGE_JOIN ? 1 : 0, st);
		assert_int_equal(strlen(h[st]), 64);
		h2 = render_input_hash(c, st == STAGE_JOIN ? 1 : 0, st);
		assert_string_equal(h[st], h2);
		free(h2);
	}
	assert_string_not_equal(h[STAGE_INIT], h[STAGE_JOIN]);

	/* The dashboard's port matters to the dashboard stage only. */
	c->dashboard.node_port = 31000;
	h2 = render_input_hash(c, 0, STAGE_DASHBOARD);
	assert_string_not_equal(h2, h[STAGE_DASHBOARD]);
	free(h2);
	h2 = render_input_hash(c, 0, STAGE_INIT);
	assert_string_equal(h2, h[STAGE_INIT]);
	free(h2);
	h2 = render_input_hash(c, 0, STAGE_CONNECT);
	assert_string_equal(h2, h[STAGE_CONNECT]);
	free(h2);

	/* The pod subnet matters to init and network, not to connect. */
	free(c->kubernetes.pod_subnet);
	c->kubernetes.pod_subnet = xstrdup("10.244.0.0/16");
	h2 = render_input_hash(c, 0, STAGE_INIT);
	assert_string_not_equal(h2, h[STAGE_INIT]);
	free(h2);
	h2 = render_input_hash(c, 0, STAGE_NETWORK);
	assert_string_not_equal(h2, h[STAGE_NETWORK]);
	free(h2);
	h2 = render_input_hash(c, 0, STAGE_CONNECT);
	assert_string_equal(h2, h[STAGE_CONNECT]);
	free(h2);

	/* SSH settings never reach a script. */
	free(c->ssh.user);
	c->ssh.user = xstrdup("admin");
	c->ssh.port = 2222;
	for (st = 0; st < STAGE_COUNT; st++) {
		if (st == STAGE_INIT || st == STAGE_NETWORK ||
		    st == STAGE_DASHBOARD)
			continue;
		h2 = render_input_hash(c, st == STAGE_JOIN ? 1 : 0, st);
		assert_string_equal(h2, h[st]);
		free(h2);
	}

	/* Adding a worker changes /etc/hosts and ready, not init. */
	h2 = render_input_hash(c, 0, STAGE_INIT);
	c->nodes = xreallocarray(c->nodes, 4, sizeof *c->nodes);
	memset(&c->nodes[3], 0, sizeof c->nodes[3]);
	c->nodes[3].name = xstrdup("k8s-node3");
	c->nodes[3].address = xstrdup("172.31.0.5");
	c->nodes[3].role = ROLE_WORKER;
	c->nnodes = 4;
	h3 = render_input_hash(c, 0, STAGE_INIT);
	assert_string_equal(h2, h3);
	free(h3);
	h3 = render_input_hash(c, 0, STAGE_READY);
	assert_string_not_equal(h3, h[STAGE_READY]);
	free(h3);
	free(h2);
	h2 = render_input_hash(c, 1, STAGE_JOIN);
	assert_string_equal(h2, h[STAGE_JOIN]);
	free(h2);

	/* A worker's address reaches /etc/hosts on every node. */
	free(c->nodes[2].address);
	c->nodes[2].address = xstrdup("172.31.0.9");
	h2 = render_input_hash(c, 0, STAGE_SYSTEM);
	assert_string_not_equal(h2, h[STAGE_SYSTEM]);
	free(h2);

	for (st = 0; st < STAGE_COUNT; st++)
		free(h[st]);
	cluster_free(c);
}

/* Run-time variables are assigned after the cluster's. */
static void
test_runtime_vars(void **state)
{
	struct cluster *c;
	struct render_var v[] = {
		{ "KW_TOKEN", "abcdef.0123456789abcdef" },
		{ "KW_CERT_KEY", "<generated at run time>" },
	};
	char *s;

	(void)state;
	c = make_cluster("1.31.2");
	s = render_script(c, 0, STAGE_INIT, v, 2, NULL);
	assert_true(assigns(s, "KW_TOKEN", "abcdef.0123456789abcdef"));
	assert_true(assigns(s, "KW_CERT_KEY", "<generated at run time>"));
	assert_true(strstr(s, "KW_TOKEN=") > strstr(s, "KW_NODE_NAME="));
	xfree_secret(s);
	cluster_free(c);
}

/* A local dashboard manifest travels in the script; its content decides
 * the dashboard task's hash. */
static void
test_local_manifest(void **state)
{
	char path[] = "/tmp/kw-test-manifest.XXXXXX";
	struct cluster *c;
	char *s, *h1, *h2;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("image: kubernetesui/dashboard:v2.7.0\n# it's $(here)\n", f);
	fclose(f);
	c = make_cluster("1.30.4");
	free(c->dashboard.manifest);
	c->dashboard.manifest = xstrdup(path);
	s = render(c, 0, STAGE_DASHBOARD);
	assert_true(assigns(s, "KW_DASHBOARD_DATA",
	    "image: kubernetesui/dashboard:v2.7.0\n# it'\\''s $(here)\n"));
	free(s);
	h1 = render_input_hash(c, 0, STAGE_DASHBOARD);
	f = fopen(path, "a");
	fputs("more\n", f);
	fclose(f);
	h2 = render_input_hash(c, 0, STAGE_DASHBOARD);
	assert_string_not_equal(h1, h2);
	free(h1);
	free(h2);
	unlink(path);
	s = render(c, 0, STAGE_DASHBOARD);
	assert_true(assigns(s, "KW_DASHBOARD_DATA", ""));
	assert_non_null(strstr(s, "KW_DASHBOARD_URL='unreadable-local-file:"));
	free(s);
	cluster_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_values),
		cmocka_unit_test(test_stage_selection),
		cmocka_unit_test(test_version_choices),
		cmocka_unit_test(test_input_hash),
		cmocka_unit_test(test_runtime_vars),
		cmocka_unit_test(test_local_manifest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
