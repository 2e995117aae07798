/* stage.h: the install stages, in order (design.md, "Stages"). */
#ifndef KW_STAGE_H
#define KW_STAGE_H

/* X(enum, name, where): where = ALL (every node), FIRST (first control
 * plane), OTHERS (every node but the first control plane). */
#define STAGE_TABLE(X)				\
	X(STAGE_CONNECT,   "connect",   ALL)	\
	X(STAGE_PREFLIGHT, "preflight", ALL)	\
	X(STAGE_SYSTEM,    "system",    ALL)	\
	X(STAGE_RUNTIME,   "runtime",   ALL)	\
	X(STAGE_PACKAGES,  "packages",  ALL)	\
	X(STAGE_IMAGES,    "images",    ALL)	\
	X(STAGE_INIT,      "init",      FIRST)	\
	X(STAGE_NETWORK,   "network",   FIRST)	\
	X(STAGE_JOIN,      "join",      OTHERS)	\
	X(STAGE_READY,     "ready",     FIRST)	\
	X(STAGE_DASHBOARD, "dashboard", FIRST)

enum stage_where {
	STAGE_ON_ALL,
	STAGE_ON_FIRST,
	STAGE_ON_OTHERS,
};

#define STAGE_ENUM(e, n, w) e,
enum stage {
	STAGE_TABLE(STAGE_ENUM)
	STAGE_COUNT
};
#undef STAGE_ENUM

/* The stage's name ("init"), or "?" when out of range. */
const char *stage_name(enum stage);
/* The stage's name as users read it: translated ("初始化"). For display
 * only; state, logs and arguments use stage_name. */
const char *stage_label(enum stage);
/* Find a stage by name; returns -1 when unknown. */
int stage_from_name(const char *);
/* On which nodes the stage runs. */
enum stage_where stage_where(enum stage);

#endif
