/* linesplit.h: cut a byte stream into lines for a transport_line_cb. */
#ifndef KW_LINESPLIT_H
#define KW_LINESPLIT_H

#include <stddef.h>

#include "transport.h"

/* Lines longer than this are delivered in pieces of this size. */
#define LINESPLIT_MAX (1024 * 1024)

/* A splitter for one stream. Owns buf. */
struct linesplit {
	enum transport_stream	 stream;
	size_t			 max;	/* longest piece delivered */
	transport_line_cb	 cb;
	void			*arg;
	char			*buf;	/* the unfinished line */
	size_t			 len;
	size_t			 cap;
	int			 partial; /* part of this line was sent */
	unsigned long long	 lines;	/* pieces delivered so far */
};

/* Start a splitter delivering to cb; max 0 means LINESPLIT_MAX. */
void	linesplit_init(struct linesplit *, enum transport_stream, size_t max,
	    transport_line_cb cb, void *arg);
/* Feed bytes; every complete line (without its \n) goes to cb. */
void	linesplit_feed(struct linesplit *, const char *data, size_t len);
/* Deliver a final unterminated line, if any. */
void	linesplit_finish(struct linesplit *);
/* Free the buffer (it may hold secrets: it is wiped). */
void	linesplit_free(struct linesplit *);

#endif
