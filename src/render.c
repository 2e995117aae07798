/* render.c: the script that runs on a node for one task: lib.sh, a preamble
 * of shell-quoted KW_* variables, and the stage script, wrapped so that the
 * whole script is read before it runs (commands cannot eat the rest of it
 * from stdin). Only the variables the script mentions are assigned. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "sha256.h"
#include "shell.h"
#include "stages-data.h"
#include "xmalloc.h"

/* Largest local dashboard manifest embedded into a script. */
#define RENDER_MANIFEST_MAX	(1024 * 1024)

/* Pinned versions and where their manifests come from. */
#define RENDER_DOCKER_VERSION		"20.10.7"
#define RENDER_CONTAINERD_IO_VERSION	"1.4.6"
#define RENDER_CALICO_CLASSIC		"v3.20"
#define RENDER_CALICO_CLASSIC_URL \
	"https://docs.projectcalico.org/v3.20/manifests/calico.yaml"
#define RENDER_CALICO_URL_FMT \
	"https://raw.githubusercontent.com/projectcalico/calico/%s/manifests/calico.yaml"
#define RENDER_DASHBOARD_URL_FMT \
	"https://raw.githubusercontent.com/kubernetes/dashboard/%s/aio/deploy/recommended.yaml"
#define RENDER_HEADLAMP_URL_FMT \
	"https://raw.githubusercontent.com/kubernetes-sigs/headlamp/%s/kubernetes-headlamp.yaml"
#define RENDER_HEADLAMP_VERSION		"v0.38.0"

/* The preamble being built: variables with owned values. */
struct render_vars {
	char	**keys;
	char	**values;
	size_t	  n;
};

/* Add a variable (value copied; NULL becomes ""). */
static void
render_vars_add(struct render_vars *rv, const char *key, const char *value)
{
	rv->keys = xreallocarray(rv->keys, rv->n + 1, sizeof *rv->keys);
	rv->values = xreallocarray(rv->values, rv->n + 1, sizeof *rv->values);
	rv->keys[rv->n] = xstrdup(key);
	rv->values[rv->n] = xstrdup(value != NULL ? value : "");
	rv->n++;
}

/* Add a variable whose value is formatted; the value is taken over. */
static void
render_vars_take(struct render_vars *rv, const char *key, char *value)
{
	render_vars_add(rv, key, value);
	free(value);
}

/* Free every variable. */
static void
render_vars_free(struct render_vars *rv)
{
	size_t i;

	for (i = 0; i < rv->n; i++) {
		free(rv->keys[i]);
		xfree_secret(rv->values[i]);
	}
	free(rv->keys);
	free(rv->values);
	memset(rv, 0, sizeof *rv);
}

/* The KW_* names each embedded script uses outside comment lines, as
 * " NAME1 NAME2 ... " (space before and after each), indexed like
 * stage_sources. Built once, kept for the life of the process. */
static char			**render_used;
static pthread_once_t		  render_used_once = PTHREAD_ONCE_INIT;

/* Index of an embedded script in stage_sources, or -1. */
static int
render_source_index(const char *name)
{
	int i;

	for (i = 0; stage_sources[i].name != NULL; i++) {
		if (strcmp(stage_sources[i].name, name) == 0)
			return i;
	}
	return -1;
}

/* The embedded source of a script ("lib", "init", "join-prep"), or NULL. */
const char *
render_stage_source(const char *name)
{
	int i;

	if ((i = render_source_index(name)) < 0)
		return NULL;
	return stage_sources[i].text;
}

/* Whether a character can be part of a shell name. */
static int
render_is_name_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '_';
}

/* Collect the KW_* names a script uses outside comment lines (lines whose
 * first non-blank character is '#'). Caller frees. */
static char *
render_scan_names(const char *text)
{
	const char *line, *next, *end, *p, *q;
	struct buf b;
	char *needle;

	buf_init(&b);
	buf_adds(&b, " ");
	for (line = text; *line != '\0'; line = next) {
		end = strchr(line, '\n');
		next = end != NULL ? end + 1 : line + strlen(line);
		if (end == NULL)
			end = next;
		if (line[strspn(line, " \t")] == '#')
			continue;
		for (p = line; p < end; p++) {
			if (strncmp(p, "KW_", 3) != 0 ||
			    (p > text && render_is_name_char(p[-1])))
				continue;
			for (q = p; q < end && render_is_name_char(*q); q++)
				;
			needle = xasprintf(" %.*s ", (int)(q - p), p);
			if (strstr(b.data, needle) == NULL)
				buf_adds(&b, needle + 1);
			free(needle);
			p = q - 1;
		}
	}
	return buf_take(&b);
}

