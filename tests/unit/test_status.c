/* test_status.c: parsing the rows of status.sh (real-looking kubectl
 * jsonpath output), problem pods first with their reason, certificate
 * days, node merging with the config, and the issues that decide the
 * exit status. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "cluster.h"
#include "render.h"
#include "status.h"
#include "xmalloc.h"

/* 2026-11-26T14:00:00Z */
#define NOW 1795701600L

/* Output of status.sh on a healthy three-node classic cluster, as kubectl
 * 1.20 prints it through the jsonpath templates of status.sh. */
static const char healthy[] =
    "host\tk8s-master\n"
    "now\t1795701600\n"
    "readyz\tok\n"
    "version\tv1.20.9\n"
    "node\tk8s-master\tTrue\tv1.20.9\t172.31.0.2\t2026-11-20T14:00:00Z\tReady\n"
    "node\tk8s-node1\tTrue\tv1.20.9\t172.31.0.3\t2026-11-20T14:05:00Z\tReady\n"
    "node\tk8s-node2\tTrue\tv1.20.9\t172.31.0.4\t2026-11-26T13:00:00Z\tReady\n"
    "role\tk8s-master\tcontrol-plane\n"
    "role\tk8s-master\tmaster\n"
    "pod\tkube-system\tcalico-kube-controllers-5f6cfd688c-7xk2p\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-master\n"
    "pod\tkube-system\tcalico-node-8wq5b\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-node1\n"
    "pod\tkube-system\tcoredns-54d67798b7-2xkqz\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-master\n"
    "pod\tkube-system\tetcd-k8s-master\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-master\n"
    "pod\tkube-system\tkube-apiserver-k8s-master\tRunning\ttrue\t1\t\t\tTrue\t\t\tk8s-master\n"
    "pod\tkubernetes-dashboard\tdashboard-metrics-scraper-79c5968bdc-n9s4f\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-node2\n"
    "pod\tkubernetes-dashboard\tkubernetes-dashboard-658485d5c7-mx2wv\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-node1\n"
    "cert\tapiserver\tend\t1827237600\n"
    "cert\tca\tend\t2111061600\n"
    "dashboard\t200\thttps://172.31.0.2:30443/\n";

/* A three-node cluster matching the outputs above. */
static struct cluster *
make_cluster(void)
{
	static const char *const names[] = { "k8s-master", "k8s-node1",
	    "k8s-node2" };
	static const char *const addrs[] = { "172.31.0.2", "172.31.0.3",
	    "172.31.0.4" };
	struct cluster *c;
	size_t i;

	c = cluster_new();
	c->name = xstrdup("demo");
	c->kubernetes.version = xstrdup("1.20.9");
	c->kubernetes.pod_subnet = xstrdup("192.168.0.0/16");
	c->kubernetes.service_subnet = xstrdup("10.96.0.0/16");
	c->nnodes = 3;
	c->nodes = xcalloc(3, sizeof *c->nodes);
	for (i = 0; i < 3; i++) {
		c->nodes[i].name = xstrdup(names[i]);
		c->nodes[i].address = xstrdup(addrs[i]);
		c->nodes[i].role = i == 0 ? ROLE_CONTROL_PLANE : ROLE_WORKER;
	}
	cluster_set_defaults(c);
	return c;
}

/* Parse text into a finished report for the three-node cluster. */
static struct status_report *
parse(const char *text)
{
	struct status_report *r;
	struct cluster *c;

	c = make_cluster();
	r = status_report_new("demo");
	status_parse(r, text, strlen(text));
	status_finish(r, c);
	cluster_free(c);
	return r;
}

/* Find a node of a report by name. */
static const struct status_node *
node(const struct status_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nnodes; i++) {
		if (strcmp(r->nodes[i].name, name) == 0)
			return &r->nodes[i];
	}
	fail_msg("no node %s", name);
	return NULL;
}

