/* state.c: the state directory of a cluster: lock, state.yaml and
 * secrets.yaml (libyaml), atomic writes, logs, what resume must do. */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include "i18n.h"
#include "netaddr.h"
#include "state.h"
#include "xmalloc.h"

void (*state_before_rename_hook)(const char *, const char *);

/* The largest state or secrets file accepted. */
#define STATE_MAX_SIZE (4 * 1024 * 1024)

/* The base directory for cluster states. */
char *
state_base_dir(const char *base_dir)
{
	const char *xdg, *home;

	if (base_dir != NULL)
		return xstrdup(base_dir);
	xdg = getenv("XDG_STATE_HOME");
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/kubewiz", xdg);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = "/";
	return xasprintf("%s/.local/state/kubewiz", home);
}

/* Create every missing directory of path; the last one gets mode. */
static int
state_mkdir_p(const char *path, mode_t mode, char **cause)
{
	char *copy, *p;
	int error = -1;

	copy = xstrdup(path);
	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf(_("cannot create %s: %s"), copy,
			    strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (mkdir(copy, mode) != 0 && errno != EEXIST) {
		*cause = xasprintf(_("cannot create %s: %s"), copy,
		    strerror(errno));
		goto out;
	}
	error = 0;
out:
	free(copy);
	return error;
}

/* Make sure dir is a directory we own, with mode 0700. */
static int
state_check_dir(const char *dir, char **cause)
{
	struct stat sb;

	if (lstat(dir, &sb) != 0) {
		*cause = xasprintf(_("cannot read %s: %s"), dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf(_("%s is not a directory"), dir);
		return -1;
	}
	if (sb.st_uid != geteuid()) {
		*cause = xasprintf(_("%s belongs to another user (uid %u); "
		    "refusing to use it"), dir, (unsigned)sb.st_uid);
		return -1;
	}
	if ((sb.st_mode & 07777) != 0700 && chmod(dir, 0700) != 0) {
		*cause = xasprintf(_("cannot make %s private: %s"), dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether process pid exists. */
static int
state_pid_alive(long pid)
{
	if (pid <= 0)
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Read the pid written in a lock file, or 0. */
static long
state_lock_pid(int fd)
{
	char buf[32];
	ssize_t n;

	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* Take the lock of the state directory: flock, then our pid in the file.
 * flock dies with its holder, so a lock whose pid is dead is simply taken
 * over. */
static int
state_lock(struct state *st, char **cause)
{
	char *path, pidbuf[32];
	long pid;
	int fd = -1, error = -1, n, saved;

	path = state_path(st, "lock");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		*cause = xasprintf(_("cannot open %s: %s"), path,
		    strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		saved = errno;
		pid = state_lock_pid(fd);
		errno = saved;
		if (errno == EWOULDBLOCK && pid > 0 && state_pid_alive(pid))
			*cause = xasprintf(_("cluster %s is in use by another "
			    "kubewiz (pid %ld); wait for it to finish or stop "
			    "it (lock: %s)"), st->name, pid, path);
		else if (errno == EWOULDBLOCK)
			*cause = xasprintf(_("cluster %s is in use by another "
			    "kubewiz (lock: %s)"), st->name, path);
		else
			*cause = xasprintf(_("cannot lock %s: %s"), path,
			    strerror(errno));
		goto out;
	}
	n = snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pidbuf, (size_t)n, 0) != n) {
		*cause = xasprintf(_("cannot write %s: %s"), path,
		    strerror(errno));
		goto out;
	}
	st->lock_fd = fd;
	fd = -1;
	error = 0;
out:
	if (fd != -1)
		close(fd);
	free(path);
	return error;
}

/* Remove temp files an interrupted atomic write left behind. */
static void
state_remove_leftovers(const char *dir)
{
	DIR *d;
	struct dirent *de;
	char *path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' || strstr(de->d_name, ".tmp.") == NULL)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
}

/* Atomically replace path with data. */
int
state_atomic_write(const char *path, const void *data, size_t len, int mode,
    char **cause)
{
	char *tmp = NULL, *dir = NULL, *slash;
	const char *p = data;
	ssize_t n;
	size_t off = 0;
	int fd = -1, dfd = -1, error = -1;

	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
		tmp = xasprintf(".%s.tmp.XXXXXX", path);
	} else {
		*slash = '\0';
		tmp = xasprintf("%s/.%s.tmp.XXXXXX", dir, slash + 1);
	}
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xasprintf(_("cannot create a file in %s: %s"), dir,
		    strerror(errno));
		goto out;
	}
	if (fchmod(fd, (mode_t)mode) != 0)
		goto fail;
	while (off < len) {
		n = write(fd, p + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (state_before_rename_hook != NULL)
		state_before_rename_hook(tmp, path);
	if (rename(tmp, path) != 0)
		goto fail;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	error = 0;
	goto out;
fail:
	*cause = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
	unlink(tmp);
out:
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(dir);
	return error;
}

/* Path of a file in the state directory. */
char *
state_path(const struct state *st, const char *rel)
{
	return xasprintf("%s/%s", st->dir, rel);
}

/* Write a file of the state directory atomically. */
int
state_write_file(const struct state *st, const char *rel, const void *data,
    size_t len, int mode, char **cause)
{
	char *path;
	int error;

	path = state_path(st, rel);
	error = state_atomic_write(path, data, len, mode, cause);
	free(path);
	return error;
}

/* Read a whole file (at most STATE_MAX_SIZE bytes). Returns 1 with *data
 * and *len (caller frees), 0 when it does not exist, -1 on error. */
static int
state_read_file(const char *path, char **data, size_t *len, char **cause)
{
	struct stat sb;
	char *buf = NULL;
	ssize_t n;
	size_t off = 0;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf(_("cannot read %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > STATE_MAX_SIZE) {
		*cause = xasprintf(_("%s is not a kubewiz state file (not a "
		    "regular file, or too large)"), path);
		goto out;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (off < (size_t)sb.st_size) {
		n = read(fd, buf + off, (size_t)sb.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	*data = buf;
	*len = off;
	buf = NULL;
	ret = 1;
out:
	free(buf);
	close(fd);
	return ret;
}

/* --- key/value lists -------------------------------------------------- */

/* Find key in a list, or NULL. */
static struct state_kv *
state_kv_find(struct state_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(kv[i].key, key) == 0)
			return &kv[i];
	}
	return NULL;
}

/* Set key in a list, wiping the old value if secret. */
static void
state_kv_set(struct state_kv **kv, size_t *n, const char *key,
    const char *value, int secret)
{
	struct state_kv *e;

	e = state_kv_find(*kv, *n, key);
	if (e == NULL) {
		*kv = xreallocarray(*kv, *n + 1, sizeof **kv);
		e = &(*kv)[(*n)++];
		e->key = xstrdup(key);
	} else if (secret)
		xfree_secret(e->value);
	else
		free(e->value);
	e->value = xstrdup(value);
}

/* Free a list, wiping values if secret. */
static void
state_kv_free(struct state_kv *kv, size_t n, int secret)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		if (secret)
			xfree_secret(kv[i].value);
		else
			free(kv[i].value);
	}
	free(kv);
}

/* A non-secret output. */
const char *
state_output(const struct state *st, const char *key)
{
	struct state_kv *e;

	e = state_kv_find(st->outputs, st->noutputs, key);
	return e != NULL ? e->value : NULL;
}

/* Set a non-secret output. */
void
state_set_output(struct state *st, const char *key, const char *value)
{
	state_kv_set(&st->outputs, &st->noutputs, key, value, 0);
}

/* A secret. */
const char *
state_secret(const struct state *st, const char *key)
{
	struct state_kv *e;

	e = state_kv_find(st->secrets, st->nsecrets, key);
	return e != NULL ? e->value : NULL;
}

/* Set a secret. */
void
state_set_secret(struct state *st, const char *key, const char *value)
{
	state_kv_set(&st->secrets, &st->nsecrets, key, value, 1);
}

/* --- nodes and tasks -------------------------------------------------- */

/* Free the strings of a task record and reset it. */
static void
state_task_clear(struct state_task *t)
{
	free(t->log);
	free(t->hash);
	memset(t, 0, sizeof *t);
	t->status = TASK_PENDING;
}

/* Free a node's records. */
static void
state_node_clear(struct state_node *n)
{
	int s;

	free(n->name);
	for (s = 0; s < STAGE_COUNT; s++)
		state_task_clear(&n->tasks[s]);
}

/* Find a node record by name. */
static struct state_node *
state_find_node(struct state *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->nnodes; i++) {
		if (st->nodes[i].name != NULL &&
		    strcmp(st->nodes[i].name, name) == 0)
			return &st->nodes[i];
	}
	return NULL;
}

/* Add an empty node record. */
static struct state_node *
state_add_node(struct state *st, const char *name)
{
	struct state_node *n;
	int s;

	st->nodes = xreallocarray(st->nodes, st->nnodes + 1, sizeof *st->nodes);
	n = &st->nodes[st->nnodes++];
	memset(n, 0, sizeof *n);
	n->name = xstrdup(name);
	for (s = 0; s < STAGE_COUNT; s++)
		n->tasks[s].status = TASK_PENDING;
	return n;
}

/* Align the node records with the cluster's nodes. */
void
state_sync_nodes(struct state *st, const struct cluster *c)
{
	struct state_node *nodes, *old;
	size_t i, j;

	nodes = c->nnodes > 0 ? xcalloc(c->nnodes, sizeof *nodes) : NULL;
	for (i = 0; i < c->nnodes; i++) {
		old = state_find_node(st, c->nodes[i].name);
		if (old != NULL) {
			nodes[i] = *old;
			memset(old, 0, sizeof *old);
			continue;
		}
		nodes[i].name = xstrdup(c->nodes[i].name);
		for (j = 0; j < STAGE_COUNT; j++)
			nodes[i].tasks[j].status = TASK_PENDING;
	}
	for (i = 0; i < st->nnodes; i++) {
		if (st->nodes[i].name != NULL)
			state_node_clear(&st->nodes[i]);
	}
	free(st->nodes);
	st->nodes = nodes;
	st->nnodes = c->nnodes;
}

/* The record of a task. */
struct state_task *
state_task(struct state *st, const char *node, enum stage s)
{
	struct state_node *n;

	if ((int)s < 0 || s >= STAGE_COUNT)
		return NULL;
	n = state_find_node(st, node);
	return n != NULL ? &n->tasks[s] : NULL;
}

/* What resume must do with a task. */
enum state_resume
state_task_resume(const struct state_task *t, const char *hash)
{
	switch (t->status) {
	case TASK_DONE:
	case TASK_SKIPPED:
		if (t->hash != NULL && hash != NULL &&
		    strcmp(t->hash, hash) == 0)
			return STATE_RESUME_SKIP;
		return STATE_RESUME_CHANGED;
	case TASK_PENDING:
	case TASK_WAITING:
	case TASK_BLOCKED:
		return STATE_RESUME_NEW;
	default:
		return STATE_RESUME_RETRY;
	}
}

/* --- writing YAML ----------------------------------------------------- */

/* Emit one event, failing the emitter goto on error. */
#define EMIT(e) do {							\
	if (!yaml_emitter_emit(&emitter, (e)))				\
		goto emit_error;					\
} while (0)

/* Emit a plain scalar (quoted by libyaml only when needed). */
static int
state_emit_scalar(yaml_emitter_t *emitter, const char *s)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)(uintptr_t)s, (int)strlen(s), 1, 1,
	    YAML_ANY_SCALAR_STYLE))
		return 0;
	return yaml_emitter_emit(emitter, &ev);
}

