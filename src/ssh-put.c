/* ssh-put.c: write a file on a node as root: SFTP straight to the path
 * when logged in as root, SFTP to a private temporary directory then
 * "install" through sudo otherwise, and a stream over an exec channel
 * when the server has no SFTP. Missing parent directories are created
 * with mode 0700. */
#include "kwconfig.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "i18n.h"
#include "ssh-int.h"
#include "xmalloc.h"

/* Seconds allowed for the helper commands of an upload. */
#define PUT_TIMEOUT 120
/* Seconds an SFTP call may take before the connection is deemed lost:
 * the connect timeout, at most 10. */
#define PUT_CALL_TIMEOUT(c) ((c)->connect_timeout < 10 ? \
	(c)->connect_timeout : 10)
/* Bytes per SFTP write. */
#define PUT_CHUNK 16384

/* The directory part of an absolute path. Caller frees. */
static char *
put_parent(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, slash - path);
}

/* Run a shell command line as root with optional stdin data; failures
 * become *cause with the command's last error line. */
static int
put_root_sh(struct ssh_conn *c, const char *script, const void *data,
    size_t len, char **cause)
{
	struct ssh_input	 in[2];
	struct ssh_capture	 cap;
	char			*q = NULL, *inner = NULL, *cmd = NULL;
	size_t			 nin = 0;
	int			 rc, status;

	q = sshconn_quote(script);
	inner = xasprintf("sh -c %s", q);
	cmd = sshconn_root_command(c, inner, &in[0]);
	if (in[0].data != NULL)
		nin++;
	if (data != NULL) {
		in[nin].data = data;
		in[nin].len = len;
		nin++;
	}
	rc = sshconn_exec_capture(c, cmd, in, nin, PUT_TIMEOUT, &cap, &status,
	    cause);
	if (rc == TRANSPORT_OK && status != 0) {
		*cause = xasprintf(_("%s: writing a file failed (exit %d): %s"),
		    c->t->node, status, sshconn_last_line(cap.err));
		rc = TRANSPORT_ERROR;
	}
	sshconn_capture_free(&cap);
	free(cmd);
	free(inner);
	free(q);
	return rc;
}

/* After a watched SFTP call: 0, or the status the watchdog stopped it
 * with, with *cause set (unless already set). */
static int
put_disarm(struct ssh_conn *c, char **cause)
{
	int	fired;

	if ((fired = sshconn_watch_disarm(c)) == 0 || *cause != NULL)
		return fired;
	if (fired == TRANSPORT_CANCELLED)
		*cause = xasprintf(_("%s: cancelled"), c->t->node);
	else
		*cause = xasprintf(_("%s: connection to %s lost during an "
		    "upload"), c->t->node, c->where);
	return fired;
}

/* Start SFTP once; remember when the server has none (it says so at
 * once; a start that fails only after a long wait means the server is
 * gone: *dead is set). Returns a transport_status. */
static int
put_sftp_start(struct ssh_conn *c, int *dead, char **cause)
{
	struct timespec	ts;
	long long	start;
	int		ok, rc;

	if (c->sftp != NULL || c->sftp_unavailable)
		return TRANSPORT_OK;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	start = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	sshconn_watch_arm(c, PUT_CALL_TIMEOUT(c));
	if ((c->sftp = sftp_new(c->session)) != NULL)
		ok = sftp_init(c->sftp) == SSH_OK;
	else
		ok = 0;
	if ((rc = put_disarm(c, cause)) != TRANSPORT_OK || ok)
		return rc;
	if (c->sftp != NULL)
		sftp_free(c->sftp);
	c->sftp = NULL;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 - start >=
	    PUT_CALL_TIMEOUT(c) * 500LL) {
		*cause = xasprintf(_("%s: connection to %s lost during an "
		    "upload"), c->t->node, c->where);
		*dead = 1;
		return TRANSPORT_ERROR;
	}
	c->sftp_unavailable = 1;
	return TRANSPORT_OK;
}

/* Upload data to path over SFTP with mode (set before any byte is
 * written). Each call has PUT_CALL_TIMEOUT seconds. */
