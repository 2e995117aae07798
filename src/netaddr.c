/* netaddr.c: IPv4 and IPv6 addresses and CIDR prefixes: parse, compare, format. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "netaddr.h"

/* Longest text netaddr_parse_* looks at: an IPv6 address, "/", 3 digits. */
#define NETADDR_MAX_TEXT (INET6_ADDRSTRLEN + 4)

/* Number of address bits in a family (32 or 128), or 0 if unknown. */
static int
netaddr_family_bits(int family)
{
	if (family == AF_INET)
		return 32;
	if (family == AF_INET6)
		return 128;
	return 0;
}

/* Whether c may appear in the text of an address (digits, hex, ':' and '.'). */
static int
netaddr_is_addr_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

/* Whether a dotted-quad text has decimal groups of 1-3 digits without a
 * leading zero ("010" could mean octal to other tools, so it is refused). */
static int
netaddr_dotted_ok(const char *s, size_t n)
{
	size_t	i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start || i - start > 3)
			return 0;
		if (i - start > 1 && s[start] == '0')
			return 0;
		start = i + 1;
	}
	return 1;
}

/* Parse n bytes of s as a plain IPv4 or IPv6 address. */
static int
netaddr_parse_text(const char *s, size_t n, struct netaddr *out)
{
	char		 text[NETADDR_MAX_TEXT];
	const char	*tail;
	size_t		 i;
	int		 family;

	if (n == 0 || n >= sizeof text)
		return -1;
	for (i = 0; i < n; i++) {
		if (!netaddr_is_addr_char(s[i]))
			return -1;
	}
	memcpy(text, s, n);
	text[n] = '\0';

	family = memchr(text, ':', n) != NULL ? AF_INET6 : AF_INET;
	if (family == AF_INET) {
		if (!netaddr_dotted_ok(text, n))
			return -1;
	} else if (memchr(text, '.', n) != NULL) {
		/* An embedded IPv4 tail ("::ffff:10.0.0.1") has the same rule. */
		tail = strrchr(text, ':') + 1;
		if (!netaddr_dotted_ok(tail, strlen(tail)))
			return -1;
	}

	memset(out, 0, sizeof *out);
	if (inet_pton(family, text, out->bytes) != 1) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	out->family = family;
	out->prefix = netaddr_family_bits(family);
	return 0;
}

/* Parse a plain IPv4 or IPv6 address (no prefix). */
int
netaddr_parse_addr(const char *s, struct netaddr *out)
{
	if (s == NULL || out == NULL)
		return -1;
	return netaddr_parse_text(s, strlen(s), out);
}

/* Whether a has a known family and a prefix within its range. */
static int
netaddr_valid(const struct netaddr *a)
{
	int	bits;

	if (a == NULL)
		return 0;
	bits = netaddr_family_bits(a->family);
	return bits != 0 && a->prefix >= 0 && a->prefix <= bits;
}

/* Whether any bit after the first prefix bits of a is set. */
static int
netaddr_has_host_bits(const struct netaddr *a)
{
	int	bits = netaddr_family_bits(a->family);
	int	i;

	for (i = a->prefix; i < bits; i++) {
		if (a->bytes[i / 8] & (0x80 >> (i % 8)))
			return 1;
	}
	return 0;
}

/* Clear the host bits of a prefix ("10.96.0.1/12" becomes "10.96.0.0/12"). */
void
netaddr_mask(struct netaddr *a)
{
	int	bits, i;

	if (!netaddr_valid(a))
		return;
	bits = netaddr_family_bits(a->family);
	for (i = a->prefix; i < bits; i++)
		a->bytes[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

/* Parse "ADDR/LEN"; with strict, host bits must be zero. */
int
netaddr_parse_cidr(const char *s, int strict, struct netaddr *out,
    const char **why)
{
	struct netaddr	 a;
	const char	*slash, *p;
	const char	*reason = NULL;
	size_t		 n;
	int		 len = 0;

	memset(&a, 0, sizeof a);
	if (s == NULL || *s == '\0') {
		reason = N_("empty value; expected ADDRESS/LENGTH like 10.96.0.0/12");
		goto fail;
	}
	n = strlen(s);
	slash = strchr(s, '/');
	if (slash == NULL) {
		reason = N_("missing prefix length; expected ADDRESS/LENGTH like 10.96.0.0/12");
		goto fail;
	}
	if (netaddr_parse_text(s, (size_t)(slash - s), &a) != 0) {
		reason = N_("not a valid IPv4 or IPv6 address before the '/'");
		goto fail;
	}
	p = slash + 1;
	if (*p == '\0') {
		reason = N_("missing prefix length after the '/'");
		goto fail;
	}
	if ((size_t)(s + n - p) > 3 || (p[0] == '0' && p[1] != '\0')) {
		reason = N_("prefix length must be a number without leading zeros");
		goto fail;
	}
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			reason = N_("prefix length must be a number without leading zeros");
			goto fail;
		}
		len = len * 10 + (*p - '0');
	}
	if (len > netaddr_family_bits(a.family)) {
		reason = a.family == AF_INET ?
		    N_("prefix length out of range (0-32 for IPv4)") :
		    N_("prefix length out of range (0-128 for IPv6)");
		goto fail;
	}
	a.prefix = len;
	if (strict && netaddr_has_host_bits(&a)) {
		reason = N_("host bits are set after the prefix length; "
		    "use the network address of the range");
		goto fail;
	}
	*out = a;
	return 0;

fail:
	if (why != NULL)
		*why = reason;
	return -1;
}

