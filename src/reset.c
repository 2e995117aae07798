/* reset.c: kubeadm reset and clean-up on nodes in parallel, removal of
 * one worker, and the state after a reset. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "render.h"
#include "reset.h"
#include "runner.h"
#include "ssh.h"
#include "xmalloc.h"

/* Seconds for connecting, and for each script. */
#define RESET_CONNECT_TIMEOUT	15
#define RESET_RUN_TIMEOUT	900

/* One progress call at a time, whatever thread. */
static pthread_mutex_t reset_progress_lock = PTHREAD_MUTEX_INITIALIZER;

/* A worker: one node. */
struct reset_job {
	const struct reset_options	*o;
	size_t				 node;
	struct reset_result		*res;
	pthread_t			 thread;
	int				 log_fd;
	char				*last_err;	/* last stderr line */
};

/* Report progress. */
static void
reset_progress(const struct reset_options *o, size_t node,
    enum marker_kind kind, const char *text)
{
	if (o->progress == NULL)
		return;
	pthread_mutex_lock(&reset_progress_lock);
	o->progress(o->arg, node, kind, text);
	pthread_mutex_unlock(&reset_progress_lock);
}

/* Append a line to the log (best effort: a full disk does not stop a
 * reset). */
static void
reset_log(int fd, const char *line, size_t len)
{
	if (fd == -1)
		return;
	if (write(fd, line, len) < 0 || write(fd, "\n", 1) < 0) {
		/* nothing better to do */
	}
}

/* Open logs/NODE/reset.log for appending; sets res->log. Returns the fd
 * or -1. */
static int
reset_open_log(const struct reset_options *o, const char *node,
    struct reset_result *res)
{
	char *logs = NULL, *dir = NULL;
	int fd;

	if (o->state_dir == NULL)
		return -1;
	logs = xasprintf("%s/logs", o->state_dir);
	dir = xasprintf("%s/%s", logs, node);
	if ((mkdir(logs, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
		free(logs);
		free(dir);
		return -1;
	}
	res->log = xasprintf("%s/%s", dir, RESET_LOG);
	fd = open(res->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	free(logs);
	free(dir);
	return fd;
}

/* Output of a script: to the log, markers to the progress callback. */
static void
reset_line(void *arg, enum transport_stream stream, const char *line,
    size_t len)
{
	struct reset_job *j = arg;
	struct marker m;
	char *text = NULL;

	reset_log(j->log_fd, line, len);
	memset(&m, 0, sizeof m);
	if (stream == TRANSPORT_STDERR) {
		/* kw_die's error marker, translated, else the line itself. */
		if (marker_parse(line, len, &m) == MARKER_ERROR) {
			free(j->last_err);
			j->last_err = marker_text(&m);
		} else if (len > 0) {
			free(j->last_err);
			j->last_err = xstrndup(line, len > 400 ? 400 : len);
		}
		marker_clear(&m);
		return;
	}
	switch (marker_parse(line, len, &m)) {
	case MARKER_STEP:
	case MARKER_SKIP:
	case MARKER_WARN:
		/* Translated, with the arguments of a template in place. */
		text = marker_text(&m);
		reset_progress(j->o, j->node, m.kind, text);
		free(text);
		break;
	case MARKER_LOG:
		text = marker_text(&m);
		reset_progress(j->o, j->node, MARKER_NONE, text);
		free(text);
		break;
	case MARKER_NONE:
		text = xstrndup(line, len);
		reset_progress(j->o, j->node, MARKER_NONE, text);
		free(text);
		break;
	default:
		break;
	}
	marker_clear(&m);
}

/* Connect to node i and run the named script with vars. Returns 0 when
 * it ended with 0, else -1 with j->res->error set. */
static int
reset_run_script(struct reset_job *j, size_t i, const char *name,
    const struct render_var *vars, size_t nvars)
{
	const struct reset_options *o = j->o;
	struct ssh_params p;
	struct transport *t = NULL;
	char *cause = NULL, *script = NULL;
	size_t len;
	int rc, status = -1, ret = -1;

	memset(&p, 0, sizeof p);
	ssh_params_from_cluster(&p, o->cluster, &o->cluster->nodes[i]);
	p.prompts = o->prompts;
	p.accept_new_host_keys = o->accept_new_host_keys;
	p.connect_timeout = RESET_CONNECT_TIMEOUT;
	t = ssh_transport_new(&p);
	rc = transport_connect(t, &cause);
	if (rc != TRANSPORT_OK) {
		j->res->error = xasprintf(_("cannot log in to %s: %s"),
		    o->cluster->nodes[i].name, cause != NULL ? cause : "?");
		goto out;
	}
	script = render_named_script(o->cluster, i, name, vars, nvars, &len);
	rc = transport_run(t, script, len, RESET_RUN_TIMEOUT, reset_line, j,
	    &status, &cause);
	j->res->exit_code = rc == TRANSPORT_OK ? status : -1;
	if (rc != TRANSPORT_OK) {
		j->res->error = xasprintf(_("%s on %s did not finish: %s"),
		    name, o->cluster->nodes[i].name, cause != NULL ? cause :
		    "?");
		goto out;
	}
	if (status != 0) {
		j->res->error = xasprintf(_("%s on %s exited with %d%s%s"),
		    name, o->cluster->nodes[i].name, status,
		    j->last_err != NULL ? ": " : "",
		    j->last_err != NULL ? j->last_err : "");
		goto out;
	}
	ret = 0;
out:
	xfree_secret(script);
	free(cause);
	transport_free(t);
	return ret;
}

/* Thread: reset one node. */
static void *
reset_main(void *arg)
{
	struct reset_job *j = arg;
	char head[128];
	struct tm tm;
	time_t now;
	int n;

	j->log_fd = reset_open_log(j->o, j->o->cluster->nodes[j->node].name,
	    j->res);
	now = time(NULL);
	gmtime_r(&now, &tm);
	n = (int)strftime(head, sizeof head, "=== kubewiz reset, "
	    "%Y-%m-%dT%H:%M:%SZ ===", &tm);
	reset_log(j->log_fd, head, (size_t)n);
	if (reset_run_script(j, j->node, "reset", NULL, 0) == 0)
		j->res->ok = 1;
	if (j->log_fd != -1)
		close(j->log_fd);
	return NULL;
}

/* Reset nodes in parallel. */
size_t
reset_nodes(const struct reset_options *o, const unsigned char *only,
    struct reset_result *results)
{
	struct reset_job *jobs = NULL;
	size_t i, failed = 0;
	int error;

	jobs = xcalloc(o->cluster->nnodes + 1, sizeof *jobs);
	for (i = 0; i < o->cluster->nnodes; i++) {
		memset(&results[i], 0, sizeof results[i]);
		results[i].exit_code = -1;
		if (only != NULL && !only[i])
			continue;
		results[i].ran = 1;
		jobs[i].o = o;
		jobs[i].node = i;
		jobs[i].res = &results[i];
		jobs[i].log_fd = -1;
		error = pthread_create(&jobs[i].thread, NULL, reset_main,
		    &jobs[i]);
		if (error != 0)
			fatalx("pthread_create: %s", strerror(error));
	}
	for (i = 0; i < o->cluster->nnodes; i++) {
		if (!results[i].ran)
			continue;
		pthread_join(jobs[i].thread, NULL);
		free(jobs[i].last_err);
		if (!results[i].ok)
			failed++;
	}
	free(jobs);
	return failed;
}

/* Free results. */
void
reset_results_clear(struct reset_result *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].error);
		free(r[i].log);
		memset(&r[i], 0, sizeof r[i]);
	}
}

