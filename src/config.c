/* config.c: cluster.yaml <-> struct cluster with libyaml: a hostile-input
 * scan (event API), a reader walking key-handler tables (document API), the
 * writer (event API) and atomic saving. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "i18n.h"
#include "shell.h"

/* Deepest nesting of mappings and lists accepted (the schema needs 4). */
#define CONFIG_MAX_DEPTH 32
/* Errors reported before the reader gives up. */
#define CONFIG_MAX_ERRORS 50

/* What a key's value must be. */
enum config_type {
	CONFIG_STRING,		/* text */
	CONFIG_INT,		/* a number, 0 allowed (0 = default) */
	CONFIG_PORT,		/* a number, 0 refused */
	CONFIG_ROLE,		/* control-plane | worker */
	CONFIG_DASHBOARD,	/* kubernetes-dashboard | headlamp | none */
	CONFIG_STRLIST,		/* a list of text */
	CONFIG_MAP,		/* a nested mapping, read with sub */
	CONFIG_NODES,		/* the list of nodes */
};

/* One key of a mapping: its name, type and where its value goes (offset
 * into the mapping's base structure). */
struct config_key {
	const char		*key;
	enum config_type	 type;
	size_t			 offset;
	const struct config_key	*sub;	/* CONFIG_MAP: keys of the mapping */
};

/* Where a field came from in the file. */
struct config_pos {
	char	*path;
	int	 line;
	int	 column;
};

/* State of one load. */
struct config_reader {
	yaml_document_t		 doc;
	struct diag_list	 out;		/* every diagnostic of this load */
	struct config_pos	*pos;		/* positions of the fields read */
	size_t			 npos;
	size_t			 cappos;
	char			**bad;		/* paths with structural errors */
	size_t			 nbad;
	int			 stopped;	/* too many errors */
};

static const struct config_key config_ssh_keys[] = {
	{ "user", CONFIG_STRING, offsetof(struct cluster_ssh, user), NULL },
	{ "port", CONFIG_PORT, offsetof(struct cluster_ssh, port), NULL },
	{ "identityFile", CONFIG_STRING,
	    offsetof(struct cluster_ssh, identity_file), NULL },
	{ "knownHosts", CONFIG_STRING,
	    offsetof(struct cluster_ssh, known_hosts), NULL },
	{ "proxyJump", CONFIG_STRING,
	    offsetof(struct cluster_ssh, proxy_jump), NULL },
	{ NULL, CONFIG_STRING, 0, NULL }
};

static const struct config_key config_node_keys[] = {
	{ "name", CONFIG_STRING, offsetof(struct cluster_node, name), NULL },
	{ "address", CONFIG_STRING, offsetof(struct cluster_node, address),
	    NULL },
	{ "sshAddress", CONFIG_STRING,
	    offsetof(struct cluster_node, ssh_address), NULL },
	{ "role", CONFIG_ROLE, offsetof(struct cluster_node, role), NULL },
	{ "ssh", CONFIG_MAP, offsetof(struct cluster_node, ssh),
	    config_ssh_keys },
	{ NULL, CONFIG_STRING, 0, NULL }
};

static const struct config_key config_kubernetes_keys[] = {
	{ "version", CONFIG_STRING, offsetof(struct cluster, kubernetes.version),
	    NULL },
	{ "controlPlaneEndpoint", CONFIG_STRING,
	    offsetof(struct cluster, kubernetes.control_plane_endpoint), NULL },
	{ "podSubnet", CONFIG_STRING,
	    offsetof(struct cluster, kubernetes.pod_subnet), NULL },
	{ "serviceSubnet", CONFIG_STRING,
	    offsetof(struct cluster, kubernetes.service_subnet), NULL },
	{ "network", CONFIG_STRING, offsetof(struct cluster, kubernetes.network),
	    NULL },
	{ NULL, CONFIG_STRING, 0, NULL }
};

static const struct config_key config_registry_keys[] = {
	{ "imageRepository", CONFIG_STRING,
	    offsetof(struct cluster, registry.image_repository), NULL },
	{ "mirrors", CONFIG_STRLIST, offsetof(struct cluster, registry.mirrors),
	    NULL },
	{ "packageMirror", CONFIG_STRING,
	    offsetof(struct cluster, registry.package_mirror), NULL },
	{ NULL, CONFIG_STRING, 0, NULL }
};

static const struct config_key config_dashboard_keys[] = {
	{ "kind", CONFIG_DASHBOARD, offsetof(struct cluster, dashboard.kind),
	    NULL },
	{ "version", CONFIG_STRING, offsetof(struct cluster, dashboard.version),
	    NULL },
	{ "manifest", CONFIG_STRING, offsetof(struct cluster, dashboard.manifest),
	    NULL },
	{ "nodePort", CONFIG_INT, offsetof(struct cluster, dashboard.node_port),
	    NULL },
	{ "tokenDuration", CONFIG_STRING,
	    offsetof(struct cluster, dashboard.token_duration), NULL },
	{ NULL, CONFIG_STRING, 0, NULL }
};

/* The top level. Nested sections other than ssh keep offsets into struct
 * cluster, so their offset here is 0. */
static const struct config_key config_top_keys[] = {
	{ "name", CONFIG_STRING, offsetof(struct cluster, name), NULL },
	{ "kubernetes", CONFIG_MAP, 0, config_kubernetes_keys },
	{ "registry", CONFIG_MAP, 0, config_registry_keys },
	{ "ssh", CONFIG_MAP, offsetof(struct cluster, ssh), config_ssh_keys },
	{ "nodes", CONFIG_NODES, 0, NULL },
	{ "dashboard", CONFIG_MAP, 0, config_dashboard_keys },
	{ NULL, CONFIG_STRING, 0, NULL }
};

