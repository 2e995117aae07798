/* reset_view.c: the reset screen: a dialog asks for the name to be typed,
 * then the reset runs in a thread and its output scrolls by; q leaves once
 * it is over (a reset is not stopped halfway). */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "day2-prompts.h"
#include "events.h"
#include "i18n.h"
#include "reset_view.h"
#include "tui.h"
#include "widgets.h"
#include "xmalloc.h"

struct reset_view {
	const struct cluster	*cl;
	char			*title;
	char			*warning;
	char			*expect;
	ui_reset_work_fn	 work;
	void			*arg;

	struct event_queue	*queue;
	struct day2_prompts	 prompts;
	pthread_t		 thread;
	int			 started;
	int			 running;
	int			 refused;
	int			 code;

	char			**lines;	/* output so far */
	int			 *errors;
	size_t			  nlines;
	int			  top;		/* scroll; -1 follows the end */
};

/* Worker side: one line of output becomes an event. */
static void
reset_view_say(void *arg, int error, const char *line)
{
	struct reset_view *v = arg;
	struct event *ev = NULL;

	ev = event_new(EVENT_TASK_LOG, -1, -1);
	ev->stream = error;
	ev->text = xstrdup(line);
	event_queue_push(v->queue, ev);
}

/* Thread: the work. */
static void *
reset_view_main(void *arg)
{
	struct reset_view *v = arg;
	struct event *ev = NULL;
	int code;

	code = v->work(v->arg, &v->prompts.ops, reset_view_say, v);
	ev = event_new(EVENT_RUN_DONE, -1, -1);
	ev->exit_code = code;
	event_queue_push(v->queue, ev);
	return NULL;
}

/* Confirmation dialog callback. */
static void
reset_view_confirm_cb(void *arg, const char *text)
{
	struct reset_view *v = arg;
	int error;

	if (text == NULL || strcmp(text, v->expect) != 0) {
		v->refused = 1;
		tui_global.quit = 1;
		return;
	}
	error = pthread_create(&v->thread, NULL, reset_view_main, v);
	if (error != 0) {
		tui_message(&tui_global, 1, _("cannot start: %s"),
		    strerror(error));
		return;
	}
	v->started = v->running = 1;
	tui_message(&tui_global, 0, _("Resetting: this cannot be stopped "
	    "halfway."));
}

/* The poll fd is readable: output, questions, the end. */
static void
reset_view_drain(void *arg)
{
	struct reset_view *v = arg;
	struct event *ev = NULL;

	while ((ev = event_queue_pop(v->queue)) != NULL) {
		switch (ev->type) {
		case EVENT_PROMPT:
			if (ev->prompt != NULL)
				day2_prompts_push(&v->prompts, ev->prompt);
			break;
		case EVENT_TASK_LOG:
			v->lines = xreallocarray(v->lines, v->nlines + 1,
			    sizeof *v->lines);
			v->errors = xreallocarray(v->errors, v->nlines + 1,
			    sizeof *v->errors);
			v->lines[v->nlines] = ev->text;
			v->errors[v->nlines] = ev->stream;
			ev->text = NULL;
			v->nlines++;
			break;
		case EVENT_RUN_DONE:
			pthread_join(v->thread, NULL);
			v->running = 0;
			v->code = ev->exit_code;
			if (v->code == KW_EXIT_OK)
				tui_message(&tui_global, 0, _("Done. q leaves."));
			else
				tui_message(&tui_global, 1, _("The reset did not "
				    "finish cleanly (see above; logs in the state "
				    "directory). q leaves."));
			break;
		default:
			break;
		}
		event_free(ev);
		tui_redraw(&tui_global);
	}
}

/* Draw: the warning before confirmation, then the output. */
static void
reset_view_draw(struct screen *s, int w, int h)
{
	struct reset_view *v = s->data;
	char **wrapped = NULL;
	size_t i, n;
	int y, page, first;

	tui_frame(w, h, v->title, v->running ? _("Up/Down scroll") :
	    _("Up/Down scroll|q back"));
	if (!v->started) {
		n = wrap_text(v->warning, w - 4, &wrapped);
		for (i = 0; i < n; i++) {
			if ((int)i + 2 < h - 2)
				tui_put((int)i + 2, 2, w - 4,
				    tui_attr(TS_WARN), wrapped[i]);
			free(wrapped[i]);
		}
		free(wrapped);
		return;
	}
	page = h - 3 - (tui_global.message != NULL ? 1 : 0);
	if (page < 1)
		page = 1;
	first = v->top < 0 ? (int)v->nlines - page : v->top;
	if (first > (int)v->nlines - page)
		first = (int)v->nlines - page;
	if (first < 0)
		first = 0;
	if (v->top >= 0)
		v->top = first;
	for (y = 1; first < (int)v->nlines && y < 1 + page; first++, y++)
		tui_put(y, 1, w - 2, v->errors[first] ? tui_attr(TS_FAIL) :
		    A_NORMAL, v->lines[first]);
}

