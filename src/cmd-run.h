/* cmd-run.h: running an install (or a check) for the install, resume and
 * check commands, with the TUI or the plain front end. */
#ifndef KW_CMD_RUN_H
#define KW_CMD_RUN_H

#include "cluster.h"
#include "cmd.h"

struct cmd_run_options {
	int	tui;		/* the ncurses progress screen, else plain */
	int	check_only;	/* connect and preflight only */
	int	show_token;	/* plain: print the Dashboard token */
};

/* Run an install of a validated cluster and return its enum kw_exit. */
int cmd_run_install(const struct kw_options *, const struct cluster *,
    const struct cmd_run_options *);
/* Load and validate a config file, printing its diagnostics to stderr.
 * Returns NULL (after printing) when it has errors. Caller frees. */
struct cluster *cmd_load_config(const char *path);

#endif
