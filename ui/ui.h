/* ui.h: entry points of the ncurses front end, for the commands in src/.
 * This header does not include curses. */
#ifndef KW_UI_H
#define KW_UI_H

#include "cluster.h"
#include "cmd.h"

/* What the wizard ended with. */
enum ui_wizard_result {
	UI_WIZARD_QUIT,		/* the user left (a config may have been saved) */
	UI_WIZARD_INSTALL,	/* the user confirmed: install *out */
};

/* What the main menu chose. */
enum ui_menu_action {
	UI_MENU_QUIT,
	UI_MENU_NEW,		/* new install (the wizard) */
	UI_MENU_RESUME,		/* resume cluster *name */
	UI_MENU_STATUS,		/* open status of cluster *name */
};

/* Whether the TUI can run: stdin and stdout are terminals and neither
 * --no-tui nor a dumb TERM asks for plain output. */
int ui_available(const struct kw_options *);

/* Run the install wizard, pre-filled from prefill_file when not NULL
 * (errors in the file are shown, not fatal). On UI_WIZARD_INSTALL, *out
 * is the validated cluster (caller frees) and *saved_path the file it
 * was saved to, or NULL (caller frees). Returns -1 with *cause set
 * (caller frees) if the terminal cannot be used. The terminal stays in
 * screen mode so that ui_install can follow without flicker; call
 * ui_end when done. */
int ui_wizard(const struct kw_options *, const char *prefill_file,
    struct cluster **out, char **saved_path, char **cause);

/* Show the main menu. Returns an enum ui_menu_action; for RESUME and
 * STATUS, *name is the cluster's name (caller frees). Returns -1 with
 * *cause set if the terminal cannot be used. */
int ui_menu(const struct kw_options *, char **name, char **cause);

/* Restore the terminal (leave screen mode). Safe to call at any time,
 * also when the TUI never started. */
void ui_end(void);

#endif
