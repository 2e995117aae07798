/* plain.c: the line-oriented front end: event lines, heartbeats, prompts
 * by policy, Ctrl-C, and the final summary. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "plain.h"
#include "ttyask.h"
#include "xmalloc.h"

#define PLAIN_HEARTBEAT 15

/* What the front end knows about one node. */
struct plain_node {
	int	 stage;		/* running stage, or -1 */
	double	 started;	/* when it started (local clock) */
	double	 last_output;	/* last event of the running stage */
	double	 next_beat;
	char	*os_id;		/* facts shown when connect is done */
	char	*os_version;
	char	*cpus;
	char	*mem_mb;
	unsigned int skipped;	/* stages skipped, not printed yet (bits) */
};

struct plain {
	struct install			*inst;
	const struct cluster		*c;
	const struct plain_options	*opts;
	FILE				*out;
	struct plain_node		*nodes;
	int				 heartbeat;
	int				 done;
	int				 exit_code;
	int				 stopping;
};

/* The self-pipe the signal handler writes to. */
static int plain_sigpipe[2] = { -1, -1 };
static volatile sig_atomic_t plain_signals;

/* Signal handler: count, and wake the loop. */
static void
plain_on_signal(int sig)
{
	int saved = errno;
	char c = 's';

	(void)sig;
	plain_signals++;
	if (plain_signals >= 2) {
		/* A second Ctrl-C: quit now (the state is saved after every
		 * change, so resume picks up from here). */
		_exit(130);
	}
	(void)!write(plain_sigpipe[1], &c, 1);
	errno = saved;
}

/* Seconds on a monotonic clock. */
static double
plain_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Format a duration as "42s", "3m05s" or "1h02m". */
static void
plain_duration(double secs, char *buf, size_t len)
{
	long s = (long)(secs + 0.5);

	if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
}

/* The name of node i, or "kubewiz" for run-wide lines. */
static const char *
plain_node_name(struct plain *p, int node)
{
	if (node < 0 || (size_t)node >= p->c->nnodes)
		return "kubewiz";
	return p->c->nodes[node].name;
}

/* Print "[node] stage: text". */
static void KW_PRINTF(4, 5)
plain_line(struct plain *p, int node, int stage, const char *fmt, ...)
{
	va_list ap;

	if (stage >= 0)
		fprintf(p->out, "[%s] %s: ", plain_node_name(p, node),
		    stage_label(stage));
	else
		fprintf(p->out, "[%s] ", plain_node_name(p, node));
	va_start(ap, fmt);
	vfprintf(p->out, fmt, ap);
	va_end(ap);
	fputc('\n', p->out);
	fflush(p->out);
}

/* Answer a prompt by policy. */
static void
plain_prompt(struct plain *p, const struct event *ev)
{
	struct prompt *pr = ev->prompt;
	char *secret, *text;
	size_t len;

	if (pr->kind == PROMPT_HOSTKEY) {
		if (p->opts->accept_new_host_keys) {
			plain_line(p, ev->node, STAGE_CONNECT, _("trusting a "
			    "new host key (--accept-new-host-keys):"));
			fprintf(p->out, "%s\n", pr->text);
			prompt_answer(pr, 1, NULL);
			return;
		}
		plain_line(p, ev->node, STAGE_CONNECT, _("unknown host key "
		    "refused:"));
		fprintf(p->out, "%s\n", pr->text);
		fprintf(p->out, _("Check the fingerprint, then add the key to "
		    "known_hosts (ssh-keyscan, or one ssh login), or run again "
		    "with --accept-new-host-keys.\n"));
		prompt_answer(pr, 0, NULL);
		return;
	}
	secret = NULL;
	len = ttyask_stem_len(pr->text);
	if (isatty(STDIN_FILENO)) {
		text = xasprintf("%.*s: ", (int)len, pr->text);
		secret = ttyask_secret_line(text);
		free(text);
	}
	if (secret == NULL) {
		text = xstrndup(pr->text, len);
		plain_line(p, ev->node, STAGE_CONNECT, _("%s: no terminal to "
		    "ask on; use an SSH key or agent (and sudo without a "
		    "password), or run kubewiz in a terminal"), text);
		free(text);
		prompt_answer(pr, 0, NULL);
		return;
	}
	prompt_answer(pr, 1, secret);
	xfree_secret(secret);
}

