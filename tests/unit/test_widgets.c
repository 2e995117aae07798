/* test_widgets.c: text field editing (UTF-8, cursor keys, limits), text
 * wrapping and list scrolling, without a terminal. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "widgets.h"

/* Type a UTF-8 string into a field, one character at a time. */
static void
type(struct wtext *t, const char *s)
{
	wchar_t wc;
	size_t n, left = strlen(s);
	mbstate_t st;

	memset(&st, 0, sizeof st);
	while (left > 0) {
		n = mbrtowc(&wc, s, left, &st);
		assert_true(n > 0 && n <= left);
		wtext_key(t, (int)wc);
		s += n;
		left -= n;
	}
}

/* Assert the field's text. */
static void
assert_text(const struct wtext *t, const char *want)
{
	char *got = wtext_get(t);

	assert_string_equal(got, want);
	free(got);
}

/* Set, get and edit with the cursor keys, also with multibyte text. */
static void
test_wtext_editing(void **state)
{
	struct wtext t;

	(void)state;
	wtext_init(&t, "k8s-node");
	assert_int_equal(t.cursor, 8);
	type(&t, "1");
	assert_text(&t, "k8s-node1");
	wtext_key(&t, TUI_KEY(KEY_HOME));
	type(&t, "x");
	assert_text(&t, "xk8s-node1");
	wtext_key(&t, TUI_KEY(KEY_DC));
	assert_text(&t, "x8s-node1");
	wtext_key(&t, 127);			/* backspace */
	assert_text(&t, "8s-node1");
	assert_int_equal(t.cursor, 0);
	wtext_key(&t, 127);			/* nothing before the cursor */
	assert_text(&t, "8s-node1");
	wtext_key(&t, TUI_KEY(KEY_RIGHT));
	wtext_key(&t, TUI_KEY(KEY_RIGHT));
	wtext_key(&t, TUI_CTRL('k'));
	assert_text(&t, "8s");
	wtext_key(&t, TUI_CTRL('u'));
	assert_true(wtext_empty(&t));

	/* Multibyte: one key per character, backspace removes a whole one. */
	type(&t, "节点-ä");
	assert_int_equal(t.len, 4);
	assert_text(&t, "节点-ä");
	wtext_key(&t, TUI_KEY(KEY_LEFT));
	wtext_key(&t, 127);
	assert_text(&t, "节点ä");
	wtext_free(&t);
}

/* Control characters and function keys never enter the text; the
 * maximum length holds. */
static void
test_wtext_rejects(void **state)
{
	struct wtext t;
	int i;

	(void)state;
	wtext_init(&t, NULL);
	assert_int_equal(wtext_key(&t, 27), 0);
	assert_int_equal(wtext_key(&t, '\t'), 0);
	assert_int_equal(wtext_key(&t, '\r'), 0);
	assert_int_equal(wtext_key(&t, TUI_KEY(KEY_F(1))), 0);
	assert_true(wtext_empty(&t));
	t.max = 5;
	for (i = 0; i < 10; i++)
		wtext_key(&t, 'a');
	assert_text(&t, "aaaaa");
	/* Invalid UTF-8 in a value becomes '?' rather than disappearing. */
	wtext_set(&t, "a\xff" "b");
	assert_text(&t, "a?b");
	wtext_free(&t);
}

/* Wrapping: words kept whole where possible, every line fits. */
static void
test_wrap(void **state)
{
	char **lines = NULL;
	size_t n, i;

	(void)state;
	n = wrap_text("the quick brown fox jumps over the lazy dog", 10,
	    &lines);
	assert_int_equal(n, 5);
	assert_string_equal(lines[0], "the quick");
	assert_string_equal(lines[1], "brown fox");
	assert_string_equal(lines[4], "dog");
	for (i = 0; i < n; i++) {
		assert_true(tui_strwidth(lines[i]) <= 10);
		free(lines[i]);
	}
	free(lines);

	/* A word longer than the width is cut, newlines are kept. */
	n = wrap_text("abcdefghijkl\nxy", 8, &lines);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "abcdefgh");
	assert_string_equal(lines[1], "ijkl");
	assert_string_equal(lines[2], "xy");
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Chinese text without spaces wraps between characters by display width,
 * never before closing punctuation, and loses no character. */
static void
test_wrap_cjk(void **state)
{
	const char *text = "\u6bcf\u884c\u4e00\u53f0\u670d\u52a1\u5668\u3002"
	    "\u540d\u79f0\u5c06\u6210\u4e3a\u5176\u4e3b\u673a\u540d\u3002";
	char **lines = NULL, joined[256] = "";
	size_t n, i;

	(void)state;
	n = wrap_text(text, 9, &lines);
	assert_true(n >= 4);
	for (i = 0; i < n; i++) {
		assert_true(tui_strwidth(lines[i]) <= 9);
		if (i + 1 < n)
			assert_true(tui_strwidth(lines[i]) >= 8);
		/* No line starts with the full stop U+3002. */
		assert_false(strncmp(lines[i], "\u3002", 3) == 0);
		strcat(joined, lines[i]);
		free(lines[i]);
	}
	free(lines);
	assert_string_equal(joined, text);

	/* Mixed text breaks at the space before a Latin word. */
	n = wrap_text("\u4e2d\u6587 kubewiz \u4e2d\u6587", 12, &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "\u4e2d\u6587 kubewiz");
	assert_string_equal(lines[1], "\u4e2d\u6587");
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Display width counts wide characters twice and control bytes once. */
static void
test_strwidth(void **state)
{
	(void)state;
	assert_int_equal(tui_strwidth("abc"), 3);
	assert_int_equal(tui_strwidth("节点"), 4);
	assert_int_equal(tui_strwidth("a\033[31m"), 6);
	assert_int_equal(tui_strwidth(""), 0);
}

/* Lists keep the selection in range and visible. */
static void
test_wlist(void **state)
{
	struct wlist l = { .n = 100, .sel = 0, .top = 0 };

	(void)state;
	wlist_key(&l, TUI_KEY(KEY_END), 10);
	assert_int_equal(l.sel, 99);
	assert_int_equal(l.top, 90);
	wlist_key(&l, TUI_KEY(KEY_PPAGE), 10);
	assert_int_equal(l.sel, 89);
	assert_int_equal(l.top, 89);
	wlist_key(&l, TUI_KEY(KEY_HOME), 10);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
	wlist_key(&l, TUI_KEY(KEY_UP), 10);
	assert_int_equal(l.sel, 0);
	l.n = 3;
	l.sel = 7;
	wlist_fix(&l, 10);
	assert_int_equal(l.sel, 2);
	assert_int_equal(l.top, 0);
	assert_int_equal(wlist_key(&l, 'x', 10), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wtext_editing),
		cmocka_unit_test(test_wtext_rejects),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_wrap_cjk),
		cmocka_unit_test(test_strwidth),
		cmocka_unit_test(test_wlist),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		print_message("no C.UTF-8 locale: skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
