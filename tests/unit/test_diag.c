/* test_diag.c: unit tests for the diagnostic list, its format and order. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"

/* Whether the gettext wrappers below pretend a catalogue is loaded. */
static int fake_catalogue;

char *__wrap_gettext(const char *);
char *__wrap_dcgettext(const char *, const char *, int);

/* Fake translation: "error" and "warning" become other words. The build
 * links this test with --wrap=gettext,--wrap=dcgettext, so the calls that
 * _() makes inside diag.c land here. */
static char *
fake_translate(const char *msgid)
{
	static char	err[] = "FEHLER", warn[] = "WARNUNG";
	static char	copy[256];

	if (fake_catalogue && strcmp(msgid, "error") == 0)
		return err;
	if (fake_catalogue && strcmp(msgid, "warning") == 0)
		return warn;
	strncpy(copy, msgid, sizeof copy - 1);
	copy[sizeof copy - 1] = '\0';
	return copy;
}

/* Stands in for gettext (unoptimised builds). */
char *
__wrap_gettext(const char *msgid)
{
	return fake_translate(msgid);
}

/* Stands in for dcgettext (glibc's gettext macro in optimised builds). */
char *
__wrap_dcgettext(const char *domain, const char *msgid, int category)
{
	(void)domain;
	(void)category;
	return fake_translate(msgid);
}

/* Format entry i of dl against file and compare with want. */
static void
check_format(const struct diag_list *dl, size_t i, const char *file,
    const char *want)
{
	char	*s;

	s = diag_format(&dl->items[i], file);
	assert_string_equal(s, want);
	free(s);
}

/* Adding entries keeps every field; errors are counted apart from warnings. */
static void
test_add_count(void **state)
{
	struct diag_list	dl;
	int			i;

	(void)state;
	diag_init(&dl);
	assert_int_equal(dl.n, 0);
	assert_int_equal(diag_errors(&dl), 0);

	diag_add(&dl, DIAG_ERROR, "nodes[1].address", 7, 14,
	    "%s is used by %s", "10.0.0.1", "master");
	diag_add(&dl, DIAG_WARNING, NULL, 0, 0, "plain");
	diag_add(&dl, DIAG_ERROR, "name", -3, 9, "negative line");
	assert_int_equal(dl.n, 3);
	assert_int_equal(diag_errors(&dl), 2);

	assert_int_equal(dl.items[0].level, DIAG_ERROR);
	assert_string_equal(dl.items[0].path, "nodes[1].address");
	assert_string_equal(dl.items[0].msg, "10.0.0.1 is used by master");
	assert_int_equal(dl.items[0].line, 7);
	assert_int_equal(dl.items[0].column, 14);
	assert_null(dl.items[1].path);
	/* A bad position is "unknown", never negative. */
	assert_int_equal(dl.items[2].line, 0);
	assert_int_equal(dl.items[2].column, 0);

	/* Grows past its first allocation. */
	for (i = 0; i < 1000; i++)
		diag_add(&dl, i % 2 ? DIAG_ERROR : DIAG_WARNING, "x", i + 1, 1,
		    "message %d", i);
	assert_int_equal(dl.n, 1003);
	assert_int_equal(diag_errors(&dl), 502);
	assert_string_equal(dl.items[1002].msg, "message 999");

	diag_clear(&dl);
	assert_int_equal(dl.n, 0);
	assert_null(dl.items);
	/* Reusable after clear. */
	diag_add(&dl, DIAG_WARNING, "a", 1, 1, "again");
	assert_int_equal(dl.n, 1);
	assert_int_equal(diag_errors(&dl), 0);
	diag_clear(&dl);
}

