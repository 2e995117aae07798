/* test_ssh.c: the parts of the SSH transport that need no server:
 * ProxyJump commands, shell quoting, known_hosts line lookup (plain,
 * [host]:port and hashed entries), and calls before connecting. */
#include "kwconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cluster.h"
#include "ssh-int.h"
#include "ssh.h"
#include "xmalloc.h"

/* ProxyJump hops become an ssh -W command with quoted words. */
static void
test_proxy_command(void **state)
{
	char	*c;

	(void)state;
	c = ssh_proxy_command("jump@bastion:2222", NULL, NULL);
	assert_non_null(c);
	assert_string_equal(c, "exec ssh -o BatchMode=yes -l 'jump' -p '2222' "
	    "-W '[%h]:%p' -- 'bastion'");
	free(c);
	c = ssh_proxy_command("a@one,[::1]:2200", "/k h", "/id");
	assert_non_null(c);
	assert_string_equal(c, "exec ssh -o BatchMode=yes -o "
	    "'UserKnownHostsFile=/k h' -i '/id' -J 'a@one' -p '2200' "
	    "-W '[%h]:%p' -- '::1'");
	free(c);
	assert_null(ssh_proxy_command("", NULL, NULL));
	assert_null(ssh_proxy_command("user@", NULL, NULL));
	assert_null(ssh_proxy_command("host:", NULL, NULL));
	assert_null(ssh_proxy_command("[::1", NULL, NULL));
	assert_null(ssh_proxy_command("-oProxyCommand=x", NULL, NULL));
	assert_null(ssh_proxy_command("h%d", NULL, NULL));
}

/* Quoting survives quotes and metacharacters. */
static void
test_quote(void **state)
{
	char	*q;

	(void)state;
	q = sshconn_quote("a b'c;$(x)");
	assert_string_equal(q, "'a b'\\''c;$(x)'");
	free(q);
	q = sshconn_quote("");
	assert_string_equal(q, "''");
	free(q);
}

/* Write a known_hosts file from lines. Returns its path (static). */
static const char *
write_kh(const char *text)
{
	static char	 path[] = "/tmp/kw-test-kh.XXXXXX";
	int		 fd;
	FILE		*f;

	strcpy(path, "/tmp/kw-test-kh.XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

/* The line of the entry that disagrees with the server's key is found,
 * for plain, bracketed and hashed host names; agreeing entries are not
 * reported. */
static void
test_knownhosts_line(void **state)
{
	ssh_key		 server = NULL, old = NULL;
	char		*b64s = NULL, *b64o = NULL, *text;
	const char	*kh;

	(void)state;
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &server), 0);
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &old), 0);
	assert_int_equal(ssh_pki_export_pubkey_base64(server, &b64s), 0);
	assert_int_equal(ssh_pki_export_pubkey_base64(old, &b64o), 0);

	text = xasprintf("# comment\n\n"
	    "other ssh-ed25519 %s\n"
	    "[127.0.0.1]:2222 ssh-ed25519 %s\n"
	    "node.example,10.0.0.1 ssh-ed25519 %s\n"
	    "@cert-authority * ssh-ed25519 %s\n", b64o, b64o, b64s, b64o);
	kh = write_kh(text);
	free(text);
	assert_int_equal(knownhosts_find_line(kh, "[127.0.0.1]:2222", server),
	    4);
	assert_int_equal(knownhosts_find_line(kh, "node.example", server), 0);
	assert_int_equal(knownhosts_find_line(kh, "10.0.0.1", old), 5);
	assert_int_equal(knownhosts_find_line(kh, "absent", server), 0);
	unlink(kh);

	/* HMAC-SHA1 with salt 01..14 of "[127.0.0.1]:2222" and of
	 * "node.example", as ssh-keygen -H writes them. */
	text = xasprintf("|1|AQIDBAUGBwgJCgsMDQ4PEBESExQ=|"
	    "aGIuXnM3QQbo4PLew9OZ14ub4pY= ssh-ed25519 %s\n"
	    "|1|AQIDBAUGBwgJCgsMDQ4PEBESExQ=|"
	    "6nwC5rG6k7vxYwKIoAwPZGhI1VE= ssh-ed25519 %s\n", b64s, b64o);
	kh = write_kh(text);
	free(text);
	assert_int_equal(knownhosts_find_line(kh, "[127.0.0.1]:2222", server),
	    2);
	assert_int_equal(knownhosts_find_line(kh, "node.example", server), 0);
	assert_int_equal(knownhosts_find_line(kh, "node.example", old), 1);
	unlink(kh);

	assert_int_equal(knownhosts_find_line("/nonexistent/kh", "x", server),
	    0);
	ssh_string_free_char(b64s);
	ssh_string_free_char(b64o);
	ssh_key_free(server);
	ssh_key_free(old);
}

