/* config.h: cluster.yaml <-> struct cluster, with libyaml. */
#ifndef KW_CONFIG_H
#define KW_CONFIG_H

/* Build configuration (autoconf): "config.h" names this module, so the
 * generated header is kwconfig.h, pulled in here for every file that
 * includes "config.h" first. */
#include "kwconfig.h"

#include "cluster.h"
#include "diag.h"

/* Largest config file accepted. */
#define CONFIG_MAX_SIZE (1024 * 1024)

/* Load and validate a config file. On success returns a cluster with
 * defaults applied (caller frees) and may add warnings to diags. On any
 * error returns NULL with the errors in diags, positioned at
 * file:line:column. */
struct cluster *config_load_file(const char *path, struct diag_list *diags);
/* Same as config_load_file for an in-memory document; name is used in
 * messages. */
struct cluster *config_load_buffer(const char *data, size_t len,
    const char *name, struct diag_list *diags);
/* Serialise a cluster to YAML. Caller frees. Returns NULL only on an
 * emitter failure, with *cause set (caller frees). */
char *config_to_yaml(const struct cluster *, char **cause);
/* Write a cluster to path atomically (temp file, fsync, rename), mode
 * 0600. Returns 0, or -1 with *cause set (caller frees). */
int config_save_file(const struct cluster *, const char *path, char **cause);
/* Print every diagnostic to stderr as file:line:column: level: path: msg. */
void config_print_diags(const struct diag_list *, const char *file);

#endif