/* Emit the start of a block mapping. */
static int
state_emit_map(yaml_emitter_t *emitter, int flow)
{
	yaml_event_t ev;

	if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE))
		return 0;
	return yaml_emitter_emit(emitter, &ev);
}

/* Emit the end of a mapping. */
static int
state_emit_map_end(yaml_emitter_t *emitter)
{
	yaml_event_t ev;

	if (!yaml_mapping_end_event_initialize(&ev))
		return 0;
	return yaml_emitter_emit(emitter, &ev);
}

/* Emit "key: value". */
static int
state_emit_pair(yaml_emitter_t *emitter, const char *key, const char *value)
{
	return state_emit_scalar(emitter, key) &&
	    state_emit_scalar(emitter, value);
}

/* Format a time as ISO 8601 UTC. */
static void
state_format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Emit one task record as a flow mapping. */
static int
state_emit_task(yaml_emitter_t *e, const struct state_task *t)
{
	char num[32], tbuf[32];

	if (!state_emit_map(e, 1) ||
	    !state_emit_pair(e, "status", task_state_name(t->status)))
		return 0;
	snprintf(num, sizeof num, "%d", t->exit_code);
	if (!state_emit_pair(e, "exit", num))
		return 0;
	if (t->start != 0) {
		state_format_time(t->start, tbuf, sizeof tbuf);
		if (!state_emit_pair(e, "start", tbuf))
			return 0;
	}
	if (t->end != 0) {
		state_format_time(t->end, tbuf, sizeof tbuf);
		if (!state_emit_pair(e, "end", tbuf))
			return 0;
	}
	if (t->log != NULL && !state_emit_pair(e, "log", t->log))
		return 0;
	if (t->hash != NULL && !state_emit_pair(e, "hash", t->hash))
		return 0;
	return state_emit_map_end(e);
}

