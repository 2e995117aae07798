/* runner.c: the parallel executor: a worker per node, dependencies,
 * parallel limit, transports, markers, secrets, state, events. */
#include "config.h"

#include <sys/random.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "crosscheck.h"
#include "i18n.h"
#include "markers.h"
#include "runner.h"
#include "secretcache.h"
#include "shell.h"
#include "xmalloc.h"

/* Seconds each stage may take before it is stopped (a hang). */
static const int runner_timeouts[STAGE_COUNT] = {
	[STAGE_CONNECT] = 300,
	[STAGE_PREFLIGHT] = 300,
	[STAGE_SYSTEM] = 900,
	[STAGE_RUNTIME] = 1800,
	[STAGE_PACKAGES] = 1800,
	[STAGE_IMAGES] = 3600,
	[STAGE_INIT] = 1800,
	[STAGE_NETWORK] = 1200,
	[STAGE_JOIN] = 1800,
	[STAGE_READY] = 1200,
	[STAGE_DASHBOARD] = 1200,
};
#define RUNNER_JOIN_PREP_TIMEOUT 300
/* Seconds a join waits for an unreachable first control plane (a reboot). */
#define RUNNER_JOIN_PREP_WAIT 300
/* Seconds a worker join may reuse the token and CA hash of this run's
 * last join-prep (the token lives 2 h; a join may take 30 min). */
#define RUNNER_JOIN_REUSE 3600
/* Milliseconds at least between two writes of state.yaml during a run. */
#define RUNNER_SAVE_MS 100

/* The run-time state of one task. */
struct runner_task {
	enum task_state	 state;
	int		 exit_code;
	char		*reason;
	char		*hash;		/* current input hash */
	char		*tail[RUNNER_TAIL];
	size_t		 tail_next;	/* ring position */
	size_t		 ntail;
};

/* One node: its worker, its transport and what was learnt. */
struct runner_node {
	struct runner		*r;
	size_t			 idx;
	pthread_t		 thread;
	int			 started;
	struct transport	*t;
	pthread_mutex_t		 tlock;		/* exclusive use of t */
	pthread_mutex_t		 plock;		/* the pointer t itself */
	struct transport_prompts prompts;
	int			 connected;
	int			 has_slot;
	int			 skipped;
	int			 hostkey_refused;
	int			 used_cached;	/* answered from the secret cache */
	int			 no_cache;	/* ask for real (cached one failed) */
	struct node_facts	 facts;		/* under r->lock */
};

struct runner {
	struct runner_config	 cfg;
	const struct plan	*plan;
	const struct cluster	*c;

	pthread_mutex_t		 lock;		/* tasks, slots, flags, facts */
	pthread_cond_t		 cond;
	struct runner_task	*tasks;
	enum task_state		*states;	/* mirror for plan_readiness */
	unsigned char		*waived;
	struct runner_node	*nodes;
	int			 active;	/* nodes holding a slot */
	int			 cancelled;
	int			 finishing;
	int			 started;
	int			 live;		/* workers still running */
	int			 exit_code;
	struct prompt		**prompts;	/* outstanding, under lock */
	size_t			 nprompts;
	char			**warnings;
	size_t			 nwarnings;
	pthread_mutex_t		 asklock;	/* one secret question at a time */
	struct state_kv		*cache;		/* secret answers by prompt
						 * shape, under lock */
	size_t			 ncache;

	pthread_mutex_t		 mlock;		/* the mask list */
	char			**masks;
	size_t			 nmasks;

	pthread_mutex_t		 jlock;		/* worker join data below */
	char			*join_token;	/* of the last join-prep */
	char			*join_ca_hash;
	struct timespec		 join_at;	/* when it ran (monotonic) */

	pthread_mutex_t		 slock;		/* the state and its files */
	pthread_cond_t		 scond;		/* dirty or saved changed */
	pthread_t		 saver;		/* writes state.yaml */
	int			 saver_started;
	int			 saver_stop;
	unsigned long		 dirty;		/* changes made (under slock) */
	unsigned long		 saved;		/* changes written */
};

/* What a running script's output callback needs. */
struct runner_ctx {
	struct runner	*r;
	size_t		 node;
	enum stage	 stage;
	size_t		 task;
	int		 logfd;
	int		 join_prep;	/* capture CA_HASH */
	char		*ca_hash;
	char		*error;		/* the stage's error marker, translated */
};

/* --- small helpers ---------------------------------------------------- */

/* Push an event with optional key and text (copied). */
static void
runner_push(struct runner *r, enum event_type type, int node, int stage,
    const char *key, const char *text)
{
	struct event *ev;

	ev = event_new(type, node, stage);
	if (key != NULL)
		ev->key = xstrdup(key);
	if (text != NULL)
		ev->text = xstrdup(text);
	event_queue_push(r->cfg.events, ev);
}

/* Push a formatted run-wide message. */
static void KW_PRINTF(2, 3)
runner_message(struct runner *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	runner_push(r, EVENT_MESSAGE, -1, -1, NULL, s);
	free(s);
}

/* Add a secret to the mask list (ignored when empty or too short to
 * mask without destroying ordinary text). */
static void
runner_add_mask(struct runner *r, const char *secret)
{
	size_t i;

	if (secret == NULL || strlen(secret) < 6)
		return;
	pthread_mutex_lock(&r->mlock);
	for (i = 0; i < r->nmasks; i++) {
		if (strcmp(r->masks[i], secret) == 0)
			goto out;
	}
	r->masks = xreallocarray(r->masks, r->nmasks + 1, sizeof *r->masks);
	r->masks[r->nmasks++] = xstrdup(secret);
out:
	pthread_mutex_unlock(&r->mlock);
}

/* Replace every known secret in s (taken) with "***"; returns s itself
 * when there was nothing to mask, so an ordinary line costs no copy. */
static char *
runner_mask_take(struct runner *r, char *s)
{
	char *out = s, *p, *next;
	size_t i, slen;

	pthread_mutex_lock(&r->mlock);
	for (i = 0; i < r->nmasks; i++) {
		slen = strlen(r->masks[i]);
		while ((p = strstr(out, r->masks[i])) != NULL) {
			*p = '\0';
			next = xasprintf("%s***%s", out, p + slen);
			xwipe(out, strlen(out) + 1 + strlen(p + 1));
			free(out);
			out = next;
		}
	}
	pthread_mutex_unlock(&r->mlock);
	return out;
}

/* Replace every known secret in text with "***". */
char *
runner_mask(struct runner *r, const char *text)
{
	return runner_mask_take(r, xstrdup(text));
}

/* Keep a warning for the summary, and tell the front end. */
static void
runner_warn(struct runner *r, size_t node, enum stage s, const char *text)
{
	char *w;

	runner_push(r, EVENT_TASK_WARN, (int)node, (int)s, NULL, text);
	w = xasprintf("%s %s: %s", r->c->nodes[node].name, stage_label(s),
	    text);
	pthread_mutex_lock(&r->lock);
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
	    sizeof *r->warnings);
	r->warnings[r->nwarnings++] = w;
	pthread_mutex_unlock(&r->lock);
}