/* Add an error at a libyaml mark (0-based) unless the reader gave up. */
static void KW_PRINTF(4, 5)
config_error(struct config_reader *r, const char *path, yaml_mark_t mark,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg = NULL;

	if (r->stopped)
		return;
	if (diag_errors(&r->out) >= CONFIG_MAX_ERRORS) {
		diag_add(&r->out, DIAG_ERROR, NULL, (int)mark.line + 1,
		    (int)mark.column + 1, _("too many errors; stopping here"));
		r->stopped = 1;
		return;
	}
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(&r->out, DIAG_ERROR, path, (int)mark.line + 1,
	    (int)mark.column + 1, "%s", msg);
	free(msg);
}

/* Remember that path has a structural error, so that validation messages
 * that follow from it are not repeated. */
static void
config_mark_bad(struct config_reader *r, const char *path)
{
	r->bad = xreallocarray(r->bad, r->nbad + 1, sizeof *r->bad);
	r->bad[r->nbad++] = xstrdup(path);
}

/* Remember where path's value is. */
static void
config_add_pos(struct config_reader *r, const char *path, yaml_mark_t mark)
{
	if (r->npos == r->cappos) {
		r->cappos = r->cappos == 0 ? 64 : r->cappos * 2;
		r->pos = xreallocarray(r->pos, r->cappos, sizeof *r->pos);
	}
	r->pos[r->npos].path = xstrdup(path);
	r->pos[r->npos].line = (int)mark.line + 1;
	r->pos[r->npos].column = (int)mark.column + 1;
	r->npos++;
}

/* Quote text from the file for a message (cut when long). Caller frees. */
static char *
config_quote(const char *s, size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_adds(&b, "\"");
	for (i = 0; i < n && i < 64; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf_printf(&b, "\\x%02x", (unsigned char)s[i]);
		else if (s[i] == '"' || s[i] == '\\')
			buf_printf(&b, "\\%c", s[i]);
		else
			buf_add(&b, &s[i], 1);
	}
	if (i < n)
		buf_adds(&b, "...");
	buf_adds(&b, "\"");
	return buf_take(&b);
}

