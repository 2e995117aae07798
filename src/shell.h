/* shell.h: POSIX shell quoting and the variable preamble of stage scripts. */
#ifndef KW_SHELL_H
#define KW_SHELL_H

#include <stddef.h>

/* A growable byte buffer; data is always NUL-terminated. Owns data.
 * After buf_free or buf_take, data is NULL until the next append (any
 * append works on that state; so does buf_init again). */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/* Initialise an empty buffer. */
void buf_init(struct buf *);
/* Free the buffer's memory and reset it. */
void buf_free(struct buf *);
/* Append n bytes. */
void buf_add(struct buf *, const void *, size_t n);
/* Append a NUL-terminated string. */
void buf_adds(struct buf *, const char *);
/* Append formatted text. */
void buf_printf(struct buf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Give the data to the caller (who frees it) and reset the buffer. */
char *buf_take(struct buf *);

/* Append s (n bytes, any content but NUL, which no shell can take: that
 * aborts) quoted for POSIX sh: single quotes, with each ' written as '\''.
 * The empty string becomes ''. */
void shell_quote_buf(struct buf *, const char *s, size_t n);
/* Return s quoted for POSIX sh. Caller frees. */
char *shell_quote(const char *s);
/* Whether name is a valid shell variable name ([A-Za-z_][A-Za-z0-9_]*). */
int shell_is_name(const char *name);
/* Append "NAME='value'\n" to a preamble; aborts on an invalid name. A NULL
 * value is the empty string. */
void shell_assign(struct buf *, const char *name, const char *value);

#endif