/* Write a line (plus newline) to a task's log, if it has one. */
static void
runner_log(int fd, const char *line)
{
	size_t len = strlen(line), off = 0;
	ssize_t n;

	if (fd == -1)
		return;
	while (off < len) {
		n = write(fd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
	while (write(fd, "\n", 1) < 0 && errno == EINTR)
		;
}

/* Random bytes from the kernel; aborts if there are none. */
static void
runner_random(unsigned char *buf, size_t len)
{
	ssize_t n;
	size_t off = 0;

	while (off < len) {
		n = getrandom(buf + off, len - off, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fatalx("getrandom: %s", strerror(errno));
		off += (size_t)n;
	}
}

/* Fill out with len characters of [a-z0-9], without bias. */
static void
runner_random_alnum(char *out, size_t len)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char b;
	size_t i = 0;

	while (i < len) {
		runner_random(&b, 1);
		if (b >= 252)	/* 252 = 7 * 36 */
			continue;
		out[i++] = set[b % 36];
	}
}

/* A new bootstrap token. */
char *
runner_new_token(void)
{
	char *t;

	t = xmalloc(24);
	runner_random_alnum(t, 6);
	t[6] = '.';
	runner_random_alnum(t + 7, 16);
	t[23] = '\0';
	return t;
}

/* A new certificate key: 32 random bytes in hex. */
char *
runner_new_cert_key(void)
{
	unsigned char b[32];
	char *k;
	size_t i;

	runner_random(b, sizeof b);
	k = xmalloc(65);
	for (i = 0; i < sizeof b; i++)
		snprintf(k + 2 * i, 3, "%02x", b[i]);
	xwipe(b, sizeof b);
	return k;
}

/* Decode standard base64 (whitespace ignored). Returns the bytes (caller
 * frees, wipe: it is a kubeconfig) or NULL when invalid. */
static unsigned char *
runner_base64_decode(const char *s, size_t *outlen)
{
	unsigned char *out;
	unsigned int acc = 0;
	size_t n = 0;
	int bits = 0, v, pad = 0;

	out = xmalloc(strlen(s) / 4 * 3 + 4);
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if (*s == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			goto bad;
		if (*s >= 'A' && *s <= 'Z')
			v = *s - 'A';
		else if (*s >= 'a' && *s <= 'z')
			v = *s - 'a' + 26;
		else if (*s >= '0' && *s <= '9')
			v = *s - '0' + 52;
		else if (*s == '+')
			v = 62;
		else if (*s == '/')
			v = 63;
		else
			goto bad;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	if (pad > 2)
		goto bad;
	*outlen = n;
	return out;
bad:
	xwipe(out, strlen(s) / 4 * 3 + 4);
	free(out);
	return NULL;
}

/* --- task state ------------------------------------------------------- */

/* Set a task's state and reason, and tell the front end. Called with
 * r->lock held. */
static void
runner_set_state(struct runner *r, size_t ti, enum task_state st, int code,
    const char *reason)
{
	struct runner_task *t = &r->tasks[ti];
	struct event *ev;

	t->state = st;
	r->states[ti] = st;
	t->exit_code = code;
	free(t->reason);
	t->reason = reason != NULL ? xstrdup(reason) : NULL;
	ev = event_new(EVENT_TASK_STATE, (int)r->plan->tasks[ti].node,
	    (int)r->plan->tasks[ti].stage);
	ev->state = st;
	ev->exit_code = code;
	if (reason != NULL)
		ev->text = xstrdup(reason);
	event_queue_push(r->cfg.events, ev);
	pthread_cond_broadcast(&r->cond);
}

/* Note a change to the state for the saver. Called with r->slock
 * held. */
static void
runner_dirty(struct runner *r)
{
	r->dirty++;
	pthread_cond_broadcast(&r->scond);
}

/* Wait, with r->slock held, until RUNNER_SAVE_MS have passed since the
 * last write (CLOCK_MONOTONIC, the clock of r->scond) or the saver is told
 * to stop. */
static void
runner_saver_pace(struct runner *r, const struct timespec *last)
{
	struct timespec	until = *last;

	until.tv_nsec += (long)RUNNER_SAVE_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (!r->saver_stop &&
	    pthread_cond_timedwait(&r->scond, &r->slock, &until) == 0)
		;
}

/* The saver: write state.yaml whenever it changed, one snapshot per
 * write and at most one write per RUNNER_SAVE_MS until the run stops, so
 * that a burst of changes costs one write and fsync, not one each (a new
 * file per write is most of kubewiz's own CPU otherwise). A crash loses at
 * most the last RUNNER_SAVE_MS of records: those tasks run again at resume
 * and find their work done. Exits once stopped and everything is
 * written. */
static void *
runner_saver(void *arg)
{
	struct runner *r = arg;
	unsigned long target;
	char *data, *cause = NULL;
	size_t len = 0;
	struct timespec last = { 0, 0 };
	int wrote = 0;

	pthread_mutex_lock(&r->slock);
	for (;;) {
		while (r->saved == r->dirty && !r->saver_stop)
			pthread_cond_wait(&r->scond, &r->slock);
		if (r->saved == r->dirty)
			break;
		if (wrote)
			runner_saver_pace(r, &last);
		target = r->dirty;
		data = state_serialize(r->cfg.state, &len, &cause);
		pthread_mutex_unlock(&r->slock);
		if (data == NULL || state_write_file(r->cfg.state,
		    "state.yaml", data, len, 0600, &cause) != 0) {
			runner_message(r, _("cannot save the state: %s"),
			    cause);
			free(cause);
			cause = NULL;
		}
		free(data);
		clock_gettime(CLOCK_MONOTONIC, &last);
		wrote = 1;
		pthread_mutex_lock(&r->slock);
		r->saved = target;
		pthread_cond_broadcast(&r->scond);
	}
	pthread_mutex_unlock(&r->slock);
	return NULL;
}

/* Record a task in the state (the saver writes it). */
static void
runner_record(struct runner *r, size_t ti, enum task_state st, int code,
    time_t start, time_t end)
{
	const struct plan_task *pt = &r->plan->tasks[ti];
	struct state_task *rec;

	if (r->cfg.state == NULL)
		return;
	pthread_mutex_lock(&r->slock);
	rec = state_task(r->cfg.state, r->c->nodes[pt->node].name, pt->stage);
	if (rec != NULL) {
		rec->status = st;
		rec->exit_code = code;
		if (start != 0)
			rec->start = start;
		rec->end = end;
		free(rec->log);
		rec->log = state_log_rel(r->c->nodes[pt->node].name, pt->stage);
		free(rec->hash);
		rec->hash = r->tasks[ti].hash != NULL ?
		    xstrdup(r->tasks[ti].hash) : NULL;
		runner_dirty(r);
	}
	pthread_mutex_unlock(&r->slock);
}

/* Keep a line in a task's tail. Called with r->lock held. */
static void
runner_tail_add(struct runner_task *t, const char *line)
{
	free(t->tail[t->tail_next]);
	t->tail[t->tail_next] = xstrdup(line);
	t->tail_next = (t->tail_next + 1) % RUNNER_TAIL;
	if (t->ntail < RUNNER_TAIL)
		t->ntail++;
}

/* Set a secret in the state (and its file), and mask it from now on. */
static void
runner_keep_secret(struct runner *r, const char *key, const char *value)
{
	char *cause = NULL;

	runner_add_mask(r, value);
	if (r->cfg.state == NULL)
		return;
	pthread_mutex_lock(&r->slock);
	state_set_secret(r->cfg.state, key, value);
	if (state_save_secrets(r->cfg.state, &cause) != 0) {
		runner_message(r, _("cannot save the secrets: %s"), cause);
		free(cause);
	}
	pthread_mutex_unlock(&r->slock);
}

/* A secret from the state, or a new one made by gen and kept. Caller
 * frees with xfree_secret. */
static char *
runner_get_secret(struct runner *r, const char *key, char *(*gen)(void))
{
	const char *v = NULL;
	char *s;

	if (r->cfg.state != NULL) {
		pthread_mutex_lock(&r->slock);
		v = state_secret(r->cfg.state, key);
		s = v != NULL ? xstrdup(v) : NULL;
		pthread_mutex_unlock(&r->slock);
		if (s != NULL) {
			runner_add_mask(r, s);
			return s;
		}
	}
	s = gen();
	runner_keep_secret(r, key, s);
	return s;
}

/* --- output of scripts ------------------------------------------------ */

/* Handle an output marker. */
static void
runner_output(struct runner_ctx *ctx, const char *key, const char *value)
{
	struct runner *r = ctx->r;
	unsigned char *data;
	size_t len;
	char *cause = NULL;

	if (marker_key_is_secret(key)) {
		runner_keep_secret(r, key, value);
		if (r->cfg.state == NULL)
			return;
		if (strcmp(key, "SECRET_ADMIN_CONF_B64") == 0) {
			data = runner_base64_decode(value, &len);
			if (data == NULL) {
				runner_message(r, _("%s: the admin kubeconfig "
				    "is not valid base64"),
				    r->c->nodes[ctx->node].name);
				return;
			}
			if (state_write_file(r->cfg.state, RUNNER_ADMIN_CONF,
			    data, len, 0600, &cause) != 0) {
				runner_message(r, "%s", cause);
				free(cause);
			}
			xwipe(data, len);
			free(data);
		} else if (strcmp(key, "SECRET_DASHBOARD_TOKEN") == 0) {
			if (state_write_file(r->cfg.state,
			    RUNNER_DASHBOARD_TOKEN, value, strlen(value), 0600,
			    &cause) != 0) {
				runner_message(r, "%s", cause);
				free(cause);
			}
		}
		return;
	}
	if (ctx->join_prep && strcmp(key, "CA_HASH") == 0) {
		free(ctx->ca_hash);
		ctx->ca_hash = xstrdup(value);
		return;
	}
	if (r->cfg.state == NULL)
		return;
	pthread_mutex_lock(&r->slock);
	state_set_output(r->cfg.state, key, value);
	runner_dirty(r);
	pthread_mutex_unlock(&r->slock);
}

/* The transport's line callback: markers and log lines. */
static void
runner_line(void *arg, enum transport_stream stream, const char *line,
    size_t len)
{
	struct runner_ctx *ctx = arg;
	struct runner *r = ctx->r;
	struct marker m;
	struct event *ev;
	char *masked, *w;
	int node = (int)ctx->node, stage = (int)ctx->stage;
	enum marker_kind kind;

	kind = marker_parse(line, len, &m);
	/* stderr carries only the error marker (kw_die prints it there, so
	 * a command substitution cannot swallow it). */
	if (stream != TRANSPORT_STDOUT && kind != MARKER_ERROR) {
		if (kind != MARKER_NONE && kind != MARKER_INVALID)
			marker_clear(&m);
		kind = MARKER_NONE;
	}
	if (kind == MARKER_OUTPUT)
		runner_output(ctx, m.key, m.value);
	/* The log file has the line as printed; a script's own log line
	 * (logf) in English, its event and tail translated. */
	if (kind == MARKER_LOG) {
		masked = runner_mask_take(r, marker_format(m.value, m.args,
		    m.nargs));
		runner_log(ctx->logfd, masked);
		xfree_secret(masked);
		masked = runner_mask_take(r, marker_text(&m));
	} else {
		masked = runner_mask_take(r, xstrndup(line, len));
		runner_log(ctx->logfd, masked);
	}

	switch (kind) {
	case MARKER_NONE:
	case MARKER_INVALID:
	case MARKER_LOG:
		pthread_mutex_lock(&r->lock);
		runner_tail_add(&r->tasks[ctx->task], masked);
		pthread_mutex_unlock(&r->lock);
		ev = event_new(EVENT_TASK_LOG, node, stage);
		ev->stream = stream;
		ev->text = masked;	/* the event takes the line */
		masked = NULL;
		event_queue_push(r->cfg.events, ev);
		break;
	case MARKER_STEP:
	case MARKER_SKIP:
		/* Translated here, with its arguments in place. */
		w = runner_mask_take(r, marker_text(&m));
		runner_push(r, EVENT_TASK_STEP, node, stage,
		    kind == MARKER_SKIP ? "skip" : NULL, w);
		xfree_secret(w);
		break;
	case MARKER_ERROR:
		/* An error line for the log pane and the summary's tail; the
		 * last one is the failed stage's reason, instead of its exit
		 * status. */
		w = runner_mask_take(r, marker_text(&m));
		xfree_secret(ctx->error);
		ctx->error = w;
		ev = event_new(EVENT_TASK_LOG, node, stage);
		ev->stream = stream;
		ev->text = xasprintf(_("error: %s"), w);
		pthread_mutex_lock(&r->lock);
		runner_tail_add(&r->tasks[ctx->task], ev->text);
		pthread_mutex_unlock(&r->lock);
		event_queue_push(r->cfg.events, ev);
		break;
	case MARKER_FACT:
		pthread_mutex_lock(&r->lock);
		node_facts_set(&r->nodes[ctx->node].facts, m.key, m.value);
		pthread_mutex_unlock(&r->lock);
		runner_push(r, EVENT_FACT, node, stage, m.key, m.value);
		break;
	case MARKER_WARN:
		w = runner_mask_take(r, marker_text(&m));
		runner_warn(r, ctx->node, ctx->stage, w);
		xfree_secret(w);
		break;
	case MARKER_OUTPUT:
		break;
	}
	if (kind != MARKER_NONE && kind != MARKER_INVALID)
		marker_clear(&m);
	xfree_secret(masked);
}

/* --- transports and prompts ------------------------------------------- */

/* Ask the front end: push the prompt and wait for its answer. Returns
 * the answered prompt (caller frees), or NULL when the run is being
 * cancelled. */
static struct prompt *
runner_ask(struct runner_node *rn, enum prompt_kind kind, const char *text)
{
	struct runner *r = rn->r;
	struct prompt *p;
	struct event *ev;
	size_t i;

	p = prompt_new(kind, (int)rn->idx, text);
	pthread_mutex_lock(&r->lock);
	if (r->cancelled) {
		pthread_mutex_unlock(&r->lock);
		prompt_free(p);
		return NULL;
	}
	r->prompts = xreallocarray(r->prompts, r->nprompts + 1,
	    sizeof *r->prompts);
	r->prompts[r->nprompts++] = p;
	pthread_mutex_unlock(&r->lock);

	ev = event_new(EVENT_PROMPT, (int)rn->idx, -1);
	ev->text = xstrdup(text);
	ev->prompt = p;
	event_queue_push(r->cfg.events, ev);
	prompt_wait(p);

	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->nprompts; i++) {
		if (r->prompts[i] == p) {
			r->prompts[i] = r->prompts[--r->nprompts];
			break;
		}
	}
	pthread_mutex_unlock(&r->lock);
	return p;
}

/* Transport callback: an unknown host key. */
static int
runner_prompt_hostkey(void *arg, const struct transport_hostkey *hk)
{
	struct runner_node *rn = arg;
	struct prompt *p;
	char *text;
	int yes = 0;

	text = xasprintf(_("The authenticity of host %s (node %s) can't be "
	    "established.\n%s key fingerprint is %s.\nTrust it and add it to "
	    "%s?"), hk->host, hk->node, hk->key_type, hk->fingerprint,
	    hk->known_hosts);
	p = runner_ask(rn, PROMPT_HOSTKEY, text);
	free(text);
	if (p != NULL) {
		yes = p->answer_yes;
		prompt_free(p);
	}
	if (!yes) {
		pthread_mutex_lock(&rn->r->lock);
		rn->hostkey_refused = 1;
		pthread_mutex_unlock(&rn->r->lock);
	}
	return yes;
}

/* Transport callback: a password or passphrase. The same question on
 * another node (same user, say) is answered from a cache, so that a
 * sudo password is typed once per run, not once per node. */
static char *
runner_prompt_secret(void *arg, const char *node, const char *prompt)
{
	struct runner_node *rn = arg;
	struct runner *r = rn->r;
	struct prompt *p;
	char *text, *shape, *answer = NULL;
	size_t len, i;

	(void)node;
	shape = secret_cache_shape(r->c, rn->idx, prompt);
	/* Nodes asking the same thing at once wait for the first answer. */
	pthread_mutex_lock(&r->asklock);
	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->ncache && !rn->no_cache; i++) {
		if (strcmp(r->cache[i].key, shape) == 0) {
			answer = xstrdup(r->cache[i].value);
			rn->used_cached = 1;
			break;
		}
	}
	pthread_mutex_unlock(&r->lock);
	if (answer != NULL)
		goto out;

	/* "Password for root@host:" -> "Password for root@host". */
	text = xstrdup(prompt);
	len = strlen(text);
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == ':'))
		text[--len] = '\0';
	p = runner_ask(rn, PROMPT_SECRET, text);
	free(text);
	if (p == NULL)
		goto out;
	if (p->answer_yes && p->answer_secret != NULL) {
		answer = xstrdup(p->answer_secret);
		runner_add_mask(r, answer);
		pthread_mutex_lock(&r->lock);
		for (i = 0; i < r->ncache; i++) {
			if (strcmp(r->cache[i].key, shape) == 0)
				break;
		}
		if (i == r->ncache) {
			r->cache = xreallocarray(r->cache, r->ncache + 1,
			    sizeof *r->cache);
			r->cache[r->ncache].key = xstrdup(shape);
			r->cache[r->ncache].value = NULL;
			r->ncache++;
		}
		xfree_secret(r->cache[i].value);
		r->cache[i].value = xstrdup(answer);
		pthread_mutex_unlock(&r->lock);
	}
	prompt_free(p);
