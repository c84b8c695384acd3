#include "api/api_decode.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"

/*
 * Input quoted in a message is cut after this many bytes: enough to
 * recognise a value, short enough to leave room for what is wrong with it.
 */
#define QUOTE_MAX 40
/* Room for QUOTE_MAX bytes escaped as \xNN, quotes, "..." and NUL. */
#define QUOTE_BUF (4 * QUOTE_MAX + 6)

/*
 * Messages and field names go back to the client inside JSON and into logs:
 * anything but printable ASCII becomes '?', which keeps them one line and
 * valid UTF-8 even when vsnprintf cut a multi-byte character in two.
 */
static void
printable(char *s)
{
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~')
			*s = '?';
}

/*
 * Copies at most max bytes of s into dst as printable ASCII, '"' and '\'
 * escaped with a backslash and any other byte as \xNN, and "..." when s did
 * not fit in max bytes or in cap (at least 9).
 */
static void
escape(char *dst, size_t cap, const char *s, size_t max)
{
	size_t o = 0, i;
	unsigned char c;

	for (i = 0; i < max && s[i] != '\0' && o + 8 < cap; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(dst + o, cap - o, "\\%c", c);
		else if (c < ' ' || c > '~')
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
		else
			dst[o++] = (char)c;
	}
	if (s[i] != '\0')
		o += (size_t)snprintf(dst + o, cap - o, "...");
	dst[o] = '\0';
}

/* s in double quotes, escaped and cut as escape does. */
static const char *
quote(char dst[QUOTE_BUF], const char *s)
{
	dst[0] = '"';
	escape(dst + 1, QUOTE_BUF - 2, s, QUOTE_MAX);
	strcat(dst, "\"");
	return dst;
}

_Static_assert(API_QUOTE_BUF == QUOTE_BUF, "api_decode.h's API_QUOTE_BUF is QUOTE_BUF");

const char *
api_quote(char dst[API_QUOTE_BUF], const char *s)
{
	return quote(dst, s);
}

void
api_error_set(
    struct api_error *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	snprintf(e->code, sizeof(e->code), "%s", code);
	snprintf(e->field, sizeof(e->field), "%s", field == NULL ? "" : field);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	if (e->message[0] == '\0')
		snprintf(e->message, sizeof(e->message), "%s", e->code);
	printable(e->code);
	printable(e->field);
	printable(e->message);
}

json_t *
api_error_json(const struct api_error *e)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "code", json_string(e->code)) < 0 ||
	    json_object_set_new(o, "message", json_string(e->message)) < 0 ||
	    (e->field[0] != '\0' && json_object_set_new(o, "field", json_string(e->field)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_path_imsi(const char *segment, char out[16], struct api_error *err)
{
	char q[QUOTE_BUF];

	if (segment == NULL)
		segment = "";
	if (parse_imsi(segment) < 0) {
		api_error_set(err, 400, "invalid_path", NULL, "not an IMSI of 6 to 15 digits (%s)",
		    quote(q, segment));
		return -EINVAL;
	}
	memcpy(out, segment, strlen(segment) + 1);
	return 0;
}

int
api_path_ipv4(const char *segment, uint32_t *addr_be, struct api_error *err)
{
	char q[QUOTE_BUF];
	uint32_t addr;

	if (segment == NULL)
		segment = "";
	if (parse_ipv4(segment, &addr) < 0) {
		api_error_set(
		    err, 400, "invalid_path", NULL, "not an IPv4 address (%s)", quote(q, segment));
		return -EINVAL;
	}
	*addr_be = addr;
	return 0;
}

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		break;
	}
	return "null";
}

const char *
api_json_type_name(const json_t *v)
{
	return type_name(v);
}

