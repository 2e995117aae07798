/* ssh-watch.c: a watchdog for libssh calls that block without a bound
 * (SFTP): when an armed call overruns its time, or the transport is
 * cancelled, it shuts the session's socket down from its own thread so
 * that the call fails at once. Only the socket is touched from that
 * thread, never the session. */
#include "kwconfig.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ssh-int.h"
#include "xmalloc.h"

/* How often the watchdog looks. */
#define WATCH_TICK_MS 100

struct sshconn_watch {
	struct ssh_conn	*c;
	int		 fd;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	long long	 deadline;	/* 0 = nothing armed */
	int		 stop;
	int		 fired;		/* the transport_status, once fired */
};

/* Milliseconds of a monotonic clock. */
static long long
watch_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The watchdog thread. */
static void *
watch_main(void *arg)
{
	struct sshconn_watch	*w = arg;
	struct timespec		 ts;
	long long		 now;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		now = watch_now_ms();
		if (w->deadline != 0 && !w->fired) {
			if (atomic_load(&w->c->cancelled))
				w->fired = TRANSPORT_CANCELLED;
			else if (now >= w->deadline)
				w->fired = TRANSPORT_ERROR;
			if (w->fired)
				shutdown(w->fd, SHUT_RDWR);
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += WATCH_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Start watching the connection's socket. */
void
sshconn_watch_start(struct ssh_conn *c)
{
	struct sshconn_watch	*w;

	if (c->watch != NULL)
		fatalx("watchdog started twice");
	w = xcalloc(1, sizeof *w);
	w->c = c;
	w->fd = ssh_get_fd(c->session);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0)
		fatalx("pthread_create: %s", strerror(errno));
	c->watch = w;
}

/* Give the next blocking call seconds to finish. */
void
sshconn_watch_arm(struct ssh_conn *c, int seconds)
{
	struct sshconn_watch	*w = c->watch;

	pthread_mutex_lock(&w->lock);
	w->deadline = watch_now_ms() + seconds * 1000LL;
	pthread_mutex_unlock(&w->lock);
}

/* The blocking call returned: 0, or the status it was stopped with
 * (sticky: the connection is gone). */
int
sshconn_watch_disarm(struct ssh_conn *c)
{
	struct sshconn_watch	*w = c->watch;
	int			 fired;

	pthread_mutex_lock(&w->lock);
	w->deadline = 0;
	fired = w->fired;
	pthread_mutex_unlock(&w->lock);
	return fired;
}

/* Stop the watchdog. Returns the status it fired with, or 0. */
int
sshconn_watch_stop(struct ssh_conn *c)
{
	struct sshconn_watch	*w = c->watch;
	int			 fired;

	if (w == NULL)
		return 0;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	fired = w->fired;
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
	c->watch = NULL;
	return fired;
}
