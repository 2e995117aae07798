/* wizard.c: the install wizard (nodes, SSH, registries, Kubernetes,
 * network, Dashboard, review), validated field by field with the same
 * validator as config files. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "i18n.h"
#include "netaddr.h"
#include "screens.h"
#include "tui.h"
#include "ui.h"
#include "widgets.h"
#include "xmalloc.h"

enum wizard_step {
	ST_NODES,
	ST_SSH,
	ST_REGISTRY,
	ST_K8S,
	ST_NETWORK,
	ST_DASHBOARD,
	ST_REVIEW,
	ST_COUNT
};

static const char *const wizard_step_names[ST_COUNT] = {
	N_("Nodes"), N_("SSH"), N_("Registry"), N_("Kubernetes"),
	N_("Network"), N_("Dashboard"), N_("Review"),
};

enum wizard_field_id {
	F_NAME,
	F_SSH_USER,
	F_SSH_PORT,
	F_SSH_AUTH,
	F_SSH_IDENTITY,
	F_SSH_KNOWN,
	F_REG_PRESET,
	F_REG_IMAGE,
	F_REG_MIRRORS,
	F_REG_PKG,
	F_K8S_VERSION,
	F_K8S_ENDPOINT,
	F_NET_POD,
	F_NET_SVC,
	F_DASH_KIND,
	F_DASH_PORT,
	F_DASH_DURATION,
	F_SAVE_PATH,
	F_COUNT
};

enum { AUTH_KEY, AUTH_AGENT, AUTH_PASSWORD, AUTH_COUNT };
enum { PRESET_ALIYUN, PRESET_UPSTREAM, PRESET_CUSTOM, PRESET_COUNT };

/* The version offered when the config has none: a current modern one. */
#define WIZARD_DEFAULT_VERSION "1.34.2"

#define ALIYUN_IMAGES	"registry.cn-hangzhou.aliyuncs.com/google_containers"
#define ALIYUN_PACKAGES	"https://mirrors.aliyun.com"

static const char *const wizard_auth_choices[] = {
	N_("key file"), N_("ssh-agent"), N_("password"), NULL
};
static const char *const wizard_preset_choices[] = {
	N_("China mirrors (Aliyun)"), N_("Upstream"), N_("Custom"), NULL
};
static const char *const wizard_dash_choices[] = {
	"kubernetes-dashboard", "headlamp", N_("none"), NULL
};
static const char *const wizard_role_choices[] = {
	"control-plane", "worker", NULL
};

/* Static description of a field. */
struct wizard_field_def {
	enum wizard_step	 step;
	const char		*label;
	const char		*path;		/* validator path, or NULL */
	const char *const	*choices;	/* NULL: text */
	int			 number;	/* text must be a number */
	const char		*note;		/* shown when there is no error */
};

static const struct wizard_field_def wizard_fields[F_COUNT] = {
	[F_NAME] = { ST_NODES, N_("Cluster name"), "name", NULL, 0,
	    N_("a-z, 0-9 and '-'; names the state directory") },
	[F_SSH_USER] = { ST_SSH, N_("User"), "ssh.user", NULL, 0,
	    N_("not root? kubewiz asks for the sudo password") },
	[F_SSH_PORT] = { ST_SSH, N_("Port"), "ssh.port", NULL, 1, NULL },
	[F_SSH_AUTH] = { ST_SSH, N_("Authentication"), NULL,
	    wizard_auth_choices, 0, NULL },
	[F_SSH_IDENTITY] = { ST_SSH, N_("Identity file"), "ssh.identityFile",
	    NULL, 0, N_("private key, e.g. ~/.ssh/id_ed25519") },
	[F_SSH_KNOWN] = { ST_SSH, N_("Known hosts file"), "ssh.knownHosts",
	    NULL, 0, N_("unknown host keys are shown for you to accept") },
	[F_REG_PRESET] = { ST_REGISTRY, N_("Preset"), NULL,
	    wizard_preset_choices, 0, N_("Left/Right or Space to choose") },
	[F_REG_IMAGE] = { ST_REGISTRY, N_("Image repository"),
	    "registry.imageRepository", NULL, 0,
	    N_("control-plane images; empty: registry.k8s.io") },
	[F_REG_MIRRORS] = { ST_REGISTRY, N_("Runtime mirrors"),
	    "registry.mirrors", NULL, 0,
	    N_("pull mirror URLs, comma-separated; may be empty") },
	[F_REG_PKG] = { ST_REGISTRY, N_("Package mirror"),
	    "registry.packageMirror", NULL, 0,
	    N_("kubeadm/kubelet/kubectl; empty: upstream repos") },
	[F_K8S_VERSION] = { ST_K8S, N_("Kubernetes version"),
	    "kubernetes.version", NULL, 0, NULL },
	[F_K8S_ENDPOINT] = { ST_K8S, N_("Control-plane endpoint"),
	    "kubernetes.controlPlaneEndpoint", NULL, 0,
	    N_("a name written into every node's /etc/hosts") },
	[F_NET_POD] = { ST_NETWORK, N_("Pod subnet"), "kubernetes.podSubnet",
	    NULL, 0, N_("CIDR for pods (Calico)") },
	[F_NET_SVC] = { ST_NETWORK, N_("Service subnet"),
	    "kubernetes.serviceSubnet", NULL, 0, NULL },
	[F_DASH_KIND] = { ST_DASHBOARD, N_("Dashboard"), "dashboard.kind",
	    wizard_dash_choices, 0, N_("Left/Right or Space to choose") },
	[F_DASH_PORT] = { ST_DASHBOARD, N_("NodePort"), "dashboard.nodePort",
	    NULL, 1, N_("30000-32767; empty: Kubernetes chooses") },
	[F_DASH_DURATION] = { ST_DASHBOARD, N_("Token lifetime"),
	    "dashboard.tokenDuration", NULL, 0,
	    N_("e.g. 24h (Kubernetes 1.24 and later)") },
	[F_SAVE_PATH] = { ST_REVIEW, N_("Save config to"), NULL, NULL, 0,
	    N_("cluster.yaml without secrets; empty: do not save") },
};

/* One field's live state. */
struct wizard_field {
	struct wtext	 text;
	int		 choice;
	char		*error;
	int		 touched;
};

/* Node table columns. */
enum { COL_NAME, COL_ADDRESS, COL_SSH, COL_ROLE, COL_COUNT };

static const char *const wizard_col_paths[COL_COUNT] = {
	"name", "address", "sshAddress", "role"
};

/* One row of the node table. */
struct wizard_row {
	struct wtext		 cell[3];
	int			 role;		/* 0 control plane, 1 worker */
	struct cluster_ssh	 ssh;		/* per-node overrides, kept */
	int			 node;		/* index in the model, -1 if empty */
	char			*error[COL_COUNT];
	int			 touched[COL_COUNT];
};

/* Focusable items, encoded as kind | value. */
#define IT_FIELD	0x10000
#define IT_CELL		0x20000
#define IT_BUTTON	0x30000
#define IT_KIND(i)	((i) & 0xff0000)
#define IT_VALUE(i)	((i) & 0xffff)
#define IT_CELLV(r, c)	(IT_CELL | ((r) << 2) | (c))

enum {
	BTN_BACK,
	BTN_NEXT,
	BTN_ADD,
	BTN_REMOVE,
	BTN_SAVE,
	BTN_INSTALL,
	BTN_YAML,
	BTN_CHECK,
};

struct wizard {
	struct cluster		*cl;		/* the model, synced from fields */
	struct wizard_field	 f[F_COUNT];
	struct wizard_row	*rows;
	size_t			 nrows;
	char			*nodes_error;	/* "nodes" path */
	struct wlist		 table;		/* sel = focused row */
	enum wizard_step	 step;
	int			 focus;		/* item code */
	int			 visited[ST_COUNT];
	char			**yaml;		/* review: YAML lines */
	size_t			 nyaml;
	int			 yaml_top;
	char			**problems;	/* review: full validation */
	size_t			 nproblems;
	int			 result;	/* enum ui_wizard_result */
	int			 save_auto;	/* save path follows the name */
	char			*saved_path;
	struct screen		*screen;
	const struct kw_options	*opts;
};

