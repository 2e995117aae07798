/* day2-prompts.c: SSH questions of the day-2 screens, bridged from worker
 * threads through the event queue to the dialogs of ui/prompts.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "day2-prompts.h"
#include "i18n.h"
#include "prompts.h"
#include "xmalloc.h"

/* Worker side: push the question and wait for the answer. Returns the
 * answered prompt (caller frees), or NULL when the screen is leaving. */
static struct prompt *
day2_prompts_ask(struct day2_prompts *dp, enum prompt_kind kind,
    const char *node, const char *text)
{
	struct prompt *p = NULL;
	struct event *ev = NULL;
	int idx;

	pthread_mutex_lock(&dp->lock);
	if (dp->quitting) {
		pthread_mutex_unlock(&dp->lock);
		return NULL;
	}
	pthread_mutex_unlock(&dp->lock);
	idx = node != NULL ? cluster_find_node(dp->cl, node) : -1;
	p = prompt_new(kind, idx, text);
	ev = event_new(EVENT_PROMPT, idx, -1);
	ev->text = xstrdup(text);
	ev->prompt = p;
	event_queue_push(dp->queue, ev);
	prompt_wait(p);
	return p;
}

/* Transport prompt: an unknown host key. */
static int
day2_prompts_hostkey(void *arg, const struct transport_hostkey *hk)
{
	struct prompt *p = NULL;
	char *text = NULL;
	int yes = 0;

	text = xasprintf(_("The authenticity of host %s (node %s) can't be "
	    "established.\n%s key fingerprint is %s.\nTrust it and add it to "
	    "%s?"), hk->host, hk->node, hk->key_type, hk->fingerprint,
	    hk->known_hosts);
	p = day2_prompts_ask(arg, PROMPT_HOSTKEY, hk->node, text);
	free(text);
	if (p != NULL) {
		yes = p->answer_yes;
		prompt_free(p);
	}
	return yes;
}

/* Transport prompt: a password or passphrase. */
static char *
day2_prompts_secret(void *arg, const char *node, const char *prompt)
{
	struct prompt *p = NULL;
	char *text = NULL, *answer = NULL;

	text = xasprintf("%s (%s)", prompt, node);
	p = day2_prompts_ask(arg, PROMPT_SECRET, node, text);
	free(text);
	if (p == NULL)
		return NULL;
	if (p->answer_yes && p->answer_secret != NULL)
		answer = xstrdup(p->answer_secret);
	prompt_free(p);
	return answer;
}

/* Set up. */
void
day2_prompts_init(struct day2_prompts *dp, const struct cluster *cl,
    struct event_queue *queue)
{
	memset(dp, 0, sizeof *dp);
	dp->cl = cl;
	dp->queue = queue;
	pthread_mutex_init(&dp->lock, NULL);
	dp->ops.hostkey = day2_prompts_hostkey;
	dp->ops.secret = day2_prompts_secret;
	dp->ops.arg = dp;
}

/* Queue a question from the event queue. */
void
day2_prompts_push(struct day2_prompts *dp, struct prompt *p)
{
	pthread_mutex_lock(&dp->lock);
	if (dp->quitting) {
		pthread_mutex_unlock(&dp->lock);
		prompt_answer(p, 0, NULL);
		return;
	}
	pthread_mutex_unlock(&dp->lock);
	ui_prompts_push(&dp->ui, p, p->node >= 0 &&
	    (size_t)p->node < dp->cl->nnodes ? dp->cl->nodes[p->node].name :
	    NULL);
}

/* Refuse everything. */
void
day2_prompts_refuse(struct day2_prompts *dp)
{
	pthread_mutex_lock(&dp->lock);
	dp->quitting = 1;
	pthread_mutex_unlock(&dp->lock);
	ui_prompts_refuse(&dp->ui);
}

/* Free. */
void
day2_prompts_free(struct day2_prompts *dp)
{
	ui_prompts_free(&dp->ui);
	pthread_mutex_destroy(&dp->lock);
}
