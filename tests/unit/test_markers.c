/* test_markers.c: unit tests for the "::kubewiz::" line parser, with real
 * stage output and hostile lines. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "markers.h"
#include "xmalloc.h"

/* A value the free() wrapper looks for: freed blocks that still begin with
 * it were not wiped. */
static const char	 spy_secret[] = "hunter2-s3cr3t-value";
static int		 spy_unwiped;

void __real_free(void *);
void __wrap_free(void *);

/* Stands in for free (the test links with --wrap=free): counts blocks
 * freed while still holding spy_secret, then frees them. */
void
__wrap_free(void *p)
{
	if (p != NULL && strncmp(p, spy_secret, sizeof spy_secret - 1) == 0)
		spy_unwiped++;
	__real_free(p);
}

/* Parse s from an exactly-sized heap copy (so reading past len is caught
 * under ASan) and return the kind. */
static enum marker_kind
parse_exact(const char *s, size_t len, struct marker *m)
{
	enum marker_kind	 kind;
	char			*copy = NULL;

	if (len > 0) {
		copy = xmalloc(len);
		memcpy(copy, s, len);
	}
	kind = marker_parse(copy != NULL ? copy : "", len, m);
	free(copy);
	return kind;
}

/* Parse a NUL-terminated line that must give kind, key and value. */
static void
check_line(const char *line, enum marker_kind kind, const char *key,
    const char *value)
{
	struct marker	m;

	if (parse_exact(line, strlen(line), &m) != kind)
		fail_msg("\"%s\": kind %d, not %d", line, m.kind, kind);
	assert_int_equal(m.kind, kind);
	if (key == NULL)
		assert_null(m.key);
	else
		assert_string_equal(m.key, key);
	if (value == NULL)
		assert_null(m.value);
	else
		assert_string_equal(m.value, value);
	marker_clear(&m);
	assert_int_equal(m.kind, MARKER_NONE);
	assert_null(m.key);
	assert_null(m.value);
}

