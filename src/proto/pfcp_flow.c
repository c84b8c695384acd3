/*
 * The text values PFCP carries: the Flow Description of an SDF Filter
 * (TS 29.244 §8.2.5, an IPFilterRule as TS 29.212 §5.4.2 restricts it) and
 * the Framed-Route (§8.2.109, RADIUS text). The input is a length-delimited
 * window into a received message, not a C string; every token is bounded
 * by it, and an address is copied into a NUL-terminated buffer only to be
 * handed to inet_pton.
 */
#include <arpa/inet.h>
#include <string.h>

#include "pfcp.h"

#define FLOW_TOKEN_MAX 64 /* longest address token this parser accepts */

static int next_token(const char **, const char *, const char **, size_t *);
static bool token_is(const char *, size_t, const char *);
static int parse_uint(const char *, size_t, uint32_t, uint32_t *);
static int parse_flow_addr(const char *, size_t, struct pfcp_flow_end *);
static int parse_ports(const char *, size_t, struct pfcp_flow_end *);
static int parse_flow_end(const char **, const char *, struct pfcp_flow_end *, const char *);

/* Steps over spaces to the next token of [*p, end); 0 and the token, or -1 at the end. */
static int
next_token(const char **p, const char *end, const char **tok, size_t *n)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p == end)
		return -1;
	*tok = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - *tok);
	return 0;
}

static bool
token_is(const char *tok, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(tok, word, n) == 0;
}

/* A decimal number of at most 10 digits, no sign, no larger than max. */
static int
parse_uint(const char *s, size_t n, uint32_t max, uint32_t *v)
{
	uint64_t acc = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		acc = acc * 10 + (uint64_t)(s[i] - '0');
	}
	if (acc > max)
		return -1;
	*v = (uint32_t)acc;
	return 0;
}

/* "any", "assigned", or an IPv4 or IPv6 address with an optional /prefix. */
static int
parse_flow_addr(const char *s, size_t n, struct pfcp_flow_end *e)
{
	char buf[FLOW_TOKEN_MAX];
	const char *slash;
	uint32_t plen, max;

	if (token_is(s, n, "any")) {
		e->kind = PFCP_FLOW_ANY;
		return 0;
	}
	if (token_is(s, n, "assigned")) {
		e->kind = PFCP_FLOW_ASSIGNED;
		return 0;
	}
	slash = memchr(s, '/', n);
	if ((size_t)((slash != NULL ? slash : s + n) - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)((slash != NULL ? slash : s + n) - s));
	buf[(slash != NULL ? slash : s + n) - s] = '\0';
	if (inet_pton(AF_INET, buf, e->addr) == 1) {
		e->kind = PFCP_FLOW_IPV4;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, e->addr) == 1) {
		e->kind = PFCP_FLOW_IPV6;
		max = 128;
	} else {
		return -1;
	}
	e->plen = (uint8_t)max;
	if (slash == NULL)
		return 0;
	if (parse_uint(slash + 1, (size_t)(s + n - slash - 1), max, &plen) < 0)
		return -1;
	e->plen = (uint8_t)plen;
	return 0;
}

/* RFC 6733 §4.3 ports: "p" or "p-q", comma-separated, at most PFCP_MAX_PORTS. */
static int
parse_ports(const char *s, size_t n, struct pfcp_flow_end *e)
{
	const char *end = s + n, *comma, *dash;
	uint32_t lo, hi;

	while (s < end) {
		comma = memchr(s, ',', (size_t)(end - s));
		if (comma == NULL)
			comma = end;
		dash = memchr(s, '-', (size_t)(comma - s));
		if (e->n_ports == PFCP_MAX_PORTS)
			return -1;
		if (parse_uint(s, (size_t)((dash != NULL ? dash : comma) - s), 65535, &lo) < 0)
			return -1;
		hi = lo;
		if (dash != NULL &&
		    parse_uint(dash + 1, (size_t)(comma - dash - 1), 65535, &hi) < 0)
			return -1;
		if (hi < lo)
			return -1;
		e->ports[e->n_ports].lo = (uint16_t)lo;
		e->ports[e->n_ports].hi = (uint16_t)hi;
		e->n_ports++;
		s = comma == end ? end : comma + 1;
		if (comma != end && s == end)
			return -1;
	}
	return 0;
}

