/* ssh-params.c: SSH connection settings of a cluster node. */
#include "kwconfig.h"

#include "cluster.h"
#include "ssh.h"

/* A config string, or NULL when it is empty (not set). */
static const char *
ssh_params_set(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

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
	/* The model's defaults are "" for "not set"; ssh_params wants NULL. */
	p->user = ssh_params_set(s.user);
	p->identity_file = ssh_params_set(s.identity_file);
	p->known_hosts = ssh_params_set(s.known_hosts);
	p->proxy_jump = ssh_params_set(s.proxy_jump);
}