static void	wizard_validate(struct wizard *);

/* Free a row. */
static void
wizard_row_free(struct wizard_row *r)
{
	int i;

	for (i = 0; i < 3; i++)
		wtext_free(&r->cell[i]);
	for (i = 0; i < COL_COUNT; i++)
		free(r->error[i]);
	free(r->ssh.user);
	free(r->ssh.identity_file);
	free(r->ssh.known_hosts);
	free(r->ssh.proxy_jump);
}

/* Append an empty row (or one from a node); returns its index. */
static size_t
wizard_add_row(struct wizard *w, const struct cluster_node *n, size_t at)
{
	struct wizard_row *r;

	w->rows = xreallocarray(w->rows, w->nrows + 1, sizeof *w->rows);
	if (at > w->nrows)
		at = w->nrows;
	memmove(w->rows + at + 1, w->rows + at,
	    (w->nrows - at) * sizeof *w->rows);
	w->nrows++;
	r = &w->rows[at];
	memset(r, 0, sizeof *r);
	wtext_init(&r->cell[COL_NAME], n != NULL ? n->name : NULL);
	wtext_init(&r->cell[COL_ADDRESS], n != NULL ? n->address : NULL);
	wtext_init(&r->cell[COL_SSH], n != NULL ? n->ssh_address : NULL);
	r->role = (n != NULL && n->role == ROLE_CONTROL_PLANE) ? 0 : 1;
	if (n == NULL && w->nrows == 1)
		r->role = 0;
	if (n != NULL) {
		r->ssh.user = n->ssh.user ? xstrdup(n->ssh.user) : NULL;
		r->ssh.port = n->ssh.port;
		r->ssh.identity_file = n->ssh.identity_file ?
		    xstrdup(n->ssh.identity_file) : NULL;
		r->ssh.known_hosts = n->ssh.known_hosts ?
		    xstrdup(n->ssh.known_hosts) : NULL;
		r->ssh.proxy_jump = n->ssh.proxy_jump ?
		    xstrdup(n->ssh.proxy_jump) : NULL;
	}
	r->node = -1;
	w->table.n = (int)w->nrows;
	return at;
}

/* Remove a row. */
static void
wizard_remove_row(struct wizard *w, size_t i)
{
	if (i >= w->nrows)
		return;
	wizard_row_free(&w->rows[i]);
	memmove(w->rows + i, w->rows + i + 1,
	    (w->nrows - i - 1) * sizeof *w->rows);
	w->nrows--;
	if (w->nrows == 0)
		wizard_add_row(w, NULL, 0);
	w->table.n = (int)w->nrows;
}

/* Whether a row has nothing typed. */
static int
wizard_row_empty(const struct wizard_row *r)
{
	return wtext_empty(&r->cell[0]) && wtext_empty(&r->cell[1]) &&
	    wtext_empty(&r->cell[2]);
}

/* Replace a string field of the model. */
static void
wizard_setstr(char **dst, char *value, int empty_is_null)
{
	free(*dst);
	if (empty_is_null && value != NULL && *value == '\0') {
		free(value);
		value = NULL;
	}
	*dst = value;
}

/* Parse a port-like number; -1 when not a number, 0 when empty. */
static int
wizard_number(const struct wtext *t)
{
	char *s = wtext_get(t), *end = NULL;
	long v;

	if (*s == '\0') {
		free(s);
		return 0;
	}
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 99999 || !isdigit((unsigned char)*s))
		v = -1;
	free(s);
	return (int)v;
}

/* Free a node of the model (the model owns its strings). */
static void
wizard_node_clear(struct cluster_node *n)
{
	free(n->name);
	free(n->address);
	free(n->ssh_address);
	free(n->ssh.user);
	free(n->ssh.identity_file);
	free(n->ssh.known_hosts);
	free(n->ssh.proxy_jump);
}

/* Copy the fields into the model. */
static void
wizard_sync(struct wizard *w)
{
	struct cluster *cl = w->cl;
	struct wizard_row *r;
	struct cluster_node *n;
	char *s, *p, *tok, *save = NULL;
	size_t i;
	const char *dv;

	wizard_setstr(&cl->name, wtext_get(&w->f[F_NAME].text), 1);

	for (i = 0; i < cl->nnodes; i++)
		wizard_node_clear(&cl->nodes[i]);
	free(cl->nodes);
	cl->nodes = NULL;
	cl->nnodes = 0;
	for (i = 0; i < w->nrows; i++) {
		r = &w->rows[i];
		r->node = -1;
		if (wizard_row_empty(r))
			continue;
		cl->nodes = xreallocarray(cl->nodes, cl->nnodes + 1,
		    sizeof *cl->nodes);
		n = &cl->nodes[cl->nnodes];
		memset(n, 0, sizeof *n);
		n->name = wtext_get(&r->cell[COL_NAME]);
		n->address = wtext_get(&r->cell[COL_ADDRESS]);
		wizard_setstr(&n->ssh_address, wtext_get(&r->cell[COL_SSH]), 1);
		n->role = r->role == 0 ? ROLE_CONTROL_PLANE : ROLE_WORKER;
		n->ssh.user = r->ssh.user ? xstrdup(r->ssh.user) : NULL;
		n->ssh.port = r->ssh.port;
		n->ssh.identity_file = r->ssh.identity_file ?
		    xstrdup(r->ssh.identity_file) : NULL;
		n->ssh.known_hosts = r->ssh.known_hosts ?
		    xstrdup(r->ssh.known_hosts) : NULL;
		n->ssh.proxy_jump = r->ssh.proxy_jump ?
		    xstrdup(r->ssh.proxy_jump) : NULL;
		r->node = (int)cl->nnodes++;
	}

	wizard_setstr(&cl->ssh.user, wtext_get(&w->f[F_SSH_USER].text), 1);
	cl->ssh.port = wizard_number(&w->f[F_SSH_PORT].text);
	if (w->f[F_SSH_AUTH].choice == AUTH_KEY)
		wizard_setstr(&cl->ssh.identity_file,
		    wtext_get(&w->f[F_SSH_IDENTITY].text), 0);
	else
		wizard_setstr(&cl->ssh.identity_file, xstrdup(""), 0);
	wizard_setstr(&cl->ssh.known_hosts,
	    wtext_get(&w->f[F_SSH_KNOWN].text), 0);

	wizard_setstr(&cl->registry.image_repository,
	    wtext_get(&w->f[F_REG_IMAGE].text), 0);
	wizard_setstr(&cl->registry.package_mirror,
	    wtext_get(&w->f[F_REG_PKG].text), 0);
	for (i = 0; i < cl->registry.nmirrors; i++)
		free(cl->registry.mirrors[i]);
	free(cl->registry.mirrors);
	cl->registry.mirrors = NULL;
	cl->registry.nmirrors = 0;
	s = wtext_get(&w->f[F_REG_MIRRORS].text);
	for (p = s; (tok = strtok_r(p, ", ", &save)) != NULL; p = NULL) {
		cl->registry.mirrors = xreallocarray(cl->registry.mirrors,
		    cl->registry.nmirrors + 1, sizeof *cl->registry.mirrors);
		cl->registry.mirrors[cl->registry.nmirrors++] = xstrdup(tok);
	}
	free(s);

	wizard_setstr(&cl->kubernetes.version,
	    wtext_get(&w->f[F_K8S_VERSION].text), 1);
	memset(&cl->kubernetes.v, 0, sizeof cl->kubernetes.v);
	if (cl->kubernetes.version != NULL)
		cluster_parse_version(cl->kubernetes.version, &cl->kubernetes.v);
	wizard_setstr(&cl->kubernetes.control_plane_endpoint,
	    wtext_get(&w->f[F_K8S_ENDPOINT].text), 1);
	wizard_setstr(&cl->kubernetes.pod_subnet,
	    wtext_get(&w->f[F_NET_POD].text), 1);
	wizard_setstr(&cl->kubernetes.service_subnet,
	    wtext_get(&w->f[F_NET_SVC].text), 1);

	cl->dashboard.kind = (enum cluster_dashboard)w->f[F_DASH_KIND].choice;
	cl->dashboard.node_port = wizard_number(&w->f[F_DASH_PORT].text);
	wizard_setstr(&cl->dashboard.token_duration,
	    wtext_get(&w->f[F_DASH_DURATION].text), 1);
	/* The pinned version follows the kind and the profile unless a
	 * file chose another one. */
	if (cl->dashboard.kind == DASHBOARD_HEADLAMP)
		dv = CLUSTER_HEADLAMP_VERSION;
	else if (cl->dashboard.kind == DASHBOARD_NONE)
		dv = "";
	else if (cluster_profile(cl) == PROFILE_CLASSIC)
		dv = CLUSTER_DASHBOARD_CLASSIC_VERSION;
	else
		dv = CLUSTER_DASHBOARD_MODERN_VERSION;
	if (cl->dashboard.version == NULL || *cl->dashboard.version == '\0' ||
	    strcmp(cl->dashboard.version, CLUSTER_HEADLAMP_VERSION) == 0 ||
	    strcmp(cl->dashboard.version,
	    CLUSTER_DASHBOARD_CLASSIC_VERSION) == 0 ||
	    strcmp(cl->dashboard.version, CLUSTER_DASHBOARD_MODERN_VERSION) == 0)
		wizard_setstr(&cl->dashboard.version, xstrdup(dv), 0);
}