/* Print a task state change. */
static void
plain_task_state(struct plain *p, const struct event *ev)
{
	struct plain_node *pn = &p->nodes[ev->node];
	const char *why = ev->text != NULL ? ev->text : "";
	char dur[32];
	double now = plain_now();

	switch (ev->state) {
	case TASK_RUNNING:
		pn->stage = ev->stage;
		pn->started = pn->last_output = now;
		pn->next_beat = now + p->heartbeat;
		plain_line(p, ev->node, ev->stage, _("started"));
		break;
	case TASK_DONE:
		plain_duration(now - pn->started, dur, sizeof dur);
		pn->stage = -1;
		if (ev->stage == STAGE_CONNECT && pn->os_id != NULL)
			plain_line(p, ev->node, ev->stage, _("done in %s (%s "
			    "%s, %s CPUs, %s MB)"), dur, pn->os_id,
			    pn->os_version != NULL ? pn->os_version : "",
			    pn->cpus != NULL ? pn->cpus : "?",
			    pn->mem_mb != NULL ? pn->mem_mb : "?");
		else
			plain_line(p, ev->node, ev->stage, _("done in %s"),
			    dur);
		break;
	case TASK_SKIPPED:
		/* Printed together, one line per node (plain_flush_skips). */
		pn->skipped |= 1U << ev->stage;
		break;
	case TASK_FAILED:
		pn->stage = -1;
		plain_line(p, ev->node, ev->stage, _("FAILED: %s"), why);
		break;
	case TASK_BLOCKED:
		plain_line(p, ev->node, ev->stage, _("blocked (%s)"), why);
		break;
	case TASK_WAITING:
		plain_line(p, ev->node, ev->stage, _("waiting for %s"), why);
		break;
	case TASK_CANCELLED:
		pn->stage = -1;
		if (*why != '\0')
			plain_line(p, ev->node, ev->stage, _("cancelled (%s)"),
			    why);
		else
			plain_line(p, ev->node, ev->stage, _("cancelled"));
		break;
	default:
		break;
	}
}

/* Keep facts the connect line shows. */
static void
plain_fact(struct plain *p, const struct event *ev)
{
	struct plain_node *pn = &p->nodes[ev->node];
	char **slot = NULL;

	if (ev->key == NULL || ev->text == NULL)
		return;
	if (strcmp(ev->key, "os_id") == 0)
		slot = &pn->os_id;
	else if (strcmp(ev->key, "os_version") == 0)
		slot = &pn->os_version;
	else if (strcmp(ev->key, "cpus") == 0)
		slot = &pn->cpus;
	else if (strcmp(ev->key, "mem_mb") == 0)
		slot = &pn->mem_mb;
	if (slot != NULL) {
		free(*slot);
		*slot = xstrdup(ev->text);
	}
	if (p->opts->verbose)
		plain_line(p, ev->node, ev->stage, "fact %s=%s", ev->key,
		    ev->text);
}

/* Print the skipped stages of every node as one line per node:
 * "[node] skipped, done earlier with the same inputs: preflight system". */
static void
plain_flush_skips(struct plain *p)
{
	struct plain_node *pn;
	size_t i, len;
	char buf[256];
	int s;

	for (i = 0; i < p->c->nnodes; i++) {
		pn = &p->nodes[i];
		if (pn->skipped == 0)
			continue;
		buf[0] = '\0';
		for (s = 0; s < STAGE_COUNT; s++) {
			if (!(pn->skipped & (1U << s)))
				continue;
			len = strlen(buf);
			snprintf(buf + len, sizeof buf - len, "%s%s",
			    len > 0 ? " " : "", stage_label(s));
		}
		pn->skipped = 0;
		plain_line(p, (int)i, -1, _("skipped, done earlier with the "
		    "same inputs: %s"), buf);
	}
}

/* Handle one event. */
static void
plain_event(struct plain *p, const struct event *ev)
{
	struct plain_node *pn = NULL;
	const char *text = NULL;

	/* Resume reports its skips and reruns first: gather the skips. */
	if (ev->type != EVENT_MESSAGE && (ev->type != EVENT_TASK_STATE ||
	    ev->state != TASK_SKIPPED))
		plain_flush_skips(p);

	if (ev->node >= 0 && (size_t)ev->node < p->c->nnodes)
		pn = &p->nodes[ev->node];
	if (pn != NULL && ev->stage == pn->stage)
		pn->last_output = plain_now();
	switch (ev->type) {
	case EVENT_TASK_STATE:
		if (pn != NULL)
			plain_task_state(p, ev);
		break;
	case EVENT_TASK_STEP:
		/* The engine translated the step (src/markers.c). */
		text = ev->text != NULL ? ev->text : "";
		if (ev->key != NULL && strcmp(ev->key, "skip") == 0)
			plain_line(p, ev->node, ev->stage, _("already done: "
			    "%s"), text);
		else
			plain_line(p, ev->node, ev->stage, "%s", text);
		break;
	case EVENT_TASK_LOG:
		if (p->opts->verbose)
			plain_line(p, ev->node, ev->stage, "| %s",
			    ev->text != NULL ? ev->text : "");
		break;
	case EVENT_TASK_WARN:
		plain_line(p, ev->node, ev->stage, _("warning: %s"),
		    ev->text != NULL ? ev->text : "");
		break;
	case EVENT_FACT:
		if (pn != NULL)
			plain_fact(p, ev);
		break;
	case EVENT_MESSAGE:
		plain_line(p, -1, -1, "%s", ev->text != NULL ? ev->text : "");
		break;
	case EVENT_PROMPT:
		plain_prompt(p, ev);
		break;
	case EVENT_RUN_DONE:
		p->done = 1;
		p->exit_code = ev->exit_code;
		break;
	}
}

