#include "conf/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/config_text.h"
#include "conf/parse.h"

/*
 * Each object of the file is described by a table of keys. Walking the
 * object's own keys against the table is what makes an unknown key an error
 * and a missing required one detectable, with the full dotted name in the
 * message.
 */
struct cfg_ctx {
	struct config *cfg;
	char *err;
	bool seen_gateway, seen_gate, seen_pfcp_addr, seen_pgw_addr;
};

struct cfg_key {
	const char *name;
	bool required;
	int (*apply)(struct cfg_ctx *c, const char *path, json_t *v);
};

/*
 * The message is one line: keys and values quoted in it, and the text jansson
 * quotes "near" a syntax error, come from the file and may hold control
 * characters (a decoded "\n", a raw newline after a backslash).
 */
static void
one_line(char *err)
{
	for (; *err != '\0'; err++)
		if ((unsigned char)*err < ' ' || *err == 0x7f)
			*err = '?';
}

static int
fail(struct cfg_ctx *c, const char *path, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(c->err, CONFIG_ERR_LEN, "\"%s\": %s", path, what);
	one_line(c->err);
	return -1;
}

static int
want_string(struct cfg_ctx *c, const char *path, json_t *v, const char **out)
{
	if (!json_is_string(v))
		return fail(c, path, "must be a string");
	*out = json_string_value(v);
	return 0;
}

static int
want_ipv4(struct cfg_ctx *c, const char *path, json_t *v, uint32_t *addr_be)
{
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (parse_ipv4(s, addr_be) < 0)
		return fail(c, path, "not an IPv4 address (\"%s\")", s);
	return 0;
}

