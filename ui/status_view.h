/* status_view.h: the status screen ("kubewiz status" in the TUI). This
 * header does not include curses. */
#ifndef KW_STATUS_VIEW_H
#define KW_STATUS_VIEW_H

#include "cluster.h"
#include "cmd.h"
#include "status.h"

/* Show the status of cluster c, queried with q (its prompts are replaced
 * by the screen's dialogs), refreshed on r, and every few seconds with
 * watch, until q or Esc. Returns KW_EXIT_OK when the last refresh found
 * the cluster healthy, KW_EXIT_FAILED otherwise, or -1 with *cause set
 * (caller frees) if the terminal cannot be used. c and q are borrowed. */
int ui_status(const struct kw_options *, const struct cluster *c,
    const struct status_query *q, int watch, char **cause);

#endif