/* Print a heartbeat for each stage running long. */
static void
plain_heartbeat(struct plain *p)
{
	struct plain_node *pn;
	char el[32], quiet[32];
	double now = plain_now();
	size_t i;

	for (i = 0; i < p->c->nnodes; i++) {
		pn = &p->nodes[i];
		if (pn->stage < 0 || now < pn->next_beat)
			continue;
		pn->next_beat = now + p->heartbeat;
		plain_duration(now - pn->started, el, sizeof el);
		plain_duration(now - pn->last_output, quiet, sizeof quiet);
		plain_line(p, (int)i, pn->stage, _("still running (%s, last "
		    "output %s ago)"), el, quiet);
	}
}

/* The result word of a node for the summary. Caller frees. */
static char *
plain_node_result(struct plain *p, size_t node, int *failed)
{
	struct runner_task_info info;
	char *res = NULL;
	int s;

	*failed = 0;
	if (install_node_skipped(p->inst, node))
		return xstrdup(_("skipped by the operator"));
	for (s = 0; s < STAGE_COUNT && res == NULL; s++) {
		if (install_task_info(p->inst, node, s, &info) != 0)
			continue;
		switch (info.state) {
		case TASK_DONE:
		case TASK_SKIPPED:
			break;
		case TASK_FAILED:
			*failed = 1;
			if (install_node_hostkey_refused(p->inst, node))
				res = xasprintf(_("REFUSED at %s (host key)"),
				    stage_label(s));
			else if (info.exit_code >= 0)
				res = xasprintf(_("FAILED at %s (exit %d)"),
				    stage_label(s), info.exit_code);
			else
				res = xasprintf(_("FAILED at %s"),
				    stage_label(s));
			break;
		case TASK_BLOCKED:
			res = xasprintf(_("not finished: %s blocked by %s"),
			    stage_label(s), info.reason != NULL ? info.reason :
			    "?");
			break;
		case TASK_CANCELLED:
			res = xasprintf(_("stopped at %s"), stage_label(s));
			break;
		default:
			res = xasprintf(_("not finished: %s %s"), stage_label(s),
			    task_state_label(info.state));
			break;
		}
		runner_task_info_clear(&info);
	}
	return res != NULL ? res : xstrdup(_("ok"));
}

/* Print the failures with their last lines and log paths. */
static void
plain_failures(struct plain *p)
{
	struct runner_task_info info;
	char *dup;
	size_t n, i;
	int s, header = 0;

	for (n = 0; n < p->c->nnodes; n++) {
		for (s = 0; s < STAGE_COUNT; s++) {
			if (install_task_info(p->inst, n, s, &info) != 0)
				continue;
			if (info.state != TASK_FAILED) {
				runner_task_info_clear(&info);
				continue;
			}
			if (!header) {
				fprintf(p->out, _("\nFailures:\n"));
				header = 1;
			}
			fprintf(p->out, "  %s %s: %s\n", p->c->nodes[n].name,
			    stage_label(s), info.reason != NULL ? info.reason :
			    "?");
			/* The stage's error line is the reason, said above. */
			dup = info.reason != NULL ?
			    xasprintf(_("error: %s"), info.reason) : NULL;
			for (i = 0; i < info.ntail; i++) {
				if (dup == NULL || strcmp(info.tail[i], dup) != 0)
					fprintf(p->out, "    | %s\n",
					    info.tail[i]);
			}
			free(dup);
			if (info.log != NULL)
				fprintf(p->out, _("    log: %s\n"), info.log);
			runner_task_info_clear(&info);
		}
	}
}

/* Print the final summary. Lines "key: value" at the end are stable
 * (not translated): scripts read them. */
