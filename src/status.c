/* status.c: the cluster status model: parsing the rows of status.sh,
 * ordering problem pods first, and deciding what is wrong. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "markers.h"
#include "status.h"
#include "xmalloc.h"

/* Most fields a row has (pod rows). */
#define STATUS_MAX_FIELDS	12

/* Create an empty report. */
struct status_report *
status_report_new(const char *cluster)
{
	struct status_report *r = NULL;

	r = xcalloc(1, sizeof *r);
	r->cluster = xstrdup(cluster != NULL ? cluster : "");
	r->refreshed = time(NULL);
	return r;
}

/* Free one node's strings. */
static void
status_node_clear(struct status_node *n)
{
	free(n->name);
	free(n->ready);
	free(n->roles);
	free(n->kubelet);
	free(n->address);
	free(n->pressure);
	free(n->reach_text);
}

/* Free one pod's strings. */
static void
status_pod_clear(struct status_pod *p)
{
	free(p->ns);
	free(p->name);
	free(p->phase);
	free(p->reason);
	free(p->message);
	free(p->node);
}

/* Free a report. */
void
status_report_free(struct status_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nnodes; i++)
		status_node_clear(&r->nodes[i]);
	free(r->nodes);
	for (i = 0; i < r->npods; i++)
		status_pod_clear(&r->pods[i]);
	free(r->pods);
	for (i = 0; i < r->ncerts; i++)
		free(r->certs[i].name);
	free(r->certs);
	for (i = 0; i < r->nscript_errors; i++)
		free(r->script_errors[i]);
	free(r->script_errors);
	for (i = 0; i < r->nissues; i++)
		free(r->issues[i].text);
	free(r->issues);
	free(r->cluster);
	free(r->host);
	free(r->error);
	free(r->readyz_text);
	free(r->version);
	free(r->dashboard_url);
	free(r);
}

/* A copy of a field, or NULL when it is empty. */
static char *
status_dup(const char *s)
{
	return (s == NULL || *s == '\0') ? NULL : xstrdup(s);
}

/* Replace *dst with a copy of s (NULL when empty). */
static void
status_set(char **dst, const char *s)
{
	free(*dst);
	*dst = status_dup(s);
}

/* Parse a whole non-negative decimal number. */
static int
status_parse_long(const char *s, long *out)
{
	char *end = NULL;
	long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v == LONG_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Parse an RFC 3339 UTC time. */
int
status_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	int n = 0;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6 || n == 0 || s[n] != '\0')
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

/* Parse a kubeadm residual time into days. */
int
status_parse_residual(const char *s, long *days)
{
	char *end = NULL;
	long v;

	if (s == NULL)
		return -1;
	if (strcmp(s, "<invalid>") == 0) {
		*days = -1;	/* kubeadm's word for expired */
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (v < 0 || v > 1000000 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 'y':
		*days = v * 365;
		return 0;
	case 'd':
		*days = v;
		return 0;
	case 'h':
	case 'm':
	case 's':
		*days = 0;
		return 0;
	}
	return -1;
}

/* Format an age like kubectl. */
const char *
status_format_age(long s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, len, "%lds", s);
	else if (s < 2 * 3600)
		snprintf(buf, len, "%ldm", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "%ldh", s / 3600);
	else
		snprintf(buf, len, "%ldd", s / 86400);
	return buf;
}

/* The word for a reachability. */
const char *
status_reach_name(enum status_reach r)
{
	switch (r) {
	case STATUS_REACH_OK:
		return _("reachable");
	case STATUS_REACH_AUTH:
		return _("answers, login refused");
	case STATUS_REACH_HOSTKEY:
		return _("host key not trusted");
	case STATUS_REACH_DOWN:
		return _("unreachable");
	case STATUS_REACH_UNKNOWN:
		break;
	}
	return _("not tested");
}

/* The node called name, added when missing. */
static struct status_node *
status_node_get(struct status_report *r, const char *name)
{
	struct status_node *n = NULL;
	size_t i;

	for (i = 0; i < r->nnodes; i++) {
		if (strcmp(r->nodes[i].name, name) == 0)
			return &r->nodes[i];
	}
	r->nodes = xreallocarray(r->nodes, r->nnodes + 1, sizeof *r->nodes);
	n = &r->nodes[r->nnodes++];
	memset(n, 0, sizeof *n);
	n->name = xstrdup(name);
	return n;
}

