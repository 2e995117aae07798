/* progress.c: the live install screen: a pane per node when they fit,
 * else a list with a detail pane; an overall bar; failures with retry,
 * skip and log; the engine's prompts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "events.h"
#include "i18n.h"
#include "prompts.h"
#include "screens.h"
#include "stage.h"
#include "tui.h"
#include "ui.h"
#include "widgets.h"
#include "xmalloc.h"

/* Lines of output kept per node in memory. */
#define PROGRESS_MAX_LINES 20000

struct prog_node {
	const struct cluster_node	*cn;		/* borrowed */
	int				 first;		/* first control plane */
	int				 applies[STAGE_COUNT];
	int				 nstages;
	enum task_state			 st[STAGE_COUNT];
	int				 exit_code[STAGE_COUNT];
	int				 cur;		/* stage shown, -1 */
	char				*step;		/* sub-step */
	char				*wait;		/* what it waits for */
	char				*error;		/* last failure text */
	char				*os;		/* facts, for the title */
	double				 start;		/* first RUNNING */
	double				 end;		/* all settled */
	double				 last_output;
	char				**lines;
	size_t				 nlines;
	size_t				 cap;
	size_t				 dropped;
};

struct progress {
	const struct cluster		*cl;
	struct ui_install_ops		 ops;
	struct event_queue		*queue;
	struct prog_node		*nodes;
	size_t				 n;
	double				 start;
	double				 end;
	int				 done;
	int				 exit_code;
	int				 stopping;
	char				*message;
	struct wlist			 l;
	struct pager			*pager;
	int				 pager_node;
	struct ui_prompts		 prompts;
	struct screen			*screen;
	int				 quit_when_done;
	int				 idle_told;
};