/* Every combination of known and unknown parts formats cleanly. */
static void
test_format(void **state)
{
	struct diag_list	dl;

	(void)state;
	diag_init(&dl);
	diag_add(&dl, DIAG_ERROR, "nodes[0].name", 12, 11,
	    "\"Master\" is not a valid node name");
	diag_add(&dl, DIAG_WARNING, "kubernetes.version", 3, 0, "old");
	diag_add(&dl, DIAG_ERROR, "ssh.port", 0, 0, "out of range");
	diag_add(&dl, DIAG_ERROR, NULL, 0, 0, "file is empty");
	diag_add(&dl, DIAG_ERROR, "", 2, 1, "tab character");
	diag_add(&dl, DIAG_WARNING, NULL, 5, 6, "%s", "50% done");

	check_format(&dl, 0, "cluster.yaml",
	    "cluster.yaml:12:11: error: nodes[0].name: \"Master\" is not a valid node name");
	check_format(&dl, 1, "cluster.yaml",
	    "cluster.yaml:3: warning: kubernetes.version: old");
	check_format(&dl, 2, "cluster.yaml",
	    "cluster.yaml: error: ssh.port: out of range");
	check_format(&dl, 3, "cluster.yaml", "cluster.yaml: error: file is empty");
	check_format(&dl, 4, "c.yaml", "c.yaml:2:1: error: tab character");
	check_format(&dl, 5, "c.yaml", "c.yaml:5:6: warning: 50% done");

	/* No file name: the position alone, or nothing. */
	check_format(&dl, 0, NULL,
	    "12:11: error: nodes[0].name: \"Master\" is not a valid node name");
	check_format(&dl, 2, NULL, "error: ssh.port: out of range");
	check_format(&dl, 3, "", "error: file is empty");
	diag_clear(&dl);
}

/* The words "error" and "warning" go through gettext. */
static void
test_format_translated(void **state)
{
	struct diag_list	dl;

	(void)state;
	diag_init(&dl);
	diag_add(&dl, DIAG_ERROR, "name", 1, 7, "bad");
	diag_add(&dl, DIAG_WARNING, "name", 1, 7, "odd");
	fake_catalogue = 1;
	check_format(&dl, 0, "f.yaml", "f.yaml:1:7: FEHLER: name: bad");
	check_format(&dl, 1, "f.yaml", "f.yaml:1:7: WARNUNG: name: odd");
	fake_catalogue = 0;
	check_format(&dl, 0, "f.yaml", "f.yaml:1:7: error: name: bad");
	diag_clear(&dl);
}

/* Sorting orders by line then column, unpositioned last, stable. */
static void
test_sort(void **state)
{
	struct diag_list	 dl;
	static const char	*want[] = {
		"1:1 a", "1:1 b", "1:5", "2:0", "2:3 a", "2:3 b", "2:3 c", "9:1",
		"none a", "none b", "none c",
	};
	size_t			 i;

	(void)state;
	diag_init(&dl);
	diag_sort(&dl);		/* empty: nothing to do */
	diag_add(&dl, DIAG_ERROR, NULL, 0, 0, "none a");
	diag_add(&dl, DIAG_ERROR, NULL, 2, 3, "2:3 a");
	diag_add(&dl, DIAG_ERROR, NULL, 9, 1, "9:1");
	diag_add(&dl, DIAG_WARNING, NULL, 1, 5, "1:5");
	diag_add(&dl, DIAG_ERROR, NULL, 0, 0, "none b");
	diag_add(&dl, DIAG_ERROR, NULL, 2, 3, "2:3 b");
	diag_add(&dl, DIAG_ERROR, NULL, 1, 1, "1:1 a");
	diag_add(&dl, DIAG_ERROR, NULL, 2, 0, "2:0");
	diag_add(&dl, DIAG_ERROR, NULL, 1, 1, "1:1 b");
	diag_add(&dl, DIAG_ERROR, NULL, 2, 3, "2:3 c");
	diag_add(&dl, DIAG_ERROR, NULL, 0, 0, "none c");
	diag_sort(&dl);
	assert_int_equal(dl.n, sizeof want / sizeof want[0]);
	for (i = 0; i < dl.n; i++)
		assert_string_equal(dl.items[i].msg, want[i]);
	diag_clear(&dl);
}

/* A large list sorts stably: many equal keys keep insertion order. */
static void
test_sort_large(void **state)
{
	struct diag_list	dl;
	size_t			i;
	int			prev_line = 0, prev_seq = -1, line, seq;

	(void)state;
	diag_init(&dl);
	for (i = 0; i < 5000; i++)
		diag_add(&dl, DIAG_ERROR, NULL, (int)((i * 7919) % 13), 1,
		    "%zu", i);
	diag_sort(&dl);
	assert_int_equal(dl.n, 5000);
	for (i = 0; i < dl.n; i++) {
		line = dl.items[i].line;
		seq = atoi(dl.items[i].msg);
		if (i > 0 && prev_line != 0) {
			/* Positioned entries ascend; line 0 comes last. */
			assert_true(line == 0 || line >= prev_line);
		}
		if (i > 0 && prev_line == 0)
			assert_int_equal(line, 0);
		if (line == prev_line)
			assert_true(seq > prev_seq);
		prev_line = line;
		prev_seq = seq;
	}
	diag_clear(&dl);
}

/* Run every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_count),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_translated),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sort_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