/* Keys: scrolling; q once the reset is over. */
static int
reset_view_key(struct screen *s, int key)
{
	struct reset_view *v = s->data;
	int page = tui_global.h - 4;

	switch (key) {
	case TUI_KEY(KEY_UP):
	case 'k':
		v->top = (v->top < 0 ? (int)v->nlines - page : v->top) - 1;
		return 1;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		if (v->top >= 0)
			v->top++;
		if (v->top >= (int)v->nlines - page)
			v->top = -1;
		return 1;
	case TUI_KEY(KEY_END):
		v->top = -1;
		return 1;
	case 'q':
	case TUI_ESC:
	case TUI_KEY_INTERRUPT:
	case TUI_KEY(KEY_F(10)):
		if (v->running) {
			tui_message(&tui_global, 1, _("The reset is running; "
			    "it cannot be stopped halfway."));
			return 1;
		}
		tui_global.quit = 1;
		return 1;
	}
	return 0;
}

static const struct screen_ops reset_view_ops = {
	.name = "reset",
	.draw = reset_view_draw,
	.key = reset_view_key,
};

/* Confirm, run, show. */
int
ui_reset(const struct kw_options *opts, const struct cluster *c,
    const char *title, const char *warning, const char *expect,
    ui_reset_work_fn work, void *arg, char **cause)
{
	struct reset_view *v = NULL;
	struct event *ev = NULL;
	struct pollfd pfd;
	char *text = NULL;
	size_t i;
	int code;

	if (tui_start(opts, cause) != 0)
		return -1;
	v = xcalloc(1, sizeof *v);
	v->cl = c;
	v->title = xstrdup(title);
	v->warning = xstrdup(warning);
	v->expect = xstrdup(expect);
	v->work = work;
	v->arg = arg;
	v->top = -1;
	v->queue = event_queue_new();
	day2_prompts_init(&v->prompts, c, v->queue);

	tui_push(&tui_global, &reset_view_ops, v, 0);
	tui_global.poll_fd = event_queue_fd(v->queue);
	tui_global.on_fd = reset_view_drain;
	tui_global.fd_arg = v;
	text = xasprintf(_("Type '%s' to confirm:"), expect);
	dialog_input(&tui_global, title, text, "", reset_view_confirm_cb, v);
	free(text);
	tui_run(&tui_global);

	/* The loop ends only when the work is over, unless the terminal
	 * went away (SIGTERM): then refuse questions and wait for it. */
	day2_prompts_refuse(&v->prompts);
	while (v->running) {
		ev = event_queue_pop(v->queue);
		if (ev == NULL) {
			pfd.fd = event_queue_fd(v->queue);
			pfd.events = POLLIN;
			poll(&pfd, 1, 200);
			continue;
		}
		if (ev->type == EVENT_PROMPT && ev->prompt != NULL)
			prompt_answer(ev->prompt, 0, NULL);
		else if (ev->type == EVENT_RUN_DONE) {
			pthread_join(v->thread, NULL);
			v->running = 0;
			v->code = ev->exit_code;
		}
		event_free(ev);
	}
	tui_global.poll_fd = -1;
	tui_global.on_fd = NULL;
	tui_global.fd_arg = NULL;
	tui_pop_all(&tui_global);
	tui_message(&tui_global, 0, NULL);

	code = !v->started ? KW_EXIT_REFUSED : v->code;
	day2_prompts_free(&v->prompts);
	event_queue_free(v->queue);
	for (i = 0; i < v->nlines; i++)
		free(v->lines[i]);
	free(v->lines);
	free(v->errors);
	free(v->title);
	free(v->warning);
	free(v->expect);
	free(v);
	return code;
}
