/* fuzz_facts.c: libFuzzer harness for what kubewiz makes of the facts a
 * node reports in its connect stage ("::kubewiz:: fact KEY=VALUE" lines:
 * MACs, product_uuid, CPU and memory counts, networks, cgroup version),
 * through the cross-node checks of preflight. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crosscheck.h"
#include "diag.h"
#include "markers.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The cluster the facts are checked against: three nodes. */
static const char fuzz_cluster_yaml[] =
    "name: fuzz\n"
    "kubernetes: {version: \"1.36.2\", podSubnet: 192.168.0.0/16, "
    "serviceSubnet: 10.96.0.0/16}\n"
    "ssh: {user: root}\n"
    "nodes:\n"
    "  - {name: cp, address: 10.0.0.1, role: control-plane}\n"
    "  - {name: w1, address: 10.0.0.2, role: worker}\n"
    "  - {name: w2, address: 10.0.0.3, role: worker}\n";

#define FUZZ_NODES 3

/* Stop the run on a broken invariant, so libFuzzer keeps the input. */
static void
fuzz_check(int ok)
{
	if (!ok)
		abort();
}

/* Entry point: each line is a node digit then a marker line; fact lines
 * set that node's facts; then every node is cross-checked. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cluster *c;
	struct node_facts facts[FUZZ_NODES];
	struct diag_list d;
	struct marker m;
	const char *p = (const char *)data, *end = p + size, *nl;
	size_t i, errors, nerr;
	char *line;

	if (c == NULL) {
		diag_init(&d);
		c = config_load_buffer(fuzz_cluster_yaml,
		    sizeof fuzz_cluster_yaml - 1, "fuzz.yaml", &d);
		diag_clear(&d);
		fuzz_check(c != NULL && c->nnodes == FUZZ_NODES);
	}
	memset(facts, 0, sizeof facts);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p >= 1) {
			i = (unsigned char)p[0] % FUZZ_NODES;
			/* An exact-size copy, so overreads are caught. */
			line = malloc((size_t)(nl - p - 1) + 1);
			if (line == NULL)
				break;
			memcpy(line, p + 1, (size_t)(nl - p - 1));
			if (marker_parse(line, (size_t)(nl - p - 1), &m) ==
			    MARKER_FACT)
				node_facts_set(&facts[i], m.key, m.value);
			marker_clear(&m);
			free(line);
		}
		p = nl + 1;
	}
	for (i = 0; i < FUZZ_NODES; i++) {
		diag_init(&d);
		errors = crosscheck_node(c, facts, i, &d);
		for (nerr = 0; nerr < d.n; nerr++)
			fuzz_check(d.items[nerr].msg != NULL);
		fuzz_check(errors <= d.n);
		diag_clear(&d);
	}
	for (i = 0; i < FUZZ_NODES; i++)
		node_facts_clear(&facts[i]);
	return 0;
}
