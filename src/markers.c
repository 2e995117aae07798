/* markers.c: parsing of the "::kubewiz::" lines stage scripts print. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "markers.h"
#include "xmalloc.h"

/* The prefix without its trailing space: a line starting with this is
 * meant as a marker, so it is either valid or MARKER_INVALID. */
#define MARKER_STEM "::kubewiz::"
#define MARKER_STEM_LEN (sizeof MARKER_STEM - 1)

/* The verbs and what they mean; templated verbs carry arguments. */
static const struct {
	const char		*verb;
	enum marker_kind	 kind;
	int			 templated;
} marker_verbs[] = {
	{ "step", MARKER_STEP, 0 },
	{ "skip", MARKER_SKIP, 0 },
	{ "fact", MARKER_FACT, 0 },
	{ "output", MARKER_OUTPUT, 0 },
	{ "warn", MARKER_WARN, 0 },
	{ "stepf", MARKER_STEP, 1 },
	{ "skipf", MARKER_SKIP, 1 },
	{ "warnf", MARKER_WARN, 1 },
	{ "error", MARKER_ERROR, 1 },
	{ "logf", MARKER_LOG, 1 },
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

/* Split "TEMPLATE<TAB>ARG..." (n bytes at p) into m's value and args.
 * Returns 0, or -1 (m untouched) when the template is blank or there are
 * too many arguments. */
static int
marker_parse_template(struct marker *m, const char *p, size_t n)
{
	const char	*end = p + n, *tab, *q;
	size_t		 nargs = 0, i;

	tab = memchr(p, '\t', n);
	if (tab == NULL)
		tab = end;
	if (!marker_has_text(p, (size_t)(tab - p)))
		return -1;
	for (q = tab; q < end; q++) {
		if (*q == '\t' && ++nargs > MARKER_MAX_ARGS)
			return -1;
	}
	m->value = xstrndup(p, (size_t)(tab - p));
	m->templated = 1;
	if (nargs == 0)
		return 0;
	m->args = xcalloc(nargs, sizeof *m->args);
	m->nargs = nargs;
	for (i = 0; i < nargs; i++) {
		p = tab + 1;
		tab = memchr(p, '\t', (size_t)(end - p));
		if (tab == NULL)
			tab = end;
		m->args[i] = xstrndup(p, (size_t)(tab - p));
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
	int			 templated = 0;

	m->kind = MARKER_NONE;
	m->key = NULL;
	m->value = NULL;
	m->templated = 0;
	m->args = NULL;
	m->nargs = 0;
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
			templated = marker_verbs[i].templated;
			break;
		}
	}
	p = sp + 1;

	if (templated) {
		if (marker_parse_template(m, p, (size_t)(end - p)) != 0)
			return MARKER_INVALID;
		m->kind = kind;
		return kind;
	}
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
	size_t	i;

	if (m->key != NULL && marker_key_is_secret(m->key))
		xfree_secret(m->value);
	else
		free(m->value);
	free(m->key);
	for (i = 0; i < m->nargs; i++)
		free(m->args[i]);
	free(m->args);
	m->kind = MARKER_NONE;
	m->key = NULL;
	m->value = NULL;
	m->templated = 0;
	m->args = NULL;
	m->nargs = 0;
}

/* Whether an output key names a secret (starts with "SECRET_"). */
int
marker_key_is_secret(const char *key)
{
	return key != NULL && strncmp(key, "SECRET_", 7) == 0;
}

/* Append n bytes of s to out (*len used, cap bytes at most), cutting
 * before a whole UTF-8 character when the cap is reached. Returns 0, or -1
 * once the buffer is full. */
static int
marker_append(char *out, size_t *len, size_t cap, const char *s, size_t n)
{
	size_t	room = cap - *len;

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(out + *len, s, n);
		*len += n;
		return -1;
	}
	memcpy(out + *len, s, n);
	*len += n;
	return 0;
}

/* Put the arguments in place of "{1}".."{9}" in one pass. */
char *
marker_format(const char *tmpl, char *const *args, size_t nargs)
{
	const char	*p = tmpl, *brace;
	char		*out;
	size_t		 len = 0, idx, cap, longest = 0, i, tlen;

	/* Each placeholder takes 3 bytes of the template. */
	tlen = strlen(tmpl);
	for (i = 0; i < nargs; i++) {
		if (args[i] != NULL && strlen(args[i]) > longest)
			longest = strlen(args[i]);
	}
	cap = MARKER_MAX_LEN;
	if (longest < MARKER_MAX_LEN / (tlen / 3 + 1) &&
	    tlen + (tlen / 3) * longest < cap)
		cap = tlen + (tlen / 3) * longest;
	out = xmalloc(cap + 1);
	while (*p != '\0') {
		brace = strchr(p, '{');
		if (brace == NULL) {
			marker_append(out, &len, cap, p, strlen(p));
			break;
		}
		if (marker_append(out, &len, cap, p, (size_t)(brace - p)) != 0)
			break;
		if (brace[1] >= '1' && brace[1] <= '9' && brace[2] == '}' &&
		    (idx = (size_t)(brace[1] - '1')) < nargs &&
		    args[idx] != NULL) {
			if (marker_append(out, &len, cap, args[idx],
			    strlen(args[idx])) != 0)
				break;
			p = brace + 3;
			continue;
		}
		if (marker_append(out, &len, cap, brace, 1) != 0)
			break;
		p = brace + 1;
	}
	out[len] = '\0';
	return xreallocarray(out, len + 1, 1);
}

/* The translated text of a STEP, SKIP, WARN, ERROR or LOG marker. */
char *
marker_text(const struct marker *m)
{
	const char	*t;

	if (m->value == NULL)
		return xstrdup("");
	t = *m->value != '\0' ? gettext(m->value) : m->value;
	if (!m->templated)
		return xstrdup(t);
	return marker_format(t, m->args, m->nargs);
}
