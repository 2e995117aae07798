/* reset_view.h: the reset screen ("kubewiz reset" in the TUI): the name
 * typed in a dialog, then the reset's output as it happens. This header
 * does not include curses. */
#ifndef KW_RESET_VIEW_H
#define KW_RESET_VIEW_H

#include "cluster.h"
#include "cmd.h"
#include "transport.h"

/* Where the work writes its output: one line, error or not. May be
 * called from any thread. */
typedef void (*ui_reset_say_fn)(void *say_arg, int error, const char *line);
/* The work, run in a thread once confirmed: it asks its SSH questions
 * through prompts and returns an enum kw_exit. */
typedef int (*ui_reset_work_fn)(void *arg,
    const struct transport_prompts *prompts, ui_reset_say_fn say,
    void *say_arg);

/* Show warning and ask for expect to be typed; when it is, run work and
 * show its output until q. Returns work's enum kw_exit, KW_EXIT_REFUSED
 * when the name was not typed, or -1 with *cause set (caller frees) if
 * the terminal cannot be used. c is borrowed (for node names). */
int ui_reset(const struct kw_options *, const struct cluster *c,
    const char *title, const char *warning, const char *expect,
    ui_reset_work_fn work, void *arg, char **cause);

#endif