/* Write function for the emitter: append to a growable buffer. */
struct state_out {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/* libyaml output handler: append to a state_out. */
static int
state_out_write(void *arg, unsigned char *buf, size_t size)
{
	struct state_out *o = arg;
	char *bigger;
	size_t cap;

	if (o->len + size + 1 > o->cap) {
		cap = o->cap == 0 ? 4096 : o->cap;
		while (cap < o->len + size + 1)
			cap *= 2;
		/* Grow by copying, so that a secret never stays behind in
		 * memory realloc released. */
		bigger = xmalloc(cap);
		if (o->len > 0)
			memcpy(bigger, o->data, o->len);
		if (o->data != NULL) {
			xwipe(o->data, o->cap);
			free(o->data);
		}
		o->data = bigger;
		o->cap = cap;
	}
	memcpy(o->data + o->len, buf, size);
	o->len += size;
	o->data[o->len] = '\0';
	return 1;
}

/* Emit a document: the header keys, then the body by kind. */
enum state_doc {
	STATE_DOC_STATE,
	STATE_DOC_SECRETS,
};

/* Serialise state.yaml or secrets.yaml into out. */
static int
state_emit(const struct state *st, enum state_doc kind, struct state_out *out,
    char **cause)
{
	yaml_emitter_t emitter;
	yaml_event_t ev;
	const struct state_kv *kv;
	size_t i, n;
	char num[16], tbuf[32];
	int s, ok = 0;

	memset(out, 0, sizeof *out);
	if (!yaml_emitter_initialize(&emitter)) {
		*cause = xstrdup(_("cannot initialise the YAML writer"));
		return -1;
	}
	yaml_emitter_set_output(&emitter, state_out_write, out);
	yaml_emitter_set_unicode(&emitter, 1);
	yaml_emitter_set_width(&emitter, -1);

	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
		goto emit_error;
	EMIT(&ev);
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1))
		goto emit_error;
	EMIT(&ev);
	if (!state_emit_map(&emitter, 0))
		goto emit_error;
	snprintf(num, sizeof num, "%d", STATE_SCHEMA);
	if (!state_emit_pair(&emitter, kind == STATE_DOC_STATE ?
	    "kubewiz-state" : "kubewiz-secrets", num) ||
	    !state_emit_pair(&emitter, "cluster", st->name))
		goto emit_error;
	state_format_time(time(NULL), tbuf, sizeof tbuf);
	if (!state_emit_pair(&emitter, "updated", tbuf))
		goto emit_error;

	kv = kind == STATE_DOC_STATE ? st->outputs : st->secrets;
	n = kind == STATE_DOC_STATE ? st->noutputs : st->nsecrets;
	if (!state_emit_scalar(&emitter, kind == STATE_DOC_STATE ?
	    "outputs" : "secrets") || !state_emit_map(&emitter, 0))
		goto emit_error;
	for (i = 0; i < n; i++) {
		if (!state_emit_pair(&emitter, kv[i].key, kv[i].value))
			goto emit_error;
	}
	if (!state_emit_map_end(&emitter))
		goto emit_error;

	if (kind == STATE_DOC_STATE) {
		if (!state_emit_scalar(&emitter, "nodes") ||
		    !state_emit_map(&emitter, 0))
			goto emit_error;
		for (i = 0; i < st->nnodes; i++) {
			if (!state_emit_scalar(&emitter, st->nodes[i].name) ||
			    !state_emit_map(&emitter, 0))
				goto emit_error;
			for (s = 0; s < STAGE_COUNT; s++) {
				if (st->nodes[i].tasks[s].status == TASK_PENDING)
					continue;
				if (!state_emit_scalar(&emitter, stage_name(s)) ||
				    !state_emit_task(&emitter,
				    &st->nodes[i].tasks[s]))
					goto emit_error;
			}
			if (!state_emit_map_end(&emitter))
				goto emit_error;
		}
		if (!state_emit_map_end(&emitter))
			goto emit_error;
	}

	if (!state_emit_map_end(&emitter))
		goto emit_error;
	if (!yaml_document_end_event_initialize(&ev, 1))
		goto emit_error;
	EMIT(&ev);
	if (!yaml_stream_end_event_initialize(&ev))
		goto emit_error;
	EMIT(&ev);
	ok = 1;