static int
want_bool(struct cfg_ctx *c, const char *path, json_t *v, bool *out)
{
	if (!json_is_boolean(v))
		return fail(c, path, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

static int apply_object(
    struct cfg_ctx *c, const char *path, json_t *obj, const struct cfg_key *keys);

static int
apply_subnet(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (parse_cidr(s, &c->cfg->subnet_be, &c->cfg->prefix) < 0)
		return fail(c, path, "not a CIDR range with no host bits set (\"%s\")", s);
	if (c->cfg->prefix < 8 || c->cfg->prefix > 30)
		return fail(c, path, "prefix length must be between /8 and /30 (\"%s\")", s);
	return 0;
}

static int
apply_gateway(struct cfg_ctx *c, const char *path, json_t *v)
{
	c->seen_gateway = true;
	return want_ipv4(c, path, v, &c->cfg->gateway_be);
}

static int
apply_gtp_listen(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_ipv4(c, path, v, &c->cfg->gtp_addr_be);
}

/*
 * TS 29.060 §7.2.1, TS 29.274 §7.1.1: Echo no more often than every 60 s; 0
 * turns it off. Less is taken, as osmo-ggsn takes it, and warned at start.
 */
static int
apply_gtp_echo(struct cfg_ctx *c, const char *path, json_t *v)
{
	json_int_t s;

	if (!json_is_integer(v))
		return fail(c, path, "must be an integer");
	s = json_integer_value(v);
	if (s != 0 && (s < CONFIG_ECHO_MIN_S || s > CONFIG_ECHO_MAX_S))
		return fail(c, path, "must be 0 (off) or between %d and %d seconds (%lld)",
		    CONFIG_ECHO_MIN_S, CONFIG_ECHO_MAX_S, (long long)s);
	c->cfg->gtp_echo_s = (uint16_t)s;
	return 0;
}

/*
 * allowedPeers: 1 to CIDR_LIST_MAX IPv4 ranges. Host bits are refused, not
 * cleared: "192.0.2.7/24" may mean the one host or the whole /24, and a
 * guess at who may replace a device's session is no guess to make.
 */
static int
want_cidr(struct cfg_ctx *c, const char *path, json_t *v, struct cidr_list *out)
{
	uint32_t net;
	uint8_t len;
	const char *s = NULL;
	int rc;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (parse_prefix(s, &net, &len) < 0)
		return fail(c, path, "not an IPv4 CIDR range a.b.c.d/n (\"%s\")", s);
	rc = cidr_list_add(out, net, len);
	if (rc == -EINVAL)
		return fail(
		    c, path, "host bits set (\"%s\"): write the network, or /32 for one host", s);
	if (rc == -EEXIST)
		return fail(c, path, "listed twice (\"%s\")", s);
	return 0;
}

static int
want_peers(struct cfg_ctx *c, const char *path, json_t *v, struct config_peers *out)
{
	char item[96];
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return fail(c, path, "must be a list of IPv4 CIDR ranges");
	if (json_array_size(v) == 0)
		return fail(c, path, "must list at least one range (0.0.0.0/0 admits any host)");
	if (json_array_size(v) > CIDR_LIST_MAX)
		return fail(
		    c, path, "at most %d ranges (%zu given)", CIDR_LIST_MAX, json_array_size(v));
	out->list.n = 0;
	out->automatic = false;
	json_array_foreach(v, i, e)
	{
		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (want_cidr(c, item, e, &out->list) < 0)
			return -1;
	}
	return 0;
}

static int
apply_gtp_peers(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_peers(c, path, v, &c->cfg->gtp_peers);
}

static int
apply_pgw_peers(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_peers(c, path, v, &c->cfg->pgw_peers);
}

static int
apply_pfcp_peers(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_peers(c, path, v, &c->cfg->pfcp_peers);
}

static int
want_replay_mb(struct cfg_ctx *c, const char *path, json_t *v, uint16_t *mb)
{
	json_int_t n;

	if (!json_is_integer(v))
		return fail(c, path, "must be an integer");
	n = json_integer_value(v);
	if (n < CONFIG_REPLAY_MB_MIN || n > CONFIG_REPLAY_MB_MAX)
		return fail(c, path, "must be between %d and %d MiB (%lld)", CONFIG_REPLAY_MB_MIN,
		    CONFIG_REPLAY_MB_MAX, (long long)n);
	*mb = (uint16_t)n;
	return 0;
}

static int
apply_gtp_replay(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_replay_mb(c, path, v, &c->cfg->gtp_replay_mb);
}

static int
apply_pfcp_replay(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_replay_mb(c, path, v, &c->cfg->pfcp_replay_mb);
}

static int
apply_gate_listen(struct cfg_ctx *c, const char *path, json_t *v)
{
	c->seen_gate = true;
	return want_ipv4(c, path, v, &c->cfg->gate_addr_be);
}

/* How VXLAN and GRE copies leave: "direct" past the IP stack (io/udp_batch.h), or "stack". */
static int
apply_gate_transmit(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (strcmp(s, "direct") != 0 && strcmp(s, "stack") != 0)
		return fail(c, path, "must be \"direct\" or \"stack\" (\"%s\")", s);
	c->cfg->gate_direct = strcmp(s, "direct") == 0;
	return 0;
}

static int
apply_ggsn_enabled(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_bool(c, path, v, &c->cfg->ggsn_enabled);
}

static int
apply_pfcp_enabled(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_bool(c, path, v, &c->cfg->pfcp_enabled);
}

static int
apply_pfcp_listen(struct cfg_ctx *c, const char *path, json_t *v)
{
	c->seen_pfcp_addr = true;
	return want_ipv4(c, path, v, &c->cfg->pfcp_addr_be);
}

static int
apply_pgw_enabled(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_bool(c, path, v, &c->cfg->pgw_enabled);
}

static int
apply_pgw_listen(struct cfg_ctx *c, const char *path, json_t *v)
{
	c->seen_pgw_addr = true;
	return want_ipv4(c, path, v, &c->cfg->pgw_addr_be);
}

static int
apply_pfcp_node_id(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;
	uint32_t unused;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (parse_ipv4(s, &unused) < 0 && parse_fqdn(s) < 0)
		return fail(c, path, "not an IPv4 address or a domain name (\"%s\")", s);
	snprintf(c->cfg->pfcp_node_id, sizeof(c->cfg->pfcp_node_id), "%s", s);
	return 0;
}

static int
apply_api_listen(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (parse_hostport(s, &c->cfg->api_addr_be, &c->cfg->api_port) < 0)
		return fail(c, path, "not an IPv4 address and port (\"%s\")", s);
	return 0;
}

static int
apply_api_token(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;
	size_t n;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	n = strlen(s);
	if (n == 0 || n >= sizeof(c->cfg->api_token))
		return fail(c, path, "must be 1 to %zu characters", sizeof(c->cfg->api_token) - 1);
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return fail(c, path, "must be printable ASCII without spaces");
	memcpy(c->cfg->api_token, s, n + 1);
	return 0;
}

static int
apply_state_dir(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (s[0] != '/' || strlen(s) >= sizeof(c->cfg->state_dir))
		return fail(c, path, "must be an absolute path");
	strcpy(c->cfg->state_dir, s);
	return 0;
}

/*
 * A user name as useradd takes it (the portable set of POSIX: letters,
 * digits, '.', '_', '-', not beginning with '-'), so that the name in the
 * file is the one getpwnam finds.
 */
static int
apply_user(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;
	size_t n;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	n = strlen(s);
	if (n == 0 || n >= sizeof(c->cfg->user))
		return fail(c, path, "must be 1 to %zu characters", sizeof(c->cfg->user) - 1);
	if (s[0] == '-' || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789._-") != n)
		return fail(c, path, "must be a user name (letters, digits, '.', '_', '-')");
	memcpy(c->cfg->user, s, n + 1);
	return 0;
}

/* An APN network identifier, TS 23.003 §9.1: labels of letters, digits, '-'. */
static bool
apn_valid(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n >= CONFIG_APN_LEN || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!(s[i] == '-' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= 'A' && s[i] <= 'Z')) ||
		    ++label > 63)
			return false;
	}
	return true;
}

