/* tui.c: terminal start and restore, styles, glyphs, the screen stack and
 * the single-threaded event loop (poll on the keyboard, the engine's
 * event queue and a signal pipe). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cmd.h"
#include "i18n.h"
#include "tui.h"
#include "ui.h"
#include "xmalloc.h"

struct tui tui_global = { .cursor_y = -1, .cursor_x = -1, .poll_fd = -1 };

static int	tui_sigpipe[2] = { -1, -1 };
static int	tui_atexit_done;
static SCREEN	*tui_screen;

static const struct tui_glyphs tui_glyphs_utf8 = {
	.hline = "\xe2\x94\x80", .vline = "\xe2\x94\x82",
	.tl = "\xe2\x94\x8c", .tr = "\xe2\x94\x90",
	.bl = "\xe2\x94\x94", .br = "\xe2\x94\x98",
	.ok = "\xe2\x9c\x93", .fail = "\xe2\x9c\x97", .run = "\xe2\x96\xb6",
	.wait = "\xe2\x80\xa6", .sep = " \xe2\x80\xba ",
	.bar_full = "\xe2\x96\x88", .bar_empty = "\xe2\x96\x91",
	.ellipsis = "\xe2\x80\xa6", .bullet = "\xe2\x80\xa2",
};

static const struct tui_glyphs tui_glyphs_ascii = {
	.hline = "-", .vline = "|", .tl = "+", .tr = "+", .bl = "+", .br = "+",
	.ok = "+", .fail = "x", .run = ">", .wait = ".", .sep = " > ",
	.bar_full = "#", .bar_empty = ".", .ellipsis = "~", .bullet = "*",
};

/* Colour pairs, one per style that has a colour. */
enum {
	TUI_PAIR_HEADER = 1,
	TUI_PAIR_OK,
	TUI_PAIR_FAIL,
	TUI_PAIR_WARN,
	TUI_PAIR_RUN,
	TUI_PAIR_FIELD,
	TUI_PAIR_TITLE,
};

/* Monotonic time in seconds. */
double
tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Signal handler: hand the signal to the loop through the pipe. */
static void
tui_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	if (tui_sigpipe[1] != -1)
		(void)!write(tui_sigpipe[1], &c, 1);
	errno = saved;
}

/* Choose UTF-8 or ASCII glyphs from the locale and TERM. */
static int
tui_want_utf8(void)
{
	const char *term = getenv("TERM");
	const char *cs = nl_langinfo(CODESET);

	if (term != NULL && strcmp(term, "linux") == 0)
		return 0;
	if (cs == NULL)
		return 0;
	return strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0;
}

