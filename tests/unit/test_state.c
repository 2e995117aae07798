/* test_state.c: the state directory: permissions, round trips, atomic
 * writes that survive a crash, refusal of corrupt and foreign files, the
 * lock, and what resume does with each task. */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "state.h"
#include "xmalloc.h"

/* A fresh temporary base directory per test. */
static int
setup_base(void **state)
{
	char *base;

	base = xstrdup("/tmp/kw-test-state.XXXXXX");
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

/* The mode bits of a path. */
static int
mode_of(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return (int)(sb.st_mode & 07777);
}

/* Read a whole small file into a new string. */
static char *
slurp(const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof buf - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return xstrdup(buf);
}

/* Write a file with content. */
static void
spew(const char *path, const char *data)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
}

/* A cluster with the given node names (only what state reads). */
static struct cluster *
make_cluster(const char *const *names, size_t n)
{
	struct cluster *c;
	size_t i;

	c = xcalloc(1, sizeof *c);
	c->nnodes = n;
	c->nodes = xcalloc(n, sizeof *c->nodes);
	for (i = 0; i < n; i++)
		c->nodes[i].name = xstrdup(names[i]);
	return c;
}

/* Free a cluster made by make_cluster. */
static void
free_cluster(struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		free(c->nodes[i].name);
	free(c->nodes);
	free(c);
}

static const char *const names3[] = { "k8s-master", "k8s-node1", "k8s-node2" };

/* Open a new state with three nodes, locked. */
static struct state *
open_new(const char *base)
{
	struct state *st = NULL;
	struct cluster *c;
	char *cause = NULL;

	if (state_open(base, "demo", STATE_CREATE | STATE_LOCK, &st,
	    &cause) != 0)
		fail_msg("state_open: %s", cause);
	c = make_cluster(names3, 3);
	state_sync_nodes(st, c);
	free_cluster(c);
	return st;
}

/* Mark a task done with a hash. */
static void
set_done(struct state *st, const char *node, enum stage s, const char *hash)
{
	struct state_task *t;

	t = state_task(st, node, s);
	assert_non_null(t);
	t->status = TASK_DONE;
	t->exit_code = 0;
	t->start = 1795701600;
	t->end = 1795701661;
	free(t->hash);
	t->hash = xstrdup(hash);
	free(t->log);
	t->log = state_log_rel(node, s);
}

/* Directory 0700, every file 0600, logs under logs/NODE. */
static void
test_state_permissions(void **state)
{
	const char *base = *state;
	struct state *st;
	char *cause = NULL, *path;
	int fd;

	umask(022);
	st = open_new(base);
	assert_int_equal(mode_of(st->dir), 0700);
	path = state_path(st, "lock");
	assert_int_equal(mode_of(path), 0600);
	free(path);
	assert_int_equal(state_save(st, &cause), 0);
	state_set_secret(st, "TOKEN", "abcdef.0123456789abcdef");
	assert_int_equal(state_save_secrets(st, &cause), 0);
	assert_int_equal(state_write_file(st, "admin.conf", "kubeconfig", 10,
	    0600, &cause), 0);
	path = state_path(st, "state.yaml");
	assert_int_equal(mode_of(path), 0600);
	free(path);
	path = state_path(st, "secrets.yaml");
	assert_int_equal(mode_of(path), 0600);
	free(path);
	path = state_path(st, "admin.conf");
	assert_int_equal(mode_of(path), 0600);
	free(path);
	fd = state_open_log(st, "k8s-node1", STAGE_RUNTIME, &cause);
	assert_true(fd >= 0);
	close(fd);
	path = state_path(st, "logs/k8s-node1/04-runtime.log");
	assert_int_equal(mode_of(path), 0600);
	free(path);
	path = state_path(st, "logs/k8s-node1");
	assert_int_equal(mode_of(path), 0700);
	free(path);
	state_close(st);

	/* A state directory someone made group-readable is made private. */
	path = xasprintf("%s/demo", base);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), 0);
	assert_int_equal(mode_of(path), 0700);
	state_close(st);
	free(path);
}

