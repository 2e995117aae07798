/* cmd-check.c: the "check" subcommand: validate the config, reach every
 * node and run preflight (with the cross-node checks) only. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-run.h"
#include "cmd.h"
#include "i18n.h"

static const struct option cmd_check_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Run "kubewiz check". */
static int
cmd_check_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct cmd_run_options ro;
	struct cluster *c;
	const char *file = NULL;
	int ch, code;

	while ((ch = getopt_long(argc, argv, "f:h", cmd_check_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		case 'h':
			printf(_("usage: kubewiz check %s\n\n"
			    "Validates FILE, connects to every node and runs "
			    "the preflight checks (also across\nnodes: unique "
			    "names, MACs and product_uuids, pod and service "
			    "CIDRs against the\nnodes' networks, control-plane "
			    "size). Changes nothing. Exit 0 when every node\n"
			    "passes, 1 when some check fails, 2 for a config "
			    "error, 3 for a refused host key.\n"),
			    cmd_check_entry.usage);
			return KW_EXIT_OK;
		default:
			return cmd_usage(&cmd_check_entry);
		}
	}
	if (file == NULL || optind != argc)
		return cmd_usage(&cmd_check_entry);
	if ((c = cmd_load_config(file)) == NULL)
		return KW_EXIT_USAGE;
	memset(&ro, 0, sizeof ro);
	ro.check_only = 1;
	code = cmd_run_install(opts, c, &ro);
	cluster_free(c);
	return code;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "-f FILE",
	.summary = N_("validate, reach every node and run preflight only"),
	.exec = cmd_check_exec,
};