/* Count the words of a space-separated list, and how many equal word. */
static size_t
status_words(const char *s, const char *word, size_t *matches)
{
	size_t n = 0, wl = word != NULL ? strlen(word) : 0, len;

	if (matches != NULL)
		*matches = 0;
	while (s != NULL && *s != '\0') {
		s += strspn(s, " ");
		len = strcspn(s, " ");
		if (len == 0)
			break;
		n++;
		if (matches != NULL && len == wl && strncmp(s, word, wl) == 0)
			(*matches)++;
		s += len;
	}
	return n;
}

/* The sum of a space-separated list of numbers. */
static int
status_sum(const char *s)
{
	long v, sum = 0;
	char *end = NULL;

	while (s != NULL && *s != '\0') {
		s += strspn(s, " ");
		if (*s == '\0')
			break;
		v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (v > 0 && sum < INT_MAX - v)
			sum += v;
		s = end;
	}
	return (int)sum;
}

/* The first word of a space-separated list, or NULL. Caller frees. */
static char *
status_first_word(const char *s)
{
	if (s == NULL)
		return NULL;
	s += strspn(s, " ");
	if (*s == '\0')
		return NULL;
	return xstrndup(s, strcspn(s, " "));
}

/* The True conditions other than Ready (the pressures), space-separated,
 * or NULL when there are none. Caller frees. */
static char *
status_pressures(const char *conds)
{
	char *copy = NULL, *word = NULL, *save = NULL, *out = NULL, *grown = NULL;

	copy = xstrdup(conds);
	for (word = strtok_r(copy, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		if (strcmp(word, "Ready") == 0)
			continue;
		grown = xasprintf("%s%s%s", out != NULL ? out : "",
		    out != NULL ? " " : "", word);
		free(out);
		out = grown;
	}
	free(copy);
	return out;
}

/* A "node" row. */
static int
status_row_node(struct status_report *r, char **f, size_t nf)
{
	struct status_node *n = NULL;
	time_t t;

	if (nf != 7 || *f[1] == '\0')
		return -1;
	n = status_node_get(r, f[1]);
	n->in_api = 1;
	status_set(&n->ready, *f[2] != '\0' ? f[2] : "Unknown");
	status_set(&n->kubelet, f[3]);
	status_set(&n->address, f[4]);
	if (status_parse_time(f[5], &t) == 0)
		n->created = t;
	status_set(&n->pressure, NULL);
	if (*f[6] != '\0')
		n->pressure = status_pressures(f[6]);
	return 0;
}

/* A "role" row: add the role to the node's list. */
static int
status_row_role(struct status_report *r, char **f, size_t nf)
{
	struct status_node *n = NULL;
	size_t m;
	char *roles = NULL, *p = NULL;

	if (nf != 3 || *f[1] == '\0' || *f[2] == '\0')
		return -1;
	n = status_node_get(r, f[1]);
	if (n->roles == NULL) {
		n->roles = xstrdup(f[2]);
		return 0;
	}
	/* Roles are kept comma-separated, as kubectl shows them. */
	roles = xstrdup(n->roles);
	for (p = roles; *p != '\0'; p++) {
		if (*p == ',')
			*p = ' ';
	}
	status_words(roles, f[2], &m);
	free(roles);
	if (m == 0) {
		roles = xasprintf("%s,%s", n->roles, f[2]);
		free(n->roles);
		n->roles = roles;
	}
	return 0;
}

/* A "pod" row. */
static int
status_row_pod(struct status_report *r, char **f, size_t nf)
{
	struct status_pod *p = NULL;
	size_t total, ready;
	char *reason = NULL;

	if (nf != 12 || *f[1] == '\0' || *f[2] == '\0')
		return -1;
	r->pods = xreallocarray(r->pods, r->npods + 1, sizeof *r->pods);
	p = &r->pods[r->npods++];
	memset(p, 0, sizeof *p);
	p->ns = xstrdup(f[1]);
	p->name = xstrdup(f[2]);
	p->phase = xstrdup(*f[3] != '\0' ? f[3] : "Unknown");
	total = status_words(f[4], "true", &ready);
	p->total = (int)total;
	p->ready = (int)ready;
	p->restarts = status_sum(f[5]);
	p->node = status_dup(f[11]);

	/* The most telling reason: an init container's, then a container's
	 * waiting reason, the pod's own (Evicted), the scheduler's. */
	reason = status_first_word(f[7]);
	if (reason != NULL) {
		char *init = xasprintf("Init:%s", reason);

		free(reason);
		reason = init;
	}
	if (reason == NULL)
		reason = status_first_word(f[6]);
	if (reason == NULL)
		reason = status_dup(f[10]);
	if (reason == NULL && strcmp(p->phase, "Pending") == 0)
		reason = status_dup(f[8]);
	p->reason = reason;
	if (strcmp(p->phase, "Pending") == 0 || *f[10] != '\0')
		p->message = status_dup(f[9]);

	if (strcmp(p->phase, "Succeeded") == 0)
		p->problem = 0;
	else if (strcmp(p->phase, "Running") != 0)
		p->problem = 1;
	else
		p->problem = (p->ready < p->total || p->reason != NULL);
	return 0;
}

/* A "cert" row. */
static int
status_row_cert(struct status_report *r, char **f, size_t nf, time_t now)
{
	struct status_cert *c = NULL;
	long v;

	if (nf < 3 || *f[1] == '\0')
		return -1;
	r->certs = xreallocarray(r->certs, r->ncerts + 1, sizeof *r->certs);
	c = &r->certs[r->ncerts];
	memset(c, 0, sizeof *c);
	if (strcmp(f[2], "missing") == 0 && nf == 3) {
		c->known = 0;
	} else if (strcmp(f[2], "end") == 0 && nf == 4 &&
	    status_parse_long(f[3], &v) == 0) {
		c->known = 1;
		/* Whole days left; a certificate that expired today is -1. */
		if ((time_t)v >= now)
			c->days = (long)((time_t)v - now) / 86400;
		else
			c->days = -1 - (long)(now - (time_t)v) / 86400;
	} else if (strcmp(f[2], "residual") == 0 && nf == 4 &&
	    status_parse_residual(f[3], &v) == 0) {
		c->known = 1;
		c->days = v;
	} else
		return -1;
	c->name = xstrdup(f[1]);
	r->ncerts++;
	return 0;
}

/* Split a row at tabs into at most max fields (in place). */
static size_t
status_split(char *row, char **f, size_t max)
{
	size_t n = 0;
	char *tab = NULL;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = row;
		tab = strchr(row, '\t');
		if (tab == NULL)
			break;
		*tab = '\0';
		row = tab + 1;
	}
	return n;
}

