/* ssh-exec.c: run one command on an exec channel: feed its stdin, stream
 * its output line by line, get its exit status, and notice timeouts,
 * cancellation and a dead connection (keepalives) within seconds. */
#include "kwconfig.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/server.h>	/* ssh_send_keepalive */

#include "i18n.h"
#include "linesplit.h"
#include "ssh-int.h"
#include "xmalloc.h"

/* Longest wait between checks of cancellation and deadlines. */
#define EXEC_POLL_MS		200
/* Silence after which a keepalive (with reply wanted) is sent. */
#define EXEC_KEEPALIVE_MS	2000
/* Silence, keepalives unanswered, after which the peer is dead. */
#define EXEC_DEAD_MS		7000
/* Most bytes written to the channel at once. */
#define EXEC_WRITE_CHUNK	32768

/* What the channel callbacks learn. */
struct exec_state {
	int	status_seen;
	int	exit_code;
	int	signal;		/* > 0 when killed by a signal */
};

/* Signal names of RFC 4254 and their numbers. */
static const struct {
	const char	*name;
	int		 number;
} exec_signals[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "FPE", SIGFPE },
	{ "HUP", SIGHUP }, { "ILL", SIGILL }, { "INT", SIGINT },
	{ "KILL", SIGKILL }, { "PIPE", SIGPIPE }, { "QUIT", SIGQUIT },
	{ "SEGV", SIGSEGV }, { "TERM", SIGTERM }, { "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
};

/* The number of a signal named as in an exit-signal message; 127 (so
 * the status is 255) when unknown. */
static int
exec_signal_number(const char *name)
{
	size_t	i;

	if (name == NULL)
		return 127;
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof exec_signals / sizeof exec_signals[0]; i++) {
		if (strcmp(exec_signals[i].name, name) == 0)
			return exec_signals[i].number;
	}
	return 127;
}

/* Note the command's exit status. */
static void
exec_status_cb(ssh_session session, ssh_channel channel, int status,
    void *userdata)
{
	struct exec_state	*st = userdata;

	(void)session;
	(void)channel;
	st->status_seen = 1;
	st->exit_code = status;
}

/* Note the signal that killed the command. */
static void
exec_signal_cb(ssh_session session, ssh_channel channel, const char *signal,
    int core, const char *errmsg, const char *lang, void *userdata)
{
	struct exec_state	*st = userdata;

	(void)session;
	(void)channel;
	(void)core;
	(void)errmsg;
	(void)lang;
	st->status_seen = 1;
	st->signal = exec_signal_number(signal);
}

/* Milliseconds of a monotonic clock. */
static long long
exec_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Empty the cancellation pipe when it wakes the event loop. */
static int
exec_cancel_cb(socket_t fd, int revents, void *userdata)
{
	char	drain[16];

	(void)revents;
	(void)userdata;
	while (read(fd, drain, sizeof drain) > 0)
		;
	return 0;
}

/* The liveness of the connection while waiting on it. */
struct exec_watch {
	struct ssh_conn	*c;
	long long	 last_rx;	/* when bytes last arrived */
	long long	 last_ka;	/* when a keepalive was last sent */
	uint64_t	 rx_bytes;
	ssh_event	 event;		/* the session and the cancel pipe */
};

