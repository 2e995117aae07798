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

#endif