out:
	pthread_mutex_unlock(&r->asklock);
	free(shape);
	return answer;
}

/* Make sure a node has a connected transport; a transport whose
 * connection failed is replaced by a new one. Returns a transport_status
 * with *cause. Called with rn->tlock held. */
static int
runner_connect(struct runner *r, struct runner_node *rn, int fresh,
    char **cause)
{
	struct transport *t, *old;
	int rc;

	if (rn->t != NULL && rn->connected && !fresh)
		return TRANSPORT_OK;
	t = r->cfg.transport_new(r->cfg.transport_arg, r->c, rn->idx,
	    &rn->prompts, cause);
	if (t == NULL)
		return TRANSPORT_ERROR;
	pthread_mutex_lock(&rn->plock);
	old = rn->t;
	rn->t = t;
	pthread_mutex_unlock(&rn->plock);
	transport_free(old);
	rn->connected = 0;
	pthread_mutex_lock(&r->lock);
	rc = r->cancelled ? TRANSPORT_CANCELLED : TRANSPORT_OK;
	pthread_mutex_unlock(&r->lock);
	rn->used_cached = 0;
	if (rc == TRANSPORT_OK)
		rc = transport_connect(t, cause);
	if (rc == TRANSPORT_AUTH && rn->used_cached && !rn->no_cache) {
		/* The password another node took did not work here: ask. */
		rn->no_cache = 1;
		free(*cause);
		*cause = NULL;
		return runner_connect(r, rn, 1, cause);
	}
	if (rc == TRANSPORT_OK)
		rn->connected = 1;
	else if (rc == TRANSPORT_HOSTKEY) {
		pthread_mutex_lock(&r->lock);
		rn->hostkey_refused = 1;
		pthread_mutex_unlock(&r->lock);
	}
	return rc;
}

