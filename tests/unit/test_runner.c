/* test_runner.c: the runner against a scripted fake transport that
 * records every call: order, blocking of dependents, resume skipping done
 * tasks, retry, skipping a worker, cancellation, the parallel limit,
 * prompts, secrets kept out of logs. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "runner.h"
#include "xmalloc.h"

#define ADMIN_B64 "YXBpVmVyc2lvbjogdjEKa2luZDogQ29uZmlnCg=="
#define ADMIN_CONF "apiVersion: v1\nkind: Config\n"
#define DASH_TOKEN "eyJhbGciOiJSUzI1NiJ9.dashboard-token-for-test"
#define CA_HASH "sha256:0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef"

/* --- the fake world --------------------------------------------------- */

/* A scripted behaviour for (node, what); what is a stage name,
 * "join-prep", or "connect!" for the transport's connect itself. */
struct rule {
	const char	*node;
	const char	*what;
	int		 exit;		/* the script's exit status */
	int		 rc;		/* transport status instead of running */
	const char	*out;		/* extra output lines */
	int		 hang;		/* block until cancelled */
	int		 once;		/* only the first time */
	int		 ask_secret;	/* connect!: ask a password first */
	const char	*want_secret;	/* connect!: else authentication fails */
	const char	*after;		/* connect!: wait (bounded) until this
					 * node's connect script ran */
	int		 ask_hostkey;	/* connect!: ask about the host key */
	int		 used;
};

struct call {
	char	*node;
	char	*what;
	char	*script;
};

struct world {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct rule	 rules[16];
	size_t		 nrules;
	struct call	 calls[1024];
	size_t		 ncalls;
	int		 running;	/* runs in progress, join-prep aside */
	int		 max_running;
	int		 wait_for;	/* connect lingers (bounded) for this many */
	char		*secret;	/* what a secret prompt answered */
	char		*secrets[8];	/* ... per node */
	const char	*answers[4];	/* drive's answers, in turn */
	int		 nanswered;
	const char	*salt_node;	/* hash of (salt_node, salt_stage) */
	const char	*salt_stage;	/* gets a different value */
};

static struct world W;

struct fake {
	struct world	*w;
	int		 cancelled;
	int		 connected;
	const struct transport_prompts *prompts;
};

/* Reset the fake world. */
static void
world_reset(void)
{
	size_t i;

	for (i = 0; i < W.ncalls; i++) {
		free(W.calls[i].node);
		free(W.calls[i].what);
		free(W.calls[i].script);
	}
	free(W.secret);
	for (i = 0; i < 8; i++)
		xfree_secret(W.secrets[i]);
	pthread_mutex_destroy(&W.lock);
	pthread_cond_destroy(&W.cond);
	memset(&W, 0, sizeof W);
	pthread_mutex_init(&W.lock, NULL);
	pthread_cond_init(&W.cond, NULL);
}

/* Add a rule. */
static struct rule *
world_rule(const char *node, const char *what)
{
	struct rule *r = &W.rules[W.nrules++];

	memset(r, 0, sizeof *r);
	r->node = node;
	r->what = what;
	return r;
}

/* Find the rule for (node, what) and consume it if once. Called with
 * W.lock held. */
static struct rule *
world_find(const char *node, const char *what)
{
	struct rule *r;
	size_t i;

	for (i = 0; i < W.nrules; i++) {
		r = &W.rules[i];
		if (strcmp(r->node, node) != 0 || strcmp(r->what, what) != 0)
			continue;
		if (r->once && r->used)
			continue;
		r->used = 1;
		return r;
	}
	return NULL;
}

/* Record a call. Called with W.lock held. */
static void
world_record(const char *node, const char *what, const char *script)
{
	struct call *c = &W.calls[W.ncalls++];

	c->node = xstrdup(node);
	c->what = xstrdup(what);
	c->script = script != NULL ? xstrdup(script) : NULL;
	pthread_cond_broadcast(&W.cond);
}

/* Index of the n-th (from 0) call of (node, what), or -1. */
static int
call_index(const char *node, const char *what, int nth)
{
	size_t i;

	for (i = 0; i < W.ncalls; i++) {
		if (strcmp(W.calls[i].node, node) == 0 &&
		    strcmp(W.calls[i].what, what) == 0 && nth-- == 0)
			return (int)i;
	}
	return -1;
}

/* How many calls of (node, what). */
static int
call_count(const char *node, const char *what)
{
	int n = 0;

	while (call_index(node, what, n) >= 0)
		n++;
	return n;
}

/* The value of KEY=... in a recorded script, or NULL. */
static char *
script_var(const char *script, const char *key)
{
	const char *p;
	char *want;
	size_t n;

	want = xasprintf("\n%s=", key);
	p = strstr(script, want);
	free(want);
	if (p == NULL)
		return NULL;
	p += strlen(key) + 2;
	n = strcspn(p, "\n");
	return xstrndup(p, n);
}

/* Deliver text's lines to cb. */
static void
fake_lines(const char *text, transport_line_cb cb, void *arg)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		cb(arg, TRANSPORT_STDOUT, p, (size_t)(nl - p));
		p = *nl == '\n' ? nl + 1 : nl;
	}
}

