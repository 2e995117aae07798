/* test_events.c: the event queue (order, pollable fd, threads) and
 * prompts. */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events.h"
#include "xmalloc.h"

/* Whether fd is readable right now. */
static int
fd_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

/* Events come out in the order they went in; the fd is readable exactly
 * while the queue holds something. */
static void
test_queue_order_and_fd(void **state)
{
	struct event_queue *q;
	struct event *ev;
	int i;

	(void)state;
	q = event_queue_new();
	assert_false(fd_readable(event_queue_fd(q)));
	assert_null(event_queue_pop(q));
	for (i = 0; i < 3; i++) {
		ev = event_new(EVENT_TASK_LOG, i, STAGE_INIT);
		ev->text = xasprintf("line %d", i);
		event_queue_push(q, ev);
		assert_true(fd_readable(event_queue_fd(q)));
	}
	for (i = 0; i < 3; i++) {
		assert_true(fd_readable(event_queue_fd(q)));
		ev = event_queue_pop(q);
		assert_non_null(ev);
		assert_int_equal(ev->node, i);
		assert_int_equal(ev->stage, STAGE_INIT);
		assert_int_equal(ev->type, EVENT_TASK_LOG);
		assert_true(ev->time >= 0.0);
		event_free(ev);
	}
	assert_false(fd_readable(event_queue_fd(q)));
	assert_null(event_queue_pop(q));
	/* Free with events left in it (no leak under ASan). */
	ev = event_new(EVENT_MESSAGE, -1, -1);
	ev->text = xstrdup("left behind");
	event_queue_push(q, ev);
	event_queue_free(q);
}

#define PRODUCERS	4
#define PER_PRODUCER	2000

struct producer {
	struct event_queue	*q;
	int			 id;
};

/* Push PER_PRODUCER numbered events. */
static void *
producer_main(void *arg)
{
	struct producer *p = arg;
	struct event *ev;
	int i;

	for (i = 0; i < PER_PRODUCER; i++) {
		ev = event_new(EVENT_TASK_LOG, p->id, -1);
		ev->exit_code = i;
		event_queue_push(p->q, ev);
	}
	return NULL;
}

/* Several threads push while one pops, waiting on the fd: nothing is
 * lost and each producer's events stay in order. */
static void
test_queue_threads(void **state)
{
	struct event_queue *q;
	struct producer prod[PRODUCERS];
	pthread_t th[PRODUCERS];
	int next[PRODUCERS] = { 0 };
	struct pollfd pfd;
	struct event *ev;
	int i, total = 0;

	(void)state;
	q = event_queue_new();
	for (i = 0; i < PRODUCERS; i++) {
		prod[i].q = q;
		prod[i].id = i;
		assert_int_equal(pthread_create(&th[i], NULL, producer_main,
		    &prod[i]), 0);
	}
	while (total < PRODUCERS * PER_PRODUCER) {
		pfd.fd = event_queue_fd(q);
		pfd.events = POLLIN;
		assert_int_equal(poll(&pfd, 1, 10000), 1);
		while ((ev = event_queue_pop(q)) != NULL) {
			assert_int_equal(ev->exit_code, next[ev->node]);
			next[ev->node]++;
			total++;
			event_free(ev);
		}
	}
	for (i = 0; i < PRODUCERS; i++)
		pthread_join(th[i], NULL);
	assert_false(fd_readable(event_queue_fd(q)));
	event_queue_free(q);
}

/* A worker thread that asks a secret and keeps the answer. */
static void *
asker_main(void *arg)
{
	struct prompt *p = arg;

	prompt_wait(p);
	return NULL;
}

/* prompt_wait blocks until the answer comes; the first answer wins and
 * the secret is copied. */
static void
test_prompt(void **state)
{
	struct prompt *p;
	pthread_t th;
	char secret[] = "hunter2";

	(void)state;
	p = prompt_new(PROMPT_SECRET, 1, "password for root@k8s-node1");
	assert_string_equal(p->text, "password for root@k8s-node1");
	assert_int_equal(pthread_create(&th, NULL, asker_main, p), 0);
	prompt_answer(p, 1, secret);
	memset(secret, 'x', strlen(secret));
	prompt_answer(p, 0, "ignored");
	pthread_join(th, NULL);
	assert_true(p->answered);
	assert_int_equal(p->answer_yes, 1);
	assert_string_equal(p->answer_secret, "hunter2");
	prompt_free(p);

	p = prompt_new(PROMPT_HOSTKEY, 0, "fingerprint");
	prompt_answer(p, 0, NULL);
	prompt_wait(p);
	assert_int_equal(p->answer_yes, 0);
	assert_null(p->answer_secret);
	prompt_free(p);
}

/* State names come from the table. */
static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(task_state_name(TASK_BLOCKED), "blocked");
	assert_string_equal(task_state_name(TASK_SKIPPED), "skipped");
	assert_string_equal(task_state_name(TASK_STATE_COUNT), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_order_and_fd),
		cmocka_unit_test(test_queue_threads),
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
