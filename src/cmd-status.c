/* cmd-status.c: the "status" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz status": not built yet. */
static int
cmd_status_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_status_entry);
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[NAME] [--watch]",
	.summary = N_("show the health of an installed cluster"),
	.exec = cmd_status_exec,
};