/* Run a script on a node's transport (connecting first if needed). Sets
 * *status to the script's exit status. Returns a transport_status. */
static int
runner_exec(struct runner *r, struct runner_node *rn, const char *script,
    size_t len, int timeout, struct runner_ctx *ctx, int *status,
    char **cause)
{
	int rc;

	*status = -1;
	pthread_mutex_lock(&r->lock);
	rc = r->cancelled ? TRANSPORT_CANCELLED : TRANSPORT_OK;
	pthread_mutex_unlock(&r->lock);
	if (rc != TRANSPORT_OK)
		return rc;
	pthread_mutex_lock(&rn->tlock);
	rc = runner_connect(r, rn, 0, cause);
	if (rc == TRANSPORT_OK) {
		rc = transport_run(rn->t, script, len, timeout, runner_line,
		    ctx, status, cause);
		if (rc == TRANSPORT_ERROR || rc == TRANSPORT_TIMEOUT)
			rn->connected = 0;	/* reconnect next time */
	}
	pthread_mutex_unlock(&rn->tlock);
	return rc;
}

/* --- running one task ------------------------------------------------- */

/* A render variable list under construction. */
struct runner_vars {
	struct render_var	*v;
	size_t			 n;
	char			**owned;	/* strings to free */
	size_t			 nowned;
};

/* Add a variable; key and value are copied (value wiped on free). */
static void
runner_var(struct runner_vars *vs, const char *key, const char *value)
{
	char *k, *v;

	k = xstrdup(key);
	v = xstrdup(value);
	vs->owned = xreallocarray(vs->owned, vs->nowned + 2,
	    sizeof *vs->owned);
	vs->owned[vs->nowned++] = k;
	vs->owned[vs->nowned++] = v;
	vs->v = xreallocarray(vs->v, vs->n + 1, sizeof *vs->v);
	vs->v[vs->n].key = k;
	vs->v[vs->n].value = v;
	vs->n++;
}

/* Free a variable list, wiping the values. */
static void
runner_vars_free(struct runner_vars *vs)
{
	size_t i;

	for (i = 0; i < vs->nowned; i++)
		xfree_secret(vs->owned[i]);
	free(vs->owned);
	free(vs->v);
	memset(vs, 0, sizeof *vs);
}

/* Add the node's facts as KW_FACT_<KEY> variables. */
static void
runner_fact_vars(struct runner *r, size_t node, struct runner_vars *vs)
{
	const struct node_facts *f;
	char *name, *p;
	size_t i;

	pthread_mutex_lock(&r->lock);
	f = &r->nodes[node].facts;
	for (i = 0; i < f->n; i++) {
		name = xasprintf("KW_FACT_%s", f->keys[i]);
		for (p = name; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		if (shell_is_name(name))
			runner_var(vs, name, f->values[i]);
		free(name);
	}
	pthread_mutex_unlock(&r->lock);
}

/* The cross-node checks of a node's preflight. Returns -1 (with *cause)
 * when they found errors. */
static int
runner_crosscheck(struct runner *r, struct runner_ctx *ctx, char **cause)
{
	struct node_facts *all;
	struct diag_list d;
	size_t i, errors;
	char *w;

	all = xcalloc(r->c->nnodes, sizeof *all);
	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->c->nnodes; i++)
		all[i] = r->nodes[i].facts;	/* shallow, read under lock */
	diag_init(&d);
	errors = crosscheck_node(r->c, all, ctx->node, &d);
	pthread_mutex_unlock(&r->lock);
	free(all);

	for (i = 0; i < d.n; i++) {
		if (d.items[i].level == DIAG_WARNING) {
			runner_warn(r, ctx->node, STAGE_PREFLIGHT,
			    d.items[i].msg);
			runner_log(ctx->logfd, d.items[i].msg);
			continue;
		}
		w = xasprintf("error: %s", d.items[i].msg);
		runner_log(ctx->logfd, w);
		runner_push(r, EVENT_TASK_LOG, (int)ctx->node, STAGE_PREFLIGHT,
		    NULL, w);
		/* The first error is the task's reason; the tail keeps the
		 * others for the summary. */
		if (*cause == NULL)
			*cause = xstrdup(d.items[i].msg);
		else {
			pthread_mutex_lock(&r->lock);
			runner_tail_add(&r->tasks[ctx->task], w);
			pthread_mutex_unlock(&r->lock);
		}
		free(w);
	}
	diag_clear(&d);
	return errors > 0 ? -1 : 0;
}

/* Map a transport failure to a reason. Caller frees. */
static char *
runner_transport_reason(int rc, const char *cause)
{
	const char *what;

	switch (rc) {
	case TRANSPORT_HOSTKEY:
		what = _("host key refused");
		break;
	case TRANSPORT_AUTH:
		what = _("authentication failed");
		break;
	case TRANSPORT_TIMEOUT:
		what = _("timed out");
		break;
	case TRANSPORT_CANCELLED:
		what = _("cancelled");
		break;
	default:
		what = _("connection failed");
		break;
	}
	if (cause != NULL && *cause != '\0')
		/* TRANSLATORS: what went wrong, then why. */
		return xasprintf(_("%s: %s"), what, cause);
	return xstrdup(what);
}

/* Sleep n seconds unless the run is cancelled. Returns -1 if it is. */
static int
runner_pause(struct runner *r, int n)
{
	int cancelled;

	for (; n > 0; n--) {
		pthread_mutex_lock(&r->lock);
		cancelled = r->cancelled;
		pthread_mutex_unlock(&r->lock);
		if (cancelled)
			return -1;
		sleep(1);
	}
	return 0;
}

/* Run join-prep on the first control plane for a joining node; sets
 * ctx->ca_hash. Returns 0, or -1 with *reason. */
