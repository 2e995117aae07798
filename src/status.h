/* status.h: the health of an installed cluster ("kubewiz status"), queried
 * over SSH on a control plane with a read-only script (src/stages/status.sh)
 * whose tab-separated rows are parsed into a model; plus each node's SSH
 * reachability, tested in parallel.
 *
 * The rows status.sh prints (fields separated by one tab):
 *   host NAME                        the node that answered
 *   now EPOCH                        its clock
 *   readyz ok | readyz fail TEXT [ARG]...  GET /readyz
 *   version GITVERSION               GET /version
 *   node NAME READY KUBELET ADDRESS CREATED TRUECONDITIONS
 *                                    READY: True|False|Unknown; CREATED:
 *                                    RFC 3339; TRUECONDITIONS: the types of
 *                                    every condition that is True, spaces
 *   role NAME ROLE                   from the node-role labels
 *   pod NS NAME PHASE READY RESTARTS WAITING INITWAITING SCHEDREASON
 *       SCHEDMSG REASON NODE         READY, RESTARTS, WAITING: one word per
 *                                    container, spaces
 *   cert NAME end EPOCH | cert NAME residual 364d | cert NAME missing
 *   dashboard CODE URL               HTTP code of the URL, 000: no answer
 *   error TEXT [ARG]...              something the script could not do
 * TEXT is a template with {1}.. for the ARGs (as in markers.h), translated
 * when parsed, or a tool's own words. */
#ifndef KW_STATUS_H
#define KW_STATUS_H

#include <stddef.h>
#include <time.h>

#include "cluster.h"
#include "transport.h"

/* Certificates expiring sooner than this many days are a warning. */
#define STATUS_CERT_WARN_DAYS	30
/* Seconds between refreshes with --watch. */
#define STATUS_WATCH_INTERVAL	5

enum status_level {
	STATUS_OK,
	STATUS_WARN,	/* worth a look; the cluster still counts as healthy */
	STATUS_BAD,	/* something is wrong: exit 1 */
};

/* SSH reachability of a node. */
enum status_reach {
	STATUS_REACH_UNKNOWN,	/* not tested */
	STATUS_REACH_OK,	/* connected and authenticated */
	STATUS_REACH_AUTH,	/* answered, but authentication failed */
	STATUS_REACH_HOSTKEY,	/* answered with an untrusted host key */
	STATUS_REACH_DOWN,	/* no answer (refused, timed out, dropped) */
};

struct status_node {
	char			*name;
	int			 in_config;	/* listed in the saved config */
	int			 in_api;	/* registered with the API server */
	char			*ready;		/* "True", "False", "Unknown" */
	char			*roles;		/* "control-plane", "<none>" */
	char			*kubelet;	/* kubelet version */
	char			*address;	/* internal address */
	time_t			 created;	/* 0 = unknown */
	char			*pressure;	/* "MemoryPressure DiskPressure" */
	enum status_reach	 reach;
	char			*reach_text;	/* why unreachable, or NULL */
};

struct status_pod {
	char	*ns;
	char	*name;
	char	*phase;
	int	 ready;		/* containers ready */
	int	 total;		/* containers */
	int	 restarts;
	char	*reason;	/* CrashLoopBackOff, Unschedulable, ...: or NULL */
	char	*message;	/* the scheduler's message, or NULL */
	char	*node;
	int	 problem;	/* not running as it should */
};

struct status_cert {
	char	*name;
	int	 known;		/* days is valid */
	long	 days;		/* days left (negative: expired) */
};

/* Something to tell the user, most important first. */
struct status_issue {
	enum status_level	 level;
	char			*text;
};

struct status_report {
	char			*cluster;
	char			*host;		/* control plane that answered */
	char			*error;		/* no control plane answered */
	time_t			 refreshed;	/* local time of the query */
	time_t			 now;		/* the control plane's clock */
	int			 readyz;	/* /readyz said ok */
	char			*readyz_text;	/* why not */
	char			*version;	/* "v1.30.4" */
	struct status_node	*nodes;
	size_t			 nnodes;
	struct status_pod	*pods;
	size_t			 npods;
	struct status_cert	*certs;
	size_t			 ncerts;
	char			*dashboard_url;	/* NULL: none recorded */
	int			 dashboard_code; /* HTTP status; 0 = no answer */
	int			 dashboard_tested;
	char			**script_errors;
	size_t			 nscript_errors;
	size_t			 bad_rows;	/* rows that did not parse */
	struct status_issue	*issues;
	size_t			 nissues;
};

/* A new empty report for cluster name. Caller frees with
 * status_report_free. */
struct status_report *status_report_new(const char *cluster);
/* Free a report; NULL is allowed. */
void status_report_free(struct status_report *);
/* Parse one row of status.sh (len bytes, no newline) into the report.
 * Returns 0, or -1 when the row is malformed (counted in bad_rows). */
int status_parse_line(struct status_report *, const char *line, size_t len);
/* Parse a whole output (rows separated by newlines). */
void status_parse(struct status_report *, const char *text, size_t len);
/* After parsing: add the nodes of the config the API does not know, put
 * problem pods first, and list the issues (most severe first). c may be
 * NULL. */
void status_finish(struct status_report *, const struct cluster *c);
/* The worst level among the issues. */
enum status_level status_level(const struct status_report *);
/* Parse an RFC 3339 UTC time ("2026-11-26T14:09:14Z"). Returns 0 with
 * *out, or -1. */
int status_parse_time(const char *, time_t *out);
/* Parse a kubeadm residual time ("364d", "9y", "23h", "<invalid>") into
 * days. Returns 0 with *days, or -1. */
int status_parse_residual(const char *, long *days);
/* Format an age in seconds like kubectl ("45s", "12m", "5h", "3d").
 * Writes into buf of size len and returns it. */
const char *status_format_age(long seconds, char *buf, size_t len);
/* The word for a reachability ("reachable", "unreachable", ...). */
const char *status_reach_name(enum status_reach);

/* What a query needs. Strings are borrowed. */
struct status_query {
	const struct cluster		*cluster;
	const char			*admin_conf;	/* path, or NULL */
	const char			*dashboard_url;	/* or NULL */
	const struct transport_prompts	*prompts;	/* for the control plane */
	int				 accept_new_host_keys;
	int				 reach;		/* test every node's SSH */
	const char			*reset_at;	/* when "kubewiz reset" ran
							 * (RESET_AT), or NULL */
};

struct status_ctx;

/* A query context. The query is copied, what it points to is borrowed.
 * Caller frees with status_ctx_free. */
struct status_ctx *status_ctx_new(const struct status_query *);
/* Query the cluster now (blocks: seconds). Returns a finished report
 * (caller frees), never NULL: when no control plane answers, error says
 * why. */
struct status_report *status_ctx_refresh(struct status_ctx *);
/* Make a refresh in progress end soon (thread-safe). */
void status_ctx_cancel(struct status_ctx *);
/* Disconnect and free. */
void status_ctx_free(struct status_ctx *);

#endif
