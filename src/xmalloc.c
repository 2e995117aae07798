/* xmalloc.c: allocation that never returns NULL, and small string helpers. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void (*fatal_hook)(void);

/* Print a fatal message and abort. */
void
fatalx(const char *fmt, ...)
{
	va_list ap;

	if (fatal_hook != NULL)
		fatal_hook();
	fputs("kubewiz: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Allocate size bytes or abort. */
void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatalx("xmalloc: out of memory allocating %zu bytes", size);
	return p;
}

/* Allocate n zeroed elements or abort. */
void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if ((p = calloc(n, size)) == NULL)
		fatalx("xcalloc: out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

/* Resize an array or abort. */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (n == 0 || size == 0)
		fatalx("xreallocarray: zero size");
	if (SIZE_MAX / n < size)
		fatalx("xreallocarray: %zu x %zu overflows", n, size);
	if ((q = realloc(p, n * size)) == NULL)
		fatalx("xreallocarray: out of memory allocating %zu x %zu bytes", n, size);
	return q;
}

/* Duplicate a string or abort. */
char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fatalx("xstrdup: out of memory");
	return p;
}

/* Duplicate at most n bytes of a string or abort. */
char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if ((p = strndup(s, n)) == NULL)
		fatalx("xstrndup: out of memory");
	return p;
}

/* Format into a new string from a va_list or abort. */
char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		fatalx("xvasprintf: out of memory");
	return s;
}

/* Format into a new string or abort. */
char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* Overwrite memory in a way the optimiser keeps. */
void
xwipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
#if defined(HAVE_EXPLICIT_BZERO)
	explicit_bzero(p, n);
#else
	volatile unsigned char *v = p;
	while (n-- > 0)
		*v++ = 0;
#endif
}

/* Wipe and free a secret string. */
void
xfree_secret(char *s)
{
	if (s == NULL)
		return;
	xwipe(s, strlen(s));
	free(s);
}
