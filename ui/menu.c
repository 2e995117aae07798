/* menu.c: the main menu: a new install, each saved cluster with its state
 * (resume or status), quit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "state.h"
#include "tui.h"
#include "ui.h"
#include "widgets.h"
#include "xmalloc.h"

/* One saved cluster. */
struct menu_cluster {
	char	*name;
	char	*line;		/* its state in words */
	int	 installed;
};

struct menu {
	struct menu_cluster	*clusters;
	size_t			 n;
	struct wlist		 l;	/* 0 new, 1..n clusters, n+1 quit */
	int			 action;
	char			*name;
	struct screen		*screen;
};

/* Format a time as HH:MM (today) or YYYY-MM-DD HH:MM. */
static void
menu_time(time_t t, char *buf, size_t len)
{
	struct tm tm, now;
	time_t n = time(NULL);

	localtime_r(&t, &tm);
	localtime_r(&n, &now);
	if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday)
		strftime(buf, len, "%H:%M", &tm);
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* Describe a cluster's saved state in one line. Caller frees. */
static char *
menu_state_line(const struct kw_options *opts, const char *name,
    int *installed)
{
	struct state *st = NULL;
	struct state_task *t, *failed = NULL, *last = NULL;
	const char *fnode = NULL, *lnode = NULL;
	enum stage fstage = 0, lstage = 0;
	char *cause = NULL, *line = NULL, when[32];
	size_t i;
	int s, any = 0, dash = 0, ready = 0, running = 0;

	*installed = 0;
	if (state_open(opts->state_dir, name, 0, &st, &cause) != 0) {
		line = xasprintf(_("cannot read its state: %s"), cause);
		free(cause);
		return line;
	}
	for (i = 0; i < st->nnodes; i++) {
		for (s = 0; s < STAGE_COUNT; s++) {
			t = &st->nodes[i].tasks[s];
			if (t->status == TASK_PENDING)
				continue;
			any = 1;
			if (t->status == TASK_FAILED && (failed == NULL ||
			    t->end > failed->end)) {
				failed = t;
				fnode = st->nodes[i].name;
				fstage = s;
			}
			if (t->status == TASK_RUNNING)
				running = 1;
			if ((t->status == TASK_DONE || t->status ==
			    TASK_SKIPPED) && (last == NULL || s > (int)lstage ||
			    (s == (int)lstage && t->end > last->end))) {
				last = t;
				lnode = st->nodes[i].name;
				lstage = s;
			}
			if (s == STAGE_DASHBOARD && (t->status == TASK_DONE ||
			    t->status == TASK_SKIPPED))
				dash = 1;
			if (s == STAGE_READY && (t->status == TASK_DONE ||
			    t->status == TASK_SKIPPED))
				ready = 1;
		}
	}
	if (failed != NULL) {
		menu_time(failed->end != 0 ? failed->end : failed->start,
		    when, sizeof when);
		line = xasprintf(_("failed at %s on %s, %s"),
		    stage_label(fstage), fnode, when);
	} else if (dash || (ready && state_output(st, "DASHBOARD_URL") == NULL
	    && !running)) {
		*installed = 1;
		line = xstrdup(_("installed"));
	} else if (running)
		line = xstrdup(_("install running or interrupted"));
	else if (last != NULL) {
		menu_time(last->end, when, sizeof when);
		line = xasprintf(_("stopped after %s on %s, %s"),
		    stage_label(lstage), lnode, when);
	} else if (!any)
		line = xstrdup(_("not started"));
	else
		line = xstrdup(_("interrupted"));
	state_close(st);
	return line;
}

/* Choose the selected row. */
static void
menu_choose(struct menu *m, int action)
{
	int sel = m->l.sel;

	if (sel == 0)
		m->action = UI_MENU_NEW;
	else if (sel == (int)m->n + 1)
		m->action = UI_MENU_QUIT;
	else {
		m->name = xstrdup(m->clusters[sel - 1].name);
		if (action >= 0)
			m->action = action;
		else
			m->action = m->clusters[sel - 1].installed ?
			    UI_MENU_STATUS : UI_MENU_RESUME;
	}
	tui_global.quit = 1;
}

