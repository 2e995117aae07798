/* stage.c: names and placement of the install stages. */
#include "config.h"

#include <string.h>

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
