/* state.h: the state directory of one cluster (design.md, "State").
 *
 *   $XDG_STATE_HOME/kubewiz/NAME/   (or --state-dir DIR -> DIR/NAME), 0700
 *     config.yaml    the config the install used (0600)
 *     state.yaml     per node and stage: status, exit code, start and end
 *                    time, log path, input hash (0600)
 *     secrets.yaml   bootstrap token, certificate key, dashboard token and
 *                    every SECRET_ output (0600)
 *     admin.conf     the cluster's admin kubeconfig (0600)
 *     dashboard-token  the Dashboard login token alone (0600)
 *     logs/NODE/NN-STAGE.log  output of each task, secrets masked (0600)
 *     lock           flock()ed by the run that owns the directory; holds
 *                    its pid
 *
 * Every file is written atomically (temp file, fsync, rename, fsync of
 * the directory). A state.yaml that does not parse, belongs to another
 * cluster or comes from a newer kubewiz is refused, never overwritten. */
#ifndef KW_STATE_H
#define KW_STATE_H

#include <stddef.h>
#include <time.h>

#include "cluster.h"
#include "diag.h"
#include "events.h"
#include "stage.h"

/* The state.yaml schema this kubewiz writes and reads. */
#define STATE_SCHEMA 1

/* What is recorded for one (node, stage). */
struct state_task {
	enum task_state	 status;	/* TASK_PENDING when never run */
	int		 exit_code;
	time_t		 start;		/* 0 = unset */
	time_t		 end;
	char		*log;		/* relative to the state directory */
	char		*hash;		/* input hash when it last finished */
};

struct state_node {
	char			*name;
	struct state_task	 tasks[STAGE_COUNT];
};

/* A KEY=value pair (outputs, secrets). */
struct state_kv {
	char	*key;
	char	*value;
};

struct state {
	char			*dir;		/* the cluster's state directory */
	char			*name;		/* cluster name */
	int			 lock_fd;	/* -1 when not locked */
	struct state_node	*nodes;
	size_t			 nnodes;
	struct state_kv		*outputs;	/* non-secret outputs */
	size_t			 noutputs;
	struct state_kv		*secrets;	/* wiped when freed */
	size_t			 nsecrets;
};

/* Flags of state_open. */
#define STATE_CREATE	0x1	/* create the directory when missing */
#define STATE_LOCK	0x2	/* take the lock (refused if another run holds it) */

/* What resume must do with a task. */
enum state_resume {
	STATE_RESUME_NEW,	/* never finished: run it */
	STATE_RESUME_SKIP,	/* done and its inputs are unchanged */
	STATE_RESUME_CHANGED,	/* done, but the config changed: run again */
	STATE_RESUME_RETRY,	/* failed or interrupted before: run again */
};

/* The base directory for cluster states: base_dir when not NULL, else
 * $XDG_STATE_HOME/kubewiz, else ~/.local/state/kubewiz. Caller frees. */
char *state_base_dir(const char *base_dir);
/* Open the state of cluster name under base_dir (as for state_base_dir).
 * Loads state.yaml and secrets.yaml when present. Returns 0 with *out set
 * (caller frees with state_close), or -1 with *cause (caller frees): no
 * such state (without STATE_CREATE), lock held by a live process (naming
 * its pid), corrupt or foreign files, permission problems. A lock left by
 * a dead process is taken over. */
int state_open(const char *base_dir, const char *name, int flags,
    struct state **out, char **cause);
/* Release the lock (if held) and free everything, wiping secrets. */
void state_close(struct state *);
/* The names of the clusters saved under base_dir (directories holding a
 * config.yaml), sorted. Returns the count; *names is a caller-freed array
 * of caller-freed strings (NULL when none). */
size_t state_list(const char *base_dir, char ***names);

/* Make the node list match the cluster's nodes (by name, in the
 * cluster's order): records of nodes still there are kept, others are
 * dropped, new nodes start pending. */
void state_sync_nodes(struct state *, const struct cluster *);
/* The record of (node name, stage), or NULL when the node is unknown. */
struct state_task *state_task(struct state *, const char *node, enum stage);
/* What resume must do with a task whose current input hash is hash. */
enum state_resume state_task_resume(const struct state_task *,
    const char *hash);

/* A non-secret output (DASHBOARD_URL), or NULL. Borrowed. */
const char *state_output(const struct state *, const char *key);
/* Set a non-secret output (copied). */
void state_set_output(struct state *, const char *key, const char *value);
/* A secret, or NULL. Borrowed. */
const char *state_secret(const struct state *, const char *key);
/* Set a secret (copied; the old value is wiped). */
void state_set_secret(struct state *, const char *key, const char *value);

/* Write state.yaml atomically. Returns 0, or -1 with *cause. */
int state_save(struct state *, char **cause);
/* Serialise state.yaml into memory (what state_save writes), so that a
 * caller can snapshot under its lock and write outside it. Returns the
 * text (caller frees) and its length, or NULL with *cause. */
char *state_serialize(const struct state *, size_t *len, char **cause);
/* Write secrets.yaml atomically (0600). Returns 0, or -1 with *cause. */
int state_save_secrets(struct state *, char **cause);
/* Save the cluster as config.yaml. Returns 0, or -1 with *cause. */
int state_save_config(struct state *, const struct cluster *, char **cause);
/* Load config.yaml (errors go to diags). Caller frees. */
struct cluster *state_load_config(const struct state *, struct diag_list *);
/* The full path of a file in the state directory. Caller frees. */
char *state_path(const struct state *, const char *rel);
/* Write rel (a file name in the state directory) atomically with mode.
 * Returns 0, or -1 with *cause. */
int state_write_file(const struct state *, const char *rel, const void *data,
    size_t len, int mode, char **cause);
/* The log path of a task relative to the state directory
 * ("logs/k8s-node1/04-runtime.log"). Caller frees. */
char *state_log_rel(const char *node, enum stage);
/* Open the log of a task for appending (creating logs/NODE 0700 and the
 * file 0600). Returns a file descriptor, or -1 with *cause. */
int state_open_log(const struct state *, const char *node, enum stage,
    char **cause);

/* Atomically replace path with data (temp file in the same directory,
 * fsync, rename, fsync of the directory), with mode. Returns 0, or -1
 * with *cause. */
int state_atomic_write(const char *path, const void *data, size_t len,
    int mode, char **cause);
/* Test hook, NULL in production: called by state_atomic_write after the
 * temp file is written and synced, before the rename. */
extern void (*state_before_rename_hook)(const char *tmp, const char *path);

#endif
