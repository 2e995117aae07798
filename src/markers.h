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
 * The same with a template and its arguments, so texts with values in them
 * can be translated (the template is the catalogue's msgid):
 *
 *   ::kubewiz:: stepf TEMPLATE[<TAB>ARG]...
 *   ::kubewiz:: skipf TEMPLATE[<TAB>ARG]...
 *   ::kubewiz:: warnf TEMPLATE[<TAB>ARG]...
 *   ::kubewiz:: logf TEMPLATE[<TAB>ARG]...    a log line of the script's own
 *   ::kubewiz:: error TEMPLATE[<TAB>ARG]...   why the stage fails (kw_die)
 *
 * A template holds "{1}" to "{9}" where its arguments go (a translation may
 * reorder them); at most MARKER_MAX_ARGS arguments, which may be empty but
 * hold no tab. stepf, skipf and warnf parse as MARKER_STEP, MARKER_SKIP and
 * MARKER_WARN with templated set; error is MARKER_ERROR, logf MARKER_LOG.
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
/* Most arguments a template marker carries ({1} to {9}). */
#define MARKER_MAX_ARGS 9

enum marker_kind {
	MARKER_NONE,		/* an ordinary log line */
	MARKER_STEP,
	MARKER_SKIP,
	MARKER_FACT,
	MARKER_OUTPUT,
	MARKER_WARN,
	MARKER_INVALID,		/* starts with the prefix but is malformed */
	MARKER_ERROR,		/* a template: why the stage fails */
	MARKER_LOG,		/* a template: a log line to translate */
};

/* A parsed line. For STEP, SKIP, WARN, ERROR and LOG the text (or template) is
 * in value and key is NULL; a template's arguments are in args. Strings are
 * owned; release with marker_clear. */
struct marker {
	enum marker_kind	 kind;
	char			*key;
	char			*value;
	int			 templated;	/* value is a template */
	char			**args;		/* nargs strings, or NULL */
	size_t			 nargs;
};

/* Parse one line (len bytes, no newline, any bytes). Fills m and returns
 * its kind; for MARKER_NONE and MARKER_INVALID, key and value are NULL. */
enum marker_kind marker_parse(const char *line, size_t len, struct marker *m);
/* Free the strings of a parsed marker (wiping SECRET_ values). */
void marker_clear(struct marker *);
/* Whether an output key names a secret (starts with "SECRET_"). */
int marker_key_is_secret(const char *key);
/* The text a user sees for a STEP, SKIP, WARN, ERROR or LOG marker: the text
 * (or template) translated with gettext, then the arguments put in place of
 * "{1}"... Caller frees. */
char *marker_text(const struct marker *);
/* Put args in place of "{1}" to "{9}" in tmpl, in one pass: arguments are
 * never read as templates or formats; a placeholder without an argument
 * stays as it is. The result is at most MARKER_MAX_LEN bytes (cut before
 * a whole UTF-8 character). Caller frees. */
char *marker_format(const char *tmpl, char *const *args, size_t nargs);

#endif
