/* cluster.c: the cluster model: allocation, defaults, comparison and the
 * validation rules shared by config files and the wizard. */
#include "config.h"

#include <sys/socket.h>

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cluster.h"
#include "i18n.h"
#include "netaddr.h"

/* Longest value quoted in full inside a message. */
#define CLUSTER_QUOTE_MAX 64

/* Longest path, URL or registry name accepted. */
#define CLUSTER_PATH_MAX 4096
#define CLUSTER_URL_MAX 2048
#define CLUSTER_REGISTRY_MAX 255

/* Longest POSIX login name accepted. */
#define CLUSTER_USER_MAX 32

/* Token durations: from 10 minutes to one year (8760h). */
#define CLUSTER_DURATION_MIN (10L * 60)
#define CLUSTER_DURATION_MAX (8760L * 3600)

/* Allocate an empty cluster. */
struct cluster *
cluster_new(void)
{
	return xcalloc(1, sizeof (struct cluster));
}

/* Free the strings of one set of SSH settings. */
static void
cluster_ssh_free(struct cluster_ssh *s)
{
	free(s->user);
	free(s->identity_file);
	free(s->known_hosts);
	free(s->proxy_jump);
}

/* Free a cluster and everything it owns. */
void
cluster_free(struct cluster *c)
{
	size_t	i;

	if (c == NULL)
		return;
	free(c->name);
	free(c->kubernetes.version);
	free(c->kubernetes.control_plane_endpoint);
	free(c->kubernetes.pod_subnet);
	free(c->kubernetes.service_subnet);
	free(c->kubernetes.network);
	free(c->registry.image_repository);
	for (i = 0; i < c->registry.nmirrors; i++)
		free(c->registry.mirrors[i]);
	free(c->registry.mirrors);
	free(c->registry.package_mirror);
	cluster_ssh_free(&c->ssh);
	for (i = 0; i < c->nnodes; i++) {
		free(c->nodes[i].name);
		free(c->nodes[i].address);
		free(c->nodes[i].ssh_address);
		cluster_ssh_free(&c->nodes[i].ssh);
	}
	free(c->nodes);
	free(c->dashboard.version);
	free(c->dashboard.manifest);
	free(c->dashboard.token_duration);
	free(c);
}

/* Duplicate a string that may be NULL. */
static char *
cluster_strdup(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

/* Deep copy of one set of SSH settings. */
static void
cluster_ssh_copy(struct cluster_ssh *dst, const struct cluster_ssh *src)
{
	dst->user = cluster_strdup(src->user);
	dst->port = src->port;
	dst->identity_file = cluster_strdup(src->identity_file);
	dst->known_hosts = cluster_strdup(src->known_hosts);
	dst->proxy_jump = cluster_strdup(src->proxy_jump);
}

/* Deep copy of a cluster. */
struct cluster *
cluster_dup(const struct cluster *c)
{
	struct cluster	*d = NULL;
	size_t		 i;

	d = cluster_new();
	d->name = cluster_strdup(c->name);
	d->kubernetes.version = cluster_strdup(c->kubernetes.version);
	d->kubernetes.v = c->kubernetes.v;
	d->kubernetes.control_plane_endpoint =
	    cluster_strdup(c->kubernetes.control_plane_endpoint);
	d->kubernetes.pod_subnet = cluster_strdup(c->kubernetes.pod_subnet);
	d->kubernetes.service_subnet =
	    cluster_strdup(c->kubernetes.service_subnet);
	d->kubernetes.network = cluster_strdup(c->kubernetes.network);
	d->registry.image_repository =
	    cluster_strdup(c->registry.image_repository);
	if (c->registry.nmirrors > 0) {
		d->registry.mirrors = xcalloc(c->registry.nmirrors,
		    sizeof *d->registry.mirrors);
		for (i = 0; i < c->registry.nmirrors; i++) {
			d->registry.mirrors[i] =
			    cluster_strdup(c->registry.mirrors[i]);
		}
		d->registry.nmirrors = c->registry.nmirrors;
	}
	d->registry.package_mirror = cluster_strdup(c->registry.package_mirror);
	cluster_ssh_copy(&d->ssh, &c->ssh);
	if (c->nnodes > 0) {
		d->nodes = xcalloc(c->nnodes, sizeof *d->nodes);
		for (i = 0; i < c->nnodes; i++) {
			d->nodes[i].name = cluster_strdup(c->nodes[i].name);
			d->nodes[i].address = cluster_strdup(c->nodes[i].address);
			d->nodes[i].ssh_address =
			    cluster_strdup(c->nodes[i].ssh_address);
			d->nodes[i].role = c->nodes[i].role;
			cluster_ssh_copy(&d->nodes[i].ssh, &c->nodes[i].ssh);
		}
		d->nnodes = c->nnodes;
	}
	d->dashboard.kind = c->dashboard.kind;
	d->dashboard.version = cluster_strdup(c->dashboard.version);
	d->dashboard.manifest = cluster_strdup(c->dashboard.manifest);
	d->dashboard.node_port = c->dashboard.node_port;
	d->dashboard.token_duration = cluster_strdup(c->dashboard.token_duration);
	return d;
}

/* Whether two strings are equal, NULL being equal only to NULL. */
static int
cluster_str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether two sets of SSH settings are equal. */
static int
cluster_ssh_equal(const struct cluster_ssh *a, const struct cluster_ssh *b)
{
	return cluster_str_equal(a->user, b->user) && a->port == b->port &&
	    cluster_str_equal(a->identity_file, b->identity_file) &&
	    cluster_str_equal(a->known_hosts, b->known_hosts) &&
	    cluster_str_equal(a->proxy_jump, b->proxy_jump);
}

/* Whether two clusters hold the same values in every field. */
int
cluster_equal(const struct cluster *a, const struct cluster *b)
{
	const struct cluster_node	*na = NULL, *nb = NULL;
	size_t				 i;

	if (!cluster_str_equal(a->name, b->name) ||
	    !cluster_str_equal(a->kubernetes.version, b->kubernetes.version) ||
	    cluster_version_cmp(&a->kubernetes.v, &b->kubernetes.v) != 0 ||
	    !cluster_str_equal(a->kubernetes.control_plane_endpoint,
	    b->kubernetes.control_plane_endpoint) ||
	    !cluster_str_equal(a->kubernetes.pod_subnet,
	    b->kubernetes.pod_subnet) ||
	    !cluster_str_equal(a->kubernetes.service_subnet,
	    b->kubernetes.service_subnet) ||
	    !cluster_str_equal(a->kubernetes.network, b->kubernetes.network))
		return 0;
	if (!cluster_str_equal(a->registry.image_repository,
	    b->registry.image_repository) ||
	    !cluster_str_equal(a->registry.package_mirror,
	    b->registry.package_mirror) ||
	    a->registry.nmirrors != b->registry.nmirrors)
		return 0;
	for (i = 0; i < a->registry.nmirrors; i++) {
		if (!cluster_str_equal(a->registry.mirrors[i],
		    b->registry.mirrors[i]))
			return 0;
	}
	if (!cluster_ssh_equal(&a->ssh, &b->ssh) || a->nnodes != b->nnodes)
		return 0;
	for (i = 0; i < a->nnodes; i++) {
		na = &a->nodes[i];
		nb = &b->nodes[i];
		if (!cluster_str_equal(na->name, nb->name) ||
		    !cluster_str_equal(na->address, nb->address) ||
		    !cluster_str_equal(na->ssh_address, nb->ssh_address) ||
		    na->role != nb->role || !cluster_ssh_equal(&na->ssh, &nb->ssh))
			return 0;
	}
	return a->dashboard.kind == b->dashboard.kind &&
	    cluster_str_equal(a->dashboard.version, b->dashboard.version) &&
	    cluster_str_equal(a->dashboard.manifest, b->dashboard.manifest) &&
	    a->dashboard.node_port == b->dashboard.node_port &&
	    cluster_str_equal(a->dashboard.token_duration,
	    b->dashboard.token_duration);
}

/* Set *field to a copy of value when it is unset. */
static void
cluster_default_str(char **field, const char *value)
{
	if (*field == NULL)
		*field = xstrdup(value);
}

/* Fill every unset field with its documented default (kubewiz.yaml(5)). */
void
cluster_set_defaults(struct cluster *c)
{
	const char	*dv = NULL;

	if (c->kubernetes.version == NULL ||
	    cluster_parse_version(c->kubernetes.version, &c->kubernetes.v) != 0)
		memset(&c->kubernetes.v, 0, sizeof c->kubernetes.v);
	cluster_default_str(&c->kubernetes.control_plane_endpoint,
	    CLUSTER_DEFAULT_ENDPOINT);
	cluster_default_str(&c->kubernetes.pod_subnet,
	    CLUSTER_DEFAULT_POD_SUBNET);
	cluster_default_str(&c->kubernetes.service_subnet,
	    CLUSTER_DEFAULT_SERVICE_SUBNET);
	cluster_default_str(&c->kubernetes.network, CLUSTER_DEFAULT_NETWORK);

	cluster_default_str(&c->registry.image_repository, "");
	cluster_default_str(&c->registry.package_mirror, "");

	cluster_default_str(&c->ssh.user, CLUSTER_DEFAULT_SSH_USER);
	if (c->ssh.port == 0)
		c->ssh.port = CLUSTER_DEFAULT_SSH_PORT;
	cluster_default_str(&c->ssh.identity_file, "");
	cluster_default_str(&c->ssh.known_hosts, CLUSTER_DEFAULT_KNOWN_HOSTS);
	cluster_default_str(&c->ssh.proxy_jump, "");

	switch (c->dashboard.kind) {
	case DASHBOARD_KUBERNETES:
		if (cluster_profile(c) == PROFILE_CLASSIC)
			dv = CLUSTER_DASHBOARD_CLASSIC_VERSION;
		else
			dv = CLUSTER_DASHBOARD_MODERN_VERSION;
		break;
	case DASHBOARD_HEADLAMP:
		dv = CLUSTER_HEADLAMP_VERSION;
		break;
	default:
		dv = "";
		break;
	}
	cluster_default_str(&c->dashboard.version, dv);
	cluster_default_str(&c->dashboard.manifest, "");
	if (c->dashboard.node_port == 0)
		c->dashboard.node_port = CLUSTER_DEFAULT_NODE_PORT;
	cluster_default_str(&c->dashboard.token_duration,
	    CLUSTER_DEFAULT_TOKEN_DURATION);
}

/* Parse one version number: 1-4 digits, no leading zero. Advances *sp. */
static int
cluster_parse_number(const char **sp, int *out)
{
	const char	*s = *sp;
	int		 n = 0, digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (digits == 4)
			return -1;
		n = n * 10 + (*s - '0');
		digits++;
		s++;
	}
	if (digits == 0 || (digits > 1 && **sp == '0'))
		return -1;
	*out = n;
	*sp = s;
	return 0;
}

