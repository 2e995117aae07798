/* status-query.c: "kubewiz status" over SSH: run status.sh on a control
 * plane (the first, else the others), and test every node's SSH login in
 * parallel threads with a short timeout. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "render.h"
#include "secretcache.h"
#include "ssh.h"
#include "status.h"
#include "xmalloc.h"

/* Seconds for the reachability test of one node, and for the query. */
#define STATUS_REACH_TIMEOUT	5
#define STATUS_CONNECT_TIMEOUT	10
#define STATUS_RUN_TIMEOUT	90
/* Largest admin.conf passed along. */
#define STATUS_KUBECONFIG_MAX	(256 * 1024)

struct status_ctx {
	struct status_query	 q;
	pthread_mutex_t		 lock;
	int			 cancelled;
	struct transport	*cp;		/* connected control plane */
	size_t			 cp_node;
	struct transport	**probes;	/* during a refresh, per node */
	struct status_probe	*pending;	/* probes not started yet */
	char			*kubeconfig_b64; /* secret, or NULL */
	struct transport_prompts cp_prompts;	/* the front end's, caching
						 * secrets */
	size_t			 asking;	/* node of the query, for shapes */
	struct secret_cache	 secrets;	/* answers by question shape */
};

/* One reachability probe. */
struct status_probe {
	struct status_ctx	*ctx;
	size_t			 node;
	pthread_t		 thread;
	int			 started;
	enum status_reach	 reach;
	char			*text;
	struct transport_prompts prompts;
};

/* What the query's output callback fills. */
struct status_sink {
	struct status_report	*r;
	char			*err;		/* last stderr line */
	size_t			 rows;
};

/* Query prompts: host keys go to the front end as they are. */
static int
status_cp_hostkey(void *arg, const struct transport_hostkey *hk)
{
	struct status_ctx *ctx = arg;

	if (ctx->q.prompts == NULL || ctx->q.prompts->hostkey == NULL)
		return 0;
	return ctx->q.prompts->hostkey(ctx->q.prompts->arg, hk);
}

/* Query prompts: a secret is asked once (the front end), then kept in
 * memory under its shape for the probes and the next refreshes. */
static char *
status_cp_secret(void *arg, const char *node, const char *prompt)
{
	struct status_ctx *ctx = arg;
	char *shape = NULL, *answer = NULL;

	shape = secret_cache_shape(ctx->q.cluster, ctx->asking, prompt);
	answer = secret_cache_get(&ctx->secrets, shape);
	if (answer == NULL && ctx->q.prompts != NULL &&
	    ctx->q.prompts->secret != NULL) {
		answer = ctx->q.prompts->secret(ctx->q.prompts->arg, node,
		    prompt);
		if (answer != NULL)
			secret_cache_put(&ctx->secrets, shape, answer);
	}
	free(shape);
	return answer;
}

/* Probe prompts: never trust an unknown key. */
static int
status_probe_hostkey(void *arg, const struct transport_hostkey *hk)
{
	(void)arg;
	(void)hk;
	return 0;
}

/* Probe prompts: never ask; answer only what the query was answered. */
static char *
status_probe_secret(void *arg, const char *node, const char *prompt)
{
	struct status_probe *pr = arg;
	char *shape = NULL, *answer = NULL;

	(void)node;
	shape = secret_cache_shape(pr->ctx->q.cluster, pr->node, prompt);
	answer = secret_cache_get(&pr->ctx->secrets, shape);
	free(shape);
	return answer;
}

