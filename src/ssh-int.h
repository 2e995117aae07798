/* ssh-int.h: what the files of the libssh transport share (not for other
 * modules: they use ssh.h and transport.h). */
#ifndef KW_SSH_INT_H
#define KW_SSH_INT_H

#include <stdatomic.h>
#include <stddef.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include "transport.h"

/* How commands become root on a node. */
enum ssh_root_method {
	SSH_ROOT_UNKNOWN,
	SSH_ROOT_DIRECT,	/* logged in as root */
	SSH_ROOT_SUDO_NOPASSWD,	/* sudo -n works */
	SSH_ROOT_SUDO_PASSWORD,	/* sudo -S with the password on stdin */
};

/* One node's connection: the transport's priv. Every field but cancelled
 * and cancel_pipe belongs to the thread using the transport. */
struct ssh_conn {
	struct transport		*t;

	/* Settings, copied from ssh_params. */
	char				*host;
	int				 port;
	char				*user;
	char				*identity_file;
	char				*known_hosts;
	char				*proxy_jump;
	char				*ssh_config;
	int				 accept_new_host_keys;
	int				 connect_timeout;
	const struct transport_prompts	*prompts;

	/* The session, once connected. */
	ssh_session			 session;
	sftp_session			 sftp;
	int				 sftp_unavailable;
	int				 connected;
	char				*login_user;	/* user actually logged in */
	char				*where;		/* "host:port" for messages */
	struct ssh_callbacks_struct	 callbacks;	/* passphrase prompts */
	struct ssh_counter_struct	 scounter;	/* socket bytes in/out */
	struct ssh_counter_struct	 rcounter;

	enum ssh_root_method		 root_method;
	int				 posix_login;	/* login shell takes VAR=x cmd */
	char				*login_password; /* until root is found */
	char				*sudo_line;	/* password + \n */

	unsigned int			 runs;		/* commands started */
	int				 cleaning;	/* ignore cancellation */
	struct sshconn_watch		*watch;		/* during uploads */

	atomic_int			 cancelled;
	int				 cancel_pipe[2];
};

/* One piece of a command's standard input. */
struct ssh_input {
	const void	*data;
	size_t		 len;
};

/* Text collected from a command (both streams, lines joined by \n). */
struct ssh_capture {
	char	*out;
	size_t	 outlen;
	char	*err;
	size_t	 errlen;
};

/* ssh-hostkey.c */
/* Check the server's host key against known_hosts, asking the front end
 * about unknown keys. Returns a transport_status; sets *cause. */
int	sshconn_check_hostkey(struct ssh_conn *, char **cause);
/* The 1-based line of path holding an entry for host whose key is not
 * key, or 0 if none is found. */
int	knownhosts_find_line(const char *path, const char *host, ssh_key key);

/* ssh-auth.c */
/* Authenticate in OpenSSH's order. Returns a transport_status; sets
 * *cause naming the methods offered and tried. */
int	sshconn_auth(struct ssh_conn *, char **cause);

/* ssh-exec.c */
/* Run command (a shell command line for the login user's shell), feeding
 * the inputs then EOF, delivering output lines to cb. timeout in seconds
 * (0 = none). Returns a transport_status; sets *exit_status and *cause. */
int	sshconn_exec(struct ssh_conn *, const char *command,
	    const struct ssh_input *in, size_t nin, int timeout,
	    transport_line_cb cb, void *arg, int *exit_status, char **cause);
/* Like sshconn_exec but collects the output into cap (caller frees with
 * sshconn_capture_free). */
int	sshconn_exec_capture(struct ssh_conn *, const char *command,
	    const struct ssh_input *in, size_t nin, int timeout,
	    struct ssh_capture *cap, int *exit_status, char **cause);
/* Free a capture's buffers. */
void	sshconn_capture_free(struct ssh_capture *);
/* The last line of captured text (what a command printed after any
 * login banner). Points into text. */
const char *sshconn_last_line(const char *text);
/* Forget the session after a fatal error (the next call reconnects). */
void	sshconn_drop(struct ssh_conn *);
/* Whether transport_cancel was called. */
int	sshconn_cancelled(struct ssh_conn *);

/* ssh-root.c */
/* Find out how to become root, asking for a sudo password if needed.
 * Returns a transport_status; sets *cause. */
int	sshconn_find_root(struct ssh_conn *, char **cause);
/* The command line that runs cmd as root, and the secret input that must
 * precede its stdin (NULL if none). Caller frees the string. */
char	*sshconn_root_command(struct ssh_conn *, const char *cmd,
	    struct ssh_input *secret);
/* Name of a root method ("root", "sudo-nopasswd", "sudo-password"). */
const char *sshconn_root_method_name(enum ssh_root_method);

/* ssh-put.c */
/* Write a file on the node as root (SFTP or a stream over exec). */
int	sshconn_put(struct ssh_conn *, const char *path, const void *data,
	    size_t len, int mode, char **cause);

/* ssh-watch.c */
/* Start a watchdog that shuts the socket down when an armed call
 * overruns or the transport is cancelled. */
void	sshconn_watch_start(struct ssh_conn *);
/* Give the next blocking call seconds to finish. */
void	sshconn_watch_arm(struct ssh_conn *, int seconds);
/* The call returned: 0, or the transport_status the watchdog stopped it
 * with (TRANSPORT_ERROR: overran, TRANSPORT_CANCELLED). */
int	sshconn_watch_disarm(struct ssh_conn *);
/* Stop the watchdog; returns what it fired with, or 0. */
int	sshconn_watch_stop(struct ssh_conn *);

/* ssh-quote.c */
/* Return s quoted for a POSIX shell. Caller frees. */
char	*sshconn_quote(const char *s);

#endif
