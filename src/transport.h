/* transport.h: how the engine reaches a node. libssh implements it in
 * ssh.c; unit tests use a fake. One transport belongs to one node and is
 * used from one thread at a time (libssh's threading rule); only
 * transport_cancel may be called from another thread. */
#ifndef KW_TRANSPORT_H
#define KW_TRANSPORT_H

#include <stddef.h>

enum transport_stream {
	TRANSPORT_STDOUT,
	TRANSPORT_STDERR,
};

/* Results of transport calls. */
enum transport_status {
	TRANSPORT_OK = 0,
	TRANSPORT_ERROR = -1,		/* connection or protocol failure */
	TRANSPORT_HOSTKEY = -2,		/* host key refused: changed or unknown */
	TRANSPORT_AUTH = -3,		/* authentication (or sudo) failed */
	TRANSPORT_TIMEOUT = -4,		/* connect or command timed out */
	TRANSPORT_CANCELLED = -5,	/* transport_cancel was called */
};

/* What a host-key question shows the user. */
struct transport_hostkey {
	const char	*node;		/* node name */
	const char	*host;		/* host[:port] as in known_hosts */
	const char	*key_type;	/* "ssh-ed25519" */
	const char	*fingerprint;	/* "SHA256:..." as ssh prints it */
	const char	*known_hosts;	/* the file it would be added to */
};

/* Questions the transport asks the front end. Any may be called from a
 * worker thread and may block until the user answers. */
struct transport_prompts {
	/* Unknown host key: return 1 to trust it (it is then added to
	 * known_hosts), 0 to refuse. */
	int	(*hostkey)(void *arg, const struct transport_hostkey *);
	/* A secret (password, passphrase, sudo password). Returns a new
	 * string the transport wipes and frees, or NULL to give up. */
	char	*(*secret)(void *arg, const char *node, const char *prompt);
	void	*arg;
};

/* Called for each complete line of output (without its newline; a final
 * unterminated line is delivered at the end). Lines are bytes: not
 * necessarily UTF-8, never NUL-terminated by contract (len is given). */
typedef void (*transport_line_cb)(void *arg, enum transport_stream,
    const char *line, size_t len);

struct transport;

struct transport_ops {
	/* Connect, check the host key, authenticate, find out how to become
	 * root. Returns a transport_status; sets *cause on failure. */
	int	(*connect)(struct transport *, char **cause);
	/* Run script (fed on stdin to "sh -s" as root) with timeout seconds
	 * (0 = none); each output line goes to cb. Sets *exit_status (128 +
	 * signal if killed). Returns a transport_status. */
	int	(*run)(struct transport *, const char *script, size_t len,
		    int timeout, transport_line_cb cb, void *arg,
		    int *exit_status, char **cause);
	/* Write data to path on the node as root with mode. */
	int	(*put)(struct transport *, const char *path, const void *data,
		    size_t len, int mode, char **cause);
	/* Ask a running connect/run/put to stop soon; thread-safe. */
	void	(*cancel)(struct transport *);
	/* Disconnect and free everything. */
	void	(*free)(struct transport *);
};

struct transport {
	const struct transport_ops	*ops;
	char				*node;	/* node name, for messages */
	void				*priv;	/* implementation data */
};

/* Convenience wrappers over ops. */
static inline int
transport_connect(struct transport *t, char **cause)
{
	return t->ops->connect(t, cause);
}

static inline int
transport_run(struct transport *t, const char *script, size_t len,
    int timeout, transport_line_cb cb, void *arg, int *exit_status,
    char **cause)
{
	return t->ops->run(t, script, len, timeout, cb, arg, exit_status,
	    cause);
}

static inline int
transport_put(struct transport *t, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	return t->ops->put(t, path, data, len, mode, cause);
}

static inline void
transport_cancel(struct transport *t)
{
	t->ops->cancel(t);
}

static inline void
transport_free(struct transport *t)
{
	if (t != NULL)
		t->ops->free(t);
}

#endif
