/* fuzz_config.c: libFuzzer harness for the config reader: any bytes may be
 * refused but never crash it, and whatever loads must save and load back
 * to an equal cluster. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Load one input; check the round trip of what loads. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list	 d;
	struct cluster		*a = NULL, *b = NULL;
	char			*yaml = NULL, *cause = NULL;

	diag_init(&d);
	a = config_load_buffer((const char *)data, size, "fuzz", &d);
	if (a == NULL) {
		if (diag_errors(&d) == 0)
			fatalx("fuzz: load refused without an error");
		goto out;
	}
	yaml = config_to_yaml(a, &cause);
	if (yaml == NULL)
		fatalx("fuzz: a loaded config does not serialise: %s", cause);
	b = config_load_buffer(yaml, strlen(yaml), "saved", &d);
	if (b == NULL || !cluster_equal(a, b)) {
		fprintf(stderr, "%s", yaml);
		fatalx("fuzz: the saved config does not load back equal");
	}
out:
	cluster_free(a);
	cluster_free(b);
	free(yaml);
	free(cause);
	diag_clear(&d);
	return 0;
}
