/* test_shell.c: unit tests for the buffer and shell quoting, checked by a
 * real /bin/sh that must give every byte back unchanged. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "shell.h"
#include "xmalloc.h"

/* Shells the round trips run through; missing ones are skipped. */
static const char *test_shells[] = { "/bin/sh", "/bin/dash", "/bin/bash" };

/* Run shell with argv { shell, arg1, arg2 } (arg2 may be NULL), in dir
 * (may be NULL), with stdin from in (inlen bytes). Returns stdout (caller
 * frees) and its length in *outlen; fails the test if the shell does not
 * exit 0. */
static char *
run_shell(const char *shell, const char *arg1, const char *arg2,
    const char *dir, const char *in, size_t inlen, size_t *outlen)
{
	char		 template[] = "/tmp/kw-test-shell.XXXXXX";
	struct buf	 out;
	char		 chunk[65536];
	int		 outpipe[2], infd, status;
	ssize_t		 n;
	size_t		 off;
	pid_t		 pid;

	infd = mkstemp(template);
	assert_true(infd >= 0);
	unlink(template);
	for (off = 0; off < inlen; off += (size_t)n) {
		n = write(infd, in + off, inlen - off);
		assert_true(n > 0);
	}
	assert_int_equal(lseek(infd, 0, SEEK_SET), 0);
	assert_int_equal(pipe(outpipe), 0);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dir != NULL && chdir(dir) != 0)
			_exit(126);
		dup2(infd, 0);
		dup2(outpipe[1], 1);
		close(infd);
		close(outpipe[0]);
		close(outpipe[1]);
		execl(shell, shell, arg1, arg2, (char *)NULL);
		_exit(127);
	}
	close(infd);
	close(outpipe[1]);

	buf_init(&out);
	for (;;) {
		n = read(outpipe[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n >= 0);
		if (n == 0)
			break;
		buf_add(&out, chunk, (size_t)n);
	}
	close(outpipe[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s exited with status %d", shell, status);
	*outlen = out.len;
	return buf_take(&out);
}

/* Quote s (n bytes) and check that shell's printf %s prints it back
 * byte for byte, both from -c and from a script on stdin. */
static void
check_round_trip(const char *shell, const char *s, size_t n)
{
	struct buf	 cmd, script;
	char		*out, *copy;
	size_t		 outlen;

	buf_init(&cmd);
	buf_adds(&cmd, "printf %s ");
	shell_quote_buf(&cmd, s, n);
	out = run_shell(shell, "-c", cmd.data, NULL, "", 0, &outlen);
	if (outlen != n || memcmp(out, s, n) != 0)
		fail_msg("%s -c: %zu bytes in, %zu bytes out", shell, n, outlen);
	free(out);
	buf_free(&cmd);

	/* As a stage script sees it: a preamble assignment, fed on stdin. */
	copy = xstrndup(s, n);
	assert_int_equal(strlen(copy), n);
	buf_init(&script);
	shell_assign(&script, "KW_VALUE", copy);
	free(copy);
	buf_adds(&script, "printf %s \"$KW_VALUE\"\n");
	out = run_shell(shell, "-s", NULL, NULL, script.data, script.len, &outlen);
	if (outlen != n || memcmp(out, s, n) != 0)
		fail_msg("%s -s: %zu bytes in, %zu bytes out", shell, n, outlen);
	free(out);
	buf_free(&script);
}

/* check_round_trip through every installed shell. NUL-free s only. */
static void
check_all_shells(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof test_shells / sizeof test_shells[0]; i++) {
		if (access(test_shells[i], X_OK) == 0)
			check_round_trip(test_shells[i], s, n);
	}
}

/* The buffer grows, stays NUL-terminated and hands over its data. */
static void
test_buf(void **state)
{
	struct buf	 b;
	char		*s;
	int		 i;

	(void)state;
	buf_init(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);

	buf_adds(&b, "abc");
	buf_add(&b, "d\0e", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "abcd\0e", 7);
	buf_add(&b, NULL, 0);
	assert_int_equal(b.len, 6);

	b.len = 0;
	b.data[0] = '\0';
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 20000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data + 19990, "5,6,7,8,9,", 10);

	s = buf_take(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(strlen(s), 20000);
	free(s);

	/* Appending after take and after free works; take of nothing is "". */
	buf_printf(&b, "%s=%05d", "x", 42);
	assert_string_equal(b.data, "x=00042");
	buf_free(&b);
	assert_null(b.data);
	s = buf_take(&b);
	assert_string_equal(s, "");
	free(s);
	buf_adds(&b, "again");
	assert_string_equal(b.data, "again");
	buf_free(&b);
}

/* The exact quoted text of a few values. */
static void
test_quote_text(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "", "''" },
		{ "abc", "'abc'" },
		{ "it's", "'it'\\''s'" },
		{ "'", "''\\'''" },
		{ "''", "''\\'''\\'''" },
		{ "$(id)", "'$(id)'" },
		{ "a\nb", "'a\nb'" },
		{ "back\\slash", "'back\\slash'" },
	};
	char	*q;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		q = shell_quote(cases[i].in);
		assert_string_equal(q, cases[i].out);
		free(q);
	}
}

