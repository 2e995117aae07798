/* secretcache.h: answers to password questions kept in memory, keyed by
 * the question's shape (the question with the node's name and address
 * replaced by '*'), so that one password typed for one node answers the
 * same question from the others. */
#ifndef KW_SECRETCACHE_H
#define KW_SECRETCACHE_H

#include <pthread.h>
#include <stddef.h>

#include "cluster.h"

/* A thread-safe list of (shape, answer) pairs; answers are secrets. */
struct secret_cache {
	pthread_mutex_t	  lock;
	char		**shapes;
	char		**answers;
	size_t		  n;
};

/* Initialise an empty cache. */
void secret_cache_init(struct secret_cache *);
/* Wipe and free every answer and reset the cache (its lock is destroyed). */
void secret_cache_clear(struct secret_cache *);
/* The shape of a question asked for node of cluster c. Caller frees. */
char *secret_cache_shape(const struct cluster *c, size_t node,
    const char *prompt);
/* A copy of the answer kept for shape (caller frees with xfree_secret),
 * or NULL. */
char *secret_cache_get(struct secret_cache *, const char *shape);
/* Keep a copy of answer for shape, replacing an older one. */
void secret_cache_put(struct secret_cache *, const char *shape,
    const char *answer);

#endif
