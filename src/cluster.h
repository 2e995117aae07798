/* cluster.h: the cluster model (nodes, roles, versions, networks,
 * registries, SSH, dashboard), its defaults and its validation. */
#ifndef KW_CLUSTER_H
#define KW_CLUSTER_H

#include <stddef.h>

#include "diag.h"

/* Limits and defaults, as documented in kubewiz.yaml(5). */
#define CLUSTER_NAME_MAX		40
#define CLUSTER_MAX_NODES		5000
#define CLUSTER_MAX_MIRRORS		16
#define CLUSTER_VERSION_OLDEST_MINOR	20	/* 1.20.0 */
#define CLUSTER_VERSION_NEWEST_MINOR	37	/* newer: warning, up to +2 */
#define CLUSTER_DEFAULT_ENDPOINT	"cluster-endpoint"
#define CLUSTER_DEFAULT_POD_SUBNET	"192.168.0.0/16"
#define CLUSTER_DEFAULT_SERVICE_SUBNET	"10.96.0.0/12"
#define CLUSTER_DEFAULT_NETWORK		"calico"
#define CLUSTER_DEFAULT_SSH_USER	"root"
#define CLUSTER_DEFAULT_SSH_PORT	22
#define CLUSTER_DEFAULT_KNOWN_HOSTS	"~/.ssh/known_hosts"
#define CLUSTER_DASHBOARD_CLASSIC_VERSION "v2.3.1"
#define CLUSTER_DASHBOARD_MODERN_VERSION "v2.7.0"
#define CLUSTER_HEADLAMP_VERSION	"v0.38.0"
#define CLUSTER_DEFAULT_NODE_PORT	30443
#define CLUSTER_DEFAULT_TOKEN_DURATION	"24h"

enum cluster_role {
	ROLE_CONTROL_PLANE,
	ROLE_WORKER,
};

/* The install profile implied by the Kubernetes version. */
enum cluster_profile {
	PROFILE_CLASSIC,	/* < 1.24: Docker, kubeadm flags, Calico v3.20 */
	PROFILE_MODERN,		/* >= 1.24: containerd, kubeadm config file */
};

enum cluster_runtime {
	RUNTIME_DOCKER,
	RUNTIME_CONTAINERD,
};

enum cluster_dashboard {
	DASHBOARD_KUBERNETES,	/* kubernetes-dashboard, pinned manifest */
	DASHBOARD_HEADLAMP,
	DASHBOARD_NONE,
};

struct cluster_version {
	int	major;
	int	minor;
	int	patch;
};

/* Per-node SSH settings; NULL or 0 means "inherit from cluster.ssh". */
struct cluster_ssh {
	char	*user;
	int	 port;
	char	*identity_file;
	char	*known_hosts;
	char	*proxy_jump;	/* [user@]host[:port], as ssh -J */
};

struct cluster_node {
	char			*name;		/* RFC 1123 label; becomes the hostname */
	char			*address;	/* internal address: advertise, join, hosts */
	char			*ssh_address;	/* where kubewiz connects; NULL = address */
	enum cluster_role	 role;
	struct cluster_ssh	 ssh;		/* per-node overrides */
};

struct cluster {
	char	*name;				/* [a-z0-9-], names the state dir */

	struct {
		char			*version;	/* "1.30.4" as written */
		struct cluster_version	 v;		/* parsed from version */
		char			*control_plane_endpoint; /* hosts alias */
		char			*pod_subnet;
		char			*service_subnet;
		char			*network;	/* "calico" */
	} kubernetes;

	struct {
		char	*image_repository;	/* "" = upstream registry.k8s.io */
		char	**mirrors;		/* runtime pull mirrors (URLs) */
		size_t	 nmirrors;
		char	*package_mirror;	/* "" = upstream package repos */
	} registry;

	struct cluster_ssh ssh;			/* defaults for every node */

	struct cluster_node	*nodes;
	size_t			 nnodes;

	struct {
		enum cluster_dashboard	 kind;
		char			*version;	/* "v2.7.0" */
		char			*manifest;	/* local file or URL; "" = pinned */
		int			 node_port;	/* 0 = unset: default 30443 */
		char			*token_duration; /* "24h" */
	} dashboard;
};

/* Allocate an empty cluster (every field NULL or 0). Caller frees. */
struct cluster *cluster_new(void);
/* Free a cluster and everything it owns; NULL is allowed. */
void cluster_free(struct cluster *);
/* Deep copy. Caller frees. */
struct cluster *cluster_dup(const struct cluster *);
/* Fill every unset field with its documented default. */
void cluster_set_defaults(struct cluster *);
/* Check every rule; append errors and warnings with field paths to diags.
 * Returns the number of errors added. */
size_t cluster_validate(const struct cluster *, struct diag_list *diags);
/* Validate one field as the wizard edits it: path as in diags ("name",
 * "nodes[2].address", ...). Returns NULL when valid, else a message
 * (caller frees). Uses the same rules as cluster_validate. */
char *cluster_check_field(const struct cluster *, const char *path);

/* Parse "x.y.z" (a leading "v" is allowed). Returns 0 or -1. */
int cluster_parse_version(const char *, struct cluster_version *);
/* Compare two versions like strcmp. */
int cluster_version_cmp(const struct cluster_version *,
    const struct cluster_version *);
/* The profile a version implies. */
enum cluster_profile cluster_profile(const struct cluster *);
/* The container runtime a version implies. */
enum cluster_runtime cluster_runtime(const struct cluster *);
/* The first control plane (the init node), or NULL if there is none. */
const struct cluster_node *cluster_first_control_plane(const struct cluster *);
/* Index of a node by name, or -1. */
int cluster_find_node(const struct cluster *, const char *name);
/* The address kubewiz connects to: ssh_address, else address. */
const char *cluster_node_ssh_address(const struct cluster_node *);
/* Effective SSH settings of a node: its overrides over cluster.ssh. The
 * returned strings point into the cluster; do not free them. */
void cluster_node_ssh(const struct cluster *, const struct cluster_node *,
    struct cluster_ssh *out);

/* Whether two clusters hold the same value in every field (NULL equals
 * only NULL). */
int cluster_equal(const struct cluster *, const struct cluster *);
/* Number of control-plane nodes. */
size_t cluster_control_planes(const struct cluster *);
/* Parse a role or dashboard kind as written in YAML. Returns 0 or -1. */
int cluster_parse_role(const char *, enum cluster_role *);
int cluster_parse_dashboard(const char *, enum cluster_dashboard *);
/* Parse a duration of whole hours, minutes and seconds in that order
 * ("24h", "1h30m", "90s") into seconds. Returns 0 or -1. */
int cluster_parse_duration(const char *, long *seconds);

/* Names for enums, as written in YAML and shown to users. */
const char *cluster_role_name(enum cluster_role);
const char *cluster_profile_name(enum cluster_profile);
/* The same as users read it: translated ("经典"). For display only. */
const char *cluster_profile_label(enum cluster_profile);
const char *cluster_runtime_name(enum cluster_runtime);
const char *cluster_dashboard_name(enum cluster_dashboard);

#endif
