/* cmd-install.c: the "install" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz install": not built yet. */
static int
cmd_install_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_install_entry);
}

const struct cmd_entry cmd_install_entry = {
	.name = "install",
	.usage = "[-f FILE] [--yes]",
	.summary = N_("guided install, or install from FILE"),
	.exec = cmd_install_exec,
};
