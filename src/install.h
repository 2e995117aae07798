/* install.h: the install engine's API for the front ends (plain.c and the
 * TUI). It ties the pieces together: the state directory (locked for the
 * run), the plan, SSH transports, rendered stage scripts and the runner.
 *
 * Use:
 *	q = event_queue_new();
 *	inst = install_new(cluster, &opts, q, &cause);
 *	install_start(inst, &cause);
 *	... poll event_queue_fd(q), pop events, answer EVENT_PROMPT with
 *	    prompt_answer, call install_cancel / install_retry /
 *	    install_skip_node as the operator asks, until EVENT_RUN_DONE ...
 *	code = install_wait(inst);	(an enum kw_exit)
 *	... install_task_info, install_output for the summary ...
 *	install_free(inst);
 *
 * Resume is install again: tasks done earlier whose input hash is
 * unchanged are skipped (TASK_SKIPPED events); EVENT_MESSAGE says which
 * tasks run again because the config changed. */
#ifndef KW_INSTALL_H
#define KW_INSTALL_H

#include <stddef.h>

#include "cluster.h"
#include "events.h"
#include "runner.h"
#include "stage.h"

struct install_options {
	const char	*state_dir;	/* --state-dir DIR, NULL = default */
	int		 parallel;	/* nodes at once, 0 = all */
	int		 check_only;	/* connect and preflight only; no state
					 * directory is touched */
	int		 keep_open;	/* TUI: after a failure, wait for
					 * retry/skip/cancel (see runner.h) */
	int		 timeout;	/* seconds per stage, 0 = defaults */
};

struct install;

/* Prepare an install of a validated cluster (copied). Unless
 * check_only, opens and locks the state directory and saves the config
 * in it. Returns NULL with *cause (caller frees) when the state cannot be
 * used: another run holds it (the message names its pid), it is corrupt
 * or foreign, or permissions. Caller frees with install_free. */
struct install *install_new(const struct cluster *,
    const struct install_options *, struct event_queue *, char **cause);
/* Start the run in the background. Returns 0, or -1 with *cause. */
int install_start(struct install *, char **cause);
/* Stop soon (Ctrl-C). Thread-safe. */
void install_cancel(struct install *);
/* Retry a failed task; see runner_retry. */
int install_retry(struct install *, size_t node, enum stage, char **cause);
/* Skip a failed worker; see runner_skip_node. */
int install_skip_node(struct install *, size_t node, char **cause);
/* With keep_open: end once nothing runs. */
void install_finish(struct install *);
/* Wait for the run to end; returns its enum kw_exit. */
int install_wait(struct install *);
/* Release the state lock and free everything (waits for the run). */
void install_free(struct install *);

/* The cluster being installed (the copy). Borrowed. */
const struct cluster *install_cluster(const struct install *);
/* The plan of the run. Borrowed. */
const struct plan *install_plan(const struct install *);
/* The cluster's state directory, or NULL for check_only. Borrowed. */
const char *install_state_dir(const struct install *);
/* A snapshot of a task (see runner_task_info). */
int install_task_info(struct install *, size_t node, enum stage,
    struct runner_task_info *);
/* Whether the operator skipped a node. */
int install_node_skipped(struct install *, size_t node);
/* Whether a node's host key was refused. */
int install_node_hostkey_refused(struct install *, size_t node);
/* Warnings given during the run; see runner_warnings. */
size_t install_warnings(struct install *, char ***lines);
/* A task's log file, or NULL. Caller frees. */
char *install_log_path(struct install *, size_t node, enum stage);
/* An output of the run, valid once the run is over (after
 * EVENT_RUN_DONE): DASHBOARD_URL, TOKEN_EXPIRES, ... from state.yaml;
 * SECRET_* from secrets.yaml; "KUBECONFIG" = the path of admin.conf and
 * "DASHBOARD_TOKEN_FILE" = the path of the 0600 file with the Dashboard
 * token (when they exist). NULL when unknown. Borrowed until
 * install_free. */
const char *install_output(struct install *, const char *key);
/* The exact command that resumes this install. Caller frees. */
char *install_resume_command(const struct install *);
/* Replace every secret known to the run in text with "***". Caller
 * frees. */
char *install_mask(struct install *, const char *text);

/* Load the config saved in a cluster's state directory (for resume).
 * With name NULL, the only saved cluster is taken (an error names them
 * when there are several). Returns NULL with *cause. Caller frees. */
struct cluster *install_load_saved(const char *state_dir, const char *name,
    char **cause);

#endif