/* What is saved is what is loaded; pending tasks are not written. */
static void
test_state_round_trip(void **state)
{
	const char *base = *state;
	struct state *st;
	struct state_task *t;
	char *cause = NULL, *path, *text;

	st = open_new(base);
	set_done(st, "k8s-master", STAGE_CONNECT, "aaaa");
	set_done(st, "k8s-master", STAGE_INIT, "bbbb");
	t = state_task(st, "k8s-node2", STAGE_RUNTIME);
	t->status = TASK_FAILED;
	t->exit_code = 42;
	t->start = 1795701600;
	t->log = state_log_rel("k8s-node2", STAGE_RUNTIME);
	state_set_output(st, "DASHBOARD_URL", "https://127.0.10.1:30443/");
	state_set_secret(st, "SECRET_DASHBOARD_TOKEN", "eyJhbGciOi: 'x\"y");
	assert_int_equal(state_save(st, &cause), 0);
	assert_int_equal(state_save_secrets(st, &cause), 0);
	path = state_path(st, "state.yaml");
	text = slurp(path);
	free(path);
	/* The secret is not in state.yaml. */
	assert_null(strstr(text, "eyJhbGciOi"));
	assert_non_null(strstr(text, "kubewiz-state: 1"));
	assert_non_null(strstr(text, "2026-11-26T14:00:00Z"));
	free(text);
	state_close(st);

	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), 0);
	assert_int_equal(st->nnodes, 3);
	t = state_task(st, "k8s-master", STAGE_INIT);
	assert_int_equal(t->status, TASK_DONE);
	assert_string_equal(t->hash, "bbbb");
	assert_int_equal(t->start, 1795701600);
	assert_int_equal(t->end, 1795701661);
	assert_string_equal(t->log, "logs/k8s-master/07-init.log");
	t = state_task(st, "k8s-node2", STAGE_RUNTIME);
	assert_int_equal(t->status, TASK_FAILED);
	assert_int_equal(t->exit_code, 42);
	assert_null(t->hash);
	assert_int_equal(state_task(st, "k8s-node1", STAGE_JOIN)->status,
	    TASK_PENDING);
	assert_null(state_task(st, "nobody", STAGE_INIT));
	assert_string_equal(state_output(st, "DASHBOARD_URL"),
	    "https://127.0.10.1:30443/");
	assert_string_equal(state_secret(st, "SECRET_DASHBOARD_TOKEN"),
	    "eyJhbGciOi: 'x\"y");
	assert_null(state_output(st, "SECRET_DASHBOARD_TOKEN"));
	state_close(st);
}

/* Hook that dies between the temp file and the rename. */
static void
die_before_rename(const char *tmp, const char *path)
{
	(void)tmp;
	(void)path;
	_exit(3);
}

/* A crash between writing the temp file and renaming it leaves the old
 * state.yaml intact; the leftover temp file is cleaned on the next open. */
static void
test_state_atomic_crash(void **state)
{
	const char *base = *state;
	struct state *st;
	char *cause = NULL, *path, *before, *after, *cmd;
	pid_t pid;
	int status;

	st = open_new(base);
	set_done(st, "k8s-master", STAGE_CONNECT, "old-hash");
	assert_int_equal(state_save(st, &cause), 0);
	path = state_path(st, "state.yaml");
	before = slurp(path);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		set_done(st, "k8s-master", STAGE_CONNECT, "new-hash");
		set_done(st, "k8s-master", STAGE_PREFLIGHT, "new-hash");
		state_before_rename_hook = die_before_rename;
		state_save(st, &cause);
		_exit(0);	/* not reached when the hook works */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);

	after = slurp(path);
	assert_string_equal(before, after);
	assert_null(strstr(after, "new-hash"));
	/* The child's temp file is there, complete but never renamed. */
	cmd = xasprintf("ls -a '%s' | grep -q '^\\.state\\.yaml\\.tmp\\.'",
	    st->dir);
	assert_int_equal(system(cmd), 0);
	state_close(st);

	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), 0);
	assert_string_equal(state_task(st, "k8s-master", STAGE_CONNECT)->hash,
	    "old-hash");
	assert_int_equal(state_task(st, "k8s-master", STAGE_PREFLIGHT)->status,
	    TASK_PENDING);
	assert_int_not_equal(system(cmd), 0);
	state_close(st);
	free(cmd);
	free(after);
	free(before);
	free(path);
}

