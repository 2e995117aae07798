/* widgets.c: text fields, lists, buttons, dialogs and the pager. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "i18n.h"
#include "widgets.h"
#include "xmalloc.h"

/* Make room for n more characters. */
static void
wtext_grow(struct wtext *t, size_t n)
{
	wchar_t *nb;

	if (t->len + n + 1 <= t->cap)
		return;
	nb = xcalloc(t->len + n + 32, sizeof *nb);
	if (t->buf != NULL) {
		memcpy(nb, t->buf, t->len * sizeof *nb);
		xwipe(t->buf, t->cap * sizeof *t->buf);
		free(t->buf);
	}
	t->buf = nb;
	t->cap = t->len + n + 32;
}

/* Initialise a field. */
void
wtext_init(struct wtext *t, const char *text)
{
	memset(t, 0, sizeof *t);
	wtext_set(t, text);
}

/* Free a field. */
void
wtext_free(struct wtext *t)
{
	if (t->buf != NULL) {
		xwipe(t->buf, t->cap * sizeof *t->buf);
		free(t->buf);
	}
	t->buf = NULL;
	t->len = t->cap = t->cursor = t->scroll = 0;
}

/* Replace the text. */
void
wtext_set(struct wtext *t, const char *text)
{
	mbstate_t st;
	size_t n, left;
	wchar_t wc;

	t->len = t->cursor = t->scroll = 0;
	wtext_grow(t, 16);
	if (text == NULL)
		return;
	memset(&st, 0, sizeof st);
	left = strlen(text);
	while (left > 0) {
		n = mbrtowc(&wc, text, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			n = 1;
		}
		wtext_grow(t, 1);
		t->buf[t->len++] = wc;
		text += n;
		left -= n;
	}
	t->buf[t->len] = L'\0';
	t->cursor = t->len;
}

/* The text as a multibyte string. */
char *
wtext_get(const struct wtext *t)
{
	char *out, tmp[MB_LEN_MAX];
	mbstate_t st;
	size_t i, n, off = 0, cap;

	cap = t->len * MB_LEN_MAX + 1;
	out = xmalloc(cap);
	memset(&st, 0, sizeof st);
	for (i = 0; i < t->len; i++) {
		n = wcrtomb(tmp, t->buf[i], &st);
		if (n == (size_t)-1) {
			tmp[0] = '?';
			n = 1;
			memset(&st, 0, sizeof st);
		}
		memcpy(out + off, tmp, n);
		off += n;
	}
	out[off] = '\0';
	xwipe(tmp, sizeof tmp);
	return out;
}

/* Whether a field is empty. */
int
wtext_empty(const struct wtext *t)
{
	return t->len == 0;
}

/* Edit the text with a key. */
int
wtext_key(struct wtext *t, int key)
{
	size_t max = t->max != 0 ? t->max : 1024;

	switch (key) {
	case TUI_KEY(KEY_LEFT):
		if (t->cursor > 0)
			t->cursor--;
		return 1;
	case TUI_KEY(KEY_RIGHT):
		if (t->cursor < t->len)
			t->cursor++;
		return 1;
	case TUI_KEY(KEY_HOME):
	case TUI_CTRL('a'):
		t->cursor = 0;
		return 1;
	case TUI_KEY(KEY_END):
	case TUI_CTRL('e'):
		t->cursor = t->len;
		return 1;
	case TUI_KEY(KEY_BACKSPACE):
	case 127:
	case TUI_CTRL('h'):
		if (t->cursor == 0)
			return 0;
		memmove(t->buf + t->cursor - 1, t->buf + t->cursor,
		    (t->len - t->cursor + 1) * sizeof *t->buf);
		t->cursor--;
		t->len--;
		return 1;
	case TUI_KEY(KEY_DC):
	case TUI_CTRL('d'):
		if (t->cursor == t->len)
			return 0;
		memmove(t->buf + t->cursor, t->buf + t->cursor + 1,
		    (t->len - t->cursor) * sizeof *t->buf);
		t->len--;
		return 1;
	case TUI_CTRL('u'):
		memmove(t->buf, t->buf + t->cursor,
		    (t->len - t->cursor + 1) * sizeof *t->buf);
		t->len -= t->cursor;
		t->cursor = 0;
		return 1;
	case TUI_CTRL('k'):
		t->len = t->cursor;
		t->buf[t->len] = L'\0';
		return 1;
	}
	if ((key & TUI_FN) || key < 0x20 || key == 0x7f || !iswprint(key))
		return 0;
	if (t->len >= max)
		return 0;
	wtext_grow(t, 1);
	memmove(t->buf + t->cursor + 1, t->buf + t->cursor,
	    (t->len - t->cursor + 1) * sizeof *t->buf);
	t->buf[t->cursor++] = (wchar_t)key;
	t->len++;
	return 1;
}