/* Fake connect: scripted failures and prompts. */
static int
fake_connect(struct transport *t, char **cause)
{
	struct fake *f = t->priv;
	struct rule *r, copy;
	struct transport_hostkey hk;
	char *pw;

	pthread_mutex_lock(&W.lock);
	world_record(t->node, "connect!", NULL);
	r = world_find(t->node, "connect!");
	if (r != NULL)
		copy = *r;
	pthread_mutex_unlock(&W.lock);
	if (r == NULL) {
		f->connected = 1;
		return TRANSPORT_OK;
	}
	if (copy.after != NULL) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_mutex_lock(&W.lock);
		while (call_index(copy.after, "connect", 0) < 0 &&
		    pthread_cond_timedwait(&W.cond, &W.lock, &until) !=
		    ETIMEDOUT)
			;
		pthread_mutex_unlock(&W.lock);
	}
	if (copy.ask_hostkey) {
		hk.node = t->node;
		hk.host = "[127.0.10.3]:2222";
		hk.key_type = "ssh-ed25519";
		hk.fingerprint = "SHA256:fakefingerprint";
		hk.known_hosts = "/tmp/known_hosts";
		if (!f->prompts->hostkey(f->prompts->arg, &hk)) {
			*cause = xstrdup("unknown host key refused");
			return TRANSPORT_HOSTKEY;
		}
	}
	if (copy.ask_secret) {
		char *q = xasprintf("[sudo] password for kw on %s:", t->node);
		size_t k = (size_t)(t->node[strlen(t->node) - 1] - '0') % 8;

		pw = f->prompts->secret(f->prompts->arg, t->node, q);
		free(q);
		pthread_mutex_lock(&W.lock);
		free(W.secret);
		W.secret = pw != NULL ? xstrdup(pw) : NULL;
		xfree_secret(W.secrets[k]);
		W.secrets[k] = pw != NULL ? xstrdup(pw) : NULL;
		pthread_mutex_unlock(&W.lock);
		if (copy.want_secret != NULL && (pw == NULL ||
		    strcmp(pw, copy.want_secret) != 0)) {
			xfree_secret(pw);
			*cause = xstrdup("sudo refused the password");
			return TRANSPORT_AUTH;
		}
		xfree_secret(pw);
	}
	if (copy.rc != 0) {
		*cause = xstrdup("Connection refused");
		return copy.rc;
	}
	f->connected = 1;
	return TRANSPORT_OK;
}

/* The default output of a stage on a node. Caller frees. */
static char *
fake_default_output(const char *node, const char *what, const char *script)
{
	char *tok, *out;

	if (strcmp(what, "connect") == 0)
		return xasprintf("::kubewiz:: step collecting facts\n"
		    "::kubewiz:: fact cpus=2\n::kubewiz:: fact mem_mb=3900\n"
		    "::kubewiz:: fact hostname=localhost\n"
		    "::kubewiz:: fact product_uuid=uuid-%s\n"
		    "::kubewiz:: fact macs=52:54:00:%02x:00:01\n"
		    "::kubewiz:: fact ipv4_nets=127.0.0.0/8 172.31.0.0/24\n",
		    node, (unsigned)strlen(node) + (unsigned)node[strlen(node) - 1]);
	if (strcmp(what, "init") == 0) {
		tok = script_var(script, "KW_TOKEN");
		out = xasprintf("[init] Using Kubernetes version: v1.30.4\n"
		    "[bootstrap-token] Using token: %s\n"
		    "::kubewiz:: output SECRET_ADMIN_CONF_B64=" ADMIN_B64 "\n",
		    tok != NULL ? tok : "?");
		free(tok);
		return out;
	}
	if (strcmp(what, "join-prep") == 0)
		return xstrdup("created a bootstrap token valid for 2 hours\n"
		    "::kubewiz:: output CA_HASH=" CA_HASH "\n");
	if (strcmp(what, "dashboard") == 0)
		return xstrdup("::kubewiz:: output DASHBOARD_PORT=30443\n"
		    "::kubewiz:: output DASHBOARD_URL=https://127.0.10.1:30443/\n"
		    "::kubewiz:: output SECRET_DASHBOARD_TOKEN=" DASH_TOKEN "\n"
		    "token: " DASH_TOKEN "\n");
	return xasprintf("::kubewiz:: step doing %s\n%s: all good\n", what,
	    what);
}

/* Fake run: record, then behave as scripted. */
static int
fake_run(struct transport *t, const char *script, size_t len, int timeout,
    transport_line_cb cb, void *arg, int *exit_status, char **cause)
{
	struct fake *f = t->priv;
	struct rule *r, copy;
	struct timespec until;
	char what[64], *out;
	int rc = TRANSPORT_OK, counted;

	(void)len;
	(void)timeout;
	/* No cmocka asserts here: this runs in the runner's threads. */
	if (!f->connected || sscanf(script, "stage=%63s", what) != 1) {
		*cause = xstrdup("fake: run before connect, or a bad script");
		*exit_status = -1;
		return TRANSPORT_ERROR;
	}
	counted = strcmp(what, "join-prep") != 0;
	pthread_mutex_lock(&W.lock);
	world_record(t->node, what, script);
	r = world_find(t->node, what);
	memset(&copy, 0, sizeof copy);
	if (r != NULL)
		copy = *r;
	if (counted) {
		W.running++;
		if (W.running > W.max_running)
			W.max_running = W.running;
		pthread_cond_broadcast(&W.cond);
		if (W.wait_for > 0 && strcmp(what, "connect") == 0) {
			/* Linger (bounded) until wait_for connects overlap:
			 * more than the limit would get in if they could. */
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 300 * 1000 * 1000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			while (W.running < W.wait_for &&
			    pthread_cond_timedwait(&W.cond, &W.lock, &until) !=
			    ETIMEDOUT)
				;
		}
	}
	if (copy.hang) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 20;
		while (!f->cancelled && pthread_cond_timedwait(&W.cond,
		    &W.lock, &until) != ETIMEDOUT)
			;
		if (counted)
			W.running--;
		pthread_mutex_unlock(&W.lock);
		*exit_status = -1;
		return f->cancelled ? TRANSPORT_CANCELLED : TRANSPORT_TIMEOUT;
	}
	pthread_mutex_unlock(&W.lock);

	if (copy.rc != 0) {
		rc = copy.rc;
		*exit_status = -1;
	} else {
		out = fake_default_output(t->node, what, script);
		fake_lines(out, cb, arg);
		free(out);
		if (copy.out != NULL)
			fake_lines(copy.out, cb, arg);
		*exit_status = copy.exit;
	}
	pthread_mutex_lock(&W.lock);
	if (counted)
		W.running--;
	pthread_mutex_unlock(&W.lock);
	return rc;
}

