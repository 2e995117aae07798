/* ssh.h: the libssh implementation of the transport. */
#ifndef KW_SSH_H
#define KW_SSH_H

#include "cluster.h"
#include "transport.h"

/* Connection settings for one node. Strings are borrowed for the
 * lifetime of the transport. */
struct ssh_params {
	const char	*node;		/* node name, for messages */
	const char	*host;		/* address or ~/.ssh/config alias */
	int		 port;		/* 0 = from ~/.ssh/config, else 22 */
	const char	*user;		/* NULL = from ~/.ssh/config, else $USER */
	const char	*identity_file;	/* NULL = agent, then default keys */
	const char	*known_hosts;	/* NULL = ~/.ssh/known_hosts */
	const char	*proxy_jump;	/* NULL = none or from ~/.ssh/config */
	const char	*ssh_config;	/* NULL = ~/.ssh/config; "none" = skip */
	int		 accept_new_host_keys;	/* trust unknown keys without asking */
	int		 connect_timeout;	/* seconds; 0 = 15 */
	const struct transport_prompts *prompts;
};

/* Create an unconnected transport for one node. Caller frees with
 * transport_free. */
struct transport *ssh_transport_new(const struct ssh_params *);
/* Fill params for a node of a cluster (borrowing its strings). */
void ssh_params_from_cluster(struct ssh_params *, const struct cluster *,
    const struct cluster_node *);

/* Added by the SSH transport (ssh_params_from_cluster sets only the
 * node's connection fields: node, host, port, user, identity_file,
 * known_hosts, proxy_jump; zero the struct first and set prompts,
 * accept_new_host_keys and connect_timeout yourself).
 *
 * Scripts run by transport_run see KW_ROOT_METHOD in their environment:
 * root, sudo-nopasswd or sudo-password. */

/* How the connected transport becomes root: "root", "sudo-nopasswd" or
 * "sudo-password"; NULL before connect or for other transports. */
const char *ssh_transport_root_method(const struct transport *);
/* The ProxyCommand reaching a host through ProxyJump hops
 * ("[user@]host[:port][,...]") with the given known_hosts and identity
 * (either may be NULL). NULL if jump is malformed. Caller frees. */
char *ssh_proxy_command(const char *jump, const char *known_hosts,
    const char *identity_file);

#endif