/* Whether an issue of level contains text. */
static int
has_issue(const struct status_report *r, enum status_level level,
    const char *text)
{
	size_t i;

	for (i = 0; i < r->nissues; i++) {
		if (r->issues[i].level == level &&
		    strstr(r->issues[i].text, text) != NULL)
			return 1;
	}
	return 0;
}

/* A healthy cluster parses completely and has no issue. */
static void
test_healthy(void **state)
{
	struct status_report *r;
	const struct status_node *n;
	char age[16];

	(void)state;
	r = parse(healthy);
	assert_int_equal(r->bad_rows, 0);
	assert_string_equal(r->host, "k8s-master");
	assert_int_equal(r->now, NOW);
	assert_true(r->readyz);
	assert_string_equal(r->version, "v1.20.9");
	assert_int_equal(r->nnodes, 3);
	n = node(r, "k8s-master");
	assert_string_equal(n->roles, "control-plane,master");
	assert_string_equal(n->ready, "True");
	assert_string_equal(n->kubelet, "v1.20.9");
	assert_string_equal(n->address, "172.31.0.2");
	assert_null(n->pressure);
	assert_true(n->in_api && n->in_config);
	assert_string_equal(status_format_age((long)(r->now - n->created), age,
	    sizeof age), "6d");
	n = node(r, "k8s-node2");
	assert_string_equal(n->roles, "<none>");
	assert_string_equal(status_format_age((long)(r->now - n->created), age,
	    sizeof age), "60m");
	assert_int_equal(r->npods, 7);
	assert_int_equal(r->pods[0].problem, 0);
	/* kube-system before kubernetes-dashboard, by name within. */
	assert_string_equal(r->pods[0].ns, "kube-system");
	assert_string_equal(r->pods[6].name,
	    "kubernetes-dashboard-658485d5c7-mx2wv");
	assert_int_equal(r->pods[4].restarts, 1);
	assert_int_equal(r->ncerts, 2);
	assert_true(r->certs[0].known);
	assert_int_equal(r->certs[0].days, 365);
	assert_int_equal(r->certs[1].days, 3650);
	assert_int_equal(r->dashboard_code, 200);
	assert_string_equal(r->dashboard_url, "https://172.31.0.2:30443/");
	assert_int_equal(r->nissues, 0);
	assert_int_equal(status_level(r), STATUS_OK);
	status_report_free(r);
}

