/* cmd-resume.c: the "resume" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz resume": not built yet. */
static int
cmd_resume_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_resume_entry);
}

const struct cmd_entry cmd_resume_entry = {
	.name = "resume",
	.usage = "[NAME]",
	.summary = N_("continue the install of a cluster from its saved state"),
	.exec = cmd_resume_exec,
};
