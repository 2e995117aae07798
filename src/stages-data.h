/* stages-data.h: the stage scripts, embedded at build time. The table is in
 * stages-data.c, generated from the src/stages scripts by src/stages/embed.sh. */
#ifndef KW_STAGES_DATA_H
#define KW_STAGES_DATA_H

/* One embedded script: "lib", "connect", "join-prep", ... */
struct stage_source {
	const char	*name;
	const char	*text;
};

/* Every embedded script; the last entry has name NULL. Static data. */
extern const struct stage_source stage_sources[];

#endif
