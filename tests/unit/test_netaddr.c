/* test_netaddr.c: unit tests for address and CIDR parsing and arithmetic. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "netaddr.h"

/* Parse a CIDR that must be valid (non-strict when strict is 0). */
static struct netaddr
cidr(const char *s, int strict)
{
	struct netaddr	 a;
	const char	*why = NULL;

	if (netaddr_parse_cidr(s, strict, &a, &why) != 0)
		fail_msg("%s did not parse: %s", s, why);
	return a;
}

/* Parse an address that must be valid. */
static struct netaddr
addr(const char *s)
{
	struct netaddr	a;

	if (netaddr_parse_addr(s, &a) != 0)
		fail_msg("%s did not parse", s);
	return a;
}

/* Plain IPv4 addresses: bytes, family and prefix. */
static void
test_parse_ipv4(void **state)
{
	struct netaddr		a;
	static const uint8_t	want[4] = { 192, 168, 0, 10 };

	(void)state;
	assert_int_equal(netaddr_parse_addr("192.168.0.10", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.prefix, 32);
	assert_memory_equal(a.bytes, want, 4);

	assert_int_equal(netaddr_parse_addr("0.0.0.0", &a), 0);
	assert_int_equal(netaddr_parse_addr("255.255.255.255", &a), 0);
	assert_int_equal(a.bytes[3], 255);
	assert_int_equal(netaddr_parse_addr("10.0.0.0", &a), 0);
}

/* Plain IPv6 addresses, including the "::" forms and an IPv4 tail. */
static void
test_parse_ipv6(void **state)
{
	struct netaddr		a;
	static const uint8_t	loop[16] = { [15] = 1 };
	static const uint8_t	fd00[16] = { 0xfd, 0x00, [15] = 0x01 };
	static const uint8_t	mapped[16] = { [10] = 0xff, [11] = 0xff,
				    [12] = 10, [13] = 0, [14] = 0, [15] = 1 };

	(void)state;
	assert_int_equal(netaddr_parse_addr("::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.prefix, 128);
	assert_memory_equal(a.bytes, loop, 16);

	assert_int_equal(netaddr_parse_addr("fd00::1", &a), 0);
	assert_memory_equal(a.bytes, fd00, 16);
	assert_int_equal(netaddr_parse_addr("FD00:0:0:0:0:0:0:1", &a), 0);
	assert_memory_equal(a.bytes, fd00, 16);
	assert_int_equal(netaddr_parse_addr("::", &a), 0);
	assert_int_equal(netaddr_parse_addr("::ffff:10.0.0.1", &a), 0);
	assert_memory_equal(a.bytes, mapped, 16);
	assert_int_equal(netaddr_parse_addr(
	    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", &a), 0);
	assert_int_equal(netaddr_parse_addr("2001:0db8::0001", &a), 0);
}

/* Everything that is not exactly one address is refused. */
static void
test_parse_addr_bad(void **state)
{
	static const char *bad[] = {
		"", " ", "10.0.0.1 ", " 10.0.0.1", "10.0.0.1\n", "10.0.0.1\t",
		"010.0.0.1", "10.00.0.1", "10.0.0.01", "1.2.3", "1.2.3.4.5",
		"256.0.0.1", "1.2.3.-1", "1..2.3", ".1.2.3", "1.2.3.4.",
		"0x0a.0.0.1", "10.0.0.1/32", "1.2.3.4/", "a.b.c.d", "localhost",
		"1:2:3:4:5:6:7:8:9", ":::", "1::2::3", "fe80::1%eth0", "12345::",
		"::ffff:010.0.0.1", "::ffff:10.0.0", "g::1", "[::1]",
		"1111111111111111111111111111111111111111111111111111",
	};
	struct netaddr	a;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (netaddr_parse_addr(bad[i], &a) == 0)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	assert_int_equal(netaddr_parse_addr(NULL, &a), -1);
}

/* CIDRs at the edges: /0, /32, /128, non-strict host bits. */
static void
test_parse_cidr(void **state)
{
	struct netaddr	a;

	(void)state;
	a = cidr("0.0.0.0/0", 1);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.prefix, 0);
	a = cidr("10.0.0.1/32", 1);
	assert_int_equal(a.prefix, 32);
	a = cidr("10.96.0.0/12", 1);
	assert_int_equal(a.prefix, 12);
	a = cidr("192.168.0.0/16", 1);
	assert_int_equal(a.bytes[1], 168);
	a = cidr("::/0", 1);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.prefix, 0);
	a = cidr("fd00::/8", 1);
	assert_int_equal(a.prefix, 8);
	a = cidr("2001:db8::1/128", 1);
	assert_int_equal(a.prefix, 128);
	a = cidr("fd00:10:96::/112", 1);
	assert_int_equal(a.prefix, 112);

	/* Non-strict keeps the host bits of an interface address. */
	a = cidr("192.168.1.10/24", 0);
	assert_int_equal(a.bytes[3], 10);
	assert_int_equal(a.prefix, 24);
}

/* Bad CIDRs are refused with a reason; out stays untouched. */
static void
test_parse_cidr_bad(void **state)
{
	static const char *bad[] = {
		"", "/", "/24", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33",
		"10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/8 ",
		" 10.0.0.0/8", "10.0.0.0/8/8", "10.0.0.0/a", "10.0.0.0//8",
		"::/129", "::/1000", "fd00::/0128", "010.0.0.0/8",
		"10.0.0.0/99999999999999999999", "10.0.0.0 /8", "10.0.0.0/ 8",
		"10.0.0/8", "fd00::%1/8",
	};
	struct netaddr	 a, orig;
	const char	*why;
	size_t		 i;

	(void)state;
	memset(&orig, 0x5a, sizeof orig);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = orig;
		why = NULL;
		if (netaddr_parse_cidr(bad[i], 0, &a, &why) == 0)
			fail_msg("\"%s\" was accepted", bad[i]);
		if (why == NULL || *why == '\0')
			fail_msg("\"%s\" was refused without a reason", bad[i]);
		assert_memory_equal(&a, &orig, sizeof a);
	}
	assert_int_equal(netaddr_parse_cidr(NULL, 1, &a, &why), -1);
	assert_non_null(why);
	/* why may be NULL. */
	assert_int_equal(netaddr_parse_cidr("10.0.0.0/40", 1, &a, NULL), -1);

	assert_int_equal(netaddr_parse_cidr("10.0.0.0/33", 1, &a, &why), -1);
	assert_non_null(strstr(why, "range"));
	assert_int_equal(netaddr_parse_cidr("10.0.0.0/", 1, &a, &why), -1);
	assert_non_null(strstr(why, "missing prefix length"));
	assert_int_equal(netaddr_parse_cidr("10.0.0.0", 1, &a, &why), -1);
	assert_non_null(strstr(why, "missing prefix length"));
}

/* Strict mode refuses host bits, and the hint names the network meant. */
static void
test_cidr_host_bits(void **state)
{
	struct netaddr	 a;
	const char	*why = NULL;
	char		 buf[NETADDR_STRLEN];

	(void)state;
	assert_int_equal(netaddr_parse_cidr("10.96.0.1/12", 1, &a, &why), -1);
	assert_non_null(strstr(why, "host bits"));
	assert_int_equal(netaddr_parse_cidr("10.97.0.0/12", 1, &a, &why), -1);
	assert_int_equal(netaddr_parse_cidr("10.0.0.1/31", 1, &a, &why), -1);
	assert_int_equal(netaddr_parse_cidr("0.0.0.1/0", 1, &a, &why), -1);
	assert_int_equal(netaddr_parse_cidr("fd00::1/64", 1, &a, &why), -1);
	assert_non_null(strstr(why, "host bits"));

	a = cidr("10.97.3.4/12", 0);
	assert_string_equal(netaddr_format_network(&a, buf, sizeof buf),
	    "10.96.0.0/12");
	a = cidr("fd00::1:2/64", 0);
	assert_string_equal(netaddr_format_network(&a, buf, sizeof buf),
	    "fd00::/64");
	a = cidr("10.0.0.7/32", 0);
	assert_string_equal(netaddr_format_network(&a, buf, sizeof buf),
	    "10.0.0.7/32");
	a = cidr("255.255.255.255/0", 0);
	assert_string_equal(netaddr_format_network(&a, buf, sizeof buf),
	    "0.0.0.0/0");

	a = cidr("10.97.3.4/12", 0);
	netaddr_mask(&a);
	assert_false(netaddr_equal(&a, &(struct netaddr){ 0 }));
	assert_true(netaddr_equal(&a, (struct netaddr[]){ cidr("10.96.0.0/12", 1) }));
}

/* Containment at the edges and across families. */
static void
test_contains(void **state)
{
	struct netaddr	all4 = cidr("0.0.0.0/0", 1), all6 = cidr("::/0", 1);
	struct netaddr	svc = cidr("10.96.0.0/12", 1);
	struct netaddr	host32 = cidr("10.0.0.1/32", 1);

	(void)state;
	assert_true(netaddr_contains(&svc, (struct netaddr[]){ addr("10.96.0.1") }));
	assert_true(netaddr_contains(&svc, (struct netaddr[]){ addr("10.96.0.0") }));
	assert_true(netaddr_contains(&svc, (struct netaddr[]){ addr("10.111.255.255") }));
	assert_false(netaddr_contains(&svc, (struct netaddr[]){ addr("10.112.0.0") }));
	assert_false(netaddr_contains(&svc, (struct netaddr[]){ addr("10.95.255.255") }));

	assert_true(netaddr_contains(&all4, (struct netaddr[]){ addr("255.255.255.255") }));
	assert_true(netaddr_contains(&all4, &svc));
	assert_false(netaddr_contains(&all4, (struct netaddr[]){ addr("::1") }));
	assert_true(netaddr_contains(&all6, (struct netaddr[]){ addr("::1") }));
	assert_false(netaddr_contains(&all6, (struct netaddr[]){ addr("10.0.0.1") }));
	/* An IPv4-mapped IPv6 address is still another family. */
	assert_false(netaddr_contains(&svc, (struct netaddr[]){ addr("::ffff:10.96.0.1") }));

	assert_true(netaddr_contains(&host32, (struct netaddr[]){ addr("10.0.0.1") }));
	assert_false(netaddr_contains(&host32, (struct netaddr[]){ addr("10.0.0.2") }));

	/* A prefix holds a longer prefix inside it, never a shorter one. */
	assert_true(netaddr_contains(&svc, (struct netaddr[]){ cidr("10.100.0.0/16", 1) }));
	assert_true(netaddr_contains(&svc, &svc));
	assert_false(netaddr_contains((struct netaddr[]){ cidr("10.100.0.0/16", 1) }, &svc));

	/* /128 and long IPv6 prefixes. */
	assert_true(netaddr_contains((struct netaddr[]){ cidr("fd00::/8", 1) },
	    (struct netaddr[]){ addr("fdff:ffff::1") }));
	assert_false(netaddr_contains((struct netaddr[]){ cidr("fd00::/8", 1) },
	    (struct netaddr[]){ addr("fe00::1") }));
	assert_true(netaddr_contains((struct netaddr[]){ cidr("2001:db8::1/128", 1) },
	    (struct netaddr[]){ addr("2001:db8::1") }));
	assert_false(netaddr_contains((struct netaddr[]){ cidr("2001:db8::1/128", 1) },
	    (struct netaddr[]){ addr("2001:db8::2") }));
	assert_true(netaddr_contains((struct netaddr[]){ cidr("2001:db8::/127", 1) },
	    (struct netaddr[]){ addr("2001:db8::1") }));

	/* A non-strict interface address acts as its network. */
	assert_true(netaddr_contains((struct netaddr[]){ cidr("192.168.1.10/24", 0) },
	    (struct netaddr[]){ addr("192.168.1.200") }));
	assert_false(netaddr_contains((struct netaddr[]){ cidr("192.168.1.10/24", 0) },
	    (struct netaddr[]){ addr("192.168.2.1") }));

	/* Garbage structs never match. */
	assert_false(netaddr_contains(&(struct netaddr){ .family = 99 }, &svc));
	assert_false(netaddr_contains(&(struct netaddr){ .family = AF_INET, .prefix = 40 }, &svc));
	assert_false(netaddr_contains(NULL, &svc));
}

/* Overlap: nested, adjacent, identical, disjoint, mixed families. */
static void
test_overlap(void **state)
{
	static const struct {
		const char	*a, *b;
		int		 want;
	} cases[] = {
		{ "10.0.0.0/9", "10.128.0.0/9", 0 },		/* adjacent halves */
		{ "10.0.0.0/8", "10.128.0.0/9", 1 },		/* nested */
		{ "10.96.0.0/12", "10.112.0.0/12", 0 },		/* adjacent */
		{ "10.96.0.0/12", "10.111.255.255/32", 1 },	/* last address */
		{ "10.96.0.0/12", "10.112.0.0/32", 0 },		/* one past */
		{ "10.96.0.0/12", "10.96.0.0/12", 1 },		/* identical */
		{ "10.96.0.0/16", "192.168.0.0/16", 0 },	/* the guide's */
		{ "0.0.0.0/0", "192.168.0.0/16", 1 },
		{ "0.0.0.0/0", "::/0", 0 },			/* families */
		{ "10.0.0.0/8", "::ffff:10.0.0.0/104", 0 },
		{ "fd00::/8", "fd12:3456::/32", 1 },
		{ "fd00::/9", "fd80::/9", 0 },
		{ "2001:db8::/127", "2001:db8::1/128", 1 },
		{ "2001:db8::/128", "2001:db8::1/128", 0 },
		{ "::/0", "ffff::/16", 1 },
		{ "10.0.0.1/32", "10.0.0.1/32", 1 },
		{ "10.0.0.1/32", "10.0.0.2/32", 0 },
	};
	struct netaddr	a, b;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		a = cidr(cases[i].a, 1);
		b = cidr(cases[i].b, 1);
		if (netaddr_overlap(&a, &b) != cases[i].want ||
		    netaddr_overlap(&b, &a) != cases[i].want)
			fail_msg("overlap(%s, %s) != %d", cases[i].a, cases[i].b,
			    cases[i].want);
	}
	assert_false(netaddr_overlap(NULL, &a));
}

/* Equality looks at family, prefix and bytes. */
static void
test_equal(void **state)
{
	struct netaddr	a = addr("10.0.0.1"), b = addr("10.0.0.1");

	(void)state;
	assert_true(netaddr_equal(&a, &b));
	assert_true(netaddr_equal(&a, (struct netaddr[]){ cidr("10.0.0.1/32", 1) }));
	assert_false(netaddr_equal(&a, (struct netaddr[]){ addr("10.0.0.2") }));
	assert_false(netaddr_equal(&a, (struct netaddr[]){ cidr("10.0.0.1/31", 0) }));
	assert_false(netaddr_equal(&a, (struct netaddr[]){ addr("::ffff:10.0.0.1") }));
	assert_true(netaddr_equal((struct netaddr[]){ addr("fd00::1") },
	    (struct netaddr[]){ addr("fd00:0:0::0:1") }));
	assert_false(netaddr_equal((struct netaddr[]){ cidr("::/0", 1) },
	    (struct netaddr[]){ cidr("0.0.0.0/0", 1) }));
	assert_false(netaddr_equal(NULL, &a));
}

/* Formatting round-trips and handles small buffers. */
static void
test_format(void **state)
{
	static const char *texts[] = {
		"10.0.0.1", "0.0.0.0/0", "10.96.0.0/12", "255.255.255.255",
		"::", "::1", "fd00::/8", "2001:db8::1", "::/0",
		"fd00:10:96::/112", "::ffff:10.0.0.1",
	};
	struct netaddr	 a, b;
	char		 buf[NETADDR_STRLEN], small[6];
	const char	*why;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (strchr(texts[i], '/') != NULL)
			assert_int_equal(netaddr_parse_cidr(texts[i], 1, &a, &why), 0);
		else
			assert_int_equal(netaddr_parse_addr(texts[i], &a), 0);
		assert_string_equal(netaddr_format(&a, buf, sizeof buf), texts[i]);
		if (strchr(buf, '/') != NULL)
			assert_int_equal(netaddr_parse_cidr(buf, 1, &b, &why), 0);
		else
			assert_int_equal(netaddr_parse_addr(buf, &b), 0);
		assert_true(netaddr_equal(&a, &b));
	}
	/* Canonical form of IPv6. */
	a = addr("FD00:0000:0000:0000:0000:0000:0000:0001");
	assert_string_equal(netaddr_format(&a, buf, sizeof buf), "fd00::1");
	a = cidr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 1);
	assert_true(strlen(netaddr_format(&a, buf, sizeof buf)) < NETADDR_STRLEN);

	/* A short buffer truncates but stays terminated. */
	a = addr("192.168.100.200");
	assert_string_equal(netaddr_format(&a, small, sizeof small), "192.1");
	/* A bad struct formats as "". */
	assert_string_equal(netaddr_format(&(struct netaddr){ .family = 7 },
	    buf, sizeof buf), "");
}