/* Display width of characters from..to of the field. */
static int
wtext_width(const struct wtext *t, size_t from, size_t to)
{
	int w = 0, cw;
	size_t i;

	for (i = from; i < to; i++) {
		cw = t->secret ? 1 : wcwidth(t->buf[i]);
		w += cw > 0 ? cw : 0;
	}
	return w;
}

/* Draw a field, scrolled so the cursor shows. */
void
wtext_draw(struct wtext *t, int y, int x, int width, int focused)
{
	attr_t attr = focused ? tui_attr(TS_FOCUS) : tui_attr(TS_FIELD);
	wchar_t buf[2];
	cchar_t cc;
	size_t i;
	int used = 0, cw;

	if (width < 2)
		return;
	if (t->scroll > t->cursor)
		t->scroll = t->cursor;
	while (wtext_width(t, t->scroll, t->cursor) > width - 1)
		t->scroll++;
	tui_fill(y, x, width, attr);
	if (t->secret) {
		/* No echo, not even the length. */
		tui_put(y, x, width, attr | A_DIM, t->len == 0 ?
		    _("(typing is not shown)") : _("(typed, not shown)"));
		if (focused)
			tui_cursor(&tui_global, y, x);
		return;
	}
	/* Unfocused fields show their beginning. */
	for (i = focused ? t->scroll : 0; i < t->len; i++) {
		buf[0] = t->secret ? L'*' : t->buf[i];
		buf[1] = L'\0';
		cw = wcwidth(buf[0]);
		if (cw < 0) {
			buf[0] = L'?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		setcchar(&cc, buf, attr, PAIR_NUMBER(attr), NULL);
		mvadd_wch(y, x + used, &cc);
		used += cw;
	}
	if (focused)
		tui_cursor(&tui_global, y,
		    x + wtext_width(t, t->scroll, t->cursor));
}

/* Keep the selection within range and visible. */
void
wlist_fix(struct wlist *l, int page)
{
	if (page < 1)
		page = 1;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top > l->n - page)
		l->top = l->n - page;
	if (l->top < 0)
		l->top = 0;
}

/* Move the selection with a key. */
int
wlist_key(struct wlist *l, int key, int page)
{
	switch (key) {
	case TUI_KEY(KEY_UP):
	case 'k':
		l->sel--;
		break;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		l->sel++;
		break;
	case TUI_KEY(KEY_PPAGE):
		l->sel -= page;
		break;
	case TUI_KEY(KEY_NPAGE):
		l->sel += page;
		break;
	case TUI_KEY(KEY_HOME):
		l->sel = 0;
		break;
	case TUI_KEY(KEY_END):
		l->sel = l->n - 1;
		break;
	default:
		return 0;
	}
	wlist_fix(l, page);
	return 1;
}

/* Width of a button. */
int
wbutton_width(const char *label)
{
	return tui_strwidth(label) + 4;
}