/* The preset that matches the registry fields. */
static int
wizard_detect_preset(struct wizard *w)
{
	char *img = wtext_get(&w->f[F_REG_IMAGE].text);
	char *pkg = wtext_get(&w->f[F_REG_PKG].text);
	int p = PRESET_CUSTOM;

	if (strcmp(img, ALIYUN_IMAGES) == 0 && strcmp(pkg, ALIYUN_PACKAGES) == 0)
		p = PRESET_ALIYUN;
	else if (*img == '\0' && *pkg == '\0')
		p = PRESET_UPSTREAM;
	free(img);
	free(pkg);
	return p;
}

/* Apply a registry preset to the fields. */
static void
wizard_apply_preset(struct wizard *w, int preset)
{
	switch (preset) {
	case PRESET_ALIYUN:
		wtext_set(&w->f[F_REG_IMAGE].text, ALIYUN_IMAGES);
		wtext_set(&w->f[F_REG_PKG].text, ALIYUN_PACKAGES);
		break;
	case PRESET_UPSTREAM:
		wtext_set(&w->f[F_REG_IMAGE].text, "");
		wtext_set(&w->f[F_REG_PKG].text, "");
		break;
	}
}

/* Fill the fields from a cluster. */
static void
wizard_load(struct wizard *w)
{
	struct cluster *cl = w->cl;
	char *s, port[16];
	size_t i, len = 0;

	wtext_init(&w->f[F_NAME].text, cl->name);
	wtext_init(&w->f[F_SSH_USER].text, cl->ssh.user);
	snprintf(port, sizeof port, "%d", cl->ssh.port > 0 ? cl->ssh.port : 22);
	wtext_init(&w->f[F_SSH_PORT].text, port);
	w->f[F_SSH_AUTH].choice = cl->ssh.identity_file != NULL &&
	    *cl->ssh.identity_file != '\0' ? AUTH_KEY : AUTH_AGENT;
	wtext_init(&w->f[F_SSH_IDENTITY].text, cl->ssh.identity_file);
	wtext_init(&w->f[F_SSH_KNOWN].text, cl->ssh.known_hosts);
	wtext_init(&w->f[F_REG_IMAGE].text, cl->registry.image_repository);
	wtext_init(&w->f[F_REG_PKG].text, cl->registry.package_mirror);
	for (i = 0; i < cl->registry.nmirrors; i++)
		len += strlen(cl->registry.mirrors[i]) + 2;
	s = xcalloc(1, len + 1);
	for (i = 0; i < cl->registry.nmirrors; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, cl->registry.mirrors[i]);
	}
	wtext_init(&w->f[F_REG_MIRRORS].text, s);
	free(s);
	wtext_init(&w->f[F_REG_PRESET].text, NULL);
	w->f[F_REG_PRESET].choice = wizard_detect_preset(w);
	wtext_init(&w->f[F_K8S_VERSION].text, cl->kubernetes.version != NULL &&
	    *cl->kubernetes.version != '\0' ? cl->kubernetes.version :
	    WIZARD_DEFAULT_VERSION);
	wtext_init(&w->f[F_K8S_ENDPOINT].text,
	    cl->kubernetes.control_plane_endpoint);
	wtext_init(&w->f[F_NET_POD].text, cl->kubernetes.pod_subnet);
	wtext_init(&w->f[F_NET_SVC].text, cl->kubernetes.service_subnet);
	wtext_init(&w->f[F_DASH_KIND].text, NULL);
	w->f[F_DASH_KIND].choice = (int)cl->dashboard.kind;
	if (cl->dashboard.node_port > 0) {
		snprintf(port, sizeof port, "%d", cl->dashboard.node_port);
		wtext_init(&w->f[F_DASH_PORT].text, port);
	} else
		wtext_init(&w->f[F_DASH_PORT].text, NULL);
	wtext_init(&w->f[F_DASH_DURATION].text, cl->dashboard.token_duration);
	wtext_init(&w->f[F_SSH_AUTH].text, NULL);
	for (i = 0; i < cl->nnodes; i++)
		wizard_add_row(w, &cl->nodes[i], w->nrows);
	if (w->nrows == 0)
		wizard_add_row(w, NULL, 0);
}

/* Whether a field takes part in the current form. */
static int
wizard_field_enabled(struct wizard *w, int id)
{
	if (id == F_SSH_IDENTITY)
		return w->f[F_SSH_AUTH].choice == AUTH_KEY;
	if (id == F_DASH_PORT || id == F_DASH_DURATION)
		return w->f[F_DASH_KIND].choice != DASHBOARD_NONE;
	return 1;
}

/* Free the review's cached text. */
static void
wizard_free_review(struct wizard *w)
{
	size_t i;

	for (i = 0; i < w->nyaml; i++)
		free(w->yaml[i]);
	free(w->yaml);
	w->yaml = NULL;
	w->nyaml = 0;
	for (i = 0; i < w->nproblems; i++)
		free(w->problems[i]);
	free(w->problems);
	w->problems = NULL;
	w->nproblems = 0;
}

/* Build the review: every problem of the whole config, and the YAML. */
static void
wizard_build_review(struct wizard *w)
{
	struct diag_list d;
	char *yaml, *cause = NULL, *p, *nl;
	size_t i;

	wizard_free_review(w);
	diag_init(&d);
	cluster_validate(w->cl, &d);
	for (i = 0; i < d.n; i++) {
		w->problems = xreallocarray(w->problems, w->nproblems + 1,
		    sizeof *w->problems);
		w->problems[w->nproblems++] = xasprintf("%s %s: %s",
		    d.items[i].level == DIAG_ERROR ? _("error") : _("warning"),
		    d.items[i].path != NULL ? d.items[i].path : "",
		    d.items[i].msg);
	}
	diag_clear(&d);
	yaml = config_to_yaml(w->cl, &cause);
	if (yaml == NULL) {
		yaml = xasprintf("# %s", cause);
		free(cause);
	}
	for (p = yaml; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1;
		w->yaml = xreallocarray(w->yaml, w->nyaml + 1, sizeof *w->yaml);
		w->yaml[w->nyaml++] = xstrndup(p, nl - p + (*nl != '\n'));
	}
	free(yaml);
}

/* Number of errors (not warnings) in the review. */
static size_t
wizard_review_errors(struct wizard *w)
{
	struct diag_list d;
	size_t n;

	diag_init(&d);
	n = cluster_validate(w->cl, &d);
	diag_clear(&d);
	return n;
}

/* Whether diagnostic path p is path (exact) or, unless exact, under it. */
static int
wizard_path_under(const char *p, const char *path, int exact)
{
	size_t n = strlen(path);

	if (p == NULL || strncmp(p, path, n) != 0)
		return 0;
	if (exact)
		return p[n] == '\0';
	return p[n] == '\0' || p[n] == '.' || p[n] == '[';
}

