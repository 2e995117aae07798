/* diag.c: a list of diagnostics (errors and warnings) about a config. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "i18n.h"
#include "shell.h"

/* Initialise an empty list. */
void
diag_init(struct diag_list *dl)
{
	dl->items = NULL;
	dl->n = 0;
	dl->cap = 0;
}

/* Free every entry and reset the list. */
void
diag_clear(struct diag_list *dl)
{
	size_t	i;

	for (i = 0; i < dl->n; i++) {
		free(dl->items[i].path);
		free(dl->items[i].msg);
	}
	free(dl->items);
	diag_init(dl);
}

/* Append a formatted message for field path at line:column. */
void
diag_add(struct diag_list *dl, enum diag_level level, const char *path,
    int line, int column, const char *fmt, ...)
{
	struct diag	*d;
	va_list		 ap;

	if (dl->n == dl->cap) {
		dl->cap = dl->cap == 0 ? 8 : dl->cap * 2;
		dl->items = xreallocarray(dl->items, dl->cap, sizeof *dl->items);
	}
	d = &dl->items[dl->n++];
	d->level = level;
	d->path = path != NULL ? xstrdup(path) : NULL;
	d->line = line > 0 ? line : 0;
	d->column = line > 0 && column > 0 ? column : 0;
	va_start(ap, fmt);
	d->msg = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Number of errors (not warnings) in the list. */
size_t
diag_errors(const struct diag_list *dl)
{
	size_t	i, n = 0;

	for (i = 0; i < dl->n; i++) {
		if (dl->items[i].level == DIAG_ERROR)
			n++;
	}
	return n;
}

/* Format one entry as "FILE:LINE:COL: error: PATH: MSG", leaving out the
 * parts that are unknown. Caller frees. */
char *
diag_format(const struct diag *d, const char *file)
{
	struct buf	b;
	int		placed = 0;

	buf_init(&b);
	if (file != NULL && *file != '\0') {
		buf_adds(&b, file);
		placed = 1;
	}
	if (d->line > 0) {
		buf_printf(&b, "%s%d", placed ? ":" : "", d->line);
		if (d->column > 0)
			buf_printf(&b, ":%d", d->column);
		placed = 1;
	}
	if (placed)
		buf_adds(&b, ": ");
	buf_adds(&b, d->level == DIAG_ERROR ? _("error") : _("warning"));
	buf_adds(&b, ": ");
	if (d->path != NULL && *d->path != '\0')
		buf_printf(&b, "%s: ", d->path);
	buf_adds(&b, d->msg != NULL ? d->msg : "");
	return buf_take(&b);
}

/* Whether a sorts strictly before b: by line then column, unpositioned
 * entries (line 0) after all positioned ones. */
static int
diag_before(const struct diag *a, const struct diag *b)
{
	if (a->line == 0 || b->line == 0)
		return a->line != 0 && b->line == 0;
	if (a->line != b->line)
		return a->line < b->line;
	return a->column < b->column;
}

/* Sort entries by position, keeping the order of equal ones (merge sort). */
void
diag_sort(struct diag_list *dl)
{
	struct diag	*tmp = NULL, *src, *dst, *swap;
	size_t		 width, lo, mid, hi, i, j, k;

	if (dl->n < 2)
		return;
	tmp = xreallocarray(NULL, dl->n, sizeof *tmp);
	src = dl->items;
	dst = tmp;
	for (width = 1; width < dl->n; width *= 2) {
		for (lo = 0; lo < dl->n; lo += 2 * width) {
			mid = lo + width < dl->n ? lo + width : dl->n;
			hi = lo + 2 * width < dl->n ? lo + 2 * width : dl->n;
			i = lo;
			j = mid;
			k = lo;
			/* Take from the right run only when strictly before. */
			while (i < mid && j < hi) {
				if (diag_before(&src[j], &src[i]))
					dst[k++] = src[j++];
				else
					dst[k++] = src[i++];
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != dl->items)
		memcpy(dl->items, src, dl->n * sizeof *dl->items);
	free(tmp);
}