/* Draw a button. */
int
wbutton_draw(int y, int x, const char *label, int focused, int disabled)
{
	attr_t a;
	int w;

	if (disabled)
		a = tui_attr(TS_DIM) | (focused ? A_UNDERLINE : 0);
	else
		a = focused ? tui_attr(TS_SELECT) : A_BOLD;
	tui_put(y, x, 2, a, disabled ? "( " : "[ ");
	w = tui_put(y, x + 2, 60, a, label);
	tui_put(y, x + 2 + w, 2, a, disabled ? " )" : " ]");
	if (focused)
		tui_cursor(&tui_global, y, x + 2);
	return w + 4;
}

/* Whether a wrapped line may not start with wc: Chinese closing
 * punctuation stays with the character before it. */
static int
wrap_no_break_before(wchar_t wc)
{
	static const wchar_t closing[] = L"\uff0c\u3002\u3001\uff1b\uff1a"
	    L"\uff01\uff1f\uff09\u300d\u300f\u3011\u300b\u3009\u2026";

	return wc != L'\0' && wcschr(closing, wc) != NULL;
}

/* Wrap text into lines of at most width display columns. Lines break at
 * spaces and, in Chinese text without spaces, between wide characters;
 * a character is never split. */
size_t
wrap_text(const char *text, int width, char ***out)
{
	char **lines = NULL;
	const char *p = text, *eol, *brk, *q;
	size_t n = 0, len, cl = 1;
	mbstate_t st;
	wchar_t wc;
	int w, cw;

	if (width < 8)
		width = 8;
	while (*p != '\0' || n == 0) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		/* Take as many characters as fit in width columns. */
		brk = NULL;
		w = 0;
		memset(&st, 0, sizeof st);
		for (q = p; q < eol; q += cl) {
			cl = mbrtowc(&wc, q, eol - q, &st);
			if (cl == (size_t)-1 || cl == (size_t)-2 || cl == 0) {
				memset(&st, 0, sizeof st);
				cl = 1;
				cw = 1;
			} else if ((cw = wcwidth(wc)) < 0)
				cw = 1;
			if (*q == ' ')
				brk = q;
			else if (cw == 2 && q > p && !wrap_no_break_before(wc))
				brk = q;
			if (w + cw > width)
				break;
			w += cw;
		}
		if (q < eol && brk != NULL && brk > p)
			len = brk - p;
		else
			len = q - p;
		if (len == 0 && q < eol)
			len = cl;
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n++] = xstrndup(p, len);
		p += len;
		if (p < eol && *p == ' ')
			p++;
		else if (p == eol && *p == '\n')
			p++;
		if (*p == '\0')
			break;
	}
	*out = lines;
	return n;
}

/* Dialog kinds. */
enum dialog_kind {
	DIALOG_YESNO,
	DIALOG_MESSAGE,
	DIALOG_SECRET,
	DIALOG_INPUT,
};

struct dialog {
	enum dialog_kind	 kind;
	char			*title;
	char			*text;
	int			 focus;		/* yes/no: 0 yes, 1 no; input: 0 field */
	struct wtext		 field;
	void			(*cb_yesno)(void *, int);
	void			(*cb_msg)(void *);
	void			(*cb_text)(void *, const char *);
	void			*arg;
};

/* Free a dialog. */
static void
dialog_free(struct screen *s)
{
	struct dialog *d = s->data;

	free(d->title);
	free(d->text);
	wtext_free(&d->field);
	free(d);
}