/* Problem pods come first with their reason; Pending says why. */
static void
test_problem_pods(void **state)
{
	static const char text[] =
	    "now\t1795701600\n"
	    "readyz\tok\n"
	    "node\tk8s-master\tTrue\tv1.30.4\t172.31.0.2\t2026-11-20T14:00:00Z\tReady\n"
	    "node\tk8s-node1\tTrue\tv1.30.4\t172.31.0.3\t2026-11-20T14:00:00Z\tReady\n"
	    "node\tk8s-node2\tTrue\tv1.30.4\t172.31.0.4\t2026-11-20T14:00:00Z\tReady\n"
	    "pod\tkube-system\tcoredns-7db6d8ff4d-abcde\tRunning\ttrue\t0\t\t\tTrue\t\t\tk8s-master\n"
	    "pod\tkube-system\tcalico-node-x7t2q\tPending\tfalse\t0\t\tPodInitializing\tTrue\t\t\tk8s-node1\n"
	    "pod\tkube-system\tkube-proxy-zz9\tRunning\ttrue false\t0 7\t\tCrashLoopBackOff\tTrue\t\t\tk8s-node2\n"
	    "pod\tkubernetes-dashboard\tkubernetes-dashboard-6d4c-q\tPending\tfalse\t0\tImagePullBackOff\t\tTrue\t\t\tk8s-node1\n"
	    "pod\tkubernetes-dashboard\tdashboard-metrics-scraper-5b-q\tPending\t\t\t\t\tUnschedulable\t0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.\t\t\n"
	    "pod\tkube-system\tkube-scheduler-k8s-master\tRunning\ttrue\t12\tCrashLoopBackOff\t\tTrue\t\t\tk8s-master\n"
	    "pod\tkube-system\told-job-xyz\tSucceeded\tfalse\t0\t\t\tTrue\t\t\tk8s-node1\n"
	    "pod\tkube-system\tevicted-1\tFailed\t\t\t\t\tTrue\t\tEvicted\tk8s-node2\n";
	struct status_report *r;
	size_t i, problems = 0;

	(void)state;
	r = parse(text);
	assert_int_equal(r->bad_rows, 0);
	assert_int_equal(r->npods, 8);
	for (i = 0; i < r->npods; i++) {
		if (r->pods[i].problem)
			problems++;
		else
			break;	/* every problem pod comes first */
	}
	assert_int_equal(problems, 6);
	for (; i < r->npods; i++)
		assert_false(r->pods[i].problem);

	/* kube-system problems first (namespace order), by name. */
	assert_string_equal(r->pods[0].name, "calico-node-x7t2q");
	assert_string_equal(r->pods[0].reason, "Init:PodInitializing");
	assert_string_equal(r->pods[1].name, "evicted-1");
	assert_string_equal(r->pods[1].reason, "Evicted");
	assert_string_equal(r->pods[2].name, "kube-proxy-zz9");
	assert_string_equal(r->pods[2].reason, "Init:CrashLoopBackOff");
	assert_int_equal(r->pods[2].ready, 1);
	assert_int_equal(r->pods[2].total, 2);
	assert_int_equal(r->pods[2].restarts, 7);
	assert_string_equal(r->pods[3].name, "kube-scheduler-k8s-master");
	assert_string_equal(r->pods[3].reason, "CrashLoopBackOff");
	assert_int_equal(r->pods[3].restarts, 12);
	assert_string_equal(r->pods[4].name, "dashboard-metrics-scraper-5b-q");
	assert_string_equal(r->pods[4].reason, "Unschedulable");
	assert_non_null(r->pods[4].message);
	assert_non_null(strstr(r->pods[4].message, "untolerated taint"));
	assert_int_equal(r->pods[4].total, 0);
	assert_null(r->pods[4].node);
	assert_string_equal(r->pods[5].reason, "ImagePullBackOff");

	assert_int_equal(status_level(r), STATUS_BAD);
	assert_true(has_issue(r, STATUS_BAD,
	    "pod kube-system/kube-scheduler-k8s-master is Running: "
	    "CrashLoopBackOff"));
	assert_true(has_issue(r, STATUS_BAD, "Pending: Unschedulable - 0/3"));
	assert_false(has_issue(r, STATUS_BAD, "old-job-xyz"));
	status_report_free(r);
}

/* Certificate days from end dates and kubeadm residual times. */
static void
test_certs(void **state)
{
	static const char text[] =
	    "now\t1795701600\n"
	    "readyz\tok\n"
	    "cert\tapiserver\tend\t1796306400\n"		/* +7 days */
	    "cert\tfront-proxy-client\tend\t1795701500\n"	/* -100 s */
	    "cert\tadmin.conf\tresidual\t364d\n"
	    "cert\tca\tresidual\t9y\n"
	    "cert\tetcd-server\tresidual\t<invalid>\n"
	    "cert\tapiserver-kubelet-client\tresidual\t23h\n"
	    "cert\tetcd/server\tmissing\n"
	    "cert\tbroken\tend\tsoon\n"
	    "cert\tbroken2\tresidual\t12q\n";
	struct status_report *r;
	long days;

	(void)state;
	r = parse(text);
	assert_int_equal(r->bad_rows, 2);
	assert_int_equal(r->ncerts, 7);
	assert_int_equal(r->certs[0].days, 7);
	assert_int_equal(r->certs[1].days, -1);
	assert_int_equal(r->certs[2].days, 364);
	assert_int_equal(r->certs[3].days, 3285);
	assert_int_equal(r->certs[4].days, -1);
	assert_int_equal(r->certs[5].days, 0);
	assert_false(r->certs[6].known);
	assert_true(has_issue(r, STATUS_WARN, "certificate apiserver expires "
	    "in 7 days"));
	assert_true(has_issue(r, STATUS_BAD, "certificate front-proxy-client "
	    "has expired"));
	assert_true(has_issue(r, STATUS_WARN, "etcd/server was not found"));
	assert_true(has_issue(r, STATUS_WARN, "2 line(s)"));

	assert_int_equal(status_parse_residual("1y", &days), 0);
	assert_int_equal(days, 365);
	assert_int_equal(status_parse_residual("", &days), -1);
	assert_int_equal(status_parse_residual("d", &days), -1);
	assert_int_equal(status_parse_residual("5dd", &days), -1);
	status_report_free(r);
}

