/* events.c: the engine's event queue (mutex + pollable fd) and prompts. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_EVENTFD_H
#include <sys/eventfd.h>
#endif

#include "events.h"
#include "i18n.h"
#include "xmalloc.h"

/* One queued event. */
struct event_entry {
	struct event		*ev;
	struct event_entry	*next;
};

struct event_queue {
	pthread_mutex_t		 lock;
	struct event_entry	*head;
	struct event_entry	*tail;
	size_t			 count;
	int			 rfd;		/* polled by the front end */
	int			 wfd;		/* == rfd for an eventfd */
	struct timespec		 start;		/* event times are relative */
};

#define TASK_STATE_NAME(e, n) n,
static const char *const task_state_names[] = {
	TASK_STATE_TABLE(TASK_STATE_NAME)
};
#undef TASK_STATE_NAME

/* Seconds elapsed since a monotonic start time. */
static double
event_elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Make the fd readable (the queue just became non-empty). */
static void
event_queue_signal(struct event_queue *q)
{
#ifdef HAVE_SYS_EVENTFD_H
	uint64_t one = 1;

	while (write(q->wfd, &one, sizeof one) < 0 && errno == EINTR)
		;
#else
	char c = 'e';

	while (write(q->wfd, &c, 1) < 0 && errno == EINTR)
		;
#endif
}

/* Make the fd unreadable again (the queue just became empty). */
static void
event_queue_drain(struct event_queue *q)
{
#ifdef HAVE_SYS_EVENTFD_H
	uint64_t v;

	while (read(q->rfd, &v, sizeof v) < 0 && errno == EINTR)
		;
#else
	char buf[64];
	ssize_t n;

	for (;;) {
		n = read(q->rfd, buf, sizeof buf);
		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		break;
	}
#endif
}

/* Create an empty queue. */
struct event_queue *
event_queue_new(void)
{
	struct event_queue *q;

	q = xcalloc(1, sizeof *q);
	if (pthread_mutex_init(&q->lock, NULL) != 0)
		fatalx("event_queue_new: pthread_mutex_init failed");
#ifdef HAVE_SYS_EVENTFD_H
	q->rfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->rfd == -1)
		fatalx("event_queue_new: eventfd: %s", strerror(errno));
	q->wfd = q->rfd;
#else
	{
		int fds[2];

		if (pipe(fds) != 0)
			fatalx("event_queue_new: pipe: %s", strerror(errno));
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		fcntl(fds[1], F_SETFL, O_NONBLOCK);
		fcntl(fds[0], F_SETFD, FD_CLOEXEC);
		fcntl(fds[1], F_SETFD, FD_CLOEXEC);
		q->rfd = fds[0];
		q->wfd = fds[1];
	}
#endif
	clock_gettime(CLOCK_MONOTONIC, &q->start);
	return q;
}

/* Free a queue and the events still in it. */
void
event_queue_free(struct event_queue *q)
{
	struct event_entry *e, *next;

	if (q == NULL)
		return;
	for (e = q->head; e != NULL; e = next) {
		next = e->next;
		event_free(e->ev);
		free(e);
	}
	close(q->rfd);
	if (q->wfd != q->rfd)
		close(q->wfd);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Append an event, stamping its time. */
void
event_queue_push(struct event_queue *q, struct event *ev)
{
	struct event_entry *e;

	e = xcalloc(1, sizeof *e);
	e->ev = ev;
	pthread_mutex_lock(&q->lock);
	ev->time = event_elapsed(&q->start);
	if (q->tail == NULL)
		q->head = e;
	else
		q->tail->next = e;
	q->tail = e;
	if (q->count++ == 0)
		event_queue_signal(q);
	pthread_mutex_unlock(&q->lock);
}

/* Take the oldest event, or NULL when the queue is empty. */
struct event *
event_queue_pop(struct event_queue *q)
{
	struct event_entry *e;
	struct event *ev = NULL;

	pthread_mutex_lock(&q->lock);
	e = q->head;
	if (e != NULL) {
		q->head = e->next;
		if (q->head == NULL)
			q->tail = NULL;
		if (--q->count == 0)
			event_queue_drain(q);
		ev = e->ev;
		free(e);
	}
	pthread_mutex_unlock(&q->lock);
	return ev;
}

/* The fd that polls readable while events are queued. */
int
event_queue_fd(const struct event_queue *q)
{
	return q->rfd;
}

/* Allocate an event. */
struct event *
event_new(enum event_type type, int node, int stage)
{
	struct event *ev;

	ev = xcalloc(1, sizeof *ev);
	ev->type = type;
	ev->node = node;
	ev->stage = stage;
	ev->state = -1;
	return ev;
}

/* Free an event and its strings. */
void
event_free(struct event *ev)
{
	if (ev == NULL)
		return;
	free(ev->key);
	free(ev->text);
	free(ev);
}

/* Display word of a task state. */
const char *
task_state_name(enum task_state s)
{
	if ((int)s < 0 || s >= TASK_STATE_COUNT)
		return "?";
	return task_state_names[s];
}

/* The states as users read them, in TASK_STATE_TABLE's order. */
static const char *const task_state_labels[] = {
	N_("pending"), N_("waiting"), N_("running"), N_("done"),
	N_("skipped"), N_("failed"), N_("blocked"), N_("cancelled"),
};
_Static_assert(sizeof task_state_labels / sizeof task_state_labels[0] ==
    TASK_STATE_COUNT, "a label for every task state");

/* A task state as the interface shows it, translated. */
const char *
task_state_label(enum task_state s)
{
	if ((int)s < 0 || s >= TASK_STATE_COUNT)
		return "?";
	return _(task_state_labels[s]);
}

/* Create a prompt for the front end. */
struct prompt *
prompt_new(enum prompt_kind kind, int node, const char *text)
{
	struct prompt *p;

	p = xcalloc(1, sizeof *p);
	p->kind = kind;
	p->node = node;
	p->text = xstrdup(text);
	if (pthread_mutex_init(&p->lock, NULL) != 0 ||
	    pthread_cond_init(&p->cond, NULL) != 0)
		fatalx("prompt_new: pthread init failed");
	return p;
}

/* Wait until prompt_answer has been called. */
void
prompt_wait(struct prompt *p)
{
	pthread_mutex_lock(&p->lock);
	while (!p->answered)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

/* Answer a prompt and wake the waiting worker. Only the first answer
 * counts. */
void
prompt_answer(struct prompt *p, int yes, const char *secret)
{
	pthread_mutex_lock(&p->lock);
	if (!p->answered) {
		p->answer_yes = yes;
		p->answer_secret = secret != NULL ? xstrdup(secret) : NULL;
		p->answered = 1;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
}

/* Free a prompt, wiping its secret. */
void
prompt_free(struct prompt *p)
{
	if (p == NULL)
		return;
	xfree_secret(p->answer_secret);
	free(p->text);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
