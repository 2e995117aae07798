/* fuzz_markers.c: libFuzzer harness for the "::kubewiz::" line parser. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markers.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Stop the run on a broken invariant, so libFuzzer keeps the input. */
static void
fuzz_check(int ok)
{
	if (!ok)
		abort();
}

/* Parse n bytes as one line and check what the header promises. */
static void
fuzz_parse_line(const char *line, size_t n)
{
	struct marker		m;
	enum marker_kind	kind;
	char			*text;
	size_t			 i;

	memset(&m, 0xa5, sizeof m);
	kind = marker_parse(line, n, &m);
	fuzz_check(kind == m.kind);
	switch (kind) {
	case MARKER_NONE:
		fuzz_check(n < sizeof MARKER_PREFIX - 2 ||
		    memcmp(line, MARKER_PREFIX, sizeof MARKER_PREFIX - 2) != 0);
		/* FALLTHROUGH */
	case MARKER_INVALID:
		fuzz_check(m.key == NULL && m.value == NULL);
		fuzz_check(m.args == NULL && m.nargs == 0 && !m.templated);
		break;
	case MARKER_STEP:
	case MARKER_SKIP:
	case MARKER_WARN:
	case MARKER_ERROR:
	case MARKER_LOG:
		fuzz_check(m.key == NULL && m.value != NULL);
		fuzz_check(*m.value != '\0' && strlen(m.value) < n);
		fuzz_check(memchr(m.value, '\n', strlen(m.value)) == NULL);
		/* A template's arguments: at most nine, no tab, no newline;
		 * the text a user sees stays bounded. */
		fuzz_check((kind != MARKER_ERROR && kind != MARKER_LOG) ||
		    m.templated);
		fuzz_check(m.nargs <= MARKER_MAX_ARGS);
		fuzz_check((m.nargs == 0) == (m.args == NULL));
		fuzz_check(m.nargs == 0 || m.templated);
		if (m.templated)
			fuzz_check(strchr(m.value, '\t') == NULL);
		for (i = 0; i < m.nargs; i++) {
			fuzz_check(strchr(m.args[i], '\t') == NULL);
			fuzz_check(strchr(m.args[i], '\n') == NULL);
		}
		text = marker_text(&m);
		fuzz_check(strlen(text) <= MARKER_MAX_LEN);
		fuzz_check(strchr(text, '\n') == NULL);
		free(text);
		break;
	case MARKER_FACT:
	case MARKER_OUTPUT:
		fuzz_check(m.key != NULL && m.value != NULL);
		fuzz_check(*m.key != '\0' && strchr(m.key, '=') == NULL);
		fuzz_check(strlen(m.key) + strlen(m.value) < n);
		fuzz_check(memchr(m.value, '\n', strlen(m.value)) == NULL);
		break;
	default:
		fuzz_check(0);
	}
	marker_clear(&m);
	fuzz_check(m.kind == MARKER_NONE && m.key == NULL && m.value == NULL);
	fuzz_check(m.args == NULL && m.nargs == 0 && !m.templated);
}

/* Entry point: the whole input as one line, then each of its lines, as the
 * engine splits a script's stdout. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size, *nl;
	char		*copy;

	/* An exact-size heap copy, so reads past the end are caught. */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	fuzz_parse_line(copy, size);
	free(copy);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		fuzz_parse_line(p, (size_t)(nl - p));
		p = nl + 1;
	}
	return 0;
}
