/* prompts.h: the engine's questions (host keys, secrets) shown one at a
 * time as dialogs, answered with prompt_answer. */
#ifndef KW_PROMPTS_H
#define KW_PROMPTS_H

#include <stddef.h>

#include "events.h"
#include "tui.h"

struct ui_prompts {
	struct prompt	**q;		/* borrowed: the workers own them */
	char		**nodes;	/* node name for each, or NULL */
	size_t		  n;
	int		  open;		/* a dialog is showing q[0] */
};

/* Queue a prompt (node may be NULL) and show it when its turn comes. */
void ui_prompts_push(struct ui_prompts *, struct prompt *, const char *node);
/* Answer every waiting prompt with no (leaving or stopping). */
void ui_prompts_refuse(struct ui_prompts *);
/* Free the queue (after ui_prompts_refuse). */
void ui_prompts_free(struct ui_prompts *);

#endif