static int
apply_apns(struct cfg_ctx *c, const char *path, json_t *v)
{
	char item[64];
	size_t i;
	json_t *e;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(c, path, "must be a non-empty list of APN names");
	if (json_array_size(v) > CONFIG_MAX_APNS)
		return fail(c, path, "at most %d APNs", CONFIG_MAX_APNS);
	json_array_foreach(v, i, e)
	{
		const char *s = NULL;

		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (want_string(c, item, e, &s) < 0)
			return -1;
		if (!apn_valid(s))
			return fail(c, item, "not a valid APN (\"%s\")", s);
		strcpy(c->cfg->apns[c->cfg->n_apns++], s);
	}
	return 0;
}

static int
want_dns_server(struct cfg_ctx *c, const char *path, json_t *v, uint32_t *addr_be)
{
	const char *s = NULL;
	int rc;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	rc = parse_dns_server(s, addr_be);
	if (rc == -EINVAL)
		return fail(c, path, "not an IPv4 address (\"%s\")", s);
	if (rc < 0)
		return fail(c, path, "not a unicast host address (\"%s\")", s);
	return 0;
}

static int
apply_dns(struct cfg_ctx *c, const char *path, json_t *v)
{
	char item[64];
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return fail(c, path, "must be a list of at most %d IPv4 addresses", CONFIG_MAX_DNS);
	if (json_array_size(v) > CONFIG_MAX_DNS)
		return fail(c, path, "at most %d DNS servers (%zu given)", CONFIG_MAX_DNS,
		    json_array_size(v));
	json_array_foreach(v, i, e)
	{
		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (want_dns_server(c, item, e, &c->cfg->dns_be[i]) < 0)
			return -1;
		c->cfg->n_dns = (unsigned)i + 1;
	}
	return 0;
}

static int
apply_device_mtu(struct cfg_ctx *c, const char *path, json_t *v)
{
	json_int_t mtu;

	if (!json_is_integer(v))
		return fail(c, path, "must be an integer");
	mtu = json_integer_value(v);
	if (mtu < CONFIG_DEVICE_MTU_MIN || mtu > CONFIG_DEVICE_MTU_MAX)
		return fail(c, path, "must be between %d and %d (%lld)", CONFIG_DEVICE_MTU_MIN,
		    CONFIG_DEVICE_MTU_MAX, (long long)mtu);
	c->cfg->device_mtu = (uint16_t)mtu;
	return 0;
}

static int
apply_egress_enabled(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_bool(c, path, v, &c->cfg->egress_enabled);
}

static int
apply_egress_nat(struct cfg_ctx *c, const char *path, json_t *v)
{
	return want_bool(c, path, v, &c->cfg->egress_nat);
}

static int
apply_egress_if(struct cfg_ctx *c, const char *path, json_t *v)
{
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	if (parse_ifname(s) < 0)
		return fail(c, path, "not an interface name (1-15 characters, no '/' or space)");
	strcpy(c->cfg->egress_if, s);
	return 0;
}