/* Parse "x.y.z" (a leading "v" is allowed). */
int
cluster_parse_version(const char *s, struct cluster_version *out)
{
	struct cluster_version	v;

	if (s == NULL)
		return -1;
	if (*s == 'v')
		s++;
	if (cluster_parse_number(&s, &v.major) != 0 || *s++ != '.' ||
	    cluster_parse_number(&s, &v.minor) != 0 || *s++ != '.' ||
	    cluster_parse_number(&s, &v.patch) != 0 || *s != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Compare two versions like strcmp. */
int
cluster_version_cmp(const struct cluster_version *a,
    const struct cluster_version *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return 0;
}

/* The profile a version implies: classic below 1.24, else modern. The
 * version text wins over the parsed copy (the wizard edits the text); an
 * unparsable version counts as modern. */
enum cluster_profile
cluster_profile(const struct cluster *c)
{
	struct cluster_version	v;

	if (cluster_parse_version(c->kubernetes.version, &v) != 0)
		v = c->kubernetes.v;
	if (v.major == 0)
		return PROFILE_MODERN;
	if (v.major == 1 && v.minor < 24)
		return PROFILE_CLASSIC;
	return PROFILE_MODERN;
}

/* The container runtime a version implies. */
enum cluster_runtime
cluster_runtime(const struct cluster *c)
{
	if (cluster_profile(c) == PROFILE_CLASSIC)
		return RUNTIME_DOCKER;
	return RUNTIME_CONTAINERD;
}

/* The first control plane in the list: the node that runs kubeadm init. */
const struct cluster_node *
cluster_first_control_plane(const struct cluster *c)
{
	size_t	i;

	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].role == ROLE_CONTROL_PLANE)
			return &c->nodes[i];
	}
	return NULL;
}

/* Number of control-plane nodes. */
size_t
cluster_control_planes(const struct cluster *c)
{
	size_t	i, n = 0;

	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].role == ROLE_CONTROL_PLANE)
			n++;
	}
	return n;
}

