/* cmd-status.c: the "status" subcommand: the health of an installed
 * cluster, on the status screen (TUI) or as plain tables, once or
 * refreshed every few seconds (--watch). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cmd.h"
#include "i18n.h"
#include "install.h"
#include "reset.h"
#include "state.h"
#include "status.h"
#include "status_view.h"
#include "ttyask.h"
#include "ui.h"
#include "xmalloc.h"

enum {
	OPT_WATCH = 256,
};

static const struct option cmd_status_longopts[] = {
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* A plain table: rows of cells, printed with aligned columns. */
struct cmd_status_table {
	char	**cells;
	size_t	  ncols;
	size_t	  nrows;
};

/* Add a row of ncols cells (copied; NULL shows as "-"). */
static void
cmd_status_row(struct cmd_status_table *t, const char *const *cells)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	for (i = 0; i < t->ncols; i++) {
		t->cells[t->nrows * t->ncols + i] = xstrdup(cells[i] != NULL &&
		    *cells[i] != '\0' ? cells[i] : "-");
	}
	t->nrows++;
}

/* Display width of a cell in the terminal's locale (CJK characters take
 * two columns; bytes that do not decode count one). */
static size_t
cmd_status_width(const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t len = strlen(s), n, w = 0;
	int cw;

	memset(&st, 0, sizeof st);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else
			cw = wcwidth(wc);
		w += cw > 0 ? (size_t)cw : 0;
		s += n;
		len -= n;
	}
	return w;
}

/* Print a table with two spaces between columns, then free it. */
static void
cmd_status_table_print(struct cmd_status_table *t)
{
	size_t *w = NULL, r, c, len;
	const char *cell = NULL;

	w = xcalloc(t->ncols, sizeof *w);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			len = cmd_status_width(t->cells[r * t->ncols + c]);
			if (len > w[c])
				w[c] = len;
		}
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * t->ncols + c];
			if (c + 1 == t->ncols)
				printf("%s\n", cell);
			else
				printf("%s%*s", cell, (int)(w[c] -
				    cmd_status_width(cell)) + 2, "");
		}
	}
	for (r = 0; r < t->nrows * t->ncols; r++)
		free(t->cells[r]);
	free(t->cells);
	free(w);
	memset(t, 0, sizeof *t);
}

#define CMD_STATUS_NCOLS(a) (sizeof (a) / sizeof (a)[0])

/* Column headings of the node, pod and certificate tables. */
static const char *cmd_status_node_heads[] = {
	N_("NODE"), N_("STATUS"), N_("ROLES"), N_("VERSION"), N_("ADDRESS"),
	N_("AGE"), N_("SSH"), N_("CONDITIONS")
};
static const char *cmd_status_pod_heads[] = {
	N_("NAMESPACE"), N_("POD"), N_("STATUS"), N_("READY"), N_("RESTARTS"),
	N_("NODE"), N_("REASON")
};
static const char *cmd_status_cert_heads[] = {
	N_("CERTIFICATE"), N_("DAYS LEFT")
};

/* Start table t with ncols columns and its translated heading row. */
static void
cmd_status_heading(struct cmd_status_table *t, const char **heads,
    size_t ncols)
{
	const char	*cells[16];
	size_t		 i;

	if (ncols > CMD_STATUS_NCOLS(cells))
		fatalx("status: %zu columns", ncols);
	t->ncols = ncols;
	for (i = 0; i < ncols; i++)
		cells[i] = _(heads[i]);
	cmd_status_row(t, cells);
}

/* The STATUS word of a node, as kubectl shows it. */
static const char *
cmd_status_node_word(const struct status_node *n)
{
	if (!n->in_api)
		return _("NotRegistered");
	if (strcmp(n->ready, "True") == 0)
		return "Ready";
	if (strcmp(n->ready, "False") == 0)
		return "NotReady";
	return "Unknown";
}