/* The first error of diags about path: what cluster_check_field gives,
 * from one validation pass for the whole form. Caller frees. */
static char *
wizard_error_for(const struct diag_list *d, const char *path, int exact)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->items[i].level == DIAG_ERROR &&
		    wizard_path_under(d->items[i].path, path, exact))
			return xstrdup(d->items[i].msg);
	}
	return NULL;
}

/* Recompute every field's error with the config validator. */
static void
wizard_validate(struct wizard *w)
{
	struct wizard_row *r;
	struct diag_list d;
	char *path;
	size_t i;
	int id, c;

	wizard_sync(w);
	diag_init(&d);
	cluster_validate(w->cl, &d);
	for (id = 0; id < F_COUNT; id++) {
		free(w->f[id].error);
		w->f[id].error = NULL;
		if (!wizard_field_enabled(w, id))
			continue;
		if (wizard_fields[id].number &&
		    wizard_number(&w->f[id].text) < 0) {
			w->f[id].error = xstrdup(_("must be a number"));
			continue;
		}
		if (wizard_fields[id].path != NULL)
			w->f[id].error = wizard_error_for(&d,
			    wizard_fields[id].path, 0);
		if (id == F_DASH_KIND && w->f[id].error == NULL)
			w->f[id].error = wizard_error_for(&d,
			    "dashboard.version", 0);
	}
	for (i = 0; i < w->nrows; i++) {
		r = &w->rows[i];
		for (c = 0; c < COL_COUNT; c++) {
			free(r->error[c]);
			r->error[c] = NULL;
			if (r->node < 0)
				continue;
			path = xasprintf("nodes[%d].%s", r->node,
			    wizard_col_paths[c]);
			r->error[c] = wizard_error_for(&d, path, 0);
			free(path);
		}
	}
	free(w->nodes_error);
	w->nodes_error = wizard_error_for(&d, "nodes", 1);
	diag_clear(&d);
	if (w->step == ST_REVIEW)
		wizard_build_review(w);
}

/* Whether a field's error should show (typed into, left, or Next tried). */
static int
wizard_field_shows(struct wizard *w, int id)
{
	return w->f[id].error != NULL &&
	    (w->f[id].touched || !wtext_empty(&w->f[id].text) ||
	    wizard_fields[id].choices != NULL);
}

/* Whether the current step has no error. */
static int
wizard_step_ok(struct wizard *w, enum wizard_step st)
{
	size_t i;
	int id, c;

	for (id = 0; id < F_COUNT; id++) {
		if (wizard_fields[id].step == st && w->f[id].error != NULL)
			return 0;
	}
	if (st == ST_NODES) {
		if (w->nodes_error != NULL)
			return 0;
		for (i = 0; i < w->nrows; i++) {
			for (c = 0; c < COL_COUNT; c++) {
				if (w->rows[i].error[c] != NULL)
					return 0;
			}
		}
	}
	if (st == ST_REVIEW)
		return wizard_review_errors(w) == 0;
	return 1;
}

/* Mark every field of a step touched (errors show). */
static void
wizard_touch_step(struct wizard *w, enum wizard_step st)
{
	size_t i;
	int id, c;

	for (id = 0; id < F_COUNT; id++) {
		if (wizard_fields[id].step == st)
			w->f[id].touched = 1;
	}
	if (st == ST_NODES) {
		for (i = 0; i < w->nrows; i++) {
			for (c = 0; c < COL_COUNT; c++)
				w->rows[i].touched[c] = 1;
		}
	}
}

/* The focusable items of the current step, in Tab order. */
static size_t
wizard_items(struct wizard *w, int *items, size_t max)
{
	size_t n = 0, r;
	int id, c;

#define ADD(x) do { if (n < max) items[n++] = (x); } while (0)
	for (id = 0; id < F_COUNT; id++) {
		if (wizard_fields[id].step == w->step &&
		    wizard_field_enabled(w, id))
			ADD(IT_FIELD | id);
	}
	if (w->step == ST_NODES) {
		for (r = 0; r < w->nrows; r++) {
			for (c = 0; c < COL_COUNT; c++)
				ADD(IT_CELLV((int)r, c));
		}
		ADD(IT_BUTTON | BTN_ADD);
		ADD(IT_BUTTON | BTN_REMOVE);
	}
	if (w->step == ST_SSH)
		ADD(IT_BUTTON | BTN_CHECK);
	if (w->step == ST_REVIEW) {
		ADD(IT_BUTTON | BTN_YAML);
		ADD(IT_BUTTON | BTN_SAVE);
	}
	ADD(IT_BUTTON | BTN_BACK);
	ADD(IT_BUTTON | (w->step == ST_REVIEW ? BTN_INSTALL : BTN_NEXT));
#undef ADD
	return n;
}

/* Mark the focused item as left (its error may now show). */
static void
wizard_leave_item(struct wizard *w)
{
	int v = IT_VALUE(w->focus);

	if (IT_KIND(w->focus) == IT_FIELD)
		w->f[v].touched = 1;
	else if (IT_KIND(w->focus) == IT_CELL && (size_t)(v >> 2) < w->nrows)
		w->rows[v >> 2].touched[v & 3] = 1;
}

/* Move focus by dir items (wrapping). */
static void
wizard_move(struct wizard *w, int dir)
{
	int items[4096];
	size_t n, i;

	n = wizard_items(w, items, 4096);
	for (i = 0; i < n; i++) {
		if (items[i] == w->focus)
			break;
	}
	wizard_leave_item(w);
	if (i == n)
		w->focus = items[0];
	else
		w->focus = items[(i + n + dir) % n];
	if (IT_KIND(w->focus) == IT_CELL)
		w->table.sel = IT_VALUE(w->focus) >> 2;
}

/* Focus the first item of the step. */
static void
wizard_focus_first(struct wizard *w)
{
	int items[4096];

	wizard_items(w, items, 4096);
	w->focus = items[0];
}

/* Focus the first item that shows an error. */
static void
wizard_focus_error(struct wizard *w)
{
	int items[4096];
	size_t n, i;
	int v;

	n = wizard_items(w, items, 4096);
	for (i = 0; i < n; i++) {
		v = IT_VALUE(items[i]);
		if ((IT_KIND(items[i]) == IT_FIELD && w->f[v].error != NULL) ||
		    (IT_KIND(items[i]) == IT_CELL &&
		    w->rows[v >> 2].error[v & 3] != NULL)) {
			w->focus = items[i];
			if (IT_KIND(items[i]) == IT_CELL)
				w->table.sel = v >> 2;
			return;
		}
	}
}

/* Go to a step. */
static void
wizard_goto(struct wizard *w, enum wizard_step st)
{
	char *p;

	if (st == ST_REVIEW && w->save_auto && !w->f[F_SAVE_PATH].touched) {
		/* The default file follows the cluster name. */
		p = xasprintf("%s.yaml", w->cl->name != NULL &&
		    *w->cl->name != '\0' ? w->cl->name : "cluster");
		wtext_set(&w->f[F_SAVE_PATH].text, p);
		free(p);
	}
	w->step = st;
	w->visited[st] = 1;
	w->yaml_top = 0;
	wizard_focus_first(w);
	wizard_validate(w);
}

/* Next: only when the step is valid. */
static void
wizard_next(struct wizard *w)
{
	wizard_validate(w);
	if (!wizard_step_ok(w, w->step)) {
		wizard_touch_step(w, w->step);
		wizard_focus_error(w);
		tui_message(&tui_global, 1,
		    _("Fix the marked fields to continue."));
		return;
	}
	if (w->step + 1 < ST_COUNT)
		wizard_goto(w, w->step + 1);
}

/* Leave-the-wizard confirmation. */
static void
wizard_quit_cb(void *arg, int yes)
{
	struct wizard *w = arg;

	if (yes) {
		w->result = UI_WIZARD_QUIT;
		tui_pop(&tui_global, w->screen);
		tui_global.quit = 1;
	}
}

