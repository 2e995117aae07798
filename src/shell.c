/* shell.c: a growable buffer, POSIX shell quoting and preamble assignments. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "xmalloc.h"

/* First allocation of a buffer. */
#define BUF_INITIAL 64

/* Initialise an empty buffer holding "". */
void
buf_init(struct buf *b)
{
	b->cap = BUF_INITIAL;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
	b->len = 0;
}

/* Free the buffer's memory; it is empty (data NULL) until the next add. */
void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

/* Make room for n more bytes plus the terminating NUL. */
static void
buf_grow(struct buf *b, size_t n)
{
	size_t	need, cap;

	if (n > SIZE_MAX - b->len - 1)
		fatalx("buf_grow: %zu + %zu bytes overflows", b->len, n);
	need = b->len + n + 1;
	if (need <= b->cap && b->data != NULL)
		return;
	cap = b->cap < BUF_INITIAL ? BUF_INITIAL : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
}

/* Append n bytes. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a NUL-terminated string. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append formatted text. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("buf_printf: bad format");

	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Give the data to the caller and leave the buffer empty (data NULL). */
char *
buf_take(struct buf *b)
{
	char	*s;

	s = b->data != NULL ? b->data : xstrdup("");
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return s;
}

/* Append n bytes of s quoted for POSIX sh. Inside single quotes every byte
 * but ' is literal; ' becomes '\'' (close, escaped quote, reopen). A NUL
 * cannot be passed to a shell at all, so it is a caller bug. */
void
shell_quote_buf(struct buf *b, const char *s, size_t n)
{
	const char	*p, *end = s + n, *q;

	if (n > 0 && memchr(s, '\0', n) != NULL)
		fatalx("shell_quote_buf: NUL byte in a value");
	buf_grow(b, n + 2);
	buf_add(b, "'", 1);
	for (p = s; p < end; p = q + 1) {
		q = memchr(p, '\'', (size_t)(end - p));
		if (q == NULL) {
			buf_add(b, p, (size_t)(end - p));
			break;
		}
		buf_add(b, p, (size_t)(q - p));
		buf_add(b, "'\\''", 4);
	}
	buf_add(b, "'", 1);
}

/* Return s quoted for POSIX sh. Caller frees. */
char *
shell_quote(const char *s)
{
	struct buf	b;

	buf_init(&b);
	shell_quote_buf(&b, s, strlen(s));
	return buf_take(&b);
}

/* Whether name is a valid shell variable name. */
int
shell_is_name(const char *name)
{
	const char	*p;

	if (name == NULL || *name == '\0')
		return 0;
	if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') ||
	    *name == '_'))
		return 0;
	for (p = name + 1; *p != '\0'; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	}
	return 1;
}

/* Append "NAME='value'\n"; a NULL value is the empty string. */
void
shell_assign(struct buf *b, const char *name, const char *value)
{
	if (!shell_is_name(name))
		fatalx("shell_assign: invalid variable name");
	if (value == NULL)
		value = "";
	buf_adds(b, name);
	buf_add(b, "=", 1);
	shell_quote_buf(b, value, strlen(value));
	buf_add(b, "\n", 1);
}