/* The text of an error or readyz row: a template (translated) with its
 * arguments in place of {1}.. (src/markers.h), or a tool's own words,
 * which the catalogue does not know. Caller frees. */
static char *
status_text(char **f, size_t nf)
{
	return marker_format(*f[0] != '\0' ? _(f[0]) : f[0], f + 1, nf - 1);
}

/* Parse one row. */
int
status_parse_line(struct status_report *r, const char *line, size_t len)
{
	char *row = NULL, *f[STATUS_MAX_FIELDS];
	size_t nf;
	long v;
	int rc = -1;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || memchr(line, '\0', len) != NULL)
		goto out_bad;
	row = xstrndup(line, len);
	nf = status_split(row, f, STATUS_MAX_FIELDS);
	if (nf > STATUS_MAX_FIELDS)
		goto out;

	if (strcmp(f[0], "host") == 0 && nf == 2) {
		status_set(&r->host, f[1]);
		rc = 0;
	} else if (strcmp(f[0], "now") == 0 && nf == 2 &&
	    status_parse_long(f[1], &v) == 0) {
		r->now = (time_t)v;
		rc = 0;
	} else if (strcmp(f[0], "readyz") == 0 && nf >= 2) {
		r->readyz = strcmp(f[1], "ok") == 0;
		free(r->readyz_text);
		r->readyz_text = nf >= 3 ? status_text(f + 2, nf - 2) : NULL;
		rc = 0;
	} else if (strcmp(f[0], "version") == 0 && nf == 2) {
		status_set(&r->version, f[1]);
		rc = 0;
	} else if (strcmp(f[0], "node") == 0)
		rc = status_row_node(r, f, nf);
	else if (strcmp(f[0], "role") == 0)
		rc = status_row_role(r, f, nf);
	else if (strcmp(f[0], "pod") == 0)
		rc = status_row_pod(r, f, nf);
	else if (strcmp(f[0], "cert") == 0)
		rc = status_row_cert(r, f, nf, r->now != 0 ? r->now :
		    r->refreshed);
	else if (strcmp(f[0], "dashboard") == 0 && nf == 3 &&
	    status_parse_long(f[1], &v) == 0) {
		r->dashboard_tested = 1;
		r->dashboard_code = v < 1000 ? (int)v : 0;
		status_set(&r->dashboard_url, f[2]);
		rc = 0;
	} else if (strcmp(f[0], "error") == 0 && nf >= 2) {
		r->script_errors = xreallocarray(r->script_errors,
		    r->nscript_errors + 1, sizeof *r->script_errors);
		r->script_errors[r->nscript_errors++] = status_text(f + 1,
		    nf - 1);
		rc = 0;
	}
