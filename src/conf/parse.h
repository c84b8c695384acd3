/*
 * Validators for values that come from outside: the bootstrap file today, the
 * REST API tomorrow. Both call these, so a bad value is rejected the same way
 * and with the same words wherever it comes from.
 */
#ifndef VPG_CONF_PARSE_H
#define VPG_CONF_PARSE_H

#include <stdint.h>
#include <stddef.h>

/* ipv4_str, the way every value above is printed back. */
#include "proto/ipv4.h"

/* Dotted-quad IPv4, exactly four decimal octets; result in network order. */
int parse_ipv4(const char *s, uint32_t *addr_be);
/*
 * A DNS server handed to devices: a dotted quad naming one unicast host
 * (RFC 1122 §3.2.1.3, RFC 5771: not 0/8, loopback, multicast, the reserved
 * 240/4 or broadcast).
 * 0, -EINVAL when s is no dotted quad, -EDOM when it names no unicast host.
 */
int parse_dns_server(const char *s, uint32_t *addr_be);
/* "a.b.c.d/n", prefix 0..32, host bits allowed: the address as written. */
int parse_prefix(const char *s, uint32_t *addr_be, uint8_t *prefix);
/* "a.b.c.d/n" with no host bits set; prefix 0..32. */
int parse_cidr(const char *s, uint32_t *net_be, uint8_t *prefix);
/* "a.b.c.d:port", port 1..65535. */
int parse_hostport(const char *s, uint32_t *addr_be, uint16_t *port);
/* An IMSI: 6 to 15 decimal digits (TS 23.003 §2.2). */
int parse_imsi(const char *s);
/* A domain name (RFC 1035 §2.3.1): dot-separated labels of letters, digits, '-'; < 256. */
int parse_fqdn(const char *s);
/* A Linux interface name: 1..15 characters, no '/', no whitespace. */
int parse_ifname(const char *s);

#endif
