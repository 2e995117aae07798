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

/* Parse a template line that must give kind, template and arguments (a
 * NULL-terminated list). */
static void
check_template(const char *line, enum marker_kind kind, const char *tmpl,
    ...)
{
	struct marker	 m;
	va_list		 ap;
	const char	*arg;
	size_t		 n = 0;

	assert_int_equal(parse_exact(line, strlen(line), &m), kind);
	assert_int_equal(m.kind, kind);
	assert_true(m.templated);
	assert_null(m.key);
	assert_string_equal(m.value, tmpl);
	va_start(ap, tmpl);
	while ((arg = va_arg(ap, const char *)) != NULL) {
		assert_true(n < m.nargs);
		assert_string_equal(m.args[n], arg);
		n++;
	}
	va_end(ap);
	assert_int_equal(m.nargs, n);
	if (n == 0)
		assert_null(m.args);
	marker_clear(&m);
	assert_int_equal(m.kind, MARKER_NONE);
	assert_null(m.value);
	assert_null(m.args);
	assert_int_equal(m.nargs, 0);
	assert_false(m.templated);
}

/* Template markers as lib.sh's kw_stepf, kw_skipf, kw_warnf and kw_die
 * print them; the old verbs keep their tabs as text. */
static void
test_template_lines(void **state)
{
	struct marker	m;

	(void)state;
	check_template("::kubewiz:: stepf pulling {1} image(s) from {2}\t7\t"
	    "registry.aliyuncs.com/google_containers", MARKER_STEP,
	    "pulling {1} image(s) from {2}", "7",
	    "registry.aliyuncs.com/google_containers", NULL);
	check_template("::kubewiz:: skipf {1} was already installed\t"
	    "dashboard", MARKER_SKIP, "{1} was already installed",
	    "dashboard", NULL);
	check_template("::kubewiz:: warnf {1}: could not restart {2}\tnode 1"
	    "\tdocker", MARKER_WARN, "{1}: could not restart {2}", "node 1",
	    "docker", NULL);
	check_template("::kubewiz:: error cannot download {1}\t"
	    "https://example.com/a b\r", MARKER_ERROR, "cannot download {1}",
	    "https://example.com/a b", NULL);
	/* No arguments, empty arguments, nine of them. */
	check_template("::kubewiz:: error kubeadm token create failed",
	    MARKER_ERROR, "kubeadm token create failed", NULL);
	check_template("::kubewiz:: logf still waiting ({1}s of {2}s)\t30\t300",
	    MARKER_LOG, "still waiting ({1}s of {2}s)", "30", "300", NULL);
	check_template("::kubewiz:: stepf a {1}{2} b\t\t", MARKER_STEP,
	    "a {1}{2} b", "", "", NULL);
	check_template("::kubewiz:: stepf x\t1\t2\t3\t4\t5\t6\t7\t8\t9",
	    MARKER_STEP, "x", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	    NULL);
	/* Arguments are text like any other: spaces, CJK, format-like. */
	check_template("::kubewiz:: warnf {1}\t %s%n{2} \xe8\x8a\x82\xe7\x82\xb9 ",
	    MARKER_WARN, "{1}", " %s%n{2} \xe8\x8a\x82\xe7\x82\xb9 ", NULL);
	/* The old verbs: a tab is part of the text, nothing is an argument. */
	assert_int_equal(parse_exact("::kubewiz:: step a\tb", 20, &m),
	    MARKER_STEP);
	assert_false(m.templated);
	assert_string_equal(m.value, "a\tb");
	assert_null(m.args);
	assert_int_equal(m.nargs, 0);
	marker_clear(&m);
}

/* Template markers that break the rules. */
static void
test_template_invalid(void **state)
{
	static const char *lines[] = {
		"::kubewiz:: stepf",
		"::kubewiz:: stepf ",
		"::kubewiz:: error ",
		"::kubewiz:: error \t",
		"::kubewiz:: warnf  \targ",
		"::kubewiz:: skipf \t\t",
		/* ten arguments */
		"::kubewiz:: stepf x\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10",
		"::kubewiz:: stepf x\t\t\t\t\t\t\t\t\t\t",
		/* control bytes and bad UTF-8 in an argument */
		"::kubewiz:: stepf x {1}\ta\x01b",
		"::kubewiz:: stepf x {1}\ta\nb",
		"::kubewiz:: error x {1}\t\xc3",
		"::kubewiz:: stepff x",
		"::kubewiz:: logf ",
		"::kubewiz:: log x",
		"::kubewiz:: errors x",
	};
	struct marker	m;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (parse_exact(lines[i], strlen(lines[i]), &m) !=
		    MARKER_INVALID)
			fail_msg("\"%s\" is not invalid", lines[i]);
		assert_null(m.value);
		assert_null(m.args);
		assert_int_equal(m.nargs, 0);
	}
}