/* Fake put: not used by the runner. */
static int
fake_put(struct transport *t, const char *path, const void *data, size_t len,
    int mode, char **cause)
{
	(void)t;
	(void)path;
	(void)data;
	(void)len;
	(void)mode;
	*cause = xstrdup("not supported");
	return TRANSPORT_ERROR;
}

/* Fake cancel: wake a hanging run. */
static void
fake_cancel(struct transport *t)
{
	struct fake *f = t->priv;

	pthread_mutex_lock(&W.lock);
	f->cancelled = 1;
	pthread_cond_broadcast(&W.cond);
	pthread_mutex_unlock(&W.lock);
}

/* Fake free. */
static void
fake_free(struct transport *t)
{
	free(t->priv);
	free(t->node);
	free(t);
}

static const struct transport_ops fake_ops = {
	.connect = fake_connect,
	.run = fake_run,
	.put = fake_put,
	.cancel = fake_cancel,
	.free = fake_free,
};

/* The runner's transport factory. */
static struct transport *
fake_new(void *arg, const struct cluster *c, size_t node,
    const struct transport_prompts *prompts, char **cause)
{
	struct transport *t;
	struct fake *f;

	(void)arg;
	(void)cause;
	t = xcalloc(1, sizeof *t);
	f = xcalloc(1, sizeof *f);
	f->w = &W;
	f->prompts = prompts;
	t->ops = &fake_ops;
	t->node = xstrdup(c->nodes[node].name);
	t->priv = f;
	return t;
}

/* --- stub scripts (render.c stands in production) --------------------- */

/* "stage=NAME node=NODE" then KEY=VALUE lines. */
static char *
stub_render(const char *stage, const char *node, const struct render_var *v,
    size_t n, size_t *len)
{
	char *s, *next;
	size_t i;

	s = xasprintf("stage=%s node=%s\n", stage, node);
	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s=%s\n", s, v[i].key, v[i].value);
		free(s);
		s = next;
	}
	*len = strlen(s);
	return s;
}

/* Stub of render_script. */
static char *
stub_script(void *arg, const struct cluster *c, size_t node, enum stage s,
    const struct render_var *v, size_t n, size_t *len)
{
	(void)arg;
	return stub_render(stage_name(s), c->nodes[node].name, v, n, len);
}

/* Stub of the join-prep rendering. */
static char *
stub_join_prep(void *arg, const struct cluster *c, size_t first,
    const struct render_var *v, size_t n, size_t *len)
{
	(void)arg;
	return stub_render("join-prep", c->nodes[first].name, v, n, len);
}

/* Stub of render_input_hash: stable, but different for the salted task. */
static char *
stub_hash(void *arg, const struct cluster *c, size_t node, enum stage s)
{
	int salted;

	(void)arg;
	pthread_mutex_lock(&W.lock);
	salted = W.salt_node != NULL &&
	    strcmp(W.salt_node, c->nodes[node].name) == 0 &&
	    strcmp(W.salt_stage, stage_name(s)) == 0;
	pthread_mutex_unlock(&W.lock);
	return xasprintf("hash-%s-%s%s", c->nodes[node].name, stage_name(s),
	    salted ? "-changed" : "");
}

/* --- fixtures --------------------------------------------------------- */

struct fixture {
	char		*base;
	struct cluster	*c;
	struct plan	*plan;
	struct state	*state;
	struct event_queue *q;
};

/* A cluster of k8s-master + n workers (roles may be overridden). */
static struct cluster *
make_cluster(size_t workers)
{
	struct cluster *c;
	size_t i;

	c = xcalloc(1, sizeof *c);
	c->name = xstrdup("demo");
	c->nnodes = workers + 1;
	c->nodes = xcalloc(c->nnodes, sizeof *c->nodes);
	for (i = 0; i < c->nnodes; i++) {
		c->nodes[i].name = i == 0 ? xstrdup("k8s-master") :
		    xasprintf("k8s-node%zu", i);
		c->nodes[i].role = i == 0 ? ROLE_CONTROL_PLANE : ROLE_WORKER;
	}
	c->kubernetes.pod_subnet = xstrdup("192.168.0.0/16");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->kubernetes.v.major = 1;
	c->kubernetes.v.minor = 30;
	c->kubernetes.v.patch = 4;
	return c;
}

/* Free make_cluster's cluster. */
static void
free_cluster(struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		free(c->nodes[i].name);
	free(c->nodes);
	free(c->kubernetes.pod_subnet);
	free(c->kubernetes.service_subnet);
	free(c->name);
	free(c);
}

/* Open (or reopen) the fixture's state. */
static void
fixture_open_state(struct fixture *fx)
{
	char *cause = NULL;

	if (state_open(fx->base, "demo", STATE_CREATE | STATE_LOCK,
	    &fx->state, &cause) != 0)
		fail_msg("state_open: %s", cause);
	state_sync_nodes(fx->state, fx->c);
}

/* Set up a fixture with n workers. */
static struct fixture *
fixture_new(size_t workers)
{
	struct fixture *fx;

	world_reset();
	fx = xcalloc(1, sizeof *fx);
	fx->base = xstrdup("/tmp/kw-test-runner.XXXXXX");
	assert_non_null(mkdtemp(fx->base));
	fx->c = make_cluster(workers);
	fx->plan = plan_new(fx->c, STAGE_DASHBOARD);
	assert_non_null(fx->plan);
	fixture_open_state(fx);
	fx->q = event_queue_new();
	return fx;
}