emit_error:
	if (!ok)
		*cause = xasprintf(_("cannot write the state as YAML: %s"),
		    emitter.problem != NULL ? emitter.problem : "?");
	yaml_emitter_delete(&emitter);
	return ok ? 0 : -1;
}

/* Free an emitter output buffer, wiping it. */
static void
state_out_free(struct state_out *o)
{
	if (o->data != NULL) {
		xwipe(o->data, o->cap);
		free(o->data);
	}
	memset(o, 0, sizeof *o);
}

/* Serialise state.yaml into memory. */
char *
state_serialize(const struct state *st, size_t *len, char **cause)
{
	struct state_out out;

	if (state_emit(st, STATE_DOC_STATE, &out, cause) != 0)
		return NULL;
	*len = out.len;
	return out.data;
}

/* Write state.yaml. */
int
state_save(struct state *st, char **cause)
{
	char *data;
	size_t len = 0;
	int error;

	if ((data = state_serialize(st, &len, cause)) == NULL)
		return -1;
	error = state_write_file(st, "state.yaml", data, len, 0600, cause);
	free(data);
	return error;
}

/* Write secrets.yaml. */
int
state_save_secrets(struct state *st, char **cause)
{
	struct state_out out;
	int error;

	if (state_emit(st, STATE_DOC_SECRETS, &out, cause) != 0)
		return -1;
	error = state_write_file(st, "secrets.yaml", out.data, out.len, 0600,
	    cause);
	state_out_free(&out);
	return error;
}