int
api_field_error(const struct api_field *f, struct api_error *err, const char *fmt, ...)
{
	char what[sizeof(err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	api_error_set(err, 400, "invalid_field", f->name, "\"%s\": %s", f->name, what);
	return -EINVAL;
}

static int
decode_ipv4(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	char q[QUOTE_BUF];
	uint32_t addr;

	if (!json_is_string(v))
		return api_field_error(f, err, "must be a string, not %s", type_name(v));
	if (parse_ipv4(json_string_value(v), &addr) < 0)
		return api_field_error(
		    f, err, "not an IPv4 address (%s)", quote(q, json_string_value(v)));
	memcpy(dst, &addr, sizeof(addr));
	return 0;
}

static int
decode_bool(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	bool b = json_is_true(v);

	if (!json_is_boolean(v))
		return api_field_error(f, err, "must be true or false, not %s", type_name(v));
	memcpy(dst, &b, sizeof(b));
	return 0;
}

static int
decode_int(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	int64_t i;

	if (!json_is_integer(v))
		return api_field_error(f, err, "must be an integer, not %s", type_name(v));
	i = (int64_t)json_integer_value(v);
	if (i < f->min || i > f->max)
		return api_field_error(f, err,
		    "must be between %" PRId64 " and %" PRId64 " (%" PRId64 ")", f->min, f->max, i);
	memcpy(dst, &i, sizeof(i));
	return 0;
}

static int
decode_string(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	size_t n;

	if (!json_is_string(v))
		return api_field_error(f, err, "must be a string, not %s", type_name(v));
	n = json_string_length(v);
	if (n >= f->size)
		return api_field_error(
		    f, err, "must be at most %zu bytes long (%zu)", f->size - 1, n);
	memcpy(dst, json_string_value(v), n + 1);
	return 0;
}

static int
decode_cidr(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	char q[QUOTE_BUF];
	struct api_cidr c;

	if (!json_is_string(v))
		return api_field_error(f, err, "must be a string, not %s", type_name(v));
	if (parse_cidr(json_string_value(v), &c.net_be, &c.prefix) < 0)
		return api_field_error(f, err, "not a CIDR range with no host bits set (%s)",
		    quote(q, json_string_value(v)));
	memcpy(dst, &c, sizeof(c));
	return 0;
}

/* "a", "b" or "c": the words of an enum, for its refusal. */
static void
enum_words(const struct api_field *f, char *buf, size_t cap)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; f->words[i] != NULL && o < cap; i++) {
		const char *sep = i == 0 ? "" : f->words[i + 1] == NULL ? " or " : ", ";

		o += (size_t)snprintf(buf + o, cap - o, "%s\"%s\"", sep, f->words[i]);
	}
}

/* Exact, case included: a value has one spelling, as the API prints it. */
static int
decode_enum(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	char q[QUOTE_BUF], words[128];

	if (json_is_string(v)) {
		for (int i = 0; f->words[i] != NULL; i++) {
			if (strcmp(json_string_value(v), f->words[i]) == 0) {
				memcpy(dst, &i, sizeof(i));
				return 0;
			}
		}
	}
	enum_words(f, words, sizeof(words));
	if (!json_is_string(v))
		return api_field_error(f, err, "must be %s, not %s", words, type_name(v));
	return api_field_error(f, err, "must be %s (%s)", words, quote(q, json_string_value(v)));
}

/* A kind of its own, decoded by the field's function (api_decode.h, API_CUSTOM). */
static int
decode_custom(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	return f->decode(f, v, dst, err);
}

static int (*const decoders[])(
    const struct api_field *, const json_t *, void *, struct api_error *) = {
	[API_IPV4] = decode_ipv4,
	[API_BOOL] = decode_bool,
	[API_INT] = decode_int,
	[API_STRING] = decode_string,
	[API_CIDR] = decode_cidr,
	[API_ENUM] = decode_enum,
	[API_CUSTOM] = decode_custom,
};

/* Linear: a body has a handful of fields, so a search costs less than a hash. */
static const struct api_field *
find_field(const struct api_body *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->fields[i].name, name) == 0)
			return &b->fields[i];
	return NULL;
}

