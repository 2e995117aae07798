/* cmd.c: the subcommand table, lookup and shared usage messages. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_install_entry,
	&cmd_resume_entry,
	&cmd_status_entry,
	&cmd_plan_entry,
	&cmd_check_entry,
	&cmd_validate_entry,
	&cmd_reset_entry,
	&cmd_add_node_entry,
	NULL
};

/* Find a subcommand by name. */
const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *const *e;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0)
			return *e;
	}
	return NULL;
}

/* Print a subcommand's synopsis and return the usage exit code. */
int
cmd_usage(const struct cmd_entry *e)
{
	fprintf(stderr, _("usage: kubewiz %s %s\n"), e->name, e->usage);
	return KW_EXIT_USAGE;
}

/* Say a subcommand is not available in this build yet. */
int
cmd_not_built(const struct cmd_entry *e)
{
	fprintf(stderr, _("kubewiz: '%s' is not built yet in this version\n"),
	    e->name);
	return KW_EXIT_USAGE;
}

/* Print the global help. */
void
cmd_print_help(void)
{
	const struct cmd_entry *const *e;

	printf(_("usage: kubewiz [global options] [COMMAND [ARGS]]\n\n"
	    "With no command, kubewiz opens its main menu.\n\nCommands:\n"));
	for (e = cmd_table; *e != NULL; e++)
		printf("  %-10s %s\n", (*e)->name, _((*e)->summary));
	printf(_("\nGlobal options:\n"
	    "  --no-tui               plain line-oriented output, no screens\n"
	    "  --no-color             no colours (also when NO_COLOR is set)\n"
	    "  --state-dir DIR        keep cluster state under DIR\n"
	    "  --parallel N           work on at most N nodes at once\n"
	    "  --accept-new-host-keys trust unknown host keys on first use\n"
	    "  -v, --verbose          more detail; repeat for more\n"
	    "  -V, --version          print the version and exit\n"
	    "  -h, --help             print this help and exit\n"
	    "\nRun 'kubewiz COMMAND --help' for a command's options; "
	    "see kubewiz(1).\n"));
}