/* Nodes: NotReady, pressure, unregistered, unknown to the config. */
static void
test_nodes(void **state)
{
	static const char text[] =
	    "now\t1795701600\n"
	    "readyz\tok\n"
	    "node\tk8s-master\tTrue\tv1.30.4\t172.31.0.2\t2026-11-20T14:00:00Z\tReady\n"
	    "node\tk8s-node1\tUnknown\tv1.30.4\t172.31.0.3\t2026-11-20T14:00:00Z\t\n"
	    "node\tstray\tTrue\tv1.30.4\t172.31.0.9\t2026-11-20T14:00:00Z\tMemoryPressure Ready DiskPressure\n";
	struct status_report *r;
	const struct status_node *n;

	(void)state;
	r = parse(text);
	assert_int_equal(r->nnodes, 4);
	n = node(r, "k8s-node1");
	assert_string_equal(n->ready, "Unknown");
	n = node(r, "stray");
	assert_false(n->in_config);
	assert_string_equal(n->pressure, "MemoryPressure DiskPressure");
	n = node(r, "k8s-node2");
	assert_false(n->in_api);
	assert_true(n->in_config);
	assert_string_equal(n->address, "172.31.0.4");
	assert_string_equal(n->roles, "worker");
	assert_true(has_issue(r, STATUS_BAD, "node k8s-node1 is not Ready "
	    "(Ready=Unknown)"));
	assert_true(has_issue(r, STATUS_BAD, "node k8s-node2 is not "
	    "registered"));
	assert_true(has_issue(r, STATUS_BAD, "node stray reports "
	    "MemoryPressure DiskPressure"));
	assert_true(has_issue(r, STATUS_WARN, "node stray is in the cluster "
	    "but not in kubewiz's config"));
	/* Most severe first. */
	assert_int_equal(r->issues[0].level, STATUS_BAD);
	assert_int_equal(r->issues[r->nissues - 1].level, STATUS_WARN);
	status_report_free(r);
}

/* API not ready, Dashboard not answering, failed query. */
static void
test_api_and_dashboard(void **state)
{
	static const char text[] =
	    "now\t1795701600\n"
	    "readyz\tfail\t[-]etcd failed: reason withheld readyz check failed\n"
	    "dashboard\t000\thttps://172.31.0.2:30443/\n"
	    "error\tcurl is not installed on k8s-master\n"
	    "error\tcould not read {1} in {2}:{3}\tthe dates\t/etc/pki\t"
	    " {1} %s\n";
	struct status_report *r;

	(void)state;
	r = parse(text);
	/* A template row: its arguments in place, never expanded again. */
	assert_true(has_issue(r, STATUS_WARN, "could not read the dates in "
	    "/etc/pki: {1} %s"));
	assert_false(r->readyz);
	assert_true(has_issue(r, STATUS_BAD, "the API server is not ready "
	    "(/readyz: [-]etcd failed"));
	assert_true(has_issue(r, STATUS_BAD, "the Dashboard at "
	    "https://172.31.0.2:30443/ does not answer"));
	assert_true(has_issue(r, STATUS_WARN, "curl is not installed"));
	status_report_free(r);

	r = status_report_new("demo");
	r->error = xstrdup("no control plane answered the status query "
	    "(k8s-master: connection refused)");
	status_finish(r, NULL);
	assert_int_equal(status_level(r), STATUS_BAD);
	assert_true(has_issue(r, STATUS_BAD, "connection refused"));
	status_report_free(r);
}