/* Lines as the stage scripts print them. */
static void
test_real_lines(void **state)
{
	(void)state;
	check_line("::kubewiz:: step Installing docker-ce 20.10.7",
	    MARKER_STEP, NULL, "Installing docker-ce 20.10.7");
	check_line("::kubewiz:: skip kubeadm init already done "
	    "(/etc/kubernetes/admin.conf exists)", MARKER_SKIP, NULL,
	    "kubeadm init already done (/etc/kubernetes/admin.conf exists)");
	check_line("::kubewiz:: warn swap was on; turned it off",
	    MARKER_WARN, NULL, "swap was on; turned it off");
	check_line("::kubewiz:: step \xe5\xae\x89\xe8\xa3\x85 Docker",
	    MARKER_STEP, NULL, "\xe5\xae\x89\xe8\xa3\x85 Docker");
	check_line("::kubewiz:: fact os_family=rpm", MARKER_FACT, "os_family",
	    "rpm");
	check_line("::kubewiz:: fact ipv4_nets=10.0.0.5/24 172.17.0.1/16",
	    MARKER_FACT, "ipv4_nets", "10.0.0.5/24 172.17.0.1/16");
	check_line("::kubewiz:: fact product_uuid=4C4C4544-0034-5910-8058-B4C04F4D4B32",
	    MARKER_FACT, "product_uuid", "4C4C4544-0034-5910-8058-B4C04F4D4B32");
	check_line("::kubewiz:: fact os.version-id=7.9", MARKER_FACT,
	    "os.version-id", "7.9");
	check_line("::kubewiz:: fact swap_on=", MARKER_FACT, "swap_on", "");
	check_line("::kubewiz:: output CA_HASH=sha256:"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    MARKER_OUTPUT, "CA_HASH", "sha256:"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	check_line("::kubewiz:: output DASHBOARD_URL=https://10.0.0.1:30443/",
	    MARKER_OUTPUT, "DASHBOARD_URL", "https://10.0.0.1:30443/");
	check_line("::kubewiz:: output DASHBOARD_PORT=30443", MARKER_OUTPUT,
	    "DASHBOARD_PORT", "30443");
	check_line("::kubewiz:: output SECRET_DASHBOARD_TOKEN=eyJhbGciOiJSUzI1NiIs.x-y_z",
	    MARKER_OUTPUT, "SECRET_DASHBOARD_TOKEN", "eyJhbGciOiJSUzI1NiIs.x-y_z");
	check_line("::kubewiz:: output SECRET_ADMIN_CONF_B64=YXBpVmVyc2lvbjogdjEK==",
	    MARKER_OUTPUT, "SECRET_ADMIN_CONF_B64", "YXBpVmVyc2lvbjogdjEK==");
	check_line("::kubewiz:: output TOKEN_EXPIRES=", MARKER_OUTPUT,
	    "TOKEN_EXPIRES", "");
	/* The first '=' ends the key; later ones belong to the value. */
	check_line("::kubewiz:: output X=a=b==", MARKER_OUTPUT, "X", "a=b==");
	/* Text keeps inner spacing and tabs; a trailing CR is dropped. */
	check_line("::kubewiz:: step  indented\tand tabbed ", MARKER_STEP, NULL,
	    " indented\tand tabbed ");
	check_line("::kubewiz:: fact arch=x86_64\r", MARKER_FACT, "arch", "x86_64");
}

/* Ordinary output is MARKER_NONE, whatever it holds. */
static void
test_ordinary_lines(void **state)
{
	static const char *lines[] = {
		"", "Loaded plugins: fastestmirror",
		"[init] Using Kubernetes version: v1.20.9",
		" ::kubewiz:: step leading space", "\t::kubewiz:: step tab",
		":kubewiz:: step x", "::kubewiz: step x", "::KUBEWIZ:: step x",
		"::kubewi", "kubewiz:: step", "echo '::kubewiz:: step x'",
		"\xff\xfe binary \x01\x02", "\x1b[31mred\x1b[0m",
	};
	struct marker	m;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (parse_exact(lines[i], strlen(lines[i]), &m) != MARKER_NONE)
			fail_msg("\"%s\" is not an ordinary line", lines[i]);
		assert_null(m.key);
		assert_null(m.value);
		marker_clear(&m);
	}
	/* Embedded NULs in an ordinary line. */
	assert_int_equal(parse_exact("abc\0def", 7, &m), MARKER_NONE);
	assert_int_equal(parse_exact("\0::kubewiz:: step x", 19, &m), MARKER_NONE);
	/* NULL line. */
	assert_int_equal(marker_parse(NULL, 5, &m), MARKER_NONE);
}