/* Back: the previous step, or ask to leave on the first. */
static void
wizard_back(struct wizard *w)
{
	if (w->step > 0) {
		wizard_leave_item(w);
		wizard_goto(w, w->step - 1);
		return;
	}
	dialog_yesno(&tui_global, _("Leave"),
	    _("Leave the wizard? Nothing is installed and what you typed is "
	    "not saved."), wizard_quit_cb, w);
}

/* Expand a leading "~/" for saving. Caller frees. */
static char *
wizard_expand(const char *path)
{
	const char *home = getenv("HOME");

	if (strncmp(path, "~/", 2) == 0 && home != NULL)
		return xasprintf("%s/%s", home, path + 2);
	return xstrdup(path);
}

/* Save the config to the path field; returns 0 or -1 (message shown). */
static int
wizard_save(struct wizard *w)
{
	char *path = NULL, *full = NULL, *cause = NULL;
	int rc = -1;

	path = wtext_get(&w->f[F_SAVE_PATH].text);
	if (*path == '\0') {
		rc = 0;
		goto out;
	}
	full = wizard_expand(path);
	if (config_save_file(w->cl, full, &cause) != 0) {
		tui_message(&tui_global, 1, _("Cannot save %s: %s"), full,
		    cause);
		goto out;
	}
	tui_message(&tui_global, 0, _("Saved to %s; to install it without "
	    "questions: kubewiz install -f %s --yes"), full, full);
	free(w->saved_path);
	w->saved_path = full;
	full = NULL;
	rc = 0;
out:
	free(cause);
	free(full);
	free(path);
	return rc;
}

/* The install confirmation. */
static void
wizard_install_cb(void *arg, int yes)
{
	struct wizard *w = arg;

	if (!yes)
		return;
	if (wizard_save(w) != 0)
		return;
	w->result = UI_WIZARD_INSTALL;
	tui_pop(&tui_global, w->screen);
	tui_global.quit = 1;
}

/* Ask before installing, naming the nodes. */
static void
wizard_install(struct wizard *w)
{
	char *names = xstrdup(""), *tmp, *text;
	size_t i;

	wizard_validate(w);
	if (wizard_review_errors(w) != 0) {
		tui_message(&tui_global, 1,
		    _("The configuration has errors; go back and fix them."));
		return;
	}
	for (i = 0; i < w->cl->nnodes; i++) {
		tmp = xasprintf("%s%s%s", names, i > 0 ? ", " : "",
		    w->cl->nodes[i].name);
		free(names);
		names = tmp;
	}
	text = xasprintf(_("Install Kubernetes %s on %zu nodes (%s)? This "
	    "changes these servers: packages, kernel settings, swap, "
	    "/etc/hosts."), w->cl->kubernetes.version, w->cl->nnodes, names);
	dialog_yesno(&tui_global, _("Install"), text, wizard_install_cb, w);
	free(text);
	free(names);
}

/* A role token of a pasted line: 0 control plane, 1 worker, -1 none. */
static int
wizard_role_token(const char *s)
{
	if (strcmp(s, "control-plane") == 0 || strcmp(s, "master") == 0 ||
	    strcmp(s, "controlplane") == 0 || strcmp(s, "cp") == 0)
		return 0;
	if (strcmp(s, "worker") == 0 || strcmp(s, "node") == 0)
		return 1;
	return -1;
}

/* A pasted line "address name [role] [ssh-address]" in a row: fill the
 * row and open the next one. Returns 1 if the line was taken. */
static int
wizard_paste_row(struct wizard *w, size_t ri)
{
	struct wizard_row *r = &w->rows[ri];
	char *text = NULL, *tok[5], *p, *save = NULL;
	int ntok = 0, c, role;
	size_t next;

	for (c = 0; c < 3; c++) {
		text = wtext_get(&r->cell[c]);
		if (strpbrk(text, " \t") != NULL)
			break;
		free(text);
		text = NULL;
	}
	if (text == NULL)
		return 0;
	for (p = text; ntok < 5 && (tok[ntok] = strtok_r(p, " \t", &save));
	    p = NULL)
		ntok++;
	if (ntok < 2) {
		free(text);
		return 0;
	}
	wtext_set(&r->cell[COL_ADDRESS], tok[0]);
	wtext_set(&r->cell[COL_NAME], tok[1]);
	wtext_set(&r->cell[COL_SSH], NULL);
	if (ntok >= 3 && (role = wizard_role_token(tok[2])) >= 0)
		r->role = role;
	if (ntok >= 4)
		wtext_set(&r->cell[COL_SSH], tok[3]);
	free(text);
	for (c = 0; c < COL_COUNT; c++)
		r->touched[c] = 1;
	next = ri + 1;
	if (next >= w->nrows || !wizard_row_empty(&w->rows[next]))
		next = wizard_add_row(w, NULL, next);
	w->rows[next].role = 1;
	w->focus = IT_CELLV((int)next, COL_NAME);
	w->table.sel = (int)next;
	return 1;
}

/* Activate a button. */
static void
wizard_button(struct wizard *w, int b)
{
	size_t at;

	switch (b) {
	case BTN_BACK:
		wizard_back(w);
		break;
	case BTN_NEXT:
		wizard_next(w);
		break;
	case BTN_ADD:
		at = wizard_add_row(w, NULL, w->nrows);
		w->rows[at].role = at == 0 ? 0 : 1;
		w->focus = IT_CELLV((int)at, COL_NAME);
		w->table.sel = (int)at;
		break;
	case BTN_REMOVE:
		if (w->table.sel >= 0 && (size_t)w->table.sel < w->nrows)
			wizard_remove_row(w, (size_t)w->table.sel);
		wlist_fix(&w->table, 1);
		break;
	case BTN_SAVE:
		wizard_validate(w);
		if (wizard_review_errors(w) != 0) {
			tui_message(&tui_global, 1, _("The configuration has "
			    "errors; go back and fix them."));
			break;
		}
		wizard_save(w);
		break;
	case BTN_INSTALL:
		wizard_install(w);
		break;
	case BTN_CHECK:
		wizard_validate(w);
		if (!wizard_step_ok(w, ST_NODES) || !wizard_step_ok(w, ST_SSH) ||
		    wizard_review_errors(w) != 0) {
			tui_message(&tui_global, 1, _("Fix the nodes and SSH "
			    "settings (and any other errors) first."));
			break;
		}
		check_open(&tui_global, w->cl, w->opts->state_dir,
		    w->opts->parallel);
		break;
	}
}

/* Step help. */
static const char *
wizard_help(enum wizard_step st)
{
	switch (st) {
	case ST_NODES:
		return _("One row per server. Name becomes its hostname "
		    "(lowercase RFC 1123). The internal address is what "
		    "Kubernetes uses; the SSH address is where kubewiz "
		    "connects (empty: the internal address). The first "
		    "control-plane row runs kubeadm init. Paste lines "
		    "\"address name role\" into a cell and press Enter to "
		    "add rows. Ctrl-O adds a row, Ctrl-R removes the "
		    "selected one, Space changes the role.");
	case ST_SSH:
		return _("How kubewiz logs in to every node. Passwords and "
		    "passphrases are asked when connecting and are never "
		    "saved. Unknown host keys are shown with their "
		    "fingerprint for you to accept.");
	case ST_REGISTRY:
		return _("Where images and packages come from. China mirrors "
		    "use Aliyun for control-plane images and packages.");
	case ST_K8S:
		return _("Versions before 1.24 use the classic profile "
		    "(Docker, kubeadm flags); later ones the modern profile "
		    "(containerd, a kubeadm config file).");
	case ST_NETWORK:
		return _("The pod and service subnets must not overlap each "
		    "other or contain any node address.");
	case ST_DASHBOARD:
		return _("The Dashboard is exposed on a NodePort; you log in "
		    "with an admin-user token shown at the end.");
	default:
		return _("Check the settings and the YAML. Save writes it; "
		    "Install asks before changing any server.");
	}
}