/* Base64 of len bytes. Caller frees (with xfree_secret: it is secret). */
static char *
status_base64(const unsigned char *in, size_t len)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = NULL, *o = NULL;
	size_t i;
	unsigned v;

	out = o = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*o++ = tbl[v >> 18 & 63];
		*o++ = tbl[v >> 12 & 63];
		*o++ = tbl[v >> 6 & 63];
		*o++ = tbl[v & 63];
	}
	if (i < len) {
		v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		*o++ = tbl[v >> 18 & 63];
		*o++ = tbl[v >> 12 & 63];
		*o++ = i + 1 < len ? tbl[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* Read a small file (the admin kubeconfig) as base64, or NULL. */
static char *
status_read_b64(const char *path)
{
	unsigned char *buf = NULL;
	char *out = NULL;
	struct stat sb;
	ssize_t n;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    sb.st_size > STATUS_KUBECONFIG_MAX)
		goto out;
	buf = xmalloc((size_t)sb.st_size);
	while (got < (size_t)sb.st_size) {
		n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	out = status_base64(buf, got);
out:
	if (buf != NULL) {
		xwipe(buf, (size_t)sb.st_size);
		free(buf);
	}
	close(fd);
	return out;
}

/* Create a context. */
struct status_ctx *
status_ctx_new(const struct status_query *q)
{
	struct status_ctx *ctx = NULL;

	ctx = xcalloc(1, sizeof *ctx);
	ctx->q = *q;
	pthread_mutex_init(&ctx->lock, NULL);
	secret_cache_init(&ctx->secrets);
	if (q->admin_conf != NULL)
		ctx->kubeconfig_b64 = status_read_b64(q->admin_conf);
	ctx->probes = xcalloc(q->cluster->nnodes + 1, sizeof *ctx->probes);
	ctx->cp_prompts.hostkey = status_cp_hostkey;
	ctx->cp_prompts.secret = status_cp_secret;
	ctx->cp_prompts.arg = ctx;
	return ctx;
}

/* Cancel a refresh in progress. */
void
status_ctx_cancel(struct status_ctx *ctx)
{
	size_t i;

	pthread_mutex_lock(&ctx->lock);
	ctx->cancelled = 1;
	if (ctx->cp != NULL)
		transport_cancel(ctx->cp);
	for (i = 0; i < ctx->q.cluster->nnodes; i++) {
		if (ctx->probes[i] != NULL)
			transport_cancel(ctx->probes[i]);
	}
	pthread_mutex_unlock(&ctx->lock);
}

/* Free a context. */
void
status_ctx_free(struct status_ctx *ctx)
{
	if (ctx == NULL)
		return;
	transport_free(ctx->cp);
	xfree_secret(ctx->kubeconfig_b64);
	secret_cache_clear(&ctx->secrets);
	free(ctx->probes);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

/* A new transport for node i with a connect timeout and prompts. */
static struct transport *
status_transport(struct status_ctx *ctx, size_t i, int timeout,
    const struct transport_prompts *prompts)
{
	struct ssh_params p;

	memset(&p, 0, sizeof p);
	ssh_params_from_cluster(&p, ctx->q.cluster, &ctx->q.cluster->nodes[i]);
	p.prompts = prompts;
	p.accept_new_host_keys = ctx->q.accept_new_host_keys;
	p.connect_timeout = timeout;
	return ssh_transport_new(&p);
}

/* Thread: can we log in to the node? */
static void *
status_probe_main(void *arg)
{
	struct status_probe *pr = arg;
	struct status_ctx *ctx = pr->ctx;
	struct transport *t = NULL;
	char *cause = NULL;
	int rc;

	pr->prompts.hostkey = status_probe_hostkey;
	pr->prompts.secret = status_probe_secret;
	pr->prompts.arg = pr;
	t = status_transport(ctx, pr->node, STATUS_REACH_TIMEOUT,
	    &pr->prompts);
	pthread_mutex_lock(&ctx->lock);
	ctx->probes[pr->node] = t;
	if (ctx->cancelled)
		transport_cancel(t);
	pthread_mutex_unlock(&ctx->lock);

	rc = transport_connect(t, &cause);
	switch (rc) {
	case TRANSPORT_OK:
		pr->reach = STATUS_REACH_OK;
		break;
	case TRANSPORT_AUTH:
		pr->reach = STATUS_REACH_AUTH;
		break;
	case TRANSPORT_HOSTKEY:
		pr->reach = STATUS_REACH_HOSTKEY;
		break;
	case TRANSPORT_CANCELLED:
		pr->reach = STATUS_REACH_UNKNOWN;
		break;
	default:
		pr->reach = STATUS_REACH_DOWN;
		break;
	}
	if (rc != TRANSPORT_OK)
		pr->text = cause;
	else
		free(cause);

	pthread_mutex_lock(&ctx->lock);
	ctx->probes[pr->node] = NULL;
	pthread_mutex_unlock(&ctx->lock);
	transport_free(t);
	return NULL;
}

/* Start the reachability probes of this refresh, if not yet: once the
 * query has logged in (a password typed for it serves them too), or when
 * no control plane could be reached. */
static void
status_probes_start(struct status_ctx *ctx)
{
	struct status_probe *probes = ctx->pending;
	size_t i;
	int error;

	if (probes == NULL)
		return;
	ctx->pending = NULL;
	for (i = 0; i < ctx->q.cluster->nnodes; i++) {
		error = pthread_create(&probes[i].thread, NULL,
		    status_probe_main, &probes[i]);
		if (error != 0)
			fatalx("pthread_create: %s", strerror(error));
		probes[i].started = 1;
	}
}

/* Output callback of the query: rows on stdout, errors on stderr. */
static void
status_sink_line(void *arg, enum transport_stream stream, const char *line,
    size_t len)
{
	struct status_sink *s = arg;

	if (stream == TRANSPORT_STDERR) {
		if (len > 0) {
			free(s->err);
			s->err = xstrndup(line, len > 300 ? 300 : len);
		}
		return;
	}
	if (len == 0)
		return;
	status_parse_line(s->r, line, len);
	s->rows++;
}

/* Run the query on control plane i, connecting as needed; a reused
 * connection that broke is made again once. Returns 0 with the rows
 * parsed into r, or -1 with *cause. */
static int
status_query_node(struct status_ctx *ctx, size_t i, struct status_report *r,
    char **cause)
{
	struct render_var vars[2];
	struct status_sink sink;
	struct transport *t = NULL;
	char *script = NULL;
	size_t len, nvars = 0;
	int rc, exit_status = -1, attempt, ret = -1;

	vars[nvars].key = "KW_STATUS_DASHBOARD_URL";
	vars[nvars++].value = ctx->q.dashboard_url != NULL ?
	    ctx->q.dashboard_url : "";
	vars[nvars].key = "KW_STATUS_KUBECONFIG_B64";
	vars[nvars++].value = ctx->kubeconfig_b64 != NULL ?
	    ctx->kubeconfig_b64 : "";
	script = render_named_script(ctx->q.cluster, i, "status", vars, nvars,
	    &len);

	for (attempt = 0; attempt < 2; attempt++) {
		pthread_mutex_lock(&ctx->lock);
		if (ctx->cp != NULL && (ctx->cp_node != i || attempt > 0)) {
			t = ctx->cp;
			ctx->cp = NULL;
			pthread_mutex_unlock(&ctx->lock);
			transport_free(t);
			pthread_mutex_lock(&ctx->lock);
		}
		if (ctx->cancelled) {
			pthread_mutex_unlock(&ctx->lock);
			*cause = xstrdup(_("cancelled"));
			goto out;
		}
		t = ctx->cp;
		pthread_mutex_unlock(&ctx->lock);

		if (t == NULL) {
			ctx->asking = i;
			t = status_transport(ctx, i, STATUS_CONNECT_TIMEOUT,
			    &ctx->cp_prompts);
			pthread_mutex_lock(&ctx->lock);
			ctx->cp = t;
			ctx->cp_node = i;
			if (ctx->cancelled)
				transport_cancel(t);
			pthread_mutex_unlock(&ctx->lock);
			free(*cause);
			*cause = NULL;
			rc = transport_connect(t, cause);
			if (rc != TRANSPORT_OK)
				goto out;
			attempt = 1;	/* a fresh connection: no second try */
			/* Logged in: the probes can use what was typed. */
			status_probes_start(ctx);
		}

		memset(&sink, 0, sizeof sink);
		sink.r = r;
		free(*cause);
		*cause = NULL;
		rc = transport_run(t, script, len, STATUS_RUN_TIMEOUT,
		    status_sink_line, &sink, &exit_status, cause);
		if (rc == TRANSPORT_OK && exit_status == 0 && sink.rows > 0) {
			free(sink.err);
			ret = 0;
			goto out;
		}
		if (rc == TRANSPORT_OK) {
			free(*cause);
			*cause = xasprintf(_("the status query exited with %d%s%s"),
			    exit_status, sink.err != NULL ? ": " : "",
			    sink.err != NULL ? sink.err : "");
			free(sink.err);
			goto out;
		}
		free(sink.err);
		if (rc != TRANSPORT_ERROR)
			goto out;
	}
out:
	xfree_secret(script);
	return ret;
}

/* Query the cluster now. */
struct status_report *
status_ctx_refresh(struct status_ctx *ctx)
{
	const struct cluster *c = ctx->q.cluster;
	const struct cluster_node *first = NULL;
	struct status_probe *probes = NULL;
	struct status_report *r = NULL;
	struct transport *t = NULL;
	char *cause = NULL, *errors = NULL, *grown = NULL;
	size_t i, tried = 0, order;
	int done = 0;

	r = status_report_new(c->name);
	if (ctx->q.reach) {
		probes = xcalloc(c->nnodes + 1, sizeof *probes);
		for (i = 0; i < c->nnodes; i++) {
			probes[i].ctx = ctx;
			probes[i].node = i;
		}
		ctx->pending = probes;
	}

	/* The first control plane, then the others. */
	first = cluster_first_control_plane(c);
	for (order = 0; order <= c->nnodes && !done; order++) {
		if (order == 0) {
			if (first == NULL)
				continue;
			i = (size_t)(first - c->nodes);
		} else {
			i = order - 1;
			if (c->nodes[i].role != ROLE_CONTROL_PLANE ||
			    &c->nodes[i] == first)
				continue;
		}
		tried++;
		if (status_query_node(ctx, i, r, &cause) == 0) {
			done = 1;
			free(r->host);
			r->host = xstrdup(c->nodes[i].name);
		} else {
			grown = xasprintf("%s%s%s: %s", errors != NULL ?
			    errors : "", errors != NULL ? "; " : "",
			    c->nodes[i].name, cause != NULL ? cause :
			    _("no answer"));
			free(errors);
			errors = grown;
		}
		free(cause);
		cause = NULL;
	}
	if (!done) {
		r->error = xasprintf(_("no control plane answered the status "
		    "query (%s)"), errors != NULL ? errors :
		    _("the config has no control plane"));
	}
	(void)tried;
	free(errors);

	status_probes_start(ctx);
	if (probes != NULL) {
		for (i = 0; i < c->nnodes; i++) {
			if (probes[i].started)
				pthread_join(probes[i].thread, NULL);
		}
		for (i = 0; i < c->nnodes; i++) {
			struct status_node *n = NULL;
			size_t j;

			/* status_finish adds config nodes; do it here first
			 * so that the probe results have a place. */
			for (j = 0; j < r->nnodes; j++) {
				if (strcmp(r->nodes[j].name,
				    c->nodes[i].name) == 0)
					n = &r->nodes[j];
			}
			if (n == NULL) {
				r->nodes = xreallocarray(r->nodes,
				    r->nnodes + 1, sizeof *r->nodes);
				n = &r->nodes[r->nnodes++];
				memset(n, 0, sizeof *n);
				n->name = xstrdup(c->nodes[i].name);
			}
			n->reach = probes[i].reach;
			free(n->reach_text);
			n->reach_text = probes[i].text;
		}
		free(probes);
	}
	/* A fresh connection each refresh: an idle session may have been
	 * dropped by the node (reboot, sshd restart) meanwhile. */
	pthread_mutex_lock(&ctx->lock);
	t = ctx->cp;
	ctx->cp = NULL;
	pthread_mutex_unlock(&ctx->lock);
	transport_free(t);

	status_finish(r, c);
	if (ctx->q.reset_at != NULL) {
		/* Most likely why nothing works: say it first. */
		r->issues = xreallocarray(r->issues, r->nissues + 1,
		    sizeof *r->issues);
		memmove(r->issues + 1, r->issues, r->nissues *
		    sizeof *r->issues);
		r->issues[0].level = STATUS_BAD;
		r->issues[0].text = xasprintf(_("cluster %s was reset (kubewiz "
		    "reset, %s); 'kubewiz install' builds it again"), c->name,
		    ctx->q.reset_at);
		r->nissues++;
	}
	r->refreshed = time(NULL);
	return r;
}
