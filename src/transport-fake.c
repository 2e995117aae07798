/* transport-fake.c: a scripted transport for unit tests: expected calls
 * in order, each with its result; unexpected calls fail and are
 * reported. */
#include "kwconfig.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "linesplit.h"
#include "transport-fake.h"
#include "xmalloc.h"

enum fake_kind {
	FAKE_CONNECT,
	FAKE_RUN,
	FAKE_HANG,
	FAKE_PUT,
};

/* One expected call and its result. */
struct fake_call {
	enum fake_kind	 kind;
	char		*match;		/* needle or path; may be NULL */
	char		*out;
	char		*err;
	int		 exit_status;
	int		 mode;
	int		 rc;
};

/* A put as it was called. */
struct fake_put {
	char	*path;
	void	*data;
	size_t	 len;
};

struct transport_fake {
	pthread_mutex_t	  lock;
	pthread_cond_t	  cond;
	int		  cancelled;

	struct fake_call *calls;
	size_t		  ncalls;
	size_t		  next;		/* the next expected call */
	char		 *errors;	/* what went wrong, or NULL */

	char		**scripts;	/* scripts of the runs, as called */
	size_t		  nscripts;
	struct fake_put	 *puts;
	size_t		  nputs;
};

static const char *fake_kind_names[] = {
	"connect", "run", "run (hang)", "put"
};

/* Record a failure for verify. */
static void
fake_error(struct transport_fake *f, const char *what)
{
	char	*n;

	if (f->errors == NULL)
		n = xstrdup(what);
	else
		n = xasprintf("%s; %s", f->errors, what);
	free(f->errors);
	f->errors = n;
}