/* Keys of the wizard. */
static int
wizard_key(struct screen *s, int key)
{
	struct wizard *w = s->data;
	int kind = IT_KIND(w->focus), v = IT_VALUE(w->focus), id, changed = 0;
	struct wizard_field *f = NULL;
	struct wizard_row *r = NULL;
	int page = tui_global.h - 12;

	if (kind == IT_FIELD)
		f = &w->f[v];
	if (kind == IT_CELL && (size_t)(v >> 2) < w->nrows)
		r = &w->rows[v >> 2];

	switch (key) {
	case TUI_KEY_INTERRUPT:
	case TUI_KEY(KEY_F(10)):
		dialog_yesno(&tui_global, _("Leave"), _("Leave the wizard? "
		    "Nothing is installed and what you typed is not saved."),
		    wizard_quit_cb, w);
		return 1;
	case TUI_KEY(KEY_F(1)):
		dialog_message(&tui_global, _(wizard_step_names[w->step]),
		    wizard_help(w->step), NULL, NULL);
		return 1;
	case TUI_ESC:
		wizard_back(w);
		return 1;
	case '\t':
		wizard_move(w, 1);
		wizard_validate(w);
		return 1;
	case TUI_KEY(KEY_BTAB):
		wizard_move(w, -1);
		wizard_validate(w);
		return 1;
	case TUI_CTRL('n'):
	case TUI_KEY(KEY_NPAGE):
		if (w->step == ST_REVIEW && kind == IT_BUTTON && v == BTN_YAML)
			break;
		wizard_next(w);
		return 1;
	case TUI_CTRL('p'):
	case TUI_KEY(KEY_PPAGE):
		if (w->step == ST_REVIEW && kind == IT_BUTTON && v == BTN_YAML)
			break;
		if (w->step > 0)
			wizard_goto(w, w->step - 1);
		return 1;
	case TUI_KEY(KEY_F(2)):
		if (w->step == ST_REVIEW)
			wizard_button(w, BTN_SAVE);
		return 1;
	case TUI_KEY(KEY_F(5)):
		if (w->step == ST_SSH)
			wizard_button(w, BTN_CHECK);
		return 1;
	}
	if (w->step == ST_NODES) {
		switch (key) {
		case TUI_CTRL('o'):
			wizard_button(w, BTN_ADD);
			wizard_validate(w);
			return 1;
		case TUI_CTRL('r'):
			wizard_button(w, BTN_REMOVE);
			if (kind == IT_CELL)
				w->focus = IT_CELLV(w->table.sel, v & 3);
			wizard_validate(w);
			return 1;
		}
	}

	if (kind == IT_CELL && r != NULL) {
		switch (key) {
		case TUI_KEY(KEY_UP):
			if (v >> 2 > 0) {
				wizard_leave_item(w);
				w->focus = IT_CELLV((v >> 2) - 1, v & 3);
				w->table.sel = (v >> 2) - 1;
			} else
				wizard_move(w, -1);
			wizard_validate(w);
			return 1;
		case TUI_KEY(KEY_DOWN):
			wizard_leave_item(w);
			if ((size_t)(v >> 2) + 1 < w->nrows) {
				w->focus = IT_CELLV((v >> 2) + 1, v & 3);
				w->table.sel = (v >> 2) + 1;
			} else
				w->focus = IT_BUTTON | BTN_ADD;
			wizard_validate(w);
			return 1;
		case '\r':
		case '\n':
		case TUI_KEY(KEY_ENTER):
			if (!wizard_paste_row(w, (size_t)(v >> 2)))
				wizard_move(w, 1);
			wizard_validate(w);
			return 1;
		}
		if ((v & 3) == COL_ROLE) {
			if (key == ' ' || key == TUI_KEY(KEY_LEFT) ||
			    key == TUI_KEY(KEY_RIGHT) || key == 'c' ||
			    key == 'w') {
				if (key == 'c')
					r->role = 0;
				else if (key == 'w')
					r->role = 1;
				else
					r->role = !r->role;
				wizard_validate(w);
			}
			return 1;
		}
		if (wtext_key(&r->cell[v & 3], key))
			wizard_validate(w);
		return 1;
	}

	if (kind == IT_FIELD && f != NULL) {
		id = v;
		switch (key) {
		case TUI_KEY(KEY_UP):
			wizard_move(w, -1);
			wizard_validate(w);
			return 1;
		case TUI_KEY(KEY_DOWN):
		case '\r':
		case '\n':
		case TUI_KEY(KEY_ENTER):
			wizard_move(w, 1);
			wizard_validate(w);
			return 1;
		}
		if (wizard_fields[id].choices != NULL) {
			int nch = 0;

			while (wizard_fields[id].choices[nch] != NULL)
				nch++;
			if (key == ' ' || key == TUI_KEY(KEY_RIGHT))
				f->choice = (f->choice + 1) % nch;
			else if (key == TUI_KEY(KEY_LEFT))
				f->choice = (f->choice + nch - 1) % nch;
			else
				return 0;
			if (id == F_REG_PRESET)
				wizard_apply_preset(w, f->choice);
			wizard_validate(w);
			return 1;
		}
		changed = wtext_key(&f->text, key);
		if (changed && id == F_SAVE_PATH)
			w->save_auto = 0;
		if (changed && (id == F_REG_IMAGE || id == F_REG_PKG))
			w->f[F_REG_PRESET].choice = wizard_detect_preset(w);
		if (changed)
			wizard_validate(w);
		return changed;
	}

	/* Buttons and the YAML view. */
	switch (key) {
	case TUI_KEY(KEY_UP):
		if (v == BTN_YAML) {
			if (w->yaml_top > 0)
				w->yaml_top--;
			return 1;
		}
		wizard_move(w, -1);
		return 1;
	case TUI_KEY(KEY_DOWN):
		if (v == BTN_YAML) {
			if (w->yaml_top + 1 < (int)w->nyaml)
				w->yaml_top++;
			return 1;
		}
		wizard_move(w, 1);
		return 1;
	case TUI_KEY(KEY_NPAGE):
		w->yaml_top += page;
		if (w->yaml_top >= (int)w->nyaml)
			w->yaml_top = (int)w->nyaml - 1;
		if (w->yaml_top < 0)
			w->yaml_top = 0;
		return 1;
	case TUI_KEY(KEY_PPAGE):
		w->yaml_top -= page;
		if (w->yaml_top < 0)
			w->yaml_top = 0;
		return 1;
	case TUI_KEY(KEY_LEFT):
		wizard_move(w, -1);
		return 1;
	case TUI_KEY(KEY_RIGHT):
		wizard_move(w, 1);
		return 1;
	case '\r':
	case '\n':
	case ' ':
	case TUI_KEY(KEY_ENTER):
		if (v == BTN_YAML)
			wizard_move(w, 1);
		else
			wizard_button(w, v);
		wizard_validate(w);
		return 1;
	}
	return 0;
}

/* Draw the step breadcrumb on line 1. */
static void
wizard_draw_crumbs(struct wizard *w, int width)
{
	const struct tui_glyphs *g = &tui_global.g;
	char *s;
	int x = 1, i, numbered = width >= 100;
	attr_t a;

	for (i = 0; i < ST_COUNT; i++) {
		if (i > 0)
			x += tui_put(1, x, width - x, tui_attr(TS_DIM), g->sep);
		if (i == (int)w->step)
			a = tui_attr(TS_SELECT);
		else if (w->visited[i] && i < (int)w->step)
			a = tui_attr(TS_OK);
		else
			a = tui_attr(TS_DIM);
		if (numbered)
			s = xasprintf("%d %s%s%s", i + 1,
			    _(wizard_step_names[i]),
			    i < (int)w->step ? " " : "",
			    i < (int)w->step ? g->ok : "");
		else
			s = xasprintf("%s%s", _(wizard_step_names[i]),
			    i < (int)w->step ? g->ok : "");
		x += tui_put(1, x, width - x, a, s);
		free(s);
	}
}

/* Draw an error (wrapped on up to maxl lines) or a note under a field;
 * returns the lines used. */
static int
wizard_draw_note(int y, int x, int width, const char *error, const char *note,
    int maxl)
{
	char *s, **lines = NULL;
	size_t i, n;
	int used = 1;

	if (error != NULL) {
		s = xasprintf("%s %s", tui_global.g.fail, error);
		n = wrap_text(s, width, &lines);
		for (i = 0; i < n; i++) {
			if ((int)i < maxl)
				tui_put(y + (int)i, x, width,
				    tui_attr(TS_FAIL), lines[i]);
			free(lines[i]);
		}
		free(lines);
		free(s);
		used = (int)n < maxl ? (int)n : maxl;
	} else if (note != NULL)
		tui_put(y, x, width, tui_attr(TS_DIM), note);
	return used;
}

