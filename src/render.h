/* render.h: what runs on a node: lib.sh, a preamble of shell-quoted
 * variables derived from the cluster, and one stage script. */
#ifndef KW_RENDER_H
#define KW_RENDER_H

#include <stddef.h>

#include "cluster.h"
#include "stage.h"

/* Extra KEY=value pairs known only at run time (join command, facts).
 * Keys must be shell names; values are quoted. Borrowed. */
struct render_var {
	const char	*key;
	const char	*value;
};

/* Render the full script for a node and stage. Returns a new string
 * (caller frees; it may hold secrets: wipe with xfree_secret) and its
 * length in *len. Never pastes a value unquoted. */
char *render_script(const struct cluster *, size_t node,
    enum stage, const struct render_var *vars, size_t nvars, size_t *len);
/* Render a script by name: a stage, or one of the extra scripts run by the
 * engine: "join-prep" (on the first control plane before each join) and
 * "reset". Same contract as render_script; aborts on an unknown name. */
char *render_named_script(const struct cluster *, size_t node,
    const char *name, const struct render_var *vars, size_t nvars,
    size_t *len);
/* The embedded source of a stage (or of "lib"), or NULL. Static. */
const char *render_stage_source(const char *name);
/* A hex SHA-256 of the inputs that decide what a task does (the rendered
 * script, minus run-time secrets), used to skip done tasks on resume.
 * Caller frees. */
char *render_input_hash(const struct cluster *, size_t node, enum stage);

#endif
