/* cmd-reset.c: the "reset" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz reset": not built yet. */
static int
cmd_reset_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_reset_entry);
}

const struct cmd_entry cmd_reset_entry = {
	.name = "reset",
	.usage = "NAME",
	.summary = N_("undo kubeadm on every node of a cluster, after confirmation"),
	.exec = cmd_reset_exec,
};