static int
runner_join_prep(struct runner *r, struct runner_ctx *ctx, const char *token,
    const char *cert_key, char **reason)
{
	struct runner_ctx pctx;
	struct runner_vars vs;
	struct runner_node *first = &r->nodes[r->plan->first];
	char *script = NULL, *cause = NULL;
	size_t len = 0;
	int rc, status = -1, error = -1, waited;

	memset(&vs, 0, sizeof vs);
	runner_var(&vs, "KW_TOKEN", token);
	if (cert_key != NULL) {
		runner_var(&vs, "KW_CERT_KEY", cert_key);
		runner_var(&vs, "KW_JOIN_CONTROL_PLANE", "1");
	}
	script = r->cfg.scripts.join_prep(r->cfg.scripts.arg, r->c,
	    r->plan->first, vs.v, vs.n, &len);
	if (script == NULL) {
		*reason = xstrdup(_("cannot render join-prep"));
		goto out;
	}
	pctx = *ctx;		/* output goes to the joining node's log */
	pctx.join_prep = 1;
	pctx.ca_hash = NULL;
	runner_log(ctx->logfd, "--- join-prep on the first control plane");
	rc = runner_exec(r, first, script, len, RUNNER_JOIN_PREP_TIMEOUT,
	    &pctx, &status, &cause);
	/* The first control plane may be rebooting: wait for it. */
	for (waited = 0; rc == TRANSPORT_ERROR &&
	    waited < RUNNER_JOIN_PREP_WAIT; waited += 5) {
		runner_log(ctx->logfd, "--- the first control plane is not "
		    "reachable; trying again in 5 s");
		free(cause);
		cause = NULL;
		if (runner_pause(r, 5) != 0)
			break;
		rc = runner_exec(r, first, script, len,
		    RUNNER_JOIN_PREP_TIMEOUT, &pctx, &status, &cause);
	}
	runner_log(ctx->logfd, "--- join-prep done");
	if (rc != TRANSPORT_OK) {
		char *why = runner_transport_reason(rc, cause);

		*reason = xasprintf(_("join-prep on %s: %s"),
		    r->c->nodes[r->plan->first].name, why);
		free(why);
	} else if (status != 0)
		*reason = xasprintf(_("join-prep on %s failed with exit "
		    "status %d"), r->c->nodes[r->plan->first].name, status);
	else if (pctx.ca_hash == NULL)
		*reason = xasprintf(_("join-prep on %s gave no CA_HASH"),
		    r->c->nodes[r->plan->first].name);
	else {
		ctx->ca_hash = pctx.ca_hash;
		pctx.ca_hash = NULL;
		error = 0;
	}
	free(pctx.ca_hash);
out:
	free(cause);
	xfree_secret(script);
	runner_vars_free(&vs);
	return error;
}

/* The token and CA hash for a worker join: those of this run's last
 * join-prep while they are fresh, else from a new join-prep. One join-prep
 * runs at a time and the joins that wait for it reuse its result, so N
 * workers cost one join-prep on the first control plane, not N in a row.
 * Sets *token (caller frees with xfree_secret) and ctx->ca_hash. Returns
 * 0, or -1 with *reason. */
static int
runner_worker_join_data(struct runner *r, struct runner_ctx *ctx,
    char **token, char **reason)
{
	struct timespec now;
	char *fresh = NULL;
	int error = -1;

	pthread_mutex_lock(&r->jlock);
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (r->join_token != NULL &&
	    now.tv_sec - r->join_at.tv_sec < RUNNER_JOIN_REUSE) {
		runner_log(ctx->logfd, "--- join data of this run's join-prep "
		    "on the first control plane (token valid for 2 h)");
		ctx->ca_hash = xstrdup(r->join_ca_hash);
		*token = xstrdup(r->join_token);
		error = 0;
		goto out;
	}
	fresh = runner_new_token();
	runner_add_mask(r, fresh);
	if (runner_join_prep(r, ctx, fresh, NULL, reason) != 0)
		goto out;
	xfree_secret(r->join_token);
	free(r->join_ca_hash);
	r->join_token = xstrdup(fresh);
	r->join_ca_hash = xstrdup(ctx->ca_hash);
	r->join_at = now;
	*token = fresh;
	fresh = NULL;
	error = 0;
out:
	pthread_mutex_unlock(&r->jlock);
	xfree_secret(fresh);
	return error;
}

/* Forget the reusable join data after a failed join with token, so that
 * the next join (or a retry) makes fresh data. */
static void
runner_worker_join_failed(struct runner *r, const char *token)
{
	pthread_mutex_lock(&r->jlock);
	if (token != NULL && r->join_token != NULL &&
	    strcmp(r->join_token, token) == 0) {
		xfree_secret(r->join_token);
		free(r->join_ca_hash);
		r->join_token = NULL;
		r->join_ca_hash = NULL;
	}
	pthread_mutex_unlock(&r->jlock);
}

/* Whether a worker still has its join to run. */
static int
runner_worker_joins_pending(struct runner *r)
{
	size_t n;
	int ti, pending = 0;

	pthread_mutex_lock(&r->lock);
	for (n = 0; n < r->c->nnodes && !pending; n++) {
		if (r->c->nodes[n].role == ROLE_CONTROL_PLANE)
			continue;
		ti = plan_find(r->plan, n, STAGE_JOIN);
		if (ti >= 0 && !r->waived[ti] &&
		    !plan_state_is_final(r->states[ti]))
			pending = 1;
	}
	pthread_mutex_unlock(&r->lock);
	return pending;
}

/* Right after init, make the workers' join data before the first control
 * plane goes on to network: the joins start at once instead of waiting
 * for network to free the node's transport, and network runs while they
 * do. A failure is left to the joins, which run join-prep themselves. */
static void
runner_join_prefetch(struct runner *r, struct runner_ctx *ctx)
{
	struct runner_ctx pctx = *ctx;
	char *token = NULL, *reason = NULL;

	pctx.ca_hash = NULL;
	if (runner_worker_join_data(r, &pctx, &token, &reason) != 0 &&
	    reason != NULL)
		runner_log(ctx->logfd, reason);
	free(reason);
	free(pctx.ca_hash);
	xfree_secret(token);
}

/* Run task ti (without r->lock). Returns its final state; sets *code and
 * *reason (caller frees). */
static enum task_state
runner_run(struct runner *r, size_t ti, struct runner_ctx *ctx, int *code,
    char **reason)
{
	const struct plan_task *pt = &r->plan->tasks[ti];
	struct runner_node *rn = &r->nodes[pt->node];
	const struct cluster_node *cn = &r->c->nodes[pt->node];
	struct runner_vars vs;
	char *script = NULL, *cause = NULL, *token = NULL, *cert = NULL;
	size_t len = 0;
	int rc, status = -1, timeout;
	enum task_state result = TASK_FAILED;

	memset(&vs, 0, sizeof vs);
	*code = -1;
	timeout = r->cfg.timeout > 0 ? r->cfg.timeout :
	    runner_timeouts[pt->stage];

	if (pt->stage == STAGE_CONNECT) {
		/* A fresh connection each run: the node may have changed. */
		pthread_mutex_lock(&rn->tlock);
		rc = runner_connect(r, rn, 1, &cause);
		pthread_mutex_unlock(&rn->tlock);
		if (rc == TRANSPORT_CANCELLED) {
			result = TASK_CANCELLED;
			goto out;
		}
		if (rc != TRANSPORT_OK) {
			*reason = runner_transport_reason(rc, cause);
			runner_log(ctx->logfd, *reason);
			goto out;
		}
	}
	if (pt->stage == STAGE_PREFLIGHT &&
	    runner_crosscheck(r, ctx, &cause) != 0) {
		*reason = xasprintf(_("cross-node check: %s"), cause);
		goto out;
	}

	runner_fact_vars(r, pt->node, &vs);
	if (pt->stage == STAGE_INIT) {
		token = runner_get_secret(r, RUNNER_SECRET_TOKEN,
		    runner_new_token);
		cert = runner_get_secret(r, RUNNER_SECRET_CERT_KEY,
		    runner_new_cert_key);
		runner_var(&vs, "KW_TOKEN", token);
		runner_var(&vs, "KW_CERT_KEY", cert);
	}
	if (pt->stage == STAGE_JOIN && cn->role != ROLE_CONTROL_PLANE) {
		if (runner_worker_join_data(r, ctx, &token, reason) != 0)
			goto out;
		runner_var(&vs, "KW_TOKEN", token);
		runner_var(&vs, "KW_CA_HASH", ctx->ca_hash);
	} else if (pt->stage == STAGE_JOIN) {
		token = runner_new_token();
		runner_add_mask(r, token);
		cert = runner_get_secret(r, RUNNER_SECRET_CERT_KEY,
		    runner_new_cert_key);
		if (runner_join_prep(r, ctx, token, cert, reason) != 0)
			goto out;
		runner_var(&vs, "KW_TOKEN", token);
		runner_var(&vs, "KW_CA_HASH", ctx->ca_hash);
		if (cert != NULL)
			runner_var(&vs, "KW_CERT_KEY", cert);
	}

	script = r->cfg.scripts.script(r->cfg.scripts.arg, r->c, pt->node,
	    pt->stage, vs.v, vs.n, &len);
	if (script == NULL) {
		*reason = xasprintf(_("cannot render the %s script"),
		    stage_name(pt->stage));
		goto out;
	}
	rc = runner_exec(r, rn, script, len, timeout, ctx, &status, &cause);
	*code = status;
	if (rc == TRANSPORT_CANCELLED)
		result = TASK_CANCELLED;
	else if (rc != TRANSPORT_OK) {
		*reason = runner_transport_reason(rc, cause);
		runner_log(ctx->logfd, *reason);
	} else if (status != 0 && ctx->error != NULL)
		*reason = xstrdup(ctx->error);
	else if (status != 0)
		*reason = xasprintf(_("exit status %d"), status);
	else
		result = TASK_DONE;
	if (result != TASK_DONE && pt->stage == STAGE_JOIN && cert == NULL)
		runner_worker_join_failed(r, token);
	if (result == TASK_DONE && pt->stage == STAGE_INIT &&
	    runner_worker_joins_pending(r))
		runner_join_prefetch(r, ctx);
out:
	free(cause);
	xfree_secret(script);
	xfree_secret(token);
	xfree_secret(cert);
	runner_vars_free(&vs);
	return result;
}