static int
apply_xdp_mode(struct cfg_ctx *c, const char *path, json_t *v)
{
	static const char *const names[] = { "off", "native", "generic" };
	const char *s = NULL;

	if (want_string(c, path, v, &s) < 0)
		return -1;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			c->cfg->xdp_mode = (enum config_xdp_mode)i;
			return 0;
		}
	return fail(c, path, "must be \"native\", \"generic\" or \"off\" (\"%s\")", s);
}

static int
apply_xdp_interfaces(struct cfg_ctx *c, const char *path, json_t *v)
{
	struct config *cfg = c->cfg;
	char item[64];
	size_t i;
	json_t *e;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(c, path, "must be a non-empty list of interface names");
	if (json_array_size(v) > CONFIG_XDP_MAX_IFS)
		return fail(c, path, "at most %d interfaces", CONFIG_XDP_MAX_IFS);
	cfg->n_xdp_ifs = 0;
	json_array_foreach(v, i, e)
	{
		const char *s = NULL;

		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (want_string(c, item, e, &s) < 0)
			return -1;
		if (parse_ifname(s) < 0)
			return fail(
			    c, item, "not an interface name (1-15 characters, no '/' or space)");
		for (unsigned k = 0; k < cfg->n_xdp_ifs; k++)
			if (strcmp(cfg->xdp_ifs[k], s) == 0)
				return fail(c, item, "\"%s\" is listed twice", s);
		strcpy(cfg->xdp_ifs[cfg->n_xdp_ifs++], s);
	}
	return 0;
}

static const struct cfg_key map_entry_keys[];

