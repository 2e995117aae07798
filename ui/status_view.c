/* status_view.c: the status screen: API readiness and version, issues
 * (most severe first), nodes, system pods with problem pods first,
 * certificate days, the Dashboard, the time of the last refresh. The query
 * runs in a background thread; its SSH prompts come back as dialogs. Keys:
 * r refresh, / filter, ? help, q or Esc back, arrows and pages scroll. */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "day2-prompts.h"
#include "events.h"
#include "i18n.h"
#include "status.h"
#include "status_view.h"
#include "tui.h"
#include "widgets.h"
#include "xmalloc.h"

/* Event key that says a refresh finished. */
#define STATUS_VIEW_DONE	"status-refreshed"

struct status_view {
	const struct cluster		*cl;
	struct status_query		 q;
	struct day2_prompts		 prompts;
	struct status_ctx		*ctx;
	struct event_queue		*queue;
	int				 watch;

	pthread_mutex_t			 lock;
	pthread_t			 thread;
	int				 running;	/* a refresh is under way */
	struct status_report		*incoming;	/* under lock */

	struct status_report		*report;	/* shown */
	double				 next;		/* next --watch refresh */
	char				*filter;
	int				 top;		/* scroll */
	int				 nlines;	/* of the last draw */
};

/* One line of the screen. */
struct status_line {
	attr_t	 attr;
	char	*text;
};

/* Lines being built for a draw. */
struct status_lines {
	struct status_line	*v;
	size_t			 n;
};

/* Add a line (text taken over). */
static void
status_view_add(struct status_lines *l, attr_t attr, char *text)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].attr = attr;
	l->v[l->n].text = text;
	l->n++;
}

