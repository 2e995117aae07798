/* ssh-auth.c: user authentication in OpenSSH's order: none, public keys
 * (agent, then identity files), password, keyboard-interactive. */
#include "kwconfig.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ssh-int.h"
#include "xmalloc.h"

/* Rounds of keyboard-interactive questions before giving up. */
#define AUTH_KBDINT_ROUNDS 8

/* Append a name to a comma-separated list. */
static void
auth_list_add(char **list, const char *name)
{
	char	*n;

	if (*list == NULL) {
		*list = xstrdup(name);
		return;
	}
	n = xasprintf("%s, %s", *list, name);
	free(*list);
	*list = n;
}

/* The methods a server offers, as words. Caller frees. */
static char *
auth_offered(int methods)
{
	char	*list = NULL;

	if (methods & SSH_AUTH_METHOD_PUBLICKEY)
		auth_list_add(&list, "publickey");
	if (methods & SSH_AUTH_METHOD_PASSWORD)
		auth_list_add(&list, "password");
	if (methods & SSH_AUTH_METHOD_INTERACTIVE)
		auth_list_add(&list, "keyboard-interactive");
	if (methods & SSH_AUTH_METHOD_GSSAPI_MIC)
		auth_list_add(&list, "gssapi-with-mic");
	if (methods & SSH_AUTH_METHOD_HOSTBASED)
		auth_list_add(&list, "hostbased");
	if (list == NULL)
		list = xstrdup("none");
	return list;
}

/* Ask the front end for a secret; NULL if it gives up or cannot ask. */
static char *
auth_ask(struct ssh_conn *c, const char *prompt)
{
	if (c->prompts == NULL || c->prompts->secret == NULL)
		return NULL;
	return c->prompts->secret(c->prompts->arg, c->t->node, prompt);
}

/* Keep a password that worked (it is tried first for sudo). */
static void
auth_keep(struct ssh_conn *c, char **pw)
{
	xfree_secret(c->login_password);
	c->login_password = *pw;
	*pw = NULL;
}

/* Answer keyboard-interactive questions through the front end. */
static int
auth_kbdint(struct ssh_conn *c)
{
	ssh_session	 s = c->session;
	const char	*prompt;
	char		*text = NULL, *answer = NULL, echo;
	int		 rc, n, i, rounds = 0;

	rc = ssh_userauth_kbdint(s, NULL, NULL);
	while (rc == SSH_AUTH_INFO && rounds++ < AUTH_KBDINT_ROUNDS) {
		n = ssh_userauth_kbdint_getnprompts(s);
		for (i = 0; i < n; i++) {
			prompt = ssh_userauth_kbdint_getprompt(s, i, &echo);
			text = xasprintf("%s@%s %s", c->login_user, c->where,
			    prompt != NULL ? prompt : "");
			answer = auth_ask(c, text);
			free(text);
			if (answer == NULL)
				return SSH_AUTH_DENIED;
			if (ssh_userauth_kbdint_setanswer(s, i, answer) < 0) {
				xfree_secret(answer);
				return SSH_AUTH_ERROR;
			}
			if (n == 1 && !echo)
				auth_keep(c, &answer);
			xfree_secret(answer);
			answer = NULL;
		}
		rc = ssh_userauth_kbdint(s, NULL, NULL);
	}
	if (rc == SSH_AUTH_INFO)
		rc = SSH_AUTH_DENIED;
	if (rc != SSH_AUTH_SUCCESS) {
		xfree_secret(c->login_password);
		c->login_password = NULL;
	}
	return rc;
}

/* Public keys: the agent's, then the identity files (asking for
 * passphrases through the passphrase callback). */
static int
auth_publickey(struct ssh_conn *c, char **tried)
{
	auth_list_add(tried, getenv("SSH_AUTH_SOCK") != NULL ?
	    "publickey (agent, key files)" : "publickey (key files)");
	return ssh_userauth_publickey_auto(c->session, NULL, NULL);
}

/* A password asked through the front end (kept if it works: it is the
 * first sudo password tried). */
static int
auth_password(struct ssh_conn *c, char **tried)
{
	char	*text, *pw;
	int	 rc;

	text = xasprintf(_("Password for %s@%s:"), c->login_user, c->where);
	pw = auth_ask(c, text);
	free(text);
	if (pw == NULL)
		return SSH_AUTH_DENIED;
	auth_list_add(tried, "password");
	rc = ssh_userauth_password(c->session, NULL, pw);
	if (rc == SSH_AUTH_SUCCESS)
		auth_keep(c, &pw);
	xfree_secret(pw);
	return rc;
}

/* Keyboard-interactive questions answered through the front end. */
static int
auth_interactive(struct ssh_conn *c, char **tried)
{
	auth_list_add(tried, "keyboard-interactive");
	return auth_kbdint(c);
}

/* The methods in OpenSSH's order. */
static const struct {
	int	  method;
	int	(*try)(struct ssh_conn *, char **);
} auth_steps[] = {
	{ SSH_AUTH_METHOD_PUBLICKEY, auth_publickey },
	{ SSH_AUTH_METHOD_PASSWORD, auth_password },
	{ SSH_AUTH_METHOD_INTERACTIVE, auth_interactive },
};

/* Authenticate; on failure say what the server offered and what was
 * tried. */
int
sshconn_auth(struct ssh_conn *c, char **cause)
{
	ssh_session	 s = c->session;
	char		*tried = NULL, *offered = NULL;
	size_t		 i;
	int		 rc, methods, result = TRANSPORT_AUTH;

	auth_list_add(&tried, "none");
	rc = ssh_userauth_none(s, NULL);
	for (i = 0; i < sizeof auth_steps / sizeof auth_steps[0]; i++) {
		if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR ||
		    rc == SSH_AUTH_AGAIN || sshconn_cancelled(c))
			break;
		methods = ssh_userauth_list(s, NULL);
		if (offered == NULL)
			offered = auth_offered(methods);
		if (methods & auth_steps[i].method)
			rc = auth_steps[i].try(c, &tried);
	}
	if (rc == SSH_AUTH_SUCCESS)
		result = TRANSPORT_OK;
	else if (rc == SSH_AUTH_AGAIN) {
		/* A blocking call that timed out. */
		*cause = xasprintf(_("%s: %s does not answer (authentication "
		    "timed out after %d s)"), c->t->node, c->where,
		    c->connect_timeout);
		result = TRANSPORT_TIMEOUT;
	} else if (sshconn_cancelled(c)) {
		*cause = xasprintf(_("%s: cancelled"), c->t->node);
		result = TRANSPORT_CANCELLED;
	} else if (rc == SSH_AUTH_ERROR) {
		*cause = xasprintf(_("%s: authentication as %s at %s failed: "
		    "%s (tried %s)"), c->t->node, c->login_user, c->where,
		    ssh_get_error(s), tried);
		result = TRANSPORT_ERROR;
	} else {
		*cause = xasprintf(_("%s: authentication as %s at %s failed: "
		    "the server offers %s; tried %s"), c->t->node,
		    c->login_user, c->where, offered != NULL ? offered :
		    "none", tried);
	}
	free(offered);
	free(tried);
	return result;
}
