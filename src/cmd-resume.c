/* cmd-resume.c: the "resume" subcommand: install again from the config
 * saved in a cluster's state directory; done tasks are skipped. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-run.h"
#include "cmd.h"
#include "i18n.h"
#include "install.h"
#include "ui.h"

enum {
	OPT_SHOW_TOKEN = 256,
};

static const struct option cmd_resume_longopts[] = {
	{ "show-token", no_argument, NULL, OPT_SHOW_TOKEN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Run "kubewiz resume". */
static int
cmd_resume_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct cmd_run_options ro;
	struct cluster *c;
	char *cause = NULL;
	int ch, code;

	memset(&ro, 0, sizeof ro);
	while ((ch = getopt_long(argc, argv, "h", cmd_resume_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_SHOW_TOKEN:
			ro.show_token = 1;
			break;
		case 'h':
			printf(_("usage: kubewiz resume %s\n\n"
			    "Continues the install of cluster NAME from its "
			    "saved state and config: tasks done\nearlier with "
			    "unchanged inputs are skipped, failed and "
			    "interrupted ones run again.\nWithout NAME, the "
			    "only saved cluster is resumed.\n\n"
			    "  --show-token   print the Dashboard token in the "
			    "summary (else: its 0600 file)\n"),
			    cmd_resume_entry.usage);
			return KW_EXIT_OK;
		default:
			return cmd_usage(&cmd_resume_entry);
		}
	}
	if (argc - optind > 1)
		return cmd_usage(&cmd_resume_entry);
	c = install_load_saved(opts->state_dir,
	    optind < argc ? argv[optind] : NULL, &cause);
	if (c == NULL) {
		ui_end();
		fprintf(stderr, "kubewiz: resume: %s\n", cause);
		free(cause);
		return KW_EXIT_USAGE;
	}
	ro.tui = ui_available(opts);
	code = cmd_run_install(opts, c, &ro);
	cluster_free(c);
	return code;
}

const struct cmd_entry cmd_resume_entry = {
	.name = "resume",
	.usage = "[NAME] [--show-token]",
	.summary = N_("continue the install of a cluster from its saved state"),
	.exec = cmd_resume_exec,
};
