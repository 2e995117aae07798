/* cmd-check.c: the "check" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz check": not built yet. */
static int
cmd_check_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_check_entry);
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "-f FILE",
	.summary = N_("validate, reach every node and run preflight only"),
	.exec = cmd_check_exec,
};
