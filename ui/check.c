/* check.c: the wizard's live node check: connect and preflight on every
 * node in parallel (nothing is changed), shown as a matrix of reachable,
 * root, OS, CPUs, memory and swap, with host keys to accept. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "events.h"
#include "i18n.h"
#include "install.h"
#include "prompts.h"
#include "screens.h"
#include "tui.h"
#include "widgets.h"
#include "xmalloc.h"

/* What is known of one node. */
struct check_node {
	enum task_state	 connect;
	enum task_state	 preflight;
	char		*os;
	char		*cpus;
	char		*mem;
	char		*swap;
	char		*root;
	char		*reason;	/* why a stage failed */
};

struct check {
	struct cluster		*cl;		/* a copy */
	struct check_node	*nodes;
	struct event_queue	*q;
	struct install		*inst;
	struct ui_prompts	 prompts;
	struct wlist		 l;
	int			 done;
	int			 closing;
	int			 code;
	struct screen		*screen;
	int			 saved_fd;
	void			(*saved_on_fd)(void *);
	void			*saved_fd_arg;
};

/* Replace a string. */
static void
check_set(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL ? xstrdup(s) : NULL;
}

/* Give the loop back its previous fd and free the run. */
static void
check_release(struct check *c)
{
	size_t i;

	tui_global.poll_fd = c->saved_fd;
	tui_global.on_fd = c->saved_on_fd;
	tui_global.fd_arg = c->saved_fd_arg;
	ui_prompts_free(&c->prompts);
	install_free(c->inst);
	event_queue_free(c->q);
	for (i = 0; i < c->cl->nnodes; i++) {
		free(c->nodes[i].os);
		free(c->nodes[i].cpus);
		free(c->nodes[i].mem);
		free(c->nodes[i].swap);
		free(c->nodes[i].root);
		free(c->nodes[i].reason);
	}
	free(c->nodes);
	cluster_free(c->cl);
	free(c);
}

/* Apply an event. */
static void
check_event(struct check *c, const struct event *ev)
{
	struct check_node *cn = NULL;
	char *s;

	if (ev->node >= 0 && (size_t)ev->node < c->cl->nnodes)
		cn = &c->nodes[ev->node];
	switch (ev->type) {
	case EVENT_TASK_STATE:
		if (cn == NULL)
			break;
		if (ev->stage == STAGE_CONNECT)
			cn->connect = ev->state;
		else if (ev->stage == STAGE_PREFLIGHT)
			cn->preflight = ev->state;
		if (ev->state == TASK_FAILED && ev->text != NULL)
			check_set(&cn->reason, ev->text);
		break;
	case EVENT_TASK_LOG:
		/* The last error-looking line explains a failure. */
		if (cn != NULL && ev->text != NULL &&
		    strstr(ev->text, "error") != NULL)
			check_set(&cn->reason, ev->text);
		break;
	case EVENT_FACT:
		if (cn == NULL || ev->key == NULL || ev->text == NULL)
			break;
		if (strcmp(ev->key, "os_id") == 0) {
			s = cn->os != NULL ? xasprintf("%s %s", ev->text, cn->os) :
			    xstrdup(ev->text);
			free(cn->os);
			cn->os = s;
		} else if (strcmp(ev->key, "os_version") == 0) {
			s = cn->os != NULL ? xasprintf("%s %s", cn->os, ev->text) :
			    xstrdup(ev->text);
			free(cn->os);
			cn->os = s;
		} else if (strcmp(ev->key, "cpus") == 0)
			check_set(&cn->cpus, ev->text);
		else if (strcmp(ev->key, "mem_mb") == 0) {
			s = xasprintf("%s MB", ev->text);
			free(cn->mem);
			cn->mem = s;
		} else if (strcmp(ev->key, "swap_on") == 0)
			check_set(&cn->swap, strcmp(ev->text, "0") == 0 ||
			    strcmp(ev->text, "no") == 0 ? _("off") : _("on"));
		else if (strcmp(ev->key, "root_method") == 0)
			check_set(&cn->root, ev->text);
		break;
	case EVENT_PROMPT:
		if (ev->prompt != NULL)
			ui_prompts_push(&c->prompts, ev->prompt,
			    cn != NULL ? c->cl->nodes[ev->node].name : NULL);
		break;
	case EVENT_RUN_DONE:
		c->done = 1;
		c->code = ev->exit_code;
		break;
	default:
		break;
	}
}

/* Drain the check's events. */
static void
check_drain(void *arg)
{
	struct check *c = arg;
	struct event *ev;

	while ((ev = event_queue_pop(c->q)) != NULL) {
		check_event(c, ev);
		event_free(ev);
	}
	tui_redraw(&tui_global);
	if (c->done && c->closing && c->screen != NULL)
		tui_pop(&tui_global, c->screen);
}

/* A cell: the word for a stage state. */
static const char *
check_word(enum task_state s, enum tui_style *ts)
{
	switch (s) {
	case TASK_DONE:
	case TASK_SKIPPED:
		*ts = TS_OK;
		return tui_global.g.ok;
	case TASK_FAILED:
		*ts = TS_FAIL;
		return _("FAIL");
	case TASK_RUNNING:
		*ts = TS_RUN;
		return _("...");
	case TASK_BLOCKED:
	case TASK_CANCELLED:
		*ts = TS_WARN;
		return "-";
	default:
		*ts = TS_DIM;
		return "";
	}
}

