/* ssh-params.c: SSH connection settings of a cluster node. */
#include "config.h"

#include "cluster.h"
#include "ssh.h"

/* Fill the connection fields of params for a node of a cluster. */
void
ssh_params_from_cluster(struct ssh_params *p, const struct cluster *cl,
    const struct cluster_node *n)
{
	struct cluster_ssh	s;

	cluster_node_ssh(cl, n, &s);
	p->node = n->name;
	p->host = cluster_node_ssh_address(n);
	p->port = s.port;
	p->user = s.user;
	p->identity_file = s.identity_file;
	p->known_hosts = s.known_hosts;
	p->proxy_jump = s.proxy_jump;
}