/* Drain and delete a node on the first control plane. */
int
reset_remove_node(const struct reset_options *o, const char *name,
    char **cause)
{
	const struct cluster_node *first = NULL;
	struct reset_result res;
	struct reset_job j;
	struct render_var var = { "KW_REMOVE_NODE", name };
	int ret;

	first = cluster_first_control_plane(o->cluster);
	if (first == NULL) {
		*cause = xstrdup(_("the config has no control plane"));
		return -1;
	}
	memset(&res, 0, sizeof res);
	memset(&j, 0, sizeof j);
	j.o = o;
	j.node = (size_t)(first - o->cluster->nodes);
	j.res = &res;
	j.log_fd = reset_open_log(o, name, &res);
	ret = reset_run_script(&j, j.node, "node-remove", &var, 1);
	if (ret != 0)
		*cause = res.error != NULL ? xstrdup(res.error) :
		    xstrdup(_("node-remove failed"));
	if (j.log_fd != -1)
		close(j.log_fd);
	free(j.last_err);
	reset_results_clear(&res, 1);
	return ret;
}

/* Forget the install in the state and save it. */
int
reset_mark_state(struct state *st, char **cause)
{
	struct state_task *t = NULL;
	char when[64], *path;
	struct tm tm;
	time_t now;
	size_t i;
	int s;

	for (i = 0; i < st->nnodes; i++) {
		for (s = 0; s < STAGE_COUNT; s++) {
			t = &st->nodes[i].tasks[s];
			free(t->hash);
			t->hash = NULL;
			t->status = TASK_PENDING;
			t->exit_code = 0;
			t->start = t->end = 0;
		}
	}
	for (i = 0; i < st->noutputs; i++) {
		free(st->outputs[i].key);
		free(st->outputs[i].value);
	}
	free(st->outputs);
	st->outputs = NULL;
	st->noutputs = 0;
	for (i = 0; i < st->nsecrets; i++) {
		free(st->secrets[i].key);
		xfree_secret(st->secrets[i].value);
	}
	free(st->secrets);
	st->secrets = NULL;
	st->nsecrets = 0;

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	state_set_output(st, RESET_OUTPUT, when);

	path = state_path(st, RUNNER_ADMIN_CONF);
	unlink(path);
	free(path);
	path = state_path(st, RUNNER_DASHBOARD_TOKEN);
	unlink(path);
	free(path);
	if (state_save_secrets(st, cause) != 0)
		return -1;
	return state_save(st, cause);
}
