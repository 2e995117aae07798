/* ttyask.h: questions on the controlling terminal for the day-2 commands
 * in plain mode (status, reset, add-node): SSH prompts (a password with
 * echo off; unknown host keys are refused with advice) and a typed
 * confirmation. Safe to call from several threads: one question at a
 * time. */
#ifndef KW_TTYASK_H
#define KW_TTYASK_H

#include "transport.h"

/* Fill prompts with the terminal's answers. */
void ttyask_prompts(struct transport_prompts *);
/* Show prompt on /dev/tty and read one line (without its newline).
 * Returns NULL when there is no terminal or on end of file. Caller
 * frees. */
char *ttyask_line(const char *prompt);
/* The same with echo off, for a secret. Caller frees with
 * xfree_secret. */
char *ttyask_secret_line(const char *prompt);

/* The length of a question without its closing colon and spaces (ASCII,
 * or the full-width colon of a translation): "[sudo] password for kw on
 * k8s-master: " -> "[sudo] password for kw on k8s-master". */
size_t ttyask_stem_len(const char *prompt);

#endif