/* RFC 1123 labels: lowercase only, no edge hyphens, at most 63 bytes. */
static void
test_dns_label(void **state)
{
	char	long63[64], long64[65];

	(void)state;
	memset(long63, 'a', 63);
	long63[63] = '\0';
	memset(long64, 'a', 64);
	long64[64] = '\0';

	assert_true(netaddr_is_dns_label("master"));
	assert_true(netaddr_is_dns_label("node-1"));
	assert_true(netaddr_is_dns_label("k8s-node1"));
	assert_true(netaddr_is_dns_label("1"));
	assert_true(netaddr_is_dns_label("0a"));
	assert_true(netaddr_is_dns_label(long63));

	assert_false(netaddr_is_dns_label(long64));
	assert_false(netaddr_is_dns_label(""));
	assert_false(netaddr_is_dns_label(NULL));
	assert_false(netaddr_is_dns_label("Master"));
	assert_false(netaddr_is_dns_label("NODE1"));
	assert_false(netaddr_is_dns_label("-node"));
	assert_false(netaddr_is_dns_label("node-"));
	assert_false(netaddr_is_dns_label("node_1"));
	assert_false(netaddr_is_dns_label("node.1"));
	assert_false(netaddr_is_dns_label("node 1"));
	assert_false(netaddr_is_dns_label("nöde"));
	assert_false(netaddr_is_dns_label("node\n"));
}