/* Scan every embedded script once. */
static void
render_used_init(void)
{
	size_t i, n;

	for (n = 0; stage_sources[n].name != NULL; n++)
		;
	render_used = xcalloc(n + 1, sizeof *render_used);
	for (i = 0; i < n; i++)
		render_used[i] = render_scan_names(stage_sources[i].text);
}

/* Whether embedded script number i uses variable name. */
static int
render_uses(int i, const char *name)
{
	char needle[64];
	int n;

	pthread_once(&render_used_once, render_used_init);
	n = snprintf(needle, sizeof needle, " %s ", name);
	if (n < 0 || (size_t)n >= sizeof needle)
		fatalx("render: variable name too long: %s", name);
	return strstr(render_used[i], needle) != NULL;
}

/* The pause (sandbox) image tag kubeadm uses for a Kubernetes minor. */
static const char *
render_pause_tag(int minor)
{
	if (minor <= 20)
		return "3.2";
	if (minor == 21)
		return "3.4.1";
	if (minor == 22)
		return "3.5";
	if (minor == 23)
		return "3.6";
	if (minor == 24)
		return "3.7";
	if (minor == 25)
		return "3.8";
	if (minor <= 30)
		return "3.9";
	if (minor <= 33)
		return "3.10";
	return "3.10.1";
}

/* The kubeadm config API for a minor: v1beta4 from 1.31, v1beta3 from 1.22. */
static const char *
render_kubeadm_api(int minor)
{
	if (minor >= 31)
		return "kubeadm.k8s.io/v1beta4";
	if (minor >= 22)
		return "kubeadm.k8s.io/v1beta3";
	return "kubeadm.k8s.io/v1beta2";
}

/* The pinned Calico release for a modern Kubernetes minor (Calico's tested
 * ranges: 3.26 for 1.24-1.28, 3.29 for 1.29-1.32, 3.31 for 1.32-1.35). */
static const char *
render_calico_version(int minor)
{
	if (minor <= 28)
		return "v3.26.4";
	if (minor <= 31)
		return "v3.29.3";
	return "v3.31.3";
}

/* Whether a string is an http(s) URL. */
static int
render_is_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* Read a local file of at most RENDER_MANIFEST_MAX bytes; NULL on failure.
 * Caller frees. */
static char *
render_read_file(const char *path)
{
	FILE *f = NULL;
	char *data = NULL;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		goto fail;
	data = xmalloc(RENDER_MANIFEST_MAX + 1);
	n = fread(data, 1, RENDER_MANIFEST_MAX + 1, f);
	if (ferror(f) || n > RENDER_MANIFEST_MAX || memchr(data, '\0', n) != NULL)
		goto fail;
	data[n] = '\0';
	fclose(f);
	return data;

fail:
	if (f != NULL)
		fclose(f);
	free(data);
	return NULL;
}

/* Whether s is non-NULL and non-empty. */
static int
render_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* Fill the variables derived from the cluster for one node; libi and bodyi
 * index the scripts (a local dashboard manifest is read only when they use
 * it). */
