/* ssh-root.c: how commands become root on a node: logged in as root,
 * sudo without a password, or sudo with the password on stdin (never on
 * a command line). */
#include "kwconfig.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ssh-int.h"
#include "xmalloc.h"

/* Seconds allowed for each probe command. */
#define ROOT_PROBE_TIMEOUT 30

/* Who the login is, and its login shell (a line each; csh and fish read
 * this line too). */
#define ROOT_PROBE "id -u; echo \"$SHELL\""

/* sudo reading the password from stdin, asking always (-k) and printing
 * no prompt, so that the first line of stdin is always the password. */
#define ROOT_SUDO_STDIN "sudo -S -k -p '' "

/* Name of a root method, as the root_method fact. */
const char *
sshconn_root_method_name(enum ssh_root_method m)
{
	switch (m) {
	case SSH_ROOT_DIRECT:
		return "root";
	case SSH_ROOT_SUDO_NOPASSWD:
		return "sudo-nopasswd";
	case SSH_ROOT_SUDO_PASSWORD:
		return "sudo-password";
	case SSH_ROOT_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The command line running cmd as root, and the secret stdin prefix. */
char *
sshconn_root_command(struct ssh_conn *c, const char *cmd,
    struct ssh_input *secret)
{
	secret->data = NULL;
	secret->len = 0;
	switch (c->root_method) {
	case SSH_ROOT_SUDO_NOPASSWD:
		return xasprintf("sudo -n %s", cmd);
	case SSH_ROOT_SUDO_PASSWORD:
		secret->data = c->sudo_line;
		secret->len = strlen(c->sudo_line);
		return xasprintf(ROOT_SUDO_STDIN "%s", cmd);
	case SSH_ROOT_DIRECT:
	case SSH_ROOT_UNKNOWN:
		break;
	}
	return xstrdup(cmd);
}

/* Try a sudo password with "sudo -S -k -p '' true". Returns a
 * transport_status and sets *ok. */
static int
root_try_password(struct ssh_conn *c, const char *pw, int *ok,
    char **detail, char **cause)
{
	struct ssh_input	 in;
	struct ssh_capture	 cap;
	char			*line = NULL;
	int			 rc, status;

	*ok = 0;
	line = xasprintf("%s\n", pw);
	in.data = line;
	in.len = strlen(line);
	rc = sshconn_exec_capture(c, ROOT_SUDO_STDIN "true", &in, 1,
	    ROOT_PROBE_TIMEOUT, &cap, &status, cause);
	if (rc == TRANSPORT_OK) {
		*ok = status == 0;
		free(*detail);
		*detail = xstrdup(sshconn_last_line(cap.err));
	}
	sshconn_capture_free(&cap);
	xfree_secret(line);
	return rc;
}

/* Whether the login shell at path (from $SHELL) is a POSIX shell, whose
 * command lines can start with variable assignments. */
static int
root_posix_shell(const char *path)
{
	static const char	*names[] = {
		"sh", "bash", "dash", "ash", "ksh", "ksh93", "mksh", "zsh",
		"yash", "busybox"
	};
	const char		*base;
	size_t			 i;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(base, names[i]) == 0)
			return 1;
	}
	return 0;
}

/* Read what ROOT_PROBE printed (after any login banner): whether the
 * user is root, and whether the login shell is a POSIX one. */
static void
root_probe_parse(struct ssh_conn *c, const char *out, int *is_root)
{
	char		*text, *shell;
	const char	*uid;

	*is_root = 0;
	c->posix_login = 0;
	if (out == NULL)
		return;
	text = xstrdup(out);
	shell = strrchr(text, '\n');
	if (shell == NULL) {
		/* Only one line: the shell printed no $SHELL line. */
		*is_root = strcmp(text, "0") == 0;
		free(text);
		return;
	}
	*shell++ = '\0';
	uid = sshconn_last_line(text);
	*is_root = strcmp(uid, "0") == 0;
	c->posix_login = root_posix_shell(shell);
	free(text);
}

/* Find out how to become root, asking for a sudo password if needed. */
int
sshconn_find_root(struct ssh_conn *c, char **cause)
{
	struct ssh_capture	 cap;
	char			*pw = NULL, *prompt = NULL, *detail = NULL;
	int			 rc, status, ok;

	memset(&cap, 0, sizeof cap);
	c->root_method = SSH_ROOT_UNKNOWN;
	xfree_secret(c->sudo_line);
	c->sudo_line = NULL;
	rc = sshconn_exec_capture(c, ROOT_PROBE, NULL, 0, ROOT_PROBE_TIMEOUT,
	    &cap, &status, cause);
	if (rc != TRANSPORT_OK)
		goto out;
	root_probe_parse(c, cap.out, &ok);
	if (status == 0 && ok) {
		c->root_method = SSH_ROOT_DIRECT;
		goto out;
	}
	sshconn_capture_free(&cap);

	rc = sshconn_exec_capture(c, "sudo -n true", NULL, 0,
	    ROOT_PROBE_TIMEOUT, &cap, &status, cause);
	if (rc != TRANSPORT_OK)
		goto out;
	if (status == 0) {
		c->root_method = SSH_ROOT_SUDO_NOPASSWD;
		goto out;
	}
	if (status == 127) {
		*cause = xasprintf(_("%s: %s is not root and sudo is not "
		    "installed"), c->t->node, c->login_user);
		rc = TRANSPORT_AUTH;
		goto out;
	}

	/* The login password is the usual sudo password: try it first. */
	if (c->login_password != NULL) {
		rc = root_try_password(c, c->login_password, &ok, &detail,
		    cause);
		if (rc != TRANSPORT_OK)
			goto out;
		if (ok) {
			c->sudo_line = xasprintf("%s\n", c->login_password);
			c->root_method = SSH_ROOT_SUDO_PASSWORD;
			goto out;
		}
	}
	if (c->prompts == NULL || c->prompts->secret == NULL) {
		*cause = xasprintf(_("%s: %s is not root and sudo needs a "
		    "password, but none can be asked for"), c->t->node,
		    c->login_user);
		rc = TRANSPORT_AUTH;
		goto out;
	}
	prompt = xasprintf(_("[sudo] password for %s on %s:"), c->login_user,
	    c->t->node);
	pw = c->prompts->secret(c->prompts->arg, c->t->node, prompt);
	if (pw == NULL) {
		*cause = xasprintf(_("%s: sudo needs the password of %s, and "
		    "none was given"), c->t->node, c->login_user);
		rc = TRANSPORT_AUTH;
		goto out;
	}
	if (strchr(pw, '\n') != NULL) {
		*cause = xasprintf(_("%s: a sudo password cannot contain a "
		    "newline"), c->t->node);
		rc = TRANSPORT_AUTH;
		goto out;
	}
	rc = root_try_password(c, pw, &ok, &detail, cause);
	if (rc != TRANSPORT_OK)
		goto out;
	if (!ok) {
		*cause = xasprintf(_("%s: sudo refused the password of %s "
		    "(%s)"), c->t->node, c->login_user,
		    detail != NULL && *detail != '\0' ? detail :
		    _("wrong password, or not allowed to run commands as "
		    "root"));
		rc = TRANSPORT_AUTH;
		goto out;
	}
	c->sudo_line = xasprintf("%s\n", pw);
	c->root_method = SSH_ROOT_SUDO_PASSWORD;
out:
	xfree_secret(pw);
	free(prompt);
	free(detail);
	sshconn_capture_free(&cap);
	return rc;
}
