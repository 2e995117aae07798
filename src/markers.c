/* markers.c: parsing of the "::kubewiz::" lines stage scripts print. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "markers.h"
#include "xmalloc.h"

/* The prefix without its trailing space: a line starting with this is
 * meant as a marker, so it is either valid or MARKER_INVALID. */
#define MARKER_STEM "::kubewiz::"
#define MARKER_STEM_LEN (sizeof MARKER_STEM - 1)

/* The verbs and what they mean. */
static const struct {
	const char		*verb;
	enum marker_kind	 kind;
} marker_verbs[] = {
	{ "step", MARKER_STEP },
	{ "skip", MARKER_SKIP },
	{ "fact", MARKER_FACT },
	{ "output", MARKER_OUTPUT },
	{ "warn", MARKER_WARN },
};

/* Whether n bytes of s are valid UTF-8 without control characters (C0
 * except tab, DEL, C1), overlong forms, surrogates or code points past
 * U+10FFFF. */
static int
marker_text_ok(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, more, k;
	unsigned long		 cp, min;

	while (i < n) {
		cp = p[i];
		if (cp < 0x80) {
			if ((cp < 0x20 && cp != '\t') || cp == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (cp >= 0xc2 && cp <= 0xdf) {
			more = 1;
			cp &= 0x1f;
			min = 0x80;
		} else if (cp >= 0xe0 && cp <= 0xef) {
			more = 2;
			cp &= 0x0f;
			min = 0x800;
		} else if (cp >= 0xf0 && cp <= 0xf4) {
			more = 3;
			cp &= 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i - 1 < more)
			return 0;
		for (k = 1; k <= more; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if (cp >= 0x80 && cp <= 0x9f)
			return 0;
		i += more + 1;
	}
	return 1;
}

/* Whether n bytes of s are a key: [A-Za-z0-9_.-]+ for facts, [A-Z0-9_]+ for
 * outputs. */
static int
marker_key_ok(enum marker_kind kind, const char *s, size_t n)
{
	size_t	i;
	char	c;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
			continue;
		if (kind == MARKER_FACT &&
		    ((c >= 'a' && c <= 'z') || c == '.' || c == '-'))
			continue;
		return 0;
	}
	return 1;
}

/* Whether n bytes of s hold something besides spaces and tabs. */
static int
marker_has_text(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return 1;
	}
	return 0;
}

/* Parse one line of stage output into m. */
enum marker_kind
marker_parse(const char *line, size_t len, struct marker *m)
{
	enum marker_kind	 kind = MARKER_INVALID;
	const char		*p, *end, *sp, *eq;
	size_t			 i, vlen;

	m->kind = MARKER_NONE;
	m->key = NULL;
	m->value = NULL;
	if (line == NULL || len < MARKER_STEM_LEN ||
	    memcmp(line, MARKER_STEM, MARKER_STEM_LEN) != 0)
		return MARKER_NONE;

	m->kind = MARKER_INVALID;
	if (line[len - 1] == '\r')
		len--;
	if (len > MARKER_MAX_LEN || len == MARKER_STEM_LEN ||
	    line[MARKER_STEM_LEN] != ' ')
		return MARKER_INVALID;
	if (!marker_text_ok(line, len))
		return MARKER_INVALID;

	p = line + MARKER_STEM_LEN + 1;
	end = line + len;
	sp = memchr(p, ' ', (size_t)(end - p));
	if (sp == NULL)
		return MARKER_INVALID;	/* a verb alone, or nothing */
	vlen = (size_t)(sp - p);
	for (i = 0; i < sizeof marker_verbs / sizeof marker_verbs[0]; i++) {
		if (strlen(marker_verbs[i].verb) == vlen &&
		    memcmp(marker_verbs[i].verb, p, vlen) == 0) {
			kind = marker_verbs[i].kind;
			break;
		}
	}
	p = sp + 1;

	switch (kind) {
	case MARKER_STEP:
	case MARKER_SKIP:
	case MARKER_WARN:
		if (!marker_has_text(p, (size_t)(end - p)))
			return MARKER_INVALID;
		m->value = xstrndup(p, (size_t)(end - p));
		break;
	case MARKER_FACT:
	case MARKER_OUTPUT:
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL || !marker_key_ok(kind, p, (size_t)(eq - p)))
			return MARKER_INVALID;
		m->key = xstrndup(p, (size_t)(eq - p));
		m->value = xstrndup(eq + 1, (size_t)(end - eq - 1));
		break;
	default:
		return MARKER_INVALID;	/* unknown verb */
	}
	m->kind = kind;
	return kind;
}

/* Free the strings of a parsed marker, wiping secret values first. */
void
marker_clear(struct marker *m)
{
	if (m->key != NULL && marker_key_is_secret(m->key))
		xfree_secret(m->value);
	else
		free(m->value);
	free(m->key);
	m->kind = MARKER_NONE;
	m->key = NULL;
	m->value = NULL;
}

/* Whether an output key names a secret (starts with "SECRET_"). */
int
marker_key_is_secret(const char *key)
{
	return key != NULL && strncmp(key, "SECRET_", 7) == 0;
}
