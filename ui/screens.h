/* screens.h: screens that open other screens (progress -> final). */
#ifndef KW_SCREENS_H
#define KW_SCREENS_H

#include "cluster.h"
#include "tui.h"
#include "ui.h"

/* Open the final screen of a successful install. node_ready[i] says
 * whether node i finished every task (NULL: all). The cluster and ops are
 * borrowed and must outlive the screen. q or Esc ends the loop. */
void summary_open(struct tui *, const struct cluster *,
    const struct ui_install_ops *, const int *node_ready);

/* Check the nodes of a valid cluster (copied): connect and preflight in
 * parallel, nothing changed; a screen shows the results. */
void check_open(struct tui *, const struct cluster *, const char *state_dir,
    int parallel);

#endif
