/* diag.h: a list of diagnostics (errors and warnings) about a config. */
#ifndef KW_DIAG_H
#define KW_DIAG_H

#include <stddef.h>

#include "xmalloc.h"

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
};

/* One message about one field. path is the field in dotted form with
 * indexes ("nodes[1].address"); line and column are 1-based positions in
 * the source file, or 0 when the value did not come from a file. */
struct diag {
	enum diag_level	 level;
	char		*path;
	char		*msg;
	int		 line;
	int		 column;
};

/* A growable list of diagnostics; owns its entries. */
struct diag_list {
	struct diag	*items;
	size_t		 n;
	size_t		 cap;
};

/* Initialise an empty list. */
void diag_init(struct diag_list *);
/* Free every entry and reset the list. */
void diag_clear(struct diag_list *);
/* Append a message for field path (may be NULL) at line:column (0 if unknown). */
void diag_add(struct diag_list *, enum diag_level, const char *path, int line,
    int column, const char *fmt, ...) KW_PRINTF(6, 7);
/* Number of errors (not warnings) in the list. */
size_t diag_errors(const struct diag_list *);
/* Format one entry as "FILE:LINE:COL: error: PATH: MSG" (parts omitted when
 * unknown). Caller frees. */
char *diag_format(const struct diag *, const char *file);
/* Sort entries by line and column, unpositioned ones last, keeping order. */
void diag_sort(struct diag_list *);

#endif