/* A node's value as text. */
static const char *
config_text(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

/* Whether a scalar is a YAML null (nothing, ~ or null, unquoted). */
static int
config_is_null(const yaml_node_t *node)
{
	const char	*s = NULL;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = config_text(node);
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* What a node is, for "must be X, not Y" messages. */
static const char *
config_describe(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_MAPPING_NODE:
		return _("a mapping");
	case YAML_SEQUENCE_NODE:
		return _("a list");
	default:
		return _("text");
	}
}

/* What a key's value must be, for messages. */
static const char *
config_expect(enum config_type type)
{
	switch (type) {
	case CONFIG_INT:
	case CONFIG_PORT:
		return _("a number");
	case CONFIG_STRLIST:
		return _("a list (lines starting with \"- \", or [a, b])");
	case CONFIG_MAP:
		return _("a mapping (indented key: value lines)");
	case CONFIG_NODES:
		return _("a list of nodes (lines starting with \"- \")");
	default:
		return _("text");
	}
}

/* Report a value of the wrong type. */
static void
config_wrong_type(struct config_reader *r, const char *path,
    const yaml_node_t *node, enum config_type want)
{
	config_error(r, path, node->start_mark, _("must be %s, not %s"),
	    config_expect(want), config_describe(node));
	config_mark_bad(r, path);
}

/* Edit distance of two short strings (for "did you mean"). */
static size_t
config_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, diag, up, best;
	size_t	row[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Report an unknown key with the valid ones and a likely intended one. */
static void
config_unknown_key(struct config_reader *r, const char *path,
    const yaml_node_t *key, const struct config_key *table)
{
	const struct config_key	*k = NULL;
	const char		*guess = NULL;
	struct buf		 valid;
	char			*q = NULL, *valid_s = NULL;
	size_t			 d, best = 3;

	buf_init(&valid);
	for (k = table; k->key != NULL; k++) {
		buf_printf(&valid, "%s%s", k == table ? "" : ", ", k->key);
		if (strcasecmp(k->key, config_text(key)) == 0)
			d = 0;
		else
			d = config_distance(k->key, config_text(key));
		if (d < best) {
			best = d;
			guess = k->key;
		}
	}
	valid_s = buf_take(&valid);
	q = config_quote(config_text(key), key->data.scalar.length);
	if (guess != NULL) {
		config_error(r, path, key->start_mark, _("unknown key %s; did you "
		    "mean '%s'? (valid here: %s)"), q, guess, valid_s);
	} else {
		config_error(r, path, key->start_mark, _("unknown key %s; valid "
		    "keys here: %s"), q, valid_s);
	}
	config_mark_bad(r, path);
	free(q);
	free(valid_s);
}

/* Whether a key names a password or passphrase. */
static int
config_is_secret_key(const char *key)
{
	char	*l = NULL, *p = NULL;
	int	 found;

	l = xstrdup(key);
	for (p = l; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	found = strstr(l, "password") != NULL || strstr(l, "passphrase") != NULL;
	free(l);
	return found;
}

/* Read a text value into *out (NULL stays for a YAML null). */
static void
config_read_string(struct config_reader *r, const char *path,
    yaml_node_t *node, char **out)
{
	char	*q = NULL;

	if (node->type != YAML_SCALAR_NODE) {
		config_wrong_type(r, path, node, CONFIG_STRING);
		return;
	}
	if (config_is_null(node))
		return;
	if (strlen(config_text(node)) != node->data.scalar.length) {
		q = config_quote(config_text(node), strlen(config_text(node)));
		config_error(r, path, node->start_mark, _("%s... contains a NUL "
		    "character (\\0), which no field may hold"), q);
		config_mark_bad(r, path);
		free(q);
		return;
	}
	free(*out);
	*out = xstrdup(config_text(node));
}

/* Read a number into *out (0 stays for a YAML null). */
static void
config_read_int(struct config_reader *r, const char *path, yaml_node_t *node,
    int *out, int zero_ok)
{
	const char	*s = NULL;
	char		*q = NULL;
	long		 v = 0;
	size_t		 i;

	if (node->type != YAML_SCALAR_NODE) {
		config_wrong_type(r, path, node, CONFIG_INT);
		return;
	}
	if (config_is_null(node))
		return;
	s = config_text(node);
	q = config_quote(s, node->data.scalar.length);
	i = strspn(s, "0123456789");
	if (i > 0 && i <= 9 && s[i] == '\0') {
		for (i = 0; s[i] != '\0'; i++)
			v = v * 10 + (s[i] - '0');
	}
	if (i > 9 && s[i] == '\0') {
		config_error(r, path, node->start_mark, _("%s is too large; use "
		    "%s"), q, zero_ok ? _("30000 to 32767") : _("1 to 65535"));
		config_mark_bad(r, path);
	} else if (i > 1 && s[0] == '0') {
		config_error(r, path, node->start_mark, _("%s has a leading zero "
		    "(YAML may read it as octal); write it without"), q);
		config_mark_bad(r, path);
	} else if (i == 0 || s[i] != '\0') {
		config_error(r, path, node->start_mark, _("%s is not a number; "
		    "write digits only, like %s"), q,
		    zero_ok ? "30443" : "22");
		config_mark_bad(r, path);
	} else if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		config_error(r, path, node->start_mark, _("%s is quoted text; "
		    "write the number without quotes: %s"), q, s);
		config_mark_bad(r, path);
	} else if (v == 0 && !zero_ok) {
		config_error(r, path, node->start_mark, _("0 is not a port; use "
		    "1 to 65535"));
		config_mark_bad(r, path);
	} else
		*out = (int)v;
	free(q);
}

/* Read an enum value (role or dashboard kind). */
static void
config_read_enum(struct config_reader *r, const char *path, yaml_node_t *node,
    void *out, enum config_type type)
{
	enum cluster_role	 role;
	enum cluster_dashboard	 kind;
	const char		*s = NULL;
	char			*q = NULL;

	if (node->type != YAML_SCALAR_NODE) {
		config_wrong_type(r, path, node, CONFIG_STRING);
		return;
	}
	if (config_is_null(node))
		return;
	s = config_text(node);
	if (type == CONFIG_ROLE && cluster_parse_role(s, &role) == 0) {
		*(enum cluster_role *)out = role;
		return;
	}
	if (type == CONFIG_DASHBOARD && cluster_parse_dashboard(s, &kind) == 0) {
		*(enum cluster_dashboard *)out = kind;
		return;
	}
	q = config_quote(s, node->data.scalar.length);
	if (type == CONFIG_ROLE && strcmp(s, "master") == 0) {
		config_error(r, path, node->start_mark, _("%s is the old name; "
		    "use control-plane (or worker)"), q);
	} else if (type == CONFIG_ROLE) {
		config_error(r, path, node->start_mark, _("%s is not a role; use "
		    "control-plane or worker"), q);
	} else {
		config_error(r, path, node->start_mark, _("%s is not a dashboard "
		    "kind; use kubernetes-dashboard, headlamp or none"), q);
	}
	config_mark_bad(r, path);
	free(q);
}

/*
 * Check that node is a sequence of type's kind with at most max items;
 * return how many items to read (0: none, or an error was reported).
 */
static size_t
config_seq_count(struct config_reader *r, const char *path, yaml_node_t *node,
    enum config_type type, size_t max)
{
	size_t	count;

	if (config_is_null(node))
		return (0);
	if (node->type != YAML_SEQUENCE_NODE) {
		config_wrong_type(r, path, node, type);
		return (0);
	}
	count = (size_t)(node->data.sequence.items.top -
	    node->data.sequence.items.start);
	if (count <= max)
		return (count);
	if (type == CONFIG_NODES) {
		config_error(r, path, node->start_mark, _("%zu nodes are listed; "
		    "at most %d are supported"), count, (int)max);
	} else {
		config_error(r, path, node->start_mark, _("%zu entries; at most "
		    "%d are allowed"), count, (int)max);
	}
	config_mark_bad(r, path);
	return (0);
}

/*
 * Return item i of sequence node and set *ipath to its path (caller
 * frees), with its position recorded for later diagnostics.
 */
static yaml_node_t *
config_seq_item(struct config_reader *r, const char *path, yaml_node_t *node,
    size_t i, char **ipath)
{
	yaml_node_t	*item = NULL;

	item = yaml_document_get_node(&r->doc,
	    node->data.sequence.items.start[i]);
	if (item == NULL)
		fatalx("config: dangling list item in %s", path);
	*ipath = xasprintf("%s[%zu]", path, i);
	config_add_pos(r, *ipath, item->start_mark);
	return (item);
}

/* Read a list of text (registry.mirrors) into *list and *n. */
static void
config_read_strlist(struct config_reader *r, const char *path,
    yaml_node_t *node, char ***list, size_t *n)
{
	yaml_node_t	*item = NULL;
	char		*ipath = NULL;
	size_t		 count, i;

	count = config_seq_count(r, path, node, CONFIG_STRLIST,
	    CLUSTER_MAX_MIRRORS);
	if (count == 0)
		return;
	*list = xcalloc(count, sizeof **list);
	for (i = 0; i < count; i++) {
		item = config_seq_item(r, path, node, i, &ipath);
		if (item->type != YAML_SCALAR_NODE || config_is_null(item)) {
			config_error(r, ipath, item->start_mark, _("must be a URL, "
			    "not %s"), config_is_null(item) ? _("nothing") :
			    config_describe(item));
			config_mark_bad(r, ipath);
		} else
			config_read_string(r, ipath, item, &(*list)[*n]);
		if ((*list)[*n] == NULL)
			(*list)[*n] = xstrdup("");
		(*n)++;
		free(ipath);
	}
}

static void config_read_map(struct config_reader *, const char *,
    yaml_node_t *, const struct config_key *, void *);

/* Read the node list into the cluster. */
static void
config_read_nodes(struct config_reader *r, const char *path,
    yaml_node_t *node, struct cluster *c)
{
	yaml_node_t	*item = NULL;
	char		*ipath = NULL;
	size_t		 count, i;

	count = config_seq_count(r, path, node, CONFIG_NODES,
	    CLUSTER_MAX_NODES);
	if (count == 0)
		return;
	c->nodes = xcalloc(count, sizeof *c->nodes);
	c->nnodes = count;
	for (i = 0; i < count; i++) {
		c->nodes[i].role = ROLE_WORKER;
		item = config_seq_item(r, path, node, i, &ipath);
		if (item->type != YAML_MAPPING_NODE) {
			config_error(r, ipath, item->start_mark, _("a node must be "
			    "a mapping like { name: k8s-node1, address: 172.31.0.3 }, "
			    "not %s"), config_describe(item));
			config_mark_bad(r, ipath);
		} else
			config_read_map(r, ipath, item, config_node_keys,
			    &c->nodes[i]);
		free(ipath);
	}
}

/* Read one mapping through its key table into base. */
static void
config_read_map(struct config_reader *r, const char *path, yaml_node_t *node,
    const struct config_key *table, void *base)
{
	yaml_node_pair_t	*pair = NULL;
	yaml_node_t		*key = NULL, *value = NULL;
	const struct config_key	*k = NULL;
	char			*kpath = NULL, *q = NULL;
	unsigned long		 seen = 0;
	size_t			 idx;
	yaml_mark_t		 first[32];

	if (config_is_null(node))
		return;
	if (node->type != YAML_MAPPING_NODE) {
		config_wrong_type(r, path, node, CONFIG_MAP);
		return;
	}
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top && !r->stopped; pair++) {
		key = yaml_document_get_node(&r->doc, pair->key);
		value = yaml_document_get_node(&r->doc, pair->value);
		if (key == NULL || value == NULL)
			fatalx("config: dangling mapping pair in %s", path);
		if (key->type != YAML_SCALAR_NODE) {
			config_error(r, path, key->start_mark, _("a key must be a "
			    "plain name, not %s"), config_describe(key));
			config_mark_bad(r, path);
			continue;
		}
		free(kpath);
		kpath = *path == '\0' ? xstrdup(config_text(key)) :
		    xasprintf("%s.%s", path, config_text(key));
		if (config_is_secret_key(config_text(key))) {
			config_error(r, kpath, key->start_mark, _("passwords are "
			    "never stored in the config; kubewiz asks for them "
			    "when needed and keeps them in memory only"));
			config_mark_bad(r, kpath);
			continue;
		}
		for (k = table; k->key != NULL; k++) {
			if (strcmp(k->key, config_text(key)) == 0)
				break;
		}
		if (k->key == NULL) {
			config_unknown_key(r, kpath, key, table);
			continue;
		}
		idx = (size_t)(k - table);
		if (idx >= sizeof first / sizeof first[0])
			fatalx("config: key table of %s is too long", path);
		if (seen & (1UL << idx)) {
			q = config_quote(k->key, strlen(k->key));
			config_error(r, kpath, key->start_mark, _("duplicate key "
			    "%s (first given at line %d); give each key once"), q,
			    (int)first[idx].line + 1);
			config_mark_bad(r, kpath);
			free(q);
			q = NULL;
			continue;
		}
		seen |= 1UL << idx;
		first[idx] = key->start_mark;
		config_add_pos(r, kpath, (value->type == YAML_SCALAR_NODE &&
		    !config_is_null(value)) ? value->start_mark : key->start_mark);

		switch (k->type) {
		case CONFIG_STRING:
			config_read_string(r, kpath, value,
			    (char **)((char *)base + k->offset));
			break;
		case CONFIG_INT:
		case CONFIG_PORT:
			config_read_int(r, kpath, value,
			    (int *)((char *)base + k->offset),
			    k->type == CONFIG_INT);
			break;
		case CONFIG_ROLE:
		case CONFIG_DASHBOARD:
			config_read_enum(r, kpath, value,
			    (char *)base + k->offset, k->type);
			break;
		case CONFIG_STRLIST:
			config_read_strlist(r, kpath, value,
			    &((struct cluster *)base)->registry.mirrors,
			    &((struct cluster *)base)->registry.nmirrors);
			break;
		case CONFIG_MAP:
			config_read_map(r, kpath, value, k->sub,
			    (char *)base + k->offset);
			break;
		case CONFIG_NODES:
			config_read_nodes(r, kpath, value, base);
			break;
		}
	}
	free(kpath);
}

/* Line and column (1-based, in characters) of byte offset off. */
static void
config_offset_pos(const char *data, size_t off, int *line, int *column)
{
	size_t	i;

	*line = 1;
	*column = 1;
	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*column = 1;
		} else if ((data[i] & 0xc0) != 0x80)
			(*column)++;
	}
}