/* Free built lines. */
static void
status_view_lines_free(struct status_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Whether a row made of these words matches the filter. */
static int
status_view_match(const struct status_view *v, const char *a, const char *b,
    const char *c, const char *d)
{
	const char *words[4] = { a, b, c, d };
	size_t i;

	if (v->filter == NULL || *v->filter == '\0')
		return 1;
	for (i = 0; i < 4; i++) {
		if (words[i] != NULL && strstr(words[i], v->filter) != NULL)
			return 1;
	}
	return 0;
}

/* Thread: one refresh. */
static void *
status_view_main(void *arg)
{
	struct status_view *v = arg;
	struct status_report *r = NULL;
	struct event *ev = NULL;

	r = status_ctx_refresh(v->ctx);
	pthread_mutex_lock(&v->lock);
	status_report_free(v->incoming);
	v->incoming = r;
	pthread_mutex_unlock(&v->lock);
	ev = event_new(EVENT_MESSAGE, -1, -1);
	ev->key = xstrdup(STATUS_VIEW_DONE);
	event_queue_push(v->queue, ev);
	return NULL;
}

/* Start a refresh unless one runs. */
static void
status_view_refresh(struct status_view *v)
{
	int error;

	if (v->running)
		return;
	error = pthread_create(&v->thread, NULL, status_view_main, v);
	if (error != 0) {
		tui_message(&tui_global, 1, _("cannot start the query: %s"),
		    strerror(error));
		return;
	}
	v->running = 1;
	tui_redraw(&tui_global);
}

/* The poll fd is readable: prompts and finished refreshes. */
static void
status_view_drain(void *arg)
{
	struct status_view *v = arg;
	struct event *ev = NULL;

	while ((ev = event_queue_pop(v->queue)) != NULL) {
		if (ev->type == EVENT_PROMPT && ev->prompt != NULL)
			day2_prompts_push(&v->prompts, ev->prompt);
		else if (ev->type == EVENT_MESSAGE && ev->key != NULL &&
		    strcmp(ev->key, STATUS_VIEW_DONE) == 0) {
			pthread_join(v->thread, NULL);
			v->running = 0;
			pthread_mutex_lock(&v->lock);
			if (v->incoming != NULL) {
				status_report_free(v->report);
				v->report = v->incoming;
				v->incoming = NULL;
			}
			pthread_mutex_unlock(&v->lock);
			v->next = tui_now() + STATUS_WATCH_INTERVAL;
		}
		event_free(ev);
		tui_redraw(&tui_global);
	}
}

/* The issues, nodes, pods, certificates and Dashboard as lines. */
static void
status_view_build(struct status_view *v, struct status_lines *l)
{
	const struct tui_glyphs *g = &tui_global.g;
	const struct status_report *r = v->report;
	const struct status_node *n = NULL;
	const struct status_pod *p = NULL;
	char age[16], ready[32], *s;
	const char *word = NULL;
	size_t i, shown;
	attr_t a;

	if (r == NULL) {
		status_view_add(l, tui_attr(TS_RUN), xstrdup(_("Querying the "
		    "cluster...")));
		return;
	}
	if (r->error == NULL)
		status_view_add(l, r->readyz ? tui_attr(TS_OK) :
		    tui_attr(TS_FAIL), xasprintf(_("%s API server %s%s%s, "
		    "version %s, asked %s"), r->readyz ? g->ok : g->fail,
		    r->readyz ? _("ready") : _("NOT ready"),
		    r->readyz_text != NULL ? ": " : "",
		    r->readyz_text != NULL ? r->readyz_text : "",
		    r->version != NULL ? r->version : "?",
		    r->host != NULL ? r->host : "?"));
	if (r->nissues == 0)
		status_view_add(l, tui_attr(TS_OK), xasprintf("%s %s", g->ok,
		    _("Healthy: every node Ready, system pods running.")));
	for (i = 0; i < r->nissues; i++) {
		if (r->issues[i].level == STATUS_BAD)
			status_view_add(l, tui_attr(TS_FAIL), xasprintf("%s %s",
			    g->fail, r->issues[i].text));
		else
			status_view_add(l, tui_attr(TS_WARN), xasprintf("! %s",
			    r->issues[i].text));
	}

	status_view_add(l, A_NORMAL, xstrdup(""));
	status_view_add(l, tui_attr(TS_TITLE), xstrdup(_("Nodes")));
	status_view_add(l, tui_attr(TS_DIM), xasprintf("  %-*s %-*s %-*s "
	    "%-*s %-*s %-*s %s", tui_padw(_("NAME"), 20), _("NAME"),
	    tui_padw(_("STATUS"), 13), _("STATUS"), tui_padw(_("ROLES"), 22),
	    _("ROLES"), tui_padw(_("VERSION"), 9), _("VERSION"),
	    tui_padw(_("ADDRESS"), 16), _("ADDRESS"), tui_padw(_("AGE"), 5),
	    _("AGE"), _("SSH")));
	for (i = 0; i < r->nnodes; i++) {
		n = &r->nodes[i];
		if (!n->in_api)
			word = _("NotRegistered");
		else if (strcmp(n->ready, "True") == 0)
			word = "Ready";
		else if (strcmp(n->ready, "False") == 0)
			word = "NotReady";
		else
			word = "Unknown";
		if (r->error != NULL)
			word = "?";
		if (!status_view_match(v, n->name, word, n->address,
		    status_reach_name(n->reach)))
			continue;
		a = strcmp(word, "Ready") == 0 && n->reach != STATUS_REACH_DOWN
		    && n->pressure == NULL ? A_NORMAL : tui_attr(TS_FAIL);
		if (n->created != 0)
			status_format_age((long)((r->now != 0 ? r->now :
			    r->refreshed) - n->created), age, sizeof age);
		else
			snprintf(age, sizeof age, "-");
		status_view_add(l, a, xasprintf("%s %-20s %-*s %-22s %-9s "
		    "%-16s %-5s %s%s%s", strcmp(word, "Ready") == 0 ? g->ok :
		    g->fail, n->name, tui_padw(word, 13), word, n->roles,
		    n->kubelet != NULL ? n->kubelet : "-",
		    n->address != NULL ? n->address : "-", age,
		    status_reach_name(n->reach), n->pressure != NULL ? "  " : "",
		    n->pressure != NULL ? n->pressure : ""));
	}

	status_view_add(l, A_NORMAL, xstrdup(""));
	status_view_add(l, tui_attr(TS_TITLE), xstrdup(_("System pods "
	    "(problems first)")));
	status_view_add(l, tui_attr(TS_DIM), xasprintf("  %-*s %-*s %-*s "
	    "%-*s %-*s %s", tui_padw(_("NAMESPACE"), 20), _("NAMESPACE"),
	    tui_padw(_("NAME"), 44), _("NAME"), tui_padw(_("STATUS"), 10),
	    _("STATUS"), tui_padw(_("READY"), 6), _("READY"),
	    tui_padw(_("RST"), 4), _("RST"), _("REASON")));
	for (i = shown = 0; i < r->npods; i++) {
		p = &r->pods[i];
		if (!status_view_match(v, p->ns, p->name, p->phase, p->reason))
			continue;
		snprintf(ready, sizeof ready, "%d/%d", p->ready, p->total);
		s = xasprintf("%s %-20s %-44s %-10s %-6s %-4d %s%s%s",
		    p->problem ? g->fail : g->ok, p->ns, p->name, p->phase,
		    ready, p->restarts, p->reason != NULL ? p->reason : "",
		    p->message != NULL ? ": " : "",
		    p->message != NULL ? p->message : "");
		status_view_add(l, p->problem ? tui_attr(TS_FAIL) : A_NORMAL,
		    s);
		shown++;
	}
	if (shown == 0)
		status_view_add(l, tui_attr(TS_DIM), xstrdup(_("  (none)")));

	if (r->ncerts > 0) {
		status_view_add(l, A_NORMAL, xstrdup(""));
		status_view_add(l, tui_attr(TS_TITLE),
		    xstrdup(_("Control-plane certificates")));
		for (i = 0; i < r->ncerts; i++) {
			if (!r->certs[i].known)
				s = xasprintf("  %-28s %s", r->certs[i].name,
				    _("missing"));
			else if (r->certs[i].days < 0)
				s = xasprintf("  %-28s %s", r->certs[i].name,
				    _("EXPIRED"));
			else
				s = xasprintf(_("  %-28s %ld days left"),
				    r->certs[i].name, r->certs[i].days);
			status_view_add(l, !r->certs[i].known ||
			    r->certs[i].days < STATUS_CERT_WARN_DAYS ?
			    tui_attr(TS_WARN) : A_NORMAL, s);
		}
	}
	if (r->dashboard_url != NULL) {
		status_view_add(l, A_NORMAL, xstrdup(""));
		if (r->dashboard_code != 0)
			status_view_add(l, tui_attr(TS_OK), xasprintf(_("%s "
			    "Dashboard %s answers (HTTP %d)"), g->ok,
			    r->dashboard_url, r->dashboard_code));
		else
			status_view_add(l, tui_attr(TS_FAIL), xasprintf(_("%s "
			    "Dashboard %s does not answer"), g->fail,
			    r->dashboard_url));
	}
}

/* Draw the screen. */
static void
status_view_draw(struct screen *s, int w, int h)
{
	struct status_view *v = s->data;
	struct status_lines l;
	char when[32], *title, *sub;
	struct tm tm;
	int y, page, i;

	title = xasprintf(_("kubewiz %s status of %s"), tui_global.g.hline,
	    v->cl->name);
	tui_frame(w, h, title, _("r refresh|/ filter|? help|q back"));
	free(title);

	if (v->report != NULL) {
		localtime_r(&v->report->refreshed, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	} else
		snprintf(when, sizeof when, "-");
	sub = xasprintf(_("Last refresh %s%s%s%s%s"), when,
	    v->running ? _(", refreshing...") : "",
	    v->watch ? _(", every few seconds") : "",
	    v->filter != NULL ? _(", filter: ") : "",
	    v->filter != NULL ? v->filter : "");
	tui_put(1, 1, w - 2, tui_attr(TS_DIM), sub);
	free(sub);

	memset(&l, 0, sizeof l);
	status_view_build(v, &l);
	v->nlines = (int)l.n;
	page = h - 4 - (tui_global.message != NULL ? 1 : 0);
	if (page < 1)
		page = 1;
	if (v->top > v->nlines - page)
		v->top = v->nlines - page;
	if (v->top < 0)
		v->top = 0;
	for (i = v->top, y = 2; i < (int)l.n && y < 2 + page; i++, y++)
		tui_put(y, 1, w - 2, l.v[i].attr, l.v[i].text);
	status_view_lines_free(&l);
}

/* Filter dialog callback. */
static void
status_view_filter_cb(void *arg, const char *text)
{
	struct status_view *v = arg;

	if (text == NULL)
		return;
	free(v->filter);
	v->filter = *text != '\0' ? xstrdup(text) : NULL;
	v->top = 0;
}

/* Handle a key. */
static int
status_view_key(struct screen *s, int key)
{
	struct status_view *v = s->data;
	int page = tui_global.h - 4;

	switch (key) {
	case 'r':
	case TUI_KEY(KEY_F(5)):
		status_view_refresh(v);
		return 1;
	case '/':
		dialog_input(&tui_global, _("Filter"), _("Show the nodes and "
		    "pods whose name, namespace, status or reason contains:"),
		    v->filter, status_view_filter_cb, v);
		return 1;
	case '?':
	case TUI_KEY(KEY_F(1)):
		dialog_message(&tui_global, _("Status keys"), _("r  refresh "
		    "now\n/  filter nodes and pods (empty: all)\n"
		    "Up, Down, PgUp, PgDn, Home, End  scroll\n"
		    "q, Esc  back\n\nProblem pods are listed first with their "
		    "reason. With --watch the screen refreshes every few "
		    "seconds."), NULL, NULL);
		return 1;
	case TUI_KEY(KEY_UP):
	case 'k':
		v->top--;
		return 1;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		v->top++;
		return 1;
	case TUI_KEY(KEY_PPAGE):
		v->top -= page;
		return 1;
	case TUI_KEY(KEY_NPAGE):
	case ' ':
		v->top += page;
		return 1;
	case TUI_KEY(KEY_HOME):
		v->top = 0;
		return 1;
	case TUI_KEY(KEY_END):
		v->top = v->nlines;
		return 1;
	case 'q':
	case TUI_ESC:
	case TUI_KEY_INTERRUPT:
	case TUI_KEY(KEY_F(10)):
		tui_global.quit = 1;
		return 1;
	}
	return 0;
}

/* About once a second: the --watch refresh. */
static void
status_view_tick(struct screen *s)
{
	struct status_view *v = s->data;

	if (v->watch && !v->running && v->prompts.ui.n == 0 &&
	    tui_now() >= v->next)
		status_view_refresh(v);
}

static const struct screen_ops status_view_ops = {
	.name = "status",
	.draw = status_view_draw,
	.key = status_view_key,
	.tick = status_view_tick,
};

/* SIGTERM/SIGHUP: stop the query and leave. */
static void
status_view_terminate(void *arg)
{
	struct status_view *v = arg;

	status_ctx_cancel(v->ctx);
	tui_global.quit = 1;
}

/* Show the status screen until the user leaves. */
int
ui_status(const struct kw_options *opts, const struct cluster *c,
    const struct status_query *q, int watch, char **cause)
{
	struct status_view *v = NULL;
	int code;

	if (tui_start(opts, cause) != 0)
		return -1;
	v = xcalloc(1, sizeof *v);
	v->cl = c;
	v->q = *q;
	v->watch = watch;
	v->queue = event_queue_new();
	day2_prompts_init(&v->prompts, c, v->queue);
	v->q.prompts = &v->prompts.ops;
	pthread_mutex_init(&v->lock, NULL);
	v->ctx = status_ctx_new(&v->q);

	tui_push(&tui_global, &status_view_ops, v, 0);
	tui_global.poll_fd = event_queue_fd(v->queue);
	tui_global.on_fd = status_view_drain;
	tui_global.fd_arg = v;
	tui_global.on_terminate = status_view_terminate;
	tui_global.terminate_arg = v;
	status_view_refresh(v);
	tui_run(&tui_global);

	/* Leaving: refuse prompts, stop a refresh under way. */
	day2_prompts_refuse(&v->prompts);
	if (v->running) {
		status_ctx_cancel(v->ctx);
		while (v->running) {
			struct event *ev = NULL;

			/* Answer prompts asked meanwhile, wait for the end. */
			while ((ev = event_queue_pop(v->queue)) == NULL) {
				struct pollfd pfd;

				pfd.fd = event_queue_fd(v->queue);
				pfd.events = POLLIN;
				poll(&pfd, 1, 200);
			}
			if (ev->type == EVENT_PROMPT && ev->prompt != NULL)
				prompt_answer(ev->prompt, 0, NULL);
			else if (ev->type == EVENT_MESSAGE)
				v->running = 0;
			event_free(ev);
		}
		pthread_join(v->thread, NULL);
	}
	tui_global.poll_fd = -1;
	tui_global.on_fd = NULL;
	tui_global.fd_arg = NULL;
	tui_global.on_terminate = NULL;
	tui_global.terminate_arg = NULL;
	tui_pop_all(&tui_global);
	tui_message(&tui_global, 0, NULL);

	code = v->report != NULL && status_level(v->report) != STATUS_BAD ?
	    KW_EXIT_OK : KW_EXIT_FAILED;
	status_ctx_free(v->ctx);
	status_report_free(v->report);
	status_report_free(v->incoming);
	day2_prompts_free(&v->prompts);
	free(v->filter);
	event_queue_free(v->queue);
	pthread_mutex_destroy(&v->lock);
	free(v);
	return code;
}