/* Run task ti from start to end: state, log, events. Called without
 * r->lock. */
static void
runner_task(struct runner *r, size_t ti)
{
	const struct plan_task *pt = &r->plan->tasks[ti];
	const char *name = r->c->nodes[pt->node].name;
	struct runner_ctx ctx;
	char *cause = NULL, *reason = NULL, *head, tbuf[32];
	time_t start, end;
	struct tm tm;
	enum task_state result;
	int code;

	/* Hashed now unless resume needed it (runner_resume). */
	if (r->tasks[ti].hash == NULL)
		r->tasks[ti].hash = r->cfg.scripts.hash(r->cfg.scripts.arg,
		    r->c, pt->node, pt->stage);
	memset(&ctx, 0, sizeof ctx);
	ctx.r = r;
	ctx.node = pt->node;
	ctx.stage = pt->stage;
	ctx.task = ti;
	ctx.logfd = -1;
	start = time(NULL);
	if (r->cfg.state != NULL) {
		ctx.logfd = state_open_log(r->cfg.state, name, pt->stage,
		    &cause);
		if (ctx.logfd == -1) {
			runner_message(r, "%s", cause);
			free(cause);
			cause = NULL;
		}
	}
	gmtime_r(&start, &tm);
	strftime(tbuf, sizeof tbuf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	head = xasprintf("=== %s %s %s", name, stage_name(pt->stage), tbuf);
	runner_log(ctx.logfd, head);
	free(head);
	runner_record(r, ti, TASK_RUNNING, -1, start, 0);

	result = runner_run(r, ti, &ctx, &code, &reason);

	end = time(NULL);
	if (reason != NULL)
		head = xasprintf("=== %s (%s)", task_state_name(result), reason);
	else
		head = xasprintf("=== %s", task_state_name(result));
	runner_log(ctx.logfd, head);
	free(head);
	if (ctx.logfd != -1)
		close(ctx.logfd);
	free(ctx.ca_hash);
	xfree_secret(ctx.error);
	runner_record(r, ti, result, code, 0, end);

	pthread_mutex_lock(&r->lock);
	runner_set_state(r, ti, result, code, reason);
	pthread_mutex_unlock(&r->lock);
	free(reason);
}

/* --- workers ---------------------------------------------------------- */

/* Whether every task is final. Called with r->lock held. */
static int
runner_all_final(struct runner *r)
{
	size_t i;

	for (i = 0; i < r->plan->ntasks; i++) {
		if (!plan_state_is_final(r->states[i]))
			return 0;
	}
	return 1;
}

/* The node's first task that is not final, or -1. Called with r->lock
 * held. */
static int
runner_next(struct runner *r, size_t node)
{
	int s, ti;

	for (s = 0; s < STAGE_COUNT; s++) {
		ti = plan_find(r->plan, node, s);
		if (ti >= 0 && !plan_state_is_final(r->states[ti]))
			return ti;
	}
	return -1;
}

/* Give up a node's slot. Called with r->lock held. */
static void
runner_release(struct runner *r, struct runner_node *rn)
{
	if (rn->has_slot) {
		rn->has_slot = 0;
		r->active--;
		pthread_cond_broadcast(&r->cond);
	}
}

/* Describe a dependency for a waiting or blocked task. Caller frees. */
static char *
runner_dep_text(struct runner *r, size_t dep, int blocked)
{
	const struct plan_task *d = &r->plan->tasks[dep];
	const char *name = r->c->nodes[d->node].name;

	if (!blocked)
		return xasprintf("%s: %s", name, stage_label(d->stage));
	/* TRANSLATORS: node, stage, state: what blocks a task
	 * ("k8s-node3: join failed"). */
	return xasprintf(_("%s: %s %s"), name, stage_label(d->stage),
	    task_state_label(r->states[dep]));
}

/* Compute the run's exit code. Called with r->lock held. */
static int
runner_exit_code(struct runner *r)
{
	size_t i;
	int ok = 1;

	for (i = 0; i < r->c->nnodes; i++) {
		if (r->nodes[i].hostkey_refused)
			return KW_EXIT_REFUSED;
	}
	for (i = 0; i < r->plan->ntasks; i++) {
		if (r->waived[i])
			continue;
		if (r->states[i] != TASK_DONE && r->states[i] != TASK_SKIPPED)
			ok = 0;
	}
	return ok ? KW_EXIT_OK : KW_EXIT_FAILED;
}

/* A node's worker: run its tasks in order as they become ready. */
static void *
runner_worker(void *arg)
{
	struct runner_node *rn = arg;
	struct runner *r = rn->r;
	enum plan_readiness ready;
	size_t why = 0;
	char *text;
	int ti;
	struct event *ev;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		ti = runner_next(r, rn->idx);
		if (ti < 0) {
			runner_release(r, rn);
			/* keep_open stays only while something can still be
			 * retried. */
			if (r->finishing || r->cancelled ||
			    (runner_all_final(r) && (!r->cfg.keep_open ||
			    runner_exit_code(r) == KW_EXIT_OK)))
				break;
			pthread_cond_wait(&r->cond, &r->lock);
			continue;
		}
		if (r->cancelled) {
			runner_set_state(r, (size_t)ti, TASK_CANCELLED, -1,
			    NULL);
			continue;
		}
		ready = plan_readiness(r->plan, r->states, r->waived,
		    (size_t)ti, &why);
		if (ready == PLAN_BLOCK) {
			text = runner_dep_text(r, why, 1);
			runner_set_state(r, (size_t)ti, TASK_BLOCKED, -1, text);
			free(text);
			continue;
		}
		if (ready == PLAN_WAIT) {
			runner_release(r, rn);
			if (r->states[ti] != TASK_WAITING) {
				text = runner_dep_text(r, why, 0);
				runner_set_state(r, (size_t)ti, TASK_WAITING,
				    -1, text);
				free(text);
			}
			pthread_cond_wait(&r->cond, &r->lock);
			continue;
		}
		if (!rn->has_slot) {
			if (r->cfg.parallel > 0 &&
			    r->active >= r->cfg.parallel) {
				if (r->states[ti] != TASK_WAITING) {
					text = xasprintf(_("a free slot "
					    "(--parallel %d)"), r->cfg.parallel);
					runner_set_state(r, (size_t)ti,
					    TASK_WAITING, -1, text);
					free(text);
				}
				pthread_cond_wait(&r->cond, &r->lock);
				continue;
			}
			rn->has_slot = 1;
			r->active++;
		}
		runner_set_state(r, (size_t)ti, TASK_RUNNING, -1, NULL);
		pthread_mutex_unlock(&r->lock);
		runner_task(r, (size_t)ti);
		pthread_mutex_lock(&r->lock);
	}
	if (--r->live == 0) {
		r->exit_code = runner_exit_code(r);
		ev = event_new(EVENT_RUN_DONE, -1, -1);
		ev->exit_code = r->exit_code;
		event_queue_push(r->cfg.events, ev);
	}
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* --- public API ------------------------------------------------------- */

/* Create a runner. */
struct runner *
runner_new(const struct runner_config *cfg)
{
	struct runner *r;
	pthread_condattr_t mono;
	size_t i;

	r = xcalloc(1, sizeof *r);
	r->cfg = *cfg;
	r->plan = cfg->plan;
	r->c = cfg->cluster;
	/* The saver's pace is timed on the monotonic clock. */
	if (pthread_condattr_init(&mono) != 0 ||
	    pthread_condattr_setclock(&mono, CLOCK_MONOTONIC) != 0)
		fatalx("runner_new: pthread init failed");
	if (pthread_mutex_init(&r->lock, NULL) != 0 ||
	    pthread_cond_init(&r->cond, NULL) != 0 ||
	    pthread_mutex_init(&r->mlock, NULL) != 0 ||
	    pthread_mutex_init(&r->jlock, NULL) != 0 ||
	    pthread_mutex_init(&r->slock, NULL) != 0 ||
	    pthread_mutex_init(&r->asklock, NULL) != 0 ||
	    pthread_cond_init(&r->scond, &mono) != 0)
		fatalx("runner_new: pthread init failed");
	pthread_condattr_destroy(&mono);
	r->tasks = xcalloc(r->plan->ntasks, sizeof *r->tasks);
	r->states = xcalloc(r->plan->ntasks, sizeof *r->states);
	r->waived = xcalloc(r->plan->ntasks, 1);
	for (i = 0; i < r->plan->ntasks; i++) {
		r->tasks[i].state = TASK_PENDING;
		r->tasks[i].exit_code = -1;
		r->states[i] = TASK_PENDING;
	}
	r->nodes = xcalloc(r->c->nnodes, sizeof *r->nodes);
	for (i = 0; i < r->c->nnodes; i++) {
		r->nodes[i].r = r;
		r->nodes[i].idx = i;
		if (pthread_mutex_init(&r->nodes[i].tlock, NULL) != 0 ||
		    pthread_mutex_init(&r->nodes[i].plock, NULL) != 0)
			fatalx("runner_new: pthread init failed");
		r->nodes[i].prompts.hostkey = runner_prompt_hostkey;
		r->nodes[i].prompts.secret = runner_prompt_secret;
		r->nodes[i].prompts.arg = &r->nodes[i];
	}
	r->exit_code = -1;
	return r;
}

/* What one hashing thread of runner_resume does: every step-th task from
 * first on that needs its hash. */
struct runner_hashjob {
	struct runner	*r;
	const char	*need;
	size_t		 first;
	size_t		 step;
};

/* Hash the tasks of one runner_hashjob. */
static void *
runner_hash_some(void *arg)
{
	struct runner_hashjob *j = arg;
	struct runner *r = j->r;
	const struct plan_task *pt;
	size_t i;

	for (i = j->first; i < r->plan->ntasks; i += j->step) {
		if (!j->need[i])
			continue;
		pt = &r->plan->tasks[i];
		r->tasks[i].hash = r->cfg.scripts.hash(r->cfg.scripts.arg,
		    r->c, pt->node, pt->stage);
	}
	return NULL;
}

/* Decide what resume skips: a done task whose input hash is unchanged.
 * connect always runs: it is how the other stages get their facts. Only
 * the tasks done earlier need their hash for that; they are hashed on all
 * CPUs at once, the others when they start (runner_task), so a fresh
 * install hashes nothing before its first connect. The decisions go out
 * in plan order. Called with r->lock held, before the workers start. */
static void
runner_resume(struct runner *r)
{
	const struct plan_task *pt;
	struct state_task *rec;
	struct runner_hashjob *jobs = NULL;
	pthread_t *threads = NULL;
	const char *name;
	char *need = NULL;
	size_t i, n = 0, k, nthreads = 1;
	long ncpu;
	int error;

	if (r->cfg.state == NULL)
		return;
	need = xcalloc(r->plan->ntasks, 1);
	for (i = 0; i < r->plan->ntasks; i++) {
		pt = &r->plan->tasks[i];
		if (pt->stage == STAGE_CONNECT)
			continue;
		rec = state_task(r->cfg.state, r->c->nodes[pt->node].name,
		    pt->stage);
		if (rec != NULL && (rec->status == TASK_DONE ||
		    rec->status == TASK_SKIPPED)) {
			need[i] = 1;
			n++;
		}
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu > 1)
		nthreads = ncpu > 16 ? 16 : (size_t)ncpu;
	if (nthreads > n / 32 + 1)
		nthreads = n / 32 + 1;
	jobs = xcalloc(nthreads, sizeof *jobs);
	threads = xcalloc(nthreads, sizeof *threads);
	for (k = 0; k < nthreads; k++) {
		jobs[k].r = r;
		jobs[k].need = need;
		jobs[k].first = k;
		jobs[k].step = nthreads;
	}
	for (k = 1; k < nthreads; k++) {
		error = pthread_create(&threads[k], NULL, runner_hash_some,
		    &jobs[k]);
		if (error != 0)
			fatalx("pthread_create: %s", strerror(error));
	}
	runner_hash_some(&jobs[0]);
	for (k = 1; k < nthreads; k++)
		pthread_join(threads[k], NULL);

	for (i = 0; i < r->plan->ntasks; i++) {
		pt = &r->plan->tasks[i];
		name = r->c->nodes[pt->node].name;
		if (pt->stage == STAGE_CONNECT)
			continue;
		rec = state_task(r->cfg.state, name, pt->stage);
		if (rec == NULL)
			continue;
		switch (state_task_resume(rec, r->tasks[i].hash)) {
		case STATE_RESUME_SKIP:
			runner_set_state(r, i, TASK_SKIPPED, 0,
			    _("done earlier, inputs unchanged"));
			break;
		case STATE_RESUME_CHANGED:
			runner_message(r, _("%s %s: runs again because the "
			    "config changed since it was done"), name,
			    stage_label(pt->stage));
			break;
		case STATE_RESUME_RETRY:
			runner_message(r, _("%s %s: runs again (%s last "
			    "time)"), name, stage_label(pt->stage),
			    rec->status == TASK_RUNNING ? _("interrupted") :
			    task_state_label(rec->status));
			break;
		case STATE_RESUME_NEW:
			break;
		}
	}
	free(threads);
	free(jobs);
	free(need);
}

/* Start the workers. */
int
runner_start(struct runner *r, char **cause)
{
	size_t i;
	int error;

	if (r->started) {
		*cause = xstrdup(_("the run has already started"));
		return -1;
	}
	pthread_mutex_lock(&r->lock);
	r->started = 1;
	runner_resume(r);
	r->live = (int)r->c->nnodes;
	pthread_mutex_unlock(&r->lock);
	if (r->cfg.state != NULL) {
		error = pthread_create(&r->saver, NULL, runner_saver, r);
		if (error != 0)
			fatalx("pthread_create: %s", strerror(error));
		r->saver_started = 1;
	}
	for (i = 0; i < r->c->nnodes; i++) {
		error = pthread_create(&r->nodes[i].thread, NULL,
		    runner_worker, &r->nodes[i]);
		if (error != 0)
			fatalx("pthread_create: %s", strerror(error));
		r->nodes[i].started = 1;
	}
	return 0;
}

/* Stop soon. */
void
runner_cancel(struct runner *r)
{
	size_t i;

	pthread_mutex_lock(&r->lock);
	r->cancelled = 1;
	for (i = 0; i < r->nprompts; i++)
		prompt_answer(r->prompts[i], 0, NULL);
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < r->c->nnodes; i++) {
		pthread_mutex_lock(&r->nodes[i].plock);
		if (r->nodes[i].t != NULL)
			transport_cancel(r->nodes[i].t);
		pthread_mutex_unlock(&r->nodes[i].plock);
	}
}

