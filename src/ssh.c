/* ssh.c: the libssh transport: session options, connect, and the
 * transport operations.
 *
 * One transport holds one SSH session to one node, reused for every
 * command. libssh sessions are not thread-safe: all calls but
 * transport_cancel must come from one thread at a time. Cancellation is
 * sticky: once cancelled, the transport refuses further work. */
#include "kwconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "ssh-int.h"
#include "ssh.h"
#include "xmalloc.h"

static int	sshconn_op_connect(struct transport *, char **);
static int	sshconn_op_run(struct transport *, const char *, size_t, int,
		    transport_line_cb, void *, int *, char **);
static int	sshconn_op_put(struct transport *, const char *, const void *,
		    size_t, int, char **);
static void	sshconn_op_cancel(struct transport *);
static void	sshconn_op_free(struct transport *);

static const struct transport_ops ssh_ops = {
	.connect = sshconn_op_connect,
	.run = sshconn_op_run,
	.put = sshconn_op_put,
	.cancel = sshconn_op_cancel,
	.free = sshconn_op_free,
};

/* Copy an optional setting; NULL and "" mean unset. */
static char *
sshconn_strdup_opt(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

/* Create an unconnected transport for one node. */
struct transport *
ssh_transport_new(const struct ssh_params *p)
{
	struct transport	*t;
	struct ssh_conn		*c;
	int			 i;

	t = xcalloc(1, sizeof *t);
	c = xcalloc(1, sizeof *c);
	t->ops = &ssh_ops;
	t->node = xstrdup(p->node != NULL ? p->node : p->host);
	t->priv = c;
	c->t = t;
	c->host = xstrdup(p->host);
	c->port = p->port;
	c->user = sshconn_strdup_opt(p->user);
	c->identity_file = sshconn_strdup_opt(p->identity_file);
	c->known_hosts = sshconn_strdup_opt(p->known_hosts);
	c->proxy_jump = sshconn_strdup_opt(p->proxy_jump);
	c->ssh_config = sshconn_strdup_opt(p->ssh_config);
	c->accept_new_host_keys = p->accept_new_host_keys;
	c->connect_timeout = p->connect_timeout > 0 ? p->connect_timeout : 15;
	c->prompts = p->prompts;
	atomic_init(&c->cancelled, 0);
	if (pipe(c->cancel_pipe) != 0)
		fatalx("pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		if (fcntl(c->cancel_pipe[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(c->cancel_pipe[i], F_SETFD, FD_CLOEXEC) == -1)
			fatalx("fcntl: %s", strerror(errno));
	}
	return t;
}

/* How commands become root on this transport's node, once connected:
 * "root", "sudo-nopasswd" or "sudo-password"; NULL before. */
const char *
ssh_transport_root_method(const struct transport *t)
{
	const struct ssh_conn	*c = t->priv;

	if (t->ops != &ssh_ops || c->root_method == SSH_ROOT_UNKNOWN)
		return NULL;
	return sshconn_root_method_name(c->root_method);
}

/* Whether transport_cancel was called. */
int
sshconn_cancelled(struct ssh_conn *c)
{
	return !c->cleaning && atomic_load(&c->cancelled);
}

/* Forget the session after a failure; the next connect starts over. */
void
sshconn_drop(struct ssh_conn *c)
{
	if (c->sftp != NULL)
		sftp_free(c->sftp);
	c->sftp = NULL;
	c->sftp_unavailable = 0;
	if (c->session != NULL) {
		ssh_disconnect(c->session);
		ssh_free(c->session);
	}
	c->session = NULL;
	c->connected = 0;
	c->root_method = SSH_ROOT_UNKNOWN;
	free(c->where);
	c->where = NULL;
	free(c->login_user);
	c->login_user = NULL;
}

/* Parse one ProxyJump hop "[user@]host[:port]" into its parts (user and
 * port may be NULL). Returns 0, or -1 if it is malformed. */
static int
sshconn_parse_hop(char *hop, char **user, char **host, char **port)
{
	char	*at, *p;

	*user = *port = NULL;
	if ((at = strrchr(hop, '@')) != NULL) {
		*at = '\0';
		*user = hop;
		hop = at + 1;
	}
	if (*hop == '[') {
		if ((p = strchr(hop, ']')) == NULL)
			return -1;
		*p++ = '\0';
		*host = hop + 1;
		if (*p == ':')
			*port = p + 1;
		else if (*p != '\0')
			return -1;
	} else {
		*host = hop;
		if ((p = strchr(hop, ':')) != NULL) {
			*p = '\0';
			*port = p + 1;
		}
	}
	if (**host == '\0' || (*port != NULL && **port == '\0'))
		return -1;
	if (*user != NULL && **user == '\0')
		return -1;
	return 0;
}

/* Append " -OPT 'value'" to a command line being built. */
static void
sshconn_add_arg(char **cmd, const char *opt, const char *value)
{
	char	*q, *n;

	q = sshconn_quote(value);
	n = xasprintf("%s %s %s", *cmd, opt, q);
	free(q);
	free(*cmd);
	*cmd = n;
}

/* Build the ProxyCommand that reaches the node through the ProxyJump
 * hops in jump ("[user@]host[:port][,...]"), as ssh -J does, with the
 * node's known_hosts and identity. Returns NULL on a malformed value.
 * Caller frees. */
char *
ssh_proxy_command(const char *jump, const char *known_hosts,
    const char *identity_file)
{
	char	*copy = NULL, *last, *cmd = NULL, *o, *q;
	char	*user, *host, *port;

	if (strchr(jump, '%') != NULL || *jump == '\0')
		return NULL;
	copy = xstrdup(jump);
	cmd = xstrdup("exec ssh -o BatchMode=yes");
	if (known_hosts != NULL) {
		o = xasprintf("UserKnownHostsFile=%s", known_hosts);
		sshconn_add_arg(&cmd, "-o", o);
		free(o);
	}
	if (identity_file != NULL)
		sshconn_add_arg(&cmd, "-i", identity_file);
	if ((last = strrchr(copy, ',')) != NULL) {
		*last++ = '\0';
		sshconn_add_arg(&cmd, "-J", copy);
	} else
		last = copy;
	if (sshconn_parse_hop(last, &user, &host, &port) != 0 || *host == '-') {
		free(cmd);
		cmd = NULL;
		goto out;
	}
	if (user != NULL)
		sshconn_add_arg(&cmd, "-l", user);
	if (port != NULL)
		sshconn_add_arg(&cmd, "-p", port);
	q = sshconn_quote(host);
	o = xasprintf("%s -W '[%%h]:%%p' -- %s", cmd, q);
	free(q);
	free(cmd);
	cmd = o;
out:
	free(copy);
	return cmd;
}

/* Ask the front end for a key's passphrase on libssh's behalf. */
static int
sshconn_passphrase_cb(const char *prompt, char *buf, size_t len, int echo,
    int verify, void *userdata)
{
	struct ssh_conn	*c = userdata;
	char		*text = NULL, *answer = NULL, *id = NULL;
	int		 rc = -1;

	(void)echo;
	(void)verify;
	if (c->prompts == NULL || c->prompts->secret == NULL)
		goto out;
#ifdef HAVE_SSH_USERAUTH_PUBLICKEY_AUTO_GET_CURRENT_IDENTITY
	if (ssh_userauth_publickey_auto_get_current_identity(c->session,
	    &id) != SSH_OK)
		id = NULL;
#endif
	if (id != NULL)
		text = xasprintf(_("Passphrase for key %s:"), id);
	else
		text = xstrdup(prompt);
	answer = c->prompts->secret(c->prompts->arg, c->t->node, text);
	if (answer == NULL || strlen(answer) >= len)
		goto out;
	memcpy(buf, answer, strlen(answer) + 1);
	rc = 0;
out:
	xfree_secret(answer);
	free(text);
	if (id != NULL)
		ssh_string_free_char(id);
	return rc;
}

/* Set a string option, reporting failure. */
static int
sshconn_set_str(struct ssh_conn *c, enum ssh_options_e opt, const char *what,
    const char *value, char **cause)
{
	if (ssh_options_set(c->session, opt, value) == 0)
		return 0;
	*cause = xasprintf(_("%s: invalid %s '%s': %s"), c->t->node, what,
	    value, ssh_get_error(c->session));
	return -1;
}

/* Create the session and apply ~/.ssh/config then the explicit
 * settings, which win. Returns 0 or -1 with *cause. */
static int
sshconn_setup_session(struct ssh_conn *c, char **cause)
{
	long		 timeout = c->connect_timeout;
	bool		 no = false;
	int		 nodelay = 1;
	char		*proxy = NULL;
	int		 rc = -1;

	if ((c->session = ssh_new()) == NULL)
		fatalx("ssh_new failed");
	if (sshconn_set_str(c, SSH_OPTIONS_HOST, _("host"), c->host,
	    cause) != 0)
		goto out;
	if (c->ssh_config != NULL && strcmp(c->ssh_config, "none") == 0)
		ssh_options_set(c->session, SSH_OPTIONS_PROCESS_CONFIG, &no);
	else if (c->ssh_config != NULL && access(c->ssh_config, R_OK) != 0) {
		/* libssh would silently skip a file it cannot read. */
		*cause = xasprintf(_("%s: cannot read SSH configuration %s: "
		    "%s"), c->t->node, c->ssh_config, strerror(errno));
		goto out;
	} else if (ssh_options_parse_config(c->session, c->ssh_config) != 0) {
		*cause = xasprintf(_("%s: cannot use SSH configuration %s: %s"),
		    c->t->node, c->ssh_config != NULL ? c->ssh_config :
		    "~/.ssh/config", ssh_get_error(c->session));
		goto out;
	}
	if (c->port > 0 &&
	    ssh_options_set(c->session, SSH_OPTIONS_PORT, &c->port) != 0) {
		*cause = xasprintf(_("%s: invalid port %d"), c->t->node,
		    c->port);
		goto out;
	}
	if (c->user != NULL && sshconn_set_str(c, SSH_OPTIONS_USER, _("user"),
	    c->user, cause) != 0)
		goto out;
	if (c->identity_file != NULL && sshconn_set_str(c, SSH_OPTIONS_IDENTITY,
	    _("identity file"), c->identity_file, cause) != 0)
		goto out;
	if (c->known_hosts != NULL && sshconn_set_str(c, SSH_OPTIONS_KNOWNHOSTS,
	    _("known_hosts file"), c->known_hosts, cause) != 0)
		goto out;
	if (c->proxy_jump != NULL) {
		proxy = ssh_proxy_command(c->proxy_jump, c->known_hosts,
		    c->identity_file);
		if (proxy == NULL) {
			*cause = xasprintf(_("%s: invalid proxy jump '%s' "
			    "(expected [user@]host[:port][,...])"), c->t->node,
			    c->proxy_jump);
			goto out;
		}
		if (sshconn_set_str(c, SSH_OPTIONS_PROXYCOMMAND,
		    _("proxy jump"), proxy, cause) != 0)
			goto out;
	}
	ssh_options_set(c->session, SSH_OPTIONS_TIMEOUT, &timeout);
	/* Small packets go out at once: Nagle's wait for the peer's delayed
	 * ACK costs 40 ms per exchange of two small packets. */
	ssh_options_set(c->session, SSH_OPTIONS_NODELAY, &nodelay);
	memset(&c->scounter, 0, sizeof c->scounter);
	memset(&c->rcounter, 0, sizeof c->rcounter);
	ssh_set_counters(c->session, &c->scounter, &c->rcounter);
	memset(&c->callbacks, 0, sizeof c->callbacks);
	c->callbacks.userdata = c;
	c->callbacks.auth_function = sshconn_passphrase_cb;
	ssh_callbacks_init(&c->callbacks);
	ssh_set_callbacks(c->session, &c->callbacks);
	rc = 0;
out:
	free(proxy);
	return rc;
}

/* Milliseconds of a monotonic clock. */
static long long
sshconn_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for what a non-blocking ssh_connect waits for (the socket readable,
 * or writable while connecting or flushing) or a cancellation: the
 * handshake goes on as soon as the server answers, with no polling. */
static void
sshconn_connect_wait(struct ssh_conn *c)
{
	struct pollfd	pfd[2];
	int		flags, nfds = 1;

	pfd[0].fd = c->cancel_pipe[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = ssh_get_fd(c->session);
	if (pfd[1].fd != -1) {
		flags = ssh_get_poll_flags(c->session);
		pfd[1].events = POLLIN;
		if (flags & SSH_WRITE_PENDING)
			pfd[1].events |= POLLOUT;
		nfds = 2;
	}
	/* The timeout only bounds a wait libssh did not announce. */
	poll(pfd, (nfds_t)nfds, nfds == 2 ? 100 : 20);
}

/* Open the TCP connection and the SSH transport layer. */
static int
sshconn_open(struct ssh_conn *c, char **cause)
{
	char		*host = NULL, *user = NULL;
	unsigned int	 port = 22;
	long long	 start;
	const char	*err;
	int		 rc;

	if (sshconn_setup_session(c, cause) != 0)
		return TRANSPORT_ERROR;
	if (ssh_options_get(c->session, SSH_OPTIONS_HOST, &host) != SSH_OK)
		host = NULL;
	ssh_options_get_port(c->session, &port);
	c->where = xasprintf("%s:%u", host != NULL ? host : c->host, port);
	if (host != NULL)
		ssh_string_free_char(host);

	/* Non-blocking, so that a cancellation is noticed at once. */
	start = sshconn_now_ms();
	ssh_set_blocking(c->session, 0);
	while ((rc = ssh_connect(c->session)) == SSH_AGAIN) {
		if (sshconn_cancelled(c)) {
			*cause = xasprintf(_("%s: cancelled"), c->t->node);
			return TRANSPORT_CANCELLED;
		}
		if (sshconn_now_ms() - start >= c->connect_timeout * 1000LL) {
			*cause = xasprintf(_("%s: connecting to %s timed out "
			    "after %d s"), c->t->node, c->where,
			    c->connect_timeout);
			return TRANSPORT_TIMEOUT;
		}
		sshconn_connect_wait(c);
	}
	ssh_set_blocking(c->session, 1);
	if (rc != SSH_OK) {
		err = ssh_get_error(c->session);
		if (strstr(err, "imeout") != NULL ||
		    sshconn_now_ms() - start >= c->connect_timeout * 1000LL) {
			*cause = xasprintf(_("%s: connecting to %s timed out "
			    "after %d s"), c->t->node, c->where,
			    c->connect_timeout);
			return TRANSPORT_TIMEOUT;
		}
		*cause = xasprintf(_("%s: cannot connect to %s: %s"),
		    c->t->node, c->where, err);
		return TRANSPORT_ERROR;
	}
	if (ssh_options_get(c->session, SSH_OPTIONS_USER, &user) == SSH_OK) {
		c->login_user = xstrdup(user);
		ssh_string_free_char(user);
	} else
		c->login_user = xstrdup("?");
	return TRANSPORT_OK;
}

/* Connect, check the host key, authenticate and find out how to become
 * root. Does nothing when already connected. */
static int
sshconn_op_connect(struct transport *t, char **cause)
{
	struct ssh_conn	*c = t->priv;
	int		 rc;

	*cause = NULL;
	if (sshconn_cancelled(c)) {
		*cause = xasprintf(_("%s: cancelled"), t->node);
		return TRANSPORT_CANCELLED;
	}
	if (c->connected)
		return TRANSPORT_OK;
	sshconn_drop(c);
	if ((rc = sshconn_open(c, cause)) != TRANSPORT_OK)
		goto out;
	if ((rc = sshconn_check_hostkey(c, cause)) != TRANSPORT_OK)
		goto out;
	if ((rc = sshconn_auth(c, cause)) != TRANSPORT_OK)
		goto out;
	if ((rc = sshconn_find_root(c, cause)) != TRANSPORT_OK)
		goto out;
	c->connected = 1;
out:
	xfree_secret(c->login_password);
	c->login_password = NULL;
	if (rc != TRANSPORT_OK)
		sshconn_drop(c);
	return rc;
}

/* Refuse work when not connected or cancelled. */
static int
sshconn_check_ready(struct ssh_conn *c, char **cause)
{
	if (sshconn_cancelled(c)) {
		*cause = xasprintf(_("%s: cancelled"), c->t->node);
		return TRANSPORT_CANCELLED;
	}
	if (!c->connected || c->session == NULL) {
		*cause = xasprintf(_("%s: not connected"), c->t->node);
		return TRANSPORT_ERROR;
	}
	return TRANSPORT_OK;
}

/* Kill, as root, every process on the node still carrying a run's
 * KW_RUN_ID in its environment (the script and what it started), after a
 * timeout or a cancellation closed its channel. Best effort. */
static void
sshconn_kill_run(struct ssh_conn *c, const char *id)
{
	struct ssh_input	 secret;
	struct ssh_capture	 cap;
	char			*script = NULL, *q = NULL, *inner = NULL;
	char			*cmd = NULL, *cause = NULL;
	size_t			 nin;
	int			 status;

	script = xasprintf("for f in /proc/[0-9]*/environ; do "
	    "if tr '\\0' '\\n' <\"$f\" 2>/dev/null | grep -qx KW_RUN_ID=%s; "
	    "then p=${f#/proc/}; kill -KILL \"${p%%/environ}\" 2>/dev/null; "
	    "fi; done; exit 0", id);
	q = sshconn_quote(script);
	inner = xasprintf("sh -c %s", q);
	cmd = sshconn_root_command(c, inner, &secret);
	nin = secret.data != NULL ? 1 : 0;
	c->cleaning = 1;
	sshconn_exec_capture(c, cmd, &secret, nin, 5, &cap, &status, &cause);
	c->cleaning = 0;
	sshconn_capture_free(&cap);
	free(cause);
	free(cmd);
	free(inner);
	free(q);
	free(script);
}

/* Run a script as root through "sh -s". Its processes carry a KW_RUN_ID
 * so that a timeout or a cancellation can kill them all. */
static int
sshconn_op_run(struct transport *t, const char *script, size_t len,
    int timeout, transport_line_cb cb, void *arg, int *exit_status,
    char **cause)
{
	struct ssh_conn		*c = t->priv;
	struct ssh_input	 in[2];
	struct timespec		 ts;
	char			*cmd = NULL, *inner = NULL, *id = NULL;
	size_t			 nin = 0;
	int			 rc;

	*cause = NULL;
	*exit_status = -1;
	if ((rc = sshconn_check_ready(c, cause)) != TRANSPORT_OK)
		return rc;
	clock_gettime(CLOCK_REALTIME, &ts);
	id = xasprintf("%lx-%lx-%x", (unsigned long)getpid(),
	    (unsigned long)ts.tv_sec ^ (unsigned long)ts.tv_nsec, ++c->runs);
	/* Logged in as root with a POSIX login shell, the shell sets the
	 * variables itself (one process fewer per command); otherwise env
	 * does (sudo, csh). */
	inner = xasprintf("%sKW_ROOT_METHOD=%s KW_RUN_ID=%s sh -s",
	    c->root_method == SSH_ROOT_DIRECT && c->posix_login ? "" : "env ",
	    sshconn_root_method_name(c->root_method), id);
	cmd = sshconn_root_command(c, inner, &in[0]);
	if (in[0].data != NULL)
		nin++;
	in[nin].data = script;
	in[nin].len = len;
	nin++;
	rc = sshconn_exec(c, cmd, in, nin, timeout, cb, arg, exit_status,
	    cause);
	if ((rc == TRANSPORT_TIMEOUT || rc == TRANSPORT_CANCELLED) &&
	    c->session != NULL)
		sshconn_kill_run(c, id);
	free(id);
	free(inner);
	free(cmd);
	return rc;
}

/* Write a file on the node as root. */
static int
sshconn_op_put(struct transport *t, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	struct ssh_conn	*c = t->priv;
	int		 rc;

	*cause = NULL;
	if ((rc = sshconn_check_ready(c, cause)) != TRANSPORT_OK)
		return rc;
	return sshconn_put(c, path, data, len, mode, cause);
}

/* Ask the running call to stop; safe from any thread. */
static void
sshconn_op_cancel(struct transport *t)
{
	struct ssh_conn	*c = t->priv;
	ssize_t		 n;

	atomic_store(&c->cancelled, 1);
	n = write(c->cancel_pipe[1], "x", 1);
	(void)n;
}

/* Disconnect and free everything, wiping secrets. */
static void
sshconn_op_free(struct transport *t)
{
	struct ssh_conn	*c = t->priv;

	sshconn_drop(c);
	xfree_secret(c->login_password);
	xfree_secret(c->sudo_line);
	close(c->cancel_pipe[0]);
	close(c->cancel_pipe[1]);
	free(c->host);
	free(c->user);
	free(c->identity_file);
	free(c->known_hosts);
	free(c->proxy_jump);
	free(c->ssh_config);
	free(c);
	free(t->node);
	free(t);
}
