/* curses-compat.h: the one place ui/ includes curses (ncursesw, wide API). */
#ifndef KW_CURSES_COMPAT_H
#define KW_CURSES_COMPAT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <curses.h>

#endif