/* --- reading YAML ----------------------------------------------------- */

/* A loaded document and where it came from, for messages. */
struct state_doc_in {
	yaml_document_t	 doc;
	const char	*path;
	char		*error;		/* first problem found */
};

/* Record the first problem with a node's position. */
static void
state_bad(struct state_doc_in *in, const yaml_node_t *n, const char *what)
{
	if (in->error != NULL)
		return;
	if (n != NULL)
		in->error = xasprintf("%s:%zu:%zu: %s", in->path,
		    n->start_mark.line + 1, n->start_mark.column + 1, what);
	else
		in->error = xasprintf("%s: %s", in->path, what);
}

/* The string of a scalar node, or NULL (recording a problem). */
static const char *
state_scalar(struct state_doc_in *in, yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		state_bad(in, n, _("a text value was expected"));
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* Look up key in a mapping node; NULL when absent. */
static yaml_node_t *
state_map_get(struct state_doc_in *in, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&in->doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(&in->doc, p->value);
	}
	return NULL;
}

/* Parse an ISO 8601 UTC time; 0 with a problem recorded when bad. */
static time_t
state_parse_time(struct state_doc_in *in, yaml_node_t *n)
{
	const char *s;
	struct tm tm;
	char *end;

	if ((s = state_scalar(in, n)) == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0') {
		state_bad(in, n, _("a time like 2026-01-31T12:00:00Z was "
		    "expected"));
		return 0;
	}
	return timegm(&tm);
}