/* Try to open and expect a refusal whose message contains want; the file
 * must be left byte for byte as it was. */
static void
expect_refused(const char *base, const char *file, const char *content,
    const char *want)
{
	struct state *st = NULL;
	char *cause = NULL, *path, *now;

	path = xasprintf("%s/demo/%s", base, file);
	spew(path, content);
	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), -1);
	assert_null(st);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("'%s' does not say '%s'", cause, want);
	assert_non_null(strstr(cause, path));
	now = slurp(path);
	assert_string_equal(now, content);
	free(now);
	free(cause);
	unlink(path);
	free(path);
}

/* Corrupt, foreign, other-cluster and newer state files are refused with
 * a clear message and left alone. */
static void
test_state_refuses_bad_files(void **state)
{
	const char *base = *state;
	struct state *st;

	st = open_new(base);
	state_close(st);
	expect_refused(base, "state.yaml", "kubewiz-state: 1\ncluster: demo\n"
	    "nodes: {k8s-master: [unclosed\n", "corrupt");
	expect_refused(base, "state.yaml", "apiVersion: v1\nkind: Config\n",
	    "not a kubewiz state file");
	expect_refused(base, "state.yaml", "- just\n- a list\n",
	    "not a kubewiz state file");
	expect_refused(base, "state.yaml", "kubewiz-state: 1\ncluster: prod\n",
	    "belongs to cluster 'prod'");
	expect_refused(base, "state.yaml", "kubewiz-state: 7\ncluster: demo\n",
	    "newer kubewiz");
	expect_refused(base, "state.yaml", "kubewiz-state: 1\ncluster: demo\n"
	    "nodes:\n  k8s-master:\n    init: {status: exploded}\n",
	    "unknown task status");
	expect_refused(base, "state.yaml", "kubewiz-state: 1\ncluster: demo\n"
	    "nodes:\n  k8s-master:\n    init: {status: done, start: "
	    "yesterday}\n", "corrupt");
	expect_refused(base, "secrets.yaml", "kubewiz-secrets: 1\n"
	    "cluster: other\n", "belongs to cluster 'other'");
	/* Nothing there is fine, and a missing state without CREATE is an
	 * error naming the cluster. */
	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, NULL), 0);
	state_close(st);
	{
		char *cause = NULL;

		assert_int_equal(state_open(base, "nope", 0, &st, &cause), -1);
		assert_non_null(strstr(cause, "nope"));
		free(cause);
		assert_int_equal(state_open(base, "../etc", STATE_CREATE, &st,
		    &cause), -1);
		free(cause);
	}
}

/* A second run is refused, naming the holder's pid; once the holder is
 * gone the lock is free again. */
static void
test_state_lock_held(void **state)
{
	const char *base = *state;
	struct state *st;
	char *cause = NULL, *want, c;
	int ready[2], go[2], status;
	pid_t pid;

	st = open_new(base);
	state_close(st);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (state_open(base, "demo", STATE_LOCK, &st, &cause) != 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		state_close(st);
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), -1);
	want = xasprintf("pid %ld", (long)pid);
	if (strstr(cause, want) == NULL)
		fail_msg("'%s' does not name %s", cause, want);
	free(want);
	free(cause);
	cause = NULL;
	/* Reading without the lock is allowed (status, the menu). */
	assert_int_equal(state_open(base, "demo", 0, &st, &cause), 0);
	state_close(st);

	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), 0);
	state_close(st);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* A lock file left by a process that died (kill -9) is taken over, and
 * then holds our pid. */
static void
test_state_lock_stale(void **state)
{
	const char *base = *state;
	struct state *st;
	char *cause = NULL, *path, *text, *pidtext;
	pid_t dead;
	int status;

	st = open_new(base);
	path = state_path(st, "lock");
	state_close(st);
	dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, &status, 0), dead);
	pidtext = xasprintf("%ld\n", (long)dead);
	spew(path, pidtext);
	free(pidtext);

	assert_int_equal(state_open(base, "demo", STATE_LOCK, &st, &cause), 0);
	text = slurp(path);
	pidtext = xasprintf("%ld\n", (long)getpid());
	assert_string_equal(text, pidtext);
	free(pidtext);
	free(text);
	state_close(st);
	free(path);
}