/* Draw a dialog centred over the screens below. */
static void
dialog_draw(struct screen *s, int w, int h)
{
	struct dialog *d = s->data;
	char **lines = NULL;
	size_t n, i, total;
	int bw, bh, by, bx, y, x;

	bw = w - 10 > 70 ? 70 : w - 10;
	n = total = wrap_text(d->text, bw - 4, &lines);
	if ((int)n > h - 10)
		n = h - 10;
	bh = (int)n + 4 + (d->kind == DIALOG_SECRET ||
	    d->kind == DIALOG_INPUT ? 2 : 0);
	by = (h - bh) / 2;
	bx = (w - bw) / 2;
	for (y = by; y < by + bh; y++)
		tui_fill(y, bx, bw, A_NORMAL);
	tui_box(by, bx, bh, bw, A_BOLD, d->title);
	for (i = 0; i < n; i++)
		tui_put(by + 1 + (int)i, bx + 2, bw - 4, A_NORMAL, lines[i]);
	y = by + 1 + (int)n;
	if (d->kind == DIALOG_SECRET || d->kind == DIALOG_INPUT) {
		wtext_draw(&d->field, y + 1, bx + 2, bw - 4, 1);
		y += 2;
	}
	y++;
	switch (d->kind) {
	case DIALOG_YESNO:
		x = bx + bw / 2 - 10;
		/* Draw No last so the cursor stays on the focused one. */
		if (d->focus == 0) {
			wbutton_draw(y, x + 12, _("No"), 0, 0);
			wbutton_draw(y, x, _("Yes"), 1, 0);
		} else {
			wbutton_draw(y, x, _("Yes"), 0, 0);
			wbutton_draw(y, x + 12, _("No"), 1, 0);
		}
		break;
	case DIALOG_MESSAGE:
		wbutton_draw(y, bx + bw / 2 - 3, _("OK"), 1, 0);
		break;
	case DIALOG_SECRET:
	case DIALOG_INPUT:
		tui_put(y, bx + 2, bw - 4, tui_attr(TS_DIM),
		    _("Enter: accept   Esc: cancel"));
		break;
	}
	for (i = 0; i < total; i++)
		free(lines[i]);
	free(lines);
}

/* Close a dialog, then run its callback (which may push other screens). */
static void
dialog_close(struct screen *s, int yes, const char *text)
{
	struct dialog *d = s->data;
	void (*cb_yesno)(void *, int) = d->cb_yesno;
	void (*cb_msg)(void *) = d->cb_msg;
	void (*cb_text)(void *, const char *) = d->cb_text;
	void *arg = d->arg;
	struct tui *t = s->tui;
	enum dialog_kind kind = d->kind;
	char *copy = text != NULL ? xstrdup(text) : NULL;

	tui_pop(t, s);
	if (kind == DIALOG_YESNO && cb_yesno != NULL)
		cb_yesno(arg, yes);
	else if (kind == DIALOG_MESSAGE && cb_msg != NULL)
		cb_msg(arg);
	else if (cb_text != NULL)
		cb_text(arg, copy);
	xfree_secret(copy);
}

/* Keys of a dialog. */
static int
dialog_key(struct screen *s, int key)
{
	struct dialog *d = s->data;
	char *text;

	if (key == TUI_ESC || key == TUI_KEY_INTERRUPT) {
		dialog_close(s, 0, NULL);
		return 1;
	}
	switch (d->kind) {
	case DIALOG_YESNO:
		switch (key) {
		case 'y':
		case 'Y':
			dialog_close(s, 1, NULL);
			return 1;
		case 'n':
		case 'N':
			dialog_close(s, 0, NULL);
			return 1;
		case TUI_KEY(KEY_LEFT):
		case TUI_KEY(KEY_RIGHT):
		case '\t':
		case TUI_KEY(KEY_BTAB):
			d->focus = !d->focus;
			return 1;
		case '\r':
		case '\n':
		case TUI_KEY(KEY_ENTER):
		case ' ':
			dialog_close(s, d->focus == 0, NULL);
			return 1;
		}
		return 0;
	case DIALOG_MESSAGE:
		if (key == '\r' || key == '\n' || key == TUI_KEY(KEY_ENTER) ||
		    key == ' ' || key == 'q') {
			dialog_close(s, 1, NULL);
			return 1;
		}
		return 0;
	case DIALOG_SECRET:
	case DIALOG_INPUT:
		if (key == '\r' || key == '\n' || key == TUI_KEY(KEY_ENTER)) {
			text = wtext_get(&d->field);
			dialog_close(s, 1, text);
			xfree_secret(text);
			return 1;
		}
		return wtext_key(&d->field, key);
	}
	return 0;
}