/* A computed note for some fields (the profile a version implies). */
static char *
wizard_dynamic_note(struct wizard *w, int id)
{
	struct netaddr na;
	char buf[64];

	if (id == F_K8S_VERSION) {
		if (w->cl->kubernetes.version == NULL ||
		    cluster_parse_version(w->cl->kubernetes.version,
		    &w->cl->kubernetes.v) != 0)
			return xstrdup(_("x.y.z, e.g. 1.20.9 or 1.30.4"));
		if (cluster_profile(w->cl) == PROFILE_CLASSIC)
			return xstrdup(_("classic profile (< 1.24): Docker, "
			    "kubeadm flags"));
		return xstrdup(_("modern profile (>= 1.24): containerd, "
		    "config file"));
	}
	if (id == F_NET_SVC && w->cl->kubernetes.service_subnet != NULL &&
	    netaddr_parse_cidr(w->cl->kubernetes.service_subnet, 0, &na,
	    NULL) == 0 && na.family == AF_INET && na.prefix <= 28) {
		na.bytes[3] = (uint8_t)((na.bytes[3] & 0xf0) | 10);
		na.prefix = 32;
		netaddr_format(&na, buf, sizeof buf);
		return xasprintf(_("cluster DNS will be %s"), buf);
	}
	if (id == F_SSH_AUTH) {
		switch (w->f[id].choice) {
		case AUTH_AGENT:
			return xstrdup(_("keys from ssh-agent ($SSH_AUTH_SOCK)"));
		case AUTH_PASSWORD:
			return xstrdup(_("asked when connecting; never saved"));
		}
		return xstrdup(_("Left/Right or Space to choose"));
	}
	return NULL;
}

/* Draw a choice field "< value >". */
static void
wizard_draw_choice(int y, int x, int width, const char *const *choices,
    int choice, int focused)
{
	char *s;

	s = xasprintf("< %s >", _(choices[choice]));
	tui_fill(y, x, width, focused ? tui_attr(TS_FOCUS) : tui_attr(TS_FIELD));
	tui_put(y, x, width, focused ? tui_attr(TS_FOCUS) : tui_attr(TS_FIELD),
	    s);
	if (focused)
		tui_cursor(&tui_global, y, x + 2);
	free(s);
}

/* Draw the fields of the current step from line y; returns the next y. */
static int
wizard_draw_fields(struct wizard *w, int y, int width)
{
	int id, lw = 24, fx, fw, focused;
	char *note;

	fx = lw + 3;
	fw = width - fx - 2;
	if (fw > 60)
		fw = 60;
	for (id = 0; id < F_COUNT; id++) {
		if (wizard_fields[id].step != w->step)
			continue;
		focused = w->focus == (IT_FIELD | id);
		if (!wizard_field_enabled(w, id)) {
			tui_put(y, 2, lw, tui_attr(TS_DIM),
			    _(wizard_fields[id].label));
			tui_put(y, fx, fw, tui_attr(TS_DIM), _("(not used)"));
			y += 2;
			continue;
		}
		tui_put(y, 2, lw, focused ? A_BOLD : A_NORMAL,
		    _(wizard_fields[id].label));
		if (wizard_fields[id].choices != NULL)
			wizard_draw_choice(y, fx, fw, wizard_fields[id].choices,
			    w->f[id].choice, focused);
		else
			wtext_draw(&w->f[id].text, y, fx, fw, focused);
		note = wizard_dynamic_note(w, id);
		y += 1 + wizard_draw_note(y + 1, fx, width - fx - 1,
		    wizard_field_shows(w, id) ? w->f[id].error : NULL,
		    note != NULL ? note : (wizard_fields[id].note != NULL ?
		    _(wizard_fields[id].note) : NULL), 2);
		free(note);
	}
	return y;
}

/* Draw the node table between y and bottom. */
static void
wizard_draw_table(struct wizard *w, int y, int bottom, int width)
{
	static const char *const heads[COL_COUNT] = {
		N_("Name"), N_("Internal address"), N_("SSH address"),
		N_("Role")
	};
	const struct tui_glyphs *g = &tui_global.g;
	struct wizard_row *r;
	int cx[COL_COUNT], cw[COL_COUNT], c, rows, i, ry, focused, bad;
	const char *err = NULL;
	char *s;
	size_t k;

	cw[COL_ROLE] = 15;
	cw[COL_NAME] = cw[COL_ADDRESS] = cw[COL_SSH] =
	    (width - 4 - cw[COL_ROLE] - 4) / 3;
	if (cw[COL_NAME] > 30)
		cw[COL_NAME] = cw[COL_ADDRESS] = cw[COL_SSH] = 30;
	cx[0] = 3;
	for (c = 1; c < COL_COUNT; c++)
		cx[c] = cx[c - 1] + cw[c - 1] + 1;
	for (c = 0; c < COL_COUNT; c++)
		tui_put(y, cx[c], cw[c], tui_attr(TS_TITLE), _(heads[c]));
	y++;
	rows = bottom - y - 2;
	if (rows < 1)
		rows = 1;
	w->table.n = (int)w->nrows;
	wlist_fix(&w->table, rows);
	for (i = w->table.top, ry = y; i < (int)w->nrows && ry < y + rows;
	    i++, ry++) {
		r = &w->rows[i];
		bad = 0;
		for (c = 0; c < COL_COUNT; c++) {
			if (r->error[c] != NULL &&
			    (r->touched[c] || c == COL_ROLE ||
			    !wtext_empty(&r->cell[c < 3 ? c : 0]))) {
				bad = 1;
				if (i == w->table.sel && err == NULL)
					err = r->error[c];
			}
		}
		tui_put(ry, 1, 1, tui_attr(TS_FAIL), bad ? g->fail : " ");
		for (c = 0; c < COL_COUNT; c++) {
			focused = w->focus == IT_CELLV(i, c);
			if (c == COL_ROLE) {
				s = xasprintf("%s", wizard_role_choices[r->role]);
				tui_fill(ry, cx[c], cw[c], focused ?
				    tui_attr(TS_FOCUS) : tui_attr(TS_FIELD));
				tui_put(ry, cx[c], cw[c], focused ?
				    tui_attr(TS_FOCUS) : tui_attr(TS_FIELD), s);
				if (focused)
					tui_cursor(&tui_global, ry, cx[c]);
				free(s);
			} else
				wtext_draw(&r->cell[c], ry, cx[c], cw[c],
				    focused);
		}
	}
	if (w->table.top > 0)
		tui_put(y - 1, width - 8, 6, tui_attr(TS_DIM), "^ more");
	if (w->table.top + rows < (int)w->nrows)
		tui_put(y + rows - 1, width - 8, 6, tui_attr(TS_DIM), "v more");
	ry = y + rows;
	if (err == NULL) {
		/* The first shown problem of any row. */
		for (k = 0; k < w->nrows && err == NULL; k++) {
			for (c = 0; c < COL_COUNT && err == NULL; c++) {
				if (w->rows[k].error[c] != NULL &&
				    w->rows[k].touched[c])
					err = w->rows[k].error[c];
			}
		}
	}
	if (err == NULL && w->nodes_error != NULL && (w->rows[0].touched[0] ||
	    w->nrows > 1))
		err = w->nodes_error;
	if (err != NULL)
		wizard_draw_note(ry, 3, width - 4, err, NULL, 2);
	else
		tui_put(ry, 3, width - 4, tui_attr(TS_DIM),
		    _("Paste \"address name role\" lines and press Enter; "
		    "Space: role; Ctrl-O add, Ctrl-R remove"));
}

