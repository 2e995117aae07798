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

#include "i18n.h"
#include "ssh-int.h"
#include "xmalloc.h"

/* Seconds allowed for the helper commands of an upload. */
#define PUT_TIMEOUT 120
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

/* Start SFTP once; remember when the server has none. */
static void
put_sftp_start(struct ssh_conn *c)
{
	if (c->sftp != NULL || c->sftp_unavailable)
		return;
	if ((c->sftp = sftp_new(c->session)) == NULL) {
		c->sftp_unavailable = 1;
		return;
	}
	if (sftp_init(c->sftp) != SSH_OK) {
		sftp_free(c->sftp);
		c->sftp = NULL;
		c->sftp_unavailable = 1;
	}
}

/* Upload data to path over SFTP with mode (set before any byte is
 * written). */
static int
put_sftp_file(struct ssh_conn *c, const char *path, const void *data,
    size_t len, int mode, char **cause)
{
	sftp_file	 f = NULL;
	size_t		 off = 0, n;
	ssize_t		 w;
	int		 rc = TRANSPORT_ERROR;

	f = sftp_open(c->sftp, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (f == NULL || sftp_chmod(c->sftp, path, mode) != 0) {
		*cause = xasprintf(_("%s: cannot create %s: %s"), c->t->node,
		    path, ssh_get_error(c->session));
		goto out;
	}
	while (off < len) {
		if (sshconn_cancelled(c)) {
			*cause = xasprintf(_("%s: cancelled"), c->t->node);
			rc = TRANSPORT_CANCELLED;
			goto out;
		}
		n = len - off > PUT_CHUNK ? PUT_CHUNK : len - off;
		if ((w = sftp_write(f, (const char *)data + off, n)) <= 0) {
			*cause = xasprintf(_("%s: cannot write %s: %s"),
			    c->t->node, path, ssh_get_error(c->session));
			goto out;
		}
		off += w;
	}
	rc = TRANSPORT_OK;
out:
	if (f != NULL && sftp_close(f) != SSH_NO_ERROR && rc == TRANSPORT_OK) {
		*cause = xasprintf(_("%s: cannot write %s: %s"), c->t->node,
		    path, ssh_get_error(c->session));
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
	if ((a = sftp_stat(c->sftp, parent)) == NULL) {
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
	if (path[0] != '/' || strchr(path, '\n') != NULL) {
		*cause = xasprintf(_("%s: cannot write '%s': the path must be "
		    "absolute"), c->t->node, path);
		return TRANSPORT_ERROR;
	}
	mode &= 07777;
	if (mode == 0)
		mode = 0600;
	put_sftp_start(c);
	if (c->sftp == NULL)
		return put_stream(c, path, data, len, mode, cause);
	if (c->root_method == SSH_ROOT_DIRECT)
		return put_sftp_root(c, path, data, len, mode, cause);
	return put_sftp_staged(c, path, data, len, mode, cause);
}