/* Check that data is UTF-8 holding only characters YAML allows; report the
 * first offence at its position. Returns 0 when clean. */
static int
config_check_text(const char *data, size_t len, struct diag_list *d)
{
	const unsigned char	*s = (const unsigned char *)data;
	size_t			 i = 0, n, k;
	unsigned long		 cp, min;
	int			 line, column;

	while (i < len) {
		if (s[i] < 0x80) {
			cp = s[i];
			n = 1;
		} else {
			if (s[i] >= 0xc2 && s[i] <= 0xdf) {
				n = 2;
				cp = s[i] & 0x1f;
				min = 0x80;
			} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
				n = 3;
				cp = s[i] & 0x0f;
				min = 0x800;
			} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
				n = 4;
				cp = s[i] & 0x07;
				min = 0x10000;
			} else
				goto bad_utf8;
			if (i + n > len)
				goto bad_utf8;
			for (k = 1; k < n; k++) {
				if ((s[i + k] & 0xc0) != 0x80)
					goto bad_utf8;
				cp = (cp << 6) | (s[i + k] & 0x3f);
			}
			if (cp < min || cp > 0x10ffff ||
			    (cp >= 0xd800 && cp <= 0xdfff))
				goto bad_utf8;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7f && cp <= 0x9f && cp != 0x85) || cp == 0xfffe ||
		    cp == 0xffff) {
			config_offset_pos(data, i, &line, &column);
			if (cp == 0) {
				diag_add(d, DIAG_ERROR, NULL, line, column,
				    _("the file contains a NUL byte; a config is "
				    "a text file"));
			} else {
				diag_add(d, DIAG_ERROR, NULL, line, column,
				    _("control character U+%04lX is not allowed in "
				    "YAML; remove it"), cp);
			}
			return -1;
		}
		i += n;
	}
	return 0;

