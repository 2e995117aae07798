/* linesplit.c: cut a byte stream into lines for a transport_line_cb. */
#include "kwconfig.h"

#include <stdlib.h>
#include <string.h>

#include "linesplit.h"
#include "xmalloc.h"

/* Start a splitter delivering to cb. */
void
linesplit_init(struct linesplit *ls, enum transport_stream stream, size_t max,
    transport_line_cb cb, void *arg)
{
	memset(ls, 0, sizeof *ls);
	ls->stream = stream;
	ls->max = max != 0 ? max : LINESPLIT_MAX;
	ls->cb = cb;
	ls->arg = arg;
}

/* Hand one piece to the callback. */
static void
linesplit_emit(struct linesplit *ls, const char *p, size_t n)
{
	ls->lines++;
	if (ls->cb != NULL)
		ls->cb(ls->arg, ls->stream, p, n);
}

/* Append to the unfinished line, delivering full pieces of max bytes. */
static void
linesplit_hold(struct linesplit *ls, const char *p, size_t n)
{
	size_t	take;

	while (n > 0) {
		take = ls->max - ls->len;
		if (take > n)
			take = n;
		if (ls->len + take > ls->cap) {
			ls->cap = ls->len + take;
			if (ls->cap < 4096)
				ls->cap = 4096;
			ls->buf = xreallocarray(ls->buf, 1, ls->cap);
		}
		memcpy(ls->buf + ls->len, p, take);
		ls->len += take;
		p += take;
		n -= take;
		if (ls->len == ls->max) {
			linesplit_emit(ls, ls->buf, ls->len);
			ls->len = 0;
			ls->partial = 1;
		}
	}
}

/* Feed bytes; every complete line goes to the callback. */
void
linesplit_feed(struct linesplit *ls, const char *data, size_t len)
{
	const char	*nl;
	size_t		 n;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		if (nl == NULL) {
			linesplit_hold(ls, data, len);
			return;
		}
		n = nl - data;
		if (ls->len == 0 && !ls->partial && n <= ls->max) {
			/* The whole line is here: no copy. */
			linesplit_emit(ls, data, n);
		} else {
			linesplit_hold(ls, data, n);
			/* A line of k * max bytes was sent in k pieces. */
			if (ls->len != 0 || !ls->partial)
				linesplit_emit(ls, ls->buf, ls->len);
			ls->len = 0;
			ls->partial = 0;
		}
		data = nl + 1;
		len -= n + 1;
	}
}

/* Deliver the final unterminated line, if any. */
void
linesplit_finish(struct linesplit *ls)
{
	if (ls->len != 0)
		linesplit_emit(ls, ls->buf, ls->len);
	ls->len = 0;
	ls->partial = 0;
}

/* Wipe and free the buffer. */
void
linesplit_free(struct linesplit *ls)
{
	if (ls->buf != NULL) {
		xwipe(ls->buf, ls->cap);
		free(ls->buf);
	}
	ls->buf = NULL;
	ls->len = ls->cap = 0;
}
