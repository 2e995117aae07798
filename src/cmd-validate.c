/* cmd-validate.c: the "validate" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz validate": not built yet. */
static int
cmd_validate_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_validate_entry);
}

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "-f FILE",
	.summary = N_("check a cluster.yaml without touching any server"),
	.exec = cmd_validate_exec,
};
