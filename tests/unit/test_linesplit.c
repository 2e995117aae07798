/* test_linesplit.c: cutting output streams into lines. */
#include "kwconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linesplit.h"
#include "xmalloc.h"

/* What the callback saw: the pieces joined by '|'. */
struct seen {
	char			 text[4096];
	size_t			 len;
	int			 n;
	enum transport_stream	 stream;
};

/* Record a delivered piece. */
static void
record(void *arg, enum transport_stream s, const char *line, size_t len)
{
	struct seen	*w = arg;

	assert_true(w->len + len + 1 < sizeof w->text);
	if (w->n > 0)
		w->text[w->len++] = '|';
	memcpy(w->text + w->len, line, len);
	w->len += len;
	w->text[w->len] = '\0';
	w->n++;
	w->stream = s;
}

/* Feed chunks (NULL-terminated list) and finish. */
static void
run(struct seen *w, size_t max, const char **chunks)
{
	struct linesplit	ls;

	memset(w, 0, sizeof *w);
	linesplit_init(&ls, TRANSPORT_STDERR, max, record, w);
	for (; *chunks != NULL; chunks++)
		linesplit_feed(&ls, *chunks, strlen(*chunks));
	linesplit_finish(&ls);
	linesplit_free(&ls);
}

/* Lines split on \n, across chunk boundaries, with empty lines. */
static void
test_basic(void **state)
{
	const char	*c[] = { "one\ntw", "o\n\nthr", "ee\n", NULL };
	struct seen	 w;

	(void)state;
	run(&w, 0, c);
	assert_string_equal(w.text, "one|two||three");
	assert_int_equal(w.n, 4);
	assert_int_equal(w.stream, TRANSPORT_STDERR);
}

/* A final line without \n is delivered at the end, once. */
static void
test_unterminated(void **state)
{
	const char	*c[] = { "a\nb", "c", NULL };
	const char	*d[] = { "a\n", NULL };
	struct seen	 w;

	(void)state;
	run(&w, 0, c);
	assert_string_equal(w.text, "a|bc");
	assert_int_equal(w.n, 2);
	run(&w, 0, d);
	assert_int_equal(w.n, 1);
}

/* Long lines come in pieces of max bytes; a line of exactly k * max
 * bytes gives k pieces and no empty one. */
static void
test_long(void **state)
{
	const char	*c[] = { "abcdefg\n", "xy\n", NULL };
	const char	*d[] = { "abc", "def", "\nz\n", NULL };
	const char	*e[] = { "abcdef\n", NULL };
	struct seen	 w;

	(void)state;
	run(&w, 3, c);
	assert_string_equal(w.text, "abc|def|g|xy");
	run(&w, 3, d);
	assert_string_equal(w.text, "abc|def|z");
	assert_int_equal(w.n, 3);
	run(&w, 3, e);
	assert_string_equal(w.text, "abc|def");
	assert_int_equal(w.n, 2);
}

/* Bytes are kept as they are: invalid UTF-8, \r, and NUL. */
static void
test_bytes(void **state)
{
	struct linesplit	 ls;
	struct seen		 w;
	const char		 data[] = "\xff\xfe\r\0x\nok\n";

	(void)state;
	memset(&w, 0, sizeof w);
	linesplit_init(&ls, TRANSPORT_STDOUT, 0, record, &w);
	linesplit_feed(&ls, data, sizeof data - 1);
	linesplit_finish(&ls);
	linesplit_free(&ls);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.len, 5 + 1 + 2);
	assert_memory_equal(w.text, "\xff\xfe\r\0x|ok", 8);
	assert_int_equal(w.stream, TRANSPORT_STDOUT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