bad_utf8:
	config_offset_pos(data, i, &line, &column);
	diag_add(d, DIAG_ERROR, NULL, line, column, _("the file is not valid "
	    "UTF-8 (byte 0x%02x); save it as UTF-8 text"), s[i]);
	return -1;
}

/* The byte at 0-based line and character column, or -1. */
static int
config_char_at(const char *data, size_t len, size_t line, size_t column)
{
	size_t	i = 0, l = 0, c = 0;

	while (i < len && l < line) {
		if (data[i++] == '\n')
			l++;
	}
	for (; i < len && data[i] != '\n'; i++) {
		if ((data[i] & 0xc0) == 0x80)
			continue;
		if (c++ == column)
			return (unsigned char)data[i];
	}
	return -1;
}

/* Report a libyaml parse error with its position and a hint. */
static void
config_parse_error(yaml_parser_t *p, const char *data, size_t len,
    struct diag_list *d)
{
	const char	*problem = p->problem != NULL ? p->problem : "?";
	yaml_mark_t	 m = p->problem_mark;
	int		 line, column;

	if (p->error == YAML_READER_ERROR) {
		config_offset_pos(data, p->problem_offset < len ?
		    p->problem_offset : len, &line, &column);
		diag_add(d, DIAG_ERROR, NULL, line, column, _("cannot read the "
		    "file as UTF-8 text: %s"), problem);
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, _("out of memory while "
		    "reading YAML"));
		return;
	}
	if (strstr(problem, "tab") != NULL ||
	    config_char_at(data, len, m.line, m.column) == '\t') {
		diag_add(d, DIAG_ERROR, NULL, (int)m.line + 1, (int)m.column + 1,
		    _("a tab character where YAML wants spaces (%s); indent "
		    "with spaces only"), problem);
	} else if (p->context != NULL) {
		diag_add(d, DIAG_ERROR, NULL, (int)m.line + 1, (int)m.column + 1,
		    _("not valid YAML: %s (%s at line %d); check the indentation "
		    "and quote values that contain ': ' or start with a special "
		    "character"), problem, p->context, (int)p->context_mark.line + 1);
	} else {
		diag_add(d, DIAG_ERROR, NULL, (int)m.line + 1, (int)m.column + 1,
		    _("not valid YAML: %s"), problem);
	}
}

/* Anchor and tag of an event, when it has them. */
static void
config_event_props(const yaml_event_t *e, const char **anchor,
    const char **tag)
{
	*anchor = NULL;
	*tag = NULL;
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		*anchor = (const char *)e->data.scalar.anchor;
		*tag = (const char *)e->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		*anchor = (const char *)e->data.sequence_start.anchor;
		*tag = (const char *)e->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		*anchor = (const char *)e->data.mapping_start.anchor;
		*tag = (const char *)e->data.mapping_start.tag;
		break;
	default:
		break;
	}
}

/* Scan the whole stream with the event API before building a document:
 * refuse syntax errors, aliases, anchors, tags, deep nesting, more than one
 * document and empty input, each at its position. Returns 0 when clean. */