/* Start watching the connection. */
static void
exec_watch_init(struct exec_watch *w, struct ssh_conn *c)
{
	w->c = c;
	w->last_rx = exec_now_ms();
	w->last_ka = 0;
	w->rx_bytes = c->scounter.in_bytes;
	if ((w->event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(w->event, c->session) != SSH_OK ||
	    ssh_event_add_fd(w->event, c->cancel_pipe[0], POLLIN,
	    exec_cancel_cb, NULL) != SSH_OK)
		fatalx("cannot set up an ssh_event");
}

/* Stop watching. */
static void
exec_watch_free(struct exec_watch *w)
{
	if (w->event == NULL)
		return;
	ssh_event_remove_fd(w->event, w->c->cancel_pipe[0]);
	if (w->c->session != NULL)
		ssh_event_remove_session(w->event, w->c->session);
	ssh_event_free(w->event);
	w->event = NULL;
}

/* Wait up to EXEC_POLL_MS for packets (handling them) or a cancellation,
 * keeping the connection alive. Returns 0, or -1 when the peer has gone
 * silent or the connection failed. */
static int
exec_wait(struct exec_watch *w)
{
	struct ssh_conn	*c = w->c;
	long long	 now;

	now = exec_now_ms();
	if (c->scounter.in_bytes != w->rx_bytes) {
		w->rx_bytes = c->scounter.in_bytes;
		w->last_rx = now;
	}
	if (now - w->last_rx >= EXEC_DEAD_MS)
		return -1;
	if (now - w->last_rx >= EXEC_KEEPALIVE_MS &&
	    now - w->last_ka >= EXEC_KEEPALIVE_MS / 2) {
		ssh_send_keepalive(c->session);
		w->last_ka = now;
	}
	if (ssh_event_dopoll(w->event, EXEC_POLL_MS) == SSH_ERROR &&
	    !ssh_is_connected(c->session))
		return -1;
	return 0;
}

/* Say that the connection died during a command. */
static char *
exec_lost(struct ssh_conn *c)
{
	return xasprintf(_("%s: connection to %s lost during the command"),
	    c->t->node, c->where);
}

/* Open a session channel and start command on it, without blocking for
 * longer than the connect timeout (or the command's, if shorter).
 * Returns a transport_status; sets *dead when the connection is gone. */
static int
exec_start(struct ssh_conn *c, ssh_channel ch, const char *command,
    int timeout, struct exec_watch *w, int *dead, char **cause)
{
	long long	deadline;
	int		rc, opened = 0;

	if (timeout <= 0 || timeout > c->connect_timeout)
		timeout = c->connect_timeout;
	deadline = exec_now_ms() + timeout * 1000LL;
	for (;;) {
		if (sshconn_cancelled(c)) {
			*cause = xasprintf(_("%s: cancelled"), c->t->node);
			return TRANSPORT_CANCELLED;
		}
		if (!opened) {
			rc = ssh_channel_open_session(ch);
			if (rc == SSH_OK)
				opened = 1;
		}
		if (opened) {
			rc = ssh_channel_request_exec(ch, command);
			if (rc == SSH_OK)
				return TRANSPORT_OK;
		}
		if (rc == SSH_ERROR) {
			if (!ssh_is_connected(c->session)) {
				*cause = exec_lost(c);
				*dead = 1;
				return TRANSPORT_ERROR;
			}
			*cause = xasprintf(_("%s: cannot start a command on "
			    "%s: %s"), c->t->node, c->where,
			    ssh_get_error(c->session));
			return TRANSPORT_ERROR;
		}
		if (exec_now_ms() >= deadline || exec_wait(w) != 0) {
			*cause = xasprintf(_("%s: %s does not answer"),
			    c->t->node, c->where);
			*dead = 1;
			return TRANSPORT_ERROR;
		}
	}
}

/* Write what the channel's window allows of the inputs. Returns 0, or -1
 * if the connection failed. */
static int
exec_feed(ssh_channel ch, const struct ssh_input *in, size_t nin,
    size_t *idx, size_t *off)
{
	uint32_t	win;
	size_t		n;
	int		w;

	while (*idx < nin) {
		if (*off == in[*idx].len) {
			(*idx)++;
			*off = 0;
			continue;
		}
		if ((win = ssh_channel_window_size(ch)) == 0)
			return 0;
		n = in[*idx].len - *off;
		if (n > win)
			n = win;
		if (n > EXEC_WRITE_CHUNK)
			n = EXEC_WRITE_CHUNK;
		w = ssh_channel_write(ch, (const char *)in[*idx].data + *off,
		    n);
		if (w == SSH_ERROR)
			return -1;
		if (w == 0)
			return 0;
		*off += w;
	}
	return 0;
}

/* Read what is buffered on both streams into the splitters. Returns the
 * bytes read, or -1 if the connection failed. */
static long
exec_drain(ssh_channel ch, struct linesplit *out, struct linesplit *err)
{
	char	buf[16384];
	long	total = 0;
	int	n, stream;

	for (stream = 0; stream < 2; stream++) {
		n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, stream);
		if (n == SSH_ERROR)
			return -1;
		if (n > 0) {
			linesplit_feed(stream ? err : out, buf, n);
			total += n;
		}
	}
	return total;
}