/* Print a report as plain tables. */
static void
cmd_status_print(const struct status_report *r)
{
	struct cmd_status_table t;
	const struct status_node *n = NULL;
	const struct status_pod *p = NULL;
	char when[64], age[16], ready[32], restarts[16], days[32];
	const char *cells[9];
	struct tm tm;
	size_t i;

	localtime_r(&r->refreshed, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	printf(_("Cluster %s, refreshed %s"), r->cluster, when);
	if (r->host != NULL)
		printf(_(" (asked %s)"), r->host);
	printf("\n");
	if (r->error == NULL) {
		printf(_("API server: %s%s%s, version %s\n"),
		    r->readyz ? _("ready") : _("NOT ready"),
		    r->readyz_text != NULL ? ": " : "",
		    r->readyz_text != NULL ? r->readyz_text : "",
		    r->version != NULL ? r->version : _("unknown"));
	}

	printf("\n");
	memset(&t, 0, sizeof t);
	cmd_status_heading(&t, cmd_status_node_heads,
	    CMD_STATUS_NCOLS(cmd_status_node_heads));
	for (i = 0; i < r->nnodes; i++) {
		n = &r->nodes[i];
		cells[0] = n->name;
		cells[1] = r->error != NULL ? "?" : cmd_status_node_word(n);
		cells[2] = n->roles;
		cells[3] = n->kubelet;
		cells[4] = n->address;
		cells[5] = n->created != 0 ? status_format_age((long)((r->now !=
		    0 ? r->now : r->refreshed) - n->created), age, sizeof age) :
		    NULL;
		cells[6] = status_reach_name(n->reach);
		cells[7] = n->pressure;
		cmd_status_row(&t, cells);
	}
	cmd_status_table_print(&t);

	if (r->npods > 0) {
		printf("\n");
		cmd_status_heading(&t, cmd_status_pod_heads,
		    CMD_STATUS_NCOLS(cmd_status_pod_heads));
		for (i = 0; i < r->npods; i++) {
			p = &r->pods[i];
			snprintf(ready, sizeof ready, "%d/%d", p->ready,
			    p->total);
			snprintf(restarts, sizeof restarts, "%d", p->restarts);
			cells[0] = p->ns;
			cells[1] = p->name;
			cells[2] = p->phase;
			cells[3] = ready;
			cells[4] = restarts;
			cells[5] = p->node;
			cells[6] = p->reason;
			cmd_status_row(&t, cells);
		}
		cmd_status_table_print(&t);
	}

	if (r->ncerts > 0) {
		printf("\n");
		cmd_status_heading(&t, cmd_status_cert_heads,
		    CMD_STATUS_NCOLS(cmd_status_cert_heads));
		for (i = 0; i < r->ncerts; i++) {
			if (r->certs[i].known && r->certs[i].days < 0)
				snprintf(days, sizeof days, "%s", _("expired"));
			else if (r->certs[i].known)
				snprintf(days, sizeof days, "%ld",
				    r->certs[i].days);
			else
				snprintf(days, sizeof days, "%s", _("missing"));
			cells[0] = r->certs[i].name;
			cells[1] = days;
			cmd_status_row(&t, cells);
		}
		cmd_status_table_print(&t);
	}

	if (r->dashboard_url != NULL) {
		printf("\n");
		if (r->dashboard_code != 0)
			printf(_("Dashboard: %s answers (HTTP %d)\n"),
			    r->dashboard_url, r->dashboard_code);
		else
			printf(_("Dashboard: %s does NOT answer\n"),
			    r->dashboard_url);
	}

	printf("\n");
	switch (status_level(r)) {
	case STATUS_OK:
		printf(_("Healthy.\n"));
		break;
	case STATUS_WARN:
		printf(_("Healthy, with warnings:\n"));
		break;
	case STATUS_BAD:
		printf(_("Something is wrong:\n"));
		break;
	}
	for (i = 0; i < r->nissues; i++) {
		if (r->issues[i].level == STATUS_BAD)
			printf(_("  problem: %s\n"), r->issues[i].text);
		else
			printf(_("  warning: %s\n"), r->issues[i].text);
	}
	fflush(stdout);
}

/* Signal thread of --watch and Ctrl-C: cancels the refresh. */
struct cmd_status_sig {
	struct status_ctx	*ctx;
	sigset_t		 set;
	atomic_int		 stop;	/* a signal came */
	atomic_int		 done;	/* the command is over */
};

/* Wait for SIGINT/SIGTERM and cancel the query. */
static void *
cmd_status_sig_main(void *arg)
{
	struct cmd_status_sig *s = arg;
	int sig;

	for (;;) {
		if (sigwait(&s->set, &sig) != 0)
			continue;
		if (atomic_load(&s->done))
			return NULL;
		atomic_store(&s->stop, 1);
		status_ctx_cancel(s->ctx);
	}
}

/* Plain mode: print once, or every few seconds until Ctrl-C. */
static int
cmd_status_plain(const struct status_query *q, int watch)
{
	struct cmd_status_sig sig;
	struct status_report *r = NULL;
	pthread_t thread;
	sigset_t old;
	int code = KW_EXIT_FAILED, i;

	memset(&sig, 0, sizeof sig);
	sig.ctx = status_ctx_new(q);
	sigemptyset(&sig.set);
	sigaddset(&sig.set, SIGINT);
	sigaddset(&sig.set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sig.set, &old);
	if (pthread_create(&thread, NULL, cmd_status_sig_main, &sig) != 0)
		fatalx("pthread_create failed");

	for (;;) {
		r = status_ctx_refresh(sig.ctx);
		if (atomic_load(&sig.stop)) {
			status_report_free(r);
			break;
		}
		cmd_status_print(r);
		code = status_level(r) == STATUS_BAD ? KW_EXIT_FAILED :
		    KW_EXIT_OK;
		status_report_free(r);
		if (!watch)
			break;
		for (i = 0; i < STATUS_WATCH_INTERVAL * 10 &&
		    !atomic_load(&sig.stop); i++)
			usleep(100000);
		if (atomic_load(&sig.stop))
			break;
		printf("\n----\n");
	}

	atomic_store(&sig.done, 1);
	pthread_kill(thread, SIGTERM);
	pthread_join(thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	status_ctx_free(sig.ctx);
	return code;
}

/* Run "kubewiz status". */
static int
cmd_status_exec(const struct kw_options *opts, int argc, char **argv)
{
	struct transport_prompts prompts;
	struct status_query q;
	struct cluster *c = NULL;
	struct state *st = NULL;
	char *cause = NULL, *admin = NULL, *url = NULL, *reset_at = NULL;
	int ch, watch = 0, code = KW_EXIT_USAGE;

	while ((ch = getopt_long(argc, argv, "hw", cmd_status_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_WATCH:
		case 'w':
			watch = 1;
			break;
		case 'h':
			printf(_("usage: kubewiz status %s\n\n"
			    "Shows the health of cluster NAME, installed by "
			    "kubewiz, from its saved state:\nthe API server, "
			    "nodes, system pods (problems first), certificate "
			    "expiry,\nthe Dashboard and each node's SSH "
			    "reachability. Without NAME, the only saved\n"
			    "cluster is shown.\n\n"
			    "  -w, --watch    refresh every %d seconds until "
			    "Ctrl-C (screen: q)\n\n"
			    "Exit status: 0 healthy, 1 something is wrong, 2 "
			    "usage or unknown cluster.\n"),
			    cmd_status_entry.usage, STATUS_WATCH_INTERVAL);
			return KW_EXIT_OK;
		default:
			return cmd_usage(&cmd_status_entry);
		}
	}
	if (argc - optind > 1)
		return cmd_usage(&cmd_status_entry);

	c = install_load_saved(opts->state_dir,
	    optind < argc ? argv[optind] : NULL, &cause);
	if (c == NULL) {
		fprintf(stderr, "kubewiz: status: %s\n", cause);
		goto out;
	}
	if (state_open(opts->state_dir, c->name, 0, &st, &cause) != 0) {
		fprintf(stderr, "kubewiz: status: %s\n", cause);
		goto out;
	}
	admin = state_path(st, RUNNER_ADMIN_CONF);
	if (access(admin, R_OK) != 0) {
		free(admin);
		admin = NULL;
	}
	if (state_output(st, "DASHBOARD_URL") != NULL &&
	    *state_output(st, "DASHBOARD_URL") != '\0')
		url = xstrdup(state_output(st, "DASHBOARD_URL"));
	/* Reset and not installed since (the install writes admin.conf). */
	if (state_output(st, RESET_OUTPUT) != NULL && admin == NULL)
		reset_at = xstrdup(state_output(st, RESET_OUTPUT));
	state_close(st);
	st = NULL;

	memset(&q, 0, sizeof q);
	q.cluster = c;
	q.admin_conf = admin;
	q.dashboard_url = url;
	q.accept_new_host_keys = opts->accept_new_host_keys;
	q.reach = 1;
	q.reset_at = reset_at;
	if (ui_available(opts)) {
		code = ui_status(opts, c, &q, watch, &cause);
		ui_end();
		if (code < 0) {
			fprintf(stderr, "kubewiz: status: %s\n", cause);
			code = KW_EXIT_USAGE;
		}
		goto out;
	}
	ui_end();
	ttyask_prompts(&prompts);
	q.prompts = &prompts;
	code = cmd_status_plain(&q, watch);
out:
	free(cause);
	free(admin);
	free(url);
	free(reset_at);
	cluster_free(c);
	return code;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[NAME] [--watch]",
	.summary = N_("show the health of an installed cluster"),
	.exec = cmd_status_exec,
};