static const struct screen_ops dialog_ops = {
	.name = "dialog",
	.free = dialog_free,
	.draw = dialog_draw,
	.key = dialog_key,
};

/* Create and push a dialog. */
static struct dialog *
dialog_push(struct tui *t, enum dialog_kind kind, const char *title,
    const char *text)
{
	struct dialog *d;

	d = xcalloc(1, sizeof *d);
	d->kind = kind;
	d->title = xstrdup(title);
	d->text = xstrdup(text);
	wtext_init(&d->field, NULL);
	tui_push(t, &dialog_ops, d, 1);
	return d;
}

/* Yes/no, default No. */
void
dialog_yesno(struct tui *t, const char *title, const char *text,
    void (*cb)(void *, int), void *arg)
{
	struct dialog *d = dialog_push(t, DIALOG_YESNO, title, text);

	d->focus = 1;
	d->cb_yesno = cb;
	d->arg = arg;
}

/* A message with OK. */
void
dialog_message(struct tui *t, const char *title, const char *text,
    void (*cb)(void *), void *arg)
{
	struct dialog *d = dialog_push(t, DIALOG_MESSAGE, title, text);

	d->cb_msg = cb;
	d->arg = arg;
}

/* A secret, no echo. */
void
dialog_secret(struct tui *t, const char *title, const char *text,
    void (*cb)(void *, const char *), void *arg)
{
	struct dialog *d = dialog_push(t, DIALOG_SECRET, title, text);

	d->field.secret = 1;
	d->cb_text = cb;
	d->arg = arg;
}

/* One line of text. */
void
dialog_input(struct tui *t, const char *title, const char *text,
    const char *initial, void (*cb)(void *, const char *), void *arg)
{
	struct dialog *d = dialog_push(t, DIALOG_INPUT, title, text);

	wtext_set(&d->field, initial);
	d->cb_text = cb;
	d->arg = arg;
}

/* The pager. */
struct pager {
	char		*title;
	char		**lines;
	size_t		 n;
	size_t		 cap;
	struct wlist	 l;		/* sel = the top line shown */
	int		 follow;
	char		*search;
	long		 match;		/* line of the last match, or -1 */
	int		 page;
	struct screen	*screen;
};

/* Free a pager. */
static void
pager_free(struct screen *s)
{
	struct pager *p = s->data;
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->title);
	free(p->search);
	free(p);
}

/* Draw the pager. */
static void
pager_draw(struct screen *s, int w, int h)
{
	struct pager *p = s->data;
	char *title, *pos;
	int y, i;
	attr_t a;

	p->page = h - 2;
	p->l.n = (int)p->n;
	if (p->follow)
		p->l.top = (int)p->n - p->page;
	if (p->l.top > (int)p->n - p->page)
		p->l.top = (int)p->n - p->page;
	if (p->l.top < 0)
		p->l.top = 0;
	pos = xasprintf(" %d-%d/%zu%s", p->n == 0 ? 0 : p->l.top + 1,
	    p->l.top + p->page < (int)p->n ? p->l.top + p->page : (int)p->n,
	    p->n, p->follow ? _(" (following)") : "");
	title = xasprintf("%s%s", p->title, pos);
	tui_frame(w, h, title, _("Up/Down scroll|PgUp/PgDn page|/ search|"
	    "n/N next/prev|g/G top/end|q back"));
	free(title);
	free(pos);
	for (y = 1, i = p->l.top; y < h - 1 && i < (int)p->n; y++, i++) {
		a = (i == p->match) ? tui_attr(TS_SELECT) : A_NORMAL;
		if (i == p->match)
			tui_fill(y, 0, w, a);
		tui_put(y, 0, w, a, p->lines[i]);
	}
}