static int
config_scan(const char *data, size_t len, struct diag_list *d)
{
	yaml_parser_t	 p;
	yaml_event_t	 e;
	const char	*anchor = NULL, *tag = NULL;
	size_t		 before = diag_errors(d), docs = 0;
	int		 depth = 0, done = 0, line, col;

	if (!yaml_parser_initialize(&p))
		fatalx("config: yaml_parser_initialize failed");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	while (!done) {
		if (!yaml_parser_parse(&p, &e)) {
			config_parse_error(&p, data, len, d);
			break;
		}
		line = (int)e.start_mark.line + 1;
		col = (int)e.start_mark.column + 1;
		config_event_props(&e, &anchor, &tag);
		if (anchor != NULL) {
			diag_add(d, DIAG_ERROR, NULL, line, col, _("anchors (&%s) "
			    "are not allowed in a kubewiz config; write the value "
			    "out"), anchor);
		}
		if (tag != NULL) {
			/* Show "!!str" as written, not libyaml's expansion. */
			if (strncmp(tag, "tag:yaml.org,2002:", 18) == 0) {
				diag_add(d, DIAG_ERROR, NULL, line, col, _("tags "
				    "(!!%s) are not allowed in a kubewiz config; "
				    "remove it"), tag + 18);
			} else {
				diag_add(d, DIAG_ERROR, NULL, line, col, _("tags "
				    "(%s) are not allowed in a kubewiz config; "
				    "remove it"), tag);
			}
		}
		switch (e.type) {
		case YAML_ALIAS_EVENT:
			diag_add(d, DIAG_ERROR, NULL, line, col, _("aliases (*%s) "
			    "are not allowed in a kubewiz config; write the value "
			    "out"), (const char *)e.data.alias.anchor);
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs == 2) {
				diag_add(d, DIAG_ERROR, NULL, line, col, _("a second "
				    "YAML document starts here; a config file holds "
				    "exactly one"));
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CONFIG_MAX_DEPTH) {
				diag_add(d, DIAG_ERROR, NULL, line, col, _("nested "
				    "more than %d levels deep; a config needs 4"),
				    CONFIG_MAX_DEPTH);
				done = 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
		if (diag_errors(d) - before >= CONFIG_MAX_ERRORS)
			done = 1;
	}
	if (diag_errors(d) == before && docs == 0) {
		diag_add(d, DIAG_ERROR, NULL, 1, 1, _("the file is empty; a "
		    "config is a mapping with at least name, kubernetes.version "
		    "and nodes (see kubewiz.yaml(5))"));
	}
	yaml_parser_delete(&p);
	return diag_errors(d) == before ? 0 : -1;
}

/* Whether diagnostic path p is path or lies under it. */
static int
config_path_under(const char *p, const char *path)
{
	size_t	n = strlen(path);

	if (strncmp(p, path, n) != 0)
		return 0;
	return p[n] == '\0' || p[n] == '.' || p[n] == '[';
}

/* Whether a validation message about path follows from a structural error
 * already reported (on the path, a field under it, or a parent). */
static int
config_is_consequence(const struct config_reader *r, const char *path)
{
	size_t	i;

	for (i = 0; i < r->nbad; i++) {
		if (config_path_under(path, r->bad[i]) ||
		    config_path_under(r->bad[i], path))
			return 1;
	}
	return 0;
}

/* Position of path, or of its nearest recorded parent; 1:1 for the top. */
static void
config_lookup_pos(const struct config_reader *r, const char *path, int *line,
    int *column)
{
	char	*p = NULL, *cut = NULL;
	size_t	 i;

	p = xstrdup(path);
	for (;;) {
		for (i = 0; i < r->npos; i++) {
			if (strcmp(r->pos[i].path, p) == 0) {
				*line = r->pos[i].line;
				*column = r->pos[i].column;
				free(p);
				return;
			}
		}
		cut = strrchr(p, '.');
		if (strrchr(p, '[') != NULL && (cut == NULL || strrchr(p, '[') > cut))
			cut = strrchr(p, '[');
		if (cut == NULL)
			break;
		*cut = '\0';
	}
	free(p);
	*line = 1;
	*column = 1;
}

/* Free the reader's bookkeeping. */
static void
config_reader_free(struct config_reader *r)
{
	size_t	i;

	for (i = 0; i < r->npos; i++)
		free(r->pos[i].path);
	free(r->pos);
	for (i = 0; i < r->nbad; i++)
		free(r->bad[i]);
	free(r->bad);
	diag_clear(&r->out);
}

/* Load and validate an in-memory config. */
struct cluster *
config_load_buffer(const char *data, size_t len, const char *name,
    struct diag_list *diags)
{
	struct config_reader	 r;
	struct diag_list	 v;
	yaml_parser_t		 p;
	yaml_node_t		*root = NULL;
	struct cluster		*c = NULL;
	const struct diag	*di = NULL;
	int			 have_doc = 0, line, column;
	size_t			 i;

	(void)name;
	memset(&r, 0, sizeof r);
	diag_init(&r.out);
	diag_init(&v);
	if (len > CONFIG_MAX_SIZE) {
		diag_add(&r.out, DIAG_ERROR, NULL, 0, 0, _("the file is larger "
		    "than %d MiB; a cluster config is a few KiB"),
		    CONFIG_MAX_SIZE / (1024 * 1024));
		goto out;
	}
	/* libyaml, told the input is UTF-8, takes a byte order mark for
	 * content; editors hide it, so positions are counted after it. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (config_check_text(data, len, &r.out) != 0 ||
	    config_scan(data, len, &r.out) != 0)
		goto out;

	if (!yaml_parser_initialize(&p))
		fatalx("config: yaml_parser_initialize failed");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&p, &r.doc)) {
		config_parse_error(&p, data, len, &r.out);
		yaml_parser_delete(&p);
		goto out;
	}
	yaml_parser_delete(&p);
	have_doc = 1;
	root = yaml_document_get_root_node(&r.doc);
	if (root == NULL || config_is_null(root)) {
		diag_add(&r.out, DIAG_ERROR, NULL, 1, 1, _("the file is empty; a "
		    "config is a mapping with at least name, kubernetes.version "
		    "and nodes (see kubewiz.yaml(5))"));
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		diag_add(&r.out, DIAG_ERROR, NULL, (int)root->start_mark.line + 1,
		    (int)root->start_mark.column + 1, _("the top of the file must "
		    "be a mapping (key: value lines such as name: demo), not %s"),
		    config_describe(root));
		goto out;
	}

	c = cluster_new();
	config_read_map(&r, "", root, config_top_keys, c);
	cluster_set_defaults(c);
	if (!r.stopped) {
		cluster_validate(c, &v);
		for (i = 0; i < v.n; i++) {
			di = &v.items[i];
			if (di->path != NULL && config_is_consequence(&r, di->path))
				continue;
			if (di->level == DIAG_ERROR &&
			    diag_errors(&r.out) >= CONFIG_MAX_ERRORS) {
				diag_add(&r.out, DIAG_ERROR, NULL, 0, 0, _("too many "
				    "errors; fix these first"));
				break;
			}
			config_lookup_pos(&r, di->path != NULL ? di->path : "",
			    &line, &column);
			diag_add(&r.out, di->level, di->path, line, column, "%s",
			    di->msg);
		}
	}

out:
	diag_sort(&r.out);
	for (i = 0; i < r.out.n; i++) {
		di = &r.out.items[i];
		diag_add(diags, di->level, di->path, di->line, di->column, "%s",
		    di->msg);
	}
	if (diag_errors(&r.out) > 0) {
		cluster_free(c);
		c = NULL;
	}
	if (have_doc)
		yaml_document_delete(&r.doc);
	diag_clear(&v);
	config_reader_free(&r);
	return c;
}

/* Read all of fd, refusing more than CONFIG_MAX_SIZE bytes. Returns 0 with
 * *data (caller frees) and *len, or -1 with errno set (EFBIG: too big). */
static int
config_read_fd(int fd, char **data, size_t *len)
{
	char	*b = NULL;
	size_t	 n = 0;
	ssize_t	 got;

	b = xmalloc(CONFIG_MAX_SIZE + 2);
	for (;;) {
		got = read(fd, b + n, CONFIG_MAX_SIZE + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(b);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > CONFIG_MAX_SIZE) {
			free(b);
			errno = EFBIG;
			return -1;
		}
	}
	b[n] = '\0';
	*data = b;
	*len = n;
	return 0;
}

/* Load and validate a config file ("-" reads standard input). */
struct cluster *
config_load_file(const char *path, struct diag_list *diags)
{
	struct cluster	*c = NULL;
	struct stat	 st;
	char		*data = NULL;
	size_t		 len = 0;
	int		 fd = -1;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0, _("cannot open the file: "
		    "%s"), strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0, _("is a directory, not a "
		    "config file"));
		goto out;
	}
	if (config_read_fd(fd, &data, &len) != 0) {
		if (errno == EFBIG) {
			diag_add(diags, DIAG_ERROR, NULL, 0, 0, _("the file is "
			    "larger than %d MiB; a cluster config is a few KiB"),
			    CONFIG_MAX_SIZE / (1024 * 1024));
		} else {
			diag_add(diags, DIAG_ERROR, NULL, 0, 0, _("cannot read the "
			    "file: %s"), strerror(errno));
		}
		goto out;
	}
	c = config_load_buffer(data, len, path, diags);
out:
	if (fd > STDIN_FILENO)
		close(fd);
	free(data);
	return c;
}

