/* markers.h: the "::kubewiz::" lines stage scripts print on stdout.
 *
 *   ::kubewiz:: step TEXT          a sub-step begins
 *   ::kubewiz:: skip REASON        the stage (or sub-step) is already done
 *   ::kubewiz:: fact KEY=VALUE     something learnt about the node
 *   ::kubewiz:: output KEY=VALUE   a result the engine keeps (KEY [A-Z0-9_]+;
 *                                  keys starting SECRET_ are secrets: kept
 *                                  only in secrets.yaml, masked in logs)
 *   ::kubewiz:: warn TEXT          a warning for the final summary
 *
 * Every other line is ordinary log output. A line that starts with
 * "::kubewiz::" but breaks these rules is MARKER_INVALID: a bad verb or key,
 * a missing text or "=", a NUL or other control byte (tab is allowed),
 * text that is not valid UTF-8, or more than MARKER_MAX_LEN bytes. One
 * trailing CR (from a terminal) is ignored. Values may be empty. */
#ifndef KW_MARKERS_H
#define KW_MARKERS_H

#include <stddef.h>

#define MARKER_PREFIX "::kubewiz:: "
/* Longest marker line accepted (an admin.conf in base64 fits easily). */
#define MARKER_MAX_LEN (256 * 1024)

enum marker_kind {
	MARKER_NONE,		/* an ordinary log line */
	MARKER_STEP,
	MARKER_SKIP,
	MARKER_FACT,
	MARKER_OUTPUT,
	MARKER_WARN,
	MARKER_INVALID,		/* starts with the prefix but is malformed */
};

/* A parsed line. For STEP, SKIP and WARN the text is in value and key is
 * NULL. Strings are owned; release with marker_clear. */
struct marker {
	enum marker_kind	 kind;
	char			*key;
	char			*value;
};

/* Parse one line (len bytes, no newline, any bytes). Fills m and returns
 * its kind; for MARKER_NONE and MARKER_INVALID, key and value are NULL. */
enum marker_kind marker_parse(const char *line, size_t len, struct marker *m);
/* Free the strings of a parsed marker (wiping SECRET_ values). */
void marker_clear(struct marker *);
/* Whether an output key names a secret (starts with "SECRET_"). */
int marker_key_is_secret(const char *key);

#endif
