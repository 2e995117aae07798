/* ui.h: entry points of the ncurses front end, for the commands in src/.
 * This header does not include curses. */
#ifndef KW_UI_H
#define KW_UI_H

#include "cluster.h"
#include "cmd.h"

/* What the wizard ended with. */
enum ui_wizard_result {
	UI_WIZARD_QUIT,		/* the user left (a config may have been saved) */
	UI_WIZARD_INSTALL,	/* the user confirmed: install *out */
};

/* What the main menu chose. */
enum ui_menu_action {
	UI_MENU_QUIT,
	UI_MENU_NEW,		/* new install (the wizard) */
	UI_MENU_RESUME,		/* resume cluster *name */
	UI_MENU_STATUS,		/* open status of cluster *name */
};

/* Whether the TUI can run: stdin and stdout are terminals and neither
 * --no-tui nor a dumb TERM asks for plain output. */
int ui_available(const struct kw_options *);

/* Run the install wizard, pre-filled from prefill_file when not NULL
 * (errors in the file are shown, not fatal). On UI_WIZARD_INSTALL, *out
 * is the validated cluster (caller frees). *saved_path is the file the
 * config was last saved to, or NULL (caller frees). Returns -1 with *cause set
 * (caller frees) if the terminal cannot be used. The terminal stays in
 * screen mode so that ui_install can follow without flicker; call
 * ui_end when done. */
int ui_wizard(const struct kw_options *, const char *prefill_file,
    struct cluster **out, char **saved_path, char **cause);

/* Show the main menu. Returns an enum ui_menu_action; for RESUME and
 * STATUS, *name is the cluster's name (caller frees). Returns -1 with
 * *cause set if the terminal cannot be used. */
int ui_menu(const struct kw_options *, char **name, char **cause);

struct event_queue;

/* What the progress screen may ask of the running install. The install
 * command fills it with thin wrappers over the engine. Any op may be
 * NULL (the matching key then says it is not available). */
struct ui_install_ops {
	/* Stop the run soon: running commands are cancelled, state is
	 * saved; an EVENT_RUN_DONE follows. */
	void	 (*cancel)(void *arg);
	/* After failures, with nothing running: end the run (the engine
	 * then sends EVENT_RUN_DONE). NULL: cancel is used. */
	void	 (*finish)(void *arg);
	/* Run a failed task (node index, enum stage) again. Returns 0, or
	 * -1 with *cause set (caller frees). */
	int	 (*retry)(void *arg, int node, int stage, char **cause);
	/* Give up on a worker: its remaining tasks are skipped and the run
	 * goes on without it. Returns 0, or -1 with *cause set. */
	int	 (*skip_node)(void *arg, int node, char **cause);
	/* The log file of a task, or NULL. Caller frees. */
	char	*(*log_path)(void *arg, int node, int stage);
	/* An output of the run after success (DASHBOARD_URL, TOKEN_EXPIRES,
	 * SECRET_DASHBOARD_TOKEN, KUBECONFIG: the admin.conf path,
	 * DASHBOARD_TOKEN_FILE: the 0600 file holding the token), or
	 * NULL. Borrowed, valid until ui_install returns. */
	const char *(*output)(void *arg, const char *key);
	void	*arg;
};

/* Show the progress of a run that pushes its events to queue, answer its
 * prompts, let the user retry, skip or stop, and end on the final screen
 * when the run succeeded. Returns the run's enum kw_exit (from
 * EVENT_RUN_DONE), or -1 with *cause set if the terminal cannot be
 * used. The cluster is borrowed. */
int ui_install(const struct kw_options *, const struct cluster *,
    struct event_queue *queue, const struct ui_install_ops *,
    char **cause);

/* Restore the terminal (leave screen mode). Safe to call at any time,
 * also when the TUI never started. */
void ui_end(void);

#endif