/* Tear a fixture down. */
static void
fixture_free(struct fixture *fx)
{
	char *cmd;

	state_close(fx->state);
	event_queue_free(fx->q);
	plan_free(fx->plan);
	free_cluster(fx->c);
	cmd = xasprintf("rm -rf '%s'", fx->base);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(fx->base);
	free(fx);
}

/* A runner over the fixture. */
static struct runner *
fixture_runner(struct fixture *fx, int parallel, int keep_open)
{
	struct runner_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.cluster = fx->c;
	cfg.plan = fx->plan;
	cfg.state = fx->state;
	cfg.events = fx->q;
	cfg.parallel = parallel;
	cfg.keep_open = keep_open;
	cfg.transport_new = fake_new;
	cfg.scripts.script = stub_script;
	cfg.scripts.join_prep = stub_join_prep;
	cfg.scripts.hash = stub_hash;
	return runner_new(&cfg);
}

/* What the front end saw. */
struct seen {
	int	 run_done;
	int	 exit_code;
	int	 messages;
	char	*message_text[64];
	int	 skipped;	/* TASK_SKIPPED events */
	int	 prompts;
	int	 states[64][STAGE_COUNT];	/* last state seen */
};

/* A front end's reaction to an event; returns nonzero to stop driving. */
typedef void (*drive_cb)(struct runner *, struct fixture *,
    const struct event *, void *);

/* Play front end: pop events until EVENT_RUN_DONE, answering prompts
 * with answer (yes flag and secret) and calling cb for each event. */
static void
drive(struct runner *r, struct fixture *fx, struct seen *seen, int yes,
    const char *secret, drive_cb cb, void *arg)
{
	struct pollfd pfd;
	struct event *ev;
	int i;

	memset(seen, 0, sizeof *seen);
	for (i = 0; i < 64; i++)
		memset(seen->states[i], 0xff, sizeof seen->states[i]);
	while (!seen->run_done) {
		pfd.fd = event_queue_fd(fx->q);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 30000) != 1)
			fail_msg("no event for 30 seconds");
		while ((ev = event_queue_pop(fx->q)) != NULL) {
			switch (ev->type) {
			case EVENT_RUN_DONE:
				seen->run_done = 1;
				seen->exit_code = ev->exit_code;
				break;
			case EVENT_PROMPT:
				seen->prompts++;
				if (W.answers[W.nanswered] != NULL)
					secret = W.answers[W.nanswered++];
				prompt_answer(ev->prompt, yes, secret);
				break;
			case EVENT_MESSAGE:
				if (seen->messages < 64)
					seen->message_text[seen->messages] =
					    xstrdup(ev->text);
				seen->messages++;
				break;
			case EVENT_TASK_STATE:
				seen->states[ev->node][ev->stage] = ev->state;
				if (ev->state == TASK_SKIPPED)
					seen->skipped++;
				break;
			default:
				break;
			}
			if (cb != NULL)
				cb(r, fx, ev, arg);
			event_free(ev);
		}
	}
}

/* Free what drive kept. */
static void
seen_clear(struct seen *seen)
{
	int i;

	for (i = 0; i < seen->messages && i < 64; i++)
		free(seen->message_text[i]);
}

/* Whether some message contains text. */
static int
seen_message(const struct seen *seen, const char *text)
{
	int i;

	for (i = 0; i < seen->messages && i < 64; i++) {
		if (strstr(seen->message_text[i], text) != NULL)
			return 1;
	}
	return 0;
}

/* The state of (node, stage) as the runner has it. */
static enum task_state
task_state(struct runner *r, size_t node, enum stage s)
{
	struct runner_task_info info;
	enum task_state st;

	assert_int_equal(runner_task_info(r, node, s, &info), 0);
	st = info.state;
	runner_task_info_clear(&info);
	return st;
}

