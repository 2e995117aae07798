/* day2-prompts.h: SSH questions (host keys, secrets) asked by the worker
 * threads of the day-2 screens (status, reset): the worker side pushes an
 * EVENT_PROMPT and waits; the screen shows them one at a time
 * (ui/prompts.h). */
#ifndef KW_DAY2_PROMPTS_H
#define KW_DAY2_PROMPTS_H

#include <pthread.h>
#include <stddef.h>

#include "cluster.h"
#include "events.h"
#include "prompts.h"
#include "transport.h"

struct day2_prompts {
	struct transport_prompts	 ops;	/* give these to the engine */
	const struct cluster		*cl;
	struct event_queue		*queue;	/* borrowed */
	pthread_mutex_t			 lock;
	int				 quitting;
	struct ui_prompts		 ui;		/* UI thread only */
};

/* Set up: questions go to queue as EVENT_PROMPT. Both are borrowed. */
void day2_prompts_init(struct day2_prompts *, const struct cluster *,
    struct event_queue *);
/* The screen popped an EVENT_PROMPT: show it when its turn comes. */
void day2_prompts_push(struct day2_prompts *, struct prompt *);
/* Answer no to every question, now and from now on (leaving). */
void day2_prompts_refuse(struct day2_prompts *);
/* Free (after day2_prompts_refuse). */
void day2_prompts_free(struct day2_prompts *);

#endif