/* Work out the exit status once the channel is finished: 128 + signal
 * when killed. Returns 0, or -1 when there is none. */
static int
exec_status(ssh_channel ch, const struct exec_state *st, int *exit_status)
{
#ifdef HAVE_SSH_CHANNEL_GET_EXIT_STATE
	uint32_t	 code = 0;
	char		*sig = NULL;
	int		 core = 0;

	(void)st;
	if (ssh_channel_get_exit_state(ch, &code, &sig, &core) != SSH_OK)
		return -1;
	if (sig != NULL) {
		*exit_status = 128 + exec_signal_number(sig);
		ssh_string_free_char(sig);
	} else
		*exit_status = (int)code;
	return 0;
#else
	int	code;

	if (st->signal > 0) {
		*exit_status = 128 + st->signal;
		return 0;
	}
	if (!st->status_seen)
		return -1;
	if ((code = ssh_channel_get_exit_status(ch)) < 0)
		return -1;
	*exit_status = code;
	return 0;
#endif
}

/* Run command with the inputs on stdin; see ssh-int.h. */
int
sshconn_exec(struct ssh_conn *c, const char *command,
    const struct ssh_input *in, size_t nin, int timeout,
    transport_line_cb cb, void *arg, int *exit_status, char **cause)
{
	ssh_channel				 ch = NULL;
	struct ssh_channel_callbacks_struct	 chcb;
	struct exec_state			 st;
	struct exec_watch			 w;
	struct linesplit			 out, err;
	size_t					 idx = 0, off = 0;
	long long				 deadline = 0;
	long					 got;
	int					 rc = TRANSPORT_ERROR;
	int					 eof_sent = 0, stop = 0;
	int					 dead = 0;

	*exit_status = -1;
	memset(&st, 0, sizeof st);
	memset(&w, 0, sizeof w);
	linesplit_init(&out, TRANSPORT_STDOUT, 0, cb, arg);
	linesplit_init(&err, TRANSPORT_STDERR, 0, cb, arg);
	if (c->session == NULL || !ssh_is_connected(c->session)) {
		*cause = xasprintf(_("%s: not connected"), c->t->node);
		goto out;
	}
	if ((ch = ssh_channel_new(c->session)) == NULL) {
		*cause = xasprintf(_("%s: cannot open a channel: %s"),
		    c->t->node, ssh_get_error(c->session));
		goto out;
	}
	memset(&chcb, 0, sizeof chcb);
	chcb.userdata = &st;
	chcb.channel_exit_status_function = exec_status_cb;
	chcb.channel_exit_signal_function = exec_signal_cb;
	ssh_callbacks_init(&chcb);
	ssh_set_channel_callbacks(ch, &chcb);

	ssh_set_blocking(c->session, 0);
	exec_watch_init(&w, c);
	rc = exec_start(c, ch, command, timeout, &w, &dead, cause);
	if (rc != TRANSPORT_OK)
		goto out;
	if (timeout > 0)
		deadline = exec_now_ms() + timeout * 1000LL;

	for (;;) {
		if (sshconn_cancelled(c)) {
			*cause = xasprintf(_("%s: cancelled"), c->t->node);
			rc = TRANSPORT_CANCELLED;
			stop = 1;
			break;
		}
		if (deadline != 0 && exec_now_ms() >= deadline) {
			*cause = xasprintf(_("%s: the command timed out after "
			    "%d s"), c->t->node, timeout);
			rc = TRANSPORT_TIMEOUT;
			stop = 1;
			break;
		}
		if (exec_feed(ch, in, nin, &idx, &off) != 0)
			goto lost;
		if (idx == nin && !eof_sent) {
			if (ssh_channel_send_eof(ch) == SSH_ERROR)
				goto lost;
			eof_sent = 1;
		}
		if ((got = exec_drain(ch, &out, &err)) < 0)
			goto lost;
		if (got > 0)
			continue;
		if (ssh_channel_is_eof(ch) &&
		    (st.status_seen || ssh_channel_is_closed(ch)))
			break;
		if (!ssh_is_connected(c->session))
			goto lost;
		if (ssh_channel_is_closed(ch) && !ssh_channel_is_eof(ch))
			goto lost;
		if (exec_wait(&w) != 0)
			goto lost;
	}
	linesplit_finish(&out);
	linesplit_finish(&err);
	if (stop) {
		/* Best effort: OpenSSH delivers the signal to the command. */
		ssh_channel_request_send_signal(ch, "TERM");
		goto out;
	}
	if (exec_status(ch, &st, exit_status) != 0) {
		*cause = xasprintf(_("%s: the command ended without an exit "
		    "status"), c->t->node);
		rc = TRANSPORT_ERROR;
		goto out;
	}
	rc = TRANSPORT_OK;
	goto out;

lost:
	linesplit_finish(&out);
	linesplit_finish(&err);
	*cause = exec_lost(c);
	rc = TRANSPORT_ERROR;
	dead = 1;
out:
	exec_watch_free(&w);
	if (dead) {
		/* The session goes; the next connect starts over. */
		if (ch != NULL)
			ssh_channel_free(ch);
		ch = NULL;
		sshconn_drop(c);
	}
	if (ch != NULL) {
		ssh_remove_channel_callbacks(ch, &chcb);
		ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	if (c->session != NULL)
		ssh_set_blocking(c->session, 1);
	linesplit_free(&out);
	linesplit_free(&err);
	return rc;
}

/* Append a captured line to a buffer. */
static void
exec_capture_add(char **buf, size_t *len, const char *line, size_t n)
{
	*buf = xreallocarray(*buf, 1, *len + n + 2);
	if (*len != 0)
		(*buf)[(*len)++] = '\n';
	memcpy(*buf + *len, line, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Collect output lines into a capture. */
static void
exec_capture_cb(void *arg, enum transport_stream stream, const char *line,
    size_t len)
{
	struct ssh_capture	*cap = arg;

	if (stream == TRANSPORT_STDOUT)
		exec_capture_add(&cap->out, &cap->outlen, line, len);
	else
		exec_capture_add(&cap->err, &cap->errlen, line, len);
}

/* Run a command collecting its output. */
int
sshconn_exec_capture(struct ssh_conn *c, const char *command,
    const struct ssh_input *in, size_t nin, int timeout,
    struct ssh_capture *cap, int *exit_status, char **cause)
{
	memset(cap, 0, sizeof *cap);
	cap->out = xstrdup("");
	cap->err = xstrdup("");
	return sshconn_exec(c, command, in, nin, timeout, exec_capture_cb, cap,
	    exit_status, cause);
}

/* Free a capture's buffers. */
void
sshconn_capture_free(struct ssh_capture *cap)
{
	free(cap->out);
	free(cap->err);
	memset(cap, 0, sizeof *cap);
}

/* The last line of captured text. */
const char *
sshconn_last_line(const char *text)
{
	const char	*nl;

	if (text == NULL)
		return "";
	nl = strrchr(text, '\n');
	return nl != NULL ? nl + 1 : text;
}