/* Parse a task status word. */
static int
state_parse_status(struct state_doc_in *in, yaml_node_t *n)
{
	const char *s;
	int i;

	if ((s = state_scalar(in, n)) == NULL)
		return -1;
	for (i = 0; i < TASK_STATE_COUNT; i++) {
		if (strcmp(task_state_name(i), s) == 0)
			return i;
	}
	state_bad(in, n, _("unknown task status"));
	return -1;
}

/* Read one task record. */
static void
state_read_task(struct state_doc_in *in, yaml_node_t *n, struct state_task *t)
{
	yaml_node_t *v;
	const char *s;
	char *end;
	long code;
	int status;

	if (n == NULL || n->type != YAML_MAPPING_NODE) {
		state_bad(in, n, _("a task record (a mapping) was expected"));
		return;
	}
	status = state_parse_status(in, state_map_get(in, n, "status"));
	if (status < 0)
		return;
	t->status = status;
	if ((v = state_map_get(in, n, "exit")) != NULL &&
	    (s = state_scalar(in, v)) != NULL) {
		code = strtol(s, &end, 10);
		if (*s == '\0' || *end != '\0' || code < -1000 || code > 1000)
			state_bad(in, v, _("an exit code was expected"));
		t->exit_code = (int)code;
	}
	if ((v = state_map_get(in, n, "start")) != NULL)
		t->start = state_parse_time(in, v);
	if ((v = state_map_get(in, n, "end")) != NULL)
		t->end = state_parse_time(in, v);
	if ((v = state_map_get(in, n, "log")) != NULL &&
	    (s = state_scalar(in, v)) != NULL)
		t->log = xstrdup(s);
	if ((v = state_map_get(in, n, "hash")) != NULL &&
	    (s = state_scalar(in, v)) != NULL)
		t->hash = xstrdup(s);
}

/* Read the nodes mapping of state.yaml. */
static void
state_read_nodes(struct state *st, struct state_doc_in *in, yaml_node_t *map)
{
	yaml_node_pair_t *p, *q;
	yaml_node_t *k, *v, *sk;
	struct state_node *node;
	const char *name, *sname;
	int s;

	if (map->type != YAML_MAPPING_NODE) {
		state_bad(in, map, _("nodes must be a mapping"));
		return;
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&in->doc, p->key);
		v = yaml_document_get_node(&in->doc, p->value);
		if ((name = state_scalar(in, k)) == NULL)
			return;
		if (v == NULL || v->type != YAML_MAPPING_NODE) {
			state_bad(in, v, _("a node's stages must be a mapping"));
			return;
		}
		if (state_find_node(st, name) != NULL) {
			state_bad(in, k, _("node listed twice"));
			return;
		}
		node = state_add_node(st, name);
		for (q = v->data.mapping.pairs.start;
		    q < v->data.mapping.pairs.top; q++) {
			sk = yaml_document_get_node(&in->doc, q->key);
			if ((sname = state_scalar(in, sk)) == NULL)
				return;
			if ((s = stage_from_name(sname)) < 0) {
				state_bad(in, sk, _("unknown stage"));
				return;
			}
			state_read_task(in, yaml_document_get_node(&in->doc,
			    q->value), &node->tasks[s]);
		}
	}
}