/* Index of a node by name, or -1. */
int
cluster_find_node(const struct cluster *c, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < c->nnodes && i < INT_MAX; i++) {
		if (c->nodes[i].name != NULL && strcmp(c->nodes[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* The address kubewiz connects to. */
const char *
cluster_node_ssh_address(const struct cluster_node *n)
{
	if (n->ssh_address != NULL && *n->ssh_address != '\0')
		return n->ssh_address;
	return n->address;
}

/* Pick a node's override if set, else the cluster's value. */
static char *
cluster_pick(char *node, char *cluster)
{
	return node != NULL ? node : cluster;
}

/* Effective SSH settings of a node. */
void
cluster_node_ssh(const struct cluster *c, const struct cluster_node *n,
    struct cluster_ssh *out)
{
	out->user = cluster_pick(n->ssh.user, c->ssh.user);
	out->port = n->ssh.port != 0 ? n->ssh.port : c->ssh.port;
	out->identity_file = cluster_pick(n->ssh.identity_file,
	    c->ssh.identity_file);
	out->known_hosts = cluster_pick(n->ssh.known_hosts, c->ssh.known_hosts);
	out->proxy_jump = cluster_pick(n->ssh.proxy_jump, c->ssh.proxy_jump);
}

/* Role names, as written in YAML. */
const char *
cluster_role_name(enum cluster_role r)
{
	return r == ROLE_CONTROL_PLANE ? "control-plane" : "worker";
}

/* Profile names. */
const char *
cluster_profile_name(enum cluster_profile p)
{
	return p == PROFILE_CLASSIC ? "classic" : "modern";
}

/* A profile's name as users read it, translated. */
const char *
cluster_profile_label(enum cluster_profile p)
{
	return p == PROFILE_CLASSIC ? _("classic") : _("modern");
}

/* Runtime names. */
const char *
cluster_runtime_name(enum cluster_runtime r)
{
	return r == RUNTIME_DOCKER ? "docker" : "containerd";
}

/* Dashboard kinds, as written in YAML. */
const char *
cluster_dashboard_name(enum cluster_dashboard d)
{
	switch (d) {
	case DASHBOARD_KUBERNETES:
		return "kubernetes-dashboard";
	case DASHBOARD_HEADLAMP:
		return "headlamp";
	default:
		return "none";
	}
}

/* Parse a role name. */
int
cluster_parse_role(const char *s, enum cluster_role *out)
{
	if (strcmp(s, "control-plane") == 0)
		*out = ROLE_CONTROL_PLANE;
	else if (strcmp(s, "worker") == 0)
		*out = ROLE_WORKER;
	else
		return -1;
	return 0;
}

/* Parse a dashboard kind. */
int
cluster_parse_dashboard(const char *s, enum cluster_dashboard *out)
{
	if (strcmp(s, "kubernetes-dashboard") == 0)
		*out = DASHBOARD_KUBERNETES;
	else if (strcmp(s, "headlamp") == 0)
		*out = DASHBOARD_HEADLAMP;
	else if (strcmp(s, "none") == 0)
		*out = DASHBOARD_NONE;
	else
		return -1;
	return 0;
}

/* Parse a Go duration made of whole hours, minutes and seconds ("24h",
 * "1h30m", "90s") into seconds. */
int
cluster_parse_duration(const char *s, long *seconds)
{
	long	total = 0, n, unit;
	int	digits, seen = 0;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		n = 0;
		digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (n > 100000000L)
				return -1;
			n = n * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0)
			return -1;
		switch (*s++) {
		case 'h':
			if (seen >= 1)
				return -1;
			seen = 1;
			unit = 3600;
			break;
		case 'm':
			if (seen >= 2)
				return -1;
			seen = 2;
			unit = 60;
			break;
		case 's':
			if (seen >= 3)
				return -1;
			seen = 3;
			unit = 1;
			break;
		default:
			return -1;
		}
		total += n * unit;
		if (total > 100000L * 3600)
			return -1;
	}
	*seconds = total;
	return 0;
}

/* Quote a user value for a message: "...", control bytes as \xNN, long
 * values cut. Caller frees. */
static char *
cluster_quote(const char *s)
{
	char		*out = NULL, *p = NULL;
	size_t		 i, n;
	unsigned char	 ch;

	n = strlen(s);
	out = xmalloc(CLUSTER_QUOTE_MAX * 4 + 8);
	p = out;
	*p++ = '"';
	for (i = 0; i < n && i < CLUSTER_QUOTE_MAX; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\') {
			if (ch == '"' || ch == '\\') {
				*p++ = '\\';
				*p++ = (char)ch;
			} else {
				p += sprintf(p, "\\x%02x", ch);
			}
		} else
			*p++ = (char)ch;
	}
	if (i < n) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p++ = '"';
	*p = '\0';
	return out;
}

/* Whether s has a byte below 0x20 or 0x7f. */
static int
cluster_has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	}
	return 0;
}

/* Whether s has an uppercase ASCII letter. */
static int
cluster_has_upper(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	}
	return 0;
}

/* A lowercase copy of s. Caller frees. */
static char *
cluster_lower(const char *s)
{
	char	*l = NULL, *p = NULL;

	l = xstrdup(s);
	for (p = l; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return l;
}

/* Check an RFC 1123 label of at most max bytes. Adds an error naming what
 * (a translated noun phrase) and returns -1 when it is not one. */
static int
cluster_check_label(struct diag_list *d, const char *path, const char *s,
    size_t max, const char *what)
{
	char		*q = NULL, *l = NULL;
	size_t		 i, n;
	int		 rc = -1;

	q = cluster_quote(s);
	n = strlen(s);
	if (n == 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is empty; use lowercase "
		    "letters, digits and '-', like k8s-node1"), what);
		goto out;
	}
	if (n > max) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s %s is %zu characters "
		    "long; at most %zu are allowed"), what, q, n, max);
		goto out;
	}
	if (cluster_has_upper(s)) {
		l = cluster_lower(s);
		if (netaddr_is_dns_label(l)) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s %s has uppercase "
			    "letters, which break kubeadm late; use lowercase: %s"),
			    what, q, l);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s %s contains "
			    "'%c'; use only lowercase letters a-z, digits and "
			    "'-' (an RFC 1123 label)"), what, q,
			    (unsigned char)s[i] >= 0x20 &&
			    (unsigned char)s[i] < 0x7f ? s[i] : '?');
			goto out;
		}
	}
	if (s[0] == '-' || s[n - 1] == '-') {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s %s must start and end "
		    "with a letter or digit"), what, q);
		goto out;
	}
	if (cluster_has_upper(s)) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s %s has uppercase "
		    "letters; use lowercase letters a-z, digits and '-'"), what, q);
		goto out;
	}
	rc = 0;
out:
	free(l);
	free(q);
	return rc;
}

/* Check the cluster name. */
static void
cluster_check_name(const struct cluster *c, struct diag_list *d)
{
	if (c->name == NULL || *c->name == '\0') {
		diag_add(d, DIAG_ERROR, "name", 0, 0, _("the cluster needs a name "
		    "(it names the state directory): lowercase letters, digits "
		    "and '-', like demo"));
		return;
	}
	cluster_check_label(d, "name", c->name, CLUSTER_NAME_MAX,
	    _("the cluster name"));
}