/* Resume: done and unchanged is skipped; done but changed reruns; failed
 * and interrupted tasks run again; never-run tasks are new. */
static void
test_state_resume_decisions(void **state)
{
	struct state_task t;

	(void)state;
	memset(&t, 0, sizeof t);
	t.status = TASK_PENDING;
	assert_int_equal(state_task_resume(&t, "h1"), STATE_RESUME_NEW);
	t.status = TASK_DONE;
	t.hash = xstrdup("h1");
	assert_int_equal(state_task_resume(&t, "h1"), STATE_RESUME_SKIP);
	assert_int_equal(state_task_resume(&t, "h2"), STATE_RESUME_CHANGED);
	t.status = TASK_FAILED;
	assert_int_equal(state_task_resume(&t, "h1"), STATE_RESUME_RETRY);
	t.status = TASK_RUNNING;	/* killed while running */
	assert_int_equal(state_task_resume(&t, "h1"), STATE_RESUME_RETRY);
	t.status = TASK_DONE;
	free(t.hash);
	t.hash = NULL;
	assert_int_equal(state_task_resume(&t, "h1"), STATE_RESUME_CHANGED);
}

/* Syncing with a changed cluster keeps the records of nodes still there,
 * drops removed ones and adds new ones; state_list finds saved clusters. */
static void
test_state_sync_and_list(void **state)
{
	static const char *const names[] = { "k8s-node2", "k8s-node3",
	    "k8s-master" };
	const char *base = *state;
	struct state *st;
	struct cluster *c;
	char **list, *cause = NULL;
	size_t n, i;

	st = open_new(base);
	set_done(st, "k8s-node2", STAGE_IMAGES, "x");
	set_done(st, "k8s-node1", STAGE_IMAGES, "y");
	c = make_cluster(names, 3);
	state_sync_nodes(st, c);
	free_cluster(c);
	assert_int_equal(st->nnodes, 3);
	assert_string_equal(st->nodes[0].name, "k8s-node2");
	assert_int_equal(st->nodes[0].tasks[STAGE_IMAGES].status, TASK_DONE);
	assert_string_equal(st->nodes[1].name, "k8s-node3");
	assert_int_equal(st->nodes[1].tasks[STAGE_IMAGES].status,
	    TASK_PENDING);
	assert_null(state_task(st, "k8s-node1", STAGE_IMAGES));
	assert_int_equal(state_write_file(st, "config.yaml", "name: demo\n", 11,
	    0600, &cause), 0);
	state_close(st);

	assert_int_equal(state_open(base, "zeta", STATE_CREATE, &st, &cause),
	    0);
	state_close(st);	/* no config.yaml: not listed */
	assert_int_equal(state_open(base, "alpha", STATE_CREATE, &st, &cause),
	    0);
	assert_int_equal(state_write_file(st, "config.yaml", "name: alpha\n",
	    12, 0600, &cause), 0);
	state_close(st);
	n = state_list(base, &list);
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "alpha");
	assert_string_equal(list[1], "demo");
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_permissions,
		    setup_base, teardown_base),
		cmocka_unit_test_setup_teardown(test_state_round_trip,
		    setup_base, teardown_base),
		cmocka_unit_test_setup_teardown(test_state_atomic_crash,
		    setup_base, teardown_base),
		cmocka_unit_test_setup_teardown(test_state_refuses_bad_files,
		    setup_base, teardown_base),
		cmocka_unit_test_setup_teardown(test_state_lock_held,
		    setup_base, teardown_base),
		cmocka_unit_test_setup_teardown(test_state_lock_stale,
		    setup_base, teardown_base),
		cmocka_unit_test(test_state_resume_decisions),
		cmocka_unit_test_setup_teardown(test_state_sync_and_list,
		    setup_base, teardown_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
