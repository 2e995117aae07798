/* events.h: what the engine tells the front ends, through a thread-safe
 * queue with a pollable file descriptor. Workers push; the front end's
 * single thread pops. */
#ifndef KW_EVENTS_H
#define KW_EVENTS_H

#include <pthread.h>

#include "stage.h"

/* X-macro: state enum and its display word. */
#define TASK_STATE_TABLE(X)			\
	X(TASK_PENDING,   "pending")		\
	X(TASK_WAITING,   "waiting")	/* for a dependency; text says which */ \
	X(TASK_RUNNING,   "running")		\
	X(TASK_DONE,      "done")		\
	X(TASK_SKIPPED,   "skipped")	/* done earlier, inputs unchanged */ \
	X(TASK_FAILED,    "failed")		\
	X(TASK_BLOCKED,   "blocked")	/* a dependency failed */ \
	X(TASK_CANCELLED, "cancelled")

#define TASK_STATE_ENUM(e, n) e,
enum task_state {
	TASK_STATE_TABLE(TASK_STATE_ENUM)
	TASK_STATE_COUNT
};
#undef TASK_STATE_ENUM

enum event_type {
	EVENT_TASK_STATE,	/* node, stage, state, exit_code, text */
	EVENT_TASK_STEP,	/* node, stage, text: the current sub-step;
				 * key "skip" when the script said it had
				 * nothing to do (text = why) */
	EVENT_TASK_LOG,		/* node, stage, stream, text: one output line */
	EVENT_TASK_WARN,	/* node, stage, text */
	EVENT_FACT,		/* node, key, text (value) */
	EVENT_MESSAGE,		/* text: run-wide information */
	EVENT_PROMPT,		/* prompt: the front end must answer it */
	EVENT_RUN_DONE,		/* exit_code: the run's enum kw_exit */
};

enum prompt_kind {
	PROMPT_HOSTKEY,		/* yes/no on text (fingerprint etc.) */
	PROMPT_SECRET,		/* password or passphrase, no echo */
};

/* A question from a worker thread. The worker blocks in prompt_wait
 * until the front end calls prompt_answer. */
struct prompt {
	enum prompt_kind	 kind;
	int			 node;		/* node index, -1 if none */
	char			*text;		/* what to show */
	int			 answer_yes;	/* PROMPT_HOSTKEY */
	char			*answer_secret;	/* PROMPT_SECRET, NULL = cancel */
	int			 answered;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
};

struct event {
	enum event_type		 type;
	int			 node;		/* node index, or -1 */
	int			 stage;		/* enum stage, or -1 */
	int			 state;		/* enum task_state */
	int			 exit_code;
	int			 stream;	/* enum transport_stream */
	double			 time;		/* seconds since the run began */
	char			*key;
	char			*text;
	struct prompt		*prompt;	/* borrowed: the worker owns it */
};

struct event_queue;

/* Create an empty queue. Caller frees. */
struct event_queue *event_queue_new(void);
/* Free a queue and any events left in it. */
void event_queue_free(struct event_queue *);
/* Append an event; the queue takes ownership. Thread-safe. */
void event_queue_push(struct event_queue *, struct event *);
/* Take the oldest event (caller frees with event_free), or NULL. */
struct event *event_queue_pop(struct event_queue *);
/* A file descriptor that polls readable while the queue is not empty. */
int event_queue_fd(const struct event_queue *);
/* Allocate an event of a type with node and stage set. Caller frees. */
struct event *event_new(enum event_type, int node, int stage);
/* Free an event and its strings (not its prompt). */
void event_free(struct event *);
/* The word of a task state ("failed"), as state files keep it. */
const char *task_state_name(enum task_state);
/* The same as users read it: translated ("失败"). For display only. */
const char *task_state_label(enum task_state);

/* Create a prompt. Caller (the worker) frees with prompt_free. */
struct prompt *prompt_new(enum prompt_kind, int node, const char *text);
/* Block until the front end answers. */
void prompt_wait(struct prompt *);
/* Answer (from the front end's thread); secret is copied, may be NULL. */
void prompt_answer(struct prompt *, int yes, const char *secret);
/* Free a prompt, wiping any secret. */
void prompt_free(struct prompt *);

#endif
