/* prompts.c: the engine's questions shown one at a time: a host key as a
 * yes/no dialog with its fingerprint (default No), a password or
 * passphrase without echo. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "prompts.h"
#include "widgets.h"
#include "xmalloc.h"

static void	ui_prompts_next(struct ui_prompts *);

/* Drop the answered head of the queue and show the next one. */
static void
ui_prompts_pop(struct ui_prompts *p)
{
	if (p->n > 0) {
		free(p->nodes[0]);
		memmove(p->q, p->q + 1, (p->n - 1) * sizeof *p->q);
		memmove(p->nodes, p->nodes + 1, (p->n - 1) * sizeof *p->nodes);
		p->n--;
	}
	p->open = 0;
	ui_prompts_next(p);
}

/* A host key answer. */
static void
ui_prompts_hostkey_cb(void *arg, int yes)
{
	struct ui_prompts *p = arg;

	if (p->n > 0)
		prompt_answer(p->q[0], yes, NULL);
	ui_prompts_pop(p);
}

/* A secret answer (NULL: cancelled). */
static void
ui_prompts_secret_cb(void *arg, const char *secret)
{
	struct ui_prompts *p = arg;

	if (p->n > 0)
		prompt_answer(p->q[0], secret != NULL, secret);
	ui_prompts_pop(p);
}

/* Show the oldest prompt unless one is showing. */
static void
ui_prompts_next(struct ui_prompts *p)
{
	struct prompt *pr;
	char *title;

	if (p->open || p->n == 0)
		return;
	pr = p->q[0];
	p->open = 1;
	if (pr->kind == PROMPT_HOSTKEY) {
		title = p->nodes[0] != NULL ? xasprintf(_("Host key of %s"),
		    p->nodes[0]) : xstrdup(_("Host key"));
		dialog_yesno(&tui_global, title, pr->text,
		    ui_prompts_hostkey_cb, p);
	} else {
		title = p->nodes[0] != NULL ? xasprintf(_("Secret for %s"),
		    p->nodes[0]) : xstrdup(_("Secret"));
		dialog_secret(&tui_global, title, pr->text,
		    ui_prompts_secret_cb, p);
	}
	free(title);
}

/* Queue a prompt. */
void
ui_prompts_push(struct ui_prompts *p, struct prompt *pr, const char *node)
{
	p->q = xreallocarray(p->q, p->n + 1, sizeof *p->q);
	p->nodes = xreallocarray(p->nodes, p->n + 1, sizeof *p->nodes);
	p->q[p->n] = pr;
	p->nodes[p->n] = node != NULL ? xstrdup(node) : NULL;
	p->n++;
	ui_prompts_next(p);
}

/* Answer every waiting prompt with no. */
void
ui_prompts_refuse(struct ui_prompts *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		prompt_answer(p->q[i], 0, NULL);
		free(p->nodes[i]);
	}
	p->n = 0;
}

/* Free the queue. */
void
ui_prompts_free(struct ui_prompts *p)
{
	ui_prompts_refuse(p);
	free(p->q);
	free(p->nodes);
	p->q = NULL;
	p->nodes = NULL;
}