/* Lines that start like markers but are malformed are MARKER_INVALID. */
static void
test_invalid_lines(void **state)
{
	static const char *lines[] = {
		"::kubewiz::", "::kubewiz::step x", "::kubewiz:: ", "::kubewiz::  ",
		"::kubewiz::\tstep x", "::kubewiz::\r", "::kubewiz:: \r",
		"::kubewiz:: step", "::kubewiz:: step ", "::kubewiz:: step    ",
		"::kubewiz:: step \t", "::kubewiz:: step\tx", "::kubewiz:: skip",
		"::kubewiz:: warn ", "::kubewiz:: bogus x", "::kubewiz:: STEP x",
		"::kubewiz:: Step x", "::kubewiz::  step x", "::kubewiz:: steps x",
		"::kubewiz:: ste x", "::kubewiz:: fact", "::kubewiz:: fact ",
		"::kubewiz:: fact x", "::kubewiz:: fact =v", "::kubewiz:: fact  x=v",
		"::kubewiz:: fact a b=c", "::kubewiz:: fact a$=c", "::kubewiz:: fact a/b=c",
		"::kubewiz:: fact a:b=c", "::kubewiz:: fact \xc3\xa9=c",
		"::kubewiz:: output lower=x", "::kubewiz:: output A.B=x",
		"::kubewiz:: output A-B=x", "::kubewiz:: output =x",
		"::kubewiz:: output NOVALUE", "::kubewiz:: output SECRET_X",
		/* Control bytes and broken UTF-8 in text or values. */
		"::kubewiz:: step \x1b[2Jcleared", "::kubewiz:: step a\x7f",
		"::kubewiz:: step \xc2\x9b[31m", "::kubewiz:: step \x01",
		"::kubewiz:: step a\rb", "::kubewiz:: step a\nb",
		"::kubewiz:: fact os_id=\xff", "::kubewiz:: step \xc0\xaf",
		"::kubewiz:: step \xe0\x80\xaf", "::kubewiz:: step \xed\xa0\x80",
		"::kubewiz:: step \xf4\x90\x80\x80", "::kubewiz:: step \xf8\x88\x80\x80\x80",
		"::kubewiz:: step end \xe2\x82", "::kubewiz:: step \x80",
		"::kubewiz:: step \xc3", "::kubewiz:: output X=\xfe",
		"::kubewiz:: step x\r\r",
	};
	struct marker	m;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (parse_exact(lines[i], strlen(lines[i]), &m) != MARKER_INVALID)
			fail_msg("\"%s\" was not refused (kind %d)", lines[i],
			    m.kind);
		assert_int_equal(m.kind, MARKER_INVALID);
		assert_null(m.key);
		assert_null(m.value);
		marker_clear(&m);
	}
	/* NUL bytes inside a marker line. */
	assert_int_equal(parse_exact("::kubewiz:: step a\0b", 20, &m),
	    MARKER_INVALID);
	assert_int_equal(parse_exact("::kubewiz:: fact k=v\0", 21, &m),
	    MARKER_INVALID);
	assert_int_equal(parse_exact("::kubewiz::\0step x", 18, &m),
	    MARKER_INVALID);
	assert_int_equal(parse_exact("::kubewiz:: output SECRET_X=a\0b", 31, &m),
	    MARKER_INVALID);
	assert_null(m.value);
}

/* Only len bytes are read: a longer buffer's tail does not count. */
static void
test_length_bound(void **state)
{
	struct marker	m;

	(void)state;
	assert_int_equal(marker_parse("::kubewiz:: fact a=bcdef", 20, &m),
	    MARKER_FACT);
	assert_string_equal(m.key, "a");
	assert_string_equal(m.value, "b");
	marker_clear(&m);
	assert_int_equal(marker_parse("::kubewiz:: step xyz", 17, &m),
	    MARKER_INVALID);
	assert_int_equal(marker_parse("::kubewiz:: step xyz", 11, &m),
	    MARKER_INVALID);
	assert_int_equal(marker_parse("::kubewiz:: step xyz", 10, &m),
	    MARKER_NONE);
	assert_int_equal(marker_parse("::kubewiz:: step xyz", 0, &m),
	    MARKER_NONE);
}

/* The longest accepted line passes; one byte more is refused. */
static void
test_overlong(void **state)
{
	static const char	 head[] = "::kubewiz:: output SECRET_ADMIN_CONF_B64=";
	struct marker		 m;
	char			*line;
	size_t			 len = MARKER_MAX_LEN + 1, hl = sizeof head - 1;

	(void)state;
	line = xmalloc(len + 1);
	memcpy(line, head, hl);
	memset(line + hl, 'Q', len - hl);
	line[len] = '\0';

	assert_int_equal(parse_exact(line, MARKER_MAX_LEN, &m), MARKER_OUTPUT);
	assert_int_equal(strlen(m.value), MARKER_MAX_LEN - hl);
	marker_clear(&m);
	assert_int_equal(parse_exact(line, MARKER_MAX_LEN + 1, &m), MARKER_INVALID);
	assert_null(m.value);
	/* A CR at the end does not count against the limit. */
	line[MARKER_MAX_LEN] = '\r';
	assert_int_equal(parse_exact(line, MARKER_MAX_LEN + 1, &m), MARKER_OUTPUT);
	marker_clear(&m);
	/* An overlong ordinary line is still ordinary. */
	memset(line, 'x', len);
	assert_int_equal(parse_exact(line, len, &m), MARKER_NONE);
	free(line);
}