/* Check kubernetes.version. */
static void
cluster_check_version(const struct cluster *c, struct diag_list *d)
{
	const char		*path = "kubernetes.version";
	const char		*s = c->kubernetes.version;
	struct cluster_version	 v;
	char			*q = NULL;

	if (s == NULL || *s == '\0') {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("the Kubernetes version is "
		    "missing; write it as x.y.z, like \"1.34.2\" (supported: "
		    "1.%d.0 to 1.%d.x)"), CLUSTER_VERSION_OLDEST_MINOR,
		    CLUSTER_VERSION_NEWEST_MINOR);
		return;
	}
	q = cluster_quote(s);
	if (cluster_parse_version(s, &v) != 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a version x.y.z; "
		    "write it like \"1.34.2\" (supported: 1.%d.0 to 1.%d.x)"), q,
		    CLUSTER_VERSION_OLDEST_MINOR, CLUSTER_VERSION_NEWEST_MINOR);
		goto out;
	}
	if (*s == 'v') {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s: write the version "
		    "without the leading v: \"%s\""), q, s + 1);
		goto out;
	}
	if (v.major != 1 || v.minor < CLUSTER_VERSION_OLDEST_MINOR) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("Kubernetes %s is not "
		    "supported; kubewiz installs 1.%d.0 to 1.%d.x (below 1.24 with "
		    "the classic profile: Docker; from 1.24 with containerd)"), s,
		    CLUSTER_VERSION_OLDEST_MINOR, CLUSTER_VERSION_NEWEST_MINOR);
		goto out;
	}
	if (v.minor > CLUSTER_VERSION_NEWEST_MINOR + 2) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("Kubernetes %s is unknown: "
		    "the newest release kubewiz knows is 1.%d; use 1.%d.0 to "
		    "1.%d.x"), s, CLUSTER_VERSION_NEWEST_MINOR,
		    CLUSTER_VERSION_OLDEST_MINOR, CLUSTER_VERSION_NEWEST_MINOR);
		goto out;
	}
	if (v.minor > CLUSTER_VERSION_NEWEST_MINOR) {
		diag_add(d, DIAG_WARNING, path, 0, 0, _("Kubernetes %s is newer "
		    "than the newest release kubewiz knows (1.%d); it is installed "
		    "like 1.%d (modern profile, containerd), untested"), s,
		    CLUSTER_VERSION_NEWEST_MINOR, CLUSTER_VERSION_NEWEST_MINOR);
	}
out:
	free(q);
}

/* Whether s is an IPv4 or IPv6 address. */
static int
cluster_parse_ip(const char *s)
{
	struct netaddr	a;

	return netaddr_parse_addr(s, &a) == 0;
}

/* Check a host name used to reach a machine (case-insensitive DNS name, or
 * an IP address). Returns 0 when valid. */
static int
cluster_host_ok(const char *s)
{
	struct netaddr	 a;
	char		*l = NULL;
	int		 ok;

	if (netaddr_parse_addr(s, &a) == 0)
		return 1;
	l = cluster_lower(s);
	ok = netaddr_is_dns_name(l);
	free(l);
	return ok;
}

/* Check kubernetes.controlPlaneEndpoint. */
static void
cluster_check_endpoint(const struct cluster *c, struct diag_list *d)
{
	const char			*path = "kubernetes.controlPlaneEndpoint";
	const char			*s = c->kubernetes.control_plane_endpoint;
	const struct cluster_node	*first = NULL;
	struct netaddr			 a;
	char				*q = NULL, *l = NULL;
	size_t				 i;

	/* Every install writes the endpoint into /etc/hosts and gives it to
	 * kubeadm, so that control planes can be added later. */
	if (s == NULL || *s == '\0') {
		if (cluster_control_planes(c) > 1) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("extra control planes "
			    "join through the control-plane endpoint; set it to a "
			    "name, like cluster-endpoint"));
		} else {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("the control-plane "
			    "endpoint is empty; give a name for /etc/hosts, like "
			    "cluster-endpoint (or remove the key for that default)"));
		}
		return;
	}
	q = cluster_quote(s);
	if (netaddr_parse_addr(s, &a) == 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is an address; the "
		    "endpoint is a name written into every node's /etc/hosts, "
		    "like cluster-endpoint"), q);
		goto out;
	}
	if (!netaddr_is_dns_name(s)) {
		l = cluster_lower(s);
		if (netaddr_is_dns_name(l)) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s has uppercase "
			    "letters; use lowercase: %s"), q, l);
		} else {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a DNS name; "
			    "use lowercase letters, digits, '-' and '.', like "
			    "cluster-endpoint"), q);
		}
		goto out;
	}
	first = cluster_first_control_plane(c);
	for (i = 0; i < c->nnodes; i++) {
		if (&c->nodes[i] == first || c->nodes[i].name == NULL)
			continue;
		if (strcmp(c->nodes[i].name, s) == 0) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is also the name "
			    "of node nodes[%zu], which is not the first control "
			    "plane; /etc/hosts would send the endpoint to it; use "
			    "another name, like cluster-endpoint"), q, i);
			goto out;
		}
	}
out:
	free(l);
	free(q);
}

/* Parse a subnet field for the cross checks; adds an error and returns -1
 * when it is not a usable CIDR. */
static int
cluster_check_cidr(const struct cluster *c, struct diag_list *d,
    const char *path, const char *s, int pod, struct netaddr *out)
{
	static const char *const reserved[] = {
		"127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "::1/128",
		"fe80::/10", "ff00::/8",
	};
	struct netaddr	 net, r, loose;
	const char	*why = NULL;
	char		*q = NULL, buf[64];
	size_t		 i, n;
	int		 bits, lo, hi, rc = -1;

	if (s == NULL || *s == '\0') {
		diag_add(d, DIAG_ERROR, path, 0, 0, pod ?
		    _("the pod subnet is missing; write a CIDR like "
		    "192.168.0.0/16") : _("the service subnet is missing; write "
		    "a CIDR like 10.96.0.0/12"));
		return -1;
	}
	q = cluster_quote(s);
	if (strchr(s, ',') != NULL) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s: dual-stack subnets are "
		    "not supported; give one CIDR"), q);
		goto out;
	}
	if (netaddr_parse_cidr(s, 1, &net, &why) != 0) {
		if (netaddr_parse_cidr(s, 0, &loose, NULL) == 0) {
			netaddr_format_network(&loose, buf, sizeof buf);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a network "
			    "address: host bits are set after /%d; did you mean "
			    "%s?"), q, loose.prefix, buf);
		} else {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a CIDR: %s"),
			    q, why != NULL ? _(why) : _("invalid"));
		}
		goto out;
	}
	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		if (netaddr_parse_cidr(reserved[i], 1, &r, NULL) == 0 &&
		    netaddr_overlap(&net, &r)) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s overlaps %s, "
			    "which is reserved (loopback, link-local or multicast); "
			    "use a private range like %s"), q, reserved[i],
			    pod ? "192.168.0.0/16" : "10.96.0.0/12");
			goto out;
		}
	}
	if (pod) {
		/* Each node gets a /24 (IPv4) or /64 (IPv6) of the pod subnet. */
		for (bits = 0, n = 1; n < c->nnodes; bits++)
			n <<= 1;
		if (net.family == AF_INET) {
			lo = 8;
			hi = 24 - bits;
		} else {
			lo = 48;
			hi = 64 - bits;
		}
		if (net.prefix > hi) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is too small: "
			    "each node takes a /%d of it, so %zu nodes need at most "
			    "/%d, like 10.244.0.0/16"), q,
			    net.family == AF_INET ? 24 : 64,
			    c->nnodes > 0 ? c->nnodes : 1, hi);
			goto out;
		}
	} else {
		if (net.family == AF_INET) {
			lo = 12;
			hi = 28;
		} else {
			lo = 108;
			hi = 120;
		}
		if (net.prefix > hi) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is too small for "
			    "services; use a prefix from /%d to /%d, like %s"), q, lo,
			    hi, net.family == AF_INET ? "10.96.0.0/12" :
			    "fd00:10:96::/112");
			goto out;
		}
	}
	if (net.prefix < lo) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is too large; use a "
		    "prefix from /%d to /%d"), q, lo, hi);
		goto out;
	}
	*out = net;
	rc = 0;
out:
	free(q);
	return rc;
}