/* Hostile and awkward values come back byte for byte. */
static void
test_round_trip_values(void **state)
{
	static const char *values[] = {
		"", "plain", "'", "''", "\"", "it's \"quoted\"",
		"$(touch /tmp/kw-never)", "`id`", "${HOME}", "$HOME", "$0 $1 $@ $*",
		"a\nb\n", "\n\n\n", "\\", "\\\\n", "\\'", "'\\''", "-n", "--", "-e",
		"%s%d%n%%", "* ? [a-z] ~ ~root", "!event", "a;b|c&d>e<f", "\t \t",
		"\r\n", "\x1b[31mred\x1b[0m", "\xff\xfe", "\xc3\x28", "\xe2\x82",
		"\xf0\x9f\x92\xa9 ok", "\xed\xa0\x80", "\x81\x82\x83\x84\x85\x86\x87\x88",
		"caf\xc3\xa9", "end with quote'", "'start with quote",
		"nested '$(echo '`x`')'",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		check_all_shells(values[i], strlen(values[i]));
}

/* Every byte 1..255: all in one string, and each one alone. */
static void
test_round_trip_all_bytes(void **state)
{
	char	all[255], one[2];
	int	c;

	(void)state;
	for (c = 1; c <= 255; c++)
		all[c - 1] = (char)c;
	check_all_shells(all, sizeof all);

	for (c = 1; c <= 255; c++) {
		one[0] = (char)c;
		one[1] = '\0';
		check_round_trip("/bin/sh", one, 1);
	}
}

/* Random strings, heavy on quotes and shell syntax, with a fixed seed. */
static void
test_round_trip_random(void **state)
{
	static const char	 special[] = "'\"\\$`()\n !*?;&|<>{}[]#~";
	uint32_t		 x = 0x6b756265;	/* xorshift32 seed */
	char			 s[400];
	size_t			 n, i;
	int			 round;

	(void)state;
	for (round = 0; round < 100; round++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		n = x % sizeof s;
		for (i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 17; x ^= x << 5;
			if (x % 3 == 0)
				s[i] = special[(x >> 8) % (sizeof special - 1)];
			else
				s[i] = (char)(1 + (x >> 8) % 255);
		}
		check_round_trip("/bin/sh", s, n);
	}
}

/* Very long values: 100 kB through -c (argv limit is 128 kB per string),
 * and 1 MiB of quotes through a preamble on stdin. */
static void
test_round_trip_long(void **state)
{
	struct buf	 script;
	char		*s, *out;
	size_t		 n = 100000, big = 1024 * 1024, outlen, i;

	(void)state;
	s = xmalloc(big + 1);
	for (i = 0; i < n; i++)
		s[i] = (i % 997 == 0) ? '\'' : (char)('a' + i % 26);
	check_round_trip("/bin/sh", s, n);

	for (i = 0; i < big; i++)
		s[i] = (i % 3 == 0) ? '\'' : (i % 3 == 1) ? '$' : '\n';
	s[big] = '\0';
	buf_init(&script);
	shell_assign(&script, "KW_BIG", s);
	buf_adds(&script, "printf %s \"$KW_BIG\"\n");
	out = run_shell("/bin/sh", "-s", NULL, NULL, script.data, script.len,
	    &outlen);
	assert_int_equal(outlen, big);
	assert_memory_equal(out, s, big);
	free(out);
	buf_free(&script);
	free(s);
}

/* Make a fresh temporary directory for canary files. Caller frees. */
static char *
make_temp_dir(void)
{
	char	*dir;

	dir = xstrdup("/tmp/kw-test-canary.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

/* Whether file name exists in dir. */
static int
exists_in(const char *dir, const char *name)
{
	char		*path;
	struct stat	 sb;
	int		 found;

	path = xasprintf("%s/%s", dir, name);
	found = stat(path, &sb) == 0;
	free(path);
	return found;
}

/* A quoted value that tries to run a command never runs it, while the same
 * text unquoted does (so the check can tell). */
static void
test_canary(void **state)
{
	static const char *attacks[] = {
		"$(touch CANARY)", "`touch CANARY`", "; touch CANARY",
		"'; touch CANARY; '", "\"; touch CANARY; \"", "$(touch${IFS}CANARY)",
		"\ntouch CANARY\n", "' $(touch CANARY) '", "'`touch CANARY`'",
		"\\'; touch CANARY; echo \\'", "'\\''; touch CANARY #",
		"x' && touch CANARY && echo '", "${x:-$(touch CANARY)}",
	};
	struct buf	 cmd;
	char		*dir, *out, *path;
	size_t		 i, outlen, s;

	(void)state;
	dir = make_temp_dir();

	/* Positive control: unquoted, the canary appears. */
	out = run_shell("/bin/sh", "-c", "printf %s $(touch CANARY)", dir, "", 0,
	    &outlen);
	free(out);
	assert_true(exists_in(dir, "CANARY"));
	path = xasprintf("%s/CANARY", dir);
	assert_int_equal(unlink(path), 0);
	free(path);

	for (i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
		for (s = 0; s < sizeof test_shells / sizeof test_shells[0]; s++) {
			if (access(test_shells[s], X_OK) != 0)
				continue;
			buf_init(&cmd);
			buf_adds(&cmd, "printf %s ");
			shell_quote_buf(&cmd, attacks[i], strlen(attacks[i]));
			out = run_shell(test_shells[s], "-c", cmd.data, dir, "", 0,
			    &outlen);
			assert_int_equal(outlen, strlen(attacks[i]));
			free(out);
			buf_free(&cmd);

			buf_init(&cmd);
			shell_assign(&cmd, "KW_X", attacks[i]);
			buf_adds(&cmd, "printf %s \"$KW_X\"\n");
			out = run_shell(test_shells[s], "-s", NULL, dir, cmd.data,
			    cmd.len, &outlen);
			assert_int_equal(outlen, strlen(attacks[i]));
			free(out);
			buf_free(&cmd);

			if (exists_in(dir, "CANARY"))
				fail_msg("%s ran the command in \"%s\"",
				    test_shells[s], attacks[i]);
		}
	}
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Valid and invalid shell variable names. */
static void
test_is_name(void **state)
{
	(void)state;
	assert_true(shell_is_name("KW_NODE_NAME"));
	assert_true(shell_is_name("_"));
	assert_true(shell_is_name("a1"));
	assert_true(shell_is_name("KW_FACT_OS_ID"));
	assert_false(shell_is_name(""));
	assert_false(shell_is_name(NULL));
	assert_false(shell_is_name("1A"));
	assert_false(shell_is_name("A-B"));
	assert_false(shell_is_name("A B"));
	assert_false(shell_is_name("A=B"));
	assert_false(shell_is_name("A$"));
	assert_false(shell_is_name("KW_FACT_OS.ID"));
	assert_false(shell_is_name("\xc3\xa9"));
}

/* shell_assign writes one quoted line per variable, which sh reads back. */
static void
test_assign(void **state)
{
	struct buf	 b;
	char		*out;
	size_t		 outlen;

	(void)state;
	buf_init(&b);
	shell_assign(&b, "KW_A", "it's");
	shell_assign(&b, "KW_B", "");
	shell_assign(&b, "KW_C", NULL);
	shell_assign(&b, "KW_D", "line1\nline2");
	assert_string_equal(b.data,
	    "KW_A='it'\\''s'\nKW_B=''\nKW_C=''\nKW_D='line1\nline2'\n");

	buf_adds(&b, "printf '%s|%s|%s|%s' \"$KW_A\" \"$KW_B\" \"$KW_C\" \"$KW_D\"\n");
	out = run_shell("/bin/sh", "-s", NULL, NULL, b.data, b.len, &outlen);
	assert_int_equal(outlen, strlen("it's|||line1\nline2"));
	assert_memory_equal(out, "it's|||line1\nline2", outlen);
	free(out);
	buf_free(&b);
}

/* Run fn in a child and check that it aborted (fatalx). */
static void
check_aborts(void (*fn)(void))
{
	pid_t	pid;
	int	status, devnull;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);
		signal(SIGABRT, SIG_DFL);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* shell_assign with a name that is not a variable name. */
static void
assign_bad_name(void)
{
	struct buf	b;

	buf_init(&b);
	shell_assign(&b, "BAD;rm -rf /", "x");
}

/* shell_quote_buf with a NUL inside the value. */
static void
quote_nul(void)
{
	struct buf	b;

	buf_init(&b);
	shell_quote_buf(&b, "a\0b", 3);
}

/* Broken invariants abort instead of producing an unsafe script. */
static void
test_aborts(void **state)
{
	(void)state;
	check_aborts(assign_bad_name);
	check_aborts(quote_nul);
}

/* Run every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_quote_text),
		cmocka_unit_test(test_round_trip_values),
		cmocka_unit_test(test_round_trip_all_bytes),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_round_trip_long),
		cmocka_unit_test(test_canary),
		cmocka_unit_test(test_is_name),
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
