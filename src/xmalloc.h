/* xmalloc.h: allocation that never returns NULL, and small string helpers. */
#ifndef KW_XMALLOC_H
#define KW_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define KW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define KW_NORETURN __attribute__((noreturn))

/* Allocate size bytes (size 0 is a bug); aborts on exhaustion. Caller frees. */
void *xmalloc(size_t size);
/* Allocate n zeroed elements of size bytes; aborts on overflow or exhaustion. */
void *xcalloc(size_t n, size_t size);
/* Resize p to n * size bytes, checking the multiplication. */
void *xreallocarray(void *p, size_t n, size_t size);
/* Duplicate a NUL-terminated string. Caller frees. */
char *xstrdup(const char *s);
/* Duplicate at most n bytes of s, NUL-terminated. Caller frees. */
char *xstrndup(const char *s, size_t n);
/* Format into a new string. Caller frees. */
char *xasprintf(const char *fmt, ...) KW_PRINTF(1, 2);
/* Format into a new string from a va_list. Caller frees. */
char *xvasprintf(const char *fmt, va_list ap) KW_PRINTF(1, 0);
/* Print "kubewiz: fatal: ..." and abort: for broken invariants only. */
void fatalx(const char *fmt, ...) KW_PRINTF(1, 2) KW_NORETURN;
/* Overwrite n bytes at p in a way the compiler may not remove (secrets). */
void xwipe(void *p, size_t n);
/* Wipe and free a NUL-terminated secret; NULL is allowed. */
void xfree_secret(char *s);

/* Hook run by fatalx before it prints (the TUI restores the terminal). */
extern void (*fatal_hook)(void);

#endif
