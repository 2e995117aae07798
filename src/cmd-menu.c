/* cmd-menu.c: the main menu, shown when kubewiz runs with no command: a
 * new install (the wizard), resume or status of a saved cluster. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "ui.h"

/* Open the main menu and run what it chose. */
int
cmd_menu(const struct kw_options *opts)
{
	char *name = NULL, *cause = NULL;
	char *argv[3] = { NULL, NULL, NULL };
	char status[] = "status";
	int action, rc;

	action = ui_menu(opts, &name, &cause);
	if (action < 0) {
		ui_end();
		fprintf(stderr, "kubewiz: %s\n", cause);
		free(cause);
		return KW_EXIT_USAGE;
	}
	switch (action) {
	case UI_MENU_NEW:
		rc = ui_install_command(opts, NULL);
		break;
	case UI_MENU_RESUME:
		rc = ui_resume_command(opts, name);
		break;
	case UI_MENU_STATUS:
		ui_end();
		argv[0] = status;
		argv[1] = name;
		optind = 0;
		rc = cmd_status_entry.exec(opts, 2, argv);
		break;
	default:
		rc = KW_EXIT_OK;
		break;
	}
	ui_end();
	free(name);
	return rc;
}