/*
 * "<addr> [ports]" and the word that must follow it (or NULL at the end).
 * The cursor is left after that word.
 */
static int
parse_flow_end(const char **p, const char *end, struct pfcp_flow_end *e, const char *then)
{
	const char *tok;
	size_t n;

	if (next_token(p, end, &tok, &n) < 0 || parse_flow_addr(tok, n, e) < 0)
		return -1;
	if (next_token(p, end, &tok, &n) < 0)
		return then == NULL ? 0 : -1;
	if (tok[0] >= '0' && tok[0] <= '9') {
		if (parse_ports(tok, n, e) < 0)
			return -1;
		if (next_token(p, end, &tok, &n) < 0)
			return then == NULL ? 0 : -1;
	}
	/* No options: TS 29.212 §5.4.2 allows none in a Flow-Description. */
	return then != NULL && token_is(tok, n, then) ? 0 : -1;
}

/*
 * TS 29.244 §8.2.5 carries the Flow-Description of TS 29.212 §5.4.2: an
 * IPFilterRule (RFC 6733 §4.3) restricted to action "permit", direction
 * "out", a protocol number or "ip", and addresses or "assigned" (the UE's).
 */
int
pfcp_flow_parse(const char *s, size_t len, struct pfcp_flow *flow)
{
	const char *p = s, *end = s + len, *tok;
	uint32_t proto;
	size_t n, i;

	memset(flow, 0, sizeof(*flow));
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	if (next_token(&p, end, &tok, &n) < 0 || !token_is(tok, n, "permit"))
		return -1;
	if (next_token(&p, end, &tok, &n) < 0 || !token_is(tok, n, "out"))
		return -1;
	if (next_token(&p, end, &tok, &n) < 0)
		return -1;
	if (token_is(tok, n, "ip")) {
		flow->any_proto = true;
	} else {
		if (parse_uint(tok, n, 255, &proto) < 0)
			return -1;
		flow->proto = (uint8_t)proto;
	}
	if (next_token(&p, end, &tok, &n) < 0 || !token_is(tok, n, "from"))
		return -1;
	if (parse_flow_end(&p, end, &flow->src, "to") < 0)
		return -1;
	return parse_flow_end(&p, end, &flow->dst, NULL);
}

/*
 * RFC 2865 §5.22, the Framed-Route text TS 29.244 §8.2.109 carries: a
 * destination prefix ("/n", 32 when absent), then optionally a gateway
 * address and a metric.
 */
int
pfcp_route_parse(const char *s, size_t len, struct pfcp_route *route)
{
	struct pfcp_flow_end e;
	const char *p = s, *end = s + len, *tok;
	char buf[INET_ADDRSTRLEN];
	size_t n, i;

	memset(route, 0, sizeof(*route));
	memset(&e, 0, sizeof(e));
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	if (next_token(&p, end, &tok, &n) < 0 || parse_flow_addr(tok, n, &e) < 0 ||
	    e.kind != PFCP_FLOW_IPV4)
		return -1;
	memcpy(&route->prefix_be, e.addr, 4);
	route->plen = e.plen;
	if (next_token(&p, end, &tok, &n) < 0)
		return 0;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &route->gateway_be) != 1)
		return -1;
	if (next_token(&p, end, &tok, &n) < 0)
		return 0;
	if (parse_uint(tok, n, UINT32_MAX, &route->metric) < 0)
		return -1;
	return next_token(&p, end, &tok, &n) < 0 ? 0 : -1;
}