static int
apply_map_entry(struct cfg_ctx *c, const char *path, json_t *e, struct config_map_entry *out)
{
	char sub[96];
	const char *s = NULL;

	if (apply_object(c, path, e, map_entry_keys) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.key", path);
	if (want_string(c, sub, json_object_get(e, "key"), &s) < 0)
		return -1;
	if (parse_imsi(s) < 0)
		return fail(c, sub, "not an IMSI (6 to 15 digits): \"%s\"", s);
	strcpy(out->imsi, s);
	snprintf(sub, sizeof(sub), "%s.ipAddress", path);
	return want_ipv4(c, sub, json_object_get(e, "ipAddress"), &out->addr_be);
}

static int
apply_map(struct cfg_ctx *c, const char *path, json_t *v)
{
	char item[64];
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return fail(c, path, "must be a list of {key, ipAddress}");
	c->cfg->map = calloc(json_array_size(v) + 1, sizeof(*c->cfg->map));
	if (c->cfg->map == NULL)
		return fail(c, path, "out of memory");
	json_array_foreach(v, i, e)
	{
		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (apply_map_entry(c, item, e, &c->cfg->map[i]) < 0)
			return -1;
		c->cfg->n_map = i + 1;
	}
	return 0;
}

/* Keys of a nested object are checked by apply_object when it is walked. */
/* An integer of [lo, hi], or an error naming path and the range. */
static int
want_range(
    struct cfg_ctx *c, const char *path, json_t *v, long long lo, long long hi, long long *out)
{
	if (!json_is_integer(v))
		return fail(c, path, "must be an integer");
	*out = json_integer_value(v);
	if (*out < lo || *out > hi)
		return fail(c, path, "must be between %lld and %lld (%lld)", lo, hi, *out);
	return 0;
}

static int
apply_peek_sessions(struct cfg_ctx *c, const char *path, json_t *v)
{
	long long n = 0;
	int rc = want_range(c, path, v, 1, CONFIG_PEEK_SESSIONS_MAX, &n);

	if (rc == 0)
		c->cfg->peek_max_sessions = (unsigned)n;
	return rc;
}

static int
apply_peek_bytes(struct cfg_ctx *c, const char *path, json_t *v)
{
	long long n = 0;
	int rc = want_range(c, path, v, CONFIG_PEEK_BYTES_MIN, CONFIG_PEEK_BYTES_MAX, &n);

	if (rc == 0)
		c->cfg->peek_max_bytes = (uint64_t)n;
	return rc;
}

static int
apply_peek_retention(struct cfg_ctx *c, const char *path, json_t *v)
{
	long long n = 0;
	int rc = want_range(c, path, v, CONFIG_PEEK_RETENTION_MIN, CONFIG_PEEK_RETENTION_MAX, &n);

	if (rc == 0)
		c->cfg->peek_retention_s = (uint32_t)n;
	return rc;
}

static int
apply_ignore(struct cfg_ctx *c, const char *path, json_t *v)
{
	(void)c, (void)path, (void)v;
	return 0;
}

static const struct cfg_key map_entry_keys[] = {
	{ "key", true, apply_ignore },
	{ "ipAddress", true, apply_ignore },
	{ NULL, false, NULL },
};

static const struct cfg_key gtp_keys[] = {
	{ "listenAddress", true, apply_gtp_listen },
	{ "echoInterval", false, apply_gtp_echo },
	{ "replayCacheMB", false, apply_gtp_replay },
	{ "allowedPeers", false, apply_gtp_peers },
	{ NULL, false, NULL },
};

static const struct cfg_key ggsn_keys[] = {
	{ "enabled", false, apply_ggsn_enabled },
	{ NULL, false, NULL },
};

static const struct cfg_key pfcp_keys[] = {
	{ "enabled", false, apply_pfcp_enabled },
	{ "listenAddress", false, apply_pfcp_listen },
	{ "nodeId", false, apply_pfcp_node_id },
	{ "replayCacheMB", false, apply_pfcp_replay },
	{ "allowedPeers", false, apply_pfcp_peers },
	{ NULL, false, NULL },
};

static const struct cfg_key gtpv2_keys[] = {
	{ "enabled", false, apply_pgw_enabled },
	{ "listenAddress", false, apply_pgw_listen },
	{ "allowedPeers", false, apply_pgw_peers },
	{ NULL, false, NULL },
};

static const struct cfg_key gate_keys[] = {
	{ "listenAddress", false, apply_gate_listen },
	{ "transmit", false, apply_gate_transmit },
	{ NULL, false, NULL },
};

static const struct cfg_key api_keys[] = {
	{ "listen", false, apply_api_listen },
	{ "token", false, apply_api_token },
	{ NULL, false, NULL },
};

static const struct cfg_key egress_keys[] = {
	{ "enabled", false, apply_egress_enabled },
	{ "interface", false, apply_egress_if },
	{ "nat", false, apply_egress_nat },
	{ NULL, false, NULL },
};

static const struct cfg_key peek_keys[] = {
	{ "maxSessions", false, apply_peek_sessions },
	{ "maxBytes", false, apply_peek_bytes },
	{ "retention", false, apply_peek_retention },
	{ NULL, false, NULL },
};

static const struct cfg_key xdp_keys[] = {
	{ "interfaces", false, apply_xdp_interfaces },
	{ "mode", false, apply_xdp_mode },
	{ NULL, false, NULL },
};

#define NESTED(fn, table)                                                                          \
	static int fn(struct cfg_ctx *c, const char *path, json_t *v)                              \
	{                                                                                          \
		return apply_object(c, path, v, table);                                            \
	}
NESTED(apply_gtp, gtp_keys)
NESTED(apply_gate, gate_keys)
NESTED(apply_ggsn, ggsn_keys)

/* The UPF role is on when "pfcp" is there, unless it says "enabled": false. */
static int
apply_pfcp(struct cfg_ctx *c, const char *path, json_t *v)
{
	c->cfg->pfcp_enabled = true;
	return apply_object(c, path, v, pfcp_keys);
}

/* The PGW role is on when "gtpv2" is there, unless it says "enabled": false. */
static int
apply_gtpv2(struct cfg_ctx *c, const char *path, json_t *v)
{
	c->cfg->pgw_enabled = true;
	return apply_object(c, path, v, gtpv2_keys);
}
NESTED(apply_api, api_keys)
NESTED(apply_egress, egress_keys)
NESTED(apply_peek, peek_keys)
NESTED(apply_xdp, xdp_keys)

static const struct cfg_key top_keys[] = {
	{ "deviceSubnetCidrRange", true, apply_subnet },
	{ "gatewayAddress", false, apply_gateway },
	{ "gtp", true, apply_gtp },
	{ "ggsn", false, apply_ggsn },
	{ "pfcp", false, apply_pfcp },
	{ "gtpv2", false, apply_gtpv2 },
	{ "gate", false, apply_gate },
	{ "api", false, apply_api },
	{ "stateDirectory", true, apply_state_dir },
	{ "user", false, apply_user },
	{ "apns", false, apply_apns },
	{ "dns", false, apply_dns },
	{ "deviceMtu", false, apply_device_mtu },
	{ "egress", false, apply_egress },
	{ "xdp", false, apply_xdp },
	{ "ipAddressMap", false, apply_map },
	{ "peek", false, apply_peek },
	{ NULL, false, NULL },
};

static void
join_path(char *out, size_t cap, const char *parent, const char *key)
{
	if (parent[0] == '\0')
		snprintf(out, cap, "%s", key);
	else
		snprintf(out, cap, "%s.%s", parent, key);
}

static const struct cfg_key *
find_key(const struct cfg_key *keys, const char *name)
{
	for (; keys->name != NULL; keys++)
		if (strcmp(keys->name, name) == 0)
			return keys;
	return NULL;
}

static int
apply_object(struct cfg_ctx *c, const char *path, json_t *obj, const struct cfg_key *keys)
{
	char sub[128];
	const char *name;
	json_t *v;

	if (!json_is_object(obj))
		return fail(c, path[0] ? path : "(top level)", "must be a JSON object");
	json_object_foreach(obj, name, v)
	{
		const struct cfg_key *k = find_key(keys, name);

		join_path(sub, sizeof(sub), path, name);
		if (k == NULL)
			return fail(c, sub, "unknown key");
		if (k->apply(c, sub, v) < 0)
			return -1;
	}
	for (; keys->name != NULL; keys++) {
		join_path(sub, sizeof(sub), path, keys->name);
		if (keys->required && json_object_get(obj, keys->name) == NULL)
			return fail(c, sub, "missing");
	}
	return 0;
}

uint32_t
config_broadcast(const struct config *cfg)
{
	uint32_t hostmask = cfg->prefix >= 32 ? 0 : (~0u >> cfg->prefix);

	return cfg->subnet_be | htonl(hostmask);
}

bool
config_in_subnet(const struct config *cfg, uint32_t addr_be)
{
	uint32_t mask = cfg->prefix == 0 ? 0 : htonl(~0u << (32 - cfg->prefix));

	return (addr_be & mask) == cfg->subnet_be;
}

/* An address the pool can hand out: inside the subnet, not its ends. */
static bool
usable_host(const struct config *cfg, uint32_t addr_be)
{
	return config_in_subnet(cfg, addr_be) && addr_be != cfg->subnet_be &&
	       addr_be != config_broadcast(cfg);
}

static int
validate_map(struct cfg_ctx *c)
{
	const struct config *cfg = c->cfg;
	char path[64];

	/* O(n^2) over the file's entries: they are few, and this runs once. */
	for (size_t i = 0; i < cfg->n_map; i++) {
		snprintf(path, sizeof(path), "ipAddressMap[%zu]", i);
		if (!usable_host(cfg, cfg->map[i].addr_be))
			return fail(
			    c, path, "ipAddress is not a usable address of the device subnet");
		if (cfg->map[i].addr_be == cfg->gateway_be)
			return fail(c, path, "ipAddress is the gateway's own address");
		for (size_t j = 0; j < i; j++) {
			if (strcmp(cfg->map[i].imsi, cfg->map[j].imsi) == 0)
				return fail(c, path, "key duplicates ipAddressMap[%zu]", j);
			if (cfg->map[i].addr_be == cfg->map[j].addr_be)
				return fail(c, path, "ipAddress duplicates ipAddressMap[%zu]", j);
		}
	}
	return 0;
}

/* gtp.allowedPeers stands for every control protocol that lists none of its own. */
static void
inherit_peers(struct config *cfg)
{
	if (cfg->gtp_peers.automatic)
		return;
	if (cfg->pgw_peers.automatic)
		cfg->pgw_peers = cfg->gtp_peers;
	if (cfg->pfcp_peers.automatic)
		cfg->pfcp_peers = cfg->gtp_peers;
}

/* Cross-field rules, checked once every key has been read. */
static int
validate(struct cfg_ctx *c)
{
	struct config *cfg = c->cfg;

	if (!c->seen_gateway)
		cfg->gateway_be = htonl(ntohl(cfg->subnet_be) + 1);
	else if (!usable_host(cfg, cfg->gateway_be))
		return fail(
		    c, "gatewayAddress", "must be a host address inside deviceSubnetCidrRange");
	if (!c->seen_gate)
		cfg->gate_addr_be = cfg->gtp_addr_be;
	if (cfg->pfcp_enabled && !c->seen_pfcp_addr)
		return fail(c, "pfcp.listenAddress", "required when the UPF role is on");
	if (cfg->pfcp_enabled && cfg->pfcp_node_id[0] == '\0')
		ipv4_str(cfg->pfcp_addr_be, cfg->pfcp_node_id);
	if (cfg->pgw_enabled && !c->seen_pgw_addr)
		cfg->pgw_addr_be = cfg->gtp_addr_be;
	inherit_peers(cfg);
	if (cfg->xdp_mode != CONFIG_XDP_OFF && cfg->n_xdp_ifs == 0)
		return fail(c, "xdp.interfaces", "required when xdp.mode is not \"off\"");
	if (!cfg->ggsn_enabled && !cfg->pfcp_enabled && !cfg->pgw_enabled)
		return fail(c, "ggsn.enabled",
		    "no control protocol left: turn the GGSN, PGW or UPF role on");
	/* An API open beyond the host must not be open to anyone (docs/API.md). */
	if ((ntohl(cfg->api_addr_be) >> 24) != 127 && cfg->api_token[0] == '\0')
		return fail(c, "api.token", "required when api.listen is not a loopback address");
	return validate_map(c);
}

static void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->api_addr_be = htonl(0x7f000001);
	cfg->api_port = 8080;
	cfg->egress_enabled = true;
	cfg->ggsn_enabled = true;
	cfg->gate_direct = true;
	cfg->device_mtu = CONFIG_DEVICE_MTU_DEFAULT;
	cfg->gtp_echo_s = CONFIG_ECHO_DEFAULT_S;
	cfg->gtp_replay_mb = CONFIG_REPLAY_MB_DEFAULT;
	cfg->pfcp_replay_mb = CONFIG_REPLAY_MB_DEFAULT;
	cfg->peek_max_sessions = CONFIG_PEEK_SESSIONS_DEFAULT;
	cfg->peek_max_bytes = CONFIG_PEEK_BYTES_DEFAULT;
	cfg->peek_retention_s = CONFIG_PEEK_RETENTION_DEFAULT;
	cfg->egress_nat = true;
	strcpy(cfg->egress_if, "vpgd0");
	cfg->gtp_peers.automatic = true;
	cfg->pgw_peers.automatic = true;
	cfg->pfcp_peers.automatic = true;
	strcpy(cfg->user, CONFIG_USER_DEFAULT);
}