/* Read a flat mapping of KEY: value into a list. */
static void
state_read_kv(struct state_doc_in *in, yaml_node_t *map, struct state_kv **kv,
    size_t *n, int secret)
{
	yaml_node_pair_t *p;
	const char *k, *v;

	if (map->type != YAML_MAPPING_NODE) {
		state_bad(in, map, _("a mapping was expected"));
		return;
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = state_scalar(in, yaml_document_get_node(&in->doc, p->key));
		v = state_scalar(in, yaml_document_get_node(&in->doc,
		    p->value));
		if (k == NULL || v == NULL)
			return;
		state_kv_set(kv, n, k, v, secret);
	}
}

/* Load state.yaml or secrets.yaml if it exists. */
static int
state_load(struct state *st, enum state_doc kind, char **cause)
{
	struct state_doc_in in;
	yaml_parser_t parser;
	yaml_node_t *root, *v;
	const char *s, *header;
	char *data = NULL, *end;
	size_t len = 0;
	long schema;
	int r, error = -1, have_doc = 0;

	memset(&in, 0, sizeof in);
	in.path = NULL;
	{
		char *path = state_path(st, kind == STATE_DOC_STATE ?
		    "state.yaml" : "secrets.yaml");

		r = state_read_file(path, &data, &len, cause);
		in.path = path;
	}
	if (r <= 0) {
		error = r;
		goto out;
	}
	if (!yaml_parser_initialize(&parser))
		fatalx("state_load: yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &in.doc)) {
		in.error = xasprintf("%s:%zu:%zu: %s", in.path,
		    parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1,
		    parser.problem != NULL ? parser.problem : "?");
		yaml_parser_delete(&parser);
		goto corrupt;
	}
	yaml_parser_delete(&parser);
	have_doc = 1;

	header = kind == STATE_DOC_STATE ? "kubewiz-state" : "kubewiz-secrets";
	root = yaml_document_get_root_node(&in.doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE ||
	    (v = state_map_get(&in, root, header)) == NULL) {
		*cause = xasprintf(_("%s is not a kubewiz state file (no '%s' "
		    "key); refusing to overwrite it. Move it away or use "
		    "another --state-dir."), in.path, header);
		goto out;
	}
	if ((s = state_scalar(&in, v)) == NULL)
		goto corrupt;
	schema = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || schema < 1) {
		state_bad(&in, v, _("bad schema version"));
		goto corrupt;
	}
	if (schema > STATE_SCHEMA) {
		*cause = xasprintf(_("%s was written by a newer kubewiz (state "
		    "schema %ld, this one reads %d); refusing to touch it"),
		    in.path, schema, STATE_SCHEMA);
		goto out;
	}
	s = state_scalar(&in, state_map_get(&in, root, "cluster"));
	if (s == NULL)
		goto corrupt;
	if (strcmp(s, st->name) != 0) {
		*cause = xasprintf(_("%s belongs to cluster '%s', not '%s'; "
		    "refusing to use it"), in.path, s, st->name);
		goto out;
	}
	if (kind == STATE_DOC_STATE) {
		if ((v = state_map_get(&in, root, "outputs")) != NULL)
			state_read_kv(&in, v, &st->outputs, &st->noutputs, 0);
		if ((v = state_map_get(&in, root, "nodes")) != NULL)
			state_read_nodes(st, &in, v);
	} else {
		if ((v = state_map_get(&in, root, "secrets")) != NULL)
			state_read_kv(&in, v, &st->secrets, &st->nsecrets, 1);
	}
	if (in.error != NULL)
		goto corrupt;
	error = 0;
	goto out;
corrupt:
	*cause = xasprintf(_("%s is corrupt (%s); refusing to overwrite it. "
	    "Move it away to start this cluster's state afresh."), in.path,
	    in.error != NULL ? in.error : "?");
out:
	if (have_doc)
		yaml_document_delete(&in.doc);
	if (data != NULL) {
		xwipe(data, len);
		free(data);
	}
	free(in.error);
	free((char *)(uintptr_t)in.path);
	return error;
}

/* --- open, close, list ------------------------------------------------ */

/* Open a cluster's state directory. */
int
state_open(const char *base_dir, const char *name, int flags,
    struct state **out, char **cause)
{
	struct state *st;
	struct stat sb;
	char *base;

