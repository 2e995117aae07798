/* cmd.h: the subcommand table and options shared by every subcommand. */
#ifndef KW_CMD_H
#define KW_CMD_H

/* Exit statuses, as documented in kubewiz(1). */
enum kw_exit {
	KW_EXIT_OK = 0,		/* success */
	KW_EXIT_FAILED = 1,	/* install ran and some task failed */
	KW_EXIT_USAGE = 2,	/* usage or configuration error */
	KW_EXIT_REFUSED = 3,	/* refused for safety (host key) */
};

/* Global options, parsed before the subcommand name. */
struct kw_options {
	int		 no_tui;		/* --no-tui: plain front end */
	int		 no_color;		/* --no-color or NO_COLOR set */
	int		 verbose;		/* --verbose, may repeat */
	int		 parallel;		/* --parallel N: nodes at once (0 = all) */
	const char	*state_dir;		/* --state-dir DIR, or NULL for default */
	int		 accept_new_host_keys;	/* --accept-new-host-keys */
};

/* One subcommand: its name, synopsis, summary and entry point. */
struct cmd_entry {
	const char	*name;
	const char	*usage;		/* synopsis after "kubewiz NAME" */
	const char	*summary;	/* one line for --help (gettext msgid) */
	/* Run with argv[0] = the subcommand name; returns an enum kw_exit. */
	int		(*exec)(const struct kw_options *, int argc, char **argv);
};

extern const struct cmd_entry cmd_install_entry;
extern const struct cmd_entry cmd_resume_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_plan_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_validate_entry;
extern const struct cmd_entry cmd_reset_entry;
extern const struct cmd_entry cmd_add_node_entry;

/* NULL-terminated table of all subcommands, in --help order. */
extern const struct cmd_entry *const cmd_table[];

/* Find a subcommand by exact name, or NULL. */
const struct cmd_entry *cmd_find(const char *name);
/* Print "usage: kubewiz NAME USAGE" to stderr and return KW_EXIT_USAGE. */
int cmd_usage(const struct cmd_entry *);
/* Report that a subcommand is not built yet; returns KW_EXIT_USAGE. */
int cmd_not_built(const struct cmd_entry *);
/* Open the main menu (TUI); returns an enum kw_exit. */
int cmd_menu(const struct kw_options *);
/* Print the global --help text to stdout. */
void cmd_print_help(void);

#endif