out:
	free(row);
	if (rc == 0)
		return 0;
out_bad:
	r->bad_rows++;
	return -1;
}

/* Parse every row of an output. */
void
status_parse(struct status_report *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl = NULL;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl > p)
			status_parse_line(r, p, (size_t)(nl - p));
		p = nl + 1;
	}
}

/* Order of system namespaces in the pod list. */
static int
status_ns_rank(const char *ns)
{
	static const char *const order[] = { "kube-system", "kube-flannel",
	    "tigera-operator", "calico-system", "kubernetes-dashboard",
	    "headlamp" };
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (strcmp(ns, order[i]) == 0)
			return (int)i;
	}
	return (int)i;
}

/* qsort: problem pods first, then by namespace and name. */
static int
status_pod_cmp(const void *a, const void *b)
{
	const struct status_pod *pa = a, *pb = b;
	int c;

	if (pa->problem != pb->problem)
		return pb->problem - pa->problem;
	c = status_ns_rank(pa->ns) - status_ns_rank(pb->ns);
	if (c != 0)
		return c;
	c = strcmp(pa->ns, pb->ns);
	if (c != 0)
		return c;
	return strcmp(pa->name, pb->name);
}

/* Add an issue. */
static void KW_PRINTF(3, 4)
status_add_issue(struct status_report *r, enum status_level level,
    const char *fmt, ...)
{
	va_list ap;

	r->issues = xreallocarray(r->issues, r->nissues + 1,
	    sizeof *r->issues);
	va_start(ap, fmt);
	r->issues[r->nissues].text = xvasprintf(fmt, ap);
	va_end(ap);
	r->issues[r->nissues].level = level;
	r->nissues++;
}

/* qsort: most severe issue first, stable by text otherwise. */
static int
status_issue_cmp(const void *a, const void *b)
{
	const struct status_issue *ia = a, *ib = b;

	if (ia->level != ib->level)
		return (int)ib->level - (int)ia->level;
	return 0;
}

/* Issues about the nodes. */
static void
status_check_nodes(struct status_report *r)
{
	struct status_node *n = NULL;
	size_t i;

	for (i = 0; i < r->nnodes; i++) {
		n = &r->nodes[i];
		if (n->in_config && !n->in_api && r->error == NULL &&
		    r->readyz)
			status_add_issue(r, STATUS_BAD, _("node %s is not "
			    "registered with the API server (not joined, or "
			    "deleted)"), n->name);
		else if (n->in_api && strcmp(n->ready, "True") != 0)
			status_add_issue(r, STATUS_BAD, _("node %s is not Ready "
			    "(Ready=%s)"), n->name, n->ready);
		else if (n->in_api && !n->in_config)
			status_add_issue(r, STATUS_WARN, _("node %s is in the "
			    "cluster but not in kubewiz's config"), n->name);
		if (n->pressure != NULL)
			status_add_issue(r, STATUS_BAD, _("node %s reports %s"),
			    n->name, n->pressure);
		switch (n->reach) {
		case STATUS_REACH_DOWN:
			status_add_issue(r, STATUS_BAD, _("node %s is unreachable "
			    "over SSH%s%s"), n->name, n->reach_text != NULL ?
			    ": " : "", n->reach_text != NULL ?
			    n->reach_text : "");
			break;
		case STATUS_REACH_AUTH:
		case STATUS_REACH_HOSTKEY:
			status_add_issue(r, STATUS_WARN, _("node %s: SSH %s"),
			    n->name, status_reach_name(n->reach));
			break;
		case STATUS_REACH_OK:
		case STATUS_REACH_UNKNOWN:
			break;
		}
	}
}