/* Check the pod and service subnets, alone and against each other and the
 * node addresses. */
static void
cluster_check_subnets(const struct cluster *c, struct diag_list *d)
{
	struct netaddr	pod, svc, a;
	int		pod_ok, svc_ok;
	size_t		i;
	char		pbuf[64], sbuf[64];

	pod_ok = cluster_check_cidr(c, d, "kubernetes.podSubnet",
	    c->kubernetes.pod_subnet, 1, &pod) == 0;
	svc_ok = cluster_check_cidr(c, d, "kubernetes.serviceSubnet",
	    c->kubernetes.service_subnet, 0, &svc) == 0;
	if (pod_ok && svc_ok) {
		netaddr_format(&pod, pbuf, sizeof pbuf);
		netaddr_format(&svc, sbuf, sizeof sbuf);
		if (pod.family != svc.family) {
			diag_add(d, DIAG_ERROR, "kubernetes.podSubnet", 0, 0,
			    _("%s and the service subnet %s are of different IP "
			    "families; use two IPv4 or two IPv6 subnets"), pbuf, sbuf);
		} else if (netaddr_overlap(&pod, &svc)) {
			diag_add(d, DIAG_ERROR, "kubernetes.podSubnet", 0, 0,
			    _("%s overlaps the service subnet %s; pick ranges that "
			    "do not overlap, like 192.168.0.0/16 and 10.96.0.0/12"),
			    pbuf, sbuf);
		}
	}
	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].address == NULL ||
		    netaddr_parse_addr(c->nodes[i].address, &a) != 0)
			continue;
		if (pod_ok && netaddr_contains(&pod, &a)) {
			netaddr_format(&pod, pbuf, sizeof pbuf);
			diag_add(d, DIAG_ERROR, "kubernetes.podSubnet", 0, 0,
			    _("%s contains the address %s of node nodes[%zu]; pod "
			    "traffic would be routed wrong; pick a range no node "
			    "uses, like 10.244.0.0/16"), pbuf, c->nodes[i].address, i);
			pod_ok = 0;
		}
		if (svc_ok && netaddr_contains(&svc, &a)) {
			netaddr_format(&svc, sbuf, sizeof sbuf);
			diag_add(d, DIAG_ERROR, "kubernetes.serviceSubnet", 0, 0,
			    _("%s contains the address %s of node nodes[%zu]; pick a "
			    "range no node uses, like 10.96.0.0/12"), sbuf,
			    c->nodes[i].address, i);
			svc_ok = 0;
		}
	}
}

/* Check kubernetes.network. */
static void
cluster_check_network(const struct cluster *c, struct diag_list *d)
{
	char	*q = NULL;

	if (c->kubernetes.network == NULL ||
	    strcmp(c->kubernetes.network, "calico") == 0)
		return;
	q = cluster_quote(c->kubernetes.network);
	diag_add(d, DIAG_ERROR, "kubernetes.network", 0, 0, _("%s is not a "
	    "supported pod network; the only one is calico"), q);
	free(q);
}

/* Parse a port number "1".."65535" of n bytes. */
static int
cluster_port_ok(const char *s, size_t n)
{
	long	v = 0;
	size_t	i;

	if (n == 0 || n > 5 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* What is wrong with a URL (untranslated msgid), or NULL when it is a valid
 * http(s)://host[:port][/path] in the strict character set. */
static const char *
cluster_url_problem(const char *s, int https_only, int allow_path)
{
	const char	*host = NULL, *p = NULL, *end = NULL, *colon = NULL;
	struct netaddr	 a;
	char		*h = NULL;
	const char	*why = NULL;

	if (strlen(s) > CLUSTER_URL_MAX)
		return N_("is too long");
	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0) {
		if (https_only)
			return N_("must use https://");
		host = s + 7;
	} else
		return N_("must start with http:// or https://");
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return N_("must not hold a user name or password");
	if (*host == '[') {
		p = memchr(host, ']', (size_t)(end - host));
		if (p == NULL)
			return N_("has an unclosed '[' in the host");
		h = xstrndup(host + 1, (size_t)(p - host - 1));
		if (netaddr_parse_addr(h, &a) != 0 || a.family != AF_INET6)
			why = N_("has an invalid IPv6 address in [ ]");
		colon = p + 1;
		if (why == NULL && colon != end && *colon != ':')
			why = N_("has text after the ']' of the host");
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
		h = xstrndup(host, (size_t)((colon != NULL ? colon : end) - host));
		if (*h == '\0')
			why = N_("has no host name");
		else if (cluster_has_upper(h))
			why = N_("has uppercase letters in the host name; use lowercase");
		else if (netaddr_parse_addr(h, &a) != 0 && !netaddr_is_dns_name(h))
			why = N_("has an invalid host name");
		if (colon == NULL)
			colon = end;
	}
	free(h);
	if (why != NULL)
		return why;
	if (colon != end && (*colon != ':' ||
	    !cluster_port_ok(colon + 1, (size_t)(end - colon - 1))))
		return N_("has an invalid port; use 1 to 65535");
	for (p = end; *p != '\0'; p++) {
		if (*p == '?' || *p == '#')
			return N_("must not have a query (?) or fragment (#)");
		if (*p == '%') {
			if (!isxdigit((unsigned char)p[1]) ||
			    !isxdigit((unsigned char)p[2]))
				/* xgettext:no-c-format */
				return N_("has a '%' not followed by two hex digits");
			continue;
		}
		if (!isalnum((unsigned char)*p) && strchr("/._~-+", *p) == NULL)
			return N_("has a character outside A-Z a-z 0-9 / . _ ~ - + %");
	}
	if (!allow_path && *end != '\0' && strcmp(end, "/") != 0)
		return N_("must not have a path: Docker's registry-mirrors take "
		    "only scheme://host[:port]");
	return NULL;
}

/* Check one URL field; empty allowed when allow_empty. */
static void
cluster_check_url(struct diag_list *d, const char *path, const char *s,
    int https_only, int allow_path, const char *example)
{
	const char	*why = NULL;
	char		*q = NULL;

	if (s == NULL)
		return;
	if (*s == '\0') {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("the URL is empty; write "
		    "one like %s"), example);
		return;
	}
	why = cluster_url_problem(s, https_only, allow_path);
	if (why == NULL)
		return;
	q = cluster_quote(s);
	diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a valid URL: it %s; "
	    "write one like %s"), q, _(why), example);
	free(q);
}

/* Whether n bytes of s form a registry path component: [a-z0-9] at both
 * ends, [a-z0-9._-] inside. */
static int
cluster_component_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	}
	return 1;
}

/* What is wrong with an image repository (msgid), or NULL: host[:port]
 * followed by /path components, or a Docker Hub namespace. */
