/* cmd-plan.c: the "plan" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz plan": not built yet. */
static int
cmd_plan_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_plan_entry);
}

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.usage = "-f FILE [--node NODE] [--stage STAGE]",
	.summary = N_("print the exact scripts an install would run"),
	.exec = cmd_plan_exec,
};