/* Draw the matrix. */
static void
check_draw(struct screen *s, int w, int h)
{
	struct check *c = s->data;
	struct check_node *cn;
	enum tui_style ts;
	const char *word;
	char *line;
	int y, i, rows = h - 7, failed = 0;
	size_t k;

	tui_frame(w, h, _("kubewiz install: checking the nodes (nothing is "
	    "changed)"), c->done ? _("Up/Down scroll|Esc back to the wizard") :
	    _("Up/Down scroll|Esc stop the check"));
	tui_put(2, 1, w - 2, tui_attr(TS_TITLE),
	    _("Node               SSH   Root    Preflight  OS              "
	    "CPUs  Memory     Swap"));
	c->l.n = (int)c->cl->nnodes;
	wlist_fix(&c->l, rows);
	for (y = 3, i = c->l.top; i < (int)c->cl->nnodes && y < 3 + rows;
	    i++, y++) {
		cn = &c->nodes[i];
		tui_put(y, 1, 18, A_NORMAL, c->cl->nodes[i].name);
		word = check_word(cn->connect, &ts);
		tui_put(y, 20, 5, tui_attr(ts), word);
		tui_put(y, 26, 7, A_NORMAL, cn->root != NULL ? cn->root : "");
		word = check_word(cn->preflight, &ts);
		tui_put(y, 34, 10, tui_attr(ts), word);
		tui_put(y, 45, 15, A_NORMAL, cn->os != NULL ? cn->os : "");
		tui_put(y, 61, 5, A_NORMAL, cn->cpus != NULL ? cn->cpus : "");
		tui_put(y, 67, 10, A_NORMAL, cn->mem != NULL ? cn->mem : "");
		tui_put(y, 78, w - 79, A_NORMAL,
		    cn->swap != NULL ? cn->swap : "");
	}
	for (k = 0; k < c->cl->nnodes; k++) {
		if (c->nodes[k].connect == TASK_FAILED ||
		    c->nodes[k].preflight == TASK_FAILED)
			failed++;
	}
	y = h - 4;
	if (!c->done)
		line = xstrdup(_("Checking: SSH, root, facts, then the "
		    "preflight checks..."));
	else if (failed == 0 && c->code == 0)
		line = xasprintf("%s %s", tui_global.g.ok, _("Every node is "
		    "reachable and passes the preflight checks."));
	else
		line = xasprintf(_("%s %d node(s) failed; the reasons:"),
		    tui_global.g.fail, failed);
	tui_put(y - (failed > 0 ? 1 : 0), 1, w - 2, !c->done ? A_NORMAL :
	    failed == 0 && c->code == 0 ? tui_attr(TS_OK) : tui_attr(TS_FAIL),
	    line);
	free(line);
	for (k = 0; k < c->cl->nnodes && failed > 0 && y < h - 2; k++) {
		if (c->nodes[k].reason == NULL)
			continue;
		line = xasprintf("%s: %s", c->cl->nodes[k].name,
		    c->nodes[k].reason);
		tui_put(y++, 3, w - 4, tui_attr(TS_FAIL), line);
		free(line);
	}
}

/* Keys of the check screen. */
static int
check_key(struct screen *s, int key)
{
	struct check *c = s->data;

	if (wlist_key(&c->l, key, tui_global.h - 7))
		return 1;
	switch (key) {
	case TUI_ESC:
	case 'q':
	case TUI_KEY_INTERRUPT:
		if (c->done) {
			tui_pop(&tui_global, s);
			return 1;
		}
		c->closing = 1;
		ui_prompts_refuse(&c->prompts);
		install_cancel(c->inst);
		tui_message(&tui_global, 0, _("Stopping the check..."));
		return 1;
	}
	return 0;
}

/* Free the screen (the run ends first). */
static void
check_free(struct screen *s)
{
	struct check *c = s->data;

	if (!c->done) {
		ui_prompts_refuse(&c->prompts);
		install_cancel(c->inst);
	}
	check_release(c);
}

static const struct screen_ops check_ops = {
	.name = "check",
	.free = check_free,
	.draw = check_draw,
	.key = check_key,
};

/* Start checking the nodes of a validated cluster. */
void
check_open(struct tui *t, const struct cluster *cl, const char *state_dir,
    int parallel)
{
	struct install_options io;
	struct check *c;
	char *cause = NULL;

	c = xcalloc(1, sizeof *c);
	c->cl = cluster_dup(cl);
	c->nodes = xcalloc(cl->nnodes + 1, sizeof *c->nodes);
	c->q = event_queue_new();
	memset(&io, 0, sizeof io);
	io.state_dir = state_dir;
	io.parallel = parallel;
	io.check_only = 1;
	c->saved_fd = t->poll_fd;
	c->saved_on_fd = t->on_fd;
	c->saved_fd_arg = t->fd_arg;
	c->inst = install_new(c->cl, &io, c->q, &cause);
	if (c->inst == NULL || install_start(c->inst, &cause) != 0) {
		tui_message(t, 1, _("Cannot check the nodes: %s"), cause);
		free(cause);
		check_release(c);
		return;
	}
	t->poll_fd = event_queue_fd(c->q);
	t->on_fd = check_drain;
	t->fd_arg = c;
	c->screen = tui_push(t, &check_ops, c, 0);
}
