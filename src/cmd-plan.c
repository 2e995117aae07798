/* cmd-plan.c: the "plan" subcommand: print the exact scripts an install
 * would run, per node and stage, without touching any node. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "cmd.h"
#include "diag.h"
#include "i18n.h"
#include "render.h"
#include "stage.h"
#include "xmalloc.h"

/* What plan shows instead of values only known at run time. */
#define PLAN_GENERATED	"<generated at run time>"
#define PLAN_FROM_PREP	"<from join-prep at run time>"

static const struct option plan_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "node", required_argument, NULL, 'n' },
	{ "stage", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Whether a stage runs on node i of the cluster. */
static int
plan_stage_runs_on(const struct cluster *c, enum stage st, size_t i)
{
	const struct cluster_node *first = cluster_first_control_plane(c);
	int is_first = &c->nodes[i] == first;

	switch (stage_where(st)) {
	case STAGE_ON_ALL:
		return 1;
	case STAGE_ON_FIRST:
		return is_first;
	case STAGE_ON_OTHERS:
		return !is_first;
	}
	return 0;
}

/* Print one script under a header comment line. */
static void
plan_print(const struct cluster *c, size_t node, const char *name,
    const char *what, const struct render_var *vars, size_t nvars)
{
	char *script;
	size_t len;

	script = render_named_script(c, node, name, vars, nvars, &len);
	printf("# ==== kubewiz plan: node %s (%s), %s ====\n",
	    c->nodes[node].name, c->nodes[node].address, what);
	fwrite(script, 1, len, stdout);
	putchar('\n');
	free(script);
}

/* Print the scripts of one task (a join also shows its join-prep). */
static void
plan_task(const struct cluster *c, enum stage st, size_t i)
{
	const struct cluster_node *first = cluster_first_control_plane(c);
	size_t fi = (size_t)(first - c->nodes);
	int cp = c->nodes[i].role == ROLE_CONTROL_PLANE;
	struct render_var vars[3];
	char *what = NULL;
	size_t n = 0;

	switch (st) {
	case STAGE_INIT:
		vars[n].key = "KW_TOKEN";
		vars[n++].value = PLAN_GENERATED;
		vars[n].key = "KW_CERT_KEY";
		vars[n++].value = PLAN_GENERATED;
		break;
	case STAGE_JOIN:
		/* First, on the first control plane: fresh join data. */
		vars[n].key = "KW_TOKEN";
		vars[n++].value = PLAN_GENERATED;
		if (cp) {
			vars[n].key = "KW_CERT_KEY";
			vars[n++].value = PLAN_GENERATED;
			vars[n].key = "KW_JOIN_CONTROL_PLANE";
			vars[n++].value = "1";
		}
		what = xasprintf("join-prep for %s", c->nodes[i].name);
		plan_print(c, fi, "join-prep", what, vars, n);
		free(what);
		what = NULL;

		n = 0;
		vars[n].key = "KW_TOKEN";
		vars[n++].value = PLAN_FROM_PREP;
		vars[n].key = "KW_CA_HASH";
		vars[n++].value = PLAN_FROM_PREP;
		if (cp) {
			vars[n].key = "KW_CERT_KEY";
			vars[n++].value = PLAN_FROM_PREP;
		}
		break;
	default:
		break;
	}
	what = xasprintf("stage %s", stage_name(st));
	plan_print(c, i, stage_name(st), what, vars, n);
	free(what);
}

/* Run "kubewiz plan -f FILE [--node NODE] [--stage STAGE]". */
static int
cmd_plan_exec(const struct kw_options *opts, int argc, char **argv)
{
	const char *file = NULL, *node = NULL, *stagename = NULL;
	struct diag_list diags;
	struct cluster *c = NULL;
	int ch, st, stage = -1, nodei = -1, rc = KW_EXIT_USAGE, printed = 0;
	size_t i;

	(void)opts;
	diag_init(&diags);
	while ((ch = getopt_long(argc, argv, "f:h", plan_longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			file = optarg;
			break;
		case 'n':
			node = optarg;
			break;
		case 's':
			stagename = optarg;
			break;
		case 'h':
			printf(_("usage: kubewiz plan %s\n\n"
			    "Print the exact scripts an install would run on each "
			    "node, stage by stage,\nwithout connecting to any node. "
			    "Values made at run time (tokens, keys,\nthe CA hash) "
			    "are shown as placeholders.\n"), cmd_plan_entry.usage);
			rc = KW_EXIT_OK;
			goto out;
		default:
			rc = cmd_usage(&cmd_plan_entry);
			goto out;
		}
	}
	if (file == NULL || optind != argc) {
		rc = cmd_usage(&cmd_plan_entry);
		goto out;
	}
	if (stagename != NULL && (stage = stage_from_name(stagename)) < 0) {
		fprintf(stderr, _("kubewiz: plan: unknown stage '%s'; stages:"),
		    stagename);
		for (st = 0; st < STAGE_COUNT; st++)
			fprintf(stderr, " %s", stage_name(st));
		fputc('\n', stderr);
		rc = cmd_usage(&cmd_plan_entry);
		goto out;
	}

	c = config_load_file(file, &diags);
	config_print_diags(&diags, file);
	if (c == NULL)
		goto out;
	if (node != NULL && (nodei = cluster_find_node(c, node)) < 0) {
		fprintf(stderr, _("kubewiz: plan: %s has no node named '%s'\n"),
		    file, node);
		goto out;
	}

	if (stage >= 0 && nodei >= 0 &&
	    !plan_stage_runs_on(c, stage, (size_t)nodei)) {
		fprintf(stderr, _("kubewiz: plan: stage %s does not run on "
		    "node %s\n"), stage_name(stage), node);
		goto out;
	}

	printf("# kubewiz plan for cluster %s (%s profile, Kubernetes %s). "
	    "At run time kubewiz\n# also passes the facts of the connect "
	    "stage as KW_FACT_* variables.\n", c->name,
	    cluster_profile_name(cluster_profile(c)), c->kubernetes.version);
	for (st = 0; st < STAGE_COUNT; st++) {
		if (stage >= 0 && st != stage)
			continue;
		for (i = 0; i < c->nnodes; i++) {
			if (nodei >= 0 && i != (size_t)nodei)
				continue;
			if (!plan_stage_runs_on(c, st, i))
				continue;
			plan_task(c, st, i);
			printed++;
		}
	}
	if (printed == 0)
		printf("# stage %s runs on no node of this cluster.\n",
		    stage_name(stage));
	rc = fflush(stdout) == 0 ? KW_EXIT_OK : KW_EXIT_FAILED;

out:
	cluster_free(c);
	diag_clear(&diags);
	return rc;
}

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.usage = "-f FILE [--node NODE] [--stage STAGE]",
	.summary = N_("print the exact scripts an install would run"),
	.exec = cmd_plan_exec,
};
