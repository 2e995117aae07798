/* main.c: global options and dispatch to the subcommands. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"

enum {
	OPT_NO_TUI = 256,
	OPT_NO_COLOR,
	OPT_STATE_DIR,
	OPT_PARALLEL,
	OPT_ACCEPT_NEW,
};

static const struct option main_longopts[] = {
	{ "no-tui", no_argument, NULL, OPT_NO_TUI },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "parallel", required_argument, NULL, OPT_PARALLEL },
	{ "accept-new-host-keys", no_argument, NULL, OPT_ACCEPT_NEW },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Parse a --parallel value: 0 (all) to 10000. */
static int
main_parse_parallel(const char *s, int *out)
{
	char *end = NULL;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 10000)
		return -1;
	*out = (int)v;
	return 0;
}

/* Parse global options, then run the subcommand (or the main menu). */
int
main(int argc, char **argv)
{
	struct kw_options opts;
	const struct cmd_entry *e;
	const char *nc, *ld;
	int ch;

	setlocale(LC_ALL, "");
	/* KUBEWIZ_LOCALEDIR: tests point at a catalogue in the build tree. */
	ld = getenv("KUBEWIZ_LOCALEDIR");
	bindtextdomain(PACKAGE, ld != NULL && *ld != '\0' ? ld : LOCALEDIR);
	textdomain(PACKAGE);

	memset(&opts, 0, sizeof opts);
	nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0')
		opts.no_color = 1;

	while ((ch = getopt_long(argc, argv, "+vVh", main_longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_NO_TUI:
			opts.no_tui = 1;
			break;
		case OPT_NO_COLOR:
			opts.no_color = 1;
			break;
		case OPT_STATE_DIR:
			opts.state_dir = optarg;
			break;
		case OPT_PARALLEL:
			if (main_parse_parallel(optarg, &opts.parallel) != 0) {
				fprintf(stderr, _("kubewiz: --parallel: '%s' is "
				    "not a number from 0 (all) to 10000\n"), optarg);
				return KW_EXIT_USAGE;
			}
			break;
		case OPT_ACCEPT_NEW:
			opts.accept_new_host_keys = 1;
			break;
		case 'v':
			opts.verbose++;
			break;
		case 'V':
			printf("kubewiz %s\n", PACKAGE_VERSION);
			return KW_EXIT_OK;
		case 'h':
			cmd_print_help();
			return KW_EXIT_OK;
		default:
			fprintf(stderr, _("Try 'kubewiz --help'.\n"));
			return KW_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		/* No command: the main menu, which needs a terminal. */
		if (opts.no_tui || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			cmd_print_help();
			return KW_EXIT_USAGE;
		}
		return cmd_menu(&opts);
	}
	e = cmd_find(argv[0]);
	if (e == NULL) {
		fprintf(stderr, _("kubewiz: '%s' is not a kubewiz command. "
		    "Try 'kubewiz --help'.\n"), argv[0]);
		return KW_EXIT_USAGE;
	}
	optind = 0;	/* glibc: reset getopt for the subcommand */
	return e->exec(&opts, argc, argv);
}
