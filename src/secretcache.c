/* secretcache.c: password answers kept in memory by question shape. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "secretcache.h"
#include "xmalloc.h"

/* Initialise an empty cache. */
void
secret_cache_init(struct secret_cache *sc)
{
	memset(sc, 0, sizeof *sc);
	pthread_mutex_init(&sc->lock, NULL);
}

/* Wipe every answer, free the cache and destroy its lock. */
void
secret_cache_clear(struct secret_cache *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++) {
		free(sc->shapes[i]);
		xfree_secret(sc->answers[i]);
	}
	free(sc->shapes);
	free(sc->answers);
	pthread_mutex_destroy(&sc->lock);
	memset(sc, 0, sizeof *sc);
}

/* The question with the node's name and SSH address replaced by '*'. */
char *
secret_cache_shape(const struct cluster *c, size_t node, const char *prompt)
{
	const char *subst[2], *p = NULL;
	char *out = NULL, *next = NULL;
	size_t i;

	subst[0] = c->nodes[node].name;
	subst[1] = cluster_node_ssh_address(&c->nodes[node]);
	out = xstrdup(prompt);
	for (i = 0; i < 2; i++) {
		if (subst[i] == NULL || *subst[i] == '\0')
			continue;
		while ((p = strstr(out, subst[i])) != NULL) {
			next = xasprintf("%.*s*%s", (int)(p - out), out,
			    p + strlen(subst[i]));
			free(out);
			out = next;
		}
	}
	return out;
}

/* A copy of the answer kept for a shape, or NULL. */
char *
secret_cache_get(struct secret_cache *sc, const char *shape)
{
	char *answer = NULL;
	size_t i;

	pthread_mutex_lock(&sc->lock);
	for (i = 0; i < sc->n; i++) {
		if (strcmp(sc->shapes[i], shape) == 0) {
			answer = xstrdup(sc->answers[i]);
			break;
		}
	}
	pthread_mutex_unlock(&sc->lock);
	return answer;
}

/* Keep an answer for a shape, replacing an older one. */
void
secret_cache_put(struct secret_cache *sc, const char *shape,
    const char *answer)
{
	size_t i;

	pthread_mutex_lock(&sc->lock);
	for (i = 0; i < sc->n; i++) {
		if (strcmp(sc->shapes[i], shape) == 0)
			break;
	}
	if (i == sc->n) {
		sc->shapes = xreallocarray(sc->shapes, sc->n + 1,
		    sizeof *sc->shapes);
		sc->answers = xreallocarray(sc->answers, sc->n + 1,
		    sizeof *sc->answers);
		sc->shapes[i] = xstrdup(shape);
		sc->answers[i] = NULL;
		sc->n++;
	}
	xfree_secret(sc->answers[i]);
	sc->answers[i] = xstrdup(answer);
	pthread_mutex_unlock(&sc->lock);
}
