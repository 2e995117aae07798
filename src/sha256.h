/* sha256.h: SHA-256 (FIPS 180-4), for the input hashes of install tasks. */
#ifndef KW_SHA256_H
#define KW_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_HEX_LEN		64

/* A running hash; fill with sha256_init. */
struct sha256 {
	uint32_t	h[8];
	uint64_t	total;		/* bytes hashed so far */
	uint8_t		block[64];
	size_t		nblock;		/* bytes waiting in block */
};

/* Start a new hash. */
void sha256_init(struct sha256 *);
/* Add n bytes of data. */
void sha256_update(struct sha256 *, const void *data, size_t n);
/* Finish: write the 32-byte digest to out. The state is then spent. */
void sha256_final(struct sha256 *, uint8_t out[SHA256_DIGEST_LEN]);
/* Hash data in one go and write the lowercase hex digest and a NUL to
 * hex (65 bytes). */
void sha256_hex(const void *data, size_t n, char hex[SHA256_HEX_LEN + 1]);

#endif
