/* runner.h: the parallel executor of a plan.
 *
 * One worker thread per node runs that node's tasks in stage order, each
 * as soon as plan_readiness allows. At most `parallel` nodes are active
 * at once: a node holds a slot while it runs tasks back to back and gives
 * it up while it waits for another node. Each node has one transport,
 * reused for all its stages and used by one thread at a time (a per-node
 * mutex): the join task runs join-prep on the first control plane's
 * transport, under that node's mutex.
 *
 * A failed task blocks only what depends on it (TASK_BLOCKED, with the
 * reason); everything else goes on. runner_cancel stops everything soon:
 * running commands are cancelled through transport_cancel, pending tasks
 * end CANCELLED, and the state is saved after every change.
 *
 * Every change is an event (events.h): task states (with the reason for
 * waiting, blocked and failed), sub-steps (EVENT_TASK_STEP; key "skip"
 * when the script says it had nothing to do), log lines with secrets
 * replaced by "***", facts, warnings, run-wide messages (which tasks run
 * again because the config changed), prompts (host keys, passwords) and
 * finally EVENT_RUN_DONE with the run's exit code. */
#ifndef KW_RUNNER_H
#define KW_RUNNER_H

#include <stddef.h>

#include "cluster.h"
#include "events.h"
#include "plan.h"
#include "render.h"
#include "stage.h"
#include "state.h"
#include "transport.h"

/* Where scripts come from. Production uses render.c (install.c wires
 * it); tests use their own. Returned strings are caller-freed; scripts
 * may hold secrets and are wiped. */
struct runner_scripts {
	/* The script of (node, stage) with run-time variables. */
	char	*(*script)(void *arg, const struct cluster *, size_t node,
		    enum stage, const struct render_var *, size_t nvars,
		    size_t *len);
	/* join-prep, run on the first control plane before a join. */
	char	*(*join_prep)(void *arg, const struct cluster *, size_t first,
		    const struct render_var *, size_t nvars, size_t *len);
	/* The input hash of (node, stage) (render_input_hash). */
	char	*(*hash)(void *arg, const struct cluster *, size_t node,
		    enum stage);
	void	*arg;
};

/* Create the unconnected transport of a node. prompts stays valid while
 * the runner lives. Returns NULL with *cause on failure. */
typedef struct transport *(*runner_transport_fn)(void *arg,
    const struct cluster *, size_t node, const struct transport_prompts *,
    char **cause);

struct runner_config {
	const struct cluster	*cluster;	/* borrowed */
	const struct plan	*plan;		/* borrowed */
	struct state		*state;		/* borrowed; NULL: keep nothing */
	struct event_queue	*events;	/* borrowed */
	int			 parallel;	/* nodes at once; 0 = all */
	int			 keep_open;	/* when tasks failed, wait for
						 * retry/skip until runner_finish
						 * or runner_cancel */
	int			 timeout;	/* seconds per stage; 0 = defaults */
	runner_transport_fn	 transport_new;
	void			*transport_arg;
	struct runner_scripts	 scripts;
};

/* What is known about one task (see runner_task_info). */
struct runner_task_info {
	enum task_state	  state;
	int		  exit_code;	/* -1 when no script ran */
	char		 *reason;	/* why waiting/blocked/failed, or NULL */
	char		 *log;		/* full path of its log, or NULL */
	char		**tail;		/* its last output lines, masked */
	size_t		  ntail;
};

/* Number of output lines kept per task for the summary. */
#define RUNNER_TAIL 12

/* Keys of secrets.yaml the runner keeps (besides SECRET_* outputs). */
#define RUNNER_SECRET_TOKEN	"BOOTSTRAP_TOKEN"
#define RUNNER_SECRET_CERT_KEY	"CERT_KEY"
/* Files written in the state directory (0600). */
#define RUNNER_ADMIN_CONF	"admin.conf"
#define RUNNER_DASHBOARD_TOKEN	"dashboard-token"

struct runner;

/* Create a runner (nothing runs yet). The config is copied; what it
 * points to is borrowed. Caller frees with runner_free. */
struct runner *runner_new(const struct runner_config *);
/* Decide what resume skips, then start the workers. Returns 0, or -1
 * with *cause. */
int runner_start(struct runner *, char **cause);
/* Stop soon: cancel running commands, cancel pending tasks, refuse
 * outstanding prompts. Thread-safe; may be called more than once. */
void runner_cancel(struct runner *);
/* Run a failed (or cancelled) task again, and unblock what waits for it.
 * Returns 0, or -1 with *cause (no such task, not failed, run over). */
int runner_retry(struct runner *, size_t node, enum stage, char **cause);
/* Give up on a worker node: its unfinished tasks are cancelled and no
 * longer hold back others (ready does not wait for its join). Not for
 * the first control plane, nor while one of its tasks runs. Returns 0,
 * or -1 with *cause. */
int runner_skip_node(struct runner *, size_t node, char **cause);
/* With keep_open: let the workers end once nothing runs (a run whose
 * tasks all succeeded ends by itself). */
void runner_finish(struct runner *);
/* Wait for the workers to end. Returns the run's enum kw_exit: 0 when
 * every task is done (or belongs to a skipped node), 3 when a host key
 * was refused, else 1. */
int runner_wait(struct runner *);
/* Free a runner (after runner_wait, or when never started). */
void runner_free(struct runner *);

/* A snapshot of a task; fills info (free with runner_task_info_clear).
 * Returns -1 when (node, stage) is not in the plan. Thread-safe. */
int runner_task_info(struct runner *, size_t node, enum stage,
    struct runner_task_info *);
/* Free what runner_task_info filled. */
void runner_task_info_clear(struct runner_task_info *);
/* Whether the operator skipped the node. */
int runner_node_skipped(struct runner *, size_t node);
/* Whether the node's host key was refused. */
int runner_node_hostkey_refused(struct runner *, size_t node);
/* The warnings the scripts and the cross-node checks gave, as
 * "node stage: text" lines. Returns the count; *lines is a caller-freed
 * array of caller-freed strings. */
size_t runner_warnings(struct runner *, char ***lines);
/* Replace every known secret in text with "***". Caller frees. */
char *runner_mask(struct runner *, const char *text);

/* Generate a kubeadm bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}) or a
 * certificate key (64 hex digits) from the system's random source.
 * Caller frees with xfree_secret. */
char *runner_new_token(void);
char *runner_new_cert_key(void);

#endif
