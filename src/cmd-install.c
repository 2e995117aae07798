/* cmd-install.c: the "install" subcommand: the wizard (pre-filled from
 * -f FILE) on a terminal, or a run from FILE with the plain front end
 * (no terminal, --no-tui, or -f FILE --yes). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-run.h"
#include "cmd.h"
#include "i18n.h"
#include "ui.h"

enum {
	OPT_SHOW_TOKEN = 256,
};

static const struct option cmd_install_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "yes", no_argument, NULL, 'y' },
	{ "show-token", no_argument, NULL, OPT_SHOW_TOKEN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Run "kubewiz install". */
static int
cmd_install_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct cmd_run_options ro;
	struct cluster *c = NULL;
	const char *file = NULL;
	char *saved = NULL, *cause = NULL;
	int ch, yes = 0, code, r;

	memset(&ro, 0, sizeof ro);
	while ((ch = getopt_long(argc, argv, "f:yh", cmd_install_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		case 'y':
			yes = 1;
			break;
		case OPT_SHOW_TOKEN:
			ro.show_token = 1;
			break;
		case 'h':
			printf(_("usage: kubewiz install %s\n\n"
			    "Without -f, or without --yes on a terminal, opens "
			    "the install wizard (pre-filled from FILE).\n"
			    "With -f FILE --yes, or with --no-tui or no "
			    "terminal, installs from FILE at once,\n"
			    "printing one line per step and a summary.\n\n"
			    "  -f, --file FILE   the cluster config "
			    "(kubewiz.yaml(5))\n"
			    "  -y, --yes         do not ask: install as FILE "
			    "says\n"
			    "  --show-token      print the Dashboard token in "
			    "the summary (else: its 0600 file)\n"),
			    cmd_install_entry.usage);
			return KW_EXIT_OK;
		default:
			return cmd_usage(&cmd_install_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_install_entry);

	ro.tui = ui_available(opts) && !(file != NULL && yes);
	if (!ro.tui) {
		if (file == NULL) {
			fprintf(stderr, _("kubewiz: install: without a terminal "
			    "(or with --no-tui) give the config with -f FILE\n"));
			return KW_EXIT_USAGE;
		}
		if ((c = cmd_load_config(file)) == NULL)
			return KW_EXIT_USAGE;
	} else {
		r = ui_wizard(opts, file, &c, &saved, &cause);
		if (r < 0) {
			ui_end();
			fprintf(stderr, "kubewiz: %s\n", cause);
			free(cause);
			return KW_EXIT_USAGE;
		}
		free(saved);
		if (r != UI_WIZARD_INSTALL) {
			ui_end();
			cluster_free(c);
			return KW_EXIT_OK;
		}
	}
	code = cmd_run_install(opts, c, &ro);
	cluster_free(c);
	return code;
}

const struct cmd_entry cmd_install_entry = {
	.name = "install",
	.usage = "[-f FILE] [--yes] [--show-token]",
	.summary = N_("guided install, or install from FILE"),
	.exec = cmd_install_exec,
};