/* Run a failed task again. */
int
runner_retry(struct runner *r, size_t node, enum stage s, char **cause)
{
	size_t *dep, ndep, i;
	int ti, error = -1;

	ti = plan_find(r->plan, node, s);
	if (ti < 0) {
		*cause = xasprintf(_("there is no %s task on that node"),
		    stage_label(s));
		return -1;
	}
	dep = xcalloc(r->plan->ntasks, sizeof *dep);
	pthread_mutex_lock(&r->lock);
	if (r->cancelled || r->finishing || r->live == 0) {
		*cause = xstrdup(_("the run is over"));
		goto out;
	}
	if (r->states[ti] != TASK_FAILED && r->states[ti] != TASK_CANCELLED) {
		*cause = xasprintf(_("%s %s has not failed"),
		    r->c->nodes[node].name, stage_label(s));
		goto out;
	}
	ndep = plan_dependents(r->plan, (size_t)ti, dep);
	for (i = 0; i < ndep; i++) {
		if (r->states[dep[i]] == TASK_BLOCKED)
			runner_set_state(r, dep[i], TASK_PENDING, -1, NULL);
	}
	for (i = 0; i < RUNNER_TAIL; i++) {
		free(r->tasks[ti].tail[i]);
		r->tasks[ti].tail[i] = NULL;
	}
	r->tasks[ti].ntail = r->tasks[ti].tail_next = 0;
	runner_set_state(r, (size_t)ti, TASK_PENDING, -1, NULL);
	error = 0;
out:
	pthread_mutex_unlock(&r->lock);
	free(dep);
	return error;
}