/* libyaml output handler: append to a struct buf. */
static int
config_write_buf(void *data, unsigned char *bytes, size_t size)
{
	buf_add(data, bytes, size);
	return 1;
}

/* Whether s reads as a number in YAML 1.1 or 1.2: integers (with sign,
 * underscores, 0x/0o/0b), floats, sexagesimal numbers. */
static int
config_is_number(const char *s)
{
	int	digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && s[1] != '\0' && strchr("xXoObB", s[1]) != NULL)
		return s[2] != '\0' && strspn(s + 2, "0123456789abcdefABCDEF_") ==
		    strlen(s + 2);
	for (; (*s >= '0' && *s <= '9') || *s == '_' || *s == ':'; s++)
		digits += *s >= '0' && *s <= '9';
	if (*s == '.') {
		for (s++; (*s >= '0' && *s <= '9') || *s == '_'; s++)
			digits += *s >= '0' && *s <= '9';
	}
	if (digits > 0 && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	return digits > 0 && *s == '\0';
}

/* Whether a plain scalar s would read back as something other than text
 * (null, boolean, number) in YAML 1.1 or 1.2, so it must be quoted. */
static int
config_needs_quotes(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
		"False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On",
		"ON", "off", "Off", "OFF", "y", "Y", "n", "N", ".inf", ".Inf",
		".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN",
	};
	size_t	i;

	if (*s == '\0')
		return 1;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(s, words[i]) == 0)
			return 1;
	}
	return config_is_number(s);
}

/* Emit one event; libyaml owns it afterwards even on failure. */
static int
config_emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	return yaml_emitter_emit(em, ev) ? 0 : -1;
}

/* Emit a text scalar, quoted when asked to (versions, which people read
 * as numbers) or when plain text would change its meaning. */
static int
config_emit_text(yaml_emitter_t *em, const char *s, int quoted)
{
	yaml_event_t	ev;

	if (s == NULL)
		s = "";
	if (!quoted)
		quoted = config_needs_quotes(s);
	/* Both implicit flags: the emitter may quote on its own without
	 * adding a "!" tag, which the reader would refuse. */
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (const yaml_char_t *)s, (int)strlen(s), 1, 1,
	    quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE))
		return -1;
	return config_emit(em, &ev);
}

/* Emit a text scalar. */
static int
config_emit_str(yaml_emitter_t *em, const char *s)
{
	return config_emit_text(em, s, 0);
}

/* Emit a number scalar. */
static int
config_emit_int(yaml_emitter_t *em, int v)
{
	yaml_event_t	ev;
	char		text[16];

	snprintf(text, sizeof text, "%d", v);
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (const yaml_char_t *)text, (int)strlen(text), 1, 1,
	    YAML_PLAIN_SCALAR_STYLE))
		return -1;
	return config_emit(em, &ev);
}

/* Emit "key: text". */
static int
config_emit_kv(yaml_emitter_t *em, const char *key, const char *value)
{
	if (config_emit_str(em, key) != 0)
		return -1;
	return config_emit_str(em, value);
}

/* Emit the start of a mapping (block style) or of a list. */
static int
config_emit_start(yaml_emitter_t *em, int mapping, int flow)
{
	yaml_event_t	ev;
	int		ok;

	if (mapping) {
		ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	} else {
		ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		    flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	}
	if (!ok)
		return -1;
	return config_emit(em, &ev);
}

/* Emit the end of a mapping or a list. */
static int
config_emit_end(yaml_emitter_t *em, int mapping)
{
	yaml_event_t	ev;
	int		ok;

	if (mapping)
		ok = yaml_mapping_end_event_initialize(&ev);
	else
		ok = yaml_sequence_end_event_initialize(&ev);
	if (!ok)
		return -1;
	return config_emit(em, &ev);
}

/* Emit the set SSH fields of s under "ssh" (all of them when full);
 * nothing when none is set. */
static int
config_emit_ssh(yaml_emitter_t *em, const struct cluster_ssh *s, int full)
{
	if (!full && s->user == NULL && s->port == 0 &&
	    s->identity_file == NULL && s->known_hosts == NULL &&
	    s->proxy_jump == NULL)
		return 0;
	if (config_emit_str(em, "ssh") != 0 || config_emit_start(em, 1, 0) != 0)
		return -1;
	if ((full || s->user != NULL) &&
	    config_emit_kv(em, "user", s->user) != 0)
		return -1;
	if (full || s->port != 0) {
		if (config_emit_str(em, "port") != 0 ||
		    config_emit_int(em, s->port) != 0)
			return -1;
	}
	if ((full || s->identity_file != NULL) &&
	    config_emit_kv(em, "identityFile", s->identity_file) != 0)
		return -1;
	if ((full || s->known_hosts != NULL) &&
	    config_emit_kv(em, "knownHosts", s->known_hosts) != 0)
		return -1;
	if ((full || s->proxy_jump != NULL) &&
	    config_emit_kv(em, "proxyJump", s->proxy_jump) != 0)
		return -1;
	return config_emit_end(em, 1);
}