static int
put_sftp_file(struct ssh_conn *c, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	sftp_file	 f = NULL;
	size_t		 off = 0, n;
	ssize_t		 w;
	int		 rc, ok;

	sshconn_watch_arm(c, PUT_CALL_TIMEOUT(c));
	f = sftp_open(c->sftp, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ok = f != NULL && sftp_chmod(c->sftp, path, mode) == 0;
	if ((rc = put_disarm(c, cause)) != TRANSPORT_OK)
		goto out;
	if (!ok) {
		*cause = xasprintf(_("%s: cannot create %s: %s"), c->t->node,
		    path, ssh_get_error(c->session));
		rc = TRANSPORT_ERROR;
		goto out;
	}
	while (off < len) {
		n = len - off > PUT_CHUNK ? PUT_CHUNK : len - off;
		sshconn_watch_arm(c, PUT_CALL_TIMEOUT(c));
		w = sftp_write(f, (const char *)data + off, n);
		if ((rc = put_disarm(c, cause)) != TRANSPORT_OK)
			goto out;
		if (w <= 0) {
			*cause = xasprintf(_("%s: cannot write %s: %s"),
			    c->t->node, path, ssh_get_error(c->session));
			rc = TRANSPORT_ERROR;
			goto out;
		}
		off += w;
	}
out:
	if (f != NULL) {
		sshconn_watch_arm(c, PUT_CALL_TIMEOUT(c));
		ok = sftp_close(f) == SSH_NO_ERROR;
		if (put_disarm(c, cause) == TRANSPORT_OK && !ok &&
		    rc == TRANSPORT_OK) {
			*cause = xasprintf(_("%s: cannot write %s: %s"),
			    c->t->node, path, ssh_get_error(c->session));
			rc = TRANSPORT_ERROR;
		}
		if (rc == TRANSPORT_OK && *cause != NULL)
			rc = TRANSPORT_ERROR;
	}
	return rc;
}

/* Logged in as root: SFTP straight to the path. */
static int
put_sftp_root(struct ssh_conn *c, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	sftp_attributes	 a = NULL;
	char		*parent = NULL, *qp = NULL, *script = NULL;
	int		 rc;

	parent = put_parent(path);
	sshconn_watch_arm(c, PUT_CALL_TIMEOUT(c));
	a = sftp_stat(c->sftp, parent);
	if ((rc = put_disarm(c, cause)) != TRANSPORT_OK)
		goto out;
	if (a == NULL) {
		qp = sshconn_quote(parent);
		script = xasprintf("umask 077 && mkdir -p -- %s", qp);
		if ((rc = put_root_sh(c, script, NULL, 0, cause)) != 0)
			goto out;
	}
	rc = put_sftp_file(c, path, data, len, mode, cause);
out:
	sftp_attributes_free(a);
	free(script);
	free(qp);
	free(parent);
	return rc;
}

/* Remove a temporary upload directory of the login user (best effort). */
static void
put_remove_tmp(struct ssh_conn *c, const char *tmp)
{
	struct ssh_capture	 cap;
	char			*q = NULL, *cmd = NULL, *cause = NULL;
	int			 status;

	q = sshconn_quote(tmp);
	cmd = xasprintf("rm -rf -- %s", q);
	sshconn_exec_capture(c, cmd, NULL, 0, PUT_TIMEOUT, &cap, &status,
	    &cause);
	sshconn_capture_free(&cap);
	free(cause);
	free(cmd);
	free(q);
}

/* Not root: SFTP into a private temporary directory of the login user,
 * then install the file in place as root. */
static int
put_sftp_staged(struct ssh_conn *c, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	struct ssh_capture	 cap;
	char			*tmp = NULL, *file = NULL, *script = NULL;
	char			*qp = NULL, *qparent = NULL, *qtmp = NULL;
	char			*parent = NULL;
	int			 rc, status;

	rc = sshconn_exec_capture(c, "umask 077 && mktemp -d "
	    "/tmp/kubewiz.XXXXXXXX", NULL, 0, PUT_TIMEOUT, &cap, &status,
	    cause);
	if (rc != TRANSPORT_OK)
		goto out;
	if (status != 0 || strncmp(sshconn_last_line(cap.out),
	    "/tmp/kubewiz.", 13) != 0) {
		*cause = xasprintf(_("%s: cannot make a temporary directory: "
		    "%s"), c->t->node, cap.err);
		rc = TRANSPORT_ERROR;
		goto out;
	}
	tmp = xstrdup(sshconn_last_line(cap.out));
	file = xasprintf("%s/upload", tmp);
	rc = put_sftp_file(c, file, data, len, 0600, cause);
	if (rc == TRANSPORT_OK) {
		parent = put_parent(path);
		qp = sshconn_quote(path);
		qparent = sshconn_quote(parent);
		qtmp = sshconn_quote(tmp);
		script = xasprintf("umask 077 && mkdir -p -- %s && install -m "
		    "%04o -- %s/upload %s; rc=$?; rm -rf -- %s; exit $rc",
		    qparent, (unsigned int)mode, qtmp, qp, qtmp);
		rc = put_root_sh(c, script, NULL, 0, cause);
	} else if (c->session != NULL)
		put_remove_tmp(c, tmp);
out:
	sshconn_capture_free(&cap);
	free(script);
	free(qtmp);
	free(qparent);
	free(qp);
	free(parent);
	free(file);
	free(tmp);
	return rc;
}

/* No SFTP: stream the data to cat over an exec channel as root. */
static int
put_stream(struct ssh_conn *c, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	char	*parent = NULL, *tmp = NULL, *qp = NULL, *qparent = NULL;
	char	*qtmp = NULL, *script = NULL;
	int	 rc;

	parent = put_parent(path);
	tmp = xasprintf("%s.kubewiz-tmp", path);
	qp = sshconn_quote(path);
	qparent = sshconn_quote(parent);
	qtmp = sshconn_quote(tmp);
	script = xasprintf("umask 077 && mkdir -p -- %s && cat > %s && "
	    "chmod %04o %s && mv -f -- %s %s", qparent, qtmp,
	    (unsigned int)mode, qtmp, qtmp, qp);
	rc = put_root_sh(c, script, data, len, cause);
	free(script);
	free(qtmp);
	free(qparent);
	free(qp);
	free(tmp);
	free(parent);
	return rc;
}

/* Write a file on the node as root; see ssh-int.h. */
int
sshconn_put(struct ssh_conn *c, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	int	rc, dead = 0;

	if (path[0] != '/' || strchr(path, '\n') != NULL) {
		*cause = xasprintf(_("%s: cannot write '%s': the path must be "
		    "absolute"), c->t->node, path);
		return TRANSPORT_ERROR;
	}
	mode &= 07777;
	if (mode == 0)
		mode = 0600;
	sshconn_watch_start(c);
	if ((rc = put_sftp_start(c, &dead, cause)) != TRANSPORT_OK)
		goto out;
	if (c->sftp == NULL)
		rc = put_stream(c, path, data, len, mode, cause);
	else if (c->root_method == SSH_ROOT_DIRECT)
		rc = put_sftp_root(c, path, data, len, mode, cause);
	else
		rc = put_sftp_staged(c, path, data, len, mode, cause);
out:
	if (sshconn_watch_stop(c) != 0)
		dead = 1;	/* the watchdog shut the socket down */
	if (dead && c->session != NULL)
		sshconn_drop(c);
	return rc;
}