/* Secret keys are recognised; clearing wipes their values, not others'. */
static void
test_secrets(void **state)
{
	struct marker	 m;
	char		*line;

	(void)state;
	assert_true(marker_key_is_secret("SECRET_DASHBOARD_TOKEN"));
	assert_true(marker_key_is_secret("SECRET_"));
	assert_false(marker_key_is_secret("SECRET"));
	assert_false(marker_key_is_secret("DASHBOARD_TOKEN"));
	assert_false(marker_key_is_secret("secret_x"));
	assert_false(marker_key_is_secret("X_SECRET_Y"));
	assert_false(marker_key_is_secret(""));
	assert_false(marker_key_is_secret(NULL));

	/* A secret value is wiped before it is freed. */
	line = xasprintf("::kubewiz:: output SECRET_DASHBOARD_TOKEN=%s", spy_secret);
	spy_unwiped = 0;
	assert_int_equal(marker_parse(line, strlen(line), &m), MARKER_OUTPUT);
	assert_string_equal(m.value, spy_secret);
	marker_clear(&m);
	assert_int_equal(spy_unwiped, 0);
	free(line);

	/* The same value under a plain key is freed as is: the spy sees it
	 * (this proves the check above can fail). */
	line = xasprintf("::kubewiz:: output DASHBOARD_TOKEN=%s", spy_secret);
	spy_unwiped = 0;
	assert_int_equal(marker_parse(line, strlen(line), &m), MARKER_OUTPUT);
	marker_clear(&m);
	assert_int_equal(spy_unwiped, 1);
	free(line);

	/* Clearing an empty or already cleared marker is harmless. */
	marker_clear(&m);
	assert_int_equal(marker_parse("plain", 5, &m), MARKER_NONE);
	marker_clear(&m);
}

/* Random bytes around a real prefix never crash and keep the invariants. */
static void
test_random_bytes(void **state)
{
	static const char	*stems[] = {
		"", "::kubewiz:: ", "::kubewiz:: step ", "::kubewiz:: fact ",
		"::kubewiz:: output ", "::kubewiz:: output SECRET_A=",
	};
	uint32_t		 x = 0x6d61726b;	/* xorshift32 seed */
	struct marker		 m;
	char			 line[200];
	size_t			 n, sl, i;
	int			 round;
	enum marker_kind	 kind;

	(void)state;
	for (round = 0; round < 20000; round++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		sl = strlen(stems[x % 6]);
		memcpy(line, stems[x % 6], sl);
		n = sl + (x >> 8) % (sizeof line - sl);
		for (i = sl; i < n; i++) {
			x ^= x << 13; x ^= x >> 17; x ^= x << 5;
			/* Mostly printable, sometimes anything. */
			line[i] = (x & 7) == 0 ? (char)(x >> 24) :
			    (char)(' ' + (x >> 8) % 95);
		}
		kind = parse_exact(line, n, &m);
		assert_int_equal(kind, m.kind);
		switch (kind) {
		case MARKER_NONE:
			assert_true(sl == 0);
			/* FALLTHROUGH */
		case MARKER_INVALID:
			assert_null(m.key);
			assert_null(m.value);
			break;
		case MARKER_STEP:
		case MARKER_SKIP:
		case MARKER_WARN:
			assert_null(m.key);
			assert_non_null(m.value);
			assert_true(strlen(m.value) < n);
			break;
		case MARKER_FACT:
		case MARKER_OUTPUT:
			assert_non_null(m.key);
			assert_non_null(m.value);
			assert_true(strlen(m.key) + strlen(m.value) < n);
			break;
		}
		marker_clear(&m);
	}
}

/* Run every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_lines),
		cmocka_unit_test(test_ordinary_lines),
		cmocka_unit_test(test_invalid_lines),
		cmocka_unit_test(test_length_bound),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
