/* cmd-validate.c: the "validate" subcommand: check a cluster.yaml without
 * touching any server. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"

static const struct option cmd_validate_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Print the help of "kubewiz validate". */
static void
cmd_validate_help(void)
{
	printf(_("usage: kubewiz validate -f FILE\n\n"
	    "Check a cluster configuration without touching any server: the\n"
	    "YAML, every field, and the rules between fields (unique names and\n"
	    "addresses, subnets that do not overlap, a known Kubernetes\n"
	    "version, ...). Every problem is printed as\n"
	    "FILE:LINE:COLUMN: error: FIELD: what is wrong and what is valid.\n\n"
	    "Options:\n"
	    "  -f, --file FILE   the config to check ('-' reads standard input)\n"
	    "  -q, --quiet       print nothing when the config is valid\n"
	    "  -h, --help        print this help and exit\n\n"
	    "Exit status: 0 valid (warnings may be printed), 2 invalid or usage "
	    "error.\nThe fields are described in kubewiz.yaml(5).\n"));
}

/* Run "kubewiz validate -f FILE". */
static int
cmd_validate_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct diag_list	 diags;
	struct cluster		*c = NULL;
	const char		*file = NULL, *shown = NULL;
	char			*nodes = NULL;
	unsigned long		 n;
	enum cluster_profile	 profile;
	int			 ch, quiet = 0, rc = KW_EXIT_USAGE;

	(void)opts;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:qh", cmd_validate_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			cmd_validate_help();
			return KW_EXIT_OK;
		case ':':
			fprintf(stderr, _("kubewiz validate: option '%s' needs a "
			    "file name\n"), argv[optind - 1]);
			return cmd_usage(&cmd_validate_entry);
		default:
			fprintf(stderr, _("kubewiz validate: unknown option '%s'\n"),
			    argv[optind - 1]);
			return cmd_usage(&cmd_validate_entry);
		}
	}
	if (optind < argc) {
		fprintf(stderr, _("kubewiz validate: unexpected argument '%s'; "
		    "give the file with -f\n"), argv[optind]);
		return cmd_usage(&cmd_validate_entry);
	}
	if (file == NULL) {
		fprintf(stderr, _("kubewiz validate: which file? Give it with "
		    "-f FILE\n"));
		return cmd_usage(&cmd_validate_entry);
	}
	shown = strcmp(file, "-") == 0 ? "<stdin>" : file;

	diag_init(&diags);
	c = config_load_file(file, &diags);
	config_print_diags(&diags, shown);
	if (c == NULL) {
		n = diag_errors(&diags);
		fprintf(stderr, ngettext("%s: invalid: %lu error\n",
		    "%s: invalid: %lu errors\n", n), shown, n);
		goto out;
	}
	profile = cluster_profile(c);
	if (!quiet) {
		n = c->nnodes;
		nodes = xasprintf(ngettext("%lu node", "%lu nodes", n), n);
		printf(_("%s: valid: cluster %s, %s, Kubernetes %s (%s profile: "
		    "%s)\n"), shown, c->name, nodes, c->kubernetes.version,
		    cluster_profile_label(profile),
		    cluster_runtime_name(cluster_runtime(c)));
		free(nodes);
	}
	rc = KW_EXIT_OK;
out:
	cluster_free(c);
	diag_clear(&diags);
	return rc;
}

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "-f FILE",
	.summary = N_("check a cluster.yaml without touching any server"),
	.exec = cmd_validate_exec,
};
