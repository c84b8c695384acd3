#include "conf/parse.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a decimal number of at most max_digits digits, no sign, no spaces. */
static int
parse_decimal(const char **sp, unsigned max_digits, unsigned long *out)
{
	const char *s = *sp;
	unsigned long v = 0;
	unsigned n = 0;

	while (isdigit((unsigned char)*s) && n < max_digits) {
		v = v * 10 + (unsigned long)(*s - '0');
		s++;
		n++;
	}
	if (n == 0 || isdigit((unsigned char)*s))
		return -1;
	*sp = s;
	*out = v;
	return 0;
}

/* Parses four octets from *sp and leaves *sp after the last one. */
static int
parse_ipv4_prefix(const char **sp, uint32_t *addr_be)
{
	uint32_t host = 0;
	unsigned long octet;

	for (int i = 0; i < 4; i++) {
		if (i > 0 && *(*sp)++ != '.')
			return -1;
		if (parse_decimal(sp, 3, &octet) < 0 || octet > 255)
			return -1;
		host = (host << 8) | (uint32_t)octet;
	}
	*addr_be = htonl(host);
	return 0;
}

int
parse_ipv4(const char *s, uint32_t *addr_be)
{
	uint32_t addr;

	if (s == NULL || parse_ipv4_prefix(&s, &addr) < 0 || *s != '\0')
		return -1;
	*addr_be = addr;
	return 0;
}

int
parse_dns_server(const char *s, uint32_t *addr_be)
{
	uint32_t addr, host;

	if (parse_ipv4(s, &addr) < 0)
		return -EINVAL;
	host = ntohl(addr);
	if ((host >> 28) >= 0xe || (host >> 24) == 127 || (host >> 24) == 0)
		return -EDOM;
	*addr_be = addr;
	return 0;
}

int
parse_prefix(const char *s, uint32_t *addr_be, uint8_t *prefix)
{
	unsigned long len;
	uint32_t addr;

	if (s == NULL || parse_ipv4_prefix(&s, &addr) < 0 || *s++ != '/')
		return -1;
	if (parse_decimal(&s, 2, &len) < 0 || len > 32 || *s != '\0')
		return -1;
	*addr_be = addr;
	*prefix = (uint8_t)len;
	return 0;
}

int
parse_cidr(const char *s, uint32_t *net_be, uint8_t *prefix)
{
	uint32_t addr, mask;
	uint8_t len;

	if (parse_prefix(s, &addr, &len) < 0)
		return -1;
	mask = len == 0 ? 0 : htonl(~0u << (32 - len));
	if ((addr & ~mask) != 0)
		return -1;
	*net_be = addr;
	*prefix = len;
	return 0;
}

int
parse_hostport(const char *s, uint32_t *addr_be, uint16_t *port)
{
	unsigned long p;
	uint32_t addr;

	if (s == NULL || parse_ipv4_prefix(&s, &addr) < 0 || *s++ != ':')
		return -1;
	if (parse_decimal(&s, 5, &p) < 0 || p == 0 || p > 65535 || *s != '\0')
		return -1;
	*addr_be = addr;
	*port = (uint16_t)p;
	return 0;
}

int
parse_imsi(const char *s)
{
	size_t n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n < 6 || n > 15)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	return 0;
}

int
parse_ifname(const char *s)
{
	size_t n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n == 0 || n > 15)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || isspace((unsigned char)s[i]) || !isprint((unsigned char)s[i]))
			return -1;
	return 0;
}

int
parse_fqdn(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return -1;
			label = 0;
			continue;
		}
		if (!(isalnum((unsigned char)s[i]) || (s[i] == '-' && label > 0)) || ++label > 63)
			return -1;
	}
	return s[n - 1] == '-' ? -1 : 0;
}
