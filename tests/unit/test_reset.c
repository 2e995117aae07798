/* test_reset.c: the state after "kubewiz reset": every task pending with
 * no input hash (so the next install runs everything), outputs and
 * secrets dropped but RESET_AT recorded, admin.conf and the token file
 * deleted, logs and the config kept; and the scripts reset runs are
 * embedded and take the node to remove as a quoted value. */
#include "config.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cluster.h"
#include "render.h"
#include "reset.h"
#include "runner.h"
#include "state.h"
#include "xmalloc.h"

/* A fresh temporary base directory per test. */
static int
setup_base(void **state)
{
	char *base;

	base = xstrdup("/tmp/kw-test-reset.XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	*state = base;
	return 0;
}

/* Remove the temporary base directory. */
static int
teardown_base(void **state)
{
	char *cmd;

	cmd = xasprintf("rm -rf '%s'", (char *)*state);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(*state);
	return 0;
}

/* A two-node cluster (one control plane, one worker). */
static struct cluster *
make_cluster(void)
{
	struct cluster *c;

	c = cluster_new();
	c->name = xstrdup("demo");
	c->kubernetes.version = xstrdup("1.30.4");
	c->kubernetes.pod_subnet = xstrdup("192.168.0.0/16");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->nnodes = 2;
	c->nodes = xcalloc(2, sizeof *c->nodes);
	c->nodes[0].name = xstrdup("k8s-master");
	c->nodes[0].address = xstrdup("172.31.0.2");
	c->nodes[0].role = ROLE_CONTROL_PLANE;
	c->nodes[1].name = xstrdup("k8s-node1");
	c->nodes[1].address = xstrdup("172.31.0.3");
	c->nodes[1].role = ROLE_WORKER;
	cluster_set_defaults(c);
	return c;
}

/* Read a small file into a new string. */
static char *
slurp(const char *path)
{
	char buf[8192];
	FILE *f;
	size_t n;

	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return xstrdup(buf);
}

/* An installed state is forgotten, but the logs and config stay. */
static void
test_mark_state(void **state)
{
	const char *base = *state;
	struct cluster *c;
	struct state *st = NULL;
	struct state_task *t;
	char *cause = NULL, *path, *log, *text;
	size_t i;
	int s, fd;

	c = make_cluster();
	assert_int_equal(state_open(base, "demo", STATE_CREATE | STATE_LOCK,
	    &st, &cause), 0);
	assert_int_equal(state_save_config(st, c, &cause), 0);
	state_sync_nodes(st, c);
	for (i = 0; i < c->nnodes; i++) {
		for (s = 0; s < STAGE_COUNT; s++) {
			t = state_task(st, c->nodes[i].name, s);
			assert_non_null(t);
			t->status = TASK_DONE;
			t->start = 1000;
			t->end = 2000;
			t->hash = xstrdup("abc123");
			t->log = state_log_rel(c->nodes[i].name, s);
		}
	}
	state_set_output(st, "DASHBOARD_URL", "https://172.31.0.2:30443/");
	state_set_secret(st, RUNNER_SECRET_TOKEN, "abcdef.0123456789abcdef");
	state_set_secret(st, "SECRET_DASHBOARD_TOKEN", "eyJhbGciOi");
	assert_int_equal(state_save(st, &cause), 0);
	assert_int_equal(state_save_secrets(st, &cause), 0);
	assert_int_equal(state_write_file(st, RUNNER_ADMIN_CONF, "apiVersion: v1\n",
	    15, 0600, &cause), 0);
	assert_int_equal(state_write_file(st, RUNNER_DASHBOARD_TOKEN,
	    "eyJhbGciOi", 10, 0600, &cause), 0);
	fd = state_open_log(st, "k8s-master", STAGE_INIT, &cause);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "kubeadm init\n", 13), 13);
	close(fd);

	assert_int_equal(reset_mark_state(st, &cause), 0);
	state_close(st);
	st = NULL;

	/* Read back what was saved. */
	assert_int_equal(state_open(base, "demo", 0, &st, &cause), 0);
	for (i = 0; i < c->nnodes; i++) {
		for (s = 0; s < STAGE_COUNT; s++) {
			t = state_task(st, c->nodes[i].name, s);
			assert_non_null(t);
			assert_int_equal(t->status, TASK_PENDING);
			assert_null(t->hash);
			assert_int_equal(state_task_resume(t, "abc123"),
			    STATE_RESUME_NEW);
		}
	}
	assert_null(state_output(st, "DASHBOARD_URL"));
	assert_non_null(state_output(st, RESET_OUTPUT));
	assert_int_equal(strlen(state_output(st, RESET_OUTPUT)),
	    strlen("2026-11-26T14:00:00Z"));
	assert_null(state_secret(st, RUNNER_SECRET_TOKEN));
	assert_null(state_secret(st, "SECRET_DASHBOARD_TOKEN"));
	assert_int_equal(st->nsecrets, 0);

	path = state_path(st, RUNNER_ADMIN_CONF);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	path = state_path(st, RUNNER_DASHBOARD_TOKEN);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	log = state_log_rel("k8s-master", STAGE_INIT);
	path = state_path(st, log);
	assert_int_equal(access(path, R_OK), 0);
	free(path);
	free(log);
	path = state_path(st, "config.yaml");
	assert_int_equal(access(path, R_OK), 0);
	free(path);
	/* The secrets file holds none of the old values. */
	path = state_path(st, "secrets.yaml");
	text = slurp(path);
	assert_null(strstr(text, "abcdef.0123456789abcdef"));
	assert_null(strstr(text, "eyJhbGciOi"));
	free(text);
	free(path);
	state_close(st);
	cluster_free(c);
	free(cause);
}

/* The scripts: reset and node-remove are embedded; the node to remove is
 * quoted into node-remove's preamble, never pasted. */
static void
test_scripts(void **state)
{
	struct render_var var = { "KW_REMOVE_NODE", "k8s-node1'; rm -rf / #" };
	struct cluster *c;
	char *s;
	size_t len;

	(void)state;
	assert_non_null(render_stage_source("reset"));
	assert_non_null(render_stage_source("node-remove"));
	c = make_cluster();
	s = render_named_script(c, 0, "node-remove", &var, 1, &len);
	assert_non_null(strstr(s, "KW_REMOVE_NODE='k8s-node1'\\''; rm -rf / "
	    "#'"));
	assert_non_null(strstr(s, "drain \"$KW_REMOVE_NODE\""));
	assert_non_null(strstr(s, "delete node \"$KW_REMOVE_NODE\""));
	xfree_secret(s);
	s = render_named_script(c, 1, "reset", NULL, 0, &len);
	assert_non_null(strstr(s, "kubeadm reset -f"));
	assert_non_null(strstr(s, "/etc/cni/net.d"));
	xfree_secret(s);
	cluster_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mark_state, setup_base,
		    teardown_base),
		cmocka_unit_test(test_scripts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