static const char *
cluster_registry_problem(const char *s)
{
	const char	*p = NULL, *slash = NULL, *colon = NULL, *seg = NULL;
	struct netaddr	 a;
	char		*h = NULL;
	int		 bad = 0;
	size_t		 n;

	if (strstr(s, "://") != NULL)
		return N_("must not have a scheme; write host/path without https://");
	if (strlen(s) > CLUSTER_REGISTRY_MAX)
		return N_("is longer than 255 characters");
	if (cluster_has_upper(s))
		return N_("has uppercase letters; registry names are lowercase");
	for (p = s; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr(".-/:_", *p) != NULL))
			return N_("has a character outside a-z 0-9 . - / : _");
	}
	slash = strchr(s, '/');
	n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	colon = memchr(s, ':', n);
	h = xstrndup(s, colon != NULL ? (size_t)(colon - s) : n);
	if (*h == '\0' || (netaddr_parse_addr(h, &a) != 0 &&
	    !netaddr_is_dns_name(h)))
		bad = 1;
	free(h);
	if (bad)
		return N_("does not start with a valid registry host name");
	if (colon != NULL && !cluster_port_ok(colon + 1, n - (size_t)(colon - s) - 1))
		return N_("has an invalid port; use 1 to 65535");
	if (slash == NULL)
		return NULL;
	for (seg = slash + 1;; seg = slash + 1) {
		slash = strchr(seg, '/');
		n = slash != NULL ? (size_t)(slash - seg) : strlen(seg);
		if (memchr(seg, ':', n) != NULL)
			return N_("has a ':' in its path (a tag is not part of "
			    "the repository)");
		if (!cluster_component_ok(seg, n))
			return N_("has an empty or invalid path part (each part "
			    "starts and ends with a letter or digit)");
		if (slash == NULL)
			break;
	}
	return NULL;
}

/* Check the registry section. */
static void
cluster_check_registry(const struct cluster *c, struct diag_list *d)
{
	const char	*why = NULL;
	char		*q = NULL, path[64];
	size_t		 i, j;
	int		 classic;

	if (c->registry.image_repository != NULL &&
	    *c->registry.image_repository != '\0') {
		why = cluster_registry_problem(c->registry.image_repository);
		if (why != NULL) {
			q = cluster_quote(c->registry.image_repository);
			diag_add(d, DIAG_ERROR, "registry.imageRepository", 0, 0,
			    _("%s is not a registry name: it %s; write host[:port]/"
			    "path like registry.cn-hangzhou.aliyuncs.com/"
			    "google_containers, or \"\" for registry.k8s.io"), q,
			    _(why));
			free(q);
		}
	}
	if (c->registry.nmirrors > CLUSTER_MAX_MIRRORS) {
		diag_add(d, DIAG_ERROR, "registry.mirrors", 0, 0, _("%zu mirrors "
		    "are listed; at most %d are allowed"), c->registry.nmirrors,
		    CLUSTER_MAX_MIRRORS);
	}
	classic = cluster_profile(c) == PROFILE_CLASSIC;
	for (i = 0; i < c->registry.nmirrors; i++) {
		snprintf(path, sizeof path, "registry.mirrors[%zu]", i);
		cluster_check_url(d, path, c->registry.mirrors[i], 0, !classic,
		    "https://xxxx.mirror.aliyuncs.com");
		for (j = 0; j < i; j++) {
			if (c->registry.mirrors[i] != NULL &&
			    c->registry.mirrors[j] != NULL &&
			    strcmp(c->registry.mirrors[i],
			    c->registry.mirrors[j]) == 0) {
				q = cluster_quote(c->registry.mirrors[i]);
				diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is listed "
				    "twice (also registry.mirrors[%zu]); list each "
				    "mirror once"), q, j);
				free(q);
				break;
			}
		}
	}
	if (c->registry.package_mirror != NULL &&
	    *c->registry.package_mirror != '\0') {
		cluster_check_url(d, "registry.packageMirror",
		    c->registry.package_mirror, 0, 1, "https://mirrors.aliyun.com");
	}
}

/* Check a POSIX login name. */
static int
cluster_user_ok(const char *s)
{
	size_t	n = strlen(s), i;

	if (n == 0 || n > CLUSTER_USER_MAX || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' &&
		    s[i] != '-')
			return 0;
	}
	return 1;
}

/* Check a path field (identityFile, knownHosts, manifest). */
static void
cluster_check_path(struct diag_list *d, const char *path, const char *s,
    int allow_empty)
{
	char	*q = NULL;

	if (s == NULL)
		return;
	if (*s == '\0') {
		if (!allow_empty) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("the path is empty; "
			    "remove the key to use the default"));
		}
		return;
	}
	q = cluster_quote(s);
	if (cluster_has_control(s)) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s has a control character "
		    "(such as a newline); a path has none"), q);
	} else if (strlen(s) > CLUSTER_PATH_MAX) {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("the path is longer than "
		    "%d bytes"), CLUSTER_PATH_MAX);
	}
	free(q);
}

/* What is wrong with a proxy jump "[user@]host[:port]" (msgid), or NULL. */
static const char *
cluster_jump_problem(const char *s)
{
	const char	*host = NULL, *at = NULL, *end = NULL, *colon = NULL;
	char		*u = NULL, *h = NULL;
	const char	*why = NULL;
	struct netaddr	 a;

	at = strchr(s, '@');
	host = s;
	if (at != NULL) {
		u = xstrndup(s, (size_t)(at - s));
		if (!cluster_user_ok(u))
			why = N_("has an invalid user name before '@'");
		host = at + 1;
	}
	if (why == NULL && *host == '[') {
		end = strchr(host, ']');
		if (end == NULL)
			why = N_("has an unclosed '['");
		else {
			h = xstrndup(host + 1, (size_t)(end - host - 1));
			if (netaddr_parse_addr(h, &a) != 0)
				why = N_("has an invalid IPv6 address in [ ]");
			colon = end + 1;
			if (why == NULL && *colon != '\0' && (*colon != ':' ||
			    !cluster_port_ok(colon + 1, strlen(colon + 1))))
				why = N_("has an invalid port; use 1 to 65535");
		}
	} else if (why == NULL) {
		colon = strchr(host, ':');
		h = xstrndup(host, colon != NULL ? (size_t)(colon - host) :
		    strlen(host));
		if (*h == '\0' || !cluster_host_ok(h))
			why = N_("has an invalid host name or address");
		else if (colon != NULL && !cluster_port_ok(colon + 1,
		    strlen(colon + 1)))
			why = N_("has an invalid port; use 1 to 65535");
	}
	free(u);
	free(h);
	return why;
}

/* Check one set of SSH settings under prefix ("ssh" or "nodes[i].ssh"). */
static void
cluster_check_ssh(struct diag_list *d, const char *prefix,
    const struct cluster_ssh *s, int top)
{
	char		*path = NULL, *q = NULL;
	const char	*why = NULL;

	if (s->user != NULL) {
		path = xasprintf("%s.user", prefix);
		if (!cluster_user_ok(s->user)) {
			q = cluster_quote(s->user);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a login "
			    "name; use 1 to %d letters, digits, '.', '_' or '-', not "
			    "starting with '-', like root"), q, CLUSTER_USER_MAX);
			free(q);
		}
		free(path);
	}
	if (s->port != 0 || top) {
		if (s->port < 1 || s->port > 65535) {
			path = xasprintf("%s.port", prefix);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%d is not a port; use "
			    "1 to 65535 (22 is SSH's usual port)"), s->port);
			free(path);
		}
	}
	path = xasprintf("%s.identityFile", prefix);
	cluster_check_path(d, path, s->identity_file, top);
	free(path);
	path = xasprintf("%s.knownHosts", prefix);
	cluster_check_path(d, path, s->known_hosts, 0);
	free(path);
	if (s->proxy_jump != NULL && *s->proxy_jump != '\0') {
		why = cluster_jump_problem(s->proxy_jump);
		if (why != NULL) {
			path = xasprintf("%s.proxyJump", prefix);
			q = cluster_quote(s->proxy_jump);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not a jump host: "
			    "it %s; write [user@]host[:port], like admin@bastion:22"),
			    q, _(why));
			free(q);
			free(path);
		}
	}
}