/* Search for the pattern from line start in direction dir. */
static void
pager_find(struct pager *p, long start, int dir)
{
	long i;

	if (p->search == NULL || *p->search == '\0')
		return;
	for (i = start; i >= 0 && i < (long)p->n; i += dir) {
		if (strstr(p->lines[i], p->search) != NULL) {
			p->match = i;
			p->follow = 0;
			p->l.top = (int)i - p->page / 3;
			if (p->l.top < 0)
				p->l.top = 0;
			return;
		}
	}
	tui_message(&tui_global, 1, _("Pattern not found: %s"), p->search);
}

/* Search dialog callback. */
static void
pager_search_cb(void *arg, const char *text)
{
	struct pager *p = arg;

	if (text == NULL)
		return;
	free(p->search);
	p->search = xstrdup(text);
	pager_find(p, p->match >= 0 ? p->match + 1 : p->l.top, 1);
}

/* Keys of the pager. */
static int
pager_key(struct screen *s, int key)
{
	struct pager *p = s->data;

	switch (key) {
	case 'q':
	case TUI_ESC:
	case TUI_KEY_INTERRUPT:
		tui_pop(s->tui, s);
		return 1;
	case TUI_KEY(KEY_UP):
	case 'k':
		p->l.top--;
		p->follow = 0;
		break;
	case TUI_KEY(KEY_DOWN):
	case 'j':
	case '\r':
		p->l.top++;
		break;
	case TUI_KEY(KEY_PPAGE):
	case 'b':
		p->l.top -= p->page;
		p->follow = 0;
		break;
	case TUI_KEY(KEY_NPAGE):
	case ' ':
		p->l.top += p->page;
		break;
	case TUI_KEY(KEY_HOME):
	case 'g':
		p->l.top = 0;
		p->follow = 0;
		break;
	case TUI_KEY(KEY_END):
	case 'G':
		p->follow = 1;
		break;
	case '/':
		dialog_input(s->tui, _("Search"), _("Find the text:"),
		    p->search, pager_search_cb, p);
		return 1;
	case 'n':
		pager_find(p, p->match + 1, 1);
		return 1;
	case 'N':
		pager_find(p, p->match >= 0 ? p->match - 1 : p->l.top, -1);
		return 1;
	default:
		return 0;
	}
	if (p->l.top < 0)
		p->l.top = 0;
	if (p->l.top >= (int)p->n - p->page) {
		p->l.top = (int)p->n - p->page;
		if (p->l.top < 0)
			p->l.top = 0;
	}
	return 1;
}

static const struct screen_ops pager_ops = {
	.name = "pager",
	.free = pager_free,
	.draw = pager_draw,
	.key = pager_key,
};

/* Open a pager. */
struct pager *
pager_open(struct tui *t, const char *title, int follow)
{
	struct pager *p;

	p = xcalloc(1, sizeof *p);
	p->title = xstrdup(title);
	p->follow = follow;
	p->match = -1;
	p->page = 20;
	p->screen = tui_push(t, &pager_ops, p, 0);
	return p;
}

/* Append a line. */
void
pager_add(struct pager *p, const char *line, size_t len)
{
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 256 : p->cap * 2;
		p->lines = xreallocarray(p->lines, p->cap, sizeof *p->lines);
	}
	p->lines[p->n++] = xstrndup(line, len);
	tui_redraw(&tui_global);
}

/* Append a file's lines. */
int
pager_add_file(struct pager *p, const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		pager_add(p, line, (size_t)n);
	}
	free(line);
	fclose(f);
	return 0;
}

/* Whether the pager is still on the stack. */
int
pager_is_open(struct tui *t, const struct pager *p)
{
	struct screen *s;

	for (s = t->top; s != NULL; s = s->below) {
		if (s->data == p && s->ops == &pager_ops)
			return 1;
	}
	return 0;
}
