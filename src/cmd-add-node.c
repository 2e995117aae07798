/* cmd-add-node.c: the "add-node" subcommand. */
#include "config.h"

#include "cmd.h"
#include "i18n.h"

/* Run "kubewiz add-node": not built yet. */
static int
cmd_add_node_exec(const struct kw_options *opts, int argc, char **argv)
{
	(void)opts;
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_add_node_entry);
}

const struct cmd_entry cmd_add_node_entry = {
	.name = "add-node",
	.usage = "NAME -f FILE",
	.summary = N_("join the nodes added to a cluster's config"),
	.exec = cmd_add_node_exec,
};
