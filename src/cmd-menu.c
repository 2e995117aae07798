/* cmd-menu.c: the main menu, shown when kubewiz runs with no command. It
 * only chooses; the install, resume and status commands do the work, in
 * the same terminal session. */
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
	char install[] = "install", resume[] = "resume", status[] = "status";
	int action, rc;

	action = ui_menu(opts, &name, &cause);
	if (action < 0) {
		ui_end();
		fprintf(stderr, "kubewiz: %s\n", cause);
		free(cause);
		return KW_EXIT_USAGE;
	}
	optind = 0;	/* the commands parse their own options */
	switch (action) {
	case UI_MENU_NEW:
		argv[0] = install;
		rc = cmd_install_entry.exec(opts, 1, argv);
		break;
	case UI_MENU_RESUME:
		argv[0] = resume;
		argv[1] = name;
		rc = cmd_resume_entry.exec(opts, 2, argv);
		break;
	case UI_MENU_STATUS:
		ui_end();
		argv[0] = status;
		argv[1] = name;
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