/* Read a file of the state directory. */
static char *
read_state_file(struct fixture *fx, const char *rel, int *mode)
{
	struct stat sb;
	char *path, buf[65536];
	ssize_t n;
	int fd;

	path = state_path(fx->state, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	assert_int_equal(fstat(fd, &sb), 0);
	if (mode != NULL)
		*mode = (int)(sb.st_mode & 0777);
	n = read(fd, buf, sizeof buf - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	free(path);
	return xstrdup(buf);
}

/* --- tests ------------------------------------------------------------ */

/* A whole install on 1 + 2 nodes: the design's order, fresh join data per
 * join, facts passed back, outputs and secrets kept, secrets masked in
 * logs, every task recorded done. */
static void
test_runner_success(void **state)
{
	struct fixture *fx = fixture_new(2);
	struct runner *r;
	struct seen seen;
	const char *w[] = { "k8s-node1", "k8s-node2" };
	char *cause = NULL, *tok, *prep_tok, *hash, *text, *v;
	int i, s, join, prep, mode;

	(void)state;
	/* Warnings: one from a script, one from the cross-node checks (two
	 * workers with the same MAC). */
	world_rule("k8s-node1", "system")->out =
	    "::kubewiz:: warn firewalld was stopped";
	world_rule("k8s-node1", "connect")->out =
	    "::kubewiz:: fact macs=52:54:00:aa:bb:cc";
	world_rule("k8s-node2", "connect")->out =
	    "::kubewiz:: fact macs=52:54:00:aa:bb:cc";
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(runner_wait(r), KW_EXIT_OK);
	{
		char **warn = NULL;
		size_t nw, k;
		int script = 0, mac = 0;

		nw = runner_warnings(r, &warn);
		for (k = 0; k < nw; k++) {
			if (strcmp(warn[k], "k8s-node1 system: firewalld was "
			    "stopped") == 0)
				script++;
			if (strstr(warn[k], " preflight: ") != NULL &&
			    strstr(warn[k], "MAC address 52:54:00:aa:bb:cc"))
				mac++;
			free(warn[k]);
		}
		free(warn);
		assert_int_equal(script, 1);
		assert_int_equal(mac, 2);	/* in each worker's preflight */
		assert_int_equal(nw, 3);
	}
	for (s = 0; s < STAGE_COUNT; s++) {
		for (i = 0; i < 3; i++) {
			if (plan_find(fx->plan, (size_t)i, s) >= 0)
				assert_int_equal(task_state(r, (size_t)i, s),
				    TASK_DONE);
		}
	}

	/* Order. */
	assert_true(call_index("k8s-master", "init", 0) >
	    call_index("k8s-master", "images", 0));
	assert_int_equal(call_count("k8s-master", "init"), 1);
	/* One join-prep serves every worker join of the run. */
	assert_int_equal(call_count("k8s-master", "join-prep"), 1);
	for (i = 0; i < 2; i++) {
		join = call_index(w[i], "join", 0);
		assert_true(join > call_index("k8s-master", "init", 0));
		assert_true(join > call_index(w[i], "images", 0));
		assert_true(call_index(w[i], "preflight", 0) >
		    call_index("k8s-master", "connect", 0));
		assert_true(call_index("k8s-master", "ready", 0) > join);
		assert_int_equal(call_count(w[i], "join"), 1);
		/* The join uses the token the join-prep created. */
		tok = script_var(W.calls[join].script, "KW_TOKEN");
		assert_non_null(tok);
		prep = -1;
		for (s = 0; call_index("k8s-master", "join-prep", s) >= 0; s++) {
			prep_tok = script_var(W.calls[call_index("k8s-master",
			    "join-prep", s)].script, "KW_TOKEN");
			if (strcmp(prep_tok, tok) == 0)
				prep = call_index("k8s-master", "join-prep", s);
			free(prep_tok);
		}
		assert_true(prep >= 0 && prep < join);
		assert_int_equal(strlen(tok), 23);
		assert_int_equal(tok[6], '.');
		hash = script_var(W.calls[join].script, "KW_CA_HASH");
		assert_string_equal(hash, CA_HASH);
		free(hash);
		assert_null(script_var(W.calls[join].script, "KW_CERT_KEY"));
		assert_null(script_var(W.calls[prep].script,
		    "KW_JOIN_CONTROL_PLANE"));
		free(tok);
	}
	assert_true(call_index("k8s-master", "dashboard", 0) >
	    call_index("k8s-master", "ready", 0));
	assert_true(call_index("k8s-master", "ready", 0) >
	    call_index("k8s-master", "network", 0));

	/* Facts of connect come back as KW_FACT_*. */
	v = script_var(W.calls[call_index("k8s-node2", "system", 0)].script,
	    "KW_FACT_PRODUCT_UUID");
	assert_string_equal(v, "uuid-k8s-node2");
	free(v);
	/* init got the bootstrap token and certificate key kept in
	 * secrets.yaml. */
	tok = script_var(W.calls[call_index("k8s-master", "init", 0)].script,
	    "KW_TOKEN");
	assert_string_equal(tok, state_secret(fx->state,
	    RUNNER_SECRET_TOKEN));
	v = script_var(W.calls[call_index("k8s-master", "init", 0)].script,
	    "KW_CERT_KEY");
	assert_int_equal(strlen(v), 64);
	free(v);

	/* Outputs and secrets. */
	assert_string_equal(state_output(fx->state, "DASHBOARD_URL"),
	    "https://127.0.10.1:30443/");
	assert_null(state_output(fx->state, "SECRET_DASHBOARD_TOKEN"));
	assert_string_equal(state_secret(fx->state, "SECRET_DASHBOARD_TOKEN"),
	    DASH_TOKEN);
	text = read_state_file(fx, "admin.conf", &mode);
	assert_string_equal(text, ADMIN_CONF);
	assert_int_equal(mode, 0600);
	free(text);
	text = read_state_file(fx, "dashboard-token", &mode);
	assert_string_equal(text, DASH_TOKEN);
	assert_int_equal(mode, 0600);
	free(text);
	text = read_state_file(fx, "secrets.yaml", &mode);
	assert_non_null(strstr(text, tok));
	assert_int_equal(mode, 0600);
	free(text);

	/* Logs: the token and Dashboard token never appear. */
	text = read_state_file(fx, "logs/k8s-master/07-init.log", &mode);
	assert_int_equal(mode, 0600);
	assert_null(strstr(text, tok));
	assert_null(strstr(text, ADMIN_B64));
	assert_non_null(strstr(text, "[bootstrap-token] Using token: ***"));
	free(text);
	text = read_state_file(fx, "logs/k8s-master/11-dashboard.log", NULL);
	assert_null(strstr(text, DASH_TOKEN));
	assert_non_null(strstr(text, "SECRET_DASHBOARD_TOKEN=***"));
	free(text);
	free(tok);
	/* The state says done with the input hash. */
	assert_int_equal(state_task(fx->state, "k8s-node2", STAGE_JOIN)->status,
	    TASK_DONE);
	assert_string_equal(state_task(fx->state, "k8s-node2",
	    STAGE_JOIN)->hash, "hash-k8s-node2-join");
	assert_int_equal(runner_node_hostkey_refused(r, 1), 0);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* A worker whose runtime fails: its own later tasks, its join, ready and
 * dashboard are blocked; the other worker joins. Resume then runs only
 * what is not done; a config change reruns the changed task. */
static void
test_runner_failure_and_resume(void **state)
{
	struct fixture *fx = fixture_new(2);
	struct runner *r;
	struct runner_task_info info;
	struct seen seen;
	char *cause = NULL;
	size_t i;
	int found = 0;

	(void)state;
	world_rule("k8s-node1", "runtime")->exit = 7;
	W.rules[0].out = "E: Unable to locate package containerd.io";
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_FAILED);
	assert_int_equal(runner_wait(r), KW_EXIT_FAILED);

	assert_int_equal(runner_task_info(r, 1, STAGE_RUNTIME, &info), 0);
	assert_int_equal(info.state, TASK_FAILED);
	assert_int_equal(info.exit_code, 7);
	assert_string_equal(info.reason, "exit status 7");
	assert_non_null(strstr(info.log, "logs/k8s-node1/04-runtime.log"));
	for (i = 0; i < info.ntail; i++) {
		if (strcmp(info.tail[i], "E: Unable to locate package "
		    "containerd.io") == 0)
			found = 1;
	}
	assert_true(found);
	runner_task_info_clear(&info);

	assert_int_equal(runner_task_info(r, 1, STAGE_PACKAGES, &info), 0);
	assert_int_equal(info.state, TASK_BLOCKED);
	assert_string_equal(info.reason, "k8s-node1: runtime failed");
	runner_task_info_clear(&info);
	assert_int_equal(task_state(r, 1, STAGE_JOIN), TASK_BLOCKED);
	assert_int_equal(task_state(r, 0, STAGE_READY), TASK_BLOCKED);
	assert_int_equal(task_state(r, 0, STAGE_DASHBOARD), TASK_BLOCKED);
	assert_int_equal(task_state(r, 2, STAGE_JOIN), TASK_DONE);
	assert_int_equal(task_state(r, 0, STAGE_NETWORK), TASK_DONE);
	assert_int_equal(seen.states[1][STAGE_JOIN], TASK_BLOCKED);
	assert_int_equal(call_count("k8s-node1", "packages"), 0);
	assert_int_equal(call_count("k8s-master", "ready"), 0);
	assert_int_equal(state_task(fx->state, "k8s-node1",
	    STAGE_RUNTIME)->exit_code, 7);
	seen_clear(&seen);
	runner_free(r);

	/* Resume with the fault cleared, from the saved state. */
	state_close(fx->state);
	fixture_open_state(fx);
	world_reset();
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(runner_wait(r), KW_EXIT_OK);
	assert_true(seen_message(&seen, "k8s-node1 runtime: runs again"));
	/* connect always; then only what was not done. */
	assert_int_equal(call_count("k8s-master", "connect"), 1);
	assert_int_equal(call_count("k8s-node2", "connect"), 1);
	assert_int_equal(call_count("k8s-master", "init"), 0);
	assert_int_equal(call_count("k8s-master", "network"), 0);
	assert_int_equal(call_count("k8s-node2", "join"), 0);
	assert_int_equal(call_count("k8s-node2", "system"), 0);
	assert_int_equal(call_count("k8s-node1", "system"), 0);
	assert_int_equal(call_count("k8s-node1", "runtime"), 1);
	assert_int_equal(call_count("k8s-node1", "join"), 1);
	assert_int_equal(call_count("k8s-master", "join-prep"), 1);
	assert_int_equal(call_count("k8s-master", "ready"), 1);
	assert_int_equal(call_count("k8s-master", "dashboard"), 1);
	assert_int_equal(task_state(r, 2, STAGE_JOIN), TASK_SKIPPED);
	/* master preflight..network 7, node1 preflight and system 2,
	 * node2 preflight..join 6. */
	assert_int_equal(seen.skipped, 7 + 2 + 6);
	seen_clear(&seen);
	runner_free(r);

	/* A config change that touches node2's system stage. */
	world_reset();
	W.salt_node = "k8s-node2";
	W.salt_stage = "system";
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_true(seen_message(&seen, "k8s-node2 system: runs again because "
	    "the config changed"));
	assert_int_equal(call_count("k8s-node2", "system"), 1);
	assert_int_equal(call_count("k8s-node2", "runtime"), 0);
	assert_int_equal(call_count("k8s-node1", "system"), 0);
	assert_int_equal(call_count("k8s-master", "init"), 0);
	assert_string_equal(state_task(fx->state, "k8s-node2",
	    STAGE_SYSTEM)->hash, "hash-k8s-node2-system-changed");
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* Retry from the front end: on the failure event, retry; at the end,
 * finish. */
static void
retry_cb(struct runner *r, struct fixture *fx, const struct event *ev,
    void *arg)
{
	char *cause = NULL;
	int *retried = arg;

	(void)fx;
	if (ev->type != EVENT_TASK_STATE)
		return;
	if (ev->state == TASK_FAILED && ev->node == 2 &&
	    ev->stage == STAGE_IMAGES) {
		assert_int_equal(runner_retry(r, 2, STAGE_IMAGES, &cause), 0);
		(*retried)++;
	}
	if (ev->state == TASK_DONE && ev->stage == STAGE_DASHBOARD)
		runner_finish(r);
}

/* A failed task retried through the API reruns and unblocks its
 * dependents; retrying a task that did not fail is refused. */
static void
test_runner_retry(void **state)
{
	struct fixture *fx = fixture_new(2);
	struct runner *r;
	struct seen seen;
	char *cause = NULL;
	int retried = 0;

	(void)state;
	world_rule("k8s-node2", "images")->exit = 1;
	W.rules[0].once = 1;
	r = fixture_runner(fx, 0, 1);
	assert_int_equal(runner_retry(r, 0, STAGE_JOIN, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, retry_cb, &retried);
	assert_int_equal(retried, 1);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(runner_wait(r), KW_EXIT_OK);
	assert_int_equal(call_count("k8s-node2", "images"), 2);
	assert_int_equal(call_count("k8s-node2", "join"), 1);
	assert_int_equal(task_state(r, 2, STAGE_JOIN), TASK_DONE);
	assert_int_equal(runner_retry(r, 2, STAGE_IMAGES, &cause), -1);
	free(cause);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* Retry k8s-node1's join when it fails; finish after the dashboard. */
static void
join_retry_cb(struct runner *r, struct fixture *fx, const struct event *ev,
    void *arg)
{
	char *cause = NULL;
	int *retried = arg;

	(void)fx;
	if (ev->type != EVENT_TASK_STATE)
		return;
	if (ev->state == TASK_FAILED && ev->node == 1 &&
	    ev->stage == STAGE_JOIN) {
		assert_int_equal(runner_retry(r, 1, STAGE_JOIN, &cause), 0);
		(*retried)++;
	}
	if (ev->state == TASK_DONE && ev->stage == STAGE_DASHBOARD)
		runner_finish(r);
}

/* Worker joins share one join-prep; a failed join drops that data, so
 * whatever joins next (its retry included) gets a fresh token. */
static void
test_runner_join_data(void **state)
{
	struct fixture *fx = fixture_new(3);
	struct runner *r;
	struct seen seen;
	char *cause = NULL, *a, *b;
	int retried = 0;

	(void)state;
	world_rule("k8s-node1", "join")->exit = 1;
	W.rules[0].once = 1;
	r = fixture_runner(fx, 0, 1);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, join_retry_cb, &retried);
	assert_int_equal(retried, 1);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(runner_wait(r), KW_EXIT_OK);
	assert_int_equal(call_count("k8s-node1", "join"), 2);
	assert_int_equal(call_count("k8s-master", "join-prep"), 2);
	a = script_var(W.calls[call_index("k8s-node1", "join", 0)].script,
	    "KW_TOKEN");
	b = script_var(W.calls[call_index("k8s-node1", "join", 1)].script,
	    "KW_TOKEN");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* Skip the unreachable worker once ready is blocked by it; finish when
 * the dashboard is done. */
static void
skip_cb(struct runner *r, struct fixture *fx, const struct event *ev,
    void *arg)
{
	char *cause = NULL;
	int *skipped = arg;

	(void)fx;
	if (ev->type != EVENT_TASK_STATE)
		return;
	if (ev->state == TASK_BLOCKED && ev->node == 0 &&
	    ev->stage == STAGE_READY && *skipped == 0) {
		/* The first control plane cannot be skipped. */
		assert_int_equal(runner_skip_node(r, 0, &cause), -1);
		free(cause);
		cause = NULL;
		assert_int_equal(runner_skip_node(r, 2, &cause), 0);
		(*skipped)++;
	}
	if (ev->state == TASK_DONE && ev->stage == STAGE_DASHBOARD)
		runner_finish(r);
}

/* A worker that cannot be reached blocks only itself and ready; once the
 * operator skips it, ready and dashboard run and the run succeeds. */
static void
test_runner_skip_node(void **state)
{
	struct fixture *fx = fixture_new(2);
	struct runner *r;
	struct runner_task_info info;
	struct seen seen;
	char *cause = NULL;
	int skipped = 0;

	(void)state;
	world_rule("k8s-node2", "connect!")->rc = TRANSPORT_ERROR;
	r = fixture_runner(fx, 0, 1);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, skip_cb, &skipped);
	assert_int_equal(skipped, 1);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(runner_wait(r), KW_EXIT_OK);
	assert_true(runner_node_skipped(r, 2));
	assert_int_equal(runner_task_info(r, 2, STAGE_CONNECT, &info), 0);
	assert_int_equal(info.state, TASK_CANCELLED);
	runner_task_info_clear(&info);
	assert_int_equal(task_state(r, 2, STAGE_JOIN), TASK_CANCELLED);
	assert_int_equal(task_state(r, 1, STAGE_JOIN), TASK_DONE);
	assert_int_equal(task_state(r, 0, STAGE_DASHBOARD), TASK_DONE);
	assert_int_equal(call_count("k8s-node2", "system"), 0);
	/* The other worker's preflight ran though node2 never connected. */
	assert_int_equal(call_count("k8s-node1", "preflight"), 1);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* Cancel as soon as the master's images stage runs. */
static void
cancel_cb(struct runner *r, struct fixture *fx, const struct event *ev,
    void *arg)
{
	(void)fx;
	(void)arg;
	if (ev->type == EVENT_TASK_STATE && ev->state == TASK_RUNNING &&
	    ev->node == 0 && ev->stage == STAGE_IMAGES)
		runner_cancel(r);
}

/* Ctrl-C while a command hangs: it is cancelled through the transport,
 * nothing new starts, every task ends, the state records it. */
static void
test_runner_cancel(void **state)
{
	struct fixture *fx = fixture_new(2);
	struct runner *r;
	struct seen seen;
	char *cause = NULL;
	size_t i;
	enum task_state st;

	(void)state;
	world_rule("k8s-master", "images")->hang = 1;
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, cancel_cb, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_FAILED);
	assert_int_equal(runner_wait(r), KW_EXIT_FAILED);
	assert_int_equal(task_state(r, 0, STAGE_IMAGES), TASK_CANCELLED);
	assert_int_equal(call_count("k8s-master", "init"), 0);
	assert_int_equal(call_count("k8s-node1", "join"), 0);
	for (i = 0; i < fx->plan->ntasks; i++) {
		st = task_state(r, fx->plan->tasks[i].node,
		    fx->plan->tasks[i].stage);
		assert_true(plan_state_is_final(st));
	}
	assert_int_equal(state_task(fx->state, "k8s-master",
	    STAGE_IMAGES)->status, TASK_CANCELLED);
	assert_int_equal(state_task_resume(state_task(fx->state, "k8s-master",
	    STAGE_IMAGES), "hash-k8s-master-images"), STATE_RESUME_RETRY);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* At most --parallel nodes work at once, and that many do. */
static void
test_runner_parallel_limit(void **state)
{
	struct fixture *fx = fixture_new(4);
	struct runner *r;
	struct seen seen;
	char *cause = NULL;

	(void)state;
	W.wait_for = 5;
	r = fixture_runner(fx, 2, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(runner_wait(r), KW_EXIT_OK);
	assert_int_equal(W.max_running, 2);
	assert_int_equal(call_count("k8s-node4", "join"), 1);
	seen_clear(&seen);
	runner_free(r);

	/* Without a limit, all five connect at once. */
	world_reset();
	W.wait_for = 5;
	state_close(fx->state);
	{
		char *cmd = xasprintf("rm -rf '%s/demo'", fx->base);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	fixture_open_state(fx);
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	assert_int_equal(W.max_running, 5);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* Prompts reach the front end: a password is forwarded and masked in
 * logs from then on; a refused host key stops that node only, exit 3. */
static void
test_runner_prompts(void **state)
{
	struct fixture *fx = fixture_new(2);
	struct runner *r;
	struct seen seen;
	char *cause = NULL, *text;

	(void)state;
	world_rule("k8s-node1", "connect!")->ask_secret = 1;
	world_rule("k8s-node1", "system")->out =
	    "sudo: password was s3cret-pass!";
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 1, "s3cret-pass", NULL, NULL);
	assert_int_equal(seen.prompts, 1);
	assert_string_equal(W.secret, "s3cret-pass");
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	text = read_state_file(fx, "logs/k8s-node1/03-system.log", NULL);
	assert_null(strstr(text, "s3cret-pass"));
	assert_non_null(strstr(text, "sudo: password was ***!"));
	free(text);
	seen_clear(&seen);
	runner_free(r);

	/* The same sudo question on two nodes is asked once; a node where
	 * that password fails is asked for its own. */
	world_reset();
	state_close(fx->state);
	{
		char *cmd = xasprintf("rm -rf '%s/demo'", fx->base);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	fixture_open_state(fx);
	world_rule("k8s-node1", "connect!")->ask_secret = 1;
	world_rule("k8s-node2", "connect!")->ask_secret = 1;
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 1, "same-pass", NULL, NULL);
	assert_int_equal(seen.prompts, 1);
	assert_string_equal(W.secrets[1], "same-pass");
	assert_string_equal(W.secrets[2], "same-pass");
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	seen_clear(&seen);
	runner_free(r);

	world_reset();
	world_rule("k8s-node1", "connect!")->ask_secret = 1;
	W.rules[0].want_secret = "first-pass";
	world_rule("k8s-node2", "connect!")->ask_secret = 1;
	W.rules[1].want_secret = "second-pass";
	W.rules[1].after = "k8s-node1";
	W.answers[0] = "first-pass";
	W.answers[1] = "second-pass";
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 1, NULL, NULL, NULL);
	assert_int_equal(seen.prompts, 2);
	assert_string_equal(W.secrets[1], "first-pass");
	assert_string_equal(W.secrets[2], "second-pass");
	assert_int_equal(call_count("k8s-node1", "connect!"), 1);
	assert_int_equal(call_count("k8s-node2", "connect!"), 2);
	assert_int_equal(seen.exit_code, KW_EXIT_OK);
	seen_clear(&seen);
	runner_free(r);

	/* Host key refused on node2. */
	world_reset();
	world_rule("k8s-node2", "connect!")->ask_hostkey = 1;
	r = fixture_runner(fx, 0, 0);
	assert_int_equal(runner_start(r, &cause), 0);
	drive(r, fx, &seen, 0, NULL, NULL, NULL);
	assert_int_equal(seen.prompts, 1);
	assert_int_equal(seen.exit_code, KW_EXIT_REFUSED);
	assert_true(runner_node_hostkey_refused(r, 2));
	assert_int_equal(task_state(r, 2, STAGE_CONNECT), TASK_FAILED);
	assert_int_equal(call_count("k8s-node2", "connect"), 0);
	/* node1 (done before) is skipped, nothing runs on node2. */
	assert_int_equal(call_count("k8s-node2", "join"), 0);
	seen_clear(&seen);
	runner_free(r);
	fixture_free(fx);
}

/* Tokens and certificate keys have kubeadm's formats and differ. */
static void
test_runner_tokens(void **state)
{
	char *a, *b, *k;
	size_t i;

	(void)state;
	a = runner_new_token();
	b = runner_new_token();
	assert_int_equal(strlen(a), 23);
	for (i = 0; i < 23; i++) {
		if (i == 6)
			assert_int_equal(a[i], '.');
		else
			assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz"
			    "0123456789", a[i]));
	}
	assert_string_not_equal(a, b);
	k = runner_new_cert_key();
	assert_int_equal(strlen(k), 64);
	assert_int_equal(strspn(k, "0123456789abcdef"), 64);
	xfree_secret(a);
	xfree_secret(b);
	xfree_secret(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_success),
		cmocka_unit_test(test_runner_failure_and_resume),
		cmocka_unit_test(test_runner_retry),
		cmocka_unit_test(test_runner_join_data),
		cmocka_unit_test(test_runner_skip_node),
		cmocka_unit_test(test_runner_cancel),
		cmocka_unit_test(test_runner_parallel_limit),
		cmocka_unit_test(test_runner_prompts),
		cmocka_unit_test(test_runner_tokens),
	};
	int rc;

	pthread_mutex_init(&W.lock, NULL);
	pthread_cond_init(&W.cond, NULL);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	world_reset();
	return rc;
}
