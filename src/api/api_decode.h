/*
 * Decoding of REST API request bodies and path parameters (docs/API.md):
 * pure functions, no I/O, no logging. A refusal fills a struct api_error with
 * the status, the documented code, the field and a one-line message the
 * handler sends as is; values come through the validators of conf/parse.h, so
 * the API and the bootstrap file refuse a value in the same words.
 */
#ifndef VPG_API_API_DECODE_H
#define VPG_API_API_DECODE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sim_routes.h"
#include "fwd/filter.h"
#include "inspect/inspect.h"
#include "proto/pco.h"

struct api_error {
	int status;
	char code[32];	   /* "invalid_json", "unknown_field", ... */
	char field[64];	   /* the field concerned; "" for none */
	char message[256]; /* one line of printable ASCII */
};

/*
 * Fills e; the message is formatted like printf. Control characters and
 * non-ASCII bytes in the result become '?', so whatever the arguments hold
 * the message stays one line and valid JSON text.
 */
void api_error_set(struct api_error *e, int status, const char *code, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* { "code", "message", "field" } (no "field" when empty); NULL without memory. */
json_t *api_error_json(const struct api_error *e);

/* A path segment that must be an IMSI (6-15 digits): 0, or -EINVAL and 400 invalid_path. */
int api_path_imsi(const char *segment, char out[16], struct api_error *err);
/*
 * A path segment that must be a dotted-quad IPv4 address, such as a gate
 * peer's outerIpAddress: 0, or -EINVAL and 400 invalid_path.
 */
int api_path_ipv4(const char *segment, uint32_t *addr_be, struct api_error *err);

/*
 * The generic decoder: a body is a JSON object described by a table of
 * fields, each with its JSON name, kind, whether it is required, the has-bit
 * it sets and the member of the output struct it fills. Every body of the
 * API is one such table plus a call to api_decode_body.
 */
enum api_kind {
	API_IPV4,   /* a string holding a dotted quad -> uint32_t, network order */
	API_BOOL,   /* true or false -> bool */
	API_INT,    /* an integer within [min, max] -> int64_t */
	API_STRING, /* a string shorter than the member -> char[] */
	API_CIDR,   /* a string "a.b.c.d/n", no host bits set -> struct api_cidr */
	API_ENUM,   /* a string, one of words -> int, its index there */
	API_CUSTOM, /* anything, as the field's decode function takes it */
};

struct api_cidr {
	uint32_t net_be; /* network order */
	uint8_t prefix;	 /* 0..32 */
};

struct api_field {
	const char *name;
	enum api_kind kind;
	bool required;
	uint32_t bit;		  /* set in the output's has when the field is present */
	size_t off;		  /* of the member the value goes to */
	size_t size;		  /* API_STRING: the member's size, NUL included */
	int64_t min, max;	  /* API_INT: the range, inclusive */
	const char *const *words; /* API_ENUM: the values taken, NULL-terminated */
	/*
	 * API_CUSTOM: decodes v into dst (the member, of size bytes) or fills
	 * err as the other kinds do (400 invalid_field naming the field, the
	 * message beginning with its quoted name) and returns -EINVAL.
	 */
	int (*decode)(const struct api_field *f, const json_t *v, void *dst, struct api_error *err);
};

struct api_body {
	const struct api_field *fields;
	size_t n;
	size_t size;	/* of the output struct, zeroed first */
	size_t has_off; /* of its uint32_t has */
	/*
	 * No body at all stands for {}: for calls whose every field is
	 * optional, so that a bare POST takes the defaults.
	 */
	bool empty_ok;
};

/*
 * The member's offset; compilation fails unless the member has type T, so a
 * table cannot send a value into a member of another type.
 */
#define API_AT(st, m, T) _Generic(((st *)0)->m, T : offsetof(st, m))
/* clang-format off */
#define API_FIELD_IPV4(st, m, name, bit, req) \
	{ name, API_IPV4, req, bit, API_AT(st, m, uint32_t), 0, 0, 0, NULL, NULL }
#define API_FIELD_BOOL(st, m, name, bit, req) \
	{ name, API_BOOL, req, bit, API_AT(st, m, bool), 0, 0, 0, NULL, NULL }
#define API_FIELD_INT(st, m, name, bit, req, lo, hi) \
	{ name, API_INT, req, bit, API_AT(st, m, int64_t), 0, lo, hi, NULL, NULL }
#define API_FIELD_STRING(st, m, name, bit, req) \
	{ name, API_STRING, req, bit, API_AT(st, m, char *), sizeof(((st *)0)->m), 0, 0, NULL, \
	    NULL }
#define API_FIELD_CIDR(st, m, name, bit, req) \
	{ name, API_CIDR, req, bit, API_AT(st, m, struct api_cidr), 0, 0, 0, NULL, NULL }
#define API_FIELD_ENUM(st, m, name, bit, req, words) \
	{ name, API_ENUM, req, bit, API_AT(st, m, int), 0, 0, 0, words, NULL }
#define API_FIELD_CUSTOM(st, m, T, name, bit, req, fn) \
	{ name, API_CUSTOM, req, bit, API_AT(st, m, T), sizeof(T), 0, 0, NULL, fn }
#define API_BODY(st, table) \
	{ table, sizeof(table) / sizeof((table)[0]), sizeof(st), API_AT(st, has, uint32_t), false }
#define API_BODY_OR_EMPTY(st, table) \
	{ table, sizeof(table) / sizeof((table)[0]), sizeof(st), API_AT(st, has, uint32_t), true }
/* clang-format on */

/*
 * For API_CUSTOM decoders elsewhere, the words of this file's refusals: the
 * JSON type of v ("a string", "an array", ...), and s in double quotes,
 * escaped to printable ASCII and cut to a recognisable length.
 */
#define API_QUOTE_BUF (4 * 40 + 6)
const char *api_json_type_name(const json_t *v);
/* A 400 invalid_field error naming f, its message "\"name\": " then fmt's; -EINVAL. */
int api_field_error(const struct api_field *f, struct api_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *api_quote(char dst[API_QUOTE_BUF], const char *s);
/*
 * A string taken whole (a NUL inside would hide what follows it from the
 * check) that valid accepts, copied into dst; else a 400 saying it is not
 * what. For custom fields: dst must hold what valid can accept.
 */
int api_decode_checked_string(const struct api_field *f, const json_t *v, void *dst,
    struct api_error *err, bool (*valid)(const char *), const char *what);
/* An IMSI of 6 to 15 digits, as an API_FIELD_CUSTOM decoder into a char[16]. */
int api_decode_imsi(const struct api_field *f, const json_t *v, void *dst, struct api_error *err);
/*
 * The body as a JSON value of type want (JSON_OBJECT or JSON_ARRAY), for
 * decoders of a body that is no object of fields; NULL with err filled
 * (400 invalid_json: empty, not JSON, or of another type) otherwise.
 */
json_t *api_load_root(const char *body, size_t len, json_type want, struct api_error *err);

/*
 * Decodes body (len bytes, not NUL-terminated) into out as b describes:
 * 0, or -EINVAL with err filled (status 400; code invalid_json,
 * unknown_field, missing_field or invalid_field) and out zeroed. With
 * b->empty_ok, len 0 is 0 with out zeroed (has 0) and body unread.
 */
int api_decode_body(
    const char *body, size_t len, const struct api_body *b, void *out, struct api_error *err);

/*
 * For bodies that are lists, decoded elsewhere entry by entry: the body as
 * JSON of type want (JSON_ARRAY or JSON_OBJECT), or NULL with err filled
 * (400 invalid_json); the caller releases it with json_decref.
 */
json_t *api_load_json(const char *body, size_t len, json_type want, struct api_error *err);
/*
 * Entry i of a list: an object decoded as b describes into out (zeroed
 * first), or -EINVAL with err naming the field "[i].field" ("[i]" when the
 * entry is no object), codes as api_decode_body's.
 */
int api_decode_entry(
    const struct api_body *b, size_t i, json_t *v, void *out, struct api_error *err);

/*
 * A PUT whose path names the object may repeat the name in its body, as GET
 * shows the object, so that what GET returns can be PUT back unchanged. The
 * body's value must then be the path's: otherwise 400 invalid_field naming
 * field, the message quoting both; -EINVAL.
 */
int api_key_mismatch(struct api_error *err, const char *field, const char *given, const char *path);

/*
 * PUT /v1/ip_address_map/{key}: { "ipAddress": "10.10.0.50" }, and "key"
 * optional, the path's IMSI again.
 */
#define API_IP_MAP_IP_ADDRESS (1u << 0)
#define API_IP_MAP_KEY	      (1u << 1)

struct api_ip_map_body {
	uint32_t has; /* API_IP_MAP_* of the fields present */
	uint32_t ip_address_be;
	char key[16];
};

/*
 * As api_decode_body; a "key" other than path_key is refused as
 * api_key_mismatch says. Checks against the live configuration (the device
 * subnet, conflicts) are the caller's.
 */
int api_decode_ip_map(const char *body, size_t len, const char *path_key,
    struct api_ip_map_body *out, struct api_error *err);

/*
 * POST /v1/gate/open: { "vxlanId": 10, "privacySeparatorEnabled": false },
 * both optional, and no body at all is {}. What an absent field means
 * (docs/API.md's defaults, VXLAN ID 10 and separator off, or an open gate's
 * current value) is the caller's to decide from has.
 */
#define API_GATE_OPEN_VXLAN_ID		(1u << 0)
#define API_GATE_OPEN_PRIVACY_SEPARATOR (1u << 1)
/* RFC 7348 §5: the VNI is 24 bits; docs/API.md takes 1-16777215. */
#define API_VXLAN_ID_MIN 1
#define API_VXLAN_ID_MAX 16777215

struct api_gate_open_body {
	uint32_t has; /* API_GATE_OPEN_* of the fields present */
	int64_t vxlan_id;
	bool privacy_separator_enabled;
};

int api_decode_gate_open(
    const char *body, size_t len, struct api_gate_open_body *out, struct api_error *err);

/*
 * POST /v1/gate/peers: { "outerIpAddress": "198.51.100.3",
 * "innerIpAddress": "10.10.10.10" }, both required.
 */
#define API_GATE_PEER_OUTER_IP_ADDRESS (1u << 0)
#define API_GATE_PEER_INNER_IP_ADDRESS (1u << 1)

struct api_gate_peer_body {
	uint32_t has; /* API_GATE_PEER_* of the fields present */
	uint32_t outer_ip_address_be;
	uint32_t inner_ip_address_be;
};

/*
 * As api_decode_body: both are dotted quads. The rest of docs/API.md's
 * rules are the caller's: outer a unicast address; inner a usable address
 * of the device subnet, not the gateway's; either already taken (409).
 */
int api_decode_gate_peer(
    const char *body, size_t len, struct api_gate_peer_body *out, struct api_error *err);

/*
 * PUT /v1/junction/redirection: { "gateway": "10.10.10.10", "enabled": true,
 * "description": "to the LAN" }, gateway required.
 */
#define API_REDIRECTION_GATEWAY	    (1u << 0)
#define API_REDIRECTION_ENABLED	    (1u << 1)
#define API_REDIRECTION_DESCRIPTION (1u << 2)
/* docs/API.md: at most 255, counted here in bytes of UTF-8. */
#define API_REDIRECTION_DESCRIPTION_MAX 255

struct api_redirection_body {
	uint32_t has; /* API_REDIRECTION_* of the fields present */
	uint32_t gateway_be;
	bool enabled;
	char description[API_REDIRECTION_DESCRIPTION_MAX + 1];
};

/*
 * As api_decode_body, with docs/API.md's defaults in place of an absent
 * field: enabled true, description "" (has still says what was given).
 * That the gateway is a registered gate peer's inner address (400
 * invalid_field) is the caller's to check.
 */
int api_decode_redirection(
    const char *body, size_t len, struct api_redirection_body *out, struct api_error *err);

/*
 * Junction mirroring peers: POST /v1/junction/mirroring/peers takes
 * { "ipAddress": "203.0.113.7", "protocol": "gre", "enabled": true,
 * "description": "" }, ipAddress required; PUT
 * /v1/junction/mirroring/peers/{ipAddress} takes the others, all optional,
 * the address being the path's. protocol has one value, "gre", so only its
 * has-bit reaches the caller.
 */
#define API_MIRROR_IP_ADDRESS  (1u << 0)
#define API_MIRROR_PROTOCOL    (1u << 1)
#define API_MIRROR_ENABLED     (1u << 2)
#define API_MIRROR_DESCRIPTION (1u << 3)
/* docs/API.md: at most 255, counted here in bytes of UTF-8. */
#define API_MIRROR_DESCRIPTION_MAX 255

struct api_mirror_body {
	uint32_t has; /* API_MIRROR_* of the fields present */
	uint32_t ip_address_be;
	bool enabled;
	char description[API_MIRROR_DESCRIPTION_MAX + 1];
};

/*
 * POST: as api_decode_body, with docs/API.md's defaults in place of an
 * absent field: enabled true, description "" (has still says what was
 * given). A protocol other than the string "gre" is 400 invalid_field
 * naming "protocol". That the address is unicast, and free (409), is the
 * caller's to check.
 */
int api_decode_mirror_peer(
    const char *body, size_t len, struct api_mirror_body *out, struct api_error *err);
/*
 * PUT: as api_decode_body, every field optional ({} changes nothing) and
 * none defaulted: an absent one keeps the peer's value, as has tells.
 * "ipAddress" may be given, as GET shows it, but a peer's address is its
 * name, in the path, never changed: another than path_be is refused as
 * api_key_mismatch says.
 */
int api_decode_mirror_update(const char *body, size_t len, uint32_t path_be,
    struct api_mirror_body *out, struct api_error *err);

/*
 * PUT /v1/routing_filter: a JSON array (not an object) of at most
 * FILTER_MAX_RULES objects { "action": "allow"|"deny", "ipRange": CIDR },
 * both required, no other field, decoded in order into out[0..*n). 0, or
 * -EINVAL with err filled, *n 0 and out[0..cap) zeroed: 400 invalid_json
 * for a body that is no JSON array; invalid_field with field "" for more
 * entries than FILTER_MAX_RULES or cap; for an entry, the codes of
 * api_decode_body with the field named "[index].field" ("[2].ipRange"), or
 * "[index]" when the entry is not an object.
 */
int api_decode_routing_filter(const char *body, size_t len, struct filter_rule *out, unsigned cap,
    unsigned *n, struct api_error *err);

/*
 * PUT /v1/vpg/dns (api_decode_dns.c): a JSON array (not an object) of at
 * most API_DNS_MAX strings, each an IPv4 unicast host as parse_dns_server
 * takes it (the bootstrap file's "dns" has the same rule), primary first;
 * [] for none. 0 with *n addresses in out_be, or -EINVAL with err filled,
 * *n 0 and out_be zeroed: 400 invalid_json for a body that is no JSON
 * array; invalid_field with field "" for more than API_DNS_MAX entries, or
 * "[index]" for a bad one ("[1]").
 */
#define API_DNS_MAX PCO_MAX_DNS

int api_decode_dns(
    const char *body, size_t len, uint32_t out_be[API_DNS_MAX], unsigned *n, struct api_error *err);

/*
 * Junction inspection (api_decode_inspect.c). PUT /v1/junction/inspection:
 * { "enabled": true, "collectors": [ "192.0.2.9", "192.0.2.10:2055" ],
 * "activeTimeout": 60, "idleTimeout": 15, "maxFlows": 65536 }, collectors
 * required.
 */
#define API_INSPECTION_ENABLED	      (1u << 0)
#define API_INSPECTION_COLLECTORS     (1u << 1)
#define API_INSPECTION_ACTIVE_TIMEOUT (1u << 2)
#define API_INSPECTION_IDLE_TIMEOUT   (1u << 3)
#define API_INSPECTION_MAX_FLOWS      (1u << 4)
/* A collector without a port: IPFIX's IANA-registered port, IPFIX_PORT of proto/ipfix.h. */
#define API_COLLECTOR_DEFAULT_PORT 4739

struct api_inspection_body {
	uint32_t has;		   /* API_INSPECTION_* of the fields present */
	struct inspect_config cfg; /* with docs/API.md's defaults for absent fields */
};

/*
 * As api_decode_body: collectors is an array of 1 to INSPECT_MAX_COLLECTORS
 * strings api_parse_collector takes, no two the same address and port;
 * the numbers are within inspect/inspect.h's ranges; any fault is 400
 * invalid_field naming the field. That each collector is a unicast host
 * is the caller's to check.
 */
int api_decode_inspection(
    const char *body, size_t len, struct api_inspection_body *out, struct api_error *err);
/*
 * A collector, "a.b.c.d" or "a.b.c.d:port", port 1..65535 in decimal and
 * API_COLLECTOR_DEFAULT_PORT when absent: 0, -EINVAL when the address is
 * no dotted quad, -ERANGE when the port is not 1..65535 in digits. Shared
 * by the API and vpgctl, so both refuse a value alike.
 */
int api_parse_collector(const char *s, struct inspect_collector *out);

/*
 * SIM-based routing (api_decode_sim.c). PUT /v1/sim_based_routing/routes:
 * [ { "imsi": "001010000000001", "destinations": [ "192.168.50.0/24" ] } ],
 * both fields required; an imsi is 1 to 15 digits and given once; a list
 * holds 1 to SIM_ROUTES_MAX_PER_IMSI CIDR ranges with no host bits set;
 * at most SIM_ROUTES_MAX ranges in all, none overlapping the device subnet
 * (subnet_be/subnet_len) or another. 0 with out filled, which
 * sim_table_check accepts; or -EINVAL with err filled and out emptied: 400
 * invalid_json for a body that is no JSON array, invalid_field with field
 * "" for too many ranges, and for an entry the codes of api_decode_body
 * with the field named "[index].imsi" or "[index].destinations", the
 * message naming the range concerned by its index in the list.
 */
struct api_sim_dests {
	unsigned n;
	struct api_cidr range[SIM_ROUTES_MAX_PER_IMSI];
};

int api_decode_sim_routes(const char *body, size_t len, uint32_t subnet_be, uint8_t subnet_len,
    struct sim_table *out, struct api_error *err);
/*
 * PUT /v1/sim_based_routing/routes/{imsi}: { "destinations": [ ... ] },
 * required, a list as above, and "imsi" optional, as GET shows the entry,
 * but then path_imsi (api_key_mismatch otherwise): 0, or -EINVAL with err
 * filled. How it fits the table is the caller's to check.
 */
int api_decode_sim_destinations(const char *body, size_t len, const char *path_imsi,
    struct api_sim_dests *out, struct api_error *err);
/* Appends a device and its list to t: 0, -ENOSPC past the table's limits. */
int api_sim_table_add(struct sim_table *t, const char *imsi, const struct api_sim_dests *d);
/*
 * The refusal (400 invalid_field) of table t, in which sim_table_check
 * found at, in the words of a whole table's PUT (fields "[i].imsi",
 * "[i].destinations"); one_device >= 0 is the device a PUT of one device
 * gave, named without an index ("destinations") and from its side.
 */
void api_sim_fault_error(const struct sim_table *t, const struct sim_fault_at *at,
    uint32_t subnet_be, uint8_t subnet_len, int one_device, struct api_error *err);

/*
 * A request's query parameters, URL-decoded, in the order given; value is
 * NULL for a key without '='. More than API_QUERY_MAX set overflow.
 */
#define API_QUERY_MAX 8

struct api_query {
	size_t n;
	bool overflow;
	struct {
		const char *key, *value;
	} args[API_QUERY_MAX];
};

/* GET /v1/junction/inspection/flows?limit=N */
#define API_FLOWS_LIMIT_DEFAULT 100
#define API_FLOWS_LIMIT_MAX	10000
/* GET /v1/junction/inspection/summary?window=S&top=N; the rest is inspect/inspect.h's. */
#define API_SUMMARY_TOP_DEFAULT 10

/*
 * The parameters of those calls, each a decimal integer in its range and
 * absent for its default: 0, or -EINVAL with err filled (400
 * unknown_field for a parameter the call does not take, invalid_field for
 * a bad value, one given twice, or too many) and the outputs untouched.
 */
/*
 * GET /v1/sessions?limit=N&after=CURSOR: at most N sessions (default
 * API_SESSIONS_LIMIT_DEFAULT), those past the cursor a previous page's
 * Link header gave (0: from the start).
 */
#define API_SESSIONS_LIMIT_DEFAULT 1000
#define API_SESSIONS_LIMIT_MAX	   10000
int api_decode_sessions_query(
    const struct api_query *q, uint32_t *limit, uint32_t *after, struct api_error *err);
int api_decode_flows_query(const struct api_query *q, uint32_t *limit, struct api_error *err);
int api_decode_summary_query(
    const struct api_query *q, uint32_t *window_s, uint32_t *top, struct api_error *err);

/*
 * Peek (api_decode_peek.c). POST /v1/packet_capture_sessions:
 * { "duration": 60, "prefix": "...", "imsi": "..." }; duration required,
 * 1 to 86,400 seconds; prefix optional, at most API_PEEK_PREFIX_MAX
 * letters, digits, '-' and '_' (the commercial service's rule); imsi
 * optional, 6 to 15 digits: one device, else the whole gateway. 0, or
 * -EINVAL with err filled as api_decode_body does and out zeroed.
 */
#define API_PEEK_DURATION     (1u << 0)
#define API_PEEK_PREFIX	      (1u << 1)
#define API_PEEK_IMSI	      (1u << 2)
#define API_PEEK_PREFIX_MAX   64
#define API_PEEK_DURATION_MAX 86400

struct api_peek_body {
	uint32_t has; /* API_PEEK_* of the fields present */
	int64_t duration;
	char prefix[API_PEEK_PREFIX_MAX + 1];
	char imsi[16];
};

int api_decode_peek(const char *body, size_t len, struct api_peek_body *out, struct api_error *err);
/*
 * A path segment that must be a capture's id (1 to 32 lowercase hex
 * digits): 0, or -EINVAL and 400 invalid_path.
 */
#define API_PEEK_ID_MAX 32
int api_path_capture_id(const char *segment, char out[API_PEEK_ID_MAX + 1], struct api_error *err);

#endif
