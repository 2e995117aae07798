/* i18n.h: gettext markers for every user-facing string. */
#ifndef KW_I18N_H
#define KW_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