/* Format tmpl with the arguments and compare. */
static void
check_format(const char *tmpl, const char *want, size_t nargs, ...)
{
	char		*args[MARKER_MAX_ARGS], *got;
	va_list		 ap;
	size_t		 i;

	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		args[i] = va_arg(ap, char *);
	va_end(ap);
	got = marker_format(tmpl, args, nargs);
	assert_string_equal(got, want);
	free(got);
}

/* Placeholders take their arguments in one pass; nothing else changes. */
static void
test_format(void **state)
{
	(void)state;
	check_format("pulling {1} image(s) from {2}",
	    "pulling 7 image(s) from r.example", 2, "7", "r.example");
	/* A translation reorders and repeats them. */
	check_format("\xe4\xbb\x8e {2} \xe6\x8b\x89\xe5\x8f\x96 {1} {1}",
	    "\xe4\xbb\x8e r \xe6\x8b\x89\xe5\x8f\x96 7 7", 2, "7", "r");
	/* Arguments are never templates or formats. */
	check_format("{1} and {2}", "{2}%s%n and x{1}", 2, "{2}%s%n", "x{1}");
	/* Missing arguments and things that are not placeholders stay. */
	check_format("{3} {0} {10} {a} { {1 1} {{1}} {", "{3} {0} {10} {a} { "
	    "{1 1} {A} {", 1, "A");
	check_format("no placeholders", "no placeholders", 0);
	check_format("", "", 1, "x");
	check_format("{9}", "nine", 9, "1", "2", "3", "4", "5", "6", "7",
	    "8", "nine");
}

/* A result never passes MARKER_MAX_LEN and never splits a character. */
static void
test_format_bound(void **state)
{
	char		*big, *tmpl, *got, *args[1], ab[] = "ab";
	size_t		 n = MARKER_MAX_LEN / 3 + 2, i, len;

	(void)state;
	/* An argument of three-byte characters, used a hundred times. */
	big = xmalloc(n * 3 + 1);
	for (i = 0; i < n; i++)
		memcpy(big + i * 3, "\xe8\x8a\x82", 3);
	big[n * 3] = '\0';
	tmpl = xmalloc(301);
	for (i = 0; i < 100; i++)
		memcpy(tmpl + i * 3, "{1}", 3);
	tmpl[300] = '\0';
	args[0] = big;
	got = marker_format(tmpl, args, 1);
	len = strlen(got);
	assert_true(len <= MARKER_MAX_LEN);
	assert_true(len > MARKER_MAX_LEN - 3);
	assert_int_equal(len % 3, 0);
	assert_memory_equal(got + len - 3, "\xe8\x8a\x82", 3);
	free(got);
	/* A short template with a short argument is not padded. */
	args[0] = ab;
	got = marker_format("x{1}y", args, 1);
	assert_string_equal(got, "xaby");
	free(got);
	free(tmpl);
	free(big);
}

/* marker_text: without a catalogue, the text or the template with its
 * arguments in place. */
static void
test_text(void **state)
{
	struct marker	 m;
	char		*t;
	const char	*line;

	(void)state;
	line = "::kubewiz:: stepf checking {1} on {2}\tkubelet\tnode-1";
	assert_int_equal(parse_exact(line, strlen(line), &m), MARKER_STEP);
	t = marker_text(&m);
	assert_string_equal(t, "checking kubelet on node-1");
	free(t);
	marker_clear(&m);
	line = "::kubewiz:: step checking {1}";
	assert_int_equal(parse_exact(line, strlen(line), &m), MARKER_STEP);
	t = marker_text(&m);
	assert_string_equal(t, "checking {1}");
	free(t);
	marker_clear(&m);
	t = marker_text(&m);
	assert_string_equal(t, "");
	free(t);
}

/* Random bytes around a real prefix never crash and keep the invariants. */
static void
test_random_bytes(void **state)
{
	static const char	*stems[] = {
		"", "::kubewiz:: ", "::kubewiz:: step ", "::kubewiz:: fact ",
		"::kubewiz:: output ", "::kubewiz:: output SECRET_A=",
		"::kubewiz:: stepf ", "::kubewiz:: error x {1}\t",
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
		sl = strlen(stems[x % 8]);
		memcpy(line, stems[x % 8], sl);
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
		case MARKER_ERROR:
		case MARKER_LOG:
			assert_null(m.key);
			assert_non_null(m.value);
			assert_true(strlen(m.value) < n);
			assert_true(m.nargs <= MARKER_MAX_ARGS);
			assert_true(m.nargs == 0 || m.templated);
			for (i = 0; i < m.nargs; i++)
				assert_null(strchr(m.args[i], '\t'));
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
		cmocka_unit_test(test_template_lines),
		cmocka_unit_test(test_template_invalid),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_bound),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
