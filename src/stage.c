/* stage.c: names and placement of the install stages. */
#include "config.h"

#include <string.h>

#include "i18n.h"
#include "stage.h"

#define STAGE_NAME(e, n, w) n,
static const char *const stage_names[] = { STAGE_TABLE(STAGE_NAME) };
#undef STAGE_NAME

#define STAGE_WHERE(e, n, w) STAGE_ON_##w,
static const enum stage_where stage_wheres[] = { STAGE_TABLE(STAGE_WHERE) };
#undef STAGE_WHERE

/* Name of a stage. */
const char *
stage_name(enum stage s)
{
	if ((int)s < 0 || s >= STAGE_COUNT)
		return "?";
	return stage_names[s];
}

/* The stages as users read them, in STAGE_TABLE's order (translated when
 * shown; the names stay in state, logs and arguments). */
static const char *const stage_labels[] = {
	N_("connect"), N_("preflight"), N_("system"), N_("runtime"),
	N_("packages"), N_("images"), N_("init"), N_("network"), N_("join"),
	N_("ready"), N_("dashboard"),
};
_Static_assert(sizeof stage_labels / sizeof stage_labels[0] == STAGE_COUNT,
    "a label for every stage");

/* A stage's name as the interface shows it, translated. */
const char *
stage_label(enum stage s)
{
	if ((int)s < 0 || s >= STAGE_COUNT)
		return "?";
	return _(stage_labels[s]);
}

/* Stage by name, or -1. */
int
stage_from_name(const char *name)
{
	int i;

	for (i = 0; i < STAGE_COUNT; i++) {
		if (strcmp(stage_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* Where a stage runs. */
enum stage_where
stage_where(enum stage s)
{
	return stage_wheres[s];
}
