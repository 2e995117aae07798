/* plain.h: the line-oriented front end (no TTY, --no-tui, CI, pipes):
 * "[node] stage: text" lines, a heartbeat for long stages, prompts
 * answered by policy, and a final summary. */
#ifndef KW_PLAIN_H
#define KW_PLAIN_H

#include <stdio.h>

#include "events.h"
#include "install.h"

struct plain_options {
	int	 accept_new_host_keys;	/* trust unknown host keys, printing
					 * their fingerprints */
	int	 show_token;		/* print the Dashboard token itself */
	int	 check_only;		/* "kubewiz check": no install summary */
	int	 verbose;		/* also print every log line */
	int	 heartbeat;		/* seconds between heartbeats, 0 = 15 */
	FILE	*out;			/* NULL = stdout */
};

/* Start inst (not started yet) and follow its events until the run
 * ends: Ctrl-C (SIGINT, SIGTERM) cancels it cleanly, a second Ctrl-C
 * quits at once. Prints the summary and returns the run's enum kw_exit. */
int plain_run(struct install *, struct event_queue *,
    const struct plain_options *);

#endif