/* Seconds as m:ss or h:mm:ss into buf. */
static const char *
progress_fmt_time(double secs, char *buf, size_t len)
{
	long s = secs < 0 ? 0 : (long)secs;

	if (s >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
	return buf;
}

/* Whether a task state is final. */
static int
progress_settled(enum task_state s)
{
	return s == TASK_DONE || s == TASK_SKIPPED || s == TASK_FAILED ||
	    s == TASK_BLOCKED || s == TASK_CANCELLED;
}

/* A node's overall state. */
static enum task_state
progress_node_state(const struct prog_node *pn)
{
	int s, any_run = 0, any_wait = 0, all_ok = 1, any_block = 0,
	    any_cancel = 0, any_started = 0;

	for (s = 0; s < STAGE_COUNT; s++) {
		if (!pn->applies[s])
			continue;
		switch (pn->st[s]) {
		case TASK_FAILED:
			return TASK_FAILED;
		case TASK_RUNNING:
			any_run = 1;
			break;
		case TASK_WAITING:
			any_wait = 1;
			break;
		case TASK_BLOCKED:
			any_block = 1;
			break;
		case TASK_CANCELLED:
			any_cancel = 1;
			break;
		case TASK_DONE:
		case TASK_SKIPPED:
			any_started = 1;
			continue;
		default:
			break;
		}
		all_ok = 0;
	}
	if (any_run)
		return TASK_RUNNING;
	if (any_wait)
		return TASK_WAITING;
	if (all_ok)
		return TASK_DONE;
	if (any_block)
		return TASK_BLOCKED;
	if (any_cancel)
		return TASK_CANCELLED;
	return any_started ? TASK_WAITING : TASK_PENDING;
}

/* Word, glyph and style for a state: status never by colour alone. */
static const char *
progress_state_word(enum task_state s, const char **glyph, enum tui_style *ts)
{
	const struct tui_glyphs *g = &tui_global.g;

	switch (s) {
	case TASK_RUNNING:
		*glyph = g->run;
		*ts = TS_RUN;
		return _("RUN");
	case TASK_WAITING:
		*glyph = g->wait;
		*ts = TS_DIM;
		return _("WAIT");
	case TASK_DONE:
	case TASK_SKIPPED:
		*glyph = g->ok;
		*ts = TS_OK;
		return _("OK");
	case TASK_FAILED:
		*glyph = g->fail;
		*ts = TS_FAIL;
		return _("FAIL");
	case TASK_BLOCKED:
		*glyph = "-";
		*ts = TS_WARN;
		return _("BLOCKED");
	case TASK_CANCELLED:
		*glyph = "-";
		*ts = TS_WARN;
		return _("STOPPED");
	default:
		*glyph = " ";
		*ts = TS_DIM;
		return _("PENDING");
	}
}

/* k of n: the position of the current stage among the node's stages. */
static int
progress_stage_index(const struct prog_node *pn, int stage)
{
	int s, k = 0;

	for (s = 0; s <= stage && s < STAGE_COUNT; s++) {
		if (pn->applies[s])
			k++;
	}
	return k;
}

/* The failed stage of a node, or -1. */
static int
progress_failed_stage(const struct prog_node *pn)
{
	int s;

	for (s = 0; s < STAGE_COUNT; s++) {
		if (pn->applies[s] && pn->st[s] == TASK_FAILED)
			return s;
	}
	return -1;
}

/* Append an output line to a node. */
static void
progress_add_line(struct progress *p, size_t node, const char *text)
{
	struct prog_node *pn = &p->nodes[node];
	size_t i, drop;

	if (pn->nlines == PROGRESS_MAX_LINES) {
		drop = PROGRESS_MAX_LINES / 4;
		for (i = 0; i < drop; i++)
			free(pn->lines[i]);
		memmove(pn->lines, pn->lines + drop,
		    (pn->nlines - drop) * sizeof *pn->lines);
		pn->nlines -= drop;
		pn->dropped += drop;
	}
	if (pn->nlines == pn->cap) {
		pn->cap = pn->cap == 0 ? 64 : pn->cap * 2;
		pn->lines = xreallocarray(pn->lines, pn->cap, sizeof *pn->lines);
	}
	pn->lines[pn->nlines++] = xstrdup(text != NULL ? text : "");
	if (p->pager != NULL && p->pager_node == (int)node &&
	    pager_is_open(&tui_global, p->pager))
		pager_add(p->pager, text != NULL ? text : "",
		    text != NULL ? strlen(text) : 0);
}

/* Replace a string. */
static void
progress_set(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL ? xstrdup(s) : NULL;
}

static int	progress_idle(struct progress *);

/* The line that best explains a failure: the stage's last "error" line
 * (kw_die prints "kubewiz: error: ..."), else its last output line. */
static const char *
progress_reason(const struct prog_node *pn)
{
	const char *last = NULL, *l;
	size_t i, seen = 0;

	for (i = pn->nlines; i > 0 && seen < 200; i--, seen++) {
		l = pn->lines[i - 1];
		if (strncmp(l, "=== ", 4) == 0)
			break;		/* the start of this stage */
		if (strncmp(l, "--- ", 4) == 0 || *l == '\0')
			continue;
		if (strstr(l, "error") != NULL || strstr(l, "ERROR") != NULL)
			return l;
		if (last == NULL)
			last = l;
	}
	return last;
}

/* Apply an engine event to the model. */
static void
progress_event(struct progress *p, const struct event *ev)
{
	struct prog_node *pn = NULL;
	const char *reason, *text = NULL;
	char *line;
	double now = tui_now();
	int s, all;

	if (ev->node >= 0 && (size_t)ev->node < p->n)
		pn = &p->nodes[ev->node];
	s = ev->stage;
	switch (ev->type) {
	case EVENT_TASK_STATE:
		if (pn == NULL || s < 0 || s >= STAGE_COUNT)
			break;
		pn->st[s] = ev->state;
		pn->exit_code[s] = ev->exit_code;
		switch (ev->state) {
		case TASK_RUNNING:
			pn->cur = s;
			if (pn->start == 0)
				pn->start = now;
			pn->end = 0;
			pn->last_output = now;
			progress_set(&pn->wait, NULL);
			progress_set(&pn->step, NULL);
			progress_set(&pn->error, NULL);
			line = xasprintf("=== %s ===", stage_label(s));
			progress_add_line(p, ev->node, line);
			free(line);
			break;
		case TASK_WAITING:
			progress_set(&pn->wait, ev->text != NULL ? ev->text :
			    _("waiting"));
			break;
		case TASK_FAILED:
			pn->cur = s;
			/* The engine's text unless it only repeats the exit
			 * status; then the stage's own last words. */
			reason = progress_reason(pn);
			line = xasprintf(_("exit status %d"), ev->exit_code);
			if (ev->text != NULL && (reason == NULL ||
			    strcmp(ev->text, line) != 0))
				progress_set(&pn->error, ev->text);
			else if (reason != NULL)
				progress_set(&pn->error, reason);
			free(line);
			line = xasprintf(_("=== %s failed (exit %d)%s%s ==="),
			    stage_label(s), ev->exit_code,
			    ev->text != NULL ? ": " : "",
			    ev->text != NULL ? ev->text : "");
			progress_add_line(p, ev->node, line);
			free(line);
			progress_set(&pn->step, NULL);
			break;
		case TASK_BLOCKED:
			progress_set(&pn->wait, ev->text);
			break;
		default:
			if (progress_settled(ev->state))
				progress_set(&pn->step, NULL);
			break;
		}
		all = 1;
		for (s = 0; s < STAGE_COUNT; s++) {
			if (pn->applies[s] && !progress_settled(pn->st[s]))
				all = 0;
		}
		if (all && pn->end == 0)
			pn->end = now;
		break;
	case EVENT_TASK_STEP:
		if (pn == NULL)
			break;
		if (s >= 0 && s < STAGE_COUNT)
			pn->cur = s;
		/* The engine translated the step (src/markers.c). */
		text = ev->text;
		progress_set(&pn->step, text);
		line = xasprintf("--- %s", text != NULL ? text : "");
		progress_add_line(p, ev->node, line);
		free(line);
		break;
	case EVENT_TASK_LOG:
		if (pn == NULL)
			break;
		pn->last_output = now;
		progress_add_line(p, ev->node, ev->text);
		break;
	case EVENT_TASK_WARN:
		if (pn == NULL)
			break;
		line = xasprintf(_("warning: %s"), ev->text != NULL ?
		    ev->text : "");
		progress_add_line(p, ev->node, line);
		free(line);
		break;
	case EVENT_FACT:
		if (pn == NULL || ev->key == NULL || ev->text == NULL)
			break;
		if (strcmp(ev->key, "os_id") == 0)
			progress_set(&pn->os, ev->text);
		break;
	case EVENT_MESSAGE:
		progress_set(&p->message, ev->text);
		break;
	case EVENT_PROMPT:
		if (ev->prompt == NULL)
			break;
		ui_prompts_push(&p->prompts, ev->prompt,
		    ev->prompt->node >= 0 && (size_t)ev->prompt->node < p->n ?
		    p->nodes[ev->prompt->node].cn->name : NULL);
		break;
	case EVENT_RUN_DONE:
		p->done = 1;
		p->exit_code = ev->exit_code;
		p->end = now;
		break;
	}
}

/* Whether every node finished all its tasks. */
static int
progress_all_ok(struct progress *p, int *ready)
{
	size_t i;
	int ok = 1, r;

	for (i = 0; i < p->n; i++) {
		r = progress_node_state(&p->nodes[i]) == TASK_DONE;
		if (ready != NULL)
			ready[i] = r;
		if (!r)
			ok = 0;
	}
	return ok;
}

/* Drain the engine's queue (the loop calls this when its fd polls). */
static void
progress_drain(void *arg)
{
	struct progress *p = arg;
	struct event *ev;
	int *ready;

	while ((ev = event_queue_pop(p->queue)) != NULL) {
		progress_event(p, ev);
		tui_dispatch_event(&tui_global, ev);
		if (ev->type == EVENT_RUN_DONE) {
			if (p->stopping || p->quit_when_done) {
				tui_global.quit = 1;
			} else if (ev->exit_code == KW_EXIT_OK) {
				ready = xcalloc(p->n + 1, sizeof *ready);
				progress_all_ok(p, ready);
				summary_open(&tui_global, p->cl, &p->ops, ready);
				free(ready);
			} else {
				tui_message(&tui_global, 1, _("The install "
				    "ended with failures: r retries the "
				    "selected node, q leaves (state is saved "
				    "for resume)."));
			}
		}
		event_free(ev);
	}
	if (!p->done && !p->stopping && progress_idle(p)) {
		if (!p->idle_told)
			tui_message(&tui_global, 1, _("A task failed: select "
			    "its node, then r retries, s skips a worker, Enter "
			    "shows the log, q leaves (state is saved)."));
		p->idle_told = 1;
	} else
		p->idle_told = 0;
}

/* Status line of a node: "RUN > 4/9 runtime 1:23". */
static char *
progress_status_text(const struct prog_node *pn, double now)
{
	enum task_state st = progress_node_state(pn);
	enum tui_style ts;
	const char *glyph, *word;
	char el[32];
	int stage = pn->cur;

	word = progress_state_word(st, &glyph, &ts);
	progress_fmt_time(pn->start == 0 ? 0 : (pn->end != 0 ? pn->end :
	    now) - pn->start, el, sizeof el);
	if (st == TASK_FAILED)
		stage = progress_failed_stage(pn);
	if (stage < 0)
		return xasprintf("%s %s  0/%d  %s", word, glyph, pn->nstages,
		    el);
	return xasprintf("%s %s  %d/%d %s  %s", word, glyph,
	    progress_stage_index(pn, stage), pn->nstages, stage_label(stage),
	    el);
}

/* Second line of a node: sub-step, what it waits for, or the failure. */
static char *
progress_detail_text(const struct prog_node *pn, double now)
{
	enum task_state st = progress_node_state(pn);
	int fs;

	if (st == TASK_FAILED) {
		fs = progress_failed_stage(pn);
		return xasprintf(_("%s failed (exit %d)%s%s"), stage_label(fs),
		    pn->exit_code[fs], pn->error != NULL ? ": " : "",
		    pn->error != NULL ? pn->error : "");
	}
	if (st == TASK_RUNNING) {
		if (pn->step != NULL)
			return xasprintf(_("%s  (output %lds)"), pn->step,
			    (long)(now - pn->last_output));
		return xasprintf(_("last output %lds ago"),
		    (long)(now - pn->last_output));
	}
	if (pn->wait != NULL && (st == TASK_WAITING || st == TASK_BLOCKED))
		return xstrdup(pn->wait);
	if (st == TASK_DONE)
		return xstrdup(_("all stages done"));
	return xstrdup("");
}

/* Draw the node's stages as "glyph name" words, wrapped; returns the
 * next free line. */
static int
progress_draw_checklist(const struct prog_node *pn, int y, int x, int w)
{
	enum tui_style ts;
	const char *glyph;
	char *word;
	int s, cx = 0, len;

	for (s = 0; s < STAGE_COUNT; s++) {
		if (!pn->applies[s])
			continue;
		progress_state_word(pn->st[s], &glyph, &ts);
		if (pn->st[s] == TASK_PENDING)
			glyph = ".";
		word = xasprintf("%s%s", glyph, stage_label(s));
		len = tui_strwidth(word);
		if (cx > 0 && cx + 1 + len > w) {
			y++;
			cx = 0;
		}
		if (cx > 0)
			cx++;
		tui_put(y, x + cx, w - cx, tui_attr(ts), word);
		cx += len;
		free(word);
	}
	return y + 1;
}

/* Draw one node pane. */
static void
progress_draw_pane(struct progress *p, size_t i, int y, int x, int h, int w,
    int selected, double now)
{
	struct prog_node *pn = &p->nodes[i];
	enum task_state st = progress_node_state(pn);
	enum tui_style ts;
	const char *glyph;
	char *title, *s, **lines = NULL;
	int ty, k, tail;
	size_t from, n;

	progress_state_word(st, &glyph, &ts);
	title = xasprintf("%s%s %s %s", selected ? "> " : "", pn->cn->name,
	    pn->cn->address, cluster_role_name(pn->cn->role));
	tui_box(y, x, h, w, selected ? A_BOLD : tui_attr(TS_DIM), title);
	free(title);
	s = progress_status_text(pn, now);
	tui_put(y + 1, x + 2, w - 4, tui_attr(ts), s);
	free(s);
	s = progress_detail_text(pn, now);
	ty = y + 2;
	if (st == TASK_FAILED && h >= 9) {
		/* The reason of a failure gets up to three lines. */
		n = wrap_text(s, w - 4, &lines);
		for (k = 0; k < (int)n; k++) {
			if (k < 3)
				tui_put(ty++, x + 2, w - 4, tui_attr(TS_FAIL),
				    lines[k]);
			free(lines[k]);
		}
		free(lines);
	} else
		tui_put(ty++, x + 2, w - 4, st == TASK_FAILED ?
		    tui_attr(TS_FAIL) : A_NORMAL, s);
	free(s);
	if (h >= 14)
		ty = progress_draw_checklist(pn, ty, x + 2, w - 4);
	tail = y + h - 1 - ty;
	from = pn->nlines > (size_t)tail ? pn->nlines - tail : 0;
	for (k = 0; k < tail && from + k < pn->nlines; k++, ty++)
		tui_put(ty, x + 2, w - 4, tui_attr(TS_DIM), pn->lines[from + k]);
	if (selected)
		tui_cursor(&tui_global, y, x + 1);
}

/* Draw the list row of a node. */
static void
progress_draw_row(struct progress *p, size_t i, int y, int w, int selected,
    double now)
{
	struct prog_node *pn = &p->nodes[i];
	enum task_state st = progress_node_state(pn);
	enum tui_style ts;
	const char *glyph, *word;
	char *s, el[32];
	int stage = st == TASK_FAILED ? progress_failed_stage(pn) : pn->cur;
	attr_t a = selected ? tui_attr(TS_SELECT) : A_NORMAL;

	word = progress_state_word(st, &glyph, &ts);
	progress_fmt_time(pn->start == 0 ? 0 : (pn->end != 0 ? pn->end :
	    now) - pn->start, el, sizeof el);
	if (selected)
		tui_fill(y, 0, w, a);
	tui_put(y, 1, 1, selected ? a : tui_attr(ts), glyph);
	s = xasprintf("%-*s", tui_padw(word, 7), word);
	tui_put(y, 3, 7, selected ? a : tui_attr(ts), s);
	free(s);
	tui_put(y, 11, 14, a, pn->cn->name);
	if (stage >= 0)
		s = xasprintf("%2d/%-2d %-*s %5s", progress_stage_index(pn, stage),
		    pn->nstages, tui_padw(stage_label(stage), 9),
		    stage_label(stage), el);
	else
		s = xasprintf("%2d/%-2d %-9s %5s", 0, pn->nstages, "", el);
	tui_put(y, 26, w - 28, a, s);
	free(s);
	if (selected)
		tui_cursor(&tui_global, y, 1);
}

/* Draw the list with a detail pane for the selected node. */
static void
progress_draw_list(struct progress *p, int y, int h, int w, double now)
{
	int lw = 50, rows = h, i, yy;

	p->l.n = (int)p->n;
	wlist_fix(&p->l, rows);
	for (i = p->l.top, yy = y; i < (int)p->n && yy < y + rows; i++, yy++)
		progress_draw_row(p, (size_t)i, yy, lw, i == p->l.sel, now);
	if (p->l.top > 0)
		tui_put(y, lw - 3, 2, tui_attr(TS_DIM), "^");
	if (p->l.top + rows < (int)p->n)
		tui_put(y + rows - 1, lw - 3, 2, tui_attr(TS_DIM), "v");
	progress_draw_pane(p, (size_t)p->l.sel, y, lw, h, w - lw, 0, now);
	tui_cursor(&tui_global, y + p->l.sel - p->l.top, 1);
}

/* Draw the progress screen. */
static void
progress_draw(struct screen *s, int w, int h)
{
	struct progress *p = s->data;
	const struct tui_glyphs *g = &tui_global.g;
	double now = p->done ? p->end : tui_now();
	int total = 0, done = 0, failed = 0, running = 0, bw, fill, i, body,
	    cols, rows, ph, pw, r, c, st;
	size_t k;
	char *title, *line, el[32];
	const char *hints;

	for (k = 0; k < p->n; k++) {
		for (st = 0; st < STAGE_COUNT; st++) {
			if (!p->nodes[k].applies[st])
				continue;
			total++;
			if (p->nodes[k].st[st] == TASK_DONE ||
			    p->nodes[k].st[st] == TASK_SKIPPED)
				done++;
			if (p->nodes[k].st[st] == TASK_FAILED)
				failed++;
			if (p->nodes[k].st[st] == TASK_RUNNING)
				running++;
		}
	}
	title = xasprintf(_("kubewiz install %s %s: %zu nodes, Kubernetes %s"),
	    g->hline, p->cl->name, p->n, p->cl->kubernetes.version);
	if (p->done)
		hints = _("Up/Down select|Enter log|r retry|s skip worker|"
		    "q leave");
	else
		hints = _("Up/Down select|Enter log|r retry|s skip worker|"
		    "q stop");
	tui_frame(w, h, title, hints);
	free(title);

	/* Overall bar. */
	bw = w / 3;
	fill = total > 0 ? done * bw / total : 0;
	tui_put(1, 1, 1, A_NORMAL, "[");
	for (i = 0; i < bw; i++)
		tui_put(1, 2 + i, 1, i < fill ? tui_attr(TS_OK) :
		    tui_attr(TS_DIM), i < fill ? g->bar_full : g->bar_empty);
	tui_put(1, 2 + bw, 1, A_NORMAL, "]");
	progress_fmt_time(now - p->start, el, sizeof el);
	line = xasprintf(_("%d/%d tasks  %d%%  elapsed %s  running %d  "
	    "failed %d%s"), done, total, total > 0 ? done * 100 / total : 0,
	    el, running, failed, p->done ? (p->exit_code == 0 ?
	    _("  finished") : _("  ended")) : (p->stopping ?
	    _("  stopping...") : ""));
	tui_put(1, 4 + bw, w - 5 - bw, failed > 0 ? tui_attr(TS_FAIL) :
	    A_NORMAL, line);
	free(line);
	if (p->message != NULL)
		tui_put(2, 1, w - 2, tui_attr(TS_DIM), p->message);

	/* Panes when they fit, else a list and a detail pane. */
	body = h - 5;
	cols = w / 40;
	if (cols < 1)
		cols = 1;
	if ((size_t)cols > p->n)
		cols = (int)p->n;
	rows = cols > 0 ? ((int)p->n + cols - 1) / cols : 1;
	p->l.n = (int)p->n;
	if (p->n > 0 && rows * 7 <= body) {
		ph = body / rows;
		pw = w / cols;
		wlist_fix(&p->l, (int)p->n);
		for (k = 0; k < p->n; k++) {
			r = (int)k / cols;
			c = (int)k % cols;
			progress_draw_pane(p, k, 3 + r * ph, c * pw, ph,
			    c == cols - 1 ? w - c * pw : pw,
			    (int)k == p->l.sel, now);
		}
		/* Redraw the selected pane's cursor last. */
		r = p->l.sel / cols;
		c = p->l.sel % cols;
		tui_cursor(&tui_global, 3 + r * ph, c * pw + 1);
	} else if (p->n > 0)
		progress_draw_list(p, 3, body, w, now);
}

/* The log of the selected node in the pager (live). */
static void
progress_open_log(struct progress *p)
{
	struct prog_node *pn;
	char *title, *path = NULL;
	size_t i;
	int st;

	if (p->n == 0)
		return;
	pn = &p->nodes[p->l.sel];
	st = progress_failed_stage(pn);
	if (st < 0)
		st = pn->cur;
	if (p->ops.log_path != NULL && st >= 0)
		path = p->ops.log_path(p->ops.arg, p->l.sel, st);
	if (path != NULL)
		title = xasprintf(_("Log of %s (%s)"), pn->cn->name, path);
	else
		title = xasprintf(_("Log of %s"), pn->cn->name);
	p->pager = pager_open(&tui_global, title, 1);
	p->pager_node = p->l.sel;
	free(title);
	free(path);
	if (pn->dropped > 0) {
		title = xasprintf(_("(%zu earlier lines are only in the log "
		    "files)"), pn->dropped);
		pager_add(p->pager, title, strlen(title));
		free(title);
	}
	for (i = 0; i < pn->nlines; i++)
		pager_add(p->pager, pn->lines[i], strlen(pn->lines[i]));
}

/* Whether the run only waits for the operator: nothing runs and some
 * task failed. */
static int
progress_idle(struct progress *p)
{
	size_t i;
	int s, failed = 0;

	for (i = 0; i < p->n; i++) {
		for (s = 0; s < STAGE_COUNT; s++) {
			if (!p->nodes[i].applies[s])
				continue;
			if (p->nodes[i].st[s] == TASK_RUNNING)
				return 0;
			if (p->nodes[i].st[s] == TASK_FAILED)
				failed = 1;
		}
	}
	return failed;
}

/* Stop confirmation. */
static void
progress_stop_cb(void *arg, int yes)
{
	struct progress *p = arg;

	if (!yes)
		return;
	if (p->done) {
		tui_global.quit = 1;
		return;
	}
	p->stopping = 1;
	p->quit_when_done = 1;
	ui_prompts_refuse(&p->prompts);
	if (progress_idle(p) && p->ops.finish != NULL)
		p->ops.finish(p->ops.arg);
	else if (p->ops.cancel != NULL)
		p->ops.cancel(p->ops.arg);
	else
		tui_global.quit = 1;
}

/* Retry the selected node's failed stage. */
static void
progress_retry(struct progress *p)
{
	struct prog_node *pn = &p->nodes[p->l.sel];
	char *cause = NULL;
	int st = progress_failed_stage(pn);

	if (st < 0) {
		tui_message(&tui_global, 1, _("%s has no failed stage to "
		    "retry."), pn->cn->name);
		return;
	}
	if (p->ops.retry == NULL) {
		tui_message(&tui_global, 1, _("Retry is not available here."));
		return;
	}
	if (p->ops.retry(p->ops.arg, p->l.sel, st, &cause) != 0) {
		tui_message(&tui_global, 1, _("Cannot retry: %s"), cause);
		free(cause);
		return;
	}
	p->done = 0;
	tui_message(&tui_global, 0, _("Retrying %s on %s."), stage_label(st),
	    pn->cn->name);
}

/* Skip-worker confirmation. */
static void
progress_skip_cb(void *arg, int yes)
{
	struct progress *p = arg;
	char *cause = NULL;

	if (!yes)
		return;
	if (p->ops.skip_node(p->ops.arg, p->l.sel, &cause) != 0) {
		tui_message(&tui_global, 1, _("Cannot skip: %s"), cause);
		free(cause);
	}
}

/* Skip the selected worker. */
static void
progress_skip(struct progress *p)
{
	struct prog_node *pn = &p->nodes[p->l.sel];
	char *text;

	if (pn->cn->role != ROLE_WORKER) {
		tui_message(&tui_global, 1, _("Only workers can be skipped; "
		    "%s is a control plane."), pn->cn->name);
		return;
	}
	if (p->ops.skip_node == NULL) {
		tui_message(&tui_global, 1, _("Skip is not available here."));
		return;
	}
	text = xasprintf(_("Go on without %s? It will not join the cluster; "
	    "add it later with 'kubewiz install' again."), pn->cn->name);
	dialog_yesno(&tui_global, _("Skip worker"), text, progress_skip_cb, p);
	free(text);
}

/* Keys of the progress screen. */
static int
progress_key(struct screen *s, int key)
{
	struct progress *p = s->data;
	int cols = tui_global.w / 40;
	char *text;

	if (cols < 1)
		cols = 1;
	switch (key) {
	case TUI_KEY(KEY_UP):
	case TUI_KEY(KEY_DOWN):
	case TUI_KEY(KEY_PPAGE):
	case TUI_KEY(KEY_NPAGE):
	case TUI_KEY(KEY_HOME):
	case TUI_KEY(KEY_END):
	case 'j':
	case 'k':
		p->l.n = (int)p->n;
		wlist_key(&p->l, key, tui_global.h - 5);
		return 1;
	case '\t':
	case TUI_KEY(KEY_RIGHT):
		if (p->l.sel + 1 < (int)p->n)
			p->l.sel++;
		return 1;
	case TUI_KEY(KEY_BTAB):
	case TUI_KEY(KEY_LEFT):
		if (p->l.sel > 0)
			p->l.sel--;
		return 1;
	case '\r':
	case '\n':
	case TUI_KEY(KEY_ENTER):
	case 'l':
	case TUI_KEY(KEY_F(3)):
		progress_open_log(p);
		return 1;
	case 'r':
		progress_retry(p);
		return 1;
	case 's':
		progress_skip(p);
		return 1;
	case 'q':
	case TUI_KEY_INTERRUPT:
	case TUI_KEY(KEY_F(10)):
		if (p->done) {
			tui_global.quit = 1;
			return 1;
		}
		if (p->stopping)
			return 1;
		if (progress_idle(p))
			text = xasprintf(_("Leave with failed tasks? The state "
			    "is saved; continue later with 'kubewiz resume "
			    "%s'."), p->cl->name);
		else
			text = xasprintf(_("Stop the install? Running commands "
			    "are cancelled and the state is saved; continue "
			    "later with 'kubewiz resume %s'."), p->cl->name);
		dialog_yesno(&tui_global, _("Stop"), text, progress_stop_cb, p);
		free(text);
		return 1;
	}
	return 0;
}

/* Redraw every second for the clocks. */
static void
progress_tick(struct screen *s)
{
	struct progress *p = s->data;

	if (!p->done)
		tui_redraw(&tui_global);
}

/* Forget the screen. */
static void
progress_free(struct screen *s)
{
	struct progress *p = s->data;

	p->screen = NULL;
}

static const struct screen_ops progress_ops = {
	.name = "progress",
	.free = progress_free,
	.draw = progress_draw,
	.key = progress_key,
	.tick = progress_tick,
};

/* SIGTERM or SIGHUP while running: stop the engine, then leave. */
static void
progress_terminate(void *arg)
{
	struct progress *p = arg;

	p->quit_when_done = 1;
	if (p->done) {
		tui_global.quit = 1;
		return;
	}
	p->stopping = 1;
	ui_prompts_refuse(&p->prompts);
	if (p->ops.cancel != NULL)
		p->ops.cancel(p->ops.arg);
	else
		tui_global.quit = 1;
}

/* Free the model. */
static void
progress_destroy(struct progress *p)
{
	size_t i, k;

	for (i = 0; i < p->n; i++) {
		for (k = 0; k < p->nodes[i].nlines; k++)
			free(p->nodes[i].lines[k]);
		free(p->nodes[i].lines);
		free(p->nodes[i].step);
		free(p->nodes[i].wait);
		free(p->nodes[i].error);
		free(p->nodes[i].os);
	}
	free(p->nodes);
	ui_prompts_free(&p->prompts);
	free(p->message);
	free(p);
}

/* Run the progress screen until the run ends and the user leaves. */
int
ui_install(const struct kw_options *opts, const struct cluster *cl,
    struct event_queue *queue, const struct ui_install_ops *ops, char **cause)
{
	struct progress *p;
	const struct cluster_node *first;
	size_t i;
	int s, rc;

	if (tui_start(opts, cause) != 0)
		return -1;
	p = xcalloc(1, sizeof *p);
	p->cl = cl;
	p->ops = *ops;
	p->queue = queue;
	p->start = tui_now();
	p->exit_code = KW_EXIT_FAILED;
	p->n = cl->nnodes;
	p->nodes = xcalloc(p->n + 1, sizeof *p->nodes);
	first = cluster_first_control_plane(cl);
	for (i = 0; i < p->n; i++) {
		p->nodes[i].cn = &cl->nodes[i];
		p->nodes[i].first = &cl->nodes[i] == first;
		p->nodes[i].cur = -1;
		for (s = 0; s < STAGE_COUNT; s++) {
			switch (stage_where(s)) {
			case STAGE_ON_ALL:
				p->nodes[i].applies[s] = 1;
				break;
			case STAGE_ON_FIRST:
				p->nodes[i].applies[s] = p->nodes[i].first;
				break;
			case STAGE_ON_OTHERS:
				p->nodes[i].applies[s] = !p->nodes[i].first;
				break;
			}
			if (p->nodes[i].applies[s])
				p->nodes[i].nstages++;
		}
	}
	p->screen = tui_push(&tui_global, &progress_ops, p, 0);
	tui_global.poll_fd = event_queue_fd(queue);
	tui_global.on_fd = progress_drain;
	tui_global.fd_arg = p;
	tui_global.on_terminate = progress_terminate;
	tui_global.terminate_arg = p;

	progress_drain(p);
	tui_run(&tui_global);

	ui_prompts_refuse(&p->prompts);
	tui_global.poll_fd = -1;
	tui_global.on_fd = NULL;
	tui_global.fd_arg = NULL;
	tui_global.on_terminate = NULL;
	tui_global.terminate_arg = NULL;
	tui_pop_all(&tui_global);
	tui_message(&tui_global, 0, NULL);
	rc = p->done ? p->exit_code : KW_EXIT_FAILED;
	progress_destroy(p);
	return rc;
}