	*out = NULL;
	if (name == NULL || !netaddr_is_dns_label(name)) {
		*cause = xasprintf(_("'%s' is not a cluster name ([a-z0-9-])"),
		    name != NULL ? name : "");
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	st->lock_fd = -1;
	st->name = xstrdup(name);
	base = state_base_dir(base_dir);
	st->dir = xasprintf("%s/%s", base, name);
	free(base);

	if (stat(st->dir, &sb) != 0) {
		if (errno != ENOENT || !(flags & STATE_CREATE)) {
			*cause = errno == ENOENT ?
			    xasprintf(_("no saved state for cluster '%s' (%s)"),
			    name, st->dir) :
			    xasprintf(_("cannot read %s: %s"), st->dir,
			    strerror(errno));
			goto fail;
		}
		if (state_mkdir_p(st->dir, 0700, cause) != 0)
			goto fail;
	}
	if (state_check_dir(st->dir, cause) != 0)
		goto fail;
	if ((flags & STATE_LOCK) && state_lock(st, cause) != 0)
		goto fail;
	if (flags & STATE_LOCK)
		state_remove_leftovers(st->dir);
	if (state_load(st, STATE_DOC_STATE, cause) != 0 ||
	    state_load(st, STATE_DOC_SECRETS, cause) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	state_close(st);
	return -1;
}

/* Release the lock and free the state. */
void
state_close(struct state *st)
{
	size_t i;

	if (st == NULL)
		return;
	if (st->lock_fd != -1) {
		/* Leave the pid behind: flock is what counts. */
		flock(st->lock_fd, LOCK_UN);
		close(st->lock_fd);
	}
	for (i = 0; i < st->nnodes; i++)
		state_node_clear(&st->nodes[i]);
	free(st->nodes);
	state_kv_free(st->outputs, st->noutputs, 0);
	state_kv_free(st->secrets, st->nsecrets, 1);
	free(st->dir);
	free(st->name);
	free(st);
}

/* qsort comparison for names. */
static int
state_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The clusters saved under base_dir. */
size_t
state_list(const char *base_dir, char ***names)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	char *base, *path;
	size_t n = 0;

	*names = NULL;
	base = state_base_dir(base_dir);
	if ((d = opendir(base)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !netaddr_is_dns_label(de->d_name))
			continue;
		path = xasprintf("%s/%s/config.yaml", base, de->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			*names = xreallocarray(*names, n + 1, sizeof **names);
			(*names)[n++] = xstrdup(de->d_name);
		}
		free(path);
	}
	closedir(d);
	if (n > 1)
		qsort(*names, n, sizeof **names, state_cmp_names);
out:
	free(base);
	return n;
}

/* --- config and logs -------------------------------------------------- */

/* Save the cluster as config.yaml. */
int
state_save_config(struct state *st, const struct cluster *c, char **cause)
{
	char *path;
	int error;

	path = state_path(st, "config.yaml");
	error = config_save_file(c, path, cause);
	free(path);
	return error;
}

/* Load config.yaml. */
struct cluster *
state_load_config(const struct state *st, struct diag_list *diags)
{
	struct cluster *c;
	char *path;

	path = state_path(st, "config.yaml");
	c = config_load_file(path, diags);
	free(path);
	return c;
}

/* The log path of a task, relative to the state directory. */
char *
state_log_rel(const char *node, enum stage s)
{
	return xasprintf("logs/%s/%02d-%s.log", node, (int)s + 1,
	    stage_name(s));
}

/* Open a task's log for appending. */
int
state_open_log(const struct state *st, const char *node, enum stage s,
    char **cause)
{
	char *dir, *rel, *path;
	int fd = -1;

	dir = xasprintf("%s/logs/%s", st->dir, node);
	rel = state_log_rel(node, s);
	path = state_path(st, rel);
	if (state_mkdir_p(dir, 0700, cause) != 0)
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		*cause = xasprintf(_("cannot open %s: %s"), path,
		    strerror(errno));
out:
	free(path);
	free(rel);
	free(dir);
	return fd;
}