/* Emit the whole cluster document, in the order of kubewiz.yaml(5). */
static int
config_emit_cluster(yaml_emitter_t *em, const struct cluster *c)
{
	const struct cluster_node	*n = NULL;
	yaml_event_t			 ev;
	size_t				 i;

	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) ||
	    config_emit(em, &ev) != 0)
		return -1;
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) ||
	    config_emit(em, &ev) != 0)
		return -1;
	if (config_emit_start(em, 1, 0) != 0 ||
	    config_emit_kv(em, "name", c->name) != 0)
		return -1;

	if (config_emit_str(em, "kubernetes") != 0 ||
	    config_emit_start(em, 1, 0) != 0 ||
	    config_emit_str(em, "version") != 0 ||
	    config_emit_text(em, c->kubernetes.version, 1) != 0 ||
	    config_emit_kv(em, "controlPlaneEndpoint",
	    c->kubernetes.control_plane_endpoint) != 0 ||
	    config_emit_kv(em, "podSubnet", c->kubernetes.pod_subnet) != 0 ||
	    config_emit_kv(em, "serviceSubnet",
	    c->kubernetes.service_subnet) != 0 ||
	    config_emit_kv(em, "network", c->kubernetes.network) != 0 ||
	    config_emit_end(em, 1) != 0)
		return -1;

	if (config_emit_str(em, "registry") != 0 ||
	    config_emit_start(em, 1, 0) != 0 ||
	    config_emit_kv(em, "imageRepository",
	    c->registry.image_repository) != 0 ||
	    config_emit_str(em, "mirrors") != 0 ||
	    config_emit_start(em, 0, c->registry.nmirrors == 0) != 0)
		return -1;
	for (i = 0; i < c->registry.nmirrors; i++) {
		if (config_emit_str(em, c->registry.mirrors[i]) != 0)
			return -1;
	}
	if (config_emit_end(em, 0) != 0 ||
	    config_emit_kv(em, "packageMirror", c->registry.package_mirror) != 0 ||
	    config_emit_end(em, 1) != 0)
		return -1;

	if (config_emit_ssh(em, &c->ssh, 1) != 0)
		return -1;

	if (config_emit_str(em, "nodes") != 0 ||
	    config_emit_start(em, 0, c->nnodes == 0) != 0)
		return -1;
	for (i = 0; i < c->nnodes; i++) {
		n = &c->nodes[i];
		if (config_emit_start(em, 1, 0) != 0 ||
		    config_emit_kv(em, "name", n->name) != 0 ||
		    config_emit_kv(em, "address", n->address) != 0)
			return -1;
		if (n->ssh_address != NULL &&
		    config_emit_kv(em, "sshAddress", n->ssh_address) != 0)
			return -1;
		if (config_emit_kv(em, "role", cluster_role_name(n->role)) != 0 ||
		    config_emit_ssh(em, &n->ssh, 0) != 0 ||
		    config_emit_end(em, 1) != 0)
			return -1;
	}
	if (config_emit_end(em, 0) != 0)
		return -1;

	if (config_emit_str(em, "dashboard") != 0 ||
	    config_emit_start(em, 1, 0) != 0 ||
	    config_emit_kv(em, "kind",
	    cluster_dashboard_name(c->dashboard.kind)) != 0 ||
	    config_emit_kv(em, "version", c->dashboard.version) != 0 ||
	    config_emit_kv(em, "manifest", c->dashboard.manifest) != 0 ||
	    config_emit_str(em, "nodePort") != 0 ||
	    config_emit_int(em, c->dashboard.node_port) != 0 ||
	    config_emit_kv(em, "tokenDuration", c->dashboard.token_duration) != 0 ||
	    config_emit_end(em, 1) != 0)
		return -1;

	if (config_emit_end(em, 1) != 0)
		return -1;
	if (!yaml_document_end_event_initialize(&ev, 1) ||
	    config_emit(em, &ev) != 0)
		return -1;
	if (!yaml_stream_end_event_initialize(&ev) || config_emit(em, &ev) != 0)
		return -1;
	return yaml_emitter_flush(em) ? 0 : -1;
}

/* Serialise a cluster to YAML. */
char *
config_to_yaml(const struct cluster *c, char **cause)
{
	yaml_emitter_t	 em;
	struct buf	 b;
	char		*out = NULL;

	buf_init(&b);
	buf_adds(&b, "# kubewiz cluster configuration; see kubewiz.yaml(5).\n");
	if (!yaml_emitter_initialize(&em))
		fatalx("config: yaml_emitter_initialize failed");
	yaml_emitter_set_output(&em, config_write_buf, &b);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	if (config_emit_cluster(&em, c) != 0) {
		*cause = xasprintf(_("cannot write the config as YAML: %s"),
		    em.problem != NULL ? em.problem :
		    _("a value is not valid UTF-8 text"));
		buf_free(&b);
		goto out;
	}
	out = buf_take(&b);
out:
	yaml_emitter_delete(&em);
	return out;
}

/* Write all of data to fd. */
static int
config_write_all(int fd, const char *data, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write a cluster to path atomically: a 0600 temporary file in the same
 * directory, written, synced, renamed over path; then the directory is
 * synced. path is never left half-written. */
int
config_save_file(const struct cluster *c, const char *path, char **cause)
{
	char		*yaml = NULL, *dir = NULL, *tmp = NULL, *slash = NULL;
	const char	*base = NULL;
	int		 fd = -1, dfd = -1, rc = -1;

	yaml = config_to_yaml(c, cause);
	if (yaml == NULL)
		return -1;
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
		base = path;
	} else {
		base = path + (slash - dir) + 1;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (*base == '\0') {
		*cause = xasprintf(_("%s: not a file name"), path);
		goto out;
	}
	tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		*cause = xasprintf(_("cannot create a file in %s: %s"), dir,
		    strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0600) != 0 || config_write_all(fd, yaml,
	    strlen(yaml)) != 0 || fsync(fd) != 0) {
		*cause = xasprintf(_("cannot write %s: %s"), tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		*cause = xasprintf(_("cannot write %s: %s"), tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		*cause = xasprintf(_("cannot rename %s to %s: %s"), tmp, path,
		    strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		*cause = xasprintf(_("cannot sync directory %s: %s"), dir,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	free(yaml);
	return rc;
}

/* Print every diagnostic to stderr. */
void
config_print_diags(const struct diag_list *d, const char *file)
{
	char	*line = NULL;
	size_t	 i;

	for (i = 0; i < d->n; i++) {
		line = diag_format(&d->items[i], file);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
}