/* Queue an expected call. */
static struct fake_call *
fake_add(struct transport_fake *f, enum fake_kind kind, const char *match)
{
	struct fake_call	*c;

	f->calls = xreallocarray(f->calls, f->ncalls + 1, sizeof *f->calls);
	c = &f->calls[f->ncalls++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->match = match != NULL ? xstrdup(match) : NULL;
	return c;
}

/* Take the next expected call if it is of kind (a run may also be a
 * hang); else record the surprise and return NULL. */
static struct fake_call *
fake_take(struct transport_fake *f, enum fake_kind kind, const char *what)
{
	struct fake_call	*c;
	char			*msg;

	if (f->next == f->ncalls) {
		msg = xasprintf("unexpected %s %s", fake_kind_names[kind],
		    what);
		fake_error(f, msg);
		free(msg);
		return NULL;
	}
	c = &f->calls[f->next];
	if (c->kind != kind && !(kind == FAKE_RUN && c->kind == FAKE_HANG)) {
		msg = xasprintf("expected %s, got %s %s",
		    fake_kind_names[c->kind], fake_kind_names[kind], what);
		fake_error(f, msg);
		free(msg);
		return NULL;
	}
	f->next++;
	return c;
}

/* Connect as scripted. */
static int
fake_connect(struct transport *t, char **cause)
{
	struct transport_fake	*f = t->priv;
	struct fake_call	*c;
	int			 rc = TRANSPORT_ERROR;

	*cause = NULL;
	pthread_mutex_lock(&f->lock);
	if ((c = fake_take(f, FAKE_CONNECT, "")) != NULL)
		rc = c->rc;
	if (rc != TRANSPORT_OK)
		*cause = xstrdup(c != NULL && c->match != NULL ? c->match :
		    "fake: connect failed");
	pthread_mutex_unlock(&f->lock);
	return rc;
}

/* Deliver scripted output through a line splitter. */
static void
fake_output(enum transport_stream s, const char *text, transport_line_cb cb,
    void *arg)
{
	struct linesplit	ls;

	if (text == NULL)
		return;
	linesplit_init(&ls, s, 0, cb, arg);
	linesplit_feed(&ls, text, strlen(text));
	linesplit_finish(&ls);
	linesplit_free(&ls);
}

/* Run as scripted: check the script, print, exit. */
static int
fake_run(struct transport *t, const char *script, size_t len, int timeout,
    transport_line_cb cb, void *arg, int *exit_status, char **cause)
{
	struct transport_fake	*f = t->priv;
	struct fake_call	*c;
	char			*copy, *msg, *out = NULL, *err = NULL;
	int			 rc = TRANSPORT_ERROR, status = -1;

	(void)timeout;
	*cause = NULL;
	copy = xstrndup(script, len);
	pthread_mutex_lock(&f->lock);
	f->scripts = xreallocarray(f->scripts, f->nscripts + 1,
	    sizeof *f->scripts);
	f->scripts[f->nscripts++] = copy;
	c = fake_take(f, FAKE_RUN, "");
	if (c != NULL && c->match != NULL && strstr(copy, c->match) == NULL) {
		msg = xasprintf("run %zu: script lacks \"%s\"", f->nscripts - 1,
		    c->match);
		fake_error(f, msg);
		free(msg);
		c = NULL;
	}
	if (c != NULL && c->kind == FAKE_HANG) {
		while (!f->cancelled)
			pthread_cond_wait(&f->cond, &f->lock);
		rc = TRANSPORT_CANCELLED;
	} else if (c != NULL) {
		rc = c->rc;
		status = c->exit_status;
		out = c->out != NULL ? xstrdup(c->out) : NULL;
		err = c->err != NULL ? xstrdup(c->err) : NULL;
	}
	pthread_mutex_unlock(&f->lock);

	fake_output(TRANSPORT_STDOUT, out, cb, arg);
	fake_output(TRANSPORT_STDERR, err, cb, arg);
	*exit_status = rc == TRANSPORT_OK ? status : -1;
	if (rc != TRANSPORT_OK)
		*cause = xasprintf("fake: %s failed", t->node);
	free(out);
	free(err);
	return rc;
}

/* Put as scripted, keeping the data. */
static int
fake_put(struct transport *t, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	struct transport_fake	*f = t->priv;
	struct fake_call	*c;
	struct fake_put		*p;
	char			*msg;
	int			 rc = TRANSPORT_ERROR;

	*cause = NULL;
	pthread_mutex_lock(&f->lock);
	c = fake_take(f, FAKE_PUT, path);
	if (c != NULL && (strcmp(c->match, path) != 0 || c->mode != mode)) {
		msg = xasprintf("expected put %s %04o, got %s %04o", c->match,
		    (unsigned int)c->mode, path, (unsigned int)mode);
		fake_error(f, msg);
		free(msg);
		c = NULL;
	}
	if (c != NULL) {
		f->puts = xreallocarray(f->puts, f->nputs + 1,
		    sizeof *f->puts);
		p = &f->puts[f->nputs++];
		p->path = xstrdup(path);
		p->len = len;
		p->data = xmalloc(len + 1);
		memcpy(p->data, data, len);
		((char *)p->data)[len] = '\0';
		rc = c->rc;
	}
	pthread_mutex_unlock(&f->lock);
	if (rc != TRANSPORT_OK)
		*cause = xasprintf("fake: put %s failed", path);
	return rc;
}

/* Note the cancellation and wake a hanging run. */
static void
fake_cancel(struct transport *t)
{
	struct transport_fake	*f = t->priv;

	pthread_mutex_lock(&f->lock);
	f->cancelled = 1;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* Free the transport and its script. */
static void
fake_free(struct transport *t)
{
	struct transport_fake	*f = t->priv;
	size_t			 i;

	for (i = 0; i < f->ncalls; i++) {
		free(f->calls[i].match);
		free(f->calls[i].out);
		free(f->calls[i].err);
	}
	for (i = 0; i < f->nscripts; i++)
		free(f->scripts[i]);
	for (i = 0; i < f->nputs; i++) {
		free(f->puts[i].path);
		free(f->puts[i].data);
	}
	free(f->calls);
	free(f->scripts);
	free(f->puts);
	free(f->errors);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
	free(f);
	free(t->node);
	free(t);
}

static const struct transport_ops fake_ops = {
	.connect = fake_connect,
	.run = fake_run,
	.put = fake_put,
	.cancel = fake_cancel,
	.free = fake_free,
};

/* Create a fake transport and its empty script. */
struct transport *
transport_fake_new(const char *node, struct transport_fake **fake)
{
	struct transport	*t;
	struct transport_fake	*f;

	t = xcalloc(1, sizeof *t);
	f = xcalloc(1, sizeof *f);
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	t->ops = &fake_ops;
	t->node = xstrdup(node);
	t->priv = f;
	*fake = f;
	return t;
}

/* Expect a connect. */
void
transport_fake_expect_connect(struct transport_fake *f, int rc,
    const char *cause)
{
	struct fake_call	*c;

	pthread_mutex_lock(&f->lock);
	c = fake_add(f, FAKE_CONNECT, cause);
	c->rc = rc;
	pthread_mutex_unlock(&f->lock);
}

/* Expect a run. */
void
transport_fake_expect_run(struct transport_fake *f, const char *needle,
    const char *out, const char *err, int exit_status, int rc)
{
	struct fake_call	*c;

	pthread_mutex_lock(&f->lock);
	c = fake_add(f, FAKE_RUN, needle);
	c->out = out != NULL ? xstrdup(out) : NULL;
	c->err = err != NULL ? xstrdup(err) : NULL;
	c->exit_status = exit_status;
	c->rc = rc;
	pthread_mutex_unlock(&f->lock);
}

/* Expect a run that hangs until cancelled. */
void
transport_fake_expect_hang(struct transport_fake *f, const char *needle)
{
	pthread_mutex_lock(&f->lock);
	fake_add(f, FAKE_HANG, needle);
	pthread_mutex_unlock(&f->lock);
}

/* Expect a put. */
void
transport_fake_expect_put(struct transport_fake *f, const char *path,
    int mode, int rc)
{
	struct fake_call	*c;

	pthread_mutex_lock(&f->lock);
	c = fake_add(f, FAKE_PUT, path);
	c->mode = mode;
	c->rc = rc;
	pthread_mutex_unlock(&f->lock);
}

/* Report unmet expectations and surprises. */
char *
transport_fake_verify(struct transport_fake *f)
{
	struct fake_call	*c;
	char			*r = NULL, *msg;

	pthread_mutex_lock(&f->lock);
	if (f->next < f->ncalls) {
		c = &f->calls[f->next];
		msg = xasprintf("%zu expected call(s) not made, first: %s %s",
		    f->ncalls - f->next, fake_kind_names[c->kind],
		    c->match != NULL ? c->match : "");
		fake_error(f, msg);
		free(msg);
		f->next = f->ncalls;
	}
	if (f->errors != NULL)
		r = xstrdup(f->errors);
	pthread_mutex_unlock(&f->lock);
	return r;
}

/* The script of the n-th run. */
const char *
transport_fake_script(struct transport_fake *f, size_t n)
{
	const char	*s = NULL;

	pthread_mutex_lock(&f->lock);
	if (n < f->nscripts)
		s = f->scripts[n];
	pthread_mutex_unlock(&f->lock);
	return s;
}

/* The data of the last put to path. */
const void *
transport_fake_put_data(struct transport_fake *f, const char *path,
    size_t *len)
{
	const void	*d = NULL;
	size_t		 i;

	pthread_mutex_lock(&f->lock);
	for (i = 0; i < f->nputs; i++) {
		if (strcmp(f->puts[i].path, path) == 0) {
			d = f->puts[i].data;
			*len = f->puts[i].len;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return d;
}

/* Whether transport_cancel was called. */
int
transport_fake_cancelled(struct transport_fake *f)
{
	int	c;

	pthread_mutex_lock(&f->lock);
	c = f->cancelled;
	pthread_mutex_unlock(&f->lock);
	return c;
}