/* Check one node's own fields (not the cross-node rules). */
static void
cluster_check_node(const struct cluster *c, struct diag_list *d, size_t i,
    const struct netaddr *svc)
{
	const struct cluster_node	*n = &c->nodes[i];
	struct netaddr			 a, loose;
	char				 path[64], *q = NULL;

	snprintf(path, sizeof path, "nodes[%zu].name", i);
	if (n->name == NULL || *n->name == '\0') {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("every node needs a name "
		    "(its hostname), like k8s-node1"));
	} else
		cluster_check_label(d, path, n->name, 63, _("the node name"));

	snprintf(path, sizeof path, "nodes[%zu].address", i);
	if (n->address == NULL || *n->address == '\0') {
		diag_add(d, DIAG_ERROR, path, 0, 0, _("every node needs its "
		    "internal address (IPv4 or IPv6), like 172.31.0.3"));
	} else if (netaddr_parse_addr(n->address, &a) != 0) {
		q = cluster_quote(n->address);
		if (netaddr_parse_cidr(n->address, 0, &loose, NULL) == 0) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not an IPv4 or "
			    "IPv6 address; write the address without the /prefix"),
			    q);
		} else if (cluster_host_ok(n->address) &&
		    strspn(n->address, "0123456789.") != strlen(n->address)) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not an IPv4 or "
			    "IPv6 address; the internal address must be an IP (put "
			    "a host name in sshAddress)"), q);
		} else {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is not an IPv4 or "
			    "IPv6 address, like 172.31.0.3"), q);
		}
	} else {
		if ((a.family == AF_INET && (a.bytes[0] == 0 || a.bytes[0] >= 224)) ||
		    (a.family == AF_INET6 && (a.bytes[0] == 0xff ||
		    memcmp(a.bytes, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0))) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s cannot be a node's "
			    "address (unspecified, multicast or broadcast); use the "
			    "address of its network interface"), n->address);
		} else if (svc != NULL && svc->family != a.family) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is an %s address "
			    "but the service subnet is %s; the API server needs "
			    "both of one family"), n->address,
			    a.family == AF_INET ? "IPv4" : "IPv6",
			    svc->family == AF_INET ? "IPv4" : "IPv6");
		}
	}

	if (n->ssh_address != NULL) {
		snprintf(path, sizeof path, "nodes[%zu].sshAddress", i);
		free(q);
		q = cluster_quote(n->ssh_address);
		if (*n->ssh_address == '\0') {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("sshAddress is empty; "
			    "remove the key to connect to the node's address"));
		} else if (!cluster_host_ok(n->ssh_address)) {
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s is neither an IP "
			    "address nor a host name; write where kubewiz connects, "
			    "like 139.198.0.10 or master.example.com"), q);
		}
	}
	snprintf(path, sizeof path, "nodes[%zu].ssh", i);
	cluster_check_ssh(d, path, &n->ssh, 0);
	free(q);
}

/* A node's value as a sort key, for finding duplicates in O(n log n). */
struct cluster_key {
	char	*key;		/* NULL: the node has no such value */
	size_t	 idx;		/* the node's index */
};

/* qsort order of keys: by text, then by node index. */
static int
cluster_key_cmp(const void *a, const void *b)
{
	const struct cluster_key	*ka = a, *kb = b;
	int				 r;

	r = strcmp(ka->key, kb->key);
	if (r != 0)
		return r;
	return (ka->idx > kb->idx) - (ka->idx < kb->idx);
}

/* For each of n nodes, the index of the first node with the same key, or
 * SIZE_MAX when it has none before it. Frees keys. Caller frees. */
static size_t *
cluster_find_dups(struct cluster_key *keys, size_t n)
{
	size_t	*first = NULL, i, j, m = 0;

	first = xcalloc(n, sizeof *first);
	for (i = 0; i < n; i++) {
		first[i] = SIZE_MAX;
		if (keys[i].key != NULL)
			keys[m++] = keys[i];
	}
	qsort(keys, m, sizeof *keys, cluster_key_cmp);
	for (i = 0; i < m; i = j) {
		for (j = i + 1; j < m && strcmp(keys[j].key, keys[i].key) == 0; j++)
			first[keys[j].idx] = keys[i].idx;
	}
	for (i = 0; i < m; i++)
		free(keys[i].key);
	free(keys);
	return first;
}

/* A host as a comparable text: an IP in canonical form, else lowercase.
 * Caller frees. */
static char *
cluster_host_key(const char *host)
{
	struct netaddr	a;
	char		buf[64];

	if (netaddr_parse_addr(host, &a) == 0)
		return xstrdup(netaddr_format(&a, buf, sizeof buf));
	return cluster_lower(host);
}