/* Fill the style table for colour or monochrome. */
static void
tui_init_styles(struct tui *t)
{
	attr_t *a = t->attrs;

	a[TS_NORMAL] = A_NORMAL;
	a[TS_SELECT] = A_REVERSE;
	a[TS_FOCUS] = A_REVERSE;
	a[TS_KEY] = A_BOLD;
	a[TS_DIM] = A_DIM;
	if (!t->color) {
		a[TS_HEADER] = A_REVERSE;
		a[TS_FIELD] = A_UNDERLINE;
		a[TS_OK] = A_BOLD;
		a[TS_FAIL] = A_BOLD;
		a[TS_WARN] = A_BOLD;
		a[TS_RUN] = A_NORMAL;
		a[TS_TITLE] = A_BOLD;
		return;
	}
	init_pair(TUI_PAIR_HEADER, COLOR_WHITE, COLOR_BLUE);
	init_pair(TUI_PAIR_OK, COLOR_GREEN, -1);
	init_pair(TUI_PAIR_FAIL, COLOR_RED, -1);
	init_pair(TUI_PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(TUI_PAIR_RUN, COLOR_CYAN, -1);
	init_pair(TUI_PAIR_FIELD, COLOR_WHITE, COLOR_BLACK);
	init_pair(TUI_PAIR_TITLE, COLOR_CYAN, -1);
	a[TS_HEADER] = COLOR_PAIR(TUI_PAIR_HEADER) | A_BOLD;
	a[TS_FIELD] = A_UNDERLINE;
	a[TS_OK] = COLOR_PAIR(TUI_PAIR_OK) | A_BOLD;
	a[TS_FAIL] = COLOR_PAIR(TUI_PAIR_FAIL) | A_BOLD;
	a[TS_WARN] = COLOR_PAIR(TUI_PAIR_WARN) | A_BOLD;
	a[TS_RUN] = COLOR_PAIR(TUI_PAIR_RUN);
	a[TS_TITLE] = COLOR_PAIR(TUI_PAIR_TITLE) | A_BOLD;
}

/* Restore the terminal: for atexit and fatal_hook. */
static void
tui_restore_hook(void)
{
	tui_end();
}

/* The Linux console (TERM=linux) has no glyphs for Chinese, Japanese or
 * Korean: show the screens in English there. Returns 1 if it switched. */
static int
tui_console_fallback(void)
{
	static const char *cjk[] = { "zh", "ja", "ko" };
	const char *term = getenv("TERM"), *lang, *language;
	size_t i;

	if (term == NULL || strcmp(term, "linux") != 0)
		return 0;
	lang = setlocale(LC_MESSAGES, NULL);
	language = getenv("LANGUAGE");
	for (i = 0; i < sizeof cjk / sizeof cjk[0]; i++) {
		if ((lang != NULL && strncmp(lang, cjk[i], 2) == 0) ||
		    (language != NULL && strncmp(language, cjk[i], 2) == 0))
			break;
	}
	if (i == sizeof cjk / sizeof cjk[0])
		return 0;
	/* Messages in "C" make gettext return the English text. */
	setlocale(LC_MESSAGES, "C");
	return 1;
}

/* Enter screen mode. */
int
tui_start(const struct kw_options *opts, char **cause)
{
	struct tui *t = &tui_global;
	struct sigaction sa;
	const char *term;
	int i, english;

	if (t->active)
		return 0;
	english = tui_console_fallback();
	term = getenv("TERM");
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0) {
		*cause = xstrdup(_("the terminal type (TERM) is not set or "
		    "is 'dumb'"));
		return -1;
	}
	if (tui_sigpipe[0] == -1) {
		if (pipe(tui_sigpipe) != 0) {
			*cause = xasprintf("pipe: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < 2; i++) {
			fcntl(tui_sigpipe[i], F_SETFL,
			    fcntl(tui_sigpipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(tui_sigpipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	tui_screen = newterm(NULL, stdout, stdin);
	if (tui_screen == NULL) {
		*cause = xasprintf(_("cannot use terminal type '%s'"), term);
		return -1;
	}
	set_term(tui_screen);
	t->active = 1;
	if (!tui_atexit_done) {
		atexit(tui_restore_hook);
		tui_atexit_done = 1;
	}
	fatal_hook = tui_restore_hook;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	mousemask(0, NULL);
	t->color = 0;
	if (!opts->no_color && has_colors()) {
		if (start_color() == OK) {
			use_default_colors();
			t->color = 1;
		}
	}
	t->utf8 = tui_want_utf8();
	t->g = t->utf8 ? tui_glyphs_utf8 : tui_glyphs_ascii;
	tui_init_styles(t);
	getmaxyx(stdscr, t->h, t->w);
	t->dirty = 1;
	t->cursor_y = t->cursor_x = -1;
	if (english)
		tui_message(t, 0, _("The Linux console cannot show CJK "
		    "characters: the screens are in English."));
	return 0;
}

/* Leave screen mode and restore the terminal. */
void
tui_end(void)
{
	struct tui *t = &tui_global;
	struct sigaction sa;

	if (!t->active)
		return;
	t->active = 0;
	curs_set(1);
	endwin();
	fflush(stdout);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (fatal_hook == tui_restore_hook)
		fatal_hook = NULL;
}

/* Push a screen. */
struct screen *
tui_push(struct tui *t, const struct screen_ops *ops, void *data, int overlay)
{
	struct screen *s;

	s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->tui = t;
	s->data = data;
	s->overlay = overlay;
	s->below = t->top;
	t->top = s;
	t->dirty = 1;
	return s;
}

/* Pop and free a screen that is on the stack. */
void
tui_pop(struct tui *t, struct screen *s)
{
	struct screen **pp;

	for (pp = &t->top; *pp != NULL; pp = &(*pp)->below) {
		if (*pp == s) {
			*pp = s->below;
			if (s->ops->free != NULL)
				s->ops->free(s);
			free(s);
			t->dirty = 1;
			return;
		}
	}
	fatalx("tui_pop: screen not on the stack");
}

/* Pop every screen. */
void
tui_pop_all(struct tui *t)
{
	while (t->top != NULL)
		tui_pop(t, t->top);
}

/* Ask for a redraw. */
void
tui_redraw(struct tui *t)
{
	t->dirty = 1;
}

/* Remember where the real cursor should go. */
void
tui_cursor(struct tui *t, int y, int x)
{
	t->cursor_y = y;
	t->cursor_x = x;
}

/* Set the status message. */
void
tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;

	free(t->message);
	t->message = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		t->message = xvasprintf(fmt, ap);
		va_end(ap);
	}
	t->message_error = error;
	t->dirty = 1;
}

/* Attribute for a style. */
attr_t
tui_attr(enum tui_style s)
{
	return tui_global.attrs[s];
}

/* Decode one character of s (len bytes left); sets *wc (L'?' for invalid
 * or control bytes) and returns the bytes used (at least 1). */
static size_t
tui_decode(const char *s, size_t len, wchar_t *wc)
{
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = mbrtowc(wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2) {
		*wc = L'?';
		return 1;
	}
	if (n == 0) {
		*wc = L'?';
		return 1;
	}
	if (*wc == L'\t')
		*wc = L' ';
	else if (*wc < 0x20 || *wc == 0x7f || (*wc >= 0x80 && *wc < 0xa0))
		*wc = L'?';
	else if (wcwidth(*wc) < 0)
		*wc = L'?';
	return n;
}

/* Display width of a string. */
int
tui_strwidth(const char *s)
{
	size_t len = strlen(s), n;
	wchar_t wc;
	int w = 0;

	while (len > 0) {
		n = tui_decode(s, len, &wc);
		w += wcwidth(wc) > 0 ? wcwidth(wc) : 0;
		s += n;
		len -= n;
	}
	return w;
}

/* The printf field width (bytes) that pads s to cols display columns,
 * for "%-*s" with text that may hold wide characters. */
int
tui_padw(const char *s, int cols)
{
	return cols + (int)strlen(s) - tui_strwidth(s);
}

/* Draw len bytes of s clipped to width columns. */
int
tui_putn(int y, int x, int width, attr_t attr, const char *s, size_t len)
{
	wchar_t wc, buf[2];
	cchar_t cc;
	size_t n;
	int used = 0, cw;

	while (len > 0 && used < width) {
		n = tui_decode(s, len, &wc);
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (used + cw > width)
			break;
		if (cw > 0) {
			buf[0] = wc;
			buf[1] = L'\0';
			setcchar(&cc, buf, attr, PAIR_NUMBER(attr), NULL);
			mvadd_wch(y, x + used, &cc);
		}
		used += cw;
		s += n;
		len -= n;
	}
	return used;
}

/* Draw a NUL-terminated string clipped to width columns. */
int
tui_put(int y, int x, int width, attr_t attr, const char *s)
{
	if (s == NULL)
		return 0;
	return tui_putn(y, x, width, attr, s, strlen(s));
}

/* Fill with spaces. */
void
tui_fill(int y, int x, int width, attr_t attr)
{
	int i;

	attrset(attr);
	for (i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

/* Draw a box with an optional title on its top edge. */
void
tui_box(int y, int x, int h, int w, attr_t attr, const char *title)
{
	const struct tui_glyphs *g = &tui_global.g;
	int i;

	for (i = 1; i < w - 1; i++) {
		tui_put(y, x + i, 1, attr, g->hline);
		tui_put(y + h - 1, x + i, 1, attr, g->hline);
	}
	for (i = 1; i < h - 1; i++) {
		tui_put(y + i, x, 1, attr, g->vline);
		tui_put(y + i, x + w - 1, 1, attr, g->vline);
	}
	tui_put(y, x, 1, attr, g->tl);
	tui_put(y, x + w - 1, 1, attr, g->tr);
	tui_put(y + h - 1, x, 1, attr, g->bl);
	tui_put(y + h - 1, x + w - 1, 1, attr, g->br);
	if (title != NULL && *title != '\0') {
		tui_put(y, x + 2, 1, attr, " ");
		i = tui_put(y, x + 3, w - 6, attr | A_BOLD, title);
		tui_put(y, x + 3 + i, 1, attr, " ");
	}
}

/* Title bar, footer with key hints and the status message line. */
void
tui_frame(int w, int h, const char *title, const char *hints)
{
	struct tui *t = &tui_global;
	const char *p, *sp, *bar;
	int x = 1, n;

	tui_fill(0, 0, w, tui_attr(TS_HEADER));
	tui_put(0, 1, w - 2, tui_attr(TS_HEADER), title);
	tui_fill(h - 1, 0, w, tui_attr(TS_HEADER));
	for (p = hints; p != NULL && *p != '\0' && x < w - 1; p = bar) {
		bar = strchr(p, '|');
		n = bar != NULL ? (int)(bar - p) : (int)strlen(p);
		sp = memchr(p, ' ', n);
		if (sp == NULL)
			sp = p + n;
		x += tui_putn(h - 1, x, w - 1 - x,
		    tui_attr(TS_HEADER) | A_BOLD, p, sp - p);
		x += tui_putn(h - 1, x, w - 1 - x, tui_attr(TS_HEADER), sp,
		    n - (sp - p));
		x += 2;
		if (bar != NULL)
			bar++;
	}
	if (t->message != NULL) {
		tui_fill(h - 2, 0, w, A_NORMAL);
		tui_put(h - 2, 1, w - 2, t->message_error ?
		    tui_attr(TS_FAIL) : tui_attr(TS_WARN), t->message);
	}
}

/* The size message shown below the minimum size. */
void
tui_draw_too_small(int w, int h)
{
	char *s;
	int sw, y, x;

	s = xasprintf(_("kubewiz needs at least %dx%d (now %dx%d)"),
	    TUI_MIN_W, TUI_MIN_H, w, h);
	sw = tui_strwidth(s);
	y = h / 2;
	x = sw < w ? (w - sw) / 2 : 0;
	tui_put(y, x, w, A_BOLD, s);
	free(s);
}

/* Draw the stack from the lowest non-covered screen upwards. */
static void
tui_draw(struct tui *t)
{
	struct screen *s, *stack[32];
	int n = 0, i;

	erase();
	t->cursor_y = t->cursor_x = -1;
	getmaxyx(stdscr, t->h, t->w);
	if (t->w < TUI_MIN_W || t->h < TUI_MIN_H) {
		tui_draw_too_small(t->w, t->h);
	} else {
		for (s = t->top; s != NULL && n < 32; s = s->below) {
			stack[n++] = s;
			if (!s->overlay)
				break;
		}
		for (i = n - 1; i >= 0; i--)
			stack[i]->ops->draw(stack[i], t->w, t->h);
	}
	if (t->cursor_y >= 0) {
		move(t->cursor_y, t->cursor_x);
		curs_set(1);
	} else {
		move(t->h - 1, t->w - 1);
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = 0;
}

/* Give a key to the top screen. */
static void
tui_key(struct tui *t, int key)
{
	if (key == TUI_KEY(KEY_RESIZE)) {
		struct screen *s;

		getmaxyx(stdscr, t->h, t->w);
		for (s = t->top; s != NULL; s = s->below) {
			if (s->ops->resize != NULL)
				s->ops->resize(s, t->w, t->h);
		}
		clearok(curscr, TRUE);
		t->dirty = 1;
		return;
	}
	if (key == TUI_CTRL('l')) {
		clearok(curscr, TRUE);
		t->dirty = 1;
		return;
	}
	if (t->top == NULL)
		return;
	if (t->w < TUI_MIN_W || t->h < TUI_MIN_H) {
		/* Only an interrupt gets through while too small. */
		if (key != TUI_KEY_INTERRUPT)
			return;
	}
	if (t->message != NULL && key != TUI_KEY_INTERRUPT)
		tui_message(t, 0, NULL);
	t->top->ops->key(t->top, key);
	t->dirty = 1;
}

/* Read every pending key. */
static void
tui_read_keys(struct tui *t)
{
	wint_t wc;
	int r;

	for (;;) {
		r = wget_wch(stdscr, &wc);
		if (r == ERR)
			break;
		if (r == KEY_CODE_YES)
			tui_key(t, TUI_KEY((int)wc));
		else
			tui_key(t, (int)wc);
		if (t->quit || t->top == NULL)
			break;
	}
}

/* Handle signals taken from the pipe. */
static void
tui_read_signals(struct tui *t)
{
	unsigned char c;

	while (read(tui_sigpipe[0], &c, 1) == 1) {
		if (c == SIGINT) {
			tui_key(t, TUI_KEY_INTERRUPT);
			continue;
		}
		if (t->on_terminate != NULL) {
			t->on_terminate(t->terminate_arg);
			continue;
		}
		tui_end();
		signal(c, SIG_DFL);
		raise(c);
		_exit(128 + c);
	}
}

/* Give an engine event to every screen on the stack. */
void
tui_dispatch_event(struct tui *t, const struct event *ev)
{
	struct screen *s, *next;

	for (s = t->top; s != NULL; s = next) {
		next = s->below;
		if (s->ops->update != NULL)
			s->ops->update(s, ev);
	}
	t->dirty = 1;
}

/* Call every screen's tick. */
static void
tui_tick(struct tui *t)
{
	struct screen *s;

	for (s = t->top; s != NULL; s = s->below) {
		if (s->ops->tick != NULL)
			s->ops->tick(s);
	}
}

/* The loop: redraw at most 20 times a second, wait for keys, events and
 * signals, tick once a second. */
void
tui_run(struct tui *t)
{
	struct pollfd pfd[3];
	double now, last_draw = 0, last_tick = tui_now();
	int nfd, timeout;

	t->quit = 0;
	t->dirty = 1;
	while (!t->quit && t->top != NULL) {
		now = tui_now();
		if (t->dirty && now - last_draw >= 0.05) {
			tui_draw(t);
			last_draw = now;
		}
		if (t->dirty)
			timeout = (int)((0.05 - (now - last_draw)) * 1000) + 1;
		else
			timeout = (int)((1.0 - (now - last_tick)) * 1000) + 1;
		if (timeout < 0)
			timeout = 0;
		nfd = 0;
		pfd[nfd].fd = STDIN_FILENO;
		pfd[nfd++].events = POLLIN;
		pfd[nfd].fd = tui_sigpipe[0];
		pfd[nfd++].events = POLLIN;
		if (t->poll_fd != -1 && t->on_fd != NULL) {
			pfd[nfd].fd = t->poll_fd;
			pfd[nfd++].events = POLLIN;
		}
		if (poll(pfd, nfd, timeout) < 0 && errno != EINTR)
			fatalx("poll: %s", strerror(errno));
		/* After EINTR (SIGWINCH) curses may have a KEY_RESIZE. */
		tui_read_keys(t);
		tui_read_signals(t);
		if (t->poll_fd != -1 && t->on_fd != NULL)
			t->on_fd(t->fd_arg);
		now = tui_now();
		if (now - last_tick >= 1.0) {
			tui_tick(t);
			last_tick = now;
		}
	}
	if (t->dirty && t->active)
		tui_draw(t);
}

/* Whether the TUI can run here. */
int
ui_available(const struct kw_options *opts)
{
	const char *term = getenv("TERM");

	if (opts->no_tui)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return 0;
	return term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

/* Restore the terminal for the commands in src/. */
void
ui_end(void)
{
	tui_end();
}
