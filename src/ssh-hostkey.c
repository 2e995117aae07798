/* ssh-hostkey.c: the server's host key against known_hosts, as ssh does
 * with StrictHostKeyChecking=ask (or accept-new). */
#include "kwconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "ssh-int.h"
#include "xmalloc.h"

/* The 1-based line of path holding an entry for host (as known_hosts
 * writes it: "name" for port 22, "[name]:port" otherwise; hashed entries
 * included) whose key differs from key, or 0. */
int
knownhosts_find_line(const char *path, const char *host, ssh_key key)
{
	FILE				*f = NULL;
	char				*line = NULL, *p;
	size_t				 cap = 0, n;
	int				 lineno = 0, found = 0;
	struct ssh_knownhosts_entry	*e;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return 0;
	while (found == 0 && getline(&line, &cap, f) != -1) {
		lineno++;
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#' || *p == '@')
			continue;
		e = NULL;
		if (ssh_known_hosts_parse_line(host, p, &e) != SSH_OK ||
		    e == NULL) {
			ssh_knownhosts_entry_free(e);
			continue;
		}
		if (e->publickey != NULL &&
		    ssh_key_cmp(e->publickey, key, SSH_KEY_CMP_PUBLIC) != 0)
			found = lineno;
		ssh_knownhosts_entry_free(e);
	}
	free(line);
	fclose(f);
	return found;
}

/* Make sure the directory of a known_hosts file exists (0700). */
static int
hostkey_make_dir(const char *path)
{
	char	*dir, *slash;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return rc;
}

/* Describe where a changed key's old entry is. Caller frees. */
static char *
hostkey_where(const char *kh, const char *global, const char *host,
    ssh_key key)
{
	int	line;

	if ((line = knownhosts_find_line(kh, host, key)) > 0)
		return xasprintf("%s:%d", kh, line);
	if ((line = knownhosts_find_line(global, host, key)) > 0)
		return xasprintf("%s:%d", global, line);
	return xstrdup(kh != NULL ? kh : "known_hosts");
}

/* Check the server's host key against known_hosts, asking the front end
 * about an unknown key. */
int
sshconn_check_hostkey(struct ssh_conn *c, char **cause)
{
	const char		*node = c->t->node, *type;
	ssh_key			 key = NULL;
	unsigned char		*hash = NULL;
	size_t			 hlen = 0;
	char			*fp = NULL, *kh = NULL, *global = NULL;
	char			*name = NULL, *host = NULL, *where = NULL;
	unsigned int		 port = 22;
	enum ssh_known_hosts_e	 state;
	struct transport_hostkey q;
	int			 rc = TRANSPORT_HOSTKEY, accept;

	if (ssh_get_server_publickey(c->session, &key) != SSH_OK) {
		*cause = xasprintf(_("%s: no host key from %s: %s"), node,
		    c->where, ssh_get_error(c->session));
		rc = TRANSPORT_ERROR;
		goto out;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0 || (fp = ssh_get_fingerprint_hash(
	    SSH_PUBLICKEY_HASH_SHA256, hash, hlen)) == NULL)
		fatalx("cannot hash a host key");
	type = ssh_key_type_to_char(ssh_key_type(key));
	if (type == NULL)
		type = "unknown";
	if (ssh_options_get(c->session, SSH_OPTIONS_KNOWNHOSTS, &kh) != SSH_OK)
		kh = NULL;
	if (ssh_options_get(c->session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS,
	    &global) != SSH_OK)
		global = NULL;
	if (ssh_options_get(c->session, SSH_OPTIONS_HOST, &name) != SSH_OK)
		fatalx("session without a host");
	ssh_options_get_port(c->session, &port);
	if (port == 22)
		host = xstrdup(name);
	else
		host = xasprintf("[%s]:%u", name, port);

	state = ssh_session_is_known_server(c->session);
	switch (state) {
	case SSH_KNOWN_HOSTS_OK:
		rc = TRANSPORT_OK;
		break;
	case SSH_KNOWN_HOSTS_CHANGED:
		where = hostkey_where(kh, global, host, key);
		*cause = xasprintf(_("%s: the host key of %s has CHANGED: the "
		    "server sent %s key %s, but %s holds a different one. "
		    "Someone may be intercepting the connection, or the "
		    "server was reinstalled. If you trust the new key, "
		    "remove the old entry (ssh-keygen -R '%s' -f %s). "
		    "Nothing was run on %s."), node, host, type, fp, where,
		    host, kh != NULL ? kh : "known_hosts", node);
		break;
	case SSH_KNOWN_HOSTS_OTHER:
		where = hostkey_where(kh, global, host, key);
		*cause = xasprintf(_("%s: the host key of %s has CHANGED: the "
		    "server sent %s key %s, but %s holds a key of another "
		    "type for it. Someone may be intercepting the "
		    "connection, or the server was reinstalled. If you trust "
		    "the new key, remove the old entry (ssh-keygen -R '%s' "
		    "-f %s). Nothing was run on %s."), node, host, type, fp,
		    where, host, kh != NULL ? kh : "known_hosts", node);
		break;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		accept = c->accept_new_host_keys;
		if (!accept && c->prompts != NULL &&
		    c->prompts->hostkey != NULL) {
			memset(&q, 0, sizeof q);
			q.node = node;
			q.host = host;
			q.key_type = type;
			q.fingerprint = fp;
			q.known_hosts = kh;
			accept = c->prompts->hostkey(c->prompts->arg, &q);
		}
		if (!accept) {
			*cause = xasprintf(_("%s: the host key of %s is not "
			    "known (%s %s) and was not accepted; add it to %s "
			    "or accept new host keys"), node, host, type, fp,
			    kh != NULL ? kh : "known_hosts");
			break;
		}
		if (kh == NULL || hostkey_make_dir(kh) != 0 ||
		    ssh_session_update_known_hosts(c->session) != SSH_OK) {
			*cause = xasprintf(_("%s: cannot add the host key of "
			    "%s to %s: %s"), node, host,
			    kh != NULL ? kh : "known_hosts",
			    ssh_get_error(c->session));
			rc = TRANSPORT_ERROR;
			break;
		}
		rc = TRANSPORT_OK;
		break;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		*cause = xasprintf(_("%s: cannot check the host key of %s "
		    "against %s: %s"), node, host,
		    kh != NULL ? kh : "known_hosts",
		    ssh_get_error(c->session));
		break;
	}
out:
	free(where);
	free(host);
	if (name != NULL)
		ssh_string_free_char(name);
	if (global != NULL)
		ssh_string_free_char(global);
	if (kh != NULL)
		ssh_string_free_char(kh);
	if (fp != NULL)
		ssh_string_free_char(fp);
	if (hash != NULL)
		ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return rc;
}