/* DNS names: labels joined by dots, 253 bytes at most. */
static void
test_dns_name(void **state)
{
	char	name[300];
	size_t	i;

	(void)state;
	assert_true(netaddr_is_dns_name("cluster-endpoint"));
	assert_true(netaddr_is_dns_name("k8s.example.com"));
	assert_true(netaddr_is_dns_name("registry.aliyuncs.com"));
	assert_true(netaddr_is_dns_name("a.b-c.d0"));

	assert_false(netaddr_is_dns_name(""));
	assert_false(netaddr_is_dns_name(NULL));
	assert_false(netaddr_is_dns_name("."));
	assert_false(netaddr_is_dns_name("example.com."));
	assert_false(netaddr_is_dns_name(".example.com"));
	assert_false(netaddr_is_dns_name("a..b"));
	assert_false(netaddr_is_dns_name("Example.com"));
	assert_false(netaddr_is_dns_name("a.-b.c"));
	assert_false(netaddr_is_dns_name("a.b-.c"));
	assert_false(netaddr_is_dns_name("a_b.c"));
	assert_false(netaddr_is_dns_name("a b.c"));

	/* 253 bytes pass, 255 do not: 63-byte labels, dot-joined. */
	memset(name, 0, sizeof name);
	for (i = 0; i < 253; i++)
		name[i] = (i % 64 == 63) ? '.' : 'a';
	assert_int_equal(strlen(name), 253);
	assert_true(netaddr_is_dns_name(name));
	name[253] = 'a';
	name[254] = 'a';
	assert_false(netaddr_is_dns_name(name));
	/* A 64-byte label inside a name. */
	memset(name, 'a', 64);
	strcpy(name + 64, ".com");
	assert_false(netaddr_is_dns_name(name));
}

/* Run every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_parse_ipv6),
		cmocka_unit_test(test_parse_addr_bad),
		cmocka_unit_test(test_parse_cidr),
		cmocka_unit_test(test_parse_cidr_bad),
		cmocka_unit_test(test_cidr_host_bits),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_dns_label),
		cmocka_unit_test(test_dns_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