/* Finish a parsed report: config nodes, order, issues. */
void
status_finish(struct status_report *r, const struct cluster *c)
{
	struct status_pod *p = NULL;
	size_t i;

	if (c != NULL) {
		for (i = 0; i < c->nnodes; i++) {
			struct status_node *n = NULL;

			n = status_node_get(r, c->nodes[i].name);
			n->in_config = 1;
			if (n->address == NULL)
				n->address = xstrdup(c->nodes[i].address);
			if (n->roles == NULL && !n->in_api)
				n->roles = xstrdup(cluster_role_name(
				    c->nodes[i].role));
		}
	}
	for (i = 0; i < r->nnodes; i++) {
		if (r->nodes[i].roles == NULL)
			r->nodes[i].roles = xstrdup("<none>");
		if (r->nodes[i].ready == NULL)
			r->nodes[i].ready = xstrdup("-");
	}
	if (r->npods > 1)
		qsort(r->pods, r->npods, sizeof *r->pods, status_pod_cmp);

	if (r->error != NULL)
		status_add_issue(r, STATUS_BAD, "%s", r->error);
	else {
		if (!r->readyz)
			status_add_issue(r, STATUS_BAD, _("the API server is not "
			    "ready (/readyz: %s)"), r->readyz_text != NULL ?
			    r->readyz_text : _("no answer"));
	}
	status_check_nodes(r);
	for (i = 0; i < r->npods; i++) {
		p = &r->pods[i];
		if (!p->problem)
			continue;
		status_add_issue(r, STATUS_BAD, _("pod %s/%s is %s%s%s%s%s"),
		    p->ns, p->name, p->phase, p->reason != NULL ? ": " : "",
		    p->reason != NULL ? p->reason : "",
		    p->message != NULL ? " - " : "",
		    p->message != NULL ? p->message : "");
	}
	for (i = 0; i < r->ncerts; i++) {
		if (!r->certs[i].known)
			status_add_issue(r, STATUS_WARN, _("certificate %s was not "
			    "found"), r->certs[i].name);
		else if (r->certs[i].days < 0)
			status_add_issue(r, STATUS_BAD, _("certificate %s has "
			    "expired (renew with 'kubeadm certs renew all')"),
			    r->certs[i].name);
		else if (r->certs[i].days < STATUS_CERT_WARN_DAYS)
			status_add_issue(r, STATUS_WARN, _("certificate %s expires "
			    "in %ld days"), r->certs[i].name,
			    r->certs[i].days);
	}
	if (r->error == NULL && r->dashboard_url != NULL) {
		if (!r->dashboard_tested || r->dashboard_code == 0)
			status_add_issue(r, STATUS_BAD, _("the Dashboard at %s does "
			    "not answer"), r->dashboard_url);
		else if (r->dashboard_code >= 500)
			status_add_issue(r, STATUS_BAD, _("the Dashboard at %s "
			    "answers HTTP %d"), r->dashboard_url,
			    r->dashboard_code);
	}
	for (i = 0; i < r->nscript_errors; i++)
		status_add_issue(r, STATUS_WARN, "%s", r->script_errors[i]);
	if (r->bad_rows > 0)
		status_add_issue(r, STATUS_WARN, _("%zu line(s) of the status "
		    "query could not be read"), r->bad_rows);
	if (r->nissues > 1) {
		/* Stable: insertion sort by level keeps the order within. */
		size_t j;

		for (i = 1; i < r->nissues; i++) {
			struct status_issue tmp = r->issues[i];

			for (j = i; j > 0 && status_issue_cmp(&r->issues[j - 1],
			    &tmp) > 0; j--)
				r->issues[j] = r->issues[j - 1];
			r->issues[j] = tmp;
		}
	}
}

/* The worst level. */
enum status_level
status_level(const struct status_report *r)
{
	enum status_level l = STATUS_OK;
	size_t i;

	for (i = 0; i < r->nissues; i++) {
		if (r->issues[i].level > l)
			l = r->issues[i].level;
	}
	return l;
}