/* The unknown field is named as the client spelled it; the message lists what the call takes. */
static int
unknown_field(const struct api_body *b, const char *key, struct api_error *err)
{
	char name[sizeof(err->field)], takes[128] = "";
	size_t o = 0;

	escape(name, sizeof(name), key, sizeof(name));
	for (size_t i = 0; i < b->n && o < sizeof(takes); i++)
		o += (size_t)snprintf(
		    takes + o, sizeof(takes) - o, "%s%s", i > 0 ? ", " : "", b->fields[i].name);
	api_error_set(err, 400, "unknown_field", name, "\"%s\": unknown field; this call takes %s",
	    name, takes);
	return -EINVAL;
}

/*
 * Fields are taken in the body's order (jansson keeps it), so of several
 * faults the client hears about the first it wrote; missing ones come last.
 */
static int
decode_object(const struct api_body *b, json_t *obj, void *out, struct api_error *err)
{
	const struct api_field *f;
	uint32_t has = 0;
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		f = find_field(b, key);
		if (f == NULL)
			return unknown_field(b, key, err);
		if (decoders[f->kind](f, v, (char *)out + f->off, err) < 0)
			return -EINVAL;
		has |= f->bit;
	}
	for (size_t i = 0; i < b->n; i++) {
		f = &b->fields[i];
		if (f->required && (has & f->bit) == 0) {
			api_error_set(err, 400, "missing_field", f->name,
			    "\"%s\": required field is missing", f->name);
			return -EINVAL;
		}
	}
	memcpy((char *)out + b->has_off, &has, sizeof(has));
	return 0;
}

/*
 * JSON_DECODE_ANY lets a scalar body parse, so that it is refused below as
 * "not an object" rather than with jansson's "'[' or '{' expected"; duplicate
 * keys are refused because which of the two would win is anyone's guess.
 * The body must be of type want, a JSON object or array.
 */