/* Draw the review step from y to bottom. */
static void
wizard_draw_review(struct wizard *w, int y, int bottom, int width)
{
	struct cluster *cl = w->cl;
	const struct cluster_node *cp = cluster_first_control_plane(cl);
	int i, yy, rows, focused = w->focus == (IT_BUTTON | BTN_YAML);
	char *s;
	size_t k;

	s = xasprintf(_("%zu nodes, first control plane %s; Kubernetes %s "
	    "(%s profile, %s)"), cl->nnodes, cp != NULL ? cp->name : "-",
	    cl->kubernetes.version != NULL ? cl->kubernetes.version : "?",
	    cluster_profile_label(cluster_profile(cl)),
	    cluster_runtime_name(cluster_runtime(cl)));
	tui_put(y++, 2, width - 4, A_BOLD, s);
	free(s);
	if (w->nproblems == 0)
		s = xasprintf("%s %s", tui_global.g.ok,
		    _("The configuration is valid."));
	else
		s = xasprintf("%s %zu %s", tui_global.g.fail, w->nproblems,
		    _("problems:"));
	tui_put(y++, 2, width - 4, w->nproblems == 0 ? tui_attr(TS_OK) :
	    tui_attr(TS_FAIL), s);
	free(s);
	for (k = 0; k < w->nproblems && k < 3; k++)
		tui_put(y++, 4, width - 6, tui_attr(TS_FAIL), w->problems[k]);
	y++;
	rows = bottom - y - 1;
	if (rows < 3)
		rows = 3;
	tui_box(y, 1, rows + 2, width - 2, focused ? A_BOLD : tui_attr(TS_DIM),
	    _("cluster.yaml (Tab here, then Up/Down to scroll)"));
	for (i = 0, yy = y + 1; i < rows && w->yaml_top + i < (int)w->nyaml;
	    i++, yy++)
		tui_put(yy, 3, width - 6, A_NORMAL, w->yaml[w->yaml_top + i]);
	if (focused)
		tui_cursor(&tui_global, y + 1, 3);
}

/* Draw the wizard. */
static void
wizard_draw(struct screen *s, int width, int h)
{
	struct wizard *w = s->data;
	char *title;
	int y, bx, ok, bottom;

	title = xasprintf(_("kubewiz install %s Step %d of %d: %s"),
	    tui_global.g.hline, (int)w->step + 1, ST_COUNT,
	    _(wizard_step_names[w->step]));
	tui_frame(width, h, title, w->step == ST_REVIEW ?
	    _("Tab move|Enter press|F2 save|Esc back|F1 help|F10 quit") :
	    _("Tab/Up/Down move|Ctrl-N next|Esc back|F1 help|F10 quit"));
	free(title);
	wizard_draw_crumbs(w, width);
	bottom = h - 4;
	y = wizard_draw_fields(w, 3, width);
	if (w->step == ST_NODES)
		wizard_draw_table(w, y, bottom, width);
	else if (w->step == ST_REVIEW)
		wizard_draw_review(w, y, bottom, width);
	else if (w->step == ST_SSH) {
		wbutton_draw(y, 2, _("Check nodes"),
		    w->focus == (IT_BUTTON | BTN_CHECK), 0);
		tui_put(y + 1, 2, width - 4, tui_attr(TS_DIM),
		    _("F5: connect to every node and run the preflight "
		    "checks now; nothing is changed."));
	}

	/* Buttons. */
	ok = wizard_step_ok(w, w->step);
	y = h - 3;
	bx = 2;
	if (w->step == ST_NODES) {
		bx += wbutton_draw(y, bx, _("Add node"),
		    w->focus == (IT_BUTTON | BTN_ADD), 0) + 1;
		bx += wbutton_draw(y, bx, _("Remove node"),
		    w->focus == (IT_BUTTON | BTN_REMOVE), 0) + 1;
	}
	if (w->step == ST_REVIEW)
		bx += wbutton_draw(y, bx, _("Save"),
		    w->focus == (IT_BUTTON | BTN_SAVE), !ok) + 1;
	bx = width - 2 - wbutton_width(_("Back")) - 1 -
	    wbutton_width(w->step == ST_REVIEW ? _("Install") : _("Next"));
	if (!ok)
		tui_put(y, bx - 22, 21, tui_attr(TS_DIM),
		    _("fix marked fields"));
	bx += wbutton_draw(y, bx, _("Back"),
	    w->focus == (IT_BUTTON | BTN_BACK), 0) + 1;
	if (w->step == ST_REVIEW)
		wbutton_draw(y, bx, _("Install"),
		    w->focus == (IT_BUTTON | BTN_INSTALL), !ok);
	else
		wbutton_draw(y, bx, _("Next"),
		    w->focus == (IT_BUTTON | BTN_NEXT), !ok);
	/* The focused text field draws last so the cursor lands on it. */
	if (IT_KIND(w->focus) == IT_FIELD && wizard_fields[IT_VALUE(
	    w->focus)].choices == NULL && w->step != ST_NODES) {
		/* already placed by wtext_draw */
	}
}

/* Free the wizard. */
static void
wizard_free(struct screen *s)
{
	struct wizard *w = s->data;

	w->screen = NULL;
}

static const struct screen_ops wizard_ops = {
	.name = "wizard",
	.free = wizard_free,
	.draw = wizard_draw,
	.key = wizard_key,
};

/* Free the wizard's data. */
static void
wizard_destroy(struct wizard *w)
{
	size_t i;
	int id;

	for (id = 0; id < F_COUNT; id++) {
		wtext_free(&w->f[id].text);
		free(w->f[id].error);
	}
	for (i = 0; i < w->nrows; i++)
		wizard_row_free(&w->rows[i]);
	free(w->rows);
	free(w->nodes_error);
	wizard_free_review(w);
	free(w->saved_path);
	cluster_free(w->cl);
	free(w);
}

/* Show load errors of the prefill file. */
static void
wizard_show_load_errors(const char *file, struct diag_list *d)
{
	char *text = xstrdup(""), *line, *tmp;
	size_t i;

	for (i = 0; i < d->n && i < 8; i++) {
		line = diag_format(&d->items[i], file);
		tmp = xasprintf("%s%s\n", text, line);
		free(text);
		free(line);
		text = tmp;
	}
	tmp = xasprintf(_("%s could not be loaded; starting from the "
	    "defaults.\n\n%s"), file, text);
	dialog_message(&tui_global, _("Config file"), tmp, NULL, NULL);
	free(tmp);
	free(text);
}

/* Run the wizard. */
int
ui_wizard(const struct kw_options *opts, const char *prefill_file,
    struct cluster **out, char **saved_path, char **cause)
{
	struct wizard *w = NULL;
	struct diag_list d;
	int load_failed = 0, result;

	*out = NULL;
	*saved_path = NULL;
	if (tui_start(opts, cause) != 0)
		return -1;
	diag_init(&d);
	w = xcalloc(1, sizeof *w);
	w->opts = opts;
	if (prefill_file != NULL) {
		w->cl = config_load_file(prefill_file, &d);
		if (w->cl == NULL)
			load_failed = 1;
	}
	if (w->cl == NULL) {
		w->cl = cluster_new();
		cluster_set_defaults(w->cl);
	}
	wizard_load(w);
	if (prefill_file != NULL && !load_failed)
		wtext_init(&w->f[F_SAVE_PATH].text, prefill_file);
	else {
		char *p = xasprintf("%s.yaml", w->cl->name != NULL &&
		    *w->cl->name != '\0' ? w->cl->name : "cluster");

		wtext_init(&w->f[F_SAVE_PATH].text, p);
		free(p);
		w->save_auto = 1;
	}
	w->result = UI_WIZARD_QUIT;
	w->screen = tui_push(&tui_global, &wizard_ops, w, 0);
	wizard_goto(w, ST_NODES);
	if (load_failed)
		wizard_show_load_errors(prefill_file, &d);
	diag_clear(&d);

	tui_run(&tui_global);
	if (w->screen != NULL)
		tui_pop(&tui_global, w->screen);
	tui_pop_all(&tui_global);
	tui_message(&tui_global, 0, NULL);

	result = w->result;
	if (result == UI_WIZARD_INSTALL) {
		*out = w->cl;
		w->cl = cluster_new();
	}
	*saved_path = w->saved_path;
	w->saved_path = NULL;
	wizard_destroy(w);
	return result;
}
