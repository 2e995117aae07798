/* tui.h: the terminal layer shared by every screen: start and restore,
 * styles and glyphs, the screen stack and the event loop. */
#ifndef KW_TUI_H
#define KW_TUI_H

#include <stddef.h>
#include <wchar.h>

#include "curses-compat.h"

struct event;
struct kw_options;

/* Keys: a Unicode character, or a curses function key with TUI_FN set. */
#define TUI_FN		0x1000000
#define TUI_KEY(k)	(TUI_FN | (k))
#define TUI_KEY_INTERRUPT TUI_KEY(0xfff0)	/* SIGINT (Ctrl-C) */
#define TUI_CTRL(c)	((c) & 0x1f)
#define TUI_ESC		27

/* Smallest usable terminal. */
#define TUI_MIN_W	80
#define TUI_MIN_H	24

/* Visual roles; with colour off each maps to a plain attribute. */
enum tui_style {
	TS_NORMAL,
	TS_HEADER,	/* title and footer bars */
	TS_SELECT,	/* selected row, focused button */
	TS_FOCUS,	/* focused input field */
	TS_FIELD,	/* input field background */
	TS_OK,
	TS_FAIL,
	TS_WARN,
	TS_RUN,
	TS_DIM,
	TS_KEY,		/* key names in hints */
	TS_TITLE,	/* section titles */
	TS_COUNT
};

/* Glyphs: UTF-8 where the terminal can show it, else ASCII. */
struct tui_glyphs {
	const char	*hline;
	const char	*vline;
	const char	*tl, *tr, *bl, *br;
	const char	*ok;		/* check mark */
	const char	*fail;		/* cross */
	const char	*run;		/* running */
	const char	*wait;		/* waiting */
	const char	*sep;		/* breadcrumb separator */
	const char	*bar_full;
	const char	*bar_empty;
	const char	*ellipsis;
	const char	*bullet;
};

struct tui;
struct screen;

/* What every screen implements (tmux's window_mode pattern). Only draw
 * and key are required. */
struct screen_ops {
	const char	*name;
	/* Free the screen's data (not the screen). */
	void		(*free)(struct screen *);
	/* The terminal changed size. */
	void		(*resize)(struct screen *, int w, int h);
	/* Draw on stdscr (size w x h); may set the cursor with tui_cursor. */
	void		(*draw)(struct screen *, int w, int h);
	/* Handle a key; return 1 if used. */
	int		(*key)(struct screen *, int key);
	/* An engine event arrived. */
	void		(*update)(struct screen *, const struct event *);
	/* Called about once a second (elapsed-time displays). */
	void		(*tick)(struct screen *);
};

struct screen {
	const struct screen_ops	*ops;
	struct tui		*tui;
	void			*data;
	struct screen		*below;	/* next screen down the stack */
	int			 overlay; /* draw the screens below first */
};

struct tui {
	int			 active;	/* in screen mode */
	int			 color;		/* colours in use */
	int			 utf8;		/* UTF-8 glyphs */
	struct tui_glyphs	 g;
	attr_t			 attrs[TS_COUNT];
	struct screen		*top;		/* screen stack */
	int			 dirty;
	int			 quit;		/* leave tui_run */
	int			 cursor_y, cursor_x; /* -1: hidden */
	int			 w, h;
	int			 poll_fd;	/* engine events fd, or -1 */
	void			(*on_fd)(void *); /* poll_fd is readable */
	void			*fd_arg;
	/* Called for SIGTERM/SIGHUP while the engine runs (cancel it);
	 * NULL: restore the terminal and die by the signal. */
	void			(*on_terminate)(void *);
	void			*terminate_arg;
	char			*message;	/* one-line status, or NULL */
	int			 message_error;
};

/* The process-wide TUI. */
extern struct tui tui_global;

/* Enter screen mode (idempotent). Returns 0, or -1 with *cause set
 * (caller frees). */
int tui_start(const struct kw_options *, char **cause);
/* Leave screen mode and restore the terminal (idempotent, also from
 * atexit and fatal_hook). */
void tui_end(void);
/* Run the loop until tui->quit is set or the stack is empty. */
void tui_run(struct tui *);

/* Push a new screen with ops and data; returns it. */
struct screen *tui_push(struct tui *, const struct screen_ops *, void *data,
    int overlay);
/* Pop and free the given screen (must be on the stack). */
void tui_pop(struct tui *, struct screen *);
/* Pop and free every screen. */
void tui_pop_all(struct tui *);
/* Give an engine event to every screen's update op. */
void tui_dispatch_event(struct tui *, const struct event *);
/* Ask for a redraw. */
void tui_redraw(struct tui *);
/* Place the real cursor (screen readers) at y, x after drawing. */
void tui_cursor(struct tui *, int y, int x);
/* Set the one-line status message (copied); NULL clears. */
void tui_message(struct tui *, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Attribute for a style. */
attr_t tui_attr(enum tui_style);
/* Monotonic seconds. */
double tui_now(void);

/* Display width of a UTF-8 string (invalid bytes count 1). */
int tui_strwidth(const char *);
/* Field width for printf's "%-*s" that pads s to cols display columns. */
int tui_padw(const char *s, int cols);
/* Draw s at y, x in at most width columns with attr; control and
 * invalid bytes are shown as '?'. Returns the columns used. */
int tui_put(int y, int x, int width, attr_t, const char *s);
/* Same as tui_put for len bytes. */
int tui_putn(int y, int x, int width, attr_t, const char *s, size_t len);
/* Fill width columns at y, x with spaces in attr. */
void tui_fill(int y, int x, int width, attr_t);
/* Draw a box with an optional title. */
void tui_box(int y, int x, int h, int w, attr_t, const char *title);
/* Draw a title bar on line 0 and a key-hint footer on the last line.
 * hints is "KEY label|KEY label|..." (translated by the caller). */
void tui_frame(int w, int h, const char *title, const char *hints);
/* Draw the centred "terminal too small" message. */
void tui_draw_too_small(int w, int h);

#endif