static json_t *
load_root(const char *body, size_t len, json_type want, struct api_error *err)
{
	const char *what = want == JSON_ARRAY ? "a JSON array" : "a JSON object";
	json_error_t je;
	json_t *root;

	if (len == 0) {
		api_error_set(
		    err, 400, "invalid_json", NULL, "the body is empty; expected %s", what);
		return NULL;
	}
	root = json_loadb(body, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		api_error_set(err, 400, "invalid_json", NULL,
		    "not valid JSON (line %d, column %d): %s", je.line, je.column, je.text);
		return NULL;
	}
	if (json_typeof(root) != want) {
		api_error_set(err, 400, "invalid_json", NULL, "the body must be %s, not %s", what,
		    type_name(root));
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *
api_load_root(const char *body, size_t len, json_type want, struct api_error *err)
{
	return load_root(body, len, want, err);
}

int
api_decode_body(
    const char *body, size_t len, const struct api_body *b, void *out, struct api_error *err)
{
	json_t *obj;
	int rc;

	memset(out, 0, b->size);
	if (len == 0 && b->empty_ok)
		return 0;
	obj = load_root(body, len, JSON_OBJECT, err);
	if (obj == NULL)
		return -EINVAL;
	rc = decode_object(b, obj, out, err);
	json_decref(obj);
	if (rc < 0)
		memset(out, 0, b->size);
	return rc;
}

int
api_key_mismatch(struct api_error *err, const char *field, const char *given, const char *path)
{
	char q[QUOTE_BUF];

	api_error_set(err, 400, "invalid_field", field,
	    "\"%s\": %s does not match the path's %s, which names the object and cannot be "
	    "changed",
	    field, quote(q, given), path);
	return -EINVAL;
}

int
api_decode_checked_string(const struct api_field *f, const json_t *v, void *dst,
    struct api_error *err, bool (*valid)(const char *), const char *what)
{
	const char *s = json_string_value(v);
	char q[QUOTE_BUF];

	if (s == NULL)
		return api_field_error(f, err, "must be a string, not %s", type_name(v));
	if (strlen(s) != json_string_length(v) || !valid(s))
		return api_field_error(f, err, "not %s (%s)", what, quote(q, s));
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static bool
imsi_valid(const char *s)
{
	return parse_imsi(s) == 0;
}

int
api_decode_imsi(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	return api_decode_checked_string(f, v, dst, err, imsi_valid, "an IMSI of 6 to 15 digits");
}

static const struct api_field ip_map_fields[] = {
	API_FIELD_IPV4(
	    struct api_ip_map_body, ip_address_be, "ipAddress", API_IP_MAP_IP_ADDRESS, true),
	API_FIELD_CUSTOM(
	    struct api_ip_map_body, key, char *, "key", API_IP_MAP_KEY, false, api_decode_imsi),
};
static const struct api_body ip_map_body = API_BODY(struct api_ip_map_body, ip_map_fields);

int
api_decode_ip_map(const char *body, size_t len, const char *path_key, struct api_ip_map_body *out,
    struct api_error *err)
{
	int rc = api_decode_body(body, len, &ip_map_body, out, err);

	if (rc == 0 && (out->has & API_IP_MAP_KEY) != 0 && strcmp(out->key, path_key) != 0) {
		rc = api_key_mismatch(err, "key", out->key, path_key);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

static const struct api_field gate_open_fields[] = {
	API_FIELD_INT(struct api_gate_open_body, vxlan_id, "vxlanId", API_GATE_OPEN_VXLAN_ID, false,
	    API_VXLAN_ID_MIN, API_VXLAN_ID_MAX),
	API_FIELD_BOOL(struct api_gate_open_body, privacy_separator_enabled,
	    "privacySeparatorEnabled", API_GATE_OPEN_PRIVACY_SEPARATOR, false),
};
static const struct api_body gate_open_body =
    API_BODY_OR_EMPTY(struct api_gate_open_body, gate_open_fields);

int
api_decode_gate_open(
    const char *body, size_t len, struct api_gate_open_body *out, struct api_error *err)
{
	return api_decode_body(body, len, &gate_open_body, out, err);
}

static const struct api_field gate_peer_fields[] = {
	API_FIELD_IPV4(struct api_gate_peer_body, outer_ip_address_be, "outerIpAddress",
	    API_GATE_PEER_OUTER_IP_ADDRESS, true),
	API_FIELD_IPV4(struct api_gate_peer_body, inner_ip_address_be, "innerIpAddress",
	    API_GATE_PEER_INNER_IP_ADDRESS, true),
};
static const struct api_body gate_peer_body = API_BODY(struct api_gate_peer_body, gate_peer_fields);

int
api_decode_gate_peer(
    const char *body, size_t len, struct api_gate_peer_body *out, struct api_error *err)
{
	return api_decode_body(body, len, &gate_peer_body, out, err);
}

static const struct api_field redirection_fields[] = {
	API_FIELD_IPV4(
	    struct api_redirection_body, gateway_be, "gateway", API_REDIRECTION_GATEWAY, true),
	API_FIELD_BOOL(
	    struct api_redirection_body, enabled, "enabled", API_REDIRECTION_ENABLED, false),
	API_FIELD_STRING(struct api_redirection_body, description, "description",
	    API_REDIRECTION_DESCRIPTION, false),
};
static const struct api_body redirection_body =
    API_BODY(struct api_redirection_body, redirection_fields);

int
api_decode_redirection(
    const char *body, size_t len, struct api_redirection_body *out, struct api_error *err)
{
	int rc = api_decode_body(body, len, &redirection_body, out, err);

	if (rc == 0 && (out->has & API_REDIRECTION_ENABLED) == 0)
		out->enabled = true;
	return rc;
}

/*
 * A mirroring peer's body as the generic decoder fills it: protocol is an
 * enum of one word, decoded here and not passed on.
 */
struct mirror_wire {
	struct api_mirror_body b;
	int protocol; /* index in mirror_protocols: 0, "gre" */
};

static const char *const mirror_protocols[] = { "gre", NULL };

/* clang-format off */
#define MIRROR_FIELD_PROTOCOL \
	API_FIELD_ENUM(struct mirror_wire, protocol, "protocol", API_MIRROR_PROTOCOL, false, \
	    mirror_protocols)
#define MIRROR_FIELD_ENABLED \
	API_FIELD_BOOL(struct mirror_wire, b.enabled, "enabled", API_MIRROR_ENABLED, false)
#define MIRROR_FIELD_DESCRIPTION \
	API_FIELD_STRING(struct mirror_wire, b.description, "description", \
	    API_MIRROR_DESCRIPTION, false)
#define MIRROR_BODY(table) \
	{ table, sizeof(table) / sizeof((table)[0]), sizeof(struct mirror_wire), \
	    API_AT(struct mirror_wire, b.has, uint32_t), false }
/* clang-format on */

static const struct api_field mirror_peer_fields[] = {
	API_FIELD_IPV4(
	    struct mirror_wire, b.ip_address_be, "ipAddress", API_MIRROR_IP_ADDRESS, true),
	MIRROR_FIELD_PROTOCOL,
	MIRROR_FIELD_ENABLED,
	MIRROR_FIELD_DESCRIPTION,
};
static const struct api_body mirror_peer_body = MIRROR_BODY(mirror_peer_fields);

/* ipAddress optional: GET's view PUT back names the peer, which the path already does. */
static const struct api_field mirror_update_fields[] = {
	API_FIELD_IPV4(
	    struct mirror_wire, b.ip_address_be, "ipAddress", API_MIRROR_IP_ADDRESS, false),
	MIRROR_FIELD_PROTOCOL,
	MIRROR_FIELD_ENABLED,
	MIRROR_FIELD_DESCRIPTION,
};
static const struct api_body mirror_update_body = MIRROR_BODY(mirror_update_fields);

static int
decode_mirror(const char *body, size_t len, const struct api_body *b, struct api_mirror_body *out,
    struct api_error *err)
{
	struct mirror_wire w;
	int rc = api_decode_body(body, len, b, &w, err);

	*out = w.b;
	return rc;
}

int
api_decode_mirror_peer(
    const char *body, size_t len, struct api_mirror_body *out, struct api_error *err)
{
	int rc = decode_mirror(body, len, &mirror_peer_body, out, err);

	if (rc == 0 && (out->has & API_MIRROR_ENABLED) == 0)
		out->enabled = true;
	return rc;
}

int
api_decode_mirror_update(const char *body, size_t len, uint32_t path_be,
    struct api_mirror_body *out, struct api_error *err)
{
	char given[16], path[16];
	int rc = decode_mirror(body, len, &mirror_update_body, out, err);

	if (rc == 0 && (out->has & API_MIRROR_IP_ADDRESS) != 0 && out->ip_address_be != path_be) {
		rc = api_key_mismatch(
		    err, "ipAddress", ipv4_str(out->ip_address_be, given), ipv4_str(path_be, path));
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

/* One entry of PUT /v1/routing_filter, as the generic decoder fills it. */
#define API_FILTER_ACTION   (1u << 0)
#define API_FILTER_IP_RANGE (1u << 1)

struct api_filter_entry {
	uint32_t has;
	int action; /* index in filter_actions: FILTER_ALLOW, FILTER_DENY */
	struct api_cidr ip_range;
};

static const char *const filter_actions[] = {
	[FILTER_ALLOW] = "allow", [FILTER_DENY] = "deny", NULL
};
static const struct api_field filter_entry_fields[] = {
	API_FIELD_ENUM(
	    struct api_filter_entry, action, "action", API_FILTER_ACTION, true, filter_actions),
	API_FIELD_CIDR(struct api_filter_entry, ip_range, "ipRange", API_FILTER_IP_RANGE, true),
};
static const struct api_body filter_entry_body =
    API_BODY(struct api_filter_entry, filter_entry_fields);

/*
 * Puts "[i]." before the field an entry's refusal names, in the field and
 * in the message, which begins with the field's name in quotes. A name
 * longer than FIELD_IN_ENTRY, only ever an unknown one, is cut to fit.
 */
#define FIELD_IN_ENTRY 48

static int
entry_error(unsigned i, struct api_error *err)
{
	char field[sizeof(err->field)], message[sizeof(err->message)], code[sizeof(err->code)];
	size_t n = strlen(err->field);
	const char *rest = err->message;

	snprintf(field, sizeof(field), "[%u].%.*s", i, FIELD_IN_ENTRY, err->field);
	if (err->message[0] == '"' && strncmp(err->message + 1, err->field, n) == 0 &&
	    err->message[n + 1] == '"')
		rest = err->message + n + 2;
	/* Copies first: api_error_set writes where these are read from. */
	snprintf(message, sizeof(message), "%s", rest);
	snprintf(code, sizeof(code), "%s", err->code);
	api_error_set(err, err->status, code, field, "\"%s\"%s", field, message);
	return -EINVAL;
}

json_t *
api_load_json(const char *body, size_t len, json_type want, struct api_error *err)
{
	return load_root(body, len, want, err);
}

int
api_decode_entry(const struct api_body *b, size_t i, json_t *v, void *out, struct api_error *err)
{
	char field[24];

	memset(out, 0, b->size);
	if (!json_is_object(v)) {
		snprintf(field, sizeof(field), "[%zu]", i);
		api_error_set(err, 400, "invalid_field", field, "\"%s\": must be an object, not %s",
		    field, type_name(v));
		return -EINVAL;
	}
	if (decode_object(b, v, out, err) < 0)
		return entry_error((unsigned)i, err);
	return 0;
}

static int
decode_filter_entry(unsigned i, json_t *v, struct filter_rule *out, struct api_error *err)
{
	struct api_filter_entry e;

	if (api_decode_entry(&filter_entry_body, i, v, &e, err) < 0)
		return -EINVAL;
	out->action = e.action == FILTER_DENY ? FILTER_DENY : FILTER_ALLOW;
	out->net_be = e.ip_range.net_be;
	out->prefix = e.ip_range.prefix;
	return 0;
}

/* Entries are taken in order, so the client hears about the first bad one. */
static int
decode_filter(json_t *arr, struct filter_rule *out, unsigned cap, struct api_error *err)
{
	unsigned max = cap < FILTER_MAX_RULES ? cap : FILTER_MAX_RULES;
	json_t *v;
	size_t i;

	if (json_array_size(arr) > max) {
		api_error_set(err, 400, "invalid_field", NULL,
		    "the routing filter takes at most %u entries (%zu)", max, json_array_size(arr));
		return -EINVAL;
	}
	json_array_foreach(arr, i, v)
	{
		if (decode_filter_entry((unsigned)i, v, &out[i], err) < 0)
			return -EINVAL;
	}
	return 0;
}

int
api_decode_routing_filter(const char *body, size_t len, struct filter_rule *out, unsigned cap,
    unsigned *n, struct api_error *err)
{
	json_t *arr;
	int rc = -EINVAL;

	*n = 0;
	memset(out, 0, cap * sizeof(out[0]));
	arr = load_root(body, len, JSON_ARRAY, err);
	if (arr != NULL)
		rc = decode_filter(arr, out, cap, err);
	if (rc == 0)
		*n = (unsigned)json_array_size(arr);
	else
		memset(out, 0, cap * sizeof(out[0]));
	json_decref(arr);
	return rc;
}
