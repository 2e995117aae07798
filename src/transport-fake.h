/* transport-fake.h: a scripted transport for unit tests. Each expected
 * call is queued with its result; calls are checked against the script in
 * order, and anything unexpected fails the call and is reported by
 * transport_fake_verify. Built only for tests (libkwfake.a). */
#ifndef KW_TRANSPORT_FAKE_H
#define KW_TRANSPORT_FAKE_H

#include <stddef.h>

#include "transport.h"

struct transport_fake;

/* Create a fake transport for node; *fake is its script, owned by the
 * transport (freed by transport_free). */
struct transport *transport_fake_new(const char *node,
    struct transport_fake **fake);

/* Expect a connect returning rc; cause is the failure text (may be
 * NULL). */
void	transport_fake_expect_connect(struct transport_fake *, int rc,
	    const char *cause);
/* Expect a run whose script contains needle (NULL: any script). It
 * delivers out and err (lines split on \n, a final line without \n
 * delivered too), sets exit_status and returns rc (with cause "fake: "
 * followed by the needle when rc is not TRANSPORT_OK). */
void	transport_fake_expect_run(struct transport_fake *, const char *needle,
	    const char *out, const char *err, int exit_status, int rc);
/* Expect a run (script containing needle) that hangs until
 * transport_cancel, then returns TRANSPORT_CANCELLED. */
void	transport_fake_expect_hang(struct transport_fake *,
	    const char *needle);
/* Expect a put of path with mode, returning rc. */
void	transport_fake_expect_put(struct transport_fake *, const char *path,
	    int mode, int rc);

/* NULL if every expectation was met, in order, and nothing else was
 * called; else what went wrong. Caller frees. */
char	*transport_fake_verify(struct transport_fake *);
/* The script of the n-th run (0-based) as called, or NULL. */
const char *transport_fake_script(struct transport_fake *, size_t n);
/* The data of the last put to path, or NULL; sets *len. */
const void *transport_fake_put_data(struct transport_fake *,
	    const char *path, size_t *len);
/* Whether transport_cancel was called. */
int	transport_fake_cancelled(struct transport_fake *);

#endif