/* Malformed rows are counted, never crash, never half-parse. */
static void
test_malformed(void **state)
{
	static const char *const rows[] = {
		"",
		"node",
		"node\tonly-a-name",
		"node\t\tTrue\tv1\t1.2.3.4\t2026-11-20T14:00:00Z\tReady",
		"pod\tns\tname\tRunning",
		"pod\tns\tname\tRunning\ttrue\t0\t\t\t\t\t\t\t\textra",
		"now\t-5",
		"now\tabc",
		"dashboard\tx\thttps://a/",
		"frobnicate\t1",
		"role\tnode",
	};
	struct status_report *r;
	size_t i;

	(void)state;
	r = status_report_new("demo");
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(status_parse_line(r, rows[i],
		    strlen(rows[i])), -1);
	assert_int_equal(r->bad_rows, sizeof rows / sizeof rows[0]);
	assert_int_equal(r->nnodes, 0);
	assert_int_equal(r->npods, 0);
	assert_int_equal(status_parse_line(r, "now\t5\r", 6), 0);
	assert_int_equal(r->now, 5);
	status_report_free(r);
}

/* RFC 3339 times and ages. */
static void
test_time(void **state)
{
	time_t t;
	char buf[16];

	(void)state;
	assert_int_equal(status_parse_time("2026-11-26T14:00:00Z", &t), 0);
	assert_int_equal((long)t, NOW);
	assert_int_equal(status_parse_time("2026-11-26T14:00:00", &t), -1);
	assert_int_equal(status_parse_time("2026-13-26T14:00:00Z", &t), -1);
	assert_int_equal(status_parse_time("2026-11-26T14:00:00Zx", &t), -1);
	assert_string_equal(status_format_age(59, buf, sizeof buf), "59s");
	assert_string_equal(status_format_age(600, buf, sizeof buf), "10m");
	assert_string_equal(status_format_age(3 * 3600, buf, sizeof buf),
	    "3h");
	assert_string_equal(status_format_age(5 * 86400, buf, sizeof buf),
	    "5d");
	assert_string_equal(status_format_age(-3, buf, sizeof buf), "0s");
}

/* The status script is embedded and renders with its run-time values
 * quoted. */
static void
test_script(void **state)
{
	struct render_var vars[] = {
		{ "KW_STATUS_DASHBOARD_URL", "https://172.31.0.2:30443/" },
		{ "KW_STATUS_KUBECONFIG_B64", "" },
	};
	struct cluster *c;
	char *s;
	size_t len;

	(void)state;
	assert_non_null(render_stage_source("status"));
	c = make_cluster();
	s = render_named_script(c, 0, "status", vars, 2, &len);
	assert_non_null(strstr(s, "KW_STATUS_DASHBOARD_URL="
	    "'https://172.31.0.2:30443/'"));
	assert_non_null(strstr(s, render_stage_source("status")));
	xfree_secret(s);
	/* Read-only: the query changes nothing on the cluster. */
	s = xstrdup(render_stage_source("status"));
	assert_non_null(strstr(s, "kubectl"));
	assert_null(strstr(s, "kubeadm reset"));
	assert_null(strstr(s, " delete "));
	assert_null(strstr(s, " apply "));
	assert_null(strstr(s, " drain "));
	assert_null(strstr(s, "rm -rf /"));
	free(s);
	cluster_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_problem_pods),
		cmocka_unit_test(test_certs),
		cmocka_unit_test(test_nodes),
		cmocka_unit_test(test_api_and_dashboard),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