/* Whether the first bits bits of a and b are equal. */
static int
netaddr_same_bits(const struct netaddr *a, const struct netaddr *b, int bits)
{
	int	whole = bits / 8, rest = bits % 8;
	uint8_t	mask;

	if (memcmp(a->bytes, b->bytes, (size_t)whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a->bytes[whole] & mask) == (b->bytes[whole] & mask);
}

/* Whether prefix net contains address (or whole prefix) a. */
int
netaddr_contains(const struct netaddr *net, const struct netaddr *a)
{
	if (!netaddr_valid(net) || !netaddr_valid(a))
		return 0;
	if (net->family != a->family || a->prefix < net->prefix)
		return 0;
	return netaddr_same_bits(net, a, net->prefix);
}

/* Whether two prefixes share any address: the shorter one holds the other. */
int
netaddr_overlap(const struct netaddr *a, const struct netaddr *b)
{
	int	bits;

	if (!netaddr_valid(a) || !netaddr_valid(b) || a->family != b->family)
		return 0;
	bits = a->prefix < b->prefix ? a->prefix : b->prefix;
	return netaddr_same_bits(a, b, bits);
}

/* Whether two addresses or prefixes are equal (family, bytes, prefix). */
int
netaddr_equal(const struct netaddr *a, const struct netaddr *b)
{
	int	bits;

	if (!netaddr_valid(a) || !netaddr_valid(b))
		return 0;
	if (a->family != b->family || a->prefix != b->prefix)
		return 0;
	bits = netaddr_family_bits(a->family);
	return memcmp(a->bytes, b->bytes, (size_t)bits / 8) == 0;
}

/* Format as "ADDR" (full-length prefix) or "ADDR/LEN" into buf. */
char *
netaddr_format(const struct netaddr *a, char *buf, unsigned long len)
{
	char	text[INET6_ADDRSTRLEN];

	if (buf == NULL || len == 0)
		return buf;
	buf[0] = '\0';
	if (!netaddr_valid(a))
		return buf;
	if (inet_ntop(a->family, a->bytes, text, sizeof text) == NULL)
		return buf;
	if (a->prefix == netaddr_family_bits(a->family))
		snprintf(buf, len, "%s", text);
	else
		snprintf(buf, len, "%s/%d", text, a->prefix);
	return buf;
}

/* Format prefix a with its host bits cleared and its length always shown
 * ("10.96.0.1/12" gives "10.96.0.0/12"), for "did you mean" hints. */
char *
netaddr_format_network(const struct netaddr *a, char *buf, unsigned long len)
{
	struct netaddr	net;
	char		text[INET6_ADDRSTRLEN];

	if (buf == NULL || len == 0)
		return buf;
	buf[0] = '\0';
	if (!netaddr_valid(a))
		return buf;
	net = *a;
	netaddr_mask(&net);
	if (inet_ntop(net.family, net.bytes, text, sizeof text) != NULL)
		snprintf(buf, len, "%s/%d", text, net.prefix);
	return buf;
}

/* Whether n bytes of s form an RFC 1123 label: a-z0-9 and '-', 1-63 bytes,
 * not starting or ending with '-'. */
static int
netaddr_label_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return 1;
}

/* Whether s is a valid RFC 1123 label. */
int
netaddr_is_dns_label(const char *s)
{
	if (s == NULL)
		return 0;
	return netaddr_label_ok(s, strlen(s));
}

/* Whether s is a lowercase DNS name: labels joined by '.', 1-253 bytes. */
int
netaddr_is_dns_name(const char *s)
{
	const char	*dot;
	size_t		 n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n == 0 || n > 253)
		return 0;
	for (;;) {
		dot = strchr(s, '.');
		if (dot == NULL)
			return netaddr_label_ok(s, strlen(s));
		if (!netaddr_label_ok(s, (size_t)(dot - s)))
			return 0;
		s = dot + 1;
	}
}