static void
render_cluster_vars(struct render_vars *rv, const struct cluster *c,
    size_t node, int libi, int bodyi)
{
	const struct cluster_node *n = &c->nodes[node], *cp;
	const struct cluster_version *v = &c->kubernetes.v;
	enum cluster_profile profile = cluster_profile(c);
	const char *repo, *dversion, *manifest, *calico;
	char *pkg = NULL, *data = NULL;
	struct buf names, hosts, mirrors;
	size_t i, ncp = 0;

	cp = cluster_first_control_plane(c);
	if (cp == NULL)
		fatalx("render: the cluster has no control plane");

	buf_init(&names);
	buf_init(&hosts);
	buf_init(&mirrors);
	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].role == ROLE_CONTROL_PLANE)
			ncp++;
		buf_printf(&names, "%s%s", i > 0 ? " " : "", c->nodes[i].name);
		buf_printf(&hosts, "%s%s %s", i > 0 ? "\n" : "",
		    c->nodes[i].address, c->nodes[i].name);
	}
	for (i = 0; i < c->registry.nmirrors; i++) {
		buf_printf(&mirrors, "%s%s", i > 0 ? " " : "",
		    c->registry.mirrors[i]);
	}

	render_vars_add(rv, "KW_NODE_NAME", n->name);
	render_vars_add(rv, "KW_NODE_ADDRESS", n->address);
	render_vars_add(rv, "KW_NODE_ROLE", cluster_role_name(n->role));
	render_vars_add(rv, "KW_IS_FIRST_CP", n == cp ? "1" : "0");
	render_vars_add(rv, "KW_CP_NAME", cp->name);
	render_vars_add(rv, "KW_CP_ADDRESS", cp->address);
	render_vars_take(rv, "KW_CP_COUNT", xasprintf("%zu", ncp));
	render_vars_take(rv, "KW_NODE_COUNT", xasprintf("%zu", c->nnodes));
	render_vars_add(rv, "KW_SINGLE_NODE", c->nnodes == 1 ? "1" : "0");
	render_vars_add(rv, "KW_MULTI_CP", ncp > 1 ? "1" : "0");
	render_vars_add(rv, "KW_NODE_NAMES", names.data);
	render_vars_add(rv, "KW_HOSTS", hosts.data);
	render_vars_add(rv, "KW_ENDPOINT",
	    render_set(c->kubernetes.control_plane_endpoint) ?
	    c->kubernetes.control_plane_endpoint : "cluster-endpoint");

	render_vars_take(rv, "KW_K8S_VERSION",
	    xasprintf("%d.%d.%d", v->major, v->minor, v->patch));
	render_vars_take(rv, "KW_K8S_MINOR",
	    xasprintf("%d.%d", v->major, v->minor));
	render_vars_add(rv, "KW_PROFILE", cluster_profile_name(profile));
	render_vars_add(rv, "KW_RUNTIME",
	    cluster_runtime_name(cluster_runtime(c)));
	render_vars_add(rv, "KW_KUBEADM_API", render_kubeadm_api(v->minor));

	if (render_set(c->registry.image_repository))
		repo = c->registry.image_repository;
	else if (profile == PROFILE_CLASSIC)
		repo = "k8s.gcr.io";
	else
		repo = "registry.k8s.io";
	render_vars_add(rv, "KW_IMAGE_REPO", repo);
	render_vars_take(rv, "KW_PAUSE_IMAGE",
	    xasprintf("%s/pause:%s", repo, render_pause_tag(v->minor)));
	render_vars_add(rv, "KW_MIRRORS", mirrors.data);
	if (render_set(c->registry.package_mirror)) {
		pkg = xstrdup(c->registry.package_mirror);
		while (*pkg != '\0' && pkg[strlen(pkg) - 1] == '/')
			pkg[strlen(pkg) - 1] = '\0';
	}
	render_vars_add(rv, "KW_PKG_MIRROR", pkg);
	render_vars_add(rv, "KW_POD_SUBNET", c->kubernetes.pod_subnet);
	render_vars_add(rv, "KW_SERVICE_SUBNET", c->kubernetes.service_subnet);
	render_vars_add(rv, "KW_DOCKER_VERSION", RENDER_DOCKER_VERSION);
	render_vars_add(rv, "KW_CONTAINERD_IO_VERSION",
	    RENDER_CONTAINERD_IO_VERSION);

	if (profile == PROFILE_CLASSIC) {
		render_vars_add(rv, "KW_CALICO_VERSION", RENDER_CALICO_CLASSIC);
		render_vars_add(rv, "KW_CALICO_URL", RENDER_CALICO_CLASSIC_URL);
	} else {
		calico = render_calico_version(v->minor);
		render_vars_add(rv, "KW_CALICO_VERSION", calico);
		render_vars_take(rv, "KW_CALICO_URL",
		    xasprintf(RENDER_CALICO_URL_FMT, calico));
	}

	render_vars_add(rv, "KW_DASHBOARD_KIND",
	    cluster_dashboard_name(c->dashboard.kind));
	dversion = c->dashboard.version;
	if (!render_set(dversion)) {
		if (c->dashboard.kind == DASHBOARD_HEADLAMP)
			dversion = RENDER_HEADLAMP_VERSION;
		else if (profile == PROFILE_CLASSIC)
			dversion = "v2.3.1";
		else
			dversion = "v2.7.0";
	}
	render_vars_add(rv, "KW_DASHBOARD_VERSION", dversion);
	manifest = c->dashboard.manifest;
	if (render_set(manifest) && render_is_url(manifest))
		render_vars_add(rv, "KW_DASHBOARD_URL", manifest);
	else if (render_set(manifest)) {
		/* A local file on this machine: its content goes along. */
		if (render_uses(libi, "KW_DASHBOARD_DATA") ||
		    render_uses(bodyi, "KW_DASHBOARD_DATA"))
			data = render_read_file(manifest);
		render_vars_take(rv, "KW_DASHBOARD_URL", xasprintf("%s:%s",
		    data != NULL ? "local-file" : "unreadable-local-file",
		    manifest));
	} else if (c->dashboard.kind == DASHBOARD_HEADLAMP) {
		render_vars_take(rv, "KW_DASHBOARD_URL",
		    xasprintf(RENDER_HEADLAMP_URL_FMT, dversion));
	} else {
		render_vars_take(rv, "KW_DASHBOARD_URL",
		    xasprintf(RENDER_DASHBOARD_URL_FMT, dversion));
	}
	render_vars_add(rv, "KW_DASHBOARD_DATA", data);
	/* Docker Hub images come through the runtime's pull mirrors when there
	 * are some (as in the guide); without, from the mirror registry. */
	render_vars_add(rv, "KW_DASHBOARD_IMAGE_REPO",
	    c->registry.nmirrors == 0 ? c->registry.image_repository : "");
	if (c->dashboard.node_port > 0) {
		render_vars_take(rv, "KW_DASHBOARD_NODEPORT",
		    xasprintf("%d", c->dashboard.node_port));
	} else
		render_vars_add(rv, "KW_DASHBOARD_NODEPORT", "");
	render_vars_add(rv, "KW_TOKEN_DURATION",
	    render_set(c->dashboard.token_duration) ?
	    c->dashboard.token_duration : "24h");

	free(data);
	free(pkg);
	buf_free(&names);
	buf_free(&hosts);
	buf_free(&mirrors);
}