/* Give up on a worker node. */
int
runner_skip_node(struct runner *r, size_t node, char **cause)
{
	size_t i;
	int s, ti, error = -1;

	if (node >= r->c->nnodes || node == r->plan->first) {
		*cause = xstrdup(_("only a node other than the first control "
		    "plane can be skipped"));
		return -1;
	}
	pthread_mutex_lock(&r->lock);
	for (s = 0; s < STAGE_COUNT; s++) {
		ti = plan_find(r->plan, node, s);
		if (ti >= 0 && r->states[ti] == TASK_RUNNING) {
			*cause = xasprintf(_("%s is running %s; wait for it or "
			    "stop the install"), r->c->nodes[node].name,
			    stage_label(s));
			goto out;
		}
	}
	r->nodes[node].skipped = 1;
	for (i = 0; i < r->plan->ntasks; i++) {
		if (r->plan->tasks[i].node != node)
			continue;
		r->waived[i] = 1;
		if (!plan_state_is_final(r->states[i]) ||
		    r->states[i] == TASK_FAILED || r->states[i] == TASK_BLOCKED)
			runner_set_state(r, i, TASK_CANCELLED, -1,
			    _("skipped by the operator"));
	}
	/* What was blocked only by this node can go on. */
	for (i = 0; i < r->plan->ntasks; i++) {
		if (r->states[i] == TASK_BLOCKED &&
		    plan_readiness(r->plan, r->states, r->waived, i, NULL) !=
		    PLAN_BLOCK)
			runner_set_state(r, i, TASK_PENDING, -1, NULL);
	}
	error = 0;
out:
	pthread_mutex_unlock(&r->lock);
	return error;
}

/* Let the workers end once nothing runs. */
void
runner_finish(struct runner *r)
{
	pthread_mutex_lock(&r->lock);
	r->finishing = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

/* Wait for the workers; return the run's exit code. */
int
runner_wait(struct runner *r)
{
	size_t i;
	int code;

	for (i = 0; i < r->c->nnodes; i++) {
		if (r->nodes[i].started) {
			pthread_join(r->nodes[i].thread, NULL);
			r->nodes[i].started = 0;
		}
	}
	if (r->saver_started) {
		/* Everything recorded is written before the run is over. */
		pthread_mutex_lock(&r->slock);
		r->saver_stop = 1;
		pthread_cond_broadcast(&r->scond);
		pthread_mutex_unlock(&r->slock);
		pthread_join(r->saver, NULL);
		r->saver_started = 0;
	}
	pthread_mutex_lock(&r->lock);
	if (r->exit_code < 0)
		r->exit_code = runner_exit_code(r);
	code = r->exit_code;
	pthread_mutex_unlock(&r->lock);
	return code;
}

/* Free a runner. */
void
runner_free(struct runner *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	runner_wait(r);
	for (i = 0; i < r->c->nnodes; i++) {
		transport_free(r->nodes[i].t);
		node_facts_clear(&r->nodes[i].facts);
		pthread_mutex_destroy(&r->nodes[i].tlock);
		pthread_mutex_destroy(&r->nodes[i].plock);
	}
	free(r->nodes);
	for (i = 0; i < r->plan->ntasks; i++) {
		free(r->tasks[i].reason);
		free(r->tasks[i].hash);
		for (j = 0; j < RUNNER_TAIL; j++)
			xfree_secret(r->tasks[i].tail[j]);
	}
	free(r->tasks);
	free(r->states);
	free(r->waived);
	free(r->prompts);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	for (i = 0; i < r->nmasks; i++)
		xfree_secret(r->masks[i]);
	free(r->masks);
	for (i = 0; i < r->ncache; i++) {
		free(r->cache[i].key);
		xfree_secret(r->cache[i].value);
	}
	free(r->cache);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->mlock);
	pthread_mutex_destroy(&r->jlock);
	xfree_secret(r->join_token);
	free(r->join_ca_hash);
	pthread_mutex_destroy(&r->slock);
	pthread_cond_destroy(&r->scond);
	pthread_mutex_destroy(&r->asklock);
	free(r);
}

/* A snapshot of a task. */
int
runner_task_info(struct runner *r, size_t node, enum stage s,
    struct runner_task_info *info)
{
	struct runner_task *t;
	char *rel;
	size_t i, k;
	int ti;

	memset(info, 0, sizeof *info);
	ti = plan_find(r->plan, node, s);
	if (ti < 0)
		return -1;
	pthread_mutex_lock(&r->lock);
	t = &r->tasks[ti];
	info->state = t->state;
	info->exit_code = t->exit_code;
	info->reason = t->reason != NULL ? xstrdup(t->reason) : NULL;
	if (r->cfg.state != NULL) {
		rel = state_log_rel(r->c->nodes[node].name, s);
		info->log = state_path(r->cfg.state, rel);
		free(rel);
	}
	if (t->ntail > 0) {
		info->tail = xcalloc(t->ntail, sizeof *info->tail);
		k = (t->tail_next + RUNNER_TAIL - t->ntail) % RUNNER_TAIL;
		for (i = 0; i < t->ntail; i++)
			info->tail[i] = xstrdup(t->tail[(k + i) % RUNNER_TAIL]);
		info->ntail = t->ntail;
	}
	pthread_mutex_unlock(&r->lock);
	return 0;
}

/* Free a task snapshot. */
void
runner_task_info_clear(struct runner_task_info *info)
{
	size_t i;

	free(info->reason);
	free(info->log);
	for (i = 0; i < info->ntail; i++)
		xfree_secret(info->tail[i]);
	free(info->tail);
	memset(info, 0, sizeof *info);
}

/* Whether the operator skipped a node. */
int
runner_node_skipped(struct runner *r, size_t node)
{
	int v;

	pthread_mutex_lock(&r->lock);
	v = node < r->c->nnodes && r->nodes[node].skipped;
	pthread_mutex_unlock(&r->lock);
	return v;
}

/* Whether a node's host key was refused. */
int
runner_node_hostkey_refused(struct runner *r, size_t node)
{
	int v;

	pthread_mutex_lock(&r->lock);
	v = node < r->c->nnodes && r->nodes[node].hostkey_refused;
	pthread_mutex_unlock(&r->lock);
	return v;
}

/* The warnings seen so far. */
size_t
runner_warnings(struct runner *r, char ***lines)
{
	size_t i, n;

	pthread_mutex_lock(&r->lock);
	n = r->nwarnings;
	*lines = n > 0 ? xcalloc(n, sizeof **lines) : NULL;
	for (i = 0; i < n; i++)
		(*lines)[i] = xstrdup(r->warnings[i]);
	pthread_mutex_unlock(&r->lock);
	return n;
}