/* A node's settings override the cluster's; the SSH address wins over
 * the internal one; other fields are left alone. */
static void
test_params_from_cluster(void **state)
{
	struct cluster		*c;
	struct cluster_node	 nodes[2];
	struct ssh_params	 p;

	(void)state;
	c = cluster_new();
	memset(nodes, 0, sizeof nodes);
	c->ssh.user = xstrdup("admin");
	c->ssh.port = 22;
	c->ssh.identity_file = xstrdup("~/.ssh/id_ed25519");
	c->ssh.known_hosts = xstrdup("/kh");
	nodes[0].name = xstrdup("m1");
	nodes[0].address = xstrdup("10.0.0.1");
	nodes[0].ssh_address = xstrdup("203.0.113.1");
	nodes[1].name = xstrdup("w1");
	nodes[1].address = xstrdup("10.0.0.2");
	nodes[1].ssh.user = xstrdup("root");
	nodes[1].ssh.port = 2222;
	nodes[1].ssh.proxy_jump = xstrdup("bastion");
	c->nodes = nodes;
	c->nnodes = 2;

	memset(&p, 0, sizeof p);
	p.connect_timeout = 7;
	ssh_params_from_cluster(&p, c, &nodes[0]);
	assert_string_equal(p.node, "m1");
	assert_string_equal(p.host, "203.0.113.1");
	assert_string_equal(p.user, "admin");
	assert_int_equal(p.port, 22);
	assert_string_equal(p.identity_file, "~/.ssh/id_ed25519");
	assert_string_equal(p.known_hosts, "/kh");
	assert_null(p.proxy_jump);
	assert_int_equal(p.connect_timeout, 7);

	ssh_params_from_cluster(&p, c, &nodes[1]);
	assert_string_equal(p.host, "10.0.0.2");
	assert_string_equal(p.user, "root");
	assert_int_equal(p.port, 2222);
	assert_string_equal(p.proxy_jump, "bastion");
	assert_string_equal(p.known_hosts, "/kh");

	free(nodes[0].name);
	free(nodes[0].address);
	free(nodes[0].ssh_address);
	free(nodes[1].name);
	free(nodes[1].address);
	free(nodes[1].ssh.user);
	free(nodes[1].ssh.proxy_jump);
	c->nodes = NULL;
	c->nnodes = 0;
	cluster_free(c);
}

/* Before connect nothing runs, and the root method is unknown. */
static void
test_unconnected(void **state)
{
	struct ssh_params	 p;
	struct transport	*t;
	char			*cause = NULL;
	int			 status = 0;

	(void)state;
	memset(&p, 0, sizeof p);
	p.host = "127.0.0.1";
	p.node = "n1";
	t = ssh_transport_new(&p);
	assert_null(ssh_transport_root_method(t));
	assert_int_equal(transport_run(t, "true", 4, 0, NULL, NULL, &status,
	    &cause), TRANSPORT_ERROR);
	assert_string_equal(cause, "n1: not connected");
	assert_int_equal(status, -1);
	free(cause);
	cause = NULL;
	transport_cancel(t);
	assert_int_equal(transport_connect(t, &cause), TRANSPORT_CANCELLED);
	assert_string_equal(cause, "n1: cancelled");
	free(cause);
	transport_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_command),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_knownhosts_line),
		cmocka_unit_test(test_params_from_cluster),
		cmocka_unit_test(test_unconnected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
