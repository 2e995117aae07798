/* netaddr.h: IPv4 and IPv6 addresses and CIDR prefixes. */
#ifndef KW_NETADDR_H
#define KW_NETADDR_H

#include <sys/socket.h>

#include <stdint.h>

/* Enough room for any netaddr_format result ("ffff:...:255.255.255.255/128"). */
#define NETADDR_STRLEN 56

/* An address (prefix = 32 or 128) or a CIDR prefix. family is AF_INET or
 * AF_INET6; bytes holds 4 or 16 significant bytes in network order. */
struct netaddr {
	int		family;
	uint8_t		bytes[16];
	int		prefix;
};

/* Parse a plain IPv4 or IPv6 address (no prefix). Returns 0 or -1. */
int netaddr_parse_addr(const char *, struct netaddr *);
/* Parse "ADDR/LEN". With strict, host bits must be zero. Returns 0 or -1,
 * setting *why (static, untranslated msgid) on failure when why is not NULL.
 * Without strict the host bits are kept (an interface address such as
 * "192.168.1.10/24"); contains and overlap only look at the prefix bits.
 * When a strict parse fails but a non-strict one succeeds, the host bits
 * were the problem: netaddr_format_network gives the range meant. */
int netaddr_parse_cidr(const char *, int strict, struct netaddr *,
    const char **why);
/* Whether prefix net contains address (or prefix) a; 0 across families. */
int netaddr_contains(const struct netaddr *net, const struct netaddr *a);
/* Whether two prefixes share any address; 0 across families. */
int netaddr_overlap(const struct netaddr *, const struct netaddr *);
/* Whether two addresses or prefixes are equal (family, bytes, prefix). */
int netaddr_equal(const struct netaddr *, const struct netaddr *);
/* Format as text ("10.0.0.1", "fd00::/8") into buf of size len. Returns buf. */
char *netaddr_format(const struct netaddr *, char *buf, unsigned long len);
/* Clear the bits after the prefix length ("10.96.0.1/12" -> 10.96.0.0/12). */
void netaddr_mask(struct netaddr *);
/* Format with host bits cleared and the length always shown, for hints
 * after netaddr_parse_cidr refused host bits (parse again with strict 0:
 * "10.96.0.1/12" -> "10.96.0.0/12"). Returns buf. */
char *netaddr_format_network(const struct netaddr *, char *buf,
    unsigned long len);
/* Whether s is a valid RFC 1123 label (lowercase a-z0-9 and -, 1-63). */
int netaddr_is_dns_label(const char *s);
/* Whether s is a valid lowercase DNS name (dot-separated labels, <= 253). */
int netaddr_is_dns_name(const char *s);

#endif
