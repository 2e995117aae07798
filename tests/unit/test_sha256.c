/* test_sha256.c: SHA-256 against the FIPS 180-4 example vectors. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sha256.h"
#include "xmalloc.h"

/* Hash a string in one go and compare with the expected hex digest. */
static void
check_hex(const char *msg, size_t n, const char *want)
{
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(msg, n, hex);
	assert_string_equal(hex, want);
}

/* The empty message. */
static void
test_empty(void **state)
{
	(void)state;
	check_hex("", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-4 one-block example "abc". */
static void
test_abc(void **state)
{
	(void)state;
	check_hex("abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* FIPS 180-4 two-block example (448 bits). */
static void
test_two_blocks(void **state)
{
	static const char m[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	check_hex(m, strlen(m),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The 896-bit example message. */
static void
test_896_bits(void **state)
{
	static const char m[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	(void)state;
	check_hex(m, strlen(m),
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in uneven pieces. */
static void
test_million_a(void **state)
{
	struct sha256 s;
	uint8_t d[SHA256_DIGEST_LEN];
	char piece[997];
	size_t left = 1000000, take;
	static const uint8_t want[SHA256_DIGEST_LEN] = {
		0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7,
		0xe2, 0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97,
		0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0,
	};

	(void)state;
	memset(piece, 'a', sizeof piece);
	sha256_init(&s);
	while (left > 0) {
		take = left < sizeof piece ? left : sizeof piece;
		sha256_update(&s, piece, take);
		left -= take;
	}
	sha256_final(&s, d);
	assert_memory_equal(d, want, sizeof want);
}

/* Lengths around the padding boundaries (checked with sha256sum), hashed
 * both in one go and one byte at a time. */
static void
test_padding_edges(void **state)
{
	static const struct {
		size_t		 n;
		const char	*hex;
	} cases[] = {
		{ 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072" },
		{ 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e" },
		{ 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2" },
		{ 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c" },
		{ 65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9" },
		{ 119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c" },
		{ 120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98" },
	};
	char m[128], hex[3], got[SHA256_HEX_LEN + 1];
	struct sha256 s;
	uint8_t d[SHA256_DIGEST_LEN];
	size_t i, j;

	(void)state;
	memset(m, 'x', sizeof m);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_hex(m, cases[i].n, cases[i].hex);
		sha256_init(&s);
		for (j = 0; j < cases[i].n; j++)
			sha256_update(&s, m + j, 1);
		sha256_final(&s, d);
		for (j = 0; j < SHA256_DIGEST_LEN; j++) {
			snprintf(hex, sizeof hex, "%02x", d[j]);
			memcpy(got + 2 * j, hex, 2);
		}
		got[SHA256_HEX_LEN] = '\0';
		assert_string_equal(got, cases[i].hex);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_two_blocks),
		cmocka_unit_test(test_896_bits),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
