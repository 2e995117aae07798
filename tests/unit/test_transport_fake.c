/* test_transport_fake.c: the scripted fake transport follows its script,
 * delivers output as lines, fails and reports surprises, and hangs until
 * cancelled. */
#include "kwconfig.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "transport-fake.h"
#include "xmalloc.h"

/* Output lines as "o:text" / "e:text" joined by '|'. */
struct lines {
	char	text[256];
};

/* Record a line. */
static void
on_line(void *arg, enum transport_stream s, const char *line, size_t len)
{
	struct lines	*l = arg;
	size_t		 n = strlen(l->text);

	assert_true(n + len + 4 < sizeof l->text);
	if (n > 0)
		l->text[n++] = '|';
	l->text[n++] = s == TRANSPORT_STDOUT ? 'o' : 'e';
	l->text[n++] = ':';
	memcpy(l->text + n, line, len);
	l->text[n + len] = '\0';
}

/* The script is followed in order and its results come back. */
static void
test_script(void **state)
{
	struct transport_fake	*f;
	struct transport	*t;
	struct lines		 l;
	char			*cause = NULL;
	const void		*d;
	size_t			 len = 0;
	int			 status = 0;

	(void)state;
	t = transport_fake_new("n1", &f);
	transport_fake_expect_connect(f, TRANSPORT_OK, NULL);
	transport_fake_expect_run(f, "kubeadm init", "a\nb", "warn\n", 0,
	    TRANSPORT_OK);
	transport_fake_expect_put(f, "/etc/x", 0600, TRANSPORT_OK);
	transport_fake_expect_run(f, NULL, NULL, NULL, 3, TRANSPORT_OK);

	assert_int_equal(transport_connect(t, &cause), TRANSPORT_OK);
	memset(&l, 0, sizeof l);
	assert_int_equal(transport_run(t, "x; kubeadm init; y", 18, 0,
	    on_line, &l, &status, &cause), TRANSPORT_OK);
	assert_int_equal(status, 0);
	assert_string_equal(l.text, "o:a|o:b|e:warn");
	assert_int_equal(transport_put(t, "/etc/x", "data", 4, 0600, &cause),
	    TRANSPORT_OK);
	assert_int_equal(transport_run(t, "z", 1, 0, NULL, NULL, &status,
	    &cause), TRANSPORT_OK);
	assert_int_equal(status, 3);

	d = transport_fake_put_data(f, "/etc/x", &len);
	assert_int_equal(len, 4);
	assert_memory_equal(d, "data", 4);
	assert_string_equal(transport_fake_script(f, 0), "x; kubeadm init; y");
	assert_string_equal(transport_fake_script(f, 1), "z");
	assert_null(transport_fake_script(f, 2));
	assert_null(transport_fake_verify(f));
	transport_free(t);
}

/* Surprises fail the call and are reported, as are calls never made. */
static void
test_surprises(void **state)
{
	struct transport_fake	*f;
	struct transport	*t;
	char			*cause = NULL, *v;
	int			 status = 0;

	(void)state;
	t = transport_fake_new("n1", &f);
	transport_fake_expect_run(f, "preflight", NULL, NULL, 0, TRANSPORT_OK);
	transport_fake_expect_put(f, "/a", 0600, TRANSPORT_OK);
	transport_fake_expect_connect(f, TRANSPORT_HOSTKEY, "n1: changed");

	assert_int_equal(transport_run(t, "system", 6, 0, NULL, NULL, &status,
	    &cause), TRANSPORT_ERROR);
	assert_int_equal(status, -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(transport_put(t, "/a", "x", 1, 0644, &cause),
	    TRANSPORT_ERROR);
	free(cause);
	assert_int_equal(transport_connect(t, &cause), TRANSPORT_HOSTKEY);
	assert_string_equal(cause, "n1: changed");
	free(cause);
	assert_int_equal(transport_connect(t, &cause), TRANSPORT_ERROR);
	free(cause);

	v = transport_fake_verify(f);
	assert_non_null(v);
	assert_non_null(strstr(v, "run 0: script lacks \"preflight\""));
	assert_non_null(strstr(v, "expected put /a 0600, got /a 0644"));
	assert_non_null(strstr(v, "unexpected connect"));
	free(v);
	transport_free(t);

	t = transport_fake_new("n2", &f);
	transport_fake_expect_connect(f, TRANSPORT_OK, NULL);
	v = transport_fake_verify(f);
	assert_non_null(v);
	assert_non_null(strstr(v, "1 expected call(s) not made, first: "
	    "connect"));
	free(v);
	transport_free(t);
}

/* Cancel from another thread after a short delay. */
static void *
cancel_later(void *arg)
{
	struct timespec	ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	transport_cancel(arg);
	return NULL;
}

/* A hanging run returns TRANSPORT_CANCELLED once cancelled. */
static void
test_hang(void **state)
{
	struct transport_fake	*f;
	struct transport	*t;
	pthread_t		 th;
	char			*cause = NULL;
	int			 status = 0;

	(void)state;
	t = transport_fake_new("n1", &f);
	transport_fake_expect_hang(f, "sleep");
	assert_int_equal(pthread_create(&th, NULL, cancel_later, t), 0);
	assert_int_equal(transport_run(t, "sleep 1000", 10, 0, NULL, NULL,
	    &status, &cause), TRANSPORT_CANCELLED);
	free(cause);
	pthread_join(th, NULL);
	assert_true(transport_fake_cancelled(f));
	assert_null(transport_fake_verify(f));
	transport_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_surprises),
		cmocka_unit_test(test_hang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
