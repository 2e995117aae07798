/* crosscheck.c: node facts and the checks across nodes of preflight. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "crosscheck.h"
#include "i18n.h"
#include "netaddr.h"
#include "xmalloc.h"

/* Set a fact. */
void
node_facts_set(struct node_facts *f, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->keys[i], key) == 0) {
			free(f->values[i]);
			f->values[i] = xstrdup(value);
			return;
		}
	}
	f->keys = xreallocarray(f->keys, f->n + 1, sizeof *f->keys);
	f->values = xreallocarray(f->values, f->n + 1, sizeof *f->values);
	f->keys[f->n] = xstrdup(key);
	f->values[f->n] = xstrdup(value);
	f->n++;
}

/* A fact's value. */
const char *
node_facts_get(const struct node_facts *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->keys[i], key) == 0)
			return f->values[i];
	}
	return NULL;
}

/* Free the facts. */
void
node_facts_clear(struct node_facts *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->keys[i]);
		free(f->values[i]);
	}
	free(f->keys);
	free(f->values);
	memset(f, 0, sizeof *f);
}

/* The next word of a space-separated list at *p (advanced past it), or
 * NULL at the end; *len gets its length. */
static const char *
crosscheck_word(const char **p, size_t *len)
{
	const char *start;

	while (**p == ' ')
		(*p)++;
	if (**p == '\0')
		return NULL;
	start = *p;
	while (**p != '\0' && **p != ' ')
		(*p)++;
	*len = (size_t)(*p - start);
	return start;
}

/* Whether word (len bytes) is one of the space-separated words of list. */
static int
crosscheck_has_word(const char *list, const char *word, size_t len)
{
	const char *w;
	size_t n;

	while ((w = crosscheck_word(&list, &n)) != NULL) {
		if (n == len && strncasecmp(w, word, len) == 0)
			return 1;
	}
	return 0;
}

/* A MAC shared with another node's list, or NULL; *len gets its length. */
static const char *
crosscheck_shared_mac(const char *mine, const char *theirs, size_t *len)
{
	const char *w;

	while ((w = crosscheck_word(&mine, len)) != NULL) {
		if (!(*len == 17 && strncmp(w, "00:00:00:00:00:00", 17) == 0) &&
		    crosscheck_has_word(theirs, w, *len))
			return w;
	}
	return NULL;
}

/* Compare product_uuid and MACs of node i with every other node. */
static void
crosscheck_identity(const struct cluster *c, const struct node_facts *facts,
    size_t i, struct diag_list *d, const char *path)
{
	const char *uuid, *other, *macs, *omacs, *mac;
	size_t j, len;

	uuid = node_facts_get(&facts[i], "product_uuid");
	macs = node_facts_get(&facts[i], "macs");
	for (j = 0; j < c->nnodes; j++) {
		if (j == i || facts[j].n == 0)
			continue;
		other = node_facts_get(&facts[j], "product_uuid");
		if (uuid != NULL && *uuid != '\0' && other != NULL &&
		    strcasecmp(uuid, other) == 0)
			diag_add(d, DIAG_WARNING, path, 0, 0, _("%s has the "
			    "same product_uuid as %s (%s): cloned machines "
			    "should get their own"), c->nodes[i].name,
			    c->nodes[j].name, uuid);
		omacs = node_facts_get(&facts[j], "macs");
		if (macs != NULL && omacs != NULL &&
		    (mac = crosscheck_shared_mac(macs, omacs, &len)) != NULL)
			diag_add(d, DIAG_WARNING, path, 0, 0, _("%s and %s both "
			    "have the MAC address %.*s"), c->nodes[i].name,
			    c->nodes[j].name, (int)len, mac);
	}
}

/* Check one cluster subnet against node i's networks. */
static void
crosscheck_subnet(const struct cluster *c, size_t i, const char *nets,
    const char *subnet, const char *field, struct diag_list *d,
    const char *path)
{
	struct netaddr want, net;
	const char *w;
	char *word;
	size_t len;

	if (subnet == NULL || netaddr_parse_cidr(subnet, 0, &want, NULL) != 0)
		return;
	while ((w = crosscheck_word(&nets, &len)) != NULL) {
		word = xstrndup(w, len);
		if (netaddr_parse_cidr(word, 0, &net, NULL) == 0 &&
		    netaddr_overlap(&want, &net))
			diag_add(d, DIAG_ERROR, path, 0, 0, _("kubernetes.%s "
			    "%s overlaps the network %s of %s: pods or "
			    "services would hide it; choose a range no node "
			    "uses (e.g. 10.244.0.0/16 for pods)"), field,
			    subnet, word, c->nodes[i].name);
		free(word);
	}
}

/* Parse a non-negative integer fact; -1 when absent or bad. */
static long
crosscheck_number(const struct node_facts *f, const char *key)
{
	const char *s;
	char *end;
	long v;

	s = node_facts_get(f, key);
	if (s == NULL || *s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0)
		return -1;
	return v;
}

/* Run every cross-node check for node i. */
size_t
crosscheck_node(const struct cluster *c, const struct node_facts *facts,
    size_t i, struct diag_list *d)
{
	static const struct cluster_version v135 = { 1, 35, 0 };
	const struct node_facts *f = &facts[i];
	const char *nets, *cg;
	size_t before, j;
	char *path;
	long cpus, mem;

	before = diag_errors(d);
	path = xasprintf("nodes[%zu]", i);
	for (j = 0; j < c->nnodes; j++) {
		if (j != i && strcmp(c->nodes[j].name, c->nodes[i].name) == 0)
			diag_add(d, DIAG_ERROR, path, 0, 0, _("the name %s is "
			    "used by two nodes; hostnames must be unique"),
			    c->nodes[i].name);
	}
	if (f->n == 0)
		goto out;
	crosscheck_identity(c, facts, i, d, path);

	nets = node_facts_get(f, "ipv4_nets");
	if (nets != NULL) {
		crosscheck_subnet(c, i, nets, c->kubernetes.pod_subnet,
		    "podSubnet", d, path);
		crosscheck_subnet(c, i, nets, c->kubernetes.service_subnet,
		    "serviceSubnet", d, path);
	}

	if (c->nodes[i].role == ROLE_CONTROL_PLANE) {
		cpus = crosscheck_number(f, "cpus");
		if (cpus >= 0 && cpus < CROSSCHECK_CP_CPUS)
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s has %ld "
			    "CPU(s); a control plane needs at least %d"),
			    c->nodes[i].name, cpus, CROSSCHECK_CP_CPUS);
		mem = crosscheck_number(f, "mem_mb");
		if (mem >= 0 && mem < CROSSCHECK_CP_MEM_MB)
			diag_add(d, DIAG_ERROR, path, 0, 0, _("%s has %ld MB "
			    "of memory; a control plane needs at least %d MB"),
			    c->nodes[i].name, mem, CROSSCHECK_CP_MEM_MB);
	}

	cg = node_facts_get(f, "cgroup");
	if (cg != NULL && strcmp(cg, "v1") == 0 &&
	    cluster_version_cmp(&c->kubernetes.v, &v135) >= 0)
		diag_add(d, DIAG_ERROR, path, 0, 0, _("%s uses cgroup v1, "
		    "which the kubelet refuses from Kubernetes 1.35: use a "
		    "cgroup v2 system or an older version"), c->nodes[i].name);
out:
	free(path);
	return diag_errors(d) - before;
}