/* Render the script "name" for a node. */
char *
render_named_script(const struct cluster *c, size_t node, const char *name,
    const struct render_var *vars, size_t nvars, size_t *len)
{
	struct render_vars rv;
	struct buf out;
	const char *lib, *body;
	int libi, bodyi;
	size_t i;

	if (node >= c->nnodes)
		fatalx("render: node %zu out of range", node);
	libi = render_source_index("lib");
	bodyi = render_source_index(name);
	if (libi < 0 || bodyi < 0)
		fatalx("render: no embedded script '%s'", name);
	lib = stage_sources[libi].text;
	body = stage_sources[bodyi].text;

	memset(&rv, 0, sizeof rv);
	render_cluster_vars(&rv, c, node, libi, bodyi);

	buf_init(&out);
	buf_printf(&out, "#!/bin/sh\n# kubewiz: %s on %s. Generated: lib.sh, "
	    "a preamble, then %s.sh.\n{\n", name, c->nodes[node].name, name);
	buf_adds(&out, lib);
	buf_adds(&out, "\n# --- preamble ---\n");
	for (i = 0; i < rv.n; i++) {
		if (render_uses(libi, rv.keys[i]) ||
		    render_uses(bodyi, rv.keys[i]))
			shell_assign(&out, rv.keys[i], rv.values[i]);
	}
	for (i = 0; i < nvars; i++)
		shell_assign(&out, vars[i].key, vars[i].value);
	buf_printf(&out, "\n# --- %s.sh ---\n", name);
	buf_adds(&out, body);
	/* The whole script is one compound command, read before it runs. */
	buf_adds(&out, "} </dev/null\n");
	render_vars_free(&rv);

	if (len != NULL)
		*len = out.len;
	return buf_take(&out);
}

/* Render the full script for a node and stage. */
char *
render_script(const struct cluster *c, size_t node, enum stage stage,
    const struct render_var *vars, size_t nvars, size_t *len)
{
	return render_named_script(c, node, stage_name(stage), vars, nvars,
	    len);
}

/* Hash of what decides a task: its script without run-time values. */
char *
render_input_hash(const struct cluster *c, size_t node, enum stage stage)
{
	char hex[SHA256_HEX_LEN + 1], *script;
	size_t len;

	script = render_script(c, node, stage, NULL, 0, &len);
	sha256_hex(script, len, hex);
	xfree_secret(script);
	return xstrdup(hex);
}
