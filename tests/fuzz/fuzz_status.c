/* fuzz_status.c: libFuzzer harness for the parsers of node output beyond
 * the markers: the rows of status.sh (kubectl -o jsonpath and kubeadm
 * certs output, status_parse), the times and residuals in them, and the
 * cutting of a byte stream into lines (linesplit). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linesplit.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Stop the run on a broken invariant, so libFuzzer keeps the input. */
static void
fuzz_check(int ok)
{
	if (!ok)
		abort();
}

/* What the line callback saw. */
struct fuzz_lines {
	size_t	bytes;
	size_t	max;
};

/* linesplit callback: count bytes; no piece is longer than max nor holds
 * a newline. */
static void
fuzz_line(void *arg, enum transport_stream s, const char *line, size_t len)
{
	struct fuzz_lines *fl = arg;

	(void)s;
	fuzz_check(len <= fl->max);
	fuzz_check(len == 0 || memchr(line, '\n', len) == NULL);
	fl->bytes += len;
}

/* Feed data to a splitter in pieces whose sizes come from the data, with
 * a small maximum line length; every byte but the newlines comes out. */
static void
fuzz_linesplit(const char *p, size_t n)
{
	struct linesplit ls;
	struct fuzz_lines fl = { 0, 7 };
	size_t off = 0, step, nl = 0, i;

	for (i = 0; i < n; i++)
		nl += p[i] == '\n';
	linesplit_init(&ls, TRANSPORT_STDOUT, fl.max, fuzz_line, &fl);
	while (off < n) {
		step = 1 + (unsigned char)p[off] % 13;
		if (step > n - off)
			step = n - off;
		linesplit_feed(&ls, p + off, step);
		off += step;
	}
	linesplit_finish(&ls);
	linesplit_free(&ls);
	fuzz_check(fl.bytes == n - nl);
}

/* Entry point: the input as the whole output of status.sh, then each of
 * its lines as a time and a residual; then through the line splitter. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct status_report *r;
	enum status_level level;
	char *copy, *s, buf[32];
	time_t t;
	long days;

	/* An exact-size heap copy, so reads past the end are caught. */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	r = status_report_new("fuzz");
	status_parse(r, copy, size);
	status_finish(r, NULL);
	level = status_level(r);
	fuzz_check(level >= STATUS_OK && level <= STATUS_BAD);
	fuzz_check(r->nnodes == 0 || r->nodes != NULL);
	fuzz_check(r->npods == 0 || r->pods != NULL);
	status_report_free(r);
	fuzz_linesplit(copy, size);
	free(copy);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		s = strndup(p, (size_t)(nl - p));
		if (s != NULL) {
			(void)status_parse_time(s, &t);
			(void)status_parse_residual(s, &days);
			free(s);
		}
		p = nl + 1;
	}
	status_format_age((long)size * 3607, buf, sizeof buf);
	fuzz_check(strlen(buf) < sizeof buf);
	return 0;
}