/* Keys of the menu. */
static int
menu_key(struct screen *s, int key)
{
	struct menu *m = s->data;

	if (wlist_key(&m->l, key, tui_global.h - 8))
		return 1;
	switch (key) {
	case '\r':
	case '\n':
	case TUI_KEY(KEY_ENTER):
		menu_choose(m, -1);
		return 1;
	case 'n':
		m->l.sel = 0;
		menu_choose(m, -1);
		return 1;
	case 'r':
		if (m->l.sel >= 1 && m->l.sel <= (int)m->n)
			menu_choose(m, UI_MENU_RESUME);
		return 1;
	case 's':
		if (m->l.sel >= 1 && m->l.sel <= (int)m->n)
			menu_choose(m, UI_MENU_STATUS);
		return 1;
	case 'q':
	case TUI_ESC:
	case TUI_KEY_INTERRUPT:
	case TUI_KEY(KEY_F(10)):
		m->action = UI_MENU_QUIT;
		tui_global.quit = 1;
		return 1;
	}
	return 0;
}

/* Draw the menu. */
static void
menu_draw(struct screen *s, int w, int h)
{
	struct menu *m = s->data;
	const struct tui_glyphs *g = &tui_global.g;
	int y, i, page = h - 8, sel;
	char *text;
	attr_t a;

	tui_frame(w, h, _("kubewiz"), _("Up/Down choose|Enter open|"
	    "r resume|s status|n new|q quit"));
	tui_put(2, 2, w - 4, tui_attr(TS_TITLE),
	    _("Kubernetes clusters over SSH, node by node"));
	m->l.n = (int)m->n + 2;
	wlist_fix(&m->l, page);
	for (y = 4, i = m->l.top; i < m->l.n && y < 4 + page; i++, y++) {
		sel = i == m->l.sel;
		a = sel ? tui_attr(TS_SELECT) : A_NORMAL;
		if (i == 0)
			text = xasprintf("%s %s", g->bullet, _("New install"));
		else if (i == (int)m->n + 1)
			text = xasprintf("%s %s", g->bullet, _("Quit"));
		else
			text = xasprintf("%s %s: %s", g->bullet,
			    m->clusters[i - 1].name, m->clusters[i - 1].line);
		if (sel)
			tui_fill(y, 2, w - 4, a);
		tui_put(y, 3, w - 6, a, text);
		if (sel)
			tui_cursor(&tui_global, y, 3);
		free(text);
	}
	if (m->n == 0)
		tui_put(h - 3, 2, w - 4, tui_attr(TS_DIM),
		    _("No saved clusters yet; start with New install."));
	else
		tui_put(h - 3, 2, w - 4, tui_attr(TS_DIM),
		    _("Enter resumes a cluster that is not finished, or shows "
		    "the status of an installed one."));
}

/* Free the screen. */
static void
menu_free(struct screen *s)
{
	struct menu *m = s->data;

	m->screen = NULL;
}

static const struct screen_ops menu_ops = {
	.name = "menu",
	.free = menu_free,
	.draw = menu_draw,
	.key = menu_key,
};

/* Show the main menu. */
int
ui_menu(const struct kw_options *opts, char **name, char **cause)
{
	struct menu *m;
	char **names = NULL;
	size_t i;
	int action;

	*name = NULL;
	if (tui_start(opts, cause) != 0)
		return -1;
	m = xcalloc(1, sizeof *m);
	m->n = state_list(opts->state_dir, &names);
	m->clusters = xcalloc(m->n + 1, sizeof *m->clusters);
	for (i = 0; i < m->n; i++) {
		m->clusters[i].name = names[i];
		m->clusters[i].line = menu_state_line(opts, names[i],
		    &m->clusters[i].installed);
	}
	free(names);
	m->action = UI_MENU_QUIT;
	m->screen = tui_push(&tui_global, &menu_ops, m, 0);
	tui_run(&tui_global);
	if (m->screen != NULL)
		tui_pop(&tui_global, m->screen);
	tui_pop_all(&tui_global);

	action = m->action;
	*name = m->name;
	for (i = 0; i < m->n; i++) {
		free(m->clusters[i].name);
		free(m->clusters[i].line);
	}
	free(m->clusters);
	free(m);
	return action;
}
