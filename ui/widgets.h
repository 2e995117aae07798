/* widgets.h: text fields, lists, buttons, dialogs and the pager. */
#ifndef KW_WIDGETS_H
#define KW_WIDGETS_H

#include <stddef.h>
#include <wchar.h>

#include "tui.h"

/* A one-line text field, edited in wide characters. */
struct wtext {
	wchar_t	*buf;
	size_t	 len;
	size_t	 cap;
	size_t	 cursor;	/* index into buf */
	size_t	 scroll;	/* first shown index */
	int	 secret;	/* never drawn (no echo) */
	size_t	 max;		/* maximum length, 0 = 1024 */
};

/* Initialise a field with UTF-8 text (may be NULL). */
void wtext_init(struct wtext *, const char *text);
/* Free the field's buffer (wiped). */
void wtext_free(struct wtext *);
/* Replace the text (UTF-8, may be NULL); the cursor goes to the end. */
void wtext_set(struct wtext *, const char *text);
/* The text as UTF-8. Caller frees (xfree_secret for secrets). */
char *wtext_get(const struct wtext *);
/* Whether the field is empty. */
int wtext_empty(const struct wtext *);
/* Handle an editing key; returns 1 if the text or cursor changed. */
int wtext_key(struct wtext *, int key);
/* Draw in width columns at y, x; focused fields place the cursor. */
void wtext_draw(struct wtext *, int y, int x, int width, int focused);

/* A scrolling selection over n rows. */
struct wlist {
	int	n;
	int	sel;
	int	top;
};

/* Handle a movement key over page rows; returns 1 if used. */
int wlist_key(struct wlist *, int key, int page);
/* Keep the selection visible in page rows. */
void wlist_fix(struct wlist *, int page);

/* Draw a button "[ label ]" at y, x; returns its width. Disabled buttons
 * are dim and bracketed with parentheses, so it shows without colour. */
int wbutton_draw(int y, int x, const char *label, int focused, int disabled);
/* Width of a button. */
int wbutton_width(const char *label);

/* Ask a yes/no question in a dialog; the default is No. cb gets 1 for yes;
 * title and text are copied. */
void dialog_yesno(struct tui *, const char *title, const char *text,
    void (*cb)(void *, int), void *arg);
/* Show a message with an OK button; cb (may be NULL) runs on close. */
void dialog_message(struct tui *, const char *title, const char *text,
    void (*cb)(void *), void *arg);
/* Ask for a secret without echo. cb gets the text (wiped after the call)
 * or NULL when cancelled. */
void dialog_secret(struct tui *, const char *title, const char *text,
    void (*cb)(void *, const char *), void *arg);
/* Ask for one line of text, pre-filled with initial. cb gets the text or
 * NULL when cancelled. */
void dialog_input(struct tui *, const char *title, const char *text,
    const char *initial, void (*cb)(void *, const char *), void *arg);

/* A pager over lines of text with scrolling and search. */
struct pager;

/* Open a pager screen titled title (copied). Lines are added with
 * pager_add; follow keeps the last line in view as lines arrive. */
struct pager *pager_open(struct tui *, const char *title, int follow);
/* Append a line (len bytes, copied). */
void pager_add(struct pager *, const char *line, size_t len);
/* Append the lines of a file; returns 0 or -1 with errno set. */
int pager_add_file(struct pager *, const char *path);
/* Whether the pager (by pointer) is still open on the stack. */
int pager_is_open(struct tui *, const struct pager *);

/* Split text into lines, wrapped at width columns (word boundaries where
 * possible); returns the number of lines in *out (caller frees each and
 * the array). */
size_t wrap_text(const char *text, int width, char ***out);

#endif