static void
plain_summary(struct plain *p)
{
	const char *url, *token, *file, *expires, *kubeconfig;
	char **warnings = NULL, *res, *resume;
	size_t i, nw;
	int failed, width = 4;

	for (i = 0; i < p->c->nnodes; i++) {
		if ((int)strlen(p->c->nodes[i].name) > width)
			width = (int)strlen(p->c->nodes[i].name);
	}
	fprintf(p->out, _("\nSummary:\n"));
	for (i = 0; i < p->c->nnodes; i++) {
		res = plain_node_result(p, i, &failed);
		fprintf(p->out, "  %-*s  %-13s  %s\n", width,
		    p->c->nodes[i].name,
		    cluster_role_name(p->c->nodes[i].role), res);
		free(res);
	}
	plain_failures(p);
	nw = install_warnings(p->inst, &warnings);
	if (nw > 0)
		fprintf(p->out, _("\nWarnings:\n"));
	for (i = 0; i < nw; i++) {
		fprintf(p->out, "  %s\n", warnings[i]);
		free(warnings[i]);
	}
	free(warnings);

	fputc('\n', p->out);
	if (!p->opts->check_only) {
		kubeconfig = install_output(p->inst, "KUBECONFIG");
		url = install_output(p->inst, "DASHBOARD_URL");
		token = install_output(p->inst, "SECRET_DASHBOARD_TOKEN");
		file = install_output(p->inst, "DASHBOARD_TOKEN_FILE");
		expires = install_output(p->inst, "TOKEN_EXPIRES");
		if (kubeconfig != NULL)
			fprintf(p->out, "kubeconfig: %s\n", kubeconfig);
		if (url != NULL)
			fprintf(p->out, "dashboard: %s\n", url);
		if (file != NULL)
			fprintf(p->out, "token-file: %s\n", file);
		if (token != NULL && p->opts->show_token)
			fprintf(p->out, "token: %s\n", token);
		if (expires != NULL)
			fprintf(p->out, "token-expires: %s\n", expires);
		if (file != NULL && !p->opts->show_token)
			fprintf(p->out, _("(the Dashboard token is in the "
			    "0600 file above; --show-token prints it)\n"));
	}
	if (p->exit_code != KW_EXIT_OK && !p->opts->check_only) {
		resume = install_resume_command(p->inst);
		fprintf(p->out, "resume: %s\n", resume);
		free(resume);
	}
	if (p->exit_code == KW_EXIT_OK)
		fprintf(p->out, p->opts->check_only ? _("Every node passed "
		    "the checks.\n") : _("The cluster is installed.\n"));
	else if (p->exit_code == KW_EXIT_REFUSED)
		fprintf(p->out, _("Stopped for safety: a host key was "
		    "refused.\n"));
	fflush(p->out);
}

/* Run the plain front end. */
int
plain_run(struct install *inst, struct event_queue *q,
    const struct plain_options *opts)
{
	struct plain p;
	struct sigaction sa, old_int, old_term;
	struct pollfd pfd[2];
	struct event *ev;
	char *cause = NULL, buf[16];
	size_t i;
	int code;

	memset(&p, 0, sizeof p);
	p.inst = inst;
	p.c = install_cluster(inst);
	p.opts = opts;
	p.out = opts->out != NULL ? opts->out : stdout;
	p.heartbeat = opts->heartbeat > 0 ? opts->heartbeat : PLAIN_HEARTBEAT;
	p.nodes = xcalloc(p.c->nnodes, sizeof *p.nodes);
	for (i = 0; i < p.c->nnodes; i++)
		p.nodes[i].stage = -1;

	if (pipe(plain_sigpipe) != 0)
		fatalx("pipe: %s", strerror(errno));
	fcntl(plain_sigpipe[0], F_SETFL, O_NONBLOCK);
	fcntl(plain_sigpipe[1], F_SETFL, O_NONBLOCK);
	plain_signals = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plain_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	if (install_start(inst, &cause) != 0) {
		fprintf(stderr, "kubewiz: %s\n", cause);
		free(cause);
		code = KW_EXIT_FAILED;
		goto out;
	}
	while (!p.done) {
		pfd[0].fd = event_queue_fd(q);
		pfd[0].events = POLLIN;
		pfd[1].fd = plain_sigpipe[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 1000) < 0 && errno != EINTR)
			fatalx("poll: %s", strerror(errno));
		if (plain_signals > 0 && !p.stopping) {
			while (read(plain_sigpipe[0], buf, sizeof buf) > 0)
				;
			p.stopping = 1;
			plain_line(&p, -1, -1, _("stopping: cancelling running "
			    "commands and saving the state (Ctrl-C again to "
			    "quit at once)"));
			install_cancel(inst);
		}
		while ((ev = event_queue_pop(q)) != NULL) {
			plain_event(&p, ev);
			event_free(ev);
		}
		plain_heartbeat(&p);
	}
	code = install_wait(inst);
	p.exit_code = code;
	plain_summary(&p);
out:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(plain_sigpipe[0]);
	close(plain_sigpipe[1]);
	plain_sigpipe[0] = plain_sigpipe[1] = -1;
	for (i = 0; i < p.c->nnodes; i++) {
		free(p.nodes[i].os_id);
		free(p.nodes[i].os_version);
		free(p.nodes[i].cpus);
		free(p.nodes[i].mem_mb);
	}
	free(p.nodes);
	return code;
}
