/* cmd-menu.c: the main menu, shown when kubewiz runs with no command. */
#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "i18n.h"

/* Open the main menu: not built yet. */
int
cmd_menu(const struct kw_options *opts)
{
	(void)opts;
	fprintf(stderr, _("kubewiz: the main menu is not built yet; "
	    "try 'kubewiz --help'\n"));
	return KW_EXIT_USAGE;
}