static int
config_from_json(json_t *root, struct config *cfg, char *err)
{
	struct cfg_ctx c = { .cfg = cfg, .err = err };

	if (apply_object(&c, "", root, top_keys) < 0 || validate(&c) < 0) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

static int
json_fail(const json_error_t *je, char *err)
{
	snprintf(err, CONFIG_ERR_LEN, "line %d column %d: %s", je->line, je->column, je->text);
	one_line(err);
	return -1;
}

/* text is the caller's to free; its comments are blanked in place first. */
static int
parse_text(char *text, size_t len, struct config *cfg, char *err)
{
	json_error_t jerr;
	json_t *root;
	int rc;

	config_defaults(cfg);
	config_text_blank_comments(text, len);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return json_fail(&jerr, err);
	rc = config_from_json(root, cfg, err);
	json_decref(root);
	return rc;
}

int
config_parse(const char *text, size_t len, struct config *cfg, char err[CONFIG_ERR_LEN])
{
	/* One octet more, so that an empty text still has a buffer. */
	char *copy = malloc(len + 1);
	int rc;

	if (copy == NULL) {
		config_defaults(cfg);
		snprintf(err, CONFIG_ERR_LEN, "out of memory");
		return -1;
	}
	memcpy(copy, text, len);
	rc = parse_text(copy, len, cfg, err);
	free(copy);
	return rc;
}

int
config_load(const char *path, struct config *cfg, char err[CONFIG_ERR_LEN])
{
	char *text;
	size_t len;
	int rc = config_text_read(path, &text, &len);

	if (rc < 0) {
		config_defaults(cfg);
		snprintf(err, CONFIG_ERR_LEN, "cannot read %s: %s", path, strerror(-rc));
		one_line(err);
		return -1;
	}
	rc = parse_text(text, len, cfg, err);
	free(text);
	return rc;
}

void
config_free(struct config *cfg)
{
	free(cfg->map);
	cfg->map = NULL;
	cfg->n_map = 0;
}