/* Check the node list and the rules across nodes. */
static void
cluster_check_nodes(const struct cluster *c, struct diag_list *d)
{
	const struct cluster_node	*n = NULL, *m = NULL;
	struct cluster_key		*names = NULL, *addrs = NULL, *targets = NULL;
	struct cluster_ssh		 sn;
	struct netaddr			 svc, *svcp = NULL;
	size_t				*dup_name = NULL, *dup_addr = NULL;
	size_t				*dup_target = NULL, i, j, ncp;
	const char			*ha = NULL;
	char				 path[64], *h = NULL;

	if (c->nnodes == 0) {
		diag_add(d, DIAG_ERROR, "nodes", 0, 0, _("no nodes are listed; add "
		    "at least one, like - { name: k8s-master, address: 172.31.0.2, "
		    "role: control-plane }"));
		return;
	}
	if (c->nnodes > CLUSTER_MAX_NODES) {
		diag_add(d, DIAG_ERROR, "nodes", 0, 0, _("%zu nodes are listed; at "
		    "most %d are supported"), c->nnodes, CLUSTER_MAX_NODES);
		return;
	}
	if (c->kubernetes.service_subnet != NULL &&
	    netaddr_parse_cidr(c->kubernetes.service_subnet, 0, &svc, NULL) == 0)
		svcp = &svc;
	for (i = 0; i < c->nnodes; i++)
		cluster_check_node(c, d, i, svcp);

	/* Names, addresses and SSH targets (host, port, jump) are unique. */
	names = xcalloc(c->nnodes, sizeof *names);
	addrs = xcalloc(c->nnodes, sizeof *addrs);
	targets = xcalloc(c->nnodes, sizeof *targets);
	for (i = 0; i < c->nnodes; i++) {
		n = &c->nodes[i];
		names[i].idx = addrs[i].idx = targets[i].idx = i;
		if (n->name != NULL && *n->name != '\0')
			names[i].key = cluster_lower(n->name);
		if (n->address != NULL && *n->address != '\0' &&
		    cluster_parse_ip(n->address))
			addrs[i].key = cluster_host_key(n->address);
		ha = cluster_node_ssh_address(n);
		if (ha != NULL && *ha != '\0') {
			cluster_node_ssh(c, n, &sn);
			h = cluster_host_key(ha);
			targets[i].key = xasprintf("%s\n%d\n%s", h, sn.port,
			    sn.proxy_jump != NULL ? sn.proxy_jump : "");
			free(h);
		}
	}
	dup_name = cluster_find_dups(names, c->nnodes);
	dup_addr = cluster_find_dups(addrs, c->nnodes);
	dup_target = cluster_find_dups(targets, c->nnodes);
	for (i = 0; i < c->nnodes; i++) {
		n = &c->nodes[i];
		if ((j = dup_name[i]) != SIZE_MAX) {
			snprintf(path, sizeof path, "nodes[%zu].name", i);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("the name %s is already "
			    "used by nodes[%zu]; node names must be unique"), n->name,
			    j);
		}
		if ((j = dup_addr[i]) != SIZE_MAX) {
			m = &c->nodes[j];
			snprintf(path, sizeof path, "nodes[%zu].address", i);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("the address %s is "
			    "already used by nodes[%zu] (%s); node addresses must be "
			    "unique"), n->address, j, m->name != NULL ? m->name : "?");
		}
		/* The same address twice is reported above already. */
		if ((j = dup_target[i]) != SIZE_MAX &&
		    (n->ssh_address != NULL || c->nodes[j].ssh_address != NULL)) {
			cluster_node_ssh(c, n, &sn);
			snprintf(path, sizeof path, n->ssh_address != NULL ?
			    "nodes[%zu].sshAddress" : "nodes[%zu].address", i);
			diag_add(d, DIAG_ERROR, path, 0, 0, _("kubewiz would reach "
			    "this node at %s port %d, like nodes[%zu]; give each node "
			    "its own sshAddress or ssh.port"),
			    cluster_node_ssh_address(n), sn.port, j);
		}
	}
	free(dup_name);
	free(dup_addr);
	free(dup_target);

	ncp = cluster_control_planes(c);
	if (ncp == 0) {
		diag_add(d, DIAG_ERROR, "nodes", 0, 0, _("no node has role "
		    "control-plane; set role: control-plane on the node that runs "
		    "kubeadm init (the first control plane in the list)"));
	} else if (ncp % 2 == 0) {
		diag_add(d, DIAG_WARNING, "nodes", 0, 0, _("%zu control planes "
		    "tolerate no more failures than %zu (etcd needs a majority); "
		    "use an odd number"), ncp, ncp - 1);
	}
}

/* Check the dashboard section. */
static void
cluster_check_dashboard(const struct cluster *c, struct diag_list *d)
{
	struct cluster_version	 v;
	const char		*s = c->dashboard.version, *why = NULL;
	char			*q = NULL;
	long			 secs;

	if (s != NULL && (*s != '\0' || c->dashboard.kind != DASHBOARD_NONE)) {
		q = cluster_quote(s);
		if (*s != 'v' || cluster_parse_version(s, &v) != 0) {
			diag_add(d, DIAG_ERROR, "dashboard.version", 0, 0, _("%s is "
			    "not a release like v2.7.0 (vX.Y.Z)"), q);
		} else if (c->dashboard.kind == DASHBOARD_KUBERNETES &&
		    (c->dashboard.manifest == NULL ||
		    *c->dashboard.manifest == '\0') &&
		    (v.major != 2 || v.minor > 7)) {
			diag_add(d, DIAG_ERROR, "dashboard.version", 0, 0, _("the "
			    "Kubernetes Dashboard %s has no manifest release (v3 and "
			    "later are Helm-only); use v2.0.0 to v2.7.0, or give "
			    "dashboard.manifest"), s);
		}
		free(q);
		q = NULL;
	}
	s = c->dashboard.manifest;
	if (s != NULL && strncmp(s, "http", 4) == 0 && strstr(s, "://") != NULL) {
		why = cluster_url_problem(s, 1, 1);
		if (why != NULL) {
			q = cluster_quote(s);
			diag_add(d, DIAG_ERROR, "dashboard.manifest", 0, 0, _("%s is "
			    "not a valid manifest URL: it %s; give an https URL or "
			    "a local file"), q, _(why));
		}
	} else
		cluster_check_path(d, "dashboard.manifest", s, 1);
	if (c->dashboard.node_port != 0 && (c->dashboard.node_port < 30000 ||
	    c->dashboard.node_port > 32767)) {
		diag_add(d, DIAG_ERROR, "dashboard.nodePort", 0, 0, _("%d is "
		    "outside the NodePort range; use 30000 to 32767, like 30443"),
		    c->dashboard.node_port);
	}
	s = c->dashboard.token_duration;
	if (s != NULL) {
		free(q);
		q = cluster_quote(s);
		if (cluster_parse_duration(s, &secs) != 0) {
			diag_add(d, DIAG_ERROR, "dashboard.tokenDuration", 0, 0,
			    _("%s is not a duration; write whole hours, minutes or "
			    "seconds like 24h, 30m or 1h30m"), q);
		} else if (secs < CLUSTER_DURATION_MIN ||
		    secs > CLUSTER_DURATION_MAX) {
			diag_add(d, DIAG_ERROR, "dashboard.tokenDuration", 0, 0,
			    _("%s is out of range; use 10m to 8760h (one year)"), q);
		}
	}
	free(q);
}

/* Check every rule; errors and warnings go to d with field paths. */
size_t
cluster_validate(const struct cluster *c, struct diag_list *d)
{
	size_t	before = diag_errors(d);

	cluster_check_name(c, d);
	cluster_check_version(c, d);
	cluster_check_endpoint(c, d);
	cluster_check_subnets(c, d);
	cluster_check_network(c, d);
	cluster_check_registry(c, d);
	cluster_check_ssh(d, "ssh", &c->ssh, 1);
	cluster_check_nodes(c, d);
	cluster_check_dashboard(c, d);
	return diag_errors(d) - before;
}

/* Whether diagnostic path p is path or lies under it. */
static int
cluster_path_under(const char *p, const char *path)
{
	size_t	n = strlen(path);

	if (p == NULL || strncmp(p, path, n) != 0)
		return 0;
	return p[n] == '\0' || p[n] == '.' || p[n] == '[';
}

/* Validate one field in context: the first error about path (or a field
 * under it), with the same text as cluster_validate. Caller frees. */
char *
cluster_check_field(const struct cluster *c, const char *path)
{
	struct diag_list	 d;
	char			*msg = NULL;
	size_t			 i;

	diag_init(&d);
	cluster_validate(c, &d);
	for (i = 0; i < d.n; i++) {
		if (d.items[i].level == DIAG_ERROR &&
		    cluster_path_under(d.items[i].path, path)) {
			msg = xstrdup(d.items[i].msg);
			break;
		}
	}
	diag_clear(&d);
	return msg;
}
